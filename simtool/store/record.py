"""One drill as the archive holds it, read once for every reader: the window's archive views,
the reports and the command line (``Archive.record_of``).

``ArchivedRecord`` carries the drill's row, the scenario exactly as it was played (its archived
text, ``Archive.loaded``) and its stored events, and replays the stored input events through
``Drill.replay`` on demand: the whole drill (``final``) or the drill as it stood at a moment
(``at``). The core decides every state, vital, flag and correction; readers only show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from simtool.core.drill import Drill
from simtool.core.events import INPUT_KINDS, Event
from simtool.core.scenario import LoadedScenario
from simtool.store.records import DrillInfo

_AT_CACHE = 32   # drills kept for ``at`` (a debrief slider moves back and forth)


@dataclass
class ArchivedRecord:
    """One stored drill: its row, the scenario it was played on, its events, and replays."""

    info: DrillInfo
    loaded: LoadedScenario
    events: list[Event]
    _cache: dict[float, Drill] = field(default_factory=dict, repr=False)

    @property
    def inputs(self) -> list[Event]:
        return [e for e in self.events if e.kind in INPUT_KINDS]

    @property
    def end_t(self) -> float:
        return max((e.t for e in self.events), default=0.0)

    @cached_property
    def final(self) -> Drill:
        """The whole drill replayed (ended if its record ends), its corrections applied."""
        return Drill.replay(self.loaded, self.info.patient, self.info.core_participants,
                            self.inputs)

    def at(self, t: float) -> Drill:
        """The drill as it stood at drill time ``t``: the inputs up to ``t``, then the clock."""
        key = round(float(t), 3)
        if key not in self._cache:
            if len(self._cache) > _AT_CACHE:
                self._cache.clear()
            self._cache[key] = Drill.replay(
                self.loaded, self.info.patient, self.info.core_participants,
                [e for e in self.inputs if e.t <= key], until=key)
        return self._cache[key]
