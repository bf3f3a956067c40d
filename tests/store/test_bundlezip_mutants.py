"""Tests that fail when bundlezip.py's behaviour breaks (issue 25: its surviving mutants): each
cap at its limit, one under and one over; a damaged, encrypted or oddly compressed member; the
JSON depth cap; values shown in messages."""

from __future__ import annotations

import json
import os
import zipfile

import pytest

from simtool.store import bundlezip as bzmod
from simtool.store.bundle import import_bundle
from simtool.store.bundlezip import BundleZip, json_depth, parse_json, plain, show
from simtool.store.errors import BundleError

from helpers.bundles import write_zip

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30
MANIFEST = json.dumps({"format": "simtool-bundle", "format_version": 1, "drills": []}).encode()


def _outcome(path) -> str | None:
    """The refusal opening ``path`` and reading its members, or None if all were read."""
    try:
        with BundleZip(path) as bz:
            for name in bz.infos:
                bz.read(name)
    except BundleError as exc:
        return str(exc)
    return None


def _refused(path) -> str:
    message = _outcome(path)
    assert message is not None, f"{path} was read"
    return message


def _entry(data: bytearray, name: str) -> int:
    """Where ``name``'s central directory entry starts."""
    at = data.find(b"PK\x01\x02" + bytes(0))
    while at >= 0:
        n = int.from_bytes(data[at + 28:at + 30], "little")
        if data[at + 46:at + 46 + n] == name.encode():
            return at
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"no entry {name}")


def _patch(path, name: str, **fields: int) -> None:
    """Change ``name``'s central directory entry: flags, method, compressed, size (what the
    directory says; the member's bytes stay as they are)."""
    offsets = {"flags": (8, 2), "method": (10, 2), "compressed": (20, 4), "size": (24, 4)}
    data = bytearray(path.read_bytes())
    at = _entry(data, name)
    for field, value in fields.items():
        off, n = offsets[field]
        data[at + off:at + off + n] = value.to_bytes(n, "little")
    path.write_bytes(bytes(data))


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


# --- the file itself ------------------------------------------------------------------------------
def test_a_missing_file_a_folder_and_a_file_over_1_gib_are_refused_by_name(tmp_path):
    missing = tmp_path / "none.simtool"
    assert _refused(missing) == f"{missing}: no such bundle file"
    assert _refused(tmp_path) == f"{tmp_path} is not a simtool bundle (not a regular file)"
    big = tmp_path / "big.simtool"
    with open(big, "wb") as f:     # sparse: nothing is written
        f.truncate(GiB + 1)
    assert _refused(big) == f"{big} is too large to be a simtool bundle (1 GiB; the limit is 1 GiB)"
    with open(big, "r+b") as f:
        f.truncate(GiB)            # at the limit: read, and found not to be a zip
    assert _refused(big) == f"{big} is not a simtool bundle (not a zip file, or truncated)"


def test_a_refused_bundle_leaves_no_file_open(tmp_path):
    before = _open_fds()
    not_zip = tmp_path / "a.simtool"
    not_zip.write_bytes(b"hello")
    for _ in range(5):
        _refused(not_zip)
    dup = tmp_path / "dup.simtool"
    with pytest.warns(UserWarning):
        write_zip(dup, {"manifest.json": MANIFEST})
        with zipfile.ZipFile(dup, "a") as zf:
            zf.writestr("manifest.json", MANIFEST)
    for _ in range(5):
        _refused(dup)
    with BundleZip(write_zip(tmp_path / "ok.simtool", {"manifest.json": MANIFEST})) as bz:
        assert bz.read("manifest.json") == MANIFEST
    assert _open_fds() == before


# --- members: count and directory size from the end record ----------------------------------------
def _end(entries: int, cd_size: int, comment: int = 0) -> bytes:
    return (b"PK\x05\x06" + bytes(4) + entries.to_bytes(2, "little") * 2 + cd_size.to_bytes(4, "little")
            + bytes(4) + comment.to_bytes(2, "little") + bytes(comment))


