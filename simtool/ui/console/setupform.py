"""Drill setup: who plays which role, the patient, the evaluation type and the examiners.

The form only collects and checks the shape of the input (required roles filled, names given,
weight within the scenario's range); the drill itself checks everything again when it starts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from dataclasses import dataclass, field

from PySide6.QtCore import QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem,
    QCompleter, QStyledItemDelegate, QVBoxLayout, QWidget,
)

from simtool.app.people import Known
from simtool.app.setup import EVALUATION_TYPES, examiner_needed
from simtool.core.drill import Participant, PatientParams
from simtool.core.scenario import LoadedScenario
from simtool.store import Examiner, Trainee
from simtool.ui.display import BAD, badge_style, condition_text, number

NAME, STAFF, ROLE = range(3)


@dataclass(frozen=True)
class SetupResult:
    """What the setup form collected: plain data, ready for ``DrillSession``."""

    participants: tuple[Participant, ...]
    trainees: dict[str, Trainee]
    patient: PatientParams
    evaluation_type: str
    examiners: tuple[Examiner, ...] = field(default=())   # name and staff id
    site: str | None = None          # the hospital
    department: str | None = None    # the department the drill belongs to


SITE_SETTING = "setup/site"
DEPARTMENT_SETTING = "setup/department"


class PersonDelegate(QStyledItemDelegate):
    """The name and staff ID cells: typing offers the people the archive already knows — by
    name, staff ID, pinyin initials ("cj" finds 陈杰) or department, anywhere in any of them —
    and choosing one fills in both, so a person is entered as the one record they are, not
    typed again slightly differently."""

    SEP = " · "
    KEYS = Qt.ItemDataRole.UserRole + 1   # what typed text is matched against

    def __init__(self, people: Sequence[Known | tuple[str, str | None]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        known = [p if isinstance(p, Known) else Known(p[0], p[1]) for p in people]
        self.model = QStandardItemModel(self)
        self.by_text: dict[str, tuple[str, str | None]] = {}
        for p in sorted(known, key=lambda k: (k.name, k.staff_id or "")):
            label = self.label(p.name, p.staff_id)
            extra = ", ".join(x for x in (p.department, p.profession) if x)
            item = QStandardItem(f"{label} — {extra}" if extra else label)
            item.setData(f"{label}{self.SEP}{p.keys}", self.KEYS)
            self.model.appendRow(item)
            self.by_text[label] = self.by_text[f"{label}{self.SEP}{p.keys}"] = (p.name, p.staff_id)

    @classmethod
    def label(cls, name: str, staff_id: str | None) -> str:
        return f"{name}{cls.SEP}{staff_id}" if staff_id else name

    def createEditor(self, parent: QWidget, option: Any, index: QModelIndex) -> QWidget:  # noqa: N802
        editor = QLineEdit(parent)
        if self.model.rowCount():
            completer = QCompleter(self.model, editor)
            completer.setCompletionRole(self.KEYS)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            editor.setCompleter(completer)
        return editor

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex) -> None:  # noqa: N802
        text = editor.text() if isinstance(editor, QLineEdit) else ""
        person = self.by_text.get(text)
        if person is None:
            super().setModelData(editor, model, index)
            return
        name, staff = person
        model.setData(model.index(index.row(), NAME), name)
        model.setData(model.index(index.row(), STAFF), staff or "")


class SetupForm(QWidget):
    """Participants, patient, evaluation type and examiners for one scenario. ``people``: the
    people the archive knows (``Known``, or name and staff ID), offered as the instructor types."""

    setup_done = Signal(object)  # SetupResult
    cancel_requested = Signal()  # back to the library: nothing was recorded

    def __init__(self, loaded: LoadedScenario, lang: str = "en",
                 parent: QWidget | None = None, *,
                 people: Sequence[Known | tuple[str, str | None]] = (),
                 examiners: Sequence[Known] = ()) -> None:
        super().__init__(parent)
        self.loaded = loaded
        self.lang = lang
        sc = loaded.scenario

        self.title = QLabel(sc.title.get(lang))
        self.title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.title.setWordWrap(True)

        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Staff ID"), self.tr("Role")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(STAFF, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(STAFF, 160)
        header.setSectionResizeMode(ROLE, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(150)
        self.people = PersonDelegate(people, self.table)
        for col in (NAME, STAFF):
            self.table.setItemDelegateForColumn(col, self.people)
        for role in sc.roles:  # one row per role to start with: the usual team
            self.add_participant(role=role.id)
        self.add_button = QPushButton(self.tr("Add participant"))
        self.add_button.clicked.connect(lambda: self.add_participant())
        self.remove_button = QPushButton(self.tr("Remove selected"))
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.participants_error = self._error_label()
        required = [r.label.get(lang) for r in sc.roles if r.required]
        roles_hint = QLabel(self.tr("Required roles: {}").format(", ".join(required)))
        roles_hint.setWordWrap(True)

        w = sc.patient.weight_kg
        self.weight = QDoubleSpinBox()
        self.weight.setDecimals(1)
        # one step outside the range on each side, so an out-of-range value can be explained
        # rather than silently clamped
        self.weight.setRange(max(0.0, w.min - 0.1), w.max + 0.1)
        self.weight.setValue(w.default)
        self.weight.setSuffix(" kg")
        self.weight_error = self._error_label()
        weight_hint = QLabel(self.tr("{} – {} kg").format(number(w.min), number(w.max)))

        # as the library's run form: the scenario's variants, the first chosen to start with
        # (PPH: "Healthy woman"), and "Custom" last for conditions no variant has; ticking the
        # conditions of a variant chooses it
        self.variant = QComboBox()
        for v in sc.variants:
            self.variant.addItem(v.label.get(lang), v.id)
        self.variant.addItem(self.tr("Custom (the conditions ticked below)"), None)
        self.variant.setEnabled(bool(sc.variants))
        self.variant.currentIndexChanged.connect(self._on_variant_changed)
        self.conditions: dict[str, QCheckBox] = {}
        conditions_row = QHBoxLayout()
        for c in sc.patient.conditions:
            box = QCheckBox(condition_text(c))
            box.toggled.connect(self._sync_variant)
            self.conditions[c] = box
            conditions_row.addWidget(box)
        conditions_row.addStretch(1)
        self._sync_variant()

        self.evaluation = QComboBox()
        words = {"formative": self.tr("Formative"), "summative": self.tr("Summative"),
                 "high-stakes": self.tr("High-stakes")}
        for kind in EVALUATION_TYPES:
            self.evaluation.addItem(words[kind], kind)
        self.examiners = QPlainTextEdit()
        self.examiners.setPlaceholderText(self.tr("One examiner per line: name, staff ID "
                                                  "(e.g. Dr Zhou, E01)"))
        self.examiners.setMaximumHeight(80)
        self.examiners_error = self._error_label()
        # the examiners the archive knows, found as the trainees are (name, staff ID, pinyin
        # initials); choosing one adds their line, so an examiner is one record across drills
        self.known_examiners = PersonDelegate(examiners, self)
        self.find_examiner = QLineEdit()
        self.find_examiner.setPlaceholderText(self.tr("Find an examiner the archive knows…"))
        self.find_examiner.setVisible(self.known_examiners.model.rowCount() > 0)
        if self.known_examiners.model.rowCount():
            finder = QCompleter(self.known_examiners.model, self.find_examiner)
            finder.setCompletionRole(PersonDelegate.KEYS)
            finder.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            finder.setFilterMode(Qt.MatchFlag.MatchContains)
            finder.activated[str].connect(self.add_known_examiner)
            self.find_examiner.setCompleter(finder)

        self.done_button = QPushButton(self.tr("Continue to prebrief"))
        self.done_button.setDefault(True)
        self.done_button.clicked.connect(self.submit)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Back to the scenario library; no drill is started"))
        self.cancel_button.clicked.connect(self.cancel)

        table_buttons = QHBoxLayout()
        table_buttons.addWidget(self.add_button)
        table_buttons.addWidget(self.remove_button)
        table_buttons.addStretch(1)
        people = QVBoxLayout()
        people.addWidget(self.table)
        people.addLayout(table_buttons)
        people.addWidget(roles_hint)
        people.addWidget(self.participants_error)
        weight_row = QHBoxLayout()
        weight_row.addWidget(self.weight)
        weight_row.addWidget(weight_hint)
        weight_row.addWidget(self.weight_error, 1)
        examiners_box = QVBoxLayout()
        examiners_box.addWidget(self.find_examiner)
        examiners_box.addWidget(self.examiners)
        examiners_box.addWidget(self.examiners_error)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.tr("Participants"), people)
        form.addRow(self.tr("Patient weight"), weight_row)
        form.addRow(self.tr("Variant"), self.variant)
        form.addRow(self.tr("Conditions"), conditions_row)
        form.addRow(self.tr("Evaluation"), self.evaluation)
        form.addRow(self.tr("Examiners"), examiners_box)
        # where the drill happens: remembered on this machine for the next drill
        settings = QSettings()
        self.site = QLineEdit(str(settings.value(SITE_SETTING, "") or ""))
        self.site.setPlaceholderText(self.tr("Hospital (site)"))
        self.department = QLineEdit(str(settings.value(DEPARTMENT_SETTING, "") or ""))
        self.department.setPlaceholderText(self.tr("e.g. Obstetrics"))
        place = QHBoxLayout()
        place.addWidget(self.site, 1)
        place.addWidget(QLabel(self.tr("Department")))
        place.addWidget(self.department, 1)
        form.addRow(self.tr("Site"), place)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        layout.addLayout(buttons)

    def add_known_examiner(self, text: str) -> None:
        """Add the examiner chosen in the finder as a line "name, staff ID" (once)."""
        person = self.known_examiners.by_text.get(text)
        if person is None:
            return
        name, staff = person
        line = f"{name}, {staff}" if staff else name
        lines = [x.strip() for x in self.examiners.toPlainText().splitlines() if x.strip()]
        if line not in lines:
            self.examiners.setPlainText("\n".join(lines + [line]))
        QTimer.singleShot(0, self.find_examiner, self.find_examiner.clear)   # after the completer has put its text in

    def _error_label(self) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setStyleSheet(badge_style(BAD))
        label.hide()
        return label

    # --- editing ------------------------------------------------------------------------------
    def add_participant(self, name: str = "", staff_id: str = "", role: str | None = None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, NAME, QTableWidgetItem(name))
        self.table.setItem(row, STAFF, QTableWidgetItem(staff_id))
        combo = QComboBox()
        for r in self.loaded.scenario.roles:
            combo.addItem(r.label.get(self.lang), r.id)
        if role is not None:
            combo.setCurrentIndex(max(0, combo.findData(role)))
        self.table.setCellWidget(row, ROLE, combo)
        return row

    def set_participant(self, row: int, name: str, staff_id: str = "", role: str | None = None) -> None:
        self.table.item(row, NAME).setText(name)
        self.table.item(row, STAFF).setText(staff_id)
        if role is not None:
            combo = self.table.cellWidget(row, ROLE)
            combo.setCurrentIndex(combo.findData(role))

    def _on_remove_clicked(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    def _on_variant_changed(self, _index: int) -> None:
        chosen = next((v for v in self.loaded.scenario.variants
                       if v.id == self.variant.currentData()), None)
        if chosen is not None:  # a variant brings its conditions (the drill merges them too)
            for c, box in self.conditions.items():
                box.blockSignals(True)
                box.setChecked(c in chosen.conditions)
                box.blockSignals(False)

    def _sync_variant(self) -> None:
        """The variant shown is one whose conditions are exactly those ticked (the chosen one
        if it still is: several may share them, e.g. the healthy woman and the 400 mL staged
        response), else "Custom"."""
        ticked = {c for c, box in self.conditions.items() if box.isChecked()}
        variants = {v.id: set(v.conditions) for v in self.loaded.scenario.variants}
        current = self.variant.currentData()
        if current in variants and variants[current] == ticked:
            return
        match = next((vid for vid, conditions in variants.items() if conditions == ticked), None)
        self.variant.setCurrentIndex(self.variant.findData(match))

    def take_over(self, old: "SetupForm") -> None:
        """Carry on with what was typed into ``old`` (the same scenario in another language):
        participants, patient, evaluation and examiners; problems shown there are shown again."""
        self.table.setRowCount(0)
        for row in range(old.table.rowCount()):
            name = old.table.item(row, NAME).text() if old.table.item(row, NAME) else ""
            staff = old.table.item(row, STAFF).text() if old.table.item(row, STAFF) else ""
            self.add_participant(name, staff, old.table.cellWidget(row, ROLE).currentData())
        self.weight.setValue(old.weight.value())
        self.variant.setCurrentIndex(max(0, self.variant.findData(old.variant.currentData())))
        for c, box in self.conditions.items():  # after the variant, which would reset them
            box.setChecked(old.conditions[c].isChecked())
        self.evaluation.setCurrentIndex(max(0, self.evaluation.findData(old.evaluation.currentData())))
        self.examiners.setPlainText(old.examiners.toPlainText())
        self.site.setText(old.site.text())
        self.department.setText(old.department.text())
        if any(not label.isHidden() for label in (old.participants_error, old.weight_error,
                                                   old.examiners_error)):
            self.validate()

    # --- reading ------------------------------------------------------------------------------
    def _rows(self) -> list[tuple[str, str, str]]:
        rows = []
        for row in range(self.table.rowCount()):
            name = (self.table.item(row, NAME).text() if self.table.item(row, NAME) else "").strip()
            staff = (self.table.item(row, STAFF).text() if self.table.item(row, STAFF) else "").strip()
            rows.append((name, staff, self.table.cellWidget(row, ROLE).currentData()))
        return rows

    def validate(self) -> SetupResult | None:
        """The result, or None with each problem shown next to its field."""
        sc = self.loaded.scenario
        rows = [r for r in self._rows() if r[0] or r[1]]  # wholly empty rows are ignored
        problems: list[str] = []
        if any(not name for name, _, _ in rows):
            problems.append(self.tr("Every participant needs a name."))
        staff = [s for _, s, _ in rows if s]
        if len(staff) != len(set(staff)):
            problems.append(self.tr("A staff ID is used twice."))
        filled = {role for name, _, role in rows if name}
        missing = [r.label.get(self.lang) for r in sc.roles if r.required and r.id not in filled]
        if missing:
            problems.append(self.tr("Required role not filled: {}").format(", ".join(missing)))
        self._show(self.participants_error, problems)

        w = sc.patient.weight_kg
        weight_ok = w.min <= self.weight.value() <= w.max
        self._show(self.weight_error, [] if weight_ok else [
            self.tr("Weight must be between {} and {} kg.").format(number(w.min), number(w.max))])

        examiners = self.examiner_entries()
        kind = self.evaluation.currentData()
        needs_examiner = examiner_needed(kind, [e.name for e in examiners])
        self._show(self.examiners_error, [self.tr(
            "A summative or high-stakes drill needs at least one examiner.")] if needs_examiner else [])
        if problems or not weight_ok or needs_examiner:
            return None

        participants = tuple(Participant(f"p{i + 1}", name, role)
                             for i, (name, _, role) in enumerate(rows))
        trainees = {p.id: Trainee(p.name, staff or None)
                    for p, (_, staff, _) in zip(participants, rows)}
        conditions = tuple(c for c, box in self.conditions.items() if box.isChecked())
        patient = PatientParams(self.weight.value(), conditions, self.variant.currentData())
        site, department = self.site.text().strip() or None, self.department.text().strip() or None
        settings = QSettings()
        settings.setValue(SITE_SETTING, site or "")
        settings.setValue(DEPARTMENT_SETTING, department or "")
        return SetupResult(participants, trainees, patient, kind, examiners, site, department)

    def examiner_entries(self) -> tuple[Examiner, ...]:
        """The examiners typed, one per line as "name, staff ID" (a comma, a Chinese comma or
        a tab between them; the staff ID may be left out); the same person once."""
        out: dict[tuple[str, str | None], Examiner] = {}
        for line in self.examiners.toPlainText().splitlines():
            parts = [x.strip() for x in re.split(r"[,，\t]", line, maxsplit=1)]
            name = parts[0]
            staff = parts[1] if len(parts) > 1 and parts[1] else None
            if name:
                out.setdefault((name, staff), Examiner(name, staff))
        return tuple(out.values())

    @staticmethod
    def _show(label: QLabel, problems: list[str]) -> None:
        label.setText("\n".join(problems))
        label.setVisible(bool(problems))

    def has_entries(self) -> bool:
        """Whether anything was typed that Cancel would lose (a name, a staff id, examiners)."""
        for row in range(self.table.rowCount()):
            for col in (NAME, STAFF):
                item = self.table.item(row, col)
                if item is not None and item.text().strip():
                    return True
        return bool(self.examiners.toPlainText().strip())

    def cancel(self) -> None:
        """Back to the library (asking first when it would lose what was typed)."""
        if self.has_entries():
            answer = QMessageBox.question(
                self, self.tr("Cancel setup"),
                self.tr("Leave the setup? The names you entered are not kept; no drill was "
                        "started."))
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.cancel_requested.emit()

    def submit(self) -> None:
        result = self.validate()
        if result is not None:
            self.setup_done.emit(result)
