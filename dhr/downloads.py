"""Every file the service hands out: recorded in the audit log (who, when, what), sent as an
attachment under the name given, and never sniffed into something the browser would run."""

from django.http import FileResponse, Http404, HttpResponse

from dhr.models import AuditEvent


def audited_download(
    request,
    *,
    content,
    filename: str,
    content_type: str,
    object_type: str,
    object_id,
    detail,
    review_id: int | None = None,
):
    """`content` is an open file (streamed) or bytes/str (generated for this download);
    `review_id` the review the file belongs to, if it belongs to one (its audit page)."""
    AuditEvent.objects.create(
        user=request.user,
        kind=AuditEvent.Kind.DOCUMENT_DOWNLOADED,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail,
        review_id=review_id,
    )
    if isinstance(content, bytes | str):
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response = FileResponse(
            content, as_attachment=True, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def stored_file_download(
    request, stored, *, object_type: str, object_id, detail: str, review_id: int | None
):
    """An uploaded file (a `StoredFile`) as it was sent, audited; 404 once the retention
    period has removed it."""
    if not stored.file:
        raise Http404("The file was removed at the end of the retention period.")
    return audited_download(
        request,
        content=stored.file.open("rb"),
        filename=stored.original_name,
        content_type=stored.content_type,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
        review_id=review_id,
    )
