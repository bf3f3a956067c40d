"""Views over the archive: the browser, the debrief replay, the examiner's scoring panel and
the end-of-drill summary. They show what ``simtool.core``, ``simtool.store`` and
``simtool.reports`` decide; long work (PDF export) runs off the GUI thread through ``worker``.
"""

from simtool.ui.archiveviews.browser import ArchiveBrowser, interrupted_drills
from simtool.ui.archiveviews.debrief import DebriefView
from simtool.ui.archiveviews.endofdrill import EndOfDrillView
from simtool.ui.archiveviews.scoring import OverrideDialog, ScoringPanel
from simtool.ui.archiveviews.worker import run_in_background

__all__ = ["ArchiveBrowser", "DebriefView", "EndOfDrillView", "OverrideDialog", "ScoringPanel",
           "interrupted_drills", "run_in_background"]
