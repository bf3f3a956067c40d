"""Videos in bundles (issue 23): `simtool bundle export --with-media` carries each drill's video
files and their rows; without it (and always when anonymised: faces) the rows travel without
the files, and the importing archive lists them as "not in this archive" while `verify` says
they were not imported instead of calling it tampering. Import checks every file's SHA-256
against its row before anything is written, never copies over another file, and is
idempotent; hostile zips (a changed video, a zip bomb, a huge declared size, a path in a
member name, a member that is not a video) are refused whole with one sentence."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from simtool.cli import main
from simtool.store import Archive

from helpers.video import make_video

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str, Path]:
    """A ten-minute PPH drill with a 2-s video attached (label 'room camera')."""
    d = tmp_path_factory.mktemp("bundle_media")
    db = d / "laptop.sqlite"
    script = d / "short.yaml"
    script.write_text("duration_s: 600\nparticipants:\n  - {id: t1, name: Zhao Min, role: midwife}\n"
                      "actions:\n  - {t: 300, action: uterine_massage, by: midwife}\n")
    assert main(["run", str(ROOT / "scenarios/pph_uterine_atony.yaml"), "--script", str(script),
                 "--archive", str(db)]) == 0
    with Archive.open(db, create=False) as a:
        (info,) = a.drills()
    video = make_video(d / "Zhao Min room camera.mp4")
    assert main(["media", "attach", info.id, str(video), "--offset", "-1.5", "--label",
                 "room camera", "--archive", str(db)]) == 0
    return db, info.id, video


@pytest.fixture()
def laptop(built, tmp_path) -> tuple[Path, str, Path]:
    db, did, video = built
    shutil.copy(db, tmp_path / db.name)
    shutil.copytree(db.with_name(db.name + ".media"), tmp_path / (db.name + ".media"))
    return tmp_path / db.name, did, video


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _listed(capsys, db: Path, did: str) -> list[dict]:
    code, out, err = _run(capsys, "media", "list", did, "--json", "--archive", str(db))
    assert code == 0, err
    return json.loads(out)


def _folder(db: Path) -> Path:
    return db.with_name(db.name + ".media")


def _files(db: Path) -> list[str]:
    return sorted(os.listdir(_folder(db))) if _folder(db).exists() else []


def _export(capsys, db: Path, out: Path, *flags: str) -> str:
    code, _, err = _run(capsys, "bundle", "export", "-o", str(out), "--archive", str(db), *flags)
    assert code == 0, err
    return err


def _import(capsys, db: Path, bundle: Path, *flags: str) -> tuple[int, str]:
    code, out, err = _run(capsys, "bundle", "import", str(bundle), "--archive", str(db), *flags)
    return code, out + err


def test_with_media_the_videos_travel_and_importing_twice_is_once(laptop, capsys, tmp_path):
    db, did, video = laptop
    bundle = tmp_path / "drills.simtool"
    err = _export(capsys, db, bundle, "--with-media")
    assert "1 videos included with their files" in err
    sha = hashlib.sha256(video.read_bytes()).hexdigest()
    with zipfile.ZipFile(bundle) as zf:
        assert zf.read(f"media/{sha}.mp4") == video.read_bytes()
    dept = tmp_path / "dept.sqlite"
    code, out = _import(capsys, dept, bundle)
    assert code == 0 and "videos: 1 added, 0 already present" in out, out
    (m,) = _listed(capsys, dept, did)
    assert (m["sha256"], m["offset_s"], m["label"], m["file_in_archive"], m["not_imported"]) == \
        (sha, -1.5, "room camera", True, False)
    assert Path(m["file"]).read_bytes() == video.read_bytes()
    assert Path(m["file"]).parent == _folder(dept)
    code, out, _ = _run(capsys, "verify", "--archive", str(dept))
    assert code == 0 and "note:" not in out
    # again, and back into the laptop it came from: nothing added, nothing copied over
    for target in (dept, db):
        before = _files(target)
        code, out = _import(capsys, target, bundle)
        assert code == 0 and "videos: 0 added, 1 already present" in out, out
        assert len(_listed(capsys, target, did)) == 1 and _files(target) == before
    assert _run(capsys, "verify", "--archive", str(dept))[0] == 0


def test_without_the_flag_the_rows_travel_and_the_file_is_said_not_to_be_here(laptop, capsys, tmp_path):
    db, did, video = laptop
    bundle = tmp_path / "no-media.simtool"
    err = _export(capsys, db, bundle)
    assert "1 videos listed, their files left out (made without --with-media" in err
    with zipfile.ZipFile(bundle) as zf:
        assert not [n for n in zf.namelist() if n.startswith("media/")]
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["media"]["files_included"] is False
    dept = tmp_path / "dept.sqlite"
    code, out = _import(capsys, dept, bundle)
    assert code == 0 and "not in this archive" in out, out
    (m,) = _listed(capsys, dept, did)
    assert (m["file_in_archive"], m["not_imported"], m["label"]) == (False, True, "room camera")
    assert _files(dept) == []
    code, out, _ = _run(capsys, "media", "list", did, "--archive", str(dept))
    assert "file not in this archive" in out
    code, out, _ = _run(capsys, "verify", "--archive", str(dept))
    assert code == 0, out
    assert f"note: video {m['id']} of drill {did} (room camera): its file was not imported" in out
    assert "missing" not in out and "changed" not in out
    # the videos follow later with --with-media: the file arrives, no second row
    full = tmp_path / "full.simtool"
    _export(capsys, db, full, "--with-media")
    code, out = _import(capsys, dept, full)
    assert code == 0 and "videos: 0 added, 1 already present" in out, out
    (m,) = _listed(capsys, dept, did)
    assert m["file_in_archive"] and Path(m["file"]).read_bytes() == video.read_bytes()
    code, out, _ = _run(capsys, "verify", "--archive", str(dept))
    assert code == 0 and "note:" not in out
    # from then on it is a kept file like any other: changing it is tampering
    Path(m["file"]).write_bytes(b"x" + Path(m["file"]).read_bytes()[1:])
    code, out, _ = _run(capsys, "verify", "--archive", str(dept))
    assert code != 0 and "was changed" in out


def test_an_anonymised_bundle_never_carries_videos_and_says_so(laptop, capsys, tmp_path):
    db, did, video = laptop
    bundle = tmp_path / "anon.simtool"
    err = _export(capsys, db, bundle, "--anonymize", "--with-media")
    assert "their files left out (anonymised bundle: videos show faces" in err
    with zipfile.ZipFile(bundle) as zf:
        assert not [n for n in zf.namelist() if n.startswith("media/")]
        rows = json.loads(zf.read("media.json"))["videos"]
    assert "Zhao" not in json.dumps(rows) and "room camera" not in json.dumps(rows)
    assert [r["original_name"] for r in rows] == ["video.mp4"]
    dept = tmp_path / "analysis.sqlite"
    code, out = _import(capsys, dept, bundle, "--analysis-copy")
    assert code == 0 and "anonymised bundle: videos show faces" in out, out
    (m,) = _listed(capsys, dept, did)
    assert (m["file_in_archive"], m["not_imported"], m["label"]) == (False, True, None)
    assert _run(capsys, "verify", "--archive", str(dept))[0] == 0


def test_export_with_media_refuses_a_missing_or_changed_video(laptop, capsys, tmp_path):
    db, did, video = laptop
    (kept,) = _folder(db).iterdir()
    data = kept.read_bytes()
    kept.write_bytes(data[:100] + bytes([data[100] ^ 1]) + data[101:])
    out = tmp_path / "b.simtool"
    code, _, err = _run(capsys, "bundle", "export", "-o", str(out), "--with-media", "--archive", str(db))
    assert code == 1 and "was changed since it was attached" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
    kept.unlink()
    code, _, err = _run(capsys, "bundle", "export", "-o", str(out), "--with-media", "--archive", str(db))
    assert code == 1 and "is not in this archive (missing; run simtool verify)" in err
    assert not out.exists()
    _export(capsys, db, out)          # without the videos it is still possible


# --- hostile bundles ------------------------------------------------------------------------------
def _rebuild(src: Path, dst: Path, video: bytes | None = None, *, name: str | None = None,
             extra: dict[str, bytes] | None = None, deflate_video: bool = False,
             row: dict | None = None) -> Path:
    """The bundle ``src`` rewritten as an attacker would: its video replaced by ``video`` (the
    row's SHA-256 and size made to match, so only the content decides), unsigned."""
    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    members.pop("signature.json")
    media = json.loads(members["media.json"])
    (old,) = [n for n in members if n.startswith("media/")]
    if video is not None:
        sha = hashlib.sha256(video).hexdigest()
        del members[old]
        r = media["videos"][0]
        r.update({"sha256": sha, "size": len(video), "file": f"{sha}.mp4", **(row or {})})
        members[name or f"media/{sha}.mp4"] = video
        members["media.json"] = json.dumps(media).encode()
        manifest["media"]["sha256"] = hashlib.sha256(members["media.json"]).hexdigest()
    manifest["signer"] = None
    manifest = {k: v for k, v in manifest.items() if v is not None}
    members.update(extra or {})
    with zipfile.ZipFile(dst, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for n, raw in members.items():
            method = zipfile.ZIP_DEFLATED if (deflate_video or not n.startswith("media/")) \
                else zipfile.ZIP_STORED
            zf.writestr(n, raw, method)
    return dst


@pytest.fixture()
def exported(laptop, capsys, tmp_path) -> tuple[Path, str, Path]:
    db, did, video = laptop
    bundle = tmp_path / "full.simtool"
    _export(capsys, db, bundle, "--with-media")
    return bundle, did, video


def _refused_whole(capsys, tmp_path, bundle: Path) -> str:
    dept = tmp_path / "dept.sqlite"
    code, out = _import(capsys, dept, bundle)
    assert code == 1, out
    lines = [x for x in out.strip().splitlines() if x]
    assert len(lines) == 1 and "Traceback" not in out, out
    with Archive.open(dept, create=True) as a:
        assert a.drills() == []
    assert _files(dept) == []   # no video left behind, not even a temporary one
    return lines[0]


def test_a_video_changed_after_export_refuses_the_whole_bundle(exported, capsys, tmp_path):
    bundle, did, video = exported
    with zipfile.ZipFile(bundle) as zf:
        members = {n: (zf.getinfo(n), zf.read(n)) for n in zf.namelist()}
    bad = tmp_path / "changed.simtool"
    with zipfile.ZipFile(bad, "w") as zf:   # the signed manifest and rows kept, one byte changed
        for n, (info, raw) in members.items():
            if n.startswith("media/"):
                raw = raw[:200] + bytes([raw[200] ^ 0xFF]) + raw[201:]
            zf.writestr(info, raw)
    msg = _refused_whole(capsys, tmp_path, bad)
    assert f"of drill {did} is not the one its row names (its SHA-256 differs: changed after " \
           f"export); nothing was imported" in msg


def test_a_member_that_is_not_a_video_is_refused(exported, capsys, tmp_path):
    bundle, did, _ = exported
    bad = _rebuild(bundle, tmp_path / "text.simtool", b"#!/bin/sh\nrm -rf ~\n" * 100)
    msg = _refused_whole(capsys, tmp_path, bad)
    assert f"of drill {did} is not a playable video; nothing was imported" in msg


def test_a_zip_bomb_posing_as_a_video_is_refused_before_it_is_decompressed(exported, capsys, tmp_path):
    bundle, _, _ = exported
    bad = _rebuild(bundle, tmp_path / "bomb.simtool", bytes(24 << 20), deflate_video=True)
    assert bad.stat().st_size < 1 << 20
    msg = _refused_whole(capsys, tmp_path, bad)
    assert "a compression ratio over 200; a zip bomb?" in msg


def test_a_huge_declared_size_is_refused_from_the_directory(exported, capsys, tmp_path):
    bundle, _, video = exported
    bad = tmp_path / "huge.simtool"
    shutil.copy(bundle, bad)
    data = bytearray(bad.read_bytes())
    sha = hashlib.sha256(video.read_bytes()).hexdigest()
    name = f"media/{sha}.mp4".encode()
    at = data.rfind(b"PK\x01\x02", 0, data.rfind(name))   # its central directory entry
    data[at + 24:at + 28] = (0xFFFFFFF0).to_bytes(4, "little")   # 4 GiB uncompressed, it says
    bad.write_bytes(bytes(data))
    msg = _refused_whole(capsys, tmp_path, bad)
    assert "is too large for its size in the bundle" in msg


def test_a_path_in_a_member_name_or_a_row_is_refused(exported, capsys, tmp_path):
    bundle, _, video = exported
    bad = _rebuild(bundle, tmp_path / "path.simtool", extra={"media/../../evil.mp4": b"x"})
    assert "the member 'media/../../evil.mp4' is not named in the manifest" in \
        _refused_whole(capsys, tmp_path, bad)
    bad = _rebuild(bundle, tmp_path / "row.simtool", video.read_bytes(), row={"file": "../../x.mp4"})
    assert "'../../x.mp4' is not a video file name simtool keeps" in \
        _refused_whole(capsys, tmp_path, bad)
    assert not (tmp_path / "x.mp4").exists() and not (tmp_path.parent / "x.mp4").exists()


def test_a_different_file_under_the_name_is_never_copied_over(exported, capsys, tmp_path):
    bundle, did, video = exported
    dept = tmp_path / "dept.sqlite"
    Archive.open(dept, create=True).close()
    sha = hashlib.sha256(video.read_bytes()).hexdigest()
    _folder(dept).mkdir()
    squatter = _folder(dept) / f"{sha}.mp4"
    squatter.write_bytes(b"not the video")
    code, out = _import(capsys, dept, bundle)
    assert code == 1 and "already has a file" in out and "nothing was imported" in out, out
    assert squatter.read_bytes() == b"not the video"
    with Archive.open(dept, create=False) as a:
        assert a.drills() == []


def _sparse_zip(path: Path, member: str, size: int, junk: int = 0) -> Path:
    """A zip whose one stored member declares ``size`` bytes, written as a hole (sparse: no
    disk, no memory), after ``junk`` bytes of hole: only its directory is ever read here."""
    import struct
    name = member.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0x21, 0, size, size, len(name), 0) + name
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0x21, 0, size, size,
                          len(name), 0, 0, 0, 0, 0, junk) + name
    cd_at = junk + len(local) + size
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), cd_at, 0)
    with open(path, "wb") as f:
        f.seek(junk)
        f.write(local)
        f.seek(cd_at)
        f.write(central + end)
    return path


