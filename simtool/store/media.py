"""Video of a drill, kept beside the archive (issue 23).

The file is never inside SQLite: it is copied into the archive's media folder (the archive's
file name with ``.media`` added, in the same directory) under a name made of its SHA-256, so a
video is never copied over another one: the same bytes attached twice share one file, and a
file already there under that name with other bytes (changed behind simtool's back) is refused
rather than replaced. The copy is written to a temporary file in that folder, flushed to disk
and then linked to its name, so a crash leaves no half video under a real name.

Each attachment is a ``media`` row (schema ``MEDIA_VERSION``): the drill, the kept file's
name, SHA-256 and size, the name it was attached from, its offset on the drill clock (the
drill time of the video's first frame: drill time = video time + ``offset_s``), its duration,
codec and size, and a label; append-only, with its audit row in the same transaction.
``check_files`` is what ``simtool verify`` adds: every kept file still there with the bytes
that were recorded.

A video's row may come from a bundle made without ``--with-media`` (or anonymised): its audit
row's op is then ``NOT_IMPORTED_OP`` and its file is "not in this archive". ``check_files``
does not call its absence tampering (``not_imported`` lists it, for verify to say so); if the
file arrives later with a bundle that carries it, it is checked like any other.

Nothing in the media folder, or given as a video, can make simtool wait or read for ever:
every file is opened without blocking and checked to be a regular file before a byte is read
(a pipe, a device or a folder in its place is named as such), and a kept file of another size
is "changed" without being read through. The bytes kept are the ones probed: ``keep_file``
refuses a video replaced, rewritten or grown since the stat taken before its probe, or during
the copy, so the SHA-256 recorded is of bytes that were checked to be a video.

Whether a file is a playable video, and whether its offset lies within the drill, is decided
by ``simtool.app.media`` before anything is written; the store refuses only what would break
its own record."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from simtool.store import schema
from simtool.store.errors import ArchiveError, NotFoundError
from simtool.store.hashing import row_sha256

if TYPE_CHECKING:
    from simtool.store.archive import Archive

MEDIA_VERSION = schema.MIGRATIONS.index(schema.add_media) + 1
CHUNK = 1 << 20
NOT_IMPORTED_OP = "import-without-file"   # the audit op of a video row whose file was left out
FILE_NAME = re.compile(r"[0-9a-f]{64}\.[a-z0-9]{1,8}")   # what keep_file names a kept file


@dataclass(frozen=True, kw_only=True)
class MediaFile:
    id: int
    drill_id: str
    file: str              # the kept file's name in the media folder (<sha256>.<ext>)
    path: Path             # where it is
    sha256: str
    size: int
    original_name: str     # the file name it was attached from
    offset_s: float        # drill time of the video's first frame
    duration_s: float
    label: str | None
    codec: str | None
    width: int | None
    height: int | None
    at: str
    by: str | None
    not_imported: bool = False   # its row came in a bundle without the file

    @property
    def present(self) -> bool:
        """Whether the file is in this archive's media folder."""
        return self.path.is_file()

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "drill": self.drill_id, "file": str(self.path),
                "file_in_archive": self.present, "not_imported": self.not_imported,
                "original_name": self.original_name, "offset_s": self.offset_s,
                "duration_s": self.duration_s, "label": self.label, "sha256": self.sha256,
                "size": self.size, "codec": self.codec, "width": self.width, "height": self.height,
                "attached_at": self.at, "attached_by": self.by}


def media_dir(archive: "Archive") -> Path:
    """The folder beside the archive that holds its videos."""
    path = Path(archive.path)
    return path.with_name(path.name + ".media")


def has_media(archive: "Archive") -> bool:
    return archive.schema_version >= MEDIA_VERSION


def sha256_of(stream: BinaryIO, limit: int | None = None) -> tuple[str, int]:
    """(SHA-256, size) of what ``stream`` holds to its end, or of its first ``limit`` + 1 bytes
    (so a file that grows for ever is never read for ever: its size then says it is longer)."""
    h, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK if limit is None else min(CHUNK, limit + 1 - size)):
        h.update(chunk)
        size += len(chunk)
    return h.hexdigest(), size


class NotAFile(OSError):
    """Something other than a regular file (a pipe, a device, a folder) where one should be."""


