"""A review's parallel proceedings (a criminal trial, an inquest, an IOPC investigation...) and
what each does to the report's clock: nothing, unless a CSP chair agrees a pause or approves an
extension asked for because of it (docs/decisions/0013)."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from dhr.errors import allowed, guarded
from dhr.models import Role
from dhr.permissions import may_decide
from reviews import forms, selectors, services, workflow
from reviews.models import (
    Extension,
    ParallelProceeding,
)
from reviews.pages import ReviewFormView, ReviewMixin


class ProceedingsView(ReviewMixin, TemplateView):
    template_name = "reviews/proceedings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            proceedings=selectors.review_proceedings(self.review),
            may_edit=allowed(workflow.guard_edit, self.review, "proceedings", user),
            may_decide=may_decide(user, self.review.partnership_id),
            may_request_extension=allowed(workflow.guard_edit, self.review, "extensions", user),
            report_clock=selectors.review_report_clock(self.review, timezone.localdate()),
        )
        return context


class ProceedingFormView(ReviewFormView):
    """Record a proceeding and what the partnership agreed about the report's timescale because
    of it (decision 0013): an extension goes on to the extension's form, prefilled."""

    form_class = forms.ProceedingForm
    stage = "proceedings"
    template_name = "reviews/proceeding_form.html"

    def get_proceeding(self):
        if "proceeding_pk" not in self.kwargs:
            return None
        if not hasattr(self, "_proceeding"):
            self._proceeding = get_object_or_404(
                ParallelProceeding, review=self.review, pk=self.kwargs["proceeding_pk"]
            )
        return self._proceeding

    def get_initial(self):
        proceeding = self.get_proceeding()
        if proceeding is None:
            return {}
        return {n: getattr(proceeding, n) for n in (*services.PROCEEDING_FIELDS, "effect")}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        proceeding = self.get_proceeding()
        if proceeding is not None and proceeding.pauses_review:
            form.fields["effect"].disabled = True
            form.fields[
                "effect"
            ].help_text = "A chair agreed to pause the clock while this runs: that stays."
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proceeding = self.get_proceeding()
        context.update(
            title="Add a parallel proceeding" if proceeding is None else "Parallel proceeding",
            proceeding=proceeding,
            back_url=reverse("reviews:proceedings", args=[self.review.pk]),
        )
        return context

    def get_success_url(self):
        saved = getattr(self, "_saved", None)
        if saved is not None and self._asks_extension(saved):
            url = reverse("reviews:extension_add", args=[self.review.pk])
            return f"{url}?proceeding={saved.pk}"
        return reverse("reviews:proceedings", args=[self.review.pk])

    def _asks_extension(self, proceeding) -> bool:
        """An extension chosen and none asked for from it yet, nor awaiting a chair."""
        return (
            proceeding.effect == ParallelProceeding.Effect.EXTENSION
            and not proceeding.extensions.exists()
            and not selectors.review_extensions(self.review)
            .filter(status=Extension.Status.REQUESTED)
            .exists()
        )

    def perform(self, form):
        self._saved = services.proceeding_save(
            review=self.review,
            by=self.request.user,
            data=form.cleaned_data,
            proceeding=self.get_proceeding(),
            on=timezone.localdate(),
        )
        if self._saved.pause_awaiting_chair:
            return "Parallel proceeding saved: the pause has been put to the CSP chair"
        if self._asks_extension(self._saved):
            return "Parallel proceeding saved: now ask the chair for the extension"
        return "Parallel proceeding saved"


class PauseDecideView(ReviewFormView):
    """A chair agrees or refuses a pause of the report's clock while a proceeding runs."""

    form_class = forms.PauseDecisionForm
    role = Role.CHAIR
    template_name = "reviews/pause_decide.html"
    title = "Agree a pause of the clock"

    def get_proceeding(self):
        if not hasattr(self, "_proceeding"):
            self._proceeding = get_object_or_404(
                ParallelProceeding, review=self.review, pk=self.kwargs["proceeding_pk"]
            )
        return self._proceeding

    def check_submit(self):
        super().check_submit()
        guarded(workflow.guard_pause_decide, self.get_proceeding(), self.review, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            proceeding=self.get_proceeding(),
            report_clock=selectors.review_report_clock(self.review, timezone.localdate()),
        )
        return context

    def get_success_url(self):
        return reverse("reviews:proceedings", args=[self.review.pk])

    def perform(self, form):
        proceeding = services.proceeding_pause_decide(
            proceeding=self.get_proceeding(),
            by=self.request.user,
            agree=form.cleaned_data["agree"],
            decided_on=timezone.localdate(),
            comment=form.cleaned_data["comment"],
        )
        return f"Pause of the clock {proceeding.get_pause_status_display().lower()}"
