"""Attaching a recording from the debrief (issue 23, item 1): the instructor picks a file, puts
the video at one moment it shares with the drill, picks that moment on the drill clock, and the
video is attached at the offset that follows — then plays in step in the debrief. A file that
is not a video, or a moment that puts the video outside the drill, is refused in one sentence
with the dialog still open and nothing recorded."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from simtool.store import Archive
from simtool.store.media import media_of

from helpers.video import make_video, scripted_pph_drill

importlib.import_module("PySide6.QtMultimedia")   # a dependency: fail, never skip, without it

SCRIPT = """duration_s: 600
participants:
  - {id: t1, name: Zhao Min, role: midwife}
actions:
  - {t: 60, action: uterine_massage, by: midwife}
  - {t: 101, action: call_for_help, by: midwife}
"""


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("attach")
    scripted_pph_drill(d / "archive.sqlite", SCRIPT)
    return d / "archive.sqlite", make_video(d / "phone.mp4", seconds=4.0)


@pytest.fixture()
def debrief(qtbot, made, tmp_path):
    from simtool.ui.archiveviews.debrief import DebriefView
    db = tmp_path / "archive.sqlite"
    db.write_bytes(made[0].read_bytes())
    archive = Archive.open(db, create=False)
    (info,) = archive.drills()
    v = DebriefView(archive, info.id)
    qtbot.addWidget(v)
    v.resize(1366, 768)
    v.show()
    yield v
    v.video.stop()
    v.close()
    archive.close()


def _open_dialog(qtbot, v, monkeypatch, file: Path):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(file), ""))
    assert not v.video.usable
    v.video.attach_button.click()
    dialog = v.attach_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_a_video_lined_up_by_the_call_for_help_plays_in_step(qtbot, debrief, made, monkeypatch):
    v = debrief
    v.slider.setValue(101)                          # the moment shown: the call for help
    dialog = _open_dialog(qtbot, v, monkeypatch, made[1])
    assert dialog.drill_moment.currentData() == ("event", 101.0)   # offered as the one marked
    qtbot.waitUntil(lambda: dialog.slider.maximum() > 3500, timeout=10_000)  # the picture loaded
    dialog.step_buttons[1.0].click()
    dialog.step_buttons[1.0].click()
    dialog.step_buttons[0.1].click()
    dialog.step_buttons[-0.1].click()
    assert dialog.video_time.value() == pytest.approx(2.0)
    qtbot.waitUntil(lambda: abs(dialog.player.position() - 2000) <= 150, timeout=5000)
    assert "+99.0" in dialog.offset.text() and "01:39" in dialog.offset.text()
    dialog.label_edit.setText("  phone at the bed's foot ")
    with qtbot.waitSignal(dialog.attached, timeout=30_000):
        dialog.attach_button.click()
    (m,) = media_of(v.archive, v.drill_id)
    assert m.offset_s == pytest.approx(99.0) and m.label == "phone at the bed's foot"
    # the debrief shows it at once, in step with the clock
    assert v.video.usable, v.video.status.text()
    v.slider.setValue(100)
    qtbot.waitUntil(lambda: abs(v.video.position_ms() - 1000) <= 150, timeout=5000)
    v.slider.setValue(102)
    qtbot.waitUntil(lambda: abs(v.video.position_ms() - 3000) <= 150, timeout=5000)


def test_a_file_that_is_not_a_video_is_refused_and_the_dialog_stays(qtbot, debrief, tmp_path,
                                                                    monkeypatch):
    v = debrief
    fake = tmp_path / "notes.mp4"
    fake.write_text("minutes of the debrief, not a video\n", encoding="utf-8")
    dialog = _open_dialog(qtbot, v, monkeypatch, fake)
    dialog.attach_button.click()
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Not attached: "), timeout=30_000)
    assert "notes.mp4" in dialog.status.text() and "Traceback" not in dialog.status.text()
    assert dialog.isVisible() and dialog.attach_button.isEnabled()
    assert media_of(v.archive, v.drill_id) == []
    dialog.cancel_button.click()
    assert not dialog.isVisible()


def test_a_moment_that_puts_the_video_after_the_drill_is_refused(qtbot, debrief, made,
                                                                  monkeypatch):
    v = debrief
    dialog = _open_dialog(qtbot, v, monkeypatch, made[1])
    end = dialog.drill_moment.findText("The drill's end", flags=__import__(
        "PySide6.QtCore", fromlist=["Qt"]).Qt.MatchFlag.MatchStartsWith)
    dialog.drill_moment.setCurrentIndex(end)      # the video's first frame at the drill's end
    dialog.attach_button.click()
    qtbot.waitUntil(lambda: "after the drill ended" in dialog.status.text(), timeout=30_000)
    assert media_of(v.archive, v.drill_id) == []


def test_without_qt_multimedia_the_moment_is_typed(qtbot, debrief, made, monkeypatch):
    from simtool.ui.archiveviews import videopanel
    monkeypatch.setattr(videopanel, "multimedia", lambda: None)
    v = debrief
    dialog = _open_dialog(qtbot, v, monkeypatch, made[1])
    assert dialog.player is None and dialog.no_picture.isVisible()
    assert "Qt Multimedia is not installed" in dialog.no_picture.text()
    assert not dialog.slider.isVisible()
    dialog.video_time.setValue(1.5)
    dialog.drill_moment.setCurrentIndex(dialog.drill_moment.count() - 1)   # a time I type
    assert dialog.drill_time.isEnabled()
    dialog.drill_time.setValue(30.0)
    with qtbot.waitSignal(dialog.attached, timeout=30_000):
        dialog.attach_button.click()
    (m,) = media_of(v.archive, v.drill_id)
    assert m.offset_s == pytest.approx(28.5)
