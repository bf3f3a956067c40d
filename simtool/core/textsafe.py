"""Text from people and files, made safe to show: on a terminal and in a spreadsheet cell.

Names, ids, notes and messages come from the archive, from bundles and from data files; they
are data, never instructions. ``printable(text)`` escapes every character that could drive a
terminal or reorder what it shows — the C0 and C1 controls (ESC among them), DEL, the bidi
embeddings, overrides and isolates, and lone surrogates (which cannot even be encoded) — as
``\\x1b`` / ``\\u202e``, so a name holding an escape sequence prints as text. Use it at each
line printed for a person to read; JSON output needs nothing (``json.dumps`` escapes controls).

``spreadsheet_safe(text)`` neutralises a CSV cell a spreadsheet would read as a formula: a
cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
``'``. Apply it to text from people and data, not to the numbers simtool formats itself.
"""

from __future__ import annotations

import re

# C0 controls, DEL and C1 controls; the bidi embeddings/overrides (U+202A-U+202E), the bidi
# isolates (U+2066-U+2069), the Arabic letter mark and the LRM/RLM marks; lone surrogates
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """``text`` (any object, as ``str``) as one line with terminal-driving characters escaped
    (a line feed too: a name cannot start a line that looks like simtool's own)."""
    return _UNSAFE.sub(_escape, str(text))


def spreadsheet_safe(text: object) -> str:
    """A CSV cell's text that no spreadsheet evaluates: a leading ``'`` before ``= + - @``,
    tab or carriage return. ``None`` is the empty cell."""
    if text is None:
        return ""
    s = str(text)
    return "'" + s if s.startswith(FORMULA_STARTS) else s
