"""The patient monitor as a 410-px strip beside the console on a 1366×768 laptop, in English
and 简体中文: the traces get most of the width, a block's name and unit never run together
("EtCO₂mmHg"), and the buttons show their whole text; a wide monitor keeps its layout."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from simtool.core.drill import Participant, PatientParams
from simtool.ui.fonts import register_fonts
from simtool.ui.monitor import PatientMonitor
from simtool.ui.session import DrillSession
from simtool.ui.translations import install_translator


def monitor_at(qtbot, pph, size):
    session = DrillSession(pph, PatientParams(65), [Participant("p1", "Li Na", "midwife")])
    session.stop_clock()
    m = PatientMonitor(session)
    qtbot.addWidget(m)
    m.resize(*size)
    m.show()
    qtbot.waitExposed(m)
    m.set_blood_loss_visible(True)
    QApplication.processEvents()
    return m


def header_apart(block) -> bool:
    _tf, title, _uf, unit = block.header()
    return not block.title or not block.unit or unit.left() - title.right() >= 4


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_narrow_monitor_gives_the_traces_the_width_and_cuts_nothing(qtbot, qapp, pph, lang):
    register_fonts()
    install_translator(qapp, lang)
    try:
        m = monitor_at(qtbot, pph, (410, 700))
        assert m.narrow
        for strip in (m.ecg, m.pleth, m.capno):
            assert strip.width() >= 0.64 * m.width(), (strip.width(), m.width())   # two thirds
        for key, block in m.blocks.items():
            assert header_apart(block), (key, block.header()[1], block.header()[3])
            assert block.geometry().right() < m.width() and block.width() >= block.minimumWidth()
        for button in (m.nibp_button, m.silence_button):
            assert button.width() >= button.sizeHint().width(), button.text()
            assert button.geometry().right() <= button.parentWidget().width()
        drape = m.blood_loss.mapTo(m, m.blood_loss.rect().bottomRight())
        assert drape.x() < m.width() and drape.y() < m.height()
    finally:
        install_translator(qapp, "en")


def test_a_wide_monitor_keeps_numbers_beside_the_traces_and_buttons_beside_the_numbers(qtbot, pph):
    m = monitor_at(qtbot, pph, (1280, 720))
    assert not m.narrow
    assert m.blocks["rr"].geometry().top() == m.blocks["etco2"].geometry().top()   # side by side
    assert m.button_box.geometry().top() == m.blocks["nibp"].geometry().top()
    assert all(header_apart(b) for b in m.blocks.values())
    m.resize(410, 700)
    QApplication.processEvents()
    assert m.narrow and m.blocks["rr"].geometry().top() == m.blocks["nibp"].geometry().top()
    m.resize(1280, 720)
    QApplication.processEvents()
    assert not m.narrow and m.blocks["rr"].geometry().top() == m.blocks["etco2"].geometry().top()


def test_a_blocks_name_and_unit_keep_apart_at_any_size(qtbot):
    """Narrow and tall (the strip's bottom row), the name and the unit shrink together rather
    than touch: "NIBP mmHg", never "NIBPmmHg"."""
    from simtool.ui.monitor.blocks import ParameterBlock
    register_fonts()
    for title, unit in (("NIBP", "mmHg"), ("EtCO₂", "mmHg"), ("HR", "次/分"), ("体温", "°C")):
        block = ParameterBlock(title, unit, "#ffffff")
        qtbot.addWidget(block)
        for w in range(100, 241, 12):
            for h in (70, 140, 200, 260):
                block.resize(w, h)
                assert header_apart(block), (title, unit, w, h, block.header()[1], block.header()[3])