def _zip64_end(entries: int, cd_size: int) -> bytes:
    """A zip64 end record, its locator and a plain end record pointing to it (nothing else)."""
    pad = bytes(64)
    record = (b"PK\x06\x06" + (44).to_bytes(8, "little") + bytes(4) + bytes(8) + entries.to_bytes(8, "little")
              * 2 + cd_size.to_bytes(8, "little") + len(pad).to_bytes(8, "little"))   # the directory's offset
    assert len(record) == 56
    locator = b"PK\x06\x07" + bytes(4) + len(pad).to_bytes(8, "little") + (1).to_bytes(4, "little")
    return pad + record + locator + _end(0xFFFF, 0xFFFFFFFF)


@pytest.mark.parametrize("entries, refused", [(100_001, False), (100_002, False), (100_003, True)])
def test_the_member_count_is_capped_at_100002_from_the_zip64_end_record(tmp_path, entries, refused):
    fake = tmp_path / "many.simtool"
    fake.write_bytes(_zip64_end(entries, 1000))
    message = _refused(fake)
    if refused:
        assert message == f"{fake}: too many members ({entries:,}; the limit is 100,002); not a simtool bundle"
    else:
        assert message == f"{fake} is not a simtool bundle (not a zip file, or truncated)"


@pytest.mark.parametrize("cd_size, refused", [(64 * MiB - 1, False), (64 * MiB, False), (64 * MiB + 1, True)])
def test_the_directory_is_capped_at_64_mib_from_the_end_record(tmp_path, cd_size, refused):
    fake = tmp_path / "dir.simtool"
    fake.write_bytes(bytes(100) + _end(3, cd_size))
    message = _refused(fake)
    assert ("too many members (3; the limit is 100,002)" in message) is refused, message
    fake.write_bytes(_zip64_end(3, cd_size))
    message = _refused(fake)
    assert ("too many members (3; the limit is 100,002)" in message) is refused, message


def test_the_end_record_is_found_behind_the_longest_comment(tmp_path):
    fake = tmp_path / "comment.simtool"
    fake.write_bytes(bytes(100) + _end(3, 1 << 30, comment=0xFFFF))
    assert "too many members" in _refused(fake)
    fake.write_bytes(_end(3, 1 << 30, comment=0xFFFF))     # nothing before it
    assert "too many members" in _refused(fake)
    cut = tmp_path / "cut.simtool"
    cut.write_bytes(bytes(100) + _end(3, 1 << 30)[:21])    # an end record cut short is none
    assert _refused(cut) == f"{cut} is not a simtool bundle (not a zip file, or truncated)"


def test_a_directory_listing_more_members_than_its_end_record_says_is_refused(tmp_path):
    def lying(n: int):
        """``n`` empty stored members whose end record says there is one."""
        local, central = [], []
        offset = 0
        for i in range(n):
            name = f"{i}".encode()
            head = b"PK\x03\x04" + (20).to_bytes(2, "little") + bytes(20) + len(name).to_bytes(2, "little") \
                + bytes(2) + name
            local.append(head)
            central.append(b"PK\x01\x02" + (20).to_bytes(2, "little") * 2 + bytes(20)
                           + len(name).to_bytes(2, "little") + bytes(12) + offset.to_bytes(4, "little") + name)
            offset += len(head)
        directory = b"".join(central)
        end = (b"PK\x05\x06" + bytes(4) + (1).to_bytes(2, "little") * 2 + len(directory).to_bytes(4, "little")
               + offset.to_bytes(4, "little") + bytes(2))
        path = tmp_path / f"lying{n}.simtool"
        path.write_bytes(b"".join(local) + directory + end)
        return path

    many = lying(100_003)
    assert _refused(many) == f"{many}: too many members (100,003; the limit is 100,002)"
    with BundleZip(lying(100_002)) as bz:      # at the limit: the directory is taken
        assert len(bz.infos) == 100_002


def test_a_member_named_twice_is_refused(tmp_path):
    dup = tmp_path / "dup.simtool"
    with pytest.warns(UserWarning):
        with zipfile.ZipFile(dup, "w") as zf:
            zf.writestr("manifest.json", MANIFEST)
            zf.writestr("drills/x.json", b"{}")
            zf.writestr("drills/x.json", b"{}")
    assert _refused(dup) == f"{dup}: the member 'drills/x.json' appears twice; not a simtool bundle"


