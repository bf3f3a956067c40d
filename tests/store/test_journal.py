"""Read-only archive or full disk: the drill keeps running, every event is kept in the journal
(or, failing that, in memory) and written into the archive when writing works again."""

from __future__ import annotations

import json
import os

import pytest

from simtool.core.drill import Drill
from simtool.core.events import Event
from simtool.store import connection

from helpers.archive import PATIENT, TEAM, play, start_recorded


def make_read_only(path, monkeypatch) -> None:
    """chmod the file read-only; as root (chmod does not bind root) open it ``mode=ro``."""
    os.chmod(path, 0o444)
    if os.access(path, os.W_OK):
        monkeypatch.setattr(connection, "OPEN_MODE", "ro")


def make_writable(path, monkeypatch) -> None:
    # SQLite gave the -wal and -shm files the database's read-only mode: fix them all
    for f in path.parent.glob(path.name + "*"):
        os.chmod(f, 0o644)
    monkeypatch.setattr(connection, "OPEN_MODE", "rwc")


def test_a_read_only_archive_journals_events_and_they_arrive_on_the_next_open(
        tmp_path, open_archive, pph, monkeypatch):
    first = open_archive()
    drill_id = first.start_drill(pph, PATIENT, TEAM)
    drill = Drill(pph, PATIENT, TEAM)
    stop = first.record(drill_id, drill)
    play(drill, until=700)
    stop()
    first.close()
    make_read_only(first.path, monkeypatch)

    second = open_archive()
    kept = []
    second.record(drill_id, drill, on_journal=kept.append)
    play(drill, until=900)   # the drill in memory carries on regardless
    drill.end()
    assert kept and all(k.kept_in == second.journal.path for k in kept)
    assert {k.op for k in kept} == {"event"}
    message = kept[0].message
    assert str(first.path) in message and "read-only" in message and "kept in" in message
    assert len(second.events(drill_id)) < len(drill.events)
    assert second.drill(drill_id).status != "ended"
    lines = second.journal.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(kept)
    second.close()

    make_writable(first.path, monkeypatch)
    third = open_archive()
    assert not third.journal.path.exists()
    assert third.events(drill_id) == drill.events
    assert third.drill(drill_id).status == "ended"
    assert third.verify() == []


def test_a_full_disk_journals_and_the_next_successful_write_flushes(archive, pph):
    drill_id = archive.start_drill(pph, PATIENT, TEAM)
    drill = Drill(pph, PATIENT, TEAM)
    kept = []
    archive.record(drill_id, drill, on_journal=kept.append)
    pages = archive.db.execute("PRAGMA page_count").fetchone()[0]
    archive.db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite now answers SQLITE_FULL
    for i in range(3):
        drill.note("x" * 6000, by="t1")
    result = archive.append_vitals(drill_id, {"t": 5.0, "hr": 80})
    assert result is not None and "the disk is full" in result.message and result.op == "vitals"
    assert kept and "the disk is full" in kept[0].message
    assert len(archive.events(drill_id)) == 2  # only start and marker made it
    archive.db.execute("PRAGMA max_page_count = 1073741823")
    drill.tick(10)
    drill.note("space again", by="t1")
    assert not archive.journal.path.exists() and archive.pending_in_memory == 0
    assert archive.events(drill_id) == drill.events
    assert archive.vitals(drill_id) == [{"t": 5.0, "hr": 80}]
    assert archive.verify() == []


def test_when_even_the_journal_cannot_be_written_events_wait_in_memory(archive, pph):
    drill_id = archive.start_drill(pph, PATIENT, TEAM)
    drill = Drill(pph, PATIENT, TEAM)
    kept = []
    archive.record(drill_id, drill, on_journal=kept.append)
    archive.journal.path.mkdir()  # a folder where the journal file should go
    archive.db.execute("PRAGMA query_only = 1")  # SQLite now answers SQLITE_READONLY
    drill.tick(30)
    drill.note("first")
    drill.note("second")
    assert kept[0].kept_in is None and "memory only" in kept[0].message
    assert "cannot be written either" in kept[0].message
    assert archive.pending_in_memory == 2
    archive.db.execute("PRAGMA query_only = 0")
    archive.journal.path.rmdir()
    assert archive.flush_journal().written == 2
    assert archive.events(drill_id) == drill.events and archive.pending_in_memory == 0


def test_flushing_is_idempotent_skips_torn_lines_and_sets_aside_conflicts(archive, pph):
    drill_id, drill = start_recorded(archive, pph)
    drill.tick(20)
    drill.note("stored already")
    new = Event(len(drill.events), 21.0, "note", text="only in the journal")
    clash = Event(0, 0.0, "note", text="not what seq 0 is")
    lines = [json.dumps({"op": "event", "drill_id": drill_id, "event": e.to_dict(), "actor": "x"})
             for e in (drill.events[-1], new, clash)]
    archive.journal.path.write_text("\n".join(lines) + '\n{"op": "event", "drill_i', encoding="utf-8")
    report = archive.flush_journal()
    assert (report.written, report.already_present, report.torn_lines) == (1, 1, 1)
    assert len(report.rejected) == 1 and "other content" in report.rejected[0]
    assert report.rejected_file.exists() and not archive.journal.path.exists()
    assert archive.events(drill_id)[-1] == new
    assert archive.flush_journal().written == 0  # nothing left: twice = once


def test_a_journal_line_torn_by_a_crash_does_not_swallow_the_next(archive, pph):
    drill_id = archive.start_drill(pph, PATIENT, TEAM)
    drill = Drill(pph, PATIENT, TEAM)
    archive.journal.path.write_bytes(b'{"op": "event", "dri')  # the crash cut it here
    archive.journal.append({"op": "event", "drill_id": drill_id, "event": drill.events[0].to_dict()})
    report = archive.flush_journal()
    assert (report.written, report.torn_lines) == (1, 1)


def test_an_unknown_drill_in_the_journal_is_set_aside_not_lost(archive):
    archive.journal.append({"op": "status", "drill_id": "gone", "status": "ended"})
    report = archive.flush_journal()
    assert "no drill gone" in report.rejected[0]
    kept = [json.loads(x) for x in report.rejected_file.read_text(encoding="utf-8").splitlines()]
    assert kept[0]["entry"]["drill_id"] == "gone"


@pytest.mark.parametrize("op", ["set_status", "end_drill"])
def test_status_changes_are_journalled_too(archive, pph, op):
    drill_id, _drill = start_recorded(archive, pph)
    archive.db.execute("PRAGMA query_only = 1")
    result = archive.set_status(drill_id, "ended") if op == "set_status" else archive.end_drill(drill_id)
    assert result is not None and result.op == "status"
    archive.db.execute("PRAGMA query_only = 0")
    archive.flush_journal()
    assert archive.drill(drill_id).status == "ended"
