"""Files made by a worker, not in the request that asks for them: the request queues a
`FileJob` and sends the person to its page, which shows how far it has got and then the
download. Each app's task makes its file with `file_job_run(job_id, make)`.

A job's states are the same for every job the service runs (the publishable PDF too):
`job_table(State)` is their table.
"""

import logging
from collections.abc import Callable
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from dhr.models import FileJob
from dhr.queue import enqueue
from dhr.states import Move, StateTable

logger = logging.getLogger(__name__)

KEEP_FOR = timedelta(days=1)
NOT_QUEUED = (
    "The file could not be started (the job queue is not answering). Try again in a few minutes."
)
FAILED = "The file could not be made. Try again; if it fails again, tell your administrator."


def job_table(State) -> StateTable:
    """Queued, made by a worker (again, when the worker died while making it), then ready or
    failed; a finished job is left as it is."""
    finished = "This is already {state}."
    return StateTable(
        "state",
        [
            Move("start", frozenset({State.QUEUED, State.RUNNING}), State.RUNNING, finished),
            Move("finish", frozenset({State.RUNNING}), State.DONE, finished),
            Move("fail", frozenset({State.QUEUED, State.RUNNING}), State.FAILED, finished),
        ],
    )


JOBS = job_table(FileJob.State)


def made(record) -> bool:
    """A job (a FileJob, a bundle) finished with its file, which is still kept (the retention
    run may have removed it)."""
    return record.state == record.State.DONE and bool(record.file)


def file_job_request(
    *,
    by,
    task: str,
    title: str,
    filename: str,
    content_type: str,
    back_url: str,
    audit: tuple[str, object, str],
    review_id: int | None = None,
    params: dict | None = None,
) -> FileJob:
    """Queue a file for `by`, made by the Celery task named `task` (given the job's id) once
    this commits. `audit` is (object type, object id, detail) for the download's audit record.
    When the queue cannot be reached the job says so at once."""
    object_type, object_id, detail = audit
    job = FileJob.objects.create(
        requested_by=by,
        task=task,
        title=title,
        filename=filename,
        content_type=content_type,
        back_url=back_url,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail[:300],
        review_id=review_id,
        params=params or {},
        step="Waiting to start",
    )

    def queue():
        if not enqueue(task, job.pk):
            FileJob.objects.filter(pk=job.pk, state__in=JOBS.moves["fail"].sources).update(
                state=FileJob.State.FAILED,
                message=NOT_QUEUED,
                step="Not made",
                finished_at=timezone.now(),
            )

    transaction.on_commit(queue)
    return job


Progress = Callable[[int, str], None]


def file_job_run(job_id: int, make: Callable[[FileJob, Progress], bytes]) -> FileJob:
    """Make a queued job's file with `make(job, progress)`, which returns the file's bytes and
    may report `progress(percent, step)`. A finished job is left as it is, so a task delivered
    twice does nothing the second time; one left running by a worker that died is made again.
    Any error fails the job with a message for the person (the error itself is logged)."""
    with transaction.atomic():
        job = FileJob.objects.select_for_update().get(pk=job_id)
        if not JOBS.allows(job, "start"):
            return job
        JOBS.move(job, "start")
        job.started_at = timezone.now()
        job.progress, job.step, job.message = 0, "Starting", ""
        job.save()

    def progress(percent: int, step: str) -> None:
        FileJob.objects.filter(pk=job_id).update(progress=percent, step=step)

    try:
        content = make(job, progress)
    except Exception:
        logger.exception("File job %s (%s) failed", job_id, job.task)
        return _finish(job, failed=FAILED)
    job.file.save(job.filename, ContentFile(content), save=False)
    return _finish(job)


def _finish(job: FileJob, *, failed: str = "") -> FileJob:
    with transaction.atomic():
        JOBS.move(job, "fail" if failed else "finish")
        job.message = failed
        job.progress = 100
        job.step = "Not made" if failed else "Ready"
        job.finished_at = timezone.now()
        job.save()
    return job


def file_jobs_expire(*, now=None) -> int:
    """Remove the files made more than a day ago (and their jobs): they were made for one
    download, and may hold confidential values. Returns how many were removed."""
    now = now or timezone.now()
    old = FileJob.objects.filter(requested_at__lt=now - KEEP_FOR)
    count = 0
    for job in old:
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count
