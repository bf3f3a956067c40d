"""One trainee's portfolio across time and places: their drills (every record merged into the
person, every site, imported drills included) with the drill's times to key actions and their
score percentages; each indicator as a small trend with its n; the critical items as a drills ×
items grid; per scenario the medians and mean score; and "Export PDF…" for the trainee's file.

Display only: every number is ``simtool.app.portfolio.trainee_portfolio``'s, and the PDF is
``simtool.app.portfolio.write_portfolio_pdf``'s (on a worker thread).
"""

from __future__ import annotations

import os
import statistics
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter,
                               QTableWidget, QTabWidget, QVBoxLayout, QWidget)

from simtool.app.portfolio import trainee_portfolio, write_portfolio_pdf
from simtool.store import Archive
from simtool.store.outputs import safe_name_part
from simtool.ui.archiveviews.common import cell, heading, make_table, report_error
from simtool.ui.dashboard import ScenarioWords
from simtool.ui.display import BAD, GOOD, INFO, NEUTRAL, WARN, span, wall_day
from simtool.ui.pdfexport import ExportWords, PdfExport

MIN_POINTS = 2          # fewer drills: "too few drills", no trend drawn
HEADER_CHARS = 28       # a critical item's column heading is cut here (the whole label in its tooltip)


def _status_words(status: str) -> str:
    # the archive browser's words for a drill's status (one translation for both screens)
    words = {"running": QCoreApplication.translate("ArchiveBrowser", "running"),
             "paused": QCoreApplication.translate("ArchiveBrowser", "paused"),
             "interrupted": QCoreApplication.translate("ArchiveBrowser", "interrupted"),
             "ended": QCoreApplication.translate("ArchiveBrowser", "ended"),
             "signed": QCoreApplication.translate("ArchiveBrowser", "signed")}
    return words.get(status, status)


class TrendCell(QWidget):
    """One indicator's times over the trainee's drills, oldest left: a dot per drill (green met,
    red missed), a red mark at the top where it was not done, the target as a dashed line; a
    line joins neighbouring timed drills only (never through a single point)."""

    def __init__(self, points: list[tuple[float | None, bool]], target_s: float | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points, self.target_s = points, target_s
        self.setMinimumSize(120, 30)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(max(120, 26 * len(self.points)), 30)

    def series(self) -> list[tuple[float | None, bool]]:
        return list(self.points)

    def lines(self) -> list[list[int]]:
        """The runs of neighbouring timed drills a line is drawn through (two or more each)."""
        runs, run = [], []
        for i, (s, _m) in enumerate([*self.points, (None, False)]):
            if s is not None:
                run.append(i)
                continue
            if len(run) >= 2:
                runs.append(run)
            run = []
        return runs

    def paintEvent(self, _event: Any) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(6, 5, -6, -5)
        r.setWidth(min(r.width(), 60.0 * max(len(self.points), 2)))   # a readable slope, left-aligned
        secs = [s for s, _ in self.points if s is not None]
        top = max([*secs, self.target_s or 0.0, 60.0]) * 1.15
        n = max(len(self.points), 1)
        x = lambda i: r.left() + r.width() * (i + 0.5) / n   # noqa: E731
        y = lambda s: r.bottom() - r.height() * min(s, top) / top   # noqa: E731
        if self.target_s is not None:
            pen = QPen(QColor("#777777"), 1, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(r.left(), y(self.target_s)), QPointF(r.right(), y(self.target_s)))
        p.setPen(QPen(QColor("#2563a8"), 1.4))
        for run in self.lines():
            for a, b in zip(run, run[1:]):
                p.drawLine(QPointF(x(a), y(self.points[a][0])), QPointF(x(b), y(self.points[b][0])))
        for i, (s, met) in enumerate(self.points):
            colour = QColor(GOOD.fg if met else BAD.fg)
            if s is None:   # not done: a cross at the top
                p.setPen(QPen(QColor(BAD.fg), 1.6))
                c = QPointF(x(i), r.top() + 3)
                p.drawLine(c + QPointF(-3, -3), c + QPointF(3, 3))
                p.drawLine(c + QPointF(-3, 3), c + QPointF(3, -3))
                continue
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colour)
            p.drawEllipse(QPointF(x(i), y(s)), 3.2, 3.2)
        p.end()


