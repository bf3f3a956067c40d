"""One trainee's progress against a training programme (issue 20, item 3): pick a trainee and a
programme; a banner says whether they are cleared to work (green, since when), not cleared (how
many requirements are missing) or due for retraining (red, by when); then each stage's procedure
requirements by supervision level (required, done, pending countersignature, missing, a progress
bar), the simulation requirements with the sheets that credit them, the exams with their history
(each sheet named by its scenario's or station's title and the day it ran, each recorded result
as such — never by a record's id), and "Export PDF…" for the trainee's file. Its logbook tab
adds an entry typed in ("Add logbook entry…") and lists the entries pending countersignature —
the trainee's, or one supervisor's queue — where a supervisor countersigns one, after saying
who they are and confirming (a countersigned entry never changes).

Display only: every number is ``simtool.app.progress.progress``'s, the words of the programme are
its file's (``simtool.app.logbook.programme``), and the PDF is
``simtool.app.progress.write_progress_pdf``'s (on a worker thread); an entry is written and
countersigned by ``simtool.app.logbook.add_entry`` and ``sign``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout,
                               QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QMessageBox,
                               QProgressBar, QPushButton, QSplitter, QTableWidget, QTabWidget,
                               QVBoxLayout, QWidget)

from simtool.app.logbook import (LogbookError, add_entry, entries, pending_for_supervisor, programme,
                                 programmes, sign, trainee_records)
from simtool.app.people import known_examiners
from simtool.app.progress import progress, write_progress_pdf
from simtool.core.errors import SimtoolError
from simtool.store import Archive
from simtool.store.outputs import safe_name_part
from simtool.ui.archiveviews.common import cell, make_table, report_error
from simtool.ui.dashboard import ScenarioWords
from simtool.ui.display import BAD, GOOD, INFO, NEUTRAL, WARN, badge_style, wall_day
from simtool.ui.pdfexport import ExportWords, PdfExport

LEVELS = ("independent", "supervised", "assisted")

def _text(label: Any, lang: str) -> str:
    """A programme ``Text`` or its dict (as ``progress`` hands it) in ``lang``."""
    if label is None:
        return ""
    if hasattr(label, "get") and not isinstance(label, dict):
        return str(label.get(lang))
    return str(label.get(lang) or label.get("zh_CN" if lang == "zh_TW" else "en") or label.get("en") or "")


class LogbookEntryDialog(QDialog):
    """A logbook entry typed in: date, a procedure of the programme, supervision level,
    supervisor (a person of the registry, by staff id), site, an anonymous case reference and
    complications. ``submit()`` writes it through ``app.logbook.add_entry``; a refused field is
    named under the form and the dialog stays open."""

    def __init__(self, archive: Archive, trainee_id: str, pg: Any, lang: str, today: str,
                 site: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive, self.trainee_id, self.entry = archive, trainee_id, None
        self.setWindowTitle(self.tr("Add logbook entry"))
        self.date = QDateEdit(QDate.fromString(today, "yyyy-MM-dd"))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setMaximumDate(QDate.fromString(today, "yyyy-MM-dd"))
        self.procedure = QComboBox()
        for p in pg.procedures:
            self.procedure.addItem(p.label.get(lang), p.id)
            self.procedure.setItemData(self.procedure.count() - 1, p.label.get(lang), Qt.ItemDataRole.ToolTipRole)
        self.procedure.setMinimumContentsLength(40)
        self.procedure.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.level = QComboBox()
        for level in LEVELS:
            self.level.addItem(level_words(level), level)
        self.supervisor = QComboBox()
        self.supervisor.setEditable(True)     # a staff id the list does not have may be typed
        self.supervisor.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.supervisor.lineEdit().setPlaceholderText(self.tr("Staff id of the supervisor"))
        for k in known_examiners(archive):
            if k.staff_id:
                self.supervisor.addItem(f"{k.name} ({k.staff_id})", k.staff_id)
        self.supervisor.setCurrentIndex(-1)
        self.site = QLineEdit(site or "")
        self.case_ref = QLineEdit()
        self.case_ref.setPlaceholderText(self.tr("Anonymous, e.g. C-0142: no name, no record number"))
        self.complications = QLineEdit()
        self.complications.setPlaceholderText(self.tr("None, or what happened"))
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(badge_style(BAD))
        self.problem.setVisible(False)
        form = QFormLayout()
        form.addRow(self.tr("Date"), self.date)
        form.addRow(self.tr("Procedure"), self.procedure)
        form.addRow(self.tr("Level"), self.level)
        form.addRow(self.tr("Supervisor"), self.supervisor)
        form.addRow(self.tr("Site"), self.site)
        form.addRow(self.tr("Case reference"), self.case_ref)
        form.addRow(self.tr("Complications"), self.complications)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(QLabel(self.tr("The entry counts once the supervisor countersigns it.")))
        box.addWidget(self.problem)
        box.addWidget(buttons)

    def supervisor_staff_id(self) -> str:
        i = self.supervisor.currentIndex()
        typed = self.supervisor.currentText().strip()
        if i >= 0 and self.supervisor.itemText(i) == typed:
            return str(self.supervisor.itemData(i))
        return typed

    def submit(self) -> bool:
        try:
            self.entry = add_entry(self.archive, self.trainee_id, self.date.date().toString("yyyy-MM-dd"),
                                   self.procedure.currentData() or "", self.level.currentData(),
                                   self.supervisor_staff_id(), self.site.text(), self.case_ref.text(),
                                   self.complications.text())
        except LogbookError as exc:
            self.problem.setText(str(exc))
            self.problem.setVisible(True)
            return False
        self.accept()
        return True


def level_words(level: str) -> str:
    """A supervision level in the screen's words (独立完成, 上级医师指导下, 参与完成): one
    translation for the view and the entry form."""
    words = {"independent": QCoreApplication.translate("TraineeProgress", "independent"),
             "supervised": QCoreApplication.translate("TraineeProgress", "supervised"),
             "assisted": QCoreApplication.translate("TraineeProgress", "assisted")}
    return words.get(level, level)


class TraineeProgress(QWidget):
    """Pick a trainee (by name or staff id) and a programme; ``show_progress(who, programme_id)``
    shows them. ``export_pdf()`` writes the progress report (``exported(path)`` or
    ``export_failed(message)`` follows)."""

    exported = Signal(str)
    export_failed = Signal(str)

    def __init__(self, archive: Archive, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive = archive
        self.lang = lang
        self.data: dict[str, Any] | None = None
        self.words = ScenarioWords(lang)   # the titles of the scenarios and stations sheets mark

        self.trainee = QComboBox()
        self.trainee.setEditable(True)   # type a name or staff id; the completer narrows the list
        self.trainee.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.trainee.lineEdit().setPlaceholderText(self.tr("Trainee name or staff id"))
        self.programme = QComboBox()
        self.programme.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.programme.setMinimumContentsLength(24)
        self.export_button = QPushButton(self.tr("Export PDF…"))
        self.export_button.setToolTip(self.tr("The trainee's progress against the programme as a PDF "
                                              "for their file"))
        self.export_button.setEnabled(False)
        self.export_status = QLabel()
        self.export_status.setVisible(False)
        self.banner = QLabel(self.tr("Choose a trainee and a programme."))
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(badge_style(NEUTRAL))
        self.retrain_banner = QLabel()
        self.retrain_banner.setWordWrap(True)
        self.retrain_banner.setVisible(False)
        for b in (self.banner, self.retrain_banner):
            font = b.font()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.25)
            b.setFont(font)
        self.missing_label = QLabel()
        self.missing_label.setWordWrap(True)
        self.who = QLabel()
        self.who.setWordWrap(True)

        self.procedure_table: QTableWidget = make_table([
            self.tr("Procedure"), self.tr("Level"), self.tr("Required"), self.tr("Done"),
            self.tr("Pending"), self.tr("Missing"), self.tr("Progress")])
        self.simulation_table: QTableWidget = make_table([
            self.tr("Requirement"), self.tr("Stage"), self.tr("Required"), self.tr("Done"),
            self.tr("Missing"), self.tr("Credited by")])
        self.exam_table: QTableWidget = make_table([
            self.tr("Exam"), self.tr("Kind"), self.tr("Latest result"), self.tr("Retraining due"),
            self.tr("History")])
        self.add_button = QPushButton(self.tr("Add logbook entry…"))
        self.add_button.setToolTip(self.tr("A procedure the trainee did: it counts once the "
                                           "supervisor countersigns it"))
        self.add_button.setEnabled(False)
        self.queue = QComboBox()
        self.queue.setToolTip(self.tr("The shown trainee's entries, or everything one supervisor "
                                      "has to countersign"))
        self.pending_table: QTableWidget = make_table([
            self.tr("Entry"), self.tr("Trainee"), self.tr("Date"), self.tr("Procedure"), self.tr("Level"),
            self.tr("Supervisor"), self.tr("Site"), self.tr("Case reference"), self.tr("Complications")])
        self.sign_button = QPushButton(self.tr("Countersign…"))
        self.sign_button.setToolTip(self.tr("Countersign the selected entry; a countersigned entry "
                                            "can never be changed"))
        self.sign_button.setEnabled(False)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Trainee")))
        top.addWidget(self.trainee, 2)
        top.addWidget(QLabel(self.tr("Programme")))
        top.addWidget(self.programme, 2)
        top.addWidget(self.export_button)
        top.addWidget(self.export_status)

        self.tabs = QTabWidget()
        for table, title, note in (
                (self.procedure_table, self.tr("Procedures by stage"),
                 self.tr("Countersigned logbook entries at each supervision level. Pending: logged, "
                         "not yet countersigned; they count once a supervisor signs them.")),
                (self.simulation_table, self.tr("Simulation"),
                 self.tr("Signed score sheets with a pass verdict: the trainee's own, or the team sheet "
                         "of a drill they took part in.")),
                (self.exam_table, self.tr("Exams"),
                 self.tr("Recorded results and signed OSCE sheets, oldest first; the latest decides. "
                         "A failed exam sets a retraining date."))):
            page = QWidget()
            box = QVBoxLayout(page)
            box.setContentsMargins(4, 4, 4, 4)
            label = QLabel(note)
            label.setWordWrap(True)
            box.addWidget(label)
            box.addWidget(table, 1)
            self.tabs.addTab(page, title)
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        row.addWidget(QLabel(self.tr("Pending countersignature:")))
        row.addWidget(self.queue)
        row.addWidget(self.sign_button)
        box.addLayout(row)
        box.addWidget(self.pending_table, 1)
        self.tabs.addTab(page, self.tr("Logbook"))

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.retrain_banner)
        layout.addWidget(self.missing_label)
        layout.addWidget(self.who)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.tabs)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)

        self.trainee.activated.connect(lambda _i: self._pick())
        self.programme.activated.connect(lambda _i: self._pick())
        self.pdf = PdfExport(self, self.export_button, self.export_status, Path(archive.path), ExportWords(
            self.tr("Export PDF"), self.tr("PDF files (*.pdf)"), self.tr("%1 already exists. Replace it?"),
            self.tr("Writing the PDF…"), self.tr("Saved %1"), self.tr("Export failed: %1")),
            ready=lambda: self.data is not None, exported=self.exported.emit, failed=self.export_failed.emit)
        self.export_button.clicked.connect(lambda: self.export_pdf())
        self.add_button.clicked.connect(lambda: self.add_entry())
        self.sign_button.clicked.connect(lambda: self.countersign())
        self.queue.activated.connect(lambda _i: self._show_pending())
        self.pending_table.itemSelectionChanged.connect(
            lambda: self.sign_button.setEnabled(bool(self.pending_table.selectedItems())))
        self.reload()

    # --- choosing ------------------------------------------------------------------------------
    def reload(self) -> None:
        for combo in (self.trainee, self.programme):
            combo.blockSignals(True)
        keep_programme = self.programme.currentData()
        self.trainee.clear()
        for t in self.archive.trainees():
            self.trainee.addItem(f"{t.name} ({t.staff_id})" if t.staff_id else t.name, t.id)
        self.trainee.setCurrentIndex(-1)
        self.programme.clear()
        try:
            found = programmes()
        except SimtoolError as exc:
            found = {}
            report_error(exc)
        for pid, loaded in sorted(found.items()):
            pg = loaded.programme
            self.programme.addItem(pg.title.get(self.lang), pid)
            self.programme.setItemData(self.programme.count() - 1,
                                       f"{pid} · {pg.title.get(self.lang)}", Qt.ItemDataRole.ToolTipRole)
        self.programme.setCurrentIndex(max(0, self.programme.findData(keep_programme)))
        keep_queue = self.queue.currentData()
        self.queue.clear()
        self.queue.addItem(self.tr("this trainee"), None)
        for k in known_examiners(self.archive):
            if k.staff_id:
                self.queue.addItem(self.tr("awaiting %1").replace("%1", f"{k.name} ({k.staff_id})"), k.staff_id)
        self.queue.setCurrentIndex(max(0, self.queue.findData(keep_queue)))
        for combo in (self.trainee, self.programme):
            combo.blockSignals(False)

    def _pick(self) -> None:
        tid, pid = self.trainee.currentData(), self.programme.currentData()
        if tid is not None and pid is not None:
            self.show_progress(tid, pid)

    def show_progress(self, who: str, programme_id: str | None = None) -> bool:
        """Show the trainee with this id or staff id against ``programme_id`` (default: the
        programme chosen). False (and the error reported) if there is nothing to show."""
        pid = programme_id or self.programme.currentData()
        if pid is None:
            return False
        try:
            data = progress(self.archive, who, pid)
            pg = programme(pid).programme
        except Exception as exc:  # noqa: BLE001 - one error channel for the app
            report_error(exc)
            return False
        self.data, self.pg = data, pg
        for combo, value in ((self.trainee, data["trainee"]["id"]), (self.programme, pid)):
            i = combo.findData(value)
            if i >= 0 and i != combo.currentIndex():
                combo.blockSignals(True)
                combo.setCurrentIndex(i)
                combo.blockSignals(False)
        t = data["trainee"]
        self.who.setText(self.tr("%1 · staff id %2 · %3, version %4")
                         .replace("%1", t["name"]).replace("%2", t["staff_id"] or "—")
                         .replace("%3", pg.title.get(self.lang)).replace("%4", str(data["version"])))
        self._show_status()
        self._show_procedures()
        self._show_simulation()
        self._show_exams()
        # a programme without procedure counts (PPH staff) or without exams: their tab is greyed
        # out, and the first tab with something in it is shown
        for i, n in enumerate((len(data["requirements"]), len(data["simulation"]), len(data["exams"]))):
            self.tabs.setTabEnabled(i, n > 0)
        if not self.tabs.isTabEnabled(self.tabs.currentIndex()):
            self.tabs.setCurrentIndex(next((i for i in range(self.tabs.count()) if self.tabs.isTabEnabled(i)), 0))
        self._show_pending()
        self.add_button.setEnabled(True)
        self.pdf.update_button()
        return True

    # --- the banner ------------------------------------------------------------------------------
    def missing_items(self) -> list[str]:
        """What stands between the trainee and clearance, one line per kind, as shown."""
        assert self.data is not None
        clears = {e.id: e.clearance for e in self.pg.exams}
        reqs = [r for r in self.data["requirements"] if r["missing"] > 0]
        lines = []
        if reqs:
            lines.append(self.tr("Procedures: %1 of %2 requirements not met (%3 cases missing)")
                         .replace("%1", str(len(reqs))).replace("%2", str(len(self.data["requirements"])))
                         .replace("%3", str(sum(r["missing"] for r in reqs))))
        for s in self.data["simulation"]:
            if s["missing"] > 0:
                lines.append(self.tr("Simulation: %1 (%2 missing)")
                             .replace("%1", _text(s["label"], self.lang)).replace("%2", str(s["missing"])))
        for e in self.data["exams"]:
            if clears.get(e["id"]) and e["result"] != "pass":
                lines.append(self.tr("Exam: %1 (%2)").replace("%1", _text(e["label"], self.lang))
                             .replace("%2", self._result_text(e["result"], e["date"])))
        return lines

    def missing_count(self) -> int:
        assert self.data is not None
        clears = {e.id: e.clearance for e in self.pg.exams}
        return (sum(1 for r in self.data["requirements"] if r["missing"] > 0)
                + sum(1 for s in self.data["simulation"] if s["missing"] > 0)
                + sum(1 for e in self.data["exams"] if clears.get(e["id"]) and e["result"] != "pass"))

    def _show_status(self) -> None:
        assert self.data is not None
        d = self.data
        if d["cleared"]:
            self.banner.setText(self.tr("Cleared to work since %1").replace("%1", d["cleared_on"]))
            tone = GOOD
        else:
            n = self.missing_count()
            self.banner.setText(self.tr("Not cleared: %n requirement(s) missing", "", n) if n
                                else self.tr("Not cleared to work"))
            tone = BAD if d["retrain_due"] else WARN
        self.banner.setStyleSheet(badge_style(tone))
        self.banner.setToolTip(self.banner.text())
        if d["retrain_due"]:
            self.retrain_banner.setText(self.tr("Retraining due by %1").replace("%1", d["retrain_due"]))
            self.retrain_banner.setStyleSheet(badge_style(BAD))
        self.retrain_banner.setVisible(bool(d["retrain_due"]))
        lines = [] if d["cleared"] else self.missing_items()
        self.missing_label.setText("\n".join(lines))
        self.missing_label.setVisible(bool(lines))

    def banner_text(self) -> str:
        """The banner as the user reads it: the status, then retraining when due."""
        parts = [self.banner.text()]
        if self.retrain_banner.isVisibleTo(self):
            parts.append(self.retrain_banner.text())
        return " · ".join(parts)

    # --- the tables ------------------------------------------------------------------------------
    def _level(self, level: str) -> str:
        return level_words(level)

    def _word(self, result: str | None) -> str:
        return {"pass": self.tr("pass"), "fail": self.tr("fail")}.get(result or "", result or "—")

    def _result_text(self, result: str | None, date: str | None) -> str:
        if result is None:
            return self.tr("no result yet")
        return self.tr("%1 on %2").replace("%1", self._word(result)).replace("%2", date or "—")

    def _source(self, text: str, results: dict[str, Any]) -> str:
        """``progress``'s "exam result 3" / "score sheet <id>" as a trainee reads it: a result
        recorded (and by which examiner; ``results``: ``_exam_results``), or the scenario or
        station the signed sheet marked and the day it ran."""
        if text.startswith("score sheet "):
            return self._sheet_words(text[len("score sheet "):])
        if text.startswith("exam result "):
            found = results.get(text[len("exam result "):])
            if found is not None and found.examiner:
                return self.tr("result recorded, examiner %1").replace("%1", found.examiner)
            return self.tr("result recorded")
        return text

    def _sheet_words(self, sheet_id: str) -> str:
        """A signed sheet as the trainee knows it: its scenario's or station's title and the
        day it ran ("Skills station — uterine massage … on 2026-03-02")."""
        try:
            info = self.archive.drill(self.archive.sheet(sheet_id).drill_id)
        except SimtoolError:
            return self.tr("a signed score sheet")
        return self.tr("%1 on %2").replace("%1", self.words.title(info.scenario_id)) \
            .replace("%2", wall_day(info.started_at))

    def _exam_results(self) -> dict[str, Any]:
        """The shown trainee's recorded exam results of the programme, by id (as text)."""
        assert self.data is not None
        try:
            _person, records = trainee_records(self.archive, self.data["trainee"]["id"])
            found = self.archive.exam_results(records, self.data["programme"])
        except SimtoolError:
            return {}
        return {str(r.id): r for r in found}

    def _show_procedures(self) -> None:
        assert self.data is not None
        t = self.procedure_table
        t.clearContents()
        stages = [(s, [r for r in self.data["requirements"] if r["stage"] == s.id]) for s in self.pg.stages]
        stages = [(s, rows) for s, rows in stages if rows]
        t.clearSpans()
        t.setRowCount(sum(1 + len(rows) for _s, rows in stages))
        r = 0
        for stage, rows in stages:
            met = sum(1 for x in rows if x["missing"] == 0)
            title = self.tr("%1 — %2 of %3 met").replace("%1", stage.label.get(self.lang)) \
                .replace("%2", str(met)).replace("%3", str(len(rows)))
            head = cell(title, INFO, data=stage.id)
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            t.setItem(r, 0, head)
            t.setSpan(r, 0, 1, t.columnCount())
            r += 1
            for x in rows:
                missing = x["missing"]
                items = [cell(_text(x["label"], self.lang) or x["procedure"], data=x["id"]),
                         cell(self._level(x["level"]), data=x["level"]),
                         cell(str(x["required"]), data=x["required"]),
                         cell(str(x["done"]), GOOD if missing == 0 else None, data=x["done"]),
                         cell(str(x["pending"]) if x["pending"] else "", WARN if x["pending"] else None,
                              data=x["pending"]),
                         cell(str(missing), GOOD if missing == 0 else BAD, data=missing)]
                items[0].setToolTip(f"{items[0].text()}\n{x['source']}")
                for c, item in enumerate(items):
                    t.setItem(r, c, item)
                bar = QProgressBar()
                bar.setRange(0, max(1, x["required"]))
                bar.setValue(x["done"])
                bar.setFormat("%v / %m")
                bar.setTextVisible(True)
                bar.setMaximumHeight(t.verticalHeader().defaultSectionSize() - 4)
                colour = GOOD.fg if missing == 0 else "#2563a8"
                bar.setStyleSheet(f"QProgressBar {{ text-align: center; }} "
                                  f"QProgressBar::chunk {{ background: {colour}; }}")
                t.setCellWidget(r, 6, bar)
                r += 1
        header = t.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, max(260, min(460, t.viewport().width() // 2)))
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)

    def requirement_rows(self) -> list[dict[str, str]]:
        """The procedure table as shown: one dict per requirement row (the stage rows left out),
        by column heading."""
        t = self.procedure_table
        heads = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount() - 1)]
        out = []
        for r in range(t.rowCount()):
            if t.columnSpan(r, 0) > 1:
                continue
            out.append({h: (t.item(r, c).text() if t.item(r, c) else "") for c, h in enumerate(heads)}
                       | {"id": t.item(r, 0).data(Qt.ItemDataRole.UserRole)})
        return out

    def _show_simulation(self) -> None:
        assert self.data is not None
        t = self.simulation_table
        rows = self.data["simulation"]
        stages = {s.id: s.label.get(self.lang) for s in self.pg.stages}
        t.clearContents()
        t.setRowCount(len(rows))
        for r, s in enumerate(rows):
            sheets = "; ".join(self._sheet_words(x) for x in s["sheets"])
            items = [cell(_text(s["label"], self.lang) or s["id"], data=s["id"]),
                     cell(stages.get(s["stage"] or "", "—")),
                     cell(str(s["required"]), data=s["required"]),
                     cell(str(s["done"]), data=s["done"]),
                     cell(str(s["missing"]), GOOD if s["missing"] == 0 else BAD, data=s["missing"]),
                     cell(sheets or "—", data=", ".join(s["sheets"]))]
            for c, item in enumerate(items):
                t.setItem(r, c, item)

    def _show_exams(self) -> None:
        assert self.data is not None
        t = self.exam_table
        rows = self.data["exams"]
        results = self._exam_results()
        t.clearContents()
        t.setRowCount(len(rows))
        for r, e in enumerate(rows):
            history = "; ".join(f"{h['date']} {self._word(h['result'])} ({self._source(h['from'], results)})"
                                for h in e["history"])
            tone = {"pass": GOOD, "fail": BAD}.get(e["result"] or "", NEUTRAL)
            kind = {"practical": self.tr("practical"), "written": self.tr("written")}.get(e["kind"], e["kind"])
            items = [cell(_text(e["label"], self.lang) or e["id"], data=e["id"]), cell(kind),
                     cell(self._result_text(e["result"], e["date"]), tone, data=e["result"]),
                     cell(e["retrain_due"] or "—", BAD if e["retrain_due"] else None, data=e["retrain_due"]),
                     cell(history or "—")]
            for c, item in enumerate(items):
                t.setItem(r, c, item)

    # --- the logbook -------------------------------------------------------------------------------
    def pending_entries(self) -> list[dict[str, Any]]:
        """The entries the pending list shows: the trainee's not yet countersigned, or the
        chosen supervisor's queue."""
        staff = self.queue.currentData()
        if staff:
            return pending_for_supervisor(self.archive, staff)
        if self.data is None:
            return []
        t = self.data["trainee"]
        return [{**e, "trainee_name": t["name"], "trainee_staff_id": t["staff_id"]}
                for e in entries(self.archive, t["id"]) if e["status"] == "pending"]

    def _show_pending(self) -> None:
        try:
            rows = self.pending_entries()
        except SimtoolError as exc:
            report_error(exc)
            rows = []
        labels = {p.id: p.label.get(self.lang) for lp in programmes().values() for p in lp.programme.procedures}
        t = self.pending_table
        t.clearContents()
        t.setRowCount(len(rows))
        for r, e in enumerate(rows):
            who = e.get("trainee_name") or ""
            if e.get("trainee_staff_id"):
                who += f" ({e['trainee_staff_id']})"
            items = [cell(str(e["id"]), data=e["id"]), cell(who), cell(e["date"]),
                     cell(labels.get(e["procedure"], e["procedure"]), data=e["procedure"]),
                     cell(self._level(e["level"]), data=e["level"]), cell(e["supervisor"], data=e["supervisor"]),
                     cell(e["site"] or "—"), cell(e["case_ref"]), cell(e["complications"] or "—")]
            for c, item in enumerate(items):
                t.setItem(r, c, item)
        t.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        t.horizontalHeader().resizeSection(3, 300)
        self.sign_button.setEnabled(bool(t.selectedItems()))

    def add_entry(self) -> QDialog | None:
        """The "Add logbook entry" form for the shown trainee (open, not modal: the caller or
        the user fills it in); the view refreshes when it is saved."""
        if self.data is None:
            return None
        tid = self.data["trainee"]["id"]
        dialog = LogbookEntryDialog(self.archive, tid, self.pg, self.lang, self.archive.now()[:10],
                                    self.archive.trainee(tid).site, self)
        dialog.accepted.connect(self.refresh)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()
        return dialog

    def refresh(self) -> None:
        if self.data is not None:
            self.show_progress(self.data["trainee"]["id"], self.data["programme"])
        else:
            self._show_pending()

    def _ask_supervisor(self, entry: dict[str, Any]) -> str | None:
        """Who is countersigning: a person of the registry, the one the entry names first."""
        people = [(f"{k.name} ({k.staff_id})", k.staff_id) for k in known_examiners(self.archive) if k.staff_id]
        named = next((i for i, (_t, sid) in enumerate(people) if sid == entry["supervisor"]), 0)
        text, ok = QInputDialog.getItem(
            self, self.tr("Countersign"),
            self.tr("Who is countersigning entry %1? Only the supervisor it names (%2) may.")
            .replace("%1", str(entry["id"])).replace("%2", entry["supervisor"]),
            [t for t, _sid in people] or [entry["supervisor"]], named, False)
        if not ok:
            return None
        return dict(people).get(text, text)

    def countersign(self, entry_id: int | None = None) -> bool:
        """Countersign the selected (or given) pending entry: ask which supervisor (unless the
        list is that supervisor's queue), confirm — a countersigned entry never changes — and
        sign it. False if nothing was signed."""
        rows = {e["id"]: e for e in self.pending_entries()}
        if entry_id is None:
            sel = self.pending_table.selectedItems()
            if not sel:
                return False
            entry_id = self.pending_table.item(sel[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        entry = rows.get(entry_id)
        if entry is None:
            return False
        supervisor = self.queue.currentData() or self._ask_supervisor(entry)
        if not supervisor:
            return False
        labels = {p.id: p.label.get(self.lang) for p in self.pg.procedures}
        answer = QMessageBox.question(
            self, self.tr("Countersign"),
            self.tr("Countersign entry %1 (%2, %3, case %4) as %5?\n\nA countersigned entry can "
                    "never be changed or withdrawn.")
            .replace("%1", str(entry_id)).replace("%2", labels.get(entry["procedure"], entry["procedure"]))
            .replace("%3", entry["date"]).replace("%4", entry["case_ref"]).replace("%5", supervisor),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            sign(self.archive, entry_id, supervisor)
        except LogbookError as exc:
            QMessageBox.warning(self, self.tr("Countersign"), str(exc))
            return False
        self.refresh()
        return True

    # --- the PDF -------------------------------------------------------------------------------
    def suggested_name(self) -> str:
        person = (self.data or {}).get("trainee") or {}
        who = safe_name_part(person.get("staff_id") or person.get("id") or "", fallback="trainee")
        pid = safe_name_part((self.data or {}).get("programme") or "", fallback="programme")
        return f"progress-{who}-{pid}-{self.lang}.pdf"

    def export_pdf(self, path: str | os.PathLike[str] | None = None, *, force: bool = False) -> bool:
        """Write the shown progress report to ``path`` (asked for when None), in the screen's
        language, on a worker thread (``ui.pdfexport``). An existing ``path`` is replaced only
        with ``force`` or after the user agreed. False if nothing started."""
        if self.data is None:
            return False
        who, pid, lang = self.data["trainee"]["id"], self.data["programme"], self.lang
        return self.pdf.start(
            lambda archive, out, replace: write_progress_pdf(archive, who, pid, out, lang, force=replace),
            self.suggested_name(), path, force=force)

    def take_over(self, old: TraineeProgress) -> None:
        """Show what ``old`` (the same view in another language) showed."""
        if old.data is not None:
            self.show_progress(old.data["trainee"]["id"], old.data["programme"])


__all__ = ["TraineeProgress"]
