"""Thin views: load the review through the user's scope (404 outside it), check the role
(403 for a review the user may see but not change), call one service, redirect."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from dhr import versions
from dhr.downloads import audited_download
from dhr.models import Role
from dhr.permissions import may_decide, may_record, may_see_confidential
from reviews import clocks, forms, records, selectors, services, workflow
from reviews.filters import ReviewFilter
from reviews.history import review_history
from reviews.models import (
    AgencyReport,
    Document,
    Extension,
    PanelMember,
    ParallelProceeding,
    Status,
)
from reviews.tasklist import task_list


class ReviewMixin(LoginRequiredMixin):
    """Loads the review once per request, through the user's scope."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.review = selectors.review_get(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["review"] = self.review
        return context


class ServiceFormMixin:
    """`form_valid` calls `perform(form)`, which calls one service and returns the message to
    show. A refusal for the user's role is a 403; any other refusal (a business rule, a
    validation error) re-renders the form with the message, the input kept.

    A view whose form edits one record names it in `versioned()`: the page carries the
    record's version, and a save on an older one is refused with who changed it and when
    (`dhr.versions`), the input kept."""

    def versioned(self):
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.versioned()
        if record is not None:
            context["record_version"] = versions.version_of(record)
        return context

    def form_valid(self, form):
        record = self.versioned()
        if record is None:
            return self._perform(form)
        with transaction.atomic():
            versions.lock(record)
            conflict = versions.changed_since(record, self.request.POST.get(versions.FIELD))
            if conflict:
                form.add_error(None, conflict)
                return self.form_invalid(form)
            return self._perform(form)

    def _perform(self, form):
        try:
            message = self.perform(form)
        except workflow.NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except (workflow.TransitionError, ValidationError) as error:
            for text in getattr(error, "messages", [str(error)]):
                form.add_error(None, text)
            return self.form_invalid(form)
        if message:
            messages.success(self.request, message)
        return redirect(self.get_success_url())

    def perform(self, form) -> str:
        raise NotImplementedError


class CheckedFormMixin:
    """Runs `check_access()` before the form is shown or taken, once the view has loaded what
    it works on: a 404 for what the user may not know of comes first, then this 403."""

    def get(self, request, *args, **kwargs):
        self.check_access()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.check_access()
        return super().post(request, *args, **kwargs)

    def check_access(self) -> None:
        raise NotImplementedError


class ReviewFormView(ServiceFormMixin, ReviewMixin, FormView):
    """A form on one stage of a review. Subclasses name the stage, the role that records it,
    and `perform(form)`, which calls one service."""

    template_name = "reviews/form.html"
    stage: str = ""
    role: str = Role.COORDINATOR
    title = ""
    intro = ""

    # True for a page listing the stage's records, which anyone who may see the review may
    # read: only its form needs the role, and it is shown only to those who may submit it.
    readable_by_all = False
    # True for a form that changes the review itself (not a record added to it): a save on
    # an older version of the review is refused (see ServiceFormMixin).
    edits_review = False

    def versioned(self):
        return self.review if self.edits_review else None

    def get(self, request, *args, **kwargs):
        if self.readable_by_all:
            self.may_submit = workflow.may_edit(self.review, self.stage, request.user, self.role)
        else:
            self.check_access()
            self.may_submit = True
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.check_access()
        self.may_submit = True
        return super().post(request, *args, **kwargs)

    def check_access(self):
        if not workflow.may_act_as(self.request.user, self.review, self.role):
            raise PermissionDenied(f"Only a {Role(self.role).label.lower()} can do this.")
        if self.stage:
            try:
                workflow.guard_edit(self.review, self.stage, self.request.user, self.role)
            except workflow.TransitionError as error:
                raise StageClosed(str(error)) from error

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title,
            intro=self.intro,
            back_url=self.get_success_url(),
            may_submit=self.may_submit,
        )
        return context

    def get_success_url(self):
        return self.review.get_absolute_url()


class StageClosed(PermissionDenied):
    """The review has moved past the stage this form records."""


class ReviewListView(LoginRequiredMixin, TemplateView):
    template_name = "reviews/list.html"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset = selectors.review_list(user=self.request.user)
        review_filter = ReviewFilter(self.request.GET or None, queryset=queryset)
        results = review_filter.qs if review_filter.is_bound else queryset
        page = Paginator(results, self.paginate_by).get_page(self.request.GET.get("page"))
        today = timezone.localdate()
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=review_filter,
            page=page,
            rows=[(r, selectors.review_deadline(r, today)) for r in page.object_list],
            query=query.urlencode(),
            may_notify=selectors.may_record_notifications(self.request.user),
        )
        return context


