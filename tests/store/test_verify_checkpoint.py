"""The end of the audit log, checked against a checkpoint kept outside the archive file: the
last drill deleted together with the tail of the audit log, or the file put back from an older
copy, is named by `simtool verify`; a truncated archive written to again never moves the
checkpoint that shows it; the checkpoint file is written whole."""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from simtool.cli import main
from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.scenario import load_scenario
from simtool.store.archive import Archive
from simtool.store.checkpoint import checkpoint_file
from simtool.store.records import Trainee

ROOT = Path(__file__).resolve().parents[2]
PPH = ROOT / "scenarios" / "pph_uterine_atony.yaml"
TEAM = (Participant("t1", "Li Na", "midwife"),)


@pytest.fixture(scope="module")
def loaded():
    return load_scenario(PPH)


def clock():
    now = [datetime(2025, 5, 2, 8, tzinfo=timezone.utc)]

    def tick() -> datetime:
        now[0] += timedelta(seconds=1)
        return now[0]
    return tick


def add_drill(path: Path, loaded, drill_id: str) -> None:
    with Archive.open(path, clock=clock()) as archive:
        archive.start_drill(loaded, PatientParams(65.0), TEAM, drill_id=drill_id)
        drill = Drill(loaded, PatientParams(65.0), TEAM)
        archive.record(drill_id, drill)
        drill.advance_to(120)
        drill.act("call_for_help", by="t1")
        drill.end()


def head(path: Path) -> tuple[int, str]:
    with contextlib.closing(sqlite3.connect(path)) as con:
        return con.execute("SELECT seq, sha256 FROM audit ORDER BY seq DESC LIMIT 1").fetchone()


