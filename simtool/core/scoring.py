"""Scoring: (rubric, drill record, examiner marks) -> one sheet per trainee and one for the team.

A pure function of its inputs. Auto-scored items read the event log through ``assess`` (the
expected actions and indicators the console and the CLI show) or directly (an action within
a window, a dose for this patient's weight, something not done); examiner items take their
marks; overrides replace an auto result only with a written reason. The record is scored as
it stands, as if the drill had ended: run it on an ended drill.

Who gets credit for an action: on a trainee's sheet, actions logged as that participant's (or,
when the drill could not tell who, logged for that participant's role); on the team sheet,
anyone's, or the item's ``role``'s when it names one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from simtool.core import assess, units
from simtool.core.drill import Participant
from simtool.core.events import Event
from simtool.core.examiner import (
    SheetMarks, apply_override, as_sheet_marks, grade_result, mark_item, rate_block,
)
from simtool.core.rubric import (
    ActionWithin, DoseCorrect, ExpectedItem, Graded, IndicatorItem, LoadedRubric, NotDone, Observed,
)
from simtool.core.scenario import Scenario
from simtool.core.scoresheet import (
    LATE, MET, NOT_APPLICABLE, NOT_MET, TEAM_SHEET, Evidence, ItemResult, ScoreResult, ScoreSheet,
    ScoringError, summarise,
)

__all__ = ["DrillRecord", "SheetMarks", "ScoringError", "TEAM_SHEET", "score"]


class DrillRecord(Protocol):
    """What scoring reads from a drill (``Drill`` provides it; so can a replayed archive record)."""

    scenario: Scenario
    participants: Sequence[Participant]
    marker_times: Mapping[str, float]
    events: Sequence[Event]

    @property
    def patient(self) -> Any: ...          # .weight_kg
    @property
    def t(self) -> float: ...
    @property
    def ended(self) -> bool: ...
    def actions_done(self) -> list[Event]: ...
    def flags(self) -> list[Event]: ...


class _Who:
    """Whose actions count for an item on a given sheet."""

    def __init__(self, participant: Participant | None, role: str | None) -> None:
        self.participant, self.role = participant, role

    def credits(self, e: Event) -> bool:
        p = self.participant
        if p is None:
            return self.role is None or e.role == self.role
        if e.actor is not None:
            return e.actor == p.id
        return e.role is not None and e.role == p.role

    def not_credited(self, e: Event) -> Evidence:
        mine = self.participant.role if self.participant else self.role
        reason = "other_person" if e.role is not None and e.role == mine else "wrong_role"
        return Evidence.of(reason, seq=e.seq, iid=e.iid, t=e.t, by_role=e.role, by=e.actor)


def _done(e: Event) -> Evidence:
    return Evidence.of("done", seq=e.seq, iid=e.iid, t=e.t, by_role=e.role, by=e.actor)


def _action_within(item: ActionWithin, drill: DrillRecord, who: _Who) -> tuple[str, float, Evidence]:
    anchor = drill.marker_times.get(item.after)
    if anchor is None:
        return NOT_APPLICABLE, 0.0, Evidence.of("not_applicable", marker=item.after)
    due = anchor + item.within_s
    candidates = sorted((e for e in drill.actions_done() if e.action in item.actions
                         and (item.early or e.t >= anchor - 1e-9)), key=lambda e: e.t)
    mine = [e for e in candidates if who.credits(e)]
    if mine:
        e = mine[0]
        if e.t <= due + 1e-9:
            return MET, item.points, _done(e)
        late = round(e.t - due, 3)
        return LATE, item.late_points, Evidence.of("late", seq=e.seq, iid=e.iid, t=e.t, late_by_s=late,
                                                   by_role=e.role, by=e.actor)
    if candidates:
        return NOT_MET, 0.0, who.not_credited(candidates[0])
    return NOT_MET, 0.0, Evidence.of("missed", marker=item.after, within_s=item.within_s)


def _dose_correct(item: DoseCorrect, drill: DrillRecord, who: _Who, unit: str) -> tuple[str, float, Evidence]:
    """``unit``: the catalogue's unit for the action, the one the drill records doses in."""
    candidates = [e for e in drill.actions_done() if e.action == item.action]
    mine = [e for e in candidates if who.credits(e)]
    if not mine:
        if candidates:
            return NOT_MET, 0.0, who.not_credited(candidates[0])
        return NOT_MET, 0.0, Evidence.of("missed", action=item.action)
    e = mine[0]
    weight = float(drill.patient.weight_kg)
    expected = round(units.convert(item.expected_dose(weight), item.unit, unit), 6)
    how: dict[str, Any] = {}
    if item.per_kg is not None:
        how = {"per_kg": item.per_kg, "per_kg_unit": item.unit, "weight_kg": weight}
        if item.cap is not None and item.per_kg * weight > item.cap:
            how["cap"] = item.cap
    common = dict(seq=e.seq, iid=e.iid, t=e.t, expected_dose=expected, tolerance_pct=item.tolerance_pct, unit=unit,
                  by_role=e.role, by=e.actor, **how)
    if e.dose is None:
        return NOT_MET, 0.0, Evidence.of("no_dose", **common)
    ok = abs(e.dose - expected) <= expected * item.tolerance_pct / 100.0 + 1e-9
    if ok:
        return MET, item.points, Evidence.of("dose_ok", dose=e.dose, **common)
    return NOT_MET, 0.0, Evidence.of("wrong_dose", dose=e.dose, **common)


