"""The archive lists a skills station's sittings by the station's title, in the window's
language, never by its id ("pph_uterine_massage_station 1.0.0")."""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget

from simtool.store import Archive, Examiner, Trainee
from simtool.ui.live import LiveFlow

from helpers.stations import sit_station


def test_the_archive_names_a_station_sitting_by_its_title(qtbot, tmp_path):
    db = tmp_path / "stations.sqlite"
    with Archive.open(db) as archive:
        archive.add_trainee(Trainee("李娜", "S100"))
        archive.add_examiner(Examiner("王医生", "E1"))
        sit_station(archive, "pph_uterine_massage_station", "S100", "E1")
    stack = QStackedWidget()
    qtbot.addWidget(stack)
    live = LiveFlow(stack, db)
    try:
        for lang, title in (("en", "Skills station — uterine massage and bimanual compression"),
                            ("zh_CN", "技能考站——子宫按摩与双手压迫子宫")):
            live.lang = lang
            browser = live.show_archive()
            texts = [browser.table.item(0, c).text() for c in range(browser.table.columnCount())
                     if browser.table.item(0, c) is not None]
            assert any(t.startswith(title) for t in texts), texts
            assert not any("pph_uterine_massage_station" in t for t in texts), texts
            shown = [browser.scenario.itemText(i) for i in range(browser.scenario.count())]
            assert title in shown, shown
    finally:
        live.close()
