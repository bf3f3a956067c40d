"""What a score sheet item says about why it scored what it did — the evidence an examiner and
a trainee read under each item: which logged action, when, by whom, the dose expected and
given, or that nothing was done — and who is credited when the drill could not tell who."""

from __future__ import annotations

import pytest

from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.rubric import load_rubric
from simtool.core.scoresheet import MET, NOT_MET, TEAM_SHEET
from simtool.core.scoring import score

from helpers.drills import reach
from helpers.paths import RUBRICS

TEAM = (Participant("t1", "Li Na", "midwife"), Participant("t2", "Wang Fang", "obstetrician"),
        Participant("t3", "Chen Jie", "anaesthetist"))


@pytest.fixture(scope="module")
def technical(pph):
    return load_rubric(RUBRICS / "pph_uterine_atony_technical.yaml", pph)


def item(result, sheet: str, item_id: str):
    return next(s for s in result.sheets if s.key == sheet).item(item_id)


def detected(pph, team=TEAM) -> Drill:
    """A PPH drill just after its detection marker."""
    drill = Drill(pph, PatientParams(65.0), team)
    reach(drill, "detection")
    drill.advance_to(drill.t + 10)
    return drill


def test_a_correct_dose_names_the_event_the_person_and_the_doses(technical, pph):
    drill = detected(pph)
    event = drill.act("tranexamic_acid", by="t3", dose=1000, unit="mg", route="IV")
    drill.end()
    got = item(score(technical, drill), "t3", "txa_dose")
    assert (got.status, got.points) == (MET, 2.0)
    ev = got.evidence
    assert (ev.reason, ev.seq, ev.t, ev.by, ev.by_role) == ("dose_ok", event.seq, event.t, "t3", "anaesthetist")
    assert (ev.dose, ev.expected_dose, ev.tolerance_pct, ev.unit) == (1.0, 1.0, 10.0, "g")


def test_a_dose_action_logged_without_a_dose_scores_nothing_and_says_so(technical, pph):
    drill = detected(pph)
    event = drill.act("tranexamic_acid", by="t3")
    drill.end()
    got = item(score(technical, drill), "t3", "txa_dose")
    assert (got.status, got.points) == (NOT_MET, 0.0)
    ev = got.evidence
    assert (ev.reason, ev.seq, ev.t, ev.by, ev.by_role, ev.dose) == \
        ("no_dose", event.seq, event.t, "t3", "anaesthetist", None)
    assert (ev.expected_dose, ev.unit) == (1.0, "g")


def test_a_dose_nobody_gave_scores_nothing_and_names_the_drug(technical, pph):
    drill = detected(pph)
    drill.end()
    got = item(score(technical, drill), "t3", "txa_dose")
    assert (got.status, got.points, got.evidence.reason, got.evidence.action) == \
        (NOT_MET, 0.0, "missed", "tranexamic_acid")


def test_a_dose_someone_else_gave_scores_nothing_on_this_sheet(technical, pph):
    drill = detected(pph)
    event = drill.act("tranexamic_acid", by="t1", dose=1, unit="g", route="IV")
    drill.end()
    got = item(score(technical, drill), "t3", "txa_dose")
    assert (got.status, got.points) == (NOT_MET, 0.0)
    assert (got.evidence.reason, got.evidence.seq, got.evidence.by, got.evidence.by_role) == \
        ("wrong_role", event.seq, "t1", "midwife")


def test_a_met_window_item_names_who_did_it(technical, pph):
    drill = detected(pph)
    event = drill.act("call_for_help", by="t1")
    drill.end()
    got = item(score(technical, drill), TEAM_SHEET, "help_called")
    assert (got.status, got.evidence.reason, got.evidence.seq, got.evidence.t, got.evidence.by,
            got.evidence.by_role) == (MET, "done", event.seq, event.t, "t1", "midwife")


def test_an_action_logged_for_a_role_two_people_hold_credits_them_and_nobody_else(technical, pph):
    team = TEAM + (Participant("t4", "Zhao Min", "midwife"),)
    drill = detected(pph, team)
    event = drill.act("iv_access", by="midwife")  # two midwives: the drill cannot tell which
    assert (event.actor, event.role) == (None, "midwife")
    drill.act("uterine_massage", by="midwife")
    drill.end()
    result = score(technical, drill)
    # the anaesthetist's IV access item: done, but by a midwife, so not theirs
    got = item(result, "t3", "iv_access")
    assert (got.status, got.points, got.evidence.reason) == (NOT_MET, 0.0, "wrong_role")
    # each midwife is credited with the massage logged for the midwife
    for who in ("t1", "t4"):
        assert item(result, who, "massage_by_midwife").status == MET


def test_a_drill_scored_before_it_ends_is_scored_as_if_it_had_ended(technical, pph):
    """Scoring reads the record as it stands: a window still open is a window missed."""
    drill = detected(pph)
    assert not drill.ended
    got = item(score(technical, drill), TEAM_SHEET, "uterotonic_on_time")
    assert (got.status, got.points, got.evidence.reason) == (NOT_MET, 0.0, "missed")
