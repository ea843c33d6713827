"""An agency's actions: "Your actions", one action's page, sending an update and its evidence."""

from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from dhr.downloads import stored_file_download
from dhr.errors import allowed, guarded
from dhr.pages import GuardedView, ServiceFormMixin
from dhr.permissions import agency_ids, may_decide, may_record
from recommendations import (
    forms,
    selectors,
    services,
    workflow,
)
from recommendations.deadlines import action_deadline
from recommendations.models import Escalation


class YourActionsView(GuardedView, TemplateView):
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


class ActionMixin(GuardedView):
    """Loads the action once per request, through the user's scope (404 outside it)."""

    def load(self):
        super().load()
        self.action = selectors.action_get(user=self.request.user, pk=self.kwargs["action_pk"])
        self.review = self.action.recommendation.review

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(action=self.action, review=self.review)
        return context


class ActionDetailView(ActionMixin, TemplateView):
    template_name = "recommendations/action.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        may_review = may_record(user, self.review.partnership_id)
        # Its escalations, for those who manage them (an agency's contacts are not told).
        escalations = (
            list(selectors.action_escalations(self.action))
            if may_decide(user, self.review.partnership_id) or may_review
            else []
        )
        context.update(
            updates=self.action.updates.select_related("author", "reviewed_by").prefetch_related(
                "evidence"
            ),
            may_update=allowed(workflow.guard_update_submit, self.action, user),
            may_review=may_review,
            escalations=escalations,
            may_escalate=may_review
            and self.action.is_open
            and not any(e.status in Escalation.OPEN for e in escalations),
            sees_plan=selectors.sees_plan(user=user, review=self.review),
            history=selectors.action_history(self.action),
            deadline=action_deadline(self.action, timezone.localdate()),
            today=timezone.localdate(),
        )
        return context


class ActionUpdateView(ServiceFormMixin, ActionMixin, FormView):
    form_class = forms.ActionUpdateForm
    template_name = "recommendations/update_form.html"

    def check_access(self):
        super().check_access()
        guarded(workflow.guard_update_submit, self.action, self.request.user)

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


class EvidenceDownloadView(GuardedView, View):
    def get(self, request, *args, **kwargs):
        evidence = selectors.evidence_get(user=request.user, pk=kwargs["evidence_pk"])
        return stored_file_download(
            request,
            evidence,
            object_type="evidence",
            object_id=evidence.pk,
            detail=evidence.original_name,
            review_id=evidence.update.action.recommendation.review_id,
        )
