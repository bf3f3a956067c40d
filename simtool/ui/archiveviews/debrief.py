"""The debrief view: replay an archived drill with a time slider, PEARLS prompts and notes.

Moving the slider replays the stored input events up to that moment (``Drill.replay``): the
vitals, the state and the expected actions' statuses shown are the core's at that moment.

The notes typed under each PEARLS phase, and the trainee's optional reflection, are kept in the
archive (``simtool.app.debriefnotes``): a phase is saved a moment after typing stops
(``SAVE_DELAY_MS``), when its box loses the focus, before a debrief PDF is exported and when
the view is hidden, closed or rebuilt in another language (``save_notes``); the view shows
them again when it is opened, after a restart too. A note the archive refuses (too long, a
control character, the archive locked or read-only) stays in its box and is tried again,
with one sentence saying why it is not saved.
"""

from __future__ import annotations

import importlib
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QColor, QFont, QHideEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPlainTextEdit, QScrollArea, QSlider,
    QSplitter, QTableWidget, QTabWidget, QVBoxLayout, QWidget,
)

from simtool.app import debriefnotes
from simtool.core import assess
from simtool.core.drill import Drill
from simtool.core.errors import SimtoolError
from simtool.store import Archive
from simtool.ui.archiveviews.common import ArchivedDrill, cell, heading, make_table
from simtool.ui.archiveviews.exports import ExportBar
from simtool.ui.chart import Band, Series, VitalsChart
from simtool.ui.display import (
    INFO, NEUTRAL, badge_style, mmss, number, outcome_text, outcome_tone, span, status_text,
    status_tone, wall_day,
)
from simtool.ui.eventlog import EventWords

PEARLS = ("reactions", "description", "analysis", "summary")
REFLECTION = "reflection"      # the trainee's own, optional
NOTE_PHASES = PEARLS + (REFLECTION,)
SAVE_DELAY_MS = 800            # a note is saved this long after typing stops
FUTURE = QColor("#9aa5ab")


def _monitor_class() -> type | None:
    """The patient monitor widget if that module exists yet (it is built separately)."""
    try:
        module = importlib.import_module("simtool.ui.monitor")
    except ImportError:
        return None
    return getattr(module, "PatientMonitor", None)


