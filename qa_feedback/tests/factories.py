"""Factories for QA letters, built on the reviews' factories: a recorded letter on a review at
"QA feedback received", its points, a letter still being checked, and publication steps."""

from datetime import date

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory

from qa_feedback.documents import docx_document
from qa_feedback.models import (
    Category,
    ChecklistItem,
    Outcome,
    PublicationBundle,
    PublicationStep,
    QALetter,
    QAPoint,
    ReportCopy,
)
from qa_feedback.tests.samples import sample
from recommendations.tests.factories import ActionFactory, RecommendationFactory
from reviews.documents import DOCX
from reviews.models import ReportVersion
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


# The steps a coordinator ticks on a review whose letter names no publication step (the
# checklist's `WHEN_THE_LETTER_SAYS_NOTHING`, less the two the service checks itself).
TICKED = (
    ChecklistItem.HOME_OFFICE,
    ChecklistItem.LETTER_ANNEXED,
    ChecklistItem.ACTION_PLAN_ANNEXED,
)


def approved_with_steps(partnership, items=TICKED, *, checked: bool = True):
    """A review approved for publication with these publication steps ticked and, when
    `checked`, the two the service checks done: the Commissioner's copy recorded and a final
    PDF built."""
    review = ReviewApprovedFactory(partnership=partnership)
    letter = letter_with_points(review, 1)
    letter.points.update(status=QAPoint.Status.ADDRESSED, response="Done")
    by = UserFactory()
    for item in items:
        PublicationStep.objects.create(review=review, item=item, done_on=RECEIVED_ON, done_by=by)
    if checked:
        done_on = review.approved_for_publication_on
        ReportCopy.objects.create(review=review, sent_on=done_on, recorded_by=by)
        PublicationBundle.objects.create(
            review=review, number=1, final=True, state=PublicationBundle.State.DONE,
            size=3_000_000, pages=40, requested_by=by,
        )  # fmt: skip
    return review


EXECUTIVE_SUMMARY = [
    ("h1", "The review"),
    ("p", "This summary describes the review into the death of Adult A, known as Rose."),
    ("h1", "Key findings"),
    ("p", "Agencies did not share what they knew about the risk to Rose."),
]
OVERVIEW = [
    ("h1", "Introduction"),
    ("p", "The panel met six times between March and October."),
    ("h2", "Terms of reference"),
    ("p", "The review looked at contact with Rose and Sam over three years."),
    ("h1", "Analysis"),
    ("p", "Rose disclosed abuse to her GP twice; neither disclosure was shared with the MARAC."),
    ("h1", "Conclusions"),
    ("p", "Rose's death was not predictable, but the abuse could have been recognised sooner."),
]


def word_report(review, kind: str, blocks, *, version: int = 2):
    """A Word version of one of the review's reports, newer than the factory's PDFs."""
    data = docx_document(blocks)
    document = review.documents.create(
        file=SimpleUploadedFile(f"{kind}.docx", data),
        original_name=f"{kind}.docx",
        content_type=DOCX,
        size=len(data),
        uploaded_by=UserFactory(),
    )
    return ReportVersion.objects.create(
        review=review, kind=kind, version=version, document=document, uploaded_by=UserFactory()
    )


def ready_to_publish(partnership, *, overview=OVERVIEW, summary=EXECUTIVE_SUMMARY, **fields):
    """A review approved for publication, its reports in Word, a plan and the QA letter."""
    review = ReviewApprovedFactory(
        partnership=partnership,
        victim_pseudonym="Rose",
        perpetrator_pseudonym="Sam",
        victim_name="Harriet Quellington",
        perpetrator_name="Desmond Varga",
        date_of_death=date(2024, 3, 3),
        victim_date_of_birth=date(1981, 11, 12),
        **fields,
    )
    word_report(review, "executive_summary", summary)
    word_report(review, "overview", overview)
    recommendation = RecommendationFactory(review=review, text="Share MARAC referrals with GPs.")
    ActionFactory(recommendation=recommendation, description="Write the GP referral protocol.")
    letter = QALetterFactory(review=review, full_text=sample("qa-letter-2023.txt"))
    QAPointFactory(letter=letter, number=1, status=QAPoint.Status.ADDRESSED, response="Done")
    return review


def national_letter(people):
    """A recorded letter written as the 2014 sample (it answers actions three to eight in its
    text) on a review in QA whose recommendations 3 to 8 are national, given to nobody."""
    review = ReviewQAFeedbackFactory(partnership=people.home)
    for number in range(1, 9):
        RecommendationFactory(
            review=review,
            text=f"Recommendation {number} of the review.",
            scope="national" if number >= 3 else "local",
            addressee="home_office" if number >= 3 else "",
            lead_agency=people.involved_agency,
        )
    return QALetterFactory(
        review=review, full_text=sample("qa-letter-2014.txt"), letter_date=date(2026, 2, 6)
    )
