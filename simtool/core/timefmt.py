"""How a time is written for a person to read: one way, everywhere (screens, PDFs, the command
line's human output, evidence sentences). Pure functions; the record is never touched.

Three kinds of time, each written one way:

* ``drill_time(t)`` — a moment in the drill, seconds since it started: ``mm:ss``, and
  ``h:mm:ss`` from the first hour on (``75:10`` is written ``1:15:10``).
* ``duration(seconds, lang)`` — how long something took or may take (late by, a gap between
  doses, an indicator and its target): minutes and seconds, ``1 min 30 s``, ``4 min``,
  ``10 s`` (``1 分 30 秒``, ``4 分钟``, ``10 秒``).
* ``wall_time(iso_utc, lang)`` — a moment on the wall clock (signed, generated, started,
  entered): the machine's local time with its UTC offset, ``2026-11-30 12:47 (UTC+08:00)``.
  The archive keeps UTC; only what is shown is local. ``SIMTOOL_TZ`` (an IANA name such as
  ``Asia/Shanghai``) names the zone instead of the system's, for tests and odd set-ups.

Both second counts are rounded to whole seconds, halves away from zero (59.6 s → ``01:00``,
3599.5 s → ``1:00:00``); the record keeps the exact number. ``None``, NaN, an infinity or
anything that is not a number is shown as ``—`` (never as a number it is not).

Machine outputs (``--json``, CSV) keep their numbers and ISO 8601 strings: nothing here is
for them.
"""

from __future__ import annotations

import math
import numbers
import os
from datetime import date, datetime, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from simtool.core.languages import LANGS

MISSING = "—"
TZ_ENV = "SIMTOOL_TZ"

# (minutes and seconds, whole minutes, seconds only) per language (en, zh_CN, zh_TW); a whole
# number of minutes says 分钟/分鐘 in Chinese: a bare 分 next to a score could read as points
_DURATION: dict[str, tuple[str, str, str]] = {
    "en": ("{m} min {s} s", "{m} min", "{s} s"),
    "zh_CN": ("{m} 分 {s} 秒", "{m} 分钟", "{s} 秒"),
    "zh_TW": ("{m} 分 {s} 秒", "{m} 分鐘", "{s} 秒"),
}
assert tuple(_DURATION) == LANGS


def whole_seconds(seconds: object) -> int | None:
    """``seconds`` rounded to a whole number, halves away from zero; None for None, NaN, an
    infinity, a bool or anything that is not a real number."""
    if not isinstance(seconds, numbers.Real) or isinstance(seconds, bool):
        return None   # None, text, a flag: not a number of seconds
    try:
        x = float(seconds)
    except (TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(x):
        return None
    n = math.floor(abs(x) + 0.5)
    return -n if x < 0 else n


def drill_time(t: object) -> str:
    """A moment in the drill (seconds since its start): ``mm:ss``, ``h:mm:ss`` from an hour on;
    a negative time keeps its sign (``-00:05``); ``—`` when there is none."""
    n = whole_seconds(t)
    if n is None:
        return MISSING
    sign = "-" if n < 0 else ""
    h, rest = divmod(abs(n), 3600)
    m, s = divmod(rest, 60)
    return f"{sign}{h}:{m:02d}:{s:02d}" if h else f"{sign}{m:02d}:{s:02d}"


def duration(seconds: object, lang: str = "en") -> str:
    """How long, in minutes and seconds in ``lang``: ``1 min 30 s``, ``4 min``, ``10 s``,
    ``0 s``; minutes keep counting past the hour (``90 min``); ``—`` when there is none."""
    n = whole_seconds(seconds)
    if n is None:
        return MISSING
    both, minutes, secs = _DURATION.get(lang, _DURATION["en"])
    m, s = divmod(abs(n), 60)
    text = both.format(m=m, s=s) if m and s else minutes.format(m=m) if m else secs.format(s=s)
    return f"-{text}" if n < 0 else text


def local_zone() -> tzinfo | None:
    """The zone wall-clock times are shown in: ``$SIMTOOL_TZ`` (an IANA name, e.g.
    ``Asia/Shanghai``) when it names one, else None, which stands for the system's own local
    zone (``datetime.astimezone()`` then applies its rules instant by instant, summer time
    included)."""
    name = os.environ.get(TZ_ENV, "").strip()
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass  # a zone this machine does not know: the system's, rather than no time at all
    return None


def _parse(moment: object) -> datetime | None:
    """An aware datetime from an ISO 8601 string or a datetime; one without a zone is UTC
    (the archive's); None when it is neither."""
    if isinstance(moment, datetime):
        dt = moment
    elif isinstance(moment, str) and moment.strip():
        try:
            dt = datetime.fromisoformat(moment.strip())
        except ValueError:
            return None
    else:
        return None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=timezone.utc)


def local(moment: object) -> datetime | None:
    """``moment`` (ISO 8601 text or a datetime, UTC if it names no zone) in the local zone."""
    dt = _parse(moment)
    return None if dt is None else dt.astimezone(local_zone())


def utc_offset(dt: datetime) -> str:
    """``UTC+08:00``, ``UTC-03:30``, ``UTC+00:00`` for an aware datetime."""
    off = dt.utcoffset() or (dt - dt)
    minutes = int(off.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    h, m = divmod(abs(minutes), 60)
    return f"UTC{sign}{h:02d}:{m:02d}"


def wall_time(iso_utc: object, lang: str = "en") -> str:
    """A wall-clock moment in the local zone with its offset: ``2026-11-30 12:47 (UTC+08:00)``,
    the same in every language (``lang`` is taken so every caller can pass its own); ``—``
    when there is none. Text that is not a time is shown as it is."""
    del lang  # digits and the offset read the same in en, zh_CN and zh_TW
    dt = local(iso_utc)
    if dt is None:
        return iso_utc if isinstance(iso_utc, str) and iso_utc.strip() else MISSING
    return f"{dt:%Y-%m-%d %H:%M} ({utc_offset(dt)})"


def wall_date(iso_utc: object) -> str:
    """The local calendar day of a wall-clock moment, ``YYYY-MM-DD``; ``—`` when there is none
    (a bare date is a day already and is shown as it is)."""
    if isinstance(iso_utc, date) and not isinstance(iso_utc, datetime):
        return iso_utc.isoformat()
    if isinstance(iso_utc, str) and len(iso_utc.strip()) == 10:
        try:
            return date.fromisoformat(iso_utc.strip()).isoformat()
        except ValueError:
            pass
    dt = local(iso_utc)
    if dt is None:
        return iso_utc if isinstance(iso_utc, str) and iso_utc.strip() else MISSING
    return f"{dt:%Y-%m-%d}"
