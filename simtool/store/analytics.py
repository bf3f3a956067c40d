"""Department analytics over the archive: quality indicators by scenario, quarter and department,
and one trainee's portfolio. Imports no Qt.

Indicator times come from the stored event rows in one SQL pass, not by replaying drills: the
facts of each record (its marker times, its unretracted end actions in log order, the actions
that drew a flag) are read from the rows and judged by the one indicator rule,
``simtool.core.assess.judge_indicator``, the same function the console and scoring use.

Each drill is judged on the indicators of the scenario text it was started with (stored in the
archive), so editing a scenario file cannot change last year's figures. Only drills that have
ended (stored status ``ended`` or ``signed``) count: a running drill's times are not final.

Each finished drill's results are kept (schema 3, ``drill_indicators_kept`` and
``drill_indicators``) so that a report reads a few small rows per drill instead of rescanning
the event log. From archive format 10 the archive keeps them when the drill ends and again
when an amendment changes its record, in the same transaction (``Archive._before_commit``), and
the upgrade to format 10 computes them for every drill an earlier simtool left without
(``keep_all_missing``, with progress). A report still computes any that are missing — results
kept under an earlier indicator rule, a drill whose end reached the archive through an older
simtool — so a report is never wrong, only slower.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import statistics
from itertools import groupby
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from simtool.core.assess import IndicatorResult, judge_indicator
from simtool.core.scenario import Indicator
from simtool.core.yamlsrc import parse_yaml
from simtool.core.alerts import DEFAULT_DROP_MARGIN_PTS, DROP_MARGIN_SOURCE, alerts
from simtool.store import indicatorgroups, schema, targets
from simtool.store.errors import ArchiveError
from simtool.store.hashing import indicators_record_sha256
from simtool.store.queries import _bound

if TYPE_CHECKING:
    from simtool.store.archive import Archive

FINISHED = ("ended", "signed")
# the kinds of event an indicator result is computed from (``_scan``): another one (a note, a
# vitals display) appended after a drill's end leaves its kept results as they are
AFFECTS_INDICATORS = frozenset({"marker", "action", "retract", "amend", "flag", "unflag"})
# the archive formats from which an amendment after a drill's end, and the end itself, keep
# the drill's indicator results (before 10, the first report after the end computed them)
KEEPS_AMENDED, KEEPS_AT_END = 3, 10
# the archive format from which a report over whole months (or quarters) reads the sums kept
# per scenario × month × site × department (``indicatorgroups``; keyed by quarter before it)
GROUPS_FROM = schema.MIGRATIONS.index(schema.group_indicators_by_month) + 1
PERIODS = ("quarter", "month")


@dataclass(frozen=True)
class DrillIndicators:
    """One drill's indicator results, with what it is grouped by."""

    drill_id: str
    scenario_id: str
    started_at: str
    quarter: str
    departments: tuple[str, ...]
    results: tuple[IndicatorResult, ...]


def quarter_of(started_at: str) -> str:
    """``2025-04-03T…`` → ``2025-Q2`` (the UTC start time the archive stores)."""
    return f"{started_at[:4]}-Q{(int(started_at[5:7]) - 1) // 3 + 1}"


@functools.lru_cache(maxsize=64)
def indicators_of_text(text: str) -> tuple[Indicator, ...]:
    """The ``indicators:`` of a stored scenario text (validated as the scenario loader does).
    Remembered per text: a drill's end keeps its results without reading its scenario again."""
    # the text came from the archive, perhaps from an imported bundle: read it with every
    # limit a scenario file gets (nesting, aliases), never with a bare YAML loader
    src, problems = parse_yaml(text, "an archived scenario text")
    data = src.data if src is not None else None
    if not isinstance(data, dict):
        why = problems[0].message if problems else "not a mapping"
        raise ArchiveError(f"an archived scenario text cannot be read ({why})")
    plain = json.loads(json.dumps(data.get("indicators") or [], default=str))
    try:
        return tuple(Indicator.model_validate(d) for d in plain)
    except ValidationError as exc:
        raise ArchiveError(f"an archived scenario text has indicators this simtool cannot read "
                           f"({exc.errors()[0]['msg']})") from exc


def _token(key: str, value: str) -> str:
    """How ``key: value`` reads in an event row's canonical JSON (``hashing.canonical_json``)."""
    return json.dumps({key: value}, separators=(",", ":"), ensure_ascii=False)[1:-1]


