"""The titles a drill's scenario id stands for (``simtool.app.titles``): the bundled scenarios'
and the bundled skills stations' (a sitting is a drill of its station scenario, whose id is the
station rubric's), in each language, so no list of drills shows a raw id."""

from __future__ import annotations

from simtool.app.station import station_rubrics
from simtool.app.titles import scenario_titles


def test_scenarios_and_stations_have_their_titles_in_each_language():
    en, zh = scenario_titles("en"), scenario_titles("zh_CN")
    assert en["pph_uterine_atony"].startswith("Postpartum haemorrhage")
    assert en["pph_uterine_massage_station"] == \
        "Skills station — uterine massage and bimanual compression"
    assert zh["pph_uterine_massage_station"] == "技能考站——子宫按摩与双手压迫子宫"
    assert "actions" not in en                         # the action catalogue is no scenario
    stations = [rb.rubric.id for _p, rb, _problem in station_rubrics() if rb is not None]
    assert stations and all(en[s] != s for s in stations)


def test_a_broken_file_is_left_out_and_a_missing_folder_gives_none(tmp_path):
    (tmp_path / "broken.yaml").write_text("format: 1\nid: [", encoding="utf-8")
    assert scenario_titles("en", scenarios=tmp_path, stations=tmp_path / "none") == {}
