from datetime import date, timedelta

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


# --- pauses and extensions, worked by hand

DECIDED = date(2025, 8, 31)  # statutory report date: 28 February 2026


def _clock(pauses=(), extension=None, today=date(2026, 6, 1), **fields):
    review = ReviewProceedingFactory.build(decided_on=DECIDED, **fields)
    return clocks.report_clock(review, pauses=list(pauses), extension=extension, today=today)


def _pause(start, end=None):
    return clocks.Pause(start, end)


def test_without_pauses_or_extensions_the_adjusted_date_is_the_statutory_date(db):
    clock = _clock()
    assert clock.statutory == clock.adjusted == date(2026, 2, 28)
    assert not clock.moved
    assert clock.days_left == date(2026, 2, 28).toordinal() - date(2026, 6, 1).toordinal()


def test_a_pause_moves_the_date_by_every_day_it_ran_first_and_last_included(db):
    # 1 to 10 October 2025: ten days.
    clock = _clock([_pause(date(2025, 10, 1), date(2025, 10, 10))])
    assert clock.paused_days == 10
    assert clock.adjusted == date(2026, 3, 10)


def test_overlapping_pauses_are_counted_once(db):
    # A trial 1-20 Oct, an inquest 10-30 Oct, an IOPC investigation 25 Oct-5 Nov: 1 Oct-5 Nov.
    pauses = [
        _pause(date(2025, 10, 10), date(2025, 10, 30)),
        _pause(date(2025, 10, 1), date(2025, 10, 20)),
        _pause(date(2025, 10, 25), date(2025, 11, 5)),
    ]
    clock = _clock(pauses)
    assert clock.paused_days == 36
    assert clock.adjusted == date(2026, 2, 28) + timedelta(days=36)


def test_a_pause_inside_another_adds_nothing(db):
    pauses = [
        _pause(date(2025, 10, 1), date(2025, 10, 31)),
        _pause(date(2025, 10, 5), date(2025, 10, 6)),
    ]
    assert _clock(pauses).paused_days == 31


def test_only_the_days_after_the_decision_count(db):
    # A trial from 1 August: the clock starts on 1 September, so 1-10 September count.
    clock = _clock([_pause(date(2025, 8, 1), date(2025, 9, 10))])
    assert clock.paused_days == 10
    # A proceeding over before the decision moves nothing.
    assert _clock([_pause(date(2025, 6, 1), date(2025, 8, 31))]).paused_days == 0


def test_a_pause_still_open_counts_to_today_and_stops_the_clock(db):
    clock = _clock([_pause(date(2026, 1, 1))], today=date(2026, 1, 31))
    assert clock.is_paused
    assert clock.paused_since == date(2026, 1, 1)
    assert clock.paused_days == 31
    assert clock.adjusted == date(2026, 3, 31)
    assert clock.days_left is None  # never overdue while paused
    # A day later it has moved on by a day.
    assert _clock([_pause(date(2026, 1, 1))], today=date(2026, 2, 1)).adjusted == date(2026, 4, 1)


def test_an_extension_replaces_the_statutory_date(db):
    extension = clocks.Extension(requested_on=date(2025, 12, 1), new_due_on=date(2026, 5, 29))
    clock = _clock(extension=extension)
    assert clock.extended
    assert clock.adjusted == date(2026, 5, 29)
    assert clock.statutory == date(2026, 2, 28)


def test_an_extension_after_a_pause_keeps_its_date_and_later_pauses_move_it(db):
    # Inquest 1-10 Oct 2025 (10 days): due 10 March 2026. On 1 November the coordinator asks
    # for 30 April 2026, knowing of that pause; a trial then runs 1-5 January 2026 (5 days).
    before = _pause(date(2025, 10, 1), date(2025, 10, 10))
    assert _clock([before]).adjusted == date(2026, 3, 10)
    extension = clocks.Extension(requested_on=date(2025, 11, 1), new_due_on=date(2026, 4, 30))
    assert _clock([before], extension).adjusted == date(2026, 4, 30)
    later = _pause(date(2026, 1, 1), date(2026, 1, 5))
    clock = _clock([before, later], extension)
    assert clock.paused_days == 5
    assert clock.adjusted == date(2026, 5, 5)


