"""The window shows as logged only what is stored: when neither the archive nor any journal can
be written, an action is not announced until it is stored, and the instructor is told once."""

from __future__ import annotations

import pytest

from simtool.core.drill import Participant, PatientParams
from simtool.store import Archive
from simtool.ui.console import ConsoleView
from simtool.ui.session import DrillSession

TEAM = [Participant("t1", "Li Na", "midwife"), Participant("t2", "Wang Fang", "obstetrician")]


@pytest.fixture()
def archive(tmp_path):
    with Archive.open(tmp_path / "a.sqlite") as a:
        yield a


def nothing_can_be_written(archive: Archive) -> None:
    """The archive answers SQLITE_READONLY and both journals' paths are folders."""
    for journal in archive.journals():
        journal.path.parent.mkdir(parents=True, exist_ok=True)
        journal.path.mkdir()
    archive.db.execute("PRAGMA query_only = 1")


def writing_works_again(archive: Archive) -> None:
    archive.db.execute("PRAGMA query_only = 0")


def test_an_action_held_in_memory_is_shown_as_logged_only_once_stored(qtbot, pph, archive):
    session = DrillSession(pph, PatientParams(65), TEAM, archive)
    view = ConsoleView(session)
    qtbot.addWidget(view)
    logged, told = [], []
    session.event_logged.connect(logged.append)
    session.journalled.connect(told.append)
    session.advance(20)
    nothing_can_be_written(archive)
    massage = session.act("uterine_massage", by="t1")
    session.act("call_for_help", by="t1")
    assert massage not in logged and session.drill.events[-1] not in logged
    assert len(told) == 1 and "held in memory only: NOT stored" in str(told[0])  # once, not per event
    assert not view.storage_label.isHidden() and "NOT shown as logged" in view.storage_label.text()

    writing_works_again(archive)
    session.advance(5)  # the vitals write at 25 s stores what memory held
    stored = archive.events(session.drill_id)
    assert massage in stored and logged[-2:] == stored[-2:]
    assert len(told) == 2 and "can be written again" in str(told[1])
    assert "can be written again" in view.storage_label.text()


def test_the_storage_notice_speaks_the_console_language(qtbot, qapp, pph, archive):
    """The notice is a code and its fields: the console words it in its own language (the
    operating system's reason, in English, stays in the tooltip)."""
    from simtool.ui import translations
    translations.install_translator(qapp, "zh_CN")
    session = DrillSession(pph, PatientParams(65), TEAM, archive)
    view = ConsoleView(session)
    qtbot.addWidget(view)
    session.advance(20)
    archive.db.execute("PRAGMA query_only = 1")  # the journal beside the archive still works
    session.act("uterine_massage", by="t1")
    text = view.storage_label.text()
    assert "日志" in text and str(archive.journal.path) in text and "read-only" not in text
    assert "read-only" in view.storage_label.toolTip()
