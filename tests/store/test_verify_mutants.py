"""`simtool verify` sentence by sentence: each kind of damage an attacker with plain sqlite3
can do is named with the record, the row numbers and the words a department reads — audit
rows cut out of the middle, a row added beside the chain, events and vitals added or changed,
a flood of problems summed up, a file whose pages cannot be read, an old-format archive.

Written against the surviving mutants of simtool/store/verify.py (issue 25): each test fails
when the behaviour it names breaks."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from simtool.store.analytics import drill_indicators
from simtool.store.archive import Archive
from simtool.store.hashing import audit_sha256, event_row_sha256, vitals_row_sha256
from simtool.store.records import Examiner, SheetItem, Trainee
from simtool.store.verify import head

from helpers.archive import FakeClock, play, raw, start_recorded
from helpers.paths import STORE_DATA


def tamper(path: Path, *statements: str) -> None:
    """Change the file as an attacker would: guards dropped, the edits, guards put back."""
    with raw(path) as c:
        triggers = c.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for name, _sql in triggers:
            c.execute(f"DROP TRIGGER {name}")
        for sql in statements:
            c.execute(sql)
        tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for _name, sql in triggers:
            if sql.split(" ON ", 1)[1].split()[0] in tables:
                c.execute(sql)


def trainees(path: Path, n: int) -> list[str]:
    with Archive.open(path, clock=FakeClock(), actor="tester@lab") as archive:
        return [archive.add_trainee(Trainee(f"Trainee {i}", f"S{i:04d}")) for i in range(n)]


def problems(path: Path, **kw) -> list[str]:
    with Archive.open(path, clock=FakeClock()) as archive:
        return archive.verify(**kw)


def test_audit_rows_cut_out_of_the_middle_are_named_by_number(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 6)
    with raw(db) as c:
        last = c.execute("SELECT max(seq) FROM audit").fetchone()[0]
    tamper(db, f"DELETE FROM audit WHERE seq IN ({last - 3}, {last - 2})")
    found = problems(db, checkpoints=False)
    assert f"audit log: rows {last - 3}–{last - 2} are missing (deleted)" in found
    assert (f"audit row {last - 1}: does not chain to the row before it (rows deleted, inserted "
            f"or rewritten)") in found


# --- a recorded drill, live vitals one sample per audit row -----------------------------------
DRILL = "drill-b"


@pytest.fixture
def recorded(tmp_path, pph) -> Path:
    """An archive with one short drill: events, a vitals sample every 5 s (each its own audit
    row), a trainee, an examiner and a signed score sheet."""
    db = tmp_path / "a.sqlite"
    with Archive.open(db, clock=FakeClock(), actor="tester@lab") as archive:
        li = archive.add_trainee(Trainee("Li Na", "S1001"))
        zhou = archive.add_examiner(Examiner("Dr Zhou"))
        did, drill = start_recorded(archive, pph, drill_id=DRILL, trainees={"t1": li})
        play(drill, archive, did, until=40)
        drill.end()
        sheet = archive.create_sheet(did, rubric_id="pph", rubric_version="1", rubric_text="id: pph\n",
                                     data={"global": 4}, items=[SheetItem(item_id="call_for_help", result="done", points=2.0)],
                                     trainee_id=li, sheet_id="sheet-1")
        archive.sign_sheet(sheet, zhou)
        assert [d.drill_id for d in drill_indicators(archive)] == [DRILL]   # kept results
    assert problems(db) == []
    return db


def vitals_row(db: Path, t: float) -> tuple[str, int]:
    with raw(db) as c:
        return c.execute("SELECT data, audit_seq FROM vitals WHERE drill_id = ? AND t = ?",
                         (DRILL, t)).fetchone()


def audit_of(db: Path, table: str, record_id: str) -> int:
    with raw(db) as c:
        return c.execute("SELECT max(seq) FROM audit WHERE table_name = ? AND record_id = ?",
                         (table, record_id)).fetchone()[0]


def test_a_changed_sample_is_named_once_not_again_as_its_batch(recorded):
    tamper(recorded, f"UPDATE vitals SET data = replace(data, '\"t\":20.0', '\"t\":20.0,\"x\":1') "
                     f"WHERE drill_id = '{DRILL}' AND t = 20")
    assert problems(recorded) == [f"vitals of drill {DRILL} at t=20 s: changed after it was "
                                  f"written (hash does not match)"]


SAMPLE = '{"t":22.5,"hr":80}'


def test_a_sample_added_with_a_made_up_hash_and_a_borrowed_audit_row_is_named_added(recorded):
    """Its hash matches nothing, and the audit row it points at is a trainee's, not vitals."""
    trainee_row = audit_of(recorded, "trainees", trainee_id(recorded))
    tamper(recorded, f"INSERT INTO vitals (drill_id, t, data, row_sha256, audit_seq) VALUES "
                     f"('{DRILL}', 22.5, '{SAMPLE}', '{'e' * 64}', {trainee_row})",
           f"INSERT INTO vitals (drill_id, t, data, row_sha256, audit_seq) VALUES "
           f"('{DRILL}', 23.5, '{SAMPLE}', '{'e' * 64}', 99999)")
    assert problems(recorded) == [
        f"vitals of drill {DRILL} at t=22.5 s: has no audit row (added behind simtool's back)",
        f"vitals of drill {DRILL} at t=23.5 s: has no audit row (added behind simtool's back)"]


