"""Tables as every page shows them: read-only rows, headers that stay readable in any language.

Its own module (not ``archiveviews.common``) so that the results page, built when the window
starts, does not load the archive views and the archive with it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget


def make_table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setWordWrap(False)
    t.verticalHeader().setDefaultSectionSize(t.fontMetrics().height() + 8)
    header = t.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    for col in range(len(headers) - 1):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    readable_headers(t)
    return t


def readable_headers(t: QTableWidget) -> None:
    """Keep every column header readable in any language. The other columns fit their header
    and contents; the last one stretches over the room left, but when that room is narrower
    than its header (a longer translation) it keeps its header's width and the table scrolls
    instead of cutting the word."""
    header = t.horizontalHeader()
    floor = _HeaderFloor(header)
    header.installEventFilter(floor)
    header.sectionResized.connect(floor.section_resized)


def refit_headers(t: QTableWidget) -> None:
    """Fit the columns again now (a table shown on a tab that was hidden when it was sized)."""
    for floor in t.horizontalHeader().findChildren(_HeaderFloor):
        floor.fit()


class _HeaderFloor(QObject):
    EVENTS = (QEvent.Type.Show, QEvent.Type.Resize, QEvent.Type.FontChange,
              QEvent.Type.StyleChange)

    def __init__(self, header: QHeaderView) -> None:
        super().__init__(header)
        self.header = header

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in self.EVENTS:
            self.fit()
        return False

    def section_resized(self, index: int, _old: int, _new: int) -> None:
        if index != self.header.count() - 1:
            self.fit()

    def fit(self) -> None:
        h = self.header
        last = h.count() - 1
        if last < 0 or not h.isVisible():
            return
        others = sum(h.sectionSize(c) for c in range(last) if not h.isSectionHidden(c))
        room = others + h.sectionSizeHint(last) <= h.viewport().width()
        mode = QHeaderView.ResizeMode.Stretch if room else QHeaderView.ResizeMode.ResizeToContents
        if h.sectionResizeMode(last) != mode:
            h.setSectionResizeMode(last, mode)
