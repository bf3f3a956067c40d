"""The window: library with validation status, run form, results view, the error channel."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QTableWidget

from simtool.core.validate import validate_file
from simtool.core.errors import Problem, ScenarioError
from simtool.ui import app as ui_app
from simtool.ui.app import build_window, run_app, show_exception
from simtool.ui.window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
PPH = SCENARIOS / "pph_uterine_atony.yaml"
PPH_TITLE_ZH_CN = "产后出血——阴道分娩后子宫收缩乏力"

SCRIPT = """\
duration_s: 1800
participants:
  - {id: t1, name: Li Na, role: midwife}
actions:
  - {t: 60, action: oxytocin, dose: 10, unit: IU, route: IM, by: midwife}
  - {t: 90, action: call_for_help, by: t1}
  - {t: 120, action: oxytocin, dose: 50, unit: IU, route: IV, by: t1}
"""


@pytest.fixture
def window(qtbot) -> MainWindow:
    w = build_window(SCENARIOS)
    w.library.finish_check()  # checked in the background
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A private copy of the bundled scenario and catalogue, free to break."""
    shutil.copy(PPH, tmp_path / PPH.name)
    shutil.copy(SCENARIOS / "actions.yaml", tmp_path / "actions.yaml")
    return tmp_path


def texts(table: QTableWidget, col: int | None = None) -> list[str]:
    cols = range(table.columnCount()) if col is None else [col]
    return [table.item(r, c).text() for r in range(table.rowCount()) for c in cols
            if table.item(r, c) is not None]


def rows(table: QTableWidget) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def row_of(w: MainWindow, path: Path) -> int:
    for i, entry in enumerate(w.library.entries):
        if entry.path == path:
            return i
    raise AssertionError(f"{path} is not listed")


def select_pph(w: MainWindow, folder: Path = SCENARIOS) -> None:
    assert w.library.select_path(folder / PPH.name)
    assert w.library.pages.currentWidget() is w.library._details_page


def run(qtbot, w: MainWindow) -> None:
    qtbot.mouseClick(w.library.run_form.run_button, Qt.MouseButton.LeftButton)


# --- library --------------------------------------------------------------------------------

def test_the_bundled_pph_scenario_is_listed_as_valid(window: MainWindow) -> None:
    assert window.windowTitle() == "simtool"
    # 1280×800 or less, whole on the screen it opens on (offscreen: 800×800)
    avail = window.screen().availableGeometry().size()
    assert (window.width(), window.height()) == (min(1280, avail.width() - 16),
                                                 min(800, avail.height() - 40))
    tree = window.library.tree
    item = tree.topLevelItem(row_of(window, PPH))
    assert item.text(0) == "Postpartum haemorrhage — uterine atony after vaginal birth"
    assert item.text(1) == "1.0.0"
    assert item.text(2) == "✓ valid"
    catalogue = tree.topLevelItem(row_of(window, SCENARIOS / "actions.yaml"))
    assert catalogue.text(0) == "Action catalogue (actions.yaml)"
    assert catalogue.text(2).startswith("✓ valid · ")
    select_pph(window)
    html = window.library.details.toPlainText()
    assert "Learning objectives" in html and "Call for help and mobilise the team" in html
    assert "Midwife, Obstetrician, Anaesthetist, Nurse (optional)" in html
    assert "60 min" in html and "Hypertension (avoid ergometrine)" in html


def test_a_broken_scenario_shows_every_problem_as_file_line_field_message(
        qtbot, folder: Path) -> None:
    broken = folder / PPH.name
    text = broken.read_text(encoding="utf-8").replace("initial: postpartum_bleeding",
                                                      "initial: nowhere")
    broken.write_text(text, encoding="utf-8")
    line = text.splitlines().index("initial: nowhere") + 1
    (folder / "typo.yaml").write_text("states: [\n", encoding="utf-8")
    w = build_window(folder)
    w.library.finish_check()  # checked in the background
    qtbot.addWidget(w)

    item = w.library.tree.topLevelItem(row_of(w, broken))
    assert item.text(0) == "Postpartum haemorrhage — uterine atony after vaginal birth"
    assert item.text(2) == "✗ 1 problem"
    assert w.library.summary.text() == "1 of 3 files valid"
    w.library.select_path(broken)
    assert w.library.pages.currentWidget() is w.library._problems_page
    shown = w.library.problem_text.toPlainText()
    assert f"{broken}:{line}: initial: unknown state 'nowhere'" in shown
    # the window and `simtool validate` say the same thing
    assert shown == "\n".join(str(p) for p in validate_file(broken))
    assert w.library.problem_text.isReadOnly()
    assert w.library.problem_text.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse

    w.library.select_path(folder / "typo.yaml")
    assert f"{folder / 'typo.yaml'}:" in w.library.problem_text.toPlainText()
    assert "not valid YAML" in w.library.problem_text.toPlainText()


