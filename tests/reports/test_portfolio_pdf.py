"""The trainee portfolio PDF for the trainee's file (issue 17, item 6): who and over what span,
every drill of the person (merged records, another site's imported drill), each indicator as a
small trend with its n — "too few drills" and no chart under two drills, no line through a
single point — and the critical items as a drills × items grid, in English, 简体中文 and 繁體中文;
and ``simtool export --kind portfolio --trainee STAFF_ID``."""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest
from reportlab.graphics.shapes import PolyLine

from simtool.app.portfolio import portfolio_pdf
from simtool.cli import main
from simtool.reports.charts import time_trend_chart
from simtool.reports.common import Header
from simtool.reports.fonts import Drawn
from simtool.reports.i18n import LANGS, tr
from simtool.reports.portfoliodata import build_portfolio
from simtool.store import Archive

from helpers.portfolio import DATES, NAME, STAFF, build_portfolio_archive
from helpers.tools import POPPLER, require_tools

WHEN = datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_portfolio_archive(tmp_path_factory.mktemp("portfolio-pdf"))


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    require_tools(*POPPLER, package="poppler-utils")
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_the_report_lists_every_drill_and_the_critical_grid(built):
    path, ids = built
    with Archive.open(path, create=False) as archive:
        r = build_portfolio(archive, STAFF, "en", Header("Example Hospital"), WHEN)
    assert (r.name, r.staff_id, r.records) == (NAME, STAFF, "cj, cj-city, cj-typo")
    assert r.span == f"{DATES[0]} – {DATES[-1]} (4 drills)"
    assert [d.drill_id for d in r.drills] == ids
    assert [d.site for d in r.drills] == ["County Hospital", "County Hospital",
                                          "City Hospital (imported)", "County Hospital"]
    assert [d.role for d in r.drills] == ["Midwife", "Midwife", "Midwife", "Anaesthetist (performing the block)"]
    col = next(k for k, c in enumerate(r.critical_columns) if c.item_id == "help_called")
    assert r.critical_columns[col].label == "Help called (team)"
    assert r.critical_columns[col].summary == "met 1 of 3"
    assert [row.cells[col] for row in r.critical_rows] == [
        ("met", "met"), ("missed", "missed"), ("missed", "missed *"), ("", "—")]
    series = {(s.scenario_id, s.id): s for sc in r.scenarios for s in sc.indicators}
    assert not series[("pph_uterine_atony", "warning_delay")].too_few
    assert series[("pph_uterine_atony", "warning_delay")].summary.startswith("n=3 · met 1/3")
    few = series[("last_nerve_block", "time_to_help")]
    assert few.too_few and few.summary == "too few drills (n=1)"


@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_names_the_trainee_the_dates_and_too_few_drills(built, tmp_path, lang):
    path, _ids = built
    with Archive.open(path, create=False) as archive:
        pdf = portfolio_pdf(archive, STAFF, lang, Header("Example Hospital"), WHEN)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    flat = " ".join(text.split())
    assert NAME in text and STAFF in text
    for day in DATES:
        assert day in text
    assert tr("too_few", lang, n=1) in flat
    assert tr("critical_items", lang) in text and tr("indicator_trends", lang) in text
    assert "City Hospital" in text and tr("imported", lang) in text
    fonts = subprocess.run(["pdffonts", "-", ], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Helvetica" not in fonts


def test_no_chart_and_no_line_for_a_single_point():
    drawn = Drawn()

    def lines(points) -> int:
        return sum(isinstance(s, PolyLine) for s in time_trend_chart(drawn, 240, points, 600).contents)

    assert lines([("2024-01-01", 300.0, True)]) == 0
    assert lines([("2024-01-01", 300.0, True), ("2024-02-01", 700.0, False)]) == 1
    # a drill where it was not done breaks the line: two lone points either side, no line
    assert lines([("a", 300.0, True), ("b", None, False), ("c", 200.0, True)]) == 0


def test_export_kind_portfolio_writes_the_pdf(built, tmp_path, capsys):
    path, _ids = built
    out = tmp_path / "chen.pdf"
    assert main(["export", "--kind", "portfolio", "--trainee", STAFF, "--archive", str(path),
                 "--lang", "zh_CN", "-o", str(out)]) == 0
    text = pdf_text(out.read_bytes(), tmp_path)
    assert NAME in text and tr("portfolio", "zh_CN") in text
    assert f"wrote {out}" in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["--trainee", "S999"], "no trainee with id or staff id 'S999'"),
    ([], "--kind portfolio needs --trainee"),
    (["--trainee", STAFF, "--from", "2024-01-01"], "--kind portfolio covers one person's drills"),
])
def test_bad_input_is_one_sentence_and_writes_nothing(built, tmp_path, capsys, argv, message):
    path, _ids = built
    out = tmp_path / "x.pdf"
    assert main(["export", "--kind", "portfolio", *argv, "--archive", str(path), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not out.exists()


def test_an_unwritable_or_existing_target_is_refused(built, tmp_path, capsys):
    path, _ids = built
    base = ["export", "--kind", "portfolio", "--trainee", STAFF, "--archive", str(path)]
    plain = tmp_path / "a-file"
    plain.write_text("not a folder")
    assert main([*base, "-o", str(plain / "x.pdf")]) == 1     # cannot be written there
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    existing = tmp_path / "kept.pdf"
    existing.write_bytes(b"mine")
    assert main([*base, "-o", str(existing)]) == 1
    assert existing.read_bytes() == b"mine"
    assert main([*base, "-o", str(path)]) == 1 and "archive" in capsys.readouterr().err


def test_stats_portfolio_names_sites_and_the_critical_items_missed(built, capsys):
    path, _ids = built
    assert main(["stats", "portfolio", STAFF, "--archive", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("4 drills at City Hospital, County Hospital")
    assert "City Hospital (imported)" in lines[3] and "critical missed: help_called" in lines[3]
    assert "critical missed" not in lines[1]
