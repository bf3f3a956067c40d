"""The drill calendar's arithmetic (issue 20, item 5): when a department's next drill of a
programme's rule falls due, and whether it is ``ok``, ``due`` or ``overdue`` on a given day.

Pure: dates in, dates and words out; "today" is always an argument (the archive's clock is
read by ``simtool.app.calendar``, never here).

The rule a department expects:

* **next due** = the day the drill was last done plus the rule's ``every_months`` (a rolling
  period, not calendar quarters: a drill done on 20 May under a 3-month rule is next due on
  20 August). Adding months keeps the day of the month, clamped to the month's end: 30
  November + 3 months is 28 February (29 in a leap year).
* **ok**: today is earlier than one month before the next due day;
* **due**: today is within the last month of the period — from one month before the next due
  day up to and including the due day itself (next due 20 August: due from 20 July);
* **overdue**: the next due day has passed (from the day after it);
* a drill **never done** has no next due day and is ``overdue``: the rule asks for it now.
"""

from __future__ import annotations

import calendar as _cal
from dataclasses import dataclass
from datetime import date

OK, DUE, OVERDUE = "ok", "due", "overdue"
STATUSES = (OK, DUE, OVERDUE)
DUE_WINDOW_MONTHS = 1   # "due" from this many months before the next due day


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole ``months`` (negative: back), the day of the month clamped to the
    last day of the month reached (30 Nov + 3 → 28/29 Feb; 31 May − 1 → 30 Apr)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, _cal.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Due:
    """Where one department stands with one drill rule on ``today``."""

    last_done: date | None
    next_due: date | None
    status: str            # one of STATUSES
    days_left: int | None  # next_due − today in days (negative once overdue); None if never done


def due_status(last_done: date | None, every_months: int, today: date) -> Due:
    """The rule of this module's docstring for one drill rule done last on ``last_done``
    (None: never)."""
    if every_months < 1:
        raise ValueError("a drill's period is at least one month")
    if last_done is None:
        return Due(None, None, OVERDUE, None)
    next_due = add_months(last_done, every_months)
    if today > next_due:
        status = OVERDUE
    elif today >= add_months(next_due, -DUE_WINDOW_MONTHS):
        status = DUE
    else:
        status = OK
    return Due(last_done, next_due, status, (next_due - today).days)


def last_done(days: list[date], today: date) -> date | None:
    """The latest of ``days`` not after ``today`` (a drill dated later does not count yet)."""
    return max((d for d in days if d <= today), default=None)
