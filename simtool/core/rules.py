"""Safety rules of the action catalogue, checked when an action is logged.

Each broken rule becomes a flag on the event. Flags never block the instructor: a drill is a
record of what the team did, including its errors, which is what the debrief is for.

The drill keeps an ``ActionLog`` of the actions so far (each action's earlier doses, their last
time, and running totals), so checking the rules of one more action costs the same whether it
is the 10th or the 100,000th of the drill.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from simtool.core import expr, units
from simtool.core.catalogue import (
    AdditiveMax, MaxVolume, NotBefore,
    Action, Catalogue, Contraindication, ExpectedDose, Indication, MaxDoses, MaxSingle, MaxTotal,
    MinInterval, Window,
)
from simtool.core.events import Event


@dataclass(frozen=True)
class Flag:
    """A broken rule as the record keeps it: the rule and its numbers and ids, no words
    (``flagtext`` words it for each reader). ``values["message"]`` is the index of the rule
    in the action's rules when the catalogue gives that rule its own message."""

    rule: str       # contraindication, max_single, max_total, min_interval, max_doses, window,
                    # indication, dose_range, route, forbidden
    values: dict[str, Any]


# CPython 3.12 adds floats with Neumaier's compensated summation, 3.11 one after the other;
# ``_Total`` adds as the running interpreter's ``sum()`` does so totals stay bit-for-bit the same
_COMPENSATED_SUM = sum([1e16, 1.0, -1e16]) != 0.0


class _Total:
    """``sum()`` of a growing sequence of floats, one ``add`` at a time, to the bit."""

    __slots__ = ("value", "c", "empty")

    def __init__(self) -> None:
        self.value = 0.0
        self.c = 0.0
        self.empty = True

    def add(self, x: float) -> None:
        if self.empty:
            self.value = 0 + x  # sum() starts from the integer 0
            self.empty = False
        elif _COMPENSATED_SUM:
            t = self.value + x
            if abs(self.value) >= abs(x):
                self.c += (self.value - t) + x
            else:
                self.c += (x - t) + self.value
            self.value = t
        else:
            self.value += x

    def get(self) -> float | int:
        if self.empty:
            return 0
        if _COMPENSATED_SUM and self.c and math.isfinite(self.c):
            return self.value + self.c
        return self.value


class ActionLog:
    """The drill's unretracted actions in order, indexed for the rules: each action's earlier
    events, and the running dose total of any set of actions (a max_total rule shared between
    actions). Adding an action costs O(1) amortised; a retraction rebuilds the totals."""

    def __init__(self, events: Iterable[Event] = ()) -> None:
        self.ordered: list[Event] = []
        self.by_action: dict[str, list[Event]] = {}
        self._totals: dict[frozenset[str], _Total] = {}
        self._keys_of: dict[str, list[frozenset[str]]] = {}
        # an infusion's running volume, carried forward as its entries come in (infused_ml)
        self.infused: dict[str, tuple[tuple[int, ...], float, float, float]] = {}
        for e in events:
            self.add(e)

    def add(self, event: Event) -> None:
        self.ordered.append(event)
        self.by_action.setdefault(event.action or "", []).append(event)
        for key in self._keys_of.get(event.action or "", ()):
            self._totals[key].add(event.dose or 0.0)

    def remove(self, event: Event) -> None:
        """Take a retracted action out; the totals are added up again without it."""
        self.ordered.remove(event)
        self.by_action[event.action or ""].remove(event)
        self._totals.clear()
        self._keys_of.clear()
        self.infused.clear()

    def same(self, action_id: str) -> Sequence[Event]:
        """Earlier events of ``action_id``, in order."""
        return self.by_action.get(action_id, ())

    def total_since(self, ids: frozenset[str], since: float) -> float:
        """The doses of ``ids`` given at ``since`` or later (a limit over a rolling window):
        read back from the newest, so it costs the doses inside the window."""
        total = 0.0
        for action_id in ids:
            for e in reversed(self.by_action.get(action_id, ())):
                if e.t < since:
                    break
                total += e.dose or 0.0
        return total

    def given_any(self, ids: Iterable[str]) -> bool:
        """Whether any of ``ids`` has been given (and not retracted)."""
        return any(self.by_action.get(a) for a in ids)

    def total(self, ids: frozenset[str]) -> float | int:
        """``sum(e.dose or 0.0 for e in earlier actions if e.action in ids)``, kept running."""
        total = self._totals.get(ids)
        if total is None:
            total = self._totals[ids] = _Total()
            for e in self.ordered:
                if e.action in ids:
                    total.add(e.dose or 0.0)
            for action_id in ids:
                self._keys_of.setdefault(action_id, []).append(ids)
        return total.get()


