"""Hostile bundles (issue 14): crafted fields and ids, zip bombs, deep JSON, forged and
re-signed bundles are refused whole with one sentence and the archive untouched; an
anonymised bundle carries no name, staff id, examiner, site or typed text anywhere."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
import tracemalloc
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from simtool.cli import main
from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.examiner import Override, SheetMarks
from simtool.core.rubric import load_rubric
from simtool.core.runner import sample
from simtool.core.scoring import score
from simtool.store import connection
from simtool.store.archive import Archive
from simtool.store.bundle import export_bundle, import_bundle, read_bundle
from simtool.store.bundlezip import json_depth
from simtool.store.errors import BundleError
from simtool.store.records import Examiner, SheetItem, Trainee
from simtool.store.scores import save_score
from simtool.store.signing import Signer

ROOT = Path(__file__).resolve().parents[2]
RUBRIC = ROOT / "rubrics" / "pph_uterine_atony_technical.yaml"
MiB = 1 << 20

# every identifier and typed text the laptop's drill carries; none may leave anonymised
MARKERS = ("ZZNAME1", "ZZNAME2", "ZZNAME3", "S-ZZ-9", "S-ZZ-7", "S-ZZ-8", "ZZEXAMINER", "ZZEID",
           "ZZTID", "zzpart", "ZZNOTE", "ZZFORCE", "ZZCOMMENT", "ZZITEMNOTE", "ZZREASON", "ZZWHY",
           "ZZSITE", "ZZFREE", "ZZHAND")


class _Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def _open(path: Path) -> Archive:
    return Archive.open(path, clock=_Clock(), actor="tester@lab")


def _record_drill(archive: Archive, pph) -> str:
    """A signed, amended drill whose people, notes, comments and site carry the markers."""
    team = (Participant("zzpart1", "ZZNAME1 Li", "midwife"),
            Participant("zzpart2", "ZZNAME2 Wang", "obstetrician"),
            Participant("p3", "Chen ZZNAME3", "anaesthetist"))
    people = {"zzpart1": Trainee("ZZNAME1 Li", "S-ZZ-9", "Obstetrics", id="ZZTID-1"),
              "zzpart2": Trainee("ZZNAME2 Wang", "S-ZZ-7", "Obstetrics")}
    patient = PatientParams(65.0)
    did = archive.start_drill(pph, patient, team, "summative", people, site="ZZSITE")
    drill = Drill(pph, patient, team)
    archive.record(did, drill)
    for t, action, by, kw in [(760, "call_for_help", "zzpart1", {}), (770, "uterine_massage", "zzpart1", {}),
                              (790, "oxytocin", "zzpart1", {"dose": 10, "unit": "IU", "route": "IM"}),
                              (840, "crystalloid_bolus", "p3", {"dose": 1000, "unit": "mL", "route": "IV"})]:
        while drill.t + 30 <= t:
            drill.advance_to(drill.t + 30)
            archive.append_vitals(did, sample(drill))
        drill.advance_to(t)
        drill.act(action, by=by, **kw)
    drill.note("ZZNOTE: ZZNAME1 Li hesitated", by="instructor")
    drill.advance_to(900)
    drill.force("theatre", reason="ZZFORCE the scenario overran")
    drill.end()
    examiner = archive.add_examiner(Examiner("ZZEXAMINER Zhou", "S-ZZ-8", id="ZZEID-1"))
    rubric = load_rubric(RUBRIC, pph)
    marks = {"zzpart1": SheetMarks(examiner="ZZEXAMINER Zhou", comment="ZZCOMMENT led well by ZZNAME1 Li",
                                   items={"closed_loop": True}, item_comments={"closed_loop": "ZZITEMNOTE"},
                                   overrides={"massage_by_midwife": Override("not met", "ZZREASON saw it myself")})}
    links = {p.id: p.trainee_id for p in archive.drill(did).participants if p.trainee_id}
    sheets = save_score(archive, did, rubric, score(rubric, drill, marks, "summative"), links,
                        created_by="ZZEXAMINER Zhou")
    wang = links["zzpart2"]
    hand = archive.create_sheet(  # simtool never writes these keys; anything typed must go
        did, rubric_id="pph_osce", rubric_version="1", rubric_text="id: pph_osce\n", trainee_id=wang,
        data={"global": 4, "ZZFREE": "ZZFREE text", "remarks": [{"who": "ZZNAME2 Wang"}]},
        items=[SheetItem(item_id="help", result="met", points=2.0, evidence={"reason": "other_person", "by": "zzpart2", "by_role": "midwife",
                                              "text": "done by another midwife: zzpart2",
                                              "note": "ZZHAND note"})],
        created_by="ZZEXAMINER Zhou")
    for sid in [*sheets, hand]:
        archive.sign_sheet(sid, examiner)
    archive.amend_sheet(hand, {"global": 5}, examiner, "ZZWHY ZZNAME2 Wang asked")
    return did


@pytest.fixture(scope="module")
def laptop(tmp_path_factory, pph):
    """The laptop archive (site ZZSITE), its drill and its genuine signed bundle."""
    folder = tmp_path_factory.mktemp("laptop")
    archive = _open(folder / "laptop.sqlite")
    did = _record_drill(archive, pph)
    genuine = folder / "genuine.simtool"
    export_bundle(archive, [did], genuine, site="ZZSITE")
    yield archive, did, genuine
    archive.close()


@pytest.fixture
def dept(tmp_path):
    archive = _open(tmp_path / "dept.sqlite")
    yield archive
    archive.close()


# --- helpers ---------------------------------------------------------------------------------------
def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _write(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _craft(genuine: Path, out: Path, edit=None, signature: str = "strip", raw: bytes | None = None) -> Path:
    """``genuine`` with its drill document edited and the manifest's hash recomputed.

    signature: "strip" (an unsigned bundle), "keep" (the old signature: a re-hashed forgery),
    or a ``Signer`` to sign the edited manifest with."""
    m = _members(genuine)
    manifest = json.loads(m["manifest.json"])
    name = manifest["drills"][0]["file"]
    doc = json.loads(m[name])
    if edit is not None:
        edit(doc)
    data = raw if raw is not None else json.dumps(doc).encode()
    m[name] = data
    manifest["drills"][0]["sha256"] = hashlib.sha256(data).hexdigest()
    if signature == "strip":
        del manifest["signer"], m["signature.json"]
    elif isinstance(signature, Signer):
        manifest["signer"] = signature.manifest_field()
        m["signature.json"] = signature.sign(manifest)
    m["manifest.json"] = json.dumps(manifest).encode()
    return _write(out, m)


def _schema(path: Path) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(path)) as c:
        return c.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()


def _counts(path: Path) -> dict[str, object]:
    with contextlib.closing(sqlite3.connect(path)) as c:
        tables = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        out: dict[str, object] = {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
        out["audit_head"] = c.execute("SELECT max(seq), max(sha256) FROM audit").fetchone()
        return out


def _cli_import(capsys, bundle: Path, db: Path, *options: str) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = main(["bundle", "import", str(bundle), "--archive", str(db), *options])
    out, err = capsys.readouterr()
    return rc, out, err


def _seeded(dept: Archive, laptop) -> None:
    """The department already holds the laptop's drill (something to lose) and knows its key."""
    report = import_bundle(dept, laptop[2])
    assert report.added == [laptop[1]]


