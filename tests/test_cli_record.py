"""``simtool events`` and ``simtool amend``: the effective log with each entry's flags and the
history of its corrections, and corrections from the command line — refused with one sentence,
exit 1 and nothing written when they cannot be made."""

from __future__ import annotations

import json
import re

import pytest

from simtool.cli import main
from simtool.store import Archive

from helpers.archive import fingerprint, late_care_drill


@pytest.fixture()
def ended(tmp_path):
    db, did = late_care_drill(tmp_path)
    with Archive.open(db) as archive:
        seqs = {e.action: e.seq for e in archive.events(did) if e.kind == "action"}
    return db, did, seqs


def _events(capsys, db, did, *extra):
    capsys.readouterr()
    assert main(["events", did, "--json", "--archive", str(db), *extra]) == 0
    return {e["seq"]: e for e in json.loads(capsys.readouterr().out)}


def test_events_lists_the_log_with_who_did_what_and_its_flags(ended, capsys):
    db, did, seqs = ended
    log = _events(capsys, db, did)
    oxy = log[seqs["oxytocin"]]
    assert {k: oxy[k] for k in ("t", "action", "by", "participant", "dose", "unit", "route",
                                "flags", "amended", "struck")} == \
        {"t": 1500.0, "action": "oxytocin", "by": "midwife", "participant": "t1", "dose": 10.0,
         "unit": "IU", "route": "IM", "flags": [], "amended": False, "struck": False}
    assert oxy["history"]["changes"] == [] and oxy["entered_at"].endswith("+00:00")
    assert [e["kind"] for e in log.values()].count("end") == 1


