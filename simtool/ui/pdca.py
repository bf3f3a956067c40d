"""The PDCA page (issue 21): one quarter of the department's quality loop on one screen.

* Check — each indicator against its targets over four quarters and the indicators below
  target (the quality-meeting pack's own figures: ``simtool.reports.qualitypackdata``, built
  from the quality report's ``build_quality`` over ``indicators_report``);
* Plan / Do — the corrective actions the quarter follows up, open, done or overdue (overdue in
  red), and the latent safety threats found in the quarter's debriefs;
* Act — the quarter's decision (standardise, start another cycle, other) with its note, by
  whom and when, and a button to record one (``simtool.app.quality.decide``; a new decision is
  a new record, the earlier ones stay).

Words of the records (categories, statuses, decisions) come from the pack, already in the
page's language; the page's own words are ``self.tr``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit, QPushButton,
    QScrollArea, QSplitter, QTableWidget, QVBoxLayout, QWidget,
)

from simtool.core.errors import SimtoolError
from simtool.store import Archive
from simtool.ui.archiveviews.common import cell, heading
from simtool.ui.display import BAD, GOOD, WARN
from simtool.ui.tables import make_table

STATUS_TONE = {"overdue": BAD, "done": GOOD}
RISK_TONE = {"extreme": BAD, "high": WARN, "moderate": WARN, "low": GOOD}


class PdcaView(QWidget):
    def __init__(self, archive: Archive, lang: str = "en", parent: QWidget | None = None,
                 quarter: str | None = None, department: str | None = None) -> None:
        super().__init__(parent)
        from simtool.store.quality import previous_quarters, quarter_of
        self.archive, self.lang = archive, lang
        self.pack = None
        now_q = quarter_of(archive.now())
        self.quarter = QComboBox()
        for q in reversed(previous_quarters(now_q, 8)):
            self.quarter.addItem(q, q)
        if quarter and self.quarter.findData(quarter) < 0:
            self.quarter.insertItem(0, quarter, quarter)
        self.quarter.setCurrentIndex(max(0, self.quarter.findData(quarter or now_q)))
        self.department = QComboBox()
        self.department.addItem(self.tr("Whole archive"), None)
        for d in self._departments():
            self.department.addItem(d, d)
        if department and self.department.findData(department) < 0:
            self.department.addItem(department, department)
        self.department.setCurrentIndex(max(0, self.department.findData(department)))
        self.quarter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.department.currentIndexChanged.connect(lambda _i: self.refresh())
        top = QHBoxLayout()
        top.addWidget(heading(self.tr("PDCA quality cycle")))
        top.addStretch(1)
        top.addWidget(QLabel(self.tr("Quarter")))
        top.addWidget(self.quarter)
        top.addWidget(QLabel(self.tr("Department")))
        top.addWidget(self.department)

        # --- Check ------------------------------------------------------------------------------
        self.check_table: QTableWidget = make_table([self.tr("Indicator")])
        self.alerts = QLabel()
        self.alerts.setWordWrap(True)
        self.alerts.setTextFormat(Qt.TextFormat.PlainText)
        check_box = QGroupBox(self.tr("Check: indicators against their targets"))
        cl = QVBoxLayout(check_box)
        cl.addWidget(self.check_table, 1)
        alerts_scroll = QScrollArea()
        alerts_scroll.setWidgetResizable(True)
        alerts_scroll.setWidget(self.alerts)
        alerts_scroll.setMaximumHeight(130)
        alerts_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        cl.addWidget(alerts_scroll)

        # --- Plan / Do --------------------------------------------------------------------------
        self.counts = QLabel()
        self.actions_table: QTableWidget = make_table(
            [self.tr("#"), self.tr("Action"), self.tr("Owner"), self.tr("Deadline"),
             self.tr("Indicator"), self.tr("Status")])
        self.threats_table: QTableWidget = make_table(
            [self.tr("#"), self.tr("Drill"), self.tr("Category"), self.tr("Risk"),
             self.tr("Found"), self.tr("Root cause")])
        plan_box = QGroupBox(self.tr("Plan and do: corrective actions"))
        pl = QVBoxLayout(plan_box)
        pl.addWidget(self.counts)
        pl.addWidget(self.actions_table, 1)
        threat_box = QGroupBox(self.tr("Latent safety threats found this quarter"))
        tl = QVBoxLayout(threat_box)
        tl.addWidget(self.threats_table, 1)

        # --- Act --------------------------------------------------------------------------------
        self.decision_label = QLabel()
        self.decision_label.setWordWrap(True)
        self.decision_label.setTextFormat(Qt.TextFormat.PlainText)
        self.decision = QComboBox()
        for key, text in (("standardise", self.tr("Standardise: adopt the change as the standard")),
                          ("new-cycle", self.tr("Start another PDCA cycle")),
                          ("other", self.tr("Other"))):
            self.decision.addItem(text, key)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("What was decided, and why"))
        self.note.setMaximumHeight(70)
        self.record_button = QPushButton(self.tr("Record decision"))
        self.record_button.clicked.connect(self.record_decision)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        act_box = QGroupBox(self.tr("Act: the decision"))
        al = QVBoxLayout(act_box)
        al.addWidget(self.decision_label)
        form = QFormLayout()
        form.addRow(self.tr("Decision"), self.decision)
        form.addRow(self.tr("Note"), self.note)
        al.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.record_button)
        al.addLayout(row)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(plan_box, 3)
        rl.addWidget(threat_box, 2)
        rl.addWidget(act_box, 0)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(check_box)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([780, 520])
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(split)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        split.setMinimumHeight(560)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        self.refresh()

    def _departments(self) -> list[str]:
        try:
            found = {a.department for a in self.archive.quality_actions()}
            found |= {t.department for t in self.archive.safety_threats()}
            found |= {d.department for d in self.archive.quality_decisions(any_department=True)}
        except SimtoolError:
            return []
        return sorted(d for d in found if d)

    def current_quarter(self) -> str:
        return str(self.quarter.currentData())

    def current_department(self) -> str | None:
        return self.department.currentData()

    # --- showing ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        from simtool.reports.common import Header
        from simtool.reports.qualitypackdata import build_quality_pack
        dep = self.current_department()
        try:
            self.pack = pack = build_quality_pack(self.archive, self.current_quarter(), self.lang,
                                                  Header(department=dep or ""), department=dep)
        except SimtoolError as exc:
            self._say(self.tr("The quarter could not be read: {reason}").format(reason=exc), bad=True)
            return
        t = self.check_table
        t.clear()
        heads = [self.tr("Indicator"), self.tr("Target per drill"), self.tr("Target share"),
                 *pack.quarters, self.tr("Change")]
        t.setColumnCount(len(heads))
        t.setHorizontalHeaderLabels(heads)
        header = t.horizontalHeader()
        for col in range(1, len(heads)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        t.setColumnWidth(0, self.fontMetrics().horizontalAdvance("M") * 16)
        t.setRowCount(len(pack.check))
        for r, c in enumerate(pack.check):
            t.setItem(r, 0, cell(f"{c.label}", data=c.indicator_id))
            t.item(r, 0).setToolTip(f"{c.scenario} · {c.label}")
            t.setItem(r, 1, cell(c.target))
            t.setItem(r, 2, cell(c.target_share))
            for k, (text, below) in enumerate(zip(c.cells, c.below)):
                t.setItem(r, 3 + k, cell(text, None if text == "—" else (BAD if below else GOOD)))
            t.setItem(r, 3 + len(c.cells), cell(c.change))
        if not pack.check:
            self.alerts.setText(self.tr("No ended drill in these quarters: no indicator to check."))
        else:
            q = pack.quarters.index(pack.quarter)
            below = [f"• {c.label}: {c.cells[q]} ({c.target_share})" for c in pack.check if c.below[q]]
            lines = [self.tr("Alerts in {q}:").format(q=pack.quarter)]
            lines += ["• " + a for a in pack.alerts] or [self.tr("none")]
            lines.append(self.tr("Below target in {q}:").format(q=pack.quarter))
            lines += below or [self.tr("none")]
            self.alerts.setText("\n".join(lines))

        counts = {"open": 0, "done": 0, "overdue": 0}
        a_t = self.actions_table
        a_t.setRowCount(len(pack.actions))
        for r, a in enumerate(pack.actions):
            counts[a.status] += 1
            tone = STATUS_TONE.get(a.status)
            for c, text in enumerate([str(a.id), a.title, a.owner, a.deadline, a.indicator,
                                      a.status_text]):
                a_t.setItem(r, c, cell(text, tone if c == 5 or a.status == "overdue" else None,
                                       data=a.id if c == 0 else None))
            if a.note:
                a_t.item(r, 1).setToolTip(f"{a.title}\n— {a.note}")
        self.counts.setText(self.tr("{open} open, {overdue} overdue, {done} done").format(**counts))
        th = self.threats_table
        th.setRowCount(len(pack.threats))
        for r, x in enumerate(pack.threats):
            for c, text in enumerate([str(x.id), f"{x.date} {x.drill}", x.category, x.risk,
                                      " ".join(x.found.split()), " ".join(x.root_cause.split())]):
                th.setItem(r, c, cell(text, RISK_TONE.get(x.risk_band) if c == 3 else None))
        if pack.decision is None:
            self.decision_label.setText(self.tr("No decision recorded for {q} yet.").format(q=pack.quarter))
        else:
            d = pack.decision
            self.decision_label.setText(f"{d.decision}\n{d.note}\n{d.recorded}")

    def overdue_titles(self) -> list[str]:
        """The titles of the actions shown as overdue (what a lead scans the page for)."""
        return [a.title for a in (self.pack.actions if self.pack else ()) if a.status == "overdue"]

    # --- Act -------------------------------------------------------------------------------------
    def record_decision(self) -> bool:
        from simtool.app import quality
        try:
            quality.decide(self.archive, self.current_quarter(), str(self.decision.currentData()),
                           self.note.toPlainText(), self.current_department())
        except SimtoolError as exc:
            self._say(self.tr("Not recorded: {reason}").format(reason=exc), bad=True)
            return False
        self.note.clear()
        self._say(self.tr("Decision recorded."))
        self.refresh()
        return True

    def _say(self, text: str, bad: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b71c1c;" if bad else "color: #546e7a;")
