"""A trainee's progress against a training programme, and clearance to work (issue 20) —
what ``simtool progress`` prints, the app's progress view (``simtool.ui.progress``) shows and
the PDF progress report (``progress_pdf``, ``write_progress_pdf``) puts in the trainee's file.

What counts:

* a procedure requirement: countersigned logbook entries of that procedure at that exact
  supervision level (an independent block does not count as a supervised one: the document
  lists them apart). When several stages ask for the same procedure at the same level, the
  signed entries fill the stages in order (stage one's count first, the rest to stage two);
  entries not yet countersigned are shown as ``pending`` and never counted;
* a simulation requirement: signed, current score sheets whose verdict is pass — the
  trainee's own sheet, or the team sheet of a drill they took part in — of the rubric (or of
  a drill of the scenario) it names;
* an exam: its results in order of date — recorded results (``simtool logbook exam``) and,
  for a practical examined on a rubric, the trainee's own signed sheets of that rubric; the
  latest decides. A failed exam with a retraining rule makes retraining due that many days
  after the failure, until a later pass.

``cleared`` is true when every requirement is met and every exam that clears to work is
passed, with ``cleared_on`` the day the last of them was met; never while retraining is due.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from simtool.app.logbook import LogbookError, programme, trainee_records
from simtool.core.programme import requirement_id
from simtool.store import Archive


def _add_days(date: str, days: float) -> str:
    return (dt.date.fromisoformat(date) + dt.timedelta(days=int(days))).isoformat()


def _passed_sheets(archive: Archive, person: str, records: set[str]) -> list[dict[str, Any]]:
    """Signed current sheets of the person's drills that credit them: rubric, scenario,
    scope, verdict and the day signed."""
    out = []
    for h in archive.trainee_history(person):
        d = h.drill
        if d.status == "discarded":
            continue
        for s in archive.sheets(d.id, current_only=True):
            if s.signed_at is None or not (s.trainee_id is None or s.trainee_id in records):
                continue
            verdict = ((s.data or {}).get("verdict") or {}).get("result") if isinstance(s.data, dict) else None
            out.append({"sheet_id": s.id, "rubric_id": s.rubric_id, "scenario_id": d.scenario_id,
                        "scope": "team" if s.trainee_id is None else "trainee",
                        "verdict": verdict, "date": s.signed_at[:10]})
    out.sort(key=lambda s: (s["date"], s["sheet_id"]))
    return out


def progress(archive: Archive, who: str, programme_id: str) -> dict[str, Any]:
    """Each requirement of the programme with what is done and missing, the exams, whether
    the trainee is cleared to work (and since when) and when retraining is due."""
    pg = programme(programme_id).programme
    person, records = trainee_records(archive, who)
    trainee = archive.trainee(person)
    entries = archive.logbook(records)
    signed: dict[tuple[str, str], list[str]] = {}
    pending: dict[tuple[str, str], int] = {}
    for e in entries:
        key = (e.procedure, e.level)
        if e.signed_at is not None:
            signed.setdefault(key, []).append(e.signed_at[:10])
        else:
            pending[key] = pending.get(key, 0) + 1
    for dates in signed.values():
        dates.sort()
    used: dict[tuple[str, str], int] = {}
    met_dates: list[str] = []
    unmet = 0
    requirements = []
    for stage in pg.stages:
        for rq in stage.procedures:
            key = (rq.procedure, rq.level)
            required = int(rq.count.value)
            have = signed.get(key, [])
            start = used.get(key, 0)
            done = max(0, min(required, len(have) - start))
            used[key] = start + done
            if done >= required:
                met_dates.append(have[start + required - 1])
            else:
                unmet += 1
            requirements.append({
                "id": requirement_id(stage.id, rq.procedure, rq.level), "stage": stage.id,
                "procedure": rq.procedure,
                "label": pg.procedure_index[rq.procedure].label.model_dump(),
                "level": rq.level, "required": required, "done": done,
                "missing": required - done, "source": rq.count.source})
    # pending entries shown once, on the first stage asking for that procedure and level
    shown: set[tuple[str, str]] = set()
    for r in requirements:
        key = (r["procedure"], r["level"])
        r["pending"] = 0 if key in shown else pending.get(key, 0)
        shown.add(key)
    sheets = _passed_sheets(archive, person, records)
    simulation = []
    for sim in pg.simulation:
        required = int(sim.count.value)
        passes = [s for s in sheets if s["verdict"] == "pass"
                  and (s["rubric_id"] == sim.rubric if sim.rubric else s["scenario_id"] == sim.scenario)]
        done = min(required, len(passes))
        if done >= required:
            met_dates.append(passes[required - 1]["date"])
        else:
            unmet += 1
        simulation.append({"id": sim.id, "stage": sim.stage, "label": sim.label.model_dump(),
                           "rubric": sim.rubric, "scenario": sim.scenario, "required": required,
                           "done": done, "missing": required - done,
                           "sheets": [s["sheet_id"] for s in passes[:required]]})
    results = archive.exam_results(records, pg.id)
    exams = []
    retrain_dates: list[str] = []
    exams_ok = True
    for ex in pg.exams:
        history = [{"date": r.date, "result": r.result, "from": f"exam result {r.id}"}
                   for r in results if r.exam == ex.id]
        if ex.rubric is not None:
            history += [{"date": s["date"], "result": s["verdict"], "from": f"score sheet {s['sheet_id']}"}
                        for s in sheets if s["scope"] == "trainee" and s["rubric_id"] == ex.rubric
                        and s["verdict"] in ("pass", "fail")]
        history.sort(key=lambda h: h["date"])     # stable: a sheet after a result of its day
        last = history[-1] if history else None
        due = None
        if last is not None and last["result"] == "fail" and ex.retrain is not None:
            due = _add_days(last["date"], ex.retrain.due_within_days.value)
            retrain_dates.append(due)
        passed = last is not None and last["result"] == "pass"
        if ex.clearance:
            if passed:
                met_dates.append(last["date"])  # type: ignore[index]
            else:
                exams_ok = False
        exams.append({"id": ex.id, "kind": ex.kind, "label": ex.label.model_dump(),
                      "result": None if last is None else last["result"],
                      "date": None if last is None else last["date"],
                      "retrain_due": due, "history": history})
    cleared = unmet == 0 and exams_ok and not retrain_dates
    return {
        "trainee": {"id": trainee.id, "name": trainee.name, "staff_id": trainee.staff_id},
        "programme": pg.id, "version": pg.version,
        "requirements": requirements, "simulation": simulation, "exams": exams,
        "cleared": cleared,
        "cleared_on": (max(met_dates) if met_dates else archive.now()[:10]) if cleared else None,
        "retrain_due": min(retrain_dates) if retrain_dates else None,
    }


def progress_pdf(archive: Archive, who: str, programme_id: str, lang: str = "en", header: Any = None,
                 generated_at: dt.datetime | None = None) -> bytes:
    """The progress report PDF of the person ``who`` names against the programme, in ``lang``."""
    from simtool.reports.common import Header
    from simtool.reports.i18n import check_lang
    from simtool.reports.progress import render_progress
    from simtool.reports.progressdata import progress_report
    check_lang(lang)
    data = progress(archive, who, programme_id)
    pg = programme(programme_id).programme
    return render_progress(progress_report(data, pg, lang, header or Header(), generated_at))


def write_progress_pdf(archive_path: str | os.PathLike[str], who: str, programme_id: str,
                       out: str | os.PathLike[str], lang: str = "en", header: Any = None, *,
                       force: bool = False) -> Path:
    """Open the archive at ``archive_path`` (it must exist) and write the progress report PDF
    of ``who`` to ``out``: the target is checked before any work (never the archive or its
    companions; an existing file only with ``force``), and written whole or not at all."""
    from simtool.store.outputs import check_target, write_atomic
    archive_path, out = Path(archive_path), Path(out)
    check_target(out, protect=[archive_path], force=force)
    with Archive.open(archive_path, create=False) as archive:
        data = progress_pdf(archive, who, programme_id, lang, header)
    return write_atomic(out, data, protect=[archive_path], force=force)


__all__ = ["LogbookError", "progress", "progress_pdf", "write_progress_pdf"]
