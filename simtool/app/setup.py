"""The rules a drill's setup must meet before the drill starts, whichever face asks."""

from __future__ import annotations

from collections.abc import Iterable

import unicodedata

from simtool.core.limits import MAX_NAME_CHARS
from simtool.core.rubric import EVALUATION_TYPES, EvaluationType

__all__ = ["EVALUATION_TYPES", "EvaluationType", "examiner_needed", "name_problem", "needs_examiner"]


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a person's name in the archive (None when it can): one line of
    at most MAX_NAME_CHARS characters, no control characters — what a bundle carries."""
    if len(name) > MAX_NAME_CHARS:
        return f"is {len(name):,} characters long; a name has at most {MAX_NAME_CHARS}"
    if any(unicodedata.category(c) == "Cc" for c in name):
        return "holds a control character (a line break, a tab or a terminal code)"
    return None


def needs_examiner(evaluation_type: str) -> bool:
    """A summative or high-stakes drill is examined: someone must sign its sheets."""
    return evaluation_type != EvaluationType.FORMATIVE


def examiner_needed(evaluation_type: str, examiners: Iterable[str]) -> bool:
    """True when the setup lacks the examiner its evaluation type needs."""
    return needs_examiner(evaluation_type) and not any(e.strip() for e in examiners)
