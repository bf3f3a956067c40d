"""Attach a room-camera or phone recording to a drill from its debrief (issue 23, item 1).

The instructor lines the video up with the drill clock by marking one moment both show — the
drill start on the monitor, a clap, the first call for help: the video is put at that moment
(played, dragged, stepped a tenth of a second at a time), the moment is picked on the drill
clock (the start, the end, an event of the timeline, or a time typed), and the offset follows
(``simtool.app.media.offset_from_moment``). Attaching is ``simtool.app.media.attach``, the
use case under ``simtool media attach``: the video is probed and copied beside the archive in
a pool thread (a one-hour recording is gigabytes), the dialog stays open and says why in one
sentence when it is refused, and nothing is recorded then.

Without Qt Multimedia there is no picture: the time of the moment in the video is typed (read
off any player)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel,
    QLineEdit, QPushButton, QSizePolicy, QSlider, QVBoxLayout, QWidget,
)

from simtool.core.errors import SimtoolError
from simtool.ui.display import BAD, badge_style, mmss

STEP_S = 0.1            # one press of ⟨/⟩: about three frames at 30 fps, enough for a clap
MAX_VIDEO_S = 24 * 3600.0
START, END, TYPED = "start", "end", "typed"


def attach_in_thread(archive_path: Path, drill_id: str, file: Path, offset_s: float,
                     label: str | None) -> Any:
    """The job run off the GUI thread: its own connection to the archive, as every job has."""
    from simtool.app.media import attach
    from simtool.store import Archive
    with Archive.open(archive_path, create=False) as archive:
        return attach(archive, drill_id, file, offset_s, label)


class AttachVideoDialog(QDialog):
    """Line a video up with the drill and attach it; ``attached(MediaFile)`` when it is."""

    attached = Signal(object)

    def __init__(self, archive_path: Path, drill_id: str, file: Path, drill_end_s: float,
                 moments: list[tuple[float, str]], parent: QWidget | None = None) -> None:
        """``moments``: (drill time, what) of the timeline's events, to pick the one marked."""
        super().__init__(parent)
        self.archive_path, self.drill_id, self.file = Path(archive_path), drill_id, Path(file)
        self.drill_end_s = float(drill_end_s)
        self.busy = False
        self.setWindowTitle(self.tr("Attach a video to this drill"))
        self.player: Any = None

        intro = QLabel(self.tr(
            "Mark one moment that the video and the drill both show — the drill start on the "
            "monitor, a clap, the call for help: put the video at that moment, then say when it "
            "happened on the drill clock."))
        intro.setWordWrap(True)
        self.file_label = QLabel(self.tr("File: {file}").format(file=self.file.name))
        self.file_label.setToolTip(str(self.file))
        self.file_label.setWordWrap(True)

        # the video at the marked moment: a picture when Qt Multimedia is there
        self.view: Any = None
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.play_button = QPushButton(self.tr("Play"))
        steps = QHBoxLayout()
        self.step_buttons: dict[float, QPushButton] = {}
        for delta, text in ((-1.0, self.tr("−1 s")), (-STEP_S, self.tr("−0.1 s")),
                            (STEP_S, self.tr("+0.1 s")), (1.0, self.tr("+1 s"))):
            b = QPushButton(text)
            b.clicked.connect(lambda _=False, d=delta: self.video_time.setValue(
                self.video_time.value() + d))
            self.step_buttons[delta] = b
        steps.addWidget(self.step_buttons[-1.0])
        steps.addWidget(self.step_buttons[-STEP_S])
        steps.addWidget(self.play_button)
        steps.addWidget(self.step_buttons[STEP_S])
        steps.addWidget(self.step_buttons[1.0])
        steps.addStretch(1)
        self.no_picture = QLabel()
        self.no_picture.setWordWrap(True)
        self.no_picture.setStyleSheet("color: #546e7a;")
        self.no_picture.setVisible(False)

        self.video_time = QDoubleSpinBox()
        self.video_time.setDecimals(1)
        self.video_time.setSingleStep(STEP_S)
        self.video_time.setRange(0.0, MAX_VIDEO_S)
        self.video_time.setSuffix(self.tr(" s", "a number of seconds"))
        self.video_time.setToolTip(self.tr("Seconds from the video's first frame"))
        self.drill_moment = QComboBox()
        self.drill_moment.addItem(self.tr("The drill's start ({t})").format(t=mmss(0)), (START, 0.0))
        for t, what in sorted(moments, key=lambda m: m[0]):
            self.drill_moment.addItem(f"{mmss(t)}  {what}", ("event", float(t)))
        self.drill_moment.addItem(self.tr("The drill's end ({t})").format(t=mmss(self.drill_end_s)),
                                  (END, self.drill_end_s))
        self.drill_moment.addItem(self.tr("A drill time I type"), (TYPED, 0.0))
        self.drill_time = QDoubleSpinBox()
        self.drill_time.setDecimals(1)
        self.drill_time.setRange(0.0, max(self.drill_end_s, 0.0))
        self.drill_time.setSuffix(self.tr(" s", "a number of seconds"))
        self.drill_time.setToolTip(self.tr("Seconds since the drill started"))
        self.drill_time.setEnabled(False)
        self.offset = QLabel()
        self.offset.setWordWrap(True)
        self.label_edit = QLineEdit()
        self.label_edit.setPlaceholderText(self.tr("e.g. room camera, phone at the bed's foot"))
        self.label_edit.setMaxLength(80)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setVisible(False)

        form = QFormLayout()
        form.addRow(self.tr("In the video at"), self.video_time)
        moment_row = QHBoxLayout()
        moment_row.addWidget(self.drill_moment, 1)
        moment_row.addWidget(self.drill_time)
        form.addRow(self.tr("On the drill clock"), moment_row)
        form.addRow(self.tr("Offset"), self.offset)
        form.addRow(self.tr("Label"), self.label_edit)

        self.buttons = QDialogButtonBox()
        self.attach_button = self.buttons.addButton(self.tr("Attach"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.attach_button.clicked.connect(self.attach)
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.file_label)
        self._build_picture(layout)
        layout.addWidget(self.slider)
        layout.addLayout(steps)
        layout.addWidget(self.no_picture)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

        self.video_time.valueChanged.connect(self._video_time_changed)
        self.slider.valueChanged.connect(lambda ms: self._from_slider(ms))
        self.drill_moment.currentIndexChanged.connect(self._moment_changed)
        self.drill_time.valueChanged.connect(lambda _v: self._update_offset())
        self.play_button.clicked.connect(self._toggle_play)
        self._update_offset()

    # --- the picture --------------------------------------------------------------------------
    def _build_picture(self, layout: QVBoxLayout) -> None:
        from simtool.ui.archiveviews.videopanel import multimedia
        mm = multimedia()
        if mm is None:
            for w in (self.slider, self.play_button, *self.step_buttons.values()):
                w.setVisible(False)
            self.no_picture.setText(self.tr(
                "No picture: Qt Multimedia is not installed (the PySide6-Addons package). Read "
                "the moment's time off any video player and type it below."))
            self.no_picture.setVisible(True)
            return
        player_cls, widget_cls, _audio = mm
        self.view = widget_cls()
        self.view.setMinimumSize(320, 180)
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout.addWidget(self.view, 1)
        self.player = player_cls(self)
        self.player.setVideoOutput(self.view)
        self.player.durationChanged.connect(self._duration_known)
        self.player.positionChanged.connect(self._position_moved)
        self.player.errorOccurred.connect(self._cannot_show)
        self.player.setSource(QUrl.fromLocalFile(str(self.file)))

    def _duration_known(self, ms: int) -> None:
        if ms > 0:
            self.slider.setRange(0, int(ms))
            self.video_time.setMaximum(ms / 1000.0)

    def _position_moved(self, ms: int) -> None:
        # the picture moved (playing): the marked time follows it
        if self.player is not None and self._is_playing():
            self.video_time.blockSignals(True)
            self.video_time.setValue(ms / 1000.0)
            self.video_time.blockSignals(False)
            self.slider.blockSignals(True)
            self.slider.setValue(int(ms))
            self.slider.blockSignals(False)
            self._update_offset()

    def _cannot_show(self, _error: Any, text: str) -> None:
        self.no_picture.setText(self.tr(
            "No picture: {reason}. Type the moment's time in the video below; attaching checks "
            "that the file is a playable video.").format(
                reason=text or self.tr("Qt cannot play this file")))
        self.no_picture.setVisible(True)

    def _is_playing(self) -> bool:
        from PySide6.QtMultimedia import QMediaPlayer
        return self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def _toggle_play(self) -> None:
        if self.player is None:
            return
        if self._is_playing():
            self.player.pause()
            self.play_button.setText(self.tr("Play"))
        else:
            self.player.play()
            self.play_button.setText(self.tr("Pause"))

    def _from_slider(self, ms: int) -> None:
        self.video_time.setValue(ms / 1000.0)

    def _video_time_changed(self, seconds: float) -> None:
        ms = int(round(seconds * 1000))
        if self.slider.value() != ms:
            self.slider.blockSignals(True)
            self.slider.setValue(ms)
            self.slider.blockSignals(False)
        if self.player is not None and abs(self.player.position() - ms) > 1:
            self.player.setPosition(ms)
        self._update_offset()

    # --- the moment on the drill clock ----------------------------------------------------------
    def _moment_changed(self, _index: int) -> None:
        kind, _t = self.drill_moment.currentData()
        self.drill_time.setEnabled(kind == TYPED)
        self._update_offset()

    def marked_drill_time(self) -> float:
        kind, t = self.drill_moment.currentData()
        return self.drill_time.value() if kind == TYPED else float(t)

    def offset_s(self) -> float:
        from simtool.app.media import offset_from_moment
        return offset_from_moment(self.video_time.value(), self.marked_drill_time())

    def _update_offset(self) -> None:
        offset = self.offset_s()
        if offset >= 0:
            text = self.tr("{s} s: the video's first frame is at {t} of the drill")
        else:
            text = self.tr("{s} s: the video started {t} before the drill")
        self.offset.setText(text.format(t=mmss(abs(offset)), s=f"{offset:+.1f}"))

    def select_moment(self, drill_t: float) -> bool:
        """Pick the timeline's moment at ``drill_t`` (or the start or the end)."""
        for i in range(self.drill_moment.count()):
            kind, t = self.drill_moment.itemData(i)
            if kind != TYPED and abs(t - drill_t) < 1e-6:
                self.drill_moment.setCurrentIndex(i)
                return True
        return False

    # --- attaching ----------------------------------------------------------------------------
    def attach(self) -> None:
        from simtool.ui.archiveviews.worker import run_in_background
        if self.busy:
            return
        self.busy = True
        if self.player is not None:
            self.player.pause()
        for w in (self.attach_button, self.video_time, self.drill_moment, self.drill_time,
                  self.label_edit):
            w.setEnabled(False)
        self._say(self.tr("Checking and copying the video beside the archive… (a long "
                          "recording takes a while)"), error=False)
        offset, label = self.offset_s(), self.label_edit.text().strip() or None
        run_in_background(
            lambda: attach_in_thread(self.archive_path, self.drill_id, self.file, offset, label),
            self._done, self._refused)

    def _alive(self) -> bool:
        import shiboken6
        return shiboken6.isValid(self)

    def _done(self, media: Any) -> None:
        self.busy = False
        if not self._alive():
            return
        self.attached.emit(media)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.busy = False
        if not self._alive():
            return
        for w in (self.attach_button, self.video_time, self.drill_moment, self.label_edit):
            w.setEnabled(True)
        self.drill_time.setEnabled(self.drill_moment.currentData()[0] == TYPED)
        reason = str(exc) if isinstance(exc, SimtoolError) else f"{type(exc).__name__}: {exc}"
        self._say(self.tr("Not attached: {reason}").format(reason=reason), error=True)

    def _say(self, text: str, *, error: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(badge_style(BAD) if error else "color: #37474f;")
        self.status.setVisible(True)

    def reject(self) -> None:
        if self.busy:      # the copy is under way: it finishes (or is refused) whole
            return
        if self.player is not None:
            self.player.stop()
        super().reject()

    def done(self, result: int) -> None:  # noqa: D401 - Qt's name
        if self.player is not None:
            self.player.stop()
        super().done(result)
