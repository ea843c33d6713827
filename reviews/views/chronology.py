"""The multi-agency chronology: each agency's file uploaded, the rows merged and filtered,
the events two agencies both reported flagged, and the whole downloaded (`reviews.chronology`
reads and merges; these pages show it)."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import View

from dhr.downloads import audited_download, stored_file_download
from reviews import chronology, forms, selectors, services
from reviews.documents import XLSX
from reviews.models import ChronologyFile
from reviews.pages import ReviewFormView, ReviewMixin

ROWS_PER_PAGE = 100


class ChronologyView(ReviewFormView):
    form_class = forms.ChronologyUploadForm
    stage = "agency_reports"
    readable_by_all = True
    template_name = "reviews/chronology.html"
    title = "Multi-agency chronology"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        merged = selectors.review_chronology(self.review)
        agencies = sorted({entry.agency for entry in merged.entries}, key=str.casefold)
        filters = forms.ChronologyFilterForm(
            self.request.GET,
            agencies=agencies,
            people=chronology.people(merged.entries),
            auto_id="filter_%s",  # the upload form has an 'agency' too
        )
        chosen = filters.cleaned_data if filters.is_valid() else {}
        entries = chronology.filtered(
            merged.entries, agency=chosen.get("agency"), person=chosen.get("person")
        )
        page = Paginator(entries, ROWS_PER_PAGE).get_page(self.request.GET.get("page"))
        also = chronology.also_reported(merged.duplicates)
        context.update(
            files=merged.files,
            left_out=sum(len(kept.rows_to_correct) for kept in merged.files),
            total=len(merged.entries),
            shown=len(entries),
            duplicates=len(merged.duplicates),
            filters=filters,
            filtered=bool(chosen.get("agency") or chosen.get("person")),
            page=page,
            rows=[(entry, also.get(id(entry), "")) for entry in page.object_list],
            # The filters, kept on the pages' links.
            query=urlencode({key: value for key, value in chosen.items() if value}),
        )
        return context

    def get_success_url(self):
        return reverse("reviews:chronology", args=[self.review.pk])

    def perform(self, form):
        kept = services.chronology_upload(
            review=self.review,
            by=self.request.user,
            agency=form.cleaned_data["agency"],
            upload=form.cleaned_data["file"],
        )
        read = f"{len(kept.rows)} row{'s' if len(kept.rows) != 1 else ''} read"
        bad = kept.rows_to_correct
        if bad:
            read += f", {len(bad)} row{'s' if len(bad) != 1 else ''} to correct (listed below)"
        return f"Chronology from {kept.agency} uploaded: {read}"


class ChronologyDownloadView(ReviewMixin, View):
    """The merged chronology as a workbook, made for this download and audited."""

    def get(self, request, *args, **kwargs):
        merged = selectors.review_chronology(self.review)
        return audited_download(
            request,
            content=chronology.to_xlsx(merged.entries, duplicates=merged.duplicates),
            filename=f"{self.review.reference} multi-agency chronology.xlsx",
            content_type=XLSX,
            object_type="chronology",
            object_id=self.review.pk,
            detail=f"{self.review.reference}: the multi-agency chronology",
            review_id=self.review.pk,
        )


class ChronologyTemplateView(ReviewMixin, View):
    """The empty template an agency fills in."""

    def get(self, request, *args, **kwargs):
        return audited_download(
            request,
            content=chronology.template_file(),
            filename="Chronology template.xlsx",
            content_type=XLSX,
            object_type="chronology template",
            object_id=self.review.pk,
            detail=f"{self.review.reference}: the chronology template",
            review_id=self.review.pk,
        )


class ChronologyFileView(ReviewMixin, View):
    """An agency's file as it was sent (every version is kept), audited."""

    def get(self, request, *args, **kwargs):
        kept = get_object_or_404(ChronologyFile, review=self.review, pk=kwargs["file_pk"])
        return stored_file_download(
            request,
            kept,
            object_type="chronology file",
            object_id=kept.pk,
            detail=f"{self.review.reference}: {kept.original_name} from {kept.agency}",
            review_id=self.review.pk,
        )
