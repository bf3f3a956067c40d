"""The window's skills stations page: a station, a candidate and an examiner from the
registry; "Score station…" records the sitting and opens the drill scoring panel (no team
sheet) with the station clock; the examiner marks there and signs."""

from __future__ import annotations

from simtool.store import Archive, Examiner, Trainee


def test_score_station_opens_the_scoring_panel_and_records_the_sitting(qtbot, tmp_path):
    from simtool.core.scoresheet import TEAM_SHEET
    from simtool.ui.station import StationsView
    archive = Archive.open(tmp_path / "a.sqlite")
    archive.add_trainee(Trainee("李娜", "S100"))
    archive.add_examiner(Examiner("王医生", "E1"))
    view = StationsView(archive, "en")
    qtbot.addWidget(view)
    assert view.list.count() == 4 and view.clock.text() in ("8:00", "10:00")
    view.choose("S100", "E1")
    panel = view.start()
    assert panel is not None and view.sitting is not None
    assert [panel.tabs.tabText(i) for i in range(panel.tabs.count())] == ["李娜 (Candidate)"]
    assert TEAM_SHEET not in [panel.tabs.widget(i).key for i in range(panel.tabs.count())
                              if hasattr(panel.tabs.widget(i), "key")]
    assert panel.examiner_id == view.sitting.examiner_id
    info = archive.drill(view.sitting.drill_id)
    assert info.participants[0].trainee_id is not None
    view.finish()
    assert archive.drill(view.sitting.drill_id).status == "ended"
    assert archive.verify() == []
    archive.close()


class Wall:
    """The page's wall clock, moved by the test."""

    def __init__(self) -> None:
        self.t = 5000.0

    def __call__(self) -> float:
        return self.t


def _view(qtbot, tmp_path, wall):
    from simtool.ui.station import StationsView
    archive = Archive.open(tmp_path / "a.sqlite")
    archive.add_trainee(Trainee("李娜", "S100"))
    archive.add_examiner(Examiner("王医生", "E1"))
    view = StationsView(archive, "en", clock=wall)
    qtbot.addWidget(view)
    ids = [rb.rubric.id for _path, rb in view.stations]
    view.list.setCurrentRow(ids.index("pph_uterine_massage_station"))   # 1:00 reading, 8:00
    view.choose("S100", "E1")
    return view, archive


def test_the_reading_time_counts_down_then_the_station_time(qtbot, tmp_path):
    wall = Wall()
    view, archive = _view(qtbot, tmp_path, wall)
    view.show()
    assert (view.phase_label.text(), view.clock.text()) == ("Station time", "8:00")
    assert view.start() is not None
    assert (view.phase, view.phase_label.text(), view.clock.text()) == ("reading", "Reading time", "1:00")
    assert view.enter_button.isVisible() and view.elapsed() == 0.0
    wall.t += 25                                   # the page's own timer reads the clock
    qtbot.waitUntil(lambda: view.clock.text() == "0:35", timeout=3000)
    assert view.phase == "reading" and view.sitting.live.t == 0
    wall.t += 35 + 100                             # reading over 100 s ago: the station runs
    qtbot.waitUntil(lambda: view.clock.text() == "6:20", timeout=3000)
    assert (view.phase, view.phase_label.text()) == ("station", "Station time")
    assert not view.enter_button.isVisible() and view.elapsed() == 100.0
    view.stop_button.click()                       # the candidate leaves: 100 s used, not 160
    assert (view.phase, view.phase_label.text(), view.clock.text()) == ("done", "Time used", "1:40")
    assert view.sitting.live.t == 100.0
    assert archive.drill(view.sitting.drill_id).status == "ended"
    archive.close()


def test_start_station_now_ends_the_reading_and_time_up_ends_the_station(qtbot, tmp_path):
    wall = Wall()
    view, archive = _view(qtbot, tmp_path, wall)
    view.show()
    view.start()
    wall.t += 20
    view.enter_button.click()                      # the candidate goes in after 20 s of reading
    assert (view.phase, view.clock.text()) == ("station", "8:00")
    wall.t += 479.5
    qtbot.waitUntil(lambda: view.clock.text() == "0:01", timeout=3000)
    assert "#c62828" in view.clock.styleSheet()     # the last minute is red
    wall.t += 30                                   # past the limit: the station ends by itself
    qtbot.waitUntil(lambda: view.phase == "done", timeout=3000)
    assert view.sitting.live.t == 480.0 and view.clock.text() == "8:00"
    assert not view.timer.isActive() and view.start_button.isEnabled()
    archive.close()


def test_the_page_fits_a_1366_by_768_laptop_without_sideways_scrolling(qtbot, tmp_path):
    """The checklist takes the width left by the list: items wrap, every column is in view,
    no horizontal scroll bar, no empty gap beside the splitter."""
    from PySide6.QtWidgets import QTableWidget
    view, archive = _view(qtbot, tmp_path, Wall())
    view.resize(1366, 700)
    view.show()
    qtbot.waitExposed(view)
    view.list.setCurrentRow(0)
    panel = view.start()
    qtbot.wait(20)
    (table,) = [t for t in panel.findChildren(QTableWidget) if t.columnCount() == 5 and t.isVisibleTo(panel)]
    header = table.horizontalHeader()
    shown = [c for c in range(5) if not header.isSectionHidden(c)]
    assert not table.horizontalScrollBar().isVisible()
    assert sum(header.sectionSize(c) for c in shown) <= table.viewport().width() + 1
    for c in shown:                                # "Status" whole, not "Statu…"
        assert header.sectionSizeHint(c) <= header.sectionSize(c) + 1, table.horizontalHeaderItem(c).text()
    left, right = view.split.widget(0), view.split.widget(1)
    assert right.x() - left.geometry().right() <= view.split.handleWidth() + 2   # no gap
    assert right.geometry().right() >= view.split.width() - 2
    archive.close()


def test_nobody_is_chosen_at_first_and_score_waits_for_both(qtbot, tmp_path):
    """The page opens with no candidate and no examiner chosen (each box asks for one) and
    "Score station…" disabled: one click never scores whoever is first in the registry. It
    is enabled once both are chosen, disabled while the station clock runs."""
    from simtool.ui.station import StationsView
    archive = Archive.open(tmp_path / "a.sqlite")
    for name, staff in (("李娜", "S100"), ("陈洁", "S101")):
        archive.add_trainee(Trainee(name, staff))
    archive.add_examiner(Examiner("王医生", "E1"))
    view = StationsView(archive, "en")
    qtbot.addWidget(view)
    view.show()
    assert view.candidate.count() == 2 and view.examiner.count() == 1
    assert view.candidate.currentIndex() == -1 and view.examiner.currentIndex() == -1
    assert view.candidate.currentText() == "" and view.examiner.currentText() == ""
    assert view.candidate.placeholderText() == "Choose the candidate"
    assert view.examiner.placeholderText() == "Choose the examiner"
    assert not view.start_button.isEnabled()
    view.candidate.setCurrentIndex(view.candidate.findData("S101"))
    assert not view.start_button.isEnabled()              # the examiner is still to choose
    view.examiner.setCurrentIndex(0)
    assert view.start_button.isEnabled()
    view.start_button.click()
    assert view.sitting is not None and not view.start_button.isEnabled()
    assert archive.drill(view.sitting.drill_id).participants[0].name == "陈洁"
    view.finish()
    assert view.start_button.isEnabled()
    view.choose(None, "E1")
    assert not view.start_button.isEnabled()
    archive.close()
