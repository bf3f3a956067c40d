"""Attacks on bundles that carry videos (`simtool bundle export --with-media`, issue 23), as a
hostile or clumsy user would make them: member names with `../`, absolute paths, backslashes, a
NUL, thousands of characters, given twice; a symlink entry; a video member no row names; a row
whose video the zip lacks; a member that decompresses past what its directory says; something
already in the receiving media folder under a video's name (other bytes, a pipe, a folder, a
link to nothing or to a device); the same bundle twice, or again after a kept file was lost;
a file where the media folder should be; a read-only archive or media folder; a disk that
fills while the videos are copied in.

What must hold: the bundle is refused whole with one sentence naming it (never a traceback,
never a wait for ever), nothing is written outside the receiving media folder, nothing there
is replaced, and the receiving archive is untouched; an import that passes is idempotent."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from simtool.cli import main
from simtool.store import Archive

from helpers.deadline import deadline
from helpers.video import make_video, scripted_pph_drill

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    """A laptop archive with two drills: a 2-s video attached to both, a 3-s one to the first;
    exported with its videos."""
    d = tmp_path_factory.mktemp("media_bundle_attack")
    db = d / "laptop.sqlite"
    for _ in range(2):
        scripted_pph_drill(db)
    with Archive.open(db, create=False) as a:
        a_id, b_id = [info.id for info in a.drills()]
    v1, v2 = make_video(d / "room.mp4"), make_video(d / "bed.mp4", seconds=3.0)
    for did, v, off in ((a_id, v1, "0"), (b_id, v1, "5"), (a_id, v2, "1")):
        assert main(["media", "attach", did, str(v), "--offset", off, "--archive", str(db)]) == 0
    bundle = d / "drills.simtool"
    assert main(["bundle", "export", "-o", str(bundle), "--with-media", "--archive", str(db)]) == 0
    return {"bundle": bundle, "drills": (a_id, b_id), "v1": v1, "v2": v2, "db": db}


def _sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _member(video: Path) -> str:
    return f"media/{_sha(video.read_bytes())}.mp4"


def _folder(db: Path) -> Path:
    return db.with_name(db.name + ".media")


def _import(capsys, db: Path, bundle: Path) -> tuple[int, str]:
    capsys.readouterr()
    with deadline():
        code = main(["bundle", "import", str(bundle), "--archive", str(db)])
    out = capsys.readouterr()
    return code, out.out + out.err


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def _refused_whole(capsys, tmp_path: Path, bundle: Path, db: Path | None = None) -> str:
    """Import into a fresh (or the given) archive: refused in one sentence naming the bundle,
    no drill added, no file left in or beside the media folder."""
    db = db or tmp_path / "dept.sqlite"
    before = _tree(tmp_path)
    with Archive.open(db, create=True) as a:
        drills = a.drills()
    code, out = _import(capsys, db, bundle)
    assert code == 1, out
    lines = [x for x in out.strip().splitlines() if x]
    assert len(lines) == 1 and "Traceback" not in out, out
    assert str(bundle) in lines[0] and len(lines[0]) < 600, lines[0]
    with Archive.open(db, create=False) as a:
        assert a.drills() == drills
    made = {p for p in _tree(tmp_path) - before if not p.startswith("user-data")}   # simtool's own
    assert made <= {db.name + s for s in ("", "-wal", "-shm", "-journal", ".media")}, made
    if _folder(db).is_dir() and not _folder(db).is_symlink():
        assert not [n for n in os.listdir(_folder(db)) if n.startswith(".incoming")]
    return lines[0]


def _members(bundle: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(bundle) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _write(dst: Path, members: list[tuple[str | zipfile.ZipInfo, bytes]],
           deflate: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(dst, "w") as zf:
        for name, raw in members:
            info = name if isinstance(name, zipfile.ZipInfo) else zipfile.ZipInfo(name)
            stored = info.filename.startswith("media/") and info.filename not in deflate
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            zf.writestr(info, raw)
    return dst


def _unsigned(built: dict, dst: Path, *, media: dict | None = None, drop: tuple[str, ...] = (),
              extra: list[tuple[str | zipfile.ZipInfo, bytes]] = (),
              replace: dict[str, tuple[str | zipfile.ZipInfo, bytes]] | None = None,
              deflate: tuple[str, ...] = ()) -> Path:
    """The exported bundle rewritten as an attacker would (unsigned, so its manifest may say
    what the attacker likes): members dropped, replaced or added; media.json replaced."""
    members = _members(built["bundle"])
    manifest = json.loads(members.pop("manifest.json"))
    members.pop("signature.json")
    manifest.pop("signer", None)
    if media is not None:
        members["media.json"] = json.dumps(media).encode()
        manifest["media"]["sha256"] = _sha(members["media.json"])
        manifest["media"]["videos"] = len(media["videos"])
    out: list[tuple[str | zipfile.ZipInfo, bytes]] = [("manifest.json", json.dumps(manifest).encode())]
    for n, raw in members.items():
        if n in drop:
            continue
        out.append((replace or {}).get(n, (n, raw)))
    return _write(dst, out + list(extra), deflate)


# --- member names -------------------------------------------------------------------------------
def _names(built: dict) -> dict[str, str]:
    sha = _sha(built["v1"].read_bytes())
    return {"dot-dot": "../evil.mp4", "dot-dot under media": "media/../../evil.mp4",
            "absolute": "/tmp/evil.mp4", "absolute media": f"/media/{sha}.mp4",
            "backslashes": f"media\\{sha}.mp4", "a drive": "C:\\evil.mp4",
            "a folder entry": f"media/{sha}.mp4/", "5,000 characters": "media/" + "a" * 5000 + ".mp4",
            "an unreferenced video": f"media/{_sha(b'another video')}.mp4"}


@pytest.mark.parametrize("kind", ["dot-dot", "dot-dot under media", "absolute", "absolute media",
                                  "backslashes", "a drive", "a folder entry", "5,000 characters",
                                  "an unreferenced video"])
def test_a_member_name_the_manifest_does_not_give_is_refused(built, capsys, tmp_path, kind):
    name = _names(built)[kind]
    bad = _unsigned(built, tmp_path / "names.simtool", extra=[(name, built["v1"].read_bytes())])
    line = _refused_whole(capsys, tmp_path, bad)
    assert "is not named in the manifest; not a simtool bundle" in line, line
    assert not (tmp_path / "evil.mp4").exists() and not Path("/tmp/evil.mp4").exists()


def test_a_nul_in_a_member_name_is_refused(built, capsys, tmp_path):
    """zipfile cuts a name at its NUL: 'media/<sha>.mp4\\0../../evil' would be read as the
    video's own member. A name simtool never writes: refused, not read as another."""
    real = _member(built["v1"])
    masked = real + "~../../evil"
    bad = _unsigned(built, tmp_path / "nul.simtool", drop=(real,),
                    extra=[(masked, built["v1"].read_bytes())])
    raw = bad.read_bytes()
    assert raw.count(masked.encode()) == 2   # its local header and its directory entry
    bad.write_bytes(raw.replace(masked.encode(), masked.replace("~", "\0").encode()))
    line = _refused_whole(capsys, tmp_path, bad)
    assert "has a NUL in its name; not a simtool bundle" in line and "\\x00" in line, line


