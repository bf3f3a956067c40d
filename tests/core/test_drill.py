"""The drill engine's contract: time only through tick, chunking-independent, pause freezes,
timed transitions with 'unless', forced states logged as the instructor's, subscribers see
everything, undo is a retraction, states can set vitals directly."""

from __future__ import annotations

from pathlib import Path

import pytest

from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.errors import DrillError, UnitError
from simtool.core.flagtext import flag_text
from simtool.core.scenario import load_scenario

MINIMAL = Path(__file__).parent / "data" / "minimal_scenario.yaml"

EXTRA = """
  - id: timed
    label: {en: Timed, zh_CN: 计时, zh_TW: 計時}
    bleed_ml_min: {value: 10, source: "design"}
    transitions:
      - to: arrest
        after_s: 120
        unless_action: call_for_help
        source: "design"
      - to: shock
        on_action: [epinephrine, amiodarone]
  - id: arrest
    label: {en: Arrest, zh_CN: 心脏骤停, zh_TW: 心臟驟停}
    targets: {hr: 180, sbp: 60, rhythm: vt, ramp_s: 10, source: "design"}
    transitions:
      - to: controlled
        on_action: defibrillation
"""


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The minimal scenario plus a timed state and a state that sets the rhythm."""
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace("interventions:", EXTRA.lstrip("\n").replace("\n  - id: timed", "  - id: timed", 1) + "interventions:")
    text = text.replace("      - to: controlled\n        on_action: oxytocin\n",
                        "      - to: controlled\n        on_action: oxytocin\n      - to: timed\n        on_action: team_briefing\n")
    path = tmp_path_factory.mktemp("sc") / "engine.yaml"
    path.write_text(text, encoding="utf-8")
    return load_scenario(path)


def new(loaded, **kw) -> Drill:
    return Drill(loaded, PatientParams(65, kw.pop("conditions", ())),
                 [Participant("t1", "Li Na", "midwife")], **kw)


def test_time_moves_only_through_tick(loaded):
    d = new(loaded)
    assert d.t == 0 and d.physiology.blood_loss_ml == 0
    d.tick(90)
    assert d.t == 90 and d.physiology.blood_loss_ml == pytest.approx(60)  # 40 mL/min
    with pytest.raises(DrillError):
        d.tick(-1)


def test_chunking_does_not_change_the_result(loaded):
    a, b = new(loaded), new(loaded)
    a.tick(600)
    for _ in range(6000):
        b.tick(0.1)
    assert a.t == b.t and a.vitals() == b.vitals() and a.physiology.state() == b.physiology.state()


def test_pause_freezes_everything(loaded):
    d = new(loaded)
    d.tick(30)
    before = (d.t, d.vitals(), d.physiology.blood_loss_ml)
    d.pause()
    d.tick(500)
    assert (d.t, d.vitals(), d.physiology.blood_loss_ml) == before
    d.resume()
    d.tick(10)
    assert d.t == 40
    assert [e.kind for e in d.events if e.kind in ("pause", "resume")] == ["pause", "resume"]


def test_transition_on_action_and_condition(loaded):
    d = new(loaded)
    d.tick(10)
    d.act("oxytocin", by="t1", dose=10, unit="U", route="IM")
    assert d.state == "controlled" and d.is_final
    e = new(loaded)
    e.tick(1500 / 40 * 60 + 2)  # 1500 mL at 40 mL/min
    assert e.state == "shock"


def test_timed_transition_unless_an_action_was_done(loaded):
    d = new(loaded)
    d.act("team_briefing")
    d.tick(119)
    assert d.state == "timed"
    d.tick(1)
    assert d.state == "arrest"
    saved = new(loaded)
    saved.act("team_briefing")
    saved.tick(60)
    saved.act("call_for_help", by="midwife")
    saved.tick(300)
    assert saved.state == "timed"


def test_a_transition_may_fire_on_any_of_several_actions(loaded):
    d = new(loaded)
    d.act("team_briefing")
    d.act("amiodarone", dose=300, unit="mg")
    assert d.state == "shock"


def test_a_state_can_set_rhythm_and_vitals_directly(loaded):
    d = new(loaded)
    d.act("team_briefing")
    d.tick(120)
    assert d.state == "arrest" and d.vitals().rhythm == "vt"
    d.tick(5)
    assert 82 < d.vitals().hr < 180
    d.tick(10)
    assert d.vitals().hr == 180 and d.vitals().sbp == 60
    d.act("defibrillation")
    assert d.state == "controlled"
    d.tick(60)
    assert d.vitals().rhythm == "sinus" and d.vitals().hr < 100


def test_force_is_logged_as_the_instructors(loaded):
    d = new(loaded)
    d.tick(5)
    d.force("shock", reason="demonstrate shock")
    force = next(e for e in d.events if e.kind == "force")
    state = [e for e in d.events if e.kind == "state"][-1]
    assert (force.actor, force.state, force.text) == ("instructor", "shock", "demonstrate shock")
    assert (state.state, state.text, state.actor) == ("shock", "force", "instructor")
    with pytest.raises(DrillError, match="unknown state 'nowhere'"):
        d.force("nowhere")


def test_subscribers_get_every_event(loaded):
    d = new(loaded)
    seen = []
    unsubscribe = d.subscribe(seen.append)
    d.act("call_for_help", by="midwife")
    d.note("fundus boggy", by="t1")
    d.tick(1500 / 40 * 60 + 2)
    d.end()
    assert seen == d.events[len(d.events) - len(seen):]
    assert [e.kind for e in seen] == ["action", "note", "state", "end"]
    unsubscribe()
    d2_len = len(seen)
    d.note("after end is still a note")
    assert len(seen) == d2_len


def test_actor_is_resolved_to_a_participant_and_role(loaded):
    d = new(loaded)
    by_role = d.act("call_for_help", by="midwife")
    by_id = d.act("uterine_massage", by="t1")
    assert (by_role.actor, by_role.role) == ("t1", "midwife")
    assert (by_id.actor, by_id.role) == ("t1", "midwife")
    with pytest.raises(DrillError, match="neither a participant nor a role"):
        d.act("call_for_help", by="surgeon")


def test_doses_are_converted_to_the_catalogue_unit(loaded):
    d = new(loaded)
    e = d.act("tranexamic_acid", dose=1000, unit="mg", route="IV")
    assert (e.dose, e.unit) == (1.0, "g")
    with pytest.raises(UnitError, match="cannot convert"):
        d.act("tranexamic_acid", dose=1, unit="IU")
    assert sum(1 for x in d.events if x.action == "tranexamic_acid" and x.kind == "action") == 1


def test_undo_is_a_retraction_not_a_deletion(loaded):
    d = new(loaded)
    d.tick(20)
    e = d.act("uterine_massage", by="midwife")
    d.tick(5)
    d.retract(e.iid, reason="wrong button")
    assert e in d.events
    assert e not in d.actions_done()
    assert d.variables()["given.uterine_massage"] == 0
    with pytest.raises(DrillError, match="already retracted"):
        d.retract(e.iid)


def test_interventions_change_the_bleed_after_their_onset(loaded):
    d = new(loaded)
    assert d.bleed_ml_min() == 40
    d.act("uterine_massage")
    assert d.bleed_ml_min() == pytest.approx(32)  # factor 0.8, onset 0
    d.tick(600)
    assert d.physiology.blood_loss_ml == pytest.approx(32 * 10)


def test_nothing_is_logged_after_the_end(loaded):
    d = new(loaded)
    d.end()
    d.tick(100)
    assert d.t == 0
    with pytest.raises(DrillError, match="ended"):
        d.act("oxytocin")


def test_a_rule_scoped_to_one_scenario_does_not_flag_in_another(loaded, tmp_path):
    # epinephrine ≤1 µg/kg is the LAST limit (ASRA); a 1 mg arrest dose elsewhere is not an error
    d = new(loaded)
    d.act("epinephrine", dose=1, unit="mg", route="IV")
    assert [e for e in d.events if e.kind == "flag"] == []
    text = MINIMAL.read_text(encoding="utf-8").replace("id: mini", "id: last_nerve_block")
    (tmp_path / "last.yaml").write_text(text, encoding="utf-8")
    last = Drill(load_scenario(tmp_path / "last.yaml"), PatientParams(65))
    last.act("epinephrine", dose=1, unit="mg", route="IV")
    assert [e.rule for e in last.events if e.kind == "flag"] == ["max_single"]


@pytest.mark.parametrize("weight,dose,flagged", [
    (60, 90, False),    # 1.5 mL/kg × 60 kg = 90 mL
    (60, 110, True),    # +22 %
    (60, 73, False),    # −19 %
    (90, 100, False),   # above 70 kg: 100 mL
    (90, 135, True),    # 1.5 mL/kg would be 135 mL: 35 % over the 100 mL bolus
])
def test_lipid_bolus_is_checked_against_this_patients_dose(loaded, weight, dose, flagged):
    d = Drill(loaded, PatientParams(weight))
    d.act("lipid_emulsion_bolus", dose=dose, unit="mL", route="IV")
    rules = [e.rule for e in d.events if e.kind == "flag"]
    assert ("expected_dose" in rules) is flagged


def test_variant_variables_and_per_role_counts(pph):
    d = Drill(pph, PatientParams(65, (), "asthma"), [Participant("t1", "Li Na", "midwife")])
    assert d.patient.conditions == ("asthma",)  # the variant brings its condition
    env = d.variables()
    assert env["variant.asthma"] == 1 and env["has.asthma"] == 1
    d.act("call_for_help", by="t1")
    assert d.variables()["by.midwife.call_for_help"] == 1
    assert d.variables()["by.obstetrician.call_for_help"] == 0
    with pytest.raises(DrillError, match="variant 'cns_only' is not offered"):
        Drill(pph, PatientParams(65, (), "cns_only"))


def test_a_flag_message_carries_the_numbers_of_this_patient(tmp_path):
    from helpers.paths import SCENARIOS
    last = load_scenario(SCENARIOS / "last_nerve_block.yaml")
    d = Drill(last, PatientParams(70))
    d.act("bupivacaine", dose=200, unit="mg")
    (flag,) = [e for e in d.events if e.kind == "flag"]
    assert flag.text is None and flag.value("limit") == 175 and flag.value("dose") == 200  # codes, numbers
    assert flag_text(last, flag).startswith(
        "Bupivacaine 200 mg in all = 2.86 mg/kg, above this patient's maximum of 175 mg")
    assert "2.86 mg/kg" in flag_text(last, flag, "zh_CN") and "布比卡因" in flag_text(last, flag, "zh_CN")


# RCOG GTG 52: 5 IU by slow IV injection, IM 10 IU, 10–40 IU in an infusion — 20 IU as an IV push
# is the unsafe bolus (it was passed while "IV" meant any IV route)
@pytest.mark.parametrize("dose,route,flagged", [(10, "IM", False), (20, "IM", True), (5, "IV", False),
                                                (20, "IV", True), (20, "IV infusion", False),
                                                (40, "IV infusion", False), (45, "IV infusion", True)])
def test_oxytocin_limits_depend_on_the_route(loaded, dose, route, flagged):
    d = Drill(loaded, PatientParams(65))
    d.act("oxytocin", dose=dose, unit="IU", route=route)
    assert any(e.kind == "flag" and e.rule == "max_single" for e in d.events) is flagged
