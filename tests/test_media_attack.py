"""Attacks on attaching a video and on verifying the kept ones (issue 23), as a hostile or clumsy
user would make them: something other than a file where a kept video or the media folder
should be (a pipe, a device, a folder, a link to nothing, a file, a huge sparse file), the
media folder made a link to another folder, the video swapped between its probe and its copy,
a hard link to the archive, a pipe as the video, one video attached to two drills, kept files
swapped or cut short, a disk that fills during the copy.

What must hold: nothing recorded is lost, forged or overwritten; every refusal is one sentence
naming the file (never a traceback, never a wait for ever); the SHA-256 recorded is that of
the bytes kept, which are the bytes that were checked to be a video."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from simtool.cli import main
from simtool.store import Archive

from helpers.deadline import deadline
from helpers.video import make_video, scripted_pph_drill

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, list[str], Path, Path]:
    """Two ten-minute PPH drills in an archive, and two videos (2 s and 3 s)."""
    d = tmp_path_factory.mktemp("media_attack")
    db = d / "archive.sqlite"
    for _ in range(2):
        scripted_pph_drill(db)
    with Archive.open(db, create=False) as a:
        ids = [info.id for info in a.drills()]
    return db, ids, make_video(d / "room.mp4"), make_video(d / "bed.mp4", seconds=3.0)


@pytest.fixture()
def case(built, tmp_path) -> tuple[Path, list[str], Path, Path]:
    db, ids, v1, v2 = built
    shutil.copy(db, tmp_path / "archive.sqlite")
    for v in (v1, v2):
        shutil.copy(v, tmp_path / v.name)
    return tmp_path / "archive.sqlite", ids, tmp_path / v1.name, tmp_path / v2.name


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    with deadline():
        code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _one_sentence(text: str) -> str:
    lines = [x for x in text.strip().splitlines() if x]
    assert len(lines) == 1 and "Traceback" not in text, text
    return lines[0]


def _attach(capsys, db: Path, did: str, video: Path, offset: str = "0") -> tuple[int, str]:
    code, out, err = _run(capsys, "media", "attach", did, str(video), "--offset", offset,
                          "--archive", str(db))
    return code, out + err


def _listed(capsys, db: Path, did: str) -> list[dict]:
    code, out, err = _run(capsys, "media", "list", did, "--json", "--archive", str(db))
    assert code == 0, err
    return json.loads(out)


def _verify(capsys, db: Path) -> tuple[int, str]:
    code, out, err = _run(capsys, "verify", "--archive", str(db))
    return code, out + err


def _folder(db: Path) -> Path:
    return db.with_name(db.name + ".media")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _kept(video: Path) -> str:
    return f"{_sha(video)}.mp4"


# --- something else where a kept video should be ------------------------------------------------
def _pipe(p: Path) -> str:
    os.mkfifo(p)
    return "not a regular file"


def _device(p: Path) -> str:
    p.symlink_to("/dev/zero")
    return "not a regular file"


def _a_folder(p: Path) -> str:
    p.mkdir()
    return "not a regular file"


def _link_to_nothing(p: Path) -> str:
    p.symlink_to(p.with_name("nothing-here"))
    return "missing"


def _sparse_100_gb(p: Path) -> str:
    with open(p, "wb") as f:   # a terabyte-scale read if anyone hashed it through
        f.truncate(100 * 1024 ** 3)
    return "was changed"


IN_PLACE = {"a pipe": _pipe, "a link to /dev/zero": _device, "a folder": _a_folder,
            "a link to nothing": _link_to_nothing, "a sparse 100 GB file": _sparse_100_gb}


@pytest.mark.parametrize("thing", IN_PLACE)
def test_verify_names_whatever_replaced_a_kept_video_without_hanging(case, capsys, thing):
    db, (did, _), video, _ = case
    assert _attach(capsys, db, did, video)[0] == 0
    kept = _folder(db) / _kept(video)
    kept.unlink()
    words = IN_PLACE[thing](kept)
    code, out = _verify(capsys, db)
    assert code != 0, out
    assert f"video 1 of drill {did} (room.mp4): the file {kept}" in out and words in out, out
    assert "Traceback" not in out


@pytest.mark.parametrize("thing", ["a pipe", "a link to /dev/zero", "a folder", "a link to nothing"])
def test_attach_never_waits_on_or_replaces_something_else_under_the_videos_name(case, capsys, thing):
    db, (did, _), video, _ = case
    _folder(db).mkdir()
    squatter = _folder(db) / _kept(video)
    IN_PLACE[thing](squatter)
    code, out = _attach(capsys, db, did, video)
    assert code == 1
    line = _one_sentence(out)
    assert str(squatter) in line and "nothing was attached" in line, line
    assert "not a video simtool kept" in line, line
    assert os.path.lexists(squatter) and sorted(os.listdir(_folder(db))) == [squatter.name]
    assert _listed(capsys, db, did) == []


# --- something else where the media folder should be -----------------------------------------
@pytest.mark.parametrize("thing", ["a file", "a link to nothing", "a link to a file"])
def test_something_other_than_a_folder_where_the_media_folder_should_be(case, capsys, thing):
    db, (did, _), video, _ = case
    folder = _folder(db)
    if thing == "a file":
        folder.write_bytes(b"notes")
    elif thing == "a link to nothing":
        folder.symlink_to(db.parent / "gone")
    else:
        (db.parent / "notes.txt").write_bytes(b"notes")
        folder.symlink_to(db.parent / "notes.txt")
    code, out = _attach(capsys, db, did, video)
    assert code == 1
    line = _one_sentence(out)
    assert f"{folder}, where the archive keeps its videos, is not a folder" in line, line
    assert "nothing was attached" in line
    assert os.path.lexists(folder) and not folder.is_dir()
    if thing != "a link to nothing":
        assert folder.read_bytes() == b"notes"
    assert _listed(capsys, db, did) == []


def test_a_media_folder_made_a_link_to_another_folder(case, capsys, tmp_path):
    """A link to a folder elsewhere (a bigger disk) is followed: nothing there is replaced and
    verify checks the bytes; pointed at a folder without the videos, verify names each one."""
    db, (did, _), video, other = case
    elsewhere = tmp_path / "big-disk"
    elsewhere.mkdir()
    squatter = elsewhere / _kept(other)
    squatter.write_bytes(b"someone's notes")
    _folder(db).symlink_to(elsewhere)
    assert _attach(capsys, db, did, video)[0] == 0
    assert (elsewhere / _kept(video)).read_bytes() == video.read_bytes()
    code, out = _attach(capsys, db, did, other, "1")
    assert code == 1 and "whose bytes are not the ones its name says" in out
    assert squatter.read_bytes() == b"someone's notes"
    assert _verify(capsys, db)[0] == 0
    # the link swapped to an empty folder: the video is said missing, not silently fine
    _folder(db).unlink()
    (tmp_path / "empty").mkdir()
    _folder(db).symlink_to(tmp_path / "empty")
    code, out = _verify(capsys, db)
    assert code != 0 and f"video 1 of drill {did} (room.mp4): the file" in out and "missing" in out


# --- the video itself ---------------------------------------------------------------------------
def test_a_pipe_or_a_device_as_the_video_is_refused_without_waiting(case, capsys):
    db, (did, _), _, _ = case
    fifo = db.parent / "camera.mp4"
    os.mkfifo(fifo)
    dev = db.parent / "zero.mp4"
    dev.symlink_to("/dev/zero")
    for bad in (fifo, dev):
        code, out = _attach(capsys, db, did, bad)
        assert code == 1 and "is not a regular file" in _one_sentence(out) and str(bad) in out
    assert _listed(capsys, db, did) == []


def test_a_hard_link_to_the_archive_is_refused(case, capsys):
    db, (did, _), _, _ = case
    link = db.parent / "recording.mp4"
    os.link(db, link)
    code, out = _attach(capsys, db, did, link)
    assert code == 1 and "is the archive's own file" in _one_sentence(out)
    assert not _folder(db).exists() or os.listdir(_folder(db)) == []


def _swap_after_probe(monkeypatch, change) -> None:
    """The file at the probed path is changed by ``change(path)`` just after its probe."""
    import simtool.app.media as app_media
    real_probe = app_media.probe

    def probe_then_change(path: Path):
        info = real_probe(path)
        change(Path(path))
        return info
    monkeypatch.setattr(app_media, "probe", probe_then_change)


def _renamed_over(other: Path):
    def change(path: Path) -> None:
        shutil.copy(other, path.with_name("swap.tmp"))
        os.replace(path.with_name("swap.tmp"), path)
    return change


def _text_in_place(path: Path) -> None:
    data = path.read_bytes()
    with open(path, "r+b") as f:   # the same file, the same size: its bytes rewritten
        f.write(b"not a video " * (len(data) // 12))


def _grown(path: Path) -> None:
    with open(path, "ab") as f:   # a recording still being written
        f.write(b"\0" * 4096)


def _pipe_in_place(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


@pytest.mark.parametrize("change", ["another video renamed over it", "rewritten in place",
                                    "still growing", "a pipe put in its place"])
def test_a_video_changed_between_its_probe_and_its_copy_is_refused(case, capsys, monkeypatch, change):
    """TOCTOU: what is kept must be what was probed. A swap after the probe is refused; never
    a row saying 'a 2 s H.264 video' over bytes nobody checked."""
    db, (did, _), video, other = case
    _swap_after_probe(monkeypatch, {"another video renamed over it": _renamed_over(other),
                                    "rewritten in place": _text_in_place,
                                    "still growing": _grown,
                                    "a pipe put in its place": _pipe_in_place}[change])
    code, out = _attach(capsys, db, did, video)
    assert code == 1, out
    line = _one_sentence(out)
    assert str(video) in line and "changed while it was being attached" in line, line
    assert "nothing was attached" in line
    assert _listed(capsys, db, did) == []
    assert not _folder(db).exists() or os.listdir(_folder(db)) == []


def test_the_sha_recorded_is_of_the_bytes_kept(case, capsys):
    db, (did, _), video, _ = case
    assert _attach(capsys, db, did, video)[0] == 0
    (m,) = _listed(capsys, db, did)
    kept = Path(m["file"])
    assert m["sha256"] == _sha(kept) == _sha(video) and m["size"] == kept.stat().st_size
    assert not kept.is_symlink() and kept.stat().st_nlink == 1   # a copy, not a link to the source


def test_one_video_attached_to_two_drills_is_kept_once_with_two_rows(case, capsys):
    db, (a, b), video, _ = case
    assert _attach(capsys, db, a, video, "0")[0] == 0
    assert _attach(capsys, db, b, video, "5")[0] == 0
    assert _attach(capsys, db, a, video, "2")[0] == 0   # the same drill again, another offset
    assert os.listdir(_folder(db)) == [_kept(video)]
    assert [m["offset_s"] for m in _listed(capsys, db, a)] == [0, 2]
    assert [m["offset_s"] for m in _listed(capsys, db, b)] == [5]
    assert _verify(capsys, db)[0] == 0
    (_folder(db) / _kept(video)).write_bytes(b"x")
    code, out = _verify(capsys, db)   # every row of the changed file is named
    assert code != 0 and all(f"video {i} of drill" in out for i in (1, 2, 3)), out


def test_verify_names_both_videos_when_their_files_are_swapped_and_one_cut_short(case, capsys):
    db, (did, _), v1, v2 = case
    assert _attach(capsys, db, did, v1, "0")[0] == 0
    assert _attach(capsys, db, did, v2, "0")[0] == 0
    f1, f2 = _folder(db) / _kept(v1), _folder(db) / _kept(v2)
    b1, b2 = f1.read_bytes(), f2.read_bytes()
    f1.write_bytes(b2)
    f2.write_bytes(b1)
    code, out = _verify(capsys, db)
    assert code != 0
    assert f"video 1 of drill {did} (room.mp4): the file {f1} was changed" in out, out
    assert f"video 2 of drill {did} (bed.mp4): the file {f2} was changed" in out, out
    f1.write_bytes(b1)
    f2.write_bytes(b2[: len(b2) // 2])   # put back, the second one cut in half
    code, out = _verify(capsys, db)
    assert code != 0 and f"the file {f2} was changed" in out and str(f1) not in out, out


# --- a full disk --------------------------------------------------------------------------------
def need_unshare() -> str:
    """`unshare`, which mounts a private tmpfs without root (as in tests/test_full_disk.py):
    fails, never skips, where it is missing."""
    exe = shutil.which("unshare")
    if exe is None:
        pytest.fail("the full-disk test needs `unshare` (util-linux) to mount a small private tmpfs")
    return exe


ATTACH_ON_FULL_DISK = textwrap.dedent("""
    import shutil, sys
    from collections import namedtuple
    Usage = namedtuple("Usage", "total used free")
    shutil.disk_usage = lambda p: Usage(1 << 40, 0, 1 << 40)   # the room check says yes
    from simtool.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def test_a_disk_that_fills_during_the_copy_keeps_nothing_half_and_says_so(case, tmp_path):
    """The media folder on a private tmpfs (tests/test_full_disk.py's pattern) that a filler has
    filled: the copy runs out of space (the room check fooled, as by a disk another program
    fills after it)."""
    db, (did, _), video, _ = case
    exe = need_unshare()
    _folder(db).mkdir()
    (tmp_path / "attach.py").write_text(ATTACH_ON_FULL_DISK)
    script = textwrap.dedent("""
        set -u
        mount -t tmpfs -o size=8k none "$MEDIA"
        head -c 8192 /dev/zero > "$MEDIA/filler"
        "$PY" "$ATTACH" media attach "$DRILL" "$VIDEO" --offset 0 --archive "$DB" > "$OUT/out.txt" 2>&1
        echo $? > "$OUT/code.txt"
        ls -1A "$MEDIA" > "$OUT/files.txt" 2>&1
    """)
    env = {"PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "MEDIA": str(_folder(db)), "OUT": str(tmp_path),
           "DB": str(db), "PY": sys.executable, "ATTACH": str(tmp_path / "attach.py"),
           "DRILL": did, "VIDEO": str(video), "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8",
           "SIMTOOL_DATA_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([exe, "--mount", "--map-root-user", "sh", "-c", script], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = (tmp_path / "out.txt").read_text()
    assert (tmp_path / "code.txt").read_text().strip() == "1", out
    line = _one_sentence(out)
    assert str(video) in line and "No space left on device" in line and "nothing was attached" in line
    assert (tmp_path / "files.txt").read_text().split() == ["filler"]   # no half video, no temporary
    with Archive.open(db, create=False) as a:
        assert a._one("SELECT count(*) AS n FROM media")["n"] == 0


def test_a_file_that_grows_during_the_copy_is_not_kept(case, monkeypatch):
    """The store's own guard, under attach's: bytes written to the video while it is being
    copied (after the check of its identity) refuse it, and nothing is left behind."""
    from simtool.store.errors import ArchiveError
    from simtool.store.media import keep_file
    db, _, video, _ = case
    real_fsync = os.fsync

    def grow_then_sync(fd: int) -> None:
        with open(video, "ab") as f:
            f.write(b"\0" * 100)
        real_fsync(fd)
    with Archive.open(db, create=False) as archive:
        checked = os.stat(video)
        monkeypatch.setattr(os, "fsync", grow_then_sync)
        with pytest.raises(ArchiveError) as info:
            keep_file(archive, video, same_as=checked)
        monkeypatch.undo()
    assert f"{video} changed while it was being attached" in str(info.value)
    assert os.listdir(_folder(db)) == []


def test_a_kept_file_given_up_by_another_attach_is_never_recorded_as_there(case):
    """Two attaches of the same bytes at once: the first makes the file, the second finds it and
    reuses it; the first then fails and removes 'its' file. The second must not record a row
    whose file is gone (found later as 'missing'): its row is refused, in one sentence."""
    from simtool.store.errors import ArchiveError
    from simtool.store.media import add_media, keep_file, media_of
    db, (did, _), video, _ = case
    with Archive.open(db, create=False) as archive:
        name, sha, size, created = keep_file(archive, video)      # the first attach
        assert created and keep_file(archive, video) == (name, sha, size, False)   # the second
        (_folder(db) / name).unlink()                             # the first gives up
        with pytest.raises(ArchiveError) as info:
            add_media(archive, did, file=name, sha256=sha, size=size, original_name=video.name,
                      offset_s=0.0, duration_s=2.0)
        assert media_of(archive) == []
    assert f"{_folder(db) / name} was removed while it was being attached" in str(info.value)
    assert "attach it again" in str(info.value)


def test_an_attach_whose_row_fails_removes_only_the_file_it_made(case, capsys, monkeypatch):
    import simtool.store.media as store_media
    from simtool.store.errors import ArchiveError
    db, (a, b), video, other = case
    assert _attach(capsys, db, a, video)[0] == 0
    real_add = store_media.add_media

    def failing(*args, **kw):
        raise ArchiveError("the disk is full (simulated)")
    monkeypatch.setattr(store_media, "add_media", failing)
    for v in (video, other):   # one file kept already (a row refers to it), one made for this
        code, out = _attach(capsys, db, b, v)
        assert code == 1 and "the disk is full (simulated)" in _one_sentence(out)
    monkeypatch.setattr(store_media, "add_media", real_add)
    assert os.listdir(_folder(db)) == [_kept(video)]
    with Archive.open(db, create=False) as archive:   # a file a row refers to is never removed
        store_media.discard_unreferenced(archive, [_folder(db) / _kept(video)])
    assert os.listdir(_folder(db)) == [_kept(video)]
    assert _verify(capsys, db)[0] == 0
