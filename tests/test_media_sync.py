"""Lining a video up with the drill by one moment both show (issue 23, item 1): `simtool media
attach --sync VIDEO_TIME=DRILL_TIME` computes the offset the instructor would otherwise
subtract by hand, the same rule as the debrief's Attach video dialog
(``simtool.app.media.offset_from_moment``)."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest

from simtool.app.media import MediaError, offset_from_moment
from simtool.cli import main
from simtool.cli.media import clock_seconds
from simtool.store import Archive

from helpers.video import make_video, scripted_pph_drill

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str, Path]:
    d = tmp_path_factory.mktemp("sync")
    db = d / "archive.sqlite"
    return db, scripted_pph_drill(db), make_video(d / "clap.mp4", seconds=3.0)


@pytest.fixture()
def case(built, tmp_path) -> tuple[Path, str, Path]:
    db, did, video = built
    shutil.copy(db, tmp_path / "archive.sqlite")
    return tmp_path / "archive.sqlite", did, video


def _attach(capsys, db: Path, did: str, video: Path, *extra: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["media", "attach", did, str(video), *extra, "--json", "--archive", str(db)])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("sync, offset", [
    ("0:01.5=0:00", -1.5),        # the camera ran 1.5 s before the drill started
    ("1.5=0", -1.5),
    ("0:02=5:00", 298.0),         # the call at 05:00 is 2 s into the video
    ("0=1:02:03", None),          # past the ten-minute drill: refused below
])
def test_sync_computes_the_offset_from_one_moment_both_show(case, capsys, sync, offset):
    db, did, video = case
    code, out, err = _attach(capsys, db, did, video, "--sync", sync)
    if offset is None:
        assert code == 1 and "after the drill ended" in err and "Traceback" not in err
        return
    assert code == 0, err
    assert json.loads(out)["offset_s"] == pytest.approx(offset)


@pytest.mark.parametrize("bad", ["", "=", "12", "a=b", "1:2:3:4=0", "0:75=0", "1:60:00=0",
                                 "-3=0", "nan=0", "inf=0", "0=", "1e999=0", "0:0x1=0"])
def test_a_sync_that_is_not_two_times_is_refused_in_one_sentence(case, capsys, bad):
    db, did, video = case
    with pytest.raises(SystemExit) as exc:
        main(["media", "attach", did, str(video), f"--sync={bad}", "--archive", str(db)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "VIDEO_TIME=DRILL_TIME" in err and "Traceback" not in err


def test_sync_and_offset_together_or_neither_are_refused(case, capsys):
    db, did, video = case
    for extra in (["--sync", "0=0", "--offset", "0"], []):
        with pytest.raises(SystemExit) as exc:
            main(["media", "attach", did, str(video), *extra, "--archive", str(db)])
        assert exc.value.code == 2
    with Archive.open(db, create=False) as a:
        from simtool.store.media import media_of
        assert media_of(a, did) == []


def test_offset_from_moment_and_the_clock_forms() -> None:
    assert offset_from_moment(12.4, 0.0) == pytest.approx(-12.4)
    assert offset_from_moment(0.0, 90.0) == 90.0
    for bad in (math.nan, math.inf, -math.inf, "3", True, None):
        with pytest.raises(MediaError):
            offset_from_moment(bad, 0.0)
        with pytest.raises(MediaError):
            offset_from_moment(0.0, bad)
    with pytest.raises(MediaError, match="before its first frame"):
        offset_from_moment(-0.5, 10.0)
    assert clock_seconds("1:02:03.5") == pytest.approx(3723.5)
    assert clock_seconds("00:12.4") == pytest.approx(12.4)
