"""Record the room from a camera connected to the lab computer while the drill runs (issue 23,
item 1): Qt Multimedia's ``QMediaCaptureSession`` with a ``QCamera`` and a ``QMediaRecorder``.

The console shows a "Record camera" button. Whether a camera is there is asked once the
console is on screen (Qt Multimedia is imported then, never at the window's start-up); without
Qt Multimedia, without a camera, or for a drill that is not recorded in an archive, the button
is disabled and the line beside it says "No camera found" (or why), and the drill runs as
before.

The recording is written into a folder beside the archive (``ARCHIVE.recordings/``, never the
media folder itself). Its offset on the drill clock is the drill time at which the recorder
reported that it started recording (drill time = video time + offset). When the drill ends —
or when recording is stopped after it ended — each recording is attached to the drill through
``simtool.app.media.attach``, like ``simtool media attach``: probed, copied into the media
folder under its SHA-256, recorded with its audit row; the recording is then removed. A
recording that cannot be attached stays where it is and the line says where, so nothing
recorded is lost."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, QUrl, Signal
from shiboken6 import isValid
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from simtool.core.errors import SimtoolError


def capture_api() -> dict[str, Any] | None:
    """Qt Multimedia's capture classes, or None when it is not installed."""
    try:
        from PySide6 import QtMultimedia as qm
    except ImportError:
        return None
    return {"devices": qm.QMediaDevices, "camera": qm.QCamera, "session": qm.QMediaCaptureSession,
            "recorder": qm.QMediaRecorder, "format": qm.QMediaFormat}


def recordings_dir(archive_path: str | os.PathLike[str]) -> Path:
    """Where recordings wait to be attached: a folder beside the archive."""
    path = Path(archive_path)
    return path.with_name(path.name + ".recordings")


