"""The exam reports' fixed strings in en, zh_CN and zh_TW (the schedule and the results PDF;
``simtool.reports.i18n`` holds the words every report shares). Glossary: station 考站,
candidate 考生, examiner 考官, round 轮次/輪次, reading time 阅读时间/閱讀時間, changeover
换站/換站, release results 公布成绩/公佈成績."""

from __future__ import annotations

from simtool.core.languages import LANGS
from simtool.reports import i18n

_S: dict[str, tuple[str, str, str]] = {
    "schedule": ("Exam schedule", "考试日程", "考試日程"),
    "results": ("Exam results", "考试成绩", "考試成績"),
    "exam": ("Exam", "考试", "考試"),
    "date": ("Date", "日期", "日期"),
    "timing": ("Timing", "时间安排", "時間安排"),
    "timing_text": ("reading {r}, station {s}, changeover {c}; {n} rounds",
                    "阅读时间 {r}，考站时间 {s}，换站 {c}；共 {n} 轮",
                    "閱讀時間 {r}，考站時間 {s}，換站 {c}；共 {n} 輪"),
    "clock_started": ("Times on the exam clock, started {at}", "时间按考试时钟，开始于 {at}",
                      "時間按考試時鐘，開始於 {at}"),
    "clock_planned": ("Planned times from the exam file's start {at}; they move to the exam clock "
                      "when the exam starts", "按考试文件的计划开始时间 {at}；考试开始后以考试时钟为准",
                      "按考試檔案的計畫開始時間 {at}；考試開始後以考試時鐘為準"),
    "clock_offsets": ("Times after the exam's start", "自考试开始起的时间", "自考試開始起的時間"),
    "by_station": ("By station", "按考站", "按考站"),
    "by_candidate": ("By candidate", "按考生", "按考生"),
    "station": ("Station", "考站", "考站"),
    "candidate": ("Candidate", "考生", "考生"),
    "round": ("Round", "轮次", "輪次"),
    "start": ("Start", "开始", "開始"),
    "rest": ("rest", "休息", "休息"),
    "staff_id": ("Staff id", "工号", "工號"),
    "department": ("Department", "科室", "科室"),
    "verdict": ("Verdict", "结果", "結果"),
    "score": ("Score", "得分", "得分"),
    "examiner": ("Examiner(s)", "考官", "考官"),
    "critical": ("Critical items", "关键项", "關鍵項"),
    "total": ("Total", "总分", "總分"),
    "pass": ("pass", "通过", "通過"),
    "fail": ("fail", "未通过", "未通過"),
    "not signed": ("not signed yet", "尚未签署", "尚未簽署"),
    "pending": ("pending", "待定", "待定"),
    "all_passed": ("Every station passed", "所有考站均通过", "所有考站均通過"),
    "not_all_passed": ("Not every station passed", "并非所有考站均通过", "並非所有考站均通過"),
    "met": ("met", "达到", "達到"),
    "not met": ("not met", "未达到", "未達到"),
    "late": ("late", "延迟", "延遲"),
    "no_critical": ("none at this station", "本考站无关键项", "本考站無關鍵項"),
    "global": ("Global rating", "总体评价", "總體評價"),
    "released": ("Results released {at}", "成绩已于 {at} 公布", "成績已於 {at} 公佈"),
    "not_released": ("NOT RELEASED — printed for the organiser before the results were released",
                     "未公布 — 成绩公布前为组织者打印", "未公佈 — 成績公佈前為組織者列印"),
    "two_examiners": ("With two examiners the score is their mean; a station is passed only if "
                      "every examiner's sheet passes.",
                      "两位考官时得分取平均；每位考官的评分表均通过才算通过该考站。",
                      "兩位考官時得分取平均；每位考官的評分表均通過才算通過該考站。"),
}


def tr(key: str, lang: str, **values: object) -> str:
    """``key`` in ``lang`` (this module's words, else the shared report words)."""
    if key not in _S:
        return i18n.tr(key, lang, **values)
    text = _S[key][LANGS.index(lang)]
    return text.format(**values) if values else text


def keys() -> tuple[str, ...]:
    return tuple(_S)
