"""A scenario read from its text — an archived drill's, exactly as it was played — is the same
scenario as from its file, and a broken text is named by where it came from, line and field;
no file is written to read it."""

from __future__ import annotations

import pytest

from simtool.core.errors import ScenarioError
from simtool.core.scenario import load_scenario, load_scenario_text

from helpers.paths import PPH


def test_the_text_of_a_file_loads_as_the_file_does(pph, tmp_path, monkeypatch):
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # anything written to a temporary folder shows
    again = load_scenario_text(pph.text, pph.catalogue, "archive.sqlite (drill d1 as archived)")
    assert again.scenario == pph.scenario and again.text == pph.text and again.catalogue is pph.catalogue
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("edit", "line", "field"), [
    (lambda t: t.replace("initial: ", "initial: nowhere_", 1), None, "initial"),
    (lambda t: t + "\n  - [unclosed", None, "(yaml): not valid YAML"),
    (lambda t: "- a list\n- not a mapping\n", 1, "(document): a scenario file must be a mapping"),
])
def test_a_broken_text_is_named_by_where_it_came_from(pph, edit, line, field):
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(edit(pph.text), pph.catalogue, "a.sqlite (drill d1 as archived)")
    first = str(info.value).splitlines()[0]
    assert first.startswith("a.sqlite (drill d1 as archived):")
    if line is not None:
        assert first.startswith(f"a.sqlite (drill d1 as archived):{line}:")
    assert field in str(info.value)
    load_scenario(PPH)  # the file itself is untouched
