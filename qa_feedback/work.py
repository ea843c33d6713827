"""The QA letter's tasks for the work queues (`reviews.work`, registered in `apps.py`): a letter
read but not yet checked, or recorded with points still to answer (the coordinator's); a
report whose points are all answered, waiting for the chair's approval for publication; and the
publication steps still to do once it is approved (the coordinator's)."""

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from qa_feedback import checklist, workflow
from qa_feedback.models import QALetter, QAPoint
from reviews.models import Review
from reviews.work import Actor, Item


def _letters(reviews: QuerySet[Review], today: date) -> list[Item]:
    """Each review's latest letter: being checked, or with points to answer (the
    coordinator's), or with every point answered (the chair's approval, as
    `workflow.points_missing` asks, read for all the reviews at once)."""
    letters = (
        QALetter.objects.filter(review__in=reviews, review__status__in=workflow.POINTS_OPEN_IN)
        .select_related("review__partnership")
        .annotate(open_points=Count("points", filter=Q(points__status=QAPoint.Status.OPEN)))
        .order_by("review", "received_on", "pk")
    )
    latest = {letter.review_id: letter for letter in letters}  # the last of each review's
    items = []
    for letter in latest.values():
        review = letter.review
        if letter.state == QALetter.State.DRAFT:
            what, since = "Check the QA letter as read, then record it", letter.created_at.date()
        elif letter.open_points:
            points = f"{letter.open_points} point{'s' if letter.open_points != 1 else ''}"
            what, since = f"Answer {points} of the QA letter", letter.received_on
        elif letter.asks_to_see_again:
            continue  # revised and resubmitted: the revised report's date is the task
        else:
            items.append(
                Item.of_review(
                    review,
                    kind="qa-approval",
                    actor=Actor.CHAIRS,
                    what="Every QA point is answered: approve the report for publication",
                    url=reverse("reviews:transition", args=[review.pk, "approve_for_publication"]),
                    today=today,
                    since=letter.received_on,
                    key=("review.approve_for_publication", str(review.pk)),
                )
            )
            continue
        items.append(
            Item.of_review(
                review,
                kind="qa-letter",
                actor=Actor.COORDINATORS,
                what=what,
                url=reverse("qa_feedback:letter", args=[review.pk, letter.pk]),
                today=today,
                since=since,
                key=("qa_letter", str(letter.pk)),
            )
        )
    return items


def _publication(reviews: QuerySet[Review], today: date) -> list[Item]:
    approved = list(
        reviews.filter(status__in=workflow.CHECKLIST_OPEN_IN).select_related("partnership")
    )
    to_do = checklist.steps_left(approved)
    items = []
    for review in approved:
        left = to_do[review.pk]
        if left <= 0:
            continue
        items.append(
            Item.of_review(
                review,
                kind="publication-step",
                actor=Actor.COORDINATORS,
                what=f"{left} publication step{'s' if left != 1 else ''} to do",
                url=reverse("qa_feedback:review", args=[review.pk]) + "#publication",
                today=today,
                since=review.approved_for_publication_on,
                key=("review.publication", str(review.pk)),
            )
        )
    return items


def qa_work(*, reviews: QuerySet[Review], agencies: list[int], today: date) -> list[Item]:
    return _letters(reviews, today) + _publication(reviews, today)
