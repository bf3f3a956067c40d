"""The console's log: every logged entry newest first with who, what and its flags; an action
corrected (who, dose raising a flag, time) or struck from the log with a reason, each appended to
the record with the original kept; refused in the dialog, with nothing logged, without a reason."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from simtool.core.drill import Participant, PatientParams
from simtool.store import Archive
from simtool.ui.console.console import ConsoleView
from simtool.ui.session import DrillSession

TEAM = [Participant("t1", "Zhao Min", "midwife"), Participant("t2", "Sun Lei", "obstetrician"),
        Participant("t3", "Zhou Yan", "anaesthetist")]


@pytest.fixture()
def view(qtbot, pph, tmp_path):
    archive = Archive.open(tmp_path / "a.sqlite")
    session = DrillSession(pph, PatientParams(65, ("asthma",)), TEAM, archive)
    v = ConsoleView(session)
    qtbot.addWidget(v)
    v.resize(1366, 768)
    v.show()
    yield v
    archive.close()


def row_of(view, seq):
    return next(i for i, e in enumerate(view.log.entries) if e.seq == seq)


def cells(view, seq):
    row = row_of(view, seq)
    return [view.log.table.item(row, c).text() for c in range(4)]


def open_dialog(qtbot, view, seq, strike=False):
    view.log.select_seq(seq)
    button = view.log.strike_button if strike else view.log.correct_button
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = view.log.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def ok(qtbot, dialog):
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def stored(view, kind):
    s = view.session
    return [e for e in s.archive.events(s.drill_id) if e.kind == kind]


def test_the_log_shows_each_entry_newest_first_with_who_and_what(qtbot, view):
    s = view.session
    s.advance(600)
    view.set_actor("t1")
    qtbot.mouseClick(view.palette.buttons["call_for_help"], Qt.MouseButton.LeftButton)
    s.advance(30)
    carbo = s.act("carboprost", by="t2", dose=250, unit="µg", route="IM")   # asthma: flagged
    s.note("fundus boggy", by="instructor")
    assert [e.kind for e in view.log.entries] == ["note", "action", "action"]
    assert cells(view, carbo.seq)[:3] == ["10:30", "Obstetrician: Sun Lei", "Carboprost (15-methyl PGF2α) 250 µg IM"]
    assert cells(view, carbo.seq)[3] == "⚠ contraindicated"
    assert "bronchospasm" in view.log.table.item(row_of(view, carbo.seq), 3).toolTip()
    assert cells(view, view.log.entries[2].seq)[1] == "Midwife: Zhao Min"


def test_a_transfusion_reads_in_blood_units_and_oxytocin_by_its_route(qtbot, view):
    s = view.session
    s.advance(700)
    rbc = s.act("rbc_transfusion", by="t3", dose=2, unit="unit", route="IV")
    oxy = s.act("oxytocin", by="t1", dose=5, unit="IU", route="IV")
    text = cells(view, rbc.seq)[2]
    assert text.endswith("2 U IV") and "unit" not in text and "injection" not in text   # not pushed
    assert cells(view, oxy.seq)[2].endswith("5 IU IV injection")   # a push, told from an infusion


def test_correcting_a_dose_raises_a_flag_and_keeps_the_original(qtbot, view):
    s = view.session
    s.advance(700)
    txa = s.act("tranexamic_acid", by="t3", dose=1, unit="g", route="IV")
    s.advance(60)
    assert view.flag_list.isHidden()
    dialog = open_dialog(qtbot, view, txa.seq)
    dialog.dose.setValue(2.0)
    ok(qtbot, dialog)   # no reason: refused in the dialog, nothing logged
    assert dialog.isVisible() and "needs a reason" in dialog.error.text() and not stored(view, "amend")
    qtbot.keyClicks(dialog.reason, "2 g was given, 1 g typed")
    ok(qtbot, dialog)
    assert view.log.dialog is None
    (amend,) = stored(view, "amend")
    assert (amend.target, amend.value("dose"), amend.text) == (txa.iid, 2.0, "2 g was given, 1 g typed")
    assert stored(view, "action")[-1] == txa                     # the original stays as logged
    assert cells(view, txa.seq)[2] == "Tranexamic acid 2 g IV"
    assert cells(view, txa.seq)[3] == "⚠ 2 flags · corrected"
    assert view.flag_banner.isVisible() and view.flag_list.count() == 2
    tip = view.log.table.item(row_of(view, txa.seq), 0).toolTip()
    assert "Logged at 11:40: tranexamic_acid 1 g IV" in tip and "2 g was given, 1 g typed" in tip


def test_correcting_who_and_when_and_striking_one(qtbot, view):
    s = view.session
    s.advance(700)
    oxy = s.act("oxytocin", by="t1", dose=10, unit="IU", route="IM")
    s.advance(30)
    help_ = s.act("call_for_help", by="t1")
    s.advance(120)
    dialog = open_dialog(qtbot, view, oxy.seq)
    dialog.who.setCurrentIndex(dialog.who.findData("t2"))
    dialog.at.setText("11:00")
    qtbot.keyClicks(dialog.reason, "the obstetrician gave it at 11 min")
    ok(qtbot, dialog)
    entry = view.log.entries[row_of(view, oxy.seq)]
    assert (entry.participant, entry.role, entry.t, entry.amended) == ("t2", "obstetrician", 660.0, True)
    assert cells(view, oxy.seq)[:2] == ["11:00", "Obstetrician: Sun Lei"]
    dialog = open_dialog(qtbot, view, help_.seq, strike=True)
    qtbot.keyClicks(dialog.reason, "no call was made")
    ok(qtbot, dialog)
    assert view.log.entries[row_of(view, help_.seq)].struck
    assert cells(view, help_.seq)[3] == "struck"
    assert not view.log.correct_button.isEnabled()   # a struck entry is done with
    assert stored(view, "retract")[-1].text == "no call was made"
    assert view.expected.status_of("call_for_help") != "met"
    with Archive.open(s.archive.path) as again:
        assert again.verify() == []


def test_a_time_that_is_not_a_time_is_explained_and_nothing_is_logged(qtbot, view):
    s = view.session
    s.advance(700)
    oxy = s.act("oxytocin", by="t1", dose=10, unit="IU", route="IM")
    s.advance(10)
    dialog = open_dialog(qtbot, view, oxy.seq)
    for text, words in (("11:75", "mm:ss"), ("99:00", "within the drill")):
        dialog.at.setText(text)
        dialog.reason.setText("late entry")
        ok(qtbot, dialog)
        assert dialog.isVisible() and words in dialog.error.text()
    assert not stored(view, "amend")


def test_the_dose_dialog_shows_the_patient_and_will_not_log_a_drug_at_zero(qtbot, view):
    s = view.session
    s.advance(60)
    view.log_action("bupivacaine")   # no default, no weight-based dose: it opens empty
    dialog = view.dose_dialog
    assert dialog.amount.value() == 0
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert dialog.needs_dose.isVisibleTo(dialog)
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)   # Enter with no dose logs nothing
    assert not [e for e in s.drill.events if e.kind == "action"]
    assert dialog.patient_line.text() == "Patient: 65 kg · Asthma"
    assert "So far: 0 mg" in dialog.so_far_line.text()
    assert "Limit for this patient: at most 162.5 mg in all" in dialog.so_far_line.text()   # 2.5 mg/kg
    dialog.amount.setValue(50)
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert [(e.action, e.dose) for e in s.drill.events if e.kind == "action"] == [("bupivacaine", 50.0)]
    view.log_action("bupivacaine")
    assert "So far: 50 mg" in view.dose_dialog.so_far_line.text()
    view.dose_dialog.reject()


def test_the_end_of_a_drill_never_shows_only_a_green_badge_after_a_safety_breach(qtbot, tmp_path):
    """Epinephrine 1 mg (14× this patient's limit) and vasopressin in a LAST drill that otherwise
    went well: the outcome stands beside the flags raised and the critical item missed."""
    from simtool.cli import main
    from simtool.core.rubric import load_rubric
    from simtool.ui.archiveviews.endofdrill import EndOfDrillView
    from helpers.paths import ROOT
    text = (ROOT / "tests" / "scripts" / "last_nerve_block" / "good_care.yaml").read_text(encoding="utf-8")
    text = text.replace("  - {t: 260, action: epinephrine, dose: 50, unit: µg, route: IV, by: senior_anaesthetist}",
                        "  - {t: 260, action: epinephrine, dose: 1, unit: mg, route: IV, by: senior_anaesthetist}\n"
                        "  - {t: 270, action: vasopressin, dose: 40, unit: IU, route: IV, by: senior_anaesthetist}\n"
                        "  - {t: 280, action: bag_mask_ventilation}")
    assert "dose: 1, unit: mg" in text
    script = tmp_path / "breach.yaml"
    script.write_text(text, encoding="utf-8")
    db = tmp_path / "a.sqlite"
    last = ROOT / "scenarios" / "last_nerve_block.yaml"
    assert main(["run", str(last), "--script", str(script), "--archive", str(db)]) == 0
    archive = Archive.open(db)
    (info,) = archive.drills()
    rubric = load_rubric(ROOT / "rubrics" / "last_nerve_block_technical.yaml", archive.loaded(info.id))
    view = EndOfDrillView(archive, info.id, rubric)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    assert view.flags_badge.isVisible() and view.flags_badge.text().startswith("⚠ Safety flags: ")
    assert view.critical_badge.isVisible()
    text = view.safety.text()
    # what happened, not a double negative ("missed: no forbidden drug")
    assert "Critical item failed: Vasopressin given at 04:30, against “No forbidden drug" in text
    assert "Epinephrine" in text and "Vasopressin" in text
    assert "Actions logged with nobody credited: 1" in text
    view.grab().save(str(tmp_path / "end.png"))
    archive.close()


def test_the_prebrief_tells_the_patient_and_keeps_the_answer_key_from_an_assessed_team(qtbot, pph):
    from simtool.ui.console.prebrief import PrebriefView
    told = PrebriefView(pph, patient=PatientParams(72, ("asthma",)))
    qtbot.addWidget(told)
    told.show()
    assert "Weight: 72 kg" in told.patient.text() and "Conditions: Asthma" in told.patient.text()
    assert told.assessed.isVisible() and not told.show_checklist.isVisible()   # formative: told
    exam = PrebriefView(pph, patient=PatientParams(65), evaluation_type="summative")
    qtbot.addWidget(exam)
    exam.show()
    assert "Conditions: none known" in exam.patient.text()
    assert not exam.assessed.isVisible() and exam.checklist_note.isVisible()
    assert "The checklist is with the examiner" in exam.checklist_note.text()
    qtbot.mouseClick(exam.show_checklist, Qt.MouseButton.LeftButton)   # the instructor looks
    assert exam.assessed.isVisible()


def test_the_main_window_opens_whole_on_a_laptop_screen():
    from PySide6.QtCore import QSize
    from simtool.ui.window import default_size
    laptop = default_size(QSize(1366, 728))          # 1366×768 less its taskbar
    assert laptop.width() <= 1366 - 16 and laptop.height() <= 728 - 40
    assert default_size(QSize(1920, 1040)) == QSize(1280, 800)
    assert default_size(None) == QSize(1280, 800)


def test_a_drill_started_by_mistake_is_discarded_from_the_console_with_a_reason(qtbot, view, monkeypatch):
    from PySide6.QtWidgets import QInputDialog
    s = view.session
    s.advance(30)
    s.act("call_for_help", by="t1")
    answers = iter([("", True), ("wrong scenario chosen", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    qtbot.mouseClick(view.discard_button, Qt.MouseButton.LeftButton)   # no reason: refused
    assert "needs a reason" in view.error_label.text() and not s.drill.ended
    with qtbot.waitSignal(view.drill_ended, timeout=1000):
        qtbot.mouseClick(view.discard_button, Qt.MouseButton.LeftButton)
    info = s.archive.drill(s.drill_id)
    assert (info.status, info.discard_reason) == ("discarded", "wrong scenario chosen")
    assert stored(view, "end") and stored(view, "action")   # ended and kept whole
    assert not view.discard_button.isEnabled()
    from simtool.ui.archiveviews.endofdrill import EndOfDrillView
    end = EndOfDrillView(s.archive, s.drill_id)
    qtbot.addWidget(end)
    assert end.safety.text().startswith("This drill was discarded: wrong scenario chosen.")


def test_an_action_past_the_first_hour_is_corrected_in_h_mm_ss(qtbot, view):
    """The log writes 1:05:00 past an hour; the correction dialog reads it back, and takes a
    corrected time written the same way."""
    s = view.session
    s.advance(3900)
    oxy = s.act("oxytocin", by="t1", dose=10, unit="IU", route="IM")
    s.advance(30)
    dialog = open_dialog(qtbot, view, oxy.seq)
    assert dialog.at.text() == "1:05:00"
    dialog.at.setText("1:04:30")
    qtbot.keyClicks(dialog.reason, "logged half a minute late")
    ok(qtbot, dialog)
    assert view.log.dialog is None, dialog.error.text()
    (amend,) = stored(view, "amend")
    assert amend.value("t") == 3870.0
