"""``simtool calendar`` (issue 20, item 5): the PPH programme's quarterly MDT drill, per
department and site — overdue five months after the last one, ok a month after it, overdue
when never done; discarded drills and other scenarios do not count; the emergency-plan drill,
which names no scenario, is listed as not tracked."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest

from simtool.cli import main as cli_main
from simtool.core.calendar import add_months

from helpers.drillcalendar import Run, record_runs

TODAY = datetime.now(timezone.utc).date()   # the command judges on the archive clock's day
FIVE_AGO, ONE_AGO = add_months(TODAY, -5), add_months(TODAY, -1)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("calendar") / "a.sqlite"
    return record_runs(path, [
        Run("pas_mdt", FIVE_AGO, "Obstetrics"),
        Run("pas_mdt", ONE_AGO, "Obstetrics", discarded=True),      # counts nowhere
        Run("pas_mdt", ONE_AGO, "Anaesthesia"),
        Run("pph_uterine_atony", ONE_AGO, "Midwifery"),             # not an MDT drill
        Run("pas_mdt", FIVE_AGO, "Obstetrics", site="City Hospital"),
        Run("pas_mdt", ONE_AGO, "Obstetrics", site="City Hospital"),
    ], now=TODAY)


def calendar(db, capsys, *argv: str) -> tuple[int, str, str]:
    code = cli_main(["calendar", *argv, "--archive", str(db)])
    out = capsys.readouterr()
    return code, out.out, out.err


def mdt(result: dict) -> dict[tuple[str, str | None], dict]:
    return {(d["department"], d["site"]): d for d in result["drills"] if d["drill"] == "mdt_drill"}


def test_a_quarterly_mdt_drill_five_months_ago_is_overdue(db, capsys):
    code, out, _ = calendar(db, capsys, "--json")
    assert code == 0
    result = json.loads(out)
    assert result["today"] == TODAY.isoformat()
    rows = mdt(result)
    late = rows[("Obstetrics", "County Hospital")]
    assert late == {**late, "programme": "pph_staff", "scenario": "pas_mdt", "every_months": 3,
                    "last_done": FIVE_AGO.isoformat(),
                    "next_due": add_months(FIVE_AGO, 3).isoformat(), "status": "overdue"}
    assert late["label"]["en"].startswith("MDT drill")
    # a month ago: next due in two months, not yet in its last month
    assert rows[("Anaesthesia", "County Hospital")]["status"] == "ok"
    assert rows[("Anaesthesia", "County Hospital")]["next_due"] == add_months(ONE_AGO, 3).isoformat()
    # the same department at another hospital is its own calendar: the latest drill there counts
    assert rows[("Obstetrics", "City Hospital")]["last_done"] == ONE_AGO.isoformat()
    assert rows[("Obstetrics", "City Hospital")]["status"] == "ok"
    # a department with drills, never the MDT one (the PPH drill is another scenario)
    assert rows[("Midwifery", "County Hospital")] == {
        **rows[("Midwifery", "County Hospital")], "last_done": None, "next_due": None,
        "status": "overdue"}
    assert [d["status"] for d in result["drills"]] == ["overdue"] * 2 + ["ok"] * 2   # overdue first
    # the emergency-plan drill names no scenario: listed, with what to do, never given a status
    assert [(u["drill"], u["every_months"]) for u in result["not_tracked"]] == [("emergency_plan_drill", 6)]
    assert "scenario" in result["not_tracked"][0]["reason"]
    assert all(d["drill"] != "emergency_plan_drill" for d in result["drills"])


def test_the_discarded_drill_of_last_month_does_not_count(db, capsys):
    _, out, _ = calendar(db, capsys, "--json", "--department", "Obstetrics", "--site", "County Hospital")
    rows = mdt(json.loads(out))
    assert list(rows) == [("Obstetrics", "County Hospital")]
    assert rows[("Obstetrics", "County Hospital")]["last_done"] == FIVE_AGO.isoformat()


def test_department_and_site_filters(db, capsys):
    _, out, _ = calendar(db, capsys, "--json", "--department", "Obstetrics")
    assert set(mdt(json.loads(out))) == {("Obstetrics", "County Hospital"), ("Obstetrics", "City Hospital")}
    _, out, _ = calendar(db, capsys, "--json", "--site", "City Hospital")
    assert set(mdt(json.loads(out))) == {("Obstetrics", "City Hospital")}


def test_as_of_judges_another_day(db, capsys):
    next_due = add_months(ONE_AGO, 3)
    for day, status in ((add_months(next_due, -1) - (date.resolution), "ok"),
                        (add_months(next_due, -1), "due"), (next_due, "due"),
                        (next_due + date.resolution, "overdue")):
        _, out, _ = calendar(db, capsys, "--json", "--department", "Anaesthesia", "--as-of", day.isoformat())
        assert mdt(json.loads(out))[("Anaesthesia", "County Hospital")]["status"] == status, day


def test_the_text_table_names_each_drill_and_what_is_not_tracked(db, capsys):
    code, out, _ = calendar(db, capsys, "--department", "Midwifery")
    assert code == 0
    lines = out.splitlines()
    assert lines[1].split()[:3] == ["STATUS", "DEPARTMENT", "SITE"]
    row = next(line for line in lines if "Midwifery" in line)
    assert row.startswith("overdue") and "never" in row and "MDT drill" in row
    assert any(line.startswith("not tracked: Emergency-plan drill") for line in lines)


@pytest.mark.parametrize("argv, words", [
    (["--department", "Cardiology"], "no drills of the department 'Cardiology'"),
    (["--site", "Moon Base"], "no drills at the site 'Moon Base'"),
    (["--programme", "nope"], "no programme 'nope'"),
])
def test_an_unknown_department_site_or_programme_is_one_sentence(db, capsys, argv, words):
    code, out, err = calendar(db, capsys, *argv)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and words in err
    assert "Traceback" not in err


def test_a_missing_archive_or_bad_date_is_one_message(tmp_path, capsys):
    assert cli_main(["calendar", "--archive", str(tmp_path / "none.sqlite")]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    with pytest.raises(SystemExit) as exc:
        cli_main(["calendar", "--as-of", "30/11/2026", "--archive", str(tmp_path / "none.sqlite")])
    assert exc.value.code == 2
    assert "is not a date (YYYY-MM-DD)" in capsys.readouterr().err


def test_a_drill_recorded_without_a_department_counts_for_its_teams(tmp_path, capsys):
    db = record_runs(tmp_path / "a.sqlite", [Run("pas_mdt", ONE_AGO, None, team_department="ICU")],
                     now=TODAY)
    _, out, _ = calendar(db, capsys, "--json")
    assert mdt(json.loads(out))[("ICU", "County Hospital")]["last_done"] == ONE_AGO.isoformat()


def test_an_archive_without_departments_says_how_to_get_a_calendar(tmp_path, capsys):
    db = record_runs(tmp_path / "a.sqlite", [Run("pas_mdt", ONE_AGO, None)], now=TODAY)
    code, out, _ = calendar(db, capsys)
    assert code == 0 and "--department" in out
