"""Exam psychometrics against published worked examples and small cases computed by hand.

Each test names where its expected numbers come from."""

from __future__ import annotations

import pytest

from simtool.core.psychometrics import (borderline_group, borderline_regression, cohen_kappa,
                                        cronbach_alpha, exam_report, examiner_deviation, icc,
                                        item_analysis, linear_regression, modified_angoff, sem)
from simtool.core.scorecsv import ScoreRow

# Shrout PE, Fleiss JL. Intraclass correlations: uses in assessing rater reliability.
# Psychol Bull 1979;86:420-8, Table 2: 6 targets (rows) rated by 4 judges (columns).
SHROUT_FLEISS = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]


def test_icc_reproduces_shrout_fleiss_table_2():
    # Table 3 of the paper: BMS 11.24, JMS 32.49, EMS 1.02; Table 4: ICC(2,1) .29, ICC(3,1) .71
    r = icc(SHROUT_FLEISS)
    assert (r.n, r.k) == (6, 4)
    assert r.bms == pytest.approx(11.24, abs=0.005)
    assert r.jms == pytest.approx(32.49, abs=0.005)
    assert r.ems == pytest.approx(1.02, abs=0.005)
    assert round(r.icc2_1, 2) == 0.29
    assert round(r.icc3_1, 2) == 0.71


def test_icc_needs_two_targets_and_two_judges():
    assert icc([[1, 2]]) is None and icc([[1], [2]]) is None


def _table(yy: int, yn: int, ny: int, nn: int) -> tuple[list[str], list[str]]:
    """Rater A's and rater B's labels from a 2×2 table (A row, B column)."""
    a = ["yes"] * (yy + yn) + ["no"] * (ny + nn)
    b = ["yes"] * yy + ["no"] * yn + ["yes"] * ny + ["no"] * nn
    return a, b


def test_cohen_kappa_textbook_examples():
    # Wikipedia "Cohen's kappa", worked example: 50 proposals, both yes 20, both no 15,
    # A yes/B no 5, A no/B yes 10: pₒ = 0.7, pₑ = 0.5, κ = 0.4.
    assert cohen_kappa(*_table(20, 5, 10, 15)) == pytest.approx(0.4)
    # Same article, "same percentages but different numbers": both pₒ = 0.60;
    # (45, 15, 25, 15): pₑ = 0.54, κ = 0.1304; (25, 35, 5, 35): pₑ = 0.46, κ = 0.2593.
    assert cohen_kappa(*_table(45, 15, 25, 15)) == pytest.approx(0.1304, abs=5e-5)
    assert cohen_kappa(*_table(25, 35, 5, 35)) == pytest.approx(0.2593, abs=5e-5)


def test_cohen_kappa_perfect_and_undefined():
    assert cohen_kappa([1, 2, 3, 2], [1, 2, 3, 2]) == pytest.approx(1.0)
    assert cohen_kappa([1, 1, 1], [1, 1, 1]) is None  # pₑ = 1: no information


def test_cronbach_alpha_by_hand():
    # items [2,4,6] (s² 4) and [3,5,4] (s² 1); totals [5,9,10] (s² 7):
    # α = 2/1·(1 − 5/7) = 4/7
    assert cronbach_alpha([[2, 3], [4, 5], [6, 4]]) == pytest.approx(4 / 7)
    # parallel items: α = 1
    assert cronbach_alpha([[1, 1], [2, 2], [3, 3]]) == pytest.approx(1.0)
    assert cronbach_alpha([[1, 2]]) is None


def test_sem_by_hand():
    assert sem(10.0, 0.91) == pytest.approx(3.0)  # 10·√0.09
    assert sem(10.0, None) is None


def test_linear_regression_by_hand():
    # x̄ = ȳ = 2, Sxy = 1, Sxx = 2, Syy = 2: b = 0.5, a = 1, R² = 1/(2·2) = 0.25
    fit = linear_regression([1, 2, 3], [1, 3, 2])
    assert (fit.intercept, fit.slope, fit.r2) == pytest.approx((1.0, 0.5, 0.25))
    assert linear_regression([2, 2], [1, 3]) is None


def test_borderline_regression_exact_line_and_warning():
    # checklist = 10·grade exactly: cut at grade 2 is 20, and every bootstrap line is the same
    grades = [1, 2, 3, 4, 5] * 2
    brm = borderline_regression([10.0 * g for g in grades], grades, 2.0, resamples=200, seed=1)
    assert (brm.cut, brm.intercept, brm.slope, brm.r2) == pytest.approx((20.0, 0.0, 10.0, 1.0))
    assert brm.ci95 == pytest.approx((20.0, 20.0))
    assert brm.n == 10 and "unstable" in brm.warning


def test_borderline_regression_bootstrap_is_seeded_and_brackets_the_cut():
    grades = [(i % 5) + 1 for i in range(60)]
    checklist = [10.0 * g + ((i * 7) % 11) - 5 for i, g in enumerate(grades)]
    a = borderline_regression(checklist, grades, 2.0, resamples=300, seed=4)
    b = borderline_regression(checklist, grades, 2.0, resamples=300, seed=4)
    assert a == b and a.warning is None
    assert a.ci95[0] < a.cut < a.ci95[1]


