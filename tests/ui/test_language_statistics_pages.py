"""The quality dashboard and the trainee portfolio follow a language switch while they are
open: every text on them — the interface's own words, the scenario's title, its indicator and
role labels — changes to the chosen language and back, and what they showed (the trainee, the
drills) stays."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QTabBar, QTableWidget, QWidget

from simtool.core.drill import PatientParams
from simtool.core.runner import run_script
from simtool.core.scenario import load_scenario
from simtool.core.script import load_script
from simtool.store import Trainee
from simtool.store.archive import Archive
from simtool.ui.dashboard import QualityDashboard
from simtool.ui.portfolio import TraineePortfolio
from simtool.ui.window import MainWindow

from helpers.archive import FakeClock
from helpers.paths import PPH, SCENARIOS, SCRIPTS

CJK = re.compile(r"[\u4e00-\u9fff]")
STARTS = {"late_care": datetime(2024, 2, 1, tzinfo=timezone.utc),
          "good_care": datetime(2024, 5, 20, tzinfo=timezone.utc)}
PEOPLE = {"t1": ("Li Na", "Obstetrics"), "t2": ("Wang Fang", "Obstetrics"), "t3": ("Chen Jie", "Anaesthesia")}
# the interface's own words on each page, in English (none of them may stay after a switch)
DASHBOARD_WORDS = ("Period", "Indicator", "Median", "Refresh", "By quarter", "All departments",
                   "Drills that missed a target")
PORTFOLIO_WORDS = ("Date", "Scenario", "Role", "Status", "Own score", "Team score", "By scenario", "Trainee")


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "archive.sqlite"
    pph = load_scenario(PPH)
    clock = FakeClock()
    with Archive.open(path, clock=clock, actor="tester@lab") as a:
        people = {pid: Trainee(name, f"S-{pid}", dept, f"tr-{pid}") for pid, (name, dept) in PEOPLE.items()}
        for name, when in STARTS.items():
            drill, _ = run_script(pph, load_script(SCRIPTS / f"{name}.yaml", pph), PatientParams(65.0))
            clock.set(when)
            did = a.start_drill(pph, drill.patient, drill.participants, "summative",
                                trainees={p.id: people[p.id] for p in drill.participants if p.id in people})
            for e in drill.events:
                assert a.append_event(did, e) is None
    return path


def texts(page: QWidget) -> list[str]:
    """Every text a user can read on the page: labels, buttons, tab titles, combo boxes, table
    headers and cells, and the charts' titles."""
    out = [w.text() for w in page.findChildren(QLabel) + page.findChildren(QAbstractButton)]
    for bar in page.findChildren(QTabBar):
        out += [bar.tabText(i) for i in range(bar.count())]
    for box in page.findChildren(QComboBox):
        out += [box.itemText(i) for i in range(box.count())]
        if box.lineEdit() is not None:
            out.append(box.lineEdit().placeholderText())
    for t in page.findChildren(QTableWidget):
        out += [t.horizontalHeaderItem(c).text() for c in range(t.columnCount()) if t.horizontalHeaderItem(c)]
        out += [t.item(r, c).text() for r in range(t.rowCount()) for c in range(t.columnCount()) if t.item(r, c)]
    out += [c.label for c in getattr(page, "charts", [])]
    return [x for x in out if x]


def labels(lang: str) -> dict[str, str]:
    sc = load_scenario(PPH).scenario
    return {"title": sc.title.get(lang), "midwife": next(r.label.get(lang) for r in sc.roles if r.id == "midwife"),
            **{i.id: i.label.get(lang) for i in sc.indicators}}


@pytest.fixture
def window(qtbot, db):
    w = MainWindow(SCENARIOS, archive_path=db, lang="en")
    qtbot.addWidget(w)
    yield w
    w.live.close()


def test_the_quality_dashboard_follows_a_language_switch(window):
    page = window.show_quality()
    assert isinstance(page, QualityDashboard) and page.scenario_id() == "pph_uterine_atony"
    shown = texts(page)
    for word in DASHBOARD_WORDS + (labels("en")["title"], labels("en")["warning_delay"]):
        assert any(word in t for t in shown), word
    rows = page.quarter_table.rowCount()

    for lang in ("zh_CN", "zh_TW", "en"):
        window.set_language(lang)
        page = window.stack.currentWidget()
        assert isinstance(page, QualityDashboard) and page.lang == lang
        shown = texts(page)
        words = labels(lang)
        assert page.scenario.currentText() == words["title"]
        assert words["warning_delay"] in [page.quarter_table.item(r, 1).text() for r in range(rows)]
        assert words["warning_delay"] in [c.label for c in page.charts]
        if lang == "en":
            assert all(any(w in t for t in shown) for w in DASHBOARD_WORDS)
            continue
        english = labels("en")
        left = [t for t in shown if any(w in t for w in DASHBOARD_WORDS + tuple(english.values()))]
        assert left == [], f"still in English after switching to {lang}"
        header = page.quarter_table.horizontalHeaderItem(0).text()
        assert CJK.search(header) and CJK.search(page.refresh_button.text())
        assert page.quarter_table.rowCount() == rows  # the same figures, in other words


def test_the_trainee_portfolio_follows_a_language_switch_and_keeps_the_trainee(window):
    page = window.show_portfolio()
    assert isinstance(page, TraineePortfolio)
    page.show_trainee("tr-t1")
    drills = page.shown_drill_ids()
    assert len(drills) == 2
    shown = texts(page)
    for word in PORTFOLIO_WORDS + (labels("en")["title"], labels("en")["midwife"], labels("en")["warning_delay"]):
        assert any(word in t for t in shown), word

    for lang in ("zh_TW", "zh_CN", "en"):
        window.set_language(lang)
        page = window.stack.currentWidget()
        assert isinstance(page, TraineePortfolio)
        assert page.shown_drill_ids() == drills  # the same trainee's drills
        shown = texts(page)
        words = labels(lang)
        t = page.drills_table
        headers = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
        assert words["warning_delay"] in headers
        assert {t.item(r, 1).text() for r in range(t.rowCount())} == {words["title"]}
        assert {t.item(r, 2).text() for r in range(t.rowCount())} == {words["midwife"]}
        assert page.scenario_table.item(0, 0).text() == words["title"]
        if lang == "en":
            assert all(any(w in s for s in shown) for w in PORTFOLIO_WORDS)
            continue
        english = labels("en")
        left = [s for s in shown if s in PORTFOLIO_WORDS + tuple(english.values())
                or any(w in s for w in ("ended", "signed", english["warning_delay"]))]
        assert left == [], f"still in English after switching to {lang}"
        status = headers.index({"zh_CN": "状态", "zh_TW": "狀態"}[lang])
        assert CJK.search(headers[0]) and CJK.search(t.item(0, status).text())  # date header, status
