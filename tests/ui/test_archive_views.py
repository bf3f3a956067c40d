"""Archive views: browser, debrief replay, scoring panel, end of drill, exports via the worker."""

from __future__ import annotations

import contextlib

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QComboBox, QMessageBox

from simtool.cli import main as cli_main
from simtool.core import assess
from simtool.core.drill import Drill
from simtool.core.events import INPUT_KINDS
from simtool.core.rubric import load_rubric
from simtool.store import Archive
from simtool.ui.archiveviews import (
    ArchiveBrowser, DebriefView, EndOfDrillView, ScoringPanel, interrupted_drills,
    run_in_background,
)
from simtool.ui.display import status_text
from simtool.ui.archiveviews.scoring import COL_EVIDENCE, COL_MARK

from helpers.marking import complete

ROOT = Path(__file__).resolve().parents[2]
PPH = ROOT / "scenarios" / "pph_uterine_atony.yaml"
LATE = ROOT / "tests" / "scripts" / "pph_uterine_atony" / "late_care.yaml"
RUBRIC = ROOT / "rubrics" / "pph_uterine_atony_technical.yaml"

# a simtool that starts a drill, logs two actions and exits: its drill is interrupted
CRASHED = textwrap.dedent("""
    import sys
    from simtool.core.scenario import load_scenario
    from simtool.core.drill import Drill, Participant, PatientParams
    from simtool.store import Archive
    loaded = load_scenario(sys.argv[2])
    people = [Participant("t1", "Wang Fang", "midwife")]
    with Archive.open(sys.argv[1]) as archive:
        did = archive.start_drill(loaded, PatientParams(70.0), people, "summative")
        drill = Drill(loaded, PatientParams(70.0), people)
        archive.record(did, drill)
        drill.tick(120)
        drill.act("uterine_massage", by="t1")
        drill.tick(60)
        drill.act("call_for_help", by="t1")
    print(did)
""")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    db = tmp_path_factory.mktemp("archive") / "archive.sqlite"
    assert cli_main(["run", str(PPH), "--script", str(LATE), "--archive", str(db)]) == 0
    out = subprocess.run([sys.executable, "-c", CRASHED, str(db), str(PPH)], check=True,
                         capture_output=True, text=True, cwd=ROOT)
    crashed = out.stdout.strip()
    with Archive.open(db) as archive:
        ended = next(d.id for d in archive.drills() if d.id != crashed)
    return {"db": db, "ended": ended, "crashed": crashed}


@pytest.fixture
def archive(built):
    a = Archive.open(built["db"])
    yield a
    QThreadPool.globalInstance().waitForDone()
    a.close()


@pytest.fixture
def fresh(tmp_path, built):
    """A private copy of the archive, for tests that sign sheets."""
    import shutil
    db = tmp_path / "copy.sqlite"
    shutil.copy(built["db"], db)
    a = Archive.open(db)
    yield a
    QThreadPool.globalInstance().waitForDone()
    a.close()


def shot(widget, name: str) -> None:
    widget.resize(1200, 800)
    widget.show()
    widget.grab().save(f"/tmp/archive_{name}.png")


# --- browser ---------------------------------------------------------------------------------

def test_interrupted_drills_lists_the_crashed_one(archive, built):
    assert [d.id for d in interrupted_drills(archive)] == [built["crashed"]]


def test_browser_lists_filters_and_emits(qtbot, archive, built):
    b = ArchiveBrowser(archive, {"pph_uterine_atony": "PPH — uterine atony"})
    qtbot.addWidget(b)
    assert set(b.shown_ids()) == {built["ended"], built["crashed"]}
    assert b.table.columnCount() == 5
    shot(b, "browser")

    b.status.setCurrentIndex(b.status.findData("interrupted"))
    assert b.shown_ids() == [built["crashed"]]
    assert b.resume_button.isEnabled()
    with qtbot.waitSignal(b.resume_requested) as sig:
        b.resume_button.click()
    assert sig.args == [built["crashed"]]

    b.status.setCurrentIndex(b.status.findData("ended"))
    assert b.shown_ids() == [built["ended"]]
    assert not b.resume_button.isEnabled()
    with qtbot.waitSignal(b.open_requested) as sig:
        b.open_button.click()
    assert sig.args == [built["ended"]]

    b.status.setCurrentIndex(0)
    b.search.setText("zhao min")
    assert b.shown_ids() == [built["ended"]]
    b.search.setText("summative")
    assert b.shown_ids() == [built["crashed"]]
    b.search.setText("")
    b.trainee.setText("Wang")
    assert b.shown_ids() == [built["crashed"]]
    b.trainee.setText("")
    b.dates.use_from.setChecked(True)
    b.dates.date_from.setDate(b.dates.date_from.date().addYears(5))
    assert b.shown_ids() == []
    assert b.count.text().startswith("0 of 2")


