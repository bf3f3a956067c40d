"""A monthly or quarterly report reads the indicator sums kept per scenario × month × site ×
department (schema 13 kept them per quarter; issue 21 keys them by month and merges a quarter's
three months). What a department would notice: the report from the sums is the report from
every drill's rows, to the last figure, by month and by quarter; a drill that ends, is
corrected or is discarded changes the next report at once; an archive that cannot be written
still gets a right report; a drill on 31 January and one on 1 February are two months."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from simtool.app.corrections import correct
from simtool.core.runner import run_script
from simtool.core.drill import PatientParams
from simtool.core.script import load_script
from simtool.store import Archive, Trainee, analytics, connection, schema
from simtool.store.analytics import indicators_report

from helpers.archive import TEAM, FakeClock
from helpers.paths import SCRIPTS

SCRIPT_NAMES = sorted(p.stem for p in SCRIPTS.glob("*.yaml"))
# start days over three quarters of two years, two sites and three departments (one drill
# recorded without a department: its participants' departments count)
PLAN = [(datetime(2024, 2, 1, 9, tzinfo=timezone.utc), "County", "Obstetrics"),
        (datetime(2024, 3, 31, 23, 59, tzinfo=timezone.utc), "City", "Obstetrics"),
        (datetime(2024, 4, 1, 0, 0, tzinfo=timezone.utc), "County", "Anaesthesia"),
        (datetime(2024, 5, 20, tzinfo=timezone.utc), None, None),
        (datetime(2024, 6, 30, 12, tzinfo=timezone.utc), "City", "Obstetrics"),
        (datetime(2025, 1, 3, tzinfo=timezone.utc), "County", None),
        (datetime(2025, 2, 14, tzinfo=timezone.utc), "City", "Anaesthesia"),
        (datetime(2025, 3, 1, tzinfo=timezone.utc), "County", "Obstetrics")]


def _rows_report(archive, *args, **kw):
    """The report read from every drill's kept rows (the path dates off quarter boundaries
    take), to compare with the one from the sums."""
    saved = analytics.GROUPS_FROM
    analytics.GROUPS_FROM = 10 ** 6
    try:
        return indicators_report(archive, *args, **kw)
    finally:
        analytics.GROUPS_FROM = saved


def _build(archive, clock, pph) -> list[str]:
    people = {p.id: Trainee(p.name, f"S-{p.id}", "Anaesthesia" if p.id == "t3" else "Obstetrics",
                            f"tr-{p.id}") for p in TEAM}
    ids = []
    for i, (at, site, dept) in enumerate(PLAN):
        script = load_script(SCRIPTS / f"{SCRIPT_NAMES[i % len(SCRIPT_NAMES)]}.yaml", pph)
        drill, _ = run_script(pph, script, PatientParams(65.0))
        clock.set(at)
        trainees = {p.id: people[p.id] for p in drill.participants if p.id in people}
        did = archive.start_drill(pph, drill.patient, drill.participants, "summative",
                                  trainees=trainees, site=site, department=dept)
        for e in drill.events:
            archive.append_event(did, e)
        ids.append(did)
    return ids


@pytest.fixture(scope="module")
def _many_file(tmp_path_factory, pph):
    """The PLAN's archive, built once for the module (playing and storing eight drills is
    most of these tests' time); each test gets its own copy."""
    path = tmp_path_factory.mktemp("many") / "archive.sqlite"
    clock = FakeClock()
    with Archive.open(path, clock=clock, actor="tester@lab") as a:
        ids = _build(a, clock, pph)
    return path, ids


@pytest.fixture
def archive(request, open_archive, tmp_path):
    """The conftest's archive; for a test that asks for ``many``, a copy of the PLAN's."""
    if "many" in request.fixturenames:
        built, _ids = request.getfixturevalue("_many_file")
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{built}{suffix}").exists():
                shutil.copy(f"{built}{suffix}", tmp_path / f"archive.sqlite{suffix}")
    return open_archive()


@pytest.fixture
def many(archive, _many_file):
    return _many_file[1]


def _stale(archive) -> int:
    return archive.db.execute("SELECT count(*) FROM indicator_groups_stale").fetchone()[0]


