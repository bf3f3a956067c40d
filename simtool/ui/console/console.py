"""The instructor console for one live drill.

Everything the instructor does goes through ``DrillSession`` (act, note, pause, force, undo,
end); everything shown comes from its signals and the drill it holds. The console decides
nothing clinical: flags, statuses and transitions are the core's.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QInputDialog, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QListWidget, QListWidgetItem, QMessageBox, QPushButton, QSizePolicy, QSplitter,
    QVBoxLayout, QWidget,
)

from simtool.app.dosing import dose_context
from simtool.core.errors import SimtoolError
from simtool.core.events import Event
from simtool.core.flagtext import flag_text
from simtool.core.physiology import Vitals
from simtool.ui.console.camera import CameraControl
from simtool.ui.console.dosedialog import DoseDialog
from simtool.ui.console.labcard import LabCard
from simtool.ui.console.expected import ExpectedList
from simtool.ui.console.logpanel import LogPanel
from simtool.ui.console.palette import ActionPalette
from simtool.ui.console.statemap import StateMap
from simtool.ui.display import BAD, INFO, WARN, badge_style, mmss, number
from simtool.ui.session import DrillSession

CHIP_STYLE = ("QPushButton { border: 1px solid #90a4ae; border-radius: 12px; padding: 4px 12px; }"
              f" QPushButton:checked {{ background: {INFO.fg}; color: white; border-color: {INFO.fg}; }}")


class ConsoleView(QWidget):
    drill_ended = Signal()
    monitor_requested = Signal(bool)        # show (True) or hide the trainees' monitor window
    monitor_to_other_screen = Signal()      # full-screen on the screen the console is not on

    def __init__(self, session: DrillSession, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.lang = lang
        drill = session.drill
        sc = drill.scenario
        self.dose_dialog: DoseDialog | None = None
        self._shown_second = -1

        # --- top bar: clock, state, pause, end --------------------------------------------------
        self.clock = QLabel(mmss(session.t))
        clock_font = QFont("monospace")
        clock_font.setStyleHint(QFont.StyleHint.Monospace)
        clock_font.setPointSize(40)
        clock_font.setBold(True)
        self.clock.setFont(clock_font)
        self.paused_badge = QLabel(self.tr("PAUSED"))
        self.paused_badge.setStyleSheet(badge_style(WARN) + " font-size: 14pt;")
        self.paused_badge.hide()
        self.state_label = QLabel()
        self.state_label.setStyleSheet("font-size: 14pt; font-weight: 600;")
        self.state_label.setWordWrap(True)
        self.phase_label = QLabel()
        self.phase_label.setWordWrap(True)
        self.pause_button = QPushButton(self.tr("Pause"))
        self.pause_button.clicked.connect(self._on_pause_clicked)
        self.end_button = QPushButton(self.tr("End drill…"))
        self.end_button.clicked.connect(self._on_end_clicked)
        self.discard_button = QPushButton(self.tr("Discard drill…"))
        self.discard_button.setToolTip(self.tr("Started by mistake? The drill is kept, marked "
                                               "discarded, and counts in no statistic."))
        self.discard_button.clicked.connect(self._on_discard_clicked)
        where = QVBoxLayout()
        where.addWidget(self.state_label)
        where.addWidget(self.phase_label)
        top = QHBoxLayout()
        top.addWidget(self.clock)
        top.addWidget(self.paused_badge, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addSpacing(16)
        top.addLayout(where, 1)
        top.addWidget(self.pause_button)
        top.addWidget(self.end_button)
        top.addWidget(self.discard_button)

        # --- left: map, transition, actor, palette ------------------------------------------------
        self.state_map = StateMap(sc, lang)
        self.transition_target = QComboBox()
        self.transition_target.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.transition_target.setMinimumContentsLength(16)
        self.transition_button = QPushButton(self.tr("Go to state…"))
        self.transition_button.clicked.connect(self._on_transition_clicked)
        transition_row = QHBoxLayout()
        transition_row.addWidget(QLabel(self.tr("Manual transition:")))
        transition_row.addWidget(self.transition_target, 1)
        transition_row.addWidget(self.transition_button)

        self.actor_box = QGroupBox(self.tr("Who did it"))
        chips = QGridLayout(self.actor_box)
        self.actors = QButtonGroup(self)
        # at most one chip, or none: an action logged with none is stored as unassigned
        self.actors.setExclusive(False)
        self.actors.buttonToggled.connect(self._on_chip_toggled)
        self.actor_chips: dict[str, QPushButton] = {}
        roles = {r.id: r.label.get(lang) for r in sc.roles}
        for n, p in enumerate(drill.participants):
            chip = QPushButton(self.tr("{role}: {name}").format(role=roles.get(p.role, p.role),
                                                                 name=p.name))
            chip.setCheckable(True)
            chip.setStyleSheet(CHIP_STYLE)
            chip.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep the keyboard on the shortcuts
            chip.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            self.actors.addButton(chip)
            self.actor_chips[p.id] = chip
            chips.addWidget(chip, n // 2, n % 2)
        # "one action only" (the default) clears the chip once an action is logged, so the next
        # action is never credited to someone by mistake; "keep" holds it for the next ones
        self.keep_actor = QCheckBox(self.tr("Keep this person for the next actions"))
        self.keep_actor.setChecked(session.keep_actor)
        self.keep_actor.toggled.connect(self._on_keep_toggled)
        self.credited = QLabel()
        self.credited.setStyleSheet("font-weight: 600;")
        self.credited.setWordWrap(True)
        row = (len(self.actor_chips) + 1) // 2
        chips.addWidget(self.keep_actor, row, 0, 1, 2)
        if session.keep_actor and session.last_actor in self.actor_chips:
            self.actor_chips[session.last_actor].setChecked(True)
        self._show_credited()

        about = [a for ex in sc.expected for a in ex.actions] + [iv.action for iv in sc.interventions]
        self.palette = ActionPalette(drill.catalogue, lang, first=about, groups=sc.palette)
        self.palette.action_chosen.connect(self.log_action)
        self.shortcuts: dict[str, QShortcut] = {}
        for action in drill.catalogue.actions:
            if action.key:
                sc_ = QShortcut(QKeySequence(action.key), self)
                sc_.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                sc_.activated.connect(lambda aid=action.id: self.log_action(aid))
                self.shortcuts[action.id] = sc_
        undo_key = QShortcut(QKeySequence.StandardKey.Undo, self)
        undo_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        undo_key.activated.connect(self._on_undo_clicked)
        find_key = QShortcut(QKeySequence.StandardKey.Find, self)
        find_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find_key.activated.connect(lambda: self.palette.find_box.setFocus())

        left = QWidget()
        left_col = QVBoxLayout(left)
        left_col.setContentsMargins(0, 0, 0, 0)
        left_col.addWidget(self.state_map)
        left_col.addLayout(transition_row)
        left_col.addWidget(self.actor_box)
        left_col.addWidget(self.credited)
        left_col.addWidget(self.palette, 1)

        # --- right: flags, undo, expected, monitor, notes -----------------------------------------
        # each standing flag is shown once: the newest in the banner, whole; the earlier ones
        # (every standing flag is in ``flag_list``, newest first, its first row hidden as the
        # banner shows it) behind "Earlier flags: n", so the log keeps its rows at 768 px
        self.flag_banner = QLabel()
        self.flag_banner.setWordWrap(True)
        self.flag_banner.setTextFormat(Qt.TextFormat.PlainText)
        self.flag_banner.setStyleSheet(badge_style(WARN) + " padding: 6px;")
        self.flag_banner.hide()
        self.flag_more = QPushButton()
        self.flag_more.setCheckable(True)
        self.flag_more.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.flag_more.setToolTip(self.tr("Show or hide the flags raised before the newest; every "
                                          "flag is also in the log and at the end of the drill"))
        self.flag_more.setStyleSheet(f"QPushButton {{ color: {WARN.fg}; }}")
        self.flag_more.toggled.connect(lambda _on: self._show_flags())
        self.flag_more.hide()
        self.flag_list = QListWidget()
        self.flag_list.setMaximumHeight(80)
        self.flag_list.setWordWrap(True)
        self.flag_list.setStyleSheet(f"QListWidget {{ color: {WARN.fg}; background: {WARN.bg}; }}")
        self.flag_list.hide()
        flag_row = QHBoxLayout()
        flag_row.addWidget(self.flag_banner, 1)
        flag_row.addWidget(self.flag_more, 0, Qt.AlignmentFlag.AlignTop)
        # where the record is going when the archive cannot be written (one sentence per change)
        self.storage_label = QLabel()
        self.storage_label.setWordWrap(True)
        self.storage_label.setStyleSheet(badge_style(WARN) + " padding: 6px;")
        self.storage_label.hide()
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(badge_style(BAD))
        self.error_label.hide()

        self.undo_button = QPushButton(self.tr("Undo last action"))
        self.undo_button.clicked.connect(self._on_undo_clicked)
        self.expected = ExpectedList(drill, lang)

        self.vitals_box = QGroupBox(self.tr("Monitor"))
        grid = QGridLayout(self.vitals_box)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setVerticalSpacing(2)
        self.vital_labels: dict[str, QLabel] = {}
        names = [("hr", self.tr("HR")), ("bp", self.tr("BP")), ("spo2", self.tr("SpO₂")),
                 ("rr", self.tr("RR")), ("etco2", self.tr("EtCO₂")), ("temp", self.tr("Temp")),
                 ("loss", self.tr("Blood loss"))]
        for n, (key, name) in enumerate(names):   # each name beside its value: two rows, not four
            caption = QLabel(name)
            caption.setStyleSheet("color: #546e7a;")
            value = QLabel()
            value.setStyleSheet("font-weight: 600; font-size: 12pt;")
            cell = QHBoxLayout()
            cell.setSpacing(6)
            cell.addWidget(caption)
            cell.addWidget(value)
            cell.addStretch(1)
            grid.addLayout(cell, n // 4, n % 4, 1, 2 if key == "loss" else 1)
            self.vital_labels[key] = value
        # what the trainees see: the monitor window, a blank screen, the blood-loss drape
        # (blanking and the drape are logged: the debrief knows what the team could see)
        self.monitor_button = QPushButton(self.tr("Monitor window"))
        self.monitor_button.setCheckable(True)
        self.monitor_button.setToolTip(self.tr("Show or hide the trainees' patient monitor"))
        self.monitor_button.toggled.connect(self.monitor_requested)
        self.screen_button = QPushButton(self.tr("To screen 2"))
        self.screen_button.setToolTip(self.tr("Show the monitor full-screen on the other screen "
                                              "(a projector or a second display)"))
        self.screen_button.clicked.connect(self.monitor_to_other_screen)
        self.blank_button = QPushButton(self.tr("Blank"))
        self.blank_button.setCheckable(True)
        self.blank_button.setToolTip(self.tr("Black out the monitor (a pause, a prebrief); "
                                             "logged"))
        self.blank_button.toggled.connect(lambda on: self._set_display("blank", on))
        self.drape_button = QPushButton(self.tr("Blood loss"))
        self.drape_button.setCheckable(True)
        self.drape_button.setToolTip(self.tr("Show the calibrated blood-loss drape on the "
                                             "monitor, or hide it; logged"))
        self.drape_button.toggled.connect(lambda on: self._set_display("drape", on))
        for b in (self.monitor_button, self.screen_button, self.blank_button, self.drape_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        monitor_row = QHBoxLayout()
        for b in (self.monitor_button, self.screen_button, self.blank_button, self.drape_button):
            monitor_row.addWidget(b)
        grid.addLayout(monitor_row, 2, 0, 1, 4)
        self.set_screens(1)
        self._show_display("drape", session.shown("drape"))
        self._show_display("blank", session.shown("blank"))

        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(self.tr("Note for the debrief"))
        self.note_edit.returnPressed.connect(self._on_note_entered)
        self.note_button = QPushButton(self.tr("Add note"))
        self.note_button.clicked.connect(self._on_note_entered)
        # the log as it now stands, newest first (notes too), with its corrections
        self.log = LogPanel(session, lang)
        self.log.corrected.connect(lambda _e: self._after_correction())
        note_row = QHBoxLayout()
        note_row.addWidget(self.note_edit, 1)
        note_row.addWidget(self.note_button)

        right = QWidget()
        right_col = QVBoxLayout(right)
        right_col.setContentsMargins(0, 0, 0, 0)
        right_col.addWidget(self.storage_label)
        right_col.addLayout(flag_row)
        right_col.addWidget(self.flag_list)
        right_col.addWidget(self.error_label)
        right_col.addWidget(self.undo_button)
        lists = QSplitter(Qt.Orientation.Vertical)
        lists.addWidget(self.expected)
        lists.addWidget(self.log)
        # the lab card, in a drill whose scenario has a laboratory (issue 18, item 5)
        self.lab_card: LabCard | None = None
        if drill.labs is not None:
            self.lab_card = LabCard(session, lang)
            self.lab_card.send_requested.connect(self._on_send_labs)
            lists.addWidget(self.lab_card)
        lists.setChildrenCollapsible(False)
        for w in (self.flag_list, self.expected, self.log.table):   # fits 768 px with flags
            w.setMinimumHeight(44)
        lists.setStretchFactor(1, 1)   # the log takes what is left: the expected actions and
        lists.setSizes([150, 400] + ([60] if self.lab_card is not None else []))   # labs keep theirs
        right_col.addWidget(lists, 1)
        right_col.addWidget(self.vitals_box)
        right_col.addLayout(note_row)
        # record the room from a camera on this computer, attached when the drill ends (issue 23)
        self.camera = CameraControl(session)
        right_col.addWidget(self.camera)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        # beside the monitor on a 1366-px laptop (952 px) the log gets the room its doses and
        # names need; on a whole screen the palette still gets the larger share
        split.setSizes([560, 500])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

        session.clock_changed.connect(self._on_clock_changed)
        session.event_logged.connect(self._on_event_logged)
        session.flag_raised.connect(self._on_flag_raised)
        session.state_changed.connect(self._on_state_changed)
        session.paused_changed.connect(self._on_paused_changed)
        session.vitals_changed.connect(self._on_vitals_changed)
        session.ended.connect(self._on_ended)
        session.display_changed.connect(self._show_display)
        session.journalled.connect(self._on_storage_notice)
        for flag in drill.flags():  # a resumed drill shows the flags it already has
            self._on_flag_raised(flag)
        self._on_state_changed(drill.state)
        self._on_paused_changed(drill.paused)
        self._on_vitals_changed(session.vitals())
        self._refresh_undo()
        if drill.ended:
            self._on_ended()

    def take_over(self, old: "ConsoleView") -> None:
        """Carry on from ``old``, the console of the same running drill in another language:
        the chosen role, a half-typed note or search, an open dose dialog with its entries.
        Everything else (state, flags, expected actions, notes) comes from the drill."""
        self.keep_actor.setChecked(old.keep_actor.isChecked())
        self.flag_more.setChecked(old.flag_more.isChecked())
        self.set_actor(old.actor() if old.actor() in self.actor_chips else None)
        self.note_edit.setText(old.note_edit.text())
        self.palette.find_box.setText(old.palette.find_box.text())
        if not old.error_label.isHidden():
            self.error_label.setText(old.error_label.text())
            self.error_label.show()
        if not old.storage_label.isHidden():
            self.storage_label.setText(old.storage_label.text())
            self.storage_label.show()
        dialog = old.dose_dialog
        if dialog is not None and dialog.isVisible():
            values = dialog.values()
            action_id = dialog.action.id
            dialog.reject()
            self.log_action(action_id)
            if self.dose_dialog is not None:
                self.dose_dialog.set_values(*values)

    # --- the trainees' monitor ------------------------------------------------------------------
    def set_monitor_shown(self, shown: bool) -> None:
        """The monitor window was shown or hidden (the button follows, without asking again)."""
        self.monitor_button.blockSignals(True)
        self.monitor_button.setChecked(shown)
        self.monitor_button.blockSignals(False)

    def set_screens(self, count: int) -> None:
        """How many screens there are: "To screen 2" needs a second one."""
        self.screen_button.setEnabled(count > 1)
        if count <= 1:
            self.screen_button.setToolTip(self.tr("Only one screen is connected"))

    def _set_display(self, what: str, on: bool) -> None:
        try:
            self.session.display(what, on)
        except SimtoolError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()

    def _show_display(self, what: str, on: bool) -> None:
        button = {"drape": self.drape_button, "blank": self.blank_button}.get(what)
        if button is not None and button.isChecked() != on:
            button.blockSignals(True)
            button.setChecked(on)
            button.blockSignals(False)

    # --- reading --------------------------------------------------------------------------------
    def actor(self) -> str | None:
        """The participant id of the checked role chip."""
        for pid, chip in self.actor_chips.items():
            if chip.isChecked():
                return pid
        return None

    def set_actor(self, participant_id: str | None) -> None:
        """Choose who the next action is credited to (None: nobody, stored as unassigned)."""
        for pid, chip in self.actor_chips.items():
            chip.setChecked(pid == participant_id)
        self._show_credited()

    def _on_chip_toggled(self, chip: QPushButton, checked: bool) -> None:
        if checked:   # one person at a time
            for other in self.actor_chips.values():
                if other is not chip and other.isChecked():
                    other.setChecked(False)
        self._show_credited()

    def _on_keep_toggled(self, keep: bool) -> None:
        self.session.keep_actor = keep

    def _show_credited(self) -> None:
        pid = self.actor()
        if pid is None:
            self.credited.setText(self.tr("Next action credited to: nobody (unassigned)"))
            self.credited.setStyleSheet(f"font-weight: 600; color: {BAD.fg};")
        else:
            person = next(p for p in self.session.drill.participants if p.id == pid)
            role = {r.id: r.label.get(self.lang) for r in self.session.drill.scenario.roles}
            self.credited.setText(self.tr("Next action credited to: {who}").format(
                who=self.tr("{role}: {name}").format(role=role.get(person.role, person.role),
                                                     name=person.name)))
            self.credited.setStyleSheet("font-weight: 600;")

    # --- logging ----------------------------------------------------------------------------------
    def log_action(self, action_id: str) -> None:
        """Log ``action_id`` by the chosen actor, asking for the dose first when it has one."""
        action = self.session.drill.catalogue.get(action_id)
        if action is None or self.session.drill.ended:
            return
        if action.dose is not None:
            if self.dose_dialog is not None:
                self.dose_dialog.reject()
            dialog = DoseDialog(action, self.session.drill.patient.weight_kg, self.lang, self,
                                context=dose_context(self.session.drill, action_id),
                                scenario_id=self.session.drill.scenario.id)
            dialog.accepted.connect(lambda: self._on_dose_accepted(dialog))
            dialog.finished.connect(lambda _r: self._forget_dialog(dialog))
            self.dose_dialog = dialog
            dialog.open()  # window-modal but not blocking: the clock keeps running
            return
        route = action.routes[0] if len(action.routes) == 1 else None
        self._act(action_id, route=route)

    def _on_dose_accepted(self, dialog: DoseDialog) -> None:
        dose, unit, route = dialog.values()
        self._act(dialog.action.id, dose=dose, unit=unit, route=route)

    def _forget_dialog(self, dialog: DoseDialog) -> None:
        if self.dose_dialog is dialog:
            self.dose_dialog = None
        dialog.deleteLater()

    def _act(self, action_id: str, **kwargs: object) -> None:
        try:
            self.session.act(action_id, by=self.actor(), **kwargs)  # type: ignore[arg-type]
            self._refresh_labs()
        except SimtoolError as exc:  # impossible input: nothing was logged, say why
            self.error_label.setText(str(exc))
            self.error_label.show()
        else:
            self.error_label.hide()
            if not self.keep_actor.isChecked():
                self.set_actor(None)

    def _on_note_entered(self) -> None:
        text = self.note_edit.text().strip()
        if text:
            self.session.note(text, by="instructor")
            self.note_edit.clear()

    def _on_pause_clicked(self) -> None:
        if self.session.drill.paused:
            self.session.resume()
        else:
            self.session.pause()

    def _on_undo_clicked(self) -> None:
        self.session.undo_last()
        self._refresh_undo()

    def _on_transition_clicked(self) -> None:
        state_id = self.transition_target.currentData()
        if state_id is None:
            return
        label = self.session.drill.scenario.state_index[state_id].label.get(self.lang)
        answer = QMessageBox.question(
            self, self.tr("Manual transition"),
            self.tr("Move the drill to “{}” now? This is logged as the instructor's decision.")
            .format(label))
        if answer == QMessageBox.StandardButton.Yes:
            self.session.force(state_id)

    def _on_end_clicked(self) -> None:
        answer = QMessageBox.question(self, self.tr("End drill"),
                                      self.tr("End the drill now? The clock stops for good."))
        if answer == QMessageBox.StandardButton.Yes:
            self.session.end()

    def _on_discard_clicked(self) -> None:
        reason, ok = QInputDialog.getText(
            self, self.tr("Discard drill"),
            self.tr("Why is this drill discarded? (It stays in the archive, marked discarded, "
                    "and counts in no indicator, portfolio or exam statistic.)"))
        if not ok:
            return
        if not reason.strip():
            self.error_label.setText(self.tr("Not discarded: write why the drill is discarded "
                                             "(a discard needs a reason)."))
            self.error_label.show()
            return
        try:
            self.session.discard(reason)
        except SimtoolError as exc:   # an impossible reason, or the archive refused: unchanged
            self.error_label.setText(self.tr("Not discarded: {reason}").format(reason=exc))
            self.error_label.show()

    # --- listening to the session -----------------------------------------------------------------
    def _on_clock_changed(self, t: float) -> None:
        if not self.session.drill.paused:
            self.clock.setText(mmss(t))
        self._refresh_undo()
        if int(t) != self._shown_second:  # statuses change by the second at most
            self._shown_second = int(t)
            self.expected.refresh()

    def _on_storage_notice(self, notice: object) -> None:
        """Where the drill's record goes now, in the console's language; the system's own
        reason (in English, as the OS gives it) in the tooltip."""
        place = getattr(notice, "place", None)
        path = str(getattr(notice, "path", "") or "")
        if place == "archive":
            text = self.tr("The archive can be written again: everything kept in the journal "
                           "is now in it.")
        elif place == "journal":
            text = self.tr("The archive cannot be written now. Every action is kept safely in "
                           "the journal beside it and will be written to the archive when it "
                           "can:") + "\n" + path
        elif place == "fallback":
            text = self.tr("The archive and the journal beside it cannot be written now. Every "
                           "action is kept safely in the journal in your data folder and will "
                           "be written to the archive when it can:") + "\n" + path
        else:
            text = self.tr("Nothing can be stored: the archive and its journals cannot be "
                           "written. Actions are held in memory and NOT shown as logged until "
                           "they are stored. Keep simtool open and free some disk space.")
        self.storage_label.setText(("✓ " if place == "archive" else "⚠ ") + text)
        self.storage_label.setToolTip(str(notice))
        self.storage_label.show()

    def _on_send_labs(self) -> None:
        """The lab card's "Send labs": the sample is logged like an action (replayed, struck or
        corrected like one), by the chosen person or else the instructor."""
        try:
            self.session.act("send_labs", by=self.actor() or "instructor")
        except SimtoolError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
        self._refresh_labs()

    def _refresh_labs(self) -> None:
        # (an action's listeners hear of it before the engine has sent its sample)
        if self.lab_card is not None:
            self.lab_card.refresh()

    def _on_event_logged(self, event: Event) -> None:
        if self.lab_card is not None and event.kind in ("action", "labs", "retract", "end"):
            self.lab_card.refresh()
        if event.kind in ("action", "retract", "amend", "force", "marker", "end"):
            self.expected.refresh()
            self._refresh_undo()
        if event.kind in ("retract", "unflag"):   # a flag no longer stands
            self._show_flags()
        if event.kind in ("action", "note", "force", "end", "retract", "amend", "flag", "unflag",
                          "display"):
            self.log.refresh()

    def _after_correction(self) -> None:
        self.expected.refresh()
        self._refresh_undo()
        self._show_flags()

    def _flag_message(self, event: Event) -> str:
        """The flag's message in the console's language (the record keeps the flag as codes
        and numbers, so any language reads it)."""
        return flag_text(self.session.drill.loaded, event, self.lang)

    def _flag_line(self, event: Event) -> str:
        action = self.session.drill.catalogue.get(event.action or "")
        what = action.label.get(self.lang) if action else (event.action or "")
        return self.tr("{time}  {action}: {message}").format(time=mmss(event.t), action=what,
                                                             message=self._flag_message(event))

    def _on_flag_raised(self, _event: Event) -> None:
        self._show_flags()

    def _show_flags(self) -> None:
        """The flags that stand now (a correction or a strike can withdraw one): the newest in
        the banner, the earlier ones, newest first, in the list when asked for."""
        standing = self.session.drill.flags()
        self.flag_list.clear()
        for flag in reversed(standing):
            item = QListWidgetItem(self._flag_line(flag))
            item.setForeground(QBrush(WARN.fg_color))
            self.flag_list.addItem(item)
        if standing:
            self.flag_list.setRowHidden(0, True)   # the newest: in the banner
            self.flag_banner.setText("⚠ " + self._flag_line(standing[-1]))
        self.flag_banner.setVisible(bool(standing))
        earlier = len(standing) - 1
        self.flag_more.setText(self.tr("Earlier flags: {n}").format(n=earlier) + " "
                               + ("▴" if self.flag_more.isChecked() else "▾"))
        self.flag_more.setVisible(earlier > 0)
        self.flag_list.setVisible(earlier > 0 and self.flag_more.isChecked())

    def _on_state_changed(self, state_id: str) -> None:
        drill = self.session.drill
        sc = drill.scenario
        st = sc.state_index[state_id]
        self.state_label.setText(st.label.get(self.lang))
        phase = sc.phase_of(state_id)
        self.phase_label.setText(self.tr("Phase: {}").format(phase.label.get(self.lang))
                                 if phase else "")
        reachable = [tr.to for tr in drill.outgoing()]
        self.state_map.set_position(state_id, set(reachable))
        self.transition_target.clear()
        ordered = list(dict.fromkeys(reachable)) + [s.id for s in sc.states if s.id not in reachable]
        for sid in ordered:
            if sid == state_id:
                continue
            label = sc.state_index[sid].label.get(self.lang)
            self.transition_target.addItem(("→ " if sid in reachable else "") + label, sid)

    def _on_paused_changed(self, paused: bool) -> None:
        self.paused_badge.setVisible(paused)
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))
        self.clock.setStyleSheet("color: #8d6e00;" if paused else "")

    def _on_vitals_changed(self, v: Vitals) -> None:
        values = {
            "hr": f"{v.hr}", "bp": f"{v.sbp}/{v.dbp}", "spo2": f"{v.spo2} %",
            "rr": f"{v.rr}", "etco2": f"{v.etco2}", "temp": f"{number(round(v.temp_c, 1))} °C",
            "loss": f"{round(self.session.drill.physiology.blood_loss_ml)} mL",
        }
        for key, text in values.items():
            if self.vital_labels[key].text() != text:
                self.vital_labels[key].setText(text)

    def _on_ended(self) -> None:
        for widget in (self.palette, self.actor_box, self.pause_button, self.end_button,
                       self.discard_button, self.transition_button, self.undo_button,
                       self.note_button, self.blank_button, self.drape_button):
            widget.setEnabled(False)
        for shortcut in self.shortcuts.values():
            shortcut.setEnabled(False)
        self.paused_badge.setText(self.tr("ENDED"))
        self.paused_badge.setStyleSheet(badge_style(BAD) + " font-size: 14pt;")
        self.paused_badge.show()
        self.expected.refresh()
        self.drill_ended.emit()

    def _refresh_undo(self) -> None:
        target = None if self.session.drill.ended else self.session.undoable()
        self.undo_button.setEnabled(target is not None)
        if target is not None:
            action = self.session.drill.catalogue.get(target.action or "")
            what = action.label.get(self.lang) if action else (target.action or "")
            self.undo_button.setText(self.tr("Undo “{}”").format(what))
        else:
            self.undo_button.setText(self.tr("Undo last action"))
