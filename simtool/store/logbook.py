"""The logbook (part of ``Archive``, schema 11, issue 20): a trainee's clinical procedures, a
supervisor's countersignature of each, and exam results.

Every row is append-only with its audit row. ``add_logbook_entries`` stores a whole import in
one transaction (all or nothing). A countersignature is a ``logbook_signatures`` row naming
the person who signed (a trainee or an examiner of the registry) and the hash of the entry as
signed; an entry has at most one. Only the supervisor the entry names may sign it, and never
the trainee. What an entry may hold (a known procedure, a date, people who exist) is checked
by the application layer (``simtool.app.logbook``) before anything is written; the store
refuses only what would break its own record (an unknown trainee, a second signature).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simtool.store.connection import StoreBase, reads
from simtool.store.errors import ArchiveError, NotFoundError, SignedRecordError
from simtool.store.hashing import row_sha256

LOGBOOK_VERSION = 11   # the schema version that added the logbook
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

    @property
    def status(self) -> str:
        return "signed" if self.signed_at is not None else "pending"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "trainee_id": self.trainee_id, "date": self.date,
                "procedure": self.procedure, "level": self.level, "supervisor": self.supervisor,
                "site": self.site, "case_ref": self.case_ref, "complications": self.complications,
                "entered_at": self.at, "status": self.status, "signed_at": self.signed_at,
                "signed_by": self.signed_by}


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
            return self._insert_audited("exam_results", {
                "trainee_id": trainee_id, "programme": programme, "exam": exam, "date": date,
                "result": result, "examiner": examiner, "at": now, "by": who}, now, who)

    def _has_logbook(self) -> bool:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0]) >= LOGBOOK_VERSION

    @reads
    def logbook_entry(self, entry_id: int) -> LogbookEntry:
        found = self._entries("e.id = ?", [entry_id]) if self._has_logbook() else []
        if not found:
            raise NotFoundError(f"no logbook entry {entry_id} in the archive {self.path}")
        return found[0]

    @reads
    def logbook(self, trainee_ids: set[str] | list[str]) -> list[LogbookEntry]:
        """The entries of these trainee records (a person and the records merged into them),
        by date then id."""
        ids = sorted(trainee_ids)
        if not ids or not self._has_logbook():
            return []
        return self._entries(f"e.trainee_id IN ({', '.join('?' * len(ids))})", ids)

    def _entries(self, where: str, params: list[Any]) -> list[LogbookEntry]:
        cur = self._conn.execute(
            "SELECT e.*, s.at AS signed_at, s.signer_id AS signed_by FROM logbook_entries e "
            f"LEFT JOIN logbook_signatures s ON s.entry_id = e.id WHERE {where} "
            "ORDER BY e.date, e.id", params)
        cols = [d[0] for d in cur.description]
        out = []
        for r in cur.fetchall():
            row = dict(zip(cols, r))
            out.append(LogbookEntry(
                id=int(row["id"]), trainee_id=row["trainee_id"], date=row["date"],
                procedure=row["procedure"], level=row["level"], supervisor=row["supervisor"],
                site=row["site"], case_ref=row["case_ref"], complications=row["complications"],
                at=row["at"], by=row["by"], signed_at=row["signed_at"], signed_by=row["signed_by"]))
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
