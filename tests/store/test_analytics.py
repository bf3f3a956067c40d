"""Department analytics: indicator times read from the stored event rows equal what the core's
``assess.all_indicators`` says of the same drills; grouping by scenario, quarter and department;
a trainee's portfolio."""

from __future__ import annotations

import statistics
from datetime import date, datetime, timezone

import pytest

from simtool.core.assess import all_indicators
from simtool.core.drill import Drill, PatientParams
from simtool.core.rubric import load_rubric
from simtool.core.runner import run_script
from simtool.core.scoring import score
from simtool.core.script import load_script
from simtool.store import Examiner, NotFoundError, Trainee
from simtool.store.analytics import drill_indicators, indicators_report, portfolio, quarter_of
from simtool.store.scores import save_score

from helpers.archive import PATIENT, TEAM, play
from helpers.paths import ROOT, SCRIPTS

SCRIPT_NAMES = sorted(p.stem for p in SCRIPTS.glob("*.yaml"))
STARTS = {"absent_care": datetime(2024, 2, 1, tzinfo=timezone.utc),
          "busy_team": datetime(2024, 5, 1, tzinfo=timezone.utc),
          "good_care": datetime(2024, 5, 20, tzinfo=timezone.utc),
          "late_care": datetime(2024, 11, 3, tzinfo=timezone.utc)}


@pytest.fixture
def recorded(archive, clock, pph):
    """Every test script played and stored; trainees in Obstetrics, except t3 (Anaesthesia)."""
    people = {p.id: Trainee(p.name, f"S-{p.id}", "Anaesthesia" if p.id == "t3" else "Obstetrics", f"tr-{p.id}")
              for p in TEAM}
    drills = {}
    for name in SCRIPT_NAMES:
        script = load_script(SCRIPTS / f"{name}.yaml", pph)
        drill, _ = run_script(pph, script, PatientParams(65.0))
        clock.set(STARTS[name])
        trainees = {p.id: people[p.id] for p in drill.participants if p.id in people}
        did = archive.start_drill(pph, drill.patient, drill.participants, "summative", trainees=trainees)
        for e in drill.events:
            assert archive.append_event(did, e) is None
        drills[did] = drill
    return drills


def test_stored_rows_give_the_same_indicators_as_the_core(archive, recorded):
    got = {d.drill_id: d for d in drill_indicators(archive)}
    assert set(got) == set(recorded)
    for did, drill in recorded.items():
        assert drill.ended
        assert list(got[did].results) == all_indicators(drill)
    # the scripts do differ: not every drill meets every target
    assert {r.met for d in got.values() for r in d.results} >= {True, False}


def test_retracted_and_flagged_actions_count_as_the_core_counts_them(archive, pph):
    """Good care whose tranexamic acid draws a flag, one oxytocin retracted and given again."""
    did = archive.start_drill(pph, PATIENT, TEAM)
    drill = Drill(pph, PATIENT, TEAM)
    archive.record(did, drill)
    play(drill, until=800)
    oxy = next(e for e in drill.actions_done() if e.action == "oxytocin")
    drill.retract(oxy.iid, reason="logged on the wrong patient")
    drill.advance_to(820)
    drill.act("oxytocin", by="t1", dose=10, unit="IU", route="IM")
    play(drill, until=1000)
    drill.end()
    expected = all_indicators(drill)
    assert [r for r in expected if r.id == "oxytocin_per_protocol"][0].seconds is not None
    (row,) = drill_indicators(archive)
    assert list(row.results) == expected


def test_running_drills_are_left_out_until_they_end(archive, pph):
    did = archive.start_drill(pph, PATIENT, TEAM)
    drill = Drill(pph, PATIENT, TEAM)
    archive.record(did, drill)
    play(drill, until=800)
    assert drill_indicators(archive) == []
    assert len(drill_indicators(archive, finished_only=False)) == 1


def test_report_groups_by_scenario_quarter_and_department(archive, recorded):
    rep = indicators_report(archive)
    assert rep["drills"] == 4
    keys = [(g["quarter"], g["department"], g["drills"]) for g in rep["groups"]]
    # absent_care (Q1) has a midwife only: no Anaesthesia group that quarter
    assert keys == [("2024-Q1", None, 1), ("2024-Q1", "Obstetrics", 1),
                    ("2024-Q2", None, 2), ("2024-Q2", "Anaesthesia", 2), ("2024-Q2", "Obstetrics", 2),
                    ("2024-Q4", None, 1), ("2024-Q4", "Anaesthesia", 1), ("2024-Q4", "Obstetrics", 1)]
    q2 = rep["groups"][3]
    assert q2["scenario_id"] == "pph_uterine_atony"
    by_id = {i["id"]: i for i in q2["indicators"]}
    core = [r for did, d in recorded.items()
            for r in all_indicators(d) if quarter_of(archive.drill(did).started_at) == "2024-Q2"]
    warning = [r for r in core if r.id == "warning_delay"]
    assert by_id["warning_delay"]["target_s"] == 600
    assert by_id["warning_delay"]["met"] == sum(bool(r.met) for r in warning)
    assert by_id["warning_delay"]["applies"] == sum(r.met is not None for r in warning)
    secs = sorted(r.seconds for r in warning if r.seconds is not None)
    assert by_id["warning_delay"]["median_s"] == (statistics.median(secs) if secs else None)


