"""The live-drill controller: what the instructor does reaches the archive before any widget
hears of it, the clock follows wall time × speed, undo is a retraction within 10 s."""

from __future__ import annotations

import pytest

from simtool.core.drill import Participant, PatientParams
from simtool.store import Archive
from simtool.ui.session import DrillSession

TEAM = [Participant("t1", "Li Na", "midwife"), Participant("t2", "Wang Fang", "obstetrician")]


class FakeWall:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def archive(tmp_path):
    with Archive.open(tmp_path / "a.sqlite") as a:
        yield a


def test_every_event_is_stored_before_the_session_announces_it(qtbot, pph, archive):
    session = DrillSession(pph, PatientParams(65, ("asthma",)), TEAM, archive)
    heard = []

    def on_event(e):
        stored = [x.seq for x in archive.events(session.drill_id)]
        heard.append((e.seq, e.seq in stored))

    session.event_logged.connect(on_event)
    session.advance(30)
    session.act("carboprost", by="t2", dose=250, unit="ug", route="IM")
    assert heard and all(ok for _, ok in heard)
    kinds = [e.kind for e in archive.events(session.drill_id)]
    assert kinds[-2:] == ["action", "flag"]  # carboprost in asthma: flagged, still logged


def test_the_clock_follows_wall_time_times_speed(qtbot, pph):
    wall = FakeWall()
    session = DrillSession(pph, PatientParams(65), TEAM, speed=10, clock=wall)
    session.start()
    session._on_timer()
    wall.now += 1.5
    session._on_timer()
    assert session.t == pytest.approx(15)
    session.pause()
    wall.now += 5
    session._on_timer()
    assert session.t == pytest.approx(15)  # paused: nothing moves
    session.resume()
    wall.now += 1
    session._on_timer()
    assert session.t == pytest.approx(25)
    session.end()
    assert not session.running


def test_undo_within_ten_seconds_is_a_retraction(qtbot, pph, archive):
    session = DrillSession(pph, PatientParams(65), TEAM, archive)
    session.advance(20)
    e = session.act("uterine_massage", by="midwife")
    session.advance(9)
    r = session.undo_last()
    assert r is not None and r.kind == "retract" and r.ref == e.seq
    stored = archive.events(session.drill_id)
    assert e in stored and r in stored  # never deleted
    session.act("call_for_help", by="midwife")
    session.advance(11)
    assert session.undo_last() is None  # too late


def test_vitals_are_stored_every_five_seconds_and_state_changes_are_signalled(qtbot, pph, archive):
    session = DrillSession(pph, PatientParams(65), TEAM, archive)
    states = []
    session.state_changed.connect(states.append)
    for _ in range(80):
        session.advance(10)
    assert states == ["pph_detected"]
    ts = [row["t"] for row in archive.vitals(session.drill_id)]
    assert ts[:3] == [0, 5, 10] and ts[-1] == 800
    session.end()
    assert archive.drill(session.drill_id).status == "ended"
