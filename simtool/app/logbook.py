"""The logbook (issue 20): importing a trainee's procedures from CSV, listing them, a
supervisor's countersignature, and recording exam results — what ``simtool logbook`` and the
window (to come) both call.

An import is checked whole before anything is written — each row's fields
(``simtool.core.logbookcsv``), then that its trainee and supervisor are people of the
registry (by staff id, at the row's site) and its procedure is one of a programme's — and
written in one transaction, or refused with every problem as FILE:LINE: column: message.
Only the supervisor an entry names may countersign it; a signed entry never changes.

One entry typed in the app (``add_entry``) passes the same checks as a CSV row. A pending
entry can be corrected (``correct_entry``: a new entry supersedes it, the original stays with
the reason) or withdrawn (``withdraw_entry``: it stays, marked withdrawn, and counts nowhere);
a countersigned one can be neither. ``pending_for_supervisor`` is a supervisor's queue of
entries to countersign. A refused entry raises ``LogbookError`` whose ``field`` names the
field at fault (``date``, ``procedure``, ``level``, ``supervisor``, ``site``, ``case_ref``,
``complications``, ``reason``, ``entry``, ``changes`` or the trainee ``staff_id``).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from simtool.app.setup import quoted
from simtool.core.errors import Problem, SimtoolError
from simtool.core.limits import MAX_NAME_CHARS, MAX_REASON_CHARS
from simtool.core.logbookcsv import (COLUMNS, LogbookCsvError, column, field_problems,
                                     read_logbook_csv, text_problem)
from simtool.core.paths import programmes_dir
from simtool.core.programme import LoadedProgramme, ProgrammeError, load_programme
from simtool.store import Archive
from simtool.store.errors import ArchiveError


class LogbookError(SimtoolError):
    """A logbook entry or exam result that cannot be written; nothing was written. ``field``
    names the field at fault when one is."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# the fields of an entry a correction may change (the trainee is who the entry is of)
CHANGEABLE = ("date", "procedure", "level", "supervisor", "site", "case_ref", "complications")


def programmes(folder: Path | None = None) -> dict[str, LoadedProgramme]:
    """Every programme file of ``folder`` (default: the bundled programmes), by id."""
    folder = folder or programmes_dir()
    return _programmes(str(folder), tuple(sorted((p.name, p.stat().st_mtime_ns)
                                                 for p in folder.glob("*.yaml"))))


@lru_cache(maxsize=4)
def _programmes(folder: str, _stamp: tuple[tuple[str, int], ...]) -> dict[str, LoadedProgramme]:
    out = {}
    for path in sorted(Path(folder).glob("*.yaml")):
        try:
            loaded = load_programme(path)
        except ProgrammeError as exc:
            raise LogbookError(f"the programme file {path} has problems (simtool validate {path}): "
                               f"{exc.problems[0]}") from None
        out[loaded.programme.id] = loaded
    return out


def programme(programme_id: str) -> LoadedProgramme:
    found = programmes()
    if programme_id not in found:
        raise LogbookError(f"no programme {quoted(programme_id)} (programmes: "
                           f"{', '.join(sorted(found)) or 'none'})")
    return found[programme_id]


def find_supervisor(archive: Archive, staff_id: str, site: str | None) -> tuple[str, str] | None:
    """The registry's person with this staff id (an examiner first, else a trainee), as
    (table, id); None when there is none."""
    examiner = archive.find_examiner(staff_id=staff_id, site=site)
    if examiner is not None and examiner.id:
        return "examiners", examiner.id
    trainee = archive.find_trainee(staff_id, site)
    return None if trainee is None else ("trainees", trainee)


def _today(archive: Archive) -> str:
    return archive.now()[:10]


def _procedures() -> set[str]:
    return {p.id for lp in programmes().values() for p in lp.programme.procedures}


