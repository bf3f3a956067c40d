"""One trainee is one record: a person named with the same staff id in two drills — from the
app's setup or from a script run — is the same person with two drills, and their portfolio
finds both; a staff id given to two participants of one script is refused with FILE:LINE."""

from __future__ import annotations

import json

import pytest

from simtool.cli import main as cli_main
from simtool.core.drill import Participant, PatientParams
from simtool.store import Archive, Trainee
from simtool.store.analytics import portfolio

from helpers.paths import PPH, SCRIPTS

SCRIPT = """duration_s: 900
participants:
  - {{id: t1, name: {name}, role: midwife, staff_id: S003, department: Obstetrics}}
actions:
  - {{t: 760, action: call_for_help, by: t1}}
"""


def test_the_same_staff_id_in_two_script_runs_is_one_person_with_two_drills(tmp_path, capsys):
    db = tmp_path / "a.sqlite"
    for n, name in enumerate(("Chen Jie", "Chen  Jie")):   # typed differently the second time
        script = tmp_path / f"s{n}.yaml"
        script.write_text(SCRIPT.format(name=name), encoding="utf-8")
        assert cli_main(["run", str(PPH), "--script", str(script), "--archive", str(db)]) == 0
    capsys.readouterr()
    with Archive.open(db) as archive:
        people = archive.trainees(staff_id="S003")
        assert len(people) == 1 and people[0].name == "Chen Jie"
        assert people[0].department == "Obstetrics"
        rep = portfolio(archive, "S003")
        assert len(rep["drills"]) == 2
        assert archive.verify() == []


def test_the_same_staff_id_from_setup_is_one_person(pph, tmp_path):
    with Archive.open(tmp_path / "a.sqlite") as archive:
        for _ in range(3):
            archive.start_drill(pph, PatientParams(65), [Participant("p1", "Chen Jie", "midwife")],
                                trainees={"p1": Trainee("Chen Jie", "S003")})
        (person,) = archive.trainees(staff_id="S003")
        assert len(archive.trainee_history(person.id)) == 3
        # a person without a staff id cannot be recognised: each time a new record
        for _ in range(2):
            archive.start_drill(pph, PatientParams(65), [Participant("p1", "Li Na", "midwife")],
                                trainees={"p1": Trainee("Li Na")})
        assert len([t for t in archive.trainees() if t.name == "Li Na"]) == 2


def test_a_staff_id_given_to_two_participants_is_refused(tmp_path, capsys):
    script = tmp_path / "s.yaml"
    script.write_text("""duration_s: 900
participants:
  - {id: t1, name: Chen Jie, role: midwife, staff_id: S003}
  - {id: t2, name: Wang Fang, role: obstetrician, staff_id: S003}
actions: []
""", encoding="utf-8")
    assert cli_main(["run", str(PPH), "--script", str(script)]) == 1
    err = capsys.readouterr().err
    assert f"{script}:4: participants[1].staff_id: staff id 'S003' is given to two participants" in err


def _two_records_of_one_person(db):
    """Two drills of one person entered once with and once without the staff id."""
    from simtool.core.scenario import load_scenario
    pph = load_scenario(PPH)
    with Archive.open(db) as archive:
        archive.start_drill(pph, PatientParams(65), [Participant("p1", "Chen Jie", "midwife")],
                            trainees={"p1": Trainee("Chen Jie", "S003")})
        archive.start_drill(pph, PatientParams(65), [Participant("p1", "Chen Jie", "midwife")],
                            trainees={"p1": Trainee("Chen Jie")})
        other = next(t.id for t in archive.trainees() if t.staff_id is None)
    return other


def test_people_lists_persons_and_merges_two_records_with_a_reason(tmp_path, capsys):
    db = tmp_path / "a.sqlite"
    other = _two_records_of_one_person(db)
    assert cli_main(["people", "--json", "--archive", str(db)]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(p["name"], p["drills"]) for p in listed] == [("Chen Jie", 1), ("Chen Jie", 1)]
    # a merge needs a reason; nothing is written without one
    assert cli_main(["people", "merge", "S003", other, "--reason", " ", "--archive", str(db)]) == 1
    assert "needs a reason" in capsys.readouterr().err
    assert cli_main(["people", "merge", "S003", other, "--reason", "same midwife, staff id "
                     "missed at the first drill", "--json", "--archive", str(db)]) == 0
    merged = json.loads(capsys.readouterr().out)
    assert merged["drills"] == 2 and len(merged["records"]) == 2
    with Archive.open(db) as archive:
        assert len(portfolio(archive, "S003")["drills"]) == 2
        assert archive.verify() == []
    # merging again, or into itself, is refused with one sentence
    assert cli_main(["people", "merge", "S003", other, "--reason", "again", "--archive", str(db)]) == 1
    assert "already merged" in capsys.readouterr().err
    # reversed by an unmerge: two people again, the merge kept in the record
    assert cli_main(["people", "unmerge", "S003", other, "--reason", "not the same person after all",
                     "--archive", str(db)]) == 0
    capsys.readouterr()
    assert cli_main(["people", "--json", "--archive", str(db)]) == 0
    assert [p["drills"] for p in json.loads(capsys.readouterr().out)] == [1, 1]
    with Archive.open(db) as archive:
        assert archive.verify() == []


def test_a_merge_row_changed_behind_simtools_back_is_named_by_verify(tmp_path, capsys):
    import sqlite3
    db = tmp_path / "a.sqlite"
    other = _two_records_of_one_person(db)
    assert cli_main(["people", "merge", "S003", other, "--reason", "same person",
                     "--archive", str(db)]) == 0
    capsys.readouterr()
    with sqlite3.connect(db) as c:
        c.execute("DROP TRIGGER person_merges_no_delete")
        c.execute("DELETE FROM person_merges")
    with Archive.open(db) as archive:
        problems = "\n".join(str(p) for p in archive.verify())
    assert "merge of people 1" in problems and "person_merges_no_delete" in problems
