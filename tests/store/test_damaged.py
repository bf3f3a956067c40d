"""Damaged and empty files given as the archive: every command ends in one sentence naming the
file, exit 1, and the file is byte-for-byte as it was — a zero-byte file, an SQLite file without
tables, a missing table, garbage over some pages, a truncated file, a wrong application id and
a WAL file that belongs to another database. Nothing is ever appended to a damaged file."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from simtool.cli import main
from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.scenario import load_scenario
from simtool.store.archive import Archive
from simtool.store.bundle import export_bundle
from simtool.store.errors import ArchiveDamagedError, ArchiveError
from simtool.store.records import Examiner

ROOT = Path(__file__).resolve().parents[2]
PPH = ROOT / "scenarios" / "pph_uterine_atony.yaml"
SCRIPT = ROOT / "tests" / "scripts" / "pph_uterine_atony" / "good_care.yaml"
RUBRIC = ROOT / "rubrics" / "pph_uterine_atony_technical.yaml"
TEAM = (Participant("t1", "Li Na", "midwife"), Participant("t2", "Wang Fang", "obstetrician"))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """A good archive (closed: no WAL): one scored drill recorded by `simtool run`, whose
    score sheet exports on the intact file, and five more drills; and another archive with a
    bundle of its drill."""
    folder = tmp_path_factory.mktemp("good")
    path = folder / "archive.sqlite"
    loaded = load_scenario(PPH)
    now = [datetime(2025, 2, 3, 9, tzinfo=timezone.utc)]

    def clock() -> datetime:
        now[0] += timedelta(seconds=1)
        return now[0]

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIMTOOL_DATA_HOME", str(folder / "user-data"))
        assert main(["run", str(PPH), "--script", str(SCRIPT), "--archive", str(path),
                     "--rubric", str(RUBRIC)]) == 0
        with Archive.open(path, clock=clock) as archive:
            (scored,) = archive.drills()
            for i in range(5):
                did = archive.start_drill(loaded, PatientParams(65.0), TEAM, drill_id=f"drill-{i + 1}")
                drill = Drill(loaded, PatientParams(65.0), TEAM)
                archive.record(did, drill)
                for t in range(60, 400, 60):
                    drill.advance_to(t)
                    drill.note(f"note at {t} s " + "x" * 300, by="t1")
                drill.end()
        with Archive.open(folder / "other.sqlite", clock=clock) as other:
            did = other.start_drill(loaded, PatientParams(65.0), TEAM, drill_id="other-drill")
            other.record(did, Drill(loaded, PatientParams(65.0), TEAM))
            export_bundle(other, ["other-drill"], folder / "other.simtool")
    return {"archive": path, "bundle": folder / "other.simtool", "other": folder / "other.sqlite",
            "drill": scored.id}


def page_size(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as con:
        return con.execute("PRAGMA page_size").fetchone()[0]


def rootpage(path: Path, table: str) -> int:
    with contextlib.closing(sqlite3.connect(path)) as con:
        return con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]


def garbage_over_pages(path: Path) -> None:
    """Random bytes over the root pages of the record's tables (what a bad sector does)."""
    size = page_size(path)
    pages = [rootpage(path, t) for t in ("drills", "participants", "events", "audit",
                                         "score_sheets", "sheet_items")]
    with open(path, "r+b") as f:
        for page in pages:
            f.seek((page - 1) * size + 100)
            f.write(os.urandom(size - 200))


def truncated(path: Path) -> None:
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size // 2)


