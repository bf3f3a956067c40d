"""The prebrief screen: objectives, the briefing read to the team, the patient as the team is
told (weight, conditions, course), and what is assessed.

INACSL prebriefing: trainees hear beforehand what they will be assessed on, so the list comes
straight from the scenario's expected actions (and the rubric's items when there is one). In a
summative or high-stakes drill that list is the answer key: the screen the trainees see says
only that they are assessed, and the instructor can show the checklist to themself.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from simtool.core.drill import PatientParams
from simtool.core.rubric import EvaluationType, LoadedRubric, Rubric
from simtool.core.scenario import LoadedScenario
from simtool.ui.display import condition_text, number


def _bullets(lines: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"


class PrebriefView(QWidget):
    start_requested = Signal()
    back_requested = Signal()     # to the setup, with what was entered there
    cancel_requested = Signal()   # to the library: no drill is started

    def __init__(self, loaded: LoadedScenario, lang: str = "en",
                 rubric: Rubric | LoadedRubric | None = None,
                 parent: QWidget | None = None, *, patient: PatientParams | None = None,
                 evaluation_type: str = EvaluationType.FORMATIVE) -> None:
        super().__init__(parent)
        sc = loaded.scenario
        if isinstance(rubric, LoadedRubric):
            rubric = rubric.rubric

        self.title = QLabel(sc.title.get(lang))
        self.title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self.title.setWordWrap(True)
        self.objectives = self._section(self.tr("Objectives"),
                                        _bullets([o.get(lang) for o in sc.objectives]))
        self.briefing = self._section(self.tr("Briefing"),
                                      escape(sc.briefing.get(lang)).replace("\n", "<br>"))
        patient = patient or PatientParams(sc.patient.weight_kg.default)
        facts = [self.tr("Weight: {} kg").format(number(patient.weight_kg)),
                 self.tr("Conditions: {}").format(
                     ", ".join(condition_text(c) for c in patient.conditions)
                     or self.tr("none known"))]
        variant = next((v for v in sc.variants if v.id == patient.variant), None)
        if variant is not None:
            facts.append(self.tr("Course: {}").format(variant.label.get(lang)))
        self.patient = self._section(self.tr("The patient"), _bullets(facts))
        assessed = [ex.label.get(lang) for ex in sc.expected]
        html = _bullets(assessed) if assessed else escape(self.tr("No timed actions."))
        if rubric is not None:
            html += "<p><b>{}</b></p>".format(escape(self.tr("Scoring sheet: {}").format(
                rubric.title.get(lang))))
            html += _bullets([it.label.get(lang) for it in rubric.items])
        self.summative = evaluation_type != EvaluationType.FORMATIVE
        self.assessed = self._section(self.tr("You will be assessed on"), html)
        self.checklist_note = QLabel(self.tr(
            "This drill is assessed ({kind}). The checklist is with the examiner.").format(
            kind=self.tr("summative") if evaluation_type == EvaluationType.SUMMATIVE
            else self.tr("high-stakes")))
        self.checklist_note.setWordWrap(True)
        self.show_checklist = QPushButton(self.tr("Show the checklist (instructor only)"))
        self.show_checklist.setCheckable(True)
        self.show_checklist.toggled.connect(self.assessed.setVisible)
        self.assessed.setVisible(not self.summative)
        self.checklist_note.setVisible(self.summative)
        self.show_checklist.setVisible(self.summative)

        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.title)
        for section in (self.objectives, self.briefing, self.patient, self.checklist_note,
                        self.assessed):
            column.addWidget(section)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)

        self.start_button = QPushButton(self.tr("Start drill"))
        self.start_button.setDefault(True)
        self.start_button.setStyleSheet("font-size: 13pt; padding: 6px 18px;")
        self.start_button.clicked.connect(self.start_requested)
        self.back_button = QPushButton(self.tr("Back to setup"))
        self.back_button.clicked.connect(self.back_requested)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Back to the scenario library; no drill is started"))
        self.cancel_button.clicked.connect(self.cancel_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.show_checklist)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

    def _section(self, heading: str, html: str) -> QLabel:
        label = QLabel(f"<h3>{escape(heading)}</h3>{html}")
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label
