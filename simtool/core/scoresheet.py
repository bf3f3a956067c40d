"""The records scoring produces: item results with their evidence, sheets, and the verdict.

Every record is a frozen dataclass whose ``to_dict`` gives JSON-ready data in a fixed order,
so the same rubric, record and marks always print the same bytes. ``summarise`` is the one
place totals and pass/fail are decided, used for scored and for reconciled sheets alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simtool.core.errors import SimtoolError
from simtool.core.evidencetext import clock, describe, num  # noqa: F401 - clock, num: used here and re-exported
from simtool.core.timefmt import duration

# Item statuses. "pending-examiner": an examiner item not marked yet.
MET, NOT_MET, LATE = "met", "not met", "late"
NOT_APPLICABLE, NOT_OBSERVED, PENDING = "not applicable", "not observed", "pending-examiner"
STATUSES = (MET, NOT_MET, LATE, NOT_APPLICABLE, NOT_OBSERVED, PENDING)
TEAM_SHEET = "team"  # the key of the team sheet beside the trainees' participant ids


class ScoringError(SimtoolError):
    """Scoring cannot proceed: marks that do not fit the rubric, an override without a reason,
    sheets of different rubrics compared, a rubric for another scenario."""


def _text(label: Any) -> dict[str, str]:
    return {k: v for k, v in (("en", label.en), ("zh_CN", label.zh_CN), ("zh_TW", label.zh_TW)) if v}


_EVIDENCE_FIELDS = ("seq", "iid", "t", "late_by_s", "by_role", "by", "dose", "expected_dose", "tolerance_pct",
                    "unit", "action", "actions", "flags", "rule", "marker", "within_s", "due_t", "seconds",
                    "target_s", "per_kg", "per_kg_unit", "weight_kg", "cap", "mark", "level", "level_label",
                    "flag_values", "note", "note_lang", "limit_t", "ended_t")


@dataclass(frozen=True, kw_only=True)
class Evidence:
    """Why an item has its status: the event that satisfied it, or what was wrong.

    ``reason`` is a stable code (done, late, missed, wrong_role, other_person, dose_ok,
    wrong_dose, no_dose, clean, forbidden_action, flag, indicator, not_applicable, examiner,
    not_observed, pending, after_limit); the other fields carry the ids and numbers, so that
    ``evidencetext.describe`` can say it in any language with the scenario's labels.
    ``text`` is that sentence in English with raw ids, kept for the CLI and old readers.
    Build one with ``Evidence.of``."""

    reason: str
    text: str
    seq: int | None = None
    t: float | None = None
    late_by_s: float | None = None
    by_role: str | None = None
    by: str | None = None
    dose: float | None = None
    expected_dose: float | None = None
    tolerance_pct: float | None = None
    unit: str | None = None
    action: str | None = None              # the action missed, done against the rubric, or flagged
    actions: tuple[str, ...] | None = None  # a not-done item's actions, when none was done
    flags: tuple[str, ...] | None = None    # a not-done item's flag kinds, when none was raised
    rule: str | None = None                # the flag's rule kind
    marker: str | None = None              # the marker a window or indicator counts from
    within_s: float | None = None
    due_t: float | None = None
    seconds: float | None = None           # an indicator's measured interval
    target_s: float | None = None
    per_kg: float | None = None
    per_kg_unit: str | None = None
    weight_kg: float | None = None
    cap: float | None = None
    mark: bool | None = None               # an observed item's done / not done
    level: int | None = None               # a graded item's level ...
    level_label: tuple[tuple[str, str], ...] | None = None  # ... and its label, per language
    flag_values: tuple[tuple[str, Any], ...] | None = None  # a flag's numbers (``Event.values``)
    note: str | None = None                # a flag's message, where an older drill recorded one ...
    note_lang: str | None = None           # ... in this language (shown only to readers of it)
    limit_t: float | None = None           # a hard limit (deadline, "before") an action came after
    ended_t: float | None = None           # the drill ended here, before a missed item was due
    iid: int | None = None                 # the input id of the action cited (stable whatever
                                           # is amended later; ``seq`` is its place in the record)

    @classmethod
    def of(cls, reason: str, **fields: Any) -> "Evidence":
        probe = {"reason": reason, **{k: v for k, v in fields.items() if v is not None}}
        if isinstance(probe.get("level_label"), tuple):
            probe["level_label"] = dict(probe["level_label"])
        if isinstance(probe.get("flag_values"), tuple):
            probe["flag_values"] = dict(probe["flag_values"])
        return cls(reason=reason, text=describe(probe), **fields)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"reason": self.reason, "text": self.text}
        for key in _EVIDENCE_FIELDS:
            value = getattr(self, key)
            if value is not None:
                out[key] = dict(value) if key == "level_label" else \
                    {k: list(v) if isinstance(v, tuple) else v for k, v in value} if key == "flag_values" else \
                    list(value) if isinstance(value, tuple) else value
        return out


@dataclass(frozen=True, kw_only=True)
class OverrideRecord:
    """An examiner's change to an auto-scored result, and the reason written for it."""

    from_status: str
    from_points: float
    reason: str
    by: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"from_status": self.from_status, "from_points": self.from_points,
                "reason": self.reason, "by": self.by}


