"""One scrolling waveform: samples in, a trace on black out.

The trace lives in a pixmap the size of the widget in device pixels. Each frame the pixmap
is scrolled left by the whole pixels the newest samples have earned and only the new piece of
line is drawn at the right edge, so a frame costs a few short line segments however wide the
screen is. A resize (or a change of scale) redraws the whole pixmap once from the history.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from simtool.ui.monitor.waveforms import FS

BLACK = QColor("#000000")


class WaveformStrip(QWidget):
    """A trace scrolling right to left over ``window_s`` seconds, values in ``lo``–``hi``."""

    def __init__(self, label: str, color: str, window_s: float, lo: float, hi: float,
                 parent: QWidget | None = None, *, gridlines: Sequence[float] = ()) -> None:
        super().__init__(parent)
        self.label = label
        self.color = QColor(color)
        self.window_s = window_s
        self.lo, self.hi = lo, hi
        self.gridlines = tuple(gridlines)
        self._history: deque[float] = deque(maxlen=int(window_s * FS) + 4)
        self._total = 0              # samples received since the start
        self._edge = 0.0             # sample index at the right edge of the pixmap
        self._pixmap = QPixmap()
        self._dirty_full = True
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(60)

    def sizeHint(self) -> QSize:
        return QSize(700, 140)

    # --- data ---------------------------------------------------------------------------
    def push(self, samples: Sequence[float]) -> None:
        """Append new samples and draw the piece of trace they make."""
        if not samples:
            return
        self._history.extend(samples)
        self._total += len(samples)
        if not self._dirty_full and not self._pixmap.isNull():
            self._draw_new()
        self.update()

    def samples(self) -> list[float]:
        """The samples currently in the window, oldest first."""
        return list(self._history)

    def clear(self) -> None:
        self._history.clear()
        self._dirty_full = True
        self.update()

    # --- drawing ------------------------------------------------------------------------
    def _pps(self) -> float:
        """Device pixels per sample."""
        return self._pixmap.width() / (self.window_s * FS)

    def _y(self, v: float, h: int) -> float:
        m = 0.08 * h
        frac = (v - self.lo) / (self.hi - self.lo)
        return h - m - frac * (h - 2 * m)

    def _pen(self) -> QPen:
        pen = QPen(self.color, 2.0 * self.devicePixelRatioF())
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    def _draw_range(self, painter: QPainter, first: int, last: int) -> None:
        """Draw samples with global indices first..last (inclusive) against the current edge."""
        start = self._total - len(self._history)
        first = max(first, start)
        if last <= first:
            return
        w, h, pps = self._pixmap.width(), self._pixmap.height(), self._pps()
        hist = self._history
        points = [QPointF(w - 1 - (self._edge - i) * pps, self._y(hist[i - start], h))
                  for i in range(first, last + 1)]
        painter.drawPolyline(points)

    def _redraw_all(self) -> None:
        dpr = self.devicePixelRatioF()
        size = QSize(max(1, math.ceil(self.width() * dpr)), max(1, math.ceil(self.height() * dpr)))
        if self._pixmap.size() != size:
            self._pixmap = QPixmap(size)
        self._pixmap.fill(BLACK)
        self._edge = float(self._total - 1)
        painter = QPainter(self._pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self._pen())
        self._draw_range(painter, self._total - len(self._history), self._total - 1)
        painter.end()
        self._dirty_full = False

    def _draw_new(self) -> None:
        pps = self._pps()
        shift = math.floor((self._total - 1 - self._edge) * pps)
        if shift <= 0:
            return
        old_edge = self._edge
        self._edge += shift / pps
        w, h = self._pixmap.width(), self._pixmap.height()
        self._pixmap.scroll(-shift, 0, self._pixmap.rect())
        painter = QPainter(self._pixmap)
        painter.fillRect(QRect(w - shift, 0, shift, h), BLACK)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self._pen())
        # from the last sample already drawn, so the line stays joined
        self._draw_range(painter, math.floor(old_edge) - 1, math.floor(self._edge))
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._dirty_full = True
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._dirty_full or self._pixmap.isNull():
            self._redraw_all()
        painter = QPainter(self)
        painter.drawPixmap(QRectF(self.rect()), self._pixmap, QRectF(self._pixmap.rect()))
        if self.gridlines:
            pen = QPen(self.color.darker(250), 1, Qt.PenStyle.DotLine)
            painter.setPen(pen)
            for v in self.gridlines:
                y = self._y(v, self.height())
                painter.drawLine(QPointF(0, y), QPointF(self.width(), y))
        painter.setPen(self.color)
        font = QFont(self.font())
        font.setPixelSize(max(11, min(18, self.height() // 7)))
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(QRectF(8, 4, self.width() - 16, self.height() - 8),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, self.label)
        painter.end()
