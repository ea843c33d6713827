"""Thin views of the action plan: load through the user's scope (404 outside it), check the
role (403 for what the user may see but not change), call one service, redirect."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView, View

from dhr.downloads import audited_download
from dhr.permissions import agency_ids, may_decide, may_record
from recommendations import (
    analytics,
    exports,
    forms,
    selectors,
    services,
    tracker,
    tracker_import,
    workflow,
)
from recommendations.models import Action, Escalation, Recommendation
from reviews.views import CheckedFormMixin, PartnershipMixin, ReviewMixin, ServiceFormMixin


class ActionPlanView(ReviewMixin, TemplateView):
    template_name = "recommendations/plan.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        plan = selectors.action_plan(review=self.review, today=today)
        context.update(
            plan=plan,
            last_updated=selectors.plan_last_updated(review=self.review, plan=plan),
            may_edit=workflow.may_edit_plan(self.review, self.request.user),
            may_review=may_record(self.request.user, self.review.partnership_id),
            active_tab="action_plan",
        )
        return context


class ActionPlanExportView(ReviewMixin, View):
    def get(self, request, *args, **kwargs):
        fmt = kwargs["fmt"]
        if fmt not in ("csv", "xlsx"):
            raise Http404
        now = timezone.localtime()
        plan = selectors.action_plan(review=self.review, today=now.date())
        if fmt == "csv":
            content = exports.plan_csv(self.review, plan, generated=now)
            content_type = "text/csv; charset=utf-8"
        else:
            content = exports.plan_xlsx(self.review, plan, generated=now)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return audited_download(
            request,
            content=content,
            filename=f"action-plan-{self.review.reference}-OFFICIAL-SENSITIVE.{fmt}",
            content_type=content_type,
            object_type="action_plan",
            object_id=self.review.pk,
            detail=f"{self.review.reference}: action plan ({fmt})",
            review_id=self.review.pk,
        )


class PlanFormView(CheckedFormMixin, ServiceFormMixin, ReviewMixin, FormView):
    """A form that changes the plan: coordinators only, while the plan may change."""

    template_name = "reviews/form.html"
    title = ""

    def check_access(self):
        try:
            workflow.guard_plan_edit(self.review, self.request.user)
        except workflow.TransitionError as error:
            raise PermissionDenied(str(error)) from error

    def get_success_url(self):
        return reverse("recommendations:plan", args=[self.review.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=self.title, back_url=self.get_success_url())
        return context


class RecommendationFormView(PlanFormView):
    form_class = forms.RecommendationForm

    def get_recommendation(self) -> Recommendation | None:
        if "recommendation_pk" not in self.kwargs:
            return None
        return get_object_or_404(self.review.recommendations, pk=self.kwargs["recommendation_pk"])

    def versioned(self):
        return self.get_recommendation()

    def get_initial(self):
        recommendation = self.get_recommendation()
        if recommendation is None:
            return {"scope": "local"}
        return {
            "text": recommendation.text,
            "scope": recommendation.scope,
            "lead_agency": recommendation.lead_agency,
            "themes": list(recommendation.themes.all()),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        recommendation = self.get_recommendation()
        context["title"] = str(recommendation) if recommendation else "Add a recommendation"
        return context

    def perform(self, form):
        recommendation = services.recommendation_save(
            review=self.review,
            by=self.request.user,
            data=form.cleaned_data,
            recommendation=self.get_recommendation(),
        )
        return f"{recommendation} saved"


class ActionFormView(PlanFormView):
    form_class = forms.ActionForm

    def get_recommendation(self) -> Recommendation:
        return get_object_or_404(self.review.recommendations, pk=self.kwargs["recommendation_pk"])

    def get_action(self) -> Action | None:
        if "action_pk" not in self.kwargs:
            return None
        return get_object_or_404(
            Action, recommendation=self.get_recommendation(), pk=self.kwargs["action_pk"]
        )

    def versioned(self):
        return self.get_action()

    def get_initial(self):
        action = self.get_action()
        if action is None:
            return {"owner_agency": self.get_recommendation().lead_agency}
        return {name: getattr(action, name) for name in services.ACTION_FIELDS}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        recommendation = self.get_recommendation()
        context["title"] = "Change the action" if self.get_action() else "Add an action"
        context["intro"] = f"{recommendation}: {recommendation.text}"
        return context

    def perform(self, form):
        action = services.action_save(
            recommendation=self.get_recommendation(),
            by=self.request.user,
            data=form.cleaned_data,
            action=self.get_action(),
        )
        return f"Action for {action.owner_agency} saved"


class YourActionsView(LoginRequiredMixin, TemplateView):
    """An agency contact's actions across every review and partnership their agency serves."""

    template_name = "recommendations/your_actions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, today, asked = self.request.user, timezone.localdate(), self.request.GET
        context.update(
            requested=selectors.requested_of_me(user=user),
            open=selectors.agency_actions(
                user=user, today=today, open_ones=True, page=asked.get("open")
            ),
            closed=selectors.agency_actions(
                user=user, today=today, open_ones=False, page=asked.get("closed")
            ),
            is_agency_contact=bool(agency_ids(user)),
        )
        return context