def drill_indicators(archive: Archive, from_date: date | datetime | None = None,
                     to_date: date | datetime | None = None, *,
                     drill_ids: Sequence[str] | None = None,
                     finished_only: bool = True, department: str | None = None,
                     site: str | None = None) -> list[DrillIndicators]:
    """Indicator results of the ended drills started in ``[from_date, to_date]`` (dates are
    whole UTC days, as in ``drills_in``), or of ``drill_ids``; oldest first.

    A finished drill's results are kept (schema 3, ``drill_indicators``) the first time they
    are computed — a finished drill's record no longer changes — so later reports read a few
    small rows per drill instead of rescanning the event log."""
    if not finished_only:
        return _scan(archive, from_date, to_date, drill_ids=drill_ids, finished_only=False)
    where, params = _where(from_date, to_date, drill_ids, department, site)
    fresh = _ensure_kept(archive, where, params)
    departments = _departments(archive, where, params)
    per: dict[str, list[IndicatorResult]] = {}
    drills: list[tuple[str, str, str]] = []
    for did, scenario_id, started, ind, seconds, target, met in _kept_rows(archive, where, params):
        if did not in per:
            per[did] = []
            drills.append((did, scenario_id, started))
        if ind is not None:
            per[did].append(IndicatorResult(ind, seconds, target, None if met is None else bool(met)))
    out = []
    for did, scenario_id, started in drills:
        if did in fresh:
            out.append(fresh[did])
        else:
            out.append(DrillIndicators(did, scenario_id, started, quarter_of(started),
                                       tuple(sorted(departments.get(did, ()))), tuple(per[did])))
    return out


_SEP = "\x1f"
_FINISHED_SQL = f"d.status IN ({', '.join(repr(s) for s in FINISHED)})"


def _finished(archive: Archive) -> str:
    """SQL for a finished drill that was not discarded (a discarded drill counts nowhere)."""
    if archive.schema_version >= 5:
        return f"{_FINISHED_SQL} AND d.id NOT IN (SELECT drill_id FROM discards)"
    return _FINISHED_SQL


def _ensure_kept(archive: Archive, where: str, params: list[Any]) -> dict[str, DrillIndicators]:
    """Compute and keep the results of finished drills not kept yet (or kept for another
    scenario text); returns those computed now."""
    conn = archive._conn
    missing = [r[0] for r in conn.execute(
        f"SELECT d.id FROM drills d LEFT JOIN drill_indicators_kept k ON k.drill_id = d.id "
        f"WHERE {where} AND {_finished(archive)} AND (k.drill_id IS NULL OR "
        f"k.scenario_sha256 != d.scenario_sha256 || ?)", [*params, KEPT_SUFFIX]).fetchall()]
    if not missing:
        return {}
    fresh = {d.drill_id: d for d in _scan(archive, drill_ids=missing)}
    try:
        _write_kept(archive, fresh)
    except ArchiveError:
        pass  # a read-only or busy archive still gets its report, just not kept
    return fresh


def keep_indicators(archive: Archive, *drill_ids: str) -> None:
    """Compute again and keep the indicator results of finished drills (one that ended, one
    whose record an amendment changed after its end); inside the caller's transaction if there
    is one. The archive calls it itself before committing such a change (format 10 on)."""
    fresh = {d.drill_id: d for d in _scan(archive, drill_ids=list(drill_ids))}
    _write_kept(archive, fresh)


# Progress of a long step: (step, done, total); step "indicators" is the kept results of an
# upgrade. A window shows it as a progress dialog, the command line as a line on stderr.
Progress = Callable[[str, int, int], None]
MIGRATION_BATCH = 2000


class _Rows:
    """What ``_scan`` reads, over a bare connection (the upgrade runs before the ``Archive``
    exists): the connection and the format its tables are in."""

    def __init__(self, conn: Any, schema_version: int) -> None:
        self._conn = conn
        self.schema_version = schema_version


def keep_all_missing(conn: Any, schema_version: int, audit: Callable[[str, str, str], None],
                     progress: Progress | None = None) -> int:
    """Compute and keep the results of every finished drill that has none kept for its
    scenario text and the current indicator rule, in batches, inside the caller's transaction
    (the upgrade to format 10). ``audit(op, drill_id, record_sha256)`` appends each one's audit
    row; ``progress("indicators", done, total)`` is called before the first batch and after
    each. Returns how many drills were computed. A drill whose scenario text cannot be read
    keeps no results (a report says why, as before)."""
    src = _Rows(conn, schema_version)
    rows = conn.execute(
        f"SELECT d.id, d.scenario_sha256 FROM drills d LEFT JOIN drill_indicators_kept k "
        f"ON k.drill_id = d.id WHERE {_finished(src)} AND (k.drill_id IS NULL OR "
        f"k.scenario_sha256 != d.scenario_sha256 || ?) ORDER BY d.id", [KEPT_SUFFIX]).fetchall()
    readable = set()
    for sha in {r[1] for r in rows}:
        text = conn.execute("SELECT text FROM texts WHERE sha256 = ?", (sha,)).fetchone()
        try:
            if text is not None:   # (without its text a drill has no indicators: _scan)
                indicators_of_text(text[0])
        except ArchiveError:
            continue   # a report of such a drill says why, as before
        readable.add(sha)
    missing = [did for did, sha in rows if sha in readable]
    if progress is not None:
        progress("indicators", 0, len(missing))
    for start in range(0, len(missing), MIGRATION_BATCH):
        fresh = {d.drill_id: d for d in _scan(src, drill_ids=missing[start:start + MIGRATION_BATCH])}
        before = _store_kept(conn, fresh)
        sha = dict(conn.execute("SELECT id, scenario_sha256 FROM drills WHERE id IN "
                                "(SELECT value FROM json_each(?))", (json.dumps(list(fresh)),)))
        for did, di in fresh.items():   # the hash of the rows just stored, as kept_sha256 reads it
            audit("update" if did in before else "insert", did,
                  _kept_record_sha256(did, sha[did] + KEPT_SUFFIX, di))
        if progress is not None:
            progress("indicators", min(start + MIGRATION_BATCH, len(missing)), len(missing))
    return len(missing)


