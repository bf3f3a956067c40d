"""The PDCA page and the debrief's "Safety threats" tab (issue 21): the quarter's overdue
action is shown in red, the Act decision is recorded from the page, and a threat typed in a
drill's debrief is kept (with its links) and listed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from simtool.app import quality
from simtool.store import Archive
from simtool.ui.display import BAD
from simtool.ui.pdca import PdcaView

from helpers.qualityloop import DEPT, build, utc


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdca-view") / "archive.sqlite"
    clock, ids = build(path)
    with Archive.open(path, clock=clock, actor="lead@lab") as a:
        clock.now = utc(2026, 7, 10, 9)
        quality.add_action(a, title="Restock the PPH trolley after every use", owner="S1001",
                           deadline="2026-08-31", indicator="oxytocin_per_protocol")
        quality.add_action(a, title="Call-for-help card at every bed", owner="E77",
                           deadline="2026-12-31", indicator="warning_delay")
    return path, clock, ids


@pytest.fixture
def archive(built, tmp_path):
    import shutil
    path, clock, _ids = built
    copy = tmp_path / "archive.sqlite"
    shutil.copy(path, copy)
    clock.now = utc(2026, 9, 15, 9)   # the first action is past its deadline, the second is not
    a = Archive.open(copy, clock=clock, actor="lead@lab")
    yield a
    a.close()


def test_the_page_shows_the_overdue_action_in_red(qtbot, archive):
    view = PdcaView(archive, "en", quarter="2026-Q3", department=DEPT)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    assert view.overdue_titles() == ["Restock the PPH trolley after every use"]
    t = view.actions_table
    statuses = [t.item(r, 1).text() for r in range(t.rowCount())]   # beside the #, in sight
    assert statuses == ["overdue", "open"]
    assert t.item(0, 1).background().color() == BAD.bg_color
    assert view.counts.text() == "1 open, 1 overdue, 0 done"
    # Check: the quarter's indicators and the ones below target
    labels = [view.check_table.item(r, 0).text() for r in range(view.check_table.rowCount())]
    assert "Warning delay (detection to call for help)" in labels
    assert "Warning delay (detection to call for help): 1/2 (50 %)" in view.alerts.text()


def test_the_act_decision_is_recorded_from_the_page(qtbot, archive):
    view = PdcaView(archive, "en", quarter="2026-Q3", department=DEPT)
    qtbot.addWidget(view)
    assert view.decision_label.text() == "No decision recorded for 2026-Q3 yet."
    assert view.decision.currentIndex() == -1    # none recorded: none chosen for the lead
    assert not view.record_decision()
    assert "choose the decision first" in view.status.text()
    view.decision.setCurrentIndex(view.decision.findData("new-cycle"))
    assert not view.record_decision()            # an empty note is refused, nothing kept
    assert "the decision's note is empty" in view.status.text()
    assert archive.quality_decisions("2026-Q3", department=DEPT) == []
    view.note.setPlainText("Warning delay still below target: another cycle")
    qtbot.mouseClick(view.record_button, Qt.MouseButton.LeftButton)
    (d,) = archive.quality_decisions("2026-Q3", department=DEPT)
    assert (d.decision, d.note, d.by) == ("new-cycle", "Warning delay still below target: another cycle",
                                          "lead@lab")
    assert view.decision_label.text().startswith("Start another PDCA cycle\nWarning delay still")


def test_a_threat_typed_in_the_debrief_is_kept_and_listed(qtbot, archive, built):
    from simtool.ui.archiveviews.debrief import DebriefView
    drill = built[2][2]
    view = DebriefView(archive, drill, "en")
    qtbot.addWidget(view)
    panel = view.threats
    assert view.tabs.tabText(view.tabs.indexOf(panel)) == "Safety threats"
    panel.found.setPlainText("Second oxytocin ampoule missing <b>")
    panel.root_cause.setPlainText("No restocking check")
    panel.category.setCurrentIndex(panel.category.findData("equipment"))
    panel.likelihood.setValue(5)
    panel.severity.setValue(4)
    assert panel.risk.text() == "extreme (5 × 4 = 20)"
    panel.events.item(3).setCheckState(Qt.CheckState.Checked)
    ind = next(i for i in range(panel.indicators.count())
               if panel.indicators.item(i).data(Qt.ItemDataRole.UserRole) == "oxytocin_per_protocol")
    panel.indicators.item(ind).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    (t,) = archive.safety_threats(drill_id=drill)
    assert (t.found, t.category, t.risk, t.events, t.indicators) == (
        "Second oxytocin ampoule missing <b>", "equipment", "extreme", (3,), ("oxytocin_per_protocol",))
    assert panel.table.rowCount() == 1 and panel.table.item(0, 2).text() == "extreme (20)"
    # a refusal keeps what was typed and says why in one sentence
    panel.found.setPlainText("bell\x07")
    panel.root_cause.setPlainText("r")
    assert not panel.record()
    assert "control character (U+0007)" in panel.status.text()
    assert panel.found.toPlainText() == "bell\x07" and len(archive.safety_threats()) == 1


def test_the_toolbar_reaches_the_page_next_to_quality(qtbot, tmp_path, monkeypatch):
    from pathlib import Path

    from simtool.ui.window import MainWindow
    monkeypatch.setenv("SIMTOOL_DATA_HOME", str(tmp_path))
    root = Path(__file__).resolve().parents[2]
    w = MainWindow(root / "scenarios", archive_path=tmp_path / "a.sqlite", lang="en")
    qtbot.addWidget(w)
    actions = w.toolbar.actions()
    assert actions[actions.index(w.quality_action) + 1] is w.pdca_action
    assert w.pdca_action.text() == "PDCA"
    w.pdca_action.trigger()
    assert isinstance(w.stack.currentWidget(), PdcaView)
