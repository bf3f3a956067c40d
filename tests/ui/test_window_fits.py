"""The main window fits a county hospital's 1366×768 laptop on every page, in 简体中文: the console
with a safety flag shown, a debrief with a video and the PDCA page never make it taller than
the screen leaves below a title bar, and the pages left are taken out of the stack (a stack is
as tall as its tallest page: 21 pages kept hidden once held every page 832 px tall).

The window runs in a process of its own (``window_fits_driver.py``) on an offscreen 1366×768
screen, as ``test_monitor_windows`` runs its screens. SIMTOOL_SHOTS=<folder> keeps a picture of
each step."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from simtool.ui.window import FRAME

from helpers.paths import ROOT

SCREEN_H = 768
ROOM = SCREEN_H - FRAME.height()   # what a 768-px screen leaves below the window's title bar


def test_every_page_fits_a_1366x768_screen_and_the_stack_does_not_grow(tmp_path):
    config = tmp_path / "screens.json"
    config.write_text('{"synchronousWindowSystemEvents": true, "screens": [{"name": "laptop", '
                      '"x": 0, "y": 0, "width": 1366, "height": %d, "logicalDpi": 96, '
                      '"logicalBaseDpi": 96, "dpr": 1}]}' % SCREEN_H)
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "ui" / "window_fits_driver.py"),
                           str(tmp_path / "a.sqlite")], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    steps = {s["step"]: s for s in json.loads(proc.stdout.strip().splitlines()[-1])}
    assert list(steps) == ["library", "console", "end", "debrief", "pdca", "again", "back home"]
    for name, s in steps.items():
        assert s["min_height"] <= ROOM, (name, s)       # it can be made to fit, title bar and all
        assert s["height"] <= ROOM, (name, s)           # ... and it was never made taller
    assert [steps[n]["page"] for n in ("console", "debrief", "pdca")] == \
        ["ConsoleView", "DebriefView", "PdcaView"]
    # the library and the results, and the page shown: the drill's pages went when it ended
    for name in ("end", "debrief", "pdca", "again"):
        assert steps[name]["pages"] == 3 and steps[name]["flow_pages"] == 1, (name, steps[name])
    assert steps["back home"]["pages"] == 2 and steps["back home"]["flow_pages"] == 0


def test_a_page_left_with_typed_work_is_kept_and_shown_again(qtbot, tmp_path):
    """What was typed is never lost to the pruning: a real case half-entered stays (and is
    the page "Real case…" shows again), as does a station sitting whose sheet is not signed;
    a page left with nothing in it is deleted."""
    from simtool.store import Examiner, Trainee
    from simtool.ui.cases import RealCaseView
    from simtool.ui.pdca import PdcaView
    from simtool.ui.window import MainWindow

    window = MainWindow(ROOT / "scenarios", archive_path=tmp_path / "a.sqlite", lang="en")
    qtbot.addWidget(window)
    try:
        window.live.archive.add_trainee(Trainee("Li Na", "S100"))
        window.live.archive.add_examiner(Examiner("Wang Fang", "E1"))
        stations = window.show_stations()
        stations.choose("S100", "E1")
        assert stations.start() is not None                # the station clock runs
        cases = window.show_cases()
        assert window.show_stations() is stations and stations.phase in ("reading", "station")
        stations.finish()                                  # its sheet is still to sign
        cases = window.show_cases()
        cases.case_ref.setText("PPH-2025-014")
        pdca = window.show_pdca()
        assert window.live.pages == [stations, cases, pdca]
        assert window.show_cases() is cases and cases.case_ref.text() == "PPH-2025-014"
        assert window.live.pages == [stations, cases]     # the PDCA page held nothing: gone
        cases.case_ref.clear()
        assert isinstance(window.show_pdca(), PdcaView)
        assert not any(isinstance(p, RealCaseView) for p in window.live.pages)
    finally:
        window.live.close()
