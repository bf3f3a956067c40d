"""The window's PDF exports (issue 14, deliverable 1): choosing the archive — or its -wal or
-shm — in the save dialog is refused with a message box; an existing file is replaced only
after the user said so; the proposed file name is built from sanitised parts; and the app
removes what a killed export left when it starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QFileDialog, QMessageBox

from simtool.store.outputs import registry_path
from simtool.ui import app as ui_app
from simtool.ui.archiveviews.exports import ExportBar

from helpers.outputs import hostile_copy, kill_a_writer, sha


@pytest.fixture
def db(hostile_archive, tmp_path) -> Path:
    return hostile_copy(hostile_archive, tmp_path)


@pytest.fixture
def bar(qtbot, db, hostile_archive):
    b = ExportBar(db, hostile_archive["drill"])
    qtbot.addWidget(b)
    yield b
    QThreadPool.globalInstance().waitForDone()


@pytest.fixture
def dialogs(monkeypatch):
    """The save dialog answers ``chosen[0]``; warnings and questions are recorded (and the
    question answered ``answer[0]``) instead of blocking the test."""
    seen: dict[str, list] = {"saves": [], "warnings": [], "questions": []}
    chosen: list[str] = [""]
    answer = [QMessageBox.StandardButton.No]

    def save(parent, caption, suggested, filters):
        seen["saves"].append(suggested)
        return chosen[0], filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text, *a: seen["warnings"].append(text)))
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda parent, title, text, *a: seen["questions"].append(text) or answer[0]))
    return seen, chosen, answer


@pytest.mark.parametrize("companion", ["", "-wal", "-shm"])
@pytest.mark.parametrize("kind", ["score-sheet", "debrief"])
def test_choosing_the_archive_in_the_save_dialog_is_refused_with_a_message(bar, db, dialogs, companion, kind):
    seen, chosen, _ = dialogs
    chosen[0] = str(db) + companion
    before = sha(db)
    export = bar.export_score_sheet if kind == "score-sheet" else bar.export_debrief
    assert export() is False   # nothing started
    (message,) = seen["warnings"]
    assert str(db) + companion in message and "archive" in message and "refusing" in message
    assert not bar.busy and bar.sheet_button.isEnabled()
    assert sha(db) == before and sorted(p.name for p in db.parent.iterdir()) == ["w.db"]


def test_a_file_chosen_in_the_dialog_is_replaced_the_dialog_having_asked(qtbot, bar, dialogs, tmp_path):
    seen, chosen, _ = dialogs
    out = tmp_path / "report.pdf"
    out.write_bytes(b"old")
    chosen[0] = str(out)
    with qtbot.waitSignal(bar.finished, timeout=30000):
        assert bar.export_debrief()
    assert out.read_bytes().startswith(b"%PDF") and seen["questions"] == [] and seen["warnings"] == []


def test_an_existing_file_given_without_the_dialog_is_replaced_only_if_the_user_agrees(
        qtbot, bar, dialogs, tmp_path):
    seen, _, answer = dialogs
    out = tmp_path / "sheet.pdf"
    out.write_bytes(b"the one from last week")
    answer[0] = QMessageBox.StandardButton.No
    assert bar.export_score_sheet(out) is False
    assert out.read_bytes() == b"the one from last week"
    assert seen["questions"] == [f"{out} already exists. Replace it?"]
    answer[0] = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(bar.finished, timeout=30000):
        assert bar.export_score_sheet(out)
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_the_proposed_file_name_is_plain_whatever_the_drill_id(bar, dialogs, hostile_archive):
    seen, chosen, _ = dialogs
    chosen[0] = ""   # the user cancels
    assert bar.export_debrief() is False
    (suggested,) = seen["saves"]
    # the drill id is "../../outside/drill<ESC>[2J": its first 8 characters "../../ou"
    assert suggested == "debrief-ou.pdf"
    assert "/" not in suggested and "\x1b" not in suggested


def test_the_app_removes_a_killed_exports_temporary_file_when_it_starts(qtbot, tmp_path, monkeypatch):
    target = tmp_path / "out" / "debrief.pdf"
    target.parent.mkdir()
    kill_a_writer(target)
    assert len(list(target.parent.iterdir())) == 1 and registry_path().read_text()

    def no_window(*_args):
        raise OSError(13, "Permission denied", "/nowhere")   # stop right after start-up

    monkeypatch.setattr(ui_app, "build_window", no_window)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: 0)
    assert ui_app.run_app("/nowhere") == 1
    assert list(target.parent.iterdir()) == [] and registry_path().read_text() == ""


def test_the_worker_jobs_refuse_the_archive_even_when_told_to_replace(db, hostile_archive):
    """The check on the GUI thread has a twin where the file is written: a target that became
    the archive meanwhile (a moved archive, a new symlink) is still refused."""
    from simtool.store.outputs import OutputError
    from simtool.ui.archiveviews.exports import write_debrief, write_score_sheet

    before = sha(db)
    with pytest.raises(OutputError, match="archive"):
        write_debrief(db, hostile_archive["drill"], db, force=True)
    with pytest.raises(OutputError, match="archive"):
        write_score_sheet(db, hostile_archive["drill"], Path(str(db) + "-wal"), force=True)
    assert sha(db) == before and sorted(p.name for p in db.parent.iterdir()) == ["w.db"]
