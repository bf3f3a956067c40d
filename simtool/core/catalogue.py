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
from simtool.core.labs import TEST_IDS
from simtool.core.languages import LANGS
from simtool.core.limits import MAX_CATALOGUE_ACTIONS, MAX_DOSE, MAX_FILE_ENTRIES, MAX_ML_PER_UNIT
from simtool.core.physiology import RHYTHMS
from simtool.core.schema import ClinicalSource, Model, Text, UnitName, build, in_range
from simtool.core.yamlsrc import Source, load_yaml

ID = re.compile(r"^[a-z][a-z0-9_]*$")
CATEGORIES = (
    "uterotonic", "haemostatic", "fluid", "blood_product", "procedure", "communication",
    "airway", "drug", "resuscitation", "assessment",
)
CONDITIONS = ("asthma", "hypertension", "preeclampsia", "anticoagulated", "cardiac_disease", "glaucoma")
# variables a catalogue rule's condition may read: the current vitals
VITAL_NAMES = ("hr", "sbp", "dbp", "map", "spo2", "rr", "etco2", "temp_c", "shock_index")
# ... and the rhythm on the monitor: rhythm.vf is 1 in VF, else 0 (a shock is for VF and
# pulseless VT only)
RHYTHM_NAMES = tuple(f"rhythm.{r}" for r in RHYTHMS)
# how a drug goes in. "IV" is an injection (a push or slow bolus); "IV infusion" is the drug
# diluted in a bag and run in (oxytocin 40 IU in 500 mL): the rules of the two differ
ROUTES = ("IV", "IV infusion", "IM", "IO", "SL", "PR", "PO", "SC", "INH", "topical", "intrauterine",
          "intramyometrial")


