"""The bundled fonts, registered with reportlab once, and per-character fallback to CJK.

Every font is a glyf TrueType file in ``assets/fonts`` (reportlab embeds — subsets — only
those; CFF-based OpenType such as Noto CJK it cannot embed). DejaVu Sans draws Latin,
Greek, arrows and the subscript ₂; Droid Sans Fallback draws simplified and traditional
Chinese. A text is split into runs, each drawn in the first font holding all its
characters, so an English report quoting a Chinese guideline shows Chinese, not boxes.

Names and notes are data and may hold anything: a character no bundled font has (a rare
emoji), a control character (an escape sequence), a bidi override or a lone surrogate is
drawn as U+FFFD (the replacement character, which DejaVu Sans has) — never an empty box, a
crash in reportlab, or text that reorders what follows. ``fit`` shortens a text with an
ellipsis where it must stay on one line or in a cell that cannot grow past a page.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from simtool.core.errors import SimtoolError
from simtool.core.paths import data_root

SANS, SANS_BOLD, CJK = "SimSans", "SimSans-Bold", "SimCJK"
FILES = {SANS: "DejaVuSans.ttf", SANS_BOLD: "DejaVuSans-Bold.ttf", CJK: "DroidSansFallbackFull.ttf"}
FALLBACK = (SANS, CJK)  # tried in this order for each character
REPLACEMENT = "\ufffd"  # drawn for a character no bundled font has, or one never to draw
ELLIPSIS = "\u2026"
# controls (C0 but line feed and tab, DEL, C1), bidi marks, embeddings, overrides and isolates,
# lone surrogates, and noncharacters: never drawn as themselves
_NEVER_DRAWN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                          "\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def font_dir() -> Path:
    """The bundled fonts: the checkout's assets/fonts, or the wheel's package data."""
    return data_root() / "assets" / "fonts"


class FontError(SimtoolError):
    """A bundled font file is missing, or a text holds a character no bundled font has."""


@lru_cache(maxsize=1)
def register_fonts() -> dict[str, TTFont]:
    """Register the bundled fonts with reportlab (once per process); name → font."""
    fonts: dict[str, TTFont] = {}
    for name, file in FILES.items():
        path = font_dir() / file
        if not path.is_file():
            raise FontError(f"font file missing: {path} (reinstall simtool)")
        fonts[name] = TTFont(name, str(path))
        pdfmetrics.registerFont(fonts[name])
    # <b> inside a paragraph maps SimSans to its bold face; CJK has no bold face of its own
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS)
    addMapping(SANS, 1, 1, SANS_BOLD)
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(CJK, bold, italic, CJK)
    return fonts


@lru_cache(maxsize=None)
def _cmap(name: str) -> frozenset[int]:
    return frozenset(register_fonts()[name].face.charToGlyph)


def has_glyph(font: str, ch: str) -> bool:
    """Whether ``font`` draws ``ch`` (line breaks and tabs count as drawable: never painted)."""
    return ch in "\n\t" or ord(ch) in _cmap(font)


def font_for(ch: str, preferred: str = SANS) -> str:
    """The font a character is drawn with: ``preferred`` if it has it, else the fallback."""
    if has_glyph(preferred, ch):
        return preferred
    for name in FALLBACK:
        if has_glyph(name, ch):
            return name
    raise FontError(f"no bundled font has the character {ch!r} (U+{ord(ch):04X})")


def drawable(text: object, one_line: bool = False) -> str:
    """``text`` with every character that must not be drawn as itself replaced by U+FFFD
    (``one_line``: line breaks and tabs become spaces; elsewhere a tab is a space)."""
    s = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    s = _NEVER_DRAWN.sub(REPLACEMENT, s)
    return s.replace("\n", " ") if one_line else s


def fit(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last an ellipsis, if it is longer."""
    return text if len(text) <= limit else text[:max(limit - 1, 0)].rstrip() + ELLIPSIS


def _font_or_replacement(ch: str, preferred: str) -> tuple[str, str]:
    try:
        return font_for(ch, preferred), ch
    except FontError:  # no bundled font has it (a rare emoji, a private-use character)
        return font_for(REPLACEMENT, preferred), REPLACEMENT


def runs(text: str, preferred: str = SANS) -> list[tuple[str, str]]:
    """``text`` as (font, run) pairs, consecutive characters of one font joined; what no
    font has, or must not be drawn, is U+FFFD."""
    out: list[tuple[str, str]] = []
    for ch in drawable(text):
        f, ch = _font_or_replacement(ch, preferred)
        if out and out[-1][0] == f:
            out[-1] = (f, out[-1][1] + ch)
        else:
            out.append((f, ch))
    return out


class Drawn:
    """Every (font, text) a renderer draws, so a test can check each glyph exists."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def markup(self, text: str, preferred: str = SANS) -> str:
        """Paragraph markup for plain ``text``: escaped, each run in its font (``preferred``,
        e.g. ``SANS_BOLD``, where that font has the characters, else the CJK font)."""
        parts = []
        for f, run in runs(text, preferred):
            self.items.append((f, run))
            body = escape(run).replace("\n", "<br/>")
            parts.append(f'<font face="{f}">{body}</font>')  # explicit: <b> would pick another face
        return "".join(parts)

    def runs(self, text: str, preferred: str = SANS) -> list[tuple[str, str]]:
        """(font, run) pairs for one line drawn run by run (chart labels, page header/footer)."""
        parts = runs(drawable(text, one_line=True), preferred)
        self.items.extend(parts)
        return parts

    def missing(self) -> list[tuple[str, str]]:
        """(font, character) pairs drawn in a font that lacks the character."""
        return sorted({(f, ch) for f, text in self.items for ch in text if not has_glyph(f, ch)})
