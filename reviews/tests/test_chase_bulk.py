"""The chase at national size writes in bulk (a partnership's reminders and their emails in one
transaction) and delivers over one mail connection: what each reminder exactly once needs still
holds, for a run killed half-way and for two runs at once."""

import smtplib
import threading
import time
from datetime import date

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection, transaction

from dhr.models import OutgoingEmail
from reviews import chase
from reviews.chase import chase_plan, chase_run, reminders_record
from reviews.models import Reminder
from reviews.tests.factories import ReviewDecisionPendingFactory

TODAY = date(2025, 4, 10)  # decisions notified on 1 March are 9 days overdue
BACKEND = "reviews.tests.test_chase_bulk.CountingBackend"


class Killed(BaseException):
    """What a worker killed mid-run looks like from inside: nothing after it runs."""


def _overdue_decisions(partnership, count):
    for _ in range(count):
        ReviewDecisionPendingFactory(partnership=partnership, notified_on=date(2025, 3, 1))


def test_a_run_killed_while_recording_keeps_whole_partnerships_and_the_next_sends_each_once(
    people, monkeypatch
):
    _overdue_decisions(people.home, 2)
    _overdue_decisions(people.away, 2)
    real = chase.reminders_record
    calls = []

    def dies_on_the_second_partnership(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise Killed
        return real(**kwargs)

    monkeypatch.setattr(chase, "reminders_record", dies_on_the_second_partnership)
    with pytest.raises(Killed):
        chase_run(today=TODAY)
    # The first partnership's reminders with their emails, nothing of the second's.
    assert Reminder.objects.count() == OutgoingEmail.objects.count() == 2
    assert Reminder.objects.values("partnership").distinct().count() == 1
    assert mail.outbox == []

    monkeypatch.setattr(chase, "reminders_record", real)
    result = chase_run(today=TODAY)
    assert (result.reminders_sent, result.reminders_failed) == (4, 0)
    assert len({m.subject for m in mail.outbox}) == len(mail.outbox) == 4


def test_recording_what_is_logged_already_writes_nothing(people):
    _overdue_decisions(people.home, 3)
    planned = chase_plan(today=TODAY)
    assert len(reminders_record(planned=planned, today=TODAY)) == 3
    assert reminders_record(planned=planned, today=TODAY) == []
    assert Reminder.objects.count() == OutgoingEmail.objects.count() == 3


def _wait_for_a_lock_wait():
    """Until another connection to this database waits for a lock (this one's)."""
    deadline = time.monotonic() + 20
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # a fresh look each time
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the second run never waited for the first")


@pytest.mark.django_db(transaction=True)
def test_two_runs_recording_at_once_log_and_write_each_reminder_once(people):
    _overdue_decisions(people.home, 3)
    planned = chase_plan(today=TODAY)
    second = {}

    def second_run():
        try:
            second["logged"] = reminders_record(planned=planned, today=TODAY)
        except BaseException as error:
            second["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=second_run)
    with transaction.atomic():
        first = reminders_record(planned=planned, today=TODAY)
        thread.start()
        # The second run's log rows wait for this transaction, which then commits.
        _wait_for_a_lock_wait()
    thread.join(timeout=30)
    assert "error" not in second, second.get("error")
    assert (len(first), second["logged"]) == (3, [])
    # The second run's emails went with the reminders it could not log.
    assert Reminder.objects.count() == OutgoingEmail.objects.count() == 3
    assert set(Reminder.objects.values_list("email", flat=True)) == set(
        OutgoingEmail.objects.values_list("pk", flat=True)
    )


class CountingBackend(locmem.EmailBackend):
    """The test outbox, counting the connections opened; `refuse` lists the messages (by their
    number, from 1) that the server refuses."""

    opened = 0
    refuse: tuple[int, ...] = ()
    seen = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_open = False

    def open(self):
        if self.is_open:
            return False
        self.is_open = True
        type(self).opened += 1
        return True

    def close(self):
        self.is_open = False

    def send_messages(self, messages):
        type(self).seen += len(messages)
        if type(self).seen in self.refuse:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def counting(settings, monkeypatch):
    settings.EMAIL_BACKEND = BACKEND
    monkeypatch.setattr(CountingBackend, "opened", 0)
    monkeypatch.setattr(CountingBackend, "seen", 0)
    return CountingBackend


def test_a_run_delivers_over_one_mail_connection(people, counting):
    _overdue_decisions(people.home, 3)
    result = chase_run(today=TODAY)
    assert (result.reminders_sent, result.reminders_failed) == (3, 0)
    assert len(mail.outbox) == 3
    assert counting.opened == 1


def test_after_a_failed_send_the_next_email_goes_on_a_fresh_connection(
    people, counting, monkeypatch
):
    _overdue_decisions(people.home, 3)
    monkeypatch.setattr(counting, "refuse", (2,))
    result = chase_run(today=TODAY)
    assert (result.reminders_sent, result.reminders_failed) == (2, 1)
    assert counting.opened == 2
    retrying = OutgoingEmail.objects.get(status=OutgoingEmail.Status.RETRYING)
    assert retrying.attempts == 1
    assert "SMTPServerDisconnected" in retrying.last_error
