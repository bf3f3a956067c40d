"""The PDCA page (issue 21): one quarter of the department's quality loop on one screen.

* Check — each indicator against its targets over four quarters, under its scenario's title
  (two scenarios may share an indicator's name), and the indicators below target (the
  quality-meeting pack's own figures: ``simtool.reports.qualitypackdata``, built from the
  quality report's ``build_quality`` over ``indicators_report``);
* Plan / Do — the corrective actions the quarter follows up, open, done or overdue (overdue in
  red; the status and deadline first, so they stay in sight on a laptop), and the latent
  safety threats found in the quarter's debriefs, each drill named by when it ran and its
  scenario;
* Act — the quarter's decision (standardise, start another cycle, other) with its note, by
  whom and when, and a button to record one (``simtool.app.quality.decide``; a new decision is
  a new record, the earlier ones stay). The choice starts on the quarter's recorded decision,
  or on none when there is none yet (``simtool.app.quality.pdca``).

Words of the records (categories, statuses, decisions) come from the pack, already in the
page's language; the page's own words are ``self.tr``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QPlainTextEdit, QPushButton, QScrollArea, QSplitter, QTableWidget, QVBoxLayout, QWidget,
)

from simtool.app import quality
from simtool.core.errors import SimtoolError
from simtool.core.timefmt import local
from simtool.store import Archive
from simtool.ui.archiveviews.common import cell, heading
from simtool.ui.dashboard import ScenarioWords
from simtool.ui.display import BAD, GOOD, INFO, WARN, wall
from simtool.ui.tables import make_table

STATUS_TONE = {"overdue": BAD, "done": GOOD}
RISK_TONE = {"extreme": BAD, "high": WARN, "moderate": WARN, "low": GOOD}
ACTION = 3               # the actions' column that takes the room left, its text wrapped
CAP_EM = 9               # the actions' other columns: as wide as their text up to this (then wrapped)
THREAT_CAPS = {2: 16, 3: 18}   # the threats' drill and what was found: at most this many ems (cut)


class _WrappingTable(QTableWidget):
    """Rows as tall as their wrapped text at the table's width of the moment."""

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.resizeRowsToContents()


def wrapping_table(headers: list[str], wide: int) -> QTableWidget:
    """A read-only table of short columns and one long one (``wide``): the short ones as wide
    as their text up to ``CAP_EM`` (``fit_columns``), the long one stretched over the room
    left; text wraps and rows grow to hold it, so nothing important slides off to the right
    on a 1366-pixel laptop."""
    t = _WrappingTable(0, len(headers))   # make_table's, without its last-column stretch
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setWordWrap(True)
    header = t.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setStretchLastSection(False)
    for col in range(len(headers)):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(wide, QHeaderView.ResizeMode.Stretch)
    return t


def fit_columns(t: QTableWidget, wide: int) -> None:
    """Each column but ``wide`` as wide as its header and text, up to ``CAP_EM``."""
    em = t.fontMetrics().horizontalAdvance("M")
    header = t.horizontalHeader()
    for col in range(t.columnCount()):
        if col == wide:
            continue
        items = [t.item(r, col) for r in range(t.rowCount())]
        need = max([header.sectionSizeHint(col)] + [t.fontMetrics().horizontalAdvance(i.text()) + 12
                                                     for i in items if i is not None])
        t.setColumnWidth(col, min(need, max(header.sectionSizeHint(col), em * CAP_EM)))
    t.resizeRowsToContents()


