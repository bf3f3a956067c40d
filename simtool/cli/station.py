"""``simtool station``: stand-alone skills stations (issue 20, item 4).

``simtool station list [--json]`` — the bundled stations (``rubrics/stations/``) with their
time limits and items; ``simtool station score STATION --candidate STAFF_ID --examiner
STAFF_ID --mark ITEM=VALUE … --global GRADE [--time-used S] [--sign] [--json]`` — one sitting
scored from paper: recorded as a drill of the station, marked as the examiner's draft and, with
``--sign``, signed (the options are ``simtool score``'s). The work is ``simtool.app.station``.
"""

from __future__ import annotations

import argparse
import math
import re
from typing import Any

from simtool.cli.argtypes import text
from simtool.cli.common import EXIT_OK, add_archive_option, dump_json, open_archive
from simtool.core.errors import SimtoolError
from simtool.core.textsafe import printable


class StationInputError(SimtoolError):
    """An option of ``simtool station`` that cannot be read; nothing was written."""


_LEVEL = re.compile(r"-?[0-9]{1,6}")   # a graded item's level: ASCII digits (not '²', not 10**5000)


def _q(value: str) -> str:
    from simtool.app.setup import quoted
    return quoted(value)


def _word(value: str) -> str:
    return "-".join(value.strip().lower().replace("_", " ").split())


def _marks(rubric: Any, args: argparse.Namespace) -> dict[str, Any]:
    """The ``--mark``/``--global``/``--comment`` options as marks (checked by the core)."""
    items: dict[str, Any] = {}
    for given in args.mark or ():
        item, sep, value = given.partition("=")
        item, value = item.strip(), value.strip()
        if not sep or not item or not value:
            raise StationInputError(f"--mark {_q(given)} is not ITEM=VALUE (done, not-done, "
                                    f"not-observed or a level)")
        it = rubric.rubric.item_index.get(item)
        if it is None:
            raise StationInputError(f"station {rubric.rubric.id} has no item {_q(item)} (items: "
                                    f"{', '.join(rubric.rubric.item_index)})")
        if item in items:
            raise StationInputError(f"--mark {item} is given twice; give each item once")
        word = _word(value)
        if word == "not-observed":
            items[item] = "not observed"
        elif it.kind == "observed" and word in ("done", "yes", "not-done", "no"):
            items[item] = word in ("done", "yes")
        elif it.kind == "graded" and _LEVEL.fullmatch(value):
            items[item] = int(value)
        else:
            shape = "done, not-done or not-observed" if it.kind == "observed" else \
                f"a level ({', '.join(str(lv.value) for lv in it.levels)}) or not-observed"
            raise StationInputError(f"--mark {item}={_q(value)}: item {item} takes {shape}")
    grade = args.global_grade.strip() if args.global_grade is not None else None
    if grade == "":
        raise StationInputError("--global needs a grade id")
    gr = rubric.rubric.global_rating
    if grade is not None and gr is not None and gr.grade(grade) is None:
        raise StationInputError(f"--global {_q(grade)} is not a grade of station {rubric.rubric.id} "
                                f"(grades: {', '.join(g.id for g in gr.grades)})")
    return {"items": items, "global_grade": grade, "comment": _comment(args.comment)}


_COMMENT_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                             "\u2066-\u2069]")


def _comment(given: str | None) -> str | None:
    """``--comment``: the examiner's free text, lines and tabs allowed, as long as a debrief
    note at most; no terminal codes or direction overrides (it is printed and put in PDFs)."""
    from simtool.core.limits import MAX_NOTE_CHARS
    if given is None:
        return None
    if len(given) > MAX_NOTE_CHARS:
        raise StationInputError(f"--comment is {len(given):,} characters long; a comment holds "
                                f"at most {MAX_NOTE_CHARS:,}")
    bad = _COMMENT_UNSAFE.search(given)
    if bad is not None:
        raise StationInputError(f"--comment holds a control character ({bad.group()!r}: a terminal "
                                f"code or a direction override); write the comment as plain text")
    return given


def _sheet_json(sheet: Any, sitting: Any) -> dict[str, Any]:
    data = sheet.data if isinstance(sheet.data, dict) else {}
    return {"sheet": sheet.id, "drill": sitting.drill_id, "station": sitting.rubric.rubric.id,
            "candidate": {"id": sitting.candidate.id, "name": sitting.candidate.name,
                          "staff_id": sitting.candidate.staff_id},
            "examiner": sitting.examiner_id, "signed": bool(sheet.signed),
            "signed_at": sheet.signed_at, "time_used_s": sitting.live.t,
            "time_limit_s": sitting.time_limit_s,
            "points": data.get("points"), "max_points": data.get("max_points"),
            "percentage": data.get("percentage"), "verdict": data.get("verdict"),
            "global_grade": (data.get("global_grade") or {}).get("id")}


