"""Non-technical-skills blocks (ANTS, TEAM): rating instruments a rubric includes by name.

A block file (``rubrics/blocks/<id>.yaml``) holds the structure of one published instrument
(CLINICAL.md §5): its rating scale, its categories and their elements, whether its element
ratings add up to a total, and an optional overall rating on its own range (TEAM's global
1–10). Blocks are rated by the examiner and reported beside a sheet's checklist score; they do
not add points to it, because neither instrument defines a pass mark.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import field_validator, model_validator

from simtool.core.catalogue import Id
from simtool.core.errors import Problem, ScenarioError
from simtool.core.inputfile import InputFileError, read_bytes
from simtool.core.limits import MAX_DATA_FILE_BYTES, MAX_ITEM_POINTS
from simtool.core.schema import Model, Text, build, in_range
from simtool.core.yamlsrc import Path_, Source, load_yaml

NOT_OBSERVED = "not observed"


class RubricError(ScenarioError):
    """A rubric or a non-technical-skills block file failed validation."""


class ScalePoint(Model):
    value: Annotated[int, in_range(-MAX_ITEM_POINTS, MAX_ITEM_POINTS, "", "simtool's limit")]
    label: Text


class Scale(Model):
    points: tuple[ScalePoint, ...]
    not_observed: bool = False  # the examiner may rate an element "not observed"

    @field_validator("points")
    @classmethod
    def _two_or_more(cls, value: tuple[ScalePoint, ...]) -> tuple[ScalePoint, ...]:
        if len(value) < 2:
            raise ValueError("a rating scale needs at least two points")
        return value

    @cached_property
    def values(self) -> tuple[int, ...]:
        return tuple(sorted(p.value for p in self.points))


class Element(Model):
    id: Id
    label: Text



class Category(Model):
    id: Id
    label: Text
    elements: tuple[Element, ...]


    @field_validator("elements")
    @classmethod
    def _some(cls, value: tuple[Element, ...]) -> tuple[Element, ...]:
        if not value:
            raise ValueError("a category needs at least one element")
        return value


class Overall(Model):
    """One overall rating on its own whole-number range (TEAM: global 1–10)."""

    id: Id
    label: Text
    min: Annotated[int, in_range(-MAX_ITEM_POINTS, MAX_ITEM_POINTS, "", "simtool's limit")]
    max: Annotated[int, in_range(-MAX_ITEM_POINTS, MAX_ITEM_POINTS, "", "simtool's limit")]


    @model_validator(mode="after")
    def _ordered(self) -> "Overall":
        if self.min >= self.max:
            raise ValueError("needs min < max")
        return self


class Block(Model):
    format: Literal[1]
    id: Id
    title: Text
    description: Text | None = None
    source: str
    verify: bool = False
    scale: Scale
    categories: tuple[Category, ...]
    total: Literal["sum", "none"] = "none"
    overall: Overall | None = None


    @field_validator("source")
    @classmethod
    def _source_given(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("an instrument needs its source")
        return value

    @cached_property
    def elements(self) -> tuple[tuple[str, Element], ...]:
        """(category id, element) in file order."""
        return tuple((c.id, e) for c in self.categories for e in c.elements)

    @cached_property
    def element_ids(self) -> tuple[str, ...]:
        return tuple(e.id for _, e in self.elements)


@dataclass(frozen=True)
class LoadedBlock:
    block: Block
    path: Path
    sha256: str


def sha256_text(text: str) -> str:
    """SHA-256 of a text as stored (UTF-8), the hash a sheet records for its rubric."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_exact(path: Path) -> str:
    """The file's text exactly as on disk (no newline translation), so its hash is the file's.

    Read like every input (a regular file within the size limit); raises InputFileError."""
    data = read_bytes(path, MAX_DATA_FILE_BYTES, "rubric and block files")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputFileError(str(path), f"not UTF-8 text ({exc.reason})") from None


def duplicate_ids(src: Source, where: Path_, key: str = "id", label: str = "id") -> list[Problem]:
    """Duplicate ``key`` values in the list at ``where``, checked on the raw data."""
    node: Any = src.data
    for part in where:
        if isinstance(node, dict) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, tuple) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return []
    if not isinstance(node, tuple):
        return []
    problems = []
    first: dict[Any, int] = {}
    name = where[-1] if where else ""
    for i, item in enumerate(node):
        if not isinstance(item, dict):
            continue
        value = item.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            if value in first:
                problems.append(src.problem(where + (i, key), f"duplicate {label} '{value}' "
                                                              f"(first at {name}[{first[value]}])"))
            else:
                first[value] = i
    return problems


def _check(block: Block, src: Source, path: Path) -> list[Problem]:
    problems = []
    if block.id != path.stem:
        problems.append(src.problem(("id",), f"block id '{block.id}' differs from its file name "
                                             f"'{path.name}' (a rubric includes it by file name)"))
    seen: dict[str, str] = {}
    for i, cat in enumerate(block.categories):
        for j, el in enumerate(cat.elements):
            if el.id in seen:
                problems.append(src.problem(("categories", i, "elements", j, "id"),
                                            f"duplicate element id '{el.id}' (also in category '{seen[el.id]}')"))
            seen.setdefault(el.id, cat.id)
    if block.overall is not None and block.overall.id in seen:
        problems.append(src.problem(("overall", "id"), f"'{block.overall.id}' is also an element id"))
    return problems


def load_block(path: str | Path, display: str | None = None) -> LoadedBlock:
    """Load and validate a block file; raise RubricError listing every problem."""
    path = Path(path)
    src, problems = load_yaml(path, display)
    if src is None:
        raise RubricError(problems)
    if not isinstance(src.data, dict):
        raise RubricError([src.problem((), "a block file must be a mapping")])
    problems = duplicate_ids(src, ("categories",)) + duplicate_ids(src, ("scale", "points"), "value", "value")
    block, shape = build(Block, src)
    problems += shape
    if block is None:
        raise RubricError(problems)
    problems += _check(block, src, path)
    if problems:
        raise RubricError(problems)
    try:
        text = read_exact(path)
    except InputFileError as exc:
        raise RubricError([Problem(display or str(path), 1, "(file)", exc.message)]) from None
    return LoadedBlock(block, path, sha256_text(text))
