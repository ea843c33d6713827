"""The statutory timescales, as data, and every statutory date computed from them.

Each review is pinned to the guidance version it started under (`Review.guidance_version`), so a
change of guidance never moves the dates of a review already running. No view or template works
out a date by hand: they call these functions.

The overview report's clock, step by step:

1. statutory date: the decision to proceed + `report_months` calendar months (clamped to the
   end of a shorter month);
2. an approved extension replaces it: the agreed new date becomes the base;
3. agreed pauses move the base on: a parallel proceeding (a criminal trial, an inquest, an IOPC
   investigation) stops the clock only when a CSP chair agreed to pause it (briefing 6.7: the
   six months hold "unless an alternative timescale has been formally agreed"; a proceeding
   merely recorded, or a pause asked for and not yet agreed, moves nothing; see decision
   0013). An agreed pause stops the clock for every calendar day the proceeding runs, first and
   last day included, counted once however many proceedings overlap. Only days after the
   base was set count (after the decision, or after the extension was requested: whoever
   asked for an extension chose its date knowing of the pauses before it). A pause still open
   counts up to today, so while it lasts the adjusted date moves on a day each day and the
   review cannot be overdue.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from dhr.models import GuidanceVersion, Partnership


@dataclass(frozen=True)
class RuleSet:
    version: str
    title: str
    decision_months: int  # notification -> decision (and the Home Office told of it)
    report_months: int  # decision to proceed -> overview report
    agency_report_weeks: int  # request -> agency report (IMR), the date suggested
    scoping_months: int | None = None  # decision to proceed -> scoping review (DARDR draft)
    # notification -> terms of reference drafted and agreed. The CSP briefing, 6.5: "Within one
    # month of a homicide coming to the attention of the SSP, the decision needs to be taken as
    # to whether or not to hold a review by the Chair. There is also a requirement to draft and
    # agree the terms of reference within this timescale": the same one month from the
    # notification as the decision, not a month after the decision.
    terms_of_reference_months: int = 1
    draft: bool = False

    @property
    def has_scoping_review(self) -> bool:
        return self.scoping_months is not None


RULES = {
    GuidanceVersion.DHR_2016: RuleSet(
        version=GuidanceVersion.DHR_2016,
        title=GuidanceVersion.DHR_2016.label,
        decision_months=1,
        report_months=6,
        agency_report_weeks=8,
    ),
    # The Victims and Prisoners Act 2024 renames reviews (DARDRs); the draft guidance of 2024
    # adds an early scoping review to record and act on early learning. Draft timescales: check
    # them against the final guidance before a partnership adopts it.
    GuidanceVersion.DARDR_2024_DRAFT: RuleSet(
        version=GuidanceVersion.DARDR_2024_DRAFT,
        title=GuidanceVersion.DARDR_2024_DRAFT.label,
        decision_months=1,
        report_months=6,
        agency_report_weeks=8,
        scoping_months=2,
        draft=True,
    ),
}
# An extension further than this past the statutory date is taken for a typing mistake.
EXTENSION_LIMIT_YEARS = 3
# A chair is reminded of an extension (or a pause of the clock) awaiting their decision this many
# days after the request.
EXTENSION_DECISION_DAYS = 7


def add_months(start: date, months: int) -> date:
    """The same day `months` calendar months on, clamped to the end of a shorter month
    (31 January + 1 month is 28 or 29 February)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def rules_for(review) -> RuleSet:
    return RULES[review.guidance_version]


def decision_due(review) -> date | None:
    """A month after the notification; none for a review imported without its dates. When the
    Home Office QA panel asked for a decision not to hold a review to be reconsidered, the
    fresh decision is due a month after the panel's letter (the guidance sets no period for
    it: the month a first decision gets, counted from the request)."""
    start = review.reconsideration_asked_on or review.notified_on
    if start is None:
        return None
    return add_months(start, rules_for(review).decision_months)


def home_office_told_due(review) -> date | None:
    """The Home Office is told of the decision, either way, by the date the decision is due."""
    return decision_due(review)


def safeguarding_notice_due(review) -> date | None:
    """The children's safeguarding partners are told of a review of a victim aged 16 or 17 by
    the date the decision is due. The briefing (4.4: "in all cases the LSCB should be notified
    of the intention to carry out a DHR") and the 2016 guidance give no period of their own,
    so the notice goes with the decision, as the Home Office's does."""
    return decision_due(review)


def proceeding_from(review) -> date | None:
    """The day the review's clocks start: a Secretary of State's direction, or the chair's
    decision to hold a review; none while no review is to be held."""
    if review.directed_on:
        return review.directed_on
    if review.proceed and review.decided_on:
        return review.decided_on
    return None


def terms_of_reference_due(review) -> date | None:
    """The terms of reference are drafted and agreed within the decision's timescale, a month
    from the notification (`RuleSet.terms_of_reference_months`), or from what started the
    decision's clock again: the QA panel's request to reconsider, or a Secretary of State's
    direction. None for a review decided not to be held, or imported without its dates."""
    months = rules_for(review).terms_of_reference_months
    if review.directed_on:  # a Secretary of State's direction starts the review's clocks anew
        return add_months(review.directed_on, months)
    start = review.reconsideration_asked_on or review.notified_on
    if start is None or review.proceed is False:
        return None
    return add_months(start, months)


