"""Anonymised bundles: nobody in them can be named, and nothing anyone typed travels.

``anonymize(doc, secret)`` rewrites one drill document (``bundle.drill_document``):

* people get stable pseudonyms — HMAC-SHA256 under the archive's ``pseudonym_secret``, the same
  in every bundle from that archive: trainees "Trainee 4F2A9C" (keyed by staff id, else id),
  staff ids "ANON-…", trainee ids "trainee-…"; examiners likewise ("Examiner …",
  "examiner-…"); participants not linked to a trainee "Participant …"; participant ids become
  p1, p2 … in order. ``created_by`` and ``signed_by``, sign-offs and amendments name the
  pseudonymous examiner.
* sites become "Site …" (the drill's ``site``; the bundle is signed under the archive's site
  pseudonym with a key of its own, see ``signing``).
* free text is dropped as "[removed]": event ``text`` of everything a person enters (notes,
  reasons for forcing a state, retractions), amendment ``why``, and in the stored sheet JSON
  (``score_sheets.data``, ``sheet_items.evidence``) every string except those under keys this
  simtool writes itself (ids, statuses, codes, rubric labels …): comments, override and
  reconciliation reasons, flag messages and anything unknown; a key that is not a lower-case
  field name is dropped with its value. Evidence sentences are written again from their
  anonymised fields.
* every string that is kept — and every key of the stored JSON — has any known name, staff
  id, id or site inside it replaced by its pseudonym (case-insensitive; ASCII ones as whole
  words, others wherever they occur).

Drill and sheet ids (random UUIDs) are kept, so the same drill cannot be imported twice into
one archive as a real and an anonymised copy. Departments, roles, times, actions, doses,
vitals, points and the scenario and rubric texts are kept: they are what analysis needs.
A signed sheet's ``record_sha256`` is kept; its content no longer matches it, which is why an
anonymised bundle imports only as an analysis copy (``bundle.import_bundle``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from simtool.core.events import DERIVED_KINDS
from simtool.core.evidencetext import describe
from simtool.store.errors import ArchiveError

if TYPE_CHECKING:
    from simtool.store.archive import Archive

REMOVED = "[removed]"

# keys of the stored sheet JSON whose strings simtool writes itself (kept, names replaced)
_KEEP = frozenset({
    "id", "version", "sha256", "blocks", "evaluation_type", "subject", "role", "kind", "scope",
    "status", "result", "critical_missed", "pending", "by_role", "unit", "action", "actions",
    "flags", "rule", "marker", "per_kg_unit", "note_lang", "category", "chose", "from_status",
    "label", "level_label", "flag_values"})
_INHERIT = frozenset({"blocks", "label", "level_label", "flag_values"})  # their dicts' keys are not field names
_FIELD_KEY = re.compile(r"[a-z][a-z0-9_]{0,63}")        # keys simtool writes; others are dropped
_MAP_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")  # block ids, language codes
_REASON_CODES = frozenset({
    "done", "late", "missed", "wrong_role", "other_person", "dose_ok", "wrong_dose", "no_dose",
    "clean", "forbidden_action", "flag", "indicator", "not_applicable", "examiner",
    "not_observed", "pending", "after_limit"})


def pseudonym(secret: str, key: str) -> str:
    return hmac.new(bytes.fromhex(secret), key.encode("utf-8"), hashlib.sha256).hexdigest().upper()


def archive_secret(archive: "Archive") -> str:
    secret = archive._meta("pseudonym_secret")
    if not secret:
        raise ArchiveError(f"the archive {archive.path} has no pseudonym secret; it cannot "
                           f"write anonymised bundles")
    return secret


def site_name(secret: str, site: str) -> str:
    return f"Site {pseudonym(secret, 'site:' + site)[:6]}"


def case_pseudonym(secret: str, case_ref: str) -> str:
    """A case reference's pseudonym, the same in a logbook and among real cases."""
    return f"CASE-{pseudonym(secret, 'case:' + case_ref)[:10]}"


def site_pseudonym(archive: "Archive", site: str) -> str:
    return site_name(archive_secret(archive), site)


