"""``simtool run``: play a drill headless from a script, optionally recorded in an archive and
scored on a rubric."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

from simtool.app.setup import EVALUATION_TYPES, EvaluationType
from simtool.cli.argtypes import finite_float, text
from simtool.cli.common import open_archive, EXIT_OK, dump_json
from simtool.core.errors import SimtoolError
from simtool.core.limits import MAX_SPEED, MAX_WEIGHT_KG, MIN_SAMPLE_S, MIN_SPEED, MIN_WEIGHT_KG
from simtool.core.textsafe import printable
from simtool.core.timefmt import drill_time, duration


def event_line(e: object) -> str:
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
        printer = lambda e: print(printable(event_line(e)), flush=True)  # noqa: E731

    from simtool.app.live import LiveDrill

    archive = None
    drill = None
    drill_id = None
    live = None
    finished = False
    people = [Participant(p.id, p.name, p.role) for p in script.participants]
    try:
        if args.archive:
            from simtool.store import Examiner, Trainee

            archive = open_archive(args, create=True)
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
            with open_archive(args, create=True) as archive:
                ids = store_unsigned_sheets(archive, args.resume or drill_id, rubric, scored)
            print(f"simtool run: {len(ids)} unsigned score sheets stored", file=sys.stderr)
    if args.json:
        dump_json(out)
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



def add_run_parser(sub: Any) -> None:
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
    p.add_argument("--json", action="store_true", help="print one JSON object (its fields: README, 'What you can do today')")
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
