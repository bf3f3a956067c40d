"""Benchmark: how fast the drill engine plays one simulated hour at 1 s ticks, and a script
of 100,000 actions.

Prints one JSON object. Targets: one simulated hour in ≤0.3 s on the two-core reference
machine, i.e. ≥12,000× real time, so tests and replays are instant (issue 2); a script of
MAX_SCRIPT_ACTIONS actions (100,000, generated here, never stored) read from its YAML file and
played in seconds, with the rule checks linear in the number of actions (issue 14).

    .venv/bin/python bench/engine.py [--repeat 5] [--actions 100000]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simtool.core.drill import Drill, PatientParams  # noqa: E402
from simtool.core.limits import MAX_SCRIPT_ACTIONS  # noqa: E402
from simtool.core.runner import run_script  # noqa: E402
from simtool.core.scenario import load_scenario  # noqa: E402
from simtool.core.script import load_script  # noqa: E402

HOUR_S = 3600


def one_hour(loaded, acts: bool) -> float:
    """Wall seconds to tick a fresh drill through one hour, one call per simulated second."""
    drill = Drill(loaded, PatientParams(65.0))
    start = time.perf_counter()
    for second in range(HOUR_S):
        drill.tick(1.0)
        if acts and second in (760, 790, 870, 900, 1000):
            drill.act({760: "call_for_help", 790: "oxytocin", 870: "tranexamic_acid",
                       900: "uterine_massage", 1000: "bimanual_compression"}[second])
    return time.perf_counter() - start


def many_actions_yaml(loaded, n: int, duration_s: float) -> str:
    """A script of ``n`` actions cycling through the catalogue (with their default doses, by
    the scenario's roles) evenly over ``duration_s``: every rule is checked n times."""
    cat = loaded.catalogue
    roles = loaded.scenario.role_ids
    lines = [f"duration_s: {duration_s:g}",
             "participants:"]
    lines += [f"  - {{id: p{i}, name: Person {i}, role: {r}}}" for i, r in enumerate(roles)]
    lines.append("actions:")
    ids = cat.ids()
    step = duration_s / (n + 1)
    for i in range(n):
        action = cat.get(ids[i % len(ids)])
        # every drug with a dose (its default, else a small one: a script names each dose)
        dose = f", dose: {(action.dose.default or action.dose.min or 1):g}" if action.dose else ""
        lines.append(f"  - {{t: {round((i + 1) * step, 3)}, action: {action.id}{dose}, by: {roles[i % len(roles)]}}}")
    return "\n".join(lines) + "\n"


def many_actions(loaded, n: int) -> dict:
    """Seconds to read (parse and validate) and to play a script of ``n`` actions."""
    duration = 7200.0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "many.yaml"
        path.write_text(many_actions_yaml(loaded, n, duration), encoding="utf-8")
        start, cpu = time.perf_counter(), time.process_time()
        script = load_script(path, loaded)
        read_s, read_cpu = time.perf_counter() - start, time.process_time() - cpu
        size = path.stat().st_size
    start, cpu = time.perf_counter(), time.process_time()
    drill, samples = run_script(loaded, script, PatientParams(65.0))
    play_s, play_cpu = time.perf_counter() - start, time.process_time() - cpu
    actions = sum(1 for e in drill.events if e.kind == "action")
    flags = sum(1 for e in drill.events if e.kind == "flag")
    return {"actions": actions, "flags": flags, "file_bytes": size, "simulated_s": duration,
            "read_s": round(read_s, 2), "play_s": round(play_s, 2), "total_s": round(read_s + play_s, 2),
            # CPU seconds: what the wall times would be on an otherwise idle core
            "read_cpu_s": round(read_cpu, 2), "play_cpu_s": round(play_cpu, 2),
            "target_total_s": 30.0, "meets_target": read_s + play_s <= 30.0}


def amend_in_an_hour(loaded, actions: int) -> dict:
    """Seconds to correct one dose in the middle of a one-hour drill of ``actions`` actions:
    the rules are checked again on the corrected actions against the course the drill took,
    which replays the hour once (an instructor's click in the console waits for it)."""
    from simtool.core.drill import Participant
    team = [Participant("t3", "Zhou Yan", "anaesthetist")]
    drill = Drill(loaded, PatientParams(65.0), team)
    ids = []
    for i in range(actions):
        drill.advance_to(i * HOUR_S / actions)
        ids.append(drill.act("crystalloid_bolus", by="t3", dose=500, unit="mL", route="IV").iid)
    drill.advance_to(HOUR_S)
    start = time.perf_counter()
    drill.amend(ids[actions // 2], reason="1000 mL were given", changes={"dose": 1000})
    took = time.perf_counter() - start
    return {"actions": actions, "wall_s": round(took, 3), "target_wall_s": 0.5,
            "meets_target": took <= 0.5}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--actions", type=int, default=MAX_SCRIPT_ACTIONS,
                        help=f"actions in the generated script (default {MAX_SCRIPT_ACTIONS:,}; 0: skip)")
    args = parser.parse_args()
    loaded = load_scenario(ROOT / "scenarios" / "pph_uterine_atony.yaml")
    one_hour(loaded, False)  # warm-up
    untreated = [one_hour(loaded, False) for _ in range(args.repeat)]
    treated = [one_hour(loaded, True) for _ in range(args.repeat)]
    best = min(untreated)
    many = many_actions(loaded, args.actions) if args.actions > 0 else None
    print(json.dumps({
        "benchmark": "engine_one_simulated_hour",
        "scenario": "pph_uterine_atony",
        "ticks": HOUR_S,
        "tick_s": 1.0,
        "repeat": args.repeat,
        "wall_s_best": round(best, 4),
        "wall_s_median": round(statistics.median(untreated), 4),
        "wall_s_median_with_actions": round(statistics.median(treated), 4),
        "ticks_per_s": round(HOUR_S / best),
        "times_real_time": round(HOUR_S / best),
        "target_wall_s": 0.3,
        "meets_target": statistics.median(untreated) <= 0.3,
        "script_of_many_actions": many,
        "amend_one_dose_in_an_hour": [amend_in_an_hour(loaded, n) for n in (50, 500)],
        "python": platform.python_version(),
        "machine": platform.machine(),
    }, indent=2))


if __name__ == "__main__":
    main()
