"""One live drill in the window: the Qt face of ``simtool.app.live.LiveDrill``.

``DrillSession`` is the only object the console, the monitor and the examiner panel talk to.
What a live drill does — recording, vitals every 5 s, the 10-second undo, commit before
display — is the application layer's (``LiveDrill``); the session adds what only a window
has: the wall clock (a ``QTimer`` on the main thread, never a thread of its own: every tick
advances the drill by the real time elapsed × ``speed``) and Qt signals. ``event_logged`` is
fed by the live drill's durable-event subscription: it fires only once the event is committed
or fsync'd in a journal. Widgets never call the core directly for changes; they call the
session, and listen to its signals:

* ``event_logged(Event)`` — every event, in order, once it is stored (``flag_raised`` too);
* ``vitals_changed(Vitals)`` — after each tick (the monitor redraws from ``vitals()``);
* ``clock_changed(float)`` — drill seconds, after each tick;
* ``state_changed(str)`` — the state id, after a transition or a forced state;
* ``flag_raised(Event)`` — a rule was broken (never blocks: the action is logged);
* ``paused_changed(bool)``, ``ended()``;
* ``display_changed(str, bool)`` — the drape shown or hidden, the monitor blanked or not;
* ``journalled(str)`` — one sentence when writes start going to a journal or only to memory,
  and when the archive can be written again (never one per event).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer, Signal

from simtool.app.corrections import Logged, check_discard_reason, discard_drill
from simtool.app.live import LiveDrill
from simtool.app.setup import EvaluationType
from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.events import Event
from simtool.core.physiology import Vitals
from simtool.core.scenario import LoadedScenario
from simtool.store import Archive, Examiner, Trainee

TICK_MS = 100          # the drill clock advances ten times a second


class DrillSession(QObject):
    event_logged = Signal(object)
    vitals_changed = Signal(object)
    clock_changed = Signal(float)
    state_changed = Signal(str)
    flag_raised = Signal(object)
    paused_changed = Signal(bool)
    display_changed = Signal(str, bool)
    ended = Signal()
    journalled = Signal(object)

    def __init__(self, loaded: LoadedScenario, patient: PatientParams,
                 participants: Iterable[Participant], archive: Archive | None = None, *,
                 evaluation_type: str = EvaluationType.FORMATIVE, trainees: dict[str, Trainee] | None = None,
                 examiners: tuple[str | Examiner, ...] = (),
                 site: str | None = None, department: str | None = None,
                 speed: float = 1.0, clock: Callable[[], float] = time.monotonic,
                 drill: Drill | None = None, drill_id: str | None = None,
                 parent: QObject | None = None) -> None:
        """A new drill (recorded in ``archive`` if given; ``LiveDrill.start`` checks its setup
        and links its ``examiners``, names or ``Examiner``s with a staff id), or with ``drill``
        and ``drill_id`` one resumed from the archive."""
        super().__init__(parent)
        self.loaded = loaded
        self.archive = archive
        self.speed = speed
        self._clock = clock
        self._last_wall: float | None = None
        if archive is not None:
            archive.on_notice = self.journalled.emit
        if drill is None:
            self.live = LiveDrill.start(loaded, patient, participants, archive,
                                        evaluation_type=evaluation_type, trainees=trainees,
                                        examiners=examiners, site=site, department=department)
        else:
            self.live = LiveDrill(drill, archive, drill_id)
        self.drill = self.live.drill
        # the console's "keep this person for the next actions" (off: one action only)
        self.keep_actor = False
        self.drill_id = self.live.drill_id
        self._state = self.drill.state
        self.live.subscribe(self._on_event)  # durable events only, in order
        self.live.watch(self._on_drill)      # the clock, pause and state follow the drill
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_timer)

    # --- reading --------------------------------------------------------------------------
    @property
    def t(self) -> float:
        return self.drill.t

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    @property
    def last_actor(self) -> str | None:
        return self.live.last_actor

    def vitals(self) -> Vitals:
        return self.drill.vitals()

    def undoable(self) -> Event | None:
        """The last action, if it was logged within the undo window and is not retracted."""
        return self.live.undoable()

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
        self.live.advance(seconds)
        self.clock_changed.emit(self.drill.t)
        self.vitals_changed.emit(self.drill.vitals())

    def _on_timer(self) -> None:
        now = self._clock()
        if self._last_wall is None:
            self._last_wall = now
            return
        elapsed, self._last_wall = now - self._last_wall, now
        self.advance(max(0.0, elapsed) * self.speed)

    # --- what the instructor does -----------------------------------------------------------
    def act(self, action_id: str, *, by: str | None = None, dose: float | None = None,
            unit: str | None = None, route: str | None = None, text: str | None = None) -> Event:
        """Log an action now (DrillError/UnitError for impossible input: nothing is logged)."""
        event = self.live.act(action_id, by=by, dose=dose, unit=unit, route=route, text=text)
        self.vitals_changed.emit(self.drill.vitals())
        return event

    def note(self, text: str, by: str | None = None) -> Event:
        return self.live.note(text, by=by)

    def pause(self) -> None:
        self.live.pause()

    def resume(self) -> None:
        self.live.carry_on()
        self._last_wall = self._clock()

    def force(self, state_id: str, reason: str | None = None) -> Event:
        return self.live.force(state_id, reason=reason)

    def display(self, what: str, on: bool) -> Event | None:
        """Show or hide the drape, blank the monitor or not (``LiveDrill.display``)."""
        return self.live.display(what, on)

    def shown(self, what: str) -> bool:
        return self.drill.shown.get(what, False)

    def amend(self, seq: int, *, reason: str, **changes: object) -> Event:
        """Correct the action logged as event ``seq`` (``LiveDrill.amend``)."""
        event = self.live.amend(seq, reason=reason, **changes)  # type: ignore[arg-type]
        self.vitals_changed.emit(self.drill.vitals())
        return event

    def strike(self, seq: int, *, reason: str) -> Event:
        """Strike the action logged as event ``seq`` from the record, with a reason."""
        return self.live.strike(seq, reason=reason)

    def log(self) -> list[Logged]:
        """The log as it now stands (``corrections.effective_log``)."""
        return self.live.log()

    def undo_last(self, reason: str = "undone by the instructor") -> Event | None:
        """Retract the last action if it is still undoable; the retraction is logged."""
        return self.live.undo_last(reason)

    def end(self) -> None:
        self.live.end()
        self.stop_clock()

    def discard(self, reason: str) -> None:
        """Discard this drill, started by mistake, with a reason (``corrections.discard_drill``):
        it ends, stays in the archive whole, and counts nowhere."""
        check_discard_reason(reason)   # before anything, even the end, is recorded
        if self.archive is None or self.drill_id is None:
            self.end()
            return
        if not self.drill.ended:
            self.live.end()   # its last vitals and its end, recorded first
        discard_drill(self.archive, self.drill_id, reason)
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
        elif event.kind == "display":
            self.display_changed.emit(str(event.value("show")), bool(event.value("on")))
        if self.drill.state != self._state:
            self._state = self.drill.state
            self.state_changed.emit(self._state)