class ActionMixin(LoginRequiredMixin):
    """Loads the action once per request, through the user's scope."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.action = selectors.action_get(user=request.user, pk=kwargs["action_pk"])
        self.review = self.action.recommendation.review
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(action=self.action, review=self.review)
        return context


class ActionDetailView(ActionMixin, TemplateView):
    template_name = "recommendations/action.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            updates=self.action.updates.select_related("author", "reviewed_by").prefetch_related(
                "evidence"
            ),
            may_update=self._may_update(),
            may_review=may_record(user, self.review.partnership_id),
            sees_plan=selectors.sees_plan(user=user, review=self.review),
            history=selectors.action_history(self.action),
            today=timezone.localdate(),
        )
        return context

    def _may_update(self) -> bool:
        try:
            workflow.guard_update_submit(self.action, self.request.user)
        except workflow.TransitionError:
            return False
        return True


class ActionUpdateView(CheckedFormMixin, ServiceFormMixin, ActionMixin, FormView):
    form_class = forms.ActionUpdateForm
    template_name = "recommendations/update_form.html"

    def check_access(self):
        try:
            workflow.guard_update_submit(self.action, self.request.user)
        except workflow.TransitionError as error:
            raise PermissionDenied(str(error)) from error

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title="Send an update",
            back_url=reverse("recommendations:action", args=[self.action.pk]),
        )
        return context

    def get_success_url(self):
        return reverse("recommendations:action", args=[self.action.pk])

    def perform(self, form):
        data = form.cleaned_data
        services.action_update_submit(
            action=self.action,
            by=self.request.user,
            new_status=data["new_status"],
            narrative=data["narrative"],
            not_applicable_reason=data["not_applicable_reason"],
            files=data["evidence"],
        )
        return "Update sent: the coordinator will review it"


class UpdateReviewView(ServiceFormMixin, LoginRequiredMixin, FormView):
    """A coordinator accepts an update (the action takes its status) or returns it."""

    form_class = forms.UpdateReviewForm
    template_name = "recommendations/update_review.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.update = selectors.update_get(user=request.user, pk=kwargs["update_pk"])
        self.action = self.update.action
        self.review = self.action.recommendation.review
        try:
            workflow.guard_update_review(self.update, request.user)
        except workflow.TransitionError as error:
            raise PermissionDenied(str(error)) from error
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            update=self.update,
            action=self.action,
            review=self.review,
            title="Accept or return the update",
            back_url=reverse("recommendations:plan", args=[self.review.pk]),
        )
        return context

    def get_success_url(self):
        return reverse("recommendations:plan", args=[self.review.pk])

    def perform(self, form):
        if form.cleaned_data["accept"]:
            services.action_update_accept(update=self.update, by=self.request.user)
            return "Update accepted: the action plan shows it"
        services.action_update_return(
            update=self.update, by=self.request.user, comment=form.cleaned_data["comment"]
        )
        return "Update returned to the agency"


class EvidenceDownloadView(LoginRequiredMixin, View):
    def get(self, request, *args, **kwargs):
        evidence = selectors.evidence_get(user=request.user, pk=kwargs["evidence_pk"])
        if not evidence.file:
            raise Http404("The file was removed at the end of the retention period.")
        return audited_download(
            request,
            content=evidence.file.open("rb"),
            filename=evidence.original_name,
            content_type=evidence.content_type,
            object_type="evidence",
            object_id=evidence.pk,
            detail=evidence.original_name,
            review_id=evidence.update.action.recommendation.review_id,
        )


class UpdateRequestsView(PartnershipMixin, TemplateView):
    """A partnership's requests for updates, and who has answered each."""

    template_name = "recommendations/update_requests.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partnership = self.partnership
        context.update(
            requests=selectors.update_requests(partnership=partnership),
            may_send=may_record(self.request.user, partnership.pk),
            today=timezone.localdate(),
        )
        return context


