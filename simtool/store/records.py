"""Plain records the archive hands out (frozen dataclasses; ``to_dict`` for JSON output)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from simtool.core.drill import Participant, PatientParams
from simtool.store.owner import Owner


@dataclass(frozen=True)
class Trainee:
    """A person being trained or examined; ``id`` is given by the archive unless set."""

    name: str
    staff_id: str | None = None
    department: str | None = None    # home department
    id: str | None = None
    profession: str | None = None    # doctor, midwife, nurse, anaesthetist…
    grade: str | None = None         # resident year, attending, charge nurse…
    site: str | None = None          # home hospital: a staff id is unique within a site


@dataclass(frozen=True)
class Examiner:
    name: str
    staff_id: str | None = None
    id: str | None = None
    department: str | None = None
    profession: str | None = None
    grade: str | None = None
    site: str | None = None


PERSON_DETAILS = ("department", "profession", "grade", "site")


def examiner_of_row(row: Any) -> Examiner:
    """An examiner as stored (the registry's fields only from schema 9 on)."""
    return Examiner(row["name"], row["staff_id"], row["id"],
                    **{k: row.get(k) for k in PERSON_DETAILS})


@dataclass(frozen=True, kw_only=True)
class ParticipantInfo:
    id: str
    name: str
    role: str
    trainee_id: str | None = None
    staff_id: str | None = None      # the trainee's, when linked to one

    @property
    def participant(self) -> Participant:
        return Participant(self.id, self.name, self.role)


@dataclass(frozen=True, kw_only=True)
class DrillInfo:
    """One drill as listed: ``status`` is computed (a dead owner's drill is ``interrupted``; a
    discarded one is ``discarded``, with its ``discard_reason``)."""

    id: str
    scenario_id: str
    scenario_version: str
    scenario_sha256: str
    patient: PatientParams
    evaluation_type: str
    status: str
    stored_status: str
    started_at: str
    ended_at: str | None
    updated_at: str
    site: str | None
    owner: Owner | None
    participants: tuple[ParticipantInfo, ...] = ()
    discard_reason: str | None = None
    department: str | None = None

    @property
    def core_participants(self) -> list[Participant]:
        return [p.participant for p in self.participants]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        if self.discard_reason is None:
            out.pop("discard_reason")
        out["patient"] = {"weight_kg": self.patient.weight_kg,
                          "conditions": list(self.patient.conditions),
                          **({"variant": self.patient.variant} if self.patient.variant else {})}
        return out


@dataclass(frozen=True, kw_only=True)
class HistoryEntry:
    """One drill in a trainee's history: the part they played and their score sheets."""

    drill: DrillInfo
    participant_id: str
    role: str
    sheet_ids: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class SheetItem:
    """One rubric item's result; ``evidence`` is any JSON value (e.g. the event seqs used)."""

    item_id: str
    result: str | None = None
    points: float | None = None
    evidence: Any = None


@dataclass(frozen=True, kw_only=True)
class Sheet:
    """One version of a score sheet; a signed one never changes (amendments supersede it)."""

    id: str
    drill_id: str
    trainee_id: str | None        # None: a team sheet
    rubric_id: str
    rubric_version: str
    rubric_sha256: str
    version: int
    supersedes: str | None
    data: Any
    created_at: str
    created_by: str | None
    signed_at: str | None
    signed_by: str | None
    record_sha256: str | None
    items: tuple[SheetItem, ...] = ()
    superseded_by: str | None = None

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    @classmethod
    def from_rows(cls, row: dict[str, Any], items: list[dict[str, Any]],
                  superseded_by: str | None) -> "Sheet":
        return cls(
            id=row["id"], drill_id=row["drill_id"], trainee_id=row["trainee_id"],
            rubric_id=row["rubric_id"], rubric_version=row["rubric_version"],
            rubric_sha256=row["rubric_sha256"], version=row["version"],
            supersedes=row["supersedes"], data=json.loads(row["data"]),
            created_at=row["created_at"], created_by=row["created_by"],
            signed_at=row["signed_at"], signed_by=row["signed_by"],
            record_sha256=row["record_sha256"],
            items=tuple(SheetItem(item_id=i["item_id"], result=i["result"], points=i["points"],
                                  evidence=None if i["evidence"] is None else json.loads(i["evidence"]))
                        for i in items),
            superseded_by=superseded_by)


@dataclass(frozen=True, kw_only=True)
class Amendment:
    sheet_id: str
    new_sheet_id: str
    by: str
    at: str
    why: str


@dataclass
class FlushReport:
    """What ``flush_journal`` did: entries written, already there, and set aside."""

    written: int = 0
    already_present: int = 0
    torn_lines: int = 0
    rejected: list[str] = field(default_factory=list)
    rejected_file: Path | None = None
