"""A drill as it is played, recorded as it happens: the one use case under the window's console,
the command line's ``run`` and any other face.

``LiveDrill`` holds the core ``Drill`` and, when there is an archive, its ``Recording``. It owns
no clock: the face moves it on (``advance``) from whatever clock it has — the window's timer,
a script's timeline, a test's hand — so the drill stays deterministic. What it decides, once:

* a drill is started only with the setup it needs (``start``: a summative or high-stakes drill
  names an examiner, who is recorded and linked to the drill — a person the archive already
  knows by staff id is never recorded twice);
* vitals are stored every ``vitals_every_s`` of drill time, taken at that exact moment (the
  drill is stopped at each boundary), and once more when it ends;
* the last action can be undone within ``UNDO_WINDOW_S`` seconds, as a logged retraction;
* listeners hear of an event only once it is durable — committed in the archive or fsync'd in
  a journal — by construction: they subscribe to the recording, never to the drill (without an
  archive there is nothing to wait for, and they hear each event at once);
* a drill interrupted by a crash is resumed from its record, whatever language the window
  showed it in (the record holds codes and numbers, not words).
"""

from __future__ import annotations

from dataclasses import replace
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from simtool.app.corrections import Logged, apply_correction, effective_log
from simtool.app.setup import EvaluationType, examiner_needed, name_problem, quoted
from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.errors import SimtoolError
from simtool.core.events import Event
from simtool.core.physiology import Vitals
from simtool.core.runner import sample
from simtool.core.scenario import LoadedScenario
from simtool.store import Archive, Examiner, NotFoundError, Trainee
from simtool.store.connection import iso, utc_clock

VITALS_EVERY_S = 5.0   # vitals stored in the archive every 5 s of drill time (issue 3)
UNDO_WINDOW_S = 10.0   # the last action can be undone within 10 s (issue 5)

Listener = Callable[[Event], None]


class SetupError(SimtoolError):
    """The drill's setup lacks something it needs; nothing was started or recorded."""


def examiners_of_setup(examiners: Sequence[str | Examiner]) -> list[Examiner]:
    """The examiners a setup names, checked and in order: names and staff ids trimmed, a blank
    name left out, the same name (or staff id) given twice kept once. SetupError naming the
    entry for a name or staff id the archive could not carry (``name_problem``), an examiner
    given as a person with a staff id but no name, or one staff id given to two names."""
    out: list[Examiner] = []
    by_staff: dict[str, Examiner] = {}
    for entry in examiners:
        if isinstance(entry, Examiner):
            name, staff_id = entry.name.strip(), (entry.staff_id or "").strip() or None
        else:
            name, staff_id = entry.strip(), None
        for what, value in (("name", name), ("staff id", staff_id)):
            problem = name_problem(value) if value is not None else None
            if problem:
                raise SetupError(f"the examiner {what} {quoted(value)} {problem}; the drill was "
                                 f"not started")
        if not name:
            if staff_id is not None:
                raise SetupError(f"the examiner with staff id {quoted(staff_id)} has no name; the "
                                 f"drill was not started")
            continue
        if staff_id is not None:
            same = by_staff.get(staff_id)
            if same is not None and same.name != name:
                raise SetupError(f"staff id {quoted(staff_id)} is given to two examiners, "
                                 f"{quoted(same.name)} and {quoted(name)}; the drill was not "
                                 f"started")
            if same is not None:
                continue
            by_staff[staff_id] = Examiner(name, staff_id, getattr(entry, "id", None))
            out = [e for e in out if not (e.staff_id is None and e.name == name)]
            out.append(by_staff[staff_id])
        elif not any(e.name == name for e in out):
            out.append(Examiner(name))
    return out


def examiner_record(archive: Archive, examiner: Examiner, site: str | None = None) -> str:
    """The archive's id of ``examiner`` (inside the caller's transaction): the record with its
    id, or with its staff id at this ``site``, when the archive has one, else a new record
    (whose home site is the drill's)."""
    if examiner.id is not None:
        try:
            return archive.examiner(examiner.id).id or examiner.id
        except NotFoundError:
            pass
    if examiner.staff_id is not None:
        known = archive.find_examiner(staff_id=examiner.staff_id, site=examiner.site or site)
        if known is not None and known.id is not None:
            return known.id
    if site and examiner.site is None and archive.schema_version >= 9:
        examiner = replace(examiner, site=site)
    return archive.add_examiner(examiner)


