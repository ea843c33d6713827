"""Reads for the QA pages. Every read goes through the review the user may see
(`reviews.selectors.review_get`), so a letter, point or step of a review they may not know of is
a 404."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from dhr.models import Agency
from qa_feedback.checklist import rows as checklist_rows
from qa_feedback.models import (
    AnonymityAcceptance,
    Category,
    ChecklistItem,
    OwnPublicationStep,
    PublicationStep,
    QALetter,
    QAPoint,
    ReportCopy,
)
from reviews.history import entries_for, records_by_object
from reviews.models import Review


def letters_of(review: Review) -> list[QALetter]:
    return list(
        review.qa_letters.select_related("recorded_by", "original").annotate(
            point_count=Count("points"),
            resolved_count=Count("points", filter=Q(points__status__in=QAPoint.RESOLVED)),
        )
    )


def letter_being_checked(review: Review) -> QALetter | None:
    """The letter read but not yet recorded, if there is one (a review has at most one)."""
    return review.qa_letters.filter(state=QALetter.State.DRAFT).first()


def letter_get(*, review: Review, pk: int) -> QALetter:
    return get_object_or_404(review.qa_letters.select_related("review", "original"), pk=pk)


def point_get(*, review: Review, pk: int) -> QAPoint:
    return get_object_or_404(
        QAPoint.objects.select_related("letter__review"), letter__review=review, pk=pk
    )


@dataclass(frozen=True)
class Progress:
    resolved: int  # addressed, or not accepted with a reason
    total: int
    not_accepted: int = 0

    @property
    def complete(self) -> bool:
        return self.resolved == self.total


def letter_progress(letter: QALetter) -> Progress:
    return points_progress(list(letter.points.values_list("status", flat=True)))


def points_progress(statuses: list[str]) -> Progress:
    """How far a letter's points are answered, from their statuses (for a page that has read
    the points already)."""
    return Progress(
        sum(1 for s in statuses if s in QAPoint.RESOLVED),
        len(statuses),
        sum(1 for s in statuses if s == QAPoint.Status.NOT_ACCEPTED),
    )


def recommendations_named(letter: QALetter) -> dict[int, object]:
    """The review's recommendations by number, for linking the ones a point names."""
    return {r.number: r for r in letter.review.recommendations.all()}


def checklist(review: Review, letter: QALetter | None):
    """The review's publication checklist (`qa_feedback.checklist`), for its QA tab."""
    return checklist_rows(review, letter)


def participating_agencies(review: Review) -> list[Agency]:
    """The agencies that took part in the review: each one asked for an agency report (IMR),
    and each one with a member on the review's panel (docs/decisions/0014). Their senior
    managers get a copy of the approved report (the CSP briefing, 6.9)."""
    return list(
        Agency.objects.filter(Q(agency_reports__review=review) | Q(panelmember__review=review))
        .distinct()
        .order_by("name")
    )


@dataclass(frozen=True)
class AgencyCopy:
    agency: Agency
    copy: ReportCopy | None


def copies_of(review: Review) -> tuple[ReportCopy | None, list[AgencyCopy]]:
    """The Commissioner's copy (None until recorded), then each participating agency with its
    copy; an agency recorded that no longer takes part is still listed with its copy."""
    copies = list(review.report_copies.select_related("agency", "recorded_by"))
    commissioner = next((c for c in copies if c.agency_id is None), None)
    by_agency = {c.agency_id: c for c in copies if c.agency_id is not None}
    agencies = participating_agencies(review)
    known = {a.pk for a in agencies}
    agencies += [c.agency for c in by_agency.values() if c.agency_id not in known]
    return commissioner, [AgencyCopy(a, by_agency.get(a.pk)) for a in agencies]


def copy_history(review: Review) -> list:
    entries = []
    for records in records_by_object(ReportCopy.history.filter(review_id=review.pk)):
        entries += entries_for(records, lambda record: str(record), show_confidential=False)
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def own_steps_of(partnership) -> list[OwnPublicationStep]:
    """The partnership's own publication steps in force, oldest first."""
    return list(OwnPublicationStep.objects.filter(partnership=partnership, removed_on__isnull=True))


