"""CSV exports of the archive (for spreadsheets and for ``simtool stats psychometrics``).

``write_drills_csv(archive, out)`` writes one row per drill: id, scenario, version, evaluation
type, started, ended, status (computed, so a crashed drill reads ``interrupted``), site and the
participants as "Name (role); Name (role)". ``write_scores_csv(archive, out)`` writes one row
per current (not superseded) score sheet with the trainee, rubric, total points and sign-off.
``out`` is a text file opened with ``newline=""`` (the csv module's rule); the command line
and the window write it through ``simtool.store.outputs.write_text_atomic``.

Every cell of text that comes from people or data (ids, names, staff ids, site, rubric ids,
examiners) passes ``spreadsheet_safe``: a cell beginning with ``= + - @``, a tab or a carriage
return gets a leading ``'`` so a spreadsheet shows it instead of evaluating it. The numbers
simtool formats itself (points, item counts, versions) are left as numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from simtool.core.textsafe import spreadsheet_safe as _t

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
        writer.writerow([_t(d.id), _t(d.scenario_id), _t(d.scenario_version), _t(d.evaluation_type),
                         _t(d.started_at), _t(d.ended_at), _t(d.status), _t(d.site), _t(people)])
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
        writer.writerow([_t(r["id"]), _t(r["drill_id"]), _t(r["scenario_id"]), _t(r["started_at"]),
                         _t(r["trainee_id"]), _t(r["name"] or "team"), _t(r["staff_id"]),
                         _t(r["rubric_id"]), _t(r["rubric_version"]), _number(r["version"]),
                         "" if r["points"] is None else f"{r['points']:g}", _number(r["items"]),
                         _t(r["signed_at"]), _t(r["examiner"])])
        n += 1
    return n


def _number(value: object) -> object:
    """A count or version the archive holds as a number stays a number; anything else (a
    tampered archive can hold text in any column) is text, made safe like the rest."""
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else _t(value)
