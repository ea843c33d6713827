"""Every missed or late date flagged where it is shown, from the one list of open deadlines the
dashboard, the review list and the chase read: the Home Office told of the decision, a decision
made late, the revised report after QA, an action's target."""

import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dhr.models import User
from dhr.templatetags.dhr_tags import days_late
from dhr.tests.demo_data import load_demo
from recommendations.deadlines import action_deadline
from recommendations.models import Action
from recommendations.tests.factories import plan_for
from reviews.deadlines import of_review, open_deadlines
from reviews.models import Review, Status
from reviews.tests.factories import (
    ReviewDecisionPendingFactory,
    ReviewNotProceedingFactory,
    ReviewProceedingFactory,
    ReviewQAFeedbackFactory,
    ReviewSignedOffFactory,
    ReviewSubmittedFactory,
)
from reviews.work import work_for

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _section(response, element_id: str, end: str = "</dd>") -> str:
    html = response.content.decode()
    start = html.index(f'id="{element_id}"')
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start : html.index(end, start)]))


def test_days_late_counts_only_what_was_done_after_its_date():
    due = date(2026, 1, 10)
    assert days_late(date(2026, 1, 11), due) == 1
    assert days_late(date(2026, 6, 16), due) == 157
    assert days_late(due, due) is None
    assert days_late(date(2026, 1, 9), due) is None
    assert days_late(None, due) is None
    assert days_late(due, None) is None


# The Home Office told of the decision.


def test_a_decision_not_yet_told_to_the_home_office_is_due_and_then_overdue(people):
    review = ReviewProceedingFactory(partnership=people.home, home_office_told_on=None)
    due = review.decision_due_on
    [deadline] = [d for d in of_review(review, due) if d.kind == "home-office-notice"]
    assert (deadline.due, deadline.days_left, deadline.overdue) == (due, 0, False)
    later = of_review(review, due + timedelta(days=9))
    [deadline] = [d for d in later if d.kind == "home-office-notice"]
    assert deadline.days_left == -9
    assert deadline.url == reverse("reviews:home_office_told", args=[review.pk])


@pytest.mark.parametrize(
    "factory", [ReviewNotProceedingFactory, ReviewProceedingFactory, ReviewSignedOffFactory]
)
def test_every_decided_review_until_submission_waits_for_the_notice(people, factory):
    review = factory(partnership=people.home, home_office_told_on=None)
    kinds = {d.kind for d in of_review(review, timezone.localdate())}
    assert "home-office-notice" in kinds


@pytest.mark.parametrize(
    "factory", [ReviewDecisionPendingFactory, ReviewSubmittedFactory, ReviewQAFeedbackFactory]
)
def test_no_notice_is_due_before_the_decision_or_once_the_report_is_submitted(people, factory):
    review = factory(partnership=people.home, home_office_told_on=None)
    assert "home-office-notice" not in {d.kind for d in of_review(review, timezone.localdate())}


def test_a_notice_recorded_is_no_longer_due(people):
    review = ReviewProceedingFactory(partnership=people.home, home_office_told_on=date(2025, 3, 1))
    assert "home-office-notice" not in {d.kind for d in of_review(review, timezone.localdate())}


def test_the_coordinator_s_queue_holds_the_overdue_notice_and_its_form(people):
    review = ReviewProceedingFactory(partnership=people.home, home_office_told_on=None)
    today = timezone.localdate()
    work = work_for(people.coordinator, reviews=Review.objects.all(), today=today)
    [group] = [g for g in work.mine if g.kind == "home-office-notice"]
    [item] = group.items
    assert item.review == review
    assert item.overdue
    assert item.url == reverse("reviews:home_office_told", args=[review.pk])
    chair = work_for(people.chair, reviews=Review.objects.all(), today=today)
    assert "home-office-notice" not in {g.kind for g in chair.mine}


