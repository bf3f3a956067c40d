"""``simtool bundle export|import`` carries real cases: without ``--drill`` every case of the
archive, with ``--drill`` the cases of those drills' sites; after the import ``stats
indicators --source cases`` says at the department what it says at the site, filter by
filter, and ``verify`` passes; a hostile or conflicting bundle is one sentence."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from simtool.cli import main

SCRIPT = """duration_s: 900
actions:
  - {t: 760, action: call_for_help, by: midwife}
  - {t: 790, action: oxytocin, dose: 10, unit: IU, route: IM, by: midwife}
"""
LATE = "t,action,dose,unit,route,by\n14:10,call_for_help,,,,midwife\n15:50,oxytocin,10,IU,IM,midwife\n16:40,end,,,,\n"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, Path]:
    """County A's archive, made through the command line: a drill there, four real cases
    (two departments, one withdrawn) and one of County B; and the script file."""
    folder = tmp_path_factory.mktemp("site")
    db, script, late = folder / "county.sqlite", folder / "case.yaml", folder / "late.csv"
    script.write_text(SCRIPT, encoding="utf-8")
    late.write_text(LATE, encoding="utf-8")
    assert main(["run", "pph_uterine_atony", "--script", str(script), "--archive", str(db),
                 "--site", "County A", "--department", "Obstetrics"]) == 0
    for path, where, day, ref in [(script, ("County A", "Obstetrics"), "2025-01-14", "PPH-001"),
                                  (late, ("County A", "Obstetrics"), "2025-02-03", None),
                                  (late, ("County A", "Anaesthesia"), "2025-05-20", None),
                                  (late, ("County A", "Obstetrics"), "2025-05-21", "PPH-002"),
                                  (script, ("County B", "Obstetrics"), "2025-03-01", None)]:
        assert main(["cases", "import", str(path), "--scenario", "pph_uterine_atony", "--archive",
                     str(db), "--site", where[0], "--department", where[1], "--date", day,
                     *(["--case-ref", ref] if ref else [])]) == 0
    assert main(["cases", "withdraw", "PPH-002", "--reason", "entered twice", "--archive", str(db)]) == 0
    return db, folder


def stats(capsys, db: Path, *filters: str) -> dict:
    code, out, err = run(capsys, "stats", "indicators", "--archive", str(db), "--source", "cases",
                         "--json", *filters)
    assert code == 0, err
    return json.loads(out)


def listed(capsys, db: Path) -> list[dict]:
    code, out, _ = run(capsys, "cases", "list", "--all", "--json", "--archive", str(db))
    return [{k: v for k, v in c.items() if k != "id"} for c in json.loads(out)["cases"]]


def test_every_case_travels_and_the_department_reports_what_the_site_does(site, tmp_path, capsys):
    db, _ = site
    bundle, dept = tmp_path / "all.simtool", tmp_path / "dept.sqlite"
    code, _, err = run(capsys, "bundle", "export", "--archive", str(db), "-o", str(bundle))
    assert code == 0 and "1 drills and 5 real cases written to" in err
    code, out, err = run(capsys, "bundle", "import", str(bundle), "--archive", str(dept))
    assert code == 0, err
    assert "note: real cases: 5 added, 0 already present; withdrawals: 1 added, 0 already present" in out
    assert listed(capsys, dept) == listed(capsys, db)
    for filters in ([], ["--site", "County A"], ["--site", "County B"], ["--department", "Obstetrics"],
                    ["--site", "County A", "--department", "Anaesthesia"],
                    ["--from", "2025-02-01", "--to", "2025-06-30"]):
        assert stats(capsys, dept, *filters) == stats(capsys, db, *filters), filters
    assert stats(capsys, dept)["cases"] == 4        # the withdrawn case counts nowhere there either
    assert run(capsys, "verify", "--archive", str(dept))[0] == 0
    code, out, _ = run(capsys, "bundle", "import", str(bundle), "--archive", str(dept))
    assert code == 0 and "real cases: 0 added, 5 already present" in out


def test_with_drill_the_cases_of_its_site_travel(site, tmp_path, capsys):
    db, _ = site
    code, out, _ = run(capsys, "drills", "--json", "--archive", str(db))
    did = json.loads(out)[0]["id"]
    bundle = tmp_path / "one.simtool"
    code, _, err = run(capsys, "bundle", "export", "--archive", str(db), "-o", str(bundle), "--drill", did)
    assert code == 0 and "1 drills and 4 real cases written to" in err
    doc = json.loads(zipfile.ZipFile(bundle).read("cases.json"))
    assert {c["site"] for c in doc["cases"]} == {"County A"} and len(doc["withdrawals"]) == 1


def test_a_hostile_or_conflicting_bundle_is_one_sentence(site, tmp_path, capsys):
    db, _ = site
    bundle, dept = tmp_path / "all.simtool", tmp_path / "dept.sqlite"
    assert run(capsys, "bundle", "export", "--archive", str(db), "-o", str(bundle))[0] == 0
    files = {n: zipfile.ZipFile(bundle).read(n) for n in zipfile.ZipFile(bundle).namelist()}
    doc = json.loads(files["cases.json"])
    doc["cases"][0]["case_ref"] = "张三"
    files["cases.json"] = json.dumps(doc).encode()
    bad = tmp_path / "bad.simtool"
    with zipfile.ZipFile(bad, "w") as zf:
        for n, data in files.items():
            zf.writestr(n, data)
    code, out, err = run(capsys, "bundle", "import", str(bad), "--archive", str(dept))
    assert code == 1 and "cases.json does not match its hash in the manifest" in err
    assert len(err.strip().splitlines()) == 1
    assert not dept.exists() or listed(capsys, dept) == []
    # the same uid with another content: refused, never overwritten, and the exit says so
    assert run(capsys, "bundle", "import", str(bundle), "--archive", str(dept))[0] == 0
    before = listed(capsys, dept)
    doc = json.loads(zipfile.ZipFile(bundle).read("cases.json"))
    doc["cases"][0]["department"] = "Gynaecology"
    raw = json.dumps(doc).encode()
    manifest = json.loads(files["manifest.json"])
    manifest["cases"]["sha256"] = hashlib.sha256(raw).hexdigest()
    del manifest["signer"]
    other = tmp_path / "other.simtool"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for n, data in files.items():
            if n not in ("manifest.json", "signature.json", "cases.json"):
                zf.writestr(n, data)
        zf.writestr("cases.json", raw)
    code, out, err = run(capsys, "bundle", "import", str(other), "--archive", str(dept))
    ref = doc["cases"][0]["case_ref"]
    assert code == 1
    assert f"refused real case {ref}: a different real case with its uid {doc['cases'][0]['uid']} is " \
           f"already in the archive (as {ref}); it was not overwritten" in out
    assert listed(capsys, dept) == before
