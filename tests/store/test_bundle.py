"""Bundles between archives: a full round trip, import twice = once, a conflicting drill is
refused and reported, a broken or foreign file changes nothing, anonymized names are stable."""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest

from simtool.store.bundle import export_bundle, import_bundle, read_bundle
from simtool.store.errors import BundleError
from simtool.store.records import Examiner, SheetItem, Trainee

from helpers.archive import fingerprint, play, start_recorded


@pytest.fixture
def laptop(open_archive, pph):
    """An examiner's laptop archive with one signed-and-amended drill and one running drill."""
    archive = open_archive("laptop.sqlite")
    li = archive.add_trainee(Trainee("Li Na", "S1001", "Obstetrics"))
    wang = archive.add_trainee(Trainee("Wang Fang", "S1002", "Obstetrics"))
    done, drill = start_recorded(archive, pph, evaluation_type="summative", trainees={"t1": li, "t2": wang})
    play(drill, archive, done, until=900)
    drill.end()
    examiner = archive.add_examiner(Examiner("Dr Zhou", "E77"))
    sheet = archive.create_sheet(done, rubric_id="pph_osce", rubric_version="1", rubric_text="rubric v1",
                                 data={"global": 4}, trainee_id=li,
                                 items=[SheetItem(item_id="help", result="done", points=2.0, evidence=[4]), SheetItem(item_id="oxy", result="late", points=1.0)])
    archive.sign_sheet(sheet, examiner)
    archive.amend_sheet(sheet, {"global": 5}, examiner, "mis-keyed")
    live, other = start_recorded(archive, pph)
    other.tick(60)
    return archive, done, live


def test_a_bundle_carries_drills_whole_to_another_archive(laptop, open_archive, tmp_path):
    source, done, live = laptop
    path = tmp_path / "drills.simtool"
    manifest = export_bundle(source, [done, live], path)
    assert [d["id"] for d in manifest["drills"]] == [done, live]
    dept = open_archive("department.sqlite")
    report = import_bundle(dept, path)
    assert (report.added, report.already_present, report.refused) == ([done, live], [], [])
    assert dept.events(done) == source.events(done) and dept.vitals(done) == source.vitals(done)
    assert dept.sheets(done) == source.sheets(done)
    assert dept.amendments(dept.sheets(done)[0].id)[0].why == "mis-keyed"
    assert dept.drill(done).status == "signed"
    assert dept.drill(live).status == "interrupted"  # no owner here: offered for resumption
    assert [p.trainee_id for p in dept.drill(done).participants] == \
        [p.trainee_id for p in source.drill(done).participants]
    assert dept.trainee_history(source.drill(done).participants[0].trainee_id)[0].drill.id == done
    assert dept.scenario_text(done) == source.scenario_text(done)
    assert dept.verify() == []


def test_importing_twice_is_importing_once(laptop, open_archive, tmp_path):
    source, done, live = laptop
    path = tmp_path / "drills.simtool"
    export_bundle(source, [done, live], path)
    dept = open_archive("department.sqlite")
    import_bundle(dept, path)
    dept.close()
    before = fingerprint(dept.path)
    dept = open_archive("department.sqlite")
    again = import_bundle(dept, path)
    assert (again.added, again.already_present, again.refused) == ([], [done, live], [])
    dept.close()
    assert fingerprint(dept.path) == before


def test_a_different_drill_under_the_same_id_is_refused_not_overwritten(laptop, open_archive, tmp_path):
    source, done, live = laptop
    first, second = tmp_path / "first.simtool", tmp_path / "second.simtool"
    export_bundle(source, [live], first)
    dept = open_archive("department.sqlite")
    import_bundle(dept, first)
    source.append_event(live, source.events(live)[-1].__class__(99, 61.0, "note", text="later"))
    export_bundle(source, [done, live], second)
    report = import_bundle(dept, second)
    assert report.added == [done]
    assert report.refused == [(live, "a different drill with this id is already in the archive; "
                                     "it was not overwritten")]
    assert dept.events(live) != source.events(live) and len(dept.events(live)) == len(source.events(live)) - 1


