"""The live list of expected actions: pending, due (with the time left), met, late, missed.

The statuses come from ``simtool.core.assess``; this widget only words and colours them.
"""

from __future__ import annotations

from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from simtool.core.assess import ExpectedStatus, all_expected
from simtool.core.drill import Drill
from simtool.ui.display import WARN, mmss, status_text, status_tone

LABEL, STATUS, TIME = range(3)


class ExpectedList(QTreeWidget):
    def __init__(self, drill: Drill, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.drill = drill
        self.setColumnCount(3)
        self.setHeaderLabels([self.tr("Expected action"), self.tr("Status"), self.tr("Time")])
        self.setRootIsDecorated(False)
        self.setWordWrap(True)  # long labels wrap rather than vanish behind an ellipsis
        header = self.header()
        header.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(STATUS, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TIME, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.items: dict[str, QTreeWidgetItem] = {}
        for ex in drill.scenario.expected:
            item = QTreeWidgetItem([ex.label.get(lang), "", ""])
            item.setToolTip(LABEL, ex.label.get(lang))
            self.addTopLevelItem(item)
            self.items[ex.id] = item
        self.statuses: dict[str, ExpectedStatus] = {}
        self.refresh()

    def refresh(self) -> None:
        now = self.drill.t
        for st in all_expected(self.drill):
            self.statuses[st.id] = st
            item = self.items[st.id]
            tone = WARN if st.status == "due" else status_tone(st.status)
            item.setText(STATUS, status_text(st.status))
            item.setForeground(STATUS, QBrush(tone.fg_color))
            item.setBackground(STATUS, QBrush(tone.bg_color))
            if st.status == "due" and st.due is not None:
                item.setText(TIME, self.tr("{} left").format(mmss(max(0.0, st.due - now))))
            elif st.t is not None:
                item.setText(TIME, self.tr("done at {}").format(mmss(st.t)))
            elif st.status == "missed" and st.due is not None:
                item.setText(TIME, self.tr("by {}").format(mmss(st.due)))
            else:
                item.setText(TIME, "")

    def status_of(self, expected_id: str) -> str:
        return self.statuses[expected_id].status

    def time_of(self, expected_id: str) -> str:
        return self.items[expected_id].text(TIME)
