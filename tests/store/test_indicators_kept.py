"""Indicator results are kept as a drill ends or is amended, not at the first report (issue 19:
no first-run stall on a large archive), and the upgrade to format 10 computes those an earlier
simtool left to the first report, telling its progress."""

from __future__ import annotations

import pytest

from simtool.app.corrections import correct
from simtool.core.drill import Drill
from simtool.store import analytics, schema
from simtool.store.analytics import KEPT_SUFFIX, drill_indicators, indicators_report
from simtool.store.archive import Archive

from helpers.archive import PATIENT, TEAM, late_care_drill


def _kept(archive, did):
    row = archive.db.execute("SELECT scenario_sha256 FROM drill_indicators_kept WHERE drill_id = ?",
                             [did]).fetchone()
    results = archive.db.execute("SELECT indicator_id, seconds, met FROM drill_indicators "
                                 "WHERE drill_id = ? ORDER BY rowid_order", [did]).fetchall()
    return (None if row is None else row[0]), {r[0]: (r[1], r[2]) for r in results}


def _kept_audits(archive, did):
    return [r[0] for r in archive.db.execute(
        "SELECT op FROM audit WHERE table_name = 'drill_indicators' AND record_id = ? ORDER BY seq",
        [did])]


def _oxytocin(report):
    (group,) = [g for g in report["groups"] if g["department"] is None]
    return next(i for i in group["indicators"] if i["id"] == "oxytocin_per_protocol")


def test_a_drill_that_ends_has_its_results_kept_and_the_first_report_only_reads_them(tmp_path, monkeypatch):
    db, did = late_care_drill(tmp_path)   # recorded and ended by `simtool run --archive`
    with Archive.open(db) as archive:
        sha, results = _kept(archive, did)
        assert sha == archive.drill(did).scenario_sha256 + KEPT_SUFFIX
        assert results["oxytocin_per_protocol"] == (750.0, 0)
        assert _kept_audits(archive, did) == ["insert"]   # kept results are audited, as before
        def refuse(*_a, **_k):
            raise AssertionError("a report computed indicator results from the events")
        monkeypatch.setattr(analytics, "_scan", refuse)
        assert _oxytocin(indicators_report(archive))["median_s"] == 750.0
        (d,) = drill_indicators(archive)
        assert d.drill_id == did
        assert archive.verify() == []


def test_an_amendment_after_the_end_keeps_the_results_again_in_its_transaction(tmp_path, monkeypatch):
    db, did = late_care_drill(tmp_path)
    with Archive.open(db) as archive:
        seq = next(e.seq for e in archive.events(did) if e.action == "oxytocin")
        correct(archive, did, seq, reason="given at 13 min, logged at 25", at=780)
        assert _kept(archive, did)[1]["oxytocin_per_protocol"] == (30.0, 1)
        assert _kept_audits(archive, did) == ["insert", "update"]   # one update per amendment
        monkeypatch.setattr(analytics, "_scan", lambda *a, **k: pytest.fail("computed at the report"))
        oxy = _oxytocin(indicators_report(archive))
        assert (oxy["median_s"], oxy["met"]) == (30.0, 1)
        assert archive.verify() == []


def test_a_note_after_the_end_leaves_the_kept_results_alone(tmp_path):
    db, did = late_care_drill(tmp_path)
    with Archive.open(db) as archive:
        drill = archive.replay(did)
        before = len(drill.events)
        drill.note("debrief started late")
        archive.add_correction(did, drill.events[before:])
        assert _kept_audits(archive, did) == ["insert"]


def _record(archive, pph, *, end: bool, at: float = 800) -> str:
    did = archive.start_drill(pph, PATIENT, TEAM)
    drill = Drill(pph, PATIENT, TEAM)
    archive.record(did, drill)
    drill.advance_to(at)
    drill.act("call_for_help", by="t1")
    if end:
        drill.end()
    return did


def test_the_upgrade_keeps_the_results_an_earlier_simtool_left_to_the_first_report(
        tmp_path, clock, pph, monkeypatch):
    path = tmp_path / "v9.sqlite"
    with Archive.open(path, clock=clock, schema_version=9) as archive:   # as simtool 9 made it
        ended = [_record(archive, pph, end=True, at=t) for t in (500, 700, 900)]
        running = _record(archive, pph, end=False)
        assert archive.db.execute("SELECT count(*) FROM drill_indicators_kept").fetchone()[0] == 0
    monkeypatch.setattr(analytics, "MIGRATION_BATCH", 2)   # two batches: progress in between
    heard = []
    with Archive.open(path, clock=clock, on_progress=lambda *a: heard.append(a)) as archive:
        assert archive.schema_version == schema.CURRENT_VERSION
        assert heard == [("indicators", 0, 3), ("indicators", 2, 3), ("indicators", 3, 3),
                         ("indicator groups", 1, 1)]   # format 13: one scenario × quarter summed
        for did in ended:
            assert _kept(archive, did)[0] is not None and _kept_audits(archive, did) == ["insert"]
        assert _kept(archive, running) == (None, {})   # a running drill's times are not final
        assert archive.verify() == []
        monkeypatch.setattr(analytics, "_scan", lambda *a, **k: pytest.fail("computed at the report"))
        assert indicators_report(archive)["drills"] == 3
    heard.clear()
    with Archive.open(path, clock=clock, on_progress=lambda *a: heard.append(a)):
        assert heard == []   # upgraded once


def test_the_upgrade_of_an_archive_without_drills_has_nothing_to_report(tmp_path, clock):
    path = tmp_path / "v9.sqlite"
    Archive.open(path, clock=clock, schema_version=9).close()
    heard = []
    with Archive.open(path, clock=clock, on_progress=lambda *a: heard.append(a)) as archive:
        assert archive.schema_version == schema.CURRENT_VERSION and heard == []
