"""The run form: patient, script, Run. It only gathers choices and checks the script.

The drill itself is played by the main window through ``simtool.core.runner`` (the same call
as ``simtool run``), so this widget holds no drill logic; it turns what the instructor picked
into a ``RunRequest`` or, for a script with mistakes, shows each FILE:LINE: field: message.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, QGroupBox, QGridLayout, QHBoxLayout,
    QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from simtool.core.errors import ScenarioError
from simtool.ui.display import BAD, badge_style, condition_text, number

if TYPE_CHECKING:
    from simtool.core.drill import PatientParams  # the engine: loaded when a run is asked for
    from simtool.core.scenario import LoadedScenario
    from simtool.core.script import Script


CONDITION_COLUMNS = 3
_VARIANT_ID = Qt.ItemDataRole.UserRole + 1  # the variant's id beside its conditions


@dataclass(frozen=True)
class RunRequest:
    """What to play: a scenario, a patient and a checked script."""

    loaded: LoadedScenario
    script: Script
    script_label: str
    patient: PatientParams


class RunForm(QGroupBox):
    run_requested = Signal(object)  # RunRequest

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Run from a script (full speed, no monitor)"), parent)
        self._loaded: LoadedScenario | None = None
        self._lang = "en"
        self._scripts_root: Path | None = None
        self._chosen: list[Path] = []   # files picked with the dialog, for this scenario
        self._checks: dict[str, QCheckBox] = {}

        self.variant = QComboBox()
        self.variant.activated.connect(self._on_variant_chosen)
        self.weight = QDoubleSpinBox()
        self.weight.setDecimals(1)
        self.weight.setSuffix(" kg")
        self.weight.setSingleStep(1.0)
        self._conditions_row = QWidget()
        # three to a row: the PPH drill offers five conditions, longer still in other languages
        self._conditions_layout = QGridLayout(self._conditions_row)
        self._conditions_layout.setContentsMargins(0, 0, 0, 0)
        self._conditions_layout.setColumnStretch(CONDITION_COLUMNS, 1)

        self.script = QComboBox()
        self.script.setMinimumContentsLength(28)
        self.script.currentIndexChanged.connect(self._on_script_changed)
        self.choose_button = QPushButton(self.tr("Choose script file…"))
        self.choose_button.clicked.connect(self._on_choose_clicked)
        script_row = QHBoxLayout()
        script_row.addWidget(self.script, 1)
        script_row.addWidget(self.choose_button)
        self.script_info = QLabel()
        self.script_info.setWordWrap(True)
        self.script_info.setStyleSheet("color: #546e7a;")
        # room for two lines: a longer language wraps it, and the form sits in a splitter
        # pane that does not grow for a wrapped label by itself
        self.script_info.setMinimumHeight(2 * self.script_info.fontMetrics().lineSpacing())

        self.problems_label = QLabel()
        self.problems_label.setStyleSheet(badge_style(BAD))
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        # wrapped: the form is narrow, and every word of a problem line should be in view
        self.problems.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.problems.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.problems.setMaximumHeight(110)

        self.run_button = QPushButton(self.tr("Run at full speed"))
        self.run_button.setDefault(True)
        self.run_button.setMinimumWidth(140)
        self.run_button.clicked.connect(self._on_run_clicked)

        form = QFormLayout()
        form.addRow(self.tr("Variant"), self.variant)
        form.addRow(self.tr("Weight"), self.weight)
        form.addRow(self.tr("Conditions"), self._conditions_row)
        form.addRow(self.tr("Script"), script_row)
        form.addRow("", self.script_info)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problems_label, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.problems)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.run_button)
        layout.addLayout(buttons)
        self.clear_problems()

    # --- filling the form ---------------------------------------------------------------------
    def set_scenario(self, loaded: LoadedScenario, scripts_root: Path | None, lang: str) -> None:
        """Offer this scenario's patient options and scripts; keep choices on a reload."""
        same = self._loaded is not None and self._loaded.scenario.id == loaded.scenario.id
        keep = (self.weight.value(), self.checked_conditions(), self.script.currentData()) if same else None
        if not same:
            self._chosen = []
        self._loaded, self._scripts_root, self._lang = loaded, scripts_root, lang
        p = loaded.scenario.patient
        self.weight.setRange(p.weight_kg.min, p.weight_kg.max)
        self.weight.setValue(p.weight_kg.default)
        self.weight.setToolTip(self.tr("{min}–{max} kg for this scenario").format(
            min=number(p.weight_kg.min), max=number(p.weight_kg.max)))
        while self._conditions_layout.count():
            item = self._conditions_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()  # deleted later: until then it would overlap the new row
                item.widget().deleteLater()
        self._checks = {}
        for n, name in enumerate(p.conditions):
            box = QCheckBox(condition_text(name))
            box.toggled.connect(self._sync_variant)
            self._conditions_layout.addWidget(box, n // CONDITION_COLUMNS, n % CONDITION_COLUMNS)
            self._checks[name] = box
        if not p.conditions:
            self._conditions_layout.addWidget(QLabel(self.tr("none offered by this scenario")), 0, 0)
        self._fill_variants()
        self._fill_scripts()
        if keep is not None:
            weight, conditions, script = keep
            self.weight.setValue(weight)
            for name, box in self._checks.items():
                box.setChecked(name in conditions)
            index = self.script.findData(script)
            if index >= 0:
                self.script.setCurrentIndex(index)
        self._sync_variant()
        self.clear_problems()
        self._on_script_changed()

    def set_language(self, lang: str) -> None:
        self._lang = lang
        if self._loaded is not None:
            index = self.variant.currentIndex()
            self._fill_variants()
            self.variant.setCurrentIndex(index)

    def _fill_variants(self) -> None:
        assert self._loaded is not None
        self.variant.clear()
        for v in self._loaded.scenario.variants:
            self.variant.addItem(v.label.get(self._lang), v.conditions)
            self.variant.setItemData(self.variant.count() - 1, v.id, _VARIANT_ID)
        self.variant.addItem(self.tr("Custom (the conditions ticked below)"), None)
        self.variant.setEnabled(bool(self._loaded.scenario.variants))

    def _fill_scripts(self) -> None:
        assert self._loaded is not None
        self.script.blockSignals(True)
        self.script.clear()
        self.script.addItem(self.tr("No actions — untreated course"), None)
        found: list[Path] = []
        if self._scripts_root is not None:
            folder = self._scripts_root / self._loaded.scenario.id
            if folder.is_dir():
                found = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
        for path in found + [p for p in self._chosen if p not in found]:
            self.script.addItem(path.stem.replace("_", " "), str(path))
            self.script.setItemData(self.script.count() - 1, str(path), Qt.ItemDataRole.ToolTipRole)
        self.script.blockSignals(False)

    def add_script(self, path: Path) -> None:
        """Offer a script file picked outside the scenario's scripts folder, and select it."""
        path = Path(path)
        index = self.script.findData(str(path))
        if index < 0:
            self._chosen.append(path)
            self.script.addItem(path.stem.replace("_", " "), str(path))
            index = self.script.count() - 1
            self.script.setItemData(index, str(path), Qt.ItemDataRole.ToolTipRole)
        self.script.setCurrentIndex(index)
        self._on_script_changed()

    # --- reading the form ---------------------------------------------------------------------
    def checked_conditions(self) -> tuple[str, ...]:
        return tuple(name for name, box in self._checks.items() if box.isChecked())

    def _on_variant_chosen(self, index: int) -> None:
        conditions = self.variant.itemData(index)
        if conditions is None:  # "Custom": leave the ticks as they are
            return
        for name, box in self._checks.items():
            box.blockSignals(True)
            box.setChecked(name in conditions)
            box.blockSignals(False)

    def _sync_variant(self) -> None:
        # the variant shown is the one whose conditions are exactly those ticked
        ticked = set(self.checked_conditions())
        current = self.variant.itemData(self.variant.currentIndex())
        if current is not None and set(current) == ticked:
            return  # several variants may share conditions (LAST courses): keep the chosen one
        for i in range(self.variant.count()):
            data = self.variant.itemData(i)
            if data is not None and set(data) == ticked:
                self.variant.setCurrentIndex(i)
                return
        self.variant.setCurrentIndex(self.variant.count() - 1)

    def _on_choose_clicked(self) -> None:
        start = str(self._scripts_root) if self._scripts_root and self._scripts_root.is_dir() else ""
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a drill script"), start,
            self.tr("Drill scripts (*.yaml *.yml);;All files (*)"))
        if name:
            self.add_script(Path(name))

    def _script(self) -> Script | None:
        """The chosen script, checked against the scenario; None (problems shown) if bad."""
        from simtool.core.script import Script, load_script  # with the scenario's validators

        assert self._loaded is not None
        path = self.script.currentData()
        if path is None:
            return Script(duration_s=self._loaded.scenario.duration_s)
        try:
            return load_script(path, self._loaded)
        except ScenarioError as exc:
            self.show_problems([str(p) for p in exc.problems])
        return None

    def _on_script_changed(self) -> None:
        if self._loaded is None:
            return
        self.clear_problems()
        script = self._script()
        if script is None:
            self.script_info.setText(self.tr("This script cannot be played until it is fixed."))
            return
        minutes = number(script.duration_s / 60)
        if not script.actions:
            text = self.tr("Nothing is done: the patient follows the untreated course for "
                           "{minutes} min.").format(minutes=minutes)
        else:
            text = self.tr("{n} timed actions by {people} participants over {minutes} min.").format(
                n=len(script.actions), people=len(script.participants), minutes=minutes)
        self.script_info.setText(text)

    def _on_run_clicked(self) -> None:
        if self._loaded is None:
            return
        self.clear_problems()
        script = self._script()  # read again: the file may have been edited since it was chosen
        if script is None:
            return
        from simtool.core.drill import PatientParams
        label = self.script.currentText()
        patient = PatientParams(round(self.weight.value(), 1), self.checked_conditions(),
                                self.variant.itemData(self.variant.currentIndex(), _VARIANT_ID))
        self.run_requested.emit(RunRequest(self._loaded, script, label, patient))

    # --- problems -----------------------------------------------------------------------------
    def show_problems(self, lines: list[str]) -> None:
        """Show what is wrong beside the form (never a traceback)."""
        n = len(lines)
        self.problems_label.setText(
            self.tr("1 problem in this script") if n == 1
            else self.tr("{n} problems in this script").format(n=n))
        self.problems.setPlainText("\n".join(lines))
        self.problems_label.show()
        self.problems.show()

    def clear_problems(self) -> None:
        self.problems.clear()
        self.problems_label.hide()
        self.problems.hide()
