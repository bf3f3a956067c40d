"""Score sheets from core scoring kept in the archive: signed sheets are final, corrections are
amendments, two examiners' sheets and the reconciled one are all kept, and a sheet reads the
same after its rubric file is edited."""

from __future__ import annotations

import shutil

import pytest

from simtool.core.drill import PatientParams
from simtool.core.examiner import reconcile
from simtool.core.rubric import load_rubric
from simtool.core.runner import run_script
from simtool.core.scoring import score
from simtool.core.script import load_script
from simtool.store import Archive, Examiner, SignedRecordError, Trainee
from simtool.store.scores import save_score, save_sheet

from helpers.paths import ROOT, SCRIPTS

TECHNICAL = ROOT / "rubrics" / "pph_uterine_atony_technical.yaml"


@pytest.fixture()
def recorded(pph, tmp_path):
    """A late-care drill recorded in a fresh archive, its participants linked to trainees."""
    script = load_script(SCRIPTS / "late_care.yaml", pph)
    drill, _ = run_script(pph, script, PatientParams(65.0))
    archive = Archive.open(tmp_path / "a.sqlite")
    did = archive.start_drill(pph, drill.patient, drill.participants, "summative",
                              trainees={p.id: Trainee(p.name, f"S{i}") for i, p in enumerate(drill.participants)})
    for e in drill.events:
        archive.append_event(did, e)
    links = {p.id: p.trainee_id for p in archive.drill(did).participants}
    yield archive, did, drill, links
    archive.close()


def test_a_scored_drill_is_stored_sheet_by_sheet(recorded, pph):
    archive, did, drill, links = recorded
    rubric = load_rubric(TECHNICAL, pph)
    result = score(rubric, drill, evaluation_type="summative")
    ids = save_score(archive, did, rubric, result, links)
    sheets = {s.id: s for s in archive.sheets(did)}
    assert set(ids) == set(sheets)
    team = next(s for s in sheets.values() if s.trainee_id is None)
    assert team.data == result.sheet("team").to_dict()
    assert team.data["verdict"]["critical_missed"] == ["help_called", "txa_in_window"]
    assert {s.trainee_id for s in sheets.values()} == set(links.values()) | {None}
    assert team.rubric_sha256 == rubric.sha256
    help_item = next(i for i in team.items if i.item_id == "help_called")
    assert help_item.result == "late" and help_item.evidence["evidence"]["late_by_s"] == 210


def test_signed_sheet_is_final_and_corrected_only_by_an_amendment(recorded, pph):
    archive, did, drill, links = recorded
    rubric = load_rubric(TECHNICAL, pph)
    result = score(rubric, drill, evaluation_type="summative")
    sid = save_sheet(archive, did, rubric, result.sheet("team"))
    examiner = archive.add_examiner(Examiner("Dr Examiner", "E1"))
    archive.sign_sheet(sid, examiner)
    with pytest.raises(SignedRecordError):
        archive.update_sheet(sid, data={"points": 20})
    overridden = score(rubric, drill, {"team": {"overrides": {"help_called": ("met", "help was called at 17:00, logged late")}}},
                       evaluation_type="summative").sheet("team")
    new_id = archive.amend_sheet(sid, overridden.to_dict(), examiner, "help was called on time; logged late")
    original, amended = archive.sheet(sid), archive.sheet(new_id)
    assert original.data == result.sheet("team").to_dict() and original.superseded_by == new_id
    assert amended.data["items"][0]["override"]["reason"] == "help was called at 17:00, logged late"
    assert [a.why for a in archive.amendments(sid)] == ["help was called on time; logged late"]
    assert archive.verify() == []


def test_two_examiners_and_the_reconciled_sheet_are_all_kept(recorded, pph):
    archive, did, drill, links = recorded
    rubric = load_rubric(TECHNICAL, pph)
    a = score(rubric, drill, {"t1": {"examiner": "A", "items": {"closed_loop": True}, "global_grade": "borderline"}},
              evaluation_type="summative").sheet("t1")
    b = score(rubric, drill, {"t1": {"examiner": "B", "items": {"closed_loop": False}, "global_grade": "clear_fail"}},
              evaluation_type="summative").sheet("t1")
    agreed = reconcile(a, b, {"closed_loop": "a", "global_grade": "b"}, by="Chair", reason="video review")
    ids = [save_sheet(archive, did, rubric, s, links) for s in (a, b, agreed)]
    stored = [archive.sheet(i) for i in ids]
    assert [s.data["examiner"] for s in stored] == ["A", "B", "Chair"]
    kept = stored[2].data["reconciliation"]
    assert [o["examiner"] for o in kept["originals"]] == ["A", "B"]
    assert kept["by"] == "Chair" and kept["reason"] == "video review"
    assert stored[2].data["global_grade"]["id"] == "clear_fail"


def test_editing_the_rubric_file_never_changes_an_old_sheet(recorded, pph, tmp_path):
    archive, did, drill, links = recorded
    copy = tmp_path / "rubrics" / TECHNICAL.name
    copy.parent.mkdir()
    shutil.copy(TECHNICAL, copy)
    shutil.copytree(TECHNICAL.parent / "blocks", copy.parent / "blocks")
    rubric = load_rubric(copy, pph)
    sid = save_sheet(archive, did, rubric, score(rubric, drill, evaluation_type="summative").sheet("team"))
    before = archive.sheet(sid)
    copy.write_text(copy.read_text(encoding="utf-8").replace("value: 70", "value: 50"), encoding="utf-8")
    assert archive.sheet(sid) == before
    stored_text = archive.rubric_text(sid)
    assert "value: 70" in stored_text
    # re-scoring with the stored text gives the stored sheet back
    copy.write_text(stored_text, encoding="utf-8")
    again = score(load_rubric(copy, pph), drill, evaluation_type="summative").sheet("team")
    assert again.to_dict() == before.data
