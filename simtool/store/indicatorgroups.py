"""Indicator results summed by group, so a department report does not read every drill's rows.

A quality report groups the kept indicator results (``drill_indicators``, one row per drill and
indicator) by scenario × quarter, for all departments and for each department. At 100,000
drills those are about 1.3 million rows: reading them into Python alone takes seconds. This
module keeps, per scenario × quarter × site × department (``''`` for all departments) and
indicator, what a report needs — how many drills, how many the indicator applied to and met,
its targets and the sorted times — so a report reads a few thousand rows (schema 13,
``indicator_groups``).

It is derived data, like the kept results it sums: never part of the record, never audited,
recomputable at any time. Triggers mark a scenario × quarter *stale* whenever anything it sums
may have changed — a drill's kept results written again, a drill discarded, a drill's status,
start, scenario, site or department changed — whatever code path does it; the next report
sums the stale ones again first (a few hundred drills each) and, on an archive it cannot
write, sums them in memory for itself. The upgrade to format 13 sums every quarter once.

A report whose dates do not fall on quarter boundaries reads the kept rows instead
(``simtool.store.analytics.indicators_report``): a group here is a whole quarter.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import Any

# a drill's quarter, in SQL, as ``analytics.quarter_of`` computes it in Python
QUARTER_SQL = ("substr({s}, 1, 4) || '-Q' || ((CAST(substr({s}, 6, 2) AS INTEGER) - 1) / 3 + 1)")
_SEP = "\x1f"    # analytics._SEP: departments in a kept row
ALL = ""         # the department (or site) key of "every department"
MEMBERS = ""     # the indicator key of the row that counts a group's drills


def _q(column: str) -> str:
    return QUARTER_SQL.format(s=column)


def triggers() -> list[str]:
    """The triggers that mark a scenario × quarter stale (schema 13)."""
    mark = ("INSERT OR IGNORE INTO indicator_groups_stale (scenario_id, quarter) "
            "SELECT scenario_id, " + _q("started_at") + " FROM drills WHERE id = {ref}.drill_id")
    out = []
    for table, when in (("drill_indicators_kept", "INSERT"), ("drill_indicators_kept", "UPDATE"),
                        ("drill_indicators_kept", "DELETE"), ("discards", "INSERT")):
        ref = "OLD" if when == "DELETE" else "NEW"
        out.append(f"CREATE TRIGGER {table}_{when.lower()}_groups AFTER {when} ON {table} "
                   f"BEGIN {mark.format(ref=ref)}; END")
    for ref in ("OLD", "NEW"):
        out.append(
            f"CREATE TRIGGER drills_groups_{ref.lower()} AFTER UPDATE OF status, started_at, "
            f"scenario_id, site, department ON drills BEGIN "
            f"INSERT OR IGNORE INTO indicator_groups_stale (scenario_id, quarter) "
            f"VALUES ({ref}.scenario_id, {_q(ref + '.started_at')}); END")
    return out


def create(conn: Any) -> None:
    """The tables and triggers of schema 13 (empty: ``refresh`` fills them)."""
    for sql in [
        "CREATE TABLE indicator_groups (scenario_id TEXT NOT NULL, quarter TEXT NOT NULL, "
        "site TEXT NOT NULL, department TEXT NOT NULL, indicator_id TEXT NOT NULL, "
        "position INTEGER NOT NULL, drills INTEGER NOT NULL, rows INTEGER NOT NULL, "
        "applies INTEGER NOT NULL, met INTEGER NOT NULL, targets TEXT NOT NULL, "
        "seconds TEXT NOT NULL, "
        "PRIMARY KEY (scenario_id, quarter, site, department, indicator_id)) WITHOUT ROWID",
        "CREATE INDEX indicator_groups_quarter ON indicator_groups (quarter)",
        "CREATE TABLE indicator_groups_stale (scenario_id TEXT NOT NULL, quarter TEXT NOT NULL, "
        "PRIMARY KEY (scenario_id, quarter)) WITHOUT ROWID",
        *triggers(),
    ]:
        conn.execute(sql)
    # every scenario × quarter that has a drill: summed by the first refresh (the upgrade)
    conn.execute("INSERT OR IGNORE INTO indicator_groups_stale (scenario_id, quarter) "
                 f"SELECT DISTINCT scenario_id, {_q('started_at')} FROM drills")


def _quarter_bounds(quarter: str) -> tuple[str, str]:
    year, q = int(quarter[:4]), int(quarter[-1])
    start = date(year, 3 * q - 2, 1)
    end = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
    return start.isoformat(), end.isoformat()


Key = tuple[str, str, str, str, str]   # scenario, quarter, site, department, indicator


def _sum(conn: Any, finished: str, scenario_id: str, quarter: str) -> list[tuple[Any, ...]]:
    """The rows of ``indicator_groups`` for one scenario × quarter, from the kept results."""
    lo, hi = _quarter_bounds(quarter)
    rows = conn.execute(
        f"SELECT d.id, COALESCE(d.site, ''), k.departments, i.indicator_id, i.seconds, "
        f"i.target_s, i.met FROM drills d JOIN drill_indicators_kept k ON k.drill_id = d.id "
        f"LEFT JOIN drill_indicators i ON i.drill_id = d.id "
        f"WHERE d.scenario_id = ? AND d.started_at >= ? AND d.started_at < ? AND {finished} "
        f"ORDER BY d.id, i.rowid_order", (scenario_id, lo, hi))
    members: dict[tuple[str, str], int] = {}
    groups: dict[tuple[str, str], dict[str, list[Any]]] = {}
    for (_did, site, depts), results in groupby(rows, key=lambda r: r[:3]):
        keys = [(site, ALL)] + [(site, d) for d in sorted(set(depts.split(_SEP))) if d]
        per = [groups.setdefault(k, {}) for k in keys]
        for k in keys:
            members[k] = members.get(k, 0) + 1
        for *_, ind, seconds, target, met in results:
            if ind is None:
                continue   # a drill without indicators: counted, nothing to sum
            for g in per:
                acc = g.get(ind)
                if acc is None:
                    acc = g[ind] = [len(g), 0, 0, 0, set(), []]
                acc[1] += 1
                acc[4].add(target)
                if met is not None:
                    acc[2] += 1
                    acc[3] += bool(met)
                    if seconds is not None:
                        acc[5].append(seconds)
    out: list[tuple[Any, ...]] = []
    for (site, dept), n in members.items():
        out.append((scenario_id, quarter, site, dept, MEMBERS, -1, n, 0, 0, 0, "[]", "[]"))
        for ind, (pos, nrows, applies, met, targets, secs) in groups.get((site, dept), {}).items():
            out.append((scenario_id, quarter, site, dept, ind, pos, n, nrows, applies, met,
                        json.dumps(sorted(targets)), json.dumps(sorted(secs))))
    return out


def refresh(conn: Any, finished: str, *, write: bool = True,
            progress: Callable[[int, int], None] | None = None) -> dict[tuple[str, str], list[tuple[Any, ...]]]:
    """Sum every stale scenario × quarter again. With ``write`` (inside the caller's
    transaction) the sums replace the stored ones and the quarters are no longer stale;
    without it (an archive opened read-only) nothing is written and the fresh sums are
    returned for the caller to use instead of the stored ones."""
    stale = conn.execute("SELECT scenario_id, quarter FROM indicator_groups_stale "
                         "ORDER BY quarter, scenario_id").fetchall()
    fresh: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    for i, (scenario_id, quarter) in enumerate(stale):
        rows = _sum(conn, finished, scenario_id, quarter)
        if write:
            conn.execute("DELETE FROM indicator_groups WHERE scenario_id = ? AND quarter = ?",
                         (scenario_id, quarter))
            conn.executemany("INSERT INTO indicator_groups VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            conn.execute("DELETE FROM indicator_groups_stale WHERE scenario_id = ? AND quarter = ?",
                         (scenario_id, quarter))
        else:
            fresh[(scenario_id, quarter)] = rows
        if progress is not None and (i % 50 == 49 or i == len(stale) - 1):
            progress(i + 1, len(stale))
    return fresh


def quarter_range(from_date: date | datetime | None,
                  to_date: date | datetime | None) -> tuple[str | None, str | None] | None:
    """The first and last quarter a report's dates cover when they fall on quarter
    boundaries (``from`` the first day of a quarter, ``to`` the last day of one, both whole
    UTC days; either may be open), else None: the report cannot be read from whole quarters."""
    def day(value: date | datetime) -> date | None:
        if isinstance(value, datetime):
            return None
        return value
    lo = hi = None
    if from_date is not None:
        d = day(from_date)
        if d is None or d.day != 1 or d.month not in (1, 4, 7, 10):
            return None
        lo = f"{d.year}-Q{(d.month - 1) // 3 + 1}"
    if to_date is not None:
        d = day(to_date)
        if d is None:
            return None
        nxt = d + timedelta(days=1)
        if nxt.day != 1 or nxt.month not in (1, 4, 7, 10):
            return None
        lo_of_next = f"{nxt.year}-Q{(nxt.month - 1) // 3 + 1}"
        y, q = int(lo_of_next[:4]), int(lo_of_next[-1])
        hi = f"{y - (q == 1)}-Q{4 if q == 1 else q - 1}"
    return lo, hi


def read(conn: Any, lo: str | None, hi: str | None, *, site: str | None,
         department: str | None,
         fresh: dict[tuple[str, str], list[tuple[Any, ...]]]) -> Iterable[tuple[Any, ...]]:
    """The stored rows of quarters ``lo``..``hi`` (and those summed just now in ``fresh``,
    in place of the stored ones) of a site (every site when None) and of every department
    plus, with ``department``, that department's only."""
    where, params = ["1"], []
    if lo is not None:
        where.append("quarter >= ?")
        params.append(lo)
    if hi is not None:
        where.append("quarter <= ?")
        params.append(hi)
    if site is not None:
        where.append("site = ?")
        params.append(site)
    if department is not None:
        where.append("department = ?")
        params.append(department)
    stored = conn.execute(f"SELECT * FROM indicator_groups WHERE {' AND '.join(where)}", params)

    def keep(row: tuple[Any, ...]) -> bool:
        return ((lo is None or row[1] >= lo) and (hi is None or row[1] <= hi)
                and (site is None or row[2] == site)
                and (department is None or row[3] == department))
    for row in stored:
        if (row[0], row[1]) not in fresh:
            yield row
    for rows in fresh.values():
        yield from (r for r in rows if keep(r))