# --- sizes and ratios -----------------------------------------------------------------------------
@pytest.mark.parametrize("name, limit, shown", [("signature.json", 64 * KiB, "65,536 bytes"),
                                                ("manifest.json", 16 * MiB, "16.0 MiB"),
                                                ("drills/x.json", 64 * MiB, "64.0 MiB")])
def test_each_member_is_capped_at_its_limit(tmp_path, name, limit, shown):
    for size in (limit - 1, limit, limit + 1):
        path = tmp_path / f"{size}.simtool"
        files = {"manifest.json": MANIFEST, name: b" " * size}
        write_zip(path, files, zipfile.ZIP_STORED)
        message = _outcome(path)
        if size > limit:
            size_shown = f"{size:,} bytes" if size < MiB else f"{size / MiB:.1f} MiB"
            assert message == (f"{path}: '{name}' is too large ({size_shown} uncompressed; the limit is "
                               f"{shown})")
        else:
            assert message is None, message


def _claimed(tmp_path, size: int, compressed: int, name: str = "drills/x.json"):
    """A bundle whose directory says ``name`` is ``size`` bytes from ``compressed``."""
    path = write_zip(tmp_path / f"claim-{size}-{compressed}.simtool", {"manifest.json": MANIFEST, name: b"x" * 100},
                     zipfile.ZIP_STORED)
    _patch(path, name, size=size, compressed=compressed)
    return path


@pytest.mark.parametrize("size, compressed, refused", [
    (200 * 8192, 8192, False), (200 * 8192 + 1, 8192, True),     # a ratio of 200: at, over
    (MiB, 100, False), (MiB + 1, 100, True),                       # small members may compress any amount
    (MiB + 1, 0, True)])
def test_a_member_over_1_mib_may_not_inflate_more_than_200_times(tmp_path, size, compressed, refused):
    path = _claimed(tmp_path, size, compressed)
    message = _outcome(path)
    if refused:
        assert message == (f"{path}: 'drills/x.json' is too large for its size in the bundle ({size / MiB:.1f} MiB "
                           f"from {compressed:,} bytes: a compression ratio over 200; a zip bomb?)")
    else:
        assert message is None or "compression ratio" not in message, message


