"""``simtool logbook add|correct|withdraw|pending`` and ``list --json`` with every status: what
a user types and reads; a refused option is one sentence naming it, exit 1."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from simtool.cli import main
from simtool.store import Archive, Examiner, Trainee

from helpers.archive import FakeClock

ADD = ["--date", "2025-01-02", "--procedure", "stellate_ganglion_block", "--level", "supervised",
       "--supervisor", "D900", "--site", "County A", "--case-ref", "SGB-1"]


def run(capsys, *argv):
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_add_correct_withdraw_pending_and_list(tmp_path, capsys):
    db = str(tmp_path / "a.sqlite")
    clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
    with Archive.open(db, clock=clock) as archive:
        archive.add_trainee(Trainee("李娜", "S100", site="County A"))
        archive.add_examiner(Examiner("王主任", "D900", site="County A"))
    code, out, _ = run(capsys, "logbook", "add", "S100", *ADD, "--archive", db, "--json")
    assert code == 0 and json.loads(out)["status"] == "pending"
    first = json.loads(out)["id"]
    code, out, _ = run(capsys, "logbook", "correct", str(first), "--reason", "was independent",
                       "--level", "independent", "--archive", db, "--json")
    second = json.loads(out)["id"]
    assert code == 0 and json.loads(out)["corrects"] == first
    run(capsys, "logbook", "add", "S100", *ADD[:-1], "SGB-2", "--archive", db)
    code, out, _ = run(capsys, "logbook", "withdraw", str(second + 1), "--reason", "entered twice",
                       "--archive", db)
    assert code == 0 and "withdrawn" in out and "entered twice" in out
    code, out, _ = run(capsys, "logbook", "pending", "--supervisor", "D900", "--archive", db, "--json")
    assert [e["id"] for e in json.loads(out)] == [second]
    code, out, _ = run(capsys, "logbook", "list", "S100", "--archive", db, "--json")
    assert [(e["id"], e["status"], e["superseded_by"]) for e in json.loads(out)] == [
        (first, "corrected", second), (second, "pending", None), (second + 1, "withdrawn", None)]
    code, out, _ = run(capsys, "logbook", "sign", str(second), "--supervisor", "D900", "--archive", db)
    assert code == 0
    code, _, err = run(capsys, "logbook", "withdraw", str(second), "--reason", "x", "--archive", db)
    assert code == 1 and "a signed entry cannot be withdrawn" in err
    code, out, _ = run(capsys, "logbook", "pending", "--supervisor", "D900", "--archive", db)
    assert out.strip() == "no entries wait for this supervisor's countersignature"
    code, out, _ = run(capsys, "verify", "--archive", db)
    assert code == 0


def test_a_refused_option_is_named(tmp_path, capsys):
    db = str(tmp_path / "a.sqlite")
    clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
    with Archive.open(db, clock=clock) as archive:
        archive.add_trainee(Trainee("李娜", "S100", site="County A"))
        archive.add_examiner(Examiner("王主任", "D900", site="County A"))
    code, _, err = run(capsys, "logbook", "add", "S100", *ADD[:-1], "张三", "--level", "alone",
                       "--archive", db)
    assert code == 1 and err.count("\n") == 1
    assert err.startswith("simtool logbook: --level: 'alone' is not one of independent, "
                          "supervised, assisted (and a problem with case_ref)")
    code, _, err = run(capsys, "logbook", "correct", "1", "--reason", "x", "--archive", db)
    assert code == 1 and err.startswith("simtool logbook: no logbook entry 1 in the archive")
    code, _, err = run(capsys, "logbook", "add", "S999", *ADD, "--archive", db)
    assert code == 1 and err.startswith("simtool logbook: STAFF_ID: no trainee with staff id 'S999'")
