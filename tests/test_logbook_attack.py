"""Hostile logbook inputs, generated at run time and fed to the real command line: a CSV huge
in rows or fields, with nested or unclosed quotes, NUL bytes, a BOM in the middle, in Latin-1,
UTF-16 or GBK with one undecodable byte, impossible dates, formulas, markup and SQL, a path,
the archive's own file, a folder, a missing file, duplicate rows, a trainee supervising
themselves, an unknown procedure — and the same kinds of values as ``logbook add``, ``correct``,
``withdraw``, ``sign`` and ``exam`` arguments. Each is refused in sentences naming the file,
line and column (or the option), exit 1, never a traceback; nothing is half-imported and the
archive still verifies."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone

import pytest

from simtool.cli import main
from simtool.core.limits import MAX_CSV_ROWS
from simtool.store import Archive, Examiner, Trainee

from helpers.archive import FakeClock

HEADER = "staff_id,date,procedure,level,supervisor,site,case_ref,complications\n"
GOOD = "S100,2025-01-02,stellate_ganglion_block,supervised,D900,County A,C-1,\n"
CLOCK = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "a.sqlite"
    with Archive.open(path, clock=FakeClock(CLOCK)) as archive:
        archive.add_trainee(Trainee("李娜", "S100", site="County A"))
        archive.add_examiner(Examiner("王主任", "D900", site="County A"))
    return path


@pytest.fixture
def db(template, tmp_path):
    path = tmp_path / "a.sqlite"
    shutil.copy(template, path)
    return path


def entries(db) -> int:
    with Archive.open(db, clock=FakeClock(CLOCK)) as archive:
        assert archive.verify() == []
        return archive.db.execute("SELECT count(*) FROM logbook_entries").fetchone()[0]


def refused(capsys, *argv) -> list[str]:
    capsys.readouterr()
    code = main(list(argv))
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err and err.strip()
    return err.strip().splitlines()


def rows(*lines: str) -> str:
    return HEADER + "".join(lines)


def one(field: str, value: str) -> str:
    """GOOD with one field replaced (quoted as a CSV writer would)."""
    cells = GOOD.rstrip("\n").split(",")
    cells[HEADER.strip().split(",").index(field)] = '"' + value.replace('"', '""') + '"'
    return ",".join(cells) + "\n"


# (name, file bytes, the line, what the message names)
CSV_CASES = [
    ("very long field", rows(one("complications", "x" * 100_000)).encode(), 2, "complications (column 8): 100,000 characters"),
    ("longer than csv's field limit", rows(GOOD.replace("C-1", "C" * 200_000)).encode(), 2, "a field longer than 131,072 characters"),
    ("nested quotes", rows(one("procedure", 'stellate "ganglion" block')).encode(), 2, "procedure (column 3): unknown procedure"),
    ("unclosed quote", rows('S100,"2025-01-02,x\n', GOOD).encode(), 2, "a quoted field runs from line 2 to line 3"),
    ("NUL byte in a field", rows(GOOD.replace("C-1", "C\x00-1")).encode(), 2, "case_ref (column 7): contains a control character"),
    ("a row of NUL bytes", rows(GOOD, "\x00" * 50 + "\n").encode(), 3, "1 fields where the header has 8"),
    ("BOM inside a field", rows(GOOD.replace("C-1", "C\ufeff-1")).encode(), 2, "contains a control character"),
    ("Latin-1", rows(GOOD.rstrip("\n") + "Hélène: légère\n").encode("latin-1"), 2, "is it Latin-1 or another encoding?"),
    ("UTF-16", rows(GOOD).encode("utf-16"), 1, "UTF-16 text; save it as CSV UTF-8"),
    ("UTF-16 without BOM", rows(GOOD).encode("utf-16-le"), 1, "UTF-16 text"),
    ("GBK with one bad byte", rows(GOOD, one("complications", "血肿"), GOOD.replace("C-1", "C-3")).encode("gbk")[:-4] + b"\xff,\n", 4, "neither UTF-8 nor GBK text (byte 0xff)"),
    ("NaN date", rows(GOOD.replace("2025-01-02", "NaN")).encode(), 2, "date (column 2): 'NaN' is not a date"),
    ("infinite date", rows(GOOD.replace("2025-01-02", "inf")).encode(), 2, "'inf' is not a date"),
    ("negative date", rows(GOOD.replace("2025-01-02", "-2025-01-02")).encode(), 2, "'-2025-01-02' is not a date"),
    ("compact date", rows(GOOD.replace("2025-01-02", "20250102")).encode(), 2, "'20250102' is not a date"),
    ("future date", rows(GOOD.replace("2025-01-02", "2099-01-02")).encode(), 2, "2099-01-02 is in the future"),
    ("formula case ref", rows(one("case_ref", "=cmd|' /C calc'!A0")).encode(), 2, "case_ref (column 7): '=' is not allowed"),
    ("formula level", rows(one("level", "=1+1")).encode(), 2, "level (column 4): '=1+1' is not one of"),
    ("markup case ref", rows(one("case_ref", "<script>alert(1)</script>")).encode(), 2, "'<' is not allowed"),
    ("SQL staff id", rows(GOOD.replace("S100", "S100'); DROP TABLE logbook_entries; --")).encode(), 2, "staff_id (column 1): no trainee with staff id"),
    ("SQL case ref", rows(one("case_ref", "x'); DROP TABLE trainees; --")).encode(), 2, "\"'\" is not allowed"),
    ("a name as case ref", rows(one("case_ref", "王小明")).encode(), 2, "looks like a person's name"),
    ("a Latin name as case ref", rows(one("case_ref", "Mary Smith")).encode(), 2, "looks like a person's name (letters without a number)"),
    ("a pinyin name as case ref", rows(one("case_ref", "wang xiaoming")).encode(), 2, "looks like a person's name (letters without a number)"),
    ("an ID card number", rows(one("case_ref", "11010119900307123X")).encode(), 2, "identity card number"),
    ("a phone number", rows(one("case_ref", "138 0013 8000")).encode(), 2, "phone or medical record number"),
    ("a path as procedure", rows(GOOD.replace("stellate_ganglion_block", "../../etc/passwd")).encode(), 2, "unknown procedure '../../etc/passwd'"),
    ("duplicate rows", rows(GOOD, GOOD).encode(), 3, "repeats line 2 exactly"),
    ("supervisor is the trainee", rows(GOOD.replace("D900", "S100")).encode(), 2, "a trainee cannot supervise their own procedure"),
    ("unknown procedure", rows(GOOD.replace("stellate_ganglion_block", "appendectomy")).encode(), 2, "unknown procedure 'appendectomy'"),
    ("wrong header", b"name,date\nx,y\n", 1, "(header): expected exactly"),
    ("empty", b"", 1, "empty file"),
    ("binary", bytes(range(256)) * 40, 2, "neither UTF-8 nor GBK text"),
]


@pytest.mark.parametrize("name, data, line, words", CSV_CASES, ids=[c[0] for c in CSV_CASES])
def test_a_hostile_csv_is_refused_whole_naming_file_line_and_column(db, tmp_path, capsys, name,
                                                                   data, line, words):
    path = tmp_path / "log.csv"
    path.write_bytes(rows(GOOD).encode() if data is None else data)
    lines = refused(capsys, "logbook", "import", str(path), "--archive", str(db))
    assert all(x.startswith(f"{path}:") for x in lines), lines
    assert any(x.startswith(f"{path}:{line}: ") and words in x for x in lines), lines
    assert all(len(x) < 600 for x in lines)          # a long value is never echoed whole
    assert entries(db) == 0


def test_a_good_file_with_one_bad_row_at_the_end_of_thousands_is_refused_whole(db, tmp_path, capsys):
    path = tmp_path / "log.csv"
    good = [GOOD.replace("C-1", f"C-{i}") for i in range(5_000)]
    path.write_text(rows(*good, GOOD.replace("supervised", "alone")), encoding="utf-8")
    assert refused(capsys, "logbook", "import", str(path), "--archive", str(db)) == [
        f"{path}:5002: level (column 4): 'alone' is not one of independent, supervised, assisted"]
    assert entries(db) == 0


def test_more_rows_than_the_limit_are_refused(db, tmp_path, capsys, monkeypatch):
    # the limit as configured would take 200,000 rows (15 s); the same code with a lower one
    limit = 3_000
    assert limit < MAX_CSV_ROWS
    monkeypatch.setattr("simtool.core.logbookcsv.MAX_CSV_ROWS", limit)
    path = tmp_path / "log.csv"
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER)
        f.write("".join(GOOD.replace("C-1", f"C-{i}") for i in range(limit + 1)))
    lines = refused(capsys, "logbook", "import", str(path), "--archive", str(db))
    assert f"{path}:{limit + 2}: -: more than {limit:,} rows" in "\n".join(lines)
    assert entries(db) == 0


def test_a_file_too_big_is_refused_before_it_is_read(db, tmp_path, capsys):
    path = tmp_path / "log.csv"
    with open(path, "wb") as f:
        f.truncate(33 * 1024 * 1024)
    lines = refused(capsys, "logbook", "import", str(path), "--archive", str(db))
    assert lines == [f"{path}:1: -: is larger than 32 MiB, the limit for logbook CSV files"]
    assert entries(db) == 0


@pytest.mark.parametrize("target, words", [
    ("archive", "this is the archive itself"),
    ("journal", "this is the archive itself"),
    ("folder", "is a folder, not a file"),
    ("missing", "cannot read"),
])
def test_a_path_that_is_not_a_csv_file_is_named(db, tmp_path, capsys, target, words):
    path = {"archive": db, "journal": db.with_name(db.name + "-journal"), "folder": tmp_path,
            "missing": tmp_path / "nope.csv"}[target]
    if target == "journal":
        path.write_bytes(HEADER.encode() + GOOD.encode())
    lines = refused(capsys, "logbook", "import", str(path), "--archive", str(db))
    assert lines == [x for x in lines if x.startswith(f"{path}:1: -: ")] and words in lines[0]
    assert entries(db) == 0


ADD = ["--date", "2025-01-02", "--procedure", "stellate_ganglion_block", "--level", "supervised",
       "--supervisor", "D900", "--site", "County A", "--case-ref", "C-1"]


def with_option(option: str, value: str) -> list[str]:
    argv = list(ADD)
    argv[argv.index(option) + 1] = value
    return argv


ARG_CASES = [
    (with_option("--date", "NaN"), "--date: 'NaN' is not a date"),
    (with_option("--date", "-1"), "--date: '-1' is not a date"),
    (with_option("--date", "9999-12-31"), "--date: 9999-12-31 is in the future"),
    (with_option("--case-ref", "=HYPERLINK(\"http://x\")"), "--case-ref: '=' is not allowed"),
    (with_option("--case-ref", "<b>x</b>"), "--case-ref: '<' is not allowed"),
    (with_option("--case-ref", "x" * 100_000), "--case-ref: 100,000 characters"),
    (with_option("--supervisor", "S100"), "--supervisor: a trainee cannot supervise"),
    (with_option("--supervisor", "'); DROP TABLE trainees; --"), "--supervisor: no person with staff id"),
    (with_option("--procedure", "../../../etc/passwd"), "--procedure: unknown procedure"),
    (with_option("--level", "independent\x1b[2J"), "--level: "),
    (ADD + ["--complications", "y" * 5_000], "--complications: 5,000 characters; at most 1,000"),
    (ADD + ["--complications", "bad\x07bell"], "--complications: contains a control character"),
]


@pytest.mark.parametrize("argv, words", ARG_CASES, ids=[w for _, w in ARG_CASES])
def test_hostile_add_arguments_name_the_option(db, capsys, argv, words):
    lines = refused(capsys, "logbook", "add", "S100", *argv, "--archive", str(db))
    assert len(lines) == 1 and lines[0].startswith("simtool logbook: ") and words in lines[0], lines
    assert len(lines[0]) < 600
    assert entries(db) == 0


@pytest.mark.parametrize("entry", ["abc", "-1", "0", "1.5", "1e3", "NaN", "inf", "9" * 30, "１"])
def test_hostile_entry_numbers_are_one_sentence(db, capsys, entry):
    assert main(["logbook", "add", "S100", *ADD, "--archive", str(db)]) == 0
    for argv in (["correct", entry, "--reason", "x", "--level", "assisted"],
                 ["withdraw", entry, "--reason", "x"], ["sign", entry, "--supervisor", "D900"]):
        lines = refused(capsys, "logbook", *argv, "--archive", str(db))
        assert len(lines) == 1 and "is not a logbook entry number" in lines[0], lines
    assert entries(db) == 1


@pytest.mark.parametrize("argv, words", [
    (["withdraw", "1", "--reason", "   "], "--reason: empty"),
    (["withdraw", "1", "--reason", "r" * 2_000], "--reason: 2,000 characters"),
    (["withdraw", "1", "--reason", "a\x00b"], "--reason: contains a control character"),
    (["correct", "1", "--reason", "x"], "nothing to correct"),
    (["correct", "1", "--reason", "x", "--supervisor", "S100"], "--supervisor: a trainee cannot"),
    (["correct", "1", "--reason", "x", "--date", "2099-01-01"], "--date: 2099-01-01 is in the future"),
    (["sign", "1", "--supervisor", "S100"], "only they can countersign it"),
    (["sign", "1", "--supervisor", "D" * 10_000], "only they can countersign it"),
    (["exam", "S100", "--programme", "pph_staff", "--exam", "practical", "--result", "pass",
      "--date", "NaN"], "--date: 'NaN' is not a date"),
    (["exam", "S100", "--programme", "pph_staff", "--exam", "practical", "--result", "pass",
      "--date", "2099-01-01"], "--date: 2099-01-01 is in the future"),
    (["exam", "S100", "--programme", "'); DROP TABLE exam_results; --", "--exam", "practical",
      "--result", "pass", "--date", "2025-01-01"], "--programme: no programme"),
    (["exam", "S100", "--programme", "pph_staff", "--exam", "../x", "--result", "pass",
      "--date", "2025-01-01"], "--exam: programme pph_staff has no exam '../x'"),
    (["exam", "S100", "--programme", "pph_staff", "--exam", "practical", "--result", "pass",
      "--date", "2025-01-01", "--examiner", "e\x1b]0;pwned\x07"], "--examiner: contains a control character"),
    (["exam", "S999", "--programme", "pph_staff", "--exam", "practical", "--result", "pass",
      "--date", "2025-01-01"], "S999"),
])
def test_hostile_correct_withdraw_sign_exam_arguments(db, capsys, argv, words):
    assert main(["logbook", "add", "S100", *ADD, "--archive", str(db)]) == 0
    lines = refused(capsys, "logbook", *argv, "--archive", str(db))
    assert len(lines) == 1 and words in lines[0] and len(lines[0]) < 600, lines
    with Archive.open(db, clock=FakeClock(CLOCK)) as archive:
        assert archive.verify() == []
        assert archive.db.execute("SELECT count(*) FROM logbook_changes").fetchone() == (0,)
        assert archive.db.execute("SELECT count(*) FROM logbook_signatures").fetchone() == (0,)
        assert archive.db.execute("SELECT count(*) FROM exam_results").fetchone() == (0,)


def test_free_text_with_formulas_markup_and_sql_is_kept_as_text(db, capsys):
    hostile = "=cmd|' /C calc'!A0 <script>alert(1)</script> '); DROP TABLE logbook_entries; --"
    assert main(["logbook", "add", "S100", *ADD, "--complications", hostile, "--archive", str(db),
                 "--json"]) == 0
    capsys.readouterr()
    assert main(["logbook", "list", "S100", "--archive", str(db)]) == 0
    assert hostile in capsys.readouterr().out
    assert entries(db) == 1