def _time_used(given: str | None, rubric: Any) -> float:
    """``--time-used``: seconds from 0 to the station's time limit (a candidate cannot use more
    time than the station gives: the station ends)."""
    st = rubric.rubric.station
    limit = float(st.time_limit_s.value)
    if given is None:
        return 0.0
    try:
        seconds = float(given.strip()) if len(given) <= 40 else math.nan
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise StationInputError(f"--time-used {_q(given)} is not a number of seconds from 0 to "
                                f"the station's time limit ({limit:g} s)")
    if seconds > limit:
        raise StationInputError(f"--time-used {given.strip()} is more than station "
                                f"{rubric.rubric.id}'s time limit of {limit:g} s")
    return seconds


def cmd_station_score(args: argparse.Namespace) -> int:
    from simtool.app.station import load_station, score_station
    rubric = load_station(args.station)
    marks = _marks(rubric, args)
    time_used = _time_used(args.time_used, rubric)
    with open_archive(args) as archive:
        sitting, sheet = score_station(archive, rubric, args.candidate, args.examiner, marks,
                                       time_used_s=time_used, signed=args.sign,
                                       evaluation_type=args.type)
        out = _sheet_json(sheet, sitting)
    if args.json:
        dump_json(out)
        return EXIT_OK
    verdict = out["verdict"] or {}
    print(printable(f"station {out['station']}: {sitting.candidate.name} — {verdict.get('result')} "
                    f"({verdict.get('reason')}); sheet {out['sheet']} "
                    + ("signed" if out["signed"] else "kept as a draft (sign with --sign)")))
    return EXIT_OK


def cmd_station_list(args: argparse.Namespace) -> int:
    from simtool.app.station import station_rubrics
    out = []
    for path, rb, problem in station_rubrics():
        if rb is None:
            out.append({"id": path.stem, "file": str(path), "problem": problem})
            continue
        st = rb.rubric.station
        assert st is not None
        out.append({"id": rb.rubric.id, "version": rb.rubric.version, "file": str(path),
                    "title": rb.rubric.title.model_dump(),
                    "time_limit_s": st.time_limit_s.value,
                    "reading_s": st.reading_s.value if st.reading_s is not None else None,
                    "items": [i.id for i in rb.rubric.items],
                    "critical": [i.id for i in rb.rubric.items if i.critical]})
    if args.json:
        dump_json(out)
        return EXIT_OK
    for s in out:
        if "problem" in s:
            print(printable(f"{s['id']}: {s['problem']}"))
        else:
            print(printable(f"{s['id']}  {s['title']['en']}  ({int(s['time_limit_s'])} s, "
                            f"{len(s['items'])} items, {len(s['critical'])} critical)"))
    return EXIT_OK


def add_station_parser(sub: Any) -> None:
    p = sub.add_parser("station", help="skills stations: list them, score a candidate's sitting",
                       description="Stand-alone skills stations (rubrics/stations/): a timed task "
                                   "marked by an examiner, signed like a drill's score sheet.")
    ssub = p.add_subparsers(dest="station_command", metavar="COMMAND", required=True)
    ls = ssub.add_parser("list", help="the bundled stations")
    ls.add_argument("--json", action="store_true", help="print one JSON list")
    ls.set_defaults(func=cmd_station_list)
    sc = ssub.add_parser("score", help="score one candidate's sitting at a station, and sign",
                         description="Record a candidate's sitting at a station, keep the "
                                     "examiner's marks as a draft and, with --sign, sign the sheet.")
    sc.add_argument("station", type=text, metavar="STATION", help="a station id or file")
    sc.add_argument("--candidate", type=text, required=True, metavar="STAFF_ID",
                    help="the candidate: a staff id or trainee id of the people registry")
    sc.add_argument("--examiner", type=text, required=True, metavar="STAFF_ID",
                    help="the examiner's staff id (an examiner or person of the registry)")
    sc.add_argument("--mark", type=text, action="append", metavar="ITEM=VALUE",
                    help="an item's mark: done, not-done, not-observed or a level (repeat)")
    sc.add_argument("--global", dest="global_grade", type=text, metavar="GRADE_ID",
                    help="the examiner's global rating")
    sc.add_argument("--comment", type=text, metavar="TEXT", help="the examiner's comment")
    sc.add_argument("--time-used", type=text, metavar="S",
                    help="seconds the candidate used (at most the station's time limit)")
    sc.add_argument("--type", choices=("formative", "summative", "high-stakes"),
                    help="the evaluation type (default: the station's first)")
    sc.add_argument("--sign", action="store_true", help="sign the sheet (refused while a rating is missing)")
    sc.add_argument("--json", action="store_true", help="print the sheet as JSON")
    add_archive_option(sc)
    sc.set_defaults(func=cmd_station_score)
