"""``simtool score`` and ``simtool sheets``: marking a drill from paper, and its score sheets.

An examiner who marked on paper enters the marks afterwards, a few at a time: each ``score``
call merges the marks it gives into that examiner's draft of the sheet (``simtool.app.marking``
keeps it: one unsigned sheet per drill × rubric × subject × examiner), so several calls build
one draft; ``--sign`` signs it, refused while a rating the rubric requires is missing. Only an
examiner of the drill (``Archive.drill_examiners``, by staff id) may mark it. ``sheets`` lists
a drill's drafts and signed sheets, every version.

``simtool.cli`` calls ``add_marking_parser(sub)`` with its subparsers. Marks that cannot be
kept are refused with one sentence and exit 1, and nothing is written.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simtool.cli.common import ARCHIVE_HELP, EXIT_OK, dump_json, open_archive
from simtool.cli.argtypes import text
from simtool.core.errors import SimtoolError
from simtool.core.textsafe import printable

_NUMBER = re.compile(r"[+-]?\d{1,9}")
_BUNDLED_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
PENDING = "pending-examiner"          # core.scoresheet.PENDING: an examiner's rating not given


class MarkingInputError(SimtoolError):
    """A mark, rating or option the command cannot take; nothing was written."""


def _q(value: str) -> str:
    from simtool.app.setup import quoted
    return quoted(value)


def _word(value: str) -> str:
    """``not-done``, ``not done`` and ``not_done`` alike, lower case."""
    return re.sub(r"[\s_-]+", "-", value.strip().lower())


# --- what the options say -----------------------------------------------------------------------

@dataclass
class Changes:
    """The marks one ``score`` call gives, parsed (not yet checked against the rubric)."""
    items: dict[str, str] = field(default_factory=dict)                 # item -> value as typed
    ratings: dict[tuple[str, str], str] = field(default_factory=dict)   # (block, element) -> value
    overrides: dict[str, tuple[str, str]] = field(default_factory=dict)  # item -> (result, reason)
    global_grade: str | None = None
    comment: str | None = None

    @property
    def any(self) -> bool:
        return bool(self.items or self.ratings or self.overrides) or \
            self.global_grade is not None or self.comment is not None


def _pair(option: str, given: str, shape: str) -> tuple[str, str]:
    key, sep, value = given.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise MarkingInputError(f"{option} {_q(given)} is not {shape}")
    return key.strip(), value.strip()


def parse_changes(args: argparse.Namespace) -> Changes:
    """The options of one ``score`` call; MarkingInputError for one that is malformed or given
    twice."""
    out = Changes(global_grade=args.global_grade, comment=args.comment)
    for given in args.mark or ():
        item, value = _pair("--mark", given, "ITEM=VALUE (done, not-done, not-observed or a level)")
        if item in out.items:
            raise MarkingInputError(f"--mark {item} is given twice; give each item once")
        out.items[item] = value
    for given in args.rate or ():
        key, value = _pair("--rate", given, "BLOCK.ELEMENT=N (a scale number or not-observed)")
        block, dot, element = key.partition(".")
        if not dot or not block or not element:
            raise MarkingInputError(f"--rate {_q(given)} is not BLOCK.ELEMENT=N (for example "
                                    f"ants.prioritising=3 or team.global_rating=7)")
        if (block, element) in out.ratings:
            raise MarkingInputError(f"--rate {key} is given twice; give each rating once")
        out.ratings[(block, element)] = value
    for given in args.override or ():
        item, value = _pair("--override", given, "ITEM=RESULT:REASON")
        result, colon, reason = value.partition(":")
        if not colon or not reason.strip():
            raise MarkingInputError(f"--override {item} needs a reason: ITEM=RESULT:REASON, for "
                                    f"example {item}=met:seen on the video")
        if item in out.overrides:
            raise MarkingInputError(f"--override {item} is given twice; give each item once")
        out.overrides[item] = (result.strip(), reason.strip())
    if out.global_grade is not None and not out.global_grade.strip():
        raise MarkingInputError("--global needs a grade id")
    return out


# --- the rubric, the subject and the examiner ------------------------------------------------------

def load_marking_rubric(spec: str | None, loaded: Any) -> Any:
    """The rubric to mark on: ``spec`` a file or a bundled rubric's id (a drill's rubric or a
    skills station, ``core.paths.bundled_rubric``); by default the drill's scenario's bundled
    technical rubric (``<scenario id>_technical.yaml``), or, for a station sitting, its station."""
    from simtool.core.paths import bundled_rubric, bundled_rubric_ids, stations_dir
    from simtool.core.rubric import load_rubric, rubrics_dir
    if spec is None:
        path = rubrics_dir() / f"{loaded.scenario.id}_technical.yaml"
        station = stations_dir() / f"{loaded.scenario.id}.yaml"
        if not path.is_file() and station.is_file():   # a station sitting: its station's sheet
            path = station
        if not path.is_file():
            raise MarkingInputError(f"there is no bundled technical rubric for scenario "
                                    f"{loaded.scenario.id}; name one with --rubric (a file or a "
                                    f"bundled rubric's id)")
        return load_rubric(path, loaded)
    given = Path(spec)
    if given.is_file():
        return load_rubric(given, loaded)
    found = bundled_rubric(spec) if _BUNDLED_ID.fullmatch(spec) else None
    if found is not None:
        return load_rubric(found, loaded)
    raise MarkingInputError(f"there is no rubric {_q(spec)}: it is neither a file nor a bundled "
                            f"rubric ({', '.join(bundled_rubric_ids()) or 'none bundled'})")


def find_subject(archive: Any, info: Any, given: str) -> str:
    """The participant id of the drill's participant ``given`` names: its participant id, its
    trainee's id or its trainee's staff id (tried in that order)."""
    from simtool.store import NotFoundError
    people = list(info.participants)

    def staff_id(p: Any) -> str | None:
        if p.trainee_id is None:
            return None
        try:
            return archive.trainee(p.trainee_id).staff_id
        except NotFoundError:
            return None

    for matches in (lambda p: p.id == given, lambda p: p.trainee_id == given,
                    lambda p: staff_id(p) == given):
        found = [p for p in people if matches(p)]
        if len(found) == 1:
            return str(found[0].id)
        if len(found) > 1:
            raise MarkingInputError(f"{_q(given)} names {len(found)} participants of drill "
                                    f"{info.id} ({', '.join(p.id for p in found)}); give the "
                                    f"participant id")
    listed = ", ".join(f"{p.id} {p.name} ({p.role})" for p in people) or "none"
    raise MarkingInputError(f"drill {info.id} has no participant, trainee or staff id "
                            f"{_q(given)} (its participants: {listed})")


def _who(examiner: Any) -> str:
    return f"{examiner.name} ({examiner.staff_id})" if examiner.staff_id else \
        f"{examiner.name} (no staff id)"


def find_drill_examiner(archive: Any, drill_id: str, given: str) -> Any:
    """The examiner of the drill whose staff id (or, failing that, examiner id) is ``given``."""
    examiners = archive.drill_examiners(drill_id)
    if not examiners:
        raise MarkingInputError(f"drill {drill_id} has no examiners recorded, so it cannot be "
                                f"marked here; its examiners are named when the drill is set up")
    for matches in (lambda e: e.staff_id == given, lambda e: e.id == given):
        found = next((e for e in examiners if matches(e)), None)
        if found is not None:
            return found
    raise MarkingInputError(f"{_q(given)} is not the staff id of an examiner of drill {drill_id} "
                            f"(its examiners: {', '.join(_who(e) for e in examiners)})")


def _sheet_name(subject: str, info: Any) -> str:
    if subject == "team":
        return "the team sheet"
    p = next((p for p in info.participants if p.id == subject), None)
    return f"the sheet of {p.name} ({subject})" if p is not None else f"the sheet of {subject}"


def signed_sheet_of(archive: Any, drill_id: str, rubric_id: str, subject: str,
                    examiner_id: str) -> Any:
    """The signed sheet (any version) of ``subject`` on ``rubric_id`` that ``examiner_id``
    signed or drafted, if there is one."""
    from simtool.app.marking import DRAFT_KEY
    for sheet in archive.sheets(drill_id):
        data = sheet.data if isinstance(sheet.data, dict) else {}
        own = data.get(DRAFT_KEY) if isinstance(data.get(DRAFT_KEY), dict) else {}
        if sheet.signed and sheet.rubric_id == rubric_id and \
                (data.get("participant") or "team") == subject and \
                examiner_id in (sheet.signed_by, own.get("examiner_id")):
            return sheet
    return None


# --- marks: the draft's, with this call's merged in ------------------------------------------------

def _item_value(rubric: Any, item_id: str, value: str) -> Any:
    from simtool.core.ntsblock import NOT_OBSERVED
    from simtool.core.rubricitems import Graded, Observed
    item = rubric.rubric.item_index.get(item_id)
    rid = rubric.rubric.id
    if item is None:
        raise MarkingInputError(f"rubric {rid} has no item {_q(item_id)}")
    if not isinstance(item, (Observed, Graded)):
        raise MarkingInputError(f"{item_id} is scored from the record, not marked; change its "
                                f"result with --override {item_id}=RESULT:REASON")
    word = _word(value)
    if word == "not-observed":
        return NOT_OBSERVED
    if isinstance(item, Observed):
        if word in ("done", "not-done"):
            return word == "done"
        raise MarkingInputError(f"--mark {item_id}: mark it done, not-done or not-observed, not "
                                f"{_q(value)}")
    levels = ", ".join(str(lv.value) for lv in item.levels)
    if not _NUMBER.fullmatch(value) or item.level(int(value)) is None:
        raise MarkingInputError(f"--mark {item_id}: grade it with one of its levels ({levels}) "
                                f"or not-observed, not {_q(value)}")
    return int(value)


def _rating(rubric: Any, block_id: str, element: str, value: str) -> tuple[str, Any]:
    from simtool.core.ntsblock import NOT_OBSERVED
    blocks = {lb.block.id: lb.block for _use, lb in rubric.blocks}
    block = blocks.get(block_id)
    if block is None:
        have = f"its blocks: {', '.join(blocks)}" if blocks else "it has no rating blocks"
        raise MarkingInputError(f"rubric {rubric.rubric.id} has no block {_q(block_id)} ({have})")
    overall = block.overall.id if block.overall is not None else None
    if element not in block.element_ids and element != overall:
        if overall is not None and element in ("overall", "global"):
            element = overall
        else:
            more = f"; its overall rating is {block_id}.{overall}" if overall else ""
            raise MarkingInputError(f"block {block_id} has no element {_q(element)} (its "
                                    f"elements: {', '.join(block.element_ids)}{more})")
    if _word(value) == "not-observed" and element != overall:
        return element, NOT_OBSERVED
    if not _NUMBER.fullmatch(value):
        raise MarkingInputError(f"--rate {block_id}.{element}: rate it with a number"
                                f"{' or not-observed' if element != overall else ''}, not "
                                f"{_q(value)}")
    return element, int(value)


def _override(rubric: Any, item_id: str, result: str, reason: str) -> dict[str, str]:
    from simtool.app.setup import reason_problem
    from simtool.core.scoresheet import LATE, MET, NOT_APPLICABLE, NOT_MET
    if rubric.rubric.item_index.get(item_id) is None:
        raise MarkingInputError(f"rubric {rubric.rubric.id} has no item {_q(item_id)}")
    results = {"met": MET, "not-met": NOT_MET, "late": LATE, "not-applicable": NOT_APPLICABLE}
    chosen = results.get(_word(result))
    if chosen is None:
        raise MarkingInputError(f"--override {item_id}: the result is one of "
                                f"{', '.join(results)}, not {_q(result)}")
    problem = reason_problem(reason)
    if problem:
        raise MarkingInputError(f"--override {item_id}: the reason {_q(reason)} {problem}")
    return {"result": chosen, "reason": reason}


def merged_marks(rubric: Any, base: Any, changes: Changes) -> Any:
    """``base`` (a draft's ``SheetMarks``) with ``changes`` merged in: a mark, rating or
    override given replaces the draft's for that item or element; the rest is kept."""
    from simtool.core.examiner import SheetMarks
    items = dict(base.items)
    for item_id, value in changes.items.items():
        items[item_id] = _item_value(rubric, item_id, value)
    nts = {k: dict(v) for k, v in base.nts.items()}
    for (block_id, element), value in changes.ratings.items():
        element, rating = _rating(rubric, block_id, element, value)
        nts.setdefault(block_id, {})[element] = rating
    overrides = dict(base.overrides)
    for item_id, (result, reason) in changes.overrides.items():
        overrides[item_id] = _override(rubric, item_id, result, reason)
    grade = changes.global_grade.strip() if changes.global_grade is not None else base.global_grade
    comment = base.comment if changes.comment is None else (changes.comment.strip() or None)
    return SheetMarks(base.examiner, items, grade, nts, overrides, comment, dict(base.item_comments))


# --- a sheet as the commands show it -----------------------------------------------------------------

@dataclass(frozen=True)
class Requirements:
    """What a sheet needs before it is signed besides its items and block elements: the
    rubric's global rating (if it has one) and each block's overall rating id."""
    global_rating: bool
    overall_ids: Mapping[str, str]

    @classmethod
    def of_rubric(cls, rubric: Any) -> "Requirements":
        return cls(rubric.rubric.global_rating is not None,
                   {lb.block.id: lb.block.overall.id for _u, lb in rubric.blocks if lb.block.overall})


def _stored_requirements(archive: Any, sheet: Any, cache: dict[str, Any]) -> Requirements:
    """A stored sheet's requirements: whether its rubric has a global rating, read from the
    rubric text it was scored on (kept in the archive), and the overall ratings' ids of the
    blocks on it, read from the bundled blocks (a block not bundled: ``overall``)."""
    from simtool.core.errors import ScenarioError
    from simtool.core.ntsblock import load_block
    from simtool.core.rubric import rubrics_dir
    from simtool.core.yamlsrc import parse_yaml
    key = f"rubric:{sheet.rubric_sha256}"
    if key not in cache:
        src, _problems = parse_yaml(archive.rubric_text(sheet.id), f"rubric {sheet.rubric_id}")
        doc = src.data if src is not None and isinstance(src.data, dict) else {}
        cache[key] = doc.get("global_rating") is not None
    overall: dict[str, str] = {}
    data = sheet.data if isinstance(sheet.data, dict) else {}
    for block in _dicts(data.get("nts")):
        bid = str(block.get("id"))
        if f"block:{bid}" not in cache:
            cache[f"block:{bid}"] = None
            path = rubrics_dir() / "blocks" / f"{bid}.yaml"
            if _BUNDLED_ID.fullmatch(bid) and path.is_file():
                try:
                    found = load_block(path).block.overall
                except ScenarioError:
                    found = None
                cache[f"block:{bid}"] = found.id if found is not None else None
        if cache[f"block:{bid}"] is not None:
            overall[bid] = cache[f"block:{bid}"]
    return Requirements(bool(cache[key]), overall)


def _dicts(value: Any) -> list[dict[str, Any]]:
    """The mappings of a list in a sheet's data (a sheet another program wrote may hold less)."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def missing_codes(data: Mapping[str, Any], needs: Requirements) -> list[str]:
    """Every rating a sheet's data still lacks, as ``marking.still_missing`` names them (its
    examiner items, each block's elements and overall rating, the global rating)."""
    codes = [str(i.get("id")) for i in _dicts(data.get("items")) if i.get("status") == PENDING]
    for block in _dicts(data.get("nts")):
        codes += [f"{block.get('id')}.{r.get('id')}" for r in _dicts(block.get("ratings"))
                  if r.get("status") == PENDING]
        if block.get("overall_range") is not None and block.get("overall") is None:
            codes.append(f"{block.get('id')}.{needs.overall_ids.get(str(block.get('id')), 'overall')}")
    if needs.global_rating and data.get("global_grade") is None:
        codes.append("global_rating")
    return codes


def _examiner_json(archive: Any, examiner_id: str | None) -> dict[str, Any] | None:
    from simtool.store import NotFoundError
    if examiner_id is None:
        return None
    try:
        e = archive.examiner(examiner_id)
    except NotFoundError:
        return {"id": examiner_id, "name": None, "staff_id": None}
    return {"id": e.id, "name": e.name, "staff_id": e.staff_id}


def sheet_json(archive: Any, sheet: Any, needs: Requirements) -> dict[str, Any]:
    """One sheet as ``simtool sheets --json`` lists it (and ``simtool score --json`` prints it).
    ``status``: draft (an examiner's unsigned marks), signed, amended (a signed version a later
    amendment supersedes), or unsigned (scored without an examiner, e.g. ``run --rubric``)."""
    from simtool.app.marking import DRAFT_KEY
    data = sheet.data if isinstance(sheet.data, dict) else {}
    own = data.get(DRAFT_KEY) if isinstance(data.get(DRAFT_KEY), dict) else None
    if sheet.signed:
        status = "amended" if sheet.superseded_by else "signed"
        examiner_id = sheet.signed_by
    else:
        status = "draft" if own is not None else "unsigned"
        examiner_id = own.get("examiner_id") if own is not None else None
    return {
        "id": sheet.id, "rubric": sheet.rubric_id, "version": sheet.version,
        "subject": data.get("subject") or ("trainee" if data.get("participant") else "team"),
        "participant": data.get("participant"), "name": data.get("name"),
        "examiner": _examiner_json(archive, None if examiner_id is None else str(examiner_id)),
        "status": status, "signed_at": sheet.signed_at,
        "items": [{k: i.get(k) for k in ("id", "kind", "status", "points", "max_points")}
                  for i in _dicts(data.get("items"))],
        "ratings": _dicts(data.get("nts")),
        "global_grade": data.get("global_grade"),
        "points": data.get("points"), "max_points": data.get("max_points"),
        "percentage": data.get("percentage"), "verdict": data.get("verdict"),
        "missing": missing_codes(data, needs) if status in ("draft", "unsigned") else [],
    }


def _number(x: Any) -> str:
    return "-" if x is None else f"{x:g}"


def _total(view: Mapping[str, Any]) -> str:
    pct = view.get("percentage")
    return f"{_number(view.get('points'))} of {_number(view.get('max_points'))}" + \
        (f" ({pct:g}%)" if isinstance(pct, (int, float)) else "")


def _subject_text(view: Mapping[str, Any]) -> str:
    if view.get("participant") is None:
        return "team"
    return f"{view.get('name') or view['participant']} ({view['participant']})"


def _examiner_text(view: Mapping[str, Any]) -> str:
    e = view.get("examiner")
    if not e:
        return "no examiner"
    return f"{e.get('name') or e.get('id')}" + (f" ({e['staff_id']})" if e.get("staff_id") else "")


def _verdict_text(view: Mapping[str, Any]) -> str:
    v = view.get("verdict") or {}
    return f"{v.get('result', '-')}" + (f": {v['reason']}" if v.get("reason") else "")


def sheet_line(view: Mapping[str, Any]) -> str:
    """One sheet on one line (``simtool sheets``)."""
    line = (f"{view['id']}  {view['status']:<8}  {view['rubric']} v{view['version']}  "
            f"{_subject_text(view)}  {_examiner_text(view)}  {_total(view)}  {_verdict_text(view)}")
    if view.get("missing"):
        line += f"  still to rate: {len(view['missing'])}"
    return line


def sheet_text(view: Mapping[str, Any], drill_id: str) -> list[str]:
    """The sheet ``simtool score`` kept, for a person to read."""
    whose = "the team sheet" if view.get("participant") is None else \
        f"the sheet of {_subject_text(view)}"
    lines = [f"drill {drill_id}: {whose} on {view['rubric']} by {_examiner_text(view)}: "
             f"{view['status']} ({view['id']})",
             f"total {_total(view)}; verdict {_verdict_text(view)}"]
    if view["status"] in ("draft", "unsigned"):
        lines.append("still to rate: " + (", ".join(view["missing"]) if view["missing"]
                                          else "nothing (ready to sign)"))
    return lines


# --- the commands --------------------------------------------------------------------------------------

def cmd_score(args: argparse.Namespace) -> int:
    from simtool.app.marking import MarkingError, draft_of, save_draft, sign_draft, still_missing
    from simtool.core.examiner import SheetMarks
    from simtool.core.scoresheet import TEAM_SHEET, ScoringError
    from simtool.core.scoring import score
    changes = parse_changes(args)
    with open_archive(args) as archive:
        info = archive.drill(args.drill)
        record = archive.record_of(args.drill)
        rubric = load_marking_rubric(args.rubric, record.loaded)
        subject = TEAM_SHEET if args.team else find_subject(archive, info, args.trainee)
        examiner = find_drill_examiner(archive, info.id, args.examiner)
        rid = rubric.rubric.id
        draft = draft_of(archive, info.id, rid, subject, examiner.id)
        signed = signed_sheet_of(archive, info.id, rid, subject, examiner.id)
        if signed is not None and (changes.any or args.sign):
            raise MarkingError(f"{_sheet_name(subject, info)} of drill {info.id} on {rid} is "
                               f"signed by {_who(examiner)} (sheet {signed.id}); a signed sheet is "
                               f"not marked again: a correction is an amendment")
        if not changes.any and not args.sign:
            shown = draft.sheet_id if draft is not None else \
                (signed.superseded_by or signed.id) if signed is not None else None
            if shown is None:
                raise MarkingInputError("nothing to mark: give --mark, --rate, --global, "
                                        "--comment or --override (and --sign to sign)")
            _show(archive, archive.sheet(_latest(archive, shown)), Requirements.of_rubric(rubric),
                  info.id, args.json)
            return EXIT_OK
        marks = merged_marks(rubric, draft.marks if draft is not None else SheetMarks(), changes)
        drill = record.final
        if args.sign:
            try:   # the marks as sign_draft will score them, before anything is written
                scored = score(rubric, drill, {subject: marks}, info.evaluation_type).sheet(subject)
            except ScoringError as exc:
                raise MarkingError(str(exc)) from None
            missing = still_missing(rubric, scored)
            if missing:
                raise MarkingError(f"{_sheet_name(subject, info)} cannot be signed yet; still to "
                                   f"rate: {', '.join(m.code for m in missing)}")
        with archive.transaction():
            sheet_id = draft.sheet_id if draft is not None else None
            if changes.any or draft is None:
                sheet_id = save_draft(archive, info.id, rubric, drill, subject, examiner.id, marks,
                                      info.evaluation_type)
            if args.sign:
                sheet_id = sign_draft(archive, info.id, rubric, drill, subject, examiner.id,
                                      info.evaluation_type).id
        assert sheet_id is not None
        _show(archive, archive.sheet(sheet_id), Requirements.of_rubric(rubric), info.id, args.json)
    return EXIT_OK


def _latest(archive: Any, sheet_id: str) -> str:
    while (later := archive.sheet(sheet_id).superseded_by) is not None:
        sheet_id = later
    return sheet_id


def _show(archive: Any, sheet: Any, needs: Requirements, drill_id: str, as_json: bool) -> None:
    view = sheet_json(archive, sheet, needs)
    if as_json:
        dump_json(view)
        return
    for line in sheet_text(view, drill_id):
        print(printable(line))


def cmd_sheets(args: argparse.Namespace) -> int:
    with open_archive(args) as archive:
        archive.drill(args.drill)   # NotFoundError: one sentence naming the drill
        cache: dict[str, Any] = {}
        views = [sheet_json(archive, s, _stored_requirements(archive, s, cache))
                 for s in archive.sheets(args.drill)]
    if args.json:
        dump_json(views)
        return EXIT_OK
    if not views:
        print(printable(f"drill {args.drill} has no score sheets"), file=sys.stderr)
    for view in views:
        print(printable(sheet_line(view)))
    return EXIT_OK


def add_marking_parser(sub: Any) -> None:
    """Add ``score`` and ``sheets`` to the CLI's subparsers."""
    p = sub.add_parser("score", help="mark a drill from paper as one of its examiners, and sign",
                       description="Enter an examiner's marks of one sheet of a drill (a trainee's "
                                   "or the team's). Each call merges the marks it gives into the "
                                   "examiner's draft, kept in the archive at once, so several "
                                   "calls build one draft; --sign signs it, refused while a rating "
                                   "the rubric requires is missing. Only an examiner of the drill "
                                   "(named at setup or in its script) may mark it. A signed sheet "
                                   "is not marked again: a correction is an amendment.")
    p.add_argument("drill", type=text, metavar="DRILL", help="drill id (see `simtool drills`)")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--trainee", type=text, metavar="ID",
                     help="the trainee's sheet: a participant id, trainee id or staff id")
    who.add_argument("--team", action="store_true", help="the team's sheet")
    p.add_argument("--examiner", type=text, required=True, metavar="STAFF_ID",
                   help="your staff id, as recorded with the drill")
    p.add_argument("--rubric", type=text, metavar="RUBRIC",
                   help="a rubric file or a bundled rubric's id (default: the scenario's "
                        "<scenario>_technical rubric)")
    p.add_argument("--mark", type=text, action="append", metavar="ITEM=VALUE",
                   help="an examiner item: done, not-done, not-observed, or a level number for a "
                        "graded item; repeatable")
    p.add_argument("--rate", type=text, action="append", metavar="BLOCK.ELEMENT=N",
                   help="a block rating (e.g. ants.prioritising=3, not-observed where the scale "
                        "allows it) or a block's overall rating (e.g. team.global_rating=7); "
                        "repeatable")
    p.add_argument("--global", dest="global_grade", type=text, metavar="GRADE_ID",
                   help="the rubric's global rating (e.g. clear_pass)")
    p.add_argument("--comment", type=text, metavar="TEXT", help="the examiner's comment on the sheet")
    p.add_argument("--override", type=text, action="append", metavar="ITEM=RESULT:REASON",
                   help="replace an item scored from the record (met, not-met, late, "
                        "not-applicable) with the reason why; repeatable")
    p.add_argument("--sign", action="store_true",
                   help="sign the sheet once every rating it needs is given")
    p.add_argument("--json", action="store_true",
                   help="print the sheet as one JSON object (the fields of `simtool sheets --json`)")
    p.add_argument("--archive", metavar="DB", help=ARCHIVE_HELP)
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("sheets", help="a drill's score sheets: drafts, signed and amended",
                       description="List every score sheet of a drill, every version: examiners' "
                                   "drafts, signed sheets, and signed versions an amendment "
                                   "superseded (amended), with the subject, the examiner, the "
                                   "total, the verdict and, for a draft, what is still to rate.")
    p.add_argument("drill", type=text, metavar="DRILL", help="drill id (see `simtool drills`)")
    p.add_argument("--json", action="store_true", help="print one JSON list")
    p.add_argument("--archive", metavar="DB", help=ARCHIVE_HELP)
    p.set_defaults(func=cmd_sheets)