def test_borderline_group_is_the_mean_of_the_borderline_candidates():
    g = borderline_group([10, 12, 14, 30], [2, 2, 2, 3], 2.0)
    assert (g.cut, g.n) == (12.0, 3)
    assert borderline_group([10], [3], 2.0).cut is None


def test_modified_angoff_by_hand():
    # judge sums 1.8 and 2.4 → mean 2.1 of 3 items (0.7)
    a = modified_angoff({"J1": {"a": 0.5, "b": 0.6, "c": 0.7}, "J2": {"a": 0.7, "b": 0.8, "c": 0.9}})
    assert (a.cut, a.items, a.judges) == (pytest.approx(2.1), 3, 2)
    assert a.cut_fraction == pytest.approx(0.7)


def test_item_analysis_by_hand():
    # 4 candidates; totals 3, 2, 3, 1; 27 % of 4 rounds to 1: lower = candidate 3 (total 1),
    # upper = candidate 2 (the later of the two 3s, ties keep input order).
    items = {"i1": [1, 1, 0, 0], "i2": [1, 0, 1, 0], "i3": [1, 1, 1, 0], "i4": [0, 0, 1, 1]}
    got = {s.id: s for s in item_analysis(items)}
    assert [got[i].difficulty for i in items] == [0.5, 0.5, 0.75, 0.5]
    assert [got[i].discrimination for i in items] == [0.0, 1.0, 1.0, 0.0]
    # i1 against rest [2,1,3,1]: dev i1 ±.5, rest dev [.25,−.75,1.25,−.75]:
    # Sxy = .125 − .375 − .625 + .375 = −.5, Sxx = 1, Syy = .0625+.5625+1.5625+.5625 = 2.75
    assert got["i1"].item_rest == pytest.approx(-0.5 / 2.75 ** 0.5)


def test_examiner_deviation_by_hand():
    # case 1: A 10, B 14; case 2: A 8, B 10, C 12 (others' means 11, 10, 9)
    dev = examiner_deviation({1: {"A": 10, "B": 14}, 2: {"A": 8, "B": 10, "C": 12}, 3: {"A": 5}})
    assert dev == {"A": {"mean_deviation": -3.5, "n": 2}, "B": {"mean_deviation": 2.0, "n": 2},
                   "C": {"mean_deviation": 3.0, "n": 1}}


def _rows() -> list[ScoreRow]:
    """Station S1: the Shrout & Fleiss targets as 6 candidates, judges 1 and 3 as examiners;
    station S2: one examiner, checklist = 10·grade + 2 exactly, 0/1 items."""
    out = []
    for c, r in enumerate(SHROUT_FLEISS):
        for ex, col in (("E1", 0), ("E3", 2)):
            grade = 1 + r[col] // 3
            out.append(ScoreRow(f"c{c}", "S1", ex, float(r[col]), float(grade)))
        g = 1 + c % 5
        out.append(ScoreRow(f"c{c}", "S2", "E2", 10.0 * g + 2, float(g),
                            {"a": float(c % 2), "b": float(c >= 3), "c": 1.0}))
    return out


def test_exam_report_puts_the_statistics_together():
    rep = exam_report(_rows(), 2.0, angoff={"S2": {"J": {"a": 0.5, "b": 0.5, "c": 1.0}}},
                      resamples=200)
    s1, s2 = rep["stations"]
    pair = s1["agreement"][0]
    expected = icc([[r[0], r[2]] for r in SHROUT_FLEISS])
    assert pair["examiners"] == ["E1", "E3"] and pair["n"] == 6
    assert pair["icc2_1"] == round(expected.icc2_1, 4) and pair["icc3_1"] == round(expected.icc3_1, 4)
    assert s1["icc"]["k"] == 2 and s1["items"] == [] and s1["alpha"] is None
    assert s2["cut"] == pytest.approx(22.0) and s2["cut_method"] == "borderline_regression"
    assert s2["borderline_regression"]["r2"] == 1.0 and s2["angoff"]["cut"] == 2.0
    assert [i["id"] for i in s2["items"]] == ["a", "b", "c"]
    assert s2["pass_rate"] == pytest.approx(4 / 6, abs=1e-4)  # 12, 22, 32, 42, 52, 12 against 22
    assert rep["exam"]["n"] == 6 and rep["exam"]["stations"] == 2
    assert {e["examiner"] for e in rep["examiners"]} == {"E1", "E3"}
    assert len(rep["warnings"]) == 2  # 6 candidates per station: the BRM warning
    # E1 vs E3 on S1: means of S&F judges 1 (7.67) and 3 (4.33): E1 is the dove
    e1 = next(e for e in rep["examiners"] if e["examiner"] == "E1")
    assert e1["mean_deviation"] == pytest.approx((46 - 26) / 6, abs=1e-4)
