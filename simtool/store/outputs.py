"""The one way simtool writes an output file (PDF, CSV, bundle, anything later). Imports no Qt.

Never overwrite what is not ours:

- ``check_target(path, protect=..., force=...)`` refuses the archive in use and its companions
  (``-wal``, ``-shm``, ``-journal``, ``.journal``), compared by resolved path and by file
  identity, so a symlink, a hard link or a relative path to them is refused too; it refuses a
  folder, a device, a pipe or a socket; and an existing file unless ``force`` (the command
  line's ``--force``, or the window after the user confirmed replacing it).
- ``write_atomic(path, data, ...)`` checks, then writes a temporary file in the target's own
  folder (``.NAME.simtool-<pid>-<random>.tmp``), flushes and syncs it, and only then puts it in
  place — with a hard link when nothing may be replaced (so a file that appeared meanwhile is
  still not replaced), else ``os.replace`` — and syncs the folder. On any failure (a full disk,
  no permission, an error while rendering) the temporary file is removed and whatever was at
  the target is untouched; an ``OSError`` becomes one ``OutputError`` sentence naming the file.
- While a temporary file exists it is listed in ``pending-outputs.txt`` in the per-user data
  folder (``simtool.store.location.user_data_dir()``), with the writing process; a process
  killed mid-write leaves it listed, and ``clean_stale_outputs()`` — called when the command
  line and the window start — removes the temporary files of writers that are gone. A
  folder's own stale ``.*.simtool-<pid>-*.tmp`` files (a dead pid, older than a minute) are
  removed when simtool next writes into that folder.
- ``safe_name_part(text)`` turns data (a drill id, a participant id, a name) into a piece of a
  file name that cannot leave its folder or mean anything to the file system.
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import socket
import stat
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO

from simtool.core.errors import SimtoolError
from simtool.store.location import user_data_dir
from simtool.store.owner import Owner, is_alive, this_process

try:
    import fcntl
except ImportError:  # Windows: the registry is then shared without a lock
    fcntl = None  # type: ignore[assignment]

REGISTRY = "pending-outputs.txt"
# the archive's companions: SQLite's write-ahead log, shared memory and rollback journal, and
# simtool's own journal (and the entries it refused)
ARCHIVE_COMPANIONS = ("-wal", "-shm", "-journal", ".journal", ".journal.rejected")
STALE_AGE_S = 60.0        # a folder's temp of a dead pid is removed only when at least this old
NAME_PART_MAX = 80        # characters in one sanitised file-name part
_TMP_RE = re.compile(r"^\.(?P<name>.*)\.simtool-(?P<pid>\d+)-(?P<rand>[0-9a-f]{8})\.tmp$", re.S)
_BINARY = getattr(os, "O_BINARY", 0)


class OutputError(SimtoolError):
    """An output file cannot or may not be written: one sentence naming it."""


# --- where not to write ----------------------------------------------------------------------
def protected_paths(protect: Iterable[str | os.PathLike[str]]) -> list[tuple[Path, str]]:
    """Each protected file and its companions, as given (made absolute) and resolved, with
    how a refusal names it."""
    out: list[tuple[Path, str]] = []
    for p in protect:
        base = Path(os.path.abspath(p))
        for b in dict.fromkeys((base, base.resolve())):
            out.append((b, "the archive in use"))
            out += [(b.with_name(b.name + suffix), f"the archive's {suffix} file")
                    for suffix in ARCHIVE_COMPANIONS]
    out.append((Path(os.path.abspath(registry_path())), "simtool's list of pending outputs"))
    return out


def _same_file(target: Path, other: Path) -> bool:
    if os.path.normcase(os.path.abspath(target)) == os.path.normcase(str(other)):
        return True
    try:
        if os.path.normcase(str(target.resolve())) == os.path.normcase(str(other.resolve())):
            return True
    except (OSError, RuntimeError):  # a symlink loop: compared by identity below
        pass
    try:
        return os.path.samefile(target, other)
    except (OSError, ValueError):
        return False


def check_target(path: str | os.PathLike[str], *, protect: Iterable[str | os.PathLike[str]] = (),
                 force: bool = False) -> Path:
    """``path`` as a ``Path`` if an output may be written there; else ``OutputError``.

    Refused: any of ``protect`` (the archive in use) or its companions, a folder, anything but
    a regular file, and an existing file unless ``force``."""
    target = Path(path)
    if not str(path) or target.name in ("", ".", ".."):
        raise OutputError(f"'{path}' is not a file name; give the file to write")
    for p, what in protected_paths(protect):
        if _same_file(target, p):
            raise OutputError(f"{target} is {what}; refusing to write over it (choose another file)")
    try:
        st = os.stat(target)
    except FileNotFoundError:
        if os.path.lexists(target):  # a link to nothing: replacing it is replacing a file
            if not force:
                raise OutputError(f"{target} exists; use --force to replace it") from None
        return target
    except NotADirectoryError:
        raise OutputError(f"cannot write {target}: a part of its folder path is a file") from None
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{target} is a folder; give a file name to write")
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(f"{target} is not a regular file (a device, pipe or socket); "
                          f"choose a file to write")
    if not force:
        raise OutputError(f"{target} exists; use --force to replace it")
    return target


# --- writing ---------------------------------------------------------------------------------
def _temp_path(target: Path) -> Path:
    name = target.name
    while len(name.encode("utf-8", "surrogateescape")) > 120:  # NAME_MAX is 255 bytes
        name = name[:-1]
    return target.with_name(f".{name}.simtool-{os.getpid()}-{secrets.token_hex(4)}.tmp")


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return  # folders cannot be opened for fsync there; NTFS journals the rename
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the data itself is synced
    finally:
        os.close(fd)


def _place(tmp: Path, target: Path, force: bool) -> None:
    """Put the complete ``tmp`` at ``target``: replacing only when ``force``."""
    if force:
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target)  # fails if anything is at target by now: never replaces
    except FileExistsError:
        raise OutputError(f"{target} exists; use --force to replace it") from None
    except OSError:  # no hard links on this file system (FAT, some shares): check, then rename
        if os.path.lexists(target):
            raise OutputError(f"{target} exists; use --force to replace it") from None
        os.replace(tmp, target)
        return
    try:
        os.unlink(tmp)
    except OSError:
        pass  # the target is complete; the leftover name stays listed and is removed later


def _why(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return "the disk is full"
    if exc.errno == errno.EFBIG:
        return "the file is larger than this file system or a size limit allows"
    return exc.strerror or str(exc)


def write_atomic(path: str | os.PathLike[str], data: bytes | Callable[[BinaryIO], Any], *,
                 protect: Iterable[str | os.PathLike[str]] = (), force: bool = False) -> Path:
    """Write ``data`` (bytes, or a function writing to a binary file) to ``path``, whole or
    not at all; returns the path. See the module's docstring for what is refused."""
    protect = tuple(protect)
    target = check_target(path, protect=protect, force=force)
    folder = Path(os.path.abspath(target)).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: cannot make its folder {folder}: {_why(exc)}") from exc
    _clean_folder(folder)
    tmp = _temp_path(Path(os.path.abspath(target)))
    entry = _register(tmp)  # listed before it exists: a kill at any point leaves it findable
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o666)
        with os.fdopen(fd, "wb") as f:
            if callable(data):
                data(f)
            else:
                f.write(data)
            f.flush()
            os.fsync(f.fileno())
        _keep_mode(target, tmp)
        _place(tmp, target, force)
        _fsync_dir(folder)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {_why(exc)}; nothing was changed there") from exc
    finally:
        if os.path.lexists(tmp):
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if not os.path.lexists(tmp):
            _unregister(entry)
    return target