def _not_done(item: NotDone, drill: DrillRecord, who: _Who) -> tuple[str, float, Evidence]:
    by_seq = {e.seq: e for e in drill.events}
    by_seq.update((e.seq, e) for e in drill.actions_done())   # as corrected: who is credited now
    hits: list[tuple[float, int, Evidence]] = []
    for e in drill.actions_done():
        if e.action in item.actions and who.credits(e):
            hits.append((e.t, e.seq, Evidence.of("forbidden_action", action=e.action, seq=e.seq, iid=e.iid, t=e.t,
                                                 by_role=e.role, by=e.actor)))
    for f in drill.flags():
        source = by_seq.get(f.ref) if f.ref is not None else None
        if f.rule in item.flags and source is not None and who.credits(source):
            hits.append((f.t, f.seq, Evidence.of("flag", rule=f.rule, action=f.action, seq=f.seq, t=f.t,
                                                 by_role=source.role, by=source.actor,
                                                 flag_values=tuple((k, v) for k, v in (f.values or ())
                                                                   if k != "message") or None)))
    if hits:
        return NOT_MET, 0.0, min(hits, key=lambda h: (h[0], h[1]))[2]
    return MET, item.points, Evidence.of("clean", actions=tuple(item.actions) or None,
                                         flags=tuple(item.flags) or None)


def _expected(item: ExpectedItem, drill: DrillRecord) -> tuple[str, float, Evidence]:
    ex = next(x for x in drill.scenario.expected if x.id == item.expected)
    st = assess.expected_status(drill, ex, final=True)  # type: ignore[arg-type]
    iid = next((e.iid for e in drill.actions_done() if e.seq == st.event), None) \
        if st.event is not None else None
    if st.status == "met" and st.t is not None:
        return MET, item.points, Evidence.of("done", seq=st.event, iid=iid, t=st.t, by_role=st.by)
    if st.status == "late" and st.t is not None and st.due is not None:
        late = round(st.t - st.due, 3)
        return LATE, item.late_points, Evidence.of("late", seq=st.event, iid=iid, t=st.t, late_by_s=late,
                                                   by_role=st.by)
    if st.status == "missed" and st.too_late and st.t is not None:
        return NOT_MET, 0.0, Evidence.of("after_limit", seq=st.event, iid=iid, t=st.t,
                                         limit_t=st.limit, by_role=st.by)
    if st.status == "missed":
        # a window still open when the drill ended is scored missed (the record as it stands);
        # the evidence says so, so nobody reads it as a window the team let pass
        ended = drill.t if st.due is not None and drill.t < st.due - assess.EPS else None
        return NOT_MET, 0.0, Evidence.of("missed", due_t=st.due, ended_t=ended)
    return NOT_APPLICABLE, 0.0, Evidence.of("not_applicable", marker=ex.after)


def _indicator(item: IndicatorItem, drill: DrillRecord) -> tuple[str, float, Evidence]:
    ind = next(x for x in drill.scenario.indicators if x.id == item.indicator)
    r = assess.indicator(drill, ind)  # type: ignore[arg-type]
    if r.met is None:
        return NOT_APPLICABLE, 0.0, Evidence.of("not_applicable", marker=ind.start)
    if r.seconds is None:
        return NOT_MET, 0.0, Evidence.of("indicator", marker=ind.start, target_s=r.target_s)
    t = drill.marker_times[ind.start] + r.seconds
    ev = Evidence.of("indicator", t=t, marker=ind.start, seconds=r.seconds, target_s=r.target_s)
    return (MET, item.points, ev) if r.met else (NOT_MET, 0.0, ev)


def _auto(item: Any, drill: DrillRecord, participant: Participant | None,
          rubric: LoadedRubric) -> tuple[str, float, Evidence]:
    who = _Who(participant, item.role if participant is None else None)
    if isinstance(item, ActionWithin):
        return _action_within(item, drill, who)
    if isinstance(item, DoseCorrect):
        action = rubric.scenario.catalogue.get(item.action)
        assert action is not None and action.dose is not None  # load_rubric checked both
        return _dose_correct(item, drill, who, action.dose.unit)
    if isinstance(item, NotDone):
        return _not_done(item, drill, who)
    if isinstance(item, ExpectedItem):
        return _expected(item, drill)
    return _indicator(item, drill)


