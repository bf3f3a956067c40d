"""Stand-alone skills stations (issue 20, item 4): the four bundled stations validate; a
malformed one is named FILE:LINE; a sitting scored and signed with ``simtool station score``
credits a programme's simulation requirement, a failed station examined as the practical
exam makes retraining due, the signed sheet cannot change, and the archive still verifies."""

from __future__ import annotations

import json
import shutil

import pytest

from simtool.cli import main
from simtool.core.paths import rubrics_dir, scenarios_dir
from simtool.store import Archive, Examiner, SignedRecordError, Trainee

from helpers.paths import ROOT

STATIONS = rubrics_dir() / "stations"
PROGRAMME = ROOT / "tests" / "data" / "stations" / "station_programme.yaml"

MASSAGE_PASS = ["--mark", "explains_and_empties_bladder=done", "--mark", "fundus_palpated=done",
                "--mark", "fundal_massage=2", "--mark", "clots_expressed=done",
                "--mark", "bimanual_compression=2", "--mark", "reassesses_tone=done",
                "--mark", "communicates=not-done", "--global", "good"]
BALLOON_PASS = ["--mark", "indication_checked=done", "--mark", "consent_and_aseptic=done",
                "--mark", "balloon_checked=done", "--mark", "balloon_placed=2",
                "--mark", "balloon_filled=2", "--mark", "tamponade_test=done",
                "--mark", "secured_and_charted=done", "--mark", "aftercare=not-observed",
                "--global", "clear_pass"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_four_stations_validate_and_are_listed(capsys):
    code, out, err = run(capsys, "validate", str(STATIONS))
    assert code == 0, out + err
    assert "4 of 4 files valid" in out + err
    code, out, _ = run(capsys, "station", "list", "--json")
    listed = {s["id"]: s for s in json.loads(out)}
    assert set(listed) == {"pph_uterine_massage_station", "pph_balloon_tamponade_station",
                           "pph_cell_salvage_station", "pain_us_nerve_block_station"}
    assert all(s["critical"] and s["time_limit_s"] > 0 for s in listed.values())


def _bad(tmp_path, replace: tuple[str, str]) -> str:
    text = (STATIONS / "pph_uterine_massage_station.yaml").read_text(encoding="utf-8")
    assert replace[0] in text
    path = tmp_path / "bad_station.yaml"
    path.write_text(text.replace(replace[0], replace[1], 1), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("change, line, words", [
    (("  - id: clots_expressed\n    kind: observed\n",
      "  - id: clots_expressed\n    kind: expected\n    expected: uterotonic\n"),
     None, "items[3].kind: a skills station has no drill record to score 'expected' from"),
    (("    value: 480\n", "    value: 0\n"), 21, "station.time_limit_s.value: a station's time limit"),
    (("  time_limit_s:\n    value: 480\n", "  time_limt_s:\n    value: 480\n"), 20,
     "station.time_limt_s: unknown key"),
    (("  - id: communicates\n    kind: observed\n    scope: trainee\n",
      "  - id: communicates\n    kind: observed\n    scope: team\n"), None,
     "items[6].scope: a skills station examines one candidate"),
    (("id: pph_uterine_massage_station\n", "id: pph_uterine_massage_station\nscenario: pph_uterine_atony\n"),
     None, "a rubric names its drill's 'scenario' or describes a stand-alone 'station', not both"),
])
def test_a_malformed_station_is_named_file_and_line(tmp_path, capsys, change, line, words):
    path = _bad(tmp_path, change)
    code, out, err = run(capsys, "validate", path)
    assert code == 1
    lines = [x for x in (out + err).splitlines() if x.startswith(path + ":")]
    assert any(words in x for x in lines), out + err
    if line is not None:
        assert any(x.startswith(f"{path}:{line}:") for x in lines), lines


@pytest.fixture
def data_root(tmp_path, monkeypatch):
    """The bundled scenarios and rubrics with a programme folder holding the test programme."""
    root = tmp_path / "data"
    root.mkdir()
    (root / "scenarios").symlink_to(scenarios_dir())
    (root / "rubrics").symlink_to(rubrics_dir())
    (root / "programmes").mkdir()
    shutil.copy(PROGRAMME, root / "programmes" / "station_test.yaml")
    monkeypatch.setenv("SIMTOOL_DATA", str(root))
    return root


@pytest.fixture
def archive_path(tmp_path):
    db = tmp_path / "a.sqlite"
    with Archive.open(db) as archive:
        archive.add_trainee(Trainee("李娜", "S100"))
        archive.add_examiner(Examiner("王医生", "E1"))
    return str(db)


def test_a_signed_station_credits_the_programme_and_a_failed_practical_sets_retraining(
        data_root, archive_path, capsys):
    code, out, err = run(capsys, "validate", str(data_root / "programmes"))
    assert code == 0, out + err
    code, out, err = run(capsys, "station", "score", "pph_balloon_tamponade_station",
                         "--candidate", "S100", "--examiner", "E1", *BALLOON_PASS,
                         "--time-used", "540", "--sign", "--json", "--archive", archive_path)
    assert code == 0, err
    sheet = json.loads(out)
    assert sheet["signed"] and sheet["verdict"]["result"] == "pass" and sheet["time_used_s"] == 540
    # the practical exam, examined on the uterine-massage station: a critical item missed
    failed = [m if m != "fundus_palpated=done" else "fundus_palpated=not-done" for m in MASSAGE_PASS]
    code, out, err = run(capsys, "station", "score", "pph_uterine_massage_station", "--candidate",
                         "S100", "--examiner", "E1", *failed, "--sign", "--json", "--archive",
                         archive_path)
    assert code == 0, err
    assert json.loads(out)["verdict"]["critical_missed"] == ["fundus_palpated"]
    code, out, err = run(capsys, "progress", "S100", "--programme", "station_test", "--json",
                         "--archive", archive_path)
    assert code == 0, err
    result = json.loads(out)
    sim = {s["id"]: s for s in result["simulation"]}["balloon_station"]
    assert (sim["done"], sim["missing"], sim["sheets"]) == (1, 0, [sheet["sheet"]])
    practical = {e["id"]: e for e in result["exams"]}["practical"]
    assert practical["result"] == "fail" and practical["retrain_due"] is not None
    assert result["retrain_due"] == practical["retrain_due"] and result["cleared"] is False


def test_the_signed_station_sheet_cannot_change_and_the_archive_verifies(archive_path, capsys):
    code, out, err = run(capsys, "station", "score", "pph_uterine_massage_station", "--candidate",
                         "S100", "--examiner", "E1", *MASSAGE_PASS, "--sign", "--json",
                         "--archive", archive_path)
    assert code == 0, err
    sheet_id = json.loads(out)["sheet"]
    with Archive.open(archive_path) as archive:
        with pytest.raises(SignedRecordError):
            archive.update_sheet(sheet_id, data={"verdict": {"result": "fail"}})
        assert archive.sheet(sheet_id).data["verdict"]["result"] == "pass"
        assert archive.verify() == []
    code, out, err = run(capsys, "verify", "--archive", archive_path)
    assert code == 0, out + err


@pytest.mark.parametrize("argv, words", [
    (["nosuch"], "there is no station 'nosuch'"),
    (["pph_uterine_massage_station", "--candidate", "S999"], "no trainee with id or staff id 'S999'"),
    (["pph_uterine_massage_station", "--examiner", "E9"], "no examiner or person with staff id 'E9'"),
    (["pph_uterine_massage_station", "--mark", "fundal_massage=7"], "not 7"),
    (["pph_uterine_massage_station", "--mark", "nosuch=done"], "has no item 'nosuch'"),
    (["pph_uterine_massage_station", "--mark", "fundus_palpated=done", "--sign"],
     "cannot be signed yet, so nothing was recorded"),
])
def test_user_errors_are_one_sentence_and_record_nothing(archive_path, capsys, argv, words):
    station, *rest = argv
    opts = {"--candidate": "S100", "--examiner": "E1"}
    for i in range(0, len(rest) - 1):
        if rest[i] in opts:
            opts[rest[i]] = rest[i + 1]
    rest = [x for i, x in enumerate(rest) if not (x in opts or (i and rest[i - 1] in opts))]
    code, out, err = run(capsys, "station", "score", station, "--candidate", opts["--candidate"],
                         "--examiner", opts["--examiner"], *rest, "--archive", archive_path)
    assert code == 1 and words in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    with Archive.open(archive_path) as archive:
        assert archive.drills() == []


def test_simtool_score_finds_a_station_rubric_by_id(archive_path, capsys):
    """A sitting kept as a draft is signed later with ``simtool score DRILL --rubric STATION``:
    the rubric is found by id in rubrics/stations/ (``core.paths.find_rubric`` and
    ``bundled_rubric``, one finder), and a station sitting's own station is the default."""
    from simtool.core.paths import bundled_rubric, find_rubric
    assert find_rubric("pph_uterine_massage_station") == STATIONS / "pph_uterine_massage_station.yaml"
    assert bundled_rubric("pph_uterine_massage_station") == STATIONS / "pph_uterine_massage_station.yaml"
    assert bundled_rubric("../pph_uterine_massage_station") is None
    code, out, err = run(capsys, "station", "score", "pph_uterine_massage_station", "--candidate",
                         "S100", "--examiner", "E1", "--mark", "fundus_palpated=done", "--json",
                         "--archive", archive_path)
    assert code == 0, err
    draft = json.loads(out)
    assert not draft["signed"]
    rest = [m for m in MASSAGE_PASS if m != "fundus_palpated=done"]
    rest = [x for i, x in enumerate(rest) if not (x == "--mark" and rest[i + 1] == "--mark")]
    code, out, err = run(capsys, "score", draft["drill"], "--trainee", "S100", "--examiner", "E1",
                         "--rubric", "pph_uterine_massage_station", *rest, "--sign", "--json",
                         "--archive", archive_path)
    assert code == 0, err
    signed = json.loads(out)
    assert (signed["status"], signed["rubric"]) == ("signed", "pph_uterine_massage_station")
    assert signed["verdict"]["result"] == "pass" and signed["missing"] == []
    # without --rubric, a station sitting's sheet is its station's
    code, out, err = run(capsys, "score", draft["drill"], "--trainee", "S100", "--examiner", "E1",
                         "--json", "--archive", archive_path)
    assert code == 0, err
    assert json.loads(out)["rubric"] == "pph_uterine_massage_station"
    # a station is not a drill's rubric: one sentence, nothing written
    code, out, err = run(capsys, "score", draft["drill"], "--trainee", "S100", "--examiner", "E1",
                         "--rubric", "pph_cell_salvage_station", "--mark", "records=done",
                         "--archive", archive_path)
    assert code == 1 and "not scenario 'pph_uterine_massage_station'" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    code, out, err = run(capsys, "score", draft["drill"], "--trainee", "S100", "--examiner", "E1",
                         "--rubric", "no_such_station", "--archive", archive_path)
    assert code == 1 and "pph_uterine_massage_station" in err and "pph_uterine_atony_team" in err
