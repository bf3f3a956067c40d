"""Every record of a bundle checked against the fields this simtool knows, before any SQL.

``DRILL``, ``PARTICIPANT``, ``EVENT``, ``VITALS``, ``SHEET``, ``ITEM``, ``SIGNOFF``,
``AMENDMENT``, ``TRAINEE``, ``EXAMINER`` (and ``MANIFEST_FIELDS``, ``ENTRY``, ``SIGNER``,
``PATIENT``) declare each record's fields and their checks once; the export writes exactly
these fields (``pick``) and the import refuses any other ("<bundle>: drill D: participants[0]:
unknown field 'x'"). Strings must be valid Unicode (no lone surrogates), numbers finite
(integers within 64 bits), times ISO 8601 with a zone, hashes SHA-256 hex, statuses and event
kinds ones this simtool knows, and the references between records (trainees, examiners, sheets, rubric texts) must
resolve inside the drill file; the scenario and rubric texts must match their hashes.

Ids (drills, participants, trainees, examiners, sheets, scenarios, rubrics, items) must match
``SAFE_ID``: letters, digits, ``_ . -``, starting with a letter or digit, at most 128
characters and no ``..`` — so no path separator, colon, control character or ``..`` can
reach a file name or a ``verify`` record id built from one. (The app makes participant ids
``p1``, ``p2``; scripts may use any such id.) Names, staff ids, sites, roles and versions are
one line of text: no control characters, at most 200 characters.

Real cases (``cases.json``, bundle format 4: ``CASE``, ``CASE_WITHDRAWAL``, ``check_cases``)
hold no names by rule: a timeline entry is a time, an action or forced state id, a dose, unit,
route and role id, nothing else; a case reference must be anonymous (``case_ref``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from simtool.core.events import DERIVED_KINDS, INPUT_KINDS
from simtool.core.limits import (MAX_DOSE, MAX_DURATION_S, MAX_FILE_ENTRIES, MAX_NAME_CHARS,
                                 MAX_REASON_CHARS, MAX_SCRIPT_ACTIONS, MAX_WEIGHT_KG,
                                 MIN_WEIGHT_KG)
from simtool.core.logbookcsv import case_ref_problem
from simtool.core.runner import VITAL_KEYS
from simtool.store import schema
from simtool.store.bundlezip import parse_json, show
from simtool.store.errors import BundleError
from simtool.store.hashing import sha256_hex

SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")
_SHA = re.compile(r"[0-9a-f]{64}")


def file_name(drill_id: str) -> str:
    return f"drills/{drill_id}.json"


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
    if len(value) > MAX_NAME_CHARS:
        raise _fail(where, f"is longer than {MAX_NAME_CHARS} characters")
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


def _finite(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -2 ** 63 <= value < 2 ** 63
    return isinstance(value, float) and math.isfinite(value)


def number(low: float | None = None) -> Check:
    def check(value: Any, where: str) -> None:
        if not _finite(value) or (low is not None and value < low):
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
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        number()(value, where)
    elif not (value is None or isinstance(value, bool)):
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


def _flag_values(value: Any, where: str) -> None:
    """A flag's numbers and ids: at most 32 named scalars (finite numbers or one-line texts)
    or short lists of them."""
    if not isinstance(value, dict):
        raise _fail(where, "must be a record (a JSON object)")
    if len(value) > 32:
        raise _fail(where, f"has {len(value)} values; a flag has at most 32")
    for k, v in value.items():
        if not (isinstance(k, str) and _VALUE_NAME.fullmatch(k)):
            raise _fail(where, f"{show(str(k))} is not a value name (a-z, 0-9, '_')")
        items = v if isinstance(v, list) else [v]
        if len(items) > 64:
            raise _fail(f"{where}.{k}", "is a list longer than 64")
        for x in items:
            if isinstance(x, str):
                line(x, f"{where}.{k}")
            elif not _finite(x):
                raise _fail(f"{where}.{k}", "must be a finite number, a line of text or a list of them")


_VALUE_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
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
    "ended_at": (when, False), "site": (line, False), "department": (line, False)}
PARTICIPANT: Spec = {"id": (ident, True), "trainee_id": (ident, False), "name": (line, True),
                     "role": (line, True)}
EVENT: Spec = {"seq": (integer(0), True), "t": (number(0), True), "kind": (choice(EVENT_KINDS), True),
               "action": (line, False), "actor": (line, False), "role": (line, False),
               "dose": (number(), False), "unit": (line, False), "route": (line, False),
               "text": (text, False), "state": (line, False), "ref": (integer(0), False),
               "rule": (line, False), "values": (_flag_values, False),
               "iid": (integer(1), False), "wall": (when, False), "target": (integer(1), False)}
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
_DETAILS: Spec = {"department": (line, False), "profession": (line, False),
                  "grade": (line, False), "site": (line, False)}
TRAINEE: Spec = {"id": (ident, True), "name": (line, True), "staff_id": (line, False), **_DETAILS}
EXAMINER: Spec = {"id": (ident, True), "name": (line, True), "staff_id": (line, False), **_DETAILS}
DOC_KEYS = ("drill", "scenario_text", "participants", "events", "vitals", "sheets",
            "rubric_texts", "signoffs", "amendments", "trainees", "examiners")

SIGNER: Spec = {"site": (line, True), "public_key": (line, True)}
ENTRY: Spec = {"id": (ident, True), "file": (line, True), "sha256": (sha256, True),
               "scenario_id": (ident, False), "events": (integer(0), False)}
MANIFEST_FIELDS: Spec = {
    "format": (line, True), "format_version": (integer(1), True), "simtool_version": (line, False),
    "created": (when, False), "anonymized": (boolean, False), "drills": (lambda v, w: None, True),
    "signer": (lambda v, w: record(v, SIGNER, w), False),
    "logbook": (lambda v, w: record(v, LOGBOOK_MANIFEST, w), False),   # from bundle format 2
    "media": (lambda v, w: record(v, MEDIA_MANIFEST, w), False),       # from bundle format 3
    "cases": (lambda v, w: record(v, CASES_MANIFEST, w), False)}       # from bundle format 4
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


# --- the logbook (issue 20): logbook.json, the entries of the bundle's people ---------------------
LOGBOOK_FILE = "logbook.json"
LOGBOOK_LEVELS = schema.LOGBOOK_LEVELS


def _day(value: Any, where: str) -> None:
    line(value, where)
    try:
        ok = datetime.fromisoformat(value).date().isoformat() == value
    except ValueError:
        ok = False
    if not ok:
        raise _fail(where, f"{show(value)} is not a date written YYYY-MM-DD")


def _reason_text(value: Any, where: str) -> None:
    text(value, where)
    if len(value) > MAX_REASON_CHARS:
        raise _fail(where, f"is longer than {MAX_REASON_CHARS} characters")
    if any(unicodedata.category(c) == "Cc" for c in value):
        raise _fail(where, f"contains a control character ({show(value)})")


LOGBOOK_MANIFEST: Spec = {"file": (choice((LOGBOOK_FILE,)), True), "sha256": (sha256, True),
                          "entries": (integer(0), False), "exams": (integer(0), False)}
# ``source_id``: the entry's id in the archive it comes from (its countersignature hashed it)
LOGBOOK_ENTRY: Spec = {
    "uid": (ident, True), "source_id": (integer(1), True), "trainee_id": (ident, True),
    "date": (_day, True), "procedure": (ident, True), "level": (choice(LOGBOOK_LEVELS), True),
    "supervisor": (line, True), "site": (line, False), "case_ref": (line, True),
    "complications": (_reason_text, False), "at": (when, True), "by": (line, False)}
LOGBOOK_SIGNATURE: Spec = {
    "entry_uid": (ident, True), "signer_table": (choice(("trainees", "examiners")), True),
    "signer_id": (ident, True), "at": (when, True), "entry_sha256": (sha256, True)}
LOGBOOK_CHANGE: Spec = {
    "entry_uid": (ident, True), "kind": (choice(("correct", "withdraw")), True),
    "new_entry_uid": (ident, False), "reason": (_reason_text, True), "at": (when, True),
    "by": (line, False)}
EXAM: Spec = {
    "uid": (ident, True), "trainee_id": (ident, True), "programme": (ident, True),
    "exam": (ident, True), "date": (_day, True), "result": (choice(("pass", "fail")), True),
    "examiner": (line, False), "at": (when, True), "by": (line, False)}
LOGBOOK_KEYS = ("trainees", "examiners", "entries", "signatures", "changes", "exams")


def check_logbook(doc: Any, where: str) -> dict[str, Any]:
    """Every record of ``logbook.json`` and the references between them: each entry and exam
    result of a trainee in the file, each countersignature and change of an entry in it (at
    most one each, never both: only a pending entry changes), a signer in the file."""
    if not isinstance(doc, dict):
        raise _fail(where, "not a logbook record")
    for key in doc:
        if key not in LOGBOOK_KEYS:
            raise _fail(where, f"unknown field {show(str(key))}")
    lists: dict[str, list[dict[str, Any]]] = {}
    for key, spec in (("trainees", TRAINEE), ("examiners", EXAMINER), ("entries", LOGBOOK_ENTRY),
                      ("signatures", LOGBOOK_SIGNATURE), ("changes", LOGBOOK_CHANGE),
                      ("exams", EXAM)):
        if key not in doc:
            raise _fail(where, f"'{key}' is missing")
        rows = doc[key]
        if not isinstance(rows, list):
            raise _fail(where, f"'{key}' must be a list of records")
        lists[key] = [record(r, spec, f"{where}: {key}[{i}]") for i, r in enumerate(rows)]
    people = {"trainees": _unique((t["id"] for t in lists["trainees"]), where, "trainee"),
              "examiners": _unique((e["id"] for e in lists["examiners"]), where, "examiner")}
    entries = _unique((e["uid"] for e in lists["entries"]), where, "logbook entry")
    _unique((e["uid"] for e in lists["exams"]), where, "exam result")

    def known(value: Any, pool: set[Any], at: str, what: str) -> None:
        if value is not None and value not in pool:
            raise _fail(where, f"{at}: {what} {show(str(value))} is not in the bundle")

    for i, e in enumerate(lists["entries"]):
        known(e["trainee_id"], people["trainees"], f"entries[{i}]", "trainee")
    for i, x in enumerate(lists["exams"]):
        known(x["trainee_id"], people["trainees"], f"exams[{i}]", "trainee")
    signed = _unique((s["entry_uid"] for s in lists["signatures"]), where, "countersigned entry")
    for i, s in enumerate(lists["signatures"]):
        known(s["entry_uid"], entries, f"signatures[{i}]", "logbook entry")
        known(s["signer_id"], people[s["signer_table"]], f"signatures[{i}]", s["signer_table"][:-1])
    changed = _unique((c["entry_uid"] for c in lists["changes"]), where, "changed entry")
    _unique((c["new_entry_uid"] for c in lists["changes"] if c.get("new_entry_uid")), where,
            "correcting entry")
    for i, c in enumerate(lists["changes"]):
        at = f"changes[{i}]"
        known(c["entry_uid"], entries, at, "logbook entry")
        known(c.get("new_entry_uid"), entries, at, "logbook entry")
        if (c["kind"] == "correct") != (c.get("new_entry_uid") is not None):
            raise _fail(where, f"{at}: a correction names the entry that supersedes it, a "
                               f"withdrawal none")
        if c.get("new_entry_uid") == c["entry_uid"]:
            raise _fail(where, f"{at}: an entry cannot supersede itself")
    both = signed & changed
    if both:
        raise _fail(where, f"logbook entry {show(sorted(both)[0])} is both countersigned and "
                           f"corrected or withdrawn; a signed entry never changes")
    return doc


# --- videos (issue 23): media.json, the video rows of the bundle's drills -------------------------
MEDIA_FILE = "media.json"
_VIDEO_NAME = re.compile(r"[0-9a-f]{64}\.[a-z0-9]{1,8}")


def media_member(file: str) -> str:
    """The zip member that carries the kept file ``file``."""
    return f"media/{file}"


def _video_name(value: Any, where: str) -> None:
    if not (isinstance(value, str) and _VIDEO_NAME.fullmatch(value)):
        raise _fail(where, f"{show(str(value))} is not a video file name simtool keeps "
                           f"(its SHA-256 and an extension)")


MEDIA_MANIFEST: Spec = {"file": (choice((MEDIA_FILE,)), True), "sha256": (sha256, True),
                        "videos": (integer(0), False), "files_included": (boolean, True),
                        "left_out": (line, False)}
VIDEO: Spec = {
    "drill_id": (ident, True), "file": (_video_name, True), "sha256": (sha256, True),
    "size": (integer(1), True), "original_name": (line, True), "offset_s": (number(), True),
    "duration_s": (number(0), True), "label": (line, False), "codec": (line, False),
    "width": (integer(0), False), "height": (integer(0), False), "at": (when, True),
    "by": (line, False)}


def check_media(doc: Any, where: str, drills: set[str]) -> dict[str, Any]:
    """Every video row of ``media.json``: of a drill in the bundle, its file named by its own
    SHA-256 (so a member name is never a path), at most once each."""
    if not isinstance(doc, dict) or set(doc) != {"videos"}:
        raise _fail(where, "not a list of videos ({'videos': [...]})")
    rows = _list_of(doc["videos"], f"{where}: videos", lambda v, w: record(v, VIDEO, w))
    seen: set[tuple[Any, ...]] = set()
    for i, r in enumerate(rows):
        at = f"{where}: videos[{i}]"
        if r["drill_id"] not in drills:
            raise _fail(at, f"drill {show(r['drill_id'])} is not in the bundle")
        if r["file"].split(".")[0] != r["sha256"]:
            raise _fail(at, "its file name is not its SHA-256")
        key = (r["drill_id"], r["sha256"], r["offset_s"], r["at"])
        if key in seen:
            raise _fail(at, "the same video appears twice")
        seen.add(key)
    sizes: dict[str, int] = {}
    for r in rows:
        if sizes.setdefault(r["file"], r["size"]) != r["size"]:
            raise _fail(where, f"the video {r['file'][:12]} is given two sizes")
    return doc


# --- real cases (format 4): cases.json, the real cases of the sites exported ----------------------
CASES_FILE = "cases.json"
# the references simtool writes itself, which ``case_ref_problem`` (for references people type)
# would take for a record number: ``RC-YYYYMMDD-N`` made for a case entered without one
# (``store.cases.next_case_ref``), ``CASE-<10 hex>`` an anonymised bundle's pseudonym of one
# (``anonymize.case_pseudonym``), and "<ref> (<8 hex>)" a case kept under another reference
# because the receiving archive had that one for another case (``renamed_ref``)
_MADE_REF = re.compile(r"RC-(\d{4})(\d{2})(\d{2})-\d{1,6}")
_ANON_REF = re.compile(r"CASE-[0-9A-F]{10}")
_RENAMED_REF = re.compile(r"(.+) \(([0-9a-f]{8})\)")


def renamed_ref(case_ref: str, uid: str) -> str:
    """The reference a case is kept under where ``case_ref`` is another case's: the same, with
    a short code made of its uid (the same in every archive)."""
    return f"{case_ref} ({sha256_hex('case-uid:' + uid)[:8]})"


def _made_ref(value: str) -> bool:
    m = _MADE_REF.fullmatch(value)
    if m is None:
        return _ANON_REF.fullmatch(value) is not None
    try:
        datetime(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return False
    return True


def case_ref(value: Any, where: str) -> None:
    """An anonymous case reference: one simtool made, or one that passes the rule a typed one
    must (``core.logbookcsv.case_ref_problem``: no name, no identity card, phone or record
    number, no e-mail, no markup, at most 40 characters)."""
    line(value, where)
    m = _RENAMED_REF.fullmatch(value)
    base = m[1] if m else value
    if _made_ref(base):
        return
    problem = case_ref_problem(base)
    if problem:
        raise _fail(where, f"{show(value)}: {problem}")


def _seconds(value: Any, where: str) -> None:
    if not _finite(value) or not 0 <= value <= MAX_DURATION_S:
        raise _fail(where, f"must be a finite number of seconds from 0 to {MAX_DURATION_S:,}")


def _duration(value: Any, where: str) -> None:
    if not _finite(value) or not 0 < value <= MAX_DURATION_S:
        raise _fail(where, f"must be a finite number of seconds above 0, at most {MAX_DURATION_S:,}")


def _weight(value: Any, where: str) -> None:
    if not _finite(value) or not MIN_WEIGHT_KG <= value <= MAX_WEIGHT_KG:
        raise _fail(where, f"must be a weight from {MIN_WEIGHT_KG:g} to {MAX_WEIGHT_KG:g} kg")


def _dose(value: Any, where: str) -> None:
    if not _finite(value) or not -MAX_DOSE <= value <= MAX_DOSE:
        raise _fail(where, f"must be a finite dose of at most {MAX_DOSE:,.0f}")


# one entry of a case's timeline (``app.cases.anonymous_timeline``): an action with the role
# that did it, or a forced state; no names, no free text
TIMELINE_ACTION: Spec = {"t": (_seconds, True), "action": (ident, True), "dose": (_dose, False),
                         "unit": (line, False), "route": (line, False), "by": (ident, False)}
TIMELINE_FORCE: Spec = {"t": (_seconds, True), "force": (ident, True)}
CASE_INDICATOR: Spec = {"id": (ident, True), "seconds": (number(), False),
                        "target_s": (number(), True), "met": (boolean, False)}
CASE: Spec = {
    "uid": (ident, True), "case_ref": (case_ref, True), "scenario_id": (ident, True),
    "scenario_version": (line, True), "scenario_sha256": (sha256, True), "date": (_day, True),
    "site": (line, False), "department": (line, False), "duration_s": (_duration, True),
    "weight_kg": (_weight, True), "timeline": (lambda v, w: None, True),   # checked below
    "indicators": (lambda v, w: None, True), "at": (when, True), "by": (line, False)}
CASE_WITHDRAWAL: Spec = {"case_uid": (ident, True), "reason": (_reason_text, True),
                         "at": (when, True), "by": (line, False)}
CASES_MANIFEST: Spec = {"file": (choice((CASES_FILE,)), True), "sha256": (sha256, True),
                        "cases": (integer(0), False), "withdrawals": (integer(0), False)}
CASES_KEYS = ("scenario_texts", "cases", "withdrawals")


def _timeline(value: Any, where: str) -> None:
    if not isinstance(value, list):
        raise _fail(where, "must be a list")
    counts = {"action": 0, "force": 0}
    for i, entry in enumerate(value):
        at = f"{where}[{i}]"
        kind = "force" if isinstance(entry, dict) and "force" in entry else "action"
        record(entry, TIMELINE_FORCE if kind == "force" else TIMELINE_ACTION, at)
        counts[kind] += 1
        if counts[kind] > MAX_SCRIPT_ACTIONS:
            raise _fail(where, f"has more than {MAX_SCRIPT_ACTIONS:,} {kind}s (simtool's limit)")
    if not counts["action"]:
        raise _fail(where, "has no actions; a case is the actions taken, with their times")


def check_cases(doc: Any, where: str) -> dict[str, Any]:
    """Every record of ``cases.json``: each case against ``CASE`` (its timeline entry by entry,
    its indicator results), its scenario text present and matching its hash, each uid and
    case reference once, each withdrawal of a case in the file, at most one per case."""
    if not isinstance(doc, dict):
        raise _fail(where, "not a record of real cases")
    for key in doc:
        if key not in CASES_KEYS:
            raise _fail(where, f"unknown field {show(str(key))}")
    for key in CASES_KEYS:
        if key not in doc:
            raise _fail(where, f"'{key}' is missing")
    texts = doc["scenario_texts"]
    if not isinstance(texts, dict):
        raise _fail(where, "scenario_texts must be a record")
    for sha, scenario in texts.items():
        sha256(sha, f"{where}: scenario_texts")
        text(scenario, f"{where}: scenario_texts.{sha[:12]}")
        if sha256_hex(scenario) != sha:
            raise _fail(where, f"scenario text {sha[:12]} does not match its hash")
    rows = _list_of(doc["cases"], f"{where}: cases", lambda v, w: record(v, CASE, w))
    for i, c in enumerate(rows):
        at = f"{where}: cases[{i}]"
        _timeline(c["timeline"], f"{at}: timeline")
        found = _list_of(c["indicators"], f"{at}: indicators",
                         lambda v, w: record(v, CASE_INDICATOR, w))
        if len(found) > MAX_FILE_ENTRIES:
            raise _fail(at, f"has {len(found):,} indicator results; a scenario has at most "
                            f"{MAX_FILE_ENTRIES}")
        _unique((r["id"] for r in found), at, "indicator")
        if c["scenario_sha256"] not in texts:
            raise _fail(at, f"scenario text {c['scenario_sha256'][:12]} is not in the bundle")
    uids = _unique((c["uid"] for c in rows), where, "real case")
    _unique((c["case_ref"] for c in rows), where, "case reference")
    gone = _list_of(doc["withdrawals"], f"{where}: withdrawals",
                    lambda v, w: record(v, CASE_WITHDRAWAL, w))
    for i, w in enumerate(gone):
        if w["case_uid"] not in uids:
            raise _fail(where, f"withdrawals[{i}]: real case {show(w['case_uid'])} is not in the bundle")
    _unique((w["case_uid"] for w in gone), where, "withdrawn case")
    return doc
