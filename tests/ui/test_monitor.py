"""The patient monitor shows the session's vitals, measures NIBP only when it should, draws
each rhythm differently, flashes its alarms on the frame clock, and runs without sound."""

from __future__ import annotations

import math
import sys
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage

from simtool.core.drill import PatientParams
from simtool.core.physiology import Vitals
from simtool.ui.monitor import PatientMonitor
from simtool.ui.monitor.alarms import HIGH, MEDIUM, NONE, tone_pattern
from simtool.ui.monitor.strip import WaveformStrip
from simtool.ui.monitor.waveforms import FS, ecg_samples
from simtool.ui.session import DrillSession

NORMAL = Vitals(hr=82, sbp=118, dbp=72, map=87, spo2=98, rr=16, etco2=36, temp_c=36.8,
                shock_index=0.69, rhythm="sinus")


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def session(qtbot, pph):
    return DrillSession(pph, PatientParams(65), [])


@pytest.fixture()
def monitor(qtbot):
    def make(session=None, **kw):
        m = PatientMonitor(session, **kw)
        qtbot.addWidget(m)
        return m
    return make


def advance(session, seconds, step=60.0):
    for _ in range(int(seconds / step)):
        session.advance(step)


# --- numbers -------------------------------------------------------------------------------
def test_numerics_follow_the_session_and_hr_rises_when_bleeding_is_untreated(monitor, session):
    m = monitor(session)
    hr0 = int(m.blocks["hr"].value_text)
    assert hr0 == session.vitals().hr
    advance(session, 20 * 60)
    v = session.vitals()
    assert int(m.blocks["hr"].value_text) == v.hr > hr0
    assert m.blocks["spo2"].value_text == str(v.spo2)
    assert m.blocks["rr"].value_text == str(v.rr)
    assert m.blocks["etco2"].value_text == str(v.etco2)
    assert m.blocks["temp"].value_text == f"{v.temp_c:.1f}"
    assert m.blood_loss.ml == pytest.approx(session.drill.physiology.blood_loss_ml, abs=5)
    assert m.blood_loss.ml > 0
    assert m.clock_label.text() == "20:00"


def test_nibp_changes_only_on_demand_when_manual(qtbot, monitor, session):
    m = monitor(session)
    m.set_nibp_interval(None)
    first = m.blocks["nibp"].value_text
    assert first == f"{session.vitals().sbp}/{session.vitals().dbp}"
    advance(session, 40 * 60)
    now = session.vitals()
    assert f"{now.sbp}/{now.dbp}" != first
    assert m.blocks["nibp"].value_text == first          # not measured: unchanged
    assert "00:00" in m.blocks["nibp"].sub_text
    qtbot.mouseClick(m.nibp_button, Qt.MouseButton.LeftButton)
    assert m.blocks["nibp"].value_text == f"{now.sbp}/{now.dbp}"
    assert f"({now.map})" in m.blocks["nibp"].sub_text
    assert "40:00" in m.blocks["nibp"].sub_text


def test_nibp_measures_on_its_interval_of_drill_time(monitor, session):
    m = monitor(session)
    m.set_nibp_interval(None)
    advance(session, 2100)
    m.set_nibp_interval(180)
    session.advance(60)                                  # 2160 s: 36 min since the last one
    at_2160 = session.vitals()
    assert m.blocks["nibp"].value_text == f"{at_2160.sbp}/{at_2160.dbp}"
    advance(session, 120)                                # 2280 s: not due yet
    assert session.vitals().sbp != at_2160.sbp
    assert m.blocks["nibp"].value_text == f"{at_2160.sbp}/{at_2160.dbp}"
    assert "36:00" in m.blocks["nibp"].sub_text
    session.advance(60)                                  # 2340 s: 180 s after 2160
    now = session.vitals()
    assert m.blocks["nibp"].value_text == f"{now.sbp}/{now.dbp}"
    assert "39:00" in m.blocks["nibp"].sub_text