# Kept results are keyed by the scenario text they were computed from and by the version of
# the indicator rule (``assess.judge_indicator``): results kept under an earlier rule (before
# targets were inclusive, end actions counted only from the start, and a required start that
# never came counted as not met) are computed again the first time a report reads them.
INDICATOR_RULE = 2
KEPT_SUFFIX = f"+rule{INDICATOR_RULE}"


def _write_kept(archive: Archive, fresh: dict[str, DrillIndicators]) -> None:
    if not fresh:
        return
    conn = archive._conn
    with archive.transaction():
        before = _store_kept(conn, fresh)
        if archive._audits_everything:
            now = archive._now()
            for d in fresh:  # kept results are part of the record too (schema 4)
                seq, prev = archive._reserve_audit()
                archive._write_audit(seq, prev, "update" if d in before else "insert",
                                     "drill_indicators", d, kept_sha256(conn, d), now)


def _store_kept(conn: Any, fresh: dict[str, DrillIndicators]) -> set[str]:
    """Replace the kept rows of these drills (inside the caller's transaction); returns the
    drills that had results kept before."""
    if not fresh:
        return set()
    ids = json.dumps(list(fresh))
    sha = dict(conn.execute("SELECT id, scenario_sha256 FROM drills WHERE id IN "
                            "(SELECT value FROM json_each(?))", (ids,)).fetchall())
    before = {r[0] for r in conn.execute(
        "SELECT drill_id FROM drill_indicators_kept WHERE drill_id IN "
        "(SELECT value FROM json_each(?))", (ids,))}
    conn.executemany("DELETE FROM drill_indicators WHERE drill_id = ?", [(d,) for d in fresh])
    conn.executemany(
        "INSERT INTO drill_indicators (drill_id, indicator_id, seconds, target_s, met) "
        "VALUES (?, ?, ?, ?, ?)",
        [(d, r.id, r.seconds, r.target_s, None if r.met is None else int(r.met))
         for d, di in fresh.items() for r in di.results])
    conn.executemany("INSERT OR REPLACE INTO drill_indicators_kept "
                     "(drill_id, scenario_sha256, departments) VALUES (?, ?, ?)",
                     [(d, sha[d] + KEPT_SUFFIX, _SEP.join(di.departments))
                      for d, di in fresh.items()])
    return before


def _kept_record_sha256(drill_id: str, scenario_key: str, di: DrillIndicators) -> str:
    """``kept_sha256`` of results as ``_store_kept`` stores them, without reading them back
    (the columns' types as SQLite returns them: REAL seconds and targets, INTEGER met)."""
    return indicators_record_sha256(
        {"drill_id": drill_id, "scenario_sha256": scenario_key, "departments": _SEP.join(di.departments)},
        [{"indicator_id": r.id, "seconds": None if r.seconds is None else float(r.seconds),
          "target_s": float(r.target_s), "met": None if r.met is None else int(r.met)}
         for r in di.results])


def kept_sha256(conn: Any, drill_id: str) -> str:
    """The record hash of one drill's kept indicator results, as stored (what its audit row
    holds and ``verify`` recomputes)."""
    cur = conn.execute("SELECT * FROM drill_indicators_kept WHERE drill_id = ?", (drill_id,))
    cols = [d[0] for d in cur.description]
    row = cur.fetchone()
    kept = dict(zip(cols, row)) if row is not None else {}
    cur = conn.execute("SELECT * FROM drill_indicators WHERE drill_id = ? ORDER BY rowid_order",
                       (drill_id,))
    cols = [d[0] for d in cur.description]
    return indicators_record_sha256(kept, [dict(zip(cols, r)) for r in cur.fetchall()])


