"""Every command that writes a file (issue 14, deliverables 1 and 5): `export`, `drills --csv /
--scores-csv` and `bundle export` never write over the archive (by any name), replace an
existing file only with --force, write whole or not at all; ids never leave the --all-sheets
folder; CSV cells are never formulas; names never drive the terminal."""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from simtool.cli import main

from helpers.outputs import hostile_copy, sha

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(hostile_archive, tmp_path) -> Path:
    """A private copy of the hostile archive, in its own folder."""
    return hostile_copy(hostile_archive, tmp_path)


def _commands(db: Path, drill: str, out: str) -> dict[str, list[str]]:
    return {
        "export": ["export", drill, "--kind", "score-sheet", "--trainee", "../../t1", "--archive", str(db), "-o", out],
        "debrief": ["export", drill, "--kind", "debrief", "--archive", str(db), "-o", out],
        "drills --csv": ["drills", "--archive", str(db), "--csv", out],
        "drills --scores-csv": ["drills", "--archive", str(db), "--scores-csv", out],
        "bundle export": ["bundle", "export", "--archive", str(db), "-o", out],
    }


COMMANDS = ["export", "debrief", "drills --csv", "drills --scores-csv", "bundle export"]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("how", ["itself", "relative", "symlink", "-wal", "-shm"])
def test_no_command_writes_over_the_archive(db, hostile_archive, command, how, capsys, monkeypatch):
    monkeypatch.chdir(db.parent)
    if how == "symlink":
        (db.parent / "link.pdf").symlink_to(db)
    out = {"itself": str(db), "relative": "w.db", "symlink": "link.pdf", "-wal": "w.db-wal",
           "-shm": str(db) + "-shm"}[how]
    before = sha(db)
    for force in ([], ["--force"]):
        assert main(_commands(db, hostile_archive["drill"], out)[command] + force) == 1
        err = capsys.readouterr().err
        assert "archive" in err and "refusing to write over it" in err and len(err.splitlines()) == 1
    assert sha(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == sorted(["w.db"] + (["link.pdf"] if how == "symlink" else []))
    assert main(["verify", "--archive", str(db)]) in (0, 1)  # still opens as an archive
    capsys.readouterr()


@pytest.mark.parametrize("command", COMMANDS)
def test_an_existing_file_is_replaced_only_with_force(db, hostile_archive, command, tmp_path, capsys):
    out = tmp_path / "existing.out"
    out.write_bytes(b"the department's own file")
    argv = _commands(db, hostile_archive["drill"], str(out))[command]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.strip().endswith(f"{out} exists; use --force to replace it")
    assert out.read_bytes() == b"the department's own file"
    assert main(argv + ["--force"]) == 0
    written = out.read_bytes()
    assert written != b"the department's own file"
    assert written.startswith({"export": b"%PDF", "debrief": b"%PDF", "bundle export": b"PK"}.get(command, b"id,")
                              if "scores" not in command else b"sheet_id,")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_force_is_documented_on_every_command_that_writes(capsys):
    for argv in (["export", "--help"], ["drills", "--help"], ["bundle", "export", "--help"]):
        with pytest.raises(SystemExit):
            main(argv)
        assert "--force" in capsys.readouterr().out


def test_all_sheets_never_leave_the_folder_whatever_the_ids(db, hostile_archive, tmp_path, capsys):
    folder = tmp_path / "deep" / "sheets"
    before = {p for p in tmp_path.rglob("*")}
    assert main(["export", hostile_archive["drill"], "--kind", "score-sheet", "--all-sheets",
                 "--archive", str(db), "-o", str(folder)]) == 0
    created = {p for p in tmp_path.rglob("*")} - before
    files = sorted(p for p in created if p.is_file() and "user-data" not in p.parts)
    # the drill id is "../../outside/drill<ESC>[2J"; participants "../../t1", "a/b\c" and ".."
    assert [p.name for p in files] == sorted([
        "outside_drill_[2J-t1-en.pdf", "outside_drill_[2J-a_b_c-en.pdf", "outside_drill_[2J-unnamed-en.pdf",
        "outside_drill_[2J-team-en.pdf"])
    assert all(p.parent == folder and p.read_bytes().startswith(b"%PDF") for p in files)
    assert not (tmp_path / "outside").exists() and not (tmp_path / "deep" / "outside").exists()
    err = capsys.readouterr().err
    assert "\x1b" not in err and err.count("simtool export: wrote") == 4
    # again: all but the first file exist, so nothing at all is written without --force (every
    # target is checked before the first is written), and all of them with it
    first = folder / "outside_drill_[2J-unnamed-en.pdf"
    first.unlink()
    stamps = {p: p.stat().st_mtime_ns for p in files if p != first}
    assert main(["export", hostile_archive["drill"], "--kind", "score-sheet", "--all-sheets",
                 "--archive", str(db), "-o", str(folder)]) == 1
    assert "exists; use --force" in capsys.readouterr().err
    assert not first.exists() and {p: p.stat().st_mtime_ns for p in files if p != first} == stamps
    assert main(["export", hostile_archive["drill"], "--kind", "score-sheet", "--all-sheets",
                 "--archive", str(db), "-o", str(folder), "--force"]) == 0
    assert sorted(p.name for p in folder.iterdir()) == [p.name for p in files]


def test_all_sheets_into_the_archive_itself_is_refused(db, hostile_archive, capsys):
    before = sha(db)
    assert main(["export", hostile_archive["drill"], "--kind", "score-sheet", "--all-sheets",
                 "--archive", str(db), "-o", str(db), "--force"]) == 1
    assert "archive" in capsys.readouterr().err
    assert sha(db) == before


def test_csv_cells_that_a_spreadsheet_would_evaluate_are_neutralised(db, tmp_path, capsys):
    import sqlite3
    con = sqlite3.connect(db)   # an unsigned sheet may be rescored: a negative item stays a number
    con.execute("UPDATE sheet_items SET points = -3 WHERE sheet_id = (SELECT id FROM score_sheets "
                "WHERE json_extract(data, '$.participant') = '../../t1') AND item_id = 'closed_loop'")
    con.execute("UPDATE drills SET site = '@SUM(1+1)*cmd|'' /C calc''!A0'")
    con.commit()
    con.close()
    assert main(["drills", "--archive", str(db), "--csv", str(tmp_path / "d.csv"),
                 "--scores-csv", str(tmp_path / "s.csv")]) == 0
    capsys.readouterr()
    (drill,) = list(csv.DictReader(io.StringIO((tmp_path / "d.csv").read_text(encoding="utf-8"))))
    assert drill["site"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert "=cmd|' /C calc'!A0 <b>Li</b> & Co (midwife)" in drill["participants"]
    sheets = list(csv.DictReader(io.StringIO((tmp_path / "s.csv").read_text(encoding="utf-8"))))
    li = next(r for r in sheets if "Li" in r["trainee"])
    assert li["trainee"] == "'=cmd|' /C calc'!A0 <b>Li</b> & Co"
    assert li["points"] == "-2"   # our own number: 1 + 0 - 3, never "'-2"
    for row in sheets + [drill]:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")) or value == li["points"]


def test_names_and_ids_with_escape_sequences_never_reach_the_terminal(db, hostile_archive, capsys):
    assert main(["drills", "--archive", str(db)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    assert "王芳😀\\x1b[31m\\u202eevil" in out and "../../outside/drill\\x1b[2J" in out
    # --json stays JSON, and carries the names exactly
    assert main(["drills", "--archive", str(db), "--json"]) == 0
    (d,) = json.loads(capsys.readouterr().out)
    assert d["id"] == hostile_archive["drill"]
    assert {p["name"] for p in d["participants"]} == set(hostile_archive["names"].values())
    # an error naming an id from the command line or the archive is escaped too
    assert main(["export", "\x1b]0;owned\x07x", "--kind", "debrief", "--archive", str(db),
                 "-o", str(db.parent / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "\\x1b]0;owned\\x07x" in err
    # a trainee's portfolio names them
    import sqlite3
    con = sqlite3.connect(db)
    (tid,) = con.execute("SELECT trainee_id FROM participants WHERE id = '..'").fetchone()
    con.close()
    assert main(["stats", "portfolio", tid, "--archive", str(db)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and out.startswith("王芳😀\\x1b[31m\\u202eevil")


def test_a_full_disk_during_an_export_keeps_the_old_report(db, hostile_archive, tmp_path):
    """The file size limit makes the PDF's write fail part-way (EFBIG), as a full disk does."""
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.4 last week's report, complete")

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))   # a PDF here is > 40 kB

    out = subprocess.run([sys.executable, "-m", "simtool", "export", hostile_archive["drill"], "--kind",
                          "debrief", "--archive", str(db), "-o", str(report), "--force"],
                         capture_output=True, text=True, cwd=ROOT, preexec_fn=small_disk, env=os.environ.copy())
    assert out.returncode == 1
    assert out.stderr == (f"simtool export: cannot write {report}: the file is larger than this file system "
                          f"or a size limit allows; nothing was changed there\n")
    assert report.read_bytes() == b"%PDF-1.4 last week's report, complete"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf", "user-data", "work"]


def test_opening_an_old_archive_from_the_command_line_says_the_upgrade_as_it_goes(tmp_path, pph, capsys):
    from simtool.core.drill import Drill
    from simtool.store import Archive

    from helpers.archive import PATIENT, TEAM
    path = tmp_path / "old.sqlite"
    with Archive.open(path, schema_version=9) as archive:   # ended drills, no kept results
        for _ in range(2):
            did = archive.start_drill(pph, PATIENT, TEAM)
            drill = Drill(pph, PATIENT, TEAM)
            archive.record(did, drill)
            drill.advance_to(600)
            drill.end()
    capsys.readouterr()
    assert main(["drills", "--archive", str(path)]) == 0
    err = capsys.readouterr().err
    assert "indicator results of 2 drills" in err and "Traceback" not in err
