"""Drill setup, prebrief and the instructor console, driven as an instructor would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTranslator
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from simtool.core.drill import Participant, PatientParams
from simtool.store import Archive, Examiner, Trainee
from simtool.ui.console import ConsoleView, PrebriefView, SetupForm, SetupResult
from simtool.ui.session import DrillSession

TEAM = [Participant("t1", "Li Na", "midwife"), Participant("t2", "Wang Fang", "obstetrician"),
        Participant("t3", "Chen Jie", "anaesthetist")]


@pytest.fixture()
def archive(tmp_path):
    a = Archive.open(tmp_path / "a.sqlite")
    yield a
    a.close()


@pytest.fixture()
def session(pph, archive):
    return DrillSession(pph, PatientParams(65, ("asthma",)), TEAM, archive)


@pytest.fixture()
def view(qtbot, session):
    v = ConsoleView(session)
    qtbot.addWidget(v)
    v.resize(1280, 820)
    return v


def stored(session, kind=None):
    events = session.archive.events(session.drill_id)
    return [e for e in events if kind is None or e.kind == kind]


def accept_dose(qtbot, view):
    dialog = view.dose_dialog
    assert dialog is not None and dialog.isVisible()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert view.dose_dialog is None


def test_clicking_an_action_logs_it_by_the_chosen_actor_for_that_action_only(qtbot, view, session):
    view.show()
    assert view.actor() is None   # nobody until someone is chosen, and it says so
    assert view.credited.text() == "Next action credited to: nobody (unassigned)"
    qtbot.mouseClick(view.actor_chips["t2"], Qt.MouseButton.LeftButton)
    assert view.credited.text() == "Next action credited to: Obstetrician: Wang Fang"
    qtbot.mouseClick(view.palette.buttons["call_for_help"], Qt.MouseButton.LeftButton)
    last = stored(session, "action")[-1]
    assert (last.action, last.actor, last.role) == ("call_for_help", "t2", "obstetrician")
    assert session.last_actor == "t2"
    # one action only: the next one is not credited to Sun Lei by mistake
    assert view.actor() is None and not view.actor_chips["t2"].isChecked()
    qtbot.mouseClick(view.palette.buttons["uterine_massage"], Qt.MouseButton.LeftButton)
    last = stored(session, "action")[-1]
    assert (last.action, last.actor, last.role) == ("uterine_massage", None, None)   # unassigned
    assert view.log.table.item(0, 1).text() == "unassigned"


def test_one_chip_at_a_time_and_kept_when_asked(qtbot, view, session):
    view.show()
    qtbot.mouseClick(view.actor_chips["t1"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.actor_chips["t3"], Qt.MouseButton.LeftButton)
    assert view.actor() == "t3" and not view.actor_chips["t1"].isChecked()
    qtbot.mouseClick(view.actor_chips["t3"], Qt.MouseButton.LeftButton)   # click again: nobody
    assert view.actor() is None
    view.keep_actor.setChecked(True)
    qtbot.mouseClick(view.actor_chips["t1"], Qt.MouseButton.LeftButton)
    for action in ("call_for_help", "uterine_massage"):
        qtbot.mouseClick(view.palette.buttons[action], Qt.MouseButton.LeftButton)
    assert [e.actor for e in stored(session, "action")] == ["t1", "t1"]
    # a new console of the same drill (another language) keeps the choice
    again = ConsoleView(session)
    qtbot.addWidget(again)
    assert again.keep_actor.isChecked() and again.actor() == "t1"


def test_type_to_find_opens_the_dose_dialog_prefilled(qtbot, view, session):
    view.show()
    view.set_actor("t1")
    qtbot.keyClicks(view.palette.find_box, "oxy")
    assert "Oxytocin" in view.palette.find_hint.text()
    assert not view.palette.buttons["carboprost"].isVisibleTo(view)  # filtered out
    qtbot.keyClick(view.palette.find_box, Qt.Key.Key_Return)
    dialog = view.dose_dialog
    assert dialog.action.id == "oxytocin"
    assert dialog.amount.value() == pytest.approx(10)
    assert dialog.unit.currentText() == "IU"
    # an IV push and an IV infusion are told apart (issue 18: their limits differ)
    assert [dialog.route.itemText(i) for i in range(dialog.route.count())] == \
        ["IM", "IV injection", "IV infusion"]
    # each route with its own limit for one dose (RCOG GTG 52 / CMA: 5 IU by slow IV injection)
    assert "at most 10 IU in one dose" in dialog.so_far_line.text()
    dialog.route.setCurrentIndex(dialog.route.findData("IV"))
    assert "at most 5 IU in one dose" in dialog.so_far_line.text()
    dialog.route.setCurrentIndex(dialog.route.findData("IV infusion"))
    assert "at most 40 IU in one dose" in dialog.so_far_line.text()
    dialog.route.setCurrentIndex(dialog.route.findData("IM"))
    accept_dose(qtbot, view)
    last = stored(session, "action")[-1]
    assert (last.action, last.dose, last.unit, last.route, last.actor) == \
        ("oxytocin", 10, "IU", "IM", "t1")
    assert view.palette.find_box.text() == ""


def test_the_dose_dialog_suggests_a_weight_based_dose(qtbot, view):
    view.log_action("lipid_emulsion_bolus")
    dialog = view.dose_dialog
    assert dialog.suggested == pytest.approx(97.5)  # 1.5 mL/kg × 65 kg
    assert dialog.amount.value() == pytest.approx(97.5)
    assert "97.5 mL" in dialog.suggestion_button.text()
    qtbot.mouseClick(dialog.default_button, Qt.MouseButton.LeftButton)
    assert dialog.amount.value() == pytest.approx(100)
    dialog.reject()


def test_cancelling_the_dose_dialog_logs_nothing(qtbot, view, session):
    before = len(stored(session, "action"))
    view.log_action("oxytocin")
    view.dose_dialog.reject()
    assert len(stored(session, "action")) == before


def test_an_actions_shortcut_key_logs_it(qtbot, view, session):
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    view.pause_button.setFocus()
    qtbot.keyClick(view.pause_button, "h")  # call_for_help's key
    assert stored(session, "action")[-1].action == "call_for_help"
    qtbot.keyClick(view.pause_button, "f")  # crystalloid bolus: has a dose
    assert view.dose_dialog is not None and view.dose_dialog.action.id == "crystalloid_bolus"
    accept_dose(qtbot, view)
    assert stored(session, "action")[-1].action == "crystalloid_bolus"


def test_typing_a_shortcut_letter_in_the_find_box_only_types(qtbot, view, session):
    view.show()
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    view.palette.find_box.setFocus()
    qtbot.keyClicks(view.palette.find_box, "h")
    assert view.palette.find_box.text() == "h"
    assert stored(session, "action") == []


def test_carboprost_in_asthma_shows_a_flag_and_is_still_logged(qtbot, view, session):
    view.show()
    session.advance(30)
    qtbot.mouseClick(view.actor_chips["t2"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.palette.buttons["carboprost"], Qt.MouseButton.LeftButton)
    assert view.dose_dialog.amount.value() == pytest.approx(250)
    accept_dose(qtbot, view)
    assert stored(session, "action")[-1].action == "carboprost"
    assert any(f.action == "carboprost" for f in stored(session, "flag"))
    assert view.flag_list.count() >= 1 and "Carboprost" in view.flag_list.item(0).text()
    # shown once, in the banner (the list is of the earlier flags, folded)
    assert view.flag_banner.isVisible() and "Carboprost" in view.flag_banner.text()
    assert view.flag_list.isHidden()
    assert QApplication.activeModalWidget() is None  # never blocks


def test_pause_and_resume_freeze_the_clock_display(qtbot, view, session):
    view.show()
    session.advance(65)
    assert view.clock.text() == "01:05"
    qtbot.mouseClick(view.pause_button, Qt.MouseButton.LeftButton)
    assert session.drill.paused and view.paused_badge.isVisible()
    assert view.pause_button.text() == "Resume"
    session.advance(30)
    assert view.clock.text() == "01:05"
    qtbot.mouseClick(view.pause_button, Qt.MouseButton.LeftButton)
    assert not view.paused_badge.isVisible()
    session.advance(10)
    assert view.clock.text() == "01:15"
    assert [e.kind for e in stored(session) if e.kind in ("pause", "resume")] == ["pause", "resume"]


def test_manual_transition_asks_first_and_is_the_instructors(qtbot, view, session, monkeypatch):
    view.show()
    assert session.drill.state == "postpartum_bleeding"
    target = view.transition_target.findData("pph_detected")
    assert view.transition_target.itemText(target).startswith("→")  # reachable next
    assert view.state_map.next_states == {"pph_detected"}
    view.transition_target.setCurrentIndex(target)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.No)
    qtbot.mouseClick(view.transition_button, Qt.MouseButton.LeftButton)
    assert session.drill.state == "postpartum_bleeding"
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(view.transition_button, Qt.MouseButton.LeftButton)
    assert session.drill.state == "pph_detected"
    force = stored(session, "force")[-1]
    assert (force.state, force.actor) == ("pph_detected", "instructor")
    assert view.state_map.current == "pph_detected"
    assert view.state_label.text() == session.drill.scenario.state_index["pph_detected"].label.en
    assert "Treatment" in view.phase_label.text()


def test_undo_within_ten_seconds_is_a_retraction(qtbot, view, session):
    view.show()
    session.advance(20)
    assert not view.undo_button.isEnabled()
    qtbot.mouseClick(view.palette.buttons["uterine_massage"], Qt.MouseButton.LeftButton)
    assert view.undo_button.isEnabled()
    session.advance(5)
    qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)
    retract = stored(session, "retract")[-1]
    massage = stored(session, "action")[-1]
    assert retract.ref == massage.seq and massage.action == "uterine_massage"  # kept
    assert not view.undo_button.isEnabled()
    qtbot.mouseClick(view.palette.buttons["call_for_help"], Qt.MouseButton.LeftButton)
    assert view.undo_button.isEnabled()
    session.advance(10.5)
    assert not view.undo_button.isEnabled()


def test_expected_actions_count_down_once_due_and_turn_met(qtbot, view, session):
    view.show()
    assert view.expected.status_of("call_for_help") == "pending"
    session.advance(800)
    detected = session.drill.marker_times["detection"]
    assert view.expected.status_of("call_for_help") == "due"
    left = detected + 300 - session.t
    assert view.expected.time_of("call_for_help") == \
        f"{int(round(left)) // 60:02d}:{int(round(left)) % 60:02d} left"
    qtbot.mouseClick(view.palette.buttons["call_for_help"], Qt.MouseButton.LeftButton)
    assert view.expected.status_of("call_for_help") == "met"
    assert view.expected.time_of("call_for_help").startswith("done at ")


def test_monitor_mirror_and_notes(qtbot, view, session):
    view.show()
    session.advance(120)
    v = session.vitals()
    assert view.vital_labels["hr"].text() == str(v.hr)
    assert view.vital_labels["bp"].text() == f"{v.sbp}/{v.dbp}"
    assert view.vital_labels["loss"].text().endswith("mL")
    qtbot.keyClicks(view.note_edit, "fundus boggy")
    qtbot.keyClick(view.note_edit, Qt.Key.Key_Return)
    assert stored(session, "note")[-1].text == "fundus boggy"
    assert view.log.entries[0].kind == "note" and "fundus boggy" in view.log.table.item(0, 2).text()


def test_end_drill_after_confirmation(qtbot, view, session, monkeypatch):
    view.show()
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(view.drill_ended, timeout=1000):
        qtbot.mouseClick(view.end_button, Qt.MouseButton.LeftButton)
    assert session.drill.ended and stored(session)[-1].kind == "end"
    assert not view.palette.isEnabled() and not view.end_button.isEnabled()


# --- setup and prebrief ------------------------------------------------------------------------

def test_setup_refuses_a_missing_required_role(qtbot, pph):
    form = SetupForm(pph)
    qtbot.addWidget(form)
    form.show()
    form.set_participant(0, "Li Na", "S1", "midwife")
    form.set_participant(1, "Wang Fang", "S2", "obstetrician")
    with qtbot.assertNotEmitted(form.setup_done):
        qtbot.mouseClick(form.done_button, Qt.MouseButton.LeftButton)
    assert form.participants_error.isVisible()
    assert "Anaesthetist" in form.participants_error.text()


def test_setup_emits_plain_data_when_valid(qtbot, pph):
    form = SetupForm(pph)
    qtbot.addWidget(form)
    form.show()
    form.set_participant(0, "Li Na", "S1", "midwife")
    form.set_participant(1, "Wang Fang", "S2", "obstetrician")
    form.set_participant(2, "Chen Jie", "", "anaesthetist")
    form.weight.setValue(72)
    form.variant.setCurrentIndex(form.variant.findData("asthma"))
    assert form.conditions["asthma"].isChecked()
    form.evaluation.setCurrentIndex(form.evaluation.findData("summative"))
    qtbot.mouseClick(form.done_button, Qt.MouseButton.LeftButton)
    assert form.examiners_error.isVisible()  # summative needs an examiner
    form.examiners.setPlainText("Dr Zhao, E01\n周医生，E02\nDr Zhao, E01")
    with qtbot.waitSignal(form.setup_done, timeout=1000) as signal:
        qtbot.mouseClick(form.done_button, Qt.MouseButton.LeftButton)
    result: SetupResult = signal.args[0]
    assert result.participants == (Participant("p1", "Li Na", "midwife"),
                                   Participant("p2", "Wang Fang", "obstetrician"),
                                   Participant("p3", "Chen Jie", "anaesthetist"))
    assert result.trainees["p1"] == Trainee("Li Na", "S1")
    assert result.trainees["p3"] == Trainee("Chen Jie", None)
    assert result.patient == PatientParams(72, ("asthma",), "asthma")
    # examiners are people: a name and a staff id, each once
    assert (result.evaluation_type, result.examiners) == (
        "summative", (Examiner("Dr Zhao", "E01"), Examiner("周医生", "E02")))
    assert not form.participants_error.isVisible() and not form.examiners_error.isVisible()


def test_setup_explains_a_weight_out_of_range(qtbot, pph):
    form = SetupForm(pph)
    qtbot.addWidget(form)
    form.weight.setValue(10)  # clamps just below the scenario's minimum
    assert form.validate() is None
    assert "40" in form.weight_error.text() and not form.weight_error.isHidden()


def test_setup_result_starts_a_session(qtbot, pph, archive):
    form = SetupForm(pph)
    qtbot.addWidget(form)
    for row, (name, role) in enumerate([("A", "midwife"), ("B", "obstetrician"), ("C", "anaesthetist")]):
        form.set_participant(row, name, f"S{row}", role)
    result = form.validate()
    session = DrillSession(pph, result.patient, result.participants, archive,
                           evaluation_type=result.evaluation_type, trainees=result.trainees)
    assert session.drill_id is not None


def test_prebrief_shows_objectives_briefing_and_assessment(qtbot, pph):
    view = PrebriefView(pph)
    qtbot.addWidget(view)
    sc = pph.scenario
    assert sc.objectives[0].en.split()[0] in view.objectives.text()
    assert "labour ward" in view.briefing.text()
    for ex in sc.expected:
        assert ex.label.en.split("(")[0].strip().replace("&", "&amp;") in view.assessed.text()
    with qtbot.waitSignal(view.start_requested, timeout=1000):
        qtbot.mouseClick(view.start_button, Qt.MouseButton.LeftButton)


def test_screenshots(qtbot, pph, session):
    form = SetupForm(pph)
    prebrief = PrebriefView(pph)
    console = ConsoleView(session)
    for w, size in ((form, (900, 700)), (prebrief, (900, 700)), (console, (1280, 820))):
        qtbot.addWidget(w)
        w.resize(*size)
        w.show()
        qtbot.waitExposed(w)
    session.advance(400)
    session.act("call_for_help", by="t1")
    session.act("carboprost", by="t2", dose=250, unit="µg", route="IM")
    session.note("fundus boggy", by="instructor")
    assert form.grab().save("/tmp/console_setup.png")
    assert prebrief.grab().save("/tmp/console_prebrief.png")
    assert console.grab().save("/tmp/console_console.png")


class Stretching(QTranslator):
    """A pseudo-translation: every string half as long again, to find layouts that break."""

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ARG002
        return source + " ~" + "x" * (len(source) // 2 - 2) if len(source) > 3 else source


def test_screenshots_with_text_half_as_long_again(qtbot, pph, session):
    stretch = Stretching()
    QApplication.installTranslator(stretch)
    try:
        form = SetupForm(pph)
        console = ConsoleView(session)
        for w, size in ((form, (900, 700)), (console, (1280, 820))):
            qtbot.addWidget(w)
            w.resize(*size)
            w.show()
            qtbot.waitExposed(w)
        assert console.pause_button.text().startswith("Pause ~")
        session.advance(400)
        session.act("carboprost", by="t2", dose=250, unit="µg", route="IM")
        session.pause()
        assert form.grab().save("/tmp/console_setup_long.png")
        assert console.grab().save("/tmp/console_console_long.png")
    finally:
        QApplication.removeTranslator(stretch)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("scenario, first_line", [
    ("pph_uterine_atony", ["call_for_help", "uterine_massage", "oxytocin"]),
    ("last_nerve_block", ["stop_injection", "call_for_help", "oxygen_100", "lipid_emulsion_bolus"]),
    ("pas_mdt", ["team_briefing", "activate_mdt"]),
])
def test_the_palette_opens_on_the_scenarios_first_line_actions_without_scrolling(
        qtbot, archive, scenario, first_line, lang):
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QScrollArea

    from simtool.core.scenario import load_scenario
    from simtool.ui.translations import install_translator

    from helpers.paths import SCENARIOS
    loaded = load_scenario(SCENARIOS / f"{scenario}.yaml")
    team = [Participant(f"p{i}", f"Person {i}", r.id) for i, r in enumerate(loaded.scenario.roles)]
    install_translator(QApplication.instance(), lang)
    try:
        console = ConsoleView(DrillSession(loaded, PatientParams(70), team, archive), lang)
        qtbot.addWidget(console)
        console.resize(1366, 768)   # a county hospital's laptop
        console.show()
        qtbot.waitExposed(console)
        palette = console.palette
        assert list(palette.groups)[:len(loaded.scenario.palette)] == \
            [f"scenario:{i}" for i in range(len(loaded.scenario.palette))]
        assert palette.groups["scenario:0"].title() == loaded.scenario.palette[0].label.get(lang)
        assert palette.other_heading.isVisible()
        viewport = palette.findChild(QScrollArea).viewport()
        for action in first_line:
            button = palette.buttons[action]
            bottom = button.mapTo(viewport, QPoint(0, button.height())).y()
            assert button.isVisible() and 0 < bottom <= viewport.height(), (action, bottom, viewport.height())
        # nothing of the catalogue is lost: every action has its one button
        assert set(palette.buttons) == set(loaded.catalogue.ids())
    finally:
        install_translator(QApplication.instance(), "en")


def test_a_state_name_cut_short_in_the_map_shows_whole_on_hover(qtbot, archive):
    from simtool.core.scenario import load_scenario

    from helpers.paths import SCENARIOS
    last = load_scenario(SCENARIOS / "last_nerve_block.yaml")
    console = ConsoleView(DrillSession(last, PatientParams(70), [Participant("a1", "Zhou Lei",
                                                                             last.scenario.roles[0].id)], archive))
    qtbot.addWidget(console)
    console.resize(1280, 820)
    console.show()
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip
    m = console.state_map
    shown = []
    for sid, rect in m._boxes().items():
        at = QPoint(int(rect.center().x()), int(rect.center().y()))
        QApplication.sendEvent(m, QHelpEvent(QEvent.Type.ToolTip, at, m.mapToGlobal(at)))
        shown.append((QToolTip.text(), last.scenario.state_index[sid].label.get("en")))
    assert all(tip == full for tip, full in shown), shown


def test_the_state_under_the_pointer_is_named_whole_in_the_status_bar(qtbot, archive):
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QMainWindow
    from simtool.core.scenario import load_scenario

    from helpers.paths import SCENARIOS
    last = load_scenario(SCENARIOS / "last_nerve_block.yaml")
    window = QMainWindow()
    console = ConsoleView(DrillSession(last, PatientParams(70), [Participant("a1", "Zhou Lei",
                                                                             last.scenario.roles[0].id)], archive))
    window.setCentralWidget(console)
    window.statusBar()     # as the main window has
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    m = console.state_map
    for sid, rect in m._boxes().items():
        qtbot.mouseMove(m, QPoint(int(rect.center().x()), int(rect.center().y())))
        assert window.statusBar().currentMessage() == last.scenario.state_index[sid].label.get("en")
    qtbot.mouseMove(m, QPoint(2, m.height() - 2))   # between boxes: nothing named
    assert window.statusBar().currentMessage() == ""


def test_setup_offers_the_people_the_archive_knows_and_fills_name_and_staff_id(qtbot, pph):
    from PySide6.QtWidgets import QStyleOptionViewItem
    form = SetupForm(pph, people=[("Chen Jie", "S003"), ("陈洁", "S004"), ("Li Na", None)])
    qtbot.addWidget(form)
    delegate = form.table.itemDelegateForColumn(0)
    index = form.table.model().index(0, 0)
    editor = delegate.createEditor(form.table.viewport(), QStyleOptionViewItem(), index)
    completer = editor.completer()
    completer.setCompletionPrefix("s00")           # by staff id, any case, anywhere
    assert completer.completionCount() == 2
    editor.setText("陈洁 · S004")                   # a person chosen from the list
    delegate.setModelData(editor, form.table.model(), index)
    assert (form.table.item(0, 0).text(), form.table.item(0, 1).text()) == ("陈洁", "S004")
    editor.setText("Someone New")                  # anyone else is typed as they are
    delegate.setModelData(editor, form.table.model(), index)
    assert (form.table.item(0, 0).text(), form.table.item(0, 1).text()) == ("Someone New", "S004")


def test_setup_finds_a_chinese_name_by_its_pinyin_initials_and_shows_department(qtbot, pph):
    from PySide6.QtWidgets import QStyleOptionViewItem
    from simtool.app.people import Known
    form = SetupForm(pph, people=[Known("陈杰", "S003", "产科", "midwife"), Known("Li Na", "S001")])
    qtbot.addWidget(form)
    delegate = form.table.itemDelegateForColumn(0)
    index = form.table.model().index(0, 0)
    editor = delegate.createEditor(form.table.viewport(), QStyleOptionViewItem(), index)
    completer = editor.completer()
    completer.setCompletionPrefix("CJ")          # what a colleague types for 陈杰
    assert completer.completionCount() == 1
    shown = completer.completionModel().index(0, 0).data()
    assert shown == "陈杰 · S003 — 产科, midwife"
    editor.setText(completer.currentCompletion())  # chosen from the list
    delegate.setModelData(editor, form.table.model(), index)
    assert (form.table.item(0, 0).text(), form.table.item(0, 1).text()) == ("陈杰", "S003")


def test_setup_finds_an_examiner_the_archive_knows_and_adds_their_line_once(qtbot, pph):
    from simtool.app.people import Known
    form = SetupForm(pph, examiners=[Known("周医生", "E01", "产科"), Known("Dr Wu", "E02")])
    qtbot.addWidget(form)
    finder = form.find_examiner.completer()
    finder.setCompletionPrefix("zys")                 # pinyin initials of 周医生
    assert finder.completionCount() == 1
    chosen = finder.currentCompletion()
    for _ in range(2):                                # chosen twice: one line
        form.add_known_examiner(chosen)
    assert form.examiners.toPlainText() == "周医生, E01"
    form.add_known_examiner("nobody")                 # text that is no one adds nothing
    assert form.examiners.toPlainText() == "周医生, E01"
    bare = SetupForm(pph)                             # none known: no finder
    qtbot.addWidget(bare)
    assert bare.find_examiner.isHidden()
