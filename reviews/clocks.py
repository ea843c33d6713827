"""The statutory timescales, as data, and every statutory date computed from them.

Each review is pinned to the guidance version it started under (`Review.guidance_version`), so a
change of guidance never moves the dates of a review already running. No view or template works
out a date by hand: they call these functions. (Pauses and extensions come in a later issue.)
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class RuleSet:
    version: str
    title: str
    decision_months: int  # notification -> decision (and the Home Office told of it)
    report_months: int  # decision to proceed -> overview report


RULES = {
    "2016": RuleSet(
        version="2016",
        title="Multi-agency statutory guidance for the conduct of DHRs (2016)",
        decision_months=1,
        report_months=6,
    ),
}
CURRENT_VERSION = "2016"


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


def decision_due(review) -> date:
    return add_months(review.notified_on, rules_for(review).decision_months)


def home_office_told_due(review) -> date:
    """The Home Office is told of the decision, either way, by the date the decision is due."""
    return decision_due(review)


def report_due(review) -> date | None:
    """Six calendar months after the decision to proceed; none before that decision."""
    if not (review.proceed and review.decided_on):
        return None
    return add_months(review.decided_on, rules_for(review).report_months)


def days_left(due: date | None, today: date) -> int | None:
    """Days until `due` (negative when overdue)."""
    return None if due is None else (due - today).days


def overdue_before(today: date, months: int) -> date:
    """The earliest start date whose `months`-month deadline is not yet past on `today`:
    a clock that started before it is overdue. Lets a list filter overdue reviews in SQL."""
    cutoff = add_months(today, -months)
    one_day = timedelta(days=1)
    while add_months(cutoff, months) < today:
        cutoff += one_day
    while add_months(cutoff - one_day, months) >= today:
        cutoff -= one_day
    return cutoff
