"""The QA letter's deadline and the Commissioner's copy, added to the chase and the dashboard
as deadline sources (`reviews.extensions`, registered in `apps.py`): the partnership's target
for revising the report after the letter (`clocks.qa_revision_due`), and its days for sending
the approved report to the Domestic Abuse Commissioner (`clocks.commissioner_copy_due`), both
chased with the coordinators."""

from datetime import date

from django.db.models import QuerySet
from django.urls import reverse

from qa_feedback import workflow
from qa_feedback.models import ReportCopy
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
        what="Revised report, on the Home Office QA panel's points",
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


def commissioner_copy_deadline(review: Review, today: date) -> Deadline | None:
    """The copy of the approved report to the Domestic Abuse Commissioner (2004 Act s.9(3B)),
    due the partnership's days after the chair's approval for publication (the copies page shows
    it from here; `commissioner_copy_deadlines` leaves out the reviews whose copy is recorded).
    None at a stage it is not chased (`workflow.COMMISSIONER_COPY_CHASED_IN`)."""
    if (
        review.status not in workflow.COMMISSIONER_COPY_CHASED_IN
        or review.approved_for_publication_on is None
    ):
        return None
    return Deadline.on(
        clocks.commissioner_copy_due(review.partnership, review.approved_for_publication_on),
        today=today,
        object_type="review.commissioner_copy",
        object_id=review.pk,
        partnership=review.partnership,
        review=review,
        what="Copy of the report for the Domestic Abuse Commissioner",
        cycle=review.approved_for_publication_on.isoformat(),  # approved anew, a new date
        url=reverse("qa_feedback:copies", args=[review.pk]),
        kind="commissioner-copy",
    )


def commissioner_copy_deadlines(
    *, reviews: QuerySet[Review], today: date, until: date | None
) -> list:
    waiting = (
        reviews.filter(
            status__in=workflow.COMMISSIONER_COPY_CHASED_IN,
            approved_for_publication_on__isnull=False,
        )
        .exclude(pk__in=ReportCopy.objects.filter(agency__isnull=True).values("review_id"))
        .select_related("partnership")
    )
    found = (commissioner_copy_deadline(review, today) for review in waiting)
    return [d for d in found if d is not None and (until is None or d.due <= until)]
