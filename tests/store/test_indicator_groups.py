"""A quarterly report reads the indicator sums kept per scenario × quarter × site × department
(schema 13). What a department would notice: the report from the sums is the report from every
drill's rows, to the last figure; a drill that ends, is corrected or is discarded changes the
next report at once; an archive that cannot be written still gets a right report."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timezone

import pytest

from simtool.app.corrections import correct
from simtool.core.runner import run_script
from simtool.core.drill import PatientParams
from simtool.core.script import load_script
from simtool.store import Trainee, analytics, connection, schema
from simtool.store.analytics import indicators_report

from helpers.archive import TEAM
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


@pytest.fixture
def many(archive, clock, pph):
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


def _stale(archive) -> int:
    return archive.db.execute("SELECT count(*) FROM indicator_groups_stale").fetchone()[0]


@pytest.mark.parametrize("scope", [
    {}, {"site": "County"}, {"site": "City"}, {"department": "Obstetrics"},
    {"department": "Anaesthesia", "site": "City"}, {"department": "Nowhere"}])
@pytest.mark.parametrize("dates", [(None, None), (date(2024, 1, 1), date(2024, 6, 30)),
                                   (date(2024, 4, 1), None), (None, date(2024, 12, 31))])
def test_the_report_from_the_sums_is_the_report_from_the_rows(archive, many, scope, dates):
    from_sums = indicators_report(archive, *dates, **scope)
    assert from_sums == _rows_report(archive, *dates, **scope)
    assert _stale(archive) == 0   # the first report summed every quarter and kept the sums


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
    archive.db.execute("INSERT INTO indicator_groups_stale SELECT DISTINCT scenario_id, quarter "
                       "FROM indicator_groups")
    assert indicators_report(archive) == _rows_report(archive)
    with pytest.raises(sqlite3.IntegrityError):   # one row per group
        archive.db.execute("INSERT INTO indicator_groups SELECT * FROM indicator_groups")
