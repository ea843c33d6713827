"""The migration that makes a pause of the clock need a chair's agreement (0010, decision 0013)
keeps the pauses recorded before it: a proceeding that paused the review is an agreed pause,
its date unchanged; one that did not has no effect. Going back restores `pauses_review`."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reviews import services
from reviews.models import ParallelProceeding
from reviews.tests.factories import ReviewAgencyReportsFactory

# Migrating the test database back and forth, and the flush after each test, take seconds.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BEFORE = [("reviews", "0009_decision_route_and_safeguarding_notice")]
AFTER = [("reviews", "0010_proceeding_effect_and_agreed_pauses")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_latest():
    """Whatever a test does, the database ends with every migration applied."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


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


def test_existing_pauses_stay_agreed_and_the_others_have_no_effect(people, at_latest):
    review = ReviewAgencyReportsFactory(partnership=people.home)  # report due 20 August 2025
    old = _migrate(BEFORE)
    paused = _old_proceeding(
        old, review, pauses=True, started_on=date(2025, 6, 1), ended_on=date(2025, 6, 30)
    )
    carried_on = _old_proceeding(old, review, pauses=False, started_on=date(2025, 7, 1))

    _migrate(AFTER)
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # as the models are now
    pause = ParallelProceeding.objects.get(pk=paused)
    assert (pause.effect, pause.pause_status, pause.pauses_review) == ("pause", "agreed", True)
    assert pause.pause_decided_by is None  # who agreed was not recorded then
    assert "kept as it was, as agreed" in pause.pause_decision_comment
    other = ParallelProceeding.objects.get(pk=carried_on)
    assert (other.effect, other.pause_status, other.pauses_review) == ("none", "", False)
    assert {(h.id, h.pause_status) for h in ParallelProceeding.history.all()} == {
        (paused, "agreed"),
        (carried_on, ""),
    }
    # The date is what it was: 30 days of June after 20 August.
    services.review_refresh_clock_dates(review=review)
    review.refresh_from_db()
    assert review.report_due_on == date(2025, 9, 19)


def test_going_back_keeps_only_agreed_pauses_as_pauses(people, at_latest):
    review = ReviewAgencyReportsFactory(partnership=people.home)
    asked = ParallelProceeding.objects.create(
        review=review,
        kind="iopc",
        started_on=date(2025, 6, 1),
        effect="pause",
        pause_status="requested",
    )
    agreed = ParallelProceeding.objects.create(
        review=review,
        kind="inquest",
        started_on=date(2025, 6, 1),
        effect="pause",
        pause_status="agreed",
    )
    old = _migrate(BEFORE)
    Proceeding = old.get_model("reviews", "ParallelProceeding")
    assert Proceeding.objects.get(pk=asked.pk).pauses_review is False
    assert Proceeding.objects.get(pk=agreed.pk).pauses_review is True
