"""Score sheets as an examiner keeps them: scored, stored and signed in one step."""

from __future__ import annotations

from collections.abc import Mapping

from simtool.core.rubric import LoadedRubric
from simtool.core.scoresheet import ScoreResult, ScoreSheet
from simtool.store import Archive, Examiner, Sheet
from simtool.store.errors import ArchiveError
from simtool.store.scores import save_score, save_sheet


def sign_new_sheet(archive: Archive, drill_id: str, rubric: LoadedRubric, sheet: ScoreSheet, *,
                   examiner: str, trainee_ids: Mapping[str, str] | None = None) -> Sheet:
    """Store ``sheet`` and sign it as ``examiner`` (a name; the examiner is recorded if new),
    all in one transaction: if any step fails nothing is stored — no stray unsigned sheet,
    no examiner without a signature. Returns the signed sheet as stored."""
    name = examiner.strip()
    if not name:
        raise ArchiveError("a sheet is signed by a named examiner")
    with archive.transaction():
        sid = save_sheet(archive, drill_id, rubric, sheet, trainee_ids, created_by=name)
        archive.sign_sheet(sid, archive.add_examiner(Examiner(name)))
    return archive.sheet(sid)


def store_unsigned_sheets(archive: Archive, drill_id: str, rubric: LoadedRubric,
                          result: ScoreResult) -> list[str]:
    """Every sheet of a scored drill (its trainees', then the team's), unsigned, in one
    transaction: all of them or none. Returns their ids."""
    with archive.transaction():
        return save_score(archive, drill_id, rubric, result, trainee_links(archive, drill_id))


def trainee_links(archive: Archive, drill_id: str) -> dict[str, str]:
    """The drill's participant ids mapped to their trainees' ids (those that have one)."""
    return {p.id: p.trainee_id for p in archive.drill(drill_id).participants if p.trainee_id}
