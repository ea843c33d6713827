"""A worker killed in the middle of a task: a real Celery worker (prefork, as deployed) starts a
large tracker import; its process is killed while the import is being written; the worker
hands the task on, and it completes once, whole, with nothing written twice or half-written."""

import csv
import io
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from dhr.tests.queue import empty_queue
from recommendations import services, tracker_import
from recommendations.models import Action, Recommendation, TrackerImport
from reviews.models import Review

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True), pytest.mark.worker]
ROWS = 2500  # a few seconds of writing: long enough to be killed in the middle


def _tracker() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(tracker_import.COLUMNS)
    for n in range(ROWS):
        review, number = n // 10, n % 10 // 2 + 1
        writer.writerow(
            [
                f"DHR-2020-{review:03d}",
                f"Person {review}",
                number,
                f"Recommendation {number} of review {review}",
                "Risk assessment",
                "Northvale Police",
                "local",
                f"Action {n}",
                "31/03/2030",
                "In progress",
                "",
            ]
        )
    return out.getvalue().encode()


def _wait(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"Timed out waiting for {what}")


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(p) for p in found.stdout.split()]


@pytest.fixture
def worker():
    """A real worker process on the test database and the test broker."""
    empty_queue()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dhr.settings.test",
        "DATABASE_URL": (
            f"postgres://{connection.settings_dict['USER']}@{connection.settings_dict['HOST']}:"
            f"{connection.settings_dict['PORT']}/{connection.settings_dict['NAME']}"
        ),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "dhr",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )
    try:
        _wait(lambda: _children(process.pid), 60, "the worker's pool process")
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_task_killed_mid_write_completes_on_retry_with_nothing_half_done(people, worker):
    upload = SimpleUploadedFile("large.csv", _tracker())
    job = services.tracker_import_read(
        partnership=people.home, upload=upload, by=people.coordinator
    )
    assert job.errors == []
    services.tracker_import_confirm(
        job=job, by=people.coordinator, good_rows_only=False, agencies_confirmed=True
    )
    _wait(
        lambda: TrackerImport.objects.get(pk=job.pk).state == TrackerImport.State.RUNNING,
        60,
        "the import to start",
    )
    time.sleep(0.5)  # in the middle of writing
    [child] = _children(worker.pid)
    os.kill(child, signal.SIGKILL)
    # Killed in the middle: still running, and nothing of its transaction visible.
    assert TrackerImport.objects.get(pk=job.pk).state == TrackerImport.State.RUNNING
    assert Action.objects.count() == 0

    # The worker replaces its process, the task is delivered again and written once, whole.
    _wait(lambda: TrackerImport.objects.get(pk=job.pk).is_finished, 180, "the import to finish")
    job.refresh_from_db()
    assert job.state == TrackerImport.State.DONE, job.message
    assert child not in _children(worker.pid)
    assert Action.objects.count() == ROWS
    assert Recommendation.objects.count() == ROWS // 2
    assert Review.objects.filter(partnership=people.home).count() == ROWS // 10
    assert job.result["written"]["actions_created"] == ROWS
