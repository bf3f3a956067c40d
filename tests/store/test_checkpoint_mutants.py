"""The checkpoint kept outside the archive, as a user meets it: what ``simtool verify`` says
when the checkpoint file is damaged, missing or from another program, when the end of the
log was cut or rewritten; when a checkpoint is written and when it is kept as evidence.

Written against the surviving mutants of simtool/store/checkpoint.py (issue 25): each test
fails when the behaviour it names breaks."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import threading
from pathlib import Path

import pytest

from simtool.cli import main
from simtool.store import checkpoint
from simtool.store.archive import Archive
from simtool.store.checkpoint import checkpoint_file
from simtool.store.records import Trainee

from helpers.archive import FakeClock, raw


def trainees(path: Path, n: int, start: int = 0) -> None:
    with Archive.open(path, clock=FakeClock(), actor="tester@lab") as archive:
        for i in range(start, start + n):
            archive.add_trainee(Trainee(f"Trainee {i}"))


def problems(path: Path) -> list[str]:
    with Archive.open(path, clock=FakeClock()) as archive:
        return archive.verify()


def test_a_checkpoint_file_of_another_program_is_named_not_trusted(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 2)
    checkpoint_file().write_text(json.dumps({"format": "something-else", "archives": {}}),
                                 encoding="utf-8")
    assert problems(db) == [f"the checkpoint file {checkpoint_file()} is damaged (not a simtool "
                            f"checkpoint file); the end of the audit log could not be checked "
                            f"(move the file aside to start a new one)"]


def doc() -> dict:
    return json.loads(checkpoint_file().read_text(encoding="utf-8"))


def aid(path: Path) -> str:
    with raw(path) as c:
        return c.execute("SELECT value FROM meta WHERE key = 'archive_id'").fetchone()[0]


def head(path: Path) -> tuple[int, str]:
    with raw(path) as c:
        return tuple(c.execute("SELECT seq, sha256 FROM audit ORDER BY seq DESC LIMIT 1").fetchone())


def cut_trainees(path: Path, n: int) -> int:
    """The last ``n`` trainees removed with their audit rows (the end of the log), as someone
    hiding them would; returns the audit row the log now ends at."""
    with raw(path) as c:
        triggers = c.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for name, _sql in triggers:
            c.execute(f"DROP TRIGGER {name}")
        rows = c.execute("SELECT seq, record_id FROM audit WHERE table_name = 'trainees' "
                         "ORDER BY seq DESC LIMIT ?", (n,)).fetchall()
        for seq, rid in rows:
            c.execute("DELETE FROM trainees WHERE id = ?", (rid,))
            c.execute("DELETE FROM audit WHERE seq >= ?", (seq,))
        for _name, sql in triggers:
            c.execute(sql)
        return c.execute("SELECT max(seq) FROM audit").fetchone()[0]


def edit_checkpoint(**fields) -> None:
    d = doc()
    (entry,) = d["archives"].values()
    for k, v in fields.items():
        if v is None:
            entry.pop(k, None)
        else:
            entry[k] = v
    checkpoint_file().write_text(json.dumps(d), encoding="utf-8")


CUT = re.compile(r"^the audit log ends at row (\d+) but row (\d+) \(hash ([0-9a-f]{16})…\) was recorded "
                 r"on (.+): rows were removed from the end \(or the file was replaced by an older "
                 r"copy\)$")


# --- what closing an archive writes ---------------------------------------------------------
def test_closing_an_archive_notes_its_head_its_time_and_where_it_is(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 3)
    seq, sha = head(db)
    d = doc()
    assert (d["format"], d["version"]) == ("simtool-checkpoints", 1)
    entry = d["archives"][aid(db)]
    assert (entry["seq"], entry["sha256"], entry["path"]) == (seq, sha, str(db.resolve()))
    assert re.fullmatch(r"2025-01-06T09:00:\d\d\.\d{3}\+00:00", entry["at"])
    assert not list(checkpoint_file().parent.glob(".checkpoints.*"))  # no temporary file left


def test_the_checkpoint_file_is_readable_json_that_keeps_a_path_as_written(tmp_path):
    """A person (or support) opening checkpoints.json reads the folder name as it is, and one
    entry per archive, sorted and indented."""
    folder = tmp_path / "模拟 lab"
    folder.mkdir()
    db = folder / "a.sqlite"
    trainees(db, 1)
    text = checkpoint_file().read_text(encoding="utf-8")
    assert "模拟 lab" in text
    assert text.startswith('{\n "archives": {\n  "') and text.endswith("\n}")


def test_the_lock_file_beside_the_checkpoints_is_private_to_the_user(tmp_path):
    trainees(tmp_path / "a.sqlite", 1)
    lock = checkpoint_file().with_name("checkpoints.json.lock")
    assert lock.exists() and stat.S_IMODE(lock.stat().st_mode) == 0o600


def test_a_missing_data_folder_is_created_for_the_checkpoint(tmp_path, monkeypatch):
    monkeypatch.setenv("SIMTOOL_DATA_HOME", str(tmp_path / "new" / "data"))
    db = tmp_path / "a.sqlite"
    trainees(db, 1)
    assert doc()["archives"][aid(db)]["seq"] == head(db)[0]


def test_each_archive_has_its_own_checkpoint(tmp_path):
    one, two = tmp_path / "one.sqlite", tmp_path / "two.sqlite"
    trainees(one, 2)
    trainees(two, 5)
    archives = doc()["archives"]
    assert archives[aid(one)]["seq"] == head(one)[0]
    assert archives[aid(two)]["seq"] == head(two)[0]
    assert len(archives) == 2


def test_the_checkpoint_moves_forward_with_each_session_that_writes(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 1)
    first = doc()["archives"][aid(db)]["seq"]
    trainees(db, 2, start=1)
    assert doc()["archives"][aid(db)]["seq"] == head(db)[0] == first + 2


def test_a_session_that_only_reads_leaves_the_checkpoint_alone(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 1)
    before = checkpoint_file().read_bytes()
    assert problems(db) == []
    assert checkpoint_file().read_bytes() == before


def test_verify_of_an_unchanged_archive_does_not_rewrite_the_checkpoint(tmp_path, capsys):
    """The checkpoint says when the head was first seen; verifying later keeps that date."""
    db = tmp_path / "a.sqlite"
    trainees(db, 1)
    before = checkpoint_file().read_bytes()
    assert main(["verify", "--archive", str(db)]) == 0
    assert checkpoint_file().read_bytes() == before


def test_an_archive_without_its_id_closes_and_gets_no_checkpoint(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 1)
    with raw(db) as c:
        c.execute("DROP TRIGGER meta_no_delete")
        c.execute("DELETE FROM meta WHERE key = 'archive_id'")
    checkpoint_file().unlink()
    trainees(db, 1, start=1)  # closes without an error
    assert not checkpoint_file().exists()


def test_a_damaged_checkpoint_file_never_stops_an_archive_closing(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 1)
    checkpoint_file().write_bytes(b"\xff\xfe")
    trainees(db, 1, start=1)
    assert checkpoint_file().read_bytes() == b"\xff\xfe"  # the evidence is kept


def test_a_data_folder_that_cannot_be_written_never_stops_an_archive_closing(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("SIMTOOL_DATA_HOME", str(blocker))
    db = tmp_path / "a.sqlite"
    trainees(db, 2)
    with Archive.open(db) as archive:
        assert len(archive.trainees()) == 2


def test_a_second_simtool_waits_for_the_lock_before_writing_the_checkpoint(tmp_path):
    """Two simtools closing archives at once: the second waits while the first holds the
    checkpoint file's lock, so neither update is lost."""
    import fcntl
    one, two = tmp_path / "one.sqlite", tmp_path / "two.sqlite"
    trainees(one, 1)
    lock = checkpoint_file().with_name("checkpoints.json.lock")
    fd = os.open(lock, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_SH)  # a reader: a writer must wait for it
    closing = threading.Thread(target=trainees, args=(two, 1))
    try:
        closing.start()
        closing.join(1.0)
        assert closing.is_alive()                       # waiting for the lock
        assert aid(two) not in doc()["archives"]
    finally:
        os.close(fd)
    closing.join(30)
    assert not closing.is_alive()
    assert set(doc()["archives"]) == {aid(one), aid(two)}


