"""Scoring the PPH drill on its OSCE rubrics: hand-computed sheets for good, late and absent
care, critical gates, overrides, doses by weight, roles, two examiners, and determinism."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simtool.core.drill import Drill, PatientParams
from simtool.core.examiner import Override, SheetMarks, disagreements, reconcile
from simtool.core.rubric import load_rubric
from simtool.core.runner import run_script
from simtool.core.scoresheet import TEAM_SHEET, ScoringError
from simtool.core.scoring import score
from simtool.core.script import load_script

from helpers.paths import ROOT, SCRIPTS

TECHNICAL = ROOT / "rubrics" / "pph_uterine_atony_technical.yaml"
TEAM = ROOT / "rubrics" / "pph_uterine_atony_team.yaml"


@pytest.fixture(scope="module")
def technical(pph):
    return load_rubric(TECHNICAL, pph)


@pytest.fixture(scope="module")
def team_rubric(pph):
    return load_rubric(TEAM, pph)


def run_file(pph, name: str, weight: float = 65.0, conditions=()) -> Drill:
    drill, _ = run_script(pph, load_script(SCRIPTS / name, pph), PatientParams(weight, tuple(conditions)))
    return drill


def run_text(pph, tmp_path: Path, text: str, weight: float = 65.0, conditions=()) -> Drill:
    path = tmp_path / "script.yaml"
    path.write_text(text, encoding="utf-8")
    drill, _ = run_script(pph, load_script(path, pph), PatientParams(weight, tuple(conditions)))
    return drill


def good_care_text(drop: str | None = None, **swap: str) -> str:
    """good_care.yaml, optionally without one action or with an action done by another role."""
    lines = []
    for line in (SCRIPTS / "good_care.yaml").read_text(encoding="utf-8").splitlines():
        if drop and f"action: {drop}," in line:
            continue
        for action, role in swap.items():
            if f"action: {action}," in line:
                line = line.rsplit("by: ", 1)[0] + f"by: {role}}}"
        lines.append(line)
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def good(pph):
    return run_file(pph, "good_care.yaml")


@pytest.fixture(scope="module")
def late(pph):
    return run_file(pph, "late_care.yaml")


@pytest.fixture(scope="module")
def absent(pph):
    return run_file(pph, "absent_care.yaml")


def table(sheet):
    """item id -> (status, points, max points), in sheet order."""
    return {i.id: (i.status, i.points, i.max_points) for i in sheet.items}


FULL_MARKS = {
    "t1": {"items": {"closed_loop": True, "measures_blood_loss": True}, "global_grade": "good"},
    "t2": {"items": {"closed_loop": True, "cause_and_plan": 2}, "global_grade": "clear_pass"},
    "t3": {"items": {"closed_loop": True}, "global_grade": "excellent"},
    TEAM_SHEET: {"items": {"situation_summary": 2}, "global_grade": "good"},
}


# --- good, late and absent care, by hand -----------------------------------------------------

def test_good_care_before_the_examiner_marks(technical, good):
    result = score(technical, good)
    assert [s.key for s in result.sheets] == ["t1", "t2", "t3", "team"]
    t1, t2, t3, team = result.sheets
    assert (t1.role, t2.role, t3.role, team.role) == ("midwife", "obstetrician", "anaesthetist", None)
    assert table(t1) == {"closed_loop": ("pending-examiner", 0, 1), "massage_by_midwife": ("met", 2, 2),
                         "measures_blood_loss": ("pending-examiner", 0, 1)}
    assert table(t2) == {"closed_loop": ("pending-examiner", 0, 1), "genital_tract_examined": ("met", 2, 2),
                         "cause_and_plan": ("pending-examiner", 0, 2)}
    assert table(t3) == {"closed_loop": ("pending-examiner", 0, 1), "iv_access": ("met", 1, 1),
                         "fluids_started": ("met", 1, 1), "txa_dose": ("met", 2, 2)}
    assert table(team) == {
        "help_called": ("met", 2, 2), "uterotonic_given": ("met", 2, 2), "txa_in_window": ("met", 2, 2),
        "uterotonic_on_time": ("met", 2, 2), "motive_bundle": ("met", 3, 3),
        "second_line": ("not applicable", 0, 2), "massive_transfusion": ("not applicable", 0, 2),
        "mdt_activated": ("not applicable", 0, 2),
        "oxytocin_per_protocol": ("met", 1, 1), "no_unsafe_drug": ("met", 2, 2),
        "no_contraindicated_drug": ("met", 2, 2), "situation_summary": ("pending-examiner", 0, 2)}
    assert [(s.points, s.max_points, s.percentage) for s in result.sheets] == [
        (2, 4, 50.0), (2, 5, 40.0), (4, 5, 80.0), (16, 18, 88.89)]
    assert team.verdict.result == "pending"
    assert team.verdict.reason == "1 item awaits the examiner: situation_summary"
    assert t1.verdict.reason == "2 items await the examiner: closed_loop, measures_blood_loss"
    # the evidence names the event and time that satisfied each item
    help_ = team.item("help_called").evidence
    assert (help_.reason, help_.seq, help_.t, help_.by_role) == ("done", 4, 760.0, "midwife")
    assert help_.text == "done at 12:40 by midwife (event 4)"
    assert team.item("second_line").evidence.text == "not applicable: refractory never happened"
    assert team.item("oxytocin_per_protocol").evidence.text == "40 s after detection (target: within 5 min)"


def test_good_care_with_the_examiners_marks_passes(technical, good):
    result = score(technical, good, FULL_MARKS, evaluation_type="summative")
    assert [(s.key, s.points, s.max_points, s.percentage, s.verdict.result) for s in result.sheets] == [
        ("t1", 4, 4, 100.0, "pass"), ("t2", 5, 5, 100.0, "pass"), ("t3", 5, 5, 100.0, "pass"),
        ("team", 18, 18, 100.0, "pass")]
    assert result.team.verdict.reason == "100 % reaches the cut score 70 %"
    assert result.sheet("t2").item("cause_and_plan").evidence.text == "level 2: Cause and plan (examiner)"
    grade = result.sheet("t1").global_grade
    assert (grade.id, grade.value, grade.borderline) == ("good", 4, False)
    assert all(s.evaluation_type == "summative" for s in result.sheets)


def test_late_care(technical, late):
    result = score(technical, late)
    t1, t2, t3, team = result.sheets
    assert table(t1) == {"closed_loop": ("pending-examiner", 0, 1), "massage_by_midwife": ("late", 1, 2),
                         "measures_blood_loss": ("pending-examiner", 0, 1)}
    assert table(t2) == {"closed_loop": ("pending-examiner", 0, 1), "genital_tract_examined": ("not met", 0, 2),
                         "cause_and_plan": ("pending-examiner", 0, 2)}
    assert table(t3) == {"closed_loop": ("pending-examiner", 0, 1), "iv_access": ("not met", 0, 1),
                         "fluids_started": ("late", 0, 1), "txa_dose": ("met", 2, 2)}
    assert table(team) == {
        "help_called": ("late", 0, 2), "uterotonic_given": ("met", 2, 2), "txa_in_window": ("late", 1, 2),
        "uterotonic_on_time": ("late", 1, 2), "motive_bundle": ("not met", 0, 3),
        "second_line": ("not met", 0, 2), "massive_transfusion": ("met", 2, 2),
        "mdt_activated": ("not met", 0, 2),
        "oxytocin_per_protocol": ("not met", 0, 1), "no_unsafe_drug": ("met", 2, 2),
        "no_contraindicated_drug": ("met", 2, 2), "situation_summary": ("pending-examiner", 0, 2)}
    assert [(s.points, s.max_points, s.percentage) for s in result.sheets] == [
        (1, 4, 25.0), (0, 5, 0.0), (2, 5, 40.0), (10, 24, 41.67)]
    # detection at 750 s: help due by 1350 s, called at 1560 s; TXA due by 1650 s, given at 2000 s
    assert team.verdict.result == "fail"
    assert team.verdict.critical_missed == ("help_called", "txa_in_window")
    assert team.verdict.reason == ("critical items missed: help_called (late by 3 min 30 s); "
                                   "txa_in_window (late by 5 min 50 s)")
    assert team.item("help_called").evidence.text == "late by 3 min 30 s: done at 26:00 by midwife (event 6)"
    assert team.item("help_called").evidence.late_by_s == 210
    assert team.item("motive_bundle").evidence.text == "missed: not done by 27:30"
    assert t1.item("massage_by_midwife").evidence.late_by_s == 250
    assert t3.item("iv_access").evidence.text == "missed: not done within 10 min of detection"


def test_absent_care(technical, absent):
    result = score(technical, absent)
    assert [s.key for s in result.sheets] == ["t1", "team"]  # only a midwife took part
    t1, team = result.sheets
    assert table(t1) == {"closed_loop": ("pending-examiner", 0, 1), "massage_by_midwife": ("not met", 0, 2),
                         "measures_blood_loss": ("pending-examiner", 0, 1)}
    assert table(team) == {
        "help_called": ("not met", 0, 2), "uterotonic_given": ("not met", 0, 2),
        "txa_in_window": ("not met", 0, 2), "uterotonic_on_time": ("not met", 0, 2),
        "motive_bundle": ("not met", 0, 3), "second_line": ("not met", 0, 2),
        "massive_transfusion": ("not met", 0, 2), "mdt_activated": ("not met", 0, 2),
        "oxytocin_per_protocol": ("not met", 0, 1),
        "no_unsafe_drug": ("met", 2, 2), "no_contraindicated_drug": ("met", 2, 2),
        "situation_summary": ("pending-examiner", 0, 2)}
    assert (team.points, team.max_points, team.percentage) == (4, 24, 16.67)
    assert team.verdict.result == "fail"
    assert team.verdict.critical_missed == ("help_called", "uterotonic_given", "txa_in_window")
    assert team.item("uterotonic_given").evidence.text == "missed: not done within 15 min of detection"


def test_a_high_total_with_a_missed_critical_item_fails(technical, pph, tmp_path):
    drill = run_text(pph, tmp_path, good_care_text(drop="call_for_help"))
    team = score(technical, drill, {TEAM_SHEET: {"items": {"situation_summary": 2}}}).team
    assert table(team)["help_called"] == ("not met", 0, 2)
    assert (team.points, team.max_points, team.percentage) == (16, 18, 88.89)  # above the 70 % cut
    assert team.verdict.result == "fail"
    assert team.verdict.reason == "critical item missed: help_called (not done within 10 min of detection)"
    assert team.verdict.critical_missed == ("help_called",)


def test_below_the_cut_score_fails_with_that_reason(technical, good):
    team = score(technical, good, {TEAM_SHEET: {"items": {"situation_summary": 0},
                                                "overrides": {"motive_bundle": Override("not met", "examiner saw no fluids"),
                                                              "no_unsafe_drug": Override("not met", "oxytocin IV push")}}}).team
    # 18 - 2 (summary) - 3 (bundle) - 2 (safety) = 11 of 18
    assert (team.points, team.max_points, team.percentage) == (11, 18, 61.11)
    assert team.verdict.result == "fail"
    assert team.verdict.reason == "below the cut score 70 % (61.11 %)"


# --- overrides --------------------------------------------------------------------------------

def test_an_override_without_a_reason_is_refused(technical, late):
    for reason in ("", "   ", None):
        with pytest.raises(ScoringError, match="the override of 'help_called' needs a written reason"):
            score(technical, late, {TEAM_SHEET: {"overrides": {"help_called": ("met", reason)}}})


def test_an_override_with_a_reason_changes_the_result_and_shows_it(technical, late):
    marks = {TEAM_SHEET: SheetMarks(examiner="Dr Examiner A", overrides={
        "help_called": Override("met", "help was called by phone at 21:00; logged late by the instructor")})}
    team = score(technical, late, marks).team
    item = team.item("help_called")
    assert (item.status, item.points) == ("met", 2)
    assert item.override.to_dict() == {
        "from_status": "late", "from_points": 0.0, "by": "Dr Examiner A",
        "reason": "help was called by phone at 21:00; logged late by the instructor"}
    assert item.evidence.text.startswith("late by 3 min 30 s")  # the record's evidence is kept beside it
    assert (team.points, team.max_points) == (12, 24)
    # the other critical item still fails the sheet
    assert team.verdict.critical_missed == ("txa_in_window",)
    assert team.to_dict()["items"][0]["override"]["reason"].startswith("help was called by phone")


def test_an_override_to_late_uses_the_late_points_and_examiner_items_are_not_overridden(technical, good):
    team = score(technical, good, {TEAM_SHEET: {"overrides": {"motive_bundle": ("late", "bundle finished at 16 min")}}}).team
    assert table(team)["motive_bundle"] == ("late", 1, 3)
    with pytest.raises(ScoringError, match="marked by the examiner, not scored from the record"):
        score(technical, good, {TEAM_SHEET: {"overrides": {"situation_summary": ("met", "seen")}}})
    with pytest.raises(ScoringError, match="a dose_correct item cannot be late"):
        score(technical, good, {"t3": {"overrides": {"txa_dose": ("late", "slow push")}}})
    with pytest.raises(ScoringError, match="override 'help_called' with one of met, not met, late, not applicable"):
        score(technical, good, {TEAM_SHEET: {"overrides": {"help_called": ("excellent", "why not")}}})


# --- doses, roles and flags -------------------------------------------------------------------

DOSE_RUBRIC = """\
format: 1
id: dose_test
version: "1"
scenario: pph_uterine_atony
title: {en: Dose test, zh_CN: 剂量测试, zh_TW: 劑量測試}
evaluation_types: [formative]
cut_score: {value: 50, source: "design: test"}
items:
  - id: lipid_dose
    kind: dose_correct
    scope: trainee
    role: anaesthetist
    label: {en: Lipid bolus, zh_CN: 脂肪乳推注, zh_TW: 脂肪乳推注}
    action: lipid_emulsion_bolus
    per_kg: 1.5
    cap: 100
    unit: mL
    tolerance_pct: 10
    source: "ASRA 2020: ≤70 kg 1.5 mL/kg, >70 kg 100 mL (CLINICAL.md §3)"
  - id: obstetrician_calls
    kind: action_within
    scope: team
    role: obstetrician
    label: {en: Obstetrician calls for help, zh_CN: 产科医生呼救, zh_TW: 產科醫師呼叫支援}
    actions: [call_for_help]
    after: detection
    within_s: 600
    source: "design: test"