@pytest.mark.parametrize("scope", [
    {}, {"site": "County"}, {"site": "City"}, {"department": "Obstetrics"},
    {"department": "Anaesthesia", "site": "City"}, {"department": "Nowhere"}])
def test_the_report_from_the_sums_is_the_report_from_the_rows(archive, many, scope):
    # (one archive per scope, every range in it: building the drills is what takes time)
    for dates in [(None, None), (date(2024, 1, 1), date(2024, 6, 30)), (date(2024, 4, 1), None),
                  (None, date(2024, 12, 31)),
                  (date(2024, 3, 1), date(2024, 5, 31)),     # whole months, not whole quarters
                  (date(2024, 2, 2), date(2025, 2, 13))]:    # neither: read from the rows
        for by in ("quarter", "month"):
            from_sums = indicators_report(archive, *dates, **scope, by=by)
            assert from_sums == _rows_report(archive, *dates, **scope, by=by), (dates, by)
            assert from_sums["by"] == by
        if dates == (None, None):
            assert _stale(archive) == 0   # the first report summed every month and kept the sums


def test_the_sums_hold_every_group_of_the_whole_archive(archive, many):
    rep = indicators_report(archive)
    assert rep["drills"] == len(PLAN)
    totals = {(g["quarter"]): g["drills"] for g in rep["groups"] if g["department"] is None}
    assert totals == {"2024-Q1": 2, "2024-Q2": 3, "2025-Q1": 3}
    depts = {(g["quarter"], g["department"]) for g in rep["groups"] if g["department"]}
    assert ("2024-Q2", "Anaesthesia") in depts and ("2025-Q1", "Obstetrics") in depts


def test_a_drill_that_ends_is_in_the_next_report(archive, many, clock, pph):
    before = indicators_report(archive)
    script = load_script(SCRIPTS / f"{SCRIPT_NAMES[0]}.yaml", pph)
    drill, _ = run_script(pph, script, PatientParams(65.0))
    clock.set(datetime(2024, 5, 2, tzinfo=timezone.utc))
    did = archive.start_drill(pph, drill.patient, drill.participants, site="County",
                              department="Obstetrics")
    for e in drill.events[:-1]:
        archive.append_event(did, e)
    assert indicators_report(archive) == before          # running: not counted yet
    archive.append_event(did, drill.events[-1])          # the end
    after = indicators_report(archive)
    assert after["drills"] == before["drills"] + 1
    assert after == _rows_report(archive)


def test_a_discarded_drill_leaves_the_next_report(archive, many):
    before = indicators_report(archive)
    archive.discard(many[0], "started on the wrong scenario", by="instructor")
    after = indicators_report(archive)
    assert after["drills"] == before["drills"] - 1
    q1 = [g for g in after["groups"] if g["quarter"] == "2024-Q1" and g["department"] is None]
    assert q1[0]["drills"] == 1
    assert after == _rows_report(archive)


def test_a_correction_after_the_end_changes_the_next_report(archive, many, pph):
    did = many[2]
    before = indicators_report(archive)
    replayed = archive.replay(did, pph)
    seq = next(i for i, e in enumerate(replayed.events) if e.kind == "action" and e.action == "oxytocin")
    correct(archive, did, seq, loaded=pph, strike=True, reason="logged on the wrong patient")
    after = indicators_report(archive)
    assert after != before
    assert after == _rows_report(archive)


def test_an_archive_that_cannot_be_written_still_gets_the_right_report(tmp_path, clock, pph,
                                                                         monkeypatch, open_archive):
    a = open_archive()
    script = load_script(SCRIPTS / f"{SCRIPT_NAMES[0]}.yaml", pph)
    drill, _ = run_script(pph, script, PatientParams(65.0))
    clock.set(datetime(2024, 5, 2, tzinfo=timezone.utc))
    did = a.start_drill(pph, drill.patient, drill.participants)
    for e in drill.events:
        a.append_event(did, e)
    expected = _rows_report(a)
    assert _stale(a) == 1
    a.close()
    monkeypatch.setattr(connection, "OPEN_MODE", "ro")
    ro = open_archive()
    assert indicators_report(ro) == expected
    assert _stale(ro) == 1       # nothing written: summed for this report only
    ro.close()


