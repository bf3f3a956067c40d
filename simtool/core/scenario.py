"""Scenario files: the schema, and the checks that make a scenario safe to play.

``load_scenario`` returns an immutable ``Scenario`` or raises ``ScenarioError`` listing every
problem as FILE:LINE: field: message. Shape (unknown keys, types, required fields, the
languages) is checked by the pydantic models below; references between parts of the file,
reachability, the condition language and the sourcing of clinical numbers by ``_semantics``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from simtool.core import expr, units
from simtool.core.catalogue import (CONDITIONS, Catalogue, Id, PositiveAmount, check_routes,
                                    load_catalogue, weight_dose, weight_dose_problem)
from simtool.core.errors import Problem, ScenarioError
from simtool.core.inputfile import InputFileError, read_text
from simtool.core.labs import TEST_IDS
from simtool.core.limits import (
    MAX_BLEED_AMPLIFICATION, MAX_BLEED_FACTOR, MAX_BLEED_ML_MIN, MAX_BLOOD_VOLUME_ML_PER_KG,
    MAX_DATA_FILE_BYTES, MAX_DURATION_S, MAX_FILE_ENTRIES, MAX_INTERVENTION_USES, MAX_WEIGHT_KG,
    MIN_BLOOD_VOLUME_ML_PER_KG, MIN_WEIGHT_KG,
)
from simtool.core.physiology import RHYTHMS
from simtool.core.schema import ClinicalSource, Model, Sourced, Text, UnitName, build, in_range
from simtool.core.yamlsrc import Path_, Source, load_yaml, parse_yaml

FORMAT = 1


class Role(Model):
    id: Id
    label: Text
    required: bool = True



# a patient's weight: the model divides by it (blood volume, doses per kg)
Weight = Annotated[float, in_range(MIN_WEIGHT_KG, MAX_WEIGHT_KG, "kg", "simtool's limits for a patient")]
# a drill's length: nothing plays longer than a day
Duration = Annotated[float, Field(gt=0), in_range(None, MAX_DURATION_S, "s", "24 h, simtool's limit for one drill")]
# a list of a scenario's parts: the engine looks through some of them every simulated second
Entries = Field(max_length=MAX_FILE_ENTRIES)


class Range(Model):
    default: Weight
    min: Weight
    max: Weight

    @model_validator(mode="after")
    def _ordered(self) -> "Range":
        if not self.min <= self.default <= self.max:
            raise ValueError("needs min ≤ default ≤ max")
        return self


class Baseline(Model):
    hr: float
    sbp: float
    dbp: float
    rr: float
    spo2: float
    etco2: float
    temp_c: float
    source: str


class BaselineChange(Model):
    hr: float | None = None
    sbp: float | None = None
    dbp: float | None = None
    rr: float | None = None
    spo2: float | None = None
    source: str
    verify: bool = False


class BloodVolume(Sourced):
    """Blood volume per kg, with its source: ≈70 mL/kg in an adult (ATLS), ≈100 mL/kg at term
    (CLINICAL.md §4); the physiology divides every loss by it, so zero or a few mL cannot be."""

    value: Annotated[float, in_range(MIN_BLOOD_VOLUME_ML_PER_KG, MAX_BLOOD_VOLUME_ML_PER_KG, "mL/kg",
                                     "≈70 in an adult, ≈100 at term")]


class BleedRate(Sourced):
    """A state's bleeding rate, with its source; a whole cardiac output is ≈5,000 mL/min."""

    value: Annotated[float, Field(ge=0), in_range(None, MAX_BLEED_ML_MIN, "mL/min", "simtool's limit")]


class Patient(Model):
    description: Text | None = None
    weight_kg: Range
    pregnant: bool = False
    blood_volume_ml_per_kg: BloodVolume
    baseline: Baseline
    conditions: tuple[str, ...] = ()
    condition_effects: dict[str, BaselineChange] = {}

    @field_validator("conditions")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            if name not in CONDITIONS:
                raise ValueError(f"unknown patient condition '{name}' (one of {', '.join(CONDITIONS)})")
        return value


class Setting(Model):
    """A number of the scenario a site may set (the blood loss at which PPH is declared): its
    value here, read in conditions as ``setting.<id>``; a variant may give it another value."""

    id: Id
    label: Text
    value: float
    source: ClinicalSource
    verify: bool = False


class Variant(Model):
    id: Id
    label: Text
    conditions: tuple[str, ...] = ()
    # the scenario's settings this variant gives other values (each with its source)
    settings: dict[str, Sourced] = {}
    description: Text | None = None



