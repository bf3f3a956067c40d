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
    archive.retry_now()  # else the next write-back is tried a moment later (see the test below)
    drill.tick(10)
    drill.note("space again", by="t1")
    assert not archive.journal.path.exists() and archive.pending_in_memory == 0
    assert archive.events(drill_id) == drill.events
    assert archive.vitals(drill_id) == [{"t": 5.0, "hr": 80}]
    assert archive.verify() == []


def block(journal) -> None:
    """A folder where the journal file should go: appending to it fails (as root too)."""
    journal.path.parent.mkdir(parents=True, exist_ok=True)
    journal.path.mkdir()


def unblock(journal) -> None:
    journal.path.rmdir()


def test_when_the_journal_beside_the_archive_fails_the_data_folder_keeps_the_entries(
        open_archive, pph, tmp_path):
    archive = open_archive()
    drill_id = archive.start_drill(pph, PATIENT, TEAM)
    drill = Drill(pph, PATIENT, TEAM)
    kept = []
    archive.record(drill_id, drill, on_journal=kept.append)
    block(archive.journal)
    archive.db.execute("PRAGMA query_only = 1")  # SQLite now answers SQLITE_READONLY
    drill.tick(30)
    drill.note("first")
    archive.append_vitals(drill_id, {"t": 30.0, "hr": 90})
    fallback = archive.fallback_journal.path
    assert fallback.parent == tmp_path / "user-data" / "journals"  # $SIMTOOL_DATA_HOME
    assert [k.kept_in for k in kept] == [fallback] and kept[0].durable
    assert archive.pending_in_memory == 0
    lines = [json.loads(x) for x in fallback.read_text(encoding="utf-8").splitlines()]
    assert [x["op"] for x in lines] == ["event", "vitals"]
    assert {x["archive"] for x in lines} == {str(archive.path.resolve())}  # whose entries
    archive.close()

    unblock(archive.journal)
    again = open_archive()  # a new open reads the fallback back, and removes it
    assert not fallback.exists()
    assert again.events(drill_id) == drill.events
    assert again.vitals(drill_id) == [{"t": 30.0, "hr": 90}]
    assert again.verify() == []


def test_every_journal_of_the_archive_is_flushed_once(open_archive, pph):
    archive = open_archive()
    drill_id, drill = start_recorded(archive, pph)
    drill.tick(10)
    a = Event(len(drill.events), 11.0, "note", text="beside")
    b = Event(len(drill.events) + 1, 12.0, "note", text="in the data folder")
    for journal, event in ((archive.journal, a), (archive.fallback_journal, b)):
        line = {"op": "event", "drill_id": drill_id, "event": event.to_dict(), "at": "x"}
        journal.append(line)
        journal.append(line)  # twice: flushing is idempotent
    report = archive.flush_journal()
    assert (report.written, report.already_present) == (2, 2)
    assert archive.events(drill_id)[-2:] == [a, b]
    assert not archive.journal.path.exists() and not archive.fallback_journal.path.exists()


def test_when_no_journal_can_be_written_events_wait_in_memory_and_are_not_reported_kept(
        archive, pph):
    drill_id = archive.start_drill(pph, PATIENT, TEAM)
    drill = Drill(pph, PATIENT, TEAM)
    kept, shown, notices = [], [], []
    archive.on_notice = lambda n: notices.append(str(n))
    archive.record(drill_id, drill, on_journal=kept.append, on_stored=shown.append)
    block(archive.journal)
    block(archive.fallback_journal)
    archive.db.execute("PRAGMA query_only = 1")  # SQLite now answers SQLITE_READONLY
    drill.tick(30)
    drill.note("first")
    drill.note("second")
    assert [k.kept_in for k in kept] == [None, None] and not kept[0].durable
    assert "memory only" in kept[0].message and "kept in" not in kept[0].message
    assert "cannot be written either" in kept[0].message
    assert archive.pending_in_memory == 2
    # shown as logged: only what is stored; said once, not once per event
    assert shown == drill.events[:-2]
    assert len(notices) == 1 and "held in memory only: NOT stored" in notices[0]
    assert str(archive.journal.path) in notices[0] and str(archive.fallback_journal.path) in notices[0]
    archive.db.execute("PRAGMA query_only = 0")
    unblock(archive.journal)
    assert archive.flush_journal().written == 2
    assert archive.events(drill_id) == drill.events and archive.pending_in_memory == 0
    assert shown == drill.events  # shown, in order, once they are stored