def _reference_problems(archive: Archive, fields: dict[str, Any], trainee: str | None,
                        procedures: set[str], today: str, add) -> None:  # noqa: ANN001
    """What the archive and the programmes say about one entry's fields (already of the
    right shape): the supervisor is a person of the registry and not the trainee, the
    procedure is a programme's, the date is not in the future."""
    site = fields.get("site")
    where = f" at site {quoted(site)}" if site else ""
    supervisor = find_supervisor(archive, fields["supervisor"], site)
    if supervisor is None:
        add("supervisor", f"no person with staff id {quoted(fields['supervisor'])}{where} in the "
                          f"archive (add them with simtool people add)")
    elif fields["supervisor"] == fields["staff_id"] or supervisor == ("trainees", trainee):
        add("supervisor", "a trainee cannot supervise their own procedure")
    if fields["procedure"] not in procedures:
        add("procedure", f"unknown procedure {quoted(fields['procedure'])} (not a procedure of "
                         f"any programme in {programmes_dir()})")
    if fields["date"] > today:
        add("date", f"{fields['date']} is in the future (today is {today})")


def import_csv(archive: Archive, path: str | Path, by: str | None = None) -> list[int]:
    """Import a logbook CSV whole (one transaction) or not at all; the new entries' ids.
    ``LogbookCsvError`` lists every problem of the file."""
    name = str(path)
    _refuse_the_archive(archive, path, name)
    rows = read_logbook_csv(path, name)
    procedures = _procedures()
    today = _today(archive)
    problems: list[Problem] = []
    entries: list[dict[str, Any]] = []
    seen: dict[tuple[Any, ...], int] = {}
    for row in rows:
        def add(col: str, message: str) -> None:
            problems.append(Problem(name, row.line, column(col), message))
        where = f" at site {quoted(row.site)}" if row.site else ""
        trainee = archive.find_trainee(row.staff_id, row.site)
        if trainee is None:
            add("staff_id", f"no trainee with staff id {quoted(row.staff_id)}{where} in the "
                            f"archive (add them with simtool people add)")
        _reference_problems(archive, {c: getattr(row, c) for c in COLUMNS}, trainee,
                            procedures, today, add)
        key = tuple(getattr(row, c) for c in COLUMNS)
        if key in seen:
            problems.append(Problem(name, row.line, "-", f"repeats line {seen[key]} exactly (the "
                                                         f"same procedure twice: remove one)"))
        seen.setdefault(key, row.line)
        if trainee is not None:
            entries.append({"trainee_id": trainee, "date": row.date, "procedure": row.procedure,
                            "level": row.level, "supervisor": row.supervisor, "site": row.site,
                            "case_ref": row.case_ref, "complications": row.complications})
    if problems:
        raise LogbookCsvError(problems)
    try:
        return archive.add_logbook_entries(entries, by)
    except ArchiveError as exc:
        raise LogbookError(f"{name}: nothing was imported: {exc}") from None


def _refuse_the_archive(archive: Archive, path: str | Path, name: str) -> None:
    """The archive's own file (or its journal) given as the CSV: said plainly, never read."""
    try:
        given = Path(path).resolve()
        own = Path(archive.path).resolve()
    except (OSError, RuntimeError, ValueError):
        return
    if given == own or given.parent == own.parent and given.name.startswith(own.name):
        raise LogbookCsvError([Problem(name, 1, "-", "this is the archive itself (or a file of "
                                                     "it), not a logbook CSV")])


def _one_line(value: Any, field: str, *, optional: bool = False) -> str | None:
    """Typed text as stored: surrounding blanks and line breaks made single spaces;
    None for an empty optional field."""
    if value is None:
        text_ = ""
    elif isinstance(value, str):
        text_ = value
    else:
        raise LogbookError(f"{field}: expected text, not {type(value).__name__}", field)
    text_ = " ".join(text_.split())   # line breaks and tabs typed or pasted: one line
    if not text_ and optional:
        return None
    return text_


