"""Issue 18, the uterotonics, fluids and conditions of the PPH drill as a clinician would sign
them off: each item played as a drill script through ``simtool run --json`` (the command a
site runs), and the flags, vitals, expected actions and indicators it changes read off the
JSON.

1. oxytocin: an IV push is at most 5 IU, slowly; an infusion 10–40 IU diluted; IM 10 IU; 60 U
   in 24 h (CMA); three 40 IU doses in a minute are flagged and are not "oxytocin per
   protocol"; a rapid IV bolus drops the blood pressure and raises the heart rate for a while;
2. carbetocin (卡贝缩宫素): 100 µg IV or IM, once, for prevention;
3. contraindications and ranges: carboprost (asthma, cardiac disease, glaucoma; into the
   myometrium allowed), ergometrine (0.2 mg, IM, not in hypertension, pre-eclampsia or cardiac
   disease), misoprostol (200–600 µg not flagged; caps 800 µg SL/PO, 1000 µg PR), tranexamic
   acid (the 3 h limit is for the first dose), clear fluid (2 L of crystalloid before blood,
   3.5 L in all);
7. errors have consequences: carboprost in asthma brings bronchospasm, ergometrine in
   hypertension or pre-eclampsia raises the blood pressure, a uterotonic works by its dose;
8. pre-eclampsia, cardiac disease and glaucoma can be chosen, and magnesium sulfate with its
   toxicity and its antidote;
13. the warning line is a setting of the scenario: 500 mL, or 400 mL in the staged-response
    variant.
(Item 12, the Chinese terms, is tests/test_glossary.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simtool.cli import main

from helpers.paths import PPH, RUBRICS, SCRIPTS

DRUG_SCRIPTS = SCRIPTS / "drugs"
TEAM = """participants:
  - {id: t1, name: Li Na, role: midwife}
  - {id: t2, name: Wang Fang, role: obstetrician}
  - {id: t3, name: Chen Jie, role: anaesthetist}
