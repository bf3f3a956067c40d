"""The results of a headless run: outcome, vitals chart, and the record in tables.

Everything shown is read from the ``simtool run --json`` object (``runner.result``); this
module only chooses words, colours and the scenario's labels for the ids it contains.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QPushButton, QSplitter,
    QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from simtool.core.events import Event
from simtool.core.flagtext import flag_text
from simtool.ui.chart import Band, Series, VitalsChart
from simtool.ui.display import (
    WARN, Tone, condition_text, mmss, number, outcome_text, outcome_tone, span, status_text,
    status_tone,
)
from simtool.ui.eventlog import EventWords
from simtool.ui.runform import RunRequest
from simtool.ui.tables import make_table

if TYPE_CHECKING:
    from simtool.core.scenario import Scenario


@dataclass(frozen=True)
class RunRecord:
    """A finished headless run: what was asked and what the core returned."""

    request: RunRequest
    data: dict[str, Any]


def _fill(table: QTableWidget, rows: list[list[str]], tones: list[Tone | None] | None = None,
          tone_col: int | None = None) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            tone = tones[r] if tones else None
            if tone is not None and (tone_col is None or c == tone_col):
                item.setForeground(tone.fg_color)
                item.setBackground(tone.bg_color)
            table.setItem(r, c, item)


class ResultsView(QWidget):
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run: RunRecord | None = None
        self._lang = "en"

        self.back_button = QPushButton(self.tr("← Back to library"))
        self.back_button.clicked.connect(self.back_requested)
        self.title = QLabel()
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.15)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.subtitle = QLabel()
        self.subtitle.setStyleSheet("color: #546e7a;")
        self.subtitle.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        heading = QVBoxLayout()
        heading.setSpacing(0)
        heading.addWidget(self.title)
        heading.addWidget(self.subtitle)
        top.addLayout(heading, 1)

        self.banner = QFrame()
        self.outcome = QLabel()
        banner_font = QFont(self.font())
        banner_font.setPointSizeF(banner_font.pointSizeF() * 1.5)
        banner_font.setBold(True)
        self.outcome.setFont(banner_font)
        self.outcome_detail = QLabel()
        self.outcome_detail.setWordWrap(True)
        bl = QVBoxLayout(self.banner)
        bl.setContentsMargins(14, 8, 14, 8)
        bl.setSpacing(2)
        bl.addWidget(self.outcome)
        bl.addWidget(self.outcome_detail)

        self.chart = VitalsChart()

        self.expected_table = make_table([self.tr("Expected action"), self.tr("Status"),
                                      self.tr("Done at"), self.tr("Window closed")])
        self.indicator_table = make_table([self.tr("Indicator"), self.tr("Time"), self.tr("Target"),
                                       self.tr("Result")])
        self.states_table = make_table([self.tr("Entered at"), self.tr("State"), self.tr("Phase"),
                                    self.tr("Why")])
        self.flags_table = make_table([self.tr("Time"), self.tr("Action"), self.tr("Rule"),
                                   self.tr("Message")])
        self.events_table = make_table([self.tr("Time"), self.tr("Event"), self.tr("Who"),
                                    self.tr("Details")])
        scoring = QWidget()
        sl = QVBoxLayout(scoring)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addWidget(self._heading(self.tr("Expected actions")))
        sl.addWidget(self.expected_table, 3)
        sl.addWidget(self._heading(self.tr("Indicators")))
        sl.addWidget(self.indicator_table, 2)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.states_table, self.tr("States"))
        self.tabs.addTab(self.flags_table, self.tr("Flags"))
        self.tabs.addTab(self.events_table, self.tr("Event log"))
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(scoring)
        bottom.addWidget(self.tabs)
        bottom.setSizes([560, 680])
        bottom.setChildrenCollapsible(False)
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(self.chart)
        body.addWidget(bottom)
        body.setSizes([330, 360])
        body.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(body, 1)

    @staticmethod
    def _heading(text: str) -> QLabel:
        label = QLabel(f"<b>{text}</b>")
        return label

    # --- public -------------------------------------------------------------------------------
    def show_run(self, run: RunRecord, lang: str) -> None:
        self.run, self._lang = run, lang
        self._render()

    def set_language(self, lang: str) -> None:
        self._lang = lang
        if self.run is not None:
            self._render()

    # --- rendering ----------------------------------------------------------------------------
    def _render(self) -> None:
        assert self.run is not None
        req, data, lang = self.run.request, self.run.data, self._lang
        sc: Scenario = req.loaded.scenario
        words = EventWords(req.loaded, data.get("participants", []), lang)
        self.title.setText(sc.title.get(lang))
        patient = data["patient"]
        conds = ", ".join(condition_text(c) for c in patient["conditions"]) or self.tr("none")
        self.subtitle.setText(self.tr(
            "Script: {script} · weight {weight} kg · conditions: {conds} · version {version}"
        ).format(script=req.script_label, weight=number(patient["weight_kg"]), conds=conds,
                 version=sc.version))
        self._render_outcome(sc, data)

        states = data["states"]
        end_t = data["outcome"]["t"]
        bands = [Band(s["t"], states[i + 1]["t"] if i + 1 < len(states) else end_t,
                      words.state(s["state"])) for i, s in enumerate(states)]
        self.chart.set_data(data["vitals"], bands, end_t, [
            Series("hr", self.tr("HR (/min)"), "#1b873f"),
            Series("sbp", self.tr("SBP (mmHg)"), "#c62828"),
            Series("spo2", self.tr("SpO₂ (%)"), "#1565c0"),
            Series("blood_loss_ml", self.tr("Blood loss (mL, right axis)"), "#6d4c41",
                   right_axis=True, dashed=True),
        ])

        expected = {e.id: e for e in sc.expected}
        rows, tones = [], []
        for ex in data["expected"]:
            label = expected[ex["id"]].label.get(lang) if ex["id"] in expected else ex["id"]
            rows.append([label, status_text(ex["status"]), mmss(ex.get("t")), mmss(ex.get("due"))])
            tones.append(status_tone(ex["status"]))
        _fill(self.expected_table, rows, tones, tone_col=1)

        indicators = {i.id: i for i in sc.indicators}
        rows, tones = [], []
        for ind in data["indicators"]:
            label = indicators[ind["id"]].label.get(lang) if ind["id"] in indicators else ind["id"]
            met = ind["met"]
            result = {True: "met", False: "missed", None: "not applicable"}[met]
            shown = {True: self.tr("within target"), False: self.tr("not met"),
                     None: self.tr("not applicable")}[met]
            rows.append([label, span(ind["seconds"], lang), span(ind["target_s"], lang), shown])
            tones.append(status_tone(result))
        _fill(self.indicator_table, rows, tones, tone_col=3)

        words.follow(data["events"])
        previous = [None] + [s["state"] for s in states[:-1]]
        rows = [[mmss(s["t"]), words.state(s["state"]), words.phase_of(s["state"]),
                 words.cause(e, before)]
                for s, e, before in zip(states, words.state_causes(data["events"]), previous,
                                         strict=True)]
        _fill(self.states_table, rows)

        by_seq = {e["seq"]: e for e in data["events"]}
        rows = [[mmss(f["t"]), words.action(f["action"]), words.rule(f["kind"]),
                 flag_text(req.loaded, Event.from_dict(by_seq[f["seq"]]), lang)
                 if f.get("seq") in by_seq else f["message"] or ""]
                for f in data["flags"]]
        _fill(self.flags_table, rows, [WARN] * len(rows))
        self.tabs.setTabText(1, self.tr("Flags ({n})").format(n=len(rows)))

        rows, tones = [], []
        for e in data["events"]:
            rows.append([mmss(e["t"]), words.what(e), words.who(e), words.details(e)])
            tones.append(WARN if e["kind"] == "flag" else None)
        _fill(self.events_table, rows, tones)
        self.tabs.setTabText(2, self.tr("Event log ({n})").format(n=len(rows)))

    def _render_outcome(self, sc: Scenario, data: dict[str, Any]) -> None:
        o = data["outcome"]
        tone = outcome_tone(o["result"])
        state = sc.state_index.get(o["state"])
        state_label = state.label.get(self._lang) if state else o["state"]
        self.outcome.setText(f"{outcome_text(o['result'])} — {state_label}")
        reached = data["states"][-1]["t"]
        self.outcome_detail.setText(self.tr(
            "Blood loss {loss} mL · last state entered at {entered} · run ended at {end}"
        ).format(loss=f"{o['blood_loss_ml']:,}".replace(",", " "), entered=mmss(reached),
                 end=mmss(o["t"])))
        self.banner.setStyleSheet(
            f"QFrame {{ background: {tone.bg}; border-radius: 6px; }}"
            f" QLabel {{ color: {tone.fg}; background: transparent; }}")
