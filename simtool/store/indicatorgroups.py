"""Indicator results summed by group, so a department report does not read every drill's rows.

A quality report groups the kept indicator results (``drill_indicators``, one row per drill and
indicator) by scenario × month or quarter, for all departments and for each department. At
100,000 drills those are about 1.3 million rows: reading them into Python alone takes seconds.
This module keeps, per scenario × period × site × department (``''`` for all departments) and
indicator, what a report needs — how many drills, how many the indicator applied to and met,
its targets and the sorted times — so a report reads a few thousand rows (``indicator_groups``).
Schema 13 kept them per quarter; from ``group_indicators_by_month`` (issue 21) a period is a
month (``2025-04``) or a quarter (``2025-Q2``): the month rows are summed from the kept results,
and each quarter's rows are its three months merged (counts added, sorted times merged), kept
beside them so a quarterly report reads as few rows as before and a monthly one as many.

It is derived data, like the kept results it sums: never part of the record, never audited,
recomputable at any time. Triggers mark a scenario × month *stale* whenever anything it sums
may have changed — a drill's kept results written again, a drill discarded, a drill's status,
start, scenario, site or department changed — whatever code path does it; the next report
sums the stale months again first (a hundred drills or so each) and merges their quarters
again, and, on an archive it cannot write, does both in memory for itself. The upgrade sums
every month and quarter once.

A report whose dates do not fall on month boundaries reads the kept rows instead
(``simtool.store.analytics.indicators_report``): a group here is a whole month or quarter.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import Any

# a drill's month (``2025-04``), in SQL, from the UTC start time the archive stores
MONTH_SQL = "substr({s}, 1, 7)"
_SEP = "\x1f"    # analytics._SEP: departments in a kept row
ALL = ""         # the department (or site) key of "every department"
MEMBERS = ""     # the indicator key of the row that counts a group's drills


def _q(column: str) -> str:
    return MONTH_SQL.format(s=column)


def quarter_of_month(month: str) -> str:
    """``2025-04`` → ``2025-Q2``."""
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def triggers() -> list[str]:
    """The triggers that mark a scenario × month stale."""
    mark = ("INSERT OR IGNORE INTO indicator_groups_stale (scenario_id, month) "
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
            f"INSERT OR IGNORE INTO indicator_groups_stale (scenario_id, month) "
            f"VALUES ({ref}.scenario_id, {_q(ref + '.started_at')}); END")
    return out


def create(conn: Any) -> None:
    """The tables and triggers (empty: ``refresh`` fills them; every month with a drill is
    marked stale). ``period`` is a month (``2025-04``) or a quarter (``2025-Q2``)."""
    for sql in [
        "CREATE TABLE indicator_groups (scenario_id TEXT NOT NULL, period TEXT NOT NULL, "
        "site TEXT NOT NULL, department TEXT NOT NULL, indicator_id TEXT NOT NULL, "
        "position INTEGER NOT NULL, drills INTEGER NOT NULL, rows INTEGER NOT NULL, "
        "applies INTEGER NOT NULL, met INTEGER NOT NULL, targets TEXT NOT NULL, "
        "seconds TEXT NOT NULL, "
        "PRIMARY KEY (scenario_id, period, site, department, indicator_id)) WITHOUT ROWID",
        "CREATE INDEX indicator_groups_period ON indicator_groups (period)",
        "CREATE TABLE indicator_groups_stale (scenario_id TEXT NOT NULL, month TEXT NOT NULL, "
        "PRIMARY KEY (scenario_id, month)) WITHOUT ROWID",
        *triggers(),
    ]:
        conn.execute(sql)
    # every scenario × month that has a drill: summed by the first refresh (the upgrade)
    conn.execute("INSERT OR IGNORE INTO indicator_groups_stale (scenario_id, month) "
                 f"SELECT DISTINCT scenario_id, {_q('started_at')} FROM drills")


def current(conn: Any) -> bool:
    """Whether the sums are kept per period (month and quarter), as this simtool reads them."""
    return "period" in {r[1] for r in conn.execute("PRAGMA table_info(indicator_groups)")}


def rebuild_by_month(conn: Any, finished: str,
                     progress: Callable[[int, int], None] | None = None) -> None:
    """The upgrade that keys the sums by month and quarter (issue 21): an archive whose sums
    are kept otherwise (per quarter, as schema 13 was first released) gets the tables again
    and every month and quarter summed, with progress. One already kept so is left as it is."""
    if current(conn):
        return
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%indicator_groups_stale%'")]
    for name in names:
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute("DROP TABLE IF EXISTS indicator_groups")
    conn.execute("DROP TABLE IF EXISTS indicator_groups_stale")
    create(conn)
    refresh(conn, finished, progress=progress)


def _month_bounds(month: str) -> tuple[str, str]:
    year, m = int(month[:4]), int(month[5:7])
    start = date(year, m, 1)
    end = date(year + (m == 12), 1 if m == 12 else m + 1, 1)
    return start.isoformat(), end.isoformat()


Key = tuple[str, str, str, str, str]   # scenario, period, site, department, indicator


def _sum(conn: Any, finished: str, scenario_id: str, month: str) -> list[tuple[Any, ...]]:
    """The rows of ``indicator_groups`` for one scenario × month, from the kept results."""
    lo, hi = _month_bounds(month)
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
        out.append((scenario_id, month, site, dept, MEMBERS, -1, n, 0, 0, 0, "[]", "[]"))
        for ind, (pos, nrows, applies, met, targets, secs) in groups.get((site, dept), {}).items():
            out.append((scenario_id, month, site, dept, ind, pos, n, nrows, applies, met,
                        json.dumps(sorted(targets)), json.dumps(sorted(secs))))
    return out


def _merge(scenario_id: str, quarter: str, months: list[list[tuple[Any, ...]]]) -> list[tuple[Any, ...]]:
    """A quarter's rows from its months' rows: counts added, targets joined, the sorted times
    of each month merged (``heapq.merge``)."""
    acc: dict[tuple[str, str, str], list[Any]] = {}
    for rows in months:
        for _sid, _p, site, dept, ind, pos, drills, nrows, applies, met, targets, secs in rows:
            a = acc.get((site, dept, ind))
            if a is None:
                acc[(site, dept, ind)] = [pos, drills, nrows, applies, met, set(json.loads(targets)),
                                          [json.loads(secs)]]
            else:
                a[0] = min(a[0], pos)
                a[1] += drills
                a[2] += nrows
                a[3] += applies
                a[4] += met
                a[5].update(json.loads(targets))
                a[6].append(json.loads(secs))
    return [(scenario_id, quarter, site, dept, ind, a[0], a[1], a[2], a[3], a[4],
             json.dumps(sorted(a[5])), json.dumps(list(heapq.merge(*a[6]))))
            for (site, dept, ind), a in acc.items()]


def _months_of(quarter: str) -> list[str]:
    y, q = quarter[:4], int(quarter[-1])
    return [f"{y}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1)]


def refresh(conn: Any, finished: str, *, write: bool = True,
            progress: Callable[[int, int], None] | None = None) -> dict[tuple[str, str], list[tuple[Any, ...]]]:
    """Sum every stale scenario × month again, and merge the quarters they are in again. With
    ``write`` (inside the caller's transaction) the sums replace the stored ones and the
    months are no longer stale; without it (an archive opened read-only) nothing is written
    and the fresh sums (by scenario and period) are returned for the caller to use instead of
    the stored ones."""
    stale = conn.execute("SELECT scenario_id, month FROM indicator_groups_stale "
                         "ORDER BY month, scenario_id").fetchall()
    fresh: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    quarters: set[tuple[str, str]] = set()
    for i, (scenario_id, month) in enumerate(stale):
        rows = _sum(conn, finished, scenario_id, month)
        quarters.add((scenario_id, quarter_of_month(month)))
        if write:
            conn.execute("DELETE FROM indicator_groups WHERE scenario_id = ? AND period = ?",
                         (scenario_id, month))
            conn.executemany("INSERT INTO indicator_groups VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            conn.execute("DELETE FROM indicator_groups_stale WHERE scenario_id = ? AND month = ?",
                         (scenario_id, month))
        else:
            fresh[(scenario_id, month)] = rows
        if progress is not None and (i % 50 == 49 or i == len(stale) - 1):
            progress(i + 1, len(stale))
    for scenario_id, quarter in sorted(quarters):
        months = [fresh[(scenario_id, m)] if (scenario_id, m) in fresh else conn.execute(
                      "SELECT * FROM indicator_groups WHERE scenario_id = ? AND period = ?",
                      (scenario_id, m)).fetchall()
                  for m in _months_of(quarter)]
        rows = _merge(scenario_id, quarter, months)
        if write:
            conn.execute("DELETE FROM indicator_groups WHERE scenario_id = ? AND period = ?",
                         (scenario_id, quarter))
            conn.executemany("INSERT INTO indicator_groups VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        else:
            fresh[(scenario_id, quarter)] = rows
    return fresh


def quarter_range(from_date: date | datetime | None,
                  to_date: date | datetime | None) -> tuple[str | None, str | None] | None:
    """The first and last quarter a report's dates cover when they fall on quarter
    boundaries (``from`` the first day of a quarter, ``to`` the last day of one, both whole
    UTC days; either may be open), else None: the report cannot be read from whole quarters."""
    months = month_range(from_date, to_date)
    if months is None:
        return None
    lo, hi = months
    if lo is not None and int(lo[5:7]) % 3 != 1:
        return None
    if hi is not None and int(hi[5:7]) % 3 != 0:
        return None
    return (None if lo is None else quarter_of_month(lo)), (None if hi is None else quarter_of_month(hi))


def month_range(from_date: date | datetime | None,
                to_date: date | datetime | None) -> tuple[str | None, str | None] | None:
    """The first and last month a report's dates cover when they fall on month boundaries
    (``from`` the first day of a month, ``to`` the last day of one, both whole UTC days;
    either may be open), else None: the report cannot be read from whole months. (A report
    by quarter over months that do not make whole quarters groups what they hold by quarter,
    as the rows would.)"""
    lo = hi = None
    if from_date is not None:
        if isinstance(from_date, datetime) or from_date.day != 1:
            return None
        lo = f"{from_date.year:04d}-{from_date.month:02d}"
    if to_date is not None:
        if isinstance(to_date, datetime):
            return None
        nxt = to_date + timedelta(days=1)
        if nxt.day != 1:
            return None
        hi = f"{to_date.year:04d}-{to_date.month:02d}"
    return lo, hi


def read(conn: Any, lo: str | None, hi: str | None, *, site: str | None,
         department: str | None, fresh: dict[tuple[str, str], list[tuple[Any, ...]]],
         quarters: bool = False) -> Iterable[tuple[Any, ...]]:
    """The stored rows of months (or, with ``quarters``, of quarters) ``lo``..``hi`` (and
    those summed just now in ``fresh``, in place of the stored ones) of a site (every site
    when None) and of every department plus, with ``department``, that department's only."""
    where, params = ["substr(period, 6, 1) " + ("= 'Q'" if quarters else "!= 'Q'")], []
    for cond, value in (("period >= ?", lo), ("period <= ?", hi), ("site = ?", site),
                        ("department = ?", department)):
        if value is not None:
            where.append(cond)
            params.append(value)
    stored = conn.execute(f"SELECT * FROM indicator_groups WHERE {' AND '.join(where)}", params)

    def keep(row: tuple[Any, ...]) -> bool:
        return ((row[1][5] == "Q") == quarters
                and (lo is None or row[1] >= lo) and (hi is None or row[1] <= hi)
                and (site is None or row[2] == site)
                and (department is None or row[3] == department))
    for row in stored:
        if (row[0], row[1]) not in fresh:
            yield row
    for rows in fresh.values():
        yield from (r for r in rows if keep(r))


def differences(conn: Any, finished: str) -> list[tuple[str, str]]:
    """The scenario × periods whose kept sums differ from the drills' kept results summed now
    (``simtool verify``: a sum edited behind simtool's back would change every report of that
    month or quarter while the record itself verifies). Periods marked stale are skipped: the
    next report sums them again anyway."""
    stale = {tuple(r) for r in conn.execute("SELECT scenario_id, month FROM indicator_groups_stale")}
    stored: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    for row in conn.execute("SELECT * FROM indicator_groups"):
        stored.setdefault((row[0], row[1]), []).append(tuple(row))
    months = {tuple(r) for r in conn.execute(
        f"SELECT DISTINCT scenario_id, {MONTH_SQL.format(s='started_at')} FROM drills")}
    months |= {k for k in stored if "Q" not in k[1]}
    computed: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    bad: list[tuple[str, str]] = []
    for key in sorted(months):
        computed[key] = _sum(conn, finished, *key)
        if key not in stale and sorted(computed[key]) != sorted(stored.get(key, [])):
            bad.append(key)
    quarters = {(sid, quarter_of_month(m)) for sid, m in months} | {k for k in stored if "Q" in k[1]}
    for sid, quarter in sorted(quarters):
        if any((sid, m) in stale for m in _months_of(quarter)):
            continue
        rows = _merge(sid, quarter, [computed.get((sid, m), []) for m in _months_of(quarter)])
        if sorted(rows) != sorted(stored.get((sid, quarter), [])):
            bad.append((sid, quarter))
    return bad


def mark_all_stale(conn: Any) -> None:
    """Every scenario × month with a drill to be summed again by the next report (inside the
    caller's transaction): the repair ``simtool verify`` names when sums differ."""
    conn.execute("DELETE FROM indicator_groups")
    conn.execute("INSERT OR IGNORE INTO indicator_groups_stale (scenario_id, month) "
                 f"SELECT DISTINCT scenario_id, {MONTH_SQL.format(s='started_at')} FROM drills")
