"""What the dose dialog shows beside a dose: this patient's limits (per kg × weight, capped),
the dose given so far as the corrected record has it, the suggestion; none for an action
without a dose."""

from __future__ import annotations

from simtool.app.dosing import dose_context
from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.scenario import load_scenario

from helpers.paths import ROOT

TEAM = (Participant("a1", "Wang Fang", "anaesthetist"), Participant("n1", "Li Na", "nurse"))


def last(weight):
    return Drill(load_scenario(ROOT / "scenarios" / "last_nerve_block.yaml"), PatientParams(weight), TEAM)


def test_the_limits_are_this_patients_and_the_dose_so_far_follows_corrections():
    d = last(60.0)
    ctx = dose_context(d, "bupivacaine")
    assert (ctx.unit, ctx.weight_kg, ctx.total_limit, ctx.given) == ("mg", 60.0, 150.0, 0.0)   # 2.5 mg/kg
    assert dose_context(last(80.0), "bupivacaine").total_limit == 175.0                   # capped
    assert dose_context(d, "epinephrine").single_limit == 60.0                             # 1 µg/kg
    d.advance_to(30)
    first = d.act("bupivacaine", by="a1", dose=50, unit="mg")
    d.act("bupivacaine", by="a1", dose=40, unit="mg")
    assert dose_context(d, "bupivacaine").given == 90.0
    d.advance_to(60)
    d.amend(first.iid, reason="30 mg", changes={"dose": 30})
    assert dose_context(d, "bupivacaine").given == 70.0
    assert dose_context(d, "call_for_help") is None and dose_context(d, "no_such_action") is None
