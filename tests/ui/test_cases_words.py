"""The Real case page speaks to a clinician, not to the command line: the list of kept cases
says where their indicators are seen in the window (there, per case; the Quality and PDCA
pages count drills only) instead of "stats indicators --source cases", and each kept case's
row lists its indicators — label, time, target, met or not."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from simtool.store import Archive


@pytest.fixture
def view(qtbot, tmp_path):
    from simtool.ui.cases import RealCaseView
    archive = Archive.open(tmp_path / "a.sqlite")
    page = RealCaseView(archive, "en")
    qtbot.addWidget(page)
    page.scenario.setCurrentIndex(page.scenario.findData("pph_uterine_atony"))
    yield page
    archive.close()


def test_the_kept_list_says_where_its_indicators_are_seen_not_a_command(view):
    words = " ".join(label.text() for label in view.findChildren(QLabel))
    assert "--source" not in words and "stats indicators" not in words
    assert "Real cases kept, each with its indicators met" in words
    assert "The Quality and PDCA pages count drills only" in words


def test_a_kept_case_lists_its_indicators_on_its_row(view):
    view.table.setRowCount(0)
    view.add_row({"t": "12:40", "action": "call_for_help", "by": "midwife"})
    view.add_row({"t": "13:10", "action": "oxytocin", "dose": "10", "unit": "IU", "route": "IM",
                  "by": "midwife"})
    view.case_ref.setText("PPH-2025-014")
    assert view.keep() is not None
    tip = view.cases.item(0, 5).toolTip()
    assert view.cases.item(0, 0).toolTip() == tip     # the whole row says it
    lines = tip.splitlines()
    assert any(x.startswith("Warning delay (detection to call for help): ") and x.endswith(" — met")
               for x in lines), tip
    assert any(x.startswith("Time to tranexamic acid: not done (target ") for x in lines), tip
    assert any(x.endswith(": did not apply") for x in lines), tip
    assert "warning_delay" not in tip                  # labels, not ids
