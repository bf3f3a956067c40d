"""The debrief player (issue 23, item 2): a generated video attached to a drill plays offscreen
in the debrief, and its position follows the slider, a click on an event, "Next flag" and
playing at 2×; the vitals shown come from kept moments that equal a replay to that moment; the
chart's numbers never overlap; without a video the screen says why."""

from __future__ import annotations

import importlib

import random
import re
from pathlib import Path

import pytest

from simtool.app.media import attach
from simtool.cli import main
from simtool.store import Archive

from helpers.video import make_video

# Qt Multimedia comes with PySide6-Addons, a dependency: a machine without it fails here, never skips
importlib.import_module("PySide6.QtMultimedia")

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """duration_s: 600
participants:
  - {id: t1, name: Zhao Min, role: midwife}
  - {id: t3, name: Zhou Yan, role: anaesthetist}
actions:
  - {t: 60, action: uterine_massage, by: midwife}
  - {t: 101, action: call_for_help, by: midwife}
  - {t: 102, action: vital_signs_check, by: midwife}
  - {t: 103, action: measure_blood_loss, by: midwife}
  - {t: 200, action: oxytocin, dose: 100, unit: IU, route: IM, by: midwife}
  - {t: 300, action: oxytocin, dose: 100, unit: IU, route: IM, by: midwife}
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    d = tmp_path_factory.mktemp("player")
    db, script = d / "archive.sqlite", d / "script.yaml"
    script.write_text(SCRIPT)
    assert main(["run", str(ROOT / "scenarios/pph_uterine_atony.yaml"), "--script", str(script),
                 "--archive", str(db)]) == 0
    with Archive.open(db, create=False) as a:
        (info,) = a.drills()
        attach(a, info.id, make_video(d / "room.mp4", seconds=4.0), 100.0, "room camera")
    return db, info.id


@pytest.fixture()
def view(qtbot, built):
    from simtool.ui.archiveviews.debrief import DebriefView
    db, did = built
    archive = Archive.open(db, create=False)
    v = DebriefView(archive, did)
    qtbot.addWidget(v)
    v.resize(1366, 768)
    v.show()
    yield v
    v.video.stop()
    v.close()
    archive.close()


def _video_at(qtbot, v, ms: int, tolerance: int = 150) -> None:
    qtbot.waitUntil(lambda: abs(v.video.position_ms() - ms) <= tolerance, timeout=5000)


def test_the_video_follows_the_slider_an_event_click_and_playing(qtbot, view):
    v = view
    assert v.video.usable, v.video.status.text()
    v.slider.setValue(102)
    assert v.moment == 102 and v.chart.moment == 102
    _video_at(qtbot, v, 2000)
    v.slider.setValue(100)
    _video_at(qtbot, v, 0)
    # a click on the call for help (logged at 1:41) puts video, chart and clock there
    row = next(r for r, e in enumerate(v._timeline_events) if e.action == "call_for_help")
    v.timeline.cellClicked.emit(row, 2)
    assert v.moment == 101 and v.chart.moment == 101 and v.slider.value() == 101
    _video_at(qtbot, v, 1000)
    # play at 2×: the drill clock and the video both move on, then pause holds them
    v.speed.setCurrentIndex(1)
    v.play_button.click()
    assert v.playing and v.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: v.moment >= 102.5, timeout=5000)
    qtbot.waitUntil(lambda: v.video.position_ms() >= 1500, timeout=5000)
    v.play_button.click()
    assert not v.playing
    held = v.moment
    qtbot.wait(200)
    assert v.moment == held
    _video_at(qtbot, v, int((held - 100) * 1000), 300)
    # outside the video: it says when the video runs
    v.slider.setValue(500)
    assert "The video starts at 01:40 and ends at 01:44" in v.video.status.text()


def test_next_flag_moves_every_view_to_the_flag(view):
    v = view
    assert v.flag_times, "the 100 IU oxytocin doses are flagged"
    v.set_moment(0)
    v.next_flag()
    first = v.flag_times[0]
    assert (v.moment, v.chart.moment, v.slider.value()) == (first, first, round(first))
    v.next_flag()
    assert v.moment > first


def test_kept_moments_are_what_a_replay_shows(view):
    from simtool.ui.archiveviews.moments import moment_of
    v = view
    v.moments.build_all()
    assert v.moments.complete
    for t in [0, 1, 59, 60, 61, 101, 199, 200, 201, 333, 599, 600] + random.sample(range(600), 10):
        assert v.moments.at(t) == moment_of(v.record.at(t)), t
    v.set_moment(201)
    at = v.record.at(201)
    assert re.sub("<[^>]+>", "", v.vital_labels["hr"].text()) == f"{at.vitals().hr} /min"


def test_the_charts_numbers_never_overlap(qtbot, view):
    """Each action and flag is marked with its event number in the record (its seq, as the
    score sheet's evidence gives it; it was a 1..n count of the marks before), so numbers run
    to two digits and more: still no two overlap."""
    v = view
    v.grab()   # paint
    boxes = [b for _n, b in v.chart.mark_boxes]
    numbers = [n for n, _b in v.chart.mark_boxes]
    final = v.record.final
    assert sorted(numbers) == sorted([e.seq for e in final.actions_done()] +
                                     [e.seq for e in final.flags()])
    assert len(numbers) >= 6 and max(numbers) >= 10
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.intersects(b), (a, b)
    # the timeline's "#" column gives every row its event number; the chart's are in bold
    assert [v.timeline.item(r, 0).text() for r in range(v.timeline.rowCount())] == \
        [str(e.seq) for e in v._timeline_events]
    bold = sorted(int(v.timeline.item(r, 0).text()) for r in range(v.timeline.rowCount())
                  if v.timeline.item(r, 0).font().bold())
    assert bold == sorted(numbers)


def test_numbers_too_many_for_two_rows_never_overlap(qtbot, view):
    """Three-digit event numbers crowded into a minute: in as many rows as they take."""
    v = view
    v.chart.set_marks([(100 + k, 300.0 + k * 0.5, "flag" if k % 4 else "action")
                       for k in range(60)])
    v.grab()
    boxes = [b for _n, b in v.chart.mark_boxes]
    assert len(boxes) == 60
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.intersects(b), (a, b)


def test_without_a_video_the_screen_says_why(qtbot, built, tmp_path):
    from simtool.ui.archiveviews.debrief import DebriefView
    db, did = built
    bare = tmp_path / "bare.sqlite"
    assert main(["run", str(ROOT / "scenarios/pph_uterine_atony.yaml"), "--script",
                 str(ROOT / "tests/scripts/pph_uterine_atony/busy_team.yaml"),
                 "--archive", str(bare)]) == 0
    with Archive.open(bare, create=False) as a:
        (info,) = a.drills()
        v = DebriefView(a, info.id)
        qtbot.addWidget(v)
        assert not v.video.usable
        assert v.video.status.text() == ("No video is attached to this drill: “Attach video…” "
                                         "adds a room camera or phone recording.")
        v.slider.setValue(300)
        assert v.moment == 300   # the rest works
    # a kept video gone missing: said, not a crash
    with Archive.open(db, create=False) as a:
        from simtool.store.media import media_of
        (m,) = media_of(a, did)
        moved = m.path.with_name("moved")
        m.path.rename(moved)
        try:
            v = DebriefView(a, did)
            qtbot.addWidget(v)
            assert not v.video.usable and "is missing" in v.video.status.text()
        finally:
            moved.rename(m.path)