@dataclass
class RuleContext:
    """What the rules need to know about the drill at the moment an action is logged."""

    t: float
    weight_kg: float
    conditions: frozenset[str]
    env: Mapping[str, Any]                 # current vitals and variables
    marker_time: Callable[[str], float | None]
    has_marker: Callable[[str], bool]
    previous: Sequence[Event] = ()         # earlier, unretracted actions of the whole drill
    scenario_id: str | None = None         # None: apply every rule (no scenario context)
    log: ActionLog | None = None           # the same actions, indexed (the drill keeps one)

    def actions(self) -> ActionLog:
        if self.log is None:
            self.log = ActionLog(self.previous)
        return self.log


def _compiled(text: str, cache: dict[str, expr.Compiled] = {}) -> expr.Compiled:  # noqa: B006
    fn = cache.get(text)
    if fn is None:
        fn = cache[text] = expr.compile_condition(text)
    return fn


def check(action: Action, dose: float | None, route: str | None, ctx: RuleContext,
          catalogue: Catalogue) -> list[Flag]:
    """Every rule the logged action breaks, in catalogue order."""
    flags: list[Flag] = []
    unit = action.dose.unit if action.dose else ""
    log = ctx.actions()
    same = log.same(action.id)

    def flag(index: int, rule: Any, /, **values: Any) -> None:
        if rule.message:  # the catalogue's own words: they may use the dose and the weight
            values = {"dose": dose, "unit": unit, "weight_kg": ctx.weight_kg, **values, "message": index}
        flags.append(Flag(rule.kind, {k: v for k, v in values.items() if v is not None}))

    if action.dose and dose is not None:
        lo, hi = action.dose.min, action.dose.max
        if (lo is not None and dose < lo) or (hi is not None and dose > hi):
            flags.append(Flag("dose_range", {k: v for k, v in (("dose", dose), ("unit", unit),
                                                                ("min", lo), ("max", hi)) if v is not None}))
    if route and action.routes and route not in action.routes:
        flags.append(Flag("route", {"route": route, "routes": list(action.routes)}))

    for n, rule in enumerate(action.rules):
        if rule.only_in and ctx.scenario_id is not None and ctx.scenario_id not in rule.only_in:
            continue
        if rule.routes and route not in rule.routes:
            continue
        if isinstance(rule, Contraindication):
            hit = sorted(set(rule.conditions) & ctx.conditions)
            if hit:
                flag(n, rule, conditions=hit)
            elif rule.when is not None and _compiled(rule.when)(ctx.env):
                flag(n, rule, when=rule.when)
        elif isinstance(rule, MaxSingle) and dose is not None:
            limit = dose_limit(rule.per_kg, rule.absolute, ctx.weight_kg)
            if dose > limit + 1e-9:
                flag(n, rule, dose=dose, unit=unit, limit=limit, per_kg=dose / ctx.weight_kg)
        elif isinstance(rule, MaxTotal) and dose is not None:
            if rule.before and log.given_any(rule.before):
                continue  # e.g. blood has been given: the limit on clear fluid before it is over
            limit = dose_limit(rule.per_kg, rule.absolute, ctx.weight_kg)
            ids = frozenset((action.id, *rule.shared_with))
            if rule.within_s is not None:
                total = dose + log.total_since(ids, ctx.t - rule.within_s)
            else:
                total = dose + log.total(ids)
            if total > limit + 1e-9:
                flag(n, rule, unit=unit, total=total, limit=limit, per_kg=total / ctx.weight_kg,
                     within_s=rule.within_s, before=list(rule.before) or None)
        elif isinstance(rule, ExpectedDose) and dose is not None:
            want = rule.expected(ctx.weight_kg)
            if abs(dose - want) > rule.tolerance_pct / 100.0 * want + 1e-9:
                flag(n, rule, dose=dose, unit=unit, expected=want, tolerance_pct=rule.tolerance_pct,
                     weight_kg=ctx.weight_kg)
        elif isinstance(rule, MinInterval) and same:
            gap = ctx.t - same[-1].t
            if gap < rule.seconds:
                flag(n, rule, gap_s=gap, min_s=rule.seconds)
        elif isinstance(rule, MaxDoses):
            if len(same) + 1 > rule.count:
                flag(n, rule, n=len(same) + 1, max=rule.count)
        elif isinstance(rule, Window) and ctx.has_marker(rule.after):
            if rule.first_only and same:
                continue  # a later dose continues a treatment: only the first has the window
            start = ctx.marker_time(rule.after)
            if start is not None and ctx.t - start > rule.within_s:
                flag(n, rule, after_s=ctx.t - start, marker=rule.after, within_s=rule.within_s)
        elif isinstance(rule, Indication) and ctx.has_marker(rule.before):
            start = ctx.marker_time(rule.before)
            if start is not None and ctx.t >= start:
                flag(n, rule, after_s=ctx.t - start, marker=rule.before)
        elif isinstance(rule, AdditiveMax) and dose is not None:
            parts = fractions_of_maximum(action, dose, rule, ctx.weight_kg, catalogue, log)
            total = sum(f for _a, f in parts)
            if len(parts) >= 2 and total > 1 + 1e-9:
                flag(n, rule, percent=round(total * 100), fraction=total,
                     actions=[a for a, _f in parts], fractions=[round(f, 4) for _a, f in parts])
        elif isinstance(rule, MaxVolume):
            limit = dose_limit(rule.per_kg, rule.absolute, ctx.weight_kg)
            total = volume_given(rule, action, dose, ctx.t, catalogue, log)
            if total > limit + 1e-9:
                flag(n, rule, unit=rule.unit, total=total, limit=limit, per_kg=total / ctx.weight_kg)
        elif isinstance(rule, NotBefore) and ctx.has_marker(rule.after):
            start = ctx.marker_time(rule.after)
            if start is None or ctx.t - start < rule.min_s:
                flag(n, rule, marker=rule.after, min_s=rule.min_s,
                     after_s=ctx.t - start if start is not None else None)
    return flags


