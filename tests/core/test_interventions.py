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

from simtool.core import expr
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
    # an entry for some conditions only: the still patient may have them
    data["patient"]["conditions"] = sorted(set(data["patient"].get("conditions", [])) | set(iv.conditions))
    data["duration_s"] = duration_s
    path = folder / f"still-{iv.action}.yaml"
    with path.open("w", encoding="utf-8") as f:
        YAML(typ="safe").dump(data, f)
    return load_scenario(path)


@pytest.mark.parametrize(("scenario_id", "iv"), CASES, ids=[f"{s}-{iv.action}" for s, iv in CASES])
def test_an_intervention_works_from_its_onset_for_its_duration_and_then_wears_off(scenario_id, iv, tmp_path):
    loaded = _still(tmp_path, iv, load_scenario(SCENARIOS / f"{scenario_id}.yaml").scenario.duration_s)
    team = [Participant("t1", "Li Na", "midwife")]
    patient = PatientParams(65, iv.conditions[:1])   # one of the entry's conditions, if it has some
    treated, untreated = Drill(loaded, patient, team), Drill(loaded, patient, team)
    action = loaded.catalogue.get(iv.action)
    dose = {"dose": action.dose.default} if action.dose and action.dose.default else {}
    if iv.dose_above is not None or iv.when is not None:
        dose = {"dose": _over(action)}  # the entry is for a larger dose (or a total above one)
    if iv.routes:
        dose["route"] = iv.routes[0]
    for d in (treated, untreated):
        d.advance_to(ACTED - 10)
        for other in _others_named(iv):   # what the entry's condition asks to have been given
            d.act(other, by="t1", dose=_over(loaded.catalogue.get(other)))
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


def _over(action) -> float | None:
    """A dose above the action's usual maximum (or its default, plus one)."""
    if action.dose is None:
        return None
    top = action.dose.max if action.dose.max is not None else action.dose.default
    return (top or 1.0) + 1.0


def _others_named(iv: Intervention) -> list[str]:
    """The other actions an entry's ``when`` reads (calcium after too much magnesium)."""
    if iv.when is None:
        return []
    names = expr.names(expr.parse(iv.when))
    return sorted({n.split(".", 1)[1] for n in names if n.split(".", 1)[0] in ("total", "given")}
                  - {iv.action})


def test_bimanual_compression_is_among_the_cases_that_wear_off():
    """The case the issue names: the PPH scenario's bimanual compression has a duration, so the
    test above checks that it wears off."""
    (iv,) = [iv for s, iv in CASES if s == "pph_uterine_atony" and iv.action == "bimanual_compression"]
    assert iv.duration_s is not None and iv.bleed_factor < 1


VITALS_CASES = [(s, iv) for s, iv in CASES if iv.vitals is not None]


@pytest.mark.parametrize(("scenario_id", "iv"), VITALS_CASES,
                         ids=[f"{s}-{iv.action}-{'-'.join(iv.vitals.deltas())}" for s, iv in VITALS_CASES])
def test_an_intervention_moves_the_vitals_from_its_onset_and_lets_go_after_its_duration(scenario_id, iv, tmp_path):
    """An entry's ``vitals`` are nothing before its onset, the whole change once ramped up, and
    (with a duration) nothing again once it has faded."""
    loaded = _still(tmp_path, iv, load_scenario(SCENARIOS / f"{scenario_id}.yaml").scenario.duration_s)
    team = [Participant("t1", "Li Na", "midwife")]
    patient = PatientParams(65, iv.conditions[:1])
    treated, untreated = Drill(loaded, patient, team), Drill(loaded, patient, team)
    action = loaded.catalogue.get(iv.action)
    kw = {"dose": _over(action) if (iv.dose_above is not None or iv.when is not None)
          else (action.dose.default if action.dose else None)}
    if iv.routes:
        kw["route"] = iv.routes[0]
    for d in (treated, untreated):
        d.advance_to(ACTED - 10)
        for other in _others_named(iv):
            d.act(other, by="t1", dose=_over(loaded.catalogue.get(other)))
        d.advance_to(ACTED)
    treated.act(iv.action, by="t1", **kw)

    def change_at(t: float) -> dict[str, int]:
        for d in (treated, untreated):
            d.advance_to(t)
        a, b = treated.vitals(), untreated.vitals()
        return {k: getattr(a, k) - getattr(b, k) for k in iv.vitals.deltas()}

    starts = ACTED + iv.onset_s
    assert change_at(starts) == {k: 0 for k in iv.vitals.deltas()}, "moves the vitals before its onset"
    full = change_at(starts + iv.vitals.ramp_s + 1)
    for key, delta in iv.vitals.deltas().items():
        # the monitor shows whole numbers (SpO2 stops at 100 %)
        want = min(delta, 100 - getattr(untreated.vitals(), key)) if key == "spo2" else delta
        assert abs(full[key] - want) <= 1, (key, full[key], delta)
    if iv.duration_s is not None:
        assert change_at(starts + iv.duration_s + iv.vitals.ramp_s + 1) == {k: 0 for k in iv.vitals.deltas()}, \
            "still moves the vitals when its duration is over"