def _kept_rows(archive: Archive, where: str, params: list[Any]) -> Any:
    """(drill, scenario, started, indicator, seconds, target, met) of every finished drill in
    range, oldest first; a drill without indicators appears once with indicator None."""
    return archive._conn.execute(
        f"SELECT d.id, d.scenario_id, d.started_at, i.indicator_id, i.seconds, i.target_s, i.met "
        f"FROM drills d LEFT JOIN drill_indicators i ON i.drill_id = d.id "
        f"WHERE {where} AND {_finished(archive)} ORDER BY d.started_at, d.id, i.rowid_order",
        params)


def _where(from_date: date | datetime | None, to_date: date | datetime | None,
           drill_ids: Sequence[str] | None, department: str | None = None,
           site: str | None = None) -> tuple[str, list[Any]]:
    """The SQL condition on drills ``d`` for a report's scope. ``department``: the drills that
    belong to it — recorded with it, or, for a drill recorded without one, with a participant
    of that department; ``site``: the drills run there."""
    where, params = ["1"], []
    if department is not None:
        where.append("(d.department = ? OR (d.department IS NULL AND d.id IN (SELECT p.drill_id "
                     "FROM participants p JOIN trainees t ON t.id = p.trainee_id "
                     "WHERE t.department = ?)))")
        params += [department, department]
    if site is not None:
        where.append("d.site = ?")
        params.append(site)
    if from_date is not None:
        where.append("d.started_at >= ?")
        params.append(_bound(from_date, False))
    if to_date is not None:
        where.append("d.started_at < ?")
        params.append(_bound(to_date, True))
    if drill_ids is not None:
        where.append("d.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(drill_ids)))
    return " AND ".join(where), params


def _departments(archive: Archive, cond: str, params: list[Any]) -> dict[str, set[str]]:
    """Each drill's department: the one it was recorded with, else its participants'."""
    scoped = cond != "1"
    own = "d.department" if archive.schema_version >= 8 else "NULL"
    rows = archive._conn.execute(
        f"SELECT DISTINCT d.id, COALESCE({own}, t.department) FROM drills d "
        f"LEFT JOIN participants p ON p.drill_id = d.id AND {own} IS NULL "
        f"LEFT JOIN trainees t ON t.id = p.trainee_id "
        f"WHERE COALESCE({own}, t.department) IS NOT NULL AND COALESCE({own}, t.department) != ''"
        + (f" AND {cond}" if scoped else "")
        + " ORDER BY d.id, 2", params if scoped else [])
    return {did: {r[1] for r in group} for did, group in groupby(rows, key=lambda r: r[0])}


def _scan(archive: Archive, from_date: date | datetime | None = None,
          to_date: date | datetime | None = None, *,
          drill_ids: Sequence[str] | None = None,
          finished_only: bool = True) -> list[DrillIndicators]:
    """Indicator results computed from the event rows themselves."""
    conn = archive._conn
    cond, params = _where(from_date, to_date, drill_ids)
    status = f" AND {_finished(archive)}" if finished_only else ""
    drills = conn.execute(f"SELECT d.id, d.scenario_id, d.scenario_sha256, d.started_at FROM drills d "
                          f"WHERE {cond}{status} ORDER BY d.started_at, d.id", params).fetchall()
    if not drills:
        return []
    specs: dict[str, tuple[Indicator, ...]] = {}
    for sha in {d[2] for d in drills}:
        row = conn.execute("SELECT text FROM texts WHERE sha256 = ?", (sha,)).fetchone()
        specs[sha] = indicators_of_text(row[0]) if row else ()
    markers_needed = sorted({m for s in specs.values() for i in s
                             for m in (i.start, i.end_marker, i.required_after) if m is not None})
    actions_needed = sorted({a for s in specs.values() for i in s for a in (i.end_action or ())})
    any_flags = any(i.require_no_flags for s in specs.values() for i in s)

    # One pass over the event rows: only markers, end actions, their retractions and flags.
    # The rows come in primary-key order (drill, seq), which is log order within a drill.
    # instr() on the canonical JSON text (sorted keys, no spaces) is a cheap necessary
    # condition that spares json_extract on most rows; json_extract then decides exactly.
    mk, ac = json.dumps(markers_needed), json.dumps(actions_needed)
    pre_m = " OR ".join(["instr(e.data, ?) > 0"] * len(markers_needed)) or "0"
    pre_a = " OR ".join(["instr(e.data, ?) > 0"] * len(actions_needed)) or "0"
    # (an amendment appends "amend" naming its action, and "unflag"/"flag" for a flag it
    # withdrew or raised: read with what they correct)
    kinds = f"(e.kind = 'marker' AND ({pre_m}) AND json_extract(e.data, '$.text') IN " \
            f"(SELECT value FROM json_each(?))) " \
            f"OR (e.kind IN ('action', 'retract', 'amend') AND ({pre_a}) AND json_extract(e.data, '$.action') IN " \
            f"(SELECT value FROM json_each(?)))"
    ev_params: list[Any] = [*(_token("text", m) for m in markers_needed), mk,
                            *(_token("action", a) for a in actions_needed), ac]
    if any_flags:
        kinds += " OR e.kind IN ('flag', 'unflag')"
    scope = ""
    if cond != "1":  # else every drill: one scan, no per-row lookup
        scope = f"AND e.drill_id IN (SELECT d.id FROM drills d WHERE {cond})"
        ev_params += params
    per: dict[str, list[tuple[Any, ...]]] = {}
    for did, seq, t, kind, text, action, ref, role, iid, target, values in conn.execute(
            f"SELECT e.drill_id, e.seq, e.t, e.kind, json_extract(e.data, '$.text'), "
            f"json_extract(e.data, '$.action'), json_extract(e.data, '$.ref'), "
            f"json_extract(e.data, '$.role'), json_extract(e.data, '$.iid'), "
            f"json_extract(e.data, '$.target'), "
            f"CASE WHEN e.kind = 'amend' THEN json_extract(e.data, '$.values') END FROM events e "
            f"WHERE ({kinds}) {scope} ORDER BY e.drill_id, e.seq", ev_params):
        per.setdefault(did, []).append((seq, t, kind, text, action, ref, role, iid, target, values))

    departments = _departments(archive, cond, params)

    out = []
    for did, scenario_id, sha, started in drills:
        markers: dict[str, float] = {}
        actions: list[tuple[int, float, str, str | None]] = []
        by_iid: dict[int, int] = {}            # an action's input id -> its place in actions
        retracted: set[int] = set()
        flags_on: dict[int, int] = {}          # action seq -> flags standing on it
        flag_ref: dict[int, int] = {}          # flag seq -> action seq
        amended = False
        for seq, t, kind, text, action, ref, role, iid, target, values in per.get(did, ()):
            if kind == "marker":
                markers[text] = t
            elif kind == "action":
                if iid is not None:
                    by_iid[int(iid)] = len(actions)
                actions.append((seq, t, action, role))
            elif kind == "retract" and ref is not None:
                retracted.add(int(ref))
            elif kind == "amend" and target is not None and int(target) in by_iid:
                amended = True
                i, change = by_iid[int(target)], json.loads(values or "{}")
                a_seq, a_t, a_action, a_role = actions[i]
                actions[i] = (a_seq, float(change.get("t", a_t)), a_action,
                              change.get("role") if "who" in change else a_role)
            elif kind == "flag" and ref is not None:
                flag_ref[seq] = int(ref)
                flags_on[int(ref)] = flags_on.get(int(ref), 0) + 1
            elif kind == "unflag" and ref is not None and int(ref) in flag_ref:
                flags_on[flag_ref[int(ref)]] -= 1
        flagged = {a for a, n in flags_on.items() if n > 0}
        if retracted:
            actions = [a for a in actions if a[0] not in retracted]
        if amended:  # a corrected time may move an action
            actions.sort(key=lambda a: a[1])
        results = tuple(judge_indicator(i, markers, actions, flagged) for i in specs[sha])
        out.append(DrillIndicators(did, scenario_id, started, quarter_of(started),
                                   tuple(sorted(departments.get(did, ()))), results))
    return out


def resum_indicators(archive: Archive) -> None:
    """Throw away the kept indicator sums and mark every month to be summed again from the
    drills' kept results by the next report (``simtool stats indicators --resum``: the repair
    for sums ``simtool verify`` says differ). Derived data only: no record changes."""
    if archive.schema_version < GROUPS_FROM or not _groups_current(archive):
        return
    with archive.transaction():
        indicatorgroups.mark_all_stale(archive._conn)


def indicators_report(archive: Archive, from_date: date | datetime | None = None,
                      to_date: date | datetime | None = None, *, department: str | None = None,
                      site: str | None = None, by: str = "quarter",
                      margin_pts: float | None = None) -> dict[str, Any]:
    """Indicator distributions and compliance by scenario × period (``department`` null: all
    departments) and by scenario × period × department: the ``stats indicators --json`` object.

    ``by`` is ``quarter`` (default) or ``month``; each group has its ``period`` (``2025-Q2`` or
    ``2025-04``) and, by quarter, the same under ``quarter`` (as before issue 21). Each
    indicator carries its timing target ``target_s`` and its compliance target ``target_pct``
    with ``target_source`` (``target_origin``: the department's own setting, the scenario
    text its drills ran, or the bundled scenario); ``alerts`` lists what
    ``simtool.core.alerts.alerts`` raises over the groups, with ``alert_margin_pts`` (the
    department's setting, or ``margin_pts`` when given, or the default) and its source.

    Reads the kept per-drill rows as plain tuples in index order (no sort): at 100,000 drills
    building half a million result objects, or sorting the rows, cost more than the reading.
    Over whole months it reads the sums kept per month instead (``indicatorgroups``).
    ``department`` and ``site`` keep only the drills that belong to them (and, with a
    department, only its own group beside the total)."""
    if by not in PERIODS:
        raise ArchiveError(f"a report is by quarter or by month, not '{by}'")
    where, params = _where(from_date, to_date, None, department, site)
    _ensure_kept(archive, where, params)
    months_in = (indicatorgroups.month_range(from_date, to_date)
                 if archive.schema_version >= GROUPS_FROM and _groups_current(archive) else None)
    if months_in is not None:
        report = _report_from_groups(archive, from_date, to_date, *months_in,
                                     department=department, site=site, by=by)
    else:
        report = _report_from_rows(archive, from_date, to_date, where, params,
                                   department=department, by=by)
    return _with_targets_and_alerts(archive, report, by, margin_pts)


def _groups_current(archive: Archive) -> bool:
    """The sums are kept as this simtool reads them: else (an archive an unreleased build of
    this format kept otherwise) they are built again now, or, read-only, the rows are read."""
    conn = archive._conn
    if indicatorgroups.current(conn):
        return True
    try:
        with archive.transaction():
            indicatorgroups.rebuild_by_month(conn, _finished(archive))
        return True
    except (ArchiveError, sqlite3.OperationalError):
        return False


def _period_of(by: str) -> Callable[[str], str]:
    """A drill's period from its month (``2025-04``)."""
    return (lambda m: m) if by == "month" else indicatorgroups.quarter_of_month


def _report_from_rows(archive: Archive, from_date: date | datetime | None,
                      to_date: date | datetime | None, where: str, params: list[Any], *,
                      department: str | None, by: str) -> dict[str, Any]:
    conn = archive._conn
    period_of = _period_of(by)
    periods: dict[str, str] = {}
    keys_of: dict[str, list[tuple[str, str, str | None]]] = {}
    members: dict[tuple[str, str, str | None], int] = {}
    for did, scenario_id, started, depts in conn.execute(
            f"SELECT d.id, d.scenario_id, d.started_at, k.departments FROM drills d "
            f"JOIN drill_indicators_kept k ON k.drill_id = d.id WHERE {where} AND {_finished(archive)}", params):
        q = periods.get(started[:7]) or periods.setdefault(started[:7], period_of(started[:7]))
        keys = [(scenario_id, q, None)] + [(scenario_id, q, d) for d in sorted(depts.split(_SEP))
                                           if d and department in (None, d)]
        keys_of[did] = keys
        for key in keys:
            members[key] = members.get(key, 0) + 1
    groups: dict[tuple[str, str, str | None], dict[str, list[tuple[Any, Any, Any]]]] = {k: {} for k in members}
    for did, rows in groupby(conn.execute(
            "SELECT drill_id, indicator_id, seconds, target_s, met FROM drill_indicators "
            "ORDER BY drill_id, rowid_order"), key=lambda r: r[0]):
        keys = keys_of.get(did)
        if keys is None:
            continue  # outside the range, or not finished
        targets = [groups[k] for k in keys]
        for _did, ind, seconds, target, met in rows:
            row = (seconds, target, met)
            for per_ind in targets:
                lst = per_ind.get(ind)
                if lst is None:
                    lst = per_ind[ind] = []
                lst.append(row)
    out = [{"scenario_id": k[0], "period": k[1], "department": k[2], "drills": members[k],
            "indicators": [{"id": i, **_summary(v)} for i, v in groups[k].items()]}
           for k in sorted(members, key=lambda k: (k[0], k[1], k[2] or ""))]
    return {"from": None if from_date is None else str(from_date),
            "to": None if to_date is None else str(to_date),
            "drills": len(keys_of), "groups": out}


def _report_from_groups(archive: Archive, from_date: date | datetime | None,
                        to_date: date | datetime | None, lo: str | None, hi: str | None, *,
                        department: str | None, site: str | None, by: str) -> dict[str, Any]:
    """``indicators_report`` over whole months, from the sums kept per scenario × period ×
    site × department (``simtool.store.indicatorgroups``): the stale ones summed again first
    (kept if the archive can be written, else used for this report only). Whole quarters by
    quarter read the quarters' rows; otherwise a quarter is its months merged here."""
    conn = archive._conn
    fresh: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    if conn.execute("SELECT 1 FROM indicator_groups_stale LIMIT 1").fetchone() is not None:
        try:
            with archive.transaction():
                indicatorgroups.refresh(conn, _finished(archive))
        except (ArchiveError, sqlite3.OperationalError):
            fresh = indicatorgroups.refresh(conn, _finished(archive), write=False)
    # a quarterly report over whole quarters reads the quarters' own rows; any other reads
    # the months' rows (and, by quarter, merges them here)
    quarters = by == "quarter" and indicatorgroups.quarter_range(from_date, to_date) is not None
    if quarters:
        lo = None if lo is None else indicatorgroups.quarter_of_month(lo)
        hi = None if hi is None else indicatorgroups.quarter_of_month(hi)
    period_of = (lambda p: p) if quarters else _period_of(by)
    periods: dict[str, str] = {}
    members: dict[tuple[str, str, str | None], int] = {}
    acc: dict[tuple[str, str, str | None], dict[str, list[Any]]] = {}
    for (scenario_id, month, _site, dept, ind, pos, drills, _rows, applies, met, targets_s,
         secs) in indicatorgroups.read(conn, lo, hi, site=site, department=department, fresh=fresh,
                                       quarters=quarters):
        period = periods.get(month) or periods.setdefault(month, period_of(month))
        keys = [(scenario_id, period, None), (scenario_id, period, dept)] if department is not None \
            else [(scenario_id, period, dept or None)]
        for key in keys:
            if ind == indicatorgroups.MEMBERS:
                members[key] = members.get(key, 0) + drills
                acc.setdefault(key, {})
                continue
            a = acc.setdefault(key, {}).get(ind)
            if a is None:
                acc[key][ind] = [pos, applies, met, set(json.loads(targets_s)), [json.loads(secs)]]
            else:
                a[0] = min(a[0], pos)
                a[1] += applies
                a[2] += met
                a[3].update(json.loads(targets_s))
                a[4].append(json.loads(secs))

    def summary(a: list[Any]) -> dict[str, Any]:
        # each part is sorted: Timsort merges the runs in about linear time
        secs = a[4][0] if len(a[4]) == 1 else sorted(s for part in a[4] for s in part)
        return _summary_of(secs, a[1], a[2], sorted(a[3]))
    out = [{"scenario_id": k[0], "period": k[1], "department": k[2], "drills": members[k],
            "indicators": [{"id": i, **summary(a)}
                           for i, a in sorted(acc[k].items(), key=lambda kv: kv[1][0])]}
           for k in sorted(members, key=lambda k: (k[0], k[1], k[2] or ""))]
    return {"from": None if from_date is None else str(from_date),
            "to": None if to_date is None else str(to_date),
            "drills": sum(n for k, n in members.items() if k[2] is None), "groups": out}


def _with_targets_and_alerts(archive: Archive, report: dict[str, Any], by: str,
                             margin_pts: float | None) -> dict[str, Any]:
    """Each indicator's compliance target and source, each group's ``quarter`` (by quarter),
    and the alerts."""
    pairs = {(g["scenario_id"], i["id"]) for g in report["groups"] for i in g["indicators"]}
    found = indicator_targets(archive, pairs)
    for g in report["groups"]:
        g_out = {"scenario_id": g["scenario_id"], "period": g["period"]}
        if by == "quarter":
            g_out["quarter"] = g["period"]
        g_out.update((k, v) for k, v in g.items() if k not in g_out)
        g.clear()
        g.update(g_out)
        for ind in g["indicators"]:
            pct, source, origin = found.get((g["scenario_id"], ind["id"]), (None, None, None))
            ind["target_pct"], ind["target_source"], ind["target_origin"] = pct, source, origin
    if margin_pts is not None:
        margin, margin_source = margin_pts, "given for this report"
    else:
        margin, margin_source = targets.margin(archive._conn) or (DEFAULT_DROP_MARGIN_PTS,
                                                                  DROP_MARGIN_SOURCE)
    report["by"] = by
    report["alert_margin_pts"], report["alert_margin_source"] = margin, margin_source
    report["alerts"] = alerts(report, margin_pts=margin)
    return report


TargetOf = tuple[float | None, str | None, str | None]   # target_pct, target_source, origin


def indicator_targets(archive: Archive, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], TargetOf]:
    """The compliance target of each (scenario, indicator): the department's own setting
    (``simtool.store.targets``) first, then the scenario text the archive's newest drill of
    that scenario ran, if it gives one, then the bundled scenario of that id (drills run on a
    text written before
    targets existed); (None, None, None) if none gives one. No global default."""
    pairs = set(pairs)
    out: dict[tuple[str, str], TargetOf] = {}
    own = targets.overrides(archive._conn)
    for pair in pairs:
        if pair in own:
            out[pair] = (*own[pair], "department")
    missing = sorted({sid for sid, _ in pairs - set(out)})
    if missing:
        # the newest drill's text of each scenario (an index lookup each, not a scan of every
        # drill: the report of 100,000 drills must stay within its 2 s)
        rows = [(sid, row[0]) for sid in missing for row in archive._conn.execute(
            "SELECT scenario_sha256 FROM drills WHERE scenario_id = ? "
            "ORDER BY started_at DESC LIMIT 1", (sid,))]
        for sid, sha in rows:
            text = archive._conn.execute("SELECT text FROM texts WHERE sha256 = ?", (sha,)).fetchone()
            if text is None:
                continue
            try:
                specs = indicators_of_text(text[0])
            except ArchiveError:
                continue
            for ind in specs:
                if (sid, ind.id) in pairs and (sid, ind.id) not in out and ind.target_pct is not None:
                    out[(sid, ind.id)] = (ind.target_pct, ind.target_source, "scenario")
    for pair in pairs - set(out):
        ind = _bundled_indicators().get(pair)
        out[pair] = (None, None, None) if ind is None else (ind.target_pct, ind.target_source, "bundled")
    return out


