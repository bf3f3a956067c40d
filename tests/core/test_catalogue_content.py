"""The bundled action catalogue: the ids scenarios rely on, its texts, and its safety rules."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from simtool.core import rules
from simtool.core.catalogue import (
    Action, Catalogue, Contraindication, MaxDoses, MaxSingle, MaxTotal, MaxVolume, MinInterval, Window,
    load_catalogue,
)
from simtool.core.events import Event
from simtool.core.paths import bundled_catalogue, scenarios_dir

# README, "Scenario files": the ids every scenario may rely on
DESIGN_IDS = (
    "oxytocin", "tranexamic_acid", "carboprost", "methylergonovine", "misoprostol",
    "uterine_massage", "bimanual_compression", "balloon_tamponade", "call_for_help",
    "activate_mdt", "activate_massive_transfusion", "crystalloid_bolus", "rbc_transfusion",
    "ffp_transfusion", "platelet_transfusion", "fibrinogen", "calcium", "stop_injection",
    "oxygen_100", "midazolam", "lipid_emulsion_bolus", "lipid_emulsion_infusion", "epinephrine",
    "vasopressin", "amiodarone", "cpr_start",
)
# scenario fields whose values are action ids (a string or a list of them)
ACTION_KEYS = ("action", "actions", "on_action", "unless_action", "end_action")
# condition variables that name an action: given.oxytocin, total.carboprost,
# by.midwife.call_for_help (since.x may name a marker as well: the validator checks those)
ACTION_VARIABLE = re.compile(r"\b(?:given|total|by\.[a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(bundled_catalogue())


def _rules(action: Action, kind: type) -> list[Any]:
    return [r for r in action.rules if isinstance(r, kind)]


def _one(action: Action, kind: type) -> Any:
    found = _rules(action, kind)
    assert len(found) == 1, f"{action.id}: expected one {kind.__name__} rule, found {len(found)}"
    return found[0]


def _action_refs(node: Any, key: str | None = None) -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _action_refs(v, str(k))
    elif isinstance(node, list):
        for item in node:
            yield from _action_refs(item, key)
    elif isinstance(node, str):
        if key in ACTION_KEYS:
            yield node
        yield from ACTION_VARIABLE.findall(node)


def _scenario_files() -> list[Path]:
    return sorted(p for p in scenarios_dir().glob("*.yaml") if p.name != "actions.yaml")


def test_bundled_catalogue_loads(catalogue: Catalogue) -> None:
    assert len(catalogue.actions) >= len(DESIGN_IDS)
    assert len(set(catalogue.ids())) == len(catalogue.ids())


def test_every_design_id_is_present(catalogue: Catalogue) -> None:
    missing = [i for i in DESIGN_IDS if catalogue.get(i) is None]
    assert not missing


@pytest.mark.parametrize("path", _scenario_files(), ids=lambda p: p.name)
def test_every_action_a_scenario_names_exists(catalogue: Catalogue, path: Path) -> None:
    # parsed directly, so this holds even while the scenario engine is being changed
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    refs = set(_action_refs(data))
    assert refs, f"{path.name} names no actions"
    assert not sorted(refs - set(catalogue.ids()))


def test_pph_scenario_ids_are_there(catalogue: Catalogue) -> None:
    for action_id in ("examine_genital_tract", "empty_bladder", "transfer_to_theatre", "hysterectomy"):
        assert catalogue.get(action_id) is not None, action_id


def test_labels_and_messages_in_all_three_languages(catalogue: Catalogue) -> None:
    for action in catalogue.actions:
        texts = [action.label] + [r.message for r in action.rules]
        for text in texts:
            assert text is not None, f"{action.id}: a rule has no message"
            for lang in ("en", "zh_CN", "zh_TW"):
                value = getattr(text, lang)
                assert value and value.strip(), f"{action.id}: empty {lang}"


def test_traditional_chinese_uses_taiwan_terms(catalogue: Catalogue) -> None:
    assert catalogue.index["tranexamic_acid"].label.zh_TW == "傳明酸"
    assert catalogue.index["oxytocin"].label.zh_TW == "催產素"
    # not a character-by-character copy of the simplified text
    assert catalogue.index["call_for_help"].label.zh_TW != catalogue.index["call_for_help"].label.zh_CN


def test_shortcut_keys_are_unique_single_characters(catalogue: Catalogue) -> None:
    keys = [a.key.lower() for a in catalogue.actions if a.key]
    assert keys
    assert len(keys) == len(set(keys))
    assert all(len(k) == 1 for k in keys)


def test_every_number_has_a_source(catalogue: Catalogue) -> None:
    for action in catalogue.actions:
        dose = action.dose
        if dose and any(x is not None for x in (dose.default, dose.min, dose.max, dose.per_kg)):
            assert (dose.source or "").strip(), action.id
        if action.infuses:
            assert action.infuses.source.strip(), action.id
        for rule in action.rules:
            assert rule.source.strip(), f"{action.id}: {rule.kind}"


def test_doses_and_routes(catalogue: Catalogue) -> None:
    c = catalogue.index
    assert (c["oxytocin"].dose.unit, c["oxytocin"].dose.default) == ("IU", 10)
    assert (c["tranexamic_acid"].dose.unit, c["tranexamic_acid"].dose.default) == ("g", 1)
    assert (c["carboprost"].dose.unit, c["carboprost"].dose.default) == ("µg", 250)
    assert (c["methylergonovine"].dose.unit, c["methylergonovine"].dose.default) == ("mg", 0.2)
    miso = c["misoprostol"].dose
    # the CMA's 200–600 µg (zh_CN sites follow the CMA); WHO's 800 µg SL is within the range
    assert (miso.unit, miso.default, miso.min, miso.max, miso.verify) == ("µg", 600, 200, 1000, True)
    assert "SL" in c["misoprostol"].routes
    assert c["lipid_emulsion_bolus"].dose.per_kg == 1.5
    assert c["oxygen_100"].oxygen
    assert c["crystalloid_bolus"].infuses.product == "crystalloid"
    assert c["crystalloid_bolus"].infuses.ml_per_unit == 1
    for action_id, product in (("rbc_transfusion", "rbc"), ("ffp_transfusion", "ffp"),
                               ("platelet_transfusion", "platelets")):
        assert c[action_id].dose.unit == "unit"
        assert c[action_id].infuses.product == product


def test_methylergonovine_rules(catalogue: Catalogue) -> None:
    action = catalogue.index["methylergonovine"]
    contra = _rules(action, Contraindication)
    assert any(set(r.conditions) == {"hypertension", "preeclampsia"} for r in contra)
    assert any(set(r.conditions) == {"cardiac_disease"} for r in contra)
    assert any(r.when == "sbp >= 140 or dbp >= 90" for r in contra)
    assert _one(action, MinInterval).seconds == 7200
    assert _one(action, MaxDoses).count == 5


def test_carboprost_rules(catalogue: Catalogue) -> None:
    action = catalogue.index["carboprost"]
    # CMA: 哮喘、心脏病和青光眼禁用, each with its own words
    assert [r.conditions for r in _rules(action, Contraindication)] == \
        [("asthma",), ("cardiac_disease",), ("glaucoma",)]
    assert "intramyometrial" in action.routes
    assert _one(action, MinInterval).seconds == 900
    assert _one(action, MaxDoses).count == 8
    assert _one(action, MaxTotal).absolute == 2000


def test_tranexamic_acid_rules(catalogue: Catalogue) -> None:
    action = catalogue.index["tranexamic_acid"]
    window = _one(action, Window)
    assert (window.after, window.within_s, window.first_only) == ("birth", 10800, True)
    assert _one(action, MinInterval).seconds == 1800
    assert _one(action, MaxSingle).absolute == 1
    assert _one(action, MaxDoses).count == 2


def test_oxytocin_single_dose_limits_by_route(catalogue: Catalogue) -> None:
    # RCOG GTG 52: 5 IU by slow IV injection; IM 10 IU; 40 IU diluted in an infusion
    limits = {r.routes: r.absolute for r in _rules(catalogue.index["oxytocin"], MaxSingle)}
    assert limits == {("IV",): 5, ("IM",): 10, ("IV infusion",): 40}
    total = _one(catalogue.index["oxytocin"], MaxTotal)
    assert (total.absolute, total.within_s, total.verify) == (60, 86400, True)


def test_lipid_ceiling_is_shared(catalogue: Catalogue) -> None:
    # one 12 mL/kg ceiling over boluses, infusion volumes and what an infusion set as a rate
    # has run, checked whenever lipid is given, its rate changed or its infusion stopped
    lipid = ("lipid_emulsion_bolus", "lipid_emulsion_infusion", "lipid_infusion_start")
    for action_id in lipid + ("lipid_infusion_double", "lipid_infusion_stop"):
        ceiling = _one(catalogue.index[action_id], MaxVolume)
        assert (ceiling.per_kg, ceiling.unit, ceiling.actions) == (12, "mL", lipid), action_id
        assert not _rules(catalogue.index[action_id], MaxTotal), action_id


def test_epinephrine_limit_is_for_last(catalogue: Catalogue) -> None:
    rule = _one(catalogue.index["epinephrine"], MaxSingle)
    assert rule.per_kg == 1
    assert "ASRA" in rule.source
    assert "LAST" in rule.message.en


def test_unconfirmed_numbers_are_marked(catalogue: Catalogue) -> None:
    # every number CLINICAL.md marks (?) carries verify: true
    assert catalogue.index["misoprostol"].dose.verify
    assert _one(catalogue.index["oxytocin"], MaxTotal).verify   # CMA 60 U in 24 h


# ── the rules engine over the bundled catalogue: the errors CLINICAL.md §1 says to flag ──

def _ctx(t: float, previous: Sequence[tuple[str, float, float | None]] = (), *,
         conditions: tuple[str, ...] = (), env: dict[str, float] | None = None,
         weight: float = 65) -> rules.RuleContext:
    events = [Event(seq=i, t=pt, kind="action", action=a, dose=d) for i, (a, pt, d) in enumerate(previous)]
    markers = {"birth": 0.0}
    return rules.RuleContext(
        t=t, weight_kg=weight, conditions=frozenset(conditions),
        env=env or {"sbp": 118, "dbp": 72, "hr": 82},
        marker_time=markers.get, has_marker=lambda m: m in markers, previous=events,
    )


def _kinds(catalogue: Catalogue, action_id: str, dose: float | None, route: str | None,
           ctx: rules.RuleContext) -> list[str]:
    return [f.rule for f in rules.check(catalogue.index[action_id], dose, route, ctx, catalogue)]


def test_correct_first_line_care_raises_no_flag(catalogue: Catalogue) -> None:
    assert _kinds(catalogue, "oxytocin", 10, "IM", _ctx(600)) == []
    assert _kinds(catalogue, "tranexamic_acid", 1, "IV", _ctx(900)) == []
    assert _kinds(catalogue, "carboprost", 250, "IM", _ctx(1800, [("carboprost", 600, 250)])) == []
    assert _kinds(catalogue, "methylergonovine", 0.2, "IM", _ctx(600)) == []


def test_clinical_errors_are_flagged(catalogue: Catalogue) -> None:
    high_bp = {"sbp": 152, "dbp": 96}
    assert "contraindication" in _kinds(catalogue, "methylergonovine", 0.2, "IM", _ctx(600, env=high_bp))
    assert "contraindication" in _kinds(catalogue, "methylergonovine", 0.2, "IM",
                                        _ctx(600, conditions=("preeclampsia",)))
    assert "contraindication" in _kinds(catalogue, "carboprost", 250, "IM", _ctx(600, conditions=("asthma",)))
    assert "window" in _kinds(catalogue, "tranexamic_acid", 1, "IV", _ctx(3 * 3600 + 60))
    assert "min_interval" in _kinds(catalogue, "tranexamic_acid", 1, "IV",
                                    _ctx(1500, [("tranexamic_acid", 600, 1)]))
    assert "min_interval" in _kinds(catalogue, "carboprost", 250, "IM", _ctx(1200, [("carboprost", 600, 250)]))
    eight = [("carboprost", 900.0 * i, 250) for i in range(8)]
    assert "max_doses" in _kinds(catalogue, "carboprost", 250, "IM", _ctx(900.0 * 8, eight))


def test_lipid_ceiling_counts_bolus_and_infusion(catalogue: Catalogue) -> None:
    # 60 kg: ceiling 720 mL; 90 mL bolus + 600 mL infusion + another 90 mL bolus = 780 mL
    # (the ceiling is a max_volume rule: it also counts what an infusion set as a rate has run)
    given = [("lipid_emulsion_bolus", 0, 90), ("lipid_emulsion_infusion", 180, 600)]
    assert "max_volume" in _kinds(catalogue, "lipid_emulsion_bolus", 90, "IV", _ctx(600, given, weight=60))
    assert "max_volume" not in _kinds(catalogue, "lipid_emulsion_bolus", 90, "IV", _ctx(600, given[:1], weight=60))


def test_epinephrine_above_one_microgram_per_kg_is_flagged(catalogue: Catalogue) -> None:
    assert "max_single" in _kinds(catalogue, "epinephrine", 100, "IV", _ctx(60, weight=70))
    assert "max_single" not in _kinds(catalogue, "epinephrine", 50, "IV", _ctx(60, weight=70))
