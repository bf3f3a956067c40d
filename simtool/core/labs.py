"""Laboratory results of a bleeding patient: a deterministic teaching model (issue 18, item 5).

Haemoglobin, platelets, fibrinogen, PT/INR, ionised calcium and lactate follow what the
haemorrhage model (``physiology``) says happens to the circulation:

* **loss** takes blood away as it is, so it removes each constituent at its concentration of
  the moment: a loss alone changes no concentration;
* **dilution**: crystalloid and colloid add volume and nothing else, so every concentration
  falls with the volume they hold in the circulation (the physiology's ``circulating_ml``);
* **consumption**: bleeding uses fibrinogen up beyond what is lost with the blood (in PPH
  fibrinogen is the first factor to fall to a critical level: Charbit 2007; Collins 2019),
  ``FIBRINOGEN_USED_G_PER_L`` for each litre lost;
* **products** add what they carry: red cells haemoglobin, plasma clotting factors and
  fibrinogen, platelets platelets, cryoprecipitate and fibrinogen concentrate (人纤维蛋白原)
  fibrinogen; citrate in plasma-rich products lowers the ionised calcium, calcium raises it,
  and the liver clears both loads over time;
* **shock** makes lactate: above a class II deficit (15 % of the blood volume, ATLS) lactate
  climbs in proportion to the deficit and is cleared towards the baseline.

Clotting-factor activity is a percentage of normal; the INR follows it on a curve (prolonged
below ≈40 %), PT = INR × the normal PT. Every parameter below is a *design* number (a teaching
choice, ``verify``): docs/CLINICAL.md §1.2 names the texts they were set against. The scenario
gives the baseline values (a woman at term has ≈4–6 g/L of fibrinogen) and the turnaround time.

Nothing here reads a clock: the same sequence of ``step``/``give`` calls gives the same numbers
to the bit.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

# What one panel reports, in this order: (id, unit, decimals, names in en / zh_CN / zh_TW)
TESTS: tuple[tuple[str, str, int, tuple[str, str, str]], ...] = (
    ("hb", "g/L", 0, ("Haemoglobin", "血红蛋白", "血紅素")),
    ("platelets", "×10⁹/L", 0, ("Platelets", "血小板", "血小板")),
    ("fibrinogen", "g/L", 1, ("Fibrinogen", "纤维蛋白原", "纖維蛋白原")),
    ("pt", "s", 1, ("PT", "凝血酶原时间", "凝血酶原時間")),
    ("inr", "", 2, ("INR", "INR", "INR")),
    ("ica", "mmol/L", 2, ("Ionised calcium", "离子钙", "游離鈣")),
    ("lactate", "mmol/L", 1, ("Lactate", "乳酸", "乳酸")),
)
TEST_IDS = tuple(t[0] for t in TESTS)
# what a blood-gas analyser at the bedside reports (a scenario's point_of_care_s)
POINT_OF_CARE = ("hb", "ica", "lactate")
_LANG_INDEX = {"en": 0, "zh_CN": 1, "zh_TW": 2}


def test_name(test: str, lang: str = "en") -> str:
    """A test's name in the reader's language (the id itself for an unknown test)."""
    for tid, _unit, _dec, names in TESTS:
        if tid == test:
            return names[_LANG_INDEX.get(lang, 0)]
    return test


def test_unit(test: str) -> str:
    return next((unit for tid, unit, _d, _n in TESTS if tid == test), "")


def shown(test: str, value: float) -> str:
    """A result as a lab slip prints it: '1.8 g/L', 'INR 1.45' without a unit."""
    decimals = next((d for tid, _u, d, _n in TESTS if tid == test), 1)
    unit = test_unit(test)
    return f"{value:.{decimals}f}" + (f" {unit}" if unit else "")


def results_line(values: dict[str, Any] | tuple[tuple[str, Any], ...], lang: str = "en") -> str:
    """A 'labs' event's results in the reader's language, in the panel's order:
    'Haemoglobin 87 g/L · Fibrinogen 1.8 g/L'."""
    given = dict(values)
    parts = [f"{test_name(tid, lang)} {shown(tid, float(given[tid]))}"
             for tid, _u, _d, _n in TESTS if isinstance(given.get(tid), (int, float))]
    return " · ".join(parts)


# --- design parameters (docs/CLINICAL.md §1.2; every one 'design', verify) ------------------
PLASMA_SHARE = 0.62          # plasma share of the circulating volume at term (Hct ≈0.38)
RBC_HB_G_PER_L = 190.0       # haemoglobin in red cells in additive solution (Hct ≈0.55–0.60)
FFP_FACTORS_PCT = 100.0      # clotting-factor activity of plasma, % of normal
FFP_FIBRINOGEN_G_PER_L = 2.5  # fibrinogen in fresh frozen plasma
PLATELETS_PER_DOSE_E9 = 250.0  # one adult therapeutic dose (治疗量): ≥2.5×10¹¹ platelets
PLATELET_RECOVERY = 0.67     # share of transfused platelets found in the circulation
CRYO_FIBRINOGEN_G = 0.25     # fibrinogen in one cryoprecipitate unit, when the catalogue gives none
FIBRINOGEN_USED_G_PER_L = 1.5  # fibrinogen consumed at the bleeding site per litre of blood lost
CITRATE_WEIGHT = {"ffp": 1.0, "platelets": 1.0, "rbc": 0.3, "cryoprecipitate": 0.5}
CITRATE_DROP = 0.001         # iCa fall, mmol/L, per citrate-weighted mL per litre of blood volume
CALCIUM_RISE = 0.33          # iCa rise, mmol/L, per g of calcium per litre of blood volume
CALCIUM_TAU_S = 20 * 60      # the liver clears citrate, the body takes calcium up: τ 20 min
LACTATE_ONSET = 0.15         # deficit from which the tissues make lactate (ATLS class II)
LACTATE_RATE = 1.5           # mmol/L per min per unit of deficit above the onset
LACTATE_TAU_S = 60 * 60      # clearance back to the baseline, τ 60 min
# INR by clotting-factor activity (% of normal): normal down to ≈60 %, prolonged below 40 %
INR_CURVE = ((10.0, 3.5), (20.0, 2.0), (30.0, 1.5), (40.0, 1.3), (60.0, 1.1), (100.0, 1.0))
ICA_RANGE = (0.5, 1.6)
# what a dose of these catalogue actions supplies (the blood products go by what they infuse)
DOSE_SUPPLIES = {"fibrinogen": "fibrinogen_g", "calcium": "calcium_g",
                 "cryoprecipitate": "cryoprecipitate"}


def _interp(table: tuple[tuple[float, float], ...], x: float) -> float:
    xs = [p[0] for p in table]
    if x <= xs[0]:
        return table[0][1]
    if x >= xs[-1]:
        return table[-1][1]
    i = bisect_right(xs, x)
    (x0, y0), (x1, y1) = table[i - 1], table[i]
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


@dataclass(frozen=True)
class LabBaseline:
    hb: float          # g/L
    platelets: float   # ×10⁹/L
    fibrinogen: float  # g/L
    pt: float          # s (the normal PT: INR 1.0)
    ica: float         # mmol/L
    lactate: float     # mmol/L


class LabModel:
    """The constituents of one patient's circulating blood, followed second by second."""

    def __init__(self, baseline: LabBaseline, blood_volume_ml: float) -> None:
        self.baseline = baseline
        litres = blood_volume_ml / 1000.0
        self._volume_l = litres            # the circulating volume the amounts are in
        self._bv_l = litres                # the patient's own blood volume
        self.hb_g = baseline.hb * litres
        self.platelets_e9 = baseline.platelets * litres
        self.fibrinogen_g = baseline.fibrinogen * litres * PLASMA_SHARE
        self.factors = 100.0 * litres * PLASMA_SHARE   # % × L of plasma
        self._citrate = 0.0    # citrate-weighted mL still unmetabolised
        self._calcium = 0.0    # g of calcium still acting
        self.lactate = baseline.lactate

    # --- what happens ----------------------------------------------------------------------
    def step(self, dt: float, lost_ml: float, circulating_ml: float, deficit: float) -> None:
        """``dt`` seconds in which ``lost_ml`` of blood was lost; the circulation now holds
        ``circulating_ml`` at a volume deficit of ``deficit`` (a fraction of blood volume)."""
        if lost_ml > 0 and self._volume_l > 0:
            keep = max(0.0, 1.0 - (lost_ml / 1000.0) / self._volume_l)
            self.hb_g *= keep
            self.platelets_e9 *= keep
            self.fibrinogen_g *= keep
            self.factors *= keep
            self.fibrinogen_g = max(0.0, self.fibrinogen_g - FIBRINOGEN_USED_G_PER_L * lost_ml / 1000.0)
        self._volume_l = max(0.05, circulating_ml / 1000.0)
        decay = math.exp(-dt / CALCIUM_TAU_S)
        self._citrate *= decay
        self._calcium *= decay
        made = LACTATE_RATE * max(0.0, deficit - LACTATE_ONSET) * dt / 60.0
        self.lactate += made - (self.lactate - self.baseline.lactate) * (1.0 - math.exp(-dt / LACTATE_TAU_S))

    def give(self, product: str, ml: float = 0.0, *, doses: float = 0.0,
             fibrinogen_g: float = 0.0, calcium_g: float = 0.0) -> None:
        """A product given: ``ml`` of red cells, plasma, platelets (``doses`` therapeutic
        doses) or cryoprecipitate, fibrinogen in g (cryoprecipitate, concentrate), calcium in
        g. Crystalloid and colloid dilute through the physiology's volume and add nothing."""
        if product == "rbc":
            self.hb_g += RBC_HB_G_PER_L * ml / 1000.0
        elif product == "ffp":
            self.factors += FFP_FACTORS_PCT * ml / 1000.0
            self.fibrinogen_g += FFP_FIBRINOGEN_G_PER_L * ml / 1000.0
        elif product == "platelets":
            self.platelets_e9 += PLATELETS_PER_DOSE_E9 * PLATELET_RECOVERY * doses
        self._citrate += CITRATE_WEIGHT.get(product, 0.0) * ml
        self.fibrinogen_g += fibrinogen_g
        self._calcium += calcium_g

    # --- what a sample shows ---------------------------------------------------------------
    def values(self) -> dict[str, float]:
        """The panel a sample drawn now would show (rounded as a lab reports it)."""
        v = self._volume_l
        plasma = v * PLASMA_SHARE
        factors = self.factors / plasma if plasma > 0 else 0.0   # % of normal
        inr = _interp(INR_CURVE, factors)
        ica = self.baseline.ica - CITRATE_DROP * self._citrate / self._bv_l \
            + CALCIUM_RISE * self._calcium / self._bv_l
        raw = {
            "hb": self.hb_g / v,
            "platelets": self.platelets_e9 / v,
            "fibrinogen": self.fibrinogen_g / plasma if plasma > 0 else 0.0,
            "pt": self.baseline.pt * inr,
            "inr": inr,
            "ica": min(ICA_RANGE[1], max(ICA_RANGE[0], ica)),
            "lactate": self.lactate,
        }
        return {tid: round(raw[tid], dec) for tid, _u, dec, _n in TESTS}

    def state(self) -> dict[str, Any]:
        """Everything that determines future results (used to check replays)."""
        return {"volume_l": self._volume_l, "hb_g": self.hb_g, "platelets_e9": self.platelets_e9,
                "fibrinogen_g": self.fibrinogen_g, "factors": self.factors,
                "citrate": self._citrate, "calcium": self._calcium, "lactate": self.lactate}