class _Pseudonyms:
    """The replacements for one drill document."""

    def __init__(self, secret: str, doc: Mapping[str, Any]) -> None:
        self.secret = secret
        self.words: dict[str, str] = {}      # lower-cased identifier -> replacement
        self.trainees: dict[str, dict[str, Any]] = {}
        self.examiner_ids: dict[str, str] = {}
        self.examiner_names: dict[str, str] = {}
        for t in doc["trainees"]:
            code = self.code(f"staff:{t['staff_id']}" if t.get("staff_id") else f"id:{t['id']}")
            new = {"id": f"trainee-{self.code('trainee:' + t['id'])[:16].lower()}",
                   "name": f"Trainee {code[:6]}",
                   **({"staff_id": f"ANON-{code[:12]}"} if t.get("staff_id") else {}),
                   **self.details(t)}
            self.trainees[t["id"]] = new
            self.word(t["name"], new["name"])
            self.word(t.get("staff_id"), new.get("staff_id"))
            self.word(t["id"], new["id"])
        self.examiners: list[dict[str, Any]] = []
        for e in doc["examiners"]:
            code = self.code(f"staff:{e['staff_id']}" if e.get("staff_id") else f"examiner:{e['id']}")
            new = {"id": f"examiner-{self.code('examiner-id:' + e['id'])[:16].lower()}",
                   "name": f"Examiner {code[:6]}",
                   **({"staff_id": f"ANON-{code[:12]}"} if e.get("staff_id") else {}),
                   **self.details(e)}
            self.examiners.append(new)
            self.examiner_ids[e["id"]] = new["id"]
            self.examiner_names[e["name"].casefold()] = new["name"]
            self.word(e["name"], new["name"])
            self.word(e.get("staff_id"), new.get("staff_id"))
            self.word(e["id"], new["id"])
        self.pids: dict[str, str] = {}
        self.names: dict[str, str] = {}          # lower-cased name -> pseudonym
        self.participant_names: dict[str, str] = {}  # participant id -> pseudonym
        for i, p in enumerate(doc["participants"]):
            self.pids[p["id"]] = f"p{i + 1}"
            linked = self.trainees.get(p.get("trainee_id") or "")
            name = linked["name"] if linked else f"Participant {self.code('name:' + p['name'])[:6]}"
            self.participant_names[p["id"]] = name
            self.names.setdefault(p["name"].casefold(), name)
            self.word(p["name"], name)
            self.word(p["id"], self.pids[p["id"]])
        site = doc["drill"].get("site")
        if site:
            self.word(site, site_name(secret, site))
        for s in doc["sheets"]:  # examiners named by hand on a sheet (created_by is a name)
            by = s.get("created_by")
            if by and by not in self.examiner_ids and by.casefold() not in self.examiner_names:
                self.examiner_names[by.casefold()] = f"Examiner {self.code('name:' + by)[:6]}"
                self.word(by, self.examiner_names[by.casefold()])
        self.pattern = self._compile()

    def details(self, person: Mapping[str, Any]) -> dict[str, Any]:
        """A person's department, profession and grade kept (what an analysis compares); the
        home site replaced like every site."""
        out = {k: person[k] for k in ("department", "profession", "grade") if person.get(k)}
        if person.get("site"):
            out["site"] = site_name(self.secret, person["site"])
            self.word(person["site"], out["site"])
        return out

    def code(self, key: str) -> str:
        return pseudonym(self.secret, key)

    def word(self, old: str | None, new: str | None) -> None:
        if old and new and old.strip():
            self.words.setdefault(old.casefold(), new)

    def _compile(self) -> re.Pattern[str] | None:
        parts = []
        for old in sorted(self.words, key=len, reverse=True):
            body = re.escape(old)
            parts.append(rf"(?<![A-Za-z0-9_]){body}(?![A-Za-z0-9_])" if old.isascii() else body)
        return re.compile("|".join(parts), re.IGNORECASE) if parts else None

    def sub(self, text: str) -> str:
        """``text`` with every known identifier in it replaced by its pseudonym."""
        if self.pattern is None:
            return text
        return self.pattern.sub(lambda m: self.words.get(m.group(0).casefold(), REMOVED), text)

    def examiner(self, value: str) -> str:
        """An examiner named by id or by name, or ``REMOVED``."""
        return self.examiner_ids.get(value) or self.examiner_names.get(value.casefold()) or REMOVED

    def person(self, value: str) -> str:
        return self.names.get(value.casefold()) or REMOVED

    # --- the stored sheet JSON -----------------------------------------------------------------
    def json(self, value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            keys = _MAP_KEY if key in _INHERIT else _FIELD_KEY
            out = {self.sub(k): self.json(v, key if key in _INHERIT else k)
                   for k, v in value.items() if keys.fullmatch(k)}
            if isinstance(out.get("reason"), str) and "text" in out:   # an evidence record
                out["text"] = self._sentence(out)
            return out
        if isinstance(value, list):
            return [self.json(v, key) for v in value]
        if isinstance(value, str):
            return self.string(value, key)
        return value

    def string(self, value: str, key: str) -> str:
        if key == "participant":
            return self.pids.get(value, REMOVED)
        if key == "name":
            return self.person(value)
        if key in ("examiner", "created_by", "signed_by"):
            return self.examiner(value)
        if key == "by":
            return self.pids.get(value) or self.examiner(value)
        if key == "reason":
            return value if value in _REASON_CODES else REMOVED
        if key in _KEEP:
            return self.sub(value)
        return REMOVED

    @staticmethod
    def _sentence(evidence: dict[str, Any]) -> str:
        try:
            return describe({k: v for k, v in evidence.items() if k != "text"})
        except Exception:  # noqa: BLE001 - an evidence shape describe() does not know
            return REMOVED


def anonymize(doc: dict[str, Any], secret: str) -> dict[str, Any]:
    """A copy of one drill document with every person, site and typed text replaced."""
    ps = _Pseudonyms(secret, doc)
    drill = dict(doc["drill"])
    if drill.get("site"):
        drill["site"] = site_name(secret, drill["site"])
    participants = [{**p, "id": ps.pids[p["id"]], "name": ps.participant_names[p["id"]],
                     **({"trainee_id": ps.trainees[p["trainee_id"]]["id"]} if p.get("trainee_id") else {})}
                    for p in doc["participants"]]
    events = []
    for ev in doc["events"]:
        new = {k: (ps.sub(v) if isinstance(v, str) and k != "kind" else v) for k, v in ev.items()}
        if "actor" in ev:
            new["actor"] = ps.pids.get(ev["actor"]) or ("instructor" if ev["actor"] == "instructor" else REMOVED)
        if "text" in ev and ev["kind"] not in DERIVED_KINDS:
            new["text"] = REMOVED
        events.append(new)
    sheets = []
    for s in doc["sheets"]:
        new = {**s, "data": ps.json(s["data"]),
               "items": [{**i, **({"evidence": ps.json(i["evidence"])} if "evidence" in i else {})}
                         for i in s["items"]]}
        if s.get("trainee_id"):
            new["trainee_id"] = ps.trainees[s["trainee_id"]]["id"]
        for key in ("created_by", "signed_by"):
            if s.get(key):
                new[key] = ps.examiner(s[key])
        if new.get("created_by") == REMOVED:
            del new["created_by"]
        sheets.append(new)
    return {
        **doc,
        "drill": drill,
        "participants": participants,
        "events": events,
        "sheets": sheets,
        "signoffs": [{**o, "examiner_id": ps.examiner_ids[o["examiner_id"]]} for o in doc["signoffs"]],
        "amendments": [{**a, "by": ps.examiner_ids[a["by"]], "why": REMOVED} for a in doc["amendments"]],
        "trainees": [ps.trainees[t["id"]] for t in doc["trainees"]],
        "examiners": ps.examiners,
    }


def anonymize_logbook(doc: dict[str, Any], secret: str) -> dict[str, Any]:
    """A copy of a bundle's logbook (``bundle.logbook_document``) with nobody named and
    nothing typed: trainees as in the drill files (the same pseudonyms), the supervisor's and
    examiner's staff ids and sites pseudonymised, each case reference replaced by a
    pseudonym of itself (entries of one case stay together), complications, reasons and who
    typed them left out. Countersignatures are left out: an anonymised entry no longer
    matches what its supervisor signed (an analysis copy shows every entry pending)."""
    ps = _Pseudonyms(secret, {"trainees": doc["trainees"], "examiners": [], "participants": [],
                              "drill": {}, "sheets": []})

    def staff(value: str | None) -> str | None:
        return None if not value else f"ANON-{ps.code('staff:' + value)[:12]}"

    def site(value: str | None) -> str | None:
        return None if not value else site_name(secret, value)

    entries = [{"uid": e["uid"], "source_id": e["source_id"],
                "trainee_id": ps.trainees[e["trainee_id"]]["id"], "date": e["date"],
                "procedure": e["procedure"], "level": e["level"],
                "supervisor": staff(e["supervisor"]),
                **({"site": site(e["site"])} if e.get("site") else {}),
                "case_ref": case_pseudonym(secret, e["case_ref"]), "at": e["at"]}
               for e in doc["entries"]]
    changes = [{**{k: c[k] for k in ("entry_uid", "kind", "new_entry_uid", "at") if c.get(k)},
                "reason": REMOVED} for c in doc["changes"]]
    exams = [{**{k: x[k] for k in ("uid", "programme", "exam", "date", "result", "at")},
              "trainee_id": ps.trainees[x["trainee_id"]]["id"],
              **({"examiner": staff(x["examiner"])} if x.get("examiner") else {})}
             for x in doc["exams"]]
    return {"trainees": [ps.trainees[t["id"]] for t in doc["trainees"]], "examiners": [],
            "entries": entries, "signatures": [], "changes": changes, "exams": exams}


def anonymize_cases(doc: dict[str, Any], secret: str) -> dict[str, Any]:
    """A copy of a bundle's real cases (``bundlecases.cases_document``) passed as the logbook's
    anonymisation passes its equivalents: each site as a site pseudonym, each case reference
    as a pseudonym of itself (``case_pseudonym``: the same as a logbook entry of that case
    gets), who entered it left out, a withdrawal's reason "[removed]" and who withdrew it left
    out. Departments, dates, the timeline (times, actions, doses, roles: no names by rule) and
    the indicator results are kept: they are what analysis needs. Uids are kept, as drill ids
    are: an anonymised copy is never imported beside its original as another case."""
    cases = [{**{k: v for k, v in c.items() if k not in ("by", "site")},
              **({"site": site_name(secret, c["site"])} if c.get("site") else {}),
              "case_ref": case_pseudonym(secret, c["case_ref"])} for c in doc["cases"]]
    withdrawals = [{"case_uid": w["case_uid"], "reason": REMOVED, "at": w["at"]}
                   for w in doc["withdrawals"]]
    return {"scenario_texts": doc["scenario_texts"], "cases": cases, "withdrawals": withdrawals}
