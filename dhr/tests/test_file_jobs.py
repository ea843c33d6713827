"""Files made by a worker for the person who asked (`dhr.jobs`): made once, failed with a
message a person can act on, made again after a worker died, refused at once when the queue
cannot be reached, downloaded (audited) only when made, and removed after a day."""

import os
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from dhr import jobs
from dhr.models import AuditEvent, FileJob
from dhr.tests.jobs import file_job

pytestmark = pytest.mark.django_db


def _job(people, **fields) -> FileJob:
    return file_job(people.coordinator, **fields)


def _made(job, progress):
    progress(40, "Halfway")
    assert FileJob.objects.get(pk=job.pk).step == "Halfway"
    return b"%PDF-1.7 made"


def test_a_queued_job_is_made_once(people):
    job = _job(people)
    done = jobs.file_job_run(job.pk, _made)
    assert (done.state, done.progress, done.step, done.message) == ("done", 100, "Ready", "")
    assert done.started_at
    assert done.finished_at
    with done.file.open("rb") as f:
        assert f.read() == b"%PDF-1.7 made"
    # Delivered twice: the second run leaves it as it is.
    again = jobs.file_job_run(job.pk, lambda job, progress: pytest.fail("made twice"))
    assert again.finished_at == done.finished_at


def test_a_job_left_running_by_a_dead_worker_is_made_again(people):
    job = _job(people, state=FileJob.State.RUNNING, progress=30, step="Halfway")
    assert jobs.file_job_run(job.pk, _made).state == FileJob.State.DONE


def test_a_failure_says_what_to_do_and_keeps_no_file(people, caplog):
    def broken(job, progress):
        raise RuntimeError("the fonts are missing")

    failed = jobs.file_job_run(_job(people).pk, broken)
    assert failed.state == FileJob.State.FAILED
    assert failed.message == jobs.FAILED
    assert "the fonts are missing" not in failed.message
    assert not failed.file
    assert "the fonts are missing" in caplog.text


def test_a_job_the_queue_cannot_take_fails_at_once(
    people, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(jobs, "enqueue", lambda *args, **kwargs: False)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.file_job_request(
            by=people.coordinator,
            task="reviews.tasks.make_record_zip",
            title="The whole record",
            filename="record.zip",
            content_type="application/zip",
            back_url="/reviews/1/history/",
            audit=("review_record", 1, "The whole record (zip)"),
            review_id=1,
            params={"review": 1},
        )
    job.refresh_from_db()
    assert (job.state, job.message) == (FileJob.State.FAILED, jobs.NOT_QUEUED)


def test_a_job_asked_for_is_queued_on_commit(
    people, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(jobs, "enqueue", lambda *args, **kwargs: queued.append(args) or True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = jobs.file_job_request(
            by=people.coordinator,
            task="reviews.tasks.make_record_zip",
            title="The whole record",
            filename="record.zip",
            content_type="application/zip",
            back_url="/",
            audit=("review_record", 1, "x" * 400),
        )
    assert queued == []  # nothing is queued before the job row is committed
    callbacks[0]()
    assert queued == [("reviews.tasks.make_record_zip", job.pk)]
    assert job.state == FileJob.State.QUEUED
    assert len(job.detail) == 300


def test_the_file_is_downloaded_audited_only_once_made(client, people):
    job = _job(people)
    client.force_login(people.coordinator)
    url = reverse("file_job_download", args=[job.pk])
    assert client.get(url).status_code == 404
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Waiting to start" in page
    assert "Refresh this page" in page
    jobs.file_job_run(job.pk, _made)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Your file is ready" in page
    response = client.get(url)
    assert b"".join(response.streaming_content) == b"%PDF-1.7 made"
    assert response["Content-Disposition"] == 'attachment; filename="tracker.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get()
    assert (event.user, event.object_type, event.detail) == (
        people.coordinator,
        "tracker_report",
        "Home CSP: tracker report (pdf, All time)",
    )


def test_a_failed_job_says_why_on_its_page(client, people):
    job = _job(people)
    jobs.file_job_run(job.pk, lambda job, progress: 1 / 0)
    client.force_login(people.coordinator)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "The file was not made" in page
    assert jobs.FAILED in page
    assert client.get(reverse("file_job_status", args=[job.pk])).json() == {
        "state": "failed",
        "label": "Not made",
        "progress": 100,
        "step": "Not made",
        "finished": True,
    }


def test_files_are_removed_a_day_after_they_were_asked_for(people):
    old, new = _job(people), _job(people)
    for job in (old, new):
        job.file.save("tracker.pdf", ContentFile(b"%PDF"), save=True)
    FileJob.objects.filter(pk=old.pk).update(requested_at=timezone.now() - timedelta(hours=25))
    path = old.file.path
    assert jobs.file_jobs_expire() == 1
    assert list(FileJob.objects.all()) == [new]
    assert not os.path.exists(path)
