"""What a drill's scenario id stands for, in words: the titles of the bundled scenarios and of
the bundled skills stations. A station's sitting is recorded as a drill of its station scenario,
whose id is the station rubric's (``simtool.app.station``, ``simtool.core.station``), so a list
of drills — the archive, the dashboard, a portfolio — shows "Skills station — uterine massage
…" rather than ``pph_uterine_massage_station``.

Pure Python, for every face (the window, the command line, the web page)."""

from __future__ import annotations

from pathlib import Path


def scenario_titles(lang: str = "en", scenarios: Path | None = None,
                    stations: Path | None = None) -> dict[str, str]:
    """Scenario id → title in ``lang`` (English for a language a text lacks), for every
    scenario in ``scenarios`` and every station in ``stations`` (default: the bundled
    folders). A file that does not load is left out (the library and ``simtool station
    list`` report it); a scenario's title wins over a station of the same id."""
    from simtool.app.station import station_rubrics
    from simtool.core.errors import SimtoolError
    from simtool.core.paths import scenarios_dir, stations_dir
    from simtool.core.scenario import load_scenario

    titles: dict[str, str] = {}
    folder = scenarios or scenarios_dir()
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        if path.name == "actions.yaml":   # the action catalogue, not a scenario
            continue
        try:
            sc = load_scenario(path).scenario
        except (SimtoolError, OSError):
            continue
        titles[sc.id] = sc.title.get(lang)
    try:
        found = station_rubrics(stations or stations_dir())
    except OSError:                       # an unreadable stations folder: no station titles
        found = []
    for _path, rb, _problem in found:
        if rb is not None:
            titles.setdefault(rb.rubric.id, rb.rubric.title.get(lang))
    return titles


__all__ = ["scenario_titles"]
