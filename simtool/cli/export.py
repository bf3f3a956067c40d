"""``simtool export``: score sheets and debrief reports of an archived drill, the department
quality report over a date range, one trainee's portfolio (``--kind portfolio --trainee
STAFF_ID``, built by ``simtool.app.portfolio``) and one trainee's progress against a training
programme (``--kind progress --trainee STAFF_ID --programme ID``, ``simtool.app.progress``), as PDF.

``simtool/cli/__init__.py`` registers it: ``add_export_parser(sub)`` in the parser builder; the
handler is set with ``set_defaults(func=cmd_export)``. Errors are ``SimtoolError``s, which the
CLI prints as one message.

Every PDF goes through ``simtool.store.outputs.write_atomic``: never over the archive in use
(or its ``-wal``/``-shm``/journal), never over an existing file without ``--force``, written
to a temporary file beside the target and renamed into place only when complete. With
``--all-sheets`` each file is named from sanitised parts (``safe_name_part``) and must stay
inside the folder; every target is checked before the first one is written."""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

from simtool.cli.common import open_archive, EXIT_OK, archive_path
from simtool.cli.argtypes import text
from simtool.core.errors import SimtoolError
from simtool.core.languages import LANGS
from simtool.core.textsafe import printable

KINDS = ("score-sheet", "debrief", "quality", "portfolio", "progress", "quality-pack")


def _write(path: Path, data: bytes, archive: Path, force: bool) -> None:
    from simtool.store.outputs import write_atomic
    write_atomic(path, data, protect=[archive], force=force)
    print(printable(f"simtool export: wrote {path}"), file=sys.stderr)


def sheet_file_name(drill_id: str, participant: str | None, lang: str) -> str:
    """``DRILL-WHO-LANG.pdf`` from sanitised parts: an id holding ``../`` or ``/`` stays a
    plain name inside the folder."""
    from simtool.store.outputs import safe_name_part
    return f"{safe_name_part(drill_id, fallback='drill')}-{safe_name_part(participant or 'team')}-{lang}.pdf"


def _last_four_quarters(today: date | None = None) -> tuple[date, date]:
    """The default span of a quality report: the last four complete quarters."""
    today = today or date.today()
    q_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)   # this quarter's first day
    end = q_start - timedelta(days=1)
    start = date(q_start.year - 1, q_start.month, 1)
    return start, end


