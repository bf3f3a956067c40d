"""What an instructor needs beside a dose before logging it: the patient's weight and
conditions, the weight-based suggestion, the dose of that drug given so far (and of every drug
that shares its total limit, e.g. all local anaesthetics), and the catalogue's limits for this
patient. One use case for the console's dose dialog and any other face; it decides nothing the
rules do not already decide (an out-of-range dose is logged and flagged, never refused).
"""

from __future__ import annotations

from dataclasses import dataclass

from simtool.core.catalogue import MaxSingle, MaxTotal
from simtool.core.drill import Drill
from simtool.core.rules import dose_limit


@dataclass(frozen=True, kw_only=True)
class DoseContext:
    action: str
    unit: str
    weight_kg: float
    conditions: tuple[str, ...]
    suggested: float | None          # per_kg × weight, when the catalogue gives one
    default: float | None
    usual_min: float | None
    usual_max: float | None
    given: float                     # this drug so far (standing doses, as corrected)
    shared: tuple[str, ...]          # the drugs sharing its total limit, this one included
    shared_given: float              # all of them so far
    single_limit: float | None       # the most in one dose for this patient, by any route
    total_limit: float | None        # the most in total (shared) for this patient
    # the most in one dose by each of the drug's routes (oxytocin: 5 IU by IV injection, 10 IU
    # IM, 40 IU in an infusion); a route without a limit of its own is not listed
    single_by_route: tuple[tuple[str, float], ...] = ()

    def single_limit_for(self, route: str | None) -> float | None:
        """The most in one dose by ``route`` (None: whatever the route)."""
        return dict(self.single_by_route).get(route or "", self.single_limit)


def dose_context(drill: Drill, action_id: str) -> DoseContext | None:
    """The context of a dose of ``action_id`` now; None for an action that takes no dose."""
    action = drill.catalogue.get(action_id)
    if action is None or action.dose is None:
        return None
    dose = action.dose
    weight = float(drill.patient.weight_kg)
    single = total = None
    by_route: dict[str, float] = {}
    shared: tuple[str, ...] = (action_id,)
    scenario = drill.scenario.id
    for rule in action.rules:
        if rule.only_in and scenario not in rule.only_in:
            continue   # a limit of another scenario (LAST's epinephrine) is not this patient's
        if isinstance(rule, MaxSingle):
            limit = dose_limit(rule.per_kg, rule.absolute, weight)
            for route in rule.routes or action.routes:
                by_route[route] = min(limit, by_route.get(route, limit))
            if not rule.routes:
                single = limit if single is None or limit < single else single
        elif isinstance(rule, MaxTotal):
            limit = dose_limit(rule.per_kg, rule.absolute, weight)
            if total is None or limit < total:
                total = limit
                shared = tuple(dict.fromkeys((action_id, *rule.shared_with)))
    done = drill.actions_done()
    given = sum(e.dose or 0.0 for e in done if e.action == action_id)
    shared_given = sum(e.dose or 0.0 for e in done if e.action in shared)
    return DoseContext(
        action=action_id, unit=dose.unit, weight_kg=weight,
        conditions=tuple(drill.patient.conditions),
        suggested=dose.per_kg * weight if dose.per_kg is not None else None,
        default=dose.default, usual_min=dose.min, usual_max=dose.max,
        given=given, shared=shared, shared_given=shared_given,
        single_limit=single, total_limit=total,
        single_by_route=tuple((r, by_route[r]) for r in action.routes if r in by_route))
