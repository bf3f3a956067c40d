"""An archive for the progress report and view (issue 20, item 3), built through the
application layer as a training lead would: two trainees and a supervisor in the registry; Li Na
(S100) with pain-programme logbook entries imported from CSV, three of five countersigned, a
signed PPH team drill sheet that passes, the balloon-tamponade station passed and the OSCE
practical — the uterine-massage station — failed (so: not cleared, the cell-salvage station, the
practical and the written test missing, retraining due 2026-04-01); Zhou Min (S200) with the
same team drill, the three PPH stations passed (the massage station is the practical) and the
written test passed (cleared to work since 2026-03-02, the day of the OSCE). The station sittings
are recorded, marked and signed through ``simtool.app.station`` (``helpers.stations``)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from simtool.app.logbook import import_csv, record_exam, sign
from simtool.core.drill import Participant, PatientParams
from simtool.core.scenario import load_scenario
from simtool.store import Archive, Examiner, Trainee

from helpers.archive import FakeClock
from helpers.paths import PPH, RUBRICS
from helpers.stations import sit_station

NAME, STAFF = "李娜", "S100"
CLEARED_NAME, CLEARED_STAFF = "周敏", "S200"
SUPERVISOR = "D900"
PPH_MISSING = 3   # Li Na's PPH programme: the cell-salvage station, the practical, the written test
RETRAIN_DUE = "2026-04-01"       # the OSCE failed 2026-03-02, retraining within 30 days
CLEARED_ON = "2026-03-02"   # the OSCE pass (the written test, recorded 2026-03-01, came first)
# the PPH programme's stations: the practical exam, and two simulation requirements
MASSAGE, BALLOON, CELL_SALVAGE = ("pph_uterine_massage_station", "pph_balloon_tamponade_station",
                                  "pph_cell_salvage_station")
HEADER = "staff_id,date,procedure,level,supervisor,site,case_ref,complications\n"


def _sheet(archive: Archive, drill_id: str, rubric: str, verdict: str, trainee_id: str | None,
           examiner_id: str) -> str:
    sid = archive.create_sheet(drill_id, rubric_id=rubric, rubric_version="1",
                               rubric_text=(RUBRICS / f"{rubric}.yaml").read_text(encoding="utf-8"),
                               data={"verdict": {"result": verdict}, "percentage": 80.0},
                               trainee_id=trainee_id)
    archive.sign_sheet(sid, examiner_id)
    return sid


def build_progress_archive(folder: Path) -> Path:
    db = folder / "progress.sqlite"
    clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
    pph = load_scenario(PPH)
    with Archive.open(db, clock=clock) as archive:
        tid = archive.add_trainee(Trainee(NAME, STAFF, site="County A", department="Pain"))
        cid = archive.add_trainee(Trainee(CLEARED_NAME, CLEARED_STAFF, site="County A",
                                          department="Obstetrics"))
        eid = archive.add_examiner(Examiner("王主任", SUPERVISOR, site="County A"))
        did = archive.start_drill(pph, PatientParams(65), [Participant("p1", NAME, "midwife"),
                                                           Participant("p2", CLEARED_NAME, "midwife")],
                                  trainees={"p1": tid, "p2": cid}, site="County A")
        _sheet(archive, did, "pph_uterine_atony_team", "pass", None, eid)          # the team drill
        sit_station(archive, BALLOON, STAFF, SUPERVISOR)                            # Li Na: passed,
        sit_station(archive, MASSAGE, STAFF, SUPERVISOR, passed=False)              # OSCE failed
        for station in (MASSAGE, BALLOON, CELL_SALVAGE):                           # Zhou Min: all
            sit_station(archive, station, CLEARED_STAFF, SUPERVISOR)
        rows = ([f"{STAFF},2026-01-0{d},stellate_ganglion_block,supervised,{SUPERVISOR},County A,C-{d},"
                 for d in range(1, 6)]
                + [f"{STAFF},2026-02-01,lumbar_paravertebral_block,independent,{SUPERVISOR},County A,C-10,无"])
        csv = folder / "log.csv"
        csv.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
        ids = import_csv(archive, csv)
        for entry in ids[:3]:
            sign(archive, entry, SUPERVISOR)
        record_exam(archive, CLEARED_STAFF, "pph_staff", "written", "2026-03-01", "pass")
    return db
