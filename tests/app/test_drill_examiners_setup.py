"""Setup records examiners as people: names (as the setup form gives them) or ``Examiner``s with
a staff id, each linked to the drill in the transaction that starts it; a staff id the archive
already knows is that person's record, never a second one; a setup the archive could not carry
is refused before anything is recorded."""

from __future__ import annotations

import pytest

from simtool.app.live import LiveDrill, SetupError, examiners_of_setup
from simtool.core.drill import Participant, PatientParams
from simtool.store import Archive, Examiner

from helpers.archive import fingerprint, raw

TEAM = [Participant("t1", "Li Na", "midwife")]


def _start(pph, archive, examiners, kind="summative"):
    return LiveDrill.start(pph, PatientParams(65.0), TEAM, archive, evaluation_type=kind,
                           examiners=examiners)


def test_an_examiner_known_by_staff_id_is_reused_and_every_examiner_is_linked(pph, tmp_path):
    db = tmp_path / "a.sqlite"
    with Archive.open(db) as archive:
        first = _start(pph, archive, (Examiner("Dr Zhou", "E01"), "Dr Sun"))
        # the same person again, typed a little differently: the staff id decides
        second = _start(pph, archive, (Examiner("Dr Zhou Wei", " E01 "), Examiner("Dr Wu", "E02")))
        one, two = archive.drill_examiners(first.drill_id), archive.drill_examiners(second.drill_id)
        assert [(e.name, e.staff_id) for e in one] == [("Dr Zhou", "E01"), ("Dr Sun", None)]
        assert [(e.name, e.staff_id) for e in two] == [("Dr Zhou", "E01"), ("Dr Wu", "E02")]
        assert one[0].id == two[0].id                       # one record for staff id E01
        assert archive.find_examiner(staff_id="E02").name == "Dr Wu"
        assert archive.verify() == []
    with raw(db) as c:
        assert c.execute("SELECT count(*) FROM examiners WHERE staff_id = 'E01'").fetchone()[0] == 1


def test_names_keep_working_and_a_formative_drill_needs_no_examiner(pph, tmp_path):
    db = tmp_path / "a.sqlite"
    with Archive.open(db) as archive:
        live = _start(pph, archive, ("Dr Zhou", " Dr Zhou", "  "))
        assert [(e.name, e.staff_id) for e in archive.drill_examiners(live.drill_id)] == \
            [("Dr Zhou", None)]
        formative = _start(pph, archive, (), kind="formative")
        assert archive.drill_examiners(formative.drill_id) == []


def test_a_name_and_the_same_person_with_a_staff_id_are_one_examiner():
    assert examiners_of_setup(("Dr Zhou", Examiner("Dr Zhou", "E01"), "Dr Zhou")) == \
        [Examiner("Dr Zhou", "E01")]
    assert examiners_of_setup((Examiner("Dr Zhou", "E01"), Examiner("Dr Zhou", "E01"))) == \
        [Examiner("Dr Zhou", "E01")]
    assert examiners_of_setup((Examiner("Dr Zhou", ""),)) == [Examiner("Dr Zhou")]


@pytest.mark.parametrize(("examiners", "says"), [
    ((Examiner("Dr Zhou", "E01"), Examiner("Dr Sun", "E01")),
     "staff id 'E01' is given to two examiners, 'Dr Zhou' and 'Dr Sun'"),
    ((Examiner("  ", "E01"),), "the examiner with staff id 'E01' has no name"),
    ((Examiner("Dr Zhou", "E\x1b[2J01"),), "the examiner staff id 'E\\x1b[2J01' holds a control character"),
    ((Examiner("Dr Zhou", "E" * 201),), "characters long; a name has at most 200"),
    ((Examiner("Dr\nZhou", "E01"),), "the examiner name 'Dr\\nZhou' holds a control character"),
    ((Examiner(" ", None),), "a summative drill needs at least one examiner"),
])
def test_a_setup_the_archive_could_not_carry_is_refused_before_anything_is_recorded(
        pph, tmp_path, examiners, says):
    db = tmp_path / "a.sqlite"
    Archive.open(db).close()
    before = fingerprint(db)
    with Archive.open(db) as archive:
        with pytest.raises(SetupError, match="the drill was not started") as refused:
            _start(pph, archive, examiners)
        assert says in str(refused.value)
    assert fingerprint(db) == before


def test_a_failure_while_linking_leaves_no_drill_and_no_examiner(pph, tmp_path, monkeypatch):
    db = tmp_path / "a.sqlite"
    Archive.open(db).close()
    before = fingerprint(db)
    with Archive.open(db) as archive:
        def broken(drill_id, examiner_id):
            raise OSError("disk gone")
        monkeypatch.setattr(archive, "link_examiner", broken)
        with pytest.raises(Exception, match="disk gone"):
            _start(pph, archive, (Examiner("Dr Zhou", "E01"),))
    assert fingerprint(db) == before
