"""An exam day built for the web tests: three examiners in the registry, six candidates from a
GBK CSV, three skills stations (issue 22's Done-when), the exam created through the CLI."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from simtool.cli import main

PEOPLE = [("S01", "李娜", "产科"), ("S02", "王芳", "产科"), ("S03", "张伟", "麻醉科"),
          ("S04", "刘洋", "产科"), ("S05", "陈静", "产科"), ("S06", "杨磊", "麻醉科")]
EXAMINERS = [("E01", "周医生"), ("E02", "孙医生"), ("E03", "钱医生"), ("E04", "吴医生")]
STATIONS = {"massage": "pph_uterine_massage_station", "balloon": "pph_balloon_tamponade_station",
            "salvage": "pph_cell_salvage_station"}
EXAM = """id: osce_demo
title: {en: PPH skills OSCE, zh_CN: 产后出血技能考核, zh_TW: 產後出血技能考核}
start: "08:30"
timing: {reading_s: 60, station_s: 480, changeover_s: 60}
competencies:
  - {id: technique, label: {en: Technique, zh_CN: 操作技术, zh_TW: 操作技術}}
  - {id: communication, label: {en: Communication, zh_CN: 沟通, zh_TW: 溝通}}
stations:
  - {id: massage, rubric: pph_uterine_massage_station, examiners: [E01], samples: [technique, communication]}
  - {id: balloon, rubric: pph_balloon_tamponade_station, examiners: [E02, E04], samples: [technique]}
  - {id: salvage, rubric: pph_cell_salvage_station, examiners: [E03], samples: [technique]}
candidates: candidates.csv
"""
ZERO = datetime(2026, 12, 1, 0, 30, tzinfo=timezone.utc)


class Clock:
    """The exam's time, moved by the test."""

    def __init__(self, at: datetime = ZERO + timedelta(seconds=90)) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def round(self, n: int, into_s: float = 90) -> None:
        self.at = ZERO + timedelta(seconds=(n - 1) * 600 + into_s)


def make_exam(folder: Path) -> Path:
    """The archive with the exam created (by ``simtool exam create``); its clock not started."""
    archive = folder / "exam.sqlite"
    for staff, name in EXAMINERS:
        assert main(["people", "add", "--name", name, "--staff-id", staff, "--archive", str(archive)]) == 0
    (folder / "candidates.csv").write_bytes(
        ("staff_id,name,department\n" + "".join(f"{a},{b},{c}\n" for a, b, c in PEOPLE)).encode("gbk"))
    (folder / "exam.yaml").write_text(EXAM, encoding="utf-8")
    assert main(["exam", "create", str(folder / "exam.yaml"), "--archive", str(archive)]) == 0
    return archive


def full_marks(items: list[dict], strength: int) -> list[dict]:
    """Changes for every item of a station: a stronger candidate (0-5) gets more right."""
    out = []
    for i, it in enumerate(items):
        good = (i + strength) % 6 != 0 or strength >= 4
        if it["kind"] == "observed":
            value = good
        else:
            levels = [lv["value"] for lv in it["levels"]]
            value = levels[-1] if good and strength >= 3 else levels[min(1, len(levels) - 1)] if good else levels[0]
        out.append({"item": it["id"], "value": value})
    return out