def test_the_upgrade_sums_every_quarter_once(tmp_path, clock, pph):
    from simtool.store import Archive
    path = tmp_path / "v12.sqlite"
    with Archive.open(path, clock=clock, schema_version=12) as a:
        for at in (datetime(2024, 2, 1, tzinfo=timezone.utc), datetime(2024, 8, 1, tzinfo=timezone.utc)):
            script = load_script(SCRIPTS / f"{SCRIPT_NAMES[0]}.yaml", pph)
            drill, _ = run_script(pph, script, PatientParams(65.0))
            clock.set(at)
            did = a.start_drill(pph, drill.patient, drill.participants)
            for e in drill.events:
                a.append_event(did, e)
    heard = []
    with Archive.open(path, clock=clock, on_progress=lambda *x: heard.append(x)) as a:
        assert a.schema_version == schema.CURRENT_VERSION
        assert ("indicator groups", 2, 2) in heard
        assert _stale(a) == 0
        assert indicators_report(a) == _rows_report(a)


def test_the_sums_are_not_part_of_the_record(archive, many):
    """Derived data: the record's verify does not depend on them, and a department whose
    sums were damaged gets them back by marking the quarters stale."""
    indicators_report(archive)
    archive.db.execute("UPDATE indicator_groups SET met = 0")
    archive.db.execute("INSERT INTO indicator_groups_stale SELECT DISTINCT scenario_id, period "
                       "FROM indicator_groups WHERE substr(period, 6, 1) != 'Q'")
    assert indicators_report(archive) == _rows_report(archive)
    with pytest.raises(sqlite3.IntegrityError):   # one row per group
        archive.db.execute("INSERT INTO indicator_groups SELECT * FROM indicator_groups")


def test_a_quarter_is_its_three_months_merged(archive, many):
    by_q, by_m = indicators_report(archive, by="quarter"), indicators_report(archive, by="month")
    assert {g["period"] for g in by_m["groups"]} == {
        "2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2025-01", "2025-02", "2025-03"}
    assert all("quarter" not in g for g in by_m["groups"])
    assert all(g["quarter"] == g["period"] for g in by_q["groups"])
    q2 = next(g for g in by_q["groups"] if g["period"] == "2024-Q2" and g["department"] is None)
    months = [g for g in by_m["groups"] if g["period"] in ("2024-04", "2024-05", "2024-06")
              and g["department"] is None]
    assert q2["drills"] == sum(g["drills"] for g in months) == 3
    for ind in q2["indicators"]:
        parts = [i for g in months for i in g["indicators"] if i["id"] == ind["id"]]
        assert ind["applies"] == sum(i["applies"] for i in parts)
        assert ind["met"] == sum(i["met"] for i in parts)
        assert ind["min_s"] == min((i["min_s"] for i in parts if i["min_s"] is not None), default=None)


def test_31_january_and_1_february_are_two_months_of_one_quarter(archive, clock, pph):
    script = load_script(SCRIPTS / f"{SCRIPT_NAMES[0]}.yaml", pph)
    drill, _ = run_script(pph, script, PatientParams(65.0))
    for at in (datetime(2025, 1, 31, 23, 58, 0, tzinfo=timezone.utc),
               datetime(2025, 2, 1, 0, 0, 0, tzinfo=timezone.utc)):
        clock.set(at)
        did = archive.start_drill(pph, drill.patient, drill.participants)
        for e in drill.events:
            archive.append_event(did, e)
    months = indicators_report(archive, by="month")
    assert [(g["period"], g["drills"]) for g in months["groups"]] == [("2025-01", 1), ("2025-02", 1)]
    quarters = indicators_report(archive)
    assert [(g["period"], g["quarter"], g["drills"]) for g in quarters["groups"]] == [
        ("2025-Q1", "2025-Q1", 2)]
    # one day: read from the rows, same answer
    jan31 = indicators_report(archive, date(2025, 1, 31), date(2025, 1, 31), by="month")
    assert [(g["period"], g["drills"]) for g in jan31["groups"]] == [("2025-01", 1)]
    with pytest.raises(Exception, match="by quarter or by month"):
        indicators_report(archive, by="week")


