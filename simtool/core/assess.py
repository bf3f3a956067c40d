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
# met, late (done after the window), missed (window closed, not done, or done only after a
# hard limit). When the drill has ended, pending becomes "not applicable".
# Only an action at or after the marker counts, unless the expectation says an earlier one is
# early recognition (``early``: calling for help before the 500 mL trigger). A prophylactic
# uterotonic in the third stage is not the treatment of a haemorrhage recognised later.
# Times are compared inclusively everywhere: done at exactly the due time is met, and an
# indicator exactly on its target is met (``indicator_met``). The one exception is ``before``
# (a briefing before the incision): at the incision is no longer before it.
EPS = 1e-9


@dataclass(frozen=True)
class ExpectedStatus:
    id: str
    status: str
    t: float | None          # when it was done (met/late), else None
    due: float | None        # when the window closes, once its marker has happened
    by: str | None = None    # role that did it (the last action completing it)
    event: int | None = None  # seq of the completing event
    limit: float | None = None  # the hard limit (deadline or ``before``) once it is known
    too_late: bool = False     # done, but only after the hard limit: earns nothing

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


def _first_times(drill: Drill, since: float | None = None) -> dict[str, tuple[float, int, str | None]]:
    """Each action's first time (with its seq and role), counting only actions at or after
    ``since`` when it is given."""
    first: dict[str, tuple[float, int, str | None]] = {}
    for e in drill.actions_done():
        if not e.action or since is not None and e.t < since - EPS:
            continue
        if e.action not in first or e.t < first[e.action][0]:
            first[e.action] = (e.t, e.seq, e.role)
    return first


def _hard_limit(drill: Drill, ex: Expected) -> tuple[float | None, bool]:
    """The moment after which an action earns nothing (None: not known yet, or none), and
    whether it is strict (``before`` X: at X is too late)."""
    limit, strict = None, False
    if ex.deadline is not None:
        start = drill.marker_times.get(ex.deadline.after)
        if start is not None:
            limit = start + ex.deadline.within_s
    if ex.before is not None:
        cut = drill.marker_times.get(ex.before)
        if cut is not None and (limit is None or cut <= limit):
            limit, strict = cut, True
    return limit, strict


def expected_status(drill: Drill, ex: Expected, final: bool | None = None) -> ExpectedStatus:
    final = drill.ended if final is None else final
    anchor = drill.marker_times.get(ex.after)
    if anchor is None:   # its marker has not happened: the expectation has not started
        return ExpectedStatus(ex.id, "not applicable" if final else "pending", None, None)
    limit, strict = _hard_limit(drill, ex)
    due = anchor + ex.within_s
    if limit is not None:
        due = min(due, limit)
    firsts = _first_times(drill, None if ex.early else anchor)
    done: tuple[float, int, str | None] | None = None
    if ex.mode == "any":
        hits = [firsts[a] for a in ex.actions if a in firsts]
        done = min(hits) if hits else None
    elif all(a in firsts for a in ex.actions):
        done = max(firsts[a] for a in ex.actions)
    if done is not None:
        t, seq, role = done
        if limit is not None and (t >= limit if strict else t > limit + EPS):
            return ExpectedStatus(ex.id, "missed", t, due, role, seq, limit, too_late=True)
        status = "met" if t <= due + EPS else "late"
        return ExpectedStatus(ex.id, status, t, due, role, seq, limit)
    if limit is not None and drill.t > limit:
        return ExpectedStatus(ex.id, "missed", None, due, limit=limit)
    if drill.t > due:
        return ExpectedStatus(ex.id, "missed", None, due, limit=limit)
    return ExpectedStatus(ex.id, "missed" if final else "due", None, due, limit=limit)


def all_expected(drill: Drill, final: bool | None = None) -> list[ExpectedStatus]:
    return [expected_status(drill, ex, final) for ex in drill.scenario.expected]


def indicator_met(seconds: float, target_s: float) -> bool:
    """An indicator's target is met when the time is at most the target: one rule for every
    target in simtool (expected actions are met at exactly their due time too). The source
    documents write "< 10 min"; a drill timed to the second cannot tell 10:00 from 9:59.9."""
    return seconds <= target_s + EPS


def judge_indicator(ind: Indicator, markers: Mapping[str, float],
                    actions: Iterable[tuple[int, float, str | None, str | None]],
                    flagged: Container[int] = ()) -> IndicatorResult:
    """THE indicator rule, over the facts of one record; the drill (``indicator``) and the
    department statistics (``simtool.store.analytics``) both call it.

    ``markers``: marker id -> time (the last time it was set, as ``Drill.marker_times``);
    ``actions``: the unretracted actions in log order as (seq, t, action, role);
    ``flagged``: seqs of actions that drew a flag (read only with ``require_no_flags``).

    No start marker: the indicator does not apply (met None), unless the start was the
    team's to make (``start_required``, or ``required_after`` a marker that happened: then it
    is not met). The end is the end marker's
    time, or the first end action at or after the start (any time with ``early``; by
    ``end_role`` if given; with ``require_no_flags`` one that drew no flag); seconds =
    round(max(0, end - start), 3); no end: met False. With ``require_no_flags_until_target``
    an end action that drew a flag up to the target time makes it not met, whatever else was
    done (oxytocin per protocol: not three 40 IU doses in a minute)."""
    start = markers.get(ind.start)
    if start is None:
        required = ind.start_required or (ind.required_after is not None and ind.required_after in markers)
        return IndicatorResult(ind.id, None, ind.target_s, False if required else None)
    end: float | None = None
    spoilt = False  # an end action against a rule before the target time
    if ind.end_marker is not None:
        end = markers.get(ind.end_marker)
    else:
        wanted = ind.end_action or ()
        for seq, t, action, role in sorted(actions, key=lambda a: a[1]):
            if action not in wanted or not (ind.end_role is None or role == ind.end_role) \
                    or not (ind.early or t >= start - EPS):
                continue
            bad = ind.require_no_flags and seq in flagged
            if bad and ind.require_no_flags_until_target and t - start <= ind.target_s + EPS:
                spoilt = True
            if not bad and end is None:
                end = t
            if end is not None and not ind.require_no_flags_until_target:
                break
    if end is None:
        return IndicatorResult(ind.id, None, ind.target_s, False)
    seconds = round(max(0.0, end - start), 3)
    return IndicatorResult(ind.id, seconds, ind.target_s,
                           indicator_met(seconds, ind.target_s) and not spoilt)


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
