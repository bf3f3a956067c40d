"""Bundles: drills moved between archives (an examiner's laptop → the department archive).

A bundle is one zip file::

    manifest.json        {"format": "simtool-bundle", "format_version": 1, "simtool_version",
                          "created", "anonymized", "signer": {"site", "public_key"},
                          "drills": [{"id", "file", "sha256", "scenario_id", "events"}]}
    signature.json       {"algorithm": "Ed25519", "signature"}: over the canonical manifest
    drills/<id>.json     one drill: its row, scenario text, participants, trainees, examiners,
                         events, vitals, score sheets with items and rubric texts, sign-offs,
                         amendments — canonical JSON; "sha256" in the manifest is of these bytes
    logbook.json         (format 2, when the drills' trainees have any) their logbook entries,
                         countersignatures, corrections and withdrawals and exam results, with
                         the people they name; manifest "logbook": {"file", "sha256",
                         "entries", "exams"}

    media.json           (format 3, when the drills have videos) each video's row (``bundlecheck.
                         VIDEO``); manifest "media": {"file", "sha256", "videos",
                         "files_included", "left_out"}
    media/<sha256>.<ext> (with ``--with-media``) each video's file, stored, streamed in and out
    cases.json           (format 4, when the archive has real cases of the sites exported) those
                         cases with their indicator results, withdrawals and scenario texts
                         (``bundlecases``); manifest "cases": {"file", "sha256", "cases",
                         "withdrawals"}

Videos travel only when asked (``with_media``): without it, and always in an anonymised bundle
(faces), the rows travel without the files and the manifest says why (``left_out``); the
importing archive records those rows with the audit op ``media.NOT_IMPORTED_OP``, so ``media
list`` shows "file not in this archive" and ``verify`` says so without calling it tampering.
On import each video file is streamed out of the zip into the receiving media folder under a
temporary name while its SHA-256 and size are checked against its row (and, given ``probe``,
that it is a playable video) — before anything is written to the archive; a video changed
after export refuses the whole bundle. Files are then linked to their names (never over
another file; the same bytes already there are reused), the rows inserted with the drills;
importing again adds nothing.

The logbook travels with the people of the drills (every record merged into them): each entry
and exam result by its ``uid``, so importing it twice adds it once; its trainee is the drill
files' trainee record, so the import merges them with the receiving archive's person of the
same staff id at the same site as it does for drills. A countersignature is checked against
the entry as its supervisor signed it before it is stored (then with the hash of the entry as
stored here). An anonymised bundle's logbook has no names, case references only as
pseudonyms, no complications, reasons or countersignatures (``anonymize.anonymize_logbook``).

Real cases travel with their sites (``bundlecases``: every case with ``all_cases``, as ``bundle
export`` without ``--drill`` asks, else the cases of the drills' sites), withdrawn ones
withdrawn; each is imported by its ``uid`` (twice is once; the same uid with other content is
refused, never overwritten), every row audited (op ``import``). An anonymised bundle's cases
have site pseudonyms, case references as pseudonyms (those of the logbook) and no one who
entered or withdrew them (``anonymize.anonymize_cases``).

``export_bundle(archive, drill_ids, path, anonymize=False, site=None, force=False,
with_media=False, all_cases=False)`` writes exactly the
fields declared in ``bundlecheck`` (never whatever columns a table has), signs the manifest
with the archive's key (``signing``; made on the first export, ``site`` names the archive then)
and writes the file atomically (temporary file, then rename). ``anonymize`` rewrites every
person, site and typed text (``anonymize``).

``import_bundle(archive, path, require_signed=False, accept_new_key=False,
analysis_copy=False) -> ImportReport`` touches nothing until the whole file has passed:

1. the caps on file size, member count and sizes, compression ratio and JSON depth, and no
   member the manifest does not name (``bundlecheck``);
2. the signature (``signing.check_signature``): verified, a new key, or unsigned — or refused;
3. every drill file: its hash against the signed manifest, then every record against the
   fields this simtool knows, ids against ``SAFE_ID``, and the references between records;
   the logbook, videos and real cases likewise (``check_logbook``, ``check_media``,
   ``check_cases``).

Any failure is a ``BundleError`` naming the bundle (and drill, record and field) and nothing
is imported. Then, in one transaction, each drill file is read again (its hash checked again)
and inserted with fixed column lists — nothing from a bundle is ever SQL text. A drill
already present with the same content is skipped (importing twice = once); one with the same
id and different content is refused with the reason, never overwritten; so is a drill whose
signed sheets do not match their record hashes. Trainees and examiners already present are
kept as they are (a difference is noted in the report). A new signer's key is recorded.

An anonymised bundle is for analysis, not a record: its sheets were rewritten, so they can no
longer match what the examiner signed. It is refused unless ``analysis_copy``; then its drills
are imported with every score sheet *unsigned* (``signed_at``/``signed_by`` left out), each
keeping the original ``record_sha256`` only as a reference to the signed original, and the
sign-offs and amendments as history. Nothing in it can pass for a signed sheet; importing it
into the archive that holds the real drills is refused as a conflict (same drill ids).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simtool import __version__
from simtool.core.limits import describe_bytes
from simtool.store.analytics import FINISHED, KEEPS_AT_END
from simtool.store.anonymize import anonymize as anonymize_doc
from simtool.store.anonymize import anonymize_cases, anonymize_logbook, archive_secret, pseudonym
from simtool.store.bundlecases import cases_document, check_archive, import_cases, insert_imported
from simtool.store.bundlecheck import (AMENDMENT, CASES_FILE, DRILL, EXAM, EXAMINER, ITEM, LOGBOOK_CHANGE,
                                       LOGBOOK_ENTRY, LOGBOOK_FILE, LOGBOOK_SIGNATURE, MANIFEST_FIELDS,
                                       MEDIA_FILE, PARTICIPANT, SHEET, SIGNOFF, TRAINEE, VIDEO,
                                       VITALS, check_cases, check_doc, check_logbook, check_manifest_entries,
                                       check_media, file_name, line, media_member, pick, record)
from simtool.store.bundlezip import MANIFEST, MAX_MEMBER_BYTES, SIGNATURE, BundleZip, parse_json, show
from simtool.store.errors import ArchiveError, BundleError, NotFoundError
from simtool.store.outputs import write_atomic
from simtool.store.hashing import canonical_json, row_sha256, sheet_record_sha256
from simtool.store.logbook import ENTRY_FIELDS
from simtool.store.records import SheetItem
from simtool.store.signing import (UNSIGNED, SignatureStatus, archive_signer, check_signature, remember_key,
                                   verify_manifest)

if TYPE_CHECKING:
    from simtool.store.archive import Archive

__all__ = ["FORMAT", "FORMAT_VERSION", "ImportReport", "drill_document", "export_bundle",
           "import_bundle", "logbook_document", "pseudonym", "read_bundle", "read_cases", "read_logbook"]

# the newest read; without real cases 3, without videos 2, without a logbook 1
FORMAT, FORMAT_VERSION = "simtool-bundle", 4
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same drills give the same bytes
_SHEET_ROW = {k: v for k, v in SHEET.items() if k not in ("data", "items")}


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    already_present: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)   # (drill id, reason)
    notes: list[str] = field(default_factory=list)
    # status, message, site, fingerprint (``signing.SignatureStatus.to_dict``)
    signature: dict[str, Any] = field(default_factory=lambda: SignatureStatus(UNSIGNED, "unsigned").to_dict())
    analysis_copy: bool = False

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["refused"] = [{"id": i, "reason": r} for i, r in self.refused]
        return out


# --- export ------------------------------------------------------------------------------------
def drill_document(archive: "Archive", drill_id: str) -> dict[str, Any]:
    """Everything about one drill as plain JSON values (what a bundle carries): the fields
    ``bundlecheck`` declares, whatever else the archive's tables may hold."""
    q = archive.db.query
    row = archive._one("SELECT * FROM drills WHERE id = ?", drill_id)
    if row is None:
        raise NotFoundError(f"no drill {drill_id} in the archive {archive.path}")
    people = [pick(p, PARTICIPANT) for p in
              q("SELECT * FROM participants WHERE drill_id = ? ORDER BY id", [drill_id])]
    sheets = []
    for s in q("SELECT * FROM score_sheets WHERE drill_id = ? ORDER BY version, id", [drill_id]):
        items = [{**pick(i, ITEM), **({"evidence": json.loads(i["evidence"])} if i["evidence"] else {})}
                 for i in q("SELECT * FROM sheet_items WHERE sheet_id = ? ORDER BY item_id", [s["id"]])]
        sheets.append({**pick(s, _SHEET_ROW), "data": json.loads(s["data"]), "items": items})
    sheet_ids = [s["id"] for s in sheets]
    marks = ", ".join("?" * len(sheet_ids))
    signoffs = [pick(r, SIGNOFF) for r in
                q(f"SELECT * FROM signoffs WHERE sheet_id IN ({marks}) ORDER BY at, sheet_id", sheet_ids)]
    amendments = [pick(r, AMENDMENT) for r in
                  q(f"SELECT * FROM amendments WHERE sheet_id IN ({marks}) ORDER BY at, sheet_id", sheet_ids)]
    trainee_ids = sorted({p["trainee_id"] for p in people if "trainee_id" in p} |
                         {s["trainee_id"] for s in sheets if "trainee_id" in s})
    examiner_ids = sorted({s["signed_by"] for s in sheets if "signed_by" in s} |
                          {a["by"] for a in amendments} | {o["examiner_id"] for o in signoffs})
    return {
        "drill": pick(row, DRILL),
        "scenario_text": archive.scenario_text(drill_id),
        "participants": people,
        "events": [e.to_dict() for e in archive.events(drill_id)],
        "vitals": [pick(v, VITALS) for v in archive.vitals(drill_id)],
        "sheets": sheets,
        "rubric_texts": {s["rubric_sha256"]: archive.rubric_text(s["id"]) for s in sheets},
        "signoffs": signoffs,
        "amendments": amendments,
        "trainees": [pick(r, TRAINEE) for r in _by_ids(archive, "trainees", trainee_ids)],
        "examiners": [pick(r, EXAMINER) for r in _by_ids(archive, "examiners", examiner_ids)],
    }


