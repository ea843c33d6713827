"""The QA letter's deadline, added to the chase and the dashboard as a deadline source
(`reviews.extensions`, registered in `apps.py`): the partnership's target for revising the
report after the letter (`clocks.qa_revision_due`), chased with the coordinators."""

from datetime import date

from django.db.models import QuerySet
from django.urls import reverse

from qa_feedback import workflow
from reviews import clocks
from reviews.deadlines import Deadline
from reviews.models import Review


def qa_revision_deadline(review: Review, today: date) -> Deadline | None:
    """The revised report's date while the letter's points are being answered (the review
    page and the QA tab show it from here); None at any other stage."""
    if review.status not in workflow.POINTS_OPEN_IN or review.qa_feedback_received_on is None:
        return None
    return Deadline.on(
        clocks.qa_revision_due(review.partnership, review.qa_feedback_received_on),
        today=today,
        object_type="review.qa_revision",
        object_id=review.pk,
        partnership=review.partnership,
        review=review,
        what="Report revised on the Home Office QA panel's points",
        cycle=review.qa_feedback_received_on.isoformat(),  # a new letter, a new target
        url=reverse("qa_feedback:review", args=[review.pk]),
        kind="revised-report",
    )


def qa_revision_deadlines(*, reviews: QuerySet[Review], today: date, until: date | None) -> list:
    answering = reviews.filter(
        status__in=workflow.POINTS_OPEN_IN, qa_feedback_received_on__isnull=False
    ).select_related("partnership")
    found = (qa_revision_deadline(review, today) for review in answering)
    return [d for d in found if until is None or d.due <= until]
