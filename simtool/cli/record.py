"""``simtool events``, ``simtool amend`` and ``simtool discard``: read a drill's log as it now
stands, correct it, or discard a drill started by mistake.

Both ask ``simtool.app.corrections`` and show its answer; ``simtool.cli`` calls
``add_record_parser(sub)`` with its subparsers. A correction that cannot be made is refused
with one sentence and exit 1, and nothing is written.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

from simtool.cli.common import ARCHIVE_HELP, EXIT_OK, open_archive
from simtool.cli.argtypes import bounded_int, finite_float, text
from simtool.core.limits import MAX_DOSE
from simtool.core.textsafe import printable
from simtool.core.timefmt import wall_time

_CLOCK = re.compile(r"(?:(\d{1,3}):)?(\d{1,4}):(\d{2})(?:\.(\d{1,3}))?")


def drill_time(value: str) -> float:
    """A drill time: MM:SS, H:MM:SS (optionally .mmm) or seconds."""
    v = value.strip()
    m = _CLOCK.fullmatch(v)
    if m is not None:
        hours, minutes, seconds, ms = m.groups()
        if int(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
            raise argparse.ArgumentTypeError(f"'{value}' is not a time (MM:SS, H:MM:SS or seconds)")
        return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + \
            (int(ms.ljust(3, "0")) / 1000 if ms else 0.0)
    return finite_float(0)(v) if re.fullmatch(r"\d+(\.\d+)?", v) else _bad_time(value)


def _bad_time(value: str) -> float:
    raise argparse.ArgumentTypeError(f"'{value}' is not a time (MM:SS, H:MM:SS or seconds)")


def drill_clock(t: float) -> str:
    from simtool.app.corrections import drill_clock as clock  # the store loads only when used
    return clock(t)


def _line(entry: Any, loaded: Any, lang: str) -> str:
    """One entry of the log for a person to read."""
    from simtool.core.flagtext import flag_text
    parts = [f"{entry.seq:>4}", drill_clock(entry.t), entry.kind]
    if entry.action:
        parts.append(entry.action)
    if entry.dose is not None:
        parts.append(f"{entry.dose:g}{(' ' + entry.unit) if entry.unit else ''}")
    if entry.route:
        parts.append(entry.route)
    if entry.kind == "action":
        who = entry.role or "unassigned"
        parts.append(f"by {who}" + (f" ({entry.participant})" if entry.participant else ""))
    if entry.state:
        parts.append(entry.state)
    if entry.text:
        parts.append(f"“{entry.text}”")
    if entry.struck:
        parts.append("[struck]")
    elif entry.amended:
        parts.append("[amended]")
    line = "  ".join(parts)
    for f in entry.flags:
        line += f"\n        flag {f.rule}: {flag_text(loaded, f, lang)}"
    for c in entry.history:
        what = ", ".join(_change(k, v) for k, v in c.values.items() if k not in ("actor", "role"))
        line += (f"\n        {'struck' if c.kind == 'strike' else 'amended'} at {drill_clock(c.t)}"
                 f"{(', on ' + wall_time(c.wall) + ',') if c.wall else ''}"
                 f" by {c.by}{(': ' + what) if what else ''} — {c.reason}")
    return line


def _change(name: str, value: Any) -> str:
    if name == "t":
        return f"time {drill_clock(value)}"
    if name == "who":
        return f"by {value}"
    return f"{name} {value:g}" if isinstance(value, float) else f"{name} {value}"


def cmd_events(args: argparse.Namespace) -> int:
    from simtool.app.corrections import effective_log
    from simtool.reports.i18n import check_lang
    lang = check_lang(args.lang)
    with open_archive(args) as archive:
        drill = archive.replay(args.drill)
        loaded = drill.loaded
        log = effective_log(drill)
        if args.json:
            json.dump([e.to_dict(loaded, lang) for e in log], sys.stdout, ensure_ascii=False,
                      allow_nan=False)
            sys.stdout.write("\n")
            return EXIT_OK
        for entry in log:
            for line in _line(entry, loaded, lang).split("\n"):
                print(printable(line))
    return EXIT_OK


def cmd_amend(args: argparse.Namespace) -> int:
    from simtool.app.corrections import CorrectionError, correct
    if args.unit is not None and args.dose is None:
        raise CorrectionError("--unit goes with --dose: give the corrected dose and its unit")
    if not args.strike and all(v is None for v in (args.by, args.dose, args.route, args.at)):
        raise CorrectionError("nothing to change: give --by, --dose/--unit, --route, --at or "
                              "--strike")
    with open_archive(args) as archive:
        entry = correct(archive, args.drill, args.event, reason=args.reason or "", who=args.by,
                        dose=args.dose, unit=args.unit, route=args.route, at=args.at,
                        strike=args.strike)
        for line in _line(entry, archive.loaded(args.drill), "en").split("\n"):
            print(printable(line))
    return EXIT_OK


def cmd_discard(args: argparse.Namespace) -> int:
    from simtool.app.corrections import discard_drill
    with open_archive(args) as archive:
        discard_drill(archive, args.drill, args.reason or "")
        print(printable(f"drill {args.drill} discarded: {archive.drill(args.drill).discard_reason}"))
    return EXIT_OK


def add_record_parser(sub: Any) -> None:
    """Add ``events`` and ``amend`` to the CLI's subparsers."""
    p = sub.add_parser("events", help="a drill's log as it now stands, with its corrections",
                       description="Every entry of a drill's log with its time, action, dose, unit, "
                                   "route, who did it, its flags, and whether it was amended or "
                                   "struck, with the history of each correction (who, when, why).")
    p.add_argument("drill", type=text, metavar="DRILL", help="drill id (see `simtool drills`)")
    p.add_argument("--json", action="store_true", help="print one JSON list")
    p.add_argument("--lang", default="en", help="language of flag messages: en, zh_CN or zh_TW")
    p.add_argument("--archive", metavar="DB", help=ARCHIVE_HELP)
    p.set_defaults(func=cmd_events)

    p = sub.add_parser("amend", help="correct or strike a logged action, with a reason",
                       description="Correct who did an action, its dose and unit, its route or its "
                                   "drill time, or strike it from the record. The correction is "
                                   "appended with its reason; the original entry stays. Refused "
                                   "for a signed drill.")
    p.add_argument("drill", type=text, metavar="DRILL", help="drill id (see `simtool drills`)")
    p.add_argument("--event", type=bounded_int(0), required=True, metavar="SEQ",
                   help="the action's event number (see `simtool events`)")
    p.add_argument("--by", type=text, metavar="WHO", help="the participant id or role who did it")
    p.add_argument("--dose", type=finite_float(), metavar="N",
                   help=f"the dose given (above 0, at most {MAX_DOSE:,.0f})")
    p.add_argument("--unit", type=text, metavar="U", help="the dose's unit (default: the action's)")
    p.add_argument("--route", type=text, metavar="R", help="the route (IV, IM, ...)")
    p.add_argument("--at", type=drill_time, metavar="MM:SS", help="the drill time it happened at")
    p.add_argument("--strike", action="store_true", help="strike the action from the record")
    p.add_argument("--reason", type=text, metavar="TEXT", help="why the record changes (required)")
    p.add_argument("--archive", metavar="DB", help=ARCHIVE_HELP)
    p.set_defaults(func=cmd_amend)

    p = sub.add_parser("discard", help="discard a drill started by mistake, with a reason",
                       description="Mark a drill started by mistake as discarded. It stays in the "
                                   "archive with its whole record and audit chain, is listed as "
                                   "discarded, and counts in no indicator, portfolio, exam "
                                   "statistic or bundle. Refused for a signed drill.")
    p.add_argument("drill", type=text, metavar="DRILL", help="drill id (see `simtool drills`)")
    p.add_argument("--reason", type=text, metavar="TEXT", help="why it is discarded (required)")
    p.add_argument("--archive", metavar="DB", help=ARCHIVE_HELP)
    p.set_defaults(func=cmd_discard)
