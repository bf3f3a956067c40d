"""The console beside the patient monitor on a 1366×768 laptop: the console gets 952 px of the
width (the monitor the other 410) and, under a title bar and a task bar, about 700 px of the
height. Its most-used information must still read whole there, in English and 简体中文: the
state map's names, the action log (six entries at least, with a flag shown), each flag once;
the window's own toolbar keeps the language selector in view; nothing makes the window taller
than the screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QMessageBox

from simtool.core.drill import Participant, PatientParams
from simtool.store import Archive
from simtool.ui.console import ConsoleView
from simtool.ui.fonts import register_fonts
from simtool.ui.session import DrillSession
from simtool.ui.translations import install_translator

from helpers.paths import PPH, SCENARIOS

CONSOLE = (952, 700)
SCREEN_H = 768


def console_beside_the_monitor(qtbot, tmp_path, lang):
    """The main window at 952×700 running a PPH drill in asthma, with the carboprost flag."""
    from simtool.ui.window import MainWindow
    window = MainWindow(SCENARIOS, archive_path=tmp_path / "a.sqlite", lang=lang)
    qtbot.addWidget(window)
    window.resize(*CONSOLE)
    window.show()
    qtbot.waitExposed(window)
    assert window.library.select_path(PPH)
    setup = window.start_live_drill()
    for i, role in enumerate(("midwife", "obstetrician", "anaesthetist")):
        setup.set_participant(i, f"成员{i}", f"S{i}", role)
    setup.conditions["asthma"].setChecked(True)
    setup.submit()
    window.stack.currentWidget().start_button.click()
    console = window.stack.currentWidget()
    assert isinstance(console, ConsoleView)
    if window.live.monitor is not None:
        window.live.monitor.hide()
    session = window.live.session
    session.stop_clock()
    session.advance(800)
    for action in ("call_for_help", "uterine_massage", "oxytocin", "carboprost", "tranexamic_acid"):
        console.set_actor("p2")
        console.log_action(action)
        if console.dose_dialog is not None:
            console.dose_dialog.accept()
        session.advance(20)
    window.resize(*CONSOLE)
    QApplication.processEvents()
    return window, console


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_beside_the_monitor_the_console_reads_whole(qtbot, qapp, tmp_path, monkeypatch, lang):
    register_fonts()
    install_translator(qapp, lang)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    try:
        window, console = console_beside_the_monitor(qtbot, tmp_path, lang)
        # the window keeps its size: the console asks for no more than the screen has
        assert window.size().toTuple() == CONSOLE
        assert window.minimumSizeHint().height() <= SCREEN_H
        # every state's name whole (wrapped onto a second line where it must be)
        m = console.state_map
        cut = [m.lines_of(sid) for sid in m.scenario.state_index if m.is_cut(sid)]
        assert cut == []
        assert m.lines_of("pph_detected") != [] and "…" not in "".join(m.lines_of("pph_detected"))
        # the log: room for six one-line entries, the carboprost flag standing
        table = console.log.table
        one_line = table.rowHeight(table.rowCount() - 1)        # call for help
        assert table.viewport().height() >= 6 * one_line, (table.viewport().height(), one_line)
        # a long drug name, dose and route wraps in its cell rather than ending in "…"
        carbo = next(r for r in range(table.rowCount()) if "250" in table.item(r, 2).text())
        text = table.item(carbo, 2).text()
        needed = table.fontMetrics().boundingRect(0, 0, table.columnWidth(2) - 8, 1000,
                                                  0x1000, text).height()   # Qt.TextWordWrap
        assert table.rowHeight(carbo) >= needed
        # the flag once: in the banner; the list of earlier flags folded (there are none)
        assert console.flag_banner.isVisible()
        assert "⚠" in console.flag_banner.text() and console.flag_list.count() == 1
        assert console.flag_list.isHidden() and console.flag_more.isHidden()
        # the language selector in view, not in the toolbar's "»" menu
        corner = window.language.mapTo(window, QPoint(0, 0))
        assert window.language.isVisible() and 0 <= corner.x() <= window.width() - window.language.width()
        shown = [a for a in window.toolbar.actions() if a.isVisible()]
        assert all(window.toolbar.widgetForAction(a).isVisible() for a in shown
                   if window.toolbar.widgetForAction(a) is not None)
    finally:
        install_translator(qapp, "en")


@pytest.fixture()
def archive(tmp_path):
    a = Archive.open(tmp_path / "a.sqlite")
    yield a
    a.close()


def test_earlier_flags_fold_behind_one_button_and_the_banner_shows_the_newest(qtbot, pph, archive):
    team = [Participant("t1", "Li Na", "midwife"), Participant("t2", "Wang Fang", "obstetrician")]
    session = DrillSession(pph, PatientParams(65, ("asthma",)), team, archive)
    view = ConsoleView(session)
    qtbot.addWidget(view)
    view.resize(*CONSOLE)
    view.show()
    session.advance(700)
    session.act("carboprost", by="t2", dose=250, unit="µg", route="IM")       # asthma
    assert "bronchospasm" in view.flag_banner.text() and view.flag_more.isHidden()
    txa = session.act("tranexamic_acid", by="t1", dose=3, unit="g", route="IV")   # too much
    assert "Tranexamic" in view.flag_banner.text() and "bronchospasm" not in view.flag_banner.text()
    earlier = view.flag_list.count() - 1
    assert earlier >= 1 and view.flag_more.isVisible() and str(earlier) in view.flag_more.text()
    assert view.flag_list.isHidden()                       # folded: the log keeps its rows
    view.flag_more.click()
    assert view.flag_list.isVisible()
    listed = [view.flag_list.item(i).text() for i in range(view.flag_list.count())
              if not view.flag_list.isRowHidden(i)]
    assert len(listed) == earlier and any("bronchospasm" in t for t in listed)
    newest = view.flag_banner.text().removeprefix("⚠ ")
    assert newest not in listed                            # the newest is in the banner only
    # the newest withdrawn: the banner shows the one that stands
    session.strike(txa.seq, reason="logged twice")
    assert "bronchospasm" in view.flag_banner.text() and view.flag_more.isHidden()
    assert view.flag_list.isHidden()