def _on_sheet(scope: str, role: str | None, participant: Participant | None) -> bool:
    if participant is None:
        return scope == "team"
    return scope == "trainee" and (role is None or role == participant.role)


def _sheet(rubric: LoadedRubric, drill: DrillRecord, participant: Participant | None,
           marks: SheetMarks, evaluation_type: str) -> ScoreSheet:
    rb, sc = rubric.rubric, drill.scenario
    key = participant.id if participant else TEAM_SHEET
    where = f"marks for {key}"
    items = [it for it in rb.items if _on_sheet(it.scope, it.role, participant)]
    ids = {it.id for it in items}
    for what, keys in (("marked", marks.items), ("overridden", marks.overrides),
                       ("commented", marks.item_comments)):
        stray = sorted(k for k in keys if k not in ids)
        if stray:
            raise ScoringError(f"{where}: {', '.join(stray)} {'is' if len(stray) == 1 else 'are'} not on "
                               f"this sheet, so cannot be {what}")
    results = []
    for it in items:
        if isinstance(it, (Observed, Graded)):
            status, points, evidence = mark_item(it, marks.items.get(it.id), where)
        else:
            if it.id in marks.items:
                raise ScoringError(f"{where}: {it.id} is scored from the record; override it with a reason")
            status, points, evidence = _auto(it, drill, participant, rubric)
        res = ItemResult(id=it.id, kind=it.kind, label=it.label, scope=it.scope, role=it.role,
                         critical=it.critical, status=status, points=float(points),
                         max_points=float(it.max_points), evidence=evidence,
                         comment=marks.item_comments.get(it.id))
        if it.id in marks.overrides:
            res = apply_override(res, it, marks.overrides[it.id], marks.examiner, where)
        results.append(res)
    uses = [(use, lb) for use, lb in rubric.blocks if _on_sheet(use.scope, use.role, participant)]
    stray = sorted(k for k in marks.nts if k not in {lb.block.id for _, lb in uses})
    if stray:
        raise ScoringError(f"{where}: no block {', '.join(stray)} on this sheet")
    nts = tuple(rate_block(lb, marks.nts.get(lb.block.id, {}), where) for _, lb in uses)
    grade = grade_result(rb.global_rating, marks.global_grade, where)
    points, max_points, percentage, verdict = summarise(tuple(results), rb.cut_score.value)
    return ScoreSheet(
        rubric_id=rb.id, rubric_version=rb.version, rubric_sha256=rubric.sha256,
        blocks_sha256=tuple(sorted(rubric.blocks_sha256.items())), evaluation_type=evaluation_type,
        scenario_id=sc.id, scenario_version=sc.version,
        subject="trainee" if participant else "team",
        participant_id=participant.id if participant else None,
        participant_name=participant.name if participant else None,
        role=participant.role if participant else None, examiner=marks.examiner,
        items=tuple(results), points=points, max_points=max_points, percentage=percentage,
        cut_score=rb.cut_score.value, verdict=verdict, global_grade=grade, nts=nts,
        comment=marks.comment)


def score(rubric: LoadedRubric, drill: DrillRecord,
          marks: Mapping[str, SheetMarks | Mapping[str, Any]] | None = None,
          evaluation_type: str | None = None) -> ScoreResult:
    """Score ``drill`` on ``rubric``. ``marks`` maps a participant id (or ``TEAM_SHEET``) to that
    sheet's examiner marks; ``evaluation_type`` defaults to the rubric's first allowed type."""
    rb = rubric.rubric
    if rb.scenario_id != drill.scenario.id:
        raise ScoringError(f"rubric {rb.id} is for scenario {rb.scenario_id}, not {drill.scenario.id}")
    kind = evaluation_type if evaluation_type is not None else rb.evaluation_types[0]
    if kind not in rb.evaluation_types:
        raise ScoringError(f"rubric {rb.id} is not for {kind} evaluation "
                           f"(allowed: {', '.join(rb.evaluation_types)})")
    people = list(drill.participants)
    if any(p.id == TEAM_SHEET for p in people):
        raise ScoringError(f"participant id '{TEAM_SHEET}' is kept for the team sheet")
    given = {k: as_sheet_marks(v) for k, v in (marks or {}).items()}
    known = [p.id for p in people] + [TEAM_SHEET]
    stray = sorted(k for k in given if k not in known)
    if stray:
        raise ScoringError(f"marks for {', '.join(stray)}: no such participant (sheets: {', '.join(known)})")
    sheets = [_sheet(rubric, drill, p, given.get(p.id, SheetMarks()), kind) for p in people]
    sheets.append(_sheet(rubric, drill, None, given.get(TEAM_SHEET, SheetMarks()), kind))
    return ScoreResult(rb.id, rb.version, rubric.sha256, kind, tuple(sheets))
