"""Real cases beside drills (issue 21): a real PPH, LAST or PAS case's timeline, entered after
the event, kept with the indicator results the scenario's definitions give it.

A case is never a drill. It has its own tables (schema ``add_real_cases``): ``real_cases``
(scenario and the exact scenario text it was judged with, date, site, department, an
anonymous case reference, the timeline as JSON — times, actions, doses, routes, roles; no
names, no free text) and ``real_case_indicators`` (one row per indicator). Both are
append-only, each row with its audit row, and checked by ``simtool verify``. Nothing that
reads drills — indicators, portfolios, exam statistics, bundles, the drill calendar — reads
these tables, so a case can never be counted as a drill by accident.

``cases_indicators_report`` answers in the shape of ``simtool.store.analytics.indicators_report``
(the same distribution and compliance per scenario × quarter × department, from the same
``_summary``), with ``cases`` where the drills' report has ``drills`` and ``"source": "cases"``
on the report and on every group, so a reader can never take the one for the other. What a
case may hold and how its indicators are judged is decided in ``simtool.app.cases``.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

from simtool.store.analytics import _summary, quarter_of
from simtool.store.errors import ArchiveError
from simtool.store.hashing import sha256_hex
from simtool.store.schema import MIGRATIONS, add_real_case_withdrawals, add_real_cases

if TYPE_CHECKING:
    from simtool.core.assess import IndicatorResult
    from simtool.store.archive import Archive

# the archive formats that added real cases and their withdrawals
CASES_VERSION = MIGRATIONS.index(add_real_cases) + 1
WITHDRAWALS_VERSION = MIGRATIONS.index(add_real_case_withdrawals) + 1
CASE_FIELDS = ("case_ref", "scenario_id", "scenario_version", "date", "site", "department",
               "duration_s", "weight_kg")


def has_cases(archive: Archive) -> bool:
    return archive.schema_version >= CASES_VERSION


def has_withdrawals(archive: Archive) -> bool:
    return archive.schema_version >= WITHDRAWALS_VERSION


def _need(archive: Archive) -> None:
    if not has_cases(archive):
        raise ArchiveError(f"the archive {archive.path} is in an older format without real "
                           f"cases; open it with this simtool to upgrade it")


def timeline_json(timeline: list[dict[str, Any]]) -> str:
    """The stored form of a timeline: canonical JSON (sorted keys, no spaces)."""
    return json.dumps(timeline, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def same_case(archive: Archive, fields: dict[str, Any], timeline: list[dict[str, Any]]) -> str | None:
    """The reference of a case already kept with the same scenario, date, site, department
    and timeline (the same file imported twice), else None."""
    if not has_cases(archive):
        return None
    current = ("AND id NOT IN (SELECT case_id FROM real_case_withdrawals) "
               if has_withdrawals(archive) else "")
    row = archive._one(
        "SELECT case_ref FROM real_cases WHERE scenario_id = ? AND date = ? AND site IS ? "
        f"AND department IS ? AND timeline = ? {current}", fields["scenario_id"], fields["date"],
        fields.get("site"), fields.get("department"), timeline_json(timeline))
    return None if row is None else str(row["case_ref"])


def next_case_ref(archive: Archive, day: str) -> str:
    """An anonymous reference for a case entered without one: ``RC-20250403-2``."""
    n = 1
    if has_cases(archive):
        n += int(archive._conn.execute("SELECT count(*) FROM real_cases").fetchone()[0])
    while True:
        ref = f"RC-{day.replace('-', '')}-{n}"
        if not has_cases(archive) or archive._one(
                "SELECT 1 AS x FROM real_cases WHERE case_ref = ?", ref) is None:
            return ref
        n += 1


def add_case(archive: Archive, fields: dict[str, Any], scenario_text: str,
             timeline: list[dict[str, Any]], results: list[IndicatorResult],
             by: str | None = None) -> int:
    """Keep one case (``CASE_FIELDS``), its timeline and its indicator results in one
    transaction, each row with its audit row; the case's id. ArchiveError, nothing written,
    when its case reference is taken or the same case is kept already."""
    _need(archive)
    now, who = archive._now(), by or archive.actor
    sha = sha256_hex(scenario_text)
    with archive.transaction():
        taken = archive._one("SELECT id FROM real_cases WHERE case_ref = ?", fields["case_ref"])
        if taken is not None:
            raise ArchiveError(f"case reference {fields['case_ref']} is already case "
                               f"{taken['id']} in the archive {archive.path}; give another one")
        again = same_case(archive, fields, timeline)
        if again is not None:
            raise ArchiveError(f"this case is already in the archive {archive.path} as "
                               f"{again} (same scenario, date, site, department and timeline)")
        archive._conn.execute("INSERT INTO texts (sha256, kind, text) VALUES (?, 'scenario', ?) "
                              "ON CONFLICT DO NOTHING", (sha, scenario_text))
        row = {k: fields.get(k) for k in CASE_FIELDS}
        row.update(uid=uuid.uuid4().hex, scenario_sha256=sha, timeline=timeline_json(timeline),
                   at=now, by=who)
        case_id = archive._insert_audited("real_cases", row, now, who)
        for position, r in enumerate(results):
            archive._insert_audited("real_case_indicators", {
                "case_id": case_id, "position": position, "indicator_id": r.id,
                "seconds": r.seconds, "target_s": r.target_s,
                "met": None if r.met is None else int(bool(r.met))}, now, who)
    return case_id


def _where(from_date: date | None, to_date: date | None, department: str | None,
           site: str | None, current: bool = False) -> tuple[str, list[Any]]:
    where, params = ["1"], []
    if current:
        where.append("c.id NOT IN (SELECT case_id FROM real_case_withdrawals)")
    for cond, value in (("c.date >= ?", from_date), ("c.date <= ?", to_date),
                        ("c.department = ?", department), ("c.site = ?", site)):
        if value is not None:
            where.append(cond)
            params.append(str(value))
    return " AND ".join(where), params


def cases(archive: Archive, from_date: date | None = None, to_date: date | None = None, *,
          department: str | None = None, site: str | None = None,
          withdrawn: bool = False) -> list[dict[str, Any]]:
    """The cases dated in ``[from_date, to_date]`` (whole days), oldest first, each with its
    indicator results: the ``simtool cases list --json`` objects. A withdrawn case counts
    nowhere: it is listed only with ``withdrawn`` (then with its withdrawal)."""
    if not has_cases(archive):
        return []
    where, params = _where(from_date, to_date, department, site,
                           current=has_withdrawals(archive) and not withdrawn)
    conn = archive._conn
    out: list[dict[str, Any]] = []
    by_id: dict[int, dict[str, Any]] = {}
    for (cid, ref, scenario_id, version, day, site_, dept, duration, weight, timeline,
         at) in conn.execute(
            f"SELECT c.id, c.case_ref, c.scenario_id, c.scenario_version, c.date, c.site, "
            f"c.department, c.duration_s, c.weight_kg, c.timeline, c.at FROM real_cases c "
            f"WHERE {where} ORDER BY c.date, c.id", params):
        item = {"id": cid, "case_ref": ref, "scenario_id": scenario_id,
                "scenario_version": version, "date": day, "quarter": quarter_of(day),
                "site": site_, "department": dept, "duration_s": duration, "weight_kg": weight,
                "timeline": json.loads(timeline), "entered_at": at, "indicators": []}
        out.append(item)
        by_id[cid] = item
    if withdrawn and out and has_withdrawals(archive):
        for cid, reason, at, who in conn.execute(
                "SELECT case_id, reason, at, by FROM real_case_withdrawals"):
            if cid in by_id:
                by_id[cid]["withdrawn"] = {"at": at, "by": who, "reason": reason}
    if out:
        for cid, ind, seconds, target, met in conn.execute(
                f"SELECT i.case_id, i.indicator_id, i.seconds, i.target_s, i.met "
                f"FROM real_case_indicators i JOIN real_cases c ON c.id = i.case_id "
                f"WHERE {where} ORDER BY i.case_id, i.position", params):
            by_id[cid]["indicators"].append({"id": ind, "seconds": seconds, "target_s": target,
                                             "met": None if met is None else bool(met)})
    return out


def find_case(archive: Archive, key: str | int) -> dict[str, Any] | None:
    """A case by its id or its case reference (the row), or None."""
    if not has_cases(archive):
        return None
    row = archive._one("SELECT * FROM real_cases WHERE case_ref = ?", str(key))
    if row is None and str(key).isdigit():
        row = archive._one("SELECT * FROM real_cases WHERE id = ?", int(str(key)))
    return row


def withdraw_case(archive: Archive, key: str | int, reason: str, by: str | None = None) -> dict[str, Any]:
    """Withdraw a case (by id or case reference) with a reason: an append-only, audited row;
    the case stays in the record and counts nowhere. NotFoundError for no such case,
    ArchiveError if it is withdrawn already or the archive is too old; the case's row."""
    from simtool.store.errors import NotFoundError
    _need(archive)
    if not has_withdrawals(archive):
        raise ArchiveError(f"the archive {archive.path} is in an older format without "
                           f"withdrawals of real cases; open it with this simtool to upgrade it")
    now, who = archive._now(), by or archive.actor
    with archive.transaction():
        case = find_case(archive, key)
        if case is None:
            raise NotFoundError(f"no real case {key} in the archive {archive.path}")
        done = archive._one("SELECT at FROM real_case_withdrawals WHERE case_id = ?", case["id"])
        if done is not None:
            raise ArchiveError(f"real case {case['case_ref']} was withdrawn on {done['at'][:10]} "
                               f"already")
        archive._insert_audited("real_case_withdrawals", {
            "case_id": case["id"], "reason": reason, "at": now, "by": who}, now, who)
    return case


