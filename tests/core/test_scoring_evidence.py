"""What a score sheet item says about why it scored what it did — the evidence an examiner and
a trainee read under each item: which logged action, when, by whom, the dose expected and
given, or that nothing was done — and who is credited when the drill could not tell who."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.rubric import load_rubric
from simtool.core.evidencetext import describe, names_for
from simtool.core.examiner import SheetMarks
from simtool.core.flagtext import flag_text
from simtool.core.scoresheet import LATE, MET, NOT_APPLICABLE, NOT_MET, TEAM_SHEET, ScoringError
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


def test_a_window_still_open_when_the_drill_ended_says_so(technical, pph):
    """Missed, as the record stands, but the evidence names the end: a reader must not take
    it for a window the team let pass."""
    drill = detected(pph)
    ends = drill.t + 60                     # the uterotonic is due 5 min after detection
    drill.advance_to(ends)
    drill.end()
    got = item(score(technical, drill), TEAM_SHEET, "uterotonic_on_time")
    assert (got.status, got.points) == (NOT_MET, 0.0)
    ev = got.evidence
    assert ev.ended_t == pytest.approx(drill.t) and ev.due_t > ev.ended_t
    assert ev.text.startswith("missed: not done when the drill ended at ")
    names = names_for(pph, "zh_CN")
    assert describe(ev, "zh_CN", names).startswith("遗漏：演练于 ")
    # a window that closed before the end reads as before
    late = detected(pph)
    late.advance_to(late.t + 900)
    late.end()
    ev = item(score(technical, late), TEAM_SHEET, "uterotonic_on_time").evidence
    assert ev.ended_t is None and ev.text.startswith("missed: not done by ")


# --- not done: forbidden actions and flags, on a team sheet and on one trainee's ------------

@pytest.fixture(scope="module")
def own_rubric(pph, tmp_path_factory):
    """The technical rubric plus a midwife's own safety item (actions and flags)."""
    data = YAML(typ="safe").load((RUBRICS / "pph_uterine_atony_technical.yaml").read_text(encoding="utf-8"))
    data["items"].append({"id": "midwife_safe", "kind": "not_done", "scope": "trainee", "role": "midwife",
                          "label": {"en": "Safe", "zh_CN": "安全", "zh_TW": "安全"},
                          "actions": ["carboprost"], "flags": ["max_single"], "points": 1})
    path = tmp_path_factory.mktemp("rubric") / "own.yaml"
    with path.open("w", encoding="utf-8") as f:
        YAML(typ="safe").dump(data, f)
    return load_rubric(path, pph)


def test_a_forbidden_action_names_the_action_the_time_and_who(own_rubric, pph):
    drill = detected(pph)
    drill.act("carboprost", by="t3", dose=250, route="IM")  # the anaesthetist's: not the midwife's
    event = drill.act("carboprost", by="t1", dose=250, route="IM")
    drill.end()
    got = item(score(own_rubric, drill), "t1", "midwife_safe")
    assert (got.status, got.points) == (NOT_MET, 0.0)
    ev = got.evidence
    assert (ev.reason, ev.action, ev.seq, ev.t, ev.by, ev.by_role) == \
        ("forbidden_action", "carboprost", event.seq, event.t, "t1", "midwife")


def test_a_flag_counts_on_the_sheet_of_whoever_drew_it_with_its_words(own_rubric, pph):
    drill = Drill(pph, PatientParams(65.0), TEAM)
    reach(drill, "detection")
    drill.advance_to(drill.t + 10)
    drill.act("oxytocin", by="t3", dose=20, unit="IU", route="IM")  # over the IM limit, by t3
    assert item(score(own_rubric, drill), "t1", "midwife_safe").status == MET  # not t1's flag
    event = drill.act("oxytocin", by="t1", dose=20, unit="IU", route="IM")
    (flag,) = [f for f in drill.flags() if f.ref == event.seq]
    drill.end()
    got = item(score(own_rubric, drill), "t1", "midwife_safe")
    assert (got.status, got.points) == (NOT_MET, 0.0)
    ev = got.evidence
    assert (ev.reason, ev.rule, ev.action, ev.seq, ev.t, ev.by, ev.by_role) == \
        ("flag", "max_single", "oxytocin", flag.seq, flag.t, "t1", "midwife")
    assert (ev.note, ev.note_lang) == (None, None)  # no words in the record: its numbers
    assert dict(ev.flag_values) == {k: v for k, v in flag.values if k != "message"}
    # worded for each reader, in the reader's language, with the numbers of the dose
    assert describe(ev, "en", names_for(pph, "en")) == (
        f"flag: single dose above the maximum on Oxytocin at 00:15 by Midwife: "
        f"Oxytocin 20 IU exceeds the single-dose limit 10 IU (event {flag.seq})")
    assert describe(ev, "zh_CN", names_for(pph, "zh_CN")).endswith(
        f"；缩宫素 20 IU 超过单次剂量上限 10 IU（事件 {flag.seq}）")
    assert describe(ev, "zh_TW", names_for(pph, "zh_TW")).endswith(
        f"；催產素 20 IU 超過單次劑量上限 10 IU（事件 {flag.seq}）")


