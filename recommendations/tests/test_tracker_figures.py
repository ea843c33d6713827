"""How the tracker report counts what was written in the system (not imported): awaiting
feedback from an unanswered request, an imported status giving way to an accepted update,
review figures in a period, percents, and the period form's bad input."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations import services, tracker
from recommendations.models import Action, TrackerStatus
from recommendations.tests.factories import ActionFactory, plan_for
from reviews.models import Review, Status
from reviews.tests.factories import (
    ReviewDecisionPendingFactory,
    ReviewNotProceedingFactory,
    ReviewSubmittedFactory,
)


@pytest.mark.parametrize(
    ("count", "total", "expected"),
    [(1, 8, 13), (1, 3, 33), (2, 3, 67), (1, 2, 50), (5, 5, 100), (0, 0, 0), (3, 0, 0)],
)
def test_percents_are_whole_with_halves_rounded_up(count, total, expected):
    assert tracker.percent(count, total) == expected


def _groups(partnership):
    report = tracker.tracker_report(partnership, today=timezone.localdate())
    return report["recommendations"]["by_status"]


def test_an_unanswered_request_for_updates_makes_an_action_await_feedback(people):
    plan = plan_for(people, Status.MONITORING)
    assert _groups(people.home) == {"completed": 0, "in_progress": 1, "awaiting_feedback": 0}
    services.update_request_send(
        partnership=people.home, by=people.coordinator, due_on=date(2030, 1, 1)
    )
    report = tracker.tracker_report(people.home, today=timezone.localdate())
    assert report["recommendations"]["by_status"]["awaiting_feedback"] == 1
    assert report["recommendations"]["awaiting_by_lead_agency"] == [
        {"agency": "Involved Agency", "count": 1, "percent": 100}
    ]
    # An update sent since the request is feedback, even before the coordinator accepts it.
    services.action_update_submit(
        action=plan.action,
        by=people.agency_contact,
        new_status=Action.Status.IN_PROGRESS,
        narrative="Half the staff trained",
    )
    assert _groups(people.home) == {"completed": 0, "in_progress": 1, "awaiting_feedback": 0}


def test_an_accepted_update_replaces_the_imported_status(people):
    plan = plan_for(people, Status.MONITORING)
    Action.objects.filter(pk=plan.action.pk).update(
        reported_status=TrackerStatus.AWAITING_FEEDBACK, imported_on=timezone.localdate()
    )
    assert _groups(people.home)["awaiting_feedback"] == 1
    update = services.action_update_submit(
        action=plan.action,
        by=people.agency_contact,
        new_status=Action.Status.COMPLETED,
        narrative="All trained",
    )
    services.action_update_accept(update=update, by=people.coordinator)
    plan.action.refresh_from_db()
    assert plan.action.reported_status == ""
    assert _groups(people.home) == {"completed": 1, "in_progress": 0, "awaiting_feedback": 0}


def test_a_recommendation_is_completed_only_when_every_action_is(people):
    plan = plan_for(people, Status.MONITORING)
    Action.objects.filter(pk=plan.action.pk).update(status=Action.Status.COMPLETED)
    assert _groups(people.home)["completed"] == 1
    ActionFactory(recommendation=plan.recommendation, description="Audit it")
    assert _groups(people.home) == {"completed": 0, "in_progress": 1, "awaiting_feedback": 0}


def test_review_figures_count_what_happened_in_the_period(people):
    submitted = ReviewSubmittedFactory(partnership=people.home)
    pending = ReviewDecisionPendingFactory(partnership=people.home, reference="DHR-2025-99")
    ReviewSubmittedFactory(partnership=people.away)  # another partnership's
    everything = tracker.tracker_report(people.home, today=timezone.localdate())["reviews"]
    assert everything == {"considered": 2, "commissioned": 1, "completed": 1, "published": 0}
    day = submitted.submitted_on
    only_then = tracker.Period(start=day, end=day)
    figures = tracker.tracker_report(people.home, today=day, period=only_then)["reviews"]
    assert figures == {"considered": 0, "commissioned": 0, "completed": 1, "published": 0}
    notified = tracker.Period(start=pending.notified_on, end=pending.notified_on)
    figures = tracker.tracker_report(people.home, today=day, period=notified)["reviews"]
    assert figures["considered"] == 2  # both factories notify on the same day
    assert str(only_then) == f"{day:%-d %B %Y} to {day:%-d %B %Y}"


def test_a_review_directed_by_the_secretary_of_state_counts_as_commissioned_when_directed(people):
    directed = ReviewNotProceedingFactory(partnership=people.home)
    figures = tracker.tracker_report(people.home, today=timezone.localdate())["reviews"]
    assert figures["commissioned"] == 0
    day = directed.decided_on + timedelta(days=40)
    Review.objects.filter(pk=directed.pk).update(directed_on=day, status=Status.PROCEEDING)
    figures = tracker.tracker_report(people.home, today=day)["reviews"]
    assert figures["commissioned"] == 1
    before = tracker.Period(start=directed.decided_on, end=day - timedelta(days=1))
    assert (
        tracker.tracker_report(people.home, today=day, period=before)["reviews"]["commissioned"]
        == 0
    )


def test_overdue_actions_are_open_ones_past_their_target(people):
    plan = plan_for(people, Status.MONITORING)
    today = timezone.localdate()
    Action.objects.filter(pk=plan.action.pk).update(target_date=today - timedelta(days=1))
    ActionFactory(
        recommendation=plan.recommendation,
        target_date=today - timedelta(days=5),
        status=Action.Status.COMPLETED,
    )
    ActionFactory(recommendation=plan.recommendation, target_date=today)
    actions = tracker.tracker_report(people.home, today=today)["actions"]
    assert actions["overdue"] == 1
    assert actions["total"] == 3


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start_0": "31", "start_1": "2", "start_2": "2026"}, "must be a real date"),
        ({"start_0": "1", "start_1": "", "start_2": "2026"}, "must include a day, month and year"),
        (
            {
                "start_0": "2",
                "end_0": "1",
                "start_1": "4",
                "end_1": "4",
                "start_2": "2026",
                "end_2": "2026",
            },
            "The last day of the period must be on or after the first day",
        ),
    ],
)
def test_a_bad_period_is_explained_and_kept(client, people, query, message):
    client.force_login(people.chair)
    response = client.get(reverse("recommendations:tracker", args=["home"]), query)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert f'value="{query["start_0"]}"' in page
    assert "<strong>All time</strong>" in page  # the figures stay those of all time
