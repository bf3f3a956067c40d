"""What a flag says. A catalogue rule's own message, in the reader's language, with this patient's
numbers in its placeholders ({dose}, {unit}, {weight_kg}, {total}, {limit}, {per_kg}: at most
two decimals; a placeholder with no value stays as written); and, for a rule without a message
(a department's own catalogue), the sentence simtool makes, with the same numbers.

Every flag of the bundled catalogue's boundary cases is read here in English, 简体中文 and
繁體中文; the default sentences are read off a small catalogue made for the purpose. The record
holds the flag as its rule and numbers (one record, any reader's language); the words are made
from them (``flagtext``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from simtool.core.catalogue import load_catalogue
from simtool.core.flagtext import flag_text

from helpers.paths import SCENARIOS
from helpers.rulecases import Case, catalogue_cases, harness, play

CATALOGUE = load_catalogue(SCENARIOS / "actions.yaml")
FLAGGED = [c for c in catalogue_cases(CATALOGUE) if c.flagged and c.rule is not None]
LANGS = ("en", "zh_CN", "zh_TW")


def render(template: str, values: dict[str, object]) -> str:
    """A message as the README says it reads: numbers to two decimals at most."""
    def one(m: re.Match[str]) -> str:
        value = values.get(m.group(1))
        if value is None:
            return m.group(0)
        return f"{round(value, 2):g}" if isinstance(value, float) else str(value)
    return re.sub(r"\{(\w+)\}", one, template)


_PLAYED: dict[Case, tuple] = {}


def played(case: Case, folder: Path):
    """``play(case)``, once for the three languages: the flag is read, the drill not changed
    (a case with a long history of earlier doses takes seconds to play)."""
    if case not in _PLAYED:
        _PLAYED.clear()          # the languages of one case come together: keep only its drill
        _PLAYED[case] = play(case, folder)
    return _PLAYED[case]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", FLAGGED, ids=[c.name for c in FLAGGED])
def test_a_bundled_rule_says_its_own_message_with_this_patients_numbers(case: Case, lang, tmp_path_factory):
    drill, event = played(case, tmp_path_factory.getbasetemp())
    (flag,) = [f for f in drill.flags() if f.ref == event.seq and f.rule == case.kind
               and f.value("message", case.rule) == case.rule]
    assert flag.text is None  # no words in the record
    action = CATALOGUE.index[case.action]
    rule = action.rules[case.rule]
    values = {"dose": case.dose, "unit": action.dose.unit if action.dose else "", "weight_kg": case.weight,
              **dict(case.numbers)}
    assert flag_text(drill.loaded, flag, lang) == render(rule.message.get(lang), values)


# --- rules without a message: the sentences simtool makes -------------------------------------

def _text(en: str, cn: str | None = None, tw: str | None = None) -> dict[str, str]:
    return {"en": en, "zh_CN": cn or en, "zh_TW": tw or en}


ALL = "{dose} {unit} for {weight_kg} kg = {per_kg}/kg; limit {limit}; total {total}"
OWN = [
    {"id": "drug_a", "label": _text("Drug A", "甲药", "甲藥"),
     "dose": {"unit": "mg", "default": 2, "min": 1, "max": 10}, "routes": ["IV", "IM"],
     "rules": [{"kind": "max_single", "routes": ["IM"], "absolute": 5},       # not by IV...
               {"kind": "max_doses", "only_in": ["elsewhere"], "count": 1},  # ...not here...
               {"kind": "max_single", "per_kg": 0.1234}]},                     # ...but this one
    {"id": "drug_t", "label": _text("Drug T"), "dose": {"unit": "mg", "max": 30},
     "rules": [{"kind": "max_total", "per_kg": 0.3071}]},
    {"id": "drug_m", "label": _text("Drug M"), "dose": {"unit": "mg", "min": 5}, "rules": []},
    {"id": "drug_e", "label": _text("Drug E"), "dose": {"unit": "mg"},
     "rules": [{"kind": "expected_dose", "per_kg": 0.1271, "tolerance_pct": 10}]},
    {"id": "drug_i", "label": _text("Drug I"), "dose": {"unit": "mg"},
     "rules": [{"kind": "min_interval", "seconds": 600}]},
    {"id": "drug_c", "label": _text("Drug C"), "dose": {"unit": "mg"},
     "rules": [{"kind": "max_doses", "count": 3}]},
    {"id": "drug_w", "label": _text("Drug W"), "dose": {"unit": "mg"},
     "rules": [{"kind": "window", "after": "birth", "within_s": 3000}]},
    {"id": "drug_x", "label": _text("Drug X"),
     "rules": [{"kind": "contraindication", "conditions": ["asthma", "hypertension"]}]},
    {"id": "drug_y", "label": _text("Drug Y"), "rules": [{"kind": "contraindication", "when": "sbp >= 100"}]},
    {"id": "drug_k", "label": _text("Drug K"),  # a contraindication with its own words, after another rule
     "rules": [{"kind": "max_doses", "count": 9},
               {"kind": "contraindication", "conditions": ["asthma"],
                "message": _text("K in asthma", "哮喘用K", "氣喘用K")},
               {"kind": "contraindication", "when": "sbp >= 100",
                "message": _text("K when sbp high", "血压高用K", "血壓高用K")}]},
    {"id": "drug_p", "label": _text("Drug P"), "dose": {"unit": "mg"},
     "rules": [{"kind": "max_single", "absolute": 1, "message": _text(ALL, "中:" + ALL, "中文:" + ALL)},
               {"kind": "max_total", "absolute": 1.5, "message": _text(ALL, "中:" + ALL, "中文:" + ALL)}]},
    {"id": "count_only", "label": _text("Count only"),
     "rules": [{"kind": "max_doses", "count": 1, "message": _text("{unit}at most once")}]},
]


@pytest.fixture(scope="module")
def own(tmp_path_factory) -> Path:
    """A folder with a department's own catalogue (rules without messages, bar two)."""
    folder = tmp_path_factory.mktemp("own-catalogue")
    actions = []
    for a in OWN:
        a = {"category": "drug", **a}
        if "dose" in a:
            a["dose"] = {**a["dose"], "source": "test"}
        a["rules"] = [{**r, "source": "test"} for r in a["rules"]]
        actions.append(a)
    with (folder / "actions.yaml").open("w", encoding="utf-8") as f:
        YAML(typ="safe").dump({"format": 1, "actions": actions}, f)
    return folder