def test_a_flag_of_a_kind_the_item_does_not_name_leaves_it_met(technical, pph):
    drill = detected(pph)
    event = drill.act("oxytocin", by="t1", dose=4, unit="IU", route="IM")  # below the usual range
    assert [f.rule for f in drill.flags() if f.ref == event.seq] == ["dose_range"]
    drill.end()
    result = score(technical, drill)
    got = item(result, TEAM_SHEET, "no_contraindicated_drug")  # names contraindications only
    assert (got.status, got.points, got.evidence.reason) == (MET, 2.0, "clean")
    # a dose outside the usual range is unsafe drug use: the safety item counts it
    unsafe = item(result, TEAM_SHEET, "no_unsafe_drug")
    assert (unsafe.status, unsafe.evidence.reason, unsafe.evidence.rule) == ("not met", "flag", "dose_range")


# --- a scenario's expected actions and indicators, as items --------------------------------

def test_an_expected_item_done_in_time_or_late_names_the_event(technical, pph):
    for after, status, points in ((10.0, MET, 2.0), (301.5, LATE, 1.0)):
        drill = detected(pph)
        drill.advance_to(drill.marker_times["detection"] + after)
        event = drill.act("oxytocin", by="t1", dose=10, unit="IU", route="IM")
        drill.end()
        got = item(score(technical, drill), TEAM_SHEET, "uterotonic_on_time")
        assert (got.status, got.points) == (status, points)
        ev = got.evidence
        assert (ev.seq, ev.t, ev.by_role) == (event.seq, event.t, "midwife")
        if status == MET:
            assert (ev.reason, ev.late_by_s) == ("done", None)
        else:  # 300 s window: one and a half seconds late
            assert (ev.reason, ev.late_by_s) == ("late", 1.5)


def test_an_indicator_item_says_when_it_ended_or_that_it_does_not_apply(technical, pph):
    drill = Drill(pph, PatientParams(65.0), TEAM)
    drill.advance_to(60)  # no bleeding detected yet
    drill.end()
    got = item(score(technical, drill), TEAM_SHEET, "oxytocin_per_protocol")
    assert (got.status, got.points, got.evidence.reason, got.evidence.marker) == \
        (NOT_APPLICABLE, 0.0, "not_applicable", "detection")

    drill = detected(pph)
    drill.end()
    got = item(score(technical, drill), TEAM_SHEET, "oxytocin_per_protocol")
    assert (got.status, got.points) == (NOT_MET, 0.0)
    assert (got.evidence.reason, got.evidence.marker, got.evidence.target_s, got.evidence.seconds) == \
        ("indicator", "detection", 300.0, None)

    drill = detected(pph)
    start = drill.marker_times["detection"]
    drill.advance_to(start + 42.5)
    drill.act("oxytocin", by="t1", dose=10, unit="IU", route="IM")
    drill.end()
    got = item(score(technical, drill), TEAM_SHEET, "oxytocin_per_protocol")
    assert (got.status, got.points) == (MET, 1.0)
    assert (got.evidence.reason, got.evidence.t, got.evidence.marker, got.evidence.seconds,
            got.evidence.target_s) == ("indicator", start + 42.5, "detection", 42.5, 300.0)


def test_a_window_whose_marker_never_came_does_not_apply_and_lateness_keeps_its_fraction(technical, pph):
    drill = Drill(pph, PatientParams(65.0), TEAM)
    drill.advance_to(60)  # no bleeding detected: the window never opened
    drill.end()
    got = item(score(technical, drill), TEAM_SHEET, "help_called")
    assert (got.status, got.points, got.evidence.reason, got.evidence.marker) == \
        (NOT_APPLICABLE, 0.0, "not_applicable", "detection")

    drill = detected(pph)
    drill.advance_to(drill.marker_times["detection"] + 300 + 1.5)  # massage within 300 s
    drill.act("uterine_massage", by="t1")
    drill.end()
    got = item(score(technical, drill), "t1", "massage_by_midwife")
    assert (got.status, got.points, got.evidence.late_by_s) == (LATE, 1.0, 1.5)


# --- the sheet around the items ---------------------------------------------------------------