@dataclass(frozen=True, kw_only=True)
class ItemResult:
    id: str
    kind: str
    label: Any              # Text
    scope: str
    role: str | None
    critical: bool
    status: str
    points: float
    max_points: float
    evidence: Evidence
    override: OverrideRecord | None = None
    comment: str | None = None

    @property
    def counts(self) -> bool:
        """Whether the item is part of the sheet's total (not applicable items are not)."""
        return self.status != NOT_APPLICABLE

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "label": _text(self.label), "scope": self.scope,
            "role": self.role, "critical": self.critical, "status": self.status,
            "points": self.points, "max_points": self.max_points,
            "evidence": self.evidence.to_dict(),
            "override": self.override.to_dict() if self.override else None,
            "comment": self.comment,
        }


@dataclass(frozen=True, kw_only=True)
class Verdict:
    result: str                      # pass, fail, pending, not applicable
    reason: str
    critical_missed: tuple[str, ...] = ()
    pending: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"result": self.result, "reason": self.reason,
                "critical_missed": list(self.critical_missed), "pending": list(self.pending)}


@dataclass(frozen=True)
class GradeResult:
    id: str
    value: int
    label: Any
    borderline: bool

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "value": self.value, "label": _text(self.label),
                "borderline": self.borderline}


@dataclass(frozen=True)
class ElementRating:
    id: str
    category: str
    rating: int | None        # None: not observed or not rated yet
    status: str               # rated, not observed, pending-examiner

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "category": self.category, "rating": self.rating, "status": self.status}


@dataclass(frozen=True)
class CategoryScore:
    id: str
    mean: float | None        # mean of the rated elements, 2 decimals
    rated: int
    elements: int

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "mean": self.mean, "rated": self.rated, "elements": self.elements}


@dataclass(frozen=True)
class BlockResult:
    """One non-technical-skills block as rated; reported beside the checklist, not added to it."""

    id: str
    sha256: str
    ratings: tuple[ElementRating, ...]
    categories: tuple[CategoryScore, ...]
    total: int | None          # sum of the element ratings, once all are rated ("sum" blocks)
    max_total: int | None
    overall: int | None        # e.g. TEAM's global 1–10
    overall_range: tuple[int, int] | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "sha256": self.sha256, "ratings": [r.to_dict() for r in self.ratings],
                "categories": [c.to_dict() for c in self.categories], "total": self.total,
                "max_total": self.max_total, "overall": self.overall,
                "overall_range": list(self.overall_range) if self.overall_range else None}


@dataclass(frozen=True)
class Reconciliation:
    """How a reconciled sheet came about; both examiners' sheets are kept whole inside it."""

    by: str
    reason: str
    choices: tuple[tuple[str, str], ...]   # (item or rating key, "a" or "b"), sorted
    a: "ScoreSheet"
    b: "ScoreSheet"

    def to_dict(self) -> dict[str, Any]:
        return {"by": self.by, "reason": self.reason,
                "choices": [{"id": k, "chose": v} for k, v in self.choices],
                "originals": [self.a.to_dict(), self.b.to_dict()]}


