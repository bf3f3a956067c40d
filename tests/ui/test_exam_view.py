"""The exam day page (issue 22): an organiser picks the exam, sees the rotation per station and
per candidate, prints it, shows the join code, starts, closes and releases the exam, and the
master clock rings reading, start, one minute left and change at the right moments on the
same exam clock as the marking server."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from examday import make_exam  # noqa: E402

from simtool.app.exam import ExamDay  # noqa: E402
from simtool.store import Archive  # noqa: E402


class Now:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def page(qtbot, tmp_path, capsys):
    from simtool.ui.exam import ExamView
    path = make_exam(tmp_path)
    capsys.readouterr()
    archive = Archive.open(path)
    early = datetime(2026, 12, 1, 7, 0).astimezone()        # before the file's 08:30
    now = Now(early)
    rung: list[str] = []
    view = ExamView(archive, "en", clock=now, sound=rung.append)
    view.setProperty("no_confirm", True)
    qtbot.addWidget(view)
    view.timer.stop()                                      # the test moves the clock
    yield view, archive, now, rung
    view.timer.stop()
    archive.close()


def test_the_master_clock_rings_each_bell_at_its_moment(page):
    view, archive, now, rung = page
    assert view.exam.currentData() == "osce_demo"
    assert view.round_label.text() == "Not started" and not view.close_button.isEnabled()
    view.start_button.click()                              # early: the bell is the file's 08:30
    zero = datetime(2026, 12, 1, 8, 30).astimezone()
    assert ExamDay(archive, "osce_demo").zero() == zero
    assert not view.start_button.isEnabled() and view.close_button.isEnabled()
    assert view.phase_label.text() == "Starts in" and view.time_label.text() == "90:00"

    def at(seconds: float) -> None:
        now.at = zero + timedelta(seconds=seconds)
        view.tick()

    at(-1)
    assert rung == []
    at(0.2)
    assert rung == ["reading"] and view.phase_label.text() == "Reading time"
    assert view.round_label.text() == "Round 1 of 6" and view.time_label.text() == "1:00"
    at(30)
    assert rung == ["reading"]                             # no bell inside a phase
    at(60.1)
    assert rung[-1] == "start" and view.phase_label.text() == "Station time"
    assert view.time_label.text() == "8:00"
    at(60 + 419)
    assert rung[-1] == "start"
    at(60 + 420.5)
    assert rung[-1] == "minute" and view.time_label.text() == "1:00"
    assert "#c62828" in view.time_label.styleSheet()       # the last minute in red
    assert view.signal_label.text() == "One minute left"
    at(540.2)
    assert rung[-1] == "change" and view.phase_label.text() == "Changeover"
    at(600.3)
    assert rung[-1] == "reading" and view.round_label.text() == "Round 2 of 6"
    assert rung == ["reading", "start", "minute", "change", "reading"]
    # the server's clock is the same clock
    assert ExamDay(archive, "osce_demo").clock(now.at)["round"] == 2
    at(6 * 600 + 1)
    assert rung[-1] == "over" and view.phase_label.text() == "Exam over"


def test_schedule_join_code_print_close_and_release(page, tmp_path):
    view, archive, now, rung = page
    assert view.by_station.rowCount() == 18                # 6 candidates x 3 stations
    assert view.by_candidate.rowCount() == 36              # ... and 3 rest positions each
    first = [view.by_station.item(0, c).text() for c in range(4)]
    assert first[1:3] == ["1", "08:30:00"] and "李娜" in first[3]
    assert "planned" in view.info.text()
    view.pin.setText("482913")
    view.host.setEditText("192.168.1.20")
    assert view.url.text() == "http://192.168.1.20:8765/"
    assert view.qr.pixmap() is not None and not view.qr.pixmap().isNull()
    assert "--host 192.168.1.20 --port 8765 --pin 482913" in view.serve_hint.text()
    now.at = datetime(2026, 12, 1, 9, 2, 7).astimezone()   # a late start: the clock moves the times
    view.start_button.click()
    assert [view.by_station.item(0, c).text() for c in (1, 2)] == ["1", "09:02:07"]
    assert "Started 2026-12-01 09:02:07" in view.info.text()
    out = view.print_schedule(str(tmp_path / "schedule.pdf"))
    assert out is not None and Path(out).read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", out, "-"], capture_output=True, text=True).stdout
        assert "09:02:07" in text and "李娜" in text and "By candidate" in text
    view.close_button.click()
    assert not view.close_button.isEnabled() and ExamDay(archive, "osce_demo").has("close")
    view.release_button.click()
    assert not view.release_button.isEnabled() and view.status.text() == "Results released."
    assert archive.verify() == []


def test_an_archive_without_exams_says_how_to_make_one(qtbot, tmp_path):
    from simtool.ui.exam import ExamView
    with Archive.open(tmp_path / "empty.sqlite") as archive:
        view = ExamView(archive, "en", sound=lambda kind: None)
        qtbot.addWidget(view)
        assert "simtool exam create" in view.exam.currentText()
        assert not view.start_button.isEnabled() and not view.print_button.isEnabled()
        view.timer.stop()


def test_the_page_serves_the_marking_page_and_stops_it(page, qtbot):
    import socket

    import httpx
    view, archive, now, rung = page
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    view.host.setEditText("127.0.0.1")
    view.port.setValue(port)
    view.serve_button.click()                              # no PIN yet: refused, nothing started
    assert not view.serving() and "PIN" in view.status.text()
    view.pin.setText("482913")
    view.serve_button.click()
    try:
        assert view.serving() and view.serve_button.text() == "Stop marking page"

        def answers() -> None:
            r = httpx.post(f"http://127.0.0.1:{port}/api/join",
                           json={"pin": "482913", "staff_id": "E01"}, timeout=2)
            assert r.status_code == 200 and r.json()["station"] == "massage"
        qtbot.waitUntil(lambda: _ok(answers), timeout=60000)
        assert httpx.get(f"http://127.0.0.1:{port}/api/turns").status_code == 401
    finally:
        view.serve_button.click()                          # stop
    qtbot.waitUntil(lambda: not view.serving(), timeout=15000)
    assert view.serve_button.text() == "Serve marking page"
    assert ExamDay(archive, "osce_demo").zero() is not None   # serving started the exam clock


def _ok(check) -> bool:
    try:
        check()
        return True
    except Exception:  # noqa: BLE001 - not up yet
        return False


def test_the_blueprint_tab_shows_which_stations_sample_each_competency(page):
    view, *_ = page
    rows = {view.blueprint.item(r, 0).text(): view.blueprint.item(r, 1).text()
            for r in range(view.blueprint.rowCount())}
    assert set(rows) == {"Technique", "Communication"}
    assert all(f"({sid})" in rows["Technique"] for sid in ("massage", "balloon", "salvage"))
    assert "(massage)" in rows["Communication"] and "(balloon)" not in rows["Communication"]
    assert view.tabs.tabText(2) == "Blueprint"


def test_before_the_start_the_clock_reads_not_started_not_a_black_bar(page):
    """Before the exam starts the master clock shows the start the file plans, light and in a
    normal weight (a dash in the clock's big bold type was a black bar on the lab's screen),
    with the date when it is not today; once started, the countdown is big and bold."""
    view, _archive, _now, _rung = page
    view.tick()
    assert view.round_label.text() == "Not started"
    assert (view.phase_label.text(), view.time_label.text()) == ("Planned start", "08:30")
    assert not view.time_label.font().bold() and "—" not in view.time_label.text()
    view.day.definition = {**view.day.definition, "date": "2026-12-02"}   # planned tomorrow
    view.tick()
    assert (view.phase_label.text(), view.time_label.text()) == ("Planned start 2026-12-02", "08:30")
    view.open_exam()                                       # as the file says again
    view.start_button.click()
    assert view.time_label.text() == "90:00" and view.time_label.font().bold()
