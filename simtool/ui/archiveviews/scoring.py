"""The examiner's scoring panel: one tab per trainee and one for the team.

Every number, status and verdict shown comes from ``simtool.core.scoring.score`` on the
rubric, the drill and the marks entered here; the panel only collects marks, overrides (the
core refuses one without a reason, and the dialog says so), the global rating and comments,
and signs a sheet into the archive (``simtool.app.sheets.sign_new_sheet``: one transaction).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QTableWidget, QTabWidget, QVBoxLayout, QWidget,
)

from simtool.core.evidencetext import describe, names_for
from simtool.core.examiner import OVERRIDE_RESULTS, Override, SheetMarks
from simtool.core.ntsblock import NOT_OBSERVED as NOT_OBSERVED_MARK
from simtool.core.rubric import Graded, LoadedRubric, Observed
from simtool.core.scoresheet import TEAM_SHEET, ScoreResult, ScoringError
from simtool.core.scoring import DrillRecord, score
from simtool.reports.common import stamp, text_of
from simtool.reports.scoredata import verdict_reason
from simtool.app.sheets import sign_new_sheet, trainee_links
from simtool.store import Archive, Sheet
from simtool.ui.archiveviews.common import ArchivedDrill, cell, make_table, report_error
from simtool.ui.display import BAD, GOOD, INFO, NEUTRAL, WARN, Tone, badge_style

# the bare name with a literal context is what pyside6-lupdate extracts (a helper taking
# a variable text would hide every string from it)
translate = QCoreApplication.translate

COL_ITEM, COL_STATUS, COL_POINTS, COL_EVIDENCE, COL_MARK = range(5)


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

    def sheet_marks(self, examiner: str | None) -> SheetMarks:
        return SheetMarks(examiner, dict(self.items), self.global_grade, {}, dict(self.overrides),
                          self.comment.strip() or None)


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
            translate("ScoringPanel", "Points"), translate("ScoringPanel", "Evidence"),
            translate("ScoringPanel", "Mark or override")])
        self.table.horizontalHeader().setStretchLastSection(False)
        from PySide6.QtWidgets import QHeaderView
        self.table.horizontalHeader().setSectionResizeMode(COL_EVIDENCE, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 14)
        self.row_of: dict[str, int] = {}
        self.mark_widgets: dict[str, QWidget] = {}
        self.grade = QComboBox()
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText(translate("ScoringPanel", "Comments for the trainee and the record"))
        self.comment.setMaximumHeight(80)
        self.examiner = QLineEdit()
        self.examiner.setPlaceholderText(translate("ScoringPanel", "Examiner's name"))
        self.sign_button = QPushButton(translate("ScoringPanel", "Sign"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.signed_label = QLabel()
        self.signed_label.setVisible(False)
        self.signed_label.setStyleSheet(badge_style(GOOD))
        self.sheet_id: str | None = None
        form = QFormLayout()
        form.addRow(translate("ScoringPanel", "Global rating"), self.grade)
        form.addRow(translate("ScoringPanel", "Comments"), self.comment)
        sign_row = QHBoxLayout()
        sign_row.addWidget(QLabel(translate("ScoringPanel", "Examiner")))
        sign_row.addWidget(self.examiner, 1)
        sign_row.addWidget(self.sign_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(sign_row)
        layout.addWidget(self.message)
        layout.addWidget(self.signed_label)

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
        self.title = QLabel(text_of(rubric.rubric.title, lang))
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.refresh_button = QPushButton(self.tr("Re-score"))
        self.refresh_button.clicked.connect(self.refresh)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
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
            self.marks[key] = _Marks(dict(m.items), dict(m.overrides), m.global_grade, m.comment)
            for item_id, value in m.items.items():
                box = tab.mark_widgets.get(item_id)
                if isinstance(box, QComboBox):
                    box.blockSignals(True)
                    box.setCurrentIndex(max(0, box.findData(value)))
                    box.blockSignals(False)
            tab.grade.blockSignals(True)
            tab.grade.setCurrentIndex(max(0, tab.grade.findData(m.global_grade)))
            tab.grade.blockSignals(False)
            tab.comment.setPlainText(was.comment.toPlainText())
            tab.examiner.setText(was.examiner.text())
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
            tab = self.tabs_by_key.get(key)
            out[key] = m.sheet_marks(tab.examiner.text().strip() or None if tab else None)
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
            tab.mark_widgets[d["id"]] = widget
            tab.table.setCellWidget(r, COL_MARK, widget)
        tab.table.resizeColumnToContents(COL_MARK)
        gr = self.rubric.rubric.global_rating
        tab.grade.addItem(self.tr("— no rating —"), None)
        if gr is not None:
            for g in gr.grades:
                tab.grade.addItem(f"{g.value} · {g.label.get(self.lang)}", g.id)
        else:
            tab.grade.setEnabled(False)
        tab.grade.currentIndexChanged.connect(
            lambda _i, k=tab.key: self._on_grade_changed(k, tab.grade.currentData()))
        tab.comment.textChanged.connect(
            lambda k=tab.key: setattr(self.marks[k], "comment", tab.comment.toPlainText()))
        tab.sign_button.clicked.connect(lambda _c=False, k=tab.key: self.sign(k))

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
        self.refresh()

    def _on_grade_changed(self, key: str, grade: str | None) -> None:
        self.marks[key].global_grade = grade
        self.refresh()

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
        self.refresh()

    # --- signing ------------------------------------------------------------------------------
    def sign(self, key: str) -> str | None:
        """Store the sheet of ``key`` and sign it as the examiner named on the tab; returns
        the sheet id, or None (with the reason on the tab) when it cannot be signed."""
        tab = self.tabs_by_key[key]
        name = tab.examiner.text().strip()
        if tab.is_signed:
            return tab.sheet_id
        if not name:
            tab.say(self.tr("Write the examiner's name to sign."), BAD)
            tab.examiner.setFocus()
            return None
        if self.archive is None or self.drill_id is None:
            tab.say(self.tr("This drill is not in an archive, so its sheet cannot be signed."), BAD)
            return None
        try:
            sheet = self._score().sheet(key)
            stored = sign_new_sheet(self.archive, self.drill_id, self.rubric, sheet, examiner=name,
                                    trainee_ids=trainee_links(self.archive, self.drill_id))
            sid = stored.id
        except Exception as exc:  # noqa: BLE001 - the one error channel shows it; the drill is safe
            tab.say(self.tr("Not signed: {reason}").format(reason=str(exc)), BAD)
            report_error(exc)
            return None
        tab.say("", NEUTRAL)
        self._show_signed(tab, stored, name)
        self.signed.emit(sid)
        return sid

    def _show_signed(self, tab: _SheetTab, sheet: Sheet, name: str | None = None) -> None:
        tab.sheet_id = sheet.id
        self._fill(tab, sheet.data)
        for item_id, widget in tab.mark_widgets.items():
            widget.setEnabled(False)
            if isinstance(widget, QComboBox):
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
        for w in (tab.grade, tab.examiner, tab.sign_button):
            w.setEnabled(False)
        tab.comment.setReadOnly(True)
        who = name or sheet.data.get("examiner") or sheet.signed_by or ""
        tab.examiner.setText(who)
        tab.signed_label.setText(self.tr("Signed by {who} at {when} · record {sha}").format(
            who=who, when=stamp(sheet.signed_at), sha=(sheet.record_sha256 or "")[:12]))
        tab.signed_label.setVisible(True)

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

    def signed_sheet_id(self, key: str) -> str | None:
        return self.tabs_by_key[key].sheet_id
