"""``simtool cases``: real cases beside drills (issue 21) — ``import FILE --scenario ID [--date
D] [--site S] [--department D] [--case-ref REF]`` (a PPH, LAST or PAS case's timeline entered
after the event, in a drill script's shape, YAML or CSV), ``withdraw CASE --reason TEXT`` (one
entered by mistake: kept, counted nowhere) and ``list [--all] [--json]``. The work is
done by ``simtool.app.cases``; a case is kept apart from drills and reported beside them by
``simtool stats indicators --source cases|both``."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from simtool.cli.common import EXIT_OK, add_archive_option, archive_path, dump_json, open_archive
from simtool.cli.argtypes import text
from simtool.core.errors import SimtoolError
from simtool.core.textsafe import printable
from simtool.core.timefmt import duration


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date (YYYY-MM-DD)") from None


def _met(i: dict[str, Any]) -> str:
    if i["met"] is None:
        return f"{i['id']} n/a"
    took = "-" if i["seconds"] is None else duration(i["seconds"])
    return f"{i['id']} {took} ({'met' if i['met'] else 'not met'})"


def cmd_import(args: argparse.Namespace) -> int:
    from simtool.app.cases import CaseError, keep_case, read_timeline
    from simtool.core.paths import find_scenario
    from simtool.core.scenario import load_scenario

    loaded = load_scenario(find_scenario(args.scenario, [args.scenarios]))
    # the file is read and checked whole before the archive is opened (or made)
    script = read_timeline(args.file, loaded, archive=archive_path(args))
    with open_archive(args, create=True) as archive:
        try:
            kept = keep_case(archive, loaded, script, date=args.date, site=args.site,
                             department=args.department, case_ref=args.case_ref)
        except CaseError as exc:
            option = {"case_ref": "--case-ref", "date": "--date", "site": "--site",
                      "department": "--department"}.get(exc.field or "")
            raise SimtoolError(f"{option} {exc}" if option else str(exc)) from None
    if args.json:
        dump_json(kept.to_dict())
        return EXIT_OK
    print(printable(f"real case {kept.case_ref} ({kept.scenario_id}, {kept.date}) kept as case "
                    f"{kept.id}; it counts in stats indicators --source cases, never as a drill"))
    for what in kept.left_out:
        print(printable(f"  left out (could name someone): {what}"))
    for i in kept.indicators:
        print(printable(f"  {_met(i)}"))
    return EXIT_OK


def cmd_withdraw(args: argparse.Namespace) -> int:
    from simtool.app.cases import CaseError, withdraw

    with open_archive(args) as archive:
        try:
            case = withdraw(archive, args.case, args.reason)
        except CaseError as exc:
            raise SimtoolError(f"--reason {exc}" if exc.field == "reason" else str(exc)) from None
    print(printable(f"real case {case['case_ref']} ({case['scenario_id']}, {case['date']}) withdrawn: "
                    f"kept in the record, counted nowhere"))
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from simtool.store.cases import cases

    if args.from_date and args.to_date and args.from_date > args.to_date:
        raise SimtoolError(f"--from {args.from_date} is after --to {args.to_date}")
    with open_archive(args) as archive:
        rows = cases(archive, args.from_date, args.to_date, department=args.department,
                     site=args.site, withdrawn=args.all)
    if args.json:
        dump_json({"cases": rows})
        return EXIT_OK
    print(printable(f"{len(rows)} real cases"))
    for c in rows:
        where = " · ".join(x for x in (c["site"], c["department"]) if x) or "-"
        gone = c.get("withdrawn")
        status = f"  WITHDRAWN {gone['at'][:10]}: {gone['reason']}" if gone else ""
        print(printable(f"{c['id']:>5}  {c['date']}  {c['case_ref']}  {c['scenario_id']}  {where}  "
                        + ", ".join(_met(i) for i in c["indicators"]) + status))
    return EXIT_OK


def add_cases_parser(sub: Any) -> None:
    """Add ``cases import | withdraw | list`` to the CLI's subparsers."""
    p = sub.add_parser("cases", help="real cases beside drills: import a case's timeline, list them",
                       description="A real PPH, LAST or PAS case's timeline, entered after the "
                                   "event, judged by the scenario's indicator definitions and kept "
                                   "as a real case (never a drill: no trainee scores, not in "
                                   "portfolios or drill indicators). Report them with simtool stats "
                                   "indicators --source cases|both.")
    csub = p.add_subparsers(dest="cases_command", required=True)

    s = csub.add_parser("import", help="keep one real case from a timeline file (YAML or CSV)",
                        description="FILE has the shape of a drill script (duration_s, timed actions "
                                    "and forces; YAML), or is a CSV with the header t,action and any "
                                    "of dose,unit,route,by (t in seconds or m:ss; a row 'end' ends the "
                                    "case). Names, staff ids, examiners and notes are left out; a "
                                    "case holds no patient identifiers.")
    s.add_argument("file", type=text, metavar="FILE")
    s.add_argument("--scenario", type=text, required=True, metavar="ID",
                   help="the scenario whose indicators judge the case (an id or a path)")
    s.add_argument("--scenarios", type=text, metavar="DIR", help="a folder of your own scenarios")
    s.add_argument("--date", type=text, metavar="YYYY-MM-DD", help="the day of the case (default today)")
    s.add_argument("--site", type=text, metavar="SITE", help="the hospital of the case")
    s.add_argument("--department", type=text, metavar="DEPT", help="the department of the case")
    s.add_argument("--case-ref", dest="case_ref", type=text, metavar="REF",
                   help="an anonymous case reference, e.g. PPH-2025-014 (default: one made up); "
                        "never a name or a record number")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    add_archive_option(s)
    s.set_defaults(func=cmd_import)

    s = csub.add_parser("withdraw", help="withdraw a real case entered by mistake",
                        description="A real case entered by mistake (a wrong date, the wrong "
                                    "scenario) is withdrawn with a reason: it stays in the record "
                                    "and counts nowhere; enter it again correctly.")
    s.add_argument("case", type=text, metavar="CASE", help="the case's id or case reference")
    s.add_argument("--reason", type=text, required=True, metavar="TEXT", help="why it is withdrawn")
    add_archive_option(s)
    s.set_defaults(func=cmd_withdraw)

    s = csub.add_parser("list", help="the real cases kept, with their indicator results",
                        description="The real cases in the archive, oldest first, with the indicator "
                                    "results their scenario's definitions give them.")
    s.add_argument("--from", dest="from_date", type=_date, metavar="DATE", help="first day (YYYY-MM-DD)")
    s.add_argument("--to", dest="to_date", type=_date, metavar="DATE", help="last day, included")
    s.add_argument("--site", type=text, metavar="SITE")
    s.add_argument("--department", type=text, metavar="DEPT")
    s.add_argument("--all", action="store_true",
                   help="also the withdrawn cases, with when and why (they count nowhere)")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    add_archive_option(s)
    s.set_defaults(func=cmd_list)
