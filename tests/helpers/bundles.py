"""Bundle test helpers: a drill that fills every field a bundle carries, a bundle's members,
and a bundle written again with its members changed (re-hashed, re-signed or unsigned)."""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any, Callable

from simtool.store.archive import Archive
from simtool.store.hashing import canonical_json
from simtool.store.records import Examiner, SheetItem, Trainee
from simtool.store.signing import DOMAIN

from helpers.archive import play, start_recorded


def full_drill(archive: Archive, pph, site: str | None = "Ward 5", suffix: str = "") -> str:
    """An ended, signed and amended drill at ``site`` with every optional field set somewhere
    and left out somewhere else: two trainees (one without a department) and a participant with
    none, two examiners (one without a staff id), three sheets (signed, amended, unsigned; with
    and without a trainee, items with and without evidence), sign-offs, an amendment, vitals."""
    li = archive.add_trainee(Trainee("Li Na", "S1001", "Obstetrics", id=f"li{suffix}"))
    wang = archive.add_trainee(Trainee("Wang Fang", "S1002", id=f"wang{suffix}"))
    did, drill = start_recorded(archive, pph, evaluation_type="summative", trainees={"t1": li, "t2": wang},
                                site=site)
    play(drill, archive, did, until=900)
    drill.end()
    zhou = archive.add_examiner(Examiner("Dr Zhou", "E77", id=f"zhou{suffix}"))
    ma = archive.add_examiner(Examiner("Dr Ma", id=f"ma{suffix}"))
    first = archive.create_sheet(did, sheet_id=f"s3-osce{suffix}", rubric_id="pph_osce", rubric_version="1", rubric_text="rubric v1",
                                 data={"global": 4, "notes": ["calm", 2.5]}, trainee_id=li,
                                 items=[SheetItem(item_id="oxy", result="late", points=1.0), SheetItem(item_id="help", result="done", points=2.0, evidence=[4]),
                                        SheetItem(item_id="blank")],
                                 created_by="Dr Zhou")
    team = archive.create_sheet(did, sheet_id=f"s1-team{suffix}", rubric_id="pph_team", rubric_version="2", rubric_text="team rubric",
                                data={"team": True}, trainee_id=wang,
                                items=[SheetItem(item_id="loop", result="met", points=1.0, evidence={"seqs": [1, 2]})])
    archive.create_sheet(did, sheet_id=f"s2-blank{suffix}", rubric_id="pph_team", rubric_version="2",
                         rubric_text="team rubric", data={}, items=[])
    archive.sign_sheet(first, zhou)
    archive.sign_sheet(team, ma)
    archive.amend_sheet(first, {"global": 5}, ma, "mis-keyed")
    return did


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def write_zip(path: Path, files: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def sign(manifest: dict[str, Any], key) -> bytes:
    """A ``signature.json`` over ``manifest`` with ``key`` (an Ed25519 private key), as simtool
    writes one."""
    sig = key.sign(DOMAIN + canonical_json(manifest).encode("utf-8"))
    return json.dumps({"algorithm": "Ed25519", "signature": base64.b64encode(sig).decode()}).encode()


def public_b64(key) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def rewrite(source: Path, out: Path, edit: Callable[[dict[str, Any]], Any] | None = None,
            manifest_edit: Callable[[dict[str, Any]], Any] | None = None, key=None,
            extra: dict[str, bytes] | None = None, site: str = "Ward 5") -> Path:
    """``source`` with each drill document passed through ``edit`` (changed in place), the
    manifest's hashes recomputed and then ``manifest_edit`` applied; signed with ``key`` as the
    manifest's signer (for ``site``), or unsigned (no signer, no signature) without one."""
    files = members(source)
    manifest = json.loads(files.pop("manifest.json"))
    files.pop("signature.json", None)
    for entry in manifest["drills"]:
        doc = json.loads(files[entry["file"]])
        if edit is not None:
            edit(doc)
        raw = canonical_json(doc).encode("utf-8")
        files[entry["file"]] = raw
        entry["sha256"] = hashlib.sha256(raw).hexdigest()
    manifest.pop("signer", None)
    if key is not None:
        manifest["signer"] = {"site": site, "public_key": public_b64(key)}
    if manifest_edit is not None:
        manifest_edit(manifest)
    out_files = {"manifest.json": json.dumps(manifest).encode()}
    if key is not None:
        out_files["signature.json"] = sign(manifest, key)
    return write_zip(out, {**out_files, **files, **(extra or {})})
