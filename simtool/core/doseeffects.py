"""Drug effects that grow with the dose: the ``effect.<id>`` condition variables of a drill.

A scenario's ``effects`` (``scenario.DoseEffect``) name the actions whose doses count, the
reference dose for this patient (per kg, or absolute above a weight) and the onset. A dose
counts from ``onset_s`` after it was given, as its fraction of the reference dose; doses add
up. So a condition such as ``effect.lipid >= 0.8`` holds three minutes after 1.5 mL/kg of lipid
emulsion has been given in one bolus or in several, and never after 10 mL (LAST, ASRA 2020).

Deterministic like the rest of the engine: the value depends only on the doses and their
drill times.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from simtool.core import units
from simtool.core.catalogue import Catalogue
from simtool.core.events import Event

if TYPE_CHECKING:  # pragma: no cover
    from simtool.core.scenario import DoseEffect


class EffectTracker:
    """The value of each dose effect of a scenario for one patient, as drill time passes."""

    def __init__(self, effects: Sequence["DoseEffect"], catalogue: Catalogue, weight_kg: float) -> None:
        self._effects = tuple(effects)
        self._catalogue = catalogue
        self._reference = {e.id: e.reference(weight_kg) for e in self._effects}
        self._by_action: dict[str, list["DoseEffect"]] = {}
        for e in self._effects:
            for a in dict.fromkeys(e.actions):
                self._by_action.setdefault(a, []).append(e)
        self.values: dict[str, float] = {}
        self._pending: list[tuple[float, int, str, float]] = []  # (due time, order, effect, fraction)
        self._order = 0
        self.reset()

    def reset(self) -> None:
        self.values = {e.id: 0.0 for e in self._effects}
        self._pending = []
        self._order = 0

    def add(self, event: Event) -> None:
        """Count a logged dose (from its onset on)."""
        effects = self._by_action.get(event.action or "")
        if not effects or event.dose is None:
            return
        action = self._catalogue.get(event.action or "")
        if action is None or action.dose is None:
            return
        for e in effects:
            amount = units.convert(event.dose, action.dose.unit, e.unit)
            heapq.heappush(self._pending, (event.t + e.onset_s, self._order, e.id,
                                           amount / self._reference[e.id]))
            self._order += 1

    def advance(self, t: float) -> None:
        """Count every dose whose onset has come by drill time ``t``."""
        pending = self._pending
        while pending and pending[0][0] <= t + 1e-9:
            _due, _order, effect_id, fraction = heapq.heappop(pending)
            self.values[effect_id] += fraction

    def rebuild(self, events: Iterable[Event], t: float) -> None:
        """Count again from the standing actions (after a retraction or an amendment)."""
        self.reset()
        for e in events:
            self.add(e)
        self.advance(t)

    def variables(self) -> dict[str, float]:
        return {f"effect.{k}": v for k, v in self.values.items()}
