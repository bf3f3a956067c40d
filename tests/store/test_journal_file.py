"""The journal file itself (``simtool.store.journal``): what survives a flush racing an append,
lines that are not entries, the rejected-entries file, and the file's shape and permissions.

The races are made deterministic: the second party is started in a thread and the test waits
until that thread holds the journal open (seen in /proc/self/fd) before the first party
removes the file, so the second party always meets a removed file under the lock."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from simtool.store.journal import Journal


def _open_count(path: Path) -> int:
    """How many file descriptors of this process point at ``path`` (Linux /proc)."""
    n = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}") in (str(path), f"{path} (deleted)"):
                n += 1
        except OSError:
            continue
    return n


def _wait_until(condition, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.005)


def lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_an_append_waiting_for_a_flush_goes_into_a_fresh_file_not_the_removed_one(tmp_path):
    journal = Journal(tmp_path / "archive.sqlite.journal")
    journal.append({"n": 1})
    with journal.claimed() as claim:  # a flush holds the lock...
        assert claim.entries == [{"n": 1}]
        writer = threading.Thread(target=journal.append, args=({"n": 2},))
        writer.start()
        _wait_until(lambda: _open_count(journal.path) == 2, "the appender has the journal open")
        claim.remove()  # ...writes the entries to the archive and removes the file
    writer.join(timeout=20)
    assert not writer.is_alive()
    assert lines(journal.path) == [{"n": 2}]  # kept, in a new journal


def test_a_second_flush_that_waited_finds_nothing_and_removes_nothing(tmp_path):
    journal = Journal(tmp_path / "archive.sqlite.journal")
    journal.append({"n": 1})
    seen: list[object] = []

    def second_flush() -> None:
        with journal.claimed() as claim:
            seen.append(list(claim.entries))
            claim.remove()

    with journal.claimed() as claim:
        flusher = threading.Thread(target=second_flush)
        flusher.start()
        _wait_until(lambda: _open_count(journal.path) == 2, "the second flush has the journal open")
        claim.remove()
        journal.append({"n": 2})  # a new entry, in a new file, while the second flush waits
    flusher.join(timeout=20)
    assert seen == [[]]  # it did not write the first flush's entries a second time
    assert lines(journal.path) == [{"n": 2}]  # and did not remove the new journal


def test_blank_lines_are_passed_over_and_lines_that_are_not_entries_counted(tmp_path):
    journal = Journal(tmp_path / "j.journal")
    journal.path.write_text('\n{"n": 1}\n\n[1, 2]\n"text"\n{"n": 2}\n\n', encoding="utf-8")
    with journal.claimed() as claim:
        assert claim.entries == [{"n": 1}, {"n": 2}]
        assert claim.torn_lines == 2


def test_no_journal_claims_nothing_and_removing_it_is_harmless(tmp_path):
    journal = Journal(tmp_path / "j.journal")
    with journal.claimed() as claim:
        assert (claim.entries, claim.torn_lines) == ([], 0)
        claim.remove()
    assert not journal.path.exists()


def test_a_claim_removes_the_journal(tmp_path):
    journal = Journal(tmp_path / "j.journal")
    journal.append({"n": 1})
    with journal.claimed() as claim:
        claim.remove()
    assert not journal.exists()


def test_entries_are_one_sorted_json_line_each_readable_only_as_the_archive_is(tmp_path):
    journal = Journal(tmp_path / "j.journal")
    journal.path.touch()  # an empty journal left by a crash before its first line
    journal.append({"b": "中文", "a": 1})
    journal.append({"c": [1, 2]})
    assert journal.path.read_bytes() == '{"a": 1, "b": "中文"}\n{"c": [1, 2]}\n'.encode("utf-8")
    fresh = Journal(tmp_path / "k.journal")
    fresh.append({"n": 1})
    assert fresh.path.stat().st_mode & 0o777 == 0o644 & ~_umask()


def test_refused_entries_are_kept_with_why_and_never_overwritten(tmp_path):
    journal = Journal(tmp_path / "j.journal")
    first = journal.set_aside([({"n": 1}, "no drill x"), ({"n": 2, "名": "李娜"}, "other content")])
    again = journal.set_aside([({"n": 3}, "no drill y")])
    assert first == again == tmp_path / "j.journal.rejected"
    # one sorted JSON line each, readable as written (not \u escapes)
    assert first.read_bytes() == ('{"entry": {"n": 1}, "reason": "no drill x"}\n'
                                  '{"entry": {"n": 2, "名": "李娜"}, "reason": "other content"}\n'
                                  '{"entry": {"n": 3}, "reason": "no drill y"}\n').encode("utf-8")
    assert first.stat().st_mode & 0o777 == 0o644 & ~_umask()


def _umask() -> int:
    u = os.umask(0)
    os.umask(u)
    return u


def test_an_append_that_keeps_finding_its_file_removed_gives_up_saying_so(tmp_path, monkeypatch):
    """As if a flush removed the journal every time the appender got the lock."""
    journal = Journal(tmp_path / "j.journal")
    real = os.fstat

    def removed(fd: int) -> os.stat_result:
        st = list(real(fd))
        st[3] = 0  # st_nlink: no name left
        return os.stat_result(st)

    monkeypatch.setattr(os, "fstat", removed)
    with pytest.raises(OSError) as err:
        journal.append({"n": 1})
    assert str(err.value) == f"could not append to {journal.path}: it kept being removed"
