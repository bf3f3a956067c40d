"""Exam psychometrics (CLINICAL.md §6): reliability, standard setting, items, examiners.

Pure Python and deterministic: the one random step, the bootstrap of the borderline-regression
cut, draws from ``random.Random(seed)``. Variances are sample variances (n − 1); a statistic
that is undefined for the data (a constant column, fewer than two cases) is ``None``, never
NaN, so the JSON output stays valid.

The statistics are plain functions of numbers; ``exam_report`` puts them together for the rows
of a scores CSV (``simtool.core.scorecsv``), one candidate's score per station being the mean
over the examiners who scored them there.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import asdict, dataclass
from itertools import combinations
from typing import Any

from simtool.core.errors import SimtoolError
from simtool.core.limits import MAX_BOOTSTRAP_DRAWS, MAX_EXAMINERS_PER_STATION, MAX_RESAMPLES, MIN_RESAMPLES

MIN_BRM_CANDIDATES = 50  # below about this a borderline-regression cut is unstable (§6)
UPPER_LOWER = 0.27       # Kelley's upper and lower groups for item discrimination


def mean(xs: Sequence[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None


def variance(xs: Sequence[float]) -> float | None:
    """Sample variance (n − 1)."""
    if len(xs) < 2:
        return None
    m = sum(xs) / len(xs)
    return sum((x - m) ** 2 for x in xs) / (len(xs) - 1)


def sd(xs: Sequence[float]) -> float | None:
    v = variance(xs)
    return None if v is None else math.sqrt(v)


def pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    if len(x) != len(y) or len(x) < 2:
        return None
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx <= 0 or syy <= 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def percentile(sorted_xs: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), ``q`` in [0, 1]."""
    pos = q * (len(sorted_xs) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_xs) - 1)
    return sorted_xs[lo] + (sorted_xs[hi] - sorted_xs[lo]) * (pos - lo)


# --- reliability -----------------------------------------------------------------------------
def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """α = k/(k−1)·(1 − Σsᵢ²/s²ₜ) for rows = cases, columns = parts (items or stations)."""
    if len(rows) < 2 or not rows[0] or len(rows[0]) < 2:
        return None
    k = len(rows[0])
    parts = [variance([r[j] for r in rows]) or 0.0 for j in range(k)]
    total = variance([sum(r) for r in rows])
    if not total:
        return None
    return k / (k - 1) * (1 - sum(parts) / total)


def sem(sd_: float | None, alpha: float | None) -> float | None:
    """Standard error of measurement SD·√(1 − α); None when α is unknown or negative-defined."""
    if sd_ is None or alpha is None or alpha > 1:
        return None
    return sd_ * math.sqrt(max(0.0, 1 - alpha))


# --- standard setting ------------------------------------------------------------------------
@dataclass(frozen=True)
class Regression:
    intercept: float
    slope: float
    r2: float
    n: int


def linear_regression(x: Sequence[float], y: Sequence[float]) -> Regression | None:
    """Ordinary least squares y = a + b·x; None if x is constant or n < 2."""
    n = len(x)
    if n < 2 or len(y) != n:
        return None
    mx, my = sum(x) / n, sum(y) / n
    sxx = sum((a - mx) ** 2 for a in x)
    if sxx <= 0:
        return None
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    syy = sum((b - my) ** 2 for b in y)
    slope = sxy / sxx
    r2 = (sxy * sxy) / (sxx * syy) if syy > 0 else 1.0
    return Regression(my - slope * mx, slope, r2, n)


@dataclass(frozen=True)
class BorderlineRegression:
    cut: float
    intercept: float
    slope: float
    r2: float
    n: int
    ci95: tuple[float, float] | None   # percentile bootstrap over candidates
    resamples: int
    seed: int
    warning: str | None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["ci95"] = list(self.ci95) if self.ci95 else None
        return out


def borderline_regression(checklist: Sequence[float], grades: Sequence[float], borderline: float, *,
                          resamples: int = 1000, seed: int = 0,
                          min_n: int = MIN_BRM_CANDIDATES) -> BorderlineRegression | None:
    """Regress checklist on global grade; cut = a + b·g(borderline). One pair per candidate."""
    fit = linear_regression(grades, checklist)
    if fit is None:
        return None
    rng = random.Random(seed)
    n = len(checklist)
    cuts: list[float] = []
    for _ in range(resamples):
        pick = [rng.randrange(n) for _ in range(n)]
        f = linear_regression([grades[i] for i in pick], [checklist[i] for i in pick])
        if f is not None:  # a resample with one grade only has no line
            cuts.append(f.intercept + f.slope * borderline)
    cuts.sort()
    ci = (percentile(cuts, 0.025), percentile(cuts, 0.975)) if cuts else None
    warning = (f"only {n} candidates: a borderline-regression cut is unstable below about {min_n}; "
               f"read it with its bootstrap interval") if n < min_n else None
    return BorderlineRegression(fit.intercept + fit.slope * borderline, fit.intercept, fit.slope,
                                fit.r2, n, ci, len(cuts), seed, warning)


