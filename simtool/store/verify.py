"""``simtool verify``: recompute the audit chain and every record hash, name what changed.

Checks, each problem one sentence naming the record:

* the file itself — ``PRAGMA quick_check`` (damaged pages are named, not a traceback);
* the audit chain — rows numbered 1, 2, 3 … with no gap, each chained to the one before, each
  row's hash recomputed (``audit row 17: hash does not match (row changed after it was
  written)``);
* every event row and every vitals sample against its own stored hash and against the audit
  row that recorded it, and every event and sample the audit log recorded still being there
  (record ids are never parsed on ``/``: a drill id may contain one);
* every drill (with its participants), score sheet, sign-off, amendment, discard, debrief
  note, examiner of a drill, trainee, examiner, setting (``meta``: the pseudonym secret, the
  archive id, signing keys) and kept indicator result set against the latest audit row for
  it — changed, ``missing`` or added without an audit row; every signed sheet against its
  ``record_sha256`` (``score sheet S: signed record changed``);
* every stored scenario and rubric text against its hash, and the guard triggers being
  present and exactly simtool's;
* the end of the log against the checkpoint kept outside the file (``checkpoint.py``): rows
  cut off the end, or a file put back from an older copy, are named.

What it cannot see: someone who rewrites a record *and* recomputes every later audit hash
leaves a consistent file; the checkpoint and the head printed on signed score sheets are what
show such a file is not the one they were taken from.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from simtool.store.quality import QUALITY_VERSION
from simtool.store.cases import CASES_VERSION, WITHDRAWALS_VERSION
from simtool.store.media import MEDIA_VERSION, check_files
from simtool.store.hashing import (GENESIS, audit_sha256, drill_record_sha256, event_row_sha256,
                                   indicators_record_sha256, person_record_sha256, row_sha256,
                                   sha256_hex, sheet_record_sha256, vitals_batch_sha256,
                                   vitals_row_sha256)

if TYPE_CHECKING:
    from simtool.store.archive import Archive

LIMIT = 200  # problems reported per kind; a rewritten table would otherwise print millions

GUARDS = ("score_sheets_signed_no_update", "score_sheets_signed_no_delete",
          "sheet_items_signed_no_insert", "sheet_items_signed_no_update",
          "sheet_items_signed_no_delete", "events_no_update", "events_no_delete",
          "audit_no_update", "audit_no_delete", "signoffs_no_update", "signoffs_no_delete",
          "amendments_no_update", "amendments_no_delete")
GUARDS_5 = ("discards_no_update", "discards_no_delete")
GUARDS_6 = ("debrief_notes_no_update", "debrief_notes_no_delete")
GUARDS_7 = ("drill_examiners_no_update", "drill_examiners_no_delete")
GUARDS_8 = ("person_merges_no_update", "person_merges_no_delete")
GUARDS_11 = tuple(f"{t}_no_{op}" for t in ("logbook_entries", "logbook_signatures", "exam_results")
                  for op in ("update", "delete"))
GUARDS_12 = ("logbook_changes_no_update", "logbook_changes_no_delete", "logbook_changes_unsigned",
             "logbook_signatures_current")
GUARDS_QUALITY = tuple(f"{t}_no_{op}" for t in ("safety_threats", "quality_actions",
                                                "quality_action_updates", "quality_decisions")
                       for op in ("update", "delete"))
GUARDS_CASES = tuple(f"{t}_no_{op}" for t in ("real_cases", "real_case_indicators")
                     for op in ("update", "delete"))
GUARDS_WITHDRAWALS = ("real_case_withdrawals_no_update", "real_case_withdrawals_no_delete")
GUARDS_MEDIA = ("media_no_update", "media_no_delete")
REQUIRED_SETTINGS = frozenset({"archive_id", "pseudonym_secret"})
GUARDS_4 = ("meta_no_update", "meta_no_delete", "vitals_no_update", "vitals_no_delete",
            "vitals_audited_insert", "trainees_audited_insert", "trainees_audited_update",
            "trainees_no_delete", "examiners_audited_insert", "examiners_audited_update",
            "examiners_no_delete")

# the audit log's table names of records checked against their latest audit row
NAMES = {"drills": "drill", "score_sheets": "score sheet", "signoffs": "sign-off",
         "amendments": "amendment", "trainees": "trainee", "examiners": "examiner",
         "meta": "setting", "drill_indicators": "indicator results of drill",
         "discards": "discard of drill", "debrief_notes": "debrief note",
         "drill_examiners": "examiner link", "person_merges": "merge of people",
         "logbook_entries": "logbook entry", "logbook_signatures": "countersignature",
         "exam_results": "exam result", "logbook_changes": "correction or withdrawal",
         "safety_threats": "safety threat record", "quality_actions": "corrective action",
         "quality_action_updates": "status change of an action",
         "quality_decisions": "PDCA decision"}
NAMES.update({"real_cases": "real case", "real_case_indicators": "indicator result of a real case"})
NAMES["real_case_withdrawals"] = "withdrawal of a real case"

NAMES["media"] = "attached video"


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


def verify(archive: "Archive", *, checkpoints: bool = True) -> list[str]:
    """Every problem found, one sentence each ([] = intact). ``checkpoints``: also compare
    the end of the log with the checkpoint kept outside the file."""
    problems = _Problems()
    full = archive._audits_everything
    steps: list[Callable[[], Any]] = []
    latest: dict[tuple[str, str], tuple[int, str]] = {}

    def chain() -> None:
        latest.update(_chain(archive, problems))

    steps += [lambda: _file(archive, problems), chain, lambda: _events(archive, problems)]
    if full:
        steps.append(lambda: _vitals(archive, problems))
    steps += [lambda: _records(archive, problems, latest, full),
              lambda: _texts_and_guards(archive, problems, full)]
    steps.append(lambda: _indicator_sums(archive, problems))
    if archive.schema_version >= MEDIA_VERSION:   # each video's file beside the archive
        steps.append(lambda: [problems.add("media file", p) for p in check_files(archive)])
    if checkpoints and full:
        from simtool.store.checkpoint import compare
        steps.append(lambda: [problems.add("checkpoint", p) for p in compare(archive)])
    for step in steps:
        try:
            if step() is False:
                break
        except sqlite3.DatabaseError as exc:
            problems.add("unreadable", f"the file is damaged: part of it cannot be read "
                                       f"({' '.join(str(exc).split())}); restore a backup")
            break
    return problems.result()


def _indicator_sums(archive: "Archive", problems: _Problems) -> None:
    """The per-month and per-quarter indicator sums every quality report reads are derived
    from the kept results (verified above); a sum edited behind simtool's back would change the
    department's figures while the record verifies, so each is summed again and compared."""
    from simtool.store import indicatorgroups
    from simtool.store.analytics import GROUPS_FROM, _finished
    if archive.schema_version < GROUPS_FROM or not indicatorgroups.current(archive._conn):
        return
    for scenario_id, period in indicatorgroups.differences(archive._conn, _finished(archive)):
        problems.add("indicator sums",
                     f"the indicator sums of {scenario_id} {period} differ from the drills' kept "
                     f"results, so its reports are wrong (the drills are intact): sum them again "
                     f"with simtool stats indicators --resum")