def test_a_bundle_over_1_gib_is_read_only_when_videos_make_it_so(tmp_path):
    from simtool.store.bundlezip import GiB, MiB, BundleZip
    from simtool.store.errors import BundleError
    sha = "ab" * 32
    big = _sparse_zip(tmp_path / "video.simtool", f"media/{sha}.mp4", GiB + MiB)
    with BundleZip(big) as bz:                   # a video of a gigabyte: its directory passes
        assert bz.videos() == [f"media/{sha}.mp4"] and bz.size(f"media/{sha}.mp4") == GiB + MiB
    for bad in (_sparse_zip(tmp_path / "drill.simtool", "drills/x.json", MiB, junk=GiB),
                _sparse_zip(tmp_path / "junk.simtool", f"media/{sha}.mp4", MiB, junk=GiB)):
        with pytest.raises(BundleError) as info:
            BundleZip(bad)
        assert str(info.value) == f"{bad} is too large to be a simtool bundle (1 GiB; the limit is 1 GiB)"
    with BundleZip(_sparse_zip(tmp_path / "3g.simtool", f"media/{sha}.mp4", 3 * GiB)) as bz:
        assert bz.cap(f"media/{sha}.mp4") == 16 * GiB and bz.cap("drills/x.json") == 64 * MiB


def test_the_debrief_player_says_a_video_that_did_not_come_is_not_in_this_archive(laptop, capsys,
                                                                                  tmp_path, qtbot):
    from simtool.store.media import media_of
    from simtool.ui.archiveviews.videopanel import VideoPanel
    db, did, _ = laptop
    bundle = tmp_path / "no-media.simtool"
    _export(capsys, db, bundle)
    dept = tmp_path / "dept.sqlite"
    assert _import(capsys, dept, bundle)[0] == 0
    with Archive.open(dept, create=False) as a:
        videos = media_of(a, did)
    panel = VideoPanel(videos)
    qtbot.addWidget(panel)
    assert panel.status.text() == ("No video: The video file is not in this archive: the bundle "
                                   "this drill came in did not carry it (bundle export --with-media).")