def _place(value: str | None, what: str) -> str | None:
    """A site or department as a drill keeps it: one line, trimmed; blank is none."""
    value = (value or "").strip()
    if not value:
        return None
    problem = name_problem(value)
    if problem:
        raise SetupError(f"the {what} {quoted(value)} {problem}; the drill was not started")
    return value


class LiveDrill:
    """One drill being played (see the module's docstring)."""

    def __init__(self, drill: Drill, archive: Archive | None = None, drill_id: str | None = None,
                 *, vitals_every_s: float = VITALS_EVERY_S,
                 wall_clock: Callable[[], datetime] = utc_clock) -> None:
        """Play ``drill``; with ``archive`` and ``drill_id`` record it there (a drill that
        ``Archive.resume`` already records keeps its recording). Each input event carries
        the wall time ``wall_clock`` gives when it is entered (for the audit and for lining
        the record up with a video)."""
        if vitals_every_s <= 0:
            raise SetupError("vitals are stored at a positive interval")
        self.drill = drill
        drill.wall_clock = lambda: iso(wall_clock())
        self.archive = archive
        self.drill_id = drill_id
        self.vitals_every_s = vitals_every_s
        self.last_actor: str | None = None
        self._recording = None
        if archive is not None and drill_id is not None:
            self._recording = archive.recording(drill_id) or archive.record(drill_id, drill)
        self._next_vitals = (int(drill.t / vitals_every_s + 1e-9) + 1) * vitals_every_s \
            if drill.t > 0 else 0.0
        if drill.t == 0:
            self._store_vitals()

    # --- starting and resuming --------------------------------------------------------------
    @classmethod
    def start(cls, loaded: LoadedScenario, patient: PatientParams,
              participants: Iterable[Participant], archive: Archive | None = None, *,
              evaluation_type: str = EvaluationType.FORMATIVE, trainees: dict[str, Trainee] | None = None,
              examiners: Sequence[str | Examiner] = (),
              site: str | None = None, department: str | None = None,
              vitals_every_s: float = VITALS_EVERY_S,
              wall_clock: Callable[[], datetime] = utc_clock) -> "LiveDrill":
        """A new drill, recorded in ``archive`` if given, at ``site`` (the hospital) for
        ``department`` (each one line, blank for none). SetupError (nothing recorded) when the
        setup lacks what its evaluation type needs. ``examiners`` are names, or ``Examiner``s
        (a name and a staff id); each is recorded and linked to the drill, in one transaction
        with it: an examiner whose staff id the archive already knows is that record (never a
        second one for one staff id), any other a new record."""
        chosen = examiners_of_setup(examiners)
        site, department = _place(site, "site"), _place(department, "department")
        if examiner_needed(evaluation_type, [e.name for e in chosen]):
            raise SetupError(f"a {evaluation_type} drill needs at least one examiner; "
                             f"none was named, so the drill was not started")
        people = list(participants)
        drill = Drill(loaded, patient, people)
        drill_id = None
        if archive is not None:
            with archive.transaction():
                drill_id = archive.start_drill(loaded, patient, people, evaluation_type,
                                               trainees=trainees, site=site, department=department)
                for examiner in chosen:
                    archive.link_examiner(drill_id, examiner_record(archive, examiner, site))
        return cls(drill, archive, drill_id, vitals_every_s=vitals_every_s, wall_clock=wall_clock)

    @classmethod
    def resume(cls, archive: Archive, drill_id: str, loaded: LoadedScenario, *,
               take_over: bool = False,
               check: Callable[[Drill], None] | None = None,
               vitals_every_s: float = VITALS_EVERY_S,
               wall_clock: Callable[[], datetime] = utc_clock) -> "LiveDrill":
        """Carry on an interrupted drill from its record (``Archive.resume``: it refuses a
        record that does not replay, and one another simtool still plays unless
        ``take_over``)."""
        drill = archive.resume(drill_id, loaded, take_over=take_over, check=check)
        return cls(drill, archive, drill_id, vitals_every_s=vitals_every_s, wall_clock=wall_clock)

    # --- listening --------------------------------------------------------------------------
    def subscribe(self, listener: Listener, *, replay: bool = False) -> Callable[[], None]:
        """Call ``listener`` with each later event once it is durable (at once without an
        archive); with ``replay`` first with every event already durable. Returns an
        unsubscribe."""
        if replay:
            waiting = set(self._recording.waiting) if self._recording is not None else set()
            for e in self.drill.events:
                if e not in waiting:
                    listener(e)
        if self._recording is not None:
            return self._recording.subscribe(listener)
        return self.drill.subscribe(listener)

    def watch(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with each event as the drill makes it, stored or not yet: for
        what the drill now *is* (paused, ended, its state), never for what is logged."""
        return self.drill.subscribe(listener)

    # --- reading ----------------------------------------------------------------------------
    @property
    def t(self) -> float:
        return self.drill.t

    @property
    def ended(self) -> bool:
        return self.drill.ended

    def vitals(self) -> Vitals:
        return self.drill.vitals()

    def undoable(self) -> Event | None:
        """The last action, if it was logged within the undo window and is not retracted."""
        done = self.drill.actions_done()
        if done and self.drill.t - done[-1].t <= UNDO_WINDOW_S:
            return done[-1]
        return None

    # --- the clock --------------------------------------------------------------------------
    def advance(self, seconds: float) -> None:
        """Move the drill on by ``seconds`` of drill time, storing vitals at each boundary
        on the way (nothing moves while paused or after the end)."""
        if self.drill.ended or self.drill.paused or seconds <= 0:
            return
        self.advance_to(self.drill.t + seconds)

    def advance_to(self, t: float) -> None:
        """Move the drill on to drill time ``t`` (see ``advance``)."""
        if self.drill.ended or self.drill.paused:
            return
        while self._next_vitals <= t + 1e-9:
            self.drill.advance_to(self._next_vitals)
            self._store_vitals()
        self.drill.advance_to(t)

    def _store_vitals(self) -> None:
        self.store_sample(sample(self.drill))

    def store_sample(self, row: dict[str, Any]) -> None:
        """Store a vitals sample taken now (a face that samples on its own schedule, as the
        command line's script player does, hands its samples in here). The archive keeps a
        moment stored twice with the same values once."""
        if self.archive is not None and self.drill_id is not None:
            self.archive.append_vitals(self.drill_id, row)  # journalled if it must be
        self._next_vitals = max(self._next_vitals + self.vitals_every_s,
                                (int(row["t"] / self.vitals_every_s + 1e-9) + 1) * self.vitals_every_s)

    # --- what the instructor does -----------------------------------------------------------
    def act(self, action_id: str, *, by: str | None = None, dose: float | None = None,
            unit: str | None = None, route: str | None = None, text: str | None = None) -> Event:
        """Log an action now (DrillError/UnitError for impossible input: nothing is logged)."""
        event = self.drill.act(action_id, by=by, dose=dose, unit=unit, route=route, text=text)
        if by is not None:
            self.last_actor = by
        return event

    def note(self, text: str, by: str | None = None) -> Event:
        return self.drill.note(text, by=by)

    def pause(self) -> None:
        self.drill.pause()

    def carry_on(self) -> None:
        """Resume the clock after a pause."""
        self.drill.resume()

    def force(self, state_id: str, reason: str | None = None) -> Event:
        return self.drill.force(state_id, reason=reason)

    def display(self, what: str, on: bool) -> Event | None:
        """Show or hide the blood-loss drape, or blank the monitor (``core.events.DISPLAYS``);
        logged as the instructor's (None when it was already so)."""
        return self.drill.display(what, on)

    def amend(self, seq: int, *, reason: str, who: str | None = None, dose: float | None = None,
              unit: str | None = None, route: str | None = None,
              at: float | None = None) -> Event:
        """Correct the action logged as event ``seq`` (``corrections.apply_correction``):
        its amendment event; CorrectionError (nothing logged) if it cannot apply."""
        return apply_correction(self.drill, seq, reason=reason, who=who, dose=dose, unit=unit,
                                route=route, at=at)

    def strike(self, seq: int, *, reason: str) -> Event:
        """Strike the action logged as event ``seq`` from the record, with a reason (any time;
        the undo within ``UNDO_WINDOW_S`` is the fast path that needs none)."""
        return apply_correction(self.drill, seq, reason=reason, strike=True)

    def log(self) -> list[Logged]:
        """The log as it now stands (``corrections.effective_log``)."""
        return effective_log(self.drill)

    def undo_last(self, reason: str = "undone by the instructor") -> Event | None:
        """Retract the last action if it is still undoable; the retraction is logged."""
        target = self.undoable()
        if target is None:
            return None
        return self.drill.retract(target.iid, reason=reason)

    def end(self) -> None:
        """End the drill; the vitals of its last moment are stored first."""
        if not self.drill.ended:
            self._store_vitals()
            self.drill.end()
