"""The debrief as a replay (review findings): the monitor tab's clock and its NIBP time follow
the slider; the monitor's live-only controls (measure the NIBP now, silence, "sound off") are
not there; "Next flag" is switched off, and says why, on a drill without flags; the vitals
strip gives each number its unit; a safety threat's root cause is read whole."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics, QKeySequence, QShortcut

from simtool.app.quality import record_threat
from simtool.cli import main
from simtool.store import Archive

ROOT = Path(__file__).resolve().parents[2]
PPH = ROOT / "scenarios" / "pph_uterine_atony.yaml"
CLEAN = """duration_s: 600
participants:
  - {id: t1, name: Zhao Min, role: midwife}
actions:
  - {t: 60, action: uterine_massage, by: midwife}
  - {t: 101, action: call_for_help, by: midwife}
"""
FLAGGED = CLEAN + "  - {t: 200, action: oxytocin, dose: 100, unit: IU, route: IM, by: midwife}\n"
ROOT_CAUSE = ("No laminated card with the massive transfusion protocol's phone number at the "
              "bedside, and the number changed in March without anyone telling the ward")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str, str]:
    """A drill without a flag (a threat recorded in its debrief) and one with flags."""
    d = tmp_path_factory.mktemp("replay")
    db = d / "archive.sqlite"
    ids: list[str] = []
    for name, text in (("clean", CLEAN), ("flagged", FLAGGED)):
        (d / f"{name}.yaml").write_text(text)
        assert main(["run", str(PPH), "--script", str(d / f"{name}.yaml"),
                     "--archive", str(db)]) == 0
        with Archive.open(db, create=False) as a:
            ids.append(next(i.id for i in a.drills() if i.id not in ids))
    with Archive.open(db, create=False) as a:
        record_threat(a, ids[0], found="Midwife did not know the massive transfusion protocol "
                      "phone number", category="communication", likelihood=3, severity=5,
                      root_cause=ROOT_CAUSE)
    return db, ids[0], ids[1]


@pytest.fixture()
def open_view(qtbot, built):
    from simtool.ui.archiveviews.debrief import DebriefView
    db = built[0]
    archive = Archive.open(db, create=False)
    views = []

    def make(did: str) -> DebriefView:
        v = DebriefView(archive, did)
        qtbot.addWidget(v)
        v.resize(1366, 768)
        v.show()
        views.append(v)
        return v
    yield make
    for v in views:
        v.video.stop()
        v.close()
    archive.close()


def test_the_monitor_tabs_clock_and_nibp_follow_the_slider(open_view, built):
    v = open_view(built[1])
    v.tabs.setCurrentWidget(v.monitor)
    v.slider.setValue(400)
    assert v.monitor.clock_label.text() == "06:40"
    nibp = v.monitor.blocks["nibp"]
    at = v.record.at(400).vitals()
    assert nibp.value_text == f"{at.sbp}/{at.dbp}"
    assert nibp.sub_text == f"({at.map})   at 06:40 · every 3 min"
    v.set_moment(125)
    assert v.monitor.clock_label.text() == "02:05" and "at 02:05" in nibp.sub_text


def test_the_monitor_shows_no_live_only_controls(open_view, built):
    v = open_view(built[1])
    v.tabs.setCurrentWidget(v.monitor)
    m = v.monitor
    assert m.isVisible()
    for control in (m.nibp_button, m.silence_button, m.sound_label):
        assert not control.isVisible(), control.text()
    # nor their keys, and a replay sounds no alarm tone
    live = [s for s in m.findChildren(QShortcut)
            if s.key() in (QKeySequence(Qt.Key.Key_N), QKeySequence(Qt.Key.Key_S))]
    assert len(live) == 2 and not any(s.isEnabled() for s in live)
    assert not m.sound.available


def test_next_flag_is_off_without_flags_and_says_why(open_view, built):
    clean, flagged = open_view(built[1]), open_view(built[2])
    assert not clean.flag_times and not clean.next_flag_button.isEnabled()
    assert clean.next_flag_button.toolTip() == "No flags were raised in this drill."
    assert flagged.flag_times and flagged.next_flag_button.isEnabled()


def test_every_vital_in_the_strip_has_its_unit(open_view, built):
    v = open_view(built[2])
    v.set_moment(300)
    at = v.record.at(300)
    vit = at.vitals()
    shown = {k: re.sub("<[^>]+>", "", label.text()) for k, label in v.vital_labels.items()}
    assert shown["hr"] == f"{vit.hr} /min"
    assert shown["bp"] == f"{vit.sbp}/{vit.dbp} mmHg"
    assert shown["rr"] == f"{vit.rr} /min"
    assert shown["etco2"] == f"{vit.etco2} mmHg"
    assert shown["spo2"] == f"{vit.spo2} %"
    assert shown["temp"].endswith(" °C") and shown["loss"].endswith(" mL")


def test_a_threats_root_cause_is_read_whole(qtbot, open_view, built):
    v = open_view(built[1])
    v.tabs.setCurrentWidget(v.threats)
    table = v.threats.table
    qtbot.waitUntil(lambda: table.isVisible())
    assert table.item(0, 4).text() == ROOT_CAUSE
    for col in (3, 4):   # what was found, and why: wrapped in rows as tall as their text
        text = table.item(0, col).text()
        width = table.columnWidth(col) - 8   # the cell's margins
        assert width > 80, (col, table.columnWidth(col))
        need = QFontMetrics(table.font()).boundingRect(
            QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, text).height()
        assert table.rowHeight(0) >= need, (col, table.rowHeight(0), need)
