"""A candidate's exam results as a report they can keep (issue 22, item 5): each station's
verdict, score, examiners, global rating and critical items, the total, and whether the
results were released (printed earlier only for the organiser, and then saying so on the
page). Built from one entry of ``simtool.app.exam.ExamDay.result_sheets``; ``examresults``
lays it out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from simtool import __version__
from simtool.reports.common import Header, stamp, text_of
from simtool.reports.examwords import tr


@dataclass(frozen=True)
class StationRow:
    station: str            # its title and id
    verdict: str            # in words
    outcome: str            # pass | fail | other: the row's tone
    score: str              # "7/9 (77.8%)" or "—"
    examiners: str
    global_rating: str
    critical: tuple[tuple[str, str, str], ...]   # label, status in words, pass | fail | other


@dataclass(frozen=True)
class ResultsReport:
    lang: str
    header: Header
    title: str
    exam_title: str
    facts: tuple[tuple[str, str], ...]
    released: bool
    release_line: str
    stations: tuple[StationRow, ...]
    total: str
    overall: str
    passed_all: bool
    note: str
    generated: str


def _word(value: str | None, lang: str) -> str:
    if value in ("pass", "fail", "not signed", "pending", "met", "not met", "late"):
        return tr(value, lang)
    return str(value or "—")


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:g}"


def build_results(definition: dict[str, Any], result: dict[str, Any], lang: str, *,
                  released_at: str | None, header: Header = Header(),
                  generated_at: datetime | None = None) -> ResultsReport:
    """``result``: one candidate of ``ExamDay.result_sheets()``; ``released_at``: when the
    results were released (None: printed before, for the organiser)."""
    facts = [(tr("exam", lang), f"{text_of(definition['title'], lang)} ({definition['id']})")]
    if definition.get("date"):
        facts.append((tr("date", lang), definition["date"]))
    facts += [(tr("candidate", lang), result["name"]), (tr("staff_id", lang), result["candidate"])]
    if result.get("department"):
        facts.append((tr("department", lang), result["department"]))
    rows = []
    for s in result["stations"]:
        score = "—" if s["points"] is None else \
            f"{_num(s['points'])}/{_num(s['max_points'])}" + \
            (f" ({s['percentage']:g}%)" if s.get("percentage") is not None else "")
        crit = []
        for c in s.get("critical", []):
            statuses = c["status"]
            word = "; ".join(_word(x, lang) for x in statuses) if statuses else "—"
            tone = "fail" if any(x != "met" for x in statuses) else "pass" if statuses else "other"
            crit.append((text_of(c["label"], lang), word, tone))
        rows.append(StationRow(
            station=f"{text_of(s.get('title'), lang) or s['station']} ({s['station']})",
            verdict=_word(s["verdict"], lang),
            outcome=s["verdict"] if s["verdict"] in ("pass", "fail") else "other",
            score=score, examiners=", ".join(s.get("examiner_names", [])) or "—",
            global_rating="; ".join(text_of(g, lang) for g in s.get("global", []) if g) or "—",
            critical=tuple(crit)))
    moment = generated_at or datetime.now(timezone.utc)
    return ResultsReport(
        lang=lang, header=header, title=tr("results", lang),
        exam_title=text_of(definition["title"], lang), facts=tuple(facts),
        released=released_at is not None,
        release_line=tr("released", lang, at=stamp(released_at)) if released_at else tr("not_released", lang),
        stations=tuple(rows),
        total=f"{_num(result['total'])}/{_num(result['max_total'])}",
        overall=tr("all_passed" if result["passed_all"] else "not_all_passed", lang),
        passed_all=bool(result["passed_all"]),
        note=tr("two_examiners", lang) if any(s.get("examiners", 0) > 1 for s in result["stations"]) else "",
        generated=tr("generated", lang, at=stamp(moment), v=__version__))
