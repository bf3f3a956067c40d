"""Issue 18, items 4 and 5: Chinese blood units, and the laboratory of a bleeding woman, played
as drill scripts through ``simtool run --json`` (the command a site runs).

4. the PPH drill counts blood as Chinese blood services issue it — 1 U 悬浮红细胞 from 200 mL of
   whole blood, FFP in mL, platelets in therapeutic doses (治疗量) — and rules and ratios count
   equivalent (adult) amounts, never bag counts across conventions;
5. haemoglobin, platelets, fibrinogen, PT/INR, ionised calcium and lactate follow loss,
   dilution and products; a sample's results come back after the scenario's turnaround time
   (a bedside blood gas sooner); fibrinogen under 2 g/L expects fibrinogen or
   cryoprecipitate, massive transfusion expects calcium, and 4 units of red cells without
   clotting results expect FFP 12–15 mL/kg (RCOG GTG 52)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simtool.cli import main
from simtool.core.drill import Drill, PatientParams
from simtool.core.scenario import load_scenario

from helpers.paths import PPH, ROOT

PAS = ROOT / "scenarios" / "pas_mdt.yaml"
TEAM = """participants:
  - {id: t1, name: Li Na, role: midwife}
  - {id: t3, name: Chen Jie, role: anaesthetist}
