"""The examiner's scoring panel: one tab per trainee and one for the team.

Every number, status and verdict shown comes from ``simtool.core.scoring.score`` on the
rubric, the drill and the marks entered here; the panel only collects marks, overrides (the
core refuses one without a reason, and the dialog says so), the global rating and comments,
and signs a sheet into the archive.

Every mark is committed as it is entered, as the chosen examiner's draft
(``simtool.app.marking``): leaving the page, a crash or a killed process loses nothing, and
the panel opened again shows the examiner's marks. The examiner is one of the drill's
examiners (or one added here with a name and staff id); Sign shows the verdict and asks first,
and is refused, naming each one, while a rating the rubric requires is missing (the ANTS and
TEAM blocks included, rated on their own pages of the sheet).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QMessageBox, QPlainTextEdit, QPushButton, QTableWidget, QTabWidget, QVBoxLayout, QWidget,
)

from simtool.core.evidencetext import describe, names_for
from simtool.core.examiner import OVERRIDE_RESULTS, Override, SheetMarks
from simtool.core.ntsblock import NOT_OBSERVED as NOT_OBSERVED_MARK
from simtool.core.rubric import Graded, LoadedRubric, Observed
from simtool.core.scoresheet import TEAM_SHEET, ScoreResult, ScoringError
from simtool.core.scoring import DrillRecord, score
from simtool.reports.common import text_of
from simtool.reports.scoredata import verdict_reason
from simtool.app import marking
from simtool.store import Archive, Sheet
from simtool.ui.archiveviews.common import ArchivedDrill, cell, make_table, report_error
from simtool.ui.archiveviews.ratings import BlockRatings
from simtool.ui.display import BAD, GOOD, INFO, NEUTRAL, WARN, Tone, badge_style, wall

# the bare name with a literal context is what pyside6-lupdate extracts (a helper taking
# a variable text would hide every string from it)
translate = QCoreApplication.translate

# the evidence last: it takes the room left and wraps, so it is read whole
COL_ITEM, COL_STATUS, COL_POINTS, COL_MARK, COL_EVIDENCE = range(5)


def _status_tone(status: str) -> Tone:
    return {"met": GOOD, "late": WARN, "not met": BAD, "not observed": BAD,
            "pending-examiner": INFO}.get(status, NEUTRAL)


class OverrideDialog(QDialog):
    """Replace an auto-scored result; ``check(result, reason)`` returns why it cannot be kept
    (the core's answer), and the dialog stays open showing it."""

    def __init__(self, item_label: str, current: str, words: Callable[[str], str],
                 check: Callable[[str | None, str], str | None], parent: QWidget | None = None,
                 previous: tuple[str, str] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Override: {item}").format(item=item_label))
        self._check = check
        self.result_box = QComboBox()
        self.result_box.addItem(self.tr("Keep the automatic result ({status})").format(
            status=words(current)), None)
        for code in OVERRIDE_RESULTS:
            self.result_box.addItem(words(code), code)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText(self.tr("Why the record's result is wrong here "
                                                    "(required, kept with the sheet)"))
        self.reason_edit.setMinimumHeight(70)
        if previous is not None:
            self.result_box.setCurrentIndex(max(self.result_box.findData(previous[0]), 0))
            self.reason_edit.setPlainText(previous[1])
        elif self.result_box.count() > 1:
            self.result_box.setCurrentIndex(1)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(badge_style(BAD))
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Result"), self.result_box)
        form.addRow(self.tr("Reason"), self.reason_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(460, 260)

    def chosen(self) -> tuple[str | None, str]:
        return self.result_box.currentData(), self.reason_edit.toPlainText().strip()

    def accept(self) -> None:
        result, reason = self.chosen()
        # a required field, said here in the user's language; the core still decides the rest
        problem = self.tr("write the reason the record's result is wrong here") \
            if result is not None and not reason else self._check(result, reason)
        if problem is not None:
            self.error.setText(self.tr("This override cannot be kept: {why}").format(why=problem))
            self.error.setVisible(True)
            self.reason_edit.setFocus()
            return
        super().accept()


@dataclass
class _Marks:
    """What the examiner entered on one sheet so far."""

    items: dict[str, Any] = field(default_factory=dict)
    overrides: dict[str, Override] = field(default_factory=dict)
    global_grade: str | None = None
    comment: str = ""
    nts: dict[str, dict[str, Any]] = field(default_factory=dict)

    def sheet_marks(self, examiner: str | None) -> SheetMarks:
        return SheetMarks(examiner, dict(self.items), self.global_grade,
                          {k: dict(v) for k, v in self.nts.items() if v}, dict(self.overrides),
                          self.comment.strip() or None)

    def copy(self) -> "_Marks":
        return _Marks(dict(self.items), dict(self.overrides), self.global_grade, self.comment,
                      {k: dict(v) for k, v in self.nts.items()})

    @property
    def empty(self) -> bool:
        return not (self.items or self.overrides or self.global_grade or self.comment.strip()
                    or any(self.nts.values()))

    @classmethod
    def of(cls, marks: SheetMarks) -> "_Marks":
        return cls(dict(marks.items), {k: v if isinstance(v, Override) else Override(*v)
                                       for k, v in marks.overrides.items()},
                   marks.global_grade, marks.comment or "", {k: dict(v) for k, v in marks.nts.items()})


class _SheetTab(QWidget):
    """One sheet's widgets; the panel fills them."""

    def __init__(self, panel: "ScoringPanel", key: str) -> None:
        super().__init__()
        self.key = key
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        # the panel's context (panel.tr() here would be filed under "panel" by lupdate)
        self.table: QTableWidget = make_table([
            translate("ScoringPanel", "Item"), translate("ScoringPanel", "Status"),
            translate("ScoringPanel", "Points"), translate("ScoringPanel", "Mark or override"),
            translate("ScoringPanel", "Evidence")])
        from PySide6.QtWidgets import QHeaderView
        # the item and its evidence share the width and wrap: the evidence is read whole
        # ("late by 3 min 30 s: done at 26:00 by the midwife (event 7)"), never cut
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_ITEM, QHeaderView.ResizeMode.Interactive)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 14)
        self.row_of: dict[str, int] = {}
        self.mark_widgets: dict[str, QWidget] = {}
        self.grade = QComboBox()
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText(translate("ScoringPanel", "Comments for the trainee and the record"))
        self.comment.setMaximumHeight(80)
        # who signs is chosen once for the panel (the drill's examiners); shown here
        self.examiner = QLineEdit()
        self.examiner.setReadOnly(True)
        self.examiner.setPlaceholderText(translate("ScoringPanel", "Choose the examiner above"))
        self.sign_button = QPushButton(translate("ScoringPanel", "Sign…"))
        self.blocks: dict[str, BlockRatings] = {}
        self.pages = QTabWidget()   # the checklist, then each rating block on its own page
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.signed_label = QLabel()
        self.signed_label.setVisible(False)
        self.signed_label.setStyleSheet(badge_style(GOOD))
        self.sheet_id: str | None = None
        # a signed sheet is corrected by an amendment: a new signed version, with a reason
        self.amend_button = QPushButton(translate("ScoringPanel", "Amend…"))
        self.amend_button.setVisible(False)
        self.amending: tuple[str, str] | None = None   # (the signed sheet's id, why)
        form = QFormLayout()
        form.addRow(translate("ScoringPanel", "Global rating"), self.grade)
        form.addRow(translate("ScoringPanel", "Comments"), self.comment)
        sign_row = QHBoxLayout()
        sign_row.addWidget(QLabel(translate("ScoringPanel", "Examiner")))
        sign_row.addWidget(self.examiner, 1)
        sign_row.addWidget(self.sign_button)
        sign_row.addWidget(self.amend_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        self.pages.addTab(self.table, translate("ScoringPanel", "Checklist"))
        layout.addWidget(self.pages, 1)
        layout.addLayout(form)
        layout.addLayout(sign_row)
        layout.addWidget(self.message)
        layout.addWidget(self.signed_label)

    ITEM_SHARE = 0.34   # of the table's width, for the item's label (the evidence takes the rest)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self._fit_columns)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        QTimer.singleShot(0, self, self._fit_columns)

    def _fit_columns(self) -> None:
        """Once laid out: the item's share of the width, the evidence the rest, rows to fit."""
        from simtool.ui.tables import refit_headers
        width = max(180, int(self.table.viewport().width() * self.ITEM_SHARE))
        if self.table.columnWidth(COL_ITEM) != width:
            self.table.setColumnWidth(COL_ITEM, width)
        refit_headers(self.table)
        self.fit_rows()

    def fit_rows(self) -> None:
        """Each row as tall as its wrapped text (and no lower than a mark box)."""
        self.table.resizeRowsToContents()
        floor = self.table.verticalHeader().defaultSectionSize()
        for r in range(self.table.rowCount()):
            if self.table.rowHeight(r) < floor:
                self.table.setRowHeight(r, floor)

    @property
    def is_signed(self) -> bool:
        return self.sheet_id is not None

    def say(self, text: str, tone: Tone) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(badge_style(tone))
        self.message.setVisible(bool(text))


class ScoringPanel(QWidget):
    """Score ``drill`` on ``rubric``: a tab per trainee and one for the team.

    ``archive`` and ``drill_id`` are needed to sign (and show sheets already signed for this
    rubric read-only). ``refresh()`` re-scores; during a live drill call it on a timer.
    ``signed(sheet_id)`` after a sheet is stored and signed."""

    signed = Signal(str)
    rescored = Signal()

    def __init__(self, rubric: LoadedRubric, drill: DrillRecord, *, archive: Archive | None = None,
                 drill_id: str | None = None, evaluation_type: str | None = None,
                 lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rubric, self.drill, self.archive, self.drill_id = rubric, drill, archive, drill_id
        self.lang = lang
        self.names = names_for(rubric.scenario, lang, drill.participants)
        types = rubric.rubric.evaluation_types
        self.evaluation_type = evaluation_type if evaluation_type in types else None
        self.marks: dict[str, _Marks] = {}
        self.tabs_by_key: dict[str, _SheetTab] = {}
        self.result: ScoreResult | None = None
        self.tabs = QTabWidget()
        self.tabs.currentChanged.connect(lambda _i: self._show_draft_state())
        self.title = QLabel(text_of(rubric.rubric.title, lang))
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.refresh_button = QPushButton(self.tr("Re-score"))
        self.refresh_button.clicked.connect(self.refresh)
        # who is marking: one of the drill's examiners (their drafts are theirs)
        self.examiner_id: str | None = None
        self.examiner_box = QComboBox()
        self.examiner_box.setMinimumContentsLength(18)
        self.examiner_box.activated.connect(self._on_examiner_chosen)
        self.add_examiner_button = QPushButton(self.tr("Add examiner…"))
        self.add_examiner_button.clicked.connect(self._on_add_examiner)
        self.draft_label = QLabel()
        self.draft_label.setStyleSheet("color: #546e7a;")
        self._comment_timer = QTimer(self)
        self._comment_timer.setSingleShot(True)
        self._comment_timer.setInterval(800)
        self._comment_timer.timeout.connect(self.save_drafts)
        self._dirty: set[str] = set()
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(QLabel(self.tr("Examiner")))
        head.addWidget(self.examiner_box)
        head.addWidget(self.add_examiner_button)
        head.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.draft_label)
        layout.addWidget(self.tabs, 1)

        result = self._score()
        for sheet in result.sheets:
            self.marks[sheet.key] = _Marks()
            tab = _SheetTab(self, sheet.key)
            self._build_tab(tab, sheet.to_dict())
            self.tabs_by_key[sheet.key] = tab
            name = self.tr("Team") if sheet.key == TEAM_SHEET else (
                f"{sheet.participant_name} ({self.names.role(sheet.role or '')})")
            self.tabs.addTab(tab, name)
        self._show(result)
        self._load_signed()
        self._fill_examiners()
        first = self._default_examiner()
        if first is not None:
            self._choose(first)
        else:
            self._show_draft_state()

    @classmethod
    def from_archive(cls, archive: Archive, drill_id: str, rubric: LoadedRubric,
                     lang: str = "en", parent: QWidget | None = None) -> "ScoringPanel":
        """A panel on an archived drill, rebuilt from its record."""
        record = ArchivedDrill.load(archive, drill_id, lang)
        return cls(rubric, record.final, archive=archive, drill_id=drill_id,
                   evaluation_type=record.info.evaluation_type, lang=lang, parent=parent)

    def take_over(self, old: "ScoringPanel") -> None:
        """Carry on with what was entered on ``old`` (the same drill and rubric shown in another
        language): marks, overrides, ratings, comments, examiner names and the open tab."""
        for key, m in old.marks.items():
            tab, was = self.tabs_by_key.get(key), old.tabs_by_key.get(key)
            if tab is None or was is None or tab.is_signed:
                continue
            self.marks[key] = m.copy()
            for block_id, widget in tab.blocks.items():
                widget.set_ratings(m.nts.get(block_id, {}))
            for item_id, value in m.items.items():
                box = tab.mark_widgets.get(item_id)
                if isinstance(box, QComboBox):
                    box.blockSignals(True)
                    box.setCurrentIndex(max(0, box.findData(value)))
                    box.blockSignals(False)
            tab.grade.blockSignals(True)
            tab.grade.setCurrentIndex(max(0, tab.grade.findData(m.global_grade)))
            tab.grade.blockSignals(False)
            tab.comment.blockSignals(True)
            tab.comment.setPlainText(was.comment.toPlainText())
            tab.comment.blockSignals(False)
        if old.examiner_id is not None:
            i = self.examiner_box.findData(old.examiner_id)
            if i >= 0:
                self.examiner_box.setCurrentIndex(i)
            self.examiner_id = old.examiner_id
            self._show_draft_state()
        self.tabs.setCurrentIndex(old.tabs.currentIndex())
        self.refresh()

    # --- words --------------------------------------------------------------------------------
    def status_words(self, status: str) -> str:
        return {"met": self.tr("met"), "not met": self.tr("not met"), "late": self.tr("late"),
                "not applicable": self.tr("not applicable"),
                "not observed": self.tr("not observed"),
                "pending-examiner": self.tr("awaiting the examiner"),
                "pass": self.tr("pass"), "fail": self.tr("fail"),
                "pending": self.tr("pending")}.get(status, status)

    # --- scoring ------------------------------------------------------------------------------
    def _marks_for_score(self, changed: tuple[str, _Marks] | None = None) -> dict[str, SheetMarks]:
        out = {}
        for key, m in self.marks.items():
            if changed is not None and changed[0] == key:
                m = changed[1]
            out[key] = m.sheet_marks(self.examiner_id)
        return out

    def _score(self, marks: dict[str, SheetMarks] | None = None) -> ScoreResult:
        return score(self.rubric, self.drill, marks if marks is not None else self._marks_for_score(),
                     self.evaluation_type)

    def refresh(self) -> None:
        """Score again from the drill as it stands and the marks entered."""
        try:
            result = self._score()
        except ScoringError as exc:
            report_error(exc)
            return
        self._show(result)

    def _show(self, result: ScoreResult) -> None:
        self.result = result
        for sheet in result.sheets:
            tab = self.tabs_by_key[sheet.key]
            if not tab.is_signed:
                self._fill(tab, sheet.to_dict())
        self.rescored.emit()

    # --- building and filling a tab -----------------------------------------------------------
    def _build_tab(self, tab: _SheetTab, data: dict[str, Any]) -> None:
        items = {it.id: it for it in self.rubric.rubric.items}
        tab.table.setRowCount(len(data["items"]))
        for r, d in enumerate(data["items"]):
            tab.row_of[d["id"]] = r
            it = items.get(d["id"])
            label = text_of(d["label"], self.lang) + (" ★" if d["critical"] else "")
            tab.table.setItem(r, COL_ITEM, cell(label, data=d["id"]))
            widget: QWidget
            if isinstance(it, Observed):
                box = QComboBox()
                box.addItem(self.tr("— not marked —"), None)
                box.addItem(self.tr("done"), True)
                box.addItem(self.tr("not done"), False)
                box.addItem(self.tr("not observed"), NOT_OBSERVED_MARK)
                box.currentIndexChanged.connect(
                    lambda _i, k=tab.key, i=d["id"], b=box: self._on_mark_changed(k, i, b.currentData()))
                widget = box
            elif isinstance(it, Graded):
                box = QComboBox()
                box.addItem(self.tr("— not graded —"), None)
                for lv in it.levels:
                    box.addItem(f"{lv.value} · {lv.label.get(self.lang)}", lv.value)
                box.addItem(self.tr("not observed"), NOT_OBSERVED_MARK)
                box.currentIndexChanged.connect(
                    lambda _i, k=tab.key, i=d["id"], b=box: self._on_mark_changed(k, i, b.currentData()))
                widget = box
            else:
                button = QPushButton(self.tr("Override…"))
                button.clicked.connect(lambda _c=False, k=tab.key, i=d["id"]: self.open_override(k, i))
                widget = button
            if isinstance(widget, QComboBox):
                # as wide as a short mark; the list that opens shows each level whole, so the
                # item and its evidence keep the width
                widget.setSizeAdjustPolicy(
                    QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                widget.setMinimumContentsLength(14)
            tab.mark_widgets[d["id"]] = widget
            tab.table.setCellWidget(r, COL_MARK, widget)
        tab.table.resizeColumnToContents(COL_MARK)
        participant = next((p for p in self.drill.participants if p.id == tab.key), None)
        for use, lb in self.rubric.blocks:
            on_sheet = use.scope == "team" if participant is None else \
                use.scope == "trainee" and use.role in (None, participant.role)
            if not on_sheet:
                continue
            ratings = BlockRatings(lb, self.lang)
            ratings.changed.connect(lambda block, values, k=tab.key: self._on_block_rated(k, block, values))
            tab.blocks[lb.block.id] = ratings
            tab.pages.addTab(ratings, lb.block.title.get(self.lang))
        gr = self.rubric.rubric.global_rating
        tab.grade.addItem(self.tr("— no rating —"), None)
        if gr is not None:
            for g in gr.grades:
                tab.grade.addItem(f"{g.value} · {g.label.get(self.lang)}", g.id)
        else:
            tab.grade.setEnabled(False)
        tab.grade.currentIndexChanged.connect(
            lambda _i, k=tab.key: self._on_grade_changed(k, tab.grade.currentData()))
        tab.comment.textChanged.connect(lambda k=tab.key: self._on_comment_changed(k))
        tab.sign_button.clicked.connect(lambda _c=False, k=tab.key: self.sign_with_confirmation(k))
        tab.amend_button.clicked.connect(lambda _c=False, k=tab.key: self._on_amend_clicked(k))

    def _fill(self, tab: _SheetTab, data: dict[str, Any]) -> None:
        for d in data["items"]:
            r = tab.row_of.get(d["id"])
            if r is None:
                continue
            status = self.status_words(d["status"])
            ov = d.get("override")
            if ov:
                status = self.tr("{status} (overridden)").format(status=status)
            tab.table.setItem(r, COL_STATUS, cell(status, _status_tone(d["status"])))
            tab.table.setItem(r, COL_POINTS, cell(f"{d['points']:g} / {d['max_points']:g}"))
            text = describe(d.get("evidence") or {}, self.lang, self.names)
            if ov:
                text = self.tr("Overridden from {was}: {reason}").format(
                    was=self.status_words(ov["from_status"]), reason=ov["reason"]) + f" — {text}"
            tab.table.setItem(r, COL_EVIDENCE, cell(text))
            widget = tab.mark_widgets.get(d["id"])
            if isinstance(widget, QPushButton):
                widget.setText(self.tr("Change override…") if ov else self.tr("Override…"))
        tab.fit_rows()
        verdict = data["verdict"]
        pct = data.get("percentage")
        total = f"{data['points']:g} / {data['max_points']:g}" + ("" if pct is None else f" ({pct:g} %)")
        tab.verdict.setText(self.tr("{verdict} · {total} · cut score {cut} % — {reason}").format(
            verdict=self.status_words(verdict["result"]).upper(), total=total,
            cut=f"{data['cut_score']:g}",
            reason=verdict_reason(data, {i["id"]: text_of(i["label"], self.lang) for i in data["items"]},
                                  self.lang)))
        tone = {"pass": GOOD, "fail": BAD}.get(verdict["result"], INFO)
        tab.verdict.setStyleSheet(badge_style(tone))

    # --- examiner input -----------------------------------------------------------------------
    def _on_mark_changed(self, key: str, item_id: str, value: Any) -> None:
        if value is None:
            self.marks[key].items.pop(item_id, None)
        else:
            self.marks[key].items[item_id] = value
        self._changed(key)

    def _on_grade_changed(self, key: str, grade: str | None) -> None:
        self.marks[key].global_grade = grade
        self._changed(key)

    def _on_block_rated(self, key: str, block_id: str, values: dict[str, Any]) -> None:
        self.marks[key].nts[block_id] = dict(values)
        self._changed(key)

    def _on_comment_changed(self, key: str) -> None:
        self.marks[key].comment = self.tabs_by_key[key].comment.toPlainText()
        self._dirty.add(key)
        self._comment_timer.start()   # kept once typing pauses (and on leaving the page)

    def _changed(self, key: str) -> None:
        """A mark changed: score again and keep it in the examiner's draft at once."""
        self._dirty.add(key)
        self.refresh()
        self.save_drafts()

    def rate(self, key: str, block_id: str, element_id: str, value: Any) -> None:
        """Rate a block element (or its overall rating) as if chosen in its box."""
        self.tabs_by_key[key].blocks[block_id].rate(element_id, value)

    # --- drafts and examiners ----------------------------------------------------------------
    def _fill_examiners(self) -> None:
        self.examiner_box.blockSignals(True)
        self.examiner_box.clear()
        if self.archive is not None and self.drill_id is not None:
            for e in marking.examiners_of(self.archive, self.drill_id):
                label = f"{e.name} ({e.staff_id})" if e.staff_id else e.name
                self.examiner_box.addItem(label, e.id)
        self.examiner_box.setCurrentIndex(self.examiner_box.findData(self.examiner_id)
                                          if self.examiner_id is not None else -1)
        self.examiner_box.blockSignals(False)
        can = self.archive is not None and self.drill_id is not None
        self.examiner_box.setEnabled(can)
        self.add_examiner_button.setEnabled(can)

    def _default_examiner(self) -> str | None:
        """The examiner whose drafts of this drill are the latest, else the only examiner."""
        if self.archive is None or self.drill_id is None:
            return None
        mine = marking.drafts(self.archive, self.drill_id, self.rubric.rubric.id)
        if mine:
            return max(mine, key=lambda d: d.saved_at).examiner_id
        return self.examiner_box.itemData(0) if self.examiner_box.count() == 1 else None

    def _on_examiner_chosen(self, index: int) -> None:
        self._choose(self.examiner_box.itemData(index))

    def _choose(self, examiner_id: str | None) -> None:
        """Mark as ``examiner_id`` from now on: their drafts are shown; marks entered before
        any examiner was chosen are kept as theirs where they have none yet."""
        if examiner_id is None or examiner_id == self.examiner_id:
            return
        self.save_drafts()
        self.examiner_id = examiner_id
        i = self.examiner_box.findData(examiner_id)
        if i >= 0:
            self.examiner_box.setCurrentIndex(i)
        theirs = {d.subject: d for d in marking.drafts(self.archive, self.drill_id, self.rubric.rubric.id)
                  if d.examiner_id == examiner_id} if self.archive is not None else {}
        for key, tab in self.tabs_by_key.items():
            if tab.is_signed:
                continue
            if key in theirs:
                self._show_marks(key, _Marks.of(theirs[key].marks))
            elif not self.marks[key].empty:
                self._dirty.add(key)
        self.refresh()
        self.save_drafts()
        self._show_draft_state()

    def set_examiner(self, name: str, staff_id: str | None = None) -> str:
        """Choose the examiner by name (and staff id): one of the drill's, or a new one added
        to it. Returns their id."""
        assert self.archive is not None and self.drill_id is not None
        eid = marking.examiner_for(self.archive, self.drill_id, name, staff_id)
        self._fill_examiners()
        self._choose(eid)
        return eid

    def _on_add_examiner(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Add examiner"))
        name, staff = QLineEdit(), QLineEdit()
        error = QLabel()
        error.setWordWrap(True)
        error.setStyleSheet(badge_style(BAD))
        error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        form = QFormLayout(dialog)
        form.addRow(self.tr("Name"), name)
        form.addRow(self.tr("Staff ID"), staff)
        form.addRow(error)
        form.addRow(buttons)

        def accept() -> None:
            try:
                self.set_examiner(name.text(), staff.text() or None)
            except Exception as exc:  # noqa: BLE001 - the sentence is shown; nothing was written
                error.setText(str(exc))
                error.show()
                return
            dialog.accept()
        buttons.accepted.connect(accept)
        buttons.rejected.connect(dialog.reject)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        self.examiner_dialog = dialog

    def _show_marks(self, key: str, m: _Marks) -> None:
        tab = self.tabs_by_key[key]
        self.marks[key] = m
        for item_id, widget in tab.mark_widgets.items():
            if isinstance(widget, QComboBox):
                widget.blockSignals(True)
                widget.setCurrentIndex(max(0, widget.findData(m.items.get(item_id))))
                widget.blockSignals(False)
        for block_id, widget in tab.blocks.items():
            widget.set_ratings(m.nts.get(block_id, {}))
        tab.grade.blockSignals(True)
        tab.grade.setCurrentIndex(max(0, tab.grade.findData(m.global_grade)))
        tab.grade.blockSignals(False)
        tab.comment.blockSignals(True)
        tab.comment.setPlainText(m.comment)
        tab.comment.blockSignals(False)

    def save_drafts(self) -> None:
        """Keep every changed sheet's marks in the examiner's draft (once an examiner is
        chosen; before that they wait in the panel)."""
        self._comment_timer.stop()
        if self.archive is None or self.drill_id is None or self.examiner_id is None:
            self._show_draft_state()
            return
        for key in sorted(self._dirty):
            tab = self.tabs_by_key[key]
            if tab.is_signed:
                self._dirty.discard(key)
                continue
            try:
                marking.save_draft(self.archive, self.drill_id, self.rubric, self.drill, key,
                                   self.examiner_id, self.marks[key].sheet_marks(self.examiner_id),
                                   self.evaluation_type)
            except Exception as exc:  # noqa: BLE001 - said on the tab; the marks stay on screen
                tab.say(self.tr("Marks not kept: {reason}").format(reason=str(exc)), BAD)
                continue
            self._dirty.discard(key)
        self._show_draft_state()

    def _show_draft_state(self) -> None:
        name = self.examiner_box.currentText() if self.examiner_id is not None else ""
        for tab in self.tabs_by_key.values():
            if not tab.is_signed:
                tab.examiner.setText(name)
        shown = self.tabs.currentWidget()
        if isinstance(shown, _SheetTab) and shown.is_signed:
            self.draft_label.setText(self.tr("This sheet is signed: its marks are read-only "
                                             "(Amend… corrects them, with a reason)."))
        elif self.archive is None or self.drill_id is None:
            self.draft_label.setText(self.tr("Not in an archive: marks are not kept."))
        elif self.examiner_id is None:
            self.draft_label.setText(self.tr("Choose the examiner: marks are kept as their draft."))
        elif self._dirty:
            self.draft_label.setText(self.tr("Saving…"))
        else:
            self.draft_label.setText(self.tr("Every mark is kept as {who}'s draft.").format(who=name))

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        self.save_drafts()    # leaving the page keeps what was typed
        super().hideEvent(event)

    def set_mark(self, key: str, item_id: str, value: Any) -> None:
        """Mark an examiner item as if chosen in its box (True/False, a level, "not observed")."""
        box = self.tabs_by_key[key].mark_widgets[item_id]
        assert isinstance(box, QComboBox)
        box.setCurrentIndex(box.findData(value))

    def _check_override(self, key: str, item_id: str, result: str | None, reason: str) -> str | None:
        """None if the core accepts this override, else its reason for refusing."""
        m = self.marks[key]
        trial = _Marks(dict(m.items), dict(m.overrides), m.global_grade, m.comment)
        if result is None:
            trial.overrides.pop(item_id, None)
        else:
            trial.overrides[item_id] = Override(result, reason)
        try:
            self._score(self._marks_for_score((key, trial)))
        except ScoringError as exc:
            return str(exc)
        return None

    def open_override(self, key: str, item_id: str) -> OverrideDialog:
        """Open the override dialog for an auto-scored item (window-modal, not blocking)."""
        tab = self.tabs_by_key[key]
        r = tab.row_of[item_id]
        current = next(i.status for i in self.result.sheet(key).items if i.id == item_id) \
            if self.result else ""
        prev = self.marks[key].overrides.get(item_id)
        if prev is not None:  # show what the record said, not the override
            current = next((i.override.from_status for i in self.result.sheet(key).items
                            if i.id == item_id and i.override), current) if self.result else current
        dialog = OverrideDialog(tab.table.item(r, COL_ITEM).text(), current, self.status_words,
                                lambda res, why: self._check_override(key, item_id, res, why),
                                self, (prev.result, prev.reason) if prev else None)
        dialog.accepted.connect(lambda: self._apply_override(key, item_id, dialog.chosen()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        self.override_dialog = dialog
        return dialog

    def _apply_override(self, key: str, item_id: str, chosen: tuple[str | None, str]) -> None:
        result, reason = chosen
        if result is None:
            self.marks[key].overrides.pop(item_id, None)
        else:
            self.marks[key].overrides[item_id] = Override(result, reason)
        self._changed(key)

    # --- signing ------------------------------------------------------------------------------
    def missing(self, key: str) -> list[str]:
        """What the ``key`` sheet still needs before it can be signed, named in the panel's
        language (item, block element, overall and global rating labels)."""
        if self.result is None:
            return []
        items = {it.id: it.label.get(self.lang) for it in self.rubric.rubric.items}
        blocks = {lb.block.id: lb.block for _u, lb in self.rubric.blocks}
        out = []
        for m in marking.still_missing(self.rubric, self.result.sheet(key)):
            if m.kind == "item":
                out.append(items.get(m.id, m.id))
            elif m.kind == "global":
                out.append(self.tr("global rating"))
            else:
                b = blocks.get(m.block or "")
                if b is None:
                    out.append(m.code)
                elif m.kind == "overall" and b.overall is not None:
                    out.append(f"{b.title.get(self.lang)}: {b.overall.label.get(self.lang)}")
                else:
                    el = next((e for _c, e in b.elements if e.id == m.id), None)
                    out.append(f"{b.title.get(self.lang)}: {el.label.get(self.lang) if el else m.id}")
        return out

    def missing_text(self, key: str) -> str:
        """The missing ratings of a sheet as one readable line: items, then each block with
        its elements after its name (once), then the global rating."""
        if self.result is None:
            return ""
        items = {it.id: it.label.get(self.lang) for it in self.rubric.rubric.items}
        blocks = {lb.block.id: lb.block for _u, lb in self.rubric.blocks}
        parts: list[str] = []
        per_block: dict[str, list[str]] = {}
        sep = "、" if self.lang.startswith("zh") else ", "
        for m in marking.still_missing(self.rubric, self.result.sheet(key)):
            if m.kind == "item":
                parts.append(items.get(m.id, m.id))
            elif m.kind == "global":
                continue
            else:
                b = blocks.get(m.block or "")
                if b is not None and m.kind == "overall" and b.overall is not None:
                    name = b.overall.label.get(self.lang)
                else:
                    el = next((e for _c, e in b.elements if e.id == m.id), None) if b else None
                    name = el.label.get(self.lang) if el else m.id
                per_block.setdefault(m.block or "", []).append(name)
        for block_id, names in per_block.items():
            b = blocks.get(block_id)
            title = b.title.get(self.lang) if b is not None else block_id
            parts.append(self.tr("{block}: {elements}").format(block=title, elements=sep.join(names)))
        if any(m.kind == "global" for m in marking.still_missing(self.rubric, self.result.sheet(key))):
            parts.append(self.tr("global rating"))
        return "; ".join(parts)

    def sign_with_confirmation(self, key: str) -> str | None:
        """The Sign button: say what is still missing, or show the verdict and ask first."""
        tab = self.tabs_by_key[key]
        if not self._can_sign(tab):
            return None
        self.refresh()
        if self.missing(key):
            tab.say(self.tr("Not signed yet — still to rate: {list}").format(list=self.missing_text(key)), BAD)
            return None
        sheet = self.result.sheet(key) if self.result else None
        verdict = tab.verdict.text() if sheet is not None else ""
        answer = QMessageBox.question(
            self, self.tr("Sign the sheet"),
            self.tr("Sign this sheet as {who}? Once signed it can only be amended, with a reason."
                    "\n\n{verdict}").format(who=self.examiner_box.currentText(), verdict=verdict))
        if answer != QMessageBox.StandardButton.Yes:
            return None
        return self.sign(key)

    def _can_sign(self, tab: _SheetTab) -> bool:
        if tab.is_signed:
            return False
        if self.archive is None or self.drill_id is None:
            tab.say(self.tr("This drill is not in an archive, so its sheet cannot be signed."), BAD)
            return False
        if self.examiner_id is None:
            tab.say(self.tr("Choose the examiner who signs (one of the drill's, or add one)."), BAD)
            self.examiner_box.setFocus()
            return False
        return True

    def sign(self, key: str) -> str | None:
        """Sign the ``key`` sheet as the chosen examiner (no question asked: the Sign button
        asks first); returns the sheet id, or None with the reason on the tab."""
        tab = self.tabs_by_key[key]
        if tab.is_signed:
            return tab.sheet_id
        if not self._can_sign(tab):
            return None
        if tab.amending is None:
            self._dirty.add(key)
            self.save_drafts()
        if self.missing(key):
            tab.say(self.tr("Not signed yet — still to rate: {list}").format(list=self.missing_text(key)), BAD)
            return None
        try:
            if tab.amending is not None:
                stored = marking.amend_signed(self.archive, self.drill_id, self.rubric, self.drill,
                                              tab.amending[0], self.examiner_id,
                                              self.marks[key].sheet_marks(self.examiner_id),
                                              tab.amending[1], self.evaluation_type)
                tab.amending = None
            else:
                stored = marking.sign_draft(self.archive, self.drill_id, self.rubric, self.drill,
                                            key, self.examiner_id, self.evaluation_type)
        except Exception as exc:  # noqa: BLE001 - the one error channel shows it; the drill is safe
            tab.say(self.tr("Not signed: {reason}").format(reason=str(exc)), BAD)
            report_error(exc)
            return None
        tab.say("", NEUTRAL)
        self._show_signed(tab, stored, self.examiner_box.currentText())
        self.signed.emit(stored.id)
        return stored.id

    def _show_signed(self, tab: _SheetTab, sheet: Sheet, name: str | None = None) -> None:
        tab.sheet_id = sheet.id
        self._fill(tab, sheet.data)
        # the examiner's marks as signed, read-only (not "— not marked —" beside evidence that
        # says the examiner marked it)
        signed_marks = marking.marks_of_sheet(sheet.data).items
        for item_id, widget in tab.mark_widgets.items():
            widget.setEnabled(False)
            if isinstance(widget, QComboBox):
                widget.blockSignals(True)
                widget.setCurrentIndex(max(0, widget.findData(signed_marks.get(item_id))))
                widget.blockSignals(False)
                mark = next((i for i in sheet.data["items"] if i["id"] == item_id), None)
                if mark is not None:
                    widget.setToolTip(self.status_words(mark["status"]))
        grade = (sheet.data.get("global_grade") or {}).get("id")
        tab.grade.blockSignals(True)
        tab.grade.setCurrentIndex(max(tab.grade.findData(grade), 0))
        tab.grade.blockSignals(False)
        tab.comment.blockSignals(True)
        tab.comment.setPlainText(sheet.data.get("comment") or "")
        tab.comment.blockSignals(False)
        for b in sheet.data.get("nts") or []:
            widget = tab.blocks.get(b.get("id"))
            if widget is not None:
                values = {r["id"]: (NOT_OBSERVED_MARK if r["status"] == "not observed" else r["rating"])
                          for r in b.get("ratings", []) if r.get("rating") is not None
                          or r["status"] == "not observed"}
                if b.get("overall") is not None and widget.block.overall is not None:
                    values[widget.block.overall.id] = b["overall"]
                widget.set_ratings(values)
                widget.set_read_only(True)
        for w in (tab.grade, tab.examiner, tab.sign_button):
            w.setEnabled(False)
        tab.comment.setReadOnly(True)
        tab.amend_button.setVisible(self.archive is not None)
        tab.amend_button.setEnabled(self.archive is not None)
        tab.sign_button.setText(translate("ScoringPanel", "Sign…"))
        who = name or self._examiner_name(sheet.signed_by) or sheet.data.get("examiner") or ""
        tab.examiner.setText(who)
        tab.signed_label.setText(self.tr("Signed by {who} at {when} · record {sha}").format(
            who=who, when=wall(sheet.signed_at, self.lang), sha=(sheet.record_sha256 or "")[:12]))
        if sheet.supersedes and self.archive is not None:
            row = next((a for a in self.archive.amendments(sheet.supersedes)
                        if a.new_sheet_id == sheet.id), None)
            if row is not None:
                tab.signed_label.setText(tab.signed_label.text() + "\n" + self.tr(
                    "Amended (version {v}): {why}").format(v=sheet.version, why=row.why))
        tab.signed_label.setVisible(True)
        self._show_draft_state()

    def _load_signed(self) -> None:
        """Sheets of this drill already signed on this rubric show read-only."""
        if self.archive is None or self.drill_id is None:
            return
        for sheet in self.archive.sheets(self.drill_id, current_only=True):
            if not sheet.signed or sheet.rubric_id != self.rubric.rubric.id:
                continue
            key = (sheet.data or {}).get("participant") or TEAM_SHEET
            tab = self.tabs_by_key.get(key)
            if tab is not None and not tab.is_signed:
                self._show_signed(tab, sheet)

    def _on_amend_clicked(self, key: str) -> None:
        from PySide6.QtWidgets import QInputDialog
        why, ok = QInputDialog.getText(
            self, self.tr("Amend a signed sheet"),
            self.tr("Why does the signed sheet change? (The signed version is kept; the "
                    "amendment is signed by you, with this reason.)"))
        if ok:
            self.start_amendment(key, why)

    def start_amendment(self, key: str, why: str) -> bool:
        """Open the signed ``key`` sheet for correction, with the reason given: its marks are
        shown again to change; "Sign amendment" stores a new signed version superseding it."""
        tab = self.tabs_by_key[key]
        if tab.sheet_id is None or self.archive is None:
            return False
        if not why.strip():
            tab.say(self.tr("An amendment needs a reason: say why the signed sheet changes."), BAD)
            return False
        signed = self.archive.sheet(tab.sheet_id)
        tab.amending = (signed.id, why.strip())
        tab.sheet_id = None
        self._show_marks(key, _Marks.of(marking.marks_of_sheet(signed.data)))
        for widget in list(tab.mark_widgets.values()) + [tab.grade, tab.sign_button]:
            widget.setEnabled(True)
        for block in tab.blocks.values():
            block.set_read_only(False)
        tab.comment.setReadOnly(False)
        tab.amend_button.setVisible(False)
        tab.signed_label.setVisible(False)
        tab.sign_button.setText(self.tr("Sign amendment…"))
        tab.say(self.tr("Amending the signed sheet: {why}").format(why=why.strip()), INFO)
        self.refresh()
        self._show_draft_state()
        return True

    def _examiner_name(self, examiner_id: str | None) -> str | None:
        if examiner_id is None or self.archive is None:
            return None
        try:
            return self.archive.examiner(examiner_id).name
        except Exception:  # noqa: BLE001 - an unknown id reads as itself
            return None

    def signed_sheet_id(self, key: str) -> str | None:
        return self.tabs_by_key[key].sheet_id
