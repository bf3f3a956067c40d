"""``simtool stats indicators`` with per-indicator targets, alerts and months (issue 21), and
``simtool stats target``: what a department's quality lead reads and sets.

Drills are played from the PPH test scripts: good care meets every PPH target, late care
misses oxytocin (12 min 30 s against 5 min), so a quarter of late care is 0 % compliance."""

from __future__ import annotations

import argparse
import functools
import json
from datetime import datetime, timezone

import pytest

from simtool.cli.stats import EXIT_OK, add_stats_parser
from simtool.core.drill import PatientParams
from simtool.core.errors import SimtoolError
from simtool.core.runner import run_script
from simtool.core.scenario import load_scenario
from simtool.core.script import load_script
from simtool.store import Archive

from helpers.archive import FakeClock
from helpers.paths import ROOT, SCRIPTS

OXY = "oxytocin_per_protocol"


def stats(*argv: str) -> int:
    p = argparse.ArgumentParser(prog="simtool")
    add_stats_parser(p.add_subparsers(dest="command"))
    args = p.parse_args(["stats", *argv])
    return args.func(args)


@functools.lru_cache(maxsize=None)
def _pph():
    return load_scenario(ROOT / "scenarios" / "pph_uterine_atony.yaml")


@functools.lru_cache(maxsize=None)
def _played(name: str):
    pph = _pph()
    drill, _ = run_script(pph, load_script(SCRIPTS / f"{name}.yaml", pph), PatientParams(65.0))
    return drill


def _archive(path, plan) -> str:
    """plan: (script name, start) pairs, stored as ended drills."""
    clock = FakeClock()
    with Archive.open(path, clock=clock) as a:
        for name, at in plan:
            drill = _played(name)
            clock.set(at)
            did = a.start_drill(_pph(), drill.patient, drill.participants)
            for e in drill.events:
                a.append_event(did, e)
    return str(path)


def _json(capsys, *argv: str) -> dict:
    capsys.readouterr()
    assert stats("indicators", *argv, "--json") == EXIT_OK
    return json.loads(capsys.readouterr().out)


def _utc(*a: int) -> datetime:
    return datetime(*a, tzinfo=timezone.utc)


def _alerts(report, kind=None):
    return [(a["kind"], a["indicator"], a["period"]) for a in report["alerts"]
            if a["department"] is None and (kind is None or a["kind"] == kind)]


def test_each_indicator_carries_both_targets_and_their_source(tmp_path, capsys):
    db = _archive(tmp_path / "a.sqlite", [("good_care", _utc(2025, 2, 1, 9))])
    rep = _json(capsys, "--archive", db)
    inds = {i["id"]: i for i in rep["groups"][0]["indicators"]}
    assert inds[OXY]["target_s"] == 300 and inds[OXY]["target_pct"] == 90
    assert "document 002" in inds[OXY]["target_source"] and inds[OXY]["target_origin"] == "scenario"
    for i in inds.values():   # no indicator lacks a target or a source
        assert isinstance(i["target_pct"], (int, float)) and i["target_source"].strip(), i["id"]
    assert rep["alert_margin_pts"] == 10 and rep["alert_margin_source"].startswith("design:")
    capsys.readouterr()
    assert stats("indicators", "--archive", db) == EXIT_OK
    out = capsys.readouterr().out
    assert "target ≤ 5 min" in out and "target > 90 %" in out
    assert f"pph_uterine_atony {OXY}: > 90 % — document 002" in out
    assert "alerts: 0" in out


