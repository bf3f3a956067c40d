"""Benchmark: the desktop app (issue 5). Prints one JSON object.

* start-up: a fresh process imports simtool, builds the main window on the bundled scenarios
  and shows it (target ≤1.0 s; a bare PySide6 window is about 0.2 s here);
* click-to-committed: a palette button clicked in the instructor console until the action is
  committed to the archive (synchronous=FULL) and the console has heard of it (target p99
  ≤16 ms, one frame);
* resident memory during a drill with the console and the monitor open (target ≤300 MB);
* debrief moment: showing a random moment of the one-hour late-care PPH drill in the debrief
  (vitals, expected actions, timeline, chart position, video seek) once its moments are kept
  (target p99 ≤16 ms), and how long keeping every second takes (done in slices while the
  debrief is open).
The monitor's frame time and CPU share are in ``bench/ui_monitor.py``.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui.py [--clicks 200]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STARTUP = """
import time, sys
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from simtool.ui.app import build_window
w = build_window(None)
w.show()
app.processEvents()
print(time.perf_counter() - t0)
"""


# the yardstick measured in the same run (issue 19: start-up within 5x a bare Qt window)
BARE = """
import time, sys
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow()
w.resize(1366, 768)
w.show()
app.processEvents()
print(time.perf_counter() - t0)
"""


def startup_s(repeat: int, code: str = STARTUP) -> list[float]:
    """Wall time of a fresh process (interpreter start included) running ``code``."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env=env, cwd=ROOT, check=True)
        out.append(time.perf_counter() - t0)
        _ = float(proc.stdout.strip().splitlines()[-1])
    return out


def debrief_moments(app, n: int) -> dict[str, float]:
    """Milliseconds to show a random moment of a one-hour drill in the debrief view."""
    import random

    from simtool.cli import main as cli
    from simtool.store import Archive
    from simtool.ui.archiveviews.debrief import DebriefView
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "a.sqlite"
        cli(["run", str(ROOT / "scenarios" / "pph_uterine_atony.yaml"), "--script",
             str(ROOT / "tests" / "scripts" / "pph_uterine_atony" / "late_care.yaml"),
             "--archive", str(db)])
        with Archive.open(db, create=False) as archive:
            view = DebriefView(archive, archive.drills()[0].id)
            view.resize(1366, 768)
            view.show()
            t0 = time.perf_counter()
            view.moments.build_all()
            keep_s = time.perf_counter() - t0
            rng = random.Random(23)
            times = []
            for _ in range(n):
                t = rng.randrange(0, 3601)
                t0 = time.perf_counter()
                view.slider.setValue(t)
                app.processEvents()
                times.append((time.perf_counter() - t0) * 1000)
            view.close()
    times.sort()
    return {"p50": round(times[len(times) // 2], 2), "p99": round(times[int(len(times) * 0.99) - 1], 2),
            "max": round(times[-1], 2), "moments": n, "keep_all_s": round(keep_s, 2), "target_p99": 16}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--moments", type=int, default=300)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    starts, bare = [], []
    for _ in range(args.repeat):   # interleaved, so a busy moment weighs on both alike
        bare += startup_s(1, BARE)
        starts += startup_s(1)

    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from simtool.core.drill import Participant, PatientParams
    from simtool.core.scenario import load_scenario
    from simtool.store import Archive
    from simtool.ui.console import ConsoleView
    from simtool.ui.monitor import PatientMonitor
    from simtool.ui.session import DrillSession

    with tempfile.TemporaryDirectory() as tmp, Archive.open(Path(tmp) / "a.sqlite") as archive:
        loaded = load_scenario(ROOT / "scenarios" / "pph_uterine_atony.yaml")
        people = [Participant("t1", "Li Na", "midwife"), Participant("t2", "Wang Fang", "obstetrician")]
        session = DrillSession(loaded, PatientParams(65), people, archive)
        console = ConsoleView(session)
        console.resize(1400, 900)
        console.show()
        monitor = PatientMonitor(session)
        monitor.resize(1280, 720)
        monitor.show()
        session.advance(600)
        heard: list[float] = []
        session.event_logged.connect(lambda e: heard.append(time.perf_counter()) if e.kind == "action" else None)
        button = console.palette.buttons["vital_signs_check"]
        latencies = []
        for i in range(args.clicks):
            t0 = time.perf_counter()
            button.click()
            latencies.append((heard[-1] - t0) * 1000)
            session.advance(1)
            if i % 20 == 0:
                app.processEvents()
        stored = sum(1 for e in archive.events(session.drill_id) if e.action == "vital_signs_check")
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        monitor.close()
        console.close()
    latencies.sort()
    debrief = debrief_moments(app, args.moments)
    print(json.dumps({
        "benchmark": "ui",
        "startup_s": {"median": round(statistics.median(starts), 3), "max": round(max(starts), 3),
                      "target": 1.0},
        "bare_qt_window_s": {"median": round(statistics.median(bare), 3)},
        "startup_ratio_to_bare": round(statistics.median(starts) / statistics.median(bare), 2),
        "target_ratio": 5.0,
        "click_to_committed_ms": {"p50": round(latencies[len(latencies) // 2], 2),
                                  "p99": round(latencies[int(len(latencies) * 0.99) - 1], 2),
                                  "max": round(latencies[-1], 2), "clicks": len(latencies),
                                  "stored": stored, "target_p99": 16},
        "max_rss_mb": round(rss_mb, 1), "target_rss_mb": 300,
        "debrief_moment_ms": debrief,
        "platform": os.environ.get("QT_QPA_PLATFORM"),
    }, indent=1))


if __name__ == "__main__":
    main()
