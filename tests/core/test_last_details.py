"""The LAST details of the ASRA 2020 checklist (issue 18, items 9 and 11), each played through
``simtool run --json`` as an instructor's script would be:

- lipid works by its dose: 80 % of the weight's bolus (1.5 mL/kg, 100 mL above 70 kg) restores
  the circulation 3 min later, boluses add up, 10 mL does nothing;
- the infusion is logged as a rate (0.25 mL/kg/min; 200–250 mL over 15–20 min above 70 kg),
  doubled while the circulation stays unstable, and not stopped before the circulation has been
  stable for 10 min; what it has run counts towards the 12 mL/kg ceiling;
- a shock works in VF (once lipid has reached the heart with CPR) and is flagged in a rhythm that
  is not shockable;
- CPR at the arrest and the airway with 100 % oxygen are critical items of the rubric;
- local anaesthetics add up (the sum of each dose's fraction of its own maximum), absolute caps
  hold whatever the weight, and a further local anaesthetic after the first sign is forbidden;
- the stellate-ganglion drill: a small intra-arterial dose, an immediate seizure.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simtool.cli import main
from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.flagtext import flag_text
from simtool.core.scenario import load_scenario

from helpers.paths import ROOT, SCENARIOS

LAST = SCENARIOS / "last_nerve_block.yaml"
RUBRIC = ROOT / "rubrics" / "last_nerve_block_technical.yaml"
HEAD = ("participants:\n  - {id: a1, name: Wang Lei, role: anaesthetist}\n"
        "  - {id: n1, name: Chen Jing, role: nurse}\nactions:\n")


def run(tmp_path: Path, capsys, actions: str, *, duration: int = 900, weight: float = 70,
        variant: str | None = "cv_only", scenario: Path = LAST, rubric: Path | None = None,
        head: str = HEAD) -> dict:
    """``simtool run --json`` of a script with these action lines; the parsed output."""
    script = tmp_path / "script.yaml"
    script.write_text(f"duration_s: {duration}\n{head}{actions}", encoding="utf-8")
    args = ["run", str(scenario), "--script", str(script), "--json", "--weight", f"{weight:g}"]
    if variant:
        args += ["--variant", variant]
    if rubric:
        args += ["--rubric", str(rubric)]
    code = main(args)
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def states(out: dict) -> list[tuple[float, str]]:
    return [(s["t"], s["state"]) for s in out["states"]]


def flags(out: dict, *kinds: str) -> list[tuple[float, str, str]]:
    return [(f["t"], f["action"], f["kind"]) for f in out["flags"] if not kinds or f["kind"] in kinds]


def markers(out: dict) -> dict[str, float]:
    return {e["text"]: e["t"] for e in out["events"] if e["kind"] == "marker"}


def expected(out: dict) -> dict[str, str]:
    return {e["id"]: e["status"] for e in out["expected"]}


def bolus(t: float, ml: float) -> str:
    return f"  - {{t: {t:g}, action: lipid_emulsion_bolus, dose: {ml:g}, unit: mL, route: IV, by: a1}}\n"


# the cardiovascular-only course: bradycardia at 60 s, wide QRS at 150 s, VT at 240 s, VF at 300 s
CV_COURSE = [(0, "injecting"), (60, "bradycardia"), (150, "wide_qrs"), (240, "ventricular_tachycardia"),
             (300, "cardiac_arrest")]


# --- lipid works by its dose ------------------------------------------------------------------

def test_ten_millilitres_of_lipid_no_longer_restore_the_circulation(tmp_path, capsys):
    small = run(tmp_path, capsys, bolus(65, 10))
    assert states(small) == CV_COURSE          # the course goes on to VF as without lipid
    assert flags(small) == [(65, "lipid_emulsion_bolus", "expected_dose")]
    full = run(tmp_path, capsys, bolus(65, 105))  # 1.5 mL/kg at 70 kg
    assert states(full) == CV_COURSE[:4] + [(245, "circulation_restored")]
    assert full["vitals"][-1]["rhythm"] == "sinus" and flags(full) == []


@pytest.mark.parametrize("weight, works, short", [(70, 84, 83), (50, 60, 59), (90, 80, 79)])
def test_the_full_effect_needs_eighty_percent_of_the_weights_bolus(tmp_path, capsys, weight, works, short):
    # 1.5 mL/kg up to 70 kg (105 mL, 75 mL), 100 mL above: 80 % of it (the catalogue's tolerance)
    assert states(run(tmp_path, capsys, bolus(65, works), weight=weight))[-1] == (245, "circulation_restored")
    assert states(run(tmp_path, capsys, bolus(65, short), weight=weight)) == CV_COURSE


def test_lipid_boluses_add_up_and_act_three_minutes_after_the_one_that_completes_the_dose(tmp_path, capsys):
    out = run(tmp_path, capsys, bolus(65, 50) + bolus(100, 50))
    assert states(out) == CV_COURSE[:4] + [(280, "circulation_restored")]
    # each is off the expected dose, and the second comes sooner than 5 min after the first
    assert flags(out) == [(65, "lipid_emulsion_bolus", "expected_dose"),
                          (100, "lipid_emulsion_bolus", "expected_dose"),
                          (100, "lipid_emulsion_bolus", "min_interval")]


def test_a_retracted_bolus_no_longer_counts():
    loaded = load_scenario(LAST)
    drill = Drill(loaded, PatientParams(70, (), "cv_only"), [Participant("a1", "Wang Lei", "anaesthetist")])
    drill.advance_to(65)
    given = drill.act("lipid_emulsion_bolus", by="a1", dose=105, route="IV")
    drill.advance_to(100)
    drill.retract(given.iid, reason="logged on the wrong patient")
    drill.advance_to(400)
    assert drill.state == "cardiac_arrest" and drill.variables()["effect.lipid"] == 0


# --- the infusion, as a rate ------------------------------------------------------------------

def start(t: float, rate: float, unit: str = "mL/min") -> str:
    return f"  - {{t: {t:g}, action: lipid_infusion_start, dose: {rate:g}, unit: {unit}, route: IV, by: n1}}\n"


@pytest.mark.parametrize("weight, rate, unit, flagged", [
    (60, 15, "mL/min", False),     # 0.25 mL/kg/min
    (60, 900, "mL/h", False),      # the same, as a pump shows it
    (60, 20, "mL/min", True),      # 0.33 mL/kg/min: more than 26 % off
    (90, 13.33, "mL/min", False),  # above 70 kg: 200–250 mL over 15–20 min
    (90, 22.5, "mL/min", True),    # 0.25 mL/kg/min is not the rule above 70 kg
])
def test_the_infusion_rate_follows_the_weight(tmp_path, capsys, weight, rate, unit, flagged):
    out = run(tmp_path, capsys, start(65, rate, unit), weight=weight, duration=120)
    logged = next(e for e in out["events"] if e.get("action") == "lipid_infusion_start")
    assert logged["unit"] == "mL/min"
    assert flags(out) == ([(65, "lipid_infusion_start", "expected_dose")] if flagged else [])
    if flagged:
        assert "0.25 mL/kg/min" in out["flags"][0]["message"]


def test_the_rate_is_doubled_and_the_bolus_repeated_while_the_circulation_stays_unstable(tmp_path, capsys):
    # too little lipid: still unstable 5 min after the infusion started (at 370 s, in VF)
    story = (bolus(65, 10) + start(70, 17.5)
             + "  - {t: 305, action: cpr_start, by: n1}\n"
             + "  - {t: 400, action: lipid_infusion_double, by: n1}\n"
             + bolus(420, 105)
             + "  - {t: 605, action: defibrillation, by: a1}\n"
             + "  - {t: 700, action: lipid_infusion_double, by: n1}\n")
    out = run(tmp_path, capsys, story)
    assert markers(out)["lipid_still_unstable"] == 370
    assert expected(out)["lipid_infusion_doubled"] == "met" and expected(out)["lipid_repeat_bolus"] == "met"
    # the repeat bolus brings the total to 115 mL; with CPR it reaches the heart at 600 s, and
    # the shock then restores the circulation
    assert states(out)[-2:] == [(600, "vf_lipid_on_board"), (605, "rosc")]
    assert flags(out, "max_doses") == [(700, "lipid_infusion_double", "max_doses")]  # doubled once only

    late = run(tmp_path, capsys, bolus(65, 10) + start(70, 17.5))
    assert expected(late)["lipid_infusion_doubled"] == "missed"


def test_what_the_infusion_has_run_counts_towards_the_ceiling(tmp_path, capsys):
    # 50 kg: ceiling 600 mL. 75 mL bolus, then 12.5 mL/min from 70 s, doubled to 25 mL/min at
    # 400 s (143.75 mL run by then): 600 mL at 1495 s
    story = bolus(65, 75) + start(70, 12.5) + "  - {t: 400, action: lipid_infusion_double, by: n1}\n"

    def stopped_at(t: int) -> list:
        out = run(tmp_path, capsys, story + f"  - {{t: {t}, action: lipid_infusion_stop, by: n1}}\n",
                  weight=50, duration=1600)
        return flags(out, "max_volume")
    assert stopped_at(1494) == []
    assert stopped_at(1496) == [(1496, "lipid_infusion_stop", "max_volume")]
    # the same bolus after the infusion has been stopped at 1000 s: 75 + 68.75 + 600 × 25/60 = 393.75
    # mL run, and a 75 mL bolus is within the ceiling; the run volume does not grow once stopped
    out = run(tmp_path, capsys, story + "  - {t: 1000, action: lipid_infusion_stop, by: n1}\n" + bolus(1500, 75),
              weight=50, duration=1600)
    assert flags(out, "max_volume") == []


def test_the_infusion_runs_on_for_ten_minutes_after_the_circulation_is_stable(tmp_path, capsys):
    base = bolus(65, 105) + start(70, 17.5)
    stable = markers(run(tmp_path, capsys, base))["circulation_stable"]
    assert 245 < stable < 365  # the pressure climbs back after the rhythm (circulation_restored at 245)

    def stop(t: float) -> dict:
        return run(tmp_path, capsys, base + f"  - {{t: {t:g}, action: lipid_infusion_stop, by: n1}}\n",
                   duration=int(t) + 30)
    early = stop(stable + 599)
    assert flags(early) == [(stable + 599, "lipid_infusion_stop", "not_before")]
    assert early["flags"][0]["message"].startswith("Lipid infusion stopped before the circulation had been "
                                                   "stable for 10 minutes")
    assert flags(stop(stable + 600)) == []
    assert flags(stop(200)) == [(200, "lipid_infusion_stop", "not_before")]  # before it was stable at all


# --- defibrillation -----------------------------------------------------------------------------

def shock(t: float) -> str:
    return f"  - {{t: {t:g}, action: defibrillation, by: a1}}\n"


def test_a_shock_in_a_rhythm_that_is_not_shockable_is_flagged_and_does_nothing(tmp_path, capsys):
    out = run(tmp_path, capsys, shock(100) + shock(200) + shock(250) + shock(310), duration=400)
    # bradycardia, wide QRS and VT with a pulse are flagged; VF is not
    assert flags(out) == [(100, "defibrillation", "contraindication"), (200, "defibrillation", "contraindication"),
                          (250, "defibrillation", "contraindication")]
    assert "non-shockable rhythm" in out["flags"][0]["message"]
    assert states(out) == CV_COURSE  # and no shock changed the course: VF without lipid persists


def test_a_shock_restores_the_circulation_in_vf_once_lipid_has_reached_the_heart(tmp_path, capsys):
    cpr = "  - {t: 302, action: cpr_start, by: n1}\n"
    out = run(tmp_path, capsys, cpr + bolus(310, 105) + shock(480) + shock(500))
    # the lipid acts 3 min after it is given (490 s): the shock at 480 s does nothing, at 500 s works
    assert states(out)[-3:] == [(300, "cardiac_arrest"), (490, "vf_lipid_on_board"), (500, "rosc")]
    assert flags(out) == [] and expected(out)["defibrillate"] == "late"
    assert out["vitals"][-1]["rhythm"] == "sinus_tachycardia"
    # without compressions the lipid never reaches the heart: VF persists and the shock fails
    no_cpr = run(tmp_path, capsys, bolus(310, 105) + shock(500), duration=1600)
    assert states(no_cpr)[-2:] == [(300, "cardiac_arrest"), (1500, "death")]


# --- the rubric: CPR and airway with oxygen are critical ------------------------------------------

GOOD_START = ("  - {t: 0, action: bupivacaine, dose: 100, unit: mg, by: a1}\n"
              "  - {t: 62, action: stop_injection, by: a1}\n"
              "  - {t: 64, action: call_for_help, by: a1}\n"
              "  - {t: 66, action: request_last_kit, by: n1}\n")


def team(out: dict) -> dict:
    return out["score"]["team"]


def test_cpr_and_the_airway_with_oxygen_are_critical_items(tmp_path, capsys):
    late_cpr = run(tmp_path, capsys, GOOD_START + "  - {t: 70, action: oxygen_100, route: INH, by: n1}\n"
                   + bolus(80, 50) + "  - {t: 400, action: cpr_start, by: n1}\n", rubric=RUBRIC)
    items = {i["id"]: i for i in team(late_cpr)["items"]}
    assert (items["cpr_started"]["critical"], items["cpr_started"]["status"]) == (True, "late")
    assert items["airway_oxygen"]["status"] == "met"
    assert team(late_cpr)["verdict"]["critical_missed"] == ["cpr_started"]
    assert team(late_cpr)["verdict"]["result"] == "fail"

    no_oxygen = run(tmp_path, capsys, GOOD_START + bolus(80, 105) + "  - {t: 301, action: cpr_start, by: n1}\n",
                    rubric=RUBRIC)
    items = {i["id"]: i for i in team(no_oxygen)["items"]}
    assert (items["airway_oxygen"]["critical"], items["airway_oxygen"]["status"]) == (True, "not met")
    assert items["cpr_started"]["status"] == "not applicable"  # the lipid worked before any arrest
    assert team(no_oxygen)["verdict"]["critical_missed"] == ["airway_oxygen"]

    # bag-mask ventilation gives 100 % oxygen too
    bagged = run(tmp_path, capsys, GOOD_START + "  - {t: 75, action: bag_mask_ventilation, by: n1}\n"
                 + bolus(80, 105), rubric=RUBRIC)
    assert {i["id"]: i["status"] for i in team(bagged)["items"]}["airway_oxygen"] == "met"


# --- local anaesthetics: additive, capped, none after the first sign -----------------------------

def dose(t: float, drug: str, mg: float) -> str:
    return f"  - {{t: {t:g}, action: {drug}, dose: {mg:g}, unit: mg, by: a1}}\n"


def test_local_anaesthetics_add_up_as_fractions_of_their_own_maxima(tmp_path, capsys):
    # 70 kg: bupivacaine 100 of 175 mg (57 %), then lidocaine for the skin before the first sign
    over = run(tmp_path, capsys, dose(0, "bupivacaine", 100) + dose(30, "lidocaine", 150), duration=50)
    assert flags(over) == [(30, "lidocaine", "additive_max")]      # + 50 % of 300 mg = 107 %
    assert "together 107 % of the maximum" in over["flags"][0]["message"]
    under = run(tmp_path, capsys, dose(0, "bupivacaine", 100) + dose(30, "lidocaine", 120), duration=50)
    assert flags(under) == []                                       # + 40 % = 97 %
    # three agents: each within its own maximum, together above it
    three = run(tmp_path, capsys, dose(0, "bupivacaine", 70) + dose(10, "ropivacaine", 80)
                + dose(20, "lidocaine", 90), duration=50)
    assert flags(three) == [(20, "lidocaine", "additive_max")]       # 40 % + 38 % + 30 % = 108 %


def test_the_additive_flag_is_worded_with_each_drug_in_the_readers_language():
    loaded = load_scenario(LAST)
    drill = Drill(loaded, PatientParams(70))
    drill.act("bupivacaine", dose=100)
    drill.advance_to(30)
    drill.act("lidocaine", dose=150)
    (flag,) = [f for f in drill.flags() if f.rule == "additive_max"]
    assert dict(flag.values)["percent"] == 107
    assert "合计达最大剂量的107%" in flag_text(loaded, flag, "zh_CN")
    assert "合計達最大劑量的107%" in flag_text(loaded, flag, "zh_TW")
    # simtool's own sentence (a catalogue without the message) names each drug's share
    from simtool.core.flagtext import words
    values = {k: v for k, v in flag.values if k != "message"}
    assert words("additive_max", values, "Lidocaine") == (
        "Lidocaine: together the drugs given reach 107 % of the maximum dose (lidocaine 50 %, "
        "bupivacaine 57 %); their toxicity adds up")


@pytest.mark.parametrize("drug, mg, flagged", [
    ("bupivacaine", 175, False), ("bupivacaine", 176, True),   # 2.5 mg/kg would be 250 mg
    ("ropivacaine", 200, False), ("ropivacaine", 201, True),   # 3 mg/kg would be 300 mg
    ("lidocaine", 300, False), ("lidocaine", 301, True),       # 4.5 mg/kg would be 450 mg
])
def test_absolute_caps_hold_whatever_the_weight(tmp_path, capsys, drug, mg, flagged):
    out = run(tmp_path, capsys, dose(0, drug, mg), weight=100, duration=30)
    assert flags(out) == ([(0, drug, "max_total")] if flagged else [])


def test_a_second_local_anaesthetic_after_the_first_sign_is_forbidden(tmp_path, capsys):
    out = run(tmp_path, capsys, dose(0, "bupivacaine", 100) + dose(30, "ropivacaine", 20)
              + dose(90, "ropivacaine", 20) + dose(95, "lidocaine", 50), duration=120)
    # before the first sign (60 s) another agent is no error; after it, every one is
    assert flags(out, "forbidden") == [(90, "ropivacaine", "forbidden"), (95, "lidocaine", "forbidden")]


def test_every_new_flag_is_worded_in_three_languages():
    from simtool.core.evidencetext import RULES
    from simtool.core.flagtext import _S
    for kind in ("additive_max", "max_volume", "not_before", "not_before/never"):
        assert len(_S[kind]) == 3 and all(_S[kind])
    for kind in ("additive_max", "max_volume", "not_before"):
        assert len(RULES[kind]) == 3 and all(RULES[kind])


# --- item 11: the stellate-ganglion drill ---------------------------------------------------------

STELLATE = SCENARIOS / "last_stellate_ganglion.yaml"
STELLATE_RUBRIC = ROOT / "rubrics" / "last_stellate_ganglion_technical.yaml"
PAIN_TEAM = ("participants:\n  - {id: p1, name: Li Hua, role: pain_physician}\n"
             "  - {id: n1, name: Chen Jing, role: nurse}\nactions:\n"
             "  - {t: 0, action: lidocaine, dose: 20, unit: mg, by: p1, note: '2 mL of 1 %'}\n")


def pain(tmp_path, capsys, actions: str = "", **kw) -> dict:
    return run(tmp_path, capsys, actions, scenario=STELLATE, weight=60, variant=None, head=PAIN_TEAM, **kw)


def test_a_small_intra_arterial_dose_seizes_within_seconds(tmp_path, capsys):
    out = pain(tmp_path, capsys, "  - {t: 20, action: midazolam, dose: 2, unit: mg, route: IV, by: p1}\n")
    assert states(out) == [(0, "injecting"), (5, "seizure"), (20, "seizure_controlled"), (320, "recovered")]
    assert {k: markers(out)[k] for k in ("first_sign", "serious_sign", "seizure_onset")} == \
        {"first_sign": 5, "serious_sign": 5, "seizure_onset": 5}
    assert flags(out) == []  # 20 mg is far below any maximum: the seizure is where it went
    at_15 = next(v for v in out["vitals"] if v["t"] == 15)
    assert at_15["spo2"] < 95 and at_15["sbp"] > 140 and at_15["rr"] < 10
    assert out["outcome"]["result"] == "stabilised" and expected(out)["benzodiazepine"] == "met"


def test_untreated_the_seizure_stops_and_she_must_be_ventilated(tmp_path, capsys):
    left = pain(tmp_path, capsys)
    assert states(left) == [(0, "injecting"), (5, "seizure"), (95, "postictal_hypoventilation"),
                            (275, "deterioration")]
    assert left["outcome"]["result"] == "deteriorated" and left["vitals"][-1]["spo2"] < 70
    bagged = pain(tmp_path, capsys, "  - {t: 120, action: bag_mask_ventilation, by: n1}\n")
    assert states(bagged)[-2:] == [(120, "seizure_controlled"), (420, "recovered")]
    assert expected(bagged)["ventilate_apnoea"] == "met"


def test_the_stellate_rubric_fails_a_further_local_anaesthetic_and_a_missing_airway(tmp_path, capsys):
    good = pain(tmp_path, capsys, "  - {t: 8, action: stop_injection, by: p1}\n"
                "  - {t: 10, action: call_for_help, by: p1}\n"
                "  - {t: 14, action: oxygen_100, route: INH, by: n1}\n"
                "  - {t: 30, action: midazolam, dose: 2, unit: mg, route: IV, by: p1}\n", rubric=STELLATE_RUBRIC)
    assert team(good)["verdict"]["critical_missed"] == []
    bad = pain(tmp_path, capsys, "  - {t: 8, action: stop_injection, by: p1}\n"
               "  - {t: 10, action: call_for_help, by: p1}\n"
               "  - {t: 40, action: lidocaine, dose: 40, unit: mg, by: p1}\n", rubric=STELLATE_RUBRIC)
    assert flags(bad) == [(40, "lidocaine", "forbidden")]
    assert team(bad)["verdict"]["critical_missed"] == ["airway_oxygen", "no_forbidden_drug"]
    assert team(bad)["verdict"]["result"] == "fail"


# --- item 10: maternal cardiac arrest after an epidural top-up in labour -------------------------

LABOUR = SCENARIOS / "last_epidural_labour.yaml"
LABOUR_TEAM = ("participants:\n  - {id: a1, name: Wang Lei, role: anaesthetist}\n"
               "  - {id: o1, name: Liu Fang, role: obstetrician}\n"
               "  - {id: m1, name: Chen Jing, role: midwife}\nactions:\n"
               "  - {t: 0, action: bupivacaine, dose: 100, unit: mg, by: a1, note: 'top-up 20 mL of 0.5 %'}\n"
               "  - {t: 50, action: stop_injection, by: a1}\n"
               "  - {t: 55, action: call_for_help, by: a1}\n"
               "  - {t: 60, action: oxygen_100, route: INH, by: m1}\n"
               "  - {t: 100, action: midazolam, dose: 2, unit: mg, route: IV, by: a1}\n"
               "  - {t: 245, action: cpr_start, by: m1}\n"
               "  - {t: 270, action: lipid_emulsion_bolus, dose: 105, unit: mL, route: IV, by: a1}\n")


def labour(tmp_path, capsys, actions: str = "", **kw) -> dict:
    return run(tmp_path, capsys, actions, scenario=LABOUR, variant=None, head=LABOUR_TEAM, **kw)


def test_cpr_works_in_the_pregnant_arrest_only_with_the_uterus_pushed_to_the_left(tmp_path, capsys):
    # VF at 240 s; lipid at 270 s would act at 450 s, but CPR against the pregnant uterus does not
    # carry it to the heart: the shocks fail, and at 4 min (480 s) there is still no circulation
    supine = labour(tmp_path, capsys, shock(460) + shock(600), duration=900)
    assert states(supine)[-2:] == [(150, "bradycardia"), (240, "cardiac_arrest")]
    assert markers(supine)["no_rosc_4min"] == 480
    assert expected(supine)["left_uterine_displacement"] == "missed"
    assert expected(supine)["resuscitative_hysterotomy"] == "missed"
    displaced = labour(tmp_path, capsys, "  - {t: 250, action: left_uterine_displacement, by: o1}\n"
                       + shock(460), duration=900)
    assert states(displaced)[-3:] == [(240, "cardiac_arrest"), (450, "vf_lipid_on_board"), (460, "rosc")]
    # circulation back before 4 min: no hysterotomy is due
    assert "no_rosc_4min" not in markers(displaced)
    assert expected(displaced)["resuscitative_hysterotomy"] == "not applicable"
    ind = {i["id"]: (i["seconds"], i["met"]) for i in displaced["indicators"]}
    assert ind["time_to_uterine_displacement"] == (10, True)


def test_without_a_return_of_circulation_by_4_min_the_baby_is_delivered_by_5_min(tmp_path, capsys):
    out = labour(tmp_path, capsys, "  - {t: 500, action: resuscitative_hysterotomy, by: o1}\n" + shock(510),
                 duration=900)
    # delivery relieves the aortocaval compression: the lipid reaches the heart, the shock works
    assert states(out)[-3:] == [(240, "cardiac_arrest"), (501, "vf_lipid_on_board"), (510, "rosc")]
    assert expected(out)["resuscitative_hysterotomy"] == "met"
    ind = {i["id"]: (i["seconds"], i["met"]) for i in out["indicators"]}
    assert ind["delivery_by_5_min"] == (20, True)
    late = labour(tmp_path, capsys, "  - {t: 560, action: resuscitative_hysterotomy, by: o1}\n", duration=700)
    assert expected(late)["resuscitative_hysterotomy"] == "late"
    assert {i["id"]: i["met"] for i in late["indicators"]}["delivery_by_5_min"] is False
    assert flags(out) == [] and flags(late) == []


def test_a_resuscitative_hysterotomy_is_for_an_arrest(tmp_path, capsys):
    out = labour(tmp_path, capsys, "  - {t: 200, action: resuscitative_hysterotomy, by: o1}\n", duration=300)
    assert flags(out) == [(200, "resuscitative_hysterotomy", "not_before")]
    assert "before a cardiac arrest" in out["flags"][0]["message"]


def test_an_infusions_volume_carried_forward_equals_counting_it_again():
    """``infused_ml`` carries an infusion's volume forward between calls (a 100,000-action
    script went from 7 s to 37 s counting it again every time); the carried value must equal a
    count from scratch after every entry — rate set, doubled, stopped, restarted, out of order."""
    import random

    from simtool.core.events import Event
    from simtool.core.rules import ActionLog, infused_ml
    cat = load_scenario(LAST).catalogue
    line = "lipid_infusion_start"
    rng = random.Random(7)
    log, t, seq = ActionLog(), 0.0, 0
    for _ in range(300):
        t += rng.choice((0.0, 5.0, 30.0, 61.5))
        seq += 1
        kind = rng.choice((line, line, "lipid_infusion_double", "lipid_infusion_stop"))
        log.add(Event(seq, t, "action", action=kind, dose=rng.choice((15.0, 17.5, 30.0)) if kind == line else None))
        for at in (t, t + 12.5):
            carried = infused_ml(line, at, cat, log)
            fresh = ActionLog(log.ordered)              # nothing carried: counted from the start
            assert abs(carried - infused_ml(line, at, cat, fresh)) < 1e-9, (seq, at)
    # an earlier moment, then a retraction: counted again, never from a stale carry
    assert abs(infused_ml(line, t / 2, cat, log) - infused_ml(line, t / 2, cat, ActionLog(log.ordered))) < 1e-9
    log.remove(log.ordered[3])
    assert abs(infused_ml(line, t, cat, log) - infused_ml(line, t, cat, ActionLog(log.ordered))) < 1e-9
