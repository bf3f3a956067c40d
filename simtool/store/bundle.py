"""Bundles: drills moved between archives (an examiner's laptop → the department archive).

A bundle is one zip file::

    manifest.json        {"format": "simtool-bundle", "format_version": 1, "simtool_version",
                          "created", "anonymized", "drills": [{"id", "file", "sha256", ...}]}
    drills/<id>.json     one drill: its row, scenario text, participants, trainees, examiners,
                         events, vitals, score sheets with items and rubric texts, sign-offs,
                         amendments — canonical JSON; "sha256" in the manifest is of these bytes

``export_bundle(archive, drill_ids, path, anonymize=False)`` writes it atomically (temporary
file, then rename). ``anonymize`` replaces trainee names and staff ids — and the names of
participants — with stable pseudonyms: HMAC-SHA256 of the staff id under a secret kept in the
archive, e.g. "Trainee 4F2A9C", the same in every bundle from that archive. Trainee ids are
random and kept, so signed score sheets stay verifiable. Free text the team typed (notes,
sheet data) is not rewritten.

``import_bundle(archive, path) -> ImportReport`` reads and checks the whole file first — not a
zip, truncated, no manifest, a newer format or a hash that does not match raise
``BundleError`` and the archive is not touched — then imports in one transaction. A drill
already present with the same content is skipped (importing twice = once); one with the same id
and different content is refused with the reason, never overwritten; so is a drill whose signed
sheets do not match their record hashes. Trainees and examiners already present are kept as
they are (a difference is noted in the report).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sqlite3
import zipfile
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simtool import __version__
from simtool.store import schema
from simtool.store.errors import ArchiveError, BundleError, NotFoundError
from simtool.store.hashing import (canonical_json, record_dict, row_sha256, sha256_hex,
                                   sheet_record_sha256)
from simtool.store.records import SheetItem

if TYPE_CHECKING:
    from simtool.store.archive import Archive

FORMAT, FORMAT_VERSION = "simtool-bundle", 1
_LOCAL = ("owner_host", "owner_pid", "owner_start", "updated_at", "audit_seq")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same drills give the same bytes


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    already_present: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)   # (drill id, reason)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["refused"] = [{"id": i, "reason": r} for i, r in self.refused]
        return out


# --- export ------------------------------------------------------------------------------------
def drill_document(archive: "Archive", drill_id: str) -> dict[str, Any]:
    """Everything about one drill as plain JSON values (what a bundle carries)."""
    q = archive.db.query
    row = archive._one("SELECT * FROM drills WHERE id = ?", drill_id)
    if row is None:
        raise NotFoundError(f"no drill {drill_id} in the archive {archive.path}")
    people = [record_dict(p, skip=("drill_id",)) for p in
              q("SELECT * FROM participants WHERE drill_id = ? ORDER BY id", [drill_id])]
    sheets = []
    for s in q("SELECT * FROM score_sheets WHERE drill_id = ? ORDER BY version, id", [drill_id]):
        sheet = record_dict(s)
        sheet["data"] = json.loads(s["data"])
        sheet["items"] = [{**record_dict(i, skip=("sheet_id", "evidence")),
                           **({"evidence": json.loads(i["evidence"])} if i["evidence"] else {})}
                          for i in q("SELECT * FROM sheet_items WHERE sheet_id = ? ORDER BY item_id", [s["id"]])]
        sheets.append(sheet)
    sheet_ids = [s["id"] for s in sheets]
    marks = ", ".join("?" * len(sheet_ids))
    signoffs = [record_dict(r, skip=("id", "audit_seq")) for r in
                q(f"SELECT * FROM signoffs WHERE sheet_id IN ({marks}) ORDER BY at, sheet_id", sheet_ids)]
    amendments = [record_dict(r, skip=("id", "audit_seq")) for r in
                  q(f"SELECT * FROM amendments WHERE sheet_id IN ({marks}) ORDER BY at, sheet_id", sheet_ids)]
    trainee_ids = sorted({p["trainee_id"] for p in people if "trainee_id" in p} |
                         {s["trainee_id"] for s in sheets if "trainee_id" in s})
    examiner_ids = sorted({s["signed_by"] for s in sheets if "signed_by" in s} |
                          {a["by"] for a in amendments} | {o["examiner_id"] for o in signoffs})
    return {
        "drill": record_dict(row, skip=_LOCAL),
        "scenario_text": archive.scenario_text(drill_id),
        "participants": people,
        "events": [e.to_dict() for e in archive.events(drill_id)],
        "vitals": archive.vitals(drill_id),
        "sheets": sheets,
        "rubric_texts": {s["rubric_sha256"]: archive.rubric_text(s["id"]) for s in sheets},
        "signoffs": signoffs,
        "amendments": amendments,
        "trainees": [record_dict(r) for r in _by_ids(archive, "trainees", trainee_ids)],
        "examiners": [record_dict(r) for r in _by_ids(archive, "examiners", examiner_ids)],
    }


def _by_ids(archive: "Archive", table: str, ids: list[str]) -> list[dict[str, Any]]:
    marks = ", ".join("?" * len(ids))
    return list(archive.db.query(f"SELECT * FROM {table} WHERE id IN ({marks}) ORDER BY id", ids))


def _content(doc: dict[str, Any]) -> str:
    """What must match for a drill to count as already present (people are kept apart)."""
    return canonical_json({k: v for k, v in doc.items() if k not in ("trainees", "examiners")})


def pseudonym(secret: str, key: str) -> str:
    return hmac.new(bytes.fromhex(secret), key.encode("utf-8"), hashlib.sha256).hexdigest().upper()


def _anonymize(doc: dict[str, Any], secret: str) -> dict[str, Any]:
    names: dict[str, str] = {}
    for t in doc["trainees"]:
        code = pseudonym(secret, f"staff:{t['staff_id']}" if t.get("staff_id") else f"id:{t['id']}")
        t["name"] = names[t["id"]] = f"Trainee {code[:6]}"
        if t.get("staff_id"):
            t["staff_id"] = f"ANON-{code[:12]}"
    for p in doc["participants"]:
        p["name"] = names.get(p.get("trainee_id", ""),
                              f"Participant {pseudonym(secret, 'name:' + p['name'])[:6]}")
    return doc


def export_bundle(archive: "Archive", drill_ids: list[str], path: str | Path,
                  anonymize: bool = False) -> dict[str, Any]:
    """Write the drills to one bundle file at ``path``; returns the manifest."""
    target = Path(path)
    docs = [drill_document(archive, d) for d in dict.fromkeys(drill_ids)]
    if anonymize:
        secret = archive._one("SELECT value FROM meta WHERE key = 'pseudonym_secret'")
        docs = [_anonymize(d, secret["value"] if secret else "") for d in docs]
    files, entries = [], []
    for doc in docs:
        raw = canonical_json(doc).encode("utf-8")
        name = f"drills/{doc['drill']['id']}.json"
        files.append((name, raw))
        entries.append({"id": doc["drill"]["id"], "file": name, "sha256": hashlib.sha256(raw).hexdigest(),
                        "scenario_id": doc["drill"]["scenario_id"], "events": len(doc["events"])})
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "simtool_version": __version__,
                "created": archive._now(), "anonymized": anonymize, "drills": entries}
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, raw in [("manifest.json", json.dumps(manifest, indent=1).encode())] + files:
                zf.writestr(zipfile.ZipInfo(name, _ZIP_TIME), raw, zipfile.ZIP_DEFLATED)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BundleError(f"cannot write the bundle {target}: {exc.strerror or exc}") from exc
    return manifest


# --- import ------------------------------------------------------------------------------------
def read_bundle(path: str | Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The manifest and every drill document, checked against the manifest's hashes."""
    p = Path(path)
    try:
        zf = zipfile.ZipFile(p)
    except FileNotFoundError as exc:
        raise BundleError(f"{p}: no such bundle file") from exc
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BundleError(f"{p} is not a simtool bundle (not a zip file, or truncated)") from exc
    with zf:
        manifest = _read_json(zf, p, "manifest.json", missing="no manifest.json; not a simtool bundle")
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BundleError(f"{p} is not a simtool bundle (its manifest is not a simtool manifest)")
        version = manifest.get("format_version")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise BundleError(f"{p} was made by a newer simtool (bundle format {version}); this "
                              f"simtool reads up to {FORMAT_VERSION}")
        entries = manifest.get("drills")
        if not isinstance(entries, list):
            raise BundleError(f"{p}: manifest.json has no list of drills")
        docs = []
        for i, entry in enumerate(entries):
            if not (isinstance(entry, dict) and all(isinstance(entry.get(k), str) for k in ("id", "file", "sha256"))):
                raise BundleError(f"{p}: manifest.json: drills[{i}] needs id, file and sha256")
            raw = _read(zf, p, entry["file"])
            if hashlib.sha256(raw).hexdigest() != entry["sha256"]:
                raise BundleError(f"{p}: {entry['file']} does not match its hash in the manifest "
                                  f"(damaged or altered)")
            doc = _parse(raw, p, entry["file"])
            _check_doc(doc, p, entry)
            docs.append(doc)
    return manifest, docs


