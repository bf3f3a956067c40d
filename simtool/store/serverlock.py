"""A lock file that one process holds for as long as it serves an archive.

``acquire(path, holder)`` takes an exclusive, non-blocking OS lock on ``path`` (``flock`` on
POSIX, ``msvcrt.locking`` on Windows) and writes ``holder`` (who holds it: host, pid, what and
since when, as JSON) into the file; ``Lease.release`` empties and removes the file and lets the
lock go. The lock, not the file's presence, decides: a holder killed with SIGKILL (or a power
cut) leaves its file behind, but the OS dropped its lock with the process, so the next
``acquire`` takes the file over. While the lock is held, ``acquire`` raises ``LockHeld`` with
what the holder wrote (None when it cannot be read); a file that cannot be made or opened (a
read-only folder) is the ``OSError`` of ``os.open``.

On POSIX the holder removes the file while it still holds the lock, so a process that opened
the old file and locks it after the release finds it is no longer the file at ``path`` and
starts again on the new one (two holders of two different files would be no lock at all). On
Windows an open file cannot be removed: the file is emptied and removed after the lock is let
go, which fails harmlessly while another process has it open. A lock on a network share is
as good as the share's locking (SMB's is; NFS's depends on the server).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: msvcrt.locking below
    fcntl = None  # type: ignore[assignment]
try:
    import msvcrt
except ImportError:  # POSIX
    msvcrt = None  # type: ignore[assignment]

_BINARY = getattr(os, "O_BINARY", 0)
# Windows locks are mandatory on the bytes they cover: the lock is on one byte far past the
# holder's JSON, so a refused process can still read who holds it (a lock may lie past the end)
_WIN_LOCK_AT = 1 << 30
_READ_TRIES, _READ_PAUSE_S = 25, 0.02   # a holder that has just locked writes its JSON at once
_REOPENS = 20     # a file that keeps changing under us (a file system whose inodes do not hold)


class LockHeld(Exception):
    """Another process holds the lock; ``holder`` is what it wrote (None: unreadable)."""

    def __init__(self, path: Path, holder: dict[str, Any] | None) -> None:
        super().__init__(f"{path} is held by {holder or 'another process'}")
        self.path, self.holder = path, holder


def _try_lock(fd: int) -> bool:
    """Take the exclusive lock without waiting; False when another process holds it."""
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    if msvcrt is not None:
        os.lseek(fd, _WIN_LOCK_AT, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    return True  # neither (no such OS simtool runs on): no lock to take


def _unlock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    elif msvcrt is not None:
        os.lseek(fd, _WIN_LOCK_AT, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


def _same_file(fd: int, path: Path) -> bool:
    """Is the open file ``fd`` still the file at ``path`` (not removed or replaced since)?"""
    try:
        here = os.stat(path)
    except FileNotFoundError:
        return False
    there = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _read_holder(fd: int) -> dict[str, Any] | None:
    """What the holder wrote; it may have locked a moment ago and not written yet."""
    for attempt in range(_READ_TRIES):
        os.lseek(fd, 0, os.SEEK_SET)
        raw = os.read(fd, 64 * 1024)
        try:
            doc = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            doc = None
        if isinstance(doc, dict):
            return doc
        if attempt + 1 < _READ_TRIES:
            time.sleep(_READ_PAUSE_S)
    return None


class Lease:
    """The lock held on ``path``; ``release`` (or leaving the ``with``) lets it go, once."""

    def __init__(self, path: Path, fd: int, holder: dict[str, Any]) -> None:
        self.path, self.holder = path, holder
        self._fd: int | None = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)
            if msvcrt is None:
                # POSIX: removed while still locked (see the module's docstring)
                self.path.unlink(missing_ok=True)
        except OSError:
            pass  # the lock is what counts; an emptied or leftover file decides nothing
        finally:
            try:
                _unlock(fd)
            except OSError:
                pass
            os.close(fd)
        if msvcrt is not None:
            try:
                self.path.unlink(missing_ok=True)
            except OSError:
                pass  # another process has it open (it is about to take the lock): leave it

    def __enter__(self) -> "Lease":
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def acquire(path: str | Path, holder: dict[str, Any]) -> Lease:
    """Hold the lock on ``path`` (made if missing) and write ``holder`` into it. ``LockHeld``
    when another process holds it; ``OSError`` when the file cannot be made or opened."""
    path = Path(path)
    for attempt in range(_REOPENS, -1, -1):
        fd = os.open(path, os.O_RDWR | os.O_CREAT | _BINARY, 0o644)
        try:
            if not _try_lock(fd):
                raise LockHeld(path, _read_holder(fd))
            if attempt and not _same_file(fd, path):
                os.close(fd)       # the holder before removed it as it let go: the new one
                continue
            data = json.dumps(holder, ensure_ascii=False, sort_keys=True).encode("utf-8")
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, data)
            return Lease(path, fd, dict(holder))
        except BaseException:
            os.close(fd)           # lets the lock go, if it was taken
            raise
    raise AssertionError("unreachable: the last attempt returns or raises")
