"""``simtool stats``: indicators, psychometrics and portfolio from the command line.

``simtool.cli`` wires ``add_stats_parser`` in; these tests build the same sub-parser on their
own so they do not depend on that line."""

from __future__ import annotations

import argparse
import json
import re

import pytest

from simtool.cli.stats import EXIT_OK, EXIT_PROBLEMS, add_stats_parser
from simtool.core.drill import PatientParams
from simtool.core.errors import SimtoolError
from simtool.core.runner import run_script
from simtool.core.script import load_script
from simtool.store import Archive, Trainee

from helpers.paths import SCRIPTS


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="simtool")
    add_stats_parser(p.add_subparsers(dest="command"))
    return p


def stats(*argv: str) -> int:
    args = parser().parse_args(["stats", *argv])
    return args.func(args)


@pytest.fixture
def db(tmp_path, pph):
    path = tmp_path / "a.sqlite"
    script = load_script(SCRIPTS / "good_care.yaml", pph)
    drill, _ = run_script(pph, script, PatientParams(65.0))
    with Archive.open(path) as archive:
        did = archive.start_drill(pph, drill.patient, drill.participants,
                                  trainees={"t1": Trainee("Li Na", "S1", "Obstetrics", "tr1")})
        for e in drill.events:
            archive.append_event(did, e)
    return path


def test_every_stats_command_has_help():
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    stats_parser = sub.choices["stats"]
    inner = next(a for a in stats_parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(inner.choices) == {"indicators", "target", "psychometrics", "portfolio"}
    for choice in inner._choices_actions:
        assert choice.help
    for name, p in inner.choices.items():
        assert p.description, name
        for action in p._actions:
            assert action.help, (name, action.dest)


def test_indicators_json(db, capsys):
    assert stats("indicators", "--archive", str(db), "--json") == EXIT_OK
    out = json.loads(capsys.readouterr().out)
    assert out["drills"] == 1
    assert [(g["department"], g["drills"]) for g in out["groups"]] == [(None, 1), ("Obstetrics", 1)]
    ind = out["groups"][0]["indicators"][0]
    assert set(ind) == {"id", "target_s", "applies", "done", "met", "compliance", "median_s",
                        "p25_s", "p75_s", "min_s", "max_s", "target_pct", "target_source",
                        "target_origin"}
    assert out["groups"][0]["period"] == out["groups"][0]["quarter"]
    assert out["alerts"] == [] and out["by"] == "quarter"


def test_indicators_text_and_dates(db, capsys):
    assert stats("indicators", "--archive", str(db), "--from", "2000-01-01", "--to", "2000-12-31") == EXIT_OK
    assert capsys.readouterr().out.startswith("0 ended drills")
    with pytest.raises(SimtoolError, match="after"):
        stats("indicators", "--archive", str(db), "--from", "2001-01-01", "--to", "2000-12-31")
    with pytest.raises(SystemExit):
        stats("indicators", "--from", "yesterday")


def test_missing_archive_is_one_message(tmp_path):
    with pytest.raises(SimtoolError, match="no archive"):
        stats("indicators", "--archive", str(tmp_path / "none.sqlite"))


def test_portfolio_json(db, capsys):
    assert stats("portfolio", "S1", "--archive", str(db), "--json") == EXIT_OK
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"trainee", "span", "drills", "scenarios", "trends"}
    assert out["trainee"]["name"] == "Li Na" and len(out["drills"]) == 1
    assert set(out["drills"][0]) == {"drill_id", "started_at", "scenario_id", "scenario_version", "status",
                                     "evaluation_type", "role", "site", "department", "imported",
                                     "score", "indicators", "sheets", "critical"}
    assert stats("portfolio", "tr1", "--archive", str(db)) == EXIT_OK
    assert "Li Na (S1), 1 drills" in capsys.readouterr().out


def test_human_output_writes_times_one_way(db, capsys, monkeypatch):
    """Issue 16: indicator times and targets in minutes and seconds, a drill's start in the
    local zone with its offset (``--json`` keeps seconds and UTC: the tests above)."""
    from helpers.timeforms import old_time_forms
    monkeypatch.setenv("SIMTOOL_TZ", "Asia/Shanghai")
    assert stats("indicators", "--archive", str(db)) == EXIT_OK
    out = capsys.readouterr().out
    assert re.search(r"time_to_txa +median +2 min  IQR 2 min–2 min  target ≤ 15 min  met 1/1 \(100 %, target > 80 %\)", out), out
    assert re.search(r"oxytocin_per_protocol +median +40 s  IQR 40 s–40 s  target ≤ 5 min", out), out
    assert stats("portfolio", "S1", "--archive", str(db)) == EXIT_OK
    text = capsys.readouterr().out
    assert re.search(r"^\d{4}-\d\d-\d\d \d\d:\d\d \(UTC\+08:00\)  pph_uterine_atony  .*"
                     r"warning_delay 10 s, oxytocin_per_protocol 40 s, time_to_txa 2 min", text, re.M), text
    assert old_time_forms(out + text) == []