def test_browser_double_click_opens(qtbot, archive, built):
    b = ArchiveBrowser(archive)
    qtbot.addWidget(b)
    b.select(built["ended"])
    row = b.shown_ids().index(built["ended"])
    with qtbot.waitSignal(b.open_requested) as sig:
        b.table.cellDoubleClicked.emit(row, 1)
    assert sig.args == [built["ended"]]


# --- debrief -----------------------------------------------------------------------------------

def test_debrief_slider_shows_that_moment(qtbot, archive, built):
    v = DebriefView(archive, built["ended"])
    qtbot.addWidget(v)
    assert v.slider.maximum() == 3600
    v.slider.setValue(1800)
    qtbot.waitUntil(lambda: v.moment == 1800)

    info = archive.drill(built["ended"])
    loaded = archive.loaded(info.id)
    inputs = [e for e in archive.events(info.id) if e.kind in INPUT_KINDS and e.t <= 1800]
    at = Drill.replay(loaded, info.patient, info.core_participants, inputs, until=1800)
    # the number, with its unit beside it in smaller type
    assert re.sub("<[^>]+>", "", v.vital_labels["hr"].text()) == f"{at.vitals().hr} /min"
    assert v.time_label.text().startswith("30:00")
    # the highlighted timeline row is the last event at or before 30:00
    assert v._timeline_events[v.current_row].t <= 1800
    assert all(e.t > 1800 for e in v._timeline_events[v.current_row + 1:])
    # expected actions: at that moment, and final, as assess says
    now = {s.id: s.status for s in assess.all_expected(at, final=False)}
    assert v.statuses_now == now
    final = Drill.replay(loaded, info.patient, info.core_participants,
                         [e for e in archive.events(info.id) if e.kind in INPUT_KINDS])
    want = {s.id: s.status for s in assess.all_expected(final, final=True)}
    assert v.final_statuses() == want
    shown_final = {v.expected.item(r, 0).text(): v.expected.item(r, 2).text()
                   for r in range(v.expected.rowCount())}
    labels = {ex.id: ex.label.get("en") for ex in loaded.scenario.expected}
    assert shown_final == {labels[k]: status_text(s) for k, s in want.items()}
    shot(v, "debrief")
    v.tabs.setCurrentIndex(1)
    v.notes_edits["reactions"].setPlainText("Team felt rushed")
    assert v.notes()["reactions"] == "Team felt rushed"
    shot(v, "debrief_pearls")


def test_debrief_export_runs_in_the_worker(qtbot, archive, built, tmp_path):
    v = DebriefView(archive, built["ended"])
    qtbot.addWidget(v)
    out = tmp_path / "debrief.pdf"
    with qtbot.waitSignal(v.exports.finished, timeout=30000) as sig:
        assert v.exports.export_debrief(out)
        assert not v.exports.debrief_button.isEnabled()  # busy while the worker runs
    assert sig.args == [str(out)]
    qtbot.waitUntil(out.exists)
    assert out.read_bytes().startswith(b"%PDF")
    assert v.exports.debrief_button.isEnabled()
    assert "debrief.pdf" in v.exports.status.text()


def test_worker_delivers_failure_on_the_gui_thread(qtbot):
    from PySide6.QtCore import QThread
    seen: list = []

    def job() -> None:
        raise ValueError("boom")

    run_in_background(job, lambda r: seen.append(("ok", r)),
                      lambda e: seen.append((QThread.currentThread() is qtbot_app_thread(), e)))
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0][0] is True and str(seen[0][1]) == "boom"


def qtbot_app_thread():
    from PySide6.QtWidgets import QApplication
    return QApplication.instance().thread()


# --- scoring ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rubric():
    from simtool.core.scenario import load_scenario
    return load_rubric(RUBRIC, load_scenario(PPH))


