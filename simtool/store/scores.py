"""Keeping score sheets from ``simtool.core.scoring`` in the archive.

A sheet is stored with the exact rubric text it was scored on (by hash), its items as rows
with their evidence, and the whole core sheet as JSON, so an old sheet reads the same after
the rubric file changes. Signing, amendments and the audit chain are the archive's
(``sheets.py``); a reconciled sheet is one more sheet whose data holds both originals.
"""

from __future__ import annotations

from collections.abc import Mapping

from simtool.core.rubric import LoadedRubric
from simtool.core.scoresheet import ScoreResult, ScoreSheet
from simtool.store.archive import Archive
from simtool.store.errors import ArchiveError
from simtool.store.records import SheetItem


def sheet_items(sheet: ScoreSheet) -> list[SheetItem]:
    return [SheetItem(item_id=i.id, result=i.status, points=i.points, evidence=i.to_dict()) for i in sheet.items]


def save_sheet(archive: Archive, drill_id: str, rubric: LoadedRubric, sheet: ScoreSheet,
               trainee_ids: Mapping[str, str] | None = None, created_by: str | None = None) -> str:
    """Store one core score sheet as a new unsigned sheet; returns its id.

    ``trainee_ids`` maps the drill's participant ids to archive trainee ids (a team sheet,
    or a participant not linked to a trainee, is stored without one)."""
    if sheet.rubric_sha256 != rubric.sha256:
        raise ArchiveError(f"sheet was scored on another version of rubric {sheet.rubric_id}")
    trainee = (trainee_ids or {}).get(sheet.participant_id) if sheet.participant_id else None
    return archive.create_sheet(drill_id, rubric_id=rubric.rubric.id,
                                rubric_version=str(rubric.rubric.version), rubric_text=rubric.text,
                                data=sheet.to_dict(), items=sheet_items(sheet), trainee_id=trainee,
                                created_by=created_by or sheet.examiner)


def save_score(archive: Archive, drill_id: str, rubric: LoadedRubric, result: ScoreResult,
               trainee_ids: Mapping[str, str] | None = None, created_by: str | None = None) -> list[str]:
    """Store every sheet of a scored drill (trainees, then the team); returns their ids."""
    return [save_sheet(archive, drill_id, rubric, s, trainee_ids, created_by) for s in result.sheets]