def _by_ids(archive: "Archive", table: str, ids: list[str]) -> list[dict[str, Any]]:
    assert table in ("trainees", "examiners")
    marks = ", ".join("?" * len(ids))
    return list(archive.db.query(f"SELECT * FROM {table} WHERE id IN ({marks}) ORDER BY id", ids))


def _content(doc: dict[str, Any]) -> str:
    """What must match for a drill to count as already present (people are kept apart)."""
    return canonical_json({k: v for k, v in doc.items() if k not in ("trainees", "examiners")})


def export_bundle(archive: "Archive", drill_ids: list[str], path: str | Path,
                  anonymize: bool = False, site: str | None = None,
                  force: bool = False, with_media: bool = False,
                  all_cases: bool = False) -> dict[str, Any]:
    """Write the drills to one signed bundle file at ``path``; returns the manifest.

    The real cases of the drills' sites go with them, every case of the archive with
    ``all_cases`` (``bundlecases``).

    ``site`` names this archive's site the first time it signs (see ``signing``). The file is
    written through ``outputs.write_atomic``: an existing file is replaced only with ``force``.
    ``with_media`` carries the drills' video files too (never in an anonymised bundle)."""
    target = Path(path)
    if site is not None:
        line(site, "--site")
    wanted = list(dict.fromkeys(drill_ids))
    for d in wanted:   # a discarded drill stays in this archive: it is not sent on
        info = archive.drill(d)
        if info.status == "discarded":
            raise BundleError(f"drill {d} was discarded ({info.discard_reason}); a bundle does "
                              f"not carry a discarded drill")
    docs = raw_docs = [drill_document(archive, d) for d in wanted]
    signer = archive_signer(archive, site)
    if anonymize:
        secret = archive_secret(archive)
        docs = [anonymize_doc(d, secret) for d in docs]
        signer = archive_signer(archive, anonymised=True)
    files, entries = [], []
    for doc in docs:
        raw = canonical_json(doc).encode("utf-8")
        name = file_name(doc["drill"]["id"])
        files.append((name, raw))
        entries.append({"id": doc["drill"]["id"], "file": name, "sha256": hashlib.sha256(raw).hexdigest(),
                        "scenario_id": doc["drill"]["scenario_id"], "events": len(doc["events"])})
    manifest = {"format": FORMAT, "format_version": 1, "simtool_version": __version__,
                "created": archive._now(), "anonymized": anonymize, "signer": signer.manifest_field(),
                "drills": entries}
    logbook = logbook_document(archive, sorted({t["id"] for d in raw_docs for t in d["trainees"]}))
    if logbook is not None:
        if anonymize:
            logbook = anonymize_logbook(logbook, archive_secret(archive))
        raw = canonical_json(logbook).encode("utf-8")
        files.append((LOGBOOK_FILE, raw))
        manifest["format_version"] = 2
        manifest["logbook"] = {"file": LOGBOOK_FILE, "sha256": hashlib.sha256(raw).hexdigest(),
                               "entries": len(logbook["entries"]), "exams": len(logbook["exams"])}
    videos = _media_rows(archive, wanted)
    kept: list[Any] = []
    if videos:
        included = with_media and not anonymize
        if anonymize:
            videos = [_anonymous_video(v) for v in videos]
        raw = canonical_json({"videos": videos}).encode("utf-8")
        files.append((MEDIA_FILE, raw))
        manifest["format_version"] = 3
        manifest["media"] = {"file": MEDIA_FILE, "sha256": hashlib.sha256(raw).hexdigest(),
                             "videos": len(videos), "files_included": included}
        if not included:
            manifest["media"]["left_out"] = (
                "anonymised bundle: videos show faces and are never included" if anonymize else
                "made without --with-media: the video files were left out")
        else:
            kept = _video_files(archive, wanted)
    cases = cases_document(archive, None if all_cases else
                           {d["drill"].get("site") for d in raw_docs})
    if cases is not None:
        if anonymize:
            cases = anonymize_cases(cases, archive_secret(archive))
        raw = canonical_json(cases).encode("utf-8")
        if len(raw) > MAX_MEMBER_BYTES:
            raise BundleError(f"the real cases make {CASES_FILE} {describe_bytes(len(raw))}, over "
                              f"the {describe_bytes(MAX_MEMBER_BYTES)} a bundle member may hold; "
                              f"no bundle was written")
        files.append((CASES_FILE, raw))
        manifest["format_version"] = 4
        manifest["cases"] = {"file": CASES_FILE, "sha256": hashlib.sha256(raw).hexdigest(),
                             "cases": len(cases["cases"]), "withdrawals": len(cases["withdrawals"])}
    members = [(MANIFEST, json.dumps(manifest, indent=1).encode()), (SIGNATURE, signer.sign(manifest))]

    def write(f: Any) -> None:
        with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, raw in members + files:
                zf.writestr(zipfile.ZipInfo(name, _ZIP_TIME), raw, zipfile.ZIP_DEFLATED)
            for m in kept:
                _write_video(zf, m)

    # whole or not at all, never over the archive itself, an existing file only with force
    write_atomic(target, write, protect=[archive.path], force=force)
    return manifest