def test_an_alert_fires_on_two_bad_quarters_and_not_on_one(tmp_path, capsys):
    one = _archive(tmp_path / "one.sqlite", [("late_care", _utc(2024, 2, 1, 9))])
    assert _alerts(_json(capsys, "--archive", one), "below_target") == []
    two = _archive(tmp_path / "two.sqlite", [("late_care", _utc(2024, 2, 1, 9)),
                                             ("late_care", _utc(2024, 5, 1, 9))])
    rep = _json(capsys, "--archive", two)
    assert ("below_target", OXY, "2024-Q2") in _alerts(rep)
    oxy = next(a for a in rep["alerts"] if a["indicator"] == OXY and a["kind"] == "below_target")
    assert (oxy["previous"], oxy["compliance"], oxy["target_pct"]) == ("2024-Q1", [0.0, 0.0], 90)
    # the median time above the timing target twice, too
    assert ("above_time", OXY, "2024-Q2") in _alerts(rep)
    capsys.readouterr()
    assert stats("indicators", "--archive", two) == EXIT_OK
    assert f"2024-Q2  pph_uterine_atony all departments {OXY}: compliance 0 %, 0 %: not above " \
           f"the target > 90 %" in capsys.readouterr().out
    # by month the same two drills are three months apart: no run, no alert
    assert _alerts(_json(capsys, "--archive", two, "--by", "month"), "below_target") == []


def test_a_fall_beyond_the_margin_fires_and_the_margin_is_the_departments(tmp_path, capsys):
    db = _archive(tmp_path / "a.sqlite", [("good_care", _utc(2024, 2, 1, 9)),
                                          ("late_care", _utc(2024, 4, 2, 9))])
    assert ("drop", OXY, "2024-Q2") in _alerts(_json(capsys, "--archive", db))
    assert _alerts(_json(capsys, "--archive", db, "--alert-margin", "100"), "drop") == []
    # the department sets its own margin in the archive: used from then on, with its source
    assert stats("target", "--alert-margin", "100", "--source", "quality meeting 2025-03",
                 "--archive", db) == EXIT_OK
    rep = _json(capsys, "--archive", db)
    assert (rep["alert_margin_pts"], rep["alert_margin_source"]) == (100, "quality meeting 2025-03")
    assert _alerts(rep, "drop") == []


def test_by_month_31_january_and_1_february(tmp_path, capsys):
    db = _archive(tmp_path / "a.sqlite", [("good_care", _utc(2025, 1, 31, 22)),
                                          ("good_care", _utc(2025, 2, 1, 0, 5))])
    rep = _json(capsys, "--archive", db, "--by", "month")
    assert rep["by"] == "month"
    assert [(g["period"], g["drills"]) for g in rep["groups"]] == [("2025-01", 1), ("2025-02", 1)]
    assert all("quarter" not in g for g in rep["groups"])
    rep = _json(capsys, "--archive", db)
    assert [(g["period"], g["quarter"], g["drills"]) for g in rep["groups"]] == [("2025-Q1", "2025-Q1", 2)]
    with pytest.raises(SystemExit):
        stats("indicators", "--archive", db, "--by", "week")
    with pytest.raises(SimtoolError, match="real cases"):
        stats("indicators", "--archive", db, "--by", "month", "--source", "cases")


def test_a_department_overrides_a_target_audited_and_latest_first(tmp_path, capsys):
    db = _archive(tmp_path / "a.sqlite", [("good_care", _utc(2025, 2, 1, 9))])
    for pct, why in (("95", "quality meeting 2025-01"), ("85", "quality meeting 2025-04")):
        assert stats("target", "pph_uterine_atony", OXY, "--pct", pct, "--source", why,
                     "--archive", db) == EXIT_OK
    rep = _json(capsys, "--archive", db)
    oxy = next(i for i in rep["groups"][0]["indicators"] if i["id"] == OXY)
    assert (oxy["target_pct"], oxy["target_source"], oxy["target_origin"]) == (
        85, "quality meeting 2025-04", "department")
    with Archive.open(db, create=False) as a:
        assert a.verify() == []
        audited = a.db.execute("SELECT count(*) FROM audit WHERE table_name = 'meta' "
                               "AND record_id LIKE 'indicator_target/%'").fetchone()[0]
        assert audited == 2   # both kept: who set which target when stays in the record


