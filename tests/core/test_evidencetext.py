"""Evidence in words: every piece of evidence the bundled rubrics produce on the bundled
scripts reads in English exactly as the core stores it, and in 简体中文 and 繁體中文 with the
scenario's labels and no raw ids."""

from __future__ import annotations

import re

import pytest

from simtool.core.drill import PatientParams
from simtool.core.evidencetext import IDS, RULES, Names, describe, names_for, rule_label
from simtool.core.examiner import SheetMarks
from simtool.core.rubric import load_rubric
from simtool.core.runner import run_script
from simtool.core.scenario import load_scenario
from simtool.core.scoresheet import Evidence
from simtool.core.scoring import score
from simtool.core.script import load_script

from helpers.paths import ROOT
from helpers.timeforms import old_time_forms

CASES = [  # scenario, rubric, script, weight, conditions
    ("pph_uterine_atony", "pph_uterine_atony_technical", "good_care", 65.0, ()),
    ("pph_uterine_atony", "pph_uterine_atony_technical", "late_care", 65.0, ()),
    ("pph_uterine_atony", "pph_uterine_atony_technical", "absent_care", 65.0, ("asthma",)),
    ("pph_uterine_atony", "pph_uterine_atony_team", "busy_team", 65.0, ()),
    ("last_nerve_block", "last_nerve_block_technical", "good_care", 70.0, ()),
    ("last_nerve_block", "last_nerve_block_technical", "poor_care", 70.0, ()),
    ("pas_mdt", "pas_mdt_team", "poor_care", 70.0, ()),
    ("pas_mdt", "pas_mdt_roles", "good_care", 70.0, ()),
]


def _scored(lang: str = "en"):
    """(loaded scenario, drill, every item result) of every case, half the examiner items marked."""
    out = []
    for scenario, rubric, script, weight, conditions in CASES:
        loaded = load_scenario(ROOT / "scenarios" / f"{scenario}.yaml")
        rb = load_rubric(ROOT / "rubrics" / f"{rubric}.yaml", loaded)
        drill, _ = run_script(loaded, load_script(ROOT / "tests" / "scripts" / scenario / f"{script}.yaml",
                                                  loaded), PatientParams(weight, conditions))
        first = score(rb, drill)
        marks, n = {}, 0
        for sheet in first.sheets:
            items = {}
            for i in sheet.items:
                if i.kind not in ("observed", "graded"):
                    continue
                n += 1
                it = next(x for x in rb.rubric.items if x.id == i.id)
                if n % 4 == 3:
                    continue  # left for the examiner
                if n % 4 == 2:
                    items[i.id] = "not observed"
                else:
                    items[i.id] = (n % 4 == 0) if i.kind == "observed" else it.levels[n % len(it.levels)].value
            marks[sheet.key] = SheetMarks(items=items)
        result = score(rb, drill, marks)
        out.append((loaded, drill, [i for s in result.sheets for i in s.items]))
    return out


@pytest.fixture(scope="module")
def scored():
    return _scored()


def test_the_english_sentence_is_the_one_the_core_stores(scored):
    n = 0
    for _, _, items in scored:
        for item in items:
            assert describe(item.evidence) == item.evidence.text
            assert describe(item.evidence.to_dict(), "en", IDS) == item.evidence.text
            n += 1
    assert n > 100


def test_the_bundled_cases_cover_every_kind_of_evidence(scored):
    reasons = {i.evidence.reason for _, _, items in scored for i in items}
    assert {"done", "late", "missed", "not_applicable", "indicator", "clean", "flag", "forbidden_action",
            "dose_ok", "wrong_dose", "pending", "not_observed", "examiner"} <= reasons, reasons


@pytest.mark.parametrize("lang", ["zh_CN", "zh_TW"])
def test_chinese_evidence_uses_labels_and_no_raw_ids(scored, lang):
    checked = 0
    for loaded, drill, items in scored:
        names = names_for(loaded, lang, drill.participants)
        sc = loaded.scenario
        ids = {r.id for r in sc.roles} | {m.id for m in sc.markers} | \
            {e.action for e in drill.events if e.action} | set(RULES)
        # ASCII words a Chinese label itself uses (ECMO, ICU, IV) are not leaks
        allowed = {w for label in (*names.roles.values(), *names.actions.values(), *names.markers.values())
                   for w in re.findall(r"[A-Za-z_]+", label)}
        for item in items:
            text = describe(item.evidence.to_dict(), lang, names)
            assert text and re.search(r"[\u4e00-\u9fff]", text), (item.id, text)
            words = set(re.findall(r"[A-Za-z_]+", text))
            leaked = (words & ids) - allowed
            assert not leaked, (lang, item.id, text)
            for english in ("missed", "done", "late", "examiner", "target", "flag", "event", "expected"):
                assert english not in text, (lang, item.id, text)
            checked += 1
    assert checked > 100


