"""The ways of writing a time that issue 16 retired, found in a text a person reads: a count of
seconds of a minute or more (``120.196 s``, ``210 s``, ``延迟 210 秒``), seconds with decimals,
a drill time without its leading zero (``1:30`` beside ``01:30``), and a wall-clock time in UTC
(``10:00 UTC``). ``old_time_forms(text)`` lists what it finds; a test asserts it is empty."""

from __future__ import annotations

import re

_SECONDS = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds|秒)(?![\w])")
_DECIMAL = re.compile(r"\d+\.\d+\s*(?:s|秒|min|分)(?![\w])")
_SHORT_CLOCK = re.compile(r"(?<![\d:.])\d:\d\d(?![\d:])")
_UTC = re.compile(r"\d\d:\d\d(?::\d\d)?\s*UTC(?![+-])|\bUTC\s*$", re.MULTILINE)
_ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")


def old_time_forms(text: str) -> list[str]:
    """Every retired way of writing a time in ``text`` (an empty list: none)."""
    found = [m.group(0) for m in _SECONDS.finditer(text) if float(m.group(1)) >= 60]
    found += _DECIMAL.findall(text)
    found += _SHORT_CLOCK.findall(text)
    found += _UTC.findall(text)
    found += _ISO.findall(text)
    return found
