"""``simtool publish``: an anonymised, read-only SQLite copy of the archive's indicator and
drill tables, with Datasette metadata, for a regional view (issue 21 item 7).

A regional centre gathers the files its hospitals publish and browses them together with
Datasette (``datasette a.sqlite b.sqlite -m metadata.json``): an existing, maintained engine,
not a web server of simtool's own. What a published file holds:

* ``publication`` — one row: when, by which simtool, the archive's pseudonym (never its id),
  how many drills and real cases;
* ``drills`` — each finished drill that was not discarded: a pseudonymous id (HMAC under the
  archive's pseudonym secret, so one archive publishes the same drill under the same id),
  scenario and version, month and quarter (not the day), site and status; its departments in
  ``drill_departments`` (the one it was recorded with, else its participants' — the rule of
  ``stats indicators``);
* ``drill_indicators`` — its indicator results as the archive keeps them (seconds, target,
  met), with what a report groups by;
* ``real_cases`` and ``real_case_indicators`` — the same for real cases (``store.cases``),
  without their case reference, day or timeline;
* ``indicator_targets`` — each indicator's compliance target and where it comes from (the
  cited source of a scenario's target; a department's own target without the words typed
  with it).

Nothing else: no person's name, staff id or trainee id, no examiner, no free text (notes,
reasons, comments, case references), no events or vitals, no scenario text. Sites are kept as
named (what a region compares) unless ``site_pseudonyms`` (then "Site 4F2A9C", as in an
anonymised bundle). The file is built in memory and written whole (``outputs.write_atomic``:
never over the archive, an existing file only with ``force``), then made read-only.

The metadata's canned queries (``indicators_by_quarter``, ``…_by_site``, ``…_by_department``,
``real_cases_by_quarter``) compute what ``stats indicators --json`` reports — drills, applies,
done, met, compliance, median, min and max — in SQL, with titles and descriptions in Chinese
and English.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simtool.store.anonymize import archive_secret, pseudonym, site_name
from simtool.store.errors import ArchiveError
from simtool.store.outputs import OutputError, check_target, write_atomic

if TYPE_CHECKING:
    from simtool.store.archive import Archive

PUBLISH_FORMAT = 1

_TABLES = [
    "CREATE TABLE publication (format INTEGER NOT NULL, published_at TEXT NOT NULL, "
    "simtool TEXT NOT NULL, archive TEXT NOT NULL, drills INTEGER NOT NULL, "
    "real_cases INTEGER NOT NULL)",
    "CREATE TABLE drills (drill TEXT PRIMARY KEY, scenario_id TEXT NOT NULL, "
    "scenario_version TEXT, month TEXT NOT NULL, quarter TEXT NOT NULL, site TEXT, "
    "department TEXT, status TEXT NOT NULL)",
    "CREATE TABLE drill_departments (drill TEXT NOT NULL REFERENCES drills(drill), "
    "department TEXT NOT NULL, PRIMARY KEY (drill, department))",
    "CREATE TABLE drill_indicators (drill TEXT NOT NULL REFERENCES drills(drill), "
    "scenario_id TEXT NOT NULL, month TEXT NOT NULL, quarter TEXT NOT NULL, site TEXT, "
    "position INTEGER NOT NULL, indicator_id TEXT NOT NULL, seconds REAL, target_s REAL, "
    "met INTEGER, PRIMARY KEY (drill, indicator_id))",
    "CREATE TABLE real_cases (real_case TEXT PRIMARY KEY, scenario_id TEXT NOT NULL, "
    "scenario_version TEXT, month TEXT NOT NULL, quarter TEXT NOT NULL, site TEXT, "
    "department TEXT)",
    "CREATE TABLE real_case_indicators (real_case TEXT NOT NULL REFERENCES real_cases(real_case), "
    "scenario_id TEXT NOT NULL, month TEXT NOT NULL, quarter TEXT NOT NULL, site TEXT, "
    "department TEXT, position INTEGER NOT NULL, indicator_id TEXT NOT NULL, seconds REAL, "
    "target_s REAL, met INTEGER, PRIMARY KEY (real_case, indicator_id))",
    "CREATE TABLE indicator_targets (scenario_id TEXT NOT NULL, indicator_id TEXT NOT NULL, "
    "target_pct REAL, target_origin TEXT, target_source TEXT, PRIMARY KEY (scenario_id, indicator_id))",
    "CREATE INDEX drill_indicators_group ON drill_indicators (scenario_id, quarter, indicator_id)",
    "CREATE INDEX drills_group ON drills (scenario_id, quarter, site)",
]


def _quarter(month: str) -> str:
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def build(archive: Archive, *, site_pseudonyms: bool = False, version: str = "") -> bytes:
    """The published file's bytes (an SQLite database built in memory)."""
    from simtool.store.analytics import drill_indicators, indicator_targets
    from simtool.store.cases import cases

    secret = archive_secret(archive)
    archive_id = archive._meta("archive_id") or archive.path.name

    def site(value: str | None) -> str | None:
        if value is None or not site_pseudonyms:
            return value
        return site_name(secret, value)

    drills = drill_indicators(archive)
    info = {r[0]: r[1:] for r in archive._conn.execute(
        "SELECT id, scenario_version, site, department, status FROM drills "
        "WHERE id IN (SELECT value FROM json_each(?))", (json.dumps([d.drill_id for d in drills]),))}
    out = sqlite3.connect(":memory:")
    try:
        for sql in _TABLES:
            out.execute(sql)
        for d in drills:
            pid = "D-" + pseudonym(secret, "publish-drill:" + d.drill_id)[:16]
            version_, site_, dept, status = info.get(d.drill_id, (None, None, None, "ended"))
            month = d.started_at[:7]
            out.execute("INSERT INTO drills VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (pid, d.scenario_id, version_, month, d.quarter, site(site_), dept, status))
            out.executemany("INSERT INTO drill_departments VALUES (?, ?)",
                            [(pid, x) for x in d.departments])
            out.executemany("INSERT INTO drill_indicators VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [(pid, d.scenario_id, month, d.quarter, site(site_), n, r.id, r.seconds,
                              r.target_s, None if r.met is None else int(r.met))
                             for n, r in enumerate(d.results)])
        kept = cases(archive)
        for c in kept:
            pid = "C-" + pseudonym(secret, "publish-case:" + str(c["id"]))[:16]
            month = c["date"][:7]
            row = (c["scenario_id"], month, c["quarter"], site(c["site"]))
            out.execute("INSERT INTO real_cases VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (pid, c["scenario_id"], c["scenario_version"], month, c["quarter"],
                         site(c["site"]), c["department"]))
            out.executemany("INSERT INTO real_case_indicators VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [(pid, *row, c["department"], n, i["id"], i["seconds"], i["target_s"],
                              None if i["met"] is None else int(i["met"]))
                             for n, i in enumerate(c["indicators"])])
        pairs = {(d.scenario_id, r.id) for d in drills for r in d.results} | \
            {(c["scenario_id"], i["id"]) for c in kept for i in c["indicators"]}
        for (sid, iid), (pct, source, origin) in sorted(indicator_targets(archive, pairs).items()):
            # a department's own target is published with its figure, not the words typed with it
            out.execute("INSERT INTO indicator_targets VALUES (?, ?, ?, ?, ?)",
                        (sid, iid, pct, origin, None if origin == "department" else source))
        out.execute("INSERT INTO publication VALUES (?, ?, ?, ?, ?, ?)",
                    (PUBLISH_FORMAT, archive.now(), version,
                     "Archive " + pseudonym(secret, "archive:" + archive_id)[:8], len(drills), len(kept)))
        out.commit()
        return out.serialize()
    finally:
        out.close()


