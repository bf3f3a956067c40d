"""Every live screen — setup, prebrief, console, end of drill, scoring, debrief — fits a county
hospital's 1366×768 laptop and a 1920×1080 desktop, in English and 简体中文: the window is
not wider than the screen, no page needs a horizontal scroll bar, no label or button shows its
text cut (a palette button shortens its label with "…" and keeps it whole in its tooltip), and
the scenario's first-line actions are above the fold.

Set SIMTOOL_SHOTS=<folder> to keep the pictures the test takes (one PNG per screen, size and
language) and look at them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import (QAbstractButton, QAbstractScrollArea, QApplication, QCheckBox,
                               QComboBox, QLabel, QMessageBox, QPushButton, QScrollArea, QWidget)

from simtool.ui.archiveviews import DebriefView, EndOfDrillView, ScoringPanel
from simtool.ui.console import ConsoleView, PrebriefView, SetupForm
from simtool.ui.console.palette import PaletteButton
from simtool.ui.fonts import register_fonts
from simtool.ui.translations import install_translator

from helpers.paths import PPH, SCENARIOS

SIZES = ((1366, 768), (1920, 1080))
FIRST_LINE = ("call_for_help", "oxytocin", "uterine_massage")


def text_fits(w: QWidget) -> bool:
    """Whether a label's or a button's text is shown whole at its present width."""
    if isinstance(w, QLabel):
        if w.wordWrap() or not w.text() or w.pixmap() is not None and not w.pixmap().isNull():
            return True
        return w.sizeHint().width() <= w.width() + 1
    if isinstance(w, PaletteButton):   # shortened on purpose, with its whole label beside it
        return not w.is_shortened() or w.toolTip() == w.label
    if isinstance(w, (QPushButton, QCheckBox)):
        return not w.text() or w.sizeHint().width() <= w.width() + 1
    return True


def problems(page: QWidget) -> list[str]:
    """What a user would see as wrong on ``page``: cut text, a horizontal scroll bar."""
    out = []
    for w in page.findChildren(QWidget):
        if not w.isVisibleTo(page) or w.width() <= 0:
            continue
        if isinstance(w, (QLabel, QAbstractButton)) and not text_fits(w):
            out.append(f"cut: {type(w).__name__} {w.text()!r} ({w.width()} < {w.sizeHint().width()})")
        if isinstance(w, QAbstractScrollArea) and w.horizontalScrollBar().isVisible() \
                and isinstance(w, QScrollArea):
            out.append(f"scrolls sideways: {type(w).__name__} {w.objectName()}")
        if isinstance(w, QComboBox) and w.currentText() and \
                w.fontMetrics().horizontalAdvance(w.currentText()) > w.width():
            out.append(f"cut: combo {w.currentText()!r}")
    return out


def walk(qtbot, tmp_path, lang, size, shots):
    """A whole drill through the main window at ``size`` in ``lang``: each page as the user
    sees it, ``(name, page)`` as it comes."""
    from simtool.ui.window import MainWindow
    window = MainWindow(SCENARIOS, archive_path=tmp_path / f"{lang}{size[0]}.sqlite", lang=lang)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    assert window.library.select_path(PPH)

    def settle(name):
        QApplication.processEvents()
        page = window.stack.currentWidget()
        if shots is not None:
            window.grab().save(str(shots / f"{name}_{lang}_{size[0]}.png"))
        return page

    window.start_live_drill()
    setup = settle("setup")
    assert isinstance(setup, SetupForm)
    yield "setup", setup, window
    for i, (name, staff, role) in enumerate([("Li Na", "S001", "midwife"),
                                             ("Wang Fang", "S002", "obstetrician"),
                                             ("Chen Jie", "S003", "anaesthetist")]):
        setup.set_participant(i, name, staff, role)
    setup.conditions["asthma"].setChecked(True)
    setup.submit()
    prebrief = settle("prebrief")
    assert isinstance(prebrief, PrebriefView)
    yield "prebrief", prebrief, window
    prebrief.start_button.click()
    console = window.stack.currentWidget()
    assert isinstance(console, ConsoleView)
    session = window.live.session
    session.stop_clock()
    session.advance(1000)                  # the haemorrhage is recognised by now
    console.set_actor("p1")
    console.log_action("call_for_help")
    session.advance(40)
    console.set_actor("p2")
    console.log_action("carboprost")
    console.dose_dialog.accept()          # asthma: a flag
    session.advance(30)
    settle("console")
    yield "console", console, window
    session.end()
    end = settle("end")
    assert isinstance(end, EndOfDrillView)
    yield "end", end, window
    scoring = window.live.show_scoring(session.drill_id)
    assert isinstance(scoring, ScoringPanel)
    settle("scoring")
    yield "scoring", scoring, window
    debrief = window.live.show_debrief(session.drill_id)
    assert isinstance(debrief, DebriefView)
    settle("debrief")
    yield "debrief", debrief, window
    window.live.close()


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_live_screen_fits_and_shows_its_text_whole(qtbot, qapp, tmp_path, monkeypatch,
                                                         lang, size):
    register_fonts()
    install_translator(qapp, lang)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    shots = Path(os.environ["SIMTOOL_SHOTS"]) if os.environ.get("SIMTOOL_SHOTS") else None
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
    seen = []
    try:
        for name, page, window in walk(qtbot, tmp_path, lang, size, shots):
            seen.append(name)
            assert window.width() <= size[0], (name, window.width())
            assert page.minimumSizeHint().width() <= size[0], (name, page.minimumSizeHint())
            assert problems(page) == [], name
            if name == "console":
                viewport = page.palette.findChild(QScrollArea).viewport()
                for action in FIRST_LINE:
                    button = page.palette.buttons[action]
                    bottom = button.mapTo(viewport, QPoint(0, button.height())).y()
                    assert 0 < bottom <= viewport.height(), (action, "below the fold")
    finally:
        install_translator(qapp, "en")
    assert seen == ["setup", "prebrief", "console", "end", "scoring", "debrief"]


def test_the_checker_sees_a_cut_label_and_a_cut_button(qtbot):
    """The guard above is not blind: a label and a button narrower than their text are named."""
    page = QWidget()
    qtbot.addWidget(page)
    label = QLabel("Massive haemorrhage protocol activated", page)
    button = QPushButton("Continue to prebrief", page)
    whole = PaletteButton("Examine genital tract for trauma", "g", page)
    page.resize(600, 200)
    page.show()
    label.resize(60, 20)
    button.resize(40, 30)
    whole.resize(90, 30)
    found = problems(page)
    assert any("Massive haemorrhage" in p for p in found)
    assert any("Continue to prebrief" in p for p in found)
    assert whole.is_shortened() and not any("Examine" in p for p in found)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_stations_page_fits_and_its_checklist_does_not_scroll_sideways(qtbot, qapp, tmp_path,
                                                                           lang, size):
    """The skills stations page (issue 20): the list, the reading-time clock and a station's
    checklist in the scoring panel, whole, with no horizontal scroll bar on the checklist."""
    from PySide6.QtWidgets import QTableWidget
    from simtool.store import Archive, Examiner, Trainee
    from simtool.ui.window import MainWindow
    register_fonts()
    install_translator(qapp, lang)
    shots = Path(os.environ["SIMTOOL_SHOTS"]) if os.environ.get("SIMTOOL_SHOTS") else None
    db = tmp_path / "stations.sqlite"
    with Archive.open(db) as archive:
        archive.add_trainee(Trainee("李娜", "S100"))
        archive.add_examiner(Examiner("王医生", "E1"))
    try:
        window = MainWindow(SCENARIOS, archive_path=db, lang=lang)
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        page = window.show_stations()
        QApplication.processEvents()
        assert problems(page) == [], "stations"
        page.choose("S100", "E1")
        panel = page.start()
        assert panel is not None
        QApplication.processEvents()
        if shots is not None:
            shots.mkdir(parents=True, exist_ok=True)
            window.grab().save(str(shots / f"stations_{lang}_{size[0]}.png"))
        assert window.width() <= size[0] and page.minimumSizeHint().width() <= size[0]
        assert problems(page) == [], "station sitting"
        tables = [t for t in panel.findChildren(QTableWidget) if t.isVisibleTo(panel)]
        assert tables and not any(t.horizontalScrollBar().isVisible() for t in tables)
        page.finish()
        window.live.close()
    finally:
        install_translator(qapp, "en")
