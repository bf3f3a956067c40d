"""Benchmark: PDF reports (issue 6). Prints one JSON object.

Records the late-care PPH drill with its rubric (``simtool run --archive``, as the report
tests do) and times, best and median of ``--repeat`` runs (fonts registered beforehand, as in
a running app):

* score sheet: build (archive → data object) and render (data → PDF) — target ≤ 150 ms;
* debrief with the vitals chart: build and render — target ≤ 400 ms;
* 200 score sheets built and rendered one after the other — target ≤ 30 s;
* quality report over a test-size archive (seven drills in four quarters, built here like
  ``tests/reports/test_quality.py``): build and render separately.

    .venv/bin/python bench/reports.py [--repeat 5] [--sheets 200]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simtool.core.drill import PatientParams  # noqa: E402
from simtool.core.runner import run_script  # noqa: E402
from simtool.core.scenario import load_scenario  # noqa: E402
from simtool.core.script import load_script  # noqa: E402
from simtool.reports.common import Header  # noqa: E402
from simtool.reports.debrief import render_debrief  # noqa: E402
from simtool.reports.debriefdata import build_debrief  # noqa: E402
from simtool.reports.fonts import register_fonts  # noqa: E402
from simtool.reports.quality import render_quality  # noqa: E402
from simtool.reports.qualitydata import build_quality  # noqa: E402
from simtool.reports.scoredata import build_score_sheet, drill_sheets  # noqa: E402
from simtool.reports.scoresheet import render_score_sheet  # noqa: E402
from simtool.store import Archive  # noqa: E402

HEADER = Header("Example Hospital", "Obstetrics", "bench")
SCRIPTS = ROOT / "tests" / "scripts" / "pph_uterine_atony"
PLAN = [("good_care", datetime(2024, 2, 1, 9)), ("late_care", datetime(2024, 2, 10, 9)),
        ("good_care", datetime(2024, 5, 1, 9)), ("absent_care", datetime(2024, 6, 1, 9)),
        ("good_care", datetime(2024, 11, 1, 9)), ("good_care", datetime(2024, 12, 31, 23)),
        ("late_care", datetime(2025, 1, 1, 0, 30))]


def ms(samples: list[float]) -> dict[str, float]:
    return {"best_ms": round(min(samples) * 1000, 1), "median_ms": round(statistics.median(samples) * 1000, 1)}


def timed(fn, repeat: int) -> tuple[list[float], object]:
    out, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        out.append(time.perf_counter() - t0)
    return out, result


def scored_archive(tmp: Path) -> Path:
    path = tmp / "drill.sqlite"
    subprocess.run([sys.executable, "-m", "simtool", "run", "scenarios/pph_uterine_atony.yaml", "--script",
                    str(SCRIPTS / "late_care.yaml"), "--rubric", "rubrics/pph_uterine_atony_technical.yaml",
                    "--archive", str(path)], cwd=ROOT, check=True, capture_output=True)
    return path


def quality_archive(tmp: Path) -> Path:
    path = tmp / "quality.sqlite"
    pph = load_scenario(ROOT / "scenarios" / "pph_uterine_atony.yaml")
    now = [datetime(2024, 1, 1, tzinfo=timezone.utc)]

    def clock() -> datetime:
        now[0] += timedelta(seconds=1)
        return now[0]

    with Archive.open(path, clock=clock, actor="bench") as archive:
        for name, start in PLAN:
            drill, _ = run_script(pph, load_script(SCRIPTS / f"{name}.yaml", pph), PatientParams(65.0))
            now[0] = start.replace(tzinfo=timezone.utc)
            did = archive.start_drill(pph, drill.patient, drill.participants, "formative")
            for e in drill.events:
                archive.append_event(did, e)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--sheets", type=int, default=200)
    args = ap.parse_args()
    register_fonts()
    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="simtool-bench-reports-") as tmp_s:
        tmp = Path(tmp_s)
        with Archive.open(scored_archive(tmp), create=False) as archive:
            (info,) = archive.drills()
            sheet = drill_sheets(archive, info.id)[-1]
            b, report = timed(lambda: build_score_sheet(archive, sheet, "en", HEADER), args.repeat)
            r, pdf = timed(lambda: render_score_sheet(report), args.repeat)
            both, _ = timed(lambda: render_score_sheet(build_score_sheet(archive, sheet, "zh_CN", HEADER)),
                            args.repeat)
            out["score_sheet"] = {"build": ms(b), "render": ms(r), "build_and_render": ms(both),
                                  "bytes": len(pdf), "target_ms": 150}
            b, report = timed(lambda: build_debrief(archive, info.id, "en", "t1", HEADER), args.repeat)
            r, pdf = timed(lambda: render_debrief(report), args.repeat)
            both, _ = timed(lambda: render_debrief(build_debrief(archive, info.id, "zh_TW", "t1", HEADER)),
                            args.repeat)
            out["debrief"] = {"build": ms(b), "render": ms(r), "build_and_render": ms(both),
                              "bytes": len(pdf), "target_ms": 400}
            sheets = drill_sheets(archive, info.id)
            t0 = time.perf_counter()
            for k in range(args.sheets):
                render_score_sheet(build_score_sheet(archive, sheets[k % len(sheets)], "en", HEADER))
            total = time.perf_counter() - t0
            out["score_sheets_batch"] = {"sheets": args.sheets, "total_s": round(total, 2),
                                         "per_sheet_ms": round(total / args.sheets * 1000, 1), "target_s": 30}
        t0 = time.perf_counter()
        qpath = quality_archive(tmp)
        setup = time.perf_counter() - t0
        with Archive.open(qpath, create=False) as archive:
            # the first build also keeps the per-drill indicator rows (analytics schema 3)
            first, _ = timed(lambda: build_quality(archive, date(2024, 1, 1), date(2024, 12, 31), "en", HEADER), 1)
            b, report = timed(lambda: build_quality(archive, date(2024, 1, 1), date(2024, 12, 31), "en", HEADER),
                              args.repeat)
            r, pdf = timed(lambda: render_quality(report), args.repeat)
            out["quality"] = {"drills": report.drills, "archive_setup_s": round(setup, 2),
                              "first_build_ms": round(first[0] * 1000, 1), "build": ms(b), "render": ms(r),
                              "bytes": len(pdf)}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
