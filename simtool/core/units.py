"""Dose units as clinicians write them, and conversion between compatible ones.

"µg", "ug" and "mcg" are the same unit; so are "IU", "U" and "units". A blood product is
counted in units (bags) too, so "U" means international units for oxytocin but a bag for red
cells: a spelling is resolved against the dimension of the unit the action is dosed in.
"""

from __future__ import annotations

from dataclasses import dataclass

from simtool.core.errors import UnitError


@dataclass(frozen=True)
class Unit:
    symbol: str      # canonical spelling shown to users
    dimension: str   # mass, volume, activity, count, time
    factor: float    # multiple of the dimension's base unit (mg, mL, IU, unit, s)


UNITS: dict[str, Unit] = {u.symbol: u for u in (
    Unit("g", "mass", 1000.0),
    Unit("mg", "mass", 1.0),
    Unit("µg", "mass", 0.001),
    Unit("L", "volume", 1000.0),
    Unit("mL", "volume", 1.0),
    Unit("IU", "activity", 1.0),
    Unit("unit", "count", 1.0),
    Unit("dose", "count", 1.0),
    Unit("s", "time", 1.0),
    Unit("min", "time", 60.0),
    # an infusion's rate (lipid emulsion 0.25 mL/kg/min, ASRA): what a pump is set to
    Unit("mL/min", "flow", 1.0),
    Unit("mL/h", "flow", 1.0 / 60.0),
)}

# spelling (lower-cased) -> canonical symbols it may mean, most usual first
_SPELLINGS: dict[str, tuple[str, ...]] = {
    "g": ("g",), "gram": ("g",), "grams": ("g",),
    "mg": ("mg",), "milligram": ("mg",), "milligrams": ("mg",),
    "µg": ("µg",), "μg": ("µg",), "ug": ("µg",), "mcg": ("µg",),
    "microgram": ("µg",), "micrograms": ("µg",),
    "l": ("L",), "litre": ("L",), "liter": ("L",), "litres": ("L",), "liters": ("L",),
    "ml": ("mL",), "millilitre": ("mL",), "milliliter": ("mL",), "cc": ("mL",),
    "iu": ("IU",), "u": ("IU", "unit"), "units": ("IU", "unit"), "unit": ("unit", "IU"),
    "bag": ("unit",), "bags": ("unit",), "pack": ("unit",), "packs": ("unit",),
    "dose": ("dose",), "doses": ("dose",),
    "s": ("s",), "sec": ("s",), "min": ("min",),
    "ml/min": ("mL/min",), "ml/h": ("mL/h",), "ml/hr": ("mL/h",), "ml/hour": ("mL/h",),
}


def canonical(spelling: str) -> str:
    """The canonical symbol for a spelling; UnitError when nobody writes it that way."""
    key = str(spelling).strip().lower()
    if key not in _SPELLINGS:
        raise UnitError(f"unknown unit '{spelling}'")
    return _SPELLINGS[key][0]


def is_unit(spelling: str) -> bool:
    return str(spelling).strip().lower() in _SPELLINGS


def is_rate(symbol: str) -> bool:
    """Whether ``symbol`` (a canonical unit) is a rate: an infusion set in mL/min or mL/h."""
    unit = UNITS.get(symbol)
    return unit is not None and unit.dimension == "flow"


def volume_ml(rate: float, symbol: str, seconds: float) -> float:
    """The mL that an infusion at ``rate`` (in the rate unit ``symbol``) runs in ``seconds``."""
    return rate * UNITS[symbol].factor * seconds / 60.0


def resolve(spelling: str, target: str) -> Unit:
    """The unit ``spelling`` means when the action is dosed in ``target`` (a canonical symbol)."""
    want = UNITS[canonical(target)]
    options = _SPELLINGS.get(str(spelling).strip().lower())
    if options is None:
        raise UnitError(f"unknown unit '{spelling}'")
    for symbol in options:
        if UNITS[symbol].dimension == want.dimension:
            return UNITS[symbol]
    have = UNITS[options[0]]
    raise UnitError(
        f"cannot convert {have.symbol} ({have.dimension}) to {want.symbol} ({want.dimension})"
    )


def convert(value: float, spelling: str, target: str) -> float:
    """``value`` in ``spelling`` expressed in ``target``: convert(0.25, 'mg', 'mcg') == 250."""
    unit = resolve(spelling, target)
    want = UNITS[canonical(target)]
    result = value * unit.factor / want.factor
    # keep 250.0 rather than 250.00000000000003 so doses print as entered
    return round(result, 9)


def shown(unit: str | None) -> str:
    """A dose's unit as a reader sees it: a blood product's ``unit`` as "U" (8 U 悬浮红细胞,
    2 U of red cells: how a transfusion is written in every language here); others as spelt."""
    if not unit:
        return ""
    return "U" if unit == "unit" else unit
