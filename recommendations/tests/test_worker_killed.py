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
ROWS = 500  # about 3 s of writing (250 recommendations): the kill lands after the first few
IN_THE_MIDDLE = 10  # recommendations written by the import's transaction when it is killed


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


def _recommendations_numbered() -> int:
    """The last number the recommendations' sequence gave: it moves as the worker's
    transaction writes, seen before the rows are (a sequence is outside transactions)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(last_value, 0) FROM pg_sequences WHERE schemaname || '.' || "
            "sequencename = pg_get_serial_sequence('recommendations_recommendation', 'id')"
        )
        return cursor.fetchone()[0]


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
    numbered = _recommendations_numbered()
    services.tracker_import_confirm(
        job=job, by=people.coordinator, good_rows_only=False, agencies_confirmed=True
    )
    _wait(
        lambda: _recommendations_numbered() >= numbered + IN_THE_MIDDLE,
        60,
        "the import to be writing",
    )
    [child] = _children(worker.pid)
    os.kill(child, signal.SIGKILL)
    # Killed in the middle: still running, and nothing of its transaction visible.
    assert TrackerImport.objects.get(pk=job.pk).state == TrackerImport.State.RUNNING
    assert Recommendation.objects.count() == 0
    assert Action.objects.count() == 0

    # The worker replaces its process, the task is delivered again and written once, whole.
    # Most of the wait: the worker notices its lost process at its pool's check, every 5 s.
    _wait(lambda: TrackerImport.objects.get(pk=job.pk).is_finished, 180, "the import to finish")
    job.refresh_from_db()
    assert job.state == TrackerImport.State.DONE, job.message
    assert child not in _children(worker.pid)
    assert Action.objects.count() == ROWS
    assert Recommendation.objects.count() == ROWS // 2
    assert Review.objects.filter(partnership=people.home).count() == ROWS // 10
    assert job.result["written"]["actions_created"] == ROWS
