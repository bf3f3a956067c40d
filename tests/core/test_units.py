"""Doses in the spellings clinicians use, converted where that makes sense."""

from __future__ import annotations

import pytest

from simtool.core import units
from simtool.core.errors import UnitError


@pytest.mark.parametrize("value, spelling, target, expected", [
    (250, "µg", "µg", 250), (250, "ug", "µg", 250), (250, "mcg", "µg", 250),
    (0.25, "mg", "mcg", 250), (1, "g", "mg", 1000), (1000, "mg", "g", 1),
    (10, "IU", "IU", 10), (10, "U", "IU", 10), (10, "units", "IU", 10),
    (500, "ml", "mL", 500), (0.5, "L", "mL", 500),
    (2, "U", "unit", 2), (2, "units", "unit", 2), (2, "bags", "unit", 2),
])
def test_spellings_convert(value: float, spelling: str, target: str, expected: float) -> None:
    assert units.convert(value, spelling, target) == expected


def test_incompatible_units_are_a_clear_error() -> None:
    with pytest.raises(UnitError, match=r"cannot convert mg \(mass\) to IU \(activity\)"):
        units.convert(10, "mg", "IU")
    with pytest.raises(UnitError, match="cannot convert mL"):
        units.convert(10, "mL", "mg")


def test_unknown_unit_is_named() -> None:
    with pytest.raises(UnitError, match="unknown unit 'tablespoons'"):
        units.convert(1, "tablespoons", "mL")
