"""The people registry (issue 17, item 1): a person has a name, a staff id unique within a
site, a profession, a grade, a home department and site; setup finds them by name, staff id
or pinyin initials; a staff id at another hospital is another person until merged."""

from __future__ import annotations

import json
import sqlite3

import pytest

from simtool.app import people
from simtool.cli import main as cli_main
from simtool.core.drill import Participant, PatientParams
from simtool.store import Archive, Trainee

from helpers.archive import raw


def _drill(archive: Archive, pph, name: str, staff: str, site: str | None) -> str:
    return archive.start_drill(pph, PatientParams(65), [Participant("p1", name, "midwife")],
                               trainees={"p1": Trainee(name, staff)}, site=site)


def test_the_same_staff_id_is_one_person_within_a_site_and_two_people_across_sites(pph, tmp_path):
    with Archive.open(tmp_path / "a.sqlite") as archive:
        _drill(archive, pph, "Chen Jie", "S003", "County Hospital")
        _drill(archive, pph, "Chen Jie", "S003", "County Hospital")
        _drill(archive, pph, "Chen Jun", "S003", "City Hospital")     # another hospital's S003
        found = {p["site"]: p for p in archive.people()}
        assert set(found) == {"County Hospital", "City Hospital"}
        assert found["County Hospital"]["drills"] == 2 and found["City Hospital"]["drills"] == 1
        assert found["City Hospital"]["name"] == "Chen Jun"
        assert [p["name"] for p in archive.people(site="City Hospital")] == ["Chen Jun"]
        assert archive.verify() == []


def test_a_record_from_before_sites_were_kept_is_still_found_by_staff_id(pph, tmp_path):
    with Archive.open(tmp_path / "a.sqlite") as archive:
        old = archive.add_trainee(Trainee("Chen Jie", "S003"))           # no site known
        _drill(archive, pph, "Chen Jie", "S003", "County Hospital")
        assert [p["id"] for p in archive.people()] == [old]
        assert archive.people()[0]["drills"] == 1


def test_a_person_is_added_completed_and_corrected_with_an_audit_row_each(tmp_path):
    db = tmp_path / "a.sqlite"
    with Archive.open(db) as archive:
        p = people.add_person(archive, "陈杰", "S003", site="County Hospital", department="产科",
                              profession="midwife", grade="N2")
        assert (p["name"], p["profession"], p["grade"], p["department"], p["site"]) == \
            ("陈杰", "midwife", "N2", "产科", "County Hospital")
        with pytest.raises(people.PeopleError, match="one staff id is one person"):
            people.add_person(archive, "陈洁", "S003", site="County Hospital")
        people.edit_person(archive, "S003", grade="N3")
        assert archive.trainee(p["id"]).grade == "N3"
        assert archive.trainee(p["id"]).profession == "midwife"        # only what was given changes
        ops = archive.db.execute("SELECT op FROM audit WHERE table_name = 'trainees' AND record_id = ?",
                                 [p["id"]]).fetchall()
        assert [o for (o,) in ops] == ["insert", "update"]
        assert archive.verify() == []
    with raw(db) as c:   # a grade changed behind simtool's back
        with pytest.raises(sqlite3.IntegrityError):
            c.execute("UPDATE trainees SET grade = 'attending' WHERE staff_id = 'S003'")


@pytest.mark.parametrize("field,value,why", [
    ("name", "", "needs a name"),
    ("grade", "N2\x1b[2J", "control character"),
    ("profession", "x" * 201, "at most 200"),
    ("site", 7, "is text"),
])
def test_an_impossible_field_is_one_sentence_and_nothing_is_written(tmp_path, field, value, why):
    with Archive.open(tmp_path / "a.sqlite") as archive:
        p = people.add_person(archive, "Li Na", "S010")
        before = archive.db.execute("SELECT count(*) FROM audit").fetchone()
        with pytest.raises(people.PeopleError, match=why):
            people.edit_person(archive, p["id"], **{field: value})
        assert archive.db.execute("SELECT count(*) FROM audit").fetchone() == before
        assert archive.trainee(p["id"]).name == "Li Na"


