"""Driving a bundled scenario to a boundary: a team with one person per role, a scenario
marker made to happen its own way, and a dose no catalogue rule flags."""

from __future__ import annotations

import copy
import re

from simtool.core import expr
from simtool.core.catalogue import ExpectedDose
from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.scenario import BLOOD_PRODUCTS, LoadedScenario


def team_of(loaded: LoadedScenario) -> tuple[Participant, ...]:
    """One participant per role of the scenario, ``p_<role>``."""
    return tuple(Participant(f"p_{r.id}", f"Person {r.id}", r.id) for r in loaded.scenario.roles)


def person_for(team: tuple[Participant, ...], role: str | None) -> str:
    """The id of the participant holding ``role`` (any participant when None)."""
    return next(p.id for p in team if role is None or p.role == role)


def _bleeding_states(loaded: LoadedScenario) -> list[str]:
    """Non-final states, least bleeding first (no bleed rate counts as none)."""
    states = [s for s in loaded.scenario.states if not s.final]
    return [s.id for s in sorted(states, key=lambda s: s.bleed_ml_min.value if s.bleed_ml_min else 0.0)]


def hold_still(drill: Drill) -> None:
    """Move the drill to its least-bleeding state (a final one if that bleeds least), so that
    no loss threshold is crossed and no state is entered on its own while time passes."""
    states = sorted(drill.scenario.states, key=lambda s: s.bleed_ml_min.value if s.bleed_ml_min else 0.0)
    drill.force(states[0].id, reason="test: hold the patient still")


def _named(loaded: LoadedScenario, marker_id: str, prefix: str) -> list[str]:
    """The ids a marker's condition names after ``prefix`` (``has.``: patient conditions;
    ``total.``, ``given.``, ``since.``: actions), in order."""
    marker = next(m for m in loaded.scenario.markers if m.id == marker_id)
    if marker.when is None:
        return []
    names = sorted(expr.names(expr.parse(marker.when)))
    return [n[len(prefix):] for n in names if n.startswith(prefix)]


def patient_for(loaded: LoadedScenario, marker_id: str) -> PatientParams:
    """The scenario's default patient, with the conditions the marker's condition asks for
    (the pre-eclampsia marker happens only to a woman with pre-eclampsia)."""
    return PatientParams(loaded.scenario.patient.weight_kg.default,
                         tuple(_named(loaded, marker_id, "has.")))


def reach(drill: Drill, marker_id: str, bleed_after: float = 600.0) -> float:
    """Make the scenario marker ``marker_id`` happen and return its time: a marker set on
    entering a state by moving there (instructor's force) now (at 5 s at the earliest); a
    condition marker by waiting for it — in a scenario that does not bleed enough, moving to its
    fastest-bleeding state after ``bleed_after`` s of waiting. A condition naming actions
    (magnesium toxicity: ``total.magnesium_sulfate > 6``) has each given once first, a dose
    above its usual maximum."""
    marker = next(m for m in drill.scenario.markers if m.id == marker_id)
    if marker_id not in drill.marker_times and marker.on_enter is not None:
        drill.advance_to(max(drill.t, 5))
        drill.force(marker.on_enter[0], reason="test: reach the marker")
    if marker_id not in drill.marker_times and marker.on_action is not None:
        drill.advance_to(max(drill.t, 5))
        drill.act(marker.on_action, by="instructor",
                  **clean_dose(drill.loaded, marker.on_action, drill.patient.weight_kg))
    if marker_id not in drill.marker_times and marker.when is not None:
        # a condition on a dose's effect (effect.lipid >= 0.8): its actions are given once, at
        # a dose no rule flags (the reference dose for this weight)
        for action_id in _effect_actions(drill, marker.when):
            if not drill.variables().get(f"given.{action_id}"):
                drill.act(action_id, **clean_dose(drill.loaded, action_id, drill.patient.weight_kg))
    if marker_id not in drill.marker_times:
        done = set()
        for prefix in ("total.", "given.", "since."):
            for action_id in _named(drill.loaded, marker_id, prefix):
                action = drill.catalogue.get(action_id)
                if action is None or action_id in done:
                    continue
                done.add(action_id)
                dose = None
                if action.dose is not None:
                    top = action.dose.max if action.dose.max is not None else action.dose.default
                    dose = (top or 1.0) + 1.0
                drill.act(action_id, by="instructor", dose=dose,
                          route=action.routes[0] if action.routes else None)
    # blood products counted in adult units (blood.rbc_units >= 4): one unit at a time
    for variable in _named(drill.loaded, marker_id, "blood."):
        product = next((a for a, v in BLOOD_PRODUCTS.items() if v == variable), None)
        action = drill.catalogue.get(product or "")
        for _ in range(40):
            if marker_id in drill.marker_times or action is None:
                break
            drill.act(product, by="instructor", **clean_dose(drill.loaded, product, drill.patient.weight_kg))
            drill.advance_to(drill.t + 1)
    # laboratory results (lab.fibrinogen < 2): samples sent every 5 min while the drill runs on
    labs = _named(drill.loaded, marker_id, "lab.")
    sender = next((a.id for a in drill.catalogue.actions if getattr(a, "labs", None)), None) \
        if labs else None
    waited_from, limit = drill.t, drill.t + drill.scenario.duration_s * 2
    while marker_id not in drill.marker_times and drill.t < limit:
        if drill.t == waited_from + bleed_after:
            drill.force(_bleeding_states(drill.loaded)[-1], reason="test: make it bleed")
        if sender is not None and (drill.t - waited_from) % 300 == 0:
            drill.act(sender, by="instructor")
            # clotting falls with dilution: clear fluid keeps the bleeding woman alive and
            # thins what is left (lab.fibrinogen < 2 needs both loss and fluid)
            if drill.catalogue.get("crystalloid_bolus") is not None:
                drill.act("crystalloid_bolus", by="instructor", dose=1000, unit="mL", route="IV")
        drill.advance_to(drill.t + 1)
    assert marker_id in drill.marker_times, f"marker {marker_id} never happened"
    return drill.marker_times[marker_id]


def _effect_actions(drill: Drill, condition: str) -> list[str]:
    """The actions of the dose effects (``effect.<id>``) a condition reads."""
    effects = {e.id: e.actions for e in drill.scenario.effects}
    names = re.findall(r"\beffect\.([a-z][a-z0-9_]*)", condition)
    return list(dict.fromkeys(a for name in names for a in effects.get(name, ())))


def clean_dose(loaded: LoadedScenario, action_id: str, weight_kg: float) -> dict[str, object]:
    """``dose``/``route`` keywords for ``Drill.act`` that no catalogue rule flags for this
    patient: the rule's expected dose, else the catalogue default; the first route."""
    action = loaded.catalogue.get(action_id)
    assert action is not None, action_id
    if action.dose is None:
        return {}
    expected = [r for r in action.rules if isinstance(r, ExpectedDose)]
    dose = expected[0].expected(weight_kg) if expected else action.dose.default
    return {"dose": dose, "route": action.routes[0] if action.routes else None}


def fork(drill: Drill) -> Drill:
    """An independent copy of the drill as it stands (``copy.deepcopy``): the three cases of a
    boundary share the simulation up to it instead of playing it three times."""
    twin = copy.deepcopy(drill)
    assert twin.t == drill.t and twin.state == drill.state and twin.events == drill.events
    return twin