class CameraControl(QWidget):
    """"Record camera" and a line saying what the camera is doing."""

    attached = Signal(object)      # the MediaFile of a recording attached to the drill

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.api: dict[str, Any] | None = None
        self.device: Any = None
        self.capture: Any = None
        self.camera: Any = None
        self.recorder: Any = None
        self.started_at: float | None = None
        self.pending: list[tuple[Path, float, str]] = []   # (file, offset, label) to attach
        self._probed = False
        self.button = QPushButton(self.tr("Record camera"))
        self.button.setCheckable(True)
        self.button.setEnabled(False)
        self.button.setToolTip(self.tr("Record the room from a camera connected to this "
                                       "computer; the video is attached to the drill when it ends"))
        self.button.toggled.connect(self._on_toggled)
        self.status = QLabel(self.tr("Looking for a camera…"))
        self.status.setWordWrap(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.button)
        row.addWidget(self.status, 1)
        session.ended.connect(self._on_drill_ended)

    def showEvent(self, event: Any) -> None:   # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._probed:
            self._probed = True
            QTimer.singleShot(0, self, self.probe)   # after the console is on screen (not after it is gone)

    # --- is there a camera? ------------------------------------------------------------------
    def probe(self) -> None:
        """Find the computer's default camera; say why there is none."""
        self._probed = True
        if self.session.archive is None or self.session.drill_id is None:
            self._unavailable(self.tr("No camera recording: this drill is not kept in an archive"))
            return
        self.api = capture_api()
        if self.api is None:
            self._unavailable(self.tr("No camera found (Qt Multimedia is not installed)"))
            return
        try:
            inputs = list(self.api["devices"].videoInputs())
            default = self.api["devices"].defaultVideoInput()
        except Exception:   # a broken multimedia back end: no camera, the drill goes on
            inputs, default = [], None
        if not isValid(self.button):
            return   # the console closed while the multimedia back end looked for cameras
        if not inputs:
            self._unavailable(self.tr("No camera found"))
            return
        self.device = default if default is not None and not default.isNull() else inputs[0]
        self.button.setEnabled(not self.session.drill.ended)
        self.status.setText(self.tr("Camera: {name}").format(name=self.device.description()))

    def _unavailable(self, why: str) -> None:
        self.button.setEnabled(False)
        self.status.setText(why)

    # --- recording -----------------------------------------------------------------------------
    def _on_toggled(self, on: bool) -> None:
        if on:
            if not self.start():
                self.button.blockSignals(True)
                self.button.setChecked(False)
                self.button.blockSignals(False)
        else:
            self.stop()

    def start(self) -> bool:
        """Start recording the camera; False (and the line says why) if it cannot."""
        if self.api is None or self.device is None or self.recorder is not None:
            return False
        folder = recordings_dir(self.session.archive.path)
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            self.status.setText(self.tr("Cannot record: {reason}").format(
                reason=exc.strerror or str(exc)))
            return False
        target = folder / f"{self.session.drill_id}-{os.urandom(3).hex()}.mp4"
        api = self.api
        self.capture = api["session"](self)
        self.camera = api["camera"](self.device, self)
        self.recorder = api["recorder"](self)
        self.capture.setCamera(self.camera)
        self.capture.setRecorder(self.recorder)
        fmt = api["format"]()
        fmt.setFileFormat(api["format"].FileFormat.MPEG4)
        fmt.setVideoCodec(api["format"].VideoCodec.H264)
        self.recorder.setMediaFormat(fmt)
        self.recorder.setOutputLocation(QUrl.fromLocalFile(str(target)))
        self.recorder.recorderStateChanged.connect(self._on_recorder_state)
        self.recorder.errorOccurred.connect(self._on_recorder_error)
        self.target = target
        self.started_at = None
        self.camera.start()
        self.recorder.record()
        self.status.setText(self.tr("Starting the camera…"))
        return True

    def stop(self) -> None:
        if self.recorder is not None:
            self.recorder.stop()

    def _on_recorder_state(self, state: Any) -> None:
        rec = self.api["recorder"] if self.api else None
        if rec is None:
            return
        if state == rec.RecorderState.RecordingState and self.started_at is None:
            self.started_at = self.session.t   # the drill time of the video's first frame
            self.status.setText(self.tr("Recording from {t:.0f} s of the drill").format(
                t=self.started_at))
        elif state == rec.RecorderState.StoppedState:
            self._finished()

    def _on_recorder_error(self, *_args: Any) -> None:
        why = self.recorder.errorString() if self.recorder is not None else ""
        self.status.setText(self.tr("The camera stopped: {reason}").format(reason=why))

    def _finished(self) -> None:
        """The recorder stopped: keep the file to attach when the drill ends."""
        recorder, camera = self.recorder, self.camera
        url = recorder.actualLocation() if recorder is not None else QUrl()
        path = Path(url.toLocalFile()) if url.isLocalFile() else self.target
        if self.started_at is not None and path.is_file():
            label = self.tr("Camera: {name}").format(name=self.device.description())
            self.pending.append((path, self.started_at, label))
        if camera is not None:
            camera.stop()
        self.recorder = self.camera = self.capture = None
        self.button.blockSignals(True)
        self.button.setChecked(False)
        self.button.blockSignals(False)
        if self.session.drill.ended:
            self.button.setEnabled(False)
            QTimer.singleShot(0, self, self.attach_pending)
        elif self.pending:
            self.status.setText(self.tr("Recording kept; it is attached to the drill when the "
                                        "drill ends"))

    def _on_drill_ended(self) -> None:
        if self.recorder is not None:
            self.stop()          # attached once the recorder has closed the file
        else:
            self.button.setEnabled(False)
            QTimer.singleShot(0, self, self.attach_pending)   # once the end is stored

    def attach_pending(self) -> None:
        """Attach each recording to the drill (as ``simtool media attach`` does)."""
        from simtool.app.media import attach
        done = 0
        while self.pending:
            path, offset, label = self.pending[0]
            try:
                m = attach(self.session.archive, self.session.drill_id, path, offset, label)
            except SimtoolError as exc:
                self.status.setText(self.tr("The recording was not attached ({reason}); it is "
                                            "kept at {file}").format(reason=str(exc), file=str(path)))
                return
            self.pending.pop(0)
            done += 1
            try:
                path.unlink()
            except OSError:
                pass
            self.attached.emit(m)
        if done:
            self.status.setText(self.tr("Camera recording attached to the drill"))
