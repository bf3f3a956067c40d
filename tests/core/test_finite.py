"""Every number is finite (issue 14, deliverable 8), and values that used to validate and
then crash (zero blood volume, a lone surrogate, infinite points) are refused at load with
FILE:LINE: field: message."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import pytest

from simtool.core import limits, psychometrics
from simtool.core.catalogue import load_catalogue
from simtool.core.drill import PatientParams
from simtool.core.errors import ScenarioError
from simtool.core.rubric import load_rubric
from simtool.core.runner import result, run_script
from simtool.core.scenario import load_scenario
from simtool.core.scorecsv import ScoreRow, ScoresCsvError, read_scores
from simtool.core.script import load_script

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "core" / "data" / "minimal_scenario.yaml"
CATALOGUE = ROOT / "scenarios" / "actions.yaml"
RUBRIC = ROOT / "rubrics" / "last_nerve_block_technical.yaml"
FINITE = "must be a finite number (not .inf or .nan)"


def _edit(src: Path, dest: Path, old: str, new: str) -> Path:
    text = src.read_text(encoding="utf-8")
    assert old in text
    dest.write_text(text.replace(old, new, 1), encoding="utf-8")
    return dest


def _problems(load, path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as exc:
        load(path)
    return [str(p) for p in exc.value.problems]


def _line(path: Path, text: str) -> int:
    whole = path.read_text(encoding="utf-8")
    return whole[:whole.index(text)].count("\n") + 1


@pytest.mark.parametrize("bad", [".inf", "-.inf", ".nan", ".NaN", "1e999", "-1e999"])
@pytest.mark.parametrize(("old", "new", "field"), [
    ("duration_s: 600", "duration_s: {}", "duration_s"),
    ("{hr: 82,", "{{hr: {},", "patient.baseline.hr"),
    ("bleed_ml_min: {value: 40,", "bleed_ml_min: {{value: {},", "states[0].bleed_ml_min.value"),
    ("within_s: 300", "within_s: {}", "expected[0].within_s"),
])
def test_infinite_or_nan_numbers_in_a_scenario_are_refused(tmp_path, bad, old, new, field):
    f = _edit(MINIMAL, tmp_path / "s.yaml", old, new.format(bad))
    assert _problems(load_scenario, f) == [f"{f}:{_line(MINIMAL, old)}: {field}: {FINITE}"]


@pytest.mark.parametrize(("value", "message"), [
    ("0", "must be from 40 to 150 mL/kg (≈70 in an adult, ≈100 at term)"),
    ("-5", "must be from 40 to 150 mL/kg (≈70 in an adult, ≈100 at term)"),
    ("1e-9", "must be from 40 to 150 mL/kg (≈70 in an adult, ≈100 at term)"),
    ("1e300", "must be from 40 to 150 mL/kg (≈70 in an adult, ≈100 at term)"),
    (".inf", FINITE),
])
def test_a_blood_volume_that_would_divide_by_nothing_is_refused(tmp_path, value, message):
    old = "blood_volume_ml_per_kg: {value: 100,"
    f = _edit(MINIMAL, tmp_path / "s.yaml", old, f"blood_volume_ml_per_kg: {{value: {value},")
    assert _problems(load_scenario, f) == [
        f"{f}:{_line(MINIMAL, old)}: patient.blood_volume_ml_per_kg.value: {message}"]


def test_blood_volume_bounds_are_inclusive(tmp_path):
    for value in (40, 150):
        f = _edit(MINIMAL, tmp_path / "s.yaml", "blood_volume_ml_per_kg: {value: 100,",
                  f"blood_volume_ml_per_kg: {{value: {value},")
        assert load_scenario(f).scenario.patient.blood_volume_ml_per_kg.value == value


def test_a_zero_weight_range_is_refused(tmp_path):
    f = _edit(MINIMAL, tmp_path / "s.yaml", "weight_kg: {default: 65, min: 40, max: 150}",
              "weight_kg: {default: 65, min: 0, max: 1e308}")
    line = _line(MINIMAL, "weight_kg:")
    assert _problems(load_scenario, f) == [
        f"{f}:{line}: patient.weight_kg.max: must be from 0.3 to 650 kg (simtool's limits for a patient)",
        f"{f}:{line}: patient.weight_kg.min: must be from 0.3 to 650 kg (simtool's limits for a patient)"]


def test_interventions_that_could_multiply_the_bleed_beyond_any_number_are_refused(tmp_path):
    f = _edit(MINIMAL, tmp_path / "s.yaml", "    bleed_factor: 0.8\n", "    bleed_factor: 10\n    max_uses: 1000\n")
    assert _problems(load_scenario, f) == [
        f"{f}:{_line(MINIMAL, 'interventions:')}: interventions: together the interventions could multiply the bleed by 10^1000 "
        "(bleed_factor ^ max_uses); the limit is 10^6"]
    f = _edit(MINIMAL, tmp_path / "s.yaml", "    bleed_factor: 0.8\n", "    bleed_factor: 10\n    max_uses: 6\n")
    assert load_scenario(f).scenario.interventions[0].max_uses == 6


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\U0000dc00"])
def test_a_lone_surrogate_in_any_text_is_refused_at_load(tmp_path, escape):
    f = _edit(MINIMAL, tmp_path / "s.yaml", "title: {en: Mini,", f'title: {{en: "Mini {escape}",')
    code = escape[-4:].upper()
    assert _problems(load_scenario, f) == [
        f"{f}:{_line(MINIMAL, 'title:')}: title.en: contains an invalid character (lone surrogate U+{code})"]


def test_a_lone_surrogate_in_a_script_name_is_refused(tmp_path, pph):
    f = tmp_path / "script.yaml"
    f.write_text('duration_s: 60\nparticipants:\n  - {id: t1, name: "Li \\ud83d", role: midwife}\n',
                 encoding="utf-8")
    assert _problems(lambda p: load_script(p, pph), f) == [
        f"{f}:3: participants[0].name: contains an invalid character (lone surrogate U+D83D)"]


def test_a_proper_escape_is_still_text(tmp_path):
    f = _edit(MINIMAL, tmp_path / "s.yaml", "title: {en: Mini,", 'title: {en: "Mini \\u00e9 \\U0001F600",')
    assert load_scenario(f).scenario.title.en == "Mini é 😀"


@pytest.mark.parametrize("bad", [".inf", ".nan", "1e999"])
def test_infinite_numbers_in_the_catalogue_are_refused(tmp_path, bad):
    text = CATALOGUE.read_text(encoding="utf-8")
    old = "ml_per_unit: 280"
    line = text[:text.index(old)].count("\n") + 1
    index = text[:text.index(old)].count("  - id:") - 1
    f = _edit(CATALOGUE, tmp_path / "actions.yaml", old, f"ml_per_unit: {bad}")
    assert _problems(load_catalogue, f) == [f"{f}:{line}: actions[{index}].infuses.ml_per_unit: {FINITE}"]


@pytest.mark.parametrize("bad", [".inf", ".nan", "1e999"])
def test_infinite_points_in_a_rubric_are_refused(tmp_path, bad):
    text = RUBRIC.read_text(encoding="utf-8")
    f = tmp_path / "r.yaml"
    f.write_text(text.replace("points: 2", f"points: {bad}", 1), encoding="utf-8")
    problems = _problems(load_rubric, f)
    assert len(problems) == 1 and problems[0].endswith(f".points: {FINITE}")
    line = text[:text.index("points: 2")].count("\n") + 1
    assert problems[0].startswith(f"{f}:{line}: items[")


@pytest.mark.parametrize(("text", "field", "message"), [
    ("duration_s: 60\nactions:\n  - {t: .nan, action: oxytocin, dose: 10}\n", "actions[0].t", FINITE),
    ("duration_s: 60\nactions:\n  - {t: 1, action: oxytocin, dose: .inf}\n", "actions[0].dose", FINITE),
    ("duration_s: 60\nactions:\n  - {t: 1, action: oxytocin, dose: 1e999}\n", "actions[0].dose", FINITE),
    ("duration_s: 60\nactions:\n  - {t: 1, action: oxytocin, dose: 1e300}\n", "actions[0].dose",
     "must be at most 1,000,000 (simtool's limit for a dose)"),
    ("duration_s: 60\nforces:\n  - {t: -.inf, force: controlled}\n", "forces[0].t", FINITE),
])
def test_infinite_numbers_in_a_script_are_refused(tmp_path, pph, text, field, message):
    f = tmp_path / "script.yaml"
    f.write_text(text, encoding="utf-8")
    assert _problems(lambda p: load_script(p, pph), f) == [f"{f}:3: {field}: {message}"]


def test_a_run_result_is_valid_json(pph):
    script_path = ROOT / "tests" / "scripts" / "pph_uterine_atony" / "good_care.yaml"
    drill, samples = run_script(pph, load_script(script_path, pph), PatientParams(65.0))
    json.dumps(result(drill, samples), allow_nan=False)  # raises on NaN or Infinity


def test_statistics_of_degenerate_or_extreme_data_are_null_not_nan():
    # every candidate the same (an SD of 0, correlations of 0/0), and scores as large as a CSV
    # may hold: the report holds numbers or null, never NaN or Infinity
    big = limits.MAX_SCORE_VALUE
    same = [ScoreRow(f"c{i}", "S1", e, 10.0, 2.0, {"a": 1.0, "b": 1.0}) for i in range(5) for e in ("E1", "E2")]
    extreme = [ScoreRow(f"c{i}", "S2", "E1", big * (1 - 2 * (i % 2)), 1.0 + i % 3, {"a": big, "b": -big})
               for i in range(6)]
    report = psychometrics.exam_report(same + extreme, 2.0, resamples=100)
    json.dumps(report, allow_nan=False)  # raises on NaN or Infinity
    s1 = next(s for s in report["stations"] if s["station"] == "S1")
    assert s1["sd"] == 0.0 and s1["alpha"] is None and s1["items"][0]["item_rest"] is None
    assert s1["agreement"][0]["kappa_grade"] is None  # both examiners gave one grade only
    s2 = next(s for s in report["stations"] if s["station"] == "S2")
    assert s2["mean"] == 0.0 and s2["sd"] > 1e9


def test_an_undefined_statistic_is_rounded_to_null():
    assert psychometrics._r(float("nan")) is None
    assert psychometrics._r(float("inf")) is None
    assert psychometrics._r(1.23456) == 1.2346


@pytest.mark.parametrize(("cell", "message"), [
    ("inf", "'inf' is not a finite number"),
    ("nan", "'nan' is not a finite number"),
    ("1e999", "'1e999' is not a finite number"),
    ("1e300", "'1e300' is out of range (at most 1,000,000,000 either way: simtool's limit)"),
])
def test_infinite_numbers_in_a_scores_csv_are_refused(tmp_path, cell, message):
    f = tmp_path / "scores.csv"
    f.write_text(f"candidate,station,examiner,checklist,global\nc1,S1,E1,{cell},2\n", encoding="utf-8")
    with pytest.raises(ScoresCsvError) as exc:
        read_scores(f)
    assert [str(p) for p in exc.value.problems] == [f"{f}:2: checklist: {message}"]


def test_an_overflowing_vitals_model_cannot_be_built(tmp_path):
    # the largest doses and rates the limits allow, given for a day, keep every vital finite
    f = _edit(MINIMAL, tmp_path / "s.yaml", "duration_s: 600", "duration_s: 7200")
    f = _edit(f, tmp_path / "s.yaml", "bleed_ml_min: {value: 40,", "bleed_ml_min: {value: 10000,")
    loaded = load_scenario(f)
    script = tmp_path / "script.yaml"
    script.write_text("duration_s: 7200\nactions:\n" + "".join(
        f"  - {{t: {i * 7}, action: crystalloid_bolus, dose: 1000000, unit: L}}\n" for i in range(1000)),
        encoding="utf-8")
    drill, samples = run_script(loaded, load_script(script, loaded), PatientParams(65.0), sample_s=600)
    out = json.dumps(result(drill, samples), allow_nan=False)
    assert all(math.isfinite(v) for row in samples for v in row.values() if isinstance(v, float))
    assert out


def test_kappa_over_many_distinct_grades_is_linear():
    # grades may be any number: counting each category by a scan of the list was quadratic
    n = 30_000
    a = [float(i) for i in range(n)]
    b = [float(i) if i % 2 else float(i + 1) for i in range(n)]
    start = time.process_time()
    kappa = psychometrics.cohen_kappa(a, b)
    assert time.process_time() - start < 5
    # they agree on the odd cases (pₒ = ½); each odd grade is once in a and twice in b: pₑ = 1/n
    po, pe = 0.5, 1 / n
    assert kappa == pytest.approx((po - pe) / (1 - pe))


def test_more_examiners_at_a_station_than_the_limit_are_refused():
    rows = [ScoreRow(f"c{i}", "S1", f"E{e}", 10.0, 2.0) for i in range(3) for e in range(limits.MAX_EXAMINERS_PER_STATION + 1)]
    with pytest.raises(psychometrics.SimtoolError) as exc:
        psychometrics.exam_report(rows, 2.0, resamples=100)
    assert str(exc.value) == "station S1 has 51 examiners; the limit is 50 per station (simtool's limit)"
    fewer = [r for r in rows if r.examiner != "E50"]
    assert psychometrics.exam_report(fewer, 2.0, resamples=100)["candidates"] == 3
