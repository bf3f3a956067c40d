"""An archive for the quality loop (issue 21): PPH drills in two quarters of 2026 (Q2 and Q3)
for the Obstetrics department, people in the registry, and a clock the test moves."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from simtool.core.drill import PatientParams
from simtool.core.runner import run_script
from simtool.core.scenario import load_scenario
from simtool.core.script import load_script
from simtool.store import Archive
from simtool.store.records import Examiner, Trainee

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "tests" / "scripts" / "pph_uterine_atony"
DEPT = "Obstetrics"
# (script, start): two drills in 2026-Q2, two in 2026-Q3
PLAN = [("good_care", datetime(2026, 5, 4, 9)), ("late_care", datetime(2026, 6, 2, 9)),
        ("late_care", datetime(2026, 8, 3, 9)), ("good_care", datetime(2026, 9, 1, 9))]


class Clock:
    """The store's wall clock: one second passes on every reading; tests set ``now``."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def utc(*a: int) -> datetime:
    return datetime(*a, tzinfo=timezone.utc)


def build(path: Path) -> tuple[Clock, list[str]]:
    """The archive at ``path``: the PLAN's drills (department Obstetrics, site Main), midwife
    Li Na (staff id S1001) and examiner Dr Zhou (E77). The clock and the drill ids."""
    pph = load_scenario(ROOT / "scenarios" / "pph_uterine_atony.yaml")
    clock = Clock(utc(2026, 4, 1))
    ids = []
    with Archive.open(path, clock=clock, actor="lead@lab") as archive:
        archive.add_trainee(Trainee("Li Na", "S1001", DEPT, profession="midwife", site="Main"))
        archive.add_examiner(Examiner("Dr Zhou", "E77", department=DEPT, site="Main"))
        for name, start in PLAN:
            drill, _ = run_script(pph, load_script(SCRIPTS / f"{name}.yaml", pph), PatientParams(65.0))
            clock.now = start.replace(tzinfo=timezone.utc)
            did = archive.start_drill(pph, drill.patient, drill.participants, "formative",
                                      site="Main", department=DEPT)
            for e in drill.events:
                assert archive.append_event(did, e) is None
            ids.append(did)
    return clock, ids
