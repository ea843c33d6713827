"""The review's files, served only here."""

from django.shortcuts import get_object_or_404
from django.views.generic import View

from dhr.downloads import stored_file_download
from reviews.models import (
    Document,
)
from reviews.pages import ReviewMixin


class DocumentDownloadView(ReviewMixin, View):
    """Documents are served only here, to users who may see the review, as attachments."""

    def get(self, request, *args, **kwargs):
        document = get_object_or_404(Document, review=self.review, pk=kwargs["document_pk"])
        return stored_file_download(
            request,
            document,
            object_type="document",
            object_id=document.pk,
            detail=f"{self.review.reference}: {document.original_name}",
            review_id=self.review.pk,
        )
