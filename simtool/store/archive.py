"""The drill archive: one SQLite file holding every drill, its event log, vitals and scores.

Recording a drill (what ``simtool run --archive`` and the window do)::

    with Archive.open(path) as archive:            # busy_timeout_s=5.0, clock=..., actor=...
        drill_id = archive.start_drill(loaded, patient, participants, "summative",
                                       trainees={"t1": trainee_id})
        drill = Drill(loaded, patient, participants)
        archive.record(drill_id, drill, on_journal=show_warning)   # stores drill.events so far
        drill.subscribe(print_event)   # subscribed after record(): runs after the commit
        ... drill.act(...); drill.tick(...); archive.append_vitals(drill_id, sample(drill))
        drill.end()                     # the "end" event sets the drill's status to ended

Durability: ``append_event`` returns only after the event is committed with
``synchronous=FULL`` (fsync'd). If the archive cannot take it — read-only, disk full, I/O
error, or another simtool holding the lock past the busy timeout — the event goes to the
journal beside the archive (also fsync'd) and the call returns a ``Journalled`` with a message
for the user instead of raising; ``append_vitals``, ``set_status`` and ``end_drill`` behave the
same. Every other write raises ``ArchiveLockedError`` / ``ArchiveWriteError`` instead.

Crash recovery: ``drills()`` reports a running or paused drill whose owning process on this
host is gone as ``interrupted``; ``resume(drill_id, loaded)`` replays the stored input events
into a fresh ``Drill`` (with the scenario text the drill was started with), checks that it
reproduces the stored record, stores any derived events the crash cut off, claims ownership
and (by default) keeps recording the drill.

The ``pause``, ``resume`` and ``end`` events set the drill's status as they are stored.
``Archive`` is assembled from parts: SQLite plumbing, transactions, the audit chain and the
journal fallback in ``connection.py``; score sheets, sign-off and amendments in ``sheets.py``;
reading (``drill``, ``drills``, ``drills_in``, ``trainee_history``, ``events``, ``vitals``) in
``queries.py``; ``verify()`` in ``verify.py``. Bundles are ``bundle.py``, CSV ``export.py``.

Errors are ``ArchiveError`` subclasses (``simtool.store.errors``) whose message is one sentence
naming the file; the CLI prints ``str(exc)``. An ``Archive`` is not thread-safe: open one per
thread (e.g. for a bundle import off the GUI thread).
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from simtool.core.drill import Drill, Participant, PatientParams
from simtool.core.events import INPUT_KINDS, Event
from simtool.core.scenario import LoadedScenario, load_scenario
from simtool.store import schema
from simtool.store.connection import Clock, _default_actor, iso, reads, utc_clock
from simtool.store.errors import ArchiveError, NotFoundError, SignedRecordError
from simtool.store.hashing import (canonical_json, drill_record_sha256, event_row_sha256,
                                   sha256_hex, vitals_batch_id, vitals_batch_sha256,
                                   vitals_row_sha256)
from simtool.store.journal import Journalled
from simtool.store.owner import Owner, this_process
from simtool.store.records import FlushReport, Trainee
from simtool.store.queries import QueriesMixin

_STATUS_OF_EVENT = {"pause": "paused", "resume": "running", "end": "ended"}


class Archive(QueriesMixin):
    """One archive file. Not thread-safe: use one ``Archive`` per thread or process."""

    @classmethod
    def open(cls, path: str | Path, busy_timeout_s: float = 5.0, *, create: bool = True,
             clock: Clock | None = None, actor: str | None = None,
             schema_version: int | None = None) -> "Archive":
        """Open and upgrade the archive at ``path`` (created if missing, unless ``create`` is
        False: then a missing file is ``NotFoundError``, as suits ``simtool drills``/``verify``).

        ``busy_timeout_s`` is how long a write waits for another simtool's lock before
        ``ArchiveLockedError``. ``clock`` returns an aware ``datetime`` (tests inject one);
        ``actor`` is who the audit log names for writes (default ``user@host``).
        ``schema_version`` stops upgrades at that version — only for building old-format
        fixtures. A journal left by an earlier run is written into the archive now if it can be."""
        p = Path(path)
        if not create and not p.is_file():
            raise NotFoundError(f"no archive at {p}")
        clock, actor = clock or utc_clock, actor or _default_actor()
        db = cls._open_db(p, busy_timeout_s, schema_version, at=lambda: iso(clock()), actor=actor)
        archive = cls(p, db, busy_timeout_s, clock, actor)
        if archive.journal.exists():
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
                                             "department": trainee.department}, self._now())
        return tid

    def update_trainee(self, trainee_id: str, *, name: str | None = None,
                       staff_id: str | None = None, department: str | None = None) -> None:
        """Correct a trainee's name, staff id or department (a typo): an audited update whose
        audit row carries the new record's hash, so ``verify`` tells it from a hand edit."""
        changes = {k: v for k, v in (("name", name), ("staff_id", staff_id),
                                     ("department", department)) if v is not None}
        with self.transaction():
            self._update_person("trainees", trainee_id, changes, self._now())

    @reads
    def trainee(self, trainee_id: str) -> Trainee:
        row = self._one("SELECT * FROM trainees WHERE id = ?", trainee_id)
        if row is None:
            raise NotFoundError(f"no trainee {trainee_id} in the archive {self.path}")
        return Trainee(row["name"], row["staff_id"], row["department"], row["id"])

    @reads
    def trainees(self, staff_id: str | None = None) -> list[Trainee]:
        where, params = ("WHERE staff_id = ?", [staff_id]) if staff_id is not None else ("", [])
        return [Trainee(r["name"], r["staff_id"], r["department"], r["id"])
                for r in self.db.query(f"SELECT * FROM trainees {where} ORDER BY name, id", params)]

    # --- starting and recording drills ---------------------------------------------------------
    def start_drill(self, loaded: LoadedScenario, patient: PatientParams,
                    participants: Iterable[Participant], evaluation_type: str = "formative",
                    trainees: Mapping[str, str | Trainee] | None = None, *,
                    site: str | None = None, drill_id: str | None = None) -> str:
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
        now, owner = self._now(), this_process()
        with self.transaction():
            self._conn.execute("INSERT INTO texts (sha256, kind, text) VALUES (?, 'scenario', ?) "
                               "ON CONFLICT DO NOTHING", (sha, loaded.text))
            ids: dict[str, str] = {}
            for pid, link in links.items():
                ids[pid] = self.add_trainee(link) if isinstance(link, Trainee) else link
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
            cols = ", ".join(row)
            self._conn.execute(f"INSERT INTO drills ({cols}) VALUES ({', '.join('?' * len(row))})",
                               tuple(row.values()))
            self._conn.executemany(
                "INSERT INTO participants (drill_id, id, trainee_id, name, role) VALUES (?, ?, ?, ?, ?)",
                [(did, p.id, ids.get(p.id), p.name, p.role) for p in people])
            self._write_audit(seq, prev, "insert", "drills", did, self._drill_sha(did), now)
        return did

    def record(self, drill_id: str, drill: Drill,
               on_journal: Callable[[Journalled], None] | None = None) -> Callable[[], None]:
        """Store ``drill``'s events so far and every later one as it happens.

        Returns the unsubscribe function. ``on_journal`` is called with the ``Journalled``
        result whenever an event could only be journalled. Listeners subscribed to the drill
        after this call run after the event is committed."""
        stored = {r[0] for r in self._conn.execute(
            "SELECT seq FROM events WHERE drill_id = ?", (drill_id,)).fetchall()}

        def store(event: Event) -> None:
            kept = self.append_event(drill_id, event)
            if kept is not None and on_journal is not None:
                on_journal(kept)

        for event in list(drill.events):
            if event.seq not in stored:
                store(event)
        return drill.subscribe(store)

    def append_event(self, drill_id: str, event: Event) -> Journalled | None:
        """Store one event, committed and fsync'd before returning; None when it is in the
        archive, a ``Journalled`` when it had to go to the journal. Storing the same event
        twice is a no-op; a different event under the same seq raises ``ArchiveError``."""
        return self._durable({"op": "event", "drill_id": drill_id, "event": event.to_dict(),
                              "at": self._now(), "actor": self.actor})

    def append_vitals(self, drill_id: str, row: Mapping[str, Any]) -> Journalled | None:
        """Store one vitals sample (``runner.sample(drill)``: needs ``t``); journalled like events."""
        if "t" not in row:
            raise ArchiveError("a vitals sample needs its drill time 't'")
        return self._durable({"op": "vitals", "drill_id": drill_id, "row": dict(row),
                              "at": self._now(), "actor": self.actor})

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
        drill = self._one("SELECT status FROM drills WHERE id = ?", did)
        if drill is None:
            raise NotFoundError(f"no drill {did} in the archive {self.path}")
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
        return "written"

    def _drill_sha(self, did: str) -> str:
        row = self._one("SELECT * FROM drills WHERE id = ?", did)
        people = list(self.db.query("SELECT * FROM participants WHERE drill_id = ?", [did]))
        return drill_record_sha256(row or {}, people)

    # --- the journal ---------------------------------------------------------------------------
    def flush_journal(self) -> FlushReport:
        """Write journalled (and memory-held) entries into the archive, then remove the journal.

        Idempotent: entries already in the archive are skipped, so a crash between the commit
        and the removal does no harm. An entry the archive refuses (e.g. a different event under
        the same seq) is kept in ``<journal>.rejected`` and reported. Raises
        ``ArchiveLockedError`` / ``ArchiveWriteError`` (journal kept) if writing still fails."""
        report = FlushReport()
        with self.journal.claimed() as claim:
            entries = claim.entries + self._memory
            report.torn_lines = claim.torn_lines
            refused: list[tuple[dict[str, Any], str]] = []
            if entries:
                with self.transaction():
                    for entry in entries:
                        self._conn.execute("SAVEPOINT entry")
                        try:
                            outcome = self._apply_entry(entry)
                        except (ArchiveError, KeyError, TypeError, ValueError) as exc:
                            self._conn.execute("ROLLBACK TO entry")
                            refused.append((entry, str(exc) or type(exc).__name__))
                            outcome = "refused"
                        self._conn.execute("RELEASE entry")
                        if outcome == "written":
                            report.written += 1
                        elif outcome == "present":
                            report.already_present += 1
            if refused:
                report.rejected = [reason for _e, reason in refused]
                report.rejected_file = self.journal.set_aside(refused)
            claim.remove()
            self._memory.clear()
        return report

    # --- resuming ------------------------------------------------------------------------------
    def scenario_for(self, drill_id: str, loaded: LoadedScenario) -> LoadedScenario:
        """``loaded`` if its text is the one the drill used, else the stored text loaded with
        ``loaded``'s action catalogue (so an edited scenario file cannot change an old drill)."""
        info = self.drill(drill_id)
        if sha256_hex(loaded.text) == info.scenario_sha256:
            return loaded
        text = self.scenario_text(drill_id)
        with tempfile.TemporaryDirectory(prefix="simtool-scenario-") as tmp:
            path = Path(tmp) / f"{info.scenario_id}.yaml"
            path.write_text(text, encoding="utf-8")
            return load_scenario(path, catalogue=loaded.catalogue,
                                 display=f"{self.path} (drill {drill_id}: {info.scenario_id} "
                                         f"{info.scenario_version} as archived)")

    def resume(self, drill_id: str, loaded: LoadedScenario, *, record: bool = True,
               on_journal: Callable[[Journalled], None] | None = None,
               take_over: bool = False) -> Drill:
        """Rebuild an interrupted drill from its record and carry on with it.

        Replays the stored input events into a fresh ``Drill`` up to the latest stored time,
        refuses (``ArchiveError``) if that does not reproduce every stored event, stores the
        derived events a crash cut off, claims ownership, and with ``record`` keeps storing
        the drill's events. A drill still owned by a live process is refused unless
        ``take_over`` (needed for a drill owned by another host)."""
        info = self.drill(drill_id)
        if info.stored_status in ("ended", "signed"):
            raise ArchiveError(f"drill {drill_id} has {info.stored_status}; it cannot be resumed")
        if not take_over and info.status in ("running", "paused") and info.owner is not None \
                and info.owner != this_process():
            where = f"pid {info.owner.pid} on {info.owner.host}"
            raise ArchiveError(f"drill {drill_id} is still running in another simtool ({where})")
        scenario = self.scenario_for(drill_id, loaded)
        stored = self.events(drill_id)
        last_vitals = self._one("SELECT max(t) AS t FROM vitals WHERE drill_id = ?", drill_id)
        until = max([e.t for e in stored] + [(last_vitals or {}).get("t") or 0.0])
        drill = Drill.replay(scenario, info.patient, info.core_participants,
                             [e for e in stored if e.kind in INPUT_KINDS], until=until)
        replayed = {e.seq: e for e in drill.events}
        for e in stored:
            if replayed.get(e.seq) != e:
                raise ArchiveError(f"drill {drill_id} does not replay to its record at event "
                                   f"{e.seq} (scenario, catalogue or engine changed?); not resumed")
        have = {e.seq for e in stored}
        now = self._now()
        with self.transaction():
            for e in drill.events:
                if e.seq not in have:
                    self._apply_entry({"op": "event", "drill_id": drill_id, "event": e.to_dict()})
            self._set_status_in_tx(drill_id, "paused" if drill.paused else "running", now,
                                   owner=this_process())
        if record:
            self.record(drill_id, drill, on_journal)
        return drill

    def verify(self, *, checkpoints: bool = True) -> list[str]:
        """Problems found by recomputing the audit chain and every record hash ([] = intact);
        with ``checkpoints``, also the end of the log against the per-user checkpoint."""
        from simtool.store.verify import verify
        return verify(self, checkpoints=checkpoints)

