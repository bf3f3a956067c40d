"""Checkpoints of each archive's audit-chain head, kept OUTSIDE the archive file.

The audit chain shows a record changed or deleted in the middle, but not rows cut off the
end together with the records they audited (the last drill and its audit rows gone leave a
shorter, consistent chain), nor a file put back from an older copy. So whenever simtool closes
an archive it wrote to, and whenever ``simtool verify`` finds an archive intact, the chain's
head — its last row number, that row's hash and when it was seen — is noted under the
archive's id (``meta.archive_id``, schema 4) in ``checkpoints.json`` in the per-user data
folder (``simtool.store.location.user_data_dir()``)::

    {"format": "simtool-checkpoints", "version": 1,
     "archives": {"<archive id>": {"seq": 1234, "sha256": "9f2c…", "at": "2025-…", "path": "…"}}}

``verify`` then compares: a head below the checkpoint's row, or that row having another hash,
is named. A checkpoint only moves forward along the same chain: a truncated or replaced file
never overwrites the checkpoint that shows it. The file is written atomically (temporary file,
fsync, rename) under an exclusive lock, so several simtools closing archives at once lose no
update. The signed score-sheet PDFs print the head as well, a second copy outside the file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simtool.store.location import user_data_dir

try:
    import fcntl
except ImportError:  # Windows: no lock; the rename still keeps the file whole
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from simtool.store.connection import StoreBase

FORMAT, VERSION = "simtool-checkpoints", 1


class CheckpointFileError(Exception):
    """The checkpoint file exists but cannot be read as one."""


def checkpoint_file() -> Path:
    return user_data_dir() / "checkpoints.json"


def archive_id(archive: "StoreBase") -> str | None:
    try:
        row = archive._conn.execute("SELECT value FROM meta WHERE key = 'archive_id'").fetchone()
    except sqlite3.Error:
        return None
    return None if row is None else str(row[0])


def chain_head(archive: "StoreBase") -> tuple[int, str]:
    from simtool.store.hashing import GENESIS
    row = archive._conn.execute("SELECT seq, sha256 FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


def load(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """Every archive's checkpoint; {} when there is no file yet."""
    path = path or checkpoint_file()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise CheckpointFileError(f"the checkpoint file {path} cannot be read "
                                  f"({exc.strerror or exc})") from exc
    try:
        doc = json.loads(raw.decode("utf-8"))
        if not (isinstance(doc, dict) and doc.get("format") == FORMAT
                and isinstance(doc.get("archives"), dict)):
            raise ValueError("not a simtool checkpoint file")
        archives = doc["archives"]
        for value in archives.values():
            if not (isinstance(value, dict) and isinstance(value.get("seq"), int)
                    and isinstance(value.get("sha256"), str)):
                raise ValueError("an entry lacks seq or sha256")
        return archives
    except (UnicodeDecodeError, ValueError) as exc:
        raise CheckpointFileError(f"the checkpoint file {path} is damaged ({exc})") from exc


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield
        return
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _write(path: Path, archives: dict[str, dict[str, Any]]) -> None:
    data = json.dumps({"format": FORMAT, "version": VERSION, "archives": archives},
                      indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=".checkpoints.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:
        dfd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return  # Windows: directories cannot be opened; the rename is what matters
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def _row_hash(archive: "StoreBase", seq: int) -> str | None:
    row = archive._conn.execute("SELECT sha256 FROM audit WHERE seq = ?", (seq,)).fetchone()
    return None if row is None else str(row[0])


def extends(archive: "StoreBase", cp: dict[str, Any]) -> bool:
    """The archive's chain contains the checkpointed row unchanged (seq 0: always)."""
    return cp["seq"] == 0 or _row_hash(archive, cp["seq"]) == cp["sha256"]


def note(archive: "StoreBase") -> bool:
    """Record the archive's current head, unless the checkpoint already recorded is not on
    this chain (then it is kept: it is the evidence). True when the checkpoint was written."""
    aid = archive_id(archive)
    if aid is None:
        return False
    path = checkpoint_file()
    with _locked(path):
        archives = load(path)
        seq, sha = chain_head(archive)
        old = archives.get(aid)
        if old is not None and (not extends(archive, old) or (old["seq"], old["sha256"]) == (seq, sha)):
            return False
        archives[aid] = {"seq": seq, "sha256": sha, "at": archive._now(),
                         "path": str(archive.path.resolve())}
        _write(path, archives)
    return True


def note_close(archive: "StoreBase") -> None:
    """``note`` when an archive that was written to closes; a failure never stops the close."""
    try:
        note(archive)
    except (OSError, CheckpointFileError, sqlite3.Error):
        pass


def _stamp(path: Path) -> dict[str, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "ino": st.st_ino}


def note_clean(aid: str | None, path: Path) -> None:
    """After a session that checked the file (``PRAGMA quick_check``) and then only wrote
    through SQLite has closed it: note the file's size, modification time and inode, so the
    next session may skip the check when the file has not changed since. Best effort."""
    if aid is None:
        return
    stamp = _stamp(path)
    if stamp is None:
        return
    try:
        cp_path = checkpoint_file()
        with _locked(cp_path):
            archives = load(cp_path)
            entry = archives.get(aid)
            if entry is None:
                return
            entry["clean"] = stamp
            _write(cp_path, archives)
    except (OSError, CheckpointFileError):
        pass


def unchanged_since_checked(aid: str | None, path: Path) -> bool:
    """The file is exactly as a session that checked it left it (see ``note_clean``); a
    damaged or copied file, or one written by anything else, has another stamp."""
    if aid is None:
        return False
    try:
        entry = load().get(aid)
    except CheckpointFileError:
        return False
    stamp = _stamp(path)
    return bool(entry) and stamp is not None and entry.get("clean") == stamp


def compare(archive: "StoreBase") -> list[str]:
    """Sentences for a chain that ends before its checkpoint or no longer holds it."""
    aid = archive_id(archive)
    try:
        archives = load()
    except CheckpointFileError as exc:
        return [f"{exc}; the end of the audit log could not be checked (move the file aside "
                f"to start a new one)"]
    if aid is None:
        # the id itself was deleted: go by where the archive was when its head was noted
        here = str(archive.path.resolve())
        cp = max((c for c in archives.values() if c.get("path") == here),
                 key=lambda c: c["seq"], default=None)
    else:
        cp = archives.get(aid)
    if cp is None or cp["seq"] == 0:
        return []
    seq, _sha = chain_head(archive)
    when = str(cp.get("at") or "an earlier session")[:19].replace("T", " ")
    short = cp["sha256"][:16]
    if seq < cp["seq"]:
        return [f"the audit log ends at row {seq} but row {cp['seq']} (hash {short}…) was recorded "
                f"on {when}: rows were removed from the end (or the file was replaced by an "
                f"older copy)"]
    now = _row_hash(archive, cp["seq"])
    if now != cp["sha256"]:
        return [f"audit row {cp['seq']} has hash {(now or '')[:16]}… but hash {short}… was "
                f"recorded for it on {when}: the end of the log was rewritten (or the file was "
                f"replaced by another copy)"]
    return []
