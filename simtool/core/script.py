"""Drill scripts: a timed list of actions played headless by ``simtool run``.

    duration_s: 3600
    participants: [{id: t1, name: Li Na, role: midwife}]
    examiners: [{staff_id: E01, name: Dr Zhou}]      # optional: linked to the recorded drill
    actions:
      - {t: 95, action: oxytocin, dose: 10, unit: IU, route: IM, by: midwife}

Everything a script refers to is checked against the scenario before the drill starts, so a
typo is reported as FILE:LINE: field: message rather than half-way through a run.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator

from simtool.core import units
from simtool.core.catalogue import Amount
from simtool.core.errors import Problem, ScenarioError, UnitError
from simtool.core.limits import (MAX_NAME_CHARS, MAX_PARTICIPANTS, MAX_SCRIPT_ACTIONS,
                                 MAX_SCRIPT_BYTES)
from simtool.core.schema import Model, build
from simtool.core.scenario import Duration, LoadedScenario
from simtool.core.yamlsrc import Source, load_yaml

# a time in the script: from the start, and (checked below) not after its end
Time = Annotated[float, Field(ge=0)]


class ScriptParticipant(Model):
    """``{id, name, role}`` and, to be recognised as the same person from drill to drill, the
    person's ``staff_id`` (and home ``department``)."""
    id: str
    name: str
    role: str
    staff_id: str | None = None
    department: str | None = None

    @field_validator("staff_id")
    @classmethod
    def _staff_id(cls, value: str | None) -> str | None:
        return None if value is None else _one_line(value, "a staff id")

    @field_validator("department")
    @classmethod
    def _department(cls, value: str | None) -> str | None:
        return None if value is None else _one_line(value, "a department")


def _one_line(value: str, what: str) -> str:
    """A name or staff id as the archive keeps a person's: one line of at most MAX_NAME_CHARS
    characters, no control characters (what a bundle carries), not blank; trimmed."""
    if not value.strip():
        raise ValueError(f"{what} is empty")
    if len(value) > MAX_NAME_CHARS:
        raise ValueError(f"is {len(value):,} characters long; {what} has at most {MAX_NAME_CHARS:,}")
    if any(unicodedata.category(c) == "Cc" for c in value):
        raise ValueError("holds a control character (a line break, a tab or a terminal code)")
    return value.strip()


class ScriptExaminer(Model):
    """An examiner of the drill, recorded and linked to it when the run is recorded (a staff
    id the archive already knows is that person's record)."""
    name: str
    staff_id: str | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _one_line(value, "a name")

    @field_validator("staff_id")
    @classmethod
    def _staff_id(cls, value: str | None) -> str | None:
        return None if value is None else _one_line(value, "a staff id")


class ScriptAction(Model):
    t: Time
    action: str
    dose: Amount | None = None
    unit: str | None = None
    route: str | None = None
    by: str | None = None
    note: str | None = None


class ScriptForce(Model):
    t: Time
    force: str
    reason: str | None = None


class Script(Model):
    duration_s: Duration
    participants: tuple[ScriptParticipant, ...] = ()
    examiners: tuple[ScriptExaminer, ...] = ()
    actions: tuple[ScriptAction, ...] = ()
    forces: tuple[ScriptForce, ...] = ()
    notes: str | None = None

    @field_validator("actions", "forces")
    @classmethod
    def _not_too_many(cls, value: tuple[object, ...]) -> tuple[object, ...]:
        if len(value) > MAX_SCRIPT_ACTIONS:
            raise ValueError(f"{len(value):,} entries; a script may hold at most "
                             f"{MAX_SCRIPT_ACTIONS:,} (simtool's limit)")
        return value

    @field_validator("participants")
    @classmethod
    def _unique(cls, value: tuple[ScriptParticipant, ...]) -> tuple[ScriptParticipant, ...]:
        if len(value) > MAX_PARTICIPANTS:
            raise ValueError(f"{len(value):,} participants; a script may name at most "
                             f"{MAX_PARTICIPANTS:,} (simtool's limit)")
        seen = set()
        for p in value:
            if p.id in seen:
                raise ValueError(f"participant id '{p.id}' is used twice")
            seen.add(p.id)
        return value

    @field_validator("examiners")
    @classmethod
    def _examiners(cls, value: tuple[ScriptExaminer, ...]) -> tuple[ScriptExaminer, ...]:
        if len(value) > MAX_PARTICIPANTS:
            raise ValueError(f"{len(value):,} examiners; a script may name at most "
                             f"{MAX_PARTICIPANTS:,} (simtool's limit)")
        return value


