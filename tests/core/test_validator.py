"""Scenario and catalogue validation: every malformed file gets exactly the FILE:LINE: field:
message lines written at its end, and nothing but ScenarioError ever escapes the loader."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from simtool.cli import main
from simtool.core.validate import validate_file
from simtool.core.catalogue import load_catalogue
from simtool.core.errors import ScenarioError
from simtool.core.paths import bundled_catalogue
from simtool.core.scenario import load_scenario
from simtool.core.yamlsrc import load_yaml

from helpers.mutation import paths, plain

DATA = Path(__file__).parent / "data"
CORPUS = sorted((DATA / "malformed").glob("*.yaml"))
MINIMAL = DATA / "minimal_scenario.yaml"


def expected_lines(path: Path) -> list[str]:
    return [f"{path}:{line[len('# expect: '):]}" for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("# expect: ")]


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 30
    assert all(expected_lines(p) for p in CORPUS)


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_malformed_file_gets_exactly_its_messages(path):
    assert [str(p) for p in validate_file(path)] == expected_lines(path)


@pytest.mark.parametrize("path", [p for p in CORPUS if not p.stem.startswith("catalogue_")],
                         ids=lambda p: p.stem)
def test_loader_raises_one_error_type_listing_every_problem(path):
    if path.stem == "not_a_mapping":
        with pytest.raises(ScenarioError):
            load_scenario(path)
        return
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert [str(p) for p in info.value.problems] == expected_lines(path)
    assert str(info.value) == "\n".join(expected_lines(path))


def test_bundled_files_are_valid_and_validate_exits_0(capsys):
    assert main(["validate", "scenarios", str(MINIMAL)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "files valid" in err


def test_validate_prints_problems_and_exits_1(capsys):
    bad = DATA / "malformed" / "several_problems.yaml"
    assert main(["validate", "-q", str(bad), str(MINIMAL)]) == 1
    out, _ = capsys.readouterr()
    assert out.splitlines() == expected_lines(bad)


def test_validate_from_the_command_line_never_shows_a_traceback():
    proc = subprocess.run([sys.executable, "-m", "simtool", "validate", str(DATA / "malformed")],
                          capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == sum(len(expected_lines(p)) for p in CORPUS)
    assert f"0 of {len(CORPUS)} files valid" in proc.stderr


def test_a_missing_file_is_a_message(capsys):
    assert main(["validate", "no/such/scenario.yaml"]) == 1
    out, _ = capsys.readouterr()
    assert out.startswith("no/such/scenario.yaml:")


def test_a_loaded_scenario_is_immutable():
    sc = load_scenario(MINIMAL).scenario
    with pytest.raises(ValidationError):
        sc.duration_s = 5  # type: ignore[misc]
    assert isinstance(sc.states, tuple)


# --- the loader under mutation --------------------------------------------------------------

CATALOGUE = load_catalogue(bundled_catalogue())
BASE_DATA = load_yaml(MINIMAL)[0].data  # type: ignore[union-attr]


ALL_PATHS = [p for p in paths(plain(BASE_DATA)) if p]
ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
    st.text(max_size=12), st.sampled_from(["oxytocin", "bleeding", "birth", "midwife", "shock",
                                           "blood_loss_ml > ", "1 +", "nan", "t >= 1e309", "{}"]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


def _load_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mutant.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            load_scenario(path, catalogue=CATALOGUE)
        except ScenarioError as exc:
            assert exc.problems and all(str(p).startswith(str(path) + ":") for p in exc.problems)


def _apply(data, path, op, value):
    node = data
    for part in path[:-1]:
        node = node[part]
    last = path[-1]
    if op == "delete":
        del node[last]
    elif op == "replace":
        node[last] = value
    elif op == "rename" and isinstance(node, dict):
        node[str(value)] = node.pop(last)
    elif op == "duplicate" and isinstance(node, list):
        node.append(node[last])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(ALL_PATHS), st.sampled_from(["delete", "replace", "rename", "duplicate"]),
                          ODD_VALUES), min_size=1, max_size=4))
def test_structural_mutations_only_ever_raise_scenario_error(mutations):
    data = plain(BASE_DATA)
    for path, op, value in mutations:
        try:
            _apply(data, path, op, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this path
    _load_text(json.dumps(data, ensure_ascii=False, allow_nan=True))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_text_mutations_only_ever_raise_scenario_error(data):
    text = MINIMAL.read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 20)))
        insert = data.draw(st.sampled_from(["", ":", "- ", "\t", "{", "]", "'", "&a", "*a", "!!python/object:os.system ''",
                                            "\n  ", "ü", "\x00", "0x10", "~", "---\n"]))
        text = text[:i] + insert + text[j:]
    _load_text(text)


# --- rubrics go through the same command -----------------------------------------------------

RUBRIC_CORPUS = sorted((DATA / "rubrics_malformed").glob("*.yaml"))


def test_validate_accepts_the_bundled_rubrics(capsys):
    assert main(["validate", "rubrics", "scenarios"]) == 0


@pytest.mark.parametrize("path", [p for p in RUBRIC_CORPUS if p.stem != "not_a_mapping"],
                         ids=lambda p: p.stem)
def test_validate_reports_a_malformed_rubric_exactly(path):
    assert [str(p) for p in validate_file(path)] == expected_lines(path)


def test_run_with_a_rubric_adds_the_score(capsys):
    scripts = DATA.parents[1] / "scripts" / "pph_uterine_atony"
    root = DATA.parents[2]
    assert main(["run", str(root / "scenarios" / "pph_uterine_atony.yaml"), "--script",
                 str(scripts / "late_care.yaml"), "--rubric",
                 str(root / "rubrics" / "pph_uterine_atony_technical.yaml"), "--json"]) == 0
    score = json.loads(capsys.readouterr().out)["score"]
    assert score["team"]["verdict"]["critical_missed"] == ["help_called", "txa_in_window"]
    assert {s["participant"] for s in score["trainees"]} == {"t1", "t2", "t3"}


def test_validate_unverified_lists_every_number_awaiting_a_reviewer(capsys):
    root = DATA.parents[2]
    assert main(["validate", "--unverified", str(root / "scenarios"), str(root / "rubrics")]) == 0
    out, err = capsys.readouterr()
    lines = [line for line in out.splitlines() if line.startswith("unverified ")]
    marked = sum(line.split("#")[0].count("verify: true")
                 for d in ("scenarios", "rubrics") for p in (root / d).rglob("*.yaml")
                 for line in p.read_text(encoding="utf-8").splitlines())
    assert len(lines) == marked
    # the misoprostol dose (CMA 200–600 µg, default 600) awaits a reviewer, with its source
    miso = next(line for line in lines if "default 600, min 200, max 1000" in line)
    assert miso.startswith(f"unverified {root / 'scenarios' / 'actions.yaml'}:")
    assert "source: CMA: 200–600 µg PO or SL" in miso
    assert f"{marked} numbers marked verify: true" in err
