"""The console's event log: what was logged, newest first, as the record now stands — who did
it, the dose, unit and route, the flags it raised, and whether it was corrected or struck — and
the way to correct or strike an entry (``CorrectionDialog``).

Every correction goes through ``DrillSession.amend`` / ``strike`` (the application layer's
``corrections``): it needs a reason, is appended to the record with the original kept, and the
rules are checked again. The panel decides nothing; it shows ``DrillSession.log()``.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QStyledItemDelegate,
    QStyleOptionViewItem, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from simtool.app.corrections import Logged
from simtool.core.errors import SimtoolError
from simtool.core.flagtext import flag_text
from simtool.core.routes import action_route_name
from simtool.core.units import shown as unit_shown
from simtool.ui.console.dosedialog import convertible_units
from simtool.ui.display import BAD, WARN, badge_style, mmss, number
from simtool.ui.eventlog import EventWords

SHOWN = ("action", "note", "force", "display", "end")   # the kinds the log lists
MIN_ROWS = 6   # entries the log always has room for
# a drill time as the console writes it: mm:ss, or h:mm:ss past an hour
_CLOCK = re.compile(r"\s*(?:(\d{1,3}):(?=\d{2}:))?(\d{1,4}):([0-5]\d)\s*")


class _Wrapping(QStyledItemDelegate):
    """A cell whose text wraps onto more lines, in a table whose other cells do not (its
    height is measured at its column's width, as a table of wrapping cells would)."""

    def __init__(self, table: QTableWidget) -> None:
        super().__init__(table)
        self.table = table

    def initStyleOption(self, option: QStyleOptionViewItem, index: Any) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:  # noqa: N802
        bounded = QStyleOptionViewItem(option)
        bounded.rect = QRect(0, 0, self.table.columnWidth(index.column()), 1)
        return super().sizeHint(bounded, index)


class LogPanel(QWidget):
    """The log, newest first; select an action and correct or strike it."""

    corrected = Signal(object)   # the amendment or retraction event

    def __init__(self, session: object, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.lang = lang
        drill = session.drill  # type: ignore[attr-defined]
        self.loaded = drill.loaded
        self.people = {p.id: p for p in drill.participants}
        self.roles = {r.id: r.label.get(lang) for r in drill.scenario.roles}
        self.entries: list[Logged] = []
        self.dialog: CorrectionDialog | None = None

        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("Time"), self.tr("Who"), self.tr("What"),
                                              self.tr("Flags")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # what was done takes the room left, on a second line when a drug's name, dose and
        # route need it (beside the monitor the console's right half is ~450 px): nothing is
        # cut. Only that column wraps: the others are measured on every click (to contents),
        # and measuring every row's cells for wrapping cost a click about a millisecond
        self.table.setWordWrap(False)
        self.table.setItemDelegateForColumn(2, _Wrapping(self.table))
        header = self.table.horizontalHeader()
        for col in (0, 1, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # wider or narrower, the rows are measured again (once, after the resize)
        self._rows_resized = QTimer(self)
        self._rows_resized.setSingleShot(True)
        self._rows_resized.setInterval(0)
        self._rows_resized.timeout.connect(self.table.resizeRowsToContents)
        header.sectionResized.connect(lambda col, _old, _new: col == 2 and self._rows_resized.start())
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.table.itemDoubleClicked.connect(lambda _item: self.correct_selected())

        self.correct_button = QPushButton(self.tr("Correct…"))
        self.correct_button.clicked.connect(self.correct_selected)
        self.strike_button = QPushButton(self.tr("Strike…"))
        self.strike_button.clicked.connect(lambda: self.correct_selected(strike=True))
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(self.tr("Log")), 1)
        buttons.addWidget(self.correct_button)
        buttons.addWidget(self.strike_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        # never fewer than six one-line entries in view, whatever else the console shows
        row_h = self.table.fontMetrics().height() + 6
        self.setMinimumHeight(buttons.sizeHint().height() + layout.spacing()
                              + self.table.horizontalHeader().sizeHint().height()
                              + MIN_ROWS * row_h + 2 * self.table.frameWidth())
        self.refresh()

    # --- showing ----------------------------------------------------------------------------
    def who(self, entry: Logged) -> str:
        if entry.participant == "instructor":
            return self.tr("Instructor")
        person = self.people.get(entry.participant or "")
        if person is not None:
            return self.tr("{role}: {name}").format(role=self.roles.get(person.role, person.role),
                                                    name=person.name)
        if entry.role:
            return self.roles.get(entry.role, entry.role)
        return self.tr("unassigned") if entry.kind == "action" else ""

    def what(self, entry: Logged) -> str:
        if entry.kind == "note":
            return self.tr("Note: {}").format(entry.text or "")
        if entry.kind == "force":
            st = self.loaded.scenario.state_index.get(entry.state or "")
            return self.tr("Moved to “{}”").format(st.label.get(self.lang) if st else entry.state)
        if entry.kind == "end":
            return self.tr("Drill ended")
        if entry.kind == "display":
            on = bool(entry.original.value("on"))
            if entry.original.value("show") == "drape":
                return self.tr("Blood-loss drape shown") if on else self.tr("Blood-loss drape hidden")
            return self.tr("Monitor blanked") if on else self.tr("Monitor shown again")
        action = self.loaded.catalogue.get(entry.action or "")
        text = action.label.get(self.lang) if action is not None else (entry.action or "")
        if entry.dose is not None:
            text += f" {number(entry.dose)} {unit_shown(entry.unit)}".rstrip()
        if entry.route:
            text += f" {action_route_name(self.loaded.catalogue, entry.action, entry.route, self.lang)}"
        return text

    def notes_of(self, entry: Logged) -> str:
        """One short line: the flags by kind, then whether it was corrected or struck (the
        flags' whole sentences are in the flag list and the tooltip)."""
        parts = []
        kinds = list(dict.fromkeys(EventWords.rule(f.rule) for f in entry.flags))
        if len(kinds) == 1:
            parts.append("⚠ " + kinds[0])
        elif kinds:
            parts.append("⚠ " + self.tr("{n} flags").format(n=len(entry.flags)))
        if entry.struck:
            parts.append(self.tr("struck"))
        elif entry.amended:
            parts.append(self.tr("corrected"))
        return " · ".join(parts)

    def refresh(self) -> None:
        """Show the log as it now stands, keeping the selected entry selected. A click adds one
        entry at the top: only the new rows are made (rebuilding every row of an hour's log on
        each click took most of a click's time); any other change rebuilds the table."""
        chosen = self.selected()
        log = self.session.log()  # type: ignore[attr-defined]
        entries = [e for e in reversed(log) if e.kind in SHOWN]
        rows = [self._row(e) for e in entries]
        shown_before: list[tuple[Any, ...]] = getattr(self, "_rows", [])
        added = len(rows) - len(shown_before)
        if added >= 0 and rows[added:] == shown_before:
            for i in range(added):
                self.table.insertRow(i)
                self._fill(i, rows[i])
                self.table.resizeRowToContents(i)
        else:
            self.table.setRowCount(len(rows))
            for i, row in enumerate(rows):
                self._fill(i, row)
            self.table.resizeRowsToContents()
        self.entries, self._rows = entries, rows
        if chosen is not None:
            for row, entry in enumerate(self.entries):
                if entry.seq == chosen.seq:
                    self.table.selectRow(row)
        self._on_selection()

    def _row(self, entry: Logged) -> tuple[Any, ...]:
        """What one entry's row shows: its four cells, how they are drawn, its tooltip."""
        return ((mmss(entry.t), self.who(entry), self.what(entry), self.notes_of(entry)),
                entry.struck, bool(entry.flags), entry.amended,
                entry.kind == "action" and not entry.participant and not entry.role,
                self._history(entry))

    def _fill(self, row: int, shown: tuple[Any, ...]) -> None:
        cells, struck, flagged, amended, nobody, tooltip = shown
        for col, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if struck:
                font = QFont(item.font())
                font.setStrikeOut(True)
                item.setFont(font)
                item.setForeground(QBrush(Qt.GlobalColor.gray))
            elif flagged:
                item.setForeground(QBrush(WARN.fg_color))
            if amended and col in (0, 1, 2):
                font = QFont(item.font())
                font.setItalic(True)
                item.setFont(font)
            if nobody and col == 1:
                item.setForeground(QBrush(BAD.fg_color))
            item.setToolTip(tooltip)
            self.table.setItem(row, col, item)

    def _history(self, entry: Logged) -> str:
        flags = [f"⚠ {flag_text(self.loaded, f, self.lang)}" for f in entry.flags]
        if not entry.history:
            return "\n".join(flags)
        o = entry.original
        first = self.tr("Logged at {time}: {what}").format(
            time=mmss(o.t), what=" ".join(x for x in (
                o.action or "", f"{number(o.dose)} {unit_shown(o.unit)}".strip() if o.dose is not None else "",
                action_route_name(self.loaded.catalogue, o.action, o.route, self.lang), o.role or "") if x))
        lines = [first]
        for c in entry.history:
            lines.append(self.tr("{what} at {time} by {who}: {why}").format(
                what=self.tr("Struck") if c.kind == "strike" else self.tr("Corrected"),
                time=mmss(c.t), who=c.by or "", why=c.reason or ""))
        return "\n".join(flags + lines)

    def selected(self) -> Logged | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = rows[0].row()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def select_seq(self, seq: int) -> None:
        for row, entry in enumerate(self.entries):
            if entry.seq == seq:
                self.table.selectRow(row)
                return

    def _on_selection(self) -> None:
        entry = self.selected()
        can = entry is not None and entry.kind == "action" and not entry.struck
        self.correct_button.setEnabled(can)
        self.strike_button.setEnabled(can)

    # --- correcting -------------------------------------------------------------------------
    def correct_selected(self, strike: bool = False) -> None:
        entry = self.selected()
        if entry is None or entry.kind != "action" or entry.struck:
            return
        if self.dialog is not None:
            self.dialog.reject()
        dialog = CorrectionDialog(self.session, entry, self.lang, strike=strike, parent=self)
        dialog.done_with.connect(self._on_corrected)
        dialog.finished.connect(lambda _r: self._forget(dialog))
        self.dialog = dialog
        dialog.open()

    def _forget(self, dialog: "CorrectionDialog") -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _on_corrected(self, event: object) -> None:
        self.refresh()
        self.corrected.emit(event)


class CorrectionDialog(QDialog):
    """Correct one logged action (who, dose and unit, route, time) or strike it; a reason is
    required. A correction the drill refuses is explained here and nothing is logged."""

    done_with = Signal(object)

    def __init__(self, session: object, entry: Logged, lang: str = "en", *, strike: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.entry = entry
        self.strike = strike
        drill = session.drill  # type: ignore[attr-defined]
        action = drill.catalogue.get(entry.action or "")
        label = action.label.get(lang) if action is not None else (entry.action or "")
        self.setWindowTitle((self.tr("Strike “{}”") if strike else self.tr("Correct “{}”")).format(label))
        self.setMinimumWidth(480)

        form = QFormLayout()
        self.who = QComboBox()
        self.dose: QDoubleSpinBox | None = None
        self.unit: QComboBox | None = None
        self.route: QComboBox | None = None
        self.at = QLineEdit(mmss(entry.t))
        if not strike:
            roles = {r.id: r.label.get(lang) for r in drill.scenario.roles}
            for p in drill.participants:
                self.who.addItem(self.tr("{role}: {name}").format(role=roles.get(p.role, p.role),
                                                                  name=p.name), p.id)
            for rid, rlabel in roles.items():
                if not any(p.role == rid for p in drill.participants):
                    self.who.addItem(rlabel, rid)
            current = entry.participant if entry.participant else entry.role
            index = self.who.findData(current)
            if index < 0:
                self.who.insertItem(0, self.tr("unassigned"), None)
                index = 0
            self.who.setCurrentIndex(index)
            form.addRow(self.tr("Who did it"), self.who)
            if action is not None and action.dose is not None:
                self.dose = QDoubleSpinBox()
                self.dose.setDecimals(2)
                self.dose.setRange(0.0, 1e6)
                self.dose.setValue(entry.dose if entry.dose is not None else 0.0)
                self.unit = QComboBox()
                self.unit.addItems(convertible_units(action.dose.unit))
                row = QHBoxLayout()
                row.addWidget(self.dose, 1)
                row.addWidget(self.unit)
                form.addRow(self.tr("Dose"), row)
            if action is not None and action.routes:
                self.route = QComboBox()
                for r in action.routes:
                    self.route.addItem(r, r)
                if entry.route and self.route.findData(entry.route) < 0:
                    self.route.addItem(entry.route, entry.route)
                self.route.setCurrentIndex(max(0, self.route.findData(entry.route)))
                form.addRow(self.tr("Route"), self.route)
            self.at.setPlaceholderText("mm:ss")
            form.addRow(self.tr("Drill time"), self.at)
        else:
            form.addRow(QLabel(self.tr("The action stays in the record, struck through, with "
                                       "your reason.")))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Why the record changes (required)"))
        form.addRow(self.tr("Reason"), self.reason)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(badge_style(BAD))
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("Strike") if strike else self.tr("Correct"))
        buttons.accepted.connect(self._apply)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.reason.setFocus()

    def changes(self) -> dict[str, object]:
        """What differs from the entry as it stands (only what the instructor changed)."""
        e = self.entry
        out: dict[str, object] = {}
        who = self.who.currentData()
        if who is not None and who not in (e.participant, e.role if not e.participant else None):
            out["who"] = who
        if self.dose is not None and self.unit is not None:
            dose, unit = self.dose.value(), self.unit.currentText()
            if e.dose is None or abs(dose - e.dose) > 1e-9 or unit != (e.unit or unit):
                out["dose"], out["unit"] = dose, unit
        if self.route is not None and self.route.currentData() != e.route:
            out["route"] = self.route.currentData()
        m = _CLOCK.fullmatch(self.at.text())
        if m is None:
            raise SimtoolError(self.tr("The drill time must be written mm:ss."))
        at = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + int(m.group(3))
        if mmss(at) != mmss(e.t):
            out["at"] = float(at)
        return out

    def _apply(self) -> None:
        if not self.reason.text().strip():
            self.error.setText(self.tr("Write why the record changes: a correction needs a reason."))
            self.error.show()
            self.reason.setFocus()
            return
        try:
            if self.strike:
                event = self.session.strike(self.entry.seq, reason=self.reason.text())  # type: ignore[attr-defined]
            else:
                changes = self.changes()
                if not changes:
                    raise SimtoolError(self.tr("Nothing was changed."))
                event = self.session.amend(self.entry.seq, reason=self.reason.text(),  # type: ignore[attr-defined]
                                           **changes)
        except SimtoolError as exc:   # nothing was logged: say why, keep the dialog open
            self.error.setText(str(exc))
            self.error.show()
            return
        self.done_with.emit(event)
        self.accept()