def known_indicators(archive: Archive) -> set[tuple[str, str]]:
    """Every (scenario, indicator) of the scenario texts the archive's drills ran and of the
    bundled scenarios."""
    out = set(_bundled_all())
    for sid, sha in archive._conn.execute("SELECT DISTINCT scenario_id, scenario_sha256 FROM drills"):
        text = archive._conn.execute("SELECT text FROM texts WHERE sha256 = ?", (sha,)).fetchone()
        try:
            out.update((sid, i.id) for i in (indicators_of_text(text[0]) if text else ()))
        except ArchiveError:
            continue
    return out


def _bundled_indicators() -> dict[tuple[str, str], Indicator]:
    """The indicators with a compliance target of the scenarios simtool comes with."""
    return {k: i for k, i in _bundled_all().items() if i.target_pct is not None}


@functools.lru_cache(maxsize=1)
def _bundled_all() -> dict[tuple[str, str], Indicator]:
    """The indicators of the scenarios simtool comes with."""
    from simtool.core.paths import scenarios_dir
    out: dict[tuple[str, str], Indicator] = {}
    for path in sorted(scenarios_dir().glob("*.yaml")):
        try:
            text = path.read_text(encoding="utf-8")
            src, _ = parse_yaml(text, str(path))
            sid = src.data.get("id") if src is not None and isinstance(src.data, dict) else None
            if not isinstance(sid, str) or "indicators" not in src.data:
                continue
            for ind in indicators_of_text(text):
                out[(sid, ind.id)] = ind
        except (OSError, UnicodeDecodeError, ArchiveError):
            continue
    return out


