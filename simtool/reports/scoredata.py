"""The score sheet as a plain data object, built from one archived sheet.

Everything the PDF prints is here already in the report's language, so a test can compare
the object exactly and the renderer only lays it out."""

from __future__ import annotations

from typing import Any

from dataclasses import dataclass
from datetime import datetime, timezone

from simtool import __version__
from simtool.core.evidencetext import Names, describe, names_for
from simtool.reports.common import (Header, day, num, record_head, role_label,
                                    span, stamp, status_text, text_of, when)
from simtool.reports.i18n import check_lang, tr
from simtool.store import Archive, NotFoundError, Sheet


@dataclass(frozen=True)
class ItemRow:
    id: str
    label: str
    critical: bool
    result: str            # status in the report's language
    status: str            # the core status code (met, late, not met, ...)
    points: str            # "1/2"
    evidence_time: str     # mm:ss of the evidence event, or ""
    evidence: str          # who did it, how late, or what was missing
    override: str          # "" or who overrode it and why


@dataclass(frozen=True)
class NtsRow:
    block: str
    category: str
    score: str             # mean of the rated elements, or "not rated"


@dataclass(frozen=True)
class ScoreSheetReport:
    lang: str
    header: Header
    title: str
    drill_id: str
    scenario: str          # title in the report's language
    scenario_version: str
    date: str
    evaluation_type: str
    examiners: tuple[str, ...]
    subject: str           # trainee's name, or "Team"
    role: str
    items: tuple[ItemRow, ...]
    total: str             # "8/20 (40 %)"
    cut_score: str
    verdict: str           # PASS / FAIL / pending ... in the language
    verdict_code: str      # pass, fail, pending, not applicable
    verdict_reason: str
    global_grade: str
    nts: tuple[NtsRow, ...]
    comment: str
    signed: str            # "Signed by … at …" or "Not signed yet"
    record_sha256: str     # the signed record's hash, or ""
    audit_head: str
    sheet: str             # sheet id and version
    generated: str
    amended: str = ""      # "Amended by … at …: why" when this version corrects a signed one


def _evidence(item: dict, names: Names, lang: str) -> str:
    """What the evidence column says. Done and late items name who and how late (the time has
    its own column); everything else is the whole sentence in the report's language."""
    ev = item.get("evidence") or {}
    if not ev:
        return ""
    if ev.get("reason") in ("done", "late"):
        parts = []
        if ev.get("by_role"):
            parts.append(names.role(ev["by_role"]))
        if ev.get("late_by_s") is not None:
            parts.append(tr("late_by", lang, s=span(ev["late_by_s"], lang)))
        return " · ".join(parts)
    return describe(ev, lang, names)


def _override(item: dict, lang: str) -> str:
    ov = item.get("override")
    if not ov:
        return ""
    return tr("override", lang, by=ov.get("by") or "?", reason=ov.get("reason", ""))


def verdict_reason(data: dict, labels: dict[str, str], lang: str) -> str:
    v = data["verdict"]
    sep = "; " if lang == "en" else "；"
    names = lambda ids: sep.join(labels.get(i, i) for i in ids)  # noqa: E731
    pct, cut = num(data.get("percentage")), num(data.get("cut_score"))
    if v["result"] == "fail" and v.get("critical_missed"):
        return tr("why_critical", lang, items=names(v["critical_missed"]))
    if v["result"] == "pending":
        return tr("why_pending", lang, items=names(v.get("pending", ())))
    if v["result"] == "pass":
        return tr("why_pass", lang, p=pct, c=cut)
    if v["result"] == "fail":
        return tr("why_below", lang, p=pct, c=cut)
    return tr("why_na", lang)


def _block_definition(block_id: str, sha256: str | None) -> Any:
    """The bundled block file a sheet was rated on (its labels), when it is the same text."""
    from simtool.core.ntsblock import RubricError, load_block
    from simtool.core.rubric import rubrics_dir
    path = rubrics_dir() / "blocks" / f"{block_id}.yaml"
    try:
        loaded = load_block(path) if path.is_file() else None
    except (RubricError, OSError):
        return None
    return loaded if loaded is not None and (sha256 is None or loaded.sha256 == sha256) else None


def _nts(data: dict, lang: str) -> tuple[NtsRow, ...]:
    """Each block as the published form lays it out: a row per category with its mean, then a
    row per element with its rating, in the reader's language (ids only when the block file
    the sheet was rated on is no longer the bundled one)."""
    rows = []
    for block in data.get("nts") or ():
        loaded = _block_definition(block["id"], block.get("sha256"))
        b = loaded.block if loaded is not None else None
        title = b.title.get(lang) if b is not None else block["id"]
        cats = {c.id: c for c in b.categories} if b is not None else {}
        elements = {e.id: e.label.get(lang) for _c, e in b.elements} if b is not None else {}
        scale = {p.value: p.label.get(lang) for p in b.scale.points} if b is not None else {}
        by_cat: dict[str, list[dict]] = {}
        for r in block.get("ratings", ()):
            by_cat.setdefault(r.get("category"), []).append(r)
        for c in block.get("categories", ()):
            score = tr("not_rated", lang) if c.get("mean") is None else \
                f"{num(c['mean'])} ({c['rated']}/{c['elements']})"
            label = cats[c["id"]].label.get(lang) if c["id"] in cats else c["id"]
            rows.append(NtsRow(title, label, score))
            title = ""   # the block's name once, on its first row
            for r in by_cat.get(c["id"], ()):
                if r.get("rating") is not None:
                    value = f"{r['rating']} · {scale[r['rating']]}" if r["rating"] in scale else num(r["rating"])
                elif r.get("status") == "not observed":
                    value = tr("not_observed", lang)
                else:
                    value = tr("not_rated", lang)
                rows.append(NtsRow("", "· " + elements.get(r["id"], r["id"]), value))
        if block.get("overall") is not None:
            label = b.overall.label.get(lang) if b is not None and b.overall is not None else "overall"
            rows.append(NtsRow(title, label, num(block["overall"])))
    return tuple(rows)


