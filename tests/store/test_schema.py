"""Opening archives: settings, the upgrade of a real version-1 file, and refusals that leave
the file exactly as it was (newer format, another program's database, not a database)."""

from __future__ import annotations

import json
import shutil

import pytest

from simtool.store import schema
from simtool.store.archive import Archive
from simtool.store.errors import ArchiveError, ArchiveVersionError, NotFoundError

from helpers.archive import PATIENT, TEAM, file_sha, raw
from helpers.paths import STORE_DATA as DATA

V1 = DATA / "archive_v1.sqlite"


def test_a_new_archive_is_current_and_durable(archive):
    assert archive.schema_version == schema.CURRENT_VERSION
    c = archive.db.conn
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert c.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert c.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert c.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID


def test_the_version_1_fixture_upgrades_on_open_and_keeps_its_record(tmp_path, clock, pph):
    path = tmp_path / "old.sqlite"
    shutil.copy(V1, path)
    with raw(path) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == 1
        assert "site" not in [r[1] for r in c.execute("PRAGMA table_info(drills)")]
    with Archive.open(path, clock=clock) as archive:
        assert archive.schema_version == schema.CURRENT_VERSION == len(schema.MIGRATIONS)
        assert archive.verify() == []  # every hash written by v1 still holds
        old = archive.drill("v1-drill-0001")
        assert old.status == "signed" and old.site is None
        assert [p.trainee_id for p in old.participants] == ["trainee-li-na", "trainee-wang-fang"]
        kinds = [e.kind for e in archive.events("v1-drill-0001")]
        assert kinds[0] == "start" and kinds[-1] == "end" and kinds.count("action") == 3
        assert len(archive.vitals("v1-drill-0001")) > 100
        sheets = archive.sheets("v1-drill-0001")
        assert [s.version for s in sheets] == [1, 2] and all(s.signed for s in sheets)
        assert archive.amendments("v1-sheet-0001")[0].why == "global rating mis-keyed"
        assert [h.drill.id for h in archive.trainee_history("trainee-li-na")] == ["v1-drill-0001"]
        # what version 2 added works on the upgraded file
        new = archive.start_drill(pph, PATIENT, TEAM, site="Sim lab B")
        assert archive.drill(new).site == "Sim lab B"
        assert archive.verify() == []
    with raw(path) as c:
        indexes = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"drills_scenario_started", "participants_trainee"} <= indexes


def test_a_failing_migration_leaves_the_file_at_its_old_version(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite"
    shutil.copy(V1, path)

    def broken(db):
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("migration 3 failed")

    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS + (broken,))
    with pytest.raises(RuntimeError, match="migration 3"):
        Archive.open(path)
    with raw(path) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == 1
        names = {r[0] for r in c.execute("SELECT name FROM sqlite_master")}
        assert "half_done" not in names and "drills_scenario_started" not in names


