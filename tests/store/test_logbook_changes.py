"""One logbook entry typed in (the checks of a CSV row), a pending entry corrected (a new
entry supersedes it; the original stays, with the reason) or withdrawn (stays, counts
nowhere), a signed one never; the supervisor's countersign queue; verify names a change
made behind simtool's back; progress counts only signed entries that stand."""

from __future__ import annotations

import sqlite3

import pytest

from simtool.app import logbook
from simtool.app.progress import progress
from simtool.store import Examiner, Trainee

ENTRY = dict(date="2025-01-02", procedure="stellate_ganglion_block", level="supervised",
             supervisor="D900", site="County A", case_ref="SGB-001", complications=None)


@pytest.fixture
def people(archive):
    tid = archive.add_trainee(Trainee("李娜", "S100", site="County A"))
    eid = archive.add_examiner(Examiner("王主任", "D900", site="County A"))
    archive.add_examiner(Examiner("张主任", "D901", site="County A"))
    return tid, eid


def add(archive, **changes):
    return logbook.add_entry(archive, "S100", **{**ENTRY, **changes})


def test_an_entry_typed_in_is_stored_pending_and_audited(archive, people):
    e = add(archive, complications="  minor\thaematoma\n")
    assert (e["status"], e["procedure"], e["complications"]) == (
        "pending", "stellate_ganglion_block", "minor haematoma")
    assert [x["id"] for x in logbook.entries(archive, "S100")] == [e["id"]]
    assert archive.verify() == []


@pytest.mark.parametrize("changes, field, words", [
    (dict(level="alone"), "level", "'alone' is not one of independent, supervised, assisted"),
    (dict(procedure="stellate_block"), "procedure", "unknown procedure 'stellate_block'"),
    (dict(supervisor="S100"), "supervisor", "a trainee cannot supervise their own procedure"),
    (dict(supervisor="D999"), "supervisor", "no person with staff id 'D999'"),
    (dict(date="2031-01-02"), "date", "2031-01-02 is in the future"),
    (dict(date="2025-02-30"), "date", "'2025-02-30' is not a date written YYYY-MM-DD"),
    (dict(case_ref="张三"), "case_ref", "looks like a person's name"),
    (dict(case_ref="110101199003077777"), "case_ref", "looks like an identity card number"),
    (dict(case_ref="tel 138-0013-8000"), "case_ref", "looks like a phone or medical record number"),
    (dict(case_ref="x" * 41), "case_ref", "41 characters; a case reference is short"),
    (dict(case_ref="A\x00B"), "case_ref", "contains a control character"),
    (dict(case_ref="   "), "case_ref", "empty (required)"),
])
def test_a_typed_entry_gets_the_checks_of_a_csv_row_naming_the_field(archive, people, changes,
                                                                    field, words):
    with pytest.raises(logbook.LogbookError) as info:
        add(archive, **changes)
    assert info.value.field == field and str(info.value).startswith(f"{field}: ")
    assert words in str(info.value)
    assert logbook.entries(archive, "S100") == []


def test_a_correction_supersedes_a_pending_entry_and_keeps_the_original(archive, people):
    tid, _ = people
    old = add(archive)
    new = logbook.correct_entry(archive, old["id"], {"level": "independent"}, "was independent",
                                by="D900")
    assert (new["status"], new["level"], new["corrects"], new["case_ref"]) == (
        "pending", "independent", old["id"], "SGB-001")
    listed = {e["id"]: e for e in logbook.entries(archive, "S100")}
    assert listed[old["id"]]["status"] == "corrected"
    assert listed[old["id"]]["superseded_by"] == new["id"]
    assert listed[old["id"]]["change_reason"] == "was independent"
    assert listed[old["id"]]["level"] == "supervised"          # the original, as entered
    assert [e.id for e in archive.logbook({tid})] == [new["id"]]   # what stands
    with pytest.raises(logbook.LogbookError, match=f"corrected by entry {new['id']}"):
        logbook.sign(archive, old["id"], "D900")
    with pytest.raises(logbook.LogbookError, match=f"corrected by entry {new['id']}"):
        logbook.withdraw_entry(archive, old["id"], "again")
    with pytest.raises(logbook.LogbookError, match="change nothing"):
        logbook.correct_entry(archive, new["id"], {"level": "independent"}, "same")
    with pytest.raises(logbook.LogbookError, match="trainee_id cannot be corrected"):
        logbook.correct_entry(archive, new["id"], {"trainee_id": "x"}, "who")
    with pytest.raises(logbook.LogbookError, match="reason: empty"):
        logbook.correct_entry(archive, new["id"], {"level": "assisted"}, " ")
    with pytest.raises(logbook.LogbookError, match="supervise their own"):
        logbook.correct_entry(archive, new["id"], {"supervisor": "S100"}, "typo")
    assert archive.verify() == []