def write_text_atomic(path: str | os.PathLike[str], fill: Callable[[TextIO], Any], *,
                      protect: Iterable[str | os.PathLike[str]] = (), force: bool = False,
                      encoding: str = "utf-8") -> Path:
    """``write_atomic`` for text: ``fill`` writes to a text file opened with ``newline=""``
    (the csv module's rule) in ``encoding``."""
    import io

    def binary(f: BinaryIO) -> None:
        text = io.TextIOWrapper(f, encoding=encoding, newline="")
        try:
            fill(text)
            text.flush()
        finally:
            text.detach()

    return write_atomic(path, binary, protect=protect, force=force)


def _keep_mode(target: Path, tmp: Path) -> None:
    """A replaced file keeps its permission bits."""
    try:
        st = os.stat(target)
        if stat.S_ISREG(st.st_mode):
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
    except OSError:
        pass


# --- the list of temporary files being written -----------------------------------------------
def registry_path() -> Path:
    return user_data_dir() / REGISTRY


@contextmanager
def _registry(create: bool) -> Iterator[IO[bytes]]:
    path = registry_path()
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | (os.O_CREAT if create else 0) | _BINARY, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)  # released when fd is closed
        with os.fdopen(fd, "r+b", closefd=False) as f:
            yield f
    finally:
        os.close(fd)


def _entries(f: IO[bytes]) -> list[dict[str, Any]]:
    f.seek(0)
    out = []
    for line in f.read().splitlines():
        try:
            e = json.loads(line)
        except ValueError:
            continue  # a line cut short by a crash: nothing to act on
        if isinstance(e, dict) and isinstance(e.get("path"), str) and isinstance(e.get("pid"), int):
            out.append(e)
    return out


def _rewrite(f: IO[bytes], entries: list[dict[str, Any]]) -> None:
    f.seek(0)
    f.truncate()
    f.write(b"".join(json.dumps(e).encode("ascii") + b"\n" for e in entries))
    f.flush()
    os.fsync(f.fileno())