def test_the_review_page_says_the_home_office_is_not_told_and_links_to_record_it(people, client):
    review = ReviewProceedingFactory(partnership=people.home, home_office_told_on=None)
    client.force_login(people.coordinator)
    response = client.get(reverse("reviews:detail", args=[review.pk]))
    days = (timezone.localdate() - review.decision_due_on).days
    row = _section(response, "statutory-dates", "</dl>")
    assert f"Not told: {days} days overdue" in row
    assert "Record when the Home Office was told" in row
    overdue = response.context["overdue"]
    assert [(d.kind, link) for d, link in overdue if d.kind == "home-office-notice"] == [
        ("home-office-notice", reverse("reviews:home_office_told", args=[review.pk]))
    ]
    # A viewer reads that it is overdue, without a form they may not fill in.
    review.viewers.add(people.viewer)
    client.force_login(people.viewer)
    response = client.get(reverse("reviews:detail", args=[review.pk]))
    assert "Not told:" in _text(response)
    assert "Record when the Home Office was told" not in _text(response)
    assert [link for d, link in response.context["overdue"] if d.kind == "home-office-notice"] == [
        ""
    ]


def test_the_coordinator_records_the_notice_and_a_late_one_shows_how_late(people, client):
    review = ReviewProceedingFactory(partnership=people.home, home_office_told_on=None)
    client.force_login(people.coordinator)
    url = reverse("reviews:home_office_told", args=[review.pk])
    told = review.decision_due_on + timedelta(days=9)
    response = client.post(
        url, {"told_on_0": told.day, "told_on_1": told.month, "told_on_2": told.year}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.home_office_told_on == told
    assert review.history.first().history_change_reason == "Home Office told of the decision"
    page = client.get(reverse("reviews:detail", args=[review.pk]))
    assert f"Told {told:%-d %B %Y} 9 days late" in _text(page)
    assert "home-office-notice" not in {d.kind for d in of_review(review, timezone.localdate())}


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (None, "Enter the date the Home Office was told"),
        ("before", "The date the Home Office was told must be on or after the decision, "),
        ("future", "The date the Home Office was told must be today or in the past"),
        ("31/2/2026", "The date the Home Office was told must be a real date"),
    ],
)
def test_a_bad_notice_date_is_refused_kept_and_nothing_saved(people, client, day, message):
    review = ReviewProceedingFactory(partnership=people.home, home_office_told_on=None)
    if day is None:
        parts = ("", "", "")
    elif day == "before":
        before = review.decided_on - timedelta(days=1)
        parts = (before.day, before.month, before.year)
    elif day == "future":
        future = timezone.localdate() + timedelta(days=1)
        parts = (future.day, future.month, future.year)
    else:
        parts = tuple(day.split("/"))
    client.force_login(people.coordinator)
    url = reverse("reviews:home_office_told", args=[review.pk])
    data = dict(zip(("told_on_0", "told_on_1", "told_on_2"), map(str, parts), strict=True))
    response = client.post(url, data)
    assert response.status_code == 200
    text = _text(response)
    assert "There is a problem" in text
    assert message in text
    for value in data.values():
        if value:
            assert f'value="{value}"' in response.content.decode()
    review.refresh_from_db()
    assert review.home_office_told_on is None


def test_the_notice_cannot_be_recorded_once_the_report_is_submitted(people, client):
    review = ReviewSubmittedFactory(partnership=people.home, home_office_told_on=None)
    client.force_login(people.coordinator)
    today = timezone.localdate()
    response = client.post(
        reverse("reviews:home_office_told", args=[review.pk]),
        {"told_on_0": today.day, "told_on_1": today.month, "told_on_2": today.year},
    )
    assert response.status_code in (200, 403, 409)
    review.refresh_from_db()
    assert review.home_office_told_on is None


# A decision made late, a revised report after QA, an action's target.


def test_a_decision_made_late_says_how_late(people, client):
    review = ReviewProceedingFactory(partnership=people.home)
    decided = review.decision_due_on + timedelta(days=157)
    Review.objects.filter(pk=review.pk).update(decided_on=decided)
    client.force_login(people.coordinator)
    response = client.get(reverse("reviews:detail", args=[review.pk]))
    assert f"Decided {decided:%-d %B %Y} 157 days late" in _text(response)


