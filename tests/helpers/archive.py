"""Archive test helpers: a controllable clock, the standard team and patient, a real PPH drill
recorded into an archive, and file/row fingerprints for "untouched" checks."""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.runner import sample
from simtool.store.archive import Archive

TEAM = (Participant("t1", "Li Na", "midwife"), Participant("t2", "Wang Fang", "obstetrician"),
        Participant("t3", "Chen Jie", "anaesthetist"))
PATIENT = PatientParams(65.0)


class FakeClock:
    """Wall clock for the store: one second passes on every reading."""

    def __init__(self, start: datetime = datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)) -> None:
        self.now = start

    def set(self, when: datetime) -> None:
        self.now = when

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def play(drill: Drill, archive: Archive | None = None, drill_id: str | None = None,
         until: float = 1000.0) -> None:
    """Good care up to ``until`` s, sampling vitals every 5 s into the archive if given."""
    plan = [(760, "call_for_help", "t1", {}), (770, "uterine_massage", "t1", {}),
            (790, "oxytocin", "t1", {"dose": 10, "unit": "IU", "route": "IM"}),
            (840, "crystalloid_bolus", "t3", {"dose": 1000, "unit": "mL", "route": "IV"}),
            (870, "tranexamic_acid", "t3", {"dose": 2, "unit": "g", "route": "IV"}),  # flags
            (1000, "bimanual_compression", "t2", {})]
    for t, action, by, kw in [p for p in plan if p[0] <= until] + [(until, None, None, {})]:
        while drill.t + 5 <= t:
            drill.advance_to(drill.t + 5)
            if archive is not None and drill_id is not None:
                assert archive.append_vitals(drill_id, sample(drill)) is None
        drill.advance_to(t)
        if action:
            drill.act(action, by=by, **kw)


def start_recorded(archive: Archive, pph, **kw) -> tuple[str, Drill]:
    """A drill started in ``archive`` and recorded there."""
    drill_id = archive.start_drill(pph, PATIENT, TEAM, **kw)
    drill = Drill(pph, PATIENT, TEAM)
    archive.record(drill_id, drill)
    return drill_id, drill


def file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def raw(path: Path) -> contextlib.closing[sqlite3.Connection]:
    """A plain sqlite3 connection, as an attacker or another program would use."""
    return contextlib.closing(sqlite3.connect(path, isolation_level=None))


def fingerprint(path: Path) -> dict[str, object]:
    """Row counts of every table and the audit head: equal before and after = untouched."""
    with raw(path) as c:
        tables = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        out: dict[str, object] = {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
        out["audit_head"] = c.execute("SELECT max(seq), max(sha256) FROM audit").fetchone()
        return out


def unwalled(events: list[dict]) -> list[dict]:
    """Events as dicts without the wall time each input was entered at: what two runs of one
    script share."""
    return [{k: v for k, v in e.items() if k != "wall"} for e in events]


def late_care_drill(tmp_path: Path) -> tuple[Path, str]:
    """The PPH late-care script recorded and ended by ``simtool run`` in a fresh archive:
    (the archive's path, the drill's id)."""
    from simtool.cli import main
    from simtool.store import Archive
    from helpers.paths import PPH, SCRIPTS
    db = tmp_path / "a.sqlite"
    assert main(["run", str(PPH), "--script", str(SCRIPTS / "late_care.yaml"), "--archive", str(db)]) == 0
    with Archive.open(db) as archive:
        (info,) = archive.drills()
    return db, info.id
