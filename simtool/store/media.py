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

Whether a file is a playable video, and whether its offset lies within the drill, is decided
by ``simtool.app.media`` before anything is written; the store refuses only what would break
its own record."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
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


def sha256_of(stream: BinaryIO) -> tuple[str, int]:
    h, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        h.update(chunk)
        size += len(chunk)
    return h.hexdigest(), size


def _suffix(name: str) -> str:
    ext = Path(name).suffix.lower().lstrip(".")
    return ext if re.fullmatch(r"[a-z0-9]{1,8}", ext) else "video"


def keep_file(archive: "Archive", source: Path) -> tuple[str, str, int, bool]:
    """Copy ``source`` into the media folder under its content's name: (name, sha256, size,
    whether this call created the file). Never overwrites: the same bytes already kept are
    reused; other bytes under that name are refused (ArchiveError)."""
    folder = media_dir(archive)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise ArchiveError(f"cannot make the media folder {folder} beside the archive "
                           f"({exc.strerror or exc}); nothing was attached") from exc
    tmp = folder / f".incoming-{os.getpid()}-{os.urandom(4).hex()}"
    h, size = hashlib.sha256(), 0
    try:
        with open(source, "rb") as src, open(tmp, "xb") as dst:
            while chunk := src.read(CHUNK):
                h.update(chunk)
                size += len(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        sha = h.hexdigest()
        name = f"{sha}.{_suffix(source.name)}"
        final = folder / name
        try:
            os.link(tmp, final)   # fails if the name is taken: never over another file
            created = True
        except FileExistsError:
            with open(final, "rb") as f:
                there, _ = sha256_of(f)
            if there != sha:
                raise ArchiveError(f"the media folder already has a file {final} whose bytes "
                                   f"are not the ones its name says (changed behind simtool's "
                                   f"back; run simtool verify); nothing was attached") from None
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
    """Every recorded video whose file is missing or whose bytes changed, one sentence each."""
    out = []
    checked: dict[str, str | None] = {}
    for m in media_of(archive):
        what = f"video {m.id} of drill {m.drill_id} ({m.label or m.original_name})"
        if m.not_imported and not m.path.exists():
            continue   # never came here: not_imported says so, it is not tampering
        if m.file not in checked:
            try:
                with open(m.path, "rb") as f:
                    checked[m.file], _ = sha256_of(f)
            except FileNotFoundError:
                checked[m.file] = None
            except OSError as exc:
                checked[m.file] = f"unreadable: {exc.strerror or exc}"
        found = checked[m.file]
        if found is None:
            out.append(f"{what}: the file {m.path} is missing (moved or deleted); put it back")
        elif found.startswith("unreadable"):
            out.append(f"{what}: the file {m.path} cannot be read ({found[12:]})")
        elif found != m.sha256:
            out.append(f"{what}: the file {m.path} was changed (its SHA-256 is not the one "
                       f"recorded when it was attached)")
    return out