# --- 1. fields, ids and SQL --------------------------------------------------------------------------
INJECTION = "x); DROP TABLE audit; --"


@pytest.mark.parametrize("where", [
    "drill", "participants", "events", "vitals", "sheets", "items", "signoffs", "amendments",
    "trainees", "examiners", "document"])
def test_a_crafted_field_name_is_refused_naming_it_and_runs_no_sql(laptop, dept, tmp_path, capsys, where):
    def edit(doc):
        target = {"drill": doc["drill"], "document": doc, "items": doc["sheets"][0]["items"][0]}.get(where)
        (target if target is not None else doc[where][0])[INJECTION] = "1"

    bad = _craft(laptop[2], tmp_path / "crafted.simtool", edit)
    dept.close()
    before, schema = _counts(dept.path), _schema(dept.path)
    rc, out, err = _cli_import(capsys, bad, dept.path)
    assert rc == 1 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"drill {laptop[1]}" in err and f"unknown field '{INJECTION}'" in err
    assert _schema(dept.path) == schema and _counts(dept.path) == before  # nothing ran, nothing added
    again = _open(dept.path)
    assert again.verify() == [] and again.drills() == []
    again.close()


def test_an_unknown_field_is_refused_by_name_not_with_a_database_error(laptop, dept, tmp_path):
    bad = _craft(laptop[2], tmp_path / "newer.simtool",
                 lambda doc: doc["participants"][1].update(pronouns="she"))
    with pytest.raises(BundleError, match=r"drill \S+: participants\[1\]: unknown field 'pronouns'"):
        import_bundle(dept, bad)
    assert dept.drills() == []