class UpdateRequestSendView(PartnershipMixin, ServiceFormMixin, FormView):
    form_class = forms.UpdateRequestForm
    template_name = "reviews/form.html"
    coordinators_only = True
    refusal = "Only a coordinator can ask agencies for updates."

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "agencies": services.agencies_with_open_actions(self.partnership),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title="Ask agencies for updates",
            intro=f"{self.partnership.name}: each agency gets an email listing its open "
            "actions, and the request shows who has answered. Unanswered requests are chased "
            "each morning.",
            back_url=reverse("recommendations:update_requests", args=[self.partnership.slug]),
        )
        return context

    def get_success_url(self):
        return reverse("recommendations:update_requests", args=[self.partnership.slug])

    def perform(self, form):
        data = form.cleaned_data
        request = services.update_request_send(
            partnership=self.partnership,
            by=self.request.user,
            due_on=data["due_on"],
            agencies=data["agencies"],
            message=data["message"],
        )
        count = request.agencies.count()
        return f"Request sent to {count} {'agency' if count == 1 else 'agencies'}"


class EscalationsView(PartnershipMixin, TemplateView):
    """A partnership's escalations: awaiting the chair, awaiting an outcome, and closed."""

    template_name = "recommendations/escalations.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partnership = self.partnership
        rows = list(selectors.escalations(partnership=partnership))
        context.update(
            proposed=[e for e in rows if e.status == Escalation.Status.PROPOSED],
            approved=[e for e in rows if e.status == Escalation.Status.APPROVED],
            done=[e for e in rows if e.status not in Escalation.OPEN],
            may_decide=may_decide(self.request.user, partnership.pk),
            may_record=may_record(self.request.user, partnership.pk),
        )
        return context


class EscalationFormView(ServiceFormMixin, LoginRequiredMixin, FormView):
    """A form on one escalation, for the role that may act on it in its current state."""

    template_name = "recommendations/escalation_form.html"
    allowed_in = ()
    role_check = staticmethod(may_record)
    refused = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.escalation = selectors.escalation_get(user=request.user, pk=kwargs["escalation_pk"])
        if not self.role_check(request.user, self.escalation.partnership_id):
            raise PermissionDenied(self.refused)
        if self.escalation.status not in self.allowed_in:
            raise PermissionDenied(
                f"This escalation is {self.escalation.get_status_display().lower()}."
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            escalation=self.escalation,
            title=self.title,
            back_url=reverse(
                "recommendations:escalations", args=[self.escalation.partnership.slug]
            ),
        )
        return context

    def get_success_url(self):
        return reverse("recommendations:escalations", args=[self.escalation.partnership.slug])


