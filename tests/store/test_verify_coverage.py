"""`simtool verify` names every kind of edit an attacker with the sqlite3 module can make to a
table that carries meaning — people, examiners, vitals, settings, kept indicator results,
sign-offs, amendments and sheets — every audited record deleted as "missing", every row added
without an audit row; and the guard triggers refuse direct UPDATE/DELETE on the append-only
tables (so a trigger turned into a no-op fails a test).

Each case edits a copy of one archive built once, the way an attacker would: with plain
sqlite3, dropping the guard triggers first and putting them back afterwards."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from simtool.cli import main
from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.runner import sample
from simtool.core.scenario import load_scenario
from simtool.store.analytics import drill_indicators
from simtool.store.archive import Archive
from simtool.store.records import Examiner, SheetItem, Trainee

ROOT = Path(__file__).resolve().parents[2]
PPH = ROOT / "scenarios" / "pph_uterine_atony.yaml"
TEAM = (Participant("t1", "Li Na", "midwife"), Participant("t2", "Wang Fang", "obstetrician"))
DRILL = "lab-b/2025/drill-7"          # slashes and trailing digits: record ids must read back whole
LI, WANG, ZHOU, SUN = "trainee-li", "trainee-wang", "examiner-zhou", "examiner-sun"
SIGNED, UNSIGNED = "sheet-li-1", "sheet-wang-1"


def clock_from(start: datetime):
    now = [start]

    def clock() -> datetime:
        now[0] += timedelta(seconds=1)
        return now[0]
    return clock


def play(archive: Archive, loaded, drill_id: str, until: float) -> None:
    drill = Drill(loaded, PatientParams(65.0), TEAM)
    archive.record(drill_id, drill)
    for t, action, by in ((760, "call_for_help", "t1"), (790, "oxytocin", "t1")):
        while drill.t + 5 <= min(t, until):
            drill.advance_to(drill.t + 5)
            assert archive.append_vitals(drill_id, sample(drill)) is None
        if t <= until:
            drill.advance_to(t)
            kw = {"dose": 10, "unit": "IU", "route": "IM"} if action == "oxytocin" else {}
            drill.act(action, by=by, **kw)
    drill.advance_to(until)
    drill.end()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """One archive with every kind of record: two trainees, two examiners, a drill with
    events and vitals, a signed-then-amended sheet (two sign-offs, one amendment), an unsigned
    sheet and the drill's kept indicator results."""
    path = tmp_path_factory.mktemp("built") / "archive.sqlite"
    loaded = load_scenario(PPH)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIMTOOL_DATA_HOME", str(path.parent / "user-data"))
        with Archive.open(path, clock=clock_from(datetime(2025, 3, 1, 9, tzinfo=timezone.utc)),
                          actor="builder@lab") as archive:
            archive.add_trainee(Trainee("Li Na", "S1001", "Obstetrics", id=LI))
            archive.add_trainee(Trainee("Wang Fang", "S1002", "Obstetrics", id=WANG))
            archive.add_examiner(Examiner("Dr Zhou", "E77", id=ZHOU))
            archive.add_examiner(Examiner("Dr Sun", "E78", id=SUN))
            archive.start_drill(loaded, PatientParams(65.0), TEAM, "summative",
                                trainees={"t1": LI, "t2": WANG}, drill_id=DRILL)
            play(archive, loaded, DRILL, until=900)
            items = [SheetItem(item_id="call_for_help", result="done", points=2.0, evidence={"events": [4]})]
            archive.create_sheet(DRILL, rubric_id="pph", rubric_version="1", rubric_text="id: pph\n",
                                 data={"global": 4}, items=items, trainee_id=LI, sheet_id=SIGNED)
            archive.create_sheet(DRILL, rubric_id="pph", rubric_version="1", rubric_text="id: pph\n",
                                 data={"global": 3}, items=items, trainee_id=WANG, sheet_id=UNSIGNED)
            archive.sign_sheet(SIGNED, ZHOU)
            archive.amend_sheet(SIGNED, {"global": 5}, SUN, "global rating mis-keyed")
            assert [d.drill_id for d in drill_indicators(archive)] == [DRILL]
            assert archive.verify() == []
    return path


