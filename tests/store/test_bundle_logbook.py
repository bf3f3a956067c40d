"""A trainee's logbook travels in a bundle with their drills: entries with their status
(countersigned, corrected, withdrawn), exam results, to the same person in the other archive
(the same staff id at the same site); importing twice adds nothing; an anonymised bundle
carries no case reference, complication or name; an entry altered after its supervisor
signed it, or a logbook that contradicts itself, is refused and changes nothing."""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest

from simtool.app import logbook
from simtool.store.bundle import export_bundle, import_bundle, read_bundle, read_logbook
from simtool.store.errors import BundleError
from simtool.store.records import Examiner, Trainee

from helpers.archive import start_recorded

ENTRY = dict(date="2025-01-02", procedure="stellate_ganglion_block", level="supervised",
             supervisor="D900", site="County A", case_ref="SGB-001", complications="minor bleed")


@pytest.fixture
def laptop(open_archive, pph):
    """Li Na (S100 at County A) with a drill, four logbook entries (signed, corrected into a
    pending one, withdrawn) and a failed practical exam."""
    archive = open_archive("laptop.sqlite")
    li = archive.add_trainee(Trainee("Li Na", "S100", site="County A"))
    archive.add_examiner(Examiner("Dr Wang", "D900", site="County A"))
    did, drill = start_recorded(archive, pph, trainees={"t1": li}, site="County A")
    drill.tick(30)
    drill.end()
    signed = logbook.add_entry(archive, "S100", **ENTRY)
    logbook.sign(archive, signed["id"], "D900")
    wrong = logbook.add_entry(archive, "S100", **{**ENTRY, "case_ref": "SGB-002"})
    logbook.correct_entry(archive, wrong["id"], {"level": "independent"}, "was alone", by="D900")
    twice = logbook.add_entry(archive, "S100", **{**ENTRY, "case_ref": "SGB-003"})
    logbook.withdraw_entry(archive, twice["id"], "entered twice", by="S100")
    logbook.record_exam(archive, "S100", "pph_staff", "practical", "2025-01-05", "fail")
    return archive, did


def statuses(archive, who="S100"):
    return sorted((e["case_ref"], e["level"], e["status"]) for e in logbook.entries(archive, who))


def test_the_logbook_travels_with_its_trainee_and_twice_is_once(laptop, open_archive, tmp_path):
    source, did = laptop
    path = tmp_path / "b.simtool"
    manifest = export_bundle(source, [did], path)
    assert manifest["format_version"] == 2 and manifest["logbook"]["entries"] == 4
    dept = open_archive("dept.sqlite")
    report = import_bundle(dept, path)
    assert report.added == [did] and report.refused == []
    assert "logbook: 8 records added, 0 already present" in report.notes   # 4 entries, 1 signature, 2 changes, 1 exam
    assert statuses(dept) == statuses(source) == [
        ("SGB-001", "supervised", "signed"), ("SGB-002", "independent", "pending"),
        ("SGB-002", "supervised", "corrected"), ("SGB-003", "supervised", "withdrawn")]
    li = dept.find_trainee("S100", "County A")
    assert [(x.exam, x.result) for x in dept.exam_results({li})] == [("practical", "fail")]
    assert dept.verify() == [] and source.verify() == []
    before = dept.db.execute("SELECT max(seq) FROM audit").fetchone()
    again = import_bundle(dept, path)
    assert again.already_present == [did]
    assert "logbook: 0 records added, 8 already present" in again.notes
    assert dept.db.execute("SELECT max(seq) FROM audit").fetchone() == before
    # and back: the laptop recognises its own entries
    back = tmp_path / "back.simtool"
    export_bundle(dept, [did], back, site="Department")
    assert "logbook: 0 records added, 8 already present" in import_bundle(source, back).notes
    assert statuses(source) == statuses(dept)


def test_the_entries_join_the_person_the_other_archive_knows(laptop, open_archive, tmp_path):
    source, did = laptop
    path = tmp_path / "b.simtool"
    export_bundle(source, [did], path)
    dept = open_archive("dept.sqlite")
    mine = dept.add_trainee(Trainee("李娜", "S100", site="County A"))
    dept.add_examiner(Examiner("王主任", "D900", site="County A"))
    extra = logbook.add_entry(dept, "S100", **{**ENTRY, "case_ref": "SGB-900"})
    import_bundle(dept, path)
    assert len(statuses(dept, mine)) == 5                 # one person, both logbooks
    assert [e["id"] for e in logbook.pending_for_supervisor(dept, "D900")][0] == extra["id"]
    assert dept.verify() == []


