"""The drill's record: one immutable Event per thing that happened, in order."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

# Kinds a person enters; replaying these into a fresh drill reproduces everything else.
INPUT_KINDS = ("action", "note", "pause", "resume", "force", "retract", "end")
# Kinds the engine derives from the inputs and the clock.
DERIVED_KINDS = ("start", "state", "marker", "flag")


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

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Event":
        fields = {k: data.get(k) for k in cls.__dataclass_fields__}
        return cls(**fields)
