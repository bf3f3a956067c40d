"""A flag in words, in the reader's language: the record keeps a flag as its rule and its
numbers (``Event.rule`` and ``Event.values``), and every face — the console, the event log,
the debrief, the command line — words it here, at the moment it is read.

A rule with its own message in the catalogue (or a forbidden action with one in the scenario)
is worded with that message, its ``{placeholders}`` filled from the flag's numbers; otherwise
with simtool's sentence for the rule. A flag recorded before flags were codes carries its
words in ``Event.text`` (in the language that drill ran in): those words are shown as they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simtool.core.events import Event
from simtool.core.languages import LANGS
from simtool.core.timefmt import duration

if TYPE_CHECKING:  # pragma: no cover
    from simtool.core.scenario import LoadedScenario

# rule (or rule/variant) -> (English, 简体中文, 繁體中文); placeholders are the flag's values
# (numbers shown to two decimals at most), {label}, the action's name, and the flag's times
# as durations in the reader's language ({gap}, {min_gap}, {after}, {within}: "1 min 30 s")
_S: dict[str, tuple[str, str, str]] = {
    "contraindication/conditions": ("{label} is contraindicated: {conditions}",
                                    "{label}禁忌：{conditions}", "{label}禁忌：{conditions}"),
    "contraindication/when": ("{label} is contraindicated when {when}",
                              "{label}在 {when} 时禁忌", "{label}在 {when} 時禁忌"),
    "max_single": ("{label} {dose} {unit} exceeds the single-dose limit {limit} {unit}",
                   "{label} {dose} {unit} 超过单次剂量上限 {limit} {unit}",
                   "{label} {dose} {unit} 超過單次劑量上限 {limit} {unit}"),
    "max_total": ("{label}: cumulative {total} {unit} exceeds the limit {limit} {unit}",
                  "{label}：累计 {total} {unit}，超过上限 {limit} {unit}",
                  "{label}：累計 {total} {unit}，超過上限 {limit} {unit}"),
    "max_total/within": ("{label}: {total} {unit} within {within} exceeds the limit {limit} {unit}",
                         "{label}：{within}内累计 {total} {unit}，超过上限 {limit} {unit}",
                         "{label}：{within}內累計 {total} {unit}，超過上限 {limit} {unit}"),
    "max_total/before": ("{label}: {total} {unit} before {before} exceeds the limit {limit} {unit}",
                         "{label}：在{before}之前累计 {total} {unit}，超过上限 {limit} {unit}",
                         "{label}：在{before}之前累計 {total} {unit}，超過上限 {limit} {unit}"),
    "expected_dose": ("{label} {dose} {unit} is more than {tolerance_pct} % away from {expected} {unit} "
                      "for {weight_kg} kg",
                      "{label} {dose} {unit} 与按 {weight_kg} kg 计算的 {expected} {unit} 相差超过 {tolerance_pct} %",
                      "{label} {dose} {unit} 與按 {weight_kg} kg 計算的 {expected} {unit} 相差超過 {tolerance_pct} %"),
    "min_interval": ("{label} repeated after {gap}; minimum interval {min_gap}",
                     "{label}间隔 {gap}即重复；最短间隔 {min_gap}",
                     "{label}間隔 {gap}即重複；最短間隔 {min_gap}"),
    "max_doses": ("{label}: dose {n} exceeds the maximum of {max} doses",
                  "{label}：第 {n} 剂，超过最多 {max} 剂", "{label}：第 {n} 劑，超過最多 {max} 劑"),
    "window": ("{label} given {after} after {marker}; only within {within}",
               "{label}在{marker}后 {after}给予；仅限 {within}内",
               "{label}在{marker}後 {after}給予；僅限 {within}內"),
    "indication": ("{label} given {after} after {marker}; it is indicated before {marker}",
                   "{label}在{marker}后 {after}给予；其适应证为{marker}之前",
                   "{label}在{marker}後 {after}給予；其適應症為{marker}之前"),
    "dose_range/both": ("{label} {dose} {unit} is outside the usual range {min}–{max} {unit}",
                        "{label} {dose} {unit} 超出常用范围 {min}–{max} {unit}",
                        "{label} {dose} {unit} 超出常用範圍 {min}–{max} {unit}"),
    "dose_range/min": ("{label} {dose} {unit} is below the usual minimum of {min} {unit}",
                       "{label} {dose} {unit} 低于常用最小剂量 {min} {unit}",
                       "{label} {dose} {unit} 低於常用最小劑量 {min} {unit}"),
    "dose_range/max": ("{label} {dose} {unit} is above the usual maximum of {max} {unit}",
                       "{label} {dose} {unit} 高于常用最大剂量 {max} {unit}",
                       "{label} {dose} {unit} 高於常用最大劑量 {max} {unit}"),
    "route": ("{label} is not given {route} (routes: {routes})",
              "{label}不经 {route} 给药（途径：{routes}）", "{label}不經 {route} 給藥（途徑：{routes}）"),
    "additive_max": ("{label}: together the drugs given reach {percent} % of the maximum dose ({parts}); "
                     "their toxicity adds up",
                     "{label}：合计已达最大剂量的 {percent} %（{parts}）；毒性相加",
                     "{label}：合計已達最大劑量的 {percent} %（{parts}）；毒性相加"),
    "max_volume": ("{label}: {total} {unit} given in all (doses and what the infusion has run) exceeds "
                   "the limit {limit} {unit}",
                   "{label}：累计给予 {total} {unit}（推注量及已输注量），超过上限 {limit} {unit}",
                   "{label}：累計給予 {total} {unit}（推注量及已輸注量），超過上限 {limit} {unit}"),
    "not_before": ("{label} {after} after {marker}; not until {min_gap} after it",
                   "{label}在{marker}后 {after}即执行；应在其后至少 {min_gap}",
                   "{label}在{marker}後 {after}即執行；應在其後至少 {min_gap}"),
    "not_before/never": ("{label} before {marker}; not until {min_gap} after it",
                         "{label}在{marker}之前执行；应在其后至少 {min_gap}",
                         "{label}在{marker}之前執行；應在其後至少 {min_gap}"),
    "forbidden": ("{label} is to be avoided in this scenario",
                  "本情景应避免{label}", "本情景應避免{label}"),
}
_LIST_SEP = (", ", "、", "、")


def fmt(x: float) -> str:
    """A number as simtool shows it: ``1``, ``2.5``, ``0.33``."""
    return f"{x:g}"


class _Numbers(dict):
    """Placeholders filled from a flag's values: numbers shown to two decimals at most, lists
    joined; an unknown name is left as written."""

    def __init__(self, values: dict[str, Any], sep: str) -> None:
        super().__init__(values)
        self.sep = sep

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            return "{" + key + "}"
        if isinstance(value, (list, tuple)):
            return self.sep.join(str(v) for v in value)
        if isinstance(value, float):
            return fmt(round(value, 2))
        return str(value)


def _variant(rule: str, values: dict[str, Any]) -> str:
    if rule == "contraindication":
        return "contraindication/conditions" if values.get("conditions") else "contraindication/when"
    if rule == "max_total":
        return "max_total/before" if values.get("before") else \
            "max_total/within" if values.get("within_s") is not None else "max_total"
    if rule == "dose_range":
        has_min, has_max = values.get("min") is not None, values.get("max") is not None
        return "dose_range/both" if has_min and has_max else \
            "dose_range/min" if has_min else "dose_range/max"
    if rule == "not_before":
        return "not_before" if values.get("after_s") is not None else "not_before/never"
    return rule


def words(rule: str, values: dict[str, Any], label: str, lang: str = "en",
          message: Any = None) -> str:
    """The sentence for a flag of ``rule`` with ``values`` on the action called ``label``;
    ``message`` is the catalogue's or scenario's own ``Text`` for it, if any."""
    i = LANGS.index(lang) if lang in LANGS else 0
    numbers = _Numbers({**values, "label": label}, _LIST_SEP[i])
    # a message of the catalogue's own may still say {gap_s} s or {after_min} min: those keep
    # their numbers; simtool's sentences say the durations whole ("1 min 30 s", timefmt)
    if "gap_s" in values:
        numbers["gap_s"] = round(values["gap_s"])
        numbers["gap"] = duration(values["gap_s"], lang)
    if "min_s" in values:
        numbers["min_gap"] = duration(values["min_s"], lang)
    if "after_s" in values:
        numbers["after_min"] = round(values["after_s"] / 60)
        numbers["after"] = duration(values["after_s"], lang)
    if "within_s" in values:
        numbers["within_min"] = values["within_s"] / 60
        numbers["within"] = duration(values["within_s"], lang)
    if "fractions" in values and "parts" not in values:  # additive_max: each drug's share
        numbers["parts"] = _LIST_SEP[i].join(f"{a} {fmt(round(f * 100))} %"
                                             for a, f in zip(values.get("actions") or (), values["fractions"]))
    if message is not None:
        text = message.get(lang)
        try:
            return text.format_map(numbers)
        except (ValueError, IndexError, AttributeError):
            return text  # the validator refuses bad placeholders; never fail a reader over one
    template = _S.get(_variant(rule, values))
    if template is None:
        return f"{label}: {rule}"
    if isinstance(values.get("dose"), (int, float)):
        numbers["dose"] = fmt(values["dose"])                 # as logged
    if isinstance(values.get("expected"), (int, float)):
        numbers["expected"] = fmt(round(values["expected"], 1))
    return template[i].format_map(numbers)


def _label(loaded: "LoadedScenario", action_id: str, lang: str) -> str:
    action = loaded.catalogue.get(action_id)
    return action.label.get(lang) if action is not None else action_id


def flag_text(loaded: "LoadedScenario", event: Event, lang: str = "en") -> str:
    """The words of the flag ``event`` of a drill of ``loaded``, in ``lang``."""
    if event.values is None:  # recorded before flags were codes: its words are in the record
        return event.text or ""
    values = dict(event.values)
    action = loaded.catalogue.get(event.action or "")
    label = action.label.get(lang) if action is not None else (event.action or "")
    if isinstance(values.get("before"), (list, tuple)):  # the actions that end a limit, by name
        values["before"] = [loaded.catalogue.get(a).label.get(lang)  # type: ignore[union-attr]
                            if loaded.catalogue.get(a) is not None else a for a in values["before"]]
    if isinstance(values.get("actions"), (list, tuple)) and "fractions" in values:  # by name
        values["parts"] = [f"{_label(loaded, a, lang)} {fmt(round(f * 100))} %"
                           for a, f in zip(values["actions"], values["fractions"])]
    message = None
    n = values.pop("message", None)
    if n == "scenario":
        fb = next((f for f in loaded.scenario.forbidden if f.action == event.action), None)
        message = fb.message if fb is not None else None
    elif isinstance(n, int) and action is not None and 0 <= n < len(action.rules):
        message = action.rules[n].message
    return words(event.rule or "", values, label, lang, message)
