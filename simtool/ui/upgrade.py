"""A progress dialog for a long archive upgrade (``Archive.open``'s ``on_progress``: format 10
computes the indicator results of every drill an earlier simtool left to the first report).

The upgrade runs on the GUI thread in one transaction (all or nothing), so the dialog has no
Cancel button; it appears only if the upgrade lasts (``minimumDuration``), and closes itself
when the step is done."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget


class UpgradeProgress:
    """``on_progress`` for ``Archive.open``: a modal progress dialog over ``parent``."""

    def __init__(self, parent: QWidget | None = None, minimum_ms: int = 500) -> None:
        self.parent = parent
        self.minimum_ms = minimum_ms
        self.dialog: QProgressDialog | None = None

    def __call__(self, step: str, done: int, total: int) -> None:
        if total <= 0:
            return
        if self.dialog is None:
            dialog = QProgressDialog(self.parent)
            dialog.setWindowTitle("simtool")
            dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
            dialog.setCancelButton(None)   # one transaction: it cannot stop halfway
            dialog.setAutoClose(True)
            dialog.setMinimumDuration(self.minimum_ms)
            self.dialog = dialog
        self.dialog.setLabelText(self._label(step, total))
        self.dialog.setMaximum(total)
        self.dialog.setValue(done)
        QApplication.processEvents()   # repaint: the upgrade holds the GUI thread

    @staticmethod
    def _label(step: str, total: int) -> str:
        if step == "indicators":
            return QCoreApplication.translate(
                "upgrade", "Upgrading the archive: computing the indicator results of {n} "
                           "drills, once. Please wait…").format(n=f"{total:,}")
        if step == "indicator groups":
            return QCoreApplication.translate(
                "upgrade", "Upgrading the archive: summing the indicator results of {n} "
                           "scenario months, once. Please wait…").format(n=f"{total:,}")
        return QCoreApplication.translate("upgrade", "Upgrading the archive. Please wait…")

    def close(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