def test_a_sample_added_with_its_own_row_hash_but_no_audit_row_is_named_added(recorded):
    digest = vitals_row_sha256(DRILL, 22.5, SAMPLE)
    tamper(recorded, f"INSERT INTO vitals (drill_id, t, data, row_sha256) VALUES "
                     f"('{DRILL}', 22.5, '{SAMPLE}', '{digest}')")
    assert problems(recorded) == [f"vitals of drill {DRILL} at t=22.5 s: has no audit row (added "
                                  f"behind simtool's back)"]


def test_a_sample_added_under_a_trainee_audit_row_with_its_own_row_hash_is_named_added(recorded):
    digest = vitals_row_sha256(DRILL, 22.5, SAMPLE)
    trainee_row = audit_of(recorded, "trainees", trainee_id(recorded))
    tamper(recorded, f"INSERT INTO vitals (drill_id, t, data, row_sha256, audit_seq) VALUES "
                     f"('{DRILL}', 22.5, '{SAMPLE}', '{digest}', {trainee_row})")
    assert problems(recorded) == [f"vitals of drill {DRILL} at t=22.5 s: has no audit row (added "
                                  f"behind simtool's back)"]


def test_a_sample_slipped_into_another_samples_audit_row_is_named_with_the_time_span(recorded):
    """Two samples under one live audit row: the batch no longer matches it; the message
    names the drill and the first and last time."""
    _data, aseq = vitals_row(recorded, 20.0)
    digest = vitals_row_sha256(DRILL, 22.5, SAMPLE)
    tamper(recorded, f"INSERT INTO vitals (drill_id, t, data, row_sha256, audit_seq) VALUES "
                     f"('{DRILL}', 22.5, '{SAMPLE}', '{digest}', {aseq})")
    assert problems(recorded) == [f"vitals of drill {DRILL} from t=20 s to t=22.5 s: changed after "
                                  f"it was written (does not match audit row {aseq})"]


def test_a_sample_moved_under_another_drills_audit_row_is_named_added(recorded, pph):
    with Archive.open(recorded, clock=FakeClock(), actor="tester@lab") as archive:
        other, drill = start_recorded(archive, pph, drill_id="drill-c")
        play(drill, archive, other, until=10)
        drill.end()
    with raw(recorded) as c:
        aseq = c.execute("SELECT audit_seq FROM vitals WHERE drill_id = 'drill-c' AND t = 5").fetchone()[0]
    digest = vitals_row_sha256(DRILL, 22.5, SAMPLE)
    tamper(recorded, f"INSERT INTO vitals (drill_id, t, data, row_sha256, audit_seq) VALUES "
                     f"('{DRILL}', 22.5, '{SAMPLE}', '{digest}', {aseq})")
    assert problems(recorded) == [f"vitals of drill {DRILL} at t=22.5 s: has no audit row (added "
                                  f"behind simtool's back)"]


