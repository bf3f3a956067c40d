"""The debrief report as a plain data object: timeline, vitals, expected actions, indicators,
flags, what went well / to improve, the debrief notes kept in the archive (each PEARLS phase's
current note and the trainee's reflection), the team's items and the scenario's references.

Built by replaying the drill's stored input events (``Drill.replay``) and asking
``simtool.core.assess``. It holds the team sheet's items only — never another trainee's
individual scores."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from simtool import __version__
from simtool.core import assess
from simtool.core.flagtext import flag_text
from simtool.core.labs import results_line
from simtool.core.routes import action_route_name
from simtool.core.units import shown as unit_shown
from simtool.core.timefmt import wall_time
from simtool.reports.common import (Header, action_label, day, record_head,
                                    role_label, span, stamp, status_text, text_of, when)
from simtool.reports.i18n import check_lang, tr
from simtool.store import Archive, NotFoundError
from simtool.store.debriefnotes import PHASES


@dataclass(frozen=True)
class TimelineRow:
    t: float
    time: str
    kind: str              # action, state, marker, flag, note, start, end, ...
    text: str              # as the record now stands (a struck action: as it was logged)
    by: str                # role, or ""
    corrected: str = ""    # "" | "amended" | "struck": the action was corrected afterwards
    was: str = ""          # what was first logged (time, action, dose, who), printed struck through
    why: str = ""          # the correction(s): when, by whom and the reason


@dataclass(frozen=True)
class ChartMark:
    n: int                 # the number on the chart and in the list under it: the record's
                           # event number (seq), as the score sheet's evidence and
                           # `simtool events` give it
    t: float
    time: str
    kind: str              # action or flag
    text: str
    by: str


@dataclass(frozen=True)
class VitalPoint:
    t: float
    hr: float
    sbp: float
    spo2: float
    blood_loss_ml: float


@dataclass(frozen=True)
class Band:
    start: float
    end: float
    state: str             # label in the report's language


@dataclass(frozen=True)
class ExpectedRow:
    id: str
    label: str
    status: str            # core code: met, late, missed, not applicable
    result: str            # in the language
    done: str              # m:ss or ""
    due: str
    by: str


@dataclass(frozen=True)
class IndicatorRow:
    id: str
    label: str
    seconds: str
    target: str
    met: bool | None


@dataclass(frozen=True)
class NoteRow:
    phase: str             # reactions, description, analysis, summary, reflection
    text: str              # as typed (the renderer escapes it)
    by: str                # "noted by …, when" in the report's language


@dataclass(frozen=True)
class KeyFrame:
    """The video picture at one flag (parallel to ``DebriefReport.flags``)."""
    t: float               # drill time of the flag
    image: bytes | None    # JPEG, or None: no video shows this moment (``caption`` says why)
    caption: str           # which video and where in it, in the report's language


@dataclass(frozen=True)
class DebriefReport:
    lang: str
    header: Header
    title: str
    drill_id: str
    scenario: str
    scenario_version: str
    date: str
    trainee: str           # "Name (role)" or "Team"
    duration_s: float
    timeline: tuple[TimelineRow, ...]
    vitals: tuple[VitalPoint, ...]
    bands: tuple[Band, ...]
    action_marks: tuple[ChartMark, ...]   # the actions (as corrected) and flags, numbered, for the chart
    expected: tuple[ExpectedRow, ...]
    indicators: tuple[IndicatorRow, ...]
    flags: tuple[str, ...]
    went_well: tuple[str, ...]
    to_improve: tuple[str, ...]
    team_items: tuple[tuple[str, str, str], ...]   # (label, result, points) of the team sheet
    outcome: str
    references: tuple[str, ...]
    audit_head: str
    generated: str
    notes: tuple[NoteRow, ...] = ()   # current note of each phase that has text, in PEARLS order
    key_frames: tuple[KeyFrame, ...] | None = None   # asked for: one per flag; else None
    key_frames_note: str = ""         # asked for but no video to take them from: why


def _action_text(loaded, e, lang: str) -> str:
    text = action_label(loaded, e.action, lang)
    if e.dose is not None:
        text += f" {e.dose:g} {unit_shown(e.unit)} {action_route_name(loaded.catalogue, e.action, e.route, lang)}".rstrip()
    return text


def _correction_text(loaded, c, lang: str) -> str:
    """One correction of an action: when (drill time), by whom and why."""
    who = role_label(loaded, c.role, lang) if c.role else \
        tr("instructor", lang) if c.actor in (None, "instructor") else c.actor
    key = "struck_why" if c.kind == "retract" else "amended_why"
    return tr(key, lang, t=when(c.t), who=who, why=(c.text or "").strip() or tr("no_reason", lang))


def _timeline(drill, loaded, lang: str) -> tuple[TimelineRow, ...]:
    """The record in time order. A corrected action is one row as it now stands, with what was
    first logged (printed struck through) and the corrections with their reasons beside it; a
    struck action is its original struck through, never a normal row. The retraction and
    amendment events themselves are folded into that row."""
    sc = loaded.scenario
    markers = {m.id: m.label.get(lang) if m.label else m.id for m in sc.markers}
    corrections: dict[int, list] = {}
    for e in drill.events:
        if e.kind in ("retract", "amend") and e.target is not None:
            corrections.setdefault(e.target, []).append(e)
    rows = []
    for e in drill.events:
        role = role_label(loaded, e.role, lang)
        at = e.t
        corrected = was = why = ""
        if e.kind == "action":
            now = drill.effective(e.iid) if e.iid is not None else e
            shown = now or e   # as corrected; a struck action as it was logged, marked
            role = role_label(loaded, shown.role, lang)
            text = _action_text(loaded, shown, lang)
            fixes = corrections.get(e.iid, []) if e.iid is not None else []
            if now is None or fixes:
                corrected = "struck" if now is None else "amended"
                original = f"{when(e.t)} {_action_text(loaded, e, lang)}"
                if e.role:
                    original += f" ({role_label(loaded, e.role, lang)})"
                was = original
                why = "; ".join(_correction_text(loaded, c, lang) for c in fixes)
                if now is None and not fixes:   # struck by a record without its retraction's id
                    why = tr("struck_plain", lang)
            at = shown.t
        elif e.kind in ("retract", "amend") and e.target is not None \
                and drill.input_event(e.target) is not None:
            continue   # shown on the corrected action's row
        elif e.kind == "amend":
            values = dict(e.values or ())
            changes = [role_label(loaded, values.get("role"), lang) if "who" in values else "",
                       f"{values['dose']:g} {unit_shown(values.get('unit'))}".rstrip()
                       if values.get("dose") is not None else "",
                       action_route_name(loaded.catalogue, e.action, values.get("route"), lang),
                       when(values["t"]) if values.get("t") is not None else ""]
            text = tr("amend", lang, ref=e.ref, action=action_label(loaded, e.action, lang),
                      changes=", ".join(c for c in changes if c), why=e.text or "")
        elif e.kind == "unflag":
            text = tr("unflag", lang, action=action_label(loaded, e.action, lang))
        elif e.kind in ("state", "force"):
            state = sc.state_index[e.state].label.get(lang) if e.state in sc.state_index else e.state
            text = tr("entered" if e.kind == "state" else "force", lang, state=state)
        elif e.kind == "marker":
            text = tr("marker", lang, m=markers.get(e.text or "", e.text or ""))
        elif e.kind == "flag":
            text = tr("flag", lang, text=flag_text(loaded, e, lang))
        elif e.kind == "note":
            text = tr("note", lang, text=e.text or "")
        elif e.kind == "display":
            text = tr(f"{e.value('show')}_{'on' if e.value('on') else 'off'}", lang)
        elif e.kind == "retract":
            text = tr("retract", lang, ref=e.ref)
        elif e.kind == "labs":
            drawn = e.value("drawn")
            text = tr("labs", lang, drawn=when(drawn if drawn is not None else e.t),
                      results=results_line(e.values or (), lang))
        else:
            text = tr(e.kind, lang) if e.kind in ("start", "end", "pause", "resume") else e.kind
        rows.append(TimelineRow(at, when(at), e.kind, text, role, corrected, was, why))
    rows.sort(key=lambda r: r.t)   # stable: a corrected time moves only that action
    return tuple(rows)


def _marks(drill, loaded, lang: str) -> tuple[ChartMark, ...]:
    """The actions as the record now stands (a struck one is not there) and the flags raised,
    in time order, each numbered by its event number in the record (an amended action keeps
    that of the action logged): the number the score sheet's evidence ("event 4"), the
    debrief screen and `simtool events` give it."""
    items = [(e.t, "action", e.seq, action_label(loaded, e.action, lang),
              role_label(loaded, e.role, lang)) for e in drill.actions_done()]
    items += [(drill.flag_at(e), "flag", e.seq, f"{action_label(loaded, e.action, lang)}: "
               f"{flag_text(loaded, e, lang) or e.rule}", role_label(loaded, e.role, lang))
              for e in drill.flags()]
    items.sort(key=lambda i: (i[0], i[1] != "action", i[2]))
    return tuple(ChartMark(seq, t, when(t), kind, text, by)
                 for t, kind, seq, text, by in items)


def _bands(drill, loaded, lang: str) -> tuple[Band, ...]:
    sc = loaded.scenario
    entries = [(e.t, e.state) for e in drill.events if e.kind in ("start", "state", "force") and e.state]
    out = []
    for i, (t, state) in enumerate(entries):
        end = entries[i + 1][0] if i + 1 < len(entries) else drill.t
        if end > t:
            out.append(Band(t, end, sc.state_index[state].label.get(lang)))
    return tuple(out)


def build_debrief(archive: Archive, drill_id: str, lang: str = "en", trainee_id: str | None = None,
                  header: Header = Header(), generated_at: datetime | None = None,
                  key_frames: bool = False) -> DebriefReport:
    """The debrief of one drill for one trainee (a drill participant id or archive trainee
    id), or for the whole team when ``trainee_id`` is None. ``key_frames``: at each flag, the
    picture of the drill's video at that moment (``_key_frames``)."""
    check_lang(lang)
    record = archive.record_of(drill_id)
    info, loaded, drill = record.info, record.loaded, record.final
    sc = loaded.scenario
    who = tr("team", lang)
    if trainee_id is not None:
        p = next((p for p in info.participants if trainee_id in (p.id, p.trainee_id)), None)
        if p is None:
            raise NotFoundError(f"trainee {trainee_id} did not take part in drill {drill_id}")
        who = f"{p.name} ({role_label(loaded, p.role, lang)})"
    labels = {ex.id: ex.label.get(lang) for ex in sc.expected}
    expected = tuple(ExpectedRow(s.id, labels[s.id], s.status, status_text(s.status, lang), when(s.t),
                                 when(s.due), role_label(loaded, s.by, lang))
                     for s in assess.all_expected(drill, final=True))
    ind_labels = {i.id: i.label.get(lang) for i in sc.indicators}
    indicators = tuple(IndicatorRow(r.id, ind_labels[r.id],
                                    tr("not_reached", lang) if r.seconds is None else span(r.seconds, lang),
                                    span(r.target_s, lang), r.met) for r in assess.all_indicators(drill))
    flags = tuple(f"{when(drill.flag_at(e))} {action_label(loaded, e.action, lang)}: "
                  f"{flag_text(loaded, e, lang) or e.rule}"
                  for e in sorted(drill.flags(), key=drill.flag_at))
    well = tuple(tr("well_met", lang, label=r.label, t=r.done) for r in expected if r.status == "met")
    improve = [tr("improve_late", lang, label=r.label, t=r.done, due=r.due) for r in expected
               if r.status == "late"]
    improve += [tr("improve_missed", lang, label=r.label, due=r.due) for r in expected
                if r.status == "missed"]
    improve += [tr("improve_flag", lang, text=f.split(" ", 1)[1], t=f.split(" ", 1)[0]) for f in flags]
    team_items: tuple[tuple[str, str, str], ...] = ()
    team = [s for s in archive.sheets(drill_id, current_only=True) if s.trainee_id is None
            and (s.data or {}).get("subject") == "team"]
    if team:
        team_items = tuple((text_of(i["label"], lang), status_text(i["status"], lang),
                            f"{i['points']:g}/{i['max_points']:g}") for i in team[-1].data["items"])
    out = assess.outcome(drill)
    outcome = f"{sc.state_index[str(out['state'])].label.get(lang)} · {when(float(out['t']))} · " \
              f"{out['blood_loss_ml']} mL"
    vitals = tuple(VitalPoint(float(v["t"]), float(v["hr"]), float(v["sbp"]), float(v["spo2"]),
                              float(v["blood_loss_ml"])) for v in archive.vitals(drill_id))
    marks = _marks(drill, loaded, lang)
    refs = tuple(r.citation + (f" — {r.note.get(lang)}" if r.note else "") for r in sc.references)
    generated = wall_time(generated_at or datetime.now(timezone.utc))   # local, with its UTC offset
    frames, frames_note = _key_frames(archive, drill_id, drill, lang) if key_frames else (None, "")
    return DebriefReport(
        lang=lang, header=header, title=tr("debrief", lang), drill_id=info.id,
        scenario=sc.title.get(lang), scenario_version=info.scenario_version,
        date=day(info.started_at), trainee=who, duration_s=drill.t,
        timeline=_timeline(drill, loaded, lang), vitals=vitals, bands=_bands(drill, loaded, lang),
        action_marks=marks, expected=expected, indicators=indicators, flags=flags,
        went_well=well, to_improve=tuple(improve), team_items=team_items, outcome=outcome,
        references=refs, audit_head=record_head(archive),
        generated=tr("generated", lang, at=generated, v=__version__),
        notes=_notes(archive, drill_id, lang), key_frames=frames, key_frames_note=frames_note)


