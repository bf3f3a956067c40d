"""The quality loop (part of ``Archive``, schema 14, issue 21): latent safety threats found in
a drill's debrief, corrective actions with their owner, deadline and status changes, and the
PDCA Act decision of each quarter.

Everything is append-only with its audit row, one transaction per write:

* a threat is a ``safety_threats`` row; revising it writes a new row whose ``threat`` names
  the first row's id (the threat's id), so a threat's current text is its latest row and what
  it said before stays;
* an action (``quality_actions``) never changes; each status change is a
  ``quality_action_updates`` row with its note, and the action's status is the latest one
  (``open`` without one);
* a decision (``quality_decisions``) is the Act of a quarter and department; the latest row
  for them counts, the earlier ones stay.

Risk rating (design: a recognised scheme, not a new one): the NPSA 5 × 5 risk matrix
("A risk matrix for risk managers", National Patient Safety Agency, England, 2008): likelihood
1-5 (rare … almost certain) × consequence 1-5 (negligible … catastrophic) gives a score 1-25,
graded low (1-3), moderate (4-6), high (8-12) or extreme (15-25). What a text may hold, who an
owner is and which indicators exist is checked by ``simtool.app.quality`` before anything is
written; the store refuses only what would break its own record (an unknown drill, action or
threat).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from simtool.store.connection import StoreBase, reads
from simtool.store.errors import ArchiveError, NotFoundError
from simtool.store.hashing import row_sha256
from simtool.store.schema import QUALITY_CATEGORIES, QUALITY_DECISIONS

QUALITY_VERSION = 14   # the schema version that added the quality loop
CATEGORIES = QUALITY_CATEGORIES
DECISIONS = QUALITY_DECISIONS
STATUSES = ("open", "done")
RISK_BANDS = ("low", "moderate", "high", "extreme")


def risk_band(likelihood: int, severity: int) -> str:
    """The NPSA 5 × 5 matrix grade of likelihood × severity: low 1-3, moderate 4-6, high
    8-12, extreme 15-25."""
    score = int(likelihood) * int(severity)
    return "low" if score <= 3 else "moderate" if score <= 6 else "high" if score <= 12 else "extreme"


@dataclass(frozen=True, kw_only=True)
class SafetyThreat:
    id: int                    # the threat's id: its first row's
    row_id: int                # the row holding this version
    drill_id: str
    found: str
    category: str
    likelihood: int
    severity: int
    root_cause: str
    events: tuple[int, ...]    # seqs of the drill's events
    indicators: tuple[str, ...]
    at: str                    # when this version was recorded (ISO 8601 UTC)
    by: str | None
    first_at: str              # when the threat was first recorded
    drill_started_at: str = ""
    department: str | None = None
    site: str | None = None
    scenario_id: str = ""
    revisions: int = 1

    @property
    def risk_score(self) -> int:
        return self.likelihood * self.severity

    @property
    def risk(self) -> str:
        return risk_band(self.likelihood, self.severity)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "drill": self.drill_id, "found": self.found,
                "category": self.category, "risk": self.risk,
                "likelihood": self.likelihood, "severity": self.severity,
                "risk_score": self.risk_score, "root_cause": self.root_cause,
                "events": list(self.events), "indicators": list(self.indicators),
                "recorded_at": self.at, "recorded_by": self.by, "first_recorded_at": self.first_at,
                "revisions": self.revisions, "drill_started_at": self.drill_started_at,
                "department": self.department, "site": self.site, "scenario": self.scenario_id}


@dataclass(frozen=True, kw_only=True)
class ActionUpdate:
    status: str
    note: str | None
    at: str
    by: str | None


@dataclass(frozen=True, kw_only=True)
class QualityAction:
    id: int
    title: str
    owner_table: str
    owner_id: str
    owner: str                 # the owner's staff id
    owner_name: str
    deadline: str              # YYYY-MM-DD
    indicator: str | None
    threat: int | None
    department: str | None
    site: str | None
    at: str
    by: str | None
    updates: tuple[ActionUpdate, ...] = field(default=())

    @property
    def stored_status(self) -> str:
        """open or done: the latest status change (open without one)."""
        return self.updates[-1].status if self.updates else "open"

    def status_on(self, today: str) -> str:
        """open, done or overdue: overdue when open after its deadline day (``today`` is a
        YYYY-MM-DD date)."""
        s = self.stored_status
        return "overdue" if s == "open" and today[:10] > self.deadline else s

    @property
    def done_at(self) -> str | None:
        return self.updates[-1].at if self.updates and self.stored_status == "done" else None


@dataclass(frozen=True, kw_only=True)
class Decision:
    id: int
    quarter: str
    department: str | None
    decision: str
    note: str
    at: str
    by: str | None


def _threat(row: dict[str, Any], first_at: str, revisions: int) -> SafetyThreat:
    return SafetyThreat(
        id=int(row["threat"] or row["id"]), row_id=int(row["id"]), drill_id=row["drill_id"],
        found=row["found"], category=row["category"], likelihood=int(row["likelihood"]),
        severity=int(row["severity"]), root_cause=row["root_cause"],
        events=tuple(int(x) for x in json.loads(row["events"])),
        indicators=tuple(str(x) for x in json.loads(row["indicators"])), at=row["at"],
        by=row["by"], first_at=first_at, drill_started_at=row.get("started_at") or "",
        department=row.get("department"), site=row.get("site"),
        scenario_id=row.get("scenario_id") or "", revisions=revisions)


class QualityMixin(StoreBase):
    @contextmanager
    def _quality(self) -> Iterator[None]:
        """An older archive, or one closed under a view, is one sentence."""
        try:
            if int(self._conn.execute("PRAGMA user_version").fetchone()[0]) < QUALITY_VERSION:
                raise ArchiveError(f"the archive {self.path} is in an older format without safety "
                                   f"threats and actions; open it with this simtool to upgrade it")
            yield
        except sqlite3.ProgrammingError as exc:
            raise ArchiveError(f"the archive {self.path} is closed; the quality records cannot be "
                               f"read or saved") from exc

    def _has_quality(self) -> bool:
        try:
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0]) >= QUALITY_VERSION
        except sqlite3.ProgrammingError as exc:
            raise ArchiveError(f"the archive {self.path} is closed; the quality records cannot be "
                               f"read") from exc

    def _insert_quality(self, table: str, row: dict[str, Any], now: str, by: str) -> dict[str, Any]:
        seq, prev = self._reserve_audit()
        cols = list(row)
        cur = self._conn.execute(
            f"INSERT INTO {table} ({', '.join(cols)}, audit_seq) "
            f"VALUES ({', '.join('?' * (len(cols) + 1))})", (*row.values(), seq))
        stored = self._one(f"SELECT * FROM {table} WHERE id = ?", cur.lastrowid)
        assert stored is not None
        self._write_audit(seq, prev, "insert", table, str(stored["id"]), row_sha256(stored), now, by)
        return stored

    # --- latent safety threats -----------------------------------------------------------------
    def add_safety_threat(self, drill_id: str, *, found: str, category: str, likelihood: int,
                          severity: int, root_cause: str, events: list[int] | tuple[int, ...] = (),
                          indicators: list[str] | tuple[str, ...] = (), revises: int | None = None,
                          by: str | None = None) -> SafetyThreat:
        """Record a threat found in the drill's debrief (or, with ``revises``, a new version of
        threat ``revises``, which must belong to the same drill); the threat as now kept."""
        if category not in CATEGORIES:
            raise ArchiveError(f"there is no threat category {category!r} (one of {', '.join(CATEGORIES)})")
        with self._quality():
            now, who = self._now(), by or self.actor
            with self.transaction():
                if self._one("SELECT id FROM drills WHERE id = ?", drill_id) is None:
                    raise NotFoundError(f"no drill {drill_id} in the archive {self.path}")
                if revises is not None:
                    first = self._one("SELECT id, drill_id FROM safety_threats WHERE id = ? AND "
                                      "threat IS NULL", int(revises))
                    if first is None:
                        raise NotFoundError(f"no safety threat {revises} in the archive {self.path}")
                    if first["drill_id"] != drill_id:
                        raise ArchiveError(f"safety threat {revises} belongs to drill "
                                           f"{first['drill_id']}, not {drill_id}")
                self._insert_quality("safety_threats", {
                    "threat": None if revises is None else int(revises), "drill_id": drill_id,
                    "found": found, "category": category, "likelihood": int(likelihood),
                    "severity": int(severity), "root_cause": root_cause,
                    "events": json.dumps([int(e) for e in events]),
                    "indicators": json.dumps([str(i) for i in indicators], ensure_ascii=False),
                    "at": now, "by": who}, now, who)
            threat_id = int(revises) if revises is not None else None
        found_now = self.safety_threats(threat_id=threat_id) if threat_id is not None else \
            self.safety_threats(drill_id=drill_id)
        return found_now[-1] if threat_id is None else found_now[0]

    @reads
    def safety_threats(self, *, drill_id: str | None = None, threat_id: int | None = None,
                       history: bool = False) -> list[SafetyThreat]:
        """The current version of every threat (of one drill, or one threat), oldest threat
        first; with ``history`` every version of each, oldest first."""
        if not self._has_quality():
            return []
        where, params = [], []
        if drill_id is not None:
            where.append("t.drill_id = ?")
            params.append(drill_id)
        if threat_id is not None:
            where.append("COALESCE(t.threat, t.id) = ?")
            params.append(int(threat_id))
        cur = self._conn.execute(
            "SELECT t.*, d.started_at, d.department, d.site, d.scenario_id FROM safety_threats t "
            "JOIN drills d ON d.id = t.drill_id"
            + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY t.id", params)
        cols = [c[0] for c in cur.description]
        versions: dict[int, list[dict[str, Any]]] = {}
        for r in cur.fetchall():
            row = dict(zip(cols, r))
            versions.setdefault(int(row["threat"] or row["id"]), []).append(row)
        out = []
        for tid in sorted(versions):
            rows = versions[tid]
            if history:
                out += [_threat(r, rows[0]["at"], k + 1) for k, r in enumerate(rows)]
            else:
                out.append(_threat(rows[-1], rows[0]["at"], len(rows)))
        return out

    # --- corrective actions --------------------------------------------------------------------
    def add_quality_action(self, *, title: str, owner_table: str, owner_id: str, owner_staff_id: str,
                           deadline: str, indicator: str | None = None, threat: int | None = None,
                           department: str | None = None, site: str | None = None,
                           by: str | None = None) -> QualityAction:
        if owner_table not in ("trainees", "examiners"):
            raise ArchiveError(f"not a table of people: {owner_table}")
        with self._quality():
            now, who = self._now(), by or self.actor
            with self.transaction():
                if self._one(f"SELECT id FROM {owner_table} WHERE id = ?", owner_id) is None:
                    raise NotFoundError(f"no person {owner_id} in the archive {self.path}")
                if threat is not None and self._one(
                        "SELECT id FROM safety_threats WHERE id = ? AND threat IS NULL", int(threat)) is None:
                    raise NotFoundError(f"no safety threat {threat} in the archive {self.path}")
                stored = self._insert_quality("quality_actions", {
                    "title": title, "owner_table": owner_table, "owner_id": owner_id,
                    "owner_staff_id": owner_staff_id, "deadline": deadline, "indicator": indicator,
                    "threat": None if threat is None else int(threat), "department": department,
                    "site": site, "at": now, "by": who}, now, who)
        return self.quality_action(int(stored["id"]))

    def update_quality_action(self, action_id: int, status: str, note: str | None = None,
                              by: str | None = None) -> QualityAction:
        """Record a status change (open or done) of the action with its note."""
        if status not in STATUSES:
            raise ArchiveError(f"an action's status is open or done, not {status!r}")
        with self._quality():
            now, who = self._now(), by or self.actor
            with self.transaction():
                if self._one("SELECT id FROM quality_actions WHERE id = ?", int(action_id)) is None:
                    raise NotFoundError(f"no corrective action {action_id} in the archive {self.path}")
                self._insert_quality("quality_action_updates", {
                    "action_id": int(action_id), "status": status, "note": note, "at": now,
                    "by": who}, now, who)
        return self.quality_action(int(action_id))

    @reads
    def quality_action(self, action_id: int) -> QualityAction:
        found = self.quality_actions(action_id=int(action_id))
        if not found:
            raise NotFoundError(f"no corrective action {action_id} in the archive {self.path}")
        return found[0]

    @reads
    def quality_actions(self, *, action_id: int | None = None) -> list[QualityAction]:
        """Every corrective action, oldest first, with its status changes."""
        if not self._has_quality():
            return []
        updates: dict[int, list[ActionUpdate]] = {}
        for aid, status, note, at, by in self._conn.execute(
                "SELECT action_id, status, note, at, by FROM quality_action_updates ORDER BY id"):
            updates.setdefault(int(aid), []).append(ActionUpdate(status=status, note=note, at=at, by=by))
        sql = ("SELECT a.*, COALESCE(t.name, e.name) AS owner_name FROM quality_actions a "
               "LEFT JOIN trainees t ON a.owner_table = 'trainees' AND t.id = a.owner_id "
               "LEFT JOIN examiners e ON a.owner_table = 'examiners' AND e.id = a.owner_id")
        params: list[Any] = []
        if action_id is not None:
            sql, params = sql + " WHERE a.id = ?", [int(action_id)]
        cur = self._conn.execute(sql + " ORDER BY a.id", params)
        cols = [c[0] for c in cur.description]
        out = []
        for r in cur.fetchall():
            row = dict(zip(cols, r))
            out.append(QualityAction(
                id=int(row["id"]), title=row["title"], owner_table=row["owner_table"],
                owner_id=row["owner_id"], owner=row["owner_staff_id"],
                owner_name=row["owner_name"] or row["owner_staff_id"], deadline=row["deadline"],
                indicator=row["indicator"], threat=row["threat"], department=row["department"],
                site=row["site"], at=row["at"], by=row["by"],
                updates=tuple(updates.get(int(row["id"]), ()))))
        return out

    # --- PDCA decisions ------------------------------------------------------------------------
    def add_quality_decision(self, quarter: str, decision: str, note: str,
                             department: str | None = None, by: str | None = None) -> Decision:
        if decision not in DECISIONS:
            raise ArchiveError(f"a PDCA decision is one of {', '.join(DECISIONS)}, not {decision!r}")
        with self._quality():
            now, who = self._now(), by or self.actor
            with self.transaction():
                stored = self._insert_quality("quality_decisions", {
                    "quarter": quarter, "department": department, "decision": decision,
                    "note": note, "at": now, "by": who}, now, who)
        return _decision(stored)

    @reads
    def quality_decisions(self, quarter: str | None = None, *, department: str | None = None,
                          any_department: bool = False) -> list[Decision]:
        """Every decision (of one quarter; of one department — None: the whole archive's —
        unless ``any_department``), oldest first: the last one of a quarter counts."""
        if not self._has_quality():
            return []
        where, params = [], []
        if quarter is not None:
            where.append("quarter = ?")
            params.append(quarter)
        if not any_department:
            where.append("department IS ?")
            params.append(department)
        cur = self._conn.execute("SELECT * FROM quality_decisions"
                                 + (f" WHERE {' AND '.join(where)}" if where else "")
                                 + " ORDER BY id", params)
        cols = [c[0] for c in cur.description]
        return [_decision(dict(zip(cols, r))) for r in cur.fetchall()]


def _decision(row: dict[str, Any]) -> Decision:
    return Decision(id=int(row["id"]), quarter=row["quarter"], department=row["department"],
                    decision=row["decision"], note=row["note"], at=row["at"], by=row["by"])


# --- quarters: what the PDCA page and the meeting pack select -----------------------------------
def quarter_bounds(quarter: str) -> tuple[str, str]:
    """The first and last day (YYYY-MM-DD) of ``2026-Q3``; ValueError for anything else."""
    import re
    from calendar import monthrange
    m = re.fullmatch(r"(\d{4})-Q([1-4])", quarter or "")
    if m is None:
        raise ValueError(f"{quarter!r} is not a quarter (YYYY-Qn, e.g. 2026-Q3)")
    y, q = int(m.group(1)), int(m.group(2))
    if y < 1:
        raise ValueError(f"{quarter!r} is not a quarter (YYYY-Qn, e.g. 2026-Q3)")
    last_month = 3 * q
    return (f"{y:04d}-{last_month - 2:02d}-01",
            f"{y:04d}-{last_month:02d}-{monthrange(y, last_month)[1]:02d}")


def quarter_of(day: str) -> str:
    """The quarter (YYYY-Qn) of an ISO date or timestamp."""
    return f"{day[:4]}-Q{(int(day[5:7]) - 1) // 3 + 1}"


def previous_quarters(quarter: str, n: int) -> list[str]:
    """``n`` quarters ending with ``quarter``, oldest first."""
    y, q = int(quarter[:4]), int(quarter[-1])
    out = []
    for _ in range(n):
        out.append(f"{y:04d}-Q{q}")
        y, q = (y - 1, 4) if q == 1 else (y, q - 1)
    return out[::-1]


def actions_of_quarter(actions: list[QualityAction], quarter: str,
                       department: str | None = None) -> list[QualityAction]:
    """The actions the quarter's meeting follows up (design: an action belongs to every
    quarter from the one it was agreed in until the one it was done in): agreed on or before
    the quarter's last day and not done before its first day; of ``department`` when given."""
    first, last = quarter_bounds(quarter)
    return [a for a in actions
            if a.at[:10] <= last and not (a.done_at is not None and a.done_at[:10] < first)
            and (department is None or a.department == department)]


def threats_of_quarter(threats: list[SafetyThreat], quarter: str, department: str | None = None,
                       site: str | None = None) -> list[SafetyThreat]:
    """The threats found in the quarter's drills (design: a threat belongs to the quarter its
    drill was run in), of that department and site when given."""
    first, last = quarter_bounds(quarter)
    return [t for t in threats if first <= t.drill_started_at[:10] <= last
            and (department is None or t.department == department)
            and (site is None or t.site == site)]
