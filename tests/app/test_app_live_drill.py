"""The live drill is one use case under every face: the window's session, the command line's
``run`` and a plain-Python adapter (standing in for the exam server) record the same drill to
the same record. And what only the application layer decides: the setup rule, the vitals
schedule, the undo window."""

from __future__ import annotations

import re

import pytest

from simtool.app.live import UNDO_WINDOW_S, LiveDrill, SetupError
from simtool.cli import main
from simtool.core.drill import Participant, PatientParams
from simtool.core.events import INPUT_KINDS
from simtool.core.runner import played_order
from simtool.core.script import ScriptForce, load_script
from simtool.store import Archive

from helpers.paths import PPH, SCRIPTS

# the late-care drill with 2 g of tranexamic acid (flagged), ended 2 s after a vitals boundary
# (its last moment is stored too)
LATE = (SCRIPTS / "late_care.yaml").read_text(encoding="utf-8")


@pytest.fixture()
def script_file(tmp_path):
    path = tmp_path / "late_3602.yaml"
    text = re.sub(r"(?m)^duration_s: 3600$", "duration_s: 3602", LATE)
    text = text.replace("action: tranexamic_acid, dose: 1, unit: g", "action: tranexamic_acid, dose: 2, unit: g")
    assert "duration_s: 3602" in text and "dose: 2, unit: g" in text
    path.write_text(text, encoding="utf-8")
    return path


def _people(script):
    return [Participant(p.id, p.name, p.role) for p in script.participants]


def _play(script, act, force, advance_to, end) -> None:
    """Feed a script to a face by hand, as an instructor clicking at those moments would."""
    for _path, item in played_order(script):
        advance_to(item.t)
        if isinstance(item, ScriptForce):
            force(item.force, item.reason)
        else:
            act(item.action, by=item.by, dose=item.dose, unit=item.unit, route=item.route,
                text=item.note)
    advance_to(script.duration_s)
    end()


def _record(db):
    """What the archive holds of its one drill, without ids and wall times."""
    with Archive.open(db) as archive:
        (info,) = archive.drills()
        events = [e.to_dict() for e in archive.events(info.id)]
        # each input carries the wall time it was entered at; derived events carry none
        assert all(("wall" in e) == (e["kind"] in INPUT_KINDS) for e in events)
        for e in events:
            e.pop("wall", None)
        return (events, archive.vitals(info.id),
                info.status, info.evaluation_type)


def test_the_window_the_command_line_and_a_plain_adapter_record_the_same_drill(qtbot, pph, script_file,
                                                                               tmp_path):
    from simtool.ui.session import DrillSession

    script = load_script(script_file, pph)
    patient = PatientParams(65.0)

    # the command line
    cli_db = tmp_path / "cli.sqlite"
    assert main(["run", str(PPH), "--script", str(script_file), "--archive", str(cli_db), "--json"]) == 0

    # the window's session, moved on by its timer's step
    qt_db = tmp_path / "qt.sqlite"
    with Archive.open(qt_db) as archive:
        session = DrillSession(pph, patient, _people(script), archive)
        _play(script, session.act, session.force, lambda t: session.advance(t - session.t), session.end)

    # a plain adapter: the use case itself, as an exam server would drive it
    app_db = tmp_path / "app.sqlite"
    with Archive.open(app_db) as archive:
        live = LiveDrill.start(pph, patient, _people(script), archive)
        _play(script, live.act, live.force, live.advance_to, live.end)

    cli, qt, app = _record(cli_db), _record(qt_db), _record(app_db)
    events, vitals, status, kind = app
    assert cli == qt == app
    assert status == "ended" and kind == "formative"
    assert [v["t"] for v in vitals] == [5.0 * i for i in range(721)] + [3602.0]
    assert any(e["kind"] == "flag" for e in events) and events[-1]["kind"] == "end"


