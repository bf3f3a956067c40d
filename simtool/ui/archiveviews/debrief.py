"""The debrief view: replay an archived drill with a time slider, PEARLS prompts and notes.

The player (issue 23): play/pause at 1×, 2× or 4×, the slider, a click on an event or a flag
and "Next flag" move the drill clock, and the video (``videopanel``: Qt Multimedia, loaded only
here), the vitals of the moment, the chart's position line and the timeline follow it. The
vitals, the state and the expected actions' statuses shown are the core's at that moment,
kept for every second by one forward replay (``moments.Moments``) so any moment shows within
a frame. The timeline's "#" column gives each entry the record's event number (its ``seq``:
the number the score sheet's evidence, ``simtool events``/``amend`` and the safety threats
use), and the chart marks each action and flag with that same number, without two numbers
overlapping. The monitor tab shows the moment as recorded: its clock follows the slider and
its live-only controls are hidden (``replay_monitor``).

The notes typed under each PEARLS phase, and the trainee's optional reflection, are kept in the
archive (``simtool.app.debriefnotes``): a phase is saved a moment after typing stops
(``SAVE_DELAY_MS``), when its box loses the focus, before a debrief PDF is exported and when
the view is hidden, closed or rebuilt in another language (``save_notes``); the view shows
them again when it is opened, after a restart too. A note the archive refuses (too long, a
control character, the archive locked or read-only) stays in its box and is tried again,
with one sentence saying why it is not saved.
"""

from __future__ import annotations

import html
import importlib
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QElapsedTimer, QEvent, QObject, QPoint, QPointF, QRectF, Qt, QTimer, Signal,
)
from PySide6.QtGui import (
    QCloseEvent, QColor, QFont, QFontMetrics, QHideEvent, QKeySequence, QPainter, QPaintEvent,
    QPen, QPixmap, QRegion, QShortcut,
)
from PySide6.QtWidgets import (
    QComboBox, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit,
    QPushButton, QScrollArea, QSlider, QSplitter, QTableWidget, QTabWidget, QVBoxLayout, QWidget,
)

from simtool.app import debriefnotes
from simtool.core import assess
from simtool.core.errors import SimtoolError
from simtool.core.vitalcolours import BLOOD_LOSS_COLOUR, VITAL_COLOURS
from simtool.reports.labels import lanes, spread
from simtool.store import Archive
from simtool.ui.archiveviews.common import ArchivedDrill, cell, heading, make_table
from simtool.ui.archiveviews.moments import Moment, Moments
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
SPEEDS = (1.0, 2.0, 4.0)
TICK_MS = 40                   # the playing clock's step
MARK_COLOURS = {"action": QColor("#37474f"), "flag": QColor("#c62828")}


def _monitor_class() -> type | None:
    """The patient monitor widget if that module exists yet (it is built separately)."""
    try:
        module = importlib.import_module("simtool.ui.monitor")
    except ImportError:
        return None
    return getattr(module, "PatientMonitor", None)


def replay_monitor(monitor: Any) -> None:
    """The patient monitor made a replay's: it shows recorded moments, so its live-only
    controls (measure the NIBP now, silence the tones, the "sound off" notice) are hidden and
    their keys (N, S) switched off, and the alarms of a moment show without sounding."""
    for name in ("nibp_button", "silence_button", "sound_label", "button_box"):
        widget = getattr(monitor, name, None)
        if isinstance(widget, QWidget):
            widget.hide()
    live_keys = (QKeySequence(Qt.Key.Key_N), QKeySequence(Qt.Key.Key_S))
    for shortcut in monitor.findChildren(QShortcut):
        if shortcut.key() in live_keys:
            shortcut.setEnabled(False)
    sound = getattr(monitor, "sound", None)
    if sound is not None and hasattr(sound, "available"):
        sound.stop()
        sound.available = False   # as when no audio output is there: no tone is played


