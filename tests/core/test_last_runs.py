"""The LAST nerve-block drill played headless (CLINICAL.md §3): good, poor and lipid-less care
end as a clinician would expect; variants and branches follow their course; the safety flags
(local anaesthetic overdose by weight, forbidden drugs, epinephrine above 1 µg/kg, lipid dose
off by more than 20 %, the 12 mL/kg lipid ceiling) are raised; and the OSCE rubric scores the
runs as computed by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from simtool.core.drill import PatientParams
from simtool.core.rubric import load_rubric
from simtool.core.runner import result, run_script
from simtool.core.scenario import load_scenario
from simtool.core.scoresheet import TEAM_SHEET
from simtool.core.scoring import score
from simtool.core.script import load_script

from helpers.paths import ROOT, SCENARIOS

LAST = SCENARIOS / "last_nerve_block.yaml"
SCRIPTS = ROOT / "tests" / "scripts" / "last_nerve_block"
RUBRIC = ROOT / "rubrics" / "last_nerve_block_technical.yaml"


@pytest.fixture(scope="module")
def last():
    return load_scenario(LAST)


@pytest.fixture(scope="module")
def rubric(last):
    return load_rubric(RUBRIC, last)


def run_file(last, name: str, weight: float, variant: str | None = None):
    drill, samples = run_script(last, load_script(SCRIPTS / name, last), PatientParams(weight, (), variant))
    return drill, result(drill, samples)


def play(last, tmp_path: Path, text: str, weight: float = 70.0, variant: str | None = None):
    path = tmp_path / "script.yaml"
    path.write_text(text, encoding="utf-8")
    drill, samples = run_script(last, load_script(path, last), PatientParams(weight, (), variant))
    return drill, result(drill, samples)


def states(out):
    return [(s["t"], s["state"]) for s in out["states"]]


def statuses(out):
    return {e["id"]: e["status"] for e in out["expected"]}


def indicators(out):
    return {i["id"]: (i["seconds"], i["met"]) for i in out["indicators"]}


def flags(out):
    return [(f["t"], f["action"], f["kind"]) for f in out["flags"]]


def markers(out):
    return {e["text"]: e["t"] for e in out["events"] if e["kind"] == "marker"}


# --- the three scripted runs -----------------------------------------------------------------

def test_good_care_restores_the_circulation_before_the_qrs_widens(last):
    _, out = run_file(last, "good_care.yaml", 70, "classic")
    assert out["outcome"]["result"] == "stabilised"
    assert states(out) == [(0, "injecting"), (60, "prodrome"), (120, "seizure"), (125, "seizure_controlled"),
                           (240, "bradycardia"), (320, "circulation_restored")]
    # lipid at 140 s takes effect 180 s later, at 320 s, before the QRS widens (330 s)
    # the circulation counts as stable (for the lipid infusion's 10 min) once the pressure is back
    assert markers(out) == {"injection": 0, "prodrome_onset": 60, "first_sign": 60, "seizure_onset": 120,
                            "serious_sign": 120, "cv_onset": 240, "circulation_stable": 350}
    assert flags(out) == []
    assert statuses(out) == {
        "stop_injection": "met", "call_for_help": "met", "last_kit": "met", "oxygen": "met",
        "benzodiazepine": "met", "lipid_bolus": "met", "lipid_infusion": "met",
        "lipid_repeat_bolus": "not applicable", "lipid_infusion_doubled": "not applicable",
        "bypass_team": "met", "cpr": "not applicable", "defibrillate": "not applicable",
        "ventilate_total_spinal": "not applicable", "decompress_chest": "not applicable"}
    assert indicators(out) == {"time_to_help": (10, True), "time_to_lipid": (20, True),
                               "lipid_dose_correct": (20, True), "time_to_benzodiazepine": (5, True),
                               "time_to_cpr": (None, None)}
    rhythms = {v["rhythm"] for v in out["vitals"]}
    assert "sinus_bradycardia" in rhythms and not rhythms & {"wide_qrs", "vt", "vf"}
    assert out["vitals"][-1]["rhythm"] == "sinus"
    assert out["patient"]["blood_volume_ml"] == 4900  # 70 kg × 70 mL/kg, not pregnant


def test_poor_care_raises_every_safety_flag_and_reaches_rosc_late(last):
    _, out = run_file(last, "poor_care.yaml", 80)
    assert out["outcome"]["result"] == "stabilised" and out["outcome"]["state"] == "rosc"
    # lipid at 600 s reaches the heart with CPR at 780 s; VF still needs the shock (790 s)
    assert states(out) == [(0, "injecting"), (60, "prodrome"), (120, "seizure"), (240, "bradycardia"),
                           (330, "wide_qrs"), (420, "ventricular_tachycardia"), (480, "cardiac_arrest"),
                           (780, "vf_lipid_on_board"), (790, "rosc")]
    assert flags(out) == [
        (0, "bupivacaine", "max_total"),               # 200 mg > min(2.5 × 80, 175) = 175 mg
        (340, "propofol", "contraindication"),         # SBP ≈77 while the QRS widens
        (450, "vasopressin", "forbidden"),
        (510, "epinephrine", "max_single"),            # 1000 µg > 1 µg/kg × 80 kg
        (530, "lidocaine", "additive_max"),            # 200/175 + 100/300 of the maxima = 148 %
        (530, "lidocaine", "forbidden"),
        (600, "lipid_emulsion_bolus", "expected_dose"),  # 500 mL vs 100 mL ±20 % above 70 kg
        (620, "lipid_emulsion_infusion", "max_volume"),  # 1000 mL > 12 mL/kg × 80 kg = 960 mL
    ]
    assert statuses(out) == {
        "stop_injection": "late", "call_for_help": "late", "last_kit": "missed", "oxygen": "missed",
        "benzodiazepine": "missed", "lipid_bolus": "late", "lipid_infusion": "late",
        "lipid_repeat_bolus": "not applicable", "lipid_infusion_doubled": "not applicable",
        "bypass_team": "missed", "cpr": "late", "defibrillate": "late",
        "ventilate_total_spinal": "not applicable", "decompress_chest": "not applicable"}
    assert indicators(out) == {"time_to_help": (180, False), "time_to_lipid": (480, False),
                               "lipid_dose_correct": (None, False), "time_to_benzodiazepine": (None, False),
                               "time_to_cpr": (20, False)}
    assert {v["rhythm"] for v in out["vitals"]} >= {"wide_qrs", "vt", "vf"}


def test_without_lipid_the_arrest_is_fatal(last):
    _, out = run_file(last, "no_lipid.yaml", 70)
    assert out["outcome"]["result"] == "death"
    assert states(out)[-2:] == [(480, "cardiac_arrest"), (1680, "death")]
    assert flags(out) == []  # epinephrine 70 µg = exactly 1 µg/kg at 70 kg is not above the limit
    s = statuses(out)
    assert (s["cpr"], s["lipid_bolus"], s["lipid_infusion"], s["last_kit"]) == ("met", "missed", "missed", "missed")
    assert indicators(out)["time_to_cpr"] == (2, True)
    assert indicators(out)["time_to_lipid"] == (None, False)
    assert out["vitals"][-1]["rhythm"] == "asystole"


# --- variants and branches ---------------------------------------------------------------------

def test_cns_only_course_recovers_after_midazolam(last, tmp_path):
    text = ("duration_s: 600\nactions:\n"
            "  - {t: 0, action: ropivacaine, dose: 150, unit: mg}\n"
            "  - {t: 130, action: midazolam, dose: 2, unit: mg, route: IV}\n")
    _, out = play(last, tmp_path, text, variant="cns_only")
    assert states(out) == [(0, "injecting"), (60, "prodrome"), (120, "seizure"), (130, "seizure_controlled"),
                           (430, "recovered")]
    assert out["outcome"]["result"] == "stabilised"
    assert statuses(out)["cpr"] == "not applicable"


def test_cns_only_untreated_seizure_deteriorates(last, tmp_path):
    _, out = play(last, tmp_path, "duration_s: 600\n", variant="cns_only")
    assert states(out)[-1] == (420, "deterioration")
    assert out["outcome"]["result"] == "deteriorated"


def test_cardiovascular_only_course_has_no_warning_signs(last, tmp_path):
    text = ("duration_s: 600\nactions:\n"
            "  - {t: 90, action: lipid_emulsion_bolus, dose: 105, unit: mL, route: IV}\n")
    _, out = play(last, tmp_path, text, variant="cv_only")
    assert states(out) == [(0, "injecting"), (60, "bradycardia"), (150, "wide_qrs"),
                           (240, "ventricular_tachycardia"), (270, "circulation_restored")]
    m = markers(out)
    assert (m["first_sign"], m["serious_sign"]) == (60, 60)
    assert "seizure_onset" not in m and statuses(out)["benzodiazepine"] == "not applicable"
    assert flags(out) == []


def test_total_spinal_branch(last, tmp_path):
    treated = ("duration_s: 600\nactions:\n"
               "  - {t: 150, action: bag_mask_ventilation}\n"
               "  - {t: 160, action: ephedrine, dose: 10, unit: mg, route: IV}\n")
    _, out = play(last, tmp_path, treated, variant="total_spinal")
    # a condition on actions is read at the next one-second step
    assert states(out) == [(0, "injecting"), (120, "total_spinal"), (161, "spinal_supported")]
    assert statuses(out)["ventilate_total_spinal"] == "met"
    # not LAST: no sign of toxicity, so the LAST checklist does not apply
    assert (statuses(out)["lipid_bolus"], statuses(out)["stop_injection"]) == ("not applicable", "not applicable")
    _, untreated = play(last, tmp_path, "duration_s: 600\n", variant="total_spinal")
    assert states(untreated)[-1] == (420, "deterioration")


def test_pneumothorax_branch(last, tmp_path):
    text = "duration_s: 900\nactions:\n  - {t: 500, action: chest_drain}\n"
    _, out = play(last, tmp_path, text, variant="pneumothorax")
    assert states(out) == [(0, "injecting"), (300, "pneumothorax"), (500, "pneumothorax_treated")]
    assert statuses(out)["decompress_chest"] == "met"


# --- flags by weight -----------------------------------------------------------------------------

@pytest.mark.parametrize("drug, dose, weight, flagged", [
    ("bupivacaine", 150, 60, False),   # 2.5 mg/kg × 60 = 150 mg: at the limit
    ("bupivacaine", 160, 60, True),    # above 2.5 mg/kg
    ("bupivacaine", 180, 100, True),   # under 2.5 mg/kg but above 175 mg
    ("ropivacaine", 180, 60, False),   # 3 mg/kg × 60 = 180 mg
    ("ropivacaine", 200, 60, True),
])
def test_local_anaesthetic_maximum_follows_the_weight(last, tmp_path, drug, dose, weight, flagged):
    text = f"duration_s: 30\nactions:\n  - {{t: 0, action: {drug}, dose: {dose}, unit: mg}}\n"
    _, out = play(last, tmp_path, text, weight=weight)
    assert flags(out) == ([(0, drug, "max_total")] if flagged else [])


def test_further_local_anaesthetic_and_other_forbidden_drugs(last, tmp_path):
    text = ("duration_s: 400\nactions:\n"
            "  - {t: 0, action: bupivacaine, dose: 100, unit: mg}\n"
            "  - {t: 100, action: bupivacaine, dose: 10, unit: mg}\n"
            "  - {t: 300, action: verapamil, dose: 5, unit: mg, route: IV}\n"
            "  - {t: 310, action: diltiazem, dose: 10, unit: mg, route: IV}\n"
            "  - {t: 320, action: esmolol, dose: 30, unit: mg, route: IV}\n"
            "  - {t: 330, action: metoprolol, dose: 5, unit: mg, route: IV}\n")
    _, out = play(last, tmp_path, text)
    # a further local anaesthetic after the first sign: a dose rule and the scenario's "no
    # more local anaesthetic" (a forbidden drug in LAST, ASRA)
    assert flags(out) == [(100, "bupivacaine", "max_doses"), (100, "bupivacaine", "forbidden"),
                          (300, "verapamil", "forbidden"),
                          (310, "diltiazem", "forbidden"), (320, "esmolol", "forbidden"),
                          (330, "metoprolol", "forbidden")]


def test_lipid_bolus_dose_follows_the_weight(last, tmp_path):
    def bolus(ml, weight):
        text = f"duration_s: 200\nactions:\n  - {{t: 150, action: lipid_emulsion_bolus, dose: {ml}, unit: mL, route: IV}}\n"
        return flags(play(last, tmp_path, text, weight=weight)[1])
    assert bolus(75, 50) == [] and bolus(90, 50) == []             # 1.5 × 50 = 75 mL, +20 % = 90
    assert bolus(91, 50) == [(150, "lipid_emulsion_bolus", "expected_dose")]
    assert bolus(100, 90) == [] and bolus(125, 90) == [(150, "lipid_emulsion_bolus", "expected_dose")]


# --- the OSCE rubric, by hand -------------------------------------------------------------------

def table(sheet):
    return {i.id: (i.status, i.points, i.max_points) for i in sheet.items}


GOOD_MARKS = {
    "a1": {"items": {"closed_loop": True, "leads_checklist": True}, "global_grade": "good"},
    "n1": {"items": {"closed_loop": True}},
    "s1": {"items": {"closed_loop": True}},
    TEAM_SHEET: {"items": {"situation_summary": 2}},
}


def test_rubric_good_care(last, rubric):
    drill, _ = run_file(last, "good_care.yaml", 70, "classic")
    res = score(rubric, drill, GOOD_MARKS)
    a1, n1, s1, team = res.sheets
    assert table(team) == {
        "injection_stopped": ("met", 2, 2), "help_called": ("met", 2, 2), "lipid_given": ("met", 2, 2),
        "no_forbidden_drug": ("met", 2, 2), "oxygen_given": ("met", 1, 1), "benzodiazepine": ("met", 2, 2),
        "lipid_on_time": ("met", 2, 2), "lipid_infusion": ("met", 1, 1), "last_kit": ("met", 1, 1),
        "bypass_team": ("met", 1, 1), "cpr_on_time": ("not applicable", 0, 2), "safe_doses": ("met", 2, 2),
        "time_to_help": ("met", 1, 1), "lipid_dose_correct": ("met", 1, 1), "situation_summary": ("met", 2, 2),
        "cpr_started": ("not applicable", 0, 2), "airway_oxygen": ("met", 2, 2),
        "defibrillate": ("not applicable", 0, 2), "lipid_repeat_bolus": ("not applicable", 0, 1),
        "lipid_infusion_doubled": ("not applicable", 0, 1), "lipid_infusion_continued": ("met", 1, 1)}
    assert (team.points, team.max_points, team.percentage, team.verdict.result) == (25, 25, 100.0, "pass")
    assert table(a1) == {"closed_loop": ("met", 1, 1), "lipid_dose": ("met", 2, 2),
                         "leads_checklist": ("met", 1, 1)}
    # 70 kg: 1.5 mL/kg = 105 mL capped at 100 mL; 105 mL is inside ±20 %
    assert a1.item("lipid_dose").evidence.expected_dose == 100
    assert (a1.points, a1.max_points, a1.verdict.result) == (4, 4, "pass")
    assert [b.id for b in a1.nts] == ["ants"] and n1.nts == () and s1.nts == ()


def test_rubric_poor_care_fails_on_the_critical_items(last, rubric):
    drill, _ = run_file(last, "poor_care.yaml", 80)
    marks = {"a1": {"items": {"closed_loop": False, "leads_checklist": False}},
             "n1": {"items": {"closed_loop": True}},
             TEAM_SHEET: {"items": {"situation_summary": 1}}}
    res = score(rubric, drill, marks)
    a1, n1, team = res.sheets
    assert table(team) == {
        "injection_stopped": ("late", 1, 2), "help_called": ("late", 1, 2), "lipid_given": ("late", 1, 2),
        "no_forbidden_drug": ("not met", 0, 2), "oxygen_given": ("not met", 0, 1),
        "benzodiazepine": ("not met", 0, 2), "lipid_on_time": ("late", 1, 2), "lipid_infusion": ("late", 0, 1),
        "last_kit": ("not met", 0, 1), "bypass_team": ("not met", 0, 1), "cpr_on_time": ("late", 1, 2),
        "safe_doses": ("not met", 0, 2), "time_to_help": ("not met", 0, 1),
        "lipid_dose_correct": ("not met", 0, 1), "situation_summary": ("not met", 1, 2),
        # CPR 20 s after the arrest passes the 1-min gate; no oxygen at all fails the airway gate
        "cpr_started": ("met", 2, 2), "airway_oxygen": ("not met", 0, 2),
        "defibrillate": ("late", 1, 2), "lipid_repeat_bolus": ("not applicable", 0, 1),
        "lipid_infusion_doubled": ("not applicable", 0, 1), "lipid_infusion_continued": ("met", 1, 1)}
    assert (team.points, team.max_points) == (10, 31)
    assert team.verdict.result == "fail"
    assert team.verdict.critical_missed == ("injection_stopped", "help_called", "lipid_given", "airway_oxygen",
                                            "no_forbidden_drug")
    # the first forbidden drug is the evidence
    assert team.item("no_forbidden_drug").evidence.t == 450
    assert team.item("safe_doses").evidence.t == 0  # the bupivacaine overdose itself
    assert table(a1) == {"closed_loop": ("not met", 0, 1), "lipid_dose": ("not met", 0, 2),
                         "leads_checklist": ("not met", 0, 1)}
    assert (a1.points, a1.max_points, a1.verdict.result) == (0, 4, "fail")
    assert (n1.points, n1.max_points, n1.verdict.result) == (1, 1, "pass")
