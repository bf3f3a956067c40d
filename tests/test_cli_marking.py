"""``simtool score`` and ``simtool sheets``: an examiner of the drill enters marks from paper a
few at a time — several calls build one draft — and signs once every rating the rubric requires
is there; ``sheets`` lists drafts, signed and amended versions. Every refusal is one sentence,
exit 1, and the archive exactly as it was. A script's examiners are linked to the drill it
records, and the archive verifies after all of it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from simtool.cli import main
from simtool.store import Archive, Examiner

from helpers.archive import fingerprint, raw
from helpers.paths import ROOT, SCENARIOS

LAST = SCENARIOS / "last_nerve_block.yaml"
GOOD = ROOT / "tests" / "scripts" / "last_nerve_block" / "good_care.yaml"
RUBRIC = "last_nerve_block_technical"
EXAMINERS = "examiners: [{staff_id: E01, name: Dr Zhou}, {staff_id: E02, name: Dr Sun}]\n"
ANTS = ("planning_and_preparing", "prioritising", "providing_and_maintaining_standards",
        "identifying_and_using_resources", "coordinating_with_the_team", "exchanging_information",
        "using_authority_and_assertiveness", "assessing_capabilities", "supporting_others",
        "gathering_information", "recognising_and_understanding", "anticipating",
        "identifying_options", "balancing_risks_and_selecting", "re_evaluating")


def script_with(tmp: Path, examiners: str = EXAMINERS) -> Path:
    text = GOOD.read_text(encoding="utf-8")
    assert "\nparticipants:\n" in text
    path = tmp / "good_care_examined.yaml"
    path.write_text(text.replace("\nparticipants:\n", f"\n{examiners}participants:\n"), encoding="utf-8")
    return path


def record(db: Path, script: Path, *extra: str) -> str:
    assert main(["run", str(LAST), "--script", str(script), "--archive", str(db), "--json",
                 "--evaluation-type", "summative", *extra]) == 0
    with Archive.open(db) as archive:
        return archive.drills()[-1].id


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    """The LAST good-care drill recorded from a script naming two examiners (played once)."""
    folder = tmp_path_factory.mktemp("marking")
    db = folder / "archive.sqlite"
    return db, record(db, script_with(folder))


@pytest.fixture()
def drill(built, tmp_path) -> tuple[Path, str]:
    db = tmp_path / "archive.sqlite"
    shutil.copy(built[0], db)
    return db, built[1]


def score(capsys, db: Path, did: str, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["score", did, *args, "--archive", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


def scored(capsys, db: Path, did: str, *args: str) -> dict:
    code, out, err = score(capsys, db, did, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def sheets(capsys, db: Path, did: str) -> list[dict]:
    capsys.readouterr()
    assert main(["sheets", did, "--json", "--archive", str(db)]) == 0
    return json.loads(capsys.readouterr().out)


def verifies(capsys, db: Path) -> bool:
    capsys.readouterr()
    code = main(["verify", "--archive", str(db)])
    capsys.readouterr()
    return code == 0


def anaesthetist_marks(ratings: dict[str, str]) -> list[str]:
    return [arg for element, value in ratings.items() for arg in ("--rate", f"ants.{element}={value}")]


# --- a script's examiners ---------------------------------------------------------------------------

def test_a_scripts_examiners_are_linked_to_the_drill_it_records_once_per_staff_id(drill, tmp_path, capsys):
    db, did = drill
    with Archive.open(db) as archive:
        assert [(e.name, e.staff_id) for e in archive.drill_examiners(did)] == \
            [("Dr Zhou", "E01"), ("Dr Sun", "E02")]
    again = record(db, script_with(tmp_path, "examiners: [{staff_id: E01, name: Dr Zhou}]\n"),
                   "--examiner", "Dr Wu")
    with Archive.open(db) as archive:
        linked = archive.drill_examiners(again)
        assert [(e.name, e.staff_id) for e in linked] == [("Dr Wu", None), ("Dr Zhou", "E01")]
        assert linked[1].id == archive.drill_examiners(did)[0].id   # the same person's record
    with raw(db) as c:
        assert c.execute("SELECT count(*) FROM examiners WHERE staff_id = 'E01'").fetchone()[0] == 1
    assert verifies(capsys, db)


@pytest.mark.parametrize(("examiners", "field", "says"), [
    ('examiners: [{name: ""}]\n', "examiners[0].name", "a name is empty"),
    ("examiners: [{staff_id: E01}]\n", "examiners[0].name", "required"),
    ("examiners: [{name: Dr A, staff_id: E01}, {name: Dr B, staff_id: E01}]\n",
     "examiners[1].staff_id", "staff id 'E01' is given to two examiners, 'Dr A' and 'Dr B'"),
    ('examiners: [{name: "Dr\\u001bZhou"}]\n', "examiners[0].name", "holds a control character"),
    ("examiners: [{name: Dr Zhou, role: chair}]\n", "examiners[0].role", "unknown key"),
    ("examiners: [{name: Dr Zhou, staff_id: 1001}]\n", "examiners[0].staff_id", "must be text"),
    ("examiners: Dr Zhou\n", "examiners", "must be a list"),
])
def test_a_script_with_bad_examiners_is_refused_with_file_line_and_field(tmp_path, capsys,
                                                                         examiners, field, says):
    script = script_with(tmp_path, examiners)
    db = tmp_path / "new.sqlite"
    assert main(["run", str(LAST), "--script", str(script), "--archive", str(db),
                 "--evaluation-type", "summative"]) == 1
    err = capsys.readouterr().err
    assert f"{script}:6: {field}: {says}" in err and "Traceback" not in err
    assert not db.exists()


# --- building a draft, signing it ---------------------------------------------------------------------

def test_several_score_calls_build_one_draft(drill, capsys):
    db, did = drill
    first = scored(capsys, db, did, "--trainee", "a1", "--examiner", "E01", "--mark", "closed_loop=done")
    assert first["status"] == "draft" and first["examiner"]["staff_id"] == "E01"
    assert "leads_checklist" in first["missing"] and "global_rating" in first["missing"]
    second = scored(capsys, db, did, "--trainee", "a1", "--examiner", "E01",
                    "--mark", "leads_checklist=not-done", "--rate", "ants.prioritising=3",
                    "--global", "good", "--comment", "calm")
    assert second["id"] == first["id"]
    (sheet,) = sheets(capsys, db, did)
    assert sheet["id"] == first["id"] and sheet["status"] == "draft"
    assert {i["id"]: i["status"] for i in sheet["items"]}["closed_loop"] == "met"  # kept
    assert {i["id"]: i["status"] for i in sheet["items"]}["leads_checklist"] == "not met"
    assert sheet["global_grade"]["id"] == "good"
    (ants,) = sheet["ratings"]
    assert {r["id"]: r["rating"] for r in ants["ratings"]}["prioritising"] == 3
    assert sheet["missing"] == [f"ants.{e}" for e in ANTS if e != "prioritising"]
    # a changed mark replaces the draft's, and the rest stays
    third = scored(capsys, db, did, "--trainee", "a1", "--examiner", "E01", "--mark", "leads_checklist=done")
    assert {i["id"]: i["status"] for i in third["items"]}["leads_checklist"] == "met"
    assert third["global_grade"]["id"] == "good" and third["missing"] == sheet["missing"]
    with Archive.open(db) as archive:
        (kept,) = archive.sheets(did)
        assert kept.data["draft"]["marks"]["comment"] == "calm"
    assert verifies(capsys, db)


def test_the_trainee_is_found_by_participant_trainee_or_staff_id(drill, capsys):
    db, did = drill
    with Archive.open(db) as archive:
        a1 = next(p for p in archive.drill(did).participants if p.id == "a1")
        archive.update_trainee(a1.trainee_id, staff_id="S0042")
    by_staff = scored(capsys, db, did, "--trainee", "S0042", "--examiner", "E01", "--mark", "closed_loop=done")
    by_trainee = scored(capsys, db, did, "--trainee", a1.trainee_id, "--examiner", "E01",
                        "--mark", "leads_checklist=done")
    assert by_staff["id"] == by_trainee["id"] and by_staff["participant"] == "a1"


def test_sign_is_refused_while_ratings_are_missing_naming_each_then_signs(drill, capsys):
    db, did = drill
    scored(capsys, db, did, "--trainee", "a1", "--examiner", "E01", "--mark", "closed_loop=done",
           "--mark", "leads_checklist=done", "--global", "clear_pass")
    before = fingerprint(db)
    code, out, err = score(capsys, db, did, "--trainee", "a1", "--examiner", "E01",
                           *anaesthetist_marks({"prioritising": "3", "anticipating": "4"}), "--sign")
    assert code == 1 and out == "" and len(err.splitlines()) == 1
    assert "cannot be signed yet; still to rate: " in err
    for element in ANTS:
        assert (f"ants.{element}" in err) == (element not in ("prioritising", "anticipating"))
    assert fingerprint(db) == before                            # not even the two ratings
    (draft,) = sheets(capsys, db, did)
    assert draft["status"] == "draft" and draft["missing"] == [f"ants.{e}" for e in ANTS]
    ratings = {e: "3" for e in ANTS}
    ratings["supporting_others"] = "not-observed"                # rated: not observed counts
    signed = scored(capsys, db, did, "--trainee", "a1", "--examiner", "E01",
                    *anaesthetist_marks(ratings), "--sign")
    assert signed["status"] == "signed" and signed["missing"] == [] and signed["id"] == draft["id"]
    (listed,) = sheets(capsys, db, did)
    assert listed == signed
    with Archive.open(db) as archive:
        stored = archive.sheet(signed["id"])
        assert stored.signed and archive.examiner(stored.signed_by).staff_id == "E01"
    assert verifies(capsys, db)


def test_the_team_sheet_and_a_second_examiners_own_draft(drill, capsys):
    db, did = drill
    zhou = scored(capsys, db, did, "--team", "--examiner", "E01", "--mark", "situation_summary=2")
    sun = scored(capsys, db, did, "--team", "--examiner", "E02", "--mark", "situation_summary=1")
    assert zhou["id"] != sun["id"] and zhou["subject"] == sun["subject"] == "team"
    assert zhou["missing"] == sun["missing"] == ["global_rating"]
    signed = scored(capsys, db, did, "--team", "--examiner", "E02", "--global", "borderline", "--sign")
    assert signed["status"] == "signed"
    listed = {s["id"]: s for s in sheets(capsys, db, did)}
    assert (listed[zhou["id"]]["status"], listed[sun["id"]]["status"]) == ("draft", "signed")
    assert listed[zhou["id"]]["examiner"]["name"] == "Dr Zhou" and listed[zhou["id"]]["participant"] is None
    assert set(listed[sun["id"]]) == {"id", "rubric", "version", "subject", "participant", "name",
                                      "examiner", "status", "signed_at", "items", "ratings",
                                      "global_grade", "points", "max_points", "percentage",
                                      "verdict", "missing"}
    assert verifies(capsys, db)


def test_an_amended_sheet_is_listed_with_its_signed_version(drill, capsys):
    db, did = drill
    first = scored(capsys, db, did, "--team", "--examiner", "E01", "--mark", "situation_summary=2",
                   "--global", "good", "--sign")
    with Archive.open(db) as archive:
        zhou = archive.find_examiner(staff_id="E01")
        new = archive.amend_sheet(first["id"], archive.sheet(first["id"]).data, zhou.id,
                                  "the global rating was keyed on the wrong line")
    listed = {s["id"]: s["status"] for s in sheets(capsys, db, did)}
    assert listed == {first["id"]: "amended", new: "signed"}
    before = fingerprint(db)
    code, _out, err = score(capsys, db, did, "--team", "--examiner", "E01", "--global", "excellent")
    assert code == 1 and "is signed by Dr Zhou (E01)" in err and "amendment" in err
    assert fingerprint(db) == before
    # asked for nothing, score shows the sheet as it now stands
    assert scored(capsys, db, did, "--team", "--examiner", "E01")["id"] == new


def test_human_output_one_line_per_sheet(drill, capsys):
    db, did = drill
    code, out, _err = score(capsys, db, did, "--trainee", "a1", "--examiner", "E01", "--mark", "closed_loop=done")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"drill {did}: the sheet of Wang Lei (a1) on {RUBRIC} by Dr Zhou (E01): draft (")
    assert lines[1].startswith("total ") and lines[2].startswith("still to rate: leads_checklist, ants.")
    score(capsys, db, did, "--team", "--examiner", "E02", "--mark", "situation_summary=2")
    capsys.readouterr()
    assert main(["sheets", did, "--archive", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all("  draft  " in line and RUBRIC in line for line in lines)
    assert any("Dr Sun (E02)" in line and "  team  " in line for line in lines)


# --- refusals: one sentence, exit 1, nothing written ---------------------------------------------------

REFUSED = {
    "unknown item": (["--team", "--examiner", "E01", "--mark", "no_such_item=done"],
                     f"rubric {RUBRIC} has no item 'no_such_item'"),
    "item scored from the record": (["--team", "--examiner", "E01", "--mark", "help_called=done"],
                                    "help_called is scored from the record"),
    "item not on the sheet": (["--team", "--examiner", "E01", "--mark", "closed_loop=done"],
                              "closed_loop is not on this sheet"),
    "observed value": (["--trainee", "a1", "--examiner", "E01", "--mark", "closed_loop=2"],
                       "mark it done, not-done or not-observed, not '2'"),
    "graded level": (["--team", "--examiner", "E01", "--mark", "situation_summary=7"],
                     "grade it with one of its levels (0, 1, 2) or not-observed, not '7'"),
    "malformed mark": (["--team", "--examiner", "E01", "--mark", "situation_summary"],
                       "--mark 'situation_summary' is not ITEM=VALUE"),
    "mark given twice": (["--team", "--examiner", "E01", "--mark", "situation_summary=1",
                          "--mark", "situation_summary=2"], "is given twice"),
    "rating out of scale": (["--trainee", "a1", "--examiner", "E01", "--rate", "ants.prioritising=9"],
                            "ants.prioritising is rated 1, 2, 3, 4 or 'not observed', not 9"),
    "unknown element": (["--trainee", "a1", "--examiner", "E01", "--rate", "ants.charisma=3"],
                        "block ants has no element 'charisma'"),
    "unknown block": (["--trainee", "a1", "--examiner", "E01", "--rate", "team.global_rating=7"],
                      f"rubric {RUBRIC} has no block 'team' (its blocks: ants)"),
    "block not on the sheet": (["--team", "--examiner", "E01", "--rate", "ants.prioritising=3"],
                               "no block ants on this sheet"),
    "rating not a number": (["--trainee", "a1", "--examiner", "E01", "--rate", "ants.prioritising=good"],
                            "rate it with a number or not-observed, not 'good'"),
    "unknown grade": (["--team", "--examiner", "E01", "--global", "superb"], "unknown grade 'superb'"),
    "override without reason": (["--team", "--examiner", "E01", "--override", "help_called=met"],
                                "--override help_called needs a reason"),
    "override result": (["--team", "--examiner", "E01", "--override", "help_called=maybe:seen"],
                        "the result is one of met, not-met, late, not-applicable, not 'maybe'"),
    "override of a marked item": (["--team", "--examiner", "E01", "--override",
                                   "situation_summary=met:seen"], "change its mark instead"),
    "examiner not of the drill": (["--team", "--examiner", "E77", "--mark", "situation_summary=1"],
                                  "'E77' is not the staff id of an examiner of drill"),
    "unknown trainee": (["--trainee", "t9", "--examiner", "E01", "--mark", "closed_loop=done"],
                        "has no participant, trainee or staff id 't9' (its participants: a1 Wang Lei"),
    "unknown rubric": (["--team", "--examiner", "E01", "--rubric", "no_such_rubric"],
                       "there is no rubric 'no_such_rubric'"),
    "nothing to mark": (["--team", "--examiner", "E01"], "nothing to mark"),
    "sign with nothing marked": (["--team", "--examiner", "E01", "--sign"],
                                 "cannot be signed yet; still to rate: situation_summary, global_rating"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_refusal_is_one_sentence_exit_1_and_the_archive_unchanged(drill, capsys, case):
    db, did = drill
    args, says = REFUSED[case]
    with Archive.open(db) as archive:   # an examiner of the archive, not of this drill
        archive.add_examiner(Examiner("Dr Ma", "E77"))
    before = fingerprint(db)
    code, out, err = score(capsys, db, did, *args)
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("simtool score: ") and "Traceback" not in err
    assert says in err, err
    assert fingerprint(db) == before


def test_a_signed_sheet_is_never_marked_or_signed_again(drill, capsys):
    db, did = drill
    scored(capsys, db, did, "--team", "--examiner", "E01", "--mark", "situation_summary=2",
           "--global", "good", "--sign")
    before = fingerprint(db)
    for args in (["--mark", "situation_summary=0"], ["--sign"], ["--comment", "late thought"],
                 ["--override", "help_called=not-met:seen on the video"]):
        code, _out, err = score(capsys, db, did, "--team", "--examiner", "E01", *args)
        assert code == 1 and len(err.splitlines()) == 1
        assert "is signed by Dr Zhou (E01)" in err and "a correction is an amendment" in err
    assert fingerprint(db) == before
    assert verifies(capsys, db)


def test_an_unknown_drill_or_archive_is_one_sentence(drill, tmp_path, capsys):
    db, _did = drill
    for argv in (["score", "no-such-drill", "--team", "--examiner", "E01", "--mark", "x=done",
                  "--archive", str(db)],
                 ["sheets", "no-such-drill", "--archive", str(db)],
                 ["sheets", "d", "--archive", str(tmp_path / "missing.sqlite")]):
        capsys.readouterr()
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "missing.sqlite").exists()


def test_a_drill_with_examiners_named_only_cannot_be_marked_by_staff_id(tmp_path, capsys):
    db = tmp_path / "names.sqlite"
    did = record(db, GOOD, "--examiner", "Dr Zhou")
    before = fingerprint(db)
    code, _out, err = score(capsys, db, did, "--team", "--examiner", "E01", "--mark", "situation_summary=1")
    assert code == 1 and "(its examiners: Dr Zhou (no staff id))" in err
    assert fingerprint(db) == before
    formative = tmp_path / "formative.sqlite"
    assert main(["run", str(LAST), "--script", str(GOOD), "--archive", str(formative), "--json"]) == 0
    with Archive.open(formative) as archive:
        fid = archive.drills()[0].id
    code, _out, err = score(capsys, formative, fid, "--team", "--examiner", "E01", "--mark", "situation_summary=1")
    assert code == 1 and "has no examiners recorded" in err


TEAM_ELEMENTS = ("leader_set_expectations", "leader_global_view", "communicated_effectively",
                 "worked_together_in_time", "composure_and_control", "positive_morale",
                 "adapted_to_change", "monitored_and_reassessed", "anticipated_actions",
                 "prioritised_tasks", "followed_standards")


def test_a_block_with_an_overall_rating_on_another_rubric(tmp_path, capsys):
    """The PPH teamwork rubric (named by id): TEAM on the team sheet, its overall 1–10 rating
    (``team.global_rating``, or ``team.global``) needed before signing, and ``sheets`` naming
    what is missing exactly as the refused signature does, whichever sheet it reads first."""
    pph_good = ROOT / "tests" / "scripts" / "pph_uterine_atony" / "good_care.yaml"
    text = pph_good.read_text(encoding="utf-8").replace("\nparticipants:\n", f"\n{EXAMINERS}participants:\n")
    script = tmp_path / "pph.yaml"
    script.write_text(text, encoding="utf-8")
    db = tmp_path / "pph.sqlite"
    assert main(["run", str(SCENARIOS / "pph_uterine_atony.yaml"), "--script", str(script),
                 "--archive", str(db), "--json", "--evaluation-type", "summative"]) == 0
    with Archive.open(db) as archive:
        did = archive.drills()[0].id
    rubric = ["--rubric", "pph_uterine_atony_team", "--examiner", "E02"]
    scored(capsys, db, did, "--trainee", "t3", *rubric, "--mark", "speaks_up=done")
    team = scored(capsys, db, did, "--team", *rubric, "--mark", "leader_declared=done",
                  *[a for e in TEAM_ELEMENTS for a in ("--rate", f"team.{e}=3")])
    assert team["missing"] == ["roles_allocated", "shared_mental_model", "team.global_rating",
                               "global_rating"]
    code, _out, err = score(capsys, db, did, "--team", *rubric, "--sign")
    assert code == 1 and err.rstrip().endswith("still to rate: roles_allocated, shared_mental_model, "
                                               "team.global_rating, global_rating")
    listed = {s["participant"]: s for s in sheets(capsys, db, did)}
    assert listed[None]["missing"] == team["missing"]
    assert listed["t3"]["missing"][:2] == ["closed_loop", "ants.planning_and_preparing"]
    signed = scored(capsys, db, did, "--team", *rubric, "--mark", "roles_allocated=not-done",
                    "--mark", "shared_mental_model=1", "--rate", "team.global=7",
                    "--global", "clear_pass", "--sign")
    (block,) = signed["ratings"]
    assert signed["status"] == "signed" and block["id"] == "team" and block["overall"] == 7
    assert block["total"] == 33 and signed["global_grade"]["id"] == "clear_pass"
    code, _out, err = score(capsys, db, did, "--trainee", "t3", *rubric, "--rate", "team.global=7")
    assert code == 1 and "no block team on this sheet" in err
    assert verifies(capsys, db)


def test_sheets_scored_without_an_examiner_are_listed_unsigned(tmp_path, capsys):
    db = tmp_path / "scored.sqlite"
    script = script_with(tmp_path)
    assert main(["run", str(LAST), "--script", str(script), "--archive", str(db), "--json",
                 "--evaluation-type", "summative", "--rubric", str(ROOT / "rubrics" / f"{RUBRIC}.yaml")]) == 0
    with Archive.open(db) as archive:
        did = archive.drills()[0].id
    listed = sheets(capsys, db, did)
    assert len(listed) == 4 and {s["status"] for s in listed} == {"unsigned"}
    assert all(s["examiner"] is None for s in listed)
    team = next(s for s in listed if s["subject"] == "team")
    assert team["missing"] == ["situation_summary", "global_rating"]
    # an examiner's own draft is another sheet beside them
    mine = scored(capsys, db, did, "--team", "--examiner", "E01", "--mark", "situation_summary=2")
    assert mine["id"] not in {s["id"] for s in listed} and mine["missing"] == ["global_rating"]
