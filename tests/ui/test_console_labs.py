"""The console's lab card (issue 18, item 5): "Send labs" logs a sample like any action, and the
card shows each result with its time once the scenario's turnaround is over."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from simtool.core.drill import Participant, PatientParams
from simtool.store import Archive
from simtool.ui.console import ConsoleView
from simtool.ui.session import DrillSession

TEAM = [Participant("t1", "Li Na", "midwife"), Participant("t3", "Chen Jie", "anaesthetist")]


@pytest.fixture()
def archive(tmp_path):
    a = Archive.open(tmp_path / "a.sqlite")
    yield a
    a.close()


def test_send_labs_logs_a_sample_and_the_card_shows_its_results_on_time(qtbot, pph, archive):
    session = DrillSession(pph, PatientParams(65), TEAM, archive)
    view = ConsoleView(session)
    qtbot.addWidget(view)
    view.resize(1280, 820)
    view.show()
    card = view.lab_card
    assert card is not None and card.send_button.isEnabled()
    session.advance(60)
    qtbot.mouseClick(card.send_button, Qt.MouseButton.LeftButton)
    sent = [e for e in archive.events(session.drill_id) if e.kind == "action"][-1]
    assert (sent.action, sent.actor) == ("send_labs", "instructor")
    assert "01:00" in card.pending.text() and card.pending.isVisible()
    # the bedside blood gas after 5 min, the laboratory after 30 min
    session.advance(300)
    assert card.results.count() == 1 and "Haemoglobin 115 g/L" in card.results.item(0).text()
    session.advance(1500)
    lines = [card.results.item(i).text() for i in range(card.results.count())]
    assert len(lines) == 2 and "Fibrinogen 4.5 g/L" in lines[0] and "(sample of 01:00)" in lines[0]
    assert not card.pending.isVisible()
    # the results are in the record the debrief is made from
    assert [e.kind for e in archive.events(session.drill_id)].count("labs") == 2


def test_a_scenario_without_a_laboratory_has_no_lab_card(qtbot, archive):
    from simtool.core.scenario import load_scenario
    from helpers.paths import SCENARIOS
    pas = load_scenario(SCENARIOS / "pas_mdt.yaml")
    session = DrillSession(pas, PatientParams(70), [Participant("a1", "Li Na", "anaesthetist")], archive)
    view = ConsoleView(session)
    qtbot.addWidget(view)
    assert view.lab_card is None
