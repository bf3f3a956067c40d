"""Scoring a clinician would sign: each of the seven ways the bundled rubrics let wrong care
pass (issue 16) played as a drill and scored, and shown to fail now.

1. unsafe doses and routes count against "no unsafe drug"; a contraindicated uterotonic fails
   the station;
2. a treatment item is met only by an action at or after its marker (prophylaxis is not
   treatment); an early call for help still counts;
3. after a hard deadline (tranexamic acid after 3 h of birth) an item earns nothing;
4. "no forbidden drug" counts forbidden drugs (a further local anaesthetic in LAST), not a
   dose rule of an allowed drug (a 4th lipid bolus);
5. "before X" is met only before X (the PAS briefing before the incision), and an incision
   before the MDT has assembled raises a flag;
6. an indicator whose start was the team's to make and never came is not met, in the drill and
   in the department's statistics;
7. one comparison everywhere: at exactly the target is met, for indicators and expected
   actions alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from simtool.core import assess
from simtool.core.drill import Drill, PatientParams
from simtool.core.rubric import load_rubric
from simtool.core.runner import run_script
from simtool.core.scenario import load_scenario
from simtool.core.scoresheet import TEAM_SHEET
from simtool.core.scoring import score
from simtool.core.script import load_script
from simtool.store.analytics import indicators_report

from helpers.drills import reach, team_of
from helpers.paths import ROOT, SCENARIOS

PPH_TEAM = """participants:
  - {id: t1, name: Li Na, role: midwife}
  - {id: t2, name: Wang Fang, role: obstetrician}
  - {id: t3, name: Chen Jie, role: anaesthetist}
"""


def run(loaded, tmp_path: Path, text: str, weight: float = 65.0, conditions=()) -> Drill:
    path = tmp_path / "script.yaml"
    path.write_text(text, encoding="utf-8")
    drill, _ = run_script(loaded, load_script(path, loaded), PatientParams(weight, tuple(conditions)))
    return drill


def team_items(rubric_name: str, loaded, drill):
    result = score(load_rubric(ROOT / "rubrics" / rubric_name, loaded), drill)
    team = result.sheet(TEAM_SHEET)
    return team, {i.id: i for i in team.items}


@pytest.fixture(scope="module")
def last():
    return load_scenario(SCENARIOS / "last_nerve_block.yaml")


@pytest.fixture(scope="module")
def pas():
    return load_scenario(SCENARIOS / "pas_mdt.yaml")


# --- 1 ---------------------------------------------------------------------------------------------
def test_unsafe_doses_and_routes_are_unsafe_drug_use(pph, tmp_path):
    drill = run(pph, tmp_path, "duration_s: 1500\n" + PPH_TEAM + """actions:
  - {t: 760, action: call_for_help, by: midwife}
  - {t: 780, action: carboprost, dose: 500, unit: µg, route: IM, by: obstetrician}
  - {t: 800, action: methylergonovine, dose: 0.5, unit: mg, route: IV, by: obstetrician}
  - {t: 820, action: oxytocin, dose: 120, unit: IU, route: IV, by: midwife}
""")
    assert {f.rule for f in drill.flags()} >= {"dose_range", "route"}
    _team, items = team_items("pph_uterine_atony_technical.yaml", pph, drill)
    unsafe = items["no_unsafe_drug"]
    assert (unsafe.status, unsafe.points) == ("not met", 0.0)
    assert unsafe.evidence.action == "carboprost" and unsafe.evidence.rule == "dose_range"
    assert items["no_contraindicated_drug"].status == "met"      # no condition was given


def test_a_contraindicated_uterotonic_fails_the_station(pph, tmp_path):
    drill = run(pph, tmp_path, "duration_s: 1500\n" + PPH_TEAM + """actions:
  - {t: 760, action: call_for_help, by: midwife}
  - {t: 770, action: carboprost, dose: 250, unit: µg, route: IM, by: obstetrician}
""", conditions=("asthma",))
    team, items = team_items("pph_uterine_atony_technical.yaml", pph, drill)
    assert items["no_contraindicated_drug"].status == "not met"
    assert items["no_contraindicated_drug"].critical
    assert team.verdict.result == "fail" and "no_contraindicated_drug" in team.verdict.critical_missed


# --- 2 ---------------------------------------------------------------------------------------------
def test_prophylaxis_before_the_bleed_is_not_its_treatment(pph, tmp_path):
    drill = run(pph, tmp_path, "duration_s: 2400\n" + PPH_TEAM + """actions:
  - {t: 30, action: oxytocin, dose: 10, unit: IU, route: IM, by: midwife}
  - {t: 60, action: tranexamic_acid, dose: 1, unit: g, route: IV, by: anaesthetist}
  - {t: 400, action: call_for_help, by: midwife}
