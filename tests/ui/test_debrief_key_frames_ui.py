"""The window's debrief export has a "Key frames from the video" box (issue 23, item 3): off by
default, so the PDF has no picture; ticked, each flag has the video's picture beside it, as
`simtool export --key-frames` does."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool

from simtool.cli import main
from simtool.store import Archive
from simtool.ui.archiveviews.exports import ExportBar

from helpers.tools import require_tools
from helpers.video import make_video

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def drill(tmp_path) -> tuple[Path, str]:
    db = tmp_path / "archive.sqlite"
    script = tmp_path / "flags.yaml"
    script.write_text("duration_s: 90\nparticipants:\n  - {id: t1, name: Zhao Min, role: midwife}\n"
                      "actions:\n  - {t: 20, action: oxytocin, dose: 100, unit: IU, route: IV, by: midwife}\n")
    assert main(["run", str(ROOT / "scenarios/pph_uterine_atony.yaml"), "--script", str(script),
                 "--archive", str(db)]) == 0
    with Archive.open(db, create=False) as a:
        (info,) = a.drills()
    video = make_video(tmp_path / "room.mp4", seconds=40, fps=1)
    assert main(["media", "attach", info.id, str(video), "--offset", "0", "--archive", str(db)]) == 0
    return db, info.id


def _images(pdf: Path) -> int:
    tool = require_tools("pdfimages", package="poppler-utils")["pdfimages"]
    out = subprocess.run([tool, "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    return sum(1 for x in out.splitlines()[2:] if x.split()[2] == "image")


def test_the_key_frames_box_is_off_by_default_and_puts_pictures_in_when_ticked(qtbot, drill, tmp_path):
    db, did = drill
    bar = ExportBar(db, did)
    qtbot.addWidget(bar)
    assert bar.key_frames_box.text() == "Key frames from the video"
    assert not bar.key_frames_box.isChecked()
    with qtbot.waitSignal(bar.finished, timeout=30000):
        assert bar.export_debrief(tmp_path / "plain.pdf")
    assert _images(tmp_path / "plain.pdf") == 0
    bar.key_frames_box.setChecked(True)
    with qtbot.waitSignal(bar.finished, timeout=30000):
        assert bar.export_debrief(tmp_path / "framed.pdf")
    assert _images(tmp_path / "framed.pdf") == 3     # the three flags of 100 IU oxytocin IV
    QThreadPool.globalInstance().waitForDone()