def test_a_pause_spanning_the_extension_request_counts_only_after_it(db):
    extension = clocks.Extension(requested_on=date(2025, 11, 1), new_due_on=date(2026, 4, 30))
    clock = _clock([_pause(date(2025, 10, 20), date(2025, 11, 10))], extension)
    assert clock.paused_days == 9  # 2 to 10 November
    assert clock.adjusted == date(2026, 5, 9)


def test_leap_day_decision_and_pause_over_the_end_of_february(db):
    review = ReviewProceedingFactory.build(decided_on=date(2024, 2, 29))
    assert clocks.statutory_report_due(review) == date(2024, 8, 29)
    pauses = [_pause(date(2024, 2, 28), date(2024, 3, 1))]  # 1 March only, after the decision
    clock = clocks.report_clock(review, pauses=pauses, extension=None, today=date(2024, 5, 1))
    assert clock.paused_days == 1
    assert clock.adjusted == date(2024, 8, 30)


def test_the_row_keeps_the_date_with_ended_pauses_and_the_start_of_an_open_one(db):
    review = ReviewProceedingFactory.build(decided_on=DECIDED)
    pauses = [_pause(date(2025, 10, 1), date(2025, 10, 10)), _pause(date(2026, 1, 1))]
    assert clocks.stored_report_due(review, pauses=pauses, extension=None) == (
        date(2026, 3, 10),
        date(2026, 1, 1),
    )


# --- the DARDR draft rule set, pinned per review


def test_a_review_keeps_the_timescales_of_the_guidance_it_started_under(db):
    old = ReviewProceedingFactory.build(decided_on=DECIDED, guidance_version="2016")
    new = ReviewProceedingFactory.build(decided_on=DECIDED, guidance_version="2024-draft")
    assert clocks.scoping_due(old) is None
    assert clocks.scoping_due(new) == date(2025, 10, 31)
    assert clocks.statutory_report_due(old) == clocks.statutory_report_due(new)
    assert clocks.rules_for(new).draft


def test_agency_report_and_qa_revision_dates(db):
    review = ReviewProceedingFactory.build()
    assert clocks.suggested_agency_report_due(review, date(2025, 3, 3)) == date(2025, 4, 28)
    partnership = ReviewProceedingFactory.build().partnership
    partnership.qa_revision_days = 60
    assert clocks.qa_revision_due(partnership, date(2025, 11, 1)) == date(2025, 12, 31)


# --- reminder steps: 14 and 3 days before, on the day, every 7 days overdue

STEPS = {"days_before": [14, 3, 0], "overdue_every": 7}


@pytest.mark.parametrize(
    ("days_left", "step"),
    [
        (30, None),
        (15, None),
        (14, 14),
        (10, 14),
        (3, 3),
        (1, 3),
        (0, 0),
        (-1, 0),
        (-6, 0),
        (-7, -7),
        (-13, -7),
        (-14, -14),
        (-50, -49),
    ],
)
def test_the_latest_step_reached(days_left, step):
    due = date(2026, 3, 1)
    today = due - timedelta(days=days_left)
    assert clocks.reminder_step(due, today, **STEPS) == step


def test_no_reminders_once_overdue_when_the_partnership_says_so():
    due = date(2026, 3, 1)
    step = clocks.reminder_step(due, due + timedelta(days=30), days_before=[3], overdue_every=0)
    assert step == 3  # the last step before; already sent, so nothing new


def test_each_pause_is_credited_with_the_days_it_added_first():
    pauses = [
        _pause(date(2025, 10, 10), date(2025, 10, 30)),
        _pause(date(2025, 10, 1), date(2025, 10, 20)),
        _pause(date(2025, 10, 12), date(2025, 10, 15)),
    ]
    added = clocks.pause_contributions(pauses, after=DECIDED, today=date(2026, 1, 1))
    assert added == [10, 20, 0]
    # 1 to 30 October, whichever pause covered each day first.
    assert clocks.paused_days(pauses, after=DECIDED, today=date(2026, 1, 1)) == 30


def test_every_guidance_version_has_its_rules():
    from dhr.models import GuidanceVersion

    assert set(clocks.RULES) == set(GuidanceVersion)
    assert all(clocks.RULES[v].title == v.label for v in GuidanceVersion)


def test_an_extension_may_not_run_past_three_years_after_the_statutory_date(db):
    review = ReviewProceedingFactory.build(decided_on=DECIDED)
    assert clocks.latest_extension(review) == date(2029, 2, 28)