def _refuse(problems: list[tuple[str, str]]) -> None:
    """``LogbookError`` naming the first field at fault (in the CSV's column order) and the
    others that are."""
    if problems:
        order = {c: i for i, c in enumerate(COLUMNS)}
        problems = sorted(problems, key=lambda p: order.get(p[0], len(order)))
        field, message = problems[0]
        others = list(dict.fromkeys(f for f, _ in problems[1:] if f != field))
        more = f" (and a problem with {', '.join(others)})" if others else ""
        raise LogbookError(f"{field}: {message}{more}", field)


def _checked(archive: Archive, trainee: str, staff_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """An entry's fields as they will be stored, or ``LogbookError`` naming the first field
    at fault: the checks of a CSV row (shape, then the archive and the programmes)."""
    clean: dict[str, Any] = {"staff_id": staff_id}
    for col in CHANGEABLE:
        clean[col] = _one_line(fields.get(col), col, optional=col in ("site", "complications"))
    problems = field_problems({c: clean.get(c) or "" for c in COLUMNS})
    _refuse(problems)
    found: list[tuple[str, str]] = []
    _reference_problems(archive, clean, trainee, _procedures(), _today(archive),
                        lambda col, message: found.append((col, message)))
    _refuse(found)
    return {"trainee_id": trainee, **{c: clean[c] for c in CHANGEABLE}}


def _trainee_for_entry(archive: Archive, who: str, site: str | None) -> tuple[str, str]:
    """(trainee record id, staff id) of the trainee an entry is for: a staff id (at the
    entry's site) or a trainee id."""
    who_ = _one_line(who, "staff_id") or ""
    if not who_:
        raise LogbookError("staff_id: empty (required): whose logbook is it?", "staff_id")
    tid = archive.find_trainee(who_, site)
    if tid is None:
        try:
            tid = archive.trainee(who_).id
        except ArchiveError:
            where = f" at site {quoted(site)}" if site else ""
            raise LogbookError(f"staff_id: no trainee with staff id {quoted(who_)}{where} in the "
                               f"archive (add them with simtool people add)", "staff_id") from None
    return tid, archive.trainee(tid).staff_id or who_


def add_entry(archive: Archive, who: str, date: str, procedure: str, level: str,
              supervisor: str, site: str | None, case_ref: str, complications: str | None,
              by: str | None = None) -> dict[str, Any]:
    """One entry typed in the app (or ``simtool logbook add``), checked as a CSV row is:
    the entry as stored, pending countersignature."""
    site_ = _one_line(site, "site", optional=True)
    tid, staff_id = _trainee_for_entry(archive, who, site_)
    row = _checked(archive, tid, staff_id, {
        "date": date, "procedure": procedure, "level": level, "supervisor": supervisor,
        "site": site_, "case_ref": case_ref, "complications": complications})
    try:
        (eid,) = archive.add_logbook_entries([row], by)
    except ArchiveError as exc:
        raise LogbookError(str(exc)) from None
    return archive.logbook_entry(eid).to_dict()


def _entry_id(value: Any) -> int:
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int):
        eid = value
    else:
        shown = str(value)
        digits = shown.strip()
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 18:
            raise LogbookError(f"{quoted(shown[:60])} is not a logbook entry number "
                               f"(the id simtool logbook list shows)", "entry")
        eid = int(digits)
    if eid < 1 or eid >= 2 ** 63:
        raise LogbookError(f"{eid} is not a logbook entry number (the id simtool "
                           f"logbook list shows)", "entry")
    return eid


def _entry(archive: Archive, value: Any):  # noqa: ANN202
    eid = _entry_id(value)
    try:
        return archive.logbook_entry(eid)
    except ArchiveError as exc:
        raise LogbookError(str(exc), "entry") from None


