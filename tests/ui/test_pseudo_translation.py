"""Under the pseudo-translation (every string accented and half as long again) no screen cuts
a label or a button short in a 1280×800 window."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QTableWidget, QWidget

from simtool.cli import main as cli_main
from simtool.core.drill import Participant, PatientParams
from simtool.core.paths import data_root, scenarios_dir
from simtool.core.rubric import load_rubric
from simtool.core.scenario import load_scenario
from simtool.store import Archive
from simtool.ui import translations
from simtool.ui.archiveviews import ArchiveBrowser, DebriefView, EndOfDrillView, ScoringPanel
from simtool.ui.dashboard import QualityDashboard
from simtool.ui.portfolio import TraineePortfolio
from simtool.ui.console import ConsoleView, PrebriefView, SetupForm
from simtool.ui.monitor import PatientMonitor
from simtool.ui.session import DrillSession
from simtool.ui.window import MainWindow

TEAM = [Participant("t1", "Li Na", "midwife"), Participant("t2", "Wang Fang", "obstetrician"),
        Participant("t3", "Chen Jie", "anaesthetist")]
SIZE = (1280, 800)


def test_pseudo_text_is_longer_and_keeps_placeholders():
    text = translations.pseudo("Played {minutes} min of %1 <b>drill</b> time.")
    assert text.startswith("[") and text.endswith("~]")
    assert "{minutes}" in text and "%1" in text and "<b>" in text and "</b>" in text
    assert len(text) >= 1.5 * len("Played {minutes} min of %1 <b>drill</b> time.")


def clipped(top: QWidget) -> list[str]:
    """Visible labels and buttons whose text needs more room than they have."""
    bad = []
    for w in top.findChildren(QLabel) + top.findChildren(QAbstractButton):
        if not w.isVisibleTo(top) or not w.text():
            continue
        if isinstance(w, QLabel) and w.wordWrap():
            if w.heightForWidth(w.width()) > w.height() + 1:
                bad.append(f"{w.text()!r}: needs {w.heightForWidth(w.width())} px high, has {w.height()}")
        elif w.sizeHint().width() > w.width() + 1:
            bad.append(f"{w.text()!r}: needs {w.sizeHint().width()} px wide, has {w.width()}")
    for table in top.findChildren(QTableWidget):
        if not table.isVisibleTo(top):
            continue
        header = table.horizontalHeader()
        for c in range(table.columnCount()):
            item = table.horizontalHeaderItem(c)
            if item is None or not item.text() or header.isSectionHidden(c):
                continue
            if header.sectionSizeHint(c) > header.sectionSize(c) + 1:
                bad.append(f"header {item.text()!r}: needs {header.sectionSizeHint(c)} px wide, "
                           f"has {header.sectionSize(c)}")
    return bad


@pytest.fixture
def pseudo(qapp, monkeypatch):
    monkeypatch.setenv(translations.PSEUDO_ENV, "1")
    translations.install_translator(qapp, "en")


def shown(qtbot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.resize(*SIZE)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_no_screen_clips_stretched_text(qtbot, pseudo, tmp_path):
    window = shown(qtbot, MainWindow(scenarios_dir(), lang="en"))
    assert window.drill_action.text().startswith("[Ŝţàŕţ")
    assert window.library.select_path(scenarios_dir() / "pph_uterine_atony.yaml")
    qtbot.wait(10)
    screens = {"library": clipped(window)}
    loaded = window.library.current_entry().loaded

    screens["setup"] = clipped(shown(qtbot, SetupForm(loaded)))
    screens["prebrief"] = clipped(shown(qtbot, PrebriefView(loaded, "en")))
    archive = Archive.open(tmp_path / "a.sqlite")
    try:
        session = DrillSession(loaded, PatientParams(65, ("asthma",)), TEAM, archive)
        console = shown(qtbot, ConsoleView(session))
        session.advance(400)
        session.act("carboprost", by="t2", dose=250, unit="µg", route="IM")
        qtbot.wait(10)
        screens["console"] = clipped(console)
        screens["monitor"] = clipped(shown(qtbot, PatientMonitor(session)))
        session.stop_clock()
    finally:
        archive.close()

    window.library.run_form.run_button.click()
    assert window.stack.currentWidget() is window.results
    qtbot.wait(10)
    screens["results"] = clipped(window)
    assert {name: bad for name, bad in screens.items() if bad} == {}


ROOT = data_root()
PPH = ROOT / "scenarios" / "pph_uterine_atony.yaml"
RUBRIC = ROOT / "rubrics" / "pph_uterine_atony_technical.yaml"


@pytest.fixture
def drill_archive(tmp_path):
    """An archive with one scored, ended drill of the PPH scenario."""
    db = tmp_path / "archive.sqlite"
    assert cli_main(["run", str(PPH), "--script",
                     str(ROOT / "tests" / "scripts" / "pph_uterine_atony" / "late_care.yaml"),
                     "--rubric", str(RUBRIC), "--archive", str(db)]) == 0
    archive = Archive.open(db)
    yield archive
    archive.close()


def archive_screens(qtbot, archive: Archive, lang: str) -> dict[str, QWidget]:
    """Every view over the archive, shown at the window's size (tabs as they open)."""
    drill = archive.drills()[-1]
    rubric = load_rubric(RUBRIC, load_scenario(PPH))
    portfolio = TraineePortfolio(archive, lang)
    trainees = archive.trainees()
    if trainees:
        portfolio.show_trainee(trainees[0].id)
    views = {
        "archive": ArchiveBrowser(archive),
        "debrief": DebriefView(archive, drill.id, lang),
        "endofdrill": EndOfDrillView(archive, drill.id, rubric, lang),
        "scoring": ScoringPanel.from_archive(archive, drill.id, rubric, lang),
        "dashboard": QualityDashboard(archive, lang),
        "portfolio": portfolio,
    }
    for view in views.values():
        shown(qtbot, view)
    qtbot.wait(20)
    return views


def test_no_archive_screen_clips_stretched_text(qtbot, pseudo, drill_archive):
    views = archive_screens(qtbot, drill_archive, "en")
    screens = {name: clipped(view) for name, view in views.items()}
    # and none needs a wider window than the others
    screens.update({f"{name} width": [view.width()] for name, view in views.items()
                    if view.width() > SIZE[0]})
    assert {name: bad for name, bad in screens.items() if bad} == {}


def test_the_stations_page_clips_no_stretched_text(qtbot, pseudo, tmp_path):
    """The skills stations page, before a sitting and scoring one (the reading-time clock and
    the station's checklist), at the window's size under the pseudo-translation."""
    from simtool.store import Examiner, Trainee
    from simtool.ui.station import StationsView
    archive = Archive.open(tmp_path / "stations.sqlite")
    try:
        archive.add_trainee(Trainee("Li Na", "S100"))
        archive.add_examiner(Examiner("Wang Fang", "E1"))
        view = shown(qtbot, StationsView(archive, "en"))
        screens = {"stations": clipped(view)}
        view.choose("S100", "E1")
        assert view.start() is not None
        qtbot.wait(20)
        screens["station sitting"] = clipped(view)
        view.finish()
        qtbot.wait(10)
        screens["station over"] = clipped(view)
        screens.update({"width": [view.width()]} if view.width() > SIZE[0] else {})
    finally:
        view.timer.stop()
        archive.close()
    assert {name: bad for name, bad in screens.items() if bad} == {}
