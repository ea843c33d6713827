"""The publication checklist of a review: which steps, whose, and which are done.

The steps are, in order (docs/decisions/0014-publication-checklist.md):

1. what the law asks of every review: the copy to the Domestic Abuse Commissioner (s.9(3B) of
   the Domestic Violence, Crime and Victims Act 2004, as amended by the Domestic Abuse Act 2021);
2. what the guidance the review runs under asks (`GUIDANCE_STEPS`);
3. what the latest QA letter itself asks for, where it gives instructions; a letter that gives
   none gets the steps every recent letter has asked for (`WHEN_THE_LETTER_SAYS_NOTHING`);
4. the anonymity points done, when the letter has any;
5. the partnership's own steps (`OwnPublicationStep`) in force when the review was approved.

A step the letter says the Home Office takes itself (copying the PCC) is listed as the Home
Office's and is never the partnership's to tick. Two steps the service checks itself rather
than being ticked: the one PDF under 20 MB (a final bundle built, which is refused over the
limit) and the Commissioner's copy (recorded with its date on the copies page, `ReportCopy`).
"""

from dataclasses import dataclass, field, replace
from datetime import date

from django.urls import reverse
from django.utils import timezone

from dhr.models import GuidanceVersion
from qa_feedback.bundle import MAX_BYTES
from qa_feedback.models import (
    ChecklistItem,
    OwnPublicationStep,
    PublicationBundle,
    PublicationStep,
    QALetter,
    ReportCopy,
)
from reviews import clocks
from reviews.models import Review

STATUTORY = (ChecklistItem.COMMISSIONER,)
# The 2016 guidance asks for the final report and its web link to go to the Home Office; the
# Victims and Prisoners Act 2024 (s.19) adds the Commissioner's copy for DARDRs.
GUIDANCE_STEPS = {
    GuidanceVersion.DHR_2016: (ChecklistItem.HOME_OFFICE,),
    GuidanceVersion.DARDR_2024_DRAFT: (ChecklistItem.HOME_OFFICE, ChecklistItem.COMMISSIONER),
}
# What the letters have asked for since 2020 (the 2023 sample): for a letter that asks nothing.
WHEN_THE_LETTER_SAYS_NOTHING = (
    ChecklistItem.HOME_OFFICE,
    ChecklistItem.COMMISSIONER,
    ChecklistItem.LETTER_ANNEXED,
    ChecklistItem.ACTION_PLAN_ANNEXED,
    ChecklistItem.ONE_PDF,
)
# What a step the service checks needs, in words.
CHECKED_MISSING = {
    ChecklistItem.ONE_PDF: "Build the final PDF (one PDF under 20 MB)",
    ChecklistItem.COMMISSIONER: "Record the copy sent to the Domestic Abuse Commissioner",
}


class Whose:
    PARTNERSHIP = "partnership"
    HOME_OFFICE = "home_office"


@dataclass(frozen=True)
class Row:
    key: str  # the `ChecklistItem` value, or "own-<pk>" for a partnership's own step
    label: str
    whose: str = Whose.PARTNERSHIP
    asked: bool = False  # the letter itself asks for this
    checked: bool = False  # the service checks it: it is not ticked
    own: OwnPublicationStep | None = None
    step: PublicationStep | None = None  # the tick
    done_on: date | None = None
    done_by: str = ""  # who ticked it, or recorded what the service checks
    detail: str = ""  # who did it, how, or what the service found
    url: str = ""  # where it is done (the copies page, the PDF page), for a checked step
    change_url: str = ""  # where what the service recorded for a checked step is corrected
    due_on: date | None = None  # a step with a deadline of its own (the Commissioner's copy)
    days_left: int | None = None  # until `due_on`, from today (negative when overdue)

    @property
    def done(self) -> bool:
        return self.done_on is not None

    @property
    def is_home_offices(self) -> bool:
        return self.whose == Whose.HOME_OFFICE

    @property
    def tickable(self) -> bool:
        return self.whose == Whose.PARTNERSHIP and not self.checked


def items_for(review: Review, letter: QALetter | None) -> tuple[list[str], list[str]]:
    """The standard steps of the review, the partnership's and the Home Office's."""
    home_office = list(letter.home_office_steps) if letter else []
    asked = list(letter.requirements) if letter else []
    instructions = [item for item in asked if item != ChecklistItem.ANONYMITY]
    wanted = {
        *STATUTORY,
        *GUIDANCE_STEPS.get(review.guidance_version, ()),
        *(instructions if instructions else WHEN_THE_LETTER_SAYS_NOTHING),
        *([ChecklistItem.ANONYMITY] if ChecklistItem.ANONYMITY in asked else []),
    }
    order = list(ChecklistItem.values)
    ours = sorted((i for i in wanted if i not in home_office), key=order.index)
    return ours, sorted(home_office, key=order.index)


def own_steps_for(review: Review) -> list[OwnPublicationStep]:
    """The partnership's own steps in force when the review was approved for publication."""
    return _facts([review])[review.pk].own


@dataclass
class _Facts:
    """What one review's checklist is read from."""

    letter: QALetter | None = None
    ticks: list = field(default_factory=list)
    copy: ReportCopy | None = None
    bundle: PublicationBundle | None = None
    own: list = field(default_factory=list)