def test_scoring_panel_marks_overrides_and_signs(qtbot, fresh, built, rubric, monkeypatch):
    p = ScoringPanel.from_archive(fresh, built["ended"], rubric)
    qtbot.addWidget(p)
    assert p.tabs.count() == 4  # three trainees and the team
    assert p.tabs.tabText(3) == "Team"
    t1 = p.tabs_by_key["t1"]
    row = t1.row_of["closed_loop"]
    assert "awaiting" in t1.table.item(row, 1).text()
    box = t1.table.cellWidget(row, COL_MARK)
    assert isinstance(box, QComboBox)
    box.setCurrentIndex(box.findData(True))      # ticked: done
    assert t1.table.item(row, 1).text() == "met"

    # an override with no reason is refused with the core's message; with one it is kept
    team = p.tabs_by_key["team"]
    r = team.row_of["help_called"]
    before = team.table.item(r, 1).text()
    dialog = p.open_override("team", "help_called")
    dialog.result_box.setCurrentIndex(dialog.result_box.findData("met"))
    dialog.reason_edit.setPlainText("   ")
    dialog.accept()
    assert dialog.isVisible() and dialog.error.isVisible()
    assert "reason" in dialog.error.text()
    assert team.table.item(r, 1).text() == before
    shot(p, "scoring_override")
    dialog.grab().save("/tmp/archive_override_dialog.png")
    dialog.reason_edit.setPlainText("Help was called by phone; the log missed it")
    dialog.accept()
    assert not dialog.isVisible()
    assert team.table.item(r, 1).text() == "met (overridden)"
    assert "Help was called by phone" in team.table.item(r, COL_EVIDENCE).text()

    team.grade.setCurrentIndex(team.grade.findData("borderline"))
    team.comment.setPlainText("Escalation came late.")
    # signing needs an examiner, and every rating the rubric requires
    assert p.sign("team") is None
    assert "examiner" in team.message.text()
    p.set_examiner("Dr Examiner")
    assert p.sign("team") is None
    assert "still to rate: Summarises the situation aloud" in team.message.text()
    complete(p, "team")
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(p.signed) as sig:
        team.sign_button.click()
    assert "Sign this sheet as Dr Examiner?" in asked[0] and "FAIL" in asked[0]
    sid = sig.args[0]
    sheets = {s.id: s for s in fresh.sheets(built["ended"], current_only=True)}
    stored = sheets[sid]
    assert stored.signed and stored.trainee_id is None
    item = next(i for i in stored.data["items"] if i["id"] == "help_called")
    assert item["status"] == "met" and item["override"]["reason"].startswith("Help was called")
    assert stored.data["global_grade"]["id"] == "borderline"
    assert fresh.examiner(stored.signed_by).name == "Dr Examiner"
    assert not team.sign_button.isEnabled() and not team.signed_label.isHidden()
    assert "Signed by Dr Examiner" in team.signed_label.text()
    p.tabs.setCurrentIndex(3)
    shot(p, "scoring_signed")

    # reopened from the archive, the signed sheet shows read-only
    again = ScoringPanel.from_archive(fresh, built["ended"], rubric)
    qtbot.addWidget(again)
    assert again.signed_sheet_id("team") == sid
    assert not again.tabs_by_key["team"].sign_button.isEnabled()
    assert again.tabs_by_key["t1"].sign_button.isEnabled()


def test_the_signed_at_line_reads_in_the_local_zone_with_its_offset(qtbot, fresh, built, rubric, monkeypatch):
    """Issue 16: a user in UTC+8 read the signature time in UTC. The archive keeps UTC; the
    scoring panel shows the local time with its offset."""
    from datetime import datetime, timezone

    from helpers.timeforms import old_time_forms
    signing = Archive.open(fresh.path, clock=lambda: datetime(2026, 11, 30, 4, 47, 30, tzinfo=timezone.utc))
    try:
        p = ScoringPanel.from_archive(signing, built["ended"], rubric)
        qtbot.addWidget(p)
        p.set_examiner("Dr Wu")
        complete(p, "team")
        sid = p.sign("team")
        assert sid is not None and signing.sheet(sid).signed_at.startswith("2026-11-30T04:47:30")
        assert " at 2026-11-30 04:47 (UTC+00:00) · record " in p.tabs_by_key["team"].signed_label.text()
    finally:
        signing.close()
    monkeypatch.setenv("SIMTOOL_TZ", "Asia/Shanghai")
    again = ScoringPanel.from_archive(fresh, built["ended"], rubric)
    qtbot.addWidget(again)
    label = again.tabs_by_key["team"].signed_label.text()
    assert label.startswith("Signed by Dr Wu at 2026-11-30 12:47 (UTC+08:00) · record "), label
    assert old_time_forms(label) == [] and "UTC ·" not in label