def test_events_held_in_memory_are_shown_in_order_once_a_later_write_stores_them(archive, pph):
    drill_id = archive.start_drill(pph, PATIENT, TEAM)
    drill = Drill(pph, PATIENT, TEAM)
    shown, notices = [], []
    archive.on_notice = lambda n: notices.append(str(n))
    archive.record(drill_id, drill, on_stored=shown.append)
    before = len(drill.events)
    block(archive.journal)
    block(archive.fallback_journal)
    archive.db.execute("PRAGMA query_only = 1")
    drill.tick(10)
    drill.note("held 1")
    drill.note("held 2")
    assert len(shown) == before
    archive.db.execute("PRAGMA query_only = 0")  # the disk has room again
    archive.retry_now()
    archive.append_vitals(drill_id, {"t": 10.0, "hr": 88})  # any later write flushes memory
    assert shown == drill.events  # the held ones, in order, without waiting for an event
    drill.note("after")
    assert shown == drill.events == archive.events(drill_id)
    assert len(notices) == 2 and "can be written again" in notices[1]


def test_when_the_journal_frees_up_memory_moves_into_it_first(archive, pph):
    drill_id = archive.start_drill(pph, PATIENT, TEAM)
    drill = Drill(pph, PATIENT, TEAM)
    shown, notices = [], []
    archive.on_notice = lambda n: notices.append(str(n))
    archive.record(drill_id, drill, on_stored=shown.append)
    block(archive.journal)
    block(archive.fallback_journal)
    archive.db.execute("PRAGMA query_only = 1")
    drill.tick(10)
    drill.note("held")
    unblock(archive.journal)  # the journal can be written again, the archive still cannot
    archive.retry_now()
    drill.note("journalled")
    assert archive.pending_in_memory == 0 and shown == drill.events
    entries = [json.loads(x) for x in archive.journal.path.read_text(encoding="utf-8").splitlines()]
    assert [e["event"]["text"] for e in entries] == ["held", "journalled"]  # memory first
    assert "1 held in memory until now are kept there too" in notices[-1]
    archive.db.execute("PRAGMA query_only = 0")
    archive.flush_journal()
    assert archive.events(drill_id) == drill.events


def test_while_the_archive_fails_entries_go_straight_to_the_journal_until_a_retry(archive, pph):
    """On a full disk, re-reading the whole growing journal before every entry made a long
    drill's writes quadratic: after a failure, entries are appended to the journal without
    trying the archive until the retry time (1 s, doubling up to 30 s), then written back."""
    import time

    from simtool.store import connection
    drill_id = archive.start_drill(pph, PATIENT, TEAM)
    drill = Drill(pph, PATIENT, TEAM)
    archive.record(drill_id, drill)
    flushes = []
    real = archive.flush_journal
    archive.flush_journal = lambda: (flushes.append(1), real())[1]
    archive.db.execute("PRAGMA query_only = 1")
    for i in range(200):
        drill.note(f"n{i}")
    assert len(flushes) <= 2                       # not one per entry
    assert archive.journal.path.exists() and archive.pending_in_memory == 0
    archive.db.execute("PRAGMA query_only = 0")
    drill.note("before the retry time")            # still journalled: no write-back yet
    assert len(archive.events(drill_id)) < len(drill.events)
    archive._retry_at = time.monotonic() - 1       # the retry time has come
    drill.note("after it")
    assert archive.events(drill_id) == drill.events and not archive.journal.path.exists()
    assert connection.RETRY_FIRST_S <= 1 and connection.RETRY_MAX_S <= 30


def test_settle_tries_again_at_the_end(archive, pph):
    drill_id = archive.start_drill(pph, PATIENT, TEAM)
    drill = Drill(pph, PATIENT, TEAM)
    archive.record(drill_id, drill)
    block(archive.journal)
    block(archive.fallback_journal)
    archive.db.execute("PRAGMA query_only = 1")
    drill.tick(10)
    drill.note("held")
    assert archive.settle(attempts=2, wait_s=0) == 1
    assert archive.held_in_memory() == {"event": 1} and "read-only" in archive.memory_reason
    archive.db.execute("PRAGMA query_only = 0")
    assert archive.settle(attempts=2, wait_s=0) == 0
    assert archive.events(drill_id) == drill.events


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


def test_entries_split_over_both_journals_are_written_back_in_the_order_they_happened(
        archive, pph, tmp_path):
    drill_id, drill = start_recorded(archive, pph)
    archive.db.execute("PRAGMA query_only = 1")
    drill.tick(10)
    drill.pause()                                    # -> the journal beside the archive
    aside = tmp_path / "moved.journal"
    archive.journal.path.rename(aside)
    block(archive.journal)
    drill.resume()                                   # -> the fallback journal
    unblock(archive.journal)
    aside.rename(archive.journal.path)
    drill.tick(10)
    drill.pause()                                    # -> beside again, after the resume
    assert archive.fallback_journal.exists() and archive.journal.exists()
    archive.db.execute("PRAGMA query_only = 0")
    archive.flush_journal()
    assert archive.events(drill_id) == drill.events
    assert archive.drill(drill_id).stored_status == "paused"  # as the drill is
