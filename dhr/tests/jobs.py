"""A file job for tests (`dhr.jobs`): the tracker report's PDF, asked for by `by`."""

from dhr.models import FileJob


def file_job(by, **fields) -> FileJob:
    return FileJob.objects.create(
        requested_by=by,
        title="Tracker report for Home CSP: PDF (All time)",
        task="recommendations.tasks.make_tracker_pdf",
        filename="tracker.pdf",
        content_type="application/pdf",
        back_url="/",
        object_type="tracker_report",
        object_id="1",
        detail="Home CSP: tracker report (pdf, All time)",
        **fields,
    )
