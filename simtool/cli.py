"""simtool's command line: the same capabilities as the window, for scripts, tests and CI.

Every user error (bad file, bad option value) ends as one clear message and exit code 1 or 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from simtool import __version__
from simtool.app.setup import EVALUATION_TYPES, EvaluationType
from simtool.argtypes import finite_float, text
from simtool.core.errors import FileProblemsError, SimtoolError
from simtool.core.limits import MAX_SPEED, MAX_WEIGHT_KG, MIN_SAMPLE_S, MIN_SPEED, MIN_WEIGHT_KG
from simtool.core.textsafe import printable
from simtool.core.timefmt import drill_time, duration, wall_time
from simtool.core.validate import validate_file

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _yaml_files(paths: Sequence[str]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files += sorted(x for x in path.rglob("*") if x.suffix in (".yaml", ".yml"))
        else:
            files.append(path)
    return files


def cmd_validate(args: argparse.Namespace) -> int:
    from simtool.core.paths import bundled_data_folders
    # no path: the bundled scenarios, catalogue, rubrics and programmes (wheel or checkout)
    files = _yaml_files(args.paths or [str(p) for p in bundled_data_folders()])
    if not files:
        print("simtool validate: no YAML files found", file=sys.stderr)
        return EXIT_PROBLEMS
    bad = 0
    for f in files:
        problems = validate_file(f)
        for p in problems:
            print(printable(p))
        bad += bool(problems)
    if args.unverified:
        from simtool.core.unverified import unverified
        found = [u for f in files for u in unverified(f)]
        for u in found:
            print(printable(f"unverified {u}"))
        print(f"{len(found)} numbers marked verify: true await a clinical reviewer", file=sys.stderr)
    if not args.quiet:
        print(f"{len(files) - bad} of {len(files)} files valid", file=sys.stderr)
    return EXIT_PROBLEMS if bad else EXIT_OK


def _event_line(e: object) -> str:
    """One event as ``run`` prints it, as the record holds it: a flag as its rule and numbers
    (``dose=2 limit=1 unit=g``); ``--json`` carries each flag's sentence too."""
    from simtool.core.events import Event
    assert isinstance(e, Event)
    parts = [drill_time(e.t), e.kind]
    text = e.text
    if e.values is not None:
        text = " ".join(f"{k}={','.join(map(str, v)) if isinstance(v, tuple) else (f'{v:g}' if isinstance(v, float) else v)}"
                        for k, v in e.values if k != "message") or None
    for value in (e.state, e.action, e.dose, e.unit, e.route, e.role, e.rule, text):
        if value is not None:
            parts.append(f"{value:g}" if isinstance(value, float) else str(value))
    return " ".join(parts)


def default_archive() -> Path:
    """The archive used when no --archive is given: $SIMTOOL_ARCHIVE, else the user's data dir."""
    from simtool.store.location import default_archive as where
    return where()


def _archive_path(args: argparse.Namespace) -> Path:
    return Path(args.archive) if getattr(args, "archive", None) else default_archive()


def _same_drill_as(args: argparse.Namespace, script: object) -> "Callable[[object], None]":
    """The check ``--resume`` makes before claiming a drill: the script must be the one the
    recorded part was played from (same participants, same actions and forces so far)."""
    def check(drill: object) -> None:
        from simtool.core.runner import script_difference
        from simtool.core.yamlsrc import format_path, load_yaml
        diff = script_difference(script, drill)  # type: ignore[arg-type]
        if diff is None:
            return
        path, why = diff
        src, _problems = load_yaml(args.script)
        line = src.line_of(path) if src is not None else 1
        raise SimtoolError(f"{args.script}:{line}: {format_path(path)}: {why}; drill "
                           f"{args.resume} was not resumed (resume it with the script it was "
                           f"played from)")
    return check


