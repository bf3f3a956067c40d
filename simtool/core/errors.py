"""Errors raised by the core. One root type; file problems carry FILE:LINE: field: message."""

from __future__ import annotations

from dataclasses import dataclass


class SimtoolError(Exception):
    """Root of every error simtool reports to a user as a sentence rather than a traceback."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in an input file, located by line and field path."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class FileProblemsError(SimtoolError):
    """An input file (scenario, catalogue, script, rubric) has one or more problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class ScenarioError(FileProblemsError):
    """A scenario, action catalogue or drill script failed validation."""


class UnitError(SimtoolError):
    """A dose unit is unknown or cannot be converted to the unit the action is dosed in."""


class DrillError(SimtoolError):
    """An operation the drill cannot perform in its current state (e.g. unknown action)."""