def test_an_archive_from_a_newer_simtool_is_refused_untouched(tmp_path):
    path = tmp_path / "future.sqlite"
    shutil.copy(V1, path)
    with raw(path) as c:
        c.execute(f"PRAGMA user_version = {schema.CURRENT_VERSION + 1}")
    before = file_sha(path)
    with pytest.raises(ArchiveVersionError) as info:
        Archive.open(path)
    message = str(info.value)
    assert str(path) in message and "newer simtool" in message and "not changed" in message
    assert file_sha(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["future.sqlite"]


@pytest.mark.parametrize("content", [b"", b"not a database at all\n" * 200])
def test_a_file_that_is_not_an_archive_is_refused_untouched(tmp_path, content):
    path = tmp_path / "notes.sqlite"
    if content:
        path.write_bytes(content)
        before = file_sha(path)
        with pytest.raises(ArchiveError, match="not a simtool archive"):
            Archive.open(path)
        assert file_sha(path) == before
    else:  # another program's SQLite database
        with raw(path) as c:
            c.execute("CREATE TABLE contacts (name TEXT)")
        before = file_sha(path)
        with pytest.raises(ArchiveError, match="another program"):
            Archive.open(path)
        assert file_sha(path) == before


def test_an_archive_in_a_missing_folder_gives_a_clear_error(tmp_path):
    with pytest.raises(ArchiveError, match="cannot open the archive"):
        Archive.open(tmp_path / "no" / "such" / "folder" / "a.sqlite")


def test_opening_without_create_refuses_a_missing_file(tmp_path):
    with pytest.raises(NotFoundError, match="no archive at"):
        Archive.open(tmp_path / "typo.sqlite", create=False)
    assert list(tmp_path.iterdir()) == []


def test_migration_4_audits_what_is_already_there_without_changing_it(tmp_path, clock):
    path = tmp_path / "old.sqlite"
    shutil.copy(V1, path)
    tables = ("trainees", "examiners", "vitals", "meta", "drills", "events", "score_sheets", "audit")
    with raw(path) as c:
        before = {t: c.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
        old_head = c.execute("SELECT max(seq) FROM audit").fetchone()[0]
        n_vitals = c.execute("SELECT count(*) FROM vitals").fetchone()[0]
    with Archive.open(path, clock=clock, actor="upgrader@lab") as archive:
        assert archive.verify() == []
    with raw(path) as c:
        added = c.execute("SELECT op, table_name, record_id, actor FROM audit WHERE seq > ? ORDER BY seq",
                          (old_head,)).fetchall()
        # every old row and column is as it was; new columns are added after the old ones
        for t in tables:
            width = len(before[t][0])
            rows = [r[:width] for r in c.execute(f"SELECT * FROM {t} ORDER BY 1, 2")]
            if t == "meta":
                rows = [r for r in rows if r[0] != "archive_id"]
            assert rows[:len(before[t])] == before[t], t
        archive_id = c.execute("SELECT value FROM meta WHERE key = 'archive_id'").fetchone()[0]
        assert c.execute("SELECT count(*) FROM trainees WHERE audit_seq IS NULL").fetchone()[0] == 0
        assert c.execute("SELECT count(DISTINCT audit_seq) FROM vitals").fetchone()[0] == 1
    assert len(archive_id) == 36
    assert ("migrate", "meta", "pseudonym_secret", "upgrader@lab") in added
    assert ("insert", "meta", "archive_id", "upgrader@lab") in added
    assert ("migrate", "trainees", "trainee-li-na", "upgrader@lab") in added
    assert ("migrate", "examiners", "examiner-zhou", "upgrader@lab") in added
    (batch,) = [rid for op, table, rid, _a in added if table == "vitals"]
    assert json.loads(batch)[0] == "v1-drill-0001" and json.loads(batch)[3] == n_vitals


def test_an_upgraded_archive_names_a_trainee_renamed_behind_its_back(tmp_path, clock):
    path = tmp_path / "old.sqlite"
    shutil.copy(V1, path)
    Archive.open(path, clock=clock).close()
    with raw(path) as c:
        c.execute("DROP TRIGGER trainees_audited_update")
        c.execute("UPDATE trainees SET name = 'Someone Else' WHERE id = 'trainee-li-na'")
    with Archive.open(path, clock=clock) as archive:
        problems = archive.verify(checkpoints=False)
    assert any(p.startswith("trainee trainee-li-na: record changed after it was written (does not "
                            "match audit row ") for p in problems)
    assert "guard trigger trainees_audited_update is missing (dropped behind simtool's back)" in problems


def test_kept_indicator_results_of_a_version_3_archive_are_audited_by_the_upgrade(tmp_path, clock, pph):
    from simtool.core.drill import Drill
    from simtool.store.analytics import drill_indicators

    path = tmp_path / "v3.sqlite"
    with Archive.open(path, clock=clock, schema_version=3) as archive:
        did = archive.start_drill(pph, PATIENT, TEAM)
        drill = Drill(pph, PATIENT, TEAM)
        archive.record(did, drill)
        drill.advance_to(800)
        drill.act("call_for_help", by="t1")
        drill.end()
        (kept,) = drill_indicators(archive)
        assert archive.verify() == []
    with Archive.open(path, clock=clock) as archive:
        assert archive.schema_version == schema.CURRENT_VERSION
        assert archive.verify() == []
        assert archive.db.execute("SELECT op FROM audit WHERE table_name = 'drill_indicators' "
                                  "AND record_id = ?", [did]).fetchall() == [("migrate",)]
    with raw(path) as c:
        c.execute("UPDATE drill_indicators SET seconds = 1 WHERE seconds IS NOT NULL")
    with Archive.open(path, clock=clock) as archive:
        assert any(p.startswith(f"indicator results of drill {did}: record changed")
                   for p in archive.verify(checkpoints=False))
