"""Alarm tones, where QtMultimedia can load.

PySide6-Essentials does not ship QtMultimedia, and where it does ship it may fail to load
(no backend, no audio device). So it is imported lazily, inside ``try``, when the monitor is
built; if anything fails the monitor runs silently and says so ("sound off").
"""

from __future__ import annotations

import importlib
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject

from simtool.ui.monitor.alarms import NONE, pcm16, tone_pattern

RATE = 22050


def load_multimedia() -> Any | None:
    """The QtMultimedia module, or None when it cannot be imported."""
    try:
        return importlib.import_module("PySide6.QtMultimedia")
    except Exception:  # ImportError, or a broken plugin raising something else
        return None


class AlarmSound(QObject):
    """Plays the burst of the current priority, repeated at the standard's interval."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.available = False
        self.reason = ""
        self._mm = load_multimedia()
        self._sink: Any = None
        self._buffer: QBuffer | None = None
        self._bursts: dict[int, bytes] = {}
        self._priority = NONE
        self._next_at = 0.0
        if self._mm is None:
            self.reason = "QtMultimedia is not available"
            return
        try:
            device = self._mm.QMediaDevices.defaultAudioOutput()
            if device.isNull():
                self.reason = "no audio output device"
                return
            fmt = self._mm.QAudioFormat()
            fmt.setSampleRate(RATE)
            fmt.setChannelCount(1)
            fmt.setSampleFormat(self._mm.QAudioFormat.SampleFormat.Int16)
            self._sink = self._mm.QAudioSink(device, fmt, self)
            self.available = True
        except Exception as exc:  # an audio backend that fails must not stop the monitor
            self.reason = str(exc) or type(exc).__name__

    def tick(self, priority: int, now: float, silenced: bool) -> None:
        """Called every frame: start a burst when one is due for ``priority``."""
        if not self.available:
            return
        if priority != self._priority:
            self._priority = priority
            self._next_at = now          # a new or higher alarm sounds at once
            if priority == NONE:
                self.stop()
        pattern = tone_pattern(priority)
        if pattern is None or silenced or now < self._next_at:
            return
        self._next_at = now + pattern.repeat_s
        self._play(priority)

    def stop(self) -> None:
        if self._sink is not None:
            self._sink.stop()

    def _play(self, priority: int) -> None:
        try:
            data = self._bursts.get(priority)
            if data is None:
                pattern = tone_pattern(priority)
                assert pattern is not None
                data = self._bursts[priority] = pcm16(pattern, RATE)
            self._sink.stop()
            buffer = QBuffer(self)
            buffer.setData(QByteArray(data))
            buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            if self._buffer is not None:
                self._buffer.deleteLater()
            self._buffer = buffer
            self._sink.start(buffer)
        except Exception as exc:
            self.available = False
            self.reason = str(exc) or type(exc).__name__
