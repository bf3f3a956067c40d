"""Tests that fail when bundle.py's behaviour breaks (issue 25: its surviving mutants): a drill
arrives whole, field for field, with its audit rows; what a bundle file holds and how it is
laid out; which drills are added, already present or refused, and why."""

from __future__ import annotations

import json
import zipfile

import pytest

from simtool import __version__
from simtool.store.bundle import FORMAT_VERSION, ImportReport, drill_document, export_bundle, import_bundle, read_bundle
from simtool.store.errors import BundleError, NotFoundError
from simtool.store.hashing import canonical_json

from helpers.archive import fingerprint, raw
from helpers.bundles import full_drill, members, rewrite, write_zip


@pytest.fixture
def source(open_archive, pph):
    archive = open_archive("laptop.sqlite")
    return archive, full_drill(archive, pph)


def _audit(path, op: str | None = None) -> list[tuple[str, str, str]]:
    with raw(path) as c:
        rows = c.execute("SELECT op, table_name, record_id FROM audit ORDER BY seq").fetchall()
    return [r for r in rows if op is None or r[0] == op]


def test_an_imported_drill_is_the_exported_one_field_for_field(source, open_archive, tmp_path):
    archive, did = source
    path = tmp_path / "b.simtool"
    export_bundle(archive, [did], path)
    dept = open_archive("dept.sqlite")
    before = len(_audit(dept.path))
    report = import_bundle(dept, path)
    assert (report.added, report.already_present, report.refused, report.notes) == ([did], [], [], [])
    assert drill_document(dept, did) == drill_document(archive, did)
    assert dept.verify() == []
    # every record written by the import has its audit row, marked as an import
    tables = [t for _op, t, _id in _audit(dept.path, "import")]
    for table in ("trainees", "examiners", "drills", "events", "vitals", "score_sheets", "signoffs",
                  "amendments"):
        assert table in tables, table
    assert tables.count("score_sheets") == 4 and tables.count("signoffs") == 3
    assert tables.count("amendments") == 1 and tables.count("trainees") == 2
    added = _audit(dept.path)[before:]
    assert added[0][:2] == ("insert", "meta") and added[0][2].startswith("bundle_key:")  # the new key
    assert {op for op, t, _i in added[1:] if t != "drill_indicators"} == {"import"}
    # the drill's indicator results are not imported but computed here and kept, as it commits
    assert [(op, i) for op, t, i in added if t == "drill_indicators"] == [("insert", did)]


def test_the_document_carries_each_record_in_a_fixed_order_and_nothing_else(source):
    archive, did = source
    doc = drill_document(archive, did)
    assert list(doc) == ["drill", "scenario_text", "participants", "events", "vitals", "sheets",
                         "rubric_texts", "signoffs", "amendments", "trainees", "examiners"]
    assert doc["drill"]["site"] == "Ward 5" and doc["drill"]["status"] == "ended"
    assert "ended_at" in doc["drill"] and "updated_at" not in doc["drill"]
    assert [p["id"] for p in doc["participants"]] == sorted(p["id"] for p in doc["participants"])
    assert ["trainee_id" in p for p in doc["participants"]] == [True, True, False]
    assert [e["seq"] for e in doc["events"]] == sorted(e["seq"] for e in doc["events"])
    assert [s["id"] for s in doc["sheets"]][:3] == ["s1-team", "s2-blank", "s3-osce"]  # version, then id
    assert doc["sheets"][3]["version"] == 2 and doc["sheets"][3]["supersedes"] == "s3-osce"
    for s in doc["sheets"]:
        assert [i["item_id"] for i in s["items"]] == sorted(i["item_id"] for i in s["items"])
        assert "audit_seq" not in s and "drill_id" in s
    first = next(s for s in doc["sheets"] if s["rubric_id"] == "pph_osce" and s["version"] == 1)
    assert first["items"] == [{"item_id": "blank"}, {"item_id": "help", "result": "done", "points": 2.0,
                                                     "evidence": [4]},
                              {"item_id": "oxy", "result": "late", "points": 1.0}]
    assert first["data"] == {"global": 4, "notes": ["calm", 2.5]}
    assert [t["id"] for t in doc["trainees"]] == ["li", "wang"]
    assert doc["trainees"][1] == {"id": "wang", "name": "Wang Fang", "staff_id": "S1002"}
    assert doc["examiners"] == [{"id": "ma", "name": "Dr Ma"}, {"id": "zhou", "name": "Dr Zhou", "staff_id": "E77"}]
    assert sorted(doc["rubric_texts"].values()) == ["rubric v1", "team rubric"]
    assert [o["at"] for o in doc["signoffs"]] == sorted(o["at"] for o in doc["signoffs"])
    assert doc["amendments"][0]["why"] == "mis-keyed" and doc["amendments"][0]["by"] == "ma"


