"""Real cases beside drills (issue 21): a real PPH (or LAST, or PAS) case's timeline entered
after the event — from a file (``simtool cases import``) or typed in the window's "Real
case…" form — judged by the scenario's own indicator definitions and kept as a real case,
never as a drill (``simtool.store.cases``).

The file has the shape of a drill script (``simtool.core.script``: ``duration_s``, timed
``actions`` and ``forces``), in YAML, or a CSV of timed actions with the header
``t,action[,dose,unit,route,by]`` (any order; ``t`` in seconds or ``m:ss`` / ``h:mm:ss``
from the start; a row whose action is ``end`` ends the case, else it ends at its last
action). Every problem is ``FILE:LINE: field: message``, and nothing is written until the
whole case is good.

The case is scored by playing its timeline through the drill engine (``core.runner.run_script``)
and judging ``core.assess.all_indicators``: the definitions a drill's indicators come from, so
a case with a drill's timeline gives that drill's indicator values.

A case holds no patient identifiers and no one's name: what can name a person in a drill
script (participants' names and staff ids, examiners, notes, the reason for a forced state) is
left out and said so, an action's ``by`` is kept as the role alone, and the case reference
must look anonymous (``core.logbookcsv.case_ref_problem``, the logbook's rule); a column or
key that is not a script's — ``patient``, ``name``, ``mrn`` — is refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simtool.core.errors import Problem, ScenarioError, SimtoolError
from simtool.core.inputfile import InputFileError, read_bytes
from simtool.core.limits import (MAX_CSV_BYTES, MAX_NAME_CHARS, MAX_REASON_CHARS, MAX_SCRIPT_ACTIONS,
                                 MAX_SCRIPT_BYTES)
from simtool.core.logbookcsv import case_ref_problem, decode, text_problem
from simtool.core.scenario import LoadedScenario
from simtool.core.script import Script, script_from_source
from simtool.core.yamlsrc import Source, load_yaml
from simtool.store import Archive
from simtool.store.errors import ArchiveError

CSV_COLUMNS = ("t", "action", "dose", "unit", "route", "by")
SCRIPT_KEYS = ("duration_s", "participants", "examiners", "actions", "forces", "notes")
END = "end"   # a CSV row's action that ends the case at its time


class CaseError(SimtoolError):
    """A case that cannot be kept; nothing was written. ``field`` names the field at fault
    (``scenario``, ``date``, ``site``, ``department``, ``case_ref``, ``timeline``, ``file``)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class CaseKept:
    id: int
    case_ref: str
    scenario_id: str
    date: str
    indicators: list[dict[str, Any]]
    left_out: list[str] = field(default_factory=list)   # what was stripped, said to the user

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "case_ref": self.case_ref, "scenario_id": self.scenario_id,
                "date": self.date, "indicators": self.indicators, "left_out": self.left_out}


# --- reading a timeline --------------------------------------------------------------------------
def _seconds(text: str) -> float | str:
    """``95``, ``95.5``, ``1:35`` or ``1:01:35`` as seconds; the text itself when it is none
    of these (the model then names it)."""
    parts = text.split(":")
    try:
        if len(parts) == 1:
            value = float(text)
        elif 2 <= len(parts) <= 3 and all(p.strip().isdigit() for p in parts[:-1]):
            value = float(parts[-1])
            if not 0 <= value < 60 or (len(parts) == 3 and int(parts[1]) >= 60):
                return text
            for p, scale in zip(reversed(parts[:-1]), (60, 3600)):
                value += int(p) * scale
        else:
            return text
    except ValueError:
        return text
    return value if math.isfinite(value) else text


