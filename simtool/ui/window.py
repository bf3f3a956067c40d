"""The main window: the scenario library and, after a run, its results.

The language combo sets both the interface language (Qt translators, stored in QSettings)
and the language of the scenario texts. The switch is live: the toolbar and menu are
retranslated, the library and results pages are rebuilt, and so is every page of the live
flow (``LiveFlow.set_language``): archive, dashboard, portfolio, debrief, end of drill, and the
pages of a drill in progress — setup, prebrief, console, scoring — which carry over whatever
was entered. The patient monitor retranslates itself; the running drill is not touched.

A run is played here with ``simtool.core.runner`` — the same two calls as ``simtool run
--json`` — so a result seen in the window is the result the command line gives.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QHBoxLayout, QLabel, QMainWindow, QStackedWidget, QToolBar, QWidget,
)

from simtool.core.errors import FileProblemsError, SimtoolError
from simtool.ui.display import LANGUAGES
from simtool.ui.library import LibraryView
from simtool.ui.live import LiveFlow
from simtool.ui.results import ResultsView, RunRecord
from simtool.ui.runform import RunRequest
from simtool.ui.translations import install_translator, save_language, saved_language

SAMPLE_S = 5.0  # the CLI's default --sample, so the chart matches `simtool run --json`


PREFERRED = QSize(1280, 800)
FRAME = QSize(16, 40)   # room for the window's frame and title bar


def default_size(available: QSize | None) -> QSize:
    """1280×800, or less on a smaller screen: a county hospital's 1366×768 laptop (its
    taskbar leaves about 728 px) gets a window that fits whole, title bar included."""
    if available is None or available.isEmpty():
        return QSize(PREFERRED)
    return QSize(min(PREFERRED.width(), available.width() - FRAME.width()),
                 min(PREFERRED.height(), available.height() - FRAME.height()))


class MainWindow(QMainWindow):
    language_changed = Signal(str)
    first_painted = Signal()   # once: the window is on the screen (start-up's work can follow)

    def __init__(self, scenarios_dir: Path, parent: QWidget | None = None,
                 archive_path: Path | None = None, lang: str | None = None,
                 check_library_in_background: bool = False) -> None:
        """``lang`` (en, zh_CN, zh_TW) defaults to the saved setting, else the system's;
        ``check_library_in_background``: show at once and validate the scenario files
        once the list has painted, one file per turn of the event loop (start-up), instead of
        before the window is built."""
        super().__init__(parent)
        self.setWindowTitle("simtool")
        screen = self.screen() or QGuiApplication.primaryScreen()
        self.resize(default_size(screen.availableGeometry().size() if screen else None))
        self.lang = lang or saved_language()
        self._install(self.lang)

        self.library = LibraryView(scenarios_dir, check_in_background=check_library_in_background)
        self.results = ResultsView()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.library)
        self.stack.addWidget(self.results)
        self.setCentralWidget(self.stack)
        self.library.run_requested.connect(self._on_run_requested)
        self.results.back_requested.connect(self.show_library)
        self.live = LiveFlow(self.stack, archive_path, self)
        self.live.finished.connect(self.show_library)
        self.live.lang = self.lang

        self.drill_action = QAction(self)
        self.drill_action.setShortcut(QKeySequence("Ctrl+N"))
        self.drill_action.triggered.connect(self.start_live_drill)
        self.archive_action = QAction(self)
        self.archive_action.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.archive_action.triggered.connect(self.show_archive)
        self.quality_action = QAction(self)
        self.quality_action.triggered.connect(self.show_quality)
        self.pdca_action = QAction(self)
        self.pdca_action.triggered.connect(self.show_pdca)
        self.portfolio_action = QAction(self)
        self.portfolio_action.triggered.connect(self.show_portfolio)
        self.progress_action = QAction(self)
        self.progress_action.triggered.connect(self.show_progress)
        self.stations_action = QAction(self)
        self.stations_action.triggered.connect(self.show_stations)
        self.exam_action = QAction(self)
        self.exam_action.triggered.connect(self.show_exam)
        self.cases_action = QAction(self)
        self.cases_action.triggered.connect(self.show_cases)
        self.library_action = QAction(self)
        self.library_action.triggered.connect(self.show_library)

        self.reload_action = QAction(self)
        self.reload_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Refresh),
                                         QKeySequence("Ctrl+R")])
        self.reload_action.triggered.connect(self._on_reload)
        self.open_action = QAction(self)
        self.open_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Open))
        self.open_action.triggered.connect(self._on_open_folder)
        self.quit_action = quit_action = QAction(self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        self.file_menu = menu = self.menuBar().addMenu("")
        menu.addAction(self.open_action)
        menu.addAction(self.reload_action)
        menu.addSeparator()
        menu.addAction(quit_action)

        self.language = QComboBox()
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(self.lang)))
        self.language.currentIndexChanged.connect(self._on_language_changed)
        self.toolbar = toolbar = QToolBar()
        toolbar.setMovable(False)
        toolbar.addAction(self.library_action)
        toolbar.addAction(self.drill_action)
        toolbar.addAction(self.archive_action)
        toolbar.addAction(self.quality_action)
        toolbar.addAction(self.pdca_action)
        toolbar.addAction(self.portfolio_action)
        toolbar.addAction(self.progress_action)
        toolbar.addAction(self.stations_action)
        toolbar.addAction(self.exam_action)
        toolbar.addAction(self.cases_action)
        toolbar.addSeparator()
        toolbar.addAction(self.open_action)
        toolbar.addAction(self.reload_action)
        # the language at the menu bar's right end, where a narrow window (the console beside
        # the monitor on a laptop) never pushes it into the toolbar's "»" menu
        self.language_label = QLabel()
        self.language_corner = corner = QWidget()   # kept: PySide would drop it otherwise
        corner_row = QHBoxLayout(corner)
        corner_row.setContentsMargins(0, 0, 4, 0)
        corner_row.addWidget(self.language_label)
        corner_row.addWidget(self.language)
        self.menuBar().setCornerWidget(corner, Qt.Corner.TopRightCorner)
        self.addToolBar(toolbar)
        self._retranslate()
        self.library.set_language(self.lang)
        self.show_library()

    def _retranslate(self) -> None:
        """Every text of the window itself, in the current interface language."""
        self.drill_action.setText(self.tr("Start live drill…"))
        self.drill_action.setToolTip(self.tr("Set up the team and run the selected scenario live, "
                                             "with the patient monitor and the archive"))
        self.archive_action.setText(self.tr("Archive"))
        self.archive_action.setToolTip(
            self.tr("Every recorded drill: open its debrief, resume an interrupted one"))
        self.quality_action.setText(self.tr("Quality"))
        self.quality_action.setToolTip(self.tr("Department indicators by quarter, against their targets"))
        self.pdca_action.setText(self.tr("PDCA"))
        self.pdca_action.setToolTip(self.tr("The quarter's quality cycle: indicators, safety threats, "
                                            "corrective actions and the decision"))
        self.portfolio_action.setText(self.tr("Portfolio"))
        self.portfolio_action.setToolTip(self.tr("One trainee's drills, times and scores over time"))
        self.progress_action.setText(self.tr("Progress"))
        self.progress_action.setToolTip(self.tr("One trainee against a training programme: "
                                                "requirements done and missing, cleared to work"))
        self.stations_action.setText(self.tr("Stations"))
        self.stations_action.setToolTip(self.tr("Skills stations: score a candidate at a timed station"))
        self.exam_action.setText(self.tr("Exam day"))
        self.exam_action.setToolTip(self.tr("OSCE exam day: schedule, join code, master clock, "
                                            "start, close and release"))
        self.cases_action.setText(self.tr("Real case…"))
        self.cases_action.setToolTip(self.tr("Enter a real case's timeline after the event: judged "
                                             "by the same indicators, reported beside the drills"))
        self.library_action.setText(self.tr("Library"))
        self.reload_action.setText(self.tr("Reload"))
        self.reload_action.setToolTip(self.tr("Read and check every scenario file again"))
        self.open_action.setText(self.tr("Open scenarios folder…"))
        self.quit_action.setText(self.tr("Quit"))
        self.file_menu.setTitle(self.tr("&File"))
        self.toolbar.setWindowTitle(self.tr("Main"))
        self.language_label.setText(self.tr("Language:") + " ")
        self.language.setToolTip(self.tr("Language of the interface and of the scenario texts"))

    # --- navigation ---------------------------------------------------------------------------
    def show_library(self) -> None:
        self.stack.setCurrentWidget(self.library)
        self.statusBar().clearMessage()

    def start_live_drill(self) -> QWidget | None:
        """Set up a live drill of the selected scenario (a valid one) — or, while a drill is
        under way, show its console again: one drill at a time, and never out of reach."""
        running = self.live.running_console()
        if running is not None:
            self.statusBar().showMessage(self.tr(
                "A drill is under way: its console is shown again. End it before starting "
                "another."))
            return running
        entry = self.library.current_entry()
        if entry is None or entry.loaded is None:
            self.statusBar().showMessage(self.tr("Select a valid scenario first."))
            return None
        return self.live.begin(entry.loaded, self.lang)

    def show_archive(self) -> QWidget:
        return self.live.show_archive()

    def show_quality(self) -> QWidget:
        return self.live.show_dashboard()

    def show_portfolio(self) -> QWidget:
        return self.live.show_portfolio()

    def show_pdca(self) -> QWidget:
        """The quarter's PDCA page (simtool.ui.pdca), rebuilt on a language switch."""
        from simtool.ui.pdca import PdcaView
        live = self.live
        kept = live._again(PdcaView)   # left with a decision's note typed
        if kept is not None:
            return kept

        def make(old: QWidget | None = None) -> QWidget:
            if isinstance(old, PdcaView):
                return PdcaView(live.archive, live.lang, quarter=old.current_quarter(),
                                department=old.current_department())
            return PdcaView(live.archive, live.lang)
        return live._show(make(), make)

    def show_progress(self) -> QWidget:
        """A trainee's progress against a training programme (rebuilt on a language switch)."""
        from simtool.ui.progress import TraineeProgress
        live = self.live

        def make(old: QWidget | None = None) -> QWidget:
            view = TraineeProgress(live.archive, live.lang)
            if isinstance(old, TraineeProgress):
                view.take_over(old)
            return view
        return live._show(make(), make)

    def show_stations(self) -> QWidget:
        """The skills stations: score a candidate at a timed station (simtool.ui.station)."""
        from simtool.ui.station import StationsView
        live = self.live
        kept = live._again(StationsView)   # left with a sitting under way
        if kept is not None:
            return kept

        def make(old: QWidget | None = None) -> QWidget:
            return StationsView(live.archive, live.lang)
        return live._show(make(), make)

    def show_exam(self) -> QWidget:
        """The OSCE exam day: schedule, join code, master clock (simtool.ui.exam)."""
        from simtool.ui.exam import ExamView
        live = self.live
        kept = live._again(ExamView)   # left with its exam's clock running
        if kept is not None:
            return kept

        def make(old: QWidget | None = None) -> QWidget:
            chosen = old.exam.currentData() if isinstance(old, ExamView) else None
            return ExamView(live.archive, live.lang, exam_id=chosen)
        return live._show(make(), make)

    def show_cases(self) -> QWidget:
        """A real case's timeline entered after the event (simtool.ui.cases)."""
        from simtool.ui.cases import RealCaseView
        live = self.live
        kept = live._again(RealCaseView)   # left with a timeline typed
        if kept is not None:
            return kept

        def make(old: QWidget | None = None) -> QWidget:
            view = RealCaseView(live.archive, live.lang)
            if isinstance(old, RealCaseView):
                view.take_over(old)   # a language switch keeps what was typed
            return view
        return live._show(make(), make)

    def paintEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if not getattr(self, "_painted", False):
            self._painted = True
            self.first_painted.emit()

    def closeEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        self.live.close()
        super().closeEvent(event)  # type: ignore[arg-type]

    def set_language(self, lang: str) -> None:
        index = self.language.findData(lang)
        if index < 0:
            raise ValueError(f"unknown language '{lang}'")
        self.language.setCurrentIndex(index)

    def _install(self, lang: str) -> None:
        app = QCoreApplication.instance()
        if app is not None:
            install_translator(app, lang)

    def _on_language_changed(self, index: int) -> None:
        self.lang = self.language.itemData(index)
        save_language(self.lang)
        self._install(self.lang)
        self._retranslate()
        self._rebuild_pages()
        self.live.set_language(self.lang)
        self.language_changed.emit(self.lang)

    def _rebuild_pages(self) -> None:
        """New library and results pages in the new language, on the same folder, selection
        and run: their texts are set once when they are built."""
        showing = self.stack.currentWidget()
        keep = self.library.current_path()
        # the files as already checked (a language is no reason to read them again)
        library = LibraryView(self.library.folder, check_in_background=self.library.checking,
                              entries=None if self.library.checking else self.library.entries)
        library.set_language(self.lang)
        if keep is not None:
            library.select_path(keep)
        library.run_requested.connect(self._on_run_requested)
        results = ResultsView()
        results.back_requested.connect(self.show_library)
        if self.results.run is not None:
            results.show_run(self.results.run, self.lang)
        for old, new in ((self.library, library), (self.results, results)):
            index = self.stack.indexOf(old)
            self.stack.insertWidget(index, new)
            self.stack.removeWidget(old)
            old.deleteLater()
        was_results = showing is self.results
        self.library, self.results = library, results
        if showing is not None and self.stack.indexOf(showing) >= 0:
            self.stack.setCurrentWidget(showing)
        else:
            self.stack.setCurrentWidget(results if was_results else library)

    def _on_reload(self) -> None:
        self.library.reload()
        self.show_library()

    def _on_open_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Open a scenarios folder"),
                                                  str(self.library.folder))
        if folder:
            self.library.set_folder(Path(folder))
            self.show_library()

    # --- running ------------------------------------------------------------------------------
    def run(self, request: RunRequest) -> RunRecord | None:
        """Play the request to the end of its script and show the results.

        Runs on the GUI thread: a 60-minute drill plays in about a tenth of a second, far
        less than a worker thread's hand-over would be worth. A problem the core reports as a
        SimtoolError goes beside the run form; anything else reaches the exception hook."""
        from simtool.core.runner import result, run_script  # the engine: loaded at the first run
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            drill, samples = run_script(request.loaded, request.script, request.patient, SAMPLE_S)
            data = result(drill, samples)
        except FileProblemsError as exc:
            self.library.run_form.show_problems([str(p) for p in exc.problems])
            return None
        except SimtoolError as exc:
            self.library.run_form.show_problems([str(exc)])
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        record = RunRecord(request, data)
        self.results.show_run(record, self.lang)
        self.stack.setCurrentWidget(self.results)
        self.statusBar().showMessage(self.tr("Played {minutes} min of drill time.").format(
            minutes=f"{data['outcome']['t'] / 60:g}"))
        return record

    def _on_run_requested(self, request: RunRequest) -> None:
        self.run(request)