def _settle(archive: object, quiet: bool = False) -> str | None:
    """At the end of a recorded run: try hard to store what memory still holds, say in one
    sentence where journalled entries wait; the sentence for entries lost, if any."""
    from simtool.store import Archive
    assert isinstance(archive, Archive)
    if archive.settle() == 0:
        kept = archive.journalled_entries()
        if kept and not quiet:
            total = sum(n for _path, n in kept)
            where = f"the journal {kept[0][0]}" if len(kept) == 1 else \
                "the journals " + " and ".join(f"{path} ({n})" for path, n in kept)
            print(printable(f"simtool run: {total} entries wait in {where} to be written into the "
                            f"archive, which simtool does the next time it opens the archive and "
                            f"can write to it"), file=sys.stderr, flush=True)
        return None
    held = archive.held_in_memory()
    parts = [f"{held[op]} {name if held[op] != 1 else one}" for op, name, one in (
        ("event", "events", "event"), ("vitals", "vitals samples", "vitals sample"),
        ("status", "status changes", "status change")) if held.get(op)]
    what = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f"{what} could not be stored anywhere ({archive.memory_reason}); they are lost"


def cmd_run(args: argparse.Namespace) -> int:
    from simtool.core.drill import Participant, PatientParams
    from simtool.core.runner import check_sampling, result, run_script
    from simtool.core.scenario import load_scenario
    from simtool.core.script import load_script

    from simtool.core.paths import find_rubric, find_scenario

    # a path, or an id: the user's --scenarios folder first, then the bundled scenarios
    loaded = load_scenario(find_scenario(args.scenario, [args.scenarios]))
    script = load_script(args.script, loaded)
    rubric = None
    if args.rubric is not None:
        from simtool.core.rubric import load_rubric
        # a bad rubric stops the run before it starts
        rubric = load_rubric(find_rubric(args.rubric, [args.scenarios]), loaded)
    weight = args.weight if args.weight is not None else loaded.scenario.patient.weight_kg.default
    patient = PatientParams(weight, tuple(args.condition or ()), args.variant)
    # before anything is recorded: a run whose vitals would not fit is refused whole
    check_sampling(script.duration_s, args.sample, "--sample")
    if args.resume and not args.archive:
        raise SimtoolError("--resume needs --archive (the archive holding the drill)")
    pace = None
    if args.speed is not None:
        if args.speed <= 0:
            raise SimtoolError("--speed must be a positive factor")
        speed = args.speed
        pace = lambda dt: time.sleep(dt / speed)  # noqa: E731 - the CLI owns the wall clock
    printer = None
    if not args.json:
        printer = lambda e: print(printable(_event_line(e)), flush=True)  # noqa: E731

    from simtool.app.live import LiveDrill

    archive = None
    drill = None
    drill_id = None
    live = None
    finished = False
    people = [Participant(p.id, p.name, p.role) for p in script.participants]
    try:
        if args.archive:
            from simtool.store import Archive, Examiner, Trainee

            archive = Archive.open(args.archive)
            # one sentence when writes start going to a journal, to memory, or back to the
            # archive; never one per event
            archive.on_notice = lambda sentence: print(printable(f"simtool run: {sentence}"),
                                                       file=sys.stderr, flush=True)
            if args.resume:
                live = LiveDrill.resume(archive, args.resume, loaded, check=_same_drill_as(args, script),
                                        vitals_every_s=args.sample)
                patient = live.drill.patient
                print(printable(f"simtool run: resumed drill {args.resume} at {drill_time(live.t)}"),
                      file=sys.stderr, flush=True)
            else:
                # each script participant is a person: the one the archive keeps with that
                # staff id, else a new record, so sheets and histories name a person; the
                # examiners (--examiner names, the script's with their staff ids) are linked
                examiners = tuple(args.examiner or ()) + tuple(
                    Examiner(e.name, e.staff_id) for e in script.examiners)
                live = LiveDrill.start(loaded, patient, people, archive,
                                       evaluation_type=args.evaluation_type,
                                       trainees={p.id: Trainee(p.name, p.staff_id, p.department)
                                                 for p in script.participants},
                                       examiners=examiners, site=args.site,
                                       department=args.department, vitals_every_s=args.sample)
                drill_id = live.drill_id
                print(printable(f"simtool run: drill {drill_id} in {args.archive}"), file=sys.stderr,
                      flush=True)
            # with an archive, an event line is printed only once the event is committed in
            # the archive or fsync'd in a journal
            if printer is not None:
                live.subscribe(printer, replay=True)
            drill, samples = run_script(loaded, script, patient, args.sample, pace=pace,
                                        drill=live.drill, on_sample=live.store_sample, end=live.end)
        else:
            drill, samples = run_script(loaded, script, patient, args.sample, on_event=printer,
                                        pace=pace)
        finished = True
    finally:
        if archive is not None:
            lost = _settle(archive, quiet=not finished)
            archive.close()
            if lost and not finished:  # the run stopped for another reason: say this too
                print(printable(f"simtool run: {lost}"), file=sys.stderr, flush=True)
    if archive is not None and lost:
        raise SimtoolError(lost)
    out = result(drill, samples)
    scored = None
    if rubric is not None:
        from simtool.core.scoring import score
        scored = score(rubric, drill, evaluation_type=args.evaluation_type)
        out["score"] = scored.to_dict()
        if args.archive:
            from simtool.app.sheets import store_unsigned_sheets
            from simtool.store import Archive
            with Archive.open(args.archive) as archive:
                ids = store_unsigned_sheets(archive, args.resume or drill_id, rubric, scored)
            print(f"simtool run: {len(ids)} unsigned score sheets stored", file=sys.stderr)
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False, allow_nan=False)
        sys.stdout.write("\n")
    else:
        o = out["outcome"]
        print(printable(f"outcome: {o['result']} in state {o['state']}, blood loss {o['blood_loss_ml']} mL"))
        for ex in out["expected"]:
            print(printable(f"expected {ex['id']}: {ex['status']}"))
        for ind in out["indicators"]:
            verdict = {True: "met", False: "not met", None: "not applicable"}[ind["met"]]
            took = "never" if ind["seconds"] is None else duration(ind["seconds"])
            print(printable(f"indicator {ind['id']}: {took} (target {duration(ind['target_s'])}) {verdict}"))
        for sheet in scored.sheets if scored is not None else ():
            who = f"{sheet.participant_id} ({sheet.role})" if sheet.participant_id else "team"
            print(printable(f"score {who}: {sheet.points:g} of {sheet.max_points:g}, "
                            f"{sheet.verdict.result}: {sheet.verdict.reason}"))
    return EXIT_OK


