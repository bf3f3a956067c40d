"""Numbers marked ``verify: true``: the list a clinical reviewer works through.

CLINICAL.md marks facts not yet confirmed from a primary text with [?]; data files carry them
with ``verify: true`` beside the number and its source. This walks any data file (scenario,
catalogue, rubric, block) and returns each such place with its line, field, the numbers it
holds and its source, so ``simtool validate --unverified`` can print them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simtool.core.yamlsrc import Path_, Source, format_path, load_yaml

_SKIP = {"verify", "source", "message", "label", "description"}


@dataclass(frozen=True)
class Unverified:
    file: str
    line: int
    field: str
    values: str     # the numbers (or ids) that need checking, as written
    source: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.values} — source: {self.source}"


def _numbers(node: dict[str, Any], prefix: str = "") -> str:
    parts = []
    for key, value in node.items():
        if key in _SKIP:
            continue
        if isinstance(value, bool):
            continue
        if isinstance(value, (int, float)):
            parts.append(f"{prefix}{key} {value:g}")
        elif isinstance(value, str) and key in ("when", "id", "action", "to"):
            parts.append(f"{prefix}{key} {value}")
        elif isinstance(value, dict) and not prefix and "verify" not in value:
            # the numbers of a part without its own source (an intervention's vitals changes)
            inner = _numbers(value, f"{key}.")
            if inner != _NONE:
                parts.append(inner)
    return ", ".join(parts) or _NONE


_NONE = "(see the entry)"


def _walk(node: Any, path: Path_, src: Source, out: list[Unverified]) -> None:
    if isinstance(node, dict):
        if node.get("verify") is True:
            source = str(node.get("source") or "(no source)").replace("\n", " ").strip()
            out.append(Unverified(src.file, src.line_of(path), format_path(path), _numbers(node),
                                  " ".join(source.split())))
        for key, value in node.items():
            _walk(value, path + (key,), src, out)
    elif isinstance(node, (tuple, list)):
        for i, value in enumerate(node):
            _walk(value, path + (i,), src, out)


def unverified(path: str | Path) -> list[Unverified]:
    """Every ``verify: true`` entry in one YAML file (empty if the file cannot be read)."""
    src, _problems = load_yaml(path)
    if src is None:
        return []
    out: list[Unverified] = []
    _walk(src.data, (), src, out)
    return out
