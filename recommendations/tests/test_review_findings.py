"""Cases a review of the action plan found: requests answered when the actions asked about no
longer need an update, spreadsheets that cannot run an agency's words as formulas, a chase
that one broken email cannot stop, and no escalation of a closed action."""

import io
import os
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from dhr.errors import TransitionError
from dhr.models import OutgoingEmail
from recommendations import services
from recommendations.models import Escalation, RequestedAgency
from recommendations.tasks import write_escalation_letter
from reviews.chase import chase_run
from reviews.tests.factories import ReviewSubmittedFactory

DUE = date(2026, 2, 1)


@pytest.fixture
def action(people):
    review = ReviewSubmittedFactory(partnership=people.home)
    review.viewers.add(people.viewer)
    recommendation = services.recommendation_save(
        review=review,
        by=people.coordinator,
        data={"text": "Train", "scope": "local", "lead_agency": people.involved_agency},
    )
    return services.action_save(
        recommendation=recommendation,
        by=people.coordinator,
        data={
            "description": "Train staff",
            "owner_agency": people.involved_agency,
            "target_date": DUE,
            "completion_evidence": "Records",
        },
    )


def test_an_action_closed_after_the_request_needs_no_answer(people, action):
    update = services.action_update_submit(
        action=action, by=people.agency_contact, new_status="completed", narrative="Done"
    )
    services.update_request_send(partnership=people.home, by=people.coordinator, due_on=DUE)
    assert RequestedAgency.objects.get().answered_on is None
    services.action_update_accept(update=update, by=people.coordinator)  # the action closes
    assert RequestedAgency.objects.get().answered_on is not None
    assert services.escalations_propose(today=DUE + timedelta(days=60)) == 0


def test_an_action_moved_to_another_agency_needs_no_answer_from_the_first(people, action):
    services.update_request_send(partnership=people.home, by=people.coordinator, due_on=DUE)
    services.action_save(
        recommendation=action.recommendation,
        by=people.coordinator,
        data={"owner_agency": people.other_agency},
        action=action,
    )
    assert RequestedAgency.objects.get().answered_on is not None


def test_an_agency_s_words_never_run_as_a_spreadsheet_formula(client, people, action):
    update = services.action_update_submit(
        action=action,
        by=people.agency_contact,
        new_status="in_progress",
        narrative='=HYPERLINK("http://evil.example","click")\x0b and more',
    )
    services.action_update_accept(update=update, by=people.coordinator)
    client.force_login(people.coordinator)
    url = reverse("recommendations:export", args=[action.recommendation.review_id, "xlsx"])
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    header = [cell.value for cell in sheet[3]]
    cell = sheet.cell(row=4, column=header.index("Last accepted update") + 1)
    assert cell.data_type == "s"
    assert cell.value == '\'=HYPERLINK("http://evil.example","click") and more'
    csv_url = reverse("recommendations:export", args=[action.recommendation.review_id, "csv"])
    assert "'=HYPERLINK" in client.get(csv_url).content.decode("utf-8-sig")


def test_one_email_whose_attachment_is_gone_does_not_stop_the_others(people, action):
    escalation = services.escalation_raise(by=people.coordinator, reason="Late", action=action)
    escalation = services.escalation_decide(
        escalation=escalation, by=people.chair, approve=True, comment="", send_to="ceo@example.org"
    )
    write_escalation_letter(escalation.letter_job.pk)
    letter = OutgoingEmail.objects.get(to=["ceo@example.org"])
    letter.attachment.delete(save=False)  # a web server and worker not sharing storage
    chase_run(today=DUE - timedelta(days=14))  # the action is due in 14 days: a reminder
    letter.refresh_from_db()
    assert letter.status == "retrying"
    assert "FileNotFoundError" in letter.last_error or "No such file" in letter.last_error
    assert any(m.subject.startswith("Due in 14 days") for m in mail.outbox)


def test_a_sent_letter_s_outbox_copy_is_removed(people, action):
    escalation = services.escalation_raise(by=people.coordinator, reason="Late", action=action)
    escalation = services.escalation_decide(
        escalation=escalation, by=people.chair, approve=True, comment="", send_to="ceo@example.org"
    )
    write_escalation_letter(escalation.letter_job.pk)
    letter = OutgoingEmail.objects.get(to=["ceo@example.org"])
    path = letter.attachment.path
    chase_run(today=DUE - timedelta(days=30))
    letter.refresh_from_db()
    assert letter.status == "sent"
    assert not letter.attachment
    assert not os.path.exists(path)
    escalation.refresh_from_db()
    assert escalation.letter.size > 0  # the escalation keeps its own copy


def test_a_closed_action_cannot_be_escalated(people, action):
    update = services.action_update_submit(
        action=action, by=people.agency_contact, new_status="completed", narrative="Done"
    )
    services.action_update_accept(update=update, by=people.coordinator)
    with pytest.raises(TransitionError, match="nothing to escalate"):
        services.escalation_raise(by=people.coordinator, reason="Late", action=action)
    assert not Escalation.objects.exists()
