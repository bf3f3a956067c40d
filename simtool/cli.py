"""simtool's command line: the same capabilities as the window, for scripts, tests and CI.

Every user error (bad file, bad option value) ends as one clear message and exit code 1 or 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from simtool import __version__
from simtool.core.errors import Problem, ScenarioError, SimtoolError

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


def validate_file(path: Path) -> list[Problem]:
    """Problems of one data file, whatever its kind (catalogue or scenario)."""
    from simtool.core.catalogue import load_catalogue
    from simtool.core.scenario import load_scenario
    from simtool.core.yamlsrc import load_yaml

    src, problems = load_yaml(path)
    if src is None:
        return problems
    data = src.data if isinstance(src.data, dict) else {}
    try:
        if "actions" in data and "states" not in data and "duration_s" not in data:
            load_catalogue(path)
        elif "states" in data or "initial" in data:
            load_scenario(path)
        else:
            return [src.problem((), "not a scenario or action catalogue (no 'states' or 'actions')")]
    except ScenarioError as exc:
        return exc.problems
    return []


def cmd_validate(args: argparse.Namespace) -> int:
    files = _yaml_files(args.paths)
    if not files:
        print("simtool validate: no YAML files found", file=sys.stderr)
        return EXIT_PROBLEMS
    bad = 0
    for f in files:
        problems = validate_file(f)
        for p in problems:
            print(p)
        bad += bool(problems)
    if not args.quiet:
        print(f"{len(files) - bad} of {len(files)} files valid", file=sys.stderr)
    return EXIT_PROBLEMS if bad else EXIT_OK


def _event_line(e: object) -> str:
    from simtool.core.events import Event
    assert isinstance(e, Event)
    m, s = divmod(int(e.t), 60)
    parts = [f"{m:02d}:{s:02d}", e.kind]
    for value in (e.state, e.action, e.dose, e.unit, e.route, e.role, e.rule, e.text):
        if value is not None:
            parts.append(f"{value:g}" if isinstance(value, float) else str(value))
    return " ".join(parts)


def cmd_run(args: argparse.Namespace) -> int:
    from simtool.core.drill import PatientParams
    from simtool.core.runner import result, run_script
    from simtool.core.scenario import load_scenario
    from simtool.core.script import load_script

    loaded = load_scenario(args.scenario)
    script = load_script(args.script, loaded)
    weight = args.weight if args.weight is not None else loaded.scenario.patient.weight_kg.default
    patient = PatientParams(weight, tuple(args.condition or ()))
    if args.sample <= 0:
        raise SimtoolError("--sample must be a positive number of seconds")
    pace = None
    if args.speed is not None:
        if args.speed <= 0:
            raise SimtoolError("--speed must be a positive factor")
        speed = args.speed
        pace = lambda dt: time.sleep(dt / speed)  # noqa: E731 - the CLI owns the wall clock
    printer = None
    if not args.json:
        printer = lambda e: print(_event_line(e), flush=True)  # noqa: E731
    drill, samples = run_script(loaded, script, patient, args.sample, on_event=printer, pace=pace)
    out = result(drill, samples)
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        o = out["outcome"]
        print(f"outcome: {o['result']} in state {o['state']}, blood loss {o['blood_loss_ml']} mL")
        for ex in out["expected"]:
            print(f"expected {ex['id']}: {ex['status']}")
        for ind in out["indicators"]:
            verdict = {True: "met", False: "not met", None: "not applicable"}[ind["met"]]
            took = "never" if ind["seconds"] is None else f"{ind['seconds']:g} s"
            print(f"indicator {ind['id']}: {took} (target {ind['target_s']:g} s) {verdict}")
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    from simtool.ui.app import run_app
    return run_app(args.scenarios)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="simtool", description="Clinical simulation drills: run, score, debrief, archive.")
    parser.add_argument("--version", action="version", version=f"simtool {__version__}")
    parser.add_argument("--scenarios", default=None, help="folder of scenarios to open (default: the bundled ones)")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("validate", help="check scenario and catalogue files",
                       description="Check scenario and action-catalogue files. Prints one line per "
                                   "problem as FILE:LINE: field: message and exits 1, or exits 0.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (searched for *.yaml)")
    p.add_argument("-q", "--quiet", action="store_true", help="print problems only, no summary")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("run", help="play a drill headless from a script",
                       description="Play a drill headless from a script for the script's duration.")
    p.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    p.add_argument("--script", required=True, metavar="SCRIPT.yaml", help="timed actions to play")
    p.add_argument("--weight", type=float, metavar="KG", help="patient weight (default: the scenario's)")
    p.add_argument("--condition", action="append", metavar="NAME",
                   help="patient condition (asthma, hypertension, ...); repeatable")
    p.add_argument("--speed", type=float, metavar="FACTOR",
                   help="play in real time × FACTOR (default: as fast as possible)")
    p.add_argument("--sample", type=float, default=5.0, metavar="SECONDS",
                   help="vitals sampling interval in the output (default 5)")
    p.add_argument("--json", action="store_true", help="print one JSON object (DESIGN.md contract)")
    p.set_defaults(func=cmd_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return cmd_gui(args)
    try:
        return int(args.func(args))
    except ScenarioError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        return EXIT_PROBLEMS
    except SimtoolError as exc:
        print(f"simtool {args.command}: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except BrokenPipeError:
        # the reader went away (`simtool run ... | head`): not an error worth a message
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep interpreter shutdown quiet
        return EXIT_OK
    except OSError as exc:
        print(f"simtool {args.command}: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
