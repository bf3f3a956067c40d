"""Debrief notes are kept (issue 16, item 5): each PEARLS phase's note and the trainee's
reflection are saved in the archive, every change a new append-only, audited row (the history
stays, the latest is shown), restored after the archive is opened again; refused with one
sentence and nothing written when they cannot be kept; and a note changed or deleted behind
simtool's back is named by `simtool verify`."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from simtool.app import debriefnotes
from simtool.app.debriefnotes import NoteError, history, notes, save_note
from simtool.cli import main
from simtool.core.limits import MAX_NOTE_CHARS
from simtool.store import Archive, schema
from simtool.store.errors import ArchiveError, NotFoundError

from helpers.archive import FakeClock, PATIENT, TEAM, fingerprint, late_care_drill, raw


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The late-care drill recorded and ended once: (archive path, drill id)."""
    return late_care_drill(tmp_path_factory.mktemp("notes"))


@pytest.fixture()
def ended(built, tmp_path):
    """A private copy of it."""
    db, did = built
    copy = tmp_path / "a.sqlite"
    shutil.copy(db, copy)
    return copy, did


def test_notes_are_kept_and_shown_again_after_the_archive_is_reopened(ended):
    db, did = ended
    with Archive.open(db, clock=FakeClock(), actor="facilitator@lab") as archive:
        assert notes(archive, did) == {}
        saved = save_note(archive, did, "reactions", "Team felt rushed.\n\tLi Na: 'too loud'")
        assert saved is not None and saved.author == "facilitator@lab"
        save_note(archive, did, "analysis", "宫缩乏力：缩宫素给得晚了", author="Dr Zhou")
        save_note(archive, did, "reflection", "I will call for help sooner.", author="Li Na")
        assert archive.verify() == []
    with Archive.open(db) as archive:
        kept = notes(archive, did)
        assert list(kept) == ["reactions", "analysis", "reflection"]   # in PEARLS order
        assert kept["reactions"].text == "Team felt rushed.\n\tLi Na: 'too loud'"
        assert (kept["analysis"].text, kept["analysis"].author) == ("宫缩乏力：缩宫素给得晚了", "Dr Zhou")
        assert kept["reflection"].author == "Li Na"
        assert kept["reactions"].at.startswith("2025-01-06T09:")   # the archive's clock, UTC
        assert archive.verify() == []
    assert main(["verify", "--archive", str(db)]) == 0


def test_every_change_is_a_new_row_the_latest_is_shown_and_an_unchanged_text_is_not_saved(ended):
    db, did = ended
    with Archive.open(db, clock=FakeClock()) as archive:
        first = save_note(archive, did, "summary", "Call early.")
        second = save_note(archive, did, "summary", "Call early. Give oxytocin by 5 min.")
        assert first is not None and second is not None and second.at > first.at
    before = fingerprint(db)
    with Archive.open(db) as archive:
        assert save_note(archive, did, "summary", "Call early. Give oxytocin by 5 min.") is None
        assert save_note(archive, did, "description", "") is None   # no note is an empty one
        assert notes(archive, did)["summary"].text == "Call early. Give oxytocin by 5 min."
        assert [n.text for n in history(archive, did, "summary")] == [
            "Call early.", "Call early. Give oxytocin by 5 min."]
    assert fingerprint(db) == before
    with raw(db) as c:
        assert c.execute("SELECT count(*) FROM debrief_notes").fetchone()[0] == 2
        assert c.execute("SELECT count(*) FROM audit WHERE table_name = 'debrief_notes'"
                         ).fetchone()[0] == 2
    with Archive.open(db) as archive:   # emptied: a new row too, and the old text still there
        assert save_note(archive, did, "summary", "") is not None
        assert notes(archive, did)["summary"].text == ""
        assert len(history(archive, did)) == 3
        # a Windows line break is a line break; the same text again is unchanged
        assert save_note(archive, did, "summary", "a\r\nb").text == "a\nb"
        assert save_note(archive, did, "summary", "a\nb") is None
        assert archive.verify() == []


def test_a_note_can_be_as_long_as_the_limit_and_hold_chinese_markup_and_tabs(ended):
    db, did = ended
    with Archive.open(db) as archive:
        longest = "汉" * MAX_NOTE_CHARS
        assert save_note(archive, did, "analysis", longest).text == longest
        assert save_note(archive, did, "reactions", "<b>&amp; \t 😀").text == "<b>&amp; \t 😀"
        assert archive.verify() == []


@pytest.mark.parametrize("phase, text, words", [
    ("analysis", "x" * (MAX_NOTE_CHARS + 1), f"is {MAX_NOTE_CHARS + 1:,} characters long; a note "
                                             f"has at most {MAX_NOTE_CHARS:,}"),
    ("analysis", "ok\x1b[2J", "holds a control character (U+001B)"),
    ("summary", "nul\x00", "holds a control character (U+0000)"),
    ("summary", "bell\x07", "U+0007"),
    ("summary", "c1 \x85", "U+0085"),
    ("summary", "lone \ud800", "U+D800"),
    ("feelings", "fine", "there is no debrief phase 'feelings' (one of reactions, description, "
                         "analysis, summary, reflection)"),
    ("", "fine", "there is no debrief phase ''"),
    (None, "fine", "there is no debrief phase None"),
    ("summary", None, "a debrief note is text, not NoneType"),
])
def test_an_impossible_note_is_refused_in_one_sentence_and_nothing_is_written(ended, phase, text,
                                                                              words):
    db, did = ended
    before = fingerprint(db)
    with Archive.open(db) as archive:
        with pytest.raises(NoteError) as info:
            save_note(archive, did, phase, text)
        message = str(info.value)
        assert words in message and "\n" not in message and len(message) < 300
    assert fingerprint(db) == before


