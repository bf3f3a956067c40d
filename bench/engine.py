"""Benchmark: how fast the drill engine plays one simulated hour at 1 s ticks.

Prints one JSON object. Target (issue 2): one simulated hour in ≤0.3 s on the two-core
reference machine, i.e. ≥12,000× real time, so tests and replays are instant.

    .venv/bin/python bench/engine.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simtool.core.drill import Drill, PatientParams  # noqa: E402
from simtool.core.scenario import load_scenario  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    loaded = load_scenario(ROOT / "scenarios" / "pph_uterine_atony.yaml")
    one_hour(loaded, False)  # warm-up
    untreated = [one_hour(loaded, False) for _ in range(args.repeat)]
    treated = [one_hour(loaded, True) for _ in range(args.repeat)]
    best = min(untreated)
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
        "python": platform.python_version(),
        "machine": platform.machine(),
    }, indent=2))


if __name__ == "__main__":
    main()