def _register(tmp: Path) -> dict[str, Any] | None:
    owner = this_process()
    entry = {"path": str(tmp), "host": owner.host, "pid": owner.pid, "start": owner.start}
    try:
        with _registry(create=True) as f:
            f.seek(0, os.SEEK_END)
            f.write(json.dumps(entry).encode("ascii") + b"\n")
            f.flush()
            os.fsync(f.fileno())
    except OSError:
        return None  # no data folder to write in: the folder scan is the fallback
    return entry


def _unregister(entry: dict[str, Any] | None) -> None:
    if entry is None:
        return
    try:
        with _registry(create=False) as f:
            entries = _entries(f)
            kept = [e for e in entries if not (e["path"] == entry["path"] and e["pid"] == entry["pid"])]
            if len(kept) != len(entries):
                _rewrite(f, kept)
    except OSError:
        pass


def _remove_temp(path: Path) -> bool:
    """Remove ``path`` if it is one of our temporary files; whether it was removed."""
    if not _TMP_RE.match(path.name):
        return False  # the registry names only our temp files; anything else is left alone
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode):
            return False
        os.unlink(path)
        return True
    except OSError:
        return False


def _clean_folder(folder: Path) -> list[Path]:
    """Remove ``folder``'s temporary files whose writer (by pid) is gone and which are older
    than ``STALE_AGE_S`` (a writer on another machine sharing the folder is still writing)."""
    removed: list[Path] = []
    host, now = socket.gethostname(), time.time()
    try:
        with os.scandir(folder) as it:
            names = [(e.name, e.path) for e in it if e.name.endswith(".tmp") and e.name.startswith(".")]
    except OSError:
        return removed
    for name, p in names:
        m = _TMP_RE.match(name)
        if m is None or int(m["pid"]) == os.getpid():
            continue
        try:
            if now - os.lstat(p).st_mtime < STALE_AGE_S:
                continue
        except OSError:
            continue
        if is_alive(Owner(host, int(m["pid"]))) is False and _remove_temp(Path(p)):
            removed.append(Path(p))
    return removed


def clean_stale_outputs(folders: Iterable[str | os.PathLike[str]] = ()) -> list[Path]:
    """Remove the temporary output files left by simtool processes that are gone (listed in
    the registry, and those in ``folders``); returns what was removed. Never raises."""
    removed: list[Path] = []
    try:
        with _registry(create=False) as f:
            entries = _entries(f)
            kept = []
            for e in entries:
                owner = Owner(str(e.get("host") or ""), e["pid"],
                              e.get("start") if isinstance(e.get("start"), str) else None)
                if is_alive(owner) is False:
                    if _remove_temp(Path(e["path"])):
                        removed.append(Path(e["path"]))
                    continue
                kept.append(e)
            if len(kept) != len(entries):
                _rewrite(f, kept)
    except OSError:
        pass  # no registry (nothing was ever pending) or not readable: nothing to do
    for folder in folders:
        removed += _clean_folder(Path(folder))
    return removed


# --- file names from data ----------------------------------------------------------------------
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
_NOT_IN_NAMES = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*\u061c\u200e\u200f\u202a-\u202e'
                           r"\u2066-\u2069\ud800-\udfff]")


def safe_name_part(text: object, *, fallback: str = "unnamed", max_len: int = NAME_PART_MAX) -> str:
    """``text`` as one piece of a file name: no path separators, no ``..``, no control,
    format, bidi, private-use or unassigned characters, no leading dot, no character or name Windows reserves, whitespace as
    ``_``, at most ``max_len`` characters (and 160 bytes), never empty (``fallback``)."""
    s = unicodedata.normalize("NFC", str(text))
    s = _NOT_IN_NAMES.sub("_", s)
    s = re.sub(r"\s+", "_", s)
    # format, private-use, unassigned and surrogate code points (zero-width, BOM...): none
    s = "".join("_" if unicodedata.category(ch)[0] in "CZ" else ch for ch in s)
    s = re.sub(r"\.{2,}", "_", s)
    s = s.strip("._ ")
    if s.split(".")[0].upper() in _RESERVED:
        s = "_" + s
    while s and (len(s) > max_len or len(s.encode("utf-8")) > 160):
        s = s[:-1]
    s = s.rstrip("._ ")
    return s or fallback


def file_in(folder: str | os.PathLike[str], name: str) -> Path:
    """``folder / name``, refused (``OutputError``) unless it stays directly inside ``folder``."""
    base = Path(folder)
    path = base / name
    if Path(name).name != name or name in ("", ".", "..") or \
            os.path.abspath(path.parent) != os.path.abspath(base) or \
            path.resolve().parent != base.resolve():
        raise OutputError(f"the file name {name!r} would leave the folder {base}")
    return path
