"""``simtool quality``: the department's quality loop (issue 21, ``simtool.app.quality``).

  quality threats [--json] [--from D --to D] [--department D] [--site S]
  quality threat add DRILL --found TEXT --category C --likelihood 1-5 --severity 1-5
                     --root-cause TEXT [--event SEQ ...] [--indicator ID ...] [--revises ID]
  quality action add --title TEXT --owner STAFF_ID --deadline YYYY-MM-DD [--indicator ID]
                     [--threat ID] [--department D]
  quality action update ID --status open|done [--note TEXT]
  quality actions [--json]
  quality decide --quarter 2026-Q3 [--department D] --decision standardise|new-cycle|other
                 --note TEXT

Every record is append-only and audited; a refusal is one sentence and exit 1.
"""

from __future__ import annotations

import argparse
from typing import Any

from simtool.cli.argtypes import text
from simtool.cli.common import ARCHIVE_HELP, EXIT_OK, dump_json, open_archive
from simtool.core.errors import SimtoolError
from simtool.core.textsafe import printable


def _one_line(s: str | None, limit: int = 80) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= limit else s[:limit - 1] + "…"


def _threat_line(t: dict[str, Any]) -> str:
    links = []
    if t["events"]:
        links.append("events " + ",".join(str(e) for e in t["events"]))
    if t["indicators"]:
        links.append("indicators " + ",".join(t["indicators"]))
    return (f"{t['id']}  drill {t['drill']}  {t['category']}  risk {t['risk']} "
            f"({t['likelihood']}×{t['severity']}={t['risk_score']})  {_one_line(t['found'])}"
            f"  · root cause: {_one_line(t['root_cause'], 60)}"
            + (f"  · {'; '.join(links)}" if links else "")
            + f"  · {t['recorded_at']} by {t['recorded_by'] or '?'}")


def _action_line(a: dict[str, Any]) -> str:
    extra = "".join(f"  · {k} {a[k]}" for k in ("indicator", "threat") if a[k] is not None)
    return (f"{a['id']}  [{a['status']}]  {_one_line(a['title'])}  · owner {a['owner']} "
            f"({a['owner_name']})  · deadline {a['deadline']}{extra}")


def cmd_quality(args: argparse.Namespace) -> int:
    from simtool.app import quality
    what = args.quality_cmd
    if what is None:
        args.quality_parser.print_help()
        return EXIT_OK
    if what in ("action", "threat") and getattr(args, "sub_cmd", None) is None:
        raise SimtoolError(f"`simtool quality {what}` needs add"
                           + (" or update" if what == "action" else "") + " (see --help)")
    with open_archive(args, create=False) as archive:
        if what == "threats":
            found = [t.to_dict() for t in quality.threats(
                archive, args.from_date, args.to_date, args.department, args.site)]
            if args.json:
                dump_json(found)
            else:
                for t in found:
                    print(printable(_threat_line(t)))
                if not found:
                    print("no safety threats recorded")
            return EXIT_OK
        if what == "threat":
            t = quality.record_threat(
                archive, args.drill, found=args.found, category=args.category,
                likelihood=args.likelihood, severity=args.severity, root_cause=args.root_cause,
                events=args.event or [], indicators=args.indicator or [], revises=args.revises)
            return _show(args, t.to_dict(), _threat_line)
        if what == "action":
            if args.sub_cmd == "add":
                a = quality.add_action(archive, title=args.title, owner=args.owner,
                                       deadline=args.deadline, indicator=args.indicator,
                                       threat=args.threat, department=args.department)
            else:
                a = quality.update_action(archive, args.id, args.status, args.note)
            return _show(args, quality.action_dict(a, quality.today(archive)), _action_line)
        if what == "actions":
            rows = quality.actions(archive)
            if args.json:
                dump_json(rows)
            else:
                for r in rows:
                    print(printable(_action_line(r)))
                if not rows:
                    print("no corrective actions recorded")
            return EXIT_OK
        d = quality.decide(archive, args.quarter, args.decision, args.note, args.department)
        out = {"id": d.id, "quarter": d.quarter, "department": d.department,
               "decision": d.decision, "note": d.note, "at": d.at, "by": d.by}
        return _show(args, out, lambda x: f"{x['quarter']}{' ' + x['department'] if x['department'] else ''}: "
                                          f"{x['decision']} — {_one_line(x['note'])} ({x['at']} by {x['by']})")


def _show(args: argparse.Namespace, obj: dict[str, Any], line: Any) -> int:
    if getattr(args, "json", False):
        dump_json(obj)
    else:
        print(printable(line(obj)))
    return EXIT_OK


def _positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value[:40]!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"{n} is not an id (1 or more)")
    return n


