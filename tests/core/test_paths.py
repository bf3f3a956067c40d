"""Scenarios and rubrics named by id: the user's own folders first, then the bundled ones
(issue 19, item 1). The bundled data found from a wheel is tests/test_wheel.py's."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.paths import PPH, RUBRICS, SCENARIOS, SCRIPTS
from simtool.cli import main
from simtool.core.errors import SimtoolError
from simtool.core.paths import bundled_data_folders, find_rubric, find_scenario, scenarios_dir


def test_the_checkout_is_the_bundled_data():
    assert scenarios_dir() == SCENARIOS
    assert bundled_data_folders()[:2] == [SCENARIOS, RUBRICS]


def test_an_id_names_a_bundled_scenario_or_rubric(monkeypatch):
    monkeypatch.delenv("SIMTOOL_SCENARIOS", raising=False)
    assert find_scenario("pph_uterine_atony") == PPH
    assert find_rubric("pph_uterine_atony_technical") == RUBRICS / "pph_uterine_atony_technical.yaml"


def test_a_path_stays_a_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert find_scenario(str(PPH)) == PPH
    assert find_scenario("mine.yaml") == Path("mine.yaml")  # missing: the loader says so
    Path("pph_uterine_atony").write_text("")  # a file with the id's name here is that file
    assert find_scenario("pph_uterine_atony") == Path("pph_uterine_atony")


def test_the_users_folders_come_first_and_are_added_not_required(tmp_path, monkeypatch):
    mine, setting = tmp_path / "mine", tmp_path / "setting"
    (mine / "rubrics").mkdir(parents=True)
    setting.mkdir()
    (mine / "pph_uterine_atony.yaml").write_text("id: x\n")
    (setting / "own.yaml").write_text("id: own\n")
    (mine / "rubrics" / "pph_uterine_atony_technical.yaml").write_text("id: r\n")
    monkeypatch.setenv("SIMTOOL_SCENARIOS", str(setting))
    assert find_scenario("pph_uterine_atony", [mine]) == mine / "pph_uterine_atony.yaml"
    assert find_scenario("own", [mine]) == setting / "own.yaml"
    assert find_scenario("pas_mdt", [mine]) == SCENARIOS / "pas_mdt.yaml"  # still the bundled
    assert find_rubric("pph_uterine_atony_technical", [mine]) == mine / "rubrics" / "pph_uterine_atony_technical.yaml"
    assert find_scenario("pas_mdt", [tmp_path / "gone"]) == SCENARIOS / "pas_mdt.yaml"


def test_an_unknown_id_says_where_it_looked(monkeypatch):
    monkeypatch.delenv("SIMTOOL_SCENARIOS", raising=False)
    with pytest.raises(SimtoolError, match=rf"nope: no such scenario file, and no scenario with that id in {SCENARIOS}"):
        find_scenario("nope")


def test_validate_without_a_path_checks_the_bundled_files(capsys):
    assert main(["validate"]) == 0
    n = len([*SCENARIOS.rglob("*.yaml"), *RUBRICS.rglob("*.yaml"),
             *(SCENARIOS.parent / "programmes").rglob("*.yaml")])   # issue 20
    assert f"{n} of {n} files valid" in capsys.readouterr().err


def test_run_takes_scenario_and_rubric_ids(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "pph_uterine_atony", "--script", str(SCRIPTS / "good_care.yaml"),
                 "--rubric", "pph_uterine_atony_technical"]) == 0
    assert "score team:" in capsys.readouterr().out
    assert main(["run", "no_such_drill", "--script", str(SCRIPTS / "good_care.yaml")]) == 1
    assert "no_such_drill: no such scenario file" in capsys.readouterr().err
