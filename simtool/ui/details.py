"""The library's description of a scenario or catalogue, as HTML for a QTextBrowser.

Rich text rather than a form of labels because the texts are of any length and in any of the
three languages: the browser wraps and scrolls them, and the reader can select and copy.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from simtool.core.catalogue import Catalogue
from simtool.core.scenario import LoadedScenario
from simtool.ui.display import condition_text, number

STYLE = """
<style>
  h2 { margin: 0 0 2px 0; }
  h3 { margin: 14px 0 4px 0; color: #37474f; }
  .meta { color: #607d8b; }
  td.k { color: #546e7a; padding-right: 14px; vertical-align: top; white-space: nowrap; }
  td { padding-bottom: 3px; vertical-align: top; }
</style>
"""


def _tr(text: str) -> str:
    return QCoreApplication.translate("details", text)


def _rows(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><td class='k'>{escape(k)}</td><td>{v}</td></tr>" for k, v in rows)
    return f"<table cellspacing='0'>{cells}</table>"


def scenario_html(loaded: LoadedScenario, lang: str) -> str:
    """Everything an instructor reads before choosing to run a scenario."""
    sc = loaded.scenario
    p = sc.patient
    roles = ", ".join(
        escape(r.label.get(lang)) + ("" if r.required else " " + escape(_tr("(optional)")))
        for r in sc.roles)
    w = p.weight_kg
    patient_rows = []
    if p.description is not None:
        patient_rows.append((_tr("Description"), escape(p.description.get(lang))))
    patient_rows.append((_tr("Weight"), escape(_tr("{default} kg (adjustable {min}–{max} kg)").format(
        default=number(w.default), min=number(w.min), max=number(w.max)))))
    if p.conditions:
        patient_rows.append((_tr("Conditions you can add"),
                             escape(", ".join(condition_text(c) for c in p.conditions))))
    variants = ""
    if sc.variants:
        items = []
        for v in sc.variants:
            conds = ", ".join(condition_text(c) for c in v.conditions) or _tr("no added conditions")
            items.append(f"<li><b>{escape(v.label.get(lang))}</b> "
                         f"<span class='meta'>— {escape(conds)}</span></li>")
        variants = f"<h3>{escape(_tr('Variants'))}</h3><ul>{''.join(items)}</ul>"
    objectives = "".join(f"<li>{escape(o.get(lang))}</li>" for o in sc.objectives)
    drill_rows = [
        (_tr("Duration"), escape(_tr("{minutes} min").format(minutes=number(sc.duration_s / 60)))),
        (_tr("Roles"), roles),
        (_tr("States"), str(len(sc.states))),
        (_tr("Expected actions"), escape(", ".join(e.label.get(lang) for e in sc.expected))
         or "—"),
    ]
    meta = _tr("{file} · id {id} · version {version}").format(
        file=Path(loaded.path).name, id=sc.id, version=sc.version)
    return (
        STYLE
        + f"<h2>{escape(sc.title.get(lang))}</h2>"
        + f"<p class='meta'>{escape(meta)}</p>"
        + f"<p>{escape(sc.summary.get(lang))}</p>"
        + f"<h3>{escape(_tr('Learning objectives'))}</h3><ul>{objectives}</ul>"
        + f"<h3>{escape(_tr('Drill'))}</h3>" + _rows(drill_rows)
        + f"<h3>{escape(_tr('Patient'))}</h3>" + _rows(patient_rows)
        + variants
        + f"<h3>{escape(_tr('Briefing read to the team'))}</h3>"
        + f"<p>{escape(sc.briefing.get(lang))}</p>"
    )


def catalogue_html(catalogue: Catalogue, path: Path, lang: str) -> str:
    """The shared action catalogue, grouped by category."""
    groups: dict[str, list[str]] = defaultdict(list)
    for action in catalogue.actions:
        groups[action.category].append(action.label.get(lang))
    rows = [(cat.replace("_", " ").capitalize(), escape(", ".join(labels)))
            for cat, labels in groups.items()]
    intro = _tr("{n} actions shared by every scenario, so the same intervention has the same "
                "id in every drill and drills can be compared across scenarios.").format(
        n=len(catalogue.actions))
    return (
        STYLE
        + f"<h2>{escape(_tr('Action catalogue'))}</h2>"
        + f"<p class='meta'>{escape(path.name)}</p>"
        + f"<p>{escape(intro)}</p>"
        + f"<h3>{escape(_tr('Actions by category'))}</h3>"
        + _rows(rows)
    )
