"""A trainee's portfolio for their file as a plain data object, already in the report's
language: who (name, staff id, profession, home department and site, the sites of their drills,
the records merged into them), the span, a row per drill, per scenario the indicator trends, and
the critical items as a drills × items grid.

Built from ``simtool.store.portfolio.portfolio`` (every number is its); titles, roles and
indicator labels come from the scenario files (the id when a file is missing), critical item
labels from the score sheets themselves (they carry all three languages)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from simtool import __version__
from simtool.core.scenario import LoadedScenario
from simtool.reports.common import Header, day, span, stamp, text_of
from simtool.reports.fonts import fit
from simtool.reports.i18n import check_lang, tr
from simtool.reports.qualitydata import _scenario
from simtool.store import Archive

LABEL_CHARS = 90    # a critical item's label as a column heading, cut with an ellipsis past this
MIN_POINTS = 2      # an indicator with fewer drills reads "too few drills": no chart, no line
FINISHED = ("ended", "signed")


@dataclass(frozen=True)
class DrillRow:
    drill_id: str
    date: str
    scenario: str
    role: str
    site: str               # "County Hospital (imported)"
    department: str
    score: str              # "75 % PASS", "62 % FAIL (unsigned)", "—", or the status of a drill not ended
    imported: bool
    finished: bool


@dataclass(frozen=True)
class TrendPoint:
    date: str
    seconds: float | None   # None: not done
    met: bool


@dataclass(frozen=True)
class IndicatorSeries:
    scenario_id: str
    id: str
    label: str
    target_s: float
    target: str             # "target ≤ 10 min"
    n: int
    met: int
    summary: str            # "n=3 · met 2/3 · median 5 min", or "too few drills (n=1)"
    too_few: bool
    points: tuple[TrendPoint, ...]


@dataclass(frozen=True)
class ScenarioTrends:
    scenario_id: str
    title: str
    indicators: tuple[IndicatorSeries, ...]


@dataclass(frozen=True)
class CriticalColumn:
    rubric_id: str
    item_id: str
    scope: str              # trainee | team
    label: str              # "Help called within 10 min (team)"
    summary: str            # "met 2 of 3"


@dataclass(frozen=True)
class CriticalRow:
    date: str
    scenario: str
    cells: tuple[tuple[str, str], ...]   # per column: (status key: met/missed/not applicable/pending/"", text)


@dataclass(frozen=True)
class PortfolioReport:
    lang: str
    header: Header
    title: str
    name: str
    staff_id: str
    trainee_id: str
    profession: str         # "midwife · year 2" or "—"
    home: str               # "Obstetrics · County Hospital" or "—"
    sites: str              # the sites of their drills
    records: str            # the trainee records that are this person, when more than one
    span: str               # "2024-02-01 – 2025-01-01 (5 drills)"
    generated_on: str
    drills: tuple[DrillRow, ...]
    scenarios: tuple[ScenarioTrends, ...]
    critical_columns: tuple[CriticalColumn, ...]
    critical_rows: tuple[CriticalRow, ...]
    generated: str


def _status_word(status: str, lang: str) -> str:
    try:
        return tr(status, lang)
    except KeyError:
        return status


def _score(d: dict[str, Any], lang: str) -> str:
    if d["status"] not in FINISHED:
        return tr("not_final", lang, status=_status_word(d["status"], lang))
    s = d["score"]
    if s["percentage"] is None:
        return tr("nothing", lang)
    text = f"{s['percentage']:g} %"
    if s["verdict"]:
        text += f" {_status_word(s['verdict'], lang)}"
    if not s["signed"]:
        text += f" ({tr('unsigned_mark', lang)})"
    return text


def _role(loaded: LoadedScenario | None, role: str | None, lang: str) -> str:
    for r in (loaded.scenario.roles if loaded is not None else ()):
        if r.id == role:
            return str(r.label.get(lang))
    return role or tr("nothing", lang)


def portfolio_report(data: dict[str, Any], lang: str = "en", header: Header = Header(),
                     generated_at: datetime | None = None) -> PortfolioReport:
    """The report of ``data`` (``store.portfolio.portfolio``'s object) in ``lang``."""
    check_lang(lang)
    cache: dict[str, LoadedScenario | None] = {}
    t = data["trainee"]
    dash = tr("nothing", lang)

    def title(sid: str) -> str:
        loaded = _scenario(sid, cache)
        return str(loaded.scenario.title.get(lang)) if loaded else sid

    rows = []
    for d in data["drills"]:
        loaded = _scenario(d["scenario_id"], cache)
        site = d["site"] or dash
        if d["imported"]:
            site += f" ({tr('imported', lang)})"
        rows.append(DrillRow(d["drill_id"], day(d["started_at"]), title(d["scenario_id"]),
                             _role(loaded, d["role"], lang), site, d["department"] or dash,
                             _score(d, lang), bool(d["imported"]), d["status"] in FINISHED))

    # indicator trends, grouped by scenario (in the order the trends come)
    by_scenario: dict[str, list[IndicatorSeries]] = {}
    for tr_ in data["trends"]["indicators"]:
        loaded = _scenario(tr_["scenario_id"], cache)
        labels = {i.id: str(i.label.get(lang)) for i in loaded.scenario.indicators} if loaded else {}
        points = tuple(TrendPoint(day(p["started_at"]), p["seconds"], bool(p["met"])) for p in tr_["points"])
        n, met = tr_["n"], tr_["met"]
        secs = [p.seconds for p in points if p.seconds is not None]
        too_few = n < MIN_POINTS
        median = span(statistics.median(secs), lang) if secs else dash
        summary = tr("too_few", lang, n=n) if too_few else tr("trend_n", lang, n=n, met=met, median=median)
        by_scenario.setdefault(tr_["scenario_id"], []).append(IndicatorSeries(
            tr_["scenario_id"], tr_["id"], labels.get(tr_["id"], tr_["id"]), tr_["target_s"],
            tr("trend_target", lang, t=span(tr_["target_s"], lang)), n, met, summary, too_few, points))
    scenarios = tuple(ScenarioTrends(sid, title(sid), tuple(v)) for sid, v in by_scenario.items())

    # critical items: columns in the order first met (the drills' order), rows per drill
    columns: dict[tuple[str, str, str], CriticalColumn] = {}
    counts = {(c["rubric_id"], c["item_id"], c["scope"]): c for c in data["trends"]["critical"]}
    for d in data["drills"]:
        for c in d["critical"]:
            key = (c["rubric_id"], c["item_id"], c["scope"])
            if key in columns:
                continue
            label = fit(text_of(c["label"], lang) or c["item_id"], LABEL_CHARS)
            if c["scope"] == "team":
                label = tr("team_item", lang, label=label)
            k = counts.get(key)
            summary = tr("critical_summary", lang, met=k["met"], n=k["n"]) if k and k["n"] else dash
            columns[key] = CriticalColumn(key[0], key[1], key[2], label, summary)
    crit_rows = []
    for d in data["drills"]:
        mine = {(c["rubric_id"], c["item_id"], c["scope"]): c for c in d["critical"]}
        cells = []
        for key in columns:
            c = mine.get(key)
            if c is None:
                cells.append(("", dash))
                continue
            word = {"not applicable": tr("na_short", lang), "missed": tr("crit_missed", lang)}.get(
                c["status"]) or _status_word(c["status"], lang)
            cells.append((c["status"], word + ("" if c["signed"] else " *")))
        crit_rows.append(CriticalRow(day(d["started_at"]), title(d["scenario_id"]), tuple(cells)))

    first, last = data["span"]["first"], data["span"]["last"]
    n_drills = tr("n_drills", lang, n=len(data["drills"]))
    span_text = f"{day(first)} – {day(last)} ({n_drills})" if first else dash
    prof = " · ".join(x for x in (t.get("profession"), t.get("grade")) if x) or dash
    home = " · ".join(x for x in (t.get("department"), t.get("site")) if x) or dash
    moment = generated_at or datetime.now(timezone.utc)
    return PortfolioReport(
        lang=lang, header=header, title=tr("portfolio", lang), name=t["name"],
        staff_id=t.get("staff_id") or dash, trainee_id=t["id"], profession=prof, home=home,
        sites=", ".join(t.get("sites") or ()) or dash,
        records=", ".join(t.get("records") or ()) if len(t.get("records") or ()) > 1 else "",
        span=span_text, generated_on=day(moment.isoformat()), drills=tuple(rows),
        scenarios=scenarios, critical_columns=tuple(columns.values()), critical_rows=tuple(crit_rows),
        generated=tr("generated", lang, at=stamp(moment), v=__version__))


def build_portfolio(archive: Archive, trainee: str, lang: str = "en", header: Header = Header(),
                    generated_at: datetime | None = None) -> PortfolioReport:
    """The portfolio report of the person with this trainee id or staff id."""
    from simtool.store.portfolio import portfolio
    return portfolio_report(portfolio(archive, trainee), lang, header, generated_at)
