"""The scenario library: every file of the scenarios folder with its validation status.

Status comes from ``simtool.core.validate.validate_file``, the function behind ``simtool validate``,
so the window and the command line can never disagree about whether a file is valid.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit, QPushButton, QSplitter, QStackedWidget,
    QStyledItemDelegate, QStyleOptionViewItem, QTextBrowser, QTreeWidget, QTreeWidgetItem,
    QVBoxLayout, QWidget,
)

from simtool.core.errors import Problem
from simtool.ui.details import catalogue_html, scenario_html
from simtool.ui.display import BAD, GOOD, NEUTRAL, Tone, badge_style
from simtool.ui.runform import RunForm

if TYPE_CHECKING:
    from simtool.core.catalogue import Catalogue
    from simtool.core.scenario import LoadedScenario


@dataclass(frozen=True)
class LibraryEntry:
    """One file of the scenarios folder, as far as it could be read."""

    path: Path
    kind: str                         # "scenario", "catalogue", "other" or "pending" (not read yet)
    problems: tuple[Problem, ...]
    titles: Mapping[str, str] = field(default_factory=dict)  # raw, so a broken file has a name
    version: str | None = None
    loaded: LoadedScenario | None = None
    catalogue: Catalogue | None = None

    @property
    def valid(self) -> bool:
        return not self.problems

    def title(self, lang: str) -> str:
        # the same fallback as core's Text.get: zh_TW -> zh_CN -> en
        order = {"zh_TW": ("zh_TW", "zh_CN", "en"), "zh_CN": ("zh_CN", "en")}.get(lang, ("en",))
        if self.loaded is not None:
            return self.loaded.scenario.title.get(lang)
        for code in order:
            if self.titles.get(code):
                return self.titles[code]
        return self.path.name


def read_entry(path: Path, catalogues: Mapping[Path, Catalogue] | None = None) -> LibraryEntry:
    """Classify and validate one file; never raises for a bad file.

    ``catalogues`` are catalogues already loaded from this folder: a valid scenario reuses its
    own instead of parsing the catalogue a second time after validation."""
    # loaded here, not at import: the window shows before the validators (pydantic) are built
    from simtool.core.catalogue import load_catalogue
    from simtool.core.errors import ScenarioError
    from simtool.core.scenario import load_scenario
    from simtool.core.validate import validate_file
    from simtool.core.yamlsrc import load_yaml

    src, _ = load_yaml(path)
    data = src.data if src is not None and isinstance(src.data, dict) else {}
    if "states" in data:
        kind = "scenario"
    elif "actions" in data and "duration_s" not in data:
        kind = "catalogue"
    else:
        kind = "other"
    raw_title = data.get("title")
    titles = {k: v for k, v in raw_title.items() if isinstance(v, str)} \
        if isinstance(raw_title, dict) else {}
    version = data.get("version")
    version = str(version) if version is not None else None
    problems = tuple(validate_file(path))
    loaded = catalogue = None
    if not problems:
        try:
            if kind == "scenario":
                name = data.get("catalogue", "actions.yaml")
                known = (catalogues or {}).get(path.parent / name) if isinstance(name, str) else None
                loaded = load_scenario(path, catalogue=known)
            elif kind == "catalogue":
                catalogue = load_catalogue(path)
        except ScenarioError as exc:  # validate_file said valid; keep the GUI honest anyway
            problems = tuple(exc.problems)
    return LibraryEntry(path, kind, problems, titles, version, loaded, catalogue)


def scan(folder: Path) -> list[LibraryEntry]:
    """The folder's YAML files (not its subfolders: scripts/ holds drill scripts), scenarios
    first, then the catalogue, then anything else."""
    if not folder.is_dir():
        return []
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml"))
    # catalogues first, so that the scenarios after them can reuse what was loaded
    entries = [read_entry(p) for p in files if _kind_hint(p) == "catalogue"]
    catalogues = {e.path: e.catalogue for e in entries if e.catalogue is not None}
    entries += [read_entry(p, catalogues) for p in files if _kind_hint(p) != "catalogue"]
    order = {"scenario": 0, "catalogue": 1, "other": 2}
    return sorted(entries, key=lambda e: (order[e.kind], e.path.name))


def scan_in_steps(folder: Path) -> Iterator[list[LibraryEntry] | None]:
    """``scan``, one file at a time: None after each file, then the entries (in ``scan``'s
    order). An unreadable folder raises, as ``scan`` does."""
    if not folder.is_dir():
        yield []
        return
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml"))
    entries: list[LibraryEntry] = []
    for p in files:
        if _kind_hint(p) == "catalogue":
            entries.append(read_entry(p))
            yield None
    catalogues = {e.path: e.catalogue for e in entries if e.catalogue is not None}
    for p in files:
        if _kind_hint(p) != "catalogue":
            entries.append(read_entry(p, catalogues))
            yield None
    order = {"scenario": 0, "catalogue": 1, "other": 2}
    yield sorted(entries, key=lambda e: (order[e.kind], e.path.name))


def _files(folder: Path) -> list[Path]:
    """The folder's YAML files as they will be read (no content read: a listing to show while
    they are checked)."""
    if not folder.is_dir():
        return []
    try:
        return sorted((p for p in folder.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml")),
                      key=lambda p: (_kind_hint(p) == "catalogue", p.name))
    except OSError:
        return []


def _kind_hint(path: Path) -> str:
    # only decides the reading order; read_entry classifies each file from its content
    return "catalogue" if path.stem == "actions" else "other"


class _WrappingDelegate(QStyledItemDelegate):
    """Row height for titles wrapped to the column's width (QTreeView alone keeps one line)."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self._tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        base = super().sizeHint(option, index)
        width = self._tree.header().sectionSize(index.column()) - 12
        text = str(index.data() or "")
        if width <= 0 or not text:
            return base
        bound = option.fontMetrics.boundingRect(QRect(0, 0, width, 100_000),
                                                int(Qt.TextFlag.TextWordWrap), text)
        return QSize(base.width(), max(base.height(), bound.height() + 6))


