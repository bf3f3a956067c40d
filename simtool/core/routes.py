"""What each route of administration is called where a clinician reads it: the dose dialog,
the console's log, the debrief. The catalogue's route codes (``catalogue.ROUTES``) are what
files and rules use; these are their names in the three languages (mainland and Taiwan
nursing usage: 静脉推注/靜脈推注 is a push, 静脉滴注/靜脈滴注 an infusion run from a bag)."""

from __future__ import annotations

ROUTE_NAMES: dict[str, dict[str, str]] = {
    "IV": {"en": "IV injection", "zh_CN": "静脉推注", "zh_TW": "靜脈推注"},
    "IV infusion": {"en": "IV infusion", "zh_CN": "静脉滴注", "zh_TW": "靜脈滴注"},
    "IM": {"en": "IM", "zh_CN": "肌内注射", "zh_TW": "肌肉注射"},
    "IO": {"en": "IO", "zh_CN": "骨髓腔内注射", "zh_TW": "骨髓腔內注射"},
    "SL": {"en": "sublingual", "zh_CN": "舌下含服", "zh_TW": "舌下含服"},
    "PR": {"en": "rectal", "zh_CN": "经直肠", "zh_TW": "經直腸"},
    "PO": {"en": "oral", "zh_CN": "口服", "zh_TW": "口服"},
    "SC": {"en": "SC", "zh_CN": "皮下注射", "zh_TW": "皮下注射"},
    "INH": {"en": "inhaled", "zh_CN": "吸入", "zh_TW": "吸入"},
    "topical": {"en": "topical", "zh_CN": "局部用药", "zh_TW": "局部用藥"},
    "intrauterine": {"en": "intrauterine", "zh_CN": "宫腔内", "zh_TW": "子宮腔內"},
    "intramyometrial": {"en": "intramyometrial", "zh_CN": "子宫肌层注射", "zh_TW": "子宮肌層注射"},
}


# "IV" of a drug, a fluid or blood that has no infusion route of its own: simply intravenous (a
# unit of red cells is transfused, not pushed)
PLAIN_IV = {"en": "IV", "zh_CN": "静脉", "zh_TW": "靜脈"}


def route_name(route: str | None, lang: str = "en", routes: tuple[str, ...] | None = None) -> str:
    """The route as a clinician reads it in ``lang``; an unknown code as it is, None as "".
    ``routes``: the action's routes, when known. "IV" is called an injection (静脉推注) only
    where the same drug can also be given as an infusion (oxytocin), and plain intravenous
    otherwise (blood, fluids, most drugs)."""
    if not route:
        return ""
    if route == "IV" and routes is not None and "IV infusion" not in routes:
        return PLAIN_IV.get(lang) or PLAIN_IV["en"]
    names = ROUTE_NAMES.get(route)
    if names is None:
        return route
    return names.get(lang) or names["en"]


def action_route_name(catalogue: object, action_id: str | None, route: str | None,
                      lang: str = "en") -> str:
    """``route_name`` for a logged action, its routes read from the catalogue."""
    action = catalogue.get(action_id or "") if catalogue is not None else None  # type: ignore[attr-defined]
    return route_name(route, lang, tuple(action.routes) if action is not None else None)
