"""OSCE rubric files: the schema, and the checks against the scenario a rubric scores.

``load_rubric`` returns an immutable ``LoadedRubric`` or raises ``RubricError`` (a
``ScenarioError``, so ``simtool validate`` reports both alike) listing every problem as
FILE:LINE: field: message. Shape is checked by the pydantic models below; references to the
scenario (actions of its catalogue, roles, markers, expected actions, indicators), the sources
of numbers, and critical items that could never fail by ``_Checker``.

Item kinds: ``observed`` (done / not done) and ``graded`` (named levels) are marked by the
examiner; ``action_within``, ``dose_correct``, ``not_done``, ``expected`` and ``indicator``
are scored from the drill's record (see ``scoring``). ``scope: trainee`` items go on the sheet
of every trainee (of ``role``, when given); ``scope: team`` items on the team sheet, where a
``role`` on an action item says who must perform the action.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, field_validator

from simtool.core import units
from simtool.core.catalogue import Id
from simtool.core.errors import Problem, ScenarioError, UnitError
from simtool.core.ntsblock import (
    LoadedBlock, RubricError, duplicate_ids, load_block, read_exact, sha256_text,
)
from simtool.core.rubricitems import (
    ACTION_KINDS, AUTO_KINDS, FLAG_KINDS, ActionWithin, DoseCorrect, ExpectedItem, Graded,
    IndicatorItem, Item, ItemBase, NotDone, Observed, SourcedItem,
)
from simtool.core.paths import data_root, scenarios_dir
from simtool.core.scenario import LoadedScenario, load_scenario
from simtool.core.inputfile import InputFileError
from simtool.core.limits import MAX_DURATION_S, MAX_FILE_ENTRIES, MAX_ITEM_POINTS
from simtool.core.schema import Model, Sourced, Text, build, in_range
from simtool.core.yamlsrc import Path_, Source, load_yaml

__all__ = ["ACTION_KINDS", "AUTO_KINDS", "EVALUATION_TYPES", "EvaluationType", "FLAG_KINDS", "ActionWithin", "DoseCorrect",
           "ExpectedItem", "Graded", "IndicatorItem", "Item", "LoadedRubric", "NotDone", "Observed",
           "Rubric", "RubricError", "STATION_KINDS", "Station", "load_rubric", "rubric_kind", "rubrics_dir"]

FORMAT = 1
# the item kinds a stand-alone station may use: an examiner marks them (no drill record)
STATION_KINDS = ("observed", "graded")
# INACSL: decided before the session (CLINICAL.md §5); the archive records the drill's type


class EvaluationType(StrEnum):
    """What a drill is for; the one list every face, the archive's schema and bundles use
    (a StrEnum: each member is its string, so files and JSON hold the same bytes)."""
    FORMATIVE = "formative"
    SUMMATIVE = "summative"
    HIGH_STAKES = "high-stakes"


EVALUATION_TYPES: tuple[str, ...] = tuple(t.value for t in EvaluationType)


class Grade(Model):
    id: Id
    value: Annotated[int, in_range(-MAX_ITEM_POINTS, MAX_ITEM_POINTS, "", "simtool's limit")]
    label: Text



class GlobalRating(Model):
    label: Text | None = None
    grades: tuple[Grade, ...]
    borderline: str  # the grade standard setting uses (borderline regression / group)

    def grade(self, grade_id: str) -> Grade | None:
        return next((g for g in self.grades if g.id == grade_id), None)


class BlockUse(Model):
    include: str
    scope: Literal["trainee", "team"]
    role: str | None = None


class Station(Model):
    """A stand-alone skills station: the candidate's time at it (and the reading time before
    it, if any), each with its source, and the task as the candidate is told it."""

    time_limit_s: Sourced
    reading_s: Sourced | None = None
    task: Text
    equipment: Text | None = None


class Rubric(Model):
    format: Literal[1]
    id: Id
    version: str
    title: Text
    description: Text | None = None
    scenario: str | None = None       # a drill's rubric names its scenario ...
    station: Station | None = None    # ... a stand-alone skills station has this instead
    # (not strict: the file holds the string; it becomes the member)
    evaluation_types: tuple[Annotated[EvaluationType, Field(strict=False)], ...]
    cut_score: Sourced  # percentage of the applicable points
    global_rating: GlobalRating | None = None
    items: Annotated[tuple[Item, ...], Field(max_length=MAX_FILE_ENTRIES)]
    blocks: Annotated[tuple[BlockUse, ...], Field(max_length=MAX_FILE_ENTRIES)] = ()


    @field_validator("evaluation_types", "items")
    @classmethod
    def _some(cls, value: tuple[object, ...]) -> tuple[object, ...]:
        if not value:
            raise ValueError("needs at least one entry")
        return value

    @cached_property
    def item_index(self) -> dict[str, ItemBase]:
        return {it.id: it for it in self.items}

    @property
    def scenario_id(self) -> str:
        """The scenario a drill scored on this rubric plays: the named one, or a station's own
        station scenario (whose id is the rubric's; ``core.station``)."""
        return self.scenario if self.scenario is not None else self.id


@dataclass(frozen=True)
class LoadedRubric:
    """A validated rubric, its blocks, the scenario it was checked against, and its exact text."""

    rubric: Rubric
    blocks: tuple[tuple[BlockUse, LoadedBlock], ...]
    scenario: LoadedScenario
    path: Path
    text: str     # exact file text; the archive keeps it so an old sheet can be re-read
    sha256: str   # of ``text``

    @property
    def blocks_sha256(self) -> dict[str, str]:
        return {lb.block.id: lb.sha256 for _, lb in self.blocks}


# --- semantic checks ------------------------------------------------------------------------

class _Checker:
    def __init__(self, rb: Rubric, loaded: LoadedScenario, src: Source) -> None:
        self.rb, self.src = rb, src
        sc = loaded.scenario
        self.cat = loaded.catalogue
        self.roles = set(sc.role_ids)
        self.markers = {m.id for m in sc.markers}
        self.expected = {e.id for e in sc.expected}
        self.indicators = {i.id for i in sc.indicators}
        self.problems: list[Problem] = []

    def add(self, path: Path_, message: str) -> None:
        self.problems.append(self.src.problem(path, message))

    def action(self, path: Path_, action_id: str) -> None:
        if self.cat.get(action_id) is None:
            self.add(path, f"unknown action '{action_id}'")

    def role(self, path: Path_, role: str | None) -> None:
        if role is not None and role not in self.roles:
            self.add(path, f"unknown role '{role}' (roles: {', '.join(sorted(self.roles))})")

    def sourced(self, path: Path_, item: SourcedItem, what: str) -> None:
        if not (item.source and item.source.strip()):
            self.add(path, f"{what} needs a 'source' beside it (or 'design: ...')")

    def run(self) -> list[Problem]:
        rb = self.rb
        if rb.station is not None:
            self.station(rb.station)
        if not 0 <= rb.cut_score.value <= 100:
            self.add(("cut_score", "value"), "a cut score is a percentage from 0 to 100")
        seen: set[str] = set()
        for i, kind in enumerate(rb.evaluation_types):
            if kind in seen:
                self.add(("evaluation_types", i), f"'{kind}' is listed twice")
            seen.add(kind)
        if rb.global_rating is not None:
            self.global_rating(rb.global_rating)
        for i, item in enumerate(rb.items):
            self.item(("items", i), item)
        return self.problems

    @staticmethod
    def station_limit(src: Source, st: Station) -> list[Problem]:
        if 0 < st.time_limit_s.value <= MAX_DURATION_S:
            return []
        return [src.problem(("station", "time_limit_s", "value"), f"a station's time limit is "
                                                                   f"more than 0 s and at most {MAX_DURATION_S} s (24 h)")]

    def station(self, st: Station) -> None:
        self.problems += self.station_limit(self.src, st)
        if st.reading_s is not None and not 0 <= st.reading_s.value <= MAX_DURATION_S:
            self.add(("station", "reading_s", "value"),
                     f"a reading time is from 0 s to {MAX_DURATION_S} s (24 h)")
        for i, item in enumerate(self.rb.items):
            kind = getattr(item, "kind")
            if kind not in STATION_KINDS:
                self.add(("items", i, "kind"),
                         f"a skills station has no drill record to score '{kind}' from; its items "
                         f"are marked by the examiner ({', '.join(STATION_KINDS)})")
            if item.scope != "trainee":
                self.add(("items", i, "scope"), "a skills station examines one candidate: use scope: trainee")
        for i, use in enumerate(self.rb.blocks):
            if use.scope != "trainee":
                self.add(("blocks", i, "scope"), "a skills station examines one candidate: use scope: trainee")

    def global_rating(self, gr: GlobalRating) -> None:
        values: dict[int, str] = {}
        for j, g in enumerate(gr.grades):
            if g.value in values and values[g.value] != g.id:
                self.add(("global_rating", "grades", j, "value"),
                         f"value {g.value} is also grade '{values[g.value]}'")
            values.setdefault(g.value, g.id)
        if len(gr.grades) < 2:
            self.add(("global_rating", "grades"), "a global rating needs at least two grades")
        if gr.grade(gr.borderline) is None:
            self.add(("global_rating", "borderline"),
                     f"unknown grade '{gr.borderline}' (grades: {', '.join(g.id for g in gr.grades)})")

    def item(self, path: Path_, item: ItemBase) -> None:
        kind = getattr(item, "kind")
        self.role(path + ("role",), item.role)
        if item.scope == "team" and item.role is not None and kind not in ACTION_KINDS:
            self.add(path + ("role",), f"a team item of kind '{kind}' cannot have a role "
                                       "(a role on a team item says who must perform its action)")
        if isinstance(item, (ExpectedItem, IndicatorItem)) and item.scope != "team":
            self.add(path + ("scope",), f"an {kind} item scores the team's record: use scope: team")
        if isinstance(item, ActionWithin):
            for j, a in enumerate(item.actions):
                self.action(path + ("actions", j), a)
            if item.after not in self.markers:
                self.add(path + ("after",), f"unknown marker '{item.after}'")
            self.sourced(path + ("within_s",), item, "a time window")
            if item.late_points > item.points:
                self.add(path + ("late_points",), "late_points cannot be more than points")
        elif isinstance(item, DoseCorrect):
            self.dose(path, item)
        elif isinstance(item, NotDone):
            if not item.actions and not item.flags:
                self.add(path, "needs 'actions' or 'flags'")
            for j, a in enumerate(item.actions):
                self.action(path + ("actions", j), a)
        elif isinstance(item, ExpectedItem):
            if item.expected not in self.expected:
                self.add(path + ("expected",), f"unknown expected action '{item.expected}' "
                                               f"(scenario has: {', '.join(sorted(self.expected))})")
            if item.late_points > item.points:
                self.add(path + ("late_points",), "late_points cannot be more than points")
        elif isinstance(item, IndicatorItem):
            if item.indicator not in self.indicators:
                self.add(path + ("indicator",), f"unknown indicator '{item.indicator}' "
                                                f"(scenario has: {', '.join(sorted(self.indicators))})")
        elif isinstance(item, Graded):
            self.graded(path, item)

    def dose(self, path: Path_, item: DoseCorrect) -> None:
        # checked here rather than in the model so that the message names the item, not its kind
        if (item.per_kg is None) == (item.absolute is None):
            self.add(path, "needs exactly one of 'per_kg', 'absolute'")
        elif item.cap is not None and item.per_kg is None:
            self.add(path + ("cap",), "'cap' goes with 'per_kg'")
        else:
            number = "per_kg" if item.per_kg is not None else "absolute"
            self.sourced(path + (number,), item, "a dose")
        action = self.cat.get(item.action)
        if action is None:
            self.add(path + ("action",), f"unknown action '{item.action}'")
        elif action.dose is None:
            self.add(path + ("action",), f"{item.action} takes no dose")
        else:
            try:
                units.resolve(item.unit, action.dose.unit)
            except UnitError as exc:
                self.add(path + ("unit",), f"{exc} for {item.action}")

    def graded(self, path: Path_, item: Graded) -> None:
        values = [lv.value for lv in item.levels]
        for j, v in enumerate(values):
            if v in values[:j]:
                self.add(path + ("levels", j, "value"), f"duplicate level {v}")
        if item.pass_level is not None and item.pass_level not in values:
            self.add(path + ("pass_level",), f"{item.pass_level} is not one of the levels "
                                             f"({', '.join(str(v) for v in sorted(set(values)))})")
        elif item.critical and item.met_from == min(values):
            self.add(path + ("critical",), "a critical item must be able to fail, but every level "
                                           "meets it (raise pass_level above the lowest level)")


# --- finding the scenario and the blocks ----------------------------------------------------

def rubrics_dir() -> Path:
    return data_root() / "rubrics"


_SCENARIOS: dict[tuple[str, int, int], LoadedScenario] = {}


def _find_scenario(path: Path, scenario_id: str) -> Path | None:
    name = f"{scenario_id}.yaml"
    for folder in (path.parent.parent / "scenarios", path.parent / "scenarios", scenarios_dir()):
        if (folder / name).is_file():
            return folder / name
    return None


def _cached_scenario(path: Path) -> LoadedScenario:
    # validating a folder of rubrics should not re-read their scenario for each one
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _SCENARIOS:
        _SCENARIOS[key] = load_scenario(path)
    return _SCENARIOS[key]


def _find_block(path: Path, name: str) -> Path | None:
    for folder in (path.parent / "blocks", rubrics_dir() / "blocks"):
        if (folder / f"{name}.yaml").is_file():
            return folder / f"{name}.yaml"
    return None


def _blocks(rb: Rubric, src: Source, path: Path, roles: set[str]) -> tuple[list[tuple[BlockUse, LoadedBlock]], list[Problem]]:
    found: list[tuple[BlockUse, LoadedBlock]] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str, str | None], int] = {}
    for i, use in enumerate(rb.blocks):
        where = ("blocks", i)
        key = (use.include, use.scope, use.role)
        if key in seen:
            problems.append(src.problem(where + ("include",), f"block '{use.include}' is already "
                                                              f"included for this scope at blocks[{seen[key]}]"))
        seen.setdefault(key, i)
        if use.role is not None and use.role not in roles:
            problems.append(src.problem(where + ("role",), f"unknown role '{use.role}' "
                                                           f"(roles: {', '.join(sorted(roles))})"))
        if use.scope == "team" and use.role is not None:
            problems.append(src.problem(where + ("role",), "a team block cannot have a role"))
        block_path = _find_block(path, use.include)
        if block_path is None:
            problems.append(src.problem(where + ("include",), f"unknown block '{use.include}' "
                                                              f"(no blocks/{use.include}.yaml)"))
            continue
        try:
            found.append((use, load_block(block_path)))
        except RubricError:
            problems.append(src.problem(where + ("include",), f"block '{use.include}' has problems "
                                                              f"(simtool validate {block_path})"))
    return found, problems