class Marker(Model):
    """A named scenario event (birth, detection...): set at a time, on first entering a state
    (or any of several: the PPH drill's MDT is due once bleeding is refractory or massive), the
    first time a condition holds, or at the time the team first logs an action
    (``on_action``: the MDT activated in a drill whose states are the bleeding, not the team).
    ``since.<id>`` reads the seconds since it."""

    id: Id
    label: Text | None = None
    at_s: float | None = None
    on_enter: tuple[str, ...] | None = None
    when: str | None = None
    on_action: str | None = None
    source: str | None = None
    verify: bool = False  # a threshold in 'when' not confirmed from a primary text


    @field_validator("on_enter", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_trigger(self) -> "Marker":
        if self.on_enter is not None and not self.on_enter:
            raise ValueError("'on_enter' needs at least one state")
        given = [k for k in ("at_s", "on_enter", "when", "on_action") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("needs exactly one of 'at_s', 'on_enter', 'when', 'on_action'")
        return self


class Targets(Model):
    """Vitals a state sets directly, where physiology is not the point."""

    hr: float | None = None
    sbp: float | None = None
    dbp: float | None = None
    spo2: float | None = None
    rr: float | None = None
    etco2: float | None = None
    temp_c: float | None = None
    rhythm: str | None = None
    ramp_s: float = Field(default=30.0, ge=0)
    source: str

    @field_validator("rhythm")
    @classmethod
    def _rhythm(cls, value: str | None) -> str | None:
        if value is not None and value not in RHYTHMS:
            raise ValueError(f"unknown rhythm '{value}' (one of {', '.join(RHYTHMS)})")
        return value

    def values(self) -> dict[str, float | str]:
        keys = ("hr", "sbp", "dbp", "spo2", "rr", "etco2", "temp_c", "rhythm")
        return {k: getattr(self, k) for k in keys if getattr(self, k) is not None}


class Transition(Model):
    """Fires on an action, on a condition, or after a time in the state (unless an action)."""

    to: str
    on_action: tuple[str, ...] | None = None
    when: str | None = None
    after_s: float | None = Field(default=None, gt=0)
    unless_action: tuple[str, ...] = ()
    label: Text | None = None
    source: str | None = None
    verify: bool = False

    @field_validator("on_action", "unless_action", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_trigger(self) -> "Transition":
        given = [k for k in ("on_action", "when", "after_s") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("needs exactly one of 'on_action', 'when', 'after_s'")
        if self.unless_action and self.after_s is None:
            raise ValueError("'unless_action' goes with 'after_s'")
        return self


class State(Model):
    id: Id
    label: Text
    phase: str | None = None
    description: Text | None = None
    bleed_ml_min: BleedRate | None = None
    targets: Targets | None = None
    final: bool = False
    outcome: Literal["stabilised", "deteriorated", "death", "handover"] | None = None
    transitions: Annotated[tuple[Transition, ...], Entries] = ()



class Phase(Model):
    id: Id
    label: Text
    transitions: Annotated[tuple[Transition, ...], Entries] = ()



# how far an intervention may move a vital sign (bpm, mmHg, /min, %)
VitalDelta = Annotated[float, in_range(-300, 300, "", "simtool's limit for a change of a vital sign")]


class VitalChange(Model):
    """How an intervention moves the vitals: changes added to what the haemorrhage model says,
    reached over ``ramp_s`` and faded over ``ramp_s`` when the intervention's duration ends."""

    hr: VitalDelta | None = None
    sbp: VitalDelta | None = None
    dbp: VitalDelta | None = None
    rr: VitalDelta | None = None
    spo2: VitalDelta | None = None
    etco2: VitalDelta | None = None
    ramp_s: float = Field(default=30.0, ge=0)

    def deltas(self) -> dict[str, float]:
        keys = ("hr", "sbp", "dbp", "rr", "spo2", "etco2")
        return {k: getattr(self, k) for k in keys if getattr(self, k) is not None}

    @model_validator(mode="after")
    def _something(self) -> "VitalChange":
        if not self.deltas():
            raise ValueError("needs at least one of hr, sbp, dbp, rr, spo2, etco2")
        return self


class Intervention(Model):
    """How an action changes this patient in this scenario (the catalogue says what it is;
    the scenario says how this patient's bleed and vitals respond to it).

    ``bleed_factor`` multiplies the bleed from ``onset_s`` on (for ``duration_s``); with
    ``full_dose`` the effect grows with the dose given, full at that dose and above (a
    uterotonic's effect depends on the dose). ``vitals`` moves the vital signs for as long.
    ``routes``, ``conditions``, ``dose_above`` and ``when`` narrow when the entry applies: only
    by those routes, only to a patient with one of those conditions, only to a larger dose (a
    rapid IV bolus of oxytocin; carboprost in asthma), only when the condition holds as the
    action is logged, its dose counted (calcium after too much magnesium). An action may
    have several entries; each counts its own uses."""

    action: str
    bleed_factor: Annotated[float, Field(ge=0), in_range(None, MAX_BLEED_FACTOR, "", "simtool's limit")] = 1.0
    onset_s: float = Field(default=0, ge=0)
    duration_s: float | None = Field(default=None, gt=0)
    # repeated doses beyond this add nothing
    max_uses: Annotated[int, Field(ge=1), in_range(None, MAX_INTERVENTION_USES, "", "simtool's limit")] = 1
    routes: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    dose_above: float | None = Field(default=None, ge=0)
    when: str | None = None
    full_dose: float | None = Field(default=None, gt=0)
    vitals: VitalChange | None = None
    source: str
    verify: bool = False

    @field_validator("routes")
    @classmethod
    def _routes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return check_routes(value)

    @field_validator("conditions")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            if name not in CONDITIONS:
                raise ValueError(f"unknown patient condition '{name}' (one of {', '.join(CONDITIONS)})")
        return value

    def applies(self, route: str | None, dose: float | None, conditions: Iterable[str]) -> bool:
        """Whether this entry applies to a dose given so, to a patient with ``conditions``."""
        if self.routes and route not in self.routes:
            return False
        if self.conditions and not set(self.conditions) & set(conditions):
            return False
        return self.dose_above is None or (dose is not None and dose > self.dose_above)

    def factor(self, dose: float | None) -> float:
        """The bleed factor of a dose: the full one at ``full_dose`` and above, less below."""
        if self.full_dose is None or dose is None:
            return self.bleed_factor
        return 1.0 - (1.0 - self.bleed_factor) * min(1.0, dose / self.full_dose)


class WindowSpec(Model):
    after: str
    within_s: float = Field(gt=0)


class Expected(Model):
    """An action the team is expected to perform in a time window after a marker.

    Only an action at or after the marker counts (a prophylactic dose in the third stage is
    not the treatment of a haemorrhage recognised later), unless ``early`` says an action
    before it is early recognition and counts too (calling for help before the trigger).
    ``deadline`` and ``before`` are hard limits: an action after them earns nothing (not even
    the late points): tranexamic acid after 3 h of birth, a briefing after the incision."""

    id: Id
    label: Text
    actions: tuple[str, ...]
    mode: Literal["any", "all"] = "any"
    role: str | None = None
    after: str
    within_s: float = Field(gt=0)
    early: bool = False
    deadline: WindowSpec | None = None  # a second limit, e.g. TXA within 3 h of birth
    before: str | None = None           # a marker it must come before, e.g. the incision
    source: str
    verify: bool = False


    @field_validator("actions")
    @classmethod
    def _some(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("needs at least one action")
        return value


class Indicator(Model):
    """A process measure: seconds from a marker to an action (or another marker)."""

    id: Id
    label: Text
    start: str  # marker id
    end_action: tuple[str, ...] | None = None
    end_role: str | None = None  # the end action counts only when this role did it
    end_marker: str | None = None
    require_no_flags: bool = False
    # and no end action in the target time drew a flag (three 40 IU oxytocin doses in a
    # minute are not oxytocin per protocol because the first of them was right)
    require_no_flags_until_target: bool = False
    target_s: float = Field(gt=0)
    # an end action before the start counts (as 0 s) only when it is early recognition
    early: bool = False
    # the start is the team's to make (activating the MDT): a drill that never made it is
    # "not met", not "not applicable", in the drill and in every department statistic
    start_required: bool = False
    # the same, only once this marker has happened (the PPH drill's MDT is due above 1500 mL
    # or when bleeding is refractory: a drill that never needed it is "not applicable")
    required_after: str | None = None
    source: str
    verify: bool = False
    # the compliance target: the share of drills (percent) that should meet ``target_s``,
    # "compliance > target_pct" as document 002 words it ("oxytocin compliance >90 %"), with
    # its own source ("design: department's choice" and verify: true when no source gives
    # one). Optional here so that a scenario text archived before issue 21 still reads; every
    # bundled scenario gives both (tests/core/test_indicator_targets.py), and a department
    # may override them in its archive (``simtool.store.targets``). No global default.
    target_pct: float | None = Field(default=None, ge=0, lt=100)
    target_source: str | None = None


    @field_validator("end_action", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_end(self) -> "Indicator":
        if (self.end_action is None) == (self.end_marker is None):
            raise ValueError("needs exactly one of 'end_action', 'end_marker'")
        if self.require_no_flags_until_target and not (self.require_no_flags and self.end_action):
            raise ValueError("'require_no_flags_until_target' goes with 'end_action' and 'require_no_flags: true'")
        if (self.target_pct is None) != (self.target_source is None or not self.target_source.strip()):
            raise ValueError("give 'target_pct' (the compliance target, %) and 'target_source' together")
        if self.start_required and self.required_after is not None:
            raise ValueError("give 'start_required: true' (always) or 'required_after' (once a marker has happened), not both")
        return self


class ForbiddenAction(Model):
    """An action this scenario forbids (a flag, never a block): always, or only once the
    marker ``after`` has happened (a further local anaesthetic once toxicity has shown), or
    only while ``until`` has not (an incision before the MDT has assembled)."""
    action: str
    after: str | None = None
    until: str | None = None
    message: Text | None = None
    source: str


class PaletteGroup(Model):
    """A group of actions the console shows first, in this order, under this heading: the
    first-line actions of this scenario (everything else in the catalogue stays reachable by
    type-to-find and under "All actions")."""
    label: Text
    actions: Annotated[tuple[str, ...], Field(min_length=1, max_length=40)]


class DoseEffect(Model):
    """A drug effect that grows with the dose given (lipid emulsion in LAST: the full effect
    needs the ASRA bolus for this weight, not any amount). The condition variable
    ``effect.<id>`` is the doses of ``actions`` given at least ``onset_s`` ago (in ``unit``)
    as a fraction of this patient's reference dose: ``per_kg`` × weight, or ``absolute``
    (alone, or above ``over_kg`` kg). Conditions compare it with the fraction that works
    (``effect.lipid >= 0.8``): a small dose never reaches it, repeated doses add up."""

    id: Id
    label: Text | None = None
    actions: Annotated[tuple[str, ...], Field(min_length=1)]
    unit: UnitName
    per_kg: PositiveAmount | None = None
    absolute: PositiveAmount | None = None
    over_kg: Weight | None = None
    onset_s: Annotated[float, Field(ge=0), in_range(None, MAX_DURATION_S, "s", "24 h, simtool's limit for one drill")] = 0.0
    source: ClinicalSource
    verify: bool = False

    @model_validator(mode="after")
    def _shape(self) -> "DoseEffect":
        problem = weight_dose_problem(self.per_kg, self.absolute, self.over_kg)
        if problem:
            raise ValueError(problem)
        return self

    def reference(self, weight_kg: float) -> float:
        """The dose (in ``unit``) that makes ``effect.<id>`` 1 for a patient of ``weight_kg``."""
        return weight_dose(self.per_kg, self.absolute, self.over_kg, weight_kg)


class LabValues(Model):
    """The laboratory values of this patient before she bleeds (simtool.core.labs)."""

    hb: Annotated[float, in_range(30, 250, "g/L", "a haemoglobin")]
    platelets: Annotated[float, in_range(5, 1500, "×10⁹/L", "a platelet count")]
    fibrinogen: Annotated[float, in_range(0.2, 12, "g/L", "a fibrinogen")]
    pt: Annotated[float, in_range(5, 60, "s", "a normal prothrombin time")]
    ica: Annotated[float, in_range(0.5, 1.6, "mmol/L", "an ionised calcium")]
    lactate: Annotated[float, in_range(0.1, 20, "mmol/L", "a lactate")]
    source: ClinicalSource
    verify: bool = False


class Labs(Model):
    """The scenario's laboratory: what the patient's blood holds at the start, and how long a
    sample takes to come back (``turnaround_s``, from when it is sent; ``point_of_care_s`` for
    the blood-gas tests, labs.POINT_OF_CARE)."""

    baseline: LabValues
    turnaround_s: Sourced
    # haemoglobin, ionised calcium and lactate from a blood-gas analyser at the bedside come
    # back after this instead (none: every test takes the turnaround)
    point_of_care_s: Sourced | None = None

    @field_validator("turnaround_s", "point_of_care_s")
    @classmethod
    def _turnaround(cls, value: Sourced | None) -> Sourced | None:
        if value is not None and not 0 <= value.value <= MAX_DURATION_S:
            raise ValueError(f"a turnaround time must be between 0 and {MAX_DURATION_S:g} s")
        return value


class Reference(Model):
    id: Id
    citation: str
    note: Text | None = None


class Scenario(Model):
    format: Literal[1]
    id: Id
    version: str
    title: Text
    summary: Text
    objectives: Annotated[tuple[Text, ...], Entries]
    briefing: Text
    duration_s: Duration
    catalogue: str = "actions.yaml"
    # how this site counts blood products (catalogue.CONVENTIONS): "china" — 1 U 悬浮红细胞
    # from 200 mL of whole blood, FFP in mL, platelets in therapeutic doses
    blood_units: Literal["international", "china"] = "international"
    roles: Annotated[tuple[Role, ...], Entries]
    patient: Patient
    settings: Annotated[tuple[Setting, ...], Entries] = ()
    variants: Annotated[tuple[Variant, ...], Entries] = ()
    markers: Annotated[tuple[Marker, ...], Entries] = ()
    initial: str
    phases: Annotated[tuple[Phase, ...], Entries] = ()
    states: Annotated[tuple[State, ...], Entries]
    interventions: Annotated[tuple[Intervention, ...], Entries] = ()
    effects: Annotated[tuple[DoseEffect, ...], Entries] = ()
    forbidden: Annotated[tuple[ForbiddenAction, ...], Entries] = ()
    expected: Annotated[tuple[Expected, ...], Entries] = ()
    palette: Annotated[tuple[PaletteGroup, ...], Field(max_length=12)] = ()
    indicators: Annotated[tuple[Indicator, ...], Entries] = ()
    labs: Labs | None = None
    references: Annotated[tuple[Reference, ...], Entries] = ()


    @cached_property
    def state_index(self) -> dict[str, State]:
        return {s.id: s for s in self.states}

    @cached_property
    def role_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.roles)

    def phase_of(self, state_id: str) -> Phase | None:
        phase_id = self.state_index[state_id].phase
        return next((p for p in self.phases if p.id == phase_id), None)


class LoadedScenario:
    """A validated scenario together with its catalogue and where it came from."""

    def __init__(self, scenario: Scenario, catalogue: Catalogue, path: Path, text: str) -> None:
        self.scenario = scenario
        self.catalogue = catalogue
        self.path = path
        self.text = text  # exact file text, kept so an archived drill can be re-read later


# --- semantic checks ------------------------------------------------------------------------

def builtin_variables(scenario: Scenario, catalogue: Catalogue) -> set[str]:
    """Every name a condition may read in this scenario."""
    names = {
        "t", "time_in_state", "hr", "sbp", "dbp", "map", "spo2", "rr", "etco2", "temp_c",
        "shock_index", "blood_loss_ml", "blood_volume_ml", "circulating_ml", "loss_fraction",
        "deficit_fraction",
        "weight_kg", "bleed_ml_min",
    }
    for action in catalogue.ids():
        names |= {f"given.{action}", f"total.{action}", f"since.{action}"}
    names |= {f"since.{m.id}" for m in scenario.markers}
    names |= {f"has.{c}" for c in CONDITIONS}
    names |= {f"variant.{v.id}" for v in scenario.variants}
    names |= {f"setting.{st.id}" for st in scenario.settings}
    names |= {f"by.{r.id}.{a}" for r in scenario.roles for a in catalogue.ids()}
    names |= {f"effect.{e.id}" for e in scenario.effects}
    names |= {f"rhythm.{r}" for r in RHYTHMS}
    names |= {f"blood.{v}" for v in BLOOD_VARIABLES}
    names |= {f"ratio.{v}" for v in RATIO_VARIABLES}
    names |= {f"lab.{t}" for t in TEST_IDS} | {f"labs.{v}" for v in ("sent", "back", "pending")}
    return names


# blood.<name>: blood products given so far, in adult (international) units whatever the
# scenario's convention (rbc_units, ffp_units, platelet_units, cryo_units), and the volume of
# plasma in mL (ffp_ml: RCOG's 12–15 mL/kg); ratio.<name>: FFP and platelets per red-cell unit,
# on those equivalent amounts (None until red cells are given)
BLOOD_VARIABLES = ("rbc_units", "ffp_units", "platelet_units", "cryo_units", "ffp_ml")
RATIO_VARIABLES = ("ffp_rbc", "platelets_rbc")
BLOOD_PRODUCTS = {"rbc_transfusion": "rbc_units", "ffp_transfusion": "ffp_units",
                  "platelet_transfusion": "platelet_units", "cryoprecipitate": "cryo_units"}


def _duplicates(src: Source, key: str) -> list[Problem]:
    """Duplicate ids in a top-level list, checked on the raw data so it always runs."""
    problems = []
    items = src.data.get(key) if isinstance(src.data, dict) else None
    if not isinstance(items, tuple):
        return problems
    first: dict[Any, int] = {}
    for i, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            ident = item["id"]
            if ident in first:
                problems.append(src.problem((key, i, "id"),
                                            f"duplicate id '{ident}' (first at {key}[{first[ident]}])"))
            else:
                first[ident] = i
    return problems


class _Checker:
    def __init__(self, sc: Scenario, cat: Catalogue, src: Source) -> None:
        self.sc, self.cat, self.src = sc, cat, src
        self.problems: list[Problem] = []
        self.states = set(sc.state_index)
        self.phases = {p.id for p in sc.phases}
        self.markers = {m.id for m in sc.markers}
        self.roles = set(sc.role_ids)
        self.actions = set(cat.ids())
        self.variables = builtin_variables(sc, cat)

    def add(self, path: Path_, message: str) -> None:
        self.problems.append(self.src.problem(path, message))

    def action(self, path: Path_, action_id: str) -> None:
        if action_id not in self.actions:
            self.add(path, f"unknown action '{action_id}'")

    def condition(self, path: Path_, text: str, sourced: bool) -> None:
        try:
            node = expr.parse(text)
            expr.check_names(node, self.variables.__contains__)
        except expr.ExprError as exc:
            self.add(path, f"condition: {exc}")
            return
        clinical = [n for n in expr.numbers(node) if n not in (0.0, 1.0)]
        if clinical and not sourced:
            self.add(path, "a threshold in a condition needs a 'source' beside it")

    def transition(self, path: Path_, tr: Transition) -> None:
        if tr.to not in self.states:
            self.add(path + ("to",), f"unknown state '{tr.to}'")
        for i, a in enumerate(tr.on_action or ()):
            self.action(path + ("on_action", i) if len(tr.on_action or ()) > 1 else path + ("on_action",), a)
        for i, a in enumerate(tr.unless_action):
            self.action(path + ("unless_action",), a)
        if tr.when is not None:
            self.condition(path + ("when",), tr.when, bool(tr.source and tr.source.strip()))
        if tr.after_s is not None and not (tr.source and tr.source.strip()):
            self.add(path + ("after_s",), "a time limit needs a 'source' beside it (or 'design: ...')")

    def run(self) -> list[Problem]:
        sc = self.sc
        if sc.initial not in self.states:
            self.add(("initial",), f"unknown state '{sc.initial}'")
        for name in sc.patient.condition_effects:
            if name not in CONDITIONS:
                self.add(("patient", "condition_effects", name), f"unknown patient condition '{name}'")
        settings = {st.id for st in sc.settings}
        for i, v in enumerate(sc.variants):
            for c in v.conditions:
                if c not in sc.patient.conditions:
                    self.add(("variants", i, "conditions"),
                             f"condition '{c}' is not in patient.conditions")
            for name in v.settings:
                if name not in settings:
                    self.add(("variants", i, "settings", name),
                             f"unknown setting '{name}' (settings: {', '.join(sorted(settings)) or 'none'})")
        for i, m in enumerate(sc.markers):
            for j, state in enumerate(m.on_enter or ()):
                if state not in self.states:
                    where = ("markers", i, "on_enter", j) if len(m.on_enter or ()) > 1 else ("markers", i, "on_enter")
                    self.add(where, f"unknown state '{state}'")
            if m.when is not None:
                self.condition(("markers", i, "when"), m.when, bool(m.source and m.source.strip()))
            if m.on_action is not None:
                self.action(("markers", i, "on_action"), m.on_action)
        for i, p in enumerate(sc.phases):
            for j, tr in enumerate(p.transitions):
                self.transition(("phases", i, "transitions", j), tr)
        for i, st in enumerate(sc.states):
            if st.phase is not None and st.phase not in self.phases:
                self.add(("states", i, "phase"), f"unknown phase '{st.phase}'")
            for j, tr in enumerate(st.transitions):
                self.transition(("states", i, "transitions", j), tr)
            if st.final and st.transitions:
                self.add(("states", i, "transitions"), "a final state cannot have transitions")
            if st.outcome is not None and not st.final:
                self.add(("states", i, "outcome"), "only a final state has an outcome")
        for i, iv in enumerate(sc.interventions):
            self.intervention(("interventions", i), iv)
        self.amplification()
        for i, fb in enumerate(sc.forbidden):
            self.action(("forbidden", i, "action"), fb.action)
            for key in ("after", "until"):
                marker = getattr(fb, key)
                if marker is not None and marker not in self.markers:
                    self.add(("forbidden", i, key), f"unknown marker '{marker}'")
        seen: set[str] = set()
        for i, group in enumerate(sc.palette):
            for j, a in enumerate(group.actions):
                self.action(("palette", i, "actions", j), a)
                if a in seen:
                    self.add(("palette", i, "actions", j), f"'{a}' is already in the palette")
                seen.add(a)
        for i, ex in enumerate(sc.expected):
            for j, a in enumerate(ex.actions):
                self.action(("expected", i, "actions", j), a)
            if ex.role is not None and ex.role not in self.roles:
                self.add(("expected", i, "role"), f"unknown role '{ex.role}'")
            if ex.after not in self.markers:
                self.add(("expected", i, "after"), f"unknown marker '{ex.after}'")
            if ex.deadline is not None and ex.deadline.after not in self.markers:
                self.add(("expected", i, "deadline", "after"), f"unknown marker '{ex.deadline.after}'")
            if ex.before is not None and ex.before not in self.markers:
                self.add(("expected", i, "before"), f"unknown marker '{ex.before}'")
        for i, ind in enumerate(sc.indicators):
            if ind.start not in self.markers:
                self.add(("indicators", i, "start"), f"unknown marker '{ind.start}'")
            if ind.end_marker is not None and ind.end_marker not in self.markers:
                self.add(("indicators", i, "end_marker"), f"unknown marker '{ind.end_marker}'")
            if ind.required_after is not None and ind.required_after not in self.markers:
                self.add(("indicators", i, "required_after"), f"unknown marker '{ind.required_after}'")
            for a in ind.end_action or ():
                self.action(("indicators", i, "end_action"), a)
            if ind.end_role is not None and ind.end_role not in self.roles:
                self.add(("indicators", i, "end_role"), f"unknown role '{ind.end_role}'")
            if ind.end_role is not None and ind.end_action is None:
                self.add(("indicators", i, "end_role"), "'end_role' goes with 'end_action'")
        self.effects()
        self.graph()
        return self.problems

    def effects(self) -> None:
        """Each dose effect counts doses it can add up: of known actions, given in a dose of its
        unit's kind (not as a rate), under an id of its own."""
        seen: dict[str, int] = {}
        for i, eff in enumerate(self.sc.effects):
            if eff.id in seen:
                self.add(("effects", i, "id"), f"duplicate id '{eff.id}' (first at effects[{seen[eff.id]}])")
            seen.setdefault(eff.id, i)
            want = units.UNITS[eff.unit]
            for j, a in enumerate(eff.actions):
                path = ("effects", i, "actions", j)
                action = self.cat.get(a)
                if action is None:
                    self.add(path, f"unknown action '{a}'")
                elif action.dose is None:
                    self.add(path, f"{a} takes no dose, so it has no dose to count")
                elif units.UNITS[action.dose.unit].dimension != want.dimension:
                    self.add(path, f"{a} is dosed in {action.dose.unit}, which cannot be counted in "
                                   f"{eff.unit}")

    def intervention(self, path: Path_, iv: Intervention) -> None:
        action = self.cat.get(iv.action)
        if action is None:
            self.add(path + ("action",), f"unknown action '{iv.action}'")
            return
        for k, route in enumerate(iv.routes):
            if action.routes and route not in action.routes:
                self.add(path + ("routes", k), f"route '{route}' is not one of {iv.action}'s routes "
                                               f"({', '.join(action.routes)})")
        for k, c in enumerate(iv.conditions):
            if c not in self.sc.patient.conditions:
                self.add(path + ("conditions", k), f"condition '{c}' is not in patient.conditions")
        for key in ("dose_above", "full_dose"):
            if getattr(iv, key) is not None and action.dose is None:
                self.add(path + (key,), f"{iv.action} takes no dose")
        if iv.when is not None:
            self.condition(path + ("when",), iv.when, bool(iv.source.strip()))

    def amplification(self) -> None:
        """Interventions that raise the bleed (factor > 1) may stack: keep their product, at
        its worst, within a millionfold so that every volume stays a finite number."""
        worst = sum(iv.max_uses * math.log10(iv.bleed_factor)
                    for iv in self.sc.interventions if iv.bleed_factor > 1)
        if worst > math.log10(MAX_BLEED_AMPLIFICATION):
            self.add(("interventions",), "together the interventions could multiply the bleed "
                                         f"by 10^{worst:.0f} (bleed_factor ^ max_uses); the limit "
                                         f"is 10^{math.log10(MAX_BLEED_AMPLIFICATION):.0f}")

    def outgoing(self, state: State) -> tuple[Transition, ...]:
        phase = self.sc.phase_of(state.id) if state.phase in self.phases else None
        return state.transitions + (phase.transitions if phase else ())

    def graph(self) -> None:
        sc = self.sc
        if sc.initial not in self.states:
            return
        seen = {sc.initial}
        todo = [sc.initial]
        while todo:
            state = sc.state_index[todo.pop()]
            for tr in self.outgoing(state):
                if tr.to in self.states and tr.to not in seen:
                    seen.add(tr.to)
                    todo.append(tr.to)
        for i, st in enumerate(sc.states):
            if st.id not in seen:
                self.add(("states", i, "id"), f"state '{st.id}' cannot be reached from '{sc.initial}'")
            if not st.final and not self.outgoing(st):
                self.add(("states", i, "id"), f"state '{st.id}' has no way out and is not marked final")


def _find_catalogue(path: Path, name: str) -> Path:
    candidate = path.parent / name
    if candidate.exists():
        return candidate
    from simtool.core.paths import bundled_catalogue
    return bundled_catalogue()


_CATALOGUES: dict[tuple[str, int, int], Catalogue] = {}


def _cached_catalogue(path: Path) -> Catalogue:
    # validating a folder of scenarios should not re-read the shared catalogue for each one;
    # the key changes whenever the file does, so an edited catalogue is always re-checked
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _CATALOGUES:
        _CATALOGUES[key] = load_catalogue(path)
    return _CATALOGUES[key]


def load_scenario(path: str | Path, catalogue: Catalogue | None = None,
                  display: str | None = None) -> LoadedScenario:
    """Load and validate a scenario file (and its catalogue, unless one is given)."""
    path = Path(path)
    name = display or str(path)
    src, problems = load_yaml(path, name)
    if src is None:
        raise ScenarioError(problems)
    sc, catalogue = _checked(src, catalogue, path)
    try:
        text = read_text(path, MAX_DATA_FILE_BYTES, "scenario files", name)
    except InputFileError as exc:
        raise ScenarioError([Problem(name, 1, "(file)", exc.message)]) from None
    return LoadedScenario(sc, catalogue, path, text)


def load_scenario_text(text: str, catalogue: Catalogue, display: str) -> LoadedScenario:
    """Load and validate a scenario from its text (an archived drill's, exactly as it was
    played) with ``catalogue``; problems are named after ``display``. No file is written."""
    src, problems = parse_yaml(text, display)
    if src is None:
        raise ScenarioError(problems)
    sc, _ = _checked(src, catalogue, None)
    return LoadedScenario(sc, catalogue, Path(f"{sc.id}.yaml"), text)


def _checked(src: Source, catalogue: Catalogue | None,
             path: Path | None) -> tuple[Scenario, Catalogue]:
    """The scenario ``src`` holds and its catalogue (found beside ``path`` when none is
    given), checked whole; ScenarioError with every problem."""
    if not isinstance(src.data, dict):
        raise ScenarioError([src.problem((), "a scenario file must be a mapping")])
    problems = []
    for key in ("roles", "settings", "variants", "markers", "phases", "states", "expected", "indicators"):
        problems += _duplicates(src, key)
    sc, shape = build(Scenario, src)
    problems += shape
    if sc is None:
        raise ScenarioError(problems)
    if catalogue is None:
        assert path is not None
        cat_path = _find_catalogue(path, sc.catalogue)
        if not cat_path.is_file():
            raise ScenarioError(problems + [src.problem(
                ("catalogue",), f"action catalogue '{sc.catalogue}' not found beside the file or in {cat_path.parent}")])
        catalogue = _cached_catalogue(cat_path)
    # the blood products as this site counts them (1 U 悬浮红细胞, FFP in mL, 治疗量)
    catalogue = catalogue.for_convention(sc.blood_units)
    problems += _Checker(sc, catalogue, src).run()
    if problems:
        raise ScenarioError(problems)
    return sc, catalogue
