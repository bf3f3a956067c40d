"""CSV exports of the archive (for spreadsheets and for ``simtool stats psychometrics``).

``write_drills_csv(archive, out)`` writes one row per drill: id, scenario, version, evaluation
type, started, ended, status (computed, so a crashed drill reads ``interrupted``), site and the
participants as "Name (role); Name (role)". ``write_scores_csv(archive, out)`` writes one row
per current (not superseded) score sheet with the trainee, rubric, total points and sign-off.
``out`` is a text file opened with ``newline=""`` (the csv module's rule).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from simtool.store.archive import Archive
    from simtool.store.records import DrillInfo

DRILL_COLUMNS = ("id", "scenario", "version", "evaluation_type", "started", "ended", "status",
                 "site", "participants")
SCORE_COLUMNS = ("sheet_id", "drill_id", "scenario", "started", "trainee_id", "trainee",
                 "staff_id", "rubric", "rubric_version", "sheet_version", "points", "items",
                 "signed_at", "signed_by")


def write_drills_csv(archive: "Archive", out: TextIO,
                     drills: Iterable["DrillInfo"] | None = None) -> int:
    """Write the drills (default: all) as CSV; returns the number of rows."""
    writer = csv.writer(out)
    writer.writerow(DRILL_COLUMNS)
    n = 0
    for d in archive.drills() if drills is None else drills:
        people = "; ".join(f"{p.name} ({p.role})" for p in d.participants)
        writer.writerow([d.id, d.scenario_id, d.scenario_version, d.evaluation_type, d.started_at,
                         d.ended_at or "", d.status, d.site or "", people])
        n += 1
    return n


def write_scores_csv(archive: "Archive", out: TextIO) -> int:
    """Write every current score sheet as CSV; returns the number of rows."""
    writer = csv.writer(out)
    writer.writerow(SCORE_COLUMNS)
    rows = archive.db.query(
        "SELECT s.id, s.drill_id, d.scenario_id, d.started_at, s.trainee_id, t.name, t.staff_id, "
        "s.rubric_id, s.rubric_version, s.version, s.signed_at, e.name AS examiner, "
        "(SELECT sum(points) FROM sheet_items i WHERE i.sheet_id = s.id) AS points, "
        "(SELECT count(*) FROM sheet_items i WHERE i.sheet_id = s.id) AS items "
        "FROM score_sheets s JOIN drills d ON d.id = s.drill_id "
        "LEFT JOIN trainees t ON t.id = s.trainee_id LEFT JOIN examiners e ON e.id = s.signed_by "
        "WHERE NOT EXISTS (SELECT 1 FROM score_sheets n WHERE n.supersedes = s.id) "
        "ORDER BY d.started_at, s.drill_id, t.name")
    n = 0
    for r in rows:
        writer.writerow([r["id"], r["drill_id"], r["scenario_id"], r["started_at"],
                         r["trainee_id"] or "", r["name"] or "team", r["staff_id"] or "",
                         r["rubric_id"], r["rubric_version"], r["version"],
                         "" if r["points"] is None else f"{r['points']:g}", r["items"],
                         r["signed_at"] or "", r["examiner"] or ""])
        n += 1
    return n