def test_a_summative_drill_without_an_examiner_is_not_started(pph, tmp_path):
    db = tmp_path / "a.sqlite"
    with Archive.open(db) as archive:
        with pytest.raises(SetupError, match="a summative drill needs at least one examiner"):
            LiveDrill.start(pph, PatientParams(65.0), [Participant("t1", "Li Na", "midwife")], archive,
                            evaluation_type="summative", examiners=("  ",))
        assert archive.drills() == []
        live = LiveDrill.start(pph, PatientParams(65.0), [Participant("t1", "Li Na", "midwife")], archive,
                               evaluation_type="high-stakes", examiners=("Dr Zhou", "Dr Zhou "))
        assert archive.drill(live.drill_id).evaluation_type == "high-stakes"
    from helpers.archive import raw
    with raw(db) as c:
        assert [r[0] for r in c.execute("SELECT name FROM examiners")] == ["Dr Zhou"]


def test_the_command_line_refuses_a_summative_run_without_an_examiner(tmp_path, capsys):
    db = tmp_path / "a.sqlite"
    script = SCRIPTS / "late_care.yaml"
    assert main(["run", str(PPH), "--script", str(script), "--archive", str(db),
                 "--evaluation-type", "summative"]) != 0
    err = capsys.readouterr().err
    assert "a summative drill needs at least one examiner" in err and "Traceback" not in err
    with Archive.open(db) as archive:
        assert archive.drills() == []
    assert main(["run", str(PPH), "--script", str(script), "--archive", str(db), "--json",
                 "--evaluation-type", "summative", "--examiner", "Dr Zhou"]) == 0
    with Archive.open(db) as archive:
        (info,) = archive.drills()
        assert info.evaluation_type == "summative" and info.status == "ended"


def test_the_last_action_can_be_undone_for_exactly_ten_seconds(pph):
    live = LiveDrill.start(pph, PatientParams(65.0), [Participant("t1", "Li Na", "midwife")])
    live.advance_to(100)
    event = live.act("uterine_massage", by="t1")
    assert live.last_actor == "t1"
    live.advance(UNDO_WINDOW_S)
    assert live.undoable() == event
    live.advance(0.001)
    assert live.undoable() is None and live.undo_last() is None
    live.act("call_for_help", by="t1")
    live.advance(UNDO_WINDOW_S)
    retraction = live.undo_last("wrong button")
    assert retraction is not None and retraction.kind == "retract" and retraction.text == "wrong button"
    assert [e.action for e in live.drill.actions_done()] == ["uterine_massage"]


def test_vitals_are_stored_at_each_boundary_and_at_the_end_not_while_paused(pph, tmp_path):
    db = tmp_path / "a.sqlite"
    with Archive.open(db) as archive:
        live = LiveDrill.start(pph, PatientParams(65.0), [Participant("t1", "Li Na", "midwife")], archive)
        live.advance(12.5)
        live.pause()
        live.advance(100)                    # the clock stands still while paused
        assert live.t == 12.5
        live.carry_on()
        live.advance(2.5)                    # to 15 s: a boundary, stored once
        live.end()                           # its last moment is that boundary: not stored twice
        live.advance(30)
        assert [v["t"] for v in archive.vitals(live.drill_id)] == [0.0, 5.0, 10.0, 15.0]


@pytest.mark.parametrize(("name", "says"), [
    ("A" * 201, "'" + "A" * 40 + "…' is 201 characters long; a name has at most 200"),
    ("Dr\x1b[2J Zhou", "'Dr\\x1b[2J Zhou' holds a control character"),
    ("Dr\nZhou", "holds a control character"),
])
def test_an_examiner_name_a_bundle_could_not_carry_is_refused_before_anything_is_recorded(
        pph, tmp_path, capsys, name, says):
    db = tmp_path / "a.sqlite"
    with Archive.open(db) as archive:
        with pytest.raises(SetupError, match="the drill was not started") as info:
            LiveDrill.start(pph, PatientParams(65.0), [Participant("t1", "Li Na", "midwife")], archive,
                            evaluation_type="summative", examiners=("Dr Wang", name))
        assert says in str(info.value)
        assert archive.drills() == []
    assert main(["run", str(PPH), "--script", str(SCRIPTS / "late_care.yaml"), "--archive", str(db),
                 "--evaluation-type", "summative", "--examiner", name]) == 1
    err = capsys.readouterr().err
    assert says in err and "\x1b" not in err and "Traceback" not in err
    with Archive.open(db) as archive:
        assert archive.drills() == []
    LiveDrill.start(pph, PatientParams(65.0), [], None, evaluation_type="summative",
                    examiners=("A" * 200,))  # at the limit: taken
