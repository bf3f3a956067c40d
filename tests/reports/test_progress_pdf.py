"""The progress report for a trainee's file (issue 20, item 3): who, the programme, not cleared
with how many requirements are missing, retraining due by its date, each stage's counts (with
their table header on every page the long pain programme runs over), the exams and the
simulation credit — in English, 简体中文 and 繁體中文 with the Chinese text embedded; and
``simtool export --kind progress``."""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from simtool.app.logbook import programme
from simtool.app.progress import progress, progress_pdf
from simtool.cli import main
from simtool.reports.common import Header
from simtool.reports.i18n import LANGS, tr
from simtool.reports.progressdata import progress_report
from simtool.store import Archive

from helpers.progress import (CLEARED_ON, CLEARED_STAFF, NAME, PPH_MISSING, RETRAIN_DUE, STAFF,
                              build_progress_archive)
from helpers.tools import POPPLER, require_tools

WHEN = datetime(2026, 3, 5, 10, 0, tzinfo=timezone.utc)
PAIN, PPH = "pain_medicine_specialist", "pph_staff"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_progress_archive(tmp_path_factory.mktemp("progress-pdf"))


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    require_tools(*POPPLER, package="poppler-utils")
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1]


def report(db, who, pid, lang="en"):
    with Archive.open(db, create=False) as archive:
        data = progress(archive, who, pid)
    return progress_report(data, programme(pid).programme, lang, Header("Example Hospital"), WHEN)


def test_the_report_says_what_stands_between_the_trainee_and_clearance(db):
    r = report(db, STAFF, PPH)
    assert (r.name, r.staff_id, r.programme_id, r.version) == (NAME, STAFF, PPH, "1")
    assert not r.cleared and r.status_tone == "retrain"
    # the cell-salvage station not passed, the practical (the massage station) failed, the
    # written test not recorded
    assert r.missing_count == PPH_MISSING == 3
    assert r.status == "Not cleared to work: 3 requirements missing"
    assert r.retrain == f"Retraining due by {RETRAIN_DUE}"
    practical = next(x for x in r.exams if x.id == "practical")
    assert (practical.result, practical.retrain_due) == ("FAIL on 2026-03-02", RETRAIN_DUE)
    assert practical.history[0].startswith("2026-03-02 FAIL (score sheet ")
    team, balloon, salvage = r.simulation
    assert (team.required, team.done, team.missing) == (1, 1, 0) and team.sheets.startswith("score sheet ")
    assert (balloon.done, balloon.missing, salvage.done, salvage.missing) == (1, 0, 0, 1)
    assert balloon.sheets.startswith("score sheet ")
    assert any("cell salvage station" in line for line in r.missing_lines), r.missing_lines

    pain = report(db, STAFF, PAIN)
    assert [s.id for s in pain.stages] == ["stage_one", "stage_two"]
    assert sum(len(s.rows) for s in pain.stages) == 77
    sgb = next(row for row in pain.stages[0].rows if row.id == "stage_one/stellate_ganglion_block/supervised")
    assert (sgb.required, sgb.done, sgb.pending, sgb.missing, sgb.level) == (20, 3, 2, 17, "supervised")
    assert pain.stages[0].notes[sgb.note - 1].startswith("003 ")     # its source, as a numbered note
    assert pain.missing_count == 77 and pain.retrain == ""

    cleared = report(db, CLEARED_STAFF, PPH, "zh_CN")
    assert cleared.cleared and cleared.status == f"自 {CLEARED_ON} 起准予上岗" and cleared.missing_lines == ()


@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_names_the_trainee_the_status_and_retraining(db, tmp_path, lang):
    with Archive.open(db, create=False) as archive:
        pdf = progress_pdf(archive, STAFF, PPH, lang, Header("Example Hospital"), WHEN)
    assert pdf.startswith(b"%PDF")
    flat = " ".join(" ".join(pdf_pages(pdf, tmp_path)).split())
    assert NAME in flat and STAFF in flat
    assert tr("not_cleared_n", lang, n=PPH_MISSING) in flat
    assert tr("retrain_due_by", lang, date=RETRAIN_DUE) in flat
    assert tr("exams", lang) in flat and tr("simulation_reqs", lang) in flat
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Helvetica" not in fonts
    if lang != "en":   # the Chinese words are in the text layer, in an embedded CJK font
        assert "培训进度" in flat if lang == "zh_CN" else "培訓進度" in flat
        cjk = [line for line in fonts.splitlines() if "DroidSansFallback" in line]
        assert cjk and all(" yes " in line for line in cjk)


def test_the_long_pain_programme_repeats_its_table_header_on_every_page(db, tmp_path):
    with Archive.open(db, create=False) as archive:
        pdf = progress_pdf(archive, STAFF, PAIN, "en", Header(), WHEN)
    pages = pdf_pages(pdf, tmp_path)
    assert len(pages) >= 3
    assert "Not cleared to work: 77 requirements missing" in " ".join(pages[0].split())
    for page in pages[1:]:   # the stages' tables run over: each page starts with their header
        words = page.split()
        assert words[words.index("Procedure"):][:7] == ["Procedure", "Level", "Required", "Done",
                                                        "Pending", "Missing", "Src"]
    assert "Stage two (advanced pain skills)" in " ".join(" ".join(pages).split())


def test_a_cleared_trainee_reads_cleared_since(db, tmp_path):
    with Archive.open(db, create=False) as archive:
        pdf = progress_pdf(archive, CLEARED_STAFF, PPH, "zh_TW", Header(), WHEN)
    flat = " ".join(" ".join(pdf_pages(pdf, tmp_path)).split())
    assert f"自 {CLEARED_ON} 起准予上崗" in flat and "重新培訓截止" in flat and "尚未" not in flat


def test_export_kind_progress_writes_the_pdf(db, tmp_path, capsys):
    out = tmp_path / "li.pdf"
    assert main(["export", "--kind", "progress", "--trainee", STAFF, "--programme", PPH,
                 "--archive", str(db), "--lang", "zh_CN", "-o", str(out)]) == 0
    flat = " ".join(" ".join(pdf_pages(out.read_bytes(), tmp_path)).split())
    assert NAME in flat and tr("not_cleared_n", "zh_CN", n=PPH_MISSING) in flat
    assert f"wrote {out}" in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["--kind", "progress", "--trainee", STAFF], "--kind progress needs --trainee STAFF_ID and --programme ID"),
    (["--kind", "progress", "--trainee", STAFF, "--programme", "nope"], "no programme 'nope'"),
    (["--kind", "progress", "--trainee", "S999", "--programme", PPH], "S999"),
    (["--kind", "portfolio", "--trainee", STAFF, "--programme", PPH], "--programme goes with --kind progress"),
])
def test_bad_input_is_one_sentence_and_writes_nothing(db, tmp_path, capsys, argv, message):
    out = tmp_path / "x.pdf"
    assert main(["export", *argv, "--archive", str(db), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not out.exists()