def test_a_withdrawn_entry_stays_and_counts_nowhere_and_a_signed_one_cannot_change(archive, people):
    kept, gone = add(archive), add(archive, case_ref="SGB-002")
    logbook.sign(archive, kept["id"], "D900")
    out = logbook.withdraw_entry(archive, gone["id"], "entered twice", by="S100")
    assert (out["status"], out["change_reason"], out["changed_by"]) == ("withdrawn", "entered twice", "S100")
    for fn in (lambda: logbook.withdraw_entry(archive, kept["id"], "no"),
               lambda: logbook.correct_entry(archive, kept["id"], {"level": "assisted"}, "no")):
        with pytest.raises(logbook.LogbookError, match="countersigned on .*; a signed entry cannot"):
            fn()
    with pytest.raises(logbook.LogbookError, match="was withdrawn on"):
        logbook.sign(archive, gone["id"], "D900")
    assert [e["id"] for e in logbook.pending_for_supervisor(archive, "D900")] == []
    result = progress(archive, "S100", "pain_medicine_specialist")
    done = [r for r in result["requirements"]
            if r["procedure"] == "stellate_ganglion_block" and r["level"] == "supervised"]
    assert done and sum(r["done"] for r in done) == 1
    # the store refuses too, whatever the caller checked
    with pytest.raises(Exception, match="countersigned"):
        archive.withdraw_logbook_entry(kept["id"], "behind the app's back")
    with pytest.raises(sqlite3.IntegrityError, match="corrected or withdrawn"):
        archive._conn.execute("INSERT INTO logbook_signatures (entry_id, signer_table, signer_id, "
                              "at, entry_sha256) VALUES (?, 'examiners', 'x', 'now', 'x')", (gone["id"],))
    assert archive.verify() == []


def test_the_countersign_queue_of_a_supervisor(archive, people):
    a = add(archive, date="2025-01-03")
    b = add(archive, date="2025-01-01", case_ref="SGB-002")
    add(archive, supervisor="D901", case_ref="SGB-003")
    c = add(archive, case_ref="SGB-004")
    logbook.sign(archive, c["id"], "D900")
    queue = logbook.pending_for_supervisor(archive, "D900")
    assert [e["id"] for e in queue] == [b["id"], a["id"]]
    assert (queue[0]["trainee_name"], queue[0]["trainee_staff_id"]) == ("李娜", "S100")
    assert logbook.pending_for_supervisor(archive, "D900", site="County B") == []
    assert [e["id"] for e in logbook.pending_for_supervisor(archive, "D900", "County A")] == [b["id"], a["id"]]


@pytest.mark.parametrize("entry", ["abc", "-1", "0", "1e3", "99999999999999999999999", "", "nan"])
def test_an_entry_number_that_is_none_is_one_sentence(archive, people, entry):
    for fn in (lambda: logbook.withdraw_entry(archive, entry, "x"),
               lambda: logbook.correct_entry(archive, entry, {"level": "assisted"}, "x"),
               lambda: logbook.sign(archive, entry, "D900")):
        with pytest.raises(logbook.LogbookError, match="is not a logbook entry number"):
            fn()


def test_a_change_row_written_or_removed_behind_simtools_back_is_named(archive, people):
    e = add(archive)
    logbook.withdraw_entry(archive, e["id"], "duplicate")
    conn = archive._conn
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("DELETE FROM logbook_changes")
    conn.execute("DROP TRIGGER logbook_changes_no_delete")
    conn.execute("DELETE FROM logbook_changes")
    problems = archive.verify()
    assert any(p.startswith("correction or withdrawal 1: missing (deleted after it was written")
               for p in problems)
    assert "guard trigger logbook_changes_no_delete is missing (dropped behind simtool's back)" in problems
