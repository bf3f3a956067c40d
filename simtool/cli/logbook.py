"""``simtool logbook``: a trainee's procedures (issue 20) — ``import FILE.csv`` (whole or not
at all), ``add STAFF_ID --date --procedure --level --supervisor`` (one entry),
``correct ENTRY --reason TEXT --FIELD VALUE…`` and ``withdraw ENTRY --reason TEXT`` (a pending
entry; the original stays in the record), ``list STAFF_ID``, ``pending --supervisor STAFF_ID``
(the countersign queue), ``sign ENTRY --supervisor STAFF_ID`` (the countersignature of the
supervisor the entry names) and ``exam STAFF_ID --programme ID --exam ID --result pass|fail``
(a practical or written exam result). The work is done by ``simtool.app.logbook``; a refused
entry names the option at fault."""

from __future__ import annotations

import argparse
from typing import Any

from simtool.cli.common import EXIT_OK, add_archive_option, dump_json, open_archive
from simtool.cli.argtypes import text
from simtool.core.textsafe import printable


def _line(e: dict[str, Any]) -> str:
    status = e["status"]
    if status == "signed":
        sign = f"signed {e['signed_at'][:10]}"
    elif status == "withdrawn":
        sign = f"withdrawn {e['changed_at'][:10]}: {e['change_reason']}"
    elif status == "corrected":
        sign = f"corrected by entry {e['superseded_by']} on {e['changed_at'][:10]}: {e['change_reason']}"
    else:
        sign = "pending"
    if e.get("corrects"):
        sign += f" (corrects entry {e['corrects']})"
    if e.get("trainee_staff_id"):
        sign = f"trainee {e['trainee_name']} ({e['trainee_staff_id']})  {sign}"
    extra = f" · complications: {e['complications']}" if e["complications"] else ""
    return (f"{e['id']:>5}  {e['date']}  {e['procedure']} ({e['level']})  supervisor "
            f"{e['supervisor']}  case {e['case_ref']}  {sign}{extra}")


def _entry_options(p: argparse.ArgumentParser, required: bool) -> None:
    p.add_argument("--date", type=text, required=required, metavar="YYYY-MM-DD")
    p.add_argument("--procedure", type=text, required=required, metavar="ID")
    p.add_argument("--level", type=text, required=required,
                   metavar="independent|supervised|assisted")
    p.add_argument("--supervisor", type=text, required=required, metavar="STAFF_ID")
    p.add_argument("--site", type=text, metavar="SITE")
    p.add_argument("--case-ref", dest="case_ref", type=text, required=required, metavar="REF")
    p.add_argument("--complications", type=text, metavar="TEXT")


def cmd_logbook(args: argparse.Namespace) -> int:
    from simtool.app import logbook
    action = args.logbook_action
    if action is None:
        args.logbook_parser.print_help()
        return EXIT_OK
    from simtool.app.logbook import LogbookError
    try:
        return _run(args, action, logbook)
    except LogbookError as exc:
        if exc.field is None or exc.field == "entry":   # it names the entry itself
            raise
        option = _OPTIONS.get(exc.field, f"--{exc.field.replace('_', '-')}")
        message = str(exc).removeprefix(f"{exc.field}: ")
        raise LogbookError(f"{option}: {message}", exc.field) from None


# how a refused field is named on the command line
_OPTIONS = {"staff_id": "STAFF_ID", "changes": "the options to correct"}


def _run(args: argparse.Namespace, action: str, logbook: Any) -> int:
    with open_archive(args) as archive:
        if action == "import":
            ids = logbook.import_csv(archive, args.file)
            result: Any = {"imported": len(ids), "ids": ids}
            text_out = [f"{len(ids)} logbook entr{'y' if len(ids) == 1 else 'ies'} imported "
                        f"(ids {ids[0]}–{ids[-1]}), pending countersignature"]
        elif action == "add":
            result = logbook.add_entry(archive, args.staff_id, args.date, args.procedure,
                                       args.level, args.supervisor, args.site, args.case_ref,
                                       args.complications)
            text_out = [_line(result)]
        elif action == "correct":
            changes = {f: getattr(args, f) for f in logbook.CHANGEABLE
                       if getattr(args, f) is not None}
            result = logbook.correct_entry(archive, args.entry, changes, args.reason)
            text_out = [f"logbook entry {result['corrects']} corrected: it stays in the record, "
                        f"superseded by", _line(result)]
        elif action == "withdraw":
            result = logbook.withdraw_entry(archive, args.entry, args.reason)
            text_out = [_line(result)]
        elif action == "pending":
            result = logbook.pending_for_supervisor(archive, args.supervisor, args.site)
            text_out = [_line(e) for e in result] or ["no entries wait for this supervisor's "
                                                      "countersignature"]
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
    a = actions.add_parser("add", help="add one entry (checked as a CSV row is)",
                           description="One procedure of a trainee, pending the countersignature "
                                       "of the supervisor it names. case-ref is an anonymous case "
                                       "reference (never a name, identity card, phone or record "
                                       "number).")
    a.add_argument("staff_id", type=text, metavar="STAFF_ID")
    _entry_options(a, required=True)
    c = actions.add_parser("correct", help="correct a pending entry (the original stays)",
                           description="A new entry with the fields given supersedes the pending "
                                       "entry; the original stays in the record, marked corrected, "
                                       "with the reason. A countersigned entry cannot be corrected.")
    c.add_argument("entry", type=text, metavar="ENTRY")
    c.add_argument("--reason", type=text, required=True, metavar="TEXT")
    _entry_options(c, required=False)
    w = actions.add_parser("withdraw", help="withdraw a pending entry (it stays, counted nowhere)")
    w.add_argument("entry", type=text, metavar="ENTRY")
    w.add_argument("--reason", type=text, required=True, metavar="TEXT")
    q = actions.add_parser("pending", help="the entries waiting for a supervisor's countersignature")
    q.add_argument("--supervisor", type=text, required=True, metavar="STAFF_ID")
    q.add_argument("--site", type=text, metavar="SITE")
    l_ = actions.add_parser("list", help="a trainee's entries with their status "
                                         "(pending, signed, withdrawn, corrected)")
    l_.add_argument("staff_id", type=text, metavar="STAFF_ID")
    s = actions.add_parser("sign", help="countersign an entry as the supervisor it names")
    s.add_argument("entry", type=text, metavar="ENTRY")
    s.add_argument("--supervisor", type=text, required=True, metavar="STAFF_ID")
    e = actions.add_parser("exam", help="record a practical or written exam result")
    e.add_argument("staff_id", type=text, metavar="STAFF_ID")
    e.add_argument("--programme", type=text, required=True, metavar="ID")
    e.add_argument("--exam", type=text, required=True, metavar="ID")
    e.add_argument("--result", choices=("pass", "fail"), required=True)
    e.add_argument("--date", type=text, required=True, metavar="YYYY-MM-DD")
    e.add_argument("--examiner", type=text, metavar="STAFF_ID")
    for sp in (i, a, c, w, q, l_, s, e):
        sp.add_argument("--json", action="store_true", help="print JSON")
        add_archive_option(sp)
        sp.set_defaults(func=cmd_logbook, logbook_action=sp.prog.split()[-1], logbook_parser=p)
