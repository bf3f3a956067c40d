"""A department's own indicator targets and alert margin, kept as archive settings (``meta``).

Every indicator's compliance target comes with the scenario (``target_pct`` and
``target_source`` beside its timing target, issue 21). A department that sets itself another
bar — or the fall that should raise an alert (``simtool.core.alerts``) — records it here: one
``meta`` row each time, written once and never changed (the table is append-only), with its
audit row, so the archive shows who set which target when and why; the latest row for an
indicator counts. Keys: ``indicator_target/NNNNNN`` (JSON ``scenario_id``, ``indicator``,
``target_pct``, ``target_source``) and ``alert_margin/NNNNNN`` (``margin_pts``, ``source``).
"""

from __future__ import annotations

import json
import math
import re
from typing import TYPE_CHECKING, Any

from simtool.store.errors import ArchiveError

if TYPE_CHECKING:
    from simtool.store.archive import Archive

TARGET, MARGIN = "indicator_target/", "alert_margin/"
MAX_SOURCE = 500
_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def _rows(conn: Any, prefix: str) -> list[dict[str, Any]]:
    out = []
    for _key, value in conn.execute("SELECT key, value FROM meta WHERE key > ? AND key < ? "
                                    "ORDER BY key", (prefix, prefix + "\uffff")):
        try:
            row = json.loads(value)
        except ValueError:
            continue   # not written by simtool: ignored, as verify reports it
        if isinstance(row, dict):
            out.append(row)
    return out


def overrides(conn: Any) -> dict[tuple[str, str], tuple[float, str]]:
    """(scenario, indicator) → (target_pct, target_source) the department set, latest first."""
    out: dict[tuple[str, str], tuple[float, str]] = {}
    for row in _rows(conn, TARGET):
        pct, source = row.get("target_pct"), row.get("target_source")
        if _fits(pct, below_100=True) and isinstance(source, str):
            out[(str(row.get("scenario_id")), str(row.get("indicator")))] = (float(pct), source)
    return out


def margin(conn: Any) -> tuple[float, str] | None:
    """The alert margin (percentage points) the department set and its source, or None."""
    found = None
    for row in _rows(conn, MARGIN):
        pts, source = row.get("margin_pts"), row.get("source")
        if _fits(pts, below_100=False) and isinstance(source, str):
            found = (float(pts), source)
    return found


def _fits(value: Any, *, below_100: bool) -> bool:
    """A stored figure simtool could have written (a row written by hand may hold anything:
    it is ignored, as ``verify`` reports it)."""
    return (type(value) in (int, float) and math.isfinite(value) and value >= 0
            and (value < 100 if below_100 else value <= 100))


def check_pct(value: Any, what: str, *, below_100: bool = True) -> float:
    """A percentage a person gave: a finite number from 0 to under 100 (a compliance target
    is "compliance above it", so 100 could never be met)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or value < 0 or (below_100 and value >= 100) or value > 100:
        top = "under 100" if below_100 else "100"
        raise ArchiveError(f"{what} must be a number from 0 to {top}, not {value!r}")
    return float(value)


def check_source(source: Any) -> str:
    if not isinstance(source, str) or not source.strip():
        raise ArchiveError("a target needs its source (a document, or \"design: department's choice\")")
    if len(source) > MAX_SOURCE or any(ord(c) < 32 for c in source):
        raise ArchiveError(f"a target's source is one line of at most {MAX_SOURCE} characters")
    return source.strip()


def _next_key(conn: Any, prefix: str) -> str:
    n = conn.execute("SELECT count(*) FROM meta WHERE key > ? AND key < ?",
                     (prefix, prefix + "\uffff")).fetchone()[0]
    return f"{prefix}{n + 1:06d}"


def set_target(archive: Archive, scenario_id: str, indicator: str, target_pct: float,
               source: str) -> None:
    """Record the department's compliance target of one indicator (audited)."""
    for what, value in (("scenario", scenario_id), ("indicator", indicator)):
        if not isinstance(value, str) or not _ID.match(value):
            raise ArchiveError(f"'{value}' is not a {what} id (lower-case letters, digits, _)")
    value = json.dumps({"scenario_id": scenario_id, "indicator": indicator,
                        "target_pct": check_pct(target_pct, "a compliance target"),
                        "target_source": check_source(source)}, ensure_ascii=False, sort_keys=True)
    with archive.transaction():
        archive._set_meta_in_tx(_next_key(archive._conn, TARGET), value)


def set_margin(archive: Archive, margin_pts: float, source: str) -> None:
    """Record the department's alert margin: a compliance fall beyond it raises an alert."""
    value = json.dumps({"margin_pts": check_pct(margin_pts, "an alert margin", below_100=False),
                        "source": check_source(source)}, ensure_ascii=False, sort_keys=True)
    with archive.transaction():
        archive._set_meta_in_tx(_next_key(archive._conn, MARGIN), value)