""")
    detection = drill.marker_times["detection"]
    assert detection > 60        # both drugs came before the haemorrhage was recognised
    team, items = team_items("pph_uterine_atony_technical.yaml", pph, drill)
    for item_id in ("uterotonic_given", "txa_in_window", "uterotonic_on_time"):
        assert items[item_id].points == 0.0 and items[item_id].status == "not met", item_id
    assert set(team.verdict.critical_missed) >= {"uterotonic_given", "txa_in_window"}
    ind = {r.id: r for r in assess.all_indicators(drill)}
    assert ind["oxytocin_per_protocol"].met is False and ind["time_to_txa"].met is False
    # calling for help before the trigger is early recognition: it counts
    assert items["help_called"].status == "met"
    assert ind["warning_delay"].met is True and ind["warning_delay"].seconds == 0


# --- 3 ---------------------------------------------------------------------------------------------
def test_tranexamic_acid_after_3_hours_earns_nothing(pph, tmp_path):
    drill = run(pph, tmp_path, "duration_s: 11100\n" + PPH_TEAM + """actions:
  - {t: 760, action: call_for_help, by: midwife}
  - {t: 770, action: oxytocin, dose: 10, unit: IU, route: IM, by: midwife}
  - {t: 10980, action: tranexamic_acid, dose: 1, unit: g, route: IV, by: anaesthetist}
""")
    assert drill.marker_times["birth"] == 0 and 10980 > 3 * 3600
    _team, items = team_items("pph_uterine_atony_technical.yaml", pph, drill)
    txa = items["txa_in_window"]
    assert (txa.status, txa.points) == ("not met", 0.0)          # not "late" with its late point
    assert (txa.evidence.reason, txa.evidence.t, txa.evidence.limit_t) == ("after_limit", 10980, 10800)
    assert "too late to count" in txa.evidence.text


# --- 4 ---------------------------------------------------------------------------------------------
LAST_START = """duration_s: 900
participants:
  - {id: a1, name: Zhou Lei, role: anaesthetist}
  - {id: n1, name: Qian Mei, role: nurse}
actions:
  - {t: 0, action: bupivacaine, dose: 100, unit: mg, by: anaesthetist}
"""


def _lipid_boluses(n: int) -> str:
    return "".join(f"  - {{t: {300 + 60 * i}, action: lipid_emulsion_bolus, dose: 105, unit: mL, "
                   f"route: IV, by: anaesthetist}}\n" for i in range(n))


def test_a_fourth_lipid_bolus_is_a_dose_rule_not_a_forbidden_drug(last, tmp_path):
    drill = run(last, tmp_path, LAST_START + _lipid_boluses(4), weight=70)
    assert "max_doses" in {f.rule for f in drill.flags()}
    team, items = team_items("last_nerve_block_technical.yaml", last, drill)
    assert items["no_forbidden_drug"].status == "met"
    assert "no_forbidden_drug" not in team.verdict.critical_missed
    assert items["safe_doses"].status == "not met" and items["safe_doses"].evidence.rule == "max_doses"


def test_more_local_anaesthetic_after_the_first_sign_is_a_forbidden_drug(last, tmp_path):
    drill = run(last, tmp_path, LAST_START + _lipid_boluses(1) +
                "  - {t: 420, action: bupivacaine, dose: 20, unit: mg, by: anaesthetist}\n", weight=70)
    first_sign = drill.marker_times["first_sign"]
    assert 0 < first_sign < 420
    forbidden = [(f.t, f.action) for f in drill.flags() if f.rule == "forbidden"]
    assert forbidden == [(420, "bupivacaine")]   # the block itself, before the first sign, is not
    team, items = team_items("last_nerve_block_technical.yaml", last, drill)
    assert items["no_forbidden_drug"].status == "not met"
    assert "no_forbidden_drug" in team.verdict.critical_missed


# --- 5 ---------------------------------------------------------------------------------------------
PAS_TEAM = """participants:
  - {id: l1, name: Li Hua, role: team_leader}
  - {id: o1, name: Sun Yan, role: obstetric_surgeon}
  - {id: a1, name: Wang Lei, role: anaesthetist}
  - {id: m1, name: Liu Yang, role: midwife}
"""


def test_a_briefing_after_the_incision_is_not_a_briefing_before_it(pas, tmp_path):
    drill = run(pas, tmp_path, "duration_s: 1500\n" + PAS_TEAM + """actions:
  - {t: 30, action: activate_mdt, by: team_leader}
  - {t: 120, action: mdt_member_arrived, by: obstetric_surgeon}
  - {t: 150, action: mdt_member_arrived, by: anaesthetist}
  - {t: 300, action: skin_incision, by: obstetric_surgeon}
  - {t: 700, action: team_briefing, by: team_leader}