def cmd_export(args: argparse.Namespace) -> int:
    from simtool.reports.common import Header
    from simtool.reports.i18n import check_lang

    lang = check_lang(args.lang)
    if args.key_frames and args.kind != "debrief":
        raise SimtoolError("--key-frames goes with --kind debrief")
    header = Header(args.institution or "", args.department or "", args.author or "simtool")
    out = Path(args.output)
    db = archive_path(args)
    if args.kind == "progress":
        if args.drill is not None or args.all_sheets or args.from_date is not None \
                or args.to_date is not None:
            raise SimtoolError("--kind progress covers one person against a programme (--trainee "
                               "STAFF_ID --programme ID), not a DRILL, --from/--to or --all-sheets")
        if args.trainee is None or args.programme is None:
            raise SimtoolError("--kind progress needs --trainee STAFF_ID and --programme ID (the id "
                               "of a file in programmes/, e.g. pph_staff)")
        from simtool.app.progress import write_progress_pdf
        path = write_progress_pdf(db, args.trainee, args.programme, out, lang, header, force=args.force)
        print(printable(f"simtool export: wrote {path}"), file=sys.stderr)
        return EXIT_OK
    if args.programme is not None:
        raise SimtoolError("--programme goes with --kind progress")
    if args.kind == "portfolio":
        if args.drill is not None or args.all_sheets or args.from_date is not None \
                or args.to_date is not None:
            raise SimtoolError("--kind portfolio covers one person's drills (--trainee STAFF_ID), "
                               "not a DRILL, --from/--to or --all-sheets")
        if args.trainee is None:
            raise SimtoolError("--kind portfolio needs --trainee STAFF_ID (a staff id or trainee id; "
                               "see `simtool people`)")
        from simtool.app.portfolio import write_portfolio_pdf
        path = write_portfolio_pdf(db, args.trainee, out, lang, header, force=args.force)
        print(printable(f"simtool export: wrote {path}"), file=sys.stderr)
        return EXIT_OK
    if args.kind == "quality-pack":
        if args.drill is not None or args.trainee is not None or args.all_sheets \
                or args.from_date is not None or args.to_date is not None:
            raise SimtoolError("--kind quality-pack covers one quarter (--quarter YYYY-Qn), not a "
                               "DRILL, --trainee, --from/--to or --all-sheets")
        if args.quarter is None:
            raise SimtoolError("--kind quality-pack needs --quarter YYYY-Qn (e.g. 2026-Q3)")
        from simtool.store.quality import quarter_bounds
        try:
            quarter_bounds(args.quarter)
        except ValueError:
            raise SimtoolError(f"--quarter {args.quarter[:40]!r} is not a quarter (YYYY-Qn, e.g. "
                               f"2026-Q3)") from None
    elif args.quarter is not None:
        raise SimtoolError("--quarter goes with --kind quality-pack")
    if args.kind == "quality-pack":
        pass
    elif args.kind == "quality":
        if args.drill is not None or args.trainee is not None or args.all_sheets:
            raise SimtoolError("--kind quality covers a date range (--from, --to; by default the last four complete quarters), "
                               "not a DRILL, --trainee or --all-sheets")
        start, end = _last_four_quarters()
        start = _day(args.from_date, "--from") if args.from_date is not None else start
        end = _day(args.to_date, "--to") if args.to_date is not None else end
        if end < start:
            raise SimtoolError(f"--to {end} is before --from {start}")
    else:
        if args.drill is None:
            raise SimtoolError(f"--kind {args.kind} needs a DRILL id (see `simtool drills`)")
        if args.from_date is not None or args.to_date is not None:
            raise SimtoolError("--from/--to go with --kind quality")
    if not args.all_sheets:
        from simtool.store.outputs import check_target
        check_target(out, protect=[db], force=args.force)  # before any work
    with open_archive(args, path=db) as archive:
        if args.kind == "quality-pack":
            from simtool.reports.qualitypack import render_quality_pack
            from simtool.reports.qualitypackdata import build_quality_pack
            _write(out, render_quality_pack(build_quality_pack(
                archive, args.quarter, lang, header, department=args.department,
                site=getattr(args, "site", None), min_drills=args.min_drills)), db, args.force)
            return EXIT_OK
        if args.kind == "quality":
            from simtool.reports.quality import render_quality
            from simtool.reports.qualitydata import build_quality
            _write(out, render_quality(build_quality(archive, start, end, lang, header,
                                                     department=args.department,
                                                     site=getattr(args, "site", None),
                                                     min_drills=args.min_drills)),
                   db, args.force)
            return EXIT_OK
        if args.kind == "debrief":
            if args.all_sheets:
                raise SimtoolError("--all-sheets goes with --kind score-sheet")
            from simtool.reports.debrief import render_debrief
            from simtool.reports.debriefdata import build_debrief
            _write(out, render_debrief(build_debrief(archive, args.drill, lang, args.trainee, header,
                                                     key_frames=args.key_frames)),
                   db, args.force)
            return EXIT_OK
        from simtool.reports.scoredata import build_score_sheet, drill_sheets
        from simtool.reports.scoresheet import render_score_sheet
        sheets = drill_sheets(archive, args.drill, args.trainee)
        if args.all_sheets:
            # one file per sheet: OUT is a folder, files named by participant (or "team")
            for s, path in _sheet_files(out, db, args.drill, sheets, lang, args.force):
                _write(path, render_score_sheet(build_score_sheet(archive, s, lang, header)),
                       db, args.force)
            return EXIT_OK
        if len(sheets) > 1:
            if args.trainee is None:
                sheets = [s for s in sheets if s.trainee_id is None] or sheets
            if len(sheets) > 1:
                raise SimtoolError("several sheets match; name one with --trainee ID or use --all-sheets")
        _write(out, render_score_sheet(build_score_sheet(archive, sheets[0], lang, header)),
               db, args.force)
    return EXIT_OK


