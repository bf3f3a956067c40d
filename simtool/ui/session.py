"""One live drill in the window: the core ``Drill``, its archive record, and the clock.

``DrillSession`` is the only object the console, the monitor and the examiner panel talk to.
It owns the wall clock (a ``QTimer`` on the main thread, never a thread of its own): every
tick it advances the drill by the real time elapsed × ``speed``. The drill is recorded in the
archive as it happens, and ``event_logged`` is driven by the archive's ``Recording``: it fires
only once the event is committed or fsync'd in a journal — an event the archive could only
hold in memory is announced when it becomes durable, never before. Widgets never call the
core directly for changes; they call the session, and listen to its signals:

* ``event_logged(Event)`` — every event, in order, once it is stored (``flag_raised`` too);
* ``vitals_changed(Vitals)`` — after each tick (the monitor redraws from ``vitals()``);
* ``clock_changed(float)`` — drill seconds, after each tick;
* ``state_changed(str)`` — the state id, after a transition or a forced state;
* ``flag_raised(Event)`` — a rule was broken (never blocks: the action is logged);
* ``paused_changed(bool)``, ``ended()``;
* ``journalled(str)`` — one sentence when writes start going to a journal or only to memory,
  and when the archive can be written again (never one per event).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer, Signal

from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.events import Event
from simtool.core.physiology import Vitals
from simtool.core.runner import sample
from simtool.core.scenario import LoadedScenario
from simtool.store import Archive, Trainee

TICK_MS = 100          # the drill clock advances ten times a second
VITALS_EVERY_S = 5.0   # vitals stored in the archive every 5 s of drill time (issue 3)
UNDO_WINDOW_S = 10.0   # the last action can be undone within 10 s (issue 5)


class DrillSession(QObject):
    event_logged = Signal(object)
    vitals_changed = Signal(object)
    clock_changed = Signal(float)
    state_changed = Signal(str)
    flag_raised = Signal(object)
    paused_changed = Signal(bool)
    ended = Signal()
    journalled = Signal(object)

    def __init__(self, loaded: LoadedScenario, patient: PatientParams,
                 participants: Iterable[Participant], archive: Archive | None = None, *,
                 evaluation_type: str = "formative", trainees: dict[str, Trainee] | None = None,
                 lang: str = "en", speed: float = 1.0, clock: Callable[[], float] = time.monotonic,
                 drill: Drill | None = None, drill_id: str | None = None,
                 parent: QObject | None = None) -> None:
        """A new drill (recorded in ``archive`` if given), or with ``drill`` and ``drill_id``
        one resumed from the archive (``Archive.resume`` already records it)."""
        super().__init__(parent)
        self.loaded = loaded
        self.archive = archive
        self.speed = speed
        self._clock = clock
        self._last_wall: float | None = None
        self._next_vitals = 0.0
        self.last_actor: str | None = None
        if drill is None:
            people = list(participants)
            drill = Drill(loaded, patient, people, lang)
            if archive is not None:
                drill_id = archive.start_drill(loaded, patient, people, evaluation_type,
                                               trainees=trainees)
                archive.record(drill_id, drill)
        else:
            self._next_vitals = (int(drill.t / VITALS_EVERY_S) + 1) * VITALS_EVERY_S
        self.drill = drill
        self.drill_id = drill_id
        self._state = drill.state
        recording = None
        if archive is not None and drill_id is not None:
            archive.on_notice = self.journalled.emit
            recording = archive.recording(drill_id) or archive.record(drill_id, drill)
        if recording is not None:
            recording.subscribe(self._on_event)  # durable events only, in order
        else:
            drill.subscribe(self._on_event)      # nothing to store: shown at once
        drill.subscribe(self._on_drill)          # the clock, pause and state follow the drill
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_timer)
        if archive is not None and drill_id is not None and drill.t == 0:
            self._store_vitals()

    # --- reading --------------------------------------------------------------------------
    @property
    def t(self) -> float:
        return self.drill.t

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def vitals(self) -> Vitals:
        return self.drill.vitals()

    def undoable(self) -> Event | None:
        """The last action, if it was logged within the undo window and is not retracted."""
        done = self.drill.actions_done()
        if done and self.drill.t - done[-1].t <= UNDO_WINDOW_S:
            return done[-1]
        return None

    # --- the clock ------------------------------------------------------------------------
    def start(self) -> None:
        """Start (or restart after a resume from the archive) the drill clock."""
        if not self.drill.ended:
            self._last_wall = self._clock()
            self._timer.start()

    def stop_clock(self) -> None:
        self._timer.stop()
        self._last_wall = None

    def advance(self, seconds: float) -> None:
        """Move the drill on by ``seconds`` of drill time (the timer's step; tests call it)."""
        if self.drill.ended or self.drill.paused:
            return
        target = self.drill.t + seconds
        # stop at each 5 s boundary so stored vitals are those of that moment
        while self._next_vitals <= target + 1e-9:
            self.drill.advance_to(self._next_vitals)
            self._store_vitals()
        self.drill.advance_to(target)
        self.clock_changed.emit(self.drill.t)
        self.vitals_changed.emit(self.drill.vitals())

    def _on_timer(self) -> None:
        now = self._clock()
        if self._last_wall is None:
            self._last_wall = now
            return
        elapsed, self._last_wall = now - self._last_wall, now
        self.advance(max(0.0, elapsed) * self.speed)

    def _store_vitals(self) -> None:
        if self.archive is not None and self.drill_id is not None:
            self.archive.append_vitals(self.drill_id, sample(self.drill))  # journalled if it must be
        self._next_vitals += VITALS_EVERY_S

    # --- what the instructor does -----------------------------------------------------------
    def act(self, action_id: str, *, by: str | None = None, dose: float | None = None,
            unit: str | None = None, route: str | None = None, text: str | None = None) -> Event:
        """Log an action now (DrillError/UnitError for impossible input: nothing is logged)."""
        event = self.drill.act(action_id, by=by, dose=dose, unit=unit, route=route, text=text)
        if by is not None:
            self.last_actor = by
        self.vitals_changed.emit(self.drill.vitals())
        return event

    def note(self, text: str, by: str | None = None) -> Event:
        return self.drill.note(text, by=by)

    def pause(self) -> None:
        self.drill.pause()

    def resume(self) -> None:
        self.drill.resume()
        self._last_wall = self._clock()

    def force(self, state_id: str, reason: str | None = None) -> Event:
        return self.drill.force(state_id, reason=reason)

    def undo_last(self, reason: str = "undone by the instructor") -> Event | None:
        """Retract the last action if it is still undoable; the retraction is logged."""
        target = self.undoable()
        if target is None:
            return None
        return self.drill.retract(target.seq, reason=reason)

    def end(self) -> None:
        if not self.drill.ended:
            self._store_vitals()
            self.drill.end()
        self.stop_clock()

    # --- listening to the core ----------------------------------------------------------
    def _on_event(self, event: Event) -> None:
        """An event is stored: show it as logged."""
        self.event_logged.emit(event)
        if event.kind == "flag":
            self.flag_raised.emit(event)

    def _on_drill(self, event: Event) -> None:
        """What the drill itself now is (paused, ended, in which state), stored or not yet."""
        if event.kind in ("pause", "resume"):
            self.paused_changed.emit(event.kind == "pause")
        elif event.kind == "end":
            self.ended.emit()
        if self.drill.state != self._state:
            self._state = self.drill.state
            self.state_changed.emit(self._state)
