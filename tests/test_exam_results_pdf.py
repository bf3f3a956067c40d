"""A candidate's exam results PDF (issue 22, item 5) and the printed schedule: one PDF per
candidate with each station's verdict, score, examiners and critical items and the total, in
en, zh_CN and zh_TW; refused before the results are released unless the organiser forces it,
and then every page says they are not released."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "web"))
from examday import PEOPLE, ZERO, full_marks, make_exam  # noqa: E402

from simtool.app.exam import ExamDay  # noqa: E402
from simtool.cli import main  # noqa: E402
from simtool.store import Archive  # noqa: E402

PDFTOTEXT = shutil.which("pdftotext")


def text_of(pdf: Path) -> str:
    return subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def marked(tmp_path_factory):
    """The demo exam with every sheet marked and signed through the exam day."""
    folder = tmp_path_factory.mktemp("exam")
    import contextlib
    import io
    with contextlib.redirect_stdout(io.StringIO()):
        path = make_exam(folder)
    with Archive.open(path) as archive:
        day = ExamDay(archive, "osce_demo")
        day.start(ZERO)
        seq = 0
        strength = {staff: i for i, (staff, _n, _d) in enumerate(PEOPLE)}
        for rnd in range(1, 7):
            now = ZERO + timedelta(seconds=(rnd - 1) * 600 + 90)
            for station, s in day.stations.items():
                rb = day.rubric(station).rubric
                items = [{"id": i.id, "kind": i.kind,
                          "levels": [{"value": lv.value} for lv in getattr(i, "levels", ())]}
                         for i in rb.items if i.kind in ("observed", "graded")]
                grades = [g.id for g in rb.global_rating.grades]
                for eid in s["examiner_ids"]:
                    turn = day.turns(station, eid, now)[0]
                    level = strength[turn.slot.candidate]
                    for ch in full_marks(items, level) + [{"global": grades[min(len(grades) - 1, level)]}]:
                        seq += 1
                        day.save_mark(station, eid, turn.candidate_id, "t", seq, ch, now)
                    day.sign(station, eid, turn.candidate_id, now)
    return path


def test_results_pdfs_wait_for_the_release_unless_forced(marked, tmp_path, capsys):
    out = tmp_path / "results"
    assert main(["exam", "results", "osce_demo", "--pdf", str(out), "--archive", str(marked)]) == 1
    err = capsys.readouterr().err
    assert "not released" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
    assert main(["exam", "results", "osce_demo", "--pdf", str(out), "--force", "--archive",
                 str(marked)]) == 0
    files = sorted(out.glob("*.pdf"))
    assert len(files) == 6 and all(f.read_bytes()[:5] == b"%PDF-" for f in files)
    if PDFTOTEXT:
        text = text_of(out / "osce_demo-S01-en.pdf")
        assert "NOT RELEASED" in text and "李娜" in text and "S01" in text
        assert "uterine massage" in text and "Total" in text and "Critical items" in text
        assert "周医生" in text                                # the massage station's examiner
        assert "王芳" not in text                              # no other candidate's results


def test_released_results_in_three_languages(marked, tmp_path, capsys):
    assert main(["exam", "release", "osce_demo", "--archive", str(marked)]) == 0
    capsys.readouterr()
    with Archive.open(marked) as archive:
        res = {c["candidate"]: c for c in ExamDay(archive, "osce_demo").results()}
    for lang, words in (("en", ("Results released", "Verdict")), ("zh_CN", ("成绩已于", "考站")),
                        ("zh_TW", ("成績已於", "考站"))):
        out = tmp_path / lang
        assert main(["exam", "results", "osce_demo", "--pdf", str(out), "--lang", lang,
                     "--archive", str(marked)]) == 0
        assert len(list(out.glob(f"*-{lang}.pdf"))) == 6
        if PDFTOTEXT:
            text = text_of(out / f"osce_demo-S06-{lang}.pdf")
            assert all(w in text for w in words), (lang, text[:400])
            assert "NOT RELEASED" not in text and "未公布" not in text
            total = res["S06"]
            assert f"{total['total']:g}/{total['max_total']:g}" in text
    with pytest.raises(SystemExit) as exit_:                      # a usage error, not a traceback
        main(["exam", "results", "osce_demo", "--pdf", str(tmp_path / "x"), "--lang", "fr",
              "--archive", str(marked)])
    assert exit_.value.code == 2


def test_the_schedule_pdf(marked, tmp_path, capsys):
    pdf = tmp_path / "schedule.pdf"
    assert main(["exam", "schedule", "osce_demo", "--pdf", str(pdf), "--lang", "zh_CN",
                 "--archive", str(marked)]) == 0
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if PDFTOTEXT:
        text = text_of(pdf)
        assert "按考站" in text and "按考生" in text and "李娜" in text and "休息" in text
    capsys.readouterr()
    # never over a file already there, nor over the archive
    assert main(["exam", "schedule", "osce_demo", "--pdf", str(pdf), "--archive", str(marked)]) == 1
    assert main(["exam", "schedule", "osce_demo", "--pdf", str(marked), "--archive", str(marked)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 2
