"""Debrief notes are kept: the facilitator's PEARLS notes (reactions, description, analysis,
summary) and the trainee's own optional reflection, saved in the archive with the drill.

Every save that changes a phase's text is a new record (the archive keeps the history; the
current note of a phase is the latest one), so saving as the facilitator types — which the
debrief view does, a moment after typing stops — costs one small row each time and never
overwrites anything. An unchanged text is not saved again. A note is free text with line
breaks and tabs, at most ``MAX_NOTE_CHARS`` characters, and no other control character: a
refused note is one sentence and nothing is written. Notes may be kept for a discarded drill
(the debrief still happened); a drill that is not in the archive is refused.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from simtool.app.setup import name_problem, quoted
from simtool.core.errors import SimtoolError
from simtool.core.limits import MAX_NOTE_CHARS
from simtool.store import Archive
from simtool.store.debriefnotes import PHASES

__all__ = ["MAX_NOTE_CHARS", "Note", "NoteError", "PHASES", "history", "note_problem", "notes",
           "save_note"]


class NoteError(SimtoolError):
    """A note that cannot be kept (one sentence; nothing was written)."""


@dataclass(frozen=True)
class Note:
    phase: str
    text: str
    author: str
    at: str            # when it was saved: ISO 8601, UTC


def note_problem(text: str) -> str | None:
    """Why ``text`` cannot be a debrief note (None when it can): at most MAX_NOTE_CHARS
    characters; line breaks and tabs, but no other control character (a terminal code, a
    NUL) and no lone surrogate (it cannot be stored as UTF-8)."""
    if len(text) > MAX_NOTE_CHARS:
        return f"is {len(text):,} characters long; a note has at most {MAX_NOTE_CHARS:,}"
    for ch in text:
        if ch not in "\n\t" and unicodedata.category(ch) in ("Cc", "Cs"):
            return (f"holds a control character (U+{ord(ch):04X}); a note may hold line breaks "
                    f"and tabs but no other control character")
    return None


def _phase(phase: object) -> str:
    if not isinstance(phase, str) or phase not in PHASES:
        shown = quoted(phase) if isinstance(phase, str) else repr(phase)
        raise NoteError(f"there is no debrief phase {shown} (one of {', '.join(PHASES)}); "
                        f"nothing was saved")
    return phase


def save_note(archive: Archive, drill_id: str, phase: str, text: str,
              author: str | None = None) -> Note | None:
    """Keep ``text`` as the current note of ``phase`` (one of ``PHASES``) of the drill; the
    saved note, or None when the text is the current note already (nothing written). Line
    breaks are stored as ``\\n`` (a Windows ``\\r\\n`` too). ``author`` defaults to the
    archive's actor (user@host). ``NoteError`` for an unknown phase, a text too long or with a
    control character, or an impossible author; the archive's ``NotFoundError`` for a drill
    it does not hold — nothing is written then."""
    phase = _phase(phase)
    if not isinstance(text, str):
        raise NoteError(f"a debrief note is text, not {type(text).__name__}; nothing was saved")
    text = text.replace("\r\n", "\n")
    problem = note_problem(text)
    if problem:
        raise NoteError(f"the {phase} note {problem}; it was not saved")
    if author is not None:
        if not isinstance(author, str) or not author.strip():
            raise NoteError("a note's author is a name (one line of text); the note was not saved")
        problem = name_problem(author.strip())
        if problem:
            raise NoteError(f"the author {quoted(author)} {problem}; the note was not saved")
        author = author.strip()
    stored = archive.add_debrief_note(drill_id, phase, text, author)
    return None if stored is None else Note(stored.phase, stored.text, stored.author, stored.at)


def notes(archive: Archive, drill_id: str) -> dict[str, Note]:
    """The current note of each phase of the drill that has one, in ``PHASES`` order."""
    current = archive.debrief_notes(drill_id)
    return {p: Note(n.phase, n.text, n.author, n.at) for p in PHASES if (n := current.get(p))}


def history(archive: Archive, drill_id: str, phase: str | None = None) -> list[Note]:
    """Every note saved for the drill (or one phase), oldest first: what was overwritten in
    the boxes is still here."""
    if phase is not None:
        _phase(phase)
    return [Note(n.phase, n.text, n.author, n.at)
            for n in archive.debrief_note_history(drill_id, phase)]
