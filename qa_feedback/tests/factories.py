"""Factories for QA letters, built on the reviews' factories: a recorded letter on a review at
"QA feedback received", its points, a letter still being checked, and publication steps."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from qa_feedback.models import Category, ChecklistItem, Outcome, PublicationStep, QALetter, QAPoint
from reviews.tests.factories import (
    ReviewApprovedFactory,
    ReviewQAFeedbackFactory,
    ReviewSubmittedFactory,
    UserFactory,
)

RECEIVED_ON = date(2026, 3, 2)


class QALetterFactory(DjangoModelFactory):
    """A recorded letter whose panel asks for changes before publication."""

    class Meta:
        model = QALetter

    review = factory.SubFactory(ReviewQAFeedbackFactory)
    state = QALetter.State.RECORDED
    received_on = RECEIVED_ON
    letter_date = date(2026, 2, 27)
    panel_date = date(2026, 2, 4)
    signatory = "A. Panel-Chair, Chair of the Home Office DHR Quality Assurance Panel"
    outcome = Outcome.PUBLISH_AFTER_REVISION
    full_text = "Areas for final development:\n\n- Point one.\n- Point two.\n"
    created_by = factory.SubFactory(UserFactory)
    recorded_by = factory.SelfAttribute("created_by")


class DraftLetterFactory(QALetterFactory):
    """A letter read and waiting for the coordinator's check, on a submitted review."""

    review = factory.SubFactory(ReviewSubmittedFactory)
    state = QALetter.State.DRAFT
    received_on = None
    recorded_by = None


class QAPointFactory(DjangoModelFactory):
    class Meta:
        model = QAPoint

    letter = factory.SubFactory(QALetterFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(
        lambda n: f"Point {n}: reword paragraph 5.{n} to keep the focus on her."
    )
    paragraphs = factory.LazyAttribute(lambda p: [f"5.{p.number}"])
    category = Category.LANGUAGE


def letter_with_points(review, count: int = 3, **fields) -> QALetter:
    letter = QALetterFactory(review=review, **fields)
    for number in range(1, count + 1):
        QAPointFactory(letter=letter, number=number)
    return letter


def approved_with_steps(partnership, items=tuple(ChecklistItem)):
    """A review approved for publication with these publication steps done."""
    review = ReviewApprovedFactory(partnership=partnership)
    letter = letter_with_points(review, 1)
    letter.points.update(status=QAPoint.Status.ADDRESSED, response="Done")
    by = UserFactory()
    for item in items:
        PublicationStep.objects.create(review=review, item=item, done_on=RECEIVED_ON, done_by=by)
    return review