def test_chinese_sentences_read_as_written(pph):
    names = names_for(pph, "zh_CN")
    tw = names_for(pph, "zh_TW")
    missed = Evidence.of("missed", marker="detection", within_s=600)
    assert missed.text == "missed: not done within 10 min of detection"
    assert describe(missed, "zh_CN", names) == "遗漏：识别产后出血后 10 分钟内未完成"
    assert describe(missed, "zh_TW", tw) == "遺漏：辨識產後出血後 10 分鐘內未完成"
    late = Evidence.of("late", seq=6, t=1560, late_by_s=210, by_role="midwife")
    assert describe(late, "zh_CN", names) == "延迟 3 分 30 秒：26:00 完成，由助产士执行（事件 6）"
    assert describe(late, "zh_TW", tw) == "延遲 3 分 30 秒：26:00 完成，由助產師執行（事件 6）"
    assert describe(late, "en", names_for(pph, "en")) == "late by 3 min 30 s: done at 26:00 by Midwife (event 6)"
    dose = Evidence.of("wrong_dose", seq=4, t=700, dose=100, expected_dose=90, tolerance_pct=10, unit="mL",
                       per_kg=1.5, per_kg_unit="mL", weight_kg=60)
    assert describe(dose, "zh_CN", names) == "剂量错误：100 mL，应为 90 mL ±10 %，1.5 mL/kg × 60 kg（事件 4）"
    flag = Evidence.of("flag", rule="contraindication", action="carboprost", seq=14, t=1100,
                       by_role="obstetrician", note="哮喘患者禁用卡前列素", note_lang="zh_CN")
    assert describe(flag, "zh_CN", names) == \
        "警示（禁忌证）：卡前列素氨丁三醇，18:20，由产科医生执行；哮喘患者禁用卡前列素（事件 14）"
    # the recorded message is in Simplified Chinese: a reader of Traditional gets the rule only
    assert describe(flag, "zh_TW", tw) == "警示（禁忌症）：卡前列素胺丁三醇，18:20，由產科醫師執行（事件 14）"
    other = Evidence.of("other_person", seq=4, t=770, by_role="midwife", by="t4")
    people = names_for(pph, "zh_CN", [type("P", (), {"id": "t4", "name": "王芳"})()])
    assert describe(other, "zh_CN", people) == "由另一位助产士完成：王芳，12:50（事件 4）"
    wrong = Evidence.of("wrong_role", seq=7, t=820)
    assert wrong.text == "done by the wrong role: none recorded at 13:40 (event 7)"
    assert describe(wrong, "zh_TW", tw) == "由非指定角色完成：未記錄，13:40（事件 7）"
    level = Evidence.of("examiner", level=2, level_label=(("en", "Clear"), ("zh_CN", "清晰"), ("zh_TW", "清楚")))
    assert (level.text, describe(level, "zh_TW")) == ("level 2: Clear (examiner)", "2 級：清楚（考官評定）")


@pytest.mark.parametrize("lang", ["en", "zh_CN", "zh_TW"])
def test_no_sentence_writes_a_time_the_old_way(scored, lang):
    """Issue 16: drill times mm:ss, durations in minutes and seconds — never "120.196 s",
    "210 s", "0:15" — in every sentence of every bundled case, stored or said."""
    for loaded, drill, items in scored:
        names = names_for(loaded, lang, drill.participants)
        for item in items:
            for text in (describe(item.evidence.to_dict(), lang, names), item.evidence.text):
                assert old_time_forms(text) == [], (lang, item.id, text)


def test_times_and_durations_in_sentences(pph):
    en, cn, tw = (names_for(pph, lang) for lang in ("en", "zh_CN", "zh_TW"))
    late = Evidence.of("late", seq=9, t=4510.4, late_by_s=120.196, by_role="midwife")
    assert late.text == "late by 2 min: done at 1:15:10 by midwife (event 9)"
    assert describe(late, "zh_CN", cn) == "延迟 2 分钟：1:15:10 完成，由助产士执行（事件 9）"
    assert describe(late, "zh_TW", tw) == "延遲 2 分鐘：1:15:10 完成，由助產師執行（事件 9）"
    soon = Evidence.of("late", seq=2, t=59.6, late_by_s=10.214)
    assert soon.text == "late by 10 s: done at 01:00 (event 2)"
    ind = Evidence.of("indicator", marker="detection", seconds=750.4, target_s=300)
    assert describe(ind, "en", en) == "12 min 30 s after PPH detected (target: within 5 min)"
    assert describe(ind, "zh_CN", cn) == "“识别产后出血”后 12 分 30 秒（目标 5 分钟内）"
    assert describe(ind, "zh_TW", tw) == "「辨識產後出血」後 12 分 30 秒（目標 5 分鐘內）"
    never = Evidence.of("indicator", marker="detection", target_s=90)
    assert (never.text, describe(never, "zh_CN", cn)) == ("never reached (target: within 1 min 30 s)",
                                                          "未达到（目标 1 分 30 秒内）")
    due = Evidence.of("missed", due_t=1650)
    assert (due.text, describe(due, "zh_TW", tw)) == ("missed: not done by 27:30", "遺漏：27:30 前未完成")


def test_every_rule_kind_and_sentence_has_three_languages():
    for rule in RULES:
        assert len({rule_label(rule, lang) for lang in ("en", "zh_CN", "zh_TW")}) >= 2
    assert rule_label("a_rule_from_a_newer_catalogue", "zh_CN") == "a_rule_from_a_newer_catalogue"


def test_a_reason_this_version_does_not_know_keeps_its_stored_sentence():
    stored = {"reason": "from_a_newer_simtool", "text": "something new happened"}
    assert describe(stored, "zh_CN", Names()) == "something new happened"
