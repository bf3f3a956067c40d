"""The logbook (issue 20): a CSV import is all or nothing with every problem named by line and
column, in UTF-8 (with or without BOM) and GBK; a supervisor countersigns an entry; every row
is audited and append-only, and a signed entry changed behind simtool's back is named by
verify."""

from __future__ import annotations

import sqlite3

import pytest

from simtool.app import logbook
from simtool.core.logbookcsv import LogbookCsvError
from simtool.store import Examiner, Trainee
from simtool.store.errors import SignedRecordError

HEADER = "staff_id,date,procedure,level,supervisor,site,case_ref,complications\n"
GOOD = ("S100,2025-01-02,stellate_ganglion_block,supervised,D900,County A,C-0001,\n"
        "S100,2025-01-03,lumbar_paravertebral_block,independent,D900,County A,C-0002,血肿（轻微）\n")


@pytest.fixture
def people(archive):
    tid = archive.add_trainee(Trainee("李娜", "S100", site="County A"))
    eid = archive.add_examiner(Examiner("王主任", "D900", site="County A"))
    return tid, eid


def write(tmp_path, text: str, encoding: str, name: str = "log.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_a_logbook_csv_is_read_in_utf8_with_or_without_bom_and_in_gbk(archive, people, tmp_path, encoding):
    ids = logbook.import_csv(archive, write(tmp_path, HEADER + GOOD, encoding))
    assert len(ids) == 2
    entries = logbook.entries(archive, "S100")
    assert [(e["procedure"], e["status"]) for e in entries] == [
        ("stellate_ganglion_block", "pending"), ("lumbar_paravertebral_block", "pending")]
    assert entries[1]["complications"] == "血肿（轻微）"
    assert archive.verify() == []


def test_a_gbk_file_with_one_bad_row_is_refused_whole_naming_the_row(archive, people, tmp_path):
    bad = "S100,2025-01-04,stellate_ganglion_block,alone,D900,County A,C-0003,\n"
    path = write(tmp_path, HEADER + GOOD + bad, "gbk")
    with pytest.raises(LogbookCsvError) as info:
        logbook.import_csv(archive, path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:4: level (column 4): 'alone' is not one of independent, supervised, assisted"]
    assert logbook.entries(archive, "S100") == []          # nothing half-imported


def test_every_problem_of_the_archive_check_names_its_line_and_column(archive, people, tmp_path):
    rows = ("S100,2025-01-02,stellate_ganglion_block,supervised,D900,County A,C-1,\n"
            "S101,2025-01-02,stellate_ganglion_block,supervised,D900,County A,C-2,\n"
            "S100,2025-01-02,stellate_block,supervised,D901,County A,C-3,\n"
            "S100,2031-01-02,stellate_ganglion_block,supervised,D900,County A,C-4,\n")
    path = write(tmp_path, HEADER + rows, "utf-8")
    with pytest.raises(LogbookCsvError) as info:
        logbook.import_csv(archive, path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:3: staff_id (column 1): no trainee with staff id 'S101' at site 'County A' in the "
        f"archive (add them with simtool people add)",
        f"{path}:4: procedure (column 3): unknown procedure 'stellate_block' (not a procedure of "
        f"any programme in {logbook.programmes_dir()})",
        f"{path}:4: supervisor (column 5): no person with staff id 'D901' at site 'County A' in the "
        f"archive (add them with simtool people add)",
        f"{path}:5: date (column 2): 2031-01-02 is in the future (today is 2025-01-06)",
    ]
    assert logbook.entries(archive, "S100") == []


def test_a_file_that_is_neither_utf8_nor_gbk_names_the_line(archive, people, tmp_path):
    path = tmp_path / "log.csv"
    path.write_bytes(HEADER.encode() + GOOD.encode() + b"S100,2025-01-02,\xff\xff\xff,x\n")
    with pytest.raises(LogbookCsvError) as info:
        logbook.import_csv(archive, path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:4: -: neither UTF-8 nor GBK text (byte 0xff)"]


def test_only_the_named_supervisor_countersigns_and_once(archive, people, tmp_path):
    tid, eid = people
    archive.add_trainee(Trainee("张医生", "D901", site="County A"))
    first, _ = logbook.import_csv(archive, write(tmp_path, HEADER + GOOD, "utf-8"))
    with pytest.raises(logbook.LogbookError, match="names supervisor 'D900'; only they"):
        logbook.sign(archive, first, "D901")
    signed = logbook.sign(archive, first, "D900")
    assert signed["status"] == "signed" and signed["signed_by"] == eid
    with pytest.raises(logbook.LogbookError, match="countersigned on"):
        logbook.sign(archive, first, "D900")
    with pytest.raises(SignedRecordError):
        archive.sign_logbook_entry(first, "examiners", eid)
    assert archive.verify() == []


def test_a_signed_entry_cannot_change_and_a_change_behind_simtools_back_is_named(
        archive, people, tmp_path):
    first, second = logbook.import_csv(archive, write(tmp_path, HEADER + GOOD, "utf-8"))
    logbook.sign(archive, first, "D900")
    conn = archive._conn
    for sql in ("UPDATE logbook_entries SET level = 'independent' WHERE id = ?",
                "DELETE FROM logbook_entries WHERE id = ?",
                "DELETE FROM logbook_signatures WHERE entry_id = ?"):
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(sql, (first,))
    # by hand: drop the guard, then change the signed entry and remove the unsigned one
    conn.execute("DROP TRIGGER logbook_entries_no_update")
    conn.execute("DROP TRIGGER logbook_entries_no_delete")
    conn.execute("UPDATE logbook_entries SET level = 'independent' WHERE id = ?", (first,))
    conn.execute("DELETE FROM logbook_entries WHERE id = ?", (second,))
    problems = archive.verify()
    assert f"logbook entry {first}: signed record changed (of trainee {people[0]}, countersigned " \
           f"{archive.logbook_entry(first).signed_at})" in problems
    assert any(p.startswith(f"logbook entry {second}: missing (deleted after it was written")
               for p in problems)
    assert "guard trigger logbook_entries_no_update is missing (dropped behind simtool's back)" in problems


def test_an_entry_added_behind_simtools_back_is_named(archive, people, tmp_path):
    tid, _ = people
    archive._conn.execute(
        "INSERT INTO logbook_entries (trainee_id, date, procedure, level, supervisor, case_ref, at) "
        "VALUES (?, '2025-01-01', 'stellate_ganglion_block', 'independent', 'D900', 'X', 'now')", (tid,))
    assert archive.verify() == ["logbook entry 1 (of trainee " + tid + "): has no audit row "
                                "(added behind simtool's back)"]


def test_exam_results_and_countersignatures_are_audited_and_append_only(archive, people, tmp_path):
    tid, eid = people
    first, _ = logbook.import_csv(archive, write(tmp_path, HEADER + GOOD, "utf-8"))
    logbook.sign(archive, first, "D900")
    rid = logbook.record_exam(archive, "S100", "pph_staff", "practical", "2025-01-05", "fail")
    assert [(r.exam, r.result) for r in archive.exam_results({tid})] == [("practical", "fail")]
    with pytest.raises(logbook.LogbookError, match="programme pph_staff has no exam 'oral'"):
        logbook.record_exam(archive, "S100", "pph_staff", "oral", "2025-01-05", "fail")
    conn = archive._conn
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE exam_results SET result = 'pass' WHERE id = ?", (rid,))
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE logbook_signatures SET signer_id = 'someone' WHERE entry_id = ?", (first,))
    conn.execute("DROP TRIGGER exam_results_no_update")
    conn.execute("DROP TRIGGER logbook_signatures_no_update")
    conn.execute("UPDATE exam_results SET result = 'pass' WHERE id = ?", (rid,))
    conn.execute("UPDATE logbook_signatures SET signer_id = 'someone' WHERE entry_id = ?", (first,))
    problems = archive.verify()
    assert any(p.startswith(f"exam result {rid} (practical of trainee {tid}): record changed after "
                            f"it was written") for p in problems)
    assert any(p.startswith(f"countersignature 1 (of logbook entry {first}): record changed after "
                            f"it was written") for p in problems)