def scoping_due(review) -> date | None:
    """The scoping review of the DARDR draft guidance; none under the 2016 guidance."""
    months = rules_for(review).scoping_months
    start = proceeding_from(review)
    if months is None or start is None:
        return None
    return add_months(start, months)


def statutory_report_due(review) -> date | None:
    """Six calendar months after the decision to proceed (or the direction to); none before."""
    start = proceeding_from(review)
    if start is None:
        return None
    return add_months(start, rules_for(review).report_months)


def suggested_agency_report_due(review, requested_on: date) -> date:
    return requested_on + timedelta(weeks=rules_for(review).agency_report_weeks)


def qa_revision_due(partnership: Partnership, letter_received_on: date) -> date:
    """The partnership's target for sending the revised report back after the QA letter."""
    return letter_received_on + timedelta(days=partnership.qa_revision_days)


# --- pauses and extensions


@dataclass(frozen=True)
class Pause:
    started_on: date
    ended_on: date | None  # None: still running


def pause_contributions(pauses, *, after: date, today: date) -> list[int]:
    """For each pause, in the order given, the days it adds to the clock: calendar days after
    `after` on which it ran (through `today` when still open) and no earlier-starting pause
    had already counted."""
    spans = []
    for index, pause in enumerate(pauses):
        start = max(pause.started_on, after + timedelta(days=1))
        end = pause.ended_on if pause.ended_on is not None else today
        spans.append((start, end, index))
    added = [0] * len(spans)
    covered_to = after
    for start, end, index in sorted(spans):
        start = max(start, covered_to + timedelta(days=1))
        if end >= start:
            added[index] = (end - start).days + 1
            covered_to = end
    return added


def paused_days(pauses, *, after: date, today: date) -> int:
    """Calendar days after `after` on which at least one pause ran (a pause still open runs
    through `today`), each day counted once."""
    return sum(pause_contributions(pauses, after=after, today=today))


def latest_extension(review) -> date | None:
    statutory = statutory_report_due(review)
    return None if statutory is None else add_months(statutory, 12 * EXTENSION_LIMIT_YEARS)


def open_pause_since(pauses, *, after: date) -> date | None:
    """The earliest start of a pause still running (counted from `after`), if any."""
    starts = [max(p.started_on, after) for p in pauses if p.ended_on is None]
    return min(starts) if starts else None


@dataclass(frozen=True)
class Extension:
    requested_on: date
    new_due_on: date


@dataclass(frozen=True)
class ReportClock:
    statutory: date
    base: date  # the statutory date, or the latest approved extension's date
    extended: bool
    paused_days: int
    paused_since: date | None  # set while a pause is still running
    adjusted: date
    today: date

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    @property
    def moved(self) -> bool:
        return self.adjusted != self.statutory

    @property
    def days_left(self) -> int | None:
        """Days until the adjusted date (negative when overdue); none while paused, when the
        clock is stopped."""
        return None if self.is_paused else (self.adjusted - self.today).days


def report_clock(review, *, pauses, extension: Extension | None, today: date) -> ReportClock | None:
    """The overview report's clock: statutory date, base, paused days and adjusted date.
    `extension` is the latest approved extension, if any."""
    statutory = statutory_report_due(review)
    if statutory is None:
        return None
    if extension is not None:
        base, anchor = extension.new_due_on, extension.requested_on
    else:
        base, anchor = statutory, proceeding_from(review)
    days = paused_days(pauses, after=anchor, today=today)
    return ReportClock(
        statutory=statutory,
        base=base,
        extended=extension is not None,
        paused_days=days,
        paused_since=open_pause_since(pauses, after=anchor),
        adjusted=base + timedelta(days=days),
        today=today,
    )


def stored_report_due(
    review, *, pauses, extension: Extension | None
) -> tuple[date | None, date | None]:
    """What the review row keeps so that lists can filter in SQL: the adjusted date counting
    only the pauses that have ended, and the start of the pause still running, if any. The
    row is rewritten whenever the decision, a proceeding or an extension changes."""
    ended = [p for p in pauses if p.ended_on is not None]
    start = proceeding_from(review)
    clock = report_clock(review, pauses=ended, extension=extension, today=start)
    if clock is None:
        return None, None
    anchor = extension.requested_on if extension is not None else start
    return clock.adjusted, open_pause_since(pauses, after=anchor)


# --- reminders


def reminder_step(
    due: date, today: date, *, days_before: list[int], overdue_every: int
) -> int | None:
    """The latest reminder step reached on `today` for a deadline on `due`: a number of days
    before it (0 is the day itself), or a negative number of days overdue (-7, -14, ... every
    `overdue_every` days). None before the first step. A step missed (the job did not run that
    day) is caught up by sending the latest one only."""
    left = (due - today).days
    steps = sorted(set(days_before))
    if left >= 0:
        reached = [s for s in steps if s >= left]
        return min(reached) if reached else None
    if overdue_every and -left >= overdue_every:
        return -((-left) // overdue_every) * overdue_every
    return min(steps) if steps else None


def days_left(due: date | None, today: date) -> int | None:
    """Days until `due` (negative when overdue)."""
    return None if due is None else (due - today).days


def commissioner_copy_due(partnership: Partnership, approved_on: date) -> date:
    """The copy of the report to the Domestic Abuse Commissioner: "as soon as reasonably
    practicable after the report is completed" (2004 Act s.9(3C)), which the partnership sets
    in days from the chair's approval for publication (docs/decisions/0014)."""
    return approved_on + timedelta(days=partnership.commissioner_copy_days)
