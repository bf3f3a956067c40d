"""Training-programme files (``programmes/*.yaml``, issue 20): what a trainee must have done to
finish a stage and be cleared to work, each number with the source it comes from.

``load_programme`` returns an immutable ``LoadedProgramme`` or raises ``ProgrammeError`` (a
``ScenarioError``, so ``simtool validate`` reports every kind of file alike) listing every
problem as FILE:LINE: field: message. Shape is checked by the pydantic models below; the
cross-references (a stage or procedure that does not exist, an id used twice, an exam
retraining rule on a written test) by ``_Checker``.

A programme has:

* ``stages``, each with the procedures a trainee must log, by supervision level
  (``independent`` 独立完成, ``supervised`` 上级医师指导下, ``assisted`` 参与完成) and count;
* ``procedures``: the procedure ids a logbook entry names, with their labels;
* ``simulation``: drills or stations a trainee must have passed (signed sheets of a
  ``rubric``, or of any rubric of a ``scenario``);
* ``exams``: the practical and written examinations that clear a trainee to work, each
  with its pass rule; a failed exam with ``retrain`` sets a retraining date;
* ``drills``: how often a department must run a drill (every N months).

Every count, period and frequency is a ``Sourced`` number: ``source:`` beside it, and
``verify: true`` while it is not confirmed from the primary text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator

from simtool.core.catalogue import Id
from simtool.core.errors import Problem, ScenarioError
from simtool.core.limits import MAX_FILE_ENTRIES
from simtool.core.schema import Model, Sourced, Text, build
from simtool.core.yamlsrc import Path_, Source, load_yaml

FORMAT = 1
LEVELS = ("independent", "supervised", "assisted")
Level = Literal["independent", "supervised", "assisted"]


class ProgrammeError(ScenarioError):
    """A programme file failed validation."""


class Procedure(Model):
    id: Id
    label: Text


class Requirement(Model):
    """So many of one procedure at one supervision level, within a stage."""

    procedure: str
    level: Level
    count: Sourced


class Stage(Model):
    id: Id
    label: Text
    months: Sourced | None = None
    procedures: Annotated[tuple[Requirement, ...], Field(max_length=MAX_FILE_ENTRIES)] = ()


class SimulationRequirement(Model):
    """Drills or stations passed: signed sheets whose verdict is pass, of ``rubric`` (or of
    any rubric of ``scenario``)."""

    id: Id
    label: Text
    stage: str | None = None
    scenario: str | None = None
    rubric: str | None = None
    count: Sourced


class Retraining(Model):
    """After a failed exam: retrain within so many days of the failure."""

    due_within_days: Sourced


class Exam(Model):
    id: Id
    kind: Literal["practical", "written"]
    label: Text
    pass_rule: Text
    source: str
    verify: bool = False
    rubric: str | None = None     # a practical examined as an OSCE station: its signed sheets
    clearance: bool = True        # passing (practical) / recording (written) it clears to work
    retrain: Retraining | None = None

    @field_validator("source")
    @classmethod
    def _source_given(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a source is required")
        return value


class DrillRule(Model):
    """A department drill and how often it is due."""

    id: Id
    label: Text
    scenario: str | None = None
    every_months: Sourced


class Programme(Model):
    format: Literal[1]
    id: Id
    version: str
    title: Text
    description: Text | None = None
    source: str
    procedures: Annotated[tuple[Procedure, ...], Field(max_length=MAX_FILE_ENTRIES)] = ()
    stages: Annotated[tuple[Stage, ...], Field(max_length=MAX_FILE_ENTRIES)]
    simulation: Annotated[tuple[SimulationRequirement, ...], Field(max_length=MAX_FILE_ENTRIES)] = ()
    exams: Annotated[tuple[Exam, ...], Field(max_length=MAX_FILE_ENTRIES)] = ()
    drills: Annotated[tuple[DrillRule, ...], Field(max_length=MAX_FILE_ENTRIES)] = ()

    @field_validator("stages")
    @classmethod
    def _some(cls, value: tuple[object, ...]) -> tuple[object, ...]:
        if not value:
            raise ValueError("needs at least one entry")
        return value

    @cached_property
    def procedure_index(self) -> dict[str, Procedure]:
        return {p.id: p for p in self.procedures}


@dataclass(frozen=True)
class LoadedProgramme:
    programme: Programme
    path: Path


def requirement_id(stage: str, procedure: str, level: str) -> str:
    """The id a procedure requirement is reported by: ``stage/procedure/level``."""
    return f"{stage}/{procedure}/{level}"


class _Checker:
    def __init__(self, pg: Programme, src: Source) -> None:
        self.pg, self.src = pg, src
        self.problems: list[Problem] = []

    def add(self, path: Path_, message: str) -> None:
        self.problems.append(self.src.problem(path, message))

    def whole(self, path: Path_, number: Sourced, what: str) -> None:
        if number.value != int(number.value) or number.value < 1:
            self.add(path + ("value",), f"{what} is a whole number of at least 1")
        if not number.source.strip():
            self.add(path + ("source",), "a source is required")

    def unique(self, key: str, ids: list[str]) -> None:
        seen: dict[str, int] = {}
        for i, x in enumerate(ids):
            if x in seen:
                self.add((key, i, "id"), f"id '{x}' is already used by {key}[{seen[x]}]")
            seen.setdefault(x, i)

    def run(self) -> list[Problem]:
        pg = self.pg
        self.unique("procedures", [p.id for p in pg.procedures])
        self.unique("stages", [s.id for s in pg.stages])
        self.unique("simulation", [s.id for s in pg.simulation])
        self.unique("exams", [e.id for e in pg.exams])
        self.unique("drills", [d.id for d in pg.drills])
        known = set(pg.procedure_index)
        stages = {s.id for s in pg.stages}
        for i, st in enumerate(pg.stages):
            if st.months is not None:
                self.whole(("stages", i, "months"), st.months, "a stage's length in months")
            seen: dict[tuple[str, str], int] = {}
            for j, rq in enumerate(st.procedures):
                path = ("stages", i, "procedures", j)
                if rq.procedure not in known:
                    self.add(path + ("procedure",), f"unknown procedure '{rq.procedure}' "
                                                    f"(list it under 'procedures')")
                key = (rq.procedure, rq.level)
                if key in seen:
                    self.add(path, f"'{rq.procedure}' at level {rq.level} is already required "
                                   f"at procedures[{seen[key]}] of this stage")
                seen.setdefault(key, j)
                self.whole(path + ("count",), rq.count, "a count")
        for i, sim in enumerate(pg.simulation):
            path = ("simulation", i)
            if (sim.scenario is None) == (sim.rubric is None):
                self.add(path, "needs exactly one of 'scenario', 'rubric'")
            if sim.stage is not None and sim.stage not in stages:
                self.add(path + ("stage",), f"unknown stage '{sim.stage}'")
            self.whole(path + ("count",), sim.count, "a count")
        practical = False
        for i, ex in enumerate(pg.exams):
            path = ("exams", i)
            practical |= ex.kind == "practical" and ex.clearance
            if ex.kind == "written" and ex.rubric is not None:
                self.add(path + ("rubric",), "a written test is not scored on a rubric")
            if ex.retrain is not None:
                self.whole(path + ("retrain", "due_within_days"), ex.retrain.due_within_days,
                           "a retraining period in days")
        for i, dr in enumerate(pg.drills):
            self.whole(("drills", i, "every_months"), dr.every_months, "a drill's period in months")
        return self.problems


def _references(pg: Programme, src: Source, path: Path) -> list[Problem]:
    """Each scenario and rubric a programme names exists (beside the programmes folder, or
    bundled)."""
    from simtool.core.paths import rubrics_dir, scenarios_dir

    def exists(kind: str, name: str) -> bool:
        bundled = rubrics_dir() if kind == "rubrics" else scenarios_dir()
        folders = [path.parent.parent / kind, bundled]
        if kind == "rubrics":   # a stand-alone skills station (core.station) is a rubric too
            folders += [f / "stations" for f in folders]
        return any((folder / f"{name}.yaml").is_file() for folder in folders)

    problems = []
    refs: list[tuple[Path_, str, str | None]] = []
    for i, sim in enumerate(pg.simulation):
        refs += [(("simulation", i, "scenario"), "scenarios", sim.scenario),
                 (("simulation", i, "rubric"), "rubrics", sim.rubric)]
    refs += [(("exams", i, "rubric"), "rubrics", ex.rubric) for i, ex in enumerate(pg.exams)]
    refs += [(("drills", i, "scenario"), "scenarios", dr.scenario) for i, dr in enumerate(pg.drills)]
    for where, kind, name in refs:
        if name is not None and not exists(kind, name):
            problems.append(src.problem(where, f"unknown {kind[:-1]} '{name}' (no {kind}/{name}.yaml)"))
    return problems


def load_programme(path: str | Path, display: str | None = None) -> LoadedProgramme:
    """Load and validate a programme file."""
    path = Path(path)
    src, problems = load_yaml(path, display, what="programme files")
    if src is None:
        raise ProgrammeError(problems)
    if not isinstance(src.data, dict):
        raise ProgrammeError([src.problem((), "a programme file must be a mapping")])
    pg, problems = build(Programme, src)
    if pg is None:
        raise ProgrammeError(problems)
    problems = _Checker(pg, src).run() + _references(pg, src, path)
    if problems:
        raise ProgrammeError(problems)
    return LoadedProgramme(pg, path)


def is_programme(data: object) -> bool:
    """Whether parsed data is a programme file (``validate_file`` routes by this)."""
    return isinstance(data, dict) and "stages" in data and "states" not in data


def find_programme(name: str, folder: Path) -> Path:
    """A programme named by path or by id (``folder/<id>.yaml``)."""
    if name.endswith((".yaml", ".yml")) or "/" in name:
        return Path(name)
    return folder / f"{name}.yaml"
