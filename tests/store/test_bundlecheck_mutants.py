"""Tests that fail when bundlecheck.py's behaviour breaks (issue 25: its surviving mutants):
every field of every record a bundle carries, at and beyond its limits, refused with a message
naming the drill, the record and the field — or accepted when it is within them."""

from __future__ import annotations

import copy
import json

import pytest

from simtool.store import bundlecheck as bc
from simtool.store.archive import Archive
from simtool.store.bundle import export_bundle, import_bundle, read_bundle
from simtool.store.errors import BundleError
from simtool.store.hashing import sha256_hex

from helpers.archive import FakeClock, fingerprint
from helpers.bundles import full_drill, rewrite

W = "B.simtool: drill D"


@pytest.fixture(scope="module")
def genuine(tmp_path_factory, pph):
    """(bundle path, drill id, its document) for a drill with every field."""
    folder = tmp_path_factory.mktemp("check")
    archive = Archive.open(folder / "laptop.sqlite", clock=FakeClock(), actor="tester@lab")
    did = full_drill(archive, pph)
    path = folder / "genuine.simtool"
    export_bundle(archive, [did], path)
    archive.close()
    _manifest, [doc] = read_bundle(path)
    return path, did, doc


@pytest.fixture
def doc(genuine):
    """A fresh copy of the genuine document, with the drill id D."""
    _path, did, original = genuine
    out = json.loads(json.dumps(original).replace(did, "D"))
    return out


def _refuse(doc, message: str) -> str:
    with pytest.raises(BundleError) as info:
        bc.check_doc(doc, W, "D")
    assert str(info.value) == f"{W}: {message}", str(info.value)
    return str(info.value)


def _sheet(doc, sid: str) -> dict:
    return next(s for s in doc["sheets"] if s["id"] == sid)


def test_the_genuine_document_passes(doc):
    assert bc.check_doc(doc, W, "D") is doc


# --- the document and its lists ----------------------------------------------------------------------
def test_a_document_that_is_not_a_record_or_has_other_keys_is_refused(doc):
    _refuse([doc], "not a drill record")
    _refuse({**doc, "extra": 1}, "unknown field 'extra'")
    for key in bc.DOC_KEYS:
        _refuse({k: v for k, v in doc.items() if k != key}, f"'{key}' is missing")


def test_the_drill_in_the_file_must_be_the_one_the_manifest_names(doc):
    doc["drill"]["id"] = "E"
    _refuse(doc, "the file holds drill 'E', the manifest says D")


def test_the_scenario_and_rubric_texts_must_match_their_hashes(doc):
    bad = copy.deepcopy(doc)
    bad["scenario_text"] += " "
    _refuse(bad, "its scenario text does not match its hash")
    bad = copy.deepcopy(doc)
    bad["scenario_text"] = 5
    _refuse(bad, "scenario_text: must be text")
    sha = sha256_hex("rubric v1")
    bad = copy.deepcopy(doc)
    bad["rubric_texts"][sha] = "rubric v2"
    _refuse(bad, f"rubric text {sha[:12]} does not match its hash")
    bad = copy.deepcopy(doc)
    bad["rubric_texts"][sha] = 7
    _refuse(bad, f"rubric_texts.{sha[:12]}: must be text")
    bad = copy.deepcopy(doc)
    bad["rubric_texts"]["ABC"] = "x"
    _refuse(bad, "rubric_texts: must be a SHA-256 in hex")
    bad = copy.deepcopy(doc)
    bad["rubric_texts"] = list(bad["rubric_texts"].values())
    _refuse(bad, "rubric_texts must be a record")


@pytest.mark.parametrize("key", ["participants", "events", "vitals", "sheets", "signoffs", "amendments",
                                 "trainees", "examiners"])
def test_each_list_must_be_a_list_of_records(doc, key):
    _refuse({**doc, key: {}}, f"'{key}' must be a list of records")
    _refuse({**doc, key: [*doc[key], 5]}, f"{key}[{len(doc[key])}]: must be a record (a JSON object)")


@pytest.mark.parametrize("key, what, field", [
    ("trainees", "trainee", "id"), ("examiners", "examiner", "id"), ("participants", "participant", "id"),
    ("events", "event", "seq"), ("sheets", "score sheet", "id")])
