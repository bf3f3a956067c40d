"""Benchmark: department indicators over the archive (issue 8). Prints one JSON object.

Builds (with ``bench/archive.py``'s builder: eight scenarios, about 100 events per drill, start
times over five years) or reuses an archive of ``--drills`` drills, then times
``indicators_report`` — every ended drill's kept indicator results, grouped by scenario ×
quarter × department — over the whole archive and over one year, and ``portfolio`` of a
typical trainee. Target: the whole archive in ≤ 2 s at 100,000 drills, the first report after
the upgrade as well as the warm one (issue 19).

The archive is built as simtool format 9 left it — ended drills whose indicator results were
left to the first report — so opening it runs the upgrade to format 10, which computes them
(``upgrade_s``, with its progress on stderr as the command line shows it). From format 10 on a
drill's results are kept as it ends, so a new archive never needs that step.

    .venv/bin/python bench/stats.py [--drills 100000] [--repeat 3] [--keep | --dir DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simtool.app.upgrade import progress_line  # noqa: E402
from simtool.core.scenario import load_scenario  # noqa: E402
from simtool.store.analytics import indicators_report, portfolio  # noqa: E402
from simtool.store.archive import Archive  # noqa: E402

TARGET_S = 2.0


def _builder():
    spec = importlib.util.spec_from_file_location("bench_archive", ROOT / "bench" / "archive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.build


def timed(fn, repeat: int) -> tuple[list[float], object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return times, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drills", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the built archive")
    parser.add_argument("--dir", type=Path, help="build in (or reuse the archive already in) DIR")
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="simtool-bench-stats-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "archive.sqlite"
    print(f"stats benchmark in {path}", file=sys.stderr, flush=True)
    built = None
    if not path.exists():
        built = _builder()(path, args.drills, load_scenario(ROOT / "scenarios" / "pph_uterine_atony.yaml"),
                           schema_version=9)
    out: dict = {"benchmark": "stats", "path": str(path), "built": built}
    t0 = time.perf_counter()
    with Archive.open(path, create=False, on_progress=progress_line()) as archive:
        out["upgrade_s"] = round(time.perf_counter() - t0, 3)   # ~0 for an archive upgraded before
        out["drills_in_archive"] = archive.db.execute("SELECT count(*) FROM drills").fetchone()[0]
        out["events_in_archive"] = archive.db.execute("SELECT count(*) FROM events").fetchone()[0]
        # the first report after the upgrade reads the results it kept (before format 10, the
        # first report computed them: ~20 s here); the warm one has SQLite's pages cached
        first, _ = timed(lambda: indicators_report(archive), 1)
        secs, rep = timed(lambda: indicators_report(archive), args.repeat)
        out["indicators_all_s"] = {"first_run": round(first[0], 3), "warm_median": round(statistics.median(secs), 3),
                                   "warm_max": round(max(secs), 3), "drills": rep["drills"],
                                   "groups": len(rep["groups"])}
        secs, rep = timed(lambda: indicators_report(archive, date(2023, 1, 1), date(2023, 12, 31)), args.repeat)
        out["indicators_one_year_s"] = {"median": round(statistics.median(secs), 3), "drills": rep["drills"]}
        counts = archive.db.execute("SELECT trainee_id, count(*) FROM participants GROUP BY trainee_id "
                                    "ORDER BY 2").fetchall()
        trainee = counts[len(counts) // 2][0]
        secs, rep = timed(lambda: portfolio(archive, trainee), args.repeat)
        out["portfolio_s"] = {"median": round(statistics.median(secs), 3), "drills": len(rep["drills"])}
    out["target_s"] = TARGET_S
    out["met"] = max(out["indicators_all_s"]["first_run"],
                     out["indicators_all_s"]["warm_median"]) <= TARGET_S
    if not (args.keep or args.dir):
        shutil.rmtree(folder)
        out["path"] += " (removed; --keep to keep it)"
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