def load_script(path: str | Path, loaded: LoadedScenario, display: str | None = None) -> Script:
    """Load a script and check it against the scenario; ScenarioError lists every problem."""
    src, problems = load_yaml(path, display, max_bytes=MAX_SCRIPT_BYTES, what="drill scripts",
                                # one over the limit, so the limit's own message names it
                                max_items=MAX_SCRIPT_ACTIONS + 1)
    if src is None:
        raise ScenarioError(problems)
    return script_from_source(src, loaded)


def script_from_source(src: Source, loaded: LoadedScenario) -> Script:
    """A script from data already read (a YAML file, or a timeline read from a CSV with the
    line of each row in ``src.lines``), checked against the scenario; ScenarioError lists
    every problem as FILE:LINE: field: message."""
    script, problems = build(Script, src)
    if script is None:
        raise ScenarioError(problems)
    sc, cat = loaded.scenario, loaded.catalogue
    problems = []
    people = {p.id for p in script.participants}
    for i, p in enumerate(script.participants):
        if p.role not in sc.role_ids:
            problems.append(src.problem(("participants", i, "role"),
                                        f"unknown role '{p.role}' (roles: {', '.join(sc.role_ids)})"))
    taken: dict[str, str] = {}
    for i, p in enumerate(script.participants):
        if p.staff_id is not None and taken.setdefault(p.staff_id, p.id) != p.id:
            problems.append(src.problem(("participants", i, "staff_id"),
                                        f"staff id '{p.staff_id}' is given to two participants, "
                                        f"'{taken[p.staff_id]}' and '{p.id}' (one person, one "
                                        f"role in a drill)"))
    staff: dict[str, str] = {}
    for i, e in enumerate(script.examiners):
        if e.staff_id is not None and staff.setdefault(e.staff_id, e.name) != e.name:
            problems.append(src.problem(("examiners", i, "staff_id"),
                                        f"staff id '{e.staff_id}' is given to two examiners, "
                                        f"'{staff[e.staff_id]}' and '{e.name}'"))
    for i, a in enumerate(script.actions):
        path = ("actions", i)
        action = cat.get(a.action)
        if action is None:
            problems.append(src.problem(path + ("action",), f"unknown action '{a.action}'"))
            continue
        if a.t > script.duration_s:
            problems.append(src.problem(path + ("t",), f"{a.t:g} s is after the end of the script "
                                                       f"({script.duration_s:g} s)"))
        if a.by is not None and a.by not in people and a.by not in sc.role_ids and a.by != "instructor":
            problems.append(src.problem(path + ("by",), f"'{a.by}' is neither a participant nor a role"))
        if a.dose is not None and action.dose is None:
            problems.append(src.problem(path + ("dose",), f"{a.action} takes no dose"))
        elif action.dose is not None and a.dose is None:
            # logged without its dose, no dose rule could judge it
            problems.append(src.problem(path, f"{a.action} needs a dose ({action.dose.unit})"))
        elif action.dose is not None and a.dose is not None and a.dose <= 0:
            problems.append(src.problem(path + ("dose",), f"a dose of {a.action} must be above zero"))
        if a.unit is not None:
            if action.dose is None:
                problems.append(src.problem(path + ("unit",), f"{a.action} takes no dose"))
            else:
                try:
                    units.resolve(a.unit, action.dose.unit)
                except UnitError as exc:
                    problems.append(src.problem(path + ("unit",), f"{exc} for {a.action}"))
    for i, f in enumerate(script.forces):
        if f.force not in sc.state_index:
            problems.append(src.problem(("forces", i, "force"), f"unknown state '{f.force}'"))
        if f.t > script.duration_s:  # the run would tick on to it, however far
            problems.append(src.problem(("forces", i, "t"), f"{f.t:g} s is after the end of the script "
                                                            f"({script.duration_s:g} s)"))
    if problems:
        raise ScenarioError(problems)
    return script


def script_problems(path: str | Path, loaded: LoadedScenario) -> list[Problem]:
    try:
        load_script(path, loaded)
    except ScenarioError as exc:
        return exc.problems
    return []