# --- the checkpoint file as verify reads it -----------------------------------------------
DAMAGED = {
    "not JSON": (b"{not json", "is damaged (Expecting property name enclosed in double quotes: "
                               "line 1 column 2 (char 1))"),
    "not UTF-8": (b'{"format": "\xff"}', "is damaged ('utf-8' codec can't decode byte 0xff in "
                                         "position 12: invalid start byte)"),
    "a list": (b"[]", "is damaged (not a simtool checkpoint file)"),
    "no archives": (b'{"format": "simtool-checkpoints"}', "is damaged (not a simtool checkpoint file)"),
    "archives a list": (b'{"format": "simtool-checkpoints", "archives": []}',
                        "is damaged (not a simtool checkpoint file)"),
    "an entry a list": (b'{"format": "simtool-checkpoints", "archives": {"x": []}}',
                        "is damaged (an entry lacks seq or sha256)"),
    "no seq": (b'{"format": "simtool-checkpoints", "archives": {"x": {"sha256": "ab"}}}',
               "is damaged (an entry lacks seq or sha256)"),
    "seq as text": (b'{"format": "simtool-checkpoints", "archives": {"x": {"seq": "3", "sha256": "ab"}}}',
                    "is damaged (an entry lacks seq or sha256)"),
    "no sha256": (b'{"format": "simtool-checkpoints", "archives": {"x": {"seq": 3}}}',
                  "is damaged (an entry lacks seq or sha256)"),
    "sha256 a number": (b'{"format": "simtool-checkpoints", "archives": {"x": {"seq": 3, "sha256": 7}}}',
                        "is damaged (an entry lacks seq or sha256)"),
}


