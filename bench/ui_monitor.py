"""Patient monitor frame cost at 60 frames/s, offscreen (issue 5: ≤30 % of one core).

Runs a PPH drill 40 min in (tachycardic, alarms flashing: the busiest the screen gets) on a
1920×1080 monitor with the drill clock ticking, for ~5 s of wall time. A frame is the frame
timer's slot plus the repaint it causes (the posted update request is delivered at once so
its painting is counted in the frame). Prints JSON.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_monitor.py [--seconds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from simtool.core.drill import PatientParams  # noqa: E402
from simtool.core.scenario import load_scenario  # noqa: E402
from simtool.ui.monitor import PatientMonitor  # noqa: E402
from simtool.ui.session import DrillSession  # noqa: E402


class PaintCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    args = parser.parse_args()

    app = QApplication.instance() or QApplication(sys.argv)
    session = DrillSession(load_scenario(ROOT / "scenarios" / "pph_uterine_atony.yaml"),
                           PatientParams(65), [])
    session.advance(40 * 60)
    monitor = PatientMonitor(session)
    monitor.set_blood_loss_visible(True)
    monitor.resize(args.width, args.height)
    counter = PaintCounter()
    for w in monitor.findChildren(QObject):
        if hasattr(w, "installEventFilter"):
            w.installEventFilter(counter)

    frames: list[float] = []
    original = monitor._on_frame

    def timed_frame() -> None:
        t0 = time.perf_counter()
        original()
        QCoreApplication.sendPostedEvents(monitor, QEvent.Type.UpdateRequest)
        frames.append(time.perf_counter() - t0)

    monitor._frame_timer.timeout.disconnect()
    monitor._frame_timer.timeout.connect(timed_frame)
    monitor.show()
    session.start()
    app.processEvents()
    frames.clear()
    counter.count = 0

    wall0, cpu0 = time.perf_counter(), time.process_time()
    QTimer.singleShot(int(args.seconds * 1000), app.quit)
    app.exec()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    session.stop_clock()

    ms = sorted(f * 1000 for f in frames)
    p99 = ms[min(len(ms) - 1, int(round(0.99 * (len(ms) - 1))))] if ms else 0.0
    print(json.dumps({
        "benchmark": "ui_monitor",
        "size": [args.width, args.height],
        "wall_s": round(wall, 3),
        "frames": len(frames),
        "fps": round(len(frames) / wall, 1),
        "paint_events": counter.count,
        "frame_ms_mean": round(statistics.fmean(ms), 3) if ms else None,
        "frame_ms_p99": round(p99, 3),
        "frame_ms_max": round(ms[-1], 3) if ms else None,
        "cpu_share_of_one_core": round(cpu / wall, 3),
        "target_cpu_share": 0.30,
        "sound": monitor.sound.available,
    }, indent=2))


if __name__ == "__main__":
    main()
