"""Correcting what was logged: the same use case under the console, the command line and any
other face.

An action logged with the wrong person, dose, route or time is *amended*; one logged by
mistake is *struck* (a retraction with its reason). Either is a new input event appended to
the record, with who made it, when (the wall clock) and why; the original entry stays as it
was, in the record and in the audit chain. The drill is played again from the corrected
inputs and what that changes is appended too (a flag withdrawn or raised, a marker moved, a
state entered), so scores, the debrief and the indicators follow the corrected record and
nothing stored is renumbered. Corrections are possible until the drill is signed.

``effective_log(drill)`` is the log as it now stands: each entry with its flags and its
history (the original values, and each change with who, when and why).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from simtool.core.drill import Drill
from simtool.core.errors import SimtoolError, UnitError
from simtool.core.events import Event
from simtool.core.flagtext import flag_text
from simtool.core.scenario import LoadedScenario
from simtool.core.timefmt import drill_time
from simtool.store import Archive
from simtool.app.setup import name_problem, quoted, reason_problem
from simtool.store.connection import iso, utc_clock

# the input kinds the effective log lists (retractions and amendments show in their history)
LOGGED = ("action", "note", "force", "pause", "resume", "display", "end")
_KIND_WORDS = {"flag": "flag", "state": "state change", "marker": "marker", "start": "start",
               "unflag": "withdrawn flag", "note": "note", "force": "forced state change",
               "pause": "pause", "resume": "resume", "display": "display change", "end": "end", "retract": "retraction",
               "amend": "amendment"}


class CorrectionError(SimtoolError):
    """A correction that cannot be made; nothing was written."""


@dataclass(frozen=True, kw_only=True)
class Change:
    """One correction of a logged entry."""
    seq: int
    kind: str                   # "amend" or "strike"
    by: str | None
    wall: str | None            # when it was made, on the wall clock
    t: float                    # the drill time it was made at
    reason: str | None
    values: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "kind": self.kind, "by": self.by, "at": self.wall,
                "drill_t": self.t, "reason": self.reason, "values": dict(self.values)}


@dataclass(frozen=True, kw_only=True)
class Logged:
    """One entry of the effective log: the event as it now stands."""
    seq: int
    iid: int | None
    t: float
    kind: str
    action: str | None
    role: str | None
    participant: str | None
    dose: float | None
    unit: str | None
    route: str | None
    text: str | None
    state: str | None
    wall: str | None
    flags: tuple[Event, ...]
    amended: bool
    struck: bool
    original: Event
    history: tuple[Change, ...]

    def to_dict(self, loaded: LoadedScenario | None = None, lang: str = "en") -> dict[str, Any]:
        """The JSON form ``simtool events --json`` prints."""
        def flag(f: Event) -> dict[str, Any]:
            out: dict[str, Any] = {"seq": f.seq, "rule": f.rule}
            if f.values is not None:
                out["values"] = f.to_dict()["values"]
            if loaded is not None:
                out["message"] = flag_text(loaded, f, lang)
            return out
        o = self.original
        shown = ({"display": {"show": o.value("show"), "on": bool(o.value("on"))}}
                 if self.kind == "display" else {})
        return {**shown, "seq": self.seq, "iid": self.iid, "t": self.t, "kind": self.kind,
                "action": self.action, "by": self.role, "participant": self.participant,
                "dose": self.dose, "unit": self.unit, "route": self.route, "text": self.text,
                "state": self.state, "entered_at": self.wall,
                "flags": [flag(f) for f in self.flags], "amended": self.amended,
                "struck": self.struck,
                "history": {"original": {"t": o.t, "by": o.role, "participant": o.actor,
                                         "dose": o.dose, "unit": o.unit, "route": o.route},
                            "changes": [c.to_dict() for c in self.history]}}


def effective_log(drill: Drill) -> list[Logged]:
    """The drill's log as it now stands, in the order of its (corrected) drill times."""
    changes: dict[int, list[Change]] = {}
    struck: set[int] = set()
    for e in drill.events:
        if e.kind in ("amend", "retract") and e.target is not None or \
                e.kind == "retract" and e.ref is not None:
            target = e.target if e.target is not None else _iid_at(drill, e.ref)
            if target is None:
                continue
            kind = "amend" if e.kind == "amend" else "strike"
            if kind == "strike":
                struck.add(target)
            changes.setdefault(target, []).append(Change(
                seq=e.seq, kind=kind, by=e.actor, wall=e.wall, t=e.t, reason=e.text,
                values=dict(e.values or ())))
    flags_on: dict[int, list[Event]] = {}
    for f in drill.flags():
        target = _iid_at(drill, f.ref)
        if target is not None:
            flags_on.setdefault(target, []).append(f)
    out = []
    for e in drill.events:
        if e.kind not in LOGGED:
            continue
        now = drill.effective(e.iid) if e.iid is not None and e.kind == "action" else None
        shown = now or e
        history = tuple(changes.get(e.iid, ())) if e.iid is not None else ()
        out.append(Logged(
            seq=e.seq, iid=e.iid, t=shown.t, kind=e.kind, action=e.action, role=shown.role,
            participant=shown.actor, dose=shown.dose, unit=shown.unit, route=shown.route,
            text=e.text, state=e.state, wall=e.wall,
            flags=tuple(flags_on.get(e.iid, ())) if e.iid is not None else (),
            amended=any(c.kind == "amend" for c in history), struck=e.iid in struck,
            original=e, history=history))
    out.sort(key=lambda entry: entry.t)   # stable: entries at one time keep their order
    return out


