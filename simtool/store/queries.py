"""Reading the archive (part of ``Archive``): drills with their computed status, a trainee's
history, a scenario's drills in a date range, events, vitals and the stored scenario text.

``status`` is computed on every read: a ``running`` or ``paused`` drill whose owning process on
this host is gone — or that has no owner, as after a bundle import — is ``interrupted``
(``stored_status`` keeps what the file says). Times are ISO 8601 UTC text, which sorts in time
order, so date ranges are index range scans (schema version 2 adds the indexes).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from typing import Any

from simtool.core.drill import PatientParams
from simtool.core.events import Event
from simtool.store.connection import iso, reads
from simtool.store.errors import NotFoundError
from simtool.store.owner import Owner, is_alive
from simtool.store.records import DrillInfo, HistoryEntry, ParticipantInfo
from simtool.store.sheets import SheetsMixin


class QueriesMixin(SheetsMixin):
    # --- reading -------------------------------------------------------------------------------
    def _infos(self, where: str, params: list[Any], order: str = "d.started_at, d.id") -> list[DrillInfo]:
        discards = "x.reason AS discard_reason" if self.schema_version >= 5 else "NULL AS discard_reason"
        join = " LEFT JOIN discards x ON x.drill_id = d.id" if self.schema_version >= 5 else ""
        rows = list(self.db.query(f"SELECT d.*, {discards} FROM drills d{join} WHERE {where} "
                                  f"ORDER BY {order}", params))
        people: dict[str, list[ParticipantInfo]] = {}
        for p in self.db.query(f"SELECT p.*, t.staff_id FROM participants p "
                               f"LEFT JOIN trainees t ON t.id = p.trainee_id WHERE p.drill_id IN "
                               f"(SELECT d.id FROM drills d WHERE {where}) ORDER BY p.drill_id, p.id",
                               params):
            people.setdefault(p["drill_id"], []).append(
                ParticipantInfo(id=p["id"], name=p["name"], role=p["role"], trainee_id=p["trainee_id"],
                                staff_id=p["staff_id"]))
        alive: dict[Owner, bool | None] = {}
        return [self._info(r, tuple(people.get(r["id"], ())), alive) for r in rows]

    @staticmethod
    def _info(r: dict[str, Any], people: tuple[ParticipantInfo, ...],
              alive: dict[Owner, bool | None]) -> DrillInfo:
        owner = Owner(r["owner_host"], r["owner_pid"], r["owner_start"]) \
            if r["owner_host"] is not None and r["owner_pid"] is not None else None
        status = r["status"]
        if r.get("discard_reason") is not None:
            status = "discarded"   # kept whole, left out of every statistic
        elif status in ("running", "paused"):
            if owner is None:
                status = "interrupted"  # e.g. imported from a bundle mid-drill
            else:
                if owner not in alive:
                    alive[owner] = is_alive(owner)
                if alive[owner] is False:
                    status = "interrupted"
        patient = json.loads(r["patient"])
        return DrillInfo(
            id=r["id"], scenario_id=r["scenario_id"], scenario_version=r["scenario_version"],
            scenario_sha256=r["scenario_sha256"],
            patient=PatientParams(patient["weight_kg"], tuple(patient.get("conditions", ())),
                                  patient.get("variant")),
            evaluation_type=r["evaluation_type"], status=status, stored_status=r["status"],
            started_at=r["started_at"], ended_at=r["ended_at"], updated_at=r["updated_at"],
            site=r.get("site"), owner=owner, participants=people,
            discard_reason=r.get("discard_reason"), department=r.get("department"))

    @reads
    def drill(self, drill_id: str) -> DrillInfo:
        infos = self._infos("d.id = ?", [drill_id])
        if not infos:
            raise NotFoundError(f"no drill {drill_id} in the archive {self.path}")
        return infos[0]

    @reads
    def drills(self, status: str | None = None,
               since: date | datetime | None = None) -> list[DrillInfo]:
        """Every drill, oldest first; ``status`` filters on the computed status, ``since`` on
        the start (a date is a whole UTC day). Listing 100,000 drills takes seconds: filter."""
        where, params = ["1"], []
        if since is not None:
            where.append("d.started_at >= ?")
            params.append(_bound(since, False))
        if status is not None:
            stored = {"interrupted": ("running", "paused", "interrupted")}.get(status, (status,))
            where.append(f"d.status IN ({', '.join('?' * len(stored))})")
            params += list(stored)
        infos = self._infos(" AND ".join(where), params)
        return infos if status is None else [i for i in infos if i.status == status]

    @reads
    def drills_in(self, scenario_id: str, from_date: date | datetime,
                  to_date: date | datetime) -> list[DrillInfo]:
        """Drills of one scenario started in ``[from_date, to_date]``; dates are whole UTC days
        (``to_date`` included), datetimes are exact bounds (``to_date`` excluded)."""
        return self._infos("d.scenario_id = ? AND d.started_at >= ? AND d.started_at < ?",
                           [scenario_id, _bound(from_date, False), _bound(to_date, True)])

    @reads
    def trainee_history(self, trainee_id: str) -> list[HistoryEntry]:
        """Every drill the trainee took part in, oldest first, with their score sheets (the
        records merged into this person's included)."""
        ids = sorted(self.person_ids(trainee_id)) if hasattr(self, "person_ids") else [trainee_id]
        marks = ", ".join("?" * len(ids))
        parts = {r["drill_id"]: r for r in self.db.query(
            f"SELECT drill_id, id, role FROM participants WHERE trainee_id IN ({marks})", ids)}
        sheets: dict[str, list[str]] = {}
        for s in self.db.query(f"SELECT id, drill_id FROM score_sheets WHERE trainee_id IN ({marks}) "
                               "ORDER BY version", ids):
            sheets.setdefault(s["drill_id"], []).append(s["id"])
        infos = self._infos(f"d.id IN (SELECT drill_id FROM participants WHERE trainee_id IN ({marks}))",
                            ids)
        return [HistoryEntry(drill=i, participant_id=parts[i.id]["id"], role=parts[i.id]["role"],
                             sheet_ids=tuple(sheets.get(i.id, ())))
                for i in infos]

    @reads
    def events(self, drill_id: str) -> list[Event]:
        return [Event.from_dict(json.loads(r[0])) for r in self._conn.execute(
            "SELECT data FROM events WHERE drill_id = ? ORDER BY seq", (drill_id,)).fetchall()]

    @reads
    def vitals(self, drill_id: str) -> list[dict[str, Any]]:
        return [json.loads(r[0]) for r in self._conn.execute(
            "SELECT data FROM vitals WHERE drill_id = ? ORDER BY t", (drill_id,)).fetchall()]

    @reads
    def scenario_text(self, drill_id: str) -> str:
        """The exact scenario file text the drill was started with."""
        row = self._one("SELECT x.text FROM drills d JOIN texts x ON x.sha256 = d.scenario_sha256 "
                        "WHERE d.id = ?", drill_id)
        if row is None:
            raise NotFoundError(f"no drill {drill_id} in the archive {self.path}")
        return str(row["text"])


def _bound(value: date | datetime, upper: bool) -> str:
    if isinstance(value, datetime):
        return iso(value)
    day = value + timedelta(days=1) if upper else value
    return iso(datetime(day.year, day.month, day.day, tzinfo=timezone.utc))
