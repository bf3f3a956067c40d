"""Every time and dose limit of the bundled action catalogue, exactly at the limit, one step
inside and one step over — each logged through ``Drill.act`` as the console logs it, and the
flag (or its absence) read off the drill's record.

The cases are generated from ``scenarios/actions.yaml``: a changed comparison (``>`` for
``>=``), a limit that slips (+60 s, +1 unit) or a rule that stops applying fails a case here,
and a rule added to the catalogue is covered without writing a test.

The limits, as the README states them: a dose above ``max_single`` (the smaller of per kg ×
weight and absolute) is flagged, at it is not; likewise a total above ``max_total`` (counting
the ``shared_with`` actions); a dose more than ``tolerance_pct`` away from ``expected_dose``
(absolute above ``over_kg`` kg, per kg up to it) is flagged, exactly that far is not; a dose
sooner than ``min_interval`` after the last one is flagged, exactly then is not; the dose after
the ``max_doses``-th is flagged; a dose more than ``within_s`` after the ``window`` marker is
flagged, exactly then is not. Rules with ``routes`` or ``only_in`` apply only there.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from simtool.core.catalogue import (
    Action, ExpectedDose, MaxDoses, MaxSingle, MaxTotal, MinInterval, Window, load_catalogue,
)
from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.scenario import LoadedScenario, load_scenario

from helpers.paths import SCENARIOS

MINIMAL = Path(__file__).parent / "data" / "minimal_scenario.yaml"
CATALOGUE = load_catalogue(SCENARIOS / "actions.yaml")
HARNESS_ID = "rule_boundaries"
EPS = 0.01        # one step of dose, in the action's unit
WEIGHT = 65.0     # kg, where a rule's weight does not matter


@dataclass(frozen=True)
class Case:
    name: str
    action: str
    kind: str                   # the flag's rule kind
    flagged: bool               # what the dose must draw
    dose: float | None
    t: float = 60.0             # when the dose is logged (the harness's markers are at 0 s)
    weight: float = WEIGHT
    route: str | None = None
    before: tuple[tuple[float, str, float | None], ...] = ()  # earlier doses: (t, action, dose)
    scenario: str = HARNESS_ID
    markers: tuple[str, ...] = field(default=())


def _limit(per_kg: float | None, absolute: float | None, weight: float) -> float:
    return min(x for x in (None if per_kg is None else per_kg * weight, absolute) if x is not None)


def _weights(per_kg: float | None, absolute: float | None) -> list[float]:
    """A weight where the per-kg limit binds and one where the absolute one does (both given)."""
    if per_kg is not None and absolute is not None:
        crossing = absolute / per_kg
        return [round(crossing * 0.8, 1), round(crossing * 1.25, 1)]
    return [WEIGHT]


def _route(action: Action, rule: Any) -> str | None:
    """The rule's own route, else a route of the action no other rule of its kind claims."""
    if rule.routes:
        return rule.routes[0]
    claimed = {r for other in action.rules if other.kind == rule.kind for r in other.routes}
    free = [r for r in action.routes if r not in claimed]
    return free[0] if free else (action.routes[0] if action.routes else None)


def _default(action: Action) -> float | None:
    return action.dose.default if action.dose else None


def _three(name: str, below: dict, at: dict, above: dict, **common: Any) -> list[Case]:
    return [Case(f"{name}-{where}", **common, **kw) for where, kw in
            (("below", below), ("at", at), ("above", above))]


