"""The quality dashboard and the trainee portfolio show what ``simtool.store.analytics`` says:
the same medians and compliance, exactly the drills that missed, the drill id on double-click."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QPoint, Qt

from simtool.core.drill import PatientParams
from simtool.core.runner import run_script
from simtool.core.script import load_script
from simtool.store import Trainee
from simtool.store.analytics import drill_indicators, indicators_report, portfolio
from simtool.store.archive import Archive
from simtool.ui.dashboard import MIN_DRILLS_SETTING, QualityDashboard
from simtool.ui.portfolio import TraineePortfolio
from simtool.ui.display import span

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "tests" / "scripts" / "pph_uterine_atony"
# the pattern of tests/store/test_analytics.py: four scripted drills over three quarters
STARTS = {"absent_care": datetime(2024, 2, 1, tzinfo=timezone.utc),
          "busy_team": datetime(2024, 5, 1, tzinfo=timezone.utc),
          "good_care": datetime(2024, 5, 20, tzinfo=timezone.utc),
          "late_care": datetime(2024, 11, 3, tzinfo=timezone.utc)}
PEOPLE = {"t1": ("Li Na", "Obstetrics"), "t2": ("Wang Fang", "Obstetrics"), "t3": ("Chen Jie", "Anaesthesia")}


class FakeClock:
    """Wall clock for the store: one second passes on every reading."""

    def __init__(self) -> None:
        self.now = datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)

    def set(self, when: datetime) -> None:
        self.now = when

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def archive(tmp_path, pph):
    clock = FakeClock()
    a = Archive.open(tmp_path / "archive.sqlite", clock=clock, actor="tester@lab")
    people = {pid: Trainee(name, f"S-{pid}", dept, f"tr-{pid}") for pid, (name, dept) in PEOPLE.items()}
    for name in STARTS:
        script = load_script(SCRIPTS / f"{name}.yaml", pph)
        drill, _ = run_script(pph, script, PatientParams(65.0))
        clock.set(STARTS[name])
        trainees = {p.id: people[p.id] for p in drill.participants if p.id in people}
        did = a.start_drill(pph, drill.patient, drill.participants, "summative", trainees=trainees,
                            site="City Hospital" if name == "late_care" else "County Hospital")
        for e in drill.events:
            assert a.append_event(did, e) is None
    yield a
    a.close()


@pytest.fixture
def dashboard(qtbot, archive):
    # these tests read the figures of quarters of one or two drills: the "too few drills"
    # minimum (default 5) is lowered to 1 here and checked on its own below
    QSettings().setValue(MIN_DRILLS_SETTING, 1)
    w = QualityDashboard(archive)
    qtbot.addWidget(w)
    w.resize(1200, 1000)
    w.show()
    return w


def table_rows(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_quarter_table_shows_the_reports_medians_and_compliance(dashboard, archive):
    assert dashboard.scenario_id() == "pph_uterine_atony" and dashboard.department_name() is None
    rep = indicators_report(archive)
    expected = {(g["quarter"], i["id"]): (g["drills"], i["median_s"], i["compliance"], i["met"], i["applies"])
                for g in rep["groups"] if g["department"] is None for i in g["indicators"]}
    t = dashboard.quarter_table
    got = {}
    for r in range(t.rowCount()):
        quarter, ind = t.item(r, 0).text(), t.item(r, 1).data(Qt.ItemDataRole.UserRole)
        got[(quarter, ind)] = (int(t.item(r, 2).text()), t.item(r, 3).data(Qt.ItemDataRole.UserRole),
                               t.item(r, 6).data(Qt.ItemDataRole.UserRole))
        drills, median, compliance, met, applies = expected[(quarter, ind)]
        assert t.item(r, 3).text().startswith(span(median, "en"))   # "6 min 50 s", never "06:50"
        if median is not None:
            assert "(n=" in t.item(r, 3).text()
        if compliance is not None:
            assert t.item(r, 6).text().startswith(f"{compliance * 100:.0f} %")
            assert f"{met} of {applies}" in t.item(r, 6).text()
    assert got == {k: v[:3] for k, v in expected.items()}
    # labels come from the scenario file, not the ids
    assert "Warning delay (detection to call for help)" in [t.item(r, 1).text() for r in range(t.rowCount())]


def test_missed_table_lists_exactly_the_drills_that_missed(dashboard, archive):
    expected = sorted((d.drill_id, r.id) for d in drill_indicators(archive) for r in d.results if r.met is False)
    assert expected  # the scripts do miss targets
    t = dashboard.missed_table
    got = sorted((t.item(r, 0).data(Qt.ItemDataRole.UserRole), t.item(r, 3).data(Qt.ItemDataRole.UserRole))
                 for r in range(t.rowCount()))
    assert got == expected
    # named as a person reads them: date, scenario title, team, department — no id fragment
    for row in table_rows(t):
        assert row[6] == "Postpartum haemorrhage — uterine atony after vaginal birth"
        assert "(" in row[1] and not any(len(w) == 8 and w.isalnum() for w in row[1].split())


def test_double_click_opens_the_drill(qtbot, dashboard):
    t = dashboard.missed_table
    row = t.rowCount() - 1
    wanted = t.item(row, 0).data(Qt.ItemDataRole.UserRole)
    t.scrollToItem(t.item(row, 1))
    rect = t.visualItemRect(t.item(row, 1))
    assert t.viewport().rect().contains(rect.center())
    with qtbot.waitSignal(dashboard.open_drill, timeout=1000) as blocker:
        # a real double-click: Qt 6 views act on the second click only after a first press
        qtbot.mouseClick(t.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(t.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [wanted]


def test_date_range_changes_the_counts(dashboard, archive):
    def drills_in_table() -> int:  # the drills column is per quarter, repeated per indicator
        return sum({row[0]: int(row[2]) for row in table_rows(dashboard.quarter_table)}.values())

    assert drills_in_table() == 4
    before = dashboard.missed_table.rowCount()
    dashboard.set_date_range(date(2024, 4, 1), date(2024, 6, 30))
    assert {row[0] for row in table_rows(dashboard.quarter_table)} == {"2024-Q2"}
    assert drills_in_table() == indicators_report(archive, date(2024, 4, 1), date(2024, 6, 30))["drills"] == 2
    in_q2 = drill_indicators(archive, date(2024, 4, 1), date(2024, 6, 30))
    assert dashboard.missed_table.rowCount() == sum(r.met is False for d in in_q2 for r in d.results) < before
    assert all(len(c.points) == 1 for c in dashboard.charts)
    dashboard.set_date_range(None, None)
    assert drills_in_table() == 4


def test_department_filter_uses_the_departments_groups(dashboard, archive):
    i = dashboard.department.findData("Anaesthesia")
    dashboard.department.setCurrentIndex(i)
    rep = indicators_report(archive)
    quarters = {g["quarter"] for g in rep["groups"] if g["department"] == "Anaesthesia"}
    assert {row[0] for row in table_rows(dashboard.quarter_table)} == quarters
    missed = sorted((d.drill_id, r.id) for d in drill_indicators(archive) if "Anaesthesia" in d.departments
                    for r in d.results if r.met is False)
    assert sorted((m.drill_id, m.indicator_id) for m in dashboard.missed) == missed


def test_site_filter_counts_only_that_hospitals_drills(dashboard, archive):
    assert [dashboard.site.itemData(i) for i in range(dashboard.site.count())] == \
        [None, "City Hospital", "County Hospital"]
    assert dashboard.summary.text() == "4 drill(s) in the range"
    dashboard.site.setCurrentIndex(dashboard.site.findData("City Hospital"))
    assert dashboard.summary.text() == "1 drill(s) in the range"
    assert {row[0] for row in table_rows(dashboard.quarter_table)} == {"2024-Q4"}
    city = {d.drill_id for d in drill_indicators(archive, site="City Hospital")}
    assert dashboard.missed and {m.drill_id for m in dashboard.missed} <= city
    dashboard.site.setCurrentIndex(dashboard.site.findData("County Hospital"))
    assert dashboard.summary.text() == "3 drill(s) in the range"
    assert "2024-Q4" not in {row[0] for row in table_rows(dashboard.quarter_table)}


def test_one_chart_per_indicator_with_one_point_per_quarter(qtbot, dashboard, archive):
    rep = indicators_report(archive)
    overall = [g for g in rep["groups"] if g["department"] is None]
    ids = list(dict.fromkeys(i["id"] for g in overall for i in g["indicators"]))
    assert sorted(c.indicator_id for c in dashboard.charts) == sorted(ids)
    for chart in dashboard.charts:
        quarters = [g["quarter"] for g in overall if any(i["id"] == chart.indicator_id for i in g["indicators"])]
        assert [q for q, _m, _c in chart.series()] == quarters == ["2024-Q1", "2024-Q2", "2024-Q4"]
        for (q, median, compliance), g in zip(chart.series(), overall):
            s = next(i for i in g["indicators"] if i["id"] == chart.indicator_id)
            assert (median, compliance) == (s["median_s"], s["compliance"])
        assert chart.targets == [float(next(i for i in overall[0]["indicators"]
                                            if i["id"] == chart.indicator_id)["target_s"])]
    # a click on a quarter lists only that indicator's misses in that quarter
    chart = dashboard.charts[0]
    chart.grab()  # paints, so the plot geometry is known
    x = chart.width() - 20  # inside the last quarter's column
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=QPoint(x, chart.height() // 2))
    assert all(m.indicator_id == chart.indicator_id and m.quarter == "2024-Q4" for m in dashboard.shown_missed())
    assert dashboard.missed_table.rowCount() == len(dashboard.shown_missed())
    dashboard.show_all.click()
    assert dashboard.missed_table.rowCount() == len(dashboard.missed)


def test_a_quarter_with_too_few_drills_shows_no_figure_and_no_trend(qtbot, archive):
    w = QualityDashboard(archive)          # the default minimum: 5 drills a quarter
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    assert w.min_drills.value() == 5
    rows = table_rows(w.quarter_table)
    assert rows and all(r[3] == r[6] == "—" or r[3].startswith("too few drills (n=") and r[6] == r[3]
                        for r in rows)
    assert any(r[3].startswith("too few drills") for r in rows)
    for chart in w.charts:
        assert all(median is None and compliance is None for _q, median, compliance in chart.series())
        assert not any(p.enough and p.applies for p in chart.points)
    w.min_drills.setValue(1)               # the department's own choice, remembered
    assert QSettings().value(MIN_DRILLS_SETTING) in (1, "1")
    assert any(not r[3].startswith("too few") for r in table_rows(w.quarter_table))
    assert any(m is not None for c in w.charts for _q, m, _c in c.series())


def test_the_targets_column_shows_both_targets_with_the_source(dashboard, archive):
    rows = table_rows(dashboard.quarter_table)
    oxy = next(r for r in rows if r[1] == "Oxytocin per protocol")
    assert oxy[5] == "5 min per drill; > 90 % of drills"
    r = next(k for k, row in enumerate(rows) if row[1] == "Oxytocin per protocol")
    assert "document 002" in dashboard.quarter_table.item(r, 5).toolTip()
    txa = next(r for r in rows if r[1] == "Time to tranexamic acid")
    assert txa[5] == "15 min per drill; > 80 % of drills"
    chart = next(c for c in dashboard.charts if c.indicator_id == "oxytocin_per_protocol")
    assert chart.compliance_text() == "compliance target > 90 %"


def _late_care_archive(tmp_path, pph, starts, clock):
    a = Archive.open(tmp_path / "late.sqlite", clock=clock)
    drill, _ = run_script(pph, load_script(SCRIPTS / "late_care.yaml", pph), PatientParams(65.0))
    for at in starts:
        clock.set(at)
        did = a.start_drill(pph, drill.patient, drill.participants)
        for e in drill.events:
            a.append_event(did, e)
    return a, drill


def test_the_dashboard_shows_an_alert_after_two_bad_quarters_and_none_after_one(qtbot, tmp_path, pph):
    QSettings().setValue(MIN_DRILLS_SETTING, 1)
    clock = FakeClock()
    a, drill = _late_care_archive(tmp_path, pph, [datetime(2024, 2, 1, tzinfo=timezone.utc)], clock)
    try:
        w = QualityDashboard(a)
        qtbot.addWidget(w)
        w.show()
        assert w.shown_alerts() == [] and not w.alerts_strip.isVisible()
        clock.set(datetime(2024, 5, 1, tzinfo=timezone.utc))   # the same late care, next quarter
        did = a.start_drill(pph, drill.patient, drill.participants)
        for e in drill.events:
            a.append_event(did, e)
        w.reload()
        assert w.alerts_strip.isVisible()
        text = w.alerts_strip.text()
        assert ("Oxytocin per protocol: compliance below its target (> 90 %) in 2024-Q1 and "
                "2024-Q2 (0 % → 0 %)") in text
        assert "Oxytocin per protocol: median time above its target (5 min) in 2024-Q1 and 2024-Q2" in text
        assert text.startswith(f"{len(w.shown_alerts())} alert")
        w.grab().save(str(tmp_path / "alerts.png"))
        # a quarter of one drill is too few for a department that reads figures from two on
        w.min_drills.setValue(2)
        assert w.shown_alerts() == [] and not w.alerts_strip.isVisible()
        w.min_drills.setValue(1)
        # by month the two drills are three months apart: no run, no alert
        w.by.setCurrentIndex(w.by.findData("month"))
        assert w.report["by"] == "month" and not w.alerts_strip.isVisible()
        assert {row[0] for row in table_rows(w.quarter_table)} == {"2024-02", "2024-05"}
    finally:
        a.close()


def test_screenshot(dashboard):
    dashboard.grab().save("/tmp/dashboard.png")


def test_portfolio_shows_the_trainees_drills_times_and_scores(qtbot, archive, pph):
    from simtool.core.rubric import load_rubric
    from simtool.core.scoring import score
    from simtool.store.scores import save_score
    rubric = load_rubric(ROOT / "rubrics" / "pph_uterine_atony_technical.yaml", pph)
    last = archive.drills()[-1]
    drill = run_script(pph, load_script(SCRIPTS / "late_care.yaml", pph), PatientParams(65.0))[0]
    links = {p.id: p.trainee_id for p in archive.drill(last.id).participants if p.trainee_id}
    save_score(archive, last.id, rubric, score(rubric, drill, evaluation_type="summative"), links)

    w = TraineePortfolio(archive)
    qtbot.addWidget(w)
    w.resize(1200, 700)
    w.show()
    assert w.trainee.count() == 3
    w.trainee.setCurrentIndex(w.trainee.findData("tr-t1"))
    w.trainee.activated.emit(w.trainee.currentIndex())
    rep = portfolio(archive, "tr-t1")
    assert w.shown_drill_ids() == [d["drill_id"] for d in rep["drills"]]
    t = w.drills_table
    headers = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
    # roles and statuses in words, not ids
    assert {t.item(r, headers.index("Role")).text() for r in range(t.rowCount())} == {"Midwife"}
    assert {t.item(r, headers.index("Status")).text() for r in range(t.rowCount())} <= {"ended", "signed"}
    col = headers.index("Warning delay (detection to call for help)")
    for r, d in enumerate(rep["drills"]):
        res = next(i for i in d["indicators"] if i["id"] == "warning_delay")
        assert t.item(r, col).data(Qt.ItemDataRole.UserRole) == res["seconds"]
    own = [s["percentage"] for s in rep["drills"][-1]["sheets"] if s["scope"] == "trainee"]
    assert own and t.item(t.rowCount() - 1, headers.index("Own score")).data(Qt.ItemDataRole.UserRole) == own[0]
    assert w.scenario_table.item(0, 2).data(Qt.ItemDataRole.UserRole) == rep["scenarios"][0]["mean_percentage"]
    with qtbot.waitSignal(w.open_drill) as blocker:
        t.cellDoubleClicked.emit(1, 0)
    assert blocker.args == [rep["drills"][1]["drill_id"]]
    w.show_trainee("S-t3")  # by staff id
    assert w.shown_drill_ids() == [d["drill_id"] for d in portfolio(archive, "S-t3")["drills"]]
    w.grab().save("/tmp/portfolio.png")
