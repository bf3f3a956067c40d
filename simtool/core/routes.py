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


def route_name(route: str | None, lang: str = "en") -> str:
    """The route as a clinician reads it in ``lang``; an unknown code as it is, None as ""."""
    if not route:
        return ""
    names = ROUTE_NAMES.get(route)
    if names is None:
        return route
    return names.get(lang) or names["en"]
