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


def test_each_route_has_its_own_limit_for_one_dose_and_other_scenarios_limits_do_not_apply(pph):
    from simtool.core.drill import Drill, Participant, PatientParams
    d = Drill(pph, PatientParams(65), [Participant("t1", "Li Na", "midwife")])
    ctx = dose_context(d, "oxytocin")
    assert ctx.single_limit_for("IV") == 5 and ctx.single_limit_for("IM") == 10
    assert ctx.single_limit_for("IV infusion") == 40
    # LAST's 1 µg/kg epinephrine limit is for LAST only (only_in), not for the PPH patient
    epi = dose_context(d, "epinephrine")
    assert epi is None or epi.single_limit_for("IV") is None


def test_routes_have_names_in_every_language():
    from simtool.core.catalogue import ROUTES
    from simtool.core.routes import route_name
    for code in ROUTES:
        for lang in ("en", "zh_CN", "zh_TW"):
            assert route_name(code, lang)
    assert (route_name("IV", "zh_CN"), route_name("IV infusion", "zh_TW")) == ("静脉推注", "靜脈滴注")
    assert route_name(None) == "" and route_name("XYZ", "zh_CN") == "XYZ"


def test_iv_is_called_an_injection_only_where_the_drug_also_has_an_infusion(pph):
    from simtool.core.routes import action_route_name
    cat = pph.catalogue
    assert action_route_name(cat, "oxytocin", "IV", "zh_CN") == "静脉推注"       # vs 静脉滴注
    assert action_route_name(cat, "rbc_transfusion", "IV", "zh_CN") == "静脉"      # transfused
    assert action_route_name(cat, "rbc_transfusion", "IV", "en") == "IV"
    assert action_route_name(cat, "no_such_action", "IV", "en") == "IV injection"


def test_a_blood_unit_reads_u():
    from simtool.core.units import shown
    assert (shown("unit"), shown("IU"), shown(None)) == ("U", "IU", "")