def _file(archive: "Archive", problems: _Problems) -> bool:
    """False (stop: records on damaged pages cannot be judged) unless quick_check says ok."""
    rows = [" ".join(str(r[0]).split()) for r in archive._conn.execute("PRAGMA quick_check(3)")]
    if rows != ["ok"]:
        problems.add("damaged", f"the file is damaged ({'; '.join(rows)}); its records were not "
                                f"checked: restore a backup")
        return False
    return True


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
        if table not in ("events", "vitals"):
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
    # an event's record id is "<drill id>/<seq>": the seq is the digits after the LAST "/"
    # (rtrim strips them), so a drill id that contains "/" (or ends in digits) reads back whole
    cur = archive._conn.execute(
        "SELECT a.seq, a.record_id FROM audit a WHERE a.table_name = 'events' AND NOT EXISTS "
        "(SELECT 1 FROM events e WHERE "
        "e.drill_id = substr(a.record_id, 1, length(rtrim(a.record_id, '0123456789')) - 1) "
        "AND e.seq = CAST(substr(a.record_id, length(rtrim(a.record_id, '0123456789')) + 1) "
        "AS INTEGER))")
    for aseq, rid in cur:
        problems.add("event missing", f"event {rid}: missing (deleted after it was written; "
                                      f"audit row {aseq})")


def _t(t: float) -> str:
    return f"t={t:g} s"