class MomentChart(VitalsChart):
    """The vitals chart with a vertical line at the slider's moment."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.moment = 0.0

    def set_moment(self, t: float) -> None:
        self.moment = t
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        plot = self._plot
        if plot is None or self.duration_s <= 0:
            return
        x = plot.left() + plot.width() * min(self.moment, self.duration_s) / self.duration_s
        p = QPainter(self)
        p.setPen(QPen(QColor("#0d3c61"), 2))
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        p.end()


class DebriefView(QWidget):
    """Replay of one archived drill. ``moment_changed(t)`` after the view shows moment ``t``."""

    moment_changed = Signal(float)

    def __init__(self, archive: Archive, drill_id: str, lang: str = "en",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive, self.drill_id, self.lang = archive, drill_id, lang
        self.record = ArchivedDrill.load(archive, drill_id, lang)
        self.moment = 0.0
        rec, final = self.record, self.record.final
        sc = rec.loaded.scenario
        people = [{"id": p.id, "name": p.name, "role": p.role} for p in rec.info.participants]
        self.words = EventWords(rec.loaded, people, lang)
        self.words.follow([e.to_dict() for e in final.events])
        self.final_expected = {s.id: s for s in assess.all_expected(final, final=True)}

        # --- header ----------------------------------------------------------------------------
        title = heading(sc.title.get(lang))
        out = assess.outcome(final)
        outcome = QLabel(outcome_text(str(out["result"])))
        outcome.setStyleSheet(badge_style(outcome_tone(str(out["result"]))))
        who = ", ".join(f"{p.name} ({self.words.role(p.role)})" for p in rec.info.participants)
        facts = QLabel(self.tr("{date} · {people} · {length} · blood loss {loss} mL").format(
            date=wall_day(rec.info.started_at), people=who or self.tr("no participants"),
            length=span(rec.end_t, self.lang), loss=out["blood_loss_ml"]))
        facts.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addWidget(outcome)
        top.addStretch(1)

        # --- the slider ------------------------------------------------------------------------
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, int(round(rec.end_t)))
        self.slider.setSingleStep(5)
        self.slider.setPageStep(60)
        self.time_label = QLabel()
        self.time_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("000:00 / 000:00") + 8)
        slider_row = QHBoxLayout()
        slider_row.addWidget(QLabel(self.tr("Moment")))
        slider_row.addWidget(self.slider, 1)
        slider_row.addWidget(self.time_label)
        # replaying takes tens of ms: follow a dragged slider at most every 40 ms
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(40)
        self._debounce.timeout.connect(lambda: self.set_moment(self.slider.value()))
        self.slider.valueChanged.connect(lambda _v: self._debounce.start())

        # --- vitals of the moment --------------------------------------------------------------
        self.vital_labels: dict[str, QLabel] = {}
        tiles = QGridLayout()
        names = [("hr", self.tr("HR")), ("bp", self.tr("NIBP")), ("spo2", self.tr("SpO₂")),
                 ("rr", self.tr("RR")), ("etco2", self.tr("EtCO₂")), ("temp", self.tr("Temp")),
                 ("loss", self.tr("Blood loss")), ("state", self.tr("State"))]
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.6)
        big.setBold(True)
        for i, (key, name) in enumerate(names):
            caption = QLabel(name)
            caption.setStyleSheet("color: #546e7a;")
            value = QLabel("—")
            value.setFont(big if key != "state" else self.font())
            value.setWordWrap(key == "state")
            value.setObjectName(f"vital_{key}")
            self.vital_labels[key] = value
            tiles.addWidget(caption, 0, i)
            tiles.addWidget(value, 1, i)
        tiles.setColumnStretch(len(names) - 1, 2)
        vitals_box = QFrame()
        vitals_box.setFrameShape(QFrame.Shape.StyledPanel)
        vitals_box.setLayout(tiles)
        monitor_cls = _monitor_class()
        self.monitor: Any = monitor_cls() if monitor_cls is not None else None

        # --- chart and timeline ----------------------------------------------------------------
        self.chart = MomentChart()
        self.chart.setMinimumHeight(200)
        states = [(e.t, e.state) for e in final.events
                  if e.kind in ("start", "state") and e.state]
        bands = [Band(t, states[i + 1][0] if i + 1 < len(states) else rec.end_t,
                      self.words.state(s)) for i, (t, s) in enumerate(states)]
        self.chart.set_data(archive.vitals(drill_id), bands, rec.end_t, [
            Series("hr", self.tr("HR (/min)"), "#1b873f"),
            Series("sbp", self.tr("SBP (mmHg)"), "#c62828"),
            Series("spo2", self.tr("SpO₂ (%)"), "#1565c0"),
            Series("blood_loss_ml", self.tr("Blood loss (mL, right axis)"), "#6d4c41",
                   right_axis=True, dashed=True)])
        self.timeline: QTableWidget = make_table(
            [self.tr("Time"), self.tr("Event"), self.tr("Who"), self.tr("Details")])
        self._timeline_events = list(final.events)
        for r_event in self._timeline_events:
            r = self.timeline.rowCount()
            self.timeline.insertRow(r)
            d = r_event.to_dict()
            for c, text in enumerate([mmss(r_event.t), self.words.what(d), self.words.who(d),
                                      self.words.details(d)]):
                self.timeline.setItem(r, c, cell(text, data=r_event.seq if c == 0 else None))
        self.timeline.cellDoubleClicked.connect(
            lambda row, _c: self.slider.setValue(int(round(self._timeline_events[row].t))))

        # --- expected actions ------------------------------------------------------------------
        self.expected: QTableWidget = make_table(
            [self.tr("Expected action"), self.tr("At this moment"), self.tr("Final"),
             self.tr("Done at"), self.tr("Due by")])
        self._expected_labels = {ex.id: ex.label.get(lang) for ex in sc.expected}

        # --- PEARLS ----------------------------------------------------------------------------
        prompts = {
            "reactions": (self.tr("Reactions"), self.tr(
                "How are you feeling? What was that like? (Let every participant vent first.)")),
            "description": (self.tr("Description"), self.tr(
                "Can someone summarise what the case was about and what happened?")),
            "analysis": (self.tr("Analysis"), self.tr(
                "What went well and why? What would you change? Learner self-assessment, "
                "focused facilitation, directive feedback where needed.")),
            "summary": (self.tr("Summary"), self.tr(
                "What are the take-home messages? What will you do differently next time?")),
            REFLECTION: (self.tr("Reflection (trainee, optional)"), self.tr(
                "In the trainee's own words: what did you learn, and what will you do "
                "differently?")),
        }
        self.notes_edits: dict[str, QPlainTextEdit] = {}
        pearls = QWidget()
        pearls_layout = QVBoxLayout(pearls)
        for key in NOTE_PHASES:
            head, prompt = prompts[key]
            box = QGroupBox(head)
            inner = QVBoxLayout(box)
            text = QLabel(prompt)
            text.setWordWrap(True)
            text.setStyleSheet("color: #37474f;")
            edit = QPlainTextEdit()
            edit.setPlaceholderText(self.tr("Notes"))
            edit.setMinimumHeight(60)
            inner.addWidget(text)
            inner.addWidget(edit)
            self.notes_edits[key] = edit
            pearls_layout.addWidget(box)
        pearls_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(pearls)
        # whether the notes are kept, always in sight below the boxes
        self.notes_status = QLabel(self.tr("Notes are saved in the archive as you type."))
        self.notes_status.setWordWrap(True)
        self.notes_status.setStyleSheet("color: #546e7a;")
        pearls_page = QWidget()
        pearls_page_layout = QVBoxLayout(pearls_page)
        pearls_page_layout.setContentsMargins(0, 0, 0, 0)
        pearls_page_layout.addWidget(scroll, 1)
        pearls_page_layout.addWidget(self.notes_status)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.expected, self.tr("Expected actions"))
        self.tabs.addTab(pearls_page, self.tr("PEARLS debrief"))
        # latent safety threats found in this debrief (issue 21: simtool.ui.archiveviews.threats)
        from simtool.ui.archiveviews.threats import ThreatsPanel
        self.threats = ThreatsPanel(
            archive, drill_id,
            [(e.seq, e.t, self.words.what(e.to_dict())) for e in final.events],
            [(i.id, i.label.get(lang)) for i in sc.indicators])
        self.tabs.addTab(self.threats, self.tr("Safety threats"))
        if self.monitor is not None:  # the bedside look, in a tab so the timeline keeps room
            self.tabs.addTab(self.monitor, self.tr("Monitor"))

        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.chart)
        left.addWidget(self.timeline)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([560, 480])
        left.setSizes([300, 300])

        self.exports = ExportBar(archive.path, drill_id, lang)
        # the PDF is built from the archive: what was just typed goes in first
        self.exports.debrief_button.pressed.connect(self.save_notes)
        self._load_notes()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(facts)
        layout.addLayout(slider_row)
        layout.addWidget(vitals_box)
        layout.addWidget(split, 1)
        layout.addWidget(self.exports)
        self.set_moment(0.0)

    # --- the moment ---------------------------------------------------------------------------
    def set_moment(self, t: float) -> None:
        """Show the drill as it stood at drill time ``t`` (seconds)."""
        t = max(0.0, min(float(t), self.record.end_t))
        self.moment = t
        drill = self.record.at(t)
        if self.slider.value() != int(round(t)):
            self.slider.blockSignals(True)
            self.slider.setValue(int(round(t)))
            self.slider.blockSignals(False)
        self.time_label.setText(f"{mmss(t)} / {mmss(self.record.end_t)}")
        self._show_vitals(drill)
        self._show_timeline(t)
        self._show_expected(drill)
        self.chart.set_moment(t)
        self.moment_changed.emit(t)

    def _show_vitals(self, drill: Drill) -> None:
        v, loss = drill.vitals(), drill.physiology.blood_loss_ml
        values = {"hr": str(v.hr), "bp": f"{v.sbp}/{v.dbp}", "spo2": f"{v.spo2} %",
                  "rr": str(v.rr), "etco2": str(v.etco2), "temp": f"{number(v.temp_c)} °C",
                  "loss": f"{round(loss)} mL", "state": self.words.state(drill.state)}
        for key, text in values.items():
            self.vital_labels[key].setText(text)
        if self.monitor is not None and hasattr(self.monitor, "show_vitals"):
            self.monitor.show_vitals(v, loss)

    def _show_timeline(self, t: float) -> None:
        current = max((r for r, e in enumerate(self._timeline_events) if e.t <= t + 1e-9),
                      default=-1)
        bold = QFont(self.timeline.font())
        bold.setBold(True)
        for r, e in enumerate(self._timeline_events):
            for c in range(self.timeline.columnCount()):
                item = self.timeline.item(r, c)
                item.setForeground(FUTURE if e.t > t + 1e-9 else NEUTRAL.fg_color)
                item.setBackground(INFO.bg_color if r == current else QColor("transparent"))
                item.setFont(bold if r == current else self.timeline.font())
        self.current_row = current
        if current >= 0:
            self.timeline.scrollToItem(self.timeline.item(current, 0))

    def _show_expected(self, drill: Drill) -> None:
        now = assess.all_expected(drill, final=False)
        self.expected.setRowCount(len(now))
        self.statuses_now: dict[str, str] = {}
        for r, s in enumerate(now):
            fin = self.final_expected[s.id]
            self.statuses_now[s.id] = s.status
            self.expected.setItem(r, 0, cell(self._expected_labels.get(s.id, s.id), data=s.id))
            self.expected.setItem(r, 1, cell(status_text(s.status), status_tone(s.status)))
            self.expected.setItem(r, 2, cell(status_text(fin.status), status_tone(fin.status)))
            self.expected.setItem(r, 3, cell(mmss(fin.t) if fin.t is not None else ""))
            self.expected.setItem(r, 4, cell(mmss(fin.due) if fin.due is not None else ""))

    # --- what the lead reads back -------------------------------------------------------------
    def final_statuses(self) -> dict[str, str]:
        return {s: self.final_expected[s].status for s in self.final_expected}

    def notes(self) -> dict[str, str]:
        """The notes as they stand in the boxes (PEARLS phases and the reflection)."""
        return {k: e.toPlainText() for k, e in self.notes_edits.items()}

    def set_notes(self, notes: dict[str, str]) -> None:
        """Put these texts in the boxes; they are saved as typed ones are."""
        for k, text in notes.items():
            if k in self.notes_edits:
                self.notes_edits[k].setPlainText(text)

    # --- notes kept in the archive ------------------------------------------------------------
    def _load_notes(self) -> None:
        """The kept notes into their boxes, then listen for typing."""
        self._unsaved: set[str] = set()
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_notes)
        try:
            kept = debriefnotes.notes(self.archive, self.drill_id)
        except SimtoolError as exc:
            kept = {}
            self._say(self.tr("Notes could not be read: {reason}").format(reason=exc), bad=True)
        for key, edit in self.notes_edits.items():
            if key in kept:
                edit.setPlainText(kept[key].text)
            edit.textChanged.connect(partial(self._typed, key))
            edit.installEventFilter(self)

    def _typed(self, key: str) -> None:
        self._unsaved.add(key)
        self._save_timer.start()   # restarted by every keystroke: saved once typing stops

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FocusOut and watched in self.notes_edits.values():
            self.save_notes()
        return super().eventFilter(watched, event)

    def unsaved_notes(self) -> set[str]:
        """The phases whose text in the box is not (yet) what the archive keeps."""
        return set(self._unsaved)

    def save_notes(self) -> bool:
        """Keep every changed note in the archive now; True when nothing is left unsaved. A
        note the archive refuses stays in its box, unsaved, and the view says why."""
        self._save_timer.stop()
        tried = [k for k in NOTE_PHASES if k in self._unsaved]
        problems = []
        for key in tried:
            try:
                debriefnotes.save_note(self.archive, self.drill_id, key,
                                       self.notes_edits[key].toPlainText())
            except SimtoolError as exc:   # refused or not writable: kept in the box, said why
                problems.append(str(exc))
                continue
            self._unsaved.discard(key)
        if problems:
            self._say(self.tr("Notes not saved: {reason}").format(reason=problems[0]), bad=True)
        elif tried:
            self._say(self.tr("Notes saved."))
        return not problems

    def _say(self, text: str, bad: bool = False) -> None:
        self.notes_status.setText(text)
        self.notes_status.setStyleSheet("color: #b71c1c;" if bad else "color: #546e7a;")

    def take_over(self, old: "DebriefView") -> None:
        """The same drill shown again (another language): a note the old view could not save
        carries on here, still unsaved."""
        for key in old.unsaved_notes():
            if key in self.notes_edits:
                self.notes_edits[key].setPlainText(old.notes_edits[key].toPlainText())

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's name
        self.save_notes()   # another page shown in its place, or the window closing
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.save_notes()
        super().closeEvent(event)

    @property
    def archive_path(self) -> Path:
        return Path(self.archive.path)