@pytest.mark.parametrize("first", ["the video", "other bytes"])
def test_a_member_given_twice_is_refused(built, capsys, tmp_path, first):
    real = _member(built["v1"])
    video = built["v1"].read_bytes()
    other = bytes(len(video))
    twice = [(real, video), (real, other)] if first == "the video" else [(real, other), (real, video)]
    with pytest.warns(UserWarning, match="Duplicate name"):
        bad = _unsigned(built, tmp_path / "twice.simtool", drop=(real,), extra=twice)
    line = _refused_whole(capsys, tmp_path, bad)
    assert f"the member '{real}' appears twice" in line, line


def test_a_symlink_entry_is_never_made_a_link(built, capsys, tmp_path):
    real = _member(built["v1"])
    info = zipfile.ZipInfo(real)
    info.external_attr = (0o120777 << 16)   # a symlink, as `zip --symlinks` stores one
    bad = _unsigned(built, tmp_path / "link.simtool", replace={real: (info, b"/etc/passwd")})
    line = _refused_whole(capsys, tmp_path, bad)
    assert f"the video {real} is 11 bytes, its row says" in line, line
    # the same, its row made to agree (size and SHA-256 of the link's text): not a video
    media = json.loads(_members(built["bundle"])["media.json"])
    sha = _sha(b"/etc/passwd")
    for r in media["videos"]:
        if r["file"] == real[len("media/"):]:
            r.update(file=f"{sha}.mp4", sha256=sha, size=11)
    info = zipfile.ZipInfo(f"media/{sha}.mp4")
    info.external_attr = (0o120777 << 16)
    bad = _unsigned(built, tmp_path / "link2.simtool", media=media, drop=(real,),
                    extra=[(info, b"/etc/passwd")])
    line = _refused_whole(capsys, tmp_path, bad)
    assert "is not a playable video; nothing was imported" in line, line
    assert not any(p.is_symlink() for p in tmp_path.rglob("*"))


