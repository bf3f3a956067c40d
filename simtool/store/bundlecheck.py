"""Reading a bundle file without trusting it: size caps, a JSON nesting cap, and every record
checked against the fields this simtool knows before anything reaches SQL.

Limits (also in the README, "Bundles"), each refused with one sentence naming the bundle and,
where there is one, the member:

==========================  ==========  ====================================================
``MAX_BUNDLE_BYTES``        1 GiB       the bundle file itself
``MAX_MEMBERS``             100,002     zip members (a manifest, a signature, 100,000 drills)
``MAX_MEMBER_BYTES``        64 MiB      one drill file, uncompressed
``MAX_MANIFEST_BYTES``      16 MiB      ``manifest.json`` uncompressed (``signature.json``: 64 KiB)
``MAX_TOTAL_BYTES``         4 GiB       all members together, uncompressed
``MAX_RATIO``               200         uncompressed ÷ compressed size of a member over 1 MiB
``MAX_DEPTH``               64          nesting of JSON arrays and objects
==========================  ==========  ====================================================

The member count is read from the zip's end record before Python's ``zipfile`` parses the
directory; sizes and ratios are checked from the directory before a byte is decompressed, and
enforced again while reading (members are read in 1 MiB chunks, and ``zipfile`` never returns
more than the directory's size), so a zip bomb is refused as "too large" with its member name
having decompressed nothing, and a member whose directory entry lies ends as "damaged". Only
stored and deflated members are read; encrypted ones are refused.

JSON: the nesting depth is measured on the raw bytes before parsing (so Python's recursive
parser never meets a deep document); ``NaN``/``Infinity``, numbers that overflow a double,
integers beyond 64 bits, duplicate keys and lone surrogates are refused.

Records: ``DRILL``, ``PARTICIPANT``, ``EVENT``, ``SHEET``, ``ITEM``, ``SIGNOFF``,
``AMENDMENT``, ``TRAINEE``, ``EXAMINER`` (and ``MANIFEST``, ``ENTRY``, ``SIGNER``,
``PATIENT``) declare each record's fields and their checks once; the export writes exactly
these fields and the import refuses any other ("drill D: participants[0]: unknown field 'x'").
Ids (drills, participants, trainees, examiners, sheets, scenarios, rubrics, items) must match
``SAFE_ID``: letters, digits, ``_ . -``, starting with a letter or digit, at most 128
characters and no ``..`` — so no path separator, colon, control character or ``..`` can
reach a file name built from one. Names, staff ids, sites and roles are one line of text
(no control characters, at most 200 characters).
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable
from datetime import datetime
from itertools import accumulate
from pathlib import Path
from typing import Any, BinaryIO

from simtool.core.events import DERIVED_KINDS, INPUT_KINDS
from simtool.core.runner import VITAL_KEYS
from simtool.store import schema
from simtool.store.errors import BundleError
from simtool.store.hashing import sha256_hex

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30
MAX_BUNDLE_BYTES = 1 * GiB
MAX_MEMBERS = 100_002
MAX_MEMBER_BYTES = 64 * MiB
MAX_MANIFEST_BYTES = 16 * MiB
MAX_SIGNATURE_BYTES = 64 * KiB
MAX_TOTAL_BYTES = 4 * GiB
MAX_RATIO = 200
RATIO_FLOOR = 1 * MiB          # smaller members may compress as well as they like
MAX_DEPTH = 64
MAX_DIRECTORY_BYTES = 64 * MiB
_CHUNK = 1 * MiB

MANIFEST, SIGNATURE = "manifest.json", "signature.json"
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")
_SHA = re.compile(r"[0-9a-f]{64}")
_CODE = re.compile(r"[a-z][a-z0-9_]*")


def plain(text: str, limit: int = 80) -> str:
    """A value from a bundle for a one-line message: control characters escaped, cut short."""
    cut = text if len(text) <= limit else text[:limit] + "…"
    return "".join(c if unicodedata.category(c)[0] != "C" else repr(c)[1:-1] for c in cut)


def show(text: str, limit: int = 80) -> str:
    """``plain`` in quotes."""
    return f"'{plain(text, limit)}'"


def file_name(drill_id: str) -> str:
    return f"drills/{drill_id}.json"


# --- the zip file, with its caps ------------------------------------------------------------------
def _end_record(f: BinaryIO, size: int) -> tuple[int, int] | None:
    """(entries, directory size) from the zip's end-of-central-directory record (zip64 too);
    None when there is none (``zipfile`` then says the file is not a zip)."""
    tail_len = min(size, 22 + 0xFFFF)
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    entries = int.from_bytes(tail[at + 10:at + 12], "little")
    cd_size = int.from_bytes(tail[at + 12:at + 16], "little")
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        locator_pos = size - tail_len + at - 20
        if locator_pos >= 0:
            f.seek(locator_pos)
            locator = f.read(20)
            if locator[:4] == b"PK\x06\x07":
                f.seek(int.from_bytes(locator[8:16], "little"))
                record = f.read(56)
                if record[:4] == b"PK\x06\x06":
                    entries = int.from_bytes(record[32:40], "little")
                    cd_size = int.from_bytes(record[40:48], "little")
    return entries, cd_size


class BundleZip:
    """An open bundle file whose directory passed the caps; ``read(name)`` reads one member."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            st = os.stat(path)
        except FileNotFoundError as exc:
            raise BundleError(f"{path}: no such bundle file") from exc
        except OSError as exc:
            raise BundleError(f"{path}: cannot read the bundle ({exc.strerror or exc})") from exc
        if not stat.S_ISREG(st.st_mode):
            raise BundleError(f"{path} is not a simtool bundle (not a regular file)")
        if st.st_size > MAX_BUNDLE_BYTES:
            raise BundleError(f"{path} is too large to be a simtool bundle ({_mib(st.st_size)}; "
                              f"the limit is {_mib(MAX_BUNDLE_BYTES)})")
        try:
            self._file = open(path, "rb")  # noqa: SIM115 - closed by close()
        except OSError as exc:
            raise BundleError(f"{path}: cannot read the bundle ({exc.strerror or exc})") from exc
        try:
            end = _end_record(self._file, st.st_size)
            if end is not None and (end[0] > MAX_MEMBERS or end[1] > MAX_DIRECTORY_BYTES):
                raise BundleError(f"{path}: too many members ({end[0]:,}; the limit is "
                                  f"{MAX_MEMBERS:,}); not a simtool bundle")
            self._file.seek(0)
            try:
                self.zip = zipfile.ZipFile(self._file)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                raise BundleError(f"{path} is not a simtool bundle (not a zip file, or truncated)") from exc
            self.infos = self._check_directory(self.zip.infolist())
        except BaseException:
            self._file.close()
            raise

    def _check_directory(self, infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
        if len(infos) > MAX_MEMBERS:
            raise BundleError(f"{self.path}: too many members ({len(infos):,}; the limit is {MAX_MEMBERS:,})")
        out: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            name = info.filename
            if name in out:
                raise BundleError(f"{self.path}: the member {show(name)} appears twice; not a "
                                  f"simtool bundle")
            out[name] = info
            cap = self.cap(name)
            if info.file_size > cap:
                raise BundleError(f"{self.path}: {show(name)} is too large ({_mib(info.file_size)} "
                                  f"uncompressed; the limit is {_mib(cap)})")
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise BundleError(f"{self.path}: {show(name)} is too large for its size in the bundle "
                                  f"({_mib(info.file_size)} from {_mib(info.compress_size)}: a "
                                  f"compression ratio over {MAX_RATIO}; a zip bomb?)")
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise BundleError(f"{self.path}: too large: the members add up to more than "
                                  f"{_mib(MAX_TOTAL_BYTES)} uncompressed (at {show(name)})")
        return out

    @staticmethod
    def cap(name: str) -> int:
        return {MANIFEST: MAX_MANIFEST_BYTES, SIGNATURE: MAX_SIGNATURE_BYTES}.get(name, MAX_MEMBER_BYTES)

    def has(self, name: str) -> bool:
        return name in self.infos

    def read(self, name: str, missing: str | None = None) -> bytes:
        """The member's bytes, read in chunks and never more than its cap."""
        info = self.infos.get(name)
        if info is None:
            raise BundleError(f"{self.path}: {missing or f'{name} is listed in the manifest but missing'}")
        if info.flag_bits & 0x1:
            raise BundleError(f"{self.path}: {show(name)} is encrypted; not a simtool bundle")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise BundleError(f"{self.path}: {show(name)} uses a compression simtool does not read")
        cap = min(self.cap(name), info.file_size)
        out = bytearray()
        try:
            with self.zip.open(info) as member:
                while chunk := member.read(_CHUNK):
                    out += chunk
                    if len(out) > cap:
                        raise BundleError(f"{self.path}: {show(name)} is too large (more than "
                                          f"{_mib(cap)} when decompressed)")
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError,
                NotImplementedError, RuntimeError) as exc:
            raise BundleError(f"{self.path}: {name} is damaged ({exc}); the bundle is corrupt or "
                              f"truncated") from exc
        return bytes(out)

    def close(self) -> None:
        self.zip.close()
        self._file.close()

    def __enter__(self) -> "BundleZip":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _mib(n: int) -> str:
    return f"{n / GiB:.0f} GiB" if n >= GiB else f"{n / MiB:.1f} MiB" if n >= MiB else f"{n:,} bytes"


