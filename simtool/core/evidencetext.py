"""Evidence said in words, in en, zh_CN or zh_TW, from the evidence's structured fields.

Scoring records *why* an item has its status as a reason code and numbers (``Evidence``);
this module is the one place those are turned into a sentence. The core stores the English
sentence with raw ids beside the fields (``Evidence.text``, what the CLI prints); the score
sheet PDF and the scoring panel call ``describe`` with the reader's language and a ``Names``
that gives roles, actions, markers and people their labels in that language.

A table rather than Qt Linguist: the core imports no Qt, and the PDF renders the same in the
CLI as in the window.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from simtool.core.flagtext import fmt as num
from simtool.core.flagtext import words as flag_words
from simtool.core.languages import LANGS
from simtool.core.timefmt import drill_time, duration

# key: (en, zh_CN, zh_TW)
_S: dict[str, tuple[str, str, str]] = {
    "by": (" by {role}", "，由{role}执行", "，由{role}執行"),
    "event": (" (event {seq})", "（事件 {seq}）", "（事件 {seq}）"),
    "done": ("done at {t}{by}{event}", "{t} 完成{by}{event}", "{t} 完成{by}{event}"),
    "late": ("late by {s}: done at {t}{by}{event}", "延迟 {s}：{t} 完成{by}{event}",
             "延遲 {s}：{t} 完成{by}{event}"),
    "missed_within": ("missed: not done within {s} of {marker}", "遗漏：{marker}后 {s}内未完成",
                      "遺漏：{marker}後 {s}內未完成"),
    "missed_action": ("missed: {action} not given", "遗漏：未给予{action}", "遺漏：未給予{action}"),
    "missed_due": ("missed: not done by {t}", "遗漏：{t} 前未完成", "遺漏：{t} 前未完成"),
    "missed_ended": ("missed: not done when the drill ended at {end}, before it was due at {t}",
                     "遗漏：演练于 {end} 结束时未完成（截止时间 {t}）",
                     "遺漏：演練於 {end} 結束時未完成（截止時間 {t}）"),
    "missed": ("missed: not done", "遗漏：未完成", "遺漏：未完成"),
    "after_limit": ("too late to count: done at {t}, after the limit at {limit}{by}{event}",
                    "超过时限不计分：{t} 完成，时限为 {limit}{by}{event}",
                    "超過時限不計分：{t} 完成，時限為 {limit}{by}{event}"),
    "not_applicable": ("not applicable: {marker} never happened", "不适用：未发生“{marker}”",
                       "不適用：未發生「{marker}」"),
    "other_person": ("done by another {role}: {person} at {t}{event}",
                     "由另一位{role}完成：{person}，{t}{event}", "由另一位{role}完成：{person}，{t}{event}"),
    "wrong_role": ("done by the wrong role: {role} at {t}{event}", "由非指定角色完成：{role}，{t}{event}",
                   "由非指定角色完成：{role}，{t}{event}"),
    "no_role": ("none recorded", "未记录", "未記錄"),
    "no_dose": ("dose not recorded{event}", "未记录剂量{event}", "未記錄劑量{event}"),
    "dose_ok": ("{dose}, expected {band}{how}{event}", "{dose}，应为 {band}{how}{event}",
                "{dose}，應為 {band}{how}{event}"),
    "wrong_dose": ("wrong dose: {dose} vs expected {band}{how}{event}", "剂量错误：{dose}，应为 {band}{how}{event}",
                   "劑量錯誤：{dose}，應為 {band}{how}{event}"),
    "per_kg": (", {per_kg} {unit}/kg × {w} kg", "，{per_kg} {unit}/kg × {w} kg", "，{per_kg} {unit}/kg × {w} kg"),
    "capped": (" capped at {cap} {unit}", "，上限 {cap} {unit}", "，上限 {cap} {unit}"),
    "forbidden_action": ("done: {action} at {t}{by}{event}", "已执行：{action}，{t}{by}{event}",
                         "已執行：{action}，{t}{by}{event}"),
    "flag": ("flag: {rule} on {action} at {t}{by}{note}{event}", "警示（{rule}）：{action}，{t}{by}{note}{event}",
             "警示（{rule}）：{action}，{t}{by}{note}{event}"),
    "note": (": {text}", "；{text}", "；{text}"),
    "clean_actions": ("none of {actions} done", "未执行{actions}", "未執行{actions}"),
    "clean_flags": ("no safety flag raised", "未触发安全警示", "未觸發安全警示"),
    "clean": ("nothing to avoid was done", "未执行应避免的操作", "未執行應避免的處置"),
    "list_sep": (", ", "、", "、"),
    "clause_sep": ("; ", "；", "；"),
    "indicator": ("{s} after {marker} (target: within {target})", "“{marker}”后 {s}（目标 {target}内）",
                  "「{marker}」後 {s}（目標 {target}內）"),
    "indicator_never": ("never reached (target: within {target})", "未达到（目标 {target}内）",
                        "未達到（目標 {target}內）"),
    "pending": ("awaiting the examiner", "待考官评分", "待考官評分"),
    "not_observed": ("not observed by the examiner", "考官未观察到", "考官未觀察到"),
    "examiner_done": ("done (examiner)", "已完成（考官评定）", "已完成（考官評定）"),
    "examiner_not_done": ("not done (examiner)", "未完成（考官评定）", "未完成（考官評定）"),
    "examiner_level": ("level {n}: {label} (examiner)", "{n} 级：{label}（考官评定）", "{n} 級：{label}（考官評定）"),
    "examiner": ("marked by the examiner", "考官评定", "考官評定"),
}

# what a catalogue rule (or the scenario's list of drugs to avoid) objected to
RULES: dict[str, tuple[str, str, str]] = {
    "contraindication": ("contraindication", "禁忌证", "禁忌症"),
    "forbidden": ("drug to avoid in this scenario", "本场景应避免", "本情境應避免"),
    "max_single": ("single dose above the maximum", "单次剂量超过上限", "單次劑量超過上限"),
    "max_total": ("total dose above the maximum", "累计剂量超过上限", "累計劑量超過上限"),
    "expected_dose": ("dose off the expected dose", "剂量偏离应给剂量", "劑量偏離應給劑量"),
    "min_interval": ("repeated too soon", "重复给药间隔过短", "重複給藥間隔過短"),
    "max_doses": ("too many doses", "给药次数过多", "給藥次數過多"),
    "window": ("outside its time window", "超出时间窗", "超出時間窗"),
    "indication": ("outside its indication", "超出适应证", "超出適應症"),
    "dose_range": ("dose outside the usual range", "剂量超出常用范围", "劑量超出常用範圍"),
    "additive_max": ("drugs together above the maximum", "合计剂量超过上限", "合計劑量超過上限"),
    "max_volume": ("total volume above the maximum", "累计容量超过上限", "累計容量超過上限"),
    "not_before": ("done too early", "执行过早", "執行過早"),
    "route": ("route not allowed", "给药途径不当", "給藥途徑不當"),
}


def _say(key: str, lang: str, table: Mapping[str, tuple[str, str, str]] = _S, **values: object) -> str:
    text = table[key][LANGS.index(lang) if lang in LANGS else 0]
    return text.format(**values) if values else text


def rule_label(rule: str, lang: str = "en") -> str:
    """A flag's rule kind in words ('max_total' → 'total dose above the maximum')."""
    return _say(rule, lang, RULES) if rule in RULES else rule


