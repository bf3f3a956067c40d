"""The archive browser: every drill in a table, filters and search, open and resume."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QTableWidget, QVBoxLayout, QWidget,
)

from simtool.store import Archive, DrillInfo
from simtool.store.schema import STATUSES
from simtool.ui.archiveviews.common import DateRange, cell, make_table
from simtool.ui.archiveviews.exports import ExportBar
from simtool.ui.display import BAD, GOOD, INFO, NEUTRAL, WARN, Tone, wall, wall_day

_STATUS_TONES: dict[str, Tone] = {"interrupted": BAD, "running": INFO, "paused": WARN,
                                  "ended": NEUTRAL, "signed": GOOD}


def interrupted_drills(archive: Archive) -> list[DrillInfo]:
    """Drills whose simtool stopped mid-drill (the main window offers them at start-up)."""
    return archive.drills(status="interrupted")


class ArchiveBrowser(QWidget):
    """Drills of ``archive``, newest first. ``open_requested(drill_id)`` on double-click or
    Open; ``resume_requested(drill_id)`` on Resume (interrupted drills only)."""

    open_requested = Signal(str)
    resume_requested = Signal(str)

    def __init__(self, archive: Archive, scenario_titles: Mapping[str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive = archive
        self.scenario_titles = dict(scenario_titles or {})
        self._drills: list[DrillInfo] = []

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search drills, scenarios, people, ids…"))
        self.search.setClearButtonEnabled(True)
        self.scenario = QComboBox()
        self.status = QComboBox()
        self.status.addItem(self.tr("Any status"), None)
        for s in STATUSES:
            self.status.addItem(self._status_words(s), s)
        self.trainee = QLineEdit()
        self.trainee.setPlaceholderText(self.tr("Trainee name or staff id"))
        self.trainee.setClearButtonEnabled(True)
        self.dates = DateRange()

        self.table: QTableWidget = make_table([
            self.tr("Date"), self.tr("Scenario"), self.tr("Participants"), self.tr("Status"),
            self.tr("Evaluation")])
        self.table.setSortingEnabled(False)
        self.count = QLabel()
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.open_button = QPushButton(self.tr("Open"))
        self.resume_button = QPushButton(self.tr("Resume"))
        self.open_button.setDefault(True)

        filters = QGridLayout()
        filters.addWidget(QLabel(self.tr("Search")), 0, 0)
        filters.addWidget(self.search, 0, 1, 1, 3)
        filters.addWidget(QLabel(self.tr("Scenario")), 1, 0)
        filters.addWidget(self.scenario, 1, 1)
        filters.addWidget(QLabel(self.tr("Status")), 1, 2)
        filters.addWidget(self.status, 1, 3)
        filters.addWidget(QLabel(self.tr("Trainee")), 2, 0)
        filters.addWidget(self.trainee, 2, 1)
        filters.addWidget(QLabel(self.tr("Started")), 2, 2)
        filters.addWidget(self.dates, 2, 3, Qt.AlignmentFlag.AlignLeft)
        filters.setColumnStretch(1, 1)
        filters.setColumnStretch(3, 1)
        # exports of the selected drill run off the GUI thread (ExportBar's worker)
        self.exports = ExportBar(archive.path, "")
        self.exports.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count, 1)
        buttons.addWidget(self.exports, 2)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.resume_button)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        for sig in (self.search.textChanged, self.trainee.textChanged):
            sig.connect(self._apply_filters)
        for combo in (self.scenario, self.status):
            combo.currentIndexChanged.connect(self._apply_filters)
        self.dates.changed.connect(self._apply_filters)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.table.cellDoubleClicked.connect(lambda row, _col: self._open_row(row))
        self.open_button.clicked.connect(self._on_open)
        self.resume_button.clicked.connect(self._on_resume)
        self.refresh_button.clicked.connect(self.reload)
        self.reload()

    # --- words --------------------------------------------------------------------------------
    def _status_words(self, status: str) -> str:
        return {"running": self.tr("running"), "paused": self.tr("paused"),
                "interrupted": self.tr("interrupted"), "ended": self.tr("ended"),
                "signed": self.tr("signed")}.get(status, status)

    def _evaluation_words(self, kind: str) -> str:
        return {"formative": self.tr("formative"), "summative": self.tr("summative"),
                "high-stakes": self.tr("high-stakes")}.get(kind, kind)

    def _scenario_words(self, info: DrillInfo) -> str:
        title = self.scenario_titles.get(info.scenario_id, info.scenario_id)
        return f"{title} {info.scenario_version}"

    # --- data ---------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the drills again (statuses are computed on every read)."""
        self._drills = sorted(self.archive.drills(), key=lambda d: (d.started_at, d.id), reverse=True)
        chosen = self.scenario.currentData()
        self.scenario.blockSignals(True)
        self.scenario.clear()
        self.scenario.addItem(self.tr("All scenarios"), None)
        for sid in sorted({d.scenario_id for d in self._drills}):
            self.scenario.addItem(self.scenario_titles.get(sid, sid), sid)
        index = self.scenario.findData(chosen) if chosen is not None else 0
        self.scenario.setCurrentIndex(max(index, 0))
        self.scenario.blockSignals(False)
        self._apply_filters()

    def _matches(self, d: DrillInfo) -> bool:
        scenario, status = self.scenario.currentData(), self.status.currentData()
        if scenario is not None and d.scenario_id != scenario:
            return False
        if status is not None and d.status != status:
            return False
        # the day the user saw it start, in the local zone (the archive keeps UTC)
        if not self.dates.contains(QDate.fromString(wall_day(d.started_at), "yyyy-MM-dd").toPython()):
            return False
        who = self.trainee.text().strip().casefold()
        if who and not any(who in p.name.casefold() or who in (p.trainee_id or "").casefold()
                           or who in p.id.casefold() for p in d.participants):
            return False
        words = self.search.text().strip().casefold().split()
        if words:
            hay = " ".join([d.id, d.scenario_id, self._scenario_words(d), d.started_at, wall(d.started_at),
                            d.status, self._status_words(d.status), d.evaluation_type,
                            self._evaluation_words(d.evaluation_type), d.site or ""]
                           + [f"{p.name} {p.role}" for p in d.participants]).casefold()
            if not all(w in hay for w in words):
                return False
        return True

    def _apply_filters(self) -> None:
        shown = [d for d in self._drills if self._matches(d)]
        self.table.setRowCount(len(shown))
        for r, d in enumerate(shown):
            people = ", ".join(p.name for p in d.participants)
            cells = [cell(wall(d.started_at), data=d.id),
                     cell(self._scenario_words(d)), cell(people),
                     cell(self._status_words(d.status), _STATUS_TONES.get(d.status)),
                     cell(self._evaluation_words(d.evaluation_type))]
            for c, item in enumerate(cells):
                self.table.setItem(r, c, item)
        self.count.setText(self.tr("{shown} of {total} drills").format(
            shown=len(shown), total=len(self._drills)))
        if shown:
            self.table.selectRow(0)
        self._on_selection_changed()

    # --- selection and actions ----------------------------------------------------------------
    def shown_ids(self) -> list[str]:
        return [self.table.item(r, 0).data(Qt.ItemDataRole.UserRole)
                for r in range(self.table.rowCount())]

    def selected(self) -> DrillInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        did = self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        return next((d for d in self._drills if d.id == did), None)

    def select(self, drill_id: str) -> bool:
        for r, did in enumerate(self.shown_ids()):
            if did == drill_id:
                self.table.selectRow(r)
                return True
        return False

    def _on_selection_changed(self) -> None:
        d = self.selected()
        self.open_button.setEnabled(d is not None)
        self.exports.setEnabled(d is not None and not self.exports.busy)
        if d is not None:
            self.exports.drill_id = d.id
        self.resume_button.setEnabled(d is not None and d.status == "interrupted")
        self.resume_button.setToolTip(
            "" if d is None or d.status == "interrupted"
            else self.tr("Only a drill interrupted by a crash can be resumed"))

    def _open_row(self, row: int) -> None:
        self.table.selectRow(row)
        self._on_open()

    def _on_open(self) -> None:
        d = self.selected()
        if d is not None:
            self.open_requested.emit(d.id)

    def _on_resume(self) -> None:
        d = self.selected()
        if d is not None and d.status == "interrupted":
            self.resume_requested.emit(d.id)