def test_a_drill_that_is_not_there_is_named(source):
    archive, _did = source
    with pytest.raises(NotFoundError, match=f"no drill nope in the archive {archive.path}"):
        drill_document(archive, "nope")


# --- export ----------------------------------------------------------------------------------------
def test_the_manifest_lists_each_drill_once_with_its_file_hash_scenario_and_event_count(
        source, tmp_path, pph):
    archive, did = source
    path = tmp_path / "b.simtool"
    manifest = export_bundle(archive, [did, did], path)   # named twice, carried once
    files = members(path)
    assert list(files) == ["manifest.json", "signature.json", f"drills/{did}.json"]
    assert json.loads(files["manifest.json"]) == manifest
    doc_raw = files[f"drills/{did}.json"]
    assert doc_raw == canonical_json(drill_document(archive, did)).encode("utf-8")
    assert manifest["drills"] == [{"id": did, "file": f"drills/{did}.json",
                                   "sha256": __import__("hashlib").sha256(doc_raw).hexdigest(),
                                   "scenario_id": pph.scenario.id, "events": len(archive.events(did))}]
    assert {k: v for k, v in manifest.items() if k not in ("drills", "signer", "created")} == \
        {"format": "simtool-bundle", "format_version": 1, "simtool_version": __version__, "anonymized": False}
    assert manifest["signer"]["site"] == "Ward 5"
    assert manifest["created"].startswith("2025-01-06T")
    assert read_bundle(path) == (manifest, [drill_document(archive, did)])


def test_a_bundle_is_compressed_and_dated_1980_so_the_same_drills_give_the_same_bytes(
        open_archive, pph, tmp_path):
    from datetime import datetime, timezone
    archive = open_archive("fixed.sqlite")
    did = full_drill(archive, pph)
    archive._clock = lambda: datetime(2025, 2, 1, 8, 0, tzinfo=timezone.utc)
    one, two = tmp_path / "one.simtool", tmp_path / "two.simtool"
    export_bundle(archive, [did], one)
    export_bundle(archive, [did], two)
    assert one.read_bytes() == two.read_bytes()
    with zipfile.ZipFile(one) as zf:
        infos = zf.infolist()
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
    assert one.stat().st_size < sum(i.file_size for i in infos) / 2


def test_a_site_name_that_is_not_one_line_is_refused_before_anything_is_written(source, tmp_path):
    archive, did = source
    path = tmp_path / "b.simtool"
    with pytest.raises(BundleError, match=r"--site: contains a control character \('Ward\\n5'\)"):
        export_bundle(archive, [did], path, site="Ward\n5")
    assert not path.exists()
    with pytest.raises(BundleError, match="--site: is longer than 200 characters"):
        export_bundle(archive, [did], path, site="W" * 201)
    assert not path.exists() and archive._meta("signing_site") is None


def test_an_existing_file_is_replaced_only_with_force_and_the_archive_never(source, tmp_path):
    from simtool.store.outputs import OutputError
    archive, did = source
    path = tmp_path / "b.simtool"
    path.write_bytes(b"keep me")
    with pytest.raises(OutputError):
        export_bundle(archive, [did], path)
    assert path.read_bytes() == b"keep me"
    export_bundle(archive, [did], path, force=True)
    assert read_bundle(path)[0]["drills"][0]["id"] == did
    before = archive.path.read_bytes()[:100]
    with pytest.raises(OutputError):
        export_bundle(archive, [did], archive.path, force=True)
    assert archive.path.read_bytes()[:100] == before and archive.verify() == []


