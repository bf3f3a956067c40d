"""The logbook (part of ``Archive``, schema 11, issue 20): a trainee's clinical procedures, a
supervisor's countersignature of each, and exam results.

Every row is append-only with its audit row. ``add_logbook_entries`` stores a whole import in
one transaction (all or nothing). A countersignature is a ``logbook_signatures`` row naming
the person who signed (a trainee or an examiner of the registry) and the hash of the entry as
signed; an entry has at most one. Only the supervisor the entry names may sign it, and never
the trainee. What an entry may hold (a known procedure, a date, people who exist) is checked
by the application layer (``simtool.app.logbook``) before anything is written; the store
refuses only what would break its own record (an unknown trainee, a second signature).

From schema 12 a pending entry can be corrected (``correct_logbook_entry``: a new entry with
the corrected fields and a ``logbook_changes`` row naming the old, the new and the reason) or
withdrawn (``withdraw_logbook_entry``: a change row alone); the original stays, so the record
shows what was entered and why it changed. A countersigned entry can be neither and a changed
entry cannot be countersigned (checked here and by triggers). ``logbook`` returns the current
entries (neither corrected nor withdrawn) unless asked for all.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from simtool.store.connection import StoreBase, reads
from simtool.store.errors import ArchiveError, NotFoundError, SignedRecordError
from simtool.store.hashing import row_sha256

LOGBOOK_VERSION = 11   # the schema version that added the logbook
CHANGES_VERSION = 12   # corrections, withdrawals and uids
ENTRY_FIELDS = ("trainee_id", "date", "procedure", "level", "supervisor", "site", "case_ref",
                "complications")


@dataclass(frozen=True, kw_only=True)
class LogbookEntry:
    id: int
    trainee_id: str
    date: str
    procedure: str
    level: str
    supervisor: str            # the supervisor's staff id, as entered
    site: str | None
    case_ref: str
    complications: str | None
    at: str                    # when it was entered (ISO 8601 UTC)
    by: str | None
    signed_at: str | None = None
    signed_by: str | None = None   # the id of the person (trainee or examiner record) who signed
    uid: str | None = None
    change: str | None = None          # 'correct' or 'withdraw' when it no longer stands
    changed_at: str | None = None
    changed_by: str | None = None
    change_reason: str | None = None
    superseded_by: int | None = None   # the entry that corrected it
    corrects: int | None = None        # the entry it corrected

    @property
    def status(self) -> str:
        """pending, signed, withdrawn or corrected (superseded by another entry)."""
        if self.signed_at is not None:
            return "signed"
        if self.change is not None:
            return "withdrawn" if self.change == "withdraw" else "corrected"
        return "pending"

    @property
    def current(self) -> bool:
        """Neither corrected nor withdrawn: what counts (once countersigned)."""
        return self.change is None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "trainee_id": self.trainee_id, "date": self.date,
                "procedure": self.procedure, "level": self.level, "supervisor": self.supervisor,
                "site": self.site, "case_ref": self.case_ref, "complications": self.complications,
                "entered_at": self.at, "status": self.status, "signed_at": self.signed_at,
                "signed_by": self.signed_by, "superseded_by": self.superseded_by,
                "corrects": self.corrects, "changed_at": self.changed_at,
                "changed_by": self.changed_by, "change_reason": self.change_reason}


@dataclass(frozen=True, kw_only=True)
class ExamResult:
    id: int
    trainee_id: str
    programme: str
    exam: str
    date: str
    result: str                # pass or fail
    examiner: str | None
    at: str


class LogbookMixin(StoreBase):
    def _logbook_table(self) -> None:
        if int(self._conn.execute("PRAGMA user_version").fetchone()[0]) < LOGBOOK_VERSION:
            raise ArchiveError(f"the archive {self.path} is in an older format without a logbook; "
                               f"open it with this simtool to upgrade it")

    def _insert_audited(self, table: str, row: dict[str, Any], now: str, by: str | None) -> int:
        seq, prev = self._reserve_audit()
        cols = list(row)
        cur = self._conn.execute(
            f"INSERT INTO {table} ({', '.join(cols)}, audit_seq) "
            f"VALUES ({', '.join('?' * (len(cols) + 1))})", (*row.values(), seq))
        stored = self._one(f"SELECT * FROM {table} WHERE id = ?", cur.lastrowid)
        assert stored is not None
        self._write_audit(seq, prev, "insert", table, str(stored["id"]), row_sha256(stored), now, by)
        return int(stored["id"])

    def add_logbook_entries(self, entries: list[dict[str, Any]], by: str | None = None) -> list[int]:
        """Store entries (each a mapping of ``ENTRY_FIELDS``) in one transaction, each with its
        audit row; their ids in order. NotFoundError, nothing written, for an unknown trainee."""
        self._logbook_table()
        now, who = self._now(), by or self.actor
        ids = []
        with self.transaction():
            for e in entries:
                if self._one("SELECT id FROM trainees WHERE id = ?", e["trainee_id"]) is None:
                    raise NotFoundError(f"no trainee {e['trainee_id']} in the archive {self.path}")
                row = {k: e.get(k) for k in ENTRY_FIELDS}
                if self._has_changes():
                    row["uid"] = uuid.uuid4().hex
                ids.append(self._insert_audited("logbook_entries", {**row, "at": now, "by": who},
                                                now, who))
        return ids

    def sign_logbook_entry(self, entry_id: int, signer_table: str, signer_id: str,
                           by: str | None = None) -> str:
        """Countersign an entry as the person ``signer_id`` (of ``trainees`` or ``examiners``);
        returns the entry's hash as signed. SignedRecordError if it is signed already."""
        self._logbook_table()
        if signer_table not in ("trainees", "examiners"):
            raise ArchiveError(f"not a table of people: {signer_table}")
        now = self._now()
        with self.transaction():
            entry = self._one("SELECT * FROM logbook_entries WHERE id = ?", entry_id)
            if entry is None:
                raise NotFoundError(f"no logbook entry {entry_id} in the archive {self.path}")
            if self._one(f"SELECT id FROM {signer_table} WHERE id = ?", signer_id) is None:
                raise NotFoundError(f"no {signer_table[:-1]} {signer_id} in the archive {self.path}")
            if self._one("SELECT id FROM logbook_signatures WHERE entry_id = ?", entry_id) is not None:
                raise SignedRecordError(f"logbook entry {entry_id} is countersigned already; a "
                                        f"signed entry cannot change")
            self._refuse_changed(entry_id, "countersigned")
            digest = row_sha256(entry)
            self._insert_audited("logbook_signatures", {
                "entry_id": entry_id, "signer_table": signer_table, "signer_id": signer_id,
                "at": now, "entry_sha256": digest}, now, by or signer_id)
        return digest

    def add_exam_result(self, trainee_id: str, programme: str, exam: str, date: str,
                        result: str, examiner: str | None = None, by: str | None = None) -> int:
        """Record a practical or written exam result (pass or fail) with its audit row."""
        self._logbook_table()
        if result not in ("pass", "fail"):
            raise ArchiveError(f"an exam result is pass or fail, not {result!r}")
        now, who = self._now(), by or self.actor
        with self.transaction():
            if self._one("SELECT id FROM trainees WHERE id = ?", trainee_id) is None:
                raise NotFoundError(f"no trainee {trainee_id} in the archive {self.path}")
            row = {"trainee_id": trainee_id, "programme": programme, "exam": exam, "date": date,
                   "result": result, "examiner": examiner, "at": now, "by": who}
            if self._has_changes():
                row["uid"] = uuid.uuid4().hex
            return self._insert_audited("exam_results", row, now, who)

    def _has_logbook(self) -> bool:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0]) >= LOGBOOK_VERSION

    def _has_changes(self) -> bool:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0]) >= CHANGES_VERSION

    def _refuse_changed(self, entry_id: int, what: str) -> None:
        change = self._one("SELECT kind, new_entry_id FROM logbook_changes WHERE entry_id = ?",
                           entry_id) if self._has_changes() else None
        if change is not None:
            how = ("withdrawn" if change["kind"] == "withdraw"
                   else f"corrected by entry {change['new_entry_id']}")
            raise ArchiveError(f"logbook entry {entry_id} was {how}; it cannot be {what}")

    def _pending_entry(self, entry_id: int, what: str) -> dict[str, Any]:
        """The entry's row, inside the caller's transaction, if it may still change."""
        if not self._has_changes():
            raise ArchiveError(f"the archive {self.path} is in an older format without logbook "
                               f"corrections; open it with this simtool to upgrade it")
        entry = self._one("SELECT * FROM logbook_entries WHERE id = ?", entry_id)
        if entry is None:
            raise NotFoundError(f"no logbook entry {entry_id} in the archive {self.path}")
        sig = self._one("SELECT at FROM logbook_signatures WHERE entry_id = ?", entry_id)
        if sig is not None:
            raise SignedRecordError(f"logbook entry {entry_id} was countersigned on {sig['at']}; a "
                                    f"signed entry cannot be {what}")
        self._refuse_changed(entry_id, what)
        return entry

    def correct_logbook_entry(self, entry_id: int, fields: dict[str, Any], reason: str,
                              by: str | None = None) -> int:
        """Supersede a pending entry by a new one with ``fields`` (of ``ENTRY_FIELDS``; the
        trainee stays), with the reason, in one transaction; the new entry's id."""
        now, who = self._now(), by or self.actor
        with self.transaction():
            old = self._pending_entry(entry_id, "corrected")
            row = {k: fields.get(k, old[k]) for k in ENTRY_FIELDS}
            row["trainee_id"] = old["trainee_id"]
            new_id = self._insert_audited("logbook_entries", {
                **row, "uid": uuid.uuid4().hex, "at": now, "by": who}, now, who)
            self._insert_audited("logbook_changes", {
                "entry_id": entry_id, "kind": "correct", "new_entry_id": new_id,
                "reason": reason, "at": now, "by": who}, now, who)
        return new_id

    def withdraw_logbook_entry(self, entry_id: int, reason: str, by: str | None = None) -> int:
        """Withdraw a pending entry with the reason (it stays, counted nowhere); the id of
        the change row."""
        now, who = self._now(), by or self.actor
        with self.transaction():
            self._pending_entry(entry_id, "withdrawn")
            return self._insert_audited("logbook_changes", {
                "entry_id": entry_id, "kind": "withdraw", "reason": reason, "at": now,
                "by": who}, now, who)

    @reads
    def logbook_pending(self, supervisor: str, site: str | None = None) -> list[LogbookEntry]:
        """The current entries naming this supervisor (staff id; at ``site`` or without a
        site when one is given) that still wait for their countersignature, oldest first."""
        if not self._has_logbook():
            return []
        where, params = "e.supervisor = ? AND s.id IS NULL", [supervisor]
        if site:
            where, params = where + " AND (e.site = ? OR e.site IS NULL)", params + [site]
        return [e for e in self._entries(where, params) if e.current]

    @reads
    def logbook_entry(self, entry_id: int) -> LogbookEntry:
        found = self._entries("e.id = ?", [entry_id]) if self._has_logbook() else []
        if not found:
            raise NotFoundError(f"no logbook entry {entry_id} in the archive {self.path}")
        return found[0]

    @reads
    def logbook(self, trainee_ids: set[str] | list[str], current: bool = True) -> list[LogbookEntry]:
        """The entries of these trainee records (a person and the records merged into them),
        by date then id: those that stand (``current``, the default), or every one, corrected
        and withdrawn too."""
        ids = sorted(trainee_ids)
        if not ids or not self._has_logbook():
            return []
        found = self._entries(f"e.trainee_id IN ({', '.join('?' * len(ids))})", ids)
        return [e for e in found if e.current] if current else found

    def _entries(self, where: str, params: list[Any]) -> list[LogbookEntry]:
        changes = ("c.kind AS change, c.at AS changed_at, c.by AS changed_by, "
                   "c.reason AS change_reason, c.new_entry_id AS superseded_by, "
                   "p.entry_id AS corrects" if self._has_changes() else
                   "NULL AS change, NULL AS changed_at, NULL AS changed_by, NULL AS change_reason, "
                   "NULL AS superseded_by, NULL AS corrects")
        joins = ("LEFT JOIN logbook_changes c ON c.entry_id = e.id "
                 "LEFT JOIN logbook_changes p ON p.new_entry_id = e.id "
                 if self._has_changes() else "")
        cur = self._conn.execute(
            f"SELECT e.*, s.at AS signed_at, s.signer_id AS signed_by, {changes} "
            f"FROM logbook_entries e LEFT JOIN logbook_signatures s ON s.entry_id = e.id "
            f"{joins}WHERE {where} ORDER BY e.date, e.id", params)
        cols = [d[0] for d in cur.description]
        out = []
        for r in cur.fetchall():
            row = dict(zip(cols, r))
            out.append(LogbookEntry(
                id=int(row["id"]), trainee_id=row["trainee_id"], date=row["date"],
                procedure=row["procedure"], level=row["level"], supervisor=row["supervisor"],
                site=row["site"], case_ref=row["case_ref"], complications=row["complications"],
                at=row["at"], by=row["by"], signed_at=row["signed_at"], signed_by=row["signed_by"],
                uid=row.get("uid"), change=row["change"], changed_at=row["changed_at"],
                changed_by=row["changed_by"], change_reason=row["change_reason"],
                superseded_by=row["superseded_by"], corrects=row["corrects"]))
        return out

    @reads
    def exam_results(self, trainee_ids: set[str] | list[str],
                     programme: str | None = None) -> list[ExamResult]:
        """Exam results of these trainee records (of one programme), by date then id."""
        ids = sorted(trainee_ids)
        if not ids or not self._has_logbook():
            return []
        where, params = f"trainee_id IN ({', '.join('?' * len(ids))})", list(ids)
        if programme is not None:
            where, params = where + " AND programme = ?", params + [programme]
        return [ExamResult(id=int(r["id"]), trainee_id=r["trainee_id"], programme=r["programme"],
                           exam=r["exam"], date=r["date"], result=r["result"],
                           examiner=r["examiner"], at=r["at"])
                for r in self.db.query(f"SELECT * FROM exam_results WHERE {where} "
                                       f"ORDER BY date, id", params)]
