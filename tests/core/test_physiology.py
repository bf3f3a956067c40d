"""The haemorrhage model walks through the ATLS classes (CLINICAL.md §4) and behaves like a
circulation: replacement restores it, crystalloid only partly and for a while."""

import pytest

from simtool.core.physiology import Baseline, Physiology, steady

BASE = Baseline(hr=82, sbp=118, dbp=72, rr=16, spo2=98, etco2=36, temp_c=36.8)

# (class, deficit fractions inside it, HR range, RR range) — ATLS 9th ed., CLINICAL.md §4
CLASSES = [
    ("I", [0.0, 0.05, 0.10, 0.14], (0, 99.9), (14, 20)),
    ("II", [0.16, 0.20, 0.25, 0.29], (100, 120), (20, 30)),
    ("III", [0.31, 0.34, 0.37, 0.39], (120, 140), (30, 40)),
    ("IV", [0.41, 0.45, 0.50, 0.55], (140.1, 250), (35.1, 60)),
]


def bleed_to(p: Physiology, fraction: float) -> None:
    """Bleed at a steady 100 mL/min until ``fraction`` of the blood volume is lost, then let
    compensation settle."""
    target = fraction * p.blood_volume_ml
    while p.blood_loss_ml + 100 / 60 <= target:
        p.step(1.0, 100.0)
    p.step(1.0, (target - p.blood_loss_ml) * 60)
    for _ in range(120):
        p.step(1.0, 0.0)


@pytest.mark.parametrize("pregnant", [True, False])
@pytest.mark.parametrize("name,fractions,hr_range,rr_range", CLASSES)
def test_untreated_bleed_walks_through_the_atls_classes(pregnant, name, fractions, hr_range, rr_range):
    for f in fractions:
        p = Physiology(65, BASE, 100 if pregnant else 70, pregnant)
        bleed_to(p, f)
        v = p.vitals()
        assert hr_range[0] <= v.hr <= hr_range[1], (name, f, v)
        assert rr_range[0] <= v.rr <= rr_range[1], (name, f, v)
        if name in ("I", "II"):
            # "normal" blood pressure (pregnant: kept until 30–40 % is lost)
            assert v.sbp >= 0.9 * BASE.sbp, (name, f, v)
        elif name == "III":
            assert v.sbp < BASE.sbp and v.sbp >= 0.7 * BASE.sbp, (name, f, v)
        else:
            assert v.sbp < 90 and v.sbp < 0.75 * BASE.sbp, (name, f, v)


def test_pregnancy_keeps_blood_pressure_longer():
    preg = Physiology(65, BASE, 100, True)
    non = Physiology(65, BASE, 70, False)
    for f in (0.25, 0.30, 0.35):
        assert steady(preg, f).sbp > steady(non, f).sbp
    # tachycardia is the only sign at 30 % in pregnancy
    v = steady(preg, 0.30)
    assert v.hr >= 115 and v.sbp >= 0.95 * BASE.sbp


def test_class_ii_narrows_the_pulse_pressure():
    p = Physiology(65, BASE, 100, True)
    normal, class2 = steady(p, 0.0), steady(p, 0.25)
    assert class2.sbp - class2.dbp < normal.sbp - normal.dbp


def test_blood_volume_uses_the_pregnancy_figure():
    assert Physiology(65, BASE, 100, True).blood_volume_ml == 6500
    assert Physiology(70, BASE, 70, False).blood_volume_ml == 4900


def test_compensation_lags_about_fifteen_seconds():
    p = Physiology(65, BASE, 100, True)
    p.step(1.0, 0.30 * 6500 * 60)  # lose 30 % in one second
    early = p.vitals().hr
    for _ in range(60):
        p.step(1.0, 0.0)
    late = p.vitals().hr
    assert early < 95 and late >= 115


def test_blood_products_restore_and_crystalloid_only_partly_and_for_a_while():
    blood = Physiology(65, BASE, 100, True)
    fluid = Physiology(65, BASE, 100, True)
    for p in (blood, fluid):
        bleed_to(p, 0.35)
    blood.give("rbc", 1500)
    fluid.give("crystalloid", 1500)
    for p in (blood, fluid):
        for _ in range(60):
            p.step(1.0, 0.0)
    # shortly after, both look better than class III
    assert blood.vitals().hr < 110 and fluid.vitals().hr < 110
    for p in (blood, fluid):
        for _ in range(3600):
            p.step(1.0, 0.0)
    # an hour later the blood is still there, three quarters of the crystalloid has gone
    assert blood.deficit_fraction == pytest.approx(0.35 - 1500 / 6500, abs=0.01)
    assert fluid.deficit_fraction == pytest.approx(0.35 - 0.25 * 1500 / 6500, abs=0.02)
    assert fluid.vitals().hr > blood.vitals().hr + 10
    # measured loss is what was lost, whatever was given back
    assert blood.blood_loss_ml == pytest.approx(0.35 * 6500, abs=1)


def test_exsanguination_ends_in_arrest():
    p = Physiology(65, BASE, 100, True)
    bleed_to(p, 0.75)
    v = p.vitals()
    assert v.rhythm == "pea" and v.sbp == 0


def test_oxygen_raises_saturation_and_cold_fluids_cool():
    p = Physiology(65, BASE, 100, True)
    p.oxygen = True
    assert p.vitals().spo2 == 100
    p.give("crystalloid", 2000)
    assert p.vitals().temp_c < BASE.temp_c - 0.4


def test_targets_ramp_and_release():
    p = Physiology(65, BASE, 100, True)
    p.set_targets({"hr": 40, "rhythm": "wide_qrs"}, ramp_s=20)
    assert p.vitals().hr == 82 and p.vitals().rhythm == "wide_qrs"
    for _ in range(10):
        p.step(1.0, 0.0)
    assert p.vitals().hr == 61
    for _ in range(10):
        p.step(1.0, 0.0)
    assert p.vitals().hr == 40
    p.clear_targets(ramp_s=10)
    for _ in range(10):
        p.step(1.0, 0.0)
    assert p.vitals().hr == 82 and p.vitals().rhythm == "sinus"


def test_same_inputs_same_numbers():
    def run():
        p = Physiology(72.5, BASE, 100, True)
        out = []
        for i in range(900):
            p.step(1.0, 60.0 if i < 600 else 5.0)
            if i == 300:
                p.give("crystalloid", 1000)
            if i == 500:
                p.give("rbc", 560)
            out.append(p.vitals())
        return out, p.state()
    assert run() == run()
