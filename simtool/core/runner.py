"""Headless play of a drill from a script: the engine behind ``simtool run``."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from simtool.core import assess
from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.errors import DrillError, SimtoolError
from simtool.core.events import Event
from simtool.core.flagtext import flag_text
from simtool.core.limits import MAX_SAMPLES, MIN_SAMPLE_S
from simtool.core.scenario import LoadedScenario
from simtool.core.script import Script, ScriptAction, ScriptForce

VITAL_KEYS = ("hr", "sbp", "dbp", "map", "spo2", "rr", "etco2", "temp_c")


def sample(drill: Drill) -> dict[str, Any]:
    v = drill.vitals()
    p = drill.physiology
    row: dict[str, Any] = {"t": drill.t}
    for k in VITAL_KEYS:
        row[k] = getattr(v, k)
    row["rhythm"] = v.rhythm
    row["blood_loss_ml"] = round(p.blood_loss_ml, 1)
    row["blood_volume_ml"] = round(p.circulating_ml, 1)
    row["shock_index"] = v.shock_index
    return row


def check_sampling(duration_s: float, sample_s: float, option: str = "the sampling interval") -> int:
    """The number of vitals samples a run of ``duration_s`` takes every ``sample_s`` seconds;
    DrillError (naming ``option``) if the interval is not a number from MIN_SAMPLE_S up or the
    run would take more than MAX_SAMPLES samples."""
    if isinstance(sample_s, bool) or not isinstance(sample_s, (int, float)) or not math.isfinite(sample_s) \
            or sample_s < MIN_SAMPLE_S:
        raise DrillError(f"{option} must be a number of seconds from {MIN_SAMPLE_S:g} up, not {sample_s!r}")
    count = int(duration_s / sample_s + 1e-9) + 1
    if count > MAX_SAMPLES:
        finest = duration_s / (MAX_SAMPLES - 1)
        raise DrillError(f"{option} {sample_s:g} s over {duration_s:g} s would take {count:,} vitals "
                         f"samples; the limit is {MAX_SAMPLES:,} (use {math.ceil(finest * 10) / 10:g} s or more)")
    return count


def run_script(loaded: LoadedScenario, script: Script, patient: PatientParams,
               sample_s: float = 5.0, on_event: Callable[[Event], None] | None = None,
               pace: Callable[[float], None] | None = None,
               drill: Drill | None = None,
               on_sample: Callable[[dict[str, Any]], None] | None = None,
               end: Callable[[], None] | None = None) -> tuple[Drill, list[dict[str, Any]]]:
    """Play ``script``; return the ended drill and the vitals sampled every ``sample_s`` s.

    ``pace(dt)`` is called before each simulated advance of ``dt`` seconds: the CLI uses it to
    play at a chosen speed (the core itself never reads a clock). ``drill`` continues a drill
    already under way (one resumed from the archive): the script's actions and forces it has
    already recorded are not played again, and sampling carries on after its current time.
    ``on_sample`` sees each vitals sample as it is taken; ``end`` ends the drill at the
    script's end instead of ``drill.end`` (the application layer's live drill, which stores
    the vitals of that last moment first)."""
    check_sampling(script.duration_s, sample_s)
    resuming = drill is not None
    if drill is None:
        participants = [Participant(p.id, p.name, p.role) for p in script.participants]
        drill = Drill(loaded, patient, participants)
    if on_event is not None:
        for e in drill.events:
            on_event(e)
        drill.subscribe(on_event)
    done_actions = sum(1 for e in drill.events if e.kind == "action")
    done_forces = sum(1 for e in drill.events if e.kind == "force")
    timeline = [(item.t, 0, 0, item) for _path, item in played_order(script)]
    samples: list[dict[str, Any]] = []
    n_sample = int(drill.t / sample_s + 1e-9) + 1 if resuming and drill.t > 0 else 0

    def move(target: float) -> None:
        if pace is not None:
            while drill.t + 1.0 < target:
                pace(1.0)
                drill.advance_to(drill.t + 1.0)
            pace(max(0.0, target - drill.t))
        drill.advance_to(target)

    def advance(t: float) -> None:
        nonlocal n_sample
        while n_sample * sample_s <= min(t, script.duration_s) + 1e-9:
            move(n_sample * sample_s)
            row = sample(drill)
            samples.append(row)
            if on_sample is not None:
                on_sample(row)
            n_sample += 1
        move(t)

    for t, _order, _i, item in timeline:
        is_force = isinstance(item, ScriptForce)  # (hasattr on a pydantic model is slow)
        if is_force:
            if done_forces:
                done_forces -= 1
                continue
        elif done_actions:
            done_actions -= 1
            continue
        advance(t)
        if is_force:
            drill.force(item.force, reason=item.reason)
        else:
            drill.act(item.action, by=item.by, dose=item.dose, unit=item.unit,
                      route=item.route, text=item.note)
    advance(script.duration_s)
    (end or drill.end)()
    return drill, samples


def result(drill: Drill, samples: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``simtool run --json`` object (its fields are listed in the README, "What you can do
    today")."""
    sc = drill.scenario
    states = [{"t": 0.0, "state": sc.initial}]
    states += [{"t": e.t, "state": e.state} for e in drill.events if e.kind == "state"]
    flags = [{"t": e.t, "seq": e.seq, "action": e.action, "kind": e.rule,
              "message": flag_text(drill.loaded, e)} for e in drill.flags()]
    return {
        "scenario": {"id": sc.id, "version": sc.version, "title": sc.title.en,
                     "blood_units": sc.blood_units},
        "patient": {"weight_kg": drill.patient.weight_kg,
                    "conditions": list(drill.patient.conditions),
                    **({"variant": drill.patient.variant} if drill.patient.variant else {}),
                    "blood_volume_ml": round(drill.physiology.blood_volume_ml, 1)},
        "participants": [{"id": p.id, "name": p.name, "role": p.role} for p in drill.participants],
        "states": states,
        "vitals": samples,
        "events": [e.to_dict() for e in drill.events],
        "flags": flags,
        "expected": [s.to_dict() for s in assess.all_expected(drill, final=True)],
        "indicators": [r.to_dict() for r in assess.all_indicators(drill)],
        # laboratory results as reported: when, when the sample was drawn, and each test
        "labs": [{"t": e.t, "drawn": e.value("drawn"), "action": e.action,
                  "results": {k: v for k, v in (e.values or ()) if k != "drawn"}}
                 for e in drill.lab_results()],
        "outcome": assess.outcome(drill),
    }