def _read(zf: zipfile.ZipFile, p: Path, name: str) -> bytes:
    try:
        return zf.read(name)
    except KeyError as exc:
        raise BundleError(f"{p}: {name} is listed in the manifest but missing") from exc
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise BundleError(f"{p}: {name} is damaged ({exc}); the bundle is corrupt or truncated") from exc


def _parse(raw: bytes, p: Path, name: str) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError(f"{p}: {name} is not valid JSON ({exc})") from exc


def _read_json(zf: zipfile.ZipFile, p: Path, name: str, missing: str) -> Any:
    if name not in zf.namelist():
        raise BundleError(f"{p}: {missing}")
    return _parse(_read(zf, p, name), p, name)


_DOC_LISTS = ("participants", "events", "vitals", "sheets", "signoffs", "amendments", "trainees", "examiners")


def _check_doc(doc: Any, p: Path, entry: dict[str, Any]) -> None:
    where = f"{p}: {entry['file']}"
    if not isinstance(doc, dict) or not isinstance(doc.get("drill"), dict):
        raise BundleError(f"{where}: not a drill record")
    for key in _DOC_LISTS:
        if not isinstance(doc.get(key), list) or not all(isinstance(x, dict) for x in doc[key]):
            raise BundleError(f"{where}: '{key}' must be a list of records")
    if not isinstance(doc.get("scenario_text"), str) or not isinstance(doc.get("rubric_texts"), dict):
        raise BundleError(f"{where}: scenario or rubric texts missing")
    drill = doc["drill"]
    for key in ("id", "scenario_id", "scenario_version", "scenario_sha256", "patient",
                "evaluation_type", "status", "started_at"):
        if not isinstance(drill.get(key), str):
            raise BundleError(f"{where}: drill.{key} is missing or not text")
    if drill["id"] != entry["id"]:
        raise BundleError(f"{where}: holds drill {drill['id']}, the manifest says {entry['id']}")
    for i, ev in enumerate(doc["events"]):
        if not (isinstance(ev.get("seq"), int) and isinstance(ev.get("t"), (int, float))
                and isinstance(ev.get("kind"), str)):
            raise BundleError(f"{where}: events[{i}] needs seq, t and kind")
    for i, v in enumerate(doc["vitals"]):
        if not isinstance(v.get("t"), (int, float)):
            raise BundleError(f"{where}: vitals[{i}] needs t")


