"""A sitting at a stand-alone skills station (issue 20, item 4): a candidate from the people
registry, an examiner, the station's clock, the examiner's marks and the signed sheet.

A sitting is recorded as a drill of the station scenario (``core.station``): one participant,
the candidate (linked to their registry record), the examiner linked to it, the time used as
the drill's clock, ended when the candidate leaves the station. The marks go through the same
drafts and signing as any drill's sheet (``app.marking``: ``save_draft`` then ``sign_draft``),
so a signed station sheet is read-only, audited, verified, and credits the candidate's
programme (``app.progress``) like a signed drill sheet. Stations are found in
``rubrics/stations/`` (``station_rubrics``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simtool.app.live import LiveDrill, SetupError
from simtool.app.marking import MarkingError, save_draft, sign_draft, still_missing
from simtool.app.setup import quoted
from simtool.core.drill import Participant, PatientParams
from simtool.core.errors import ScenarioError, SimtoolError
from simtool.core.examiner import SheetMarks
from simtool.core.rubric import LoadedRubric, load_rubric
from simtool.core.station import CANDIDATE, STATION_WEIGHT_KG, is_station
from simtool.store import Archive, Examiner, Sheet, Trainee
from simtool.store.errors import NotFoundError


class StationError(SimtoolError):
    """A sitting that cannot start, be marked or be signed; nothing was written."""


def stations_dir() -> Path:
    from simtool.core.paths import stations_dir as bundled
    return bundled()


def station_rubrics(folder: Path | None = None) -> list[tuple[Path, LoadedRubric | None, str | None]]:
    """Every station file of ``folder`` (default: the bundled ``rubrics/stations``), by file
    name: (path, the loaded station, None) or (path, None, its first problem)."""
    folder = folder or stations_dir()
    out: list[tuple[Path, LoadedRubric | None, str | None]] = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            rb = load_rubric(path)
        except ScenarioError as exc:
            out.append((path, None, str(exc.problems[0])))
            continue
        out.append((path, rb, None) if is_station(rb) else (path, None, "not a station rubric"))
    return out


_STATION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")   # a bundled station's file name


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):     # a name too long for the system, a NUL: no such file
        return False


def load_station(spec: str | Path, folder: Path | None = None) -> LoadedRubric:
    """A station named by file or by id (in ``folder``, default the bundled stations).
    StationError naming the stations there when there is no such station."""
    given = Path(spec)
    is_id = _STATION_ID.fullmatch(str(spec)) is not None
    path = given if _is_file(given) else (folder or stations_dir()) / f"{spec if is_id else '-'}.yaml"
    if not _is_file(path):
        known = sorted(p.stem for p in (folder or stations_dir()).glob("*.yaml"))
        raise StationError(f"there is no station {quoted(str(spec))}: it is neither a file nor a "
                           f"bundled station ({', '.join(known) or 'none bundled'})")
    try:
        rb = load_rubric(path)
    except ScenarioError as exc:
        raise StationError(f"the station file has problems: {exc.problems[0]}") from None
    if not is_station(rb):
        raise StationError(f"{path.name} is a drill's rubric (for scenario {rb.rubric.scenario}), "
                           f"not a skills station; score it with 'simtool score'")
    return rb


@dataclass
class Sitting:
    """A candidate at a station: the recorded drill, the station and who examines."""

    live: LiveDrill
    drill_id: str
    rubric: LoadedRubric
    candidate: Trainee
    examiner_id: str
    evaluation_type: str

    @property
    def time_limit_s(self) -> float:
        st = self.rubric.rubric.station
        assert st is not None
        return float(st.time_limit_s.value)

    @property
    def reading_s(self) -> float:
        st = self.rubric.rubric.station
        return float(st.reading_s.value) if st is not None and st.reading_s is not None else 0.0


def _candidate(archive: Archive, staff_id: str) -> Trainee:
    from simtool.app.people import PeopleError, find_person
    try:
        return archive.trainee(find_person(archive, staff_id))
    except (PeopleError, NotFoundError) as exc:
        raise StationError(f"the candidate must be in the people registry: {exc}") from None


def _examiner(archive: Archive, staff_id: str, site: str | None) -> Examiner:
    staff = (staff_id or "").strip()
    found = archive.find_examiner(staff_id=staff, site=site) if staff else None
    if found is not None:
        return found
    tid = archive.find_trainee(staff, site) if staff else None
    if tid is not None:      # a person of the registry examining for the first time
        person = archive.trainee(tid)
        return Examiner(person.name, person.staff_id, department=person.department,
                        profession=person.profession, grade=person.grade)
    raise StationError(f"no examiner or person with staff id {quoted(staff)} in the archive "
                       f"{archive.path}; add the examiner to the registry first")


def start_sitting(archive: Archive, rubric: LoadedRubric, candidate: str, examiner: str, *,
                  evaluation_type: str | None = None, site: str | None = None,
                  department: str | None = None) -> Sitting:
    """Start ``candidate`` (a staff id or trainee id of the registry) at station ``rubric``,
    examined by ``examiner`` (a staff id): the sitting is recorded and its clock at 0.
    StationError (nothing recorded) for an unknown person or an evaluation type the station
    is not for."""
    if not is_station(rubric):
        raise StationError(f"rubric {rubric.rubric.id} is not a skills station")
    kind = evaluation_type or rubric.rubric.evaluation_types[0]
    if kind not in rubric.rubric.evaluation_types:
        raise StationError(f"station {rubric.rubric.id} is not for {kind} evaluation (it is for "
                           f"{', '.join(rubric.rubric.evaluation_types)})")
    person = _candidate(archive, candidate)
    chosen = _examiner(archive, examiner, site)
    try:
        live = LiveDrill.start(rubric.scenario, PatientParams(STATION_WEIGHT_KG),
                               [Participant(CANDIDATE, person.name, CANDIDATE)], archive,
                               evaluation_type=kind, trainees={CANDIDATE: person},
                               examiners=[chosen], site=site, department=department)
    except SetupError as exc:
        raise StationError(str(exc)) from None
    assert live.drill_id is not None
    examiner_id = archive.drill_examiners(live.drill_id)[0].id   # the one linked just now
    assert examiner_id is not None
    return Sitting(live, live.drill_id, rubric, person, examiner_id, kind)


def finish(sitting: Sitting, time_used_s: float) -> None:
    """The candidate leaves the station after ``time_used_s`` seconds (never past the time
    limit, which ends the station): the sitting's record is ended at that time."""
    if time_used_s < 0:
        raise StationError("the time used at a station cannot be negative")
    if not sitting.live.ended:
        sitting.live.advance_to(min(float(time_used_s), sitting.time_limit_s))
        sitting.live.end()


