"""The drill calendar (issue 20, item 5): for each department and site of the archive, each
drill a training programme's frequency rules require (``drills:`` of ``programmes/*.yaml``),
when it was last done, when it is next due and whether it is ``ok``, ``due`` or ``overdue`` —
what ``simtool calendar`` prints and the dashboard's drill calendar shows. The dates and the
rule (due = within the last month before the next due day, overdue = past it, never done =
overdue) are ``simtool.core.calendar``'s; this module reads the archive.

What counts as "done": a drill of the scenario the rule names, ended or signed (a discarded,
running or interrupted drill is not a drill done), recorded for that department — the
department the drill was run for, or, for a drill recorded without one, its participants'
departments (as the indicators count it) — and at that site. Its day is the day it started
(UTC, as the archive stamps it).

A rule that names no scenario (PPH's emergency-plan drill: a night-time haemorrhage with the
blood bank short is an exercise of the whole hospital, not one of simtool's scenarios) cannot
be matched to recorded drills: counting any drill would call a department that never ran it
``ok``. Such rules are listed apart as ``not_tracked`` with what to do (name a scenario in the
programme), never given a status they did not earn.

Which departments: every (department, site) with a drill in the archive that is not discarded,
or those of ``department`` / ``site``; one the archive has never seen is an error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from simtool.app.logbook import programme, programmes
from simtool.app.setup import quoted
from simtool.core.calendar import DUE, OVERDUE, due_status, last_done
from simtool.core.errors import SimtoolError
from simtool.core.programme import LoadedProgramme
from simtool.store import Archive

DONE = ("ended", "signed")
_ORDER = {OVERDUE: 0, DUE: 1}


class CalendarError(SimtoolError):
    """A calendar that cannot be shown (an unknown department, site or programme)."""


def _drill_places(archive: Archive) -> list[tuple[str, str | None, str, dt.date, str]]:
    """(department, site, scenario id, day, status) of every drill not discarded, once per
    department it counts for."""
    infos = [d for d in archive.drills() if d.status != "discarded"]
    depts: dict[str, str | None] | None = None
    out = []
    for d in infos:
        if d.department:
            names = {d.department}
        else:
            if depts is None:
                depts = {t.id: t.department for t in archive.trainees()}
            names = {depts.get(p.trainee_id) for p in d.participants if p.trainee_id}
            names.discard(None)
            names.discard("")
        day = dt.date.fromisoformat(d.started_at[:10])
        out += [(str(n), d.site, d.scenario_id, day, d.status) for n in sorted(names)]
    return out


def today_of(archive: Archive) -> dt.date:
    """The archive clock's day (UTC): the calendar's default "today"."""
    return dt.date.fromisoformat(archive.now()[:10])


def calendar(archive: Archive, department: str | None = None, site: str | None = None,
             programme_id: str | None = None, today: dt.date | None = None) -> dict[str, Any]:
    """``{"today", "drills", "not_tracked"}``: ``drills`` holds one entry per programme rule
    with a scenario × (department, site) in scope — programme, drill id, label (en, zh_CN,
    zh_TW), department, site, scenario, every_months, last_done, next_due (ISO dates or None),
    days_left and status — overdue first, then due, then ok; ``not_tracked`` the rules without
    a scenario, with the reason. ``today`` defaults to the archive clock's day."""
    today = today or today_of(archive)
    loaded: list[LoadedProgramme] = [programme(programme_id)] if programme_id else \
        [p for p in programmes().values() if p.programme.drills]
    places = _drill_places(archive)
    scopes = sorted({(dep, s) for dep, s, *_ in places}, key=lambda k: (k[0], k[1] or ""))
    if department is not None and not any(dep == department for dep, _ in scopes):
        known = sorted({dep for dep, _ in scopes})
        raise CalendarError(f"no drills of the department {quoted(department)} in the archive "
                            f"(departments: {', '.join(known) or 'none recorded'})")
    if site is not None and not any(s == site for _, s in scopes):
        known = sorted({s for _, s in scopes if s is not None})
        raise CalendarError(f"no drills at the site {quoted(site)} in the archive "
                            f"(sites: {', '.join(known) or 'none recorded'})")
    scopes = [(dep, s) for dep, s in scopes
              if (department is None or dep == department) and (site is None or s == site)]
    done: dict[tuple[str, str | None, str], list[dt.date]] = {}
    for dep, s, scenario, day, status in places:
        if status in DONE:
            done.setdefault((dep, s, scenario), []).append(day)
    drills, untracked = [], []
    for lp in loaded:
        pg = lp.programme
        for rule in pg.drills:
            every = int(rule.every_months.value)
            label = {"en": rule.label.en, "zh_CN": rule.label.zh_CN, "zh_TW": rule.label.zh_TW}
            if rule.scenario is None:
                untracked.append({
                    "programme": pg.id, "drill": rule.id, "label": label, "every_months": every,
                    "reason": "the programme names no scenario for this drill, so simtool cannot "
                              "tell which recorded drills were it; name one with 'scenario:' in "
                              f"{lp.path.name} to track it"})
                continue
            for dep, s in scopes:
                state = due_status(last_done(done.get((dep, s, rule.scenario), []), today), every, today)
                drills.append({
                    "programme": pg.id, "drill": rule.id, "label": label, "department": dep,
                    "site": s, "scenario": rule.scenario, "every_months": every,
                    "last_done": state.last_done.isoformat() if state.last_done else None,
                    "next_due": state.next_due.isoformat() if state.next_due else None,
                    "days_left": state.days_left, "status": state.status})
    drills.sort(key=lambda d: (_ORDER.get(d["status"], 2), d["next_due"] or "", d["department"],
                               d["site"] or "", d["programme"], d["drill"]))
    return {"today": today.isoformat(), "drills": drills, "not_tracked": untracked}
