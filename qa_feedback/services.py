"""Every write to a review's QA letters, their points and its publication checklist. Each
function is atomic, locks the review, checks the guard in `workflow.py`, and records who made the
change and why in the object's history."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone

from dhr.email import absolute_url, email_queue
from dhr.errors import TransitionError
from dhr.models import Role
from dhr.people import emails_of_role
from dhr.queue import enqueue
from dhr.services import record_apply, record_delete, record_save, records_create
from qa_feedback import anonymity, checklist, selectors, workflow
from qa_feedback.bundle import BundleError, bundle_render, too_large
from qa_feedback.instructions import whose_steps
from qa_feedback.models import (
    AnonymityAcceptance,
    AnonymityFinding,
    Category,
    ChecklistItem,
    ConfidentialTerm,
    PublicationBundle,
    PublicationStep,
    QALetter,
    QALetterFile,
    QAPoint,
    ReportText,
)
from qa_feedback.parser import parse_letter
from qa_feedback.reading import content_type_of
from reviews.documents import safe_name
from reviews.models import ReportVersion, Review
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
MOVING = 1000  # more than any letter's points (forms.MAX_POINTS)


@dataclass(frozen=True)
class PointInput:
    """A point as the coordinator checked it on the proposal page. `proposed` is the place of
    the proposed point it was checked from (1 for the first the app read), None for a point
    the coordinator added."""

    text: str
    paragraphs: list[str]
    recommendations: list[int]
    category: str = Category.OTHER
    proposed: int | None = None


@transaction.atomic
def letter_propose(*, review: Review, by, text: str, upload=None) -> QALetter:
    """Keep the letter's text (and file) as a draft with the points the parser proposes, for the
    coordinator to check. Nothing about the review changes until the letter is recorded."""
    review = review_lock(review)
    workflow.guard_letter(review, by)
    if selectors.letter_being_checked(review) is not None:
        raise TransitionError(
            "A letter is already being checked for this review: record it or discard it first."
        )
    parsed = parse_letter(text)
    whose = whose_steps(text, parsed.requirements)
    letter = QALetter(
        review=review,
        full_text=text,
        letter_date=parsed.letter_date,
        panel_date=parsed.panel_date,
        outcome=parsed.outcome,
        signatory=parsed.signatory,
        good_practice="\n\n".join(parsed.good_practice),
        requirements=whose.partnership,
        home_office_steps=whose.home_office,
        created_by=by,
    )
    record_save(letter, by=by, reason="Letter read, to be checked")
    records_create(
        [
            QAPoint(
                letter=letter,
                number=point.number,
                text=point.text,
                paragraphs=point.paragraphs,
                recommendation_numbers=point.recommendations,
                category=point.category,
                heading=point.heading[:200],
            )
            for point in parsed.points
        ],
        by=by,  # who read the letter, in each point's history
        reason=lambda point: f"Point {point.number} read from the letter",
    )
    if upload is not None:
        upload.seek(0)
        original = QALetterFile(
            letter=letter,
            file=upload,
            original_name=safe_name(upload.name, "qa-letter"),
            content_type=content_type_of(upload),
            size=upload.size,
            uploaded_by=by,
        )
        original.save()
    return letter


@transaction.atomic
def letter_record(*, letter: QALetter, by, data: dict, points: list[PointInput]) -> QALetter:
    """The coordinator checked the proposal: keep the letter with these points, in this order,
    and move the review to "QA feedback received". A proposed point is kept and edited where
    it is (its history says what changed), one left out is removed, a new one is added. Dates
    a letter cannot have (none, before the notification, in the future) are refused with a
    ValidationError naming the field."""
    review = review_lock(letter.review)
    letter = QALetter.objects.select_for_update().get(pk=letter.pk)
    workflow.LETTERS.check(letter, "record")
    workflow.guard_letter(review, by)
    record_apply(letter, data, LETTER_FIELDS)
    wrong = workflow.letter_dates_wrong(
        review,
        letter_date=letter.letter_date,
        received_on=letter.received_on,
        panel_date=letter.panel_date,
        today=timezone.localdate(),
    )
    if wrong:
        raise ValidationError(wrong)
    letter.requirements = sorted(
        set(letter.requirements) - {ChecklistItem.ANONYMITY}
        | (
            {ChecklistItem.ANONYMITY}
            if any(p.category == Category.ANONYMITY for p in points)
            else set()
        ),
        key=list(ChecklistItem.values).index,
    )
    workflow.LETTERS.move(letter, "record")
    letter.recorded_by = by
    letter.recorded_at = timezone.now()
    record_save(letter, by=by, reason="Letter recorded")
    _points_save(letter, points, by=by)
    review_transition(review=review, by=by, action="receive_qa_letter", on=letter.received_on)
    return letter


def _points_save(letter: QALetter, points: list[PointInput], *, by) -> None:
    """The checked points in place of the proposed ones: each kept where it was, with its
    number in the new order, and saved (in the history) only when something changed."""
    proposed = list(letter.points.order_by("number"))
    places = [point.proposed for point in points if point.proposed is not None]
    if len(set(places)) != len(places) or not set(places) <= set(range(1, len(proposed) + 1)):
        raise ValueError(f"Points checked from proposed points {places} of {len(proposed)}")
    for place, point in enumerate(proposed, start=1):
        if place not in places:
            record_delete(point, by=by, reason=f"Point {point.number} removed")
    # Out of the way of the numbers they take, should the order have changed (one number per
    # point and letter); never committed like this.
    moving = [
        proposed[point.proposed - 1].pk
        for number, point in enumerate(points, start=1)
        if point.proposed is not None and proposed[point.proposed - 1].number != number
    ]
    QAPoint.objects.filter(pk__in=moving).update(number=F("number") + MOVING)
    for number, checked in enumerate(points, start=1):
        fields = {
            "number": number,
            "text": checked.text,
            "paragraphs": checked.paragraphs,
            "recommendation_numbers": checked.recommendations,
            "category": checked.category,
        }
        if checked.proposed is None:
            record_save(QAPoint(letter=letter, **fields), by=by, reason=f"Point {number} added")
            continue
        point = proposed[checked.proposed - 1]
        if all(getattr(point, name) == value for name, value in fields.items()):
            continue
        record_apply(point, fields, fields)
        record_save(point, by=by, reason=f"Point {number} edited")


@transaction.atomic
def letter_discard(*, letter: QALetter, by) -> None:
    """Throw away a proposal not yet recorded (the wrong file, say)."""
    review = review_lock(letter.review)
    workflow.LETTERS.check(letter, "discard")
    workflow.guard_letter(review, by)
    letter.delete()


@transaction.atomic
def point_respond(*, point: QAPoint, by, data: dict) -> QAPoint:
    """Record how a point was answered: addressed (how) or not accepted (why)."""
    review_lock(point.letter.review)
    point = QAPoint.objects.select_for_update().select_related("letter__review").get(pk=point.pk)
    workflow.guard_point(point, by)
    was_open = point.status == QAPoint.Status.OPEN
    record_apply(point, data, POINT_FIELDS)
    if point.status != QAPoint.Status.OPEN and not point.response.strip():
        raise TransitionError(
            "Enter how the report was changed"
            if point.status == QAPoint.Status.ADDRESSED
            else "Enter why the point is not accepted"
        )
    answer = QAPoint.Status(point.status).label.lower()
    record_save(point, by=by, reason=f"Point {point.number} {answer}")
    letter = point.letter
    if was_open and not letter.points.filter(status=QAPoint.Status.OPEN).exists():
        _tell_chairs_all_answered(letter, by=by)
    return point


def _tell_chairs_all_answered(letter: QALetter, *, by) -> None:
    """The last open point answered: the chairs are asked to approve publication (when the
    panel need not see the report again)."""
    review = letter.review
    if letter.asks_to_see_again:
        return
    email_queue(
        to=emails_of_role(review.partnership_id, Role.CHAIR),
        subject=f"Ready for your approval for publication: {review.public_title}",
        template="email/qa_points_answered",
        context={
            "review": review,
            "by": by,
            "total": letter.points.count(),
            "not_accepted": letter.points.filter(status=QAPoint.Status.NOT_ACCEPTED).count(),
            "url": absolute_url(reverse("qa_feedback:letter", args=[review.pk, letter.pk])),
        },
        partnership=review.partnership,
    )


def _tickable_row(review: Review, key: str) -> checklist.Row:
    row = checklist.row_of(review, key)
    if row is None:
        raise TransitionError("This step is not on this review's publication checklist.")
    if row.is_home_offices:
        raise TransitionError("The Home Office does this itself: it is not a step to tick.")
    if row.checked:
        raise TransitionError(f"The service checks this itself: '{row.label}' is not ticked.")
    return row


@transaction.atomic
def step_tick(*, review: Review, by, item: str, done_on: date, note: str = "") -> PublicationStep:
    """Mark a publication step as done, with when and who. `item` is the checklist row's key:
    a `ChecklistItem` value, or "own-<pk>" for one of the partnership's own steps."""
    review = review_lock(review)
    workflow.guard_checklist(review, by)
    row = _tickable_row(review, item)
    if item == ChecklistItem.ANONYMITY and workflow.anonymity_open(review):
        raise TransitionError("Answer the letter's open anonymity points before ticking this.")
    step = row.step or (
        PublicationStep(review=review, own_step=row.own)
        if row.own
        else PublicationStep(review=review, item=item)
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
    row = _tickable_row(review, item)
    if row.step is not None:
        record_delete(row.step, by=by, reason="Publication step marked as not done")


# --- the publishable PDF bundle


@transaction.atomic
def bundle_request(*, review: Review, by, final: bool) -> PublicationBundle:
    """Queue a build of the bundle (a new version; earlier ones are kept). The worker builds it
    once this commits; if the queue cannot be reached the bundle says so at once."""
    review = review_lock(review)
    workflow.guard_bundle(review, by, final=final)
    latest = review.bundles.aggregate(n=Max("number"))["n"] or 0
    bundle = PublicationBundle.objects.create(
        review=review, number=latest + 1, final=final, requested_by=by, step="Waiting to start"
    )

    def queue():
        if not enqueue(BUILD_TASK, bundle.pk):
            PublicationBundle.objects.filter(
                pk=bundle.pk, state=PublicationBundle.State.QUEUED
            ).update(
                state=PublicationBundle.State.FAILED,
                message="The build could not be started (the job queue is not answering). "
                "Try again in a few minutes.",
                finished_at=timezone.now(),
            )

    transaction.on_commit(queue)
    return bundle


BUILD_TASK = "qa_feedback.tasks.build_bundle"


def _progress(bundle_id: int):
    def report(percent: int, step: str) -> None:
        PublicationBundle.objects.filter(pk=bundle_id).update(progress=percent, step=step)

    return report


def bundle_build(*, bundle_id: int) -> PublicationBundle:
    """Build a queued bundle: render it, check it (a final one must be under 20 MB with every
    anonymity finding fixed or accepted by a chair) and keep the file. A bundle already done
    or failed is left as it is, so a task delivered twice does nothing the second time; one
    left running by a worker that died is built again."""
    with transaction.atomic():
        bundle = PublicationBundle.objects.select_for_update().get(pk=bundle_id)
        if not workflow.BUNDLES.allows(bundle, "start"):
            return bundle
        workflow.BUNDLES.move(bundle, "start")
        bundle.started_at = timezone.now()
        bundle.progress, bundle.step, bundle.message = 0, "Starting", ""
        bundle.save()
        bundle.findings.all().delete()
    review = bundle.review
    try:
        rendered = bundle_render(review, final=bundle.final, progress=_progress(bundle.pk))
        _progress(bundle.pk)(90, "Checking the size and the anonymity of the text")
        found = anonymity.find(
            rendered.page_texts,
            rendered.page_parts,
            anonymity.sought_for(review, review.confidential_terms.all()),
        )
        accepted = set(
            AnonymityAcceptance.objects.filter(review=review).values_list("value", flat=True)
        )
        problems = []
        large = too_large(rendered)
        if large:
            problems.append(large)
        open_findings = [f for f in found if f.value not in accepted]
        if bundle.final and open_findings:
            plural = "s" if len(open_findings) != 1 else ""
            problems.append(
                f"The anonymity check found {len(open_findings)} confidential value{plural} in "
                "the text: fix each in the report, or the CSP chair accepts it with a reason."
            )
    except BundleError as error:
        return _finish(bundle, failed=str(error))
    with transaction.atomic():
        AnonymityFinding.objects.bulk_create(
            AnonymityFinding(
                bundle=bundle,
                what=f.what,
                value=f.value[:300],
                found=f.found[:300],
                page=f.page,
                part=f.part[:100],
                context=f.context[:400],
            )
            for f in found
        )
        if bundle.final and problems:
            return _finish(bundle, failed=" ".join(problems))
        bundle.file.save(bundle.filename, ContentFile(rendered.pdf), save=False)
        bundle.size, bundle.pages, bundle.warnings = (
            len(rendered.pdf),
            rendered.pages,
            rendered.warnings,
        )
        if large:  # a draft over the limit is kept, with the reason it could not be final
            bundle.warnings = [*bundle.warnings, large]
        # A final bundle is the checklist's "one PDF under 20 MB": checked, not ticked.
        return _finish(bundle)


def _finish(bundle: PublicationBundle, *, failed: str = "") -> PublicationBundle:
    workflow.BUNDLES.move(bundle, "fail" if failed else "finish")
    bundle.message = failed
    bundle.progress = 100
    bundle.step = "Not built" if failed else "Ready"
    bundle.finished_at = timezone.now()
    bundle.save()
    return bundle


@transaction.atomic
def finding_accept(*, finding: AnonymityFinding, by, reason: str) -> AnonymityAcceptance:
    """A chair lets a value found in the report stay, with the reason; later builds accept it."""
    review = review_lock(finding.bundle.review)
    workflow.guard_accept(review, by)
    if not reason.strip():
        raise TransitionError("Enter why this may stay in the published report")
    acceptance = AnonymityAcceptance.objects.filter(review=review, value=finding.value).first()
    acceptance = acceptance or AnonymityAcceptance(review=review, value=finding.value)
    acceptance.reason = reason
    acceptance.accepted_by = by
    acceptance.accepted_on = timezone.localdate()
    record_save(acceptance, by=by, reason="Anonymity finding accepted")
    return acceptance


@transaction.atomic
def term_add(*, review: Review, by, kind: str, value: str) -> ConfidentialTerm:
    review = review_lock(review)
    workflow.guard_terms(review, by)
    term = ConfidentialTerm(review=review, kind=kind, value=value.strip(), added_by=by)
    record_save(term, by=by, reason="Added to the anonymity check")
    return term


@transaction.atomic
def term_remove(*, term: ConfidentialTerm, by) -> None:
    review_lock(term.review)
    workflow.guard_terms(term.review, by)
    record_delete(term, by=by, reason="Removed from the anonymity check")


@transaction.atomic
def report_text_save(*, review: Review, by, kind: str, text: str) -> ReportText | None:
    """Write the report's text in the app; an empty text goes back to the uploaded versions."""
    review = review_lock(review)
    workflow.guard_report_text(review, by)
    written = ReportText.objects.filter(review=review, kind=kind).first()
    if not text.strip():
        if written is not None:
            record_delete(
                written, by=by, reason="Written text removed: the uploaded version is used"
            )
        return None
    written = written or ReportText(review=review, kind=kind)
    written.text = text
    written.updated_by = by
    record_save(written, by=by, reason=f"{ReportVersion.Kind(kind).label} written in the app")
    return written
