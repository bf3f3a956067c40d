"""One person's drills across time, scenarios, roles and sites, for the portfolio tests
(issue 17, item 6): Chen Jie (staff id S003) as four trainee records' worth of drills —

1. 2024-02-01 PPH good care at County Hospital, record ``cj`` (midwife): team sheet signed,
   the critical item "help called" met;
2. 2024-05-01 PPH late care at County Hospital, record ``cj-typo`` (staff id S03, a typo),
   merged into ``cj``: "help called" missed (late);
3. 2024-08-01 PPH absent care at City Hospital, recorded on a visiting laptop and imported
   from a bundle (record ``cj-city``, not merged by the import: another site), merged into
   ``cj`` by hand; sheets stored unsigned by scoring;
4. 2024-11-01 LAST after a nerve block, good care, at County Hospital (anaesthetist): every
   LAST indicator has one drill only ("too few drills").

and one drill of somebody else (Li Na) that must not appear."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from simtool.app.sheets import sign_new_sheet
from simtool.core.drill import Participant, PatientParams
from simtool.core.rubric import load_rubric
from simtool.core.runner import run_script
from simtool.core.scenario import load_scenario
from simtool.core.scoring import score
from simtool.core.script import load_script
from simtool.store import Archive, Trainee
from simtool.store.bundle import export_bundle, import_bundle

from helpers.archive import FakeClock
from helpers.paths import ROOT, RUBRICS, SCENARIOS

NAME, STAFF = "陈洁 Chen Jie", "S003"
DATES = ("2024-02-01", "2024-05-01", "2024-08-01", "2024-11-01")
HOME, AWAY = "County Hospital", "City Hospital"


def _record(archive: Archive, clock: FakeClock, when: str, scenario: str, script: str,
            who: str | Trainee, as_pid: str, *, site: str, department: str,
            rubric: str | None = None, sign: bool = True) -> str:
    loaded = load_scenario(SCENARIOS / f"{scenario}.yaml")
    drill, _ = run_script(loaded, load_script(ROOT / "tests" / "scripts" / scenario / f"{script}.yaml", loaded),
                          PatientParams(65.0))
    team = [Participant(p.id, NAME if p.id == as_pid else p.name, p.role) for p in drill.participants]
    clock.set(datetime.fromisoformat(when).replace(hour=9, tzinfo=timezone.utc))
    did = archive.start_drill(loaded, drill.patient, team, "summative", trainees={as_pid: who},
                              site=site, department=department)
    for e in drill.events:
        assert archive.append_event(did, e) is None
    if rubric is not None:
        rb = load_rubric(RUBRICS / f"{rubric}.yaml", loaded)
        result = score(rb, drill, evaluation_type="summative")
        links = {p.id: p.trainee_id for p in archive.drill(did).participants if p.trainee_id}
        if sign:
            for sheet in result.sheets:
                sign_new_sheet(archive, did, rb, sheet, examiner="Dr Zhou", trainee_ids=links)
        else:
            from simtool.app.sheets import store_unsigned_sheets
            store_unsigned_sheets(archive, did, rb, result)
    return did


def build_portfolio_archive(folder: Path) -> tuple[Path, list[str]]:
    """The department archive described above: (its path, Chen Jie's drill ids oldest first)."""
    clock = FakeClock()
    path = folder / "dept.sqlite"
    laptop_path = folder / "laptop.sqlite"
    ids = []
    with Archive.open(path, clock=clock, actor="tester@lab") as dept:
        ids.append(_record(dept, clock, DATES[0], "pph_uterine_atony", "good_care",
                           Trainee(NAME, STAFF, "Obstetrics", id="cj"), "t1", site=HOME,
                           department="Obstetrics", rubric="pph_uterine_atony_technical"))
        ids.append(_record(dept, clock, DATES[1], "pph_uterine_atony", "late_care",
                           Trainee(NAME, "S03", "Obstetrics", id="cj-typo"), "t1", site=HOME,
                           department="Obstetrics", rubric="pph_uterine_atony_technical"))
        _record(dept, clock, "2024-06-01", "pph_uterine_atony", "good_care",
                Trainee("Li Na", "S001", "Obstetrics", id="li"), "t1", site=HOME,
                department="Obstetrics", rubric="pph_uterine_atony_technical")
        dept.merge_people("cj", "cj-typo", "staff id mistyped at setup")
        with Archive.open(laptop_path, clock=clock, actor="visitor@laptop") as laptop:
            away = _record(laptop, clock, DATES[2], "pph_uterine_atony", "absent_care",
                           Trainee(NAME, STAFF, "Obstetrics", id="cj-city"), "t1", site=AWAY,
                           department="Obstetrics", rubric="pph_uterine_atony_technical", sign=False)
            export_bundle(laptop, [away], folder / "visit.simtool")
        report = import_bundle(dept, folder / "visit.simtool")
        assert report.added == [away]
        dept.merge_people("cj", "cj-city", "the same person, on a visit to City Hospital")
        ids.append(away)
        ids.append(_record(dept, clock, DATES[3], "last_nerve_block", "good_care", "cj", "a1",
                           site=HOME, department="Anaesthesia"))
    return path, ids
