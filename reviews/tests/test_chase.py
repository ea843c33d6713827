"""The chase: which reminders go when, to whom, each exactly once, and what happens when the
mail server fails or the job is killed half-way."""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from email import message_from_bytes
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from dhr.models import OutgoingEmail
from reviews import demo, services
from reviews.chase import chase_run
from reviews.models import AgencyReport, Reminder
from reviews.tests.factories import (
    AgencyContactFactory,
    AgencyFactory,
    ReviewAgencyReportsFactory,
    ReviewDecisionPendingFactory,
    ReviewFactory,
    ReviewReadyForSetUpFactory,
    agreed_pause,
)

LONDON = ZoneInfo("Europe/London")
REFUSING = "dhr.tests.mail_backends.RefusingBackend"
ROOT = Path(__file__).resolve().parents[2]


def at_seven(day: date) -> datetime:
    """7am in London on `day`, when the daily chase runs."""
    return datetime(day.year, day.month, day.day, 7, tzinfo=LONDON)


@pytest.fixture
def overdue_decision(people):
    """Notified 1 March 2025: the decision was due 1 April; on 10 April it is 9 days overdue."""
    return ReviewDecisionPendingFactory(partnership=people.home, notified_on=date(2025, 3, 1))


def test_an_overdue_decision_is_chased_once_with_the_chairs_who_decide(people, overdue_decision):
    result = chase_run(today=date(2025, 4, 10))
    assert (result.reminders_sent, result.reminders_failed) == (1, 0)
    [message] = mail.outbox
    # Put to the chair: the chairs decide, the coordinators are copied in.
    assert message.to == sorted([people.chair.email, people.coordinator.email])
    assert message.subject == (
        f"Overdue by 9 days: Decision on whether to hold a review, {overdue_decision.public_title}"
    )
    link = settings.SITE_URL + overdue_decision.get_absolute_url()
    assert "This is overdue." in message.body
    assert "Due on: 1 April 2025 (9 days ago)" in message.body
    assert link in message.body
    [(html, kind)] = message.alternatives
    assert kind == "text/html"
    assert f'href="{link}"' in html
    # The confidential name never goes into an email.
    assert overdue_decision.victim_name not in message.body + html

    again = chase_run(today=date(2025, 4, 10))
    assert (again.reminders_sent, again.reminders_failed) == (0, 0)
    assert len(mail.outbox) == 1
    reminder = Reminder.objects.get()
    assert (reminder.step, reminder.due_on, reminder.email.status) == (-7, date(2025, 4, 1), "sent")


def test_agency_reports_are_chased_with_the_agencys_contacts(people):
    review = ReviewAgencyReportsFactory(partnership=people.home)
    report = review.agency_reports.get()  # due 11 May 2025
    contact = AgencyContactFactory(agency=report.agency).user
    AgencyContactFactory(agency=people.other_agency)
    chase_run(today=report.due_on - timedelta(days=3))
    [message] = mail.outbox
    assert message.to == [contact.email]
    assert message.subject.startswith(f"Due in 3 days: Agency report (IMR) from {report.agency}")
    # Agency contacts cannot open review pages: they are told whom to send the report to.
    assert f"DHR coordinator: {people.coordinator.email}" in message.body
    assert f"/reviews/{review.pk}/" not in message.body + message.alternatives[0][0]


def test_an_agency_report_is_chased_only_with_the_contacts_serving_the_partnership(people):
    """The same agency's contact named for another partnership gets nothing: with no contact
    for this one, the reminder goes to the coordinators, who are told so."""
    review = ReviewAgencyReportsFactory(partnership=people.home)
    report = review.agency_reports.get()  # due 11 May 2025
    away = AgencyContactFactory(agency=report.agency, partnerships=[people.away]).user
    chase_run(today=report.due_on - timedelta(days=3))
    [message] = mail.outbox
    assert away.email not in message.to
    assert message.to == [people.coordinator.email]
    assert f"{report.agency.name} has no contact for Home CSP in this service" in message.body