def keys() -> tuple[str, ...]:
    return tuple(_S) + tuple(RULES)


@dataclass(frozen=True)
class Names:
    """Labels in the reader's language for the ids evidence carries; an id without a label
    stays itself (``Names()`` says everything by id, as the stored English text does)."""

    roles: Mapping[str, str] = field(default_factory=dict)
    actions: Mapping[str, str] = field(default_factory=dict)
    markers: Mapping[str, str] = field(default_factory=dict)
    people: Mapping[str, str] = field(default_factory=dict)

    def role(self, r: str) -> str:
        return self.roles.get(r, r)

    def action(self, a: str) -> str:
        return self.actions.get(a, a)

    def marker(self, m: str) -> str:
        return self.markers.get(m, m)

    def person(self, p: str) -> str:
        return self.people.get(p, p)


def names_for(loaded: Any, lang: str, participants: Iterable[Any] = ()) -> Names:
    """``Names`` from a loaded scenario (``.scenario``, ``.catalogue``) and the drill's people."""
    sc = loaded.scenario
    return Names(
        roles={r.id: r.label.get(lang) for r in sc.roles},
        actions={a.id: a.label.get(lang) for a in loaded.catalogue.actions},
        markers={m.id: m.label.get(lang) for m in sc.markers if m.label is not None},
        people={p.id: p.name for p in participants if getattr(p, "name", None)})


def clock(t: float) -> str:
    """A moment in the drill as ``mm:ss`` (``h:mm:ss`` past an hour): ``timefmt.drill_time``."""
    return drill_time(t)


IDS = Names()