"""


@pytest.fixture(scope="module")
def dose_rubric(pph, tmp_path_factory):
    path = tmp_path_factory.mktemp("rubric") / "dose_test.yaml"
    path.write_text(DOSE_RUBRIC, encoding="utf-8")
    return load_rubric(path, pph)


def lipid_drill(pph, tmp_path, dose: float, weight: float) -> Drill:
    text = ("duration_s: 1200\nparticipants:\n  - {id: t3, name: Chen Jie, role: anaesthetist}\n"
            f"actions:\n  - {{t: 800, action: lipid_emulsion_bolus, dose: {dose}, unit: mL, route: IV, by: t3}}\n")
    return run_text(pph, tmp_path, text, weight=weight)


def test_dose_correct_for_this_patients_weight(pph, dose_rubric, tmp_path):
    wrong = score(dose_rubric, lipid_drill(pph, tmp_path, 100, 60)).sheet("t3").item("lipid_dose")
    assert (wrong.status, wrong.points) == ("not met", 0)
    ev = wrong.evidence
    assert (ev.reason, ev.dose, ev.expected_dose, ev.tolerance_pct, ev.unit) == ("wrong_dose", 100, 90, 10, "mL")
    assert ev.text == "wrong dose: 100 mL vs expected 90 mL ±10 %, 1.5 mL/kg × 60 kg (event 4)"
    right = score(dose_rubric, lipid_drill(pph, tmp_path, 95, 60)).sheet("t3").item("lipid_dose")
    assert (right.status, right.points) == ("met", 1)
    assert right.evidence.text == "95 mL, expected 90 mL ±10 %, 1.5 mL/kg × 60 kg (event 4)"
    heavy = score(dose_rubric, lipid_drill(pph, tmp_path, 100, 80)).sheet("t3").item("lipid_dose")
    assert heavy.status == "met"
    assert heavy.evidence.text == "100 mL, expected 100 mL ±10 %, 1.5 mL/kg × 80 kg capped at 100 mL (event 4)"


def test_role_items_say_done_by_the_wrong_role(technical, dose_rubric, pph, tmp_path):
    drill = run_text(pph, tmp_path, good_care_text(iv_access="midwife"))
    t3 = score(technical, drill).sheet("t3")
    item = t3.item("iv_access")
    assert (item.status, item.points) == ("not met", 0)
    assert (item.evidence.reason, item.evidence.by_role, item.evidence.seq) == ("wrong_role", "midwife", 7)
    assert item.evidence.text == "done by the wrong role: midwife at 13:40 (event 7)"
    # a team item with a role: the obstetrician must call, but the midwife did
    team = score(dose_rubric, drill).team
    assert team.item("obstetrician_calls").evidence.text == "done by the wrong role: midwife at 12:40 (event 4)"
    # and the midwife's sheet does not carry the anaesthetist's items
    assert "iv_access" not in table(score(technical, drill).sheet("t1"))


def test_each_trainee_is_credited_with_their_own_actions(technical, pph, tmp_path):
    text = ("duration_s: 1200\nparticipants:\n  - {id: t1, name: Li Na, role: midwife}\n"
            "  - {id: t4, name: He Qing, role: midwife}\n"
            "actions:\n  - {t: 770, action: uterine_massage, by: t4}\n")
    result = score(technical, run_text(pph, tmp_path, text))
    assert table(result.sheet("t4"))["massage_by_midwife"] == ("met", 2, 2)
    item = result.sheet("t1").item("massage_by_midwife")
    assert (item.status, item.evidence.reason, item.evidence.by) == ("not met", "other_person", "t4")
    assert item.evidence.text == "done by another midwife: t4 at 12:50 (event 4)"
    # logged for the role when two people hold it: the drill cannot tell who, so both get it
    both = score(technical, run_text(pph, tmp_path, text.replace("by: t4", "by: midwife")))
    assert [both.sheet(k).item("massage_by_midwife").status for k in ("t1", "t4")] == ["met", "met"]


def test_a_contraindicated_drug_fails_the_safety_item_with_the_flag_as_evidence(technical, pph, tmp_path):
    text = good_care_text().replace(
        "  - {t: 1200, action: vital_signs_check, by: midwife}",
        "  - {t: 1100, action: carboprost, dose: 250, unit: ug, route: IM, by: obstetrician}\n"
        "  - {t: 1200, action: vital_signs_check, by: midwife}")
    drill = run_text(pph, tmp_path, text, conditions=["asthma"])
    item = score(technical, drill).team.item("no_unsafe_drug")
    assert (item.status, item.points) == ("not met", 0)
    assert item.evidence.reason == "flag" and item.evidence.by_role == "obstetrician"
    assert item.evidence.text.startswith("flag: contraindication on carboprost at 18:20 by obstetrician: ")


# --- two examiners ----------------------------------------------------------------------------

def examiner_a():
    return {"t1": SheetMarks(examiner="Dr A", items={"closed_loop": True, "measures_blood_loss": True},
                             global_grade="borderline", comment="slow to start")}


def examiner_b():
    return {"t1": SheetMarks(examiner="Dr B", items={"closed_loop": False, "measures_blood_loss": True},
                             global_grade="clear_fail",
                             overrides={"massage_by_midwife": Override("met", "rubbing up the fundus from 21:00")})}


def test_two_examiners_disagreements_are_listed_item_by_item(technical, late):
    a = score(technical, late, examiner_a()).sheet("t1")
    b = score(technical, late, examiner_b()).sheet("t1")
    assert (a.points, b.points) == (3, 3)  # same total, different items
    assert [d.to_dict() for d in disagreements(a, b)] == [
        {"id": "closed_loop", "a": {"result": "met", "points": 1.0}, "b": {"result": "not met", "points": 0.0}},
        {"id": "massage_by_midwife", "a": {"result": "late", "points": 1.0}, "b": {"result": "met", "points": 2.0}},
        {"id": "global_grade", "a": {"result": "borderline", "points": None},
         "b": {"result": "clear_fail", "points": None}},
    ]
    assert disagreements(a, a) == []


def test_the_same_points_with_a_different_status_is_a_disagreement(technical, late):
    a = score(technical, late, {"t1": {"items": {"measures_blood_loss": "not observed"}}}).sheet("t1")
    b = score(technical, late, {"t1": {"items": {"measures_blood_loss": False}}}).sheet("t1")
    assert [d.to_dict() for d in disagreements(a, b)] == [
        {"id": "measures_blood_loss", "a": {"result": "not observed", "points": 0.0},
         "b": {"result": "not met", "points": 0.0}}]


def test_reconciliation_keeps_both_originals(technical, late):
    a = score(technical, late, examiner_a()).sheet("t1")
    b = score(technical, late, examiner_b()).sheet("t1")
    with pytest.raises(ScoringError, match="choose examiner a or b for: massage_by_midwife, global_grade"):
        reconcile(a, b, {"closed_loop": "a"}, by="Dr Chair", reason="agreed")
    with pytest.raises(ScoringError, match="needs a written reason"):
        reconcile(a, b, {"closed_loop": "a", "massage_by_midwife": "b", "global_grade": "a"}, by="Dr Chair", reason=" ")
    with pytest.raises(ScoringError, match="nothing called 'txa_dose' on this sheet"):
        reconcile(a, b, {"txa_dose": "a"}, by="Dr Chair", reason="agreed")
    r = reconcile(a, b, {"closed_loop": "a", "massage_by_midwife": "b", "global_grade": "a"},
                  by="Dr Chair", reason="agreed at the examiners' meeting")
    assert table(r) == {"closed_loop": ("met", 1, 1), "massage_by_midwife": ("met", 2, 2),
                        "measures_blood_loss": ("met", 1, 1)}
    assert (r.points, r.max_points, r.percentage, r.verdict.result) == (4, 4, 100.0, "pass")
    assert r.examiner == "Dr Chair" and r.global_grade.id == "borderline" and r.global_grade.borderline
    assert r.item("massage_by_midwife").override.reason == "rubbing up the fundus from 21:00"
    rec = r.to_dict()["reconciliation"]
    assert rec["by"] == "Dr Chair" and rec["reason"] == "agreed at the examiners' meeting"
    assert rec["choices"] == [{"id": "closed_loop", "chose": "a"}, {"id": "global_grade", "chose": "a"},
                              {"id": "massage_by_midwife", "chose": "b"}]
    assert rec["originals"] == [a.to_dict(), b.to_dict()]
    assert r.rubric_sha256 == a.rubric_sha256 == technical.sha256


def test_sheets_of_different_trainees_or_rubrics_are_not_compared(technical, team_rubric, late):
    a = score(technical, late, examiner_a())
    with pytest.raises(ScoringError, match="differ in key"):
        disagreements(a.sheet("t1"), a.sheet("t2"))
    other = score(team_rubric, late).sheet("t1")
    with pytest.raises(ScoringError, match="differ in rubric id"):
        disagreements(a.sheet("t1"), other)


# --- non-technical skills ---------------------------------------------------------------------

TEAM_RATINGS = {"leader_set_expectations": 3, "leader_global_view": 2, "communicated_effectively": 3,
                "worked_together_in_time": 4, "composure_and_control": 3, "positive_morale": 4,
                "adapted_to_change": 2, "monitored_and_reassessed": 3, "anticipated_actions": 1,
                "prioritised_tasks": 3, "followed_standards": 4, "global_rating": 7}


def test_team_and_ants_ratings_are_reported_beside_the_checklist(team_rubric, good):
    ants = {"planning_and_preparing": 3, "prioritising": 4, "exchanging_information": 2,
            "supporting_others": "not observed", "anticipating": 3}
    result = score(team_rubric, good, {
        TEAM_SHEET: {"items": {"leader_declared": True, "roles_allocated": False, "shared_mental_model": 1},
                     "nts": {"team": TEAM_RATINGS}},
        "t3": {"items": {"speaks_up": True, "closed_loop": True}, "nts": {"ants": ants}}})
    team = result.team
    assert table(team) == {"leader_declared": ("met", 1, 1), "roles_allocated": ("not met", 0, 1),
                           "shared_mental_model": ("not met", 1, 2), "warning_delay": ("met", 1, 1)}
    assert (team.points, team.max_points, team.percentage, team.verdict.result) == (3, 5, 60.0, "pass")
    [block] = team.nts
    assert (block.id, block.total, block.max_total, block.overall, block.overall_range) == ("team", 32, 44, 7, (1, 10))
    assert [(c.id, c.mean, c.rated) for c in block.categories] == [
        ("leadership", 2.5, 2), ("teamwork", 2.86, 7), ("task_management", 3.5, 2)]
    [ants_result] = result.sheet("t3").nts
    assert ants_result.total is None and ants_result.max_total is None
    assert [(c.id, c.mean, c.rated, c.elements) for c in ants_result.categories] == [
        ("task_management", 3.5, 2, 4), ("team_working", 2.0, 1, 5), ("situation_awareness", 3.0, 1, 3),
        ("decision_making", None, 0, 3)]
    statuses = {r.id: r.status for r in ants_result.ratings}
    assert statuses["supporting_others"] == "not observed" and statuses["re_evaluating"] == "pending-examiner"
    assert result.sheet("t1").nts == ()  # ANTS is for the anaesthetist only


def test_rating_errors_are_clear(team_rubric, good):
    with pytest.raises(ScoringError, match=r"team\.leader_global_view is rated 0, 1, 2, 3, 4, not 'not observed'"):
        score(team_rubric, good, {TEAM_SHEET: {"nts": {"team": {"leader_global_view": "not observed"}}}})
    with pytest.raises(ScoringError, match=r"team\.global_rating is a whole number from 1 to 10, not 11"):
        score(team_rubric, good, {TEAM_SHEET: {"nts": {"team": {"global_rating": 11}}}})
    with pytest.raises(ScoringError, match="marks for t1: no block ants on this sheet"):
        score(team_rubric, good, {"t1": {"nts": {"ants": {"prioritising": 3}}}})


def test_ants_disagreements_are_listed_by_element(team_rubric, good):
    a = score(team_rubric, good, {"t3": {"nts": {"ants": {"prioritising": 4, "anticipating": 3}}}}).sheet("t3")
    b = score(team_rubric, good, {"t3": {"nts": {"ants": {"prioritising": 3, "anticipating": 3}}}}).sheet("t3")
    assert [d.to_dict() for d in disagreements(a, b)] == [
        {"id": "nts.ants.prioritising", "a": {"result": 4, "points": None}, "b": {"result": 3, "points": None}}]
    r = reconcile(a, b, {"nts.ants.prioritising": "b"}, by="Dr Chair", reason="video review")
    assert r.nts[0].categories[0].mean == 3.0


# --- marks that do not fit --------------------------------------------------------------------

def test_marks_that_do_not_fit_the_rubric_are_refused(technical, good):
    cases = [
        ({"t9": {}}, "marks for t9: no such participant (sheets: t1, t2, t3, team)"),
        ({"t1": {"items": {"iv_access": True}}}, "marks for t1: iv_access is not on this sheet, so cannot be marked"),
        ({TEAM_SHEET: {"items": {"help_called": True}}},
         "marks for team: help_called is scored from the record; override it with a reason"),
        ({"t2": {"items": {"cause_and_plan": 3}}},
         "marks for t2: grade 'cause_and_plan' with one of its levels (0, 1, 2) or 'not observed', not 3"),
        ({"t1": {"items": {"closed_loop": "yes"}}},
         "marks for t1: mark 'closed_loop' done (true), not done (false) or 'not observed', not 'yes'"),
        ({"t1": {"global_grade": "superb"}},
         "marks for t1: unknown grade 'superb' (grades: clear_fail, borderline, clear_pass, good, excellent)"),
        ({"t1": {"score": 3}}, "unknown key in marks: score"),
    ]
    for marks, message in cases:
        with pytest.raises(ScoringError) as info:
            score(technical, good, marks)
        assert str(info.value) == message


def test_evaluation_type_must_be_one_the_rubric_allows(team_rubric, technical, good):
    assert score(technical, good).evaluation_type == "formative"  # the rubric's first type
    with pytest.raises(ScoringError, match=r"not for high-stakes evaluation \(allowed: formative, summative\)"):
        score(team_rubric, good, evaluation_type="high-stakes")


def test_not_observed_on_a_checklist_item_counts_nothing(technical, good):
    t1 = score(technical, good, {"t1": {"items": {"closed_loop": "not observed", "measures_blood_loss": True}}}).sheet("t1")
    assert table(t1)["closed_loop"] == ("not observed", 0, 1)
    assert (t1.points, t1.max_points, t1.verdict.result) == (3, 4, "pass")


# --- the sheet as data ------------------------------------------------------------------------

def test_sheets_carry_the_rubric_identity_and_are_json(technical, late):
    result = score(technical, late, FULL_MARKS, evaluation_type="high-stakes")
    out = result.to_dict()
    assert list(out) == ["rubric", "evaluation_type", "trainees", "team"]
    assert out["rubric"] == {"id": "pph_uterine_atony_technical", "version": "1.0.0", "sha256": technical.sha256}
    assert [t["participant"] for t in out["trainees"]] == ["t1", "t2", "t3"]
    for sheet in out["trainees"] + [out["team"]]:
        assert sheet["rubric"]["sha256"] == technical.sha256 and sheet["evaluation_type"] == "high-stakes"
        assert sheet["scenario"] == {"id": "pph_uterine_atony", "version": "1.0.0"}
    item = out["team"]["items"][0]
    assert item["id"] == "help_called" and item["critical"] is True
    assert item["label"] == {"en": "Help called", "zh_CN": "已呼救", "zh_TW": "已呼叫支援"}
    assert item["evidence"] == {"reason": "late", "text": "late by 3 min 30 s: done at 26:00 by midwife (event 6)",
                                "seq": 6, "iid": 3, "t": 1560.0, "late_by_s": 210.0, "by_role": "midwife",
                                "by": "t1"}
    assert out["team"]["verdict"]["result"] == "fail"
    json.dumps(out, allow_nan=False)


def test_scoring_is_deterministic(technical, pph):
    def once():
        drill = run_file(pph, "late_care.yaml")
        return json.dumps(score(technical, drill, FULL_MARKS).to_dict(), ensure_ascii=False)
    first = once()
    assert once() == first
    # and a drill replayed from its recorded events scores the same
    drill = run_file(pph, "late_care.yaml")
    replayed = Drill.replay(pph, drill.patient, drill.participants, drill.events)
    assert json.dumps(score(technical, replayed, FULL_MARKS).to_dict(), ensure_ascii=False) == first


def test_a_rubric_for_another_scenario_is_refused(technical, good):
    class Other:
        def __init__(self, drill):
            self._d = drill
            self.scenario = drill.scenario.model_copy(update={"id": "pas_mdt"})

        def __getattr__(self, name):
            return getattr(self._d, name)

    with pytest.raises(ScoringError, match="rubric pph_uterine_atony_technical is for scenario pph_uterine_atony, not pas_mdt"):
        score(technical, Other(good))