def test_an_impossible_author_or_an_unknown_drill_is_refused_and_nothing_is_written(ended):
    db, did = ended
    before = fingerprint(db)
    with Archive.open(db) as archive:
        with pytest.raises(NoteError, match="control character"):
            save_note(archive, did, "summary", "fine", author="Dr\x1b[31m Zhou")
        with pytest.raises(NoteError, match="author is a name"):
            save_note(archive, did, "summary", "fine", author="  ")
        with pytest.raises(NotFoundError, match=f"^no drill no-such-drill in the archive {db}$"):
            save_note(archive, "no-such-drill", "summary", "fine")
        assert notes(archive, "no-such-drill") == {}
    assert fingerprint(db) == before


def test_a_discarded_drill_keeps_its_debrief_notes(ended):
    db, did = ended
    with Archive.open(db) as archive:
        archive.discard(did, "wrong scenario chosen")
        assert save_note(archive, did, "reactions", "We still debriefed.") is not None
        assert notes(archive, did)["reactions"].text == "We still debriefed."
        assert archive.verify() == []


def test_a_closed_archive_is_one_sentence_not_a_traceback(ended):
    db, did = ended
    archive = Archive.open(db)
    archive.close()
    with pytest.raises(ArchiveError, match="is closed; the debrief notes cannot be read or saved"):
        save_note(archive, did, "summary", "late")
    with pytest.raises(ArchiveError, match="is closed"):
        notes(archive, did)


def test_notes_cannot_be_changed_or_deleted_behind_simtools_back_without_verify_naming_it(ended):
    db, did = ended
    with Archive.open(db) as archive:
        save_note(archive, did, "reactions", "first")
        save_note(archive, did, "summary", "take-home")
    with raw(db) as c:
        ids = [r[0] for r in c.execute("SELECT id FROM debrief_notes ORDER BY id")]
        for sql in ("DELETE FROM debrief_notes", "UPDATE debrief_notes SET text = 'x'"):
            with pytest.raises(sqlite3.IntegrityError, match="debrief notes are append-only"):
                c.execute(sql)
        c.execute("DROP TRIGGER debrief_notes_no_update")
        c.execute(f"UPDATE debrief_notes SET text = 'nothing happened' WHERE id = {ids[0]}")
    with Archive.open(db) as archive:
        problems = archive.verify()
        assert any(p.startswith(f"debrief note {ids[0]} (reactions of drill {did}): record changed "
                                f"after it was written") for p in problems), problems
        assert "guard trigger debrief_notes_no_update is missing (dropped behind simtool's back)" \
            in problems
    with raw(db) as c:
        c.execute("DROP TRIGGER debrief_notes_no_delete")
        c.execute(f"DELETE FROM debrief_notes WHERE id = {ids[1]}")   # the last one
        c.execute("INSERT INTO debrief_notes (drill_id, phase, text, author, at) VALUES "
                  f"('{did}', 'analysis', 'planted', 'someone', '2025-01-01T00:00:00Z')")
    with Archive.open(db) as archive:
        assert "summary" not in notes(archive, did)   # undone ...
        save_note(archive, did, "description", "a later save takes a new id")
        problems = archive.verify()
    # ... and named, even after a later save (ids are never used again)
    assert any(p.startswith(f"debrief note {ids[1]}: missing (deleted after it was written")
               for p in problems), problems
    assert any("(analysis of drill" in p and "has no audit row (added behind simtool's back)" in p
               for p in problems), problems
    assert main(["verify", "--archive", str(db)]) == 1


def test_a_version_5_archive_is_upgraded_and_keeps_notes(tmp_path, pph):
    path = tmp_path / "v5.sqlite"
    with Archive.open(path, clock=FakeClock(), schema_version=5) as archive:
        did = archive.start_drill(pph, PATIENT, TEAM)
        assert notes(archive, did) == {}
        with pytest.raises(ArchiveError, match="older format without debrief notes"):
            save_note(archive, did, "summary", "too early")
        assert archive.verify() == []
    with raw(path) as c:
        assert "debrief_notes" not in {r[0] for r in c.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
    with Archive.open(path, clock=FakeClock()) as archive:
        assert archive.schema_version == schema.CURRENT_VERSION
        save_note(archive, did, "summary", "kept")
        assert notes(archive, did)["summary"].text == "kept"
        assert archive.verify() == []


def test_the_phases_are_the_four_of_pearls_and_the_reflection():
    assert debriefnotes.PHASES == ("reactions", "description", "analysis", "summary", "reflection")
