"""Helpers for the loaders' mutation tests: loaded data as mutable JSON-like data, and every
path in it (each one a place a mutation can hit)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def plain(value: Any) -> Any:
    """Loaded (immutable) data as lists and dicts that a test may change."""
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def paths(node: Any, prefix: tuple = ()) -> Iterator[tuple]:
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from paths(v, prefix + (i,))
