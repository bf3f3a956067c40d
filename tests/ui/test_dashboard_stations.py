"""Skills-station sittings on the quality dashboard (and the words the portfolio borrows from
it): a station is named by its title and its one role by "candidate" in the page's language,
never by its raw id; the dashboard opens on a scenario that has process indicators to chart,
and a station chosen says why it has no chart instead of showing an empty one.

A walkthrough in Chinese found the dashboard opening on "pph_balloon_tamponade_station" with an
empty chart and empty tables: the list was sorted by title, a station's title fell back to its
id, and a Latin id sorts before every Chinese title."""

from __future__ import annotations

from datetime import date

import pytest

from simtool.store import Archive, Examiner, Trainee
from simtool.ui.dashboard import QualityDashboard, ScenarioWords

from helpers.drillcalendar import Run, record_runs
from helpers.stations import sit_station

BALLOON = "pph_balloon_tamponade_station"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = record_runs(tmp_path_factory.mktemp("dash-stations") / "a.sqlite",
                       [Run("last_nerve_block", date(2026, 5, 4), "Anaesthesia")], now=date(2026, 5, 4))
    with Archive.open(path) as archive:
        archive.add_trainee(Trainee("李娜", "S01", site="County Hospital", department="产科"))
        archive.add_examiner(Examiner("周医生", "E01", site="County Hospital"))
        sit_station(archive, BALLOON, "S01", "E01")
    return path


@pytest.fixture
def archive(db):
    a = Archive.open(db)
    yield a
    a.close()


def test_a_station_is_named_by_its_title_and_its_role_by_candidate():
    zh, en = ScenarioWords("zh_CN"), ScenarioWords("en")
    assert zh.title(BALLOON) == "技能考站——宫腔球囊填塞"
    assert en.title(BALLOON) == "Skills station — intrauterine balloon tamponade"
    assert (zh.role(BALLOON, "candidate"), en.role(BALLOON, "candidate")) == ("考生", "Candidate")
    assert zh.is_station(BALLOON) and not zh.is_station("pph_uterine_atony")
    assert zh.title("no_such_scenario") == "no_such_scenario"   # neither: the id, as before


def test_the_dashboard_opens_on_a_scenario_with_indicators_in_chinese(qtbot, archive):
    view = QualityDashboard(archive, "zh_CN")
    qtbot.addWidget(view)
    listed = [(view.scenario.itemText(i), view.scenario.itemData(i)) for i in range(view.scenario.count())]
    # "技能考站…" sorts before "超声引导…" by title: the charted scenario still comes first
    assert listed == [("超声引导神经阻滞后局麻药全身毒性反应", "last_nerve_block"),
                      ("技能考站——宫腔球囊填塞", BALLOON)]
    assert view.scenario_id() == "last_nerve_block"
    assert view.charts and view.quarter_table.rowCount() > 0
    assert view.no_indicators.isHidden()


def test_a_station_chosen_says_it_has_no_process_indicators(qtbot, archive):
    view = QualityDashboard(archive, "zh_CN")
    qtbot.addWidget(view)
    view.scenario.setCurrentIndex(view.scenario.findData(BALLOON))
    assert view.charts == [] and view.quarter_table.rowCount() == 0
    assert not view.no_indicators.isHidden() and view.chart_scroll.isHidden()
    assert view.no_indicators.text().startswith("A skills station has no process indicators")
    # the sitting's candidate is named with the station's role word, not "candidate"
    (sitting,) = [d.id for d in archive.drills() if d.scenario_id == BALLOON]
    assert view._team(sitting) == "李娜 (考生)"
    view.scenario.setCurrentIndex(view.scenario.findData("last_nerve_block"))
    assert view.no_indicators.isHidden() and not view.chart_scroll.isHidden()
