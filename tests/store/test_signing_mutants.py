"""Tests that fail when signing.py's behaviour breaks (issue 25: its surviving mutants): which
site and key an archive signs with, the signature a bundle carries and how it is checked, which
keys an archive trusts, and the state an import reports."""

from __future__ import annotations

import base64
import hashlib
import json
import socket

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from simtool.store.bundle import export_bundle, import_bundle
from simtool.store.errors import BundleError
from simtool.store.hashing import canonical_json
from simtool.store.signing import (SignatureStatus, archive_signer, archive_site, default_site, fingerprint,
                                   known_keys)

from helpers.archive import fingerprint as db_fingerprint
from helpers.archive import raw, start_recorded
from helpers.bundles import members, public_b64, rewrite, sign, write_zip

DOMAIN = b"simtool bundle manifest, Ed25519, v1\n"   # the format: another reader must know it


def _drill(archive, pph, site: str | None = "Ward 5") -> str:
    did, drill = start_recorded(archive, pph, site=site)
    drill.tick(20)
    return did


@pytest.fixture
def laptop(open_archive, pph, tmp_path):
    archive = open_archive("laptop.sqlite")
    did = _drill(archive, pph)
    path = tmp_path / "genuine.simtool"
    export_bundle(archive, [did], path, site="Ward 5")
    return archive, did, path


def _raw_public(archive) -> bytes:
    return archive_signer(archive).public_raw


def _meta_keys(path) -> dict[str, str]:
    with raw(path) as c:
        return dict(c.execute("SELECT key, value FROM meta WHERE key LIKE 'bundle_key:%'").fetchall())


def test_a_fingerprint_is_the_first_16_hex_digits_of_the_keys_sha256_in_fours():
    assert fingerprint(bytes(32)) == "6668:7aad:f862:bd77"
    assert fingerprint(b"\x01" * 32) == ":".join(
        [hashlib.sha256(b"\x01" * 32).hexdigest()[i:i + 4] for i in (0, 4, 8, 12)])


def test_the_signature_member_is_ed25519_over_the_domain_and_the_canonical_manifest(laptop):
    archive, did, path = laptop
    files = members(path)
    manifest = json.loads(files["manifest.json"])
    sig_doc = json.loads(files["signature.json"])
    assert set(sig_doc) == {"algorithm", "signature"} and sig_doc["algorithm"] == "Ed25519"
    public_raw = base64.b64decode(manifest["signer"]["public_key"], validate=True)
    assert public_raw == _raw_public(archive) and len(public_raw) == 32
    Ed25519PublicKey.from_public_bytes(public_raw).verify(
        base64.b64decode(sig_doc["signature"], validate=True), DOMAIN + canonical_json(manifest).encode())
    assert files["signature.json"].isascii()
    assert manifest["signer"] == archive_signer(archive).manifest_field() == \
        {"site": "Ward 5", "public_key": base64.b64encode(public_raw).decode()}


def test_the_site_and_key_are_made_once_and_kept(open_archive, pph, tmp_path):
    archive = open_archive("a.sqlite")
    did = _drill(archive, pph, site=None)
    assert archive_site(archive) is None
    first = export_bundle(archive, [did], tmp_path / "1.simtool", site="Lab A")
    assert archive_site(archive) == "Lab A"
    second = export_bundle(archive, [did], tmp_path / "2.simtool")          # no site: the stored one
    third = export_bundle(archive, [did], tmp_path / "3.simtool", site="Lab A")
    assert first["signer"] == second["signer"] == third["signer"]
    with pytest.raises(BundleError) as info:
        export_bundle(archive, [did], tmp_path / "4.simtool", site="Lab B")
    assert str(info.value) == (f"the archive {archive.path} signs its bundles as Lab A; its site cannot "
                               f"be changed to Lab B")
    assert not (tmp_path / "4.simtool").exists()
    with raw(archive.path) as c:   # each setting written once, with its audit row
        rows = c.execute("SELECT key FROM meta WHERE key LIKE 'signing%' ORDER BY key").fetchall()
        audited = c.execute("SELECT record_id FROM audit WHERE table_name = 'meta' AND record_id LIKE "
                            "'signing%' ORDER BY record_id").fetchall()
    assert rows == audited == [("signing_key",), ("signing_site",)]
    assert archive.verify() == []


def test_the_default_site_is_where_most_drills_were_recorded_then_the_host(open_archive, pph):
    archive = open_archive("a.sqlite")
    assert default_site(archive) == (socket.gethostname() or "unknown site")
    for site in (None, None, None, "Zeta", "Alpha"):
        _drill(archive, pph, site=site)
    assert default_site(archive) == "Alpha"          # a tie goes to the first name; no site is none
    _drill(archive, pph, site="Zeta")
    assert default_site(archive) == "Zeta"
    assert archive_signer(archive).site == "Zeta" and archive_site(archive) == "Zeta"


