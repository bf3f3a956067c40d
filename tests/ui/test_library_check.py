"""The scenario list at start-up: the window shows at once with every file "checking…", the
files are validated one per turn of the event loop once the list is on screen, and the list
fills in (issue 23: start-up ≤1.0 s).
What the instructor sees once it is done is what ``simtool validate`` says, as before."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from simtool.ui import library as library_module
from simtool.ui.app import build_window
from simtool.ui.library import LibraryView

from helpers.paths import PPH, SCENARIOS


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(PPH, tmp_path / PPH.name)
    shutil.copy(SCENARIOS / "actions.yaml", tmp_path / "actions.yaml")
    (tmp_path / "broken.yaml").write_text("id: broken\nstates: [\n", encoding="utf-8")
    return tmp_path


def statuses(view: LibraryView) -> dict[str, str]:
    tree = view.tree
    return {view.entries[i].path.name: tree.topLevelItem(i).text(view.COL_STATUS)
            for i in range(tree.topLevelItemCount())}


def test_the_window_lists_the_files_at_once_and_fills_in_their_status_when_checked(
        qtbot, folder, tmp_path) -> None:
    window = build_window(folder, tmp_path / "drills.sqlite")
    qtbot.addWidget(window)
    window.show()
    lib = window.library
    assert lib.checking
    assert statuses(lib) == {"broken.yaml": "checking…", PPH.name: "checking…",
                             "actions.yaml": "checking…"}
    assert lib.summary.text() == "Checking 3 files…"
    assert lib.pages.currentWidget() is lib.empty and lib.empty.text().startswith("Checking ")
    # nothing can be run from a file not yet checked: said, not crashed
    assert window.start_live_drill() is None
    assert window.statusBar().currentMessage() == "Select a valid scenario first."
    # the instructor picks the broken file while the list is still being checked
    assert lib.select_path(folder / "broken.yaml")
    with qtbot.waitSignal(lib.checked, timeout=30_000):
        pass
    assert not lib.checking
    shown = statuses(lib)
    assert shown[PPH.name] == "✓ valid" and shown["broken.yaml"] == "✗ 1 problem"
    assert shown["actions.yaml"].startswith("✓ valid · ")
    assert lib.summary.text() == "2 of 3 files valid"
    # the choice survived the fill-in, and shows what is wrong, FILE:LINE first
    assert lib.current_path() == folder / "broken.yaml"
    assert lib.pages.currentWidget() is lib._problems_page
    assert lib.problem_text.toPlainText().startswith(f"{folder / 'broken.yaml'}:")
    # and the valid scenario can now be run
    assert lib.select_path(folder / PPH.name)
    assert lib.pages.currentWidget() is lib._details_page
    window.close()


def test_reload_while_the_files_are_checked_wins_over_the_check(qtbot, folder, tmp_path) -> None:
    window = build_window(folder, tmp_path / "drills.sqlite")
    qtbot.addWidget(window)
    lib = window.library
    assert lib.checking
    lib._step()       # the check has read the catalogue ...
    # ... and the scenario is broken on disk before it is read; the instructor presses Reload
    (folder / PPH.name).write_text("id: pph\nstates: [\n", encoding="utf-8")
    lib.reload_button.click()
    assert not lib.checking and statuses(lib)[PPH.name] == "✗ 1 problem"
    qtbot.wait(20 * max(LibraryView.POLL_MS, 10) + LibraryView.START_LATEST_MS)
    assert not lib.checking and statuses(lib)[PPH.name] == "✗ 1 problem"
    window.close()


def test_a_folder_that_cannot_be_read_is_said_in_the_list_not_raised(
        qtbot, folder, tmp_path, monkeypatch) -> None:
    def unreadable(path: Path, *_a):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(library_module, "read_entry", unreadable)
    view = LibraryView(folder, check_in_background=True)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.checked, timeout=30_000):
        pass
    assert view.entries == [] and not view.checking
    assert view.summary.text().startswith("The folder could not be read: ")
    assert "Permission denied" in view.summary.text()


def test_a_language_change_keeps_the_checked_list_without_reading_the_files_again(
        qtbot, folder, tmp_path, monkeypatch) -> None:
    window = build_window(folder, tmp_path / "drills.sqlite")
    qtbot.addWidget(window)
    window.library.finish_check()
    calls: list[Path] = []
    real = library_module.scan
    monkeypatch.setattr(library_module, "scan", lambda f: calls.append(f) or real(f))
    window.set_language("zh_CN")
    assert calls == []
    assert statuses(window.library)[PPH.name] == "✓ 有效"
    assert window.library.tree.topLevelItem(0).text(0) == "产后出血——阴道分娩后子宫收缩乏力"
    window.close()


def test_the_list_checked_in_the_background_is_the_one_reload_gives(qtbot, folder, tmp_path) -> None:
    background = LibraryView(folder, check_in_background=True)
    qtbot.addWidget(background)
    with qtbot.waitSignal(background.checked, timeout=30_000):
        pass
    direct = LibraryView(folder)
    qtbot.addWidget(direct)
    assert [(e.path, e.kind, e.problems, e.valid) for e in background.entries] == \
        [(e.path, e.kind, e.problems, e.valid) for e in direct.entries]
    assert statuses(background) == statuses(direct)
    QApplication.processEvents()
