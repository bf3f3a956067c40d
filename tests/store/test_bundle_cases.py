"""Real cases travel in bundles (format 4): every case of the sites exported, withdrawn ones
withdrawn; importing twice adds nothing; the same uid with other content is refused, never
overwritten; a reference the receiving archive keeps for another case is kept under a code of
the case's uid; an anonymised bundle carries site and case reference pseudonyms and nobody's
name; a hostile cases.json is refused whole before anything is written."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile

import pytest

from simtool.app.cases import enter_case, withdraw
from simtool.store import bundlezip
from simtool.store import bundle as bundle_module
from simtool.store.anonymize import archive_secret, case_pseudonym, site_name
from simtool.store.bundle import export_bundle, import_bundle, read_cases
from simtool.store.bundlecheck import renamed_ref
from simtool.store.cases import cases, cases_indicators_report
from simtool.store.archive import Archive
from simtool.store.errors import BundleError

from helpers.archive import FakeClock, fingerprint, start_recorded

ROWS = [{"t": "12:40", "action": "call_for_help", "by": "midwife"},
        {"t": "13:10", "action": "oxytocin", "dose": "10", "unit": "IU", "route": "IM", "by": "midwife"},
        {"t": "14:00", "action": "uterine_massage", "by": "obstetrician"}]


def add(archive, pph, rows=ROWS, **kw):
    kw.setdefault("date", "2024-11-03")
    return enter_case(archive, pph, rows, 1200, **kw)


def kept(archive) -> list[dict]:
    """Every case as listed (withdrawn too), without this archive's own row ids."""
    return [{k: v for k, v in c.items() if k != "id"} for c in cases(archive, withdrawn=True)]


def audit_head(archive):
    return archive._conn.execute("SELECT max(seq), count(*) FROM audit").fetchone()


@pytest.fixture
def county(shared, open_archive, tmp_path):
    """A copy of the county's archive of its own (made once: playing cases takes time)."""
    folder, did = shared
    shutil.copy(folder / "county.sqlite", tmp_path / "county.sqlite")
    return open_archive("county.sqlite"), did


def fill_county(archive, pph) -> str:
    """County A's archive: a drill at County A; three cases there (one withdrawn, one in
    another department), one at County B, one without a site; the drill's id."""
    did, drill = start_recorded(archive, pph, site="County A")
    drill.tick(30)
    drill.end()
    add(archive, pph, site="County A", department="Obstetrics", case_ref="PPH-2024-014")
    wrong = add(archive, pph, ROWS[:2], site="County A", department="Obstetrics")
    withdraw(archive, wrong.case_ref, "entered with the wrong date", by="Dr Wang")
    add(archive, pph, ROWS[1:], site="County A", department="Anaesthesia", date="2024-08-01")
    add(archive, pph, ROWS[:1], site="County B", department="Obstetrics")
    add(archive, pph, ROWS[::2])
    return did


@pytest.fixture(scope="module")
def shared(tmp_path_factory, pph):
    """The county's archive and its genuine bundle of every case, made once: (folder, drill)."""
    folder = tmp_path_factory.mktemp("county")
    with Archive.open(folder / "county.sqlite", clock=FakeClock(), actor="tester@lab") as archive:
        did = fill_county(archive, pph)
        export_bundle(archive, [did], folder / "all.simtool", site="County A", all_cases=True)
    return folder, did


@pytest.fixture
def genuine(shared):
    return shared[0] / "all.simtool"