class EscalationDecideView(EscalationFormView):
    form_class = forms.EscalationDecisionForm
    allowed_in = (Escalation.Status.PROPOSED,)
    role_check = staticmethod(may_decide)
    refused = "Only a chair can approve or decline an escalation."
    title = "Approve or decline the escalation"

    def get_initial(self):
        return {"send_to": self.escalation.agency.chief_executive_email}

    def perform(self, form):
        data = form.cleaned_data
        escalation = services.escalation_decide(
            escalation=self.escalation,
            by=self.request.user,
            approve=data["approve"],
            comment=data["comment"],
            send_to=data["send_to"],
        )
        if escalation.status == Escalation.Status.APPROVED:
            return f"Escalation approved: the letter was sent to {escalation.letter_sent_to}"
        return "Escalation declined"


class EscalationOutcomeView(EscalationFormView):
    form_class = forms.EscalationOutcomeForm
    allowed_in = (Escalation.Status.APPROVED,)
    refused = "Only a coordinator can record the outcome."
    title = "Record what came of the escalation"

    def get_initial(self):
        return {"on": timezone.localdate()}

    def perform(self, form):
        data = form.cleaned_data
        services.escalation_record_outcome(
            escalation=self.escalation,
            by=self.request.user,
            outcome=data["outcome"],
            notes=data["notes"],
            on=data["on"],
        )
        return "Outcome recorded: the escalation is closed"


class EscalationRaiseView(CheckedFormMixin, ServiceFormMixin, ActionMixin, FormView):
    """A coordinator proposes an escalation of an action to the chair."""

    form_class = forms.EscalationRaiseForm
    template_name = "reviews/form.html"

    def check_access(self):
        if not may_record(self.request.user, self.review.partnership_id):
            raise PermissionDenied("Only a coordinator can propose an escalation.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=f"Escalate to the chief executive of {self.action.owner_agency}",
            intro="A chair of the partnership approves it before the letter is written.",
            back_url=reverse("recommendations:action", args=[self.action.pk]),
        )
        return context

    def get_success_url(self):
        return reverse("recommendations:action", args=[self.action.pk])

    def perform(self, form):
        services.escalation_raise(
            by=self.request.user, reason=form.cleaned_data["reason"], action=self.action
        )
        return "Escalation proposed: the chair has been asked"


class EscalationLetterView(LoginRequiredMixin, View):
    def get(self, request, *args, **kwargs):
        escalation = selectors.escalation_get(user=request.user, pk=kwargs["escalation_pk"])
        if not escalation.letter:
            raise Http404
        return audited_download(
            request,
            content=escalation.letter.open("rb"),
            filename=f"escalation-letter-{escalation.pk}-OFFICIAL-SENSITIVE.pdf",
            content_type="application/pdf",
            object_type="escalation_letter",
            object_id=escalation.pk,
            detail=f"Letter to {escalation.agency}",
            review_id=escalation.action.recommendation.review_id if escalation.action_id else None,
        )


# --- the tracker report, its analytics, and importing a tracker


def _period_form(request) -> tuple[forms.PeriodForm, tracker.Period]:
    """The period asked for in the address (all time when none, or when it is not valid)."""
    asked = any(name.startswith(("start", "end")) for name in request.GET)
    form = forms.PeriodForm(request.GET if asked else None)
    if asked and form.is_valid():
        return form, tracker.Period(form.cleaned_data["start"], form.cleaned_data["end"])
    return form, tracker.Period()


class TrackerView(PartnershipMixin, TemplateView):
    template_name = "recommendations/tracker.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, period = _period_form(self.request)
        today = timezone.localdate()
        report = tracker.tracker_report(self.partnership, today=today, period=period)
        sections = tracker.sections(report)
        context.update(
            as_of=today,
            form=form,
            period=period,
            report=report,
            sections=[(s, exports.tracker_chart(s)) for s in sections],
            query=self.request.GET.urlencode(),
            may_import=may_record(self.request.user, self.partnership.pk),
        )
        return context


