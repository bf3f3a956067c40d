"""Words for the record: event kinds, actions, states, people and flag rules.

The event log holds ids (``oxytocin``, ``pph_detected``, ``midwife``); the scenario and the
catalogue hold their labels in each language. Kept apart from the results widget so the
later instructor console can label its live log the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from simtool.core.events import Event
from simtool.core.flagtext import flag_text
from simtool.core.labs import results_line
from simtool.core.routes import action_route_name
from simtool.core.units import shown as unit_shown
from simtool.ui.display import mmss, number

if TYPE_CHECKING:
    from simtool.core.scenario import LoadedScenario

# the bare name with a literal context is what pyside6-lupdate extracts (a helper taking
# a variable text would hide every string from it)
translate = QCoreApplication.translate


class EventWords:
    """Labels for one run's ids, in one language."""

    def __init__(self, loaded: LoadedScenario, participants: Iterable[dict[str, Any]],
                 lang: str) -> None:
        self.loaded = loaded
        self.sc = loaded.scenario
        self.catalogue = loaded.catalogue
        self.lang = lang
        self.people = {p["id"]: p for p in participants}
        self.markers = {m.id: m for m in self.sc.markers}
        self.roles = {r.id: r for r in self.sc.roles}
        self._before: dict[Any, str] = {}  # seq of a state event -> the state it left

    def follow(self, events: list[dict[str, Any]]) -> None:
        """Note which state each state change left, so causes can name the transition."""
        current = self.sc.initial
        for e in events:
            if e["kind"] == "state" and e.get("state"):
                self._before[e.get("seq")] = current
                current = e["state"]

    # --- ids to labels ------------------------------------------------------------------------
    def state(self, state_id: str | None) -> str:
        st = self.sc.state_index.get(state_id or "")
        return st.label.get(self.lang) if st else (state_id or "")

    def phase_of(self, state_id: str) -> str:
        if state_id not in self.sc.state_index:
            return ""
        phase = self.sc.phase_of(state_id)
        return phase.label.get(self.lang) if phase else ""

    def action(self, action_id: str | None) -> str:
        action = self.catalogue.get(action_id or "")
        return action.label.get(self.lang) if action else (action_id or "")

    def marker(self, marker_id: str | None) -> str:
        m = self.markers.get(marker_id or "")
        return m.label.get(self.lang) if m and m.label else (marker_id or "")

    def role(self, role_id: str | None) -> str:
        r = self.roles.get(role_id or "")
        return r.label.get(self.lang) if r else (role_id or "")

    @staticmethod
    def rule(kind: str | None) -> str:
        words = {
            "contraindication": translate("eventlog", "contraindicated"),
            "max_single": translate("eventlog", "single dose over the limit"),
            "max_total": translate("eventlog", "total dose over the limit"),
            "min_interval": translate("eventlog", "too soon after the last dose"),
            "max_doses": translate("eventlog", "too many doses"),
            "window": translate("eventlog", "outside its time window"),
            "dose_range": translate("eventlog", "dose outside the usual range"),
            "route": translate("eventlog", "unusual route"),
            "forbidden": translate("eventlog", "to be avoided in this scenario"),
            "indication": translate("eventlog", "not its indication here"),
            "additive_max": translate("eventlog", "together with similar drugs over the limit"),
            "max_volume": translate("eventlog", "volume over the limit"),
            "not_before": translate("eventlog", "given too early"),
        }
        return words.get(kind or "", (kind or "").replace("_", " "))

    # --- states -------------------------------------------------------------------------------
    @staticmethod
    def state_causes(events: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
        """One entry per row of the result's ``states``: None for the initial state, then the
        event that entered each later state (the result lists them in the same order)."""
        return [None] + [e for e in events if e["kind"] == "state"]

    def cause(self, event: dict[str, Any] | None, previous: str | None = None) -> str:
        """Why a state was entered; with ``previous`` (the state left), the scenario's own
        label for that transition comes first when it has one."""
        if event is None:
            return translate("eventlog", "start of the drill")
        text = event.get("text") or ""
        if text == "condition":
            why = translate("eventlog", "condition met")
        elif text == "time":
            why = translate("eventlog", "time limit in the previous state")
        elif text.startswith("action:"):
            why = translate("eventlog", "after {action}").format(action=self.action(text[len("action:"):]))
        elif text == "force":
            return translate("eventlog", "moved by the instructor")
        else:
            why = text
        label = self._transition_label(previous, event.get("state"), text)
        return f"{label} ({why})" if label else why

    def _transition_label(self, source: str | None, target: str | None, cause: str) -> str:
        if source not in self.sc.state_index or target is None:
            return ""
        phase = self.sc.phase_of(source) if self.sc.state_index[source].phase else None
        candidates = self.sc.state_index[source].transitions + (phase.transitions if phase else ())
        for tr in candidates:
            if tr.to != target or tr.label is None:
                continue
            kind = ("condition" if tr.when is not None else "time" if tr.after_s is not None
                    else "action")
            if cause == kind or (kind == "action" and cause.startswith("action:")):
                return tr.label.get(self.lang)
        return ""

    # --- one event ----------------------------------------------------------------------------
    def what(self, e: dict[str, Any]) -> str:
        kind = e["kind"]
        if kind == "start":
            return translate("eventlog", "Drill started in “{state}”").format(state=self.state(e.get("state")))
        if kind == "marker":
            return translate("eventlog", "Marker: {marker}").format(marker=self.marker(e.get("text")))
        if kind == "state":
            return translate("eventlog", "State → {state}").format(state=self.state(e.get("state")))
        if kind == "action":
            return self.action(e.get("action"))
        if kind == "flag":
            return translate("eventlog", "⚑ Flag on {action}").format(action=self.action(e.get("action")))
        if kind == "force":
            return translate("eventlog", "Instructor moved to “{state}”").format(state=self.state(e.get("state")))
        if kind == "retract":
            return translate("eventlog", "Withdrawn: {action}").format(action=self.action(e.get("action")))
        if kind == "amend":
            return translate("eventlog", "Corrected: {action}").format(action=self.action(e.get("action")))
        if kind == "unflag":
            return translate("eventlog", "Flag withdrawn on {action}").format(action=self.action(e.get("action")))
        if kind == "labs":
            drawn = (e.get("values") or {}).get("drawn")
            return translate("eventlog", "Lab results (sample of {time})").format(
                time=mmss(drawn if drawn is not None else e.get("t") or 0))
        if kind == "display":
            on = bool((e.get("values") or {}).get("on"))
            if (e.get("values") or {}).get("show") == "drape":
                return (translate("eventlog", "Blood-loss drape shown") if on
                        else translate("eventlog", "Blood-loss drape hidden"))
            return (translate("eventlog", "Monitor blanked") if on
                    else translate("eventlog", "Monitor shown again"))
        words = {"note": translate("eventlog", "Note"), "pause": translate("eventlog", "Paused"), "resume": translate("eventlog", "Resumed"),
                 "end": translate("eventlog", "Drill ended")}
        return words.get(kind, kind)

    def who(self, e: dict[str, Any]) -> str:
        actor, role = e.get("actor"), e.get("role")
        if actor == "instructor":
            return translate("eventlog", "Instructor")
        person = self.people.get(actor or "")
        if person is not None:
            return f"{person['name']} ({self.role(person['role'])})"
        return self.role(role) if role else ""

    def details(self, e: dict[str, Any]) -> str:
        kind = e["kind"]
        if kind == "action":
            parts = []
            if e.get("dose") is not None:
                parts.append(f"{number(e['dose'])} {unit_shown(e.get('unit'))}".strip())
            if e.get("route"):
                parts.append(action_route_name(self.loaded.catalogue, e.get("action"), e["route"], self.lang))
            if e.get("text"):
                parts.append(f"“{e['text']}”")
            return " · ".join(parts)
        if kind == "state":
            return self.cause(e, self._before.get(e.get("seq")))
        if kind == "flag":
            return f"{self.rule(e.get('rule'))}: {flag_text(self.loaded, Event.from_dict(e), self.lang)}"
        if kind == "start":
            return e.get("text") or ""
        if kind == "marker":
            return ""  # its label is already in the Event column
        if kind == "retract":
            reason = e.get("text")
            base = translate("eventlog", "withdrew event #{ref}").format(ref=e.get("ref"))
            return f"{base} — {reason}" if reason else base
        if kind == "amend":
            return self.correction(e)
        if kind == "labs":
            return results_line(e.get("values") or {}, self.lang)
        if kind == "unflag":
            return translate("eventlog", "{rule} no longer applies after a correction").format(
                rule=self.rule(e.get("rule")))
        return e.get("text") or ""

    def correction(self, e: dict[str, Any]) -> str:
        """What an amendment changed on event #ref, and why."""
        values = e.get("values") or {}
        parts = []
        if "who" in values:
            person = self.people.get(values.get("actor") or "")
            who = f"{person['name']} ({self.role(person['role'])})" if person is not None \
                else self.role(values.get("role"))
            parts.append(translate("eventlog", "by {who}").format(who=who))
        if values.get("dose") is not None:
            parts.append(f"{number(values['dose'])} {unit_shown(values.get('unit'))}".strip())
        if values.get("route"):
            parts.append(action_route_name(self.loaded.catalogue, e.get("action"), values["route"], self.lang))
        if values.get("t") is not None:
            parts.append(translate("eventlog", "at {time}").format(time=mmss(values["t"])))
        base = translate("eventlog", "event #{ref} corrected: {changes}").format(
            ref=e.get("ref"), changes=" · ".join(parts))
        return f"{base} — {e['text']}" if e.get("text") else base
