"""The examiner's work is never lost: marks, ratings and comments entered on the scoring panel
are kept as the chosen examiner's draft, there again when the page is left and opened again,
and after the process is killed mid-marking; the LAST anaesthetist's sheet is rated on its
ANTS page, cannot be signed without it (each missing element named, in Chinese on a Chinese
panel), and its score sheet prints the block's categories and elements in 简体中文."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtWidgets import QMessageBox

from simtool.app.marking import drafts
from simtool.core.rubric import load_rubric
from simtool.core.scenario import load_scenario
from simtool.reports.scoredata import build_score_sheet
from simtool.reports.scoresheet import render_score_sheet
from simtool.store import Archive
from simtool.ui.archiveviews.scoring import ScoringPanel
from simtool.ui.translations import install_translator

from helpers.marking import complete, recorded_last_drill
from helpers.paths import ROOT, RUBRICS, SCENARIOS

LAST_RUBRIC = RUBRICS / "last_nerve_block_technical.yaml"


@pytest.fixture(scope="module")
def last():
    return load_scenario(SCENARIOS / "last_nerve_block.yaml")


@pytest.fixture()
def db(last, tmp_path):
    """The LAST good-care drill, ended, in a fresh archive."""
    path = tmp_path / "a.sqlite"
    did, _drill = recorded_last_drill(path)
    return path, did


def anaesthetist(panel) -> str:
    return next(p.id for p in panel.drill.participants if p.role == "anaesthetist")


def test_leaving_the_page_and_coming_back_keeps_every_mark(qtbot, last, db):
    path, did = db
    rubric = load_rubric(LAST_RUBRIC, last)
    with Archive.open(path) as archive:
        p = ScoringPanel.from_archive(archive, did, rubric)
        qtbot.addWidget(p)
        p.show()
        who = anaesthetist(p)
        p.set_mark(who, "closed_loop", True)            # before the examiner is chosen ...
        p.set_examiner("Dr Zhou", "E01")                # ... kept as theirs once chosen
        p.rate(who, "ants", "prioritising", 2)
        tab = p.tabs_by_key[who]
        tab.grade.setCurrentIndex(tab.grade.findData("good"))
        tab.comment.setPlainText("Led the checklist aloud")
        p.hide()                                        # leave the page: the comment is kept
        p.deleteLater()
    with Archive.open(path) as archive:
        again = ScoringPanel.from_archive(archive, did, rubric)
        qtbot.addWidget(again)
        tab = again.tabs_by_key[who]
        assert again.examiner_box.currentText() == "Dr Zhou (E01)"
        assert tab.mark_widgets["closed_loop"].currentData() is True
        assert tab.blocks["ants"].ratings() == {"prioritising": 2}
        assert tab.grade.currentData() == "good"
        assert tab.comment.toPlainText() == "Led the checklist aloud"
        assert "met" in tab.table.item(tab.row_of["closed_loop"], 1).text()
        assert archive.verify() == []


def test_marks_survive_the_app_being_killed_mid_marking(qtbot, last, db, tmp_path):
    path, did = db
    code = textwrap.dedent(f"""
        import os, signal, sys, time
        sys.path.insert(0, {str(ROOT / 'tests')!r})
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from simtool.core.rubric import load_rubric
        from simtool.core.scenario import load_scenario
        from simtool.store import Archive
        from simtool.ui.archiveviews.scoring import ScoringPanel
        from helpers.paths import RUBRICS, SCENARIOS
        last = load_scenario(SCENARIOS / "last_nerve_block.yaml")
        archive = Archive.open({str(path)!r})
        p = ScoringPanel.from_archive(archive, {did!r}, load_rubric(RUBRICS / "last_nerve_block_technical.yaml", last))
        p.show()
        who = next(x.id for x in p.drill.participants if x.role == "anaesthetist")
        p.set_examiner("Dr Qian", "E07")
        p.set_mark(who, "leads_checklist", True)
        p.rate(who, "ants", "anticipating", 4)
        p.tabs_by_key[who].comment.setPlainText("typed just before the crash")
        end = time.monotonic() + 2.0            # the typing pause that keeps a comment
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)
        print("marked", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)
    assert proc.returncode == -signal.SIGKILL and "marked" in proc.stdout, proc.stderr[-2000:]
    rubric = load_rubric(LAST_RUBRIC, last)
    with Archive.open(path) as archive:
        (d,) = drafts(archive, did)
        assert d.marks.items == {"leads_checklist": True}
        assert d.marks.nts == {"ants": {"anticipating": 4}}
        assert d.marks.comment == "typed just before the crash"
        again = ScoringPanel.from_archive(archive, did, rubric)
        qtbot.addWidget(again)
        who = anaesthetist(again)
        assert again.tabs_by_key[who].blocks["ants"].ratings() == {"anticipating": 4}
        assert archive.verify() == []


