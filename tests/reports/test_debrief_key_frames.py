"""Key frames in the debrief PDF (issue 23, item 3; off by default): with `simtool export --kind
debrief DRILL --key-frames`, each flag has the picture the drill's video shows at that moment
beside it; without the option the PDF has no picture at all. The test video (tests/helpers/
video.py) shows a bar moving left to right, so the picture can be seen to be the right one."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest

from simtool.cli import main
from simtool.reports.debriefdata import build_debrief
from simtool.store import Archive

from helpers.tools import require_tools
from helpers.video import make_video

ROOT = Path(__file__).resolve().parents[2]
VIDEO_S, FPS, W = 130, 1, 64


@pytest.fixture(scope="module")
def flagged(tmp_path_factory) -> tuple[Path, str, Path]:
    """A two-minute PPH drill with flags at 0:20 (oxytocin 100 IU IV: three) and 1:00
    (tranexamic acid 5 g: two), and a 130-s video."""
    d = tmp_path_factory.mktemp("keyframes")
    db = d / "archive.sqlite"
    script = d / "flags.yaml"
    script.write_text("duration_s: 120\nparticipants:\n  - {id: t1, name: Zhao Min, role: midwife}\n"
                      "  - {id: t2, name: Sun Lei, role: anaesthetist}\nactions:\n"
                      "  - {t: 20, action: oxytocin, dose: 100, unit: IU, route: IV, by: midwife}\n"
                      "  - {t: 60, action: tranexamic_acid, dose: 5, unit: g, route: IV, by: anaesthetist}\n")
    assert main(["run", str(ROOT / "scenarios/pph_uterine_atony.yaml"), "--script", str(script),
                 "--archive", str(db)]) == 0
    with Archive.open(db, create=False) as a:
        (info,) = a.drills()
    return db, info.id, make_video(d / "room.mp4", seconds=VIDEO_S, fps=FPS)


def _copy(flagged, tmp_path: Path) -> tuple[Path, str, Path]:
    db, did, video = flagged
    (tmp_path / db.name).write_bytes(db.read_bytes())
    return tmp_path / db.name, did, video


def _attach(db: Path, did: str, video: Path, offset: float) -> None:
    assert main(["media", "attach", did, str(video), "--offset", str(offset), "--label", "room camera",
                 "--archive", str(db)]) == 0


def _export(db: Path, did: str, out: Path, *flags: str) -> Path:
    assert main(["export", "--kind", "debrief", did, "-o", str(out), "--archive", str(db), *flags]) == 0
    return out


def _images(pdf: Path) -> list[tuple[int, int]]:
    tool = require_tools("pdfimages", package="poppler-utils")["pdfimages"]
    lines = subprocess.run([tool, "-list", str(pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    return [(int(x.split()[3]), int(x.split()[4])) for x in lines if x.split()[2] == "image"]


def _text(pdf: Path) -> str:
    tool = require_tools("pdftotext", package="poppler-utils")["pdftotext"]
    return " ".join(subprocess.run([tool, "-raw", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())


def _bar_x(jpeg: bytes) -> int:
    """Where the white bar is in a picture of the test video."""
    from PIL import Image
    img = Image.open(io.BytesIO(jpeg)).convert("L")
    row = [img.getpixel((x, img.height // 2)) for x in range(img.width)]
    return max(range(img.width), key=lambda x: sum(row[x:x + 4]))


def test_key_frames_only_when_asked_and_each_the_moment_of_its_flag(flagged, tmp_path):
    db, did, video = _copy(flagged, tmp_path)
    _attach(db, did, video, -5.0)                 # drill time = video time - 5
    plain = _export(db, did, tmp_path / "plain.pdf")
    assert _images(plain) == []
    framed = _export(db, did, tmp_path / "framed.pdf", "--key-frames")
    assert _images(framed) == [(W, 48)] * 5       # one per flag
    text = _text(framed)
    assert text.count("room camera, 00:25 into the video") == 3
    assert text.count("room camera, 01:05 into the video") == 2
    with Archive.open(db, create=False) as a:
        report = build_debrief(a, did, key_frames=True)
        assert build_debrief(a, did).key_frames is None
    assert [f.t for f in report.key_frames] == [20.0, 20.0, 20.0, 60.0, 60.0]
    for f in report.key_frames:                   # the bar where the video has it then
        at = round(f.t + 5.0)
        assert abs(_bar_x(f.image) - int(at * (W - 4) / (VIDEO_S - 1))) <= 2


def test_a_flag_the_video_does_not_show_says_so(flagged, tmp_path):
    db, did, video = _copy(flagged, tmp_path)
    _attach(db, did, video, 40.0)                 # the camera started at 0:40
    pdf = _export(db, did, tmp_path / "late.pdf", "--key-frames")
    assert len(_images(pdf)) == 2
    text = _text(pdf)
    assert text.count("No video shows this moment.") == 3
    assert text.count("room camera, 00:20 into the video") == 2


def test_key_frames_without_a_video_say_why_and_the_pdf_is_written(flagged, tmp_path):
    db, did, _ = _copy(flagged, tmp_path)
    pdf = _export(db, did, tmp_path / "none.pdf", "--key-frames")
    assert _images(pdf) == []
    assert "Key frames: no video is attached to this drill." in _text(pdf)


def test_key_frames_go_with_the_debrief_only(flagged, tmp_path, capsys):
    db, did, _ = _copy(flagged, tmp_path)
    capsys.readouterr()
    code = main(["export", "--kind", "score-sheet", did, "-o", str(tmp_path / "s.pdf"),
                 "--key-frames", "--archive", str(db)])
    err = capsys.readouterr().err
    assert code == 1 and "--key-frames goes with --kind debrief" in err
    assert len(err.strip().splitlines()) == 1 and not (tmp_path / "s.pdf").exists()
