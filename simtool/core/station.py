"""Stand-alone skills stations (issue 20, item 4): a rubric with ``station:`` and no
``scenario:`` — a timed task on a task trainer (uterine massage, balloon tamponade, cell
salvage, an ultrasound-guided block) marked by an examiner.

A station sitting is recorded in the archive as a drill, so the hash chain, audit, verify,
signing, bundles, portfolio, progress credit and psychometrics treat it like any other. The
"scenario" of that drill is the *station scenario*: a scenario text made here from the station
rubric alone, deterministically (the same rubric gives the same bytes, so every sitting of a
station version shares one archived text). It has one role, ``candidate``; one state that
gives way to ``time_up`` when the station's time limit has passed; and no patient physiology
(a task trainer is examined, not a patient: the vitals are a placeholder no one reads). Its
id is the rubric's id, so a programme can ask for a station by ``rubric:`` (or ``scenario:``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from simtool.core.schema import Text

# the one participant of a station sitting (the participant id and the role)
CANDIDATE = "candidate"
CANDIDATE_LABEL = {"en": "Candidate", "zh_CN": "考生", "zh_TW": "考生"}
# a task trainer has no weight; the drill engine needs one (design: never read by a station)
STATION_WEIGHT_KG = 70.0

_TIME_UP = {"en": "Time up", "zh_CN": "时间到", "zh_TW": "時間到"}
_TRAINER = {"en": "A task trainer (manikin or model): no patient physiology.",
            "zh_CN": "操作模型（模拟人或模具）：无患者生理参数。",
            "zh_TW": "操作模型（模擬人或模具）：無病人生理參數。"}


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)   # a JSON string is a YAML double-quoted scalar


def _text(t: Text | dict[str, str]) -> str:
    d = t.model_dump() if isinstance(t, Text) else t
    return "{" + ", ".join(f"{k}: {_q(str(d[k]))}" for k in ("en", "zh_CN", "zh_TW")) + "}"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def station_scenario_text(rubric: Any) -> str:
    """The station scenario of a station rubric (a ``Rubric`` with ``station``), as YAML text."""
    st = rubric.station
    assert st is not None, "only a station rubric has a station scenario"
    design = _q("design: a skills station examines a task trainer, not a patient; simtool's "
                "station scenario needs these placeholder numbers and no one reads them")
    limit = _num(st.time_limit_s.value)
    return "\n".join([
        f"# The station scenario of skills station {rubric.id} {rubric.version}, made by simtool",
        "# (simtool/core/station.py) from the station rubric: one candidate, one timed task.",
        "format: 1",
        f"id: {rubric.id}",
        f"version: {_q(str(rubric.version))}",
        f"title: {_text(rubric.title)}",
        f"summary: {_text(st.task)}",
        "objectives:",
        f"  - {_text(rubric.title)}",
        f"briefing: {_text(st.task)}",
        f"duration_s: {limit}",
        "roles:",
        f"  - id: {CANDIDATE}",
        f"    label: {_text(CANDIDATE_LABEL)}",
        "patient:",
        f"  description: {_text(_TRAINER)}",
        f"  weight_kg: {{default: {_num(STATION_WEIGHT_KG)}, min: {_num(STATION_WEIGHT_KG)}, "
        f"max: {_num(STATION_WEIGHT_KG)}}}",
        f"  blood_volume_ml_per_kg: {{value: 70, source: {design}}}",
        f"  baseline: {{hr: 75, sbp: 120, dbp: 75, rr: 14, spo2: 98, etco2: 36, temp_c: 36.8, "
        f"source: {design}}}",
        "initial: station",
        "states:",
        "  - id: station",
        f"    label: {_text(rubric.title)}",
        "    transitions:",
        "      - to: time_up",
        f"        after_s: {limit}",
        f"        source: {_q('the station time limit: ' + st.time_limit_s.source)}",
        "  - id: time_up",
        f"    label: {_text(_TIME_UP)}",
        "    final: true",
        "",
    ])


@lru_cache(maxsize=64)
def _station_scenario(text: str, display: str) -> Any:
    from simtool.core.catalogue import load_catalogue
    from simtool.core.paths import bundled_catalogue
    from simtool.core.scenario import load_scenario_text
    return load_scenario_text(text, load_catalogue(bundled_catalogue()), display)


def station_scenario(rubric: Any, display: str) -> Any:
    """The station scenario of a station rubric as a ``LoadedScenario`` (with the bundled
    action catalogue, which a station never uses). ScenarioError if the rubric's words make
    an invalid scenario (named after ``display``)."""
    return _station_scenario(station_scenario_text(rubric), display)


def is_station(loaded_rubric: Any) -> bool:
    """Whether a ``LoadedRubric`` is a stand-alone station."""
    return getattr(loaded_rubric.rubric, "station", None) is not None


__all__ = ["CANDIDATE", "STATION_WEIGHT_KG", "is_station", "station_scenario", "station_scenario_text"]
