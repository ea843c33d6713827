"""The review's overview tab: where it stands, its tasks and clocks, and the forms that change
the review itself: its notification, the decision, moving it on, extensions, concluding."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View

from dhr.errors import allowed, guarded
from dhr.models import Role
from dhr.pages import ours
from dhr.permissions import may_decide, may_record, may_see_confidential
from reviews import clocks, deadlines, forms, selectors, services, workflow
from reviews.models import AgeBand, Status
from reviews.pages import ConfidentialMixin, ReviewFormView, ReviewMixin, confidential_show
from reviews.tasklist import task_list


class ConfidentialView(ReviewMixin, View):
    """ "Show confidential details" (and "Hide"): the review's real names, dates of birth and
    date of death, shown on its pages for the rest of the session once asked for; each showing
    is audited, and nothing is logged for a page where they stayed hidden."""

    http_method_names = ["post"]

    def check_access(self):
        super().check_access()
        if not may_see_confidential(self.request.user, self.review.partnership_id):
            raise PermissionDenied(
                "Only the partnership's coordinators and CSP chairs can see this."
            )

    def post(self, request, *args, **kwargs):
        show = request.POST.get("show") == "yes"
        if show:
            services.confidential_view_record(user=request.user, review=self.review)
        confidential_show(request, self.review, show=show)
        back = request.POST.get("next", "")
        back = ours(
            request,
            back if back.startswith("/") else "",
            default=reverse("reviews:detail", args=[self.review.pk]),
        )
        return HttpResponseRedirect(back + "#confidential")


class ReviewDetailView(ConfidentialMixin, ReviewMixin, TemplateView):
    template_name = "reviews/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, review = self.request.user, self.review
        today = timezone.localdate()
        extensions = list(selectors.review_extensions(review))
        scoping_due = clocks.scoping_due(review)
        scoping_running = review.status in workflow.REPORT_CLOCK_RUNS_IN
        dates = deadlines.of_review(review, today)
        by_type = {d.object_type: d for d in dates}
        here = self.request.path
        moved_by, not_moved_by = selectors.proceedings_and_the_clock(review)
        context.update(
            # The same list as the dashboard's, the review list's and the chase's.
            overdue=[
                (d, d.url if d.url != here and self._may_open(d) else "")
                for d in dates
                if d.overdue
            ],
            home_office_notice=by_type.get("review.home_office_notice"),
            safeguarding_notice=by_type.get("review.safeguarding_notice"),
            fresh_decision=by_type.get("review.decision"),
            child_victim=review.victim_age_band == AgeBand.UNDER_18,
            safeguarding_due=clocks.safeguarding_notice_due(review),
            show_decision_route=bool(
                review.status == Status.NOT_PROCEEDING
                or review.reconsideration_asked_on
                or review.directed_on
            ),
            qa_views=review.decision_qa_views.all(),
            earlier_decisions=selectors.review_earlier_decisions(review),
            notices=selectors.review_home_office_notices(review),
            terms_of_reference=by_type.get("review.terms_of_reference"),
            terms_due=clocks.terms_of_reference_due(review),
            revised_report=by_type.get("review.qa_revision"),
            tasks=task_list(review, user, today),
            decision_due=clocks.decision_due(review),
            report_clock=selectors.review_report_clock(review, today),
            clock_moved_by=moved_by,
            clock_not_moved_by=not_moved_by,
            scoping_due=scoping_due,
            scoping_days_left=clocks.days_left(scoping_due, today) if scoping_running else None,
            rules=clocks.rules_for(review),
            deadline=selectors.review_deadline(review, today),
            extensions=extensions,
            awaiting_extension=next(
                (e for e in extensions if workflow.EXTENSIONS.allows(e, "approve")), None
            ),
            may_request_extension=allowed(workflow.guard_edit, review, "extensions", user),
            reminders=selectors.review_reminders(review),
            today=today,
            transitions=workflow.available(review, user),
            no_plan=workflow.NO_RECOMMENDATIONS,
            waiting_on=workflow.waiting_on_others(review, user),
            may_record=may_record(user, review.partnership_id),
            joint_review_open=review.status in workflow.EDITABLE_IN["joint_review"],
            may_decide=may_decide(user, review.partnership_id),
            active_tab="overview",
        )
        return context

    def _may_open(self, deadline) -> bool:
        """Forms only for those who fill them: the rest are pages anyone on the review reads."""
        if deadline.coordinators_form:
            return may_record(self.request.user, self.review.partnership_id)
        return True


class NotificationUpdateView(ReviewFormView):
    edits_review = True
    form_class = forms.NotificationForm
    stage = "notification"
    title = "Notification details"

    def get_initial(self):
        return {name: getattr(self.review, name) for name in services.NOTIFICATION_FIELDS}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not services.confidential_view_record(user=self.request.user, review=self.review):
            for name in self.review.CONFIDENTIAL_FIELDS:
                form.fields.pop(name, None)
        return form

    def perform(self, form):
        services.review_update_notification(
            review=self.review, by=self.request.user, data=form.cleaned_data
        )
        return "Notification details saved"


class JointReviewView(ReviewFormView):
    edits_review = True
    form_class = forms.JointReviewForm
    stage = "joint_review"
    title = "Joint or replacing review"
    intro = (
        "A {short} may run jointly with, or be replaced by, a Child Safeguarding Practice Review "
        "(when the victim was 16 or 17) or a Safeguarding Adults Review (when the victim had "
        "care and support needs)."
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = self.intro.format(short=self.review.partnership.review_words.short)
        return context

    def get_initial(self):
        return {"joint_review": self.review.joint_review, "notes": self.review.joint_review_notes}

    def perform(self, form):
        services.review_set_joint_review(
            review=self.review,
            by=self.request.user,
            joint_review=form.cleaned_data["joint_review"],
            notes=form.cleaned_data["notes"],
        )
        return "Joint review arrangement saved"


class ViewersView(ReviewFormView):
    form_class = forms.ViewersForm
    title = "Viewers of this review"
    intro = (
        "Panel members, scrutiny officers and analysts with the viewer role can read the "
        "reviews they are given."
    )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "review": self.review}

    def get_initial(self):
        return {"viewers": list(self.review.viewers.all())}

    def perform(self, form):
        services.review_set_viewers(
            review=self.review, by=self.request.user, viewers=form.cleaned_data["viewers"]
        )
        return "Viewers saved"


class DecisionView(ReviewFormView):
    edits_review = True
    form_class = forms.DecisionForm
    role = Role.CHAIR
    title = "Record the decision"

    def check_submit(self):
        super().check_submit()
        # Either decision leaves from the same state.
        guarded(workflow.check_state, self.review, "decide_to_proceed")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = (
            f"The decision is due by {clocks.decision_due(self.review):%-d %B %Y}. Tell the "
            "Home Office of the decision, including a decision not to hold a review."
        )
        if self.review.reconsideration_asked_on:
            context["intro"] = (
                "The Home Office QA panel asked the partnership on "
                f"{self.review.reconsideration_asked_on:%-d %B %Y} to reconsider its decision "
                f"not to hold a review. The fresh decision is due by "
                f"{clocks.decision_due(self.review):%-d %B %Y}: hold a review, or give the "
                "reasons for not holding one now. The Home Office is told of it. The earlier "
                "decision is kept as it was, with its reasons and the dates the Home Office and "
                "the family were told of it."
            )
        return context

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "child": self.review.victim_age_band == AgeBand.UNDER_18,
            "earlier": selectors.decision_under_reconsideration(self.review),
        }

    def get_initial(self):
        return {"decided_on": timezone.localdate()}

    def perform(self, form):
        data = form.cleaned_data
        child = {name: data[name] for name in forms.DecisionForm.CHILD_FIELDS if name in data}
        services.review_record_decision(
            review=self.review,
            by=self.request.user,
            decided_on=data["decided_on"],
            proceed=data["proceed"],
            reasons=data["reasons"],
            situations_of_concern=data["situations_of_concern"],
            other_reviews_considered=data["other_reviews_considered"],
            other_reviews_notes=data["other_reviews_notes"],
            home_office_told_on=data["home_office_told_on"],
            family_told_on=data["family_told_on"],
            **child,
        )
        return "Decision recorded"


class TransitionView(ReviewFormView):
    """Moves the review on by one of the transitions that need only a date."""

    edits_review = True
    form_class = forms.TransitionForm
    template_name = "reviews/transition.html"
    # Those with a page of their own (recording the QA letter) are not made from here.
    actions = frozenset(
        name for name in workflow.DATE_STAMPS if not workflow.TRANSITIONS[name].url_name
    )

    def dispatch(self, request, *args, **kwargs):
        if kwargs["action"] not in self.actions:
            raise Http404
        self.transition = workflow.TRANSITIONS[kwargs["action"]]
        self.role = self.transition.role
        return super().dispatch(request, *args, **kwargs)

    def check_submit(self):
        super().check_submit()
        guarded(workflow.check_state, self.review, self.transition.name)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "date_label": self.transition.date_label,
            "submit_label": self.transition.label,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.transition.label,
            missing=self.transition.missing(self.review),
            no_plan=workflow.NO_RECOMMENDATIONS,
        )
        return context

    def perform(self, form):
        services.review_transition(
            review=self.review,
            by=self.request.user,
            action=self.transition.name,
            on=form.cleaned_data["on"],
        )
        return f"Done: {self.transition.label_in_sentence}"


class PublishView(ReviewFormView):
    """The coordinator records the date and web link of the published report, once every
    publication step is done."""

    edits_review = True
    form_class = forms.PublishForm
    template_name = "reviews/transition.html"
    title = "Record the publication"
    intro = (
        "Record when the report was published on the partnership's website and where. "
        "The web link is what the Home Office and the Domestic Abuse Commissioner are sent."
    )

    def check_submit(self):
        super().check_submit()
        guarded(workflow.check_state, self.review, "publish")

    def get_initial(self):
        return {"on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["missing"] = workflow.TRANSITIONS["publish"].missing(self.review)
        return context

    def perform(self, form):
        services.review_publish(
            review=self.review,
            by=self.request.user,
            on=form.cleaned_data["on"],
            url=form.cleaned_data["url"],
        )
        return "Publication recorded"


class ConcludeView(ReviewFormView):
    """A chair confirms the closing audit once every action is done or no longer applies."""

    edits_review = True
    form_class = forms.ConcludeForm
    template_name = "reviews/transition.html"
    role = Role.CHAIR
    title = "Conclude the review"
    intro = (
        "A review concludes when its action plan has been carried out: every action completed "
        "or no longer applying, checked by the steering group's closing audit."
    )

    def check_submit(self):
        super().check_submit()
        guarded(workflow.check_state, self.review, "conclude")

    def get_initial(self):
        return {"on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["missing"] = workflow.TRANSITIONS["conclude"].missing(self.review)
        return context

    def perform(self, form):
        services.review_conclude(
            review=self.review,
            by=self.request.user,
            on=form.cleaned_data["on"],
            closing_audit=form.cleaned_data["closing_audit"],
        )
        return "Review concluded"
