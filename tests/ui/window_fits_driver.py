"""Run by ``test_window_fits.py`` in a process of its own, on the offscreen platform with one
1366×768 laptop screen (``QT_QPA_PLATFORM=offscreen:configfile=…``), in 简体中文: opens the main
window as a user would, runs a PPH drill to a safety flag on the console, ends it, attaches a
video and opens its debrief, then the PDCA page, and goes round the pages again. Prints as JSON,
for each step, the window's height, its minimum height and how many pages the stack holds.

``SIMTOOL_SHOTS=<folder>`` keeps a picture of each step."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from helpers.paths import PPH, SCENARIOS  # noqa: E402
from helpers.video import make_video  # noqa: E402


def main() -> None:
    app = QApplication([])
    # settings in the test's own folder (the working directory), never the user's
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(Path.cwd()))
    app.setOrganizationName("simtool-tests")
    app.setApplicationName("simtool")
    QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    from simtool.app.media import attach
    from simtool.ui.fonts import register_fonts
    from simtool.ui.translations import install_translator
    from simtool.ui.window import MainWindow
    register_fonts()
    install_translator(app, "zh_CN")
    window = MainWindow(SCENARIOS, archive_path=Path(sys.argv[1]), lang="zh_CN")
    window.show()
    shots = Path(os.environ["SIMTOOL_SHOTS"]) if os.environ.get("SIMTOOL_SHOTS") else None
    steps = []

    def step(name: str) -> None:
        for _ in range(3):
            app.processEvents()
        page = window.stack.currentWidget()
        steps.append({"step": name, "page": type(page).__name__, "height": window.height(),
                      "frame_height": window.frameGeometry().height(),
                      "min_height": window.minimumSizeHint().height(),
                      "page_min_height": page.minimumSizeHint().height(),
                      "pages": window.stack.count(), "flow_pages": len(window.live.pages)})
        if shots is not None:
            shots.mkdir(parents=True, exist_ok=True)
            window.grab().save(str(shots / f"fits_{name}.png"))

    step("library")
    assert window.library.select_path(PPH)
    setup = window.start_live_drill()
    for i, (name, staff, role) in enumerate([("李娜", "S001", "midwife"),
                                             ("王芳", "S002", "obstetrician"),
                                             ("陈杰", "S003", "anaesthetist")]):
        setup.set_participant(i, name, staff, role)
    setup.conditions["asthma"].setChecked(True)
    setup.submit()
    window.stack.currentWidget().start_button.click()
    live = window.live
    session, console = live.session, live.console
    session.stop_clock()
    session.advance(30)
    console.set_actor("p2")
    console.log_action("carboprost")
    console.dose_dialog.accept()           # asthma: a safety flag
    session.advance(10)
    assert console.flag_banner.isVisibleTo(console)
    step("console")
    session.end()
    step("end")
    drill_id = session.drill_id
    attach(live.archive, drill_id, make_video(Path.cwd() / "room.mp4", seconds=1.0), 0.0,
           "room camera")
    debrief = live.show_debrief(drill_id)
    assert debrief.video.view is not None  # the picture, not a line saying why there is none
    step("debrief")
    window.show_pdca()
    step("pdca")
    window.show_archive()                  # round the pages again: the stack does not grow
    window.show_quality()
    live.show_debrief(drill_id)
    window.show_portfolio()
    window.show_pdca()
    step("again")
    window.show_library()
    step("back home")
    print(json.dumps(steps))
    live.close()
    window.close()


if __name__ == "__main__":
    main()
