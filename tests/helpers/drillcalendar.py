"""An archive of ended drills run on given days for given departments and sites, for the drill
calendar's tests (the CLI's and the dashboard's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path

from simtool.core.drill import PatientParams
from simtool.core.runner import run_script
from simtool.core.scenario import load_scenario
from simtool.core.script import load_script
from simtool.store import Archive, Trainee

from helpers.archive import FakeClock
from helpers.paths import ROOT, SCENARIOS


@dataclass(frozen=True)
class Run:
    scenario: str          # pas_mdt or pph_uterine_atony
    day: date
    department: str | None
    site: str | None = "County Hospital"
    discarded: bool = False
    team_department: str | None = None   # the first participant's, as a registry trainee


@lru_cache(maxsize=4)
def _played(scenario: str):
    loaded = load_scenario(SCENARIOS / f"{scenario}.yaml")
    script = load_script(ROOT / "tests" / "scripts" / scenario / "good_care.yaml", loaded)
    drill, _ = run_script(loaded, script, PatientParams(70.0))
    return loaded, drill


def record_runs(path: Path, runs: list[Run], now: date) -> Path:
    """Each run recorded as an ended drill started on its day; the archive's clock is then
    left on ``now``."""
    from simtool.app.corrections import discard_drill
    clock = FakeClock()
    with Archive.open(path, clock=clock, actor="tester@lab") as archive:
        for run in runs:
            loaded, drill = _played(run.scenario)
            clock.set(datetime(run.day.year, run.day.month, run.day.day, 9, tzinfo=timezone.utc))
            first = drill.participants[0]
            team = {first.id: Trainee(first.name, f"S-{run.team_department}", run.team_department,
                                      f"tr-{run.team_department}")} if run.team_department else None
            did = archive.start_drill(loaded, drill.patient, drill.participants, trainees=team,
                                      site=run.site, department=run.department)
            for e in drill.events:
                assert archive.append_event(did, e) is None
            if run.discarded:
                discard_drill(archive, did, "started by mistake")
        clock.set(datetime(now.year, now.month, now.day, 9, tzinfo=timezone.utc))
    return path