def archive_id(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as con:
        return con.execute("SELECT value FROM meta WHERE key = 'archive_id'").fetchone()[0]


def cut_last_drill(path: Path, drill_id: str) -> int:
    """Remove the drill and every audit row from its first on, guards dropped and put back,
    as someone hiding a drill would; returns the first removed audit row."""
    con = sqlite3.connect(path, isolation_level=None)
    triggers = con.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        con.execute(f"DROP TRIGGER {name}")
    first = con.execute("SELECT min(seq) FROM audit WHERE record_id = ? OR record_id LIKE ?",
                        (drill_id, f"{drill_id}/%")).fetchone()[0]
    # (with the results kept when it ended: a consistent cut takes them too)
    for table in ("events", "vitals", "participants", "drill_indicators", "drill_indicators_kept"):
        con.execute(f"DELETE FROM {table} WHERE drill_id = ?", (drill_id,))
    con.execute("DELETE FROM drills WHERE id = ?", (drill_id,))
    con.execute("DELETE FROM audit WHERE seq >= ?", (first,))
    for (sql,) in triggers:
        con.execute(sql)
    con.close()
    return first


def verify(path: Path, capsys) -> tuple[int, list[str]]:
    capsys.readouterr()
    code = main(["verify", "--archive", str(path)])
    return code, capsys.readouterr().out.splitlines()


def test_closing_an_archive_it_wrote_to_notes_the_head_outside_the_file(tmp_path, loaded):
    db = tmp_path / "a.sqlite"
    add_drill(db, loaded, "d1")
    doc = json.loads(checkpoint_file().read_text(encoding="utf-8"))
    seq, sha = head(db)
    assert doc["archives"][archive_id(db)]["seq"] == seq
    assert doc["archives"][archive_id(db)]["sha256"] == sha
    assert not list(checkpoint_file().parent.glob(".checkpoints.*.tmp"))  # written whole


def test_the_last_drill_cut_off_with_the_tail_of_the_log_is_named(tmp_path, loaded, capsys):
    db = tmp_path / "a.sqlite"
    add_drill(db, loaded, "d1")
    add_drill(db, loaded, "d2")
    recorded, _sha = head(db)
    first = cut_last_drill(db, "d2")
    # without the checkpoint the cut file is consistent: that is the hole this closes
    with Archive.open(db) as archive:
        assert archive.verify(checkpoints=False) == []
    code, lines = verify(db, capsys)
    assert code == 1 and len(lines) == 1
    assert lines[0].startswith(f"{db}: the audit log ends at row {first - 1} but row {recorded} "
                               f"(hash {_sha[:16]}…) was recorded on 2025-05-02 08:00:")
    assert lines[0].endswith(": rows were removed from the end (or the file was replaced by an "
                             "older copy)")


def test_a_cut_archive_written_to_again_does_not_move_the_checkpoint(tmp_path, loaded, capsys):
    db = tmp_path / "a.sqlite"
    add_drill(db, loaded, "d1")
    add_drill(db, loaded, "d2")
    recorded, sha = head(db)
    cut_last_drill(db, "d2")
    with Archive.open(db) as archive:  # new rows take the cut rows' numbers
        for i in range(40):
            archive.add_trainee(Trainee(f"Trainee {i}"))
    assert head(db)[0] > recorded
    code, lines = verify(db, capsys)
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith(f"{db}: audit row {recorded} has hash ")
    assert f"but hash {sha[:16]}… was recorded for it on 2025-05-02" in lines[0]
    assert lines[0].endswith("the end of the log was rewritten (or the file was replaced by another copy)")


def test_an_older_copy_put_back_is_named(tmp_path, loaded, capsys):
    db, backup = tmp_path / "a.sqlite", tmp_path / "backup.sqlite"
    add_drill(db, loaded, "d1")
    shutil.copy(db, backup)
    add_drill(db, loaded, "d2")
    shutil.copy(backup, db)
    code, lines = verify(db, capsys)
    assert code == 1 and "rows were removed from the end (or the file was replaced by an older copy)" in lines[0]


def test_verify_of_an_intact_archive_moves_the_checkpoint_forward(tmp_path, loaded, capsys):
    db = tmp_path / "a.sqlite"
    add_drill(db, loaded, "d1")
    checkpoint_file().unlink()           # e.g. a new user account on the same machine
    code, lines = verify(db, capsys)
    seq, sha = head(db)
    assert code == 0 and lines == [f"{db}: every record and the audit chain verify; audit chain "
                                   f"head: {seq} / {sha[:16]}…"]
    assert json.loads(checkpoint_file().read_text())["archives"][archive_id(db)]["seq"] == seq


def test_a_damaged_checkpoint_file_is_named_and_kept(tmp_path, loaded, capsys):
    db = tmp_path / "a.sqlite"
    add_drill(db, loaded, "d1")
    checkpoint_file().write_text("{not json", encoding="utf-8")
    add_drill(db, loaded, "d2")  # closing does not overwrite the evidence
    assert checkpoint_file().read_text(encoding="utf-8") == "{not json"
    code, lines = verify(db, capsys)
    assert code == 1 and len(lines) == 1
    assert f"the checkpoint file {checkpoint_file()} is damaged" in lines[0]


def test_a_signed_score_sheet_pdf_prints_the_chain_head_in_its_footer(tmp_path, capsys):
    import subprocess

    from simtool.reports.scoredata import build_score_sheet
    from simtool.reports.scoresheet import render_score_sheet
    from simtool.store.records import Examiner

    assert shutil.which("pdftotext"), "pdftotext is missing: apt-get install poppler-utils"
    db = tmp_path / "a.sqlite"
    script = ROOT / "tests" / "scripts" / "pph_uterine_atony" / "good_care.yaml"
    rubric = ROOT / "rubrics" / "pph_uterine_atony_technical.yaml"
    assert main(["run", str(PPH), "--script", str(script), "--archive", str(db),
                 "--rubric", str(rubric)]) == 0
    with Archive.open(db) as archive:
        (info,) = archive.drills()
        signed, unsigned = archive.sheets(info.id)[:2]
        archive.sign_sheet(signed.id, archive.add_examiner(Examiner("Dr Zhou")))
        seq, sha = head(db)
        pdfs = {name: render_score_sheet(build_score_sheet(archive, sheet_id))
                for name, sheet_id in (("signed", signed.id), ("unsigned", unsigned.id))}
    texts = {}
    for name, pdf in pdfs.items():
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        texts[name] = subprocess.run(["pdftotext", str(tmp_path / f"{name}.pdf"), "-"],
                                     capture_output=True, text=True, check=True).stdout
    pages = texts["signed"].count("\f")
    assert texts["signed"].count(f"Audit chain head: {seq} / {sha[:16]}…") == pages >= 1
    assert f"{seq} / {sha[:16]}…" not in texts["unsigned"]
