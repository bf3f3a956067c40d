"""The PDCA page as a quality lead reads it at 1366 × 768 (a walkthrough's findings):

* the Check table names the scenario above its indicators — PPH and PAS drills both have "Time
  to massive transfusion", with different figures, and the scenario was only in a tooltip;
* the Act choice starts on the quarter's recorded decision, or on none, never on
  "Standardise" when "Start another PDCA cycle" is what was recorded;
* the corrective actions show their status and deadline in sight, and a threat's drill is
  named by when it ran and its scenario's title, not by the first characters of its id."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from simtool.app import quality
from simtool.store import Archive, Trainee
from simtool.ui.pdca import PdcaView

from helpers.archive import FakeClock
from helpers.drillcalendar import Run, record_runs

Q = "2026-Q3"
NOW = datetime(2026, 9, 20, 9, tzinfo=timezone.utc)   # the archive's clock: in the quarter
PPH_TITLE = "Postpartum haemorrhage — uterine atony after vaginal birth"
PAS_TITLE = "Placenta accreta spectrum — caesarean hysterectomy with the multidisciplinary team"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = record_runs(tmp_path_factory.mktemp("pdca-readable") / "a.sqlite", [
        Run("pph_uterine_atony", date(2026, 8, 3), "Obstetrics"),
        Run("pas_mdt", date(2026, 8, 4), "Obstetrics"),
    ], now=date(2026, 9, 20))
    with Archive.open(path, clock=FakeClock(NOW)) as a:
        a.add_trainee(Trainee("Margaret Thompson-Whitfield", "S04", site="County Hospital",
                              department="Obstetrics"))
        (pph,) = [d.id for d in a.drills() if d.scenario_id == "pph_uterine_atony"]
        quality.record_threat(a, pph, found="No pressure bag on the emergency trolley",
                              category="equipment", likelihood=3, severity=5,
                              root_cause="No restocking checklist")
        quality.add_action(a, title="Check the PPH trolley against a list every week, add a "
                                    "pressure infusion bag", owner="S04", deadline="2026-09-10")
    return path


@pytest.fixture
def archive(db, tmp_path):
    import shutil
    copy = tmp_path / "a.sqlite"
    shutil.copy(db, copy)
    a = Archive.open(copy, clock=FakeClock(NOW))
    yield a
    a.close()


def page(qtbot, archive) -> PdcaView:
    view = PdcaView(archive, "en", quarter=Q)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitExposed(view)
    return view


def check_groups(view: PdcaView) -> dict[str, list[str]]:
    """The Check table as read: each scenario's row, then its indicators."""
    t, out, current = view.check_table, {}, None
    for r in range(t.rowCount()):
        if t.columnSpan(r, 0) == t.columnCount():
            current = t.item(r, 0).text()
            out[current] = []
        else:
            assert current is not None, "an indicator before any scenario row"
            out[current].append(t.item(r, 0).text())
    return out


def test_an_indicator_two_scenarios_share_is_shown_under_each_scenario(qtbot, archive):
    groups = check_groups(page(qtbot, archive))
    assert list(groups) == [PAS_TITLE, PPH_TITLE]
    for name in ("Time to massive transfusion", "MDT response (activation to all present)"):
        assert name in groups[PAS_TITLE] and name in groups[PPH_TITLE]
    assert all(len(set(labels)) == len(labels) for labels in groups.values())


def test_the_decision_starts_on_the_recorded_one_or_none(qtbot, archive):
    view = page(qtbot, archive)
    assert view.decision.currentIndex() == -1 and view.decision.currentData() is None
    quality.decide(archive, Q, "new-cycle", "Warning delay still below target")
    view.refresh()
    assert view.decision.currentData() == "new-cycle"
    # another quarter with nothing recorded: nothing chosen
    view.quarter.setCurrentIndex(view.quarter.findData("2026-Q2"))
    assert view.decision.currentIndex() == -1


def test_status_and_deadline_are_in_sight_and_the_drill_is_named(qtbot, archive, monkeypatch):
    monkeypatch.setenv("SIMTOOL_TZ", "Asia/Shanghai")
    view = page(qtbot, archive)
    t = view.actions_table
    heads = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
    assert heads[:4] == ["#", "Status", "Deadline", "Action"]
    assert [t.item(0, c).text() for c in (1, 2)] == ["overdue", "2026-09-10"]
    for c in range(4):   # the number, status, deadline and action are all inside the view
        assert t.columnViewportPosition(c) + t.columnWidth(c) <= t.viewport().width(), heads[c]
    th = view.threats_table
    drill = th.item(0, [th.horizontalHeaderItem(c).text() for c in range(th.columnCount())].index("Drill"))
    assert drill.text() == f"2026-08-03 17:00\n{PPH_TITLE}"
    assert "drill " in drill.toolTip() and "(UTC+08:00)" in drill.toolTip()