def test_a_drill_whose_signed_sheet_was_altered_is_refused(laptop, open_archive, tmp_path):
    source, done, _live = laptop
    path, forged = tmp_path / "drills.simtool", tmp_path / "forged.simtool"
    export_bundle(source, [done], path)
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        name = manifest["drills"][0]["file"]
        doc = json.loads(zf.read(name))
    doc["sheets"][0]["items"][0]["points"] = 9.0   # better marks, manifest hash made to match,
    raw_doc = json.dumps(doc).encode()             # passed off as an unsigned bundle
    manifest["drills"][0]["sha256"] = hashlib.sha256(raw_doc).hexdigest()
    del manifest["signer"]
    with zipfile.ZipFile(forged, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr(name, raw_doc)
    dept = open_archive("department.sqlite")
    report = import_bundle(dept, forged)
    assert report.signature["status"] == "unsigned"
    assert report.added == [] and "does not match its record hash" in report.refused[0][1]
    assert dept.drills() == []


def _write_zip(path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


@pytest.mark.parametrize("damage, message", [
    ("truncated", "not a zip file, or truncated"),
    ("not_zip", "not a zip file, or truncated"),
    ("no_manifest", "no manifest.json"),
    ("foreign", "not a simtool manifest"),
    ("newer", "newer simtool"),
    ("hash", "does not match its hash in the manifest"),
    ("corrupt", "damaged"),
])
def test_a_broken_or_foreign_bundle_is_refused_and_the_archive_untouched(
        laptop, open_archive, tmp_path, damage, message):
    source, done, live = laptop
    good = tmp_path / "good.simtool"
    export_bundle(source, [done, live], good)
    data = good.read_bytes()
    bad = tmp_path / "bad.simtool"
    with zipfile.ZipFile(good) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members["manifest.json"])
    if damage == "truncated":
        bad.write_bytes(data[: len(data) * 2 // 3])
    elif damage == "not_zip":
        bad.write_text("id,scenario\n1,pph\n", encoding="utf-8")
    elif damage == "no_manifest":
        _write_zip(bad, {n: d for n, d in members.items() if n != "manifest.json"})
    elif damage == "foreign":
        _write_zip(bad, {"manifest.json": b'{"format": "photos"}'})
    elif damage == "newer":
        _write_zip(bad, {**members, "manifest.json": json.dumps({**manifest, "format_version": 99}).encode()})
    elif damage == "hash":
        first = manifest["drills"][0]["file"]
        _write_zip(bad, {**members, first: members[first].replace(b'"summative"', b'"formative"')})
    elif damage == "corrupt":
        with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zf:
            for n, d in members.items():
                zf.writestr(n, d)
        blob = bytearray(bad.read_bytes())
        start = blob.find(manifest["drills"][1]["file"].encode()) + 200  # inside the 2nd drill's data
        blob[start:start + 40] = b"\x00" * 40
        bad.write_bytes(bytes(blob))
    seed = tmp_path / "seed.simtool"
    export_bundle(source, [done], seed)
    dept = open_archive("department.sqlite")
    assert import_bundle(dept, seed).added == [done]  # the archive has something to lose
    dept.close()
    before = fingerprint(dept.path)
    dept = open_archive("department.sqlite")
    with pytest.raises(BundleError, match=message) as info:
        import_bundle(dept, bad)
    assert str(bad) in str(info.value)
    dept.close()
    assert fingerprint(dept.path) == before


def test_anonymized_bundles_use_stable_pseudonyms(laptop, open_archive, tmp_path):
    source, done, live = laptop
    one, two = tmp_path / "one.simtool", tmp_path / "two.simtool"
    export_bundle(source, [done], one, anonymize=True)
    export_bundle(source, [done, live], two, anonymize=True)
    _, [doc] = read_bundle(one)
    _, docs = read_bundle(two)
    names = {t["name"] for t in doc["trainees"]}
    assert all(n.startswith("Trainee ") and len(n) == 14 for n in names)
    assert {t["staff_id"][:5] for t in doc["trainees"]} == {"ANON-"}
    assert doc["trainees"] == docs[0]["trainees"]  # same person, same pseudonym, every bundle
    text = json.dumps(docs)
    for real in ("Li Na", "Wang Fang", "Chen Jie", "S1001", "S1002", "Dr Zhou", "E77", "mis-keyed"):
        assert real not in text
    analysis = open_archive("analysis.sqlite")
    with pytest.raises(BundleError, match="anonymised bundle.*--analysis-copy"):
        import_bundle(analysis, two)   # not a record: refused without --analysis-copy
    assert analysis.drills() == []
    report = import_bundle(analysis, two, analysis_copy=True)
    assert report.added == [done, live] and report.analysis_copy
    assert {p.name for p in analysis.drill(done).participants} >= names
    sheets = analysis.sheets(done)
    originals = {s.id: s for s in source.sheets(done)}
    # no rewritten sheet passes for a signed one; each keeps its original's record hash
    assert [s.signed for s in sheets] == [False, False]
    assert [s.record_sha256 for s in sheets] == [originals[s.id].record_sha256 for s in sheets]
    assert analysis.verify() == []
    assert import_bundle(analysis, two, analysis_copy=True).already_present == [done, live]
    assert import_bundle(source, one, analysis_copy=True).refused[0][0] == done  # the real record differs
