"""Escalating an agency's overdue actions on a review to its chief executive: proposed by a
coordinator (or the daily chase), decided by a chair, its outcome recorded."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView, View

from dhr.downloads import audited_download
from dhr.errors import guarded
from dhr.pages import GuardedView, PartnershipMixin, ServiceFormMixin
from dhr.permissions import may_decide, may_record
from recommendations import forms, selectors, services, workflow
from recommendations.views.actions import ActionMixin


class EscalationsView(PartnershipMixin, TemplateView):
    """A partnership's escalations: awaiting the chair, awaiting an outcome, and closed."""

    template_name = "recommendations/escalations.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partnership = self.partnership
        rows = selectors.escalations(partnership=partnership, today=timezone.localdate())
        context.update(
            proposed=[e for e in rows if workflow.ESCALATIONS.allows(e, "approve")],
            approved=[e for e in rows if workflow.ESCALATIONS.allows(e, "record_outcome")],
            done=[e for e in rows if e.status not in workflow.ESCALATIONS.open_states()],
            may_decide=may_decide(self.request.user, partnership.pk),
            may_record=may_record(self.request.user, partnership.pk),
        )
        return context


class EscalationFormView(ServiceFormMixin, GuardedView, FormView):
    """A form on one escalation, for the role that may act on it in its current state."""

    template_name = "recommendations/escalation_form.html"
    guard = None  # the escalation's guard for this form: role and state

    def load(self):
        super().load()
        self.escalation = selectors.escalation_get(
            user=self.request.user, pk=self.kwargs["escalation_pk"], today=timezone.localdate()
        )

    def check_access(self):
        super().check_access()
        guarded(self.guard, self.escalation, self.request.user)

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
    guard = staticmethod(workflow.guard_escalation_decide)
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
        self.letter_job = escalation.letter_job
        if data["approve"]:
            return (
                f"Escalation approved: the letter to {escalation.letter_sent_to} is being "
                "written, and is sent as soon as it is ready"
            )
        return "Escalation declined"

    def get_success_url(self):
        """After an approval, the letter's page: the chair watches it being written."""
        job = getattr(self, "letter_job", None)
        return job.get_absolute_url() if job else super().get_success_url()


class EscalationOutcomeView(EscalationFormView):
    form_class = forms.EscalationOutcomeForm
    guard = staticmethod(workflow.guard_escalation_outcome)
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


class EscalationRaiseView(ServiceFormMixin, ActionMixin, FormView):
    """A coordinator proposes an escalation of an action to the chair, with the owning agency's
    other overdue actions on the review (offered, ticked): one letter for them all. An
    escalation of the agency on the review still awaiting the chair takes them instead."""

    form_class = forms.EscalationRaiseForm
    template_name = "recommendations/escalation_raise.html"

    def check_access(self):
        super().check_access()
        if not may_record(self.request.user, self.review.partnership_id):
            raise PermissionDenied("Only a coordinator can propose an escalation.")

    @cached_property
    def today(self):
        return timezone.localdate()

    @cached_property
    def gathering(self):
        return selectors.escalation_gathering(
            review=self.review, agency=self.action.owner_agency, today=self.today
        )

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "candidates": selectors.escalation_candidates(action=self.action, today=self.today),
            "today": self.today,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=f"Escalate to the chief executive of {self.action.owner_agency}",
            gathering=self.gathering,
            overdue_days=selectors.overdue_days(self.action, self.today),
            back_url=reverse("recommendations:action", args=[self.action.pk]),
        )
        return context

    def get_success_url(self):
        return reverse("recommendations:action", args=[self.action.pk])

    def perform(self, form):
        gathering = self.gathering  # read before the service writes
        escalation = services.escalation_raise(
            by=self.request.user,
            reason=form.cleaned_data["reason"],
            action=self.action,
            also=form.cleaned_data.get("also", []),
        )
        count = escalation.covered.count()
        actions = f"{count} action{'s' if count != 1 else ''}"
        if gathering is not None and escalation.pk == gathering.pk:
            return (
                f"Added to the escalation already awaiting the CSP chair: it now covers {actions}"
            )
        return f"Escalation of {actions} proposed: the CSP chair has been asked to approve it"


class EscalationLetterView(GuardedView, View):
    def get(self, request, *args, **kwargs):
        escalation = selectors.escalation_get(
            user=request.user, pk=kwargs["escalation_pk"], today=timezone.localdate()
        )
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
            review_id=escalation.review_id,
        )