def test_an_agency_report_received_incomplete_is_chased_for_what_is_missing(people):
    review = ReviewAgencyReportsFactory(partnership=people.home)
    report = review.agency_reports.get()  # due 11 May 2025
    contact = AgencyContactFactory(agency=report.agency).user
    AgencyReport.objects.filter(pk=report.pk).update(
        received_on=date(2025, 5, 1),
        senior_sign_off_by="Sam Senior",
        signed_off_on=date(2025, 5, 1),
    )
    chase_run(today=report.due_on - timedelta(days=3))
    [message] = mail.outbox
    assert message.to == [contact.email]
    missing = "the author and their independence; the staff feedback session"
    [(html, _)] = message.alternatives
    for text in (" ".join(message.body.split()), " ".join(html.split())):
        assert "has arrived but is not yet complete" in text
        assert f"Still to be recorded: {missing}." in text
        assert "Please send them to the partnership" in text
        assert "send your agency&#x27;s report" not in text
        assert "send your agency's report" not in text
    assert f"DHR coordinator: {people.coordinator.email}" in message.body


def test_an_agency_without_a_contact_is_chased_through_the_coordinators(people):
    review = ReviewAgencyReportsFactory(partnership=people.home)
    report = review.agency_reports.get()
    chase_run(today=report.due_on)
    [message] = mail.outbox
    assert message.to == [people.coordinator.email]
    assert f"{report.agency.name} has no contact for Home CSP in this service" in message.body
    assert reverse("reviews:agency_reports", args=[review.pk]) in message.body


def test_a_received_report_and_a_paused_review_are_not_chased(people):
    review = ReviewAgencyReportsFactory(partnership=people.home)
    AgencyReport.objects.filter(review=review).update(
        received_on=date(2025, 4, 1),
        author="Ann Author",
        author_independence_confirmed=True,
        senior_sign_off_by="Sam Senior",
        signed_off_on=date(2025, 3, 30),
        staff_feedback_held=True,
    )
    # Report due 20 Aug 2025 (its terms of reference agreed, so not chased); a chair agreed to
    # pause the clock while the trial runs (decision 0013).
    paused = ReviewReadyForSetUpFactory(partnership=people.home)
    agreed_pause(
        paused,
        coordinator=people.coordinator,
        chair=people.chair,
        kind="criminal_trial",
        started_on=date(2025, 6, 1),
    )
    OutgoingEmail.objects.update(status="sent")  # the pause's own emails to the chairs
    chase_run(today=date(2025, 8, 20))
    # Both reports were due that day; only the one not paused is chased, and not the IMR.
    assert list(Reminder.objects.values_list("review", "object_type")) == [
        (review.pk, "review.report")
    ]
    assert len(mail.outbox) == 1


