"""The patient monitor window (issue 5, item 4): a bedside monitor for the trainees' screen."""

from simtool.ui.monitor.window import PatientMonitor

__all__ = ["PatientMonitor"]