def _vitals(archive: "Archive", problems: _Problems) -> None:
    """Each sample against its row hash; each audit batch (the samples one audit row covers)
    against its audit row; every audited batch still there."""
    conn = archive._conn

    def audit_row(seq: int | None) -> tuple[str, str, str] | None:
        if seq is None:
            return None
        row = conn.execute("SELECT table_name, record_id, record_sha256 FROM audit WHERE seq = ?",
                           (seq,)).fetchone()
        return None if row is None else (str(row[0]), str(row[1]), str(row[2]))

    bad: set[int | None] = set()   # batches with a sample already named

    def check_drill(did: str, groups: dict[int | None, list[tuple[float, str]]]) -> None:
        for aseq, samples in groups.items():
            if aseq in bad:
                continue
            label = f"vitals of drill {did} at {_t(samples[0][0])}" if len(samples) == 1 else \
                f"vitals of drill {did} from {_t(samples[0][0])} to {_t(samples[-1][0])}"
            audited = audit_row(aseq)
            batch = _batch(audited[1]) if audited is not None and audited[0] == "vitals" else None
            if batch is None or batch[0] != did:
                problems.add("vitals audit", f"{label}: has no audit row (added behind "
                                             f"simtool's back)")
            elif vitals_batch_sha256(samples) != audited[2]:
                if len(samples) < batch[3]:
                    problems.add("vitals missing", f"vitals of drill {did} recorded in audit row "
                                                   f"{aseq}: {batch[3] - len(samples)} of {batch[3]} "
                                                   f"samples missing (deleted after they were "
                                                   f"written)")
                else:
                    problems.add("vitals hash", f"{label}: changed after it was written (does "
                                                f"not match audit row {aseq})")

    current: str | None = None
    groups: dict[int | None, list[tuple[float, str]]] = defaultdict(list)
    cur = conn.execute("SELECT drill_id, t, data, row_sha256, audit_seq FROM vitals "
                       "ORDER BY drill_id, t")
    for did, t, data, rsha, aseq in cur:
        if did != current:
            if current is not None:
                check_drill(current, groups)
            current, groups = did, defaultdict(list)
            bad.clear()
        if vitals_row_sha256(did, t, data) != rsha:
            audited = audit_row(aseq)
            if rsha is None or audited is None or audited[0] != "vitals":
                problems.add("vitals audit", f"vitals of drill {did} at {_t(t)}: has no audit row "
                                             f"(added behind simtool's back)")
            else:
                problems.add("vitals hash", f"vitals of drill {did} at {_t(t)}: changed after it "
                                            f"was written (hash does not match)")
            bad.add(aseq)
            continue
        groups[aseq].append((float(t), rsha))
    if current is not None:
        check_drill(current, groups)
    # every batch the audit log recorded: some sample of it still there (a range scan on the
    # primary key; a small margin, as the JSON text of a time need not parse to the same bits)
    cur = conn.execute(
        "SELECT a.seq, a.record_id FROM audit a WHERE a.table_name = 'vitals' "
        "AND json_valid(a.record_id) AND NOT EXISTS (SELECT 1 FROM vitals v "
        "WHERE v.drill_id = json_extract(a.record_id, '$[0]') "
        "AND v.t >= json_extract(a.record_id, '$[1]') - 1e-6 "
        "AND v.t <= json_extract(a.record_id, '$[2]') + 1e-6 AND v.audit_seq = a.seq)")
    for aseq, rid in cur:
        batch = _batch(rid)
        if batch is None:
            continue
        did, t0, t1, n = batch
        what = f"vitals of drill {did} at {_t(t0)}" if n == 1 else \
            f"vitals of drill {did} from {_t(t0)} to {_t(t1)} ({n} samples)"
        problems.add("vitals missing", f"{what}: missing (deleted after it was written; audit "
                                       f"row {aseq})")


def _batch(record_id: str) -> tuple[str, float, float, int] | None:
    """A vitals audit row's record id: [drill, first t, last t, samples]."""
    try:
        did, t0, t1, n = json.loads(record_id)
        return str(did), float(t0), float(t1), int(n)
    except (ValueError, TypeError):
        return None


def _rows(archive: "Archive", sql: str) -> list[dict[str, Any]]:
    return list(archive.db.query(sql))


