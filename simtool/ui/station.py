"""Skills stations in the window (issue 20, item 4): pick a station, a candidate and an
examiner from the registry, start the station clock and mark on the same scoring panel as a
drill (``archiveviews.ScoringPanel``); signing goes through ``app.marking`` as there. The
sitting is recorded by ``app.station``; this page only asks and shows.

The station clock has two phases, as at an OSCE door: the reading time counts down first (the
candidate reads the task; "Start station now" ends it early), then the station time counts
down; the time used at the station — never the reading — is what the sitting records. The
clock reads the wall time through ``clock`` (``time.monotonic``; a test gives its own)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFormLayout, QHeaderView, QLabel, QListWidget,
    QListWidgetItem, QMessageBox, QPushButton, QSizePolicy, QSplitter, QTableWidget, QVBoxLayout,
    QWidget,
)

IDLE, READING, STATION, DONE = "idle", "reading", "station", "done"
READING_COLOUR, LAST_MINUTE_COLOUR = "#1565c0", "#c62828"


def _text(t: Any, lang: str) -> str:
    d = t.model_dump() if hasattr(t, "model_dump") else dict(t)
    return d.get(lang) or d["en"]


def _clock(seconds: float) -> str:
    s = max(0, int(round(seconds)))
    return f"{s // 60}:{s % 60:02d}"


class StationsView(QWidget):
    """The bundled stations; "Score station…" starts a sitting and opens the scoring panel
    with the station's countdown."""

    def __init__(self, archive: Any, lang: str = "en", parent: QWidget | None = None, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        from simtool.app.people import known_examiners, known_people
        from simtool.app.station import station_rubrics
        super().__init__(parent)
        self.archive, self.lang = archive, lang
        self.sitting: Any = None
        self.panel: QWidget | None = None
        self._clock = clock
        self.phase = IDLE
        self._reading_from = 0.0    # the clock's reading when the reading time began
        self._started = 0.0         # ... and when the station time began
        self.stations = [(p, rb) for p, rb, _problem in station_rubrics() if rb is not None]
        self.list = QListWidget()
        self.list.setWordWrap(True)          # a long title wraps instead of scrolling sideways
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        for _path, rb in self.stations:
            item = QListWidgetItem(_text(rb.rubric.title, lang))
            self.list.addItem(item)
        self.list.currentRowChanged.connect(self._on_station)
        self.task = QLabel()
        self.task.setWordWrap(True)
        self.limits = QLabel()
        self.candidate = QComboBox()
        self.examiner = QComboBox()
        for p in known_people(archive):
            if p.staff_id:
                self.candidate.addItem(f"{p.name} ({p.staff_id})", p.staff_id)
        for e in known_examiners(archive):
            if e.staff_id:
                self.examiner.addItem(f"{e.name} ({e.staff_id})", e.staff_id)
        self.start_button = QPushButton(self.tr("Score station…"))
        self.start_button.clicked.connect(self.start)
        for signal in (self.candidate.currentIndexChanged, self.examiner.currentIndexChanged,
                       self.list.currentRowChanged):
            signal.connect(lambda _i: self._update_start())
        self.phase_label = QLabel()          # which countdown the clock shows
        self.clock = QLabel()
        font = self.clock.font()
        font.setPointSize(font.pointSize() + 8)
        font.setBold(True)
        self.clock.setFont(font)
        self.enter_button = QPushButton(self.tr("Start station now"))
        self.enter_button.setToolTip(self.tr("End the reading time: the candidate starts the task"))
        self.enter_button.setVisible(False)
        self.enter_button.clicked.connect(self.begin_station)
        self.stop_button = QPushButton(self.tr("Candidate finished"))
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.finish)
        self.timer = QTimer(self)
        self.timer.setInterval(250)
        self.timer.timeout.connect(self._tick)

        form = QFormLayout()
        form.addRow(self.tr("Candidate"), self.candidate)
        form.addRow(self.tr("Examiner"), self.examiner)
        self.limits.setWordWrap(True)
        self.candidate.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.candidate.setMinimumContentsLength(12)
        self.examiner.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.examiner.setMinimumContentsLength(12)
        # nobody is chosen at first: one click must never score whoever is first in the list
        for box, ask in ((self.candidate, self.tr("Choose the candidate")),
                         (self.examiner, self.tr("Choose the examiner"))):
            box.setMinimumWidth(box.minimumSizeHint().width())   # a long ask never widens it
            box.setPlaceholderText(ask)
            box.setCurrentIndex(-1)
        left = QWidget()
        left.setMinimumWidth(260)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(QLabel(self.tr("Skills stations")))
        lv.addWidget(self.list, 1)
        lv.addWidget(self.task)
        lv.addWidget(self.limits)
        lv.addLayout(form)
        lv.addWidget(self.start_button)
        lv.addWidget(self.phase_label)
        lv.addWidget(self.clock)
        lv.addWidget(self.enter_button)     # one under the other: whole in any language
        lv.addWidget(self.stop_button)
        self.right = QWidget()
        self.right.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.right_layout = QVBoxLayout(self.right)
        self.right_layout.setContentsMargins(0, 0, 0, 0)
        self.hint = QLabel(self.tr("Choose a station, the candidate and the examiner, then "
                                   "press Score station… to start the station clock and mark."))
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.right_layout.addWidget(self.hint, 1)
        # the list and the clock keep their width; the scoring panel takes the rest, no gap
        self.split = QSplitter()
        self.split.addWidget(left)
        self.split.addWidget(self.right)
        self.split.setChildrenCollapsible(False)
        self.split.setStretchFactor(0, 0)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([340, 1000])
        layout = QVBoxLayout(self)
        layout.addWidget(self.split)
        if self.stations:
            self.list.setCurrentRow(0)
        self._update_start()

    def choose(self, candidate: str | None, examiner: str | None) -> None:
        """Choose the candidate and the examiner by staff id (None: nobody), as in the boxes."""
        self.candidate.setCurrentIndex(self.candidate.findData(candidate) if candidate else -1)
        self.examiner.setCurrentIndex(self.examiner.findData(examiner) if examiner else -1)

    def _update_start(self) -> None:
        """"Score station…" once a station, a candidate and an examiner are chosen, and while
        no sitting's clock runs."""
        self.start_button.setEnabled(
            self.phase not in (READING, STATION) and self.current() is not None
            and self.candidate.currentIndex() >= 0 and self.examiner.currentIndex() >= 0)

    def in_use(self) -> bool:
        """Whether a sitting is under way here: its clock running, or a sheet of it not yet
        signed. The window keeps such a page when another is shown, and shows it again."""
        if self.sitting is None:
            return False
        if self.phase in (READING, STATION):
            return True
        tabs = getattr(self.panel, "tabs", None)
        return tabs is not None and any(not getattr(tabs.widget(i), "is_signed", True)
                                        for i in range(tabs.count()))

    def current(self) -> Any:
        row = self.list.currentRow()
        return self.stations[row][1] if 0 <= row < len(self.stations) else None

    def _on_station(self, _row: int) -> None:
        rb = self.current()
        if rb is None:
            return
        st = rb.rubric.station
        self.task.setText(_text(st.task, self.lang))
        reading = _clock(st.reading_s.value) if st.reading_s is not None else "—"
        self.limits.setText(self.tr("Station time %1 · reading time %2")
                            .replace("%1", _clock(st.time_limit_s.value)).replace("%2", reading))
        if self.sitting is None or self.phase == DONE:
            self.phase_label.setText(self.tr("Station time"))
            self.clock.setText(_clock(st.time_limit_s.value))
            self.clock.setStyleSheet("")

    def start(self) -> QWidget | None:
        """Record the sitting and open the scoring panel with the station clock running."""
        from simtool.app.station import StationError, start_sitting
        from simtool.ui.archiveviews import ScoringPanel
        rb = self.current()
        candidate, examiner = self.candidate.currentData(), self.examiner.currentData()
        if rb is None or not candidate or not examiner:
            QMessageBox.information(self, self.tr("Score station"),
                                    self.tr("Choose a station, a candidate and an examiner first."))
            return None
        try:
            self.sitting = start_sitting(self.archive, rb, candidate, examiner)
        except StationError as exc:
            QMessageBox.warning(self, self.tr("Score station"), str(exc))
            return None
        panel = ScoringPanel(rb, self.sitting.live.drill, archive=self.archive,
                             drill_id=self.sitting.drill_id,
                             evaluation_type=self.sitting.evaluation_type, lang=self.lang)
        title = getattr(panel, "title", None)
        if isinstance(title, QLabel):        # a long station title wraps beside the examiner
            title.setWordWrap(True)
        from simtool.core.scoresheet import TEAM_SHEET
        team = getattr(panel, "tabs_by_key", {}).get(TEAM_SHEET)
        if team is not None:             # a station has one candidate: no team sheet to mark
            panel.tabs.removeTab(panel.tabs.indexOf(team))
        choose = getattr(panel, "_on_examiner_chosen", None)
        index = panel.examiner_box.findData(self.sitting.examiner_id)
        if index >= 0 and choose is not None:
            panel.examiner_box.setCurrentIndex(index)
            choose(index)
        fit_items(panel)
        self.hint.hide()
        if self.panel is not None:
            self.panel.deleteLater()
        self.panel = panel
        self.right_layout.insertWidget(0, panel, 1)
        self.start_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        now = self._clock()
        if self.sitting.reading_s > 0:      # the candidate reads the task at the door first
            self.phase, self._reading_from = READING, now
            self.enter_button.setVisible(True)
        else:
            self._begin_station(now)
        self.timer.start()
        self._tick()
        return panel

    def _begin_station(self, at: float) -> None:
        self.phase, self._started = STATION, at
        self.enter_button.setVisible(False)

    def begin_station(self) -> None:
        """The candidate starts the task before the reading time is over."""
        if self.phase == READING:
            self._begin_station(self._clock())
            self._tick()

    def elapsed(self) -> float:
        """Seconds the candidate has used at the station (the reading time is not counted)."""
        if self.sitting is None or self.phase in (IDLE, READING):
            return 0.0
        if self.phase == DONE:
            return self.sitting.live.t
        return max(0.0, self._clock() - self._started)

    def _tick(self) -> None:
        if self.sitting is None or self.phase in (IDLE, DONE):
            return
        if self.phase == READING:
            reading = self.sitting.reading_s
            left = reading - (self._clock() - self._reading_from)
            if left > 0:
                self.phase_label.setText(self.tr("Reading time"))
                self.clock.setText(_clock(math.ceil(left)))    # 0:01 until it is over
                self.clock.setStyleSheet(f"color: {READING_COLOUR};")
                return
            self._begin_station(self._reading_from + reading)   # the station starts on time
        left = self.sitting.time_limit_s - self.elapsed()
        self.phase_label.setText(self.tr("Station time"))
        self.clock.setText(_clock(math.ceil(left)))
        self.clock.setStyleSheet(f"color: {LAST_MINUTE_COLOUR};" if left <= 60 else "")
        if left <= 0:
            self.finish()

    def finish(self) -> None:
        """The candidate leaves (or time is up): the sitting's record ends; marking goes on."""
        from simtool.app.station import finish
        if self.sitting is None or self.sitting.live.ended:
            return
        self.timer.stop()
        finish(self.sitting, min(self.elapsed(), self.sitting.time_limit_s))
        self.phase = DONE
        self.enter_button.setVisible(False)
        self.phase_label.setText(self.tr("Time used"))
        self.clock.setText(_clock(self.sitting.live.t))
        self.clock.setStyleSheet("")
        self.stop_button.setEnabled(False)
        self._update_start()


def fit_items(panel: QWidget) -> None:
    """Lay the scoring panel's checklists out for a station in the page's width: the item's
    words wrap in the column that takes the room left, status, points and the mark keep their
    content's width, and the evidence column is hidden — a station's items are all marked by
    the examiner, so it would only repeat the status. No sideways scrolling."""
    from simtool.ui.archiveviews.scoring import COL_EVIDENCE, COL_ITEM
    for table in panel.findChildren(QTableWidget):
        header = table.horizontalHeader()
        if table.columnCount() <= COL_EVIDENCE or header.count() != 5:
            continue
        table.setWordWrap(True)
        table.setTextElideMode(Qt.TextElideMode.ElideNone)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setColumnHidden(COL_EVIDENCE, True)
        header.setStretchLastSection(False)
        for c in range(table.columnCount()):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch if c == COL_ITEM
                                        else QHeaderView.ResizeMode.ResizeToContents)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
