"""The examiners of a drill (part of ``Archive``): who examined it, linked to the drill (schema 7).

Append-only: each link is a ``drill_examiners`` row with its audit row, in one transaction;
linking an examiner the drill already has writes nothing. A drill's examiners are its links
in the order they were made. ``find_examiner`` looks a person up by staff id (or by name), so
setup can reuse the record of an examiner the archive already knows.
"""

from __future__ import annotations

from simtool.store.connection import StoreBase, reads
from simtool.store.errors import ArchiveError, NotFoundError
from simtool.store.hashing import row_sha256
from simtool.store.records import Examiner, examiner_of_row

LINKS_VERSION = 7   # the schema version that added drill_examiners


class DrillExaminersMixin(StoreBase):
    def _has_links_table(self) -> bool:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0]) >= LINKS_VERSION

    def link_examiner(self, drill_id: str, examiner_id: str) -> None:
        """Record ``examiner_id`` as an examiner of the drill (a row and its audit row, one
        transaction); nothing is written when the drill already has this examiner.
        ``NotFoundError`` for a drill or examiner not in the archive, ``ArchiveError`` for an
        archive older than schema 7."""
        if not self._has_links_table():
            raise ArchiveError(f"the archive {self.path} is in an older format without the "
                               f"examiners of a drill; open it with this simtool to upgrade it")
        now = self._now()
        with self.transaction():
            if self._one("SELECT id FROM drills WHERE id = ?", drill_id) is None:
                raise NotFoundError(f"no drill {drill_id} in the archive {self.path}")
            if self._one("SELECT id FROM examiners WHERE id = ?", examiner_id) is None:
                raise NotFoundError(f"no examiner {examiner_id} in the archive {self.path}")
            if self._one("SELECT id FROM drill_examiners WHERE drill_id = ? AND examiner_id = ?",
                         drill_id, examiner_id) is not None:
                return
            seq, prev = self._reserve_audit()
            cur = self._conn.execute(
                "INSERT INTO drill_examiners (drill_id, examiner_id, at, audit_seq) "
                "VALUES (?, ?, ?, ?)", (drill_id, examiner_id, now, seq))
            row = self._one("SELECT * FROM drill_examiners WHERE id = ?", cur.lastrowid)
            assert row is not None
            self._write_audit(seq, prev, "insert", "drill_examiners", str(row["id"]),
                              row_sha256(row), now)

    @reads
    def drill_examiners(self, drill_id: str) -> list[Examiner]:
        """The drill's examiners, in the order they were linked ([] for a drill without any,
        or an archive older than schema 7)."""
        if not self._has_links_table():
            return []
        return [examiner_of_row(r) for r in self.db.query(
            "SELECT e.* FROM drill_examiners d JOIN examiners e ON e.id = d.examiner_id "
            "WHERE d.drill_id = ? ORDER BY d.id", [drill_id])]

    @reads
    def find_examiner(self, staff_id: str | None = None, name: str | None = None,
                      site: str | None = None) -> Examiner | None:
        """The examiner with exactly this staff id (at ``site``, or kept without a site: a
        staff id names one person within a site); when ``staff_id`` is None, the examiner
        with exactly this name. The first recorded when several match; None when none does
        (or neither is given)."""
        if staff_id is not None and site and self.schema_version >= 9:
            row = self._one("SELECT * FROM examiners WHERE staff_id = ? AND (site = ? OR site IS NULL) "
                            "ORDER BY site IS NULL, rowid LIMIT 1", staff_id, site)
        elif staff_id is not None:
            row = self._one("SELECT * FROM examiners WHERE staff_id = ? ORDER BY rowid LIMIT 1",
                            staff_id)
        elif name is not None:
            row = self._one("SELECT * FROM examiners WHERE name = ? ORDER BY rowid LIMIT 1", name)
        else:
            return None
        return None if row is None else examiner_of_row(row)