"""
RBC = "{{t: {t}, action: rbc_transfusion, dose: {dose}, unit: U, route: IV, by: anaesthetist}}"
FFP = "{{t: {t}, action: ffp_transfusion, dose: {dose}, unit: mL, route: IV, by: anaesthetist}}"
LABS = "{{t: {t}, action: send_labs, by: midwife}}"


def script(*lines: str, duration: int = 3600) -> str:
    body = "".join(f"  - {line}\n" for line in lines) if lines else ""
    return f"duration_s: {duration}\n{TEAM}actions:\n{body}" if lines else \
        f"duration_s: {duration}\n{TEAM}actions: []\n"


def run(capsys, tmp_path: Path, text: str, scenario: Path = PPH) -> dict:
    path = tmp_path / "script.yaml"
    path.write_text(text, encoding="utf-8")
    code = main(["run", str(scenario), "--script", str(path), "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def fast_labs(tmp_path: Path) -> Path:
    """The PPH drill with the laboratory's turnaround at 5 min (a site's own setting)."""
    text = PPH.read_text(encoding="utf-8")
    assert text.count("  turnaround_s:\n    value: 1800\n") == 1
    path = tmp_path / "pph_fast_labs.yaml"
    path.write_text(text.replace("  turnaround_s:\n    value: 1800\n", "  turnaround_s:\n    value: 300\n"),
                    encoding="utf-8")
    return path


def expected(out: dict, ex_id: str) -> str:
    return next(e["status"] for e in out["expected"] if e["id"] == ex_id)


def indicator(out: dict, ind_id: str) -> dict:
    return next(i for i in out["indicators"] if i["id"] == ind_id)


def markers(out: dict) -> dict[str, float]:
    return {e["text"]: e["t"] for e in out["events"] if e["kind"] == "marker"}


def vitals_at(out: dict, t: float) -> dict:
    return next(v for v in out["vitals"] if v["t"] == t)


# --- item 4: Chinese blood units ------------------------------------------------------------

def test_the_pph_drill_counts_blood_as_chinese_blood_services_issue_it(capsys, tmp_path) -> None:
    loaded = load_scenario(PPH)
    cat = loaded.catalogue
    assert loaded.scenario.blood_units == "china"
    assert "悬浮红细胞" in cat.get("rbc_transfusion").label.zh_CN
    assert cat.get("fibrinogen").label.zh_CN == "人纤维蛋白原"
    # FFP prescribed in mL, platelets in therapeutic doses, red cells in U
    assert (cat.get("ffp_transfusion").dose.unit, cat.get("platelet_transfusion").dose.unit,
            cat.get("rbc_transfusion").dose.unit) == ("mL", "dose", "unit")
    # 2 U 悬浮红细胞 (from 400 mL of whole blood) put ≈300 mL into the circulation, not two
    # 280 mL bags
    out = run(capsys, tmp_path, script(RBC.format(t=1000, dose=2), duration=1010))
    assert out["scenario"]["blood_units"] == "china"
    gained = vitals_at(out, 1005)["blood_volume_ml"] - vitals_at(out, 1000)["blood_volume_ml"]
    assert 285 < gained < 300


def test_plasma_in_bags_is_refused_with_the_line_that_says_so(capsys, tmp_path) -> None:
    path = tmp_path / "bags.yaml"
    path.write_text(script("{t: 900, action: ffp_transfusion, dose: 2, unit: unit, by: anaesthetist}"),
                    encoding="utf-8")
    assert main(["run", str(PPH), "--script", str(path), "--json"]) == 1
    err = capsys.readouterr().err
    assert f"{path}:6: actions[0].unit:" in err and "mL" in err and "Traceback" not in err


def pas_in(tmp_path: Path, convention: str) -> Path:
    text = PAS.read_text(encoding="utf-8").replace("blood_units: international", f"blood_units: {convention}")
    path = tmp_path / f"pas_{convention}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("convention, rbc, ffp, reached", [
    # CMA 1:1:1 — 10 U 悬浮红细胞 : 1000 mL FFP : 1 治疗量
    ("china", 10, 1000, True),
    ("china", 8, 800, True),
    # 8 U of red cells and "8" of plasma: equal bag counts, but 8 mL is no plasma at all
    ("china", 8, 8, False),
    # 4 U 悬浮红细胞 are 2 adult units: not yet the 4 units the ratio is checked after
    ("china", 4, 400, False),
    ("international", 4, 4, True),
    ("international", 4, 3, False),
])
def test_a_transfusion_ratio_compares_equivalent_amounts(capsys, tmp_path, convention, rbc, ffp,
                                                         reached) -> None:
    unit = "mL" if convention == "china" else "unit"
    lines = [f"{{t: 1500, action: rbc_transfusion, dose: {rbc}, unit: unit, route: IV, by: anaesthetist}}",
             f"{{t: 1510, action: ffp_transfusion, dose: {ffp}, unit: {unit}, route: IV, by: anaesthetist}}",
             "{t: 1520, action: platelet_transfusion, dose: 1, route: IV, by: anaesthetist}"]
    text = ("duration_s: 1600\nparticipants:\n  - {id: a1, name: Li Na, role: anaesthetist}\n"
            "actions:\n" + "".join(f"  - {line}\n" for line in lines))
    out = run(capsys, tmp_path, text, pas_in(tmp_path, convention))
    assert ("ratio_reached" in markers(out)) is reached


def test_four_units_of_red_cells_are_four_adult_units(capsys, tmp_path) -> None:
    """RCOG's 'after 4 units of red cells' is 8 U 悬浮红细胞 (1 U from 200 mL of whole blood)."""
    six = run(capsys, tmp_path, script(RBC.format(t=1000, dose=6), duration=1800))
    assert "rbc4_no_results" not in markers(six)
    assert expected(six, "ffp_after_4_rbc") == "not applicable"
    eight = run(capsys, tmp_path, script(RBC.format(t=1000, dose=6), RBC.format(t=1100, dose=2),
                                         duration=1800))
    assert 1100 <= markers(eight)["rbc4_no_results"] <= 1101
    assert expected(eight, "ffp_after_4_rbc") == "missed"


# --- item 5: the laboratory -----------------------------------------------------------------

