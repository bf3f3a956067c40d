"""Quality alerts over an indicator report: what a department's quality meeting must look at.

Document 002 (PPH standardisation, ``../shared/sources``) asks for monthly and quarterly
quality reports that raise alerts on abnormal data by themselves (月度/季度质控报告…对异常数据
自动预警). Three rules, each over one series — one scenario × department (``None``: all
departments) × indicator, period after period:

* ``below_target``: compliance not above the indicator's compliance target (``target_pct``;
  document 002 words its target as "oxytocin compliance >90 %") in two consecutive periods;
* ``above_time``: the median time above the indicator's timing target (``target_s``) in two
  consecutive periods;
* ``drop``: compliance fell from one period to the next by more than ``margin_pts``
  percentage points (default ``DEFAULT_DROP_MARGIN_PTS``).

Consecutive means calendar neighbours (2024-Q4 then 2025-Q1; 2025-01 then 2025-02): a period
without a drill breaks the run, so a department that drills twice a year is compared with
nothing rather than with last year. One bad period alone raises nothing; three bad periods in
a row raise one alert in the second and one in the third (``run`` says how long the run is).

Pure and deterministic: no clock, no archive. ``simtool.store.analytics.indicators_report``
makes the report and adds ``alerts(report)`` to it; the dashboard, ``stats indicators`` and
the quarterly quality-meeting pack read them from there or call ``alerts`` themselves.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

# design: department's choice. Document 002 asks for automatic alerts on abnormal indicator
# data but gives no figure for a fall; 10 percentage points from one period to the next is
# this project's starting value (verify: true — a department sets its own in its targets,
# ``simtool.store.targets``, or with ``stats indicators --alert-margin``).
DEFAULT_DROP_MARGIN_PTS = 10.0
DROP_MARGIN_SOURCE = "design: department's choice (document 002 gives no figure); verify"

KINDS = ("below_target", "above_time", "drop")

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@functools.lru_cache(maxsize=4096)
def previous_period(period: str) -> str | None:
    """The calendar period before ``period`` (``2025-Q1`` → ``2024-Q4``, ``2025-01`` →
    ``2024-12``), or None for a string that is neither a quarter nor a month."""
    m = _QUARTER.match(period)
    if m:
        y, q = int(m[1]), int(m[2])
        return f"{y - 1}-Q4" if q == 1 else f"{y}-Q{q - 1}"
    m = _MONTH.match(period)
    if m:
        y, mo = int(m[1]), int(m[2])
        return f"{y - 1}-12" if mo == 1 else f"{y}-{mo - 1:02d}"
    return None


def _period(group: Mapping[str, Any]) -> str | None:
    p = group.get("period", group.get("quarter"))
    return p if isinstance(p, str) else None


def _number(x: Any) -> float | None:
    if type(x) not in (int, float) or not math.isfinite(x):   # (a bool is no number here)
        return None   # NaN or infinity is no value
    return float(x)


def _time_target(target: Any) -> float | None:
    """One timing target; several (drills on different scenario texts): the most lenient."""
    if isinstance(target, list):
        values = [v for v in (_number(t) for t in target) if v is not None]
        return max(values) if values else None
    return _number(target)


def _below(ind: Mapping[str, Any]) -> bool:
    comp, target = _number(ind.get("compliance")), _number(ind.get("target_pct"))
    return comp is not None and target is not None and 100 * comp <= target


def _slow(ind: Mapping[str, Any]) -> bool:
    median, target = _number(ind.get("median_s")), _time_target(ind.get("target_s"))
    return median is not None and target is not None and median > target


def alerts(report: Mapping[str, Any], *, margin_pts: float = DEFAULT_DROP_MARGIN_PTS,
           departments: Iterable[str | None] | None = None) -> list[dict[str, Any]]:
    """The alerts of an indicator report.

    Input: ``report`` is the ``stats indicators --json`` object
    (``simtool.store.analytics.indicators_report``): its ``groups`` each have
    ``scenario_id``, ``period`` (``YYYY-Qn`` or ``YYYY-MM``; an older report's ``quarter`` is
    read too), ``department`` (None: all departments) and ``indicators``, each with ``id``,
    ``compliance`` (0–1 or None), ``target_pct`` (percent or None), ``median_s`` and
    ``target_s`` (seconds, or a list of them). ``margin_pts`` is the compliance drop, in
    percentage points, beyond which a fall raises ``drop``. ``departments``, when given, keeps
    the series of those departments only (put None in it for the all-departments series).

    Output: a list of dicts, newest period first, then scenario, department, indicator and
    kind; each has ``kind`` (``below_target``, ``above_time`` or ``drop``), ``scenario_id``,
    ``department``, ``indicator``, ``period`` (the period that raised it), ``previous``
    (the period before it), ``run`` (how many consecutive periods ended at ``period`` broke
    the rule; 2 for ``drop``), ``applies`` ([previous, this]: how many drills each figure
    stands on, for a reader who sets a minimum) and the figures: ``compliance`` ([previous, this] as 0–1) with
    ``target_pct`` for ``below_target``, ``median_s`` ([previous, this]) with ``target_s``
    for ``above_time``, ``compliance``, ``drop_pts`` and ``margin_pts`` for ``drop``.
    Indicators without a value in a period (no drill it applied to) raise nothing there.
    """
    margin = _number(margin_pts)
    if margin is None or margin < 0:
        raise ValueError(f"the alert margin must be a number of percentage points ≥ 0, not {margin_pts!r}")
    wanted = None if departments is None else set(departments)
    series: dict[tuple[str, str | None, str], dict[str, Mapping[str, Any]]] = {}
    for g in report.get("groups", ()):
        period = _period(g)
        if period is None or previous_period(period) is None:
            continue
        dept = g.get("department")
        if wanted is not None and dept not in wanted:
            continue
        for ind in g.get("indicators", ()):
            series.setdefault((str(g.get("scenario_id")), dept, str(ind.get("id"))), {})[period] = ind
    out: list[dict[str, Any]] = []
    for (scenario_id, dept, ind_id), by_period in series.items():
        runs: dict[str, tuple[int, int]] = {}   # period -> consecutive (below, slow) up to it
        for period in sorted(by_period):
            now, prev_p = by_period[period], previous_period(period)
            before = by_period.get(prev_p) if prev_p is not None else None
            was = runs.get(prev_p, (0, 0)) if prev_p is not None else (0, 0)
            run = (was[0] + 1 if _below(now) else 0, was[1] + 1 if _slow(now) else 0)
            runs[period] = run
            drop = None
            if before is not None:
                a, b = _number(before.get("compliance")), _number(now.get("compliance"))
                if a is not None and b is not None and round(100 * (a - b), 6) > margin:
                    drop = (a, b)
            if before is None or (run[0] < 2 and run[1] < 2 and drop is None):
                continue
            base = {"scenario_id": scenario_id, "department": dept, "indicator": ind_id,
                    "period": period, "previous": prev_p,
                    "applies": [before.get("applies"), now.get("applies")]}
            if run[0] >= 2:
                out.append({"kind": "below_target", **base, "run": run[0],
                            "compliance": [before.get("compliance"), now.get("compliance")],
                            "target_pct": _number(now.get("target_pct"))})
            if run[1] >= 2:
                out.append({"kind": "above_time", **base, "run": run[1],
                            "median_s": [before.get("median_s"), now.get("median_s")],
                            "target_s": _time_target(now.get("target_s"))})
            if drop is not None:
                out.append({"kind": "drop", **base, "run": 2, "compliance": list(drop),
                            "drop_pts": round(100 * (drop[0] - drop[1]), 2), "margin_pts": margin})
    out.sort(key=lambda a: (_neg(a["period"]), a["scenario_id"], a["department"] or "",
                            a["indicator"], KINDS.index(a["kind"])))
    return out


def _neg(period: str) -> tuple[int, ...]:
    """Sort key: newest period first."""
    return tuple(-ord(c) for c in period)