def describe(ev: Any, lang: str = "en", names: Names = IDS) -> str:
    """The sentence for one piece of evidence (an ``Evidence`` or its ``to_dict()``)."""
    d: Mapping[str, Any] = ev if isinstance(ev, Mapping) else ev.to_dict()
    reason = d.get("reason", "")
    g = d.get
    say = lambda key, **v: _say(key, lang, **v)  # noqa: E731
    t = clock(g("t")) if g("t") is not None else ""
    by = say("by", role=names.role(g("by_role"))) if g("by_role") else ""
    event = say("event", seq=g("seq")) if g("seq") is not None else ""
    if reason == "done":
        return say("done", t=t, by=by, event=event)
    if reason == "late":
        return say("late", s=duration(g("late_by_s") or 0, lang), t=t, by=by, event=event)
    if reason == "missed":
        if g("within_s") is not None and g("marker"):
            return say("missed_within", s=duration(g("within_s"), lang), marker=names.marker(g("marker")))
        if g("action"):
            return say("missed_action", action=names.action(g("action")))
        if g("due_t") is not None and g("ended_t") is not None:
            return say("missed_ended", t=clock(g("due_t")), end=clock(g("ended_t")))
        if g("due_t") is not None:
            return say("missed_due", t=clock(g("due_t")))
        return say("missed")
    if reason == "after_limit":
        return say("after_limit", t=t, limit=clock(g("limit_t")) if g("limit_t") is not None else "?",
                   by=by, event=event)
    if reason == "not_applicable":
        return say("not_applicable", marker=names.marker(g("marker") or "?"))
    if reason == "other_person":
        return say("other_person", role=names.role(g("by_role") or ""), person=names.person(g("by") or "?"),
                   t=t, event=event)
    if reason == "wrong_role":
        role = names.role(g("by_role")) if g("by_role") else say("no_role")
        return say("wrong_role", role=role, t=t, event=event)
    if reason == "no_dose":
        return say("no_dose", event=event)
    if reason in ("dose_ok", "wrong_dose"):
        unit = g("unit") or ""
        dose = f"{num(g('dose'))} {unit}".strip()
        band = f"{num(g('expected_dose'))} {unit} ±{num(g('tolerance_pct'))} %".replace("  ", " ")
        how = ""
        if g("per_kg") is not None and g("weight_kg") is not None:
            how = say("per_kg", per_kg=num(g("per_kg")), unit=g("per_kg_unit") or unit, w=num(g("weight_kg")))
            if g("cap") is not None:
                how += say("capped", cap=num(g("cap")), unit=g("per_kg_unit") or unit)
        return say(reason, dose=dose, band=band, how=how, event=event)
    if reason == "forbidden_action":
        return say("forbidden_action", action=names.action(g("action") or "?"), t=t, by=by, event=event)
    if reason == "flag":
        # the flag's numbers, worded in the reader's language (a sheet scored before flags were
        # codes carries the drill's own words instead: said only to a reader of that language)
        if g("flag_values"):
            note = say("note", text=flag_words(g("rule") or "", dict(g("flag_values")),
                                               names.action(g("action") or "?"), lang))
        else:
            note = say("note", text=g("note")) if g("note") and g("note_lang", "en") == lang else ""
        return say("flag", rule=rule_label(g("rule") or "?", lang), action=names.action(g("action") or "?"),
                   t=t, by=by, note=note, event=event)
    if reason == "clean":
        sep = say("list_sep")
        parts = []
        if g("actions"):
            parts.append(say("clean_actions", actions=sep.join(names.action(a) for a in g("actions"))))
        if g("flags"):
            parts.append(say("clean_flags"))  # the item's label already names the kinds
        return say("clause_sep").join(parts) if parts else say("clean")
    if reason == "indicator":
        target = duration(g("target_s"), lang) if g("target_s") is not None else "?"
        if g("seconds") is None:
            return say("indicator_never", target=target)
        return say("indicator", s=duration(g("seconds"), lang), marker=names.marker(g("marker") or "?"),
                   target=target)
    if reason == "pending":
        return say("pending")
    if reason == "not_observed":
        return say("not_observed")
    if reason == "examiner":
        if g("level") is not None:
            label = g("level_label") or {}
            text = label.get(lang) or label.get("en") or "" if isinstance(label, Mapping) else str(label)
            return say("examiner_level", n=g("level"), label=text)
        if g("mark") is not None:
            return say("examiner_done" if g("mark") else "examiner_not_done")
        return say("examiner")
    # a reason this version does not know (a newer archive): its stored English sentence
    return str(g("text") or reason)