def test_samples_added_to_two_drills_are_each_named(recorded, pph):
    """A forged sample in one drill does not hide one in the next drill."""
    with Archive.open(recorded, clock=FakeClock(), actor="tester@lab") as archive:
        other, drill = start_recorded(archive, pph, drill_id="drill-c")
        play(drill, archive, other, until=10)
        drill.end()
    digest = vitals_row_sha256("drill-c", 7.5, SAMPLE)
    tamper(recorded, f"INSERT INTO vitals (drill_id, t, data) VALUES ('{DRILL}', 22.5, '{SAMPLE}')",
           f"INSERT INTO vitals (drill_id, t, data, row_sha256) VALUES "
           f"('drill-c', 7.5, '{SAMPLE}', '{digest}')")
    assert problems(recorded) == [
        f"vitals of drill {DRILL} at t=22.5 s: has no audit row (added behind simtool's back)",
        "vitals of drill drill-c at t=7.5 s: has no audit row (added behind simtool's back)"]


def trainee_id(db: Path) -> str:
    with raw(db) as c:
        return c.execute("SELECT id FROM trainees").fetchone()[0]


# --- events -----------------------------------------------------------------------------------
def test_an_event_added_with_its_own_row_hash_is_named_added(recorded):
    """Pointing at another event's audit row, or at no audit row, is no licence."""
    with raw(recorded) as c:
        t, kind, data, aseq = c.execute("SELECT t, kind, data, audit_seq FROM events WHERE drill_id = ? "
                                        "AND seq = 2", (DRILL,)).fetchone()
        last = c.execute("SELECT max(seq) FROM events WHERE drill_id = ?", (DRILL,)).fetchone()[0]
    rows = [(last + 1, aseq), (last + 2, 99999)]
    tamper(recorded, *[f"INSERT INTO events (drill_id, seq, t, kind, data, row_sha256, audit_seq) "
                       f"VALUES ('{DRILL}', {seq}, {t}, '{kind}', '{data}', "
                       f"'{event_row_sha256(DRILL, seq, t, kind, data)}', {a})" for seq, a in rows])
    assert problems(recorded) == [
        f"event {DRILL}/{last + 1}: has no audit row (added behind simtool's back)",
        f"event {DRILL}/{last + 2}: has no audit row (added behind simtool's back)"]


# --- records -------------------------------------------------------------------------------
def test_a_changed_signed_sheet_is_named_once(recorded):
    tamper(recorded, "UPDATE score_sheets SET data = '{\"global\":1}' WHERE id = 'sheet-1'")
    assert problems(recorded) == ["score sheet sheet-1: signed record changed"]


def test_a_changed_scenario_text_is_named_by_its_hash(recorded):
    with raw(recorded) as c:
        sha = c.execute("SELECT sha256 FROM texts WHERE kind = 'scenario'").fetchone()[0]
    tamper(recorded, "UPDATE texts SET text = text || ' ' WHERE kind = 'scenario'")
    assert problems(recorded) == [f"scenario text {sha[:12]}: changed (hash does not match)"]


def test_an_archive_emptied_of_every_row_names_the_settings_every_archive_has(recorded):
    with raw(recorded) as c:
        tables = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    tamper(recorded, *[f"DELETE FROM {t}" for t in tables])
    assert sorted(problems(recorded, checkpoints=False)) == [
        f"setting {key}: missing (every archive has it; the archive's records were deleted or emptied)"
        for key in ("archive_id", "pseudonym_secret")]
    with Archive.open(recorded) as archive:
        assert head(archive) == (0, "0" * 64)