def test_a_record_given_twice_is_refused_naming_it(doc, key, what, field):
    doc[key].append(copy.deepcopy(doc[key][0]))
    _refuse(doc, f"{what} '{doc[key][0][field]}' appears twice")


def test_two_vitals_samples_at_the_same_time_are_refused_even_written_differently(doc):
    doc["vitals"].append({**doc["vitals"][0], "t": int(doc["vitals"][0]["t"])})
    _refuse(doc, "vitals time '5.0' appears twice")


def test_an_item_given_twice_in_a_sheet_is_refused(doc):
    s = _sheet(doc, "s3-osce")
    s["items"].append(dict(s["items"][0]))
    i = doc["sheets"].index(s)
    _refuse(doc, f"sheets[{i}]: item 'blank' appears twice")
    s["items"] = {}
    _refuse(doc, f"sheets[{i}]: items: must be a list")
    s["items"] = [{"item_id": "x", "colour": "red"}]
    _refuse(doc, f"sheets[{i}]: items[0]: unknown field 'colour'")


# --- references ------------------------------------------------------------------------------------
def test_every_reference_must_resolve_inside_the_drill_file(doc):
    def refuse(edit, message):
        bad = copy.deepcopy(doc)
        edit(bad)
        _refuse(bad, message)

    osce = doc["sheets"].index(_sheet(doc, "s3-osce"))
    refuse(lambda d: d["participants"][0].update(trainee_id="nobody"),
           "participants[0]: trainee 'nobody' is not in the bundle")
    refuse(lambda d: d["sheets"][osce].update(drill_id="E"), f"sheets[{osce}]: belongs to another drill")
    refuse(lambda d: d["sheets"][osce].update(trainee_id="nobody"),
           f"sheets[{osce}]: trainee 'nobody' is not in the bundle")
    refuse(lambda d: d["sheets"][osce].update(signed_by="nobody"),
           f"sheets[{osce}]: examiner 'nobody' is not in the bundle")
    refuse(lambda d: d["sheets"][osce].update(supersedes="nothing"),
           f"sheets[{osce}]: score sheet 'nothing' is not in the bundle")
    refuse(lambda d: d["sheets"][osce].update(rubric_sha256="a" * 64),
           f"sheets[{osce}]: rubric text '{'a' * 64}' is not in the bundle")
    refuse(lambda d: d["sheets"][osce].pop("signed_by"), f"sheets[{osce}]: signed_at and signed_by go together")
    refuse(lambda d: d["sheets"][osce].pop("signed_at"), f"sheets[{osce}]: signed_at and signed_by go together")
    refuse(lambda d: d["signoffs"][1].update(sheet_id="nothing"),
           "signoffs[1]: score sheet 'nothing' is not in the bundle")
    refuse(lambda d: d["signoffs"][1].update(examiner_id="nobody"),
           "signoffs[1]: examiner 'nobody' is not in the bundle")
    refuse(lambda d: d["amendments"][0].update(sheet_id="nothing"),
           "amendments[0]: score sheet 'nothing' is not in the bundle")
    refuse(lambda d: d["amendments"][0].update(new_sheet_id="nothing"),
           "amendments[0]: score sheet 'nothing' is not in the bundle")
    refuse(lambda d: d["amendments"][0].update(by="nobody"), "amendments[0]: examiner 'nobody' is not in the bundle")
    # an unsigned sheet without trainee, signer or predecessor refers to nothing
    blank = _sheet(doc, "s2-blank")
    assert not {"trainee_id", "signed_by", "signed_at", "supersedes"} & set(blank)
    bc.check_doc(doc, W, "D")


# --- every field of every record -----------------------------------------------------------------
SPECS = {"drill": bc.DRILL, "participants": bc.PARTICIPANT, "events": bc.EVENT, "vitals": bc.VITALS,
         "sheets": bc.SHEET, "signoffs": bc.SIGNOFF, "amendments": bc.AMENDMENT, "trainees": bc.TRAINEE,
         "examiners": bc.EXAMINER}
