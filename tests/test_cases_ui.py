"""The window's "Real case…" page: a timeline typed row by row or imported from a file is kept
as a real case (listed below the form), a refused one shows its problems and keeps nothing."""

from __future__ import annotations

import pytest

from simtool.store import Archive
from simtool.store.cases import cases


@pytest.fixture
def view(qtbot, tmp_path):
    from simtool.ui.cases import RealCaseView
    archive = Archive.open(tmp_path / "a.sqlite")
    page = RealCaseView(archive, "en")
    qtbot.addWidget(page)
    page.scenario.setCurrentIndex(page.scenario.findData("pph_uterine_atony"))
    yield page
    archive.close()


def fill(page, rows):
    page.table.setRowCount(0)
    for r in rows:
        page.add_row(r)


def test_a_typed_timeline_is_kept_as_a_real_case_and_listed(view):
    fill(view, [{"t": "12:40", "action": "call_for_help", "by": "midwife"},
                {"t": "13:10", "action": "oxytocin", "dose": "10", "unit": "IU", "route": "IM",
                 "by": "midwife"}])
    view.site.setText("Lab A")
    view.department.setText("产科")
    view.case_ref.setText("PPH-2025-014")
    kept = view.keep()
    assert kept is not None and kept.case_ref == "PPH-2025-014"
    assert "Kept as real case PPH-2025-014" in view.result.text() and not view.problems.text()
    stored = cases(view.archive)
    assert [(c["case_ref"], c["site"], c["department"]) for c in stored] == [("PPH-2025-014", "Lab A", "产科")]
    assert [e["by"] for e in stored[0]["timeline"]] == ["midwife", "midwife"]
    warning = next(i for i in kept.indicators if i["id"] == "warning_delay")
    assert warning["met"] is True
    assert view.cases.rowCount() == 1 and view.cases.item(0, 1).text() == "PPH-2025-014"
    # entered by mistake: withdrawn from the list, kept in the record, counted nowhere
    assert not view.withdraw_button.isEnabled()
    view.cases.selectRow(0)
    assert view.withdraw_button.isEnabled()
    assert view.withdraw_selected("  ") is None and "reason" in view.problems.text()
    assert view.withdraw_selected("wrong scenario") is not None
    assert "withdrawn" in view.result.text() and view.cases.rowCount() == 0
    assert cases(view.archive) == [] and len(cases(view.archive, withdrawn=True)) == 1


def test_a_refused_case_shows_why_and_keeps_nothing(view):
    fill(view, [{"t": "1:00", "action": "magic_spell", "by": "midwife"}])
    assert view.keep() is None
    assert "entered timeline:1: actions[0].action: unknown action 'magic_spell'" in view.problems.text()
    fill(view, [{"t": "1:00", "action": "call_for_help", "by": "midwife"}])
    view.case_ref.setText("张三")
    assert view.keep() is None and "case reference" in view.problems.text()
    assert cases(view.archive) == [] and view.cases.rowCount() == 0


def test_a_file_is_imported_with_the_form_s_fields(view, tmp_path):
    path = tmp_path / "case.csv"
    path.write_text("t,action,by\n12:40,call_for_help,midwife\n20:00,end,\n", encoding="utf-8")
    view.department.setText("Obstetrics")
    kept = view.import_file(str(path))
    assert kept is not None
    assert [(c["department"], c["duration_s"]) for c in cases(view.archive)] == [("Obstetrics", 1200.0)]


def test_the_window_opens_the_page_from_its_toolbar(qtbot, tmp_path):
    from simtool.ui.cases import RealCaseView
    from simtool.ui.window import MainWindow
    from simtool.core.paths import scenarios_dir
    window = MainWindow(scenarios_dir(), archive_path=tmp_path / "w.sqlite", lang="en")
    qtbot.addWidget(window)
    assert window.cases_action in window.toolbar.actions()
    window.cases_action.trigger()
    assert isinstance(window.stack.currentWidget(), RealCaseView)
    window.close()


def test_a_language_switch_keeps_what_was_typed(qtbot, tmp_path):
    from simtool.core.paths import scenarios_dir
    from simtool.ui.cases import RealCaseView
    from simtool.ui.window import MainWindow
    window = MainWindow(scenarios_dir(), archive_path=tmp_path / "w.sqlite", lang="en")
    qtbot.addWidget(window)
    page = window.show_cases()
    fill(page, [{"t": "12:40", "action": "call_for_help", "by": "midwife"}])
    page.department.setText("产科")
    page.case_ref.setText("PPH-7")
    window.set_language("zh_CN")
    again = window.stack.currentWidget()
    assert isinstance(again, RealCaseView) and again is not page
    assert again.rows()[0] == {"t": "12:40", "action": "call_for_help", "dose": "", "unit": "",
                               "route": "", "by": "midwife"}
    assert (again.department.text(), again.case_ref.text()) == ("产科", "PPH-7")
    assert again.scenario.currentData() == "pph_uterine_atony"
    window.close()