@pytest.mark.parametrize("field, value", [
    ("drill", "../../escape"), ("drill", "a/b"), ("drill", "..\\evil"), ("drill", "x\nid"),
    ("participant", "../../t1"), ("participant", "p/1"), ("participant", "p..1"), ("sheet", "s/../1"),
    ("trainee", "../t"),
])
def test_ids_that_could_be_paths_are_refused_at_import(laptop, dept, tmp_path, field, value):
    if field == "drill":   # the manifest, the file name and the document all agree on it
        m = _members(laptop[2])
        manifest = json.loads(m["manifest.json"])
        old = manifest["drills"][0]["file"]
        doc = json.loads(m.pop(old))
        doc["drill"]["id"] = value
        for s in doc["sheets"]:
            s["drill_id"] = value
        data = json.dumps(doc).encode()
        name = f"drills/{value}.json"
        manifest["drills"][0].update(id=value, file=name, sha256=hashlib.sha256(data).hexdigest())
        del manifest["signer"], m["signature.json"]
        bad = _write(tmp_path / "bad.simtool", {**m, "manifest.json": json.dumps(manifest).encode(), name: data})
    else:
        def edit(doc):
            if field == "participant":
                old = doc["participants"][0]["id"]
                doc["participants"][0]["id"] = value
                for e in doc["events"]:
                    if e.get("actor") == old:
                        e["actor"] = value
            elif field == "sheet":
                doc["sheets"][0]["id"] = value
                for r in doc["signoffs"]:
                    r["sheet_id"] = value if r["sheet_id"] == doc["sheets"][0]["id"] else r["sheet_id"]
            else:
                old = doc["trainees"][0]["id"]
                doc["trainees"][0]["id"] = value
                for r in doc["participants"] + doc["sheets"]:
                    if r.get("trainee_id") == old:
                        r["trainee_id"] = value
        bad = _craft(laptop[2], tmp_path / "bad.simtool", edit)
    with pytest.raises(BundleError, match="is not a valid id") as info:
        import_bundle(dept, bad)
    assert "\n" not in str(info.value)
    assert dept.drills() == [] and dept.verify() == []


def test_a_bad_drill_refuses_the_whole_bundle_before_any_sql(laptop, dept, tmp_path, pph, monkeypatch):
    """All-or-nothing: the first drill is fine, the second is not; nothing is imported, and the
    whole file is judged before the archive is asked for a write (a read-only archive still
    gets told what is wrong with the bundle, not that it cannot be written)."""
    other = _open(tmp_path / "other.sqlite")
    second = other.start_drill(pph, PatientParams(70.0), (Participant("t1", "A", "midwife"),))
    two = tmp_path / "two.simtool"
    export_bundle(other, [second], two)
    other.close()
    m, first = _members(laptop[2]), _members(two)
    manifest = json.loads(m["manifest.json"])
    entry2 = json.loads(first["manifest.json"])["drills"][0]
    doc2 = json.loads(first[entry2["file"]])
    doc2["vitals"] = [{"t": 5.0, "hr": 80, "mood": "calm"}]
    raw2 = json.dumps(doc2).encode()
    manifest["drills"].append({**entry2, "sha256": hashlib.sha256(raw2).hexdigest()})
    del manifest["signer"], m["signature.json"]
    bad = _write(tmp_path / "mixed.simtool", {**m, entry2["file"]: raw2, "manifest.json": json.dumps(manifest).encode()})
    dept.close()
    before = _counts(dept.path)
    archive = _open(dept.path)
    with pytest.raises(BundleError, match=rf"drill {second}: vitals\[0\]: unknown field 'mood'"):
        import_bundle(archive, bad)
    archive.close()
    assert _counts(dept.path) == before
    monkeypatch.setattr(connection, "OPEN_MODE", "ro")
    read_only = _open(dept.path)
    with pytest.raises(BundleError, match=rf"drill {second}: vitals\[0\]: unknown field 'mood'"):
        import_bundle(read_only, bad)
    read_only.close()


