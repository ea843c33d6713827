"""The publication checklist on the QA tab: each step ticked with when it was done."""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from dhr.errors import guarded
from qa_feedback import services, workflow
from qa_feedback.forms import (
    StepForm,
)
from qa_feedback.models import ChecklistItem
from reviews.pages import ReviewFormView


class StepView(ReviewFormView):
    """Tick one publication step with when it was done (or take the tick back)."""

    form_class = StepForm
    template_name = "qa_feedback/step.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["item"] not in ChecklistItem.values:
            raise Http404
        self.item = ChecklistItem(kwargs["item"])
        self.title = self.item.label
        return super().dispatch(request, *args, **kwargs)

    def check_submit(self):
        guarded(workflow.guard_checklist, self.review, self.request.user)

    def get_initial(self):
        step = self.review.publication_steps.filter(item=self.item).first()
        if step:
            return {"done_on": step.done_on, "note": step.note}
        return {"done_on": timezone.localdate()}

    def post(self, request, *args, **kwargs):
        if "undo" in request.POST:
            guarded(services.step_untick, review=self.review, by=request.user, item=self.item)
            return redirect(self.get_success_url())
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["step"] = (
            self.review.publication_steps.filter(item=self.item).select_related("done_by").first()
        )
        return context

    def perform(self, form):
        services.step_tick(
            review=self.review,
            by=self.request.user,
            item=self.item,
            done_on=form.cleaned_data["done_on"],
            note=form.cleaned_data["note"],
        )
        return f"Done: {self.item.label}"

    def get_success_url(self):
        return reverse("qa_feedback:review", args=[self.review.pk]) + "#publication"
