"""The department's quality loop (issue 21; document 002: root-cause analysis, a list of
corrective actions each with an owner and a deadline, followed up, and a PDCA meeting every
quarter).

* ``record_threat``: a latent safety threat found in a drill's debrief — what was found, its
  category (equipment, process, people, environment, communication), its risk on the NPSA
  5 × 5 matrix (likelihood × severity, ``simtool.store.quality.risk_band``), its root cause,
  and the drill's events (by seq) and indicators (by id) it concerns. A change is a revision:
  a new record, the earlier one kept.
* ``add_action`` / ``update_action``: a corrective action with its owner (a person of the
  registry, named by staff id), deadline, the indicator it should move and optionally the
  threat it answers; every status change (open, done) is a record with its note. An open
  action past its deadline day (against the archive's clock) is overdue.
* ``decide``: the Act of a quarter's PDCA cycle — standardise, start another cycle, or other —
  with its note, by whom and when.
* ``pdca``: what the PDCA page shows for a quarter (Plan/Do: its actions; threats found that
  quarter; Act: the decision).

Every text is checked before anything is written: free text (what was found, root cause, a
note) at most ``MAX_NOTE_CHARS`` characters with line breaks and tabs but no other control
character; a title one line of at most ``MAX_TITLE_CHARS``. Markup or SQL in a text is kept
verbatim (it is data: the archive binds parameters, the PDF escapes it). A refusal is one
sentence (``QualityError``) and nothing is written.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from simtool.app.setup import quoted
from simtool.core.errors import SimtoolError
from simtool.core.limits import MAX_NOTE_CHARS
from simtool.store import Archive
from simtool.store.errors import ArchiveError, NotFoundError
from simtool.store.quality import (CATEGORIES, DECISIONS, STATUSES, Decision, QualityAction,
                                   SafetyThreat, actions_of_quarter, quarter_bounds,
                                   threats_of_quarter)

__all__ = ["CATEGORIES", "DECISIONS", "STATUSES", "QualityError", "Pdca", "action_dict",
           "actions", "add_action", "decide", "indicator_ids", "pdca", "record_threat",
           "threats", "update_action"]

MAX_TITLE_CHARS = 300


class QualityError(SimtoolError):
    """A threat, action or decision that cannot be kept (one sentence; nothing was written)."""


# --- checks ---------------------------------------------------------------------------------------
def _text(value: object, what: str, *, required: bool = True, one_line: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise QualityError(f"{what} is empty; say what it is (nothing was saved)")
        return None
    if not isinstance(value, str):
        raise QualityError(f"{what} is text, not {type(value).__name__}; nothing was saved")
    text = value.replace("\r\n", "\n").strip()
    limit = MAX_TITLE_CHARS if one_line else MAX_NOTE_CHARS
    if len(text) > limit:
        raise QualityError(f"{what} is {len(text):,} characters long; at most {limit:,} "
                           f"(nothing was saved)")
    allowed = "" if one_line else "\n\t"
    for ch in text:
        if ch not in allowed and unicodedata.category(ch) in ("Cc", "Cs"):
            kind = "a line break" if ch in "\n\r" else f"a control character (U+{ord(ch):04X})"
            raise QualityError(f"{what} holds {kind}; " + (
                "it is one line" if one_line else "line breaks and tabs are the only control "
                                                  "characters it may hold") + " (nothing was saved)")
    return text


def _int_1_5(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise QualityError(f"the {what} is a whole number from 1 to 5, not {value!r}; nothing was saved")
    try:
        f = float(value)
    except ValueError:
        raise QualityError(f"the {what} is a whole number from 1 to 5, not {quoted(str(value))}; "
                           f"nothing was saved") from None
    if not math.isfinite(f) or f != int(f) or not 1 <= f <= 5:
        raise QualityError(f"the {what} is a whole number from 1 to 5, not {quoted(str(value))}; "
                           f"nothing was saved")
    return int(f)


def _day(value: object, what: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        shown = quoted(value) if isinstance(value, str) else repr(value)
        raise QualityError(f"{what} {shown} is not a date (YYYY-MM-DD); nothing was saved")
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise QualityError(f"{what} {quoted(value)} is not a date of the calendar (YYYY-MM-DD); "
                           f"nothing was saved") from None


def _quarter(value: object) -> str:
    if not isinstance(value, str):
        raise QualityError(f"a quarter is written YYYY-Qn (e.g. 2026-Q3), not {value!r}")
    try:
        quarter_bounds(value.strip())
    except ValueError:
        raise QualityError(f"the quarter {quoted(value)} is not written YYYY-Qn (e.g. 2026-Q3)") from None
    return value.strip()


@functools.lru_cache(maxsize=8)
def _scenario_indicators(folder: str, stamp: tuple[tuple[str, float], ...]) -> dict[str, str]:
    from simtool.core.scenario import load_scenario
    out: dict[str, str] = {}
    for name, _mtime in stamp:
        try:
            loaded = load_scenario(Path(folder) / name)
        except Exception:  # noqa: BLE001 - a broken scenario file only costs its ids here
            continue
        for ind in loaded.scenario.indicators:
            out.setdefault(ind.id, loaded.scenario.id)
    return out


def indicator_ids(folder: Path | None = None) -> dict[str, str]:
    """Every indicator id of the scenario files (the ``indicators:`` of each), with the id of
    the scenario that defines it."""
    from simtool.core.paths import scenarios_dir
    d = Path(folder) if folder is not None else scenarios_dir()
    files = tuple(sorted((p.name, p.stat().st_mtime) for p in d.glob("*.yaml")
                         if p.name != "actions.yaml"))
    return _scenario_indicators(str(d), files)


def _indicator(value: object, known: dict[str, str] | None = None) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    ids = known if known is not None else indicator_ids()
    if not isinstance(value, str) or value.strip() not in ids:
        shown = quoted(value) if isinstance(value, str) else repr(value)
        raise QualityError(f"there is no indicator {shown} in the scenarios (one of "
                           f"{', '.join(sorted(ids)) or 'none'}); nothing was saved")
    return value.strip()


def _wrap(exc: Exception) -> QualityError:
    return QualityError(str(exc))


# --- latent safety threats ------------------------------------------------------------------------
def record_threat(archive: Archive, drill_id: str, *, found: str, category: str,
                  likelihood: object, severity: object, root_cause: str,
                  events: list[int] | tuple[int, ...] = (), indicators: list[str] | tuple[str, ...] = (),
                  revises: int | None = None, by: str | None = None) -> SafetyThreat:
    """Record a latent safety threat found in the debrief of ``drill_id`` (or, with
    ``revises``, a revision of that threat: a new record; the earlier one stays)."""
    found_t = _text(found, "what was found")
    root = _text(root_cause, "the root cause")
    if category not in CATEGORIES:
        shown = quoted(category) if isinstance(category, str) else repr(category)
        raise QualityError(f"there is no threat category {shown} (one of {', '.join(CATEGORIES)}); "
                           f"nothing was saved")
    lik, sev = _int_1_5(likelihood, "likelihood"), _int_1_5(severity, "severity")
    try:
        archive.drill(drill_id)
        seqs = {e.seq for e in archive.events(drill_id)}
    except (ArchiveError, NotFoundError) as exc:
        raise _wrap(exc) from None
    ev = []
    for s in events:
        if isinstance(s, bool) or not isinstance(s, int) or s not in seqs:
            raise QualityError(f"drill {drill_id} has no event {s!r} (its events are numbered "
                               f"{min(seqs, default=0)}-{max(seqs, default=0)}); nothing was saved")
        if s not in ev:
            ev.append(s)
    try:
        own = {i.id for i in archive.loaded(drill_id).scenario.indicators}
    except (SimtoolError, OSError):
        own = set(indicator_ids())
    inds = []
    for i in indicators:
        if not isinstance(i, str) or i not in own:
            shown = quoted(i) if isinstance(i, str) else repr(i)
            raise QualityError(f"the scenario of drill {drill_id} has no indicator {shown} (one of "
                               f"{', '.join(sorted(own)) or 'none'}); nothing was saved")
        if i not in inds:
            inds.append(i)
    try:
        return archive.add_safety_threat(drill_id, found=found_t or "", category=category,
                                         likelihood=lik, severity=sev, root_cause=root or "",
                                         events=sorted(ev), indicators=inds, revises=revises, by=by)
    except (ArchiveError, NotFoundError) as exc:
        raise _wrap(exc) from None


def threats(archive: Archive, from_date: str | None = None, to_date: str | None = None,
            department: str | None = None, site: str | None = None,
            drill_id: str | None = None) -> list[SafetyThreat]:
    """The current version of each threat found in the drills run from ``from_date`` to
    ``to_date`` (YYYY-MM-DD, both included), of that department and site when given."""
    f = _day(from_date, "--from") if from_date is not None else None
    t = _day(to_date, "--to") if to_date is not None else None
    if f and t and t < f:
        raise QualityError(f"--to {t} is before --from {f}")
    try:
        found = archive.safety_threats(drill_id=drill_id)
    except (ArchiveError, NotFoundError) as exc:
        raise _wrap(exc) from None
    return [x for x in found
            if (f is None or x.drill_started_at[:10] >= f) and (t is None or x.drill_started_at[:10] <= t)
            and (department is None or x.department == department)
            and (site is None or x.site == site)]


# --- corrective actions ---------------------------------------------------------------------------
def find_owner(archive: Archive, staff_id: object) -> tuple[str, str, str, str | None, str | None]:
    """(table, record id, staff id, department, site) of the person the registry keeps with
    this staff id: a trainee (merged records as one), else an examiner."""
    if not isinstance(staff_id, str) or not staff_id.strip():
        raise QualityError("an action needs an owner: a staff id of the people registry "
                           "(see `simtool people`); nothing was saved")
    sid = staff_id.strip()
    merged = archive.merged_into()
    found = archive.trainees(staff_id=sid)
    roots = sorted({merged.get(t.id or "", t.id or "") for t in found})
    if len(roots) > 1:
        raise QualityError(f"staff id {quoted(sid)} names {len(roots)} people ({', '.join(roots)}) "
                           f"at different sites; merge them or give the one meant a distinct "
                           f"staff id; nothing was saved")
    if roots:
        t = archive.trainee(roots[0])
        return "trainees", roots[0], sid, t.department, t.site
    exam = [e for e in archive.examiner_records() if e.staff_id == sid]
    if exam:
        e = exam[0]
        return "examiners", e.id or "", sid, e.department, e.site
    raise QualityError(f"no person with staff id {quoted(sid)} in the people registry of "
                       f"{archive.path} (add them with `simtool people add`); nothing was saved")


def add_action(archive: Archive, *, title: str, owner: str, deadline: str,
               indicator: str | None = None, threat: int | None = None,
               department: str | None = None, by: str | None = None) -> QualityAction:
    """Agree a corrective action; its department is ``department`` or else the owner's."""
    t = _text(title, "the action's title", one_line=True)
    day = _day(deadline, "the deadline")
    ind = _indicator(indicator)
    table, pid, sid, dept, site = find_owner(archive, owner)
    dep = _text(department, "the department", required=False, one_line=True) or dept
    if threat is not None:
        if isinstance(threat, bool) or not isinstance(threat, int) or \
                not archive.safety_threats(threat_id=threat):
            raise QualityError(f"there is no safety threat {threat!r} in {archive.path} (see "
                               f"`simtool quality threats`); nothing was saved")
    try:
        return archive.add_quality_action(title=t or "", owner_table=table, owner_id=pid,
                                          owner_staff_id=sid, deadline=day, indicator=ind,
                                          threat=threat, department=dep, site=site, by=by)
    except (ArchiveError, NotFoundError) as exc:
        raise _wrap(exc) from None