class ReviewCreateView(LoginRequiredMixin, FormView):
    template_name = "reviews/form.html"
    form_class = forms.NotificationCreateForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.partnerships = selectors.partnerships_recording_for(request.user)
            if not self.partnerships.exists():
                raise PermissionDenied("Only a coordinator can record a notification.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "partnerships": self.partnerships}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title="Record a police notification",
            intro="Record the notification as soon as the police tell you of a death. "
            "The decision on whether to hold a review is due one calendar month after "
            "the date the notification was received.",
            back_url=reverse("reviews:list"),
        )
        return context

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        partnership = data.pop("partnership")
        review = services.review_notify(partnership=partnership, by=self.request.user, data=data)
        messages.success(self.request, f"Notification recorded as {review.public_title}")
        return redirect(review)


class ReviewDetailView(ReviewMixin, TemplateView):
    template_name = "reviews/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, review = self.request.user, self.review
        today = timezone.localdate()
        extensions = list(selectors.review_extensions(review))
        scoping_due = clocks.scoping_due(review)
        scoping_running = review.status in workflow.REPORT_CLOCK_RUNS_IN
        context.update(
            tasks=task_list(review, user, today),
            show_confidential=selectors.confidential_view_record(user=user, review=review),
            decision_due=clocks.decision_due(review),
            report_clock=selectors.review_report_clock(review, today),
            scoping_due=scoping_due,
            scoping_days_left=clocks.days_left(scoping_due, today) if scoping_running else None,
            rules=clocks.rules_for(review),
            deadline=selectors.review_deadline(review, today),
            extensions=extensions,
            awaiting_extension=next(
                (e for e in extensions if e.status == Extension.Status.REQUESTED), None
            ),
            may_request_extension=workflow.may_edit(review, "extensions", user),
            reminders=selectors.review_reminders(review),
            today=today,
            transitions=workflow.available(review, user),
            waiting_on=workflow.waiting_on_others(review, user),
            may_record=may_record(user, review.partnership_id),
            joint_review_open=review.status in workflow.EDITABLE_IN["joint_review"],
            may_decide=may_decide(user, review.partnership_id),
            active_tab="overview",
        )
        return context


class ReviewTimelineView(ReviewMixin, TemplateView):
    template_name = "reviews/timeline.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        timeline = selectors.review_timeline(self.review, today)
        context.update(
            entries=timeline.entries,
            report_clock=timeline.report_clock,
            rules=clocks.rules_for(self.review),
            today=today,
            active_tab="timeline",
        )
        return context


class ReviewHistoryView(ReviewMixin, TemplateView):
    template_name = "reviews/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        show_confidential = selectors.confidential_view_record(
            user=self.request.user, review=self.review
        )
        context.update(
            entries=review_history(self.review, show_confidential=show_confidential),
            show_confidential=show_confidential,
            active_tab="history",
        )
        return context


class LeadsMixin(ReviewMixin):
    """Pages that show the review's confidential values or whole record (the audit, the
    export, the anonymity findings): its coordinators and chairs; its viewers get 403."""

    def leads_only(self):
        if not may_see_confidential(self.request.user, self.review.partnership_id):
            raise PermissionDenied("Only the partnership's coordinators and chairs can see this.")


class ReviewAuditView(LeadsMixin, TemplateView):
    """Who read what of the review, for its coordinators and chairs: every view of its
    confidential fields and every download of its files, newest first; its changes are on the
    History tab."""

    template_name = "reviews/audit.html"

    def get(self, request, *args, **kwargs):
        self.leads_only()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        events = selectors.audit_events(review=self.review)
        page = Paginator(events, 50).get_page(self.request.GET.get("page"))
        context.update(page=page, events=page.object_list, active_tab="history")
        return context


class ReviewExportView(LeadsMixin, View):
    """The review's whole record as a zip, for an information request (`reviews.records`):
    its coordinators and chairs, audited like any download."""

    def get(self, request, *args, **kwargs):
        self.leads_only()
        return audited_download(
            request,
            content=records.record_zip(self.review, by=request.user),
            filename=f"{self.review.reference}-whole-record-OFFICIAL-SENSITIVE.zip",
            content_type="application/zip",
            object_type="review_record",
            object_id=self.review.pk,
            detail=f"{self.review.reference}: the whole record (zip)",
            review_id=self.review.pk,
        )