@pytest.mark.parametrize("kind", list(DAMAGED))
def test_verify_names_a_damaged_checkpoint_file_and_why(tmp_path, kind):
    content, why = DAMAGED[kind]
    db = tmp_path / "a.sqlite"
    trainees(db, 1)
    checkpoint_file().write_bytes(content)
    assert problems(db) == [f"the checkpoint file {checkpoint_file()} {why}; the end of the audit "
                            f"log could not be checked (move the file aside to start a new one)"]


def test_verify_names_a_checkpoint_file_that_cannot_be_read(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 1)
    checkpoint_file().unlink()
    checkpoint_file().mkdir()
    assert problems(db) == [f"the checkpoint file {checkpoint_file()} cannot be read (Is a "
                            f"directory); the end of the audit log could not be checked (move the "
                            f"file aside to start a new one)"]


def test_without_a_checkpoint_file_verify_has_nothing_to_compare(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 2)
    checkpoint_file().unlink()
    cut_trainees(db, 1)
    assert problems(db) == []


def test_a_checkpoint_file_with_unknown_fields_is_still_read(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 3)
    d = doc()
    d["version"], d["note"] = 2, "kept by a newer simtool"
    checkpoint_file().write_text(json.dumps(d), encoding="utf-8")
    cut_trainees(db, 1)
    assert len(problems(db)) == 1 and CUT.match(problems(db)[0])


# --- the end of the log against the checkpoint --------------------------------------------
def test_one_row_cut_off_the_end_is_named_with_the_row_its_hash_and_when(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 3)
    seq, sha = head(db)
    now = cut_trainees(db, 1)
    (line,) = problems(db)
    m = CUT.match(line)
    assert m, line
    assert (int(m[1]), int(m[2]), m[3]) == (now, seq, sha[:16]) and now == seq - 1
    assert re.fullmatch(r"2025-01-06 09:00:\d\d", m[4]), m[4]


def test_a_checkpoint_without_a_time_says_an_earlier_session(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 3)
    edit_checkpoint(at=None)
    cut_trainees(db, 1)
    (line,) = problems(db)
    assert CUT.match(line)[4] == "an earlier session"


def test_a_checkpoint_time_is_shown_to_the_second(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 3)
    edit_checkpoint(at="2025-04-30T23:59:58.123+00:00")
    cut_trainees(db, 1)
    (line,) = problems(db)
    assert CUT.match(line)[4] == "2025-04-30 23:59:58"


def test_a_log_that_still_reaches_the_checkpoint_is_fine(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 3)
    seq, sha = head(db)
    edit_checkpoint(seq=seq - 1, sha256=None)
    with raw(db) as c:
        prev = c.execute("SELECT sha256 FROM audit WHERE seq = ?", (seq - 1,)).fetchone()[0]
    edit_checkpoint(sha256=prev)
    assert problems(db) == []                  # the head is past the checkpoint, on its chain
    edit_checkpoint(seq=seq, sha256=sha)
    assert problems(db) == []                  # the head is the checkpoint


def test_a_checkpoint_at_row_zero_checks_nothing(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 3)
    edit_checkpoint(seq=0, sha256="0" * 64)
    cut_trainees(db, 2)
    assert problems(db) == []


