"""The live drill in the main window: setup → prebrief → console (+ patient monitor on a
second screen) → end of drill → scoring, debrief; and the archive browser with resumption.

``LiveFlow`` only moves between pages and hands plain data from one to the next; every
change to a drill goes through ``DrillSession`` and every record through the archive.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QStackedWidget, QWidget

from simtool.ui.display import wall

# what a drill, the archive and their pages need is imported when first used, not when the
# window starts (issue 19: start-up within 5x a bare Qt window): the archive (SQLite), the
# engine and its state machines, the console, the scoring and PDF code
if TYPE_CHECKING:
    from simtool.app.people import Known
    from simtool.core.rubric import LoadedRubric
    from simtool.core.scenario import LoadedScenario
    from simtool.store import Archive
    from simtool.ui.archiveviews import ArchiveBrowser, DebriefView, EndOfDrillView, ScoringPanel
    from simtool.ui.console import ConsoleView, PrebriefView, SetupForm, SetupResult
    from simtool.ui.session import DrillSession


def _loaded(module: str, name: str) -> type | tuple[()]:
    """The class ``name`` of ``module`` if that module is loaded, else ``()`` (which nothing
    is an instance of): no page of a module never imported can be open."""
    found = getattr(sys.modules.get(module), name, None)
    return found if isinstance(found, type) else ()


def rubric_for(loaded: LoadedScenario, folder: Path | None = None) -> LoadedRubric | None:
    """The scenario's technical rubric if one is bundled (``<scenario id>_technical.yaml``)."""
    from simtool.core.rubric import load_rubric, rubrics_dir
    folder = folder or rubrics_dir()
    path = folder / f"{loaded.scenario.id}_technical.yaml"
    return load_rubric(path, loaded) if path.is_file() else None


