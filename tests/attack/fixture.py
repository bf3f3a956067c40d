"""Build the archive the attack cases copy: run as ``python tests/attack/fixture.py OUTDIR``.

It is built once per report (or pytest session) in its own process, with
``SIMTOOL_DATA_HOME=OUTDIR/data``, through simtool's public API, and holds every kind of
record ``verify`` must cover and ``--anonymize`` must hide:

* ``main.sqlite``: drill A (PPH, good care, summative, at a named site, a free-text note)
  whose three participants are trainees with names, staff ids and a department; four score
  sheets on the technical rubric — t1's signed and then amended, t2's signed, t3's and the
  team's unsigned — signed by two examiners with names and staff ids; kept indicator results.
  Drill B (the busy team, formative, no sheets) started after it.
* ``other.sqlite``: one unrelated drill (a bundle import's target, so "untouched" means
  something).
* ``bundle.simtool``: drills A and B exported by ``simtool bundle export``.
* ``info.json``: the ids the cases need (``{drill}``, ``{signed_sheet}``, ...) and the
  ``markers``: every identifying string put in, for the anonymisation search.

Every marker is an ASCII word that appears nowhere else, so a search of a bundle's bytes
finds it only if it leaked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PPH = ROOT / "scenarios" / "pph_uterine_atony.yaml"
TECHNICAL = ROOT / "rubrics" / "pph_uterine_atony_technical.yaml"
BUSY = ROOT / "tests" / "scripts" / "pph_uterine_atony" / "busy_team.yaml"

PEOPLE = [  # participant id, name, staff id, role
    ("t1", "Qiaoling Canarymidwife", "STAFF-CANARY-7101", "midwife"),
    ("t2", "Wenbo Canaryobstetric", "STAFF-CANARY-7102", "obstetrician"),
    ("t3", "Jiahui Canaryanaesth", "STAFF-CANARY-7103", "anaesthetist"),
]
EXAMINERS = [("Dr Canaryexaminer Lead", "EXAM-CANARY-5501"),
             ("Dr Canaryexaminer Second", "EXAM-CANARY-5502")]
SITE = "Canarysite General Hospital"
DEPARTMENT = "Canarydept Ward"
NOTE = "canarynote bleeding discussed with Mrs Canaryfamily"
WHY = "canarywhy examiner misheard the dose"
COMMENT = "canarycomment strong leadership"

SCRIPT = f"""\
duration_s: 1800
participants:
  - {{id: t1, name: {PEOPLE[0][1]}, role: midwife}}
  - {{id: t2, name: {PEOPLE[1][1]}, role: obstetrician}}
  - {{id: t3, name: {PEOPLE[2][1]}, role: anaesthetist}}
actions:
  - {{t: 760, action: call_for_help, by: midwife, note: "{NOTE}"}}
  - {{t: 770, action: uterine_massage, by: midwife}}
  - {{t: 790, action: oxytocin, dose: 10, unit: IU, route: IM, by: midwife}}
  - {{t: 820, action: iv_access, by: anaesthetist}}
  - {{t: 840, action: crystalloid_bolus, dose: 1000, unit: mL, route: IV, by: anaesthetist}}
  - {{t: 870, action: tranexamic_acid, dose: 1, unit: g, route: IV, by: anaesthetist}}
  - {{t: 900, action: examine_genital_tract, by: obstetrician}}
  - {{t: 1000, action: bimanual_compression, by: obstetrician}}