def update_action(archive: Archive, action_id: int, status: str, note: str | None = None,
                  by: str | None = None) -> QualityAction:
    """Record a status change (open or done) of the action, with its note."""
    if status not in STATUSES:
        shown = quoted(status) if isinstance(status, str) else repr(status)
        raise QualityError(f"an action's status is open or done, not {shown}; nothing was saved")
    n = _text(note, "the note", required=False)
    try:
        return archive.update_quality_action(action_id, status, n, by)
    except (ArchiveError, NotFoundError) as exc:
        raise _wrap(exc) from None


def today(archive: Archive) -> str:
    """The archive's clock's day (YYYY-MM-DD, UTC): what overdue is judged against."""
    return archive.now()[:10]


def action_dict(a: QualityAction, day: str) -> dict[str, Any]:
    return {"id": a.id, "title": a.title, "owner": a.owner, "owner_name": a.owner_name,
            "deadline": a.deadline, "indicator": a.indicator, "threat": a.threat,
            "status": a.status_on(day), "department": a.department, "site": a.site,
            "agreed_at": a.at, "agreed_by": a.by, "done_at": a.done_at,
            "history": [{"status": u.status, "note": u.note, "at": u.at, "by": u.by}
                        for u in a.updates]}


def actions(archive: Archive) -> list[dict[str, Any]]:
    """Every action with its status now (open, done or overdue), oldest first."""
    day = today(archive)
    try:
        return [action_dict(a, day) for a in archive.quality_actions()]
    except (ArchiveError, NotFoundError) as exc:
        raise _wrap(exc) from None


