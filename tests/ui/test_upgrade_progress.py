"""The window shows a long archive upgrade as a progress dialog (issue 19: the upgrade to
format 10 computes the indicator results of every drill an earlier simtool left to the first
report), and the command line as lines on stderr (``simtool.app.upgrade.progress_line``)."""

from __future__ import annotations

import io

from PySide6.QtWidgets import QProgressDialog, QStackedWidget

from simtool.app.upgrade import progress_line
from simtool.core.drill import Drill
from simtool.store import CURRENT_VERSION, Archive, analytics
from simtool.ui import upgrade
from simtool.ui.live import LiveFlow

from helpers.archive import PATIENT, TEAM


def _old_archive(path, pph, drills: int) -> None:
    """An archive as simtool 9 left it: ended drills without kept indicator results."""
    with Archive.open(path, schema_version=9) as archive:
        for _ in range(drills):
            did = archive.start_drill(pph, PATIENT, TEAM)
            drill = Drill(pph, PATIENT, TEAM)
            archive.record(did, drill)
            drill.advance_to(600)
            drill.act("call_for_help", by="t1")
            drill.end()


def test_opening_an_old_archive_in_the_window_shows_the_upgrade_as_it_goes(qtbot, tmp_path, pph,
                                                                           monkeypatch):
    path = tmp_path / "old.sqlite"
    _old_archive(path, pph, 3)
    monkeypatch.setattr(analytics, "MIGRATION_BATCH", 1)
    seen = []
    real = upgrade.UpgradeProgress.__call__

    def watch(self, step, done, total):
        real(self, step, done, total)
        d = self.dialog
        seen.append((done, total, d.maximum(), d.value(), d.labelText()))
        assert isinstance(d, QProgressDialog)

    monkeypatch.setattr(upgrade.UpgradeProgress, "__call__", watch)
    stack = QStackedWidget()
    qtbot.addWidget(stack)
    flow = LiveFlow(stack, path)
    try:
        assert flow.archive.schema_version == CURRENT_VERSION
        # the three drills' results computed one by one, then their one scenario month summed
        assert [s[:4] for s in seen] == [(0, 3, 3, 0), (1, 3, 3, 1), (2, 3, 3, 2), (3, 3, 3, -1),
                                         (1, 1, 1, -1)]
        # (at its maximum the dialog resets and closes itself: autoClose)
        assert "computing the indicator results of 3 drills" in seen[0][4]
        assert "summing the indicator results of 1 scenario months" in seen[-1][4]
        # closed once the archive is open
        assert not any(d.isVisible() for d in stack.findChildren(QProgressDialog))
    finally:
        flow.close()


def test_the_command_line_hears_the_upgrade_as_lines_on_stderr():
    out, now = io.StringIO(), [0.0]
    tell = progress_line(out, every_s=1.0, clock=lambda: now[0])
    tell("indicators", 0, 100_000)
    for done in range(2000, 100_000, 2000):
        now[0] += 0.25
        tell("indicators", done, 100_000)
    tell("indicators", 100_000, 100_000)
    tell("indicators", 0, 0)   # nothing to do: nothing said
    lines = out.getvalue().splitlines()
    assert lines[0] == ("simtool: upgrading the archive: computing the indicator results of "
                        "100,000 drills … 0 %")
    assert lines[-1].endswith("… 100 %")
    assert 10 <= len(lines) <= 15   # one a second, not one per batch