def test_a_sheet_carries_the_rubric_the_person_the_examiner_and_their_words(technical, pph):
    drill = detected(pph)
    drill.end()
    marks = {"t1": SheetMarks(examiner="Dr Zhou", comment="calm and clear",
                              item_comments={"massage_by_midwife": "too gentle"}),
             TEAM_SHEET: SheetMarks(examiner="Dr Wu", comment="good handover")}
    result = score(technical, drill, marks)
    mine = next(s for s in result.sheets if s.key == "t1")
    assert (mine.rubric_version, mine.subject, mine.participant_id, mine.participant_name, mine.role) == \
        (technical.rubric.version, "trainee", "t1", "Li Na", "midwife")
    assert (mine.examiner, mine.comment) == ("Dr Zhou", "calm and clear")
    massage = mine.item("massage_by_midwife")
    rubric_item = next(i for i in technical.rubric.items if i.id == "massage_by_midwife")
    assert (massage.kind, massage.scope, massage.role, massage.comment) == \
        ("action_within", "trainee", "midwife", "too gentle")
    assert rubric_item.role == "midwife"
    assert all(i.comment is None for i in mine.items if i.id != "massage_by_midwife")
    team = next(s for s in result.sheets if s.key == TEAM_SHEET)
    assert (team.subject, team.participant_name, team.examiner, team.comment) == \
        ("team", None, "Dr Wu", "good handover")


@pytest.mark.parametrize(("what", "marks", "message"), [
    ("marked", {"items": {"nope": True}}, "marks for t1: nope is not on this sheet, so cannot be marked"),
    ("overridden", {"overrides": {"nope": ("met", "x"), "zilch": ("met", "y")}},
     "marks for t1: nope, zilch are not on this sheet, so cannot be overridden"),
    ("commented", {"item_comments": {"nope": "x"}},
     "marks for t1: nope is not on this sheet, so cannot be commented"),
    ("reasonless override", {"overrides": {"massage_by_midwife": ("met", " ")}},
     "marks for t1: the override of 'massage_by_midwife' needs a written reason"),
    ("unknown block", {"nts": {"nope": {}, "zilch": {}}}, "marks for t1: no block nope, zilch on this sheet"),
])
def test_marks_that_do_not_fit_say_whose_sheet_and_what(technical, pph, what, marks, message):
    drill = detected(pph)
    drill.end()
    with pytest.raises(ScoringError) as err:
        score(technical, drill, {"t1": SheetMarks.from_dict(marks)})
    assert str(err.value) == message


def test_a_block_rating_that_does_not_fit_names_the_sheet(pph):
    team_rubric = load_rubric(RUBRICS / "pph_uterine_atony_team.yaml", pph)
    drill = detected(pph)
    drill.end()
    block = team_rubric.blocks[0][1].block.id
    with pytest.raises(ScoringError, match=rf"^marks for team: {block} has no element nope$"):
        score(team_rubric, drill, {TEAM_SHEET: SheetMarks(nts={block: {"nope": 1}})})


def test_marks_for_nobody_and_a_participant_named_like_the_team_sheet_are_refused(technical, pph):
    drill = detected(pph)
    drill.end()
    with pytest.raises(ScoringError) as err:
        score(technical, drill, {"t9": {}, "t8": {}})
    assert str(err.value) == f"marks for t8, t9: no such participant (sheets: t1, t2, t3, {TEAM_SHEET})"
    odd = Drill(pph, PatientParams(65.0), (Participant(TEAM_SHEET, "Team", "midwife"),))
    odd.end()
    with pytest.raises(ScoringError) as err:
        score(technical, odd)
    assert str(err.value) == f"participant id '{TEAM_SHEET}' is kept for the team sheet"


def test_a_clean_safety_item_says_what_was_looked_for(own_rubric, technical, pph):
    drill = detected(pph)
    drill.end()
    mine = item(score(own_rubric, drill), "t1", "midwife_safe")
    assert (mine.status, mine.evidence.reason, mine.evidence.actions, mine.evidence.flags) == \
        (MET, "clean", ("carboprost",), ("max_single",))
    team = item(score(technical, drill), TEAM_SHEET, "no_unsafe_drug")
    wanted = next(i for i in technical.rubric.items if i.id == "no_unsafe_drug")
    assert (team.evidence.actions, team.evidence.flags) == (None, tuple(wanted.flags))


class RecordOnly:
    """A drill's record as scoring reads it (``scoring.DrillRecord``), without the language the
    drill ran in — as an archive record without that field would be."""

    def __init__(self, drill: Drill) -> None:
        self._drill = drill
        self.scenario, self.participants = drill.scenario, drill.participants
        self.marker_times, self.events = drill.marker_times, drill.events
        self.patient, self.t, self.ended = drill.patient, drill.t, drill.ended

    def actions_done(self):
        return self._drill.actions_done()

    def flags(self):
        return self._drill.flags()


def test_a_record_that_does_not_say_its_language_is_scored_and_its_flags_have_no_language(own_rubric, pph):
    drill = detected(pph)
    event = drill.act("oxytocin", by="t1", dose=20, unit="IU", route="IM")
    drill.end()
    got = item(score(own_rubric, RecordOnly(drill)), "t1", "midwife_safe")
    (flag,) = [f for f in drill.flags() if f.ref == event.seq]
    assert (got.status, got.evidence.note, got.evidence.note_lang) == (NOT_MET, flag.text, None)
