"""The examiners of a drill (schema 7): linked once however often they are linked, read back in
the order linked, found by staff id or name, append-only, audited — a link changed, deleted or
added behind simtool's back, or a guard trigger dropped, is what ``simtool verify`` names."""

from __future__ import annotations

import sqlite3

import pytest

from simtool.cli import main
from simtool.store import schema
from simtool.store.archive import Archive
from simtool.store.errors import ArchiveError, NotFoundError
from simtool.store.records import Examiner

from helpers.archive import PATIENT, TEAM, FakeClock, fingerprint, raw


@pytest.fixture()
def linked(archive, pph):
    did = archive.start_drill(pph, PATIENT, TEAM, "summative")
    zhou = archive.add_examiner(Examiner("Dr Zhou", "E01"))
    sun = archive.add_examiner(Examiner("Dr Sun", "E02"))
    archive.link_examiner(did, sun)
    archive.link_examiner(did, zhou)
    return archive, did, zhou, sun


def test_a_drill_lists_its_examiners_in_the_order_they_were_linked(linked, pph):
    archive, did, zhou, sun = linked
    assert archive.drill_examiners(did) == [Examiner("Dr Sun", "E02", sun),
                                            Examiner("Dr Zhou", "E01", zhou)]
    other = archive.start_drill(pph, PATIENT, TEAM)
    assert archive.drill_examiners(other) == []
    assert archive.drill_examiners("no-such-drill") == []
    assert archive.verify() == []


def test_linking_an_examiner_twice_writes_nothing(linked):
    archive, did, zhou, _sun = linked
    archive.close()
    before = fingerprint(archive.path)
    with Archive.open(archive.path, clock=FakeClock()) as again:
        again.link_examiner(did, zhou)
        assert [e.id for e in again.drill_examiners(did)].count(zhou) == 1
    assert fingerprint(archive.path) == before
    with raw(archive.path) as c:
        assert c.execute("SELECT count(*) FROM drill_examiners").fetchone()[0] == 2
        assert c.execute("SELECT count(*) FROM audit WHERE table_name = 'drill_examiners'"
                         ).fetchone()[0] == 2


def test_an_unknown_drill_or_examiner_is_refused_and_nothing_is_written(linked):
    archive, did, zhou, _sun = linked
    with pytest.raises(NotFoundError, match="no drill nope"):
        archive.link_examiner("nope", zhou)
    with pytest.raises(NotFoundError, match="no examiner nobody"):
        archive.link_examiner(did, "nobody")
    assert len(archive.drill_examiners(did)) == 2
    assert archive.verify() == []


def test_find_examiner_by_staff_id_or_else_by_name(linked):
    archive, _did, zhou, sun = linked
    assert archive.find_examiner(staff_id="E01") == Examiner("Dr Zhou", "E01", zhou)
    assert archive.find_examiner(staff_id="E01", name="Dr Sun").id == zhou  # the staff id decides
    assert archive.find_examiner(staff_id="e01") is None                    # exact match only
    assert archive.find_examiner(staff_id="E99", name="Dr Sun") is None
    assert archive.find_examiner(name="Dr Sun").id == sun
    assert archive.find_examiner(name="Dr") is None
    assert archive.find_examiner() is None


def test_links_are_append_only_and_verify_names_a_deleted_changed_or_planted_link(linked):
    archive, did, zhou, sun = linked
    path = archive.path
    archive.close()
    with raw(path) as c:
        first, second = [r[0] for r in c.execute("SELECT id FROM drill_examiners ORDER BY id")]
        for sql in ("DELETE FROM drill_examiners", "UPDATE drill_examiners SET examiner_id = examiner_id"):
            with pytest.raises(sqlite3.IntegrityError, match="examiners of a drill are part of its record"):
                c.execute(sql)
        c.execute("DROP TRIGGER drill_examiners_no_delete")
        c.execute(f"DELETE FROM drill_examiners WHERE id = {second}")
    with Archive.open(path, clock=FakeClock()) as again:
        assert [e.id for e in again.drill_examiners(did)] == [sun]      # Dr Zhou is gone ...
        problems = again.verify()
    # ... and named, with the audit row that recorded the link
    assert any(p.startswith(f"examiner link {second}: missing (deleted after it was written; "
                            f"audit row ") for p in problems), problems
    assert "guard trigger drill_examiners_no_delete is missing (dropped behind simtool's back)" \
        in problems
    assert main(["verify", "--archive", str(path)]) == 1
    with raw(path) as c:
        c.execute("DROP TRIGGER drill_examiners_no_update")
        c.execute(f"UPDATE drill_examiners SET examiner_id = '{zhou}' WHERE id = {first}")
        c.execute("INSERT INTO drill_examiners (drill_id, examiner_id, at) VALUES "
                  f"('{did}', '{sun}', '2025-01-01T00:00:00Z')")
    with Archive.open(path, clock=FakeClock()) as again:
        problems = again.verify()
    assert any(p.startswith(f"examiner link {first} (examiner {zhou} of drill {did}): record "
                            f"changed after it was written") for p in problems), problems
    assert any(f"(examiner {sun} of drill {did}): has no audit row (added behind simtool's back)"
               in p for p in problems), problems


def test_a_version_6_archive_is_upgraded_to_link_examiners(tmp_path, pph):
    path = tmp_path / "v6.sqlite"
    with Archive.open(path, clock=FakeClock(), schema_version=6) as old:
        did = old.start_drill(pph, PATIENT, TEAM)
        zhou = old.add_examiner(Examiner("Dr Zhou", "E01"))
        assert old.drill_examiners(did) == []
        with pytest.raises(ArchiveError, match="older format without the examiners of a drill"):
            old.link_examiner(did, zhou)
        assert old.verify() == []
    with Archive.open(path, clock=FakeClock()) as archive:
        assert archive.schema_version == schema.CURRENT_VERSION
        archive.link_examiner(did, zhou)
        assert [e.staff_id for e in archive.drill_examiners(did)] == ["E01"]
        assert archive.verify() == []