def test_an_anonymised_bundle_is_signed_under_the_sites_pseudonym_with_another_key(source, tmp_path):
    archive, did = source
    plain, anon = tmp_path / "plain.simtool", tmp_path / "anon.simtool"
    signed = export_bundle(archive, [did], plain)
    hidden = export_bundle(archive, [did], anon, anonymize=True)
    assert hidden["anonymized"] is True
    assert hidden["signer"]["site"] != "Ward 5" and "Ward" not in hidden["signer"]["site"]
    assert hidden["signer"]["public_key"] != signed["signer"]["public_key"]
    _manifest, [doc] = read_bundle(anon)
    assert "Li Na" not in json.dumps(doc) and doc["drill"]["id"] == did


# --- reading ---------------------------------------------------------------------------------------
@pytest.fixture
def bundle(source, tmp_path):
    archive, did = source
    path = tmp_path / "genuine.simtool"
    export_bundle(archive, [did], path)
    return path, did


def _refused(dept, path, message: str) -> BundleError:
    before = fingerprint(dept.path)
    with pytest.raises(BundleError) as info:
        import_bundle(dept, path)
    assert message in str(info.value), str(info.value)
    assert fingerprint(dept.path) == before
    return info.value


@pytest.mark.parametrize("version, message", [
    (FORMAT_VERSION + 1, f"was made by a newer simtool (bundle format {FORMAT_VERSION + 1}); this "
                         f"simtool reads up to {FORMAT_VERSION}"),
    ("1", f"was made by a newer simtool (bundle format 1); this simtool reads up to {FORMAT_VERSION}"),
    (None, f"was made by a newer simtool (bundle format None); this simtool reads up to {FORMAT_VERSION}"),
])
def test_a_manifest_of_another_format_version_is_refused_saying_which(bundle, open_archive, tmp_path,
                                                                     version, message):
    path, _did = bundle
    bad = rewrite(path, tmp_path / "v.simtool", manifest_edit=lambda m: m.update(format_version=version))
    err = _refused(open_archive("dept.sqlite"), bad, message)
    assert str(err).startswith(f"{bad} was made")


def test_format_version_1_unsigned_is_read(bundle, open_archive, tmp_path):
    path, did = bundle
    ok = rewrite(path, tmp_path / "v1.simtool")
    report = import_bundle(open_archive("dept.sqlite"), ok)
    assert report.added == [did] and report.signature["status"] == "unsigned"


@pytest.mark.parametrize("manifest, message", [
    (b"[1, 2]", "is not a simtool bundle (its manifest is not a simtool manifest)"),
    (b'{"format": "simtool-bundlex", "format_version": 1, "drills": []}', "its manifest is not a simtool manifest"),
    (b'{"format": "simtool-bundle", "format_version": 1, "drills": [], "extra": 1}',
     ": manifest.json: unknown field 'extra'"),
    (b'{"format": "simtool-bundle", "format_version": 1, "drills": {}}', ": manifest.json: has no list of drills"),
    (b'{"format": "simtool-bundle", "format_version": 1, "drills": [], "created": "yesterday"}',
     ": manifest.json: created: 'yesterday' is not an ISO 8601 time"),
    (b'{"format": "simtool-bundle", "format_version": 1', ": manifest.json is not valid JSON"),
])
def test_a_manifest_that_is_not_a_simtool_one_is_refused(open_archive, tmp_path, manifest, message):
    bad = write_zip(tmp_path / "m.simtool", {"manifest.json": manifest})
    err = _refused(open_archive("dept.sqlite"), bad, message)
    assert str(err).startswith(str(bad))


def test_no_manifest_is_named(open_archive, tmp_path):
    bad = write_zip(tmp_path / "none.simtool", {"readme.txt": b"hello"})
    err = _refused(open_archive("dept.sqlite"), bad, "no manifest.json; not a simtool bundle")
    assert str(err) == f"{bad}: no manifest.json; not a simtool bundle"


