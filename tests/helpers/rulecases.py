"""Cases for the action catalogue's rules, generated from the catalogue: each time or dose
limit at the limit, one step inside and one step over; and a still scenario to log them in
(``harness``) through ``Drill.act``, as the console logs them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from simtool.core.catalogue import (
    AdditiveMax, MaxVolume, NotBefore,
    Action, Catalogue, ExpectedDose, Indication, MaxDoses, MaxSingle, MaxTotal, MinInterval, Window,
)
from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.events import Event
from simtool.core.scenario import LoadedScenario, load_scenario

from helpers.paths import ROOT

MINIMAL = ROOT / "tests" / "core" / "data" / "minimal_scenario.yaml"
HARNESS_ID = "rule_boundaries"
EPS = 0.01          # one step of dose, in the action's unit
WEIGHT = 65.0       # kg, where a rule's weight does not matter
WINDOW_OPENS = 30.0  # s: when a window rule's marker happens in the harness (not at 0)


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
    conditions: tuple[str, ...] = ()
    rule: int | None = None     # the rule's index in the action's rules
    numbers: tuple[tuple[str, float], ...] = ()  # {limit}, {total}, {per_kg} for its message


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


def _default_of(action_id: str) -> float | None:
    """The default dose of another action of the bundled catalogue (a dose of 1 without one)."""
    from simtool.core.catalogue import load_catalogue
    from helpers.paths import SCENARIOS
    found = load_catalogue(SCENARIOS / "actions.yaml").get(action_id)
    if found is None or found.dose is None:
        return None
    return found.dose.default if found.dose.default is not None else 1.0


def _three(name: str, below: dict, at: dict, above: dict, **common: Any) -> list[Case]:
    return [Case(f"{name}-{where}", **common, **kw) for where, kw in
            (("below", below), ("at", at), ("above", above))]


def _cases_for(action: Action, i: int, rule: Any) -> list[Case]:
    name = f"{action.id}-{i}-{rule.kind}"
    scenario = rule.only_in[0] if rule.only_in else HARNESS_ID
    common: dict[str, Any] = {"action": action.id, "kind": rule.kind, "route": _route(action, rule),
                              "scenario": scenario, "rule": i}
    out: list[Case] = []
    if isinstance(rule, MaxSingle):
        for w in _weights(rule.per_kg, rule.absolute):
            limit = _limit(rule.per_kg, rule.absolute, w)
            out += _three(f"{name}@{w:g}kg", {"dose": limit - EPS, "flagged": False},
                          {"dose": limit, "flagged": False},
                          {"dose": limit + EPS, "flagged": True,
                           "numbers": (("limit", limit), ("per_kg", (limit + EPS) / w))},
                          weight=w, **common)
    elif isinstance(rule, MaxTotal):
        other = rule.shared_with[0] if rule.shared_with else action.id
        for w in _weights(rule.per_kg, rule.absolute):
            limit = _limit(rule.per_kg, rule.absolute, w)
            first = round(limit / 2, 3)  # given earlier, by the shared action when there is one
            # an entry of the action without a dose counts nothing
            before = ((5.0, action.id, None), (10.0, other, first))
            three = _three(f"{name}@{w:g}kg-after-{other}",
                           {"dose": limit - first - EPS, "flagged": False},
                           {"dose": limit - first, "flagged": False},
                           {"dose": limit - first + EPS, "flagged": True,
                            "numbers": (("limit", limit), ("total", limit + EPS), ("per_kg", (limit + EPS) / w))},
                           weight=w, before=before, **common)
            out += three
            over = three[-1]
            if rule.within_s is not None:
                # a rolling window: the dose at 10 s counts exactly ``within_s`` later, not after
                out.append(replace(over, name=f"{over.name}-window-edge", t=10.0 + rule.within_s))
                out.append(replace(over, name=f"{over.name}-window-past", t=11.0 + rule.within_s,
                                   flagged=False))
            for ender in rule.before:
                # the limit holds only until this action has been given
                out.append(replace(over, name=f"{over.name}-once-{ender}-given", flagged=False,
                                   before=over.before + ((20.0, ender, _default_of(ender)),)))
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
        end = WINDOW_OPENS + rule.within_s
        three = _three(name, {"t": end - 1, "flagged": False}, {"t": end, "flagged": False},
                       {"t": end + 1, "flagged": True}, dose=dose, markers=(rule.after,), **common)
        out += three
        if rule.first_only:  # a later dose, the first given in time, is not flagged
            out.append(replace(three[-1], name=f"{name}-second-dose", flagged=False,
                               before=((WINDOW_OPENS + 1, action.id, dose),)))
    elif isinstance(rule, Indication):
        # indicated before the marker: at the marker and after it, flagged
        out += _three(name, {"t": WINDOW_OPENS - 1, "flagged": False}, {"t": WINDOW_OPENS, "flagged": True},
                      {"t": WINDOW_OPENS + 1, "flagged": True}, dose=_default(action),
                      markers=(rule.before,), **common)
    elif isinstance(rule, AdditiveMax):
        out += _additive_cases(name, action, rule, common)
    elif isinstance(rule, MaxVolume):
        out += _volume_cases(name, action, rule, common)
    elif isinstance(rule, NotBefore):
        # from the marker (at WINDOW_OPENS s) plus min_s on; before the marker too soon as well
        end = WINDOW_OPENS + rule.min_s
        out += _three(name, {"t": end - 1, "flagged": True}, {"t": end, "flagged": False},
                      {"t": end + 1, "flagged": False}, dose=_default(action), markers=(rule.after,), **common)
        out.append(Case(f"{name}-before-the-marker", t=WINDOW_OPENS - 10, flagged=True, dose=_default(action),
                        markers=(rule.after,), **common))
    # where a rule does not apply, it does not flag: another scenario, another route
    for c in [c for c in out if c.flagged][:1]:
        if rule.only_in:
            out.append(replace(c, name=f"{name}-elsewhere", scenario=HARNESS_ID, flagged=False))
        other_routes = [r for r in action.routes if r not in rule.routes] if rule.routes else []
        if other_routes:
            out.append(replace(c, name=f"{name}-by-{other_routes[0]}", route=other_routes[0], flagged=False))
    return out


def _bundled() -> Catalogue:
    from simtool.core.catalogue import load_catalogue
    from helpers.paths import SCENARIOS
    return load_catalogue(SCENARIOS / "actions.yaml")


def _additive_cases(name: str, action: Action, rule: AdditiveMax, common: dict[str, Any]) -> list[Case]:
    """Half of another drug's maximum given first, then half of this one's: at 100 % of the
    combined maximum not flagged, one step over it is; one drug alone never (max_total's)."""
    cat = _bundled()
    other = rule.shared_with[0]

    def limit_of(action_id: str) -> float:
        mt = next(r for r in cat.index[action_id].rules if isinstance(r, MaxTotal))
        return _limit(mt.per_kg, mt.absolute, WEIGHT)
    mine, theirs = limit_of(action.id), limit_of(other)
    before = ((10.0, other, theirs / 2),)
    out = _three(f"{name}-after-{other}", {"dose": mine / 2 - EPS, "flagged": False},
                 {"dose": mine / 2, "flagged": False},
                 {"dose": mine / 2 + EPS, "flagged": True, "numbers": (("percent", 100),)},
                 before=before, **common)
    out.append(Case(f"{name}-alone", dose=mine + EPS, flagged=False, **common))
    return out


def _volume_cases(name: str, action: Action, rule: MaxVolume, common: dict[str, Any]) -> list[Case]:
    """Half the ceiling as a dose first; the other half run by an infusion set as a rate (6 mL/min,
    from 20 s): exactly at the ceiling not flagged, a second later it is. Without a rate among
    the rule's actions, this action's dose takes the total to the ceiling and one step over."""
    cat = _bundled()
    limit = _limit(rule.per_kg, rule.absolute, WEIGHT)
    amount = next(a for a in rule.actions if not cat.is_rate(a))
    rate = next((a for a in rule.actions if cat.is_rate(a)), None)
    if rate is None:
        return _three(f"{name}-after-{amount}", {"dose": limit / 2 - EPS, "flagged": False},
                      {"dose": limit / 2, "flagged": False},
                      {"dose": limit / 2 + EPS, "flagged": True,
                       "numbers": (("limit", limit), ("total", limit + EPS), ("per_kg", (limit + EPS) / WEIGHT))},
                      before=((10.0, amount, limit / 2),), **common)
    per_min = 6.0
    end = 20.0 + (limit / 2) / per_min * 60.0
    before = ((10.0, amount, limit / 2), (20.0, rate, per_min))
    dose = None if cat.is_rate(action.id) or action.id in rule.actions else _default(action)
    total = limit / 2 + per_min * (end + 1 - 20.0) / 60.0
    return _three(f"{name}-infused", {"t": end - 1, "flagged": False}, {"t": end, "flagged": False},
                  {"t": end + 1, "flagged": True,
                   "numbers": (("limit", limit), ("total", total), ("per_kg", total / WEIGHT))},
                  dose=dose, before=before, **common)


def catalogue_cases(catalogue: Catalogue) -> list[Case]:
    """Every limit rule's cases, and every dose's usual range and every action's routes."""
    out = [c for a in catalogue.actions for i, r in enumerate(a.rules) for c in _cases_for(a, i, r)]
    for a in catalogue.actions:
        out += _range_cases(a) + _route_cases(a)
    return out


def _range_cases(action: Action) -> list[Case]:
    """A dose below the action's usual ``min`` or above its ``max`` is flagged, at them not."""
    d = action.dose
    if d is None:
        return []
    common: dict[str, Any] = {"action": action.id, "kind": "dose_range",
                              "route": action.routes[0] if action.routes else None}
    out = []
    # one step inside the range, unless the range is one dose (carbetocin: 100 µg)
    up = d.min + EPS if d.min is not None and (d.max is None or d.min + EPS <= d.max) else d.min
    down = d.max - EPS if d.max is not None and (d.min is None or d.max - EPS >= d.min) else d.max
    if d.min is not None and d.min > EPS:
        out += _three(f"{action.id}-range-min", {"dose": up, "flagged": False},
                      {"dose": d.min, "flagged": False}, {"dose": d.min - EPS, "flagged": True}, **common)
    if d.max is not None:
        out += _three(f"{action.id}-range-max", {"dose": down, "flagged": False},
                      {"dose": d.max, "flagged": False}, {"dose": d.max + EPS, "flagged": True}, **common)
    return out


ROUTES = ("IV", "IM", "IO", "SL", "PR", "PO", "SC", "INH", "topical", "intrauterine")


def _route_cases(action: Action) -> list[Case]:
    """Each of the action's routes is not flagged; a route it is not given by is."""
    if not action.routes:
        return []
    dose = action.dose.default if action.dose else None
    other = next(r for r in ROUTES if r not in action.routes)
    return [Case(f"{action.id}-route-{r}", action.id, "route", r == other, dose, route=r)
            for r in (*action.routes, other)]


_harnesses: dict[tuple[str, str, tuple[str, ...]], LoadedScenario] = {}


def harness(folder: Path, scenario_id: str, markers: tuple[str, ...]) -> LoadedScenario:
    """A scenario that does nothing but hold time still: no bleeding, one final state, a wide
    weight range, asthma and hypertension as possible conditions, the given markers at ``WINDOW_OPENS`` s,
    ``scenario_id`` (for ``only_in`` rules), and the catalogue ``actions.yaml`` in ``folder``
    if there is one (else the bundled one)."""
    key = (str(folder), scenario_id, markers)
    if key not in _harnesses:
        data = YAML(typ="safe").load(MINIMAL.read_text(encoding="utf-8"))
        data["id"] = scenario_id
        data["patient"]["weight_kg"] = {"default": WEIGHT, "min": 1, "max": 300}
        data["patient"]["conditions"] = ["asthma", "hypertension"]
        data["markers"] = [{"id": "birth", "at_s": 0}] if "birth" not in markers else []
        data["markers"] += [{"id": m, "when": f"t >= {WINDOW_OPENS:g}", "source": "design: test"} for m in markers]
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




def play(case: Case, folder: Path) -> tuple[Drill, Event]:
    """Log the case's earlier doses and then its dose in a harness drill; returns the drill and
    the dose's event."""
    loaded = harness(folder, case.scenario, case.markers)
    drill = Drill(loaded, PatientParams(case.weight, case.conditions), [Participant("t1", "Li Na", "midwife")])
    for t, action, dose in case.before:
        drill.advance_to(t)
        drill.act(action, by="t1", dose=dose, route=case.route if dose is not None else None)
    drill.advance_to(case.t)
    assert drill.t == case.t
    return drill, drill.act(case.action, by="t1", dose=case.dose, route=case.route)