def missing_table(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as con:
        con.execute("DROP TABLE signoffs")


def wrong_application_id(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as con:
        con.execute("PRAGMA application_id = 1234")


def _foreign_wal(path: Path, writes) -> None:
    """Copy beside ``path`` the WAL of another database, taken while that one was open."""
    other = path.with_name("foreign.sqlite")
    con = sqlite3.connect(other, isolation_level=None)
    con.execute("PRAGMA wal_autocheckpoint = 0")
    con.execute("PRAGMA journal_mode = WAL")
    writes(con)
    shutil.copy(other.with_name(other.name + "-wal"), path.with_name(path.name + "-wal"))
    con.close()


def wal_of_another_program(path: Path) -> None:
    def writes(con):
        con.execute("CREATE TABLE contacts (name TEXT, note TEXT)")
        con.executemany("INSERT INTO contacts VALUES (?, ?)", [(f"n{i}", "y" * 500) for i in range(200)])
    _foreign_wal(path, writes)


def wal_of_another_archive(path: Path, other: Path) -> None:
    """The WAL of another simtool archive (same schema, other records) left by a write."""
    copy = path.with_name("foreign.sqlite")
    shutil.copy(other, copy)
    con = sqlite3.connect(copy, isolation_level=None)
    con.execute("PRAGMA wal_autocheckpoint = 0")
    con.execute("INSERT INTO texts (sha256, kind, text) VALUES ('x', 'rubric', ?)", ("z" * 20000,))
    shutil.copy(copy.with_name(copy.name + "-wal"), path.with_name(path.name + "-wal"))
    con.close()


DAMAGE = {"missing table": missing_table, "garbage over pages": garbage_over_pages,
          "truncated": truncated, "wrong application id": wrong_application_id,
          "WAL of another program's database": wal_of_another_program,
          "WAL of another archive": None}

COMMANDS = {
    "drills": lambda db, tmp, bundle: ["drills", "--archive", str(db)],
    "verify": lambda db, tmp, bundle: ["verify", "--archive", str(db)],
    "export": lambda db, tmp, bundle: ["export", DRILL_ID[0], "--kind", "score-sheet", "-o",
                                       str(tmp / "out.pdf"), "--archive", str(db)],
    "bundle import": lambda db, tmp, bundle: ["bundle", "import", str(bundle), "--archive", str(db)],
    "bundle export": lambda db, tmp, bundle: ["bundle", "export", "-o", str(tmp / "out.simtool"),
                                              "--archive", str(db)],
    "run": lambda db, tmp, bundle: ["run", str(PPH), "--script", str(SCRIPT), "--archive", str(db)],
}


DRILL_ID = [""]


def test_every_command_works_on_the_intact_archive(built, tmp_path, capsys):
    """The cases below fail because of the damage, not because the command cannot work."""
    DRILL_ID[0] = built["drill"]
    db = tmp_path / "archive.sqlite"
    shutil.copy(built["archive"], db)
    for command in COMMANDS:
        assert main(COMMANDS[command](db, tmp_path, built["bundle"])) == 0, command
    assert (tmp_path / "out.pdf").exists() and (tmp_path / "out.simtool").exists()


def one_sentence(capsys, name: str) -> str:
    out, err = capsys.readouterr()
    lines = [line for line in (out + err).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "Traceback" not in lines[0] and str(name) in lines[0]
    return lines[0]


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_archive_is_one_sentence_exit_1_and_untouched(built, tmp_path, capsys,
                                                                 damage, command):
    DRILL_ID[0] = built["drill"]
    db = tmp_path / "archive.sqlite"
    shutil.copy(built["archive"], db)
    if damage == "WAL of another archive":
        wal_of_another_archive(db, built["other"])
    else:
        DAMAGE[damage](db)
    before = sha(db)
    wal = db.with_name(db.name + "-wal")
    wal_before = sha(wal) if wal.exists() else None
    capsys.readouterr()
    assert main(COMMANDS[command](db, tmp_path, built["bundle"])) == 1
    line = one_sentence(capsys, db)
    assert ("damaged" in line or "not a simtool archive" in line), line
    assert sha(db) == before
    if wal_before is not None:
        assert wal.exists() and sha(wal) == wal_before  # the foreign WAL was not copied in
    assert not (tmp_path / "out.pdf").exists() and not (tmp_path / "out.simtool").exists()


EMPTY = {"zero bytes": lambda p: p.write_bytes(b""),
         "no tables": lambda p: _no_tables(p)}


def _no_tables(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as con:
        con.execute("CREATE TABLE x (y)")
        con.execute("DROP TABLE x")
        con.execute("VACUUM")


@pytest.mark.parametrize("command", ["drills", "verify", "export", "bundle import", "bundle export", "run"])
@pytest.mark.parametrize("kind", list(EMPTY))
def test_an_empty_file_is_never_taken_for_a_new_archive(built, tmp_path, capsys, kind, command):
    db = tmp_path / "emptied.sqlite"
    EMPTY[kind](db)
    before = sha(db)
    capsys.readouterr()
    assert main(COMMANDS[command](db, tmp_path, built["bundle"])) == 1
    line = one_sentence(capsys, db)
    why = {"zero bytes": "is empty (zero bytes)", "no tables": "is empty (an SQLite file without tables)"}
    assert f"{db} {why[kind]}: not a simtool archive. The file was not changed." in line
    assert sha(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["emptied.sqlite"]


def test_the_store_refuses_to_write_to_a_damaged_file_before_the_first_write(built, tmp_path):
    db = tmp_path / "archive.sqlite"
    shutil.copy(built["archive"], db)
    size = page_size(db)
    # damage a page the first write does not touch: reads of other tables still work
    with open(db, "r+b") as f:
        f.seek((rootpage(db, "events") - 1) * size + 100)
        f.write(os.urandom(size - 200))
    before = sha(db)
    with Archive.open(db) as archive:
        assert len(archive.drills()) == 6          # reading what is readable is fine
        with pytest.raises(ArchiveDamagedError) as info:
            archive.add_examiner(Examiner("Dr Zhou"))
    message = str(info.value)
    assert message.startswith(f"the archive {db} is damaged (") and message.endswith(
        "it was not changed. Restore a backup or run simtool verify")
    assert sha(db) == before


def test_a_newly_created_archive_is_not_refused_as_empty(tmp_path):
    db = tmp_path / "new.sqlite"
    with Archive.open(db) as archive:
        assert archive.drills() == []
    with Archive.open(db, create=False) as archive:  # a new archive, closed before any drill
        assert archive.drills() == []


def test_an_archive_created_but_never_written_opens_again(tmp_path):
    """A new archive is WAL-mode from its first byte: its file may hold only the header while
    a crash left the rest in the WAL; that is not an empty file."""
    db = tmp_path / "new.sqlite"
    with pytest.raises(ArchiveError):
        Archive.open(tmp_path / "missing" / "x.sqlite")
    Archive.open(db).close()
    with Archive.open(db, create=False) as archive:
        assert archive.verify() == []


def test_reading_a_damaged_page_through_the_store_is_one_sentence(built, tmp_path):
    db = tmp_path / "archive.sqlite"
    shutil.copy(built["archive"], db)
    garbage_over_pages(db)
    before = sha(db)
    with Archive.open(db) as archive:
        with pytest.raises(ArchiveDamagedError) as info:
            archive.drills()
    assert str(info.value).startswith(f"the archive {db} is damaged (")
    assert "\n" not in str(info.value)
    assert sha(db) == before


def test_a_file_damaged_after_a_clean_session_is_still_checked_before_writing(tmp_path):
    """A session that checked the file and wrote to it notes the file's stamp, so the next one
    may skip the slow check; any change to the file since (here garbage over a page, with its
    size kept) brings the check back, and the damaged file is refused untouched."""
    from simtool.store import checkpoint
    path = tmp_path / "archive.sqlite"
    loaded = load_scenario(PPH)
    with Archive.open(path) as archive:
        archive.start_drill(loaded, PatientParams(65.0), TEAM, drill_id="first")
        aid = checkpoint.archive_id(archive)
    assert checkpoint.unchanged_since_checked(aid, path)
    with Archive.open(path) as archive:  # a second clean session keeps the stamp current
        archive.start_drill(loaded, PatientParams(65.0), TEAM, drill_id="second")
    assert checkpoint.unchanged_since_checked(aid, path)
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.seek(size - 4096)
        f.write(b"\xde\xad\xbe\xef" * 1024)
    assert path.stat().st_size == size and not checkpoint.unchanged_since_checked(aid, path)
    before = sha(path)
    with pytest.raises(ArchiveError):
        with Archive.open(path) as archive:
            archive.start_drill(loaded, PatientParams(65.0), TEAM, drill_id="third")
    assert sha(path) == before