# --- JSON with a depth cap ----------------------------------------------------------------------
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = [0] * 256
_STEP[ord("[")] = _STEP[ord("{")] = 1
_STEP[ord("]")] = _STEP[ord("}")] = -1


def json_depth(raw: bytes) -> int:
    """How deeply arrays and objects nest in ``raw`` (brackets inside strings not counted)."""
    brackets = _STRING.sub(b"", raw).translate(None, _NOT_BRACKET)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def parse_json(raw: bytes, where: str) -> Any:
    """Parse ``raw``; ``where`` (the bundle and member) starts every refusal."""
    if json_depth(raw) > MAX_DEPTH:
        raise BundleError(f"{where} is nested too deeply (more than {MAX_DEPTH} levels of arrays "
                          f"and objects)")

    def number(text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            raise BundleError(f"{where}: the number {show(text)} is out of range")
        return value

    def integer(text: str) -> int:
        if len(text.lstrip("-")) > 18:
            raise BundleError(f"{where}: the integer {show(text)} is out of range")
        return int(text)

    def constant(text: str) -> Any:
        raise BundleError(f"{where}: {text} is not a number simtool accepts")

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) != len(items):
            seen: set[str] = set()
            twice = next(k for k, _ in items if k in seen or seen.add(k))  # type: ignore[func-returns-value]
            raise BundleError(f"{where}: the key {show(twice)} appears twice in one object")
        return out

    try:
        text = raw.decode("utf-8")
        return json.loads(text, parse_float=number, parse_int=integer, parse_constant=constant,
                          object_pairs_hook=pairs)
    except UnicodeDecodeError as exc:
        raise BundleError(f"{where} is not valid JSON (not UTF-8: {exc.reason} at byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise BundleError(f"{where} is not valid JSON ({exc})") from exc
    except RecursionError as exc:  # not reached: the depth is checked first
        raise BundleError(f"{where} is nested too deeply") from exc


# --- record checks --------------------------------------------------------------------------------
Check = Callable[[Any, str], None]


def _fail(where: str, message: str) -> BundleError:
    return BundleError(f"{where}: {message}")


def _is_text(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def text(value: Any, where: str) -> None:
    if not _is_text(value):
        raise _fail(where, "must be text" if not isinstance(value, str) else "is not valid Unicode text")


def line(value: Any, where: str) -> None:
    """One line of text: a name, staff id, site, role or version."""
    text(value, where)
    if len(value) > 200:
        raise _fail(where, "is longer than 200 characters")
    if any(unicodedata.category(c) == "Cc" for c in value):
        raise _fail(where, f"contains a control character ({show(value)})")


def ident(value: Any, where: str) -> None:
    text(value, where)
    if not SAFE_ID.fullmatch(value) or ".." in value:
        raise _fail(where, f"{show(value)} is not a valid id (letters, digits, '_', '.', '-', "
                           f"at most 128, no '/', '\\' or '..')")


def sha256(value: Any, where: str) -> None:
    if not (isinstance(value, str) and _SHA.fullmatch(value)):
        raise _fail(where, "must be a SHA-256 in hex")


def when(value: Any, where: str) -> None:
    line(value, where)
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        stamp = None
    if stamp is None or stamp.tzinfo is None:
        raise _fail(where, f"{show(value)} is not an ISO 8601 time with its time zone")


def integer(low: int = 0) -> Check:
    def check(value: Any, where: str) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value < 2 ** 63:
            raise _fail(where, f"must be a whole number of at least {low}")
    return check


def number(low: float | None = None) -> Check:
    def check(value: Any, where: str) -> None:
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value) \
                or (low is not None and value < low):
            raise _fail(where, "must be a finite number" + (f" of at least {low:g}" if low is not None else ""))
    return check


def boolean(value: Any, where: str) -> None:
    if not isinstance(value, bool):
        raise _fail(where, "must be true or false")


def choice(values: Iterable[str]) -> Check:
    allowed = tuple(values)

    def check(value: Any, where: str) -> None:
        if value not in allowed:
            shown = show(value) if isinstance(value, str) else type(value).__name__
            raise _fail(where, f"{shown} is not one of {', '.join(allowed)}")
    return check


def any_json(value: Any, where: str) -> None:
    """Any JSON value (a sheet's data, an item's evidence): strings valid, numbers finite."""
    if isinstance(value, dict):
        for k, v in value.items():
            text(k, where)
            any_json(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            any_json(v, f"{where}[{i}]")
    elif isinstance(value, str):
        text(value, where)
    elif isinstance(value, float):
        number()(value, where)
    elif not (value is None or isinstance(value, (bool, int))):
        raise _fail(where, "is not a JSON value")


Spec = dict[str, tuple[Check, bool]]  # field -> (check, required)


def record(value: Any, spec: Spec, where: str) -> dict[str, Any]:
    """Check one record against ``spec``: no unknown field, every required one, each checked.
    A null is the same as a missing field."""
    if not isinstance(value, dict):
        raise _fail(where, "must be a record (a JSON object)")
    for key in value:
        if key not in spec:
            raise _fail(where, f"unknown field {show(str(key))}")
    for key, (check, required) in spec.items():
        if value.get(key) is None:
            if required:
                raise _fail(where, f"'{key}' is missing")
            continue
        check(value[key], f"{where}: {key}")
    return value


def pick(row: dict[str, Any], spec: Spec) -> dict[str, Any]:
    """The fields of ``spec`` that ``row`` has (not null): what an export writes."""
    return {k: row[k] for k in spec if row.get(k) is not None}


def _patient(value: Any, where: str) -> None:
    text(value, where)
    record(parse_json(value.encode("utf-8"), where), PATIENT, where)


EVENT_KINDS = INPUT_KINDS + DERIVED_KINDS
VITALS_NUMBERS = ("t", *VITAL_KEYS, "blood_loss_ml", "blood_volume_ml", "shock_index")

PATIENT: Spec = {"weight_kg": (number(0), True),
                 "conditions": (lambda v, w: _list_of(v, w, line), True),
                 "variant": (line, False)}
DRILL: Spec = {
    "id": (ident, True), "scenario_id": (ident, True), "scenario_version": (line, True),
    "scenario_sha256": (sha256, True), "patient": (_patient, True),
    "evaluation_type": (choice(schema.EVALUATION_TYPES), True),
    "status": (choice(schema.STATUSES), True), "started_at": (when, True),
    "ended_at": (when, False), "site": (line, False)}
PARTICIPANT: Spec = {"id": (ident, True), "trainee_id": (ident, False), "name": (line, True),
                     "role": (line, True)}
EVENT: Spec = {"seq": (integer(0), True), "t": (number(0), True), "kind": (choice(EVENT_KINDS), True),
               "action": (line, False), "actor": (line, False), "role": (line, False),
               "dose": (number(), False), "unit": (line, False), "route": (line, False),
               "text": (text, False), "state": (line, False), "ref": (integer(0), False),
               "rule": (line, False)}
VITALS: Spec = {**{k: (number(), k == "t") for k in VITALS_NUMBERS}, "rhythm": (line, False)}
ITEM: Spec = {"item_id": (ident, True), "result": (line, False), "points": (number(), False),
              "evidence": (any_json, False)}
SHEET: Spec = {
    "id": (ident, True), "drill_id": (ident, True), "trainee_id": (ident, False),
    "rubric_id": (ident, True), "rubric_version": (line, True), "rubric_sha256": (sha256, True),
    "version": (integer(1), True), "supersedes": (ident, False), "data": (any_json, True),
    "created_at": (when, True), "created_by": (line, False), "signed_at": (when, False),
    "signed_by": (ident, False), "record_sha256": (sha256, False),
    "items": (lambda v, w: None, True)}  # checked one by one below
SIGNOFF: Spec = {"sheet_id": (ident, True), "examiner_id": (ident, True), "at": (when, True),
                 "record_sha256": (sha256, True)}
AMENDMENT: Spec = {"sheet_id": (ident, True), "new_sheet_id": (ident, True), "by": (ident, True),
                   "at": (when, True), "why": (text, True)}
TRAINEE: Spec = {"id": (ident, True), "name": (line, True), "staff_id": (line, False),
                 "department": (line, False)}
EXAMINER: Spec = {"id": (ident, True), "name": (line, True), "staff_id": (line, False)}
DOC_KEYS = ("drill", "scenario_text", "participants", "events", "vitals", "sheets",
            "rubric_texts", "signoffs", "amendments", "trainees", "examiners")

SIGNER: Spec = {"site": (line, True), "public_key": (line, True)}
ENTRY: Spec = {"id": (ident, True), "file": (line, True), "sha256": (sha256, True),
               "scenario_id": (ident, False), "events": (integer(0), False)}
MANIFEST_FIELDS: Spec = {
    "format": (line, True), "format_version": (integer(1), True), "simtool_version": (line, False),
    "created": (when, False), "anonymized": (boolean, False), "drills": (lambda v, w: None, True),
    "signer": (lambda v, w: record(v, SIGNER, w), False)}
SIGNATURE_FIELDS: Spec = {"algorithm": (choice(("Ed25519",)), True), "signature": (line, True)}


def _list_of(value: Any, where: str, check: Check) -> list[Any]:
    if not isinstance(value, list):
        raise _fail(where, "must be a list")
    for i, v in enumerate(value):
        check(v, f"{where}[{i}]")
    return value


def _unique(values: Iterable[Any], where: str, what: str) -> set[Any]:
    seen: set[Any] = set()
    for v in values:
        if v in seen:
            raise _fail(where, f"{what} {show(str(v))} appears twice")
        seen.add(v)
    return seen


def check_manifest_entries(entries: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(entries, list):
        raise _fail(where, "has no list of drills")
    for i, entry in enumerate(entries):
        record(entry, ENTRY, f"{where}: drills[{i}]")
        if entry["file"] != file_name(entry["id"]):
            raise _fail(where, f"drills[{i}]: file must be {file_name(entry['id'])}")
    _unique((e["id"] for e in entries), where, "drill")
    return entries


def check_doc(doc: Any, where: str, drill_id: str) -> dict[str, Any]:
    """Every record of one drill file against the fields this simtool knows, and the
    references between them; ``where`` is "<bundle>: drill <id>"."""
    if not isinstance(doc, dict):
        raise _fail(where, "not a drill record")
    for key in doc:
        if key not in DOC_KEYS:
            raise _fail(where, f"unknown field {show(str(key))}")
    for key in DOC_KEYS:
        if key not in doc:
            raise _fail(where, f"'{key}' is missing")
    drill = record(doc["drill"], DRILL, f"{where}: drill")
    if drill["id"] != drill_id:
        raise _fail(where, f"the file holds drill {show(drill['id'])}, the manifest says {drill_id}")
    text(doc["scenario_text"], f"{where}: scenario_text")
    if sha256_hex(doc["scenario_text"]) != drill["scenario_sha256"]:
        raise _fail(where, "its scenario text does not match its hash")
    texts = doc["rubric_texts"]
    if not isinstance(texts, dict):
        raise _fail(where, "rubric_texts must be a record")
    for sha, rubric in texts.items():
        sha256(sha, f"{where}: rubric_texts")
        text(rubric, f"{where}: rubric_texts.{sha[:12]}")
        if sha256_hex(rubric) != sha:
            raise _fail(where, f"rubric text {sha[:12]} does not match its hash")
    lists: dict[str, list[dict[str, Any]]] = {}
    for key, spec in (("participants", PARTICIPANT), ("events", EVENT), ("vitals", VITALS),
                      ("sheets", SHEET), ("signoffs", SIGNOFF), ("amendments", AMENDMENT),
                      ("trainees", TRAINEE), ("examiners", EXAMINER)):
        rows = doc[key]
        if not isinstance(rows, list):
            raise _fail(where, f"'{key}' must be a list of records")
        lists[key] = [record(r, spec, f"{where}: {key}[{i}]") for i, r in enumerate(rows)]
    trainees = _unique((t["id"] for t in lists["trainees"]), where, "trainee")
    examiners = _unique((e["id"] for e in lists["examiners"]), where, "examiner")
    _unique((p["id"] for p in lists["participants"]), where, "participant")
    _unique((e["seq"] for e in lists["events"]), where, "event")
    _unique((float(v["t"]) for v in lists["vitals"]), where, "vitals time")
    sheet_ids = _unique((s["id"] for s in lists["sheets"]), where, "score sheet")

    def known(value: Any, pool: set[Any], at: str, what: str) -> None:
        if value is not None and value not in pool:
            raise _fail(where, f"{at}: {what} {show(str(value))} is not in the bundle")

    for i, p in enumerate(lists["participants"]):
        known(p.get("trainee_id"), trainees, f"participants[{i}]", "trainee")
    for i, s in enumerate(lists["sheets"]):
        at = f"sheets[{i}]"
        if s["drill_id"] != drill_id:
            raise _fail(where, f"{at}: belongs to another drill")
        known(s.get("trainee_id"), trainees, at, "trainee")
        known(s.get("signed_by"), examiners, at, "examiner")
        known(s.get("supersedes"), sheet_ids, at, "score sheet")
        known(s["rubric_sha256"], set(texts), at, "rubric text")
        if (s.get("signed_at") is None) != (s.get("signed_by") is None):
            raise _fail(where, f"{at}: signed_at and signed_by go together")
        items = _list_of(s["items"], f"{where}: {at}: items", lambda v, w: record(v, ITEM, w))
        _unique((it["item_id"] for it in items), f"{where}: {at}", "item")
    for i, so in enumerate(lists["signoffs"]):
        known(so["sheet_id"], sheet_ids, f"signoffs[{i}]", "score sheet")
        known(so["examiner_id"], examiners, f"signoffs[{i}]", "examiner")
    for i, a in enumerate(lists["amendments"]):
        known(a["sheet_id"], sheet_ids, f"amendments[{i}]", "score sheet")
        known(a["new_sheet_id"], sheet_ids, f"amendments[{i}]", "score sheet")
        known(a["by"], examiners, f"amendments[{i}]", "examiner")
    return doc