def fractions_of_maximum(action: Action, dose: float, rule: AdditiveMax, weight_kg: float,
                         catalogue: Catalogue, log: ActionLog) -> list[tuple[str, float]]:
    """Each drug of an additive_max rule given so far (this dose included), with its total as
    a fraction of its own maximum for this patient (its first max_total rule)."""
    parts = []
    for other in (action.id, *rule.shared_with):
        found = catalogue.get(other)
        limit = next((r for r in found.rules if isinstance(r, MaxTotal)), None) if found else None
        if limit is None:
            continue  # the validator refuses this; never fail a drill over it
        given = log.total(frozenset((other,))) + (dose if other == action.id else 0.0)
        if given > 0:
            parts.append((other, given / dose_limit(limit.per_kg, limit.absolute, weight_kg)))
    return parts


def infused_ml(line: str, t: float, catalogue: Catalogue, log: ActionLog) -> float:
    """The mL that the infusion ``line`` (an action dosed as a rate) has run by drill time
    ``t``: each of its entries sets the rate, an action that scales its rate multiplies it,
    one that stops it ends it."""
    action = catalogue.get(line)
    if action is None or action.dose is None or not units.is_rate(action.dose.unit):
        return 0.0
    unit = action.dose.unit
    lists = [log.same(a) for a in (line, *catalogue.rate_changers.get(line, ()))]
    counts = tuple(len(entries) for entries in lists)
    # carried forward from the last call when the entries since then all come later (the
    # usual case: a drill logs in time order); otherwise counted again from the start
    state = log.infused.get(line)
    ml = rate = since = 0.0
    fresh: list[Event] = []
    if state is not None and len(state[0]) == len(counts) and \
            all(n >= m for n, m in zip(counts, state[0])):
        _counts, ml, rate, since = state
        fresh = [e for entries, m in zip(lists, state[0]) for e in entries[m:]]
        if since > t or any(e.t < since or e.t > t for e in fresh):
            state = None
    if state is None:
        ml = rate = since = 0.0
        fresh = [e for entries in lists for e in entries]
    keep = all(e.t <= t for e in fresh)
    events = sorted((e for e in fresh if e.t <= t), key=lambda e: (e.t, e.seq))
    for e in events:
        ml += units.volume_ml(rate, unit, e.t - since)
        since = e.t
        if e.action == line:
            rate = e.dose or 0.0
            continue
        changer = catalogue.get(e.action or "")
        if changer is not None and changer.scales_rate is not None and changer.scales_rate.of == line:
            rate *= changer.scales_rate.factor
        if changer is not None and line in changer.stops:
            rate = 0.0
    if keep:
        log.infused[line] = (counts, ml, rate, since)
    return ml + units.volume_ml(rate, unit, max(0.0, t - since))


def volume_given(rule: MaxVolume, action: Action, dose: float | None, t: float,
                 catalogue: Catalogue, log: ActionLog) -> float:
    """What a max_volume rule counts at drill time ``t``, in its unit: the doses of its actions
    dosed in a volume (this one's included), and what those dosed as a rate have run."""
    total = 0.0
    for other in rule.actions:
        found = catalogue.get(other)
        if found is None or found.dose is None:
            continue
        if units.is_rate(found.dose.unit):
            total += units.convert(infused_ml(other, t, catalogue, log), "mL", rule.unit)
            continue
        given = log.total(frozenset((other,))) + (dose or 0.0 if other == action.id else 0.0)
        total += units.convert(given, found.dose.unit, rule.unit)
    return total


def dose_limit(per_kg: float | None, absolute: float | None, weight: float) -> float:
    """The smaller of ``per_kg`` × weight and ``absolute`` (a rule gives at least one)."""
    limits = [x for x in (per_kg * weight if per_kg is not None else None, absolute) if x is not None]
    return min(limits)
