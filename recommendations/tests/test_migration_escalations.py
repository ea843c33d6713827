"""The migration that groups escalations (0006 to 0008) keeps every escalation recorded before
it: each escalation of one action becomes one of that action's review and agency covering it,
none merged with another, its history given the review; going back restores them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dhr.tests.migrating import migrate
from recommendations.models import EscalatedAction, Escalation
from recommendations.tests.factories import ActionFactory, RecommendationFactory
from reviews.tests.factories import ReviewSubmittedFactory, UserFactory

# Migrating the test database back and forth takes seconds; inside the test's transaction, undone
# by its rollback (dhr/tests/migrating.py).
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

BEFORE = [("recommendations", "0005_action_owner_agency_target_date_index")]
AFTER = [("recommendations", "0008_escalation_action_removed")]


@pytest.fixture
def plan(people):
    """Two actions of the involved agency on one review, one of another agency's."""
    review = ReviewSubmittedFactory(partnership=people.home)
    recommendation = RecommendationFactory(review=review, lead_agency=people.involved_agency)
    return (
        review,
        ActionFactory(recommendation=recommendation),
        ActionFactory(recommendation=recommendation),
        ActionFactory(recommendation=recommendation, owner_agency=people.other_agency),
    )


def _old_escalation(apps, people, *, action=None, requested=None, status="proposed", days_ago=0):
    """An escalation as the chase or a coordinator wrote it before the migration, with the
    history row of its proposal."""
    Escalation_, History = (
        apps.get_model("recommendations", name) for name in ("Escalation", "HistoricalEscalation")
    )
    agency_id = action.owner_agency_id if action else requested.agency_id
    escalation = Escalation_.objects.create(
        partnership_id=people.home.pk,
        agency_id=agency_id,
        action_id=action.pk if action else None,
        requested_id=requested.pk if requested else None,
        reason="Late",
        status=status,
        proposed_by_id=people.coordinator.pk,
    )
    proposed = timezone.now() - timedelta(days=days_ago)
    Escalation_.objects.filter(pk=escalation.pk).update(proposed_at=proposed)
    History.objects.create(
        id=escalation.pk,
        partnership_id=people.home.pk,
        agency_id=agency_id,
        action_id=escalation.action_id,
        requested_id=escalation.requested_id,
        reason="Late",
        status=status,
        proposed_at=proposed,
        proposed_by_id=people.coordinator.pk,
        history_date=proposed,
        history_type="+",
        history_user_id=people.coordinator.pk,
        history_change_reason="Escalation proposed",
    )
    return escalation.pk


def _requested(apps, people, action):
    UpdateRequest, RequestedAgency = (
        apps.get_model("recommendations", name) for name in ("UpdateRequest", "RequestedAgency")
    )
    request = UpdateRequest.objects.create(
        partnership_id=people.home.pk,
        sent_by_id=people.coordinator.pk,
        due_on=timezone.localdate(),
    )
    return RequestedAgency.objects.create(request=request, agency_id=action.owner_agency_id)


def test_each_escalation_of_one_action_covers_it_on_its_review_until_going_back(people, plan):
    """One trip back and forth for both ways: going back before 0006 undoes every later
    migration of recommendations too, the longest part of the test."""
    review, first, second, theirs = plan
    old = migrate(BEFORE)
    # Two escalations of the same agency on the same review (the chase's one per action), one
    # of another agency, one decided, and one of a missed request for updates.
    one = _old_escalation(old, people, action=first, days_ago=10)
    two = _old_escalation(old, people, action=second, days_ago=9)
    other = _old_escalation(old, people, action=theirs, status="declined", days_ago=8)
    asked = _old_escalation(old, people, requested=_requested(old, people, first), days_ago=7)

    migrate(AFTER)
    assert Escalation.objects.count() == 4  # none lost, none merged
    for pk, action in [(one, first), (two, second), (other, theirs)]:
        escalation = Escalation.objects.get(pk=pk)
        assert (escalation.review, escalation.agency) == (review, action.owner_agency)
        [covered] = EscalatedAction.objects.filter(escalation=escalation)
        assert covered.action == action
        assert covered.added_at == escalation.proposed_at  # covered since it was proposed
        [row] = covered.history.all()
        assert (row.history_type, row.history_user, row.history_date) == (
            "+",
            people.coordinator,
            escalation.proposed_at,
        )
        [version] = escalation.history.all()
        assert version.review_id == review.pk
    assert Escalation.objects.get(pk=other).status == "declined"
    request_escalation = Escalation.objects.get(pk=asked)
    assert request_escalation.review is None
    assert request_escalation.requested is not None
    assert not request_escalation.actions.exists()

    # Going back puts each escalation's action back, in its history too.
    old = migrate(BEFORE)
    actions = {one: first.pk, two: second.pk, other: theirs.pk, asked: None}
    Escalation_, History = (
        old.get_model("recommendations", name) for name in ("Escalation", "HistoricalEscalation")
    )
    assert dict(Escalation_.objects.values_list("pk", "action_id")) == actions
    assert dict(History.objects.values_list("id", "action_id")) == actions


def test_going_back_stops_at_an_escalation_covering_several_actions(people, plan):
    _, first, second, _ = plan
    escalation = Escalation.objects.create(
        partnership=people.home,
        agency=first.owner_agency,
        review=first.recommendation.review,
        reason="Late",
        proposed_by=UserFactory(),
    )
    for action in (first, second):
        EscalatedAction.objects.create(escalation=escalation, action=action)
    with pytest.raises(RuntimeError, match=f"more than one action.*: {escalation.pk}\\."):
        migrate(BEFORE)
    # Nothing was changed: the escalation still covers both.
    migrate(AFTER)
    assert set(Escalation.objects.get().actions.all()) == {first, second}
