"""Debrief notes (part of ``Archive``): the facilitator's PEARLS notes and the trainee's
reflection, kept with the drill (schema 6).

Append-only: every save is a new ``debrief_notes`` row with its audit row, in one
transaction; nothing is overwritten and the history stays. A phase's current note is its
latest row (the highest id). A text equal to the current note is not stored again. What a
note may hold (its length, no control characters) is checked by the application layer
(``simtool.app.debriefnotes``); the store only refuses an unknown phase or drill.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from simtool.store.connection import StoreBase, reads
from simtool.store.errors import ArchiveError, NotFoundError
from simtool.store.hashing import row_sha256

# the four PEARLS phases, then the trainee's own reflection (the schema's CHECK lists the same)
PHASES = ("reactions", "description", "analysis", "summary", "reflection")
NOTES_VERSION = 6   # the schema version that added debrief_notes


@dataclass(frozen=True, kw_only=True)
class DebriefNote:
    id: int
    drill_id: str
    phase: str
    text: str
    author: str
    at: str            # ISO 8601 UTC, when it was saved


def _note(row: dict) -> DebriefNote:
    return DebriefNote(id=int(row["id"]), drill_id=row["drill_id"], phase=row["phase"],
                       text=row["text"], author=row["author"], at=row["at"])


class DebriefNotesMixin(StoreBase):
    @contextmanager
    def _open_archive(self) -> Iterator[None]:
        """A closed archive (a view that outlived it) is one sentence, not a traceback."""
        try:
            yield
        except sqlite3.ProgrammingError as exc:
            raise ArchiveError(f"the archive {self.path} is closed; the debrief notes cannot be "
                               f"read or saved") from exc

    def _has_notes_table(self) -> bool:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0]) >= NOTES_VERSION

    def add_debrief_note(self, drill_id: str, phase: str, text: str,
                         author: str | None = None) -> DebriefNote | None:
        """Store ``text`` as the current note of ``phase`` of the drill (a new row and its audit
        row, one transaction); None, with nothing written, when it equals the current note
        (no note counts as an empty one). ``NotFoundError`` for a drill not in the archive,
        ``ArchiveError`` for an unknown phase or an archive older than schema 6."""
        if phase not in PHASES:
            raise ArchiveError(f"there is no debrief phase {phase!r} (one of {', '.join(PHASES)})")
        with self._open_archive():
            if not self._has_notes_table():
                raise ArchiveError(f"the archive {self.path} is in an older format without debrief "
                                   f"notes; open it with this simtool to upgrade it")
            now, who = self._now(), author or self.actor
            with self.transaction():
                if self._one("SELECT id FROM drills WHERE id = ?", drill_id) is None:
                    raise NotFoundError(f"no drill {drill_id} in the archive {self.path}")
                current = self._one("SELECT text FROM debrief_notes WHERE drill_id = ? AND phase = ? "
                                    "ORDER BY id DESC LIMIT 1", drill_id, phase)
                if (current["text"] if current is not None else "") == text:
                    return None
                seq, prev = self._reserve_audit()
                cur = self._conn.execute(
                    "INSERT INTO debrief_notes (drill_id, phase, text, author, at, audit_seq) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (drill_id, phase, text, who, now, seq))
                row = self._one("SELECT * FROM debrief_notes WHERE id = ?", cur.lastrowid)
                assert row is not None
                self._write_audit(seq, prev, "insert", "debrief_notes", str(row["id"]),
                                  row_sha256(row), now, who)
            return _note(row)

    @reads
    def debrief_notes(self, drill_id: str) -> dict[str, DebriefNote]:
        """The current note of each phase of the drill that has one (its latest row)."""
        return {n.phase: n for n in self.debrief_note_history(drill_id)}

    @reads
    def debrief_note_history(self, drill_id: str, phase: str | None = None) -> list[DebriefNote]:
        """Every note saved for the drill (or one phase of it), oldest first."""
        with self._open_archive():
            if not self._has_notes_table():
                return []
            where, params = "drill_id = ?", [drill_id]
            if phase is not None:
                where, params = where + " AND phase = ?", params + [phase]
            cur = self._conn.execute(f"SELECT * FROM debrief_notes WHERE {where} ORDER BY id",
                                     params)
            cols = [d[0] for d in cur.description]
            return [_note(dict(zip(cols, r))) for r in cur.fetchall()]
