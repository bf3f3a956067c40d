"""A chart of the vitals over a drill, drawn with QPainter.

Drawn by hand rather than with Qt Charts because PySide6-Essentials does not ship Qt Charts
and the chart is small: three vitals on one left axis, cumulative blood loss on a right axis,
and the scenario's states as shaded bands so a reader sees *why* the curves bend.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPainterPath, QPaintEvent, QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from simtool.ui.display import mmss


@dataclass(frozen=True)
class Series:
    key: str          # column of the vitals samples
    label: str
    color: str
    right_axis: bool = False
    dashed: bool = False


@dataclass(frozen=True)
class Band:
    start_s: float
    end_s: float
    label: str


BAND_COLORS = ("#eef3f8", "#f8f4ea")
GRID = QColor("#dde3e8")
AXIS_TEXT = QColor("#455a64")


def _nice_step(span: float, max_ticks: int, steps: Sequence[float]) -> float:
    for step in steps:
        if span / step <= max_ticks:
            return step
    return steps[-1] * math.ceil(span / (steps[-1] * max_ticks))


class VitalsChart(QWidget):
    """Vitals against drill time in minutes; call ``set_data`` with the run's samples."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.samples: list[dict[str, Any]] = []
        self.bands: list[Band] = []
        self.duration_s = 0.0
        self.series: list[Series] = []
        self._plot: QRectF | None = None  # where the last paint put the plot, for tooltips
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(220)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(900, 320)

    def set_data(self, samples: list[dict[str, Any]], bands: list[Band], duration_s: float,
                 series: list[Series]) -> None:
        self.samples, self.bands, self.series = list(samples), list(bands), list(series)
        self.duration_s = max(duration_s, max((s["t"] for s in samples), default=0.0), 60.0)
        self.update()

    # --- geometry -----------------------------------------------------------------------------
    def _scales(self) -> tuple[float, float, float]:
        """Left maximum, left grid step, right maximum: the right axis shares the left's grid
        lines, so its maximum is chosen to put a round number on each of them."""
        left = [s[x.key] for x in self.series if not x.right_axis for s in self.samples
                if isinstance(s.get(x.key), (int, float))]
        right = [s[x.key] for x in self.series if x.right_axis for s in self.samples
                 if isinstance(s.get(x.key), (int, float))]
        left_max = max(200.0, math.ceil(max(left, default=0) / 50) * 50)
        step = _nice_step(left_max, 6, (20, 25, 50, 100))
        intervals = round(left_max / step)
        need = max(1000.0, max(right, default=0))
        right_step = next((s for s in (100, 200, 250, 500, 1000, 2000, 2500, 5000)
                           if s * intervals >= need), math.ceil(need / intervals / 5000) * 5000)
        return left_max, step, right_step * intervals

    def _time_at(self, x: float) -> float | None:
        plot = self._plot
        if plot is None or not plot.left() <= x <= plot.right() or not self.samples:
            return None
        return (x - plot.left()) / plot.width() * self.duration_s

    def event(self, e: QEvent) -> bool:  # noqa: N802 - Qt's name
        # hovering shows the exact values, so nobody has to read numbers off the curves
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            t = self._time_at(e.pos().x())
            if t is None:
                QToolTip.hideText()
                e.ignore()
                return True
            QToolTip.showText(e.globalPos(), self.describe(t), self)
            return True
        return super().event(e)

    def describe(self, t: float) -> str:
        """The sample nearest to ``t`` in words (the chart's tooltip)."""
        row = min(self.samples, key=lambda s: abs(s["t"] - t))
        lines = [mmss(row["t"])]
        band = next((b for b in self.bands if b.start_s <= row["t"] < b.end_s), None)
        if band is None and self.bands:
            band = self.bands[-1]
        if band is not None:
            lines[0] += f" — {band.label}"
        for x in self.series:
            value = row.get(x.key)
            if isinstance(value, (int, float)):
                lines.append(f"{x.label}: {value:g}")
        return "\n".join(lines)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        font = QFont(self.font())
        fm = QFontMetrics(font)
        line_h = fm.height()
        legend_h = line_h + 6
        band_h = line_h + 6
        plot = QRectF(fm.horizontalAdvance("200") + line_h + 14, legend_h + band_h + 4,
                      0, 0)
        right_margin = fm.horizontalAdvance("0000") + line_h + 16
        plot.setRight(self.width() - right_margin)
        plot.setBottom(self.height() - 2 * line_h - 10)
        if plot.width() < 50 or plot.height() < 40:
            return
        left_max, step_left, right_max = self._scales()
        span = self.duration_s
        self._plot = QRectF(plot)

        def x_of(t: float) -> float:
            return plot.left() + plot.width() * t / span

        def y_left(v: float) -> float:
            return plot.bottom() - plot.height() * v / left_max

        def y_right(v: float) -> float:
            return plot.bottom() - plot.height() * v / right_max

        # state bands first, so grid and curves are drawn over them
        for i, band in enumerate(self.bands):
            x0, x1 = x_of(band.start_s), x_of(min(band.end_s, span))
            p.fillRect(QRectF(x0, plot.top(), x1 - x0, plot.height()), QColor(BAND_COLORS[i % 2]))
            strip = QRectF(x0, plot.top() - band_h, x1 - x0, band_h)
            p.fillRect(strip, QColor(BAND_COLORS[i % 2]).darker(106))
            if i > 0:
                p.setPen(QPen(QColor("#90a4ae"), 1, Qt.PenStyle.DashLine))
                p.drawLine(QPointF(x0, plot.top() - band_h), QPointF(x0, plot.bottom()))
            p.setPen(AXIS_TEXT)
            text = fm.elidedText(band.label, Qt.TextElideMode.ElideRight, int(strip.width()) - 8)
            if fm.horizontalAdvance("…") < strip.width() - 8:
                p.drawText(strip.adjusted(4, 0, -4, 0),
                           Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)

        # grid and axes
        p.setFont(font)
        v = 0.0
        while v <= left_max + 1e-9:
            y = y_left(v)
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(AXIS_TEXT)
            p.drawText(QRectF(0, y - line_h / 2, plot.left() - 6, line_h),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{v:g}")
            r = v / left_max * right_max  # right-axis labels on the same grid lines
            p.drawText(QRectF(plot.right() + 6, y - line_h / 2, right_margin, line_h),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, f"{r:g}")
            v += step_left
        minutes = span / 60
        step_min = _nice_step(minutes, 12, (1, 2, 5, 10, 15, 30, 60))
        m = 0.0
        while m <= minutes + 1e-9:
            x = x_of(m * 60)
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            p.setPen(AXIS_TEXT)
            p.drawText(QRectF(x - 30, plot.bottom() + 3, 60, line_h),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, f"{m:g}")
            m += step_min
        p.setPen(QPen(AXIS_TEXT, 1))
        p.drawRect(plot)
        p.drawText(QRectF(plot.left(), plot.bottom() + line_h + 4, plot.width(), line_h),
                   Qt.AlignmentFlag.AlignHCenter, self.tr("Time since start (min)"))
        self._draw_vertical(p, self.tr("HR · SBP · SpO₂"), 2, plot)
        self._draw_vertical(p, self.tr("Blood loss (mL)"), self.width() - line_h - 2, plot)

        # curves
        for s in self.series:
            pts = [(row["t"], row.get(s.key)) for row in self.samples]
            pts = [(t, v) for t, v in pts if isinstance(v, (int, float))]
            if not pts:
                continue
            y_of = y_right if s.right_axis else y_left
            path = QPainterPath(QPointF(x_of(pts[0][0]), y_of(pts[0][1])))
            for t, v in pts[1:]:
                path.lineTo(QPointF(x_of(t), y_of(v)))
            pen = QPen(QColor(s.color), 2.2 if not s.right_axis else 2.0)
            if s.dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)

        # legend across the top
        x = plot.left()
        for s in self.series:
            pen = QPen(QColor(s.color), 3)
            if s.dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            mid = 3 + line_h / 2
            p.drawLine(QPointF(x, mid), QPointF(x + 22, mid))
            p.setPen(AXIS_TEXT)
            p.drawText(QPointF(x + 28, 3 + fm.ascent()), s.label)
            x += 28 + fm.horizontalAdvance(s.label) + 22
        if not self.samples:
            p.setPen(AXIS_TEXT)
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.tr("No vitals recorded"))
        p.end()

    @staticmethod
    def _draw_vertical(p: QPainter, text: str, x: float, plot: QRectF) -> None:
        """An axis title written bottom-to-top beside the plot."""
        p.save()
        p.translate(x, plot.center().y())
        p.rotate(-90)
        p.drawText(QRectF(-plot.height() / 2, 0, plot.height(), p.fontMetrics().height()),
                   Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, text)
        p.restore()
