"""Signed score sheets never change: the store refuses, the triggers refuse, a correction is an
amendment; and verify() names every record changed behind simtool's back with sqlite3."""

from __future__ import annotations

import sqlite3

import pytest

from simtool.store.errors import ArchiveError, SignedRecordError
from simtool.store.records import Examiner, SheetItem, Trainee

from helpers.archive import play, raw, start_recorded

ITEMS = [SheetItem(item_id="call_for_help", result="done", points=2.0, evidence={"events": [4]}), SheetItem(item_id="oxytocin", result="late", points=1.0)]


@pytest.fixture
def signed(archive, pph):
    """A finished drill with one signed sheet: (archive, drill id, sheet id, examiner id)."""
    li = archive.add_trainee(Trainee("Li Na", "S1001", "Obstetrics"))
    drill_id, drill = start_recorded(archive, pph, trainees={"t1": li})
    play(drill, archive, drill_id, until=900)
    drill.end()
    examiner = archive.add_examiner(Examiner("Dr Zhou", "E77"))
    sheet = archive.create_sheet(drill_id, rubric_id="pph_osce", rubric_version="1",
                                 rubric_text="id: pph_osce\n", data={"global": 4}, items=ITEMS,
                                 trainee_id=li)
    archive.update_sheet(sheet, data={"global": 3})  # drafts may change
    archive.sign_sheet(sheet, examiner)
    return archive, drill_id, sheet, examiner


def test_signing_records_who_when_and_the_hash(signed):
    archive, drill_id, sheet_id, examiner = signed
    sheet = archive.sheet(sheet_id)
    assert sheet.signed and sheet.signed_by == examiner and len(sheet.record_sha256) == 64
    assert sheet.data == {"global": 3} and sheet.items == tuple(ITEMS)
    assert archive.drill(drill_id).status == "signed"  # ended and every sheet signed
    assert archive.verify() == []


def test_the_store_refuses_to_change_a_signed_sheet(signed):
    archive, _drill_id, sheet_id, examiner = signed
    with pytest.raises(SignedRecordError, match=f"score sheet {sheet_id} is signed.*amendment"):
        archive.update_sheet(sheet_id, data={"global": 5})
    with pytest.raises(SignedRecordError, match="signed"):
        archive.sign_sheet(sheet_id, examiner)


@pytest.mark.parametrize("sql", [
    "UPDATE score_sheets SET data = '{\"global\": 5}'",
    "DELETE FROM score_sheets WHERE version = 1",
    "UPDATE sheet_items SET points = 9",
    "DELETE FROM sheet_items",
    "INSERT INTO sheet_items (sheet_id, item_id) SELECT id, 'extra' FROM score_sheets",
    "UPDATE events SET t = 1",
    "DELETE FROM audit",
])
def test_triggers_refuse_even_direct_sql(signed, sql):
    archive, *_ = signed
    archive.close()
    with raw(archive.path) as c, pytest.raises(sqlite3.IntegrityError,
                                                match="read-only; record an amendment|append-only"):
        c.execute(sql)


def test_an_amendment_is_a_new_signed_version_and_the_original_stays(signed):
    archive, drill_id, sheet_id, examiner = signed
    other = archive.add_examiner(Examiner("Dr Sun"))
    new_id = archive.amend_sheet(sheet_id, {"global": 5}, other, "global rating mis-keyed")
    original, amended = archive.sheet(sheet_id), archive.sheet(new_id)
    assert original.data == {"global": 3} and original.superseded_by == new_id
    assert (amended.version, amended.supersedes, amended.signed_by) == (2, sheet_id, other)
    assert amended.items == original.items
    [amendment] = archive.amendments(sheet_id)
    assert (amendment.new_sheet_id, amendment.by, amendment.why) == (new_id, other, "global rating mis-keyed")
    assert [s.id for s in archive.sheets(drill_id, current_only=True)] == [new_id]
    with pytest.raises(ArchiveError, match="already amended"):
        archive.amend_sheet(sheet_id, {}, other, "again")
    with pytest.raises(ArchiveError, match="needs a reason"):
        archive.amend_sheet(new_id, {}, other, "  ")
    assert archive.verify() == []