class MomentChart(VitalsChart):
    """The vitals chart with a vertical line at the slider's moment."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.moment = 0.0
        self.marks: list[tuple[int, float, str]] = []   # (number, drill time, action or flag)
        self._cache: QPixmap | None = None
        self._cache_key: tuple = ()
        self._caching = False
        self.mark_boxes: list[tuple[int, QRectF]] = []   # where the last paint put each number

    def set_moment(self, t: float) -> None:
        self.moment = t
        self.update()

    def set_marks(self, marks: list[tuple[int, float, str]]) -> None:
        self.marks = sorted(marks, key=lambda m: (m[1], m[0]))
        self.update()

    def _draw_marks(self, p: QPainter, plot: QRectF) -> None:
        """A dashed line at each mark's time and its number in a row along the top of the plot,
        spread apart in order (so numbers never overlap and their leaders never cross)."""
        self.mark_boxes = []
        if not self.marks:
            return
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() * 0.8, 6.0))
        fm = QFontMetrics(font)
        p.setFont(font)
        xs = [plot.left() + plot.width() * min(t, self.duration_s) / self.duration_s
              for _n, t, _k in self.marks]
        # a box as wide as its number: event numbers run to two or three digits
        widths = [fm.horizontalAdvance(str(n)) + 6.0 for n, _t, _k in self.marks]
        lo, hi = plot.left(), plot.right()
        lefts = spread(xs, widths, lo, hi, 2.0)
        rows = [0] * len(self.marks)
        if lefts is None:   # too many for one row: two rows, every other number
            odd = spread(xs[::2], widths[::2], lo, hi, 2.0)
            even = spread(xs[1::2], widths[1::2], lo, hi, 2.0)
            if odd is not None and even is not None:
                lefts = [0.0] * len(xs)
                lefts[::2], lefts[1::2] = odd, even
                rows = [i % 2 for i in range(len(xs))]
            else:   # too many for two: each over its time, in as many rows as it takes
                lefts = [min(max(x - w / 2, lo), hi - w) for x, w in zip(xs, widths)]
                rows = lanes([(left, left + w) for left, w in zip(lefts, widths)], 2.0)
        h = fm.height()
        for (n, _t, kind), x, left, w, row in zip(self.marks, xs, lefts, widths, rows):
            colour = MARK_COLOURS.get(kind, MARK_COLOURS["action"])
            box = QRectF(left, plot.top() + 2 + row * (h + 2), w, h)
            p.setPen(QPen(colour, 1, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(x, plot.bottom()), QPointF(x, box.bottom() + 3))
            p.setPen(QPen(colour, 1))
            p.drawLine(QPointF(x, box.bottom() + 3), QPointF(box.center().x(), box.bottom()))
            p.fillRect(box, QColor("#ffffff"))
            p.drawRect(box)
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, str(n))
            self.mark_boxes.append((n, box))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        """The curves, bands and axes drawn once into a picture (they do not move), then the
        marks and the moment's line over it: a moment shown repaints in well under a frame."""
        if self._caching:
            super().paintEvent(event)
            return
        ratio = self.devicePixelRatioF()
        key = (self.width(), self.height(), ratio, id(self.samples), len(self.series),
               tuple(self.marks), self.duration_s)
        if self._cache is None or self._cache_key != key:
            pm = QPixmap(int(self.width() * ratio), int(self.height() * ratio))
            pm.setDevicePixelRatio(ratio)
            pm.fill(QColor("white"))
            self._caching = True
            try:
                self.render(pm, QPoint(), QRegion(), QWidget.RenderFlag.DrawChildren)
            finally:
                self._caching = False
            # the numbered marks do not move either: laid out once, with the picture
            self.mark_boxes = []
            if self._plot is not None and self.duration_s > 0:
                pc = QPainter(pm)
                self._draw_marks(pc, self._plot)
                pc.end()
            self._cache, self._cache_key = pm, key
        p0 = QPainter(self)
        p0.drawPixmap(0, 0, self._cache)
        p0.end()
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
        self.moments = Moments(self.record)
        self.moments.build_some(60)
        self._building = QTimer(self)   # keep every second's moment, a slice at a time
        self._building.setInterval(0)
        self._building.timeout.connect(
            lambda: self.moments.build_some(120) and self._building.stop())
        self._building.start()
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
        self.play_button = QPushButton(self.tr("Play"))
        self.play_button.setCheckable(True)
        self.play_button.toggled.connect(self.set_playing)
        self.speed = QComboBox()
        for rate in SPEEDS:
            self.speed.addItem(f"{rate:g}×", rate)
        self.speed.setToolTip(self.tr("Playback speed"))
        self.next_flag_button = QPushButton(self.tr("Next flag"))
        self.next_flag_button.clicked.connect(self.next_flag)
        slider_row = QHBoxLayout()
        slider_row.addWidget(self.play_button)
        slider_row.addWidget(self.speed)
        slider_row.addWidget(self.slider, 1)
        slider_row.addWidget(self.time_label)
        slider_row.addWidget(self.next_flag_button)
        # every moment is kept (``Moments``): the slider is followed as it moves
        self.slider.valueChanged.connect(self._slid)
        self._clock = QTimer(self)     # the playing drill clock
        self._clock.setInterval(TICK_MS)
        self._clock.timeout.connect(self._tick)
        self._elapsed = QElapsedTimer()

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
            # a number in large bold type, its unit small beside it (as on the monitor)
            value.setTextFormat(Qt.TextFormat.PlainText if key == "state"
                                else Qt.TextFormat.RichText)
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
        if self.monitor is not None:
            replay_monitor(self.monitor)

        # --- chart and timeline ----------------------------------------------------------------
        self.chart = MomentChart()
        self.chart.setMinimumHeight(200)
        states = [(e.t, e.state) for e in final.events
                  if e.kind in ("start", "state") and e.state]
        bands = [Band(t, states[i + 1][0] if i + 1 < len(states) else rec.end_t,
                      self.words.state(s)) for i, (t, s) in enumerate(states)]
        # the monitor's colours (simtool.core.vitalcolours): HR green, BP red, SpO₂ cyan
        self.chart.set_data(archive.vitals(drill_id), bands, rec.end_t, [
            Series("hr", self.tr("HR (/min)"), VITAL_COLOURS["hr"]),
            Series("sbp", self.tr("SBP (mmHg)"), VITAL_COLOURS["bp"]),
            Series("spo2", self.tr("SpO₂ (%)"), VITAL_COLOURS["spo2"]),
            Series("blood_loss_ml", self.tr("Blood loss (mL, right axis)"), BLOOD_LOSS_COLOUR,
                   right_axis=True, dashed=True)])
        self.timeline: QTableWidget = make_table(
            [self.tr("#"), self.tr("Time"), self.tr("Event"), self.tr("Who"), self.tr("Details")])
        # flag texts and doses are read whole: the details wrap, rows grow to fit
        self.timeline.setWordWrap(True)
        self.timeline.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self._timeline_events = list(final.events)
        standing = {e.iid for e in final.actions_done()}
        flags = {e.seq for e in final.flags()}
        marks: list[tuple[int, float, str]] = []
        self.flag_times = sorted(final.flag_at(e) for e in final.flags())
        bold = QFont(self.timeline.font())
        bold.setBold(True)
        for r_event in self._timeline_events:
            r = self.timeline.rowCount()
            self.timeline.insertRow(r)
            d = r_event.to_dict()
            # every row by the record's event number (seq): the number the score sheet's
            # evidence ("event 4"), `simtool events`, `simtool amend` and the safety threats
            # use; an action or flag on the chart carries that same number there
            on_chart = (r_event.kind == "action" and r_event.iid in standing) or \
                r_event.seq in flags
            if on_chart:
                kind = "flag" if r_event.kind == "flag" else "action"
                at = final.flag_at(r_event) if kind == "flag" else \
                    (final.effective(r_event.iid) or r_event).t
                marks.append((r_event.seq, at, kind))
            for c, text in enumerate([str(r_event.seq), mmss(r_event.t), self.words.what(d),
                                      self.words.who(d), self.words.details(d)]):
                item = cell(text, data=r_event.seq if c == 0 else None)
                if c == 0 and on_chart:   # bold: this number is on the chart
                    item.setFont(bold)
                    item.setToolTip(self.tr("Event {n}, numbered on the chart").format(
                        n=r_event.seq))
                self.timeline.setItem(r, c, item)
        self.timeline.horizontalHeaderItem(0).setToolTip(self.tr(
            "The record's event number, as the score sheet's evidence and the safety threats "
            "give it; in bold, the actions and flags numbered on the chart"))
        self.chart.set_marks(marks)
        if not self.flag_times:   # nothing to go to: said, rather than a button doing nothing
            self.next_flag_button.setEnabled(False)
            self.next_flag_button.setToolTip(self.tr("No flags were raised in this drill."))
        else:
            self.next_flag_button.setToolTip(self.tr("Go to the next flag"))
        self.timeline.cellClicked.connect(lambda row, _c: self.jump_to_event(row))

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
        from simtool.store.media import media_of
        from simtool.ui.archiveviews.videopanel import VideoPanel
        try:
            videos = media_of(archive, drill_id)
        except SimtoolError:
            videos = []
        self.video = VideoPanel(videos)
        self.video.attach_requested.connect(self.ask_for_video)
        self.attach_dialog: Any = None
        right = QSplitter(Qt.Orientation.Vertical)
        self._right = right
        right.addWidget(self.video)
        right.addWidget(self.tabs)
        right.setSizes([self._video_height(), 440])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
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

    # --- video ------------------------------------------------------------------------------
    def _video_height(self) -> int:
        """The video panel's share of the right column: a picture, or its button and the line
        saying why there is none (room for three wrapped lines, in any language)."""
        if self.video.view is not None:
            return 260
        lines = 3 * self.video.status.fontMetrics().lineSpacing()
        return self.video.attach_button.sizeHint().height() + lines + 12

    def ask_for_video(self) -> None:
        """Choose a recording, then line it up with the drill in the Attach video dialog."""
        from PySide6.QtWidgets import QFileDialog
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Attach a video to this drill"), str(Path.home()),
            self.tr("Videos (*.mp4 *.mov *.m4v *.MP4 *.MOV);;All files (*)"))
        if name:
            self.line_up_video(Path(name))

    def line_up_video(self, file: Path) -> Any:
        """The Attach video dialog for ``file`` (window-modal, not blocking): the moment shown
        now is offered as the one marked, the timeline's actions and markers beside it."""
        from simtool.ui.archiveviews.attachvideo import AttachVideoDialog
        moments = [(e.t, self.words.what(e.to_dict())) for e in self.record.final.events
                   if e.kind in ("action", "marker")]
        dialog = AttachVideoDialog(self.archive.path, self.drill_id, file, self.record.end_t,
                                   moments, self)
        dialog.select_moment(self.moment)
        dialog.attached.connect(self._video_attached)
        dialog.finished.connect(dialog.deleteLater)
        self.attach_dialog = dialog
        dialog.resize(760, 640)
        dialog.open()
        return dialog

    def _video_attached(self, media: Any) -> None:
        """Show the drill's videos again, the one just attached chosen."""
        from simtool.store.media import media_of
        from simtool.ui.archiveviews.videopanel import VideoPanel
        try:
            videos = media_of(self.archive, self.drill_id)
        except SimtoolError:
            videos = []
        old = self.video
        old.stop()
        new = VideoPanel(videos)
        new.attach_requested.connect(self.ask_for_video)
        self._right.replaceWidget(self._right.indexOf(old), new)
        old.deleteLater()
        self.video = new
        index = next((i for i, m in enumerate(videos) if m.id == media.id), len(videos) - 1)
        if index > 0:
            new.chooser.setCurrentIndex(index)
        self._right.setSizes([self._video_height(), 440])
        new.show(self.moment, self.playing, self.rate)

    # --- the moment ---------------------------------------------------------------------------
    def set_moment(self, t: float) -> None:
        """Show the drill as it stood at drill time ``t`` (seconds)."""
        t = max(0.0, min(float(t), self.record.end_t))
        self.moment = t
        now = self.moments.at(t)
        if self.slider.value() != int(round(t)):
            self.slider.blockSignals(True)
            self.slider.setValue(int(round(t)))
            self.slider.blockSignals(False)
        self.time_label.setText(f"{mmss(t)} / {mmss(self.record.end_t)}")
        self._show_vitals(now, t)
        self._show_timeline(t)
        self._show_expected(now)
        self.chart.set_moment(t)
        if hasattr(self, "video"):
            self.video.show(t, self.playing, self.rate)
        self.moment_changed.emit(t)

    # --- playing ------------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self._clock.isActive()

    @property
    def rate(self) -> float:
        return float(self.speed.currentData() or 1.0)

    def set_playing(self, on: bool) -> None:
        """Play from the moment shown (from the start once at the end), or pause."""
        if on and self.moment >= self.record.end_t:
            self.set_moment(0.0)
        if on:
            self._elapsed.start()
            self._clock.start()
        else:
            self._clock.stop()
        if self.play_button.isChecked() != on:
            self.play_button.blockSignals(True)
            self.play_button.setChecked(on)
            self.play_button.blockSignals(False)
        self.play_button.setText(self.tr("Pause") if on else self.tr("Play"))
        self.set_moment(self.moment)

    def _tick(self) -> None:
        dt = self._elapsed.restart() / 1000.0
        t = self.moment + dt * self.rate
        if t >= self.record.end_t:
            self.set_moment(self.record.end_t)
            self.set_playing(False)
            return
        self.set_moment(t)

    def _slid(self, value: int) -> None:
        if abs(value - self.moment) >= 0.5:
            self.set_moment(float(value))

    def jump_to_event(self, row: int) -> None:
        """Show the moment of the timeline's row ``row`` (a corrected action at its time)."""
        if 0 <= row < len(self._timeline_events):
            e = self._timeline_events[row]
            final = self.record.final
            if e.kind == "flag":
                t = final.flag_at(e)
            elif e.kind == "action" and e.iid is not None and final.effective(e.iid) is not None:
                t = final.effective(e.iid).t
            else:
                t = e.t
            self.set_moment(t)

    def next_flag(self) -> None:
        """The next flag after the moment shown (the first one again after the last)."""
        later = [t for t in self.flag_times if t > self.moment + 0.5]
        if later or self.flag_times:
            self.set_moment(later[0] if later else self.flag_times[0])

    def _show_vitals(self, now: Moment, t: float) -> None:
        """The vitals of the moment ``t`` shown, each with its unit (as on the monitor and the
        chart), and the monitor tab at that moment, its clock and NIBP time included."""
        v, loss = now.vitals, now.blood_loss_ml
        per_min = self.tr("/min")
        unit = f'<span style="font-size:{self.font().pointSizeF():g}pt; font-weight:normal; ' \
            'color:#546e7a;"> {}</span>'
        values = {"hr": (v.hr, per_min), "bp": (f"{v.sbp}/{v.dbp}", "mmHg"), "spo2": (v.spo2, "%"),
                  "rr": (v.rr, per_min), "etco2": (v.etco2, "mmHg"),
                  "temp": (number(v.temp_c), "°C"), "loss": (round(loss), "mL")}
        for key, (value, name) in values.items():
            self.vital_labels[key].setText(f"{value}{unit.format(html.escape(name))}")
        self.vital_labels["state"].setText(self.words.state(now.state))
        if self.monitor is not None and hasattr(self.monitor, "show_vitals"):
            self.monitor.show_vitals(v, loss, t)

    def _show_timeline(self, t: float) -> None:
        """Grey the rows after ``t``, mark the last one at or before it. Only the rows whose
        look changes are touched: restyling every row re-measures the wrapped table."""
        current = max((r for r, e in enumerate(self._timeline_events) if e.t <= t + 1e-9),
                      default=-1)
        before = getattr(self, "current_row", None)
        if before == current:
            return   # the same row is current: the table already shows this moment
        rows = range(self.timeline.rowCount()) if before is None else \
            sorted(set(range(min(before, current), max(before, current) + 1)) - {-1})
        # (colours only: a font change would make the table measure every wrapped row again)
        for r in rows:
            e = self._timeline_events[r]
            for c in range(self.timeline.columnCount()):
                item = self.timeline.item(r, c)
                item.setForeground(FUTURE if e.t > t + 1e-9 else NEUTRAL.fg_color)
                item.setBackground(INFO.bg_color if r == current else QColor("transparent"))
        self.current_row = current
        if current >= 0:
            self.timeline.scrollToItem(self.timeline.item(current, 0))

    def _show_expected(self, now: Moment) -> None:
        if getattr(self, "_expected_shown", None) == now.expected:
            return   # the same statuses as the moment before: nothing to redraw
        before = getattr(self, "_expected_shown", None)
        self._expected_shown = now.expected
        self.statuses_now: dict[str, str] = dict(now.expected)
        if before is not None and [sid for sid, _ in before] == [sid for sid, _ in now.expected]:
            # the same rows: change only the statuses that changed, in place
            for r, ((sid, status), (_, was)) in enumerate(zip(now.expected, before)):
                if status != was:
                    item, tone = self.expected.item(r, 1), status_tone(status)
                    item.setText(status_text(status))
                    item.setToolTip(status_text(status))
                    item.setForeground(tone.fg_color)
                    item.setBackground(tone.bg_color)
            return
        self.expected.setRowCount(len(now.expected))
        self._fit_expected_once()
        for r, (sid, status) in enumerate(now.expected):
            fin = self.final_expected[sid]
            self.expected.setItem(r, 0, cell(self._expected_labels.get(sid, sid), data=sid))
            self.expected.setItem(r, 1, cell(status_text(status), status_tone(status)))
            self.expected.setItem(r, 2, cell(status_text(fin.status), status_tone(fin.status)))
            self.expected.setItem(r, 3, cell(mmss(fin.t) if fin.t is not None else ""))
            self.expected.setItem(r, 4, cell(mmss(fin.due) if fin.due is not None else ""))

    def _fit_expected_once(self) -> None:
        """After the first fill, the status columns keep the width they got (every status word
        appears at the start: pending, not applicable …): re-measuring a column at each moment
        costs more than a frame."""
        if getattr(self, "_expected_fitted", False) or self.expected.rowCount() == 0:
            return
        self._expected_fitted = True
        # the table as a context: a language switch may replace it before the timer fires
        table = self.expected
        QTimer.singleShot(0, table, lambda: self._freeze_expected_columns(table))

    @staticmethod
    def _freeze_expected_columns(table: QTableWidget) -> None:
        header = table.horizontalHeader()
        for col in range(1, table.columnCount() - 1):
            width = header.sectionSize(col)
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)

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
        self.set_playing(False)
        self.save_notes()   # another page shown in its place, or the window closing
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.save_notes()
        super().closeEvent(event)

    @property
    def archive_path(self) -> Path:
        return Path(self.archive.path)
