"""YAML loading that remembers where every key and item came from, within fixed limits.

ruamel.yaml's round-trip loader keeps line/column for each mapping key and sequence item and
rejects duplicate keys; we turn its tree into plain Python data (mappings -> dict, sequences
-> tuple, so models built from it are immutable) plus an index from path to line, which is what
lets every validation message name FILE:LINE.

Every file is first walked as a stream of parser events (no recursion) which refuses nesting
deeper than ``MAX_YAML_DEPTH`` and aliases that would expand to more than
``MAX_YAML_ALIAS_NODES`` nodes before any composer sees the text: ruamel's C composer recurses
once per level and crashes the interpreter on deep input, and both parsers slow down
quadratically with depth. For ordinary files the same walk also builds the data (about seven
times faster than ruamel's safe loader); anything unusual (tags, aliases, keys that are not
text, timestamps, duplicate keys) is loaded by ruamel itself once the walk has shown it safe.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml import events as _ev
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.resolver import implicit_resolvers as _IMPLICIT

from simtool.core.errors import Problem
from simtool.core.inputfile import InputFileError, read_bytes
from simtool.core.limits import MAX_DATA_FILE_BYTES, MAX_YAML_ALIAS_NODES, MAX_YAML_DEPTH

try:  # ruamel.yaml.clib: libyaml's parser, iterative and about 20x faster than ruamel's own
    from _ruamel_yaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyPy, or the wheel is missing
    _CParser = None

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


class _TooMuch(Exception):
    """A limit was passed; carries the line and the message of the problem."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _too_deep() -> str:
    return f"nested deeper than {MAX_YAML_DEPTH} levels (the limit for simtool's files)"


def _too_many_aliases() -> str:
    return (f"aliases (*name) expand to more than {MAX_YAML_ALIAS_NODES:,} nodes "
            "(the limit; is this an alias bomb?)")