def own_step_get(*, partnership, pk: int) -> OwnPublicationStep:
    return get_object_or_404(
        OwnPublicationStep.objects.filter(partnership=partnership, removed_on__isnull=True), pk=pk
    )


def _step_label(record) -> str:
    if record.own_step_id:
        own = OwnPublicationStep.objects.filter(pk=record.own_step_id).first()
        return own.text if own else "The partnership's own step"
    return ChecklistItem(record.item).label


@dataclass(frozen=True)
class CategoryCount:
    category: Category
    points: int
    letters: int
    percent_of_letters: int  # whole-number percent of the partnership's letters


def learning(partnership) -> tuple[int, list[CategoryCount], list[QAPoint]]:
    """How often each category comes up across a partnership's recorded letters, most frequent
    first, with the latest points of the most frequent categories as examples."""
    letters = QALetter.objects.filter(
        review__partnership=partnership, state=QALetter.State.RECORDED
    )
    total = letters.count()
    rows = (
        QAPoint.objects.filter(letter__in=letters)
        .values("category")
        .annotate(points=Count("pk"), letters=Count("letter", distinct=True))
    )
    counts = {row["category"]: row for row in rows}
    table = [
        CategoryCount(
            category,
            counts.get(category.value, {}).get("points", 0),
            counts.get(category.value, {}).get("letters", 0),
            round(100 * counts.get(category.value, {}).get("letters", 0) / total) if total else 0,
        )
        for category in Category
    ]
    table.sort(key=lambda row: (-row.points, list(Category).index(row.category)))
    top = [row.category.value for row in table if row.points][:3]
    examples = list(
        QAPoint.objects.filter(letter__in=letters, category__in=top)
        .select_related("letter__review")
        .order_by("-letter__received_on", "number")[:9]
    )
    return total, table, examples


def letter_history(letter: QALetter) -> list:
    """Every saved change to the letter and its points, newest first: when, who, and what
    changed, field by field (a letter holds nothing confidential to the review's readers)."""
    entries = entries_for(
        letter.history.select_related("history_user").order_by("history_date", "history_id"),
        lambda record: "Letter",
        show_confidential=False,
    )
    for records in records_by_object(QAPoint.history.filter(letter_id=letter.pk)):
        found = entries_for(
            records, lambda record: f"Point {record.number}", show_confidential=False
        )
        for record, entry in zip(records, found, strict=True):
            _point_entry_complete(entry, record, letter)
        entries += found
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


# How an answer to a point was recorded before its reason named the point ("Point addressed").
_UNNUMBERED_ANSWERS = {f"Point {status.label.lower()}" for status in QAPoint.Status}


def _point_entry_complete(entry, record, letter: QALetter) -> None:
    """What a point's history entry saved before the service said it leaves out: the point's
    number in an answer, and who read the letter for a point read from it."""
    if entry.what in _UNNUMBERED_ANSWERS:
        entry.what = f"Point {record.number} {entry.what.removeprefix('Point ')}"
    if record.history_type == "+" and record.history_user_id is None:
        entry.who = str(letter.created_by)


def checklist_history(review: Review) -> list:
    """Every tick and untick of the review's checklist, newest first, each naming its step
    ("Publication step done: Action plan annexed to the report")."""
    entries = []
    for records in records_by_object(PublicationStep.history.filter(review_id=review.pk)):
        found = entries_for(records, _step_label, show_confidential=False)
        for record, entry in zip(records, found, strict=True):
            if record.history_change_reason:  # the service's reason says what, not which
                entry.what = f"{entry.what}: {_step_label(record)}"
        entries += found
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def bundles_of(review: Review):
    return review.bundles.select_related("requested_by").prefetch_related("findings")


def bundle_get(*, review: Review, pk: int):
    return get_object_or_404(review.bundles.select_related("review"), pk=pk)


def accepted_values(review: Review) -> dict:
    return {
        a.value: a
        for a in AnonymityAcceptance.objects.filter(review=review).select_related("accepted_by")
    }
