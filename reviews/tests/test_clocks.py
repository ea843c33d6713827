from datetime import date

import pytest

from reviews import clocks
from reviews.tests.factories import ReviewFactory, ReviewProceedingFactory


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 3, 15), 1, date(2025, 4, 15)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2025, 12, 31), 1, date(2026, 1, 31)),
        (date(2025, 10, 31), 6, date(2026, 4, 30)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(start, months, expected):
    assert clocks.add_months(start, months) == expected


def test_decision_is_due_one_calendar_month_after_the_notification(db):
    review = ReviewFactory.build(notified_on=date(2025, 1, 31))
    assert clocks.decision_due(review) == date(2025, 2, 28)
    assert clocks.home_office_told_due(review) == date(2025, 2, 28)


def test_report_is_due_six_calendar_months_after_the_decision_to_proceed(db):
    review = ReviewProceedingFactory.build(decided_on=date(2025, 8, 31))
    assert clocks.statutory_report_due(review) == date(2026, 2, 28)


@pytest.mark.parametrize("proceed", [None, False])
def test_no_report_is_due_without_a_decision_to_proceed(db, proceed):
    review = ReviewFactory.build(proceed=proceed, decided_on=date(2025, 2, 1))
    assert clocks.statutory_report_due(review) is None


def test_days_left_is_negative_when_overdue():
    assert clocks.days_left(date(2025, 1, 10), date(2025, 1, 12)) == -2
    assert clocks.days_left(None, date(2025, 1, 12)) is None
