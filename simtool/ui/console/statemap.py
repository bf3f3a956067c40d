"""A compact map of the scenario's states: a column per phase, the current state filled,
the states the drill can go to next outlined, the ways out of the current state drawn."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (QColor, QFontMetrics, QHelpEvent, QMouseEvent, QPainter, QPen,
                           QStatusTipEvent)
from PySide6.QtWidgets import QApplication, QSizePolicy, QToolTip, QWidget

from simtool.core.scenario import Scenario
from simtool.ui.display import INFO, NEUTRAL, WARN

BOX_H = 26
GAP = 8


class StateMap(QWidget):
    def __init__(self, scenario: Scenario, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scenario = scenario
        self.lang = lang
        self.current: str = scenario.initial
        self.next_states: set[str] = set()
        # columns: the phases in the order their states first appear; phase-less states alone
        self.columns: list[list[str]] = []
        where: dict[str | None, int] = {}
        for st in scenario.states:
            key = st.phase if st.phase else f"#{st.id}"
            if key not in where:
                where[key] = len(self.columns)
                self.columns.append([])
            self.columns[where[key]].append(st.id)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(self.sizeHint().height())
        # the whole name of the state under the pointer, in the window's status bar too
        self.setMouseTracking(True)
        self._hovered: str | None = None

    def sizeHint(self) -> QSize:  # noqa: N802
        rows = max(len(c) for c in self.columns)
        return QSize(480, rows * (BOX_H + GAP) + GAP)

    def set_position(self, current: str, next_states: set[str]) -> None:
        self.current = current
        self.next_states = set(next_states)
        self.update()

    def _boxes(self) -> dict[str, QRectF]:
        n = len(self.columns)
        col_w = (self.width() - GAP) / n
        out = {}
        for i, column in enumerate(self.columns):
            for j, sid in enumerate(column):
                out[sid] = QRectF(GAP + i * col_w, GAP + j * (BOX_H + GAP), col_w - GAP, BOX_H)
        return out

    def paintEvent(self, _event: object) -> None:  # noqa: N802
        boxes = self._boxes()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        # the ways out of the current state, under the boxes
        p.setPen(QPen(QColor(WARN.fg), 2))
        here = boxes[self.current]
        for sid in self.next_states:
            if sid in boxes and sid != self.current:
                there = boxes[sid]
                p.drawLine(QPointF(here.right(), here.center().y()) if there.left() > here.left()
                           else here.center(), QPointF(there.left(), there.center().y())
                           if there.left() > here.left() else there.center())
        metrics = QFontMetrics(self.font())
        for sid, rect in boxes.items():
            st = self.scenario.state_index[sid]
            if sid == self.current:
                tone, width = INFO, 3
                fill, fg = QColor(INFO.fg), QColor("#ffffff")
            elif sid in self.next_states:
                tone, width = WARN, 2
                fill, fg = QColor(WARN.bg), QColor(WARN.fg)
            else:
                tone, width = NEUTRAL, 1
                fill, fg = QColor(NEUTRAL.bg), QColor(NEUTRAL.fg)
            p.setPen(QPen(QColor(tone.fg), width))
            p.setBrush(fill)
            p.drawRoundedRect(rect, 5, 5)
            p.setPen(fg)
            text = metrics.elidedText(st.label.get(self.lang), Qt.TextElideMode.ElideRight,
                                      int(rect.width() - 8))
            p.drawText(rect.adjusted(4, 0, -4, 0), Qt.AlignmentFlag.AlignCenter, text)
        p.end()

    def state_at(self, x: float, y: float) -> str | None:
        for sid, rect in self._boxes().items():
            if rect.contains(x, y):
                return sid
        return None

    def label_at(self, x: float, y: float) -> str | None:
        """The whole name of the state under (x, y): boxes elide long names."""
        sid = self.state_at(x, y)
        return self.scenario.state_index[sid].label.get(self.lang) if sid else None

    def mouseMoveEvent(self, e: QMouseEvent) -> None:  # noqa: N802
        label = self.label_at(e.position().x(), e.position().y())
        if label != self._hovered:
            self._hovered = label
            QApplication.sendEvent(self, QStatusTipEvent(label or ""))
        super().mouseMoveEvent(e)

    def leaveEvent(self, e: QEvent) -> None:  # noqa: N802
        if self._hovered is not None:
            self._hovered = None
            QApplication.sendEvent(self, QStatusTipEvent(""))
        super().leaveEvent(e)

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            label = self.label_at(e.pos().x(), e.pos().y())
            if label:
                QToolTip.showText(e.globalPos(), label, self)
            else:
                QToolTip.hideText()
                e.ignore()
            return True
        return super().event(e)
