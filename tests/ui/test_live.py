"""A whole live drill through the main window, offscreen: setup → prebrief → log actions by
click and by keyboard → a flag appears → pause/resume → end → score → sign; then what the
archive holds. And the start-up offer to resume an interrupted drill."""

from __future__ import annotations

import subprocess
import sys

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from simtool.store import Archive
from simtool.ui.app import build_window
from simtool.ui.archiveviews import EndOfDrillView, ScoringPanel
from simtool.ui.console import ConsoleView, PrebriefView, SetupForm

from helpers.marking import complete
from helpers.paths import PPH, ROOT, SCENARIOS


def test_a_whole_drill_from_setup_to_a_signed_sheet(qtbot, tmp_path, monkeypatch):
    db = tmp_path / "drills.sqlite"
    window = build_window(SCENARIOS, db)
    window.library.finish_check()  # checked in the background
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.library.select_path(PPH)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)

    setup = window.start_live_drill()
    assert isinstance(setup, SetupForm)
    setup.set_participant(0, "Li Na", "S001", "midwife")
    setup.set_participant(1, "Wang Fang", "S002", "obstetrician")
    setup.set_participant(2, "Chen Jie", "S003", "anaesthetist")
    setup.conditions["asthma"].setChecked(True)
    setup.submit()
    prebrief = window.stack.currentWidget()
    assert isinstance(prebrief, PrebriefView)
    prebrief.start_button.click()
    console = window.stack.currentWidget()
    assert isinstance(console, ConsoleView)
    session = window.live.session
    assert session is not None and session.running
    session.stop_clock()  # the test moves time itself

    session.advance(760)
    console.set_actor("p1")  # the midwife
    console.palette.buttons["call_for_help"].click()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    console.pause_button.setFocus()
    console.set_actor("p1")  # one action at a time: the midwife again
    qtbot.keyClick(console.pause_button, "m")  # uterine massage has the shortcut M
    session.advance(30)
    console.set_actor("p2")  # the obstetrician
    console.log_action("carboprost")
    console.dose_dialog.accept()  # pre-filled 250 µg
    assert console.flag_list.count() == 1  # asthma: flagged, not blocked
    console.pause_button.click()
    t = session.t
    session.advance(60)
    assert session.t == t
    console.pause_button.click()
    session.advance(60)
    console.end_button.click()  # confirmed (QMessageBox.question patched)

    end = window.stack.currentWidget()
    assert isinstance(end, EndOfDrillView)
    panel = window.live.show_scoring(session.drill_id)
    assert isinstance(panel, ScoringPanel)
    panel.set_examiner("Dr Zhou")
    complete(panel, "team")
    sheet_id = panel.sign("team")
    assert sheet_id is not None
    with Archive.open(db, create=False) as archive:
        info = archive.drill(session.drill_id)
        assert info.status == "signed"  # ended, and every current sheet is signed
        actions = [e for e in archive.events(session.drill_id) if e.kind == "action"]
        assert [(e.action, e.role) for e in actions] == [
            ("call_for_help", "midwife"), ("uterine_massage", "midwife"), ("carboprost", "obstetrician")]
        assert any(e.kind == "flag" and e.rule == "contraindication" for e in archive.events(session.drill_id))
        assert archive.sheet(sheet_id).signed
    window.close()


