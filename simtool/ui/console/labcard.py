"""The console's lab card (issue 18, item 5): "Send labs" logs the sample like any action, and
the card lists each result with the time its sample was drawn and the time it came back, and
the samples still on their way. The results themselves come from the drill engine."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout

from simtool.core.labs import results_line
from simtool.ui.display import mmss
from simtool.ui.session import DrillSession

SEND_LABS = "send_labs"


class LabCard(QGroupBox):
    """Results as the laboratory reports them, newest first."""

    send_requested = Signal()

    def __init__(self, session: DrillSession, lang: str = "en") -> None:
        super().__init__()
        self.session = session
        self.lang = lang
        self.setTitle(self.tr("Laboratory"))
        self.send_button = QPushButton(self.tr("Send labs"))
        self.send_button.setToolTip(self.tr("Log a blood sample sent for the full panel; the "
                                            "results come back after the scenario's turnaround time"))
        self.send_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.send_button.clicked.connect(self.send_requested)
        self.pending = QLabel()
        self.pending.setWordWrap(True)
        self.pending.setStyleSheet("color: #546e7a;")
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.results.setMinimumHeight(24)   # the console fits a 768-px screen
        # one row until there is something to read: the button and what is awaited (or that
        # nothing is); the results list shows once a result is back
        self.empty = QLabel(self.tr("No results yet"))
        self.empty.setStyleSheet("color: #546e7a;")
        row = QHBoxLayout()
        row.addWidget(self.send_button)
        row.addWidget(self.pending, 1)
        row.addWidget(self.empty, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(row)
        layout.addWidget(self.results, 1)
        self.refresh()

    def refresh(self) -> None:
        drill = self.session.drill
        self.send_button.setEnabled(not drill.ended and drill.catalogue.get(SEND_LABS) is not None)
        self.results.clear()
        for e in reversed(drill.lab_results()):
            drawn = e.value("drawn")
            head = self.tr("{back} (sample of {drawn})").format(
                back=mmss(e.t), drawn=mmss(drawn if drawn is not None else e.t))
            self.results.addItem(f"{head}: {results_line(e.values or (), self.lang)}")
        waiting = drill.pending_samples()
        self.pending.setText("; ".join(self.tr("sample of {drawn}, due {due}").format(
            drawn=mmss(drawn), due=mmss(due)) for drawn, due, _a in waiting))
        self.pending.setVisible(bool(waiting))
        self.empty.setVisible(not drill.lab_results() and not waiting)
        self.results.setVisible(bool(drill.lab_results()))