@dataclass(frozen=True)
class BorderlineGroup:
    cut: float | None   # mean checklist score of the borderline candidates
    n: int


def borderline_group(checklist: Sequence[float], grades: Sequence[float],
                     borderline: float) -> BorderlineGroup:
    group = [c for c, g in zip(checklist, grades) if abs(g - borderline) < 1e-9]
    return BorderlineGroup(mean(group), len(group))


@dataclass(frozen=True)
class Angoff:
    cut: float          # mean over judges of the summed item probabilities
    items: int
    judges: int
    cut_fraction: float  # cut / items: the same cut as a share of the item count


def modified_angoff(judgements: Mapping[str, Mapping[str, float]]) -> Angoff | None:
    """``judgements[judge][item]`` = probability a borderline candidate gets the item right."""
    sums = [sum(items.values()) for items in judgements.values() if items]
    if not sums:
        return None
    k = max(len(items) for items in judgements.values())
    cut = sum(sums) / len(sums)
    return Angoff(cut, k, len(sums), cut / k)


# --- items -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ItemStats:
    id: str
    n: int
    difficulty: float | None       # mean / max: the share answering right for 0/1 items
    discrimination: float | None   # (U − L)/(g·max), upper and lower 27 % on the total
    item_rest: float | None        # Pearson r of the item with the total of the other items


def item_analysis(items: Mapping[str, Sequence[float]]) -> list[ItemStats]:
    """``items[id]`` = that item's score for each candidate, candidates in the same order.

    An item's maximum is the highest score anyone got on it (1 for right/wrong items)."""
    ids = list(items)
    if not ids:
        return []
    n = len(items[ids[0]])
    totals = [sum(items[i][c] for i in ids) for c in range(n)]
    g = max(1, round(UPPER_LOWER * n)) if n >= 2 else 0
    order = sorted(range(n), key=lambda c: totals[c])  # stable: ties keep the input order
    lower, upper = order[:g], order[n - g:]
    out = []
    for i in ids:
        xs = items[i]
        top = max(xs) if xs else 0.0
        diff = (sum(xs) / n / top) if n and top > 0 else None
        disc = ((sum(xs[c] for c in upper) - sum(xs[c] for c in lower)) / (g * top)
                if g and top > 0 else None)
        rest = pearson(list(xs), [totals[c] - xs[c] for c in range(n)]) if len(ids) > 1 else None
        out.append(ItemStats(i, n, diff, disc, rest))
    return out


# --- raters ----------------------------------------------------------------------------------
def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """κ = (pₒ − pₑ)/(1 − pₑ) for two raters' categories of the same cases."""
    n = len(a)
    if n == 0 or len(b) != n:
        return None
    po = sum(x == y for x, y in zip(a, b)) / n
    cats = set(a) | set(b)
    count_a, count_b = Counter(a), Counter(b)  # (counting per category was quadratic)
    pe = sum((count_a[c] / n) * (count_b[c] / n) for c in cats)
    if pe >= 1:
        return None  # both raters used one category: agreement is undefined, not perfect
    return (po - pe) / (1 - pe)


@dataclass(frozen=True)
class ICC:
    """Shrout & Fleiss (1979) two-way intraclass correlations, single rater."""

    icc2_1: float | None  # random raters, absolute agreement
    icc3_1: float | None  # fixed raters, consistency
    n: int                # targets (candidates)
    k: int                # raters (examiners)
    bms: float
    jms: float
    ems: float


