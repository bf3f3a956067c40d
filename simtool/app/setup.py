"""The rules a drill's setup must meet before the drill starts, whichever face asks."""

from __future__ import annotations

from collections.abc import Iterable

import unicodedata

from simtool.core.limits import MAX_NAME_CHARS, MAX_REASON_CHARS
from simtool.core.rubric import EVALUATION_TYPES, EvaluationType

__all__ = ["EVALUATION_TYPES", "EvaluationType", "examiner_needed", "name_problem", "needs_examiner",
           "quoted", "reason_problem"]


def _line_problem(text: str, limit: int, what: str) -> str | None:
    if len(text) > limit:
        return f"is {len(text):,} characters long; {what} has at most {limit:,}"
    if any(unicodedata.category(c) == "Cc" for c in text):
        return "holds a control character (a line break, a tab or a terminal code)"
    return None


def quoted(text: str, limit: int = 40) -> str:
    """``text`` as a message quotes it: its repr, cut at ``limit`` characters."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a person's name in the archive (None when it can): one line of
    at most MAX_NAME_CHARS characters, no control characters — what a bundle carries."""
    return _line_problem(name, MAX_NAME_CHARS, "a name")


def reason_problem(reason: str) -> str | None:
    """Why ``reason`` cannot be the reason of a correction (None when it can): one line of at
    most MAX_REASON_CHARS characters, no control characters."""
    return _line_problem(reason, MAX_REASON_CHARS, "a reason")


def needs_examiner(evaluation_type: str) -> bool:
    """A summative or high-stakes drill is examined: someone must sign its sheets."""
    return evaluation_type != EvaluationType.FORMATIVE


def examiner_needed(evaluation_type: str, examiners: Iterable[str]) -> bool:
    """True when the setup lacks the examiner its evaluation type needs."""
    return needs_examiner(evaluation_type) and not any(e.strip() for e in examiners)
