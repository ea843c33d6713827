"""The chase and the emails on the real queue: django-celery-beat's schedule sends the daily
chase at 07:00 Europe/London to the real Redis, a real Celery worker runs it and the mail
arrives; emails queued by a page are delivered by the worker; and with the broker gone, pages
still work and the next chase delivers what could not be queued."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery import Celery
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from dhr import queue
from dhr import tasks as dhr_tasks
from dhr.celery import app
from dhr.models import OutgoingEmail
from dhr.tests.queue import empty_queue, real_worker, wait_for
from reviews.chase import chase_run
from reviews.models import Extension, Reminder
from reviews.schedule import DAILY_CHASE, schedule_install
from reviews.tests.factories import ReviewAgencyReportsFactory, ReviewDecisionPendingFactory

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")


@pytest.fixture
def clean_queue():
    """The test broker's Redis database, emptied of messages earlier tests left in it."""
    empty_queue()


def _ask_for_an_extension(client, coordinator, review):
    """The coordinator's form: its email to the chairs is queued once the request commits."""
    client.force_login(coordinator)
    new_date = timezone.localdate() + timedelta(days=400)
    return client.post(
        reverse("reviews:extension_add", args=[review.pk]),
        {
            "new_due_on_0": new_date.day,
            "new_due_on_1": new_date.month,
            "new_due_on_2": new_date.year,
            "reason": "A trial is listed for next spring",
        },
    )


def test_the_daily_chase_is_scheduled_at_seven_in_london(db):
    task = PeriodicTask.objects.get(name=DAILY_CHASE)
    assert task.task == "reviews.tasks.chase"
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, str(task.crontab.timezone)) == (
        "0",
        "7",
        "Europe/London",
    )
    schedule = task.crontab.schedule
    # In summer 07:00 in London is 06:00 UTC; in winter it is 07:00 UTC.
    for ran, then in [
        (
            datetime(2026, 6, 30, 7, 0, tzinfo=LONDON),
            datetime(2026, 7, 1, 6, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 12, 1, 7, 0, tzinfo=LONDON),
            datetime(2026, 12, 2, 7, 0, tzinfo=UTC),
        ),
    ]:
        with time_machine.travel(ran, tick=False):
            assert ran + schedule.remaining_estimate(ran) == then


def test_installing_the_schedule_again_keeps_an_administrator_s_change(db):
    PeriodicTask.objects.filter(name=DAILY_CHASE).update(enabled=False)
    schedule_install()
    assert PeriodicTask.objects.filter(name=DAILY_CHASE).get().enabled is False
    PeriodicTask.objects.all().delete()
    schedule_install()
    assert PeriodicTask.objects.get(name=DAILY_CHASE).enabled


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_beat_sends_the_chase_at_seven_and_a_real_worker_sends_the_reminder(people, clean_queue):
    today = timezone.localdate()
    review = ReviewDecisionPendingFactory(
        partnership=people.home, notified_on=today - timedelta(days=40)
    )
    # Beat wakes just before 7am London (it loads only the crontab entries near the hour).
    before_seven = datetime(today.year, today.month, today.day, 6, 59, 50, tzinfo=LONDON)
    # It last ran yesterday at seven.
    PeriodicTask.objects.filter(name=DAILY_CHASE).update(
        last_run_at=before_seven - timedelta(days=1, seconds=-10)
    )
    with time_machine.travel(before_seven, tick=False) as traveller:
        scheduler = DatabaseScheduler(app=app)
        entry = scheduler.schedule[DAILY_CHASE]
        assert entry.is_due().is_due is False
        traveller.move_to(before_seven + timedelta(seconds=11))
        assert entry.is_due().is_due is True
        scheduler.tick()  # one turn of beat's loop: sends what is due onto the real Redis
        scheduler.sync()
    assert mail.outbox == []

    with real_worker(shutdown_timeout=10):
        assert wait_for(lambda: len(mail.outbox) == 1), "the worker never sent the reminder"
    [message] = mail.outbox
    assert message.to == sorted([people.chair.email, people.coordinator.email])
    assert review.public_title in message.subject
    assert Reminder.objects.get().email.status == OutgoingEmail.Status.SENT
    assert PeriodicTask.objects.get(name=DAILY_CHASE).total_run_count == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_an_email_written_by_a_page_is_delivered_by_the_worker(client, people, clean_queue):
    review = ReviewAgencyReportsFactory(partnership=people.home)
    assert _ask_for_an_extension(client, people.coordinator, review).status_code == 302
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.PENDING
    with real_worker(shutdown_timeout=10):
        assert wait_for(lambda: len(mail.outbox) == 1), "the worker never sent the email"
    assert mail.outbox[0].to == [people.chair.email]
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT


@pytest.fixture
def broker_down(monkeypatch):
    """Queueing through a broker nobody listens on, as when Redis is stopped."""
    monkeypatch.delenv("CELERY_BROKER_URL")  # Celery prefers it to the app's own setting
    dead = Celery("dead", broker="redis://127.0.0.1:1/0")
    dead.conf.update(
        broker_connection_timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT,
        task_publish_retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY,
    )
    assert dhr_tasks.deliver_email.name in dead.tasks  # shared tasks join every app
    monkeypatch.setattr(queue, "app", dead)
    yield dead
    dead.close()


def test_with_the_broker_down_a_page_still_works_and_the_next_chase_sends_its_email(
    client, people, broker_down, django_capture_on_commit_callbacks, caplog
):
    review = ReviewAgencyReportsFactory(partnership=people.home)
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask_for_an_extension(client, people.coordinator, review)
    assert response.status_code == 302
    assert Extension.objects.filter(review=review).count() == 1
    assert "Could not queue dhr.tasks.deliver_email" in caplog.text
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.PENDING
    assert mail.outbox == []

    result = chase_run(today=timezone.localdate())
    assert result.other_emails_sent == 1
    [extension_email] = [m for m in mail.outbox if m.subject.startswith("Extension awaiting")]
    assert extension_email.to == [people.chair.email]
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}