def cmd_drills(args: argparse.Namespace) -> int:
    from simtool.store import Archive, write_drills_csv, write_scores_csv
    from simtool.store.outputs import check_target, write_text_atomic

    path = _archive_path(args)
    # both outputs are checked before anything is written (never the archive, never an
    # existing file without --force), and each is written whole or not at all
    if args.csv and args.scores_csv and os.path.abspath(args.csv) == os.path.abspath(args.scores_csv):
        raise SimtoolError("--csv and --scores-csv name the same file; give two files")
    for target in (args.csv, args.scores_csv):
        if target:
            check_target(target, protect=[path], force=args.force)
    with Archive.open(path, create=False) as archive:
        drills = archive.drills()
        rows: list[int] = []
        if args.csv:
            write_text_atomic(args.csv, lambda f: rows.append(write_drills_csv(archive, f, drills)),
                              protect=[path], force=args.force)
            print(printable(f"{rows[-1]} drills written to {args.csv}"), file=sys.stderr)
        if args.scores_csv:
            write_text_atomic(args.scores_csv, lambda f: rows.append(write_scores_csv(archive, f)),
                              protect=[path], force=args.force)
            print(printable(f"{rows[-1]} score rows written to {args.scores_csv}"), file=sys.stderr)
        if args.json:
            json.dump([d.to_dict() for d in drills], sys.stdout, ensure_ascii=False, allow_nan=False)
            sys.stdout.write("\n")
        elif not (args.csv or args.scores_csv):
            for d in drills:
                people = ", ".join(f"{p.name} ({p.role})" for p in d.participants)
                print(printable(f"{d.id}  {wall_time(d.started_at)}  {d.scenario_id} {d.scenario_version}  "
                                f"{d.status:<11}  {people}"))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from simtool.store import Archive
    from simtool.store.checkpoint import CheckpointFileError, note
    from simtool.store.verify import head

    from simtool.store.errors import ArchiveDamagedError

    path = _archive_path(args)
    try:
        archive = Archive.open(path, create=False)
    except ArchiveDamagedError as exc:  # what verify itself would say: no "run simtool verify"
        print(printable(f"simtool verify: {str(exc).replace(' or run simtool verify', '')}"),
              file=sys.stderr)
        return EXIT_PROBLEMS
    with archive:
        problems = archive.verify()
        seq, sha = head(archive)
        if not problems:
            try:  # an intact archive: its head is the checkpoint a later verify compares with
                note(archive)
            except (OSError, CheckpointFileError) as exc:
                print(printable(f"simtool verify: the checkpoint of the chain head was not kept ({exc})"),
                      file=sys.stderr)
    for p in problems:
        print(printable(f"{path}: {p}"))
    if not problems:
        print(printable(f"{path}: every record and the audit chain verify; audit chain head: "
                        f"{seq} / {sha[:16]}…"))
    return EXIT_PROBLEMS if problems else EXIT_OK


