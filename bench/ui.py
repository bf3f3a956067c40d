"""Benchmark: the desktop app (issue 5). Prints one JSON object.

* start-up: a fresh process runs the app as ``simtool`` does (``run_app``) on the bundled
  scenarios and an archive holding a drill: seconds from spawning it to the window's first
  paint (target ≤1.0 s, and within 5x a bare PySide6 window's first paint measured in the same
  run), to the scenario list checked (validated in a worker thread while the window shows) and
  to the interrupted-drill check done (just after the first paint);
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
import contextlib
import io
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

# The app as an instructor starts it (``run_app``: translator, stale-output clean-up, window,
# the interrupted-drill check) on an archive that already holds a drill. Marks are wall-clock
# times, so the parent subtracts the moment it spawned the process: interpreter start included.
STARTUP = """
import json, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
import simtool.ui.app as ui_app
marks = {}
class FirstPaint(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint:
            marks.setdefault("painted", time.time())
        return False
first = FirstPaint()
build = ui_app.build_window
def watched(*args, **kwargs):
    w = build(*args, **kwargs)
    QApplication.instance().installEventFilter(first)
    w.library.checked.connect(lambda: marks.setdefault("checked", time.time()))
    offer = w.live.offer_resume
    def offered(parent=None):
        answer = offer(parent)
        marks.setdefault("resume_checked", time.time())
        return answer
    w.live.offer_resume = offered
    poll = QTimer(w)
    poll.timeout.connect(lambda: QApplication.quit() if len(marks) == 3 else None)
    poll.start(5)
    return w
ui_app.build_window = watched
ui_app.run_app()
print(json.dumps(marks))
"""

# the yardstick measured in the same run (issue 19: start-up within 5x a bare Qt window)
BARE = """
import json, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
marks = {}
class FirstPaint(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint:
            marks.setdefault("painted", time.time())
        return False
app = QApplication(sys.argv[:1])
first = FirstPaint()
app.installEventFilter(first)
w = QMainWindow()
w.resize(1366, 768)
w.show()
poll = QTimer(w)
poll.timeout.connect(lambda: app.quit() if marks else None)
poll.start(5)
app.exec()
print(json.dumps(marks))
"""


def startup_marks(code: str, env: dict[str, str]) -> dict[str, float]:
    """Seconds from spawning a fresh process running ``code`` to each of its marks."""
    t0 = time.time()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=ROOT, check=True, timeout=120)
    marks = json.loads(proc.stdout.strip().splitlines()[-1])
    return {k: v - t0 for k, v in marks.items()}


def startup(repeat: int) -> dict[str, object]:
    """First paint of the main window, the scenario list checked and the interrupted-drill
    check done, against a bare Qt window's first paint, interleaved so that a busy moment
    weighs on both alike."""
    from simtool.cli import main as cli

    runs: list[dict[str, float]] = []
    bare: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "a.sqlite"
        with contextlib.redirect_stdout(io.StringIO()):  # the drill's report: not the JSON
            cli(["run", str(ROOT / "scenarios" / "pph_uterine_atony.yaml"), "--script",
                 str(ROOT / "tests" / "scripts" / "pph_uterine_atony" / "late_care.yaml"),
                 "--archive", str(db)])
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   SIMTOOL_ARCHIVE=str(db), SIMTOOL_DATA_HOME=str(Path(tmp) / "data"))
        # an installed simtool has its bytecode compiled (pip does it, PyInstaller bundles it);
        # a developer's PYTHONDONTWRITEBYTECODE would measure compiling the sources instead
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        startup_marks(STARTUP, env)   # writes the bytecode, and the settings folder
        for _ in range(repeat):
            bare.append(startup_marks(BARE, env)["painted"])
            runs.append(startup_marks(STARTUP, env))

    def med(key: str) -> float:
        return round(statistics.median(r[key] for r in runs), 3)

    return {"first_paint_s": {"median": med("painted"),
                              "max": round(max(r["painted"] for r in runs), 3), "target": 1.0},
            "scenarios_checked_s": {"median": med("checked")},
            "interrupted_drill_check_done_s": {"median": med("resume_checked")},
            "bare_qt_window_first_paint_s": {"median": round(statistics.median(bare), 3)},
            "startup_ratio_to_bare": round(med("painted") / statistics.median(bare), 2),
            "target_ratio": 5.0}


def debrief_moments(app, n: int) -> dict[str, float]:
    """Milliseconds to show a random moment of a one-hour drill in the debrief view."""
    import random

    from simtool.cli import main as cli
    from simtool.store import Archive
    from simtool.ui.archiveviews.debrief import DebriefView
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "a.sqlite"
        with contextlib.redirect_stdout(io.StringIO()):  # the drill's report: not the JSON
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
    started = startup(args.repeat)

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
        "startup": started,
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
