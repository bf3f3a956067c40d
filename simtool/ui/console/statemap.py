"""A compact map of the scenario's states: a column per phase, the current state filled,
the states the drill can go to next outlined, the ways out of the current state drawn.

Each column is as wide as its names need (a column of long names gets more of the width
than one of short names). A name that does not fit on one line wraps onto a second, the
boxes then growing to two lines when the map stays short enough for the console at
1366×768 (``MAX_TWO_LINE_H``); what still does not fit ends in "…" and is named whole in
the tooltip and in the window's status bar."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (QColor, QFontMetricsF, QHelpEvent, QMouseEvent, QPainter, QPen,
                           QResizeEvent, QStatusTipEvent, QTextLayout, QTextOption)
from PySide6.QtWidgets import QApplication, QSizePolicy, QToolTip, QWidget

from simtool.core.scenario import Scenario
from simtool.ui.display import INFO, NEUTRAL, WARN

BOX_H = 26          # a box of one line
GAP = 8
PAD = 4             # inside a box, each side of its name
GAP_2 = 6           # between the rows of a map of two-line boxes
MAX_TWO_LINE_H = 180  # two-line boxes only while the map stays this short (pph: 4 rows)


def wrap(text: str, font_metrics: QFontMetricsF, font: object, width: float,
         max_lines: int) -> tuple[list[str], bool]:
    """``text`` broken into at most ``max_lines`` lines of ``width`` pixels, between words
    (and between any two Chinese characters, as Unicode allows); a line that still does not
    fit, and the last one when more is left, end in "…". Returns the lines and whether any
    was cut."""
    def fitted(piece: str) -> str:
        return font_metrics.elidedText(piece, Qt.TextElideMode.ElideRight, width)

    if font_metrics.horizontalAdvance(text) <= width or max_lines <= 1:
        shown = fitted(text)
        return [shown], shown != text
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    lines: list[str] = []
    start = 0
    layout.beginLayout()
    while len(lines) < max_lines - 1 and start < len(text):
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        lines.append(text[line.textStart():line.textStart() + line.textLength()].strip())
        start = line.textStart() + line.textLength()
    layout.endLayout()
    rest = text[start:].strip()
    if rest:
        lines.append(rest)
    shown = [fitted(piece) for piece in lines]
    return shown, shown != lines


def fair_shares(needs: list[float], room: float) -> list[float]:
    """Widths for columns needing ``needs`` in ``room`` that is too small for all: a column
    needing less than an equal share gets what it needs, the rest share what is left
    equally (water-filling), so no column gets less than an equal share of the room."""
    widths = [0.0] * len(needs)
    left, open_ = max(room, 1.0), sorted(range(len(needs)), key=lambda i: needs[i])
    while open_:
        share = left / len(open_)
        i = open_[0]
        if needs[i] > share:
            for j in open_:
                widths[j] = share
            break
        widths[i] = needs[i]
        left -= needs[i]
        open_.pop(0)
    return widths


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
        self.rows = max(len(c) for c in self.columns)
        self._laid: tuple[float, dict[str, QRectF], dict[str, list[str]], set[str], int] | None = None
        self._needs: tuple[list[float], list[float]] | None = None
        self._balanced: dict[str, float] = {}   # the narrowest width for a name in two lines
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self._height(1))
        # the whole name of the state under the pointer, in the window's status bar too
        self.setMouseTracking(True)
        self._hovered: str | None = None

    # --- laying out ----------------------------------------------------------------------
    def _label(self, sid: str) -> str:
        return self.scenario.state_index[sid].label.get(self.lang)

    def _line_h(self) -> float:
        return QFontMetricsF(self.font()).lineSpacing()

    def _box_h(self, lines: int) -> float:
        return BOX_H if lines == 1 else lines * self._line_h() + 6

    def _height(self, lines: int) -> int:
        gap = GAP if lines == 1 else GAP_2
        return int(round(self.rows * (self._box_h(lines) + gap) + gap))

    def _column_needs(self) -> tuple[list[float], list[float]]:
        """Per column, the width its longest name needs on one line, and on two."""
        if self._needs is None:
            fm = QFontMetricsF(self.font())
            one, two = [], []
            for column in self.columns:
                widths1, widths2 = [], []
                for sid in column:
                    text = self._label(sid)
                    w1 = fm.horizontalAdvance(text)
                    lo, hi = 1.0, w1   # the narrowest width that takes it in two lines whole
                    while hi - lo > 1:
                        mid = (lo + hi) / 2
                        if wrap(text, fm, self.font(), mid, 2)[1]:
                            lo = mid
                        else:
                            hi = mid
                    widths1.append(w1)
                    widths2.append(hi)
                    self._balanced[sid] = hi
                one.append(max(widths1) + 2 * PAD + 1)
                two.append(max(widths2) + 2 * PAD + 1)
            self._needs = (one, two)
        return self._needs

    def _layout(self) -> tuple[dict[str, QRectF], dict[str, list[str]], set[str], int]:
        """The boxes at the present width, the lines each name is drawn in, the states whose
        name is cut, and the number of lines a box holds."""
        width = float(self.width())
        if self._laid is not None and self._laid[0] == width:
            return self._laid[1:]
        one, two = self._column_needs()
        room = width - GAP * (len(self.columns) + 1)
        if sum(one) <= room:
            lines, needs = 1, one
        elif self._height(2) <= MAX_TWO_LINE_H:
            lines, needs = 2, two
        else:
            lines, needs = 1, one
        total = sum(needs)
        if total <= room:   # each column what it needs, and an equal share of the rest
            widths = [n + (room - total) / len(needs) for n in needs]
        else:               # not enough: the columns of short names keep what they need and
            widths = fair_shares(needs, room)   # the others share the rest (fewest names cut)
        gap = GAP if lines == 1 else GAP_2
        box_h = self._box_h(lines)
        fm = QFontMetricsF(self.font())
        boxes: dict[str, QRectF] = {}
        shown: dict[str, list[str]] = {}
        cut: set[str] = set()
        x = float(GAP)
        for column, w in zip(self.columns, widths):
            for j, sid in enumerate(column):
                boxes[sid] = QRectF(x, gap + j * (box_h + gap), w, box_h)
                room_w = w - 2 * PAD
                if lines == 2 and fm.horizontalAdvance(self._label(sid)) > room_w \
                        and self._balanced[sid] <= room_w:   # two lines of about equal length,
                    room_w = self._balanced[sid]             # not a whole line and one word
                text, was_cut = wrap(self._label(sid), fm, self.font(), room_w, lines)
                shown[sid] = text
                if was_cut:
                    cut.add(sid)
            x += w + GAP
        self._laid = (width, boxes, shown, cut, lines)
        return boxes, shown, cut, lines

    def resizeEvent(self, e: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(e)
        lines = self._layout()[3]
        if self.height() != self._height(lines):
            self.setFixedHeight(self._height(lines))   # two-line boxes: taller, once

    def changeEvent(self, e: QEvent) -> None:  # noqa: N802
        if e.type() == QEvent.Type.FontChange:
            self._needs, self._laid = None, None
        super().changeEvent(e)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(480, self._height(self._layout()[3] if self.width() > 0 else 1))

    def lines_of(self, state_id: str) -> list[str]:
        """The lines the state's name is drawn in at the present width."""
        return self._layout()[1][state_id]

    def is_cut(self, state_id: str) -> bool:
        """Whether the state's name is drawn shortened ("…") at the present width."""
        return state_id in self._layout()[2]

    def set_position(self, current: str, next_states: set[str]) -> None:
        self.current = current
        self.next_states = set(next_states)
        self.update()

    def _boxes(self) -> dict[str, QRectF]:
        return self._layout()[0]

    def paintEvent(self, _event: object) -> None:  # noqa: N802
        boxes, shown, _cut, _lines = self._layout()
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
        for sid, rect in boxes.items():
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
            p.drawText(rect.adjusted(PAD, 0, -PAD, 0), Qt.AlignmentFlag.AlignCenter,
                       "\n".join(shown[sid]))
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
