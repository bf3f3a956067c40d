"""People (part of ``Archive``): the trainees as persons, with their drills, and merges of two
records found to be one person (schema 8).

A merge is an append-only ``person_merges`` row with a reason and its audit row; an
``unmerge`` row reverses it. Nothing else is rewritten: participants and signed sheets keep the
record they were made for, and reading a person (``person_ids``, ``people``,
``trainee_history``) resolves the merges in force.
"""

from __future__ import annotations

from typing import Any

from simtool.store.connection import StoreBase, reads
from simtool.store.errors import ArchiveError, NotFoundError
from simtool.store.hashing import row_sha256

MERGES_VERSION = 8   # the schema version that added person_merges


class PeopleMixin(StoreBase):
    def _has_merges_table(self) -> bool:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0]) >= MERGES_VERSION

    @reads
    def merged_into(self) -> dict[str, str]:
        """The merges in force: a merged-away record's id -> the id of the record it is now
        part of (followed to the end of a chain)."""
        if not self._has_merges_table():
            return {}
        current: dict[tuple[str, str], str] = {}
        for r in self._conn.execute("SELECT kind, keep_id, other_id FROM person_merges ORDER BY id"):
            current[(r[1], r[2])] = r[0]
        direct = {other: keep for (keep, other), kind in current.items() if kind == "merge"}
        out = {}
        for other in direct:
            seen, keep = {other}, direct[other]
            while keep in direct and keep not in seen:
                seen.add(keep)
                keep = direct[keep]
            out[other] = keep
        return out

    @reads
    def person_ids(self, trainee_id: str) -> set[str]:
        """Every record that is this person now: the record and those merged into it."""
        root = self.merged_into().get(trainee_id, trainee_id)
        return {root} | {o for o, k in self.merged_into().items() if k == root}

    def _merge_row(self, kind: str, keep_id: str, other_id: str, reason: str,
                   by: str | None) -> int:
        if not self._has_merges_table():
            raise ArchiveError(f"the archive {self.path} is in an older format without merges of "
                               f"people; open it with this simtool to upgrade it")
        if not isinstance(reason, str) or not reason.strip():
            raise ArchiveError(f"a {kind} of two people needs a reason: say why")
        if keep_id == other_id:
            raise ArchiveError(f"trainee {keep_id} is one record already; there is nothing to {kind}")
        now = self._now()
        with self.transaction():
            for tid in (keep_id, other_id):
                if self._one("SELECT id FROM trainees WHERE id = ?", tid) is None:
                    raise NotFoundError(f"no trainee {tid} in the archive {self.path}")
            merged = self.merged_into()
            if kind == "merge":
                if merged.get(other_id) is not None:
                    raise ArchiveError(f"trainee {other_id} is already merged into "
                                       f"{merged[other_id]}; unmerge it first")
                if merged.get(keep_id, keep_id) == other_id:
                    raise ArchiveError(f"trainee {keep_id} is merged into {other_id}; merge the "
                                       f"other way round")
            else:
                last = self._one("SELECT kind FROM person_merges WHERE keep_id = ? AND other_id = ? "
                                 "ORDER BY id DESC LIMIT 1", keep_id, other_id)
                if last is None or last["kind"] != "merge":
                    raise ArchiveError(f"trainee {other_id} is not merged into {keep_id}; there is "
                                       f"nothing to unmerge")
            seq, prev = self._reserve_audit()
            cur = self._conn.execute(
                "INSERT INTO person_merges (kind, keep_id, other_id, reason, at, by, audit_seq) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", (kind, keep_id, other_id, reason.strip(), now, by, seq))
            row = self._one("SELECT * FROM person_merges WHERE id = ?", cur.lastrowid)
            assert row is not None
            self._write_audit(seq, prev, "insert", "person_merges", str(row["id"]),
                              row_sha256(row), now, by)
            return int(row["id"])

    def merge_people(self, keep_id: str, other_id: str, reason: str, by: str | None = None) -> int:
        """Record that trainee ``other_id`` is the same person as ``keep_id`` (one transaction:
        the row and its audit row). ArchiveError/NotFoundError, nothing written, without a
        reason, for the same record twice, an unknown record, or a record already merged."""
        return self._merge_row("merge", keep_id, other_id, reason, by)

    def unmerge_people(self, keep_id: str, other_id: str, reason: str, by: str | None = None) -> int:
        """Reverse a merge (a new row; the merge stays in the record)."""
        return self._merge_row("unmerge", keep_id, other_id, reason, by)

    @reads
    def people(self, site: str | None = None) -> list[dict[str, Any]]:
        """Every person (merged-away records folded into the one they are part of), by name:
        ``id``, ``name``, ``staff_id``, ``department``, ``profession``, ``grade``, ``site`` (home
        site), ``records`` (the ids that are this person), ``drills`` (drills taken part in,
        discarded ones left out) and ``sites`` (where those drills were). With ``site``, only
        people of that site or who took part in a drill there."""
        merged = self.merged_into()
        rows = {r["id"]: r for r in self.db.query("SELECT * FROM trainees")}
        counts: dict[str, set[str]] = {}
        sites: dict[str, set[str]] = {}
        discarded = "AND d.id NOT IN (SELECT drill_id FROM discards)" if self.schema_version >= 5 else ""
        has_site = self.schema_version >= 2
        for r in self._conn.execute(
                f"SELECT p.trainee_id, d.id, {'d.site' if has_site else 'NULL'} FROM participants p "
                f"JOIN drills d ON d.id = p.drill_id WHERE p.trainee_id IS NOT NULL {discarded}"):
            person = merged.get(r[0], r[0])
            counts.setdefault(person, set()).add(r[1])
            if r[2]:
                sites.setdefault(person, set()).add(r[2])
        out = []
        for tid, row in rows.items():
            if tid in merged:
                continue
            if site is not None and site not in sites.get(tid, set()) and row.get("site") != site:
                continue
            records = sorted({tid} | {o for o, k in merged.items() if k == tid})
            out.append({"id": tid, "name": row["name"], "staff_id": row["staff_id"],
                        "department": row["department"], "profession": row.get("profession"),
                        "grade": row.get("grade"), "site": row.get("site"), "records": records,
                        "drills": len(counts.get(tid, ())), "sites": sorted(sites.get(tid, ()))})
        out.sort(key=lambda p: (p["name"], p["staff_id"] or "", p["id"]))
        return out

    @reads
    def sites(self) -> list[str]:
        """Every site the archive knows (of drills, and people's home sites), sorted: what a
        filter by site offers."""
        if self.schema_version < 2:
            return []
        found = {r[0] for r in self._conn.execute("SELECT DISTINCT site FROM drills WHERE site IS NOT NULL")}
        if self.schema_version >= 9:
            found |= {r[0] for r in self._conn.execute(
                "SELECT DISTINCT site FROM trainees WHERE site IS NOT NULL")}
        return sorted(found)

    @reads
    def examiner_records(self) -> list[Any]:
        """Every examiner the archive keeps, by name (``Examiner`` records)."""
        from simtool.store.records import examiner_of_row
        return [examiner_of_row(r) for r in self.db.query("SELECT * FROM examiners ORDER BY name, id")]
