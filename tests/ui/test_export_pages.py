"""The trainee pages' "Export PDF…" (the portfolio and the progress report, ``ui.pdfexport``):
one export at a time — a double click starts one, greyed out until it ends, and a second start
is refused before any dialog opens; the status line says writing, saved or failed; and a page
closed (deleted, as a language switch does) while its export runs is left alone when the job
ends: no error for a written file, a failed one still reaches the application's error channel.

The PDF writer is stood in for by a job that waits for the test's word, so "while it runs" is
certain; the real writers are the views' own tests (test_portfolio_view, test_progress_view)."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QFileDialog

from simtool.store import Archive
from simtool.ui import portfolio as portfolio_page
from simtool.ui import progress as progress_page

from helpers.portfolio import STAFF as PORTFOLIO_STAFF
from helpers.portfolio import build_portfolio_archive
from helpers.progress import STAFF as PROGRESS_STAFF
from helpers.progress import build_progress_archive


@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    return {"portfolio": build_portfolio_archive(tmp_path_factory.mktemp("export-portfolio"))[0],
            "progress": build_progress_archive(tmp_path_factory.mktemp("export-progress"))}


class Gate:
    """The stand-in writer: waits until ``open()``, then writes a small file (or raises)."""

    def __init__(self) -> None:
        self.event, self.calls, self.error = threading.Event(), [], None

    def write(self, *args, force: bool = False) -> Path:
        out = next(a for a in args if isinstance(a, Path) and a.suffix == ".pdf")
        self.calls.append(out)
        assert self.event.wait(30), "the test never let the job finish"
        if self.error is not None:
            raise self.error
        out.write_bytes(b"%PDF-stand-in")
        return out

    def open(self) -> None:
        self.event.set()


@pytest.fixture(params=["portfolio", "progress"])
def page(request, qtbot, archives, monkeypatch):
    """(the page, its gate); the page shows a trainee, its PDF writer is the gate."""
    gate = Gate()
    archive = Archive.open(archives[request.param], create=False)
    if request.param == "portfolio":
        monkeypatch.setattr(portfolio_page, "write_portfolio_pdf", gate.write)
        w = portfolio_page.TraineePortfolio(archive)
        w.show_trainee(PORTFOLIO_STAFF)
    else:
        monkeypatch.setattr(progress_page, "write_progress_pdf", gate.write)
        w = progress_page.TraineeProgress(archive)
        assert w.show_progress(PROGRESS_STAFF, "pph_staff")
    w.resize(1366, 768)
    w.show()
    yield w, gate
    gate.open()
    QThreadPool.globalInstance().waitForDone()
    if shiboken6.isValid(w):   # not qtbot.addWidget: one test deletes the page itself
        w.close()
        w.deleteLater()
    archive.close()


@pytest.fixture
def reported(monkeypatch) -> list[BaseException]:
    """What reaches the application's error channel (``sys.excepthook``), a slot's own
    exception included."""
    seen: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda _t, exc, _tb: seen.append(exc))
    return seen


def _wait_for_the_pool(qtbot) -> None:
    QThreadPool.globalInstance().waitForDone()
    qtbot.wait(50)   # the queued result reaches the GUI thread


def test_a_double_click_starts_one_export_and_a_second_start_is_refused(qtbot, page, monkeypatch, tmp_path,
                                                                         reported):
    w, gate = page
    out = tmp_path / "mine.pdf"
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a: asked.append(a[2]) or (str(out), a[3])))
    assert w.export_button.isEnabled() and not w.pdf.busy
    qtbot.mouseClick(w.export_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.export_button, Qt.MouseButton.LeftButton)     # the second click of a double click
    qtbot.waitUntil(lambda: len(gate.calls) == 1)
    assert len(asked) == 1 and w.pdf.busy and not w.export_button.isEnabled()
    assert w.export_status.isVisible() and w.export_status.text() == "Writing the PDF…"
    assert w.export_pdf() is False and w.export_pdf(tmp_path / "other.pdf") is False
    assert len(asked) == 1                                             # refused before asking
    with qtbot.waitSignal(w.exported, timeout=20000) as done:
        gate.open()
    assert done.args == [str(out)] and gate.calls == [out] and out.read_bytes() == b"%PDF-stand-in"
    assert not w.pdf.busy and w.export_button.isEnabled()
    assert w.export_status.text() == "Saved mine.pdf" and w.export_status.toolTip() == str(out)
    assert reported == []


def test_a_failed_export_says_why_and_frees_the_button(qtbot, page, tmp_path, reported):
    w, gate = page
    gate.error = OSError(28, "No space left on device")
    with qtbot.waitSignal(w.export_failed, timeout=20000) as failed:
        assert w.export_pdf(tmp_path / "full.pdf")
        gate.open()
    assert failed.args == ["OSError: [Errno 28] No space left on device"]
    assert w.export_status.text() == "Export failed: OSError: [Errno 28] No space left on device"
    assert not w.pdf.busy and w.export_button.isEnabled()
    assert reported == [gate.error]


@pytest.mark.parametrize("outcome", ["written", "failed"])
def test_a_page_closed_while_its_export_runs_is_left_alone(qtbot, page, tmp_path, reported, outcome):
    w, gate = page
    out = tmp_path / "late.pdf"
    if outcome == "failed":
        gate.error = OSError(5, "Input/output error")
    results = []
    w.exported.connect(results.append)
    w.export_failed.connect(results.append)
    assert w.export_pdf(out)
    qtbot.waitUntil(lambda: len(gate.calls) == 1)
    w.close()
    shiboken6.delete(w)               # as a language switch's deleteLater does
    assert not shiboken6.isValid(w)
    gate.open()
    _wait_for_the_pool(qtbot)
    assert results == []
    if outcome == "written":
        assert out.read_bytes() == b"%PDF-stand-in" and reported == []
    else:
        assert not out.exists() and reported == [gate.error]   # the user still hears of it
