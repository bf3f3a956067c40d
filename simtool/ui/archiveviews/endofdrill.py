"""The end of a drill: how it ended, the expected actions and indicators, and what next
(score, export, debrief)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from simtool.core import assess
from simtool.core.errors import SimtoolError
from simtool.core.flagtext import flag_text
from simtool.core.rubric import LoadedRubric
from simtool.core.scoring import score
from simtool.store import Archive
from simtool.ui.archiveviews.common import ArchivedDrill, cell, heading, make_table
from simtool.ui.archiveviews.exports import ExportBar
from simtool.ui.archiveviews.scoring import ScoringPanel
from simtool.ui.display import (
    BAD, GOOD, NEUTRAL, WARN, badge_style, mmss, outcome_text, outcome_tone, span, status_text, status_tone,
)


class EndOfDrillView(QWidget):
    """Summary of an ended, archived drill. ``debrief_requested(drill_id)`` on "Open debrief";
    "Score" emits ``score_requested(drill_id)``; with ``scoring_in_window`` (the default) it also
    opens a ``ScoringPanel`` in its own window when a rubric is given — the live flow shows
    the panel as a page instead."""

    debrief_requested = Signal(str)
    score_requested = Signal(str)

    def __init__(self, archive: Archive, drill_id: str, rubric: LoadedRubric | None = None,
                 lang: str = "en", parent: QWidget | None = None, scoring_in_window: bool = True) -> None:
        super().__init__(parent)
        self.archive, self.drill_id, self.rubric, self.lang = archive, drill_id, rubric, lang
        self.scoring_in_window = scoring_in_window
        self.record = ArchivedDrill.load(archive, drill_id, lang)
        self.scoring_panel: ScoringPanel | None = None
        drill = self.record.final
        sc = self.record.loaded.scenario
        out = assess.outcome(drill)
        result = str(out["result"])

        title = heading(self.tr("End of drill — {scenario}").format(scenario=sc.title.get(lang)))
        self.outcome = QLabel(outcome_text(result))
        self.outcome.setStyleSheet(badge_style(outcome_tone(result)))
        state = sc.state_index[str(out["state"])].label.get(lang)
        self.facts = QLabel(self.tr("Final state: {state} · duration {t} · blood loss {loss} mL").format(
            state=state, t=span(float(out["t"]), lang), loss=out["blood_loss_ml"]))
        self.facts.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addWidget(self.outcome)

        # beside the outcome, never hidden behind it: the safety rules broken and the critical
        # items missed (a team that did either never sees only a green badge), and the actions
        # logged with nobody credited, to correct in the log
        flags = drill.flags()
        self.flags_badge = QLabel(self.tr("⚠ Safety flags: {n}").format(n=len(flags)))
        self.flags_badge.setStyleSheet(badge_style(BAD))
        self.flags_badge.setVisible(bool(flags))
        head.addWidget(self.flags_badge)
        missed = self._critical_missed(drill)
        self.critical_badge = QLabel(self.tr("✗ Critical items failed: {n}").format(n=len(missed)))
        self.critical_badge.setStyleSheet(badge_style(BAD))
        self.critical_badge.setVisible(bool(missed))
        head.addWidget(self.critical_badge)
        head.addStretch(1)
        lines = list(missed)
        for f in flags:
            action = self.record.loaded.catalogue.get(f.action or "")
            lines.append(self.tr("{time}  {action}: {message}").format(
                time=mmss(f.t), action=action.label.get(lang) if action else (f.action or ""),
                message=flag_text(self.record.loaded, f, lang)))
        unassigned = [e for e in drill.actions_done() if e.actor is None and e.role is None]
        if unassigned:
            lines.append(self.tr("Actions logged with nobody credited: {n} — correct them in the "
                                 "drill's log").format(n=len(unassigned)))
        if self.record.info.status == "discarded":
            lines.insert(0, self.tr("This drill was discarded: {reason}. It is kept in the archive "
                                    "and counts in no statistic.").format(
                reason=self.record.info.discard_reason))
        self.safety = QLabel("\n".join(lines))
        self.safety.setWordWrap(True)
        self.safety.setStyleSheet(badge_style(WARN) + " padding: 6px;")
        self.safety.setVisible(bool(lines))

        self.expected = make_table([self.tr("Expected action"), self.tr("Result"),
                                    self.tr("Done at"), self.tr("Due by")])
        labels = {ex.id: ex.label.get(lang) for ex in sc.expected}
        rows = assess.all_expected(drill, final=True)
        self.expected.setRowCount(len(rows))
        for r, s in enumerate(rows):
            self.expected.setItem(r, 0, cell(labels.get(s.id, s.id), data=s.id))
            self.expected.setItem(r, 1, cell(status_text(s.status), status_tone(s.status)))
            self.expected.setItem(r, 2, cell(mmss(s.t) if s.t is not None else ""))
            self.expected.setItem(r, 3, cell(mmss(s.due) if s.due is not None else ""))
        self.indicators = make_table([self.tr("Indicator"), self.tr("Time"), self.tr("Target"),
                                      self.tr("Result")])
        ind_labels = {i.id: i.label.get(lang) for i in sc.indicators}
        inds = assess.all_indicators(drill)
        self.indicators.setRowCount(len(inds))
        for r, i in enumerate(inds):
            met = {True: (self.tr("met"), GOOD), False: (self.tr("not met"), BAD),
                   None: (self.tr("not started"), NEUTRAL)}[i.met]
            self.indicators.setItem(r, 0, cell(ind_labels.get(i.id, i.id), data=i.id))
            self.indicators.setItem(r, 1, cell(span(i.seconds, lang) if i.seconds is not None
                                               else self.tr("not reached")))
            self.indicators.setItem(r, 2, cell(span(i.target_s, lang)))
            self.indicators.setItem(r, 3, cell(met[0], met[1]))

        self.score_button = QPushButton(self.tr("Score…"))
        self.score_button.setEnabled(rubric is not None)
        if rubric is None:
            self.score_button.setToolTip(self.tr("No rubric chosen for this drill"))
        self.debrief_button = QPushButton(self.tr("Open debrief"))
        self.exports = ExportBar(archive.path, drill_id, lang)
        buttons = QHBoxLayout()
        buttons.addWidget(self.score_button)
        buttons.addWidget(self.exports, 1)
        buttons.addWidget(self.debrief_button)
        self.score_button.clicked.connect(self.open_scoring)
        self.debrief_button.clicked.connect(lambda: self.debrief_requested.emit(self.drill_id))

        tables = QSplitter(Qt.Orientation.Vertical)
        for caption, table in ((self.tr("Expected actions"), self.expected),
                               (self.tr("Process indicators"), self.indicators)):
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.addWidget(heading(caption))
            lay.addWidget(table)
            tables.addWidget(box)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.safety)
        layout.addWidget(self.facts)
        layout.addWidget(tables, 1)
        layout.addLayout(buttons)

    def _critical_missed(self, drill: object) -> list[str]:
        """A line for each of the rubric's critical items the team sheet does not meet (none
        without a rubric, or for a rubric that does not fit this drill), saying what happened:
        an item of something to avoid ("No contraindicated uterotonic") failed because the
        drug was given — not "missed", which would read as if not giving it were the fault."""
        if self.rubric is None:
            return []
        try:
            team = score(self.rubric, drill, evaluation_type=self.record.info.evaluation_type).team  # type: ignore[arg-type]
        except SimtoolError:
            return []
        items = {i.id: i for i in team.items}
        lines = []
        for item_id in team.verdict.critical_missed:
            item = items.get(item_id)
            label = item.label.get(self.lang) if item is not None else item_id
            done = item.evidence if item is not None and item.kind == "not_done" else None
            action = self.record.loaded.catalogue.get(done.action or "") if done is not None else None
            if done is not None and done.t is not None and (action is not None or done.action):
                lines.append(self.tr("Critical item failed: {action} given at {time}, against "
                                     "“{item}”").format(
                    action=action.label.get(self.lang) if action is not None else done.action,
                    time=mmss(done.t), item=label))
            elif done is not None:
                lines.append(self.tr("Critical item failed: “{item}”").format(item=label))
            else:
                lines.append(self.tr("Critical item missed: {}").format(label))
        return lines

    def open_scoring(self) -> ScoringPanel | None:
        """Show the scoring panel for this drill in its own window (one at a time)."""
        self.score_requested.emit(self.drill_id)
        if self.rubric is None or not self.scoring_in_window:
            return None
        return self._scoring_window()

    def _scoring_window(self) -> ScoringPanel:
        assert self.rubric is not None
        if self.scoring_panel is None:
            panel = ScoringPanel(self.rubric, self.record.final, archive=self.archive,
                                 drill_id=self.drill_id,
                                 evaluation_type=self.record.info.evaluation_type, lang=self.lang,
                                 parent=self)
            panel.setWindowFlag(Qt.WindowType.Window)
            panel.setWindowTitle(self.tr("Scoring — {rubric}").format(rubric=panel.title.text()))
            panel.resize(1000, 640)
            self.scoring_panel = panel
        self.scoring_panel.show()
        self.scoring_panel.raise_()
        return self.scoring_panel

    def take_over(self, old: "EndOfDrillView") -> None:
        """The same drill shown again in another language: an open scoring window carries on
        with everything entered in it."""
        if old.scoring_panel is not None and self.rubric is not None:
            was_visible = old.scoring_panel.isVisible()
            panel = self._scoring_window()
            panel.take_over(old.scoring_panel)
            if not was_visible:
                panel.hide()