"""


def build(out: Path) -> dict:
    from simtool.core.drill import Drill, Participant, PatientParams
    from simtool.core.rubric import load_rubric
    from simtool.core.runner import run_script
    from simtool.core.scenario import load_scenario
    from simtool.core.scoring import score
    from simtool.core.script import load_script
    from simtool.store import Archive, Trainee
    from simtool.store.records import Examiner
    from simtool.store.scores import save_score

    out.mkdir(parents=True, exist_ok=True)
    script_path = out / "fixture_script.yaml"
    script_path.write_text(SCRIPT, encoding="utf-8")
    loaded = load_scenario(PPH)
    rubric = load_rubric(TECHNICAL, loaded)
    info: dict = {"missing": []}

    def record(archive, script_file, evaluation_type, trainees=None, site=None):
        script = load_script(script_file, loaded)
        people = [Participant(p.id, p.name, p.role) for p in script.participants]
        patient = PatientParams(loaded.scenario.patient.weight_kg.default)
        kw = {"site": site} if site else {}
        did = archive.start_drill(loaded, patient, people, evaluation_type, trainees=trainees, **kw)
        drill = Drill(loaded, patient, people)
        archive.record(did, drill)
        drill, _ = run_script(loaded, script, patient, 10.0, drill=drill,
                              on_sample=lambda row: archive.append_vitals(did, row))
        return did, drill

    main = out / "main.sqlite"
    with Archive.open(main) as archive:
        trainees = {pid: Trainee(name, staff, DEPARTMENT) for pid, name, staff, _ in PEOPLE}
        did, drill = record(archive, script_path, "summative", trainees, SITE)
        links = {p.id: p.trainee_id for p in archive.drill(did).participants if p.trainee_id}
        scored = score(rubric, drill, evaluation_type="summative")
        sheet_ids = save_score(archive, did, rubric, scored, links)
        by_trainee = {}
        for sid in sheet_ids:
            s = archive.sheet(sid)
            who = next((pid for pid, tid in links.items() if tid == s.trainee_id), "team")
            by_trainee[who] = sid
        e1 = archive.add_examiner(Examiner(*EXAMINERS[0]))
        e2 = archive.add_examiner(Examiner(*EXAMINERS[1]))
        archive.sign_sheet(by_trainee["t1"], e1)
        archive.sign_sheet(by_trainee["t2"], e2)
        old = archive.sheet(by_trainee["t1"])
        data = dict(old.data) if isinstance(old.data, dict) else {"sheet": old.data}
        data["comment"] = COMMENT
        amended = archive.amend_sheet(by_trainee["t1"], data, e1, WHY)
        did_b, _ = record(archive, BUSY, "formative")
        try:
            from simtool.store.analytics import drill_indicators
            drill_indicators(archive)
        except Exception as exc:  # noqa: BLE001 - the cases that need them say so
            info["missing"].append(f"kept indicators: {exc!r}")
        tids = {pid: tid for pid, tid in links.items()}
    import sqlite3
    con = sqlite3.connect(main)
    kept = con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'drill_indicators'").fetchone()[0]
    if kept and not con.execute("SELECT count(*) FROM drill_indicators").fetchone()[0]:
        info["missing"].append("kept indicators: none stored")
    con.close()

    other = out / "other.sqlite"
    with Archive.open(other) as archive:
        other_id, _ = record(archive, BUSY, "formative")

    env = {**os.environ}
    bundle = out / "bundle.simtool"
    res = subprocess.run([sys.executable, "-m", "simtool", "bundle", "export", "--archive", str(main),
                          "-o", str(bundle)], capture_output=True, text=True, env=env, cwd=out)
    if res.returncode != 0 or not bundle.is_file():
        raise SystemExit(f"bundle export failed: {res.stderr.strip()[-2000:]}")

    info["vars"] = {
        "drill": did, "drill2": did_b, "other_drill": other_id,
        "signed_sheet": by_trainee["t2"], "amended_sheet": by_trainee["t1"], "amendment_sheet": amended,
        "unsigned_sheet": by_trainee["t3"], "team_sheet": by_trainee["team"],
        "trainee": tids["t1"], "examiner": e1,
    }
    info["markers"] = ([p[1] for p in PEOPLE] + [p[2] for p in PEOPLE]
                       + [n for n, _ in EXAMINERS] + [s for _, s in EXAMINERS]
                       + [SITE, "Canaryfamily", "canarynote", WHY, COMMENT])
    # surname-like words that must not survive in any form (split names, "Li N." ...)
    info["marker_words"] = sorted({w for p in PEOPLE for w in p[1].split()}
                                  | {"Canaryexaminer", "Canarysite", "canarynote",
                                     "canarywhy", "canarycomment", "Canaryfamily", "STAFF-CANARY",
                                     "EXAM-CANARY"})
    (out / "info.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    return info


if __name__ == "__main__":
    build(Path(sys.argv[1]))