class NotificationUpdateView(ReviewFormView):
    edits_review = True
    form_class = forms.NotificationForm
    stage = "notification"
    title = "Notification details"

    def get_initial(self):
        return {name: getattr(self.review, name) for name in services.NOTIFICATION_FIELDS}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not selectors.confidential_view_record(user=self.request.user, review=self.review):
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
        "A DHR may run jointly with, or be replaced by, a Child Safeguarding Practice Review "
        "(when the victim was 16 or 17) or a Safeguarding Adults Review (when the victim had "
        "care and support needs)."
    )

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

    def check_access(self):
        super().check_access()
        if self.review.status != Status.DECISION_PENDING:
            raise StageClosed("The decision can be recorded only while it is pending.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = (
            f"The decision is due by {clocks.decision_due(self.review):%-d %B %Y}. Tell the "
            "Home Office of the decision, including a decision not to hold a review."
        )
        return context

    def get_initial(self):
        return {"decided_on": timezone.localdate()}

    def perform(self, form):
        data = form.cleaned_data
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
        )
        return "Decision recorded"


class ConcludeView(ReviewFormView):
    edits_review = True
    """A chair confirms the closing audit once every action is done or no longer applies."""

    form_class = forms.ConcludeForm
    template_name = "reviews/transition.html"
    role = Role.CHAIR
    title = "Conclude the review"
    intro = (
        "A review concludes when its action plan has been carried out: every action completed "
        "or no longer applying, checked by the steering group's closing audit."
    )

    def check_access(self):
        super().check_access()
        if self.review.status != Status.MONITORING:
            raise StageClosed("A review concludes only while its action plan is monitored.")

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


class PublishView(ReviewFormView):
    edits_review = True
    """The coordinator records the date and web link of the published report, once every
    publication step is done."""

    form_class = forms.PublishForm
    template_name = "reviews/transition.html"
    title = "Record the publication"
    intro = (
        "Record when the report was published on the partnership's website and where. "
        "The web link is what the Home Office and the Domestic Abuse Commissioner are sent."
    )

    def check_access(self):
        super().check_access()
        if self.review.status != Status.APPROVED:
            raise StageClosed(
                "A report is published only once a chair has approved it for publication."
            )

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


class TransitionView(ReviewFormView):
    edits_review = True
    """Moves the review on by one of the transitions that need only a date."""

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

    def check_access(self):
        super().check_access()
        if self.review.status not in self.transition.sources:
            raise StageClosed(
                f"This review is at the '{Status(self.review.status).label}' stage: you cannot "
                f"{self.transition.label.lower()} now."
            )

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "date_label": self.transition.date_label,
            "submit_label": self.transition.label,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=self.transition.label, missing=self.transition.missing(self.review))
        return context

    def perform(self, form):
        services.review_transition(
            review=self.review,
            by=self.request.user,
            action=self.transition.name,
            on=form.cleaned_data["on"],
        )
        return f"Done: {self.transition.label.lower()}"


class SetUpView(ReviewFormView):
    edits_review = True
    form_class = forms.SetUpForm
    stage = "set_up"
    template_name = "reviews/set_up.html"
    title = "Set-up: chair, panel and terms of reference"

    def get_initial(self):
        return {name: getattr(self.review, name) for name in services.SET_UP_FIELDS}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not clocks.rules_for(self.review).has_scoping_review:
            form.fields.pop("scoping_completed_on")
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["panel_members"] = self.review.panel_members.select_related("agency")
        # Saving comes back to this page; Back and Cancel go to the review.
        context["back_url"] = self.review.get_absolute_url()
        return context

    def get_success_url(self):
        return reverse("reviews:set_up", args=[self.review.pk])

    def perform(self, form):
        services.review_update_set_up(
            review=self.review,
            by=self.request.user,
            data=form.cleaned_data,
            terms_of_reference_file=form.cleaned_data.get("terms_of_reference_file"),
        )
        return "Set-up details saved"


class PanelMemberAddView(ReviewFormView):
    form_class = forms.PanelMemberForm
    stage = "set_up"
    title = "Add a panel member"

    def get_success_url(self):
        return reverse("reviews:set_up", args=[self.review.pk])

    def perform(self, form):
        member = services.panel_member_add(
            review=self.review, by=self.request.user, **form.cleaned_data
        )
        return f"{member.name} added to the panel"


class PanelMemberRemoveView(ReviewMixin, View):
    def post(self, request, *args, **kwargs):
        member = get_object_or_404(PanelMember, review=self.review, pk=kwargs["member_pk"])
        try:
            services.panel_member_remove(member=member, by=request.user)
        except workflow.NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except workflow.TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{member.name} removed from the panel")
        return redirect("reviews:set_up", self.review.pk)