# --- PDCA -----------------------------------------------------------------------------------------
def decide(archive: Archive, quarter: str, decision: str, note: str,
           department: str | None = None, by: str | None = None) -> Decision:
    """Record the Act of the quarter's PDCA cycle (of ``department``, or the whole archive)."""
    q = _quarter(quarter)
    if decision not in DECISIONS:
        shown = quoted(decision) if isinstance(decision, str) else repr(decision)
        raise QualityError(f"a PDCA decision is one of {', '.join(DECISIONS)}, not {shown}; "
                           f"nothing was saved")
    n = _text(note, "the decision's note")
    dep = _text(department, "the department", required=False, one_line=True)
    try:
        return archive.add_quality_decision(q, decision, n or "", dep, by)
    except (ArchiveError, NotFoundError) as exc:
        raise _wrap(exc) from None


@dataclass(frozen=True)
class Pdca:
    """What the PDCA page shows for one quarter (and department)."""

    quarter: str
    department: str | None
    today: str
    actions: tuple[QualityAction, ...]     # Plan / Do
    threats: tuple[SafetyThreat, ...]      # found in the quarter's drills
    decision: Decision | None               # Act: the latest one
    decisions: tuple[Decision, ...]         # every one recorded, oldest first

    def status(self, a: QualityAction) -> str:
        return a.status_on(self.today)

    def counts(self) -> dict[str, int]:
        out = {"open": 0, "done": 0, "overdue": 0}
        for a in self.actions:
            out[self.status(a)] += 1
        return out


def pdca(archive: Archive, quarter: str, department: str | None = None) -> Pdca:
    q = _quarter(quarter)
    try:
        acts = actions_of_quarter(archive.quality_actions(), q, department)
        found = threats_of_quarter(archive.safety_threats(), q, department)
        decisions = archive.quality_decisions(q, department=department)
    except (ArchiveError, NotFoundError) as exc:
        raise _wrap(exc) from None
    return Pdca(q, department, today(archive), tuple(acts), tuple(found),
                decisions[-1] if decisions else None, tuple(decisions))
