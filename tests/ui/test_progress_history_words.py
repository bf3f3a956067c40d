"""The progress view names what credited a trainee as the trainee knows it: the scenario or
skills station a signed sheet marked and the day it ran, a recorded exam result as such (with
its examiner when one was given) — never "score sheet e5ee3f44-a42c-…" or "exam result 1", as
a walkthrough found in the exams' history and the simulation's "Credited by"."""

from __future__ import annotations

import re
import shutil

import pytest

from simtool.app.logbook import record_exam
from simtool.store import Archive
from simtool.ui.progress import TraineeProgress

from helpers.progress import CLEARED_STAFF, STAFF, build_progress_archive

PPH = "pph_staff"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_progress_archive(tmp_path_factory.mktemp("progress-words"))


@pytest.fixture
def archive(db, tmp_path):
    copy = tmp_path / "progress.sqlite"
    shutil.copy(db, copy)
    a = Archive.open(copy, create=False)
    yield a
    a.close()


def column(table, col: int) -> list[str]:
    return [table.item(r, col).text() for r in range(table.rowCount())]


def test_the_exam_history_names_the_station_and_the_recorded_result(qtbot, archive):
    view = TraineeProgress(archive, "en")
    qtbot.addWidget(view)
    assert view.show_progress(CLEARED_STAFF, PPH)
    history = column(view.exam_table, 4)
    assert history == [
        "2026-03-02 pass (Skills station — uterine massage and bimanual compression on 2026-03-02)",
        "2026-03-01 pass (result recorded)"]
    credited = column(view.simulation_table, 5)
    assert credited == ["Postpartum haemorrhage — uterine atony after vaginal birth on 2026-03-02",
                        "Skills station — intrauterine balloon tamponade on 2026-03-02",
                        "Skills station — intraoperative cell salvage on 2026-03-02"]
    assert not any(UUID.search(x) or "score sheet" in x or "exam result" in x
                   for x in history + credited)


def test_a_result_recorded_with_its_examiner_names_them_in_chinese(qtbot, archive):
    record_exam(archive, STAFF, PPH, "written", "2026-03-02", "pass", examiner="王主任")
    view = TraineeProgress(archive, "zh_CN")
    qtbot.addWidget(view)
    assert view.show_progress(STAFF, PPH)
    history = column(view.exam_table, 4)
    assert any("技能考站——子宫按摩与双手压迫子宫" in x for x in history), history
    assert any(x.endswith("(result recorded, examiner 王主任)") for x in history), history
    assert not any(UUID.search(x) for x in history + column(view.simulation_table, 5))
