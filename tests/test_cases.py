"""Real cases beside drills (issue 21 item 6): a real case's timeline imported from a file is
judged by the scenario's own indicator definitions — the same values a drill with the same
timeline gets — kept apart from drills (its own audited, append-only tables; never in the
drills' figures) and reported beside them with ``stats indicators --source cases|both``."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

import pytest
import yaml

from simtool.cli import main
from simtool.store import Archive
from simtool.store.cases import CASES_VERSION, cases

from helpers.paths import ROOT

SCRIPTS = ROOT / "tests" / "scripts"
SHORT = """duration_s: 900
actions:
  - {t: 760, action: call_for_help, by: midwife}
  - {t: 790, action: oxytocin, dose: 10, unit: IU, route: IM, by: midwife}
"""
SAME_TIMELINE = [("pph_uterine_atony", "late_care"), ("last_nerve_block", "poor_care"),
                 ("pas_mdt", "good_care")]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def report(capsys, db: Path, source: str, *extra: str) -> dict:
    code, out, err = run(capsys, "stats", "indicators", "--archive", str(db), "--source", source,
                         "--json", *extra)
    assert code == 0, err
    return json.loads(out)


def figures(group: dict) -> dict:
    """Everything a group says about its indicators."""
    return {i["id"]: {k: v for k, v in i.items() if k != "id"} for i in group["indicators"]}


def truncated(scenario: str, script: str, folder: Path, until: float = 1500) -> Path:
    """A bundled drill script cut to its first ``until`` seconds (the engine plays every
    second: a whole hour costs seconds of test time)."""
    data = yaml.safe_load((SCRIPTS / scenario / f"{script}.yaml").read_text(encoding="utf-8"))
    data["duration_s"] = min(data["duration_s"], until)
    data["actions"] = [a for a in data["actions"] if a["t"] <= until]
    data.pop("forces", None)
    path = folder / f"{scenario}-{script}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def short(tmp_path) -> Path:
    path = tmp_path / "short.yaml"
    path.write_text(SHORT, encoding="utf-8")
    return path


def as_csv(script: Path, path: Path) -> Path:
    """The script's actions as a CSV a department would type: times as m:ss, who by role."""
    data = yaml.safe_load(script.read_text(encoding="utf-8"))
    roles = {p["id"]: p["role"] for p in data.get("participants", [])}
    lines = ["t,action,dose,unit,route,by"]
    for a in data["actions"]:
        t = a["t"]
        stamp = f"{int(t // 60)}:{t % 60:02g}" if float(t).is_integer() else str(t)
        lines.append(",".join([stamp, a["action"], str(a.get("dose", "")), a.get("unit", ""),
                               a.get("route", ""), roles.get(a.get("by"), a.get("by") or "")]))
    lines.append(f"{data['duration_s']},end,,,,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("scenario,script", SAME_TIMELINE)
def test_a_real_case_imported_from_a_file_gives_the_indicator_values_of_a_drill_with_the_same_timeline(
        tmp_path, capsys, scenario, script):
    db = tmp_path / "a.sqlite"
    path = truncated(scenario, script, tmp_path)
    where = ["--archive", str(db), "--site", "Lab A", "--department", "Obstetrics"]
    assert run(capsys, "run", scenario, "--script", str(path), "--json", *where)[0] == 0
    code, out, err = run(capsys, "cases", "import", str(path), "--scenario", scenario, *where)
    assert code == 0, err
    assert "left out (could name someone): participants' names" in out

    drills, real = report(capsys, db, "drills"), report(capsys, db, "cases")
    assert drills["drills"] == 1 and real["cases"] == 1
    assert [(g["scenario_id"], g["quarter"], g["department"]) for g in drills["groups"]] == \
        [(g["scenario_id"], g["quarter"], g["department"]) for g in real["groups"]]
    for d, c in zip(drills["groups"], real["groups"]):
        assert c["source"] == "cases" and c["cases"] == 1 and "drills" not in c
        assert figures(c) == figures(d)
    assert sum(i["applies"] for i in drills["groups"][0]["indicators"]) > 0   # something judged
    # and case by case: the case's results are the drill's, indicator by indicator
    with Archive.open(db) as archive:
        from simtool.store.analytics import drill_indicators
        drill = [r.to_dict() for r in drill_indicators(archive)[0].results]
        assert [c["indicators"] for c in cases(archive)] == [drill]


def test_the_same_timeline_typed_as_a_csv_gives_the_same_values(tmp_path, capsys):
    """m:ss times, roles for people, an end row: the CSV a department types from its notes."""
    path = truncated("pph_uterine_atony", "late_care", tmp_path)
    kept = []
    for n, source in enumerate((path, as_csv(path, tmp_path / "case.csv"))):
        db = tmp_path / f"{n}.sqlite"
        code, _out, err = run(capsys, "cases", "import", str(source), "--scenario",
                              "pph_uterine_atony", "--archive", str(db), "--date", "2025-05-06")
        assert code == 0, err
        with Archive.open(db) as archive:
            kept.append([(c["timeline"], c["duration_s"], c["indicators"]) for c in cases(archive)])
    assert kept[0] == kept[1] and kept[0][0][2]


def test_both_reports_drills_and_cases_apart_and_the_default_never_counts_a_case(tmp_path, capsys):
    db = tmp_path / "a.sqlite"
    path = truncated("pph_uterine_atony", "good_care", tmp_path)
    assert run(capsys, "run", "pph_uterine_atony", "--script", str(path), "--json",
               "--archive", str(db))[0] == 0
    before = report(capsys, db, "drills")
    late = tmp_path / "late.yaml"
    late.write_text(SHORT.replace("t: 760", "t: 1760").replace("900", "1800"), encoding="utf-8")
    assert run(capsys, "cases", "import", str(late), "--scenario", "pph_uterine_atony",
               "--archive", str(db))[0] == 0
    # the drills' figures do not move when a case is kept, with or without --source
    assert report(capsys, db, "drills") == before
    code, out, _ = run(capsys, "stats", "indicators", "--archive", str(db), "--json")
    assert json.loads(out) == before
    both = report(capsys, db, "both")
    assert (both["source"], both["drills"], both["cases"]) == ("both", 1, 1)
    sources = [g["source"] for g in both["groups"]]
    assert sources.count("drills") == len(before["groups"]) and "cases" in sources
    for g in both["groups"]:
        assert ("drills" in g) != ("cases" in g)   # every group counts one kind only
    drill_groups = [{k: v for k, v in g.items() if k != "source"}
                    for g in both["groups"] if g["source"] == "drills"]
    assert drill_groups == before["groups"]
    assert all(a["source"] in ("drills", "cases") for a in both["alerts"])
    warning = {g["source"]: figures(g)["warning_delay"] for g in both["groups"]
               if g["department"] is None}
    # the cases are judged against the drills' own targets, with their sources
    assert warning["cases"]["target_pct"] == warning["drills"]["target_pct"]
    assert warning["cases"]["target_source"] == warning["drills"]["target_source"]
    assert warning["drills"]["met"] == 1 and warning["cases"]["met"] == 0   # never one number
    code, out, _ = run(capsys, "stats", "indicators", "--archive", str(db), "--source", "both")
    assert "1 ended drills and 1 real cases, reported apart" in out and "(1 real cases)" in out
    # a case is not a drill anywhere else either
    with Archive.open(db) as archive:
        assert archive._conn.execute("SELECT count(*) FROM drills").fetchone()[0] == 1
        assert archive.verify() == []


def test_a_case_keeps_no_names_no_staff_ids_no_notes(tmp_path, capsys):
    db = tmp_path / "a.sqlite"
    script = tmp_path / "case.yaml"
    script.write_text(
        "duration_s: 1800\n"
        "participants:\n"
        "  - {id: zhangsanfeng, name: Zhang Sanfeng, role: midwife, staff_id: S777123}\n"
        "examiners: [{name: Dr Quxiaoyao, staff_id: E424242}]\n"
        "notes: patient Wu Mingyue bed 12\n"
        "actions:\n"
        "  - {t: 760, action: call_for_help, by: zhangsanfeng, note: told by Wu Mingyue}\n"
        "  - {t: 790, action: oxytocin, dose: 10, unit: IU, route: IM, by: midwife}\n"
        "forces:\n"
        "  - {t: 100, force: pph_detected, reason: Wu Mingyue said so}\n", encoding="utf-8")
    code, out, err = run(capsys, "cases", "import", str(script), "--scenario", "pph_uterine_atony",
                         "--archive", str(db), "--json")
    assert code == 0, err
    kept = json.loads(out)
    assert any("examiners" in w for w in kept["left_out"]) and any("notes" in w for w in kept["left_out"])
    code, out, _ = run(capsys, "cases", "list", "--archive", str(db), "--json")
    listed = json.loads(out)["cases"]
    assert [e.get("by") for e in listed[0]["timeline"] if "action" in e] == ["midwife", "midwife"]
    raw = db.read_bytes()
    for word in (b"Zhang Sanfeng", b"zhangsanfeng", b"S777123", b"Quxiaoyao", b"E424242", b"Wu Mingyue"):
        assert word not in raw, word


@pytest.mark.parametrize("ref,why", [
    ("张三", "a person's name"), ("11010519491231002X", "identity card"),
    ("13812345678", "phone or medical record number"), ("a@b.cn", "not allowed"),
    ("=HYPERLINK(1)", "not allowed"), ("Mary Smith", "a person's name"),
    ("wang fang", "a person's name"), ("SMITH", "a person's name"), ("Zoë Ng", "a person's name")])
def test_a_case_reference_that_could_identify_the_patient_is_refused(tmp_path, capsys, short, ref, why):
    db = tmp_path / "a.sqlite"
    code, _out, err = run(capsys, "cases", "import", str(short),
                          "--scenario", "pph_uterine_atony", "--archive", str(db), "--case-ref", ref)
    assert code == 1 and err.startswith("simtool cases: --case-ref case reference:") and why in err
    assert len(err.strip().splitlines()) == 1
    with Archive.open(db) as archive:
        assert cases(archive) == []


def test_file_line_errors_name_every_problem_and_nothing_is_kept(tmp_path, capsys):
    db = tmp_path / "a.sqlite"
    csv_file = tmp_path / "case.csv"
    csv_file.write_text("t,action,dose,unit,by\n"
                        "0:30,call_for_help,,,midwife\n"
                        "1:00,oxytocin,ten,IU,midwife\n", encoding="utf-8")
    code, _out, err = run(capsys, "cases", "import", str(csv_file), "--scenario", "pph_uterine_atony",
                          "--archive", str(db))
    assert code == 1 and err.startswith(f"{csv_file}:3: actions[1].dose: must be a number"), err
    csv_file.write_text("t,action,dose,unit,by\n"
                        "0:30,call_for_help,,,midwife\n"
                        "1:00,oxytocin,10,IU,midwife\n"
                        "1:30,magic_spell,,,midwife\n"
                        "2:00,oxytocin,10,IU,janitor\n", encoding="utf-8")
    code, _out, err = run(capsys, "cases", "import", str(csv_file), "--scenario", "pph_uterine_atony",
                          "--archive", str(db))
    assert code == 1
    assert err.splitlines() == [
        f"{csv_file}:4: actions[2].action: unknown action 'magic_spell'",
        f"{csv_file}:5: actions[3].by: 'janitor' is neither a participant nor a role"], err
    yml = tmp_path / "case.yaml"
    yml.write_text("duration_s: 600\nactions:\n  - {t: 10, action: call_for_help}\n"
                   "  - {t: 900, action: uterine_massage}\n", encoding="utf-8")
    code, _out, err = run(capsys, "cases", "import", str(yml), "--scenario", "pph_uterine_atony",
                          "--archive", str(db))
    assert code == 1 and err.startswith(f"{yml}:4: actions[1].t: 900 s is after the end"), err
    with Archive.open(db) as archive:
        assert cases(archive) == []


def test_the_same_case_twice_and_a_reference_taken_are_refused(tmp_path, capsys, short):
    db = tmp_path / "a.sqlite"
    path = str(short)
    base = ["cases", "import", path, "--scenario", "pph_uterine_atony", "--archive", str(db),
            "--date", "2025-04-03"]
    assert run(capsys, *base, "--case-ref", "PPH-2025-014")[0] == 0
    code, _out, err = run(capsys, *base)
    assert code == 1 and "already in the archive as PPH-2025-014" in err
    other = tmp_path / "other.yaml"
    other.write_text(SHORT.replace("t: 790", "t: 800"), encoding="utf-8")
    code, _out, err = run(capsys, "cases", "import", str(other), "--scenario", "pph_uterine_atony",
                          "--archive", str(db), "--case-ref", "PPH-2025-014")
    assert code == 1 and "PPH-2025-014 is already case 1" in err
    code, _out, err = run(capsys, *base[:-1], "2999-01-01")
    assert code == 1 and "--date date: 2999-01-01 is in the future" in err
    code, out, _ = run(capsys, "cases", "list", "--archive", str(db), "--json")
    got = json.loads(out)["cases"]
    assert [(c["case_ref"], c["date"], c["quarter"]) for c in got] == [("PPH-2025-014", "2025-04-03", "2025-Q2")]


def test_verify_names_an_edited_or_deleted_case_and_the_guards_refuse_sql(tmp_path, capsys, short):
    db = tmp_path / "a.sqlite"
    assert run(capsys, "cases", "import", str(short),
               "--scenario", "pph_uterine_atony", "--archive", str(db), "--case-ref", "X-1")[0] == 0
    with contextlib.closing(sqlite3.connect(db)) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] >= CASES_VERSION
        for sql in ("UPDATE real_cases SET site = 'B'", "DELETE FROM real_case_indicators",
                    "DELETE FROM real_cases"):
            with pytest.raises(sqlite3.DatabaseError, match="part of"):
                con.execute(sql)
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as con:
        triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                               "AND tbl_name LIKE 'real_case%'").fetchall()
        for name, _ in triggers:
            con.execute(f"DROP TRIGGER {name}")
        con.execute("UPDATE real_cases SET department = 'Elsewhere'")
        con.execute("DELETE FROM real_case_indicators WHERE position = 0")
        for _, sql in triggers:
            con.execute(sql)
    code, out, _ = run(capsys, "verify", "--archive", str(db))
    assert code == 1
    assert "real case 1 (X-1): record changed after it was written" in out
    assert "indicator result of a real case 1: missing" in out