class PdcaView(QWidget):
    def __init__(self, archive: Archive, lang: str = "en", parent: QWidget | None = None,
                 quarter: str | None = None, department: str | None = None) -> None:
        super().__init__(parent)
        from simtool.store.quality import previous_quarters, quarter_of
        self.archive, self.lang = archive, lang
        self.pack = None
        self.words = ScenarioWords(lang)   # scenario and station titles, by id
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
        # what a lead scans for first — the status and the deadline — on the left, the action
        # wrapped in the room left; the owner and the indicator after it, wrapped too
        self.actions_table = wrapping_table(
            [self.tr("#"), self.tr("Status"), self.tr("Deadline"), self.tr("Action"),
             self.tr("Owner"), self.tr("Indicator")], ACTION)
        # the drill, its risk and what was found in sight; the category and root cause after
        self.threats_table: QTableWidget = make_table(
            [self.tr("#"), self.tr("Risk"), self.tr("Drill"), self.tr("Found"),
             self.tr("Category"), self.tr("Root cause")])
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
        self.decision.setPlaceholderText(self.tr("Choose the decision"))
        self.decision.setCurrentIndex(-1)   # the quarter's recorded one once read, else none
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
        # a row naming the scenario above its indicators: two scenarios may have an indicator
        # of the same name ("Time to massive transfusion") with different figures
        scenarios = [c.scenario for c in pack.check]
        starts = {k for k, name in enumerate(scenarios) if k == 0 or scenarios[k - 1] != name}
        t.clearSpans()
        t.setRowCount(len(pack.check) + len(starts))
        r = 0
        for k, c in enumerate(pack.check):
            if k in starts:
                head = cell(c.scenario, INFO)
                font = head.font()
                font.setBold(True)
                head.setFont(font)
                t.setItem(r, 0, head)
                t.setSpan(r, 0, 1, len(heads))
                r += 1
            t.setItem(r, 0, cell(f"{c.label}", data=c.indicator_id))
            t.item(r, 0).setToolTip(f"{c.scenario} · {c.label}")
            t.setItem(r, 1, cell(c.target))
            t.setItem(r, 2, cell(c.target_share))
            for j, (text, below) in enumerate(zip(c.cells, c.below)):
                t.setItem(r, 3 + j, cell(text, None if text == "—" else (BAD if below else GOOD)))
            t.setItem(r, 3 + len(c.cells), cell(c.change))
            r += 1
        if not pack.check:
            self.alerts.setText(self.tr("No ended drill in these quarters: no indicator to check."))
        else:
            q = pack.quarters.index(pack.quarter)
            below = [f"• {c.scenario} · {c.label}: {c.cells[q]} ({c.target_share})"
                     for c in pack.check if c.below[q]]
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
            for c, text in enumerate([str(a.id), a.status_text, a.deadline, a.title, a.owner,
                                      a.indicator]):
                a_t.setItem(r, c, cell(text, tone if c == 1 or a.status == "overdue" else None,
                                       data=a.id if c == 0 else None))
            if a.note:
                a_t.item(r, ACTION).setToolTip(f"{a.title}\n— {a.note}")
        self.counts.setText(self.tr("{open} open, {overdue} overdue, {done} done").format(**counts))
        try:
            kept = quality.pdca(self.archive, pack.quarter, dep)
        except SimtoolError as exc:
            self._say(self.tr("The quarter could not be read: {reason}").format(reason=exc), bad=True)
            return
        found = {x.id: x for x in kept.threats}
        th = self.threats_table
        th.setRowCount(len(pack.threats))
        for r, x in enumerate(pack.threats):
            drill, where = self.drill_words(found.get(x.id), x.date)
            for c, text in enumerate([str(x.id), x.risk, drill, " ".join(x.found.split()), x.category,
                                      " ".join(x.root_cause.split())]):
                th.setItem(r, c, cell(text, RISK_TONE.get(x.risk_band) if c == 1 else None))
            th.item(r, 2).setToolTip(where)
        fit_columns(a_t, ACTION)
        em = th.fontMetrics().horizontalAdvance("M")
        for col, most in THREAT_CAPS.items():   # cut, the whole text in the cell's tooltip
            th.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            th.resizeColumnToContents(col)
            th.setColumnWidth(col, min(th.columnWidth(col), em * most))
        th.resizeRowsToContents()
        if pack.decision is None:
            self.decision_label.setText(self.tr("No decision recorded for {q} yet.").format(q=pack.quarter))
        else:
            d = pack.decision
            self.decision_label.setText(f"{d.decision}\n{d.note}\n{d.recorded}")
        recorded = kept.decision.decision if kept.decision is not None else None
        self.decision.setCurrentIndex(self.decision.findData(recorded) if recorded else -1)

    def drill_words(self, threat: Any, day: str) -> tuple[str, str]:
        """A threat's drill as the table names it — when it ran, then its scenario's title
        ("2026-11-30 13:12" over "Postpartum haemorrhage …") — and its tooltip (the title,
        the time with its zone, the drill's id)."""
        if threat is None:        # not in the quarter's records (cannot happen): the day alone
            return day, day
        when = local(threat.drill_started_at)
        short = when.strftime("%Y-%m-%d %H:%M") if when is not None else day
        title = self.words.title(threat.scenario_id) if threat.scenario_id else ""
        text = f"{short}\n{title}" if title else short   # two lines: when, then what
        return text, "\n".join(x for x in (title, wall(threat.drill_started_at, self.lang),
                                          self.tr("drill %1").replace("%1", threat.drill_id)) if x)

    def overdue_titles(self) -> list[str]:
        """The titles of the actions shown as overdue (what a lead scans the page for)."""
        return [a.title for a in (self.pack.actions if self.pack else ()) if a.status == "overdue"]

    # --- Act -------------------------------------------------------------------------------------
    def record_decision(self) -> bool:
        if self.decision.currentIndex() < 0:
            self._say(self.tr("Not recorded: choose the decision first."), bad=True)
            return False
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