def test_show_vitals_shows_one_moment_without_a_session(monitor):
    m = monitor()
    m.show_vitals(NORMAL, 850.0, t=600)
    assert m.blocks["hr"].value_text == "82"
    assert m.blocks["nibp"].value_text == "118/72"
    assert m.blood_loss.ml == 850
    assert m.clock_label.text() == "10:00"


# --- waveforms ---------------------------------------------------------------------------------
def _corr(a: list[float], b: list[float]) -> float:
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    num = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    den = math.sqrt(sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b))
    return num / den if den else 0.0


def _best_repeat(samples: list[float]) -> float:
    """The highest correlation of the trace with itself shifted by 0.2–2 s."""
    n = int(2 * FS)
    return max(_corr(samples[:n], samples[lag:lag + n]) for lag in range(int(0.2 * FS), n, 2))


def test_sinus_repeats_at_the_heart_rate():
    s = ecg_samples("sinus", 75, 6.0)
    lag = int(FS * 60 / 75)
    assert _corr(s[250:750], s[250 + lag:250 + lag + 500]) > 0.99


def test_vf_is_not_periodic_and_asystole_is_flat():
    assert _best_repeat(ecg_samples("vf", 0, 6.0)) < 0.8
    assert _best_repeat(ecg_samples("vt", 180, 6.0)) > 0.95
    flat = ecg_samples("asystole", 0, 4.0)
    assert max(flat) - min(flat) < 0.01


def _profile(samples: list[float], qtbot) -> list[int]:
    """The topmost lit row of every pixel column of the trace drawn in a strip."""
    strip = WaveformStrip("", "#39e639", 6.0, -0.9, 1.3)
    qtbot.addWidget(strip)
    strip.resize(600, 150)
    strip.push(samples)
    img = strip.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    cols = []
    for x in range(0, img.width(), 3):
        top = next((y for y in range(img.height()) if img.pixelColor(x, y).green() > 120), -1)
        cols.append(top)
    return cols


def test_the_ecg_strip_draws_each_rhythm_differently(qtbot):
    rhythms = ("sinus", "wide_qrs", "vt", "vf", "asystole", "pea")
    profiles = {r: _profile(ecg_samples(r, 0 if r in ("vf", "asystole") else 90, 6.0), qtbot)
                for r in rhythms}
    for i, a in enumerate(rhythms):
        for b in rhythms[i + 1:]:
            assert profiles[a] != profiles[b], (a, b)
    flat = [y for y in profiles["asystole"] if y >= 0]
    assert flat and max(flat) - min(flat) <= 2             # one straight line
    assert max(profiles["vt"]) - min(profiles["vt"]) > 60  # big complexes


def test_the_pleth_is_flat_without_output(monitor):
    m = monitor(clock=FakeClock())
    m.show_vitals(replace(NORMAL, rhythm="pea", sbp=0, dbp=0, map=0), 0)
    m._on_frame()
    m._clock.now += 2.0
    m._on_frame()
    assert set(m.pleth.samples()) == {0.0}
    assert max(m.ecg.samples()) > 0.3                     # PEA: organised complexes go on


# --- alarms -------------------------------------------------------------------------------
def test_out_of_range_values_alarm_and_flash_on_the_frame_clock(monitor):
    clock = FakeClock()
    m = monitor(clock=clock)
    m.show_vitals(NORMAL, 0)
    assert all(b.priority == NONE for b in m.blocks.values())
    m.show_vitals(replace(NORMAL, hr=130, spo2=80), 0)
    hr, spo2 = m.blocks["hr"], m.blocks["spo2"]
    assert (hr.priority, spo2.priority) == (MEDIUM, HIGH)
    assert m.alarm_messages()[0] == (HIGH, "SpO₂ low")
    seen_high, seen_medium = [], []
    for _ in range(40):                                   # 4 s of frames, 0.1 s apart
        m._on_frame()
        seen_high.append(spo2.filled)
        seen_medium.append(hr.filled)
        clock.now += 0.1
    toggles = lambda s: sum(a != b for a, b in zip(s, s[1:]))  # noqa: E731
    assert toggles(seen_high) >= 14                       # 2 Hz: ~16 changes in 4 s
    assert 3 <= toggles(seen_medium) <= 5                 # 0.5 Hz: ~4 changes in 4 s
    m.show_vitals(NORMAL, 0)
    assert spo2.priority == NONE and spo2.filled is False


