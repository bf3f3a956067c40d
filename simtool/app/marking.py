"""An examiner's marking, kept as it is entered: drafts that survive everything, signed when
complete.

Every mark, override (with its reason), block rating, global rating and comment an examiner
enters is committed to the archive at once as a *draft*: an unsigned score sheet of the drill,
one per rubric × subject (a trainee's sheet or the team's) × examiner, whose data is the sheet
as the core scores it with these marks plus the marks themselves (``draft``). Each change is an
audited update of that row, so a crash, a closed page or a killed process loses nothing, and
the page, the drill or the app opened again shows the marks as they were. A draft counts in no
statistic: statistics read signed sheets only.

Signing turns the examiner's draft into the signed sheet (the same row: what was marked is
what is signed); it is refused, with every missing rating named, while a rating the rubric
requires is missing (``core.examiner.missing_ratings``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simtool.core.errors import SimtoolError
from simtool.core.examiner import Missing, SheetMarks, as_override, missing_ratings
from simtool.core.rubric import LoadedRubric
from simtool.core.scoresheet import TEAM_SHEET, ScoreSheet, ScoringError
from simtool.core.scoring import DrillRecord, score
from simtool.app.setup import name_problem, quoted
from simtool.store import Archive, Examiner, Sheet
from simtool.store.errors import ArchiveError, NotFoundError
from simtool.store.scores import sheet_items

DRAFT_KEY = "draft"     # the key of a draft's own fields in the sheet data


class MarkingError(SimtoolError):
    """Marks that cannot be kept or a sheet that cannot be signed; nothing was written."""


@dataclass(frozen=True, kw_only=True)
class Draft:
    """One examiner's marks on one sheet, as last saved."""
    sheet_id: str
    rubric_id: str
    subject: str            # a participant id, or TEAM_SHEET
    examiner_id: str
    marks: SheetMarks
    saved_at: str
    data: Mapping[str, Any]


def marks_to_dict(marks: SheetMarks) -> dict[str, Any]:
    """Marks as JSON (what a draft keeps; ``SheetMarks.from_dict`` reads it back)."""
    return {"examiner": marks.examiner, "items": dict(marks.items),
            "global_grade": marks.global_grade,
            "nts": {k: dict(v) for k, v in marks.nts.items()},
            "overrides": {k: {"result": o.result, "reason": o.reason}
                          for k, o in ((k, as_override(k, v)) for k, v in marks.overrides.items())},
            "comment": marks.comment, "item_comments": dict(marks.item_comments)}


def _subject_of(data: Mapping[str, Any]) -> str:
    return data.get("participant") or TEAM_SHEET


def drafts(archive: Archive, drill_id: str, rubric_id: str | None = None) -> list[Draft]:
    """The unsigned drafts of a drill (of one rubric if given), oldest first."""
    out = []
    for sheet in archive.sheets(drill_id, current_only=True):
        data = sheet.data if isinstance(sheet.data, dict) else {}
        own = data.get(DRAFT_KEY)
        if sheet.signed or not isinstance(own, dict) or rubric_id not in (None, sheet.rubric_id):
            continue
        try:
            marks = SheetMarks.from_dict(own.get("marks") or {})
        except ScoringError:
            continue   # not a draft this simtool wrote
        out.append(Draft(sheet_id=sheet.id, rubric_id=sheet.rubric_id, subject=_subject_of(data),
                         examiner_id=str(own.get("examiner_id")), marks=marks,
                         saved_at=str(own.get("saved_at") or sheet.created_at), data=data))
    return out


def draft_of(archive: Archive, drill_id: str, rubric_id: str, subject: str,
             examiner_id: str) -> Draft | None:
    return next((d for d in drafts(archive, drill_id, rubric_id)
                 if d.subject == subject and d.examiner_id == examiner_id), None)


def _scored(rubric: LoadedRubric, drill: DrillRecord, subject: str, marks: SheetMarks,
            evaluation_type: str | None) -> ScoreSheet:
    try:
        result = score(rubric, drill, {subject: marks}, evaluation_type)
    except ScoringError as exc:
        raise MarkingError(str(exc)) from None
    try:
        return result.sheet(subject)
    except KeyError:
        raise MarkingError(f"no sheet '{subject}' in drill {drill!r}: the sheets are "
                           f"{', '.join(s.key for s in result.sheets)}") from None