REQUIRED = {
    "drill": ["id", "scenario_id", "scenario_version", "scenario_sha256", "patient", "evaluation_type",
              "status", "started_at"],
    "participants": ["id", "name", "role"], "events": ["seq", "t", "kind"], "vitals": ["t"],
    "sheets": ["id", "drill_id", "rubric_id", "rubric_version", "rubric_sha256", "version", "data",
               "created_at", "items"],
    "signoffs": ["sheet_id", "examiner_id", "at", "record_sha256"],
    "amendments": ["sheet_id", "new_sheet_id", "by", "at", "why"], "trainees": ["id", "name"],
    "examiners": ["id", "name"]}


def _where(key: str, i: int | None) -> str:
    return key if i is None else f"{key}[{i}]"


def _target(doc, key):
    """(record, index) of a record of ``key`` that has the most fields."""
    if key == "drill":
        return doc["drill"], None
    rows = doc[key]
    i = max(range(len(rows)), key=lambda n: len(rows[n]))
    return rows[i], i


def test_the_declared_required_fields_are_these():
    for key, spec in SPECS.items():
        assert [f for f, (_c, req) in spec.items() if req] == REQUIRED[key], key


@pytest.mark.parametrize("key, field", [(k, f) for k in SPECS for f in REQUIRED[k]])
def test_a_required_field_missing_or_null_is_refused_by_name(doc, key, field):
    rec, i = _target(doc, key)
    rec[field] = None
    _refuse(doc, f"{_where(key, i)}: '{field}' is missing")
    del rec[field]
    _refuse(doc, f"{_where(key, i)}: '{field}' is missing")


OPTIONAL = [(k, f) for k in SPECS for f in SPECS[k] if f not in REQUIRED[k]]


@pytest.mark.parametrize("key, field", OPTIONAL)
def test_an_optional_field_may_be_left_out_or_null(doc, key, field):
    rec, _i = _target(doc, key)
    rec[field] = None
    if key == "sheets" and field in ("signed_at", "signed_by"):
        rec["signed_at"] = rec["signed_by"] = None
    bc.check_doc(doc, W, "D")


BAD = {   # a value each kind of check refuses, and the message's tail
    "ident": ("../x", "'../x' is not a valid id (letters, digits, '_', '.', '-', at most 128, no '/', '\\' or '..')"),
    "line": ("a\nb", "contains a control character ('a\\nb')"),
    "text": (5, "must be text"),
    "sha256": ("A" * 64, "must be a SHA-256 in hex"),
    "when": ("2025-01-01T09:00:00", "'2025-01-01T09:00:00' is not an ISO 8601 time with its time zone"),
    "integer0": (-1, "must be a whole number of at least 0"),
    "integer1": (0, "must be a whole number of at least 1"),
    "number": ("5", "must be a finite number"),
    "number0": (-0.5, "must be a finite number of at least 0"),
}
KIND = {
    "drill": {"id": "ident", "scenario_id": "ident", "scenario_version": "line", "scenario_sha256": "sha256",
              "started_at": "when", "ended_at": "when", "site": "line"},
    "participants": {"id": "ident", "trainee_id": "ident", "name": "line", "role": "line"},
    "events": {"seq": "integer0", "t": "number0", "action": "line", "actor": "line", "role": "line",
               "dose": "number", "unit": "line", "route": "line", "text": "text", "state": "line",
               "ref": "integer0", "rule": "line"},
    "vitals": {**{k: "number" for k in bc.VITALS_NUMBERS}, "rhythm": "line"},
    "sheets": {"id": "ident", "drill_id": "ident", "trainee_id": "ident", "rubric_id": "ident",
               "rubric_version": "line", "rubric_sha256": "sha256", "version": "integer1", "supersedes": "ident",
               "created_at": "when", "created_by": "line", "signed_at": "when", "signed_by": "ident",
               "record_sha256": "sha256"},
    "signoffs": {"sheet_id": "ident", "examiner_id": "ident", "at": "when", "record_sha256": "sha256"},
    "amendments": {"sheet_id": "ident", "new_sheet_id": "ident", "by": "ident", "at": "when", "why": "text"},
    "trainees": {"id": "ident", "name": "line", "staff_id": "line", "department": "line"},
    "examiners": {"id": "ident", "name": "line", "staff_id": "line"},
}