def icc(matrix: Sequence[Sequence[float]]) -> ICC | None:
    """ICC(2,1) and ICC(3,1) of ``matrix[target][judge]`` (complete: every judge, every target)."""
    n = len(matrix)
    k = len(matrix[0]) if n else 0
    if n < 2 or k < 2:
        return None
    grand = sum(sum(r) for r in matrix) / (n * k)
    rows = [sum(r) / k for r in matrix]
    cols = [sum(r[j] for r in matrix) / n for j in range(k)]
    ss_total = sum((x - grand) ** 2 for r in matrix for x in r)
    ss_b = k * sum((m - grand) ** 2 for m in rows)
    ss_j = n * sum((m - grand) ** 2 for m in cols)
    bms, jms = ss_b / (n - 1), ss_j / (k - 1)
    ems = (ss_total - ss_b - ss_j) / ((n - 1) * (k - 1))
    d2 = bms + (k - 1) * ems + k * (jms - ems) / n
    d3 = bms + (k - 1) * ems
    return ICC((bms - ems) / d2 if d2 > 0 else None, (bms - ems) / d3 if d3 > 0 else None,
               n, k, bms, jms, ems)


def examiner_deviation(cases: Mapping[Hashable, Mapping[str, float]]) -> dict[str, dict[str, Any]]:
    """Each examiner's mean of (their score − the mean of the other examiners' scores of the
    same case), over cases scored by two or more: below 0 a hawk, above 0 a dove."""
    devs: dict[str, list[float]] = {}
    for scores in cases.values():
        if len(scores) < 2:
            continue
        total = sum(scores.values())
        for ex, s in scores.items():
            others = (total - s) / (len(scores) - 1)
            devs.setdefault(ex, []).append(s - others)
    return {ex: {"mean_deviation": sum(d) / len(d), "n": len(d)} for ex, d in sorted(devs.items())}


# --- one exam --------------------------------------------------------------------------------
def _r(x: float | None, nd: int = 4) -> float | None:
    # an undefined statistic is null in the JSON, never NaN or Infinity (which are not JSON)
    return None if x is None or not math.isfinite(x) else round(x, nd)


def check_bootstrap(rows: Sequence[Any], resamples: int, option: str = "resamples") -> None:
    """SimtoolError unless ``resamples`` is in [MIN_RESAMPLES, MAX_RESAMPLES] and the bootstrap
    of the largest station (resamples × its candidates) stays within MAX_BOOTSTRAP_DRAWS."""
    if isinstance(resamples, bool) or not isinstance(resamples, int) or \
            not MIN_RESAMPLES <= resamples <= MAX_RESAMPLES:
        raise SimtoolError(f"{option} must be a whole number from {MIN_RESAMPLES} to {MAX_RESAMPLES:,}")
    candidates: dict[str, set[str]] = {}
    examiners: dict[str, set[str]] = {}
    for r in rows:
        candidates.setdefault(r.station, set()).add(r.candidate)
        examiners.setdefault(r.station, set()).add(r.examiner)
    if not candidates:
        return
    for station, names in sorted(examiners.items()):
        if len(names) > MAX_EXAMINERS_PER_STATION:  # every pair of them is compared
            raise SimtoolError(f"station {station} has {len(names):,} examiners; the limit is "
                               f"{MAX_EXAMINERS_PER_STATION} per station (simtool's limit)")
    station, most = max(((s, len(c)) for s, c in candidates.items()), key=lambda sc: (sc[1], sc[0]))
    if resamples * most > MAX_BOOTSTRAP_DRAWS:
        raise SimtoolError(f"{option} {resamples:,} × {most:,} candidates at station {station} is "
                           f"{resamples * most:,} bootstrap draws; the limit is {MAX_BOOTSTRAP_DRAWS:,} "
                           f"(use {option} {max(1, MAX_BOOTSTRAP_DRAWS // most):,} or fewer)")


