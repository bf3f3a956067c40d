"""The PPH uterine-atony drill played headless: good, late and absent care end as a clinician
would expect, the safety flags of CLINICAL.md §1 are raised, and runs are reproducible."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from simtool.cli import main
from simtool.core.drill import Drill, PatientParams
from simtool.core.errors import DrillError, ScenarioError
from simtool.core.runner import result, run_script
from simtool.core.scenario import load_scenario
from simtool.core.script import load_script

from helpers.paths import PPH, ROOT, SCRIPTS


def play(pph, script_text: str, tmp_path: Path, conditions=(), weight=65.0):
    path = tmp_path / "script.yaml"
    path.write_text(script_text, encoding="utf-8")
    script = load_script(path, pph)
    drill, samples = run_script(pph, script, PatientParams(weight, tuple(conditions)))
    return drill, result(drill, samples)


def run_file(pph, name: str, conditions=()):
    script = load_script(SCRIPTS / name, pph)
    drill, samples = run_script(pph, script, PatientParams(65.0, tuple(conditions)))
    return drill, result(drill, samples)


# expected only of a woman with pre-eclampsia (and after magnesium toxicity): not applicable here
PREECLAMPSIA_ONLY = {"magnesium": "not applicable", "calcium_antidote": "not applicable"}
# expected only in a maternal cardiac arrest (issue 18, item 10; tests/core/test_pph_mdt_arrest.py)
ARREST_ONLY = {"cpr": "not applicable", "left_uterine_displacement": "not applicable"}
# expected only once blood is given or the laboratory reports (issue 18, items 4 and 5;
# tests/core/test_pph_blood_labs.py): not applicable where no sample and few units were given
BLOOD_LABS_ONLY = {"ffp_after_4_rbc": "not applicable", "fibrinogen_replacement": "not applicable",
                   "calcium_massive_transfusion": "not applicable"}


def statuses(out):
    return {e["id"]: e["status"] for e in out["expected"]}


def indicators(out):
    return {i["id"]: i for i in out["indicators"]}


def test_good_care_stops_the_bleeding_early(pph):
    _, out = run_file(pph, "good_care.yaml")
    assert out["outcome"]["result"] == "stabilised"
    assert 500 <= out["outcome"]["blood_loss_ml"] <= 1000
    assert [s["state"] for s in out["states"]] == ["postpartum_bleeding", "pph_detected", "bleeding_controlled"]
    assert statuses(out) == {"call_for_help": "met", "first_uterotonic": "met", "txa": "met",
                             "motive_bundle": "met", "second_line": "not applicable",
                             "massive_transfusion": "not applicable", "mdt_activation": "not applicable",
                             **ARREST_ONLY, **PREECLAMPSIA_ONLY,
                             **BLOOD_LABS_ONLY}
    ind = indicators(out)
    assert ind["warning_delay"]["met"] is True and ind["warning_delay"]["seconds"] == 10
    assert ind["oxytocin_per_protocol"]["met"] is True
    assert ind["time_to_mtp"]["met"] is None  # never needed
    assert out["flags"] == []
    # she never leaves ATLS class II
    assert max(v["hr"] for v in out["vitals"]) < 120
    assert min(v["sbp"] for v in out["vitals"]) >= 100


def test_late_care_ends_in_theatre_after_a_large_loss(pph):
    _, out = run_file(pph, "late_care.yaml")
    states = [s["state"] for s in out["states"]]
    assert states == ["postpartum_bleeding", "pph_detected", "refractory_bleeding",
                      "massive_haemorrhage", "theatre", "bleeding_controlled"]
    assert out["outcome"]["result"] == "stabilised"
    assert 1500 < out["outcome"]["blood_loss_ml"] <= 2500
    assert statuses(out) == {"call_for_help": "late", "first_uterotonic": "late", "txa": "late",
                             "motive_bundle": "missed", "second_line": "missed",
                             "massive_transfusion": "met", "mdt_activation": "missed",
                             **ARREST_ONLY, **PREECLAMPSIA_ONLY, **BLOOD_LABS_ONLY}
    ind = indicators(out)
    assert ind["warning_delay"]["seconds"] == 810 and ind["warning_delay"]["met"] is False
    assert ind["time_to_txa"]["met"] is False
    # class II at worst (fluids and blood given before she reached class III): tachycardic
    # with her blood pressure kept, as pregnancy does
    worst = max(out["vitals"], key=lambda v: v["hr"])
    assert 100 <= worst["hr"] <= 120 and worst["sbp"] >= 110


def test_absent_care_deteriorates_into_class_iv_shock_arrests_and_dies(pph):
    _, out = run_file(pph, "absent_care.yaml")
    # class IV shock at 2575 s, left so for 5 min: a PEA arrest, and 10 min later death
    assert [(s["t"], s["state"]) for s in out["states"]][-3:] == \
        [(2575, "deterioration"), (2875, "cardiac_arrest"), (3475, "death")]
    assert out["outcome"]["result"] == "death"
    assert out["outcome"]["blood_loss_ml"] > 0.40 * 6500
    not_due = {**PREECLAMPSIA_ONLY, **BLOOD_LABS_ONLY}
    assert {k: v for k, v in statuses(out).items() if k not in not_due} == \
        {k: "missed" for k in statuses(out) if k not in not_due}
    assert all(i["met"] is False for i in out["indicators"] if i["id"] != "ffp_dose_after_rbc")
    shock = next(v for v in out["vitals"] if v["t"] == 2870)  # the last moments before the arrest
    assert shock["hr"] > 140 and shock["sbp"] < 90 and shock["shock_index"] >= 1.4
    assert out["vitals"][-1]["rhythm"] == "asystole"


def test_vitals_follow_the_contract(pph):
    _, out = run_file(pph, "good_care.yaml")
    assert len(out["vitals"]) == 3600 // 5 + 1
    keys = {"t", "hr", "sbp", "dbp", "map", "spo2", "rr", "etco2", "temp_c", "rhythm",
            "blood_loss_ml", "blood_volume_ml", "shock_index"}
    assert all(keys <= set(v) for v in out["vitals"])
    assert [v["t"] for v in out["vitals"][:3]] == [0, 5, 10]
    assert out["patient"]["blood_volume_ml"] == 6500  # 65 kg × 100 mL/kg at term


def test_detection_at_500_ml_or_300_ml_with_abnormal_signs(pph, tmp_path):
    _, normal = play(pph, "duration_s: 900\n", tmp_path)
    assert next(s["t"] for s in normal["states"] if s["state"] == "pph_detected") == 750  # 500 mL at 40 mL/min
    # the same scenario for a woman who is already tachycardic (HR 112): 300 mL is enough
    text = PPH.read_text(encoding="utf-8").replace("baseline: {hr: 82,", "baseline: {hr: 112,")
    assert "hr: 112" in text
    (tmp_path / "tachy.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "actions.yaml").write_text((PPH.parent / "actions.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    tachy = load_scenario(tmp_path / "tachy.yaml")
    _, early = play(tachy, "duration_s: 900\n", tmp_path)
    assert next(s["t"] for s in early["states"] if s["state"] == "pph_detected") == pytest.approx(450, abs=1)  # 300 mL


# --- flags (CLINICAL.md §1: errors a scenario must flag) ------------------------------------

def flag_kinds(out, action):
    return [f["kind"] for f in out["flags"] if f["action"] == action]


def test_carboprost_in_asthma_is_flagged(pph, tmp_path):
    text = "duration_s: 900\nactions:\n  - {t: 800, action: carboprost, dose: 250, unit: ug, route: IM}\n"
    _, asthmatic = play(pph, text, tmp_path, conditions=["asthma"])
    _, healthy = play(pph, text, tmp_path)
    assert flag_kinds(asthmatic, "carboprost") == ["contraindication"]
    assert "asthma" in asthmatic["flags"][0]["message"].lower()
    assert healthy["flags"] == []


def test_methylergonovine_in_hypertension_is_flagged(pph, tmp_path):
    text = "duration_s: 900\nactions:\n  - {t: 800, action: methylergonovine, dose: 0.2, unit: mg, route: IM}\n"
    _, hypertensive = play(pph, text, tmp_path, conditions=["hypertension"])
    _, healthy = play(pph, text, tmp_path)
    assert "contraindication" in flag_kinds(hypertensive, "methylergonovine")
    assert healthy["flags"] == []


def test_tranexamic_acid_after_three_hours_is_flagged(pph, tmp_path):
    late = "duration_s: 11000\nactions:\n  - {t: 10900, action: tranexamic_acid, dose: 1, unit: g, route: IV}\n"
    early = "duration_s: 2000\nactions:\n  - {t: 1000, action: tranexamic_acid, dose: 1000, unit: mg, route: IV}\n"
    _, out_late = play(pph, late, tmp_path)
    _, out_early = play(pph, early, tmp_path)
    assert flag_kinds(out_late, "tranexamic_acid") == ["window"]
    assert out_early["flags"] == []


def test_second_tranexamic_acid_dose_within_30_minutes_is_flagged(pph, tmp_path):
    text = ("duration_s: 4000\nactions:\n"
            "  - {t: 800, action: tranexamic_acid, dose: 1, unit: g, route: IV}\n"
            "  - {t: 2000, action: tranexamic_acid, dose: 1, unit: g, route: IV}\n")
    _, out = play(pph, text, tmp_path)
    assert flag_kinds(out, "tranexamic_acid") == ["min_interval"]
    ok = text.replace("t: 2000", "t: 2700")
    _, out_ok = play(pph, ok, tmp_path)
    assert out_ok["flags"] == []


def test_carboprost_too_soon_and_ninth_dose_are_flagged(pph, tmp_path):
    times = [800 + 900 * i for i in range(9)]
    times[1] = 800 + 600  # second dose only 10 min after the first
    times = sorted(set(times))
    lines = "".join(f"  - {{t: {t}, action: carboprost, dose: 250, unit: µg, route: IM}}\n" for t in times)
    _, out = play(pph, f"duration_s: {times[-1] + 10}\nactions:\n{lines}", tmp_path)
    kinds = flag_kinds(out, "carboprost")
    assert kinds.count("min_interval") == 1
    assert "max_doses" in kinds
    ninth = [f for f in out["flags"] if f["kind"] == "max_doses"]
    assert ninth and ninth[0]["t"] == times[8]


def test_flags_never_block_the_action(pph, tmp_path):
    text = "duration_s: 1200\nactions:\n  - {t: 800, action: carboprost, dose: 250, unit: ug, route: IM}\n"
    drill, out = play(pph, text, tmp_path, conditions=["asthma"])
    assert [e["action"] for e in out["events"] if e["kind"] == "action"] == ["carboprost"]
    # the drug still acts: 60 mL/min in pph_detected, halved by carboprost after its onset
    assert drill.state == "pph_detected" and drill.bleed_ml_min() == pytest.approx(30)


def test_a_dose_in_an_unconvertible_unit_is_a_clear_error(pph, tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("duration_s: 900\nactions:\n  - {t: 800, action: oxytocin, dose: 10, unit: mg}\n",
                    encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_script(path, pph)
    assert str(info.value) == f"{path}:3: actions[0].unit: cannot convert mg (mass) to IU (activity) for oxytocin"


# --- set-up checks ---------------------------------------------------------------------------

def test_weight_and_conditions_are_checked(pph):
    with pytest.raises(DrillError, match="outside 40–150 kg"):
        Drill(pph, PatientParams(20))
    # (cardiac disease, pre-eclampsia and glaucoma are offered now: their rules can fire)
    with pytest.raises(DrillError, match="condition 'anticoagulated' is not offered"):
        Drill(pph, PatientParams(65, ("anticoagulated",)))


def test_weight_changes_blood_volume_and_course(pph, tmp_path):
    _, light = play(pph, "duration_s: 3600\n", tmp_path, weight=50)
    _, heavy = play(pph, "duration_s: 3600\n", tmp_path, weight=100)
    assert light["patient"]["blood_volume_ml"] == 5000
    t_light = next(s["t"] for s in light["states"] if s["state"] == "deterioration")
    t_heavy = next((s["t"] for s in heavy["states"] if s["state"] == "deterioration"), None)
    assert t_heavy is None or t_heavy > t_light


# --- determinism and replay -------------------------------------------------------------------

def test_same_run_twice_prints_byte_identical_json():
    cmd = [sys.executable, "-m", "simtool", "run", str(PPH), "--script",
           str(SCRIPTS / "late_care.yaml"), "--json", "--condition", "asthma"]
    first = subprocess.run(cmd, capture_output=True, check=True, cwd=ROOT).stdout
    second = subprocess.run(cmd, capture_output=True, check=True, cwd=ROOT).stdout
    assert first == second
    assert json.loads(first)["outcome"]["result"] == "stabilised"


def test_replaying_the_recorded_events_reproduces_states_and_vitals(pph):
    script = load_script(SCRIPTS / "late_care.yaml", pph)
    drill, _ = run_script(pph, script, PatientParams(72, ("asthma",)))
    inputs = [e for e in drill.events]
    # a live drill: ticks in odd chunks, with a pause, a retraction and a forced state
    live = Drill(pph, PatientParams(72, ("asthma",)), drill.participants)
    trace = []
    for i, e in enumerate(inputs):
        if e.kind not in ("action", "end"):
            continue
        while live.t + 0.37 < e.t:
            live.tick(0.37)
            trace.append((live.t, live.state, live.vitals()))
        live.advance_to(e.t)
        if e.kind == "action":
            ev = live.act(e.action, by=e.role, dose=e.dose, unit=e.unit, route=e.route)
            if i == 3:
                live.pause()
                live.tick(30)  # nothing moves while paused
                live.resume()
                live.retract(ev.iid, reason="logged by mistake")
                live.act(e.action, by=e.role, dose=e.dose, unit=e.unit, route=e.route)
    live.force("theatre", reason="instructor moves to theatre")
    live.tick(100)
    live.end()
    replayed = Drill.replay(pph, live.patient, live.participants, live.events)
    assert replayed.state == live.state
    assert replayed.vitals() == live.vitals()
    assert replayed.physiology.state() == live.physiology.state()
    assert [e.to_dict() for e in replayed.events] == [e.to_dict() for e in live.events]
    # and at any moment along the way, not only at the end
    for t, state, vitals in trace[::400]:
        partial = Drill.replay(pph, live.patient, live.participants,
                               [e for e in live.events if e.t < t], until=t)
        assert (partial.state, partial.vitals()) == (state, vitals), t


def test_run_prints_events_and_a_summary(capsys):
    assert main(["run", str(PPH), "--script", str(SCRIPTS / "good_care.yaml")]) == 0
    out = capsys.readouterr().out
    assert "12:40 action call_for_help midwife" in out
    assert "outcome: stabilised in state bleeding_controlled" in out


def test_run_rejects_bad_options_with_a_message(capsys):
    assert main(["run", str(PPH), "--script", str(SCRIPTS / "good_care.yaml"), "--weight", "10"]) == 1
    assert "weight 10 kg is outside 40–150 kg" in capsys.readouterr().err
    assert main(["run", str(PPH), "--script", "missing.yaml"]) == 1
    assert "missing.yaml" in capsys.readouterr().err
