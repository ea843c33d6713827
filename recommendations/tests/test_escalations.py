"""Escalations: proposed by the chase or a coordinator, approved or declined by a chair, the
approval's letter printed as a tagged PDF and emailed, and the outcome recorded."""

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from dhr.email import email_deliver
from dhr.errors import NotAllowed, TransitionError
from dhr.models import AuditEvent, FileJob, OutgoingEmail
from recommendations import services
from recommendations.models import Escalation, RequestedAgency
from recommendations.tasks import write_escalation_letter
from reviews.tests.factories import ReviewSubmittedFactory

TODAY = date(2026, 6, 1)


@pytest.fixture
def overdue_action(people):
    """An action of the involved agency, due 40 days before TODAY (the default setting
    proposes an escalation after 28)."""
    review = ReviewSubmittedFactory(partnership=people.home)
    recommendation = services.recommendation_save(
        review=review,
        by=people.coordinator,
        data={"text": "Share risk", "scope": "local", "lead_agency": people.involved_agency},
    )
    return services.action_save(
        recommendation=recommendation,
        by=people.coordinator,
        data={
            "description": "Write the information-sharing protocol",
            "owner_agency": people.involved_agency,
            "target_date": TODAY - timedelta(days=40),
            "completion_evidence": "The signed protocol",
        },
    )


def test_the_chase_proposes_one_escalation_for_a_long_overdue_action(people, overdue_action):
    assert services.escalations_propose(today=TODAY, dry_run=True) == 1
    assert not Escalation.objects.exists()
    assert services.escalations_propose(today=TODAY) == 1
    escalation = Escalation.objects.get()
    assert (escalation.review, escalation.agency, escalation.proposed_by) == (
        overdue_action.recommendation.review,
        people.involved_agency,
        None,
    )
    assert list(escalation.actions.all()) == [overdue_action]
    assert "40 days overdue" in escalation.reason
    chairs = OutgoingEmail.objects.get()
    assert people.chair.email in chairs.to
    assert chairs.subject.startswith("Escalation awaiting your approval")
    # Not proposed again, whether open or decided.
    assert services.escalations_propose(today=TODAY + timedelta(days=7)) == 0


def test_an_action_overdue_less_than_the_setting_is_not_escalated(people, overdue_action):
    people.home.escalate_after_days = 60
    people.home.save()
    assert services.escalations_propose(today=TODAY) == 0


def test_a_missed_request_for_updates_is_escalated(people, overdue_action):
    services.update_request_send(partnership=people.home, by=people.coordinator, due_on=TODAY)
    people.home.escalate_after_days = 90  # leave the action itself out
    people.home.save()
    assert services.escalations_propose(today=TODAY) == 0  # due today: not missed yet
    assert services.escalations_propose(today=TODAY + timedelta(days=1)) == 1
    escalation = Escalation.objects.get()
    assert escalation.requested == RequestedAgency.objects.get()
    assert "has not sent them" in escalation.reason


def test_only_a_coordinator_raises_one_and_only_once(people, overdue_action):
    for role in ("chair", "viewer", "agency_contact", "other_coordinator"):
        with pytest.raises(NotAllowed):
            services.escalation_raise(
                by=getattr(people, role), reason="Late", action=overdue_action
            )
    services.escalation_raise(by=people.coordinator, reason="Late", action=overdue_action)
    with pytest.raises(TransitionError):
        services.escalation_raise(by=people.coordinator, reason="Again", action=overdue_action)
    assert Escalation.objects.get().proposed_by == people.coordinator


def _proposed(people, action):
    return services.escalation_raise(by=people.coordinator, reason="No reply", action=action)


def test_approval_prints_the_letter_as_a_tagged_pdf_and_emails_it(people, overdue_action):
    escalation = _proposed(people, overdue_action)
    OutgoingEmail.objects.update(status="sent")
    escalation = services.escalation_decide(
        escalation=escalation,
        by=people.chair,
        approve=True,
        comment="Please reply within the month.",
        send_to="chief.executive@example.org",
    )
    assert escalation.status == Escalation.Status.APPROVED
    # The worker writes the letter: nothing is kept or sent before it has.
    assert not escalation.letter
    assert not OutgoingEmail.objects.filter(to=["chief.executive@example.org"]).exists()
    job = escalation.letter_job
    assert (job.requested_by, job.state) == (people.chair, FileJob.State.QUEUED)
    assert write_escalation_letter(job.pk) == FileJob.State.DONE
    escalation.refresh_from_db()
    with escalation.letter.open("rb") as letter_file:
        pdf = letter_file.read()
    reader = PdfReader(io.BytesIO(pdf))
    # Words as read, however the table's cells wrapped them.
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "OFFICIAL-SENSITIVE" in text
    assert "Involved Agency" in text
    assert overdue_action.recommendation.review.public_title in text
    assert "Write the information-sharing protocol" in text
    assert "Please reply within the month." in text
    assert people.chair.name in text
    assert overdue_action.recommendation.review.victim_name not in text
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert root["/MarkInfo"]["/Marked"]

    letter = OutgoingEmail.objects.get(to=["chief.executive@example.org"])
    assert email_deliver(email_id=letter.pk).status == "sent"
    [message] = mail.outbox
    [(name, content, kind)] = message.attachments
    assert name.endswith(".pdf")
    assert kind == "application/pdf"
    assert content == pdf
    coordinators = OutgoingEmail.objects.get(subject__startswith="Escalation approved")
    assert coordinators.to == [people.coordinator.email]
    # The chair's copy, from the letter's page, is the same letter.
    job.refresh_from_db()
    with job.file.open("rb") as copy:
        assert copy.read() == pdf


