"""Recording from a camera on the lab computer (issue 23, item 1): the console's "Record camera"
control. Offscreen there is no camera, so what can be checked is that the control says so, is
disabled, and the drill runs, ends and is kept as before; and that a recording (here a made
video standing in for the camera's file) is attached to the drill when it ends, at the drill
time its recording started."""

from __future__ import annotations

import pytest

from simtool.core.drill import Participant, PatientParams
from simtool.store import Archive
from simtool.store.media import media_of
from simtool.ui.console import ConsoleView
from simtool.ui.console.camera import recordings_dir
from simtool.ui.session import DrillSession

from helpers.video import make_video

TEAM = [Participant("t1", "Li Na", "midwife")]


@pytest.fixture()
def archive(tmp_path):
    a = Archive.open(tmp_path / "a.sqlite")
    yield a
    a.close()


@pytest.fixture()
def view(qtbot, pph, archive):
    session = DrillSession(pph, PatientParams(65, ()), TEAM, archive)
    v = ConsoleView(session)
    qtbot.addWidget(v)
    v.resize(1366, 768)
    return v


def test_without_a_camera_the_control_says_so_and_the_drill_runs(qtbot, view):
    session = view.session
    view.show()
    qtbot.waitUntil(lambda: view.camera.status.text() != "Looking for a camera…", timeout=10000)
    assert view.camera.status.text() == "No camera found"
    assert not view.camera.button.isEnabled() and view.camera.button.text() == "Record camera"
    view.camera.button.setChecked(True)        # nothing happens without a camera
    assert view.camera.recorder is None
    session.act("call_for_help", by="t1")
    session.advance(30)
    session.end()
    kinds = [e.kind for e in session.archive.events(session.drill_id)]
    assert kinds[-1] == "end" and "action" in kinds
    assert media_of(session.archive, session.drill_id) == []
    assert view.camera.status.text() == "No camera found"


def test_a_recording_is_attached_when_the_drill_ends_at_its_start_time(qtbot, view, tmp_path):
    session = view.session
    session.advance(12)
    folder = recordings_dir(session.archive.path)
    folder.mkdir()
    recording = make_video(folder / "camera.mp4", seconds=5.0)
    view.camera.pending.append((recording, 12.0, "Camera: test"))   # what the recorder left
    attached = []
    view.camera.attached.connect(attached.append)
    session.advance(30)
    session.end()
    qtbot.waitUntil(lambda: attached != [], timeout=10000)
    (m,) = media_of(session.archive, session.drill_id)
    assert (m.offset_s, m.label, m.present) == (12.0, "Camera: test", True)
    assert attached == [m] and not recording.exists()
    assert view.camera.status.text() == "Camera recording attached to the drill"
