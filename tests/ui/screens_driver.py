"""Run by ``test_monitor_windows.py`` in a process of its own, on the offscreen platform with
the screens named in ``QT_QPA_PLATFORM`` (``offscreen:configfile=…``): opens the main window as
a user would, starts a PPH drill through setup and prebrief, and prints as JSON where the
console and the patient monitor went, before and after the console's monitor buttons."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from simtool.ui.app import build_window

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from helpers.paths import PPH, SCENARIOS  # noqa: E402


def rect(w: QWidget) -> list[int]:
    g = w.frameGeometry()
    return [g.x(), g.y(), g.width(), g.height()]


def screen_of(w: QWidget) -> str:
    return w.screen().name() if w.screen() is not None else ""


def main() -> None:
    app = QApplication([])
    # settings in the test's own folder (the working directory), never the user's
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(Path.cwd()))
    app.setOrganizationName("simtool-tests")
    app.setApplicationName("simtool")
    window = build_window(SCENARIOS, Path(sys.argv[1]))
    window.library.finish_check()  # checked in the background
    window.show()
    app.processEvents()
    assert window.library.select_path(PPH)
    setup = window.start_live_drill()
    setup.set_participant(0, "Li Na", "S001", "midwife")
    setup.set_participant(1, "Wang Fang", "S002", "obstetrician")
    setup.set_participant(2, "Chen Jie", "S003", "anaesthetist")
    setup.submit()
    window.stack.currentWidget().start_button.click()
    app.processEvents()
    live = window.live
    live.session.stop_clock()
    console, monitor = live.console, live.monitor
    out = {"screens": [s.name() for s in app.screens()],
           "console": rect(window), "console_screen": screen_of(window),
           "monitor": rect(monitor), "monitor_screen": screen_of(monitor),
           "monitor_fullscreen": monitor.isFullScreen(), "monitor_visible": monitor.isVisible(),
           "button_checked": console.monitor_button.isChecked(),
           "screen_button_enabled": console.screen_button.isEnabled(),
           "behind": bool(live.monitor_spot and live.monitor_spot.behind)}
    console.monitor_button.click()   # hide
    app.processEvents()
    out["after_hide_visible"] = monitor.isVisible()
    console.monitor_button.click()   # show again, in the same place
    app.processEvents()
    out["after_show_visible"] = monitor.isVisible()
    out["after_show"] = rect(monitor)
    monitor.close()                  # the trainees' window closed by hand
    app.processEvents()
    out["button_after_close"] = console.monitor_button.isChecked()
    if console.screen_button.isEnabled():
        console.screen_button.click()
        app.processEvents()
        out["sent_screen"] = screen_of(monitor)
        out["sent_fullscreen"] = monitor.isFullScreen()
    print(json.dumps(out))
    live.close()
    window.close()


if __name__ == "__main__":
    main()