def _iid_at(drill: Drill, seq: int | None) -> int | None:
    if seq is None or not 0 <= seq < len(drill.events):
        return None
    return drill.events[seq].iid


def logged(drill: Drill, seq: int) -> Logged:
    """The effective log's entry for the event ``seq``."""
    for entry in effective_log(drill):
        if entry.seq == seq:
            return entry
    raise CorrectionError(f"event {seq} is not in the log")


def apply_correction(drill: Drill, seq: int, *, reason: str, who: str | None = None,
                     dose: float | None = None, unit: str | None = None,
                     route: str | None = None, at: float | None = None, strike: bool = False,
                     by: str = "instructor") -> Event:
    """Amend or strike the action logged as event ``seq`` of ``drill``; the amendment or
    retraction event. CorrectionError (nothing logged) for a correction that cannot apply."""
    _check_reason(reason, "a correction needs a reason (--reason): say why the record changes")
    if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq < len(drill.events):
        raise CorrectionError(f"there is no event {seq} in this drill (see `simtool events`)")
    target = drill.events[seq]
    if target.kind != "action" or target.iid is None:
        word = _KIND_WORDS.get(target.kind, target.kind)
        what = ("an " if word[0] in "aeiou" else "a ") + word + \
            (" the drill derived" if target.iid is None else "")
        raise CorrectionError(f"event {seq} is {what}, not a logged action; only actions "
                              f"can be amended or struck")
    if drill.effective(target.iid) is None:
        raise CorrectionError(f"event {seq} ({target.action}) was struck from the record; "
                              f"there is nothing left to {'strike' if strike else 'amend'}")
    for what, value in (("route", route), ("unit", unit), ("person", who)):
        problem = name_problem(value) if isinstance(value, str) else None
        if problem:
            raise CorrectionError(f"the {what} {quoted(value)} {problem}; nothing was changed")
    changes = {k: v for k, v in (("who", who), ("dose", dose), ("unit", unit), ("route", route),
                                 ("t", at)) if v is not None}
    if at is not None and (isinstance(at, bool) or not isinstance(at, (int, float))
                           or not math.isfinite(at) or not 0 <= at <= drill.t):
        raise CorrectionError(f"the corrected time must be within the drill, between "
                              f"{drill_clock(0)} and {drill_clock(drill.t)}")
    try:
        if strike:
            if changes:
                raise CorrectionError("strike removes the action; it takes no other change")
            return drill.retract(target.iid, by=by, reason=reason.strip())
        return drill.amend(target.iid, reason=reason, by=by, changes=changes)
    except CorrectionError:
        raise
    except UnitError as exc:
        raise CorrectionError(f"the dose of event {seq} cannot be corrected: {exc}") from exc
    except SimtoolError as exc:
        raise CorrectionError(str(exc)) from exc


def correct(archive: Archive, drill_id: str, seq: int, *, loaded: LoadedScenario | None = None,
            wall_clock: Callable[[], datetime] = utc_clock, **correction: Any) -> Logged:
    """Correct event ``seq`` of an archived drill (see ``apply_correction`` for the
    arguments): in the drill this simtool is recording, if it records it; else the drill is
    rebuilt from its record, corrected, and what the correction appended is stored in one
    transaction (with the drill's indicator results computed again if it has ended).
    CorrectionError, SignedRecordError or ArchiveError: nothing was written."""
    recording = archive.recording(drill_id)
    if recording is not None:
        drill = recording.drill
        apply_correction(drill, seq, **correction)
        return logged(drill, seq)
    info = archive.drill(drill_id)
    if info.stored_status == "signed":
        raise CorrectionError(f"drill {drill_id} is signed; its record can no longer be "
                              f"corrected (amend its score sheet instead)")
    drill = archive.replay(drill_id, loaded)
    before = len(drill.events)
    drill.wall_clock = lambda: iso(wall_clock())
    apply_correction(drill, seq, **correction)
    # (the archive keeps the results of an ended drill again in the same transaction)
    archive.add_correction(drill_id, drill.events[before:])
    return logged(drill, seq)


def check_discard_reason(reason: str) -> None:
    """CorrectionError unless ``reason`` can be a discard's reason (asked before anything,
    even the drill's end, is recorded)."""
    _check_reason(reason, "discarding a drill needs a reason (--reason): say why")


def _check_reason(reason: str, missing: str) -> None:
    if not isinstance(reason, str) or not reason.strip():
        raise CorrectionError(missing)
    problem = reason_problem(reason.strip())
    if problem:
        raise CorrectionError(f"the reason {quoted(reason)} {problem}; nothing was changed")


def discard_drill(archive: Archive, drill_id: str, reason: str, by: str | None = None) -> None:
    """Discard a drill started by mistake, with a reason (one line): it stays in the archive,
    whole, with its audit chain, shown as discarded, and counts in no indicator, portfolio, exam
    statistic or bundle. A drill this simtool is still playing is ended first (its end is
    recorded). CorrectionError for a missing or impossible reason; the archive refuses a signed
    drill, one already discarded, or one another simtool plays (nothing written then)."""
    check_discard_reason(reason)
    info = archive.drill(drill_id)
    if info.stored_status == "signed" or info.status == "discarded":
        archive.discard(drill_id, reason.strip(), by)   # refuses, with the archive's words
    recording = archive.recording(drill_id)
    if recording is not None and not recording.drill.ended:
        recording.drill.end()
    archive.discard(drill_id, reason.strip(), by)


def drill_clock(t: float) -> str:
    """A moment in the drill as mm:ss (h:mm:ss past an hour), as every face writes it
    (``simtool.core.timefmt.drill_time``)."""
    return drill_time(t)
