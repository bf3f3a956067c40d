"""The quality-meeting pack of one quarter (issue 21; document 002: a PDCA quality meeting
every quarter) as a plain data object, already in the reader's language:

* Check — each indicator of the quarter against its targets, with its compliance in the three
  quarters before (the trend) and the change from the quarter before; built from
  ``simtool.reports.qualitydata.build_quality`` (so the same figures as the quality report);
* alerts — ``simtool.core.alerts.alerts`` over the same quarters (below the compliance target
  in two consecutive quarters, the median above the timing target in two, or a compliance drop
  beyond the margin; the report's own ``alerts`` when ``indicators_report`` adds them), raised
  in the pack's quarter; and the indicators below their compliance target in the quarter;
* the latent safety threats found in the quarter's drills (``simtool.store.quality``);
* Plan and do — the corrective actions the quarter follows up, each open, done or overdue on
  the archive's clock (overdue ones marked for the renderer);
* Act — the quarter's decision, with the earlier ones.

Of one department (and site) when given: its drills, its threats, its actions and its
decision; else the whole archive's."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from simtool import __version__
from simtool.reports.common import Header, day, stamp
from simtool.reports.i18n import check_lang, tr
from simtool.reports.qualitydata import build_quality
from simtool.store import Archive
from simtool.store.quality import (actions_of_quarter, previous_quarters, quarter_bounds,
                                   threats_of_quarter)

TREND_QUARTERS = 4   # the quarter and the three before it


@dataclass(frozen=True)
class CheckRow:
    scenario: str
    indicator_id: str
    label: str
    target: str               # per drill: "≤ 10 min"
    target_share: str         # "> 90 %"
    cells: tuple[str, ...]    # compliance per quarter of ``PackReport.quarters`` ("—" when none)
    below: tuple[bool, ...]   # per quarter: below the compliance target
    change: str               # the quarter against the one before, in points, or ""


@dataclass(frozen=True)
class ThreatRow:
    id: int
    drill: str                # the first 8 characters of the drill id
    date: str
    category: str
    risk: str                 # "high (3 × 4 = 12)"
    risk_band: str            # low, moderate, high, extreme (untranslated, for the colour)
    found: str
    root_cause: str
    links: str                # "events 3, 7 · Oxytocin per protocol"


@dataclass(frozen=True)
class ActionRow:
    id: int
    title: str
    owner: str                # "Li Na (S1001)"
    deadline: str
    indicator: str
    threat: str
    status: str               # open, done, overdue (untranslated, for the colour)
    status_text: str
    note: str                 # the latest status change's note


@dataclass(frozen=True)
class DecisionRow:
    decision: str
    note: str
    recorded: str


@dataclass(frozen=True)
class QualityPack:
    lang: str
    header: Header
    title: str
    quarter: str
    period: str
    site: str | None
    drills: int                       # ended drills in the quarter
    quarters: tuple[str, ...]         # the trend's quarters, oldest first (the pack's last)
    check: tuple[CheckRow, ...]
    alerts_note: str
    alerts: tuple[str, ...]           # the alerts raised in the quarter, worded
    below_note: str
    below: tuple[str, ...]            # the indicators below their compliance target in the quarter
    threats: tuple[ThreatRow, ...]
    actions: tuple[ActionRow, ...]
    action_counts: str
    decision: DecisionRow | None
    earlier_decisions: tuple[DecisionRow, ...]
    generated: str


def _indicator_labels(lang: str) -> dict[str, str]:
    """Every indicator id of the scenario files with its label in ``lang``."""
    from simtool.core.paths import scenarios_dir
    files = tuple(sorted((str(p), p.stat().st_mtime) for p in Path(scenarios_dir()).glob("*.yaml")
                         if p.name != "actions.yaml"))
    return _labels_of(files, lang)


@functools.lru_cache(maxsize=8)
def _labels_of(files: tuple[tuple[str, float], ...], lang: str) -> dict[str, str]:
    from simtool.core.scenario import load_scenario
    out: dict[str, str] = {}
    for path, _mtime in files:
        try:
            loaded = load_scenario(Path(path))
        except Exception:  # noqa: BLE001 - a broken file only costs its labels
            continue
        for ind in loaded.scenario.indicators:
            out.setdefault(ind.id, ind.label.get(lang))
    return out


def _targets(report: dict) -> dict[tuple[str, str], float]:
    """Each (scenario, indicator)'s compliance target as the indicator report gives it (when
    it gives one: per-indicator targets, issue 21 item 1)."""
    out = {}
    for g in report.get("groups", ()):
        for i in g.get("indicators", ()):
            t = i.get("target_pct")
            if isinstance(t, (int, float)) and not isinstance(t, bool):
                out[(g["scenario_id"], i["id"])] = float(t)
    return out


def _alerts(report: dict, quarter: str, labels: dict[str, str], titles: dict[str, str],
            lang: str) -> list[str]:
    """The alerts of ``simtool.core.alerts`` raised in ``quarter`` on the series of the
    pack's drills (all of them, or the department's), worded."""
    from simtool.core.alerts import alerts
    from simtool.reports.common import span as how_long
    found = report.get("alerts")
    if found is None:
        found = alerts(report, departments=[None])
    out = []
    for a in found:
        if a.get("period") != quarter or a.get("department") is not None:
            continue
        label = f"{titles.get(a['scenario_id'], a['scenario_id'])} · {labels.get(a['indicator'], a['indicator'])}"
        pct = lambda x: "—" if x is None else f"{round(100 * x, 1):g} %"   # noqa: E731
        if a["kind"] == "below_target":
            c0, c1 = a["compliance"]
            t = a.get("target_pct")
            out.append(tr("qp_alert_below", lang, label=label, prev=a["previous"], q=quarter,
                          c0=pct(c0), c1=pct(c1), t="—" if t is None else f"{t:g} %"))
        elif a["kind"] == "above_time":
            m0, m1 = a["median_s"]
            out.append(tr("qp_alert_slow", lang, label=label, prev=a["previous"], q=quarter,
                          m0=how_long(m0, lang), m1=how_long(m1, lang),
                          t=how_long(a.get("target_s"), lang)))
        else:
            c0, c1 = a["compliance"]
            out.append(tr("qp_alert_drop", lang, label=label, c0=pct(c0), c1=pct(c1),
                          d=f"{a['drop_pts']:g}", m=f"{a['margin_pts']:g}"))
    return out


def _points(d: float, lang: str) -> str:
    sign = "+" if d > 0 else "−" if d < 0 else "±"
    return tr("qp_points", lang, d=f"{sign}{abs(d):g}")


def build_quality_pack(archive: Archive, quarter: str, lang: str = "en", header: Header = Header(),
                       generated_at: datetime | None = None, *, department: str | None = None,
                       site: str | None = None, min_drills: int = 1) -> QualityPack:
    check_lang(lang)
    first, last = quarter_bounds(quarter)
    quarters = tuple(previous_quarters(quarter, TREND_QUARTERS))
    span_first, _ = quarter_bounds(quarters[0])
    from simtool.store.analytics import indicators_report
    report = indicators_report(archive, date.fromisoformat(span_first), date.fromisoformat(last),
                               department=department, site=site)
    targets = _targets(report)
    rep = build_quality(archive, date.fromisoformat(span_first), date.fromisoformat(last), lang,
                        header, generated_at, department=department, site=site,
                        min_drills=min_drills)
    labels = _indicator_labels(lang)
    titles = {s.scenario_id: s.title for s in rep.scenarios}
    check, under, drills = [], [], 0
    for s in rep.scenarios:
        if quarter in s.quarters:
            drills += s.drills[s.quarters.index(quarter)]
        for ind in s.indicators:
            by_q = {c.quarter: c for c in ind.cells}
            target_pct = targets.get((s.scenario_id, ind.id))
            if target_pct is None:
                target_pct = getattr(ind, "target_pct", None)
            # no compliance target (a scenario text archived before targets): nothing is below it
            share = tr("target_none", lang) if target_pct is None else f"> {target_pct:g} %"
            cells = tuple(by_q[q].compliance if q in by_q else "—" for q in quarters)
            below = tuple(target_pct is not None and q in by_q and by_q[q].compliance_pct is not None
                          and by_q[q].compliance_pct <= target_pct for q in quarters)
            now, before = by_q.get(quarter), by_q.get(quarters[-2]) if len(quarters) > 1 else None
            change = ""
            if now is not None and before is not None and now.compliance_pct is not None \
                    and before.compliance_pct is not None:
                change = _points(round(now.compliance_pct - before.compliance_pct, 1), lang)
            check.append(CheckRow(s.title, ind.id, ind.label, ind.target, share, cells, below, change))
            if now is not None and below[-1]:
                under.append(tr("qp_below", lang, label=f"{s.title} · {ind.label}",
                                 met=now.compliance, target=share))

    alerts = _alerts(report, quarter, labels, titles, lang)
    today = archive.now()[:10]
    threats = []
    for t in threats_of_quarter(archive.safety_threats(), quarter, department, site):
        links = []
        if t.events:
            links.append(tr("qp_events", lang, seqs=", ".join(str(e) for e in t.events)))
        links += [labels.get(i, i) for i in t.indicators]
        band = t.risk
        threats.append(ThreatRow(
            t.id, t.drill_id[:8], day(t.drill_started_at), tr(f"qc_{t.category}", lang),
            f"{tr('qr_' + band, lang)} ({t.likelihood} × {t.severity} = {t.risk_score})", band,
            t.found, t.root_cause, " · ".join(links) or "—"))

    rows, counts = [], {"open": 0, "done": 0, "overdue": 0}
    for a in actions_of_quarter(archive.quality_actions(), quarter, department):
        if site is not None and a.site not in (None, site):
            continue
        st = a.status_on(today)
        counts[st] += 1
        note = next((u.note for u in reversed(a.updates) if u.note), "") or ""
        rows.append(ActionRow(
            a.id, a.title, f"{a.owner_name} ({a.owner})", a.deadline,
            labels.get(a.indicator, a.indicator) if a.indicator else "—",
            f"#{a.threat}" if a.threat is not None else "—", st, tr(f"qa_{st}", lang), note))

    decisions = [DecisionRow(tr(f"qd_{d.decision}", lang), d.note,
                             tr("qp_decided", lang, at=stamp(d.at), by=d.by or "?"))
                 for d in archive.quality_decisions(quarter, department=department)]
    generated = stamp(generated_at or datetime.now(timezone.utc))
    return QualityPack(
        lang=lang, header=header, title=tr("qp_title", lang, q=quarter), quarter=quarter,
        period=f"{first} – {last}", site=site, drills=drills, quarters=quarters,
        check=tuple(check), alerts_note=tr("qp_alerts_rule", lang),
        alerts=tuple(alerts), below_note=tr("qp_below_title", lang, q=quarter), below=tuple(under), threats=tuple(threats), actions=tuple(rows),
        action_counts=tr("qp_counts", lang, day=today, **counts),
        decision=decisions[-1] if decisions else None,
        earlier_decisions=tuple(decisions[:-1]),
        generated=tr("generated", lang, at=generated, v=__version__))

