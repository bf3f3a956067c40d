"""Export buttons: a drill's score sheet and debrief as PDF, rendered off the GUI thread.

The jobs are plain functions (no Qt) that open their own ``Archive`` on the worker thread and
call ``simtool.reports`` the way ``simtool export`` does.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from simtool.core.errors import SimtoolError
from simtool.ui.archiveviews.common import report_error
from simtool.ui.archiveviews.worker import run_in_background
from simtool.ui.display import BAD, GOOD, INFO, badge_style


def _write(path: Path, data: bytes) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise SimtoolError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path


def write_debrief(archive_path: Path, drill_id: str, out: Path, lang: str = "en") -> Path:
    """The debrief PDF of the drill (team view). Runs on a worker thread."""
    from simtool.reports.debrief import render_debrief
    from simtool.reports.debriefdata import build_debrief
    from simtool.store import Archive

    with Archive.open(archive_path, create=False) as archive:
        data = render_debrief(build_debrief(archive, drill_id, lang))
    return _write(out, data)


def write_score_sheet(archive_path: Path, drill_id: str, out: Path, lang: str = "en",
                      sheet_id: str | None = None) -> Path:
    """One score sheet as PDF: ``sheet_id``, else the team's current sheet (else the first)."""
    from simtool.reports.scoredata import build_score_sheet, drill_sheets
    from simtool.reports.scoresheet import render_score_sheet
    from simtool.store import Archive

    with Archive.open(archive_path, create=False) as archive:
        if sheet_id is None:
            sheets = drill_sheets(archive, drill_id)
            sheet_id = next((s.id for s in sheets if s.trainee_id is None), sheets[0].id)
        data = render_score_sheet(build_score_sheet(archive, sheet_id, lang))
    return _write(out, data)


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
        self.status = QLabel()
        self.status.setVisible(False)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.sheet_button)
        row.addWidget(self.debrief_button)
        row.addWidget(self.status, 1)
        self.sheet_button.clicked.connect(lambda: self.export_score_sheet())
        self.debrief_button.clicked.connect(lambda: self.export_debrief())

    def _ask(self, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export PDF"), suggested,
                                              self.tr("PDF files (*.pdf)"))
        return Path(name) if name else None

    def export_debrief(self, path: str | Path | None = None) -> bool:
        """Write the debrief PDF to ``path`` (asked for when None); False if nothing started."""
        out = Path(path) if path else self._ask(f"debrief-{self.drill_id[:8]}.pdf")
        if out is None:
            return False
        archive, did, lang = self.archive_path, self.drill_id, self.lang
        return self._start(lambda: write_debrief(archive, did, out, lang))

    def export_score_sheet(self, path: str | Path | None = None, sheet_id: str | None = None) -> bool:
        out = Path(path) if path else self._ask(f"score-sheet-{self.drill_id[:8]}.pdf")
        if out is None:
            return False
        archive, did, lang = self.archive_path, self.drill_id, self.lang
        return self._start(lambda: write_score_sheet(archive, did, out, lang, sheet_id))

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