@pytest.mark.parametrize("key, field", [(k, f) for k in KIND for f in KIND[k]])
def test_a_field_of_the_wrong_kind_is_refused_naming_record_and_field(doc, key, field):
    value, tail = BAD[KIND[key][field]]
    rec, i = _target(doc, key)
    rec[field] = value
    _refuse(doc, f"{_where(key, i)}: {field}: {tail}")


@pytest.mark.parametrize("key, field, allowed", [
    ("drill", "evaluation_type", "formative, summative, high-stakes"),
    ("drill", "status", "running, paused, interrupted, ended, signed"),
    ("events", "kind", "action, note, pause, resume, force, retract, amend, display, end, start, state, marker, flag, unflag, labs")])
def test_a_value_outside_its_choices_is_refused_listing_them(doc, key, field, allowed):
    rec, i = _target(doc, key)
    rec[field] = "other"
    _refuse(doc, f"{_where(key, i)}: {field}: 'other' is not one of {allowed}")
    rec[field] = 3
    _refuse(doc, f"{_where(key, i)}: {field}: int is not one of {allowed}")


@pytest.mark.parametrize("kind", bc.EVENT_KINDS)
def test_every_event_kind_simtool_writes_is_accepted(doc, kind):
    doc["events"][0]["kind"] = kind
    bc.check_doc(doc, W, "D")


def test_every_choice_is_accepted(doc):
    for value in ("formative", "summative", "high-stakes"):
        doc["drill"]["evaluation_type"] = value
        bc.check_doc(doc, W, "D")
    for value in ("running", "paused", "interrupted", "ended", "signed"):
        doc["drill"]["status"] = value
        bc.check_doc(doc, W, "D")


def test_the_patient_is_a_json_record_of_weight_conditions_and_variant(doc):
    def patient(value):
        bad = copy.deepcopy(doc)
        bad["drill"]["patient"] = value if isinstance(value, str) else json.dumps(value)
        return bad

    bc.check_doc(patient({"weight_kg": 0, "conditions": []}), W, "D")
    bc.check_doc(patient({"weight_kg": 65.5, "conditions": ["anaemia"], "variant": "twin"}), W, "D")
    _refuse(patient({"weight_kg": -1, "conditions": []}),
            "drill: patient: weight_kg: must be a finite number of at least 0")
    _refuse(patient({"conditions": []}), "drill: patient: 'weight_kg' is missing")
    _refuse(patient({"weight_kg": 60}), "drill: patient: 'conditions' is missing")
    _refuse(patient({"weight_kg": 60, "conditions": "anaemia"}), "drill: patient: conditions: must be a list")
    _refuse(patient({"weight_kg": 60, "conditions": ["a\tb"]}),
            "drill: patient: conditions[0]: contains a control character ('a\\tb')")
    _refuse(patient({"weight_kg": 60, "conditions": [], "variant": 3}), "drill: patient: variant: must be text")
    _refuse(patient({"weight_kg": 60, "conditions": [], "age": 3}), "drill: patient: unknown field 'age'")
    number = copy.deepcopy(doc)
    number["drill"]["patient"] = 5
    _refuse(number, "drill: patient: must be text")
    _refuse(patient("[1]"), "drill: patient: must be a record (a JSON object)")
    _refuse(patient("{"), "drill: patient is not valid JSON (Expecting property name enclosed in double "
                          "quotes: line 1 column 2 (char 1))")


def test_sheet_data_and_item_evidence_may_be_any_json_with_valid_text_and_finite_numbers(doc):
    osce = _sheet(doc, "s3-osce")
    i = doc["sheets"].index(osce)
    osce["data"] = {"a": [1, 2.5, None, True, "x", {"b": {}}], "c": -3}
    osce["items"][1]["evidence"] = [{"seqs": [1]}, None, False]
    bc.check_doc(doc, W, "D")
    osce["data"] = {"a": [1, {"b": float("inf")}]}
    _refuse(doc, f"sheets[{i}]: data.a[1].b: must be a finite number")
    osce["data"] = {"a": [2 ** 63]}
    _refuse(doc, f"sheets[{i}]: data.a[0]: must be a finite number")
    osce["data"] = {"a": "\ud800"}
    _refuse(doc, f"sheets[{i}]: data.a: is not valid Unicode text")
    osce["data"] = {"\ud800": 1}
    _refuse(doc, f"sheets[{i}]: data: is not valid Unicode text")
    osce["data"] = {}
    osce["items"][1]["evidence"] = {"x": [float("nan")]}
    _refuse(doc, f"sheets[{i}]: items[1]: evidence.x[0]: must be a finite number")