""", weight=70)
    assert drill.marker_times["incision"] == 300
    status = next(s for s in assess.all_expected(drill, final=True) if s.id == "briefing")
    assert (status.status, status.too_late, status.limit) == ("missed", True, 300)
    _team, items = team_items("pas_mdt_team.yaml", pas, drill)
    assert items["briefing"].points == 0.0 and items["briefing"].evidence.reason == "after_limit"
    # two of six specialties present at the incision: flagged (never blocked)
    (flag,) = [f for f in drill.flags() if f.rule == "forbidden"]
    assert (flag.action, flag.t) == ("skin_incision", 300)


def test_an_incision_after_the_whole_mdt_has_arrived_raises_nothing(pas):
    from helpers.paths import ROOT as _root
    drill, _ = run_script(pas, load_script(_root / "tests" / "scripts" / "pas_mdt" / "good_care.yaml", pas),
                          PatientParams(70))
    assert drill.marker_times["mdt_assembled"] < drill.marker_times["incision"]
    assert not [f for f in drill.flags() if f.rule == "forbidden"]


# --- 6 ---------------------------------------------------------------------------------------------
def test_an_mdt_never_activated_is_not_met_in_the_drill_and_the_statistics(pas, tmp_path):
    from simtool.store import Archive
    archive = Archive.open(tmp_path / "a.sqlite")
    drill = run(pas, tmp_path, "duration_s: 1500\n" + PAS_TEAM + """actions:
  - {t: 300, action: skin_incision, by: obstetric_surgeon}
""", weight=70)
    assert "mdt_activation" not in drill.marker_times
    ind = {r.id: r for r in assess.all_indicators(drill)}
    assert (ind["mdt_response"].seconds, ind["mdt_response"].met) == (None, False)
    assert ind["arrival_icu"].met is False
    assert ind["time_to_mtp"].met is None        # the loss never reached 1500 mL: irrelevant
    did = archive.start_drill(drill.loaded, drill.patient, drill.participants)
    for e in drill.events:
        assert archive.append_event(did, e) is None
    report = indicators_report(archive)
    (summary,) = [i for g in report["groups"] if g["department"] is None
                  for i in g["indicators"] if i["id"] == "mdt_response"]
    assert (summary["applies"], summary["met"], summary["compliance"]) == (1, 0, 0.0)
    archive.close()


# --- 7 ---------------------------------------------------------------------------------------------
def test_at_exactly_the_target_is_met_for_indicators_and_expected_actions_alike(pph):
    drill = Drill(pph, PatientParams(65.0), team_of(pph))
    detection = reach(drill, "detection")
    drill.advance_to(detection + 300)                 # the expected action's window: 5 min
    drill.act("call_for_help", by="midwife")
    drill.advance_to(detection + 300)
    drill.act("oxytocin", by="midwife", dose=10, unit="IU", route="IM")   # indicator target: 5 min
    drill.end()
    ex = {s.id: s for s in assess.all_expected(drill, final=True)}
    ind = {r.id: r for r in assess.all_indicators(drill)}
    assert ex["call_for_help"].status == "met" and ex["first_uterotonic"].status == "met"
    assert (ind["oxytocin_per_protocol"].seconds, ind["oxytocin_per_protocol"].met) == (300, True)
    assert assess.indicator_met(600, 600) and not assess.indicator_met(600.5, 600)


def test_results_kept_under_the_earlier_rule_are_computed_again(pas, tmp_path):
    """An archive upgraded from a simtool with the strict "<" rule: its kept indicator results
    (keyed without the rule version) are not trusted; the next report computes them again."""
    import sqlite3

    from simtool.store import Archive
    drill = run(pas, tmp_path, "duration_s: 1500\n" + PAS_TEAM + """actions:
  - {t: 300, action: skin_incision, by: obstetric_surgeon}
""", weight=70)
    path = tmp_path / "a.sqlite"
    with Archive.open(path) as archive:
        did = archive.start_drill(drill.loaded, drill.patient, drill.participants)
        for e in drill.events:
            assert archive.append_event(did, e) is None
        indicators_report(archive)       # kept now, under today's rule
    with sqlite3.connect(path) as conn:  # as an older simtool kept them: "not applicable"
        conn.execute("UPDATE drill_indicators_kept SET scenario_sha256 = "
                     "(SELECT scenario_sha256 FROM drills WHERE id = drill_id)")
        conn.execute("UPDATE drill_indicators SET met = NULL WHERE indicator_id = 'mdt_response'")
    with Archive.open(path) as archive:
        report = indicators_report(archive)
        (summary,) = [i for g in report["groups"] if g["department"] is None
                      for i in g["indicators"] if i["id"] == "mdt_response"]
        assert (summary["applies"], summary["met"]) == (1, 0)