def mark(archive: Archive, sitting: Sitting, marks: SheetMarks | Mapping[str, Any]) -> str:
    """Keep the examiner's marks of the candidate's sheet as a draft (every change audited);
    returns the draft sheet's id. StationError with the core's sentence for marks it refuses."""
    try:
        return save_draft(archive, sitting.drill_id, sitting.rubric, sitting.live.drill, CANDIDATE,
                          sitting.examiner_id, marks, sitting.evaluation_type)
    except MarkingError as exc:
        raise StationError(str(exc)) from None


def sign(archive: Archive, sitting: Sitting) -> Sheet:
    """Sign the examiner's sheet of the candidate (refused while a rating is missing); the
    sitting is ended first if the candidate is still at the station."""
    if not sitting.live.ended:
        finish(sitting, sitting.live.t)
    try:
        return sign_draft(archive, sitting.drill_id, sitting.rubric, sitting.live.drill, CANDIDATE,
                          sitting.examiner_id, sitting.evaluation_type)
    except MarkingError as exc:
        raise StationError(str(exc)) from None


def score_station(archive: Archive, rubric: LoadedRubric, candidate: str, examiner: str,
                  marks: SheetMarks | Mapping[str, Any], *, time_used_s: float = 0.0,
                  signed: bool = False, evaluation_type: str | None = None,
                  site: str | None = None, department: str | None = None) -> tuple[Sitting, Sheet]:
    """A whole sitting at once (the command line): start, finish after ``time_used_s``, mark
    and, if ``signed``, sign. The marks are checked before anything is recorded."""
    from simtool.core.scoring import score
    from simtool.core.scoresheet import ScoringError
    try:
        given = marks if isinstance(marks, SheetMarks) else SheetMarks.from_dict(marks)
    except ScoringError as exc:
        raise StationError(str(exc)) from None
    if time_used_s < 0:
        raise StationError("the time used at a station cannot be negative")
    # refuse bad marks before anything is recorded (the same scoring the draft uses)
    from simtool.core.drill import Drill
    probe = Drill(rubric.scenario, PatientParams(STATION_WEIGHT_KG),
                  [Participant(CANDIDATE, "candidate", CANDIDATE)])
    try:
        result = score(rubric, probe, {CANDIDATE: given}, evaluation_type)
    except ScoringError as exc:
        raise StationError(str(exc)) from None
    missing = still_missing(rubric, result.sheet(CANDIDATE)) if signed else ()
    if missing:
        raise StationError("the sheet cannot be signed yet, so nothing was recorded; still to "
                           "rate: " + ", ".join(m.code for m in missing))
    sitting = start_sitting(archive, rubric, candidate, examiner, evaluation_type=evaluation_type,
                            site=site, department=department)
    finish(sitting, time_used_s)
    sheet_id = mark(archive, sitting, given)
    return sitting, (sign(archive, sitting) if signed else archive.sheet(sheet_id))


__all__ = ["Sitting", "StationError", "finish", "load_station", "mark", "score_station", "sign",
           "start_sitting", "station_rubrics", "stations_dir"]
