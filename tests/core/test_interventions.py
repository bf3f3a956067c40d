"""How long an intervention works: every ``interventions`` entry of the bundled scenarios
multiplies the bleeding by its ``bleed_factor`` from ``onset_s`` after the action, and — when
it has a ``duration_s`` (bimanual compression: 1200 s) — for exactly that long, then wears off.
An effect that never starts, starts early, ends early or lasts forever fails here.

Each entry is tried in a still scenario (one bleeding state, no transitions the action could
set off), beside the same drill without the action, so the only difference is the effect."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.scenario import Intervention, load_scenario

from helpers.paths import SCENARIOS

MINIMAL = Path(__file__).parent / "data" / "minimal_scenario.yaml"
BLEED = 10.0   # mL/min in the still scenario
ACTED = 100.0  # s: when the action is logged
CASES = [(p.stem, iv) for p in sorted(SCENARIOS.glob("*.yaml")) if p.name != "actions.yaml"
         for iv in load_scenario(p).scenario.interventions]


def _still(folder: Path, iv: Intervention, duration_s: float):
    data = YAML(typ="safe").load(MINIMAL.read_text(encoding="utf-8"))
    state = data["states"][0]
    state["bleed_ml_min"] = {"value": BLEED, "source": "design"}
    state["transitions"] = [t for t in state["transitions"] if "on_action" in t and t["on_action"] != iv.action]
    if not state["transitions"]:  # a way out that the action under test does not take
        way_out = "call_for_help" if iv.action != "call_for_help" else "oxytocin"
        state["transitions"] = [{"to": "controlled", "on_action": way_out}]
    data["states"] = [s for s in data["states"] if s["id"] != "shock"]
    data["interventions"] = [iv.model_dump(exclude_none=True)]
    data["duration_s"] = duration_s
    path = folder / f"still-{iv.action}.yaml"
    with path.open("w", encoding="utf-8") as f:
        YAML(typ="safe").dump(data, f)
    return load_scenario(path)


@pytest.mark.parametrize(("scenario_id", "iv"), CASES, ids=[f"{s}-{iv.action}" for s, iv in CASES])
def test_an_intervention_works_from_its_onset_for_its_duration_and_then_wears_off(scenario_id, iv, tmp_path):
    loaded = _still(tmp_path, iv, load_scenario(SCENARIOS / f"{scenario_id}.yaml").scenario.duration_s)
    team = [Participant("t1", "Li Na", "midwife")]
    treated, untreated = Drill(loaded, PatientParams(65), team), Drill(loaded, PatientParams(65), team)
    action = loaded.catalogue.get(iv.action)
    dose = {"dose": action.dose.default} if action.dose and action.dose.default else {}
    for d in (treated, untreated):
        d.advance_to(ACTED)
    treated.act(iv.action, by="t1", **dose)

    def factor_at(t: float) -> float:
        for d in (treated, untreated):
            d.advance_to(t)
        assert untreated.bleed_ml_min() == BLEED
        return treated.bleed_ml_min() / untreated.bleed_ml_min()

    starts = ACTED + iv.onset_s
    if iv.onset_s >= 1:
        assert factor_at(starts - 1) == 1.0, "works before its onset"
    assert factor_at(starts) == pytest.approx(iv.bleed_factor), "does not work from its onset"
    if iv.duration_s is None:
        # no duration: it lasts to the end of the drill
        assert factor_at(max(starts, loaded.scenario.duration_s)) == pytest.approx(iv.bleed_factor), \
            "wore off without a duration"
        return
    ends = starts + iv.duration_s
    assert factor_at(ends - 1) == pytest.approx(iv.bleed_factor), "wore off early"
    assert factor_at(ends) == 1.0, "still works when its duration is over"
    assert factor_at(ends + 1) == 1.0
    # and the blood lost afterwards is lost at the untreated rate again
    before = (treated.physiology.blood_loss_ml, untreated.physiology.blood_loss_ml)
    factor_at(ends + 61)
    assert treated.physiology.blood_loss_ml - before[0] == pytest.approx(untreated.physiology.blood_loss_ml - before[1])


def test_bimanual_compression_is_among_the_cases_that_wear_off():
    """The case the issue names: the PPH scenario's bimanual compression has a duration, so the
    test above checks that it wears off."""
    (iv,) = [iv for s, iv in CASES if s == "pph_uterine_atony" and iv.action == "bimanual_compression"]
    assert iv.duration_s is not None and iv.bleed_factor < 1