def _records(archive: "Archive", problems: _Problems,
             latest: dict[tuple[str, str], tuple[int, str]], full: bool = True) -> None:
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
    if archive.schema_version >= 5:
        for r in _rows(archive, "SELECT * FROM discards"):
            check("discards", f"discard of drill {r['drill_id']}", str(r["drill_id"]), row_sha256(r))
    if archive.schema_version >= 6:
        for r in _rows(archive, "SELECT * FROM debrief_notes"):
            check("debrief_notes", f"debrief note {r['id']} ({r['phase']} of drill {r['drill_id']})",
                  str(r["id"]), row_sha256(r))
    if archive.schema_version >= 7:
        for r in _rows(archive, "SELECT * FROM drill_examiners"):
            check("drill_examiners", f"examiner link {r['id']} (examiner {r['examiner_id']} of "
                                     f"drill {r['drill_id']})", str(r["id"]), row_sha256(r))
    if archive.schema_version >= 8:
        for r in _rows(archive, "SELECT * FROM person_merges"):
            check("person_merges", f"merge of people {r['id']} ({r['kind']} of trainee "
                                   f"{r['other_id']} into {r['keep_id']})", str(r["id"]), row_sha256(r))
    if archive.schema_version >= 11:
        _logbook(archive, problems, check, seen)
    if archive.schema_version >= QUALITY_VERSION:
        for table, label, what in (
                ("safety_threats", "safety threat record", lambda r: f"of drill {r['drill_id']}"),
                ("quality_actions", "corrective action", lambda r: f"owner {r['owner_staff_id']}"),
                ("quality_action_updates", "status change of an action",
                 lambda r: f"{r['status']} of action {r['action_id']}"),
                ("quality_decisions", "PDCA decision", lambda r: f"{r['decision']} for {r['quarter']}")):
            for r in _rows(archive, f"SELECT * FROM {table}"):
                check(table, f"{label} {r['id']} ({what(r)})", str(r["id"]), row_sha256(r))
    if archive.schema_version >= CASES_VERSION:
        for r in _rows(archive, "SELECT * FROM real_cases"):
            check("real_cases", f"real case {r['id']} ({r['case_ref']})", str(r["id"]), row_sha256(r))
        for r in _rows(archive, "SELECT * FROM real_case_indicators"):
            check("real_case_indicators", f"indicator result of a real case {r['id']} "
                                          f"({r['indicator_id']} of case {r['case_id']})",
                  str(r["id"]), row_sha256(r))
    if archive.schema_version >= WITHDRAWALS_VERSION:
        for r in _rows(archive, "SELECT * FROM real_case_withdrawals"):
            check("real_case_withdrawals", f"withdrawal of a real case {r['id']} (of case "
                                           f"{r['case_id']})", str(r["id"]), row_sha256(r))
    from simtool.store import exam as _exam
    _exam.verify_rows(archive, check)
    if archive.schema_version >= MEDIA_VERSION:
        for r in _rows(archive, "SELECT * FROM media ORDER BY id"):
            check("media", f"attached video {r['id']} (of drill {r['drill_id']}, "
                           f"{r['label'] or r['original_name']})", str(r["id"]), row_sha256(r))
    names = dict(NAMES) | _exam.NAMES
    if full:
        for table in ("trainees", "examiners"):
            for r in _rows(archive, f"SELECT * FROM {table}"):
                check(table, f"{NAMES[table]} {r['id']}", str(r["id"]), person_record_sha256(r))
        keys = set()
        for r in _rows(archive, "SELECT key, value FROM meta"):
            keys.add(r["key"])
            check("meta", f"setting {r['key']}", str(r["key"]), row_sha256(r))
        # every archive is created with these (schema 1 and 4); without them and their audit
        # rows, the records were deleted wholesale — an emptied archive is not a new one
        for key in REQUIRED_SETTINGS - keys:
            problems.add("meta missing", f"setting {key}: missing (every archive has it; the "
                                         f"archive's records were deleted or emptied)")
        _kept(archive, check)
    else:
        for table in ("trainees", "examiners", "meta", "drill_indicators"):
            names.pop(table)
    for (table, rid), (seq, _sha) in latest.items():
        if (table, rid) not in seen and table in names:
            problems.add(f"{table} missing", f"{names[table]} {rid}: missing (deleted after it was "
                                             f"written; audit row {seq})")


