"""Canonical JSON and the SHA-256 hashes that make tampering visible.

Every hash is over *canonical JSON*: keys sorted, no spaces, UTF-8 kept, NaN refused. Record
hashes are always computed from rows as read back from SQLite (so a REAL column always hashes
as a float), and ``None`` fields are left out of record dictionaries, which is what lets a
migration add a nullable column without changing the hash of any existing record.

The audit chain: ``sha256 = SHA-256(prev_sha256 + canonical([op, table, record_id,
record_sha256, at, actor]))`` with the first row chained to ``GENESIS``.

What each audit row's ``record_sha256`` is, by table: events and vitals samples carry their own
row hash (``event_row_sha256``, ``vitals_row_sha256``); a vitals audit row covers a *batch* of
one drill's samples (one live sample, or every sample a migration or an import wrote at once)
and hashes their row hashes (``vitals_batch_sha256``); drills with participants, score sheets
with items, kept indicator results with their rows have a record hash each; sign-offs,
amendments, trainees, examiners and settings (``meta``) hash their row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_dict(row: Mapping[str, Any], skip: Iterable[str] = ("audit_seq",)) -> dict[str, Any]:
    """A row as hashed: bookkeeping columns and NULLs left out."""
    left_out = set(skip)
    return {k: v for k, v in row.items() if v is not None and k not in left_out}


def event_row_sha256(drill_id: str, seq: int, t: float, kind: str, data: str) -> str:
    """The hash stored beside each event row (``data`` is the stored JSON text)."""
    return sha256_hex(canonical_json([drill_id, int(seq), float(t), kind, data]))


def audit_sha256(prev: str, op: str, table: str, record_id: str, record_sha256: str,
                 at: str, actor: str) -> str:
    return sha256_hex(prev + canonical_json([op, table, record_id, record_sha256, at, actor]))


def drill_record_sha256(drill_row: Mapping[str, Any],
                        participants: Iterable[Mapping[str, Any]]) -> str:
    """A drill's audited record: its row and its participants (which never change)."""
    people = sorted((record_dict(p, skip=("drill_id",)) for p in participants),
                    key=lambda p: p["id"])
    return sha256_hex(canonical_json({"drill": record_dict(drill_row), "participants": people}))


def sheet_record_sha256(sheet_row: Mapping[str, Any], items: Iterable[Mapping[str, Any]]) -> str:
    """A score sheet with its items; ``record_sha256`` itself is not part of what it hashes."""
    rows = sorted((record_dict(i, skip=("sheet_id",)) for i in items), key=lambda i: i["item_id"])
    sheet = record_dict(sheet_row, skip=("audit_seq", "record_sha256"))
    return sha256_hex(canonical_json({"sheet": sheet, "items": rows}))


def row_sha256(row: Mapping[str, Any]) -> str:
    """Hash of a plain audited row (sign-offs, amendments, settings)."""
    return sha256_hex(canonical_json(record_dict(row)))


def person_record_sha256(row: Mapping[str, Any]) -> str:
    """A trainee or an examiner as audited: every column but ``audit_seq``, NULLs left out."""
    return row_sha256(row)


def vitals_row_sha256(drill_id: str, t: float, data: str) -> str:
    """The hash stored beside each vitals sample (``data`` is the stored JSON text)."""
    return sha256_hex(canonical_json([drill_id, float(t), data]))


def vitals_batch_sha256(hashed: Iterable[tuple[float, str]]) -> str:
    """What a vitals audit row records: the (t, row hash) of every sample it covers."""
    return sha256_hex(canonical_json(sorted([float(t), h] for t, h in hashed)))


def vitals_batch_id(drill_id: str, hashed: list[tuple[float, str]]) -> str:
    """A vitals audit row's record id: ``[drill, first t, last t, samples]`` as canonical JSON
    (JSON, so any drill id reads back whole)."""
    ts = sorted(float(t) for t, _h in hashed)
    return canonical_json([drill_id, ts[0], ts[-1], len(ts)])


def indicators_record_sha256(kept: Mapping[str, Any], rows: Iterable[Mapping[str, Any]]) -> str:
    """One drill's kept indicator results: the ``drill_indicators_kept`` row and its result
    rows in their stored order (``rowid_order`` itself left out: it changes on recomputation)."""
    results = [record_dict(r, skip=("rowid_order", "drill_id")) for r in rows]
    return sha256_hex(canonical_json({"kept": record_dict(kept), "results": results}))
