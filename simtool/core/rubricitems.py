"""The kinds of rubric item: what each one declares, and what it is worth.

Examiner items: ``observed`` (done / not done, ``points``) and ``graded`` (named levels whose
value is the points). Auto-scored items, read from the drill's record by ``scoring``:
``action_within`` (one of ``actions`` within ``within_s`` after a marker), ``dose_correct``
(the first dose within ``tolerance_pct`` of an absolute or per-kg dose), ``not_done`` (no
forbidden action, no flag of the given kinds), ``expected`` and ``indicator`` (a scenario's
expected action or process indicator). Every item has a ``scope`` (trainee or team), an
optional ``role`` and may be ``critical``.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union, get_args

from pydantic import Field, field_validator

from simtool.core import units
from simtool.core.catalogue import Id, PositiveAmount
from simtool.core.limits import MAX_ITEM_POINTS
from simtool.core.schema import Model, Text, in_range

# points of an item (or of a graded level): the totals and percentages of a sheet add them up
Points = Annotated[float, Field(ge=0), in_range(None, MAX_ITEM_POINTS, "", "simtool's limit for one item")]

# every kind of flag the engine raises (rules.check and the scenario's forbidden list)
FlagKind = Literal["contraindication", "max_single", "max_total", "expected_dose", "min_interval", "max_doses",
                   "window", "indication", "additive_max", "max_volume", "not_before", "dose_range", "route",
                   "forbidden"]
FLAG_KINDS: tuple[str, ...] = get_args(FlagKind)
AUTO_KINDS = ("action_within", "dose_correct", "not_done", "expected", "indicator")
ACTION_KINDS = ("action_within", "dose_correct", "not_done")


class ItemBase(Model):
    id: Id
    label: Text
    description: Text | None = None
    scope: Literal["trainee", "team"]
    role: str | None = None
    critical: bool = False


    @property
    def auto(self) -> bool:
        return getattr(self, "kind") in AUTO_KINDS


class Observed(ItemBase):
    """A checklist item the examiner marks done or not done."""

    kind: Literal["observed"]
    points: Points = 1

    @property
    def max_points(self) -> float:
        return self.points


class Level(Model):
    value: Annotated[int, Field(ge=0), in_range(None, MAX_ITEM_POINTS, "", "simtool's limit for one item")]
    label: Text


class Graded(ItemBase):
    """An item the examiner grades on named levels; the level's value is its points."""

    kind: Literal["graded"]
    levels: tuple[Level, ...]
    pass_level: int | None = None  # lowest level counted as met (default: the highest)

    @field_validator("levels")
    @classmethod
    def _two_or_more(cls, value: tuple[Level, ...]) -> tuple[Level, ...]:
        if len(value) < 2:
            raise ValueError("a graded item needs at least two levels")
        return value

    @property
    def max_points(self) -> float:
        return float(max(lv.value for lv in self.levels))

    @property
    def met_from(self) -> int:
        return self.pass_level if self.pass_level is not None else max(lv.value for lv in self.levels)

    def level(self, value: int) -> Level | None:
        return next((lv for lv in self.levels if lv.value == value), None)


class SourcedItem(ItemBase):
    source: str | None = None
    verify: bool = False


class ActionWithin(SourcedItem):
    """One of ``actions`` done within ``within_s`` after the marker ``after``: only an action
    at or after the marker counts, unless ``early`` (calling for help before the trigger is
    early recognition; a prophylactic uterotonic is not the treatment of a later bleed)."""

    kind: Literal["action_within"]
    actions: tuple[str, ...]
    after: str
    within_s: float = Field(gt=0)
    early: bool = False
    points: Points = 1
    late_points: Points = 0

    @field_validator("actions", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value

    @field_validator("actions")
    @classmethod
    def _some(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("needs at least one action")
        return value

    @property
    def max_points(self) -> float:
        return self.points


class DoseCorrect(SourcedItem):
    """The first dose of ``action`` within ``tolerance_pct`` of the dose for this patient."""

    kind: Literal["dose_correct"]
    action: str
    per_kg: PositiveAmount | None = None
    absolute: PositiveAmount | None = None
    cap: PositiveAmount | None = None  # ceiling of a per-kg dose
    unit: str
    tolerance_pct: float = Field(ge=0, le=100)
    points: Points = 1

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, value: str) -> str:
        if not units.is_unit(value):
            raise ValueError(f"unknown unit '{value}'")
        return value

    def expected_dose(self, weight_kg: float) -> float:
        """The right dose for this patient, in this item's unit."""
        if self.absolute is not None:
            return self.absolute
        dose = (self.per_kg or 0.0) * weight_kg
        return min(dose, self.cap) if self.cap is not None else dose

    @property
    def max_points(self) -> float:
        return self.points


class NotDone(SourcedItem):
    """None of ``actions`` done, and no flag of the kinds in ``flags`` raised."""

    kind: Literal["not_done"]
    actions: tuple[str, ...] = ()
    flags: tuple[FlagKind, ...] = ()
    points: Points = 1

    @property
    def max_points(self) -> float:
        return self.points


class ExpectedItem(ItemBase):
    """A scenario expected action: met gives ``points``, late ``late_points``."""

    kind: Literal["expected"]
    expected: str
    points: Points = 1
    late_points: Points = 0

    @property
    def max_points(self) -> float:
        return self.points


class IndicatorItem(ItemBase):
    """A scenario process indicator within its target."""

    kind: Literal["indicator"]
    indicator: str
    points: Points = 1

    @property
    def max_points(self) -> float:
        return self.points


Item = Annotated[
    Union[Observed, Graded, ActionWithin, DoseCorrect, NotDone, ExpectedItem, IndicatorItem],
    Field(discriminator="kind"),
]
