"""The examiner's part of a sheet, as pure functions over plain data.

Marks (observed and graded items, the global grade, ANTS/TEAM ratings, comments), overrides
of auto-scored items (refused without a written reason), and the two-examiner workflow: the
list of disagreements item by item, and a reconciled sheet that keeps both originals. Signing
and storing sheets belong to the archive.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from simtool.core.languages import LANGS
from simtool.core.ntsblock import NOT_OBSERVED as NOT_OBSERVED_MARK
from simtool.core.ntsblock import LoadedBlock
from simtool.core.rubric import Graded, GlobalRating, Observed
from simtool.core.scoresheet import (
    LATE, MET, NOT_APPLICABLE, NOT_MET, NOT_OBSERVED, PENDING, BlockResult, CategoryScore,
    ElementRating, Evidence, GradeResult, ItemResult, OverrideRecord, Reconciliation, ScoreSheet,
    ScoringError, summarise,
)

OVERRIDE_RESULTS = (MET, NOT_MET, LATE, NOT_APPLICABLE)
Mark = bool | int | str


@dataclass(frozen=True)
class Override:
    """Replace an auto-scored result (met, not met, late, not applicable); ``reason`` is required."""

    result: str
    reason: str


@dataclass(frozen=True)
class SheetMarks:
    """What one examiner entered for one sheet (a trainee's, or the team's)."""

    examiner: str | None = None
    items: Mapping[str, Mark] = field(default_factory=dict)   # observed: bool; graded: level
    global_grade: str | None = None
    nts: Mapping[str, Mapping[str, int | str]] = field(default_factory=dict)
    overrides: Mapping[str, Override | tuple[str, str]] = field(default_factory=dict)
    comment: str | None = None
    item_comments: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "SheetMarks":
        """Marks from JSON-like data; overrides as {item: {result, reason}} or [result, reason]."""
        known = {"examiner", "items", "global_grade", "nts", "overrides", "comment", "item_comments"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ScoringError(f"unknown key in marks: {', '.join(unknown)}")
        overrides = {k: as_override(k, v) for k, v in (data.get("overrides") or {}).items()}
        return cls(data.get("examiner"), dict(data.get("items") or {}), data.get("global_grade"),
                   {k: dict(v) for k, v in (data.get("nts") or {}).items()}, overrides,
                   data.get("comment"), dict(data.get("item_comments") or {}))


def as_override(item_id: str, value: Any) -> Override:
    """An Override from an Override, a {result, reason} mapping or a (result, reason) pair."""
    if isinstance(value, Override):
        return value
    if isinstance(value, Mapping) and set(value) <= {"result", "reason"}:
        return Override(value.get("result"), value.get("reason"))  # type: ignore[arg-type]
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return Override(value[0], value[1])
    raise ScoringError(f"the override of '{item_id}' is a result and a reason, not {value!r}")


def as_sheet_marks(value: SheetMarks | Mapping[str, Any]) -> SheetMarks:
    return value if isinstance(value, SheetMarks) else SheetMarks.from_dict(value)


# --- examiner items --------------------------------------------------------------------------

def mark_item(item: Observed | Graded, mark: Mark | None, where: str) -> tuple[str, float, Evidence]:
    """(status, points, evidence) of an examiner item from its mark (None: not marked yet)."""
    if mark is None:
        return PENDING, 0.0, Evidence.of("pending")
    if mark == NOT_OBSERVED_MARK:
        return NOT_OBSERVED, 0.0, Evidence.of("not_observed")
    if isinstance(item, Observed):
        if mark in (True, "done"):
            return MET, item.points, Evidence.of("examiner", mark=True)
        if mark in (False, "not done"):
            return NOT_MET, 0.0, Evidence.of("examiner", mark=False)
        raise ScoringError(f"{where}: mark '{item.id}' done (true), not done (false) or "
                           f"'{NOT_OBSERVED_MARK}', not {mark!r}")
    level = item.level(mark) if isinstance(mark, int) and not isinstance(mark, bool) else None
    if level is None:
        values = ", ".join(str(lv.value) for lv in item.levels)
        raise ScoringError(f"{where}: grade '{item.id}' with one of its levels ({values}) or "
                           f"'{NOT_OBSERVED_MARK}', not {mark!r}")
    status = MET if level.value >= item.met_from else NOT_MET
    return status, float(level.value), Evidence.of(
        "examiner", level=level.value,
        level_label=tuple((k, v) for k in LANGS if (v := getattr(level.label, k, None))))


def apply_override(result: ItemResult, item: Any, ov: Override | tuple[str, str], examiner: str | None,
                   where: str) -> ItemResult:
    """The item's result replaced by the examiner's, with the original and the reason kept."""
    ov = as_override(item.id, ov)
    new, reason = ov.result, ov.reason
    if not getattr(item, "auto", False):
        raise ScoringError(f"{where}: item '{item.id}' is marked by the examiner, not scored from "
                           "the record; change its mark instead of overriding it")
    if not isinstance(reason, str) or not reason.strip():
        raise ScoringError(f"{where}: the override of '{item.id}' needs a written reason")
    if new not in OVERRIDE_RESULTS:
        raise ScoringError(f"{where}: override '{item.id}' with one of {', '.join(OVERRIDE_RESULTS)}, "
                           f"not {new!r}")
    if new == LATE and not hasattr(item, "late_points"):
        raise ScoringError(f"{where}: a {item.kind} item cannot be late")
    points = {MET: item.max_points, LATE: getattr(item, "late_points", 0.0)}.get(new, 0.0)
    record = OverrideRecord(from_status=result.status, from_points=result.points, reason=reason.strip(), by=examiner)
    return replace(result, status=new, points=float(points), override=record)


def grade_result(gr: GlobalRating | None, grade_id: str | None, where: str) -> GradeResult | None:
    if grade_id is None:
        return None
    if gr is None:
        raise ScoringError(f"{where}: this rubric has no global rating")
    g = gr.grade(grade_id)
    if g is None:
        raise ScoringError(f"{where}: unknown grade {grade_id!r} (grades: {', '.join(x.id for x in gr.grades)})")
    return GradeResult(g.id, g.value, g.label, g.id == gr.borderline)


# --- non-technical-skills blocks ------------------------------------------------------------

def block_result(block_id: str, sha256: str, ratings: tuple[ElementRating, ...], category_ids: tuple[str, ...],
                 summed: bool, max_total: int | None, overall: int | None,
                 overall_range: tuple[int, int] | None) -> BlockResult:
    categories = []
    for cid in category_ids:
        mine = [r for r in ratings if r.category == cid]
        rated = [r.rating for r in mine if r.rating is not None]
        mean = round(sum(rated) / len(rated), 2) if rated else None
        categories.append(CategoryScore(cid, mean, len(rated), len(mine)))
    complete = all(r.rating is not None for r in ratings)
    total = sum(r.rating or 0 for r in ratings) if summed and complete else None
    return BlockResult(block_id, sha256, ratings, tuple(categories), total, max_total, overall, overall_range)


def rate_block(lb: LoadedBlock, marks: Mapping[str, int | str], where: str) -> BlockResult:
    b = lb.block
    overall_id = b.overall.id if b.overall else None
    unknown = sorted(k for k in marks if k not in b.element_ids and k != overall_id)
    if unknown:
        raise ScoringError(f"{where}: {b.id} has no element {', '.join(unknown)}")
    ratings = []
    for category, el in b.elements:
        value = marks.get(el.id)
        if value is None:
            ratings.append(ElementRating(el.id, category, None, PENDING))
        elif value == NOT_OBSERVED_MARK and b.scale.not_observed:
            ratings.append(ElementRating(el.id, category, None, NOT_OBSERVED))
        elif isinstance(value, int) and not isinstance(value, bool) and value in b.scale.values:
            ratings.append(ElementRating(el.id, category, value, "rated"))
        else:
            allowed = ", ".join(str(v) for v in b.scale.values)
            if b.scale.not_observed:
                allowed += f" or '{NOT_OBSERVED_MARK}'"
            raise ScoringError(f"{where}: {b.id}.{el.id} is rated {allowed}, not {value!r}")
    overall = None
    if b.overall is not None and marks.get(b.overall.id) is not None:
        overall = marks[b.overall.id]
        if isinstance(overall, bool) or not isinstance(overall, int) or not b.overall.min <= overall <= b.overall.max:
            raise ScoringError(f"{where}: {b.id}.{b.overall.id} is a whole number from "
                               f"{b.overall.min} to {b.overall.max}, not {overall!r}")
    summed = b.total == "sum"
    return block_result(b.id, lb.sha256, tuple(ratings), tuple(c.id for c in b.categories), summed,
                        max(b.scale.values) * len(ratings) if summed else None, overall,
                        (b.overall.min, b.overall.max) if b.overall else None)


# --- two examiners ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Disagreement:
    """One place two examiners' sheets differ: an item (result and points), the global grade
    (``global_grade``), or a block rating (``nts.<block>.<element>``, ``nts.<block>.overall``)."""

    id: str
    a_result: Any
    a_points: float | None
    b_result: Any
    b_points: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "a": {"result": self.a_result, "points": self.a_points},
                "b": {"result": self.b_result, "points": self.b_points}}


def _comparable(a: ScoreSheet, b: ScoreSheet) -> None:
    for what in ("rubric_id", "rubric_version", "rubric_sha256", "key", "evaluation_type"):
        if getattr(a, what) != getattr(b, what):
            raise ScoringError(f"the two sheets differ in {what.replace('_', ' ')} "
                               f"({getattr(a, what)} / {getattr(b, what)}): they do not score the same thing")


def _rating_values(sheet: ScoreSheet) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for blk in sheet.nts:
        for r in blk.ratings:
            values[f"nts.{blk.id}.{r.id}"] = r.rating if r.status == "rated" else r.status
        values[f"nts.{blk.id}.overall"] = blk.overall
    return values


def disagreements(a: ScoreSheet, b: ScoreSheet) -> list[Disagreement]:
    """Where examiners a and b differ, in rubric order: items, then the global grade, then blocks."""
    _comparable(a, b)
    out = []
    for ia in a.items:
        ib = b.item(ia.id)
        if (ia.status, ia.points) != (ib.status, ib.points):
            out.append(Disagreement(ia.id, ia.status, ia.points, ib.status, ib.points))
    ga = a.global_grade.id if a.global_grade else None
    gb = b.global_grade.id if b.global_grade else None
    if ga != gb:
        out.append(Disagreement("global_grade", ga, None, gb, None))
    ra, rb = _rating_values(a), _rating_values(b)
    for key, value in ra.items():
        if value != rb.get(key):
            out.append(Disagreement(key, value, None, rb.get(key), None))
    return out


def _pick_block(a: BlockResult, b: BlockResult, choices: Mapping[str, str]) -> BlockResult:
    ratings = tuple(b.ratings[i] if choices.get(f"nts.{a.id}.{r.id}") == "b" else r
                    for i, r in enumerate(a.ratings))
    overall = b.overall if choices.get(f"nts.{a.id}.overall") == "b" else a.overall
    return block_result(a.id, a.sha256, ratings, tuple(c.id for c in a.categories),
                        a.max_total is not None, a.max_total, overall, a.overall_range)


def reconcile(a: ScoreSheet, b: ScoreSheet, choices: Mapping[str, str], by: str, reason: str) -> ScoreSheet:
    """A reconciled sheet by ``by``: for each disagreement, examiner "a"'s or "b"'s result.

    Every disagreement needs a choice; both original sheets are kept inside the result."""
    _comparable(a, b)
    if not isinstance(by, str) or not by.strip():
        raise ScoringError("a reconciled sheet needs the name of who reconciled it")
    if not isinstance(reason, str) or not reason.strip():
        raise ScoringError("a reconciled sheet needs a written reason")
    keys = {i.id for i in a.items} | {"global_grade"} | set(_rating_values(a))
    for key, side in sorted(choices.items()):
        if key not in keys:
            raise ScoringError(f"nothing called '{key}' on this sheet to choose")
        if side not in ("a", "b"):
            raise ScoringError(f"choose 'a' or 'b' for '{key}', not {side!r}")
    open_ = [d.id for d in disagreements(a, b) if d.id not in choices]
    if open_:
        raise ScoringError(f"choose examiner a or b for: {', '.join(open_)}")
    items = tuple(b.item(i.id) if choices.get(i.id) == "b" else i for i in a.items)
    grade = b.global_grade if choices.get("global_grade") == "b" else a.global_grade
    nts = tuple(_pick_block(x, y, choices) for x, y in zip(a.nts, b.nts))
    points, max_points, percentage, verdict = summarise(items, a.cut_score)
    record = Reconciliation(by.strip(), reason.strip(), tuple(sorted(choices.items())), a, b)
    return replace(a, examiner=by.strip(), items=items, points=points, max_points=max_points,
                   percentage=percentage, verdict=verdict, global_grade=grade, nts=nts, comment=None,
                   reconciliation=record)


# --- what a sheet still needs before it can be signed ------------------------------------------

@dataclass(frozen=True)
class Missing:
    """One rating a sheet needs before it is signed: an examiner item not marked
    (``kind="item"``, ``id`` the item), a block element or overall rating not given
    (``"element"`` / ``"overall"``, with ``block`` and, for an element, its ``category``), or
    the rubric's global rating (``"global"``)."""

    kind: str
    id: str
    block: str | None = None
    category: str | None = None

    @property
    def code(self) -> str:
        """``item_id``, ``block.element``, ``block.overall_id`` or ``global_rating``."""
        return f"{self.block}.{self.id}" if self.block else self.id


def missing_ratings(sheet: ScoreSheet, has_global_rating: bool,
                    overall_ids: Mapping[str, str] | None = None) -> tuple[Missing, ...]:
    """Every rating ``sheet`` still lacks, in the order the sheet shows them: its examiner
    items, then each block's elements (an element "not observed" counts as rated) and overall
    rating, then the global rating when the rubric has one. ``overall_ids`` maps a block id to
    its overall rating's id (TEAM: ``global``)."""
    out: list[Missing] = [Missing("item", i.id) for i in sheet.items if i.status == PENDING]
    for b in sheet.nts:
        out += [Missing("element", r.id, b.id, r.category) for r in b.ratings if r.status == PENDING]
        if b.overall_range is not None and b.overall is None:
            out.append(Missing("overall", (overall_ids or {}).get(b.id, "overall"), b.id))
    if has_global_rating and sheet.global_grade is None:
        out.append(Missing("global", "global_rating"))
    return tuple(out)
