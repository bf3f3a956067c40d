"""The drill archive: one SQLite file holding every drill, its event log, vitals and scores.

Recording a drill (what ``simtool run --archive`` and the window do)::

    with Archive.open(path) as archive:            # busy_timeout_s=5.0, clock=..., actor=...
        archive.on_notice = tell_the_user          # one sentence when writes go elsewhere
        drill_id = archive.start_drill(loaded, patient, participants, "summative",
                                       trainees={"t1": trainee_id})
        drill = Drill(loaded, patient, participants)
        archive.record(drill_id, drill, on_stored=show_as_logged)  # durable events, in order
        ... drill.act(...); drill.tick(...); archive.append_vitals(drill_id, sample(drill))
        drill.end()                     # the "end" event sets the drill's status to ended
        if archive.settle():            # try hard; > 0: entries only memory holds, lost now
            ...

Durability: ``append_event`` returns only after the event is committed with
``synchronous=FULL`` (fsync'd). If the archive cannot take it — read-only, disk full, I/O
error, or another simtool holding the lock past the busy timeout — the event goes to the
journal beside the archive, or if that fails to the fallback journal in the per-user data
folder (both fsync'd), and the call returns a ``Journalled`` instead of raising; only if both
fail is it held in memory (``Journalled.durable`` False), which is never shown as logged:
``record``'s ``on_stored`` sees an event only once it is durable. ``append_vitals``,
``set_status`` and ``end_drill`` behave the same. Every other write raises
``ArchiveLockedError`` / ``ArchiveWriteError`` instead.

One owner per drill: ``start_drill`` and ``resume`` claim a drill inside one write transaction
(compare-and-set: refused if another simtool claimed it since it was read), and an event or
vitals sample of a drill that another simtool now owns is refused in the transaction that would
store it.

Crash recovery: ``drills()`` reports a running or paused drill whose owning process on this
host is gone as ``interrupted``; ``resume(drill_id, loaded)`` replays the stored input events
into a fresh ``Drill`` (with the scenario text the drill was started with), checks that it
reproduces the stored record (and, with ``check``, e.g. that a script is the one played), claims
ownership, stores any derived events the crash cut off and (by default) keeps recording it.

The ``pause``, ``resume`` and ``end`` events set the drill's status as they are stored.
``Archive`` is assembled from parts: SQLite plumbing, transactions, the audit chain and the
journal fallback in ``connection.py``; score sheets, sign-off and amendments in ``sheets.py``;
debrief notes in ``debriefnotes.py``; the examiners of each drill in ``drillexaminers.py``;
reading (``drill``, ``drills``, ``drills_in``, ``trainee_history``, ``events``, ``vitals``) in
``queries.py``; ``verify()`` in ``verify.py``. Bundles are ``bundle.py``, CSV ``export.py``.

Errors are ``ArchiveError`` subclasses (``simtool.store.errors``) whose message is one sentence
naming the file; the CLI prints ``str(exc)``. An ``Archive`` is not thread-safe: open one per
thread (e.g. for a bundle import off the GUI thread).
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import replace
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.events import INPUT_KINDS, Event
from simtool.core.rubric import EvaluationType
from simtool.core.scenario import LoadedScenario, load_scenario_text
from simtool.store import schema
from simtool.store.analytics import (AFFECTS_INDICATORS, FINISHED, KEEPS_AMENDED, KEEPS_AT_END,
                                     keep_indicators)
from simtool.store.connection import Clock, _default_actor, iso, reads, utc_clock
from simtool.store.debriefnotes import DebriefNotesMixin
from simtool.store.drillexaminers import DrillExaminersMixin
from simtool.store.logbook import LogbookMixin
from simtool.store.people import PeopleMixin
from simtool.store.quality import QualityMixin
from simtool.store.errors import ArchiveError, NotFoundError, SignedRecordError
from simtool.store.hashing import (canonical_json, drill_record_sha256, event_row_sha256, row_sha256,
                                   sha256_hex, vitals_batch_id, vitals_batch_sha256,
                                   vitals_row_sha256)
from simtool.store.journal import Journalled
from simtool.store.owner import Owner
from simtool.store.records import PERSON_DETAILS, FlushReport, Trainee
from simtool.store.queries import QueriesMixin
from simtool.store.record import ArchivedRecord
from simtool.store.recording import Recording

_STATUS_OF_EVENT = {"pause": "paused", "resume": "running", "end": "ended"}


class Archive(QueriesMixin, DebriefNotesMixin, DrillExaminersMixin, PeopleMixin, LogbookMixin,
              QualityMixin):
    """One archive file. Not thread-safe: use one ``Archive`` per thread or process."""

    @classmethod
    def open(cls, path: str | Path, busy_timeout_s: float = 5.0, *, create: bool = True,
             clock: Clock | None = None, actor: str | None = None,
             schema_version: int | None = None,
             on_progress: Callable[[str, int, int], None] | None = None) -> "Archive":
        """Open and upgrade the archive at ``path`` (created if missing, unless ``create`` is
        False: then a missing file is ``NotFoundError``, as suits ``simtool drills``/``verify``).

        ``busy_timeout_s`` is how long a write waits for another simtool's lock before
        ``ArchiveLockedError``. ``clock`` returns an aware ``datetime`` (tests inject one);
        ``actor`` is who the audit log names for writes (default ``user@host``).
        ``schema_version`` stops upgrades at that version — only for building old-format
        fixtures. ``on_progress(step, done, total)`` hears a long upgrade as it goes (the upgrade
        to format 10 computes the indicator results of every finished drill: step "indicators",
        in drills; seconds on a large archive): a window shows it as a progress dialog, the
        command line as a line on stderr (``simtool.app.upgrade``). A journal left by an earlier
        run is written into the archive now if it can be."""
        p = Path(path)
        if not create and not p.is_file():
            raise NotFoundError(f"no archive at {p}")
        clock, actor = clock or utc_clock, actor or _default_actor()
        db = cls._open_db(p, busy_timeout_s, schema_version, at=lambda: iso(clock()), actor=actor,
                          progress=on_progress)
        archive = cls(p, db, busy_timeout_s, clock, actor)
        if archive._journalled():
            try:
                archive.flush_journal()
            except (ArchiveError, OSError):
                pass  # still not writable: the journal waits for the next write
        return archive

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    # --- trainees ------------------------------------------------------------------------------
    def add_trainee(self, trainee: Trainee) -> str:
        """Store a trainee (or return the id of the one already stored with that id)."""
        tid = trainee.id or str(uuid.uuid4())
        with self.transaction():
            self._insert_person("trainees", {"id": tid, "name": trainee.name,
                                             "staff_id": trainee.staff_id,
                                             **_details(trainee)}, self._now())
        return tid

    def _person_for(self, trainee: Trainee, site: str | None = None) -> str:
        """The trainee record for a person named at setup: the one already kept with this
        staff id at this site (one person is one record, however many drills they take part
        in), else a new record. A staff id names one person within a site: a record of
        another site with the same staff id is another person (merge them if they are one);
        a record without a site (made before sites were kept) is matched by staff id alone.
        A person without a staff id cannot be recognised, so each time is a new one."""
        staff = (trainee.staff_id or "").strip() or None
        home = trainee.site or site
        if trainee.id is None and staff:
            found = self.find_trainee(staff, home)
            if found is not None:
                return found
        return self.add_trainee(replace(trainee, staff_id=staff, site=home))

    @reads
    def find_trainee(self, staff_id: str, site: str | None = None) -> str | None:
        """The id of the trainee kept with this staff id at ``site`` (or without a site); the
        first recorded when several match, None when none does."""
        if self.schema_version >= 9 and site:
            row = self._one("SELECT id FROM trainees WHERE staff_id = ? AND (site = ? OR site IS NULL) "
                            "ORDER BY site IS NULL, rowid LIMIT 1", staff_id, site)
        else:
            row = self._one("SELECT id FROM trainees WHERE staff_id = ? ORDER BY rowid LIMIT 1",
                            staff_id)
        return None if row is None else str(row["id"])

    def update_trainee(self, trainee_id: str, *, name: str | None = None,
                       staff_id: str | None = None, department: str | None = None,
                       profession: str | None = None, grade: str | None = None,
                       site: str | None = None) -> None:
        """Correct or complete a trainee's record (a typo, a new grade): an audited update
        whose audit row carries the new record's hash, so ``verify`` tells it from a hand
        edit. Only the fields given change."""
        changes = {k: v for k, v in (("name", name), ("staff_id", staff_id),
                                     ("department", department), ("profession", profession),
                                     ("grade", grade), ("site", site)) if v is not None}
        with self.transaction():
            self._update_person("trainees", trainee_id, changes, self._now())

    @reads
    def trainee(self, trainee_id: str) -> Trainee:
        row = self._one("SELECT * FROM trainees WHERE id = ?", trainee_id)
        if row is None:
            raise NotFoundError(f"no trainee {trainee_id} in the archive {self.path}")
        return _trainee(row)

    @reads
    def trainees(self, staff_id: str | None = None) -> list[Trainee]:
        where, params = ("WHERE staff_id = ?", [staff_id]) if staff_id is not None else ("", [])
        return [_trainee(r) for r in self.db.query(f"SELECT * FROM trainees {where} ORDER BY name, id", params)]

    # --- starting and recording drills ---------------------------------------------------------
    def start_drill(self, loaded: LoadedScenario, patient: PatientParams,
                    participants: Iterable[Participant], evaluation_type: str = EvaluationType.FORMATIVE,
                    trainees: Mapping[str, str | Trainee] | None = None, *,
                    site: str | None = None, department: str | None = None,
                    drill_id: str | None = None) -> str:
        """Record a new drill owned by this process, status ``running``; returns its id.

        ``trainees`` links participant ids to trainee ids (or to ``Trainee`` records, stored
        if new). The scenario's exact text is stored (once per distinct text)."""
        if evaluation_type not in schema.EVALUATION_TYPES:
            raise ArchiveError(f"evaluation type '{evaluation_type}' is not one of "
                               f"{', '.join(schema.EVALUATION_TYPES)}")
        people = tuple(participants)
        links = dict(trainees or {})
        unknown = set(links) - {p.id for p in people}
        if unknown:
            raise ArchiveError(f"trainees given for unknown participants: {', '.join(sorted(unknown))}")
        did = drill_id or str(uuid.uuid4())
        sha = sha256_hex(loaded.text)
        now, owner = self._now(), self._me()
        with self.transaction():
            taken = self._one("SELECT owner_host, owner_pid FROM drills WHERE id = ?", did)
            if taken is not None:  # checked inside the write transaction: no one can slip in
                raise ArchiveError(f"a drill {did} is already in the archive {self.path}"
                                   + (f" (pid {taken['owner_pid']} on {taken['owner_host']})"
                                      if taken["owner_host"] else "") + "; not started again")
            self._conn.execute("INSERT INTO texts (sha256, kind, text) VALUES (?, 'scenario', ?) "
                               "ON CONFLICT DO NOTHING", (sha, loaded.text))
            ids: dict[str, str] = {}
            for pid, link in links.items():
                ids[pid] = self._person_for(link, site) if isinstance(link, Trainee) else link
                if self._one("SELECT id FROM trainees WHERE id = ?", ids[pid]) is None:
                    raise NotFoundError(f"no trainee {ids[pid]} in the archive {self.path}")
            seq, prev = self._reserve_audit()
            row: dict[str, Any] = {
                "id": did, "scenario_id": loaded.scenario.id,
                "scenario_version": str(loaded.scenario.version), "scenario_sha256": sha,
                "patient": canonical_json({"weight_kg": float(patient.weight_kg),
                                           "conditions": list(patient.conditions),
                                           **({"variant": patient.variant} if patient.variant else {})}),
                "evaluation_type": evaluation_type, "status": "running", "started_at": now,
                "updated_at": now, "owner_host": owner.host, "owner_pid": owner.pid,
                "owner_start": owner.start, "audit_seq": seq}
            if site is not None:
                row["site"] = site  # only from schema 2 on
            if department is not None:
                if self.schema_version < 8:
                    raise ArchiveError(f"the archive {self.path} is in an older format without "
                                       f"departments of drills; open it with this simtool to "
                                       f"upgrade it")
                row["department"] = department
            cols = ", ".join(row)
            self._conn.execute(f"INSERT INTO drills ({cols}) VALUES ({', '.join('?' * len(row))})",
                               tuple(row.values()))
            self._conn.executemany(
                "INSERT INTO participants (drill_id, id, trainee_id, name, role) VALUES (?, ?, ?, ?, ?)",
                [(did, p.id, ids.get(p.id), p.name, p.role) for p in people])
            self._write_audit(seq, prev, "insert", "drills", did, self._drill_sha(did), now)
        return did

    def record(self, drill_id: str, drill: Drill,
               on_journal: Callable[[Journalled], None] | None = None, *,
               on_stored: Callable[[Event], None] | None = None) -> Recording:
        """Store ``drill``'s events so far and every later one as it happens.

        ``on_stored`` is called with every event of the drill, in order, once it is durable —
        committed in the archive or fsync'd in a journal — and never for an event held only in
        memory: that one (and every later one, to keep the order) is passed on when a later
        write or ``settle()`` makes it durable. Show events as logged from ``on_stored`` (or
        ``Recording.subscribe``), never from ``drill.subscribe``. ``on_journal`` is called with
        the ``Journalled`` result of each event that did not reach the archive; for telling a
        user, prefer ``on_notice`` (one sentence per change, not one per event).
        Returns the ``Recording``; calling it (or ``stop()``) stops recording."""
        return Recording(self, drill_id, drill, on_journal, on_stored)

    def recording(self, drill_id: str) -> Recording | None:
        """The recording this archive keeps of ``drill_id`` (e.g. one ``resume`` started)."""
        return self._recordings.get(drill_id)

    def _event_entry(self, drill_id: str, event: Event) -> dict[str, Any]:
        return {"op": "event", "drill_id": drill_id, "event": event.to_dict(), "at": self._now(),
                "actor": self.actor, "owner": self._owner_json()}

    def _owner_json(self) -> dict[str, Any]:
        me = self._me()
        return {"host": me.host, "pid": me.pid, "start": me.start}

    def append_event(self, drill_id: str, event: Event) -> Journalled | None:
        """Store one event, committed and fsync'd before returning; None when it is in the
        archive, a ``Journalled`` when it had to go to a journal (``kept_in``) or, not durable,
        to memory (``kept_in`` None). Storing the same event twice is a no-op; a different
        event under the same seq, or an event of a drill another simtool now owns, raises
        ``ArchiveError``."""
        return self._durable(self._event_entry(drill_id, event))

    def append_vitals(self, drill_id: str, row: Mapping[str, Any]) -> Journalled | None:
        """Store one vitals sample (``runner.sample(drill)``: needs ``t``); journalled like events."""
        if "t" not in row:
            raise ArchiveError("a vitals sample needs its drill time 't'")
        return self._durable({"op": "vitals", "drill_id": drill_id, "row": dict(row),
                              "at": self._now(), "actor": self.actor, "owner": self._owner_json()})

    def set_status(self, drill_id: str, status: str) -> Journalled | None:
        """Set the stored status (running, paused, interrupted, ended, signed)."""
        if status not in schema.STATUSES:
            raise ArchiveError(f"status '{status}' is not one of {', '.join(schema.STATUSES)}")
        return self._durable({"op": "status", "drill_id": drill_id, "status": status,
                              "at": self._now(), "actor": self.actor})

    def end_drill(self, drill_id: str) -> Journalled | None:
        """Mark the drill ended (its first end time is kept)."""
        return self.set_status(drill_id, "ended")

    # --- applying one journalable write (inside a transaction) ---------------------------------
    def _apply_entry(self, entry: dict[str, Any]) -> str:
        """Apply one event / vitals / status entry; returns "written" or "present"."""
        did, op = entry["drill_id"], entry["op"]
        now, actor = self._now(), entry.get("actor")
        drill = self._one("SELECT status, owner_host, owner_pid, owner_start FROM drills "
                          "WHERE id = ?", did)
        if drill is None:
            raise NotFoundError(f"no drill {did} in the archive {self.path}")
        by = entry.get("owner")
        if op != "status" and by is not None and drill["owner_host"] is not None and \
                (drill["owner_host"], drill["owner_pid"], drill["owner_start"]) != \
                (by.get("host"), by.get("pid"), by.get("start")):
            raise ArchiveError(f"drill {did} is now recorded by another simtool (pid "
                               f"{drill['owner_pid']} on {drill['owner_host']}); this one may not "
                               f"add to it")
        if op == "status":
            return self._set_status_in_tx(did, entry["status"], now, actor)
        if drill["status"] == "signed":
            raise SignedRecordError(f"drill {did} is signed; its record cannot grow")
        if op == "vitals":
            return self._insert_vitals(did, [entry["row"]], now, actor)
        ev = entry["event"]
        outcome = self._insert_event(did, ev, now, actor)
        if outcome == "written" and ev["kind"] in _STATUS_OF_EVENT:
            self._set_status_in_tx(did, _STATUS_OF_EVENT[ev["kind"]], now, actor)
        elif outcome == "written" and drill["status"] in FINISHED and ev["kind"] in AFFECTS_INDICATORS:
            self._keep_at_commit(did, KEEPS_AMENDED)   # an amendment (or a late flag) after the end
        return outcome

    def _insert_vitals(self, did: str, rows: Iterable[Mapping[str, Any]], now: str,
                       actor: str | None, op: str = "insert") -> str:
        """Insert vitals samples of one drill with one audit row covering them (a live sample
        is a batch of one; a bundle import writes a drill's samples as one batch); "present"
        when every sample is already stored identically, else refuse a different one."""
        new: list[tuple[float, str, str]] = []
        for row in rows:
            t, data = float(row["t"]), canonical_json(row)
            old = self._one("SELECT data FROM vitals WHERE drill_id = ? AND t = ?", did, t)
            if old is not None:
                if old["data"] == data:
                    continue
                raise ArchiveError(f"vitals at t={t:g} s of drill {did} are already "
                                   f"recorded with other values")
            new.append((t, data, vitals_row_sha256(did, t, data)))
        if not new:
            return "present"
        if not self._audits_everything:  # an old-format fixture being built
            self._conn.executemany("INSERT INTO vitals (drill_id, t, data) VALUES (?, ?, ?)",
                                   [(did, t, data) for t, data, _h in new])
            return "written"
        hashed = [(t, h) for t, _d, h in new]
        if len({t for t, _h in hashed}) != len(hashed):
            raise ArchiveError(f"vitals of drill {did}: two samples at the same time")
        seq, prev = self._reserve_audit()
        self._write_audit(seq, prev, op, "vitals", vitals_batch_id(did, hashed),
                          vitals_batch_sha256(hashed), now, actor)
        self._conn.executemany(
            "INSERT INTO vitals (drill_id, t, data, row_sha256, audit_seq) VALUES (?, ?, ?, ?, ?)",
            [(did, t, data, h, seq) for t, data, h in new])
        return "written"

    def _insert_event(self, did: str, ev: Mapping[str, Any], now: str, actor: str | None,
                      op: str = "insert") -> str:
        """Insert one event row and its audit row; "present" if identical, else refuse."""
        seq, t, kind, data = int(ev["seq"]), float(ev["t"]), str(ev["kind"]), canonical_json(ev)
        digest = event_row_sha256(did, seq, t, kind, data)
        old = self._one("SELECT row_sha256 FROM events WHERE drill_id = ? AND seq = ?", did, seq)
        if old is not None:
            if old["row_sha256"] == digest:
                return "present"
            raise ArchiveError(f"event {seq} of drill {did} is already recorded with other "
                               f"content in {self.path}")
        aseq, prev = self._reserve_audit()
        self._conn.execute(
            "INSERT INTO events (drill_id, seq, t, kind, data, row_sha256, audit_seq) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", (did, seq, t, kind, data, digest, aseq))
        self._write_audit(aseq, prev, op, "events", f"{did}/{seq}", digest, now, actor)
        return "written"

    def _set_status_in_tx(self, did: str, status: str, now: str, actor: str | None = None,
                          owner: Owner | None = None) -> str:
        row = self._one("SELECT status, ended_at FROM drills WHERE id = ?", did)
        if row is None:
            raise NotFoundError(f"no drill {did} in the archive {self.path}")
        if row["status"] == status and owner is None:
            return "present"
        if row["status"] == "signed":
            raise SignedRecordError(f"drill {did} is signed; its status cannot change")
        ended_at = row["ended_at"] or (now if status in ("ended", "signed") else None)
        seq, prev = self._reserve_audit()
        sets = "status = ?, ended_at = ?, updated_at = ?, audit_seq = ?"
        params: list[Any] = [status, ended_at, now, seq]
        if owner is not None:
            sets += ", owner_host = ?, owner_pid = ?, owner_start = ?"
            params += [owner.host, owner.pid, owner.start]
        self._conn.execute(f"UPDATE drills SET {sets} WHERE id = ?", (*params, did))
        self._write_audit(seq, prev, "claim" if owner else "update", "drills", did,
                          self._drill_sha(did), now, actor)
        if status in FINISHED and row["status"] not in FINISHED:
            self._keep_at_commit(did, KEEPS_AT_END)   # its times are final now
        return "written"

    # --- indicator results, kept as a drill ends or is amended ----------------------------------
    def _keep_at_commit(self, did: str, from_format: int) -> None:
        """Have this transaction compute and keep drill ``did``'s indicator results before it
        commits, if the archive's format keeps them then (an old-format fixture behaves as the
        simtool that made it did)."""
        if self.schema_version >= from_format:
            self._pending_kept.add(did)

    def _before_commit(self) -> None:
        """Keep the indicator results of the drills this transaction ended or amended, in it:
        the first report after a drill then reads them instead of scanning events (at 100,000
        drills that scan took ~20 s). Derived data never costs a record: if computing fails
        (an archived scenario text this simtool cannot read), the drill's events still commit
        and a report computes its results, or says why it cannot, as before."""
        if not self._pending_kept:
            return
        drills, self._pending_kept = sorted(self._pending_kept), set()
        self._conn.execute("SAVEPOINT keep_indicators")
        try:
            keep_indicators(self, *drills)
        except Exception:  # noqa: BLE001 - see above: the record first, derived results later
            self._conn.execute("ROLLBACK TO keep_indicators")
        self._conn.execute("RELEASE keep_indicators")

    def _drill_sha(self, did: str) -> str:
        row = self._one("SELECT * FROM drills WHERE id = ?", did)
        people = list(self.db.query("SELECT * FROM participants WHERE drill_id = ?", [did]))
        return drill_record_sha256(row or {}, people)

    # --- the journal ---------------------------------------------------------------------------
    def flush_journal(self) -> FlushReport:
        """Write journalled (and memory-held) entries into the archive, then remove the journals.

        Reads every journal of this archive — beside it and the fallback in the per-user data
        folder — plus what memory holds, in the order the entries were made, in one
        transaction. Idempotent: entries already in the archive are skipped, so a crash between
        the commit and the removal does no harm. An entry the archive refuses (e.g. a different
        event under the same seq) is kept in ``<journal>.rejected`` and reported. Raises
        ``ArchiveLockedError`` / ``ArchiveWriteError`` (journals kept) if writing still fails."""
        report = FlushReport()
        with contextlib.ExitStack() as stack:
            claims = [stack.enter_context(j.claimed()) for j in self.journals()]  # fixed order
            held = list(self._memory)
            sources = [(c, e) for c in claims for e in c.entries] + [(None, e) for e in held]
            # stable: entries without a time (older journals) keep their file order
            sources.sort(key=lambda item: str(item[1].get("at") or ""))
            report.torn_lines = sum(c.torn_lines for c in claims)
            refused: dict[int, list[tuple[dict[str, Any], str]]] = {}
            if sources:
                with self.transaction():
                    for claim, entry in sources:
                        self._conn.execute("SAVEPOINT entry")
                        try:
                            outcome = self._apply_entry(entry)
                        except (ArchiveError, KeyError, TypeError, ValueError, AttributeError) as exc:
                            self._conn.execute("ROLLBACK TO entry")
                            refused.setdefault(0 if claim is None else claims.index(claim), []) \
                                .append((entry, str(exc) or type(exc).__name__))
                            outcome = "refused"
                        self._conn.execute("RELEASE entry")
                        if outcome == "written":
                            report.written += 1
                        elif outcome == "present":
                            report.already_present += 1
            for i, items in sorted(refused.items()):
                report.rejected += [reason for _e, reason in items]
                report.rejected_file = self._set_aside(items, claims[i].journal)
            for claim in claims:
                claim.remove()
            self._memory = [e for e in self._memory if not any(e is h for h in held)]
        if held:
            self._settled()
        return report

    def _set_aside(self, items: list[tuple[dict[str, Any], str]], first: Any) -> Any:
        """Keep refused entries in ``<journal>.rejected``, beside the archive or else in the
        data folder; OSError (the flush is then retried later) only if neither can be written."""
        error: OSError | None = None
        for journal in (first, *[j for j in self.journals() if j is not first]):
            try:
                return journal.set_aside(items)
            except OSError as exc:
                error = exc
        assert error is not None
        raise error

    # --- resuming ------------------------------------------------------------------------------
    def scenario_for(self, drill_id: str, loaded: LoadedScenario) -> LoadedScenario:
        """``loaded`` if its text is the one the drill used, else the stored text loaded with
        ``loaded``'s action catalogue (so an edited scenario file cannot change an old drill)."""
        info = self.drill(drill_id)
        if sha256_hex(loaded.text) == info.scenario_sha256:
            return loaded
        return load_scenario_text(self.scenario_text(drill_id), loaded.catalogue,
                                  f"{self.path} (drill {drill_id}: {info.scenario_id} "
                                  f"{info.scenario_version} as archived)")

    def resume(self, drill_id: str, loaded: LoadedScenario, *, record: bool = True,
               on_journal: Callable[[Journalled], None] | None = None,
               on_stored: Callable[[Event], None] | None = None,
               take_over: bool = False, check: Callable[[Drill], None] | None = None) -> Drill:
        """Rebuild an interrupted drill from its record and carry on with it.

        Writes what the journals hold into the archive first (a resume needs the whole
        record; ``ArchiveWriteError`` if it cannot). Replays the stored input events into a
        fresh ``Drill`` up to the latest stored time, refuses (``ArchiveError``) if that does
        not reproduce every stored event, calls ``check(drill)`` (which refuses by raising,
        e.g. a script that differs from the record), then claims the drill — a compare-and-set
        in one write transaction: refused if another simtool claimed or changed it since it
        was read — and stores the derived events a crash cut off. With ``record`` it keeps
        storing the drill's events (``on_stored``: see ``record``). A drill still owned by a
        live process is refused unless ``take_over`` (needed for one owned on another host)."""
        if self._memory or self._journalled():
            self.flush_journal()
        # read what a claim compares first: a claim by another simtool after this read, even
        # one made before the liveness check below, makes the compare-and-set refuse
        seen = self._claim_state(drill_id)
        info = self.drill(drill_id)
        if info.stored_status in ("ended", "signed"):
            raise ArchiveError(f"drill {drill_id} has {info.stored_status}; it cannot be resumed")
        if not take_over and info.status in ("running", "paused") and info.owner is not None \
                and info.owner != self._me():
            where = f"pid {info.owner.pid} on {info.owner.host}"
            raise ArchiveError(f"drill {drill_id} is still running in another simtool ({where})")
        scenario = self.scenario_for(drill_id, loaded)
        stored = self.events(drill_id)
        last_vitals = self._one("SELECT max(t) AS t FROM vitals WHERE drill_id = ?", drill_id)
        until = max([e.t for e in stored] + [(last_vitals or {}).get("t") or 0.0])
        drill = self._replay_to_record(drill_id, scenario, info, stored, until)
        if check is not None:
            check(drill)
        have = {e.seq for e in stored}
        now, me = self._now(), self._me()
        with self.transaction():
            now_state = self._claim_state(drill_id)
            if now_state != seen:
                row = self._one("SELECT status, owner_host, owner_pid FROM drills WHERE id = ?",
                                drill_id) or {}
                who = f"pid {row.get('owner_pid')} on {row.get('owner_host')}" \
                    if row.get("owner_host") else "another simtool"
                raise ArchiveError(f"drill {drill_id} was resumed or changed by another simtool "
                                   f"({who}) while this one was getting ready; not resumed here")
            self._set_status_in_tx(drill_id, "paused" if drill.paused else "running", now,
                                   owner=me)
            owner = self._owner_json()
            for e in drill.events:
                if e.seq not in have:
                    self._apply_entry({"op": "event", "drill_id": drill_id, "event": e.to_dict(),
                                       "owner": owner})
        if record:
            self.record(drill_id, drill, on_journal, on_stored=on_stored)
        return drill

    def loaded(self, drill_id: str, loaded: LoadedScenario | None = None) -> LoadedScenario:
        """The scenario exactly as drill ``drill_id`` was played (its archived text) with
        ``loaded``'s action catalogue, or the bundled scenario and catalogue when None."""
        info = self.drill(drill_id)
        if loaded is None:
            from simtool.core.catalogue import load_catalogue
            from simtool.core.paths import bundled_catalogue, scenarios_dir
            from simtool.core.scenario import load_scenario
            path = scenarios_dir() / f"{info.scenario_id}.yaml"
            if not path.is_file():
                return load_scenario_text(self.scenario_text(drill_id),
                                          load_catalogue(bundled_catalogue()),
                                          f"{self.path} (drill {drill_id}: {info.scenario_id} "
                                          f"as archived)")
            loaded = load_scenario(path)
        return self.scenario_for(drill_id, loaded)

    def record_of(self, drill_id: str, loaded: LoadedScenario | None = None) -> ArchivedRecord:
        """Drill ``drill_id`` as stored, for any reader (``record.ArchivedRecord``): its row,
        the scenario as played (``loaded(drill_id, loaded)``) and its events."""
        return ArchivedRecord(self.drill(drill_id), self.loaded(drill_id, loaded),
                              self.events(drill_id))

    def replay(self, drill_id: str, loaded: LoadedScenario | None = None) -> Drill:
        """The drill rebuilt from its stored input events, checked against its whole stored
        record (``ArchiveError`` naming the first event that differs), up to its last stored
        moment; the scenario is ``loaded(drill_id, loaded)``."""
        if self._memory or self._journalled():
            self.flush_journal()
        info = self.drill(drill_id)
        stored = self.events(drill_id)
        last_vitals = self._one("SELECT max(t) AS t FROM vitals WHERE drill_id = ?", drill_id)
        until = max([e.t for e in stored] + [(last_vitals or {}).get("t") or 0.0])
        return self._replay_to_record(drill_id, self.loaded(drill_id, loaded), info, stored, until)

    def discard(self, drill_id: str, reason: str, by: str | None = None) -> None:
        """Discard a drill started by mistake, with a reason: it is kept, whole, with its audit
        chain, shown as discarded, and left out of indicators, portfolios, exam statistics and
        bundles. Refused (``ArchiveError``) for a signed drill, one already discarded, or one
        another running simtool records."""
        info = self.drill(drill_id)
        if info.status == "discarded":
            raise ArchiveError(f"drill {drill_id} was already discarded ({info.discard_reason})")
        if info.stored_status == "signed":
            raise SignedRecordError(f"drill {drill_id} is signed; a signed drill is kept as signed "
                                    f"and cannot be discarded")
        if info.status in ("running", "paused") and info.owner is not None \
                and info.owner != self._me():
            raise ArchiveError(f"drill {drill_id} is being run in another simtool (pid "
                               f"{info.owner.pid} on {info.owner.host}); end or discard it there")
        now, who = self._now(), by or self.actor
        with self.transaction():
            seq, prev = self._reserve_audit()
            self._conn.execute("INSERT INTO discards (drill_id, reason, by, at, audit_seq) "
                               "VALUES (?, ?, ?, ?, ?)", (drill_id, reason, who, now, seq))
            row = self._one("SELECT * FROM discards WHERE drill_id = ?", drill_id)
            self._write_audit(seq, prev, "insert", "discards", drill_id, row_sha256(row), now, who)

    def add_correction(self, drill_id: str, events: Iterable[Event]) -> None:
        """Store the events a correction appended to a drill no simtool is recording (an
        amendment or a retraction and what they changed), in one transaction: all or none.
        ``SignedRecordError`` for a signed drill; ``ArchiveError`` for one another running
        simtool records, or for an event already stored with other content."""
        info = self.drill(drill_id)
        if info.status in ("running", "paused") and info.owner is not None \
                and info.owner != self._me():
            raise ArchiveError(f"drill {drill_id} is being run in another simtool (pid "
                               f"{info.owner.pid} on {info.owner.host}); correct it there")
        with self.transaction():
            for e in events:
                self._apply_entry({"op": "event", "drill_id": drill_id, "event": e.to_dict(),
                                   "actor": self.actor})

    def _replay_to_record(self, drill_id: str, scenario: LoadedScenario, info: Any,
                          stored: list[Event], until: float) -> Drill:
        """The stored inputs replayed to exactly the stored record; ArchiveError naming the
        first event that differs. A flag recorded before flags were codes (its words in
        ``text``, in the language that drill ran in) matches the replayed flag with the same
        rule on the same event at the same time."""
        drill = Drill.replay(scenario, info.patient, info.core_participants,
                             [e for e in stored if e.kind in INPUT_KINDS], until=until)
        replayed = {e.seq: e for e in drill.events}
        for e in stored:
            again = replayed.get(e.seq)
            if again == e or (again is not None and _older_form_matches(e, again)):
                continue
            raise ArchiveError(f"drill {drill_id} does not replay to its record at event "
                               f"{e.seq} (scenario, catalogue or engine changed?); not resumed")
        return drill

    def _claim_state(self, drill_id: str) -> tuple[Any, ...]:
        """What a claim compares: the drill row's owner, status and last audit, and the number
        of its events; anything another simtool does to the drill changes one of them."""
        row = self._one("SELECT status, owner_host, owner_pid, owner_start, audit_seq, "
                        "(SELECT count(*) FROM events WHERE drill_id = d.id) AS n "
                        "FROM drills d WHERE id = ?", drill_id)
        if row is None:
            raise NotFoundError(f"no drill {drill_id} in the archive {self.path}")
        return tuple(row.values())

    def verify(self, *, checkpoints: bool = True) -> list[str]:
        """Problems found by recomputing the audit chain and every record hash ([] = intact);
        with ``checkpoints``, also the end of the log against the per-user checkpoint."""
        from simtool.store.verify import verify
        return verify(self, checkpoints=checkpoints)


def _details(person: Any) -> dict[str, Any]:
    """A person's registry fields that are set (a record's hash leaves NULLs out)."""
    return {k: getattr(person, k) for k in PERSON_DETAILS if getattr(person, k, None) is not None}


def _trainee(row: Mapping[str, Any]) -> Trainee:
    return Trainee(row["name"], row["staff_id"], row["department"], row["id"],
                   profession=row.get("profession"), grade=row.get("grade"), site=row.get("site"))


def _older_form_matches(stored: Event, replayed: Event) -> bool:
    """An event stored in an older form against its replay: an input recorded before input ids
    (the replay numbers it in order), or a flag stored with words (before flags were codes)
    against the same rule on the same event at the same time."""
    if stored.iid is None and replayed.iid is not None and stored.kind in INPUT_KINDS:
        return replace(replayed, iid=None, target=None) == stored
    return (stored.kind == replayed.kind == "flag" and stored.values is None
            and replayed.values is not None and stored.text is not None
            and (stored.seq, stored.t, stored.action, stored.ref, stored.rule)
            == (replayed.seq, replayed.t, replayed.action, replayed.ref, replayed.rule))
