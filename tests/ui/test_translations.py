"""The interface translations: complete, compiled, applied live, and drawable with the
bundled font."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings, QTranslator
from PySide6.QtGui import QFont, QFontMetrics

from simtool.ui import translations
from simtool.ui.app import build_window
from simtool.ui.fonts import register_fonts

ROOT = Path(__file__).resolve().parents[2]
TS_DIR = ROOT / "assets" / "translations"
LANGS = ("zh_CN", "zh_TW")
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\d|%n")


def messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(path).getroot()
    return {(c.findtext("name"), m.findtext("source")): m
            for c in root.iter("context") for m in c.iter("message")}


def translation_texts(message: ET.Element) -> list[str]:
    tr = message.find("translation")
    forms = tr.findall("numerusform")
    return [f.text or "" for f in forms] if forms else [tr.text or ""]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[tuple[str, str]]:
    """What pyside6-lupdate finds in simtool/ui today."""
    sys.path.insert(0, str(ROOT / "tools"))
    import i18n
    ts = tmp_path_factory.mktemp("lupdate") / "fresh.ts"
    i18n.update(ts, "zh_CN")
    return set(messages(ts))


@pytest.mark.parametrize("lang", LANGS)
def test_every_source_string_is_translated(lang, extracted):
    msgs = messages(TS_DIR / f"simtool_{lang}.ts")
    assert set(msgs) == extracted, "run `make translations` and translate what is new"
    for key, m in msgs.items():
        tr = m.find("translation")
        assert tr.get("type") not in ("unfinished", "vanished", "obsolete"), key
        for text in translation_texts(m):
            assert text.strip(), key
            # a placeholder lost in translation would raise or print the wrong value
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(key[1])), key


def test_traditional_is_not_a_character_conversion():
    cn, tw = (messages(TS_DIR / f"simtool_{lang}.ts") for lang in LANGS)
    assert translation_texts(cn[("MainWindow", "Archive")]) == ["档案库"]
    assert translation_texts(tw[("MainWindow", "Archive")]) == ["檔案庫"]
    # Taiwan's own words, not the mainland's in traditional characters
    assert translation_texts(tw[("PatientMonitor", "Patient monitor")]) == ["病人生理監視器"]
    assert translation_texts(tw[("display", "Asthma")]) == ["氣喘"]
    assert translation_texts(cn[("display", "Asthma")]) == ["哮喘"]


@pytest.mark.parametrize("lang", LANGS)
def test_qm_is_compiled_from_the_current_ts(lang, tmp_path):
    """The committed .qm is exactly what lrelease makes of the committed .ts."""
    fresh = tmp_path / f"{lang}.qm"
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    subprocess.run([str(lrelease), "-silent", str(TS_DIR / f"simtool_{lang}.ts"), "-qm",
                    str(fresh)], check=True)
    assert (TS_DIR / f"simtool_{lang}.qm").read_bytes() == fresh.read_bytes(), \
        "run `make translations-release`"


def test_a_stale_qm_is_compiled_again_into_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(translations, "user_cache_dir", lambda app: str(tmp_path / "cache"))
    (tmp_path / "simtool_zh_CN.ts").write_bytes((TS_DIR / "simtool_zh_CN.ts").read_bytes())
    assert translations.qm_file("zh_CN", tmp_path).parent == tmp_path / "cache" / "translations"
    loaded = QTranslator()
    assert loaded.load(str(translations.qm_file("zh_CN", tmp_path)))
    assert loaded.translate("MainWindow", "Archive") == "档案库"


@pytest.mark.parametrize(("name", "lang"), [("zh_CN", "zh_CN"), ("zh_SG", "zh_CN"),
                                            ("zh_TW", "zh_TW"), ("zh_HK", "zh_TW"),
                                            ("en_GB", "en"), ("de_DE", "en")])
def test_default_language_follows_the_system_locale(name, lang):
    assert translations.system_language(QLocale(name)) == lang


def test_switching_to_chinese_translates_the_window_and_is_remembered(qtbot):
    w = build_window()
    w.library.finish_check()  # checked in the background
    qtbot.addWidget(w)
    assert w.drill_action.text() == "Start live drill…"
    w.set_language("zh_CN")
    assert w.drill_action.text() == "开始实时演练…"
    assert w.library.reload_button.text() == "重新加载"  # the library page is rebuilt
    assert QSettings().value("language") == "zh_CN"
    w.set_language("zh_TW")
    assert w.drill_action.text() == "開始即時演練…"
    assert w.archive_action.text() == "檔案庫"
    # the next window opens in the saved language
    again = build_window()
    again.library.finish_check()  # checked in the background
    qtbot.addWidget(again)
    assert again.lang == "zh_TW" and again.drill_action.text() == "開始即時演練…"
    again.set_language("en")
    assert again.drill_action.text() == "Start live drill…"


def test_the_bundled_font_draws_every_character_of_every_translation():
    assert "Droid Sans Fallback" in register_fonts()
    metrics = QFontMetrics(QFont("Droid Sans Fallback"))
    missing = set()
    for lang in LANGS:
        for m in messages(TS_DIR / f"simtool_{lang}.ts").values():
            for text in translation_texts(m):
                missing |= {ch for ch in text if not ch.isspace()
                            and not metrics.inFontUcs4(ord(ch))}
    assert not missing, "".join(sorted(missing))


def test_open_archive_pages_switch_language_live(qtbot, tmp_path):
    """The archive browser (and a debrief left with a safety threat half-written, so kept)
    already open when the language changes are rebuilt in the new one; the current page stays
    current. A page left with nothing in it is not kept (the stack would only grow)."""
    from simtool.cli import main as cli_main
    from simtool.ui.archiveviews import ArchiveBrowser, DebriefView
    from simtool.ui.window import MainWindow

    db = tmp_path / "archive.sqlite"
    assert cli_main(["run", str(ROOT / "scenarios" / "pph_uterine_atony.yaml"), "--script",
                     str(ROOT / "tests" / "scripts" / "pph_uterine_atony" / "late_care.yaml"),
                     "--archive", str(db)]) == 0
    w = MainWindow(ROOT / "scenarios", archive_path=db, lang="en")
    qtbot.addWidget(w)
    try:
        drill_id = w.live.archive.drills()[-1].id
        w.live.show_debrief(drill_id)
        w.show_archive()
        assert not any(isinstance(p, DebriefView) for p in w.live.pages)   # left: deleted
        w.live.show_debrief(drill_id).threats.found.setPlainText("No second oxytocin ampoule")
        w.show_archive()
        assert w.stack.currentWidget().open_button.text() == "Open"
        w.set_language("zh_CN")
        browser = w.stack.currentWidget()
        assert isinstance(browser, ArchiveBrowser)
        assert browser.open_button.text() == "打开"
        assert browser.table.horizontalHeaderItem(0).text() == "日期"
        debriefs = [p for p in w.live.pages if isinstance(p, DebriefView)]
        assert len(debriefs) == 1 and debriefs[0].drill_id == drill_id
        assert debriefs[0].lang == "zh_CN" and w.stack.indexOf(debriefs[0]) >= 0
    finally:
        w.live.close()


def test_catalogue_categories_are_translated(qapp):
    from simtool.core.catalogue import CATEGORIES
    from simtool.ui.display import category_text
    translations.install_translator(qapp, "zh_CN")
    assert category_text("uterotonic") == "宫缩剂"
    translations.install_translator(qapp, "zh_TW")
    assert category_text("blood_product") == "血品"
    translations.install_translator(qapp, "en")
    assert all(category_text(c) != c for c in CATEGORIES)


@pytest.mark.parametrize("lang, cancel", [("zh_CN", "取消"), ("zh_TW", "取消"), ("en", "Cancel")])
def test_qt_own_buttons_speak_the_interface_language(qapp, lang, cancel):
    """The Cancel of a Qt dialog (the discard reason, the file chooser) is Qt's own text."""
    from PySide6.QtWidgets import QDialogButtonBox
    translations.install_translator(qapp, lang)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == cancel
