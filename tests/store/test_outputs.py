"""``simtool.store.outputs``: the one way an output file is written (issue 14, deliverable 1).

Never over the archive (by any name), never over an existing file without ``force``, whole or
not at all, and no temporary file left behind — not even by a writer that was killed."""

from __future__ import annotations

import errno
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simtool.store import Archive
from simtool.store.outputs import (OutputError, check_target, clean_stale_outputs, file_in,
                                   registry_path, safe_name_part, write_atomic)

from helpers.outputs import kill_a_writer, sha


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _pending() -> list[dict]:
    p = registry_path()
    return [json.loads(line) for line in p.read_text().splitlines()] if p.exists() else []


@pytest.fixture
def out(tmp_path) -> Path:
    """A folder of its own (the per-user data folder is elsewhere in tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def archive_file(tmp_path) -> Path:
    db = tmp_path / "work" / "w.db"
    db.parent.mkdir()
    Archive.open(db).close()
    return db


# --- never the archive ------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["same", "relative", "dot-dot", "symlink", "hardlink", "-wal", "-shm",
                                 "-journal", ".journal"])
def test_the_archive_and_its_companions_are_refused_by_any_name(archive_file, how, monkeypatch):
    folder = archive_file.parent
    monkeypatch.chdir(folder)
    before = sha(archive_file)
    target = {
        "same": archive_file, "relative": Path("w.db"), "dot-dot": Path("../work/./w.db"),
        "-wal": Path("w.db-wal"), "-shm": folder / "w.db-shm", "-journal": Path("w.db-journal"),
        ".journal": Path("w.db.journal"),
    }.get(how)
    if how == "symlink":
        target = folder / "report.pdf"
        target.symlink_to("w.db")
    if how == "hardlink":
        target = folder / "other-name.pdf"
        os.link(archive_file, target)
    for force in (False, True):
        with pytest.raises(OutputError, match="archive") as err:
            write_atomic(target, b"%PDF-1.4 not an archive", protect=[archive_file], force=force)
        assert "\n" not in str(err.value) and str(target) in str(err.value)
    assert sha(archive_file) == before
    with Archive.open(archive_file, create=False) as a:   # still an archive
        assert a.drills() == []
    if how in ("-wal", "-shm", "-journal", ".journal"):
        assert not (folder / target.name).exists()
    assert not [n for n in _listing(folder) if n.endswith(".tmp")]


def test_an_archive_reached_through_a_symlinked_folder_is_refused(archive_file, tmp_path):
    alias = tmp_path / "alias"
    alias.symlink_to(archive_file.parent, target_is_directory=True)
    with pytest.raises(OutputError, match="archive"):
        check_target(alias / "w.db-wal", protect=[archive_file], force=True)
    with pytest.raises(OutputError, match="archive"):
        check_target(archive_file.parent / "w.db", protect=[alias / "w.db"], force=True)


def test_folders_pipes_and_devices_are_refused(tmp_path):
    with pytest.raises(OutputError, match="is a folder"):
        write_atomic(tmp_path, b"x", force=True)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="not a regular file"):
        write_atomic(fifo, b"x", force=True)  # would block forever if it were opened
    with pytest.raises(OutputError, match="not a regular file"):
        write_atomic("/dev/null", b"x", force=True)


# --- never an existing file unasked ----------------------------------------------------------
def test_an_existing_file_is_kept_without_force_and_replaced_with_it(out):
    target = out / "report.pdf"
    target.write_bytes(b"the department's old report")
    target.chmod(0o640)
    with pytest.raises(OutputError, match="exists; use --force to replace it"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"the department's old report"
    assert write_atomic(target, b"new", force=True) == target
    assert target.read_bytes() == b"new"
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)   # a replaced file keeps its mode
    assert _listing(out) == ["report.pdf"]


def test_a_file_that_appears_while_writing_is_not_replaced(out):
    """Another program creates the target between the check and the rename: without force it
    is left alone (the temp is linked into place, which never replaces)."""
    target = out / "out.csv"

    def slow_writer(f):
        f.write(b"ours")
        target.write_bytes(b"someone else's")

    with pytest.raises(OutputError, match="exists"):
        write_atomic(target, slow_writer)
    assert target.read_bytes() == b"someone else's"
    assert _listing(out) == ["out.csv"]


# --- whole or not at all -----------------------------------------------------------------------
def test_a_full_disk_leaves_the_old_file_whole_and_no_temporary_file(out):
    target = out / "report.pdf"
    target.write_bytes(b"old report, complete")

    def fills_the_disk(f):
        f.write(b"%PDF-1.4 half of it")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(OutputError) as err:
        write_atomic(target, fills_the_disk, force=True)
    assert str(err.value) == f"cannot write {target}: the disk is full; nothing was changed there"
    assert target.read_bytes() == b"old report, complete"
    assert _listing(out) == ["report.pdf"]
    assert _pending() == []


def test_an_error_while_rendering_leaves_nothing(out):
    target = out / "new.pdf"

    def breaks(f):
        f.write(b"partial")
        raise ValueError("renderer bug")

    with pytest.raises(ValueError, match="renderer bug"):
        write_atomic(target, breaks)
    assert not target.exists()
    assert _listing(out) == []
    assert _pending() == []


def test_while_writing_the_temporary_file_is_listed_beside_the_target(tmp_path):
    target = tmp_path / "out" / "report.pdf"
    seen = {}

    def look(f):
        seen["pending"] = _pending()
        seen["files"] = _listing(target.parent)
        f.write(b"done")

    write_atomic(target, look)
    (entry,) = seen["pending"]
    tmp = Path(entry["path"])
    assert tmp.parent == target.parent and entry["pid"] == os.getpid()
    assert seen["files"] == [tmp.name] and tmp.name.startswith(".report.pdf.simtool-")
    assert target.read_bytes() == b"done" and _listing(target.parent) == ["report.pdf"]
    assert _pending() == []


# --- and nothing left behind by a killed writer -------------------------------------------------


def killed_writer(target: Path) -> Path:
    """Run a writer in another process and SIGKILL it mid-write; its temporary file."""
    kill_a_writer(target)
    (tmp,) = [target.parent / n for n in _listing(target.parent) if n.endswith(".tmp")]
    return tmp


def test_a_killed_writers_temporary_file_is_removed_at_the_next_start(tmp_path, capsys):
    from simtool.cli import main

    target = tmp_path / "reports" / "team.pdf"
    target.parent.mkdir()
    target.write_bytes(b"old")
    tmp = killed_writer(target)
    assert [Path(e["path"]) for e in _pending()] == [tmp]
    assert target.read_bytes() == b"old"   # the kill changed nothing at the target

    # the next simtool command, whatever it is, starts by removing it
    main(["drills", "--archive", str(tmp_path / "none.sqlite")])
    assert _listing(target.parent) == ["team.pdf"] and target.read_bytes() == b"old"
    assert _pending() == []
    capsys.readouterr()


def test_the_registry_keeps_live_writers_and_removes_only_our_own_temp_names(tmp_path):
    target = tmp_path / "team.pdf"
    tmp = killed_writer(target)
    mine = tmp_path / ".mine.pdf.simtool-1-0123abcd.tmp"   # listed as ours, but this process lives
    mine.write_bytes(b"being written")
    users = tmp_path / "notes.txt"                          # a user's file, listed by a tampered list
    users.write_bytes(b"keep me")
    with registry_path().open("a") as f:
        f.write(json.dumps({"path": str(mine), "host": socket.gethostname(), "pid": os.getpid(),
                            "start": None}) + "\n")
        f.write(json.dumps({"path": str(users), "host": socket.gethostname(), "pid": 999999999,
                            "start": None}) + "\n")
        f.write("{not json\n")
    assert clean_stale_outputs() == [tmp]
    assert mine.exists() and users.read_bytes() == b"keep me" and not tmp.exists()
    assert [e["path"] for e in _pending()] == [str(mine)]


def test_a_folders_stale_temporary_files_go_when_simtool_next_writes_there(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    pid = int(dead.stdout)
    old = tmp_path / f".a.pdf.simtool-{pid}-0badc0de.tmp"
    fresh = tmp_path / f".b.pdf.simtool-{pid}-00c0ffee.tmp"
    alike = tmp_path / f".c.pdf.simtool-{pid}-xyz.tmp"       # not our pattern: never touched
    for p in (old, fresh, alike):
        p.write_bytes(b"x")
    an_hour_ago = time.time() - 3600
    for p in (old, alike):
        os.utime(p, (an_hour_ago, an_hour_ago))
    write_atomic(tmp_path / "new.pdf", b"new")
    assert not old.exists()
    assert fresh.exists() and alike.exists()   # young: perhaps another machine still writes it


# --- file names from data --------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("../../etc/passwd", "etc_passwd"), ("..", "unnamed"), ("", "unnamed"), (".hidden", "hidden"),
    ("a/b\\c", "a_b_c"), ("CON", "_CON"), ("lpt1.pdf", "_lpt1.pdf"), ("x\x1b[31my", "x_[31my"),
    ("Li Na", "Li_Na"), ("t1", "t1"), ("王芳", "王芳"), ("a:b*c?d", "a_b_c_d"), ("x\u202eexe.pdf", "x_exe.pdf"),
])
def test_safe_name_part(text, expected):
    assert safe_name_part(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_makes_a_name_that_stays_in_its_folder(text):
    part = safe_name_part(text)
    assert part and len(part) <= 80 and len(part.encode()) <= 160
    assert "/" not in part and "\\" not in part and ".." not in part and not part.startswith(".")
    assert all(ch.isprintable() or ch == " " for ch in part) and not part.endswith((" ", "."))
    folder = Path("/tmp/simtool-names")
    assert file_in(folder, f"{part}-x.pdf").parent == folder


def test_a_name_that_would_leave_its_folder_is_refused(tmp_path):
    for name in ("../x.pdf", "a/b.pdf", "..", "/etc/passwd"):
        with pytest.raises(OutputError, match="would leave the folder"):
            file_in(tmp_path, name)
