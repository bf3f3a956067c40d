"""The shared action catalogue: every intervention a team can perform, and its safety rules.

One catalogue serves every scenario so that ``oxytocin`` means the same thing in every drill
and the archive can compare drills across scenarios. Each drug carries its dose unit, default
and usual range, routes, and rules with sources; a broken rule raises a flag on the event and
never blocks the instructor.
"""

from __future__ import annotations

import re
import string
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, Field, field_validator, model_validator

from simtool.core import expr, units
from simtool.core.errors import Problem, ScenarioError
from simtool.core.languages import LANGS
from simtool.core.limits import MAX_CATALOGUE_ACTIONS, MAX_DOSE, MAX_FILE_ENTRIES, MAX_ML_PER_UNIT
from simtool.core.schema import Model, Text, build, in_range
from simtool.core.yamlsrc import Source, load_yaml

ID = re.compile(r"^[a-z][a-z0-9_]*$")
CATEGORIES = (
    "uterotonic", "haemostatic", "fluid", "blood_product", "procedure", "communication",
    "airway", "drug", "resuscitation", "assessment",
)
CONDITIONS = ("asthma", "hypertension", "preeclampsia", "anticoagulated", "cardiac_disease")
# variables a catalogue rule's condition may read: the current vitals
VITAL_NAMES = ("hr", "sbp", "dbp", "map", "spo2", "rr", "etco2", "temp_c", "shock_index")


def check_id(value: str) -> str:
    if not ID.match(value):
        raise ValueError(f"'{value}' is not a lower-case snake_case id")
    return value


# an id field: lower-case snake case, checked where it is declared
Id = Annotated[str, AfterValidator(check_id)]
# an amount of a drug or fluid in the action's unit: never negative, never absurd, so that sums
# of doses (and the volumes they infuse) stay finite numbers
Amount = Annotated[float, Field(ge=0), in_range(None, MAX_DOSE, "", "simtool's limit for a dose")]
PositiveAmount = Annotated[float, Field(gt=0), in_range(None, MAX_DOSE, "", "simtool's limit for a dose")]


class _Rule(Model):
    source: str
    verify: bool = False
    message: Text | None = None
    # scenario ids the rule applies in (empty: everywhere). The LAST limit on epinephrine
    # boluses must not flag a standard arrest dose in another scenario.
    only_in: tuple[str, ...] = ()
    # routes the rule applies to (empty: any) — oxytocin's limit is 10 IU IM but 40 IU IV
    routes: tuple[str, ...] = ()

    @field_validator("source")
    @classmethod
    def _source_given(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a source is required for a clinical rule")
        return value


class Contraindication(_Rule):
    """Flag when the patient has one of ``conditions`` or the vitals meet ``when``."""

    kind: Literal["contraindication"]
    conditions: tuple[str, ...] = ()
    when: str | None = None

    @field_validator("conditions")
    @classmethod
    def _known_conditions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            if name not in CONDITIONS:
                raise ValueError(f"unknown patient condition '{name}' (one of {', '.join(CONDITIONS)})")
        return value

    @field_validator("when")
    @classmethod
    def _parses(cls, value: str | None) -> str | None:
        if value is not None:
            node = expr.parse(value)
            expr.check_names(node, lambda n: n in VITAL_NAMES)
        return value

    @model_validator(mode="after")
    def _something(self) -> "Contraindication":
        if not self.conditions and self.when is None:
            raise ValueError("a contraindication needs 'conditions' or 'when'")
        return self


class MaxSingle(_Rule):
    """Flag a single dose above ``per_kg`` × weight or above ``absolute`` (action's unit)."""

    kind: Literal["max_single"]
    per_kg: PositiveAmount | None = None
    absolute: PositiveAmount | None = None


class MaxTotal(_Rule):
    """Flag when the cumulative dose (also counting ``shared_with`` actions) exceeds a limit."""

    kind: Literal["max_total"]
    per_kg: PositiveAmount | None = None
    absolute: PositiveAmount | None = None
    shared_with: tuple[str, ...] = ()


class ExpectedDose(_Rule):
    """Flag a dose more than ``tolerance_pct`` away from the one this patient should get:
    ``per_kg`` × weight, or ``absolute`` (alone, or above ``over_kg`` kg) — e.g. lipid 20 %
    bolus 1.5 mL/kg up to 70 kg, 100 mL above."""

    kind: Literal["expected_dose"]
    per_kg: PositiveAmount | None = None
    absolute: PositiveAmount | None = None
    over_kg: float | None = Field(default=None, gt=0)
    tolerance_pct: float = Field(default=20, gt=0, le=100)

    @model_validator(mode="after")
    def _shape(self) -> "ExpectedDose":
        if self.per_kg is None and self.absolute is None:
            raise ValueError("needs 'per_kg' or 'absolute'")
        if self.over_kg is not None and (self.per_kg is None or self.absolute is None):
            raise ValueError("'over_kg' needs both 'per_kg' and 'absolute'")
        return self

    def expected(self, weight_kg: float) -> float:
        if self.per_kg is None or (self.over_kg is not None and weight_kg > self.over_kg):
            return float(self.absolute)  # type: ignore[arg-type]
        return self.per_kg * weight_kg


class MinInterval(_Rule):
    """Flag a dose given less than ``seconds`` after the previous one."""

    kind: Literal["min_interval"]
    seconds: float = Field(gt=0)


class MaxDoses(_Rule):
    """Flag the dose after the ``count``-th."""

    kind: Literal["max_doses"]
    count: int = Field(ge=1)


class Window(_Rule):
    """Flag a dose given more than ``within_s`` after the scenario marker ``after``."""

    kind: Literal["window"]
    after: str
    within_s: float = Field(gt=0)


Rule = Annotated[
    Union[Contraindication, MaxSingle, MaxTotal, ExpectedDose, MinInterval, MaxDoses, Window],
    Field(discriminator="kind"),
]


class Dose(Model):
    unit: str
    default: Amount | None = None
    min: Amount | None = None
    max: Amount | None = None
    per_kg: Amount | None = None  # weight-based suggestion (e.g. lipid 1.5 mL/kg)
    source: str | None = None
    verify: bool = False

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, value: str) -> str:
        if not units.is_unit(value):
            raise ValueError(f"unknown unit '{value}'")
        return units.canonical(value)

    @model_validator(mode="after")
    def _sourced(self) -> "Dose":
        numbers = [self.default, self.min, self.max, self.per_kg]
        if any(n is not None for n in numbers) and not (self.source or "").strip():
            raise ValueError("dose numbers need a 'source'")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is greater than max")
        return self