def read_csv_timeline(path: str | Path, display: str | None = None) -> Source:
    """A CSV of timed actions as script data, with the line of each row; ``ScenarioError``
    listing every problem of the file's shape (the scenario's checks come after)."""
    name = display or str(path)

    def refuse(line: int, where: str, message: str) -> ScenarioError:
        return ScenarioError([Problem(name, line, where, message)])

    try:
        text = decode(read_bytes(path, MAX_CSV_BYTES, "real case timelines", name), name)
    except InputFileError as exc:
        head, _, rest = exc.message.partition(": ")
        if head.startswith("line ") and head[5:].isdigit():
            raise refuse(int(head[5:]), "-", rest) from None
        raise refuse(1, "-", exc.message) from None
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise refuse(1, "-", "empty file: expected a header such as t,action,dose,unit,route,by") from None
    except csv.Error as exc:
        raise refuse(1, "-", str(exc)) from None
    for col in header:
        if col not in CSV_COLUMNS:
            shown = col if len(col) <= 40 else col[:37] + "..."
            raise refuse(1, "(header)", f"column {shown!r} is not allowed: a real case holds "
                                        f"timed actions only, no names or free text (columns: "
                                        f"{', '.join(CSV_COLUMNS)})")
    if len(set(header)) != len(header):
        raise refuse(1, "(header)", "a column is named twice")
    if "t" not in header or "action" not in header:
        raise refuse(1, "(header)", "needs the columns t and action (and may have dose, unit, "
                                    "route, by)")
    problems: list[Problem] = []
    actions: list[dict[str, Any]] = []
    lines: dict[tuple[str | int, ...], int] = {(): 1}
    end: tuple[float, int] | None = None
    start = reader.line_num + 1
    try:
        for raw in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in raw):
                continue
            if len(actions) >= MAX_SCRIPT_ACTIONS:
                problems.append(Problem(name, line, "-", f"more than {MAX_SCRIPT_ACTIONS:,} "
                                                         f"actions (simtool's limit)"))
                break
            if any("\n" in v or "\r" in v for v in raw):
                problems.append(Problem(name, line, "-", f"a quoted field runs from line {line} "
                                                         f"to line {start - 1} (is a closing "
                                                         f"quote missing?)"))
                continue
            if len(raw) != len(header):
                problems.append(Problem(name, line, "-", f"{len(raw)} fields where the header "
                                                         f"has {len(header)}"))
                continue
            cells = {c: v.strip() for c, v in zip(header, raw)}
            bad = next((c for c, v in cells.items() if text_problem(v, MAX_NAME_CHARS)), None)
            if bad is not None:
                problems.append(Problem(name, line, bad, text_problem(cells[bad], MAX_NAME_CHARS) or ""))
                continue
            t = _seconds(cells["t"]) if cells["t"] else None
            if cells["action"] == END:
                if end is not None:
                    problems.append(Problem(name, line, "action", f"a second end (the first is "
                                                                  f"on line {end[1]})"))
                elif not isinstance(t, float):
                    problems.append(Problem(name, line, "t", "the end needs its time"))
                else:
                    end = (t, line)
                continue
            item: dict[str, Any] = {"t": t, "action": cells["action"] or None}
            for col in ("dose", "unit", "route", "by"):
                if cells.get(col):
                    item[col] = cells[col]
            if "dose" in item:
                try:
                    dose = float(item["dose"])
                    if math.isfinite(dose):
                        item["dose"] = dose
                except ValueError:
                    pass
            i = len(actions)
            lines[("actions", i)] = line
            for col in item:
                lines[("actions", i, col)] = line
            actions.append(item)
    except csv.Error as exc:
        problems.append(Problem(name, start, "-", str(exc)))
    if problems:
        raise ScenarioError(problems)
    if not actions:
        raise refuse(1, "-", "no actions below the header")
    times = [a["t"] for a in actions if isinstance(a["t"], float)]
    duration = end[0] if end is not None else max(times, default=0.0)
    lines[("duration_s",)] = end[1] if end is not None else lines[("actions", len(actions) - 1)]
    # a case that ends at its last action still lasts a moment (a duration is above zero)
    data = {"duration_s": duration if duration > 0 else 1.0, "actions": tuple(actions)}
    return Source(name, data, lines)