@pytest.mark.parametrize("damage, message", [
    ("nan", "not a number simtool accepts"),
    ("huge", "must be a finite number"),
    ("huge integer", "must be a finite number"),
    ("thousands of digits", "not valid JSON"),
    ("surrogate", "not valid Unicode text"),
    ("text for a number", "must be a finite number"),
    ("bad status", "is not one of"),
    ("control character in a name", "control character"),
    ("dangling examiner", "is not in the bundle"),
])
def test_values_of_the_wrong_shape_are_refused(laptop, dept, tmp_path, damage, message):
    doc = json.loads(_members(laptop[2])[json.loads(_members(laptop[2])["manifest.json"])["drills"][0]["file"]])
    if damage == "nan":
        doc["events"][0]["t"] = float("nan")
    elif damage == "surrogate":
        doc["trainees"][0]["name"] = "Li \ud800"
    elif damage == "text for a number":
        doc["vitals"][0]["hr"] = "80"
    elif damage == "bad status":
        doc["drill"]["status"] = "approved"
    elif damage == "control character in a name":
        doc["participants"][0]["name"] = "Li\x1b[2J Na"
    elif damage == "dangling examiner":
        doc["signoffs"][0]["examiner_id"] = "someone-else"
    raw = json.dumps(doc).encode()
    if damage == "huge":
        raw = raw.replace(b'"dose": 10.0', b'"dose": 1e999', 1)
    elif damage == "huge integer":
        raw = raw.replace(b'"hr": ', b'"hr": 1' + b"0" * 400, 1)   # 10^402 and a bit
    elif damage == "thousands of digits":
        raw = raw.replace(b'"hr": ', b'"hr": 1' + b"0" * 5000, 1)
    bad = _craft(laptop[2], tmp_path / "bad.simtool", raw=raw)
    with pytest.raises(BundleError, match=message):
        import_bundle(dept, bad)
    assert dept.drills() == []