def import_bundle(archive: "Archive", path: str | Path) -> ImportReport:
    """Import a bundle (all checks first; one transaction); see the module docstring."""
    _manifest, docs = read_bundle(path)
    report = ImportReport()
    with archive.transaction():
        for doc in docs:
            did = doc["drill"]["id"]
            if archive._one("SELECT id FROM drills WHERE id = ?", did) is not None:
                if _content(drill_document(archive, did)) == _content(doc):
                    report.already_present.append(did)
                else:
                    report.refused.append((did, "a different drill with this id is already in the "
                                                "archive; it was not overwritten"))
                continue
            archive._conn.execute("SAVEPOINT bundle_drill")
            try:
                _insert(archive, doc, report)
            except (ArchiveError, sqlite3.IntegrityError, KeyError, TypeError, ValueError) as exc:
                archive._conn.execute("ROLLBACK TO bundle_drill")
                report.refused.append((did, str(exc) or type(exc).__name__))
            else:
                report.added.append(did)
            archive._conn.execute("RELEASE bundle_drill")
    return report


def _insert_row(archive: "Archive", table: str, row: dict[str, Any]) -> None:
    cols = ", ".join(row)
    archive._conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(row))})",
                          tuple(row.values()))


def _columns(archive: "Archive", table: str) -> set[str]:
    return {c.name for c in archive.db[table].columns}


def _people(archive: "Archive", table: str, rows: list[dict[str, Any]], report: ImportReport) -> None:
    for row in rows:
        old = archive._one(f"SELECT * FROM {table} WHERE id = ?", row["id"])
        if old is None:
            archive._insert_person(table, row, archive._now(), op="import")  # with its audit row
        elif record_dict(old) != row:
            note = f"{table[:-1]} {row['id']} differs from the archive's record; the archive's was kept"
            if note not in report.notes:
                report.notes.append(note)