def test_a_dry_run_lists_what_would_go_and_writes_nothing(people, overdue_decision):
    out = StringIO()
    with time_machine.travel(date(2025, 4, 10), tick=False):
        call_command("chase", "--dry-run", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["reminders_sent"] == 0
    assert [(w["review"], w["step"]) for w in result["would_send"]] == [
        (overdue_decision.reference, -7)
    ]
    assert not Reminder.objects.exists()
    assert not OutgoingEmail.objects.exists()
    assert mail.outbox == []


def test_the_chase_command_on_the_demo_data_sends_reminders_once(db):
    demo.load(today=date(2026, 11, 24))
    mail.outbox.clear()  # the demo's own notification emails
    OutgoingEmail.objects.update(status=OutgoingEmail.Status.SENT)
    runs = []
    for _ in range(2):
        out = StringIO()
        with time_machine.travel(date(2026, 11, 24), tick=False):
            call_command("chase", "--json", stdout=out)
        runs.append(json.loads(out.getvalue()))
    # Four overdue agency reports (three at set-up, and one still to come at the agency reports
    # stage, whose other two count as received: one complete, one by the CSP chair's waiver),
    # the overdue decision, the Home Office not told of the newest decision, the safeguarding
    # partners not told of Aisha's review (she was 17), the newest's terms of reference not yet
    # agreed, the extension awaiting the CSP chair, the pause of the clock for an IOPC
    # investigation awaiting a CSP chair, and the Home Office's reply to the national
    # recommendation of each of the eight plans written before sign-off (sent to it more than
    # the partnership's 56 days ago; the plans' own demo records one reply).
    assert runs[0]["reminders_sent"] == 18
    assert runs[0]["reminders_failed"] == 0
    assert runs[1] == {"reminders_sent": 0, "reminders_failed": 0, "escalations_proposed": 0}
    assert len(mail.outbox) == 18
    kinds = Reminder.objects.values_list("object_type", flat=True)
    assert sorted(k for k in kinds if k in {"review.terms_of_reference", "proceeding.pause"}) == [
        "proceeding.pause",
        "review.terms_of_reference",
    ]


# --- failures of the mail server


def test_a_failed_send_is_retried_with_back_off_then_marked_failed_and_shown(
    client, people, overdue_decision, settings
):
    settings.EMAIL_BACKEND = REFUSING
    start = at_seven(date(2025, 4, 10))
    with time_machine.travel(start, tick=False) as traveller:
        result = chase_run(today=date(2025, 4, 10))
        assert (result.reminders_sent, result.reminders_failed) == (0, 1)
        email = OutgoingEmail.objects.get()
        assert (email.status, email.attempts) == ("retrying", 1)
        assert email.next_attempt_at == start + timedelta(minutes=1)
        assert "SMTPServerDisconnected" in email.last_error

        # Not before its time: a run now leaves it alone.
        assert chase_run(today=date(2025, 4, 10)).reminders_failed == 0
        waits = []
        for _ in range(4):
            email.refresh_from_db()
            waits.append(email.next_attempt_at - timezone.now())
            traveller.move_to(email.next_attempt_at)
            chase_run(today=date(2025, 4, 10))
        assert waits == [timedelta(minutes=m) for m in (1, 4, 16, 64)]
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", settings.EMAIL_MAX_ATTEMPTS)
    # Nothing was sent, and the reminder is not planned again: it is logged.
    assert mail.outbox == []
    assert Reminder.objects.count() == 1

    client.force_login(people.coordinator)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Emails that could not be sent" in dashboard
    assert escape(email.subject) in dashboard
    page = client.get(overdue_decision.get_absolute_url()).content.decode()
    assert "Failed" in page
    assert "SMTPServerDisconnected" in page
    # Another partnership's coordinator sees nothing of it.
    client.force_login(people.other_coordinator)
    assert escape(email.subject) not in client.get(reverse("dashboard")).content.decode()


def test_a_send_that_failed_once_goes_at_its_next_attempt(people, overdue_decision, settings):
    start = at_seven(date(2025, 4, 10))
    with time_machine.travel(start, tick=False) as traveller:
        settings.EMAIL_BACKEND = REFUSING
        chase_run(today=date(2025, 4, 10))
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        traveller.shift(timedelta(minutes=1))
        result = chase_run(today=date(2025, 4, 10))
    assert (result.reminders_sent, result.reminders_failed) == (1, 0)
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get().status == "sent"


# --- a run killed half-way


class Killed(BaseException):
    """What a worker killed mid-run looks like from inside: nothing after it runs."""


def _reviews_overdue(people, count):
    return [
        ReviewDecisionPendingFactory(partnership=people.home, notified_on=date(2025, 3, 1))
        for _ in range(count)
    ]


def test_a_run_killed_while_sending_then_run_again_sends_each_reminder_once(people, monkeypatch):
    _reviews_overdue(people, 4)
    from django.core.mail.backends import locmem

    real_send = locmem.EmailBackend.send_messages
    sent = []

    def dies_on_the_third(self, messages):
        if len(sent) == 2:
            raise Killed
        sent.extend(messages)
        return real_send(self, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", dies_on_the_third)
    with pytest.raises(Killed):
        chase_run(today=date(2025, 4, 10))
    assert len(mail.outbox) == 2
    monkeypatch.setattr(locmem.EmailBackend, "send_messages", real_send)
    chase_run(today=date(2025, 4, 10))
    assert len(mail.outbox) == 4
    assert len({m.subject for m in mail.outbox}) == 4
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_chase_process_killed_with_sigkill_then_run_again_sends_each_once(people, tmp_path):
    """A real process, really killed: `manage.py chase` with a slow mail server, SIGKILLed
    after its first message, then run again."""
    reviews = _reviews_overdue(people, 5)
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dhr.settings.test",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
        "EMAIL_BACKEND": "dhr.tests.mail_backends.SlowFolderBackend",
        "MAIL_SINK_DIR": str(tmp_path),
        "MAIL_SINK_DELAY": "0.5",
    }
    command = [sys.executable, "manage.py", "chase", "--json"]
    # The subprocess runs on the real clock: make the deadlines overdue today.
    today = timezone.localdate()
    for review in reviews:
        review.notified_on = today - timedelta(days=45)
        review.save()
        services.review_refresh_clock_dates(review=review)

    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    # Killed once the first email is sent and recorded as sent: the second is then half-way
    # through its slow send, and dies with the process.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (
        list(tmp_path.glob("*.eml")) and OutgoingEmail.objects.filter(status="sent").exists()
    ):
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    first = len(list(tmp_path.glob("*.eml")))
    assert 1 <= first < 5, "the run should have been killed part-way"

    env["MAIL_SINK_DELAY"] = "0"
    finished = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=True)
    assert json.loads(finished.stdout)["reminders_failed"] == 0
    subjects = [message_from_bytes(path.read_bytes())["Subject"] for path in tmp_path.glob("*.eml")]
    assert len(subjects) == 5, subjects
    assert len(set(subjects)) == 5
    assert Reminder.objects.count() == 5
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}