def test_an_anonymised_signer_has_its_own_key_under_the_sites_pseudonym(open_archive, pph, tmp_path):
    from simtool.store.anonymize import site_pseudonym
    archive = open_archive("a.sqlite")
    did = _drill(archive, pph)
    hidden = archive_signer(archive, anonymised=True)     # first use: site, key and second key made
    assert archive_site(archive) == "Ward 5"
    assert hidden.site == site_pseudonym(archive, "Ward 5") != "Ward 5"
    own = archive_signer(archive)
    assert own.site == "Ward 5" and own.public_raw != hidden.public_raw
    assert archive_signer(archive, anonymised=True).public_raw == hidden.public_raw
    assert archive_signer(archive).public_raw == own.public_raw
    other = open_archive("b.sqlite")
    _drill(other, pph)
    plain_first = archive_signer(other).public_raw            # the main key first, the second later
    assert archive_signer(other, anonymised=True).public_raw != plain_first
    assert archive_signer(other).public_raw == plain_first
    manifest = export_bundle(archive, [did], tmp_path / "anon.simtool", anonymize=True)
    assert manifest["signer"] == hidden.manifest_field()


def test_an_archive_knows_its_own_keys_and_those_it_was_given(laptop, open_archive, tmp_path, pph):
    archive, did, path = laptop
    anon = tmp_path / "anon.simtool"
    export_bundle(archive, [did], anon, anonymize=True)
    from simtool.store.anonymize import site_pseudonym
    pseudo = site_pseudonym(archive, "Ward 5")
    assert known_keys(archive, "Ward 5") == {_raw_public(archive)}
    assert known_keys(archive, pseudo) == {archive_signer(archive, anonymised=True).public_raw}
    assert known_keys(archive, "Ward 6") == set()
    # its own bundles read back as verified, plain and anonymised
    assert import_bundle(archive, path).signature["status"] == "verified"
    assert import_bundle(archive, anon, analysis_copy=True).signature["status"] == "verified"
    assert _meta_keys(archive.path) == {}      # its own keys are not recorded as keys it was given
    dept = open_archive("dept.sqlite")
    assert known_keys(dept, "Ward 5") == set()
    import_bundle(dept, path)
    assert known_keys(dept, "Ward 5") == {_raw_public(archive)}
    assert known_keys(dept, pseudo) == set()


def test_a_new_key_is_recorded_once_with_its_site_and_fingerprint(laptop, open_archive):
    archive, _did, path = laptop
    dept = open_archive("dept.sqlite")
    report = import_bundle(dept, path)
    fp = fingerprint(_raw_public(archive))
    assert report.signature == {
        "status": "new key", "site": "Ward 5", "fingerprint": fp,
        "message": f"signed by Ward 5 with a key this archive has not seen before ({fp}); verified "
                   f"against the key it carries"}
    stored = _meta_keys(dept.path)
    assert len(stored) == 1
    [(key, value)] = stored.items()
    assert json.loads(value) == {"site": "Ward 5", "fingerprint": fp,
                                 "public_key": base64.b64encode(_raw_public(archive)).decode()}
    assert key == "bundle_key:" + hashlib.sha256(
        canonical_json(["Ward 5", _raw_public(archive).hex()]).encode()).hexdigest()
    again = import_bundle(dept, path)
    assert again.signature == {"status": "verified", "site": "Ward 5", "fingerprint": fp,
                               "message": f"signed by Ward 5 (key {fp}), verified"}
    assert _meta_keys(dept.path) == stored and dept.verify() == []


def test_another_key_for_a_known_site_is_refused_unless_accepted_then_known(laptop, open_archive, tmp_path):
    archive, _did, path = laptop
    dept = open_archive("dept.sqlite")
    import_bundle(dept, path)
    other = Ed25519PrivateKey.generate()
    forged = rewrite(path, tmp_path / "other.simtool", key=other)
    new_raw = base64.b64decode(public_b64(other))
    old_fp, new_fp = fingerprint(_raw_public(archive)), fingerprint(new_raw)
    before = db_fingerprint(dept.path)
    with pytest.raises(BundleError) as info:
        import_bundle(dept, forged)
    assert str(info.value) == (
        f"{forged}: signed by Ward 5 but with a different key than this archive knows for Ward 5 (the "
        f"bundle's key {new_fp}; known: {old_fp}); refused. If Ward 5 really has a new key, import with "
        f"--accept-new-key")
    assert db_fingerprint(dept.path) == before
    report = import_bundle(dept, forged, accept_new_key=True)
    assert report.signature == {"status": "new key accepted", "site": "Ward 5", "fingerprint": new_fp,
                                "message": f"signed by Ward 5 with a new key ({new_fp}), accepted "
                                           f"(--accept-new-key)"}
    assert known_keys(dept, "Ward 5") == {_raw_public(archive), new_raw}
    assert import_bundle(dept, forged).signature["status"] == "verified"
    assert import_bundle(dept, forged, accept_new_key=True).signature["status"] == "verified"
    third = Ed25519PrivateKey.generate()
    with pytest.raises(BundleError) as info:
        import_bundle(dept, rewrite(path, tmp_path / "third.simtool", key=third))
    assert f"known: {', '.join(sorted([old_fp, new_fp]))})" in str(info.value)


