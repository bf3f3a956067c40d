"""The action palette: every catalogue action as a button, with its keyboard shortcut, and a
type-to-find box ("oxy" + Enter chooses oxytocin). The scenario's own groups come first (its
``palette``: the first-line actions of this emergency, in order); every other action follows
under "Other actions", by category."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout, QGroupBox, QLabel, QLineEdit, QPushButton, QScrollArea, QSizePolicy,
    QVBoxLayout, QWidget,
)

from simtool.core.catalogue import CATEGORIES, Action, Catalogue
from simtool.ui.display import category_text

COLUMNS = 2  # catalogue labels are long (and 50 % longer in some languages)


def find(actions: list[tuple[Action, str]], text: str) -> list[Action]:
    """Actions whose label or id matches ``text``, best first: label start, word start, id
    start, then anywhere."""
    needle = text.strip().casefold()
    if not needle:
        return []
    ranked: list[tuple[int, int, Action]] = []
    for i, (action, label) in enumerate(actions):
        words = label.casefold()
        if words.startswith(needle):
            rank = 0
        elif any(w.startswith(needle) for w in words.replace("(", " ").split()):
            rank = 1
        elif action.id.startswith(needle.replace(" ", "_")):
            rank = 2
        elif needle in words or needle in action.id:
            rank = 3
        else:
            continue
        ranked.append((rank, i, action))
    return [a for _, _, a in sorted(ranked, key=lambda r: (r[0], r[1]))]


class PaletteButton(QPushButton):
    """An action's button: its label, shortened with "…" when the column is narrow (the whole
    label in the tooltip), and its key always whole: never a label cut at both ends."""

    def __init__(self, label: str, key: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label, self.key = label, key
        self.setToolTip(label)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._fit()

    def full_text(self) -> str:
        return f"{self.label}   [{self.key.upper()}]" if self.key else self.label

    def is_shortened(self) -> bool:
        return self.text() != self.full_text()

    def _fit(self) -> None:
        metrics = QFontMetrics(self.font())
        suffix = f"   [{self.key.upper()}]" if self.key else ""
        room = self.width() - 18 - metrics.horizontalAdvance(suffix)
        label = (self.label if self.width() <= 0 or metrics.horizontalAdvance(self.label) <= room
                 else metrics.elidedText(self.label, Qt.TextElideMode.ElideRight, max(room, 0)))
        self.setText(label + suffix)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()


class ActionPalette(QWidget):
    action_chosen = Signal(str)

    def __init__(self, catalogue: Catalogue, lang: str = "en", parent: QWidget | None = None,
                 first: Iterable[str] = (), groups: Sequence[Any] = ()) -> None:
        """``groups``: the scenario's palette groups (``label``, ``actions``), shown first;
        without them, ``first`` (ids of the actions this scenario is about) puts their
        categories first, so a LAST drill does not open on the uterotonics."""
        super().__init__(parent)
        self.catalogue = catalogue
        self.lang = lang
        self._labelled = [(a, a.label.get(lang)) for a in catalogue.actions]
        self.find_box = QLineEdit()
        self.find_box.setPlaceholderText(self.tr("Type to find an action, Enter to log it"))
        self.find_box.setClearButtonEnabled(True)
        self.find_box.textChanged.connect(self._on_find_changed)
        self.find_box.returnPressed.connect(self._on_find_entered)
        self.find_hint = QLabel()
        self.find_hint.setWordWrap(True)

        self.buttons: dict[str, PaletteButton] = {}
        self.groups: dict[str, QGroupBox] = {}
        self.members: dict[str, list[str]] = {}   # group key -> its action ids
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        shown: set[str] = set()
        for n, g in enumerate(groups):
            members = [a for a in (catalogue.get(i) for i in g.actions) if a is not None]
            self._group(column, f"scenario:{n}", g.label.get(lang), members)
            shown.update(a.id for a in members)
        self.other_heading = QLabel(self.tr("Other actions"))
        self.other_heading.setStyleSheet("font-weight: 600; margin-top: 6px;")
        self.other_heading.setVisible(bool(groups))
        column.addWidget(self.other_heading)
        wanted = set(first)
        used = {a.category for a in catalogue.actions if a.id in wanted}
        ordered = [c for c in CATEGORIES if c in used] + [c for c in CATEGORIES if c not in used]
        for category in ordered:
            members = [a for a in catalogue.actions if a.category == category and a.id not in shown]
            if members:
                self._group(column, category, category_text(category), members)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.find_box)
        layout.addWidget(self.find_hint)
        layout.addWidget(scroll, 1)
        self._on_find_changed("")

    def _group(self, column: QVBoxLayout, key: str, title: str, members: list[Action]) -> None:
        group = QGroupBox(title)
        grid = QGridLayout(group)
        grid.setSpacing(4)
        for n, action in enumerate(members):
            button = PaletteButton(action.label.get(self.lang), action.key)
            button.clicked.connect(lambda _=False, aid=action.id: self.action_chosen.emit(aid))
            grid.addWidget(button, n // COLUMNS, n % COLUMNS)
            self.buttons[action.id] = button
        for c in range(COLUMNS):
            grid.setColumnStretch(c, 1)
        column.addWidget(group)
        self.groups[key] = group
        self.members[key] = [a.id for a in members]

    def matches(self) -> list[Action]:
        return find(self._labelled, self.find_box.text())

    def _on_find_changed(self, text: str) -> None:
        hits = {a.id for a in self.matches()}
        for aid, button in self.buttons.items():
            button.setVisible(not text.strip() or aid in hits)
        for key, group in self.groups.items():
            group.setVisible(not text.strip() or any(a in hits for a in self.members[key]))
        if not text.strip():
            self.find_hint.setText("")
            self.find_hint.hide()
        else:
            best = self.matches()
            self.find_hint.setText(self.tr("Enter logs: {}").format(best[0].label.get(self.lang))
                                   if best else self.tr("No action matches “{}”").format(text.strip()))
            self.find_hint.show()

    def _on_find_entered(self) -> None:
        best = self.matches()
        if best:
            self.find_box.clear()
            self.action_chosen.emit(best[0].id)
