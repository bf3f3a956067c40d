"""YAML loading that remembers where every key and item came from.

ruamel.yaml's round-trip loader keeps line/column for each mapping key and sequence item and
rejects duplicate keys; we turn its tree into plain Python data (mappings -> dict, sequences
-> tuple, so models built from it are immutable) plus an index from path to line, which is what
lets every validation message name FILE:LINE.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from simtool.core.errors import Problem

Path_ = tuple[str | int, ...]


@dataclass
class Source:
    """Plain data from one YAML file and the line of every path in it."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int:
        """Line of the deepest known prefix of ``path`` (1 if nothing matches)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1

    def problem(self, path: Path_, message: str) -> Problem:
        return Problem(self.file, self.line_of(path), format_path(path), message)


def format_path(path: Path_) -> str:
    """('states', 2, 'to') -> 'states[2].to'; the empty path is the document itself."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(document)"


def _plain(node: Any, path: Path_, lines: dict[Path_, int]) -> Any:
    if isinstance(node, dict):
        result = {}
        lc = getattr(node, "lc", None)
        for key, value in node.items():
            skey = str(key)
            sub = path + (skey,)
            if lc is not None:
                try:
                    lines[sub] = lc.key(key)[0] + 1
                except (KeyError, TypeError, IndexError):
                    pass
            result[skey] = _plain(value, sub, lines)
        return result
    if isinstance(node, list):
        items = []
        lc = getattr(node, "lc", None)
        for i, value in enumerate(node):
            sub = path + (i,)
            if lc is not None:
                try:
                    lines[sub] = lc.item(i)[0] + 1
                except (KeyError, TypeError, IndexError):
                    pass
            items.append(_plain(value, sub, lines))
        return tuple(items)
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, (_dt.date, _dt.datetime)):
        return node.isoformat()
    return str(node)


class _LazySource(Source):
    """A source parsed by the fast C loader; line numbers are found (by the slow round-trip
    parser) only when a problem needs one, which for a valid file is never."""

    def __init__(self, file: str, data: Any, text: str) -> None:
        super().__init__(file, data, {})
        self._text: str | None = text

    def line_of(self, path: Path_) -> int:
        if self._text is not None:
            full, _problems = _parse_rt(self._text, self.file)
            self._text = None
            if full is not None:
                self.lines = full.lines
        return super().line_of(path)


def _plain_fast(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain_fast(v) for k, v in node.items()}
    if isinstance(node, list):
        return tuple(_plain_fast(v) for v in node)
    if isinstance(node, (_dt.date, _dt.datetime)):
        return node.isoformat()
    if node is None or isinstance(node, (bool, int, float, str)):
        return node
    return str(node)


def parse_yaml(text: str, file: str) -> tuple[Source | None, list[Problem]]:
    """Parse YAML text; return (source, []) or (None, [problem]) for syntax errors.

    Valid files go through the C loader when it is installed (ruamel.yaml.clib: about 20×
    faster); anything it rejects is parsed again by the round-trip parser for the exact
    message and line."""
    fast = YAML(typ="safe")
    fast.allow_duplicate_keys = False
    if getattr(fast.Parser, "__name__", "") == "CParser":
        try:
            data = fast.load(text)
        except Exception:  # noqa: BLE001 - the careful parser below says what is wrong
            pass
        else:
            return _LazySource(file, _plain_fast(data), text), []
    return _parse_rt(text, file)


def _parse_rt(text: str, file: str) -> tuple[Source | None, list[Problem]]:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        tree = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = (exc.problem or exc.context or "invalid YAML").strip()
        if "duplicate key" in str(exc).lower() or "found duplicate key" in what:
            return None, [Problem(file, line, "(yaml)", _duplicate_message(exc))]
        return None, [Problem(file, line, "(yaml)", f"not valid YAML: {what}")]
    except YAMLError as exc:  # errors without a position
        return None, [Problem(file, 1, "(yaml)", f"not valid YAML: {str(exc).splitlines()[0]}")]
    except (ValueError, TypeError, RecursionError) as exc:
        return None, [Problem(file, 1, "(yaml)", f"not valid YAML: {exc}")]
    lines: dict[Path_, int] = {(): 1}
    data = _plain(tree, (), lines)
    # a problem with the whole document points at its first key, not at a leading comment
    top = [line for path, line in lines.items() if len(path) == 1]
    if top:
        lines[()] = min(top)
    return Source(file, data, lines), []


def _duplicate_message(exc: MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    # ruamel says: found duplicate key "id" with value ... (original value: ...)
    if '"' in problem:
        key = problem.split('"')[1]
        return f"duplicate key '{key}'"
    return "duplicate key"


def load_yaml(path: str | Path, display: str | None = None) -> tuple[Source | None, list[Problem]]:
    """Read and parse a YAML file; unreadable files become a problem, not an exception."""
    name = display or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(name, 1, "(file)", f"not UTF-8 text ({exc.reason})")]
    except OSError as exc:
        return None, [Problem(name, 1, "(file)", f"cannot read: {exc.strerror or exc}")]
    # ruamel's round-trip parser (the one that keeps line numbers) is slow, and the same file
    # is often read several times in a row (validate, then load; a scenario, then its
    # catalogue): keep the last parse of each exact text
    key = (name, text)
    hit = _PARSED.get(key)
    if hit is None:
        hit = _PARSED[key] = parse_yaml(text, name)
        if len(_PARSED) > 64:
            _PARSED.pop(next(iter(_PARSED)))
    src, problems = hit
    return src, list(problems)


_PARSED: dict[tuple[str, str], tuple[Source | None, list[Problem]]] = {}