# --- the checks one by one, at their limits ---------------------------------------------------------
def _ok(check, value):
    check(value, "w")


def _bad(check, value, tail):
    with pytest.raises(BundleError) as info:
        check(value, "w")
    assert str(info.value) == f"w: {tail}"


def test_an_id_is_letters_digits_and_three_marks_up_to_128_starting_with_a_letter_or_digit():
    for value in ("a", "A", "0", "a" * 128, "Z9_.-x", "a.b", "9-a_b"):
        _ok(bc.ident, value)
    tail = "is not a valid id (letters, digits, '_', '.', '-', at most 128, no '/', '\\' or '..')"
    for value in ("a" * 129, "", "_a", ".a", "-a", "a..b", "a/b", "a\\b", "a:b", "a b", "é", "a\n"):
        _bad(bc.ident, value, f"{bc.show(value)} {tail}")
    _bad(bc.ident, 5, "must be text")


def test_a_line_is_at_most_200_characters_without_control_characters():
    _ok(bc.line, "x" * 200)
    _ok(bc.line, "Ward 5 — 王芳 😀")
    _bad(bc.line, "x" * 201, "is longer than 200 characters")
    for c in ("\x00", "\x07", "\t", "\x1b", "\x7f", "\x85"):
        _bad(bc.line, f"a{c}", f"contains a control character ({bc.show('a' + c)})")
    _bad(bc.line, "\udc80", "is not valid Unicode text")
    _bad(bc.line, None, "must be text")


def test_a_hash_is_64_lowercase_hex_digits():
    _ok(bc.sha256, "0123456789abcdef" * 4)
    for value in ("0" * 63, "0" * 65, "G" + "0" * 63, "A" * 64, " " + "0" * 63, 5):
        _bad(bc.sha256, value, "must be a SHA-256 in hex")


def test_a_time_is_iso_8601_with_its_zone():
    for value in ("2025-01-06T09:00:00+00:00", "2025-01-06T09:00:00.123+08:00", "2025-01-06T09:00:00Z"):
        _ok(bc.when, value)
    for value in ("2025-01-06T09:00:00", "2025-01-06", "yesterday", ""):
        _bad(bc.when, value, f"{bc.show(value)} is not an ISO 8601 time with its time zone")
    _bad(bc.when, 20250106, "must be text")


def test_whole_numbers_within_64_bits_from_their_least():
    one = bc.integer(1)
    _ok(one, 1)
    _ok(one, 2 ** 63 - 1)
    for value in (0, -1, 2 ** 63, 1.0, True, "1"):
        _bad(one, value, "must be a whole number of at least 1")
    zero = bc.integer()
    _ok(zero, 0)
    _bad(zero, -1, "must be a whole number of at least 0")
    _bad(zero, False, "must be a whole number of at least 0")


def test_finite_numbers_within_64_bits_from_their_least():
    anything = bc.number()
    for value in (0, -2 ** 63, 2 ** 63 - 1, -1e308, 1.5):
        _ok(anything, value)
    for value in (2 ** 63, -2 ** 63 - 1, float("inf"), float("-inf"), float("nan"), True, "1", None):
        _bad(anything, value, "must be a finite number")
    half = bc.number(0.5)
    _ok(half, 0.5)
    _bad(half, 0.49, "must be a finite number of at least 0.5")
    _bad(half, float("nan"), "must be a finite number of at least 0.5")
    _bad(bc.number(0), -1e-9, "must be a finite number of at least 0")


def test_true_or_false_only():
    _ok(bc.boolean, True)
    _ok(bc.boolean, False)
    for value in (0, 1, "true", None):
        _bad(bc.boolean, value, "must be true or false")