# --- a review's life, day by day


def _walk(first: date, last: date):
    """Run the chase each morning from `first` to `last`; yield (day, subjects sent that day)."""
    day = first
    with time_machine.travel(at_seven(first), tick=False) as traveller:
        while day <= last:
            traveller.move_to(at_seven(day))
            before = len(mail.outbox)
            chase_run(today=day)
            yield day, [m.subject.split(":")[0] for m in mail.outbox[before:]]
            day += timedelta(days=1)


def _sent(walk) -> dict:
    return {day: subjects for day, subjects in walk if subjects}


def test_time_travel_through_a_review_s_life(people):
    coordinator, chair = people.coordinator, people.chair
    police = AgencyFactory(name="Northvale Police")
    contact = AgencyContactFactory(agency=police).user
    review = ReviewFactory(partnership=people.home, notified_on=date(2025, 3, 1))

    # Decision due 1 April: 14 and 3 days before, on the day, then weekly while overdue.
    assert _sent(_walk(date(2025, 3, 1), date(2025, 4, 9))) == {
        date(2025, 3, 18): ["Due in 14 days"],
        date(2025, 3, 29): ["Due in 3 days"],
        date(2025, 4, 1): ["Due today"],
        date(2025, 4, 8): ["Overdue by 7 days"],
    }

    # Decided on 10 April: the report is due 10 October. Agency report from the police due
    # 30 June, to the police contact.
    review = services.review_transition(
        review=review, by=coordinator, action="refer_for_decision", on=date(2025, 4, 2)
    )
    review = services.review_record_decision(
        review=review,
        by=chair,
        decided_on=date(2025, 4, 10),
        proceed=True,
        reasons="Criteria met",
        situations_of_concern=[],
        other_reviews_considered=[],
        home_office_told_on=date(2025, 4, 10),
    )
    # The terms of reference were due with the decision, on 1 April (briefing 6.5): overdue
    # from the decision on, chased weekly (once a step) until they are agreed on 20 April.
    mail.outbox.clear()
    assert _sent(_walk(date(2025, 4, 10), date(2025, 4, 20))) == {
        date(2025, 4, 10): ["Overdue by 9 days"],
        date(2025, 4, 15): ["Overdue by 14 days"],
    }
    assert [m.to for m in mail.outbox] == [[coordinator.email]] * 2
    assert "Overdue by 9 days: Terms of reference, " in mail.outbox[0].subject
    review = services.review_update_set_up(
        review=review,
        by=coordinator,
        data={
            "terms_of_reference": "What lessons are to be learned",
            "terms_of_reference_agreed_on": date(2025, 4, 20),
        },
    )
    assert _sent(_walk(date(2025, 4, 21), date(2025, 4, 30))) == {}
    services.agency_report_request(
        review=review,
        by=coordinator,
        agency=police,
        requested_on=date(2025, 5, 1),
        due_on=date(2025, 6, 30),
    )
    # A trial, for which a chair agreed to pause the review's clock, runs through June (30
    # days): the report is due 9 November.
    agreed_pause(
        review,
        coordinator=coordinator,
        chair=chair,
        kind="criminal_trial",
        started_on=date(2025, 6, 1),
        ended_on=date(2025, 6, 30),
    )
    OutgoingEmail.objects.update(status="sent")  # the pause's own emails
    mail.outbox.clear()
    # On from the request (each day of the review's life is walked once).
    sent = _sent(_walk(date(2025, 5, 1), date(2025, 7, 10)))
    assert sent == {
        date(2025, 6, 16): ["Due in 14 days"],
        date(2025, 6, 27): ["Due in 3 days"],
        date(2025, 6, 30): ["Due today"],
        date(2025, 7, 7): ["Overdue by 7 days"],
    }
    assert all(m.to == [contact.email] for m in mail.outbox)

    # The report arrives complete; from then on only the overview report is chased.
    report = review.agency_reports.get()
    services.agency_report_update(
        report=report,
        by=coordinator,
        data={
            "received_on": date(2025, 7, 10),
            "author": "Pat Reviewer",
            "author_independence_confirmed": True,
            "senior_sign_off_by": "Chief Superintendent",
            "signed_off_on": date(2025, 7, 9),
            "staff_feedback_held": True,
        },
    )
    mail.outbox.clear()
    sent = _sent(_walk(date(2025, 7, 11), date(2025, 11, 20)))
    assert sent == {
        date(2025, 10, 26): ["Due in 14 days"],
        date(2025, 11, 6): ["Due in 3 days"],
        date(2025, 11, 9): ["Due today"],
        date(2025, 11, 16): ["Overdue by 7 days"],
    }
    assert all(m.to == [coordinator.email] for m in mail.outbox)

    # An extension to 31 January 2026, approved on 20 November: the new date is chased anew.
    extension = services.extension_request(
        review=review,
        by=coordinator,
        requested_on=date(2025, 11, 20),
        new_due_on=date(2026, 1, 31),
        reason="The panel needs more time",
    )
    services.extension_decide(
        extension=extension, by=chair, approve=True, decided_on=date(2025, 11, 20), comment=""
    )
    mail.outbox.clear()
    OutgoingEmail.objects.exclude(reminder__isnull=False).update(status="sent")
    sent = _sent(_walk(date(2025, 11, 21), date(2026, 1, 31)))
    assert sent == {
        date(2026, 1, 17): ["Due in 14 days"],
        date(2026, 1, 28): ["Due in 3 days"],
        date(2026, 1, 31): ["Due today"],
    }


