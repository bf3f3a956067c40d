"""The portfolio view across time and places (issue 17, item 6): one person's drills under
three merged records and two sites, each indicator as a small trend with its n ("too few
drills" and nothing drawn under two), the critical items as a drills × items grid, and
"Export PDF…" writing the trainee's portfolio through the application layer."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from simtool.store import Archive
from simtool.ui.portfolio import TraineePortfolio

from helpers.portfolio import DATES, STAFF, build_portfolio_archive


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_portfolio_archive(tmp_path_factory.mktemp("portfolio-view"))


@pytest.fixture
def view(qtbot, built):
    path, _ids = built
    archive = Archive.open(path, create=False)
    w = TraineePortfolio(archive)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.show_trainee(STAFF)
    yield w
    archive.close()


def test_every_drill_of_the_person_is_shown_with_its_site(view, built):
    _path, ids = built
    assert view.shown_drill_ids() == ids
    t = view.drills_table
    headers = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
    sites = [t.item(r, headers.index("Site")).text() for r in range(t.rowCount())]
    assert sites == ["County Hospital", "County Hospital", "City Hospital (imported)", "County Hospital"]
    assert "cj-city" in view.places.text() and "City Hospital" in view.places.text()


def test_each_indicator_is_a_trend_with_its_n_and_no_line_through_one_point(view):
    cells = view.trend_cells()
    warning = cells[("pph_uterine_atony", "warning_delay")]
    assert warning is not None and [s for s, _m in warning.series()] == [10.0, 810.0, None]
    assert warning.lines() == [[0, 1]]          # not through the drill where it was not done
    mtp = cells[("pph_uterine_atony", "time_to_mtp")]
    assert mtp is not None and mtp.lines() == []  # one timed point and a not-done: no line
    assert cells[("last_nerve_block", "time_to_help")] is None
    t = view.trend_table
    row = next(r for r in range(t.rowCount()) if t.item(r, 1).text() == "Time to call for help")
    assert t.item(row, 6).text() == "too few drills (n=1)" and t.item(row, 3).text() == "1"


def test_the_critical_items_are_a_drills_by_items_grid(view):
    grid = view.critical_grid()
    assert [row[0] for row in grid[:-1]] == list(DATES)
    col = next(c for c in range(view.critical_table.columnCount())
               if view.critical_table.horizontalHeaderItem(c).text() == "Help called (team)")
    assert [row[col] for row in grid] == ["met", "missed", "missed *", "—", "1 of 3"]


def test_export_pdf_writes_the_trainees_portfolio(qtbot, view, tmp_path):
    out = tmp_path / "chen.pdf"
    with qtbot.waitSignal(view.exported, timeout=20000) as done:
        assert view.export_pdf(out)
    assert done.args == [str(out)] and out.read_bytes().startswith(b"%PDF")
    view.grab().save(str(tmp_path / "portfolio.png"))


def test_export_pdf_never_replaces_a_file_unasked_nor_the_archive(view, built, tmp_path, monkeypatch):
    path, _ids = built
    asked, warned = [], []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.No)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a))
    kept = tmp_path / "kept.pdf"
    kept.write_bytes(b"mine")
    assert view.export_pdf(kept) is False and kept.read_bytes() == b"mine" and asked
    assert view.export_pdf(path) is False and warned


def test_the_box_never_names_a_trainee_whose_drills_are_not_shown(qtbot, built):
    """Opened, it names nobody (the placeholder asks for a trainee) and shows no drills; the
    trainee in the box, however chosen (here as the review's script did, by index), is the
    one whose drills are shown; the registry read again keeps them chosen."""
    path, ids = built
    with Archive.open(path, create=False) as archive:
        w = TraineePortfolio(archive)
        qtbot.addWidget(w)
        w.show()
        assert w.trainee.count() > 1
        assert w.trainee.currentIndex() == -1 and w.trainee.currentText() == ""
        assert w.trainee.lineEdit().placeholderText() == "Trainee name or staff id"
        assert w.data is None and w.drills_table.rowCount() == 0 and w.who.text() == ""
        for i in range(w.trainee.count()):
            w.trainee.setCurrentIndex(i)   # a merged record shows (and names) the person
            assert w.data is not None and w.trainee.currentData() == w.data["trainee"]["id"]
            assert w.trainee.currentText().startswith(w.data["trainee"]["name"])
            assert w.who.text().startswith(w.data["trainee"]["name"])
        w.show_trainee(STAFF)
        chosen = w.trainee.currentText()
        assert chosen and w.shown_drill_ids() == ids
        w.reload()
        assert w.trainee.currentText() == chosen and w.shown_drill_ids() == ids
