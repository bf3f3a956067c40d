"""``simtool progress STAFF_ID --programme ID``: a trainee against a training programme
(issue 20) — each requirement done / required / missing, the exams, cleared to work (since
when) and retraining due. The work is done by ``simtool.app.progress``."""

from __future__ import annotations

import argparse
from typing import Any

from simtool.cli.common import EXIT_OK, add_archive_option, dump_json, open_archive
from simtool.cli.argtypes import text
from simtool.core.textsafe import printable


def cmd_progress(args: argparse.Namespace) -> int:
    from simtool.app.progress import progress
    with open_archive(args) as archive:
        result = progress(archive, args.staff_id, args.programme)
    if args.json:
        dump_json(result)
        return EXIT_OK
    t = result["trainee"]
    print(printable(f"{t['name']} ({t['staff_id'] or t['id']}) — programme {result['programme']}"))
    for r in result["requirements"]:
        pending = f" (+{r['pending']} pending)" if r["pending"] else ""
        mark = "ok" if r["missing"] == 0 else f"missing {r['missing']}"
        print(printable(f"  {r['stage']:<12} {r['procedure']} [{r['level']}] "
                        f"{r['done']}/{r['required']}{pending} {mark}"))
    for s in result["simulation"]:
        mark = "ok" if s["missing"] == 0 else f"missing {s['missing']}"
        print(printable(f"  simulation   {s['id']} {s['done']}/{s['required']} {mark}"))
    for e in result["exams"]:
        res = f"{e['result']} on {e['date']}" if e["result"] else "no result"
        due = f"; retraining due by {e['retrain_due']}" if e["retrain_due"] else ""
        print(printable(f"  exam         {e['id']} ({e['kind']}): {res}{due}"))
    print(printable(f"cleared to work since {result['cleared_on']}" if result["cleared"]
                    else "not cleared to work"
                    + (f"; retraining due by {result['retrain_due']}" if result["retrain_due"] else "")))
    return EXIT_OK


def add_progress_parser(sub: Any) -> None:
    p = sub.add_parser("progress", help="a trainee against a training programme",
                       description="Each requirement of the programme (programmes/ID.yaml) with "
                                   "what is done (countersigned logbook entries, signed sheets "
                                   "passed), required and missing; the exams; whether the trainee "
                                   "is cleared to work, and when retraining is due.")
    p.add_argument("staff_id", type=text, metavar="STAFF_ID", help="a staff id or trainee id")
    p.add_argument("--programme", type=text, required=True, metavar="ID")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_archive_option(p)
    p.set_defaults(func=cmd_progress)