def test_a_short_pause_that_moves_the_date_does_not_repeat_a_step(people):
    # Decided 31 August 2025: due 28 February 2026. "Due in 14 days" goes on 14 February; a
    # two-day inquest (its pause agreed by a chair) then moves the date to 2 March, and 14 days
    # before it is not sent again. (Its terms of reference were agreed: only the report is due.)
    review = ReviewReadyForSetUpFactory(partnership=people.home, decided_on=date(2025, 8, 31))
    chase_run(today=date(2026, 2, 14))
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Due in 14 days"]
    agreed_pause(
        review,
        coordinator=people.coordinator,
        chair=people.chair,
        kind="inquest",
        started_on=date(2026, 2, 15),
        ended_on=date(2026, 2, 16),
    )
    OutgoingEmail.objects.update(status="sent")  # the pause's own emails
    review.refresh_from_db()
    assert review.report_due_on == date(2026, 3, 2)
    mail.outbox.clear()
    assert chase_run(today=date(2026, 2, 17)).reminders_sent == 0
    # The next step still goes, three days before the moved date.
    assert chase_run(today=date(2026, 2, 27)).reminders_sent == 1
    assert mail.outbox[0].subject.startswith("Due in 3 days")


def test_an_extension_awaiting_the_chair_is_chased_after_a_week(people):
    # (Its terms of reference agreed: the extension is all there is to chase.)
    review = ReviewReadyForSetUpFactory(partnership=people.home, decided_on=date(2025, 8, 31))
    services.extension_request(
        review=review,
        by=people.coordinator,
        requested_on=date(2025, 11, 1),
        new_due_on=date(2026, 4, 30),
        reason="A trial is listed",
    )
    OutgoingEmail.objects.update(status="sent")  # the request's own email to the chairs
    assert chase_run(today=date(2025, 11, 7)).reminders_sent == 0
    assert chase_run(today=date(2025, 11, 8)).reminders_sent == 1
    [message] = mail.outbox
    assert message.subject.startswith("Due today: Decision on the extension to 30 April 2026")
    assert message.to == sorted([people.chair.email, people.coordinator.email])
    # The review's page, where a chair finds the decision and a coordinator sees it awaited.
    assert f"/reviews/{review.pk}/#awaiting-extension" in message.body


def test_an_email_is_not_retried_before_its_time_nor_when_there_is_nobody_to_send_to(
    people, overdue_decision
):
    from dhr.email import email_deliver

    early = OutgoingEmail.objects.create(
        to=["a@example.org"],
        subject="Retry later",
        body="-",
        status=OutgoingEmail.Status.RETRYING,
        attempts=1,
        next_attempt_at=timezone.now() + timedelta(minutes=5),
    )
    assert email_deliver(email_id=early.pk).status == "skipped"
    early.refresh_from_db()
    assert early.attempts == 1
    nobody = OutgoingEmail.objects.create(to=[], subject="To nobody", body="-")
    assert email_deliver(email_id=nobody.pk).status == "failed"
    nobody.refresh_from_db()
    assert (nobody.attempts, nobody.status) == (0, "failed")
    assert "nobody to send it to" in nobody.last_error
    assert mail.outbox == []
