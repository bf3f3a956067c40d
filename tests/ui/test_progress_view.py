"""The progress view (issue 20, item 3): a trainee with a failed OSCE practical reads "not
cleared" and "retraining due by" in the banner; one cleared reads "cleared to work since"; the
pain programme's table shows each requirement's done / pending / missing under its stage;
"Export PDF…" writes the progress report; the window's toolbar opens the view; an entry typed in
is pending until the supervisor it names countersigns it (asked and confirmed first); and a
supervisor's queue lists what they must countersign."""

from __future__ import annotations

import pytest

from simtool.store import Archive
from simtool.ui.progress import TraineeProgress

from helpers.paths import SCENARIOS
from helpers.progress import (CLEARED_ON, CLEARED_STAFF, PPH_MISSING, RETRAIN_DUE, STAFF,
                              build_progress_archive)

PAIN, PPH = "pain_medicine_specialist", "pph_staff"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_progress_archive(tmp_path_factory.mktemp("progress-view"))


@pytest.fixture
def view(qtbot, db):
    archive = Archive.open(db, create=False)
    w = TraineeProgress(archive)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    yield w
    archive.close()


def test_a_failed_practical_reads_not_cleared_and_retraining_due(view):
    assert view.show_progress(STAFF, PPH)
    assert view.banner_text() == (f"Not cleared: {PPH_MISSING} requirement(s) missing · "
                                  f"Retraining due by {RETRAIN_DUE}")
    assert "#8e1b1b" in view.banner.styleSheet()           # red: retraining is due
    assert "Exam: Practical examination (OSCE skills) (fail on 2026-03-02)" in view.missing_label.text()
    assert "Simulation: Intraoperative cell salvage station passed (OSCE), signed (1 missing)" \
        in view.missing_label.text()
    t = view.exam_table
    assert [t.item(0, c).text() for c in (2, 3)] == ["fail on 2026-03-02", RETRAIN_DUE]
    sim = view.simulation_table        # the team drill and the balloon station are credited
    assert [sim.item(r, 4).text() for r in range(sim.rowCount())] == ["0", "0", "1"]
    assert not view.tabs.isTabEnabled(0) and view.tabs.currentIndex() == 1   # no procedure counts


def test_a_cleared_trainee_reads_cleared_since(view):
    assert view.show_progress(CLEARED_STAFF, PPH)
    assert view.banner_text() == f"Cleared to work since {CLEARED_ON}"
    assert not view.retrain_banner.isVisible() and not view.missing_label.isVisible()


def test_the_table_shows_done_pending_and_missing_by_stage(view):
    assert view.show_progress(STAFF, PAIN)
    rows = {r["id"]: r for r in view.requirement_rows()}
    assert len(rows) == 77
    sgb = rows["stage_one/stellate_ganglion_block/supervised"]
    assert (sgb["Level"], sgb["Required"], sgb["Done"], sgb["Pending"], sgb["Missing"]) == \
        ("supervised", "20", "3", "2", "17")
    assert rows["stage_two/stellate_ganglion_block/independent"]["Done"] == "0"
    t = view.procedure_table
    stage_rows = [t.item(r, 0).text() for r in range(t.rowCount()) if t.columnSpan(r, 0) > 1]
    assert [s.split(" — ")[1] for s in stage_rows] == ["0 of 40 met", "0 of 37 met"]
    assert view.banner_text() == "Not cleared: 77 requirement(s) missing"


def test_export_pdf_writes_the_progress_report(qtbot, view, tmp_path):
    assert view.show_progress(STAFF, PPH)
    out = tmp_path / "li.pdf"
    with qtbot.waitSignal(view.exported, timeout=20000) as done:
        assert view.export_pdf(out)
    assert done.args == [str(out)] and out.read_bytes().startswith(b"%PDF")
    assert view.suggested_name() == "progress-S100-pph_staff-en.pdf"


def test_the_window_opens_the_view_from_its_toolbar(qtbot, db):
    from simtool.ui.window import MainWindow
    w = MainWindow(SCENARIOS, archive_path=db, lang="en")
    qtbot.addWidget(w)
    assert w.progress_action in w.toolbar.actions() and w.progress_action.text() == "Progress"
    w.progress_action.trigger()
    page = w.stack.currentWidget()
    assert isinstance(page, TraineeProgress)
    assert page.show_progress(STAFF, PPH)
    w.set_language("zh_CN")                   # rebuilt in the new language, the same trainee
    again = w.stack.currentWidget()
    assert isinstance(again, TraineeProgress) and again is not page
    assert again.data["trainee"]["staff_id"] == STAFF and again.lang == "zh_CN"
    w.close()


def test_an_entry_typed_in_is_pending_until_the_supervisor_countersigns_it(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QInputDialog, QMessageBox
    archive = Archive.open(build_progress_archive(tmp_path), create=False)   # its own: it writes
    view = TraineeProgress(archive)
    qtbot.addWidget(view)
    assert view.show_progress(STAFF, PAIN)
    before = {r["id"]: r for r in view.requirement_rows()}["stage_one/intercostal_nerve_block/independent"]
    assert (before["Done"], before["Pending"]) == ("0", "")
    pending = view.pending_table.rowCount()
    form = view.add_entry()
    qtbot.addWidget(form)
    form.procedure.setCurrentIndex(form.procedure.findData("intercostal_nerve_block"))
    form.level.setCurrentIndex(form.level.findData("independent"))
    form.supervisor.setCurrentIndex(form.supervisor.findData("D900"))
    form.case_ref.setText("")
    assert not form.submit() and "case_ref" in form.problem.text()   # refused, named, kept open
    form.case_ref.setText("C-0142")
    assert form.submit()
    row = {r["id"]: r for r in view.requirement_rows()}["stage_one/intercostal_nerve_block/independent"]
    assert (row["Done"], row["Pending"]) == ("0", "1")               # logged: not counted yet
    assert view.pending_table.rowCount() == pending + 1
    entry_id = form.entry["id"]

    asked, confirmed = [], []
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (asked.append(a[2]) or "王主任 (D900)", True))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (
        confirmed.append(a[2]) or QMessageBox.StandardButton.No))
    assert not view.countersign(entry_id)                            # declined: nothing signed
    assert "never be changed" in confirmed[0] and "D900" in asked[0]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert view.countersign(entry_id)
    row = {r["id"]: r for r in view.requirement_rows()}["stage_one/intercostal_nerve_block/independent"]
    assert (row["Done"], row["Pending"], row["Missing"]) == ("1", "", "4")
    assert entry_id not in [view.pending_table.item(r, 0).data(256) for r in range(view.pending_table.rowCount())]
    archive.close()


def test_a_supervisors_queue_lists_what_they_must_countersign(view):
    assert view.show_progress(CLEARED_STAFF, PPH)
    assert view.pending_table.rowCount() == 0                       # Zhou Min has nothing pending
    view.queue.setCurrentIndex(view.queue.findData("D900"))
    view._show_pending()
    trainees = {view.pending_table.item(r, 1).text() for r in range(view.pending_table.rowCount())}
    assert trainees == {"李娜 (S100)"}                               # Li Na's entries await D900
