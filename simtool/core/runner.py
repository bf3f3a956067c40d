"""Headless play of a drill from a script: the engine behind ``simtool run``."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from simtool.core import assess
from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.errors import DrillError
from simtool.core.events import Event
from simtool.core.limits import MAX_SAMPLES, MIN_SAMPLE_S
from simtool.core.scenario import LoadedScenario
from simtool.core.script import Script, ScriptForce

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
               pace: Callable[[float], None] | None = None, lang: str = "en",
               drill: Drill | None = None,
               on_sample: Callable[[dict[str, Any]], None] | None = None) -> tuple[Drill, list[dict[str, Any]]]:
    """Play ``script``; return the ended drill and the vitals sampled every ``sample_s`` s.

    ``pace(dt)`` is called before each simulated advance of ``dt`` seconds: the CLI uses it to
    play at a chosen speed (the core itself never reads a clock). ``drill`` continues a drill
    already under way (one resumed from the archive): the script's actions and forces it has
    already recorded are not played again, and sampling carries on after its current time.
    ``on_sample`` sees each vitals sample as it is taken."""
    check_sampling(script.duration_s, sample_s)
    resuming = drill is not None
    if drill is None:
        participants = [Participant(p.id, p.name, p.role) for p in script.participants]
        drill = Drill(loaded, patient, participants, lang)
    if on_event is not None:
        for e in drill.events:
            on_event(e)
        drill.subscribe(on_event)
    done_actions = sum(1 for e in drill.events if e.kind == "action")
    done_forces = sum(1 for e in drill.events if e.kind == "force")
    timeline: list[tuple[float, int, int, Any]] = []
    for i, a in enumerate(script.actions):
        timeline.append((a.t, 1, i, a))
    for i, f in enumerate(script.forces):
        timeline.append((f.t, 0, i, f))
    timeline.sort(key=lambda item: (item[0], item[1], item[2]))
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
    drill.end()
    return drill, samples


def result(drill: Drill, samples: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``simtool run --json`` object (DESIGN.md command-line contract)."""
    sc = drill.scenario
    states = [{"t": 0.0, "state": sc.initial}]
    states += [{"t": e.t, "state": e.state} for e in drill.events if e.kind == "state"]
    flags = [{"t": e.t, "action": e.action, "kind": e.rule, "message": e.text}
             for e in drill.flags()]
    return {
        "scenario": {"id": sc.id, "version": sc.version, "title": sc.title.en},
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
        "outcome": assess.outcome(drill),
    }
