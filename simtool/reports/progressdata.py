"""A trainee's progress against a training programme (issue 20, item 3) as a plain report
object, already in the reader's language: who, the programme and its version, the cleared-to-work
status (since when, or what is missing), retraining due, per stage each procedure requirement
with required / done / pending / missing (its source as a numbered note under the stage), the
simulation requirements with the sheets that credit them, and the exams with their history.

Every number is ``simtool.app.progress.progress``'s; the programme file gives only the words it
does not carry (its title, the stages' names, an exam's pass rule and source, which exams clear to
work). Nothing is computed here beyond counting the rows that are still missing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from simtool import __version__
from simtool.core.programme import Programme
from simtool.reports.common import Header, stamp, text_of
from simtool.reports.i18n import check_lang, tr


@dataclass(frozen=True)
class RequirementRow:
    id: str
    procedure: str          # the procedure's label in the report's language
    level: str              # "independent" / 独立完成 …
    required: int
    done: int
    pending: int            # logged, not yet countersigned: never counted
    missing: int
    note: int               # the number of its source in the stage's notes


@dataclass(frozen=True)
class StageBlock:
    id: str
    title: str
    summary: str            # "3 of 40 requirements met · 512 procedures missing"
    rows: tuple[RequirementRow, ...]
    notes: tuple[str, ...]  # the sources, numbered from 1 in order


@dataclass(frozen=True)
class SimulationRow:
    id: str
    label: str
    stage: str
    required: int
    done: int
    missing: int
    sheets: str             # "score sheet 3, 5" or "—"


@dataclass(frozen=True)
class ExamRow:
    id: str
    label: str
    kind: str               # practical / written, in words
    result: str             # "PASS on 2026-03-20", "FAIL on …", "no result yet"
    outcome: str | None     # pass | fail | None: the tone of the row
    retrain_due: str        # a date or ""
    clears: bool
    history: tuple[str, ...]   # "2026-03-02 FAIL (score sheet 2)", oldest first
    pass_rule: str
    source: str


@dataclass(frozen=True)
class ProgressReport:
    lang: str
    header: Header
    title: str
    name: str
    staff_id: str
    trainee_id: str
    programme: str          # the programme's title
    programme_id: str
    version: str
    generated_on: str
    cleared: bool
    cleared_on: str | None
    retrain_due: str | None
    missing_count: int      # requirements not met + exams that clear to work not passed
    status: str             # "Cleared to work since …" / "Not cleared to work: 3 requirements missing"
    status_tone: str        # cleared | not_cleared | retrain
    missing_lines: tuple[str, ...]   # what is missing, one line per kind
    retrain: str            # "Retraining due by …" or ""
    stages: tuple[StageBlock, ...]
    simulation: tuple[SimulationRow, ...]
    exams: tuple[ExamRow, ...]
    generated: str


def level_word(level: str, lang: str) -> str:
    """A supervision level in words: independent 独立完成, supervised 上级医师指导下, assisted 参与完成."""
    return tr(f"level_{level}", lang) if level in ("independent", "supervised", "assisted") else level


def _outcome(result: str | None, lang: str) -> str:
    return tr(result, lang) if result in ("pass", "fail") else (result or tr("nothing", lang))


def _source_of(history_from: str, lang: str) -> str:
    """``progress``'s "exam result 3" / "score sheet 12" in the report's language."""
    for prefix, key in (("exam result ", "from_result"), ("score sheet ", "from_sheet")):
        if history_from.startswith(prefix):
            return tr(key, lang, n=history_from[len(prefix):])
    return history_from


def progress_report(data: dict[str, Any], programme: Programme, lang: str = "en",
                    header: Header = Header(), generated_at: datetime | None = None) -> ProgressReport:
    """The report of ``data`` (``app.progress.progress``'s object for ``programme``) in ``lang``."""
    check_lang(lang)
    dash = tr("nothing", lang)
    t = data["trainee"]
    stage_title = {s.id: s.label.get(lang) for s in programme.stages}

    stages = []
    for stage in programme.stages:
        reqs = [r for r in data["requirements"] if r["stage"] == stage.id]
        if not reqs:
            continue
        notes: list[str] = []
        rows = []
        for r in reqs:
            source = r.get("source") or ""
            if source not in notes:
                notes.append(source)
            rows.append(RequirementRow(r["id"], text_of(r["label"], lang) or r["procedure"],
                                       level_word(r["level"], lang), r["required"], r["done"],
                                       r["pending"], r["missing"], notes.index(source) + 1))
        met = sum(1 for r in reqs if r["missing"] == 0)
        summary = tr("stage_summary", lang, met=met, n=len(reqs),
                     missing=sum(r["missing"] for r in reqs))
        stages.append(StageBlock(stage.id, stage_title[stage.id], summary, tuple(rows), tuple(notes)))

    simulation = tuple(
        SimulationRow(s["id"], text_of(s["label"], lang) or s["id"],
                      stage_title.get(s["stage"] or "", dash), s["required"], s["done"], s["missing"],
                      tr("from_sheets", lang, ids=", ".join(str(x) for x in s["sheets"]))
                      if s["sheets"] else dash)
        for s in data["simulation"])

    by_id = {e.id: e for e in programme.exams}
    exams = []
    for e in data["exams"]:
        ex = by_id.get(e["id"])
        result = (tr("exam_result", lang, result=_outcome(e["result"], lang), date=e["date"])
                  if e["result"] else tr("no_result", lang))
        history = tuple(f"{h['date']} {_outcome(h['result'], lang)} ({_source_of(h['from'], lang)})"
                        for h in e["history"])
        exams.append(ExamRow(e["id"], text_of(e["label"], lang) or e["id"],
                             tr(f"exam_{e['kind']}", lang) if e["kind"] in ("practical", "written") else e["kind"],
                             result, e["result"], e["retrain_due"] or "",
                             bool(ex.clearance) if ex else False, history,
                             ex.pass_rule.get(lang) if ex else "", ex.source if ex else ""))

    unmet_req = [r for r in data["requirements"] if r["missing"] > 0]
    unmet_sim = [s for s in data["simulation"] if s["missing"] > 0]
    unmet_exams = [x for x in exams if x.clears and x.outcome != "pass"]
    missing_count = len(unmet_req) + len(unmet_sim) + len(unmet_exams)
    lines = []
    if unmet_req:
        lines.append(tr("missing_procedures", lang, n=len(unmet_req), of=len(data["requirements"]),
                        cases=sum(r["missing"] for r in unmet_req)))
    for s in simulation:
        if s.missing:
            lines.append(tr("missing_simulation", lang, label=s.label, n=s.missing))
    for x in unmet_exams:
        lines.append(tr("missing_exam", lang, label=x.label, result=x.result))

    retrain_due = data["retrain_due"]
    if data["cleared"]:
        status, tone = tr("cleared_since", lang, date=data["cleared_on"]), "cleared"
    else:
        status = tr("not_cleared_n", lang, n=missing_count) if missing_count else tr("not_cleared", lang)
        tone = "retrain" if retrain_due else "not_cleared"

    moment = generated_at or datetime.now(timezone.utc)
    return ProgressReport(
        lang=lang, header=header, title=tr("progress_report", lang), name=t["name"],
        staff_id=t.get("staff_id") or dash, trainee_id=t["id"], programme=programme.title.get(lang),
        programme_id=data["programme"], version=str(data["version"]),
        generated_on=stamp(moment)[:10], cleared=bool(data["cleared"]), cleared_on=data["cleared_on"],
        retrain_due=retrain_due, missing_count=missing_count, status=status, status_tone=tone,
        missing_lines=tuple(lines),
        retrain=tr("retrain_due_by", lang, date=retrain_due) if retrain_due else "",
        stages=tuple(stages), simulation=simulation, exams=tuple(exams),
        generated=tr("generated", lang, at=stamp(moment), v=__version__))
