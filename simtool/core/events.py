"""The drill's record: one immutable Event per thing that happened, in order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Kinds a person enters; replaying these into a fresh drill reproduces everything else. Each
# input event has a stable id (``iid``: 1, 2, 3, ... in the order they were entered) that never
# changes, whatever is amended later: a retraction or an amendment targets an input id.
INPUT_KINDS = ("action", "note", "pause", "resume", "force", "retract", "amend", "display", "end")
# Kinds the engine derives from the inputs and the clock. An amendment corrects what the team
# did, not the course the patient took: the rules are checked again on the corrected actions
# and what that changes is appended — a flag withdrawn ("unflag", ``ref`` = the flag's seq) or
# a flag raised; nothing is renumbered.
# "labs": a sample's results, reported once the scenario's turnaround time is over (``ref`` =
# the action that sent it; ``values``: each test's result and ``drawn``, when it was taken).
DERIVED_KINDS = ("start", "state", "marker", "flag", "unflag", "labs")
# What an amendment may correct on a logged action: who did it (a participant id or a role),
# the dose (with its unit), the route and the drill time it happened at.
AMENDABLE = ("who", "dose", "unit", "route", "t")
# What the instructor can show the trainees or hide from them, each logged as a "display"
# input (``values``: ``show`` = one of these, ``on`` = 1 or 0): the calibrated blood-loss
# drape on the monitor, and a blank (black) monitor for a pause or a prebrief.
DISPLAYS = ("drape", "blank")


@dataclass(frozen=True)
class Event:
    seq: int
    t: float
    kind: str
    action: str | None = None
    actor: str | None = None    # participant id, or "instructor"
    role: str | None = None
    dose: float | None = None   # in the catalogue's unit for the action
    unit: str | None = None
    route: str | None = None
    text: str | None = None
    state: str | None = None
    ref: int | None = None      # the event a flag or a retraction refers to
    rule: str | None = None     # the rule kind a flag reports
    # a flag's numbers and ids (dose, limit, unit, ...), as sorted (name, value) pairs: the
    # record holds codes and numbers, never prose; ``flagtext`` words them in the reader's
    # language. (Flags recorded before this have their English or Chinese words in ``text``.)
    values: tuple[tuple[str, Any], ...] | None = None
    iid: int | None = None      # an input event's stable id (None on derived events, and on
                                # inputs recorded before ids; a replay numbers those in order)
    wall: str | None = None     # when an input was entered, on the wall clock (ISO 8601, UTC)
    target: int | None = None   # the input id a retraction or an amendment refers to

    def to_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__
               if k != "values" and getattr(self, k) is not None}
        if self.values is not None:
            out["values"] = {k: list(v) if isinstance(v, tuple) else v for k, v in self.values}
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Event":
        fields = {k: data.get(k) for k in cls.__dataclass_fields__}
        if fields["values"] is not None:
            fields["values"] = freeze_values(fields["values"])
        return cls(**fields)

    def value(self, name: str, default: Any = None) -> Any:
        """One of a flag's numbers or ids (or an amendment's corrected fields)."""
        return dict(self.values or ()).get(name, default)


def freeze_values(values: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """A flag's values as an Event holds them: sorted pairs, lists made tuples."""
    return tuple(sorted((str(k), tuple(v) if isinstance(v, list) else v) for k, v in values.items()))