def save_draft(archive: Archive, drill_id: str, rubric: LoadedRubric, drill: DrillRecord,
               subject: str, examiner_id: str, marks: SheetMarks | Mapping[str, Any],
               evaluation_type: str | None = None) -> str:
    """Keep ``marks`` as ``examiner_id``'s draft of the ``subject`` sheet (created or updated
    in one audited write); returns the draft's sheet id. The marks are scored first: marks the
    core refuses (an unknown item, a level the item has not, an override without a reason)
    are refused with its sentence and nothing is written."""
    marks = marks if isinstance(marks, SheetMarks) else _from_dict(marks)
    archive.examiner(examiner_id)           # NotFoundError: not an examiner of this archive
    signed = _signed_by(archive, drill_id, rubric.rubric.id, subject, examiner_id)
    if signed is not None:
        raise MarkingError(f"the {subject} sheet is already signed by this examiner (sheet "
                           f"{signed.id}); a signed sheet changes only by an amendment, with a reason")
    marks = SheetMarks(examiner_id, marks.items, marks.global_grade, marks.nts, marks.overrides,
                       marks.comment, marks.item_comments)
    evaluation_type = evaluation_type or _drill_type(archive, drill_id, rubric)
    sheet = _scored(rubric, drill, subject, marks, evaluation_type)
    data = {**sheet.to_dict(), DRAFT_KEY: {"examiner_id": examiner_id, "marks": marks_to_dict(marks),
                                          "saved_at": archive.now()}}
    existing = draft_of(archive, drill_id, rubric.rubric.id, subject, examiner_id)
    with archive.transaction():
        if existing is not None:
            archive.update_sheet(existing.sheet_id, data=data, items=sheet_items(sheet))
            return existing.sheet_id
        trainee = _trainee_of(archive, drill_id, sheet)
        return archive.create_sheet(drill_id, rubric_id=rubric.rubric.id,
                                    rubric_version=str(rubric.rubric.version),
                                    rubric_text=rubric.text, data=data, items=sheet_items(sheet),
                                    trainee_id=trainee, created_by=examiner_id)


def _signed_by(archive: Archive, drill_id: str, rubric_id: str, subject: str,
               examiner_id: str) -> Sheet | None:
    """The current signed ``subject`` sheet of this rubric that ``examiner_id`` signed."""
    for sheet in archive.sheets(drill_id, current_only=True):
        data = sheet.data if isinstance(sheet.data, dict) else {}
        if sheet.signed and sheet.rubric_id == rubric_id and sheet.signed_by == examiner_id \
                and _subject_of(data) == subject:
            return sheet
    return None


def _drill_type(archive: Archive, drill_id: str, rubric: LoadedRubric) -> str | None:
    """The drill's own evaluation type when the rubric allows it (else the rubric's first)."""
    kind = archive.drill(drill_id).evaluation_type
    return kind if kind in rubric.rubric.evaluation_types else None


def _from_dict(marks: Mapping[str, Any]) -> SheetMarks:
    try:
        return SheetMarks.from_dict(marks)
    except ScoringError as exc:
        raise MarkingError(str(exc)) from None


def _trainee_of(archive: Archive, drill_id: str, sheet: ScoreSheet) -> str | None:
    if sheet.participant_id is None:
        return None
    p = next((p for p in archive.drill(drill_id).participants if p.id == sheet.participant_id), None)
    return p.trainee_id if p is not None else None


def still_missing(rubric: LoadedRubric, sheet: ScoreSheet) -> tuple[Missing, ...]:
    overall = {lb.block.id: lb.block.overall.id for _u, lb in rubric.blocks if lb.block.overall}
    return missing_ratings(sheet, rubric.rubric.global_rating is not None, overall)


def sign_draft(archive: Archive, drill_id: str, rubric: LoadedRubric, drill: DrillRecord,
               subject: str, examiner_id: str, evaluation_type: str | None = None) -> Sheet:
    """Sign ``examiner_id``'s draft of the ``subject`` sheet, scored once more on the record
    as it now stands. MarkingError naming every missing rating while one is missing (nothing
    signed); the signed sheet otherwise (read-only from now on; a correction is an amendment)."""
    draft = draft_of(archive, drill_id, rubric.rubric.id, subject, examiner_id)
    if draft is None:
        raise MarkingError(f"there is no draft of the {subject} sheet by examiner {examiner_id} "
                           f"to sign; mark it first")
    evaluation_type = evaluation_type or _drill_type(archive, drill_id, rubric)
    sheet = _scored(rubric, drill, subject, draft.marks, evaluation_type)
    missing = still_missing(rubric, sheet)
    if missing:
        raise MarkingError("the sheet cannot be signed yet; still to rate: "
                           + ", ".join(m.code for m in missing))
    with archive.transaction():
        save_draft(archive, drill_id, rubric, drill, subject, examiner_id, draft.marks,
                   evaluation_type)
        try:
            archive.sign_sheet(draft.sheet_id, examiner_id)
        except ArchiveError as exc:
            raise MarkingError(str(exc)) from None
    return archive.sheet(draft.sheet_id)


# --- the drill's examiners ---------------------------------------------------------------------

def examiners_of(archive: Archive, drill_id: str) -> list[Examiner]:
    """The examiners of a drill: those entered at setup or added since (in that order), then
    anyone who already marked or signed one of its sheets."""
    out: list[Examiner] = list(archive.drill_examiners(drill_id)) \
        if hasattr(archive, "drill_examiners") else []
    seen = {e.id for e in out}
    for sheet in archive.sheets(drill_id):
        own = sheet.data.get(DRAFT_KEY) if isinstance(sheet.data, dict) else None
        for eid in (sheet.signed_by, own.get("examiner_id") if isinstance(own, dict) else None):
            if eid and eid not in seen:
                try:
                    out.append(archive.examiner(eid))
                except NotFoundError:
                    continue
                seen.add(eid)
    return out


