"""People: who is who across drills — the list of persons with their drills, and merging two
records found to be one person (with a reason, reversible, audited; never a rewrite of what
was signed). A person is named by trainee id or staff id."""

from __future__ import annotations

from typing import Any

from simtool.app.setup import quoted, reason_problem
from simtool.core.errors import SimtoolError
from simtool.store import Archive
from simtool.store.errors import ArchiveError, NotFoundError


class PeopleError(SimtoolError):
    """A person who cannot be found or merged; nothing was written."""


def find_person(archive: Archive, who: str) -> str:
    """The trainee id of ``who`` (a trainee id, or a staff id naming one person)."""
    who = (who or "").strip()
    try:
        return archive.trainee(who).id or who
    except NotFoundError:
        pass
    found = archive.trainees(staff_id=who)
    merged = archive.merged_into()
    roots = sorted({merged.get(t.id or "", t.id or "") for t in found})
    if len(roots) == 1:
        return roots[0] if not found or len(found) == 1 else (found[0].id or roots[0])
    if len(found) > 1:
        ids = ", ".join(t.id or "?" for t in found)
        raise PeopleError(f"staff id {quoted(who)} names {len(found)} records ({ids}); name one by "
                          f"its trainee id")
    raise PeopleError(f"no trainee with id or staff id {quoted(who)} in the archive {archive.path}")


def _reason(reason: str, what: str) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise PeopleError(f"{what} needs a reason (--reason): say why")
    problem = reason_problem(reason.strip())
    if problem:
        raise PeopleError(f"the reason {quoted(reason.strip())} {problem}; nothing was changed")
    return reason.strip()


def merge(archive: Archive, keep: str, other: str, reason: str, by: str | None = None) -> dict[str, Any]:
    """Merge the record ``other`` into ``keep`` (each a trainee id or a staff id); the person
    as now kept."""
    why = _reason(reason, "merging two people")
    keep_id, other_id = find_person(archive, keep), find_person(archive, other)
    try:
        archive.merge_people(keep_id, other_id, why, by)
    except (ArchiveError, NotFoundError) as exc:
        raise PeopleError(str(exc)) from None
    return person(archive, keep_id)


def unmerge(archive: Archive, keep: str, other: str, reason: str, by: str | None = None) -> dict[str, Any]:
    why = _reason(reason, "undoing a merge")
    keep_id = find_person(archive, keep)
    try:
        other_id = archive.trainee(other).id or other
    except NotFoundError:
        raise PeopleError(f"no trainee {quoted(other)} in the archive {archive.path}") from None
    try:
        archive.unmerge_people(keep_id, other_id, why, by)
    except (ArchiveError, NotFoundError) as exc:
        raise PeopleError(str(exc)) from None
    return person(archive, keep_id)


def person(archive: Archive, trainee_id: str) -> dict[str, Any]:
    root = archive.merged_into().get(trainee_id, trainee_id)
    return next(p for p in archive.people() if p["id"] == root)
