"""Alarm limits of the monitor and the IEC 60601-1-8 visual and audible patterns.

These are monitor settings, like the limits a nurse sets on a real bedside monitor, not
clinical judgement: a value outside ``advisory`` is a low-priority (cyan) alarm, one outside
``limits`` a medium-priority (yellow) alarm, one outside ``extreme`` a high-priority (red)
one, as in the "extreme brady/tachy" and "desat" alarms of common monitors. Lethal rhythms the monitor's arrhythmia analysis would call are
high priority. PEA is not among them: an ECG monitor cannot see it.

IEC 60601-1-8 (table 2, table 3) ranges used here:

* visual — high: red, flashing 1.4–2.8 Hz, duty 20–60 %; medium: yellow, 0.4–0.8 Hz, duty
  20–60 %; low: cyan or yellow, constant (lit, not flashing);
* audible — high: a burst of 10 pulses (3 + 2, pause, 3 + 2), pulse 75–200 ms, spacing
  50–125 ms, burst repeated every 2.5–15 s; medium: 3 pulses, pulse 125–250 ms, spacing
  125–250 ms, repeated every 2.5–30 s; low: optional (this monitor plays none).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

NONE, LOW, MEDIUM, HIGH = 0, 1, 2, 3

Limits = dict[str, tuple[float | None, float | None]]

DEFAULT_LIMITS: Limits = {
    "hr": (50, 120),
    "spo2": (90, None),
    "sbp": (90, 160),
    "rr": (8, 30),
    "etco2": (25, 50),
}
DEFAULT_EXTREME: Limits = {
    "hr": (40, 150),
    "spo2": (85, None),
    "sbp": (70, 200),
}
# low priority: worth a glance, no tone (the temperature drifting in a long resuscitation)
DEFAULT_ADVISORY: Limits = {
    "temp_c": (36.0, 38.0),
}
LETHAL_RHYTHMS = frozenset({"vf", "vt", "asystole"})

FLASH_HZ = {HIGH: 2.0, MEDIUM: 0.5}
FLASH_DUTY = 0.5


def limit_check(name: str, value: float | None, limits: Limits,
                extreme: Limits, advisory: Limits | None = None) -> tuple[int, str]:
    """(priority, "low" | "high" | "") for one numeric against the limits."""
    if value is None:
        return NONE, ""
    for priority, table in ((HIGH, extreme), (MEDIUM, limits), (LOW, advisory or {})):
        low, high = table.get(name, (None, None))
        if low is not None and value < low:
            return priority, "low"
        if high is not None and value > high:
            return priority, "high"
    return NONE, ""


def flash_on(priority: int, t: float) -> bool:
    """Whether a flashing indicator is lit at wall time ``t`` (always lit without alarm)."""
    hz = FLASH_HZ.get(priority)
    if hz is None:
        return True
    return (t * hz) % 1.0 < FLASH_DUTY


@dataclass(frozen=True)
class Pulse:
    start_s: float
    duration_s: float


@dataclass(frozen=True)
class TonePattern:
    pulses: tuple[Pulse, ...]
    repeat_s: float       # from the start of one burst to the next
    frequency_hz: float   # fundamental; harmonics are added when the sound is made


def tone_pattern(priority: int) -> TonePattern | None:
    """The burst for a priority, with timings inside the IEC 60601-1-8 ranges."""
    if priority == HIGH:
        td, ts, gap = 0.15, 0.10, 0.60
        starts: list[float] = []
        t = 0.0
        for half in range(2):
            for i in range(5):
                starts.append(t)
                t += td + (2 * ts + td if i == 2 else ts)   # x x x _ x x
            t += gap - ts
        return TonePattern(tuple(Pulse(s, td) for s in starts), repeat_s=5.0,
                           frequency_hz=523.0)
    if priority == MEDIUM:
        td, ts = 0.20, 0.20
        return TonePattern(tuple(Pulse(i * (td + ts), td) for i in range(3)), repeat_s=8.0,
                           frequency_hz=440.0)
    return None


def pcm16(pattern: TonePattern, rate: int = 22050, volume: float = 0.35) -> bytes:
    """Mono signed 16-bit samples of one burst: fundamental plus four harmonics (the standard
    asks for at least four in 300–4000 Hz) with 15 ms ramps against clicks."""
    end = max(p.start_s + p.duration_s for p in pattern.pulses)
    n = int(end * rate) + 1
    out = [0] * n
    ramp = 0.015
    weights = (1.0, 0.6, 0.45, 0.3, 0.2)
    norm = volume * 32767 / sum(weights)
    w = 2 * math.pi * pattern.frequency_hz
    for p in pattern.pulses:
        i0 = int(p.start_s * rate)
        for k in range(int(p.duration_s * rate)):
            t = k / rate
            env = min(1.0, t / ramp, (p.duration_s - t) / ramp)
            v = sum(a * math.sin(w * (h + 1) * t) for h, a in enumerate(weights))
            out[i0 + k] = int(norm * env * v)
    return b"".join(int(v).to_bytes(2, "little", signed=True) for v in out)