def test_the_members_may_add_up_to_4_gib_and_not_more(tmp_path):
    def bundle(last: int):
        names = [f"drills/{i}.json" for i in range(64)]
        path = write_zip(tmp_path / f"total{last}.simtool", {"manifest.json": MANIFEST, **{m: b"x" for m in names}},
                         zipfile.ZIP_STORED)
        data = bytearray(path.read_bytes())
        for m in names:
            at = _entry(data, m)
            data[at + 20:at + 24] = (64 * MiB // 200 + 1).to_bytes(4, "little")
            data[at + 24:at + 28] = (64 * MiB if m != names[-1] else last).to_bytes(4, "little")
        path.write_bytes(bytes(data))
        return path

    room = 64 * MiB - len(MANIFEST)       # the manifest counts too
    for last in (room - 1, room):
        assert "add up" not in _refused(bundle(last))
    over = bundle(room + 1)
    assert _refused(over) == (f"{over}: too large: the members add up to more than 4 GiB uncompressed "
                              f"(at 'drills/63.json')")
    assert bzmod.MAX_TOTAL_BYTES == 64 * 64 * MiB


# --- reading a member -----------------------------------------------------------------------------
def test_an_encrypted_member_is_refused(tmp_path):
    path = write_zip(tmp_path / "enc.simtool", {"manifest.json": MANIFEST})
    _patch(path, "manifest.json", flags=0x1)
    assert _refused(path) == f"{path}: 'manifest.json' is encrypted; not a simtool bundle"
    path = write_zip(tmp_path / "flag.simtool", {"manifest.json": MANIFEST})
    _patch(path, "manifest.json", flags=0x8 | 0x800)   # other flags: read as usual
    with BundleZip(path) as bz:
        assert bz.read("manifest.json") == MANIFEST


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_a_compression_other_than_stored_or_deflated_is_refused(tmp_path, method):
    path = write_zip(tmp_path / "other.simtool", {"manifest.json": MANIFEST}, method)
    assert _refused(path) == f"{path}: 'manifest.json' uses a compression simtool does not read"
    for ok in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        with BundleZip(write_zip(tmp_path / f"{ok}.simtool", {"manifest.json": MANIFEST}, ok)) as bz:
            assert bz.read("manifest.json") == MANIFEST


def test_a_missing_member_is_named_as_the_caller_says(tmp_path):
    path = write_zip(tmp_path / "m.simtool", {"manifest.json": MANIFEST})
    with BundleZip(path) as bz:
        assert bz.has("manifest.json") and not bz.has("signature.json")
        with pytest.raises(BundleError) as info:
            bz.read("drills/a.json")
        assert str(info.value) == f"{path}: drills/a.json is listed in the manifest but missing"
        with pytest.raises(BundleError) as info:
            bz.read("signature.json", missing="no signature here")
        assert str(info.value) == f"{path}: no signature here"
        assert bz.read("manifest.json") == MANIFEST     # read in chunks, whole
        assert list(bz.infos) == ["manifest.json"]


@pytest.mark.parametrize("damage", ["crc", "deflate", "short"])
def test_a_damaged_member_is_refused_as_damaged_naming_it(tmp_path, damage):
    body = json.dumps({"x": list(range(3000))}).encode()
    path = write_zip(tmp_path / f"{damage}.simtool", {"manifest.json": MANIFEST, "drills/x.json": body})
    data = bytearray(path.read_bytes())
    start = data.find(b"drills/x.json") + len("drills/x.json")    # the local header's name, then the data
    if damage == "crc":
        at = _entry(data, "drills/x.json")
        data[at + 16:at + 20] = bytes(4)
        local = data.find(b"PK\x03\x04", 4)
        data[local + 14:local + 18] = bytes(4)
    elif damage == "deflate":
        data[start + 10:start + 40] = b"\xff" * 30
    path.write_bytes(bytes(data))
    if damage == "short":
        _patch(path, "drills/x.json", compressed=50)
    with BundleZip(path) as bz:
        with pytest.raises(BundleError) as info:
            bz.read("drills/x.json")
    message = str(info.value)
    assert message.startswith(f"{path}: drills/x.json is damaged (")
    assert message.endswith("); the bundle is corrupt or truncated")


def test_a_member_is_read_whole_across_many_chunks(tmp_path):
    body = os.urandom(3 * MiB + 5)
    path = write_zip(tmp_path / "big.simtool", {"manifest.json": MANIFEST, "drills/x.json": body})
    with BundleZip(path) as bz:
        assert bz.read("drills/x.json") == body


# --- JSON -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("raw, depth", [
    (b"5", 0), (b'"[[["', 0), (b"[]", 1), (b"[[],[[]]]", 3), (b'{"a": [1, {"b": "]]]"}]}', 3),
    (b'["\\"[", [[]]]', 3), (b'["\\\\", [[]]]', 3), (b'["\\\\\\"[[", []]', 2), (b'[""]', 1),
    (b'["", "[[", ""]', 1), (b'[{}, {}, {}]', 2)])
def test_the_depth_counts_brackets_outside_strings(raw, depth):
    assert json_depth(raw) == depth


def test_json_nested_64_deep_is_read_and_65_refused():
    assert parse_json(b"[" * 64 + b"]" * 64, "w") == json.loads("[" * 64 + "]" * 64)
    with pytest.raises(BundleError) as info:
        parse_json(b"[" * 65 + b"]" * 65, "B: drill D")
    assert str(info.value) == "B: drill D is nested too deeply (more than 64 levels of arrays and objects)"


