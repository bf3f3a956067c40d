"""Every indicator of every bundled scenario put exactly on its target, one second inside it and
one second over it — judged by the drill (``assess.indicator``, what the console, the CLI and
scoring show) and by the department statistics (``analytics.drill_indicators`` and
``indicators_report``, read from the stored rows). The target is inclusive (one rule for every
target in simtool, as for expected actions): exactly on it is met. A changed comparison
(``<``), a shifted limit or a second copy of the rule in the statistics fails here."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from simtool.core import assess
from simtool.core.drill import Drill, PatientParams
from simtool.core.scenario import Indicator, LoadedScenario, load_scenario
from simtool.store.analytics import drill_indicators, indicators_report

from helpers.drills import clean_dose, fork, person_for, reach, team_of
from helpers.paths import SCENARIOS

DELTAS = (-1.0, 0.0, 1.0)  # seconds from the target: inside, exactly on it, over it
CASES = [(path.name, ind.id) for path in sorted(SCENARIOS.glob("*.yaml")) if path.name != "actions.yaml"
         for ind in load_scenario(path).scenario.indicators]


def _with_end_marker_at(loaded: LoadedScenario, marker_id: str, t: float, folder: Path) -> LoadedScenario:
    """The same scenario with the marker ``marker_id`` happening at ``t`` s (``when: t >= T``
    fires on the first whole second it holds): an end marker made to land on a boundary."""
    data = YAML(typ="safe").load(loaded.text)
    for m in data["markers"]:
        if m["id"] == marker_id:
            for key in ("at_s", "on_enter", "when"):
                m.pop(key, None)
            m["when"] = f"t >= {t:g}"
    path = folder / Path(loaded.path).name
    with path.open("w", encoding="utf-8") as f:
        YAML(typ="safe").dump(data, f)
    return load_scenario(path)


def _drills(loaded: LoadedScenario, ind: Indicator, folder: Path) -> list[tuple[float, Drill]]:
    """Three drills (ended) whose indicator ``ind`` ends ``delta`` s from its target."""
    team = team_of(loaded)
    patient = PatientParams(loaded.scenario.patient.weight_kg.default)
    if ind.end_marker is not None:  # each delta its own scenario text: played separately
        start = reach(Drill(loaded, patient, team), ind.start)  # the start, found its own way
        out = []
        for delta in DELTAS:
            moved = _with_end_marker_at(loaded, ind.end_marker, start + ind.target_s + delta, folder)
            drill = Drill(moved, patient, team)
            assert reach(drill, ind.start) == start
            drill.advance_to(start + ind.target_s + delta + 1)
            drill.end()
            out.append((delta, drill))
        return out
    drill = Drill(loaded, patient, team)
    start = reach(drill, ind.start)
    drill.advance_to(start + ind.target_s + DELTAS[0])
    out = []
    for delta in DELTAS:
        d = fork(drill)
        d.advance_to(start + ind.target_s + delta)
        action = ind.end_action[0]
        event = d.act(action, by=person_for(team, ind.end_role), **clean_dose(loaded, action, patient.weight_kg))
        if ind.require_no_flags:
            assert not [f for f in d.flags() if f.ref == event.seq], "the test's dose must draw no flag"
        d.advance_to(d.t + 1)
        d.end()
        out.append((delta, d))
    return out


@pytest.mark.parametrize(("scenario", "indicator_id"), CASES, ids=[f"{s[:-5]}-{i}" for s, i in CASES])
def test_an_indicator_on_its_target_is_met_one_second_over_is_not(archive, tmp_path, scenario, indicator_id):
    loaded = load_scenario(SCENARIOS / scenario)
    ind = next(i for i in loaded.scenario.indicators if i.id == indicator_id)
    for delta, drill in _drills(loaded, ind, tmp_path):
        got = assess.indicator(drill, ind)
        assert (got.seconds, got.met) == (ind.target_s + delta, delta <= 0), f"drill path, {delta:+g} s"
        did = archive.start_drill(drill.loaded, drill.patient, drill.participants)
        for e in drill.events:
            assert archive.append_event(did, e) is None
        (stored,) = drill_indicators(archive, drill_ids=[did])
        row = next(r for r in stored.results if r.id == ind.id)
        assert (row.seconds, row.met) == (ind.target_s + delta, delta <= 0), f"statistics path, {delta:+g} s"
        assert row == got
    # the department's figures: two drills of three met the target; the times are the three
    report = indicators_report(archive)
    summaries = [i for g in report["groups"] if g["department"] is None
                 for i in g["indicators"] if i["id"] == ind.id]
    assert sum(s["applies"] for s in summaries) == 3 and sum(s["met"] for s in summaries) == 2
    if len(summaries) == 1:
        assert (summaries[0]["min_s"], summaries[0]["median_s"], summaries[0]["max_s"]) == \
            (ind.target_s - 1, ind.target_s, ind.target_s + 1)
