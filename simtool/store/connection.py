"""Opening an archive file, its transactions, its audit chain and its journal fallback.

``StoreBase`` is the part of ``Archive`` that talks to SQLite directly:

* ``open`` refuses a file that is not an SQLite database, is empty (zero bytes, or no tables:
  an emptied archive is never taken for a new one), is not a simtool archive, lacks one of its
  tables, or was made by a newer simtool (``ArchiveVersionError``) *before writing anything*,
  so such a file stays byte-for-byte as it was; otherwise it sets WAL, ``synchronous=FULL``,
  foreign keys and the busy timeout, and applies pending migrations in one transaction.
* ``PRAGMA quick_check`` runs before the first write of a session (before migrations, or
  inside the first write transaction), and at open when a WAL file is found beside the archive
  (it may be another database's): a damaged file is ``ArchiveDamagedError`` and is not
  written. A session that never wrote closes without checkpointing the WAL into the file (a
  WAL that is not the file's own would otherwise be copied into it); and a session that wrote
  notes the audit chain's head in the per-user checkpoint file (``checkpoint.py``).
* ``transaction()`` is ``BEGIN IMMEDIATE`` … ``COMMIT``. sqlite-utils' ``atomic()`` begins a
  deferred transaction, and in WAL mode a deferred transaction that reads (the audit chain's
  last hash) and then writes fails at once with ``SQLITE_BUSY_SNAPSHOT`` if another process
  wrote in between, without waiting; taking the write lock first makes the busy timeout apply.
  Lock timeouts become ``ArchiveLockedError``; read-only, disk-full and I/O failures become
  ``ArchiveWriteError``.
* ``_durable`` runs a journalable write (event, vitals, status) and, if the archive cannot be
  written, keeps it in the journal beside the archive, else in the fallback journal in the
  per-user data folder, else (not durable) in memory, and returns a ``Journalled`` result
  instead of raising. ``on_notice`` hears one sentence each time writes start going somewhere
  else (journal, fallback, memory, back to the archive); ``settle`` tries hard at the end.
"""

from __future__ import annotations

import functools
import getpass
import os
import socket
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from simtool.store import schema
from simtool.store.errors import (ArchiveDamagedError, ArchiveError, ArchiveLockedError,
                                  ArchiveVersionError, ArchiveWriteError, SignedRecordError)
from simtool.store.hashing import GENESIS, audit_sha256
from simtool.store.journal import Journal, Journalled, StorageNotice, fallback_path
from simtool.store.location import user_data_dir
from simtool.store.owner import Owner, this_process

Clock = Callable[[], datetime]

# SQLite primary result codes (the low byte of the extended code)
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _PERM, _NOTADB = \
    5, 6, 8, 10, 11, 13, 14, 3, 26

# how the store opens files; tests may set "ro" to get a genuinely read-only connection
OPEN_MODE = "rwc"


def utc_clock() -> datetime:
    return datetime.now(timezone.utc)


def iso(dt: datetime) -> str:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).isoformat(timespec="milliseconds")


def _default_actor() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def _connect(path: Path, timeout: float) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?mode={OPEN_MODE}"
    # isolation_level=None: no implicit BEGINs; every transaction is ours and explicit
    return sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)