class AgencyReportsView(ReviewFormView):
    form_class = forms.AgencyReportRequestForm
    stage = "agency_reports"
    readable_by_all = True
    template_name = "reviews/agency_reports.html"
    title = "Agency reports (IMRs)"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "review": self.review}

    def get_initial(self):
        today = timezone.localdate()
        return {
            "requested_on": today,
            "due_on": clocks.suggested_agency_report_due(self.review, today),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            reports=self.review.agency_reports.select_related("agency", "document"),
            today=timezone.localdate(),
        )
        return context

    def get_success_url(self):
        return reverse("reviews:agency_reports", args=[self.review.pk])

    def perform(self, form):
        report = services.agency_report_request(
            review=self.review, by=self.request.user, **form.cleaned_data
        )
        return f"Report requested from {report.agency}"


class AgencyReportUpdateView(ReviewFormView):
    form_class = forms.AgencyReportForm
    stage = "agency_reports"

    def get_report(self):
        return get_object_or_404(
            AgencyReport.objects.select_related("agency"),
            review=self.review,
            pk=self.kwargs["report_pk"],
        )

    def versioned(self):
        return self.get_report()

    def get_initial(self):
        report = self.get_report()
        return {name: getattr(report, name) for name in services.AGENCY_REPORT_FIELDS}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = f"Agency report: {self.get_report().agency}"
        return context

    def get_success_url(self):
        return reverse("reviews:agency_reports", args=[self.review.pk])

    def perform(self, form):
        report = services.agency_report_update(
            report=self.get_report(),
            by=self.request.user,
            data=form.cleaned_data,
            document_file=form.cleaned_data.get("document"),
        )
        return f"Report from {report.agency} saved"


class FamilyView(ReviewMixin, TemplateView):
    template_name = "reviews/family.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            contacts=self.review.family_contacts.all(),
            may_edit=workflow.may_edit(self.review, "family", self.request.user),
        )
        return context


class FamilyContactAddView(ReviewFormView):
    form_class = forms.FamilyContactForm
    stage = "family"
    title = "Record a contact with the family"

    def get_success_url(self):
        return reverse("reviews:family", args=[self.review.pk])

    def perform(self, form):
        services.family_contact_add(
            review=self.review, by=self.request.user, data=form.cleaned_data
        )
        return "Contact with the family recorded"


class PseudonymView(ReviewFormView):
    edits_review = True
    form_class = forms.PseudonymForm
    stage = "family"
    title = "Pseudonym agreed with the family"
    intro = "The pseudonym is used for the victim in the published report and on every page here."

    def get_initial(self):
        return {"pseudonym": self.review.victim_pseudonym}

    def get_success_url(self):
        return reverse("reviews:family", args=[self.review.pk])

    def perform(self, form):
        services.review_agree_pseudonym(
            review=self.review, by=self.request.user, pseudonym=form.cleaned_data["pseudonym"]
        )
        return "Pseudonym saved"


class ProceedingsView(ReviewMixin, TemplateView):
    template_name = "reviews/proceedings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            proceedings=self.review.proceedings.all(),
            may_edit=workflow.may_edit(self.review, "proceedings", self.request.user),
        )
        return context


class ProceedingFormView(ReviewFormView):
    form_class = forms.ProceedingForm
    stage = "proceedings"

    def get_proceeding(self):
        if "proceeding_pk" not in self.kwargs:
            return None
        return get_object_or_404(
            ParallelProceeding, review=self.review, pk=self.kwargs["proceeding_pk"]
        )

    def get_initial(self):
        proceeding = self.get_proceeding()
        if proceeding is None:
            return {}
        return {n: getattr(proceeding, n) for n in services.PROCEEDING_FIELDS}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = (
            "Add a parallel proceeding" if self.get_proceeding() is None else "Parallel proceeding"
        )
        return context

    def get_success_url(self):
        return reverse("reviews:proceedings", args=[self.review.pk])

    def perform(self, form):
        services.proceeding_save(
            review=self.review,
            by=self.request.user,
            data=form.cleaned_data,
            proceeding=self.get_proceeding(),
        )
        return "Parallel proceeding saved"


class DraftingView(ReviewFormView):
    form_class = forms.ReportVersionForm
    stage = "drafting"
    readable_by_all = True
    template_name = "reviews/drafting.html"
    title = "Overview report and executive summary"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            versions=self.review.report_versions.select_related("document", "uploaded_by"),
            report_clock=selectors.review_report_clock(self.review, timezone.localdate()),
        )
        return context

    def get_success_url(self):
        return reverse("reviews:drafting", args=[self.review.pk])

    def perform(self, form):
        version = services.report_version_add(
            review=self.review,
            by=self.request.user,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            notes=form.cleaned_data["notes"],
        )
        return f"{version} uploaded"


