"""A department's own compliance targets and alert margin (issue 21): the use case under
``simtool stats target``. The figure is checked here once — a finite percentage, a source in
one line, an indicator the archive's scenario texts (or the bundled scenarios) define — and
kept by ``simtool.store.targets`` as an audited archive setting; the latest one counts."""

from __future__ import annotations

from simtool.core.errors import SimtoolError
from simtool.store import Archive
from simtool.store import targets as store
from simtool.store.analytics import known_indicators


def set_target(archive: Archive, scenario_id: str, indicator: str, target_pct: float,
               source: str) -> None:
    """Record the department's compliance target of one indicator of a scenario."""
    if (scenario_id, indicator) not in known_indicators(archive):
        raise SimtoolError(f"no scenario '{scenario_id}' with an indicator '{indicator}' in the "
                           f"archive's drills or the bundled scenarios")
    store.set_target(archive, scenario_id, indicator, target_pct, source)


def set_margin(archive: Archive, margin_pts: float, source: str) -> None:
    """Record the compliance fall (percentage points) that raises an alert."""
    store.set_margin(archive, margin_pts, source)
