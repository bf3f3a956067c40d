"""Export buttons: a drill's score sheet and debrief as PDF, rendered off the GUI thread.

The jobs are plain functions (no Qt) that open their own ``Archive`` on the worker thread and
call ``simtool.reports`` the way ``simtool export`` does, writing through
``simtool.store.outputs.write_atomic`` (whole or not at all, never over the archive).

Where a PDF may go is decided on the GUI thread before the worker starts: the archive in use
and its ``-wal``/``-shm``/journal files are refused with a message box; an existing file is
replaced only when the user said so — in the save dialog (Qt asks before it returns an
existing file) or, for a path given without the dialog, in a question box.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton,
                               QWidget)

from simtool.core.errors import SimtoolError
from simtool.store.outputs import OutputError, check_target, safe_name_part, write_atomic
from simtool.ui.archiveviews.common import report_error
from simtool.ui.archiveviews.worker import run_in_background
from simtool.ui.display import BAD, GOOD, INFO, badge_style


def write_debrief(archive_path: Path, drill_id: str, out: Path, lang: str = "en", *,
                  force: bool = False, key_frames: bool = False) -> Path:
    """The debrief PDF of the drill (team view). Runs on a worker thread. ``force``: the user
    agreed to replace an existing ``out``; the archive is never written over. ``key_frames``:
    the video's picture beside each flag (as ``simtool export --key-frames``)."""
    from simtool.reports.debrief import render_debrief
    from simtool.reports.debriefdata import build_debrief
    from simtool.store import Archive

    with Archive.open(archive_path, create=False) as archive:
        data = render_debrief(build_debrief(archive, drill_id, lang, key_frames=key_frames))
    return write_atomic(out, data, protect=[archive_path], force=force)


def write_score_sheet(archive_path: Path, drill_id: str, out: Path, lang: str = "en",
                      sheet_id: str | None = None, *, force: bool = False) -> Path:
    """One score sheet as PDF: ``sheet_id``, else the team's current sheet (else the first)."""
    from simtool.reports.scoredata import build_score_sheet, drill_sheets
    from simtool.reports.scoresheet import render_score_sheet
    from simtool.store import Archive

    with Archive.open(archive_path, create=False) as archive:
        if sheet_id is None:
            sheets = drill_sheets(archive, drill_id)
            sheet_id = next((s.id for s in sheets if s.trainee_id is None), sheets[0].id)
        data = render_score_sheet(build_score_sheet(archive, sheet_id, lang))
    return write_atomic(out, data, protect=[archive_path], force=force)


class ExportBar(QWidget):
    """"Export score sheet…" and "Export debrief…" with a line saying how it went.

    ``finished(path)`` or ``failed(message)`` follows each export; a failure also goes to the
    application's error channel."""

    finished = Signal(str)
    failed = Signal(str)

    def __init__(self, archive_path: Path, drill_id: str, lang: str = "en",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive_path, self.drill_id, self.lang = Path(archive_path), drill_id, lang
        self.busy = False
        self.sheet_button = QPushButton(self.tr("Export score sheet…"))
        self.debrief_button = QPushButton(self.tr("Export debrief PDF…"))
        self.key_frames_box = QCheckBox(self.tr("Key frames from the video"))   # off by default
        self.key_frames_box.setToolTip(self.tr(
            "Put the video's picture at each flag beside it in the debrief PDF (needs a video "
            "attached to the drill)"))
        self.status = QLabel()
        self.status.setVisible(False)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.sheet_button)
        row.addWidget(self.debrief_button)
        row.addWidget(self.key_frames_box)
        row.addWidget(self.status, 1)
        self.sheet_button.clicked.connect(lambda: self.export_score_sheet())
        self.debrief_button.clicked.connect(lambda: self.export_debrief())

    def suggested_name(self, kind: str) -> str:
        """The file name the save dialog proposes: built from sanitised parts, so a drill id
        holding ``../`` or a control character proposes a plain name."""
        return f"{kind}-{safe_name_part(self.drill_id[:8], fallback='drill')}.pdf"

    def _ask(self, suggested: str) -> Path | None:
        # the dialog itself asks before it returns an existing file (Qt's default)
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export PDF"), suggested,
                                              self.tr("PDF files (*.pdf)"))
        return Path(name) if name else None

    def _target(self, path: str | Path | None, kind: str, force: bool) -> tuple[Path, bool] | None:
        """Where the PDF goes and whether it may replace a file there; None (after telling the
        user) when it may not be written there or nothing was chosen."""
        if path:
            out = Path(path)
        else:
            chosen = self._ask(self.suggested_name(kind))
            if chosen is None:
                return None
            out, force = chosen, True  # the save dialog confirmed replacing an existing file
        try:  # the archive, its companions, a folder or a device: never, whatever was confirmed
            check_target(out, protect=[self.archive_path], force=True)
        except OutputError as exc:
            QMessageBox.warning(self, self.tr("Export PDF"), str(exc))
            return None
        if not force and os.path.lexists(out):
            if not self._replace_asked(out):
                return None
            force = True
        return out, force

    def _replace_asked(self, out: Path) -> bool:
        answer = QMessageBox.question(
            self, self.tr("Export PDF"),
            self.tr("{file} already exists. Replace it?").format(file=str(out)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def export_debrief(self, path: str | Path | None = None, *, force: bool = False) -> bool:
        """Write the debrief PDF to ``path`` (asked for when None); False if nothing started.
        An existing ``path`` is replaced only with ``force`` or after the user agreed."""
        target = self._target(path, "debrief", force)
        if target is None:
            return False
        out, replace = target
        archive, did, lang = self.archive_path, self.drill_id, self.lang
        frames = self.key_frames_box.isChecked()
        return self._start(lambda: write_debrief(archive, did, out, lang, force=replace,
                                                 key_frames=frames))

    def export_score_sheet(self, path: str | Path | None = None, sheet_id: str | None = None, *,
                           force: bool = False) -> bool:
        target = self._target(path, "score-sheet", force)
        if target is None:
            return False
        out, replace = target
        archive, did, lang = self.archive_path, self.drill_id, self.lang
        return self._start(lambda: write_score_sheet(archive, did, out, lang, sheet_id, force=replace))

    def _start(self, job) -> bool:  # type: ignore[no-untyped-def]
        if self.busy:
            return False
        self._set_busy(True)
        self._say(self.tr("Writing the PDF…"), INFO)
        run_in_background(job, self._on_export_done, self._on_export_failed)
        return True

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.sheet_button.setEnabled(not busy)
        self.debrief_button.setEnabled(not busy)
        self.key_frames_box.setEnabled(not busy)

    def _say(self, text: str, tone) -> None:  # type: ignore[no-untyped-def]
        self.status.setText(text)
        self.status.setToolTip(text)
        self.status.setStyleSheet(badge_style(tone))
        self.status.setVisible(True)

    def _on_export_done(self, path: Path) -> None:
        self._set_busy(False)
        self._say(self.tr("Saved {file}").format(file=Path(path).name), GOOD)
        self.status.setToolTip(str(path))
        self.finished.emit(str(path))

    def _on_export_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        message = str(exc) if isinstance(exc, SimtoolError) else f"{type(exc).__name__}: {exc}"
        self._say(self.tr("Export failed: {reason}").format(reason=message), BAD)
        self.failed.emit(message)
        report_error(exc)
