"""One trainee's portfolio: their drills over time with the drill's times to key actions and
their score percentages, and per scenario the medians and mean score.

Display only: every number is ``simtool.store.analytics.portfolio``'s.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QTableWidget, QVBoxLayout, QWidget

from simtool.store import Archive
from simtool.store.analytics import portfolio
from simtool.ui.archiveviews.common import cell, heading, make_table, report_error
from simtool.ui.dashboard import ScenarioWords
from simtool.ui.display import BAD, GOOD, span, wall_day


def _status_words(status: str) -> str:
    # the archive browser's words for a drill's status (one translation for both screens)
    words = {"running": QCoreApplication.translate("ArchiveBrowser", "running"),
             "paused": QCoreApplication.translate("ArchiveBrowser", "paused"),
             "interrupted": QCoreApplication.translate("ArchiveBrowser", "interrupted"),
             "ended": QCoreApplication.translate("ArchiveBrowser", "ended"),
             "signed": QCoreApplication.translate("ArchiveBrowser", "signed")}
    return words.get(status, status)


class TraineePortfolio(QWidget):
    """Pick a trainee (by name or staff id); ``open_drill(drill_id)`` on double-click of a drill."""

    open_drill = Signal(str)

    def __init__(self, archive: Archive, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive = archive
        self.words = ScenarioWords(lang)
        self.data: dict[str, Any] | None = None

        self.trainee = QComboBox()
        self.trainee.setEditable(True)  # type a name or staff id; the completer narrows the list
        self.trainee.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.trainee.lineEdit().setPlaceholderText(self.tr("Trainee name or staff id"))
        self.who = QLabel()
        self.drills_table: QTableWidget = make_table([self.tr("Date")])
        self.scenario_table: QTableWidget = make_table([
            self.tr("Scenario"), self.tr("Drills"), self.tr("Mean score"), self.tr("Indicator medians")])

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Trainee")))
        top.addWidget(self.trainee, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.who)
        layout.addWidget(heading(self.tr("Drills")))
        layout.addWidget(self.drills_table, 3)
        layout.addWidget(heading(self.tr("By scenario")))
        layout.addWidget(self.scenario_table, 1)

        self.trainee.activated.connect(lambda _i: self._pick())
        self.drills_table.cellDoubleClicked.connect(self._open_row)
        self.reload()

    def reload(self) -> None:
        self.trainee.blockSignals(True)
        self.trainee.clear()
        for t in self.archive.trainees():
            text = f"{t.name} ({t.staff_id})" if t.staff_id else t.name
            self.trainee.addItem(text, t.id)
        self.trainee.setCurrentIndex(-1)
        self.trainee.blockSignals(False)

    def _pick(self) -> None:
        tid = self.trainee.currentData()
        if tid is not None:
            self.show_trainee(tid)

    def show_trainee(self, who: str) -> None:
        """Show the trainee with this id or staff id."""
        try:
            self.data = portfolio(self.archive, who)
        except Exception as exc:  # noqa: BLE001 - one error channel for the app
            report_error(exc)
            return
        i = self.trainee.findData(self.data["trainee"]["id"])
        if i >= 0 and i != self.trainee.currentIndex():
            self.trainee.blockSignals(True)
            self.trainee.setCurrentIndex(i)
            self.trainee.blockSignals(False)
        person = self.data["trainee"]
        self.who.setText(self.tr("%1 · staff id %2 · %3 · %4 drill(s)")
                         .replace("%1", person["name"]).replace("%2", person["staff_id"] or "—")
                         .replace("%3", person["department"] or "—")
                         .replace("%4", str(len(self.data["drills"]))))
        self._show_drills()
        self._show_scenarios()

    def indicator_columns(self) -> list[tuple[str, str]]:
        """(scenario, indicator) pairs shown as columns, in scenario-file order."""
        seen: dict[tuple[str, str], None] = {}
        for d in self.data["drills"] if self.data else ():
            order = self.words.order(d["scenario_id"])
            ids = sorted((i["id"] for i in d["indicators"]),
                         key=lambda i: order.index(i) if i in order else len(order))
            for i in ids:
                seen[(d["scenario_id"], i)] = None
        return list(seen)

    def _show_drills(self) -> None:
        assert self.data is not None
        cols = self.indicator_columns()
        single = len({s for s, _ in cols}) <= 1
        headers = [self.tr("Date"), self.tr("Scenario"), self.tr("Role"), self.tr("Status"),
                   self.tr("Own score"), self.tr("Team score")]
        headers += [self.words.indicator(s, i) if single else
                    f"{self.words.title(s)}: {self.words.indicator(s, i)}" for s, i in cols]
        t = self.drills_table
        t.clear()
        t.setColumnCount(len(headers))
        t.setHorizontalHeaderLabels(headers)
        header = t.horizontalHeader()
        for c in range(len(headers)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
            t.horizontalHeaderItem(c).setToolTip(headers[c])
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 220)
        header.setStretchLastSection(True)
        drills = self.data["drills"]
        t.setRowCount(len(drills))
        for r, d in enumerate(drills):
            by_id = {i["id"]: i for i in d["indicators"]}
            items = [cell(wall_day(d["started_at"]), data=d["drill_id"]),
                     cell(self.words.title(d["scenario_id"]), data=d["scenario_id"]),
                     cell(self.words.role(d["scenario_id"], d["role"])), cell(_status_words(d["status"]))]
            for scope in ("trainee", "team"):
                pcts = [s["percentage"] for s in d["sheets"] if s["scope"] == scope and s["percentage"] is not None]
                items.append(cell(" / ".join(f"{p:.0f} %" for p in pcts) or "—", data=pcts[0] if pcts else None))
            for s, i in cols:
                res = by_id.get(i) if s == d["scenario_id"] else None
                if res is None or res["met"] is None:
                    items.append(cell("" if res is None else self.tr("n/a")))
                else:
                    text = self.tr("not done") if res["seconds"] is None else span(res["seconds"], self.words.lang)
                    items.append(cell(text, GOOD if res["met"] else BAD, data=res["seconds"]))
            for c, item in enumerate(items):
                t.setItem(r, c, item)

    def _show_scenarios(self) -> None:
        assert self.data is not None
        t = self.scenario_table
        rows = self.data["scenarios"]
        t.setRowCount(len(rows))
        for r, s in enumerate(rows):
            medians = ", ".join(f"{self.words.indicator(s['scenario_id'], i['id'])} "
                                f"{span(i['median_s'], self.words.lang)}"
                                for i in s["indicators"])
            pct = s["mean_percentage"]
            items = [cell(self.words.title(s["scenario_id"]), data=s["scenario_id"]),
                     cell(str(s["drills"]), data=s["drills"]),
                     cell("—" if pct is None else f"{pct:.1f} %", data=pct),
                     cell(medians)]
            for c, item in enumerate(items):
                t.setItem(r, c, item)

    def shown_drill_ids(self) -> list[str]:
        t = self.drills_table
        return [t.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(t.rowCount())]

    def _open_row(self, row: int, _col: int = 0) -> None:
        item = self.drills_table.item(row, 0)
        if item is not None:
            self.open_drill.emit(item.data(Qt.ItemDataRole.UserRole))
