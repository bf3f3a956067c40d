"""Procedural waveforms for the patient monitor: ECG by rhythm, plethysmogram, capnogram.

Pure Python (no Qt) so the shapes can be tested sample by sample. These are drawings, not
physiology: the rate and the rhythm come from the core's ``Vitals``; this module only turns
them into a plausible trace. Each waveform is driven by a phase accumulator rather than by
``t mod period`` so that a change of rate bends the trace smoothly instead of jumping.

Shapes (amplitudes in mV-like units for the ECG, 0–1 for the pleth, mmHg for CO₂):

* sinus, tachycardia, bradycardia: P–QRS–T as a sum of Gaussians; the T wave moves in as the
  RR interval shortens (QT ~ √RR, Bazett), and a fast rate lets the next P ride on the T;
* wide QRS: a slurred, notched complex of ~140 ms with a discordant T;
* VT: broad, monomorphic, almost sinusoidal complexes with no P waves;
* VF: a sum of incommensurate 3–7 Hz components under a slowly wandering random envelope,
  so it never repeats;
* asystole: a flat line; PEA: organised, narrow, low-voltage complexes at the given rate.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

FS = 250.0            # samples per second for every trace
VT_DEFAULT_RATE = 180.0   # drawn when the core gives VT without a rate
NO_OUTPUT = frozenset({"vf", "asystole", "pea"})   # no pulse wave to draw


def _g(x: float, mu: float, sigma: float, amp: float) -> float:
    d = (x - mu) / sigma
    if d * d > 50.0:    # exp(-25): negligible, and skipping it keeps the frame cheap
        return 0.0
    return amp * math.exp(-0.5 * d * d)


def sinus_complex(tau: float, rr: float, amp: float = 1.0) -> float:
    """One P–QRS–T beat, ``tau`` seconds from its R peak, in a beat of ``rr`` seconds."""
    t_peak = 0.24 * math.sqrt(min(max(rr, 0.3), 2.0))
    return (_g(tau, -0.16, 0.025, 0.15)
            + _g(tau, -0.030, 0.008, -0.12)
            + _g(tau, 0.0, 0.011, amp)
            + _g(tau, 0.032, 0.010, -0.28)
            + _g(tau, t_peak, 0.045, 0.30))


def wide_complex(tau: float, rr: float) -> float:
    """A bundle-branch-like beat: P wave, broad notched QRS (RSR'), T opposite to the QRS."""
    t_peak = 0.30 * math.sqrt(min(max(rr, 0.3), 2.0))
    return (_g(tau, -0.19, 0.025, 0.13)
            + _g(tau, -0.02, 0.022, 0.75)
            + _g(tau, 0.045, 0.020, -0.35)
            + _g(tau, 0.085, 0.024, 0.6)
            + _g(tau, t_peak, 0.055, -0.28))


def vt_complex(phase: float) -> float:
    """Monomorphic VT: a broad upstroke and a broader, slower return (phase 0–1)."""
    s = math.sin(2.0 * math.pi * phase)
    return 1.1 * (s if s > 0 else 0.65 * s) + 0.25 * math.sin(4.0 * math.pi * phase + 0.6)


def pleth_shape(phase: float) -> float:
    """A pulse oximeter wave: steep systolic upstroke, dicrotic notch, diastolic run-off."""
    return (_g(phase, 0.18, 0.075, 0.95)
            + _g(phase, 0.42, 0.085, 0.38)
            + _g(phase, 1.18, 0.075, 0.95)      # the next beat's rise reaching into this one
            + _g(phase, -0.82, 0.075, 0.95))


def capno_shape(phase: float, etco2: float) -> float:
    """CO₂ over one breath: baseline, expiratory upstroke, sloping plateau, inspiration."""
    if phase < 0.05:
        return 0.0
    if phase < 0.13:                       # phase II: steep rise
        x = (phase - 0.05) / 0.08
        return etco2 * 0.9 * (0.5 - 0.5 * math.cos(math.pi * x))
    if phase < 0.58:                       # phase III: alveolar plateau, rising a little
        return etco2 * (0.9 + 0.1 * (phase - 0.13) / 0.45)
    if phase < 0.64:                       # inspiration washes the CO₂ out
        x = (phase - 0.58) / 0.06
        return etco2 * (0.5 + 0.5 * math.cos(math.pi * x))
    return 0.0


@dataclass
class Drive:
    """What the waveforms are drawn from: the numbers of one moment."""

    rhythm: str = "sinus"
    hr: float = 0.0
    rr: float = 0.0
    etco2: float = 0.0
    pulse: bool = True      # False: no output, the pleth is flat


class WaveformGenerator:
    """Produces ECG, pleth and CO₂ samples at ``FS`` as time advances."""

    def __init__(self, seed: int = 1) -> None:
        self._beat = 0.0         # phase within the current beat, 0–1
        self._rr_s = 1.0         # length of the current beat, fixed when the beat starts
        self._breath = 0.0
        self._t = 0.0
        self._rng = random.Random(seed)
        self._vf_env = 0.6
        self._vf_phases = [self._rng.uniform(0, 2 * math.pi) for _ in range(4)]
        self._carry = 0.0        # time not yet turned into samples

    def _ecg(self, d: Drive) -> float:
        r = d.rhythm
        if r == "asystole":
            return 0.0
        if r == "vf":
            # amplitude and frequencies wander at random: no two seconds alike
            self._vf_env += self._rng.gauss(0.0, 0.02) - 0.01 * (self._vf_env - 0.55)
            self._vf_env = min(1.0, max(0.15, self._vf_env))
            freqs = (4.1, 5.3, 6.7, 3.3)
            v = 0.0
            for i, f in enumerate(freqs):
                self._vf_phases[i] += 2 * math.pi * f / FS + self._rng.gauss(0.0, 0.05)
                v += math.sin(self._vf_phases[i]) / (i + 1.5)
            return self._vf_env * v
        if r == "vt":
            return vt_complex(self._beat)
        tau = self._beat * self._rr_s
        rr = self._rr_s
        # the complex is centred 0.25 s into its beat (or a third at fast rates) so the P
        # wave fits before the R; the next beat's P may already start on this one's T
        offset = min(0.25, rr / 3.0)
        if r == "wide_qrs":
            return wide_complex(tau - offset, rr) + wide_complex(tau - offset - rr, rr)
        amp = 0.55 if r == "pea" else 1.0
        return sinus_complex(tau - offset, rr, amp) + sinus_complex(tau - offset - rr, rr, amp)

    def _pleth(self, d: Drive) -> float:
        if not d.pulse or d.hr <= 0:
            return 0.0
        # the pulse reaches the finger ~0.2 s after the R wave
        offset = min(0.25, self._rr_s / 3.0) + 0.2
        return pleth_shape(((self._beat * self._rr_s - offset) / self._rr_s) % 1.0)

    def advance(self, dt: float, d: Drive) -> tuple[list[float], list[float], list[float]]:
        """Move on ``dt`` seconds; return the new (ecg, pleth, co2) samples."""
        ecg: list[float] = []
        pleth: list[float] = []
        co2: list[float] = []
        self._carry += max(0.0, dt)
        n = int(self._carry * FS)
        self._carry -= n / FS
        rate = d.hr if d.hr > 0 else (VT_DEFAULT_RATE if d.rhythm == "vt" else 0.0)
        if self._t == 0.0 and rate > 0:
            self._rr_s = 60.0 / rate
        for _ in range(n):
            self._t += 1.0 / FS
            if rate > 0 and d.rhythm not in ("asystole", "vf"):
                # a beat keeps the length it started with: a new rate shows from the next beat
                self._beat += 1.0 / (FS * self._rr_s)
                if self._beat >= 1.0:
                    self._beat -= 1.0
                    self._rr_s = 60.0 / rate
            if d.rr > 0:
                self._breath = (self._breath + d.rr / (60.0 * FS)) % 1.0
            ecg.append(self._ecg(d))
            pleth.append(self._pleth(d))
            co2.append(capno_shape(self._breath, d.etco2) if d.rr > 0 else 0.0)
        return ecg, pleth, co2


def ecg_samples(rhythm: str, hr: float, seconds: float, seed: int = 1) -> list[float]:
    """``seconds`` of ECG for one rhythm at one rate (for tests and previews)."""
    gen = WaveformGenerator(seed)
    return gen.advance(seconds, Drive(rhythm=rhythm, hr=hr, rr=0, etco2=0))[0]
