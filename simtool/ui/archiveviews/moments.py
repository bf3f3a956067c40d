"""What the debrief shows at each second of an archived drill, kept so that moving the slider,
playing at 4× or jumping to a flag shows any moment of a one-hour drill within a frame.

Replaying the drill up to a moment (``ArchivedRecord.at``) costs tens to hundreds of
milliseconds, more the later the moment. ``Moments`` instead plays the stored inputs forward
once, in slices (``build_some``, run from a timer so the window stays responsive), and keeps
for every whole second the few things the debrief shows: the vitals, the blood loss, the state
and each expected action's status at that moment. These are the core's own answers
(``Drill.vitals``, ``assess.all_expected``), so a kept moment is the same as a replay to it
(tests/ui/test_debrief_player.py compares them). A moment not kept yet is replayed. Pure
Python: no Qt."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from simtool.core import assess
from simtool.core.drill import Drill
from simtool.core.physiology import Vitals
from simtool.store.record import ArchivedRecord


@dataclass(frozen=True)
class Moment:
    t: float
    vitals: Vitals
    blood_loss_ml: float
    state: str
    expected: tuple[tuple[str, str], ...]     # (expected action id, status now)


def moment_of(drill: Drill) -> Moment:
    return Moment(drill.t, drill.vitals(), drill.physiology.blood_loss_ml, drill.state,
                  tuple((s.id, s.status) for s in assess.all_expected(drill, final=False)))


class Moments:
    def __init__(self, record: ArchivedRecord) -> None:
        self.record = record
        self.end = int(record.end_t)
        self.kept: list[Moment] = []
        self._steps = self._forward()

    def _forward(self) -> Iterator[Moment]:
        r = self.record
        drill = Drill(r.loaded, r.info.patient, r.info.core_participants)
        inputs = r.inputs
        i = 0
        for s in range(0, self.end + 1):
            while i < len(inputs) and inputs[i].t <= s:
                drill.apply(inputs[i])
                i += 1
            if drill.t < s:
                drill.advance_to(float(s))
            yield moment_of(drill)

    @property
    def complete(self) -> bool:
        return len(self.kept) > self.end

    def build_some(self, seconds: int = 60) -> bool:
        """Keep up to ``seconds`` more moments; True once every second of the drill is kept."""
        for _ in range(seconds):
            step = next(self._steps, None)
            if step is None:
                break
            self.kept.append(step)
        return self.complete

    def build_all(self) -> None:
        while not self.build_some(600):
            pass

    def at(self, t: float) -> Moment:
        """The drill as the debrief shows it at drill time ``t`` (to the second when kept)."""
        t = max(0.0, min(float(t), self.record.end_t))
        s = int(t)
        if s == t and s < len(self.kept):
            return self.kept[s]
        return moment_of(self.record.at(t))
