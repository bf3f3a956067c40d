"""A trainee's portfolio across time and places (issue 17, item 6): one person under three
trainee records (a typo merged, a visit to another site imported from a bundle and merged),
four drills over two scenarios, two roles and two sites — all of them in the portfolio, in
order, with each critical item and indicator as a series over time with its n."""

from __future__ import annotations

import json

import pytest

from simtool.app.portfolio import PortfolioError, trainee_portfolio
from simtool.store import Archive

from helpers.portfolio import AWAY, DATES, HOME, NAME, STAFF, build_portfolio_archive


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_portfolio_archive(tmp_path_factory.mktemp("portfolio"))


@pytest.fixture
def data(built):
    path, _ids = built
    with Archive.open(path, create=False) as archive:
        return trainee_portfolio(archive, STAFF)


def test_every_drill_of_the_person_under_every_record_and_site_is_there_in_order(built, data):
    _path, ids = built
    assert [d["drill_id"] for d in data["drills"]] == ids          # Li Na's drill is not
    assert [d["started_at"][:10] for d in data["drills"]] == list(DATES)
    t = data["trainee"]
    assert (t["id"], t["name"], t["staff_id"]) == ("cj", NAME, STAFF)
    assert t["records"] == ["cj", "cj-city", "cj-typo"]
    assert t["sites"] == [AWAY, HOME]
    assert data["span"] == {"first": data["drills"][0]["started_at"], "last": data["drills"][-1]["started_at"]}
    rows = [(d["scenario_id"], d["role"], d["site"], d["department"], d["imported"]) for d in data["drills"]]
    assert rows == [("pph_uterine_atony", "midwife", HOME, "Obstetrics", False),
                    ("pph_uterine_atony", "midwife", HOME, "Obstetrics", False),
                    ("pph_uterine_atony", "midwife", AWAY, "Obstetrics", True),
                    ("last_nerve_block", "anaesthetist", HOME, "Anaesthesia", False)]


def test_the_person_is_found_by_any_of_their_records(built, data):
    path, _ids = built
    with Archive.open(path, create=False) as archive:
        for who in ("cj", "cj-typo", "cj-city", "S03"):
            assert trainee_portfolio(archive, who)["drills"] == data["drills"], who


def test_an_unknown_staff_id_is_one_sentence(built):
    path, _ids = built
    with Archive.open(path, create=False) as archive:
        with pytest.raises(PortfolioError, match="no trainee with id or staff id 'S999'") as exc:
            trainee_portfolio(archive, "S999")
    assert "\n" not in str(exc.value)


def test_a_critical_item_met_in_one_drill_and_missed_in_another(data):
    help_called = [next((c for c in d["critical"] if c["item_id"] == "help_called"), None)
                   for d in data["drills"]]
    assert [c and (c["status"], c["scope"], c["signed"]) for c in help_called] == [
        ("met", "team", True), ("missed", "team", True), ("missed", "team", False), None]
    (trend,) = [t for t in data["trends"]["critical"] if t["item_id"] == "help_called"]
    assert (trend["n"], trend["met"], trend["missed"]) == (3, 1, 2)
    assert [p["status"] for p in trend["points"]] == ["met", "missed", "missed"]
    # every critical item, and nothing that is not critical
    assert [t["item_id"] for t in data["trends"]["critical"]] == [
        "help_called", "uterotonic_given", "txa_in_window", "no_contraindicated_drug"]


def test_each_indicator_is_a_series_over_time_with_its_n(data):
    by = {(t["scenario_id"], t["id"]): t for t in data["trends"]["indicators"]}
    warning = by[("pph_uterine_atony", "warning_delay")]
    assert [(p["started_at"][:10], p["seconds"], p["met"]) for p in warning["points"]] == [
        (DATES[0], 10.0, True), (DATES[1], 810.0, False), (DATES[2], None, False)]
    assert (warning["n"], warning["met"]) == (3, 1)
    mtp = by[("pph_uterine_atony", "time_to_mtp")]   # no massive loss in good care: not applicable
    assert (mtp["n"], [p["started_at"][:10] for p in mtp["points"]]) == (2, [DATES[1], DATES[2]])
    assert by[("last_nerve_block", "time_to_help")]["n"] == 1
    # ordering: scenarios as first drilled, indicators in the scenario's order
    assert list(by)[:4] == [("pph_uterine_atony", i) for i in
                            ("warning_delay", "oxytocin_per_protocol", "time_to_txa", "time_to_mtp")]


def test_the_portfolio_is_deterministic_and_json(built, data):
    path, _ids = built
    with Archive.open(path, create=False) as archive:
        again = trainee_portfolio(archive, "cj")
    assert json.dumps(again, sort_keys=False) == json.dumps(data, sort_keys=False)
    json.dumps(data, allow_nan=False)


def test_a_drill_still_running_is_listed_but_in_no_trend(tmp_path, pph):
    from simtool.core.drill import Drill, Participant, PatientParams
    from simtool.store import Trainee
    team = [Participant("t1", "Zhou", "midwife")]
    with Archive.open(tmp_path / "a.sqlite") as archive:
        did = archive.start_drill(pph, PatientParams(65), team, trainees={"t1": Trainee("Zhou", "S9")})
        drill = Drill(pph, PatientParams(65), team)
        archive.record(did, drill)
        drill.advance_to(800)
        drill.act("call_for_help", by="t1")
        data = trainee_portfolio(archive, "S9")
    assert [d["status"] for d in data["drills"]] == ["running"]
    assert all(t["n"] == 0 for t in data["trends"]["indicators"])