def _summary(rows: Iterable[tuple[float | None, float, int | bool | None]]) -> dict[str, Any]:
    """Distribution and compliance of (seconds, target_s, met) rows; met None: not applicable."""
    rows = list(rows)
    applies = [r for r in rows if r[2] is not None]
    return _summary_of(sorted(r[0] for r in applies if r[0] is not None), len(applies),
                       sum(1 for r in applies if r[2]), sorted({r[1] for r in rows}))


def _summary_of(secs: list[float], applies: int, met: int, targets: list[float]) -> dict[str, Any]:
    """Distribution and compliance from the sorted times of the drills the indicator applied
    to and was done in, how many it applied to and met, and its targets (sorted)."""
    q = statistics.quantiles(secs, n=4, method="inclusive") if len(secs) >= 2 else None
    return {
        "target_s": targets[0] if len(targets) == 1 else targets,
        "applies": applies, "done": len(secs), "met": met,
        "compliance": round(met / applies, 4) if applies else None,
        "median_s": round(statistics.median(secs), 3) if secs else None,
        "p25_s": round(q[0], 3) if q else (secs[0] if secs else None),
        "p75_s": round(q[2], 3) if q else (secs[0] if secs else None),
        "min_s": secs[0] if secs else None, "max_s": secs[-1] if secs else None,
    }