def flags(folder: Path, action: str, dose: float | None = None, *, at: float = 60, route: str | None = None,
          before: tuple = (), lang: str = "en", markers: tuple[str, ...] = (),
          conditions: tuple[str, ...] = ()) -> dict[str, str]:
    """The flags (rule kind -> text) the logged action draws, in a harness over ``folder``."""
    case = Case("own", action, "", True, dose, t=at, route=route, before=before, markers=markers,
                conditions=conditions)
    drill, event = play(case, folder)
    assert harness(folder, case.scenario, markers).catalogue.get("drug_a") is not None  # ours
    return {f.rule: flag_text(drill.loaded, f, lang) for f in drill.flags() if f.ref == event.seq}


def _all(folder: Path, action: str, *, conditions: tuple[str, ...], lang: str = "en") -> list[str]:
    """Every flag text of one logged action, in order (``flags`` keeps one per rule kind)."""
    case = Case("own", action, "", True, None, t=60, conditions=conditions)
    drill, event = play(case, folder)
    return [flag_text(drill.loaded, f, lang) for f in drill.flags() if f.ref == event.seq]


def test_own_rules_say_simtools_sentences_with_the_numbers(own):
    # a route-bound rule and a rule for another scenario are passed over, the next one applies
    assert flags(own, "drug_a", 9, route="IV") == {"max_single": "Drug A 9 mg exceeds the single-dose limit 8.02 mg"}
    assert flags(own, "drug_a", 9, route="IV", lang="zh_CN")["max_single"].startswith("甲药 9 mg")
    assert flags(own, "drug_a", 11, route="IV")["dose_range"] == "Drug A 11 mg is outside the usual range 1–10 mg"
    assert flags(own, "drug_t", 31)["dose_range"] == "Drug T 31 mg is above the usual maximum of 30 mg"
    assert flags(own, "drug_m", 4)["dose_range"] == "Drug M 4 mg is below the usual minimum of 5 mg"
    assert "dose_range" not in flags(own, "drug_m", 500)  # no maximum: any dose from 5 mg up
    assert flags(own, "drug_a", 2, route="SC") == {"route": "Drug A is not given SC (routes: IV, IM)"}
    # a dose logged without an amount adds nothing to the running total
    assert "max_total" not in flags(own, "drug_t", 9.96, before=((5, "drug_t", 10), (10, "drug_t", None)))
    assert "max_total" in flags(own, "drug_t", 9.97, before=((5, "drug_t", 10), (10, "drug_t", None)))
    assert flags(own, "drug_t", 10.125, before=((5, "drug_t", 10),)) == \
        {"max_total": "Drug T: cumulative 20.12 mg exceeds the limit 19.96 mg"}
    assert flags(own, "drug_e", 9.2) == {"expected_dose": "Drug E 9.2 mg is more than 10 % away from 8.3 mg for 65 kg"}
    assert flags(own, "drug_i", 2, at=400, before=((100, "drug_i", 2),)) == \
        {"min_interval": "Drug I repeated after 5 min; minimum interval 10 min"}
    assert flags(own, "drug_c", 2, at=40, before=tuple((t, "drug_c", 2) for t in (10, 20, 30))) == \
        {"max_doses": "Drug C: dose 4 exceeds the maximum of 3 doses"}
    assert flags(own, "drug_w", 2, at=30 + 3600, markers=("birth",)) == \
        {"window": "Drug W given 60 min after birth; only within 50 min"}
    assert flags(own, "drug_x", conditions=("asthma",)) == {"contraindication": "Drug X is contraindicated: asthma"}
    assert flags(own, "drug_x", conditions=("hypertension", "asthma")) == \
        {"contraindication": "Drug X is contraindicated: asthma, hypertension"}
    assert flags(own, "drug_x") == {}
    assert flags(own, "drug_y") == {"contraindication": "Drug Y is contraindicated when sbp >= 100"}
    # a contraindication with its own message says it, in the reader's language, by either route
    assert _all(own, "drug_k", conditions=("asthma",)) == ["K in asthma", "K when sbp high"]
    assert _all(own, "drug_k", conditions=("asthma",), lang="zh_TW") == ["氣喘用K", "血壓高用K"]
    assert _all(own, "drug_k", conditions=()) == ["K when sbp high"]
    assert _all(own, "drug_k", conditions=(), lang="zh_CN") == ["血压高用K"]


@pytest.mark.parametrize(("lang", "prefix"), [("en", ""), ("zh_CN", "中:"), ("zh_TW", "中文:")])
def test_every_placeholder_is_filled_and_one_without_a_value_stays(own, lang, prefix):
    single = flags(own, "drug_p", 1.2345, lang=lang)["max_single"]
    assert single == prefix + "1.23 mg for 65 kg = 0.02/kg; limit 1; total {total}"
    total = flags(own, "drug_p", 1.2345, before=((10, "drug_p", 1.2345),), lang=lang)["max_total"]
    assert total == prefix + "1.23 mg for 65 kg = 0.04/kg; limit 1.5; total 2.47"
    # an action without a dose has no unit: {unit} is empty
    assert flags(own, "count_only", at=20, before=((10, "count_only", None),), lang=lang) == \
        {"max_doses": "at most once"}
