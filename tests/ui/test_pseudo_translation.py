"""Under the pseudo-translation (every string accented and half as long again) no screen cuts
a label or a button short in a 1280×800 window."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from simtool.core.drill import Participant, PatientParams
from simtool.core.paths import scenarios_dir
from simtool.store import Archive
from simtool.ui import translations
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