def test_amend_corrects_a_dose_and_events_shows_the_flag_and_the_history(ended, capsys):
    db, did, seqs = ended
    seq = seqs["tranexamic_acid"]
    capsys.readouterr()
    assert main(["amend", did, "--event", str(seq), "--dose", "2", "--unit", "g",
                 "--reason", "2 g was given", "--archive", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{seq:>4}  33:20  action  tranexamic_acid  2 g  IV  by anaesthetist (t3)  [amended]")
    assert "flag max_single: Tranexamic acid above 1 g in one dose" in out
    assert "by instructor: dose 2, unit g — 2 g was given" in out
    # when, in the drill and on the wall clock (local, with its offset: the suite reads UTC)
    assert re.search(r"amended at 1:00:00, on \d{4}-\d\d-\d\d \d\d:\d\d \(UTC\+00:00\), by instructor", out), out
    txa = _events(capsys, db, did)[seq]
    assert txa["amended"] and txa["dose"] == 2.0
    assert sorted(f["rule"] for f in txa["flags"]) == ["dose_range", "max_single"]
    assert txa["history"]["original"]["dose"] == 1.0
    (change,) = txa["history"]["changes"]
    assert (change["kind"], change["by"], change["reason"], change["values"]) == \
        ("amend", "instructor", "2 g was given", {"dose": 2.0, "unit": "g"})
    # the words in the reader's language
    zh = _events(capsys, db, did, "--lang", "zh_CN")[seq]
    assert "氨甲环酸" in zh["flags"][0]["message"]


def test_amend_moves_the_time_and_credit_and_strike_removes_an_action(ended, capsys):
    db, did, seqs = ended
    assert main(["amend", did, "--event", str(seqs["oxytocin"]), "--at", "13:00", "--by", "obstetrician",
                 "--reason", "the obstetrician gave it at 13 min", "--archive", str(db)]) == 0
    assert main(["amend", did, "--event", str(seqs["call_for_help"]), "--strike",
                 "--reason", "logged on the wrong drill", "--archive", str(db)]) == 0
    log = _events(capsys, db, did)
    oxy, help_ = log[seqs["oxytocin"]], log[seqs["call_for_help"]]
    assert (oxy["t"], oxy["by"], oxy["participant"], oxy["amended"]) == (780.0, "obstetrician", "t2", True)
    assert help_["struck"] and help_["history"]["changes"][0]["kind"] == "strike"
    # the log is in the order of the corrected times
    assert list(log).index(seqs["oxytocin"]) < list(log).index(seqs["uterine_massage"])
    with Archive.open(db) as archive:
        assert archive.verify() == []


@pytest.mark.parametrize("args, words", [
    (["--dose", "2", "--unit", "g"], "needs a reason"),
    (["--dose", "2", "--reason", " "], "needs a reason"),
    (["--reason", "why"], "nothing to change"),
    (["--unit", "g", "--reason", "why"], "--unit goes with --dose"),
    (["--dose", "0", "--reason", "why"], "above zero"),
    (["--dose", "-5", "--reason", "why"], "above zero"),
    (["--dose", "2", "--unit", "furlong", "--reason", "why"], "unknown unit 'furlong'"),
    (["--at", "75:00", "--reason", "why"], "within the drill, between 00:00 and 1:00:00"),
    (["--by", "porter", "--reason", "why"], "'porter' is neither a participant nor a role"),
])
def test_an_impossible_amendment_is_one_sentence_exit_1_and_nothing_written(ended, capsys, args, words):
    db, did, seqs = ended
    before = fingerprint(db)
    capsys.readouterr()
    assert main(["amend", did, "--event", str(seqs["tranexamic_acid"]), *args, "--archive", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("simtool amend: ") and words in err and err.count("\n") == 1
    assert fingerprint(db) == before


@pytest.mark.parametrize("event, words", [("999", "there is no event 999"),
                                          ("0", "is a start the drill derived"),
                                          ("2", "is a state change the drill derived")])
def test_only_a_logged_action_can_be_amended(ended, capsys, event, words):
    db, did, _seqs = ended
    before = fingerprint(db)
    assert main(["amend", did, "--event", event, "--dose", "1", "--reason", "x", "--archive", str(db)]) == 1
    assert words in capsys.readouterr().err
    assert fingerprint(db) == before


@pytest.mark.parametrize("at", ["1:75", "abc", "-1", "nan", "1:2:3:4"])
def test_a_time_that_is_not_a_time_is_refused_by_the_parser(ended, capsys, at):
    db, did, seqs = ended
    with pytest.raises(SystemExit) as info:
        main(["amend", did, "--event", str(seqs["oxytocin"]), "--at", at, "--reason", "x",
              "--archive", str(db)])
    assert info.value.code == 2
    assert "is not a time" in capsys.readouterr().err


def test_amend_of_a_drill_that_is_not_there(ended, capsys):
    db, _did, _seqs = ended
    assert main(["amend", "no-such-drill", "--event", "5", "--dose", "1", "--reason", "x",
                 "--archive", str(db)]) == 1
    assert "no drill no-such-drill" in capsys.readouterr().err


@pytest.mark.parametrize("args, words", [
    (["--dose", "2", "--reason", "x" * 1001], "is 1,001 characters long; a reason has at most 1,000"),
    (["--dose", "2", "--reason", "typo\x1b[31m red"], "holds a control character"),
    (["--dose", "2", "--reason", "two\nlines"], "holds a control character"),
    (["--route", "IV" * 200, "--reason", "why"], "the route"),
    (["--route", "I\tV", "--reason", "why"], "holds a control character"),
])
def test_a_hostile_reason_or_route_is_refused_and_nothing_is_written(ended, capsys, args, words):
    db, did, seqs = ended
    before = fingerprint(db)
    capsys.readouterr()
    assert main(["amend", did, "--event", str(seqs["tranexamic_acid"]), *args, "--archive", str(db)]) == 1
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "\x1b" not in err
    assert fingerprint(db) == before


@pytest.mark.parametrize("reason", ["'; DROP TABLE events; --", "<b>bold</b> & <script>x</script>",
                                    "\u202eevil bidi", "给了 2 g 氨甲环酸"])
def test_markup_sql_and_bidi_in_a_reason_are_kept_as_text_and_travel(ended, capsys, tmp_path, reason):
    db, did, seqs = ended
    assert main(["amend", did, "--event", str(seqs["tranexamic_acid"]), "--dose", "2", "--unit", "g",
                 "--reason", reason, "--archive", str(db)]) == 0
    with Archive.open(db) as archive:
        assert archive.events(did)[-3].text == reason and archive.verify() == []
    log = _events(capsys, db, did)
    assert log[seqs["tranexamic_acid"]]["history"]["changes"][0]["reason"] == reason
    # printed for a terminal: no raw bidi override
    assert main(["events", did, "--archive", str(db)]) == 0
    assert "\u202e" not in capsys.readouterr().out
    # the debrief PDF prints it as text, and a bundle carries it to another archive
    pdf = tmp_path / "d.pdf"
    assert main(["export", did, "--kind", "debrief", "-o", str(pdf), "--archive", str(db)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    bundle, dept = tmp_path / "b.zip", tmp_path / "dept.sqlite"
    assert main(["bundle", "export", "--drill", did, "-o", str(bundle), "--archive", str(db)]) == 0
    assert main(["bundle", "import", str(bundle), "--archive", str(dept), "--accept-new-key"]) == 0
    with Archive.open(dept) as archive:
        assert reason in [e.text for e in archive.events(did)]
