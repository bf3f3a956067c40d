"""``simtool export``: score sheets and debrief reports of an archived drill, and the
department quality report over a date range, as PDF.

The lead registers it in ``cli.py``: ``add_export_parser(sub)`` in the parser builder; the
handler is set with ``set_defaults(func=cmd_export)``. Errors are ``SimtoolError``s, which the
CLI prints as one message."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from simtool.argtypes import text
from simtool.core.errors import SimtoolError

KINDS = ("score-sheet", "debrief", "quality")
EXIT_OK = 0


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise SimtoolError(f"cannot write {path}: {exc.strerror or exc}") from exc


def cmd_export(args: argparse.Namespace) -> int:
    from simtool.cli import _archive_path
    from simtool.reports.common import Header
    from simtool.reports.i18n import check_lang
    from simtool.store import Archive

    lang = check_lang(args.lang)
    header = Header(args.institution or "", args.department or "", args.author or "simtool")
    out = Path(args.output)
    if args.kind == "quality":
        if args.drill is not None or args.trainee is not None or args.all_sheets:
            raise SimtoolError("--kind quality covers a date range: give --from and --to, "
                               "not a DRILL, --trainee or --all-sheets")
        if args.from_date is None or args.to_date is None:
            raise SimtoolError("--kind quality needs --from DATE and --to DATE (YYYY-MM-DD)")
        start, end = _day(args.from_date, "--from"), _day(args.to_date, "--to")
        if end < start:
            raise SimtoolError(f"--to {end} is before --from {start}")
    else:
        if args.drill is None:
            raise SimtoolError(f"--kind {args.kind} needs a DRILL id (see `simtool drills`)")
        if args.from_date is not None or args.to_date is not None:
            raise SimtoolError("--from/--to go with --kind quality")
    with Archive.open(_archive_path(args), create=False) as archive:
        if args.kind == "quality":
            from simtool.reports.quality import render_quality
            from simtool.reports.qualitydata import build_quality
            _write(out, render_quality(build_quality(archive, start, end, lang, header)))
            print(f"simtool export: wrote {out}", file=sys.stderr)
            return EXIT_OK
        if args.kind == "debrief":
            if args.all_sheets:
                raise SimtoolError("--all-sheets goes with --kind score-sheet")
            from simtool.reports.debrief import render_debrief
            from simtool.reports.debriefdata import build_debrief
            _write(out, render_debrief(build_debrief(archive, args.drill, lang, args.trainee, header)))
            print(f"simtool export: wrote {out}", file=sys.stderr)
            return EXIT_OK
        from simtool.reports.scoredata import build_score_sheet, drill_sheets
        from simtool.reports.scoresheet import render_score_sheet
        sheets = drill_sheets(archive, args.drill, args.trainee)
        if args.all_sheets:
            # one file per sheet: OUT is a folder, files named by participant (or "team")
            out.mkdir(parents=True, exist_ok=True)
            for s in sheets:
                who = (s.data or {}).get("participant") or "team"
                path = out / f"{args.drill}-{who}-{lang}.pdf"
                _write(path, render_score_sheet(build_score_sheet(archive, s, lang, header)))
                print(f"simtool export: wrote {path}", file=sys.stderr)
            return EXIT_OK
        if len(sheets) > 1:
            if args.trainee is None:
                sheets = [s for s in sheets if s.trainee_id is None] or sheets
            if len(sheets) > 1:
                raise SimtoolError("several sheets match; name one with --trainee ID or use --all-sheets")
        _write(out, render_score_sheet(build_score_sheet(archive, sheets[0], lang, header)))
        print(f"simtool export: wrote {out}", file=sys.stderr)
    return EXIT_OK


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SimtoolError(f"{option} {text!r} is not a date (YYYY-MM-DD)") from None


def add_export_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "export", help="write a score sheet, debrief or quality report as PDF",
        description="Write a PDF from the archive: a score sheet (the team's unless --trainee "
                    "names a participant or trainee id; --all-sheets writes every current sheet "
                    "of the drill into the folder -o), a debrief report, or the department "
                    "quality report over the ended drills started from --from to --to.")
    p.add_argument("drill", type=text, metavar="DRILL", nargs="?",
                   help="drill id (see `simtool drills`); not with --kind quality")
    p.add_argument("--kind", choices=KINDS, required=True, help="which report")
    p.add_argument("--trainee", type=text, metavar="ID", help="participant id (t1) or archive trainee id")
    p.add_argument("--lang", default="en", choices=("en", "zh_CN", "zh_TW"), help="report language")
    p.add_argument("--archive", metavar="DB", help="archive file (default: $SIMTOOL_ARCHIVE or the user data dir)")
    p.add_argument("--from", dest="from_date", metavar="DATE",
                   help="quality: first day (YYYY-MM-DD, UTC), included")
    p.add_argument("--to", dest="to_date", metavar="DATE",
                   help="quality: last day (YYYY-MM-DD, UTC), included")
    p.add_argument("--all-sheets", action="store_true", help="every current score sheet of the drill")
    p.add_argument("--institution", type=text, help="header: institution name")
    p.add_argument("--department", type=text, help="header: department name")
    p.add_argument("--author", type=text, help="PDF author metadata (default simtool)")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf",
                   help="PDF file (a folder with --all-sheets)")
    p.set_defaults(func=cmd_export)
    return p
