"""``simtool logbook`` and ``simtool progress`` (issue 20): a trainee with logbook entries
countersigned and not, a signed PPH team drill sheet and a failed OSCE station — the PPH
programme's practical exam is the uterine-massage station, scored and signed through
``simtool.app.station`` — gets the right counts, the missing items (the balloon-tamponade and
cell-salvage stations too), not cleared, and a retraining date; once everything is done and
passed, cleared with the date."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from simtool.cli import main
from simtool.core.drill import Participant, PatientParams
from simtool.store import Archive, Examiner, Trainee

from helpers.archive import FakeClock
from helpers.paths import RUBRICS
from helpers.stations import sit_station

HEADER = "staff_id,date,procedure,level,supervisor,site,case_ref,complications\n"


def run_json(capsys, *argv: str):
    capsys.readouterr()
    assert main(list(argv)) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def sheet(archive, drill_id, rubric, verdict, trainee_id, examiner_id):
    sid = archive.create_sheet(drill_id, rubric_id=rubric, rubric_version="1",
                               rubric_text=(RUBRICS / f"{rubric}.yaml").read_text(encoding="utf-8"),
                               data={"verdict": {"result": verdict}, "percentage": 80.0},
                               trainee_id=trainee_id)
    archive.sign_sheet(sid, examiner_id)
    return sid


def build(tmp_path, pph):
    db = tmp_path / "a.sqlite"
    clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
    with Archive.open(db, clock=clock) as archive:
        tid = archive.add_trainee(Trainee("李娜", "S100", site="County A"))
        eid = archive.add_examiner(Examiner("王主任", "D900", site="County A"))
        did = archive.start_drill(pph, PatientParams(65), [Participant("p1", "李娜", "midwife")],
                                  trainees={"p1": tid}, site="County A")
        sheet(archive, did, "pph_uterine_atony_team", "pass", None, eid)               # team drill
        failed = sit_station(archive, "pph_uterine_massage_station", "S100", "D900", passed=False)
    return db, tid, failed


def test_progress_counts_signed_entries_only_and_a_failed_osce_sets_retraining(tmp_path, pph, capsys):
    db, tid, failed = build(tmp_path, pph)
    rows = (["S100,2026-01-0{},stellate_ganglion_block,supervised,D900,County A,C-{},".format(d, d)
             for d in range(1, 6)]
            + ["S100,2026-02-01,lumbar_paravertebral_block,independent,D900,County A,C-10,无"])
    csv = tmp_path / "log.csv"
    csv.write_bytes((HEADER + "\n".join(rows) + "\n").encode("gbk"))
    imported = run_json(capsys, "logbook", "import", str(csv), "--archive", str(db), "--json")
    assert imported["imported"] == 6
    first = imported["ids"][0]
    for entry in imported["ids"][:3]:                 # three of the five supervised blocks signed
        run_json(capsys, "logbook", "sign", str(entry), "--supervisor", "D900", "--archive", str(db), "--json")
    listed = run_json(capsys, "logbook", "list", "S100", "--archive", str(db), "--json")
    assert [e["status"] for e in listed] == ["signed"] * 3 + ["pending"] * 3
    assert listed[0]["id"] == first

    pain = run_json(capsys, "progress", "S100", "--programme", "pain_medicine_specialist",
                    "--archive", str(db), "--json")
    req = {r["id"]: r for r in pain["requirements"]}
    sgb = req["stage_one/stellate_ganglion_block/supervised"]
    assert (sgb["procedure"], sgb["level"], sgb["stage"]) == ("stellate_ganglion_block", "supervised", "stage_one")
    assert (sgb["required"], sgb["done"], sgb["missing"], sgb["pending"]) == (20, 3, 17, 2)
    lpb = req["stage_one/lumbar_paravertebral_block/independent"]
    assert (lpb["required"], lpb["done"], lpb["missing"], lpb["pending"]) == (20, 0, 20, 1)
    assert req["stage_two/stellate_ganglion_block/independent"]["done"] == 0
    assert pain["cleared"] is False and pain["cleared_on"] is None and pain["retrain_due"] is None

    pph_ = run_json(capsys, "progress", "S100", "--programme", "pph_staff", "--archive", str(db), "--json")
    assert pph_["requirements"] == []
    sim = {s["id"]: (s["rubric"], s["required"], s["done"], s["missing"]) for s in pph_["simulation"]}
    assert sim == {"team_drill": ("pph_uterine_atony_team", 1, 1, 0),
                   "balloon_tamponade_station": ("pph_balloon_tamponade_station", 1, 0, 1),
                   "cell_salvage_station": ("pph_cell_salvage_station", 1, 0, 1)}
    exams = {e["id"]: e for e in pph_["exams"]}
    assert (exams["practical"]["result"], exams["practical"]["date"]) == ("fail", "2026-03-02")
    assert [h["from"] for h in exams["practical"]["history"]] == [f"score sheet {failed}"]
    assert exams["practical"]["retrain_due"] == "2026-04-01"      # 30 days (verify: true)
    assert exams["written"]["result"] is None
    assert pph_["cleared"] is False and pph_["cleared_on"] is None
    assert pph_["retrain_due"] == "2026-04-01"

    # the two other stations passed (signed 2026-03-15), retrained and the practical passed,
    # the written test recorded: cleared, since the latest of them
    with Archive.open(db, clock=FakeClock(datetime(2026, 3, 15, 9, 0, tzinfo=timezone.utc))) as archive:
        for station in ("pph_balloon_tamponade_station", "pph_cell_salvage_station"):
            sit_station(archive, station, "S100", "D900")
    half = run_json(capsys, "progress", "S100", "--programme", "pph_staff", "--archive", str(db), "--json")
    assert [s["missing"] for s in half["simulation"]] == [0, 0, 0] and half["cleared"] is False
    assert main(["logbook", "exam", "S100", "--programme", "pph_staff", "--exam", "practical",
                 "--result", "pass", "--date", "2026-03-20", "--archive", str(db)]) == 0
    assert main(["logbook", "exam", "S100", "--programme", "pph_staff", "--exam", "written",
                 "--result", "pass", "--date", "2026-03-10", "--archive", str(db)]) == 0
    done = run_json(capsys, "progress", "S100", "--programme", "pph_staff", "--archive", str(db), "--json")
    assert (done["cleared"], done["cleared_on"], done["retrain_due"]) == (True, "2026-03-20", None)
    assert main(["verify", "--archive", str(db)]) == 0


def test_the_text_output_and_the_user_errors(tmp_path, pph, capsys):
    db, _, _ = build(tmp_path, pph)
    capsys.readouterr()
    assert main(["progress", "S100", "--programme", "pph_staff", "--archive", str(db)]) == 0
    out = capsys.readouterr().out
    assert "exam         practical (practical): fail on 2026-03-02; retraining due by 2026-04-01" in out
    assert out.rstrip().endswith("not cleared to work; retraining due by 2026-04-01")
    assert main(["progress", "S100", "--programme", "nope", "--archive", str(db)]) == 1
    assert "no programme 'nope' (programmes: pain_medicine_specialist, pph_staff)" in capsys.readouterr().err
    assert main(["logbook", "sign", "42", "--supervisor", "D900", "--archive", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("simtool logbook: no logbook entry 42") and "Traceback" not in err
    bad = tmp_path / "bad.csv"
    bad.write_text("staff_id,date\nS100,2026-01-01\n", encoding="utf-8")
    assert main(["logbook", "import", str(bad), "--archive", str(db)]) == 1
    assert capsys.readouterr().err.startswith(f"{bad}:1: (header): expected exactly staff_id,date,")
