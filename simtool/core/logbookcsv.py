"""Reading a logbook CSV (issue 20): one procedure a line, every problem as
FILE:LINE: column N (name): message.

Header: ``staff_id,date,procedure,level,supervisor,site,case_ref,complications``.
``date`` is YYYY-MM-DD; ``level`` is independent, supervised or assisted; ``case_ref`` is an
anonymous case reference (never a patient's name or record number: that is the user's
responsibility, simtool only keeps it to one short line); ``complications`` may be empty
(none). The file is UTF-8, with or without the BOM Excel writes, or GBK (what Excel saves as
plain "CSV" on a Chinese Windows): UTF-8 is tried first, then GBK.

Only the shape of each field is checked here; whether the trainee, the supervisor and the
procedure exist is for ``simtool.app.logbook``, which has the archive and the programmes.
A file with problems raises ``LogbookCsvError`` listing all of them.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from simtool.core.errors import FileProblemsError, Problem
from simtool.core.inputfile import InputFileError, read_bytes
from simtool.core.limits import MAX_CSV_BYTES, MAX_CSV_ROWS, MAX_NAME_CHARS, MAX_REASON_CHARS
from simtool.core.programme import LEVELS

COLUMNS = ("staff_id", "date", "procedure", "level", "supervisor", "site", "case_ref",
           "complications")
OPTIONAL = ("site", "complications")


class LogbookCsvError(FileProblemsError):
    """A logbook CSV file has one or more problems; nothing was imported."""


@dataclass(frozen=True)
class LogbookRow:
    line: int
    staff_id: str
    date: str
    procedure: str
    level: str
    supervisor: str
    site: str | None
    case_ref: str
    complications: str | None


def column(name: str) -> str:
    """How a problem names a column: ``level (column 4)``."""
    return f"{name} (column {COLUMNS.index(name) + 1})"


def decode(data: bytes, name: str) -> str:
    """UTF-8 (BOM or not), else GBK; ``InputFileError`` naming the line of the first byte
    that is neither. UTF-16 (what "Unicode text" in Excel saves) is named as such, and a file
    that is not UTF-8 and reads as GBK only through rare characters outside GB2312 — Latin-1
    or Windows-1252 accents ("é" then a letter is also a GBK pair) — is refused rather than
    read as nonsense."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or max(data[0:40:2].count(0),
                                                        data[1:40:2].count(0)) > 8:
        raise InputFileError(name, "line 1: UTF-16 text; save it as CSV UTF-8 (or GBK)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("gbk")
        except UnicodeDecodeError as gbk:   # named where GBK fails: a GBK file with one bad byte
            at = max(exc.start, gbk.start)
            line = data[:at].count(b"\n") + 1
            raise InputFileError(name, f"line {line}: neither UTF-8 nor GBK text "
                                       f"(byte 0x{data[at:at + 1].hex()})") from None
        for number, row in enumerate(text.split("\n"), start=1):
            try:
                row.encode("gb2312")
            except UnicodeEncodeError as odd:
                char = row[odd.start]
                raise InputFileError(name, f"line {number}: not UTF-8, and as GBK it would read "
                                           f"{char!r}, a rare character: is it Latin-1 or another "
                                           f"encoding? Save it as CSV UTF-8") from None
        return text


def text_problem(value: str, limit: int) -> str | None:
    """Why ``value`` is not one line of at most ``limit`` characters (None when it is)."""
    if len(value) > limit:
        return f"{len(value):,} characters; at most {limit:,}"
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") for c in value):
        return "contains a control character"
    return None


# what a case reference must not look like: it is anonymous (a patient is never named in a
# logbook, nor identified by a number another system keeps)
_ID_CARD = re.compile(r"(?<!\d)\d{17}[\dXx](?![\dXx])")       # a resident identity card number
_LONG_NUMBER = re.compile(r"\d(?:[\s\-.]?\d){7,}")             # a phone or record number
_HAN_NAME = re.compile(r"[\u3400-\u9fff]{2,4}")                  # a Chinese personal name
_EMAIL = re.compile(r"\S@\S")
MAX_CASE_REF_CHARS = 40
_CASE_REF_MARKS = " -_/.#:()"   # with letters and digits: no formula, markup or quote


def case_ref_problem(value: str) -> str | None:
    """Why ``value`` is not an anonymous case reference (None when it may be one): too long,
    or it looks like an identity card, phone or record number, an e-mail address or a
    person's name — Chinese characters alone, or letters without a number (a reference is a
    code such as PVB-014)."""
    if len(value) > MAX_CASE_REF_CHARS:
        return (f"{len(value):,} characters; a case reference is short (at most "
                f"{MAX_CASE_REF_CHARS}), e.g. PVB-014")
    odd = next((c for c in value if not (c.isalnum() or c in _CASE_REF_MARKS)), None)
    if odd is not None:
        return (f"{odd!r} is not allowed: a case reference holds only letters, digits, spaces "
                f"and {' '.join(_CASE_REF_MARKS.strip())} (e.g. PVB-014)")
    why = None
    if _ID_CARD.search(value):
        why = "an identity card number"
    elif _LONG_NUMBER.search(value):
        why = "a phone or medical record number (8 or more digits)"
    elif _EMAIL.search(value):
        why = "an e-mail address"
    elif _HAN_NAME.fullmatch(value):
        why = "a person's name"
    elif not any(c.isdigit() for c in value):
        # letters alone — "Mary Smith", "wang fang", "SMITH" — may name the patient; a case
        # reference is a code with a number in it
        why = "a person's name (letters without a number)"
    if why:
        return (f"looks like {why}; a case reference must be anonymous (e.g. PVB-014), "
                f"never something that identifies the patient")
    return None


def field_problems(fields: dict[str, str]) -> list[tuple[str, str]]:
    """Each problem of one entry's fields (stripped text by column name, trainee and
    supervisor as staff ids) as (column, message): what a CSV row and an entry typed in the
    app must both pass."""
    out: list[tuple[str, str]] = []
    for col in COLUMNS:
        value = fields.get(col) or ""
        if not value and col not in OPTIONAL:
            out.append((col, "empty (required)"))
            continue
        problem = text_problem(value, MAX_REASON_CHARS if col == "complications" else MAX_NAME_CHARS)
        if problem:
            out.append((col, problem))
        elif col == "case_ref":
            problem = case_ref_problem(value)
            if problem:
                out.append((col, problem))
    date = fields.get("date") or ""
    if date:
        try:
            if dt.date.fromisoformat(date).isoformat() != date:
                raise ValueError
        except ValueError:
            out.append(("date", f"{_short(date)} is not a date written YYYY-MM-DD"))
    level = fields.get("level") or ""
    if level and level not in LEVELS:
        out.append(("level", f"{_short(level)} is not one of {', '.join(LEVELS)}"))
    return out


def _short(value: str) -> str:
    """A value quoted for a message, cut when long."""
    return repr(value if len(value) <= 60 else value[:57] + "...")


def _check(line: int, fields: dict[str, str], add) -> LogbookRow | None:  # noqa: ANN001
    problems = field_problems(fields)
    for col, message in problems:
        add(line, col, message)
    if problems:
        return None
    return LogbookRow(line=line, staff_id=fields["staff_id"], date=fields["date"],
                      procedure=fields["procedure"], level=fields["level"],
                      supervisor=fields["supervisor"], site=fields["site"] or None,
                      case_ref=fields["case_ref"], complications=fields["complications"] or None)


def read_logbook_csv(path: str | Path, display: str | None = None) -> list[LogbookRow]:
    """Every row of a logbook CSV, or ``LogbookCsvError`` listing every problem."""
    name = display or str(path)
    problems: list[Problem] = []

    def add(line: int, col: str, message: str) -> None:
        problems.append(Problem(name, line, column(col) if col in COLUMNS else col, message))

    try:
        text = decode(read_bytes(path, MAX_CSV_BYTES, "logbook CSV files", name), name)
    except InputFileError as exc:
        head, _, rest = exc.message.partition(": ")
        if head.startswith("line ") and head[5:].isdigit():
            raise LogbookCsvError([Problem(name, int(head[5:]), "-", rest)]) from None
        raise LogbookCsvError([Problem(name, 1, "-", exc.message)]) from None
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise LogbookCsvError([Problem(name, 1, "-", "empty file: expected the header "
                                                     + ",".join(COLUMNS))]) from None
    except csv.Error as exc:
        raise LogbookCsvError([Problem(name, 1, "-", str(exc))]) from None
    if header != list(COLUMNS):
        found = ",".join(header)
        found = found if len(found) <= 120 else found[:117] + "..."
        raise LogbookCsvError([Problem(name, 1, "(header)", "expected exactly "
                                       + ",".join(COLUMNS) + f" (found {found})")])
    rows: list[LogbookRow] = []
    count = 0
    start = reader.line_num + 1
    try:
        for raw in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in raw):
                continue
            count += 1
            if count > MAX_CSV_ROWS:
                add(line, "-", f"more than {MAX_CSV_ROWS:,} rows (simtool's limit for one file)")
                break
            if any("\n" in v or "\r" in v for v in raw):
                add(line, "-", f"a quoted field runs from line {line} to line {start - 1} (is a "
                               f"closing quote missing?)")
                continue
            if len(raw) != len(COLUMNS):
                add(line, "-", f"{len(raw)} fields where the header has {len(COLUMNS)}")
                continue
            row = _check(line, {c: v.strip() for c, v in zip(COLUMNS, raw)}, add)
            if row is not None:
                rows.append(row)
    except csv.Error as exc:
        message = str(exc)
        if "field larger than field limit" in message:
            message = (f"a field longer than {csv.field_size_limit():,} characters (is a "
                       f"closing quote missing?)")
        add(start, "-", message)
    if problems:
        raise LogbookCsvError(problems)
    if not rows:
        raise LogbookCsvError([Problem(name, 1, "-", "no entries below the header")])
    return rows
