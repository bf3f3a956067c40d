"""Crash recovery: a drill whose simtool died is reported interrupted, and resuming it replays
the stored inputs to the same state and vitals, to the bit, and carries on recording."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap

import pytest

from simtool.core.drill import Drill
from simtool.core.events import Event
from simtool.core.runner import sample
from simtool.core.scenario import load_scenario
from simtool.store.errors import ArchiveError

from helpers.archive import PATIENT, TEAM, play, start_recorded
from helpers.paths import PPH, ROOT, SCENARIOS

CHILD = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {tests!r})
    from helpers.archive import play, start_recorded
    from helpers.paths import PPH
    from simtool.core.scenario import load_scenario
    from simtool.store.archive import Archive
    archive = Archive.open({path!r})
    drill_id, drill = start_recorded(archive, load_scenario(PPH))
    play(drill, archive, drill_id, until=905)  # tranexamic acid 2 g at 870 s raises flags
    print(drill_id, flush=True)
    sys.stdin.readline()
    os._exit(3)   # dies without closing anything, like a crash
""")


def test_a_crashed_drill_is_interrupted_and_resumes_to_the_same_state_and_vitals(tmp_path, open_archive, pph):
    path = tmp_path / "archive.sqlite"
    code = CHILD.format(tests=str(ROOT / "tests"), path=str(path))
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        drill_id = child.stdout.readline().strip()
        archive = open_archive()
        assert archive.drill(drill_id).status == "running"  # its simtool is alive
        with pytest.raises(ArchiveError, match=r"still running in another simtool \(pid \d+"):
            archive.resume(drill_id, pph)
    finally:
        child.stdin.write("exit\n")
        child.stdin.close()
        child.stdout.close()
        assert child.wait(timeout=30) == 3
    info = archive.drill(drill_id)
    assert (info.status, info.stored_status) == ("interrupted", "running")
    assert [d.id for d in archive.drills(status="interrupted")] == [drill_id]

    reference = Drill(pph, PATIENT, TEAM)
    play(reference, until=905)
    reference.advance_to(905)
    assert any(e.kind == "flag" for e in reference.events)
    resumed = archive.resume(drill_id, pph)
    assert resumed.t == reference.t == 905.0
    assert resumed.state == reference.state
    assert resumed.vitals() == reference.vitals()
    assert resumed.physiology.state() == reference.physiology.state()
    assert resumed.events == reference.events == archive.events(drill_id)
    stored = archive.vitals(drill_id)
    assert stored[-1] == sample(reference) and len(stored) == 181
    info = archive.drill(drill_id)
    assert info.status == "running" and info.owner.pid != child.pid

    # it carries on, recorded, and stays the same drill as one never interrupted
    for d in (resumed, reference):
        d.advance_to(1000)
        d.act("bimanual_compression", by="t2")
        d.act("tranexamic_acid", by="t3", dose=2, unit="g", route="IV")
        d.advance_to(1300)
    archive.append_vitals(drill_id, sample(resumed))
    assert resumed.state == reference.state and resumed.vitals() == reference.vitals()
    assert archive.events(drill_id) == resumed.events == reference.events
    assert [e.rule for e in archive.events(drill_id) if e.kind == "flag" and e.t == 1000] == \
        ["dose_range", "min_interval", "max_single"]
    assert archive.verify() == []


def test_resume_stores_the_derived_events_a_crash_cut_off(archive, pph):
    drill_id = archive.start_drill(pph, PATIENT, TEAM)
    drill = Drill(pph, PATIENT, TEAM)
    play(drill, until=880)
    txa = next(e for e in drill.events if e.action == "tranexamic_acid" and e.kind == "action")
    for e in drill.events[:txa.seq + 1]:  # killed after the action, before its flags
        archive.append_event(drill_id, e)
    resumed = archive.resume(drill_id, pph, record=False)
    assert [e.kind for e in resumed.events[txa.seq + 1:]] == ["flag"] * 2
    assert archive.events(drill_id) == resumed.events[:len(archive.events(drill_id))]
    assert [e.seq for e in archive.events(drill_id)] == list(range(txa.seq + 3))


