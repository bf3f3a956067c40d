"""The department quality report as a plain data object: per scenario, each indicator by
quarter (median, compliance against the indicator's target, number of drills it applied to),
the drill counts, and the drills that missed a target.

Built from ``simtool.store.analytics`` (``indicators_report`` for the quarter groups of all
departments, ``drill_indicators`` for the per-drill misses); labels come from the scenario
files, falling back to the ids. Everything is already in the report's language.

Targets: each indicator's per-drill target is its ``target_s`` in the scenario (warning delay
< 10 min, MDT response < 30 min, ...); its compliance target — the share of drills that should
meet it — is its own ``target_pct`` with ``target_source`` (oxytocin compliance > 90 % from
document 002; the others the department's choice, or the department's own setting in the
archive), as ``indicators_report`` resolves them. There is no global default: an indicator
without one reads "no compliance target" and is never shown below it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from simtool import __version__
from simtool.core.paths import scenarios_dir
from simtool.core.scenario import LoadedScenario, load_scenario
from simtool.reports.common import Header, day, stamp
from simtool.reports.common import span as how_long   # "span" names the quarters here
from simtool.reports.i18n import check_lang, tr
from simtool.store import Archive
from simtool.store.analytics import drill_indicators, indicators_report

@dataclass(frozen=True)
class QuarterCell:
    """One indicator in one quarter (all departments)."""

    quarter: str
    drills: int              # drills of the scenario that quarter
    applies: int             # drills the indicator applied to (its start marker happened)
    met: int
    median: str              # a duration ("6 min 50 s") of the drills that reached the end, or ""
    compliance_pct: float | None   # met / applies × 100, one decimal; None: nothing applied
    compliance: str          # "1/2 (50 %)" or "—"
    below_target: bool       # compliance_pct is not above the indicator's target_pct


@dataclass(frozen=True)
class IndicatorTrend:
    id: str
    label: str
    target_s: float
    target: str              # "≤ 10 min" (targets are inclusive)
    target_pct: float | None     # compliance target: more than this share of drills (None: none)
    compliance_target: str       # "> 90 %", or "no compliance target"
    target_source: str           # where target_pct comes from ("" when none)
    cells: tuple[QuarterCell, ...]   # the quarters the scenario had drills in, oldest first
    trend: tuple[float | None, ...]  # compliance_pct per quarter of the scenario section


@dataclass(frozen=True)
class ScenarioSection:
    scenario_id: str
    title: str
    quarters: tuple[str, ...]        # every quarter from the report's first to its last
    drills: tuple[int, ...]          # drills per quarter (0 where none)
    total_drills: int
    indicators: tuple[IndicatorTrend, ...]


@dataclass(frozen=True)
class MissRow:
    date: str
    drill_id: str
    drill_short: str         # first 8 characters
    scenario: str
    indicator: str
    seconds_s: float | None  # None: never reached
    seconds: str             # a duration ("12 min 30 s") or "not reached"
    target: str              # "≤ 10 min" (targets are inclusive)


@dataclass(frozen=True)
class QualityReport:
    lang: str
    header: Header
    title: str
    period: str              # "2024-01-01 – 2024-12-31"
    from_date: str
    to_date: str
    drills: int
    targets_note: str        # how to read the two targets of each indicator
    scenarios: tuple[ScenarioSection, ...]
    misses: tuple[MissRow, ...]
    generated: str


def _quarters_between(first: str, last: str) -> tuple[str, ...]:
    y, q = int(first[:4]), int(first[-1])
    out = []
    while f"{y}-Q{q}" <= last:
        out.append(f"{y}-Q{q}")
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return tuple(out)


def _scenario(scenario_id: str, cache: dict[str, LoadedScenario | None]) -> LoadedScenario | None:
    if scenario_id not in cache:
        path = scenarios_dir() / f"{scenario_id}.yaml"
        try:
            cache[scenario_id] = load_scenario(path) if path.is_file() else None
        except Exception:  # noqa: BLE001 - a broken file only costs the labels
            cache[scenario_id] = None
    return cache[scenario_id]


def _pct(met: int, applies: int) -> float | None:
    return round(100.0 * met / applies, 1) if applies else None


def _pct_text(p: float) -> str:
    return f"{p:g} %"


def build_quality(archive: Archive, from_date: date | datetime, to_date: date | datetime,
                  lang: str = "en", header: Header = Header(),
                  generated_at: datetime | None = None, *, department: str | None = None,
                  site: str | None = None, min_drills: int = 1) -> QualityReport:
    """The quality report over the ended drills started in ``[from_date, to_date]`` (whole UTC
    days, both included) — of one department and one site when given (the drills that belong
    to them, nothing else). A quarter with fewer than ``min_drills`` drills an indicator
    applied to reads "too few drills (n=…)": no median, no compliance, no point on the trend."""
    check_lang(lang)
    rep = indicators_report(archive, from_date, to_date, department=department, site=site)
    groups = [g for g in rep["groups"] if g["department"] is None]
    cache: dict[str, LoadedScenario | None] = {}
    all_quarters = sorted({g["quarter"] for g in groups})
    span = _quarters_between(all_quarters[0], all_quarters[-1]) if all_quarters else ()

    sections = []
    for sid in sorted({g["scenario_id"] for g in groups}):
        mine = {g["quarter"]: g for g in groups if g["scenario_id"] == sid}
        loaded = _scenario(sid, cache)
        title = loaded.scenario.title.get(lang) if loaded else sid
        order = [i.id for i in loaded.scenario.indicators] if loaded else []
        labels = {i.id: i.label.get(lang) for i in loaded.scenario.indicators} if loaded else {}
        seen = [i["id"] for g in mine.values() for i in g["indicators"]]
        # the scenario file's order; ids it lacks in the order the archived text lists them
        ids = [i for i in order if i in seen] + [i for i in dict.fromkeys(seen) if i not in order]
        indicators = []
        for ind in ids:
            cells, trend, target_s = [], [], None
            target_pct, target_source = next(
                ((i["target_pct"], i["target_source"]) for g in mine.values()
                 for i in g["indicators"] if i["id"] == ind), (None, None))
            for q in span:
                g = mine.get(q)
                s = next((i for i in g["indicators"] if i["id"] == ind), None) if g else None
                if s is None:
                    trend.append(None)
                    continue
                t = s["target_s"]
                target_s = t if not isinstance(t, list) else t[0]
                pct = _pct(s["met"], s["applies"])
                if 0 < s["applies"] < min_drills:   # too few to read a figure or a trend from
                    few = tr("too_few", lang, n=s["applies"])
                    cells.append(QuarterCell(q, g["drills"], s["applies"], s["met"], few, None,
                                             few, False))
                    trend.append(None)
                    continue
                cells.append(QuarterCell(
                    q, g["drills"], s["applies"], s["met"], how_long(s["median_s"], lang), pct,
                    f"{s['met']}/{s['applies']} ({_pct_text(pct)})" if pct is not None else "—",
                    pct is not None and target_pct is not None and pct <= target_pct))
                trend.append(pct)
            assert target_s is not None
            indicators.append(IndicatorTrend(
                ind, labels.get(ind, ind), target_s, f"≤ {how_long(target_s, lang)}", target_pct,
                tr("target_none", lang) if target_pct is None else f"> {target_pct:g} %",
                target_source or "", tuple(cells), tuple(trend)))
        drills = tuple(mine[q]["drills"] if q in mine else 0 for q in span)
        sections.append(ScenarioSection(sid, title, span, drills, sum(drills), tuple(indicators)))

    misses = []
    for d in drill_indicators(archive, from_date, to_date, department=department, site=site):
        loaded = _scenario(d.scenario_id, cache)
        labels = {i.id: i.label.get(lang) for i in loaded.scenario.indicators} if loaded else {}
        title = loaded.scenario.title.get(lang) if loaded else d.scenario_id
        for r in d.results:
            if r.met is False:
                misses.append(MissRow(day(d.started_at), d.drill_id, d.drill_id[:8], title,
                                      labels.get(r.id, r.id), r.seconds,
                                      tr("not_reached", lang) if r.seconds is None else how_long(r.seconds, lang),
                                      f"≤ {how_long(r.target_s, lang)}"))
    f, t = _day_text(from_date), _day_text(to_date)
    generated = stamp(generated_at or datetime.now(timezone.utc))   # local, with its UTC offset
    return QualityReport(
        lang=lang, header=header, title=tr("quality", lang), period=f"{f} – {t}", from_date=f,
        to_date=t, drills=rep["drills"], targets_note=tr("targets_note", lang),
        scenarios=tuple(sections), misses=tuple(misses),
        generated=tr("generated", lang, at=generated, v=__version__))


def _day_text(value: Any) -> str:
    return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