def test_results_come_back_after_the_turnaround_the_scenario_sets(capsys, tmp_path) -> None:
    out = run(capsys, tmp_path, script(LABS.format(t=10), duration=1900))
    gas, lab = out["labs"]
    # the bedside blood gas in 5 min, the laboratory's blood count and clotting in 30 min
    assert (gas["t"], gas["drawn"], sorted(gas["results"])) == (310.0, 10.0, ["hb", "ica", "lactate"])
    assert (lab["t"], lab["drawn"], sorted(lab["results"])) == (1810.0, 10.0, ["fibrinogen", "inr", "platelets", "pt"])
    assert lab["results"] == {"fibrinogen": 4.5, "platelets": 220.0, "pt": 11.5, "inr": 1.0}
    assert gas["results"] == {"hb": 115.0, "ica": 1.15, "lactate": 1.0}
    # in the record, on the sample that was sent
    logged = [e for e in out["events"] if e["kind"] == "labs"]
    sent = next(e for e in out["events"] if e["kind"] == "action" and e["action"] == "send_labs")
    assert [e["ref"] for e in logged] == [sent["seq"], sent["seq"]]
    # nothing comes back before the turnaround is over
    early = run(capsys, tmp_path, script(LABS.format(t=10), duration=300))
    assert early["labs"] == []


def lab_after(capsys, tmp_path, *lines: str, at: int = 1400) -> dict:
    """The results of a sample drawn at ``at`` after ``lines`` (fast laboratory), merged."""
    out = run(capsys, tmp_path, script(*lines, LABS.format(t=at), duration=at + 300), fast_labs(tmp_path))
    merged: dict = {}
    for lab in out["labs"]:
        merged.update(lab["results"])
    return merged


def test_results_follow_loss_dilution_and_products(capsys, tmp_path) -> None:
    clear = "{t: 900, action: crystalloid_bolus, dose: 2000, unit: mL, route: IV, by: anaesthetist}"
    diluted = lab_after(capsys, tmp_path, clear)
    # two litres of crystalloid dilute what the blood holds
    assert diluted["hb"] < 100 and diluted["fibrinogen"] < 4.0 and diluted["platelets"] < 190
    # red cells put haemoglobin back; plasma puts fibrinogen and clotting factors back
    rbc = lab_after(capsys, tmp_path, clear, RBC.format(t=1300, dose=4))
    assert rbc["hb"] >= diluted["hb"] + 8
    ffp = lab_after(capsys, tmp_path, clear, FFP.format(t=1300, dose=800))
    assert ffp["fibrinogen"] > diluted["fibrinogen"] and ffp["inr"] <= diluted["inr"]
    # citrate in blood products lowers the ionised calcium; calcium brings it back
    citrate = lab_after(capsys, tmp_path, clear, RBC.format(t=1200, dose=8), FFP.format(t=1250, dose=1000))
    assert citrate["ica"] <= 1.05
    calcium = lab_after(capsys, tmp_path, clear, RBC.format(t=1200, dose=8), FFP.format(t=1250, dose=1000),
                        "{t: 1300, action: calcium, dose: 1, unit: g, route: IV, by: anaesthetist}")
    assert calcium["ica"] > citrate["ica"]
    # platelets: a therapeutic dose (治疗量) raises the count
    plt = lab_after(capsys, tmp_path, clear, "{t: 1300, action: platelet_transfusion, dose: 1, route: IV, by: anaesthetist}")
    assert plt["platelets"] >= diluted["platelets"] + 15


def test_shock_raises_lactate(capsys, tmp_path) -> None:
    calm = lab_after(capsys, tmp_path, at=300)
    shocked = lab_after(capsys, tmp_path, at=2400)   # nobody treats her: class III–IV
    assert calm["lactate"] == 1.0 and shocked["lactate"] >= 3.0


HEAVY = ("{t: 900, action: crystalloid_bolus, dose: 2000, unit: mL, route: IV, by: anaesthetist}",
         "{t: 1500, action: colloid_bolus, dose: 1500, unit: mL, route: IV, by: anaesthetist}",
         RBC.format(t=1700, dose=8), RBC.format(t=2100, dose=6), LABS.format(t=2700))


