"""People: who is who across drills — the list of persons with their drills, and merging two
records found to be one person (with a reason, reversible, audited; never a rewrite of what
was signed). A person is named by trainee id or staff id."""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import Any

from simtool.app.setup import name_problem, quoted, reason_problem
from simtool.core.errors import SimtoolError
from simtool.store import Archive, Trainee
from simtool.store.errors import ArchiveError, NotFoundError

FIELDS = ("name", "staff_id", "department", "profession", "grade", "site")


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


# --- the registry: adding, completing and finding people --------------------------------------
def _field(value: Any, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise PeopleError(f"a person's {what} is text, not {type(value).__name__}")
    value = value.strip()
    if not value:
        return None
    problem = name_problem(value)
    if problem:
        raise PeopleError(f"the {what.replace('_', ' ')} {quoted(value)} {problem}; nothing was changed")
    return value


def add_person(archive: Archive, name: str, staff_id: str | None = None, *,
               site: str | None = None, department: str | None = None,
               profession: str | None = None, grade: str | None = None) -> dict[str, Any]:
    """Add a person to the registry; the person as kept. A staff id names one person within a
    site: a second person with the same staff id at the same site is refused (PeopleError,
    nothing written) — that is the same person, whose record can be completed instead."""
    fields = {k: _field(v, k) for k, v in (("name", name), ("staff_id", staff_id), ("site", site),
                                         ("department", department),
                                         ("profession", profession), ("grade", grade))}
    if not fields["name"]:
        raise PeopleError("a person needs a name")
    if fields["staff_id"]:
        found = archive.find_trainee(fields["staff_id"], fields["site"])
        if found is not None:
            where = f" at {fields['site']}" if fields["site"] else ""
            raise PeopleError(f"staff id {quoted(fields['staff_id'])}{where} is {archive.trainee(found).name} "
                              f"({found}) already; one staff id is one person — complete that "
                              f"record with `simtool people edit`")
    tid = archive.add_trainee(Trainee(fields.pop("name") or "", **fields))
    return person(archive, tid)


def edit_person(archive: Archive, who: str, **changes: str | None) -> dict[str, Any]:
    """Correct or complete a person's record (name, staff id, department, profession, grade,
    site): an audited update of the record ``who`` names. A staff id already used by another
    person at the same site is refused."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise PeopleError(f"a person has no field {', '.join(sorted(unknown))}")
    tid = find_person(archive, who)
    clean = {k: _field(v, k) for k, v in changes.items() if v is not None}
    if "name" in changes and changes["name"] is not None and not clean.get("name"):
        raise PeopleError("a person needs a name")
    clean = {k: v for k, v in clean.items() if v is not None}
    if clean.get("staff_id"):
        now = archive.trainee(tid)
        other = archive.find_trainee(clean["staff_id"], clean.get("site") or now.site)
        if other is not None and other not in archive.person_ids(tid):
            raise PeopleError(f"staff id {quoted(clean['staff_id'])} is {archive.trainee(other).name} "
                              f"({other}); merge the two records if they are one person")
    try:
        archive.update_trainee(tid, **clean)
    except (ArchiveError, NotFoundError) as exc:
        raise PeopleError(str(exc)) from None
    return person(archive, tid)


@functools.lru_cache(maxsize=4096)
def initials(name: str) -> str:
    """The letters a Chinese colleague types to find a name: the pinyin initials of its Han
    characters (陈杰 → "cj", 张晓明 → "zxm"), the first letter of each Latin word ("Chen Jie"
    → "cj"). Lower case; "" for a name with neither. Polyphonic characters take their most
    common reading (pypinyin's), which is what an instructor types for a name."""
    from pypinyin import Style, lazy_pinyin   # loaded when someone is first looked up
    out = []
    for part in lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda s: s.split()):
        letter = unicodedata.normalize("NFKD", part.strip())[:1].lower()
        if letter.isascii() and letter.isalpha():
            out.append(letter)
    return "".join(out)


@dataclass(frozen=True)
class Known:
    """A person setup can offer as the instructor types: what fills the row and what the
    typed text is matched against (name, staff id, pinyin initials, department)."""

    name: str
    staff_id: str | None
    department: str | None = None
    profession: str | None = None

    @property
    def keys(self) -> str:
        return " ".join(x for x in (self.name, self.staff_id, initials(self.name),
                                    self.department, self.profession) if x)


def known_people(archive: Archive, site: str | None = None) -> list[Known]:
    """Everyone setup may offer, by name: the persons of the registry (merged records once)."""
    return [Known(p["name"], p["staff_id"], p.get("department"), p.get("profession"))
            for p in archive.people(site=site)]


def known_examiners(archive: Archive) -> list[Known]:
    """Every examiner setup may offer, by name (one per staff id and site)."""
    seen: set[tuple[str, str | None, str | None]] = set()
    out = []
    for e in archive.examiner_records():
        key = (e.name, e.staff_id, e.site)
        if key not in seen:
            seen.add(key)
            out.append(Known(e.name, e.staff_id, e.department, e.profession))
    return out


def matching(people: list[Known], typed: str) -> list[Known]:
    """The people whose name, staff id, initials or department contain ``typed`` (case
    folded), the ones whose name or initials start with it first."""
    t = (typed or "").strip().casefold()
    if not t:
        return list(people)
    hits = [p for p in people if t in p.keys.casefold()]
    return sorted(hits, key=lambda p: (not (p.name.casefold().startswith(t)
                                            or initials(p.name).startswith(t)), p.name))