def check_routes(value: tuple[str, ...]) -> tuple[str, ...]:
    for route in value:
        if route not in ROUTES:
            raise ValueError(f"unknown route '{route}' (one of {', '.join(sorted(ROUTES))})")
    return value


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
    # routes the rule applies to (empty: any) — oxytocin: 10 IU IM, 5 IU by IV injection, 40 IU
    # in an IV infusion
    routes: tuple[str, ...] = ()

    @field_validator("source")
    @classmethod
    def _source_given(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a source is required for a clinical rule")
        return value

    @field_validator("routes")
    @classmethod
    def _routes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return check_routes(value)


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
            expr.check_names(node, lambda n: n in VITAL_NAMES or n in RHYTHM_NAMES)
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
    """Flag when the cumulative dose (also counting ``shared_with`` actions) exceeds a limit.

    ``within_s``: only the doses of the last ``within_s`` seconds count, this one included
    (oxytocin: at most 60 U in 24 h). ``before``: the limit holds only until one of these
    actions has been given (at most 2 L of crystalloid before blood); after that the rule no
    longer applies."""

    kind: Literal["max_total"]
    per_kg: PositiveAmount | None = None
    absolute: PositiveAmount | None = None
    shared_with: tuple[str, ...] = ()
    within_s: float | None = Field(default=None, gt=0)
    before: tuple[str, ...] = ()


def weight_dose_problem(per_kg: float | None, absolute: float | None,
                        over_kg: float | None) -> str | None:
    """Why a dose given as ``per_kg`` × weight, or ``absolute`` (alone, or above ``over_kg``
    kg), is ill-formed (None when it is well-formed)."""
    if per_kg is None and absolute is None:
        return "needs 'per_kg' or 'absolute'"
    if over_kg is not None and (per_kg is None or absolute is None):
        return "'over_kg' needs both 'per_kg' and 'absolute'"
    return None


def weight_dose(per_kg: float | None, absolute: float | None, over_kg: float | None,
                weight_kg: float) -> float:
    """``per_kg`` × weight, or ``absolute`` (alone, or above ``over_kg`` kg)."""
    if per_kg is None or (over_kg is not None and weight_kg > over_kg):
        return float(absolute)  # type: ignore[arg-type]
    return per_kg * weight_kg


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
        problem = weight_dose_problem(self.per_kg, self.absolute, self.over_kg)
        if problem:
            raise ValueError(problem)
        return self

    def expected(self, weight_kg: float) -> float:
        return weight_dose(self.per_kg, self.absolute, self.over_kg, weight_kg)


class AdditiveMax(_Rule):
    """Drugs whose toxicity adds up (local anaesthetics, ASRA): flag a dose when, over this
    action and ``shared_with``, each one's total so far as a fraction of its own maximum for
    this patient (its first ``max_total`` rule) adds up to more than 1 — once two or more of
    them have been given (one alone is its own ``max_total``'s to flag)."""

    kind: Literal["additive_max"]
    shared_with: Annotated[tuple[str, ...], Field(min_length=1)]


class MaxVolume(_Rule):
    """Flag when the volume given of ``actions`` exceeds ``per_kg`` × weight or ``absolute``
    (in ``unit``, a volume): the doses of those dosed in a volume, and what those dosed as a
    rate (an infusion, mL/min) have run so far — lipid emulsion: boluses and infusion together
    at most 12 mL/kg. The action itself counts when it is one of ``actions``."""

    kind: Literal["max_volume"]
    actions: Annotated[tuple[str, ...], Field(min_length=1)]
    unit: str
    per_kg: PositiveAmount | None = None
    absolute: PositiveAmount | None = None

    @field_validator("unit")
    @classmethod
    def _volume(cls, value: str) -> str:
        if not units.is_unit(value) or units.UNITS[units.canonical(value)].dimension != "volume":
            raise ValueError(f"'{value}' is not a unit of volume (mL, L)")
        return units.canonical(value)

    @model_validator(mode="after")
    def _limit(self) -> "MaxVolume":
        if self.per_kg is None and self.absolute is None:
            raise ValueError("needs 'per_kg' or 'absolute'")
        return self


class NotBefore(_Rule):
    """Flag the action when it comes before the scenario marker ``after`` or less than
    ``min_s`` after it (a lipid infusion stopped before the circulation has been stable for
    10 min, ASRA). In a scenario without the marker the rule never applies."""

    kind: Literal["not_before"]
    after: str
    min_s: float = Field(ge=0)


class MinInterval(_Rule):
    """Flag a dose given less than ``seconds`` after the previous one."""

    kind: Literal["min_interval"]
    seconds: float = Field(gt=0)


class MaxDoses(_Rule):
    """Flag the dose after the ``count``-th."""

    kind: Literal["max_doses"]
    count: int = Field(ge=1)


class Window(_Rule):
    """Flag a dose given more than ``within_s`` after the scenario marker ``after``; with
    ``first_only``, only a first dose (tranexamic acid: the 3 h limit is for starting it; a
    second dose later continues a treatment started in time)."""

    kind: Literal["window"]
    after: str
    within_s: float = Field(gt=0)
    first_only: bool = False


class Indication(_Rule):
    """The drug is indicated before the scenario marker ``before`` (carbetocin prevents a
    haemorrhage; it is not the treatment of one already recognised): a dose given once the
    marker has happened is flagged. In a scenario without the marker the rule never applies."""

    kind: Literal["indication"]
    before: str


Rule = Annotated[
    Union[Contraindication, MaxSingle, MaxTotal, ExpectedDose, MinInterval, MaxDoses, Window,
          Indication, AdditiveMax, MaxVolume, NotBefore],
    Field(discriminator="kind"),
]


class Dose(Model):
    unit: UnitName
    default: Amount | None = None
    min: Amount | None = None
    max: Amount | None = None
    per_kg: Amount | None = None  # weight-based suggestion (e.g. lipid 1.5 mL/kg)
    source: str | None = None
    verify: bool = False

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


# How blood components are counted (issue 18, item 4). "international": a bag per entry, one
# whole-blood donation's red cells or plasma (the base of every action); "china": 1 U 悬浮红细胞
# is made from 200 mL of whole blood, FFP is prescribed in mL, platelets in therapeutic doses
# (治疗量). A scenario says which its site uses (``blood_units``); the catalogue gives each blood
# product's unit in each.
CONVENTIONS = ("international", "china")


class BloodUnit(Model):
    """A blood product as one convention counts it: its dose ``unit`` and ``default``, the mL
    one unit puts into the circulation, and ``adult_units`` — what one unit counts for in
    adult (international) units, one whole-blood donation's worth, so that ratios (1:1:1) and
    rules ("after 4 units of red cells") compare like with like whatever the convention
    (a therapeutic dose of platelets counts as the donations it is made from).
    ``fibrinogen_g``: the fibrinogen one unit carries (cryoprecipitate), for the lab model."""

    unit: UnitName
    default: PositiveAmount | None = None
    ml_per_unit: Annotated[float, Field(gt=0), in_range(None, MAX_ML_PER_UNIT, "mL", "simtool's limit")] | None = None
    adult_units: Annotated[float, Field(gt=0), in_range(None, 100, "", "simtool's limit")]
    whole_blood_ml: PositiveAmount | None = None
    fibrinogen_g: PositiveAmount | None = None
    source: ClinicalSource
    verify: bool = False


class RateChange(Model):
    """What an action does to the rate of a running infusion (an action dosed as a rate, in
    mL/min): multiplies the rate it runs at by ``factor`` (lipid emulsion: double the rate
    while the circulation stays unstable, ASRA)."""

    of: str
    factor: Annotated[float, Field(gt=0), in_range(None, 100, "", "simtool's limit for a change of rate")]
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
    # infusions (actions dosed as a rate) this action stops, and how it changes one's rate
    stops: tuple[str, ...] = ()
    scales_rate: RateChange | None = None
    rules: Annotated[tuple[Rule, ...], Field(max_length=MAX_FILE_ENTRIES)] = ()
    # a blood product's unit in each convention (CONVENTIONS)
    blood_units: dict[str, BloodUnit] = {}
    # the laboratory tests this action sends a sample for (simtool.core.labs.TEST_IDS); the
    # results come back after the scenario's turnaround time
    labs: tuple[str, ...] = ()

    @field_validator("blood_units")
    @classmethod
    def _conventions(cls, value: dict[str, BloodUnit]) -> dict[str, BloodUnit]:
        for name in value:
            if name not in CONVENTIONS:
                raise ValueError(f"unknown unit convention '{name}' (one of {', '.join(CONVENTIONS)})")
        return value

    @field_validator("labs")
    @classmethod
    def _tests(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for test in value:
            if test not in TEST_IDS:
                raise ValueError(f"unknown laboratory test '{test}' (one of {', '.join(TEST_IDS)})")
        return value

    def counted_as(self, convention: str) -> BloodUnit | None:
        """How this blood product is counted in ``convention`` (None: not a blood product)."""
        return self.blood_units.get(convention) or self.blood_units.get("international")

    @field_validator("category")
    @classmethod
    def _category(cls, value: str) -> str:
        if value not in CATEGORIES:
            raise ValueError(f"unknown category '{value}' (one of {', '.join(CATEGORIES)})")
        return value

    @field_validator("routes")
    @classmethod
    def _routes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return check_routes(value)


class Catalogue(Model):
    format: Literal[1]
    actions: Annotated[tuple[Action, ...], Field(max_length=MAX_CATALOGUE_ACTIONS)]
    # the convention the blood products' doses are in (set by ``for_convention``, never in
    # the file)
    convention: Literal["international", "china"] = "international"

    def for_convention(self, convention: str) -> "Catalogue":
        """This catalogue with each blood product dosed as ``convention`` counts it (its
        unit, default and the mL one unit infuses); the same catalogue when nothing changes."""
        if convention == self.convention or convention not in CONVENTIONS:
            return self
        # every blood product has its international entry (checked on loading), so a
        # catalogue converts either way
        actions = []
        for a in self.actions:
            bu = a.blood_units.get(convention)
            if bu is None:
                actions.append(a)
                continue
            dose = Dose(unit=bu.unit, default=bu.default, min=None, max=None,
                        source=bu.source, verify=bu.verify)
            infuses = a.infuses
            if infuses is not None and bu.ml_per_unit is not None:
                infuses = Infusion(product=infuses.product, ml_per_unit=bu.ml_per_unit, source=bu.source)
            actions.append(a.model_copy(update={"dose": dose, "infuses": infuses}))
        return Catalogue(format=1, actions=tuple(actions), convention=convention)  # type: ignore[arg-type]

    def adult_units(self, action_id: str) -> float | None:
        """What one unit of the action's dose counts for in adult (international) units, in
        this catalogue's convention (None: not a blood product)."""
        action = self.index.get(action_id)
        bu = action.counted_as(self.convention) if action is not None else None
        return bu.adult_units if bu is not None else None

    def get(self, action_id: str) -> Action | None:
        return self.index.get(action_id)

    def ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.actions)

    @cached_property
    def index(self) -> dict[str, Action]:
        return {a.id: a for a in self.actions}

    def is_rate(self, action_id: str) -> bool:
        """Whether the action is dosed as a rate (an infusion set in mL/min, running until
        changed or stopped)."""
        action = self.index.get(action_id)
        return action is not None and action.dose is not None and units.is_rate(action.dose.unit)

    @cached_property
    def rate_changers(self) -> dict[str, tuple[str, ...]]:
        """For each infusion dosed as a rate, the actions that change its rate or stop it."""
        out: dict[str, list[str]] = {}
        for a in self.actions:
            for target in dict.fromkeys(a.stops + ((a.scales_rate.of,) if a.scales_rate else ())):
                out.setdefault(target, []).append(a.id)
        return {k: tuple(v) for k, v in out.items()}


PLACEHOLDERS = ("dose", "unit", "weight_kg", "total", "limit", "per_kg", "percent", "parts")


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
        if action.blood_units and "international" not in action.blood_units:
            problems.append(src.problem(("actions", i, "blood_units"),
                                        "needs an 'international' entry (the unit the other "
                                        "conventions are counted against)"))
        for name, bu in action.blood_units.items():
            if action.dose is None:
                problems.append(src.problem(("actions", i, "blood_units", name),
                                            f"{action.id} takes no dose, so it has no unit to count"))
            elif action.infuses is not None and bu.ml_per_unit is None:
                problems.append(src.problem(("actions", i, "blood_units", name),
                                            "needs 'ml_per_unit': the action infuses a volume"))
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
                for k, other in enumerate(rule.before):
                    if other not in ids:
                        problems.append(src.problem(path + ("before", k), f"unknown action '{other}'"))
                    elif other == action.id or other in rule.shared_with:
                        problems.append(src.problem(path + ("before", k),
                                                    f"'{other}' is counted by this limit; it cannot also end it"))
            for k, route in enumerate(rule.routes):
                if action.routes and route not in action.routes:
                    problems.append(src.problem(path + ("routes", k),
                                                f"route '{route}' is not one of the action's routes "
                                                f"({', '.join(action.routes)})"))
    return problems


def _check_rates_and_sums(cat: Catalogue, src: Source) -> list[Problem]:
    """Infusions dosed as a rate, what changes or stops them, and the rules that add doses
    across actions (additive_max, max_volume): each reference names an action that can do
    what the rule asks of it."""
    problems = []
    ids = set(cat.ids())

    def rate(path: tuple, other: str, what: str) -> None:
        if other not in ids:
            problems.append(src.problem(path, f"unknown action '{other}'"))
        elif not cat.is_rate(other):
            problems.append(src.problem(path, f"'{other}' is not an infusion dosed as a rate "
                                              f"(mL/min or mL/h), so {what}"))

    def first_max_total(action_id: str) -> MaxTotal | None:
        action = cat.index[action_id]
        return next((r for r in action.rules if isinstance(r, MaxTotal)), None)

    for i, action in enumerate(cat.actions):
        here = ("actions", i)
        for k, other in enumerate(action.stops):
            rate(here + ("stops", k), other, "there is no running infusion to stop")
        if action.scales_rate is not None:
            rate(here + ("scales_rate", "of"), action.scales_rate.of, "it has no rate to change")
        if cat.is_rate(action.id):
            if action.infuses is not None:
                problems.append(src.problem(here + ("infuses",), "an infusion dosed as a rate puts its "
                                                                 "volume in over time; 'infuses' takes a dose"))
            for j, rule in enumerate(action.rules):
                if isinstance(rule, (MaxTotal, AdditiveMax)):
                    problems.append(src.problem(here + ("rules", j), f"a {rule.kind} rule adds doses up; "
                                                f"{action.id} is dosed as a rate (use max_volume)"))
        for j, rule in enumerate(action.rules):
            path = here + ("rules", j)
            if isinstance(rule, AdditiveMax):
                for k, other in enumerate((action.id,) + rule.shared_with):
                    where = path if k == 0 else path + ("shared_with", k - 1)
                    if other not in ids:
                        problems.append(src.problem(where, f"unknown action '{other}'"))
                    elif k > 0 and other == action.id:
                        problems.append(src.problem(where, f"'{other}' is the action itself"))
                    elif cat.index[other].dose is None or first_max_total(other) is None:
                        problems.append(src.problem(where, f"'{other}' needs a dose and a max_total rule: "
                                                           "its maximum is what its doses are a fraction of"))
            if isinstance(rule, MaxVolume):
                for k, other in enumerate(rule.actions):
                    where = path + ("actions", k)
                    if other not in ids:
                        problems.append(src.problem(where, f"unknown action '{other}'"))
                        continue
                    dose = cat.index[other].dose
                    if dose is None or not (cat.is_rate(other) or units.UNITS[dose.unit].dimension == "volume"):
                        problems.append(src.problem(where, f"'{other}' is dosed neither in a volume nor as "
                                                           "a rate, so it has no volume to count"))
    return problems


def load_catalogue(path: str | Path, display: str | None = None) -> Catalogue:
    """Load and validate an action catalogue; raise ScenarioError listing every problem."""
    src, problems = load_yaml(path, display)
    if src is None:
        raise ScenarioError(problems)
    cat, problems = build(Catalogue, src)
    if cat is None:
        raise ScenarioError(problems)
    problems = _cross_check(cat, src) + _check_rates_and_sums(cat, src)
    if problems:
        raise ScenarioError(problems)
    return cat
