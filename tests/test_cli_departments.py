"""Departments and sites on every drill (issue 17): a drill run for a department and at a site
says so (`simtool drills --json`, with each participant's staff id), and the department's
figures count only its own drills — `stats indicators --department`, the quality PDF — while
a drill recorded without a department still counts for its participants' department."""

from __future__ import annotations

import json
from datetime import date

from simtool.cli import main as cli_main
from simtool.cli.export import _last_four_quarters
from simtool.core.drill import Participant, PatientParams
from simtool.core.scenario import load_scenario
from simtool.store import Archive, Trainee

from helpers.paths import PPH, SCENARIOS

PPH_SCRIPT = """duration_s: 1200
participants:
  - {id: t1, name: Li Na, role: midwife, staff_id: S001}
actions:
  - {t: 760, action: call_for_help, by: t1}
"""
LAST_SCRIPT = """duration_s: 600
participants:
  - {id: a1, name: Zhou Lei, role: anaesthetist, staff_id: A001}
actions:
  - {t: 0, action: bupivacaine, dose: 100, unit: mg, by: anaesthetist}
"""


def _runs(tmp_path, capsys):
    db = tmp_path / "a.sqlite"
    for scenario, text, dept in ((PPH, PPH_SCRIPT, "Obstetrics"),
                                 (SCENARIOS / "last_nerve_block.yaml", LAST_SCRIPT, "Anaesthesia")):
        script = tmp_path / f"{dept}.yaml"
        script.write_text(text, encoding="utf-8")
        assert cli_main(["run", str(scenario), "--script", str(script), "--archive", str(db),
                         "--site", "County Hospital", "--department", dept]) == 0
    capsys.readouterr()
    return db


def test_every_drill_carries_its_site_department_and_people(tmp_path, capsys):
    db = _runs(tmp_path, capsys)
    assert cli_main(["drills", "--json", "--archive", str(db)]) == 0
    drills = json.loads(capsys.readouterr().out)
    assert {(d["scenario_id"], d["site"], d["department"]) for d in drills} == {
        ("pph_uterine_atony", "County Hospital", "Obstetrics"),
        ("last_nerve_block", "County Hospital", "Anaesthesia")}
    assert {p["staff_id"] for d in drills for p in d["participants"]} == {"S001", "A001"}


def test_a_departments_figures_count_only_its_own_drills(tmp_path, capsys):
    db = _runs(tmp_path, capsys)
    for dept, scenario in (("Obstetrics", "pph_uterine_atony"), ("Anaesthesia", "last_nerve_block")):
        assert cli_main(["stats", "indicators", "--department", dept, "--json",
                         "--archive", str(db)]) == 0
        rep = json.loads(capsys.readouterr().out)
        assert rep["drills"] == 1
        assert {g["scenario_id"] for g in rep["groups"]} == {scenario}
        assert {g["department"] for g in rep["groups"]} == {None, dept}
    assert cli_main(["stats", "indicators", "--site", "Elsewhere", "--json", "--archive", str(db)]) == 0
    assert json.loads(capsys.readouterr().out)["drills"] == 0


def test_the_quality_report_of_a_department_counts_only_its_drills(tmp_path, capsys):
    from simtool.reports.qualitydata import build_quality
    db = _runs(tmp_path, capsys)
    today = date.today()
    with Archive.open(db) as archive:
        obstetrics = build_quality(archive, date(today.year - 1, 1, 1), today, department="Obstetrics")
        everyone = build_quality(archive, date(today.year - 1, 1, 1), today)
    assert [s.scenario_id for s in obstetrics.scenarios] == ["pph_uterine_atony"] and obstetrics.drills == 1
    assert {s.scenario_id for s in everyone.scenarios} == {"pph_uterine_atony", "last_nerve_block"}
    out = tmp_path / "q.pdf"
    assert cli_main(["export", "--kind", "quality", "--department", "Obstetrics",
                     "--from", f"{today.year - 1}-01-01", "--to", str(today),
                     "--archive", str(db), "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")


def test_a_drill_without_a_department_counts_for_its_participants_department(pph, tmp_path):
    with Archive.open(tmp_path / "a.sqlite") as archive:
        did = archive.start_drill(pph, PatientParams(65), [Participant("p1", "Li Na", "midwife")],
                                  trainees={"p1": Trainee("Li Na", "S001", "Obstetrics")})
        archive.end_drill(did)
        from simtool.store.analytics import indicators_report
        assert indicators_report(archive, department="Obstetrics")["drills"] == 1
        assert indicators_report(archive, department="Anaesthesia")["drills"] == 0


def test_the_quality_report_spans_the_last_four_complete_quarters_by_default():
    assert _last_four_quarters(date(2026, 11, 30)) == (date(2025, 10, 1), date(2026, 9, 30))
    assert _last_four_quarters(date(2026, 1, 1)) == (date(2025, 1, 1), date(2025, 12, 31))


def test_the_quality_report_says_too_few_drills_instead_of_a_figure(tmp_path, capsys):
    from simtool.reports.qualitydata import build_quality
    db = _runs(tmp_path, capsys)
    today = date.today()
    with Archive.open(db) as archive:
        few = build_quality(archive, date(today.year - 1, 1, 1), today, department="Obstetrics",
                            min_drills=5)
        one = build_quality(archive, date(today.year - 1, 1, 1), today, department="Obstetrics",
                            min_drills=1)
    cells = [c for ind in few.scenarios[0].indicators for c in ind.cells if c.applies]
    assert cells and all(c.compliance == c.median == "too few drills (n=1)" for c in cells)
    assert all(t is None for ind in few.scenarios[0].indicators for t in ind.trend)
    assert any(c.compliance != "too few drills (n=1)"
               for ind in one.scenarios[0].indicators for c in ind.cells if c.applies)
