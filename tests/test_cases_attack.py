"""Hostile inputs to ``simtool cases import``: each ends in exit 1 with sentences naming the
file, line and field (or the option), never a traceback, and nothing is kept; the odd but
harmless ones (SQL or markup in a site, a Chinese participant name) are kept as plain text
or left out."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from simtool.cli import main
from simtool.core.limits import MAX_CSV_BYTES, MAX_SCRIPT_BYTES
from simtool.store import Archive
from simtool.store.cases import cases

OK_ROWS = "t,action,by\n0:30,call_for_help,midwife\n"


def _sparse(size: int):
    def make(path: Path) -> None:
        with open(path, "wb") as f:
            f.truncate(size)
    return make


# name -> (file name, content or a function making the file, extra options, what the error says)
HOSTILE: dict[str, tuple[str, object, list[str], str]] = {
    "csv over the size limit": ("big.csv", _sparse(MAX_CSV_BYTES + 1), [], "limit"),
    "yaml over the size limit": ("big.yaml", _sparse(MAX_SCRIPT_BYTES + 1), [], "limit"),
    "yaml nested too deep": ("deep.yaml", "actions: " + "[" * 5000 + "]" * 5000 + "\n", [], "deep.yaml:1"),
    "yaml alias bomb": ("bomb.yaml", "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c, *c]\n"
                                     "duration_s: 60\nactions: []\n", [], "bomb.yaml:"),
    "nan time": ("nan.csv", "t,action\nnan,call_for_help\n", [], "nan.csv:2: actions[0].t"),
    "infinite dose": ("inf.csv", "t,action,dose,unit\n10,oxytocin,inf,IU\n", [], "inf.csv:2: actions[0].dose"),
    "huge number": ("e400.csv", "t,action\n1e400,call_for_help\n", [], "e400.csv:2: actions[0].t"),
    "negative time": ("neg.csv", "t,action\n-5,call_for_help\n", [], "neg.csv:2: actions[0].t"),
    "yaml nan time": ("nan.yaml", "duration_s: 60\nactions:\n  - {t: .nan, action: call_for_help}\n",
                      [], "nan.yaml:3: actions[0].t"),
    "a day too long": ("long.yaml", "duration_s: 1e12\nactions:\n  - {t: 1, action: call_for_help}\n",
                       [], "long.yaml:1: duration_s"),
    "utf-16": ("u16.csv", OK_ROWS.encode("utf-16"), [], "UTF-16"),
    "latin-1": ("l1.csv", "t,action,by\n0:30,call_for_help,sage-femme é\n".encode("latin-1"), [], "l1.csv:2"),
    "binary garbage": ("junk.yaml", bytes(range(256)) * 4, [], "junk.yaml"),
    "markup action": ("x.csv", "t,action\n10,<script>alert(1)</script>\n", [], "unknown action"),
    "formula in by": ("f.csv", "t,action,by\n10,call_for_help,=cmd|' /C calc'!A0\n", [],
                      "f.csv:2: actions[0].by"),
    "patient column": ("p.csv", "t,action,patient\n10,call_for_help,张三\n", [], "p.csv:1: (header): column 'patient'"),
    "patient key": ("p.yaml", "duration_s: 60\npatient_name: 张三\nactions:\n  - {t: 1, action: call_for_help}\n",
                    [], "p.yaml:2: patient_name"),
    "note column": ("n.csv", "t,action,note\n10,call_for_help,bed 12\n", [], "column 'note' is not allowed"),
    "two ends": ("e.csv", "t,action\n10,call_for_help\n20,end\n30,end\n", [], "e.csv:4: action: a second end"),
    "open quote": ("q.csv", 't,action\n10,"call_for_help\n20,end\n', [], "q.csv:2"),
    "empty file": ("empty.csv", "", [], "empty.csv:1"),
    "header only": ("h.csv", "t,action\n", [], "no actions"),
    "no actions yaml": ("none.yaml", "duration_s: 60\nactions: []\n", [], "no actions"),
    "a folder": ("folder.csv", lambda p: p.mkdir(), [], "folder"),
    "missing file": ("gone.yaml", None, [], "gone.yaml"),
    "a name as case reference": ("ok.csv", OK_ROWS, ["--case-ref", "李四"], "--case-ref"),
    "an id card as case reference": ("ok.csv", OK_ROWS, ["--case-ref", "PPH 110105194912310021"], "identity card"),
    "a quote in the case reference": ("ok.csv", OK_ROWS, ["--case-ref", 'PPH"014'], "--case-ref"),
    "control characters in the site": ("ok.csv", OK_ROWS, ["--site", "Lab\x1b[31mA"], "--site"),
    "a date that is not one": ("ok.csv", OK_ROWS, ["--date", "2025-02-30"], "--date"),
    "a date written otherwise": ("ok.csv", OK_ROWS, ["--date", "30/11/2025"], "--date"),
    "an unknown scenario": ("ok.csv", OK_ROWS, ["--scenario", "no_such_scenario"], "no_such_scenario"),
    "a scenario that is a path to nothing": ("ok.csv", OK_ROWS, ["--scenario", "/nonexistent/x.yaml"], "x.yaml"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_case_file_or_option_is_refused_in_one_sentence_and_nothing_is_kept(
        tmp_path, capsys, name):
    file_name, content, extra, says = HOSTILE[name]
    path = tmp_path / file_name
    if callable(content):
        content(path)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    db = tmp_path / "a.sqlite"
    scenario = [] if "--scenario" in extra else ["--scenario", "pph_uterine_atony"]
    code = main(["cases", "import", str(path), *scenario, "--archive", str(db), *extra])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err and says in err, err
    assert all(len(line) < 600 for line in err.splitlines()), err
    if not extra:   # a bad file is refused before the archive is even made
        assert not db.exists()
    if db.exists():
        with Archive.open(db) as archive:
            assert cases(archive) == []


def test_the_archive_itself_as_the_case_file_is_refused_unread(tmp_path, capsys):
    db = tmp_path / "a.sqlite"
    Archive.open(db).close()
    before = db.read_bytes()
    for target in (db, Path(str(db) + "-wal")):
        target.touch()
        code = main(["cases", "import", str(target), "--scenario", "pph_uterine_atony",
                     "--archive", str(db)])
        err = capsys.readouterr().err
        assert code == 1 and "this is the archive itself" in err, err
    with Archive.open(db) as archive:
        assert cases(archive) == []
    assert len(db.read_bytes()) >= len(before)


def test_sql_and_markup_in_a_site_are_kept_as_plain_text_and_a_chinese_name_is_left_out(tmp_path, capsys):
    db = tmp_path / "a.sqlite"
    path = tmp_path / "case.yaml"
    path.write_text("duration_s: 60\nparticipants:\n  - {id: p1, name: 张三丰, role: midwife}\n"
                    "actions:\n  - {t: 30, action: call_for_help, by: p1}\n", encoding="utf-8")
    site = "'; DROP TABLE drills; --"
    dept = "<b>产科</b>"
    code = main(["cases", "import", str(path), "--scenario", "pph_uterine_atony", "--archive", str(db),
                 "--site", site, "--department", dept, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert main(["cases", "list", "--archive", str(db), "--json", "--site", site]) == 0
    listed = json.loads(capsys.readouterr().out)["cases"]
    assert [(c["site"], c["department"]) for c in listed] == [(site, dept)]
    assert "张三丰".encode() not in db.read_bytes()
    with Archive.open(db) as archive:
        assert archive._conn.execute("SELECT count(*) FROM drills").fetchone()[0] == 0
        assert archive.verify() == []
    os.chmod(db, 0o444)   # a read-only archive still lists its cases
    assert main(["cases", "list", "--archive", str(db)]) == 0
    assert "1 real cases" in capsys.readouterr().out
