"""The rules a drill's setup must meet before the drill starts, whichever face asks."""

from __future__ import annotations

from collections.abc import Iterable

from simtool.core.rubric import EVALUATION_TYPES

__all__ = ["EVALUATION_TYPES", "examiner_needed", "needs_examiner"]


def needs_examiner(evaluation_type: str) -> bool:
    """A summative or high-stakes drill is examined: someone must sign its sheets."""
    return evaluation_type != "formative"


def examiner_needed(evaluation_type: str, examiners: Iterable[str]) -> bool:
    """True when the setup lacks the examiner its evaluation type needs."""
    return needs_examiner(evaluation_type) and not any(e.strip() for e in examiners)
