"""OSCE exams in the archive (issue 22): the exam as created, each candidate's sitting at a
station (the drill that records it), every mark an examiner's device sent, and the exam's
start, close and release.

Four append-only tables, each row with its audit row (``add_exams`` in ``store.schema``):

* ``exams``: the exam's id, title and definition (stations, rubrics, examiners, timing,
  candidates as registry ids) as JSON, and the exam file's exact text;
* ``exam_sittings``: candidate × station of an exam → the drill recording the sitting (a
  skills-station sitting is a drill: ``app.station``), with its round;
* ``exam_marks``: one row per change an examiner's device sent, unique by sitting × examiner
  × device × the device's sequence number: a resend after a Wi-Fi drop finds its row and is
  acknowledged without being applied twice. The marks themselves are the sheet's draft
  (``app.marking``); this is the record of who changed what, when, from which device;
* ``exam_events``: ``start`` (the exam clock's zero), ``close`` and ``release`` (the results
  may be shown to candidates).

The functions here write inside the caller's transaction when there is one (``Archive
.transaction`` nests) and check nothing about marks: that is ``simtool.app.exam``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from simtool.store.errors import ArchiveError, NotFoundError
from simtool.store.hashing import row_sha256

if TYPE_CHECKING:
    from simtool.store.archive import Archive

TABLES = ("exams", "exam_sittings", "exam_marks", "exam_events")
EVENT_KINDS = ("start", "close", "release")
GUARDS = tuple(f"{t}_no_{op}" for t in TABLES for op in ("update", "delete"))
NAMES = {"exams": "exam", "exam_sittings": "exam sitting", "exam_marks": "exam mark",
         "exam_events": "exam event"}


def migration_statements(append_only: Any) -> list[str]:
    """The SQL of the schema migration that adds the exam tables (``store.schema.add_exams``)."""
    events = ", ".join(f"'{k}'" for k in EVENT_KINDS)
    return [
        "CREATE TABLE exams (id TEXT PRIMARY KEY, title TEXT NOT NULL, definition TEXT NOT NULL, "
        "text TEXT NOT NULL, at TEXT NOT NULL, by TEXT, "
        "audit_seq INTEGER)",
        "CREATE TABLE exam_sittings (id TEXT PRIMARY KEY, exam_id TEXT NOT NULL REFERENCES exams(id), "
        "station TEXT NOT NULL, candidate_id TEXT NOT NULL REFERENCES trainees(id), "
        "round INTEGER NOT NULL, drill_id TEXT NOT NULL UNIQUE REFERENCES drills(id), "
        "at TEXT NOT NULL, by TEXT, audit_seq INTEGER, UNIQUE (exam_id, station, candidate_id))",
        "CREATE TABLE exam_marks (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "sitting_id TEXT NOT NULL REFERENCES exam_sittings(id), examiner_id TEXT NOT NULL "
        "REFERENCES examiners(id), client TEXT NOT NULL, seq INTEGER NOT NULL, change TEXT NOT NULL, "
        "at TEXT NOT NULL, audit_seq INTEGER, UNIQUE (sitting_id, examiner_id, client, seq))",
        "CREATE TABLE exam_events (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "exam_id TEXT NOT NULL REFERENCES exams(id), "
        f"kind TEXT NOT NULL CHECK (kind IN ({events})), at TEXT NOT NULL, by TEXT, "
        "audit_seq INTEGER)",
        "CREATE INDEX exam_events_exam ON exam_events (exam_id, id)",
        *append_only("exams", "an exam is part of the record: create a new exam instead"),
        *append_only("exam_sittings", "an exam sitting is part of the record"),
        *append_only("exam_marks", "a mark sent from the device of an examiner is part of the record"),
        *append_only("exam_events", "the start, close or release of an exam is part of the record"),
    ]


def has_exams(archive: "Archive") -> bool:
    return archive._conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'exams'").fetchone() is not None


def _require(archive: "Archive") -> None:
    if not has_exams(archive):
        raise ArchiveError(f"the archive {archive.path} is in an older format without exams; "
                           f"open it with this simtool to upgrade it")


def _insert(archive: "Archive", table: str, row: dict[str, Any], by: str | None = None) -> str:
    seq, prev = archive._reserve_audit()
    cols = list(row)
    cur = archive._conn.execute(
        f"INSERT INTO {table} ({', '.join(cols)}, audit_seq) VALUES ({', '.join('?' * (len(cols) + 1))})",
        (*row.values(), seq))
    key = row.get("id") if "id" in row else cur.lastrowid
    stored = archive._one(f"SELECT * FROM {table} WHERE id = ?", key)
    assert stored is not None
    archive._write_audit(seq, prev, "insert", table, str(stored["id"]), row_sha256(stored),
                         str(row.get("at") or archive.now()), by)
    return str(stored["id"])


def create_exam(archive: "Archive", exam_id: str, title: dict[str, str], definition: dict[str, Any],
                text: str, by: str | None = None) -> None:
    """Store an exam (NotFound/ArchiveError: an exam with this id exists already)."""
    _require(archive)
    now, who = archive.now(), by or archive.actor
    with archive.transaction():
        if archive._one("SELECT id FROM exams WHERE id = ?", exam_id) is not None:
            raise ArchiveError(f"there is already an exam {exam_id} in the archive {archive.path}; "
                               f"an exam is never changed: give the new one another id")
        _insert(archive, "exams", {"id": exam_id, "title": json.dumps(title, ensure_ascii=False),
                                   "definition": json.dumps(definition, ensure_ascii=False,
                                                            sort_keys=True),
                                   "text": text, "at": now, "by": who}, who)


def exam(archive: "Archive", exam_id: str) -> dict[str, Any]:
    _require(archive)
    row = archive._one("SELECT * FROM exams WHERE id = ?", exam_id)
    if row is None:
        known = [r[0] for r in archive._conn.execute("SELECT id FROM exams ORDER BY id LIMIT 20")]
        raise NotFoundError(f"no exam {exam_id!r} in the archive {archive.path}"
                            + (f" (exams: {', '.join(known)})" if known else " (it has no exams)"))
    return {**row, "title": json.loads(row["title"]), "definition": json.loads(row["definition"])}


def exams(archive: "Archive") -> list[dict[str, Any]]:
    if not has_exams(archive):
        return []
    return [exam(archive, r[0]) for r in archive._conn.execute("SELECT id FROM exams ORDER BY at, id")]


def sitting_id(exam_id: str, station: str, candidate_id: str) -> str:
    return f"{exam_id}/{station}/{candidate_id}"


def add_sitting(archive: "Archive", exam_id: str, station: str, candidate_id: str, round_: int,
                drill_id: str, by: str | None = None) -> str:
    """Link the drill recording a candidate's sitting (inside the caller's transaction)."""
    _require(archive)
    return _insert(archive, "exam_sittings", {
        "id": sitting_id(exam_id, station, candidate_id), "exam_id": exam_id, "station": station,
        "candidate_id": candidate_id, "round": int(round_), "drill_id": drill_id,
        "at": archive.now(), "by": by or archive.actor}, by)


def sitting(archive: "Archive", exam_id: str, station: str, candidate_id: str) -> dict[str, Any] | None:
    return archive._one("SELECT * FROM exam_sittings WHERE id = ?",
                        sitting_id(exam_id, station, candidate_id))


def sittings(archive: "Archive", exam_id: str) -> list[dict[str, Any]]:
    cur = archive._conn.execute("SELECT * FROM exam_sittings WHERE exam_id = ? ORDER BY round, station",
                                (exam_id,))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def change_text(change: dict[str, Any]) -> str:
    """A change as ``exam_marks`` stores it: one text per change, so a resend compares equal
    to it exactly when it is the same change (JSON's true is not its 1)."""
    return json.dumps(change, ensure_ascii=False, sort_keys=True)


def mark_sent(archive: "Archive", sitting: str, examiner_id: str, client: str, seq: int) -> str | None:
    """The change (``change_text``) this device stored as its change ``seq`` of this sheet, or
    None."""
    row = archive._one("SELECT change FROM exam_marks WHERE sitting_id = ? AND examiner_id = ? "
                       "AND client = ? AND seq = ?", sitting, examiner_id, client, int(seq))
    return None if row is None else str(row["change"])


def add_mark(archive: "Archive", sitting: str, examiner_id: str, client: str, seq: int,
             change: dict[str, Any]) -> str:
    """Record one change sent from a device (inside the caller's transaction)."""
    return _insert(archive, "exam_marks", {
        "sitting_id": sitting, "examiner_id": examiner_id, "client": client, "seq": int(seq),
        "change": change_text(change), "at": archive.now()},
        f"examiner:{examiner_id}")


def marks_count(archive: "Archive", exam_id: str) -> int:
    return int(archive._conn.execute(
        "SELECT COUNT(*) FROM exam_marks m JOIN exam_sittings s ON s.id = m.sitting_id "
        "WHERE s.exam_id = ?", (exam_id,)).fetchone()[0])


def add_event(archive: "Archive", exam_id: str, kind: str, by: str | None = None,
              at: str | None = None) -> str:
    if kind not in EVENT_KINDS:
        raise ArchiveError(f"an exam event is one of {', '.join(EVENT_KINDS)}, not {kind!r}")
    with archive.transaction():
        return _insert(archive, "exam_events", {"exam_id": exam_id, "kind": kind,
                                                "at": at or archive.now(), "by": by or archive.actor}, by)


def events(archive: "Archive", exam_id: str) -> list[dict[str, Any]]:
    cur = archive._conn.execute("SELECT * FROM exam_events WHERE exam_id = ? ORDER BY id", (exam_id,))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def verify_rows(archive: "Archive", check: Any) -> None:
    """Every exam row against its audit row (``store.verify``)."""
    if not has_exams(archive):
        return
    labels = {"exams": lambda r: f"exam {r['id']}",
              "exam_sittings": lambda r: f"exam sitting {r['id']} (drill {r['drill_id']})",
              "exam_marks": lambda r: f"exam mark {r['id']} (of sitting {r['sitting_id']} by "
                                      f"examiner {r['examiner_id']})",
              "exam_events": lambda r: f"exam event {r['id']} ({r['kind']} of exam {r['exam_id']})"}
    for table in TABLES:
        cur = archive._conn.execute(f"SELECT * FROM {table}")
        cols = [d[0] for d in cur.description]
        for values in cur:
            r = dict(zip(cols, values))
            check(table, labels[table](r), str(r["id"]), row_sha256(r))
