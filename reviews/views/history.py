"""The review's history tab: its changes, who read what (the audit), and the whole record."""

from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView, View

from dhr.jobs import file_job_request
from reviews import selectors
from reviews.history import review_history
from reviews.pages import ConfidentialMixin, LeadsMixin, ReviewMixin


class ReviewHistoryView(ConfidentialMixin, ReviewMixin, TemplateView):
    template_name = "reviews/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            entries=review_history(self.review, show_confidential=context["show_confidential"]),
            active_tab="history",
        )
        return context


class ReviewAuditView(LeadsMixin, TemplateView):
    """Who read what of the review, for its coordinators and chairs: every view of its
    confidential fields and every download of its files, newest first; its changes are on the
    History tab."""

    template_name = "reviews/audit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        events = selectors.audit_events(review=self.review)
        page = Paginator(events, 50).get_page(self.request.GET.get("page"))
        context.update(page=page, events=page.object_list, active_tab="history")
        return context


class ReviewExportView(LeadsMixin, View):
    """The review's whole record as a zip, for an information request (`reviews.records`):
    its coordinators and chairs ask for it, the worker makes it (it holds every file), and it
    is downloaded from its own page, audited like any download."""

    def post(self, request, *args, **kwargs):
        review = self.review
        job = file_job_request(
            by=request.user,
            task="reviews.tasks.make_record_zip",
            title=f"The whole record of {review.public_title}",
            filename=f"{review.reference}-whole-record-OFFICIAL-SENSITIVE.zip",
            content_type="application/zip",
            back_url=reverse("reviews:history", args=[review.pk]),
            audit=("review_record", review.pk, f"{review.reference}: the whole record (zip)"),
            review_id=review.pk,
            params={"review": review.pk},
        )
        return redirect(job)
