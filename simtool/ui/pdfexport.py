"""A page's "Export PDF…": the one piece of code behind the trainee pages' exports (the
portfolio, ``ui.portfolio``, and the progress report, ``ui.progress``).

The page keeps its button, its status line, its signals and its words — translated in its own
context before they get here: this module calls no ``tr``. ``PdfExport.start`` asks where the
PDF goes (the save dialog, or a path given), refuses the archive and its companions, asks
before replacing a file given without the dialog, runs the page's job on a pool thread
(``archiveviews.worker.run_in_background``) and says "writing", "saved" or "failed" in the
status line. One export at a time: while one runs the button is greyed and a second start
(a double click) is refused. A page closed or rebuilt meanwhile (a language switch) is left
alone when the job ends: the file is written all the same, and a failure still goes to the
application's error channel.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QPushButton, QWidget
from shiboken6 import isValid

from simtool.core.errors import SimtoolError
from simtool.store.outputs import OutputError, check_target
from simtool.ui.archiveviews.common import report_error
from simtool.ui.archiveviews.worker import run_in_background
from simtool.ui.display import BAD, GOOD, INFO, Tone, badge_style

# (archive path, out, replace) -> the path written; runs on a pool thread, so it reads nothing
# of the page (what it needs is captured on the GUI thread before it starts)
Job = Callable[[Path, Path, bool], Any]


@dataclass(frozen=True)
class ExportWords:
    """The page's texts, already translated; ``%1`` stands for the file or the reason."""

    title: str      # the save dialog's and the message boxes' title: "Export PDF"
    filter: str     # the save dialog's filter: "PDF files (*.pdf)"
    replace: str    # "%1 already exists. Replace it?"
    writing: str    # "Writing the PDF…"
    saved: str      # "Saved %1"
    failed: str     # "Export failed: %1"


class PdfExport:
    """The export behind ``page``'s ``button``, told in ``status``. ``ready()``: the page shows
    something to export (the button is enabled only then); ``exported(path)`` or
    ``failed(message)`` follows each export that started."""

    def __init__(self, page: QWidget, button: QPushButton, status: QLabel, archive_path: Path,
                 words: ExportWords, *, ready: Callable[[], bool], exported: Callable[[str], Any],
                 failed: Callable[[str], Any]) -> None:
        self.page, self.button, self.status, self.words = page, button, status, words
        self.archive_path = Path(archive_path)
        self._ready, self._exported, self._failed = ready, exported, failed
        self.busy = False

    def update_button(self) -> None:
        self.button.setEnabled(not self.busy and self._ready())

    def start(self, job: Job, suggested: str, path: str | os.PathLike[str] | None = None, *,
              force: bool = False) -> bool:
        """Write through ``job`` to ``path`` (asked for, proposing ``suggested``, when None). An
        existing ``path`` is replaced only with ``force`` or after the user agreed (the save
        dialog asks itself). False if nothing started."""
        if self.busy:
            return False
        target = self._target(path, suggested, force)
        if target is None:
            return False
        out, replace = target
        archive_path = self.archive_path
        self._set_busy(True)
        self._say(self.words.writing, INFO)
        run_in_background(lambda: job(archive_path, out, replace), self._done, self._failed_with)
        return True

    def _target(self, path: str | os.PathLike[str] | None, suggested: str,
                force: bool) -> tuple[Path, bool] | None:
        """Where the PDF goes and whether it may replace a file there; None (after telling the
        user) when it may not go there or nothing was chosen."""
        if path is None:
            name, _ = QFileDialog.getSaveFileName(self.page, self.words.title, suggested, self.words.filter)
            if not name:
                return None
            out, force = Path(name), True
        else:
            out = Path(path)
        try:   # the archive, its companions, a folder or a device: never, whatever was confirmed
            check_target(out, protect=[self.archive_path], force=True)
        except OutputError as exc:
            QMessageBox.warning(self.page, self.words.title, str(exc))
            return None
        if not force and os.path.lexists(out):
            answer = QMessageBox.question(
                self.page, self.words.title, self.words.replace.replace("%1", str(out)),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return None
            force = True
        return out, force

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.update_button()

    def _say(self, text: str, tone: Tone) -> None:
        self.status.setText(text)
        self.status.setToolTip(text)
        self.status.setStyleSheet(badge_style(tone))
        self.status.setVisible(True)

    def _done(self, path: Path) -> None:
        self.busy = False
        if not isValid(self.page):   # closed or rebuilt while the job ran: the file is written
            return
        self._set_busy(False)
        self._say(self.words.saved.replace("%1", Path(path).name), GOOD)
        self.status.setToolTip(str(path))
        self._exported(str(path))

    def _failed_with(self, exc: BaseException) -> None:
        self.busy = False
        if isValid(self.page):
            self._set_busy(False)
            message = str(exc) if isinstance(exc, SimtoolError) else f"{type(exc).__name__}: {exc}"
            self._say(self.words.failed.replace("%1", message), BAD)
            self._failed(message)
        report_error(exc)