class LibraryView(QWidget):
    """List of files on the left; what the selected one is, or what is wrong with it, right."""

    run_requested = Signal(object)  # RunRequest, from the run form
    checked = Signal()              # every file has been read and validated (entries are final)

    COL_TITLE, COL_VERSION, COL_STATUS = range(3)
    POLL_MS = 0      # one file per turn of the event loop

    def __init__(self, folder: Path, parent: QWidget | None = None, *,
                 check_in_background: bool = False,
                 entries: list[LibraryEntry] | None = None) -> None:
        """``check_in_background``: list the files at once and validate them in a worker
        thread, so that the window shows before the validators are even loaded (start-up);
        ``entries``: a scan of ``folder`` already made (the same page in another language)."""
        super().__init__(parent)
        self._folder = Path(folder)
        self._lang = "en"
        self.entries: list[LibraryEntry] = []
        self._generation = 0
        self._pending: Future[list[LibraryEntry]] | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(self.POLL_MS)
        self._poll.timeout.connect(self._step)
        self._steps: Iterator[list[LibraryEntry] | None] = iter(())

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Scenario"), self.tr("Version"), self.tr("Status")])
        self.tree.setRootIsDecorated(False)
        # long titles wrap instead of being cut: the title is how an instructor finds a drill
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setItemDelegateForColumn(self.COL_TITLE, _WrappingDelegate(self.tree))
        header = self.tree.header()
        header.setSectionResizeMode(self.COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.COL_VERSION, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COL_STATUS, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        # row heights of wrapped titles depend on the column width: lay out again on resize
        header.sectionResized.connect(lambda *_: self.tree.doItemsLayout())
        self.tree.currentItemChanged.connect(self._on_current_changed)
        self.summary = QLabel()
        self.reload_button = QPushButton(self.tr("Reload"))
        self.reload_button.setToolTip(self.tr("Read and check every file again (F5)"))
        self.reload_button.clicked.connect(self.reload)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.heading)
        left_layout.addWidget(self.tree, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.reload_button)
        left_layout.addLayout(bottom)

        # right: one page per kind of selection
        self.pages = QStackedWidget()
        self.empty = QLabel(self.tr("Select a scenario to see what it teaches and to run it."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #607d8b;")
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        self.run_form = RunForm()
        self.run_form.run_requested.connect(self.run_requested)
        details_page = QSplitter(Qt.Orientation.Vertical)
        details_page.addWidget(self.details)
        details_page.addWidget(self.run_form)
        details_page.setStretchFactor(0, 1)
        details_page.setChildrenCollapsible(False)
        self.problem_badge = QLabel()
        self.problem_badge.setStyleSheet(badge_style(BAD))
        self.problem_intro = QLabel()
        self.problem_intro.setWordWrap(True)
        self.problem_text = QPlainTextEdit()
        self.problem_text.setReadOnly(True)
        self.problem_text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.problem_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        problems_page = QWidget()
        pl = QVBoxLayout(problems_page)
        pl.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.problem_badge)
        row.addStretch(1)
        pl.addLayout(row)
        pl.addWidget(self.problem_intro)
        pl.addWidget(self.problem_text, 1)
        self.pages.addWidget(self.empty)
        self.pages.addWidget(details_page)
        self.pages.addWidget(problems_page)
        self._details_page, self._problems_page = details_page, problems_page

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([460, 800])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        if entries is not None:
            self.entries = list(entries)
            self._set_heading()
            self._fill_tree(None)
        elif check_in_background:
            self.check_in_background()
        else:
            self.reload()

    # --- public -------------------------------------------------------------------------------
    @property
    def folder(self) -> Path:
        return self._folder

    def set_folder(self, folder: Path) -> None:
        self._folder = Path(folder)
        self.reload()

    def set_language(self, lang: str) -> None:
        self._lang = lang
        self.run_form.set_language(lang)
        self._fill_tree(self.current_path())

    def current_entry(self) -> LibraryEntry | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        return self.entries[item.data(self.COL_TITLE, Qt.ItemDataRole.UserRole)]

    def current_path(self) -> Path | None:
        entry = self.current_entry()
        return entry.path if entry is not None else None

    def select_path(self, path: Path) -> bool:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if self.entries[item.data(self.COL_TITLE, Qt.ItemDataRole.UserRole)].path == Path(path):
                self.tree.setCurrentItem(item)
                return True
        return False

    @property
    def checking(self) -> bool:
        """True while the files are being validated in the background."""
        return self._pending is not None

    def reload(self) -> None:
        """Read and validate every file again, keeping the selection where possible."""
        keep = self.current_path()
        self._cancel_check()
        self.entries = scan(self._folder)
        self._set_heading()
        self._fill_tree(keep)
        self.checked.emit()

    def check_in_background(self) -> None:
        """List the folder's files at once ("Checking…") and validate them one file per turn
        of the event loop once the list has been painted; the list fills in when all are
        done. On the window's own thread, not a worker: a Python thread's garbage collection
        can delete Qt objects off the GUI thread and deadlock Qt against the interpreter."""
        keep = self.current_path()
        self._cancel_check()
        future: Future[list[LibraryEntry]] = Future()
        self._pending = future
        self._steps = scan_in_steps(self._folder)
        self.entries = [LibraryEntry(p, "pending", ()) for p in _files(self._folder)]
        self._set_heading()
        self._fill_tree(keep)
        # the first file loads the validators (most of a second): after the list is on screen
        self.tree.viewport().installEventFilter(self)
        QTimer.singleShot(self.START_LATEST_MS, self, self._start_steps)

    START_LATEST_MS = 400   # a list never painted (hidden) is checked anyway

    def eventFilter(self, watched: object, event: object) -> bool:  # noqa: N802 - Qt's name
        from PySide6.QtCore import QEvent
        if watched is self.tree.viewport() and isinstance(event, QEvent) \
                and event.type() == QEvent.Type.Paint and self._pending is not None:
            QTimer.singleShot(0, self, self._start_steps)
        return False

    def _start_steps(self) -> None:
        if self._pending is not None and not self._poll.isActive():
            self.tree.viewport().removeEventFilter(self)
            self._poll.start()

    def _step(self) -> None:
        """One file of the check; the result shown after the last."""
        future = self._pending
        if future is None or future.done():
            self._collect()
            return
        try:
            result = next(self._steps)
        except StopIteration:
            result = []
        except Exception as exc:  # noqa: BLE001 - an unreadable folder: _collect says it
            future.set_exception(exc)
            self._collect()
            return
        if result is not None:
            future.set_result(result)
            self._collect()

    def finish_check(self, timeout_s: float = 60.0) -> None:
        """Check what is left now and show the result (a window driven by a script or a
        test that reads the list at once)."""
        while self._pending is not None:
            self._step()

    def _cancel_check(self) -> None:
        # a result that arrives later is for a folder or a moment no longer shown: dropped
        self._pending = None
        self._poll.stop()

    def _collect(self) -> None:
        future = self._pending
        if future is None or not future.done():
            return
        self._cancel_check()
        keep = self.current_path()
        try:
            self.entries = future.result()
        except Exception as exc:  # noqa: BLE001 - an unreadable folder: said, not raised
            self.entries = []
            self._fill_tree(keep)
            self.summary.setText(self.tr("The folder could not be read: {error}").format(
                error=str(exc) or type(exc).__name__))
            self.checked.emit()
            return
        self._fill_tree(keep)
        self.checked.emit()

    def _set_heading(self) -> None:
        self.heading.setText(self.tr("<b>Scenarios</b> in {folder}").format(folder=self._folder))

    # --- filling ------------------------------------------------------------------------------
    def _fill_tree(self, select: Path | None) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        bold = QFont()
        bold.setBold(True)
        for index, entry in enumerate(self.entries):
            item = QTreeWidgetItem()
            if entry.kind == "catalogue":
                title = self.tr("Action catalogue ({file})").format(file=entry.path.name)
            elif entry.kind in ("other", "pending"):
                title = entry.path.name
            else:
                title = entry.title(self._lang)
            item.setText(self.COL_TITLE, title)
            item.setToolTip(self.COL_TITLE, f"{title}\n{entry.path}")
            item.setData(self.COL_TITLE, Qt.ItemDataRole.UserRole, index)
            item.setText(self.COL_VERSION, entry.version or "—")
            status, tone = self._status(entry)
            item.setText(self.COL_STATUS, status)
            item.setForeground(self.COL_STATUS, tone.fg_color)
            item.setBackground(self.COL_STATUS, tone.bg_color)
            item.setFont(self.COL_STATUS, bold)
            self.tree.addTopLevelItem(item)
        self.tree.blockSignals(False)
        valid = sum(e.valid for e in self.entries)
        if self.checking:
            self.summary.setText(self.tr("Checking {n} files…").format(n=len(self.entries)))
        elif not self._folder.is_dir():
            self.summary.setText(self.tr("Folder not found."))
        elif not self.entries:
            self.summary.setText(self.tr("No scenario files (*.yaml) in this folder."))
        else:
            self.summary.setText(self.tr("{valid} of {n} files valid").format(
                valid=valid, n=len(self.entries)))
        if not (select is not None and self.select_path(select)) and self.entries:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self._show(self.current_entry())

    def _status(self, entry: LibraryEntry) -> tuple[str, Tone]:
        if entry.kind == "pending":
            return self.tr("checking…"), NEUTRAL
        if entry.problems:
            return "✗ " + self._problem_count(len(entry.problems)), BAD
        if entry.kind == "catalogue" and entry.catalogue is not None:
            return "✓ " + self.tr("valid · {n} actions").format(n=len(entry.catalogue.actions)), GOOD
        if entry.kind == "other":
            return self.tr("not a scenario"), NEUTRAL
        return "✓ " + self.tr("valid"), GOOD

    def _problem_count(self, n: int) -> str:
        return self.tr("1 problem") if n == 1 else self.tr("{n} problems").format(n=n)

    def _on_current_changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        self._show(self.current_entry() if current is not None else None)

    def _show(self, entry: LibraryEntry | None) -> None:
        self.empty.setText(self.tr("Select a scenario to see what it teaches and to run it."))
        if entry is None:
            self.pages.setCurrentWidget(self.empty)
        elif entry.kind == "pending":
            self.empty.setText(self.tr("Checking {file}…").format(file=entry.path.name))
            self.pages.setCurrentWidget(self.empty)
        elif entry.problems:
            n = len(entry.problems)
            self.problem_badge.setText(self.tr("{count} in {file}").format(
                count=self._problem_count(n), file=entry.path.name))
            what = {"scenario": self.tr("This scenario cannot be run until they are fixed."),
                    "catalogue": self.tr("Every scenario that uses this catalogue is invalid "
                                         "until they are fixed.")}.get(entry.kind, "")
            self.problem_intro.setText(
                what + " " + self.tr("Each line reads FILE:LINE: field: message, exactly as "
                                     "“simtool validate” prints it. Fix the file, then press "
                                     "Reload."))
            self.problem_text.setPlainText("\n".join(str(p) for p in entry.problems))
            self.pages.setCurrentWidget(self._problems_page)
        elif entry.loaded is not None:
            self.details.setHtml(scenario_html(entry.loaded, self._lang))
            self.run_form.show()
            self.run_form.set_scenario(entry.loaded, self._folder / "scripts", self._lang)
            self.pages.setCurrentWidget(self._details_page)
        elif entry.catalogue is not None:
            self.details.setHtml(catalogue_html(entry.catalogue, entry.path, self._lang))
            self.run_form.hide()
            self.pages.setCurrentWidget(self._details_page)
        else:
            self.pages.setCurrentWidget(self.empty)