def _sheet_files(folder: Path, archive: Path, drill_id: str, sheets: list, lang: str,
                 force: bool) -> list[tuple[object, Path]]:
    """Each sheet with the file it goes to inside ``folder``, every target checked (and the
    folder made) before anything is written. Two ids that sanitise alike get ``-2``, ``-3``."""
    from simtool.store.outputs import OutputError, check_target, file_in
    if folder.exists() and not folder.is_dir():
        check_target(folder, protect=[archive], force=True)  # names the archive if it is one
        raise OutputError(f"{folder} is a file; --all-sheets writes into a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot make the folder {folder}: {exc.strerror or exc}") from exc
    planned: list[tuple[object, Path]] = []
    used: set[str] = set()
    for s in sheets:
        name = sheet_file_name(drill_id, (s.data or {}).get("participant"), lang)
        stem, n = name[:-len(".pdf")], 2
        while name.casefold() in used:
            name, n = f"{stem}-{n}.pdf", n + 1
        used.add(name.casefold())
        path = file_in(folder, name)
        check_target(path, protect=[archive], force=force)
        planned.append((s, path))
    return planned


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SimtoolError(f"{option} {text!r} is not a date (YYYY-MM-DD)") from None


def add_export_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "export", help="write a score sheet, debrief, quality report, trainee portfolio or "
                       "training progress as PDF",
        description="Write a PDF from the archive: a score sheet (the team's unless --trainee "
                    "names a participant or trainee id; --all-sheets writes every current sheet "
                    "of the drill into the folder -o), a debrief report, or the department "
                    "quality report over the ended drills started from --from to --to, or a "
                    "trainee's portfolio (--kind portfolio --trainee STAFF_ID: their drills at "
                    "every site, indicator trends and critical items), or a trainee's progress "
                    "against a training programme (--kind progress --trainee STAFF_ID --programme "
                    "ID: requirements done and missing, cleared to work, retraining due).")
    p.add_argument("drill", type=text, metavar="DRILL", nargs="?",
                   help="drill id (see `simtool drills`); not with --kind quality")
    p.add_argument("--kind", choices=KINDS, required=True, help="which report")
    p.add_argument("--trainee", type=text, metavar="ID",
                   help="participant id (t1) or archive trainee id; --kind portfolio or "
                        "progress: the person's staff id or trainee id")
    p.add_argument("--programme", type=text, metavar="ID",
                   help="--kind progress: the training programme (programmes/ID.yaml)")
    p.add_argument("--lang", default="en", choices=LANGS, help="report language")
    p.add_argument("--archive", metavar="DB", help="archive file (default: $SIMTOOL_ARCHIVE or the user data dir)")
    p.add_argument("--from", dest="from_date", metavar="DATE",
                   help="quality: first day (YYYY-MM-DD, UTC), included")
    p.add_argument("--to", dest="to_date", metavar="DATE",
                   help="quality: last day (YYYY-MM-DD, UTC), included")
    p.add_argument("--quarter", type=text, metavar="YYYY-Qn",
                   help="--kind quality-pack: the quarter of the quality meeting (e.g. 2026-Q3)")
    p.add_argument("--all-sheets", action="store_true", help="every current score sheet of the drill")
    p.add_argument("--institution", type=text, help="header: institution name")
    p.add_argument("--department", type=text,
                   help="the department: named in the header, and for --kind quality only its "
                        "drills are counted")
    p.add_argument("--site", type=text, help="--kind quality: only the drills run at this site")
    p.add_argument("--min-drills", type=int, default=5, metavar="N",
                   help="--kind quality: a quarter with fewer drills shows 'too few drills', no "
                        "figure and no trend (default 5)")
    p.add_argument("--key-frames", action="store_true",
                   help="--kind debrief: beside each flag, the picture of the drill's video at "
                        "that moment (off by default; needs a video attached with simtool media)")
    p.add_argument("--author", type=text, help="PDF author metadata (default simtool)")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf",
                   help="PDF file (a folder with --all-sheets); never the archive itself")
    p.add_argument("--force", action="store_true",
                   help="replace an existing PDF (with --all-sheets: existing files in the folder)")
    p.set_defaults(func=cmd_export)
    return p
