"""Storing and signing score sheets through the application layer: one transaction each, so a
failure part-way stores nothing — no stray unsigned sheet, no examiner without a signature —
and the window's Sign button goes through it."""

from __future__ import annotations

import sqlite3

import pytest

from simtool.app.sheets import sign_new_sheet, store_unsigned_sheets
from simtool.core.drill import PatientParams
from simtool.core.rubric import load_rubric
from simtool.core.runner import run_script
from simtool.core.scoring import score
from simtool.core.script import load_script
from simtool.store import Archive, Trainee
from simtool.store.errors import ArchiveError

from helpers.archive import fingerprint, raw
from helpers.paths import RUBRICS, SCRIPTS

FAULT = sqlite3.IntegrityError  # what the trigger's RAISE(ABORT) gives
TECHNICAL = RUBRICS / "pph_uterine_atony_technical.yaml"


@pytest.fixture()
def scored(pph, tmp_path):
    """A late-care drill recorded and ended in a fresh archive, scored on the technical rubric."""
    drill, _ = run_script(pph, load_script(SCRIPTS / "late_care.yaml", pph), PatientParams(65.0))
    db = tmp_path / "a.sqlite"
    with Archive.open(db) as archive:
        did = archive.start_drill(pph, drill.patient, drill.participants, "summative",
                                  trainees={p.id: Trainee(p.name, f"S{i}")
                                            for i, p in enumerate(drill.participants)})
        for e in drill.events:
            archive.append_event(did, e)
        archive.end_drill(did)
    rubric = load_rubric(TECHNICAL, pph)
    return db, did, rubric, score(rubric, drill, evaluation_type="summative")


def _fail_on(db, table: str, after: int = 0) -> None:
    """The archive's disk fails on the ``after``+1-th row written to ``table`` (a trigger
    standing in for an I/O error at that moment)."""
    with raw(db) as c:
        c.execute(f"CREATE TRIGGER fail_here BEFORE INSERT ON {table} "
                  f"WHEN (SELECT count(*) FROM {table}) >= {after} "
                  "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")


def _examiners(db) -> list[str]:
    with raw(db) as c:
        return [r[0] for r in c.execute("SELECT name FROM examiners")]


def test_a_signed_sheet_is_stored_signed_with_its_examiner(scored):
    db, did, rubric, result = scored
    with Archive.open(db) as archive:
        sheet = sign_new_sheet(archive, did, rubric, result.sheet("team"), examiner="  Dr Zhou  ")
        assert sheet.signed and sheet.data == result.sheet("team").to_dict()
        assert archive.examiner(sheet.signed_by).name == "Dr Zhou"
        assert _examiners(db) == ["Dr Zhou"]
        assert archive.verify() == []


@pytest.mark.parametrize("table", ["signoffs", "examiners"])
def test_a_failure_while_signing_stores_nothing(scored, table):
    db, did, rubric, result = scored
    _fail_on(db, table)
    before = fingerprint(db)
    with Archive.open(db) as archive:
        with pytest.raises(FAULT):
            sign_new_sheet(archive, did, rubric, result.sheet("team"), examiner="Dr Zhou")
        assert archive.sheets(did) == [] and _examiners(db) == []
    assert fingerprint(db) == before


def test_a_sheet_without_an_examiner_is_not_signed(scored):
    db, did, rubric, result = scored
    with Archive.open(db) as archive:
        with pytest.raises(ArchiveError, match="named examiner"):
            sign_new_sheet(archive, did, rubric, result.sheet("team"), examiner=" ")
        assert archive.sheets(did) == []


def test_a_drills_sheets_are_stored_all_or_none(scored):
    db, did, rubric, result = scored
    _fail_on(db, "score_sheets", after=2)  # the disk fails on the third of four sheets
    before = fingerprint(db)
    with Archive.open(db) as archive:
        with pytest.raises(FAULT):
            store_unsigned_sheets(archive, did, rubric, result)
        assert archive.sheets(did) == []
    assert fingerprint(db) == before
    with raw(db) as c:
        c.execute("DROP TRIGGER fail_here")
    with Archive.open(db) as archive:
        ids = store_unsigned_sheets(archive, did, rubric, result)
        assert len(ids) == len(result.sheets) == 4
        assert sorted(s.id for s in archive.sheets(did)) == sorted(ids)
        assert not any(s.signed for s in archive.sheets(did))