def test_report_date_range_includes_the_last_day(archive, recorded):
    assert indicators_report(archive, date(2024, 5, 1), date(2024, 5, 20))["drills"] == 2
    assert indicators_report(archive, date(2024, 5, 2), date(2024, 5, 19))["drills"] == 0
    assert indicators_report(archive, to_date=date(2024, 2, 1))["drills"] == 1


def test_quarter_of():
    assert [quarter_of(f"2025-{m:02d}-01T00:00:00") for m in (1, 3, 4, 6, 7, 9, 10, 12)] == \
        ["2025-Q1", "2025-Q1", "2025-Q2", "2025-Q2", "2025-Q3", "2025-Q3", "2025-Q4", "2025-Q4"]


def test_portfolio_lists_drills_times_and_scores(archive, recorded, pph):
    rubric = load_rubric(ROOT / "rubrics" / "pph_uterine_atony_technical.yaml", pph)
    did = next(d for d, drill in recorded.items() if archive.drill(d).started_at.startswith("2024-11"))
    links = {p.id: p.trainee_id for p in archive.drill(did).participants if p.trainee_id}
    ids = save_score(archive, did, rubric, score(rubric, recorded[did], evaluation_type="summative"), links)
    unsigned = portfolio(archive, "S-t1")
    assert unsigned["scenarios"][0]["mean_percentage"] is None   # unsigned sheets are not scores yet
    examiner = archive.add_examiner(Examiner("Dr A"))
    for sid in ids:
        archive.sign_sheet(sid, examiner)
    rep = portfolio(archive, "S-t1")  # by staff id
    assert rep["trainee"]["id"] == "tr-t1" and rep["trainee"]["department"] == "Obstetrics"
    assert [d["started_at"][:7] for d in rep["drills"]] == ["2024-02", "2024-05", "2024-05", "2024-11"]
    last = rep["drills"][-1]
    assert last["indicators"] == [r.to_dict() for r in all_indicators(recorded[did])]
    assert {s["scope"] for s in last["sheets"]} == {"trainee", "team"}
    mine = [s for s in last["sheets"] if s["scope"] == "trainee"]
    assert all(isinstance(s["percentage"], float) for s in mine)
    (sc,) = rep["scenarios"]
    assert sc["drills"] == 4 and sc["mean_percentage"] == mine[0]["percentage"]
    assert portfolio(archive, "tr-t1") == rep
    with pytest.raises(NotFoundError):
        portfolio(archive, "nobody")


def test_an_indicator_bound_to_a_role_counts_only_that_roles_action(archive, tmp_path):
    """end_role: oxytocin by the obstetrician first does not stop the midwife's clock."""
    from simtool.core.drill import Participant
    from simtool.core.scenario import load_scenario
    text = (ROOT / "tests" / "core" / "data" / "minimal_scenario.yaml").read_text(encoding="utf-8")
    text = text.replace("    label: {en: Midwife, zh_CN: 助产士, zh_TW: 助產師}\n",
                        "    label: {en: Midwife, zh_CN: 助产士, zh_TW: 助產師}\n  - id: obstetrician\n"
                        "    label: {en: Obstetrician, zh_CN: 产科医生, zh_TW: 產科醫師}\n")
    text = text.replace("    end_action: oxytocin\n", "    end_action: oxytocin\n    end_role: midwife\n")
    text = text.replace("        on_action: oxytocin\n", "        on_action: call_for_help\n")
    (tmp_path / "roles.yaml").write_text(text, encoding="utf-8")
    loaded = load_scenario(tmp_path / "roles.yaml")
    people = [Participant("a", "Ann", "obstetrician"), Participant("b", "Bo", "midwife")]
    drill = Drill(loaded, PatientParams(65), people)
    drill.tick(10)
    drill.act("oxytocin", by="a", dose=10, unit="IU", route="IM")
    drill.tick(40)
    drill.act("oxytocin", by="b", dose=10, unit="IU", route="IM")
    drill.end()
    assert [r.seconds for r in all_indicators(drill)] == [50]
    did = archive.start_drill(loaded, drill.patient, people)
    for e in drill.events:
        archive.append_event(did, e)
    (got,) = drill_indicators(archive)
    assert list(got.results) == all_indicators(drill)


def test_finished_drills_results_are_kept_and_read_back(archive, recorded):
    first = drill_indicators(archive)
    kept = archive._conn.execute("SELECT count(*) FROM drill_indicators_kept").fetchone()[0]
    assert kept == len(first) == len(recorded)
    # the second report reads the kept rows: remove one drill's and the report follows
    archive._conn.execute("DELETE FROM drill_indicators WHERE drill_id = ?", (first[0].drill_id,))
    second = {d.drill_id: d for d in drill_indicators(archive)}
    assert second[first[0].drill_id].results == ()
    assert [second[d.drill_id].results for d in first[1:]] == [d.results for d in first[1:]]
    report = indicators_report(archive)
    assert report["drills"] == len(recorded)


def test_an_archived_scenario_text_is_read_with_the_yaml_limits():
    """A scenario text in the archive may come from an imported bundle: an alias bomb or a
    nesting bomb in it is refused in one sentence, never expanded or handed to the C parser."""
    from simtool.store.analytics import indicators_of_text
    from simtool.store.errors import ArchiveError
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi")) + "indicators: *i\n"
    deep = "indicators: " + "[" * 100_000 + "]" * 100_000 + "\n"
    for text in (bomb, deep):
        with pytest.raises(ArchiveError, match="archived scenario text cannot be read"):
            indicators_of_text(text)
