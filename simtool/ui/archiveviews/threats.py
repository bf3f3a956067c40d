"""The debrief's "Safety threats" tab (issue 21): the latent safety threats the debrief found
in this drill, and a form to record one — what was found, its category, likelihood and
severity (the NPSA 5 × 5 matrix; the risk grade shown as they are chosen), its root cause,
and the drill's events and indicators it concerns. "Revise" loads a recorded threat into the
form; recording then keeps a revision (a new record; the earlier one stays). Everything goes
through ``simtool.app.quality.record_threat``; a refusal is one sentence under the form and
what was typed stays.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QFrame, QHBoxLayout, QHeaderView, QLabel, QListWidget,
    QListWidgetItem, QPlainTextEdit, QPushButton, QScrollArea, QSpinBox, QSplitter, QTableWidget,
    QVBoxLayout, QWidget,
)

from simtool.core.errors import SimtoolError
from simtool.store import Archive
from simtool.ui.archiveviews.common import cell
from simtool.ui.display import BAD, GOOD, WARN, mmss
from simtool.ui.tables import make_table

RISK_TONE = {"extreme": BAD, "high": WARN, "moderate": WARN, "low": GOOD}


class ThreatsPanel(QWidget):
    """``events``: (seq, time s, what) of the drill's log; ``indicators``: (id, label)."""

    def __init__(self, archive: Archive, drill_id: str, events: list[tuple[int, float, str]],
                 indicators: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive, self.drill_id = archive, drill_id
        self.revises: int | None = None
        self.words = {
            "equipment": self.tr("equipment"), "process": self.tr("process"),
            "people": self.tr("people"), "environment": self.tr("environment"),
            "communication": self.tr("communication"),
            "low": self.tr("low"), "moderate": self.tr("moderate"), "high": self.tr("high"),
            "extreme": self.tr("extreme")}
        self.table: QTableWidget = make_table(
            [self.tr("#"), self.tr("Category"), self.tr("Risk"), self.tr("Found"),
             self.tr("Root cause")])
        # what was found and its root cause are read whole: the two share the width and wrap,
        # each row as tall as its text (never cut to "No lami…")
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        header = self.table.horizontalHeader()
        for col in (3, 4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._selected)
        self.found = QPlainTextEdit()
        self.found.setPlaceholderText(self.tr("What was found (e.g. the second oxytocin ampoule "
                                              "was missing from the PPH trolley)"))
        self.found.setMaximumHeight(60)
        self.category = QComboBox()
        for key in ("equipment", "process", "people", "environment", "communication"):
            self.category.addItem(self.words[key], key)
        self.likelihood, self.severity = QSpinBox(), QSpinBox()
        for spin, tip in ((self.likelihood, self.tr("1 rare … 5 almost certain")),
                          (self.severity, self.tr("1 negligible … 5 catastrophic"))):
            spin.setRange(1, 5)
            spin.setValue(3)
            spin.setToolTip(tip)
            spin.valueChanged.connect(lambda _v: self._show_risk())
        self.risk = QLabel()
        self.root_cause = QPlainTextEdit()
        self.root_cause.setPlaceholderText(self.tr("Root cause (why it could happen)"))
        self.root_cause.setMaximumHeight(60)
        self.events = QListWidget()
        for seq, t, what in events:
            item = QListWidgetItem(f"{seq} · {mmss(t)} · {what}")
            item.setData(Qt.ItemDataRole.UserRole, seq)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.events.addItem(item)
        self.indicators = QListWidget()
        for ind, label in indicators:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, ind)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.indicators.addItem(item)
        self.record_button = QPushButton(self.tr("Record threat"))
        self.record_button.clicked.connect(self.record)
        self.revise_button = QPushButton(self.tr("Revise selected"))
        self.revise_button.setEnabled(False)
        self.revise_button.clicked.connect(self.revise_selected)
        self.status = QLabel(self.tr("Threats are kept in the archive; a change is kept as a revision."))
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setStyleSheet("color: #546e7a;")

        form = QFormLayout()
        form.addRow(self.tr("Found"), self.found)
        form.addRow(self.tr("Category"), self.category)
        rating = QHBoxLayout()
        rating.addWidget(QLabel(self.tr("Likelihood")))
        rating.addWidget(self.likelihood)
        rating.addWidget(QLabel(self.tr("Severity")))
        rating.addWidget(self.severity)
        rating.addWidget(self.risk, 1)
        form.addRow(self.tr("Risk"), rating)
        form.addRow(self.tr("Root cause"), self.root_cause)
        links = QHBoxLayout()
        links.addWidget(self.events, 3)
        links.addWidget(self.indicators, 2)
        form.addRow(self.tr("Events · indicators"), links)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.revise_button)
        buttons.addWidget(self.record_button)
        # the form scrolls rather than make the debrief (and the window) taller than a
        # 768-px laptop screen; its buttons stay in sight below it
        fields = QWidget()
        fields.setLayout(form)
        form.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(fields)
        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(scroll, 1)
        ll.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setSizes([120, 380])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self._show_risk()
        self.refresh()

    def _show_risk(self) -> None:
        from simtool.store.quality import risk_band
        lik, sev = self.likelihood.value(), self.severity.value()
        band = risk_band(lik, sev)
        self.risk.setText(f"{self.words[band]} ({lik} × {sev} = {lik * sev})")
        tone = RISK_TONE[band]
        self.risk.setStyleSheet(f"color: {tone.fg}; background: {tone.bg}; padding: 2px 6px;")

    def refresh(self) -> None:
        try:
            self.threats = self.archive.safety_threats(drill_id=self.drill_id)
        except SimtoolError as exc:
            self.threats = []
            self._say(self.tr("Threats could not be read: {reason}").format(reason=exc), bad=True)
        self.table.setRowCount(len(self.threats))
        for r, t in enumerate(self.threats):
            for c, text in enumerate([str(t.id), self.words[t.category],
                                      f"{self.words[t.risk]} ({t.risk_score})",
                                      " ".join(t.found.split()), " ".join(t.root_cause.split())]):
                self.table.setItem(r, c, cell(text, RISK_TONE[t.risk] if c == 2 else None,
                                              data=t.id if c == 0 else None))

    def _selected(self) -> None:
        self.revise_button.setEnabled(bool(self.table.selectedItems()))

    def _checked(self, widget: QListWidget) -> list:
        return [widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
                if widget.item(i).checkState() == Qt.CheckState.Checked]

    def revise_selected(self) -> None:
        rows = {i.row() for i in self.table.selectedItems()}
        if not rows:
            return
        t = self.threats[min(rows)]
        self.revises = t.id
        self.found.setPlainText(t.found)
        self.root_cause.setPlainText(t.root_cause)
        self.category.setCurrentIndex(max(0, self.category.findData(t.category)))
        self.likelihood.setValue(t.likelihood)
        self.severity.setValue(t.severity)
        for widget, chosen in ((self.events, set(t.events)), (self.indicators, set(t.indicators))):
            for i in range(widget.count()):
                item = widget.item(i)
                item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in chosen
                                   else Qt.CheckState.Unchecked)
        self.record_button.setText(self.tr("Record revision of #{n}").format(n=t.id))

    def record(self) -> bool:
        """Keep the form as a threat (or a revision); True when it is kept."""
        from simtool.app import quality
        try:
            t = quality.record_threat(
                self.archive, self.drill_id, found=self.found.toPlainText(),
                category=str(self.category.currentData()), likelihood=self.likelihood.value(),
                severity=self.severity.value(), root_cause=self.root_cause.toPlainText(),
                events=self._checked(self.events), indicators=self._checked(self.indicators),
                revises=self.revises)
        except SimtoolError as exc:
            self._say(self.tr("Not recorded: {reason}").format(reason=exc), bad=True)
            return False
        self._say(self.tr("Threat #{n} recorded.").format(n=t.id))
        self.revises = None
        self.record_button.setText(self.tr("Record threat"))
        self.found.clear()
        self.root_cause.clear()
        for widget in (self.events, self.indicators):
            for i in range(widget.count()):
                widget.item(i).setCheckState(Qt.CheckState.Unchecked)
        self.refresh()
        return True

    def _say(self, text: str, bad: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b71c1c;" if bad else "color: #546e7a;")