def _logbook(archive: "Archive", problems: _Problems,
             check: Callable[[str, str, str, str], None], seen: set[tuple[str, str]]) -> None:
    """Logbook entries, their countersignatures and exam results against their audit rows;
    a countersigned entry also against the hash it was signed with."""
    signed = {r["entry_id"]: r for r in _rows(archive, "SELECT * FROM logbook_signatures")}
    for r in _rows(archive, "SELECT * FROM logbook_entries"):
        digest = row_sha256(r)
        sig = signed.get(r["id"])
        if sig is not None and sig["entry_sha256"] != digest:
            seen.add(("logbook_entries", str(r["id"])))
            problems.add("signed", f"logbook entry {r['id']}: signed record changed (of trainee "
                                   f"{r['trainee_id']}, countersigned {sig['at']})")
        else:
            check("logbook_entries", f"logbook entry {r['id']} (of trainee {r['trainee_id']})",
                  str(r["id"]), digest)
    for r in signed.values():
        check("logbook_signatures", f"countersignature {r['id']} (of logbook entry "
                                    f"{r['entry_id']})", str(r["id"]), row_sha256(r))
    for r in _rows(archive, "SELECT * FROM exam_results"):
        check("exam_results", f"exam result {r['id']} ({r['exam']} of trainee {r['trainee_id']})",
              str(r["id"]), row_sha256(r))
    if archive.schema_version < 12:
        return
    for r in _rows(archive, "SELECT * FROM logbook_changes"):
        what = "correction" if r["kind"] == "correct" else "withdrawal"
        label = f"{what} {r['id']} (of logbook entry {r['entry_id']})"
        check("logbook_changes", label, str(r["id"]), row_sha256(r))
        if r["entry_id"] in signed:   # the triggers refuse it: only a file edited behind simtool's back
            problems.add("signed", f"{label}: the entry is countersigned; a signed entry cannot "
                                   f"be corrected or withdrawn")


def _kept(archive: "Archive", check: Callable[[str, str, str, str], None]) -> None:
    """Kept indicator results, one set per drill: the kept row and its result rows."""
    kept = {r["drill_id"]: r for r in _rows(archive, "SELECT * FROM drill_indicators_kept")}
    results: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in _rows(archive, "SELECT * FROM drill_indicators ORDER BY rowid_order"):
        results[r["drill_id"]].append(r)
    for did in sorted(set(kept) | set(results)):
        check("drill_indicators", f"indicator results of drill {did}", did,
              indicators_record_sha256(kept.get(did, {}), results.get(did, [])))


def _texts_and_guards(archive: "Archive", problems: _Problems, full: bool = True) -> None:
    for sha, kind, text in archive._conn.execute("SELECT sha256, kind, text FROM texts"):
        if sha256_hex(text) != sha:
            problems.add("text", f"{kind} text {sha[:12]}: changed (hash does not match)")
    present = {r[0]: r[1] for r in archive._conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}
    expected = _expected_triggers()
    for name in GUARDS + (GUARDS_4 if full else ()) + \
            (GUARDS_5 if archive.schema_version >= 5 else ()) + \
            (GUARDS_6 if archive.schema_version >= 6 else ()) + \
            (GUARDS_7 if archive.schema_version >= 7 else ()) + \
            (GUARDS_8 if archive.schema_version >= 8 else ()) + \
            (GUARDS_11 if archive.schema_version >= 11 else ()) + \
            (GUARDS_12 if archive.schema_version >= 12 else ()) + \
            (GUARDS_MEDIA if archive.schema_version >= MEDIA_VERSION else ()) + \
            (GUARDS_CASES if archive.schema_version >= CASES_VERSION else ()) + \
            (GUARDS_WITHDRAWALS if archive.schema_version >= WITHDRAWALS_VERSION else ()) + \
            (GUARDS_QUALITY if archive.schema_version >= QUALITY_VERSION else ()) + \
            _exam_guards(archive):
        if name not in present:
            problems.add("trigger", f"guard trigger {name} is missing (dropped behind simtool's back)")
        elif name in expected and _plain(present[name]) != _plain(expected[name]):
            problems.add("trigger", f"guard trigger {name} was replaced by another one (it is "
                                    f"not simtool's; changed behind simtool's back)")


def _exam_guards(archive: "Archive") -> tuple[str, ...]:
    """The exam tables' guards, once the archive has them (``simtool.store.exam``)."""
    from simtool.store import exam
    return exam.GUARDS if exam.has_exams(archive) else ()


def _plain(sql: str | None) -> str:
    return " ".join((sql or "").split())


@functools.lru_cache(maxsize=1)
def _expected_triggers() -> dict[str, str]:
    """The guard triggers exactly as simtool's migrations create them (an in-memory archive)."""
    from sqlite_utils import Database

    from simtool.store import schema
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        schema.migrate(Database(conn), 0)
        return {r[0]: r[1] for r in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}
    finally:
        conn.close()