def _key_frames(archive: Archive, drill_id: str, drill, lang: str) -> tuple[tuple[KeyFrame, ...], str]:
    """At each flag (in the order of ``flags``), the frame of the first video attached that
    shows that drill moment and whose file is here (drill time = video time + offset); a
    caption naming the video and its time, or why there is no picture."""
    from simtool.reports.videoframes import available, frame_jpeg
    from simtool.store.media import media_of
    videos = [m for m in media_of(archive, drill_id) if m.present]
    flagged = sorted(drill.flags(), key=drill.flag_at)
    if not videos:
        attached = media_of(archive, drill_id)
        return (), tr("key_frames_no_file" if attached else "key_frames_no_video", lang) if flagged else ""
    if not available():
        return (), tr("key_frames_no_decoder", lang) if flagged else ""
    out, seen = [], {}
    for e in flagged:
        t = drill.flag_at(e)
        m = next((v for v in videos if v.offset_s <= t <= v.offset_s + v.duration_s), None)
        if m is None:
            out.append(KeyFrame(t, None, tr("key_frame_none", lang)))
            continue
        at = t - m.offset_s
        key = (m.file, round(at, 3))
        if key not in seen:
            seen[key] = frame_jpeg(m.path, at)
        name = m.label or m.original_name
        caption = tr("key_frame_at", lang, video=name, t=when(at)) if seen[key] is not None \
            else tr("key_frame_unreadable", lang, video=name)
        out.append(KeyFrame(t, seen[key], caption))
    return tuple(out), ""


def _notes(archive: Archive, drill_id: str, lang: str) -> tuple[NoteRow, ...]:
    """The current note of each phase (an emptied note is left out), in PEARLS order."""
    kept = archive.debrief_notes(drill_id)
    return tuple(NoteRow(phase, n.text, tr("noted_by", lang, by=n.author, at=stamp(n.at)))
                 for phase in PHASES if (n := kept.get(phase)) is not None and n.text.strip())
