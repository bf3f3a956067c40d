"""Haemorrhage physiology: blood volume, bleeding, fluid and blood replacement, compensation.

This is a teaching model, not a simulator of cardiovascular physics. It keeps a volume
balance (blood volume from weight, cumulative loss, what crystalloid and blood products put
back) and maps the *effective volume deficit* to vital signs through curves anchored on the
ATLS classes of haemorrhagic shock (CLINICAL.md §4):

    class   loss      HR        SBP       RR
    I       ≤15 %     <100      normal    14–20
    II      15–30 %   100–120   normal    20–30
    III     30–40 %   120–140   ↓         30–40
    IV      >40 %     >140      ↓↓        >35

Pregnancy at term keeps blood pressure longer ("tachycardia may be the only sign until
30–40 % is lost", CLINICAL.md §4, S), so the pregnant SBP curve falls later and more steeply.
Compensation follows the deficit with a lag of about 15 s (design), crystalloid stays in the
circulation only partly and for a while (about a quarter after half an hour; design, after
the usual teaching that 3 mL of crystalloid replace 1 mL of blood), and blood products stay.

Everything is deterministic: the same sequence of ``step``/``give`` calls gives the same
numbers to the bit.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from typing import Any

RHYTHMS = ("sinus", "sinus_tachycardia", "sinus_bradycardia", "wide_qrs", "vt", "vf",
           "asystole", "pea")
# What each product puts back into the circulation, and what share of it stays.
PRODUCTS = ("crystalloid", "colloid", "rbc", "ffp", "platelets", "cryoprecipitate")

LAG_S = 15.0                 # design: compensation lags the volume change by ~15 s
CRYSTALLOID_KEPT = 0.25      # design: 3:1 replacement rule of thumb -> ~1/4 stays
CRYSTALLOID_TAU_S = 20 * 60  # design: redistribution time constant, 20 min
COLD_PER_L = 0.3             # design: °C lost per litre of unwarmed fluid or blood


def _interp(table: tuple[tuple[float, float], ...], x: float) -> float:
    """Piecewise-linear interpolation, flat beyond both ends."""
    xs = [p[0] for p in table]
    if x <= xs[0]:
        return table[0][1]
    if x >= xs[-1]:
        return table[-1][1]
    i = bisect_right(xs, x)
    (x0, y0), (x1, y1) = table[i - 1], table[i]
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


# Anchors over the effective deficit (fraction of blood volume). Values for HR and RR are
# absolute at and beyond class II (ATLS ranges, CLINICAL.md §4, P); below that they rise from
# the patient's own baseline. SBP/DBP are ratios of baseline.
HR_ANCHORS = ((0.15, 100.0), (0.30, 119.0), (0.40, 141.0), (0.55, 158.0), (0.62, 162.0),
              (0.70, 60.0), (0.75, 30.0))
RR_ANCHORS = ((0.15, 20.0), (0.30, 30.0), (0.40, 37.0), (0.55, 42.0), (0.65, 30.0),
              (0.75, 6.0))
SBP_PREGNANT = ((0.0, 1.0), (0.15, 1.0), (0.30, 0.97), (0.35, 0.90), (0.40, 0.74),
                (0.50, 0.57), (0.60, 0.42), (0.70, 0.25), (0.75, 0.12))
SBP_NONPREGNANT = ((0.0, 1.0), (0.15, 1.0), (0.25, 0.96), (0.30, 0.90), (0.40, 0.72),
                   (0.50, 0.55), (0.60, 0.42), (0.70, 0.25), (0.75, 0.12))
# vasoconstriction narrows the pulse pressure in class II before both pressures fall
DBP_RATIO = ((0.0, 1.0), (0.15, 1.05), (0.30, 1.06), (0.40, 0.88), (0.50, 0.66),
             (0.60, 0.50), (0.70, 0.30), (0.75, 0.15))
SPO2_DROP = ((0.40, 0.0), (0.50, 3.0), (0.60, 9.0), (0.70, 20.0), (0.75, 40.0))
ETCO2_DROP = ((0.20, 0.0), (0.40, 7.0), (0.55, 14.0), (0.70, 24.0), (0.75, 30.0))
ARREST_DEFICIT = 0.72        # design: beyond this the circulation fails (PEA)


@dataclass(frozen=True)
class Baseline:
    hr: float
    sbp: float
    dbp: float
    rr: float
    spo2: float
    etco2: float
    temp_c: float


@dataclass(frozen=True)
class Vitals:
    hr: int
    sbp: int
    dbp: int
    map: int
    spo2: int
    rr: int
    etco2: int
    temp_c: float
    shock_index: float
    rhythm: str

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass
class _Override:
    start: float
    end: float | None  # None: back to what the physiology says
    ramp_s: float


@dataclass
class _Volumes:
    loss_ml: float = 0.0
    kept_ml: float = 0.0            # blood products, colloid, and the lasting crystalloid share
    crystalloid_extra_ml: float = 0.0  # crystalloid share still leaving the vessels
    infused_ml: dict[str, float] = field(default_factory=lambda: {p: 0.0 for p in PRODUCTS})


# the vitals a drug's effect may move (``Physiology.add_effect``)
EFFECT_VITALS = ("hr", "sbp", "dbp", "rr", "spo2", "etco2")


@dataclass
class _Effect:
    """A drug's effect on the vitals, added to what the volume balance says: nothing before
    ``onset_s``, then growing to ``deltas`` over ``ramp_s``, held for ``duration_s`` (None: for
    good) and fading over ``ramp_s`` (an oxytocin bolus: hypotension and tachycardia for a few
    minutes; carboprost in asthma: bronchospasm)."""

    deltas: dict[str, float]
    onset_s: float
    duration_s: float | None
    ramp_s: float
    elapsed: float = 0.0

    def weight(self) -> float:
        x = self.elapsed - self.onset_s
        if x <= 0:
            return 0.0
        rise = 1.0 if self.ramp_s <= 0 else min(1.0, x / self.ramp_s)
        if self.duration_s is None or x <= self.duration_s:
            return rise
        fall = 0.0 if self.ramp_s <= 0 else max(0.0, 1.0 - (x - self.duration_s) / self.ramp_s)
        return min(rise, fall)

    def over(self) -> bool:
        return self.duration_s is not None and \
            self.elapsed >= self.onset_s + self.duration_s + max(0.0, self.ramp_s)


class Physiology:
    """Volume balance and compensation for one patient."""

    def __init__(self, weight_kg: float, baseline: Baseline, blood_volume_ml_per_kg: float,
                 pregnant: bool = False) -> None:
        self.weight_kg = weight_kg
        self.baseline = baseline
        self.pregnant = pregnant
        self.blood_volume_ml = weight_kg * blood_volume_ml_per_kg
        self.oxygen = False
        self._v = _Volumes()
        self._deficit_lagged = 0.0
        self._overrides: dict[str, _Override] = {}
        self._override_elapsed = 0.0
        self._rhythm: str | None = None
        self._effects: list[_Effect] = []

    # --- volumes ------------------------------------------------------------------------
    @property
    def blood_loss_ml(self) -> float:
        return self._v.loss_ml

    @property
    def circulating_ml(self) -> float:
        v = self._v
        return max(0.0, self.blood_volume_ml - v.loss_ml + v.kept_ml + v.crystalloid_extra_ml)

    @property
    def loss_fraction(self) -> float:
        """Cumulative measured loss as a fraction of blood volume."""
        return self._v.loss_ml / self.blood_volume_ml

    @property
    def deficit_fraction(self) -> float:
        """What is missing from the circulation now, after replacement (never negative)."""
        return max(0.0, 1.0 - self.circulating_ml / self.blood_volume_ml)

    def infused_ml(self, product: str) -> float:
        return self._v.infused_ml[product]

    # --- time and treatment ---------------------------------------------------------------
    def step(self, dt: float, bleed_ml_min: float) -> None:
        """Advance ``dt`` seconds with the uterus (or wound) losing ``bleed_ml_min``."""
        v = self._v
        v.loss_ml += max(0.0, bleed_ml_min) * dt / 60.0
        if v.crystalloid_extra_ml:
            v.crystalloid_extra_ml *= math.exp(-dt / CRYSTALLOID_TAU_S)
        self._deficit_lagged += (self.deficit_fraction - self._deficit_lagged) * (1.0 - math.exp(-dt / LAG_S))
        if self._overrides:
            self._override_elapsed += dt
        if self._effects:
            for effect in self._effects:
                effect.elapsed += dt
            self._effects = [e for e in self._effects if not e.over()]

    def give(self, product: str, ml: float) -> None:
        if product not in PRODUCTS:
            raise ValueError(f"unknown product '{product}'")
        v = self._v
        v.infused_ml[product] += ml
        if product == "crystalloid":
            v.kept_ml += ml * CRYSTALLOID_KEPT
            v.crystalloid_extra_ml += ml * (1.0 - CRYSTALLOID_KEPT)
        else:
            v.kept_ml += ml

    def add_effect(self, deltas: dict[str, float], onset_s: float = 0.0,
                   duration_s: float | None = None, ramp_s: float = 30.0) -> None:
        """A drug's effect on the vitals (changes in ``EFFECT_VITALS``, from ``onset_s`` on,
        held for ``duration_s`` or for good), on top of the volume balance; several add up."""
        unknown = set(deltas) - set(EFFECT_VITALS)
        if unknown:
            raise ValueError(f"an effect cannot change {', '.join(sorted(unknown))}")
        self._effects.append(_Effect(dict(deltas), onset_s, duration_s, ramp_s))

    def set_targets(self, targets: dict[str, float | str], ramp_s: float) -> None:
        """Ramp the named vitals from where they are now to ``targets`` over ``ramp_s``."""
        now = self.vitals()
        self._rhythm = None
        self._overrides = {}
        for key, value in targets.items():
            if key == "rhythm":
                self._rhythm = str(value)
            else:
                self._overrides[key] = _Override(float(getattr(now, key)), float(value), ramp_s)
        self._override_elapsed = 0.0

    def clear_targets(self, ramp_s: float = 30.0) -> None:
        """Hand the vitals back to the physiology, ramping from the set values."""
        now = self.vitals()
        self._rhythm = None
        self._overrides = {k: _Override(float(getattr(now, k)), None, ramp_s) for k in self._overrides}
        self._override_elapsed = 0.0

    # --- what the monitor shows -----------------------------------------------------------
    def _physiological(self) -> dict[str, float]:
        b, d = self.baseline, self._deficit_lagged
        # a patient who starts tachycardic still speeds up as she bleeds (monotone curve)
        hr_table = ((0.0, b.hr),) + tuple(
            (x, max(y, b.hr + 60.0 * x) if x <= 0.62 else y) for x, y in HR_ANCHORS)
        rr_table = ((0.0, b.rr),) + RR_ANCHORS
        sbp_ratio = _interp(SBP_PREGNANT if self.pregnant else SBP_NONPREGNANT, d)
        o2 = 2.0 if self.oxygen else 0.0
        values = {
            "hr": _interp(hr_table, d),
            "sbp": b.sbp * sbp_ratio,
            "dbp": b.dbp * _interp(DBP_RATIO, d),
            "rr": _interp(rr_table, d),
            "spo2": min(100.0, b.spo2 + o2) - _interp(SPO2_DROP, d),
            "etco2": b.etco2 - _interp(ETCO2_DROP, d),
            "temp_c": b.temp_c - COLD_PER_L * sum(self._v.infused_ml.values()) / 1000.0,
        }
        for effect in self._effects:
            w = effect.weight()
            if w:
                for key, delta in effect.deltas.items():
                    values[key] += delta * w
        return values

    def _rhythm_for(self, hr: float) -> str:
        if self._deficit_lagged >= ARREST_DEFICIT:
            return "pea"
        if hr >= 100:
            return "sinus_tachycardia"
        if hr < 50:
            return "sinus_bradycardia"
        return "sinus"

    def vitals(self) -> Vitals:
        values = self._physiological()
        for key, ov in self._overrides.items():
            frac = 1.0 if ov.ramp_s <= 0 else min(1.0, self._override_elapsed / ov.ramp_s)
            end = values[key] if ov.end is None else ov.end
            values[key] = ov.start + (end - ov.start) * frac
        if self._overrides and all(ov.end is None for ov in self._overrides.values()) and \
                all(self._override_elapsed >= ov.ramp_s for ov in self._overrides.values()):
            self._overrides = {}
        hr = max(0.0, values["hr"])
        sbp, dbp = max(0.0, values["sbp"]), max(0.0, values["dbp"])
        rhythm = self._rhythm or self._rhythm_for(hr)
        if rhythm in ("vf", "asystole", "pea"):
            sbp = dbp = 0.0
        if rhythm in ("vf", "asystole"):
            hr = 0.0
        mean = dbp + (sbp - dbp) / 3.0
        shock = round(hr / sbp, 2) if sbp >= 1 else 0.0
        return Vitals(hr=round(hr), sbp=round(sbp), dbp=round(dbp), map=round(mean),
                      spo2=max(0, min(100, round(values["spo2"]))), rr=max(0, round(values["rr"])),
                      etco2=max(0, round(values["etco2"])), temp_c=round(values["temp_c"], 1),
                      shock_index=shock, rhythm=rhythm)

    def state(self) -> dict[str, Any]:
        """Everything that determines future vitals (used to check replays)."""
        v = self._v
        return {"loss_ml": v.loss_ml, "kept_ml": v.kept_ml,
                "crystalloid_extra_ml": v.crystalloid_extra_ml,
                "infused_ml": dict(v.infused_ml), "deficit_lagged": self._deficit_lagged,
                "oxygen": self.oxygen, "rhythm": self._rhythm,
                "overrides": {k: (o.start, o.end, o.ramp_s) for k, o in self._overrides.items()},
                "override_elapsed": self._override_elapsed,
                "effects": [(sorted(e.deltas.items()), e.onset_s, e.duration_s, e.ramp_s, e.elapsed)
                            for e in self._effects]}


def steady(physiology: Physiology, deficit: float) -> Vitals:
    """The vitals a patient shows once compensation has caught up with ``deficit`` (for tests
    and the calibration table in the docs)."""
    probe = Physiology(physiology.weight_kg, physiology.baseline,
                       physiology.blood_volume_ml / physiology.weight_kg, physiology.pregnant)
    probe._v = replace(_Volumes(), loss_ml=deficit * probe.blood_volume_ml)
    probe._deficit_lagged = deficit
    return probe.vitals()
