"""Reading exam scores and Angoff judgements from CSV, every problem as FILE:LINE: column: message.

Scores: one row per candidate × station × examiner, columns ``candidate, station, examiner,
checklist, global`` and optional ``item:<id>`` columns (item scores, e.g. 0/1). ``global`` is
a number or a grade of the rubrics' global rating (``clear_fail`` 1, ``borderline`` 2,
``clear_pass`` 3, ``good`` 4, ``excellent`` 5).

Angoff judgements: one row per judge × station, columns ``station, judge`` and ``item:<id>``
columns holding the probability (0–1) that a borderline candidate gets the item right.

A file with problems raises ``ScoresCsvError`` listing all of them (not just the first).

Files are UTF-8 (with or without the BOM Excel writes for "CSV UTF-8") unless another encoding
is named (``gbk`` for a file Excel saved as plain "CSV" on a Chinese Windows). Only a regular
file of at most ``MAX_CSV_BYTES`` with at most ``MAX_CSV_ROWS`` rows is read, and every number
is finite and at most ``MAX_SCORE_VALUE`` in size.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

from simtool.core.errors import FileProblemsError, Problem
from simtool.core.inputfile import InputFileError, read_bytes
from simtool.core.limits import MAX_CSV_BYTES, MAX_CSV_ROWS, MAX_SCORE_VALUE, number

GRADES = {"clear_fail": 1.0, "borderline": 2.0, "clear_pass": 3.0, "good": 4.0, "excellent": 5.0}
SCORE_COLUMNS = ("candidate", "station", "examiner", "checklist", "global")
ANGOFF_COLUMNS = ("station", "judge")
ITEM_PREFIX = "item:"


class ScoresCsvError(FileProblemsError):
    """A scores or Angoff CSV file has one or more problems."""


@dataclass(frozen=True)
class ScoreRow:
    candidate: str
    station: str
    examiner: str
    checklist: float
    grade: float                      # the global rating as a number
    items: dict[str, float] = field(default_factory=dict)
    line: int = 0


def grade_value(text: str) -> float | None:
    """A global grade as a number: a number as written, or a named grade's value."""
    t = text.strip()
    if t.lower() in GRADES:
        return GRADES[t.lower()]
    return _number(t)