# --- what travels -------------------------------------------------------------------------------
def test_every_case_travels_with_its_withdrawal_and_twice_is_once(county, genuine, open_archive):
    source, did = county
    manifest = json.loads(zipfile.ZipFile(genuine).read("manifest.json"))
    assert manifest["format_version"] == bundle_module.FORMAT_VERSION == 4
    assert manifest["cases"]["cases"] == 5 and manifest["cases"]["withdrawals"] == 1
    dept = open_archive("dept.sqlite")
    report = import_bundle(dept, genuine)
    assert report.added == [did] and report.refused == []
    assert "real cases: 5 added, 0 already present; withdrawals: 1 added, 0 already present" in report.notes
    assert kept(dept) == kept(source)
    assert [c["case_ref"] for c in cases(dept)] == [c["case_ref"] for c in cases(source)]   # withdrawn: nowhere
    assert dept.verify() == []
    ops = dept._conn.execute("SELECT table_name, op, count(*) FROM audit WHERE table_name LIKE "
                             "'real_case%' GROUP BY 1, 2 ORDER BY 1").fetchall()
    assert ops == [("real_case_indicators", "import", sum(len(c["indicators"]) for c in kept(source))),
                   ("real_case_withdrawals", "import", 1), ("real_cases", "import", 5)]
    # the report the department reads is the county's, filter by filter (cases are read row by row)
    for kw in ({}, {"site": "County A"}, {"department": "Obstetrics"},
               {"site": "County A", "department": "Anaesthesia"}):
        assert cases_indicators_report(dept, **kw) == cases_indicators_report(source, **kw), kw
    before = audit_head(dept)
    again = import_bundle(dept, genuine)
    assert "real cases: 0 added, 5 already present; withdrawals: 0 added, 1 already present" in again.notes
    assert audit_head(dept) == before and again.refused == []


def test_with_drill_filters_the_cases_of_the_drills_sites_travel(county, open_archive, pph, tmp_path):
    source, did = county
    path = tmp_path / "a.simtool"
    manifest = export_bundle(source, [did], path, site="County A")
    assert manifest["cases"] == {**manifest["cases"], "cases": 3, "withdrawals": 1}
    assert {c["site"] for c in read_cases(path)["cases"]} == {"County A"}
    # a drill without a site takes the cases without one
    nowhere, drill = start_recorded(source, pph)
    drill.tick(10)
    drill.end()
    export_bundle(source, [nowhere], tmp_path / "none.simtool")
    assert [c.get("site") for c in read_cases(tmp_path / "none.simtool")["cases"]] == [None]
    # a withdrawal made later at the county reaches the department with the next bundle
    dept = open_archive("dept.sqlite")
    import_bundle(dept, path)
    withdraw(source, "PPH-2024-014", "a drill, not a real case", by="Dr Wang")
    export_bundle(source, [did], path, site="County A", force=True)
    report = import_bundle(dept, path)
    assert "real cases: 0 added, 3 already present; withdrawals: 1 added, 1 already present" in report.notes
    assert kept(dept) == [c for c in kept(source) if c["site"] == "County A"]
    assert dept.verify() == []


def test_a_bundle_without_cases_keeps_its_older_format(open_archive, pph, tmp_path):
    archive = open_archive()
    did, drill = start_recorded(archive, pph, site="County C")
    drill.tick(10)
    drill.end()
    add(archive, pph, site="County D")
    manifest = export_bundle(archive, [did], tmp_path / "b.simtool")
    assert manifest["format_version"] == 1 and "cases" not in manifest
    assert read_cases(tmp_path / "b.simtool") is None
    assert import_bundle(open_archive("other.sqlite"), tmp_path / "b.simtool").added == [did]