def test_a_member_the_manifest_does_not_name_is_refused_by_name(bundle, open_archive, tmp_path):
    path, _did = bundle
    bad = rewrite(path, tmp_path / "x.simtool", extra={"drills/other.json": b"{}"})
    err = _refused(open_archive("dept.sqlite"), bad, "the member 'drills/other.json' is not named in the manifest")
    assert str(err) == f"{bad}: the member 'drills/other.json' is not named in the manifest; not a simtool bundle"


def test_a_listed_drill_file_that_is_missing_is_named(bundle, open_archive, tmp_path):
    path, did = bundle
    files = members(path)
    files.pop("signature.json")
    manifest = json.loads(files["manifest.json"])
    del manifest["signer"]
    files["manifest.json"] = json.dumps(manifest).encode()
    del files[f"drills/{did}.json"]
    bad = write_zip(tmp_path / "gone.simtool", files)
    _refused(open_archive("dept.sqlite"), bad, f"{bad}: drills/{did}.json is listed in the manifest but missing")


def test_a_drill_file_that_does_not_match_its_hash_names_the_file(bundle, open_archive, tmp_path):
    path, did = bundle
    bad = rewrite(path, tmp_path / "h.simtool",
                  manifest_edit=lambda m: m["drills"][0].update(sha256="0" * 64))
    err = _refused(open_archive("dept.sqlite"), bad, "does not match its hash")
    assert str(err) == f"{bad}: drills/{did}.json does not match its hash in the manifest (damaged or altered)"


def test_a_bad_record_is_named_by_bundle_drill_list_and_field(bundle, open_archive, tmp_path):
    path, did = bundle
    bad = rewrite(path, tmp_path / "f.simtool", edit=lambda d: d["participants"][0].update(shoe="42"))
    err = _refused(open_archive("dept.sqlite"), bad, "unknown field")
    assert str(err) == f"{bad}: drill {did}: participants[0]: unknown field 'shoe'"
    with pytest.raises(BundleError, match=f"drill {did}: participants"):
        read_bundle(bad)