def _crash_a_drill(db, play: str) -> None:
    """Another simtool starts a PPH drill in ``db``, plays ``play`` (Python on the drill ``d``)
    and exits without ending it: the drill is interrupted."""
    code = (
        "from simtool.core.drill import Drill, Participant, PatientParams\n"
        "from simtool.core.scenario import load_scenario\n"
        "from simtool.store import Archive\n"
        f"loaded = load_scenario({str(PPH)!r})\n"
        "people = [Participant('t1', 'Li Na', 'midwife')]\n"
        f"a = Archive.open({str(db)!r})\n"
        "d = Drill(loaded, PatientParams(65), people)\n"
        "i = a.start_drill(loaded, d.patient, people)\n"
        "a.record(i, d)\n"
        f"{play}\n"
        "a.close()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_an_interrupted_drill_is_offered_for_resumption_at_start_up(qtbot, tmp_path, monkeypatch):
    db = tmp_path / "drills.sqlite"
    _crash_a_drill(db, "d.tick(100); d.act('call_for_help', by='t1'); d.tick(20)")
    window = build_window(SCENARIOS, db)
    window.library.finish_check()  # checked in the background
    qtbot.addWidget(window)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    drill_id = window.live.offer_resume(window)
    assert drill_id is not None
    session = window.live.session
    assert session.drill_id == drill_id and session.t >= 100
    assert [e.action for e in session.drill.actions_done()] == ["call_for_help"]
    assert isinstance(window.stack.currentWidget(), ConsoleView)
    window.close()


@pytest.mark.parametrize(("window_lang", "txa"), [("en", "Tranexamic acid"), ("zh_CN", "氨甲环酸")])
def test_a_drill_that_raised_a_flag_resumes_after_a_crash_and_reads_in_the_windows_language(
        qtbot, tmp_path, monkeypatch, window_lang, txa):
    """Issue 24's case: a PPH drill, tranexamic acid 2 g (flagged), the simtool dies; the window
    offers the drill and carries on with it; its flags read in the window's language (the
    record holds them as codes and numbers)."""
    db = tmp_path / "drills.sqlite"
    _crash_a_drill(db, "d.tick(100); d.act('tranexamic_acid', by='t1', dose=2, unit='g', route='IV'); "
                       "d.tick(20); assert [e for e in d.events if e.kind == 'flag']")
    window = build_window(SCENARIOS, db)
    window.library.finish_check()  # checked in the background
    qtbot.addWidget(window)
    window.set_language(window_lang)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    drill_id = window.live.offer_resume(window)
    assert drill_id is not None
    session = window.live.session
    assert session.drill_id == drill_id and session.t >= 100
    console = window.stack.currentWidget()
    assert isinstance(console, ConsoleView)
    session.act("tranexamic_acid", by="t1", dose=2, unit="g", route="IV")
    shown = [console.flag_list.item(i).text() for i in range(console.flag_list.count())]
    assert shown and all(txa in line for line in shown), shown
    with Archive.open(db) as a:
        flags = [e for e in a.events(drill_id) if e.kind == "flag"]
    assert len(flags) > 2 and all(e.text is None and e.values for e in flags)
    window.close()


def test_quality_and_portfolio_open_from_the_window_and_lead_to_the_debrief(qtbot, tmp_path):
    from simtool.cli import main
    from simtool.ui.archiveviews import DebriefView
    from simtool.ui.dashboard import QualityDashboard
    from simtool.ui.portfolio import TraineePortfolio
    db = tmp_path / "drills.sqlite"
    assert main(["run", str(PPH), "--script", str(ROOT / "tests" / "scripts" / "pph_uterine_atony" / "late_care.yaml"),
                 "--archive", str(db)]) == 0
    window = build_window(SCENARIOS, db)
    window.library.finish_check()  # checked in the background
    qtbot.addWidget(window)
    dash = window.show_quality()
    assert isinstance(dash, QualityDashboard) and dash.missed
    dash.open_drill.emit(dash.missed[0].drill_id)
    assert isinstance(window.stack.currentWidget(), DebriefView)
    assert isinstance(window.show_portfolio(), TraineePortfolio)
    window.close()


def test_the_archive_lists_drills_by_their_scenario_title(qtbot, tmp_path):
    from simtool.cli import main
    db = tmp_path / "drills.sqlite"
    assert main(["run", str(PPH), "--script", str(ROOT / "tests" / "scripts" / "pph_uterine_atony" / "good_care.yaml"),
                 "--archive", str(db)]) == 0
    window = build_window(SCENARIOS, db)
    window.library.finish_check()  # checked in the background
    qtbot.addWidget(window)
    browser = window.show_archive()
    texts = [browser.table.item(0, c).text() for c in range(browser.table.columnCount()) if browser.table.item(0, c)]
    assert any(t.startswith("Postpartum haemorrhage") for t in texts), texts
    window.close()


def test_setup_and_prebrief_go_back_or_cancel_without_starting_a_drill(qtbot, tmp_path, monkeypatch):
    db = tmp_path / "drills.sqlite"
    window = build_window(SCENARIOS, db)
    window.library.finish_check()  # checked in the background
    qtbot.addWidget(window)
    window.show()
    assert window.library.select_path(PPH)
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[1]) or QMessageBox.StandardButton.Yes)

    setup = window.start_live_drill()
    setup.cancel_button.click()                     # nothing typed: no question, back home
    assert window.stack.currentWidget() is window.library and asked == []

    setup = window.start_live_drill()
    setup.set_participant(0, "Li Na", "S001", "midwife")
    setup.set_participant(1, "Wang Fang", "S002", "obstetrician")
    setup.set_participant(2, "Chen Jie", "S003", "anaesthetist")
    setup.weight.setValue(72)
    setup.submit()
    prebrief = window.stack.currentWidget()
    assert isinstance(prebrief, PrebriefView)
    prebrief.back_button.click()                    # back: what was typed is still there
    again = window.stack.currentWidget()
    assert again is setup and setup.weight.value() == 72
    assert setup.table.item(0, 0).text() == "Li Na"
    setup.submit()
    prebrief = window.stack.currentWidget()
    assert isinstance(prebrief, PrebriefView)
    prebrief.cancel_button.click()
    assert window.stack.currentWidget() is window.library
    assert window.live.session is None
    assert not any(isinstance(p, (SetupForm, PrebriefView)) for p in window.live.pages)
    if db.exists():                                 # nothing was recorded
        with Archive.open(db, create=False) as archive:
            assert archive.drills() == []