def portfolio(archive: Archive, trainee: str) -> dict[str, Any]:
    """One trainee's drills over time and places: ``simtool.store.portfolio.portfolio``."""
    from simtool.store.portfolio import portfolio as build
    return build(archive, trainee)


def exam_rows(archive: Archive) -> list[Any]:
    """Every signed trainee score sheet as a psychometrics row: candidate = trainee, station =
    rubric, examiner = who signed, checklist = points, global = the grade's value, items =
    item points. Sheets without a global grade are left out (standard setting needs it)."""
    from simtool.core.scorecsv import ScoreRow

    rows = []
    kept = " AND s.drill_id NOT IN (SELECT drill_id FROM discards)" \
        if archive.schema_version >= 5 else ""
    for sheet_id, drill_id, trainee_id, rubric_id, signed_by, data in archive._conn.execute(
            "SELECT s.id, s.drill_id, s.trainee_id, s.rubric_id, s.signed_by, s.data FROM score_sheets s "
            "WHERE s.trainee_id IS NOT NULL AND s.signed_at IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM score_sheets n WHERE n.supersedes = s.id)" + kept +
            " ORDER BY s.rubric_id, s.trainee_id, s.id"):
        sheet = json.loads(data)
        grade = (sheet.get("global_grade") or {}).get("value")
        if grade is None:
            continue
        items = {i["id"]: float(i["points"]) for i in sheet.get("items", []) if i.get("points") is not None}
        rows.append(ScoreRow(trainee_id, rubric_id, signed_by or "?", float(sheet.get("points") or 0.0),
                             float(grade), items))
    return rows
