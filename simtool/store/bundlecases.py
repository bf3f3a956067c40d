"""Real cases in bundles (format 4): ``cases.json`` beside the drills (``bundle``).

Which cases travel. A bundle carries the real cases of the sites it exports, with their
withdrawals (a withdrawn case travels withdrawn): with ``all_cases`` (``simtool bundle export``
without ``--drill``) every case of the archive, also those of a site with no drill; otherwise
every case whose site is a site of the drills exported (a drill without a site: the cases
without one). As the logbook travels whole with the people of the drills, not only the entries
beside them, the cases travel whole with their sites: a department gathering its sites'
archives loses none, and a filtered export never leaves out a case of a site it sends.

``cases.json``: ``{"scenario_texts": {sha256: text}, "cases": [CASE], "withdrawals":
[CASE_WITHDRAWAL]}`` (``bundlecheck``): each case's row as kept (``uid``, ``case_ref``,
scenario, date, site, department, duration, weight, ``at``, ``by``), its timeline as a list and
its indicator results in order, as judged where it was entered, with the exact scenario text
they were judged with. An anonymised bundle passes them through ``anonymize.anonymize_cases``.

Import, keyed by the case's ``uid`` (made once, when the case was entered): a case already
here with the same content is skipped (importing twice adds nothing); one with the same uid
and other content is refused with one sentence, never overwritten. A case whose reference
this archive already keeps for another case (two sites both numbered ``RC-20250403-1``) is
kept under ``bundlecheck.renamed_ref`` — the reference with a code of its uid, the same in
every archive — and said so: refusing it would lose a record. Each row is written with its
audit row (op ``import``), so ``simtool verify`` passes; the cases' indicator figures are read
row by row (``store.cases.cases_indicators_report``; no sums kept), so ``stats indicators
--source cases`` counts them at once. A withdrawal of a case not withdrawn here is added; one
withdrawn here already keeps this archive's withdrawal.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from simtool.store.bundlecheck import (CASE, CASE_INDICATOR, CASE_WITHDRAWAL, pick, renamed_ref)
from simtool.store.errors import ArchiveError, BundleError
from simtool.store.hashing import row_sha256

if TYPE_CHECKING:
    from simtool.store.archive import Archive
    from simtool.store.bundle import ImportReport

_ROW = tuple(k for k in CASE if k not in ("timeline", "indicators"))
_CASE_TABLES = ("real_cases", "real_case_indicators", "real_case_withdrawals")


def _has(archive: "Archive") -> tuple[bool, bool]:
    from simtool.store.cases import has_cases, has_withdrawals
    return has_cases(archive), has_withdrawals(archive)


def _record(archive: "Archive", row: dict[str, Any]) -> dict[str, Any]:
    """One kept case as a bundle carries it (the fields ``CASE`` declares)."""
    indicators = [{**pick({"id": r["indicator_id"], "seconds": r["seconds"],
                           "target_s": r["target_s"]}, CASE_INDICATOR),
                   **({} if r["met"] is None else {"met": bool(r["met"])})}
                  for r in archive.db.query("SELECT * FROM real_case_indicators WHERE case_id = ? "
                                            "ORDER BY position, id", [row["id"]])]
    return {**pick(row, {k: CASE[k] for k in _ROW}), "timeline": json.loads(row["timeline"]),
            "indicators": indicators}


def cases_document(archive: "Archive", sites: set[str | None] | None) -> dict[str, Any] | None:
    """The real cases of ``sites`` (None: every case) with their withdrawals and scenario
    texts, as a bundle carries them; None when there are none."""
    cases_ok, withdrawals_ok = _has(archive)
    if not cases_ok or sites is not None and not sites:
        return None
    rows = [r for r in archive.db.query("SELECT * FROM real_cases ORDER BY id")
            if sites is None or r["site"] in sites]
    if not rows:
        return None
    texts = {r["scenario_sha256"]: archive._one("SELECT text FROM texts WHERE sha256 = ?",
                                                r["scenario_sha256"]) for r in rows}
    missing = sorted(sha for sha, t in texts.items() if t is None)
    if missing:
        raise BundleError(f"the scenario text {missing[0][:12]} of a real case is missing from "
                          f"the archive {archive.path} (run simtool verify); no bundle was written")
    uids = {r["id"]: r["uid"] for r in rows}
    withdrawals = []
    if withdrawals_ok:
        withdrawals = [{**pick(w, {k: CASE_WITHDRAWAL[k] for k in ("reason", "at", "by")}),
                        "case_uid": uids[w["case_id"]]}
                       for w in archive.db.query("SELECT * FROM real_case_withdrawals ORDER BY id")
                       if w["case_id"] in uids]
    return {"scenario_texts": {sha: t["text"] for sha, t in sorted(texts.items()) if t},
            "cases": [_record(archive, r) for r in rows], "withdrawals": withdrawals}


# --- import --------------------------------------------------------------------------------------
def check_archive(archive: "Archive", doc: dict[str, Any] | None, path: Any) -> None:
    """Before anything is written: an archive too old to keep real cases refuses the bundle."""
    if doc is None or not (doc["cases"] or doc["withdrawals"]):
        return
    cases_ok, withdrawals_ok = _has(archive)
    if not cases_ok or (doc["withdrawals"] and not withdrawals_ok):
        raise BundleError(f"the archive {archive.path} is in an older format without real cases; "
                          f"open it with this simtool to upgrade it, then import {path}")


def _same_ref(kept: str, given: str, uid: str) -> bool:
    """The bundle's reference names the kept case: the same, or one of them the other kept
    under ``renamed_ref`` (here, or in the archive the bundle comes from)."""
    return kept == given or kept == renamed_ref(given, uid) or given == renamed_ref(kept, uid)


def _clean(case: dict[str, Any]) -> dict[str, Any]:
    """A bundle's case with its null fields left out (a null is a missing field), as an export
    writes it."""
    return {**{k: v for k, v in case.items() if v is not None},
            "indicators": [{k: v for k, v in r.items() if v is not None} for r in case["indicators"]]}


def insert_imported(archive: "Archive", table: str, row: dict[str, Any], now: str,
                    tables: tuple[str, ...] = _CASE_TABLES) -> int:
    """One imported row with fixed columns (the bundle's field names, checked against
    ``bundlecheck``) into one of ``tables``, and its audit row, op import (real cases here,
    the logbook in ``bundle``)."""
    assert table in tables and all(c.isidentifier() for c in row)
    seq, prev = archive._reserve_audit()
    cur = archive._conn.execute(
        f"INSERT INTO {table} ({', '.join(row)}, audit_seq) VALUES ({', '.join('?' * (len(row) + 1))})",
        (*row.values(), seq))
    stored = archive._one(f"SELECT * FROM {table} WHERE id = ?", cur.lastrowid)
    assert stored is not None
    archive._write_audit(seq, prev, "import", table, str(stored["id"]), row_sha256(stored), now)
    return int(stored["id"])


def _key(case: dict[str, Any], timeline: str) -> tuple[Any, ...]:
    return (case["scenario_id"], case["date"], case.get("site"), case.get("department"), timeline)


def _current(archive: "Archive") -> dict[tuple[Any, ...], str]:
    """The cases kept here and not withdrawn by what makes two entries of one case the same
    (``store.cases.same_case``): read once, not once per case imported."""
    _, withdrawals_ok = _has(archive)
    current = " WHERE id NOT IN (SELECT case_id FROM real_case_withdrawals)" if withdrawals_ok else ""
    out: dict[tuple[Any, ...], str] = {}
    for r in archive.db.query(f"SELECT case_ref, scenario_id, date, site, department, timeline "
                              f"FROM real_cases{current} ORDER BY id"):
        out.setdefault(_key(r, r["timeline"]), r["case_ref"])
    return out


def import_cases(archive: "Archive", doc: dict[str, Any], report: "ImportReport") -> None:
    """The bundle's real cases and withdrawals (inside the import's transaction), each case
    whole or not at all."""
    from simtool.store.cases import timeline_json
    now = archive._now()
    added = present = 0
    local: dict[str, int] = {}
    twins = _current(archive)
    for c in doc["cases"]:
        c = _clean(c)
        label = f"real case {c['case_ref']}"
        old = archive._one("SELECT * FROM real_cases WHERE uid = ?", c["uid"])
        if old is not None:
            mine = _record(archive, old)
            if _same_ref(mine["case_ref"], c["case_ref"], c["uid"]) and \
                    {**mine, "case_ref": ""} == {**c, "case_ref": ""}:
                local[c["uid"]], present = int(old["id"]), present + 1
            else:
                report.refused.append((label, f"a different real case with its uid {c['uid']} is "
                                              f"already in the archive (as {old['case_ref']}); it "
                                              f"was not overwritten"))
            continue
        ref = c["case_ref"]
        if archive._one("SELECT id FROM real_cases WHERE case_ref = ?", ref) is not None:
            ref = renamed_ref(ref, c["uid"])
            if archive._one("SELECT id FROM real_cases WHERE case_ref = ?", ref) is not None:
                report.refused.append((label, f"its case reference and {ref} are both kept here "
                                              f"for other cases; it was not imported"))
                continue
            report.notes.append(f"{label} is kept here as {ref}: this archive keeps "
                                f"{c['case_ref']} for another case")
        key = _key(c, timeline_json(c["timeline"]))
        twin = twins.get(key)
        archive._conn.execute("SAVEPOINT bundle_case")
        try:
            archive._conn.execute("INSERT INTO texts (sha256, kind, text) VALUES (?, 'scenario', ?) "
                                  "ON CONFLICT DO NOTHING",
                                  (c["scenario_sha256"], doc["scenario_texts"][c["scenario_sha256"]]))
            row = {k: c.get(k) for k in _ROW}
            row.update(case_ref=ref, timeline=timeline_json(c["timeline"]))
            case_id = insert_imported(archive, "real_cases", row, now)
            for position, r in enumerate(c["indicators"]):
                insert_imported(archive, "real_case_indicators", {
                    "case_id": case_id, "position": position, "indicator_id": r["id"],
                    "seconds": r.get("seconds"), "target_s": r["target_s"],
                    "met": None if r.get("met") is None else int(r["met"])}, now)
        except (sqlite3.IntegrityError, ArchiveError) as exc:
            archive._conn.execute("ROLLBACK TO bundle_case")
            report.refused.append((label, f"its records contradict each other or this archive "
                                          f"({exc}); it was not imported"))
        else:
            local[c["uid"]], added = case_id, added + 1
            twins.setdefault(key, ref)
            if twin is not None:
                report.notes.append(f"{label} has the scenario, date, site, department and "
                                    f"timeline of {twin}, kept here already; if they are one case, "
                                    f"withdraw one (simtool cases withdraw)")
        archive._conn.execute("RELEASE bundle_case")
    withdrawn = same = kept_withdrawn = 0
    for w in doc["withdrawals"]:
        case_id = local.get(w["case_uid"])
        if case_id is None:   # its case was refused: said above
            continue
        old = archive._one("SELECT reason, at, by FROM real_case_withdrawals WHERE case_id = ?", case_id)
        if old is not None:
            if (old["reason"], old["at"], old["by"]) != (w["reason"], w["at"], w.get("by")):
                kept_withdrawn += 1
            else:
                same += 1
            continue
        insert_imported(archive, "real_case_withdrawals", {
            "case_id": case_id, "reason": w["reason"], "at": w["at"], "by": w.get("by")}, now)
        withdrawn += 1
    if doc["cases"]:
        report.notes.append(
            f"real cases: {added} added, {present} already present; withdrawals: {withdrawn} "
            f"added, {same} already present" + (
                f", {kept_withdrawn} of cases withdrawn here already otherwise (this archive's "
                f"withdrawal kept)" if kept_withdrawn else ""))