def test_the_checkpointed_row_rewritten_is_named_with_both_hashes(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 3)
    seq, sha = head(db)
    fake = "f" * 64
    edit_checkpoint(sha256=fake)              # as if row `seq` had another hash when noted
    (line,) = problems(db)
    assert line.startswith(f"audit row {seq} has hash {sha[:16]}… but hash {'f' * 16}… was "
                           f"recorded for it on 2025-01-06 09:00:")
    assert line.endswith(": the end of the log was rewritten (or the file was replaced by "
                         "another copy)")


def test_the_checkpointed_row_deleted_from_a_longer_log_is_named(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 3)
    seq, sha = head(db)
    trainees(db, 2, start=3)
    with raw(db) as c:  # the checkpoint's own row gone, later rows kept (and the checkpoint back)
        c.execute("DROP TRIGGER audit_no_delete")
        c.execute("DELETE FROM audit WHERE seq = ?", (seq,))
    edit_checkpoint(seq=seq, sha256=sha)
    found = problems(db)
    assert any(p.startswith(f"audit row {seq} has hash … but hash {sha[:16]}… was recorded for it "
                            f"on 2025-01-06 09:00:") for p in found), found


# --- an archive whose id was deleted: the checkpoint noted for its path ---------------------
def emptied(path: Path) -> None:
    with raw(path) as c:
        triggers = c.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for name, _sql in triggers:
            c.execute(f"DROP TRIGGER {name}")
        for (table,) in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            c.execute(f"DELETE FROM {table}")


def test_an_emptied_archive_is_compared_with_the_latest_checkpoint_noted_at_its_path(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 3)
    seq, sha = head(db)
    d = doc()
    (entry,) = d["archives"].values()
    # an older archive once kept at the same path, and one elsewhere further along
    d["archives"]["older"] = dict(entry, seq=seq - 2, sha256="a" * 64)
    d["archives"]["elsewhere"] = dict(entry, seq=seq + 50, sha256="b" * 64, path=str(tmp_path / "b"))
    checkpoint_file().write_text(json.dumps(d), encoding="utf-8")
    emptied(db)
    lines = [p for p in problems(db) if p.startswith("the audit log ends")]
    assert len(lines) == 1
    m = CUT.match(lines[0])
    assert (int(m[1]), int(m[2]), m[3]) == (0, seq, sha[:16])


def test_an_emptied_archive_at_a_path_never_noted_has_no_checkpoint(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 3)
    edit_checkpoint(path=str(tmp_path / "elsewhere.sqlite"))
    emptied(db)
    assert not [p for p in problems(db) if "audit log ends" in p]


# --- the clean stamp: a file as a checked session left it -----------------------------------
def test_a_file_left_by_a_checked_session_is_known_unchanged_until_it_changes(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 2)
    archive = aid(db)
    assert checkpoint.unchanged_since_checked(archive, db)
    clean = doc()["archives"][archive]["clean"]
    st = db.stat()
    assert clean == {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "ino": st.st_ino}
    assert not checkpoint.unchanged_since_checked(None, db)
    assert not checkpoint.unchanged_since_checked("another archive", db)
    assert not checkpoint.unchanged_since_checked(archive, tmp_path / "gone.sqlite")
    os.utime(db, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))   # touched by something else
    assert not checkpoint.unchanged_since_checked(archive, db)


def test_a_copy_of_a_checked_file_is_not_taken_for_it(tmp_path):
    db, copy = tmp_path / "a.sqlite", tmp_path / "copy.sqlite"
    trainees(db, 2)
    shutil.copy2(db, copy)
    assert checkpoint.unchanged_since_checked(aid(db), db)
    assert not checkpoint.unchanged_since_checked(aid(db), copy)   # another inode


def test_a_damaged_checkpoint_file_means_the_file_is_checked_again(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 2)
    checkpoint_file().write_text("{not json", encoding="utf-8")
    assert not checkpoint.unchanged_since_checked(aid(db), db)


def test_no_clean_stamp_without_a_checkpoint_entry(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 1)
    checkpoint_file().write_text(json.dumps({"format": "simtool-checkpoints", "version": 1,
                                             "archives": {}}), encoding="utf-8")
    checkpoint.note_clean(aid(db), db)
    assert doc()["archives"] == {}
    checkpoint.note_clean(None, db)
    checkpoint.note_clean(aid(db), tmp_path / "gone.sqlite")
    assert doc()["archives"] == {}
    assert not checkpoint.unchanged_since_checked(aid(db), db)