def test_cancelling_a_setup_with_names_typed_asks_first(qtbot, tmp_path, monkeypatch):
    window = build_window(SCENARIOS, tmp_path / "drills.sqlite")
    window.library.finish_check()  # checked in the background
    qtbot.addWidget(window)
    assert window.library.select_path(PPH)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    setup = window.start_live_drill()
    setup.set_participant(0, "Li Na", "S001", "midwife")
    setup.cancel_button.click()                     # "No": the setup stays, with its entries
    assert window.stack.currentWidget() is setup and setup.table.item(0, 0).text() == "Li Na"


def _start(window, qtbot):
    setup = window.start_live_drill()
    for i, (name, staff, role) in enumerate([("Li Na", "S001", "midwife"),
                                             ("Wang Fang", "S002", "obstetrician"),
                                             ("Chen Jie", "S003", "anaesthetist")]):
        setup.set_participant(i, name, staff, role)
    setup.submit()
    window.stack.currentWidget().start_button.click()
    console = window.stack.currentWidget()
    assert isinstance(console, ConsoleView)
    window.live.session.stop_clock()
    return console, window.live.session


def _correct(qtbot, console, seq, reason, strike=False, **fields):
    from PySide6.QtWidgets import QDialogButtonBox
    console.log.select_seq(seq)
    (console.log.strike_button if strike else console.log.correct_button).click()
    dialog = console.log.dialog
    if "who" in fields:
        dialog.who.setCurrentIndex(dialog.who.findData(fields["who"]))
    if "dose" in fields:
        dialog.dose.setValue(fields["dose"])
    if "at" in fields:
        dialog.at.setText(fields["at"])
    qtbot.keyClicks(dialog.reason, reason)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert console.log.dialog is None, dialog.error.text()


