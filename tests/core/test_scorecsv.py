"""Reading exam scores and Angoff judgements: every problem as FILE:LINE: column: message."""

from __future__ import annotations

import pytest

from simtool.core.scorecsv import ScoresCsvError, read_angoff, read_scores

GOOD = """candidate,station,examiner,checklist,global,item:a,item:b
c1,S1,E1,14,borderline,1,0
c1,S1,E2,15,3,1,1
"""


def write(tmp_path, text: str, name: str = "scores.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_good_file_reads_grades_by_name_or_number(tmp_path):
    rows = read_scores(write(tmp_path, GOOD))
    assert [(r.candidate, r.examiner, r.checklist, r.grade, r.items, r.line) for r in rows] == [
        ("c1", "E1", 14.0, 2.0, {"a": 1.0, "b": 0.0}, 2), ("c1", "E2", 15.0, 3.0, {"a": 1.0, "b": 1.0}, 3)]


def test_every_problem_is_reported_with_file_line_and_column(tmp_path):
    p = write(tmp_path, GOOD + "c2,S1,E1,lots,meh,1,x\nc1,S1,E1,1,1,1,1\nc3,S1\n")
    with pytest.raises(ScoresCsvError) as info:
        read_scores(p)
    assert [str(x) for x in info.value.problems] == [
        f"{p}:4: checklist: 'lots' is not a number",
        f"{p}:4: global: 'meh' is not a number or a grade (clear_fail, borderline, clear_pass, good, excellent)",
        f"{p}:4: item:b: 'x' is not a number",
        f"{p}:5: examiner: candidate c1 at station S1 is already scored by E1 on line 2",
        f"{p}:6: -: 2 fields where the header has 7",
    ]


def test_missing_and_unknown_columns(tmp_path):
    p = write(tmp_path, "candidate,station,checklist,global,score\nc1,S1,1,2,3\n")
    with pytest.raises(ScoresCsvError) as info:
        read_scores(p)
    assert [str(x) for x in info.value.problems] == [
        f"{p}:1: examiner: missing column",
        f"{p}:1: score: unknown column (expected candidate, station, examiner, checklist, global or item:<id>)"]


def test_empty_file(tmp_path):
    with pytest.raises(ScoresCsvError, match="empty file"):
        read_scores(write(tmp_path, ""))


def test_angoff_file(tmp_path):
    p = write(tmp_path, "station,judge,item:a,item:b\nS1,J1,0.5,0.7\nS1,J2,0.6,\n", "angoff.csv")
    assert read_angoff(p) == {"S1": {"J1": {"a": 0.5, "b": 0.7}, "J2": {"a": 0.6}}}
    bad = write(tmp_path, "station,judge,item:a\nS1,J1,1.5\nS1,J1,0.5\n", "bad.csv")
    with pytest.raises(ScoresCsvError) as info:
        read_angoff(bad)
    assert [str(x) for x in info.value.problems] == [
        f"{bad}:2: item:a: '1.5' is not a probability from 0 to 1",
        f"{bad}:3: judge: judge J1 already rated station S1"]
