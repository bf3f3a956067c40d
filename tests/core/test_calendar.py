"""The drill calendar's dates (``simtool.core.calendar``): months added with the day clamped to
the month's end, and each status boundary tested on both sides."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from simtool.core.calendar import DUE, OK, OVERDUE, add_months, due_status, last_done

DAY = timedelta(days=1)


@pytest.mark.parametrize("day, months, expected", [
    (date(2026, 11, 30), 3, date(2027, 2, 28)),    # clamped to February's end
    (date(2027, 11, 30), 3, date(2028, 2, 29)),    # a leap year
    (date(2026, 8, 31), 1, date(2026, 9, 30)),
    (date(2026, 5, 31), -1, date(2026, 4, 30)),    # back, clamped too
    (date(2026, 3, 31), -1, date(2026, 2, 28)),
    (date(2026, 1, 15), -1, date(2025, 12, 15)),   # across the year, backwards
    (date(2026, 10, 20), 3, date(2027, 1, 20)),    # across the year
    (date(2026, 12, 31), 6, date(2027, 6, 30)),
    (date(2026, 2, 28), 12, date(2027, 2, 28)),
    (date(2026, 7, 4), 0, date(2026, 7, 4)),
])
def test_add_months_clamps_to_the_months_end(day, months, expected):
    assert add_months(day, months) == expected


def test_a_drill_done_on_30_november_is_next_due_at_februarys_end():
    assert due_status(date(2026, 11, 30), 3, date(2026, 12, 1)).next_due == date(2027, 2, 28)
    assert due_status(date(2027, 11, 30), 3, date(2027, 12, 1)).next_due == date(2028, 2, 29)


LAST = date(2026, 5, 20)          # next due 2026-08-20, "due" from 2026-07-20


@pytest.mark.parametrize("today, status, days_left", [
    (LAST, OK, 92),
    (date(2026, 7, 19), OK, 32),       # the day before the last month
    (date(2026, 7, 20), DUE, 31),      # the last month starts
    (date(2026, 8, 20), DUE, 0),       # the due day itself is still "due"
    (date(2026, 8, 21), OVERDUE, -1),  # the day after
    (date(2027, 1, 1), OVERDUE, -134),
])
def test_each_status_boundary_on_both_sides(today, status, days_left):
    due = due_status(LAST, 3, today)
    assert (due.last_done, due.next_due, due.status, due.days_left) == \
        (LAST, date(2026, 8, 20), status, days_left)


def test_the_due_window_of_a_period_ending_on_a_short_month():
    # done 30 Nov, next due 28 Feb: "due" from 28 Jan (one month before, same day), not before
    assert due_status(date(2026, 11, 30), 3, date(2027, 1, 27)).status == OK
    assert due_status(date(2026, 11, 30), 3, date(2027, 1, 28)).status == DUE
    assert due_status(date(2026, 11, 30), 3, date(2027, 2, 28)).status == DUE
    assert due_status(date(2026, 11, 30), 3, date(2027, 3, 1)).status == OVERDUE


def test_never_done_is_overdue_with_no_dates():
    due = due_status(None, 6, date(2026, 1, 1))
    assert (due.last_done, due.next_due, due.status, due.days_left) == (None, None, OVERDUE, None)


def test_a_period_under_a_month_is_refused():
    with pytest.raises(ValueError, match="at least one month"):
        due_status(LAST, 0, LAST)


def test_last_done_is_the_latest_day_not_after_today():
    days = [date(2026, 1, 5), date(2026, 3, 1), date(2026, 2, 1)]
    assert last_done(days, date(2026, 6, 1)) == date(2026, 3, 1)
    assert last_done(days, date(2026, 3, 1)) == date(2026, 3, 1)           # today counts
    assert last_done(days, date(2026, 3, 1) - DAY) == date(2026, 2, 1)     # a later one does not yet
    assert last_done(days, date(2026, 1, 4)) is None
    assert last_done([], date(2026, 1, 4)) is None
