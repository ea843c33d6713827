"""Every write to a review's QA letters, their points and its publication checklist. Each
function is atomic, locks the review, checks the guard in `workflow.py`, and records who made the
change and why in the object's history."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from dhr.services import record_apply, record_save
from qa_feedback import workflow
from qa_feedback.models import (
    Category,
    ChecklistItem,
    PublicationStep,
    QALetter,
    QALetterFile,
    QAPoint,
)
from qa_feedback.parser import parse_letter
from qa_feedback.reading import content_type_of
from reviews.models import Review
from reviews.services import review_lock, review_transition

LETTER_FIELDS = (
    "received_on",
    "letter_date",
    "panel_date",
    "signatory",
    "outcome",
    "good_practice",
)
POINT_FIELDS = ("status", "response", "owner", "category")


@dataclass(frozen=True)
class PointInput:
    """A point as the coordinator checked it on the proposal page."""

    text: str
    paragraphs: list[str]
    recommendations: list[int]
    category: str = Category.OTHER


@transaction.atomic
def letter_propose(*, review: Review, by, text: str, upload=None) -> QALetter:
    """Keep the letter's text (and file) as a draft with the points the parser proposes, for the
    coordinator to check. Nothing about the review changes until the letter is recorded."""
    review = review_lock(review)
    workflow.guard_letter(review, by)
    if review.qa_letters.filter(state=QALetter.State.DRAFT).exists():
        raise workflow.TransitionError(
            "A letter is already being checked for this review: record it or discard it first."
        )
    parsed = parse_letter(text)
    letter = QALetter(
        review=review,
        full_text=text,
        letter_date=parsed.letter_date,
        panel_date=parsed.panel_date,
        outcome=parsed.outcome,
        signatory=parsed.signatory,
        good_practice="\n\n".join(parsed.good_practice),
        requirements=parsed.requirements,
        created_by=by,
    )
    record_save(letter, by=by, reason="Letter read, to be checked")
    for point in parsed.points:
        QAPoint.objects.create(
            letter=letter,
            number=point.number,
            text=point.text,
            paragraphs=point.paragraphs,
            recommendation_numbers=point.recommendations,
            category=point.category,
        )
    if upload is not None:
        upload.seek(0)
        original = QALetterFile(
            letter=letter,
            file=upload,
            original_name=_safe_name(upload.name),
            content_type=content_type_of(upload),
            size=upload.size,
            uploaded_by=by,
        )
        original.save()
    return letter


def _safe_name(name: str) -> str:
    return get_valid_filename(Path(name).name)[:255] or "qa-letter"


@transaction.atomic
def letter_record(*, letter: QALetter, by, data: dict, points: list[PointInput]) -> QALetter:
    """The coordinator checked the proposal: keep the letter with these points, in this order,
    and move the review to "QA feedback received"."""
    review = review_lock(letter.review)
    letter = QALetter.objects.select_for_update().get(pk=letter.pk)
    if not letter.is_draft:
        raise workflow.TransitionError("This letter has already been recorded.")
    workflow.guard_letter(review, by)
    record_apply(letter, data, LETTER_FIELDS)
    letter.requirements = sorted(
        set(letter.requirements) - {ChecklistItem.ANONYMITY}
        | (
            {ChecklistItem.ANONYMITY}
            if any(p.category == Category.ANONYMITY for p in points)
            else set()
        ),
        key=list(ChecklistItem.values).index,
    )
    letter.state = QALetter.State.RECORDED
    letter.recorded_by = by
    letter.recorded_at = timezone.now()
    letter.points.all().delete()
    record_save(letter, by=by, reason="Letter recorded")
    for number, point in enumerate(points, start=1):
        record_save(
            QAPoint(
                letter=letter,
                number=number,
                text=point.text,
                paragraphs=point.paragraphs,
                recommendation_numbers=point.recommendations,
                category=point.category,
            ),
            by=by,
            reason="Point recorded from the letter",
        )
    review_transition(review=review, by=by, action="receive_qa_letter", on=letter.received_on)
    return letter


@transaction.atomic
def letter_discard(*, letter: QALetter, by) -> None:
    """Throw away a proposal not yet recorded (the wrong file, say)."""
    review = review_lock(letter.review)
    if not letter.is_draft:
        raise workflow.TransitionError("A recorded letter cannot be discarded.")
    workflow.guard_letter(review, by)
    letter.delete()


@transaction.atomic
def point_respond(*, point: QAPoint, by, data: dict) -> QAPoint:
    """Record how a point was answered: addressed (how) or not accepted (why)."""
    review_lock(point.letter.review)
    point = QAPoint.objects.select_for_update().select_related("letter__review").get(pk=point.pk)
    workflow.guard_point(point, by)
    record_apply(point, data, POINT_FIELDS)
    if point.status != QAPoint.Status.OPEN and not point.response.strip():
        raise workflow.TransitionError(
            "Enter how the report was changed"
            if point.status == QAPoint.Status.ADDRESSED
            else "Enter why the point is not accepted"
        )
    record_save(point, by=by, reason=f"Point {QAPoint.Status(point.status).label.lower()}")
    return point


@transaction.atomic
def step_tick(*, review: Review, by, item: str, done_on: date, note: str = "") -> PublicationStep:
    """Mark a publication step as done, with when and who."""
    review = review_lock(review)
    workflow.guard_checklist(review, by)
    if item == ChecklistItem.ANONYMITY and workflow.anonymity_open(review):
        raise workflow.TransitionError(
            "Answer the letter's open anonymity points before ticking this."
        )
    step = PublicationStep.objects.filter(review=review, item=item).first() or PublicationStep(
        review=review, item=item
    )
    step.done_on = done_on
    step.done_by = by
    step.note = note
    record_save(step, by=by, reason="Publication step done")
    return step


@transaction.atomic
def step_untick(*, review: Review, by, item: str) -> None:
    """A step ticked by mistake is not done after all."""
    review = review_lock(review)
    workflow.guard_checklist(review, by)
    step = PublicationStep.objects.filter(review=review, item=item).first()
    if step is not None:
        step._history_user = by
        step._change_reason = "Publication step marked as not done"
        step.delete()
