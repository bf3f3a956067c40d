"""What the instructor reads around a logged action: the dose dialog says what each number is
and warns of this patient's contraindication before the drug is logged (never refusing it);
the setup form starts on the same variant as the library's run form and follows the conditions
ticked; the end of the drill says what happened to a critical item of something to avoid."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from simtool.core.drill import Participant, PatientParams
from simtool.store import Archive
from simtool.ui.console import ConsoleView, SetupForm
from simtool.ui.session import DrillSession

from helpers.paths import ROOT, SCENARIOS

TEAM = [Participant("t1", "Li Na", "midwife"), Participant("t2", "Wang Fang", "obstetrician"),
        Participant("t3", "Chen Jie", "anaesthetist")]


@pytest.fixture()
def archive(tmp_path):
    a = Archive.open(tmp_path / "a.sqlite")
    yield a
    a.close()


def console(qtbot, pph, archive, conditions):
    view = ConsoleView(DrillSession(pph, PatientParams(65, conditions), TEAM, archive))
    qtbot.addWidget(view)
    view.show()
    view.session.advance(700)
    return view


def test_carboprost_in_asthma_is_warned_of_before_it_is_logged_and_still_logged(qtbot, pph, archive):
    view = console(qtbot, pph, archive, ("asthma",))
    view.log_action("carboprost")
    dialog = view.dose_dialog
    assert dialog.warning_line.isVisible()
    text = dialog.warning_line.text()
    assert "Contraindicated for this patient (Asthma)" in text
    assert "bronchospasm" in text                       # the catalogue's own words
    assert not view.session.drill.flags()               # nothing logged yet
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()                               # a warning, never a refusal
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert [e.action for e in view.session.drill.actions_done()] == ["carboprost"]
    assert view.session.drill.flags()                   # and the drill flags it


def test_no_warning_without_the_condition_and_a_route_bound_one_follows_the_route(qtbot, pph, archive):
    view = console(qtbot, pph, archive, ())
    view.log_action("carboprost")
    assert view.dose_dialog.warning_line.isHidden()
    view.dose_dialog.reject()
    view = console(qtbot, pph, archive, ("cardiac_disease",))
    view.log_action("oxytocin")              # an IV push is contraindicated, an infusion is not
    dialog = view.dose_dialog
    dialog.route.setCurrentIndex(dialog.route.findData("IM"))
    assert dialog.warning_line.isHidden()
    dialog.route.setCurrentIndex(dialog.route.findData("IV"))
    assert dialog.warning_line.isVisible() and "IV push" in dialog.warning_line.text()
    dialog.reject()


def test_the_dose_dialog_says_what_each_number_is(qtbot, pph, archive):
    view = console(qtbot, pph, archive, ())
    view.log_action("carboprost")            # the catalogue gives a maximum and no minimum
    usual = view.dose_dialog.usual_line.text()
    assert usual == "Usual single dose, any route: up to 250 µg" and "—" not in usual
    view.dose_dialog.reject()
    view.log_action("oxytocin")              # 5–40 IU over every route; 10 IU IM for one dose
    dialog = view.dose_dialog
    dialog.route.setCurrentIndex(dialog.route.findData("IM"))
    assert dialog.usual_line.text() == "Usual single dose, any route: 5 – 40 IU"
    assert "at most 10 IU in one dose (IM)" in dialog.so_far_line.text()
    assert "at most 60 IU in all" in dialog.so_far_line.text()
    dialog.route.setCurrentIndex(dialog.route.findData("IV"))
    assert "at most 5 IU in one dose (IV injection)" in dialog.so_far_line.text()
    dialog.reject()


def test_setup_starts_on_the_run_forms_variant_and_follows_the_conditions(qtbot):
    from simtool.core.scenario import load_scenario
    from simtool.ui.runform import _VARIANT_ID, RunForm
    for path in sorted(SCENARIOS.glob("*.yaml")):
        if path.name == "actions.yaml":
            continue
        loaded = load_scenario(path)
        if not loaded.scenario.variants:
            continue
        run = RunForm()
        qtbot.addWidget(run)
        run.set_scenario(loaded, None, "en")
        form = SetupForm(loaded)
        qtbot.addWidget(form)
        assert form.variant.currentData() == run.variant.itemData(run.variant.currentIndex(), _VARIANT_ID), path
        assert form.variant.currentText() == run.variant.currentText(), path
    pph = load_scenario(SCENARIOS / "pph_uterine_atony.yaml")
    form = SetupForm(pph)
    qtbot.addWidget(form)
    assert form.variant.currentData() == "standard"               # "Healthy woman"
    form.conditions["asthma"].setChecked(True)
    assert form.variant.currentData() == "asthma"                 # "Asthma (avoid carboprost)"
    form.conditions["hypertension"].setChecked(True)
    assert form.variant.currentData() is None                     # no variant has both
    assert form.variant.currentText().startswith("Custom")
    form.conditions["asthma"].setChecked(False)
    assert form.variant.currentData() == "hypertension"
    form.variant.setCurrentIndex(form.variant.findData("glaucoma"))   # a variant brings its own
    assert [c for c, box in form.conditions.items() if box.isChecked()] == ["glaucoma"]
    assert form.variant.currentData() == "glaucoma"
    form.conditions["glaucoma"].setChecked(False)
    assert form.variant.currentData() == "standard"


def test_the_end_of_drill_says_the_drug_to_avoid_was_given(qtbot, pph, archive):
    from simtool.core.rubric import load_rubric
    from simtool.ui.archiveviews.endofdrill import EndOfDrillView
    session = DrillSession(pph, PatientParams(65, ("asthma",)), TEAM, archive)
    session.stop_clock()
    session.advance(700)
    session.act("carboprost", by="t2", dose=250, unit="µg", route="IM")
    session.advance(30)
    session.end()
    rubric = load_rubric(ROOT / "rubrics" / "pph_uterine_atony_technical.yaml",
                         archive.loaded(session.drill_id))
    view = EndOfDrillView(archive, session.drill_id, rubric)
    qtbot.addWidget(view)
    text = view.safety.text()
    assert "Critical item failed: Carboprost (15-methyl PGF2α) given at 11:40, against " \
           "“No contraindicated uterotonic" in text
    assert "missed: No contraindicated" not in text
    assert view.critical_badge.text().startswith("✗ Critical items failed: ")