# --- anonymised ---------------------------------------------------------------------------------
def test_an_anonymised_bundle_keeps_the_cases_with_pseudonyms(county, open_archive, tmp_path):
    source, did = county
    path = tmp_path / "anon.simtool"
    export_bundle(source, [did], path, anonymize=True, all_cases=True)
    raw = b"".join(zipfile.ZipFile(path).read(n) for n in zipfile.ZipFile(path).namelist())
    for word in (b"County A", b"County B", b"PPH-2024-014", b"RC-2024", b"wrong date", b"Dr Wang",
                 b"tester@lab"):
        assert word not in raw, word
    doc = read_cases(path)
    secret = archive_secret(source)
    assert sorted((c["case_ref"], c.get("site") or "") for c in doc["cases"]) == sorted(
        (case_pseudonym(secret, c["case_ref"]), c["site"] and site_name(secret, c["site"]) or "")
        for c in kept(source))
    assert all(re.fullmatch(r"CASE-[0-9A-F]{10}", c["case_ref"]) and "by" not in c for c in doc["cases"])
    assert doc["withdrawals"][0]["reason"] == "[removed]" and "by" not in doc["withdrawals"][0]
    analysis = open_archive("analysis.sqlite")
    with pytest.raises(BundleError, match="anonymised bundle"):
        import_bundle(analysis, path)
    assert import_bundle(analysis, path, analysis_copy=True).refused == []
    for kw in ({}, {"department": "Obstetrics"}):   # what an analysis compares is kept
        assert cases_indicators_report(analysis, **kw) == cases_indicators_report(source, **kw)
    assert analysis.verify() == []
    # never beside its original: the same uids are other content there
    report = import_bundle(source, path, analysis_copy=True)
    refused = [why for what, why in report.refused if what.startswith("real case ")]
    assert len(refused) == 5 and all("was not overwritten" in why for why in refused)


# --- conflicts ----------------------------------------------------------------------------------
def craft(genuine, out, edit=None, *, rehash=True, raw=None):
    """``genuine`` with its cases.json edited (and the manifest's hash recomputed), unsigned."""
    with zipfile.ZipFile(genuine) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    doc = json.loads(files["cases.json"])
    if edit is not None:
        edit(doc)
    data = raw if raw is not None else json.dumps(doc).replace('"__1e999__"', "1e999").encode()
    files["cases.json"] = data
    manifest = json.loads(files.pop("manifest.json"))
    del manifest["signer"], files["signature.json"]
    if rehash:
        manifest["cases"]["sha256"] = hashlib.sha256(data).hexdigest()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for name, data in files.items():
            zf.writestr(name, data)
    return out


def test_the_same_uid_with_other_content_is_refused_never_overwritten(county, genuine, open_archive, tmp_path):
    dept = open_archive("dept.sqlite")
    import_bundle(dept, genuine)
    before = kept(dept)

    def later_oxytocin(doc):
        doc["cases"][0]["timeline"][1]["t"] += 600

    forged = craft(genuine, tmp_path / "forged.simtool", later_oxytocin)
    report = import_bundle(dept, forged)
    uid = read_cases(genuine)["cases"][0]["uid"]
    assert report.refused == [("real case PPH-2024-014", f"a different real case with its uid {uid} is "
                                                         f"already in the archive (as PPH-2024-014); it "
                                                         f"was not overwritten")]
    assert kept(dept) == before and dept.verify() == []


def test_a_reference_kept_here_for_another_case_is_kept_under_a_code_of_its_uid(open_archive, pph, tmp_path):
    """Two sites both number their first case of a day RC-20241103-1: neither is lost, and
    each archive still knows its own when it comes back."""
    a, b = open_archive("a.sqlite"), open_archive("b.sqlite")
    mine = add(a, pph, site="County A")
    theirs = add(b, pph, ROWS[:2], site="County B")
    assert mine.case_ref == theirs.case_ref == "RC-20241103-1"
    export_bundle(b, [], tmp_path / "b.simtool", site="County B", all_cases=True)
    report = import_bundle(a, tmp_path / "b.simtool")
    uid = read_cases(tmp_path / "b.simtool")["cases"][0]["uid"]
    renamed = renamed_ref("RC-20241103-1", uid)
    assert re.fullmatch(r"RC-20241103-1 \([0-9a-f]{8}\)", renamed)
    assert f"real case RC-20241103-1 is kept here as {renamed}: this archive keeps RC-20241103-1 " \
           f"for another case" in report.notes
    assert [c["case_ref"] for c in cases(a)] == ["RC-20241103-1", renamed]
    assert "real cases: 0 added, 1 already present" in import_bundle(a, tmp_path / "b.simtool").notes[-1]
    export_bundle(a, [], tmp_path / "a.simtool", site="County A", all_cases=True)
    back = import_bundle(b, tmp_path / "a.simtool")
    assert back.refused == [] and back.notes[-1].startswith("real cases: 1 added, 1 already present")
    assert sorted(c["case_ref"] for c in cases(b)) == ["RC-20241103-1", renamed_ref("RC-20241103-1", mine_uid(a))]
    assert a.verify() == [] and b.verify() == []