def test_reload_revalidates_files_changed_on_disk(qtbot, folder: Path) -> None:
    w = build_window(folder)
    w.library.finish_check()  # checked in the background
    qtbot.addWidget(w)
    path = folder / PPH.name
    assert w.library.tree.topLevelItem(row_of(w, path)).text(2) == "✓ valid"
    path.write_text(path.read_text(encoding="utf-8").replace("duration_s: 3600", "duration_s: -1"),
                    encoding="utf-8")
    w.reload_action.trigger()
    item = w.library.tree.topLevelItem(row_of(w, path))
    assert item.text(2).startswith("✗ ")
    assert "duration_s:" in w.library.problem_text.toPlainText()


def test_a_broken_catalogue_is_shown_with_its_problems(qtbot, folder: Path) -> None:
    cat = folder / "actions.yaml"
    cat.write_text(cat.read_text(encoding="utf-8").replace("category: uterotonic",
                                                           "category: magic", 1),
                   encoding="utf-8")
    w = build_window(folder)
    w.library.finish_check()  # checked in the background
    qtbot.addWidget(w)
    w.library.select_path(cat)
    assert w.library.tree.topLevelItem(row_of(w, cat)).text(2).startswith("✗ ")
    assert "unknown category 'magic'" in w.library.problem_text.toPlainText()
    assert "Every scenario that uses this catalogue" in w.library.problem_intro.text()


def test_switching_language_shows_the_scenario_texts_in_that_language(window: MainWindow) -> None:
    select_pph(window)
    window.set_language("zh_CN")
    assert window.library.tree.topLevelItem(row_of(window, PPH)).text(0) == PPH_TITLE_ZH_CN
    assert PPH_TITLE_ZH_CN in window.library.details.toPlainText()
    assert window.library.run_form.variant.itemText(0) == "健康产妇"
    window.set_language("zh_TW")
    assert window.library.tree.topLevelItem(row_of(window, PPH)).text(0) == "產後出血——陰道分娩後子宮收縮乏力"
    window.set_language("en")
    assert window.library.tree.topLevelItem(row_of(window, PPH)).text(0).startswith("Postpartum")


# --- run form -------------------------------------------------------------------------------

def test_the_run_form_offers_the_scenarios_patient_options(window: MainWindow) -> None:
    select_pph(window)
    form = window.library.run_form
    assert (form.weight.minimum(), form.weight.maximum(), form.weight.value()) == (40, 150, 65)
    form.weight.setValue(500)
    assert form.weight.value() == 150
    # every condition the PPH rules name can be chosen (issue 18)
    assert [box.text() for box in form._checks.values()] == \
        ["Asthma", "Hypertension", "Pre-eclampsia", "Cardiac disease", "Glaucoma"]
    assert form.script.itemText(0) == "No actions — untreated course"
    form.variant.setCurrentIndex(1)
    form.variant.activated.emit(1)  # as when the user picks "Asthma (avoid carboprost)"
    assert form.checked_conditions() == ("asthma",)
    form._checks["hypertension"].setChecked(True)
    assert form.variant.currentText().startswith("Custom")


def test_scripts_in_the_scenarios_scripts_folder_are_offered(qtbot, folder: Path) -> None:
    scripts = folder / "scripts" / "pph_uterine_atony"
    scripts.mkdir(parents=True)
    (scripts / "good_care.yaml").write_text(SCRIPT, encoding="utf-8")
    w = build_window(folder)
    w.library.finish_check()  # checked in the background
    qtbot.addWidget(w)
    select_pph(w, folder)
    form = w.library.run_form
    items = [form.script.itemText(i) for i in range(form.script.count())]
    assert items == ["No actions — untreated course", "good care"]