# --- 2. sizes and depth ------------------------------------------------------------------------------
def _bomb(path: Path, name: str, size: int, manifest_drills: list | None = None) -> Path:
    """A bundle whose member ``name`` inflates to ``size`` bytes of zeros (made here, not stored)."""
    zeros = bytes(MiB)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        drills = manifest_drills if manifest_drills is not None else \
            [{"id": "x", "file": name, "sha256": "0" * 64}]
        zf.writestr("manifest.json", json.dumps({"format": "simtool-bundle", "format_version": 1,
                                                 "drills": drills}))
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w") as w:
            for _ in range(size // MiB):
                w.write(zeros)
    return path


@pytest.fixture(scope="module")
def bomb200(tmp_path_factory) -> Path:
    """200 MiB of zeros as drills/x.json, under 1 MiB on disk (made once per run)."""
    return _bomb(tmp_path_factory.mktemp("bomb") / "bomb.simtool", "drills/x.json", 200 * MiB)


def _peak(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_zip_bomb_is_refused_as_too_large_without_inflating_it(dept, bomb200):
    bomb = bomb200
    assert bomb.stat().st_size < 2 * MiB

    def attempt():
        with pytest.raises(BundleError, match=r"drills/x.json' is too large \(200.0 MiB uncompressed; "
                                              r"the limit is 64.0 MiB\)"):
            import_bundle(dept, bomb)

    assert _peak(attempt) < 4 * MiB
    assert dept.drills() == []


def test_a_member_that_inflates_far_beyond_its_size_is_refused(dept, tmp_path):
    bomb = _bomb(tmp_path / "ratio.simtool", "drills/x.json", 48 * MiB)  # under 64 MiB, ratio ~1000
    with pytest.raises(BundleError, match="drills/x.json' is too large for its size in the bundle"):
        import_bundle(dept, bomb)


def test_a_directory_that_lies_about_a_size_cannot_make_the_reader_inflate_more(dept, tmp_path, bomb200):
    bomb = tmp_path / "liar.simtool"
    data = bytearray(bomb200.read_bytes())
    entry = data.rfind(b"PK\x01\x02")                 # the central directory entry of drills/x.json
    assert data[entry + 46:entry + 46 + 13] == b"drills/x.json"
    data[entry + 24:entry + 28] = (2 * MiB).to_bytes(4, "little")   # "2 MiB uncompressed"
    bomb.write_bytes(bytes(data))

    def attempt():
        with pytest.raises(BundleError, match="drills/x.json is damaged"):
            import_bundle(dept, bomb)

    assert _peak(attempt) < 8 * MiB


def test_too_many_members_are_refused_before_the_directory_is_read(dept, tmp_path):
    eocd = b"PK\x05\x06" + bytes(4) + (0xFFFE).to_bytes(2, "little") * 2 + (1 << 30).to_bytes(4, "little") \
        + bytes(4) + bytes(2)
    fake = tmp_path / "many.simtool"
    fake.write_bytes(bytes(100) + eocd)
    with pytest.raises(BundleError, match="too many members"):
        import_bundle(dept, fake)


@pytest.mark.parametrize("member", ["drill", "manifest", "patient", "sheet data"])
def test_deeply_nested_json_is_refused_not_a_recursion_error(laptop, dept, tmp_path, member):
    deep = "[" * 100_000 + "]" * 100_000
    if member == "sheet data":   # 74 levels: within Python's recursion limit, beyond the cap
        nested: object = 1
        for _ in range(70):
            nested = [nested]
        bad = _craft(laptop[2], tmp_path / "deep.simtool",
                     lambda doc: doc["sheets"][0]["data"].update(extra=nested))
    elif member == "drill":
        bad = _craft(laptop[2], tmp_path / "deep.simtool", raw=deep.encode())
    elif member == "patient":
        bad = _craft(laptop[2], tmp_path / "deep.simtool", lambda doc: doc["drill"].update(patient=deep))
    else:
        m = _members(laptop[2])
        m["manifest.json"] = b'{"format": "simtool-bundle", "format_version": 1, "drills": ' + deep.encode() + b"}"
        bad = _write(tmp_path / "deep.simtool", m)
    with pytest.raises(BundleError, match="nested too deeply"):
        import_bundle(dept, bad)


def _depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


_TRICKY = st.text(alphabet='[]{}"\\ab\u00e9\n', max_size=6)
_JSON = st.recursive(st.none() | st.integers() | _TRICKY,
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TRICKY, inner, max_size=3),
                     max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(_JSON, st.booleans())
def test_the_depth_cap_counts_nesting_as_the_parser_sees_it(value, ascii_only):
    """Brackets, quotes and backslashes inside strings never count as nesting."""
    assert json_depth(json.dumps(value, ensure_ascii=ascii_only).encode()) == _depth(value)


def test_members_the_manifest_does_not_name_are_refused(laptop, dept, tmp_path):
    m = _members(laptop[2])
    bad = _write(tmp_path / "extra.simtool", {**m, "drills/../../evil.sh": b"rm -rf /"})
    with pytest.raises(BundleError, match="is not named in the manifest"):
        import_bundle(dept, bad)


def test_a_fifo_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "pipe.simtool"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def attempt() -> None:
        archive = _open(tmp_path / "dept.sqlite")
        try:
            import_bundle(archive, fifo)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)
        finally:
            archive.close()

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(20)
    if worker.is_alive():   # it is waiting for a writer: give it one so the thread ends
        with open(fifo, "wb"):
            pass
        worker.join(20)
        pytest.fail("importing a FIFO waited for a writer instead of refusing it")
    assert len(outcome) == 1 and isinstance(outcome[0], BundleError)
    assert "not a regular file" in str(outcome[0])


# --- 3. signatures -----------------------------------------------------------------------------------
def test_a_genuine_bundle_is_verified_and_its_key_remembered(laptop, dept, capsys):
    archive, did, genuine = laptop
    rc, out, _err = _cli_import(capsys, genuine, dept.path)
    assert rc == 0
    assert json.loads(_members(genuine)["manifest.json"])["signer"]["site"] == "ZZSITE"
    assert out.splitlines()[0].startswith("signed by ZZSITE with a key this archive has not seen before (")
    rc, out, _err = _cli_import(capsys, genuine, dept.path, "--json")
    report = json.loads(out)
    assert report["signature"]["status"] == "verified" and report["already_present"] == [did]
    assert report["signature"]["message"] == f"signed by ZZSITE (key {report['signature']['fingerprint']}), verified"
    # the laptop knows its own key
    assert import_bundle(archive, genuine).signature["status"] == "verified"


def test_a_re_hashed_forgery_is_refused_as_changed_after_signing(laptop, dept, tmp_path, capsys):
    _seeded(dept, laptop)
    dept.close()
    before = _counts(dept.path)

    def better_marks(doc):
        for item in doc["sheets"][0]["items"]:
            item["points"] = 9.0

    forged = _craft(laptop[2], tmp_path / "forged.simtool", better_marks, signature="keep")
    rc, out, err = _cli_import(capsys, forged, dept.path)
    assert rc == 1 and err.count("\n") == 1
    assert "signature does not match: the bundle was changed after it was signed" in err
    assert _counts(dept.path) == before


def test_removing_the_signature_but_not_the_signer_is_a_changed_bundle(laptop, dept, tmp_path):
    m = _members(laptop[2])
    del m["signature.json"]
    bad = _write(tmp_path / "nosig.simtool", m)
    with pytest.raises(BundleError, match="signature does not match"):
        import_bundle(dept, bad)


def test_a_bundle_re_signed_with_another_key_for_the_same_site_is_refused(laptop, dept, tmp_path, capsys):
    _seeded(dept, laptop)
    dept.close()
    before = _counts(dept.path)
    impostor = Signer("ZZSITE", Ed25519PrivateKey.generate())
    forged = _craft(laptop[2], tmp_path / "resigned.simtool",
                    lambda doc: doc["sheets"][0]["items"][0].update(points=9.0), signature=impostor)
    rc, out, err = _cli_import(capsys, forged, dept.path)
    assert rc == 1 and out == "" and err.count("\n") == 1
    assert "signed by ZZSITE but with a different key than this archive knows for ZZSITE" in err
    assert _counts(dept.path) == before
    # accepted only when asked, and then never shown as the site's known key
    new_drill = _craft(laptop[2], tmp_path / "newkey.simtool", signature=impostor)
    rc, out, err = _cli_import(capsys, new_drill, dept.path, "--accept-new-key")
    assert out.splitlines()[0] == f"signed by ZZSITE with a new key ({impostor.fingerprint}), accepted (--accept-new-key)"


def test_an_impostor_site_key_never_reads_as_verified_on_first_sight(laptop, dept, tmp_path):
    impostor = Signer("ZZSITE", Ed25519PrivateKey.generate())
    bundle = _craft(laptop[2], tmp_path / "first.simtool", signature=impostor)
    report = import_bundle(dept, bundle)
    assert report.signature["status"] == "new key"
    assert "has not seen before" in report.signature["message"] and impostor.fingerprint in report.signature["message"]
    # and the genuine site, arriving second, is the one refused: trust on first use is visible
    with pytest.raises(BundleError, match="different key than this archive knows"):
        import_bundle(dept, laptop[2])


def test_an_unsigned_bundle_imports_saying_so_and_is_refused_when_signatures_are_required(
        laptop, dept, tmp_path, capsys):
    unsigned = _craft(laptop[2], tmp_path / "old.simtool")   # as bundles were before signatures
    dept.close()
    before = _counts(dept.path)
    rc, out, err = _cli_import(capsys, unsigned, dept.path, "--require-signed")
    assert rc == 1 and err.count("\n") == 1 and "is unsigned; refused (--require-signed)" in err
    assert _counts(dept.path) == before
    rc, out, err = _cli_import(capsys, unsigned, dept.path)
    assert rc == 0 and out.splitlines()[0] == "unsigned"
    assert out.splitlines()[1] == "added 1, already present 0, refused 0"
    archive = _open(dept.path)
    again = import_bundle(archive, unsigned)
    assert again.already_present and (again.signature["status"], again.signature["site"]) == ("unsigned", None)
    assert archive.verify() == []
    archive.close()


def test_the_sites_name_is_fixed_once_it_signed(laptop, tmp_path):
    archive = laptop[0]
    with pytest.raises(BundleError, match="signs its bundles as ZZSITE"):
        export_bundle(archive, [laptop[1]], tmp_path / "b.simtool", site="Elsewhere")
    assert not (tmp_path / "b.simtool").exists()


# --- 4. anonymised means anonymous --------------------------------------------------------------------
def _forms(marker: str) -> list[bytes]:
    low = marker.lower()
    out = []
    for text in (low,):
        out += [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be"),
                "".join(f"\\u{ord(c):04x}" for c in text).encode()]
    return out


def _leaks(bundle: Path) -> set[str]:
    with zipfile.ZipFile(bundle) as zf:
        blobs = [n.encode() for n in zf.namelist()] + [zf.read(n) for n in zf.namelist()]
    text = b"\n".join(blobs).lower()
    return {m for m in MARKERS if any(form in text for form in _forms(m))}


def test_an_anonymised_bundle_carries_no_name_staff_id_examiner_site_or_typed_text(laptop, tmp_path, capsys):
    archive, did, genuine = laptop
    assert _leaks(genuine) == set(MARKERS)   # the markers do travel in a normal bundle
    anon = tmp_path / "anon.simtool"
    rc = main(["bundle", "export", "--archive", str(archive.path), "-o", str(anon), "--anonymize",
               "--site", "ZZSITE", "--drill", did])
    assert rc == 0
    assert "signed by Site " in capsys.readouterr().err
    assert _leaks(anon) == set()
    _, [doc] = read_bundle(anon)
    assert all(e["text"] == "[removed]" for e in doc["events"] if e["kind"] in ("note", "force"))
    assert [a["why"] for a in doc["amendments"]] == ["[removed]"]
    assert doc["drill"]["site"].startswith("Site ")
    # what analysis needs is still there
    assert [p["role"] for p in doc["participants"]] == ["anaesthetist", "midwife", "obstetrician"]
    assert {t.get("department") for t in doc["trainees"]} == {"Obstetrics"}
    assert any(i["points"] for s in doc["sheets"] for i in s["items"])


def test_an_anonymised_import_never_yields_a_signed_sheet(laptop, tmp_path):
    archive, did, _genuine = laptop
    anon = tmp_path / "anon.simtool"
    export_bundle(archive, [did], anon, anonymize=True)
    analysis = _open(tmp_path / "analysis.sqlite")
    try:
        report = import_bundle(analysis, anon, analysis_copy=True)
        assert report.added == [did]
        assert report.signature["site"].startswith("Site ") and report.signature["status"] == "new key"
        sheets = analysis.sheets(did)
        assert sheets and not any(s.signed for s in sheets)
        originals = {s.id: s.record_sha256 for s in archive.sheets(did)}
        assert all(s.record_sha256 == originals[s.id] for s in sheets)
        assert analysis.verify() == []
        # making the analysis copy claim to be a record does not make it one: re-signing its
        # rewritten sheets as before is refused, as the content no longer matches the hash
        m = _members(anon)
        manifest = json.loads(m["manifest.json"])
        manifest["anonymized"] = False
        del manifest["signer"], m["signature.json"]
        posing = _write(tmp_path / "posing.simtool", {**m, "manifest.json": json.dumps(manifest).encode()})
        fresh = _open(tmp_path / "fresh.sqlite")
        report = import_bundle(fresh, posing)
        assert report.added == [] and "does not match its record hash" in report.refused[0][1]
        fresh.close()
    finally:
        analysis.close()