IMPORT_REFUSAL = "Only a coordinator can import a tracker."
TRACKER_TYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class TrackerExportView(PartnershipMixin, View):
    def get(self, request, *args, **kwargs):
        fmt = kwargs["fmt"]
        if fmt not in TRACKER_TYPES:
            raise Http404
        _, period = _period_form(request)
        report = tracker.tracker_report(self.partnership, today=timezone.localdate(), period=period)
        content = getattr(exports, f"tracker_{fmt}")(report, tracker.sections(report), period)
        return audited_download(
            request,
            content=content,
            filename=f"tracker-report-{self.partnership.slug}-OFFICIAL-SENSITIVE.{fmt}",
            content_type=TRACKER_TYPES[fmt],
            object_type="tracker_report",
            object_id=self.partnership.pk,
            detail=f"{self.partnership.name}: tracker report ({fmt}, {period})",
        )


class TrackerAnalyticsView(PartnershipMixin, TemplateView):
    template_name = "recommendations/tracker_analytics.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["analytics"] = analytics.analytics(self.partnership, today=timezone.localdate())
        return context


class TrackerTemplateView(PartnershipMixin, View):
    """An empty tracker with its columns and an example row, to fill in."""

    def get(self, request, *args, **kwargs):
        fmt = kwargs["fmt"]
        if fmt not in ("csv", "xlsx"):
            raise Http404
        content = tracker_import.template_file(fmt)
        response = HttpResponse(content, content_type=TRACKER_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="tracker-template.{fmt}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


class TrackerImportView(PartnershipMixin, FormView):
    coordinators_only = True
    refusal = IMPORT_REFUSAL
    form_class = forms.TrackerUploadForm
    template_name = "recommendations/tracker_import.html"

    def form_valid(self, form):
        try:
            job = services.tracker_import_read(
                partnership=self.partnership, upload=form.cleaned_data["file"], by=self.request.user
            )
        except ValidationError as error:
            for text in error.messages:
                form.add_error("file", text)
            return self.form_invalid(form)
        return redirect(
            reverse("recommendations:tracker_import_job", args=[self.partnership.slug, job.pk])
        )

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "columns": tracker_import.COLUMN_NOTES,
            "imports": self.partnership.tracker_imports.select_related("uploaded_by")[:10],
        }


class TrackerImportJobView(PartnershipMixin, ServiceFormMixin, FormView):
    """A checked import: its problems, what it would do, and the confirmation; once confirmed,
    how far it has got and what it did."""

    coordinators_only = True
    refusal = IMPORT_REFUSAL
    form_class = forms.TrackerConfirmForm
    template_name = "recommendations/tracker_import_job.html"

    @cached_property
    def job(self):
        return get_object_or_404(
            self.partnership.tracker_imports.select_related("uploaded_by", "confirmed_by"),
            pk=self.kwargs["import_pk"],
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "job": self.job}

    def get_context_data(self, **kwargs):
        job = self.job
        return {
            **super().get_context_data(**kwargs),
            "job": job,
            "planned": job.result.get("planned", {}),
            "written": job.result.get("written"),
            # Each new agency, with the known agency it may be a misspelling of.
            "new_agencies": [
                (name, job.result.get("suggestions", {}).get(name)) for name in job.new_agencies
            ],
            "new_themes": job.result.get("new_themes", []),
            "new_reviews": job.result.get("new_reviews", []),
        }

    def perform(self, form):
        services.tracker_import_confirm(
            job=self.job,
            by=self.request.user,
            good_rows_only=form.cleaned_data.get("good_rows_only", False),
            agencies_confirmed=form.cleaned_data.get("agencies_confirmed", False),
        )
        return "The import has started"

    def get_success_url(self):
        return reverse(
            "recommendations:tracker_import_job", args=[self.partnership.slug, self.job.pk]
        )


class TrackerImportStatusView(PartnershipMixin, View):
    """How far a confirmed import has got, for its page to show while it waits."""

    coordinators_only = True
    refusal = IMPORT_REFUSAL

    def get(self, request, *args, **kwargs):
        job = get_object_or_404(self.partnership.tracker_imports, pk=kwargs["import_pk"])
        return JsonResponse(
            {
                "state": job.state,
                "label": job.get_state_display(),
                "progress": job.progress,
                "step": job.get_state_display(),
                "finished": job.is_finished,
            }
        )
