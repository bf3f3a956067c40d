"""`simtool run --archive` the hard way: killed with SIGKILL at random moments, it has lost
nothing it printed, the drill shows as interrupted, and resuming it replays to the same state
and vitals and carries on to exactly the record of an uninterrupted run. Also the archive
commands: drills, verify, bundle."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from simtool.cli import main
from simtool.cli.run import event_line as _event_line
from simtool.core.events import INPUT_KINDS
from simtool.store import Archive

from helpers.archive import unwalled
from helpers.timeforms import old_time_forms
from helpers.paths import PPH, ROOT, SCRIPTS

BUSY = SCRIPTS / "busy_team.yaml"
KILLS = 20  # random kill points across the parametrised cases below, each with its own seed
SPEED = "1000"


def simtool(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "simtool", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, **kw)


@pytest.fixture(scope="module")
def straight() -> dict:
    """The same drill played without interruption."""
    out = simtool("run", str(PPH), "--script", str(BUSY), "--json")
    assert out.returncode == 0, out.stderr
    played = json.loads(out.stdout)
    played["events"] = unwalled(played["events"])
    return played


def run_and_kill(db: Path, after_lines: int) -> list[str]:
    """Start a recorded run and SIGKILL it as soon as it has printed ``after_lines`` lines
    (or let it finish if it prints fewer); the lines it printed. Killing on progress rather
    than after a wall-clock delay keeps the test independent of how busy the machine is."""
    proc = subprocess.Popen([sys.executable, "-m", "simtool", "run", str(PPH), "--script", str(BUSY),
                             "--archive", str(db), "--speed", SPEED],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            encoding="utf-8", cwd=ROOT)
    lines: list[str] = []
    for line in proc.stdout:  # type: ignore[union-attr]
        lines.append(line.rstrip("\n"))
        if len(lines) >= after_lines:
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait()
    proc.stdout.close()  # type: ignore[union-attr]
    return lines


def event_count(straight: dict) -> int:
    return len(straight["events"])


# each seed kills after a random number of printed lines, from the first event to past the
# last; three more cases kill right after the first line (before any input) and right after the
# "end" line, and let the run finish
@pytest.mark.parametrize("seed", [*range(KILLS), "at-start", "at-end", "never"])
def test_a_killed_drill_loses_nothing_and_resumes_to_the_same_record(seed, tmp_path, straight):
    n = event_count(straight)
    after = {"at-start": 1, "at-end": n, "never": 10 ** 6}.get(seed) if isinstance(seed, str) else \
        random.Random(seed).randint(1, n + 2)
    db = tmp_path / "archive.sqlite"
    printed = run_and_kill(db, after)
    event_lines = [line for line in printed if line[:2].isdigit()]
    assert event_lines, "the run printed no event before it was killed"

    with Archive.open(db) as archive:
        (info,) = archive.drills()
        stored = archive.events(info.id)
        # every line printed was committed before it was printed, in order
        assert [_event_line(e) for e in stored][:len(event_lines)] == event_lines
        # the "end" event and the status ended are committed together: the record itself
        # tells a kill after the end (complete, ended) from a kill before it (interrupted)
        ended = bool(stored) and stored[-1].kind == "end"
        assert (info.status == "ended") == ended
        if seed in ("at-end", "never"):
            assert ended
        if ended:  # killed after the end, or not killed: the whole record, nothing to resume
            assert unwalled([e.to_dict() for e in stored]) == straight["events"]
            assert archive.verify() == []
            refused = simtool("run", str(PPH), "--script", str(BUSY), "--archive", str(db),
                              "--resume", info.id, "--json")
            assert refused.returncode == 1 and "has ended; it cannot be resumed" in refused.stderr
            return
        assert info.status == "interrupted"
        assert len(stored) < n

    resumed = simtool("run", str(PPH), "--script", str(BUSY), "--archive", str(db),
                      "--resume", info.id, "--json")
    assert resumed.returncode == 0, resumed.stderr
    final = json.loads(resumed.stdout)
    # the resumed drill replays and carries on to exactly the uninterrupted record, each input
    # entered before the kill keeping the wall time it was entered at. How many inputs the run
    # committed between its last printed line and the SIGKILL depends on timing: a kill on the
    # first lines may come before any input (none to keep), but every input it printed is one
    assert unwalled(final["events"]) == straight["events"]
    before = {e.seq: e.wall for e in stored if e.kind in INPUT_KINDS}
    inputs_printed = [e.seq for e in stored[:len(event_lines)] if e.kind in INPUT_KINDS]
    assert set(inputs_printed) <= set(before) and all(before.values())
    assert {e["seq"]: e["wall"] for e in final["events"] if e["seq"] in before} == before
    assert final["outcome"] == straight["outcome"]
    with Archive.open(db) as archive:
        assert archive.drill(info.id).status == "ended"
        assert unwalled([e.to_dict() for e in archive.events(info.id)]) == straight["events"]
        stored_vitals = {row["t"]: row for row in archive.vitals(info.id)}
        for row in straight["vitals"]:
            if row["t"] in stored_vitals:
                assert stored_vitals[row["t"]] == row
        assert archive.verify() == []


def test_every_event_is_printed_once_and_only_after_its_commit(tmp_path):
    db = tmp_path / "a.sqlite"
    out = simtool("run", str(PPH), "--script", str(BUSY), "--archive", str(db))
    assert out.returncode == 0, out.stderr
    with Archive.open(db) as archive:
        (info,) = archive.drills()
        stored = [_event_line(e) for e in archive.events(info.id)]
    # an event line starts with its drill time: mm:ss, h:mm:ss from the first hour on
    printed = [line for line in out.stdout.splitlines() if re.match(r"(\d+:)?\d\d:\d\d [a-z]", line)]
    assert printed == stored
    assert f"drill {info.id}" in out.stderr
    # issue 16: indicator times and targets in minutes and seconds
    indicators = [line for line in out.stdout.splitlines() if line.startswith("indicator ")]
    assert indicators and all(re.fullmatch(r"indicator \w+: (never|(\d+ min)? ?(\d+ s)?) \(target (\d+ min)? ?(\d+ s)?\) "
                                           r"(met|not met|not applicable)", line) for line in indicators), indicators
    assert old_time_forms(out.stdout) == []


def test_drills_lists_status_as_text_json_and_csv(tmp_path, capsys, monkeypatch):
    db = tmp_path / "a.sqlite"
    assert main(["run", str(PPH), "--script", str(BUSY), "--archive", str(db),
                 "--evaluation-type", "summative", "--examiner", "Dr Zhou"]) == 0
    capsys.readouterr()
    assert main(["drills", "--archive", str(db), "--json"]) == 0
    (drill,) = json.loads(capsys.readouterr().out)
    assert drill["status"] == "ended" and drill["evaluation_type"] == "summative"
    assert [p["role"] for p in drill["participants"]] == ["midwife", "obstetrician", "anaesthetist"]
    assert main(["drills", "--archive", str(db)]) == 0
    assert "ended" in capsys.readouterr().out
    # issue 16: the start in the local zone with its offset; --json keeps the archive's UTC
    monkeypatch.setenv("SIMTOOL_TZ", "Asia/Shanghai")
    assert main(["drills", "--archive", str(db)]) == 0
    start = datetime.fromisoformat(drill["started_at"]).astimezone(timezone(timedelta(hours=8)))
    assert f"{drill['id']}  {start:%Y-%m-%d %H:%M} (UTC+08:00)  pph_uterine_atony" in capsys.readouterr().out
    assert drill["started_at"].endswith("+00:00")
    csv_path = tmp_path / "drills.csv"
    assert main(["drills", "--archive", str(db), "--csv", str(csv_path)]) == 0
    rows = csv_path.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 2 and drill["id"] in rows[1] and "Li Na (midwife)" in rows[1]


def test_verify_names_an_event_changed_behind_the_apps_back(tmp_path, capsys):
    db = tmp_path / "a.sqlite"
    assert main(["run", str(PPH), "--script", str(BUSY), "--archive", str(db)]) == 0
    assert main(["verify", "--archive", str(db)]) == 0
    capsys.readouterr()
    con = sqlite3.connect(db)
    # an attacker with the sqlite3 module: remove the guards, then change a dose
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        con.execute(f"DROP TRIGGER {name}")
    drill_id, seq, data = con.execute("SELECT drill_id, seq, data FROM events WHERE kind = 'action' "
                                      "AND data LIKE '%oxytocin%'").fetchone()
    assert '"dose":10' in data
    con.execute("UPDATE events SET data = ? WHERE drill_id = ? AND seq = ?",
                (data.replace('"dose":10', '"dose":40'), drill_id, seq))
    con.commit()
    con.close()
    assert main(["verify", "--archive", str(db)]) == 1
    out = capsys.readouterr().out
    assert str(db) in out and "event" in out


def test_bundle_moves_drills_between_archives_once(tmp_path, capsys):
    a, b, bundle = tmp_path / "a.sqlite", tmp_path / "b.sqlite", tmp_path / "out.simtool"
    assert main(["run", str(PPH), "--script", str(BUSY), "--archive", str(a)]) == 0
    assert main(["bundle", "export", "--archive", str(a), "-o", str(bundle)]) == 0
    capsys.readouterr()
    assert main(["bundle", "import", "--archive", str(b), str(bundle), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert len(first["added"]) == 1 and first["refused"] == []
    assert main(["bundle", "import", "--archive", str(b), str(bundle), "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["added"] == [] and second["already_present"] == first["added"]
    broken = tmp_path / "broken.simtool"
    broken.write_bytes(bundle.read_bytes()[: len(bundle.read_bytes()) // 2])
    assert main(["bundle", "import", "--archive", str(b), str(broken)]) == 1
    assert str(broken) in capsys.readouterr().err


def test_resume_needs_an_archive(capsys):
    assert main(["run", str(PPH), "--script", str(BUSY), "--resume", "x"]) == 1
    assert "--resume needs --archive" in capsys.readouterr().err


def test_every_command_has_help():
    for cmd in (["validate"], ["run"], ["drills"], ["verify"], ["bundle"], ["bundle", "export"],
                ["bundle", "import"]):
        out = simtool(*cmd, "--help")
        assert out.returncode == 0 and "usage: simtool" in out.stdout and len(out.stdout) > 150


# --- resume is the same drill -------------------------------------------------------------------

STOP_AT = 300.0  # drill seconds at which the first run is interrupted


def interrupted_run(db: Path, monkeypatch, capsys, script: Path = BUSY) -> str:
    """A recorded run stopped by Ctrl-C at ``STOP_AT`` drill seconds (the CLI waits between
    steps in ``time.sleep``); the drill stays in the archive, not ended."""
    reached = {"t": 0.0}

    def sleep(seconds: float) -> None:
        reached["t"] += seconds * 1e6  # --speed 1e6
        if reached["t"] >= STOP_AT:
            raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(time, "sleep", sleep)
        assert main(["run", str(PPH), "--script", str(script), "--archive", str(db),
                     "--speed", "1e6"]) == 130
    capsys.readouterr()
    with Archive.open(db) as archive:
        (info,) = archive.drills()
        assert info.stored_status == "running" and archive.events(info.id)[-1].t < STOP_AT
        return info.id


def record_of(db: Path) -> tuple:
    with sqlite3.connect(db) as con:
        return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("events", "vitals", "audit")) + \
            con.execute("SELECT status, owner_pid, audit_seq FROM drills").fetchone()


# (what is changed in busy_team.yaml: old text, new text; the text on the line named; the path)
EDITS = [
    ("a dose", ("dose: 500,", "dose: 1000,"), "dose: 1000,", "actions[9]"),
    ("who gave it", ("{t: 160, action: iv_access, by: anaesthetist}",
                     "{t: 160, action: iv_access, by: obstetrician}"), "iv_access", "actions[6]"),
    ("the action", ("{t: 95, action: uterine_massage,", "{t: 95, action: bimanual_compression,"),
     "{t: 95,", "actions[3]"),
    ("the time", ("{t: 120, action: call_for_help,", "{t: 125, action: call_for_help,"), "{t: 125,",
     "actions[4]"),
    ("an action added early", ("  - {t: 45,", "  - {t: 30, action: oxygen_100, by: anaesthetist}\n"
                                               "  - {t: 45,"), "{t: 30,", "actions[1]"),
    ("an action added just before the stop",
     ("  - {t: 300,", "  - {t: 290, action: oxygen_100, by: anaesthetist}\n  - {t: 300,"),
     "{t: 290,", "actions[12]"),
    ("an action left out", ("  - {t: 140, action: vital_signs_check, by: midwife}\n", ""),
     "{t: 160,", "actions[5]"),
    ("the script ends early", ("  - {t: 185,", None), "actions:", "actions"),  # cut from here
    ("a participant", ("name: Li Na,", "name: Li Ning,"), "Li Ning", "participants[0]"),
    ("a participant left out", ("  - {id: t3, name: Chen Jie, role: anaesthetist}\n", ""),
     "participants:", "participants"),
]


@pytest.mark.parametrize("what, edit, marker, path", EDITS, ids=[e[0] for e in EDITS])
def test_resume_refuses_a_script_that_differs_from_the_recorded_part(
        what, edit, marker, path, tmp_path, monkeypatch, capsys):
    db = tmp_path / "a.sqlite"
    did = interrupted_run(db, monkeypatch, capsys)
    old, new = edit
    text = BUSY.read_text(encoding="utf-8")
    assert old in text
    other = tmp_path / "other.yaml"
    other.write_text(text.replace(old, new) if new is not None else text[:text.index(old)],
                     encoding="utf-8")
    line = next(i for i, x in enumerate(other.read_text(encoding="utf-8").splitlines(), 1)
                if marker in x)
    before = record_of(db)
    assert main(["run", str(PPH), "--script", str(other), "--archive", str(db), "--resume", did]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    (message,) = out.err.splitlines()
    assert message.startswith(f"simtool run: {other}:{line}: {path}: ")
    assert message.endswith(f"; drill {did} was not resumed (resume it with the script it was "
                            f"played from)")
    assert record_of(db) == before  # not claimed, nothing added


def test_resume_takes_the_same_script_and_one_that_differs_only_later(tmp_path, monkeypatch,
                                                                       capsys, straight):
    db = tmp_path / "a.sqlite"
    did = interrupted_run(db, monkeypatch, capsys)
    later = tmp_path / "later.yaml"  # the oxytocin at 400 s was not played yet: may differ
    later.write_text(BUSY.read_text(encoding="utf-8").replace(
        "{t: 400, action: oxytocin, dose: 10,", "{t: 400, action: oxytocin, dose: 5,"), encoding="utf-8")
    assert main(["run", str(PPH), "--script", str(later), "--archive", str(db), "--resume", did,
                 "--json"]) == 0
    final = json.loads(capsys.readouterr().out)
    oxytocin = [e for e in final["events"] if e.get("action") == "oxytocin" and e["kind"] == "action"]
    assert [e["dose"] for e in oxytocin] == [5.0]
    db2 = tmp_path / "b.sqlite"
    did2 = interrupted_run(db2, monkeypatch, capsys)
    assert main(["run", str(PPH), "--script", str(BUSY), "--archive", str(db2), "--resume", did2,
                 "--json"]) == 0
    assert unwalled(json.loads(capsys.readouterr().out)["events"]) == straight["events"]


@pytest.mark.parametrize("changed", ["force: refractory_bleeding, reason: drill",
                                     "force: pph_detected, reason: other"])
def test_resume_refuses_a_script_whose_forced_state_differs(changed, tmp_path, monkeypatch, capsys):
    forced = tmp_path / "forced.yaml"
    forced.write_text(BUSY.read_text(encoding="utf-8") +
                      "forces:\n  - {t: 100, force: pph_detected, reason: drill}\n", encoding="utf-8")
    db = tmp_path / "a.sqlite"
    did = interrupted_run(db, monkeypatch, capsys, forced)
    other = tmp_path / "other.yaml"
    other.write_text(forced.read_text(encoding="utf-8").replace(
        "force: pph_detected, reason: drill", changed), encoding="utf-8")
    line = other.read_text(encoding="utf-8").splitlines().index(f"  - {{t: 100, {changed}}}") + 1
    assert main(["run", str(PPH), "--script", str(other), "--archive", str(db), "--resume", did]) == 1
    (message,) = capsys.readouterr().err.splitlines()
    assert message.startswith(f"simtool run: {other}:{line}: forces[0]: force to ")
    assert main(["run", str(PPH), "--script", str(forced), "--archive", str(db), "--resume", did]) == 0
