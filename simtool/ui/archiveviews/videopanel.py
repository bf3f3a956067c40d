"""The drill's video in the debrief, kept in step with the drill clock (issue 23, item 2).

Qt Multimedia (PySide6-Addons) is imported here, and this module only when a debrief opens,
so the window starts without it (tests/ui/test_startup_imports.py). Without Qt Multimedia,
without a video attached, with the file missing or a codec Qt cannot play, the panel says why
in one line and the rest of the debrief works as before.

Drill time = video time + the video's ``offset_s`` (``simtool.store.media``). ``show(t)``
puts the video at drill time ``t``: while paused it seeks there; while playing it only seeks
when the video has drifted more than ``DRIFT_MS`` from the drill clock, so playback stays
smooth. Before the video starts or after it ends, the panel says so over its last picture."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget,
)

DRIFT_MS = 250


def multimedia() -> tuple[Any, Any, Any] | None:
    """(QMediaPlayer, QVideoWidget, QAudioOutput) or None without Qt Multimedia."""
    try:
        from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
        from PySide6.QtMultimediaWidgets import QVideoWidget
    except ImportError:
        return None
    return QMediaPlayer, QVideoWidget, QAudioOutput


class VideoPanel(QWidget):
    """One of the drill's videos (a chooser when there are several), or why there is none;
    "Attach video…" asks for another (``attach_requested``: the debrief lines it up)."""

    attach_requested = Signal()

    def __init__(self, videos: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.videos = videos
        self.player: Any = None
        self._wanted: tuple[float, bool, float] | None = None
        self.current: Any = None
        self.playing = False
        self.rate = 1.0
        self.error = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.chooser = QComboBox()
        self.chooser.setVisible(len(videos) > 1)
        for m in videos:
            self.chooser.addItem(m.label or m.original_name)
        self.attach_button = QPushButton(self.tr("Attach video…"))
        self.attach_button.setToolTip(self.tr(
            "A room camera or phone recording of this drill (MP4 or MOV), lined up with the "
            "drill clock by one moment both show"))
        self.attach_button.clicked.connect(self.attach_requested)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.chooser, 1)
        top.addStretch(0 if len(videos) > 1 else 1)
        top.addWidget(self.attach_button)
        layout.addLayout(top)
        # which video, and where it sits on the drill clock
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet("color: #37474f; font-weight: bold;")
        self.caption.setVisible(False)
        layout.addWidget(self.caption)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #546e7a;")
        self.view: Any = None
        mm = multimedia()
        if not videos:
            self._say(self.tr("No video is attached to this drill: “Attach video…” adds a room "
                              "camera or phone recording."))
        elif mm is None:
            self._say(self.tr("No video: Qt Multimedia is not installed (the PySide6-Addons "
                              "package); the rest of the debrief works without it."))
        else:
            player_cls, widget_cls, audio_cls = mm
            self.view = widget_cls()
            # small at least: beside the debrief's tabs it must leave the window no taller than
            # a 768-px laptop screen (the splitter gives it more wherever there is room)
            self.view.setMinimumSize(96, 54)
            self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            layout.addWidget(self.view, 1)
            self.player = player_cls(self)
            self.audio = audio_cls(self)
            self.player.setAudioOutput(self.audio)
            self.player.setVideoOutput(self.view)
            self.player.errorOccurred.connect(self._failed)
            # a seek asked for while the file still loads is lost: asked again once it is loaded
            self.player.mediaStatusChanged.connect(self._loaded)
            self.chooser.currentIndexChanged.connect(self._choose)
            self._choose(0)
        layout.addWidget(self.status)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _choose(self, index: int) -> None:
        if not 0 <= index < len(self.videos) or self.player is None:
            return
        m = self.videos[index]
        self.current, self.error = m, ""
        self.caption.setText(self.tr("Video: {name}, from {start} to {end} of the drill").format(
            name=m.label or m.original_name, start=_mmss(m.offset_s),
            end=_mmss(m.offset_s + m.duration_s)))
        self.caption.setVisible(True)
        if not m.path.is_file():
            if getattr(m, "not_imported", False):   # its bundle came without the file
                self.error = self.tr("The video file is not in this archive: the bundle this "
                                     "drill came in did not carry it (bundle export --with-media).")
            else:
                self.error = self.tr("The video file {file} is missing (simtool verify names "
                                     "it).").format(file=str(m.path))
            self._say(self.tr("No video: {reason}").format(reason=self.error))
            self.player.setSource(QUrl())
            return
        self._say("")
        self.player.setSource(QUrl.fromLocalFile(str(m.path)))

    def _failed(self, _error: Any, text: str) -> None:
        self.error = text or self.tr("Qt cannot play this video (its codec may not be supported)")
        self._say(self.tr("No video: {reason}").format(reason=self.error))

    def _loaded(self, status: Any) -> None:
        from PySide6.QtMultimedia import QMediaPlayer
        if status == QMediaPlayer.MediaStatus.LoadedMedia and self._wanted is not None:
            self.show(*self._wanted)

    @property
    def usable(self) -> bool:
        return self.player is not None and self.current is not None and not self.error

    def position_ms(self) -> int:
        return int(self.player.position()) if self.player is not None else 0

    def show(self, t: float, playing: bool = False, rate: float = 1.0) -> None:  # type: ignore[override]
        """The video at drill time ``t``; playing at ``rate`` or paused."""
        self._wanted = (t, playing, rate)
        if not self.usable:
            return
        m = self.current
        pos = (t - m.offset_s) * 1000.0
        length = m.duration_s * 1000.0
        inside = 0.0 <= pos <= length
        if not inside:
            self._say(self.tr("The video starts at {start} and ends at {end} of the drill.").format(
                start=_mmss(m.offset_s), end=_mmss(m.offset_s + m.duration_s)))
        elif self.status.text() and not self.error:
            self._say("")
        target = int(min(max(pos, 0.0), length))
        if playing and inside:
            if self.player.playbackRate() != rate:
                self.player.setPlaybackRate(rate)
            if abs(self.player.position() - target) > DRIFT_MS * max(rate, 1.0):
                self.player.setPosition(target)
            if not self.playing:
                self.player.play()
                self.playing = True
        else:
            if self.playing:
                self.player.pause()
                self.playing = False
            if abs(self.player.position() - target) > 1:
                self.player.setPosition(target)

    def stop(self) -> None:
        if self.player is not None:
            self.player.stop()
            self.playing = False


def _mmss(t: float) -> str:
    from simtool.ui.display import mmss
    return mmss(t) if t >= 0 else "-" + mmss(-t)