def test_any_json_refuses_what_json_cannot_hold():
    _bad(bc.any_json, {1, 2}, "is not a JSON value")
    with pytest.raises(BundleError) as info:
        bc.any_json({"a": {"b": object()}}, "w")
    assert str(info.value) == "w.a.b: is not a JSON value"
    _bad(bc.any_json, {3: 1}, "must be text")
    _ok(bc.any_json, None)
    _ok(bc.any_json, [True, None, 0, -1.5, "s", {"k": []}])


def test_a_record_refuses_unknown_and_missing_fields_and_treats_null_as_missing():
    spec = {"a": (bc.line, True), "b": (bc.integer(0), False)}
    assert bc.record({"a": "x"}, spec, "w") == {"a": "x"}
    assert bc.record({"a": "x", "b": None}, spec, "w") == {"a": "x", "b": None}
    _bad(lambda v, w: bc.record(v, spec, w), {"a": "x", "c": 1}, "unknown field 'c'")
    _bad(lambda v, w: bc.record(v, spec, w), {"a": None}, "'a' is missing")
    _bad(lambda v, w: bc.record(v, spec, w), {"a": "x", "b": -1}, "b: must be a whole number of at least 0")
    _bad(lambda v, w: bc.record(v, spec, w), "x", "must be a record (a JSON object)")
    assert bc.pick({"a": "x", "b": None, "z": 1}, spec) == {"a": "x"}
    assert bc.file_name("d-1") == "drills/d-1.json"


# --- the manifest's list of drills -------------------------------------------------------------------
def test_the_manifest_entries_are_checked_one_by_one_and_named(genuine, tmp_path):
    def entries(**change):
        e = {"id": "D", "file": "drills/D.json", "sha256": "0" * 64, "scenario_id": "s", "events": 0}
        return [{**e, **change}]

    assert bc.check_manifest_entries(entries(), "M") == entries()
    assert bc.check_manifest_entries([], "M") == []
    cases = [
        ({}, entries(file="drills/E.json"), "M: drills[0]: file must be drills/D.json"),
        ({}, entries(events=-1), "M: drills[0]: events: must be a whole number of at least 0"),
        ({}, entries(id="../D"), "M: drills[0]: id: '../D' is not a valid id (letters, digits, '_', '.', '-', "
                                 "at most 128, no '/', '\\' or '..')"),
        ({}, entries(sha256="x"), "M: drills[0]: sha256: must be a SHA-256 in hex"),
        ({}, entries(scenario_id="a b"), "M: drills[0]: scenario_id: 'a b' is not a valid id (letters, digits, "
                                         "'_', '.', '-', at most 128, no '/', '\\' or '..')"),
        ({}, entries(more=1), "M: drills[0]: unknown field 'more'"),
        ({}, entries() * 2, "M: drill 'D' appears twice"),
        ({}, {"D": 1}, "M: has no list of drills"),
    ]
    for _unused, value, message in cases:
        with pytest.raises(BundleError) as info:
            bc.check_manifest_entries(value, "M")
        assert str(info.value) == message


def test_a_bundle_with_a_bad_field_is_refused_whole_naming_it(genuine, open_archive, tmp_path):
    path, did, _doc = genuine
    bad = rewrite(path, tmp_path / "bad.simtool", edit=lambda d: d["events"][1].update(kind="teleport"))
    dept = open_archive("dept.sqlite")
    before = fingerprint(dept.path)
    with pytest.raises(BundleError) as info:
        import_bundle(dept, bad)
    assert str(info.value) == (f"{bad}: drill {did}: events[1]: kind: 'teleport' is not one of action, note, "
                               f"pause, resume, force, retract, amend, display, end, start, state, marker, flag, unflag, labs")
    assert fingerprint(dept.path) == before


@pytest.mark.parametrize("key, field", [("events", "text"), ("amendments", "why")])
def test_typed_text_may_run_over_lines_and_past_200_characters(doc, key, field):
    rec, _i = _target(doc, key)
    rec[field] = "first line\nsecond line\t" + "x" * 300
    bc.check_doc(doc, W, "D")


def test_scenario_and_rubric_texts_may_run_over_lines(doc):
    assert "\n" in doc["scenario_text"] and len(doc["scenario_text"]) > 200
    bc.check_doc(doc, W, "D")