@pytest.fixture
def db(built, tmp_path) -> Path:
    copy = tmp_path / "archive.sqlite"
    shutil.copy(built, copy)
    return copy


@contextlib.contextmanager
def attacker(path: Path):
    """A plain sqlite3 connection with the guard triggers dropped, put back on exit."""
    con = sqlite3.connect(path, isolation_level=None)
    triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for name, _sql in triggers:
        con.execute(f"DROP TRIGGER {name}")
    try:
        yield con
    finally:
        existing = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for name, sql in triggers:
            table = sql.split(" ON ", 1)[1].split()[0]
            if table in existing:
                con.execute(sql)
        con.close()


def verify(path: Path, capsys) -> tuple[int, list[str]]:
    capsys.readouterr()
    code = main(["verify", "--archive", str(path)])
    out = capsys.readouterr().out
    prefix = f"{path}: "
    return code, [line[len(prefix):] for line in out.splitlines() if line.startswith(prefix)]


def audit_seq(path: Path, table: str, record_id: str) -> int:
    with contextlib.closing(sqlite3.connect(path)) as con:
        return con.execute("SELECT max(seq) FROM audit WHERE table_name = ? AND record_id = ?",
                           (table, record_id)).fetchone()[0]


def test_the_built_archive_verifies_and_prints_its_head(db, capsys):
    code, lines = verify(db, capsys)
    with contextlib.closing(sqlite3.connect(db)) as con:
        seq, sha = con.execute("SELECT seq, sha256 FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    assert code == 0
    assert lines == [f"every record and the audit chain verify; audit chain head: {seq} / {sha[:16]}…"]


# --- edits: each names its record -------------------------------------------------------------
CHANGED = "record changed after it was written (does not match audit row {seq})"

EDITS = {
    "trainee name": ("UPDATE trainees SET name = 'Zhang Wei' WHERE id = 'trainee-li'",
                     "trainees", LI, f"trainee {LI}"),
    "trainee staff id": ("UPDATE trainees SET staff_id = 'S1002' WHERE id = 'trainee-li'",
                         "trainees", LI, f"trainee {LI}"),
    "examiner name": ("UPDATE examiners SET name = 'Dr Nobody' WHERE id = 'examiner-zhou'",
                      "examiners", ZHOU, f"examiner {ZHOU}"),
    "pseudonym secret": ("UPDATE meta SET value = (CASE WHEN substr(value, 1, 2) = '00' THEN 'ff' ELSE '00' END) "
                         "|| substr(value, 3) WHERE key = 'pseudonym_secret'",
                         "meta", "pseudonym_secret", "setting pseudonym_secret"),
    "archive id": ("UPDATE meta SET value = 'another-archive' WHERE key = 'archive_id'",
                   "meta", "archive_id", "setting archive_id"),
    "kept indicator seconds": ("UPDATE drill_indicators SET seconds = seconds - 120 "
                               "WHERE seconds IS NOT NULL", "drill_indicators", DRILL,
                               f"indicator results of drill {DRILL}"),
    "kept indicator met": ("UPDATE drill_indicators SET met = 1 - met WHERE met IS NOT NULL",
                           "drill_indicators", DRILL, f"indicator results of drill {DRILL}"),
    "amendment reason": ("UPDATE amendments SET why = 'examiner asked for it'", "amendments", "1",
                         "amendment 1"),
    "sign-off time": ("UPDATE signoffs SET at = '2024-01-01T00:00:00.000+00:00' WHERE id = 1",
                      "signoffs", "1", "sign-off 1"),
    "sign-off examiner": (f"UPDATE signoffs SET examiner_id = '{SUN}' WHERE id = 1",
                          "signoffs", "1", "sign-off 1"),
    "unsigned sheet data": (f"UPDATE score_sheets SET data = '{{\"global\":5}}' WHERE id = '{UNSIGNED}'",
                            "score_sheets", UNSIGNED, f"score sheet {UNSIGNED}"),
    "unsigned sheet item": (f"UPDATE sheet_items SET points = 0 WHERE sheet_id = '{UNSIGNED}'",
                            "score_sheets", UNSIGNED, f"score sheet {UNSIGNED}"),
}


@pytest.mark.parametrize("kind", list(EDITS))
def test_verify_names_each_edited_record(db, capsys, kind):
    sql, table, record_id, label = EDITS[kind]
    seq = audit_seq(db, table, record_id)
    with attacker(db) as con:
        assert con.execute(sql).rowcount >= 1
    code, lines = verify(db, capsys)
    assert code == 1
    assert f"{label}: {CHANGED.format(seq=seq)}" in lines


def test_verify_names_a_signed_sheet_changed(db, capsys):
    with attacker(db) as con:
        con.execute(f"UPDATE score_sheets SET data = '{{\"global\":1}}' WHERE id = '{SIGNED}'")
    code, lines = verify(db, capsys)
    assert code == 1 and f"score sheet {SIGNED}: signed record changed" in lines


def test_verify_names_a_changed_vitals_sample_by_drill_and_time(db, capsys):
    with attacker(db) as con:
        con.execute("UPDATE vitals SET data = replace(data, '\"t\":35.0', '\"t\":35.0,\"x\":1') "
                    "WHERE drill_id = ? AND t = 35", (DRILL,))
    code, lines = verify(db, capsys)
    assert code == 1
    assert f"vitals of drill {DRILL} at t=35 s: changed after it was written (hash does not match)" in lines


def test_verify_sees_a_vitals_sample_rewritten_with_a_fresh_row_hash(db, capsys):
    from simtool.store.hashing import vitals_row_sha256
    with attacker(db) as con:
        data, aseq = con.execute("SELECT data, audit_seq FROM vitals WHERE drill_id = ? AND t = 35",
                                 (DRILL,)).fetchone()
        forged = data.replace('"t":35.0', '"t":35.0,"x":1')
        con.execute("UPDATE vitals SET data = ?, row_sha256 = ? WHERE drill_id = ? AND t = 35",
                    (forged, vitals_row_sha256(DRILL, 35.0, forged), DRILL))
    code, lines = verify(db, capsys)
    assert code == 1
    assert f"vitals of drill {DRILL} at t=35 s: changed after it was written (does not match audit row {aseq})" in lines


# --- deletions: "missing" -----------------------------------------------------------------------
DELETIONS = {
    "drill": (f"DELETE FROM drills WHERE id = '{DRILL}'", "drills", DRILL, f"drill {DRILL}"),
    "unsigned sheet": (f"DELETE FROM score_sheets WHERE id = '{UNSIGNED}'", "score_sheets", UNSIGNED,
                       f"score sheet {UNSIGNED}"),
    "signed sheet": (f"DELETE FROM score_sheets WHERE id = '{SIGNED}'", "score_sheets", SIGNED,
                     f"score sheet {SIGNED}"),
    "sign-off": ("DELETE FROM signoffs WHERE id = 1", "signoffs", "1", "sign-off 1"),
    "amendment": ("DELETE FROM amendments WHERE id = 1", "amendments", "1", "amendment 1"),
    "trainee": (f"DELETE FROM trainees WHERE id = '{WANG}'", "trainees", WANG, f"trainee {WANG}"),
    "examiner": (f"DELETE FROM examiners WHERE id = '{SUN}'", "examiners", SUN, f"examiner {SUN}"),
    "setting": ("DELETE FROM meta WHERE key = 'pseudonym_secret'", "meta", "pseudonym_secret",
                "setting pseudonym_secret"),
    "kept indicator results": (f"DELETE FROM drill_indicators_kept WHERE drill_id = '{DRILL}'",
                               "drill_indicators", DRILL, f"indicator results of drill {DRILL}"),
}


@pytest.mark.parametrize("kind", list(DELETIONS))
def test_verify_names_each_deleted_record_as_missing(db, capsys, kind):
    sql, table, record_id, label = DELETIONS[kind]
    seq = audit_seq(db, table, record_id)
    with attacker(db) as con:
        if kind == "kept indicator results":
            con.execute("DELETE FROM drill_indicators WHERE drill_id = ?", (DRILL,))
        assert con.execute(sql).rowcount == 1
    code, lines = verify(db, capsys)
    assert code == 1
    assert f"{label}: missing (deleted after it was written; audit row {seq})" in lines


def test_verify_names_a_deleted_vitals_sample_and_event_of_a_drill_id_with_slashes(db, capsys):
    with attacker(db) as con:
        aseq = con.execute("SELECT audit_seq FROM vitals WHERE drill_id = ? AND t = 35", (DRILL,)).fetchone()[0]
        con.execute("DELETE FROM vitals WHERE drill_id = ? AND t = 35", (DRILL,))
        con.execute("DELETE FROM events WHERE drill_id = ? AND seq = 3", (DRILL,))
    code, lines = verify(db, capsys)
    assert code == 1
    assert f"vitals of drill {DRILL} at t=35 s: missing (deleted after it was written; audit row {aseq})" in lines
    assert any(line.startswith(f"event {DRILL}/3: missing (deleted") for line in lines)
    assert len(lines) == 2  # nothing else: every other record of the slashed drill is found


# --- insertions without an audit row --------------------------------------------------------
INSERTIONS = {
    "trainee": ("INSERT INTO trainees (id, name, staff_id) VALUES ('ghost', 'Ghost', 'S1001')",
                "trainee ghost"),
    "examiner": ("INSERT INTO examiners (id, name) VALUES ('ghost', 'Dr Ghost')", "examiner ghost"),
    "setting": ("INSERT INTO meta (key, value) VALUES ('signing_key', 'forged')", "setting signing_key"),
    "vitals sample": (f"INSERT INTO vitals (drill_id, t, data) VALUES ('{DRILL}', 2.5, '{{\"t\":2.5}}')",
                      f"vitals of drill {DRILL} at t=2.5 s"),
}


@pytest.mark.parametrize("kind", list(INSERTIONS))
def test_verify_names_each_row_added_without_an_audit_row(db, capsys, kind):
    sql, label = INSERTIONS[kind]
    with attacker(db) as con:
        con.execute(sql)
    code, lines = verify(db, capsys)
    assert code == 1
    assert f"{label}: has no audit row (added behind simtool's back)" in lines


# --- the guard triggers -----------------------------------------------------------------------
REFUSED = [
    "UPDATE signoffs SET at = 'x'", "DELETE FROM signoffs",
    "UPDATE amendments SET why = 'x'", "DELETE FROM amendments",
    "UPDATE events SET t = 1", "DELETE FROM events",
    "UPDATE audit SET actor = 'x'", "DELETE FROM audit",
    "UPDATE vitals SET data = '{}'", "DELETE FROM vitals",
    f"INSERT INTO vitals (drill_id, t, data) VALUES ('{DRILL}', 2.5, '{{}}')",
    "UPDATE meta SET value = 'x'", "DELETE FROM meta",
    "UPDATE trainees SET name = 'x'", "DELETE FROM trainees",
    "INSERT INTO trainees (id, name) VALUES ('ghost', 'Ghost')",
    "UPDATE examiners SET staff_id = 'x'", "DELETE FROM examiners",
    # an audit_seq pointing at some other record's audit row is no licence either
    "UPDATE trainees SET name = 'x', audit_seq = 1",
]


@pytest.mark.parametrize("sql", REFUSED)
def test_the_guard_triggers_refuse_direct_sql(db, sql):
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as con:
        before = con.execute("SELECT count(*), max(seq) FROM audit").fetchone()
        with pytest.raises(sqlite3.IntegrityError):
            con.execute(sql)
        assert con.execute("SELECT count(*), max(seq) FROM audit").fetchone() == before


def test_verify_names_a_guard_trigger_made_a_no_op(db, capsys):
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as con:
        con.execute("DROP TRIGGER signoffs_no_update")
        con.execute("CREATE TRIGGER signoffs_no_update BEFORE UPDATE ON signoffs "
                    "BEGIN SELECT 1; END")
    code, lines = verify(db, capsys)
    assert code == 1
    assert ("guard trigger signoffs_no_update was replaced by another one (it is not simtool's; "
            "changed behind simtool's back)") in lines


# --- the app's own corrections verify ---------------------------------------------------------
def test_a_name_corrected_through_simtool_is_an_audited_update(db, capsys):
    with Archive.open(db) as archive:
        archive.update_trainee(LI, name="Li Na (Lina)")
        archive.update_examiner(ZHOU, staff_id="E770")
        assert archive.trainee(LI).name == "Li Na (Lina)"
        assert archive.examiner(ZHOU).staff_id == "E770"
        rows = archive.db.execute("SELECT op, table_name, record_id FROM audit ORDER BY seq DESC "
                                  "LIMIT 2").fetchall()
    assert rows == [("update", "examiners", ZHOU), ("update", "trainees", LI)]
    code, _lines = verify(db, capsys)
    assert code == 0


def test_vitals_and_people_written_by_a_bundle_import_verify(db, tmp_path, capsys):
    from simtool.store.bundle import export_bundle, import_bundle
    bundle = tmp_path / "out.simtool"
    moved = "lab-b-2025-drill-8"  # a bundle refuses ids with '/' (they would become paths)
    loaded = load_scenario(PPH)
    with Archive.open(db) as archive:
        archive.start_drill(loaded, PatientParams(65.0), TEAM, "summative",
                            trainees={"t1": LI, "t2": WANG}, drill_id=moved)
        play(archive, loaded, moved, until=900)
        export_bundle(archive, [moved], bundle)
        samples = len(archive.vitals(moved))
    other = tmp_path / "department.sqlite"
    with Archive.open(other) as dept:
        report = import_bundle(dept, bundle)
        assert report.added == [moved]
        assert len(dept.vitals(moved)) == samples > 100
        assert dept.trainee(LI).name == "Li Na"
    code, _lines = verify(other, capsys)
    assert code == 0
    with attacker(other) as con:
        con.execute("DELETE FROM vitals WHERE drill_id = ? AND t = 35", (moved,))
    code, lines = verify(other, capsys)
    assert code == 1
    assert any(line.startswith(f"vitals of drill {moved} recorded in audit row ")
               and line.endswith(f": 1 of {samples} samples missing (deleted after they were written)")
               for line in lines)

def test_an_archive_emptied_of_every_row_is_not_taken_for_a_new_one(db, capsys, monkeypatch,
                                                                      tmp_path):
    """Every row of every table deleted (the settings and the whole audit log too) leaves a
    consistent, empty chain: verify names the missing settings every archive has, and the
    checkpoint noted for this path shows the log was cut, although the archive id is gone."""
    monkeypatch.setenv("SIMTOOL_DATA_HOME", str(tmp_path / "data"))
    code, _lines = verify(db, capsys)  # intact: notes the checkpoint of its head
    assert code == 0
    with attacker(db) as con:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            con.execute(f"DELETE FROM {table}")
    code, lines = verify(db, capsys)
    assert code == 1
    assert any(line.startswith("setting archive_id: missing") for line in lines), lines
    assert any(line.startswith("setting pseudonym_secret: missing") for line in lines), lines
    assert any(line.startswith("the audit log ends at row 0 but row ") for line in lines), lines