def cases_indicators_report(archive: Archive, from_date: date | None = None,
                            to_date: date | None = None, *, department: str | None = None,
                            site: str | None = None, margin_pts: float | None = None) -> dict[str, Any]:
    """Indicator distributions and compliance of real cases by scenario × quarter (department
    null: all departments) and by scenario × quarter × department: the shape of
    ``indicators_report`` — each indicator with its timing and compliance targets and their
    source, the alerts over the cases' own quarters — with ``cases`` for ``drills`` and
    ``source`` on the report and every group."""
    from simtool.store.analytics import _with_targets_and_alerts
    rows = cases(archive, from_date, to_date, department=department, site=site)
    members: dict[tuple[str, str, str | None], int] = {}
    groups: dict[tuple[str, str, str | None], dict[str, list[tuple[Any, Any, Any]]]] = {}
    for c in rows:
        keys = [(c["scenario_id"], c["quarter"], None)]
        if c["department"]:
            keys.append((c["scenario_id"], c["quarter"], c["department"]))
        for key in keys:
            members[key] = members.get(key, 0) + 1
            per = groups.setdefault(key, {})
            for i in c["indicators"]:
                per.setdefault(i["id"], []).append((i["seconds"], i["target_s"], i["met"]))
    out = [{"source": "cases", "scenario_id": k[0], "period": k[1], "department": k[2],
            "cases": members[k],
            "indicators": [{"id": i, **_summary(v)} for i, v in groups[k].items()]}
           for k in sorted(members, key=lambda k: (k[0], k[1], k[2] or ""))]
    report = {"source": "cases", "from": None if from_date is None else str(from_date),
              "to": None if to_date is None else str(to_date), "cases": len(rows), "groups": out}
    # the drills' targets and alert rule, over the cases' own groups (never mixed with drills')
    return _with_targets_and_alerts(archive, report, "quarter", margin_pts)