def test_a_clean_stamp_is_noted_only_for_the_file_named(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 1)
    entry = doc()["archives"][aid(db)]
    entry.pop("clean")
    checkpoint_file().write_text(json.dumps({"format": "simtool-checkpoints", "version": 1,
                                             "archives": {aid(db): entry}}), encoding="utf-8")
    checkpoint.note_clean(aid(db), tmp_path / "gone.sqlite")
    assert "clean" not in doc()["archives"][aid(db)]
    checkpoint.note_clean(aid(db), db)
    assert checkpoint.unchanged_since_checked(aid(db), db)


# --- more of what closing and verify write --------------------------------------------------
def test_the_checkpoints_are_kept_in_checkpoints_json_in_the_data_folder(tmp_path):
    """The file the messages tell a department to move aside is where the docs say."""
    db = tmp_path / "a.sqlite"
    trainees(db, 1)
    kept = json.loads((tmp_path / "user-data" / "checkpoints.json").read_text(encoding="utf-8"))
    assert kept["archives"][aid(db)]["seq"] == head(db)[0]


def test_an_archive_moved_to_another_folder_keeps_its_checkpoint(tmp_path):
    db, moved = tmp_path / "a.sqlite", tmp_path / "moved" / "a.sqlite"
    trainees(db, 3)
    seq, _sha = head(db)
    moved.parent.mkdir()
    shutil.move(db, moved)
    cut_trainees(moved, 1)
    (line,) = problems(moved)
    assert CUT.match(line) and int(CUT.match(line)[2]) == seq


def test_a_checkpoint_at_row_zero_moves_forward_with_the_next_session(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 1)
    edit_checkpoint(seq=0, sha256="0" * 64)
    trainees(db, 1, start=1)
    assert doc()["archives"][aid(db)]["seq"] == head(db)[0] > 0


def test_note_says_whether_it_wrote_the_checkpoint(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 2)
    with Archive.open(db, clock=FakeClock()) as archive:
        assert checkpoint.note(archive) is False          # the head is already noted
        checkpoint_file().unlink()
        assert checkpoint.note(archive) is True           # noted again
    cut_trainees(db, 1)
    with Archive.open(db, clock=FakeClock()) as archive:
        assert checkpoint.note(archive) is False          # kept: it shows the cut
    with raw(db) as c:
        c.execute("DROP TRIGGER meta_no_delete")
        c.execute("DELETE FROM meta WHERE key = 'archive_id'")
    with Archive.open(db, clock=FakeClock()) as archive:
        assert checkpoint.note(archive) is False          # no id to note it under


def test_a_checkpoint_write_that_fails_keeps_the_old_checkpoint_whole(tmp_path, monkeypatch):
    """The disk fails while the new checkpoint is written (here: at its fsync): the archive
    still closes, the old checkpoint is kept as it was and no partial file is left behind."""
    import errno
    db = tmp_path / "a.sqlite"
    trainees(db, 1)
    before = checkpoint_file().read_bytes()

    def full_disk(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    with monkeypatch.context() as m:
        m.setattr(os, "fsync", full_disk)
        trainees(db, 1, start=1)
    assert checkpoint_file().read_bytes() == before
    assert sorted(p.name for p in checkpoint_file().parent.iterdir()) == ["checkpoints.json",
                                                                         "checkpoints.json.lock"]


def test_the_checkpoint_is_written_when_the_system_temp_folder_is_on_another_disk(tmp_path, monkeypatch):
    """The new checkpoint is written beside the old one and renamed over it: a rename within
    one file system. (The system temp folder or /dev/shm, whichever is not where tmp_path is:
    the suite's folders may be on /dev/shm, tests/conftest.py.)"""
    here = tmp_path.stat().st_dev
    others = [Path(d) for d in (tempfile.gettempdir(), "/dev/shm")
              if Path(d).is_dir() and os.access(d, os.W_OK) and Path(d).stat().st_dev != here]
    elsewhere = others[0] if others else tmp_path / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=elsewhere))
    try:
        db = tmp_path / "a.sqlite"
        with monkeypatch.context() as m:
            m.setattr(tempfile, "tempdir", str(scratch))
            trainees(db, 2)
        assert doc()["archives"][aid(db)]["seq"] == head(db)[0]
        assert list(scratch.iterdir()) == []
    finally:
        shutil.rmtree(scratch)
