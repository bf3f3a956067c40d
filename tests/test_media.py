"""Video of a drill (issue 23, item 1): `simtool media attach` keeps the file beside the archive
under its SHA-256 with an audited row, `simtool media list` shows it, `simtool verify` names a
video changed or missing, and every bad input is refused with one sentence and nothing
written. The videos are made by the tests (tests/helpers/video.py), never downloaded."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from simtool.cli import main
from simtool.store import Archive

from helpers.video import make_video

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str, Path]:
    """A ten-minute PPH drill in an archive, and a 2-s video."""
    d = tmp_path_factory.mktemp("media")
    db = d / "archive.sqlite"
    script = d / "short.yaml"
    script.write_text("duration_s: 600\nparticipants:\n  - {id: t1, name: Zhao Min, role: midwife}\n"
                      "actions:\n  - {t: 300, action: uterine_massage, by: midwife}\n")
    assert main(["run", str(ROOT / "scenarios/pph_uterine_atony.yaml"), "--script", str(script),
                 "--archive", str(db)]) == 0
    with Archive.open(db, create=False) as a:
        (info,) = a.drills()
    return db, info.id, make_video(d / "room camera.mp4")


@pytest.fixture()
def case(built, tmp_path) -> tuple[Path, str, Path]:
    db, did, video = built
    shutil.copy(db, tmp_path / "archive.sqlite")
    return tmp_path / "archive.sqlite", did, video


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _listed(capsys, db: Path, did: str) -> list[dict]:
    code, out, _ = _run(capsys, "media", "list", did, "--json", "--archive", str(db))
    assert code == 0
    return json.loads(out)


def _media_folder(db: Path) -> Path:
    return db.with_name(db.name + ".media")


def test_attach_keeps_the_video_beside_the_archive_and_lists_it(case, capsys):
    db, did, video = case
    code, out, err = _run(capsys, "media", "attach", did, str(video), "--offset", "-1.5",
                          "--label", "room camera", "--archive", str(db))
    assert code == 0, err
    sha = hashlib.sha256(video.read_bytes()).hexdigest()
    kept = _media_folder(db) / f"{sha}.mp4"
    assert kept.read_bytes() == video.read_bytes()
    (m,) = _listed(capsys, db, did)
    assert (m["file"], m["offset_s"], m["label"], m["sha256"], m["codec"]) == \
        (str(kept), -1.5, "room camera", sha, "h264")
    assert m["duration_s"] == pytest.approx(2.0, abs=0.15) and (m["width"], m["height"]) == (64, 48)
    # not inside SQLite: the archive file holds no copy of the bytes
    assert video.read_bytes()[-64:] not in db.read_bytes()
    code, out, _ = _run(capsys, "media", "list", did, "--archive", str(db))
    assert "offset_s -1.5" in out and sha in out and "room camera" in out
    code, _, err = _run(capsys, "verify", "--archive", str(db))
    assert code == 0, err
    # the same bytes again: a second row, one file, nothing copied over
    assert _run(capsys, "media", "attach", did, str(video), "--offset", "0", "--archive", str(db))[0] == 0
    assert [x["file"] for x in _listed(capsys, db, did)] == [str(kept)] * 2
    assert sorted(os.listdir(_media_folder(db))) == [kept.name]


def test_verify_names_a_video_changed_or_missing(case, capsys):
    db, did, video = case
    assert _run(capsys, "media", "attach", did, str(video), "--offset", "0", "--label", "phone",
                "--archive", str(db))[0] == 0
    (m,) = _listed(capsys, db, did)
    kept = Path(m["file"])
    data = bytearray(kept.read_bytes())
    data[len(data) // 2] ^= 0xFF
    kept.write_bytes(bytes(data))
    code, out, err = _run(capsys, "verify", "--archive", str(db))
    assert code != 0
    assert f"video 1 of drill {did} (phone): the file {kept} was changed" in out + err
    kept.unlink()
    code, out, err = _run(capsys, "verify", "--archive", str(db))
    assert code != 0 and f"video 1 of drill {did} (phone): the file {kept} is missing" in out + err


def test_the_media_record_is_append_only_and_audited(case, capsys):
    db, did, video = case
    assert _run(capsys, "media", "attach", did, str(video), "--offset", "3", "--archive", str(db))[0] == 0
    con = sqlite3.connect(db)
    with pytest.raises(sqlite3.DatabaseError, match="attach it again instead"):
        con.execute("UPDATE media SET offset_s = 10")
    with pytest.raises(sqlite3.DatabaseError):
        con.execute("DELETE FROM media")
    # edited behind simtool's back (the guard dropped and put back): verify names the record
    (sql,) = con.execute("SELECT sql FROM sqlite_master WHERE name = 'media_no_update'").fetchone()
    con.execute("DROP TRIGGER media_no_update")
    con.execute("UPDATE media SET offset_s = 10")
    con.execute(sql)
    con.commit()
    con.close()
    code, out, err = _run(capsys, "verify", "--archive", str(db))
    assert code != 0 and "attached video 1 (of drill" in out + err and "record changed" in out + err


def _text_named_mp4(d: Path, video: Path) -> Path:
    p = d / "notes.mp4"
    p.write_text("this is not a video\n" * 50)
    return p


def _truncated(d: Path, video: Path) -> Path:
    p = d / "cut.mp4"
    p.write_bytes(video.read_bytes()[: video.stat().st_size // 2])
    return p


def _truncated_faststart(d: Path, video: Path) -> Path:
    whole = make_video(d / "whole.mp4", seconds=4.0, faststart=True)
    p = d / "cut-faststart.mp4"
    p.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    return p


def _empty(d: Path, video: Path) -> Path:
    p = d / "empty.mp4"
    p.touch()
    return p


def _folder(d: Path, video: Path) -> Path:
    p = d / "folder.mp4"
    p.mkdir()
    return p


def _dangling(d: Path, video: Path) -> Path:
    p = d / "gone.mp4"
    p.symlink_to(d / "nothing-here.mp4")
    return p


def _huge(d: Path, video: Path) -> Path:
    p = d / "huge.mp4"
    with open(p, "wb") as f:   # sparse: 17 GB on paper, nothing on disk
        f.truncate(17 * 1024 ** 3)
    return p


def _the_archive(d: Path, video: Path) -> Path:
    return d / "archive.sqlite"


def _link_to_the_archive(d: Path, video: Path) -> Path:
    p = d / "sneaky.mp4"
    p.symlink_to(d / "archive.sqlite")
    return p


BAD_FILES = {
    "a text file named .mp4": (_text_named_mp4, "is not a playable video"),
    "a video cut in half": (_truncated, "is not a playable video"),
    # (FFmpeg may stop at the cut or find the pictures end early: refused either way)
    "a fast-start video cut in half": (_truncated_faststart, ("cut short", "is not a playable video")),
    "an empty file": (_empty, "is empty"),
    "a folder": (_folder, "is not a regular file"),
    "a link to nothing": (_dangling, "does not exist"),
    "a 17 GB file": (_huge, "more than the 16 GB"),
    "the archive itself": (_the_archive, "is the archive's own file"),
    "a link to the archive": (_link_to_the_archive, "is the archive's own file"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_file_is_refused_in_one_sentence_and_nothing_is_kept(case, capsys, name):
    db, did, video = case
    make, words = BAD_FILES[name]
    bad = make(db.parent, video)
    code, out, err = _run(capsys, "media", "attach", did, str(bad), "--offset", "0", "--archive", str(db))
    assert code == 1, (name, out, err)
    assert any(w in err for w in ((words,) if isinstance(words, str) else words)), err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert _listed(capsys, db, did) == []
    folder = _media_folder(db)
    assert not folder.exists() or os.listdir(folder) == []


@pytest.mark.parametrize("offset, code, words", [
    ("nan", 2, "not a finite number"), ("inf", 2, "not a finite number"),
    ("-inf", 2, "not a finite number"), ("ten", 2, "is not a number"),
    ("600", 1, "after the drill ended"), ("99999", 1, "after the drill ended"),
    ("-2.5", 1, "before the drill started"), ("-1e300", 1, "before the drill started")])
def test_an_offset_outside_the_drill_is_refused(case, capsys, offset, code, words):
    db, did, video = case
    got, out, err = _run(capsys, "media", "attach", did, str(video), f"--offset={offset}",
                         "--archive", str(db)) if code == 1 else (None, "", "")
    if code == 2:
        with pytest.raises(SystemExit) as exc:
            main(["media", "attach", did, str(video), f"--offset={offset}", "--archive", str(db)])
        assert exc.value.code == 2
        assert words in capsys.readouterr().err
    else:
        assert got == 1 and words in err and "Traceback" not in err, err
    assert _listed(capsys, db, did) == []


def test_a_missing_file_an_unknown_drill_and_a_hostile_label(case, capsys):
    db, did, video = case
    code, _, err = _run(capsys, "media", "attach", did, str(db.parent / "nope.mp4"), "--offset", "0",
                        "--archive", str(db))
    assert code == 1 and "nope.mp4 does not exist" in err
    code, _, err = _run(capsys, "media", "attach", "no-such-drill", str(video), "--offset", "0",
                        "--archive", str(db))
    assert code == 1 and "no drill no-such-drill" in err
    code, _, err = _run(capsys, "media", "attach", did, str(video), "--offset", "0", "--label",
                        "x" * 81, "--archive", str(db))
    assert code == 1 and "at most 80" in err
    assert _listed(capsys, db, did) == []


def test_names_with_markup_and_links_to_a_video_are_attached_as_they_are(case, capsys):
    db, did, video = case
    odd = db.parent / "<b>cam<\\b> & 'one' $(x).MOV"
    shutil.copy(video, odd)
    link = db.parent / "link.mp4"
    link.symlink_to(video)
    assert _run(capsys, "media", "attach", did, str(odd), "--offset", "0", "--label",
                "<i>room</i>", "--archive", str(db))[0] == 0
    assert _run(capsys, "media", "attach", did, str(link), "--offset", "1", "--archive", str(db))[0] == 0
    a, b = _listed(capsys, db, did)
    assert (a["original_name"], a["label"]) == ("<b>cam<\\b> & 'one' $(x).MOV", "<i>room</i>")
    assert a["file"].endswith(".mov") and b["original_name"] == "room camera.mp4"   # the link's target


def test_another_file_under_a_videos_name_is_never_overwritten(case, capsys):
    db, did, video = case
    sha = hashlib.sha256(video.read_bytes()).hexdigest()
    folder = _media_folder(db)
    folder.mkdir()
    squatter = folder / f"{sha}.mp4"
    squatter.write_bytes(b"someone else's bytes")
    code, _, err = _run(capsys, "media", "attach", did, str(video), "--offset", "0", "--archive", str(db))
    assert code == 1 and "whose bytes are not the ones its name says" in err
    assert squatter.read_bytes() == b"someone else's bytes"
    assert sorted(os.listdir(folder)) == [squatter.name]   # no temporary file left behind
    assert _listed(capsys, db, did) == []