# --- videos ------------------------------------------------------------------------------------
def _media_rows(archive: "Archive", drill_ids: list[str]) -> list[dict[str, Any]]:
    """The video rows of these drills as a bundle carries them (the fields ``VIDEO`` declares)."""
    from simtool.store.media import has_media
    if not has_media(archive) or not drill_ids:
        return []
    marks = ", ".join("?" * len(drill_ids))
    return [pick(r, VIDEO) for r in archive.db.query(
        f"SELECT * FROM media WHERE drill_id IN ({marks}) ORDER BY id", drill_ids)]


def _anonymous_video(row: dict[str, Any]) -> dict[str, Any]:
    """No label (typed text), no attacher, no original file name (often a person's)."""
    out = {k: v for k, v in row.items() if k not in ("label", "by")}
    out["original_name"] = f"video.{row['file'].rsplit('.', 1)[-1]}"
    return out


def _video_files(archive: "Archive", drill_ids: list[str]) -> list[Any]:
    """Each kept file of these drills once, checked to be there before anything is written."""
    from simtool.store.media import describe, media_of
    out, seen = [], set()
    for d in drill_ids:
        for m in media_of(archive, d):
            if m.file in seen:
                continue
            seen.add(m.file)
            if os.path.lexists(m.path) and not m.path.is_file():
                raise BundleError(f"video {m.id} of drill {d}: its file {m.path} is not a regular "
                                  f"file ({describe(m.path)} is in its place; run simtool verify); "
                                  f"put the video back, or export without --with-media; no bundle "
                                  f"was written")
            if not m.path.is_file():
                raise BundleError(f"video {m.id} of drill {d}: its file {m.path} is not in this "
                                  f"archive ({'its bundle came without it' if m.not_imported else 'missing; run simtool verify'}); "
                                  f"export without --with-media, or put the file back; no bundle was written")
            out.append(m)
    return out


def _write_video(zf: zipfile.ZipFile, m: Any) -> None:
    """Stream one kept file into the zip (stored: a video does not compress), checking that
    its bytes are still the ones recorded."""
    from simtool.store.media import CHUNK, NotAFile, describe, open_regular
    info = zipfile.ZipInfo(media_member(m.file), _ZIP_TIME)
    info.compress_type = zipfile.ZIP_STORED
    info.file_size = m.size
    changed = BundleError(f"video {m.id} of drill {m.drill_id}: the file {m.path} was changed "
                          f"since it was attached (run simtool verify); no bundle was written")
    h, size = hashlib.sha256(), 0
    try:
        src = open_regular(m.path)   # never a pipe waited on, nor a device read for ever
    except NotAFile:
        raise BundleError(f"video {m.id} of drill {m.drill_id}: its file {m.path} is not a "
                          f"regular file ({describe(m.path)} is in its place; run simtool "
                          f"verify); no bundle was written") from None
    with src:
        if os.fstat(src.fileno()).st_size != m.size:   # told from its size: nothing read through
            raise changed
        with zf.open(info, "w", force_zip64=m.size > 0x7FFFFFFF) as dst:
            while chunk := src.read(min(CHUNK, m.size + 1 - size)):
                size += len(chunk)
                if size > m.size:
                    raise changed
                h.update(chunk)
                dst.write(chunk)
    if size != m.size or h.hexdigest() != m.sha256:
        raise changed