def exam_report(rows: Sequence[Any], borderline: float = 2.0, *,
                angoff: Mapping[str, Mapping[str, Mapping[str, float]]] | None = None,
                resamples: int = 1000, seed: int = 0) -> dict[str, Any]:
    """Every §6 statistic for the ``ScoreRow``s of one exam, as the ``--json`` object.

    A candidate's station score, grade and items are the means over the examiners who scored
    them there. The station's cut is the borderline-regression cut (else the borderline-group
    mean); pass means a checklist score at or above it, for the pass rate and for κ on
    pass/fail between two examiners."""
    check_bootstrap(rows, resamples)
    by_station: dict[str, dict[str, dict[str, Any]]] = {}
    for r in rows:
        by_station.setdefault(r.station, {}).setdefault(r.candidate, {})[r.examiner] = r
    stations_out = []
    station_scores: dict[str, dict[str, float]] = {}
    warnings: list[str] = []
    for station in sorted(by_station):
        cands = by_station[station]
        ids = sorted(cands)
        check = [mean([r.checklist for r in cands[c].values()]) or 0.0 for c in ids]
        grade = [mean([r.grade for r in cands[c].values()]) or 0.0 for c in ids]
        station_scores[station] = dict(zip(ids, check))
        item_ids = sorted({i for c in ids for r in cands[c].values() for i in r.items})
        complete = [c for c in ids if all(i in r.items for r in cands[c].values() for i in item_ids)]
        item_cols = {i: [mean([r.items[i] for r in cands[c].values()]) or 0.0 for c in complete]
                     for i in item_ids}
        alpha = cronbach_alpha([[item_cols[i][n] for i in item_ids] for n in range(len(complete))]) \
            if item_ids else None
        brm = borderline_regression(check, grade, borderline, resamples=resamples, seed=seed)
        bg = borderline_group(check, grade, borderline)
        cut = brm.cut if brm else bg.cut
        if brm and brm.warning:
            warnings.append(f"station {station}: {brm.warning}")
        s = sd(check)
        examiners = sorted({e for c in ids for e in cands[c]})
        agreement = []
        for a, b in combinations(examiners, 2):
            both = [c for c in ids if a in cands[c] and b in cands[c]]
            if len(both) < 2:
                continue
            ra, rb = [cands[c][a] for c in both], [cands[c][b] for c in both]
            pair = icc([[x.checklist, y.checklist] for x, y in zip(ra, rb)])
            agreement.append({
                "examiners": [a, b], "n": len(both),
                "kappa_grade": _r(cohen_kappa([x.grade for x in ra], [y.grade for y in rb])),
                "kappa_pass": None if cut is None else _r(cohen_kappa(
                    [x.checklist >= cut - 1e-9 for x in ra], [y.checklist >= cut - 1e-9 for y in rb])),
                "icc2_1": _r(pair.icc2_1) if pair else None,
                "icc3_1": _r(pair.icc3_1) if pair else None})
        full = [c for c in ids if all(e in cands[c] for e in examiners)]
        all_icc = icc([[cands[c][e].checklist for e in examiners] for c in full]) \
            if len(examiners) >= 2 else None
        a_out = None
        if angoff and station in angoff:
            ang = modified_angoff(angoff[station])
            a_out = None if ang is None else {"cut": _r(ang.cut), "cut_fraction": _r(ang.cut_fraction),
                                              "items": ang.items, "judges": ang.judges}
        stations_out.append({
            "station": station, "n": len(ids), "mean": _r(mean(check)), "sd": _r(s),
            "cut": _r(cut), "cut_method": ("borderline_regression" if brm else
                                           "borderline_group" if bg.cut is not None else None),
            "pass_rate": None if cut is None else _r(sum(x >= cut - 1e-9 for x in check) / len(check)),
            "alpha": _r(alpha), "sem": _r(sem(s, alpha)),
            "borderline_regression": None if brm is None else {
                k: (_r(v) if isinstance(v, float) else v) for k, v in brm.to_dict().items()
            } | {"ci95": [_r(x) for x in brm.ci95] if brm.ci95 else None},
            "borderline_group": {"cut": _r(bg.cut), "n": bg.n},
            "angoff": a_out,
            "items": [{k: (_r(v) if isinstance(v, float) else v) for k, v in asdict(it).items()}
                      for it in item_analysis(item_cols)],
            "item_candidates": len(complete),
            "agreement": agreement,
            "icc": None if all_icc is None else {"examiners": examiners, "n": all_icc.n, "k": all_icc.k,
                                                 "icc2_1": _r(all_icc.icc2_1), "icc3_1": _r(all_icc.icc3_1)},
        })
    names = sorted(station_scores)
    everywhere = sorted(set.intersection(*(set(v) for v in station_scores.values()))) if names else []
    matrix = [[station_scores[s][c] for s in names] for c in everywhere]
    totals = [sum(r) for r in matrix]
    exam_alpha = cronbach_alpha(matrix) if len(names) >= 2 else None
    cases = {(r.candidate, r.station): {} for r in rows}
    for r in rows:
        cases[(r.candidate, r.station)][r.examiner] = r.checklist
    return {
        "candidates": len({r.candidate for r in rows}), "borderline_grade": borderline,
        "stations": stations_out,
        "exam": {"n": len(everywhere), "stations": len(names), "mean": _r(mean(totals)),
                 "sd": _r(sd(totals)), "alpha": _r(exam_alpha), "sem": _r(sem(sd(totals), exam_alpha))},
        "examiners": [{"examiner": e, "mean_deviation": _r(d["mean_deviation"]), "n": d["n"]}
                      for e, d in examiner_deviation(cases).items()],
        "warnings": warnings,
    }