def _amended(archive: Archive, sheet: Sheet, lang: str) -> str:
    """Who amended the signed version this one supersedes, when and why ("" if none)."""
    if not sheet.supersedes:
        return ""
    chain = archive.amendments(sheet.supersedes)
    row = next((a for a in chain if a.new_sheet_id == sheet.id), None)
    if row is None:
        return ""
    try:
        who = archive.examiner(row.by).name
    except NotFoundError:
        who = row.by
    return tr("amended", lang, who=who, at=stamp(row.at), why=row.why, v=sheet.version - 1)


def build_score_sheet(archive: Archive, sheet: Sheet | str, lang: str = "en",
                      header: Header = Header(), generated_at: datetime | None = None) -> ScoreSheetReport:
    """The report of one stored score sheet (a trainee's or the team's)."""
    check_lang(lang)
    if isinstance(sheet, str):
        sheet = archive.sheet(sheet)
    info = archive.drill(sheet.drill_id)
    loaded = archive.loaded(info.id)
    data = sheet.data
    items = data["items"]
    labels = {i["id"]: text_of(i["label"], lang) for i in items}
    names = names_for(loaded, lang, info.core_participants)
    rows = tuple(ItemRow(
        id=i["id"], label=labels[i["id"]], critical=bool(i["critical"]),
        result=status_text(i["status"], lang), status=i["status"],
        points=f"{num(i['points'])}/{num(i['max_points'])}",
        evidence_time=when((i.get("evidence") or {}).get("t")),
        evidence=_evidence(i, names, lang), override=_override(i, lang)) for i in items)
    examiners = []
    for name in (data.get("examiner"), sheet.created_by, sheet.signed_by):
        if name:
            try:
                name = archive.examiner(name).name
            except NotFoundError:
                pass
            if name not in examiners:
                examiners.append(name)
    team = sheet.trainee_id is None and data.get("subject") != "trainee"
    subject = tr("team", lang) if team else (data.get("name") or data.get("participant") or "")
    pct = data.get("percentage")
    total = f"{num(data['points'])}/{num(data['max_points'])}" + ("" if pct is None else f" ({num(pct)} %)")
    grade = data.get("global_grade")
    signer = examiners[-1] if sheet.signed_by and examiners else (sheet.signed_by or "")
    generated = stamp(generated_at or datetime.now(timezone.utc))   # local, with its UTC offset
    return ScoreSheetReport(
        lang=lang, header=header,
        title=tr("team_score_sheet" if team else "score_sheet", lang),
        drill_id=info.id, scenario=loaded.scenario.title.get(lang),
        scenario_version=info.scenario_version, date=day(info.started_at),
        evaluation_type=status_text_eval(data.get("evaluation_type") or info.evaluation_type, lang),
        examiners=tuple(examiners), subject=subject,
        role=role_label(loaded, data.get("role"), lang) if not team else "",
        items=rows, total=total, cut_score=f"{num(data.get('cut_score'))} %",
        verdict=status_text(data["verdict"]["result"], lang).upper() if lang == "en"
        else status_text(data["verdict"]["result"], lang),
        verdict_code=data["verdict"]["result"], verdict_reason=verdict_reason(data, labels, lang),
        global_grade=text_of(grade["label"], lang) if grade else "",
        nts=_nts(data, lang), comment=data.get("comment") or "",
        signed=tr("signed", lang, who=signer, at=stamp(sheet.signed_at)) if sheet.signed
        else tr("unsigned", lang),
        amended=_amended(archive, sheet, lang),
        record_sha256=sheet.record_sha256 or "", audit_head=record_head(archive),
        sheet=f"{sheet.id} v{sheet.version}",
        generated=tr("generated", lang, at=generated, v=__version__))


def status_text_eval(kind: str, lang: str) -> str:
    return status_text(kind, lang)


def drill_sheets(archive: Archive, drill_id: str, trainee_id: str | None = None) -> list[Sheet]:
    """The drill's current sheets (trainees, then the team), or one trainee's."""
    sheets = archive.sheets(drill_id, current_only=True)
    if trainee_id is not None:
        chosen = [s for s in sheets if s.trainee_id == trainee_id
                  or (s.data or {}).get("participant") == trainee_id]
        if not chosen:
            raise NotFoundError(f"drill {drill_id} has no score sheet for trainee {trainee_id}")
        return chosen
    if not sheets:
        raise NotFoundError(f"drill {drill_id} has no score sheets (score it first)")
    return sorted(sheets, key=lambda s: (s.trainee_id is None, (s.data or {}).get("participant") or ""))