def read_timeline(path: str | Path, loaded: LoadedScenario, display: str | None = None,
                  archive: Archive | str | Path | None = None) -> Script:
    """The script in a case's file (YAML, or CSV by its ``.csv`` name), checked against the
    scenario; ``ScenarioError`` lists every problem as FILE:LINE: field: message. ``archive``
    (open or its path): that file and its companions are refused unread."""
    name = display or str(path)
    if archive is not None and _is_the_archive(archive, path):
        raise ScenarioError([Problem(name, 1, "-", "this is the archive itself (or a file of "
                                                   "it), not a case's timeline")])
    if str(path).lower().endswith(".csv"):
        src = read_csv_timeline(path, name)
    else:
        src, problems = load_yaml(path, name, max_bytes=MAX_SCRIPT_BYTES, what="real case timelines",
                                  max_items=MAX_SCRIPT_ACTIONS + 1)
        if src is None:
            raise ScenarioError(problems)
        if isinstance(src.data, dict):
            odd = [k for k in src.data if k not in SCRIPT_KEYS]
            if odd:
                raise ScenarioError([src.problem((k,), f"{str(k)[:40]!r} is not a field of a "
                                                       f"timeline: a real case holds timed "
                                                       f"actions only, no patient identifiers "
                                                       f"(fields: {', '.join(SCRIPT_KEYS)})")
                                     for k in odd])
    script = script_from_source(src, loaded)
    if not script.actions:
        raise ScenarioError([src.problem(("actions",), "no actions; a case is the actions taken, "
                                                       "with their times")])
    return script


def _is_the_archive(archive: Archive | str | Path, path: str | Path) -> bool:
    try:
        own = Path(archive if isinstance(archive, (str, Path)) else archive.path).resolve()
        given = Path(path).resolve()
    except (OSError, RuntimeError, ValueError):
        return False
    return given == own or given.parent == own.parent and given.name.startswith(own.name)


def anonymous_timeline(loaded: LoadedScenario, script: Script) -> tuple[list[dict[str, Any]], list[str]]:
    """The timeline a case keeps — each action's time, id, dose, unit, route and the role
    that did it; each forced state's time and state; in the order the engine plays them —
    and what was left out of the script because it could name someone."""
    from simtool.core.runner import played_order

    roles = {p.id: p.role for p in script.participants}
    left: list[str] = []
    if script.participants:
        left.append(f"participants' names and ids ({len(script.participants)}; their roles are kept)")
    if script.examiners:
        left.append(f"examiners ({len(script.examiners)})")
    notes = sum(1 for a in script.actions if a.note) + (1 if script.notes else 0) \
        + sum(1 for f in script.forces if f.reason)
    if notes:
        left.append(f"notes and reasons ({notes}: free text)")
    out: list[dict[str, Any]] = []
    for _path, item in played_order(script):
        if hasattr(item, "force"):
            out.append({"t": float(item.t), "force": item.force})
            continue
        entry: dict[str, Any] = {"t": float(item.t), "action": item.action}
        for key in ("dose", "unit", "route"):
            value = getattr(item, key)
            if value is not None:
                entry[key] = float(value) if key == "dose" else value
        if item.by is not None:
            entry["by"] = roles.get(item.by, item.by)
        out.append(entry)
    return out, left


def judge(loaded: LoadedScenario, timeline: list[dict[str, Any]], duration_s: float,
          weight_kg: float | None = None) -> list[Any]:
    """The indicator results of a kept timeline: played through the drill engine, judged by
    ``core.assess.all_indicators`` (the definitions a drill's indicators come from)."""
    from simtool.core import assess
    from simtool.core.drill import PatientParams
    from simtool.core.runner import run_script

    script = Script.model_validate({
        "duration_s": duration_s,
        "actions": tuple(a for a in timeline if "action" in a),
        "forces": tuple(f for f in timeline if "force" in f)})
    weight = weight_kg if weight_kg is not None else loaded.scenario.patient.weight_kg.default
    sample_s = max(60.0, duration_s / 1000)   # the vitals are not kept: as few as the engine allows
    drill, _samples = run_script(loaded, script, PatientParams(weight), sample_s=sample_s)
    return assess.all_indicators(drill)


