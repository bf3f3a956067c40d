"""A non-technical-skills block on the scoring panel, laid out like the published form: its
categories, each with its elements and a rating box (the block's scale, "not observed" where
the instrument allows it, or not rated yet), and its overall rating (TEAM's global 1–10).

The widget only collects ratings; the panel scores them with the core (which checks every
value) and keeps them in the examiner's draft.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from simtool.core.ntsblock import NOT_OBSERVED, LoadedBlock

Rating = int | str   # a scale value, or NOT_OBSERVED


class BlockRatings(QWidget):
    """The rating boxes of one block; ``changed(block_id, ratings)`` after each choice."""

    changed = Signal(str, dict)

    def __init__(self, loaded: LoadedBlock, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        b = self.block = loaded.block
        self.boxes: dict[str, QComboBox] = {}
        grid = QGridLayout()
        grid.setColumnMinimumWidth(0, 12)
        grid.setColumnMinimumWidth(1, 340)
        grid.setColumnStretch(3, 1)   # the boxes stay beside their labels, the rest is margin
        row = 0
        bold = QFont(self.font())
        bold.setBold(True)
        for category in b.categories:
            heading = QLabel(category.label.get(lang))
            heading.setFont(bold)
            grid.addWidget(heading, row, 0, 1, 3)
            row += 1
            for el in category.elements:
                label = QLabel(el.label.get(lang))
                label.setWordWrap(True)
                box = QComboBox()
                box.addItem(self.tr("— not rated —"), None)
                for point in sorted(b.scale.points, key=lambda p: -p.value):
                    box.addItem(f"{point.value} · {point.label.get(lang)}", point.value)
                if b.scale.not_observed:
                    box.addItem(self.tr("not observed"), NOT_OBSERVED)
                box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
                box.currentIndexChanged.connect(lambda _i: self._emit())
                grid.addWidget(label, row, 1)
                grid.addWidget(box, row, 2)
                self.boxes[el.id] = box
                row += 1
        if b.overall is not None:
            o = b.overall
            label = QLabel(o.label.get(lang))
            label.setFont(bold)
            label.setWordWrap(True)
            box = QComboBox()
            box.addItem(self.tr("— not rated —"), None)
            for v in range(o.max, o.min - 1, -1):
                box.addItem(str(v), v)
            box.currentIndexChanged.connect(lambda _i: self._emit())
            grid.addWidget(label, row, 0, 1, 2)
            grid.addWidget(box, row, 2)
            self.boxes[o.id] = box
            row += 1
        body = QWidget()
        body.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def ratings(self) -> dict[str, Rating]:
        """What is rated so far (element or overall id -> value)."""
        return {k: box.currentData() for k, box in self.boxes.items() if box.currentData() is not None}

    def set_ratings(self, ratings: Mapping[str, Rating], notify: bool = False) -> None:
        """Show ``ratings`` (a draft read back, or another language's panel taken over)."""
        for key, box in self.boxes.items():
            box.blockSignals(True)
            box.setCurrentIndex(max(0, box.findData(ratings.get(key))))
            box.blockSignals(False)
        if notify:
            self._emit()

    def rate(self, key: str, value: Rating) -> None:
        """Rate as if chosen in the box (tests, and the paper-marking path)."""
        box = self.boxes[key]
        box.setCurrentIndex(box.findData(value))

    def set_read_only(self, read_only: bool) -> None:
        for box in self.boxes.values():
            box.setEnabled(not read_only)

    def _emit(self) -> None:
        self.changed.emit(self.block.id, self.ratings())
