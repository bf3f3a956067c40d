"""Exam files and the rotation schedule (issue 22, items 1-2): what an organiser sees when the
file is right (a schedule where every candidate sits every station once and no two meet) and
when it is wrong (one sentence naming the file, the line and the field)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simtool.core.exam import (REST, ExamError, Timing, blueprint, clock_at, load_exam,
                               read_candidates_csv, schedule)

TITLE = "{en: PPH skills OSCE, zh_CN: 产后出血技能考核, zh_TW: 產後出血技能考核}"
STATIONS = """stations:
  - {id: massage, rubric: pph_uterine_massage_station, examiners: [E01], samples: [technique, communication]}
  - {id: balloon, rubric: pph_balloon_tamponade_station, examiners: [E02, E04], samples: [technique]}
  - {id: salvage, rubric: pph_cell_salvage_station, examiners: [E03], samples: [technique]}
"""
COMPETENCIES = """competencies:
  - {id: technique, label: {en: Technique, zh_CN: 操作技术, zh_TW: 操作技術}}
  - {id: communication, label: {en: Communication, zh_CN: 沟通, zh_TW: 溝通}}
"""
PEOPLE = [("S01", "李娜", "产科"), ("S02", "王芳", "产科"), ("S03", "张伟", "麻醉科"),
          ("S04", "刘洋", "产科"), ("S05", "陈静", "产科"), ("S06", "杨磊", "麻醉科")]


def write_exam(folder: Path, *, encoding: str = "utf-8", extra: str = "", stations: str = STATIONS,
               candidates: str = "candidates: candidates.csv\n") -> Path:
    csv_text = "staff_id,name,department\n" + "".join(f"{a},{b},{c}\n" for a, b, c in PEOPLE)
    (folder / "candidates.csv").write_bytes(csv_text.encode(encoding))
    path = folder / "exam.yaml"
    path.write_text(f"id: osce_demo\ntitle: {TITLE}\nstart: \"08:30\"\n"
                    f"timing: {{reading_s: 60, station_s: 480, changeover_s: 60}}\n"
                    f"{COMPETENCIES}{stations}{candidates}{extra}", encoding="utf-8")
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_an_exam_file_with_a_csv_in_any_chinese_encoding_loads(tmp_path, encoding):
    exam = load_exam(write_exam(tmp_path, encoding=encoding))
    assert [c.name for c in exam.candidates] == [p[1] for p in PEOPLE]
    assert [s.id for s in exam.stations] == ["massage", "balloon", "salvage"]
    assert all(s.kind == "station" for s in exam.stations)
    cover = blueprint(exam.definition()["stations"], exam.definition()["competencies"])
    assert cover[0]["stations"] == ["massage", "balloon", "salvage"]
    assert cover[1]["stations"] == ["massage"]


def test_six_candidates_three_stations_rest_and_times(tmp_path):
    exam = load_exam(write_exam(tmp_path))
    plan = schedule([s.id for s in exam.stations], [c.staff_id for c in exam.candidates],
                    exam.exam.timing)
    assert plan.rounds == 6
    rows = [s.to_dict(exam.exam.start) for s in plan.slots]
    first = [r for r in rows if r["round"] == 1]
    assert [(r["candidate"], r["station"]) for r in first] == [
        ("S01", "massage"), ("S02", "balloon"), ("S03", "salvage"),
        ("S04", REST), ("S05", REST), ("S06", REST)]
    assert {r["start"] for r in rows if r["round"] == 2} == {"08:40:00"}
    assert plan.phase_at(0) == ("reading", 60)
    assert plan.phase_at(60) == ("station", 480)
    assert plan.phase_at(540) == ("changeover", 60)
    assert plan.phase_at(3600) == ("over", 0.0)
    assert plan.round_at(601) == 2


def test_clock_without_a_start_is_an_offset():
    assert clock_at(None, 3725) == "+1:02:05"
    assert clock_at("23:50", 1200) == "00:10:00 (+1d)"


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 25), m=st.integers(1, 8), sessions=st.integers(1, 4),
       t=st.tuples(st.integers(0, 300), st.integers(1, 900), st.integers(0, 300)))
def test_every_candidate_sits_every_station_once_and_never_two_at_one(n, m, sessions, t):
    timing = Timing(reading_s=t[0], station_s=t[1], changeover_s=t[2])
    cands = [f"C{i}" for i in range(n)]
    stations = [f"s{j}" for j in range(m)]
    plan = schedule(stations, cands, timing, sessions)
    assert plan == schedule(stations, cands, timing, sessions)   # deterministic
    for c in cands:
        sat = [s.station for s in plan.of_candidate(c) if s.station != REST]
        assert sorted(sat) == sorted(stations)
    seen = set()
    for s in plan.slots:
        if s.station != REST:
            assert (s.station, s.round) not in seen
            seen.add((s.station, s.round))
        assert s.start_s == (s.round - 1) * timing.slot_s
    used = min(sessions, n)
    assert plan.rounds == sum(max(m, math.ceil(n / used) if i < n % used or n % used == 0
                                  else n // used) for i in range(used))


BAD = [
    ("changeover_s: 60", "changeover_s: .nan", "timing.changeover_s"),
    ("station_s: 480", "station_s: 99999999", "timing.station_s"),
    ("station_s: 480", "station_s: \"8 min\"", "timing.station_s"),
    ("start: \"08:30\"", "start: \"25:00\"", "start"),
    ("start: \"08:30\"", "sessions: -1", "sessions"),
    ("start: \"08:30\"", "date: \"2026-13-01\"", "date"),
    ("id: osce_demo", "id: \"<b>x</b>\"", "id"),
]


@pytest.mark.parametrize("old,new,field", BAD)
def test_bad_fields_are_named_with_file_and_line(tmp_path, old, new, field):
    path = write_exam(tmp_path)
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(ExamError) as err:
        load_exam(path)
    assert any(p.field.startswith(field) and p.file == str(path) and p.line >= 1
               for p in err.value.problems), err.value


@pytest.mark.parametrize("stations,expect", [
    (STATIONS.replace("pph_cell_salvage_station", "no_such"), "unknown rubric 'no_such'"),
    (STATIONS.replace("pph_cell_salvage_station", "../../etc/passwd"), "unknown rubric"),
    (STATIONS.replace("pph_cell_salvage_station", "pph_uterine_atony_technical"),
     "scores a drill of scenario"),
    (STATIONS.replace("[E03]", "[E01]"), "already examines at stations[0]"),
    (STATIONS.replace("[E03]", "[\"<script>\"]"), "is not a staff id"),
    (STATIONS.replace("id: salvage", "id: rest"), "names the rest positions"),
    (STATIONS.replace("samples: [technique]}", "samples: [nope]}", 1), "unknown competency"),
])
def test_bad_stations(tmp_path, stations, expect):
    with pytest.raises(ExamError) as err:
        load_exam(write_exam(tmp_path, stations=stations))
    assert expect in str(err.value)
    assert str(err.value).startswith(str(tmp_path / "exam.yaml") + ":")


def test_an_uncovered_competency_is_named(tmp_path):
    stations = STATIONS.replace("[technique, communication]", "[technique]")
    with pytest.raises(ExamError, match="competency communication is sampled by no station"):
        load_exam(write_exam(tmp_path, stations=stations))


@pytest.mark.parametrize("data,expect", [
    (b"", "empty file"),
    (b"id,name\nS1,x\n", "expected exactly staff_id,name,department"),
    ("staff_id,name,department\nS1,=HYPERLINK(1),x\n".encode(), "spreadsheet formula"),
    (b"staff_id,name,department\nS1,A,x\nS1,B,y\n", "already listed on line 2"),
    (b"staff_id,name,department\nS1,A\n", "2 fields"),
    (b"staff_id,name,department\n'; DROP TABLE exams;--,A,x\n", "is not a staff id"),
    ("staff_id,name,department\nS1,caf\xe9 au lait,x\n".encode("latin-1"), "neither UTF-8 nor GBK"),
    ("staff_id,name,department\nS1,A,x\n".encode("utf-16"), "UTF-16"),
    (b"staff_id,name,department\nS1,\"A\nB,x\n", "closing quote"),
])
def test_candidate_csv_problems_name_the_line(tmp_path, data, expect):
    path = tmp_path / "c.csv"
    path.write_bytes(data)
    with pytest.raises(ExamError) as err:
        read_candidates_csv(path)
    assert expect in str(err.value)
    assert str(err.value).startswith(f"{path}:")


def test_candidates_from_the_registry_and_odd_files(tmp_path):
    exam = load_exam(write_exam(tmp_path, candidates="candidates: [S01, S02]\n"))
    assert [c.staff_id for c in exam.candidates] == ["S01", "S02"] and exam.candidates[0].name is None
    for text in ("- just a list\n", "a: &x [*x]\n", "[" * 200 + "]" * 200, ""):
        (tmp_path / "bad.yaml").write_text(text)
        with pytest.raises(ExamError):
            load_exam(tmp_path / "bad.yaml")
    with pytest.raises(ExamError, match="a FIFO|not a regular file|folder|directory"):
        load_exam(tmp_path)
