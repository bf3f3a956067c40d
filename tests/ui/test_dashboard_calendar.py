"""The dashboard's drill calendar card (issue 20, item 5): the programme drills due or overdue
for the department and site chosen — the same rows as ``simtool calendar``."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from simtool.store.archive import Archive
from simtool.ui.dashboard import QualityDashboard

from helpers.archive import FakeClock
from helpers.drillcalendar import Run, record_runs

TODAY = date(2026, 11, 30)


@pytest.fixture
def dashboard(qtbot, tmp_path):
    path = record_runs(tmp_path / "a.sqlite", [
        Run("pas_mdt", date(2026, 6, 15), "Obstetrics"),                 # next due 15 Sep: overdue
        Run("pas_mdt", date(2026, 9, 10), "Anaesthesia"),                # next due 10 Dec: due
        Run("pas_mdt", date(2026, 11, 2), "Midwifery", site="City Hospital"),   # ok
    ], now=TODAY)
    archive = Archive.open(path, clock=FakeClock(datetime(2026, 11, 30, 9, tzinfo=timezone.utc)))
    view = QualityDashboard(archive)
    qtbot.addWidget(view)
    yield view
    archive.close()


def shown(view: QualityDashboard) -> list[list[str]]:
    t = view.calendar_table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def test_the_card_lists_the_overdue_mdt_drill_first(dashboard):
    mdt = "MDT drill (e.g. placenta accreta haemorrhage)"
    assert shown(dashboard) == [
        ["overdue", "Obstetrics (County Hospital)", "2026-06-15", "2026-09-15", mdt],
        ["due", "Anaesthesia (County Hospital)", "2026-09-10", "2026-12-10", mdt],
        # done in time: listed too (as `simtool calendar` lists it), after the due ones
        ["ok", "Midwifery (City Hospital)", "2026-11-02", "2027-02-02", mdt],
    ]
    assert dashboard.calendar_title.text() == "Drill calendar: 2 due or overdue"
    assert dashboard.calendar_table.item(0, 4).toolTip().endswith("; last done 2026-06-15")
    # the emergency-plan drill names no scenario: said, not given a status
    assert "Not tracked" in dashboard.calendar_note.text()
    assert "Emergency-plan drill" in dashboard.calendar_note.text()


def test_the_card_follows_the_department_and_site_filters(dashboard):
    dashboard.department.setCurrentIndex(dashboard.department.findData("Obstetrics"))
    assert [row[0] for row in shown(dashboard)] == ["overdue"]
    dashboard.department.setCurrentIndex(dashboard.department.findData("Midwifery"))
    assert [row[0] for row in shown(dashboard)] == ["ok"]
    assert dashboard.calendar_title.text() == "Drill calendar: 0 due or overdue"
    assert "No drill is due or overdue." in dashboard.calendar_note.text()
    dashboard.department.setCurrentIndex(0)   # all departments, one site
    dashboard.site.setCurrentIndex(dashboard.site.findData("City Hospital"))
    assert [row[:2] for row in shown(dashboard)] == [["ok", "Midwifery (City Hospital)"]]
