"""The chase's escalations are written in bulk, a partnership at a time: each (and each action
it covers) still has the history row a one-by-one save would have given it, and a
partnership's proposals and its chairs' email are still written together or not at all."""

from datetime import date, timedelta

import pytest

from dhr.models import OutgoingEmail
from recommendations import services
from recommendations.models import EscalatedAction, Escalation
from reviews.tests.factories import ReviewSubmittedFactory

TODAY = date(2026, 6, 1)
REASON = "Escalation proposed by the daily chase"


def _overdue_actions(people, partnership, count):
    review = ReviewSubmittedFactory(partnership=partnership)
    by = people.coordinator if partnership == people.home else people.other_coordinator
    recommendation = services.recommendation_save(
        review=review,
        by=by,
        data={"text": "Share risk", "scope": "local", "lead_agency": people.involved_agency},
    )
    return [
        services.action_save(
            recommendation=recommendation,
            by=by,
            data={
                "description": f"Action {n}",
                "owner_agency": people.involved_agency,
                "target_date": TODAY - timedelta(days=40 + n),
                "completion_evidence": "Minutes",
            },
        )
        for n in range(count)
    ]


def test_each_escalation_the_chase_proposes_has_its_history_row(people):
    _overdue_actions(people, people.home, 3)
    _overdue_actions(people, people.away, 2)
    # One escalation for each partnership's review (and the agency), covering its actions.
    assert services.escalations_propose(today=TODAY) == 2
    history = Escalation.history.model
    for escalation in Escalation.objects.all():
        [row] = escalation.history.all()
        assert (row.history_type, row.history_user, row.history_change_reason) == (
            "+",
            None,
            REASON,
        )
        for field in history.tracked_fields:
            assert getattr(row, field.attname) == getattr(escalation, field.attname), field
    for covered in EscalatedAction.objects.all():
        [row] = covered.history.all()
        assert (row.history_type, row.history_user, row.history_change_reason) == (
            "+",
            None,
            "Added by the daily chase",
        )
        assert row.added_at == covered.added_at
    home = Escalation.objects.get(partnership=people.home)
    assert home.actions.count() == 3
    assert "are 40 to 42 days overdue" in home.reason
    # One email to each partnership's chairs, naming every action of its escalations.
    home, away = (OutgoingEmail.objects.get(partnership=p) for p in (people.home, people.away))
    assert home.body.count("days overdue)") == 3
    assert away.body.count("days overdue)") == 2


def test_a_partnership_whose_chairs_cannot_be_told_keeps_no_escalation(people, monkeypatch):
    _overdue_actions(people, people.home, 2)

    def broken_queue(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(services.escalations, "email_queue", broken_queue)
    with pytest.raises(RuntimeError):
        services.escalations_propose(today=TODAY)
    assert not Escalation.objects.exists()
    assert not Escalation.history.exists()
    assert not EscalatedAction.history.exists()