def test_the_last_sheet_needs_its_ants_ratings_and_prints_them_in_chinese(qtbot, qapp, last, db,
                                                                         monkeypatch, tmp_path):
    path, did = db
    install_translator(qapp, "zh_CN")
    try:
        rubric = load_rubric(LAST_RUBRIC, last)
        with Archive.open(path) as archive:
            p = ScoringPanel.from_archive(archive, did, rubric, lang="zh_CN")
            qtbot.addWidget(p)
            who = anaesthetist(p)
            tab = p.tabs_by_key[who]
            assert [tab.pages.tabText(i) for i in range(tab.pages.count())][1] == \
                "麻醉医生非技术技能（ANTS）"
            p.set_examiner("Dr Zhou", "E01")
            p.set_mark(who, "closed_loop", True)
            p.set_mark(who, "leads_checklist", True)
            tab.grade.setCurrentIndex(tab.grade.findData("good"))
            asked = []
            monkeypatch.setattr(QMessageBox, "question",
                                lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes)
            tab.sign_button.click()
            assert asked == [] and p.signed_sheet_id(who) is None   # refused before asking
            said = tab.message.text()
            assert "计划与准备" in said and "预判" in said and "planning_and_preparing" not in said
            complete(p, who)
            tab.sign_button.click()
            assert len(asked) == 1 and p.signed_sheet_id(who) is not None
            report = build_score_sheet(archive, p.signed_sheet_id(who), "zh_CN")
            shown = [(r.block, r.category, r.score) for r in report.nts]
            assert shown[0][:2] == ("麻醉医生非技术技能（ANTS）", "任务管理")
            assert ("", "· 计划与准备", "4 · 良好") in shown
            assert not any("task_management" in c or "planning" in c for _b, c, _s in shown)
            if shutil.which("pdftotext"):
                pdf = tmp_path / "sheet.pdf"
                pdf.write_bytes(render_score_sheet(report))
                text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                      text=True, check=True).stdout
                assert "计划与准备" in text and "task_management" not in text
    finally:
        install_translator(qapp, "en")


def test_choosing_the_same_examiner_again_keeps_them_shown(qtbot, last, db):
    path, did = db
    rubric = load_rubric(LAST_RUBRIC, last)
    with Archive.open(path) as archive:
        p = ScoringPanel.from_archive(archive, did, rubric)
        qtbot.addWidget(p)
        p.set_examiner("Dr Zhou", "E01")
        p.set_mark(anaesthetist(p), "closed_loop", True)
        again = ScoringPanel.from_archive(archive, did, rubric)   # opens on Dr Zhou's drafts
        qtbot.addWidget(again)
        again.set_examiner("Dr Zhou", "E01")
        assert again.examiner_box.currentText() == "Dr Zhou (E01)"
        assert "Dr Zhou (E01)'s draft" in again.draft_label.text()


def test_a_signed_sheet_is_amended_from_the_panel_with_a_reason_and_the_pdf_says_so(
        qtbot, last, db, tmp_path):
    path, did = db
    rubric = load_rubric(LAST_RUBRIC, last)
    with Archive.open(path) as archive:
        p = ScoringPanel.from_archive(archive, did, rubric)
        qtbot.addWidget(p)
        who = anaesthetist(p)
        p.set_examiner("Dr Zhou", "E01")
        complete(p, who)
        first = p.sign(who)
        tab = p.tabs_by_key[who]
        assert first is not None and not tab.amend_button.isHidden() and not tab.sign_button.isEnabled()
        assert not p.start_amendment(who, "   ")              # a reason is needed
        assert p.start_amendment(who, "the checklist was led by the nurse")
        assert tab.mark_widgets["leads_checklist"].currentData() is True   # the signed marks, to change
        p.set_mark(who, "leads_checklist", False)
        second = p.sign(who)
        assert second not in (None, first)
        new, old = archive.sheet(second), archive.sheet(first)
        assert new.supersedes == first and new.signed and old.signed     # the first kept unchanged
        item = next(i for i in new.data["items"] if i["id"] == "leads_checklist")
        assert item["status"] == "not met"
        (amendment,) = archive.amendments(first)
        assert (amendment.why, amendment.new_sheet_id) == ("the checklist was led by the nurse", second)
        assert "Amended (version 2): the checklist was led by the nurse" in tab.signed_label.text()
        report = build_score_sheet(archive, second, "en")
        assert report.amended.startswith("Amended by Dr Zhou at ") and \
            report.amended.endswith("(supersedes version 1): the checklist was led by the nurse")
        assert archive.verify() == []


def test_a_signed_sheet_shows_the_examiners_marks_not_unmarked_boxes(qtbot, last, db):
    """Opened again after signing, each examiner item shows the mark that was signed (not
    "— not marked —" beside evidence saying the examiner marked it), read-only, and the line
    above the sheet says it is signed rather than that marks are kept as a draft."""
    path, did = db
    rubric = load_rubric(LAST_RUBRIC, last)
    with Archive.open(path) as archive:
        p = ScoringPanel.from_archive(archive, did, rubric)
        qtbot.addWidget(p)
        who = anaesthetist(p)
        p.set_examiner("Dr Zhou", "E01")
        complete(p, who)
        p.set_mark(who, "leads_checklist", False)
        marked = {i: w.currentData() for i, w in p.tabs_by_key[who].mark_widgets.items()
                  if hasattr(w, "currentData")}
        assert p.sign(who) is not None
        p.close()
        again = ScoringPanel.from_archive(archive, did, rubric)
        qtbot.addWidget(again)
        again.show()
        tab = again.tabs_by_key[who]
        assert tab.is_signed
        shown = {i: w.currentData() for i, w in tab.mark_widgets.items() if hasattr(w, "currentData")}
        assert shown == marked and shown["leads_checklist"] is False
        assert all(v is not None for v in shown.values())
        assert not any(w.isEnabled() for w in tab.mark_widgets.values())
        again.tabs.setCurrentWidget(tab)
        assert again.draft_label.text().startswith("This sheet is signed")
        team = next(t for k, t in again.tabs_by_key.items() if not t.is_signed)
        again.tabs.setCurrentWidget(team)
        assert "draft" in again.draft_label.text() or "examiner" in again.draft_label.text()
