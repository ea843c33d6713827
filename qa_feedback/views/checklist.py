"""The publication checklist on the QA tab: each of the partnership's steps ticked with when it
was done. The steps the service checks itself, and the Home Office's, are not ticked here."""

import re

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from dhr.errors import guarded
from qa_feedback import checklist, services, workflow
from qa_feedback.forms import StepForm
from reviews.pages import ReviewFormView

KEY = re.compile(r"^(?:[a-z_]+|own-\d+)$")


class StepView(ReviewFormView):
    """Tick one publication step with when it was done (or take the tick back)."""

    form_class = StepForm
    template_name = "qa_feedback/step.html"

    def dispatch(self, request, *args, **kwargs):
        if not KEY.match(kwargs["item"]):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def load(self):
        super().load()
        self.row = checklist.row_of(self.review, self.kwargs["item"])
        if self.row is None or not self.row.tickable:
            raise Http404  # not a step of this review's to tick
        self.item = self.row.key
        self.title = self.row.label

    def check_submit(self):
        guarded(workflow.guard_checklist, self.review, self.request.user)

    def get_initial(self):
        if self.row.step:
            return {"done_on": self.row.step.done_on, "note": self.row.step.note}
        return {"done_on": timezone.localdate()}

    def post(self, request, *args, **kwargs):
        if "undo" in request.POST:
            guarded(services.step_untick, review=self.review, by=request.user, item=self.item)
            return redirect(self.get_success_url())
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "step": self.row.step}

    def perform(self, form):
        services.step_tick(
            review=self.review,
            by=self.request.user,
            item=self.item,
            done_on=form.cleaned_data["done_on"],
            note=form.cleaned_data["note"],
        )
        return f"Done: {self.row.label}"

    def get_success_url(self):
        return reverse("qa_feedback:review", args=[self.review.pk]) + "#publication"
