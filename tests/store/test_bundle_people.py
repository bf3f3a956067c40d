"""Bundles carry people and places (issue 17): a person imported with a staff id the department
archive keeps for someone at the same site is that person (an audited merge); the same staff id
at another site is not merged silently; and an anonymised bundle holds no name, staff id or
site anywhere in its bytes — not in notes, comments, drafts or evidence."""

from __future__ import annotations

import json
import zipfile

from simtool.app.marking import save_draft, sign_draft
from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.rubric import load_rubric
from simtool.store import Examiner, Trainee
from simtool.store.bundle import export_bundle, import_bundle

from helpers.paths import RUBRICS

PATIENT = PatientParams(65)


def _drill(archive, pph, name: str, staff: str, site: str, note: str | None = None) -> str:
    team = [Participant("t1", name, "midwife")]
    did = archive.start_drill(pph, PATIENT, team, "summative", site=site, department="Obstetrics",
                              trainees={"t1": Trainee(name, staff, "Obstetrics")})
    drill = Drill(pph, PATIENT, team)
    archive.record(did, drill)
    drill.advance_to(800)
    drill.act("call_for_help", by="t1")
    if note:
        drill.note(note, by="instructor")
    drill.advance_to(900)
    drill.end()
    archive.end_drill(did)
    return did


def test_the_same_staff_id_at_the_same_site_is_one_person_after_an_import(open_archive, pph, tmp_path):
    laptop, dept = open_archive("laptop.sqlite"), open_archive("dept.sqlite")
    _drill(dept, pph, "Chen Jie", "S003", "County Hospital")
    visiting = _drill(laptop, pph, "Chen Jie", "S003", "County Hospital")
    path = tmp_path / "b.simtool"
    export_bundle(laptop, [visiting], path)
    report = import_bundle(dept, path)
    assert report.added == [visiting]
    (person,) = dept.people()
    assert (person["staff_id"], person["drills"], len(person["records"])) == ("S003", 2, 2)
    assert dept.verify() == []


def test_the_same_staff_id_at_another_site_is_not_merged_silently(open_archive, pph, tmp_path):
    laptop, dept = open_archive("laptop.sqlite"), open_archive("dept.sqlite")
    _drill(dept, pph, "Chen Jie", "S003", "County Hospital")
    elsewhere = _drill(laptop, pph, "Chen Jie", "S003", "City Hospital")
    path = tmp_path / "b.simtool"
    export_bundle(laptop, [elsewhere], path)
    report = import_bundle(dept, path)
    assert [p["drills"] for p in dept.people()] == [1, 1]
    assert any("another site" in n and "S003" in n for n in report.notes)


def test_an_anonymised_bundle_holds_no_name_staff_id_or_site_in_its_bytes(open_archive, pph, tmp_path):
    archive = open_archive("laptop.sqlite")
    did = _drill(archive, pph, "陈洁", "S003", "县人民医院", note="陈洁 called for help at once (S003)")
    examiner = archive.add_examiner(Examiner("周医生", "E77"))
    archive.link_examiner(did, examiner)
    rubric = load_rubric(RUBRICS / "pph_uterine_atony_technical.yaml", pph)
    record = archive.record_of(did)
    save_draft(archive, did, rubric, record.final, "t1", examiner,
               {"items": {"closed_loop": True, "measures_blood_loss": True},
                "global_grade": "good", "comment": "陈洁 (S003) led well; 周医生 agrees"})
    sign_draft(archive, did, rubric, record.final, "t1", examiner)
    save_draft(archive, did, rubric, record.final, "team", examiner,
               {"comment": "draft by E77 about S003 at 县人民医院"})
    path = tmp_path / "anon.simtool"
    export_bundle(archive, [did], path, anonymize=True)
    secrets = ("陈洁", "S003", "周医生", "E77", "县人民医院")
    with zipfile.ZipFile(path) as z:
        for member in z.namelist():
            raw = z.read(member)
            for secret in secrets:
                for form in (secret.encode("utf-8"), json.dumps(secret)[1:-1].encode("ascii")):
                    assert form not in raw, (member, secret)


def test_a_registry_person_of_another_hospital_is_not_merged_even_without_drills(open_archive, pph, tmp_path):
    from simtool.app.people import add_person
    laptop, dept = open_archive("laptop.sqlite"), open_archive("dept.sqlite")
    add_person(dept, "Chen Jun", "S003", site="City Hospital")           # registered, no drill yet
    add_person(dept, "Li Na", "S010", site="County Hospital", profession="midwife")
    add_person(laptop, "Li Na", "S010", site="County Hospital", profession="midwife", grade="N2")
    visiting = _drill(laptop, pph, "Chen Jie", "S003", "County Hospital")
    path = tmp_path / "b.simtool"
    export_bundle(laptop, [visiting], path)
    report = import_bundle(dept, path)
    assert sorted((p["name"], p["site"], p["drills"]) for p in dept.people()) == [
        ("Chen Jie", "County Hospital", 1), ("Chen Jun", "City Hospital", 0),
        ("Li Na", "County Hospital", 0)]
    assert any("another site" in n and "S003" in n for n in report.notes)
    assert dept.verify() == []


def test_a_bundle_carries_a_persons_profession_grade_and_home_site(open_archive, pph, tmp_path):
    laptop, dept = open_archive("laptop.sqlite"), open_archive("dept.sqlite")
    did = _drill(laptop, pph, "Chen Jie", "S003", "County Hospital")
    tid = laptop.find_trainee("S003", "County Hospital")
    laptop.update_trainee(tid, profession="midwife", grade="N2")
    path = tmp_path / "b.simtool"
    export_bundle(laptop, [did], path)
    import_bundle(dept, path)
    t = dept.trainee(tid)
    assert (t.profession, t.grade, t.site) == ("midwife", "N2", "County Hospital")
    assert dept.verify() == []
