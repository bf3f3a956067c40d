"""OSCE exam files and the rotation schedule (issue 22): pure and deterministic.

An exam file (YAML, every problem FILE:LINE: field: message like the other data files)::

    id: osce_2026_12                      # lower-case snake case
    title: {en: ..., zh_CN: ..., zh_TW: ...}
    date: "2026-12-01"                    # optional: the exam day (YYYY-MM-DD)
    start: "08:30"                        # optional: the first round's reading bell (HH:MM)
    timing: {reading_s: 60, station_s: 480, changeover_s: 60}
    sessions: 1                           # optional: circuits run one after another
    competencies:                         # optional: the blueprint's competencies
      - {id: technique, label: {en: ..., zh_CN: ..., zh_TW: ...}}
    stations:
      - id: massage                       # the station's id in this exam
        rubric: pph_uterine_massage_station   # a skills station or a drill rubric (id or path)
        examiners: [E01, E02]             # staff ids: everyone who marks at this station
        samples: [technique]              # the competencies this station samples
    candidates: candidates.csv            # a CSV staff_id,name,department (UTF-8 or GBK) ...
    # candidates: [S1001, S1002]          # ... or staff ids of the people registry

The rotation: one circuit of P positions, P = max(candidates, stations) of a session; when a
session has more candidates than stations, rest positions make up the difference. In round r
candidate c (0-based, in file order) is at position (c + r) mod P, so every candidate visits
every position once in P rounds and no two candidates meet at a position. A round is the
reading time, the station time and the changeover; round r of session s starts
``(s * P_before + r) * slot`` seconds after the exam's start.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, field_validator

from simtool.core.catalogue import Id
from simtool.core.errors import Problem, ScenarioError
from simtool.core.inputfile import InputFileError, read_bytes
from simtool.core.limits import MAX_CSV_BYTES, MAX_FILE_ENTRIES, MAX_NAME_CHARS
from simtool.core.schema import Model, Text, build, in_range
from simtool.core.yamlsrc import load_yaml

MAX_CANDIDATES = 2_000        # candidates of one exam (simtool's limit)
MAX_STATION_S = 4 * 3600      # a station's reading, station or changeover time
REST = "rest"                 # the station id of a rest position in a schedule row
CSV_COLUMNS = ("staff_id", "name", "department")
STAFF_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}")

_Seconds = Annotated[int, Field(ge=0), in_range(0, MAX_STATION_S, "s", "simtool's limit")]


class ExamError(ScenarioError):
    """An exam file (or its candidates CSV) failed validation; nothing was recorded."""


class Timing(Model):
    reading_s: _Seconds
    station_s: Annotated[int, Field(ge=1), in_range(1, MAX_STATION_S, "s", "simtool's limit")]
    changeover_s: _Seconds

    @property
    def slot_s(self) -> int:
        return self.reading_s + self.station_s + self.changeover_s


class Competency(Model):
    id: Id
    label: Text


class StationDef(Model):
    id: Id
    rubric: str
    examiners: Annotated[tuple[str, ...], Field(min_length=1, max_length=50)]
    samples: Annotated[tuple[str, ...], Field(max_length=MAX_FILE_ENTRIES)] = ()


class ExamFile(Model):
    format: int = 1
    id: Id
    title: Text
    date: str | None = None
    start: str | None = None
    timing: Timing
    sessions: Annotated[int, Field(ge=1, le=100)] = 1
    competencies: Annotated[tuple[Competency, ...], Field(max_length=MAX_FILE_ENTRIES)] = ()
    stations: Annotated[tuple[StationDef, ...], Field(min_length=1, max_length=100)]
    candidates: str | Annotated[tuple[str, ...], Field(min_length=1, max_length=MAX_CANDIDATES)]

    @field_validator("format")
    @classmethod
    def _format(cls, value: int) -> int:
        if value != 1:
            raise ValueError("this simtool reads exam files of format 1")
        return value


@dataclass(frozen=True)
class Candidate:
    staff_id: str
    name: str | None = None          # from the CSV (None: from the registry by staff id)
    department: str | None = None
    line: int = 0                    # the CSV line (0: the exam file's list)


@dataclass(frozen=True)
class ExamStation:
    id: str
    rubric_id: str
    rubric_path: Path
    kind: str                        # "station" (stand-alone skills station) or "drill"
    examiners: tuple[str, ...]
    samples: tuple[str, ...]
    loaded: Any = field(compare=False, repr=False, default=None)   # the LoadedRubric


@dataclass(frozen=True)
class LoadedExam:
    exam: ExamFile
    path: Path
    stations: tuple[ExamStation, ...]
    candidates: tuple[Candidate, ...]
    text: str

    @property
    def id(self) -> str:
        return self.exam.id

    def definition(self) -> dict[str, Any]:
        """The exam as JSON (what the archive keeps; ``Plan.from_definition`` reads it)."""
        e = self.exam
        return {"id": e.id, "title": e.title.model_dump(), "date": e.date, "start": e.start,
                "timing": e.timing.model_dump(), "sessions": e.sessions,
                "competencies": [{"id": c.id, "label": c.label.model_dump()} for c in e.competencies],
                "stations": [{"id": s.id, "rubric": s.rubric_id, "kind": s.kind,
                              "examiners": list(s.examiners), "samples": list(s.samples)}
                             for s in self.stations],
                "candidates": [{"staff_id": c.staff_id, "name": c.name, "department": c.department}
                               for c in self.candidates]}


# --- reading ---------------------------------------------------------------------------------

def _find_rubric(exam_path: Path, ref: str) -> Path | None:
    from simtool.core.rubric import rubrics_dir
    if ref.endswith((".yaml", ".yml")):
        p = Path(ref)
        p = p if p.is_absolute() else exam_path.parent / p
        return p if p.is_file() else None
    if not re.fullmatch(r"[a-z0-9_]+", ref):
        return None
    for folder in (exam_path.parent / "rubrics", exam_path.parent / "rubrics" / "stations",
                   rubrics_dir() / "stations", rubrics_dir()):
        if (folder / f"{ref}.yaml").is_file():
            return folder / f"{ref}.yaml"
    return None


def _clock(value: str) -> bool:
    return bool(re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value))


def _date(value: str) -> bool:
    try:
        return dt.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def load_exam(path: str | Path, display: str | None = None) -> LoadedExam:
    """Load and validate an exam file, its rubrics and its candidates CSV; ``ExamError``
    listing every problem as FILE:LINE: field: message."""
    path = Path(path)
    name = display or str(path)
    src, problems = load_yaml(path, name, what="exam files")
    if src is None:
        raise ExamError(problems)
    if not isinstance(src.data, dict):
        raise ExamError([src.problem((), "an exam file must be a mapping")])
    ex, problems = build(ExamFile, src)
    if ex is None:
        raise ExamError(problems)
    problems = []

    def add(where: tuple[str | int, ...], message: str) -> None:
        problems.append(src.problem(where, message))

    if ex.date is not None and not _date(ex.date):
        add(("date",), f"{ex.date!r} is not a date written YYYY-MM-DD")
    if ex.start is not None and not _clock(ex.start):
        add(("start",), f"{ex.start!r} is not a time written HH:MM (24-hour)")
    comps = {c.id for c in ex.competencies}
    _unique(add, "competencies", [c.id for c in ex.competencies])
    _unique(add, "stations", [s.id for s in ex.stations])
    examiner_at: dict[str, int] = {}
    stations: list[ExamStation] = []
    for i, st in enumerate(ex.stations):
        where = ("stations", i)
        if st.id == REST:
            add(where + ("id",), f"'{REST}' names the rest positions of a schedule; choose another id")
        for j, staff in enumerate(st.examiners):
            if not STAFF_ID.fullmatch(staff):
                add(where + ("examiners", j), f"{_short(staff)} is not a staff id (letters, digits "
                                              f"and . _ - /, at most 64)")
            elif staff in examiner_at:
                add(where + ("examiners", j), f"examiner {staff} already examines at "
                                              f"stations[{examiner_at[staff]}]; an examiner "
                                              f"marks at one station of an exam")
            examiner_at.setdefault(staff, i)
        for j, c in enumerate(st.samples):
            if c not in comps:
                add(where + ("samples", j), f"unknown competency {_short(c)} (list it under "
                                            f"'competencies')")
        rpath = _find_rubric(path, st.rubric)
        if rpath is None:
            add(where + ("rubric",), f"unknown rubric {_short(st.rubric)} (no rubrics/{st.rubric}"
                                     f".yaml or rubrics/stations/{st.rubric}.yaml)")
            continue
        from simtool.core.rubric import load_rubric
        try:
            rb = load_rubric(rpath)
        except ScenarioError as exc:
            add(where + ("rubric",), f"rubric {st.rubric} has problems: {exc.problems[0]}")
            continue
        kind = "station" if rb.rubric.station is not None else "drill"
        if kind == "drill":
            add(where + ("rubric",), f"rubric {rb.rubric.id} scores a drill of scenario "
                                     f"{rb.rubric.scenario} from its record; an exam station marked "
                                     f"on the examiners' phones is a skills station "
                                     f"(rubrics/stations/)")
            continue
        stations.append(ExamStation(st.id, rb.rubric.id, rpath, kind, st.examiners, st.samples, rb))
    for c in sorted(comps - {s for st in ex.stations for s in st.samples}):
        idx = [x.id for x in ex.competencies].index(c)
        add(("competencies", idx, "id"), f"competency {c} is sampled by no station (the "
                                         f"blueprint leaves it uncovered)")
    candidates: list[Candidate] = []
    if isinstance(ex.candidates, str):
        csv_path = Path(ex.candidates)
        csv_path = csv_path if csv_path.is_absolute() else path.parent / csv_path
        try:
            candidates = read_candidates_csv(csv_path, ex.candidates)
        except ExamError as exc:
            problems += exc.problems
    else:
        seen: dict[str, int] = {}
        for j, staff in enumerate(ex.candidates):
            if not STAFF_ID.fullmatch(staff):
                add(("candidates", j), f"{_short(staff)} is not a staff id")
            elif staff in seen:
                add(("candidates", j), f"candidate {staff} is already listed at candidates[{seen[staff]}]")
            seen.setdefault(staff, j)
            candidates.append(Candidate(staff))
    both = {c.staff_id for c in candidates} & set(examiner_at)
    for staff in sorted(both):
        add(("stations", examiner_at[staff], "examiners"),
            f"{staff} is both a candidate and an examiner of this exam")
    if problems:
        raise ExamError(problems)
    from simtool.core.inputfile import read_text
    text = read_text(path, 4 * 1024 * 1024, "exam files", name)
    return LoadedExam(ex, path, tuple(stations), tuple(candidates), text)


def _unique(add: Any, key: str, ids: list[str]) -> None:
    seen: dict[str, int] = {}
    for i, x in enumerate(ids):
        if x in seen:
            add((key, i, "id"), f"id '{x}' is already used by {key}[{seen[x]}]")
        seen.setdefault(x, i)


def _short(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")


def read_candidates_csv(path: str | Path, display: str | None = None) -> list[Candidate]:
    """Candidates from a CSV ``staff_id,name,department`` (UTF-8, with or without BOM, or GBK:
    ``core.logbookcsv.decode``); ``ExamError`` listing every problem by line."""
    from simtool.core.logbookcsv import decode, text_problem
    name = display or str(path)
    try:
        text = decode(read_bytes(path, MAX_CSV_BYTES, "candidate CSV files", name), name)
    except InputFileError as exc:
        head, _, rest = exc.message.partition(": ")
        if head.startswith("line ") and head[5:].isdigit():
            raise ExamError([Problem(name, int(head[5:]), "-", rest)]) from None
        raise ExamError([Problem(name, 1, "-", exc.message)]) from None
    problems: list[Problem] = []
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ExamError([Problem(name, 1, "-", "empty file: expected the header "
                                              + ",".join(CSV_COLUMNS))]) from None
    except csv.Error as exc:
        raise ExamError([Problem(name, 1, "-", str(exc))]) from None
    if header != list(CSV_COLUMNS):
        found = ",".join(header)
        raise ExamError([Problem(name, 1, "(header)", "expected exactly " + ",".join(CSV_COLUMNS)
                                 + f" (found {_short(found)})")])
    out: list[Candidate] = []
    seen: dict[str, int] = {}
    start = reader.line_num + 1
    try:
        for raw in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in raw):
                continue
            if len(out) + len(problems) >= MAX_CANDIDATES:
                problems.append(Problem(name, line, "-", f"more than {MAX_CANDIDATES:,} candidates "
                                                         f"(simtool's limit for one exam)"))
                break
            if any("\n" in v or "\r" in v for v in raw):
                problems.append(Problem(name, line, "-", f"a quoted field runs from line {line} to "
                                                         f"line {start - 1} (is a closing quote missing?)"))
                continue
            if len(raw) != len(CSV_COLUMNS):
                problems.append(Problem(name, line, "-", f"{len(raw)} fields where the header has "
                                                         f"{len(CSV_COLUMNS)}"))
                continue
            staff, person, dept = (v.strip() for v in raw)
            bad = False
            for col, value in zip(CSV_COLUMNS, (staff, person, dept)):
                why = "empty (required)" if not value and col != "department" else \
                    text_problem(value, MAX_NAME_CHARS)
                if why:
                    problems.append(Problem(name, line, f"{col} (column {CSV_COLUMNS.index(col) + 1})", why))
                    bad = True
            if bad:
                continue
            if not STAFF_ID.fullmatch(staff):
                problems.append(Problem(name, line, "staff_id (column 1)", f"{_short(staff)} is not a "
                                        f"staff id (letters, digits and . _ - /, at most 64)"))
                continue
            if person[:1] in "=+-@":
                problems.append(Problem(name, line, "name (column 2)", f"{_short(person)} starts like "
                                        f"a spreadsheet formula; a name starts with a letter"))
                continue
            if staff in seen:
                problems.append(Problem(name, line, "staff_id (column 1)",
                                        f"candidate {staff} is already listed on line {seen[staff]}"))
                continue
            seen[staff] = line
            out.append(Candidate(staff, person, dept or None, line))
    except csv.Error as exc:
        problems.append(Problem(name, start, "-", str(exc)))
    if problems:
        raise ExamError(problems)
    if not out:
        raise ExamError([Problem(name, 1, "-", "no candidates below the header")])
    return out


# --- the schedule ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Slot:
    """One candidate at one position in one round."""

    candidate: str          # staff id
    station: str            # a station id, or "rest"
    session: int            # 0-based
    round: int              # 1-based over the whole exam
    position: int           # 0-based within the session's circuit
    start_s: int            # the reading bell, seconds after the exam's start

    def to_dict(self, start: str | None = None) -> dict[str, Any]:
        return {"candidate": self.candidate, "station": self.station, "round": self.round,
                "start": clock_at(start, self.start_s), "start_s": self.start_s,
                "session": self.session + 1}


def clock_at(start: str | None, offset_s: int) -> str:
    """The wall-clock time of ``offset_s`` after ``start`` (HH:MM or HH:MM:SS), or the offset
    itself (+H:MM:SS) when the exam has no start time."""
    if start is None:
        h, rem = divmod(int(offset_s), 3600)
        return f"+{h}:{rem // 60:02d}:{rem % 60:02d}"
    hh, mm, *ss = (int(x) for x in start.split(":"))
    total = hh * 3600 + mm * 60 + (ss[0] if ss else 0) + int(offset_s)
    day, total = divmod(total, 86400)
    out = f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"
    return out + (f" (+{day}d)" if day else "")


@dataclass(frozen=True)
class Schedule:
    slots: tuple[Slot, ...]
    rounds: int
    slot_s: int
    reading_s: int
    station_s: int

    @property
    def duration_s(self) -> int:
        return self.rounds * self.slot_s

    def at(self, station: str, round_: int) -> Slot | None:
        return next((s for s in self.slots if s.station == station and s.round == round_), None)

    def of_candidate(self, staff_id: str) -> list[Slot]:
        return [s for s in self.slots if s.candidate == staff_id]

    def of_station(self, station: str) -> list[Slot]:
        return [s for s in self.slots if s.station == station]

    def round_at(self, t_s: float) -> int | None:
        """The round under way ``t_s`` seconds after the exam's start (1-based; None before
        the start or after the last round)."""
        if t_s < 0 or t_s >= self.duration_s:
            return None
        return int(t_s // self.slot_s) + 1

    def phase_at(self, t_s: float) -> tuple[str, float]:
        """What the bell says at ``t_s``: ('before'|'reading'|'station'|'changeover'|'over',
        seconds left in that phase)."""
        if t_s < 0:
            return "before", -t_s
        if t_s >= self.duration_s:
            return "over", 0.0
        into = t_s % self.slot_s
        if into < self.reading_s:
            return "reading", self.reading_s - into
        if into < self.reading_s + self.station_s:
            return "station", self.reading_s + self.station_s - into
        return "changeover", self.slot_s - into


def schedule(stations: list[str] | tuple[str, ...], candidates: list[str] | tuple[str, ...],
             timing: Timing, sessions: int = 1) -> Schedule:
    """The rotation of ``candidates`` (staff ids, in order) through ``stations`` (ids), in
    ``sessions`` circuits one after another (candidates split as evenly as possible, the
    first sessions taking one more). Deterministic."""
    if not stations or not candidates:
        raise ValueError("a schedule needs at least one station and one candidate")
    sessions = max(1, min(int(sessions), len(candidates)))
    base, extra = divmod(len(candidates), sessions)
    slots: list[Slot] = []
    first, round_base = 0, 0
    for s in range(sessions):
        group = list(candidates[first:first + base + (1 if s < extra else 0)])
        first += len(group)
        positions = list(stations) + [REST] * max(0, len(group) - len(stations))
        p = len(positions)
        for r in range(p):
            for c, cand in enumerate(group):
                pos = (c + r) % p
                rnd = round_base + r + 1
                slots.append(Slot(cand, positions[pos], s, rnd, pos, (rnd - 1) * timing.slot_s))
        round_base += p
    slots.sort(key=lambda x: (x.round, x.position))
    return Schedule(tuple(slots), round_base, timing.slot_s, timing.reading_s, timing.station_s)


def blueprint(stations: list[dict[str, Any]], competencies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each competency with the stations that sample it (the blueprint's coverage)."""
    return [{"competency": c["id"], "label": c["label"],
             "stations": [s["id"] for s in stations if c["id"] in s.get("samples", ())]}
            for c in competencies]


__all__ = ["Candidate", "ExamError", "ExamStation", "LoadedExam", "REST", "Schedule", "Slot",
           "Timing", "blueprint", "clock_at", "load_exam", "read_candidates_csv", "schedule"]
