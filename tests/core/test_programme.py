"""Training-programme files (issue 20): the bundled programmes validate, every count has its
source, and a malformed programme gets exactly the FILE:LINE: field: message lines written at
its end, through the same ``validate_file`` as scenarios and rubrics."""

from __future__ import annotations

from pathlib import Path

import pytest

from simtool.cli import main
from simtool.core.paths import programmes_dir
from simtool.core.programme import LEVELS, ProgrammeError, load_programme, requirement_id
from simtool.core.validate import validate_file

DATA = Path(__file__).parent / "data" / "programmes_malformed"
CORPUS = sorted(DATA.glob("*.yaml"))


def expected_lines(path: Path) -> list[str]:
    return [f"{path}:{line[len('# expect: '):]}" for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("# expect: ")]


def test_the_two_programmes_validate(capsys):
    assert main(["validate", str(programmes_dir())]) == 0
    assert "2 of 2 files valid" in capsys.readouterr().err
    ids = {load_programme(p).programme.id for p in programmes_dir().glob("*.yaml")}
    assert ids == {"pain_medicine_specialist", "pph_staff"}


def test_the_pain_programme_has_every_count_of_document_003():
    pg = load_programme(programmes_dir() / "pain_medicine_specialist.yaml").programme
    counts = {requirement_id(s.id, r.procedure, r.level): r.count.value
              for s in pg.stages for r in s.procedures}
    # the tables of 三（一）3 and 三（十）3: 18 + 10 + 12 and 25 + 4 + 8 procedures
    assert len(counts) == 77
    assert counts["stage_one/lumbar_paravertebral_block/independent"] == 20
    assert counts["stage_one/stellate_ganglion_block/supervised"] == 20
    assert counts["stage_two/stellate_ganglion_block/independent"] == 10
    assert counts["stage_one/neurostimulator_implant/assisted"] == 1
    assert counts["stage_two/disc_ozone_or_plasma_nucleoplasty/supervised"] == 16
    assert all(r.count.source.startswith("003") and not r.count.verify
               for s in pg.stages for r in s.procedures)
    assert {r.level for s in pg.stages for r in s.procedures} == set(LEVELS)


def test_the_pph_programme_has_its_exams_and_drill_frequencies():
    pg = load_programme(programmes_dir() / "pph_staff.yaml").programme
    assert [(e.id, e.kind) for e in pg.exams] == [("practical", "practical"), ("written", "written")]
    assert pg.exams[0].retrain is not None and pg.exams[0].retrain.due_within_days.verify
    assert {d.id: d.every_months.value for d in pg.drills} == {"mdt_drill": 3, "emergency_plan_drill": 6}
    # a number the document does not give is marked for a reviewer
    assert pg.simulation[0].count.verify
    # 002 examines 子宫按摩, 宫腔填塞 and 自体血回收操作 by OSCE: the practical is the massage
    # station, the two others are stations to pass before working (the team drill stays)
    assert pg.exams[0].rubric == "pph_uterine_massage_station"
    assert {s.id: s.rubric for s in pg.simulation} == {
        "team_drill": "pph_uterine_atony_team",
        "balloon_tamponade_station": "pph_balloon_tamponade_station",
        "cell_salvage_station": "pph_cell_salvage_station"}
    for sim in pg.simulation[1:]:
        assert sim.count.value == 1 and sim.count.verify and sim.count.source.startswith("design:")
        assert "OSCE" in sim.count.source and "002" in sim.count.source


def test_the_corpus_has_expectations():
    assert len(CORPUS) >= 3 and all(expected_lines(p) for p in CORPUS)


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_malformed_programme_gets_exactly_its_messages(path):
    assert [str(p) for p in validate_file(path)] == expected_lines(path)
    with pytest.raises(ProgrammeError) as info:
        load_programme(path)
    assert [str(p) for p in info.value.problems] == expected_lines(path)


def test_validate_prints_the_programme_problems(capsys):
    bad = DATA / "shape.yaml"
    assert main(["validate", "-q", str(bad)]) == 1
    assert capsys.readouterr().out.splitlines() == expected_lines(bad)
