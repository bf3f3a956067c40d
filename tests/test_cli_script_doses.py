"""A script may not log a drug without its dose, or with a dose of zero or below: no dose rule
could judge it. ``simtool run`` refuses it with FILE:LINE, the field and exit 1, before anything
is played or recorded."""

from __future__ import annotations

import pytest

from simtool.cli import main

from helpers.paths import PPH

HEAD = "duration_s: 600\nparticipants:\n  - {id: t1, name: Zhao Min, role: midwife}\nactions:\n"


@pytest.mark.parametrize("line, where, words", [
    ("  - {t: 60, action: oxytocin, by: t1}\n", "actions[0]", "oxytocin needs a dose (IU)"),
    ("  - {t: 60, action: oxytocin, dose: 0, unit: IU, by: t1}\n", "actions[0].dose",
     "a dose of oxytocin must be above zero"),
    ("  - {t: 60, action: oxytocin, dose: -5, unit: IU, by: t1}\n", "actions[0].dose", "at least 0"),
])
def test_a_drug_without_a_real_dose_is_refused_with_its_line(tmp_path, capsys, line, where, words):
    script = tmp_path / "s.yaml"
    script.write_text(HEAD + "  - {t: 30, action: call_for_help, by: t1}\n" + line.replace("[0]", "[1]"),
                      encoding="utf-8")
    db = tmp_path / "a.sqlite"
    assert main(["run", str(PPH), "--script", str(script), "--archive", str(db)]) == 1
    err = capsys.readouterr().err
    assert f"{script}:6: {where.replace('[0]', '[1]')}: " in err and words in err
    assert not db.exists()   # nothing was recorded


def test_an_action_without_a_dose_needs_none(tmp_path):
    script = tmp_path / "s.yaml"
    script.write_text(HEAD + "  - {t: 30, action: call_for_help, by: t1}\n", encoding="utf-8")
    assert main(["run", str(PPH), "--script", str(script)]) == 0
