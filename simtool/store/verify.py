"""``simtool verify``: recompute the audit chain and every record hash, name what changed.

Checks, each problem one sentence naming the record:

* the audit chain — rows numbered 1, 2, 3 … with no gap, each chained to the one before, each
  row's hash recomputed (``audit row 17: hash does not match (row changed after it was
  written)``);
* every event row against its own stored hash and against the audit row that recorded it, and
  every event the audit log recorded still being there;
* every drill (with its participants), score sheet, sign-off and amendment against the latest
  audit row for it; every signed sheet against its ``record_sha256``
  (``score sheet S: signed record changed``);
* every stored scenario and rubric text against its hash, and the guard triggers being present.

What it cannot see: someone who rewrites a record *and* recomputes every later audit hash
leaves a consistent file. The chain has no secret; note ``head()`` somewhere outside the
archive (the debrief report, an e-mail) to be able to prove the file has not been rewritten.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from simtool.store.hashing import (GENESIS, audit_sha256, drill_record_sha256, event_row_sha256,
                                   row_sha256, sha256_hex, sheet_record_sha256)

if TYPE_CHECKING:
    from simtool.store.archive import Archive

LIMIT = 200  # problems reported per kind; a rewritten table would otherwise print millions

GUARDS = ("score_sheets_signed_no_update", "score_sheets_signed_no_delete",
          "sheet_items_signed_no_insert", "sheet_items_signed_no_update",
          "sheet_items_signed_no_delete", "events_no_update", "events_no_delete",
          "audit_no_update", "audit_no_delete", "signoffs_no_update", "signoffs_no_delete",
          "amendments_no_update", "amendments_no_delete")


class _Problems:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self._counts: dict[str, int] = defaultdict(int)

    def add(self, kind: str, message: str) -> None:
        self._counts[kind] += 1
        if self._counts[kind] <= LIMIT:
            self.lines.append(message)

    def result(self) -> list[str]:
        extra = [f"… and {n - LIMIT} more problems of the kind '{kind}'"
                 for kind, n in self._counts.items() if n > LIMIT]
        return self.lines + extra


def head(archive: "Archive") -> tuple[int, str]:
    """The audit chain's last row number and hash (0 and the genesis hash when empty)."""
    row = archive._conn.execute("SELECT seq, sha256 FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


def verify(archive: "Archive") -> list[str]:
    problems = _Problems()
    latest = _chain(archive, problems)
    _events(archive, problems)
    _records(archive, problems, latest)
    _texts_and_guards(archive, problems)
    return problems.result()


def _chain(archive: "Archive", problems: _Problems) -> dict[tuple[str, str], tuple[int, str]]:
    """Walk the audit log; return the latest (seq, record hash) of every non-event record."""
    latest: dict[tuple[str, str], tuple[int, str]] = {}
    expected, prev = 1, GENESIS
    cur = archive._conn.execute("SELECT seq, at, actor, op, table_name, record_id, record_sha256, "
                                "prev_sha256, sha256 FROM audit ORDER BY seq")
    for seq, at, actor, op, table, rid, rsha, prev_sha, sha in cur:
        if seq != expected:
            problems.add("audit gap", f"audit log: rows {expected}–{seq - 1} are missing (deleted)")
        if prev_sha != prev:
            problems.add("audit link", f"audit row {seq}: does not chain to the row before it "
                                       f"(rows deleted, inserted or rewritten)")
        if audit_sha256(prev_sha, op, table, rid, rsha, at, actor) != sha:
            problems.add("audit hash", f"audit row {seq}: hash does not match (row changed after "
                                       f"it was written)")
        if table != "events":
            latest[(table, rid)] = (seq, rsha)
        expected, prev = seq + 1, sha
    return latest


def _events(archive: "Archive", problems: _Problems) -> None:
    cur = archive._conn.execute(
        "SELECT e.drill_id, e.seq, e.t, e.kind, e.data, e.row_sha256, e.audit_seq, "
        "a.table_name, a.record_id, a.record_sha256 FROM events e "
        "LEFT JOIN audit a ON a.seq = e.audit_seq")
    for did, seq, t, kind, data, rsha, aseq, atable, arid, arsha in cur:
        name = f"event {did}/{seq}"
        if event_row_sha256(did, seq, t, kind, data) != rsha:
            problems.add("event hash", f"{name}: changed after it was written (hash does not match)")
        elif atable != "events" or arid != f"{did}/{seq}":
            problems.add("event audit", f"{name}: has no audit row (added behind simtool's back)")
        elif arsha != rsha:
            problems.add("event audit", f"{name}: does not match audit row {aseq} (changed after "
                                        f"it was written)")
    cur = archive._conn.execute(
        "SELECT a.seq, a.record_id FROM audit a WHERE a.table_name = 'events' AND NOT EXISTS "
        "(SELECT 1 FROM events e WHERE e.drill_id = substr(a.record_id, 1, instr(a.record_id, '/') - 1) "
        "AND e.seq = CAST(substr(a.record_id, instr(a.record_id, '/') + 1) AS INTEGER))")
    for aseq, rid in cur:
        problems.add("event missing", f"event {rid}: missing (deleted after it was written; "
                                      f"audit row {aseq})")


def _rows(archive: "Archive", sql: str) -> list[dict[str, Any]]:
    return list(archive.db.query(sql))


def _records(archive: "Archive", problems: _Problems,
             latest: dict[tuple[str, str], tuple[int, str]]) -> None:
    people: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in _rows(archive, "SELECT * FROM participants"):
        people[p["drill_id"]].append(p)
    items: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for i in _rows(archive, "SELECT * FROM sheet_items"):
        items[i["sheet_id"]].append(i)
    seen: set[tuple[str, str]] = set()

    def check(table: str, label: str, rid: str, digest: str) -> None:
        seen.add((table, rid))
        audited = latest.get((table, rid))
        if audited is None:
            problems.add(f"{table} audit", f"{label}: has no audit row (added behind simtool's back)")
        elif audited[1] != digest:
            problems.add(f"{table} hash", f"{label}: record changed after it was written "
                                          f"(does not match audit row {audited[0]})")

    for d in _rows(archive, "SELECT * FROM drills"):
        check("drills", f"drill {d['id']}", d["id"], drill_record_sha256(d, people.get(d["id"], [])))
    for s in _rows(archive, "SELECT * FROM score_sheets"):
        digest = sheet_record_sha256(s, items.get(s["id"], []))
        if s["signed_at"] is not None and s["record_sha256"] != digest:
            seen.add(("score_sheets", s["id"]))
            problems.add("signed", f"score sheet {s['id']}: signed record changed")
        else:
            check("score_sheets", f"score sheet {s['id']}", s["id"], digest)
    for table, label in (("signoffs", "sign-off"), ("amendments", "amendment")):
        for r in _rows(archive, f"SELECT * FROM {table}"):
            check(table, f"{label} {r['id']}", str(r["id"]), row_sha256(r))
    names = {"drills": "drill", "score_sheets": "score sheet", "signoffs": "sign-off",
             "amendments": "amendment"}
    for (table, rid), (seq, _sha) in latest.items():
        if (table, rid) not in seen and table in names:
            problems.add(f"{table} missing", f"{names[table]} {rid}: missing (deleted after it was "
                                             f"written; audit row {seq})")


def _texts_and_guards(archive: "Archive", problems: _Problems) -> None:
    for sha, kind, text in archive._conn.execute("SELECT sha256, kind, text FROM texts"):
        if sha256_hex(text) != sha:
            problems.add("text", f"{kind} text {sha[:12]}: changed (hash does not match)")
    present = {r[0] for r in archive._conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    for name in GUARDS:
        if name not in present:
            problems.add("trigger", f"guard trigger {name} is missing (dropped behind simtool's back)")