class _Budget:
    """Counts the nodes ``_plain`` visits, so expanding shared aliases is bounded too."""

    def __init__(self, limit: int) -> None:
        self.left = limit

    def take(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise _TooMuch(1, _too_many_aliases())


def _plain(node: Any, path: Path_, lines: dict[Path_, int], budget: _Budget) -> Any:
    budget.take()
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
            result[skey] = _plain(value, sub, lines, budget)
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
            items.append(_plain(value, sub, lines, budget))
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


# --- the event walk ----------------------------------------------------------------------------

def _resolvers() -> dict[str, list[tuple[str, Any]]]:
    """ruamel's YAML 1.2 implicit resolvers by first character (the safe loader's table)."""
    table: dict[str, list[tuple[str, Any]]] = {}
    for versions, tag, regexp, first in _IMPLICIT:
        if (1, 2) in versions:
            lazy = getattr(regexp, "lazy_self", None)  # ruamel's RegExp compiles on first use
            compiled = lazy() if callable(lazy) else regexp
            for ch in first:
                table.setdefault(ch, []).append((tag, compiled))
    return table


_RESOLVERS = _resolvers()
_STR, _NULL, _BOOL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool"
_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_NOT_PLAIN = object()  # a value the walk does not build itself (ruamel loads the file then)
_NO_KEY = object()


def _int(text: str) -> int:
    # ruamel's SafeConstructor.construct_yaml_int for YAML 1.2
    s = text.replace("_", "")
    sign = -1 if s[0] == "-" else 1
    if s[0] in "+-":
        s = s[1:]
    if s == "0":
        return 0
    if s.startswith("0b"):
        return sign * int(s[2:], 2)
    if s.startswith("0x"):
        return sign * int(s[2:], 16)
    if s.startswith("0o"):
        return sign * int(s[2:], 8)
    return sign * int(s)


def _float(text: str) -> float:
    # ruamel's SafeConstructor.construct_yaml_float for YAML 1.2
    s = text.replace("_", "").lower()
    sign = -1 if s[0] == "-" else 1
    if s[0] in "+-":
        s = s[1:]
    if s == ".inf":
        return sign * math.inf
    if s == ".nan":
        return math.nan
    return sign * float(s)


def _scalar(event: Any) -> Any:
    """The value the safe loader would construct for a scalar event, or _NOT_PLAIN."""
    if event.ctag is not None:
        return _NOT_PLAIN
    value = event.value
    if not event.implicit[0]:
        return value  # quoted or block scalar: text
    for tag, regexp in _RESOLVERS.get(value[:1], ()):
        if regexp.match(value):
            break
    else:
        return value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value.lower() == "true"
    try:
        if tag == _INT:
            return _int(value)
        if tag == _FLOAT:
            return _float(value)
    except ValueError:  # e.g. an integer beyond Python's digit limit: ruamel says why
        return _NOT_PLAIN
    return _NOT_PLAIN  # timestamp, merge key (<<), value (=)


class _Frame:
    __slots__ = ("mapping", "items", "key", "size", "anchor", "path", "line", "count")

    def __init__(self, mapping: bool, anchor: Any, path: Path_, line: int) -> None:
        self.mapping = mapping
        self.items: Any = {} if mapping else []
        self.key: Any = _NO_KEY
        self.size = 1
        self.anchor = anchor
        self.path = path
        self.line = line
        self.count = 0


def _walk(parser: Any, lines: dict[Path_, int] | None = None,
          max_items: int | None = None) -> Any:
    """Walk ``parser``'s events; return the document's data, or _NOT_PLAIN when it is of a kind
    the walk does not build (after checking the whole stream). Raises _TooMuch at the first
    node over a limit, and the parser's own YAMLError for a syntax error.

    With ``lines`` it also records the line of every mapping key and sequence item, as the
    round-trip loader's ``lc`` does. ``max_items`` caps the length of any one list (a script's
    actions): the walk stops there rather than build a file far over what it may hold."""
    get = parser.get_event
    scalar_t, alias_t = _ev.ScalarEvent, _ev.AliasEvent
    mstart_t, sstart_t = _ev.MappingStartEvent, _ev.SequenceStartEvent
    mend_t, send_t = _ev.MappingEndEvent, _ev.SequenceEndEvent
    stack: list[_Frame] = []
    anchors: dict[Any, int] = {}
    expanded = 0
    building = True
    root: Any = None
    documents = 0
    while True:
        event = get()
        kind = type(event)
        if kind is scalar_t or kind is alias_t:
            if kind is scalar_t:
                size = 1
                value = _scalar(event) if building else None
                if event.anchor is not None:
                    anchors[event.anchor] = 1
            else:
                size = anchors.get(event.anchor, 1)
                expanded += size
                if expanded > MAX_YAML_ALIAS_NODES:
                    raise _TooMuch(event.start_mark.line + 1, _too_many_aliases())
                value = _NOT_PLAIN  # copies of shared nodes: ruamel builds those
            line = event.start_mark.line + 1
            if value is _NOT_PLAIN:
                building = False
        elif kind is mstart_t or kind is sstart_t:
            if len(stack) >= MAX_YAML_DEPTH:
                raise _TooMuch(event.start_mark.line + 1, _too_deep())
            line = event.start_mark.line + 1
            path: Path_ = ()
            if stack and lines is not None:
                top = stack[-1]
                path = top.path + ((top.key,) if top.mapping else (len(top.items),))
            if event.ctag is not None:
                building = False
            stack.append(_Frame(kind is mstart_t, event.anchor, path, line))
            continue
        elif kind is mend_t or kind is send_t:
            frame = stack.pop()
            size = frame.size
            if frame.anchor is not None:
                anchors[frame.anchor] = size
            value = frame.items if frame.mapping else tuple(frame.items)
            line = frame.line
        elif kind is _ev.DocumentStartEvent:
            documents += 1
            if documents > 1 or event.version is not None or event.tags:
                building = False  # ruamel says what is wrong, or applies the directives
            anchors = {}
            continue
        elif kind is _ev.StreamEndEvent:
            return root if building else _NOT_PLAIN
        else:
            continue
        # place the finished node (value, size, line) in its parent
        if not stack:
            root = value
            continue
        top = stack[-1]
        top.size += size
        if max_items is not None and not top.mapping:
            top.count += 1
            if top.count > max_items:
                raise _TooMuch(line, f"a list of more than {max_items:,} items (the limit "
                                     f"for this kind of file)")
        if not building:
            continue
        if top.mapping:
            if top.key is _NO_KEY:
                if type(value) is not str or value in top.items:
                    building = False  # a key that is not text, or a duplicate: ruamel decides
                    continue
                top.key = value
                if lines is not None:
                    lines[top.path + (value,)] = line
            else:
                top.items[top.key] = value
                top.key = _NO_KEY
        else:
            if lines is not None:
                lines[top.path + (len(top.items),)] = line
            top.items.append(value)


def _walk_lines(text: str) -> dict[Path_, int] | None:
    """Lines of every key and item by the event walk (None if it cannot say)."""
    if _CParser is None:
        return None
    lines: dict[Path_, int] = {(): 1}
    try:
        if _walk(_CParser(text), lines) is _NOT_PLAIN:
            return None
    except (YAMLError, _TooMuch, ValueError, TypeError):
        return None
    top = [line for path, line in lines.items() if len(path) == 1]
    if top:
        lines[()] = min(top)
    return lines


# round-trip parsing a big file just for line numbers takes minutes; the event walk takes seconds
_RT_LINES_MAX_CHARS = 256 * 1024


class _LazySource(Source):
    """A source parsed without line numbers; they are found only when a problem needs one,
    which for a valid file is never."""

    def __init__(self, file: str, data: Any, text: str) -> None:
        super().__init__(file, data, {})
        self._text: str | None = text

    def line_of(self, path: Path_) -> int:
        if self._text is not None:
            text, self._text = self._text, None
            lines = _walk_lines(text) if len(text) > _RT_LINES_MAX_CHARS else None
            if lines is None:
                full, _problems = _parse_rt(text, self.file)
                lines = full.lines if full is not None else None
            if lines is not None:
                self.lines = lines
        return super().line_of(path)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogates(src: Source) -> list[Problem]:
    """A problem for each text holding a lone surrogate (from a "\\ud800" escape): such text
    cannot be written as UTF-8 to the archive, the terminal or a PDF."""
    problems: list[Problem] = []
    todo: list[tuple[Path_, Any]] = [((), src.data)]
    while todo:
        path, node = todo.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if _SURROGATE.search(key):
                    problems.append(_surrogate_problem(src, path, key))
                todo.append((path + (key,), value))
        elif isinstance(node, tuple):
            todo.extend((path + (i,), v) for i, v in enumerate(node))
        elif isinstance(node, str) and _SURROGATE.search(node):
            problems.append(_surrogate_problem(src, path, node))
    return problems


def _surrogate_problem(src: Source, path: Path_, text: str) -> Problem:
    found = _SURROGATE.search(text)
    code = ord(found.group()) if found else 0xD800
    return src.problem(path, f"contains an invalid character (lone surrogate U+{code:04X})")


def parse_yaml(text: str, file: str, max_items: int | None = None) -> tuple[Source | None, list[Problem]]:
    """Parse YAML text; return (source, []) or (None, [problem]) for syntax errors and for
    nesting or aliases over the limits.

    With the C parser (ruamel.yaml.clib) the event walk checks the limits and builds ordinary
    files itself; anything it does not build is loaded by ruamel's C loader once it is known
    to be safe; anything that loader rejects is parsed again by the round-trip parser for the
    exact message and line."""
    src: Source | None = None
    if _CParser is not None:
        try:
            data = _walk(_CParser(text), max_items=max_items)
        except _TooMuch as exc:
            return None, [Problem(file, exc.line, "(yaml)", exc.message)]
        except Exception:  # noqa: BLE001 - a syntax error: the careful parser says what is wrong
            pass
        else:
            if data is _NOT_PLAIN:
                fast = YAML(typ="safe")
                fast.allow_duplicate_keys = False
                try:
                    data = _plain_fast(fast.load(text))
                except Exception:  # noqa: BLE001 - the careful parser below says what is wrong
                    data = _NOT_PLAIN
            if data is not _NOT_PLAIN:
                src = _LazySource(file, data, text)
    if src is None:
        src, problems = _parse_rt(text, file)
        if src is None:
            return None, problems
    if "\\u" in text or "\\U" in text:  # only these escapes make lone surrogates
        problems = _surrogates(src)
        if problems:
            return None, problems
    return src, []


def _parse_rt(text: str, file: str) -> tuple[Source | None, list[Problem]]:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    yaml.max_depth = MAX_YAML_DEPTH + 1  # ruamel counts the scalar leaves as a level too
    try:
        tree = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = (exc.problem or exc.context or "invalid YAML").strip()
        if "maximum depth" in what:
            return None, [Problem(file, line, "(yaml)", _too_deep())]
        if "duplicate key" in str(exc).lower() or "found duplicate key" in what:
            return None, [Problem(file, line, "(yaml)", _duplicate_message(exc))]
        return None, [Problem(file, line, "(yaml)", f"not valid YAML: {what}")]
    except YAMLError as exc:  # errors without a position
        return None, [Problem(file, 1, "(yaml)", f"not valid YAML: {str(exc).splitlines()[0]}")]
    except RecursionError:
        return None, [Problem(file, 1, "(yaml)", _too_deep())]
    except (ValueError, TypeError) as exc:
        return None, [Problem(file, 1, "(yaml)", f"not valid YAML: {exc}")]
    lines: dict[Path_, int] = {(): 1}
    try:
        # the text's own nodes plus what aliases may add
        data = _plain(tree, (), lines, _Budget(len(text) + MAX_YAML_ALIAS_NODES))
    except _TooMuch as exc:
        return None, [Problem(file, exc.line, "(yaml)", exc.message)]
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


def load_yaml(path: str | Path, display: str | None = None, *, max_bytes: int = MAX_DATA_FILE_BYTES,
              what: str = "scenario, catalogue and rubric files",
              max_items: int | None = None) -> tuple[Source | None, list[Problem]]:
    """Read and parse a YAML file; unreadable files become a problem, not an exception.

    Only a regular file of at most ``max_bytes`` is read (a FIFO, a device or a folder is
    refused before anything is read from it)."""
    name = display or str(path)
    try:
        raw = read_bytes(path, max_bytes, what, name)
    except InputFileError as exc:
        return None, [Problem(name, 1, "(file)", exc.message)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        return None, [Problem(name, line, "(file)", f"not UTF-8 text ({exc.reason})")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as Path.read_text does
    # ruamel's round-trip parser (the one that keeps line numbers) is slow, and the same file
    # is often read several times in a row (validate, then load; a scenario, then its
    # catalogue): keep the last parse of each exact text (small files only: big ones would
    # fill the memory, and they are read once)
    if len(text) > _CACHE_MAX_CHARS:
        src, problems = parse_yaml(text, name, max_items)
        return src, list(problems)
    key = (name, text, max_items)
    hit = _PARSED.get(key)
    if hit is None:
        hit = _PARSED[key] = parse_yaml(text, name, max_items)
        if len(_PARSED) > 64:
            _PARSED.pop(next(iter(_PARSED)))
    src, problems = hit
    return src, list(problems)


_CACHE_MAX_CHARS = 512 * 1024
_PARSED: dict[tuple[str, str, int | None], tuple[Source | None, list[Problem]]] = {}