def test_the_signature_status_says_what_to_remember():
    assert [SignatureStatus(s, "m").to_remember for s in ("verified", "new key", "new key accepted", "unsigned")] \
        == [False, True, True, False]
    assert SignatureStatus("new key", "m", "S", "f", b"k").to_dict() == \
        {"status": "new key", "message": "m", "site": "S", "fingerprint": "f"}


def test_an_unsigned_bundle_is_refused_only_when_signatures_are_required(laptop, open_archive, tmp_path):
    _archive, did, path = laptop
    unsigned = rewrite(path, tmp_path / "unsigned.simtool")
    dept = open_archive("dept.sqlite")
    with pytest.raises(BundleError) as info:
        import_bundle(dept, unsigned, require_signed=True)
    assert str(info.value) == f"{unsigned} is unsigned; refused (--require-signed)"
    assert dept.drills() == []
    report = import_bundle(dept, unsigned)
    assert report.added == [did] and report.signature == {"status": "unsigned", "message": "unsigned",
                                                           "site": None, "fingerprint": None}
    assert _meta_keys(dept.path) == {}
    assert import_bundle(dept, path, require_signed=True).signature["status"] == "new key"


def _resigned(path, out, manifest_edit=None, sig_edit=None, key=None):
    """``path`` re-signed with ``key`` (a new one by default) after the edits."""
    key = key or Ed25519PrivateKey.generate()
    files = members(path)
    manifest = json.loads(files["manifest.json"])
    manifest["signer"] = {"site": "Elsewhere", "public_key": public_b64(key)}
    if manifest_edit:
        manifest_edit(manifest)
    sig = json.loads(sign(manifest, key))
    if sig_edit:
        sig_edit(sig)
    return write_zip(out, {**files, "manifest.json": json.dumps(manifest).encode(),
                           "signature.json": json.dumps(sig).encode()})


@pytest.mark.parametrize("case, message", [
    ("no signer", "signature does not match: the bundle was changed after it was signed (its manifest "
                  "no longer names the signer)"),
    ("no signature", "signature does not match: the bundle was changed after it was signed (its "
                     "signature was removed)"),
    ("key not base64", "(its key or signature is not an Ed25519 one)"),
    ("key with junk", "(its key or signature is not an Ed25519 one)"),
    ("key too short", "(its key or signature is not an Ed25519 one)"),
    ("signature with junk", "(its key or signature is not an Ed25519 one)"),
    ("wrong signature", "signature does not match: the bundle was changed after it was signed"),
    ("other domain", "signature does not match: the bundle was changed after it was signed"),
    ("algorithm", "signature.json: algorithm: 'RSA' is not one of Ed25519"),
    ("signature field", "signature.json: unknown field 'note'"),
    ("signature json", "signature.json is not valid JSON"),
])
def test_a_signature_that_does_not_hold_refuses_the_bundle(laptop, open_archive, tmp_path, case, message):
    _archive, _did, path = laptop
    out = tmp_path / "bad.simtool"
    files = members(path)
    manifest = json.loads(files["manifest.json"])
    if case == "no signer":
        del manifest["signer"]
        write_zip(out, {**files, "manifest.json": json.dumps(manifest).encode()})
    elif case == "no signature":
        write_zip(out, {n: d for n, d in files.items() if n != "signature.json"})
    elif case == "key not base64":
        _resigned(path, out, manifest_edit=lambda m: m["signer"].update(public_key="%%%%"))
    elif case == "key with junk":     # a valid key with one character base64 does not have
        _resigned(path, out, manifest_edit=lambda m: m["signer"].update(public_key="!" + m["signer"]["public_key"]))
    elif case == "key too short":
        _resigned(path, out, manifest_edit=lambda m: m["signer"].update(public_key=base64.b64encode(bytes(16)).decode()))
    elif case == "signature with junk":
        _resigned(path, out, sig_edit=lambda s: s.update(signature="!" + s["signature"]))
    elif case == "wrong signature":
        _resigned(path, out, sig_edit=lambda s: s.update(signature=base64.b64encode(bytes(64)).decode()))
    elif case == "other domain":
        key = Ed25519PrivateKey.generate()
        manifest["signer"] = {"site": "Elsewhere", "public_key": public_b64(key)}
        sig = key.sign(canonical_json(manifest).encode())
        write_zip(out, {**files, "manifest.json": json.dumps(manifest).encode(),
                        "signature.json": json.dumps({"algorithm": "Ed25519",
                                                      "signature": base64.b64encode(sig).decode()}).encode()})
    elif case == "algorithm":
        _resigned(path, out, sig_edit=lambda s: s.update(algorithm="RSA"))
    elif case == "signature field":
        _resigned(path, out, sig_edit=lambda s: s.update(note="hi"))
    elif case == "signature json":
        write_zip(out, {**files, "signature.json": b"{"})
    dept = open_archive("dept.sqlite")
    before = db_fingerprint(dept.path)
    with pytest.raises(BundleError) as info:
        import_bundle(dept, out)
    assert str(info.value).startswith(f"{out}: ") and message in str(info.value), str(info.value)
    assert db_fingerprint(dept.path) == before