def examiner_for(archive: Archive, drill_id: str, name: str, staff_id: str | None = None) -> str:
    """The id of the examiner ``name`` (``staff_id``) of this drill: one of its examiners, an
    examiner of the archive with that staff id, or a new one — linked to the drill. The name
    must be a person's name (one line); MarkingError otherwise, nothing written."""
    name, staff = (name or "").strip(), (staff_id or "").strip() or None
    if not name:
        raise MarkingError("an examiner needs a name")
    problem = name_problem(name)
    if problem:
        raise MarkingError(f"the examiner name {quoted(name)} {problem}")
    if staff is not None and name_problem(staff):
        raise MarkingError(f"the staff id {quoted(staff)} {name_problem(staff)}")
    for e in examiners_of(archive, drill_id):
        if (staff is not None and e.staff_id == staff) or (staff is None and e.name == name):
            return e.id
    site = archive.drill(drill_id).site
    found = archive.find_examiner(staff_id=staff, name=None if staff else name, site=site) \
        if hasattr(archive, "find_examiner") else None
    with archive.transaction():
        eid = found.id if found is not None else archive.add_examiner(
            Examiner(name, staff, site=site if archive.schema_version >= 9 else None))
        if hasattr(archive, "link_examiner"):
            archive.link_examiner(drill_id, eid)
    return eid


# --- amending a signed sheet ------------------------------------------------------------------

def marks_of_sheet(data: Mapping[str, Any]) -> SheetMarks:
    """The marks a stored sheet was scored with: its draft's, or — for a sheet signed before
    drafts were kept — read back from its items, ratings, grade and comment."""
    own = data.get(DRAFT_KEY)
    if isinstance(own, dict) and isinstance(own.get("marks"), dict):
        try:
            return SheetMarks.from_dict(own["marks"])
        except ScoringError:
            pass
    items: dict[str, Any] = {}
    overrides: dict[str, Any] = {}
    for i in data.get("items", ()):
        ev = i.get("evidence") or {}
        if i.get("override"):
            overrides[i["id"]] = {"result": i["status"], "reason": i["override"].get("reason")}
        elif i.get("kind") == "observed" and ev.get("reason") == "examiner":
            items[i["id"]] = ev.get("mark") if ev.get("mark") is not None else "not observed"
        elif i.get("kind") == "graded" and ev.get("level") is not None:
            items[i["id"]] = ev["level"]
        elif i.get("kind") in ("observed", "graded") and i.get("status") == "not observed":
            items[i["id"]] = "not observed"
    nts: dict[str, dict[str, Any]] = {}
    for b in data.get("nts") or ():
        r: dict[str, Any] = {x["id"]: x["rating"] if x.get("rating") is not None else "not observed"
                             for x in b.get("ratings", ()) if x.get("rating") is not None
                             or x.get("status") == "not observed"}
        nts[b["id"]] = r
    grade = (data.get("global_grade") or {}).get("id")
    return _from_dict({"items": items, "overrides": overrides, "nts": nts, "global_grade": grade,
                       "comment": data.get("comment")})


def amend_signed(archive: Archive, drill_id: str, rubric: LoadedRubric, drill: DrillRecord,
                 sheet_id: str, examiner_id: str, marks: SheetMarks | Mapping[str, Any], why: str,
                 evaluation_type: str | None = None) -> Sheet:
    """Correct a signed sheet: a new version, scored with ``marks`` on the record as it now
    stands, signed at once by ``examiner_id``, superseding the old one (kept unchanged), with
    who, when and why. MarkingError (nothing written) without a reason, with a rating still
    missing, or when the sheet is not the latest signed version."""
    if not isinstance(why, str) or not why.strip():
        raise MarkingError("an amendment needs a reason: say why the signed sheet changes")
    problem = name_problem(why.strip())
    if problem:
        raise MarkingError(f"the reason {quoted(why.strip())} {problem}")
    old = archive.sheet(sheet_id)
    if not old.signed:
        raise MarkingError(f"score sheet {sheet_id} is not signed: it is still a draft to mark")
    marks = marks if isinstance(marks, SheetMarks) else _from_dict(marks)
    marks = SheetMarks(examiner_id, marks.items, marks.global_grade, marks.nts, marks.overrides,
                       marks.comment, marks.item_comments)
    archive.examiner(examiner_id)
    subject = _subject_of(old.data if isinstance(old.data, dict) else {})
    sheet = _scored(rubric, drill, subject, marks, evaluation_type)
    missing = still_missing(rubric, sheet)
    if missing:
        raise MarkingError("the amended sheet cannot be signed yet; still to rate: "
                           + ", ".join(m.code for m in missing))
    data = {**sheet.to_dict(), DRAFT_KEY: {"examiner_id": examiner_id, "marks": marks_to_dict(marks),
                                          "saved_at": archive.now()}}
    try:
        new_id = archive.amend_sheet(sheet_id, data, examiner_id, why.strip(), items=sheet_items(sheet))
    except ArchiveError as exc:
        raise MarkingError(str(exc)) from None
    return archive.sheet(new_id)