class LiveFlow(QObject):
    """Pages of a live drill inside ``stack``; ``finished`` when the user goes back."""

    finished = Signal()

    def __init__(self, stack: QStackedWidget, archive_path: Path | None = None,
                 parent: QObject | None = None) -> None:
        from simtool.store.location import default_archive
        super().__init__(parent)
        self.stack = stack
        self.archive_path = Path(archive_path) if archive_path else default_archive()
        self._archive: Archive | None = None
        self.lang = "en"
        self.loaded: LoadedScenario | None = None
        self.rubric: LoadedRubric | None = None
        self.setup_result: SetupResult | None = None
        self.session: DrillSession | None = None
        self.console: ConsoleView | None = None
        self.monitor: QWidget | None = None
        self.monitor_spot = None   # where the monitor went on one screen (a Placement)
        self.pages: list[QWidget] = []
        # how to build each archive page again in another language (keyed by id(page))
        self._rebuilders: dict[int, Callable[[QWidget | None], QWidget]] = {}
        # a page left is taken out of the stack and deleted (``_prune``), whichever way it was
        # left (a page of the flow, the library, the results); not while pages are swapped
        self._holding = False
        stack.currentChanged.connect(lambda _i: self._prune())

    # --- the archive ----------------------------------------------------------------------
    @property
    def archive(self) -> Archive:
        if self._archive is None:
            from simtool.store import Archive
            from simtool.ui.upgrade import UpgradeProgress
            self.archive_path.parent.mkdir(parents=True, exist_ok=True)
            progress = UpgradeProgress(self.stack.window())   # an upgrade may take seconds
            try:
                self._archive = Archive.open(self.archive_path, on_progress=progress)
            finally:
                progress.close()
        return self._archive

    def close(self) -> None:
        if self.session is not None:
            self.session.stop_clock()
        if self.monitor is not None:
            self.monitor.close()
        # (no debrief page can be open if its module was never loaded)
        debrief = sys.modules.get("simtool.ui.archiveviews.debrief")
        for page in self.pages:   # debrief notes typed a moment ago, before the archive closes
            if debrief is not None and isinstance(page, debrief.DebriefView):
                page.save_notes()
        if self._archive is not None:
            self._archive.close()
            self._archive = None

    def _show(self, page: QWidget, rebuild: Callable[[QWidget | None], QWidget] | None = None) -> QWidget:
        self.stack.addWidget(page)
        self.pages.append(page)
        if rebuild is not None:
            self._rebuilders[id(page)] = rebuild
        self.stack.setCurrentWidget(page)   # the page left keeps what it holds, then goes
        return page

    def _again(self, kind: type, same: Callable[[QWidget], bool] | None = None) -> QWidget | None:
        """The page of ``kind`` kept when it was left (it held work: ``_needed``) shown
        again, rather than a new one beside it; None when there is none."""
        page = next((p for p in reversed(self.pages)
                     if isinstance(p, kind) and (same is None or same(p))), None)
        if page is not None:
            self.stack.setCurrentWidget(page)
        return page

    def _prune(self) -> None:
        """Take every page no longer shown out of the stack and delete it — a stack is as tall
        as its tallest page, so pages kept hidden held the window taller than a laptop's
        screen — except a page still needed (``_needed``). A page saves what it holds when it
        is hidden (the debrief's notes, the scoring drafts); ``_needed`` makes sure of it."""
        if self._holding:
            return
        self._holding = True
        try:
            current = self.stack.currentWidget()
            for page in list(self.pages):
                if page is current or self._needed(page, current):
                    continue
                self.pages.remove(page)
                self._rebuilders.pop(id(page), None)
                self.stack.removeWidget(page)
                if page is self.console:
                    self.console = None
                page.deleteLater()
        finally:
            self._holding = False

    def _needed(self, page: QWidget, current: QWidget | None) -> bool:
        """Whether ``page``, no longer shown, must stay: a drill under way, work a worker
        thread will hand back to it, or what was typed in it and is not kept anywhere else
        (those pages are shown again when asked for: ``_again``)."""
        console = _loaded("simtool.ui.console", "ConsoleView")
        setup = _loaded("simtool.ui.console", "SetupForm")
        prebrief = _loaded("simtool.ui.console", "PrebriefView")
        debrief = _loaded("simtool.ui.archiveviews", "DebriefView")
        scoring = _loaded("simtool.ui.archiveviews", "ScoringPanel")
        if isinstance(page, console):
            # the drill's clock and monitor run on; its camera's recording is attached to
            # the drill once the drill has ended and the recorder has closed the file
            camera = page.camera
            return (not page.session.drill.ended or camera.recorder is not None
                    or bool(camera.pending))
        if isinstance(page, setup):   # the prebrief goes back to it; names typed in it
            return isinstance(current, prebrief) or page.has_entries()
        # an export, a video being attached: the worker hands its result back to the page
        if any(getattr(w, "busy", None) is True for w in (page, *page.findChildren(QObject))):
            return True
        in_use = getattr(page, "in_use", None)   # a station's or an exam's clock running
        if callable(in_use) and in_use():
            return True
        if isinstance(page, debrief):
            page.save_notes()    # as on hiding; a note the archive refused stays in its box
            threat = page.threats
            if page.unsaved_notes() or threat.found.toPlainText().strip() or \
                    threat.root_cause.toPlainText().strip():
                return True
        panels = page.findChildren(scoring) if scoring else []   # a station's too
        for panel in ([page] if isinstance(page, scoring) else []) + panels:
            panel.save_drafts()  # as on hiding; marks wait for an examiner to be chosen
            if panel._dirty:
                return True
        cases = _loaded("simtool.ui.cases", "RealCaseView")
        if isinstance(page, cases):   # a timeline typed and not kept as a case
            return any(v for row in page.rows() for v in row.values()) or \
                any(w.text().strip() for w in (page.site, page.department, page.case_ref))
        pdca = _loaded("simtool.ui.pdca", "PdcaView")
        if isinstance(page, pdca):    # a decision's note typed and not recorded
            return bool(page.note.toPlainText().strip())
        return False

    def set_language(self, lang: str) -> None:
        """Show the open pages in ``lang``: every page is built again in the new language (the
        same drill; the current page stays current). Pages that hold input carry it over —
        the setup form its entries, the console of a running drill its chosen role, half-typed
        note and open dose dialog, a scoring panel its marks, a debrief its notes (saved in the
        archive first) — and the running drill itself is untouched. The patient monitor
        retranslates itself on Qt's LanguageChange."""
        self.lang = lang
        current = self.stack.currentWidget()
        self._holding = True     # a page swapped out is not a page left
        try:
            for i, page in enumerate(list(self.pages)):
                make = self._rebuilders.pop(id(page), None)
                index = self.stack.indexOf(page)
                if make is None or index < 0:
                    continue
                new = make(page)
                self._rebuilders[id(new)] = make
                self.stack.insertWidget(index, new)
                self.stack.removeWidget(page)
                self.pages[i] = new
                if page is current:
                    self.stack.setCurrentWidget(new)
                page.deleteLater()
        finally:
            self._holding = False

    # --- a new drill ------------------------------------------------------------------------
    def running_console(self) -> QWidget | None:
        """The console of a drill still under way, shown again (an instructor who looked at
        the archive mid-drill gets back to it); None when no drill runs."""
        console = self.console
        if console is None or console.session.drill.ended or console not in self.pages:
            return None
        self.stack.setCurrentWidget(console)
        return console

    def begin(self, loaded: LoadedScenario, lang: str = "en") -> SetupForm:
        from simtool.ui.console import PrebriefView, SetupForm
        self._drop((PrebriefView,))
        self.setup_result = None
        # the setup of this scenario left with names typed in it: shown again as it was left
        kept = self._again(SetupForm, lambda p: p.loaded.scenario.id == loaded.scenario.id)
        if kept is not None:
            self.loaded, self.lang = kept.loaded, lang   # type: ignore[attr-defined]
            self.rubric = rubric_for(self.loaded)
            return kept  # type: ignore[return-value]
        self._drop((SetupForm,))   # another scenario's: this one replaces it
        self.loaded, self.lang = loaded, lang
        self.rubric = rubric_for(loaded)
        def make(old: QWidget | None = None) -> SetupForm:
            assert self.loaded is not None
            form = SetupForm(self.loaded, self.lang, people=self._known_people(),
                             examiners=self._known_examiners())
            form.setup_done.connect(self._on_setup_done)
            form.cancel_requested.connect(self.cancel_setup)
            if isinstance(old, SetupForm):
                form.take_over(old)
            return form
        return self._show(make(), make)  # type: ignore[return-value]

    def _known_people(self) -> list[Known]:
        """The people the archive knows, offered at setup (none when there is no archive yet)."""
        if not self.archive_path.exists():
            return []
        from simtool.app.people import known_people
        try:
            return known_people(self.archive)
        except Exception:  # noqa: BLE001 - an unreadable archive offers nobody; setup still works
            return []

    def _known_examiners(self) -> list[Known]:
        """The examiners the archive knows, offered at setup."""
        if not self.archive_path.exists():
            return []
        from simtool.app.people import known_examiners
        try:
            return known_examiners(self.archive)
        except Exception:  # noqa: BLE001 - an unreadable archive offers nobody; setup still works
            return []

    def _on_setup_done(self, setup: SetupResult) -> None:
        from simtool.ui.console import PrebriefView
        assert self.loaded is not None
        self.setup_result = setup
        def make(_old: QWidget | None = None) -> PrebriefView:
            assert self.loaded is not None
            prebrief = PrebriefView(self.loaded, self.lang, rubric=self.rubric,
                                    patient=setup.patient, evaluation_type=setup.evaluation_type)
            prebrief.start_requested.connect(self.start)
            prebrief.back_requested.connect(self.back_to_setup)
            prebrief.cancel_requested.connect(self.cancel_setup)
            return prebrief
        self._show(make(), make)

    def _drop(self, kinds: tuple[type, ...]) -> None:
        """Take the pages of these kinds out of the flow (nothing recorded is in them)."""
        self._holding = True
        try:
            for page in [p for p in self.pages if isinstance(p, kinds)]:
                self.pages.remove(page)
                self._rebuilders.pop(id(page), None)
                self.stack.removeWidget(page)
                page.deleteLater()
        finally:
            self._holding = False

    def back_to_setup(self) -> None:
        """From the prebrief back to the setup form, with what was entered in it."""
        from simtool.ui.console import PrebriefView, SetupForm
        self._drop((PrebriefView,))
        self.setup_result = None
        form = next((p for p in reversed(self.pages) if isinstance(p, SetupForm)), None)
        if form is not None:
            self.stack.setCurrentWidget(form)

    def cancel_setup(self) -> None:
        """Leave the setup or the prebrief: no drill was started, nothing is recorded."""
        from simtool.ui.console import PrebriefView, SetupForm
        self._drop((SetupForm, PrebriefView))
        self.setup_result = None
        self.finished.emit()

    def start(self) -> DrillSession:
        """Open the drill in the archive, show the console and the monitor, start the clock."""
        from simtool.ui.session import DrillSession
        assert self.loaded is not None and self.setup_result is not None
        s = self.setup_result
        session = DrillSession(self.loaded, s.patient, s.participants, self.archive,
                               evaluation_type=s.evaluation_type, trainees=dict(s.trainees),
                               examiners=s.examiners, site=s.site, department=s.department)
        self._run(session)
        return session

    def _run(self, session: DrillSession) -> None:
        from simtool.ui.console import ConsoleView, PrebriefView, SetupForm
        self.session = session

        def make(old: QWidget | None = None) -> ConsoleView:
            console = ConsoleView(session, self.lang)
            # connected after it is built: a console rebuilt on an ended drill says so at once
            console.drill_ended.connect(self._on_drill_ended)
            console.monitor_requested.connect(self.show_monitor)
            console.monitor_to_other_screen.connect(self.monitor_to_other_screen)
            console.set_screens(len(QGuiApplication.screens()))
            if self.monitor is not None:
                console.set_monitor_shown(self.monitor.isVisible())
            if isinstance(old, ConsoleView):
                console.take_over(old)
            if self.session is session:
                self.console = console
            return console
        self._show(make(), make)
        self._drop((SetupForm, PrebriefView))   # the setup is the drill's now
        self.monitor = self._open_monitor(session)
        session.start()

    def _open_monitor(self, session: DrillSession) -> QWidget | None:
        """The trainees' monitor: full-screen on a second screen when there is one, else a
        window beside or below the console, never over it (``monitor.placement``)."""
        try:
            from simtool.ui.monitor import PatientMonitor
        except ImportError:
            return None
        monitor = PatientMonitor(session)
        # the instructor keeps the keyboard: shortcuts must reach the console, not the monitor
        monitor.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        monitor.visibility_changed.connect(self._on_monitor_visibility)
        self.monitor = monitor
        if self._other_screen() is not None:
            self.monitor_to_other_screen()
        else:
            self._place_beside(monitor)
        return monitor

    def _console_window(self) -> QWidget:
        return self.stack.window()

    def _other_screen(self):  # -> QScreen | None
        """A screen the console is not on, if there is one."""
        here = self._console_window().screen() or QGuiApplication.primaryScreen()
        return next((s for s in QGuiApplication.screens() if s is not here and s != here), None)

    def _place_beside(self, monitor: QWidget) -> None:
        from simtool.ui.monitor.placement import place_beside
        window = self._console_window()
        screen = window.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            monitor.show()
            return
        a, f = screen.availableGeometry(), window.frameGeometry()
        spot = place_beside((a.x(), a.y(), a.width(), a.height()),
                            (f.x(), f.y(), f.width(), f.height()))
        if spot.console is not None and window.isVisible():
            extra_w = f.width() - window.width()
            extra_h = f.height() - window.height()
            x, y, w, h = spot.console
            window.move(x, y)
            window.resize(w - extra_w, h - extra_h)
        x, y, w, h = spot.monitor
        monitor.setScreen(screen)
        monitor.showNormal()
        # the spot is for the window's frame: its title bar and borders come off the size
        frame, inner = monitor.frameGeometry(), monitor.geometry()
        monitor.resize(w - (frame.width() - inner.width()), h - (frame.height() - inner.height()))
        monitor.move(x, y)
        if spot.behind:   # no room for both: the console stays in front
            monitor.lower()
            window.raise_()
            window.activateWindow()
        self.monitor_spot = spot

    def show_monitor(self, shown: bool) -> None:
        """Show or hide the monitor window (the console's "Monitor window" button)."""
        if self.monitor is None:
            return
        if not shown:
            self.monitor.hide()
        elif not self.monitor.isVisible():
            if self._other_screen() is not None:
                self.monitor_to_other_screen()
            else:
                self._place_beside(self.monitor)

    def monitor_to_other_screen(self) -> None:
        """Full-screen on a screen the console is not on (nothing to do with one screen)."""
        screen = self._other_screen()
        if self.monitor is None or screen is None:
            return
        self.monitor.show_on(screen, fullscreen=True)

    def _on_monitor_visibility(self, shown: bool) -> None:
        if self.console is not None:
            self.console.set_monitor_shown(shown)

    def _on_drill_ended(self) -> None:
        assert self.session is not None and self.session.drill_id is not None
        if self.monitor is not None:
            self.monitor.close()
            self.monitor = None
        self.show_end(self.session.drill_id)
        # the console goes once the end is stored (the drill says it ended only after telling)
        QTimer.singleShot(0, self, self._prune)

    def show_end(self, drill_id: str) -> EndOfDrillView:
        from simtool.ui.archiveviews import EndOfDrillView
        rubric = self.rubric

        def make(old: QWidget | None = None) -> EndOfDrillView:
            # scoring opens as a page of the flow, not in a window of its own
            view = EndOfDrillView(self.archive, drill_id, rubric, self.lang, scoring_in_window=False)
            view.debrief_requested.connect(self.show_debrief)
            view.score_requested.connect(self.show_scoring)
            if isinstance(old, EndOfDrillView):
                view.take_over(old)
            return view
        return self._show(make(), make)  # type: ignore[return-value]

    def show_scoring(self, drill_id: str) -> ScoringPanel | None:
        from simtool.ui.archiveviews import ScoringPanel
        if self.rubric is None:
            return None
        kept = self._again(ScoringPanel, lambda p: p.drill_id == drill_id)  # marks waiting
        if kept is not None:
            return kept  # type: ignore[return-value]
        rubric = self.rubric

        def make(old: QWidget | None = None) -> ScoringPanel:
            panel = ScoringPanel.from_archive(self.archive, drill_id, rubric, self.lang)
            if isinstance(old, ScoringPanel):
                panel.take_over(old)
            return panel
        return self._show(make(), make)  # type: ignore[return-value]

    def show_debrief(self, drill_id: str) -> DebriefView:
        from simtool.ui.archiveviews import DebriefView
        kept = self._again(DebriefView, lambda p: p.drill_id == drill_id)   # a threat typed
        if kept is not None:
            return kept  # type: ignore[return-value]

        def make(old: QWidget | None = None) -> DebriefView:
            if isinstance(old, DebriefView):
                old.save_notes()   # the new view reads the notes from the archive
            view = DebriefView(self.archive, drill_id, self.lang)
            if isinstance(old, DebriefView):
                view.take_over(old)   # a note the archive refused stays unsaved, in its box
            return view
        return self._show(make(), make)  # type: ignore[return-value]

    # --- the archive browser and resumption ---------------------------------------------------
    def _scenario_titles(self) -> dict[str, str]:
        """Titles of the bundled scenarios and skills stations in the current language, for
        lists of drills (a station's sittings are drills of its station scenario)."""
        from simtool.app.titles import scenario_titles
        return scenario_titles(self.lang)

    def show_archive(self) -> ArchiveBrowser:
        from simtool.ui.archiveviews import ArchiveBrowser
        def make(_old: QWidget | None = None) -> ArchiveBrowser:
            browser = ArchiveBrowser(self.archive, self._scenario_titles())
            browser.open_requested.connect(self.show_debrief)
            browser.resume_requested.connect(self.resume)
            return browser
        return self._show(make(), make)  # type: ignore[return-value]

    def show_dashboard(self) -> QWidget:
        from simtool.ui.dashboard import QualityDashboard

        def make(_old: QWidget | None = None) -> QWidget:
            view = QualityDashboard(self.archive, self.lang)
            view.open_drill.connect(self.show_debrief)
            return view
        return self._show(make(), make)

    def show_portfolio(self) -> QWidget:
        from simtool.ui.portfolio import TraineePortfolio

        def make(old: QWidget | None = None) -> QWidget:
            view = TraineePortfolio(self.archive, self.lang)
            view.open_drill.connect(self.show_debrief)
            if isinstance(old, TraineePortfolio) and old.data:  # the same trainee again
                view.show_trainee(old.data["trainee"]["id"])
            return view
        return self._show(make(), make)

    def offer_resume(self, parent: QWidget | None = None) -> str | None:
        """At start-up: if a drill was interrupted (a crash, a kill), ask to carry on with it."""
        if not self.archive_path.exists():
            return None
        # the archive's own list, not the archive views (their import is a third of a second)
        drills = self.archive.drills(status="interrupted")
        if not drills:
            return None
        d = drills[-1]
        people = ", ".join(f"{p.name} ({p.role})" for p in d.participants)
        answer = QMessageBox.question(
            parent, self.tr("Resume interrupted drill?"),
            self.tr("A drill of {scenario} started {started} ({people}) was interrupted. "
                    "Carry on with it?").format(scenario=d.scenario_id, started=wall(d.started_at, self.lang),
                                                  people=people or "-"))
        if answer != QMessageBox.StandardButton.Yes:
            return None
        self.resume(d.id)
        return d.id

    def resume(self, drill_id: str) -> DrillSession:
        """Rebuild the drill from its record (the archive checks it replays exactly)."""
        from simtool.core.paths import scenarios_dir
        from simtool.core.scenario import load_scenario
        from simtool.ui.session import DrillSession
        info = self.archive.drill(drill_id)
        current = load_scenario(scenarios_dir() / f"{info.scenario_id}.yaml")
        # the archive replays with the scenario text the drill was started with
        drill = self.archive.resume(drill_id, current, take_over=True)
        loaded = drill.loaded
        self.loaded = loaded
        self.rubric = rubric_for(loaded)
        session = DrillSession(loaded, info.patient, info.core_participants, self.archive,
                               drill=drill, drill_id=drill_id)
        self._run(session)
        return session
