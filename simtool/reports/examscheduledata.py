"""The exam schedule as a printable report (issue 22, item 2): one table per station (who
comes in which round, at what time) and one per candidate (where they go), in the reader's
language. Built from what ``simtool.app.exam.ExamDay`` gives (its definition and schedule rows
on the exam clock); ``examschedule`` lays it out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from simtool import __version__
from simtool.reports.common import Header, stamp, text_of
from simtool.reports.examwords import tr

REST = "rest"


@dataclass(frozen=True)
class Block:
    heading: str                              # the station or the candidate
    rows: tuple[tuple[str, str, str], ...]    # round, start, who/where


@dataclass(frozen=True)
class ScheduleReport:
    lang: str
    header: Header
    title: str
    exam_title: str
    facts: tuple[tuple[str, str], ...]        # label, value
    by_station: tuple[Block, ...]
    by_candidate: tuple[Block, ...]
    generated: str


def _mmss(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def build_schedule(definition: dict[str, Any], rows: list[dict[str, Any]],
                   station_titles: dict[str, Any], lang: str, *, started_at: str | None = None,
                   header: Header = Header(), generated_at: datetime | None = None) -> ScheduleReport:
    """``rows``: ``ExamDay.schedule_rows()``; ``station_titles``: station id → its rubric's
    title (a ``Text`` or a dict); ``started_at``: the exam clock's start as shown, or None."""
    t = definition["timing"]
    rounds = max((r["round"] for r in rows), default=0)
    facts = [(tr("exam", lang), f"{text_of(definition['title'], lang)} ({definition['id']})")]
    if definition.get("date"):
        facts.append((tr("date", lang), definition["date"]))
    facts.append((tr("timing", lang), tr("timing_text", lang, r=_mmss(t["reading_s"]),
                                         s=_mmss(t["station_s"]), c=_mmss(t["changeover_s"]), n=rounds)))
    facts.append(("", tr("clock_started", lang, at=started_at) if started_at else
                  tr("clock_planned", lang, at=definition["start"]) if definition.get("start") else
                  tr("clock_offsets", lang)))

    def station_name(sid: str) -> str:
        if sid == REST:
            return tr("rest", lang)
        return f"{text_of(station_titles.get(sid), lang) or sid} ({sid})"

    by_station = []
    for s in definition["stations"]:
        mine = sorted((r for r in rows if r["station"] == s["id"]), key=lambda r: r["round"])
        by_station.append(Block(station_name(s["id"]), tuple(
            (str(r["round"]), r["start"], f"{r['name']} ({r['candidate']})") for r in mine)))
    by_candidate = []
    for c in definition["candidates"]:
        mine = sorted((r for r in rows if r["candidate"] == c["staff_id"]), key=lambda r: r["round"])
        by_candidate.append(Block(f"{c['name']} ({c['staff_id']})", tuple(
            (str(r["round"]), r["start"], station_name(r["station"])) for r in mine)))
    moment = generated_at or datetime.now(timezone.utc)
    return ScheduleReport(lang=lang, header=header, title=tr("schedule", lang),
                          exam_title=text_of(definition["title"], lang), facts=tuple(facts),
                          by_station=tuple(by_station), by_candidate=tuple(by_candidate),
                          generated=tr("generated", lang, at=stamp(moment), v=__version__))
