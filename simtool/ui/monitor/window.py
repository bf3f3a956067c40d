"""The patient monitor: the window trainees see, on a second screen, like a bedside monitor.

It shows what the session says and nothing more: numbers come from ``Vitals``, the waveforms
are drawn from the rhythm and rates in them (``waveforms.py``), and the alarm limits are the
monitor's settings (``alarms.py``). Two clocks drive it:

* the drill clock (the session's 100 ms tick): new numbers, and the NIBP cycle, which runs in
  drill time so a drill at 10× speed measures every 18 s of wall time;
* the frame clock (a 16 ms ``QTimer`` here, running only while the window is shown): the
  scrolling traces, the alarm flashing and the tones, all in wall time.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor, QFont, QFontMetrics, QGuiApplication, QHideEvent, QKeySequence, QPalette, QResizeEvent, QScreen,
    QShortcut, QShowEvent,
)
from PySide6.QtWidgets import (
    QBoxLayout, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget,
)

from simtool.core.physiology import Vitals
from simtool.core.vitalcolours import VITAL_COLOURS
from simtool.ui.display import mmss
from simtool.ui.monitor.alarms import (
    DEFAULT_ADVISORY, DEFAULT_EXTREME, DEFAULT_LIMITS, HIGH, LETHAL_RHYTHMS, LOW, MEDIUM, NONE,
    Limits, flash_on, limit_check,
)
from simtool.ui.monitor.audio import AlarmSound
from simtool.ui.monitor.blocks import ALARM_COLORS, BloodLossPanel, ParameterBlock
from simtool.ui.monitor.strip import WaveformStrip
from simtool.ui.monitor.waveforms import NO_OUTPUT, Drive, WaveformGenerator
from simtool.ui.session import DrillSession

FRAME_MS = 16
NIBP_INTERVAL_S = 180.0
SILENCE_S = 120.0
MAX_FRAME_GAP_S = 0.25   # after a stall, draw a short gap rather than a burst of samples
NARROW_BELOW = 640       # a window narrower than this is a strip beside the console

# one definition with the debrief screen and PDF (simtool.core.vitalcolours): HR green, SpO₂
# cyan, blood pressure red, EtCO₂ yellow
COLORS = {"hr": VITAL_COLOURS["hr"], "spo2": VITAL_COLOURS["spo2"], "nibp": VITAL_COLOURS["bp"],
          "rr": VITAL_COLOURS["rr"], "etco2": VITAL_COLOURS["etco2"], "temp": VITAL_COLOURS["temp"]}
# which Vitals fields each block's alarm looks at
# the alarm banner: text on the priority's colour (IEC 60601-1-8: red high, yellow medium,
# cyan low), in letters about a thirtieth of the window's height (25 px on a 768-px laptop,
# 36 px on a 1080-p screen: readable across a sim room)
BANNER_TEXT = {HIGH: "#ffffff", MEDIUM: "#000000", LOW: "#000000"}
BANNER_MARKS = {HIGH: "!!!", MEDIUM: "!!", LOW: "!"}
MIN_BANNER_PX = 16
BLOCK_KEYS = {"hr": ("hr",), "spo2": ("spo2",), "nibp": ("sbp", "dbp", "map"), "rr": ("rr",),
              "etco2": ("etco2",), "temp": ("temp_c",)}

BUTTON_STYLE = """
QPushButton { background: #1c1c1c; color: #e0e0e0; border: 1px solid #444; padding: 6px 12px;
              font-weight: bold; }
