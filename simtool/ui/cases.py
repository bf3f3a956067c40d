"""The window's "Real case…" page (issue 21 item 6): a real PPH, LAST or PAS case's timeline
entered after the event — typed as timed actions or imported from a file in a drill script's
shape (YAML or CSV) — judged by the scenario's indicators and kept as a real case, never as a
drill (``simtool.app.cases``). Below the form, the real cases kept so far.

Widgets only: what a case may hold and how it is judged is the application layer's; a refused
case shows its problems (FILE:LINE: field: message, or the field at fault) and nothing is kept.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QFileDialog,
                               QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QSplitter, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

TIME, ACTION, DOSE, UNIT, ROUTE, BY = range(6)
ERROR_COLOUR = "#c62828"


def _text(t: Any, lang: str) -> str:
    d = t.model_dump() if hasattr(t, "model_dump") else dict(t)
    return d.get(lang) or d["en"]


def _scenarios() -> list[Any]:
    """The bundled scenarios with indicators (loaded once the page opens)."""
    from simtool.core.errors import SimtoolError
    from simtool.core.paths import scenarios_dir
    from simtool.core.scenario import load_scenario
    out = []
    for path in sorted(scenarios_dir().glob("*.yaml")):
        if path.name == "actions.yaml":
            continue
        try:
            loaded = load_scenario(path)
        except SimtoolError:
            continue
        if loaded.scenario.indicators:
            out.append(loaded)
    return out


class RealCaseView(QWidget):
    """Scenario, date, site, department and an anonymous case reference; the timeline typed
    row by row ("Add action") or imported from a file ("Import file…"); "Keep case" judges
    and keeps it. ``kept`` is the last case kept (``simtool.app.cases.CaseKept``)."""

    def __init__(self, archive: Any, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive, self.lang = archive, lang
        self.kept: Any = None
        self.loaded = _scenarios()

        heading = QLabel(self.tr("Real case"))
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        intro = QLabel(self.tr("A real case's timeline, entered after the event: judged by the "
                               "scenario's indicators (listed below, case by case), never "
                               "counted as a drill. No names: who acted is a role, and the case "
                               "reference must be anonymous."))
        intro.setWordWrap(True)

        self.scenario = QComboBox()
        for loaded in self.loaded:
            self.scenario.addItem(_text(loaded.scenario.title, lang), loaded.scenario.id)
        pph = self.scenario.findData("pph_uterine_atony")   # the case a department enters most
        if pph >= 0:
            self.scenario.setCurrentIndex(pph)
        self.scenario.currentIndexChanged.connect(self._on_scenario)
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setDate(QDate.currentDate())
        self.date.setMaximumDate(QDate.currentDate())
        self.site = QLineEdit()
        self.department = QLineEdit()
        self.case_ref = QLineEdit()
        self.case_ref.setPlaceholderText(self.tr("e.g. PPH-2025-014 (made up if left empty)"))
        form = QFormLayout()
        form.addRow(self.tr("Scenario"), self.scenario)
        form.addRow(self.tr("Date"), self.date)
        form.addRow(self.tr("Site"), self.site)
        form.addRow(self.tr("Department"), self.department)
        form.addRow(self.tr("Case reference"), self.case_ref)

        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("Time (m:ss)"), self.tr("Action"),
                                              self.tr("Dose"), self.tr("Unit"), self.tr("Route"),
                                              self.tr("By (role)")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ACTION, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.add_button = QPushButton(self.tr("Add action"))
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button = QPushButton(self.tr("Remove action"))
        self.remove_button.clicked.connect(self.remove_row)
        self.import_button = QPushButton(self.tr("Import file…"))
        self.import_button.setToolTip(self.tr("A timeline in a drill script's shape: YAML, or CSV "
                                              "with the columns t, action, dose, unit, route, by"))
        self.import_button.clicked.connect(self._on_import)
        self.keep_button = QPushButton(self.tr("Keep case"))
        self.keep_button.setDefault(True)
        self.keep_button.clicked.connect(self.keep)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.import_button, self.keep_button):
            buttons.addWidget(b)

        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(f"color: {ERROR_COLOUR}")
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.PlainText)

        self.cases = QTableWidget(0, 6)
        self.cases.setHorizontalHeaderLabels([self.tr("Date"), self.tr("Case reference"),
                                              self.tr("Scenario"), self.tr("Site"),
                                              self.tr("Department"), self.tr("Indicators met")])
        self.cases.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.cases.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cases.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cases.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.cases.verticalHeader().setVisible(False)
        self.cases.itemSelectionChanged.connect(self._on_case_selected)
        self.withdraw_button = QPushButton(self.tr("Withdraw case…"))
        self.withdraw_button.setToolTip(self.tr("A case entered by mistake: kept in the record, "
                                                "counted nowhere; enter it again correctly"))
        self.withdraw_button.setEnabled(False)
        self.withdraw_button.clicked.connect(lambda: self.withdraw_selected())

        top = QWidget()
        upper = QVBoxLayout(top)
        upper.setContentsMargins(0, 0, 0, 0)
        upper.addWidget(heading)
        upper.addWidget(intro)
        upper.addLayout(form)
        upper.addWidget(QLabel(self.tr("Timeline (times from the start of the case)")))
        upper.addWidget(self.table, 1)
        upper.addLayout(buttons)
        upper.addWidget(self.problems)
        upper.addWidget(self.result)
        bottom = QWidget()
        lower = QVBoxLayout(bottom)
        lower.setContentsMargins(0, 0, 0, 0)
        kept_row = QHBoxLayout()
        # where a kept case's indicators are seen in the window: here, case by case (the
        # Quality and PDCA pages count drills only)
        kept_label = QLabel(self.tr("Real cases kept, each with its indicators met (hover over a row "
                                    "for each indicator). The Quality and PDCA pages count drills "
                                    "only, not real cases."))
        kept_label.setWordWrap(True)
        kept_row.addWidget(kept_label, 1)
        kept_row.addWidget(self.withdraw_button)
        lower.addLayout(kept_row)
        lower.addWidget(self.cases)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self.add_row()
        self.refresh()

    def take_over(self, old: "RealCaseView") -> None:
        """What ``old`` (the page before a language switch) held: the scenario, the fields,
        the typed rows and the last message."""
        self.scenario.setCurrentIndex(max(0, self.scenario.findData(old.scenario.currentData())))
        self.date.setDate(old.date.date())
        for mine, theirs in ((self.site, old.site), (self.department, old.department),
                             (self.case_ref, old.case_ref)):
            mine.setText(theirs.text())
        self.table.setRowCount(0)
        for values in old.rows() or [{}]:
            self.add_row(values)
        self.kept = old.kept
        self.problems.setText(old.problems.text())
        self.result.setText(old.result.text())

    # --- the form -----------------------------------------------------------------------------
    def current(self) -> Any:
        i = self.scenario.currentIndex()
        return self.loaded[i] if 0 <= i < len(self.loaded) else None

    def _combo(self, items: list[tuple[str, str]], editable: bool = False) -> QComboBox:
        box = QComboBox()
        box.setEditable(editable)
        box.addItem("", "")
        for label, value in items:
            box.addItem(label, value)
        return box

    def add_row(self, values: dict[str, str] | None = None) -> int:
        """A row of the timeline, optionally filled (``t``, ``action``, ``dose``, ``unit``,
        ``route``, ``by``); its index."""
        values = values or {}
        row = self.table.rowCount()
        self.table.insertRow(row)
        loaded = self.current()
        actions = sorted(a.id for a in loaded.catalogue.actions) if loaded is not None else []
        roles = list(loaded.scenario.role_ids) if loaded is not None else []
        action = self._combo([(a, a) for a in actions], editable=True)
        by = self._combo([(r, r) for r in roles])
        for col, key in ((TIME, "t"), (DOSE, "dose"), (UNIT, "unit"), (ROUTE, "route")):
            self.table.setItem(row, col, QTableWidgetItem(values.get(key, "")))
        self.table.setCellWidget(row, ACTION, action)
        self.table.setCellWidget(row, BY, by)
        if values.get("action"):
            action.setCurrentText(values["action"])
        if values.get("by"):
            by.setCurrentIndex(max(0, by.findData(values["by"])))
        return row

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            row = self.table.rowCount() - 1
        if row >= 0:
            self.table.removeRow(row)

    def rows(self) -> list[dict[str, str]]:
        out = []
        for row in range(self.table.rowCount()):
            def cell(col: int) -> str:
                item = self.table.item(row, col)
                return item.text() if item is not None else ""
            action = self.table.cellWidget(row, ACTION)
            by = self.table.cellWidget(row, BY)
            out.append({"t": cell(TIME), "action": action.currentText().strip() if action else "",
                        "dose": cell(DOSE), "unit": cell(UNIT), "route": cell(ROUTE),
                        "by": (by.currentData() or "") if by else ""})
        return out

    def _on_scenario(self, _index: int) -> None:
        """Another scenario: its actions and roles in the rows' choices (the typed rows stay)."""
        kept = self.rows()
        self.table.setRowCount(0)
        for values in kept or [{}]:
            self.add_row(values)

    def _fields(self) -> dict[str, Any]:
        return {"date": self.date.date().toString("yyyy-MM-dd"), "site": self.site.text(),
                "department": self.department.text(), "case_ref": self.case_ref.text()}

    # --- keeping --------------------------------------------------------------------------------
    def keep(self) -> Any:
        """Keep the typed timeline as a real case; the case kept, or None (problems shown)."""
        from simtool.app.cases import enter_case
        loaded = self.current()
        if loaded is None:
            return self._refused([self.tr("No scenario with indicators was found.")])
        return self._do(lambda: enter_case(self.archive, loaded, self.rows(), **self._fields()))

    def import_file(self, path: str) -> Any:
        """Keep the case in ``path`` (YAML or CSV) with the form's scenario, date, site,
        department and case reference."""
        from simtool.app.cases import import_file
        loaded = self.current()
        if loaded is None:
            return self._refused([self.tr("No scenario with indicators was found.")])
        return self._do(lambda: import_file(self.archive, path, loaded, **self._fields()))

    def _on_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import a real case's timeline"), "",
                                              self.tr("Timelines (*.yaml *.yml *.csv)"))
        if path:
            self.import_file(path)

    def _do(self, keep: Any) -> Any:
        from simtool.core.errors import FileProblemsError, SimtoolError
        try:
            kept = keep()
        except FileProblemsError as exc:
            return self._refused([str(p) for p in exc.problems])
        except SimtoolError as exc:
            return self._refused([str(exc)])
        self.kept = kept
        self.problems.clear()
        met = sum(1 for i in kept.indicators if i["met"])
        applies = sum(1 for i in kept.indicators if i["met"] is not None)
        text = self.tr("Kept as real case {ref} ({date}): {met} of {applies} indicators met.").format(
            ref=kept.case_ref, date=kept.date, met=met, applies=applies)
        if kept.left_out:
            text += " " + self.tr("Left out because they could name someone: {what}.").format(
                what="; ".join(kept.left_out))
        self.result.setText(text)
        self.refresh()
        return kept

    def _refused(self, problems: list[str], head: str | None = None) -> None:
        self.result.clear()
        shown = problems[:8]
        if len(problems) > len(shown):
            shown.append(self.tr("… and {n} more").format(n=len(problems) - len(shown)))
        self.problems.setText((head or self.tr("Nothing was kept:")) + "\n" + "\n".join(shown))
        return None

    def _on_case_selected(self) -> None:
        self.withdraw_button.setEnabled(bool(self.cases.selectedItems()))

    def withdraw_selected(self, reason: str | None = None) -> Any:
        """Withdraw the case selected in the list (asking why unless ``reason`` is given);
        the case's row, or None."""
        from PySide6.QtWidgets import QInputDialog

        from simtool.app.cases import CaseError, withdraw
        row = self.cases.currentRow()
        item = self.cases.item(row, 1) if row >= 0 else None
        if item is None:
            return None
        ref = item.text()
        if reason is None:
            reason, ok = QInputDialog.getText(self, self.tr("Withdraw case"),
                                              self.tr("Why is case {ref} withdrawn?").format(ref=ref))
            if not ok:
                return None
        try:
            case = withdraw(self.archive, ref, reason)
        except CaseError as exc:
            return self._refused([str(exc)], self.tr("Nothing was changed:"))
        self.problems.clear()
        self.result.setText(self.tr("Case {ref} withdrawn: kept in the record, counted nowhere.")
                            .format(ref=ref))
        self.refresh()
        return case

    def indicator_lines(self, case: dict[str, Any]) -> str:
        """A kept case's indicators as the list's tooltip shows them, one a line: its label,
        the time the case took and the target, met or not; not done; or did not apply."""
        from simtool.ui.display import span
        labels = {i.id: _text(i.label, self.lang) for lo in self.loaded if lo.scenario.id == case["scenario_id"]
                  for i in lo.scenario.indicators}
        lines = []
        for i in case["indicators"]:
            label, target = labels.get(i["id"], i["id"]), span(i["target_s"], self.lang)
            if i["met"] is None:
                line = self.tr("%1: did not apply").replace("%1", label)
            elif i["seconds"] is None:
                line = self.tr("%1: not done (target %2)").replace("%1", label).replace("%2", target)
            else:
                line = self.tr("%1: %2 (target %3) — %4").replace("%1", label) \
                    .replace("%2", span(i["seconds"], self.lang)).replace("%3", target) \
                    .replace("%4", self.tr("met") if i["met"] else self.tr("not met"))
            lines.append(line)
        return "\n".join(lines)

    def refresh(self) -> None:
        from simtool.store.cases import cases
        rows = cases(self.archive)
        titles = {lo.scenario.id: _text(lo.scenario.title, self.lang) for lo in self.loaded}
        self.cases.setRowCount(len(rows))
        for r, c in enumerate(reversed(rows)):   # the latest first
            met = sum(1 for i in c["indicators"] if i["met"])
            applies = sum(1 for i in c["indicators"] if i["met"] is not None)
            for col, value in enumerate((c["date"], c["case_ref"], titles.get(c["scenario_id"], c["scenario_id"]),
                                         c["site"] or "", c["department"] or "", f"{met}/{applies}")):
                self.cases.setItem(r, col, QTableWidgetItem(value))
            tip = self.indicator_lines(c)
            for col in range(self.cases.columnCount()):
                self.cases.item(r, col).setToolTip(tip)
        self.cases.setCurrentCell(-1, -1)   # nothing chosen to withdraw after a change
        self.cases.clearSelection()
        self._on_case_selected()
