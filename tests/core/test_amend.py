"""Corrections in the engine: an amendment is a new input that corrects who did an action, its
dose, route or time; the rules are checked again on the corrected actions against the course the
drill took (a corrected dose raises or clears a flag, a corrected time moves an interval), the
original entry stays, nothing recorded is renumbered, and a record with corrections replays to
itself. Input events carry stable ids and the wall time they were entered at."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.errors import DrillError, UnitError
from simtool.core.events import INPUT_KINDS

TEAM = (Participant("t1", "Zhao Min", "midwife"), Participant("t2", "Sun Lei", "obstetrician"),
        Participant("t3", "Zhou Yan", "anaesthetist"))


def drill(pph, **kw) -> Drill:
    return Drill(pph, PatientParams(65.0, kw.pop("conditions", ())), TEAM)


def inputs(d: Drill):
    return [e for e in d.events if e.kind in INPUT_KINDS]


def replayed(pph, d: Drill) -> Drill:
    return Drill.replay(pph, d.patient, TEAM, inputs(d), until=d.t)


def standing(d: Drill) -> list[tuple[str | None, str | None]]:
    return [(f.action, f.rule) for f in d.flags()]


def test_input_events_have_stable_ids_and_the_wall_time_they_were_entered(pph):
    d = drill(pph)
    stamps = iter(f"2026-11-30T08:00:0{i}.000+00:00" for i in range(10))
    d.wall_clock = lambda: next(stamps)
    d.advance_to(60)
    d.act("call_for_help", by="t1")
    d.note("bleeding looks heavy", by="t2")
    d.pause()
    d.resume()
    d.advance_to(90)
    d.act("uterine_massage", by="t1")
    got = [(e.kind, e.iid, e.wall) for e in d.events if e.iid is not None]
    assert got == [("action", 1, "2026-11-30T08:00:00.000+00:00"),
                   ("note", 2, "2026-11-30T08:00:01.000+00:00"),
                   ("pause", 3, "2026-11-30T08:00:02.000+00:00"),
                   ("resume", 4, "2026-11-30T08:00:03.000+00:00"),
                   ("action", 5, "2026-11-30T08:00:04.000+00:00")]
    # derived events have neither; a replay keeps the recorded ids and wall times
    assert all(e.iid is None and e.wall is None for e in d.events if e.kind not in INPUT_KINDS)
    assert replayed(pph, d).events == d.events


def test_a_corrected_dose_raises_the_flags_it_breaks_and_the_original_entry_stays(pph):
    d = drill(pph)
    d.advance_to(900)
    txa = d.act("tranexamic_acid", by="t3", dose=1, unit="g", route="IV")
    d.advance_to(1000)
    assert d.flags() == []
    n = len(d.events)
    amend = d.amend(txa.iid, reason="2 g was given; 1 g was typed", changes={"dose": 2000, "unit": "mg"})
    assert (amend.kind, amend.target, amend.ref, amend.t) == ("amend", txa.iid, txa.seq, 1000.0)
    assert amend.value("dose") == 2.0 and amend.value("unit") == "g"   # in the catalogue's unit
    # the original entry is untouched and nothing before the amendment moved
    assert d.events[txa.seq] == txa and len(d.events) > n and d.events[n] == amend
    assert sorted(r for _a, r in standing(d)) == ["dose_range", "max_single"]
    assert all(f.ref == txa.seq and f.seq > amend.seq for f in d.flags())
    assert d.effective(txa.iid).dose == 2.0 and d.actions_done()[-1].dose == 2.0


def test_a_corrected_dose_withdraws_the_flags_it_no_longer_breaks(pph):
    d = drill(pph)
    d.advance_to(900)
    txa = d.act("tranexamic_acid", by="t3", dose=2, unit="g", route="IV")
    flagged = d.flags()
    assert len(flagged) == 2
    d.advance_to(950)
    d.amend(txa.iid, reason="1 g, the 2 was a typing slip", changes={"dose": 1})
    assert d.flags() == []
    withdrawn = [e for e in d.events if e.kind == "unflag"]
    assert sorted(e.ref for e in withdrawn) == sorted(f.seq for f in flagged)
    # the flags stay in the record, withdrawn
    assert all(d.events[f.seq] == f for f in flagged)


def test_a_corrected_time_moves_an_interval_rule_but_not_the_course_the_team_saw(pph):
    d = drill(pph)
    d.advance_to(900)
    d.act("carboprost", by="t2", dose=250, unit="mcg", route="IM")
    d.advance_to(1200)   # 5 min later: too soon (minimum 15 min)
    second = d.act("carboprost", by="t2", dose=250, unit="mcg", route="IM")
    assert [r for _a, r in standing(d)] == ["min_interval"]
    d.advance_to(2000)
    course = [(e.kind, e.t, e.state, e.text) for e in d.events if e.kind in ("state", "marker")]
    vitals = d.vitals()
    d.amend(second.iid, reason="second dose was at 28 min, logged late", changes={"t": 1800})
    assert d.flags() == []
    assert d.effective(second.iid).t == 1800.0
    # the course the team saw (states, markers, vitals) is as it ran
    assert [(e.kind, e.t, e.state, e.text) for e in d.events if e.kind in ("state", "marker")] == course
    assert d.vitals() == vitals
    # moving it back closer raises the flag again
    d.amend(second.iid, reason="no: at 20 min", changes={"t": 1200})
    assert [r for _a, r in standing(d)] == ["min_interval"]


def test_a_correction_of_who_did_it_moves_the_credit(pph):
    d = drill(pph)
    d.advance_to(700)
    oxy = d.act("oxytocin", by="t1", dose=10, unit="IU", route="IM")
    d.advance_to(710)
    assert d.variables()["by.midwife.oxytocin"] == 1
    d.amend(oxy.iid, reason="the obstetrician gave it", changes={"who": "t2"})
    assert (d.effective(oxy.iid).actor, d.effective(oxy.iid).role) == ("t2", "obstetrician")
    v = d.variables()
    assert v["by.midwife.oxytocin"] == 0 and v["by.obstetrician.oxytocin"] == 1
    assert v["given.oxytocin"] == 1


def test_a_record_with_corrections_and_strikes_replays_to_itself(pph):
    d = drill(pph)
    d.advance_to(700)
    oxy = d.act("oxytocin", by="t1", dose=10, unit="IU", route="IM")
    d.advance_to(900)
    txa = d.act("tranexamic_acid", by="t3", dose=2, unit="g", route="IV")
    d.advance_to(1000)
    d.amend(txa.iid, reason="1 g", changes={"dose": 1})
    d.amend(oxy.iid, reason="IV infusion", changes={"route": "IV", "who": "obstetrician"})
    d.retract(txa.iid, reason="not given at all")
    d.advance_to(1300)
    again = replayed(pph, d)
    assert again.events == d.events
    assert again.flags() == d.flags() and again.actions_done() == d.actions_done()
    assert again.vitals() == d.vitals()


@pytest.mark.parametrize("changes, error, words", [
    ({}, DrillError, "changes nothing"),
    ({"dose": None}, DrillError, "changes nothing"),
    ({"colour": "red"}, DrillError, "not colour"),
    ({"unit": "mg"}, DrillError, "together with its dose"),
    ({"t": -1}, DrillError, "between 0 and now"),
    ({"t": 10_000}, DrillError, "between 0 and now"),
    ({"t": math.nan}, DrillError, "between 0 and now"),
    ({"t": True}, DrillError, "between 0 and now"),
    ({"who": "t9"}, DrillError, "neither a participant nor a role"),
    ({"dose": 0}, DrillError, "above zero"),
    ({"dose": -1}, DrillError, "above zero"),
    ({"dose": 1e9}, DrillError, "above zero and at most"),
    ({"dose": 1, "unit": "furlong"}, UnitError, "furlong"),
])
def test_an_impossible_correction_is_refused_and_nothing_is_logged(pph, changes, error, words):
    d = drill(pph)
    d.advance_to(900)
    txa = d.act("tranexamic_acid", by="t3", dose=1, unit="g", route="IV")
    d.advance_to(1000)
    before = list(d.events)
    with pytest.raises(error, match=words):
        d.amend(txa.iid, reason="typo", changes=changes)
    assert d.events == before and d.effective(txa.iid) == txa


def test_only_a_standing_action_can_be_amended_and_only_with_a_reason(pph):
    d = drill(pph)
    d.advance_to(900)
    txa = d.act("tranexamic_acid", by="t3", dose=1, unit="g", route="IV")
    note = d.note("heavy bleeding")
    before = list(d.events)
    for iid, reason, words in [(txa.iid, "  ", "needs a reason"), (note.iid, "x", "not an action"),
                               (99, "x", "not an action"), (0, "x", "not an action")]:
        with pytest.raises(DrillError, match=words):
            d.amend(iid, reason=reason, changes={"dose": 2})
    assert d.events == before
    d.retract(txa.iid, reason="not given")
    with pytest.raises(DrillError, match="retracted; there is nothing to amend"):
        d.amend(txa.iid, reason="x", changes={"dose": 2})


def test_a_record_made_before_input_ids_replays_and_its_retractions_still_apply(pph):
    d = drill(pph)
    d.advance_to(900)
    txa = d.act("tranexamic_acid", by="t3", dose=2, unit="g", route="IV")
    d.advance_to(905)
    d.retract(txa.iid, reason="wrong patient")
    d.advance_to(1000)
    # the same record as an older simtool stored it: no ids, no wall times, retraction by seq
    old = [replace(e, iid=None, target=None, wall=None) for e in inputs(d)]
    again = Drill.replay(pph, d.patient, TEAM, old, until=d.t)
    assert again.events == d.events   # numbered in order: the ids the old record implies
    assert again.flags() == [] and again.actions_done() == []