def _reason(reason: Any) -> str:
    text_ = _one_line(reason, "reason") or ""
    if not text_:
        raise LogbookError("reason: empty; say why (it stays in the record)", "reason")
    if len(text_) > MAX_REASON_CHARS:
        raise LogbookError(f"reason: {len(text_):,} characters; at most {MAX_REASON_CHARS:,}",
                           "reason")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in text_):
        raise LogbookError("reason: contains a control character", "reason")
    return text_


def _still_pending(entry: Any, what: str) -> None:
    if entry.signed_at is not None:
        raise LogbookError(f"logbook entry {entry.id} was countersigned on "
                           f"{entry.signed_at}; a signed entry cannot be {what}", "entry")
    if entry.change == "withdraw":
        raise LogbookError(f"logbook entry {entry.id} was withdrawn on "
                           f"{entry.changed_at[:10]}; it cannot be {what}", "entry")
    if entry.change == "correct":
        raise LogbookError(f"logbook entry {entry.id} was corrected by entry "
                           f"{entry.superseded_by}; it cannot be {what} (entry "
                           f"{entry.superseded_by} is the one that stands)", "entry")


def correct_entry(archive: Archive, entry_id: int | str, changes: dict[str, Any], reason: str,
                  by: str | None = None) -> dict[str, Any]:
    """Correct a pending entry: a new entry with ``changes`` (fields of ``CHANGEABLE``)
    supersedes it, with the reason; the original stays in the record, marked corrected.
    The new entry (pending countersignature)."""
    entry = _entry(archive, entry_id)
    if not isinstance(changes, dict) or not changes:
        raise LogbookError("changes: nothing to correct (give the fields to change)", "changes")
    unknown = sorted(str(k) for k in changes if k not in CHANGEABLE)
    if unknown:
        raise LogbookError(f"changes: {', '.join(unknown)} cannot be corrected (only "
                           f"{', '.join(CHANGEABLE)}; an entry of the wrong trainee is withdrawn "
                           f"and entered again)", "changes")
    why = _reason(reason)
    _still_pending(entry, "corrected")
    old = {c: getattr(entry, c) for c in CHANGEABLE}
    staff_id = archive.trainee(entry.trainee_id).staff_id or ""
    row = _checked(archive, entry.trainee_id, staff_id, {**old, **changes})
    if all(row[c] == old[c] for c in CHANGEABLE):
        raise LogbookError(f"changes: they change nothing in logbook entry {entry.id}", "changes")
    try:
        new_id = archive.correct_logbook_entry(entry.id, row, why, by)
    except ArchiveError as exc:
        raise LogbookError(str(exc), "entry") from None
    return archive.logbook_entry(new_id).to_dict()


def withdraw_entry(archive: Archive, entry_id: int | str, reason: str,
                   by: str | None = None) -> dict[str, Any]:
    """Withdraw a pending entry with the reason: it stays in the record, marked withdrawn,
    and counts nowhere. The entry as it now stands."""
    entry = _entry(archive, entry_id)
    why = _reason(reason)
    _still_pending(entry, "withdrawn")
    try:
        archive.withdraw_logbook_entry(entry.id, why, by)
    except ArchiveError as exc:
        raise LogbookError(str(exc), "entry") from None
    return archive.logbook_entry(entry.id).to_dict()


def pending_for_supervisor(archive: Archive, supervisor_staff_id: str,
                           site: str | None = None) -> list[dict[str, Any]]:
    """A supervisor's countersign queue: the current entries naming them (by staff id, at
    ``site`` when given) that are not countersigned yet, oldest first; each entry with the
    trainee's ``trainee_name`` and ``trainee_staff_id``."""
    staff = _one_line(supervisor_staff_id, "supervisor") or ""
    if not staff:
        raise LogbookError("supervisor: empty (required): whose queue?", "supervisor")
    out = []
    names: dict[str, Any] = {}
    for e in archive.logbook_pending(staff, _one_line(site, "site", optional=True)):
        if e.trainee_id not in names:
            names[e.trainee_id] = archive.trainee(e.trainee_id)
        t = names[e.trainee_id]
        out.append({**e.to_dict(), "trainee_name": t.name, "trainee_staff_id": t.staff_id})
    return out


