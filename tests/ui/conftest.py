"""Every UI test starts in English, with its own settings file and no translator left
installed by an earlier test."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from simtool.ui import translations


@pytest.fixture(autouse=True)
def _own_settings_and_language(qapp, tmp_path, monkeypatch):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "settings"))
    qapp.setOrganizationName("simtool-tests")
    qapp.setApplicationName("simtool")
    monkeypatch.delenv(translations.PSEUDO_ENV, raising=False)
    QSettings().setValue(translations.SETTING, "en")
    translations.install_translator(qapp, "en")
    yield
    translations.install_translator(qapp, "en")
