"""Filling a scoring panel's sheet the way an examiner would, so that it can be signed."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox


def complete(panel, key: str) -> None:
    """Mark every examiner item still open (done, or the top level), give the global rating
    and rate every block element and overall rating on the ``key`` sheet — through the
    widgets, as a person would."""
    tab = panel.tabs_by_key[key]
    for item_id, widget in tab.mark_widgets.items():
        if isinstance(widget, QComboBox) and widget.currentData() is None:
            values = [widget.itemData(i) for i in range(widget.count())]
            numbers = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
            widget.setCurrentIndex(widget.findData(max(numbers) if numbers else True))
    if tab.grade.isEnabled() and tab.grade.currentData() is None and tab.grade.count() > 1:
        tab.grade.setCurrentIndex(tab.grade.count() - 2)
    for block in tab.blocks.values():
        for box in block.boxes.values():
            if box.currentData() is None:
                box.setCurrentIndex(1)
    assert panel.missing(key) == [], panel.missing(key)


def recorded_last_drill(path):
    """The LAST good-care drill (70 kg), ended, in a fresh archive at ``path``, each
    participant a trainee with a staff id; (drill id, the played drill)."""
    from simtool.core.drill import PatientParams
    from simtool.core.runner import run_script
    from simtool.core.scenario import load_scenario
    from simtool.core.script import load_script
    from simtool.store import Archive, Trainee

    from helpers.paths import ROOT, SCENARIOS
    last = load_scenario(SCENARIOS / "last_nerve_block.yaml")
    script = ROOT / "tests" / "scripts" / "last_nerve_block" / "good_care.yaml"
    drill, _ = run_script(last, load_script(script, last), PatientParams(70.0))
    with Archive.open(path) as archive:
        did = archive.start_drill(last, drill.patient, drill.participants, "summative",
                                  trainees={p.id: Trainee(p.name, f"S{i}")
                                            for i, p in enumerate(drill.participants)})
        for e in drill.events:
            archive.append_event(did, e)
        archive.end_drill(did)
    return did, drill