def test_a_decision_on_time_says_nothing_of_lateness(people, client):
    review = ReviewProceedingFactory(partnership=people.home, home_office_told_on=date(2025, 2, 20))
    client.force_login(people.coordinator)
    response = client.get(reverse("reviews:detail", args=[review.pk]))
    assert " late" not in _section(response, "statutory-dates", "</dl>")


def test_the_revised_report_s_date_is_on_the_review_page_and_the_qa_tab(people, client):
    review = ReviewQAFeedbackFactory(partnership=people.home)
    [deadline] = [d for d in of_review(review, timezone.localdate()) if d.kind == "revised-report"]
    client.force_login(people.coordinator)
    for url in (
        reverse("reviews:detail", args=[review.pk]),
        reverse("qa_feedback:review", args=[review.pk]),
    ):
        shown = _section(client.get(url), "revised-report-due")
        assert f"{deadline.due:%-d %B %Y}" in shown
        assert "overdue" in shown or "left" in shown or "Due today" in shown


def test_an_overdue_action_s_page_says_how_overdue_as_its_plan_does(people, client):
    plan = plan_for(people, Status.MONITORING)
    action = plan.action
    Action.objects.filter(pk=action.pk).update(target_date=timezone.localdate() - timedelta(50))
    client.force_login(people.coordinator)
    page = client.get(reverse("recommendations:action", args=[action.pk]))
    assert "50 days overdue" in _section(page, "target-date")
    plan_page = client.get(reverse("recommendations:plan", args=[plan.review.pk]))
    assert "50 days overdue" in _text(plan_page)


# One list: on the demo, every review page's "Overdue" is the list the dashboard and the chase
# read, and so is every action page's tag.


def _compare_pages_with_the_deadlines(client, user):
    client.force_login(user)
    today = timezone.localdate()
    deadlines = open_deadlines(reviews=Review.objects.all(), today=today)
    overdue = {}
    for d in deadlines:
        if d.overdue and d.review is not None:
            overdue.setdefault(d.review.pk, set()).add((d.object_type, d.object_id))
    compared = 0
    for review in Review.objects.filter(partnership__in=user.memberships.values("partnership")):
        response = client.get(reverse("reviews:detail", args=[review.pk]))
        shown = {(d.object_type, d.object_id) for d, _ in response.context["overdue"]}
        assert shown == overdue.get(review.pk, set()), review.reference
        compared += bool(shown)
    actions = Action.objects.filter(
        recommendation__review__partnership__in=user.memberships.values("partnership")
    ).select_related("recommendation__review__partnership", "owner_agency")
    tagged = 0
    for action in actions:
        page = client.get(reverse("recommendations:action", args=[action.pk]))
        deadline = action_deadline(action, today)
        shown = _section(page, "target-date")
        expected = deadline is not None and deadline.overdue
        assert ("overdue" in shown) == expected, action.pk
        if expected:
            assert ("action", str(action.pk)) in overdue[action.recommendation.review.pk]
            tagged += 1
    return compared, tagged


def test_on_the_demo_every_review_page_and_action_page_agrees_with_the_deadlines(client):
    load_demo()
    compared, tagged = _compare_pages_with_the_deadlines(
        client, User.objects.get(email="coordinator@example.org")
    )
    # The comparison met overdue reviews and actions.
    assert compared >= 5
    assert tagged >= 5


@pytest.mark.slow
def test_on_a_seeded_partnership_every_review_page_agrees_with_the_deadlines(client):
    call_command(
        "seed_national", "--partnerships", "1", "--reviews", "40", "--recommendations", "60",
        verbosity=0,
    )  # fmt: skip
    coordinator = User.objects.filter(memberships__role="coordinator").first()
    compared, tagged = _compare_pages_with_the_deadlines(client, coordinator)
    assert compared >= 5
    assert tagged >= 5