def test_resume_uses_the_scenario_text_the_drill_started_with(archive, pph, tmp_path):
    drill_id, drill = start_recorded(archive, pph)
    play(drill, archive, drill_id, until=800)
    edited = tmp_path / "edited"
    edited.mkdir()
    shutil.copy(SCENARIOS / "actions.yaml", edited / "actions.yaml")
    (edited / PPH.name).write_text(pph.text + "\n# edited after the drill\n", encoding="utf-8")
    changed = load_scenario(edited / PPH.name)
    assert changed.text != pph.text
    assert archive.scenario_for(drill_id, changed).text == pph.text
    assert archive.scenario_for(drill_id, pph) is pph
    resumed = archive.resume(drill_id, changed, record=False)
    assert resumed.events == drill.events and resumed.vitals() == drill.vitals()


def test_a_record_the_engine_does_not_reproduce_is_not_resumed(archive, pph):
    drill_id, drill = start_recorded(archive, pph)
    drill.tick(100)
    archive.append_event(drill_id, Event(len(drill.events), 100.0, "flag", action="oxytocin",
                                         text="invented", rule="dose_range"))
    with pytest.raises(ArchiveError, match="does not replay to its record at event 2"):
        archive.resume(drill_id, pph)


def test_an_ended_drill_is_not_resumed(archive, pph):
    drill_id, drill = start_recorded(archive, pph)
    drill.end()
    with pytest.raises(ArchiveError, match="has ended"):
        archive.resume(drill_id, pph)


def test_a_drill_recorded_before_flags_were_codes_resumes_whatever_its_language(archive, pph):
    """Issue 24: an archive written by an earlier simtool holds each flag's words, in the
    language that drill ran in (here 简体中文), and no numbers. Such a drill, interrupted, resumes;
    its old flags read as they were written; the flags it raises after read in any language."""
    import dataclasses

    from simtool.core.flagtext import flag_text
    drill_id = archive.start_drill(pph, PATIENT, TEAM)
    drill = Drill(pph, PATIENT, TEAM)
    play(drill, until=905)  # tranexamic acid 2 g at 870 s raises flags
    worded = {"dose_range": "氨甲环酸 2 g is outside the usual range 0–1 g",
              "max_single": "氨甲环酸 2 g 超过单次剂量上限 1 g"}
    old = [dataclasses.replace(e, values=None, text=worded[e.rule]) if e.kind == "flag" else e
           for e in drill.events]
    assert sum(e.kind == "flag" for e in old) == 2
    for e in old:
        archive.append_event(drill_id, e)

    resumed = archive.resume(drill_id, pph, record=True)
    assert resumed.t == 870.0 and archive.verify() == []
    stored = archive.events(drill_id)
    assert stored == old  # the record is not rewritten
    assert [flag_text(pph, e, "en") for e in stored if e.kind == "flag"] == list(worded.values())
    resumed.advance_to(1000)
    resumed.act("tranexamic_acid", by="t3", dose=2, unit="g", route="IV")
    new = [e for e in archive.events(drill_id) if e.kind == "flag" and e.t == 1000]
    assert [e.rule for e in new] == ["dose_range", "min_interval", "max_single"]
    assert all(e.text is None and e.values for e in new)
    assert flag_text(pph, new[0], "zh_CN").startswith("氨甲环酸 2 g") and \
        flag_text(pph, new[0], "en").startswith("Tranexamic acid 2 g")
    assert archive.verify() == []
    # a flag whose rule does not match what the engine raises now is still refused
    other = archive.start_drill(pph, PATIENT, TEAM)
    for e in old:
        archive.append_event(other, dataclasses.replace(e, rule="max_total") if e.kind == "flag" else e)
    with pytest.raises(ArchiveError, match="does not replay to its record at event"):
        archive.resume(other, pph)