QPushButton:checked { background: #3a3a00; color: #ffd400; border-color: #ffd400; }
QPushButton:hover { border-color: #888; }
"""


class PatientMonitor(QWidget):
    """A bedside monitor window following a ``DrillSession`` (or showing one moment)."""

    visibility_changed = Signal(bool)   # shown or hidden (the console's Show/Hide follows it)

    def __init__(self, session: DrillSession | None = None, parent: QWidget | None = None, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self._clock = clock
        self.session: DrillSession | None = None
        self.limits: Limits = dict(DEFAULT_LIMITS)
        self.extreme: Limits = dict(DEFAULT_EXTREME)
        self.advisory: Limits = dict(DEFAULT_ADVISORY)
        self.nibp_interval: float | None = NIBP_INTERVAL_S
        self._vitals: Vitals | None = None
        self._t = 0.0
        self._nibp: Vitals | None = None
        self._nibp_t: float | None = None
        self._drive = Drive()
        self._gen = WaveformGenerator()
        self._last_frame: float | None = None
        self._silenced_until = 0.0
        self._messages: list[tuple[int, str]] = []
        self._banner_px = 20
        self.setWindowTitle(self.tr("Patient monitor"))
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#000000"))
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#e0e0e0"))
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.resize(1280, 800)
        # beside the console on one laptop screen it may be a narrow strip (``placement``):
        # its parts then shrink rather than push the window off the screen
        self.setMinimumSize(360, 300)
        self.sound = AlarmSound(self)
        self._build()
        self._frame_timer = QTimer(self)
        self._frame_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._frame_timer.setInterval(FRAME_MS)
        self._frame_timer.timeout.connect(self._on_frame)
        if session is not None:
            self.set_session(session)

    # --- building -----------------------------------------------------------------------
    def _build(self) -> None:
        self.ecg = WaveformStrip("", COLORS["hr"], 6.0, -0.9, 1.3, self)
        self.pleth = WaveformStrip("", COLORS["spo2"], 6.0, -0.1, 1.15, self)
        self.capno = WaveformStrip("", COLORS["rr"], 15.0, -2.0, 55.0, self,
                                   gridlines=(0.0, 50.0))
        self.blocks: dict[str, ParameterBlock] = {
            "hr": ParameterBlock("", "", COLORS["hr"], self),
            "spo2": ParameterBlock("", "", COLORS["spo2"], self),
            "etco2": ParameterBlock("", "", COLORS["etco2"], self),
            "rr": ParameterBlock("", "", COLORS["rr"], self),
            "nibp": ParameterBlock("", "", COLORS["nibp"], self,
                                   value_share=0.5),
            "temp": ParameterBlock("", "", COLORS["temp"], self),
        }
        self.blood_loss = BloodLossPanel("", self)
        self.blood_loss.setVisible(False)

        top = QHBoxLayout()
        top.setContentsMargins(0, 4, 8, 4)
        # the alarm banner, across the top: the active alarms, highest priority first
        self.alarm_banner = QLabel(self)
        self.alarm_banner.setTextFormat(Qt.TextFormat.PlainText)
        self.alarm_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.alarm_banner.setWordWrap(False)
        self.alarm_banner.installEventFilter(self)
        self.sound_label = QLabel(self)
        self.sound_label.setStyleSheet("color: #ffd400; font-weight: bold; border: 1px solid #ffd400;"
                                       " padding: 1px 6px;")
        self.sound_label.setVisible(not self.sound.available)
        self.paused_label = QLabel(self)
        self.paused_label.setStyleSheet("color: #ffd400; font-weight: bold;")
        self.clock_label = QLabel(mmss(0), self)
        self.clock_label.setStyleSheet("color: #e0e0e0; font-weight: bold;")
        top.addWidget(self.alarm_banner, 1)
        top.addWidget(self.paused_label)
        top.addWidget(self.sound_label)
        top.addSpacing(12)
        top.addWidget(self.clock_label)

        # two arrangements (``_arrange``): wide, each trace beside its numbers and the NIBP,
        # temperature, drape and buttons along the bottom; narrow (a strip beside the console),
        # the traces keep two thirds of the width, RR joins the bottom row and the buttons get
        # a row of their own, so nothing is squeezed below its size
        self.grid = QGridLayout()
        self.grid.setSpacing(2)
        self.co2_row = QHBoxLayout()
        self.co2_row.setSpacing(2)
        self.grid.addWidget(self.ecg, 0, 0)
        self.grid.addWidget(self.blocks["hr"], 0, 1)
        self.grid.addWidget(self.pleth, 1, 0)
        self.grid.addWidget(self.blocks["spo2"], 1, 1)
        self.grid.addWidget(self.capno, 2, 0)
        self.co2_row.addWidget(self.blocks["etco2"])
        self.grid.addLayout(self.co2_row, 2, 1)
        self.bottom = QHBoxLayout()
        self.bottom.setSpacing(2)
        self.bottom.addWidget(self.blocks["nibp"], 3)
        self.bottom.addWidget(self.blocks["temp"], 2)
        self.button_box = QWidget(self)
        self.buttons = QBoxLayout(QBoxLayout.Direction.TopToBottom, self.button_box)
        self.buttons.setContentsMargins(0, 0, 0, 0)
        self.nibp_button = QPushButton(self)
        self.nibp_button.clicked.connect(self.measure_nibp)
        self.silence_button = QPushButton(self)
        self.silence_button.setCheckable(True)
        self.silence_button.toggled.connect(self._on_silence_toggled)
        for b in (self.nibp_button, self.silence_button):
            b.setStyleSheet(BUTTON_STYLE)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.buttons.addWidget(b)
        self.buttons.addStretch(1)
        self.narrow: bool | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 0, 4, 4)
        outer.setSpacing(2)
        outer.addLayout(top)
        outer.addLayout(self.grid, 5)
        outer.addLayout(self.bottom, 2)
        self._arrange(False)

        # blank: a black screen over everything (a pause, a prebrief); the alarms go on in the
        # console, and the tones stop while it is blank
        self.blank_cover = QLabel(self)
        self.blank_cover.setAutoFillBackground(True)
        self.blank_cover.setStyleSheet("background: #000000;")
        self.blank_cover.hide()
        self._size_banner()

        QShortcut(QKeySequence(Qt.Key.Key_N), self, self.measure_nibp)
        QShortcut(QKeySequence(Qt.Key.Key_S), self, self.silence_button.toggle)
        QShortcut(QKeySequence(Qt.Key.Key_F11), self, self._toggle_fullscreen)
        self._refresh_limits_text()
        self.retranslate()

    def _arrange(self, narrow: bool) -> None:
        """Lay the blocks and buttons out for a wide window or a narrow strip (the traces and
        the HR, SpO₂ and EtCO₂ blocks stay where they are; RR, the drape and the buttons move)."""
        if narrow == self.narrow:
            return
        self.narrow = narrow
        b = self.blocks
        self.co2_row.removeWidget(b["rr"])
        for w in (b["rr"], self.blood_loss, self.button_box):
            self.bottom.removeWidget(w)
        outer = self.layout()
        outer.removeWidget(self.blood_loss)
        outer.removeWidget(self.button_box)
        if narrow:   # the drape, when shown, in a row of its own: four blocks would not fit
            self.bottom.addWidget(b["rr"], 2)
            outer.addWidget(self.blood_loss, 1)
            self.buttons.setDirection(QBoxLayout.Direction.LeftToRight)
            outer.addWidget(self.button_box)
        else:
            self.co2_row.addWidget(b["rr"])
            self.bottom.addWidget(self.blood_loss, 3)
            self.buttons.setDirection(QBoxLayout.Direction.TopToBottom)
            self.bottom.addWidget(self.button_box, 1)
        self.grid.setColumnStretch(0, 2 if narrow else 3)
        self.grid.setColumnStretch(1, 1 if narrow else 2)

    def retranslate(self) -> None:
        """Every text in the interface language now installed (on Qt's LanguageChange too, so
        the monitor follows a language switch in the middle of a drill)."""
        self.setWindowTitle(self.tr("Patient monitor"))
        for strip, label in ((self.ecg, self.tr("ECG II")), (self.pleth, self.tr("Pleth")),
                             (self.capno, self.tr("CO₂"))):
            strip.label = label
            strip.update()
        titles = {"hr": (self.tr("HR"), self.tr("bpm")), "spo2": (self.tr("SpO₂"), self.tr("%")),
                  "etco2": (self.tr("EtCO₂"), self.tr("mmHg")), "rr": (self.tr("RR"), self.tr("rpm")),
                  "nibp": (self.tr("NIBP"), self.tr("mmHg")), "temp": (self.tr("Temp"), self.tr("°C"))}
        for key, (title, unit) in titles.items():
            self.blocks[key].title, self.blocks[key].unit = title, unit
            self.blocks[key].update()
        self.blood_loss.title = self.tr("Blood loss · calibrated drape")
        self.blood_loss.update()
        self.sound_label.setText(self.tr("SOUND OFF"))
        self.sound_label.setToolTip(self.tr("Alarm tones are not available: {0}").format(self.sound.reason))
        self.nibp_button.setText(self.tr("NIBP now (N)"))
        self.nibp_button.setToolTip(self.tr("Measure the blood pressure now"))
        self.silence_button.setText(self.tr("Silence 2 min (S)"))
        self.silence_button.setToolTip(self.tr("Pause the alarm tones for two minutes; "
                                               "the alarms keep flashing"))
        # texts made from the numbers: the rhythm, the NIBP line, the alarm messages
        if self._vitals is not None:
            self.blocks["hr"].set_value(str(self._vitals.hr), self._rhythm_name(self._vitals.rhythm))
        self._show_nibp()
        self._messages = [(-1, "")]  # differs from any real list: the alarm line is redrawn
        self._evaluate_alarms()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- public API -----------------------------------------------------------------------
    def set_session(self, session: DrillSession | None) -> None:
        """Follow ``session`` (None: stop following); the NIBP measures at once, as a monitor
        does when it is switched on."""
        if self.session is not None:
            self.session.vitals_changed.disconnect(self._on_vitals_changed)
            self.session.clock_changed.disconnect(self._on_clock_changed)
            self.session.display_changed.disconnect(self._on_display_changed)
        self.session = session
        self._nibp = None
        self._nibp_t = None
        if session is None:
            return
        session.vitals_changed.connect(self._on_vitals_changed)
        session.clock_changed.connect(self._on_clock_changed)
        session.display_changed.connect(self._on_display_changed)
        self._t = session.t
        self.clock_label.setText(mmss(session.t))
        # a resumed drill shows what it showed (the drape, a blank screen)
        self.set_blood_loss_visible(session.shown("drape"))
        self.set_blank(session.shown("blank"))
        self._apply(session.vitals(), session.drill.physiology.blood_loss_ml)
        self.measure_nibp()

    def show_vitals(self, vitals: Vitals, blood_loss_ml: float, t: float | None = None) -> None:
        """Show one moment (the debrief): every number, the NIBP included, is that moment's."""
        if t is not None:
            self._t = t
            self.clock_label.setText(mmss(t))
        self._apply(vitals, blood_loss_ml)
        self._set_nibp(vitals, t)

    def measure_nibp(self) -> None:
        """Take a blood pressure now (the button, the N key, or the interval)."""
        vitals = self.session.vitals() if self.session is not None else self._vitals
        if vitals is None:
            return
        self._set_nibp(vitals, self.session.t if self.session is not None else self._t)

    def set_nibp_interval(self, seconds: float | None) -> None:
        """Automatic NIBP every ``seconds`` of drill time; None for on demand only."""
        self.nibp_interval = seconds if seconds and seconds > 0 else None
        self._show_nibp()

    def set_alarm_limits(self, limits: Limits, extreme: Limits | None = None) -> None:
        """Replace the limits for the named fields (``{"hr": (50, 120)}``; None: no limit)."""
        self.limits.update(limits)
        if extreme is not None:
            self.extreme.update(extreme)
        self._refresh_limits_text()
        self._evaluate_alarms()

    def set_blood_loss_visible(self, visible: bool) -> None:
        self.blood_loss.setVisible(visible)

    def blood_loss_visible(self) -> bool:
        return not self.blood_loss.isHidden()

    def set_blank(self, on: bool) -> None:
        """A black screen over the whole monitor (the console blanks it through the session,
        which logs it); the tones stop while it is blank."""
        self.blank_cover.setGeometry(self.rect())
        self.blank_cover.setVisible(on)
        if on:
            self.blank_cover.raise_()
            self.sound.stop()

    def is_blank(self) -> bool:
        return not self.blank_cover.isHidden()

    def silence(self, on: bool = True) -> None:
        """Pause the tones for two minutes (visual alarms go on)."""
        self.silence_button.setChecked(on)

    @property
    def silenced(self) -> bool:
        return self._clock() < self._silenced_until

    def alarm_messages(self) -> list[tuple[int, str]]:
        """The active alarms, highest priority first."""
        return list(self._messages)

    def show_on(self, screen: QScreen | None = None, fullscreen: bool = True) -> None:
        """Show on ``screen`` (None: the first screen that is not the primary, if any)."""
        if screen is None:
            screens = QGuiApplication.screens()
            primary = QGuiApplication.primaryScreen()
            others = [s for s in screens if s is not primary and s != primary]
            screen = others[0] if others else primary
        if screen is not None:
            self.setScreen(screen)
            geometry = screen.availableGeometry()
            if fullscreen:
                self.move(geometry.topLeft())
            else:
                self.setGeometry(geometry.adjusted(40, 40, -40, -40))
        if fullscreen:
            self.showFullScreen()
        else:
            self.showNormal()
        self.raise_()

    # --- from the session -------------------------------------------------------------------
    def _on_display_changed(self, what: str, on: bool) -> None:
        if what == "drape":
            self.set_blood_loss_visible(on)
        elif what == "blank":
            self.set_blank(on)
    def _on_vitals_changed(self, vitals: Vitals) -> None:
        loss = self.session.drill.physiology.blood_loss_ml if self.session is not None else 0.0
        self._apply(vitals, loss)

    def _on_clock_changed(self, t: float) -> None:
        self._t = t
        self.clock_label.setText(mmss(t))
        if self.nibp_interval is not None and self.session is not None and (
                self._nibp_t is None or t - self._nibp_t >= self.nibp_interval - 1e-6):
            self.measure_nibp()

    # --- showing ------------------------------------------------------------------------------
    def _apply(self, v: Vitals, blood_loss_ml: float) -> None:
        self._vitals = v
        b = self.blocks
        b["hr"].set_value(str(v.hr), self._rhythm_name(v.rhythm))
        b["spo2"].set_value(str(v.spo2))
        b["rr"].set_value(str(v.rr))
        b["etco2"].set_value(str(v.etco2))
        b["temp"].set_value(f"{v.temp_c:.1f}")
        self.blood_loss.set_ml(blood_loss_ml)
        self._drive = Drive(rhythm=v.rhythm, hr=float(v.hr), rr=float(v.rr), etco2=float(v.etco2),
                            pulse=v.rhythm not in NO_OUTPUT and v.sbp > 0)
        self._evaluate_alarms()

    def _set_nibp(self, v: Vitals, t: float | None) -> None:
        self._nibp, self._nibp_t = v, t
        self._show_nibp()
        self._evaluate_alarms()

    def _show_nibp(self) -> None:
        block = self.blocks["nibp"]
        if self._nibp is None:
            block.set_value("--/--", "")
            return
        v = self._nibp
        when = self.tr("at {0}").format(mmss(self._nibp_t)) if self._nibp_t is not None else ""
        cycle = (self.tr("every {0} min").format(f"{self.nibp_interval / 60:g}")
                 if self.nibp_interval else self.tr("manual"))
        block.set_value(f"{v.sbp}/{v.dbp}", f"({v.map})   {when} · {cycle}")

    def _rhythm_name(self, rhythm: str) -> str:
        names = {"sinus": self.tr("Sinus"), "sinus_tachycardia": self.tr("Sinus tachy"),
                 "sinus_bradycardia": self.tr("Sinus brady"), "wide_qrs": self.tr("Wide QRS"),
                 "vt": self.tr("V-Tach"), "vf": self.tr("V-Fib"), "asystole": self.tr("Asystole"),
                 "pea": self.tr("Sinus")}   # the monitor cannot tell PEA from an organised rhythm
        return names.get(rhythm, rhythm)

    def _field_names(self) -> dict[str, str]:
        return {"hr": self.tr("HR"), "spo2": self.tr("SpO₂"), "sbp": self.tr("NIBP sys"),
                "dbp": self.tr("NIBP dia"), "map": self.tr("NIBP mean"), "rr": self.tr("RR"),
                "etco2": self.tr("EtCO₂"), "temp_c": self.tr("Temp")}

    def _refresh_limits_text(self) -> None:
        for block, keys in BLOCK_KEYS.items():
            low, high = self.limits.get(keys[0], (None, None))
            parts = [f"{x:g}" for x in (high, low) if x is not None]
            self.blocks[block].set_limits_text(" ".join(parts))

    def _evaluate_alarms(self) -> None:
        v = self._vitals
        values: dict[str, float | None] = {}
        if v is not None:
            values = {"hr": v.hr, "spo2": v.spo2, "rr": v.rr, "etco2": v.etco2, "temp_c": v.temp_c}
        if self._nibp is not None:   # blood pressure alarms look at the measured value only
            values.update(sbp=self._nibp.sbp, dbp=self._nibp.dbp, map=self._nibp.map)
        names = self._field_names()
        messages: list[tuple[int, str]] = []
        for block, keys in BLOCK_KEYS.items():
            worst = NONE
            for key in keys:
                priority, side = limit_check(key, values.get(key), self.limits, self.extreme,
                                             self.advisory)
                if priority:
                    text = (self.tr("{0} high") if side == "high" else self.tr("{0} low"))
                    messages.append((priority, text.format(names[key])))
                    worst = max(worst, priority)
            if block == "hr" and v is not None and v.rhythm in LETHAL_RHYTHMS:
                messages.append((HIGH, self._rhythm_name(v.rhythm)))
                worst = HIGH
            self.blocks[block].set_alarm(worst)
        messages.sort(key=lambda m: -m[0])
        if messages != self._messages:
            self._messages = messages
            self._show_banner()

    def _show_banner(self) -> None:
        """The banner in the colour of the highest active priority; black and empty (the
        same height, so nothing below it jumps) when no alarm is active. The text is as large
        as the window allows, smaller rather than cut on a narrow strip; when even that does
        not hold every alarm, the highest ones are shown and "+N" says how many more (all of
        them in the tooltip)."""
        messages = [m for m in self._messages if m[0] in BANNER_MARKS]
        top = messages[0][0] if messages else NONE
        words = [f"{BANNER_MARKS[p]} {t}" for p, t in messages]
        room = max(1, self.alarm_banner.width() - 20)
        font = QFont(self.alarm_banner.font())
        font.setBold(True)
        px = self._banner_px

        def fits(text: str, size: int) -> bool:
            font.setPixelSize(size)
            return QFontMetrics(font).horizontalAdvance(text) <= room

        shown = len(words)
        text = "     ".join(words)
        while px > MIN_BANNER_PX and not fits(text, px):
            px -= 1
        while shown > 1 and not fits(text, px):
            shown -= 1
            text = "   ".join(words[:shown]) + f"   +{len(words) - shown}"
        self.alarm_banner.setText(text)
        self.alarm_banner.setToolTip("\n".join(words))
        bg = ALARM_COLORS[top].name() if top else "#000000"
        fg = BANNER_TEXT.get(top, "#e0e0e0")
        self.alarm_banner.setStyleSheet(
            f"background: {bg}; color: {fg}; font-weight: bold; font-size: {px}px;"
            " padding: 2px 8px;")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.alarm_banner and event.type() == QEvent.Type.Resize:
            self._show_banner()   # the room it has changed: fit the text again
        return super().eventFilter(watched, event)

    def banner_priority(self) -> int:
        """The priority whose colour the banner shows (NONE: no alarm)."""
        return self._messages[0][0] if self._messages and self._messages[0][0] > NONE else NONE

    def _size_banner(self) -> None:
        self._banner_px = max(20, round(self.height() / 30))
        self.alarm_banner.setFixedHeight(round(self._banner_px * 1.6))
        self._show_banner()

    # --- the frame clock ------------------------------------------------------------------------
    def _on_frame(self) -> None:
        now = self._clock()
        last = self._last_frame
        dt = 0.0 if last is None else min(MAX_FRAME_GAP_S, max(0.0, now - last))
        self._last_frame = now
        ecg, pleth, co2 = self._gen.advance(dt, self._drive)
        self.ecg.push(ecg)
        self.pleth.push(pleth)
        self.capno.push(co2)
        top = NONE
        for block in self.blocks.values():
            block.set_flash(flash_on(block.priority, now))
            top = max(top, block.priority)
        silenced = now < self._silenced_until
        if self.silence_button.isChecked() and not silenced:
            self.silence_button.setChecked(False)
        text = (self.tr("AUDIO PAUSED {0}").format(mmss(self._silenced_until - now))
                if silenced else "")
        if text != self.paused_label.text():
            self.paused_label.setText(text)
        self.sound.tick(NONE if self.is_blank() else top, now, silenced)

    def _on_silence_toggled(self, on: bool) -> None:
        self._silenced_until = self._clock() + SILENCE_S if on else 0.0
        if on:
            self.sound.stop()

    def _toggle_fullscreen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange(event.size().width() < NARROW_BELOW)
        self.blank_cover.setGeometry(self.rect())
        self._size_banner()
        super().resizeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        self._last_frame = None
        self._frame_timer.start()
        super().showEvent(event)
        if not event.spontaneous():
            self.visibility_changed.emit(True)

    def hideEvent(self, event: QHideEvent) -> None:
        self._frame_timer.stop()
        self.sound.stop()
        super().hideEvent(event)
        if not event.spontaneous():
            self.visibility_changed.emit(False)
