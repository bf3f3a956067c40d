"""A candidate's sitting at a bundled skills station, scored and signed through the application
layer (``simtool.app.station``) as an examiner would: the marks are the station's best (every
observed item done, every graded item at its top level, the top global grade), or, for a fail,
the same with the station's first critical item missed — a critical item is a gate, so the
sheet's verdict is fail whatever the total."""

from __future__ import annotations

from typing import Any

from simtool.app.station import load_station, score_station
from simtool.store import Archive


def station_marks(rubric: Any, passed: bool = True) -> dict[str, Any]:
    """Marks of every item of a loaded station rubric: all best, or the first critical missed."""
    items: dict[str, Any] = {}
    for it in rubric.rubric.items:
        items[it.id] = max(lv.value for lv in it.levels) if it.kind == "graded" else True
    if not passed:
        first = next(it for it in rubric.rubric.items if it.critical)
        items[first.id] = 0 if first.kind == "graded" else False
    grades = rubric.rubric.global_rating.grades
    return {"items": items, "global_grade": (grades[-1] if passed else grades[0]).id}


def sit_station(archive: Archive, station: str, candidate: str, examiner: str, *,
                passed: bool = True, time_used_s: float = 300.0) -> str:
    """Record ``candidate``'s sitting at ``station`` (a bundled station id), marked by
    ``examiner`` (staff ids of the registry) and signed; returns the signed sheet's id."""
    rubric = load_station(station)
    _sitting, sheet = score_station(archive, rubric, candidate, examiner,
                                    station_marks(rubric, passed), time_used_s=time_used_s,
                                    signed=True)
    assert sheet.signed and sheet.data["verdict"]["result"] == ("pass" if passed else "fail")
    return sheet.id