def _number(text: str) -> float | None:
    """A finite number no larger than MAX_SCORE_VALUE, or None."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and abs(value) <= MAX_SCORE_VALUE else None


def _not_a_number(text: str) -> str:
    """Why ``text`` is refused as a number (``_number`` returned None for it)."""
    try:
        value = float(text)
    except ValueError:
        return f"'{text}' is not a number"
    if not math.isfinite(value):
        return f"'{text}' is not a finite number"
    return f"'{text}' is out of range (at most {number(MAX_SCORE_VALUE)} either way: simtool's limit)"
GBK_HINT = ("if it was saved by Excel in Chinese, save it as 'CSV UTF-8' or pass --encoding gbk")


def decode(data: bytes, name: str, encoding: str = "utf-8") -> str:
    """The text of a CSV file; ``InputFileError`` naming the line of the first undecodable byte."""
    codec = "utf-8-sig" if encoding.replace("_", "-").lower() in ("utf-8", "utf8") else encoding
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        byte = data[exc.start:exc.start + 1].hex()
        if codec == "utf-8-sig":
            raise InputFileError(name, f"line {line}: not UTF-8 (byte 0x{byte}): {GBK_HINT}") from None
        raise InputFileError(name, f"line {line}: not {encoding} text (byte 0x{byte})") from None
    except LookupError:
        raise InputFileError(name, f"unknown encoding '{encoding}'") from None


def _rows(path: Path, required: tuple[str, ...], problems: list[Problem],
          encoding: str = "utf-8") -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    name = str(path)
    try:
        text = decode(read_bytes(path, MAX_CSV_BYTES, "score and Angoff CSV files"), name, encoding)
    except InputFileError as exc:
        line, _, message = exc.message.partition(": ") if exc.message.startswith("line ") else ("", "", exc.message)
        problems.append(Problem(name, int(line[5:]) if line else 1, "-", message))
        return [], []
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        problems.append(Problem(name, 1, "-", "empty file: expected a header row"))
        return [], []
    except csv.Error as exc:
        problems.append(Problem(name, 1, "-", str(exc)))
        return [], []
    for col in required:
        if col not in header:
            problems.append(Problem(name, 1, col, "missing column"))
    seen: set[str] = set()
    for h in header:
        if h in seen:
            problems.append(Problem(name, 1, h, "column appears twice"))
        seen.add(h)
        if h not in required and not (h.startswith(ITEM_PREFIX) and len(h) > len(ITEM_PREFIX)):
            problems.append(Problem(name, 1, h or "(blank)",
                                    f"unknown column (expected {', '.join(required)} or item:<id>)"))
    out: list[tuple[int, dict[str, str]]] = []
    start = reader.line_num + 1
    try:
        for row in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in row):
                continue
            if len(out) >= MAX_CSV_ROWS:
                problems.append(Problem(name, line, "-", f"more than {MAX_CSV_ROWS:,} rows "
                                                         "(simtool's limit for one file)"))
                break
            if len(row) != len(header):
                problems.append(Problem(name, line, "-",
                                        f"{len(row)} fields where the header has {len(header)}"))
                continue
            out.append((line, {h: v.strip() for h, v in zip(header, row)}))
    except csv.Error as exc:
        problems.append(Problem(name, start, "-", str(exc)))
    return header, out


def read_scores(path: str | Path, encoding: str = "utf-8") -> list[ScoreRow]:
    """The rows of a scores CSV; ``ScoresCsvError`` lists every problem found."""
    p = Path(path)
    name = str(p)
    problems: list[Problem] = []
    header, rows = _rows(p, SCORE_COLUMNS, problems, encoding)
    if any(x.line == 1 for x in problems):  # a header problem would repeat on every row
        raise ScoresCsvError(problems)
    items = [h for h in header if h.startswith(ITEM_PREFIX)]
    out: list[ScoreRow] = []
    keys: dict[tuple[str, str, str], int] = {}
    for line, r in rows:
        bad = len(problems)
        for col in ("candidate", "station", "examiner"):
            if not r.get(col):
                problems.append(Problem(name, line, col, "empty"))
        checklist = _number(r.get("checklist", ""))
        if checklist is None:
            problems.append(Problem(name, line, "checklist", _not_a_number(r.get('checklist', ''))))
        grade = grade_value(r.get("global", ""))
        if grade is None:
            problems.append(Problem(name, line, "global", f"{_not_a_number(r.get('global', ''))} "
                                                          f"or a grade ({', '.join(GRADES)})"))
        values: dict[str, float] = {}
        for col in items:
            v = _number(r[col])
            if v is None:
                problems.append(Problem(name, line, col, _not_a_number(r[col])))
            else:
                values[col[len(ITEM_PREFIX):]] = v
        key = (r.get("candidate", ""), r.get("station", ""), r.get("examiner", ""))
        if all(key) and key in keys:
            problems.append(Problem(name, line, "examiner", f"candidate {key[0]} at station {key[1]} "
                                                            f"is already scored by {key[2]} on line {keys[key]}"))
        keys.setdefault(key, line)
        if len(problems) == bad and checklist is not None and grade is not None:
            out.append(ScoreRow(*key, checklist, grade, values, line))
    if problems:
        raise ScoresCsvError(problems)
    if not out:
        raise ScoresCsvError([Problem(name, 1, "-", "no score rows")])
    return out


def read_angoff(path: str | Path, encoding: str = "utf-8") -> dict[str, dict[str, dict[str, float]]]:
    """``{station: {judge: {item: probability}}}`` from an Angoff judgements CSV."""
    p = Path(path)
    name = str(p)
    problems: list[Problem] = []
    header, rows = _rows(p, ANGOFF_COLUMNS, problems, encoding)
    items = [h for h in header if h.startswith(ITEM_PREFIX)]
    if not items and header:
        problems.append(Problem(name, 1, "item:<id>", "no item columns"))
    out: dict[str, dict[str, dict[str, float]]] = {}
    for line, r in rows:
        station, judge = r.get("station", ""), r.get("judge", "")
        for col, v in (("station", station), ("judge", judge)):
            if not v:
                problems.append(Problem(name, line, col, "empty"))
        values: dict[str, float] = {}
        for col in items:
            if r[col] == "":
                continue  # an item this station does not have
            v = _number(r[col])
            if v is None or not 0 <= v <= 1:
                problems.append(Problem(name, line, col, f"'{r[col]}' is not a probability from 0 to 1"))
            else:
                values[col[len(ITEM_PREFIX):]] = v
        if station and judge:
            if judge in out.get(station, {}):
                problems.append(Problem(name, line, "judge", f"judge {judge} already rated station {station}"))
            out.setdefault(station, {})[judge] = values
    if problems:
        raise ScoresCsvError(problems)
    if not out:
        raise ScoresCsvError([Problem(name, 1, "-", "no judgement rows")])
    return out
