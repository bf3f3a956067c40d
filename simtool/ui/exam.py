"""The OSCE exam day in the window (issue 22): pick an exam from the archive, see its rotation
per station and per candidate (and print it), show examiners the join QR code and address,
start, close and release it, and run the master clock on the lab's screen.

The master clock reads the same exam clock as the marking server (``ExamDay.clock``: the
exam's recorded start), through ``clock`` (UTC now; a test gives its own). It shows the round,
the phase and the time left in big type and rings a bell — a coloured flash and a sound — at
reading, start, one minute left and change (``bell`` is emitted with the kind). The sound
(QtMultimedia, or ``QApplication.beep`` without it) is loaded on the first bell, never at
start-up. Everything that changes the record goes through ``simtool.app.exam``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPixmap
from PySide6.QtWidgets import (
    QApplication, QComboBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QMessageBox, QPushButton, QSpinBox, QSplitter, QTableWidget, QTabWidget, QVBoxLayout, QWidget,
)

from simtool.core.exam import blueprint
from simtool.ui.archiveviews.common import cell, heading
from simtool.ui.tables import make_table

BELLS = ("reading", "start", "minute", "change", "over")
PHASE_COLOUR = {"reading": "#1565c0", "station": "#1b5e20", "changeover": "#8a6100",
                "over": "#33414e", "before": "#33414e"}
FLASH = {"reading": "#bbdefb", "start": "#c8e6c9", "minute": "#ffcdd2", "change": "#ffe0b2",
         "over": "#e0e0e0"}
BEEPS = {"reading": 1, "start": 2, "minute": 1, "change": 3, "over": 2}
# the master clock before its exam starts: the planned start in a light, normal-weight type
# (a dash in the clock's big bold type showed as a black bar)
IDLE_COLOUR = "#90a4ae"
# the marking servers this window started, by exam id: they outlive a page rebuilt on a
# language switch (the new page takes its exam's server over) and stop when the app quits
_SERVERS: dict[str, Any] = {}


def _stop_all() -> None:
    for proc in list(_SERVERS.values()):
        proc.terminate()
        if not proc.waitForFinished(10000):
            proc.kill()
    _SERVERS.clear()


def _mmss(seconds: float) -> str:
    s = max(0, int(seconds + 0.999))      # 0:01 until it is over
    return f"{s // 60}:{s % 60:02d}"


def _text(label: Any, lang: str) -> str:
    d = dict(label or {})
    return d.get(lang) or d.get("zh_CN" if lang == "zh_TW" else "en") or d.get("en", "")


class _Sound:
    """The bell's sound, loaded on first use: a short tone through QtMultimedia when it is
    there, else the system beep."""

    def __init__(self) -> None:
        self.effect: Any = None
        self.tried = False

    def _load(self) -> None:
        self.tried = True
        try:
            import math
            import struct
            import os
            import tempfile
            import wave
            from pathlib import Path

            from PySide6.QtCore import QUrl
            from PySide6.QtMultimedia import QSoundEffect
            # this process's own file (mkstemp: never a name another user could plant or link)
            fd, name = tempfile.mkstemp(prefix="simtool-exam-bell-", suffix=".wav")
            os.close(fd)
            path = Path(name)
            rate = 22050
            frames = b"".join(struct.pack("<h", int(12000 * math.sin(2 * math.pi * 880 * i / rate)
                                                    * min(1.0, (rate * 0.35 - i) / 2000)))
                              for i in range(int(rate * 0.35)))
            with wave.open(str(path), "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(rate)
                w.writeframes(frames)
            effect = QSoundEffect()
            effect.setSource(QUrl.fromLocalFile(str(path)))
            self.effect = effect
        except Exception:  # noqa: BLE001 - no audio back end: the system beep instead
            self.effect = None

    def __call__(self, kind: str) -> None:
        if not self.tried:
            self._load()
        times = BEEPS.get(kind, 1)
        for i in range(times):
            QTimer.singleShot(i * 450, self._ring)

    def _ring(self) -> None:
        if self.effect is not None:
            self.effect.play()
        else:
            QApplication.beep()


class ExamView(QWidget):
    """The exam day page: the exam, its schedule, the join code, the buttons and the clock."""

    bell = Signal(str)

    def __init__(self, archive: Any, lang: str = "en", parent: QWidget | None = None, *,
                 clock: Callable[[], datetime] | None = None,
                 sound: Callable[[str], None] | None = None, exam_id: str | None = None) -> None:
        super().__init__(parent)
        self.archive, self.lang = archive, lang
        self._now = clock or (lambda: datetime.now(timezone.utc))
        self._sound = sound if sound is not None else _Sound()
        self.day: Any = None
        self._last: tuple[Any, ...] | None = None     # (round, phase, last minute) at the last tick
        self.rung: list[str] = []                      # the bells rung, oldest first

        self.exam = QComboBox()
        self.exam.setMinimumContentsLength(18)
        self.exam.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.start_button = QPushButton(self.tr("Start exam"))
        self.start_button.setToolTip(self.tr("Start the exam clock now and record every sitting; "
                                             "the marking server counts its rounds from it"))
        self.close_button = QPushButton(self.tr("Close exam"))
        self.close_button.setToolTip(self.tr("No more marks are taken"))
        self.release_button = QPushButton(self.tr("Release results"))
        self.release_button.setToolTip(self.tr("Candidates may see their results; the results PDFs "
                                               "can be printed"))
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setToolTip(self.tr("The schedule per station and per candidate as a PDF"))
        self.start_button.clicked.connect(self.start_exam)
        self.close_button.clicked.connect(self.close_exam)
        self.release_button.clicked.connect(self.release_results)
        self.print_button.clicked.connect(lambda: self.print_schedule())
        top = QHBoxLayout()
        top.addWidget(heading(self.tr("OSCE exam day")))
        top.addWidget(QLabel(self.tr("Exam")))
        top.addWidget(self.exam, 1)
        for b in (self.start_button, self.close_button, self.release_button, self.print_button):
            top.addWidget(b)

        # the schedule
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.by_station: QTableWidget = make_table([self.tr("Station"), self.tr("Round"),
                                                    self.tr("Start"), self.tr("Candidate")])
        self.by_candidate: QTableWidget = make_table([self.tr("Candidate"), self.tr("Round"),
                                                      self.tr("Start"), self.tr("Station")])
        # the blueprint: each competency and the stations that sample it (one none samples in red)
        self.blueprint: QTableWidget = make_table([self.tr("Competency"), self.tr("Sampled by")])
        self.tabs = QTabWidget()
        self.tabs.addTab(self.by_station, self.tr("By station"))
        self.tabs.addTab(self.by_candidate, self.tr("By candidate"))
        self.tabs.addTab(self.blueprint, self.tr("Blueprint"))
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.info)
        ll.addWidget(self.tabs, 1)

        # the master clock
        self.clock_box = QGroupBox(self.tr("Master clock"))
        self.round_label = QLabel()
        self.phase_label = QLabel()
        self.time_label = QLabel()
        self.signal_label = QLabel()
        self.signal_label.setWordWrap(True)
        for label, size in ((self.round_label, 1.6), (self.phase_label, 2.0), (self.time_label, 5.0)):
            f = QFont(label.font())
            f.setPointSizeF(f.pointSizeF() * size)
            f.setBold(True)
            label.setFont(f)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.signal_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        cl = QVBoxLayout(self.clock_box)
        for w in (self.round_label, self.phase_label, self.time_label, self.signal_label):
            cl.addWidget(w)

        # joining
        self.join_box = QGroupBox(self.tr("Examiners join"))
        from simtool.app.exam import lan_addresses
        self.host = QComboBox()
        self.host.setEditable(True)
        self.host.addItems(lan_addresses())
        self.port = QSpinBox()
        self.port.setRange(1024, 65535)
        self.port.setValue(8765)
        self.pin = QLineEdit()
        self.pin.setMaxLength(12)
        self.pin.setPlaceholderText(self.tr("4 to 12 digits"))
        self.url = QLabel()
        self.url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setFixedSize(180, 180)
        self.serve_button = QPushButton(self.tr("Serve marking page"))
        self.serve_button.setToolTip(self.tr("Serve the examiners' marking page on this address "
                                             "(starts the exam clock if it has not started)"))
        self.serve_button.clicked.connect(self.toggle_serving)
        self.server: Any = None                        # the QProcess of `simtool exam serve`
        self.serve_hint = QLabel()
        self.serve_hint.setWordWrap(True)
        self.serve_hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow(self.tr("Address"), self.host)
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("PIN"), self.pin)
        jl = QHBoxLayout(self.join_box)
        jcol = QVBoxLayout()
        jcol.addLayout(form)
        jcol.addWidget(self.url)
        jcol.addWidget(self.serve_button, 0, Qt.AlignmentFlag.AlignLeft)
        jcol.addWidget(self.serve_hint, 1)
        jl.addLayout(jcol, 1)
        jl.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        for w in (self.host,):
            w.currentTextChanged.connect(lambda _t: self._show_join())
        self.port.valueChanged.connect(lambda _v: self._show_join())
        self.pin.textChanged.connect(lambda _t: self._show_join())

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.clock_box, 3)
        rl.addWidget(self.join_box, 2)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        lay.addWidget(self.status)

        self.timer = QTimer(self)
        self.timer.setInterval(250)
        self.timer.timeout.connect(self.tick)
        self.bell.connect(self._ring)
        self._fill_exams(exam_id)
        self.exam.currentIndexChanged.connect(lambda _i: self.open_exam())
        self.open_exam()
        self.timer.start()

    # --- the exam -----------------------------------------------------------------------------
    def _fill_exams(self, chosen: str | None) -> None:
        from simtool.app.exam import exams_in
        self.exam.clear()
        try:
            found = exams_in(self.archive)
        except Exception as exc:  # noqa: BLE001 - an unreadable archive: said, not a traceback
            self.status.setText(str(exc))
            found = []
        for e in reversed(found):              # the newest first
            self.exam.addItem(f"{_text(e['title'], self.lang)} ({e['id']})", e["id"])
        if chosen is not None and self.exam.findData(chosen) >= 0:
            self.exam.setCurrentIndex(self.exam.findData(chosen))
        if not found:
            self.exam.addItem(self.tr("No exams in the archive (simtool exam create EXAM.yaml)"), None)

    def open_exam(self) -> None:
        from simtool.app.exam import ExamDay, ExamDayError
        exam_id = self.exam.currentData()
        self.day, self._last = None, None
        if exam_id is not None:
            try:
                self.day = ExamDay(self.archive, exam_id)
            except ExamDayError as exc:
                self.status.setText(str(exc))
        self._fill_schedule()
        self._show_join()
        self._update_buttons()
        running = _SERVERS.get(exam_id) if exam_id is not None else None
        if running is not None and self.server is not running:
            self._adopt(running)
        self.tick()

    def _fill_schedule(self) -> None:
        for t in (self.by_station, self.by_candidate, self.blueprint):
            t.setRowCount(0)
        day = self.day
        if day is None:
            self.info.setText("")
            return
        titles = {sid: _text(t, self.lang) for sid, t in self._titles().items()}
        self._fill_blueprint(titles)
        rows = day.schedule_rows()
        t = day.timing
        z = day.zero()
        if z is not None:
            when = self.tr("Started %1: times are on the exam clock").replace(
                "%1", z.astimezone().strftime("%Y-%m-%d %H:%M:%S"))
        elif day.definition.get("start"):
            when = self.tr("Not started: times are planned from the file's start %1").replace(
                "%1", day.definition["start"])
        else:
            when = self.tr("Not started: times count from the start")
        self.info.setText(self.tr("%1 rounds: reading %2, station %3, changeover %4. %5")
                          .replace("%1", str(day.plan.rounds)).replace("%2", _mmss(t.reading_s))
                          .replace("%3", _mmss(t.station_s)).replace("%4", _mmss(t.changeover_s))
                          .replace("%5", when))

        def station(sid: str) -> str:
            return self.tr("rest") if sid == "rest" else f"{titles.get(sid, sid)} ({sid})"

        order = {s: i for i, s in enumerate(day.stations)}
        for r in sorted(rows, key=lambda r: (order.get(r["station"], len(order)), r["round"])):
            if r["station"] == "rest":
                continue
            self._add(self.by_station, [station(r["station"]), str(r["round"]), r["start"],
                                        f"{r['name']} ({r['candidate']})"])
        corder = {c: i for i, c in enumerate(day.candidates)}
        for r in sorted(rows, key=lambda r: (corder[r["candidate"]], r["round"])):
            self._add(self.by_candidate, [f"{r['name']} ({r['candidate']})", str(r["round"]),
                                          r["start"], station(r["station"])], rest=r["station"] == "rest")

    def _fill_blueprint(self, titles: dict[str, str]) -> None:
        """Each competency of the exam with the stations that sample it; a competency no
        station samples is shown in red (the blueprint does not cover it)."""
        definition = self.day.definition if self.day is not None else {}
        for b in blueprint(definition.get("stations", []), definition.get("competencies", [])):
            where = ", ".join(f"{titles.get(sid, sid)} ({sid})" for sid in b["stations"])
            row = self.blueprint.rowCount()
            self.blueprint.insertRow(row)
            self.blueprint.setItem(row, 0, cell(_text(b["label"], self.lang) or b["competency"]))
            item = cell(where or self.tr("no station samples it"))
            if not b["stations"]:
                item.setForeground(QColor("#b00020"))
            self.blueprint.setItem(row, 1, item)

    def _titles(self) -> dict[str, Any]:
        try:
            return self.day.station_titles()
        except Exception:  # noqa: BLE001 - a rubric changed since: its id is shown instead
            return {}

    @staticmethod
    def _add(table: QTableWidget, values: list[str], rest: bool = False) -> None:
        row = table.rowCount()
        table.insertRow(row)
        for col, v in enumerate(values):
            item = cell(v)
            if rest:
                item.setForeground(QColor("#6b7785"))
            table.setItem(row, col, item)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        """The time left fills the clock's box: readable across the room on a big screen."""
        super().resizeEvent(event)
        h = max(60, self.clock_box.height())
        f = QFont(self.time_label.font())
        f.setPointSizeF(max(28.0, min(160.0, h / 4.5)))
        self.time_label.setFont(f)

    def _update_buttons(self) -> None:
        day = self.day
        started = day is not None and day.zero() is not None
        closed = day is not None and day.has("close")
        released = day is not None and day.has("release")
        self.start_button.setEnabled(day is not None and not started)
        self.close_button.setEnabled(started and not closed)
        self.release_button.setEnabled(started and not released)
        self.print_button.setEnabled(day is not None)
        if released:
            self.status.setText(self.tr("Results released."))
        elif closed:
            self.status.setText(self.tr("The exam is closed: no more marks are taken."))

    def _show_join(self) -> None:
        from simtool.app.exam import join_qr_png, join_url
        host, port, pin = self.host.currentText().strip(), self.port.value(), self.pin.text().strip()
        if not host:
            self.url.setText("")
            self.qr.clear()
            return
        url = join_url(host, port)
        self.url.setText(url)
        pix = QPixmap()
        pix.loadFromData(join_qr_png(url, scale=4))
        self.qr.setPixmap(pix.scaled(self.qr.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                     Qt.TransformationMode.FastTransformation))
        exam = self.day.id if self.day is not None else "ID"
        self.serve_hint.setText(self.tr("Examiners scan the code and enter the PIN. The same "
                                        "from the command line:") +
                                f"\nsimtool exam serve {exam} --host {host} --port {port} "
                                f"--pin {pin or 'PIN'}")

    # --- serving the marking page -------------------------------------------------------------
    def serving(self) -> bool:
        from PySide6.QtCore import QProcess
        return self.server is not None and self.server.state() != QProcess.ProcessState.NotRunning

    def toggle_serving(self) -> None:
        """Start `simtool exam serve` for this exam on the address, port and PIN shown (a
        process of its own: the page keeps its clock running), or stop it."""
        if self.serving():
            self.stop_serving()
            return
        if self.day is None:
            return
        from simtool.web.server import pin_problem
        pin = self.pin.text().strip()
        problem = pin_problem(pin)
        if problem:
            self.status.setText(self.tr("Give the exam a PIN of 4 to 12 digits first."))
            return
        from simtool.app.exam import ExamDayError, check_can_serve
        try:
            # one exam server per archive: another (a terminal's, another window's) is named
            check_can_serve(self.archive.path)
        except ExamDayError as exc:
            self.status.setText(str(exc))
            return
        import sys

        from PySide6.QtCore import QProcess
        proc = QProcess()
        if not _SERVERS:
            app = QApplication.instance()
            if app is not None:
                app.aboutToQuit.connect(_stop_all)
        _SERVERS[self.day.id] = proc
        proc.setProgram(sys.executable)
        proc.setArguments(["-m", "simtool", "exam", "serve", self.day.id, "--host",
                           self.host.currentText().strip(), "--port", str(self.port.value()),
                           "--pin", pin, "--archive", str(self.archive.path)])
        proc.start()
        self._adopt(proc)
        self.status.setText(self.tr("Marking page served at %1 (examiners join with the PIN).")
                            .replace("%1", self.url.text()))

    def _adopt(self, proc: Any) -> None:
        self.server = proc
        proc.finished.connect(lambda *_a, p=proc: self._served_ended(p))
        self.serve_button.setText(self.tr("Stop marking page"))
        for w in (self.host, self.port, self.pin):
            w.setEnabled(False)

    def stop_serving(self) -> None:
        proc = self.server
        if proc is not None and self.serving():
            proc.terminate()                 # uvicorn stops on SIGTERM; marking stops with it
            if not proc.waitForFinished(10000):
                proc.kill()
                proc.waitForFinished(5000)

    def _served_ended(self, proc: Any) -> None:
        for key in [k for k, v in _SERVERS.items() if v is proc]:
            del _SERVERS[key]
        if proc is not self.server:
            return
        try:
            err = bytes(proc.readAllStandardError().data()).decode("utf-8", "replace").strip()
            self.server = None
            self.serve_button.setText(self.tr("Serve marking page"))
            for w in (self.host, self.port, self.pin):
                w.setEnabled(True)
            last = err.splitlines()[-1] if err else ""
            self.status.setText(self.tr("The marking page is stopped.") + (f" {last}" if last else ""))
            self._last = None
            self._fill_schedule()
            self._update_buttons()
        except RuntimeError:          # this page was rebuilt or closed: nothing left to show
            pass

    # --- the buttons --------------------------------------------------------------------------
    def _ask(self, text: str) -> bool:
        if self.property("no_confirm"):
            return True
        return QMessageBox.question(self, self.tr("OSCE exam day"), text) == \
            QMessageBox.StandardButton.Yes

    def start_exam(self) -> None:
        from simtool.app.exam import ExamDayError
        if self.day is None or not self._ask(self.tr("Start the exam clock now? It is written "
                                                     "once and cannot be moved.")):
            return
        from PySide6.QtWidgets import QProgressDialog
        dialog = QProgressDialog(self.tr("Recording every sitting of the exam…"), "", 0, 0, self)
        dialog.setCancelButton(None)                 # one transaction: all of it or nothing
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)

        def progress(done: int, total: int) -> None:
            dialog.setMaximum(total)
            dialog.setValue(done)
            QApplication.processEvents()
        ticking = self.timer.isActive()
        self.timer.stop()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.day.start(now=self._now(), progress=progress)
        except ExamDayError as exc:
            self.status.setText(str(exc))
        finally:
            QApplication.restoreOverrideCursor()
            dialog.close()
            if ticking:
                self.timer.start()
        self._last = None
        self._fill_schedule()
        self._update_buttons()
        self.tick()

    def close_exam(self) -> None:
        if self.day is not None and self._ask(self.tr("Close the exam? No more marks are taken.")):
            self.day.close()
            self._update_buttons()

    def release_results(self) -> None:
        if self.day is not None and self._ask(self.tr("Release the results to the candidates?")):
            self.day.release()
            self._update_buttons()

    def print_schedule(self, path: str | None = None) -> str | None:
        """Write the schedule PDF (asking where when ``path`` is None); returns the path."""
        if self.day is None:
            return None
        if path is None:
            path, _f = QFileDialog.getSaveFileName(self, self.tr("Print schedule"),
                                                   f"{self.day.id}-schedule.pdf", self.tr("PDF (*.pdf)"))
            if not path:
                return None
        from simtool.store.outputs import write_atomic
        try:
            write_atomic(path, self.day.schedule_pdf(self.lang), protect=[self.archive.path],
                         force=True)
        except Exception as exc:  # noqa: BLE001 - a refused or failed write: one sentence
            self.status.setText(str(exc))
            return None
        self.status.setText(self.tr("Schedule written to %1").replace("%1", path))
        return path

    # --- the master clock ---------------------------------------------------------------------
    def in_use(self) -> bool:
        """Whether this page's exam is running (started, not over): its bells must ring on
        time while another page is shown, so the window keeps the page and shows it again."""
        if self.day is None:
            return False
        try:
            c = self.day.clock(self._now())
        except Exception:  # noqa: BLE001 - an exam the archive cannot read has no clock to keep
            return False
        return bool(c["started"]) and c["phase"] != "over"

    def _show_idle(self, planned: tuple[str, str] | None) -> None:
        """The clock before its exam starts: "Planned start" and the time the file plans (its
        date too when that is not today), light and in a normal weight; nothing without a plan."""
        caption, when = planned or ("", "")
        self.phase_label.setText(caption)
        self.phase_label.setStyleSheet("")
        self.time_label.setText(when)
        self.time_label.setStyleSheet(f"color: {IDLE_COLOUR};")
        self._bold_clock(False)

    def _planned_start(self) -> tuple[str, str] | None:
        """("Planned start" [and its date, when not today], "08:30"), or None without a plan."""
        try:
            planned = self.day.planned_start(self._now()) if self.day is not None else None
        except Exception:  # noqa: BLE001 - a start or date the file got wrong: no plan shown
            return None
        if planned is None:
            return None
        local = planned.astimezone()
        caption = self.tr("Planned start")
        if local.date() != self._now().astimezone().date():
            caption += " " + local.strftime("%Y-%m-%d")
        return caption, local.strftime("%H:%M")

    def _bold_clock(self, bold: bool) -> None:
        font = self.time_label.font()
        if font.bold() != bold:
            font.setBold(bold)
            self.time_label.setFont(font)

    def phase_words(self, phase: str) -> str:
        return {"before": self.tr("Starts in"), "reading": self.tr("Reading time"),
                "station": self.tr("Station time"), "changeover": self.tr("Changeover"),
                "over": self.tr("Exam over")}.get(phase, phase)

    def bell_words(self, kind: str) -> str:
        return {"reading": self.tr("Reading: read the task at the door"),
                "start": self.tr("Start: enter the station"),
                "minute": self.tr("One minute left"),
                "change": self.tr("Change: move to the next station"),
                "over": self.tr("The exam is over")}.get(kind, kind)

    def tick(self) -> None:
        self._ticks = getattr(self, "_ticks", 0) + 1
        if self._ticks % 20 == 0 and self.day is not None:
            self._update_buttons()            # the server or the command line may have moved on
        day = self.day
        if day is None:
            self.round_label.setText("")
            self._show_idle(None)
            return
        c = day.clock(self._now())
        if not c["started"]:
            self.round_label.setText(self.tr("Not started"))
            self._show_idle(self._planned_start())
            self._last = None
            return
        self._bold_clock(True)
        phase, left, rnd = c["phase"], float(c["left_s"]), c["round"]
        self.round_label.setText(self.tr("Round %1 of %2").replace("%1", str(rnd or "—"))
                                 .replace("%2", str(c["rounds"])) if phase not in ("before", "over")
                                 else "")
        self.phase_label.setText(self.phase_words(phase))
        self.time_label.setText(_mmss(left) if phase != "over" else "")
        colour = PHASE_COLOUR.get(phase, "")
        if phase == "station" and left <= 60:
            colour = "#c62828"
        for label in (self.phase_label, self.time_label):
            label.setStyleSheet(f"color: {colour};")
        state = (rnd, phase, phase == "station" and left <= 60)
        last, self._last = self._last, state
        if last is None or last == state:
            return
        kind = None
        if phase == "reading" and (last[1] != "reading" or last[0] != rnd):
            kind = "reading"
        elif phase == "station" and last[1] != "station":
            kind = "start" if not state[2] else "minute"
        elif phase == "station" and state[2] and not last[2]:
            kind = "minute"
        elif phase == "changeover" and last[1] != "changeover":
            kind = "change"
        elif phase == "over" and last[1] != "over":
            kind = "over"
        if kind is not None:
            self.bell.emit(kind)

    def _ring(self, kind: str) -> None:
        self.rung.append(kind)
        self.signal_label.setText(self.bell_words(kind))
        self.clock_box.setStyleSheet(f"QGroupBox {{ background: {FLASH.get(kind, '')}; }}")
        QTimer.singleShot(2500, self.clock_box, lambda: self.clock_box.setStyleSheet(""))
        try:
            self._sound(kind)
        except Exception:  # noqa: BLE001 - a bell without sound is still seen
            pass
