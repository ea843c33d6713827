"""The partnership's target for revising the report after the QA letter: listed with the
review's deadlines, chased with the coordinators once per step, and gone once the chair has
approved the report for publication."""

from datetime import date, timedelta

from django.core import mail

from qa_feedback.tests.factories import letter_with_points
from reviews.chase import chase_run
from reviews.deadlines import open_deadlines
from reviews.models import Review
from reviews.tests.factories import ReviewApprovedFactory, ReviewRevisingFactory

RECEIVED = date(2026, 3, 2)


def _revising(people):
    review = ReviewRevisingFactory(partnership=people.home, qa_feedback_received_on=RECEIVED)
    letter_with_points(review, 2)
    return review


def test_the_revision_target_is_a_deadline_from_the_letters_receipt(people):
    review = _revising(people)
    due = RECEIVED + timedelta(days=people.home.qa_revision_days)
    deadlines = [
        d
        for d in open_deadlines(reviews=Review.objects.all(), today=RECEIVED)
        if d.object_type == "review.qa_revision"
    ]
    assert [(d.review, d.due) for d in deadlines] == [(review, due)]
    assert deadlines[0].url == f"/reviews/{review.pk}/qa/"
    # Only what falls due by `until` is listed.
    assert not [
        d
        for d in open_deadlines(
            reviews=Review.objects.all(), today=RECEIVED, until=due - timedelta(days=1)
        )
        if d.object_type == "review.qa_revision"
    ]


def test_an_overdue_revision_is_chased_once_with_the_coordinators(people):
    review = _revising(people)
    late = RECEIVED + timedelta(days=people.home.qa_revision_days + 3)
    result = chase_run(today=late)
    assert result.reminders_sent == 1
    [message] = mail.outbox
    assert message.to == [people.coordinator.email]
    assert "Revised report, on the Home Office QA panel's points" in message.subject
    assert review.public_title in message.subject
    assert chase_run(today=late).reminders_sent == 0


def test_once_approved_nothing_is_chased(people):
    review = ReviewApprovedFactory(partnership=people.home, qa_feedback_received_on=RECEIVED)
    letter_with_points(review, 0)
    late = RECEIVED + timedelta(days=people.home.qa_revision_days + 3)
    assert not [
        d
        for d in open_deadlines(reviews=Review.objects.all(), today=late)
        if d.object_type == "review.qa_revision"
    ]