def cmd_bundle(args: argparse.Namespace) -> int:
    import base64

    from simtool.store import Archive, export_bundle, import_bundle
    from simtool.store.signing import fingerprint

    if args.bundle_command == "export":
        from simtool.store.outputs import check_target
        # never the archive itself, never an existing file without --force
        check_target(args.output, protect=[_archive_path(args)], force=args.force)
    with Archive.open(_archive_path(args), create=args.bundle_command == "import") as archive:
        if args.bundle_command == "export":
            ids = args.drill or [d.id for d in archive.drills() if d.status != "discarded"]
            manifest = export_bundle(archive, ids, args.output, anonymize=args.anonymize,
                                     site=args.site, force=args.force)
            signer = manifest["signer"]
            key = fingerprint(base64.b64decode(signer["public_key"]))
            print(printable(f"{len(manifest['drills'])} drills written to {args.output}, signed by "
                            f"{signer['site']} (key {key})"), file=sys.stderr)
            return EXIT_OK
        report = import_bundle(archive, args.file, require_signed=args.require_signed,
                               accept_new_key=args.accept_new_key, analysis_copy=args.analysis_copy)
    if args.json:
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, allow_nan=False)
        sys.stdout.write("\n")
    else:
        print(report.signature["message"])
        print(f"added {len(report.added)}, already present {len(report.already_present)}, "
              f"refused {len(report.refused)}")
        for did, why in report.refused:
            print(printable(f"refused {did}: {why}"))
        for note in report.notes:
            print(printable(f"note: {note}"))
    return EXIT_PROBLEMS if report.refused else EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    from simtool.ui.app import run_app
    return run_app(args.scenarios, getattr(args, "archive", None), quit_after=args.quit_after)