def _insert(archive: "Archive", doc: dict[str, Any], report: ImportReport) -> None:
    conn, now = archive._conn, archive._now()
    drill = dict(doc["drill"])
    did = drill["id"]
    unknown = set(drill) - (_columns(archive, "drills") - set(_LOCAL))
    if unknown:
        raise ArchiveError(f"it has fields this simtool does not know: {', '.join(sorted(unknown))}")
    if drill["evaluation_type"] not in schema.EVALUATION_TYPES or drill["status"] not in schema.STATUSES:
        raise ArchiveError("its evaluation type or status is not one this simtool knows")
    texts = [("scenario", drill["scenario_sha256"], doc["scenario_text"])]
    texts += [("rubric", sha, text) for sha, text in doc["rubric_texts"].items()]
    for kind, sha, text in texts:
        if sha256_hex(text) != sha:
            raise ArchiveError(f"its {kind} text does not match its hash")
        conn.execute("INSERT INTO texts (sha256, kind, text) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                     (sha, kind, text))
    _people(archive, "trainees", doc["trainees"], report)
    _people(archive, "examiners", doc["examiners"], report)
    seq, prev = archive._reserve_audit()
    _insert_row(archive, "drills", {**drill, "updated_at": now, "audit_seq": seq})
    conn.executemany("INSERT INTO participants (drill_id, id, trainee_id, name, role) VALUES (?, ?, ?, ?, ?)",
                     [(did, p["id"], p.get("trainee_id"), p["name"], p["role"]) for p in doc["participants"]])
    archive._write_audit(seq, prev, "import", "drills", did, archive._drill_sha(did), now)
    for ev in doc["events"]:
        archive._insert_event(did, ev, now, None, op="import")
    if doc["vitals"]:  # one audit row for the drill's samples
        archive._insert_vitals(did, doc["vitals"], now, None, op="import")
    for sheet in doc["sheets"]:
        _insert_sheet(archive, did, sheet, now)
    for table, rows in (("signoffs", doc["signoffs"]), ("amendments", doc["amendments"])):
        for row in rows:
            seq, prev = archive._reserve_audit()
            _insert_row(archive, table, {**row, "audit_seq": seq})
            stored = archive._one(f"SELECT * FROM {table} WHERE id = last_insert_rowid()")
            archive._write_audit(seq, prev, "import", table, str(stored["id"]), row_sha256(stored), now)


def _insert_sheet(archive: "Archive", did: str, sheet: dict[str, Any], now: str) -> None:
    sid = sheet["id"]
    if sheet.get("drill_id") != did:
        raise ArchiveError(f"score sheet {sid} belongs to another drill")
    if archive._one("SELECT id FROM score_sheets WHERE id = ?", sid) is not None:
        raise ArchiveError(f"score sheet {sid} is already in the archive under another drill")
    signed = {k: sheet.get(k) for k in ("signed_at", "signed_by", "record_sha256")}
    row = {k: v for k, v in sheet.items() if k not in ("items", *signed)}
    row["data"] = canonical_json(sheet["data"])
    seq, prev = archive._reserve_audit()
    _insert_row(archive, "score_sheets", {**row, "audit_seq": seq})
    archive._insert_items(sid, [_item(i) for i in sheet["items"]])
    if signed["signed_at"] is not None:
        stored = archive._one("SELECT * FROM score_sheets WHERE id = ?", sid)
        digest = sheet_record_sha256({**stored, "signed_at": signed["signed_at"],
                                      "signed_by": signed["signed_by"]}, archive._item_rows(sid))
        if digest != signed["record_sha256"]:
            raise ArchiveError(f"signed score sheet {sid} does not match its record hash "
                               f"(changed after signing)")
        archive._conn.execute("UPDATE score_sheets SET signed_at = ?, signed_by = ?, record_sha256 = ? "
                              "WHERE id = ?", (signed["signed_at"], signed["signed_by"], digest, sid))
    archive._write_audit(seq, prev, "import", "score_sheets", sid, archive._sheet_sha(sid), now)


def _item(raw: dict[str, Any]) -> SheetItem:
    return SheetItem(raw["item_id"], raw.get("result"), raw.get("points"), raw.get("evidence"))
