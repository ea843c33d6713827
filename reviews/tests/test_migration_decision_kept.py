"""The migration that keeps on the QA panel's view the decision it considered (0013 adds the
fields, 0014 fills them, decision 0016) gives the views recorded before it their decision: from
the review row while no fresh decision has been made since, otherwise from the review's
history at the last version that held the decision; empty where the history does not hold it.
The due date is worked out as the clocks do."""

from datetime import date

import pytest

from dhr.tests.migrating import migrate, migrate_to_latest
from reviews import decision_route, services
from reviews.models import DecisionQAView, Review
from reviews.tests.factories import ReviewNotProceedingFactory, UserFactory
from reviews.tests.test_decision_route import _decide, _reconsider

# Migrating the test database back and forth takes seconds; inside the test's transaction, undone
# by its rollback (dhr/tests/migrating.py).
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

BEFORE = [("reviews", "0012_two_chairs_field_labels")]
KEPT = (
    "decision_due_on",
    "decided_by",
    "decision_reasons",
    "home_office_told_on",
    "family_told_on",
)


def _kept(qa_view: DecisionQAView) -> tuple:
    return tuple(getattr(qa_view, name) for name in KEPT)


def test_existing_views_get_the_decision_they_considered(people):
    first_chair = UserFactory(name="Morag Ellis")
    # Awaiting the fresh decision: the review row still holds the decision considered.
    awaiting = ReviewNotProceedingFactory(
        partnership=people.home, decided_by=first_chair, family_told_on=date(2025, 2, 24)
    )
    _reconsider(awaiting, people, on=date(2025, 4, 1))
    # Decided afresh: the earlier decision is only in the review's history.
    decided = ReviewNotProceedingFactory(
        partnership=people.home, decided_by=first_chair, family_told_on=date(2025, 2, 25)
    )
    _reconsider(decided, people, on=date(2025, 4, 1))
    _decide(decided, people, proceed=False, reasons="Looked at again: not met.")
    # The panel agreed with the fresh decision: the review row holds it.
    decided.refresh_from_db()
    services.review_record_home_office_told(
        review=decided, by=people.coordinator, told_on=date(2025, 4, 25)
    )
    decision_route.review_record_decision_qa_view(
        review=decided,
        by=people.coordinator,
        view=DecisionQAView.View.AGREES,
        received_on=date(2025, 5, 2),
    )
    # Decided afresh with no history of the earlier decision (a review from before history).
    unknown = ReviewNotProceedingFactory(partnership=people.home, decided_by=first_chair)
    _reconsider(unknown, people, on=date(2025, 4, 1))
    _decide(unknown, people, proceed=True, reasons="Coercive control was a concern.")
    Review.history.filter(id=unknown.pk, decided_on=date(2025, 2, 20)).delete()
    expected = {
        qa_view.pk: _kept(qa_view)
        for qa_view in DecisionQAView.objects.filter(review__in=[awaiting, decided])
    }

    migrate(BEFORE)  # the fields go
    migrate_to_latest()  # and come back, filled from what the review kept

    for pk, kept in expected.items():
        assert _kept(DecisionQAView.objects.get(pk=pk)) == kept
        assert _kept(DecisionQAView.history.get(id=pk)) == kept
    assert _kept(awaiting.decision_qa_views.get()) == (
        date(2025, 2, 28),
        first_chair,
        "Criteria not met",
        date(2025, 2, 21),
        date(2025, 2, 24),
    )
    reconsider, agrees = decided.decision_qa_views.order_by("received_on")
    assert _kept(reconsider) == (
        date(2025, 2, 28),
        first_chair,
        "Criteria not met",
        date(2025, 2, 21),
        date(2025, 2, 25),
    )
    assert _kept(agrees) == (
        date(2025, 5, 1),  # a month from the panel's request
        people.chair,
        "Looked at again: not met.",
        date(2025, 4, 25),
        None,
    )
    assert _kept(unknown.decision_qa_views.get()) == (date(2025, 2, 28), None, "", None, None)
