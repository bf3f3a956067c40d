"""Rebuild ``archive_v1.sqlite``: an archive as schema version 1 wrote it.

    .venv/bin/python tests/store/data/make_v1_archive.py

Run once and committed; the migration test upgrades a copy of it. Re-running gives different
ids and hashes (random ids, per-archive secret), so only regenerate on purpose.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from simtool.core.drill import Drill, Participant, PatientParams  # noqa: E402
from simtool.core.runner import sample  # noqa: E402
from simtool.core.scenario import load_scenario  # noqa: E402
from simtool.store.archive import Archive  # noqa: E402
from simtool.store.records import Examiner, SheetItem, Trainee  # noqa: E402

OUT = Path(__file__).with_name("archive_v1.sqlite")


def main() -> None:
    for p in (OUT, OUT.with_name(OUT.name + "-wal"), OUT.with_name(OUT.name + "-shm")):
        p.unlink(missing_ok=True)
    now = [datetime(2024, 3, 5, 9, 0, tzinfo=timezone.utc)]

    def clock() -> datetime:
        now[0] += timedelta(seconds=1)
        return now[0]

    loaded = load_scenario(ROOT / "scenarios" / "pph_uterine_atony.yaml")
    people = [Participant("t1", "Li Na", "midwife"), Participant("t2", "Wang Fang", "obstetrician")]
    patient = PatientParams(65.0)
    with Archive.open(OUT, clock=clock, actor="fixture@v1", schema_version=1) as archive:
        assert archive.schema_version == 1
        did = archive.start_drill(loaded, patient, people, "summative", trainees={
            "t1": Trainee("Li Na", "S1001", "Obstetrics", id="trainee-li-na"),
            "t2": Trainee("Wang Fang", "S1002", "Obstetrics", id="trainee-wang-fang")},
            drill_id="v1-drill-0001")
        drill = Drill(loaded, patient, people)
        archive.record(did, drill)
        for t, action, by, dose, unit, route in ((760, "call_for_help", "t1", None, None, None),
                                                 (790, "oxytocin", "t1", 10, "IU", "IM"),
                                                 (870, "tranexamic_acid", "t2", 1, "g", "IV")):
            while drill.t + 5 <= t:
                drill.advance_to(drill.t + 5)
                archive.append_vitals(did, sample(drill))
            drill.advance_to(t)
            drill.act(action, by=by, dose=dose, unit=unit, route=route)
        drill.advance_to(900)
        drill.end()
        examiner = archive.add_examiner(Examiner("Dr Zhou", "E77", id="examiner-zhou"))
        sheet = archive.create_sheet(did, rubric_id="pph_osce", rubric_version="1",
                                     rubric_text="id: pph_osce\nversion: 1\nitems: [call_for_help]\n",
                                     data={"global": 4}, trainee_id="trainee-li-na",
                                     items=[SheetItem(item_id="call_for_help", result="done", points=2.0, evidence=[4])],
                                     sheet_id="v1-sheet-0001")
        archive.sign_sheet(sheet, examiner)
        archive.amend_sheet(sheet, {"global": 5}, examiner, "global rating mis-keyed")
        assert archive.verify() == []
    print(OUT, OUT.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