def test_log_see_correct_strike_and_discard_through_the_main_window(qtbot, tmp_path, monkeypatch):
    """Issue 15's whole story: what is logged is seen, corrected (actor, a dose that raises a
    flag, a time), struck; the archive verifies; a drill started by mistake is discarded."""
    from PySide6.QtWidgets import QInputDialog
    db = tmp_path / "drills.sqlite"
    window = build_window(SCENARIOS, db)
    window.library.finish_check()  # checked in the background
    qtbot.addWidget(window)
    window.show()
    assert window.library.select_path(PPH)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    console, session = _start(window, qtbot)
    session.advance(760)
    console.set_actor("p1")
    console.palette.buttons["call_for_help"].click()
    session.advance(20)
    console.set_actor("p1")            # logged as the midwife's, given by the anaesthetist
    console.log_action("tranexamic_acid")
    console.dose_dialog.accept()       # 1 g
    session.advance(20)
    console.set_actor("p2")
    console.log_action("oxytocin")
    console.dose_dialog.accept()
    session.advance(30)
    seqs = {e.action: e.seq for e in console.log.entries if e.kind == "action"}
    assert [e.action for e in console.log.entries if e.kind == "action"] == \
        ["oxytocin", "tranexamic_acid", "call_for_help"]            # newest first
    assert console.flag_banner.isHidden()
    _correct(qtbot, console, seqs["tranexamic_acid"], "the anaesthetist gave it", who="p3")
    _correct(qtbot, console, seqs["tranexamic_acid"], "2 g was given", dose=2.0)
    assert console.flag_banner.isVisible()                          # 2 g at once: flagged
    _correct(qtbot, console, seqs["oxytocin"], "given a minute earlier", at="12:40")
    _correct(qtbot, console, seqs["call_for_help"], "no call was made", strike=True)
    txa = next(e for e in console.log.entries if e.seq == seqs["tranexamic_acid"])
    assert (txa.participant, txa.dose, txa.amended) == ("p3", 2.0, True)
    assert next(e for e in console.log.entries if e.seq == seqs["oxytocin"]).t == 760.0
    assert next(e for e in console.log.entries if e.seq == seqs["call_for_help"]).struck
    console.end_button.click()
    assert window.live.archive.verify() == []
    first = session.drill_id

    window.show_library()
    console, session = _start(window, qtbot)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("wrong scenario", True))
    console.discard_button.click()
    info = window.live.archive.drill(session.drill_id)
    assert info.status == "discarded" and window.live.archive.drill(first).status != "discarded"
    assert window.live.archive.verify() == []


def test_the_examiners_entered_at_setup_are_the_ones_who_sign(qtbot, tmp_path, monkeypatch):
    """Issue 16: the signer is one of the examiners entered at setup (a person: name and staff
    id), chosen, not typed; the one examiner of a drill is chosen already."""
    window = build_window(SCENARIOS, tmp_path / "drills.sqlite")
    window.library.finish_check()  # checked in the background
    qtbot.addWidget(window)
    window.show()
    assert window.library.select_path(PPH)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    setup = window.start_live_drill()
    for i, (name, staff, role) in enumerate([("Li Na", "S001", "midwife"),
                                             ("Wang Fang", "S002", "obstetrician"),
                                             ("Chen Jie", "S003", "anaesthetist")]):
        setup.set_participant(i, name, staff, role)
    setup.evaluation.setCurrentIndex(setup.evaluation.findData("summative"))
    setup.examiners.setPlainText("Dr Zhou, E01")
    setup.submit()
    window.stack.currentWidget().start_button.click()
    session = window.live.session
    session.stop_clock()
    session.advance(800)
    session.end()
    panel = window.live.show_scoring(session.drill_id)
    assert [panel.examiner_box.itemText(i) for i in range(panel.examiner_box.count())] == ["Dr Zhou (E01)"]
    assert panel.examiner_box.currentText() == "Dr Zhou (E01)" and panel.examiner_id is not None
    complete(panel, "team")
    panel.tabs_by_key["team"].sign_button.click()
    sheet = window.live.archive.sheet(panel.signed_sheet_id("team"))
    examiner = window.live.archive.examiner(sheet.signed_by)
    assert (examiner.name, examiner.staff_id) == ("Dr Zhou", "E01")