def mine_uid(archive) -> str:
    return archive._one("SELECT uid FROM real_cases WHERE case_ref = 'RC-20241103-1'")["uid"]


# --- hostile cases.json -------------------------------------------------------------------------
def _case(doc):
    return doc["cases"][0]


def _duplicate(doc):
    doc["cases"].append({**_case(doc), "case_ref": "PPH-2024-999"})


def _many_actions(doc):
    _case(doc)["timeline"] = [{"t": 1.0, "action": "call_for_help"}] * 100_001


HOSTILE = {
    "a name as case reference": (lambda d: _case(d).update(case_ref="张三"), "a person's name"),
    "letters as case reference": (lambda d: _case(d).update(case_ref="Mary Smith"), "a person's name"),
    "an identity card number": (lambda d: _case(d).update(case_ref="11010519491231002X"), "identity card"),
    "a record number": (lambda d: _case(d).update(case_ref="MRN 13812345678"), "record number"),
    "a made-up reference with a phone number": (lambda d: _case(d).update(case_ref="RC-13812345-678"),
                                               "record number"),
    "markup": (lambda d: _case(d).update(case_ref="<b>PPH-1</b>"), "'<' is not allowed"),
    "10k characters": (lambda d: _case(d).update(case_ref="P1" * 5000), "longer than 200"),
    "a renamed name": (lambda d: _case(d).update(case_ref="Mary Smith (0123abcd)"), "a person's name"),
    "infinite time": (lambda d: _case(d)["timeline"][0].update(t="__1e999__"), "cases[0]: timeline[0]: t"),
    "a time past a day": (lambda d: _case(d)["timeline"][0].update(t=86_401), "timeline[0]: t"),
    "a negative time": (lambda d: _case(d)["timeline"][0].update(t=-1), "timeline[0]: t"),
    "an infinite dose": (lambda d: _case(d)["timeline"][1].update(dose="__1e999__"), "timeline[1]: dose"),
    "a name in a timeline": (lambda d: _case(d)["timeline"][0].update(by="Zhang San"), "timeline[0]: by"),
    "free text in a timeline": (lambda d: _case(d)["timeline"][0].update(note="bed 12"), "unknown field 'note'"),
    "a patient field": (lambda d: _case(d).update(patient="Wu"), "unknown field 'patient'"),
    "no actions": (lambda d: _case(d).update(timeline=[]), "has no actions"),
    "more actions than a script may hold": (_many_actions, "more than 100,000 actions"),
    "a met that is not true or false": (lambda d: _case(d)["indicators"][0].update(met=2), "met"),
    "an indicator twice": (lambda d: _case(d)["indicators"].append(_case(d)["indicators"][0]),
                           "indicator"),
    "a withdrawal of a case not in the bundle": (
        lambda d: d["withdrawals"].append({"case_uid": "0" * 32, "reason": "x", "at": "2024-11-04T09:00:00+00:00"}),
        "is not in the bundle"),
    "a case withdrawn twice": (lambda d: d["withdrawals"].append(d["withdrawals"][0]), "withdrawn case"),
    "a duplicate uid": (_duplicate, "real case"),
    "a duplicate case reference": (lambda d: d["cases"].append({**_case(d), "uid": "f" * 32}),
                                   "case reference 'PPH-2024-014' appears twice"),
    "a scenario text not matching its hash": (
        lambda d: d["scenario_texts"].update({k: v + " " for k, v in d["scenario_texts"].items()}),
        "does not match its hash"),
    "a scenario text missing": (lambda d: d["scenario_texts"].clear(), "is not in the bundle"),
    "a weight of nothing": (lambda d: _case(d).update(weight_kg=0), "weight_kg"),
    "a date that is none": (lambda d: _case(d).update(date="2024-02-30"), "date"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_case_is_refused_whole_before_anything_is_written(shared, open_archive, tmp_path, name):
    edit, says = HOSTILE[name]
    dept = open_archive("dept.sqlite")
    before = fingerprint(dept.path)
    bad = craft(shared[0] / "all.simtool", tmp_path / "bad.simtool", edit)
    with pytest.raises(BundleError) as caught:
        import_bundle(dept, bad)
    message = str(caught.value)
    assert says in message and "real cases" in message and "\n" not in message
    assert len(message) < 400
    assert fingerprint(dept.path) == before


@pytest.mark.parametrize("raw,says", [(b'{"cases": [{"t": NaN}]}', "NaN"),
                                      (b'{"cases": [{"t": Infinity}]}', "Infinity")])
def test_nan_and_infinity_in_the_json_are_refused(shared, open_archive, tmp_path, raw, says):
    dept = open_archive("dept.sqlite")
    before = fingerprint(dept.path)
    with pytest.raises(BundleError, match=says):
        import_bundle(dept, craft(shared[0] / "all.simtool", tmp_path / "nan.simtool", raw=raw))
    assert fingerprint(dept.path) == before


def test_a_cases_json_that_does_not_match_the_manifest_is_refused(shared, open_archive, tmp_path):
    genuine = shared[0] / "all.simtool"
    dept = open_archive("dept.sqlite")
    before = fingerprint(dept.path)
    bad = craft(genuine, tmp_path / "bad.simtool", lambda d: d["cases"].pop(), rehash=False)
    with pytest.raises(BundleError, match=r"cases.json does not match its hash in the manifest "
                                          r"\(damaged or altered\)"):
        import_bundle(dept, bad)
    # nor may the signed manifest be re-hashed: the signature no longer covers it
    with zipfile.ZipFile(genuine) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(files["manifest.json"])
    files["cases.json"] = files["cases.json"].replace(b"Obstetrics", b"Obstetricz")
    manifest["cases"]["sha256"] = hashlib.sha256(files["cases.json"]).hexdigest()
    files["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(tmp_path / "resigned.simtool", "w") as zf:
        for n, data in files.items():
            zf.writestr(n, data)
    with pytest.raises(BundleError):
        import_bundle(dept, tmp_path / "resigned.simtool")
    assert fingerprint(dept.path) == before


def test_many_cases_import_and_the_member_cap_bounds_them(county, genuine, open_archive, tmp_path,
                                                           monkeypatch):
    """500 cases import in one go; a cases.json over the cap a bundle member has is refused
    on import before it is read, and never written on export."""
    def many(doc):
        first = _case(doc)
        doc["withdrawals"] = []
        doc["cases"] = [{**first, "uid": f"{i:032x}", "case_ref": f"PPH-{i}",
                         "timeline": [{**first["timeline"][0], "t": float(i)}, *first["timeline"][1:]]}
                        for i in range(500)]

    big = craft(genuine, tmp_path / "many.simtool", many)
    dept = open_archive("dept.sqlite")
    report = import_bundle(dept, big)
    assert "real cases: 500 added, 0 already present" in report.notes[-1]
    assert len(cases(dept)) == 500 and dept.verify() == []
    size = len(zipfile.ZipFile(big).read("cases.json"))
    monkeypatch.setattr(bundlezip, "MAX_MEMBER_BYTES", size - 1)
    other = open_archive("other.sqlite")
    before = fingerprint(other.path)
    with pytest.raises(BundleError, match="cases.json"):
        import_bundle(other, big)
    assert fingerprint(other.path) == before
    monkeypatch.setattr(bundle_module, "MAX_MEMBER_BYTES", 1000)
    with pytest.raises(BundleError, match=r"cases.json .* bytes, over the 1,000 bytes a bundle member may hold; no bundle"):
        export_bundle(county[0], [], tmp_path / "none.simtool", all_cases=True)
    assert not (tmp_path / "none.simtool").exists()