# --- the case's own fields ----------------------------------------------------------------------
def _text(value: Any, field_: str, label: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise CaseError(f"{label}: expected text, not {type(value).__name__}", field_)
    value = " ".join(value.split())
    if not value:
        return None
    problem = text_problem(value, MAX_NAME_CHARS)
    if problem:
        raise CaseError(f"{label}: {problem}", field_)
    return value


def checked_fields(archive: Archive, loaded: LoadedScenario, date: str | dt.date | None,
                   site: str | None, department: str | None, case_ref: str | None) -> dict[str, Any]:
    """The case's fields as they will be kept, or ``CaseError`` naming the first at fault:
    a date (YYYY-MM-DD, not in the future; default today), one-line site and department, an
    anonymous case reference (default: one made up, ``RC-YYYYMMDD-N``)."""
    today = archive.now()[:10]
    if date is None or date == "":
        day = today
    else:
        day = str(date).strip()
        try:
            if dt.date.fromisoformat(day).isoformat() != day:
                raise ValueError
        except ValueError:
            shown = day if len(day) <= 40 else day[:37] + "..."
            raise CaseError(f"date: {shown!r} is not a date written YYYY-MM-DD", "date") from None
        if day > today:
            raise CaseError(f"date: {day} is in the future (today is {today}); a case is entered "
                            f"after the event", "date")
    fields: dict[str, Any] = {
        "scenario_id": loaded.scenario.id, "scenario_version": str(loaded.scenario.version),
        "date": day, "site": _text(site, "site", "site"),
        "department": _text(department, "department", "department"),
        "weight_kg": float(loaded.scenario.patient.weight_kg.default)}
    ref = _text(case_ref, "case_ref", "case reference")
    if ref is None:
        ref = _next_ref(archive, day)
    else:
        problem = case_ref_problem(ref)
        if problem:
            raise CaseError(f"case reference: {problem}", "case_ref")
    fields["case_ref"] = ref
    return fields


def _next_ref(archive: Archive, day: str) -> str:
    from simtool.store.cases import next_case_ref
    return next_case_ref(archive, day)


# --- keeping a case ------------------------------------------------------------------------------
def keep_case(archive: Archive, loaded: LoadedScenario, script: Script, *,
              date: str | dt.date | None = None, site: str | None = None,
              department: str | None = None, case_ref: str | None = None,
              by: str | None = None) -> CaseKept:
    """Judge and keep one case whose timeline is ``script`` (already checked against the
    scenario); ``CaseError`` (nothing written) for a field at fault or a case kept already."""
    from simtool.store.cases import add_case, has_cases, same_case

    if not has_cases(archive):
        raise CaseError(f"the archive {archive.path} is in an older format without real cases; "
                        f"open it with this simtool to upgrade it", "file")
    fields = checked_fields(archive, loaded, date, site, department, case_ref)
    timeline, left = anonymous_timeline(loaded, script)
    if not any("action" in e for e in timeline):
        raise CaseError("timeline: no actions; a case is the actions taken, with their times",
                        "timeline")
    again = same_case(archive, fields, timeline)
    if again is not None:
        raise CaseError(f"this case is already in the archive as {again} (same scenario, date, "
                        f"site, department and timeline); it was not imported again", "file")
    fields["duration_s"] = float(script.duration_s)
    results = judge(loaded, timeline, fields["duration_s"], fields["weight_kg"])
    try:
        case_id = add_case(archive, fields, loaded.text, timeline, results, by)
    except ArchiveError as exc:
        raise CaseError(f"nothing was kept: {exc}", "case_ref" if "reference" in str(exc) else "file") from None
    return CaseKept(case_id, fields["case_ref"], fields["scenario_id"], fields["date"],
                    [r.to_dict() for r in results], left)


def import_file(archive: Archive, path: str | Path, loaded: LoadedScenario, *,
                date: str | dt.date | None = None, site: str | None = None,
                department: str | None = None, case_ref: str | None = None,
                by: str | None = None) -> CaseKept:
    """``simtool cases import``: read the file, check it whole (``ScenarioError`` with every
    FILE:LINE problem), then keep the case (``keep_case``)."""
    checked_fields(archive, loaded, date, site, department, case_ref)  # before reading a big file
    script = read_timeline(path, loaded, archive=archive)
    return keep_case(archive, loaded, script, date=date, site=site, department=department,
                     case_ref=case_ref, by=by)


def enter_case(archive: Archive, loaded: LoadedScenario, rows: list[dict[str, Any]],
               duration_s: float | str | None = None, *, date: str | dt.date | None = None,
               site: str | None = None, department: str | None = None,
               case_ref: str | None = None, by: str | None = None) -> CaseKept:
    """A case typed in the window: ``rows`` of ``{t, action, dose, unit, route, by}`` (text or
    numbers, ``t`` as in a CSV); problems are named ``entered timeline:ROW: field``. Without
    ``duration_s`` the case ends at its last action."""
    name = "entered timeline"
    actions: list[dict[str, Any]] = []
    lines: dict[tuple[str | int, ...], int] = {(): 1}
    for i, row in enumerate(rows):
        item: dict[str, Any] = {}
        for col in CSV_COLUMNS:
            value = row.get(col)
            if isinstance(value, str):
                value = value.strip() or None
            if value is None:
                continue
            if col == "t" and isinstance(value, str):
                value = _seconds(value)
            elif col == "dose" and isinstance(value, str):
                try:
                    number = float(value)
                    value = number if math.isfinite(number) else value
                except ValueError:
                    pass
            elif col in ("t", "dose") and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            item[col] = value
        if not item:
            continue
        item.setdefault("t", None)
        item.setdefault("action", None)
        lines[("actions", len(actions))] = i + 1
        for col in item:
            lines[("actions", len(actions), col)] = i + 1
        actions.append(item)
    if not actions:
        raise CaseError("timeline: no actions; a case is the actions taken, with their times",
                        "timeline")
    if duration_s in (None, ""):
        times = [a["t"] for a in actions if isinstance(a["t"], float)]
        duration: Any = max(times, default=0.0) or 1.0
    else:
        duration = _seconds(duration_s) if isinstance(duration_s, str) else duration_s
    src = Source(name, {"duration_s": duration, "actions": tuple(actions)}, lines)
    script = script_from_source(src, loaded)
    return keep_case(archive, loaded, script, date=date, site=site, department=department,
                     case_ref=case_ref, by=by)


def withdraw(archive: Archive, key: str | int, reason: Any, by: str | None = None) -> dict[str, Any]:
    """Withdraw a real case entered by mistake (by id or case reference) with a reason: it
    stays in the record, counts nowhere, and the same timeline may then be entered again.
    ``CaseError`` (nothing written) for an empty or overlong reason, no such case, or one
    withdrawn already; the case's row."""
    from simtool.store.cases import withdraw_case
    from simtool.store.errors import NotFoundError

    if not isinstance(reason, str) or not " ".join(reason.split()):
        raise CaseError("reason: say why the case is withdrawn", "reason")
    reason = " ".join(reason.split())
    problem = text_problem(reason, MAX_REASON_CHARS)
    if problem:
        raise CaseError(f"reason: {problem}", "reason")
    try:
        return withdraw_case(archive, key, reason, by)
    except (NotFoundError, ArchiveError) as exc:
        raise CaseError(str(exc), "case") from None