@pytest.mark.parametrize("column", ["quarter", "month"])
def test_sums_kept_per_quarter_are_kept_per_month_after_the_upgrade(tmp_path, clock, pph, column):
    """An archive whose sums were kept per quarter (schema 13 as first released), or per month
    only (an unreleased build), gets them again by month and quarter, every month summed, and
    the same report as from its rows."""
    from simtool.store import Archive
    step = schema.MIGRATIONS.index(schema.group_indicators_by_month)
    path = tmp_path / "quarterly.sqlite"
    with Archive.open(path, clock=clock, schema_version=step) as a:
        for at in (datetime(2024, 2, 1, tzinfo=timezone.utc), datetime(2024, 3, 1, tzinfo=timezone.utc)):
            script = load_script(SCRIPTS / f"{SCRIPT_NAMES[0]}.yaml", pph)
            drill, _ = run_script(pph, script, PatientParams(65.0))
            clock.set(at)
            did = a.start_drill(pph, drill.patient, drill.participants)
            for e in drill.events:
                a.append_event(did, e)
        with a.transaction():   # the tables as the first schema 13 made them
            for name in [r[0] for r in a.db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%indicator_groups_stale%'")]:
                a.db.execute(f'DROP TRIGGER "{name}"')
            a.db.execute("DROP TABLE indicator_groups")
            a.db.execute("DROP TABLE indicator_groups_stale")
            a.db.execute(f"CREATE TABLE indicator_groups (scenario_id TEXT NOT NULL, {column} TEXT NOT NULL, "
                         "site TEXT NOT NULL, department TEXT NOT NULL, indicator_id TEXT NOT NULL, "
                         "position INTEGER NOT NULL, drills INTEGER NOT NULL, rows INTEGER NOT NULL, "
                         "applies INTEGER NOT NULL, met INTEGER NOT NULL, targets TEXT NOT NULL, "
                         f"seconds TEXT NOT NULL, PRIMARY KEY (scenario_id, {column}, site, department, "
                         "indicator_id)) WITHOUT ROWID")
            a.db.execute(f"CREATE TABLE indicator_groups_stale (scenario_id TEXT NOT NULL, "
                         f"{column} TEXT NOT NULL, PRIMARY KEY (scenario_id, {column})) WITHOUT ROWID")
            a.db.execute("INSERT INTO indicator_groups VALUES ('pph', '2024-Q1', '', '', '', -1, "
                         "99, 0, 0, 0, '[]', '[]')")
    heard = []
    with Archive.open(path, clock=clock, on_progress=lambda *x: heard.append(x)) as a:
        assert a.schema_version == schema.CURRENT_VERSION
        assert ("indicator groups", 2, 2) in heard     # February and March
        assert _stale(a) == 0
        rep = indicators_report(a, by="month")
        assert [(g["period"], g["drills"]) for g in rep["groups"]] == [("2024-02", 1), ("2024-03", 1)]
        assert indicators_report(a) == _rows_report(a)


def test_sums_kept_in_another_shape_at_this_format_are_built_again(archive, many):
    """Sums an unreleased build kept per month only, at this very format: the next report
    builds them again (or, read-only, reads the rows) — never an empty report."""
    expected = _rows_report(archive)
    with archive.transaction():
        archive.db.execute("DROP TABLE indicator_groups")
        archive.db.execute("CREATE TABLE indicator_groups (scenario_id TEXT, month TEXT)")
    assert indicators_report(archive) == expected
    assert "period" in {r[1] for r in archive.db.execute("PRAGMA table_info(indicator_groups)")}
    assert indicators_report(archive, by="month") == _rows_report(archive, by="month")


def test_verify_names_a_sum_edited_behind_simtools_back_and_resum_repairs_it(archive, many, capsys):
    """The sums are derived, but every quality report reads them: an edited one would change a
    quarter's compliance while the drills verify. verify sums them again and names the period;
    `stats indicators --resum` sums them again from the drills."""
    from simtool.cli import main
    good = indicators_report(archive)
    assert archive.verify() == []
    archive.db.execute("UPDATE indicator_groups SET met = 0 WHERE period = '2024-Q2'")
    problems = archive.verify()
    assert any("pph_uterine_atony 2024-Q2" in p and "--resum" in p for p in problems), problems
    assert indicators_report(archive) != good          # what a department would have read
    assert main(["stats", "indicators", "--resum", "--json", "--archive", str(archive.path)]) == 0
    capsys.readouterr()
    assert archive.verify() == []
    assert indicators_report(archive) == good == _rows_report(archive)