def test_the_chain_head_is_the_last_audit_row(recorded):
    with raw(recorded) as c:
        seq, sha = c.execute("SELECT seq, sha256 FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    with Archive.open(recorded) as archive:
        assert head(archive) == (seq, sha) and seq > 10


# --- a flood of problems ------------------------------------------------------------------------
def test_a_flood_of_one_kind_of_problem_is_summed_up_after_200(tmp_path):
    db = tmp_path / "a.sqlite"
    trainees(db, 1)
    tamper(db, *[f"INSERT INTO trainees (id, name) VALUES ('ghost-{i:03d}', 'Ghost')" for i in range(200)],
           *[f"INSERT INTO examiners (id, name) VALUES ('ghost-{i:03d}', 'Dr Ghost')" for i in range(203)])
    found = problems(db)
    ghosts = [p for p in found if p.startswith("trainee ghost-")]
    assert len(ghosts) == 200 and all(p.endswith(": has no audit row (added behind simtool's back)")
                                      for p in ghosts)
    assert len([p for p in found if p.startswith("examiner ghost-")]) == 200
    assert found[-1] == "… and 3 more problems of the kind 'examiners audit'"
    assert len(found) == 401   # 200 trainees (no summary: not more than 200), 200 examiners, 1


# --- a file that cannot be read ----------------------------------------------------------------
def test_a_file_with_damaged_pages_is_named_and_its_records_not_judged(recorded):
    with raw(recorded) as c:
        size = c.execute("PRAGMA page_size").fetchone()[0]
        pages = [c.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (t,)).fetchone()[0]
                 for t in ("events", "audit", "trainees", "drills")]
    with open(recorded, "r+b") as f:
        for page in pages:
            f.seek((page - 1) * size + 100)
            f.write(bytes(range(256)) * ((size - 200) // 256))
    with raw(recorded) as c:  # the first three things SQLite's own check finds, on one line
        found = [" ".join(r[0].split()) for r in c.execute("PRAGMA quick_check(3)")]
        more = [r[0] for r in c.execute("PRAGMA quick_check(4)")]
    assert found != ["ok"] and more != found
    assert problems(recorded) == [f"the file is damaged ({'; '.join(found)}); its records were not "
                                  f"checked: restore a backup"]


def test_a_table_that_cannot_be_read_stops_the_check_with_one_sentence(recorded):
    """Another program drops a table while simtool has the archive open: the check stops at
    the first part it cannot read, in one sentence (not a traceback, nor a list of guard
    triggers and records that only look missing because of it)."""
    with Archive.open(recorded, clock=FakeClock()) as archive:
        tamper(recorded, "DROP TABLE vitals")
        found = archive.verify()
    assert found == ["the file is damaged: part of it cannot be read (no such table: "
                                  "vitals); restore a backup"]


# --- old-format archives and multi-sample batches ----------------------------------------------
@pytest.fixture
def upgraded(tmp_path) -> Path:
    """The version-1 fixture opened (upgraded): its drill's samples are one audit batch."""
    db = tmp_path / "old.sqlite"
    shutil.copy(STORE_DATA / "archive_v1.sqlite", db)
    assert problems(db) == []
    return db


V1_DRILL = "v1-drill-0001"


def batch(db: Path) -> tuple[int, int, float, float]:
    with raw(db) as c:
        aseq, n, t0, t1 = c.execute("SELECT audit_seq, count(*), min(t), max(t) FROM vitals "
                                    "WHERE drill_id = ?", (V1_DRILL,)).fetchone()
    return aseq, n, t0, t1


def test_a_whole_batch_of_samples_deleted_is_named_with_its_span_and_count(upgraded):
    aseq, n, t0, t1 = batch(upgraded)
    tamper(upgraded, f"DELETE FROM vitals WHERE drill_id = '{V1_DRILL}'")
    assert problems(upgraded) == [f"vitals of drill {V1_DRILL} from t={t0:g} s to t={t1:g} s ({n} "
                                  f"samples): missing (deleted after it was written; audit row {aseq})"]


def test_samples_deleted_from_a_batch_are_counted(upgraded):
    aseq, n, t0, _t1 = batch(upgraded)
    tamper(upgraded, f"DELETE FROM vitals WHERE drill_id = '{V1_DRILL}' AND t IN ({t0}, {t0 + 5})")
    assert problems(upgraded) == [f"vitals of drill {V1_DRILL} recorded in audit row {aseq}: 2 of {n} "
                                  f"samples missing (deleted after they were written)"]


def test_a_sample_of_a_batch_rewritten_with_a_fresh_row_hash_names_the_batch(upgraded):
    aseq, _n, t0, t1 = batch(upgraded)
    with raw(upgraded) as c:
        t, data = c.execute("SELECT t, data FROM vitals WHERE drill_id = ? ORDER BY t LIMIT 1 OFFSET 3",
                            (V1_DRILL,)).fetchone()
    forged = data.replace("}", ',"x":1}', 1)
    tamper(upgraded, f"UPDATE vitals SET data = '{forged}', row_sha256 = "
                     f"'{vitals_row_sha256(V1_DRILL, t, forged)}' WHERE drill_id = '{V1_DRILL}' AND t = {t}")
    assert problems(upgraded) == [f"vitals of drill {V1_DRILL} from t={t0:g} s to t={t1:g} s: changed "
                                  f"after it was written (does not match audit row {aseq})"]


def test_a_version_3_archive_is_checked_for_what_it_audits(tmp_path, pph):
    """Before schema 4 people, vitals and settings were not audited: an old archive verifies
    without them, and its drills, events and guard triggers are still checked."""
    db = tmp_path / "v3.sqlite"
    with Archive.open(db, clock=FakeClock(), schema_version=3) as archive:
        did, drill = start_recorded(archive, pph, drill_id=DRILL)
        play(drill, archive, did, until=20)
        drill.end()
        assert archive.verify() == []
    tamper(db, f"UPDATE drills SET scenario_version = '0.9' WHERE id = '{DRILL}'",
           "DELETE FROM meta WHERE key = 'pseudonym_secret'")
    with Archive.open(db, clock=FakeClock(), schema_version=3) as archive:
        found = archive.verify()
    assert len(found) == 1 and found[0].startswith(f"drill {DRILL}: record changed after it was "
                                                   f"written (does not match audit row ")


def test_a_changed_sample_does_not_hide_later_problems_of_its_drill(recorded):
    """Sample 25 s moved under 20 s's audit row, 20 s changed, 35 s rewritten with a fresh row
    hash: each is named, the batch with a changed sample only once."""
    _d, a20 = vitals_row(recorded, 20.0)
    _d, a25 = vitals_row(recorded, 25.0)
    data35, a35 = vitals_row(recorded, 35.0)
    forged = data35.replace("}", ',"x":1}', 1)
    tamper(recorded, f"UPDATE vitals SET audit_seq = {a20} WHERE drill_id = '{DRILL}' AND t = 25",
           f"UPDATE vitals SET data = replace(data, '\"t\":20.0', '\"t\":20.0,\"x\":1') "
           f"WHERE drill_id = '{DRILL}' AND t = 20",
           f"UPDATE vitals SET data = '{forged}', row_sha256 = '{vitals_row_sha256(DRILL, 35.0, forged)}' "
           f"WHERE drill_id = '{DRILL}' AND t = 35")
    assert problems(recorded) == [
        f"vitals of drill {DRILL} at t=20 s: changed after it was written (hash does not match)",
        f"vitals of drill {DRILL} at t=35 s: changed after it was written (does not match audit row {a35})",
        f"vitals of drill {DRILL} at t=25 s: missing (deleted after it was written; audit row {a25})"]


# --- a flood of each kind: past 200 problems of one kind, the rest are counted, by kind ---------
N = 203  # samples, notes and trainees: more than verify lists of one kind


@pytest.fixture(scope="module")
def big(tmp_path_factory, pph) -> Path:
    """An archive with N trainees and one drill with N vitals samples and N notes (each its
    own audit row)."""
    from simtool.core.runner import sample
    db = tmp_path_factory.mktemp("big") / "big.sqlite"
    with Archive.open(db, clock=FakeClock(), actor="tester@lab") as archive:
        for i in range(N):
            archive.add_trainee(Trainee(f"Trainee {i}", id=f"trainee-{i:03d}"))
        did, drill = start_recorded(archive, pph, drill_id=DRILL)
        for i in range(1, N + 1):
            drill.advance_to(5 * i)
            assert archive.append_vitals(did, sample(drill)) is None
            drill.note(f"note {i}", by="t1")
        drill.end()
    return db


def _rehash_events(c) -> None:
    for did, seq, t, kind, data in c.execute("SELECT drill_id, seq, t, kind, data FROM events").fetchall():
        c.execute("UPDATE events SET data = ?, row_sha256 = ? WHERE drill_id = ? AND seq = ?",
                  (data + " ", event_row_sha256(did, seq, t, kind, data + " "), did, seq))


def _vitals_under_event_rows(c) -> None:
    """A sample beside each note, with its own row hash, under the note's audit row."""
    rows = c.execute("SELECT t, audit_seq FROM events WHERE kind = 'note'").fetchall()
    for t, aseq in rows:
        data = f'{{"t":{t + 1}}}'
        c.execute("INSERT INTO vitals (drill_id, t, data, row_sha256, audit_seq) VALUES (?, ?, ?, ?, ?)",
                  (DRILL, t + 1, data, vitals_row_sha256(DRILL, t + 1, data), aseq))


def _second_sample_per_batch(c) -> None:
    for t, aseq in c.execute("SELECT t, audit_seq FROM vitals").fetchall():
        data = f'{{"t":{t + 1}}}'
        c.execute("INSERT INTO vitals (drill_id, t, data, row_sha256, audit_seq) VALUES (?, ?, ?, ?, ?)",
                  (DRILL, t + 1, data, vitals_row_sha256(DRILL, t + 1, data), aseq))


def _texts_added(c) -> None:
    c.execute(f"INSERT INTO texts (sha256, kind, text) SELECT printf('%064d', seq), 'rubric', 'x' "
              f"FROM audit LIMIT {N}")


def _events_moved_off_their_audit_rows(c) -> None:
    c.execute("UPDATE events SET audit_seq = audit_seq + 100000")


# each case several floods at once (one verify each: the mutation run repeats these often);
# the edits of one case do not touch each other's records
FLOODS = {
    "rows changed": (["UPDATE audit SET prev_sha256 = 'x'", "UPDATE events SET data = data || ' '",
                      "UPDATE vitals SET data = data || ' '", "UPDATE trainees SET name = name || ' x'",
                      _texts_added],
                     ["audit link", "audit hash", "event hash", "vitals hash", "trainees hash", "text"]),
    "rows added": (["DELETE FROM audit WHERE seq % 2 = 0",
                    "INSERT INTO vitals (drill_id, t, data) SELECT drill_id, t + 1, data FROM vitals",
                    "INSERT INTO trainees (id, name) SELECT id || '-ghost', name FROM trainees"],
                   ["audit gap", "vitals audit", "trainees audit"]),
    "rows rehashed": ([_rehash_events, _second_sample_per_batch], ["event audit", "vitals hash"]),
    "rows deleted": (["DELETE FROM events", "DELETE FROM trainees"], ["event missing", "trainees missing"]),
    "rows moved": (["DELETE FROM vitals", _vitals_under_event_rows, _events_moved_off_their_audit_rows],
                   ["vitals missing", "vitals audit", "event audit"]),
}


@pytest.mark.parametrize("case", list(FLOODS))
def test_past_200_problems_of_one_kind_the_rest_are_counted_by_kind(big, tmp_path, case):
    edits, kinds = FLOODS[case]
    db = tmp_path / "big.sqlite"
    shutil.copy(big, db)
    with raw(db) as c:
        triggers = c.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for name, _sql in triggers:
            c.execute(f"DROP TRIGGER {name}")
        for edit in edits:
            edit(c) if callable(edit) else c.execute(edit)
        for _name, sql in triggers:
            c.execute(sql)
    found = problems(db, checkpoints=False)
    summaries = [p for p in found if p.startswith("… and ")]
    for kind in kinds:
        assert any(re.fullmatch(rf"… and \d+ more problems of the kind '{kind}'", p) for p in summaries), \
            (kind, summaries)


# --- kept indicator results: the kept row and its result rows are one record ------------------
@pytest.mark.parametrize("table", ["drill_indicators", "drill_indicators_kept"])
def test_kept_indicator_results_half_deleted_are_named_changed(recorded, table):
    seq = audit_of(recorded, "drill_indicators", DRILL)
    tamper(recorded, f"DELETE FROM {table} WHERE drill_id = '{DRILL}'")
    assert problems(recorded) == [f"indicator results of drill {DRILL}: record changed after it was "
                                  f"written (does not match audit row {seq})"]


# --- audit rows forged with a consistent chain ------------------------------------------------
def test_forged_vitals_audit_rows_are_judged_by_what_they_claim(recorded):
    """Audit rows appended with correct hashes (someone who knows the format) for vitals that
    are not there: a record id that is no batch claims nothing; a batch is named missing."""
    with raw(recorded) as c:
        seq, prev = c.execute("SELECT seq, sha256 FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    rows = []
    for rid in ("5", '"x"', '["drill-b", 1]', f'["{DRILL}", 1000, 1000, 1]'):
        seq += 1
        at, actor, rsha = "2025-01-06T10:00:00.000+00:00", "tester@lab", "a" * 64
        sha = audit_sha256(prev, "insert", "vitals", rid, rsha, at, actor)
        rows.append(f"INSERT INTO audit (seq, at, actor, op, table_name, record_id, record_sha256, "
                    f"prev_sha256, sha256) VALUES ({seq}, '{at}', '{actor}', 'insert', 'vitals', "
                    f"'{rid}', '{rsha}', '{prev}', '{sha}')")
        prev = sha
    tamper(recorded, *rows)
    assert problems(recorded, checkpoints=False) == [
        f"vitals of drill {DRILL} at t=1000 s: missing (deleted after it was written; audit row {seq})"]


def test_samples_missing_from_a_batch_count_with_batches_missing_as_one_kind(upgraded):
    """A sample gone from the upgraded drill's batch and 200 audited batches gone: 201
    problems of the kind 'vitals missing', so past the first 200 the rest is counted."""
    aseq, n, t0, _t1 = batch(upgraded)
    with raw(upgraded) as c:
        seq, prev = c.execute("SELECT seq, sha256 FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    rows = []
    for i in range(200):  # audit rows, correctly chained, for batches that are not there
        seq += 1
        rid, at, actor, rsha = f'["{V1_DRILL}", {10000 + i}, {10000 + i}, 1]', "2025-01-06T10:00:00.000+00:00", \
            "tester@lab", "a" * 64
        sha = audit_sha256(prev, "insert", "vitals", rid, rsha, at, actor)
        rows.append(f"INSERT INTO audit (seq, at, actor, op, table_name, record_id, record_sha256, "
                    f"prev_sha256, sha256) VALUES ({seq}, '{at}', '{actor}', 'insert', 'vitals', "
                    f"'{rid}', '{rsha}', '{prev}', '{sha}')")
        prev = sha
    tamper(upgraded, f"DELETE FROM vitals WHERE drill_id = '{V1_DRILL}' AND t = {t0}", *rows)
    found = problems(upgraded, checkpoints=False)
    assert found[0] == (f"vitals of drill {V1_DRILL} recorded in audit row {aseq}: 1 of {n} samples "
                        f"missing (deleted after they were written)")
    assert found[-1] == "… and 1 more problems of the kind 'vitals missing'" and len(found) == 201


def test_verify_compares_the_end_of_the_log_with_the_checkpoint_unless_told_not_to(tmp_path):
    from simtool.store.verify import verify
    db = tmp_path / "a.sqlite"
    trainees(db, 3)                       # closing notes the checkpoint of the head
    with raw(db) as c:
        last = c.execute("SELECT max(seq) FROM audit").fetchone()[0]
        rid = c.execute("SELECT record_id FROM audit WHERE seq = ?", (last,)).fetchone()[0]
    tamper(db, f"DELETE FROM audit WHERE seq = {last}", f"DELETE FROM trainees WHERE id = '{rid}'")
    with Archive.open(db, clock=FakeClock()) as archive:
        found = verify(archive)
        assert verify(archive, checkpoints=False) == []
    assert len(found) == 1 and found[0].startswith(f"the audit log ends at row {last - 1} but row {last} ")