def test_fibrinogen_under_2_expects_fibrinogen_or_cryoprecipitate(capsys, tmp_path) -> None:
    fast = fast_labs(tmp_path)
    none = run(capsys, tmp_path, script(*HEAVY), fast)
    low = next(lab["results"]["fibrinogen"] for lab in none["labs"] if "fibrinogen" in lab["results"])
    assert low < 2.0 and "low_fibrinogen" in markers(none)
    assert expected(none, "fibrinogen_replacement") == "missed"
    for given in ("{t: 3400, action: fibrinogen, dose: 4, unit: g, route: IV, by: anaesthetist}",
                  "{t: 3400, action: cryoprecipitate, dose: 10, unit: U, route: IV, by: anaesthetist}"):
        out = run(capsys, tmp_path, script(*HEAVY, given), fast)
        assert expected(out, "fibrinogen_replacement") == "met"
    # the rule reads the result, not the blood: without a sample there is nothing to act on
    unsent = run(capsys, tmp_path, script(*HEAVY[:-1]), fast)
    assert expected(unsent, "fibrinogen_replacement") == "not applicable"


def test_massive_transfusion_expects_calcium(capsys, tmp_path) -> None:
    eight = (RBC.format(t=1000, dose=8),)
    out = run(capsys, tmp_path, script(*eight, duration=2000))
    assert expected(out, "calcium_massive_transfusion") == "missed"
    given = run(capsys, tmp_path, script(*eight, "{t: 1200, action: calcium, dose: 1, unit: g, route: IV, by: anaesthetist}",
                                         duration=2000))
    assert expected(given, "calcium_massive_transfusion") == "met" and given["flags"] == []
    # the dose rule on the calcium action: more than 3 g at once is flagged
    big = run(capsys, tmp_path, script(*eight, "{t: 1200, action: calcium, dose: 5, unit: g, route: IV, by: anaesthetist}",
                                       duration=2000))
    assert [(f["action"], f["kind"]) for f in big["flags"]] == [("calcium", "max_single")]


def test_ffp_12_to_15_ml_per_kg_after_4_units_when_results_are_not_back(capsys, tmp_path) -> None:
    eight = RBC.format(t=1000, dose=8)
    # 65 kg: 12 mL/kg is 780 mL of plasma
    full = run(capsys, tmp_path, script(eight, FFP.format(t=1200, dose=800), duration=2000))
    assert expected(full, "ffp_after_4_rbc") == "met"
    assert indicator(full, "ffp_dose_after_rbc")["met"] is True
    half = run(capsys, tmp_path, script(eight, FFP.format(t=1200, dose=400), duration=2000))
    assert expected(half, "ffp_after_4_rbc") == "met"
    assert indicator(half, "ffp_dose_after_rbc")["met"] is False
    # clotting results already back (sent at 10 s, back at 1810 s): the rule of thumb gives way
    known = run(capsys, tmp_path, script(LABS.format(t=10), RBC.format(t=1900, dose=8), duration=2600))
    assert "rbc4_no_results" not in markers(known)
    assert expected(known, "ffp_after_4_rbc") == "not applicable"


def test_a_sample_is_replayed_and_a_retracted_one_never_comes_back() -> None:
    loaded = load_scenario(PPH)
    drill = Drill(loaded, PatientParams(65.0))
    drill.advance_to(100)
    first = drill.act("send_labs", by="instructor")
    drill.advance_to(200)
    second = drill.act("send_labs", by="instructor")
    drill.retract(second.iid, reason="sample clotted")
    drill.advance_to(2100)
    assert [e.ref for e in drill.lab_results()] == [first.seq, first.seq]
    assert drill.variables()["lab.fibrinogen"] == 4.5
    inputs = [e for e in drill.events if e.iid is not None]
    again = Drill.replay(loaded, PatientParams(65.0), (), inputs, until=2100)
    assert [(e.t, e.values) for e in again.lab_results()] == [(e.t, e.values) for e in drill.lab_results()]


def test_the_new_numbers_are_listed_for_a_clinical_reviewer(capsys) -> None:
    assert main(["validate", "--unverified", str(PPH), str(ROOT / "scenarios" / "actions.yaml")]) == 0
    out = capsys.readouterr().out
    for field in ("labs.turnaround_s", "labs.point_of_care_s", "labs.baseline",
                  "blood_units.china", "expected[", "markers["):
        assert field in out, field
    assert "adult_units 0.5" in out and "whole_blood_ml 200" in out
