"""``simtool logbook``: a trainee's procedures (issue 20) — ``import FILE.csv`` (whole or not
at all), ``list STAFF_ID``, ``sign ENTRY --supervisor STAFF_ID`` (the countersignature of the
supervisor the entry names) and ``exam STAFF_ID --programme ID --exam ID --result pass|fail``
(a practical or written exam result). The work is done by ``simtool.app.logbook``."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from simtool.cli.common import EXIT_OK, add_archive_option, dump_json, open_archive
from simtool.cli.argtypes import text
from simtool.core.textsafe import printable


def _day(text_: str) -> str:
    """A day written YYYY-MM-DD (argparse names the option when it is not one)."""
    try:
        return date.fromisoformat(text_).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text_}' is not a date (YYYY-MM-DD)") from None


def _line(e: dict[str, Any]) -> str:
    sign = f"signed {e['signed_at'][:10]}" if e["status"] == "signed" else "pending"
    extra = f" · complications: {e['complications']}" if e["complications"] else ""
    return (f"{e['id']:>5}  {e['date']}  {e['procedure']} ({e['level']})  supervisor "
            f"{e['supervisor']}  case {e['case_ref']}  {sign}{extra}")


def cmd_logbook(args: argparse.Namespace) -> int:
    from simtool.app import logbook
    action = args.logbook_action
    if action is None:
        args.logbook_parser.print_help()
        return EXIT_OK
    with open_archive(args) as archive:
        if action == "import":
            ids = logbook.import_csv(archive, args.file)
            result: Any = {"imported": len(ids), "ids": ids}
            text_out = [f"{len(ids)} logbook entr{'y' if len(ids) == 1 else 'ies'} imported "
                        f"(ids {ids[0]}–{ids[-1]}), pending countersignature"]
        elif action == "list":
            result = logbook.entries(archive, args.staff_id)
            text_out = [_line(e) for e in result] or ["no logbook entries"]
        elif action == "sign":
            result = logbook.sign(archive, args.entry, args.supervisor)
            text_out = [_line(result)]
        else:
            rid = logbook.record_exam(archive, args.staff_id, args.programme, args.exam,
                                      args.date, args.result, args.examiner)
            result = {"id": rid}
            text_out = [f"exam result {rid} recorded: {args.exam} {args.result} on {args.date}"]
    if getattr(args, "json", False):
        dump_json(result)
    else:
        for line in text_out:
            print(printable(line))
    return EXIT_OK


def add_logbook_parser(sub: Any) -> None:
    p = sub.add_parser("logbook", help="a trainee's logbook of procedures, countersigned",
                       description="Import procedures from CSV, list a trainee's logbook, "
                                   "countersign an entry as its supervisor, record an exam result. "
                                   "Only countersigned entries count towards a programme "
                                   "(simtool progress).")
    p.set_defaults(func=cmd_logbook, logbook_action=None, logbook_parser=p)
    actions = p.add_subparsers(dest="logbook_action")
    i = actions.add_parser("import", help="import entries from a CSV file (all or none)",
                           description="Header: staff_id,date,procedure,level,supervisor,site,"
                                       "case_ref,complications. UTF-8 (with or without BOM) or GBK. "
                                       "level: independent, supervised or assisted; procedure: an "
                                       "id of a programme file; supervisor: a staff id. A file "
                                       "with any problem is refused whole, each problem named by "
                                       "line and column.")
    i.add_argument("file", metavar="FILE.csv")
    l_ = actions.add_parser("list", help="a trainee's entries with their status")
    l_.add_argument("staff_id", type=text, metavar="STAFF_ID")
    s = actions.add_parser("sign", help="countersign an entry as the supervisor it names")
    s.add_argument("entry", metavar="ENTRY")
    s.add_argument("--supervisor", type=text, required=True, metavar="STAFF_ID")
    e = actions.add_parser("exam", help="record a practical or written exam result")
    e.add_argument("staff_id", type=text, metavar="STAFF_ID")
    e.add_argument("--programme", type=text, required=True, metavar="ID")
    e.add_argument("--exam", type=text, required=True, metavar="ID")
    e.add_argument("--result", choices=("pass", "fail"), required=True)
    e.add_argument("--date", type=_day, required=True, metavar="YYYY-MM-DD")
    e.add_argument("--examiner", type=text, metavar="STAFF_ID")
    for sp in (i, l_, s, e):
        sp.add_argument("--json", action="store_true", help="print JSON")
        add_archive_option(sp)
        sp.set_defaults(func=cmd_logbook, logbook_action=sp.prog.split()[-1], logbook_parser=p)