def test_a_row_whose_video_the_zip_lacks_is_refused(built, capsys, tmp_path):
    real = _member(built["v2"])
    bad = _unsigned(built, tmp_path / "lacks.simtool", drop=(real,))
    line = _refused_whole(capsys, tmp_path, bad)
    assert f"the video {real} is named in the bundle but missing" in line, line


def test_a_video_whose_bytes_are_not_its_sha_is_refused(built, capsys, tmp_path):
    """Unsigned, so the attacker controls every row: bytes of the row's size, another SHA."""
    real = _member(built["v1"])
    video = bytearray(built["v1"].read_bytes())
    video[-1] ^= 0xFF
    bad = _unsigned(built, tmp_path / "sha.simtool", replace={real: (real, bytes(video))})
    line = _refused_whole(capsys, tmp_path, bad)
    assert "is not the one its row names (its SHA-256 differs: changed after export)" in line, line


def test_a_member_that_decompresses_past_its_stated_size_stops_there(built, capsys, tmp_path):
    """Its directory and header say the row's size; its data inflate to 16 MiB of zeros: read
    no further than the stated size, then found damaged (its CRC) — never 16 MiB written."""
    real = _member(built["v1"])
    size = built["v1"].stat().st_size
    bad = _unsigned(built, tmp_path / "bomb.simtool", drop=(real,), extra=[(real, bytes(16 << 20))],
                    deflate=(real,))
    raw = bytearray(bad.read_bytes())
    for sig, at_size in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):   # local header, directory
        name_at = {b"PK\x03\x04": 30, b"PK\x01\x02": 46}[sig]
        at = raw.find(sig)
        while raw[at + name_at:at + name_at + len(real)] != real.encode():
            at = raw.find(sig, at + 4)
        raw[at + at_size:at + at_size + 4] = size.to_bytes(4, "little")
    bad.write_bytes(bytes(raw))
    with zipfile.ZipFile(bad) as zf:   # what the directory now says
        info = zf.getinfo(real)
        assert info.compress_type == zipfile.ZIP_DEFLATED and info.file_size == size
    line = _refused_whole(capsys, tmp_path, bad)
    assert f"'{real}' is damaged" in line, line


# --- the receiving media folder -----------------------------------------------------------------
def _pipe(p: Path) -> None:
    os.mkfifo(p)


def _device(p: Path) -> None:
    p.symlink_to("/dev/zero")


def _a_folder(p: Path) -> None:
    p.mkdir()


def _link_to_nothing(p: Path) -> None:
    p.symlink_to(p.with_name("nothing-here"))


def _other_bytes(p: Path) -> None:
    p.write_bytes(b"someone else's bytes")


SQUATTERS = {"other bytes": (_other_bytes, "whose bytes are not the ones its name says"),
             "a pipe": (_pipe, "a pipe"), "a link to /dev/zero": (_device, "a link to a device"),
             "a folder": (_a_folder, "a folder"), "a link to nothing": (_link_to_nothing, "a link to nothing")}


@pytest.mark.parametrize("thing", SQUATTERS)
def test_something_already_under_a_videos_name_is_never_replaced_nor_waited_on(built, capsys,
                                                                              tmp_path, thing):
    make, words = SQUATTERS[thing]
    db = tmp_path / "dept.sqlite"
    Archive.open(db, create=True).close()
    _folder(db).mkdir()
    squatter = _folder(db) / _member(built["v1"])[len("media/"):]
    make(squatter)
    before = squatter.lstat()
    line = _refused_whole(capsys, tmp_path, built["bundle"], db)
    assert str(squatter) in line and words in line, line
    assert "it was not replaced and nothing was imported" in line, line
    after = squatter.lstat()
    assert (after.st_ino, after.st_mode, after.st_size) == (before.st_ino, before.st_mode, before.st_size)
    assert sorted(os.listdir(_folder(db))) == [squatter.name]


@pytest.mark.parametrize("thing", ["a file", "a link to nothing"])
def test_something_other_than_a_folder_where_the_media_folder_should_be(built, capsys, tmp_path, thing):
    db = tmp_path / "dept.sqlite"
    if thing == "a file":
        _folder(db).write_bytes(b"notes")
    else:
        _folder(db).symlink_to(tmp_path / "gone")
    line = _refused_whole(capsys, tmp_path, built["bundle"], db)
    assert f"{_folder(db)}, where the archive keeps its videos, is not a folder ({thing} is in " \
           f"its place); move it away; nothing was imported from {built['bundle']}" in line, line
    assert os.path.lexists(_folder(db)) and not _folder(db).is_dir()