def test_a_case_entered_by_mistake_is_withdrawn_kept_and_counted_nowhere(tmp_path, capsys, short):
    db = tmp_path / "a.sqlite"
    base = ["cases", "import", str(short), "--scenario", "pph_uterine_atony", "--archive", str(db)]
    assert run(capsys, *base, "--case-ref", "PPH-1", "--date", "2025-04-03")[0] == 0
    code, _out, err = run(capsys, "cases", "withdraw", "PPH-1", "--archive", str(db), "--reason", "  ")
    assert code == 1 and "--reason reason: say why" in err
    code, out, err = run(capsys, "cases", "withdraw", "PPH-1", "--archive", str(db),
                         "--reason", "wrong date: the case was on 4 April")
    assert code == 0 and "withdrawn" in out, err
    code, _out, err = run(capsys, "cases", "withdraw", "1", "--archive", str(db), "--reason", "again")
    assert code == 1 and "withdrawn on" in err and "already" in err
    code, _out, err = run(capsys, "cases", "withdraw", "PPH-404", "--archive", str(db), "--reason", "x")
    assert code == 1 and "no real case PPH-404" in err
    assert report(capsys, db, "cases")["cases"] == 0
    code, out, _ = run(capsys, "cases", "list", "--archive", str(db), "--json")
    assert json.loads(out)["cases"] == []
    code, out, _ = run(capsys, "cases", "list", "--archive", str(db), "--all")
    assert "PPH-1" in out and "WITHDRAWN" in out and "wrong date" in out
    # the same timeline entered again, correctly: counted once
    assert run(capsys, *base, "--case-ref", "PPH-1b", "--date", "2025-04-04")[0] == 0
    assert report(capsys, db, "cases")["cases"] == 1
    with contextlib.closing(sqlite3.connect(db)) as con:
        for sql in ("UPDATE real_case_withdrawals SET reason = 'x'", "DELETE FROM real_case_withdrawals"):
            with pytest.raises(sqlite3.DatabaseError, match="cannot be changed or undone"):
                con.execute(sql)
    with Archive.open(db) as archive:
        assert archive.verify() == []