def test_setup_records_the_site_and_department_and_remembers_them(qtbot, tmp_path):
    db = tmp_path / "drills.sqlite"
    window = build_window(SCENARIOS, db)
    window.library.finish_check()  # checked in the background
    qtbot.addWidget(window)
    assert window.library.select_path(PPH)
    setup = window.start_live_drill()
    for i, (name, staff, role) in enumerate([("Li Na", "S001", "midwife"),
                                             ("Wang Fang", "S002", "obstetrician"),
                                             ("Chen Jie", "S003", "anaesthetist")]):
        setup.set_participant(i, name, staff, role)
    setup.site.setText("  County Hospital ")
    setup.department.setText("Obstetrics")
    setup.submit()
    window.stack.currentWidget().start_button.click()
    session = window.live.session
    session.stop_clock()
    info = window.live.archive.drill(session.drill_id)
    assert (info.site, info.department) == ("County Hospital", "Obstetrics")
    assert {p.staff_id for p in info.participants} == {"S001", "S002", "S003"}
    session.end()
    again = window.start_live_drill()       # the next drill on this machine: filled in already
    assert (again.site.text(), again.department.text()) == ("County Hospital", "Obstetrics")


def test_run_app_paints_the_window_before_it_offers_an_interrupted_drill(
        qtbot, tmp_path, monkeypatch):
    """Looking for an interrupted drill opens the archive (most of a second): the window is
    shown and its event loop running first, then the question comes, and Yes resumes."""
    from PySide6.QtWidgets import QApplication

    from simtool.ui import app as ui_app
    from simtool.ui.window import MainWindow

    db = tmp_path / "drills.sqlite"
    _crash_a_drill(db, "d.tick(100); d.act('call_for_help', by='t1'); d.tick(20)")
    seen: dict[str, object] = {}

    def question(parent, *_a, **_k):
        seen["asked_with_the_loop_running"] = seen.get("loop_running", False)
        seen["window_visible"] = parent is not None and parent.isVisible()
        return QMessageBox.StandardButton.Yes

    def fake_exec(*_args):
        seen["loop_running"] = True
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        for w in windows:
            qtbot.addWidget(w)
        qtbot.waitUntil(lambda: "asked_with_the_loop_running" in seen, timeout=30_000)
        seen["window"] = windows[0]
        return 0

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QApplication, "exec", fake_exec)
    assert ui_app.run_app(str(SCENARIOS), str(db)) == 0
    assert seen["asked_with_the_loop_running"] is True and seen["window_visible"] is True
    window = seen["window"]
    assert isinstance(window.stack.currentWidget(), ConsoleView)
    assert [e.action for e in window.live.session.drill.actions_done()] == ["call_for_help"]
    window.library.finish_check()
    window.close()


def test_an_instructor_who_leaves_a_running_drill_gets_back_to_its_console(qtbot, tmp_path):
    """Mid-drill the instructor opens the archive; "Start live drill" shows the drill's own
    console again (one drill at a time), not a new setup that would leave it out of reach."""
    window = build_window(SCENARIOS, tmp_path / "drills.sqlite")
    window.library.finish_check()
    qtbot.addWidget(window)
    window.show()
    assert window.library.select_path(PPH)
    setup = window.start_live_drill()
    setup.set_participant(0, "Li Na", "S001", "midwife")
    setup.set_participant(1, "Wang Fang", "S002", "obstetrician")
    setup.set_participant(2, "Chen Jie", "S003", "anaesthetist")
    setup.submit()
    window.stack.currentWidget().start_button.click()
    console = window.stack.currentWidget()
    assert isinstance(console, ConsoleView)
    window.live.session.stop_clock()
    window.show_archive()
    assert window.stack.currentWidget() is not console
    again = window.start_live_drill()
    assert again is console and window.stack.currentWidget() is console
    assert "under way" in window.statusBar().currentMessage()
    console.set_actor("p1")
    console.palette.buttons["call_for_help"].click()       # still the drill's own
    assert any(e.action == "call_for_help" for e in window.live.session.drill.actions_done())
    window.close()
