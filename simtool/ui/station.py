"""Skills stations in the window (issue 20, item 4): pick a station, a candidate and an
examiner from the registry, start the station clock and mark on the same scoring panel as a
drill (``archiveviews.ScoringPanel``); signing goes through ``app.marking`` as there. The
sitting is recorded by ``app.station``; this page only asks and shows."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMessageBox,
    QPushButton, QSplitter, QVBoxLayout, QWidget,
)


def _text(t: Any, lang: str) -> str:
    d = t.model_dump() if hasattr(t, "model_dump") else dict(t)
    return d.get(lang) or d["en"]


def _clock(seconds: float) -> str:
    s = max(0, int(round(seconds)))
    return f"{s // 60}:{s % 60:02d}"


class StationsView(QWidget):
    """The bundled stations; "Score station…" starts a sitting and opens the scoring panel
    with the station's countdown."""

    def __init__(self, archive: Any, lang: str = "en", parent: QWidget | None = None) -> None:
        from simtool.app.people import known_examiners, known_people
        from simtool.app.station import station_rubrics
        super().__init__(parent)
        self.archive, self.lang = archive, lang
        self.sitting: Any = None
        self.panel: QWidget | None = None
        self._started = 0.0
        self.stations = [(p, rb) for p, rb, _problem in station_rubrics() if rb is not None]
        self.list = QListWidget()
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
        self.clock = QLabel()
        font = self.clock.font()
        font.setPointSize(font.pointSize() + 8)
        font.setBold(True)
        self.clock.setFont(font)
        self.stop_button = QPushButton(self.tr("Candidate finished"))
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.finish)
        self.timer = QTimer(self)
        self.timer.setInterval(250)
        self.timer.timeout.connect(self._tick)

        form = QFormLayout()
        form.addRow(self.tr("Candidate"), self.candidate)
        form.addRow(self.tr("Examiner"), self.examiner)
        left = QWidget()
        left.setMaximumWidth(380)
        lv = QVBoxLayout(left)
        lv.addWidget(QLabel(self.tr("Skills stations")))
        lv.addWidget(self.list, 1)
        lv.addWidget(self.task)
        lv.addWidget(self.limits)
        lv.addLayout(form)
        lv.addWidget(self.start_button)
        clock_row = QHBoxLayout()
        clock_row.addWidget(self.clock, 1)
        clock_row.addWidget(self.stop_button)
        lv.addLayout(clock_row)
        self.right = QWidget()
        self.right_layout = QVBoxLayout(self.right)
        self.hint = QLabel(self.tr("Choose a station, the candidate and the examiner, then "
                                   "press Score station… to start the station clock and mark."))
        self.hint.setWordWrap(True)
        self.right_layout.addWidget(self.hint)
        self.right_layout.addStretch(1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.right)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        if self.stations:
            self.list.setCurrentRow(0)

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
        self.clock.setText(_clock(st.time_limit_s.value))

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
        from simtool.core.scoresheet import TEAM_SHEET
        team = getattr(panel, "tabs_by_key", {}).get(TEAM_SHEET)
        if team is not None:             # a station has one candidate: no team sheet to mark
            panel.tabs.removeTab(panel.tabs.indexOf(team))
        choose = getattr(panel, "_on_examiner_chosen", None)
        index = panel.examiner_box.findData(self.sitting.examiner_id)
        if index >= 0 and choose is not None:
            panel.examiner_box.setCurrentIndex(index)
            choose(index)
        self.hint.hide()
        if self.panel is not None:
            self.panel.deleteLater()
        self.panel = panel
        self.right_layout.insertWidget(0, panel, 1)
        self._started = time.monotonic()
        self.start_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.timer.start()
        self._tick()
        return panel

    def elapsed(self) -> float:
        return time.monotonic() - self._started if self.sitting is not None else 0.0

    def _tick(self) -> None:
        if self.sitting is None:
            return
        left = self.sitting.time_limit_s - self.elapsed()
        self.clock.setText(_clock(left))
        self.clock.setStyleSheet("color: #c62828;" if left <= 60 else "")
        if left <= 0:
            self.finish()

    def finish(self) -> None:
        """The candidate leaves (or time is up): the sitting's record ends; marking goes on."""
        from simtool.app.station import finish
        if self.sitting is None or self.sitting.live.ended:
            return
        self.timer.stop()
        finish(self.sitting, min(self.elapsed(), self.sitting.time_limit_s))
        self.clock.setText(self.tr("Time used %1").replace("%1", _clock(self.sitting.live.t)))
        self.clock.setStyleSheet("")
        self.stop_button.setEnabled(False)
        self.start_button.setEnabled(True)