def _seq(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value[:40]!r} is not an event number (see `simtool "
                                         f"events DRILL`)") from None
    return n


def _leaf(p: argparse.ArgumentParser, json_help: str = "print JSON") -> None:
    p.add_argument("--json", action="store_true", help=json_help)
    p.add_argument("--archive", metavar="DB", help=ARCHIVE_HELP)


# simtool.store.quality's vocabularies (tests/test_cli_quality.py checks they agree), kept
# here so that building the parser for any command does not load the store
CATEGORIES = ("equipment", "process", "people", "environment", "communication")
DECISIONS = ("standardise", "new-cycle", "other")


def add_quality_parser(sub: Any) -> None:
    p = sub.add_parser(
        "quality", help="safety threats, corrective actions and the quarter's PDCA decision",
        description="The department's quality loop: latent safety threats found in debriefs, "
                    "corrective actions (owner, deadline, status; overdue when open past the "
                    "deadline) and the Act decision of each quarter's PDCA meeting. Every record "
                    "is kept with its audit row and never overwritten.")
    p.set_defaults(func=cmd_quality, quality_cmd=None, quality_parser=p)
    cmds = p.add_subparsers(dest="quality_cmd")

    t = cmds.add_parser("threats", help="the latent safety threats recorded in debriefs")
    t.add_argument("--from", dest="from_date", type=text, metavar="DATE",
                   help="only threats of drills run on or after this day (YYYY-MM-DD)")
    t.add_argument("--to", dest="to_date", type=text, metavar="DATE",
                   help="only threats of drills run on or before this day (YYYY-MM-DD)")
    t.add_argument("--department", type=text, help="only threats of this department's drills")
    t.add_argument("--site", type=text, help="only threats of drills run at this site")
    _leaf(t)

    th = cmds.add_parser("threat", help="record a latent safety threat found in a drill's debrief")
    thc = th.add_subparsers(dest="sub_cmd")
    ta = thc.add_parser("add", help="record a threat (or, with --revises, a revision of one)")
    ta.add_argument("drill", type=text, metavar="DRILL", help="the drill whose debrief found it")
    ta.add_argument("--found", type=text, required=True, help="what was found")
    ta.add_argument("--category", choices=CATEGORIES, required=True)
    ta.add_argument("--likelihood", type=int, choices=range(1, 6), required=True, metavar="1-5",
                    help="NPSA 5×5 matrix: 1 rare … 5 almost certain")
    ta.add_argument("--severity", type=int, choices=range(1, 6), required=True, metavar="1-5",
                    help="NPSA 5×5 matrix: 1 negligible … 5 catastrophic")
    ta.add_argument("--root-cause", type=text, required=True)
    ta.add_argument("--event", type=_seq, action="append", metavar="SEQ",
                    help="an event of the drill it concerns (repeatable)")
    ta.add_argument("--indicator", type=text, action="append", metavar="ID",
                    help="an indicator of the drill's scenario it concerns (repeatable)")
    ta.add_argument("--revises", type=_positive_int, metavar="ID", help="the threat this revises")
    _leaf(ta)

    a = cmds.add_parser("action", help="add a corrective action or change its status")
    ac = a.add_subparsers(dest="sub_cmd")
    aa = ac.add_parser("add", help="agree a corrective action")
    aa.add_argument("--title", type=text, required=True, help="what is to be done")
    aa.add_argument("--owner", type=text, required=True, metavar="STAFF_ID",
                    help="who answers for it: a staff id of the people registry")
    aa.add_argument("--deadline", type=text, required=True, metavar="YYYY-MM-DD")
    aa.add_argument("--indicator", type=text, metavar="ID",
                    help="the indicator it should move (an id of a scenario's indicators)")
    aa.add_argument("--threat", type=_positive_int, metavar="ID", help="the safety threat it answers")
    aa.add_argument("--department", type=text, help="the department (default: the owner's)")
    _leaf(aa)
    au = ac.add_parser("update", help="record a status change with its note")
    au.add_argument("id", type=_positive_int, metavar="ID", help="the action's id")
    au.add_argument("--status", choices=("open", "done"), required=True)
    au.add_argument("--note", type=text, help="what was done, or why it is open again")
    _leaf(au)

    ls = cmds.add_parser("actions", help="every corrective action: open, done or overdue")
    _leaf(ls)

    d = cmds.add_parser("decide", help="record the Act of a quarter's PDCA cycle")
    d.add_argument("--quarter", type=text, required=True, metavar="YYYY-Qn")
    d.add_argument("--department", type=text, help="the department (default: the whole archive)")
    d.add_argument("--decision", choices=DECISIONS, required=True)
    d.add_argument("--note", type=text, required=True, help="what was decided and why")
    _leaf(d)
