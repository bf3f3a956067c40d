"""Two copies of simtool on one archive: the busy timeout lets them take turns, a lock held
too long gets a clear message (and events are journalled, not lost), the chain stays whole."""

from __future__ import annotations

import threading
import time

import pytest

from simtool.core.drill import Drill
from simtool.store import connection
from simtool.store.archive import Archive
from simtool.store.errors import ArchiveLockedError
from simtool.store.records import Trainee

from helpers.archive import PATIENT, TEAM, start_recorded


class Holder(threading.Thread):
    """Another simtool (its own Archive and connection) inside a long write transaction."""

    def __init__(self, path, hold_s: float) -> None:
        super().__init__(daemon=True)
        self.path, self.hold_s = path, hold_s
        self.holding = threading.Event()
        self.release = threading.Event()

    def run(self) -> None:
        with Archive.open(self.path) as other:
            with other.transaction():
                other.add_trainee(Trainee("Held by the other copy"))
                self.holding.set()
                self.release.wait(self.hold_s)

    def __enter__(self) -> "Holder":
        self.start()
        assert self.holding.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.join(10)


def test_a_lock_held_too_long_is_a_clear_error_naming_the_archive(open_archive, pph):
    archive = open_archive(busy_timeout_s=0.3)
    with Holder(archive.path, hold_s=10):
        began = time.monotonic()
        with pytest.raises(ArchiveLockedError) as info:
            archive.start_drill(pph, PATIENT, TEAM)
        assert time.monotonic() - began >= 0.25
    assert str(info.value) == (f"the archive {archive.path} is busy (another simtool is writing); "
                               f"tried for 0.3 s")
    assert archive.drills() == []
    assert archive.trainees()[0].name == "Held by the other copy"  # the other copy committed


def test_a_short_lock_is_waited_out(open_archive, pph):
    archive = open_archive(busy_timeout_s=5.0)
    with Holder(archive.path, hold_s=0.3):
        began = time.monotonic()
        drill_id = archive.start_drill(pph, PATIENT, TEAM)  # waits for the other copy's commit
        assert 0.1 < time.monotonic() - began < 5.0
    assert archive.drill(drill_id).status == "running"


def test_events_are_journalled_while_locked_and_written_after(open_archive, pph, monkeypatch):
    monkeypatch.setattr(connection, "RETRY_FIRST_S", 0.3)
    archive = open_archive(busy_timeout_s=0.2)
    drill_id, drill = start_recorded(archive, pph)
    kept = []
    archive.record(drill_id, drill, on_journal=kept.append)
    with Holder(archive.path, hold_s=10):
        drill.tick(15)
        drill.note("during the lock")
        assert kept and "is busy (another simtool is writing); tried for 0.2 s" in kept[0].message
    drill.note("just after the lock")  # safe in the journal: waits for the retry time
    assert archive.journal.path.exists()
    time.sleep(0.35)
    drill.note("after the retry time")
    assert not archive.journal.path.exists()
    assert archive.events(drill_id) == drill.events
    assert archive.verify() == []


def test_two_copies_writing_in_turn_keep_one_audit_chain(open_archive, pph):
    one, two = open_archive(), open_archive()
    a_id = one.start_drill(pph, PATIENT, TEAM)
    b_id = two.start_drill(pph, PATIENT, TEAM)
    a, b = Drill(pph, PATIENT, TEAM), Drill(pph, PATIENT, TEAM)
    one.record(a_id, a)
    two.record(b_id, b)
    for t in range(1, 20):
        a.tick(1)
        a.note(f"a{t}")
        b.tick(1)
        b.note(f"b{t}")
    assert one.events(b_id) == b.events and two.events(a_id) == a.events
    assert one.verify() == [] == two.verify()
