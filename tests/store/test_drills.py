"""A real PPH drill recorded event by event: the log reads back exactly, status follows the
log, queries find drills by trainee and by scenario-quarter, and CSV lists them."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timezone

import pytest

from simtool.core.drill import Participant
from simtool.core.events import Event
from simtool.core.runner import sample
from simtool.core.scenario import load_scenario
from simtool.store.errors import ArchiveError, NotFoundError
from simtool.store.export import DRILL_COLUMNS, write_drills_csv, write_scores_csv
from simtool.store.records import Examiner, SheetItem, Trainee

from helpers.archive import PATIENT, TEAM, play, start_recorded
from helpers.paths import ROOT


def audit_count(archive) -> int:
    return archive.db.execute("SELECT count(*) FROM audit").fetchone()[0]


def test_every_event_of_a_real_drill_is_stored_and_reads_back_exactly(archive, pph):
    drill_id, drill = start_recorded(archive, pph, evaluation_type="summative")
    play(drill, archive, drill_id, until=1000)
    assert any(e.kind == "flag" for e in drill.events) and any(e.kind == "state" for e in drill.events)
    assert archive.events(drill_id) == drill.events
    vitals = archive.vitals(drill_id)
    assert len(vitals) == 200 and vitals[-1] == sample(drill) and vitals[-1]["t"] == 1000.0
    info = archive.drill(drill_id)
    assert (info.status, info.evaluation_type, info.scenario_id) == ("running", "summative", "pph_uterine_atony")
    assert [p.participant for p in info.participants] == list(TEAM)
    assert archive.scenario_text(drill_id) == pph.text
    assert archive.verify() == []


def test_pause_resume_and_end_events_set_the_status(archive, pph):
    drill_id, drill = start_recorded(archive, pph)
    drill.tick(30)
    drill.pause()
    assert archive.drill(drill_id).status == "paused"
    drill.resume()
    assert archive.drill(drill_id).status == "running"
    drill.end()
    info = archive.drill(drill_id)
    assert info.status == "ended" and info.ended_at is not None
    assert archive.end_drill(drill_id) is None and archive.drill(drill_id).ended_at == info.ended_at


def test_appending_is_idempotent_and_a_different_event_under_a_seq_is_refused(archive, pph):
    drill_id, drill = start_recorded(archive, pph)
    before = audit_count(archive)
    assert archive.append_event(drill_id, drill.events[0]) is None
    assert audit_count(archive) == before
    forged = Event(0, 0.0, "note", text="something else")
    with pytest.raises(ArchiveError, match="event 0 of drill .* other content"):
        archive.append_event(drill_id, forged)
    with pytest.raises(NotFoundError, match="no drill nope"):
        archive.append_event("nope", forged)
    assert archive.events(drill_id) == drill.events


def test_bad_start_arguments_are_refused_with_a_sentence(archive, pph):
    with pytest.raises(ArchiveError, match="evaluation type 'exam'"):
        archive.start_drill(pph, PATIENT, TEAM, evaluation_type="exam")
    with pytest.raises(ArchiveError, match="unknown participants: t9"):
        archive.start_drill(pph, PATIENT, TEAM, trainees={"t9": "x"})
    with pytest.raises(NotFoundError, match="no trainee ghost"):
        archive.start_drill(pph, PATIENT, TEAM, trainees={"t1": "ghost"})
    assert archive.drills() == []


@pytest.fixture
def mini():
    return load_scenario(ROOT / "tests" / "core" / "data" / "minimal_scenario.yaml")


def test_a_trainees_history_and_a_scenarios_quarter(archive, pph, mini, clock):
    li = archive.add_trainee(Trainee("Li Na", "S1001", "Obstetrics"))
    wang = archive.add_trainee(Trainee("Wang Fang", "S1002", "Obstetrics"))
    examiner = archive.add_examiner(Examiner("Dr Zhou"))
    started = {}
    for when, scenario, team in [
            (datetime(2024, 12, 31, 23, 0), pph, {"t1": li}),
            (datetime(2025, 1, 1, 0, 30), pph, {"t1": li, "t2": wang}),
            (datetime(2025, 3, 31, 22, 0), pph, {"t2": wang}),
            (datetime(2025, 2, 10, 9, 0), mini, {}),
            (datetime(2025, 4, 1, 8, 0), pph, {"t1": li})]:
        clock.set(when.replace(tzinfo=timezone.utc))
        people = TEAM if scenario is pph else [Participant("m1", "Zhao Min", "midwife")]
        did = archive.start_drill(scenario, PATIENT, people, trainees=team)
        started[when] = did
    q1 = archive.drills_in("pph_uterine_atony", date(2025, 1, 1), date(2025, 3, 31))
    assert [d.id for d in q1] == [started[datetime(2025, 1, 1, 0, 30)], started[datetime(2025, 3, 31, 22, 0)]]
    assert [d.id for d in archive.drills_in("mini", date(2025, 1, 1), date(2025, 3, 31))] == \
        [started[datetime(2025, 2, 10, 9, 0)]]
    assert [d.id for d in archive.drills(since=date(2025, 3, 31))] == \
        [started[datetime(2025, 3, 31, 22, 0)], started[datetime(2025, 4, 1, 8, 0)]]
    assert archive.drills(status="running", since=datetime(2025, 4, 1, 8, 0, 2, tzinfo=timezone.utc)) == []

    sheet = archive.create_sheet(started[datetime(2025, 1, 1, 0, 30)], rubric_id="pph_osce",
                                 rubric_version="1", rubric_text="rubric", data={},
                                 items=[SheetItem(item_id="help", result="done", points=2)], trainee_id=li)
    archive.sign_sheet(sheet, examiner)
    history = archive.trainee_history(li)
    assert [h.drill.started_at[:10] for h in history] == ["2024-12-31", "2025-01-01", "2025-04-01"]
    assert {h.role for h in history} == {"midwife"}
    assert history[1].sheet_ids == (sheet,) and history[0].sheet_ids == ()
    assert [h.drill.id for h in archive.trainee_history(wang)] == \
        [started[datetime(2025, 1, 1, 0, 30)], started[datetime(2025, 3, 31, 22, 0)]]
    assert archive.trainees(staff_id="S1002")[0].name == "Wang Fang"


def test_csv_lists_drills_with_participants_and_scores(archive, pph):
    li = archive.add_trainee(Trainee("Li Na", "S1001"))
    drill_id, drill = start_recorded(archive, pph, trainees={"t1": li})
    drill.end()
    examiner = archive.add_examiner(Examiner("Dr Zhou"))
    sheet = archive.create_sheet(drill_id, rubric_id="pph_osce", rubric_version="1", rubric_text="r",
                                 data={}, items=[SheetItem(item_id="a", result="done", points=2), SheetItem(item_id="b", result="late", points=1)],
                                 trainee_id=li)
    archive.sign_sheet(sheet, examiner)
    out = io.StringIO(newline="")
    assert write_drills_csv(archive, out) == 1
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == list(DRILL_COLUMNS)
    assert rows[0]["status"] == "signed" and rows[0]["scenario"] == "pph_uterine_atony"
    assert rows[0]["participants"] == "Li Na (midwife); Wang Fang (obstetrician); Chen Jie (anaesthetist)"
    out = io.StringIO(newline="")
    assert write_scores_csv(archive, out) == 1
    score = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert (score["trainee"], score["staff_id"], score["points"], score["signed_by"]) == \
        ("Li Na", "S1001", "3", "Dr Zhou")


def test_the_drill_list_as_json_data(archive, pph):
    drill_id, drill = start_recorded(archive, pph)
    data = archive.drills()[0].to_dict()
    assert data["id"] == drill_id and data["patient"] == {"weight_kg": 65.0, "conditions": []}
    assert data["participants"][0] == {"id": "t1", "name": "Li Na", "role": "midwife", "trainee_id": None,
                                       "staff_id": None}
