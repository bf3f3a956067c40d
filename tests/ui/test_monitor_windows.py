"""The trainees' monitor as the instructor manages it from the console: on a second screen
full-screen; on one screen beside the console and never over it; shown, hidden, sent to the
other screen, blanked; the blood-loss drape shown and hidden (both logged, both restored on
resume); and alarms as a banner across the top in the IEC 60601-1-8 priority colours."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace

import pytest

from simtool.app.corrections import effective_log
from simtool.core.drill import Drill, DrillError, Participant, PatientParams
from simtool.core.physiology import Vitals
from simtool.reports.debriefdata import build_debrief
from simtool.store import Archive
from simtool.ui.console.console import ConsoleView
from simtool.ui.monitor import PatientMonitor
from simtool.ui.monitor.alarms import HIGH, LOW, MEDIUM, NONE
from simtool.ui.monitor.placement import (MIN_CONSOLE, MIN_MONITOR_NARROW, overlaps,
                                          place_beside)
from simtool.ui.session import DrillSession

from helpers.paths import ROOT

TEAM = [Participant("t1", "Zhao Min", "midwife"), Participant("t2", "Sun Lei", "obstetrician"),
        Participant("t3", "Zhou Yan", "anaesthetist")]
NORMAL = Vitals(hr=82, sbp=118, dbp=72, map=87, spo2=98, rr=16, etco2=36, temp_c=36.8,
                shock_index=0.69, rhythm="sinus")


# --- where the monitor goes on one screen ------------------------------------------------------
@pytest.mark.parametrize("available, console", [
    ((0, 0, 1366, 728), (0, 0, 1366, 728)),     # a laptop, the console maximised
    ((0, 0, 1366, 728), (43, 0, 1280, 728)),    # ... at its default size, centred
    ((0, 0, 1280, 800), (0, 0, 1280, 800)),
    ((0, 0, 1920, 1040), (320, 120, 1280, 800)),
    ((0, 0, 1920, 1040), (0, 0, 1920, 1040)),
    ((100, 50, 1600, 900), (100, 50, 1600, 900)),   # a screen not at the origin
])
def test_on_one_screen_the_monitor_never_covers_the_console(available, console):
    spot = place_beside(available, console)
    assert not spot.behind
    now = spot.console or console
    assert not overlaps(spot.monitor, now)
    ax, ay, aw, ah = available
    for x, y, w, h in (spot.monitor, now):          # both whole on the screen
        assert ax <= x and ay <= y and x + w <= ax + aw and y + h <= ay + ah + 0 or (x, y, w, h) == console
    assert spot.monitor[2] >= MIN_MONITOR_NARROW
    if spot.console is not None:                     # the console gave room, but stays usable
        assert spot.console[2] >= MIN_CONSOLE


def test_free_room_beside_the_console_is_used_and_the_console_left_as_it_is():
    spot = place_beside((0, 0, 1920, 1040), (0, 0, 1280, 800))
    assert spot.console is None and spot.monitor == (1280, 0, 640, 1040)
    below = place_beside((0, 0, 1366, 1040), (0, 0, 1366, 600))
    assert below.console is None and below.monitor == (0, 600, 1366, 440)


def test_a_screen_too_small_for_both_keeps_the_console_whole_and_the_monitor_behind():
    spot = place_beside((0, 0, 1024, 600), (0, 0, 1024, 600))
    assert spot.behind and spot.console is None


# --- the real window, offscreen, with one screen and with two ---------------------------------
SCREEN = '{{"name":"{name}","x":{x},"y":0,"width":{w},"height":{h},"logicalDpi":96,"logicalBaseDpi":96,"dpr":1}}'


def drive(tmp_path, screens):
    config = tmp_path / "screens.json"
    config.write_text('{"synchronousWindowSystemEvents": true, "screens": [%s]}' % ",".join(
        SCREEN.format(name=n, x=x, w=w, h=h) for n, x, w, h in screens))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "ui" / "screens_driver.py"),
                           str(tmp_path / "a.sqlite")], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_one_laptop_screen_puts_the_monitor_beside_the_console(tmp_path):
    out = drive(tmp_path, [("laptop", 0, 1366, 768)])
    assert out["monitor_visible"] and not out["monitor_fullscreen"] and not out["behind"]
    assert not overlaps(tuple(out["monitor"]), tuple(out["console"]))
    x, y, w, h = out["monitor"]
    assert x + w <= 1366 and y + h <= 768 and w >= MIN_MONITOR_NARROW
    assert out["console"][2] >= MIN_CONSOLE
    assert out["button_checked"] and not out["screen_button_enabled"]
    # hidden and shown again from the console, in the same place
    assert not out["after_hide_visible"] and out["after_show_visible"]
    assert out["after_show"] == out["monitor"]
    assert out["button_after_close"] is False    # closed by hand: the console's button follows


def test_two_screens_put_the_monitor_full_screen_on_the_other_one(tmp_path):
    out = drive(tmp_path, [("laptop", 0, 1366, 768), ("projector", 1366, 1920, 1080)])
    assert out["console_screen"] == "laptop"
    assert out["monitor_screen"] == "projector" and out["monitor_fullscreen"]
    assert out["screen_button_enabled"]
    assert out["sent_screen"] == "projector" and out["sent_fullscreen"]   # back after a close


# --- blank and drape: shown on the monitor, logged, restored ----------------------------------
@pytest.fixture()
def live(qtbot, pph, tmp_path):
    archive = Archive.open(tmp_path / "a.sqlite")
    session = DrillSession(pph, PatientParams(65), TEAM, archive)
    console = ConsoleView(session)
    monitor = PatientMonitor(session)
    for w in (console, monitor):
        qtbot.addWidget(w)
        w.show()
    yield session, console, monitor
    archive.close()


def display_events(session):
    return [(e.value("show"), e.value("on"), e.t)
            for e in session.archive.events(session.drill_id) if e.kind == "display"]


def test_the_drape_and_the_blank_screen_follow_the_console_and_are_logged(qtbot, live):
    session, console, monitor = live
    assert not monitor.blood_loss_visible() and not monitor.is_blank()
    session.advance(90)
    console.drape_button.click()
    assert monitor.blood_loss_visible() and console.drape_button.isChecked()
    session.advance(30)
    console.blank_button.click()
    assert monitor.is_blank() and monitor.blank_cover.geometry() == monitor.rect()
    session.advance(10)
    console.blank_button.click()
    console.drape_button.click()
    assert not monitor.is_blank() and not monitor.blood_loss_visible()
    assert display_events(session) == [("drape", 1, 90.0), ("blank", 1, 120.0),
                                       ("blank", 0, 130.0), ("drape", 0, 130.0)]
    # in the console's log, newest first, and in the debrief's timeline
    shown = [console.log.what(e) for e in console.log.entries if e.kind == "display"]
    assert shown == ["Blood-loss drape hidden", "Monitor shown again", "Monitor blanked",
                     "Blood-loss drape shown"]
    texts = [r.text for r in build_debrief(session.archive, session.drill_id).timeline]
    assert "blood-loss drape shown to the team" in texts and "monitor blanked" in texts
    assert [e.to_dict()["display"] for e in effective_log(session.drill) if e.kind == "display"][0] \
        == {"show": "drape", "on": True}


def test_a_resumed_drill_shows_the_drape_it_was_showing(qtbot, live, pph):
    session, console, monitor = live
    session.advance(60)
    console.drape_button.click()
    session.advance(60)
    rebuilt = session.archive.resume(session.drill_id, pph)
    assert rebuilt.shown == {"drape": True, "blank": False}
    again = DrillSession(pph, PatientParams(65), TEAM, session.archive, drill=rebuilt,
                         drill_id=session.drill_id)
    m2, c2 = PatientMonitor(again), ConsoleView(again)
    qtbot.addWidget(m2)
    qtbot.addWidget(c2)
    assert m2.blood_loss_visible() and c2.drape_button.isChecked()


def test_display_inputs_replay_and_refuse_what_is_not_a_display(pph):
    drill = Drill(pph, PatientParams(65), TEAM)
    drill.advance_to(30)
    first = drill.display("drape", True)
    assert first is not None and first.iid is not None
    assert drill.display("drape", True) is None          # already shown: nothing logged
    with pytest.raises(DrillError, match="unknown display 'confetti'"):
        drill.display("confetti", True)
    drill.end()
    assert drill.display("drape", False) is None          # an ended drill changes nothing
    replayed = Drill.replay(pph, PatientParams(65), TEAM,
                            [e for e in drill.events if e.iid is not None])
    assert replayed.shown["drape"] and [e.kind for e in replayed.events] == [e.kind for e in drill.events]


def test_ended_console_cannot_change_what_the_trainees_see(qtbot, live):
    session, console, _monitor = live
    session.end()
    assert not console.drape_button.isEnabled() and not console.blank_button.isEnabled()


# --- alarms as a banner -------------------------------------------------------------------------
@pytest.mark.parametrize("vitals, priority, colour", [
    (replace(NORMAL, spo2=80), HIGH, "#ff2a2a"),       # red: high
    (replace(NORMAL, hr=130), MEDIUM, "#ffd400"),      # yellow: medium
    (replace(NORMAL, temp_c=35.2), LOW, "#00e5ff"),    # cyan: low
    (NORMAL, NONE, "#000000"),
])
def test_alarms_show_as_a_banner_in_the_priority_colour(qtbot, vitals, priority, colour):
    m = PatientMonitor()
    qtbot.addWidget(m)
    m.resize(1366, 768)
    m.show()
    m.show_vitals(vitals, 300.0, t=60.0)
    assert m.banner_priority() == priority
    assert f"background: {colour}" in m.alarm_banner.styleSheet()
    if priority:
        assert m.alarm_banner.text().startswith({HIGH: "!!!", MEDIUM: "!!", LOW: "!"}[priority])
        px = int(m.alarm_banner.styleSheet().split("font-size: ")[1].split("px")[0])
        assert px >= 25       # readable across the room on a 768-px screen
    else:
        assert m.alarm_banner.text() == ""


def test_a_narrow_monitor_shrinks_the_banner_text_rather_than_cutting_it(qtbot):
    m = PatientMonitor()
    qtbot.addWidget(m)
    m.resize(410, 728)
    m.show()
    m.show_vitals(replace(NORMAL, hr=135, rr=34, spo2=84), 300.0, t=60.0)
    qtbot.wait(10)
    from PySide6.QtGui import QFont, QFontMetrics
    font = QFont(m.alarm_banner.font())
    font.setBold(True)
    font.setPixelSize(int(m.alarm_banner.styleSheet().split("font-size: ")[1].split("px")[0]))
    text = m.alarm_banner.text()
    assert QFontMetrics(font).horizontalAdvance(text) <= m.alarm_banner.width()
    assert text.startswith("!!! SpO₂ low")                 # the highest priority first, whole
    assert text.endswith(("+1", "+2")) or "RR high" in text  # the rest counted, not cut
    assert m.alarm_banner.toolTip().splitlines() == ["!!! SpO₂ low", "!! HR high", "!! RR high"]
    m.resize(1366, 768)                                     # room again: every alarm, large
    qtbot.wait(10)
    assert "+" not in m.alarm_banner.text() and "RR high" in m.alarm_banner.text()
