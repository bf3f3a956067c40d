"""The library's description of a scenario or catalogue, as HTML for a QTextBrowser.

Rich text rather than a form of labels because the texts are of any length and in any of the
three languages: the browser wraps and scrolls them, and the reader can select and copy.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from simtool.ui.display import category_text, condition_text, number

if TYPE_CHECKING:
    from simtool.core.catalogue import Catalogue
    from simtool.core.scenario import LoadedScenario

# the bare name with a literal context is what pyside6-lupdate extracts (a helper taking
# a variable text would hide every string from it)
translate = QCoreApplication.translate

STYLE = """
<style>
  h2 { margin: 0 0 2px 0; }
  h3 { margin: 14px 0 4px 0; color: #37474f; }
  .meta { color: #607d8b; }
  td.k { color: #546e7a; padding-right: 14px; vertical-align: top; white-space: nowrap; }
  td { padding-bottom: 3px; vertical-align: top; }
</style>
"""


def _rows(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><td class='k'>{escape(k)}</td><td>{v}</td></tr>" for k, v in rows)
    return f"<table cellspacing='0'>{cells}</table>"


def _heading(level: int, text: str) -> str:
    # the translated text is an argument here, not inside an f-string: lupdate skips f-strings
    return f"<h{level}>{escape(text)}</h{level}>"


def scenario_html(loaded: LoadedScenario, lang: str) -> str:
    """Everything an instructor reads before choosing to run a scenario."""
    sc = loaded.scenario
    p = sc.patient
    roles = ", ".join(
        escape(r.label.get(lang)) + ("" if r.required else " " + escape(translate("details", "(optional)")))
        for r in sc.roles)
    w = p.weight_kg
    patient_rows = []
    if p.description is not None:
        patient_rows.append((translate("details", "Description"), escape(p.description.get(lang))))
    patient_rows.append((translate("details", "Weight"), escape(translate("details", "{default} kg (adjustable {min}–{max} kg)").format(
        default=number(w.default), min=number(w.min), max=number(w.max)))))
    if p.conditions:
        patient_rows.append((translate("details", "Conditions you can add"),
                             escape(", ".join(condition_text(c) for c in p.conditions))))
    variants = ""
    if sc.variants:
        items = []
        for v in sc.variants:
            conds = ", ".join(condition_text(c) for c in v.conditions) or translate("details", "no added conditions")
            items.append(f"<li><b>{escape(v.label.get(lang))}</b> "
                         f"<span class='meta'>— {escape(conds)}</span></li>")
        variants = (_heading(3, translate("details", "Variants"))
                    + f"<ul>{''.join(items)}</ul>")
    objectives = "".join(f"<li>{escape(o.get(lang))}</li>" for o in sc.objectives)
    drill_rows = [
        (translate("details", "Duration"), escape(translate("details", "{minutes} min").format(minutes=number(sc.duration_s / 60)))),
        (translate("details", "Roles"), roles),
        (translate("details", "States"), str(len(sc.states))),
        (translate("details", "Expected actions"), escape(", ".join(e.label.get(lang) for e in sc.expected))
         or "—"),
    ]
    meta = translate("details", "{file} · id {id} · version {version}").format(
        file=Path(loaded.path).name, id=sc.id, version=sc.version)
    return (
        STYLE
        + f"<h2>{escape(sc.title.get(lang))}</h2>"
        + f"<p class='meta'>{escape(meta)}</p>"
        + f"<p>{escape(sc.summary.get(lang))}</p>"
        + _heading(3, translate("details", "Learning objectives"))
        + f"<ul>{objectives}</ul>"
        + _heading(3, translate("details", "Drill")) + _rows(drill_rows)
        + _heading(3, translate("details", "Patient")) + _rows(patient_rows)
        + variants
        + _heading(3, translate("details", "Briefing read to the team"))
        + f"<p>{escape(sc.briefing.get(lang))}</p>"
    )


def catalogue_html(catalogue: Catalogue, path: Path, lang: str) -> str:
    """The shared action catalogue, grouped by category."""
    groups: dict[str, list[str]] = defaultdict(list)
    for action in catalogue.actions:
        groups[action.category].append(action.label.get(lang))
    rows = [(category_text(cat), escape(", ".join(labels)))
            for cat, labels in groups.items()]
    intro = translate("details", "{n} actions shared by every scenario, so the same intervention has the same "
                "id in every drill and drills can be compared across scenarios.").format(
        n=len(catalogue.actions))
    return (
        STYLE
        + _heading(2, translate("details", "Action catalogue"))
        + f"<p class='meta'>{escape(path.name)}</p>"
        + f"<p>{escape(intro)}</p>"
        + _heading(3, translate("details", "Actions by category"))
        + _rows(rows)
    )
