"""The OSCE exam day (issue 22): the use cases the command line, the window and the examiners'
web page all call.

* ``create_exam``: an exam file (``core.exam``) checked, its candidates found in the people
  registry (a CSV's people added to it), its examiners found or added, and the exam stored in
  the archive (``store.exam``: append-only, audited) in one transaction;
* ``ExamDay``: an exam read back from the archive with its rubrics and its schedule; the
  exam clock (its zero is the ``start`` event, written once, so a restarted server keeps the
  same rounds); the candidate in front of an examiner at a time; marks saved at once as the
  sheet's draft through ``app.marking`` (one change at a time, idempotent by the device's
  sequence number); signing; results; statistics (``core.psychometrics.exam_report``); close
  and release;
* ``hold_server``: one exam server per archive (an OS lock beside the archive, held while a
  server serves; a second server is refused in one sentence naming the first).

A candidate's sitting at a station is a drill of the station scenario (``app.station``),
recorded when the exam starts (``ExamDay.start``: every sitting with its link to the exam and
its examiners, in the start's one transaction; run again, it adds only what is missing) and
ended at once after the station's time (the bell, not the examiner, decides how long a station
lasts); the sheet is the examiner's draft until signed, then read-only, audited and verified
like every signed sheet.

What does not change during the exam is read once and kept by the ``ExamDay``: the clock's
zero, the schedule by station, the sittings, each sitting's record (the live drill from the
start, or replayed once: ``warm``), a sheet's state and the draft's marks as this exam day last
stored them. A mark is then one read (was this device's change stored already?) and one
transaction (the mark's row and the draft). One ``ExamDay`` serves one process: another face
changing a draft at the same time is not seen until it is opened again.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date as date_cls
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from simtool.app.marking import (MarkingError, draft_of, marks_to_dict, save_draft, sign_draft)
from simtool.core.errors import SimtoolError
from simtool.core.exam import REST, Schedule, Slot, Timing, blueprint, load_exam, schedule
from simtool.core.limits import MAX_NOTE_CHARS
from simtool.core.station import CANDIDATE
from simtool.store import Archive, Examiner
from simtool.store import exam as store
from simtool.store.errors import ArchiveError, NotFoundError

GRACE_S = 3600            # marking and signing stay open this long after the last round


class ExamDayError(SimtoolError):
    """A request the exam refuses (one sentence); nothing was written."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status     # the HTTP status the web face answers with


# --- creating ----------------------------------------------------------------------------------

def create_exam(archive: Archive, path: str | Path, by: str | None = None) -> dict[str, Any]:
    """Check and store the exam file ``path``; returns its summary (id, stations, candidates,
    blueprint coverage). ``ExamError`` (FILE:LINE problems) or ``ExamDayError``, nothing
    written, for a bad file, an unknown candidate or an exam id used already."""
    from simtool.app.people import PeopleError, add_person, find_person
    loaded = load_exam(path)
    if store.has_exams(archive) and store.exams(archive) and \
            any(e["id"] == loaded.id for e in store.exams(archive)):
        raise ExamDayError(f"there is already an exam {loaded.id} in the archive {archive.path}; "
                           f"an exam is never changed: give the new one another id")
    definition = loaded.definition()
    with archive.transaction():
        cands = []
        for c in loaded.candidates:
            where = f"{loaded.path}:{c.line}" if c.line else str(loaded.path)
            try:
                tid = find_person(archive, c.staff_id)
            except PeopleError:
                if c.name is None:
                    raise ExamDayError(f"{where}: candidate {c.staff_id} is not in the people "
                                       f"registry; add them (simtool people add) or list the "
                                       f"candidates in a CSV staff_id,name,department") from None
                try:
                    tid = add_person(archive, c.name, c.staff_id, department=c.department)["id"]
                except (PeopleError, SimtoolError) as exc:
                    raise ExamDayError(f"{where}: candidate {c.staff_id}: {exc}") from None
            person = archive.trainee(tid)
            cands.append({"id": tid, "staff_id": c.staff_id, "name": person.name,
                          "department": person.department})
        for st, sdef in zip(loaded.stations, definition["stations"]):
            sdef["rubric_path"] = str(st.rubric_path.resolve())
            sdef["rubric_sha256"] = st.loaded.sha256
            sdef["examiner_ids"] = [_examiner_id(archive, staff) for staff in st.examiners]
        definition["candidates"] = cands
        try:
            store.create_exam(archive, loaded.id, loaded.exam.title.model_dump(), definition,
                              loaded.text, by)
        except ArchiveError as exc:
            raise ExamDayError(str(exc)) from None
    return summary(definition)


