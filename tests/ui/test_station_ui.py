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
