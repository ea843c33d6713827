"""Copies of the approved report: to the Domestic Abuse Commissioner (a legal duty, with its due
date) and to the senior manager of each agency that took part, each recorded with its date."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from dhr.errors import allowed, guarded
from qa_feedback import publication, selectors, workflow
from qa_feedback.deadlines import commissioner_copy_deadline
from qa_feedback.forms import CopyForm
from reviews.pages import ReviewFormView, ReviewMixin


class CopiesView(ReviewMixin, TemplateView):
    """Who has been sent the approved report, and when; the Commissioner's copy with its date."""

    template_name = "qa_feedback/copies.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review, today = self.review, timezone.localdate()
        commissioner, agencies = selectors.copies_of(review)
        due = commissioner_copy_deadline(review, today)
        context.update(
            commissioner=commissioner,
            commissioner_due=due,
            agencies=agencies,
            approved=review.approved_for_publication_on,
            may_record=allowed(workflow.guard_copies, review, self.request.user),
            copy_history=selectors.copy_history(review),
            active_tab="qa",
        )
        return context


class CopyView(ReviewFormView):
    """Record (or correct, or take back) one copy: the Commissioner's, or an agency's."""

    form_class = CopyForm
    template_name = "qa_feedback/copy.html"

    def load(self):
        super().load()
        self.agency = None
        if "agency_pk" in self.kwargs:
            self.agency = next(
                (
                    a
                    for a in selectors.participating_agencies(self.review)
                    if a.pk == self.kwargs["agency_pk"]
                ),
                None,
            )
            if self.agency is None:
                raise Http404
            self.title = f"Copy to the senior manager of {self.agency}"
        else:
            self.title = "Copy to the Domestic Abuse Commissioner"
        self.copy = self.review.report_copies.filter(agency=self.agency).first()

    def check_submit(self):
        guarded(workflow.guard_copies, self.review, self.request.user)

    def get_initial(self):
        if self.copy:
            return {
                "sent_on": self.copy.sent_on,
                "sent_to": self.copy.sent_to,
                "method": self.copy.method,
            }
        return {"sent_on": timezone.localdate()}

    def post(self, request, *args, **kwargs):
        if "undo" in request.POST:
            if self.copy is not None:
                guarded(publication.copy_remove, copy=self.copy, by=request.user)
                messages.success(request, f"Removed: {self.title}")
            return redirect(self.get_success_url())
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "copy": self.copy}

    def perform(self, form):
        publication.copy_record(
            review=self.review,
            by=self.request.user,
            agency=self.agency,
            sent_on=form.cleaned_data["sent_on"],
            method=form.cleaned_data["method"],
            sent_to=form.cleaned_data["sent_to"],
        )
        return f"Recorded: {self.title}"

    def get_success_url(self):
        return reverse("qa_feedback:copies", args=[self.review.pk])