def test_a_bundle_re_signed_by_its_own_new_key_for_a_new_site_verifies(laptop, open_archive, tmp_path):
    _archive, did, path = laptop
    key = Ed25519PrivateKey.generate()
    ok = _resigned(path, tmp_path / "ok.simtool", key=key)
    report = import_bundle(open_archive("dept.sqlite"), ok)
    assert report.added == [did] and report.signature["status"] == "new key"
    assert report.signature["site"] == "Elsewhere"


@pytest.mark.parametrize("value", ["not json", json.dumps({"site": "Ward 5"}), json.dumps(["Ward 5"]),
                                   json.dumps({"site": "Ward 5", "public_key": 5}),
                                   json.dumps({"site": "Ward 5", "public_key": "abc"})])
def test_a_damaged_key_setting_trusts_nothing_and_breaks_nothing(laptop, open_archive, value):
    archive, _did, path = laptop
    dept = open_archive("dept.sqlite")
    with raw(dept.path) as c:
        c.execute("INSERT INTO meta (key, value) VALUES ('bundle_key:damaged', ?)", (value,))
    assert known_keys(dept, "Ward 5") == set()
    assert import_bundle(dept, path).signature["status"] == "new key"
    assert known_keys(dept, "Ward 5") == {_raw_public(archive)}


def test_an_archive_on_a_host_without_a_name_signs_as_unknown_site(open_archive, monkeypatch):
    archive = open_archive("a.sqlite")
    monkeypatch.setattr(socket, "gethostname", lambda: "")
    assert default_site(archive) == "unknown site"
    assert archive_signer(archive).site == "unknown site"


def test_a_damaged_setting_under_the_keys_own_name_is_left_alone(laptop, open_archive):
    archive, did, path = laptop
    dept = open_archive("dept.sqlite")
    name = "bundle_key:" + hashlib.sha256(canonical_json(["Ward 5", _raw_public(archive).hex()]).encode()).hexdigest()
    with raw(dept.path) as c:
        c.execute("INSERT INTO meta (key, value) VALUES (?, 'damaged')", (name,))
    report = import_bundle(dept, path)
    assert report.added == [did] and report.signature["status"] == "new key"
    assert _meta_keys(dept.path) == {name: "damaged"}    # not replaced: settings are written once


def test_an_archive_that_signed_only_plain_bundles_knows_just_its_own_key(laptop, open_archive, pph, tmp_path):
    archive, _did, path = laptop                 # signed one plain bundle: no anonymised key yet
    other = open_archive("other.sqlite")
    theirs = _drill(other, pph, site="Ward 9")
    bundle = tmp_path / "theirs.simtool"
    export_bundle(other, [theirs], bundle)
    assert known_keys(archive, "Ward 5") == {_raw_public(archive)}
    report = import_bundle(archive, bundle)
    assert report.added == [theirs] and report.signature["status"] == "new key"


def test_checking_a_signature_refuses_nothing_it_was_not_asked_to(laptop, open_archive, tmp_path):
    from simtool.store.signing import check_signature
    _archive, _did, path = laptop
    dept = open_archive("dept.sqlite")
    unsigned = json.loads(members(rewrite(path, tmp_path / "u.simtool"))["manifest.json"])
    assert check_signature(dept, unsigned, None, "here").status == "unsigned"
    import_bundle(dept, path)
    other = rewrite(path, tmp_path / "o.simtool", key=Ed25519PrivateKey.generate())
    files = members(other)
    with pytest.raises(BundleError, match="^here: signed by Ward 5 but with a different key"):
        check_signature(dept, json.loads(files["manifest.json"]), files["signature.json"], "here")
