"""The dose dialog: how much, in which unit, by which route — with the patient beside it.

Pre-filled from the catalogue: the weight-based suggestion (``per_kg`` × weight) when the
action has one, else its default; both are shown so the instructor can log what was really
given, with the patient's weight and conditions, the dose of that drug so far and this
patient's limits (``app.dosing``). Out-of-range doses are accepted: the drill flags them, the
console never refuses. Only an empty dose is: a drug logged at 0 could not be judged by any
dose rule, so Log stays disabled until a dose above zero is entered.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel,
    QPushButton, QVBoxLayout, QWidget,
)

from simtool.app.dosing import DoseContext
from simtool.core import units
from simtool.core.catalogue import Action, Contraindication
from simtool.core.errors import SimtoolError
from simtool.core.flagtext import words
from simtool.core.routes import route_name
from simtool.ui.display import BAD, badge_style, condition_text, number

# units a dose may be entered in; only those convertible to the action's unit are offered
ENTRY_UNITS = ("µg", "mg", "g", "mL", "L", "IU", "unit")


def convertible_units(target: str) -> list[str]:
    out = [target]
    for u in ENTRY_UNITS:
        if u == target:
            continue
        try:
            units.convert(1.0, u, target)
        except (SimtoolError, ValueError, KeyError):
            continue
        out.append(u)
    return out


class DoseDialog(QDialog):
    def __init__(self, action: Action, weight_kg: float, lang: str = "en",
                 parent: QWidget | None = None, context: DoseContext | None = None,
                 scenario_id: str | None = None) -> None:
        super().__init__(parent)
        assert action.dose is not None
        self.action = action
        self.lang = lang
        self.scenario_id = scenario_id
        dose = action.dose
        self.setWindowTitle(action.label.get(lang))
        self.setMinimumWidth(520)   # read at arm's length, beside a running drill
        self.suggested = dose.per_kg * weight_kg if dose.per_kg is not None else None

        self.amount = QDoubleSpinBox()
        big = self.amount.font()
        big.setPointSizeF(big.pointSizeF() * 1.6)
        self.amount.setFont(big)
        self.amount.setDecimals(2)
        self.amount.setRange(0.0, 1e6)
        start = self.suggested if self.suggested is not None else dose.default
        self.amount.setValue(start if start is not None else 0.0)
        self.unit = QComboBox()
        self.unit.addItems(convertible_units(dose.unit))
        self.route = QComboBox()
        for r in action.routes:   # named as the clinician says it; the code is what is logged
            self.route.addItem(route_name(r, lang, tuple(action.routes)), r)
        if not action.routes:
            self.route.addItem(self.tr("not recorded"), None)

        hints = QVBoxLayout()
        if dose.default is not None:
            self.default_button = QPushButton(self.tr("Default: {} {}").format(
                number(dose.default), dose.unit))
            self.default_button.clicked.connect(lambda: self._use(dose.default))
            hints.addWidget(self.default_button)
        if self.suggested is not None:
            self.suggestion_button = QPushButton(self.tr("For {} kg: {} {} ({} {}/kg)").format(
                number(weight_kg), number(round(self.suggested, 2)), dose.unit,
                number(dose.per_kg), dose.unit))
            self.suggestion_button.clicked.connect(lambda: self._use(self.suggested))
            hints.addWidget(self.suggestion_button)
        if dose.min is not None or dose.max is not None:
            # the catalogue's usual single dose (any route: oxytocin's 5–40 IU spans a slow IV
            # injection and an infusion); this patient's limits by the chosen route are above
            if dose.min is not None and dose.max is not None:
                usual = self.tr("{low} – {high} {unit}").format(
                    low=number(dose.min), high=number(dose.max), unit=dose.unit)
            elif dose.max is not None:
                usual = self.tr("up to {high} {unit}").format(high=number(dose.max), unit=dose.unit)
            else:
                usual = self.tr("from {low} {unit}").format(low=number(dose.min), unit=dose.unit)
            self.usual_line = QLabel(
                self.tr("Usual single dose, any route: {}").format(usual) if len(action.routes) > 1
                else self.tr("Usual single dose: {}").format(usual))
            self.usual_line.setWordWrap(True)
            hints.addWidget(self.usual_line)

        amount_row = QHBoxLayout()
        amount_row.addWidget(self.amount, 1)
        amount_row.addWidget(self.unit)
        form = QFormLayout()
        if context is not None:
            conditions = ", ".join(condition_text(c) for c in context.conditions) \
                or self.tr("no conditions")
            self.patient_line = QLabel(self.tr("Patient: {weight} kg · {conditions}").format(
                weight=number(context.weight_kg), conditions=conditions))
            self.patient_line.setWordWrap(True)
            form.addRow(self.patient_line)
            self.context = context
            # the catalogue's contraindication for this patient, before it is logged: a
            # warning, never a refusal (the instructor logs what the team did, right or wrong;
            # the drill flags it once logged)
            self.warning_line = QLabel()
            self.warning_line.setWordWrap(True)
            self.warning_line.setTextFormat(Qt.TextFormat.PlainText)
            self.warning_line.setStyleSheet(badge_style(BAD) + " padding: 6px;")
            form.addRow(self.warning_line)
            self._show_warning()
            self.route.currentIndexChanged.connect(self._show_warning)
            self.so_far_line = QLabel()
            self.so_far_line.setWordWrap(True)
            form.addRow(self.so_far_line)
            self._show_limits()
            self.route.currentIndexChanged.connect(self._show_limits)
        form.addRow(self.tr("Dose"), amount_row)
        form.addRow(self.tr("Route"), self.route)
        form.addRow("", hints)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Log"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        self.needs_dose = QLabel(self.tr("Enter the dose given: a drug is logged with a dose "
                                         "above zero."))
        self.needs_dose.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.needs_dose)
        layout.addWidget(buttons)
        self.amount.valueChanged.connect(self._check)
        self._check()
        self.amount.setFocus()
        self.amount.selectAll()

    def contraindications(self) -> list[str]:
        """The catalogue's contraindications of this drug for this patient's conditions by the
        route now chosen, each with the words of the flag it raises once logged. (A
        contraindication on the vital signs — ergometrine at 140/90 — is judged by the drill
        when it is logged, not here.)"""
        context = getattr(self, "context", None)
        if context is None:
            return []
        route = self.route.currentData()
        out = []
        for rule in self.action.rules:
            if not isinstance(rule, Contraindication) or not rule.conditions:
                continue
            if rule.only_in and self.scenario_id is not None and self.scenario_id not in rule.only_in:
                continue
            if rule.routes and route not in rule.routes:
                continue
            hit = [condition_text(c) for c in rule.conditions if c in context.conditions]
            if hit:
                message = words("contraindication", {"conditions": hit, "dose": self.amount.value(),
                                                     "unit": context.unit,
                                                     "weight_kg": context.weight_kg},
                                self.action.label.get(self.lang), self.lang, rule.message)
                out.append(self.tr("Contraindicated for this patient ({conditions}). If it is "
                                   "logged, the drill flags it: “{message}”").format(
                    conditions=", ".join(hit), message=message))
        return out

    def _show_warning(self) -> None:
        found = self.contraindications()
        self.warning_line.setText("\n".join("⚠ " + text for text in found))
        self.warning_line.setVisible(bool(found))

    def _show_limits(self) -> None:
        """What has been given and this patient's limits for the route now chosen (oxytocin:
        5 IU by IV injection, 40 IU in an infusion)."""
        context = self.context
        so_far = self.tr("So far: {dose} {unit}").format(dose=number(round(context.given, 3)),
                                                         unit=context.unit)
        if len(context.shared) > 1:
            so_far += " · " + self.tr("with the drugs sharing its limit: {dose} {unit}").format(
                dose=number(round(context.shared_given, 3)), unit=context.unit)
        limits = []
        route = self.route.currentData()
        single = context.single_limit_for(route)
        if single is not None and route is not None and route in dict(context.single_by_route):
            limits.append(self.tr("at most {dose} {unit} in one dose ({route})").format(
                dose=number(round(single, 3)), unit=context.unit, route=self.route.currentText()))
        elif single is not None:
            limits.append(self.tr("at most {dose} {unit} in one dose").format(
                dose=number(round(single, 3)), unit=context.unit))
        if context.total_limit is not None:
            limits.append(self.tr("at most {dose} {unit} in all").format(
                dose=number(round(context.total_limit, 3)), unit=context.unit))
        self.so_far_line.setText(so_far + ("\n" + self.tr("Limit for this patient: {}").format(
            "; ".join(limits)) if limits else ""))

    def _check(self) -> None:
        ok = self.amount.value() > 0
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        self.needs_dose.setVisible(not ok)

    def accept(self) -> None:  # Enter with no dose does nothing: nothing is logged at 0
        if self.amount.value() > 0:
            super().accept()

    def _use(self, value: float | None) -> None:
        if value is not None:
            self.amount.setValue(value)
            self.unit.setCurrentIndex(0)

    def set_values(self, dose: float, unit: str, route: str | None) -> None:
        """Fill the dialog as another one was left (the same action, another language)."""
        self.amount.setValue(dose)
        self.unit.setCurrentIndex(max(0, self.unit.findText(unit)))
        self.route.setCurrentIndex(max(0, self.route.findData(route)))

    def values(self) -> tuple[float, str, str | None]:
        """The dose, its unit and the route as chosen."""
        return self.amount.value(), self.unit.currentText(), self.route.currentData()
