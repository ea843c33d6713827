"""The migration that makes a pause of the clock need a chair's agreement (0010, decision 0013)
keeps the pauses recorded before it: a proceeding that paused the review is an agreed pause,
its date unchanged; one that did not has no effect. Going back restores `pauses_review`."""

from datetime import date

import pytest

from dhr.tests.migrating import migrate, migrate_to_latest
from reviews import services
from reviews.models import ParallelProceeding
from reviews.tests.factories import ReviewAgencyReportsFactory

# Migrating the test database back and forth takes seconds; inside the test's transaction, undone
# by its rollback (dhr/tests/migrating.py).
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

BEFORE = [("reviews", "0009_decision_route_and_safeguarding_notice")]
AFTER = [("reviews", "0010_proceeding_effect_and_agreed_pauses")]


def _old_proceeding(apps, review, *, pauses, **dates):
    Proceeding = apps.get_model("reviews", "ParallelProceeding")
    History = apps.get_model("reviews", "HistoricalParallelProceeding")
    proceeding = Proceeding.objects.create(
        review_id=review.pk, kind="criminal_trial", pauses_review=pauses, **dates
    )
    History.objects.create(
        id=proceeding.pk,
        review_id=review.pk,
        kind="criminal_trial",
        pauses_review=pauses,
        history_date="2025-06-01T09:00:00Z",
        history_type="+",
        **dates,
    )
    return proceeding.pk


def test_going_back_and_coming_forward_again(people):
    """One trip back and forth for both ways: going back before 0010 undoes every later
    migration of reviews too, the longest part of the test (about 10 s)."""
    # Going back, only an agreed pause pauses the review.
    later = ReviewAgencyReportsFactory(partnership=people.home)
    asked = ParallelProceeding.objects.create(
        review=later,
        kind="iopc",
        started_on=date(2025, 6, 1),
        effect="pause",
        pause_status="requested",
    )
    agreed = ParallelProceeding.objects.create(
        review=later,
        kind="inquest",
        started_on=date(2025, 6, 1),
        effect="pause",
        pause_status="agreed",
    )
    review = ReviewAgencyReportsFactory(partnership=people.home)  # report due 20 August 2025
    old = migrate(BEFORE)
    Proceeding = old.get_model("reviews", "ParallelProceeding")
    assert Proceeding.objects.get(pk=asked.pk).pauses_review is False
    assert Proceeding.objects.get(pk=agreed.pk).pauses_review is True

    # Coming forward, the pauses recorded before are agreed and the others have no effect.
    paused = _old_proceeding(
        old, review, pauses=True, started_on=date(2025, 6, 1), ended_on=date(2025, 6, 30)
    )
    carried_on = _old_proceeding(old, review, pauses=False, started_on=date(2025, 7, 1))
    migrate(AFTER)
    migrate_to_latest()  # as the models are now
    pause = ParallelProceeding.objects.get(pk=paused)
    assert (pause.effect, pause.pause_status, pause.pauses_review) == ("pause", "agreed", True)
    assert pause.pause_decided_by is None  # who agreed was not recorded then
    assert "kept as it was, as agreed" in pause.pause_decision_comment
    other = ParallelProceeding.objects.get(pk=carried_on)
    assert (other.effect, other.pause_status, other.pauses_review) == ("none", "", False)
    assert {(h.id, h.pause_status) for h in ParallelProceeding.history.filter(review=review)} == {
        (paused, "agreed"),
        (carried_on, ""),
    }
    # The date is what it was: 30 days of June after 20 August.
    services.review_refresh_clock_dates(review=review)
    review.refresh_from_db()
    assert review.report_due_on == date(2025, 9, 19)