def tamper(path, *statements):
    """Change the file as an attacker would: drop the guards, then edit."""
    with raw(path) as c:
        for name in [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")]:
            c.execute(f"DROP TRIGGER {name}")
        for sql in statements:
            c.execute(sql)


def reopened(open_archive, archive):
    archive.close()
    return open_archive(archive.path.name)


def test_verify_names_an_edited_event(signed, open_archive):
    archive, drill_id, *_ = signed
    tamper(archive.path, f"UPDATE events SET data = replace(data, '\"dose\":10.0', '\"dose\":5.0') "
                         f"WHERE drill_id = '{drill_id}' AND seq = 6")
    problems = reopened(open_archive, archive).verify()
    assert f"event {drill_id}/6: changed after it was written (hash does not match)" in problems


def test_verify_sees_an_event_rewritten_with_a_fresh_row_hash(signed, open_archive):
    from simtool.store.hashing import event_row_sha256
    archive, drill_id, *_ = signed
    row = archive.db.execute("SELECT seq, t, kind, data FROM events WHERE drill_id = ? AND seq = 6",
                             [drill_id]).fetchone()
    data = row[3].replace('"dose":10.0', '"dose":5.0')
    digest = event_row_sha256(drill_id, row[0], row[1], row[2], data)
    tamper(archive.path, f"UPDATE events SET data = '{data}', row_sha256 = '{digest}' "
                         f"WHERE drill_id = '{drill_id}' AND seq = 6")
    problems = reopened(open_archive, archive).verify()
    assert any(p.startswith(f"event {drill_id}/6: does not match audit row") for p in problems)


def test_verify_names_a_deleted_event_and_a_changed_audit_row(signed, open_archive):
    archive, drill_id, *_ = signed
    tamper(archive.path, f"DELETE FROM events WHERE drill_id = '{drill_id}' AND seq = 4",
           "UPDATE audit SET actor = 'someone else' WHERE seq = 17")
    problems = reopened(open_archive, archive).verify()
    assert "audit row 17: hash does not match (row changed after it was written)" in problems
    assert any(p.startswith(f"event {drill_id}/4: missing (deleted") for p in problems)
    assert any("guard trigger" in p for p in problems)


def test_verify_names_a_deleted_audit_row(signed, open_archive):
    archive, *_ = signed
    tamper(archive.path, "DELETE FROM audit WHERE seq = 5")
    problems = reopened(open_archive, archive).verify()
    assert "audit log: rows 5–5 are missing (deleted)" in problems
    assert "audit row 6: does not chain to the row before it (rows deleted, inserted or rewritten)" in problems


def test_verify_names_a_changed_signed_sheet_and_item(signed, open_archive):
    archive, _drill_id, sheet_id, _examiner = signed
    tamper(archive.path, "UPDATE sheet_items SET points = 3 WHERE item_id = 'oxytocin'")
    problems = reopened(open_archive, archive).verify()
    assert f"score sheet {sheet_id}: signed record changed" in problems


def test_verify_names_a_changed_drill_and_scenario_text(signed, open_archive):
    archive, drill_id, *_ = signed
    tamper(archive.path, "UPDATE participants SET name = 'Someone Else' WHERE id = 't1'",
           "UPDATE texts SET text = text || ' ' WHERE kind = 'scenario'")
    problems = reopened(open_archive, archive).verify()
    assert any(p.startswith(f"drill {drill_id}: record changed after it was written") for p in problems)
    assert any(p.startswith("scenario text ") and p.endswith("changed (hash does not match)") for p in problems)


def test_the_chain_head_can_be_noted_outside_the_archive(signed):
    from simtool.store.verify import head
    archive, *_ = signed
    seq, sha = head(archive)
    assert seq == archive.db.execute("SELECT count(*) FROM audit").fetchone()[0] and len(sha) == 64