class _Parser(argparse.ArgumentParser):
    """argparse, saying a wrong option in one sentence and where the options are listed
    (the whole usage of a command with many options hides the sentence that matters)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, printable(f"{self.prog}: error: {message}") + f"\n(`{self.prog} --help` lists the options)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="simtool", description="Clinical simulation drills: run, score, debrief, archive.")
    parser.add_argument("--version", action="version", version=f"simtool {__version__}")
    parser.add_argument("--scenarios", default=None, metavar="DIR",
                        help="your own folder of scenarios: the window opens it, and 'run' finds "
                             "scenario and rubric ids there before the bundled ones")
    parser.add_argument("--quit-after", type=finite_float(0), default=None, metavar="SECONDS",
                        help="close the window this long after it opens (smoke tests, start-up timing)")
    parser.add_argument("--archive", default=None, metavar="DB",
                        help="archive the window records drills in (default: $SIMTOOL_ARCHIVE or the user data folder)")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("validate", help="check scenario, catalogue and rubric files",
                       description="Check scenario, action-catalogue, rubric and NTS-block files. Prints one line per "
                                   "problem as FILE:LINE: field: message and exits 1, or exits 0.")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders (searched for *.yaml; default: the bundled ones)")
    p.add_argument("-q", "--quiet", action="store_true", help="print problems only, no summary")
    p.add_argument("--unverified", action="store_true",
                   help="also list every number marked 'verify: true' with file, line and source")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("run", help="play a drill headless from a script",
                       description="Play a drill headless from a script for the script's duration.")
    p.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file, or a scenario id")
    p.add_argument("--script", required=True, metavar="SCRIPT.yaml", help="timed actions to play")
    p.add_argument("--weight", type=finite_float(MIN_WEIGHT_KG, MAX_WEIGHT_KG), metavar="KG",
                   help="patient weight (default: the scenario's)")
    p.add_argument("--condition", type=text, action="append", metavar="NAME",
                   help="patient condition (asthma, hypertension, ...); repeatable")
    p.add_argument("--variant", type=text, metavar="ID", help="scenario variant: the course this drill follows")
    p.add_argument("--speed", type=finite_float(MIN_SPEED, MAX_SPEED), metavar="FACTOR",
                   help="play in real time × FACTOR (default: as fast as possible)")
    p.add_argument("--sample", type=finite_float(MIN_SAMPLE_S), default=5.0, metavar="SECONDS",
                   help="vitals sampling interval in the output (default 5)")
    p.add_argument("--json", action="store_true", help="print one JSON object (DESIGN.md contract)")
    p.add_argument("--rubric", metavar="RUBRIC",
                   help="score the drill on this OSCE rubric, a file or a rubric id (adds 'score' to --json)")
    p.add_argument("--archive", metavar="DB",
                   help="record the drill in this archive; each event is printed after it is committed")
    p.add_argument("--resume", type=text, metavar="DRILL",
                   help="carry on an interrupted drill from --archive with the script it was played from "
                        "(its recorded part is skipped; a script that differs from the record is refused)")
    p.add_argument("--site", type=text, metavar="SITE", help="the hospital the drill is run at")
    p.add_argument("--department", type=text, metavar="DEPT",
                   help="the department the drill belongs to (its figures count it)")
    p.add_argument("--examiner", action="append", type=text, metavar="NAME",
                   help="an examiner of the drill, recorded with it; repeatable (a summative or "
                        "high-stakes drill needs one)")
    p.add_argument("--evaluation-type", default=EvaluationType.FORMATIVE.value,
                   choices=EVALUATION_TYPES,
                   help="recorded with the drill (INACSL; default formative)")
    p.set_defaults(func=cmd_run)

    archive_help = "archive file (default: $SIMTOOL_ARCHIVE or the user data folder)"
    p = sub.add_parser("drills", help="list the archive's drills and their status",
                       description="List the archive's drills with their status (running, paused, "
                                   "interrupted, ended, signed); optionally as JSON or CSV.")
    p.add_argument("--archive", metavar="DB", help=archive_help)
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.add_argument("--csv", metavar="FILE", help="write the drills as CSV")
    p.add_argument("--scores-csv", metavar="FILE", help="write every current score sheet as CSV")
    p.add_argument("--force", action="store_true",
                   help="replace an existing --csv/--scores-csv file (never the archive itself)")
    p.set_defaults(func=cmd_drills)

    p = sub.add_parser("verify", help="check signed records and the audit chain",
                       description="Recompute the audit chain and every record's hash (drills, "
                                   "events, vitals, score sheets, sign-offs, amendments, people, "
                                   "settings, kept indicator results), check the file and the end "
                                   "of the log against the checkpoint kept in the user data folder; "
                                   "print each record that was altered, added or removed and exit "
                                   "1, or print the chain head and exit 0.")
    p.add_argument("--archive", metavar="DB", help=archive_help)
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("bundle", help="move drills between archives",
                       description="Export drills to one signed bundle file, or import one (idempotent).")
    bsub = p.add_subparsers(dest="bundle_command", required=True)
    b = bsub.add_parser("export", help="write drills to a bundle file",
                        description="Write drills (default: all) to one bundle file with a manifest and hashes.")
    b.add_argument("--drill", type=text, action="append", metavar="ID", help="a drill to include; repeatable")
    b.add_argument("-o", "--output", required=True, metavar="FILE", help="bundle file to write")
    b.add_argument("--anonymize", action="store_true",
                   help="replace every name, staff id, examiner and site with a stable pseudonym and "
                        "drop typed text (for analysis; imports only with --analysis-copy)")
    b.add_argument("--site", metavar="NAME",
                   help="this archive's site, kept with its signing key on the first export "
                        "(default: the site most drills were recorded at, else the host name)")
    b.add_argument("--force", action="store_true",
                   help="replace an existing bundle file (never the archive itself)")
    b.add_argument("--archive", metavar="DB", help=archive_help)
    b = bsub.add_parser("import", help="read a bundle file into the archive",
                        description="Import a bundle after checking it whole (sizes, every record, the "
                                    "signature); drills already present are skipped, conflicting ones "
                                    "refused and reported, never overwritten.")
    b.add_argument("file", metavar="FILE", help="bundle file to read")
    b.add_argument("--json", action="store_true", help="print the import report as JSON")
    b.add_argument("--require-signed", action="store_true", help="refuse a bundle without a signature")
    b.add_argument("--accept-new-key", action="store_true",
                   help="accept a bundle signed by a known site with a key this archive does not know "
                        "for it (after checking the fingerprint with that site)")
    b.add_argument("--analysis-copy", action="store_true",
                   help="import an anonymised bundle, its score sheets unsigned (use a separate archive)")
    b.add_argument("--archive", metavar="DB", help=archive_help)
    p.set_defaults(func=cmd_bundle)
    from simtool.commands_export import add_export_parser
    from simtool.commands_marking import add_marking_parser
    from simtool.commands_people import add_people_parser
    from simtool.commands_record import add_record_parser
    from simtool.commands_stats import add_stats_parser
    add_export_parser(sub)
    add_stats_parser(sub)
    add_record_parser(sub)
    add_marking_parser(sub)
    add_people_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return cmd_gui(args)
    if args.command != "validate":  # validate never writes; it need not load the store
        from simtool.store.outputs import clean_stale_outputs
        clean_stale_outputs()  # temp files of a killed export; never raises
    try:
        return int(args.func(args))
    except FileProblemsError as exc:
        for p in exc.problems:
            print(printable(p), file=sys.stderr)
        return EXIT_PROBLEMS
    except SimtoolError as exc:
        print(printable(f"simtool {args.command}: {exc}"), file=sys.stderr)  # one line, always
        return EXIT_PROBLEMS
    except BrokenPipeError:
        # the reader went away (`simtool run ... | head`): not an error worth a message
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep interpreter shutdown quiet
        return EXIT_OK
    except OSError as exc:
        print(printable(f"simtool {args.command}: {exc.filename or ''}: {exc.strerror or exc}"),
              file=sys.stderr)
        return EXIT_PROBLEMS
    except sqlite3.DatabaseError as exc:
        # the last resort: a damaged page the store did not name itself
        where = f"the archive {_archive_path(args)}" if hasattr(args, "archive") else "an archive"
        print(printable(f"simtool {args.command}: {where} is damaged or unreadable ({exc}); it "
                        f"was not changed. Restore a backup or run simtool verify"), file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