def _media_doc(bz: BundleZip, manifest: dict[str, Any]) -> dict[str, Any] | None:
    """The bundle's video rows, hash-checked against the manifest and checked row by row,
    with every video file the manifest says it carries present at its row's size."""
    entry = manifest.get("media")
    if entry is None:
        return None
    raw = bz.read(entry["file"], missing=f"no {entry['file']}, which the manifest names")
    if hashlib.sha256(raw).hexdigest() != entry["sha256"]:
        raise BundleError(f"{bz.path}: {entry['file']} does not match its hash in the manifest "
                          f"(damaged or altered)")
    if entry["files_included"] and manifest.get("anonymized") is True:
        raise BundleError(f"{bz.path}: an anonymised bundle says it carries videos; an anonymised "
                          f"bundle never does (faces); not a simtool bundle")
    where = f"{bz.path}: videos"
    doc = check_media(parse_json(raw, where), where, {e["id"] for e in manifest["drills"]})
    if entry["files_included"]:
        for r in doc["videos"]:
            name = media_member(r["file"])
            if not bz.has(name):
                raise BundleError(f"{bz.path}: the video {name} is named in the bundle but missing")
            if bz.size(name) != r["size"]:
                raise BundleError(f"{bz.path}: the video {name} is {bz.size(name):,} bytes, its "
                                  f"row says {r['size']:,}; the bundle was altered")
    return doc


def _media_members(manifest: dict[str, Any], doc: dict[str, Any] | None) -> set[str]:
    if doc is None or not manifest["media"]["files_included"]:
        return set()
    return {media_member(r["file"]) for r in doc["videos"]}


def _stage_videos(archive: "Archive", bz: BundleZip, manifest: dict[str, Any],
                  doc: dict[str, Any] | None, probe: Any) -> list[Path]:
    """Every video file of the bundle streamed into the receiving media folder and checked
    (SHA-256, size, ``probe``), then linked to its name — never over another file. Returns
    the files this call created; on any failure removes what it made and raises one
    BundleError, nothing written to the archive."""
    import shutil as _shutil

    from simtool.store.media import has_media, media_dir, ready_folder, squatter
    if doc is None or not manifest["media"]["files_included"] or not doc["videos"]:
        return []
    if not has_media(archive):
        raise BundleError(f"the archive {archive.path} is in an older format without videos; "
                          f"open it with this simtool to upgrade it, then import {bz.path}")
    folder = media_dir(archive)
    files = {r["file"]: r for r in doc["videos"]}
    made_folder = not os.path.lexists(folder)
    try:
        ready_folder(archive, f"nothing was imported from {bz.path}")
    except ArchiveError as exc:
        raise BundleError(str(exc)) from exc
    try:
        need = sum(r["size"] for f, r in files.items() if not os.path.lexists(folder / f))
        free = _shutil.disk_usage(folder).free
    except OSError as exc:
        raise BundleError(f"cannot read the media folder {folder} beside the archive "
                          f"({exc.strerror or exc}); nothing was imported from {bz.path}") from exc
    if need + 64 * 1024 ** 2 > free:
        raise BundleError(f"there is not room beside the archive for the videos of {bz.path} "
                          f"({need / 1024 ** 2:.0f} MB needed, {free / 1024 ** 2:.0f} MB free); "
                          f"nothing was imported")
    staged: list[tuple[Path, Path]] = []
    created: list[Path] = []

    def squatted(final: Path, there: str) -> BundleError:
        if there.startswith("a file whose bytes"):
            return BundleError(f"the media folder already has a file {final} whose bytes are not "
                               f"the ones its name says (changed behind simtool's back; run "
                               f"simtool verify); it was not replaced and nothing was imported "
                               f"from {bz.path}")
        return BundleError(f"the media folder has {there} at {final}, not a video simtool kept; "
                           f"it was not replaced and nothing was imported from {bz.path}")

    try:
        for name, r in files.items():
            member, final = media_member(name), folder / name
            changed = BundleError(f"{bz.path}: the video {name[:12]}… of drill {r['drill_id']} is "
                                  f"not the one its row names (its SHA-256 differs: changed after "
                                  f"export); nothing was imported")
            if os.path.lexists(final):   # the same bytes kept here already: only check the bundle's
                there = squatter(final, r["sha256"], r["size"])
                if there is not None:
                    raise squatted(final, there)
                sha, _ = bz.copy(member, None)
                if sha != r["sha256"]:
                    raise changed
                continue
            tmp = folder / f".incoming-{os.getpid()}-{os.urandom(4).hex()}"
            staged.append((tmp, final))
            with open(tmp, "xb") as dst:
                sha, size = bz.copy(member, dst)
                dst.flush()
                os.fsync(dst.fileno())
            if sha != r["sha256"] or size != r["size"]:
                raise changed
            if probe is not None:
                try:
                    probe(tmp)
                except Exception as exc:   # the probe's own one sentence, about a temporary name
                    raise BundleError(f"{bz.path}: the member {member[:20]}… of drill "
                                      f"{r['drill_id']} is not a playable video; nothing was "
                                      f"imported") from exc
        for tmp, final in staged:
            try:
                os.link(tmp, final)   # never over another file
                created.append(final)
            except FileExistsError:
                there = squatter(final, files[final.name]["sha256"], files[final.name]["size"])
                if there is not None:
                    raise squatted(final, there) from None
    except OSError as exc:
        _unlink(created)
        raise BundleError(f"cannot copy the videos of {bz.path} into {folder} "
                          f"({exc.strerror or exc}); nothing was imported") from exc
    except BaseException:
        _unlink(created)
        raise
    finally:
        _unlink([t for t, _ in staged])
        if made_folder and not created:
            try:
                folder.rmdir()
            except OSError:
                pass
    return created


def _unlink(paths: list[Path]) -> None:
    for p in paths:
        try:
            p.unlink(missing_ok=True)
        except OSError:
            pass


_VIDEO_ROW = tuple(VIDEO)