def test_importing_twice_or_after_a_kept_video_was_lost_adds_nothing_twice(built, capsys, tmp_path):
    db = tmp_path / "dept.sqlite"
    a_id, b_id = built["drills"]
    code, out = _import(capsys, db, built["bundle"])
    assert code == 0 and "videos: 3 added, 0 already present" in out, out
    files = sorted(os.listdir(_folder(db)))
    assert len(files) == 2   # the video of both drills is kept once
    code, out = _import(capsys, db, built["bundle"])
    assert code == 0 and "videos: 0 added, 3 already present" in out, out
    assert sorted(os.listdir(_folder(db))) == files
    lost = _folder(db) / _member(built["v2"])[len("media/"):]
    lost.unlink()
    assert main(["verify", "--archive", str(db)]) != 0
    code, out = _import(capsys, db, built["bundle"])   # the bundle brings it back, no new row
    assert code == 0 and "videos: 0 added, 3 already present" in out, out
    assert lost.read_bytes() == built["v2"].read_bytes()
    with Archive.open(db, create=False) as a:
        assert a._one("SELECT count(*) AS n FROM media")["n"] == 3
    capsys.readouterr()
    assert main(["verify", "--archive", str(db)]) == 0, capsys.readouterr().out


# --- a read-only archive or media folder; a full disk ------------------------------------------
def _in_namespace(tmp_path: Path, body: str, **env: str) -> subprocess.CompletedProcess:
    """Run shell ``body`` in a private mount namespace (`unshare --mount --map-root-user`, as
    tests/test_full_disk.py does), where a read-only bind mount binds root too."""
    exe = shutil.which("unshare")
    if exe is None:
        pytest.fail("these tests need `unshare` (util-linux) for a private mount namespace")
    full_env = {"PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "PY": sys.executable, "LANG": "C.UTF-8",
                "PYTHONIOENCODING": "utf-8", "SIMTOOL_DATA_HOME": str(tmp_path / "home"),
                "PYTHONPATH": str(ROOT), **env}
    done = subprocess.run([exe, "--mount", "--map-root-user", "sh", "-c", textwrap.dedent(body)],
                          cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done


@pytest.mark.parametrize("read_only", ["the archive's folder", "the media folder"])
def test_a_read_only_archive_or_media_folder_refuses_in_one_sentence(built, tmp_path, read_only):
    dept = tmp_path / "dept"
    dept.mkdir()
    db = dept / "dept.sqlite"
    Archive.open(db, create=True).close()
    _folder(db).mkdir()
    target = dept if read_only == "the archive's folder" else _folder(db)
    _in_namespace(tmp_path, """
        set -u
        mount --bind "$RO" "$RO" && mount -o remount,bind,ro "$RO"
        "$PY" -m simtool bundle import "$BUNDLE" --archive "$DB" > "$OUT/out.txt" 2>&1
        echo $? > "$OUT/code.txt"
    """, RO=str(target), BUNDLE=str(built["bundle"]), DB=str(db), OUT=str(tmp_path))
    out = (tmp_path / "out.txt").read_text()
    assert (tmp_path / "code.txt").read_text().strip() == "1", out
    lines = out.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out, out
    assert "damaged" not in lines[0] and "backup" not in lines[0], lines[0]   # it is not
    assert ("is read-only" if read_only == "the archive's folder" else "Read-only file system") \
        in lines[0], lines[0]
    with Archive.open(db, create=False) as a:
        assert a.drills() == []
    assert os.listdir(_folder(db)) == []


IMPORT_ON_FULL_DISK = textwrap.dedent("""
    import shutil, sys
    from collections import namedtuple
    Usage = namedtuple("Usage", "total used free")
    shutil.disk_usage = lambda p: Usage(1 << 40, 0, 1 << 40)   # the room check says yes
    from simtool.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def test_a_disk_that_fills_while_the_videos_are_copied_in_keeps_nothing(built, tmp_path):
    """The receiving media folder on a private tmpfs that a filler has filled (the room check
    fooled, as a disk another program fills after it would be): one sentence, no drill, no
    half video and no temporary file."""
    (tmp_path / "import.py").write_text(IMPORT_ON_FULL_DISK)
    db = tmp_path / "dept.sqlite"
    Archive.open(db, create=True).close()
    _folder(db).mkdir()
    _in_namespace(tmp_path, """
        set -u
        mount -t tmpfs -o size=8k none "$MEDIA"
        head -c 8192 /dev/zero > "$MEDIA/filler"
        "$PY" "$OUT/import.py" bundle import "$BUNDLE" --archive "$DB" > "$OUT/out.txt" 2>&1
        echo $? > "$OUT/code.txt"
        ls -1A "$MEDIA" > "$OUT/files.txt" 2>&1
    """, MEDIA=str(_folder(db)), DB=str(db), OUT=str(tmp_path), BUNDLE=str(built["bundle"]))
    out = (tmp_path / "out.txt").read_text()
    assert (tmp_path / "code.txt").read_text().strip() == "1", out
    lines = out.strip().splitlines()
    assert len(lines) == 1 and "No space left on device" in lines[0], out
    assert "nothing was imported" in lines[0] and str(built["bundle"]) in lines[0]
    assert (tmp_path / "files.txt").read_text().split() == ["filler"]
    with Archive.open(db, create=False) as a:
        assert a.drills() == []


# --- export --with-media ------------------------------------------------------------------------
@pytest.mark.parametrize("thing", ["a sparse 100 GB file", "a pipe", "a link to /dev/zero"])
def test_export_names_whatever_replaced_a_kept_video_without_writing_it(built, capsys, tmp_path, thing):
    """A kept video grown to 100 GB (sparse) would be streamed whole into the bundle (filling
    the disk) before its SHA-256 was compared; a pipe was called missing. Refused from its size
    or its kind, nothing read through, no bundle written."""
    db = tmp_path / built["db"].name
    shutil.copy(built["db"], db)
    shutil.copytree(_folder(built["db"]), _folder(db))
    kept = _folder(db) / _member(built["v1"])[len("media/"):]
    if thing == "a sparse 100 GB file":
        with open(kept, "r+b") as f:
            f.truncate(100 * 1024 ** 3)
        words = "was changed since it was attached"
    else:
        kept.unlink()
        _pipe(kept) if thing == "a pipe" else _device(kept)
        words = f"is not a regular file ({'a pipe' if thing == 'a pipe' else 'a link to a device'}"
    out = tmp_path / "out.simtool"
    capsys.readouterr()
    with deadline():
        code = main(["bundle", "export", "-o", str(out), "--with-media", "--archive", str(db)])
    err = capsys.readouterr().err
    assert code == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert str(kept) in err and words in err and "no bundle was written" in err, err
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_kept_file_given_up_by_another_simtool_during_the_import_refuses_it(built, capsys,
                                                                             tmp_path, monkeypatch):
    """The receiving folder already has a video's bytes, just made by another simtool's attach;
    the import reuses it; that attach then fails and removes 'its' file. The import must not
    record a row whose file is gone: refused whole, nothing imported."""
    import simtool.store.bundle as store_bundle
    db = tmp_path / "dept.sqlite"
    Archive.open(db, create=True).close()
    _folder(db).mkdir()
    other = _folder(db) / _member(built["v1"])[len("media/"):]
    shutil.copy(built["v1"], other)
    real_stage = store_bundle._stage_videos

    def stage_then_give_up(*args, **kw):
        created = real_stage(*args, **kw)
        assert other not in created
        other.unlink()   # the other simtool gives up its file
        return created
    monkeypatch.setattr(store_bundle, "_stage_videos", stage_then_give_up)
    line = _refused_whole(capsys, tmp_path, built["bundle"], db)
    assert f"the kept video {other} was removed while it was being imported" in line, line
    assert os.listdir(_folder(db)) == []   # the files this import made went again


def test_any_member_name_added_to_a_bundle_is_refused_in_one_line(built, tmp_path_factory):
    """Generated names (any characters but surrogates, up to 300 of them, often with media/,
    ../, / or \\): the bundle is refused when read, in one line naming it, never a traceback."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from simtool.store.bundle import read_bundle
    from simtool.store.errors import BundleError
    d = tmp_path_factory.mktemp("names")
    base = [(n, raw) for n, raw in _members(built["bundle"]).items()]
    prefix = st.sampled_from(["", "media/", "../", "/", "media/../", "\\", "media\\", "drills/"])
    chars = st.characters(blacklist_categories=("Cs",))

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(name=st.builds(lambda p, t: p + t, prefix, st.text(chars, min_size=1, max_size=300)))
    def check(name: str) -> None:
        bad = d / "gen.simtool"
        with zipfile.ZipFile(bad, "w") as zf:
            for n, raw in base + [(name, b"x" * 64)]:
                zf.writestr(zipfile.ZipInfo(n), raw)
        with pytest.raises(BundleError) as info:
            read_bundle(bad)
        text = str(info.value)
        assert text.startswith(str(bad)) and "\n" not in text and len(text) < 600, text
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)   # zipfile's 'Duplicate name'
        check()
