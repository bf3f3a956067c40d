"""Every indicator of every bundled scenario put exactly on its target, one second inside it and
one second over it — judged by the drill (``assess.indicator``, what the console, the CLI and
scoring show) and by the department statistics (``analytics.drill_indicators`` and
``indicators_report``, read from the stored rows). The target is "< target_s": exactly on it is
not met. A changed comparison (``<=``), a shifted limit or a second copy of the rule in the
statistics fails here."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from simtool.core import assess
from simtool.core.catalogue import ExpectedDose
from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.scenario import Indicator, LoadedScenario, load_scenario
from simtool.store.analytics import drill_indicators, indicators_report

from helpers.paths import SCENARIOS

DELTAS = (-1.0, 0.0, 1.0)  # seconds from the target: inside, exactly on it, over it
CASES = [(path.name, ind.id) for path in sorted(SCENARIOS.glob("*.yaml")) if path.name != "actions.yaml"
         for ind in load_scenario(path).scenario.indicators]


def _team(loaded: LoadedScenario) -> tuple[Participant, ...]:
    return tuple(Participant(f"p_{r.id}", f"Person {r.id}", r.id) for r in loaded.scenario.roles)


def _fastest_bleeding_state(loaded: LoadedScenario) -> str:
    states = [s for s in loaded.scenario.states if not s.final and s.bleed_ml_min is not None]
    return max(states, key=lambda s: s.bleed_ml_min.value).id


def _reach(drill: Drill, marker_id: str) -> float:
    """Make the scenario marker happen (its own way) and return its time."""
    marker = next(m for m in drill.scenario.markers if m.id == marker_id)
    if marker_id not in drill.marker_times and marker.on_enter is not None:
        drill.advance_to(5)
        drill.force(marker.on_enter, reason="test: reach the indicator's start")
    limit = drill.scenario.duration_s * 2
    while marker_id not in drill.marker_times and drill.t < limit:
        if drill.t == 600:  # a loss threshold in a scenario that does not bleed yet
            drill.force(_fastest_bleeding_state(drill.loaded), reason="test: make it bleed")
        drill.advance_to(drill.t + 1)
    assert marker_id in drill.marker_times, f"marker {marker_id} never happened"
    return drill.marker_times[marker_id]


def _clean_dose(loaded: LoadedScenario, action_id: str, weight: float) -> dict[str, object]:
    """A dose and route of ``action_id`` that no catalogue rule flags for this patient."""
    action = loaded.catalogue.get(action_id)
    assert action is not None
    if action.dose is None:
        return {}
    expected = [r for r in action.rules if isinstance(r, ExpectedDose)]
    dose = expected[0].expected(weight) if expected else action.dose.default
    return {"dose": dose, "route": action.routes[0] if action.routes else None}


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


def _drill_at(loaded: LoadedScenario, ind: Indicator, delta: float, folder: Path) -> Drill:
    """A drill (ended) whose indicator ``ind`` ends ``delta`` s from its target."""
    team = _team(loaded)
    patient = PatientParams(loaded.scenario.patient.weight_kg.default)
    if ind.end_marker is not None:
        start = _reach(Drill(loaded, patient, team), ind.start)  # the start, found its own way
        loaded = _with_end_marker_at(loaded, ind.end_marker, start + ind.target_s + delta, folder)
    drill = Drill(loaded, patient, team)
    start = _reach(drill, ind.start)
    if ind.end_marker is not None:
        drill.advance_to(start + ind.target_s + delta + 1)
    else:
        drill.advance_to(start + ind.target_s + delta)
        action = ind.end_action[0]
        by = next(p.id for p in team if ind.end_role is None or p.role == ind.end_role)
        event = drill.act(action, by=by, **_clean_dose(loaded, action, patient.weight_kg))
        if ind.require_no_flags:
            assert not [f for f in drill.flags() if f.ref == event.seq], "the test's dose must draw no flag"
        drill.advance_to(drill.t + 1)
    drill.end()
    return drill


@pytest.mark.parametrize(("scenario", "indicator_id"), CASES, ids=[f"{s[:-5]}-{i}" for s, i in CASES])
def test_an_indicator_on_its_target_is_not_met_one_second_inside_is(archive, tmp_path, scenario, indicator_id):
    loaded = load_scenario(SCENARIOS / scenario)
    ind = next(i for i in loaded.scenario.indicators if i.id == indicator_id)
    for delta in DELTAS:
        drill = _drill_at(loaded, ind, delta, tmp_path)
        got = assess.indicator(drill, ind)
        assert (got.seconds, got.met) == (ind.target_s + delta, delta < 0), f"drill path, {delta:+g} s"
        did = archive.start_drill(drill.loaded, drill.patient, drill.participants)
        for e in drill.events:
            assert archive.append_event(did, e) is None
        (stored,) = drill_indicators(archive, drill_ids=[did])
        row = next(r for r in stored.results if r.id == ind.id)
        assert (row.seconds, row.met) == (ind.target_s + delta, delta < 0), f"statistics path, {delta:+g} s"
        assert row == got
    # the department's figures: one drill of three met the target; the times are the three
    report = indicators_report(archive)
    summaries = [i for g in report["groups"] if g["department"] is None
                 for i in g["indicators"] if i["id"] == ind.id]
    assert sum(s["applies"] for s in summaries) == 3 and sum(s["met"] for s in summaries) == 1
    if len(summaries) == 1:
        assert (summaries[0]["min_s"], summaries[0]["median_s"], summaries[0]["max_s"]) == \
            (ind.target_s - 1, ind.target_s, ind.target_s + 1)