def _import_media(archive: "Archive", doc: dict[str, Any], report: ImportReport,
                  with_files: bool, left_out: str | None, path: Path) -> None:
    """The video rows of the drills imported or already present: a row already here is not
    added again; one whose file did not come is recorded as such; one whose file came is
    recorded only if that file is still there (``media.check_present``)."""
    from simtool.store.media import add_imported, check_present
    now = archive._now()
    mine = set(report.added) | set(report.already_present)
    added = present = 0
    for r in doc["videos"]:
        if r["drill_id"] not in mine:
            continue
        row = {k: r.get(k) for k in _VIDEO_ROW}
        same = [o for o in archive.db.query(
            "SELECT * FROM media WHERE drill_id = ? AND sha256 = ? AND at = ?",
            [r["drill_id"], r["sha256"], r["at"]]) if {k: o[k] for k in _VIDEO_ROW} == row]
        if same:
            present += 1
            continue
        if with_files:
            check_present(archive, r["file"], r["size"], "imported",
                          f"nothing was imported from {path}; import it again")
        add_imported(archive, row, now, with_files)
        added += 1
    if added or present:
        report.notes.append(f"videos: {added} added, {present} already present" + (
            "" if with_files else f"; their files are not in this bundle ({left_out or 'left out'}): "
                                  f"simtool media list shows them as not in this archive"))


# --- reading -----------------------------------------------------------------------------------
def _manifest(bz: BundleZip) -> dict[str, Any]:
    p = bz.path
    raw = bz.read(MANIFEST, missing="no manifest.json; not a simtool bundle")
    manifest = parse_json(raw, f"{p}: manifest.json")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError(f"{p} is not a simtool bundle (its manifest is not a simtool manifest)")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BundleError(f"{p} was made by a newer simtool (bundle format {version}); this "
                          f"simtool reads up to {FORMAT_VERSION}")
    record(manifest, MANIFEST_FIELDS, f"{p}: manifest.json")
    check_manifest_entries(manifest["drills"], f"{p}: manifest.json")
    listed = {MANIFEST, SIGNATURE} | {e["file"] for e in manifest["drills"]}
    if manifest.get("logbook") is not None:
        listed.add(manifest["logbook"]["file"])
    if manifest.get("media") is not None:
        listed.add(manifest["media"]["file"])
        listed |= _media_members(manifest, _media_doc(bz, manifest))
    if manifest.get("cases") is not None:
        listed.add(manifest["cases"]["file"])
    for name in bz.infos:
        if name not in listed:
            raise BundleError(f"{p}: the member {show(name)} is not named in the manifest; not a "
                              f"simtool bundle")
    return manifest


def _signature(bz: BundleZip) -> bytes | None:
    return bz.read(SIGNATURE) if bz.has(SIGNATURE) else None


