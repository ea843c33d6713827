"""The whole record asked for on the History tab and made by a real Celery worker on the real
queue: the page sends the lead to the file's page, the worker makes the zip, and only the lead
who asked can download it (audited)."""

import io
import zipfile

import pytest
from django.urls import reverse

from dhr.models import AuditEvent, FileJob
from dhr.tests.queue import empty_queue, real_worker, wait_for
from reviews.tests.factories import ReviewReadyToSignOffFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_the_whole_record_is_made_by_a_real_worker(client, people):
    empty_queue()
    review = ReviewReadyToSignOffFactory(partnership=people.home)
    client.force_login(people.chair)
    response = client.post(reverse("reviews:export", args=[review.pk]))
    job = FileJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.state == FileJob.State.QUEUED
    assert not AuditEvent.objects.filter(object_type="review_record").exists()

    with real_worker():
        assert wait_for(lambda: FileJob.objects.get().is_finished)
    job.refresh_from_db()
    assert job.state == FileJob.State.DONE, job.message

    client.force_login(people.coordinator)  # another lead: not theirs to download
    assert client.get(reverse("file_job_download", args=[job.pk])).status_code == 404
    client.force_login(people.chair)
    response = client.get(reverse("file_job_download", args=[job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.read("README.txt").decode().startswith("OFFICIAL-SENSITIVE")
    assert "review.json" in archive.namelist()
    assert AuditEvent.objects.filter(
        object_type="review_record", review_id=review.pk, user=people.chair
    ).exists()