def _facts(reviews: list[Review]) -> dict[int, _Facts]:
    """Each review's latest letter, ticks, Commissioner's copy, final PDF and own steps, read
    for all of them at once (a work queue lists many approved reviews)."""
    facts = {review.pk: _Facts() for review in reviews}
    letters = QALetter.objects.filter(review__in=facts, state=QALetter.State.RECORDED).order_by(
        "review", "-received_on", "-pk"
    )
    for letter in letters:  # as `workflow.latest_letter` orders them: the first of each
        if facts[letter.review_id].letter is None:
            facts[letter.review_id].letter = letter
    for tick in PublicationStep.objects.filter(review__in=facts).select_related(
        "done_by", "own_step"
    ):
        facts[tick.review_id].ticks.append(tick)
    copies = ReportCopy.objects.filter(review__in=facts, agency__isnull=True)
    for copy in copies.select_related("recorded_by"):
        facts[copy.review_id].copy = copy
    bundles = PublicationBundle.objects.filter(
        review__in=facts, final=True, state=PublicationBundle.State.DONE, size__lte=MAX_BYTES
    ).order_by("review", "-number")
    for bundle in bundles:
        if facts[bundle.review_id].bundle is None:
            facts[bundle.review_id].bundle = bundle
    own = list(
        OwnPublicationStep.objects.filter(partnership__in={r.partnership_id for r in reviews})
    )
    for review in reviews:
        facts[review.pk].own = [
            step
            for step in own
            if step.partnership_id == review.partnership_id
            and step.applies_to(review.approved_for_publication_on)
        ]
    return facts


def _commissioner_copy_due(review: Review) -> date | None:
    """The copy's date (its deadline's, `deadlines.commissioner_copy_deadline`), kept on the
    row after the copy is sent, to say how late it went; None before the chair's approval."""
    approved = review.approved_for_publication_on
    return clocks.commissioner_copy_due(review.partnership, approved) if approved else None


def _ticked(row: Row, step: PublicationStep | None) -> Row:
    if step is None:
        return row
    return replace(
        row, step=step, done_on=step.done_on, done_by=step.done_by.name, detail=step.note
    )


def _rows(review: Review, facts: _Facts) -> list[Row]:
    letter = facts.letter
    ours, home_office = items_for(review, letter)
    asked = set(letter.requirements) if letter else set()
    by_item = {t.item: t for t in facts.ticks if not t.own_step_id}
    by_own = {t.own_step_id: t for t in facts.ticks if t.own_step_id}
    found = []
    for item in map(ChecklistItem, ours):
        row = Row(key=item.value, label=item.label, asked=item.value in asked)
        if item == ChecklistItem.ONE_PDF:
            bundle = facts.bundle
            row = replace(row, checked=True, url=reverse("qa_feedback:bundles", args=[review.pk]))
            if bundle:
                row = replace(
                    row,
                    done_on=timezone.localdate(bundle.finished_at or bundle.requested_at),
                    detail=f"{bundle}: {bundle.pages} pages, {bundle.size / 1e6:.1f} MB, "
                    "built by the service",
                )
        elif item == ChecklistItem.COMMISSIONER:
            copy = facts.copy
            due = _commissioner_copy_due(review)
            row = replace(
                row,
                checked=True,
                url=reverse("qa_feedback:copies", args=[review.pk]),
                due_on=due,
                days_left=clocks.days_left(due, timezone.localdate()),
            )
            if copy:
                row = replace(
                    row,
                    done_on=copy.sent_on,
                    done_by=copy.recorded_by.name,
                    detail=copy.how,
                    change_url=reverse("qa_feedback:commissioner_copy", args=[review.pk]),
                )
        else:
            row = _ticked(row, by_item.get(item.value))
        found.append(row)
    for own in facts.own:
        found.append(_ticked(Row(key=f"own-{own.pk}", label=own.text, own=own), by_own.get(own.pk)))
    for item in map(ChecklistItem, home_office):
        found.append(
            Row(
                key=item.value,
                label=item.label,
                whose=Whose.HOME_OFFICE,
                asked=True,
                detail="The letter says the Home Office does this itself",
            )
        )
    return found


def rows(review: Review, letter: QALetter | None = None) -> list[Row]:
    """Every step of the review's checklist, in order, with whether it is done (from `letter`,
    when the page has read the latest letter already)."""
    facts = _facts([review])[review.pk]
    if letter is not None:
        facts.letter = letter
    return _rows(review, facts)


def steps_left(reviews: list[Review]) -> dict[int, int]:
    """How many of the partnership's steps each review has still to do."""
    facts = _facts(reviews)
    return {
        review.pk: sum(
            1 for row in _rows(review, facts[review.pk]) if not row.is_home_offices and not row.done
        )
        for review in reviews
    }


def row_of(review: Review, key: str) -> Row | None:
    return next((row for row in rows(review) if row.key == key), None)


def checklist_missing(review: Review) -> list[str]:
    """Before the publication is recorded: every step of the partnership's done."""
    return [
        CHECKED_MISSING.get(row.key, f"Tick '{row.label}'")
        for row in rows(review)
        if not row.is_home_offices and not row.done
    ]