class ExtensionRequestView(ReviewFormView):
    form_class = forms.ExtensionRequestForm
    stage = "extensions"
    title = "Ask for an extension"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        clock = selectors.review_report_clock(self.review, timezone.localdate())
        if clock is not None:
            context["intro"] = (
                f"The overview report is due by {clock.adjusted:%-d %B %Y}. Choose a date "
                "that allows for the proceedings so far: only days paused from today on will "
                "move it further. A chair approves or refuses it; until then the date stays."
            )
        return context

    def perform(self, form):
        services.extension_request(
            review=self.review,
            by=self.request.user,
            requested_on=timezone.localdate(),
            new_due_on=form.cleaned_data["new_due_on"],
            reason=form.cleaned_data["reason"],
        )
        return "Extension requested: the chair has been told"


class ExtensionDecideView(ReviewFormView):
    form_class = forms.ExtensionDecisionForm
    role = Role.CHAIR
    template_name = "reviews/extension_decide.html"
    title = "Decide an extension"

    def get_extension(self):
        if not hasattr(self, "_extension"):
            self._extension = selectors.extension_get(
                review=self.review, pk=self.kwargs["extension_pk"]
            )
        return self._extension

    def check_access(self):
        super().check_access()
        if self.get_extension().status != Extension.Status.REQUESTED:
            raise StageClosed("This extension has already been decided.")
        if self.review.status not in workflow.REPORT_CLOCK_RUNS_IN:
            raise StageClosed("This review's report timescale can no longer be changed.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            extension=self.get_extension(),
            report_clock=selectors.review_report_clock(self.review, timezone.localdate()),
        )
        return context

    def perform(self, form):
        extension = services.extension_decide(
            extension=self.get_extension(),
            by=self.request.user,
            approve=form.cleaned_data["approve"],
            decided_on=timezone.localdate(),
            comment=form.cleaned_data["comment"],
        )
        return f"Extension {extension.get_status_display().lower()}"


class PartnershipMixin(LoginRequiredMixin):
    """A partnership's own pages: its coordinators and chairs (a 404 for everyone else);
    `coordinators_only` pages refuse its chairs with a 403."""

    coordinators_only = False
    refusal = "Only a coordinator can do this."

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.partnership = selectors.partnership_get(user=request.user, slug=kwargs["slug"])
        self.check_role(request)
        return super().dispatch(request, *args, **kwargs)

    def check_role(self, request) -> None:
        if self.coordinators_only and not may_record(request.user, self.partnership.pk):
            raise PermissionDenied(self.refusal)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "partnership": self.partnership}


class PartnershipSettingsView(PartnershipMixin, ServiceFormMixin, FormView):
    """How a partnership's deadlines are chased: its coordinators change it, chairs read it."""

    def versioned(self):
        return self.partnership

    form_class = forms.PartnershipSettingsForm
    template_name = "reviews/settings.html"
    refusal = "Only a coordinator can change the partnership's settings."

    def check_role(self, request) -> None:
        self.may_submit = may_record(request.user, self.partnership.pk)
        if request.method == "POST" and not self.may_submit:
            raise PermissionDenied(self.refusal)

    def get_initial(self):
        return {
            name: getattr(self.partnership, name) for name in services.PARTNERSHIP_SETTINGS_FIELDS
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            partnership=self.partnership,
            guidance=clocks.RULES.get(self.partnership.guidance_version),
            may_submit=self.may_submit,
            title=f"Settings: {self.partnership.name}",
            back_url=reverse("dashboard"),
        )
        return context

    def get_success_url(self):
        return reverse("reviews:settings", args=[self.partnership.slug])

    def perform(self, form):
        services.partnership_update_settings(
            partnership=self.partnership, by=self.request.user, data=form.cleaned_data
        )
        return "Settings saved"


class DocumentDownloadView(ReviewMixin, View):
    """Documents are served only here, to users who may see the review, as attachments."""

    def get(self, request, *args, **kwargs):
        document = get_object_or_404(Document, review=self.review, pk=kwargs["document_pk"])
        if not document.file:
            raise Http404("The file was removed at the end of the retention period.")
        return audited_download(
            request,
            content=document.file.open("rb"),
            filename=document.original_name,
            content_type=document.content_type,
            object_type="document",
            object_id=document.pk,
            detail=f"{self.review.reference}: {document.original_name}",
            review_id=self.review.pk,
        )
