"""The logbook (issue 20): importing a trainee's procedures from CSV, listing them, a
supervisor's countersignature, and recording exam results — what ``simtool logbook`` and the
window (to come) both call.

An import is checked whole before anything is written — each row's fields
(``simtool.core.logbookcsv``), then that its trainee and supervisor are people of the
registry (by staff id, at the row's site) and its procedure is one of a programme's — and
written in one transaction, or refused with every problem as FILE:LINE: column: message.
Only the supervisor an entry names may countersign it; a signed entry never changes.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

from simtool.app.setup import quoted
from simtool.core.errors import Problem, SimtoolError
from simtool.core.logbookcsv import LogbookCsvError, column, read_logbook_csv
from simtool.core.paths import programmes_dir
from simtool.core.programme import LoadedProgramme, ProgrammeError, load_programme
from simtool.store import Archive
from simtool.store.errors import ArchiveError


class LogbookError(SimtoolError):
    """A logbook entry or exam result that cannot be written; nothing was written."""


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


def import_csv(archive: Archive, path: str | Path, by: str | None = None) -> list[int]:
    """Import a logbook CSV whole (one transaction) or not at all; the new entries' ids.
    ``LogbookCsvError`` lists every problem of the file."""
    name = str(path)
    rows = read_logbook_csv(path, name)
    procedures = {p.id for lp in programmes().values() for p in lp.programme.procedures}
    today = _today(archive)
    problems: list[Problem] = []
    entries: list[dict[str, Any]] = []
    for row in rows:
        def add(col: str, message: str) -> None:
            problems.append(Problem(name, row.line, column(col), message))
        where = f" at site {quoted(row.site)}" if row.site else ""
        trainee = archive.find_trainee(row.staff_id, row.site)
        if trainee is None:
            add("staff_id", f"no trainee with staff id {quoted(row.staff_id)}{where} in the "
                            f"archive (add them with simtool people add)")
        supervisor = find_supervisor(archive, row.supervisor, row.site)
        if supervisor is None:
            add("supervisor", f"no person with staff id {quoted(row.supervisor)}{where} in the "
                              f"archive (add them with simtool people add)")
        elif row.supervisor == row.staff_id:
            add("supervisor", "a trainee cannot supervise their own procedure")
        if row.procedure not in procedures:
            add("procedure", f"unknown procedure {quoted(row.procedure)} (not a procedure of "
                             f"any programme in {programmes_dir()})")
        if row.date > today:
            add("date", f"{row.date} is in the future (today is {today})")
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
    """A trainee's logbook, oldest first: each entry with ``id`` and ``status`` (pending or
    signed)."""
    _, records = trainee_records(archive, who)
    return [e.to_dict() for e in archive.logbook(records)]


def sign(archive: Archive, entry_id: int | str, supervisor: str, by: str | None = None) -> dict[str, Any]:
    """Countersign an entry as the supervisor it names (by staff id); the entry as signed."""
    try:
        eid = int(entry_id)
    except (TypeError, ValueError):
        raise LogbookError(f"{quoted(str(entry_id))} is not a logbook entry number") from None
    try:
        entry = archive.logbook_entry(eid)
    except ArchiveError as exc:
        raise LogbookError(str(exc)) from None
    if entry.signed_at is not None:
        raise LogbookError(f"logbook entry {eid} was countersigned on {entry.signed_at}; a signed "
                           f"entry cannot change")
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
    pg = programme(programme_id).programme
    if exam_id not in {e.id for e in pg.exams}:
        raise LogbookError(f"programme {programme_id} has no exam {quoted(exam_id)} (exams: "
                           f"{', '.join(e.id for e in pg.exams) or 'none'})")
    if result not in ("pass", "fail"):
        raise LogbookError(f"an exam result is pass or fail, not {quoted(result)}")
    try:
        if dt.date.fromisoformat(date).isoformat() != date:
            raise ValueError
    except ValueError:
        raise LogbookError(f"{quoted(date)} is not a date written YYYY-MM-DD") from None
    if date > _today(archive):
        raise LogbookError(f"{date} is in the future")
    tid, _ = trainee_records(archive, who)
    try:
        return archive.add_exam_result(tid, programme_id, exam_id, date, result, examiner, by)
    except ArchiveError as exc:
        raise LogbookError(str(exc)) from None
