"""Score sheets, sign-off and amendments (part of ``Archive``).

A score sheet belongs to a drill and a trainee (or the team, ``trainee_id=None``), and stores
the rubric's id, version and exact text (by hash) with the caller's ``data`` (any JSON) and
item rows. While unsigned it may be edited (``update_sheet``). ``sign_sheet`` sets who and when
and ``record_sha256`` — the SHA-256 of the canonical JSON of the sheet and its items — and from
then on SQLite triggers refuse any UPDATE or DELETE of the sheet or its items. A correction is
``amend_sheet``: a new version that ``supersedes`` the old one (kept unchanged), an amendments
row with who, when and why, signed at once by the amending examiner. When a drill has ended
and every current sheet of it is signed, the drill's status becomes ``signed``.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Iterable
from typing import Any

from simtool.store.connection import StoreBase, reads
from simtool.store.errors import ArchiveError, NotFoundError, SignedRecordError
from simtool.store.hashing import (canonical_json, person_record_sha256, row_sha256,
                                   sha256_hex, sheet_record_sha256)
from simtool.store.records import PERSON_DETAILS, Amendment, Examiner, Sheet, SheetItem, examiner_of_row


class SheetsMixin(StoreBase):
    # --- examiners -----------------------------------------------------------------------------
    def add_examiner(self, examiner: Examiner) -> str:
        """Store an examiner (or return the id of the one already stored with that id)."""
        eid = examiner.id or str(uuid.uuid4())
        with self.transaction():
            self._insert_person("examiners", {
                "id": eid, "name": examiner.name, "staff_id": examiner.staff_id,
                **{k: getattr(examiner, k) for k in PERSON_DETAILS
                   if getattr(examiner, k) is not None}}, self._now())
        return eid

    def update_examiner(self, examiner_id: str, *, name: str | None = None,
                        staff_id: str | None = None, department: str | None = None,
                        profession: str | None = None, grade: str | None = None,
                        site: str | None = None) -> None:
        """Correct or complete an examiner's record: an audited update, never a silent one."""
        with self.transaction():
            self._update_person("examiners", examiner_id,
                                {k: v for k, v in (("name", name), ("staff_id", staff_id),
                                                   ("department", department),
                                                   ("profession", profession), ("grade", grade),
                                                   ("site", site)) if v is not None}, self._now())

    # --- people: every write with its audit row (schema 4) -------------------------------------
    def _insert_person(self, table: str, row: dict[str, Any], now: str, op: str = "insert",
                       actor: str | None = None) -> bool:
        """Insert a trainee or examiner with its audit row, inside the caller's transaction;
        False (nothing written) when one with that id is already stored. Bundle import uses
        it too: an unaudited person is what ``verify`` reports."""
        if table not in ("trainees", "examiners"):
            raise ValueError(f"not a table of people: {table}")
        if self._one(f"SELECT id FROM {table} WHERE id = ?", row["id"]) is not None:
            return False
        cols = [c for c in self._person_columns(table) if c != "audit_seq"]
        values = {c: row.get(c) for c in cols}
        if not self._audits_everything:  # an old-format fixture being built
            self._conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES "
                               f"({', '.join('?' * len(cols))})", tuple(values.values()))
            return True
        seq, prev = self._reserve_audit()
        self._write_audit(seq, prev, op, table, str(row["id"]), person_record_sha256(values),
                          now, actor)
        self._conn.execute(f"INSERT INTO {table} ({', '.join(cols)}, audit_seq) "
                           f"VALUES ({', '.join('?' * (len(cols) + 1))})",
                           (*values.values(), seq))
        return True

    def _update_person(self, table: str, person_id: str, changes: dict[str, Any], now: str,
                       actor: str | None = None) -> None:
        """Change a trainee's or examiner's fields; the audit row with the new hash is
        written first (the guard trigger refuses an UPDATE without it)."""
        old = self._one(f"SELECT * FROM {table} WHERE id = ?", person_id)
        if old is None:
            raise NotFoundError(f"no {table[:-1]} {person_id} in the archive {self.path}")
        unknown = set(changes) - (set(old) - {"id", "audit_seq"})
        if unknown:
            raise ArchiveError(f"{table[:-1]} fields this simtool does not know: "
                               f"{', '.join(sorted(unknown))}")
        if not changes or all(old[k] == v for k, v in changes.items()):
            return
        new = {**old, **changes}
        seq, prev = self._reserve_audit()
        self._write_audit(seq, prev, "update", table, person_id, person_record_sha256(new), now,
                          actor)
        sets = ", ".join(f"{k} = ?" for k in changes)
        self._conn.execute(f"UPDATE {table} SET {sets}, audit_seq = ? WHERE id = ?",
                           (*changes.values(), seq, person_id))

    def _person_columns(self, table: str) -> list[str]:
        return [r[1] for r in self._conn.execute(f"PRAGMA table_info({table})")]

    @functools.cached_property
    def _audits_everything(self) -> bool:
        """Schema 4 on: people, vitals, settings and kept results are audited."""
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0]) >= 4

    @reads
    def examiner(self, examiner_id: str) -> Examiner:
        row = self._one("SELECT * FROM examiners WHERE id = ?", examiner_id)
        if row is None:
            raise NotFoundError(f"no examiner {examiner_id} in the archive {self.path}")
        return examiner_of_row(row)

    # --- writing sheets ------------------------------------------------------------------------
    def create_sheet(self, drill_id: str, *, rubric_id: str, rubric_version: str,
                     rubric_text: str, data: Any, items: Iterable[SheetItem] = (),
                     trainee_id: str | None = None, created_by: str | None = None,
                     sheet_id: str | None = None) -> str:
        """A new unsigned score sheet (version 1); returns its id."""
        sid = sheet_id or str(uuid.uuid4())
        now = self._now()
        with self.transaction():
            if self._one("SELECT id FROM drills WHERE id = ?", drill_id) is None:
                raise NotFoundError(f"no drill {drill_id} in the archive {self.path}")
            if trainee_id is not None and self._one("SELECT id FROM trainees WHERE id = ?", trainee_id) is None:
                raise NotFoundError(f"no trainee {trainee_id} in the archive {self.path}")
            rubric_sha = self._store_text("rubric", rubric_text)
            seq, prev = self._reserve_audit()
            self._conn.execute(
                "INSERT INTO score_sheets (id, drill_id, trainee_id, rubric_id, rubric_version, "
                "rubric_sha256, version, supersedes, data, created_at, created_by, audit_seq) "
                "VALUES (?, ?, ?, ?, ?, ?, 1, NULL, ?, ?, ?, ?)",
                (sid, drill_id, trainee_id, rubric_id, str(rubric_version), rubric_sha,
                 canonical_json(data), now, created_by, seq))
            self._insert_items(sid, items)
            self._write_audit(seq, prev, "insert", "score_sheets", sid, self._sheet_sha(sid), now)
        return sid

    def update_sheet(self, sheet_id: str, *, data: Any = None,
                     items: Iterable[SheetItem] | None = None) -> None:
        """Change an unsigned sheet's data and/or replace its items."""
        now = self._now()
        with self.transaction():
            self._unsigned(sheet_id, "edited")
            seq, prev = self._reserve_audit()
            if data is not None:
                self._conn.execute("UPDATE score_sheets SET data = ? WHERE id = ?",
                                   (canonical_json(data), sheet_id))
            if items is not None:
                self._conn.execute("DELETE FROM sheet_items WHERE sheet_id = ?", (sheet_id,))
                self._insert_items(sheet_id, items)
            self._conn.execute("UPDATE score_sheets SET audit_seq = ? WHERE id = ?", (seq, sheet_id))
            self._write_audit(seq, prev, "update", "score_sheets", sheet_id,
                              self._sheet_sha(sheet_id), now)

    def sign_sheet(self, sheet_id: str, by: str) -> str:
        """Sign the sheet as examiner ``by``; returns its record hash. It is read-only after."""
        with self.transaction():
            digest = self._sign_in_tx(sheet_id, by, self._now())
        return digest

    def amend_sheet(self, sheet_id: str, new_data: Any, by: str, why: str,
                    items: Iterable[SheetItem] | None = None) -> str:
        """Correct a signed sheet: a new signed version superseding it (items copied unless
        given) and an amendment row with who, when and why; returns the new sheet's id."""
        if not why or not why.strip():
            raise ArchiveError("an amendment needs a reason")
        now = self._now()
        new_id = str(uuid.uuid4())
        with self.transaction():
            old = self._one("SELECT * FROM score_sheets WHERE id = ?", sheet_id)
            if old is None:
                raise NotFoundError(f"no score sheet {sheet_id} in the archive {self.path}")
            if old["signed_at"] is None:
                raise ArchiveError(f"score sheet {sheet_id} is not signed; edit it instead of amending")
            later = self._one("SELECT new_sheet_id FROM amendments WHERE sheet_id = ?", sheet_id)
            if later is not None:
                raise ArchiveError(f"score sheet {sheet_id} was already amended by "
                                   f"{later['new_sheet_id']}; amend the latest version")
            self._examiner_exists(by)
            if items is None:
                items = self._items(sheet_id)
            seq, prev = self._reserve_audit()
            self._conn.execute(
                "INSERT INTO score_sheets (id, drill_id, trainee_id, rubric_id, rubric_version, "
                "rubric_sha256, version, supersedes, data, created_at, created_by, audit_seq) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (new_id, old["drill_id"], old["trainee_id"], old["rubric_id"], old["rubric_version"],
                 old["rubric_sha256"], old["version"] + 1, sheet_id, canonical_json(new_data), now,
                 by, seq))
            self._insert_items(new_id, items)
            self._write_audit(seq, prev, "amend", "score_sheets", new_id, self._sheet_sha(new_id),
                              now, by)
            seq, prev = self._reserve_audit()
            self._conn.execute("INSERT INTO amendments (sheet_id, new_sheet_id, by, at, why, audit_seq) "
                               "VALUES (?, ?, ?, ?, ?, ?)", (sheet_id, new_id, by, now, why, seq))
            row = self._one("SELECT * FROM amendments WHERE new_sheet_id = ?", new_id)
            self._write_audit(seq, prev, "insert", "amendments", str(row["id"]), row_sha256(row),
                              now, by)
            self._sign_in_tx(new_id, by, now)
        return new_id

    def _sign_in_tx(self, sheet_id: str, by: str, now: str) -> str:
        row = self._unsigned(sheet_id, "signed again")
        self._examiner_exists(by)
        seq, prev = self._reserve_audit()
        digest = sheet_record_sha256({**row, "signed_at": now, "signed_by": by},
                                     self._item_rows(sheet_id))
        # one UPDATE: the last this sheet ever gets, as the trigger refuses any after it
        self._conn.execute("UPDATE score_sheets SET signed_at = ?, signed_by = ?, audit_seq = ?, "
                           "record_sha256 = ? WHERE id = ?", (now, by, seq, digest, sheet_id))
        self._write_audit(seq, prev, "sign", "score_sheets", sheet_id, digest, now, by)
        seq, prev = self._reserve_audit()
        self._conn.execute("INSERT INTO signoffs (sheet_id, examiner_id, at, record_sha256, audit_seq) "
                           "VALUES (?, ?, ?, ?, ?)", (sheet_id, by, now, digest, seq))
        so = self._one("SELECT * FROM signoffs WHERE id = last_insert_rowid()")
        self._write_audit(seq, prev, "insert", "signoffs", str(so["id"]), row_sha256(so), now, by)
        self._mark_drill_signed(row["drill_id"], now, by)
        return digest

    def _mark_drill_signed(self, drill_id: str, now: str, by: str) -> None:
        drill = self._one("SELECT status FROM drills WHERE id = ?", drill_id)
        if drill is None or drill["status"] != "ended":
            return
        unsigned = self._one(
            "SELECT count(*) AS n FROM score_sheets s WHERE s.drill_id = ? AND s.signed_at IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM score_sheets n WHERE n.supersedes = s.id)", drill_id)
        if unsigned and unsigned["n"] == 0:
            self._set_status_in_tx(drill_id, "signed", now, by)

    # --- helpers -------------------------------------------------------------------------------
    def _store_text(self, kind: str, text: str) -> str:
        sha = sha256_hex(text)
        self._conn.execute("INSERT INTO texts (sha256, kind, text) VALUES (?, ?, ?) "
                           "ON CONFLICT DO NOTHING", (sha, kind, text))
        return sha

    def _insert_items(self, sheet_id: str, items: Iterable[SheetItem]) -> None:
        rows = [(sheet_id, i.item_id, i.result, None if i.points is None else float(i.points),
                 None if i.evidence is None else canonical_json(i.evidence)) for i in items]
        if len({r[1] for r in rows}) != len(rows):
            raise ArchiveError(f"score sheet {sheet_id}: an item id is used twice")
        self._conn.executemany("INSERT INTO sheet_items (sheet_id, item_id, result, points, evidence) "
                               "VALUES (?, ?, ?, ?, ?)", rows)

    def _unsigned(self, sheet_id: str, doing: str) -> dict[str, Any]:
        row = self._one("SELECT * FROM score_sheets WHERE id = ?", sheet_id)
        if row is None:
            raise NotFoundError(f"no score sheet {sheet_id} in the archive {self.path}")
        if row["signed_at"] is not None:
            raise SignedRecordError(f"score sheet {sheet_id} is signed and cannot be {doing}; "
                                    f"record an amendment")
        return row

    def _examiner_exists(self, examiner_id: str) -> None:
        if self._one("SELECT id FROM examiners WHERE id = ?", examiner_id) is None:
            raise NotFoundError(f"no examiner {examiner_id} in the archive {self.path}")

    def _item_rows(self, sheet_id: str) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM sheet_items WHERE sheet_id = ? ORDER BY item_id",
                                  [sheet_id]))

    def _items(self, sheet_id: str) -> list[SheetItem]:
        return [SheetItem(item_id=i["item_id"], result=i["result"], points=i["points"],
                          evidence=None if i["evidence"] is None else json.loads(i["evidence"]))
                for i in self._item_rows(sheet_id)]

    def _sheet_sha(self, sheet_id: str) -> str:
        row = self._one("SELECT * FROM score_sheets WHERE id = ?", sheet_id)
        return sheet_record_sha256(row or {}, self._item_rows(sheet_id))

    # --- reading -------------------------------------------------------------------------------
    @reads
    def sheet(self, sheet_id: str) -> Sheet:
        row = self._one("SELECT * FROM score_sheets WHERE id = ?", sheet_id)
        if row is None:
            raise NotFoundError(f"no score sheet {sheet_id} in the archive {self.path}")
        later = self._one("SELECT id FROM score_sheets WHERE supersedes = ?", sheet_id)
        return Sheet.from_rows(row, self._item_rows(sheet_id), later["id"] if later else None)

    @reads
    def sheets(self, drill_id: str, current_only: bool = False) -> list[Sheet]:
        """The drill's score sheets (every version, or only those not superseded)."""
        ids = [r["id"] for r in self.db.query(
            "SELECT id FROM score_sheets WHERE drill_id = ? ORDER BY trainee_id, version, id", [drill_id])]
        out = [self.sheet(i) for i in ids]
        return [s for s in out if s.superseded_by is None] if current_only else out

    @reads
    def amendments(self, sheet_id: str) -> list[Amendment]:
        """The amendment chain starting at ``sheet_id``, oldest first."""
        out, current = [], sheet_id
        while (row := self._one("SELECT * FROM amendments WHERE sheet_id = ?", current)) is not None:
            out.append(Amendment(sheet_id=row["sheet_id"], new_sheet_id=row["new_sheet_id"], by=row["by"], at=row["at"], why=row["why"]))
            current = row["new_sheet_id"]
        return out

    @reads
    def rubric_text(self, sheet_id: str) -> str:
        row = self._one("SELECT x.text FROM score_sheets s JOIN texts x ON x.sha256 = s.rubric_sha256 "
                        "WHERE s.id = ?", sheet_id)
        if row is None:
            raise NotFoundError(f"no score sheet {sheet_id} in the archive {self.path}")
        return str(row["text"])