def _code(exc: sqlite3.Error) -> int:
    return (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def _has_wal(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


def _sqlite_header(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def damaged(path: Path, exc: BaseException | str) -> ArchiveDamagedError:
    """The one sentence for a damaged archive file."""
    reason = " ".join(str(exc).split())
    return ArchiveDamagedError(f"the archive {path} is damaged ({reason}); it was not changed. "
                               f"Restore a backup or run simtool verify")


# the first wait before writing back to an archive that just failed, doubled up to the last
RETRY_FIRST_S, RETRY_MAX_S = 1.0, 30.0


def _archive_id(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'archive_id'").fetchone()
    except sqlite3.Error:
        return None
    return None if row is None else str(row[0])


def quick_check(conn: sqlite3.Connection, path: Path) -> None:
    """``PRAGMA quick_check``: raise ``ArchiveDamagedError`` (nothing written) unless "ok"."""
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check(5)").fetchall()]
    except sqlite3.DatabaseError as exc:
        raise damaged(path, exc) from exc
    if rows != ["ok"]:
        raise damaged(path, "; ".join(" ".join(str(r).split()) for r in rows[:3]))


F = TypeVar("F", bound=Callable[..., Any])


def reads(method: F) -> F:
    """A read of the archive: a page SQLite finds damaged is ``ArchiveDamagedError`` naming
    the file (one sentence), not an ``sqlite3.DatabaseError`` traceback."""
    @functools.wraps(method)
    def wrapper(self: "StoreBase", *args: Any, **kw: Any) -> Any:
        try:
            return method(self, *args, **kw)
        except sqlite3.DatabaseError as exc:
            if _code(exc) in (_CORRUPT, _NOTADB):
                raise damaged(self.path, exc) from exc
            raise
    return wrapper  # type: ignore[return-value]


def _close_keeping_wal(conn: sqlite3.Connection, path: Path) -> None:
    """Close without copying the WAL into the file: a session that has not checked the file
    must not checkpoint a WAL that may be another database's. A read-only connection that has
    read holds the file's shared lock, so the closing connection skips its checkpoint; being
    read-only, it never checkpoints either."""
    if not _has_wal(path):
        conn.close()
        return
    try:
        guard = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                isolation_level=None)
    except sqlite3.Error:
        conn.close()
        return
    try:
        try:
            guard.execute("PRAGMA schema_version").fetchone()
        except sqlite3.Error:
            pass
        conn.close()
    finally:
        guard.close()


class StoreBase:
    """SQLite plumbing shared by the archive's parts; see ``Archive`` for the public API."""

    def __init__(self, path: Path, db: Database, busy_timeout_s: float, clock: Clock,
                 actor: str) -> None:
        self.path = path
        self.db = db
        self._conn = db.conn
        self.busy_timeout_s = busy_timeout_s
        self._clock = clock
        self.actor = actor
        self._in_tx = False
        # finished drills whose kept indicator results this transaction must compute again
        # before it commits (``Archive._before_commit``)
        self._pending_kept: set[str] = set()
        # quick_check passed this session (then writing and checkpointing are safe)
        self._checked = bool(getattr(db, "_simtool_checked", False))
        self._wrote = False          # a write transaction committed this session
        self.journal = Journal(path.with_name(path.name + ".journal"))
        self.fallback_journal = Journal(fallback_path(path, user_data_dir()))
        self._memory: list[dict[str, Any]] = []   # entries no journal could take: NOT durable
        self._memory_reason = ""
        # after a failed write-back, entries go straight to the journal (or memory) until this
        # monotonic time: re-reading a growing journal before every entry on a full disk would
        # make a drill's writes quadratic
        self._retry_at: float | None = None
        self._retry_wait = RETRY_FIRST_S
        self._retry_exc: BaseException | None = None
        self._place: Path | str = "archive"       # where the last journalable write went
        self._settle_listeners: list[Callable[[], None]] = []
        self._owner: Owner | None = None
        self._recordings: dict[str, Any] = {}     # drill id -> its Recording (recording.py)
        # called with a StorageNotice when writes start going to a journal, to memory, or
        # back to the archive (never once per entry); str(notice) is the English sentence
        self.on_notice: Callable[[StorageNotice], None] | None = None

    # --- opening -------------------------------------------------------------------------------
    @classmethod
    def _open_db(cls, path: Path, busy_timeout_s: float, schema_version: int | None, *,
                 at: Callable[[], str] | None = None, actor: str | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> Database:
        existed, left_wal = path.exists(), _has_wal(path)
        if existed and path.is_file() and path.stat().st_size == 0 and not left_wal:
            raise ArchiveError(f"{path} is empty (zero bytes): not a simtool archive. The file "
                               f"was not changed.")
        try:
            conn = _connect(path, busy_timeout_s)
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot open the archive {path}: {exc}") from exc
        try:
            cls._check_file(conn, path, existed, busy_timeout_s)
            if left_wal:
                # a WAL found beside the file (another simtool's, a crash's — or another
                # database's, whose pages would be read as ours): check before trusting it
                quick_check(conn, path)
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            db = Database(conn, execute_plugins=False)
            # a file exactly as a checked session left it need not be checked again: on a
            # large archive quick_check takes tens of seconds, too long before a live drill
            from simtool.store import checkpoint
            db._simtool_checked = left_wal or checkpoint.unchanged_since_checked(  # type: ignore[attr-defined]
                _archive_id(conn), path)
            cls._migrate(db, path, busy_timeout_s, schema_version, at, actor, progress)
        except sqlite3.Error as exc:
            _close_keeping_wal(conn, path)
            if _code(exc) in (_CORRUPT, _NOTADB):
                raise damaged(path, exc) from exc
            raise cls._translate_for(path, busy_timeout_s, exc, "open") from exc
        except BaseException:
            _close_keeping_wal(conn, path)
            raise
        return db

    @staticmethod
    def _check_file(conn: sqlite3.Connection, path: Path, existed: bool = True,
                    busy_timeout_s: float = 5.0) -> None:
        """Refuse foreign, empty, incomplete and newer files using reads only (they must stay
        untouched)."""
        def read() -> tuple[int, int, set[str]]:
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                app_id = conn.execute("PRAGMA application_id").fetchone()[0]
                tables = {r[0] for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")}
            except sqlite3.DatabaseError as exc:
                if _code(exc) in (_CANTOPEN, _READONLY, _PERM, _BUSY, _LOCKED):
                    raise   # not the file's fault (a read-only folder, a lock): said by open
                if _code(exc) == _NOTADB or not _sqlite_header(path):
                    raise ArchiveError(f"{path} is not a simtool archive (not an SQLite "
                                       f"database). The file was not changed.") from exc
                raise damaged(path, exc) from exc
            return version, app_id, tables

        version, app_id, tables = read()
        if existed and not tables and not version and not app_id and _has_wal(path):
            # another simtool may be creating this archive right now: wait for its write lock
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            version, app_id, tables = read()
        if existed and not tables and not version:
            raise ArchiveError(f"{path} is empty (an SQLite file without tables): not a simtool "
                               f"archive. The file was not changed.")
        if app_id != schema.APPLICATION_ID and (tables or version):
            raise ArchiveError(f"{path} is not a simtool archive (an SQLite file of another program)")
        if version > schema.current_version():
            raise ArchiveVersionError(
                f"the archive {path} was made by a newer simtool (archive format {version}; this "
                f"simtool reads up to {schema.current_version()}); update simtool to open it. "
                f"The file was not changed.")
        missing = sorted(schema.TABLES.get(version, set()) - tables)
        if missing:
            raise ArchiveDamagedError(
                f"the archive {path} is damaged (table {', '.join(missing)} is missing); it was "
                f"not changed. Restore a backup or run simtool verify")

    @staticmethod
    def _migrate(db: Database, path: Path, busy_timeout_s: float,
                 schema_version: int | None, at: Callable[[], str] | None = None,
                 actor: str | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> None:
        target = schema.current_version() if schema_version is None else schema_version
        if db.execute("PRAGMA user_version").fetchone()[0] >= target:
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            # another simtool may have upgraded it while we waited for the lock
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version < target:
                if version > 0:  # an existing archive: never migrate a damaged file
                    quick_check(db.conn, path)
                db._simtool_checked = True  # type: ignore[attr-defined]
                schema.migrate(db, version, target, at=at() if at else None, actor=actor,
                               progress=progress)
            db.execute("COMMIT")
        except BaseException:
            if db.conn.in_transaction:
                db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        from simtool.store import checkpoint
        aid = None
        if self._wrote:
            checkpoint.note_close(self)  # best effort: never stops a close
            aid = checkpoint.archive_id(self)
        if self._checked:
            self.db.close()
            if aid is not None:
                # checked (or unchanged since a check), then written only through SQLite: the
                # next session need not check again while the file stays exactly as we leave it
                checkpoint.note_clean(aid, self.path)
        else:
            _close_keeping_wal(self._conn, self.path)

    # --- errors --------------------------------------------------------------------------------
    @staticmethod
    def _translate_for(path: Path, timeout: float, exc: BaseException, doing: str = "write") -> Exception:
        if isinstance(exc, OSError):
            return ArchiveWriteError(f"cannot {doing} the archive {path}: {exc.strerror or exc}")
        if not isinstance(exc, sqlite3.Error):
            return exc  # type: ignore[return-value]
        code = _code(exc)
        if code in (_BUSY, _LOCKED):
            return ArchiveLockedError(
                f"the archive {path} is busy (another simtool is writing); tried for {timeout:g} s")
        reasons = {_READONLY: f"it is read-only (check the permissions of the file and of its "
                              f"{path.name}-wal and {path.name}-shm files, and that the disk is "
                              f"writable)",
                   _FULL: "the disk is full", _IOERR: f"input/output error ({exc})",
                   _CANTOPEN: (f"its folder {path.parent} is read-only, and SQLite must make "
                               f"its {path.name}-wal and {path.name}-shm files there ({exc})"
                               if not os.access(path.parent, os.W_OK) else
                               f"the file cannot be opened ({exc})"),
                   _PERM: "permission denied"}
        if code in (_CORRUPT, _NOTADB):
            return damaged(path, exc)
        if code in reasons:
            return ArchiveWriteError(f"cannot {doing} the archive {path}: {reasons[code]}")
        if isinstance(exc, sqlite3.IntegrityError) and schema.SIGNED_SHEET in str(exc):
            return SignedRecordError(f"{path}: {exc}")
        return exc

    def _translate(self, exc: BaseException) -> Exception:
        return self._translate_for(self.path, self.busy_timeout_s, exc)

    # --- transactions --------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (``BEGIN IMMEDIATE``); nested calls join the outer one."""
        if self._in_tx:
            yield
            return
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._translate(exc) from exc
        self._in_tx = True
        try:
            if not self._checked:
                quick_check(conn, self.path)   # the first write of this session
                self._checked = True
            yield
            self._before_commit()
            conn.execute("COMMIT")
            self._wrote = True
        except BaseException as exc:
            self._pending_kept.clear()
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # the original error matters more
            translated = self._translate(exc)
            if translated is exc:
                raise
            raise translated from exc
        finally:
            self._in_tx = False

    def _now(self) -> str:
        return iso(self._clock())

    def now(self) -> str:
        """The archive's clock now (ISO 8601, UTC): what its own writes are stamped with."""
        return self._now()

    def _one(self, sql: str, *params: Any) -> dict[str, Any] | None:
        cur = self._conn.execute(sql, params)
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row))

    def _before_commit(self) -> None:
        """The last writes of a transaction, inside it (``Archive``: indicator results)."""

    def _set_status_in_tx(self, did: str, status: str, now: str, actor: str | None = None,
                          owner: Any = None) -> str:  # pragma: no cover - defined by Archive
        raise NotImplementedError

    # --- settings kept in the archive (meta) ---------------------------------------------------
    def _meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", key)
        return None if row is None else str(row["value"])

    def _set_meta_in_tx(self, key: str, value: str) -> None:
        """Add one setting (never replaced: a setting that counts is written once) with its
        audit row, inside the caller's write transaction."""
        from simtool.store.hashing import row_sha256
        self._conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
        seq, prev = self._reserve_audit()
        self._write_audit(seq, prev, "insert", "meta", key, row_sha256({"key": key, "value": value}),
                          self._now())

    # --- the audit chain -----------------------------------------------------------------------
    def _reserve_audit(self) -> tuple[int, str]:
        """The next audit seq and the hash it chains to (inside a write transaction)."""
        row = self._conn.execute("SELECT seq, sha256 FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        return (1, GENESIS) if row is None else (row[0] + 1, row[1])

    def _write_audit(self, seq: int, prev: str, op: str, table: str, record_id: str,
                     record_sha256: str, at: str, actor: str | None = None) -> None:
        who = actor or self.actor
        self._conn.execute(
            "INSERT INTO audit (seq, at, actor, op, table_name, record_id, record_sha256, "
            "prev_sha256, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, at, who, op, table, record_id, record_sha256, prev,
             audit_sha256(prev, op, table, record_id, record_sha256, at, who)))

    # --- journal fallback ----------------------------------------------------------------------
    def journals(self) -> tuple[Journal, Journal]:
        """Every journal that belongs to this archive: beside it, then the fallback in the
        per-user data folder (used when the archive's own file system cannot take one)."""
        return self.journal, self.fallback_journal

    def retry_now(self) -> None:
        """Let the next write try the archive at once (after a failed write, writes go straight
        to the journal for a while: see ``_durable``); for an instructor's "try again"."""
        self._retry_at = None

    def _journalled(self) -> bool:
        return any(j.exists() for j in self.journals())

    def _me(self) -> Owner:
        """This process as a drill owner (recomputed after a fork)."""
        if self._owner is None or self._owner.pid != os.getpid():
            self._owner = this_process()
        return self._owner

    def _apply_entry(self, entry: dict[str, Any]) -> str:  # pragma: no cover - Archive's
        raise NotImplementedError

    def _durable(self, entry: dict[str, Any]) -> Journalled | None:
        """Write ``entry`` now, or keep it in a journal (or, failing that, in memory) and say
        so; never lose it. None means it is committed in the archive."""
        if self._in_tx:
            self._apply_entry(entry)  # part of the caller's transaction: it decides
            return None
        if self._retry_at is not None and time.monotonic() < self._retry_at \
                and self._retry_exc is not None and not self._memory:
            # safe in a journal: no need to try the archive before the retry time. (What only
            # memory holds is not safe: then every write tries everything again.)
            return self._keep(entry, self._retry_exc)
        try:
            if self._memory or self._journalled():
                self.flush_journal()
            with self.transaction():
                self._apply_entry(entry)
        except (ArchiveLockedError, ArchiveWriteError, OSError) as exc:
            self._retry_exc = exc
            self._retry_at = time.monotonic() + self._retry_wait
            self._retry_wait = min(self._retry_wait * 2, RETRY_MAX_S)
            return self._keep(entry, exc)
        self._retry_at, self._retry_wait, self._retry_exc = None, RETRY_FIRST_S, None
        self._went_to("archive")
        return None

    def _to_journal(self, entries: list[dict[str, Any]]) -> tuple[Journal | None, list[tuple[Path, str]]]:
        """Append ``entries`` to the first journal that takes them; (journal, failures)."""
        failures: list[tuple[Path, str]] = []
        order = list(self.journals())
        if order[1].path == self._place:  # keep to the journal in use: one place, one notice
            order.reverse()
        for journal in order:
            if journal is self.fallback_journal:  # its lines say which archive they belong to
                entries = [{**e, "archive": str(self.path.resolve())} for e in entries]
            try:
                journal.append_many(entries)
                return journal, failures
            except OSError as exc:
                failures.append((journal.path, str(exc.strerror or exc)))
        return None, failures

    def _nor(self, failures: list[tuple[Path, str]]) -> str:
        """', nor the journal beside it X (why)' for the journals that failed."""
        if not failures:
            return ""
        whys = list(dict.fromkeys(why for _p, why in failures))
        if len(failures) == 1:
            path = failures[0][0]
            what = "the journal beside it" if path == self.journal.path else "the fallback journal"
            return f", nor {what} {path} ({whys[0]})"
        paths = " and ".join(str(p) for p, _why in failures)
        if len(whys) == 1:
            return f", nor the journals {paths} ({whys[0]})"
        return ", nor the journals " + " and ".join(f"{p} ({why})" for p, why in failures)

    def _keep(self, entry: dict[str, Any], exc: BaseException) -> Journalled:
        what = {"event": "event", "vitals": "vitals sample", "status": "status change"}[entry["op"]]
        reason = str(self._translate(exc))
        # what waits in memory goes first, so the journal keeps the order things happened in
        journal, failures = self._to_journal([*self._memory, entry])
        if journal is not None:
            moved = len(self._memory)
            self._memory.clear()
            self._went_to(journal.path, reason, failures, moved)
            if moved:
                self._settled()
            return Journalled(f"{reason}{self._nor(failures)}. The {what} is kept in "
                              f"{journal.path} and will be written to the archive when writing "
                              f"works again.", entry["op"], entry["drill_id"], journal.path)
        self._memory.append(entry)
        self._memory_reason = f"{reason}{self._nor(failures)}"
        self._went_to("memory", reason, failures)
        return self._held(entry)

    def _held(self, entry: dict[str, Any]) -> Journalled:
        what = {"event": "event", "vitals": "vitals sample", "status": "status change"}[entry["op"]]
        return Journalled(f"{self._memory_reason}. The journals cannot be written either: the "
                          f"{what} is held in memory only, not stored, until writing works "
                          f"again; keep simtool open.", entry["op"], entry["drill_id"], None)

    def _went_to(self, place: Path | str, reason: str = "",
                 failures: list[tuple[Path, str]] | None = None, moved: int = 0) -> None:
        """Tell ``on_notice`` once when journalable writes start going somewhere else."""
        if place == self._place:
            return
        was, self._place = self._place, place
        why = f"{reason}{self._nor(failures or [])}"
        if place == "archive":
            notice = StorageNotice("archive", archive=self.path)
        elif place == "memory":
            notice = StorageNotice("memory", archive=self.path, reason=why)
        else:
            kind = "journal" if place == self.journal.path else "fallback"
            notice = StorageNotice(kind, Path(place), self.path, why,
                                   moved if was == "memory" else 0)
        if self.on_notice is not None:
            self.on_notice(notice)

    def _settled(self) -> None:
        """Entries held in memory became durable: let the recordings show what waited."""
        for listener in list(self._settle_listeners):
            listener()

    def _is_held(self, entry: dict[str, Any]) -> bool:
        return any(e is entry for e in self._memory)

    def flush_journal(self) -> Any:  # pragma: no cover - defined by Archive
        raise NotImplementedError

    def settle(self, attempts: int = 3, wait_s: float = 0.5) -> int:
        """Try hard to get everything into the archive, or at least into a journal: flush the
        journals and memory; if the archive still cannot be written, move what memory holds
        into a journal; retry ``attempts`` times ``wait_s`` apart while memory still holds
        entries. Returns how many entries are still only in memory (lost if simtool exits)."""
        for attempt in range(attempts):
            if not (self._memory or self._journalled()):
                break
            try:
                self.flush_journal()
                self._retry_at, self._retry_wait, self._retry_exc = None, RETRY_FIRST_S, None
                self._went_to("archive")
            except (ArchiveLockedError, ArchiveWriteError, OSError) as exc:
                if self._memory:
                    journal, failures = self._to_journal(list(self._memory))
                    if journal is not None:
                        moved = len(self._memory)
                        self._memory.clear()
                        self._went_to(journal.path, str(self._translate(exc)), failures, moved)
                        self._settled()
            if not self._memory:
                break
            if attempt + 1 < attempts:
                time.sleep(wait_s)
        return len(self._memory)

    def held_in_memory(self) -> dict[str, int]:
        """Entries only in memory, by kind ("event", "vitals", "status"): not durable."""
        out: dict[str, int] = {}
        for e in self._memory:
            out[e["op"]] = out.get(e["op"], 0) + 1
        return out

    @property
    def memory_reason(self) -> str:
        """Why entries are held in memory: the archive's and the journals' errors."""
        return self._memory_reason

    def journalled_entries(self) -> list[tuple[Path, int]]:
        """Each journal of this archive that holds entries now, with how many."""
        out = []
        for journal in self.journals():
            n = journal.count() if journal.exists() else 0
            if n:
                out.append((journal.path, n))
        return out

    @property
    def pending_in_memory(self) -> int:
        """Entries neither the archive nor the journal could take (lost if simtool exits)."""
        return len(self._memory)