MANIFEST_OK = {"format": "simtool-bundle", "format_version": 1, "simtool_version": "1.2.3",
               "created": "2025-01-06T09:00:00+00:00", "anonymized": False, "drills": [],
               "signer": {"site": "Ward 5", "public_key": "AAAA"}}


@pytest.mark.parametrize("change, tail", [
    ({"format_version": 0}, "format_version: must be a whole number of at least 1"),
    ({"format_version": True}, "format_version: must be a whole number of at least 1"),
    ({"simtool_version": "1.2\n"}, "simtool_version: contains a control character ('1.2\\n')"),
    ({"simtool_version": 3}, "simtool_version: must be text"),
    ({"created": "2025-01-06"}, "created: '2025-01-06' is not an ISO 8601 time with its time zone"),
    ({"anonymized": "yes"}, "anonymized: must be true or false"),
    ({"drills": None}, "'drills' is missing"),
    ({"signer": {"site": "Ward 5"}}, "signer: 'public_key' is missing"),
    ({"signer": {"public_key": "AAAA"}}, "signer: 'site' is missing"),
    ({"signer": {"site": "W\x1b", "public_key": "AAAA"}}, "signer: site: contains a control character ('W\\x1b')"),
    ({"signer": {"site": "W", "public_key": 5}}, "signer: public_key: must be text"),
    ({"signer": {"site": "W", "public_key": "AAAA", "x": 1}}, "signer: unknown field 'x'"),
    ({"signer": "Ward 5"}, "signer: must be a record (a JSON object)"),
])
def test_each_manifest_field_is_checked(change, tail):
    with pytest.raises(BundleError) as info:
        bc.record({**MANIFEST_OK, **change}, bc.MANIFEST_FIELDS, "M")
    assert str(info.value) == f"M: {tail}"


def test_a_manifest_needs_only_its_format_version_and_drills():
    for field in ("simtool_version", "created", "anonymized", "signer"):
        bc.record({k: v for k, v in MANIFEST_OK.items() if k != field}, bc.MANIFEST_FIELDS, "M")
    bc.record(MANIFEST_OK, bc.MANIFEST_FIELDS, "M")
    assert [f for f, (_c, req) in bc.MANIFEST_FIELDS.items() if req] == ["format", "format_version", "drills"]


@pytest.mark.parametrize("change, tail", [
    ({"algorithm": "ed25519"}, "algorithm: 'ed25519' is not one of Ed25519"),
    ({"algorithm": None}, "'algorithm' is missing"),
    ({"signature": None}, "'signature' is missing"),
    ({"signature": "AA\nAA"}, "signature: contains a control character ('AA\\nAA')"),
])
def test_the_signature_member_is_checked(change, tail):
    ok = {"algorithm": "Ed25519", "signature": "AAAA"}
    assert bc.record(ok, bc.SIGNATURE_FIELDS, "S") == ok
    with pytest.raises(BundleError) as info:
        bc.record({**ok, **change}, bc.SIGNATURE_FIELDS, "S")
    assert str(info.value) == f"S: {tail}"


def test_a_manifest_of_format_version_0_is_refused_on_import(genuine, open_archive, tmp_path):
    path, _did, _doc = genuine
    bad = rewrite(path, tmp_path / "v0.simtool", manifest_edit=lambda m: m.update(format_version=0))
    with pytest.raises(BundleError) as info:
        import_bundle(open_archive("dept.sqlite"), bad)
    assert str(info.value) == f"{bad}: manifest.json: format_version: must be a whole number of at least 1"


def test_a_choice_accepts_its_values_and_names_them_when_refusing():
    colour = bc.choice(["red", "green"])          # any iterable, kept as it was given
    _ok(colour, "red")
    _ok(colour, "green")
    _bad(colour, "blue", "'blue' is not one of red, green")
    _bad(colour, "Red", "'Red' is not one of red, green")
    _bad(colour, "b\x1b", "'b\\x1b' is not one of red, green")
    _bad(colour, 5, "int is not one of red, green")
    _bad(colour, None, "NoneType is not one of red, green")
    once = bc.choice(iter(["a", "b"]))            # read once, checked many times
    _ok(once, "b")
    _ok(once, "a")
    _bad(once, "c", "'c' is not one of a, b")