def describe(path: Path) -> str:
    """What is at ``path``, for a sentence: 'a pipe', 'a folder', 'a link to nothing', ..."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return "nothing"
    if stat.S_ISLNK(mode):
        try:
            return "a link to " + describe(path.resolve(strict=True)).removeprefix("a link to ")
        except (OSError, RuntimeError):
            return "a link to nothing"
    return ("a file" if stat.S_ISREG(mode) else "a folder" if stat.S_ISDIR(mode) else
            "a pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device")


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading only if what was opened is a regular file (a link is
    followed): a pipe is opened without waiting for a writer, then refused like a device or a
    folder (NotAFile) before a byte is read, so nothing ever waits on a pipe or reads an
    endless device."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotAFile(errno.EINVAL, f"not a regular file ({describe(path)})", str(path))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def file_sha256(path: Path, size: int) -> str | None:
    """The SHA-256 of the file at ``path``, or None when it is not ``size`` bytes long (so not
    the bytes recorded: told from its size, a sparse terabyte is never read through). OSError
    when there is no regular file there (NotAFile for a pipe, device or folder)."""
    with open_regular(path) as f:
        if os.fstat(f.fileno()).st_size != size:
            return None
        sha, read = sha256_of(f, size)
    return sha if read == size else None


def squatter(final: Path, sha: str, size: int) -> str | None:
    """None when ``final`` holds exactly the bytes ``sha``; otherwise what is there instead
    ('a file whose bytes are not the ones its name says', 'a pipe', 'a folder', ...)."""
    try:
        there = file_sha256(final, size)
    except OSError:
        what = describe(final)
        return "a file that cannot be read" if what == "a file" else what
    return None if there == sha else "a file whose bytes are not the ones its name says"


def ready_folder(archive: "Archive", then: str) -> Path:
    """The media folder, made if need be; ArchiveError (ending with ``then``) when something
    other than a folder is in its place or it cannot be made."""
    folder = media_dir(archive)
    if os.path.lexists(folder) and not folder.is_dir():
        raise ArchiveError(f"{folder}, where the archive keeps its videos, is not a folder "
                           f"({describe(folder)} is in its place); move it away; {then}")
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise ArchiveError(f"cannot make the media folder {folder} beside the archive "
                           f"({exc.strerror or exc}); {then}") from exc
    return folder


def _suffix(name: str) -> str:
    ext = Path(name).suffix.lower().lstrip(".")
    return ext if re.fullmatch(r"[a-z0-9]{1,8}", ext) else "video"


def _identity(st: os.stat_result) -> tuple[int, ...]:
    """What changes when a file is replaced, rewritten or grows (ctime cannot be set back)."""
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def keep_file(archive: "Archive", source: Path,
              same_as: os.stat_result | None = None) -> tuple[str, str, int, bool]:
    """Copy ``source`` into the media folder under its content's name: (name, sha256, size,
    whether this call created the file). Never overwrites: the same bytes already kept are
    reused; other bytes (or a pipe, a folder...) under that name are refused (ArchiveError).

    ``same_as``: the stat of ``source`` taken before it was checked to be a video; a file
    replaced, rewritten or grown since (or during the copy) is refused, so the bytes kept
    (whose SHA-256 is returned) are the bytes that were checked."""
    folder = ready_folder(archive, "nothing was attached")
    changed = ArchiveError(f"{source} changed while it was being attached (replaced, rewritten "
                           f"or still being written since it was checked to be a video); "
                           f"nothing was attached; attach it again once it is complete")
    tmp = folder / f".incoming-{os.getpid()}-{os.urandom(4).hex()}"
    h, size = hashlib.sha256(), 0
    try:
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as src:
            before = os.fstat(src.fileno())
            if same_as is not None and _identity(before) != _identity(same_as):
                raise changed
            if not stat.S_ISREG(before.st_mode):
                raise ArchiveError(f"{source} is not a regular file ({describe(source)}); "
                                   f"nothing was attached")
            with open(tmp, "xb") as dst:
                while chunk := src.read(min(CHUNK, before.st_size + 1 - size)):
                    h.update(chunk)
                    size += len(chunk)
                    dst.write(chunk)
                dst.flush()
                os.fsync(dst.fileno())
            if size != before.st_size or _identity(os.fstat(src.fileno())) != _identity(before):
                raise changed
        sha = h.hexdigest()
        name = f"{sha}.{_suffix(source.name)}"
        final = folder / name
        try:
            os.link(tmp, final)   # fails if the name is taken: never over another file
            created = True
        except FileExistsError:
            there = squatter(final, sha, size)
            if there == "a file whose bytes are not the ones its name says":
                raise ArchiveError(f"the media folder already has a file {final} whose bytes "
                                   f"are not the ones its name says (changed behind simtool's "
                                   f"back; run simtool verify); nothing was attached") from None
            if there is not None:
                raise ArchiveError(f"the media folder has {there} at {final}, not a video simtool "
                                   f"kept; it was not replaced; nothing was attached") from None
            created = False
        return name, sha, size, created
    except OSError as exc:
        raise ArchiveError(f"cannot copy {source} into the media folder {folder} "
                           f"({exc.strerror or exc}); nothing was attached") from exc
    finally:
        tmp.unlink(missing_ok=True)


def _media(folder: Path, row: dict[str, Any], not_imported: bool = False) -> MediaFile:
    return MediaFile(not_imported=not_imported, id=int(row["id"]), drill_id=row["drill_id"], file=row["file"],
                     path=folder / row["file"], sha256=row["sha256"], size=int(row["size"]),
                     original_name=row["original_name"], offset_s=float(row["offset_s"]),
                     duration_s=float(row["duration_s"]), label=row["label"], codec=row["codec"],
                     width=row["width"], height=row["height"], at=row["at"], by=row["by"])


def add_media(archive: "Archive", drill_id: str, *, file: str, sha256: str, size: int,
              original_name: str, offset_s: float, duration_s: float, label: str | None = None,
              codec: str | None = None, width: int | None = None, height: int | None = None,
              by: str | None = None) -> MediaFile:
    """Record a kept file as a video of the drill: its row and audit row, one transaction."""
    if not has_media(archive):
        raise ArchiveError(f"the archive {archive.path} is in an older format without videos; "
                           f"open it with this simtool to upgrade it")
    now, who = archive._now(), by or archive.actor
    with archive.transaction():
        if archive._one("SELECT id FROM drills WHERE id = ?", drill_id) is None:
            raise NotFoundError(f"no drill {drill_id} in the archive {archive.path}")
        check_present(archive, file, size, "attached", "nothing was attached; attach it again")
        seq, prev = archive._reserve_audit()
        cur = archive._conn.execute(
            "INSERT INTO media (drill_id, file, sha256, size, original_name, offset_s, duration_s, "
            "label, codec, width, height, at, by, audit_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?)", (drill_id, file, sha256, size, original_name, float(offset_s),
                            float(duration_s), label, codec, width, height, now, who, seq))
        row = archive._one("SELECT * FROM media WHERE id = ?", cur.lastrowid)
        assert row is not None
        archive._write_audit(seq, prev, "insert", "media", str(row["id"]), row_sha256(row), now, who)
    return _media(media_dir(archive), row)


def check_present(archive: "Archive", file: str, size: int, doing: str, then: str) -> None:
    """ArchiveError unless the kept file is there (a regular file of ``size`` bytes): called in
    the transaction that records its row. A file another simtool made and then gave up (its own
    row failed: ``discard_unreferenced``) may vanish after this simtool found it and reused it;
    its row is then refused, never recorded over a file that is not there."""
    path = media_dir(archive) / file
    try:
        st = os.stat(path)
    except OSError:
        st = None
    if st is None or not stat.S_ISREG(st.st_mode) or st.st_size != size:
        raise ArchiveError(f"the kept video {path} was removed while it was being {doing} "
                           f"(another simtool gave it up at the same moment); {then}")


def discard_unreferenced(archive: "Archive", paths: list[Path]) -> None:
    """Remove the kept files in ``paths`` (made by the caller) that no row refers to. In a
    write transaction, so no other simtool records a row for one of them between the check and
    the removal (``check_present`` runs in that row's transaction); when the archive cannot be
    written now, checked and removed without one."""
    if not paths:
        return
    try:
        with archive.transaction():
            _discard(archive, paths)
        return
    except (ArchiveError, sqlite3.Error):
        pass
    try:
        _discard(archive, paths)
    except (ArchiveError, sqlite3.Error):
        pass   # the archive cannot be read: leave them (a file without a row harms nothing)


def _discard(archive: "Archive", paths: list[Path]) -> None:
    for p in paths:
        if not is_referenced(archive, p.name):
            try:
                p.unlink(missing_ok=True)
            except OSError:
                pass


def media_of(archive: "Archive", drill_id: str | None = None) -> list[MediaFile]:
    """The videos attached to a drill (or to every drill), in the order attached."""
    if not has_media(archive):
        return []
    where, params = ("WHERE drill_id = ?", (drill_id,)) if drill_id is not None else ("", ())
    try:
        cur = archive._conn.execute(f"SELECT * FROM media {where} ORDER BY id", params)
    except sqlite3.ProgrammingError as exc:
        raise ArchiveError(f"the archive {archive.path} is closed; its videos cannot be read") from exc
    cols = [d[0] for d in cur.description]
    folder = media_dir(archive)
    rows = [dict(zip(cols, r)) for r in cur.fetchall()]
    left_out = not_imported_ids(archive) if rows else set()
    return [_media(folder, r, int(r["id"]) in left_out) for r in rows]


def not_imported_ids(archive: "Archive") -> set[int]:
    """The ids of video rows that came in a bundle without their file."""
    return {int(r[0]) for r in archive._conn.execute(
        "SELECT record_id FROM audit WHERE table_name = 'media' AND op = ?", (NOT_IMPORTED_OP,))}


def add_imported(archive: "Archive", row: dict[str, Any], now: str, with_file: bool) -> int:
    """Insert a video row from a bundle (inside the import's transaction) with its audit row;
    the op says whether its file came with it."""
    cols = ("drill_id", "file", "sha256", "size", "original_name", "offset_s", "duration_s",
            "label", "codec", "width", "height", "at", "by")
    seq, prev = archive._reserve_audit()
    cur = archive._conn.execute(
        f"INSERT INTO media ({', '.join(cols)}, audit_seq) VALUES ({', '.join('?' * (len(cols) + 1))})",
        (*(row.get(c) for c in cols), seq))
    stored = archive._one("SELECT * FROM media WHERE id = ?", cur.lastrowid)
    assert stored is not None
    archive._write_audit(seq, prev, "import" if with_file else NOT_IMPORTED_OP, "media",
                         str(stored["id"]), row_sha256(stored), now)
    return int(stored["id"])


def not_imported(archive: "Archive") -> list[str]:
    """Every video whose row came in a bundle without its file and whose file is still not
    here, one sentence each: not tampering, said by ``simtool verify`` as a note."""
    return [f"video {m.id} of drill {m.drill_id} ({m.label or m.original_name}): its file was "
            f"not imported (the bundle it came in was made without --with-media); it is not in "
            f"this archive" for m in media_of(archive) if m.not_imported and not m.present]


def is_referenced(archive: "Archive", name: str) -> bool:
    return archive._one("SELECT id FROM media WHERE file = ?", name) is not None


def check_files(archive: "Archive") -> list[str]:
    """Every recorded video whose file is missing or whose bytes changed, one sentence each.
    Nothing in the media folder can make this wait or read for ever: a pipe, a device or a
    folder in a video's place is named, and a file of another size is changed unread."""
    out = []
    checked: dict[tuple[str, str, int], str | None] = {}
    for m in media_of(archive):
        what = f"video {m.id} of drill {m.drill_id} ({m.label or m.original_name})"
        if m.not_imported and not m.path.exists():
            continue   # never came here: not_imported says so, it is not tampering
        key = (m.file, m.sha256, m.size)
        if key not in checked:
            checked[key] = _file_problem(m.path, m.sha256, m.size)
        if checked[key] is not None:
            out.append(f"{what}: the file {m.path} {checked[key]}")
    return out


def _file_problem(path: Path, sha: str, size: int) -> str | None:
    try:
        there = file_sha256(path, size)
    except FileNotFoundError:
        return "is missing (moved or deleted); put it back"
    except NotAFile:
        return f"is not a regular file ({describe(path)} is in its place); put the video back"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if there != sha:
        return "was changed (its SHA-256 is not the one recorded when it was attached)"
    return None