def test_a_sign_that_fails_part_way_leaves_no_stray_sheet(qtbot, fresh, built, rubric):
    """The disk fails as the sign-off is written: the tab says it is not signed, the archive
    holds no new sheet (the sheet, its examiner and the sign-off are one transaction), and a
    second try once the disk is back signs it."""
    import sqlite3
    before = len(fresh.sheets(built["ended"]))
    with contextlib.closing(sqlite3.connect(fresh.path, isolation_level=None)) as c:
        c.execute("CREATE TRIGGER fail_here BEFORE INSERT ON signoffs "
                  "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")
    p = ScoringPanel.from_archive(fresh, built["ended"], rubric)
    qtbot.addWidget(p)
    team = p.tabs_by_key["team"]
    p.set_examiner("Dr Examiner")
    complete(p, "team")
    with qtbot.capture_exceptions() as errors:
        assert p.sign("team") is None
    assert len(errors) == 1 and "disk I/O error" in str(errors[0][1])
    assert "Not signed: disk I/O error" in team.message.text()
    # the examiner's marks are kept (their draft), unsigned; nothing else was written
    sheets = fresh.sheets(built["ended"])
    assert len(sheets) == before + 1 and not sheets[-1].signed and team.sign_button.isEnabled()
    with contextlib.closing(sqlite3.connect(fresh.path, isolation_level=None)) as c:
        c.execute("DROP TRIGGER fail_here")
    sid = p.sign("team")
    assert sid is not None and [s.id for s in fresh.sheets(built["ended"])][before:] == [sid]


def test_scoring_panel_live_refresh(qtbot, rubric, pph):
    from simtool.core.drill import Participant
    drill = Drill(pph, None, [Participant("t1", "Li Na", "midwife")])
    p = ScoringPanel(rubric, drill)
    qtbot.addWidget(p)
    team = p.tabs_by_key["team"]
    r = team.row_of["help_called"]
    assert team.table.item(r, 1).text() == "not applicable"
    drill.tick(800)
    drill.act("call_for_help", by="t1")
    p.refresh()
    assert team.table.item(r, 1).text() == "met"
    assert p.sign("team") is None  # no examiner name, and no archive


# --- end of drill ------------------------------------------------------------------------------

def test_end_of_drill_summary_score_and_export(qtbot, fresh, built, rubric, tmp_path):
    v = EndOfDrillView(fresh, built["ended"], rubric)
    qtbot.addWidget(v)
    assert v.outcome.text() == "Stabilised"
    assert "1751 mL" in v.facts.text()
    # with magnesium and its antidote (pre-eclampsia only), the blood-product and laboratory
    # rules, the MDT's activation, CPR and uterine displacement (issue 18)
    assert v.expected.rowCount() == 14
    assert v.expected.item(0, 1).text() == "late"
    shot(v, "end_of_drill")
    panel = v.open_scoring()
    assert panel is not None and panel.isVisible()
    with qtbot.waitSignal(v.debrief_requested) as sig:
        v.debrief_button.click()
    assert sig.args == [built["ended"]]

    panel.set_examiner("Dr A")
    complete(panel, "team")
    sid = panel.sign("team")
    assert sid is not None
    out = tmp_path / "sheet.pdf"
    with qtbot.waitSignal(v.exports.finished, timeout=30000):
        v.exports.export_score_sheet(out)
    qtbot.waitUntil(out.exists)
    assert out.read_bytes().startswith(b"%PDF")


def test_export_failure_goes_to_the_error_channel(qtbot, archive, built, tmp_path):
    v = EndOfDrillView(archive, built["crashed"])
    qtbot.addWidget(v)
    assert not v.score_button.isEnabled()
    with qtbot.capture_exceptions() as errors:
        with qtbot.waitSignal(v.exports.failed, timeout=30000) as sig:
            v.exports.export_score_sheet(tmp_path / "none.pdf")
    assert "no score sheets" in sig.args[0]
    assert len(errors) == 1
    assert "Export failed" in v.exports.status.text()
    assert not (tmp_path / "none.pdf").exists()


def test_browser_exports_the_selected_drill_off_the_gui_thread(qtbot, archive, built, tmp_path):
    b = ArchiveBrowser(archive)
    qtbot.addWidget(b)
    b.table.clearSelection()
    assert not b.exports.isEnabled()  # nothing selected: nothing to export
    assert b.select(built["ended"])
    assert b.exports.isEnabled() and b.exports.drill_id == built["ended"]
    out = tmp_path / "debrief.pdf"
    with qtbot.waitSignal(b.exports.finished, timeout=30000):
        assert b.exports.export_debrief(out)
    assert out.read_bytes().startswith(b"%PDF")
