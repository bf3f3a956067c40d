"""The numeric blocks of the monitor and the blood-loss (calibrated drape) panel.

Both are painted by hand so the numbers scale with the block, as they do on a bedside
monitor, and so a block repaints only when its text, alarm or flash phase changes.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from simtool.ui.monitor.alarms import HIGH, LOW, MEDIUM, NONE

# IEC 60601-1-8 priority colours: red high, yellow medium, cyan low
ALARM_COLORS = {HIGH: QColor("#ff2a2a"), MEDIUM: QColor("#ffd400"), LOW: QColor("#00e5ff")}
FRAME = QColor("#2a2a2a")


def _fit_font(base: QFont, text: str, width: float, height: float, bold: bool = True) -> QFont:
    """The largest font (by pixel size) that fits ``text`` in width × height."""
    font = QFont(base)
    font.setBold(bold)
    size = max(8, int(height))
    font.setPixelSize(size)
    w = QFontMetricsF(font).horizontalAdvance(text or " ")
    if w > width > 0:
        font.setPixelSize(max(8, int(size * width / w)))
    return font


class ParameterBlock(QWidget):
    """One parameter: its name, unit, big value, a small line beneath, its alarm limits."""

    def __init__(self, title: str, unit: str, color: str, parent: QWidget | None = None,
                 *, value_share: float = 0.58) -> None:
        super().__init__(parent)
        self.title = title
        self.unit = unit
        self.color = QColor(color)
        self.value_text = "--"
        self.sub_text = ""
        self.limits_text = ""
        self.priority = NONE
        self.flash_on = True
        self._value_share = value_share
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(100, 70)   # a third of a 410-px strip beside the console

    def sizeHint(self) -> QSize:
        return QSize(220, 140)

    def header(self) -> tuple[QFont, QRectF, QFont, QRectF]:
        """The name's font and the rectangle its text takes at the top left, the unit's at
        the top right: as large as the block allows, never touching — both shrink together
        when a narrow block cannot hold them side by side at full size (EtCO₂ mmHg)."""
        w, h = float(self.width()), float(self.height())
        pad = max(4.0, h * 0.04)
        small_h = max(11.0, h * 0.13)
        title = _fit_font(self.font(), self.title, w * 0.5, small_h)
        unit = _fit_font(self.font(), self.unit, w * 0.45, small_h * 0.85, bold=False)
        gap = small_h * 0.5
        tw = QFontMetricsF(title).horizontalAdvance(self.title) if self.title else 0.0
        uw = QFontMetricsF(unit).horizontalAdvance(self.unit) if self.unit else 0.0
        room = w - 2 * pad - gap
        if tw + uw > room > 0:
            scale = room / (tw + uw)
            title.setPixelSize(max(1, int(title.pixelSize() * scale)))
            unit.setPixelSize(max(1, int(unit.pixelSize() * scale)))
            tw = QFontMetricsF(title).horizontalAdvance(self.title) if self.title else 0.0
            uw = QFontMetricsF(unit).horizontalAdvance(self.unit) if self.unit else 0.0
        line = small_h * 1.2
        return (title, QRectF(pad, pad, tw, line), unit, QRectF(w - pad - uw, pad, uw, line))

    # --- state (each setter repaints only on a change) -------------------------------------
    def set_value(self, text: str, sub: str | None = None) -> None:
        sub = self.sub_text if sub is None else sub
        if (text, sub) != (self.value_text, self.sub_text):
            self.value_text, self.sub_text = text, sub
            self.update()

    def set_limits_text(self, text: str) -> None:
        if text != self.limits_text:
            self.limits_text = text
            self.update()

    def set_alarm(self, priority: int) -> None:
        if priority != self.priority:
            self.priority = priority
            self.flash_on = True
            self.update()

    def set_flash(self, on: bool) -> None:
        if on != self.flash_on:
            self.flash_on = on
            self.update()

    @property
    def filled(self) -> bool:
        """True while the block shows its alarm colour as a filled background."""
        return self.priority != NONE and self.flash_on

    # --- drawing ------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        r = QRectF(self.rect())
        alarm = ALARM_COLORS.get(self.priority)
        if alarm is not None and self.flash_on:
            p.fillRect(r, alarm)
            fg = QColor("#000000")
        else:
            p.fillRect(r, QColor("#000000"))
            fg = alarm if alarm is not None else self.color
        p.setPen(QPen(alarm if alarm is not None else FRAME, 2 if alarm is not None else 1))
        p.drawRect(r.adjusted(0.5, 0.5, -1, -1))
        w, h, pad = r.width(), r.height(), max(4.0, r.height() * 0.04)
        small_h = max(11.0, h * 0.13)
        p.setPen(fg)
        title_font, title_rect, unit_font, unit_rect = self.header()
        top = QRectF(pad, pad, w - 2 * pad, small_h * 1.2)
        p.setFont(title_font)
        p.drawText(top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.title)
        p.setFont(unit_font)
        p.drawText(top, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self.unit)
        if self.limits_text:
            p.setFont(_fit_font(self.font(), self.limits_text, w * 0.3, small_h * 0.8, bold=False))
            p.drawText(QRectF(pad, top.bottom(), w * 0.3, small_h * 2.2),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                       self.limits_text.replace(" ", "\n"))
        value_h = h * self._value_share
        vr = QRectF(pad + w * 0.12, top.bottom(), w - 2 * pad - w * 0.12, value_h)
        p.setFont(_fit_font(self.font(), self.value_text, vr.width(), value_h * 0.95))
        p.drawText(vr, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self.value_text)
        if self.sub_text:
            sr = QRectF(pad, vr.bottom(), w - 2 * pad, h - vr.bottom() - pad)
            p.setFont(_fit_font(self.font(), self.sub_text, sr.width(), min(sr.height(), small_h * 1.3),
                                bold=False))
            p.drawText(sr, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self.sub_text)
        p.end()


class BloodLossPanel(QWidget):
    """Cumulative blood loss as a graduated drape pocket: the number and a filling bar."""

    FULL_SCALE_ML = 3000.0
    TICK_ML = 500.0

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.ml = 0.0
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 80)

    def sizeHint(self) -> QSize:
        return QSize(240, 140)

    def set_ml(self, ml: float) -> None:
        # the drape is read to the nearest 10 mL; finer changes would only cost repaints
        ml = round(ml / 10.0) * 10.0
        if ml != self.ml:
            self.ml = ml
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect())
        p.fillRect(r, QColor("#000000"))
        p.setPen(QPen(FRAME, 1))
        p.drawRect(r.adjusted(0.5, 0.5, -1, -1))
        w, h, pad = r.width(), r.height(), max(4.0, r.height() * 0.04)
        red = QColor("#e04848")
        small_h = max(11.0, h * 0.13)
        p.setPen(red)
        p.setFont(_fit_font(self.font(), self.title, w - 2 * pad, small_h))
        p.drawText(QRectF(pad, pad, w - 2 * pad, small_h * 1.2),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.title)
        text = self.tr("{0} mL").format(f"{self.ml:.0f}")
        vr = QRectF(pad, pad + small_h * 1.2, w - 2 * pad, h * 0.42)
        p.setFont(_fit_font(self.font(), text, vr.width(), vr.height() * 0.95))
        p.drawText(vr, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
        bar = QRectF(pad, vr.bottom() + pad, w - 2 * pad, max(8.0, h - vr.bottom() - 2 * pad - small_h))
        scale = max(self.FULL_SCALE_ML, self.ml)
        p.fillRect(QRectF(bar.left(), bar.top(), bar.width() * self.ml / scale, bar.height()),
                   QColor("#8b1010"))
        p.setPen(QPen(red, 1))
        p.drawRect(bar)
        tick_font = QFont(self.font())
        tick_font.setPixelSize(int(max(9.0, small_h * 0.7)))
        p.setFont(tick_font)
        ml = self.TICK_ML
        while ml < scale:
            x = bar.left() + bar.width() * ml / scale
            p.drawLine(int(x), int(bar.top()), int(x), int(bar.bottom()))
            if ml % 1000 == 0:
                p.drawText(QRectF(x - 30, bar.bottom(), 60, small_h),
                           Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, f"{ml:.0f}")
            ml += self.TICK_ML
        p.end()
