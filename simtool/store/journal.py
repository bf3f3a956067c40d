"""The journal: where drill data goes while the archive cannot be written.

When a write of an event, a vitals sample or a status change fails because the archive is
read-only, the disk is full, an I/O error occurred or another simtool held the lock too long,
the entry is appended as one JSON line to ``<archive>.journal`` beside the archive, flushed and
fsync'd before the call returns. If that journal cannot be written either (it is on the same
full or read-only file system), the entry goes to the fallback journal in the per-user data
folder, ``journals/<hash of the archive's path>.journal`` (``fallback_path``), whose lines name
the archive they belong to. Only when both fail is the entry held in memory — and that is never
reported as kept. The caller gets a ``Journalled`` result (never an exception that would stop
the drill). ``Archive.flush_journal`` writes the entries of both journals into the archive
idempotently and removes the files; it is tried on open and before every later write.

Several processes may share one journal: appends and the flush take an exclusive ``flock`` on
the file (POSIX), and an appender that finds the file was removed by a flush while it waited
opens a fresh one, so no line is written into a deleted file. A line torn by a crash mid-write
was never confirmed to its caller; it is skipped (and counted) when the journal is read. An
append that fails part-way (the disk filled during the write) is cut back to where it began.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: one simtool per archive is assumed for the journal
    fcntl = None  # type: ignore[assignment]

_FLAGS = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)


@dataclass(frozen=True)
class StorageNotice:
    """Where journalable writes go from now on, told once per change of place (a code and its
    fields: each face words it in its reader's language; ``str()`` is the English sentence).

    ``place``: "archive" (writable again; what was journalled is in it), "journal" (beside
    the archive), "fallback" (the journal in the per-user data folder) or "memory" (nothing
    can be written: NOT stored)."""

    place: str
    path: Path | None = None    # the journal in use (journal, fallback)
    archive: Path | None = None
    reason: str = ""            # why the archive (and journals) cannot be written, as the OS says
    moved: int = 0              # entries memory held until now that the journal took

    def __str__(self) -> str:
        if self.place == "archive":
            return (f"the archive {self.archive} can be written again; everything journalled "
                    f"has been written into it")
        if self.place == "memory":
            return (f"{self.reason}; events and vitals are now held in memory only: NOT stored, "
                    f"and not shown as logged until they can be written; keep simtool running")
        where = "the journal" if self.place == "journal" else "the fallback journal"
        folder = " in the per-user data folder" if self.place == "fallback" else ""
        sentence = (f"{self.reason}; events and vitals are now kept in {where} {self.path}"
                    f"{folder} until the archive can be written again")
        if self.moved:
            sentence += f" ({self.moved} held in memory until now are kept there too)"
        return sentence


@dataclass(frozen=True)
class Journalled:
    """A write the archive could not take now: kept in a journal (``kept_in``) to be written
    when it can, or — ``kept_in`` None — held in memory only, which is *not* durable."""

    message: str
    op: str                 # "event", "vitals" or "status"
    drill_id: str
    kept_in: Path | None    # the journal file, or None when held in memory only

    @property
    def durable(self) -> bool:
        """True when the entry is fsync'd in a journal; False when only in memory."""
        return self.kept_in is not None


def fallback_path(archive: Path, data_dir: Path) -> Path:
    """The fallback journal of ``archive`` in the per-user data folder ``data_dir``."""
    key = hashlib.sha256(str(archive.resolve()).encode("utf-8", "surrogatepass")).hexdigest()
    return data_dir / "journals" / f"{key[:24]}.journal"


@dataclass
class Claim:
    """The journal's entries, read under its lock; ``remove`` deletes the file."""

    journal: "Journal"
    entries: list[dict[str, Any]] = field(default_factory=list)
    torn_lines: int = 0
    fd: int | None = None

    def remove(self) -> None:
        if self.fd is not None:
            os.unlink(self.journal.path)
            _fsync_dir(self.journal.path.parent)


def _lock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _cut_back(fd: int, size: int, path: Path) -> None:
    """Undo a failed append: truncate to ``size``; a file that was empty is removed."""
    try:
        if size == 0:
            os.unlink(path)  # we hold the lock: nobody else has written to it
        else:
            os.ftruncate(fd, size)
    except OSError:
        pass  # a torn last line is skipped when the journal is read


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = path

    def exists(self) -> bool:
        return self.path.is_file()

    def append(self, entry: dict[str, Any]) -> None:
        """Append one entry durably (flushed and fsync'd); raises OSError if it cannot."""
        self.append_many([entry])

    def append_many(self, entries: list[dict[str, Any]]) -> None:
        """Append entries in order, durably, with one write and one fsync; raises OSError if
        it cannot, after cutting the file back to where it was (no half-written lines)."""
        data = b"".join((json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
                        for e in entries)
        for _attempt in range(5):
            created = not self.path.exists()
            if created:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, _FLAGS, 0o644)
            try:
                _lock(fd)
                st = os.fstat(fd)
                if st.st_nlink == 0:
                    continue  # a flush removed it while we waited for the lock
                prefix = b""
                if st.st_size:
                    os.lseek(fd, st.st_size - 1, os.SEEK_SET)
                    if os.read(fd, 1) != b"\n":
                        prefix = b"\n"  # end a line torn by a crash before adding ours
                try:
                    _write_all(fd, prefix + data)
                    os.fsync(fd)
                except OSError:
                    _cut_back(fd, st.st_size, self.path)
                    raise
            finally:
                os.close(fd)
            if created:
                _fsync_dir(self.path.parent)
            return
        raise OSError(f"could not append to {self.path}: it kept being removed")

    def count(self) -> int:
        """How many entries the journal holds now (0 when there is none)."""
        with self.claimed() as claim:
            return len(claim.entries)

    @contextmanager
    def claimed(self) -> Iterator[Claim]:
        """Read every entry under the journal's lock; the lock is held until the block ends."""
        if not self.exists():
            yield Claim(self)
            return
        try:
            fd = os.open(self.path, os.O_RDWR | getattr(os, "O_BINARY", 0))
        except FileNotFoundError:  # flushed by another process a moment ago
            yield Claim(self)
            return
        try:
            _lock(fd)
            claim = Claim(self, fd=fd)
            if os.fstat(fd).st_nlink == 0:
                claim.fd = None  # already flushed by another process
            else:
                os.lseek(fd, 0, os.SEEK_SET)
                chunks = []
                while chunk := os.read(fd, 1 << 20):
                    chunks.append(chunk)
                for raw in b"".join(chunks).split(b"\n"):
                    if not raw.strip():
                        continue
                    try:
                        entry = json.loads(raw.decode("utf-8"))
                    except (UnicodeDecodeError, json.JSONDecodeError):
                        claim.torn_lines += 1
                        continue
                    if isinstance(entry, dict):
                        claim.entries.append(entry)
                    else:
                        claim.torn_lines += 1
            yield claim
        finally:
            os.close(fd)

    def set_aside(self, refused: list[tuple[dict[str, Any], str]]) -> Path:
        """Keep entries the archive refused, with why, in ``<journal>.rejected`` (never deleted)."""
        path = self.path.with_name(self.path.name + ".rejected")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, _FLAGS, 0o644)
        try:
            _lock(fd)
            data = "".join(json.dumps({"reason": reason, "entry": e}, ensure_ascii=False,
                                      sort_keys=True) + "\n" for e, reason in refused)
            _write_all(fd, data.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        return path
