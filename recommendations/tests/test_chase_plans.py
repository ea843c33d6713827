"""The action plan in the chase: action target dates and unanswered requests for updates are
chased with the owning agency's contacts, and the whole demo is chased once."""

import json
from datetime import date, timedelta
from io import StringIO

import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from dhr.models import OutgoingEmail
from recommendations import services
from recommendations.models import Action, RequestedAgency
from reviews.chase import chase_run
from reviews.tests.factories import AgencyContactFactory, ReviewSubmittedFactory

TARGET = date(2026, 3, 31)


def _plan(people):
    review = ReviewSubmittedFactory(partnership=people.home)
    recommendation = services.recommendation_save(
        review=review,
        by=people.coordinator,
        data={"text": "Train staff", "scope": "local", "lead_agency": people.involved_agency},
    )
    action = services.action_save(
        recommendation=recommendation,
        by=people.coordinator,
        data={
            "description": "Run the training",
            "owner_agency": people.involved_agency,
            "target_date": TARGET,
            "completion_evidence": "Attendance records",
        },
    )
    return review, action


def test_an_action_is_chased_with_its_agency_until_it_is_closed(people):
    _, action = _plan(people)
    chase_run(today=TARGET - timedelta(days=14))
    [message] = mail.outbox
    # Not the same agency's contact named for the away partnership (people.away_agency_contact).
    assert message.to == [people.agency_contact.email]
    assert message.subject.startswith("Due in 14 days: Action for Involved Agency")
    # The agency can open its action, so it gets the link.
    assert reverse("recommendations:action", args=[action.pk]) in message.body
    update = services.action_update_submit(
        action=action, by=people.agency_contact, new_status="completed", narrative="Done"
    )
    services.action_update_accept(update=update, by=people.coordinator)
    mail.outbox.clear()
    assert chase_run(today=TARGET).reminders_sent == 0


def test_an_unanswered_request_for_updates_is_chased_until_answered(people):
    _, action = _plan(people)
    other = AgencyContactFactory(agency=people.involved_agency).user
    request = services.update_request_send(
        partnership=people.home, by=people.coordinator, due_on=date(2026, 2, 1)
    )
    [asked] = request.agencies.all()
    assert list(asked.actions.all()) == [action]
    # Not the same agency's contact named for the away partnership (people.away_agency_contact).
    assert sorted(OutgoingEmail.objects.get().to) == sorted(
        [people.agency_contact.email, other.email]
    )
    OutgoingEmail.objects.update(status="sent")
    assert chase_run(today=date(2026, 2, 1)).reminders_sent == 1
    assert mail.outbox[0].subject.startswith("Due today: Updates from Involved Agency")

    services.action_update_submit(
        action=action, by=people.agency_contact, new_status="in_progress", narrative="Half"
    )
    asked.refresh_from_db()
    assert asked.answered_on is not None
    mail.outbox.clear()
    OutgoingEmail.objects.update(status="sent")
    assert chase_run(today=date(2026, 2, 8)).reminders_sent == 0


def test_an_update_before_the_request_does_not_answer_it(people):
    _, action = _plan(people)
    services.action_update_submit(
        action=action, by=people.agency_contact, new_status="in_progress", narrative="Early"
    )
    services.update_request_send(
        partnership=people.home, by=people.coordinator, due_on=date(2026, 2, 1)
    )
    assert RequestedAgency.objects.get().answered_on is None


def test_load_demo_then_chase_twice_sends_reminders_once(db):
    with time_machine.travel(date(2026, 11, 24), tick=False):
        call_command("load_demo", stdout=StringIO())
        OutgoingEmail.objects.update(status=OutgoingEmail.Status.SENT)
        mail.outbox.clear()
        planned = StringIO()
        call_command("chase", "--dry-run", "--json", stdout=planned)
        runs = []
        for _ in range(2):
            out = StringIO()
            call_command("chase", "--json", stdout=out)
            runs.append(json.loads(out.getvalue()))
    would = json.loads(planned.getvalue())["would_send"]
    kinds = {item["what"].split(" ")[0] for item in would}
    assert {"Action", "Agency", "Decision"} <= kinds
    assert runs[0]["reminders_sent"] == len(would) > 0
    assert runs[0]["escalations_proposed"] > 0  # demo actions long overdue
    assert runs[1] == {"reminders_sent": 0, "reminders_failed": 0, "escalations_proposed": 0}
    reminders = [m for m in mail.outbox if not m.subject.startswith("Escalation")]
    assert len(reminders) == len(would)
    assert Action.objects.exists()


def test_the_whole_demo_spans_every_stage_once(db):
    from reviews.models import Review, Status

    for _ in range(2):
        call_command("load_demo", stdout=StringIO())
    assert set(Review.objects.values_list("status", flat=True)) == set(Status)
    concluded = Review.objects.get(status=Status.CONCLUDED)
    assert not Action.objects.filter(recommendation__review=concluded).exclude(
        status__in=Action.CLOSED
    )
