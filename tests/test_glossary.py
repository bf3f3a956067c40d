"""assets/glossary.md agrees with the scenario and rubric texts and the interface
translations: where an English term is used, the Chinese beside it uses the glossary's form."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("zh_CN", "zh_TW")
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\d|%n")


def glossary() -> list[tuple[str, str, str, set[str]]]:
    rows = []
    for line in (ROOT / "assets" / "glossary.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("English", "---"):
            rows.append((cells[0], cells[1], cells[2],
                         {w.strip() for w in cells[3].split(",")} - {"—"}))
    return rows


def trilingual(node: object) -> Iterator[dict[str, str]]:
    """Every {en, zh_CN, zh_TW} text in a loaded YAML document."""
    if isinstance(node, dict):
        if {"en", *LANGS} <= node.keys() and all(isinstance(node[k], str) for k in ("en", *LANGS)):
            yield node
            return
        for value in node.values():
            yield from trilingual(value)
    elif isinstance(node, list):
        for value in node:
            yield from trilingual(value)


def content_texts() -> list[dict[str, str]]:
    yaml = YAML(typ="safe")
    files = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "rubrics").rglob("*.yaml"))
    return [t for f in files for t in trilingual(yaml.load(f.read_text(encoding="utf-8")))]


def ui_texts() -> list[dict[str, str]]:
    by_key: dict[tuple[str, str], dict[str, str]] = {}
    for lang in LANGS:
        root = ET.parse(ROOT / "assets" / "translations" / f"simtool_{lang}.ts").getroot()
        for c in root.iter("context"):
            for m in c.iter("message"):
                key = (c.findtext("name"), m.findtext("source"))
                tr = m.find("translation")
                text = " ".join(f.text or "" for f in tr.findall("numerusform")) or tr.text or ""
                by_key.setdefault(key, {"en": key[1]})[lang] = text
    return list(by_key.values())


def report_texts() -> list[dict[str, str]]:
    """The fixed words of the PDF reports and of scoring evidence (tables, not Linguist)."""
    from simtool.core import evidencetext
    from simtool.reports import i18n
    tables = [i18n._S, evidencetext._S, evidencetext.RULES]
    return [dict(zip(("en", "zh_CN", "zh_TW"), v)) for table in tables for v in table.values()]


TERMS = glossary()


def uses(term: str, english: str) -> bool:
    # the term starting a word, outside placeholders ({state} is not the word "state")
    return re.search(r"(?<![A-Za-z])" + re.escape(term), PLACEHOLDER.sub(" ", english),
                     re.IGNORECASE) is not None


def test_the_glossary_has_the_terms_the_issue_names():
    cn = {en: zh for en, zh, _, _ in TERMS}
    tw = {en: zh for en, _, zh, _ in TERMS}
    assert cn["Postpartum haemorrhage"] == "产后出血" and tw["Postpartum haemorrhage"] == "產後出血"
    assert cn["Anaesthetist"] == "麻醉医生" and tw["Anaesthetist"] == "麻醉科醫師"
    assert cn["Oxytocin"] == "缩宫素" and tw["Oxytocin"] == "催產素"
    assert cn["Tranexamic acid"] == "氨甲环酸" and tw["Tranexamic acid"] == "傳明酸"
    # issue 18: the mainland names of the drug and the products, and one wording for one action
    assert cn["Ergometrine"] == "麦角新碱" and tw["Ergometrine"] == "麥角新鹼"
    assert cn["Fibrinogen concentrate"] == "人纤维蛋白原"
    assert cn["Red cell transfusion"] == "悬浮红细胞"
    assert cn["Carbetocin"] == "卡贝缩宫素"
    assert cn["Genital tract"] == "软产道" and tw["Genital tract"] == "產道"


def test_one_action_is_worded_the_same_in_the_catalogue_and_the_rubrics():
    """检查软产道裂伤 on the console (the catalogue's label) is 检查软产道裂伤 on the score sheet
    (the rubric item scoring that action), and so for every item scoring one action."""
    yaml = YAML(typ="safe")
    catalogue = yaml.load((ROOT / "scenarios" / "actions.yaml").read_text(encoding="utf-8"))
    labels = {a["id"]: a["label"] for a in catalogue["actions"]}
    assert labels["examine_genital_tract"]["zh_CN"] == "检查软产道裂伤"
    assert labels["methylergonovine"]["zh_CN"].startswith("麦角新碱")
    assert labels["fibrinogen"]["zh_CN"] == "人纤维蛋白原"
    assert "悬浮红细胞" in labels["rbc_transfusion"]["zh_CN"]
    rubric = yaml.load((ROOT / "rubrics" / "pph_uterine_atony_technical.yaml").read_text(encoding="utf-8"))
    item = next(i for i in rubric["items"] if i["id"] == "genital_tract_examined")
    assert item["actions"] == ["examine_genital_tract"]
    for lang in LANGS:
        assert item["label"][lang] == labels["examine_genital_tract"][lang], lang


@pytest.mark.parametrize(("where", "texts"), [("content", content_texts), ("ui", ui_texts),
                                             ("reports", report_texts)])
def test_texts_use_the_glossary_forms(where, texts):
    corpus = texts()
    wrong, unused = [], []
    for en_term, cn, tw, checked in TERMS:
        if where not in checked:
            continue
        hits = [t for t in corpus if uses(en_term, t["en"])]
        if not hits:
            unused.append(en_term)
        for t in hits:
            for lang, form in (("zh_CN", cn), ("zh_TW", tw)):
                if form not in t[lang]:
                    wrong.append(f"{en_term} → {form}: {t['en']!r} is {t[lang]!r} in {lang}")
    assert not unused, f"terms marked {where} but not used there: {unused}"
    assert not wrong, "\n".join(wrong)