def played_order(script: Script) -> list[tuple[tuple[str, int], ScriptAction | ScriptForce]]:
    """The script's actions and forces in the order ``run_script`` plays them — by time, a
    force before an action at the same moment, then in file order — each with its path in the
    file (``("actions", 3)``)."""
    items: list[tuple[float, int, int, tuple[str, int], ScriptAction | ScriptForce]] = []
    items += [(a.t, 1, i, ("actions", i), a) for i, a in enumerate(script.actions)]
    items += [(f.t, 0, i, ("forces", i), f) for i, f in enumerate(script.forces)]
    items.sort(key=lambda item: item[:3])
    return [(path, item) for _t, _o, _i, path, item in items]


def _ms(t: float) -> int:
    return int(round(t * 1000))  # the drill clock counts milliseconds


def _said(e: Event) -> str:
    """A recorded action or force as a person would say it."""
    if e.kind == "force":
        return f"force to {e.state} at {e.t:g} s" + (f" ({e.text})" if e.text else "")
    parts = [e.action or "?"]
    if e.dose is not None:
        parts.append(f"{e.dose:g}" + (f" {e.unit}" if e.unit else ""))
    if e.route:
        parts.append(e.route)
    who = e.actor if e.actor is not None else e.role
    if who is not None:
        parts.append(f"by {who}" + (f" ({e.role})" if e.role and e.role != who else ""))
    if e.text:
        parts.append(f"'{e.text}'")
    return " ".join(parts) + f" at {e.t:g} s"


def _same(mine: Event, recorded: Event) -> bool:
    if (mine.kind, _ms(mine.t)) != (recorded.kind, _ms(recorded.t)):
        return False
    if mine.kind == "force":
        return (mine.state, mine.text, mine.actor) == (recorded.state, recorded.text, recorded.actor)
    if (mine.dose is None) != (recorded.dose is None) or (
            mine.dose is not None and recorded.dose is not None
            and abs(mine.dose - recorded.dose) > 1e-9 * max(1.0, abs(recorded.dose))):
        return False
    return (mine.action, mine.unit, mine.route, mine.actor, mine.role, mine.text) == \
        (recorded.action, recorded.unit, recorded.route, recorded.actor, recorded.role, recorded.text)


def script_difference(script: Script, drill: Drill) -> tuple[tuple[str | int, ...], str] | None:
    """Where ``script`` differs from what ``drill`` (one rebuilt from its record) did so far.

    None when the participants are the same and every recorded action and force is the
    script's, in the order ``run_script`` plays them (time, action, dose — compared in the
    catalogue's unit — route, who, note; for a force the state and reason), and the script
    has nothing before the recorded time that the record lacks. Otherwise the path of the
    first difference in the script file and what differs, for ``FILE:LINE`` messages."""
    people = {p.id: p for p in drill.participants}
    for i, p in enumerate(script.participants):
        r = people.get(p.id)
        if r is None:
            return ("participants", i, "id"), (f"participant '{p.id}' ({p.name}, {p.role}) is not "
                                               f"in the recorded drill")
        if (r.name, r.role) != (p.name, p.role):
            return ("participants", i), (f"participant '{p.id}' is {p.name} ({p.role}) here but "
                                         f"{r.name} ({r.role}) in the recorded drill")
    missing = [p for p in drill.participants if p.id not in {s.id for s in script.participants}]
    if missing:
        m = missing[0]
        return ("participants",), (f"the recorded drill also has participant '{m.id}' "
                                   f"({m.name}, {m.role}), which the script does not")
    recorded = [e for e in drill.events if e.kind in ("action", "force")]
    order = played_order(script)
    scratch = Drill(drill.loaded, drill.patient, drill.participants)  # to normalise
    for k, ev in enumerate(recorded):
        if k >= len(order):
            where: tuple[str | int, ...] = ("actions",) if ev.kind == "action" or not script.forces \
                else ("forces",)
            return where, f"the recorded drill has {_said(ev)}, which the script does not"
        path, item = order[k]
        try:
            if isinstance(item, ScriptForce):
                made = scratch.force(item.force, reason=item.reason)
            else:
                made = scratch.act(item.action, by=item.by, dose=item.dose, unit=item.unit,
                                   route=item.route, text=item.note)
        except SimtoolError as exc:
            return path, f"cannot be compared with the record ({exc})"
        mine = Event(made.seq, item.t, made.kind, made.action, made.actor, made.role, made.dose,
                     made.unit, made.route, made.text, made.state)
        if not _same(mine, ev):
            return path, f"{_said(mine)} differs from what the drill recorded here: {_said(ev)}"
    if len(order) > len(recorded):
        path, item = order[len(recorded)]
        if _ms(item.t) < _ms(drill.t):
            return path, (f"this {'force' if isinstance(item, ScriptForce) else 'action'} at "
                          f"{item.t:g} s is not in the recorded drill, which had reached {drill.t:g} s")
    return None