def _examiner_id(archive: Archive, staff: str) -> str:
    found = archive.find_examiner(staff_id=staff)
    if found is not None and found.id:
        return found.id
    tid = archive.find_trainee(staff, None)
    if tid is None:
        raise ExamDayError(f"examiner {staff} is neither an examiner nor a person of the archive "
                           f"{archive.path}; add them to the registry first (simtool people add)")
    p = archive.trainee(tid)
    return archive.add_examiner(Examiner(p.name, p.staff_id, department=p.department,
                                         profession=p.profession, grade=p.grade))


def summary(definition: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": definition["id"], "title": definition["title"],
            "stations": [{"id": s["id"], "rubric": s["rubric"], "examiners": s["examiners"]}
                         for s in definition["stations"]],
            "candidates": len(definition["candidates"]),
            "blueprint": blueprint(definition["stations"], definition["competencies"])}


# --- the exam day ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Turn:
    """A candidate an examiner may mark: their slot, sitting and sheet state."""

    slot: Slot
    candidate_id: str
    name: str
    state: str                 # "unmarked", "draft" or "signed"


def _utc(value: str) -> datetime:
    d = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return d if d.tzinfo else d.replace(tzinfo=timezone.utc)


class ExamDay:
    """One exam as stored, with its rubrics loaded and its schedule made. Thread-safe: every
    write goes through one lock (the archive is one SQLite connection)."""

    def __init__(self, archive: Archive, exam_id: str) -> None:
        try:
            row = store.exam(archive, exam_id)
        except (NotFoundError, ArchiveError) as exc:
            raise ExamDayError(str(exc), 404) from None
        self.archive = archive
        self.id = exam_id
        self.title: dict[str, str] = row["title"]
        self.definition: dict[str, Any] = row["definition"]
        d = self.definition
        self.timing = Timing(**d["timing"])
        self.stations = {s["id"]: s for s in d["stations"]}
        self.candidates = {c["staff_id"]: c for c in d["candidates"]}
        self.by_trainee = {c["id"]: c for c in d["candidates"]}
        self.plan: Schedule = schedule(list(self.stations), list(self.candidates), self.timing,
                                       d.get("sessions", 1))
        self.examiner_station = {eid: s["id"] for s in d["stations"] for eid in s["examiner_ids"]}
        self.slot_of = {st: {} for st in self.stations}          # station -> staff id -> Slot
        for slot in self.plan.slots:
            self.slot_of.setdefault(slot.station, {})[slot.candidate] = slot
        self._rubrics: dict[str, Any] = {}
        self._records: dict[str, Any] = {}           # drill id -> its record (ended: unchanging)
        self._zero: datetime | None = None
        self._sittings: dict[tuple[str, str], str] | None = None
        self._states: dict[tuple[str, str, str], str] = {}   # a sheet's state, once read
        self._marks: dict[tuple[str, str], dict[str, Any]] = {}  # (drill, examiner) -> the draft's marks
        self.lock = threading.RLock()

    # rubrics and records
    def rubric(self, station: str) -> Any:
        if station not in self._rubrics:
            from simtool.core.errors import ScenarioError
            from simtool.core.rubric import load_rubric
            s = self.stations[station]
            try:
                rb = load_rubric(s["rubric_path"])
            except ScenarioError as exc:
                raise ExamDayError(f"station {station}: its rubric cannot be read now: "
                                   f"{exc.problems[0]}", 500) from None
            if rb.sha256 != s["rubric_sha256"]:
                raise ExamDayError(f"station {station}: the rubric {s['rubric_path']} changed since "
                                   f"the exam was created; put the exam's version back", 500)
            self._rubrics[station] = rb
        return self._rubrics[station]

    # the clock
    def zero(self) -> datetime | None:
        """The exam clock's zero: the recorded ``start`` (written once, so kept once read)."""
        if self._zero is None:
            row = self.archive._one("SELECT at FROM exam_events WHERE exam_id = ? AND kind = 'start' "
                                    "ORDER BY id LIMIT 1", self.id)
            self._zero = None if row is None else _utc(row["at"])
        return self._zero

    def planned_start(self, today: datetime | None = None) -> datetime | None:
        """The first reading bell the exam file plans (its ``date`` and ``start`` in the lab
        computer's time zone; without a date, ``start`` on the day of ``today``), or None."""
        hhmm = self.definition.get("start")
        if not hhmm:
            return None
        local = (today or datetime.now(timezone.utc)).astimezone()
        day = date_cls.fromisoformat(self.definition["date"]) if self.definition.get("date") \
            else local.date()
        hh, mm = (int(x) for x in hhmm.split(":"))
        return datetime(day.year, day.month, day.day, hh, mm, tzinfo=local.tzinfo).astimezone(timezone.utc)

    def start(self, at: datetime | None = None, now: datetime | None = None,
              progress: Callable[[int, int], None] | None = None) -> datetime:
        """Start the exam clock unless it was started (its zero is written once, so a restarted
        server keeps the rounds) and record every sitting's drill, all in one transaction.
        The zero is ``at`` if given; else the file's planned start when that is still ahead
        (a server started early waits for the bell), else now."""
        with self.lock:
            z = self.zero()
            with self.archive.transaction():
                if z is None:
                    moment = now or datetime.now(timezone.utc)
                    planned = self.planned_start(moment)
                    when = at if at is not None else planned if planned is not None and \
                        planned > moment else moment
                    when = when.astimezone(timezone.utc)
                    store.add_event(self.archive, self.id, "start",
                                    at=when.isoformat(timespec="milliseconds").replace("+00:00", "Z"))
                self.prepare(progress)
            self._zero = None
            return self.zero() or when

    def prepare(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Record the drill of every sitting (candidate × station of the schedule) not recorded
        yet, each with its link to the exam and every examiner of its station, in one
        transaction: a process that dies half-way leaves none of it, and running it again
        adds only what is missing. Returns how many sittings it recorded; ``progress(done,
        total)`` is called after each (a face shows it)."""
        with self.lock, self.archive.transaction():
            have = self._sitting_map(reload=True)
            todo = [(s.station, self.candidates[s.candidate]["id"], s.round) for s in self.plan.slots
                    if s.station != REST and (s.station, self.candidates[s.candidate]["id"]) not in have]
            for done, (station, cid, rnd) in enumerate(todo, start=1):
                have[(station, cid)] = self._record_sitting(station, cid, rnd)
                if progress is not None:
                    progress(done, len(todo))
            return len(todo)

    def _record_sitting(self, station: str, candidate_id: str, round_: int) -> str:
        """One sitting's drill, ended at the station's time, its examiners and its link to the
        exam (inside the caller's transaction)."""
        from simtool.app.station import StationError, finish, start_sitting
        s = self.stations[station]
        with self.archive.transaction():
            try:
                sitting = start_sitting(self.archive, self.rubric(station), candidate_id,
                                        s["examiners"][0], evaluation_type="summative")
                finish(sitting, min(float(self.timing.station_s), sitting.time_limit_s))
            except StationError as exc:
                raise ExamDayError(f"station {station}: {exc}", 500) from None
            for eid in s["examiner_ids"]:
                self.archive.link_examiner(sitting.drill_id, eid)
            store.add_sitting(self.archive, self.id, station, candidate_id, round_, sitting.drill_id)
        rec = self.archive.recording(sitting.drill_id)
        if rec is not None:          # ended: nothing more to record
            rec.stop()
        self._records[sitting.drill_id] = sitting.live.drill     # what its sheets are scored on
        return sitting.drill_id

    def _sitting_map(self, reload: bool = False) -> dict[tuple[str, str], str]:
        """(station, candidate id) → the drill recording the sitting (sittings are never
        changed once written, so read once)."""
        if reload or self._sittings is None:
            self._sittings = {(r["station"], r["candidate_id"]): r["drill_id"]
                              for r in store.sittings(self.archive, self.id)}
        return self._sittings

    def has(self, kind: str) -> bool:
        if kind == "start":
            return self.zero() is not None
        return self.archive._one("SELECT 1 AS x FROM exam_events WHERE exam_id = ? AND kind = ? "
                                 "LIMIT 1", self.id, kind) is not None

    def close(self) -> None:
        with self.lock:
            if not self.has("close"):
                store.add_event(self.archive, self.id, "close")

    def release(self) -> None:
        with self.lock:
            if not self.has("release"):
                store.add_event(self.archive, self.id, "release")

    def elapsed(self, now: datetime) -> float | None:
        z = self.zero()
        return None if z is None else (now - z).total_seconds()

    def is_open(self, now: datetime) -> tuple[bool, str]:
        """Whether marking is open at ``now`` and, if not, why (one sentence)."""
        t = self.elapsed(now)
        if t is None or t < 0:
            return False, "the exam has not started"
        if t > self.plan.duration_s + GRACE_S:
            return False, "the exam is over"
        if self.has("close"):
            return False, "the exam is closed"
        if self.has("release"):
            return False, "the results are released: the marks are final"
        return True, ""

    def can_join(self, now: datetime) -> tuple[bool, str]:
        """Whether an examiner may join (and see the clock) at ``now``: once the exam is
        started, also before its first bell when it was started early; never once closed."""
        t = self.elapsed(now)
        if t is None:
            return False, "the exam has not started"
        if t >= 0:
            return self.is_open(now)
        if self.has("close"):
            return False, "the exam is closed"
        if self.has("release"):
            return False, "the results are released: the marks are final"
        return True, ""

    def clock(self, now: datetime) -> dict[str, Any]:
        t = self.elapsed(now)
        if t is None:
            return {"started": False}
        phase, left = self.plan.phase_at(t)
        return {"started": True, "elapsed_s": round(t, 1), "round": self.plan.round_at(t),
                "rounds": self.plan.rounds, "phase": phase, "left_s": round(left, 1)}

    # who examines what
    def station_of(self, examiner_id: str) -> str:
        station = self.examiner_station.get(examiner_id)
        if station is None:
            raise ExamDayError("you are not an examiner of this exam", 403)
        return station

    def examiner_by_staff(self, staff_id: str) -> str | None:
        staff = (staff_id or "").strip()
        for s in self.stations.values():
            for sid, eid in zip(s["examiners"], s["examiner_ids"]):
                if sid == staff:
                    return eid
        return None

    def turns(self, station: str, examiner_id: str, now: datetime) -> list[Turn]:
        """The candidates of ``station`` whose round has started (latest first): the one in
        front of the examiner now, then earlier ones still to finish or signed."""
        t = self.elapsed(now)
        if t is None or t < 0:
            return []
        current = self.plan.round_at(t) or self.plan.rounds
        out = []
        for slot in self.slot_of.get(station, {}).values():
            if slot.round > current:
                continue
            cand = self.candidates[slot.candidate]
            out.append(Turn(slot, cand["id"], cand["name"], self._state(station, cand["id"], examiner_id)))
        return sorted(out, key=lambda x: -x.slot.round)

    def _state(self, station: str, candidate_id: str, examiner_id: str) -> str:
        """'unmarked', 'draft' or 'signed': read from the sitting's sheets once, then kept
        up to date by this exam day's own marks and signatures."""
        key = (station, candidate_id, examiner_id)
        if key in self._states:
            return self._states[key]
        drill_id = self._sitting_map().get((station, candidate_id))
        state = "unmarked"
        if drill_id is not None:
            rb = self.rubric(station)
            for sheet in self.archive.sheets(drill_id, current_only=True):
                if sheet.rubric_id == rb.rubric.id and (sheet.signed_by == examiner_id or (
                        isinstance(sheet.data, dict) and
                        (sheet.data.get("draft") or {}).get("examiner_id") == examiner_id)):
                    state = "signed" if sheet.signed else "draft"
                    break
        if state != "unmarked":       # 'unmarked' may change through another face: read again
            self._states[key] = state
        return state

    def _turn(self, station: str, examiner_id: str, candidate: str, now: datetime) -> Turn:
        ok, why = self.is_open(now)
        if not ok:
            raise ExamDayError(why, 403)
        if self.station_of(examiner_id) != station:
            raise ExamDayError("you examine at another station", 403)
        cand = self.candidates.get(candidate) or self.by_trainee.get(candidate)
        slot = self.slot_of.get(station, {}).get(cand["staff_id"]) if cand is not None else None
        t = self.elapsed(now) or 0.0
        current = self.plan.round_at(t) or self.plan.rounds
        if cand is None or slot is None or slot.round > current:
            raise ExamDayError("that candidate is not one of yours at this station now", 403)
        return Turn(slot, cand["id"], cand["name"], self._state(station, cand["id"], examiner_id))

    # sittings
    def _sitting(self, station: str, turn: Turn, examiner_id: str) -> tuple[str, Any]:
        """The sitting's drill id and record (recorded when the exam started; recorded now,
        in one transaction with its link, for an exam started by an older simtool)."""
        drill_id = self._sitting_map().get((station, turn.candidate_id))
        if drill_id is None:
            drill_id = self._sitting_map(reload=True).get((station, turn.candidate_id))
        if drill_id is None:
            with self.archive.transaction():
                drill_id = self._record_sitting(station, turn.candidate_id, turn.slot.round)
            self._sitting_map(reload=True)
        return drill_id, self._record(drill_id)

    def _record(self, drill_id: str) -> Any:
        """The sitting's drill as its sheets are scored on (replayed from the archive once)."""
        if drill_id not in self._records:
            self._records[drill_id] = self.archive.record_of(drill_id).final
        return self._records[drill_id]

    def warm(self, now: datetime, rounds: int = 2) -> int:
        """Have the records of the sittings of the round under way and the next ``rounds - 1``
        ready (a restarted server replays them before it answers, not on an examiner's
        first mark); returns how many were replayed."""
        t = self.elapsed(now)
        if t is None:
            return 0
        first = max(1, self.plan.round_at(max(t, 0.0)) or self.plan.rounds + 1)
        sits = self._sitting_map()
        todo = [sits[(s.station, self.candidates[s.candidate]["id"])] for s in self.plan.slots
                if first <= s.round < first + rounds and s.station != REST and
                (s.station, self.candidates[s.candidate]["id"]) in sits]
        todo = [d for d in todo if d not in self._records]
        for drill_id in todo:
            self._record(drill_id)
        return len(todo)

    def sheet(self, station: str, examiner_id: str, candidate: str, now: datetime) -> dict[str, Any]:
        """The examiner's sheet of a candidate as the page shows it: the marks so far, the
        score, and whether it is signed."""
        with self.lock:
            turn = self._turn(station, examiner_id, candidate, now)
            drill_id = self._sitting_map().get((station, turn.candidate_id))
            marks: dict[str, Any] = {"items": {}, "global_grade": None, "comment": None}
            total = None
            if drill_id is not None:
                d = draft_of(self.archive, drill_id, self.rubric(station).rubric.id,
                             CANDIDATE, examiner_id)
                if d is not None:
                    marks = marks_to_dict(d.marks)
                    total = {"points": d.data.get("points"), "max_points": d.data.get("max_points")}
            return {"candidate": turn.candidate_id, "name": turn.name, "round": turn.slot.round,
                    "state": turn.state, "marks": {k: marks.get(k) for k in ("items", "global_grade",
                                                                            "comment")},
                    "total": total}

    def save_mark(self, station: str, examiner_id: str, candidate: str, client: str, seq: int,
                  change: Mapping[str, Any], now: datetime) -> dict[str, Any]:
        """Apply one change (``{"item": id, "value": v}``, ``{"global": grade}`` or
        ``{"comment": text}``) to the examiner's draft of the candidate, at once; a change this
        device sent before (same ``client`` and ``seq``) is acknowledged, not applied again (also
        once marking is over), and a different change under the same ``client`` and ``seq`` is
        refused (409): the first is kept. Nothing is taken once the exam is closed, over or its
        results released."""
        client, change = _client(client), _change(change)
        if not isinstance(seq, int) or isinstance(seq, bool) or not 0 <= seq < 2 ** 53:
            raise ExamDayError("seq is a whole number from 0")
        with self.lock:
            # a resend first: what this examiner's device stored is acknowledged even once the
            # exam is closed (the phone may not have heard the answer); a different change under
            # the same number is refused, never dropped as a resend nor applied over the first
            cand = self.candidates.get(candidate) or self.by_trainee.get(candidate)
            if cand is not None and self.examiner_station.get(examiner_id) == station:
                sent = store.mark_sent(self.archive, store.sitting_id(self.id, station, cand["id"]),
                                       examiner_id, client, seq)
                if sent is not None:
                    if sent != store.change_text(change):
                        raise ExamDayError(f"this device sent a different change {seq} of this "
                                           f"sheet before; that one is kept and this one is not "
                                           f"saved", 409)
                    return {"ok": True, "duplicate": True, "seq": seq}
            turn = self._turn(station, examiner_id, candidate, now)
            sit_id = store.sitting_id(self.id, station, turn.candidate_id)
            if turn.state == "signed":
                raise ExamDayError("this sheet is signed; a signed sheet changes only by an "
                                   "amendment in the app", 409)
            drill_id, record = self._sitting(station, turn, examiner_id)
            rb = self.rubric(station)
            key = (drill_id, examiner_id)
            if key not in self._marks:
                old = draft_of(self.archive, drill_id, rb.rubric.id, CANDIDATE, examiner_id)
                self._marks[key] = marks_to_dict(old.marks) if old is not None else {"items": {}}
            marks = copy.deepcopy(self._marks[key])
            if "item" in change:
                item = rb.rubric.item_index.get(change["item"])
                if item is None:
                    raise ExamDayError(f"this station has no item {change['item']!r}")
                value = change["value"]
                if item.kind == "observed" and not (value is None or isinstance(value, bool) or
                                                    value in ("done", "not done", "not observed")):
                    # the scoring takes 1 for true; the record keeps what the examiner meant
                    raise ExamDayError(f"item {item.id!r} is done (true), not done (false) or "
                                       f"'not observed', not {value!r}")
                if change["value"] is None:
                    marks["items"].pop(change["item"], None)
                else:
                    marks["items"][change["item"]] = change["value"]
            elif "global" in change:
                marks["global_grade"] = change["global"]
            else:
                marks["comment"] = change["comment"] or None
            with self.archive.transaction():
                store.add_mark(self.archive, sit_id, examiner_id, client, seq, dict(change))
                try:
                    save_draft(self.archive, drill_id, rb, record, CANDIDATE, examiner_id, marks,
                               "summative")
                except MarkingError as exc:
                    raise ExamDayError(str(exc)) from None
            self._marks[key] = marks          # the draft as stored now
            self._states[(station, turn.candidate_id, examiner_id)] = "draft"
            return {"ok": True, "duplicate": False, "seq": seq}

    def sign(self, station: str, examiner_id: str, candidate: str, now: datetime) -> dict[str, Any]:
        with self.lock:
            turn = self._turn(station, examiner_id, candidate, now)
            if turn.state == "signed":
                return {"ok": True, "state": "signed"}
            if turn.state == "unmarked":
                raise ExamDayError("mark the sheet before signing it", 409)
            drill_id, record = self._sitting(station, turn, examiner_id)
            try:
                sheet = sign_draft(self.archive, drill_id, self.rubric(station), record, CANDIDATE,
                                   examiner_id, "summative")
            except MarkingError as exc:
                raise ExamDayError(str(exc), 409) from None
            self._states[(station, turn.candidate_id, examiner_id)] = "signed"
            return {"ok": True, "state": "signed", "sheet": sheet.id}

    # results
    def _signed(self) -> dict[tuple[str, str], list[Any]]:
        out: dict[tuple[str, str], list[Any]] = {}
        for sit in store.sittings(self.archive, self.id):
            rb_id = self.stations[sit["station"]]["rubric"]
            for sheet in self.archive.sheets(sit["drill_id"], current_only=True):
                if sheet.signed and sheet.rubric_id == rb_id:
                    out.setdefault((sit["candidate_id"], sit["station"]), []).append(sheet)
        return out

    def results(self) -> list[dict[str, Any]]:
        """Each candidate with each station's verdict and points (signed sheets only; with
        two examiners, the mean of their points, pass only if every sheet passes), and the
        total over the stations."""
        signed = self._signed()
        out = []
        for staff, c in self.candidates.items():
            rows, total, maximum = [], 0.0, 0.0
            for st in self.stations:
                sheets = signed.get((c["id"], st), [])
                if not sheets:
                    rows.append({"station": st, "verdict": "not signed", "points": None,
                                 "max_points": None, "percentage": None, "examiners": 0})
                    continue
                pts = sum(float(s.data.get("points") or 0) for s in sheets) / len(sheets)
                mx = float(sheets[0].data.get("max_points") or 0)
                verdicts = [(s.data.get("verdict") or {}).get("result") for s in sheets]
                verdict = "pass" if all(v == "pass" for v in verdicts) else \
                    "fail" if any(v == "fail" for v in verdicts) else str(verdicts[0])
                total += pts
                maximum += mx
                rows.append({"station": st, "verdict": verdict, "points": round(pts, 3),
                             "max_points": mx, "percentage": round(100 * pts / mx, 1) if mx else None,
                             "examiners": len(sheets)})
            out.append({"candidate": staff, "name": c["name"], "stations": rows,
                        "total": round(total, 3), "max_total": maximum,
                        "passed_all": all(r["verdict"] == "pass" for r in rows)})
        return out

    def station_titles(self) -> dict[str, Any]:
        """Station id → the title of its rubric (three languages)."""
        return {st: self.rubric(st).rubric.title.model_dump() for st in self.stations}

    def result_sheets(self) -> list[dict[str, Any]]:
        """``results()`` with what a candidate's results sheet prints: per station its title,
        the examiners who signed, the global ratings and the critical items with their status
        on each signed sheet (labels in three languages)."""
        signed = self._signed()
        names = {}
        for s in self.stations.values():
            for eid in s["examiner_ids"]:
                names[eid] = self.archive.examiner(eid).name
        titles = self.station_titles()
        out = self.results()
        for c in out:
            cid = self.candidates[c["candidate"]]["id"]
            c["department"] = self.candidates[c["candidate"]].get("department")
            for row in c["stations"]:
                sheets = signed.get((cid, row["station"]), [])
                row["title"] = titles[row["station"]]
                row["examiner_names"] = [names.get(sh.signed_by or "", sh.signed_by or "?") for sh in sheets]
                row["global"] = [(sh.data.get("global_grade") or {}).get("label") for sh in sheets
                                 if sh.data.get("global_grade")]
                crit: dict[str, dict[str, Any]] = {}
                for it in self.rubric(row["station"]).rubric.items:
                    if getattr(it, "critical", False):
                        crit[it.id] = {"id": it.id, "label": it.label.model_dump(), "status": []}
                for sh in sheets:
                    for it in sh.data.get("items", []):
                        if it.get("critical") and it["id"] in crit:
                            crit[it["id"]]["status"].append(it.get("status"))
                row["critical"] = list(crit.values())
        return out

    def release_time(self) -> str | None:
        row = self.archive._one("SELECT at FROM exam_events WHERE exam_id = ? AND kind = 'release' "
                                "ORDER BY id LIMIT 1", self.id)
        return None if row is None else str(row["at"])

    def schedule_pdf(self, lang: str, header: Any = None) -> bytes:
        """The schedule per station and per candidate as a PDF (``reports.examschedule``), on
        the exam clock once started."""
        from simtool.reports.common import Header
        from simtool.reports.examschedule import render_schedule
        from simtool.reports.examscheduledata import build_schedule
        z = self.zero()
        started = z.astimezone().strftime("%Y-%m-%d %H:%M:%S") if z is not None else None
        return render_schedule(build_schedule(self.definition, self.schedule_rows(),
                                              self.station_titles(), lang, started_at=started,
                                              header=header or Header()))

    def write_results_pdfs(self, folder: str | Path, lang: str, *, force: bool = False,
                           header: Any = None) -> list[Path]:
        """One results PDF per candidate in ``folder`` (``reports.examresults``), named by the
        exam and the candidate's staff id. Refused before the results are released unless
        ``force`` (then each page says the results are not released)."""
        from simtool.reports.common import Header
        from simtool.reports.examresults import render_results
        from simtool.reports.examresultsdata import build_results
        from simtool.reports.i18n import check_lang
        from simtool.store.outputs import safe_name_part, write_atomic
        check_lang(lang)
        released = self.release_time()
        if released is None and not force:
            raise ExamDayError(f"the results of exam {self.id} are not released yet; release them "
                               f"(simtool exam release {self.id}) or print them for the organiser "
                               f"with --force")
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise ExamDayError(f"{folder} is a file, not a folder")
        sheets = self.result_sheets()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            out = []
            for c in sheets:
                pdf = render_results(build_results(self.definition, c, lang, released_at=released,
                                                   header=header or Header()))
                path = folder / f"{self.id}-{safe_name_part(c['candidate'])}-{lang}.pdf"
                write_atomic(path, pdf, protect=[self.archive.path], force=True)
                out.append(path)
        except OSError as exc:
            raise ExamDayError(f"cannot write the results PDFs in {folder}: "
                               f"{exc.strerror or exc}") from None
        return out

    def statistics(self, resamples: int = 200, seed: int = 0) -> dict[str, Any]:
        """``core.psychometrics.exam_report`` on the exam's signed sheets (station = the exam's
        station id, examiner = who signed): borderline regression, α, examiner deviations."""
        from simtool.core.psychometrics import exam_report
        from simtool.core.scorecsv import ScoreRow
        rows = []
        for (cand, st), sheets in sorted(self._signed().items()):
            for s in sheets:
                grade = (s.data.get("global_grade") or {}).get("value")
                if grade is None:
                    continue
                items = {i["id"]: float(i["points"]) for i in s.data.get("items", [])
                         if i.get("points") is not None}
                rows.append(ScoreRow(cand, st, s.signed_by or "?", float(s.data.get("points") or 0.0),
                                     float(grade), items))
        if not rows:
            return {"candidates": 0, "stations": [], "exam": None, "examiners": [],
                    "warnings": ["no signed sheets with a global rating yet"]}
        return exam_report(rows, resamples=resamples, seed=seed)

    def schedule_rows(self) -> list[dict[str, Any]]:
        """One row per candidate and position. ``start`` is the wall-clock time of the round's
        reading bell on the exam clock: from the exam's recorded start (the lab computer's
        time zone; ``start_at`` is the same moment in UTC) once the exam is started, else from
        the file's planned ``start`` (``clock`` says which)."""
        z = self.zero()
        base = z.astimezone().strftime("%H:%M:%S") if z is not None else self.definition.get("start")
        out = []
        for s in self.plan.slots:
            row = s.to_dict(base)
            row["name"] = self.candidates[s.candidate]["name"]
            row["clock"] = "started" if z is not None else "planned"
            row["start_at"] = None if z is None else (z + timedelta(seconds=s.start_s)).isoformat(
                timespec="seconds").replace("+00:00", "Z")
            out.append(row)
        return out


def _client(value: Any) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= 64 or \
            not all(c.isascii() and (c.isalnum() or c in "-_") for c in value):
        raise ExamDayError("client is a device id of 1 to 64 letters, digits, - or _")
    return value


def _change(change: Any) -> dict[str, Any]:
    if not isinstance(change, Mapping):
        raise ExamDayError("change is an object: {item, value}, {global} or {comment}")
    keys = set(change)
    if keys == {"item", "value"}:
        item, value = change["item"], change["value"]
        if not isinstance(item, str) or len(item) > 100:
            raise ExamDayError("item is an item id of the station's rubric")
        if value is not None and not isinstance(value, (bool, str)) and \
                not (isinstance(value, int) and abs(value) < 1000):
            raise ExamDayError("value is true, false, a level, 'not observed' or null")
        if isinstance(value, str) and value not in ("not observed", "done", "not done"):
            raise ExamDayError("value is true, false, a level, 'not observed' or null")
        return {"item": item, "value": value}
    if keys == {"global"}:
        if not isinstance(change["global"], str) or len(change["global"]) > 100:
            raise ExamDayError("global is a grade id of the station's global rating")
        return {"global": change["global"]}
    if keys == {"comment"}:
        text = change["comment"]
        if text is not None and (not isinstance(text, str) or len(text) > MAX_NOTE_CHARS):
            raise ExamDayError(f"comment is text of at most {MAX_NOTE_CHARS:,} characters")
        if isinstance(text, str) and any(ord(c) < 32 and c not in "\n\t" for c in text):
            raise ExamDayError("comment contains a control character")
        return {"comment": text}
    raise ExamDayError("change is an object: {item, value}, {global} or {comment}")


def rest_station() -> str:
    return REST


__all__ = ["ExamDay", "ExamDayError", "GRACE_S", "Turn", "create_exam", "summary"]


# --- what the faces show around the exam ------------------------------------------------------

def exams_in(archive: Archive) -> list[dict[str, Any]]:
    """The archive's exams, oldest first: id, title (three languages) and when created."""
    return [{"id": e["id"], "title": e["title"], "at": e["at"]} for e in store.exams(archive)]


# --- one exam server per archive -----------------------------------------------------------------
# An ``ExamDay`` keeps each sheet's draft marks in memory: two servers on one archive would each
# save their own copy of a draft over the other's, and an examiner's acknowledged mark would be
# lost. So a server holds an exclusive OS lock on ``ARCHIVE.exam-server.lock`` (beside the
# archive, whatever exam it serves) from before it opens the archive until it stops; the OS
# drops the lock of a killed server, so a crash never blocks the next one.

SERVER_LOCK_SUFFIX = ".exam-server.lock"


def server_lock_path(archive_path: str | Path) -> Path:
    """The lock file of ``archive_path``'s exam server (beside the archive's real file)."""
    p = Path(archive_path).resolve()
    return p.with_name(p.name + SERVER_LOCK_SUFFIX)


def hold_server(archive_path: str | Path, exam_id: str, url: str) -> Any:
    """Become the one exam server of the archive at ``archive_path``: the lease
    (``store.serverlock.Lease``; ``release()`` or a ``with`` block lets it go) is held for as
    long as the server serves. ``ExamDayError`` (one sentence, nothing held) when another exam
    server serves the archive (any exam: it names that server and what to do), when there is
    no archive there, or when the lock file cannot be made (a read-only folder: serving is
    refused, since every mark is written into the archive)."""
    import os
    import socket

    from simtool.store import serverlock
    archive = Path(archive_path)
    if not archive.is_file():
        raise ExamDayError(f"no archive at {archive}", 404)
    lock = server_lock_path(archive)
    holder = {"format": "simtool-exam-server", "host": socket.gethostname(), "pid": os.getpid(),
              "exam": exam_id, "url": url, "archive": str(archive.resolve()),
              "since": datetime.now(timezone.utc).isoformat(timespec="seconds")
              .replace("+00:00", "Z")}
    try:
        return serverlock.acquire(lock, holder)
    except serverlock.LockHeld as held:
        raise ExamDayError(server_refusal(archive, held.holder, lock), 409) from None
    except OSError as exc:
        raise ExamDayError(f"cannot serve the archive {archive}: the lock file {lock} that keeps "
                           f"a second exam server off it cannot be made "
                           f"({exc.strerror or exc}); a server writes every mark into the "
                           f"archive, so serve it from a folder this account can write to",
                           500) from None


def server_refusal(archive: Path, holder: Mapping[str, Any] | None, lock: Path) -> str:
    """The one sentence a second server is refused with, naming the first."""
    from simtool.core.timefmt import wall_time
    if holder is None:
        who = f"who it is cannot be read from {lock}"
    else:
        who = (f"exam {holder.get('exam', '?')} at {holder.get('url', '?')}, pid "
               f"{holder.get('pid', '?')} on {holder.get('host', '?')}, since "
               f"{wall_time(holder.get('since'))}")
    return (f"the archive {archive} is already served by another exam server ({who}): one "
            f"server per archive, so examiners join that one, or stop it first (Ctrl-C in its "
            f"terminal, or Stop marking page in its window) and serve again")


def check_can_serve(archive_path: str | Path) -> None:
    """Would ``hold_server`` take the archive now? ``ExamDayError`` with its sentence if not
    (a face asks before it starts a server process; the process still holds the lock itself)."""
    hold_server(archive_path, "", "").release()


def join_url(host: str, port: int) -> str:
    """The address examiners open (the QR code's text)."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def join_qr_png(url: str, scale: int = 8) -> bytes:
    """The join address as a QR code, a PNG (segno: drawn here, never by a web service)."""
    import io

    import segno
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=scale, border=4)
    return buf.getvalue()


def lan_addresses() -> list[str]:
    """This computer's IPv4 addresses on its networks (the lab Wi-Fi's first), 127.0.0.1 last."""
    import socket
    found: list[str] = []
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            addr = str(info[4][0])
            if addr not in found and not addr.startswith("127."):
                found.append(addr)
    except OSError:
        pass
    try:        # the address the default route leaves from (no packet is sent)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))
            addr = s.getsockname()[0]
            if addr not in found and not addr.startswith("127."):
                found.insert(0, addr)
    except OSError:
        pass
    return found + ["127.0.0.1"]