def test_a_staff_id_taken_by_another_person_at_the_site_is_refused_on_edit(tmp_path):
    with Archive.open(tmp_path / "a.sqlite") as archive:
        people.add_person(archive, "Li Na", "S010", site="A")
        other = people.add_person(archive, "Wang Fang", "S011", site="A")
        with pytest.raises(people.PeopleError, match="merge the two records"):
            people.edit_person(archive, other["id"], staff_id="S010")
        assert archive.trainee(other["id"]).staff_id == "S011"


@pytest.mark.parametrize("name,typed", [("陈杰", "cj"), ("张晓明", "zxm"), ("Chen Jie", "cj"),
                                        ("长孙无忌", "zswj")])
def test_pinyin_initials_find_a_name(name, typed):
    assert people.initials(name) == typed
    known = [people.Known("Li Na", "S001"), people.Known(name, "S002")]
    assert people.matching(known, typed.upper())[0].name == name


def test_typed_text_matches_staff_id_and_department_and_starts_first():
    known = [people.Known("Wang Cheng", "S001", "Obstetrics"), people.Known("陈杰", "S003", "产科"),
             people.Known("Li Na", "S002", "Anaesthesia")]
    assert [k.name for k in people.matching(known, "s00")] == ["Li Na", "Wang Cheng", "陈杰"]
    assert [k.name for k in people.matching(known, "anaes")] == ["Li Na"]
    assert [k.name for k in people.matching(known, "c")] == ["陈杰", "Wang Cheng"]


def test_the_people_command_adds_edits_and_lists_the_registry(tmp_path, capsys):
    db = str(tmp_path / "a.sqlite")
    assert cli_main(["people", "add", "--name", "陈杰", "--staff-id", "S003", "--site", "County",
                     "--profession", "midwife", "--grade", "N2", "--archive", db]) == 0
    assert cli_main(["people", "edit", "S003", "--department", "产科", "--archive", db]) == 0
    capsys.readouterr()
    assert cli_main(["people", "--json", "--archive", db]) == 0
    (p,) = json.loads(capsys.readouterr().out)
    assert (p["name"], p["profession"], p["grade"], p["department"], p["site"]) == \
        ("陈杰", "midwife", "N2", "产科", "County")
    assert cli_main(["people", "--archive", db]) == 0
    assert "陈杰 (S003) · midwife, N2 · 产科 · County · 0 drills" in capsys.readouterr().out
    assert cli_main(["people", "add", "--name", "Chen Jie", "--staff-id", "S003", "--site", "County",
                     "--archive", db]) == 1
    err = capsys.readouterr().err
    assert "one staff id is one person" in err and "Traceback" not in err


def test_an_examiners_staff_id_names_one_person_within_a_site(pph, tmp_path):
    from simtool.app import marking
    from simtool.app.live import LiveDrill
    from simtool.store import Examiner
    with Archive.open(tmp_path / "a.sqlite") as archive:
        team = [Participant("p1", "Li Na", "midwife")]
        ids = []
        for site in ("County Hospital", "County Hospital", "City Hospital"):
            live = LiveDrill.start(pph, PatientParams(65), team, archive=archive,
                                   examiners=[Examiner("Dr Zhou", "E01")], site=site)
            ids.append(archive.drill_examiners(live.drill_id)[0].id)
        assert ids[0] == ids[1] != ids[2]
        assert archive.examiner(ids[0]).site == "County Hospital"
        assert archive.examiner(ids[2]).site == "City Hospital"
        # adding an examiner while marking finds the one of the drill's site
        eid = marking.examiner_for(archive, live.drill_id, "Dr Zhou", "E01")
        assert eid == ids[2]


def test_setup_is_offered_each_examiner_the_archive_keeps(tmp_path):
    from simtool.store import Examiner
    with Archive.open(tmp_path / "a.sqlite") as archive:
        archive.add_examiner(Examiner("周医生", "E01", department="产科", site="County"))
        archive.add_examiner(Examiner("Dr Wu", "E02"))
        known = people.known_examiners(archive)
        assert [(k.name, k.staff_id, k.department) for k in known] == \
            [("Dr Wu", "E02", None), ("周医生", "E01", "产科")]
        assert people.matching(known, "zys")[0].name == "周医生"
