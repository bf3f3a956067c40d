"""An examiner's marks kept as drafts: committed as entered, read back after the archive is
closed, one draft per sheet and examiner, refused (nothing written) when the core refuses the
marks, never in a statistic, and signed only when every rating the rubric requires is there —
the LAST sheet's ANTS block included."""

from __future__ import annotations

import pytest

from simtool.app.marking import MarkingError, draft_of, drafts, save_draft, sign_draft
from simtool.core.rubric import load_rubric
from simtool.core.scenario import load_scenario
from simtool.store import Archive, Examiner

from helpers.archive import fingerprint
from helpers.marking import recorded_last_drill
from helpers.paths import RUBRICS, SCENARIOS

LAST_RUBRIC = RUBRICS / "last_nerve_block_technical.yaml"


@pytest.fixture(scope="module")
def last():
    return load_scenario(SCENARIOS / "last_nerve_block.yaml")


@pytest.fixture()
def recorded(last, tmp_path):
    """The LAST good-care drill ended in a fresh archive, with one examiner."""
    db = tmp_path / "a.sqlite"
    did, drill = recorded_last_drill(db)
    with Archive.open(db) as archive:
        examiner = archive.add_examiner(Examiner("Dr Zhou", "E01"))
    return db, did, drill, load_rubric(LAST_RUBRIC, last), examiner


def anaesthetist(drill) -> str:
    return next(p.id for p in drill.participants if p.role == "anaesthetist")


ANTS = ("planning_and_preparing", "prioritising", "providing_and_maintaining_standards",
        "identifying_and_using_resources", "coordinating_with_the_team", "exchanging_information",
        "using_authority_and_assertiveness", "assessing_capabilities", "supporting_others",
        "gathering_information", "recognising_and_understanding", "anticipating",
        "identifying_options", "balancing_risks_and_selecting", "re_evaluating")


def test_every_mark_is_kept_at_once_and_read_back_after_the_archive_is_closed(recorded):
    db, did, drill, rubric, examiner = recorded
    who = anaesthetist(drill)
    with Archive.open(db) as archive:
        first = save_draft(archive, did, rubric, drill, who, examiner, {"items": {"closed_loop": True}})
        again = save_draft(archive, did, rubric, drill, who, examiner,
                           {"items": {"closed_loop": True}, "nts": {"ants": {"prioritising": 3}},
                            "comment": "calm leader"})
        assert again == first                       # one draft per sheet and examiner
    with Archive.open(db) as archive:
        (d,) = drafts(archive, did)
        assert (d.subject, d.examiner_id) == (who, examiner)
        assert d.marks.items == {"closed_loop": True} and d.marks.nts == {"ants": {"prioritising": 3}}
        assert d.marks.comment == "calm leader"
        assert not archive.sheet(d.sheet_id).signed
        assert archive.verify() == []


def test_marks_the_core_refuses_are_refused_and_nothing_is_written(recorded):
    db, did, drill, rubric, examiner = recorded
    who = anaesthetist(drill)
    before = fingerprint(db)
    with Archive.open(db) as archive:
        for marks, words in (({"items": {"no_such_item": True}}, "no_such_item"),
                             ({"nts": {"ants": {"prioritising": 7}}}, "prioritising is rated"),
                             ({"overrides": {"help_called": ["met", ""]}}, "reason"),
                             ({"colour": "red"}, "unknown key")):
            with pytest.raises(MarkingError, match=words):
                save_draft(archive, did, rubric, drill, who if "overrides" not in marks else "team",
                           examiner, marks)
    assert fingerprint(db) == before


def test_the_ants_block_must_be_rated_before_the_sheet_is_signed(recorded):
    db, did, drill, rubric, examiner = recorded
    who = anaesthetist(drill)
    with Archive.open(db) as archive:
        save_draft(archive, did, rubric, drill, who, examiner,
                   {"items": {"closed_loop": True, "leads_checklist": True}, "global_grade": "good"})
        with pytest.raises(MarkingError) as refused:
            sign_draft(archive, did, rubric, drill, who, examiner)
        for element in ANTS:
            assert f"ants.{element}" in str(refused.value)
        assert not archive.sheet(draft_of(archive, did, rubric.rubric.id, who, examiner).sheet_id).signed
        ratings = {e: 3 for e in ANTS}
        ratings["supporting_others"] = "not observed"     # rated: not observed counts
        save_draft(archive, did, rubric, drill, who, examiner,
                   {"items": {"closed_loop": True, "leads_checklist": True}, "global_grade": "good",
                    "nts": {"ants": ratings}})
        signed = sign_draft(archive, did, rubric, drill, who, examiner)
        assert signed.signed and signed.signed_by == examiner
        assert drafts(archive, did) == []                 # the draft became the signed sheet
        (block,) = signed.data["nts"]
        assert block["id"] == "ants" and all(r["status"] != "pending-examiner" for r in block["ratings"])
        with pytest.raises(MarkingError, match="no draft"):
            sign_draft(archive, did, rubric, drill, who, examiner)
        assert archive.verify() == []


def test_a_draft_counts_in_no_statistic_until_it_is_signed(recorded):
    from simtool.store.analytics import exam_rows
    db, did, drill, rubric, examiner = recorded
    who = anaesthetist(drill)
    marks = {"items": {"closed_loop": True, "leads_checklist": True}, "global_grade": "good",
             "nts": {"ants": {e: 3 for e in ANTS}}}
    with Archive.open(db) as archive:
        save_draft(archive, did, rubric, drill, who, examiner, marks)
        assert exam_rows(archive) == []                   # complete, graded, but a draft
        sign_draft(archive, did, rubric, drill, who, examiner)
        (row,) = exam_rows(archive)
        assert row.examiner == examiner


def test_a_draft_is_not_in_the_trainees_mean_score(recorded):
    from simtool.store.analytics import portfolio
    db, did, drill, rubric, examiner = recorded
    who = anaesthetist(drill)
    with Archive.open(db) as archive:
        trainee = next(p.trainee_id for p in archive.drill(did).participants if p.id == who)
        save_draft(archive, did, rubric, drill, who, examiner, {"items": {"closed_loop": True}})
        (scenario,) = portfolio(archive, trainee)["scenarios"]
        assert scenario["mean_percentage"] is None


def test_a_signed_sheet_takes_no_new_draft_and_drafts_use_the_drills_evaluation_type(recorded):
    db, did, drill, rubric, examiner = recorded
    who = anaesthetist(drill)
    marks = {"items": {"closed_loop": True, "leads_checklist": True}, "global_grade": "good",
             "nts": {"ants": {e: 3 for e in ANTS}}}
    with Archive.open(db) as archive:
        save_draft(archive, did, rubric, drill, who, examiner, marks)
        assert draft_of(archive, did, rubric.rubric.id, who, examiner).data["evaluation_type"] == "summative"
        sign_draft(archive, did, rubric, drill, who, examiner)
        before = fingerprint(db)
        with pytest.raises(MarkingError, match="already signed by this examiner.*amendment"):
            save_draft(archive, did, rubric, drill, who, examiner, {"items": {"closed_loop": False}})
    assert fingerprint(db) == before