def is_published(path: Path) -> bool:
    """True when ``path`` is a file ``simtool publish`` wrote (it may then be replaced)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        return con.execute("SELECT format FROM publication").fetchone() is not None
    except sqlite3.Error:
        return False
    finally:
        con.close()


def publish(archive: Archive, path: str | os.PathLike[str], metadata_path: str | os.PathLike[str] | None = None,
            *, site_pseudonyms: bool = False, force: bool = False, version: str = "",
            also: tuple[str, ...] = ()) -> tuple[Path, Path]:
    """Write the published file and its Datasette metadata (default ``FILE.metadata.json``);
    both paths. A file written by an earlier ``publish`` is replaced; anything else only with
    ``force``. ``also``: other published files' names the metadata describes too (a region's
    one metadata file for many hospitals). OutputError names a file that may not be written."""
    target = Path(path)
    meta = Path(metadata_path) if metadata_path is not None else target.with_name(target.name + ".metadata.json")
    if meta == target:
        raise OutputError(f"{meta}: the metadata cannot be the published file itself")
    replace = force or (target.is_file() and is_published(target))
    check_target(target, protect=[archive.path], force=replace)
    check_target(meta, protect=[archive.path, target], force=force or meta.is_file() and _is_metadata(meta))
    data = build(archive, site_pseudonyms=site_pseudonyms, version=version)
    names = [database_name(target), *(database_name(Path(a)) for a in also)]
    text = json.dumps(metadata(list(dict.fromkeys(names))), ensure_ascii=False, indent=2) + "\n"
    if target.exists():
        try:   # a read-only file from an earlier publish: its folder decides, not its mode
            os.chmod(target, stat.S_IMODE(os.stat(target).st_mode) | stat.S_IWUSR)
        except OSError:
            pass
    write_atomic(target, data, protect=[archive.path], force=replace)
    try:
        os.chmod(target, 0o444)
    except OSError as exc:
        raise ArchiveError(f"{target} was written but could not be made read-only: "
                           f"{exc.strerror or exc}") from exc
    write_atomic(meta, text.encode("utf-8"), protect=[archive.path, target], force=True)
    return target, meta


def _is_metadata(path: Path) -> bool:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(doc, dict) and doc.get("source") == SOURCE


def database_name(path: Path) -> str:
    """The name Datasette gives a database file: its name without the extension."""
    return path.stem


# --- the metadata -------------------------------------------------------------------------------
SOURCE = "simtool publish"
_SUMMARY = (
    "sum(r.met IS NOT NULL) AS applies, "
    "sum(r.met IS NOT NULL AND r.seconds IS NOT NULL) AS done, "
    "sum(r.met IS 1) AS met, "
    "round(1.0 * sum(r.met IS 1) / nullif(sum(r.met IS NOT NULL), 0), 4) AS compliance, "
    "round(m.median_s, 3) AS median_s, "
    "min(CASE WHEN r.met IS NOT NULL THEN r.seconds END) AS min_s, "
    "max(CASE WHEN r.met IS NOT NULL THEN r.seconds END) AS max_s, "
    "max(r.target_s) AS target_s, "
    "(SELECT t.target_pct FROM indicator_targets t WHERE t.scenario_id = c.scenario_id "
    "AND t.indicator_id = r.indicator_id) AS target_pct")


def _query(kind: str, by: str | None) -> str:
    """The SQL of one canned query: indicators of ``kind`` (drills or cases) by scenario ×
    quarter, and by ``by`` (site or department) when given; optional :scenario, :site and
    :department narrow the scope ('' = all), as ``stats indicators --site/--department`` do."""
    unit, table, ind = (("drill", "drills", "drill_indicators") if kind == "drills"
                        else ("real_case", "real_cases", "real_case_indicators"))
    if kind == "drills":
        in_dept = ("u.drill IN (SELECT drill FROM drill_departments WHERE department = :department)")
        dept_join = "JOIN drill_departments g ON g.drill = u.drill"
        dept_col = "g.department"
    else:
        in_dept = "u.department = :department"
        dept_join = ""
        dept_col = "u.department"
    extra = {"site": "u.site", "department": dept_col, None: None}[by]
    keys = ["u.scenario_id", "u.quarter"] + ([extra] if extra else [])
    names = ["scenario_id", "quarter"] + ([by] if by else [])
    join = dept_join if by == "department" else ""
    if by == "department" and kind == "cases":
        join = "WHERE u.department IS NOT NULL"   # as a drill without a department: in no group
    sel = ", ".join(f"{k} AS {n}" for k, n in zip(keys, names))
    on = " AND ".join(f"r.{n} IS c.{n}" for n in names)
    on_m = " AND ".join(f"m.{n} IS c.{n}" for n in names)
    part = ", ".join(names)
    return (
        f"WITH scope AS (SELECT u.* FROM {table} u WHERE (:scenario = '' OR u.scenario_id = :scenario) "
        f"AND (:site = '' OR u.site = :site) AND (:department = '' OR {in_dept})), "
        f"units AS (SELECT u.{unit}, {sel} FROM scope u {join}), "
        f"counts AS (SELECT {part}, count(DISTINCT {unit}) AS {table} FROM units GROUP BY {part}), "
        f"rows AS (SELECT x.{unit}, {', '.join('x2.' + n for n in names)}, x.position, x.indicator_id, "
        f"x.seconds, x.target_s, x.met FROM {ind} x JOIN units x2 ON x2.{unit} = x.{unit}), "
        f"ranked AS (SELECT {part}, indicator_id, seconds, row_number() OVER (PARTITION BY {part}, "
        f"indicator_id ORDER BY seconds) AS k, count(*) OVER (PARTITION BY {part}, indicator_id) AS n "
        f"FROM rows WHERE met IS NOT NULL AND seconds IS NOT NULL), "
        f"medians AS (SELECT {part}, indicator_id, avg(seconds) AS median_s FROM ranked "
        f"WHERE k IN ((n + 1) / 2, (n + 2) / 2) GROUP BY {part}, indicator_id) "
        f"SELECT '{kind}' AS source, {', '.join('c.' + n for n in names)}, c.{table} AS {table}, "
        f"r.indicator_id, {_SUMMARY} "
        f"FROM rows r JOIN counts c ON {on} "
        f"LEFT JOIN medians m ON {on_m} AND m.indicator_id = r.indicator_id "
        f"GROUP BY {', '.join('c.' + n for n in names)}, r.indicator_id "
        f"ORDER BY {', '.join('c.' + n for n in names)}, min(r.position)")


_TEXT = {
    "title": "simtool 质量指标 · Quality indicators",
    "description": (
        "由 simtool publish 发布的匿名质控数据：演练与真实病例的过程指标（按场景、季度、院区、科室）。"
        "不含姓名、工号或自由文本。\n"
        "Anonymised quality data published by simtool: process indicators of simulation drills "
        "and real cases, by scenario, quarter, site and department. No names, staff ids or "
        "free text."),
    "tables": {
        "publication": ("发布信息 · Publication",
                        "发布时间、simtool 版本、档案库假名、演练与真实病例数 · When, by which simtool, "
                        "the archive's pseudonym, how many drills and real cases"),
        "drills": ("演练 · Drills",
                   "每次结束的演练：假名编号、场景、月份、季度、院区、科室 · Each finished drill: "
                   "pseudonymous id, scenario, month, quarter, site, department"),
        "drill_departments": ("演练所属科室 · Departments of a drill",
                              "演练记录的科室，或参与者的科室 · The drill's recorded department, "
                              "else its participants'"),
        "drill_indicators": ("演练指标结果 · Drill indicator results",
                             "每次演练每项指标：用时（秒）、目标（秒）、是否达标（1/0，空=不适用）· "
                             "Each drill's indicators: seconds, target, met (1/0; empty = not "
                             "applicable)"),
        "real_cases": ("真实病例 · Real cases",
                       "事后录入的真实病例（不含病例号与日期）· Real cases entered after the "
                       "event (no case reference, no day)"),
        "real_case_indicators": ("真实病例指标结果 · Real case indicator results",
                                 "与演练相同的指标定义 · Judged by the drills' indicator definitions"),
        "indicator_targets": ("指标达标率目标 · Compliance targets",
                              "每项指标的达标率目标（%）及其来源：科室自定、场景文本或内置场景 · "
                              "Each indicator's compliance target (%) and where it comes from: "
                              "the department's own, the scenario text, or the bundled scenario"),
    },
    "queries": {
        ("drills", None): ("指标（按季度）· Indicators by quarter",
                           "各场景每季度各项指标的达标率与用时中位数（演练）；可按场景、院区、科室筛选 · "
                           "Compliance and median time of each indicator per scenario and quarter "
                           "(drills); optional scenario, site and department"),
        ("drills", "site"): ("指标（按院区）· Indicators by site",
                             "按场景、季度、院区分组（演练）· By scenario, quarter and site (drills)"),
        ("drills", "department"): ("指标（按科室）· Indicators by department",
                                   "按场景、季度、科室分组（演练）· By scenario, quarter and "
                                   "department (drills)"),
        ("cases", None): ("真实病例指标（按季度）· Real cases' indicators by quarter",
                          "真实病例单独统计，不与演练合并 · Real cases, reported apart from drills"),
        ("cases", "site"): ("真实病例指标（按院区）· Real cases' indicators by site",
                            "按场景、季度、院区分组（真实病例）· By scenario, quarter and site "
                            "(real cases)"),
        ("cases", "department"): ("真实病例指标（按科室）· Real cases' indicators by department",
                                  "按场景、季度、科室分组（真实病例）· By scenario, quarter and "
                                  "department (real cases)"),
    },
}
COLUMNS = {
    "drill": "演练假名编号 · pseudonymous drill id",
    "real_case": "病例假名编号 · pseudonymous case id",
    "scenario_id": "场景 · scenario",
    "month": "月份 · month (YYYY-MM)",
    "quarter": "季度 · quarter (YYYY-Qn)",
    "site": "院区 · site",
    "department": "科室 · department",
    "indicator_id": "指标 · indicator",
    "seconds": "用时（秒）· seconds",
    "target_s": "目标（秒）· target (s)",
    "met": "达标（1/0）· met (1/0)",
    "target_pct": "达标率目标（%）· compliance target (%)",
}


def query_name(kind: str, by: str | None) -> str:
    return ("indicators" if kind == "drills" else "real_cases") + f"_by_{by or 'quarter'}"


def metadata(databases: list[str]) -> dict[str, Any]:
    """Datasette metadata for the published files named ``databases``: titles and
    descriptions in Chinese and English, and the canned queries."""
    tables = {}
    for t, (title, description) in _TEXT["tables"].items():
        tables[t] = {"title": title, "description": description}
        cols = {c: d for c, d in COLUMNS.items() if c in _table_columns(t)}
        if cols:
            tables[t]["columns"] = cols
    queries = {}
    for (kind, by), (title, description) in _TEXT["queries"].items():
        queries[query_name(kind, by)] = {"title": title, "description": description,
                                         "sql": _query(kind, by),
                                         "params": ["scenario", "site", "department"]}
    db = {"title": _TEXT["title"], "description": _TEXT["description"], "tables": tables,
          "queries": queries}
    return {"title": _TEXT["title"], "description": _TEXT["description"], "source": SOURCE,
            "databases": {name: db for name in databases}}


def _table_columns(table: str) -> set[str]:
    sql = next(s for s in _TABLES if s.startswith(f"CREATE TABLE {table} "))
    return {c for c in COLUMNS if f"({c} " in sql or f", {c} " in sql}
