"""What the archive views share: a drill read back from the archive, tables (``ui.tables``),
the error channel.

``ArchivedDrill`` is the archive's ``ArchivedRecord`` of a drill (``Archive.record_of``): it
replays the stored input events through ``Drill.replay`` (the core decides every state, vital and
status; these views only show them).
"""

from __future__ import annotations

import sys
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QLabel, QTableWidgetItem, QWidget

from simtool.store import Archive
from simtool.store.record import ArchivedRecord
from simtool.ui.display import Tone
from simtool.ui.tables import make_table, readable_headers  # noqa: F401 - the views' one place

__all__ = ["ArchivedDrill", "DateRange", "cell", "heading", "make_table", "readable_headers",
           "report_error"]


class ArchivedDrill(ArchivedRecord):
    """A stored drill as the archive views read it (``Archive.record_of``)."""

    @classmethod
    def load(cls, archive: Archive, drill_id: str, lang: str = "en") -> "ArchivedDrill":
        record = archive.record_of(drill_id)
        return cls(record.info, record.loaded, record.events)


def cell(text: str, tone: Tone | None = None, data: object = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    if tone is not None:
        item.setForeground(tone.fg_color)
        item.setBackground(tone.bg_color)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.1)
    label.setFont(font)
    return label


def report_error(exc: BaseException) -> None:
    """Hand an error to the application's one error channel (``sys.excepthook``, which the
    app routes to ``show_exception``), instead of each view opening its own box."""
    sys.excepthook(type(exc), exc, exc.__traceback__)


class DateRange(QWidget):
    """"From [date] To [date]", each end optional (a tick turns it on); ``changed`` when the
    range a list or report should use changes. Shared by the archive browser and dashboard."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.use_from, self.use_to = QCheckBox(self.tr("From")), QCheckBox(self.tr("To"))
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for box, edit in ((self.use_from, self.date_from), (self.use_to, self.date_to)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate.currentDate())
            edit.setEnabled(False)
            box.toggled.connect(edit.setEnabled)
            box.toggled.connect(self.changed)
            edit.dateChanged.connect(lambda _d, b=box: b.isChecked() and self.changed.emit())
            row.addWidget(box)
            row.addWidget(edit)

    def bounds(self) -> tuple[date | None, date | None]:
        """(first day, last day), None for an open end."""
        lo = self.date_from.date().toPython() if self.use_from.isChecked() else None
        hi = self.date_to.date().toPython() if self.use_to.isChecked() else None
        return lo, hi  # type: ignore[return-value]

    def set_bounds(self, lo: date | None, hi: date | None) -> None:
        """Set both ends at once, with one ``changed``."""
        widgets = (self.use_from, self.date_from, self.use_to, self.date_to)
        for w in widgets:
            w.blockSignals(True)
        try:
            for box, edit, day in ((self.use_from, self.date_from, lo), (self.use_to, self.date_to, hi)):
                box.setChecked(day is not None)
                edit.setEnabled(day is not None)
                if day is not None:
                    edit.setDate(QDate(day.year, day.month, day.day))
        finally:
            for w in widgets:
                w.blockSignals(False)
        self.changed.emit()

    def contains(self, day: date) -> bool:
        lo, hi = self.bounds()
        return (lo is None or day >= lo) and (hi is None or day <= hi)
