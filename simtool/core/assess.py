"""What the record says about the team: expected actions, process indicators, outcome.

Pure functions of a drill's event log and marker times, so the console, the CLI, scoring and
reports all read the same answer.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass

from simtool.core.drill import Drill
from simtool.core.scenario import Expected, Indicator

# Status while the drill runs: pending (its marker has not happened), due (window open),
# met, late (done after the window), missed (window closed, not done).
# When the drill has ended, pending becomes "not applicable".
# An action done before its window opened counts as met: calling for help or giving a
# uterotonic before the 500 mL trigger is early recognition, which the drill rewards.


@dataclass(frozen=True)
class ExpectedStatus:
    id: str
    status: str
    t: float | None          # when it was done (met/late), else None
    due: float | None        # when the window closes, once its marker has happened
    by: str | None = None    # role that did it (the last action completing it)
    event: int | None = None  # seq of the completing event

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "status": self.status, "t": self.t, "due": self.due}


@dataclass(frozen=True)
class IndicatorResult:
    id: str
    seconds: float | None
    target_s: float
    met: bool | None         # None: its start marker never happened

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "seconds": self.seconds, "target_s": self.target_s, "met": self.met}


def _first_times(drill: Drill) -> dict[str, tuple[float, int, str | None]]:
    first: dict[str, tuple[float, int, str | None]] = {}
    for e in drill.actions_done():
        if e.action and e.action not in first:
            first[e.action] = (e.t, e.seq, e.role)
    return first


def expected_status(drill: Drill, ex: Expected, final: bool | None = None) -> ExpectedStatus:
    final = drill.ended if final is None else final
    anchor = drill.marker_times.get(ex.after)
    due = None if anchor is None else anchor + ex.within_s
    if ex.deadline is not None:
        limit_start = drill.marker_times.get(ex.deadline.after)
        if limit_start is not None:
            limit = limit_start + ex.deadline.within_s
            due = limit if due is None else min(due, limit)
    done: tuple[float, int, str | None] | None = None
    firsts = _first_times(drill)
    if ex.mode == "any":
        hits = [firsts[a] for a in ex.actions if a in firsts]
        done = min(hits) if hits else None
    else:
        if all(a in firsts for a in ex.actions):
            done = max(firsts[a] for a in ex.actions)
    if anchor is None:
        status = "not applicable" if final else "pending"
        if done is not None and due is not None:
            status = "met" if done[0] <= due else "late"
        return ExpectedStatus(ex.id, status, done[0] if done else None, due,
                              done[2] if done else None, done[1] if done else None)
    if done is not None:
        status = "met" if due is None or done[0] <= due + 1e-9 else "late"
        return ExpectedStatus(ex.id, status, done[0], due, done[2], done[1])
    if due is not None and drill.t > due:
        return ExpectedStatus(ex.id, "missed", None, due)
    return ExpectedStatus(ex.id, "missed" if final else "due", None, due)


def all_expected(drill: Drill, final: bool | None = None) -> list[ExpectedStatus]:
    return [expected_status(drill, ex, final) for ex in drill.scenario.expected]


def indicator_met(seconds: float, target_s: float) -> bool:
    """An indicator's target is met when the time is strictly below it ("warning delay
    < 10 min"): exactly on the target is not met."""
    return seconds < target_s


def judge_indicator(ind: Indicator, markers: Mapping[str, float],
                    actions: Iterable[tuple[int, float, str | None, str | None]],
                    flagged: Container[int] = ()) -> IndicatorResult:
    """THE indicator rule, over the facts of one record; the drill (``indicator``) and the
    department statistics (``simtool.store.analytics``) both call it.

    ``markers``: marker id -> time (the last time it was set, as ``Drill.marker_times``);
    ``actions``: the unretracted actions in log order as (seq, t, action, role);
    ``flagged``: seqs of actions that drew a flag (read only with ``require_no_flags``).

    No start marker: the indicator does not apply (met None). The end is the end marker's
    time, or the first end action (by ``end_role`` if given; with ``require_no_flags`` one
    that drew no flag); seconds = round(max(0, end - start), 3); no end: met False."""
    start = markers.get(ind.start)
    if start is None:
        return IndicatorResult(ind.id, None, ind.target_s, None)
    end: float | None = None
    if ind.end_marker is not None:
        end = markers.get(ind.end_marker)
    else:
        wanted = ind.end_action or ()
        for seq, t, action, role in actions:
            if action in wanted and not (ind.require_no_flags and seq in flagged) \
                    and (ind.end_role is None or role == ind.end_role):
                end = t
                break
    if end is None:
        return IndicatorResult(ind.id, None, ind.target_s, False)
    seconds = round(max(0.0, end - start), 3)
    return IndicatorResult(ind.id, seconds, ind.target_s, indicator_met(seconds, ind.target_s))


def indicator(drill: Drill, ind: Indicator) -> IndicatorResult:
    flagged = {e.ref for e in drill.flags()} if ind.require_no_flags else ()
    return judge_indicator(ind, drill.marker_times,
                           ((e.seq, e.t, e.action, e.role) for e in drill.actions_done()), flagged)


def all_indicators(drill: Drill) -> list[IndicatorResult]:
    return [indicator(drill, ind) for ind in drill.scenario.indicators]


def outcome(drill: Drill) -> dict[str, object]:
    """The state the drill ended in and what it means."""
    st = drill.scenario.state_index[drill.state]
    result = st.outcome if st.final and st.outcome else ("final" if st.final else "incomplete")
    return {"result": result, "state": st.id, "t": drill.t,
            "blood_loss_ml": round(drill.physiology.blood_loss_ml)}