"""
DETECTED = 750  # s: the healthy woman reaches 500 mL at 40 mL/min


def run(capsys, tmp_path: Path, script: str | Path, *options: str) -> dict:
    """``simtool run PPH --script SCRIPT --json OPTIONS``: the parsed JSON (exit 0 asserted)."""
    if isinstance(script, str):
        path = tmp_path / "script.yaml"
        path.write_text(script, encoding="utf-8")
        script = path
    code = main(["run", str(PPH), "--script", str(script), "--json", *options])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def actions(*lines: str, duration: int = 1500) -> str:
    """A script: the team, and these actions (none: the team does nothing)."""
    if not lines:
        return f"duration_s: {duration}\n{TEAM}actions: []\n"
    return f"duration_s: {duration}\n{TEAM}actions:\n" + "".join(f"  - {line}\n" for line in lines)


def flags(out: dict, action: str | None = None) -> list[tuple[float, str]]:
    return [(f["t"], f["kind"]) for f in out["flags"] if action is None or f["action"] == action]


def kinds(out: dict, action: str | None = None) -> set[str]:
    return {k for _t, k in flags(out, action)}


def message(out: dict, kind: str, action: str | None = None) -> str:
    return next(f["message"] for f in out["flags"] if f["kind"] == kind and (action is None or f["action"] == action))


def vitals_at(out: dict, t: float) -> dict:
    return next(v for v in out["vitals"] if v["t"] == t)


def indicator(out: dict, ind_id: str) -> dict:
    return next(i for i in out["indicators"] if i["id"] == ind_id)


def expected(out: dict, ex_id: str) -> str:
    return next(e["status"] for e in out["expected"] if e["id"] == ex_id)


def markers(out: dict) -> dict[str, float]:
    return {e["text"]: e["t"] for e in out["events"] if e["kind"] == "marker"}


def detected_at(out: dict) -> float:
    return next(s["t"] for s in out["states"] if s["state"] == "pph_detected")


# --- 1. oxytocin ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("dose", "route", "flagged"), [
    (5, "IV", set()),                                   # RCOG GTG 52: 5 IU by slow IV injection
    (10, "IV", {"max_single"}),                         # a larger IV push
    (20, "IV", {"max_single"}),                         # the unsafe "20 U IV push" is never accepted
    (10, "IV infusion", set()), (40, "IV infusion", set()),  # 10–40 IU diluted in 500–1000 mL
    (45, "IV infusion", {"max_single", "dose_range"}),
    (10, "IM", set()), (20, "IM", {"max_single"}),
])
def test_oxytocin_by_route(capsys, tmp_path, dose, route, flagged):
    out = run(capsys, tmp_path, actions(f"{{t: 770, action: oxytocin, dose: {dose}, unit: IU, route: {route}, by: midwife}}"))
    assert kinds(out) == flagged
    if route == "IV" and flagged:
        assert "at most 5 IU" in message(out, "max_single") and "hypotension" in message(out, "max_single")


def test_oxytocin_over_60_units_in_24_hours_is_flagged_the_prophylactic_dose_counting(capsys, tmp_path):
    sixty = [
        "{t: 60, action: oxytocin, dose: 10, unit: IU, route: IM, by: midwife}",            # prophylaxis
        "{t: 770, action: oxytocin, dose: 40, unit: IU, route: IV infusion, by: midwife}",
        "{t: 1000, action: oxytocin, dose: 10, unit: IU, route: IM, by: midwife}",          # 60 U: the limit
    ]
    assert flags(run(capsys, tmp_path, actions(*sixty))) == []
    out = run(capsys, tmp_path, actions(*sixty, "{t: 1200, action: oxytocin, dose: 5, unit: IU, route: IV, by: midwife}"))
    assert flags(out) == [(1200, "max_total")]
    assert message(out, "max_total").startswith("Oxytocin 65 IU within 24 hours — above the limit of 60 U in 24 h")


@pytest.mark.parametrize("route", ["IV", "IV infusion"])
def test_three_40_iu_doses_within_a_minute_are_flagged_and_not_oxytocin_per_protocol(capsys, tmp_path, route):
    script = actions("{t: 760, action: call_for_help, by: midwife}",
                     *(f"{{t: {t}, action: oxytocin, dose: 40, unit: IU, route: {route}, by: midwife}}"
                       for t in (770, 790, 810)))
    out = run(capsys, tmp_path, script, "--rubric", str(RUBRICS / "pph_uterine_atony_technical.yaml"))
    got = flags(out, "oxytocin")
    assert (790, "max_total") in got and (810, "max_total") in got      # 80 and 120 U: over 60 U
    if route == "IV":                                                   # and each one a 40 IU push
        assert [t for t, k in got if k == "max_single"] == [770, 790, 810]
    assert indicator(out, "oxytocin_per_protocol")["met"] is False
    items = {i["id"]: i for i in out["score"]["team"]["items"]}
    assert items["oxytocin_per_protocol"]["status"] == "not met"
    assert items["no_unsafe_drug"]["status"] == "not met"


def test_one_correct_dose_is_oxytocin_per_protocol(capsys, tmp_path):
    out = run(capsys, tmp_path, actions("{t: 770, action: oxytocin, dose: 40, unit: IU, route: IV infusion, by: midwife}"))
    assert flags(out) == [] and indicator(out, "oxytocin_per_protocol")["met"] is True


def test_a_rapid_iv_bolus_drops_the_blood_pressure_and_raises_the_heart_rate_for_a_few_minutes(capsys, tmp_path):
    push = run(capsys, tmp_path, actions("{t: 600, action: oxytocin, dose: 10, unit: IU, route: IV, by: midwife}"))
    slow = run(capsys, tmp_path, actions("{t: 600, action: oxytocin, dose: 5, unit: IU, route: IV, by: midwife}"))
    for t in (600, 615):   # nothing before it acts
        assert (vitals_at(push, t)["sbp"], vitals_at(push, t)["hr"]) == (vitals_at(slow, t)["sbp"], vitals_at(slow, t)["hr"])
    for t in (700, 800):   # within a minute or two: hypotension and tachycardia
        assert vitals_at(push, t)["sbp"] <= vitals_at(slow, t)["sbp"] - 25
        assert vitals_at(push, t)["hr"] >= vitals_at(slow, t)["hr"] + 20
    # transient: gone some minutes later (the uterus responded the same to both doses)
    later = 600 + 20 + 240 + 40 + 5
    assert abs(vitals_at(push, later)["sbp"] - vitals_at(slow, later)["sbp"]) <= 1
    assert abs(vitals_at(push, later)["hr"] - vitals_at(slow, later)["hr"]) <= 1


# --- 2. carbetocin -------------------------------------------------------------------------------

def test_carbetocin_prevents_a_haemorrhage_without_a_flag(capsys, tmp_path):
    none = run(capsys, tmp_path, actions(duration=1500))
    prevented = run(capsys, tmp_path, actions("{t: 60, action: carbetocin, dose: 100, unit: µg, route: IV, by: midwife}"))
    assert flags(prevented) == []
    assert prevented["outcome"]["blood_loss_ml"] < none["outcome"]["blood_loss_ml"] - 200


def test_carbetocin_is_for_prevention_one_dose_of_100_micrograms(capsys, tmp_path):
    late = run(capsys, tmp_path, actions("{t: 760, action: call_for_help, by: midwife}",
                                         "{t: 770, action: carbetocin, dose: 100, unit: µg, route: IM, by: midwife}"))
    assert flags(late) == [(770, "indication")]
    assert "for preventing PPH" in message(late, "indication")
    assert expected(late, "first_uterotonic") == "missed"         # not the treatment of a PPH
    twice = run(capsys, tmp_path, actions("{t: 30, action: carbetocin, dose: 100, unit: µg, route: IV, by: midwife}",
                                          "{t: 300, action: carbetocin, dose: 200, unit: µg, route: IV infusion, by: midwife}"))
    assert set(flags(twice)) == {(300, "max_doses"), (300, "max_single"), (300, "dose_range"), (300, "route")}


@pytest.mark.parametrize("condition", ["preeclampsia", "cardiac_disease"])
def test_carbetocin_in_pre_eclampsia_or_cardiac_disease_is_contraindicated(capsys, tmp_path, condition):
    out = run(capsys, tmp_path, actions("{t: 30, action: carbetocin, dose: 100, unit: µg, route: IV, by: midwife}"),
              "--condition", condition)
    assert flags(out) == [(30, "contraindication")]


# --- 3. contraindications and ranges -------------------------------------------------------------

CARBOPROST = "{t: 770, action: carboprost, dose: 250, unit: µg, route: IM, by: obstetrician}"


@pytest.mark.parametrize("condition", ["asthma", "cardiac_disease", "glaucoma"])
def test_carboprost_is_contraindicated_in_asthma_cardiac_disease_and_glaucoma(capsys, tmp_path, condition):
    out = run(capsys, tmp_path, actions(CARBOPROST), "--condition", condition,
              "--rubric", str(RUBRICS / "pph_uterine_atony_technical.yaml"))
    assert flags(out) == [(770, "contraindication")]
    team = out["score"]["team"]
    gate = next(i for i in team["items"] if i["id"] == "no_contraindicated_drug")
    assert gate["status"] == "not met" and gate["critical"]
    assert team["verdict"]["result"] == "fail"


def test_carboprost_into_the_myometrium_is_a_route(capsys, tmp_path):
    out = run(capsys, tmp_path, actions(CARBOPROST.replace("route: IM", "route: intramyometrial")))
    assert flags(out) == []


ERGOMETRINE = "{t: 770, action: methylergonovine, dose: 0.2, unit: mg, route: IM, by: obstetrician}"


def test_ergometrine_one_dose_of_0_2_mg_im(capsys, tmp_path):
    assert flags(run(capsys, tmp_path, actions(ERGOMETRINE))) == []
    big = run(capsys, tmp_path, actions(ERGOMETRINE.replace("0.2", "0.5")))
    assert kinds(big) == {"max_single", "dose_range"}
    assert "a single dose is 0.2 mg" in message(big, "max_single")
    push = run(capsys, tmp_path, actions(ERGOMETRINE.replace("route: IM", "route: IV")))
    assert flags(push) == [(770, "route")]


@pytest.mark.parametrize("condition", ["hypertension", "preeclampsia", "cardiac_disease"])
def test_ergometrine_is_contraindicated_in_hypertension_pre_eclampsia_and_cardiac_disease(capsys, tmp_path, condition):
    out = run(capsys, tmp_path, actions(ERGOMETRINE), "--condition", condition)
    assert "contraindication" in kinds(out)


@pytest.mark.parametrize(("dose", "route", "flagged"), [
    (200, "SL", set()), (400, "SL", set()), (600, "PO", set()),   # the CMA's 200–600 µg
    (800, "SL", set()),                                            # WHO: 800 µg SL
    (1000, "SL", {"max_single"}), (1000, "PO", {"max_single"}),
    (1000, "PR", set()), (1200, "PR", {"max_single", "dose_range"}),
])
def test_misoprostol_doses(capsys, tmp_path, dose, route, flagged):
    out = run(capsys, tmp_path, actions(f"{{t: 770, action: misoprostol, dose: {dose}, unit: µg, route: {route}, by: obstetrician}}"))
    assert kinds(out) == flagged


def test_the_3_hour_limit_of_tranexamic_acid_is_for_the_first_dose(capsys, tmp_path):
    txa = "{{t: {t}, action: tranexamic_acid, dose: 1, unit: g, route: IV, by: anaesthetist}}"
    # started at 2 h 50 min, repeated 35 min later (past 3 h) while bleeding continues: WOMAN
    ok = run(capsys, tmp_path, actions(txa.format(t=10200), txa.format(t=12300), duration=12400))
    assert flags(ok) == []
    late = run(capsys, tmp_path, actions(txa.format(t=10900), duration=11000))
    assert flags(late) == [(10900, "window")]
    soon = run(capsys, tmp_path, actions(txa.format(t=900), txa.format(t=2000), duration=2100))
    assert flags(soon) == [(2000, "min_interval")]


FLUID = "{{t: {t}, action: {action}, dose: {ml}, unit: mL, route: IV, by: anaesthetist}}"


def test_over_2_litres_of_crystalloid_before_blood_is_flagged(capsys, tmp_path):
    two = [FLUID.format(t=780 + 60 * i, action="crystalloid_bolus", ml=500) for i in range(4)]
    assert flags(run(capsys, tmp_path, actions(*two))) == []
    out = run(capsys, tmp_path, actions(*two, FLUID.format(t=1100, action="crystalloid_bolus", ml=500)))
    assert flags(out) == [(1100, "max_total")]
    assert message(out, "max_total").startswith("Over 2 L of crystalloid before any red cells")
    # once red cells have been given, that limit is over
    blood = "{t: 1050, action: rbc_transfusion, dose: 2, unit: unit, route: IV, by: anaesthetist}"
    assert flags(run(capsys, tmp_path, actions(*two, blood, FLUID.format(t=1100, action="crystalloid_bolus", ml=500)))) == []


def test_over_3_5_litres_of_clear_fluid_in_all_is_flagged(capsys, tmp_path):
    blood = "{t: 900, action: rbc_transfusion, dose: 2, unit: unit, route: IV, by: anaesthetist}"
    fluids = [FLUID.format(t=780, action="crystalloid_bolus", ml=2000), blood,
              FLUID.format(t=1000, action="colloid_bolus", ml=1000),
              FLUID.format(t=1100, action="crystalloid_bolus", ml=500)]          # 3.5 L: the limit
    assert flags(run(capsys, tmp_path, actions(*fluids))) == []
    out = run(capsys, tmp_path, actions(*fluids, FLUID.format(t=1200, action="colloid_bolus", ml=500)))
    assert flags(out) == [(1200, "max_total")]
    assert "3.5 L of clear fluid" in message(out, "max_total")


# --- 7. errors have consequences -----------------------------------------------------------------

def test_carboprost_in_asthma_brings_bronchospasm_and_still_contracts_the_uterus(capsys, tmp_path):
    asthmatic = run(capsys, tmp_path, actions(CARBOPROST), "--condition", "asthma")
    healthy = run(capsys, tmp_path, actions(CARBOPROST))
    none = run(capsys, tmp_path, actions(), "--condition", "asthma")
    assert markers(asthmatic)["bronchospasm"] == 770 + 120          # the instructor's cue: wheeze
    assert "bronchospasm" not in markers(healthy)
    cue = next(m for m in asthmatic["events"] if m["kind"] == "marker" and m["text"] == "bronchospasm")
    assert cue["t"] == 890
    for t in (1000, 1200):
        sick, well = vitals_at(asthmatic, t), vitals_at(healthy, t)
        assert sick["spo2"] <= well["spo2"] - 6 and sick["rr"] >= well["rr"] + 10
    # a contraindicated drug still acts on the uterus: less blood lost than with nothing
    assert asthmatic["outcome"]["blood_loss_ml"] == healthy["outcome"]["blood_loss_ml"]
    assert asthmatic["outcome"]["blood_loss_ml"] < none["outcome"]["blood_loss_ml"] - 100


@pytest.mark.parametrize("condition", ["hypertension", "preeclampsia"])
def test_ergometrine_in_hypertension_or_pre_eclampsia_raises_the_blood_pressure(capsys, tmp_path, condition):
    given = run(capsys, tmp_path, actions(ERGOMETRINE), "--condition", condition)
    oxytocin = run(capsys, tmp_path, actions(ERGOMETRINE.replace("methylergonovine, dose: 0.2, unit: mg",
                                                                 "oxytocin, dose: 10, unit: IU")),
                   "--condition", condition)
    before = vitals_at(given, 765)["sbp"]
    assert before >= 140                                              # her own hypertension
    after = vitals_at(given, 770 + 180 + 300 + 20)
    assert after["sbp"] >= vitals_at(oxytocin, after["t"])["sbp"] + 25
    assert after["dbp"] >= vitals_at(oxytocin, after["t"])["dbp"] + 15


def test_a_uterotonic_works_by_its_dose(capsys, tmp_path):
    dose = "{{t: 770, action: oxytocin, dose: {d}, unit: IU, route: IM, by: midwife}}"
    losses = [run(capsys, tmp_path, actions(dose.format(d=d)))["outcome"]["blood_loss_ml"] for d in (1, 2.5, 5, 10)]
    assert losses[0] > losses[1] > losses[2] == losses[3]             # full from 5 IU
    carbo = "{{t: 770, action: carboprost, dose: {d}, unit: µg, route: IM, by: obstetrician}}"
    half, full = (run(capsys, tmp_path, actions(carbo.format(d=d)))["outcome"]["blood_loss_ml"] for d in (125, 250))
    assert half > full


# --- 8. the conditions the rules name --------------------------------------------------------------

@pytest.mark.parametrize("condition", ["preeclampsia", "cardiac_disease", "glaucoma"])
def test_the_conditions_the_rules_name_can_be_chosen(capsys, tmp_path, condition):
    out = run(capsys, tmp_path, actions(), "--condition", condition)
    assert out["patient"]["conditions"] == [condition]
    by_variant = run(capsys, tmp_path, actions(), "--variant", condition)
    assert by_variant["patient"]["conditions"] == [condition]


def test_a_condition_the_drill_does_not_offer_is_refused_in_one_sentence(capsys, tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(actions(), encoding="utf-8")
    assert main(["run", str(PPH), "--script", str(path), "--json", "--condition", "anticoagulated"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "condition 'anticoagulated' is not offered by this scenario" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_an_oxytocin_push_in_cardiac_disease_is_contraindicated_an_infusion_is_not(capsys, tmp_path):
    push = run(capsys, tmp_path, actions("{t: 770, action: oxytocin, dose: 5, unit: IU, route: IV, by: midwife}"),
               "--condition", "cardiac_disease")
    assert flags(push) == [(770, "contraindication")]
    drip = run(capsys, tmp_path, actions("{t: 770, action: oxytocin, dose: 40, unit: IU, route: IV infusion, by: midwife}"),
               "--condition", "cardiac_disease")
    assert flags(drip) == []


def test_magnesium_sulfate_in_pre_eclampsia(capsys, tmp_path):
    out = run(capsys, tmp_path, DRUG_SCRIPTS / "magnesium_correct.yaml", "--condition", "preeclampsia")
    assert flags(out) == [] and expected(out, "magnesium") == "met"
    assert "magnesium_toxicity" not in markers(out)
    assert expected(out, "calcium_antidote") == "not applicable"
    # a healthy woman is not expected to have it
    assert expected(run(capsys, tmp_path, actions()), "magnesium") == "not applicable"


def test_too_much_magnesium_shows_toxicity_and_calcium_gluconate_reverses_it(capsys, tmp_path):
    out = run(capsys, tmp_path, DRUG_SCRIPTS / "magnesium_overdose.yaml", "--condition", "preeclampsia")
    assert sorted(flags(out)) == [(120, "dose_range"), (120, "max_single")]
    assert markers(out)["magnesium_toxicity"] == 120 + 300            # the cue: reflexes gone, RR <12
    slow = vitals_at(out, 600)
    assert slow["rr"] < 12
    assert expected(out, "calcium_antidote") == "met"                  # 10 % calcium gluconate at 8 min
    assert vitals_at(out, 800)["rr"] >= 14                             # breathing again


def test_magnesium_toxicity_left_untreated_is_a_missed_antidote(capsys, tmp_path):
    text = (DRUG_SCRIPTS / "magnesium_overdose.yaml").read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if "action: calcium" not in line) + "\n"
    out = run(capsys, tmp_path, text, "--condition", "preeclampsia")
    assert expected(out, "calcium_antidote") == "missed"
    assert vitals_at(out, 900)["rr"] < 12


# --- 13. the warning line --------------------------------------------------------------------------

def test_the_warning_line_is_500_ml_or_400_ml_in_the_staged_response_variant(capsys, tmp_path):
    assert detected_at(run(capsys, tmp_path, actions(duration=900))) == DETECTED         # 500 mL at 40 mL/min
    staged = run(capsys, tmp_path, actions(duration=900), "--variant", "warning_line_400")
    assert detected_at(staged) == 600                                                   # 400 mL
    assert staged["patient"]["variant"] == "warning_line_400"
    # the expected actions count from the earlier detection
    help_at = run(capsys, tmp_path, actions("{t: 700, action: call_for_help, by: midwife}", duration=1000),
                  "--variant", "warning_line_400")
    assert indicator(help_at, "warning_delay")["seconds"] == 100


def test_validate_unverified_lists_the_new_numbers(capsys):
    root = PPH.parents[1]
    assert main(["validate", "--unverified", str(root / "scenarios"), str(root / "rubrics")]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("unverified ")]

    def listed(*words: str) -> bool:
        return any(all(w in line for w in words) for line in lines)

    assert listed("actions.yaml", "absolute 60", "within_s 86400", "CMA")          # oxytocin 60 U / 24 h
    assert listed("actions.yaml", "absolute 5", "RCOG GTG 52")                    # the IV push
    assert listed("actions.yaml", "default 100, min 100, max 100", "carbetocin")  # carbetocin
    assert listed("actions.yaml", "absolute 2000", "crystalloid")                # 2 L before blood
    assert listed("actions.yaml", "absolute 3500", "RCOG GTG 52")                # 3.5 L in all
    assert listed("pph_uterine_atony.yaml", "value 400", "CMA 2023")             # the 400 mL option
    # an intervention's vitals changes are listed with it (the size of the harm is a design choice)
    assert listed("pph_uterine_atony.yaml", "action oxytocin, dose_above 5", "vitals.sbp -30")
    assert listed("pph_uterine_atony.yaml", "action carboprost", "vitals.spo2 -8")
    assert listed("pph_uterine_atony.yaml", "default 4, min 4, max 6") or \
        listed("actions.yaml", "default 4, min 4, max 6", "妊娠期高血压疾病诊治指南")  # magnesium


# --- the new flags in words, for a catalogue whose rules have no message of their own ---------------

@pytest.mark.parametrize(("rule", "values", "en", "zh_cn", "zh_tw"), [
    ("max_total", {"total": 65.0, "limit": 60, "unit": "IU", "within_s": 86400},   # durations as timefmt says them
     "Oxytocin: 65 IU within 1440 min exceeds the limit 60 IU",
     "缩宫素：1440 分钟内累计 65 IU，超过上限 60 IU", "催產素：1440 分鐘內累計 65 IU，超過上限 60 IU"),
    ("max_total", {"total": 2500.0, "limit": 2000, "unit": "mL", "before": ["Red cells"]},
     "Oxytocin: 2500 mL before Red cells exceeds the limit 2000 mL",
     "缩宫素：在Red cells之前累计 2500 mL，超过上限 2000 mL", "催產素：在Red cells之前累計 2500 mL，超過上限 2000 mL"),
    ("indication", {"after_s": 90.0, "marker": "detection"},
     "Oxytocin given 1 min 30 s after detection; it is indicated before detection",
     "缩宫素在detection后 1 分 30 秒给予；其适应证为detection之前",
     "催產素在detection後 1 分 30 秒給予；其適應症為detection之前"),
])
def test_the_new_flags_are_worded_in_three_languages(rule, values, en, zh_cn, zh_tw):
    from simtool.core.flagtext import words
    labels = {"en": "Oxytocin", "zh_CN": "缩宫素", "zh_TW": "催產素"}
    got = {lang: words(rule, values, labels[lang], lang) for lang in labels}
    assert got == {"en": en, "zh_CN": zh_cn, "zh_TW": zh_tw}