@pytest.mark.parametrize("argv, message", [
    (["pph_uterine_atony", "no_such_indicator", "--pct", "90", "--source", "x"], "no scenario"),
    (["no_such_scenario", OXY, "--pct", "90", "--source", "x"], "no scenario"),
    (["pph_uterine_atony", OXY, "--pct", "100", "--source", "x"], "under 100"),
    (["pph_uterine_atony", OXY, "--pct", "90", "--source", "   "], "source"),
    (["pph_uterine_atony", OXY, "--pct", "90", "--source", "x" * 501], "at most 500"),
    (["pph_uterine_atony", OXY, "--source", "x"], "needs SCENARIO, INDICATOR and --pct"),
    (["--source", "x"], "give SCENARIO"),
    (["'; DROP TABLE drills;--", OXY, "--pct", "90", "--source", "x"], "no scenario"),
])
def test_a_bad_target_is_one_sentence_and_nothing_is_written(tmp_path, argv, message):
    db = _archive(tmp_path / "a.sqlite", [("good_care", _utc(2025, 2, 1, 9))])
    with pytest.raises(SimtoolError, match=message):
        stats("target", *argv, "--archive", db)
    with Archive.open(db, create=False) as a:
        assert a.db.execute("SELECT count(*) FROM meta WHERE key LIKE 'indicator_target/%' "
                            "OR key LIKE 'alert_margin/%'").fetchone()[0] == 0
        assert a.db.execute("SELECT count(*) FROM drills").fetchone()[0] == 1


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "101", "ninety", "1e400", ""])
def test_a_percentage_that_is_not_one_is_a_usage_error(tmp_path, value):
    with pytest.raises(SystemExit):
        stats("target", "pph_uterine_atony", OXY, "--pct", value, "--source", "x",
              "--archive", str(tmp_path / "a.sqlite"))
    with pytest.raises(SystemExit):
        stats("indicators", "--alert-margin", value, "--archive", str(tmp_path / "a.sqlite"))


def test_a_source_with_markup_is_kept_as_written(tmp_path, capsys):
    db = _archive(tmp_path / "a.sqlite", [("good_care", _utc(2025, 2, 1, 9))])
    source = "<b>科室</b> '; DROP TABLE meta;-- \u202e"
    assert stats("target", "pph_uterine_atony", OXY, "--pct", "50", "--source", source,
                 "--archive", db) == EXIT_OK
    rep = _json(capsys, "--archive", db)
    assert next(i for i in rep["groups"][0]["indicators"] if i["id"] == OXY)["target_source"] == source.strip()
    capsys.readouterr()
    assert stats("indicators", "--archive", db) == EXIT_OK
    assert "\u202e" not in capsys.readouterr().out   # escaped for the terminal


@pytest.mark.parametrize("value", ["not json", "[1, 2]", '{"scenario_id": "pph_uterine_atony", '
                                   '"indicator": "oxytocin_per_protocol", "target_pct": "5", '
                                   '"target_source": "x"}', '{"margin_pts": null}', "\ufeff{}", "'; --",
                                   '{"margin_pts": NaN, "source": "x", "scenario_id": "pph_uterine_atony", '
                                   '"indicator": "oxytocin_per_protocol", "target_pct": Infinity, '
                                   '"target_source": "x"}',
                                   '{"margin_pts": -5, "source": "x", "scenario_id": "pph_uterine_atony", '
                                   '"indicator": "oxytocin_per_protocol", "target_pct": 100, '
                                   '"target_source": "x"}'])
def test_a_setting_simtool_did_not_write_is_ignored_not_a_traceback(tmp_path, capsys, value):
    db = _archive(tmp_path / "a.sqlite", [("good_care", _utc(2025, 2, 1, 9))])
    with Archive.open(db, create=False) as a:
        with a.transaction():
            a.db.execute("INSERT INTO meta (key, value) VALUES ('indicator_target/000001', ?)", (value,))
            a.db.execute("INSERT INTO meta (key, value) VALUES ('alert_margin/000001', ?)", (value,))
    rep = _json(capsys, "--archive", db)
    oxy = next(i for i in rep["groups"][0]["indicators"] if i["id"] == OXY)
    assert (oxy["target_pct"], oxy["target_origin"]) == (90, "scenario")
    assert rep["alert_margin_pts"] == 10
