"""A partnership's own publication steps: its coordinators add, reword and remove them; its
chairs read them. Each applies to the reviews approved for publication after it was added."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from dhr.errors import NotAllowed
from dhr.pages import PartnershipMixin, ServiceFormMixin
from dhr.permissions import may_record
from qa_feedback import checklist, publication, selectors
from qa_feedback.forms import OwnStepForm
from qa_feedback.models import ChecklistItem


class OwnStepsView(PartnershipMixin, ServiceFormMixin, FormView):
    """The partnership's own steps, and a form to add one (coordinators)."""

    form_class = OwnStepForm
    template_name = "qa_feedback/own_steps.html"
    refusal = "Only a coordinator can change the partnership's publication steps."

    def check_access(self):
        super().check_access()
        self.may_submit = may_record(self.request.user, self.partnership.pk)
        if self.request.method == "POST" and not self.may_submit:
            raise PermissionDenied(self.refusal)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            steps=selectors.own_steps_of(self.partnership),
            statutory=[ChecklistItem(item).label for item in checklist.STATUTORY],
            may_submit=self.may_submit,
            title=f"Publication steps: {self.partnership.name}",
        )
        return context

    def perform(self, form):
        publication.own_step_add(
            partnership=self.partnership, by=self.request.user, text=form.cleaned_data["text"]
        )
        return f"Step added: {form.cleaned_data['text']}"

    def get_success_url(self):
        return reverse("qa_feedback:own_steps", args=[self.partnership.slug])


class _OwnStepMixin(PartnershipMixin):
    coordinators_only = True
    refusal = OwnStepsView.refusal

    def load(self):
        super().load()
        self.step = selectors.own_step_get(partnership=self.partnership, pk=self.kwargs["step_pk"])

    def get_success_url(self):
        return reverse("qa_feedback:own_steps", args=[self.partnership.slug])


class OwnStepEditView(_OwnStepMixin, ServiceFormMixin, FormView):
    """Reword one of the partnership's steps."""

    form_class = OwnStepForm
    template_name = "qa_feedback/own_step.html"

    def versioned(self):
        return self.step

    def get_initial(self):
        return {"text": self.step.text}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "step": self.step,
            "title": "Change a publication step",
        }

    def perform(self, form):
        publication.own_step_edit(
            step=self.step, by=self.request.user, text=form.cleaned_data["text"]
        )
        return "Step changed"


class OwnStepRemoveView(_OwnStepMixin, TemplateView):
    """Confirm, then remove: reviews approved from today no longer have the step."""

    template_name = "qa_feedback/own_step_remove.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "step": self.step,
            "title": "Remove a publication step",
        }

    def post(self, request, *args, **kwargs):
        try:
            publication.own_step_remove(step=self.step, by=request.user)
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        messages.success(request, f"Step removed: {self.step.text}")
        return redirect(self.get_success_url())