def _cases_for(action: Action, i: int, rule: Any) -> list[Case]:
    name = f"{action.id}-{i}-{rule.kind}"
    scenario = rule.only_in[0] if rule.only_in else HARNESS_ID
    common: dict[str, Any] = {"action": action.id, "kind": rule.kind, "route": _route(action, rule),
                              "scenario": scenario}
    out: list[Case] = []
    if isinstance(rule, MaxSingle):
        for w in _weights(rule.per_kg, rule.absolute):
            limit = _limit(rule.per_kg, rule.absolute, w)
            out += _three(f"{name}@{w:g}kg", {"dose": limit - EPS, "flagged": False},
                          {"dose": limit, "flagged": False}, {"dose": limit + EPS, "flagged": True},
                          weight=w, **common)
    elif isinstance(rule, MaxTotal):
        other = rule.shared_with[0] if rule.shared_with else action.id
        for w in _weights(rule.per_kg, rule.absolute):
            limit = _limit(rule.per_kg, rule.absolute, w)
            first = round(limit / 2, 3)  # given earlier, by the shared action when there is one
            before = ((10.0, other, first),)
            out += _three(f"{name}@{w:g}kg-after-{other}",
                          {"dose": limit - first - EPS, "flagged": False},
                          {"dose": limit - first, "flagged": False},
                          {"dose": limit - first + EPS, "flagged": True},
                          weight=w, before=before, **common)
    elif isinstance(rule, ExpectedDose):
        weights = [rule.over_kg - 1, rule.over_kg, rule.over_kg + 1] if rule.over_kg else [WEIGHT]
        for w in weights:
            over = rule.over_kg is not None and w > rule.over_kg
            want = rule.absolute if rule.per_kg is None or over else rule.per_kg * w
            band = want * rule.tolerance_pct / 100.0
            out += _three(f"{name}@{w:g}kg-high", {"dose": want + band - EPS, "flagged": False},
                          {"dose": want + band, "flagged": False}, {"dose": want + band + EPS, "flagged": True},
                          weight=w, **common)
            out += _three(f"{name}@{w:g}kg-low", {"dose": want - band + EPS, "flagged": False},
                          {"dose": want - band, "flagged": False}, {"dose": want - band - EPS, "flagged": True},
                          weight=w, **common)
    elif isinstance(rule, MinInterval):
        first, dose = 100.0, _default(action)
        out += _three(name, {"t": first + rule.seconds - 1, "flagged": True},
                      {"t": first + rule.seconds, "flagged": False},
                      {"t": first + rule.seconds + 1, "flagged": False},
                      dose=dose, before=((first, action.id, dose),), **common)
    elif isinstance(rule, MaxDoses):
        dose = _default(action)

        def nth(n: int) -> dict[str, Any]:  # the n-th dose, 10 s after the one before it
            return {"before": tuple((10.0 * k, action.id, dose) for k in range(1, n)),
                    "t": 10.0 * n, "flagged": n > rule.count}
        below = nth(rule.count - 1) if rule.count > 1 else nth(rule.count)
        out += _three(name, below, nth(rule.count), nth(rule.count + 1), dose=dose, **common)
    elif isinstance(rule, Window):
        dose = _default(action)
        out += _three(name, {"t": rule.within_s - 1, "flagged": False}, {"t": rule.within_s, "flagged": False},
                      {"t": rule.within_s + 1, "flagged": True}, dose=dose, markers=(rule.after,), **common)
    # where a rule does not apply, it does not flag: another scenario, another route
    for c in [c for c in out if c.flagged][:1]:
        if rule.only_in:
            out.append(replace(c, name=f"{name}-elsewhere", scenario=HARNESS_ID, flagged=False))
        other_routes = [r for r in action.routes if r not in rule.routes] if rule.routes else []
        if other_routes:
            out.append(replace(c, name=f"{name}-by-{other_routes[0]}", route=other_routes[0], flagged=False))
    return out


CASES = [c for a in CATALOGUE.actions for i, r in enumerate(a.rules) for c in _cases_for(a, i, r)]


def test_every_time_and_dose_limit_of_the_catalogue_has_cases():
    kinds = {c.kind for c in CASES}
    assert kinds == {"max_single", "max_total", "expected_dose", "min_interval", "max_doses", "window"}
    limited = {(a.id, i) for a in CATALOGUE.actions for i, r in enumerate(a.rules) if r.kind != "contraindication"}
    covered = {(c.action, int(c.name.split("-")[1])) for c in CASES}
    assert covered == limited
    # the tranexamic acid 3-hour window is tried at 10799, 10800 and 10801 s
    txa = sorted(c.t for c in CASES if c.action == "tranexamic_acid" and c.kind == "window")
    assert txa == [10799, 10800, 10801]


_harnesses: dict[tuple[str, tuple[str, ...]], LoadedScenario] = {}


def harness(folder: Path, scenario_id: str, markers: tuple[str, ...]) -> LoadedScenario:
    """A scenario that does nothing but hold time still: no bleeding, one final state, a wide
    weight range, the given markers at 0 s, and ``scenario_id`` (for ``only_in`` rules)."""
    key = (scenario_id, markers)
    if key not in _harnesses:
        data = YAML(typ="safe").load(MINIMAL.read_text(encoding="utf-8"))
        data["id"] = scenario_id
        data["patient"]["weight_kg"] = {"default": WEIGHT, "min": 1, "max": 300}
        data["patient"]["conditions"] = []
        data["markers"] = [{"id": m, "at_s": 0} for m in dict.fromkeys(("birth",) + markers)]
        data["initial"] = "waiting"
        data["states"] = [{"id": "waiting", "label": data["states"][0]["label"], "final": True,
                           "outcome": "stabilised", "bleed_ml_min": {"value": 0, "source": "design"}}]
        for key_ in ("phases", "interventions", "expected", "indicators"):
            data.pop(key_, None)
        path = folder / f"{scenario_id}-{'-'.join(markers) or 'none'}.yaml"
        with path.open("w", encoding="utf-8") as f:
            YAML(typ="safe").dump(data, f)
        _harnesses[key] = load_scenario(path)
    return _harnesses[key]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_dose_at_the_limit_is_not_flagged_one_step_over_it_is(case: Case, tmp_path_factory):
    loaded = harness(tmp_path_factory.getbasetemp(), case.scenario, case.markers)
    drill = Drill(loaded, PatientParams(case.weight), [Participant("t1", "Li Na", "midwife")])
    for t, action, dose in case.before:
        drill.advance_to(t)
        drill.act(action, by="t1", dose=dose, route=case.route)
    drill.advance_to(case.t)
    assert drill.t == case.t
    event = drill.act(case.action, by="t1", dose=case.dose, route=case.route)
    flags = [f for f in drill.flags() if f.ref == event.seq and f.rule == case.kind]
    assert len(flags) == (1 if case.flagged else 0), \
        f"{case.action} {case.dose} at {case.t} s ({case.weight} kg, {case.route}): {[f.text for f in flags]}"
