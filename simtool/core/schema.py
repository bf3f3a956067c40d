"""Shared building blocks of the data-file schemas, and pydantic errors as located problems.

pydantic checks shape (unknown keys, types, required fields) from declarative models; this
module turns its error locations into FILE:LINE: field: message using the line index that
``yamlsrc`` recorded. Cross-references (unknown state, unreachable state...) are checked by
each file kind's own validator afterwards.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError, field_validator

from simtool.core.errors import Problem
from simtool.core.limits import number
from simtool.core.yamlsrc import Path_, Source

from simtool.core.languages import LANGS, REQUIRED_LANGS  # noqa: F401 - named here for the models


class Model(BaseModel):
    """Immutable, strict, no unknown keys, and every number finite: the base of every file
    schema (YAML's .inf and .nan are numbers to the parser, never to simtool)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)


class Text(Model):
    """A user-visible text in each interface language; all three are required (issue 9)."""

    en: str
    zh_CN: str
    zh_TW: str

    @field_validator("en", "zh_CN", "zh_TW")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("text is empty")
        return value

    def get(self, lang: str = "en") -> str:
        """The text in ``lang`` (English for a language we do not have)."""
        if lang == "zh_TW":
            return self.zh_TW
        if lang == "zh_CN":
            return self.zh_CN
        return self.en


def in_range(low: float | None, high: float | None, unit: str = "", why: str = "") -> AfterValidator:
    """A validator refusing a number outside [low, high]; the message gives the range, the unit
    and why (``why`` names a limit of simtool's, or a clinical range)."""
    tail = (f" {unit}" if unit else "") + (f" ({why})" if why else "")

    def check(value: Any) -> Any:
        if value is None or isinstance(value, bool):
            return value
        if (low is not None and value < low) or (high is not None and value > high):
            if low is None:
                raise ValueError(f"must be at most {number(high)}{tail}")  # type: ignore[arg-type]
            if high is None:
                raise ValueError(f"must be at least {number(low)}{tail}")
            raise ValueError(f"must be from {number(low)} to {number(high)}{tail}")
        return value
    return AfterValidator(check)


def _source_given(value: str) -> str:
    if not value.strip():
        raise ValueError("a source is required for a clinical number")
    return value


def _known_unit(value: str) -> str:
    from simtool.core import units
    if not units.is_unit(value):
        raise ValueError(f"unknown unit '{value}'")
    return units.canonical(value)


# the source written beside a clinical number (never blank), and a unit simtool knows (as
# its canonical spelling): one rule each for every file kind that carries them
ClinicalSource = Annotated[str, AfterValidator(_source_given)]
UnitName = Annotated[str, AfterValidator(_known_unit)]


class Sourced(Model):
    """A clinical number with the source it comes from written beside it."""

    value: float
    source: ClinicalSource
    verify: bool = False


_MESSAGES = {
    "missing": "required",
    "extra_forbidden": "unknown key",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "float_type": "must be a number",
    "finite_number": "must be a finite number (not .inf or .nan)",
    "bool_type": "must be true or false",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
    "model_type": "must be a mapping",
    "model_attributes_type": "must be a mapping",
    "dict_type": "must be a mapping",
    "union_tag_not_found": "needs a 'kind'",
}


_BOUNDS = {
    "greater_than": "must be greater than",
    "greater_than_equal": "must be at least",
    "less_than": "must be less than",
    "less_than_equal": "must be at most",
}


def _message(err: dict[str, Any]) -> str:
    kind = err["type"]
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind in ("literal_error", "enum"):  # a Literal or a StrEnum vocabulary
        expected = err.get("ctx", {}).get("expected", "")
        return f"must be one of {expected}"
    if kind == "union_tag_invalid":
        ctx = err.get("ctx", {})
        return f"unknown kind '{ctx.get('tag')}' (one of {ctx.get('expected_tags')})"
    if kind == "too_long":
        ctx = err.get("ctx", {})
        return (f"{ctx.get('actual_length', 0):,} entries; at most {ctx.get('max_length', 0):,} "
                "(simtool's limit)")
    if kind in _BOUNDS:
        ctx = err.get("ctx", {})
        limit = next(iter(ctx.values()), "")
        return f"{_BOUNDS[kind]} {limit:g}" if isinstance(limit, (int, float)) else f"{_BOUNDS[kind]} {limit}"
    if kind in ("value_error", "assertion_error"):
        msg = str(err.get("ctx", {}).get("error", err["msg"]))
        return msg
    msg = err["msg"]
    return msg[:1].lower() + msg[1:]


def _data_path(data: Any, loc: tuple[Any, ...]) -> Path_:
    """Drop the parts of a pydantic location that are not in the data (union tags)."""
    path: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, dict):
            if part in node:
                path.append(part)
                node = node[part]
            elif last or not isinstance(part, str):
                path.append(part)
                node = None
            # else: a tagged-union tag; skip it
        elif isinstance(node, (tuple, list)) and isinstance(part, int):
            path.append(part)
            node = node[part] if 0 <= part < len(node) else None
        else:
            path.append(part)
            node = None
    return tuple(path)


M = TypeVar("M", bound=BaseModel)


def build(model: type[M], src: Source, data: Any = None, base: Path_ = ()) -> tuple[M | None, list[Problem]]:
    """Validate ``data`` (default: the whole document) against ``model``."""
    data = src.data if data is None else data
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            path = base + _data_path(data, tuple(err["loc"]))
            problems.append(src.problem(path, _message(err)))
        return None, problems
