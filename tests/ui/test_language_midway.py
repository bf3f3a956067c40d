"""Switching the language in the middle of a drill: every page of the drill follows — setup,
prebrief, console, monitor, end of drill, scoring — and nothing entered is lost."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QComboBox, QMessageBox

from simtool.store import Archive
from simtool.ui.archiveviews import EndOfDrillView, ScoringPanel
from simtool.ui.console import ConsoleView, PrebriefView, SetupForm
from simtool.ui.window import MainWindow

from simtool.ui.archiveviews.scoring import COL_EVIDENCE

from helpers.marking import complete
from helpers.paths import PPH, SCENARIOS

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_a_drill_changes_language_at_every_step_and_keeps_what_was_entered(qtbot, tmp_path, monkeypatch):
    db = tmp_path / "drills.sqlite"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    w = MainWindow(SCENARIOS, archive_path=db, lang="en")
    qtbot.addWidget(w)
    try:
        assert w.library.select_path(PPH)
        setup = w.start_live_drill()
        setup.set_participant(0, "Li Na", "S001", "midwife")
        setup.set_participant(1, "Wang Fang", "S002", "obstetrician")
        setup.weight.setValue(72.5)
        setup.conditions["asthma"].setChecked(True)
        setup.examiners.setPlainText("Dr Zhou")
        setup.evaluation.setCurrentIndex(setup.evaluation.findData("summative"))
        setup.submit()  # the anaesthetist is missing: the problem is shown
        assert not setup.participants_error.isHidden()

        # --- setup: rebuilt in Chinese with every entry ---------------------------------------
        w.set_language("zh_CN")
        form = w.stack.currentWidget()
        assert isinstance(form, SetupForm) and form is not setup
        assert form.done_button.text() != "Continue to prebrief" and CJK.search(form.done_button.text())
        assert form.title.text().startswith("产后出血")  # the scenario's own title, in Chinese
        assert [r[:2] for r in form._rows()][:2] == [("Li Na", "S001"), ("Wang Fang", "S002")]
        assert form.table.cellWidget(0, 2).currentText() == "助产士"
        assert form.weight.value() == 72.5 and form.conditions["asthma"].isChecked()
        assert form.examiners.toPlainText() == "Dr Zhou" and form.evaluation.currentData() == "summative"
        assert not form.participants_error.isHidden() and CJK.search(form.participants_error.text())
        form.set_participant(2, "Chen Jie", "S003", "anaesthetist")
        form.submit()

        # --- prebrief ---------------------------------------------------------------------------
        assert isinstance(w.stack.currentWidget(), PrebriefView)
        w.set_language("en")
        prebrief = w.stack.currentWidget()
        assert isinstance(prebrief, PrebriefView) and prebrief.start_button.text() == "Start drill"
        prebrief.start_button.click()

        # --- console and monitor of the running drill ---------------------------------------------
        console = w.stack.currentWidget()
        assert isinstance(console, ConsoleView)
        session = w.live.session
        session.stop_clock()
        session.advance(700)
        console.set_actor("p2")
        console.note_edit.setText("fundus still boggy")
        console.log_action("carboprost")  # flagged: asthma
        console.dose_dialog.accept()
        assert console.actor() is None   # credited for that action only
        console.set_actor("p2")
        console.log_action("tranexamic_acid")
        console.dose_dialog.set_values(1.0, "g", "IV")
        monitor = w.live.monitor
        assert monitor.nibp_button.text() == "NIBP now (N)"

        w.set_language("zh_TW")
        new = w.stack.currentWidget()
        assert isinstance(new, ConsoleView) and new is not console and w.live.console is new
        assert new.pause_button.text() != "Pause" and CJK.search(new.pause_button.text())
        assert CJK.search(new.state_label.text())
        assert new.actor() == "p2" and new.note_edit.text() == "fundus still boggy"
        # the flag raised before the switch, worded again in Traditional Chinese from the record,
        # which holds its rule and numbers and no words in any language
        assert new.flag_list.count() == 1 and "氣喘" in new.flag_list.item(0).text()
        (flag,) = session.drill.flags()
        assert flag.text is None and flag.value("conditions") == ("asthma",)
        assert new.dose_dialog is not None and new.dose_dialog.values() == (1.0, "g", "IV")
        assert CJK.search(new.dose_dialog.windowTitle())
        # the monitor follows Qt's LanguageChange, delivered through the event loop
        qtbot.waitUntil(lambda: monitor.nibp_button.text() != "NIBP now (N)", timeout=2000)
        assert CJK.search(monitor.nibp_button.text())
        assert CJK.search(monitor.blocks["hr"].title + monitor.blood_loss.title)
        new.dose_dialog.accept()
        assert [(e.action, e.dose) for e in session.drill.actions_done()] == [
            ("carboprost", 250.0), ("tranexamic_acid", 1.0)]
        session.advance(60)
        new.end_button.click()

        # --- end of drill: scoring opens as a page, once -----------------------------------------
        end = w.stack.currentWidget()
        assert isinstance(end, EndOfDrillView)
        end.score_button.click()
        panel = w.stack.currentWidget()
        assert isinstance(panel, ScoringPanel) and end.scoring_panel is None
        team = panel.tabs_by_key["team"]
        evidence = [team.table.item(r, COL_EVIDENCE).text() for r in range(team.table.rowCount())]
        assert all(CJK.search(t) for t in evidence if t), evidence
        assert not any(re.search(r"\b(missed|done at|event|detection)\b", t) for t in evidence), evidence
        assert CJK.search(team.verdict.text())
        dialog = panel.open_override("team", "help_called")
        dialog.reason_edit.setPlainText("  ")
        dialog.accept()  # no reason: refused, and told in Chinese
        assert dialog.isVisible() and CJK.search(dialog.error.text())
        dialog.reject()
        p1 = panel.tabs_by_key["p1"]
        observed = next(k for k, b in p1.mark_widgets.items() if isinstance(b, QComboBox))
        panel.set_mark("p1", observed, True)
        p1.comment.setPlainText("清楚的闭环沟通")
        panel.set_examiner("Dr Zhou")
        panel.tabs.setCurrentIndex(0)

        # --- scoring: back to English with the marks -----------------------------------------------
        w.set_language("en")
        again = w.stack.currentWidget()
        assert isinstance(again, ScoringPanel) and again is not panel
        a1 = again.tabs_by_key["p1"]
        assert a1.mark_widgets[observed].currentData() is True
        assert a1.table.item(a1.row_of[observed], 1).text() == "met"
        assert a1.comment.toPlainText() == "清楚的闭环沟通" and a1.examiner.text() == "Dr Zhou"
        english = [again.tabs_by_key["team"].table.item(r, COL_EVIDENCE).text()
                   for r in range(again.tabs_by_key["team"].table.rowCount())]
        assert not any(CJK.search(t) for t in english), english
        complete(again, "p1")
        sheet = again.sign("p1")
        assert sheet is not None
        with Archive.open(db, create=False) as archive:
            stored = archive.sheet(sheet)
            item = next(i for i in stored.data["items"] if i["id"] == observed)
            assert item["status"] == "met" and stored.data["comment"] == "清楚的闭环沟通"
    finally:
        w.live.close()
