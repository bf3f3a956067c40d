"""The dashboard's drill calendar card says what ``simtool calendar`` says for the same archive
and the same department and site: the same rows (every status, ok included), in the same
order. A walkthrough found the card saying "overdue — never done" for a department's MDT drill
while the command line showed it done that day at the hospital: the card listed only due and
overdue rows, so the department's site-less row (drills recorded without a site) stood alone
and the row done in time was hidden."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from PySide6.QtCore import Qt

from simtool.cli import main as cli_main
from simtool.core.calendar import add_months
from simtool.store.archive import Archive
from simtool.ui.dashboard import QualityDashboard

from helpers.drillcalendar import Run, record_runs

TODAY = datetime.now(timezone.utc).date()   # both judge on the archive clock's day
SITE = "County Hospital"
FILTERS = [(None, None), ("Obstetrics", None), ("Anaesthesia", None), (None, SITE),
           ("Obstetrics", SITE)]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("card-cli") / "a.sqlite"
    return record_runs(path, [
        Run("pas_mdt", TODAY, "Obstetrics"),                                 # done today: ok
        Run("pas_mdt", add_months(TODAY, -3), "Anaesthesia"),               # due (or overdue)
        # the window's live drill and station sittings: no site, the team's departments
        Run("pph_uterine_atony", TODAY, None, site=None, team_department="Obstetrics"),
        Run("pph_uterine_atony", TODAY, None, site=None, team_department="Anaesthesia"),
    ], now=TODAY)


@pytest.fixture
def card(qtbot, db):
    archive = Archive.open(db)
    view = QualityDashboard(archive)
    qtbot.addWidget(view)
    yield view
    archive.close()


def cli_rows(db, capsys, department, site) -> list[tuple]:
    argv = ["calendar", "--json", "--archive", str(db)]
    argv += ["--department", department] if department else []
    argv += ["--site", site] if site else []
    assert cli_main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    return [(d["status"], (d["department"], d["site"]), d["last_done"], d["next_due"], d["drill"])
            for d in out["drills"]]


def card_rows(view: QualityDashboard, department, site) -> list[tuple]:
    view.site.setCurrentIndex(view.site.findData(site))
    view.department.setCurrentIndex(view.department.findData(department))
    assert (view.department_name(), view.site_name()) == (department, site)
    t = view.calendar_table
    return [tuple(t.item(r, c).data(Qt.ItemDataRole.UserRole) for c in range(t.columnCount())) for r in range(t.rowCount())]


@pytest.mark.parametrize("department,site", FILTERS)
def test_the_card_lists_the_rows_the_command_prints(card, db, capsys, department, site):
    expected = cli_rows(db, capsys, department, site)
    assert expected, "the archive gives every filter some rows"
    assert card_rows(card, department, site) == expected


def test_a_department_done_today_at_its_site_is_not_shown_as_never_done(card):
    card_rows(card, "Obstetrics", None)
    rows = [[card.calendar_table.item(r, c).text() for c in range(5)]
            for r in range(card.calendar_table.rowCount())]
    mdt = "MDT drill (e.g. placenta accreta haemorrhage)"
    assert ["ok", f"Obstetrics ({SITE})", TODAY.isoformat(), add_months(TODAY, 3).isoformat(), mdt] in rows
    # the drills recorded without a site count apart, and the row says so
    assert ["overdue", "Obstetrics (no site)", "never done", "now", mdt] in rows
    tip = card.calendar_table.item(rows.index(["overdue", "Obstetrics (no site)",
                                               "never done", "now", mdt]), 1).toolTip()
    assert "without a site are counted apart" in tip
