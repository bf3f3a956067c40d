"""The debrief view keeps its notes (issue 16, item 5): what is typed under a PEARLS phase or in
the trainee's reflection is saved in the archive a moment after typing stops, when the box loses
the focus, when the view closes and before it is rebuilt in another language; a view opened
again — on the same archive or after a restart — shows it. A note the archive refuses stays in
its box with one sentence saying why."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit, QStackedWidget

from simtool.app.debriefnotes import history, notes
from simtool.store import Archive
from simtool.ui.archiveviews import DebriefView
from simtool.ui.archiveviews.debrief import NOTE_PHASES, SAVE_DELAY_MS
from simtool.ui.live import LiveFlow

from helpers.archive import late_care_drill


@pytest.fixture()
def ended(tmp_path):
    """An archive with the late-care drill ended in it: (path, drill id)."""
    return late_care_drill(tmp_path)


@pytest.fixture()
def archive(ended):
    a = Archive.open(ended[0])
    yield a
    a.close()


def _kept(archive: Archive, did: str) -> dict[str, str]:
    return {phase: n.text for phase, n in notes(archive, did).items()}


def test_typed_notes_are_saved_after_a_pause_and_shown_by_the_next_view(qtbot, archive, ended):
    _db, did = ended
    v = DebriefView(archive, did)
    qtbot.addWidget(v)
    v.show()
    assert list(v.notes_edits) == list(NOTE_PHASES) == [
        "reactions", "description", "analysis", "summary", "reflection"]
    v.tabs.setCurrentIndex(1)
    box = v.notes_edits["reactions"]
    box.setFocus()
    qtbot.keyClicks(box, "Team felt rushed")
    assert _kept(archive, did) == {}          # not on every keystroke: once typing stops
    assert v.unsaved_notes() == {"reactions"}
    qtbot.waitUntil(lambda: _kept(archive, did) == {"reactions": "Team felt rushed"},
                    timeout=SAVE_DELAY_MS + 3000)
    assert v.unsaved_notes() == set()
    assert v.notes_status.text() == "Notes saved."
    assert len(history(archive, did)) == 1    # one row for the whole phrase
    v.close()

    again = DebriefView(archive, did)
    qtbot.addWidget(again)
    assert again.notes_edits["reactions"].toPlainText() == "Team felt rushed"
    assert again.notes_edits["summary"].toPlainText() == ""
    assert again.unsaved_notes() == set()     # shown, not saved again
    again.close()
    assert len(history(archive, did)) == 1


def test_notes_survive_a_restart(qtbot, ended):
    db, did = ended
    with Archive.open(db) as first:
        v = DebriefView(first, did)
        qtbot.addWidget(v)
        v.notes_edits["reflection"].setPlainText("下次我会更早呼叫帮助。\n<b>& more")
        v.notes_edits["analysis"].setPlainText("Oxytocin late")
        v.close()                             # closing saves at once, without waiting
        assert v.unsaved_notes() == set()
    with Archive.open(db) as later:           # the app started again
        v = DebriefView(later, did)
        qtbot.addWidget(v)
        assert v.notes()["reflection"] == "下次我会更早呼叫帮助。\n<b>& more"
        assert v.notes()["analysis"] == "Oxytocin late"
        v.close()
        assert later.verify() == []


def test_leaving_a_box_saves_it_at_once(qtbot, archive, ended):
    _db, did = ended
    v = DebriefView(archive, did)
    qtbot.addWidget(v)
    other = QLineEdit(v)
    v.show()
    qtbot.waitExposed(v)
    v.tabs.setCurrentIndex(1)
    box = v.notes_edits["summary"]
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClicks(box, "Call early")
    other.setFocus()
    qtbot.waitUntil(lambda: not box.hasFocus())
    assert _kept(archive, did) == {"summary": "Call early"}   # before the pause is over


def test_a_refused_note_stays_in_its_box_and_the_view_says_why(qtbot, archive, ended):
    _db, did = ended
    v = DebriefView(archive, did)
    qtbot.addWidget(v)
    box = v.notes_edits["description"]
    box.setPlainText("pasted \x1b[31m terminal text")
    assert v.save_notes() is False
    assert v.notes_status.text().startswith("Notes not saved: the description note holds a "
                                            "control character (U+001B)")
    assert _kept(archive, did) == {} and v.unsaved_notes() == {"description"}
    assert box.toPlainText() == "pasted \x1b[31m terminal text"   # nothing typed is lost
    box.setPlainText("pasted terminal text")
    qtbot.waitUntil(lambda: _kept(archive, did) == {"description": "pasted terminal text"},
                    timeout=SAVE_DELAY_MS + 3000)
    assert v.notes_status.text() == "Notes saved."
    v.close()


def test_a_closed_archive_is_said_not_raised(qtbot, ended):
    db, did = ended
    a = Archive.open(db)
    v = DebriefView(a, did)
    qtbot.addWidget(v)
    v.notes_edits["summary"].setPlainText("typed after the archive closed")
    a.close()
    assert v.save_notes() is False
    assert "is closed" in v.notes_status.text()
    v.close()   # tries again, says so, raises nothing


def test_notes_survive_the_language_switch_and_the_flow_closing(qtbot, ended):
    db, did = ended
    stack = QStackedWidget()
    qtbot.addWidget(stack)
    flow = LiveFlow(stack, db)
    view = flow.show_debrief(did)
    view.notes_edits["analysis"].setPlainText("Typed just now")   # no pause: not saved yet
    assert view.unsaved_notes() == {"analysis"}
    flow.set_language("zh_CN")
    (rebuilt,) = [p for p in flow.pages if isinstance(p, DebriefView)]
    assert rebuilt is not view and rebuilt.lang == "zh_CN"
    assert rebuilt.notes_edits["analysis"].toPlainText() == "Typed just now"
    assert rebuilt.unsaved_notes() == set()   # saved before the rebuild, read back from the archive
    assert _kept(flow.archive, did) == {"analysis": "Typed just now"}
    # a refused note carries over, still unsaved
    rebuilt.notes_edits["summary"].setPlainText("bad \x07 bell")
    rebuilt.notes_edits["reactions"].setPlainText("Relieved")
    flow.set_language("zh_TW")
    (third,) = [p for p in flow.pages if isinstance(p, DebriefView)]
    assert third.notes_edits["summary"].toPlainText() == "bad \x07 bell"
    assert third.unsaved_notes() == {"summary"}
    third.notes_edits["summary"].setPlainText("Call early")
    third.notes_edits["description"].setPlainText("PPH at 12 min")
    flow.close()                               # the window closing: saved before the archive closes
    with Archive.open(db) as archive:
        assert _kept(archive, did) == {"reactions": "Relieved", "description": "PPH at 12 min",
                                       "analysis": "Typed just now", "summary": "Call early"}
        assert archive.verify() == []