def test_an_anonymised_bundle_names_nobody_and_types_nothing(laptop, open_archive, tmp_path):
    source, did = laptop
    path = tmp_path / "anon.simtool"
    export_bundle(source, [did], path, anonymize=True)
    _, [doc] = read_bundle(path)
    book = read_logbook(path)
    text = json.dumps(book, ensure_ascii=False)
    for secret in ("SGB-00", "minor bleed", "Li Na", "S100", "D900", "County A", "was alone",
                   "entered twice"):
        assert secret not in text
    assert book["signatures"] == [] and book["examiners"] == []
    assert {e["trainee_id"] for e in book["entries"]} == {t["id"] for t in doc["trainees"]}
    assert len({e["case_ref"] for e in book["entries"]}) == 3   # one case, one pseudonym
    analysis = open_archive("analysis.sqlite")
    import_bundle(analysis, path, analysis_copy=True)
    tid = doc["trainees"][0]["id"]
    assert sorted(e.status for e in analysis.logbook({tid}, current=False)) == [
        "corrected", "pending", "pending", "withdrawn"]
    assert analysis.verify() == []


def _repack(path, out, edit):
    """``path`` with its logbook edited, re-hashed in an unsigned manifest."""
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members["manifest.json"])
    book = json.loads(members["logbook.json"])
    edit(book)
    members["logbook.json"] = json.dumps(book).encode()
    manifest["logbook"]["sha256"] = hashlib.sha256(members["logbook.json"]).hexdigest()
    del manifest["signer"], members["signature.json"]
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(out, "w") as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    return out


def test_an_entry_changed_after_it_was_countersigned_is_refused(laptop, open_archive, tmp_path):
    source, did = laptop
    path = tmp_path / "b.simtool"
    export_bundle(source, [did], path)

    def upgrade(book):
        signed = book["signatures"][0]["entry_uid"]
        next(e for e in book["entries"] if e["uid"] == signed)["level"] = "independent"

    forged = _repack(path, tmp_path / "forged.simtool", upgrade)
    dept = open_archive("dept.sqlite")
    report = import_bundle(dept, forged)
    assert report.added == [did]
    assert [r for r in report.refused if r[0] == "logbook"] == [(
        "logbook", "the logbook was not imported: logbook entry "
        f"{json.loads(zipfile.ZipFile(path).read('logbook.json'))['signatures'][0]['entry_uid']} "
        "does not match the hash it was countersigned with (changed after signing)")]
    assert dept.db.execute("SELECT count(*) FROM logbook_entries").fetchone() == (0,)
    assert dept.verify() == []


@pytest.mark.parametrize("edit, words", [
    (lambda b: b["entries"][0].update(level="alone"), "entries[0]: level: 'alone' is not one of"),
    (lambda b: b["entries"][0].update(date="2025-02-30"), "is not a date written YYYY-MM-DD"),
    (lambda b: b["entries"][0].update(trainee_id="nobody"), "trainee 'nobody' is not in the bundle"),
    (lambda b: b["entries"][0].update(uid="../x"), "is not a valid id"),
    (lambda b: b["entries"][0].update(sql="'); DROP TABLE logbook_entries; --"), "unknown field 'sql'"),
    (lambda b: b["changes"].append({**b["changes"][0], "entry_uid": b["signatures"][0]["entry_uid"],
                                    "new_entry_uid": None, "kind": "withdraw"}),
     "is both countersigned and corrected or withdrawn"),
    (lambda b: b["signatures"][0].update(signer_id="someone"), "examiner 'someone' is not in the bundle"),
    (lambda b: b["entries"].append(b["entries"][0]), "appears twice"),
    (lambda b: b.update(entries="all"), "'entries' must be a list of records"),
])
def test_a_logbook_that_contradicts_itself_refuses_the_bundle_before_any_sql(
        laptop, open_archive, tmp_path, edit, words):
    source, did = laptop
    path = tmp_path / "b.simtool"
    export_bundle(source, [did], path)
    bad = _repack(path, tmp_path / "bad.simtool", edit)
    dept = open_archive("dept.sqlite")
    with pytest.raises(BundleError, match="logbook") as info:
        import_bundle(dept, bad)
    assert words in str(info.value)
    assert dept.db.execute("SELECT count(*) FROM drills").fetchone() == (0,)


def test_a_bundle_without_logbook_entries_stays_format_1(open_archive, pph, tmp_path):
    archive = open_archive("plain.sqlite")
    li = archive.add_trainee(Trainee("Li Na", "S100", site="County A"))
    did, drill = start_recorded(archive, pph, trainees={"t1": li})
    drill.end()
    manifest = export_bundle(archive, [did], tmp_path / "p.simtool")
    assert manifest["format_version"] == 1 and "logbook" not in manifest
