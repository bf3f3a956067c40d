"""The drill engine: a scenario played as a state machine on a simulated clock.

Time moves only through ``tick(dt)``. Internally the clock is kept in whole milliseconds and
the simulation (physiology, markers, timed and conditional transitions) advances in fixed
one-second steps on that clock, so the result depends only on *what* happened *when*, never on
how the caller chunked its ticks: a GUI timer, a headless script and a replay of the recorded
events all give the same states and vitals to the bit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from transitions.extensions.nesting import HierarchicalMachine, NestedState

from simtool.core import expr, units
from simtool.core.catalogue import CONDITIONS, Action
from simtool.core.errors import DrillError, UnitError
from simtool.core.limits import MAX_DOSE
from simtool.core.events import AMENDABLE, DISPLAYS, INPUT_KINDS, Event, freeze_values
from simtool.core.doseeffects import EffectTracker
from simtool.core.labs import (CRYO_FIBRINOGEN_G, DOSE_SUPPLIES, POINT_OF_CARE, TEST_IDS, LabBaseline,
                               LabModel)
from simtool.core.physiology import RHYTHMS, Baseline, Physiology, Vitals
from simtool.core.rules import ActionLog, Flag, RuleContext, check
from simtool.core.scenario import (BLOOD_PRODUCTS, BLOOD_VARIABLES, RATIO_VARIABLES, Intervention,
                                   LoadedScenario, Scenario, Transition)

STEP_MS = 1000


class _PhaseState(NestedState):
    # ids are snake_case, so the library's default "_" separator would be ambiguous
    separator = "/"


class _Machine(HierarchicalMachine):
    state_cls = _PhaseState


@dataclass(frozen=True)
class Participant:
    id: str
    name: str
    role: str


@dataclass(frozen=True)
class PatientParams:
    weight_kg: float
    conditions: tuple[str, ...] = ()
    variant: str | None = None  # a scenario variant id: the course this drill follows


@dataclass
class _Use:
    t: float
    factor: float
    onset_s: float
    duration_s: float | None


@dataclass
class _Sample:
    """A blood sample on its way to the laboratory: what it will show, and when."""
    iid: int
    seq: int
    action: str
    drawn: float
    due_ms: int
    values: dict[str, float]


@dataclass(frozen=True)
class _Polled:
    """A transition the clock may fire: its trigger, the cause it is logged with, and the
    machine's own conditions for it (each ``(callable, wanted result)``, as ``transitions``
    holds them: ``conditions`` want True, ``unless`` wants False)."""
    trigger: str
    cause: str
    checks: tuple[tuple[Callable[..., Any], bool], ...]

    def ready(self) -> bool:
        return all(bool(func()) == wanted for func, wanted in self.checks)


class _Env(dict):
    """Variables for conditions; ``since.*`` is computed from the clock when read."""

    def __init__(self, drill: "Drill") -> None:
        super().__init__()
        self._drill = drill

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        if key.startswith("since."):
            at = self._drill._last_time.get(key[6:])
            return None if at is None else self._drill.t - at
        return super().get(key, default)


Listener = Callable[[Event], None]


class Drill:
    """One run of a scenario for one patient and team."""

    def __init__(self, loaded: LoadedScenario, patient: PatientParams | None = None,
                 participants: Iterable[Participant] = ()) -> None:
        """The record a drill writes holds no words in any language (flags are codes and
        numbers, see ``flagtext``), so a drill has no language."""
        self.loaded = loaded
        self.scenario: Scenario = loaded.scenario
        self.catalogue = loaded.catalogue
        sc = self.scenario
        self.patient = patient or PatientParams(sc.patient.weight_kg.default)
        self.participants = tuple(participants)
        self._check_setup()
        # a variant brings its patient conditions with it (asthma variant -> has.asthma)
        chosen = next((v for v in sc.variants if v.id == self.patient.variant), None)
        if chosen is not None and not set(chosen.conditions) <= set(self.patient.conditions):
            merged = tuple(dict.fromkeys(self.patient.conditions + chosen.conditions))
            self.patient = PatientParams(self.patient.weight_kg, merged, self.patient.variant)

        self.events: list[Event] = []
        self._listeners: list[Listener] = []
        self._ms = 0
        self.paused = False
        self.ended = False
        # what the trainees are shown besides the vitals (the "display" inputs)
        self.shown: dict[str, bool] = {d: False for d in DISPLAYS}
        # where each input event's wall time comes from (the app layer's clock); a replay
        # carries the recorded ids and wall times through ``apply`` instead
        self.wall_clock: Callable[[], str] | None = None
        self._next_iid = 1
        self._given: tuple[int | None, str | None] | None = None
        self._by_iid: dict[int, Event] = {}    # input id -> its input event as recorded
        self._retracted: set[int] = set()      # input ids of retracted actions
        self._withdrawn: set[int] = set()      # seqs of flags an amendment withdrew
        self._log = ActionLog()  # unretracted actions, indexed for the rules (linear drills)
        self._last_time: dict[str, float] = {}   # action or marker id -> last time
        self.marker_times: dict[str, float] = {}
        self._uses: dict[int, list[_Use]] = {}   # intervention index -> its uses
        self._state_entered_ms = 0
        self._targets_active = False

        base = sc.patient.baseline
        values = {k: getattr(base, k) for k in ("hr", "sbp", "dbp", "rr", "spo2", "etco2", "temp_c")}
        for cond in self.patient.conditions:
            change = sc.patient.condition_effects.get(cond)
            if change is not None:
                for k in ("hr", "sbp", "dbp", "rr", "spo2"):
                    if getattr(change, k) is not None:
                        values[k] = getattr(change, k)
        self.physiology = Physiology(self.patient.weight_kg, Baseline(**values),
                                     sc.patient.blood_volume_ml_per_kg.value, sc.patient.pregnant)
        self._build_machine()
        # each action's interventions, with their places in the file (each counts its own uses)
        self._interventions: dict[str, list[tuple[int, Intervention]]] = {}
        for k, iv in enumerate(sc.interventions):
            self._interventions.setdefault(iv.action, []).append((k, iv))
        self._iv_when = {k: expr.compile_condition(iv.when)
                         for k, iv in enumerate(sc.interventions) if iv.when is not None}
        self._forbidden = {fb.action: fb for fb in sc.forbidden}
        self._condition_markers = [(m.id, expr.compile_condition(m.when))
                                   for m in sc.markers if m.when is not None]
        self._marker_ids = frozenset(m.id for m in sc.markers)
        self._action_markers: dict[str, list[str]] = {}  # action id -> markers it sets
        for m in sc.markers:
            if m.on_action is not None:
                self._action_markers.setdefault(m.on_action, []).append(m.id)
        self._env = _Env(self)
        for action_id in self.catalogue.ids():
            self._env[f"given.{action_id}"] = 0.0
            self._env[f"total.{action_id}"] = 0.0
        self._env.update({f"has.{c}": 0.0 for c in CONDITIONS})
        self._env.update({f"has.{c}": 1.0 for c in self.patient.conditions})
        for v in sc.variants:
            self._env[f"variant.{v.id}"] = 1.0 if v.id == self.patient.variant else 0.0
        # the scenario's settings, as this drill's variant gives them
        for st in sc.settings:
            given = chosen.settings.get(st.id) if chosen is not None else None
            self._env[f"setting.{st.id}"] = given.value if given is not None else st.value
        for role in sc.role_ids:
            for action_id in self.catalogue.ids():
                self._env[f"by.{role}.{action_id}"] = 0.0
        self._env["weight_kg"] = self.patient.weight_kg
        # blood products in adult units whatever the site's convention, and their ratios
        self._env.update({f"blood.{v}": 0.0 for v in BLOOD_VARIABLES})
        self._env.update({f"ratio.{v}": None for v in RATIO_VARIABLES})
        # the laboratory: results as reported (None until one comes back)
        self._env.update({f"lab.{t}": None for t in TEST_IDS})
        self._env.update({"labs.sent": 0.0, "labs.back": 0.0, "labs.pending": 0.0})
        self._samples: list[_Sample] = []
        self.labs: LabModel | None = None
        if sc.labs is not None:
            b = sc.labs.baseline
            self.labs = LabModel(LabBaseline(b.hb, b.platelets, b.fibrinogen, b.pt, b.ica, b.lactate),
                                 self.physiology.blood_volume_ml)
        # effect.<id>: the doses of a dose effect so far, as a fraction of this patient's dose
        self._effects = EffectTracker(sc.effects, self.catalogue, self.patient.weight_kg)
        self._vitals = self.physiology.vitals()
        self._refresh_env()

        self._emit(Event(0, 0.0, "start", state=self.state,
                         text=f"{sc.id} {sc.version}"))
        self._on_enter(cause=None)   # the machine enters its initial state without callbacks
        for m in sc.markers:
            if m.at_s is not None and m.at_s <= 0:
                self._mark(m.id, m.at_s)

    # --- set-up ------------------------------------------------------------------------------
    def _check_setup(self) -> None:
        sc = self.scenario
        w = sc.patient.weight_kg
        if not w.min <= self.patient.weight_kg <= w.max:
            raise DrillError(f"weight {self.patient.weight_kg:g} kg is outside {w.min:g}–{w.max:g} kg")
        variants = [v.id for v in sc.variants]
        if self.patient.variant is not None and self.patient.variant not in variants:
            raise DrillError(f"variant '{self.patient.variant}' is not offered by this scenario "
                             f"(offered: {', '.join(variants) or 'none'})")
        for c in self.patient.conditions:
            if c not in sc.patient.conditions:
                allowed = ", ".join(sc.patient.conditions) or "none"
                raise DrillError(f"condition '{c}' is not offered by this scenario (offered: {allowed})")
        ids = set()
        for p in self.participants:
            if p.role not in sc.role_ids:
                raise DrillError(f"participant '{p.id}': unknown role '{p.role}' "
                                 f"(roles: {', '.join(sc.role_ids)})")
            if p.id in ids:
                raise DrillError(f"participant id '{p.id}' is used twice")
            ids.add(p.id)

    def _build_machine(self) -> None:
        """The scenario's states, phases and transitions as a ``transitions`` hierarchical
        machine, which holds the rules: each timed transition's conditions (``after_s`` in
        the state, or a ``when`` expression) and ``unless`` (an ``unless_action`` done since
        entering), and the on-enter behaviour of every state. The drill's one-second step asks
        the machine's own conditions which timed transition is ready, in scenario order, and
        triggers it; an action triggers the transitions it names."""
        sc = self.scenario
        phase_children: dict[str, list[Any]] = {}
        top: list[Any] = []
        for st in sc.states:
            leaf = {"name": st.id, "on_enter": "_on_enter"}
            if st.phase:
                if st.phase not in phase_children:
                    phase_children[st.phase] = []
                    top.append({"name": st.phase, "children": phase_children[st.phase]})
                phase_children[st.phase].append(leaf)
            else:
                top.append(leaf)
        self._qualified = {st.id: f"{st.phase}/{st.id}" if st.phase else st.id for st in sc.states}
        self._leaf = {q: sid for sid, q in self._qualified.items()}
        self._machine = _Machine(model=self, states=top, initial=self._qualified[sc.initial],
                                 auto_transitions=False, ignore_invalid_triggers=False,
                                 model_attribute="machine_state")
        self._polled: dict[str, list[_Polled]] = {}
        self._on_action: dict[str, dict[str, list[str]]] = {}
        n = 0
        sources = [(p.id, p.id, p.transitions) for p in sc.phases] + \
                  [(s.id, self._qualified[s.id], s.transitions) for s in sc.states]
        for source_id, qualified, trs in sources:
            for tr in trs:
                trigger = f"tr_{n}"
                n += 1
                rules = self._rules_of(tr)
                self._machine.add_transition(trigger, qualified, self._qualified[tr.to], **rules)
                if tr.on_action:
                    for a in tr.on_action:
                        self._on_action.setdefault(source_id, {}).setdefault(a, []).append(trigger)
                elif rules:
                    made = self._machine.events[trigger].transitions[qualified][-1]
                    self._polled.setdefault(source_id, []).append(_Polled(
                        trigger, "condition" if tr.when else "time",
                        tuple((c.func, c.target) for c in made.conditions)))
        for st in sc.states:
            self._machine.add_transition(f"force_{st.id}", "*", self._qualified[st.id])

    def _rules_of(self, tr: Transition) -> dict[str, list[Callable[..., bool]]]:
        """A transition's conditions and ``unless`` for the machine (none for one an action
        fires, or one with neither a time nor a condition: it never fires on its own)."""
        if tr.on_action:
            return {}
        if tr.when:
            when = expr.compile_condition(tr.when)
            return {"conditions": [lambda *_a, **_k: bool(when(self._env))]}
        if tr.after_s is not None:
            after_s, actions = tr.after_s, tuple(tr.unless_action)
            rules: dict[str, list[Callable[..., bool]]] = {
                "conditions": [lambda *_a, **_k: self.time_in_state >= after_s]}
            if actions:
                rules["unless"] = [lambda *_a, **_k: self._done_in_state(actions)]
            return rules
        return {}

    def _done_in_state(self, actions: tuple[str, ...]) -> bool:
        entered = self._state_entered_ms / 1000.0
        return any(self._last_time.get(a, -1.0) >= entered for a in actions)

    # --- reading the drill -------------------------------------------------------------------
    @property
    def t(self) -> float:
        """Drill time in seconds (stops while paused)."""
        return self._ms / 1000.0

    @property
    def state(self) -> str:
        return self._leaf[str(self.machine_state)]  # type: ignore[attr-defined]

    @property
    def phase(self) -> str | None:
        return self.scenario.state_index[self.state].phase

    @property
    def is_final(self) -> bool:
        return self.scenario.state_index[self.state].final

    @property
    def time_in_state(self) -> float:
        return (self._ms - self._state_entered_ms) / 1000.0

    def vitals(self) -> Vitals:
        return self._vitals

    def variables(self) -> dict[str, Any]:
        """A snapshot of every condition variable that has a value now."""
        out = dict(self._env)
        for key, at in self._last_time.items():
            out[f"since.{key}"] = self.t - at
        return out

    def bleed_ml_min(self) -> float:
        st = self.scenario.state_index[self.state]
        rate = st.bleed_ml_min.value if st.bleed_ml_min else 0.0
        now = self.t
        for uses in self._uses.values():
            for use in uses:
                start = use.t + use.onset_s
                if now >= start and (use.duration_s is None or now < start + use.duration_s):
                    rate *= use.factor
        return rate

    def flags(self) -> list[Event]:
        """The flags that stand: not withdrawn by an amendment, not on a retracted action."""
        return [e for e in self.events if e.kind == "flag" and e.seq not in self._withdrawn
                and self._iid_at(e.ref) not in self._retracted]

    def _iid_at(self, seq: int | None) -> int | None:
        if seq is None or not 0 <= seq < len(self.events):
            return None
        return self.events[seq].iid

    def flag_at(self, flag: Event) -> float:
        """The drill time a flag is about: that of the action it is on, as corrected (a flag an
        amendment raised is recorded when the amendment was made)."""
        iid = self._iid_at(flag.ref)
        action = self.effective(iid) if iid is not None else None
        return action.t if action is not None else flag.t

    def input_event(self, iid: int) -> Event | None:
        """The input event with id ``iid`` as it was entered (amendments not applied)."""
        return self._by_iid.get(iid) if isinstance(iid, int) else None

    def effective(self, iid: int) -> Event | None:
        """The action with id ``iid`` as the record now has it (its amendments applied), or
        None if it is not a standing action."""
        return next((e for e in self._log.ordered if e.iid == iid), None)

    def actions_done(self) -> list[Event]:
        return list(self._log.ordered)

    def outgoing(self) -> list[Transition]:
        """Transitions that can fire from the current state (for the console's state map)."""
        st = self.scenario.state_index[self.state]
        phase = self.scenario.phase_of(st.id)
        return list(st.transitions) + (list(phase.transitions) if phase else [])

    # --- subscribing -------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every event from now on; returns an unsubscribe function."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _emit(self, event: Event) -> Event:
        self.events.append(event)
        if event.iid is not None:
            self._by_iid[event.iid] = event
        for listener in list(self._listeners):
            listener(event)
        return event

    def _new(self, kind: str, **fields: Any) -> Event:
        if kind in INPUT_KINDS:
            fields["iid"], fields["wall"] = self._take_ids()
        return self._emit(Event(len(self.events), self.t, kind, **fields))

    def _take_ids(self) -> tuple[int, str | None]:
        """The id and wall time of the input event being made: the recorded ones in a replay,
        else the next id and the wall clock's time."""
        given, self._given = self._given, None
        if given is not None:
            iid, wall = given
        else:
            iid, wall = None, (self.wall_clock() if self.wall_clock is not None else None)
        if iid is None:
            iid = self._next_iid
        self._next_iid = max(self._next_iid, iid) + 1
        return iid, wall

    # --- time --------------------------------------------------------------------------------
    def tick(self, dt: float) -> None:
        """Advance the drill clock by ``dt`` seconds (nothing moves while paused or ended)."""
        if dt < 0:
            raise DrillError("time cannot run backwards")
        if self.paused or self.ended:
            return
        target = self._ms + int(round(dt * 1000))
        while True:
            boundary = (self._ms // STEP_MS + 1) * STEP_MS
            if boundary > target:
                break
            self._ms = boundary
            self._step()
        self._ms = target

    def advance_to(self, t: float) -> None:
        """Tick until the drill clock reads ``t`` seconds."""
        self.tick(max(0.0, t - self.t))

    def _step(self) -> None:
        lost = self.physiology.blood_loss_ml
        self.physiology.step(STEP_MS / 1000.0, self.bleed_ml_min())
        if self.labs is not None:
            p = self.physiology
            self.labs.step(STEP_MS / 1000.0, p.blood_loss_ml - lost, p.circulating_ml, p.deficit_fraction)
        self._vitals = self.physiology.vitals()
        self._refresh_env()
        if self._samples:
            self._report_labs()
        for marker_id, cond in self._condition_markers:
            if marker_id not in self.marker_times and cond(self._env):
                self._mark(marker_id)
        self._fire_timed()

    def _refresh_env(self) -> None:
        v, p, env = self._vitals, self.physiology, self._env
        env["hr"] = v.hr
        env["sbp"] = v.sbp
        env["dbp"] = v.dbp
        env["map"] = v.map
        env["spo2"] = v.spo2
        env["rr"] = v.rr
        env["etco2"] = v.etco2
        env["temp_c"] = v.temp_c
        env["shock_index"] = v.shock_index
        env["blood_loss_ml"] = p.blood_loss_ml
        env["blood_volume_ml"] = p.blood_volume_ml
        env["circulating_ml"] = p.circulating_ml
        env["loss_fraction"] = p.loss_fraction
        env["deficit_fraction"] = p.deficit_fraction
        env["t"] = self.t
        env["time_in_state"] = self.time_in_state
        env["bleed_ml_min"] = self.bleed_ml_min()
        for rhythm in RHYTHMS:  # rhythm.vf: 1 while the monitor shows VF
            env[f"rhythm.{rhythm}"] = 1.0 if v.rhythm == rhythm else 0.0
        self._effects.advance(self.t)
        env.update(self._effects.variables())

    def _fire_timed(self) -> None:
        """Trigger the first timed transition, from this state or its phase, that is ready."""
        st = self.scenario.state_index[self.state]
        for source in (st.id, st.phase):
            for polled in self._polled.get(source, ()) if source is not None else ():
                if polled.ready():
                    getattr(self, "trigger")(polled.trigger, cause=polled.cause)
                    return

    def _on_enter(self, cause: str | None = None, actor: str | None = None, **_kw: Any) -> None:
        """Every state's on-enter callback (the machine passes the trigger's keywords)."""
        self._enter(self.state, cause=cause, actor=actor)

    def _enter(self, state_id: str, cause: str | None, actor: str | None = None) -> None:
        st = self.scenario.state_index[state_id]
        self._state_entered_ms = self._ms
        if cause is not None:
            self._new("state", state=state_id, text=cause, actor=actor)
        if st.targets is not None:
            self.physiology.set_targets(st.targets.values(), st.targets.ramp_s)
            self._targets_active = True
        elif self._targets_active:
            self.physiology.clear_targets()
            self._targets_active = False
        # the monitor shows the new state's rhythm at once, not one step later
        self._vitals = self.physiology.vitals()
        self._refresh_env()
        for m in self.scenario.markers:
            if m.on_enter is not None and state_id in m.on_enter and m.id not in self.marker_times:
                self._mark(m.id)

    def _mark(self, marker_id: str, at: float | None = None) -> None:
        when = self.t if at is None else at
        self.marker_times[marker_id] = when
        self._last_time[marker_id] = when
        self._emit(Event(len(self.events), when, "marker", text=marker_id))

    # --- what people do ----------------------------------------------------------------------
    def _resolve_actor(self, by: str | None) -> tuple[str | None, str | None]:
        if by is None:
            return None, None
        for p in self.participants:
            if p.id == by:
                return p.id, p.role
        if by in self.scenario.role_ids:
            holders = [p for p in self.participants if p.role == by]
            return (holders[0].id if len(holders) == 1 else None), by
        if by == "instructor":
            return "instructor", None
        raise DrillError(f"'{by}' is neither a participant nor a role of this scenario")

    def _normalise_dose(self, action: Action, dose: float | None, unit: str | None) -> tuple[float | None, str | None]:
        if dose is None:
            if unit is not None and action.dose is None:
                raise UnitError(f"{action.id} takes no dose, but a unit '{unit}' was given")
            return None, None
        if action.dose is None:
            raise DrillError(f"{action.id} takes no dose")
        if isinstance(dose, bool) or not isinstance(dose, (int, float)) or dose < 0:
            raise DrillError(f"dose must be a number ≥ 0, got {dose!r}")
        target = action.dose.unit
        value = float(dose) if unit is None else units.convert(float(dose), unit, target)
        return value, target

    def act(self, action_id: str, *, by: str | None = None, dose: float | None = None,
            unit: str | None = None, route: str | None = None, text: str | None = None) -> Event:
        """Log an action now; returns its event. Broken rules raise flags, never refusals.

        Raises DrillError for an unknown action or actor and UnitError for a dose unit that
        cannot be converted to the action's unit (nothing is logged then)."""
        if self.ended:
            raise DrillError("the drill has ended")
        action = self.catalogue.get(action_id)
        if action is None:
            raise DrillError(f"unknown action '{action_id}'")
        actor, role = self._resolve_actor(by)
        value, canon = self._normalise_dose(action, dose, unit)
        ctx = RuleContext(self.t, self.patient.weight_kg, frozenset(self.patient.conditions),
                          self._env, self.marker_times.get, self._marker_ids.__contains__,
                          scenario_id=self.scenario.id, log=self._log)
        flags = self._rules(action, value, route, ctx)
        iid, wall = self._take_ids()
        event = Event(len(self.events), self.t, "action", action=action_id, actor=actor, role=role,
                      dose=value, unit=canon, route=route, text=text, iid=iid, wall=wall)
        self._log.add(event)  # before the listeners hear of it: they may read actions_done()
        self._effects.add(event)
        self._effects.advance(self.t)
        self._env.update(self._effects.variables())
        self._emit(event)
        self._last_time[action_id] = self.t
        self._env[f"given.{action_id}"] = self._env.get(f"given.{action_id}", 0.0) + 1
        if role is not None:
            self._env[f"by.{role}.{action_id}"] = self._env.get(f"by.{role}.{action_id}", 0.0) + 1
        self._env[f"total.{action_id}"] = self._env.get(f"total.{action_id}", 0.0) + (value or 0.0)
        for flag in flags:
            self._new("flag", action=action_id, ref=event.seq, rule=flag.rule,
                      values=freeze_values(flag.values))
        if action_id in BLOOD_PRODUCTS:
            self._count_blood(action_id, value, 1.0)
        self._apply_effects(action, value, route)
        if action.labs and self.labs is not None:
            self._send_sample(event, action.labs)
        for marker_id in self._action_markers.get(action_id, ()):
            if marker_id not in self.marker_times:  # the first time it is logged
                self._mark(marker_id)
        self._fire_on_action(action_id)
        return event

    # --- blood products and the laboratory -------------------------------------------------
    def _count_blood(self, action_id: str, dose: float | None, sign: float) -> None:
        """Add (``sign`` 1) or take away (-1) a blood product's dose, in adult units, and the
        ratios that follow (issue 18, item 4: 10 U 悬浮红细胞 and 1000 mL of plasma are 1:1)."""
        env = self._env
        per = self.catalogue.adult_units(action_id)
        amount = dose if dose is not None else 1.0
        if per is not None:
            key = f"blood.{BLOOD_PRODUCTS[action_id]}"
            env[key] = max(0.0, round(env[key] + sign * amount * per, 9))
        action = self.catalogue.get(action_id)
        if action_id == "ffp_transfusion" and action is not None and action.infuses is not None:
            env["blood.ffp_ml"] = max(0.0, round(env["blood.ffp_ml"] + sign * amount * action.infuses.ml_per_unit, 9))
        rbc = env["blood.rbc_units"]
        env["ratio.ffp_rbc"] = round(env["blood.ffp_units"] / rbc, 9) if rbc > 0 else None
        env["ratio.platelets_rbc"] = round(env["blood.platelet_units"] / rbc, 9) if rbc > 0 else None

    def _send_sample(self, event: Event, tests: tuple[str, ...]) -> None:
        """A sample drawn now: it shows the blood as it is now, once the turnaround is over."""
        spec = self.scenario.labs
        assert self.labs is not None and spec is not None
        now = self.labs.values()
        # a bedside blood gas comes back first (point_of_care_s), the laboratory's tests later
        parts = [tuple(t for t in tests if t in POINT_OF_CARE), tuple(t for t in tests if t not in POINT_OF_CARE)] \
            if spec.point_of_care_s is not None else [(), tests]
        waits = [spec.point_of_care_s.value if spec.point_of_care_s is not None else 0.0,
                 spec.turnaround_s.value]
        for part, wait in zip(parts, waits):
            if part:
                self._samples.append(_Sample(event.iid or 0, event.seq, event.action or "", self.t,
                                             self._ms + int(round(wait * 1000)), {t: now[t] for t in part}))
        self._env["labs.sent"] += 1
        self._env["labs.pending"] = float(len(self._samples))
        self._report_labs()

    def _report_labs(self) -> None:
        """The results whose turnaround is over: each a 'labs' event on its sample, and the
        lab.* variables the scenario's rules read."""
        due = [s for s in self._samples if s.due_ms <= self._ms]
        if not due:
            return
        self._samples = [s for s in self._samples if s.due_ms > self._ms]
        for sample in due:
            for test, value in sample.values.items():
                self._env[f"lab.{test}"] = value
            self._env["labs.back"] += 1
            self._emit(Event(len(self.events), self.t, "labs", action=sample.action, ref=sample.seq,
                             values=freeze_values({**sample.values, "drawn": sample.drawn})))
        self._env["labs.pending"] = float(len(self._samples))

    def lab_results(self) -> list[Event]:
        """The results reported so far, in order ('labs' events)."""
        return [e for e in self.events if e.kind == "labs"]

    def pending_samples(self) -> list[tuple[float, float, str]]:
        """Samples sent whose results are not back: (drawn at, due at, action)."""
        return [(s.drawn, s.due_ms / 1000.0, s.action) for s in self._samples]

    def _rules(self, action: Action, dose: float | None, route: str | None,
               ctx: RuleContext) -> list[Flag]:
        """The catalogue's rules the action breaks, and this scenario's forbidding of it."""
        flags = check(action, dose, route, ctx, self.catalogue)
        fb = self._forbidden.get(action.id)
        if fb is not None:
            since = ctx.marker_time(fb.after) if fb.after is not None else None
            closed = ctx.marker_time(fb.until) if fb.until is not None else None
            applies = (fb.after is None or since is not None and ctx.t >= since) and \
                (fb.until is None or closed is None or ctx.t < closed)
            if applies:
                flags.append(Flag("forbidden", {"message": "scenario"} if fb.message else {}))
        return flags

    def _apply_effects(self, action: Action, dose: float | None, route: str | None = None) -> None:
        for k, iv in self._interventions.get(action.id, ()):
            if not iv.applies(route, dose, self.patient.conditions):
                continue
            if k in self._iv_when and not self._iv_when[k](self._env):
                continue
            uses = self._uses.setdefault(k, [])
            if len(uses) < iv.max_uses:
                uses.append(_Use(self.t, iv.factor(dose), iv.onset_s, iv.duration_s))
                if iv.vitals is not None:
                    self.physiology.add_effect(iv.vitals.deltas(), iv.onset_s, iv.duration_s,
                                               iv.vitals.ramp_s)
        amount = dose if dose is not None else (action.dose.default if action.dose and action.dose.default else 1.0)
        if action.infuses is not None:
            self.physiology.give(action.infuses.product, amount * action.infuses.ml_per_unit)
            if self.labs is not None:
                self.labs.give(action.infuses.product, amount * action.infuses.ml_per_unit, doses=amount)
        if self.labs is not None:
            supplied = DOSE_SUPPLIES.get(action.id)
            if supplied == "cryoprecipitate":
                bu = action.counted_as(self.catalogue.convention)
                per = bu.fibrinogen_g if bu is not None and bu.fibrinogen_g else CRYO_FIBRINOGEN_G
                self.labs.give("cryoprecipitate", fibrinogen_g=amount * per)
            elif supplied is not None:
                self.labs.give(action.id, **{supplied: amount})
        if action.oxygen:
            self.physiology.oxygen = True
            self._vitals = self.physiology.vitals()
            self._refresh_env()

    def _fire_on_action(self, action_id: str) -> None:
        st = self.scenario.state_index[self.state]
        for source in (st.id, st.phase):
            if source is None:
                continue
            for trigger in self._on_action.get(source, {}).get(action_id, ()):
                getattr(self, "trigger")(trigger, cause=f"action:{action_id}")
                return

    def note(self, text: str, by: str | None = None) -> Event:
        actor, role = self._resolve_actor(by)
        return self._new("note", text=text, actor=actor, role=role)

    def pause(self, by: str | None = "instructor") -> None:
        if not self.paused and not self.ended:
            self.paused = True
            self._new("pause", actor=by)

    def resume(self, by: str | None = "instructor") -> None:
        if self.paused and not self.ended:
            self.paused = False
            self._new("resume", actor=by)

    def display(self, what: str, on: bool, by: str | None = "instructor") -> Event | None:
        """Show (``on``) or hide what the trainees see besides the vitals (one of
        ``DISPLAYS``); logged, so the debrief knows when the team could see the blood loss.
        Nothing is logged when it is already so."""
        if what not in DISPLAYS:
            raise DrillError(f"unknown display '{what}' (one of {', '.join(DISPLAYS)})")
        if self.shown[what] == bool(on) or self.ended:
            return None
        self.shown[what] = bool(on)
        return self._new("display", actor=by, values=freeze_values({"show": what, "on": int(bool(on))}))

    def force(self, state_id: str, by: str = "instructor", reason: str | None = None) -> Event:
        """Move to ``state_id`` by the instructor's decision; logged as theirs."""
        if state_id not in self.scenario.state_index:
            raise DrillError(f"unknown state '{state_id}'")
        event = self._new("force", state=state_id, actor=by, text=reason)
        getattr(self, "trigger")(f"force_{state_id}", cause="force", actor=by)
        return event

    def retract(self, iid: int, by: str = "instructor", reason: str | None = None) -> Event:
        """Withdraw a logged action (an undo, or a discard with its reason): recorded as a
        retraction of input ``iid``, never deleted."""
        target = self.input_event(iid)
        if target is None or target.kind != "action":
            raise DrillError(f"input {iid} is not an action")
        if iid in self._retracted:
            raise DrillError(f"action {iid} is already retracted")
        logged = self.effective(iid)
        self._retracted.add(iid)
        if logged is not None:
            self._log.remove(logged)
        if any(s.iid == iid for s in self._samples):   # a sample never sent never comes back
            self._samples = [s for s in self._samples if s.iid != iid]
            self._env["labs.sent"] -= 1
            self._env["labs.pending"] = float(len(self._samples))
        event = self._new("retract", ref=target.seq, target=iid, action=target.action, actor=by,
                          text=reason)
        # counters follow the unretracted record
        self._recount(target.action or "", (logged or target).role)
        return event

    def _recount(self, action_id: str, role: str | None) -> None:
        left = list(self._log.same(action_id))
        self._effects.rebuild(self._log.ordered, self.t)
        self._env.update(self._effects.variables())
        self._env[f"given.{action_id}"] = float(len(left))
        self._env[f"total.{action_id}"] = sum(e.dose or 0.0 for e in left)
        if action_id in BLOOD_PRODUCTS:
            self._env[f"blood.{BLOOD_PRODUCTS[action_id]}"] = 0.0
            if action_id == "ffp_transfusion":
                self._env["blood.ffp_ml"] = 0.0
            for e in left:
                self._count_blood(action_id, e.dose, 1.0)
            if not left:
                self._count_blood(action_id, 0.0, 1.0)   # the ratios follow
        if role is not None:
            self._env[f"by.{role}.{action_id}"] = float(sum(1 for e in left if e.role == role))
        if left:
            self._last_time[action_id] = max(e.t for e in left)
        else:
            self._last_time.pop(action_id, None)

    # --- amending ----------------------------------------------------------------------------
    def amend(self, iid: int, *, reason: str, by: str = "instructor",
              changes: Mapping[str, Any]) -> Event:
        """Correct a logged action: who did it (``who``: a participant id or a role), its
        ``dose`` (with ``unit``), its ``route`` or its drill time ``t``. The amendment is a new
        input event (the original stays as it was entered); the drill is played again from
        the corrected inputs and what that changes is appended (flags withdrawn or raised,
        markers moved, a state entered), so nothing recorded is renumbered. DrillError or
        UnitError (nothing logged) for an amendment that cannot apply."""
        target = self.input_event(iid)
        if target is None or target.kind != "action":
            raise DrillError(f"input {iid} is not an action")
        if iid in self._retracted:
            raise DrillError(f"action {iid} was retracted; there is nothing to amend")
        if not isinstance(reason, str) or not reason.strip():
            raise DrillError("an amendment needs a reason")
        unknown = sorted(set(changes) - set(AMENDABLE))
        if unknown:
            raise DrillError(f"an amendment can correct {', '.join(AMENDABLE)}, not {', '.join(unknown)}")
        changes = {k: v for k, v in changes.items() if v is not None}
        if not changes:
            raise DrillError("the amendment changes nothing")
        if "unit" in changes and "dose" not in changes:
            raise DrillError("a unit is corrected together with its dose")
        if "t" in changes:
            at = changes["t"]
            if isinstance(at, bool) or not isinstance(at, (int, float)) or not math.isfinite(at)                     or not 0 <= at <= self.t:
                raise DrillError(f"the corrected time must be between 0 and now ({self.t:g} s)")
            changes["t"] = float(at)
        # the corrections as the record keeps them: the person resolved (actor and role), the
        # dose in the catalogue's unit
        fixed: dict[str, Any] = {k: changes[k] for k in ("route", "t") if k in changes}
        if "who" in changes:
            actor, role = self._resolve_actor(changes["who"])  # DrillError: not in this drill
            fixed["who"] = changes["who"]
            fixed.update({k: v for k, v in (("actor", actor), ("role", role)) if v is not None})
        if "dose" in changes:
            action = self.catalogue.get(target.action or "")
            dose = changes["dose"]
            if action is not None and action.dose is not None and \
                    isinstance(dose, (int, float)) and not isinstance(dose, bool) and \
                    not 0 < dose <= MAX_DOSE:
                raise DrillError(f"a dose of {action.id} must be above zero and at most "
                                 f"{MAX_DOSE:,.0f}")
            fixed["dose"], fixed["unit"] = self._normalise_dose(action, dose, changes.get("unit")) \
                if action is not None else (dose, changes.get("unit"))
        amendments = self._amendments()
        corrected, flags = self._recheck({**amendments, iid: {**amendments.get(iid, {}), **fixed}})
        old = self.effective(iid) or target
        event = self._new("amend", target=iid, ref=target.seq, action=target.action, actor=by,
                          text=reason.strip(), values=freeze_values(fixed))
        # the record of what the team did follows the correction; the course the team saw
        # (states, markers, vitals) stays as it ran
        self._log = ActionLog(e for e in corrected if e.iid not in self._retracted)
        for role in dict.fromkeys((old.role, (self.effective(iid) or target).role)):
            self._recount(target.action or "", role)
        self._settle_flags(flags)
        return event

    def _amendments(self) -> dict[int, dict[str, Any]]:
        """Each amended input's corrections, later amendments over earlier ones."""
        out: dict[int, dict[str, Any]] = {}
        for e in self.events:
            if e.kind == "amend" and e.target is not None:
                out.setdefault(e.target, {}).update(dict(e.values or ()))
        return out

    def _corrected(self, event: Event, change: Mapping[str, Any]) -> Event:
        fields: dict[str, Any] = {}
        if "who" in change:
            fields["actor"], fields["role"] = change.get("actor"), change.get("role")
        for k in ("dose", "unit", "route", "t"):
            if k in change:
                fields[k] = change[k]
        return replace(event, **fields)

    def _recheck(self, amendments: Mapping[int, Mapping[str, Any]]
                 ) -> tuple[list[Event], dict[int, list[Flag]]]:
        """Every logged action with ``amendments`` applied, in the order of its (corrected)
        time, and the rules each breaks, checked as at its time: against the course the drill
        took (its vitals and markers then, from the inputs as entered) and the corrected
        actions before it that were not retracted by then."""
        inputs = [e for e in self.events if e.kind in INPUT_KINDS and e.kind != "amend"]
        timeline: list[tuple[tuple[float, float], int, Event]] = []
        for k, e in enumerate(inputs):
            timeline.append(((e.t, float(k)), 0, e))
            if e.kind == "action" and e.iid is not None:
                change = amendments.get(e.iid)
                fixed = self._corrected(e, change) if change else e
                # checked just before its own entry, or first at a corrected time
                timeline.append(((fixed.t, k - 0.5 if fixed.t == e.t else -1.0), 1, fixed))
        timeline.sort(key=lambda x: x[0])
        course = Drill(self.loaded, self.patient, self.participants)
        log = ActionLog()
        corrected: dict[int, Event] = {}
        flags: dict[int, list[Flag]] = {}
        for _key, check_it, e in timeline:
            if not check_it:
                if e.kind == "retract":
                    gone = corrected.get(e.target if e.target is not None else
                                         self._iid_at(e.ref) or -1)
                    if gone is not None and gone in log.ordered:
                        log.remove(gone)
                course.apply(e)
                continue
            if not course.paused:
                course.advance_to(e.t)
            action = self.catalogue.get(e.action or "")
            if action is None:
                continue
            ctx = RuleContext(e.t, self.patient.weight_kg, frozenset(self.patient.conditions),
                              course._env, course.marker_times.get, self._marker_ids.__contains__,
                              scenario_id=self.scenario.id, log=log)
            flags[e.iid or 0] = self._rules(action, e.dose, e.route, ctx)
            log.add(e)
            corrected[e.iid or 0] = e
        return sorted(corrected.values(), key=lambda e: e.t), flags

    def _settle_flags(self, flags: Mapping[int, list[Flag]]) -> None:
        """Append what the rules now say differently: flags withdrawn, then flags raised."""
        wanted: list[tuple[int, Flag]] = [(iid, f) for iid, fs in flags.items()
                                          if iid not in self._retracted for f in fs]
        standing = self.flags()
        kept: set[int] = set()
        for flag in standing:
            iid = self._iid_at(flag.ref)
            match = next((i for i, (w_iid, w) in enumerate(wanted) if w_iid == iid
                          and w.rule == flag.rule and (flag.values is None  # worded, older
                                                       or freeze_values(w.values) == flag.values)), None)
            if match is None:
                self._withdrawn.add(flag.seq)
                self._new("unflag", ref=flag.seq, action=flag.action, rule=flag.rule)
            else:
                kept.add(match)
        for i, (iid, w) in enumerate(wanted):
            if i not in kept:
                action = self._by_iid[iid]
                self._new("flag", action=action.action, ref=action.seq, rule=w.rule,
                          values=freeze_values(w.values))

    def end(self, by: str | None = "instructor") -> None:
        if not self.ended:
            self._new("end", actor=by)
            self.ended = True

    # --- replay ------------------------------------------------------------------------------
    def apply(self, event: Event) -> None:
        """Apply one recorded input event at its time (the replay primitive)."""
        if event.kind not in INPUT_KINDS:
            return
        if not self.paused:
            self.advance_to(event.t)
        self._given = (event.iid, event.wall)
        try:
            self._apply(event)
        finally:
            self._given = None

    def _apply(self, event: Event) -> None:
        k = event.kind
        if k == "action":
            by = event.actor if event.actor is not None else event.role
            self.act(event.action or "", by=by, dose=event.dose, unit=event.unit,
                     route=event.route, text=event.text)
        elif k == "note":
            self.note(event.text or "", by=event.actor)
        elif k == "pause":
            self.pause(event.actor)
        elif k == "resume":
            self.resume(event.actor)
        elif k == "force":
            self.force(event.state or "", by=event.actor or "instructor", reason=event.text)
        elif k == "retract":
            # a retraction recorded before input ids names the action's seq only
            target = event.target if event.target is not None else self._iid_at(event.ref)
            self.retract(target if target is not None else -1, by=event.actor or "instructor",
                         reason=event.text)
        elif k == "amend":
            self.amend(event.target if event.target is not None else -1, reason=event.text or "",
                       by=event.actor or "instructor",
                       changes={k: v for k, v in (event.values or ()) if k in AMENDABLE})
        elif k == "display":
            self.display(str(event.value("show")), bool(event.value("on")), by=event.actor)
        elif k == "end":
            self.end(event.actor)

    @classmethod
    def replay(cls, loaded: LoadedScenario, patient: PatientParams,
               participants: Iterable[Participant], events: Iterable[Event],
               until: float | None = None) -> "Drill":
        """A fresh drill fed the recorded input events: same states, vitals and flags."""
        drill = cls(loaded, patient, participants)
        for event in events:
            drill.apply(event)
        if until is not None:
            drill.advance_to(until)
        return drill
