"""Validating one data file of any kind — the function behind ``simtool validate`` and the
scenario library's status column, so the command line and the window say the same thing."""

from __future__ import annotations

from pathlib import Path

from simtool.core.errors import Problem, ScenarioError


def validate_file(path: Path) -> list[Problem]:
    """Problems of one data file, whatever its kind (catalogue, scenario, rubric, NTS block or
    training programme):
    what ``simtool validate`` prints and the scenario library shows ([] = valid)."""
    from simtool.core.catalogue import load_catalogue
    from simtool.core.ntsblock import load_block
    from simtool.core.programme import is_programme, load_programme
    from simtool.core.rubric import load_rubric, rubric_kind
    from simtool.core.scenario import load_scenario
    from simtool.core.yamlsrc import load_yaml

    src, problems = load_yaml(path)
    if src is None:
        return problems
    data = src.data if isinstance(src.data, dict) else {}
    try:
        kind = rubric_kind(data)
        if kind == "rubric":
            load_rubric(path)
        elif kind == "block":
            load_block(path)
        elif is_programme(data):
            load_programme(path)
        elif "actions" in data and "states" not in data and "duration_s" not in data:
            load_catalogue(path)
        elif "states" in data or "initial" in data:
            load_scenario(path)
        else:
            return [src.problem((), "not a scenario or action catalogue (no 'states' or 'actions')")]
    except ScenarioError as exc:
        return exc.problems
    return []