def test_choose_script_file_uses_a_file_dialog(window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    script = tmp_path / "team_a.yaml"
    script.write_text(SCRIPT, encoding="utf-8")
    monkeypatch.setattr("simtool.ui.runform.QFileDialog.getOpenFileName",
                        lambda *a, **k: (str(script), ""))
    select_pph(window)
    form = window.library.run_form
    form.choose_button.click()
    assert form.script.currentText() == "team a"
    assert form.script_info.text() == "3 timed actions by 1 participants over 30 min."


def test_a_bad_script_shows_its_problems_beside_the_form_and_runs_nothing(
        qtbot, window: MainWindow, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SCRIPT.replace("action: call_for_help", "action: call_for_hlep"), encoding="utf-8")
    select_pph(window)
    form = window.library.run_form
    form.add_script(bad)
    assert form.problems.isVisible()
    line = bad.read_text(encoding="utf-8").splitlines().index(
        "  - {t: 90, action: call_for_hlep, by: t1}") + 1
    assert f"{bad}:{line}: actions[1].action: unknown action 'call_for_hlep'" in \
        form.problems.toPlainText()
    run(qtbot, window)
    assert window.stack.currentWidget() is window.library
    assert form.problems_label.text() == "1 problem in this script"


# --- results --------------------------------------------------------------------------------

def test_an_untreated_run_ends_badly_and_misses_the_expected_actions(
        qtbot, window: MainWindow) -> None:
    select_pph(window)
    run(qtbot, window)
    results = window.results
    assert window.stack.currentWidget() is results
    data = results.run.data
    assert data["outcome"]["result"] != "stabilised"
    assert not results.outcome.text().startswith("Stabilised")
    # the banner names the final state by its label, not its id
    final = data["outcome"]["state"]
    assert PPH_LABELS[final] in results.outcome.text()
    assert "Blood loss" in results.outcome_detail.text()
    statuses = texts(results.expected_table, 1)
    assert "missed" in statuses and "met" not in statuses
    assert texts(results.expected_table, 0)[0] == "Call for help"
    # every state entered is listed with its time
    assert texts(results.states_table, 0)[0] == "00:00"
    assert texts(results.states_table, 1) == [PPH_LABELS[s["state"]] for s in data["states"]]
    # why each state was entered, in the scenario's words for the transition
    assert texts(results.states_table, 3)[:2] == ["start of the drill", "PPH recognised (condition met)"]
    assert results.flags_table.rowCount() == 0
    assert results.chart.samples and len(results.chart.bands) == len(data["states"])
    assert "Script: No actions — untreated course" in results.subtitle.text()


def test_a_scripted_run_shows_its_actions_flags_and_scores(
        qtbot, window: MainWindow, tmp_path: Path) -> None:
    script = tmp_path / "team_a.yaml"
    script.write_text(SCRIPT, encoding="utf-8")
    select_pph(window)
    window.library.run_form.add_script(script)
    run(qtbot, window)
    results = window.results
    assert window.stack.currentWidget() is results
    log = rows(results.events_table)
    assert ["01:00", "Oxytocin", "Li Na (Midwife)", "10 IU · IM"] in log
    assert ["01:30", "Call for help", "Li Na (Midwife)", ""] in log
    assert any(r[0] == "02:00" and r[1].startswith("⚑ Flag on Oxytocin") for r in log)
    flags = rows(results.flags_table)
    assert flags and flags[0][:2] == ["02:00", "Oxytocin"]
    assert "40 IU" in flags[0][3]
    assert results.tabs.tabText(1) == f"Flags ({len(flags)})"
    expected = dict(zip(texts(results.expected_table, 0), texts(results.expected_table, 1),
                        strict=True))
    # the oxytocin at 1:00 and 2:00 came before the bleed was recognised (at 500 mL): a
    # prophylactic dose is not the treatment, so the 5-minute expectation is missed; the call
    # for help before the trigger is early recognition and counts
    assert expected["Uterotonic within 5 min"] == "missed"
    assert expected["Call for help"] == "met"
    assert results.chart.describe(60).startswith("01:00 — ")


def test_results_follow_the_language_and_back_returns_to_the_library(
        qtbot, window: MainWindow) -> None:
    select_pph(window)
    run(qtbot, window)
    window.set_language("zh_CN")
    assert window.results.title.text() == PPH_TITLE_ZH_CN
    assert texts(window.results.expected_table, 0)[0] == "呼救"
    qtbot.mouseClick(window.results.back_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.library


PPH_LABELS = {
    "postpartum_bleeding": "Bleeding after birth",
    "pph_detected": "PPH — first response",
    "refractory_bleeding": "Refractory bleeding",
    "massive_haemorrhage": "Massive haemorrhage",
    "theatre": "In theatre",
    "bleeding_controlled": "Bleeding controlled",
    "deterioration": "Haemorrhagic shock",
    "cardiac_arrest": "Maternal cardiac arrest (PEA)",
    "rosc": "Return of spontaneous circulation",
    "death": "Death",
}


# --- the error channel and start-up ---------------------------------------------------------

@pytest.fixture
def boxes(monkeypatch) -> list[QMessageBox]:
    shown: list[QMessageBox] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return shown


def test_show_exception_explains_file_problems_in_a_message_box(qtbot, boxes) -> None:
    exc = ScenarioError([Problem("pph.yaml", 12, "states[2].to", "unknown state 'x'")])
    show_exception(None, exc)
    assert len(boxes) == 1
    assert boxes[0].icon() == QMessageBox.Icon.Critical
    assert "pph.yaml:12: states[2].to: unknown state 'x'" in boxes[0].informativeText()


def test_show_exception_for_a_bug_keeps_the_traceback_under_details(qtbot, boxes) -> None:
    try:
        raise KeyError("hr")
    except KeyError as exc:
        show_exception(None, exc)
    assert "Something went wrong" in boxes[0].text()
    assert "KeyError: 'hr'" in boxes[0].informativeText()
    assert "Traceback" in boxes[0].detailedText()


def test_run_app_shows_the_window_and_routes_uncaught_errors_to_a_message_box(
        qtbot, boxes, monkeypatch, capsys) -> None:
    seen: dict[str, object] = {}
    before = sys.excepthook

    def fake_exec(*_args: object) -> int:
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        seen["windows"] = windows
        for w in windows:
            qtbot.addWidget(w)
        sys.excepthook(RuntimeError, RuntimeError("boom"), None)
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    assert run_app(str(SCENARIOS)) == 0
    assert len(seen["windows"]) == 1
    assert QApplication.applicationName() == "simtool"
    assert [b.informativeText() for b in boxes] == ["RuntimeError: boom"]
    assert sys.excepthook is before  # the hook is the app's, not left behind
    assert "RuntimeError: boom" in capsys.readouterr().err


def test_run_app_reports_a_failure_to_start_instead_of_crashing(qtbot, boxes, monkeypatch) -> None:
    def broken(*_args: object) -> MainWindow:
        raise OSError(13, "Permission denied", "/nowhere")

    monkeypatch.setattr(ui_app, "build_window", broken)
    assert run_app("/nowhere") == 1
    assert boxes[0].text() == "Could not read or write /nowhere: Permission denied"


def test_a_failure_to_start_is_told_in_the_saved_language(qtbot, boxes, monkeypatch) -> None:
    from simtool.ui import translations

    def broken(*_args: object) -> MainWindow:
        raise OSError(13, "Permission denied", "/nowhere")

    monkeypatch.setattr(ui_app, "build_window", broken)
    QApplication.instance().setOrganizationName("simtool")  # as run_app names it
    translations.save_language("zh_TW")
    try:
        assert run_app("/nowhere") == 1
        assert boxes[0].text().startswith("無法") and "/nowhere" in boxes[0].text()
    finally:
        translations.install_translator(QApplication.instance(), "en")


def test_the_results_chart_survives_many_repaints(window: MainWindow) -> None:
    # PySide6 6.12 on CPython 3.11 dropped a reference to None per void call and aborted the
    # interpreter after a few dozen repaints; pyproject.toml pins below it. This would crash.
    select_pph(window)
    window.library.run_form.run_button.click()
    for _ in range(50):
        window.results.chart.repaint()
    assert window.results.chart.isVisible()


def test_the_bundled_cjk_font_is_registered_and_covers_the_scenario_titles(window: MainWindow) -> None:
    from PySide6.QtGui import QFont, QFontMetrics

    from simtool.ui.fonts import register_fonts
    families = register_fonts()
    assert "Droid Sans Fallback" in families
    metrics = QFontMetrics(QFont("Droid Sans Fallback"))
    entry = next(e for e in window.library.entries if e.loaded is not None)
    for lang in ("zh_CN", "zh_TW"):
        title = entry.loaded.scenario.title.get(lang)
        assert all(metrics.inFontUcs4(ord(ch)) for ch in title if not ch.isspace()), (lang, title)


def test_the_run_form_plays_the_chosen_variant(window: MainWindow) -> None:
    assert window.library.select_path(SCENARIOS / "last_nerve_block.yaml")
    form = window.library.run_form
    index = next(i for i in range(form.variant.count())
                 if form.variant.itemData(i, Qt.ItemDataRole.UserRole + 1) == "cv_only")
    form.variant.setCurrentIndex(index)
    form.run_button.click()
    states = [s["state"] for s in window.results.run.data["states"]]
    assert window.results.run.request.patient.variant == "cv_only"
    assert "seizure" not in states  # the cardiovascular-only course skips the seizure
