"""``simtool calendar``: which drills the training programmes' frequency rules make due or
overdue, per department and site of the archive (issue 20, item 5). The work is done by
``simtool.app.calendar``; the dates by ``simtool.core.calendar``."""

from __future__ import annotations

import argparse
import unicodedata
from datetime import date
from typing import Any

from simtool.cli.argtypes import text
from simtool.cli.common import EXIT_OK, add_archive_option, dump_json, open_archive
from simtool.core.textsafe import printable

RULE = ("next due = last done + the rule's months (30 Nov + 3 months = 28/29 Feb); 'due' from "
        "one month before the next due day up to that day, 'overdue' after it; a drill never "
        "done is overdue. A drill counts when it ran the scenario the rule names, ended or "
        "signed, for that department and site (discarded drills never count). Rules naming no "
        "scenario are listed as not tracked.")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date (YYYY-MM-DD)") from None


def _width(s: str) -> int:
    """Columns a terminal gives ``s``: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _table(rows: list[list[str]]) -> list[str]:
    rows = [[printable(c) for c in r] for r in rows]
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths)).rstrip() for r in rows]


def cmd_calendar(args: argparse.Namespace) -> int:
    from simtool.app.calendar import calendar
    with open_archive(args) as archive:
        result = calendar(archive, department=args.department, site=args.site,
                          programme_id=args.programme, today=args.as_of)
    if args.json:
        dump_json(result)
        return EXIT_OK
    print(f"Drill calendar on {result['today']}")
    if result["drills"]:
        rows = [["STATUS", "DEPARTMENT", "SITE", "DRILL", "EVERY", "LAST DONE", "NEXT DUE"]]
        for d in result["drills"]:
            rows.append([d["status"], d["department"], d["site"] or "—",
                         f"{d['label']['en']} ({d['programme']})", f"{d['every_months']} mo",
                         d["last_done"] or "never", d["next_due"] or "now"])
        for line in _table(rows):
            print(line)
    else:
        print("No department has drills in the archive yet: record drills with --department "
              "(simtool run --department D) to see their calendar.")
    for u in result["not_tracked"]:
        print(printable(f"not tracked: {u['label']['en']} ({u['programme']}, every "
                        f"{u['every_months']} months): {u['reason']}"))
    return EXIT_OK


def add_calendar_parser(sub: Any) -> None:
    p = sub.add_parser("calendar", help="drills due or overdue by department and site",
                       description="Each drill the training programmes (programmes/*.yaml, "
                                   "'drills:') require, for each department and site with drills "
                                   "in the archive: last done, next due and status (ok, due, "
                                   "overdue). " + RULE)
    p.add_argument("--department", type=text, metavar="D", help="only this department")
    p.add_argument("--site", type=text, metavar="S", help="only this site")
    p.add_argument("--programme", type=text, metavar="ID",
                   help="only this programme's rules (default: every programme with drill rules)")
    p.add_argument("--as-of", type=_day, metavar="DATE", dest="as_of",
                   help="the day to judge on, YYYY-MM-DD (default: today, UTC)")
    p.add_argument("--json", action="store_true",
                   help="print JSON: {today, drills: [...], not_tracked: [...]}")
    add_archive_option(p)
    p.set_defaults(func=cmd_calendar)