@dataclass(frozen=True, kw_only=True)
class ScoreSheet:
    """One sheet: a trainee's or the team's, on one rubric (fields by name: there are many)."""

    rubric_id: str
    rubric_version: str
    rubric_sha256: str
    blocks_sha256: tuple[tuple[str, str], ...]
    evaluation_type: str
    scenario_id: str
    scenario_version: str
    subject: str                      # trainee or team
    participant_id: str | None
    participant_name: str | None
    role: str | None
    examiner: str | None
    items: tuple[ItemResult, ...]
    points: float
    max_points: float
    percentage: float | None
    cut_score: float
    verdict: Verdict
    global_grade: GradeResult | None = None
    nts: tuple[BlockResult, ...] = ()
    comment: str | None = None
    reconciliation: Reconciliation | None = None

    @property
    def key(self) -> str:
        return self.participant_id if self.participant_id is not None else TEAM_SHEET

    def item(self, item_id: str) -> ItemResult:
        for i in self.items:
            if i.id == item_id:
                return i
        raise KeyError(item_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rubric": {"id": self.rubric_id, "version": self.rubric_version, "sha256": self.rubric_sha256,
                       "blocks": {k: v for k, v in self.blocks_sha256}},
            "evaluation_type": self.evaluation_type,
            "scenario": {"id": self.scenario_id, "version": self.scenario_version},
            "subject": self.subject, "participant": self.participant_id, "name": self.participant_name,
            "role": self.role, "examiner": self.examiner,
            "items": [i.to_dict() for i in self.items],
            "points": self.points, "max_points": self.max_points, "percentage": self.percentage,
            "cut_score": self.cut_score, "verdict": self.verdict.to_dict(),
            "global_grade": self.global_grade.to_dict() if self.global_grade else None,
            "nts": [b.to_dict() for b in self.nts],
            "comment": self.comment,
            "reconciliation": self.reconciliation.to_dict() if self.reconciliation else None,
        }


@dataclass(frozen=True)
class ScoreResult:
    """Every sheet of one drill on one rubric: the trainees' in participant order, then the team's."""

    rubric_id: str
    rubric_version: str
    rubric_sha256: str
    evaluation_type: str
    sheets: tuple[ScoreSheet, ...]

    def sheet(self, key: str) -> ScoreSheet:
        """The sheet of participant ``key``, or the team sheet for ``TEAM_SHEET``."""
        for s in self.sheets:
            if s.key == key:
                return s
        raise KeyError(key)

    @property
    def team(self) -> ScoreSheet:
        return self.sheet(TEAM_SHEET)

    def to_dict(self) -> dict[str, Any]:
        """The ``score`` object of ``simtool run --rubric R --json``."""
        return {
            "rubric": {"id": self.rubric_id, "version": self.rubric_version, "sha256": self.rubric_sha256},
            "evaluation_type": self.evaluation_type,
            "trainees": [s.to_dict() for s in self.sheets if s.subject == "trainee"],
            "team": self.team.to_dict(),
        }


# --- totals and verdict ---------------------------------------------------------------------

def _why(item: ItemResult) -> str:
    if item.override is not None:
        return f"overridden by the examiner: {item.override.reason}"
    if item.status == NOT_OBSERVED:
        return "not observed"
    if item.status == LATE and item.evidence.late_by_s is not None:
        return f"late by {duration(item.evidence.late_by_s)}"
    return item.evidence.text.removeprefix("missed: ")


def summarise(items: tuple[ItemResult, ...], cut_score: float) -> tuple[float, float, float | None, Verdict]:
    """(points, max points, percentage, verdict) of a sheet's items.

    A critical item that is not met (late, missed, not observed) fails the sheet whatever the
    total; otherwise items still awaiting the examiner leave it pending; otherwise the
    percentage of the applicable points is compared with the cut score."""
    counted = [i for i in items if i.counts]
    points = round(sum(i.points for i in counted), 6)
    max_points = round(sum(i.max_points for i in counted), 6)
    percentage = round(100.0 * points / max_points, 2) if max_points > 0 else None
    missed = tuple(i.id for i in items if i.critical and i.status in (NOT_MET, LATE, NOT_OBSERVED))
    pending = tuple(i.id for i in items if i.status == PENDING)
    if missed:
        why = [f"{i.id} ({_why(i)})" for i in items if i.id in missed]
        reason = (f"critical item missed: {why[0]}" if len(why) == 1
                  else f"critical items missed: {'; '.join(why)}")
        return points, max_points, percentage, Verdict(result="fail", reason=reason,
                                                       critical_missed=missed, pending=pending)
    if pending:
        return points, max_points, percentage, Verdict(
            result="pending", reason=f"{len(pending)} {'items await' if len(pending) > 1 else 'item awaits'} the "
                       f"examiner: {', '.join(pending)}", critical_missed=(), pending=pending)
    if percentage is None:
        return points, max_points, percentage, Verdict(result="not applicable",
                                                       reason="no item applies to this sheet")
    if 100.0 * points / max_points >= cut_score - 1e-9:  # the exact ratio, not the rounded one
        return points, max_points, percentage, Verdict(
            result="pass", reason=f"{num(percentage)} % reaches the cut score {num(cut_score)} %")
    return points, max_points, percentage, Verdict(
        result="fail", reason=f"below the cut score {num(cut_score)} % ({num(percentage)} %)")