def _docs(bz: BundleZip, manifest: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Each drill file, hash-checked against the manifest and checked record by record."""
    p = bz.path
    for entry in manifest["drills"]:
        raw = bz.read(entry["file"])
        if hashlib.sha256(raw).hexdigest() != entry["sha256"]:
            raise BundleError(f"{p}: {entry['file']} does not match its hash in the manifest "
                              f"(damaged or altered)")
        where = f"{p}: drill {entry['id']}"
        yield check_doc(parse_json(raw, where), where, entry["id"])


def _member_doc(bz: BundleZip, manifest: dict[str, Any], key: str, what: str,
                check: Callable[[Any, str], dict[str, Any]]) -> dict[str, Any] | None:
    """The bundle's ``key`` member (the logbook, the real cases), hash-checked against the
    manifest and checked record by record by ``check``; None when the bundle has none."""
    entry = manifest.get(key)
    if entry is None:
        return None
    raw = bz.read(entry["file"], missing=f"no {entry['file']}, which the manifest names")
    if hashlib.sha256(raw).hexdigest() != entry["sha256"]:
        raise BundleError(f"{bz.path}: {entry['file']} does not match its hash in the manifest "
                          f"(damaged or altered)")
    where = f"{bz.path}: {what}"
    return check(parse_json(raw, where), where)


def _logbook_doc(bz: BundleZip, manifest: dict[str, Any]) -> dict[str, Any] | None:
    """The bundle's logbook, checked; None when it has none."""
    return _member_doc(bz, manifest, "logbook", "logbook", check_logbook)


def _cases_doc(bz: BundleZip, manifest: dict[str, Any]) -> dict[str, Any] | None:
    """The bundle's real cases, checked; None when it has none."""
    return _member_doc(bz, manifest, "cases", "real cases", check_cases)


def read_cases(path: str | Path) -> dict[str, Any] | None:
    """A bundle's real cases, checked (None when it carries none)."""
    with BundleZip(Path(path)) as bz:
        manifest = _manifest(bz)
        verify_manifest(manifest, _signature(bz), str(bz.path))
        return _cases_doc(bz, manifest)


def read_bundle(path: str | Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The manifest and every drill document, all checked (a signature must verify, but is
    not compared with any archive's known keys: that is ``import_bundle``'s); the logbook is
    checked too (``read_logbook``)."""
    with BundleZip(Path(path)) as bz:
        manifest = _manifest(bz)
        verify_manifest(manifest, _signature(bz), str(bz.path))
        docs = list(_docs(bz, manifest))
        _logbook_doc(bz, manifest)
        _media_doc(bz, manifest)
        _cases_doc(bz, manifest)
        return manifest, docs


def read_logbook(path: str | Path) -> dict[str, Any] | None:
    """A bundle's logbook, checked (None when it carries none)."""
    with BundleZip(Path(path)) as bz:
        manifest = _manifest(bz)
        verify_manifest(manifest, _signature(bz), str(bz.path))
        return _logbook_doc(bz, manifest)


# --- import ------------------------------------------------------------------------------------
def import_bundle(archive: "Archive", path: str | Path, *, require_signed: bool = False,
                  accept_new_key: bool = False, analysis_copy: bool = False,
                  probe: Any = None) -> ImportReport:
    """Import a bundle (every check first; one transaction); see the module docstring.
    ``probe(path)`` raises for a file that is not a playable video (``simtool.app.media.probe``)."""
    p = Path(path)
    with BundleZip(p) as bz:
        manifest = _manifest(bz)
        status = check_signature(archive, manifest, _signature(bz), str(p),
                                 require_signed=require_signed, accept_new_key=accept_new_key)
        anonymised = manifest.get("anonymized") is True
        if anonymised and not analysis_copy:
            raise BundleError(f"{p} is an anonymised bundle: its score sheets were rewritten and can "
                              f"no longer be checked against their signatures, so it is not a record "
                              f"to import; to analyse it, import it into a separate archive with "
                              f"--analysis-copy")
        for _doc in _docs(bz, manifest):
            pass  # every drill file checked before the first SQL statement
        _logbook_doc(bz, manifest)
        media = _media_doc(bz, manifest)
        check_archive(archive, _cases_doc(bz, manifest), p)
        report = ImportReport(signature=status.to_dict(), analysis_copy=anonymised)
        if anonymised:
            report.notes.append("anonymised bundle imported as an analysis copy: its score sheets "
                                "are stored unsigned, each keeping the original's record hash")
        with_files = media is not None and manifest["media"]["files_included"] and not anonymised
        created = _stage_videos(archive, bz, manifest, media, probe) if with_files else []
        try:
            with archive.transaction():
                _remember(archive, status)
                for doc in _docs(bz, manifest):   # read again: the bytes are checked against the hashes
                    _import_drill(archive, _analysis_copy(doc) if anonymised else doc, report)
                logbook = _logbook_doc(bz, manifest)
                if logbook is not None:
                    _import_logbook(archive, logbook, report, anonymised)
                if media is not None and archive.schema_version >= _media_version():
                    _import_media(archive, media, report, with_files,
                                  manifest["media"].get("left_out"), p)
                cases = _cases_doc(bz, manifest)   # read again: its bytes checked again
                if cases is not None:
                    import_cases(archive, cases, report)
        finally:   # a file no row refers to (its drill refused, or the import failed) goes again
            from simtool.store.media import discard_unreferenced
            discard_unreferenced(archive, created)
    return report


def _media_version() -> int:
    from simtool.store.media import MEDIA_VERSION
    return MEDIA_VERSION


def _remember(archive: "Archive", status: SignatureStatus) -> None:
    if status.to_remember and status.site is not None and status.public_key is not None:
        remember_key(archive, status.site, status.public_key)


def _analysis_copy(doc: dict[str, Any]) -> dict[str, Any]:
    """An anonymised drill as stored: no sheet is signed (see the module docstring)."""
    return {**doc, "sheets": [{k: v for k, v in s.items() if k not in ("signed_at", "signed_by")}
                              for s in doc["sheets"]]}


def _import_drill(archive: "Archive", doc: dict[str, Any], report: ImportReport) -> None:
    did = doc["drill"]["id"]
    if archive._one("SELECT id FROM drills WHERE id = ?", did) is not None:
        if _content(drill_document(archive, did)) == _content(doc):
            report.already_present.append(did)
        else:
            report.refused.append((did, "a different drill with this id is already in the "
                                        "archive; it was not overwritten"))
        return
    archive._conn.execute("SAVEPOINT bundle_drill")
    try:
        _insert(archive, doc, report)
    except sqlite3.IntegrityError as exc:
        archive._conn.execute("ROLLBACK TO bundle_drill")
        report.refused.append((did, f"its records contradict each other or this archive ({exc})"))
    except ArchiveError as exc:
        archive._conn.execute("ROLLBACK TO bundle_drill")
        report.refused.append((did, str(exc)))
    else:
        report.added.append(did)
        _same_people(archive, doc, report)
    archive._conn.execute("RELEASE bundle_drill")


def _people(archive: "Archive", doc: dict[str, Any], report: ImportReport) -> None:
    for table, rows in (("trainees", doc["trainees"]), ("examiners", doc["examiners"])):
        for row in rows:
            old = archive._one(f"SELECT * FROM {table} WHERE id = ?", row["id"])
            if old is None:  # with its audit row: an unaudited person is what verify reports
                archive._insert_person(table, pick(row, TRAINEE if table == "trainees" else EXAMINER),
                                       archive._now(), op="import")
            elif pick(old, TRAINEE if table == "trainees" else EXAMINER) != row:
                note = f"{table[:-1]} {row['id']} differs from the archive's record; the archive's was kept"
                if note not in report.notes:
                    report.notes.append(note)


def _same_people(archive: "Archive", doc: dict[str, Any], report: ImportReport) -> None:
    """A trainee of the bundle whose staff id this archive already keeps for someone who took
    part in drills at the same site is that person: the two records are merged (an audited
    merge, reversible; nothing in either record is rewritten). The same staff id at another
    site may be another person: not merged, said in the report."""
    if archive.schema_version < 8 or doc.get("anonymized"):
        return
    site = doc["drill"].get("site")
    mine = {t["id"] for t in doc["trainees"]}
    merged = archive.merged_into()
    for t in doc["trainees"]:
        staff = t.get("staff_id")
        if not staff or t["id"] in merged:
            continue
        for other in archive._conn.execute(
                "SELECT id FROM trainees WHERE staff_id = ? AND id != ? ORDER BY rowid", (staff, t["id"])):
            keep = merged.get(other[0], other[0])
            if keep in mine or keep == t["id"]:
                continue
            sites = {r[0] for r in archive._conn.execute(
                "SELECT DISTINCT d.site FROM participants p JOIN drills d ON d.id = p.drill_id "
                "WHERE p.trainee_id = ?", (other[0],))}
            homes = (t.get("site"), archive.trainee(other[0]).site)
            if all(homes):   # both home sites known: they decide (a staff id is per site)
                same = homes[0] == homes[1]
            else:
                same = site in sites or not sites
            if same:
                archive.merge_people(keep, t["id"], f"bundle import: staff id {staff} at "
                                                   f"{site or 'the same site'}", "simtool@import")
                merged = archive.merged_into()
                break
            note = (f"trainee {t['id']} has staff id {staff}, which this archive keeps for a "
                    f"person at another site; they were not merged (merge them with `simtool "
                    f"people merge` if they are one person)")
            if note not in report.notes:
                report.notes.append(note)


def _insert(archive: "Archive", doc: dict[str, Any], report: ImportReport) -> None:
    conn, now = archive._conn, archive._now()
    drill = doc["drill"]
    did = drill["id"]
    texts = [("scenario", drill["scenario_sha256"], doc["scenario_text"])]
    texts += [("rubric", sha, text) for sha, text in doc["rubric_texts"].items()]
    for kind, sha, text in texts:   # their hashes were checked with the drill file
        conn.execute("INSERT INTO texts (sha256, kind, text) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                     (sha, kind, text))
    _people(archive, doc, report)
    seq, prev = archive._reserve_audit()
    conn.execute("INSERT INTO drills (id, scenario_id, scenario_version, scenario_sha256, patient, "
                 "evaluation_type, status, started_at, ended_at, updated_at, site, department, "
                 "audit_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (did, drill["scenario_id"], drill["scenario_version"], drill["scenario_sha256"],
                  drill["patient"], drill["evaluation_type"], drill["status"], drill["started_at"],
                  drill.get("ended_at"), now, drill.get("site"), drill.get("department"), seq))
    conn.executemany("INSERT INTO participants (drill_id, id, trainee_id, name, role) VALUES (?, ?, ?, ?, ?)",
                     [(did, p["id"], p.get("trainee_id"), p["name"], p["role"]) for p in doc["participants"]])
    archive._write_audit(seq, prev, "import", "drills", did, archive._drill_sha(did), now)
    for ev in doc["events"]:
        archive._insert_event(did, ev, now, None, op="import")
    if drill["status"] in FINISHED:   # its indicator results, kept as the import commits
        archive._keep_at_commit(did, KEEPS_AT_END)
    if doc["vitals"]:  # one audit row for the drill's samples
        archive._insert_vitals(did, doc["vitals"], now, None, op="import")
    for sheet in sorted(doc["sheets"], key=lambda s: s["version"]):  # a later version refers to an earlier
        _insert_sheet(archive, did, sheet, now)
    for row in doc["signoffs"]:
        seq, prev = archive._reserve_audit()
        conn.execute("INSERT INTO signoffs (sheet_id, examiner_id, at, record_sha256, audit_seq) "
                     "VALUES (?, ?, ?, ?, ?)",
                     (row["sheet_id"], row["examiner_id"], row["at"], row["record_sha256"], seq))
        _audit_last(archive, "signoffs", seq, prev, now)
    for row in doc["amendments"]:
        seq, prev = archive._reserve_audit()
        conn.execute("INSERT INTO amendments (sheet_id, new_sheet_id, by, at, why, audit_seq) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                     (row["sheet_id"], row["new_sheet_id"], row["by"], row["at"], row["why"], seq))
        _audit_last(archive, "amendments", seq, prev, now)


def _audit_last(archive: "Archive", table: str, seq: int, prev: str, now: str) -> None:
    assert table in ("signoffs", "amendments")
    stored = archive._one(f"SELECT * FROM {table} WHERE id = last_insert_rowid()")
    assert stored is not None
    archive._write_audit(seq, prev, "import", table, str(stored["id"]), row_sha256(stored), now)


def _insert_sheet(archive: "Archive", did: str, sheet: dict[str, Any], now: str) -> None:
    sid = sheet["id"]
    if archive._one("SELECT id FROM score_sheets WHERE id = ?", sid) is not None:
        raise ArchiveError(f"score sheet {sid} is already in the archive under another drill")
    signed = sheet.get("signed_at") is not None
    seq, prev = archive._reserve_audit()
    archive._conn.execute(
        "INSERT INTO score_sheets (id, drill_id, trainee_id, rubric_id, rubric_version, rubric_sha256, "
        "version, supersedes, data, created_at, created_by, record_sha256, audit_seq) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (sid, did, sheet.get("trainee_id"), sheet["rubric_id"], sheet["rubric_version"],
         sheet["rubric_sha256"], sheet["version"], sheet.get("supersedes"), canonical_json(sheet["data"]),
         sheet["created_at"], sheet.get("created_by"), None if signed else sheet.get("record_sha256"), seq))
    archive._insert_items(sid, [_item(i) for i in sheet["items"]])
    if signed:
        stored = archive._one("SELECT * FROM score_sheets WHERE id = ?", sid)
        digest = sheet_record_sha256({**(stored or {}), "signed_at": sheet["signed_at"],
                                      "signed_by": sheet["signed_by"]}, archive._item_rows(sid))
        if digest != sheet.get("record_sha256"):
            raise ArchiveError(f"signed score sheet {sid} does not match its record hash "
                               f"(changed after signing)")
        archive._conn.execute("UPDATE score_sheets SET signed_at = ?, signed_by = ?, record_sha256 = ? "
                              "WHERE id = ?", (sheet["signed_at"], sheet["signed_by"], digest, sid))
    archive._write_audit(seq, prev, "import", "score_sheets", sid, archive._sheet_sha(sid), now)


def _item(raw: dict[str, Any]) -> SheetItem:
    return SheetItem(item_id=raw["item_id"], result=raw.get("result"), points=raw.get("points"),
                     evidence=raw.get("evidence"))



# --- the logbook -------------------------------------------------------------------------------
_LOGBOOK_TABLES = ("logbook_entries", "logbook_signatures", "logbook_changes", "exam_results")


def _archive_uid(archive: "Archive", kind: str, row: dict[str, Any]) -> str:
    """A row's uid: the one it was written with, or (a row from before schema 12) one made
    of this archive's id and the row's id — the same every time it is exported."""
    return row.get("uid") or f"{archive._meta('archive_id') or 'archive'}-{kind}{row['id']}"


def logbook_document(archive: "Archive", trainee_ids: list[str]) -> dict[str, Any] | None:
    """The logbook of these trainees (every record merged into each) as a bundle carries it;
    None when they have no entries and no exam results."""
    if archive.schema_version < 11 or not trainee_ids:
        return None
    records: set[str] = set()
    for t in trainee_ids:
        records |= archive.person_ids(t)
    ids = sorted(records)
    q, marks = archive.db.query, ", ".join("?" * len(ids))
    rows = list(q(f"SELECT * FROM logbook_entries WHERE trainee_id IN ({marks}) ORDER BY id", ids))
    exams = list(q(f"SELECT * FROM exam_results WHERE trainee_id IN ({marks}) ORDER BY id", ids))
    if not rows and not exams:
        return None
    uid = {r["id"]: _archive_uid(archive, "e", r) for r in rows}
    entry_ids = sorted(uid)
    emarks = ", ".join("?" * len(entry_ids))
    sigs = list(q(f"SELECT * FROM logbook_signatures WHERE entry_id IN ({emarks}) ORDER BY id",
                  entry_ids))
    changes = list(q(f"SELECT * FROM logbook_changes WHERE entry_id IN ({emarks}) ORDER BY id",
                     entry_ids)) if archive.schema_version >= 12 else []
    people = {r["trainee_id"] for r in rows} | {x["trainee_id"] for x in exams}
    people |= {s["signer_id"] for s in sigs if s["signer_table"] == "trainees"}
    examiners = sorted({s["signer_id"] for s in sigs if s["signer_table"] == "examiners"})
    return {
        "trainees": [pick(r, TRAINEE) for r in _by_ids(archive, "trainees", sorted(people))],
        "examiners": [pick(r, EXAMINER) for r in _by_ids(archive, "examiners", examiners)],
        "entries": [{**pick(r, LOGBOOK_ENTRY), "uid": uid[r["id"]], "source_id": r["id"]}
                    for r in rows],
        "signatures": [{**pick(s, LOGBOOK_SIGNATURE), "entry_uid": uid[s["entry_id"]]} for s in sigs],
        "changes": [{**pick(c, LOGBOOK_CHANGE), "entry_uid": uid[c["entry_id"]],
                     **({"new_entry_uid": uid[c["new_entry_id"]]} if c["new_entry_id"] else {})}
                    for c in changes],
        "exams": [{**pick(x, EXAM), "uid": _archive_uid(archive, "x", x)} for x in exams],
    }


def _import_logbook(archive: "Archive", logbook: dict[str, Any], report: ImportReport,
                    anonymised: bool) -> None:
    """The bundle's logbook, whole or not at all (a savepoint inside the import)."""
    archive._conn.execute("SAVEPOINT bundle_logbook")
    try:
        added, present = _insert_logbook(archive, logbook, report, anonymised)
    except (sqlite3.IntegrityError, ArchiveError) as exc:
        archive._conn.execute("ROLLBACK TO bundle_logbook")
        report.refused.append(("logbook", f"the logbook was not imported: {exc}"))
    else:
        report.notes.append(f"logbook: {added} record{'s' if added != 1 else ''} added, "
                            f"{present} already present")
    archive._conn.execute("RELEASE bundle_logbook")


def _insert_logged(archive: "Archive", table: str, row: dict[str, Any], now: str) -> int:
    """Insert one logbook row with fixed columns and its audit row (op import)."""
    return insert_imported(archive, table, row, now, _LOGBOOK_TABLES)


def _local(archive: "Archive", table: str, kind: str, uid: str) -> dict[str, Any] | None:
    """This archive's row with this uid (written with it, or made here before schema 12)."""
    assert table in ("logbook_entries", "exam_results")
    row = archive._one(f"SELECT * FROM {table} WHERE uid = ?", uid)
    prefix = f"{archive._meta('archive_id')}-{kind}"
    if row is None and uid.startswith(prefix) and uid[len(prefix):].isdigit():
        row = archive._one(f"SELECT * FROM {table} WHERE id = ? AND uid IS NULL",
                           int(uid[len(prefix):]))
    return row


_ENTRY_ROW = (*ENTRY_FIELDS, "at", "by")
_EXAM_ROW = ("trainee_id", "programme", "exam", "date", "result", "examiner", "at", "by")


def _insert_logbook(archive: "Archive", logbook: dict[str, Any], report: ImportReport,
                    anonymised: bool) -> tuple[int, int]:
    now = archive._now()
    _people(archive, logbook, report)
    if not anonymised:
        _same_people(archive, {"drill": {}, "trainees": logbook["trainees"]}, report)
    added = present = 0
    local: dict[str, int] = {}
    by_uid = {e["uid"]: e for e in logbook["entries"]}
    for e in logbook["entries"]:
        row = {k: e.get(k) for k in _ENTRY_ROW}
        old = _local(archive, "logbook_entries", "e", e["uid"])
        if old is not None:
            if {k: old[k] for k in _ENTRY_ROW} != row:
                raise ArchiveError(f"logbook entry {e['uid']} is already in this archive with "
                                   f"other content")
            local[e["uid"]], present = int(old["id"]), present + 1
            continue
        local[e["uid"]] = _insert_logged(archive, "logbook_entries", {**row, "uid": e["uid"]}, now)
        added += 1
    for s in logbook["signatures"]:
        eid = local[s["entry_uid"]]
        if archive._one("SELECT id FROM logbook_signatures WHERE entry_id = ?", eid) is not None:
            present += 1
            continue
        e = by_uid[s["entry_uid"]]
        signed = {**{k: e.get(k) for k in _ENTRY_ROW}, "id": e["source_id"]}
        if s["entry_sha256"] not in (row_sha256(signed), row_sha256({**signed, "uid": e["uid"]})):
            raise ArchiveError(f"logbook entry {e['uid']} does not match the hash it was "
                               f"countersigned with (changed after signing)")
        stored = archive._one("SELECT * FROM logbook_entries WHERE id = ?", eid)
        assert stored is not None
        _insert_logged(archive, "logbook_signatures", {
            "entry_id": eid, "signer_table": s["signer_table"], "signer_id": s["signer_id"],
            "at": s["at"], "entry_sha256": row_sha256(stored)}, now)
        added += 1
    for c in logbook["changes"]:
        eid, new = local[c["entry_uid"]], local.get(c.get("new_entry_uid") or "")
        old = archive._one("SELECT kind, new_entry_id FROM logbook_changes WHERE entry_id = ?", eid)
        if old is not None:
            if (old["kind"], old["new_entry_id"]) != (c["kind"], new):
                raise ArchiveError(f"logbook entry {c['entry_uid']} was changed otherwise in this "
                                   f"archive")
            present += 1
            continue
        _insert_logged(archive, "logbook_changes", {
            "entry_id": eid, "kind": c["kind"], "new_entry_id": new, "reason": c["reason"],
            "at": c["at"], "by": c.get("by")}, now)
        added += 1
    for x in logbook["exams"]:
        row = {k: x.get(k) for k in _EXAM_ROW}
        old = _local(archive, "exam_results", "x", x["uid"])
        if old is not None:
            if {k: old[k] for k in _EXAM_ROW} != row:
                raise ArchiveError(f"exam result {x['uid']} is already in this archive with "
                                   f"other content")
            present += 1
            continue
        _insert_logged(archive, "exam_results", {**row, "uid": x["uid"]}, now)
        added += 1
    return added, present