SCORES = "candidate,station,examiner,checklist,global,item:a,item:b\n" + "".join(
    f"c{c},S1,{ex},{10 * g + (2 if ex == 'E1' else 0)},{g},{c % 2},{int(g > 2)}\n"
    for c, g in enumerate([1, 2, 3, 4, 5, 2, 3, 4]) for ex in ("E1", "E2"))


def test_psychometrics_json_and_text(tmp_path, capsys):
    f = tmp_path / "scores.csv"
    f.write_text(SCORES, encoding="utf-8")
    j = tmp_path / "angoff.csv"
    j.write_text("station,judge,item:a,item:b\nS1,J1,0.5,0.6\nS1,J2,0.7,0.8\n", encoding="utf-8")
    assert stats("psychometrics", "--input", str(f), "--angoff", str(j), "--json", "--resamples", "200") == EXIT_OK
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"candidates", "borderline_grade", "stations", "exam", "examiners", "warnings"}
    (s,) = out["stations"]
    assert s["borderline_regression"]["cut"] == pytest.approx(21.0)  # checklist = 10·g + 1 on average
    assert s["angoff"]["cut"] == pytest.approx(1.3)
    (pair,) = s["agreement"]
    assert pair["kappa_grade"] == 1.0 and pair["icc3_1"] == 1.0 and pair["icc2_1"] < 1.0
    assert [e["mean_deviation"] for e in out["examiners"]] == [2.0, -2.0]  # E1 the dove
    assert out["warnings"] and "unstable" in out["warnings"][0]
    assert stats("psychometrics", "--input", str(f), "--borderline", "2", "--resamples", "200") == EXIT_OK
    text = capsys.readouterr()
    assert "borderline regression" in text.out and "warning:" in text.err


def test_psychometrics_bad_csv_prints_file_line_column(tmp_path, capsys):
    f = tmp_path / "scores.csv"
    f.write_text("candidate,station,examiner,checklist,global\nc1,S1,E1,x,2\n", encoding="utf-8")
    assert stats("psychometrics", "--input", str(f)) == EXIT_PROBLEMS
    assert capsys.readouterr().err == f"{f}:2: checklist: 'x' is not a number\n"
    with pytest.raises(SimtoolError, match="--borderline"):
        stats("psychometrics", "--input", str(f), "--borderline", "meh")


def test_psychometrics_reads_the_archives_signed_sheets(tmp_path, capsys):
    """Without --input the archive's signed trainee sheets are the exam: one row per trainee
    sheet, the rubric as the station, the signing examiner, points and global grade."""
    import json as _json

    from simtool.core.drill import PatientParams
    from simtool.core.rubric import load_rubric
    from simtool.core.runner import run_script
    from simtool.core.scenario import load_scenario
    from simtool.core.scoring import score
    from simtool.core.script import load_script
    from simtool.store import Archive, Examiner, Trainee
    from simtool.store.scores import save_sheet

    from helpers.paths import PPH, ROOT, SCRIPTS
    from simtool.cli import main as cli_main

    loaded = load_scenario(PPH)
    rubric = load_rubric(ROOT / "rubrics" / "pph_uterine_atony_technical.yaml", loaded)
    db = tmp_path / "exam.sqlite"
    grades = iter(["clear_fail", "borderline", "clear_pass", "good", "borderline", "excellent"])
    with Archive.open(db) as archive:
        examiner = archive.add_examiner(Examiner("Dr Zhou", "E1"))
        for n, name in enumerate(("late_care.yaml", "good_care.yaml")):
            drill, _ = run_script(loaded, load_script(SCRIPTS / name, loaded), PatientParams(65))
            did = archive.start_drill(loaded, drill.patient, drill.participants, "summative",
                                      trainees={p.id: Trainee(p.name, f"S{n}{p.id}") for p in drill.participants})
            for e in drill.events:
                archive.append_event(did, e)
            links = {p.id: p.trainee_id for p in archive.drill(did).participants}
            marks = {p.id: {"global_grade": next(grades)} for p in drill.participants}
            result = score(rubric, drill, marks, evaluation_type="summative")
            for p in drill.participants:
                archive.sign_sheet(save_sheet(archive, did, rubric, result.sheet(p.id), links), examiner)
    assert cli_main(["stats", "psychometrics", "--archive", str(db), "--json"]) == 0
    report = _json.loads(capsys.readouterr().out)
    (station,) = report["stations"]
    assert station["station"] == "pph_uterine_atony_technical"
    assert station["n"] == 6 and report["candidates"] == 6
    assert any("50" in w for w in report["warnings"])  # far fewer than ~50 candidates
