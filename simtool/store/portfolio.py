"""One trainee's portfolio across time and places (issue 17, item 6): every drill of the person
— all the trainee records merged into them, at every site, imported drills included — with
their role, the drill's site and department, their own score, the result of each critical
rubric item and each indicator; and per critical item and per indicator the series over time
with its n. Imports no Qt; plain JSON-ready data (``simtool stats portfolio --json``).

Ordering is deterministic: drills by start time then id; indicators by the first drill that has
them, in the order its scenario lists them; critical items by the first drill that has them,
the person's own sheet before the team's, in rubric order.

What counts:
- discarded drills are left out; a drill still running (or interrupted) is listed but is in no
  trend: its times are not final;
- a score or a critical item's result comes from the person's own current sheets and the
  team's current sheets of the drill: a signed sheet, else a sheet stored unsigned by scoring
  (``signed`` False says so); an examiner's draft is not a result yet. Two signed sheets of the
  same item (two examiners) that disagree read ``missed``: a critical gate is passed only when
  every examiner saw it met.
"""

from __future__ import annotations

import statistics
from typing import Any

from simtool.store.archive import Archive
from simtool.store.errors import NotFoundError

FINISHED = ("ended", "signed")
DRAFT_KEY = "draft"                   # an examiner's draft (``simtool.app.marking``)

# a critical item's status on a sheet (``core.scoresheet``) → what the portfolio says
MET, MISSED, NOT_APPLICABLE, PENDING = "met", "missed", "not applicable", "pending"
_CRITICAL = {"met": MET, "not met": MISSED, "late": MISSED, "not observed": MISSED,
             "not applicable": NOT_APPLICABLE, "pending-examiner": PENDING}
_WORST = (MISSED, PENDING, MET, NOT_APPLICABLE)   # several sheets of one item: the first found


def find_trainee(archive: Archive, who: str) -> Any:
    """The person named by a trainee id or a staff id (records merged into one count once);
    NotFoundError otherwise."""
    try:
        return archive.trainee(archive.merged_into().get(who, who))
    except NotFoundError:
        merged = archive.merged_into()
        found = {merged.get(t.id, t.id) for t in archive.trainees(staff_id=who)}
        if len(found) == 1:   # one person (records merged into one count once)
            return archive.trainee(found.pop())
        raise NotFoundError(f"no trainee with id or staff id {who} in the archive {archive.path}") from None


def _details(archive: Archive, trainee_id: str) -> dict[str, Any]:
    """The registry's fields of a record (profession, grade, home site: from schema 9 on)."""
    row = archive._one("SELECT * FROM trainees WHERE id = ?", trainee_id) or {}
    return {k: row.get(k) for k in ("profession", "grade", "site")}


def _imported(archive: Archive, drill_ids: list[str]) -> set[str]:
    """The drills that came into this archive from a bundle (their audit row says ``import``)."""
    if not drill_ids:
        return set()
    marks = ", ".join("?" * len(drill_ids))
    return {r[0] for r in archive._conn.execute(
        f"SELECT record_id FROM audit WHERE table_name = 'drills' AND op = 'import' "
        f"AND record_id IN ({marks})", drill_ids)}


def _counts(sheet: Any) -> bool:
    """A sheet whose results count: signed, or stored by scoring (not an examiner's draft)."""
    data = sheet.data if isinstance(sheet.data, dict) else {}
    return sheet.signed or DRAFT_KEY not in data


def _critical(sheets: list[Any], records: set[str]) -> list[dict[str, Any]]:
    """The critical items of a drill's sheets: the person's own first, then the team's, each
    in rubric order; one entry per (rubric, item, scope)."""
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    order = sorted((s for s in sheets if _counts(s)),
                   key=lambda s: (s.trainee_id is None, s.rubric_id, not s.signed, s.id))
    for s in order:
        scope = "team" if s.trainee_id is None else "trainee"
        for item in (s.data or {}).get("items") or ():
            if not isinstance(item, dict) or not item.get("critical") or not item.get("id"):
                continue
            status = _CRITICAL.get(str(item.get("status")), PENDING)
            key = (s.rubric_id, str(item["id"]), scope)
            old = found.get(key)
            if old is None:
                found[key] = {"rubric_id": s.rubric_id, "item_id": str(item["id"]), "scope": scope,
                              "label": dict(item.get("label") or {}), "status": status,
                              "signed": s.signed}
            elif old["signed"] == s.signed and _WORST.index(status) < _WORST.index(old["status"]):
                old["status"] = status   # two examiners disagree: the worse result stands
    return list(found.values())


def _own_score(sheets: list[dict[str, Any]]) -> dict[str, Any]:
    """The person's own score of a drill: the signed sheet's (several: their mean), else the
    unsigned one's, marked so."""
    own = [s for s in sheets if s["scope"] == "trainee" and s["percentage"] is not None
           and (s["signed"] or not s["draft"])]
    signed = [s for s in own if s["signed"]]
    use = signed or own
    if not use:
        return {"percentage": None, "verdict": None, "signed": None}
    pct = round(statistics.fmean(s["percentage"] for s in use), 2)
    verdicts = {s["verdict"] for s in use}
    verdict = "fail" if "fail" in verdicts else verdicts.pop() if len(verdicts) == 1 else "pending"
    return {"percentage": pct, "verdict": verdict, "signed": bool(signed)}