def trainee_records(archive: Archive, who: str) -> tuple[str, set[str]]:
    """The person named by trainee id or staff id: their id and every record merged into them."""
    from simtool.app.people import PeopleError, find_person
    try:
        tid = find_person(archive, who)
    except PeopleError as exc:
        raise LogbookError(str(exc)) from None
    root = archive.merged_into().get(tid, tid)
    return root, archive.person_ids(root)


def entries(archive: Archive, who: str) -> list[dict[str, Any]]:
    """A trainee's logbook, oldest first: each entry with ``id`` and ``status`` (pending,
    signed, withdrawn or corrected — then ``superseded_by`` names the entry that corrected
    it, and a correcting entry names the one it ``corrects``)."""
    _, records = trainee_records(archive, who)
    return [e.to_dict() for e in archive.logbook(records, current=False)]


def sign(archive: Archive, entry_id: int | str, supervisor: str, by: str | None = None) -> dict[str, Any]:
    """Countersign an entry as the supervisor it names (by staff id); the entry as signed."""
    entry = _entry(archive, entry_id)
    eid = entry.id
    if entry.signed_at is not None:
        raise LogbookError(f"logbook entry {eid} was countersigned on {entry.signed_at}; a signed "
                           f"entry cannot change")
    _still_pending(entry, "countersigned")
    if supervisor.strip() != entry.supervisor:
        raise LogbookError(f"logbook entry {eid} names supervisor {quoted(entry.supervisor)}; only "
                           f"they can countersign it, not {quoted(supervisor)}")
    person = find_supervisor(archive, entry.supervisor, entry.site)
    if person is None:
        raise LogbookError(f"no person with staff id {quoted(entry.supervisor)} in the archive; "
                           f"add them with simtool people add")
    if person == ("trainees", entry.trainee_id):
        raise LogbookError("a trainee cannot countersign their own procedure")
    try:
        archive.sign_logbook_entry(eid, person[0], person[1], by)
    except ArchiveError as exc:
        raise LogbookError(str(exc)) from None
    return archive.logbook_entry(eid).to_dict()


def record_exam(archive: Archive, who: str, programme_id: str, exam_id: str, date: str,
                result: str, examiner: str | None = None, by: str | None = None) -> int:
    """Record a practical or written exam result of a programme (pass or fail)."""
    try:
        pg = programme(programme_id).programme
    except LogbookError as exc:
        raise LogbookError(f"programme: {exc}", "programme") from None
    if exam_id not in {e.id for e in pg.exams}:
        raise LogbookError(f"exam: programme {programme_id} has no exam {quoted(exam_id)} (exams: "
                           f"{', '.join(e.id for e in pg.exams) or 'none'})", "exam")
    if result not in ("pass", "fail"):
        raise LogbookError(f"result: an exam result is pass or fail, not {quoted(result)}", "result")
    try:
        if dt.date.fromisoformat(date).isoformat() != date:
            raise ValueError
    except (TypeError, ValueError):
        raise LogbookError(f"date: {quoted(str(date))} is not a date written YYYY-MM-DD",
                           "date") from None
    if date > _today(archive):
        raise LogbookError(f"date: {date} is in the future (today is {_today(archive)})", "date")
    examiner = _one_line(examiner, "examiner", optional=True)
    if examiner is not None:
        problem = text_problem(examiner, MAX_NAME_CHARS)
        if problem:
            raise LogbookError(f"examiner: {problem}", "examiner")
    tid, _ = trainee_records(archive, who)
    try:
        return archive.add_exam_result(tid, programme_id, exam_id, date, result, examiner, by)
    except ArchiveError as exc:
        raise LogbookError(str(exc)) from None
