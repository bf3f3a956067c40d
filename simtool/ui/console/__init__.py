"""Drill setup, prebrief and the instructor console (issue 5, items 1–3)."""

from simtool.ui.console.console import ConsoleView
from simtool.ui.console.dosedialog import DoseDialog
from simtool.ui.console.prebrief import PrebriefView
from simtool.ui.console.setupform import SetupForm, SetupResult

__all__ = ["ConsoleView", "DoseDialog", "PrebriefView", "SetupForm", "SetupResult"]