def test_a_letter_written_again_after_a_worker_died_is_sent_once(people, overdue_action):
    escalation = services.escalation_decide(
        escalation=_proposed(people, overdue_action),
        by=people.chair,
        approve=True,
        comment="",
        send_to="chief.executive@example.org",
    )
    job = escalation.letter_job
    write_escalation_letter(job.pk)
    FileJob.objects.filter(pk=job.pk).update(state=FileJob.State.RUNNING)  # its worker died
    assert write_escalation_letter(job.pk) == FileJob.State.DONE
    assert OutgoingEmail.objects.filter(to=["chief.executive@example.org"]).count() == 1
    escalation.refresh_from_db()
    assert [h.history_change_reason for h in escalation.history.order_by("history_date")][
        -1
    ] == "Escalation letter written and sent"


def test_a_letter_that_cannot_be_sent_is_not_kept(people, overdue_action, monkeypatch):
    escalation = services.escalation_decide(
        escalation=_proposed(people, overdue_action),
        by=people.chair,
        approve=True,
        comment="",
        send_to="chief.executive@example.org",
    )

    def broken(**kwargs):
        raise RuntimeError("the outbox is full")

    monkeypatch.setattr(services.escalations, "email_queue", broken)
    folder = Path(settings.MEDIA_ROOT) / "escalations" / str(escalation.partnership_id)

    def kept():
        return set(folder.glob("*.pdf")) if folder.exists() else set()

    before = kept()
    assert write_escalation_letter(escalation.letter_job.pk) == FileJob.State.FAILED
    escalation.refresh_from_db()
    assert not escalation.letter
    assert kept() == before  # the file written before the failure was removed


@pytest.mark.parametrize("role", ["coordinator", "viewer", "agency_contact", "other_chair"])
def test_only_a_chair_of_the_partnership_decides(people, overdue_action, role):
    escalation = _proposed(people, overdue_action)
    with pytest.raises(NotAllowed):
        services.escalation_decide(
            escalation=escalation, by=getattr(people, role), approve=False, comment="No"
        )
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.PROPOSED


def test_declining_needs_a_reason_and_approving_an_address(people, overdue_action):
    escalation = _proposed(people, overdue_action)
    with pytest.raises(ValidationError, match="Say why"):
        services.escalation_decide(
            escalation=escalation, by=people.chair, approve=False, comment=""
        )
    with pytest.raises(ValidationError, match="email address"):
        services.escalation_decide(escalation=escalation, by=people.chair, approve=True, comment="")
    services.escalation_decide(
        escalation=escalation, by=people.chair, approve=False, comment="Give them a month"
    )
    with pytest.raises(TransitionError):
        services.escalation_decide(
            escalation=escalation, by=people.chair, approve=False, comment="x"
        )
    escalation.refresh_from_db()
    assert (escalation.status, escalation.letter.name) == (Escalation.Status.DECLINED, "")


def test_the_outcome_closes_an_approved_escalation(people, overdue_action):
    escalation = _proposed(people, overdue_action)
    with pytest.raises(TransitionError):
        services.escalation_record_outcome(
            escalation=escalation, by=people.coordinator, outcome="no_response", notes="", on=TODAY
        )
    services.escalation_decide(
        escalation=escalation, by=people.chair, approve=True, comment="", send_to="ceo@example.org"
    )
    with pytest.raises(NotAllowed):
        services.escalation_record_outcome(
            escalation=escalation, by=people.chair, outcome="no_response", notes="", on=TODAY
        )
    escalation = services.escalation_record_outcome(
        escalation=escalation,
        by=people.coordinator,
        outcome="back_on_track",
        notes="The protocol is signed",
        on=TODAY,
    )
    assert (escalation.status, escalation.outcome) == ("closed", "back_on_track")
    assert [h.history_change_reason for h in escalation.history.order_by("history_date")] == [
        "Escalation proposed",
        "Escalation approved: letter sent",
        "Escalation outcome recorded",
    ]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("chair", 200),
        ("admin", 200),
        ("viewer", 404),
        ("other_coordinator", 404),
        ("agency_contact", 404),
        ("stranger", 404),
    ],
)
def test_the_escalations_page_and_letter_are_for_the_partnership_s_coordinators_and_chairs(
    client, people, overdue_action, role, status
):
    escalation = _proposed(people, overdue_action)
    escalation = services.escalation_decide(
        escalation=escalation, by=people.chair, approve=True, comment="", send_to="ceo@example.org"
    )
    write_escalation_letter(escalation.letter_job.pk)
    client.force_login(getattr(people, role))
    assert client.get(reverse("recommendations:escalations", args=["home"])).status_code == status
    response = client.get(reverse("recommendations:escalation_letter", args=[escalation.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment")
        b"".join(response.streaming_content)
        assert AuditEvent.objects.filter(object_type="escalation_letter").exists()


def test_the_decision_form_explains_bad_input_and_saves_nothing(client, people, overdue_action):
    escalation = _proposed(people, overdue_action)
    client.force_login(people.chair)
    url = reverse("recommendations:escalation_decide", args=[escalation.pk])
    for data, message in [
        ({}, "Select whether you approve the escalation"),
        ({"approve": "yes", "send_to": ""}, "Enter the chief executive&#x27;s email address"),
        ({"approve": "yes", "send_to": "not-an-email"}, "Enter an email address like"),
        ({"approve": "no", "comment": " "}, "Say why the escalation is declined"),
    ]:
        response = client.post(url, data)
        page = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in page
        assert message in page
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.PROPOSED
    # A coordinator may not open it; once decided, it is closed to the chair too.
    client.force_login(people.coordinator)
    assert client.get(url).status_code == 403
    client.force_login(people.chair)
    response = client.post(url, {"approve": "yes", "send_to": "ceo@example.org", "comment": ""})
    assert response.status_code == 302
    assert client.get(url).status_code == 403