def test_read_bundle_refuses_a_signed_manifest_changed_after_signing(bundle, tmp_path):
    path, _did = bundle
    files = members(path)
    manifest = json.loads(files["manifest.json"])
    manifest["created"] = "2030-01-01T00:00:00+00:00"
    bad = write_zip(tmp_path / "c.simtool", {**files, "manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(BundleError, match=f"^{bad}: signature does not match"):
        read_bundle(bad)


# --- import ----------------------------------------------------------------------------------------
def test_the_report_says_what_happened_as_plain_data(bundle, open_archive):
    path, did = bundle
    dept = open_archive("dept.sqlite")
    out = import_bundle(dept, path).to_dict()
    assert out["added"] == [did] and out["already_present"] == [] and out["refused"] == []
    assert out["notes"] == [] and out["analysis_copy"] is False
    assert out["signature"]["status"] == "new key" and out["signature"]["site"] == "Ward 5"
    assert set(out["signature"]) == {"status", "message", "site", "fingerprint"}
    again = import_bundle(dept, path).to_dict()
    assert again["signature"]["status"] == "verified" and again["already_present"] == [did]
    assert ImportReport().to_dict() == {
        "added": [], "already_present": [], "refused": [], "notes": [], "analysis_copy": False,
        "signature": {"status": "unsigned", "message": "unsigned", "site": None, "fingerprint": None}}
    report = ImportReport(refused=[("d1", "why")])
    assert report.to_dict()["refused"] == [{"id": "d1", "reason": "why"}]


def test_an_unsigned_bundle_records_no_key(bundle, open_archive, tmp_path):
    path, did = bundle
    dept = open_archive("dept.sqlite")
    import_bundle(dept, rewrite(path, tmp_path / "u.simtool"))
    with raw(dept.path) as c:
        assert c.execute("SELECT count(*) FROM meta WHERE key LIKE 'bundle_key:%'").fetchone()[0] == 0
    # the genuine bundle, imported after, is a new key and then known
    assert import_bundle(dept, path).signature["status"] == "new key"
    assert import_bundle(dept, path).signature["status"] == "verified"


def test_a_live_drill_without_site_or_vitals_arrives_without_them(open_archive, pph, tmp_path):
    from helpers.archive import start_recorded
    archive = open_archive("laptop.sqlite")
    did, drill = start_recorded(archive, pph)
    drill.tick(60)
    path = tmp_path / "live.simtool"
    export_bundle(archive, [did], path)
    dept = open_archive("dept.sqlite")
    assert import_bundle(dept, path).added == [did]
    doc = drill_document(dept, did)
    assert "ended_at" not in doc["drill"] and "site" not in doc["drill"] and doc["vitals"] == []
    assert doc == drill_document(archive, did)
    assert "vitals" not in [t for _op, t, _i in _audit(dept.path, "import")]
    assert dept.verify() == []


def test_a_drill_already_present_is_kept_and_a_different_person_record_is_noted_once(
        open_archive, pph, tmp_path):
    archive = open_archive("laptop.sqlite")
    one = full_drill(archive, pph)
    path = tmp_path / "one.simtool"
    export_bundle(archive, [one], path)
    dept = open_archive("dept.sqlite")
    assert import_bundle(dept, path).added == [one]
    archive.update_trainee("li", name="Li Na-Chen")
    archive.update_examiner("zhou", staff_id="E78")
    from helpers.archive import start_recorded
    two, drill = start_recorded(archive, pph, trainees={"t1": "li"})
    drill.tick(30)
    archive.sign_sheet(archive.create_sheet(two, rubric_id="r", rubric_version="1", rubric_text="r",
                                            data={}), "zhou")
    both = tmp_path / "both.simtool"
    export_bundle(archive, [one, two], both)
    report = import_bundle(dept, both)
    assert (report.added, report.already_present, report.refused) == ([two], [one], [])
    assert report.notes == ["trainee li differs from the archive's record; the archive's was kept",
                            "examiner zhou differs from the archive's record; the archive's was kept"]
    assert dept.trainee("li").name == "Li Na" and dept.examiner("zhou").staff_id == "E77"


def test_a_sheet_id_already_in_another_drill_refuses_that_drill_only_and_leaves_nothing_of_it(
        open_archive, pph, tmp_path):
    archive = open_archive("laptop.sqlite")
    one = full_drill(archive, pph)
    other = open_archive("other.sqlite")
    two = full_drill(other, pph)          # the same sheet ids, another drill
    first, second = tmp_path / "one.simtool", tmp_path / "two.simtool"
    export_bundle(archive, [one], first)
    export_bundle(other, [two], second)
    dept = open_archive("dept.sqlite")
    import_bundle(dept, first)
    before = fingerprint(dept.path)
    report = import_bundle(dept, rewrite(second, tmp_path / "u.simtool"))
    assert report.added == [] and report.refused == [
        (two, "score sheet s1-team is already in the archive under another drill")]
    after = fingerprint(dept.path)
    assert {k: v for k, v in after.items() if k not in ("meta", "audit_head")} == \
        {k: v for k, v in before.items() if k not in ("meta", "audit_head")}
    assert dept.verify() == []


def test_records_that_contradict_each_other_refuse_the_drill_with_the_reason(bundle, open_archive, tmp_path):
    path, did = bundle

    def twice(doc):   # two sheets both superseding s3-osce
        copy = {**doc["sheets"][3], "id": "s9-copy", "version": 3}
        copy.pop("signed_at"), copy.pop("signed_by"), copy.pop("record_sha256")
        doc["sheets"].append(copy)

    dept = open_archive("dept.sqlite")
    before = fingerprint(dept.path)
    report = import_bundle(dept, rewrite(path, tmp_path / "c.simtool", edit=twice))
    assert report.added == [] and report.refused[0][0] == did
    assert report.refused[0][1].startswith("its records contradict each other or this archive (UNIQUE")
    assert fingerprint(dept.path)["drills"] == before["drills"] == 0
    assert dept.verify() == []


def test_sheets_listed_out_of_version_order_are_imported(bundle, open_archive, tmp_path, source):
    archive, _ = source
    path, did = bundle
    dept = open_archive("dept.sqlite")
    report = import_bundle(dept, rewrite(path, tmp_path / "r.simtool", edit=lambda d: d["sheets"].reverse()))
    assert report.added == [did] and report.refused == []
    assert drill_document(dept, did) == drill_document(archive, did)


def test_a_signed_sheet_changed_after_signing_names_the_sheet(bundle, open_archive, tmp_path):
    path, did = bundle

    def better(doc):
        doc["sheets"][2]["items"][2]["points"] = 9.0   # s3-osce, "oxy"

    dept = open_archive("dept.sqlite")
    report = import_bundle(dept, rewrite(path, tmp_path / "s.simtool", edit=better))
    assert report.refused == [(did, "signed score sheet s3-osce does not match its record hash "
                                    "(changed after signing)")]
    assert dept.drills() == [] and dept.verify() == []


def test_an_analysis_copy_is_said_so_and_a_plain_bundle_is_not_one(source, open_archive, tmp_path):
    archive, did = source
    anon, plain = tmp_path / "anon.simtool", tmp_path / "plain.simtool"
    export_bundle(archive, [did], anon, anonymize=True)
    export_bundle(archive, [did], plain)
    copy = open_archive("analysis.sqlite")
    with pytest.raises(BundleError) as info:
        import_bundle(copy, anon)
    assert str(info.value).startswith(f"{anon} is an anonymised bundle: its score sheets were rewritten")
    report = import_bundle(copy, anon, analysis_copy=True)
    assert report.analysis_copy is True and report.notes == [
        "anonymised bundle imported as an analysis copy: its score sheets are stored unsigned, each "
        "keeping the original's record hash"]
    assert [s.signed for s in copy.sheets(did)] == [False] * 4
    dept = open_archive("dept.sqlite")
    report = import_bundle(dept, plain, analysis_copy=True)
    assert report.analysis_copy is False and report.notes == []
    assert sorted(s.signed for s in dept.sheets(did)) == [False, True, True, True]
    # anonymized given as something other than true is not taken for an anonymised bundle
    odd = rewrite(plain, tmp_path / "odd.simtool", manifest_edit=lambda m: m.update(anonymized=False))
    assert import_bundle(open_archive("odd.sqlite"), odd).analysis_copy is False


def test_people_already_present_and_unchanged_are_not_noted(open_archive, pph, tmp_path):
    from helpers.archive import start_recorded
    archive = open_archive("laptop.sqlite")
    one = full_drill(archive, pph)
    first = tmp_path / "one.simtool"
    export_bundle(archive, [one], first)
    dept = open_archive("dept.sqlite")
    import_bundle(dept, first)
    two, drill = start_recorded(archive, pph, trainees={"t1": "li", "t2": "wang"})
    drill.tick(30)
    archive.sign_sheet(archive.create_sheet(two, rubric_id="r", rubric_version="1", rubric_text="r", data={},
                                            trainee_id="li"), "zhou")
    second = tmp_path / "two.simtool"
    export_bundle(archive, [two], second)
    report = import_bundle(dept, second)
    assert report.added == [two] and report.notes == []
    assert drill_document(dept, two) == drill_document(archive, two)


def test_a_drill_file_that_is_not_json_names_the_bundle_and_drill(bundle, open_archive, tmp_path):
    import hashlib
    path, did = bundle
    files = members(path)
    files.pop("signature.json")
    manifest = json.loads(files["manifest.json"])
    del manifest["signer"]
    files[f"drills/{did}.json"] = b'{"drill": '
    manifest["drills"][0]["sha256"] = hashlib.sha256(b'{"drill": ').hexdigest()
    files["manifest.json"] = json.dumps(manifest).encode()
    bad = write_zip(tmp_path / "j.simtool", files)
    err = _refused(open_archive("dept.sqlite"), bad, "is not valid JSON")
    assert str(err).startswith(f"{bad}: drill {did} is not valid JSON (Expecting value")
