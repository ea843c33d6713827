"""The terms of reference are drafted and agreed within the decision's timescale, a month from
the notification (CSP briefing 6.5): a due date worked out by `clocks`, chased from the decision
to hold a review until they are agreed, in the coordinators' work queue, and shown on the review
page as due, overdue, or agreed (late)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from dhr.models import GuidanceVersion
from reviews import clocks, deadlines, services, work
from reviews.chase import chase_run
from reviews.models import Reminder, Review, Status
from reviews.tests.factories import FACTORY_FOR_STATUS, NOTIFIED_ON, ReviewProceedingFactory

# The factories' reviews are notified on 31 January 2025: the terms of reference are due on
# 28 February (a month on, clamped), the same day as the decision.
DUE = date(2025, 2, 28)


def _review(people, status=Status.PROCEEDING, **fields):
    """A review at `status`; at "proceeding", one whose terms of reference are not yet agreed."""
    factory = ReviewProceedingFactory if status == Status.PROCEEDING else FACTORY_FOR_STATUS[status]
    return factory(partnership=people.home, **fields)


def test_due_a_month_after_the_notification_under_each_guidance_version(people):
    for version in GuidanceVersion:
        review = _review(people, guidance_version=version)
        assert clocks.terms_of_reference_due(review) == DUE
        assert clocks.terms_of_reference_due(review) == clocks.decision_due(review)
    leap = _review(people, notified_on=date(2028, 1, 31))
    assert clocks.terms_of_reference_due(leap) == date(2028, 2, 29)


def test_none_without_a_review_to_hold_or_a_notification_date(people):
    assert clocks.terms_of_reference_due(_review(people, Status.NOT_PROCEEDING)) is None
    assert clocks.terms_of_reference_due(_review(people, notified_on=None)) is None


def test_an_open_deadline_from_the_decision_until_agreed(people):
    today = date(2025, 3, 10)
    pending = _review(people, Status.DECISION_PENDING)
    proceeding = _review(people)
    agreed = _review(people, Status.SET_UP)  # agreed on 12 March, before set-up was completed
    found = [
        d
        for d in deadlines.open_deadlines(reviews=Review.objects.all(), today=today)
        if d.kind == "terms-of-reference"
    ]
    [deadline] = found
    assert deadline.review == proceeding
    assert (deadline.object_type, deadline.object_id) == (
        "review.terms_of_reference",
        str(proceeding.pk),
    )
    assert (deadline.due, deadline.days_left, deadline.overdue) == (DUE, -10, True)
    assert deadline.url == reverse("reviews:set_up", args=[proceeding.pk])
    assert deadline.chase == deadlines.Chase.COORDINATORS
    # Not before the decision (the decision is the deadline then), nor once agreed.
    assert {pending.pk, agreed.pk}.isdisjoint({d.review.pk for d in found})
    # `until` keeps it only when due by then.
    assert not [
        d
        for d in deadlines.open_deadlines(
            reviews=Review.objects.all(), today=today, until=DUE - timedelta(days=1)
        )
        if d.kind == "terms-of-reference"
    ]


def test_in_the_coordinator_s_queue_when_overdue(people):
    review = _review(people)
    queue = work.work_for(people.coordinator, reviews=Review.objects.all(), today=date(2025, 3, 3))
    [group] = [g for g in queue.mine if g.kind == "terms-of-reference"]
    [item] = group.items
    assert item.review == review
    assert item.overdue
    assert item.url == reverse("reviews:set_up", args=[review.pk])
    chair = work.work_for(people.chair, reviews=Review.objects.all(), today=date(2025, 3, 3))
    assert "terms-of-reference" not in {g.kind for g in chair.mine}


def test_chased_exactly_once_a_step_until_agreed(people):
    """Decided on 20 February, eight days before the date: the 14-day step caught up that day
    ("Due in 8 days"), then 3 days before, on the day, and weekly while overdue, each once
    however often the chase runs, until the terms of reference are agreed on 9 March."""
    review = _review(people)
    sent = {}
    day = date(2025, 2, 20)
    while day <= date(2025, 3, 14):
        for _ in range(2):  # the job runs twice a day: nothing goes twice
            before = len(mail.outbox)
            with time_machine.travel(day, tick=False):
                chase_run(today=day)
            if len(mail.outbox) > before:
                sent.setdefault(day, []).extend(m.subject for m in mail.outbox[before:])
        if day == date(2025, 3, 9):
            services.review_update_set_up(
                review=review,
                by=people.coordinator,
                data={"terms_of_reference": "Kept", "terms_of_reference_agreed_on": day},
            )
        day += timedelta(days=1)
    title = review.public_title
    what = "Terms of reference"
    assert sent == {
        date(2025, 2, 20): [f"Due in 8 days: {what}, {title}"],
        date(2025, 2, 25): [f"Due in 3 days: {what}, {title}"],
        date(2025, 2, 28): [f"Due today: {what}, {title}"],
        date(2025, 3, 7): [f"Overdue by 7 days: {what}, {title}"],
    }
    assert Reminder.objects.filter(object_type="review.terms_of_reference").count() == 4
    assert all(m.to == [people.coordinator.email] for m in mail.outbox)


def _page(client, user, review, today):
    client.force_login(user)
    with time_machine.travel(today, tick=False):
        page = client.get(review.get_absolute_url()).content.decode()
    return " ".join(page.split())


def _row(page):
    start = page.index('id="terms-of-reference-due"')
    return page[start : page.index("</dd>", start)]


def test_the_review_page_shows_it_due_overdue_and_agreed_late(client, people):
    review = _review(people)
    due = _row(_page(client, people.coordinator, review, date(2025, 2, 20)))
    assert "28 February 2025" in due
    assert "(8 days left)" in due
    overdue_page = _page(client, people.coordinator, review, date(2025, 3, 3))
    overdue = _row(overdue_page)
    assert "Not agreed:" in overdue
    assert "3 days overdue" in overdue
    assert "Record the terms of reference" in overdue
    assert 'data-kind="terms-of-reference"' in overdue_page  # in the page's "Overdue" list

    # Agreed on 12 March 2025, 12 days after it was due.
    agreed = _review(people, Status.SET_UP)
    assert agreed.terms_of_reference_agreed_on == NOTIFIED_ON + timedelta(days=40)
    agreed.viewers.add(people.viewer)
    row = _row(_page(client, people.viewer, agreed, date(2025, 4, 1)))
    assert "Agreed 12 March 2025" in row
    assert "12 days late" in row
    # A viewer sees it overdue, and is not offered the coordinator's form.
    review.viewers.add(people.viewer)
    viewer_row = _row(_page(client, people.viewer, review, date(2025, 3, 3)))
    assert "3 days overdue" in viewer_row
    assert "Record the terms of reference" not in viewer_row


@pytest.mark.parametrize("status", [Status.NOT_PROCEEDING, Status.DECISION_PENDING])
def test_not_shown_overdue_where_no_review_is_held_or_before_the_decision(client, people, status):
    review = _review(people, status)
    page = _page(client, people.coordinator, review, date(2025, 3, 20))
    assert 'data-kind="terms-of-reference"' not in page