class TraineePortfolio(QWidget):
    """Pick a trainee (by name or staff id); ``open_drill(drill_id)`` on double-click of a drill;
    ``export_pdf()`` writes their portfolio PDF (``exported(path)`` or ``export_failed(message)``
    follows)."""

    open_drill = Signal(str)
    exported = Signal(str)
    export_failed = Signal(str)

    def __init__(self, archive: Archive, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive = archive
        self.words = ScenarioWords(lang)
        self.data: dict[str, Any] | None = None

        self.trainee = QComboBox()
        self.trainee.setEditable(True)  # type a name or staff id; the completer narrows the list
        self.trainee.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.trainee.lineEdit().setPlaceholderText(self.tr("Trainee name or staff id"))
        self.export_button = QPushButton(self.tr("Export PDF…"))
        self.export_button.setToolTip(self.tr("The trainee's portfolio as a PDF for their file"))
        self.export_button.setEnabled(False)
        self.export_status = QLabel()
        self.export_status.setVisible(False)
        self.who = QLabel()
        self.places = QLabel()
        self.places.setWordWrap(True)
        self.drills_table: QTableWidget = make_table([self.tr("Date")])
        self.trend_table: QTableWidget = make_table([
            self.tr("Scenario"), self.tr("Indicator"), self.tr("Target"), self.tr("n"),
            self.tr("Met"), self.tr("Median"), self.tr("Trend")])
        self.critical_table: QTableWidget = make_table([self.tr("Date")])
        self.scenario_table: QTableWidget = make_table([
            self.tr("Scenario"), self.tr("Drills"), self.tr("Mean score"), self.tr("Indicator medians")])

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Trainee")))
        top.addWidget(self.trainee, 1)
        top.addWidget(self.export_button)
        top.addWidget(self.export_status)
        self.tabs = QTabWidget()
        for table, title, note in (
                (self.trend_table, self.tr("Indicators over time"),
                 self.tr("One point per drill the indicator applied to, oldest first; green: met, "
                         "red: missed, a red cross: not done; the dashed line is the target.")),
                (self.critical_table, self.tr("Critical items"),
                 self.tr("Each critical rubric item per drill as the examiner scored it (* not "
                         "final: no signature yet); — not scored in that drill.")),
                (self.scenario_table, self.tr("By scenario"), None)):
            page = QWidget()
            box = QVBoxLayout(page)
            box.setContentsMargins(4, 4, 4, 4)
            if note:
                label = QLabel(note)
                label.setWordWrap(True)
                box.addWidget(label)
            box.addWidget(table, 1)
            self.tabs.addTab(page, title)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.who)
        layout.addWidget(self.places)
        drills = QWidget()
        box = QVBoxLayout(drills)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(heading(self.tr("Drills")))
        box.addWidget(self.drills_table, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)   # the user may give either more room
        self.splitter.addWidget(drills)
        self.splitter.addWidget(self.tabs)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        layout.addWidget(self.splitter, 1)

        # whichever way the chosen trainee changes (the list, the keys, typed and completed),
        # their drills follow: the box never names someone whose drills are not shown
        self.trainee.currentIndexChanged.connect(lambda _i: self._pick())
        self.drills_table.cellDoubleClicked.connect(self._open_row)
        self.critical_table.cellDoubleClicked.connect(self._open_critical_row)
        self.pdf = PdfExport(self, self.export_button, self.export_status, Path(archive.path), ExportWords(
            self.tr("Export PDF"), self.tr("PDF files (*.pdf)"), self.tr("%1 already exists. Replace it?"),
            self.tr("Writing the PDF…"), self.tr("Saved %1"), self.tr("Export failed: %1")),
            ready=lambda: self.data is not None, exported=self.exported.emit, failed=self.export_failed.emit)
        self.export_button.clicked.connect(lambda: self.export_pdf())
        self.reload()

    def reload(self) -> None:
        """The registry's trainees in the box. The trainee shown stays chosen; with none shown
        the box is empty, its placeholder asking for one — never a name whose drills are not
        below it (an editable box keeps its first item's text when no item is current)."""
        shown = self.data["trainee"]["id"] if self.data else None
        self.trainee.blockSignals(True)
        self.trainee.clear()
        for t in self.archive.trainees():
            text = f"{t.name} ({t.staff_id})" if t.staff_id else t.name
            self.trainee.addItem(text, t.id)
        self.trainee.setCurrentIndex(self.trainee.findData(shown) if shown is not None else -1)
        if self.trainee.currentIndex() < 0:
            self.trainee.clearEditText()
        self.trainee.blockSignals(False)

    def _pick(self) -> None:
        tid = self.trainee.currentData()
        if tid is not None:
            self.show_trainee(tid)

    def show_trainee(self, who: str) -> None:
        """Show the trainee with this id or staff id."""
        try:
            self.data = trainee_portfolio(self.archive, who)
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
        sites = ", ".join(person.get("sites") or ()) or "—"
        records = person.get("records") or []
        text = self.tr("Drills at: %1").replace("%1", sites)
        if len(records) > 1:
            text += " · " + self.tr("records merged: %1").replace("%1", ", ".join(records))
        self.places.setText(text)
        self.pdf.update_button()
        self._show_drills()
        self._show_trends()
        self._show_critical()
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
        headers = [self.tr("Date"), self.tr("Scenario"), self.tr("Role"), self.tr("Site"),
                   self.tr("Status"), self.tr("Own score"), self.tr("Team score")]
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
                     cell(self.words.role(d["scenario_id"], d["role"])), self._site_cell(d),
                     cell(_status_words(d["status"]))]
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

    def _site_cell(self, d: dict[str, Any]) -> Any:
        site = d.get("site") or "—"
        if d.get("imported"):
            site = self.tr("%1 (imported)").replace("%1", site)
        item = cell(site, data=d.get("site"))
        if d.get("department"):
            item.setToolTip(f"{site} · {d['department']}")
        return item

    def _show_trends(self) -> None:
        """One row per indicator of a scenario: target, n, met, median and the trend."""
        assert self.data is not None
        t = self.trend_table
        rows = self.data["trends"]["indicators"]
        t.clearContents()
        t.setRowCount(len(rows))
        for r, tr_ in enumerate(rows):
            sid, iid, n = tr_["scenario_id"], tr_["id"], tr_["n"]
            secs = [p["seconds"] for p in tr_["points"] if p["seconds"] is not None]
            few = n < MIN_POINTS
            met_tone = NEUTRAL if not n else GOOD if tr_["met"] == n else BAD if tr_["met"] == 0 else WARN
            items = [cell(self.words.title(sid), data=sid), cell(self.words.indicator(sid, iid), data=iid),
                     cell(span(tr_["target_s"], self.words.lang), data=tr_["target_s"]),
                     cell(str(n), data=n),
                     cell(self.tr("%1 of %2").replace("%1", str(tr_["met"])).replace("%2", str(n))
                          if n else "—", met_tone if n else None, data=tr_["met"]),
                     cell(span(statistics.median(secs), self.words.lang) if secs and not few else "—",
                          data=statistics.median(secs) if secs and not few else None)]
            for c, item in enumerate(items):
                t.setItem(r, c, item)
            if few:   # one point is no trend: say so, draw nothing
                t.removeCellWidget(r, 6)
                t.setItem(r, 6, cell(self.tr("too few drills (n=%1)").replace("%1", str(n)), data=n))
            else:
                t.setItem(r, 6, cell("", data=n))
                trend = TrendCell([(p["seconds"], bool(p["met"])) for p in tr_["points"]], tr_["target_s"])
                trend.setToolTip("\n".join(
                    f"{wall_day(p['started_at'])}: "
                    f"{self.tr('not done') if p['seconds'] is None else span(p['seconds'], self.words.lang)}"
                    f" · {self.tr('met') if p['met'] else self.tr('missed')}" for p in tr_["points"]))
                t.setCellWidget(r, 6, trend)
        t.verticalHeader().setDefaultSectionSize(max(t.fontMetrics().height() + 10, 32))
        header = t.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 240)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)

    def trend_cells(self) -> dict[tuple[str, str], TrendCell | None]:
        """(scenario, indicator) -> its drawn trend, None where there are too few drills."""
        t = self.trend_table
        out: dict[tuple[str, str], TrendCell | None] = {}
        for r in range(t.rowCount()):
            w = t.cellWidget(r, 6)
            out[(t.item(r, 0).data(Qt.ItemDataRole.UserRole), t.item(r, 1).data(Qt.ItemDataRole.UserRole))] = \
                w if isinstance(w, TrendCell) else None
        return out

    def critical_columns(self) -> list[tuple[str, str, str]]:
        """(rubric, item, scope) of the critical items, in the order the drills first have them."""
        seen: dict[tuple[str, str, str], None] = {}
        for d in self.data["drills"] if self.data else ():
            for c in d["critical"]:
                seen[(c["rubric_id"], c["item_id"], c["scope"])] = None
        return list(seen)

    def _critical_label(self, c: dict[str, Any]) -> str:
        label = c["label"] or {}
        lang = self.words.lang
        text = label.get(lang) or (label.get("zh_CN") if lang == "zh_TW" else None) or label.get("en") \
            or c["item_id"]
        return self.tr("%1 (team)").replace("%1", text) if c["scope"] == "team" else text

    def _show_critical(self) -> None:
        """The critical items as a drills × items grid, and a last row: met of n."""
        assert self.data is not None
        cols = self.critical_columns()
        first = {}
        for d in self.data["drills"]:
            for c in d["critical"]:
                first.setdefault((c["rubric_id"], c["item_id"], c["scope"]), c)
        labels = [self._critical_label(first[k]) for k in cols]
        headers = [self.tr("Date"), self.tr("Scenario")] + [
            x if len(x) <= HEADER_CHARS else x[:HEADER_CHARS - 1].rstrip() + "…" for x in labels]
        t = self.critical_table
        t.clear()
        t.setColumnCount(len(headers))
        t.setHorizontalHeaderLabels(headers)
        header = t.horizontalHeader()
        for c in range(len(headers)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
            t.horizontalHeaderItem(c).setToolTip(labels[c - 2] if c >= 2 else headers[c])
        header.setStretchLastSection(True)
        drills = self.data["drills"]
        if not cols:
            t.setRowCount(0)
            return
        t.setRowCount(len(drills) + 1)
        words = {"met": (self.tr("met"), GOOD), "missed": (self.tr("missed"), BAD),
                 "not applicable": (self.tr("n/a"), NEUTRAL), "pending": (self.tr("pending"), WARN)}
        for r, d in enumerate(drills):
            mine = {(c["rubric_id"], c["item_id"], c["scope"]): c for c in d["critical"]}
            t.setItem(r, 0, cell(wall_day(d["started_at"]), data=d["drill_id"]))
            t.setItem(r, 1, cell(self.words.title(d["scenario_id"]), data=d["scenario_id"]))
            for k, key in enumerate(cols):
                c = mine.get(key)
                if c is None:
                    t.setItem(r, 2 + k, cell("—"))
                    continue
                text, tone = words.get(c["status"], (c["status"], NEUTRAL))
                t.setItem(r, 2 + k, cell(text + ("" if c["signed"] else " *"), tone, data=c["status"]))
        counts = {(c["rubric_id"], c["item_id"], c["scope"]): c for c in self.data["trends"]["critical"]}
        last = len(drills)
        t.setItem(last, 0, cell(""))
        t.setItem(last, 1, cell(self.tr("Met, of the drills it was scored in")))
        for k, key in enumerate(cols):
            c = counts.get(key)
            n = c["n"] if c else 0
            t.setItem(last, 2 + k, cell(self.tr("%1 of %2").replace("%1", str(c["met"] if c else 0))
                                        .replace("%2", str(n)) if n else "—", INFO, data=n))

    def critical_grid(self) -> list[list[str]]:
        """The grid as shown: a row per drill (date, scenario, each item's word), then met of n."""
        t = self.critical_table
        return [[t.item(r, c).text() if t.item(r, c) else "" for c in range(t.columnCount())]
                for r in range(t.rowCount())]

    # --- the PDF -------------------------------------------------------------------------------
    def suggested_name(self) -> str:
        person = (self.data or {}).get("trainee") or {}
        who = safe_name_part(person.get("staff_id") or person.get("id") or "", fallback="trainee")
        return f"portfolio-{who}-{self.words.lang}.pdf"

    def export_pdf(self, path: str | os.PathLike[str] | None = None, *, force: bool = False) -> bool:
        """Write the shown trainee's portfolio PDF to ``path`` (asked for when None), in the
        screen's language, on a worker thread (``ui.pdfexport``). An existing ``path`` is
        replaced only with ``force`` or after the user agreed (the save dialog asks itself).
        False if nothing started."""
        if self.data is None:
            return False
        who, lang = self.data["trainee"]["id"], self.words.lang
        return self.pdf.start(
            lambda archive, out, replace: write_portfolio_pdf(archive, who, out, lang, force=replace),
            self.suggested_name(), path, force=force)

    def shown_drill_ids(self) -> list[str]:
        t = self.drills_table
        return [t.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(t.rowCount())]

    def _open_row(self, row: int, _col: int = 0) -> None:
        item = self.drills_table.item(row, 0)
        if item is not None:
            self.open_drill.emit(item.data(Qt.ItemDataRole.UserRole))

    def _open_critical_row(self, row: int, _col: int = 0) -> None:
        item = self.critical_table.item(row, 0)
        if item is not None and item.data(Qt.ItemDataRole.UserRole):
            self.open_drill.emit(item.data(Qt.ItemDataRole.UserRole))
