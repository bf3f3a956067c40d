"""The debrief PDF's references read as citations (review finding): the PPH drill's eighth
reference printed an internal path, "[8] 产后出血标准化建设的障碍与对策 (shared/sources 002):
MDT composition…". It is now the article's title with the facts it supports, in the reader's
language; no bundled scenario's reference names an internal folder."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from simtool.cli import main
from simtool.core.scenario import load_scenario
from simtool.reports.debrief import render_debrief
from simtool.reports.debriefdata import build_debrief
from simtool.store import Archive

from helpers.tools import require_tools

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted(p for p in (ROOT / "scenarios").glob("*.yaml") if p.name != "actions.yaml")
INTERNAL = re.compile(r"shared/sources|sources \d{3}|CLINICAL\.md", re.I)   # a folder of ours
SHORT = """duration_s: 120
participants:
  - {id: t1, name: Zhao Min, role: midwife}
actions:
  - {t: 60, action: uterine_massage, by: midwife}
"""


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_no_reference_names_an_internal_source(path):
    sc = load_scenario(path).scenario
    for ref in sc.references:
        texts = [ref.citation] + ([ref.note.get(lang) for lang in ("en", "zh_CN", "zh_TW")]
                                  if ref.note else [])
        for text in texts:
            assert not INTERNAL.search(text), (ref.id, text)


def test_the_mdt_source_prints_as_a_citation(tmp_path):
    db, script = tmp_path / "archive.sqlite", tmp_path / "short.yaml"
    script.write_text(SHORT)
    assert main(["run", str(ROOT / "scenarios/pph_uterine_atony.yaml"), "--script", str(script),
                 "--archive", str(db)]) == 0
    with Archive.open(db, create=False) as a:
        (info,) = a.drills()
        reports = {lang: build_debrief(a, info.id, lang) for lang in ("en", "zh_CN", "zh_TW")}
    title = "产后出血标准化建设的障碍与对策"
    facts = {"en": ("1500 mL", "refractory PPH", "15 min", "<30 min"),
             "zh_CN": ("1500 mL", "难治性产后出血", "15分钟", "<30分钟"),
             "zh_TW": ("1500 mL", "難治性產後出血", "15分鐘", "<30分鐘")}
    for lang, r in reports.items():
        (ref,) = [x for x in r.references if title in x]
        assert ref.startswith(title + " — ") and not INTERNAL.search(ref), ref
        assert all(f in ref for f in facts[lang]), (lang, ref)
    require_tools("pdftotext", package="poppler-utils")
    pdf = tmp_path / "debrief.pdf"
    pdf.write_bytes(render_debrief(reports["zh_CN"]))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert f"[8] {title} — 多学科团队" in text
    assert "shared/sources" not in text