def portfolio(archive: Archive, trainee: str) -> dict[str, Any]:
    """One person's drills over time and places (by trainee id or staff id; every record
    merged into them): role, site, department, whether imported, their own score, the drill's
    indicator results and critical items; per scenario the drill count, each indicator's
    median and the mean signed percentage; and ``trends``: per indicator (of a scenario) and
    per critical item the finished drills' series, oldest first, with n."""
    from simtool.store.analytics import _summary, drill_indicators

    person = find_trainee(archive, trainee)
    history = [h for h in archive.trainee_history(person.id) if h.drill.status != "discarded"]
    records = archive.person_ids(person.id)      # the records merged into this person too
    ids = [h.drill.id for h in history]
    inds = {d.drill_id: d for d in drill_indicators(archive, drill_ids=ids, finished_only=False)}
    imported = _imported(archive, ids)
    drills_out = []
    per_scenario: dict[str, dict[str, Any]] = {}
    for h in history:
        d = h.drill
        sheets = [s for s in archive.sheets(d.id, current_only=True)
                  if s.trainee_id is None or s.trainee_id in records]
        sheet_out = [{"sheet_id": s.id, "scope": "team" if s.trainee_id is None else "trainee",
                      "rubric_id": s.rubric_id, "rubric_version": s.rubric_version,
                      "points": (s.data or {}).get("points"), "max_points": (s.data or {}).get("max_points"),
                      "percentage": (s.data or {}).get("percentage"),
                      "verdict": ((s.data or {}).get("verdict") or {}).get("result"),
                      "signed": s.signed_at is not None,
                      "draft": isinstance(s.data, dict) and DRAFT_KEY in s.data} for s in sheets]
        results = inds[d.id].results if d.id in inds else ()
        own_depts = inds[d.id].departments if d.id in inds else ()
        drills_out.append({"drill_id": d.id, "started_at": d.started_at, "scenario_id": d.scenario_id,
                           "scenario_version": d.scenario_version, "status": d.status,
                           "evaluation_type": d.evaluation_type, "role": h.role,
                           "site": d.site, "department": d.department or (", ".join(own_depts) or None),
                           "imported": d.id in imported,
                           "score": _own_score(sheet_out),
                           "indicators": [r.to_dict() for r in results], "sheets": sheet_out,
                           "critical": _critical(sheets, records)})
        agg = per_scenario.setdefault(d.scenario_id, {"drills": 0, "_ind": {}, "_pct": []})
        agg["drills"] += 1
        for r in results:
            agg["_ind"].setdefault(r.id, []).append(r)
        agg["_pct"] += [s["percentage"] for s in sheet_out   # signed sheets only: a draft
                        if s["scope"] == "trainee" and s["signed"]  # is not a score yet
                        and s["percentage"] is not None]
    scenarios = []
    for sid, agg in sorted(per_scenario.items()):
        pct = agg["_pct"]
        scenarios.append({"scenario_id": sid, "drills": agg["drills"],
                          "indicators": [{"id": k, **_summary((r.seconds, r.target_s, r.met) for r in v)}
                                         for k, v in agg["_ind"].items()],
                          "mean_percentage": round(statistics.fmean(pct), 2) if pct else None})
    row = _details(archive, person.id)
    sites = sorted({d["site"] for d in drills_out if d["site"]})
    return {"trainee": {"id": person.id, "name": person.name, "staff_id": person.staff_id,
                        "department": person.department, **row,
                        "records": sorted(records), "sites": sites},
            "span": {"first": drills_out[0]["started_at"] if drills_out else None,
                     "last": drills_out[-1]["started_at"] if drills_out else None},
            "drills": drills_out, "scenarios": scenarios, "trends": trends(drills_out)}


def trends(drills: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Per (scenario, indicator) and per critical item (rubric, item, scope), the finished
    drills' results oldest first: ``points`` and ``n`` (the drills it applied to), ``met``."""
    indicators: dict[tuple[str, str], dict[str, Any]] = {}
    critical: dict[tuple[str, str, str], dict[str, Any]] = {}
    for d in drills:
        if d["status"] not in FINISHED:
            continue
        for r in d["indicators"]:
            key = (d["scenario_id"], r["id"])
            t = indicators.setdefault(key, {"scenario_id": key[0], "id": key[1], "target_s": r["target_s"],
                                            "n": 0, "met": 0, "points": []})
            if r["met"] is None:
                continue   # its start never happened: the indicator did not apply
            t["points"].append({"drill_id": d["drill_id"], "started_at": d["started_at"],
                                "seconds": r["seconds"], "target_s": r["target_s"], "met": r["met"]})
            t["n"] += 1
            t["met"] += int(bool(r["met"]))
        for c in d["critical"]:
            key = (c["rubric_id"], c["item_id"], c["scope"])
            t = critical.setdefault(key, {"rubric_id": key[0], "item_id": key[1], "scope": key[2],
                                          "label": c["label"], "n": 0, "met": 0, "missed": 0,
                                          "points": []})
            t["points"].append({"drill_id": d["drill_id"], "started_at": d["started_at"],
                                "status": c["status"], "signed": c["signed"]})
            if c["status"] in (MET, MISSED):
                t["n"] += 1
                t["met" if c["status"] == MET else "missed"] += 1
    return {"indicators": list(indicators.values()), "critical": list(critical.values())}
