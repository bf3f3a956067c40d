"""Starting the window, and the one channel through which errors reach the user.

Every uncaught exception — in a slot, in a paint event, anywhere on the GUI thread — arrives
at ``sys.excepthook``; we route it to ``show_exception`` so the user reads a sentence in a
message box and the application keeps running, instead of Qt aborting the process.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from simtool import __version__
from simtool.core.errors import FileProblemsError, SimtoolError
from simtool.core.paths import scenarios_dir as bundled_scenarios_dir
from simtool.ui.fonts import register_fonts
from simtool.ui.translations import install_translator, saved_language
from simtool.ui.window import MainWindow

# the bare name with a literal context is what pyside6-lupdate extracts (a helper taking
# a variable text would hide every string from it)
translate = QCoreApplication.translate

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def show_exception(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """Tell the user what went wrong, in words; the traceback only under "Show Details"."""
    box = QMessageBox(parent)
    box.setWindowTitle("simtool")
    box.setIcon(QMessageBox.Icon.Critical)
    if isinstance(exc, FileProblemsError):
        box.setText(translate("app", "A file has problems, so this could not be done:"))
        box.setInformativeText("\n".join(str(p) for p in exc.problems))
    elif isinstance(exc, SimtoolError):
        box.setText(str(exc))
    elif isinstance(exc, OSError):
        box.setText(translate("app", "Could not read or write {file}: {reason}").format(
            file=exc.filename or translate("app", "a file"), reason=exc.strerror or str(exc)))
    else:
        # a bug in simtool, not a mistake of the user: say so, and keep the details for a report
        box.setText(translate("app", "Something went wrong inside simtool, and the last action did not "
                        "finish. Your files are unchanged; you can carry on."))
        box.setInformativeText(f"{type(exc).__name__}: {exc}")
        box.setDetailedText("".join(traceback.format_exception(type(exc), exc,
                                                               exc.__traceback__)))
    box.exec()
    return box


def _make_excepthook(app: QApplication) -> ExceptHook:
    showing = False

    def hook(etype: type[BaseException], value: BaseException,
             tb: TracebackType | None) -> None:
        nonlocal showing
        if issubclass(etype, KeyboardInterrupt):
            app.quit()
            return
        # also on stderr, for whoever started simtool from a terminal
        traceback.print_exception(etype, value, tb)
        if showing:  # an error while the box is open: one box at a time is enough
            return
        showing = True
        try:
            show_exception(QApplication.activeWindow(), value)
        except Exception:  # noqa: BLE001 - the error channel itself must never raise
            sys.__excepthook__(etype, value, tb)
        finally:
            showing = False

    return hook


RESUME_OFFER_LATEST_MS = 3000


def build_window(scenarios_dir: str | Path | None = None,
                 archive_path: str | Path | None = None) -> MainWindow:
    """The main window on ``scenarios_dir`` (default: the bundled scenarios) and the archive
    at ``archive_path`` (default: ``$SIMTOOL_ARCHIVE`` or the user's data folder)."""
    folder = Path(scenarios_dir) if scenarios_dir else bundled_scenarios_dir()
    register_fonts()  # Chinese must render even where the system has no CJK font
    # the scenario files are checked once the window has painted, one per turn of its event
    # loop (issue 23: start-up ≤1.0 s); the list says "checking…" until they are
    return MainWindow(folder, archive_path=Path(archive_path) if archive_path else None,
                      check_library_in_background=True)


def run_app(scenarios_dir: str | None = None, archive_path: str | None = None,
            quit_after: float | None = None) -> int:
    """Open the window and run until it closes (or ``quit_after`` seconds after it opened: a
    smoke test of an installed or packaged simtool); return the process exit code."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("simtool")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("simtool")
    previous = sys.excepthook
    sys.excepthook = _make_excepthook(app)
    # the saved language before anything can fail: a problem at start-up (an archive from a
    # newer simtool, an unreadable folder) is told in the user's language too
    install_translator(app, saved_language())
    from simtool.store.outputs import clean_stale_outputs
    clean_stale_outputs()  # temp files of an export cut off by a crash; never raises
    try:
        try:
            window = build_window(scenarios_dir, archive_path)
        except Exception as exc:  # noqa: BLE001 - reported in the one error channel
            show_exception(None, exc)
            return 1
        window.show()
        # a drill cut off by a crash is offered first, once the window has painted: opening
        # the archive to look takes most of a second that the window need not wait for
        from PySide6.QtCore import QTimer
        offered = False

        def offer_resume() -> None:
            nonlocal offered
            if not offered:
                offered = True
                window.live.offer_resume(window)

        window.first_painted.connect(lambda: QTimer.singleShot(0, window, offer_resume))
        QTimer.singleShot(RESUME_OFFER_LATEST_MS, window, offer_resume)  # a window never painted
        if quit_after is not None:
            QTimer.singleShot(round(quit_after * 1000), app.quit)
        return int(app.exec())
    finally:
        sys.excepthook = previous