def test_the_flash_runs_on_the_real_frame_timer(qtbot, monitor):
    m = monitor()
    m.show_vitals(replace(NORMAL, rhythm="vf", hr=0, sbp=0, dbp=0, map=0), 0)
    assert m.blocks["hr"].priority == HIGH
    seen = set()
    m._frame_timer.timeout.connect(lambda: seen.add(m.blocks["hr"].filled))
    m.show()
    qtbot.waitUntil(lambda: seen == {True, False}, timeout=3000)


def test_alarm_limits_are_configurable(monitor):
    m = monitor()
    m.show_vitals(replace(NORMAL, hr=110), 0)
    assert m.blocks["hr"].priority == NONE
    m.set_alarm_limits({"hr": (50, 100)})
    assert m.blocks["hr"].priority == MEDIUM
    assert m.blocks["hr"].limits_text == "100 50"


def test_nibp_alarms_look_at_the_measured_pressure(monitor):
    m = monitor()
    m.show_vitals(replace(NORMAL, sbp=65, dbp=40, map=48), 0)
    assert m.blocks["nibp"].priority == HIGH
    assert m.alarm_messages()[0] == (HIGH, "NIBP sys low")


def test_tone_patterns_follow_iec_60601_1_8():
    high, medium = tone_pattern(HIGH), tone_pattern(MEDIUM)
    assert len(high.pulses) == 10 and len(medium.pulses) == 3
    assert all(0.075 <= p.duration_s <= 0.2 for p in high.pulses)
    assert all(0.125 <= p.duration_s <= 0.25 for p in medium.pulses)
    gaps = [b.start_s - a.start_s - a.duration_s for a, b in zip(high.pulses, high.pulses[1:])]
    assert all(0.05 <= g <= 0.125 for i, g in enumerate(gaps) if i not in (2, 4, 7))
    assert 0.35 <= gaps[4] <= 1.3                         # between the two halves
    assert 2.5 <= high.repeat_s <= 15 and 2.5 <= medium.repeat_s <= 30


def test_the_monitor_starts_and_alarms_without_qtmultimedia(qtbot, monitor, monkeypatch):
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)   # import now fails
    m = monitor(clock=FakeClock())
    assert not m.sound.available
    assert m.sound_label.isVisibleTo(m)
    m.show_vitals(replace(NORMAL, spo2=80), 0)
    m.show()
    m._on_frame()
    assert m.blocks["spo2"].priority == HIGH


def test_silence_pauses_tones_for_two_minutes(monitor):
    clock = FakeClock()
    m = monitor(clock=clock)
    m.show_vitals(replace(NORMAL, spo2=80), 0)
    m.silence()
    assert m.silenced
    m._on_frame()
    assert m.paused_label.text() == "AUDIO PAUSED 02:00"
    clock.now += 121
    m._on_frame()
    assert not m.silenced and not m.silence_button.isChecked()
    assert m.paused_label.text() == ""
    assert m.blocks["spo2"].priority == HIGH             # the visual alarm never paused


# --- panels and screens --------------------------------------------------------------------------
def test_the_blood_loss_panel_hides_and_shows(monitor):
    m = monitor()
    m.show()
    assert not m.blood_loss_visible()
    m.set_blood_loss_visible(True)
    assert m.blood_loss.isVisible() and m.blood_loss_visible()
    m.set_blood_loss_visible(False)
    assert not m.blood_loss.isVisible()


def test_show_on_a_screen_full_screen_or_not(monitor):
    m = monitor()
    screen = QGuiApplication.screens()[0]
    m.show_on(screen, fullscreen=False)
    assert m.isVisible() and not m.isFullScreen()
    assert m.screen() is screen or m.screen() == screen
    m.show_on(None, fullscreen=True)
    assert m.windowState() & Qt.WindowState.WindowFullScreen