@pytest.mark.parametrize("raw, message", [
    (b'{"a": NaN}', "w: NaN is not a number simtool accepts"),
    (b'[Infinity]', "w: Infinity is not a number simtool accepts"),
    (b'[-Infinity]', "w: -Infinity is not a number simtool accepts"),
    (b'["\xff"]', "w is not valid JSON (not UTF-8: invalid start byte at byte 2)"),
    (b'[1,', "w is not valid JSON (Expecting value: line 1 column 4 (char 3))"),
])
def test_json_simtool_does_not_accept_is_refused_saying_why(raw, message):
    with pytest.raises(BundleError) as info:
        parse_json(raw, "w")
    assert str(info.value) == message


def test_values_in_messages_are_shown_escaped_and_cut_at_80_characters():
    assert plain("Ward 5") == "Ward 5"
    assert plain("a\x1b[2J\u202eb\x00") == "a\\x1b[2J\\u202eb\\x00"
    assert plain("x" * 80) == "x" * 80
    assert plain("x" * 81) == "x" * 80 + "…"
    assert plain("x" * 10, limit=4) == "xxxx…"
    assert show("a\nb") == "'a\\nb'"
    assert show("y" * 100) == "'" + "y" * 80 + "…'"


def test_a_bundle_refused_for_its_size_names_the_bundle_in_the_import(open_archive, tmp_path):
    path = write_zip(tmp_path / "sig.simtool", {"manifest.json": MANIFEST, "signature.json": b" " * (64 * KiB + 1)},
                     zipfile.ZIP_STORED)
    with pytest.raises(BundleError, match=f"^{path}: 'signature.json' is too large"):
        import_bundle(open_archive("dept.sqlite"), path)


def test_printable_characters_are_shown_as_they_are_and_the_limit_is_kept():
    assert plain("it's a\\b \"q\" 王芳 😀") == "it's a\\b \"q\" 王芳 😀"
    assert show("x" * 10, limit=4) == "'xxxx…'"
    assert show("x" * 100, 90) == "'" + "x" * 90 + "…'"


def test_sizes_in_messages_are_bytes_below_1_mib_then_mib_then_gib():
    assert bzmod._mib(MiB - 1) == "1,048,575 bytes"
    assert bzmod._mib(MiB) == "1.0 MiB"
    assert bzmod._mib(GiB - 1) == "1024.0 MiB"
    assert bzmod._mib(GiB) == "1 GiB"


@pytest.mark.parametrize("entries, cd_size", [(0xFFFF, 1000), (3, 0xFFFFFFFF), (0xFFFF, 0xFFFFFFFF)])
def test_either_field_of_the_end_record_at_its_maximum_sends_the_reader_to_the_zip64_record(
        tmp_path, entries, cd_size):
    fake = tmp_path / "z64.simtool"
    data = _zip64_end(100_003, 1000)
    fake.write_bytes(data[:-22] + _end(entries, cd_size))
    assert "too many members (100,003;" in _refused(fake)


def test_a_member_holding_the_end_records_signature_does_not_fool_the_reader(tmp_path):
    fake_end = _end(0xFFFE, 1 << 30)                 # "65,534 members in a 1 GiB directory"
    path = write_zip(tmp_path / "inner.simtool", {"manifest.json": MANIFEST, "drills/x.json": fake_end},
                     zipfile.ZIP_STORED)
    assert _outcome(path) is None                    # the last end record is the zip's own


def test_a_zip64_locator_at_the_very_start_of_the_file_is_read(tmp_path):
    record = (b"PK\x06\x06" + (44).to_bytes(8, "little") + bytes(12) + (100_003).to_bytes(8, "little") * 2
              + (1000).to_bytes(8, "little") + bytes(8))
    locator = b"PK\x06\x07" + bytes(4) + (42).to_bytes(8, "little") + (1).to_bytes(4, "little")
    fake = tmp_path / "start.simtool"
    fake.write_bytes(locator + _end(0xFFFF, 1000) + record)   # locator at 0, the record after the end
    assert "too many members (100,003;" in _refused(fake)


def test_a_path_that_cannot_be_read_is_refused_saying_why(tmp_path):
    long = tmp_path / ("x" * 5000)
    assert _refused(long) == f"{long}: cannot read the bundle (File name too long)"
