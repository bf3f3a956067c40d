"""The command line refuses NaN, infinities and out-of-range values in every numeric option
with a usage error (exit 2), refuses hostile input files with one line naming the file, and
prints only valid JSON (issue 14, deliverables 7 and 8)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simtool.cli import main

ROOT = Path(__file__).resolve().parents[1]
PPH = ROOT / "scenarios" / "pph_uterine_atony.yaml"
GOOD = ROOT / "tests" / "scripts" / "pph_uterine_atony" / "good_care.yaml"
SCORES_HEADER = "candidate,station,examiner,checklist,global,item:a\n"


def _strict_json(text: str) -> object:
    def refuse(name: str) -> object:
        raise ValueError(f"{name} is not JSON")
    return json.loads(text, parse_constant=refuse)


def _usage_error(capsys, argv: list[str]) -> str:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    out = capsys.readouterr()
    assert out.out == "" and "Traceback" not in out.err
    error, hint = out.err.strip().splitlines()  # one sentence, and where the options are listed
    assert hint.startswith("(`simtool ") and hint.endswith(" --help` lists the options)")
    return error


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--speed", "nan", "argument --speed: 'nan' is not a finite number"),
    ("--speed", "inf", "argument --speed: 'inf' is not a finite number"),
    ("--speed", "0", "argument --speed: 0 is out of range: must be from 0.01 to 1,000,000"),
    ("--speed", "-3", "argument --speed: -3 is out of range: must be from 0.01 to 1,000,000"),
    ("--sample", "nan", "argument --sample: 'nan' is not a finite number"),
    ("--sample", "1e-6", "argument --sample: 1e-6 is out of range: must be at least 0.1"),
    ("--sample", "-inf", "argument --sample: '-inf' is not a finite number"),
    ("--weight", "nan", "argument --weight: 'nan' is not a finite number"),
    ("--weight", "1e999", "argument --weight: '1e999' is not a finite number"),
    ("--weight", "0", "argument --weight: 0 is out of range: must be from 0.3 to 650"),
    ("--weight", "heavy", "argument --weight: 'heavy' is not a number"),
])
def test_run_refuses_non_finite_and_out_of_range_numbers(capsys, option, value, message):
    err = _usage_error(capsys, ["run", str(PPH), "--script", str(GOOD), f"{option}={value}"])
    assert err == f"simtool run: error: {message}"


@pytest.mark.parametrize(("argv", "message"), [
    (["--resamples", "nan"], "argument --resamples: 'nan' is not a whole number"),
    (["--resamples", "99"], "argument --resamples: 99 is out of range: must be from 100 to 100,000"),
    (["--resamples", "1000000000"], "argument --resamples: 1000000000 is out of range: must be from 100 to 100,000"),
    (["--seed", "1e3"], "argument --seed: '1e3' is not a whole number"),
    (["--encoding", "klingon"], "argument --encoding: unknown encoding 'klingon' (for example utf-8, gbk, gb18030, big5)"),
])
def test_psychometrics_refuses_bad_numbers_and_encodings(capsys, tmp_path, argv, message):
    f = tmp_path / "s.csv"
    f.write_text(SCORES_HEADER + "c1,S1,E1,3,2,1\n", encoding="utf-8")
    err = _usage_error(capsys, ["stats", "psychometrics", "--input", str(f), *argv])
    assert err == f"simtool stats psychometrics: error: {message}"


def test_sampling_finer_than_a_run_can_hold_is_refused_before_anything_is_recorded(capsys, tmp_path):
    script = tmp_path / "day.yaml"
    script.write_text("duration_s: 86400\n", encoding="utf-8")
    db = tmp_path / "a.sqlite"
    assert main(["run", str(PPH), "--script", str(script), "--sample", "0.5", "--archive", str(db)]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err == ("simtool run: --sample 0.5 s over 86400 s would take 172,801 vitals samples; "
                       "the limit is 100,000 (use 0.9 s or more)\n")
    assert not db.exists()


def test_run_json_is_strict_json_with_the_finest_sampling(capsys, tmp_path):
    script = tmp_path / "minute.yaml"
    script.write_text("duration_s: 60\nactions:\n  - {t: 30, action: oxytocin, dose: 10, unit: IU}\n",
                      encoding="utf-8")
    assert main(["run", str(PPH), "--script", str(script), "--json", "--sample", "0.1"]) == 0
    out = _strict_json(capsys.readouterr().out)
    assert len(out["vitals"]) == 601 and out["vitals"][1]["t"] == 0.1


def _scores(tmp_path: Path, rows: str, encoding: str = "utf-8") -> Path:
    f = tmp_path / "scores.csv"
    f.write_bytes((SCORES_HEADER + rows).encode(encoding))
    return f


DEGENERATE = "".join(f"c{i},S1,E{e},10,2,1\n" for i in range(4) for e in (1, 2))


def test_psychometrics_json_of_degenerate_scores_is_strict_json(capsys, tmp_path):
    f = _scores(tmp_path, DEGENERATE)
    assert main(["stats", "psychometrics", "--input", str(f), "--json", "--resamples", "100"]) == 0
    report = _strict_json(capsys.readouterr().out)
    station = report["stations"][0]
    assert station["sd"] == 0.0 and station["alpha"] is None
    assert station["agreement"][0]["kappa_grade"] is None


def test_a_gbk_csv_gets_a_hint_and_reads_with_encoding_gbk(capsys, tmp_path):
    rows = "".join(f"张{i},站一,考官甲,{10 + i},2,1\n" for i in range(4))
    f = _scores(tmp_path, rows, "gbk")
    assert main(["stats", "psychometrics", "--input", str(f)]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err == (f"{f}:2: -: not UTF-8 (byte 0x{'张'.encode('gbk')[:1].hex()}): if it was saved by Excel "
                       "in Chinese, save it as 'CSV UTF-8' or pass --encoding gbk\n")
    assert main(["stats", "psychometrics", "--input", str(f), "--encoding", "gbk", "--json",
                 "--resamples", "100"]) == 0
    report = _strict_json(capsys.readouterr().out)
    assert report["candidates"] == 4 and report["stations"][0]["station"] == "站一"


def test_a_csv_with_the_excel_utf8_bom_reads(capsys, tmp_path):
    f = _scores(tmp_path, DEGENERATE, "utf-8-sig")
    assert main(["stats", "psychometrics", "--input", str(f), "--json", "--resamples", "100"]) == 0
    assert _strict_json(capsys.readouterr().out)["candidates"] == 4


def test_resamples_times_candidates_is_bounded(capsys, tmp_path):
    rows = "".join(f"c{i},S1,E1,{i % 20},{1 + i % 5},1\n" for i in range(2001))
    f = _scores(tmp_path, rows)
    assert main(["stats", "psychometrics", "--input", str(f), "--resamples", "10000"]) == 1
    assert capsys.readouterr().err == (
        "simtool stats: --resamples 10,000 × 2,001 candidates at station S1 is 20,010,000 bootstrap "
        "draws; the limit is 20,000,000 (use --resamples 9,995 or fewer)\n")


# --- non-regular files as inputs (child processes: without the guard they hang) -----------------

def _child(*argv: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "simtool", *argv], capture_output=True, text=True,
                          timeout=60, env=env, cwd=ROOT)


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_fifo_or_device_as_scores_csv_is_refused(tmp_path, kind):
    if kind == "fifo":
        path = tmp_path / "scores.csv"
        os.mkfifo(path)
        what = "is a pipe (FIFO), not a regular file"
    else:
        path = Path("/dev/zero")
        what = "is a device, not a regular file"
    r = _child("stats", "psychometrics", "--input", str(path))
    assert r.returncode == 1 and r.stdout == "" and "Traceback" not in r.stderr
    assert r.stderr == f"{path}:1: -: {what}\n"


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_fifo_or_device_as_scenario_is_refused(tmp_path, kind):
    if kind == "fifo":
        path = tmp_path / "s.yaml"
        os.mkfifo(path)
        what = "is a pipe (FIFO), not a regular file"
    else:
        path = Path("/dev/zero")
        what = "is a device, not a regular file"
    r = _child("run", str(path), "--script", str(GOOD))
    assert r.returncode == 1 and r.stdout == "" and "Traceback" not in r.stderr
    assert r.stderr == f"{path}:1: (file): {what}\n"


def test_an_oversized_csv_is_refused(capsys, tmp_path):
    f = tmp_path / "big.csv"
    with open(f, "wb") as out:
        out.write(SCORES_HEADER.encode())
        out.truncate(32 * 1024 * 1024 + 1)
    assert main(["stats", "psychometrics", "--input", str(f)]) == 1
    assert capsys.readouterr().err == (f"{f}:1: -: is larger than 32 MiB, the limit for score and "
                                       "Angoff CSV files\n")


@pytest.mark.slow
def test_a_script_of_100000_actions_plays_from_the_command_line(capsys, tmp_path):
    n = 100_000
    script = tmp_path / "many.yaml"
    script.write_text("duration_s: 3600\nactions:\n" + "".join(
        f"  - {{t: {i * 3600 / (n + 1):.3f}, action: uterine_massage}}\n" for i in range(n)), encoding="utf-8")
    start = time.process_time()
    assert main(["run", str(PPH), "--script", str(script), "--json", "--sample", "60"]) == 0
    took = time.process_time() - start  # about 10 s of CPU; when the rules re-read the drill, hours
    out = _strict_json(capsys.readouterr().out)
    assert sum(e["kind"] == "action" for e in out["events"]) == n
    assert took < 60


@pytest.mark.parametrize("argv", [
    ["stats", "portfolio", "Li\udcffNa"],
    ["export", "D1", "--kind", "debrief", "--institution", "\udce4\udcb8", "-o", "x.pdf"],
    ["run", str(PPH), "--script", str(GOOD), "--condition", "asth\udcffma"],
])
def test_text_options_that_are_not_utf8_are_usage_errors(capsys, argv):
    # undecodable bytes on the command line arrive as lone surrogates, which cannot be written
    # to the archive, a PDF or the terminal
    err = _usage_error(capsys, argv)
    assert err.endswith("holds bytes that are not UTF-8 text")
    assert "\\xff" in err or "\\xe4\\xb8" in err
