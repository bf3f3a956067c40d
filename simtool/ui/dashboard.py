"""The department's quality dashboard: indicator trends over quarters (or months) against their
two targets — the time per drill and the share of drills meeting it (compliance) — the alerts
the report raised (``simtool.core.alerts``: below target in two consecutive periods, or a fall
beyond the margin) in a strip above the charts, and the drills that missed a target, one
double-click from their debrief; beside them the drill calendar — where the department and site
chosen stand with each programme drill (due and overdue first, then those done in time).

Display only. Every number comes from ``simtool.store.analytics`` (``indicators_report`` for
the distributions and compliance, ``drill_indicators`` for the drills that missed); this module
draws and lists them, it computes nothing of its own beyond placing them on screen. The drill
calendar is ``simtool.app.calendar.calendar`` called with the department and site chosen: the
same rows, in the same order, as ``simtool calendar --department D --site S``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QComboBox, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton, QScrollArea, QSpinBox,
    QSizePolicy, QSplitter, QTableWidget, QVBoxLayout, QWidget,
)

from simtool.app.calendar import calendar as drill_calendar
from simtool.app.station import station_rubrics
from simtool.core.assess import indicator_met
from simtool.core.paths import scenarios_dir
from simtool.core.scenario import load_scenario
from simtool.core.station import station_scenario
from simtool.store import Archive
from simtool.store.analytics import DrillIndicators, drill_indicators, indicators_report
from simtool.ui.archiveviews.common import DateRange, cell, heading, make_table, report_error
from simtool.ui.display import BAD, GOOD, NEUTRAL, WARN, Tone, span, wall_day

GRID = QColor("#dde3e8")
AXIS_TEXT = QColor("#455a64")
MEDIAN = QColor("#1565c0")
BAND = QColor(21, 101, 192, 45)
TARGET = QColor("#c62828")


# --- scenario words -------------------------------------------------------------------------

MIN_DRILLS = 5                        # the default minimum of drills in a quarter
ALERT_LINES = 4                       # alerts listed in the strip (all of them in its tooltip)
MIN_DRILLS_SETTING = "dashboard/min_drills"


class ScenarioWords:
    """Titles, role words and indicator labels of the bundled scenarios, by id — and of the
    bundled skills stations, whose sittings are recorded as drills of the station scenario
    (``simtool.core.station``: its id is the station rubric's, its one role the candidate);
    the id when neither a scenario nor a station of that id loads (an archive may hold drills
    of a scenario no longer shipped)."""

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang
        self._cache: dict[str, Any] = {}
        self._stations: dict[str, Any] | None = None   # station rubric id -> (path, rubric)
        self._station_ids: set[str] = set()

    def _scenario(self, scenario_id: str) -> Any:
        if scenario_id not in self._cache:
            try:
                self._cache[scenario_id] = load_scenario(scenarios_dir() / f"{scenario_id}.yaml").scenario
            except Exception:  # noqa: BLE001 - any failure: a station's, else the id
                self._cache[scenario_id] = self._station(scenario_id)
        return self._cache[scenario_id]

    def _station(self, scenario_id: str) -> Any:
        """The station scenario of the bundled station of this id, as its sittings were
        recorded (``simtool.app.station.station_rubrics``, ``core.station.station_scenario``);
        None when there is none."""
        if self._stations is None:
            try:
                self._stations = {rb.rubric.id: (path, rb) for path, rb, _problem in station_rubrics()
                                  if rb is not None}
            except Exception:  # noqa: BLE001 - an unreadable stations folder: no station words
                self._stations = {}
        found = self._stations.get(scenario_id)
        if found is None:
            return None
        try:
            sc = station_scenario(found[1].rubric, found[0].name).scenario
        except Exception:  # noqa: BLE001 - a station whose words make no scenario: the id
            return None
        self._station_ids.add(scenario_id)
        return sc

    def is_station(self, scenario_id: str) -> bool:
        """Whether the id is a skills station's (its drills are station sittings)."""
        self._scenario(scenario_id)
        return scenario_id in self._station_ids

    def title(self, scenario_id: str) -> str:
        sc = self._scenario(scenario_id)
        return sc.title.get(self.lang) if sc is not None else scenario_id

    def role(self, scenario_id: str, role_id: str | None) -> str:
        sc = self._scenario(scenario_id)
        for role in (sc.roles if sc is not None else ()):
            if role.id == role_id:
                return role.label.get(self.lang)
        return role_id or "—"

    def indicator(self, scenario_id: str, indicator_id: str) -> str:
        sc = self._scenario(scenario_id)
        for ind in (sc.indicators if sc is not None else ()):
            if ind.id == indicator_id:
                return ind.label.get(self.lang)
        return indicator_id

    def order(self, scenario_id: str) -> list[str]:
        """Indicator ids in the scenario file's order."""
        sc = self._scenario(scenario_id)
        return [i.id for i in sc.indicators] if sc is not None else []


def compliance_tone(met: int, applies: int) -> Tone:
    """All drills met the target: good; none did: bad; some: warning. No threshold invented."""
    if not applies:
        return NEUTRAL
    return GOOD if met == applies else BAD if met == 0 else WARN


def targets_of(value: Any) -> list[float]:
    """``target_s`` of a report group: one number, or a list when scenario versions differ."""
    if value is None:
        return []
    return [float(v) for v in value] if isinstance(value, list) else [float(value)]


def target_text(value: Any, lang: str = "en") -> str:
    return " / ".join(span(t, lang) for t in targets_of(value)) or "—"


# --- the chart ------------------------------------------------------------------------------

@dataclass(frozen=True)
class QuarterPoint:
    """One quarter of one indicator, as ``indicators_report`` gave it."""

    quarter: str
    drills: int
    applies: int
    met: int
    median_s: float | None
    p25_s: float | None
    p75_s: float | None
    compliance: float | None
    enough: bool = True     # at least the minimum number of drills to read a figure from


def _nice_minutes(max_s: float) -> tuple[float, float]:
    """Axis top and grid step in seconds, on whole minutes (half minutes for short spans)."""
    for step in (30, 60, 120, 300, 600, 900, 1800, 3600):
        if max_s / step <= 6:
            return step * max(1, math.ceil(max_s / step)), step
    step = 3600 * math.ceil(max_s / (3600 * 6))
    return step * math.ceil(max_s / step), step


class IndicatorChart(QWidget):
    """One indicator over quarters: median (line and dots), p25–p75 band, the target as a
    dashed line, the compliance under each quarter. ``quarter_clicked(indicator, quarter)``
    when a quarter's column is clicked."""

    quarter_clicked = Signal(str, str)

    def __init__(self, indicator_id: str, label: str, targets: list[float],
                 points: list[QuarterPoint], parent: QWidget | None = None, lang: str = "en",
                 compliance_target: float | None = None) -> None:
        super().__init__(parent)
        self.lang = lang   # of the durations on the axis and the target ("5 min", "5 分钟")
        self.indicator_id = indicator_id
        self.label = label
        self.targets = list(targets)
        self.compliance_target = compliance_target   # percent; None: the scenario gives none
        self.points = list(points)
        self._plot: QRectF | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumSize(360, 260)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("Click a quarter to list its drills that missed the target"))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(520, 260)

    # --- data the test (and a reader) can check -------------------------------------------------
    def series(self) -> list[tuple[str, float | None, float | None]]:
        """(quarter, median seconds, compliance) per quarter, in drawing order; a quarter with
        too few drills has neither (it is drawn as "too few drills")."""
        return [(p.quarter, p.median_s if p.enough else None, p.compliance if p.enough else None)
                for p in self.points]

    def compliance_text(self) -> str:
        """The compliance target as the chart shows it in its title row."""
        if self.compliance_target is None:
            return self.tr("no compliance target")
        return self.tr("compliance target > %1 %").replace("%1", f"{self.compliance_target:g}")

    # --- geometry -------------------------------------------------------------------------------
    def _top_s(self) -> tuple[float, float]:
        values = [v for p in self.points for v in (p.p75_s, p.median_s) if v is not None]
        return _nice_minutes(max([*values, *self.targets, 60.0]) * 1.1)

    def _x(self, plot: QRectF, i: int) -> float:
        n = max(1, len(self.points))
        return plot.left() + plot.width() * (i + 0.5) / n

    @staticmethod
    def _y(plot: QRectF, s: float, top: float) -> float:
        return plot.bottom() - plot.height() * min(s, top) / top

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        fm = p.fontMetrics()
        line = fm.height()
        title_font = QFont(p.font())
        title_font.setBold(True)
        p.setFont(title_font)
        p.setPen(QColor("#263238"))
        goal = self.compliance_text()
        room = self.width() - 16 - fm.horizontalAdvance(goal) - 12
        p.drawText(QRectF(8, 4, room, line + 2),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   p.fontMetrics().elidedText(self.label, Qt.TextElideMode.ElideRight, int(room)))
        p.setFont(self.font())
        p.setPen(TARGET)
        p.drawText(QRectF(8, 4, self.width() - 16, line + 2),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, goal)
        top, step = self._top_s()
        ticks = [k * step for k in range(int(top // step + 1e-9) + 1)]
        left = max(fm.horizontalAdvance(span(s, self.lang)) for s in ticks) + 14
        plot = QRectF(left, line + 14, self.width() - left - 12, self.height() - line * 3 - 30)
        self._plot = plot

        # grid and the minutes axis
        p.setPen(QPen(GRID, 1))
        for s in ticks:
            y = self._y(plot, s, top)
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(AXIS_TEXT)
            p.drawText(QRectF(0, y - line / 2, left - 6, line),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, span(s, self.lang))
        p.setPen(QPen(AXIS_TEXT, 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())

        if not self.points:
            p.setPen(AXIS_TEXT)
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.tr("No drills in this range"))
            p.end()
            return

        # p25–p75 band: a polygon through the quarters, a bar when there is a single quarter
        band = [(self._x(plot, i), q.p25_s, q.p75_s) for i, q in enumerate(self.points)
                if q.enough and q.p25_s is not None and q.p75_s is not None]
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(BAND)
        half = min(18.0, plot.width() / max(1, len(self.points)) / 4)
        if len(band) == 1:
            x, lo, hi = band[0]
            p.drawRect(QRectF(QPointF(x - half, self._y(plot, hi, top)), QPointF(x + half, self._y(plot, lo, top))))
        elif band:
            path = QPainterPath(QPointF(band[0][0], self._y(plot, band[0][2], top)))
            for x, _lo, hi in band[1:]:
                path.lineTo(x, self._y(plot, hi, top))
            for x, lo, _hi in reversed(band):
                path.lineTo(x, self._y(plot, lo, top))
            path.closeSubpath()
            p.drawPath(path)

        # target lines, dashed and labelled
        for t in self.targets:
            y = self._y(plot, t, top)
            p.setPen(QPen(TARGET, 1.5, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(TARGET)
            text = self.tr("target %1").replace("%1", span(t, self.lang))
            p.drawText(QRectF(plot.right() - fm.horizontalAdvance(text) - 4, y - line - 1,
                              fm.horizontalAdvance(text) + 4, line),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)

        # the median series: no line is drawn through a quarter with too few drills
        runs: list[list[QPointF]] = [[]]
        for i, q in enumerate(self.points):
            if q.enough and q.median_s is not None:
                runs[-1].append(QPointF(self._x(plot, i), self._y(plot, q.median_s, top)))
            elif runs[-1]:
                runs.append([])
        p.setPen(QPen(MEDIAN, 2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        for run in runs:
            for a, b in zip(run, run[1:]):
                p.drawLine(a, b)
        p.setBrush(MEDIAN)
        for run in runs:
            for pt in run:
                p.drawEllipse(pt, 4, 4)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(AXIS_TEXT)
        for i, q in enumerate(self.points):
            if not q.enough:
                x = self._x(plot, i)
                p.drawText(QRectF(x - 60, plot.top() + plot.height() / 2 - line, 120, line * 2),
                           Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                           self.tr("too few drills"))
        # a quarter where the indicator applied but no drill reached its end: say so in place
        p.setPen(BAD.fg_color)
        for i, q in enumerate(self.points):
            if q.enough and q.median_s is None and q.applies:
                x = self._x(plot, i)
                p.drawText(QRectF(x - 60, plot.bottom() - line - 6, 120, line),
                           Qt.AlignmentFlag.AlignCenter, self.tr("none done"))

        # quarters and their compliance under the axis
        width = plot.width() / len(self.points)
        for i, q in enumerate(self.points):
            x = self._x(plot, i)
            p.setPen(AXIS_TEXT)
            p.drawText(QRectF(x - width / 2, plot.bottom() + 4, width, line),
                       Qt.AlignmentFlag.AlignCenter, q.quarter)
            tone = compliance_tone(q.met, q.applies) if q.enough else NEUTRAL
            text = self.tr("n/a") if q.compliance is None or not q.enough \
                else f"{q.compliance * 100:.0f} %"
            p.setPen(tone.fg_color)
            p.drawText(QRectF(x - width / 2, plot.bottom() + 4 + line, width, line),
                       Qt.AlignmentFlag.AlignCenter, f"{text} · n={q.applies}")
        p.setPen(AXIS_TEXT)
        legend = self.tr("median (line), p25–p75 (band), compliance and n under each quarter")
        p.drawText(QRectF(8, self.height() - line - 2, self.width() - 16, line),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   fm.elidedText(legend, Qt.TextElideMode.ElideRight, int(self.width() - 16)))
        p.end()

    def quarter_at(self, x: float) -> str | None:
        plot = self._plot
        if plot is None or not self.points or not plot.left() <= x <= plot.right():
            return None
        i = int((x - plot.left()) / (plot.width() / len(self.points)))
        return self.points[min(i, len(self.points) - 1)].quarter

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        quarter = self.quarter_at(event.position().x())
        if quarter is not None and event.button() == Qt.MouseButton.LeftButton:
            self.quarter_clicked.emit(self.indicator_id, quarter)
        super().mousePressEvent(event)


# --- the dashboard --------------------------------------------------------------------------

@dataclass(frozen=True)
class Missed:
    drill_id: str
    started_at: str
    quarter: str             # the drill's period as the dashboard groups them (quarter or month)
    indicator_id: str
    seconds: float | None
    target_s: float
    departments: tuple[str, ...] = ()


class QualityDashboard(QWidget):
    """Indicators of one scenario over quarters, for a department and a date range.
    ``open_drill(drill_id)`` on double-click of a drill that missed a target."""

    open_drill = Signal(str)

    def __init__(self, archive: Archive, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive = archive
        self.lang = lang
        self.words = ScenarioWords(lang)
        self.report: dict[str, Any] = {"groups": [], "drills": 0}
        self.missed: list[Missed] = []
        self.charts: list[IndicatorChart] = []
        self._focus: tuple[str, str] | None = None  # (indicator, quarter) picked on a chart

        self.scenario = QComboBox()
        self.department = QComboBox()
        self.site = QComboBox()   # a regional archive holds several hospitals' drills
        self.site.setToolTip(self.tr("Count only the drills run at this hospital"))
        for box, chars in ((self.scenario, 12), (self.department, 8), (self.site, 8)):
            # long titles must not widen the window (the full text is in the open list)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(chars)
        self.dates = DateRange()
        # a quarter with fewer drills than this is "too few drills": no figure, no trend
        self.min_drills = QSpinBox()
        self.min_drills.setRange(1, 100)
        self.min_drills.setValue(int(QSettings().value(MIN_DRILLS_SETTING, MIN_DRILLS) or MIN_DRILLS))
        self.min_drills.setToolTip(self.tr("A quarter with fewer drills than this shows no median "
                                           "or compliance, and no trend is drawn through it"))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        # quarters (the default) or months: the report's periods and the alerts over them
        self.by = QComboBox()
        self.by.addItem(self.tr("By quarter"), "quarter")
        self.by.addItem(self.tr("By month"), "month")
        self.summary = QLabel()
        # the alerts the report raised for the scenario and department chosen: a red strip
        self.alerts_strip = QLabel()
        self.alerts_strip.setObjectName("alerts")
        self.alerts_strip.setWordWrap(True)
        self.alerts_strip.setTextFormat(Qt.TextFormat.PlainText)
        self.alerts_strip.setStyleSheet(
            "QLabel#alerts { background: %s; color: %s; border: 1px solid %s; border-radius: 4px; "
            "padding: 6px; font-weight: bold; }" % (BAD.bg, BAD.fg, BAD.fg))
        self.alerts_strip.setVisible(False)

        self.chart_box = QWidget()
        self.chart_grid = QGridLayout(self.chart_box)
        self.chart_grid.setContentsMargins(0, 0, 0, 0)
        # where the charts would be, when the scenario chosen has no process indicators
        self.no_indicators = QLabel()
        self.no_indicators.setWordWrap(True)
        self.no_indicators.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_indicators.setStyleSheet("color: #455a64; padding: 24px;")
        self.no_indicators.setVisible(False)
        scroll = self.chart_scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart_box)

        self.quarter_table: QTableWidget = make_table([
            self.tr("Period"), self.tr("Indicator"), self.tr("Drills"), self.tr("Median"),
            self.tr("p25–p75"), self.tr("Targets"), self.tr("Compliance")])
        self.missed_table: QTableWidget = make_table([
            self.tr("Date"), self.tr("Team"), self.tr("Department"), self.tr("Indicator"),
            self.tr("Time"), self.tr("Target"), self.tr("Scenario")])
        self.missed_title = heading(self.tr("Drills that missed a target"))
        self.show_all = QPushButton(self.tr("Show all quarters"))
        self.show_all.setVisible(False)
        # the drill calendar: simtool.app.calendar's rows for the filters chosen, every status
        # (as `simtool calendar` prints them: a department done in time at one site must not
        # read as never done because only its site-less row was overdue)
        self.calendar: dict[str, Any] = {"drills": [], "not_tracked": []}
        self._calendar_error = ""
        # every department's (for the department list, and shown for "All departments")
        self._calendar_all: tuple[dict[str, Any], str] = (self.calendar, "")
        self.calendar_title = heading(self.tr("Drill calendar"))
        self.calendar_table: QTableWidget = make_table([
            self.tr("Status"), self.tr("Department"), self.tr("Last done"), self.tr("Next due"),
            self.tr("Drill")])
        # a long department name is cut (its tooltip has it whole) so the drill stays in sight
        self.calendar_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.calendar_note = QLabel()
        self.calendar_note.setWordWrap(True)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Scenario")))
        filters.addWidget(self.scenario, 2)
        filters.addWidget(QLabel(self.tr("Department")))
        filters.addWidget(self.department, 1)
        filters.addWidget(self.site, 1)   # "All sites" / the site chosen says what it is
        # the range and how it is read on a second row: one row of every filter needed a
        # window wider than a county hospital's laptop once the period and alerts came
        when = QHBoxLayout()
        when.addWidget(self.dates)
        when.addWidget(self.by)
        when.addWidget(QLabel(self.tr("Min. drills")))
        when.addWidget(self.min_drills)
        when.addStretch(1)
        when.addWidget(self.refresh_button)

        scroll.setMinimumHeight(280)
        by_quarter = QWidget()
        ql = QVBoxLayout(by_quarter)
        ql.setContentsMargins(0, 0, 0, 0)
        ql.addWidget(heading(self.tr("By period")))
        ql.addWidget(self.quarter_table, 1)
        missed = QWidget()
        ml = QVBoxLayout(missed)
        ml.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.missed_title, 1)
        row.addWidget(self.show_all)
        ml.addLayout(row)
        ml.addWidget(self.missed_table, 1)
        tables = QSplitter(Qt.Orientation.Horizontal)
        tables.addWidget(by_quarter)
        tables.addWidget(missed)
        tables.setStretchFactor(0, 3)
        tables.setStretchFactor(1, 2)
        # the drill calendar: a card beside the charts, as tall as they are
        due = QWidget()
        dl = QVBoxLayout(due)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(self.calendar_title)
        dl.addWidget(self.calendar_table, 1)
        dl.addWidget(self.calendar_note)
        charts = QWidget()
        cl = QVBoxLayout(charts)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.no_indicators, 1)
        cl.addWidget(scroll, 1)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(charts)
        top.addWidget(due)
        top.setStretchFactor(0, 5)
        top.setStretchFactor(1, 2)
        top.setSizes([920, 440])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(tables)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([560, 360])

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(when)
        layout.addWidget(self.summary)
        layout.addWidget(self.alerts_strip)
        layout.addWidget(split, 1)

        self.scenario.currentIndexChanged.connect(self._show)
        self.department.currentIndexChanged.connect(self._show)
        self.site.currentIndexChanged.connect(self.reload)
        self.by.currentIndexChanged.connect(self.reload)
        self.dates.changed.connect(self.reload)
        self.min_drills.valueChanged.connect(self._on_min_drills)
        self.refresh_button.clicked.connect(self.reload)
        self.missed_table.cellDoubleClicked.connect(self._open_row)
        self.show_all.clicked.connect(lambda: self.focus(None))
        self.reload()

    def _on_min_drills(self, n: int) -> None:
        QSettings().setValue(MIN_DRILLS_SETTING, n)
        self._show()

    # --- filters --------------------------------------------------------------------------------
    def date_range(self) -> tuple[date | None, date | None]:
        return self.dates.bounds()

    def set_date_range(self, from_date: date | None, to_date: date | None) -> None:
        """Set both ends at once (one reload); None leaves that end open."""
        self.dates.set_bounds(from_date, to_date)

    def scenario_id(self) -> str | None:
        return self.scenario.currentData()

    def department_name(self) -> str | None:
        return self.department.currentData()

    def site_name(self) -> str | None:
        return self.site.currentData()

    def _refill(self, combo: QComboBox, items: list[tuple[str, str | None]]) -> None:
        keep = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
        i = combo.findData(keep)
        combo.setCurrentIndex(i if i >= 0 else 0)
        combo.blockSignals(False)

    # --- data -----------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the report and the per-drill results for the date range again."""
        lo, hi = self.date_range()
        try:
            sites = self.archive.sites()
            self._refill(self.site, [(self.tr("All sites"), None)] + [(s, s) for s in sites])
            site = self.site_name()
            self.report = indicators_report(self.archive, lo, hi, site=site,
                                            by=self.by.currentData() or "quarter")
            per_drill = drill_indicators(self.archive, lo, hi, site=site)
        except Exception as exc:  # noqa: BLE001 - one error channel for the app
            report_error(exc)
            return
        self._per_drill: list[DrillIndicators] = per_drill
        groups = self.report["groups"]
        # the scenarios with process indicators first (the page opens on one with figures),
        # then those without — skills stations — each part by title
        charted = {g["scenario_id"] for g in groups if g["indicators"]}
        scenarios = sorted({g["scenario_id"] for g in groups},
                           key=lambda s: (s not in charted, self.words.title(s)))
        self._refill(self.scenario, [(self.words.title(s), s) for s in scenarios])
        depts = sorted({g["department"] for g in groups if g["department"] is not None})
        self._calendar_all = self._read_calendar(None, site)
        depts = sorted(set(depts) | {d["department"] for d in self._calendar_all[0]["drills"]})
        self._refill(self.department, [(self.tr("All departments"), None)] + [(d, d) for d in depts])
        self._show()

    def groups(self) -> list[dict[str, Any]]:
        """The report's groups for the chosen scenario and department, by period."""
        sid, dept = self.scenario_id(), self.department_name()
        return sorted((g for g in self.report["groups"]
                       if g["scenario_id"] == sid and g["department"] == dept),
                      key=lambda g: g["period"])

    def shown_alerts(self) -> list[dict[str, Any]]:
        """The report's alerts for the chosen scenario and department: newest period first,
        then in the scenario's order of indicators."""
        sid, dept = self.scenario_id(), self.department_name()
        order = {i: k for k, i in enumerate(self.indicator_ids())}
        least = self.min_drills.value()   # a figure of too few drills raises nothing here either
        mine = [a for a in self.report.get("alerts", ())
                if a["scenario_id"] == sid and a["department"] == dept
                and all(isinstance(n, int) and n >= least for n in a.get("applies", ()))]
        periods = sorted({a["period"] for a in mine}, reverse=True)
        return sorted(mine, key=lambda a: (periods.index(a["period"]),
                                           order.get(a["indicator"], len(order))))

    def alert_text(self, a: dict[str, Any]) -> str:
        """One alert in words."""
        label = self.words.indicator(a["scenario_id"], a["indicator"])
        pct = lambda c: "—" if c is None else f"{c * 100:.0f} %"   # noqa: E731
        if a["kind"] == "below_target":
            return (self.tr("%1: compliance below its target (> %2 %) in %3 and %4 (%5 → %6)")
                    .replace("%1", label).replace("%2", f"{a['target_pct']:g}")
                    .replace("%3", a["previous"]).replace("%4", a["period"])
                    .replace("%5", pct(a["compliance"][0])).replace("%6", pct(a["compliance"][1])))
        if a["kind"] == "above_time":
            return (self.tr("%1: median time above its target (%2) in %3 and %4 (%5 → %6)")
                    .replace("%1", label).replace("%2", span(a["target_s"], self.lang))
                    .replace("%3", a["previous"]).replace("%4", a["period"])
                    .replace("%5", span(a["median_s"][0], self.lang))
                    .replace("%6", span(a["median_s"][1], self.lang)))
        return (self.tr("%1: compliance fell %2 points from %3 to %4 (%5 → %6)")
                .replace("%1", label).replace("%2", f"{a['drop_pts']:g}")
                .replace("%3", a["previous"]).replace("%4", a["period"])
                .replace("%5", pct(a["compliance"][0])).replace("%6", pct(a["compliance"][1])))

    def _show_alerts(self) -> None:
        shown = self.shown_alerts()
        self.alerts_strip.setVisible(bool(shown))
        if not shown:
            self.alerts_strip.clear()
            return
        head = self.tr("%n alert(s)", "", len(shown))
        lines = [f"⚠ {self.alert_text(a)}" for a in shown[:ALERT_LINES]]
        if len(shown) > ALERT_LINES:
            lines.append(self.tr("… and %1 more (hover to see them all)").replace(
                "%1", str(len(shown) - ALERT_LINES)))
        self.alerts_strip.setText(head + "\n" + "\n".join(lines))
        self.alerts_strip.setToolTip("\n".join(self.alert_text(a) for a in shown) + "\n\n" + self.tr(
            "An alert: an indicator below its compliance target, or its median time above its "
            "target, in two consecutive periods, or its compliance falling by more than %1 "
            "points from one period to the next.").replace("%1", f"{self.report.get('alert_margin_pts', 0):g}"))

    def indicator_ids(self) -> list[str]:
        sid = self.scenario_id()
        seen = [i["id"] for g in self.groups() for i in g["indicators"]]
        order = [i for i in self.words.order(sid) if i in seen] if sid else []
        return order + [i for i in dict.fromkeys(seen) if i not in order]

    def _show(self) -> None:
        groups = self.groups()
        sid = self.scenario_id()
        n = sum(g["drills"] for g in groups)
        self.summary.setText(self.tr("%n drill(s) in the range", "", n) if sid else
                             self.tr("No ended drills in this range"))
        self._show_alerts()
        self._show_charts(groups)
        self._show_quarters(groups)
        dept = self.department_name()
        monthly = self.report.get("by") == "month"
        self.missed = [Missed(d.drill_id, d.started_at, d.started_at[:7] if monthly else d.quarter,
                              r.id, r.seconds, r.target_s,
                              d.departments)
                       for d in getattr(self, "_per_drill", [])
                       if d.scenario_id == sid and (dept is None or dept in d.departments)
                       for r in d.results if r.met is False]
        self._show_missed()
        self._show_calendar()

    def _show_charts(self, groups: list[dict[str, Any]]) -> None:
        for chart in self.charts:
            self.chart_grid.removeWidget(chart)
            chart.deleteLater()
        self.charts = []
        sid = self.scenario_id() or ""
        for k, ind in enumerate(self.indicator_ids()):
            points, targets, goal = [], [], None
            for g in groups:
                s = next((i for i in g["indicators"] if i["id"] == ind), None)
                if s is None:
                    continue
                targets += [t for t in targets_of(s["target_s"]) if t not in targets]
                goal = s.get("target_pct")
                points.append(QuarterPoint(g["period"], g["drills"], s["applies"], s["met"],
                                           s["median_s"], s["p25_s"], s["p75_s"], s["compliance"],
                                           s["applies"] == 0 or s["applies"] >= self.min_drills.value()))
            chart = IndicatorChart(ind, self.words.indicator(sid, ind), targets, points, lang=self.lang,
                                   compliance_target=goal)
            chart.quarter_clicked.connect(lambda i, q: self.focus((i, q)))
            self.chart_grid.addWidget(chart, k // 2, k % 2)
            self.charts.append(chart)
        self.no_indicators.setText(self.no_indicators_text())
        self.no_indicators.setVisible(bool(self.no_indicators.text()))
        self.chart_scroll.setVisible(not self.no_indicators.text())

    def no_indicators_text(self) -> str:
        """What stands where the charts would be when the scenario chosen has drills but no
        process indicators (a skills station); empty when it has some, or nothing is chosen."""
        sid = self.scenario_id()
        if not sid or self.indicator_ids():
            return ""
        if self.words.is_station(sid):
            return self.tr("A skills station has no process indicators: its sittings are marked "
                           "on score sheets (see the trainee's portfolio and progress).")
        return self.tr("This scenario has no process indicators to chart.")

    def _show_quarters(self, groups: list[dict[str, Any]]) -> None:
        sid = self.scenario_id() or ""
        order = {i: k for k, i in enumerate(self.indicator_ids())}
        rows = [(g, s) for g in groups for s in sorted(g["indicators"], key=lambda s: order.get(s["id"], 99))]
        t = self.quarter_table
        t.setRowCount(len(rows))
        for r, (g, s) in enumerate(rows):
            targets = targets_of(s["target_s"])
            med = s["median_s"]
            med_tone = None if med is None or not targets else GOOD if indicator_met(med, min(targets)) else BAD
            comp = "—" if s["compliance"] is None else \
                self.tr("%1 % (%2 of %3)").replace("%1", f"{s['compliance'] * 100:.0f}") \
                    .replace("%2", str(s["met"])).replace("%3", str(s["applies"]))
            band = "—" if s["p25_s"] is None else f"{span(s['p25_s'], self.lang)}–{span(s['p75_s'], self.lang)}"
            if 0 < s["applies"] < self.min_drills.value():   # no figure a manager could misread
                few = self.tr("too few drills (n=%1)").replace("%1", str(s["applies"]))
                median_cell, band, comp_cell = cell(few, data=med), "—", cell(few, data=s["compliance"])
            else:
                median_cell = cell(f"{span(med, self.lang)} (n={s['done']})" if med is not None
                                   else span(med, self.lang), med_tone, data=med)
                goal = s.get("target_pct")   # the indicator's own compliance target, when it has one
                tone = compliance_tone(s["met"], s["applies"]) if goal is None or s["compliance"] is None \
                    else BAD if s["compliance"] * 100 <= goal else GOOD
                comp_cell = cell(comp, tone, data=s["compliance"])
            goal = s.get("target_pct")
            both = self.tr("%1 per drill; > %2 % of drills").replace(
                "%1", target_text(s["target_s"], self.lang)).replace("%2", f"{goal:g}") \
                if goal is not None else self.tr("%1 per drill; no compliance target").replace(
                    "%1", target_text(s["target_s"], self.lang))
            for c, item in enumerate([
                    cell(g["period"], data=g["period"]),
                    cell(self.words.indicator(sid, s["id"]), data=s["id"]),
                    cell(str(g["drills"]), data=g["drills"]),
                    median_cell,
                    cell(band),
                    cell(both, data=goal),
                    comp_cell]):
                t.setItem(r, c, item)
            t.item(r, 5).setToolTip(self.tr("Source of the compliance target: %1").replace(
                "%1", s.get("target_source") or self.tr("none given")))

    def focus(self, which: tuple[str, str] | None) -> None:
        """List only the drills that missed ``(indicator, quarter)``; None: all of them."""
        self._focus = which
        self._show_missed()

    def shown_missed(self) -> list[Missed]:
        if self._focus is None:
            return list(self.missed)
        ind, q = self._focus
        return [m for m in self.missed if m.indicator_id == ind and m.quarter == q]

    def _show_missed(self) -> None:
        sid = self.scenario_id() or ""
        rows = self.shown_missed()
        if self._focus is None:
            self.missed_title.setText(self.tr("Drills that missed a target (%1)").replace("%1", str(len(rows))))
        else:
            self.missed_title.setText(
                self.tr("Drills that missed: %1, %2 (%3)").replace("%1", self.words.indicator(sid, self._focus[0]))
                .replace("%2", self._focus[1]).replace("%3", str(len(rows))))
        self.show_all.setVisible(self._focus is not None)
        t = self.missed_table
        t.setRowCount(len(rows))
        for r, m in enumerate(rows):
            time = self.tr("not done") if m.seconds is None else span(m.seconds, self.lang)
            team = self._team(m.drill_id)
            for c, item in enumerate([
                    cell(wall_day(m.started_at), data=m.drill_id),
                    cell(team),
                    cell(", ".join(m.departments) or "—"),
                    cell(self.words.indicator(sid, m.indicator_id), data=m.indicator_id),
                    cell(time, BAD, data=m.seconds),
                    cell(span(m.target_s, self.lang), data=m.target_s),
                    cell(self.words.title(sid), data=sid)]):
                t.setItem(r, c, item)
            t.item(r, 1).setToolTip(team)
            t.item(r, 0).setToolTip(self.tr("Double-click to open the drill's debrief"))

    def _read_calendar(self, department: str | None, site: str | None) -> tuple[dict[str, Any], str]:
        """``simtool.app.calendar.calendar`` for this department and site — the call
        ``simtool calendar --department D --site S`` makes — and the error to say in the card
        instead ("" when none)."""
        try:
            return drill_calendar(self.archive, department=department, site=site), ""
        except Exception as exc:  # noqa: BLE001 - e.g. a broken programme file: said in the pane
            return {"drills": [], "not_tracked": []}, str(exc)

    def calendar_rows(self) -> list[dict[str, Any]]:
        """The calendar's rows for the department and site chosen, every status, in the
        app's order (overdue first, the longest overdue first, then due, then ok): the rows
        ``simtool calendar`` prints for the same filters."""
        return list(self.calendar["drills"])

    def _label(self, text: dict[str, str]) -> str:
        return text.get(self.lang) or text["en"]

    def _show_calendar(self) -> None:
        dept = self.department_name()
        self.calendar, self._calendar_error = self._calendar_all if dept is None \
            else self._read_calendar(dept, self.site_name())
        rows = self.calendar_rows()
        pending = sum(1 for d in rows if d["status"] in ("due", "overdue"))
        self.calendar_title.setText(self.tr("Drill calendar: %1 due or overdue").replace("%1", str(pending)))
        self.calendar_title.setToolTip(self.tr(
            "Drills the training programmes require of each department and site. Due: within a "
            "month of the next due day; overdue: past it, or never done. Discarded drills do not "
            "count."))
        words = {"overdue": (self.tr("overdue"), BAD), "due": (self.tr("due"), WARN),
                 "ok": (self.tr("ok"), GOOD)}
        t = self.calendar_table
        t.setRowCount(len(rows))
        for r, d in enumerate(rows):
            status, tone = words.get(d["status"], (d["status"], NEUTRAL))
            if d["site"] is None:    # drills recorded without a site count on their own
                where = self.tr("%1 (no site)").replace("%1", d["department"])
                where_tip = where + "\n" + self.tr(
                    "Drills recorded without a site are counted apart from the department's "
                    "drills at a site: record the site when a drill starts.")
            else:
                where = where_tip = self.tr("%1 (%2)").replace("%1", d["department"]).replace("%2", d["site"])
            label = self._label(d["label"])
            last = self.tr("last done %1").replace("%1", d["last_done"]) if d["last_done"] \
                else self.tr("never done")
            for c, item in enumerate([
                    cell(status, tone, data=d["status"]),
                    cell(where, data=(d["department"], d["site"])),
                    cell(d["last_done"] or self.tr("never done"), data=d["last_done"]),
                    cell(d["next_due"] or self.tr("now"), data=d["next_due"]),
                    cell(label, data=d["drill"])]):
                t.setItem(r, c, item)
            t.item(r, 1).setToolTip(where_tip)
            t.item(r, 4).setToolTip(self.tr("%1 — every %2 months (%3); %4").replace("%1", label)
                                    .replace("%2", str(d["every_months"])).replace("%3", d["programme"])
                                    .replace("%4", last))
        t.resizeColumnToContents(1)
        cap = max(t.horizontalHeader().sectionSizeHint(1), t.fontMetrics().horizontalAdvance("x") * 15)
        t.setColumnWidth(1, min(t.columnWidth(1), cap))
        notes = []
        if self._calendar_error:
            notes.append(self.tr("The drill calendar cannot be shown: %1").replace("%1", self._calendar_error))
        elif not pending:
            notes.append(self.tr("No drill is due or overdue."))
        for u in self.calendar["not_tracked"]:
            notes.append(self.tr("Not tracked (the programme names no scenario for it): %1, every %2 months")
                         .replace("%1", self._label(u["label"])).replace("%2", str(u["every_months"])))
        self.calendar_note.setText("\n".join(notes))
        self.calendar_note.setVisible(bool(notes))

    def _team(self, drill_id: str) -> str:
        """The drill's team as the dashboard names it: each person and their role."""
        cache = self.__dict__.setdefault("_teams", {})
        if drill_id not in cache:
            try:
                info = self.archive.drill(drill_id)
                cache[drill_id] = ", ".join(f"{p.name} ({self.words.role(info.scenario_id, p.role)})"
                                            for p in info.participants) or "—"
            except Exception:  # noqa: BLE001 - a drill gone from the archive reads as a dash
                cache[drill_id] = "—"
        return cache[drill_id]

    def _open_row(self, row: int, _col: int = 0) -> None:
        item = self.missed_table.item(row, 0)
        if item is not None:
            self.open_drill.emit(item.data(Qt.ItemDataRole.UserRole))