class Infusion(Model):
    """What the action puts into the circulation (drives the physiology model)."""

    product: Literal["crystalloid", "colloid", "rbc", "ffp", "platelets", "cryoprecipitate"]
    # mL per unit of the dose (1 for mL, ~280 for a bag of RBC)
    ml_per_unit: Annotated[float, Field(gt=0), in_range(None, MAX_ML_PER_UNIT, "mL", "simtool's limit")]
    source: str


class Action(Model):
    id: Id
    category: str
    label: Text
    dose: Dose | None = None
    routes: tuple[str, ...] = ()
    key: str | None = None  # keyboard shortcut in the instructor console
    infuses: Infusion | None = None
    oxygen: bool = False
    rules: Annotated[tuple[Rule, ...], Field(max_length=MAX_FILE_ENTRIES)] = ()


    @field_validator("category")
    @classmethod
    def _category(cls, value: str) -> str:
        if value not in CATEGORIES:
            raise ValueError(f"unknown category '{value}' (one of {', '.join(CATEGORIES)})")
        return value

    @field_validator("routes")
    @classmethod
    def _routes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        allowed = {"IV", "IM", "IO", "SL", "PR", "PO", "SC", "INH", "topical", "intrauterine"}
        for route in value:
            if route not in allowed:
                raise ValueError(f"unknown route '{route}' (one of {', '.join(sorted(allowed))})")
        return value


class Catalogue(Model):
    format: Literal[1]
    actions: Annotated[tuple[Action, ...], Field(max_length=MAX_CATALOGUE_ACTIONS)]

    def get(self, action_id: str) -> Action | None:
        return self.index.get(action_id)

    def ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.actions)

    @cached_property
    def index(self) -> dict[str, Action]:
        return {a.id: a for a in self.actions}


PLACEHOLDERS = ("dose", "unit", "weight_kg", "total", "limit", "per_kg")


def _bad_placeholders(text: str) -> str | None:
    """Why a rule message's {placeholders} cannot be filled, or None."""
    try:
        names = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError as exc:
        return f"braces do not pair up ({exc}); write {{{{ and }}}} for a literal brace"
    unknown = [n for n in names if n not in PLACEHOLDERS]
    if unknown:
        return f"unknown placeholder '{{{unknown[0]}}}' (one of {', '.join(PLACEHOLDERS)})"
    return None


def _cross_check(cat: Catalogue, src: Source) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    ids = set(cat.ids())
    for i, action in enumerate(cat.actions):
        if action.id in seen:
            problems.append(src.problem(("actions", i, "id"),
                                        f"duplicate action id '{action.id}' (first at actions[{seen[action.id]}])"))
        seen.setdefault(action.id, i)
        for j, rule in enumerate(action.rules):
            path = ("actions", i, "rules", j)
            for lang in LANGS:
                text = getattr(rule.message, lang, None) if rule.message else None
                bad = _bad_placeholders(text) if text else None
                if bad:
                    problems.append(src.problem(path + ("message", lang), bad))
            if isinstance(rule, (MaxSingle, MaxTotal, ExpectedDose)) and action.dose is None:
                problems.append(src.problem(path, f"a {rule.kind} rule needs the action to have a dose"))
            if isinstance(rule, (MaxSingle, MaxTotal)) and rule.per_kg is None and rule.absolute is None:
                problems.append(src.problem(path, "needs 'per_kg' or 'absolute'"))
            if isinstance(rule, MaxTotal):
                for k, other in enumerate(rule.shared_with):
                    if other not in ids:
                        problems.append(src.problem(path + ("shared_with", k), f"unknown action '{other}'"))
    return problems


def load_catalogue(path: str | Path, display: str | None = None) -> Catalogue:
    """Load and validate an action catalogue; raise ScenarioError listing every problem."""
    src, problems = load_yaml(path, display)
    if src is None:
        raise ScenarioError(problems)
    cat, problems = build(Catalogue, src)
    if cat is None:
        raise ScenarioError(problems)
    problems = _cross_check(cat, src)
    if problems:
        raise ScenarioError(problems)
    return cat