def load_rubric(path: str | Path, loaded_scenario: LoadedScenario | None = None,
                display: str | None = None) -> LoadedRubric:
    """Load and validate a rubric against its scenario (found by id unless given)."""
    path = Path(path)
    src, problems = load_yaml(path, display)
    if src is None:
        raise RubricError(problems)
    if not isinstance(src.data, dict):
        raise RubricError([src.problem((), "a rubric file must be a mapping")])
    problems = duplicate_ids(src, ("items",)) + duplicate_ids(src, ("global_rating", "grades"))
    rb, shape = build(Rubric, src)
    problems += shape
    if rb is None:
        raise RubricError(problems)
    if (rb.scenario is None) == (rb.station is None):
        where: Path_ = ("station",) if rb.station is not None else ()
        raise RubricError(problems + [src.problem(where, (
            "a rubric names its drill's 'scenario' or describes a stand-alone 'station', not both"
            if rb.station is not None else
            "a rubric needs 'scenario' (the drill it scores) or 'station' (a stand-alone skills station)"))])
    if rb.station is not None:
        from simtool.core.station import station_scenario
        if not 0 < rb.station.time_limit_s.value <= MAX_DURATION_S:   # the scenario needs it
            raise RubricError(problems + _Checker.station_limit(src, rb.station))
        try:
            own = station_scenario(rb, f"{display or path} (station scenario)")
        except ScenarioError as exc:
            raise RubricError(problems + [src.problem(("station",), f"the station makes no valid "
                                                                    f"scenario: {exc.problems[0]}")]) from None
        if loaded_scenario is not None and loaded_scenario.scenario.id != rb.id:
            raise RubricError(problems + [src.problem(
                ("station",), f"this is station '{rb.id}', not scenario '{loaded_scenario.scenario.id}'")])
        loaded_scenario = own
    elif loaded_scenario is None:
        assert rb.scenario is not None
        sc_path = _find_scenario(path, rb.scenario)
        if sc_path is None:
            raise RubricError(problems + [src.problem(
                ("scenario",), f"unknown scenario '{rb.scenario}' (no scenarios/{rb.scenario}.yaml)")])
        try:
            loaded_scenario = _cached_scenario(sc_path)
        except ScenarioError:
            raise RubricError(problems + [src.problem(
                ("scenario",), f"scenario '{rb.scenario}' has problems (simtool validate {sc_path})")]) from None
    elif loaded_scenario.scenario.id != rb.scenario:
        raise RubricError(problems + [src.problem(
            ("scenario",), f"this rubric is for scenario '{rb.scenario}', not '{loaded_scenario.scenario.id}'")])
    problems += _Checker(rb, loaded_scenario, src).run()
    blocks, block_problems = _blocks(rb, src, path, set(loaded_scenario.scenario.role_ids))
    problems += block_problems
    if problems:
        raise RubricError(problems)
    try:
        text = read_exact(path)
    except InputFileError as exc:
        raise RubricError([Problem(display or str(path), 1, "(file)", exc.message)]) from None
    return LoadedRubric(rb, tuple(blocks), loaded_scenario, path, text, sha256_text(text))


def rubric_kind(data: object) -> str | None:
    """'rubric', 'block' or None: which loader a parsed data file belongs to."""
    if not isinstance(data, dict):
        return None
    if "items" in data and ("scenario" in data or "station" in data):
        return "rubric"
    if "categories" in data and "scale" in data:
        return "block"
    return None
