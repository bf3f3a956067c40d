"""argparse types for simtool's command-line options: numbers that are finite and in range.

``float("nan")``, ``float("inf")`` and ``float("1e999")`` are all valid Python floats, so a plain
``type=float`` lets them through to code that then sleeps for NaN seconds or never samples.
Every numeric option uses one of these instead; a bad value is a usage error (exit 2) that
names the option and the range, like any other argparse error.
"""

from __future__ import annotations

import argparse
import codecs
import math
from collections.abc import Callable

from simtool.core.limits import number


def _range_text(low: float | None, high: float | None, low_open: bool) -> str:
    if low is not None and high is not None:
        if low_open:
            return f"greater than {number(low)} and at most {number(high)}"
        return f"from {number(low)} to {number(high)}"
    if low is not None:
        return f"greater than {number(low)}" if low_open else f"at least {number(low)}"
    if high is not None:
        return f"at most {number(high)}"
    return "finite"


def finite_float(low: float | None = None, high: float | None = None, *,
                 low_open: bool = False) -> Callable[[str], float]:
    """A float option: a finite number in [low, high] (``low_open``: greater than ``low``)."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"'{text}' is not a finite number")
        if (low is not None and (value < low or (low_open and value == low))) or \
                (high is not None and value > high):
            raise argparse.ArgumentTypeError(
                f"{text} is out of range: must be {_range_text(low, high, low_open)}")
        return value
    parse.__name__ = "number"  # argparse says "invalid number value" if this type raises ValueError
    return parse


def bounded_int(low: int | None = None, high: int | None = None) -> Callable[[str], int]:
    """An integer option in [low, high]."""
    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if (low is not None and value < low) or (high is not None and value > high):
            raise argparse.ArgumentTypeError(
                f"{text} is out of range: must be {_range_text(low, high, False)}")
        return value
    parse.__name__ = "whole number"
    return parse


def text_encoding(text: str) -> str:
    """A text encoding Python knows (utf-8, gbk, gb18030, big5...), by its canonical name."""
    try:
        info = codecs.lookup(text)
    except LookupError:
        raise argparse.ArgumentTypeError(
            f"unknown encoding '{text}' (for example utf-8, gbk, gb18030, big5)") from None
    if not getattr(info, "_is_text_encoding", True):
        raise argparse.ArgumentTypeError(f"'{text}' is not a text encoding")
    return info.name


def text(value: str) -> str:
    """A free-text option (a name, an id): refused if it holds bytes that are not UTF-8 (Python
    passes them on as lone surrogates, which cannot be written to the archive, a PDF or the
    terminal)."""
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        try:  # show the bytes as given: b"Li\xffNa" -> Li\xffNa
            shown = value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            shown = value.encode("utf-8", "backslashreplace").decode("utf-8")
        raise argparse.ArgumentTypeError(f"'{shown}' holds bytes that are not UTF-8 text")
    return value
