"""Canonical JSON and the SHA-256 hashes that make tampering visible.

Every hash is over *canonical JSON*: keys sorted, no spaces, UTF-8 kept, NaN refused. Record
hashes are always computed from rows as read back from SQLite (so a REAL column always hashes
as a float), and ``None`` fields are left out of record dictionaries, which is what lets a
migration add a nullable column without changing the hash of any existing record.

The audit chain: ``sha256 = SHA-256(prev_sha256 + canonical([op, table, record_id,
record_sha256, at, actor]))`` with the first row chained to ``GENESIS``.
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
    """Hash of a plain audited row (sign-offs, amendments)."""
    return sha256_hex(canonical_json(record_dict(row)))
