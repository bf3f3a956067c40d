"""A drill started by mistake is discarded with a reason: kept whole with its audit chain,
listed as discarded, counted in no indicator, portfolio, exam statistic or bundle; a signed drill
cannot be discarded; and a discard cannot be undone behind simtool's back without `simtool
verify` naming it."""

from __future__ import annotations

import sqlite3

import pytest

from simtool.app.corrections import CorrectionError, discard_drill
from simtool.cli import main
from simtool.store import Archive
from simtool.store.analytics import drill_indicators, portfolio
from simtool.store.errors import ArchiveError, BundleError, SignedRecordError

from helpers.archive import fingerprint, late_care_drill, raw


@pytest.fixture()
def two(tmp_path):
    """Two ended late-care drills of the same team: (archive path, first id, second id)."""
    db, first = late_care_drill(tmp_path)
    from helpers.paths import PPH, SCRIPTS
    assert main(["run", str(PPH), "--script", str(SCRIPTS / "late_care.yaml"), "--archive", str(db)]) == 0
    with Archive.open(db) as archive:
        second = next(d.id for d in archive.drills() if d.id != first)
    return db, first, second


def test_a_discarded_drill_is_kept_and_counts_nowhere(two, tmp_path):
    db, first, second = two
    with Archive.open(db) as archive:
        assert len(drill_indicators(archive)) == 2   # kept results exist for both
        events = archive.events(first)
        trainee = archive.drill(first).participants[0].trainee_id
        assert [d["drill_id"] for d in portfolio(archive, trainee)["drills"]] == [first]
        discard_drill(archive, first, "  wrong scenario chosen  ", by="Dr Zhou")
        info = archive.drill(first)
        assert (info.status, info.discard_reason, info.stored_status) == \
            ("discarded", "wrong scenario chosen", "ended")
        assert archive.events(first) == events                       # the record, whole
        assert [d.drill_id for d in drill_indicators(archive)] == [second]
        assert portfolio(archive, trainee)["drills"] == []
        assert archive.verify() == []
        with pytest.raises(BundleError, match="does not carry a discarded drill"):
            from simtool.store import export_bundle
            export_bundle(archive, [first], tmp_path / "b.zip")
    # a bundle of the whole archive leaves it out
    assert main(["bundle", "export", "-o", str(tmp_path / "all.zip"), "--archive", str(db)]) == 0
    dept = tmp_path / "dept.sqlite"
    assert main(["bundle", "import", str(tmp_path / "all.zip"), "--archive", str(dept)]) == 0
    with Archive.open(dept) as archive:
        assert [d.id for d in archive.drills()] == [second]


def test_a_signed_or_already_discarded_drill_is_refused_and_nothing_written(two):
    db, first, _second = two
    with Archive.open(db) as archive:
        archive.discard(first, "wrong patient")
    before = fingerprint(db)
    with Archive.open(db) as archive:
        with pytest.raises(ArchiveError, match="already discarded"):
            discard_drill(archive, first, "again")
        for reason, words in (("", "needs a reason"), ("x\x1b[2J", "control character"),
                              ("y" * 1001, "at most 1,000")):
            with pytest.raises(CorrectionError, match=words):
                discard_drill(archive, first, reason)
    assert fingerprint(db) == before
    with raw(db) as c:   # a signed drill (as `sign` leaves it)
        c.execute("DROP TRIGGER IF EXISTS drills_audited_update")
    with Archive.open(db) as archive:
        second = next(d.id for d in archive.drills() if d.id != first)
        archive.set_status(second, "signed")
        with pytest.raises(SignedRecordError, match="cannot be discarded"):
            archive.discard(second, "late regrets")


def test_a_discard_undone_or_changed_behind_simtools_back_is_named_by_verify(two):
    db, first, _second = two
    with Archive.open(db) as archive:
        archive.discard(first, "wrong scenario")
    with raw(db) as c:
        for sql in ("DELETE FROM discards", "UPDATE discards SET reason = 'x'"):
            with pytest.raises(sqlite3.IntegrityError, match="cannot be changed or undone"):
                c.execute(sql)
        c.execute("DROP TRIGGER discards_no_update")
        c.execute("UPDATE discards SET reason = 'fine after all'")
    with Archive.open(db) as archive:
        problems = archive.verify()
        assert any(f"discard of drill {first}: record changed" in p for p in problems)
        assert any("guard trigger discards_no_update is missing" in p for p in problems)
    with raw(db) as c:
        c.execute("DROP TRIGGER discards_no_delete")
        c.execute("DELETE FROM discards")
    with Archive.open(db) as archive:
        assert archive.drill(first).status == "ended"   # undone ...
        assert any(f"discard of drill {first}: missing" in p for p in archive.verify())   # ... and named


def test_simtool_discard_and_drills_say_so(two, capsys):
    db, first, _second = two
    assert main(["discard", first, "--archive", str(db)]) == 1
    assert "needs a reason" in capsys.readouterr().err
    assert main(["discard", first, "--reason", "started by mistake", "--archive", str(db)]) == 0
    assert capsys.readouterr().out == f"drill {first} discarded: started by mistake\n"
    assert main(["drills", "--archive", str(db)]) == 0
    assert f"{first}  " in (out := capsys.readouterr().out) and "discarded" in out
    assert main(["drills", "--json", "--archive", str(db)]) == 0
    import json
    rows = {d["id"]: d for d in json.loads(capsys.readouterr().out)}
    assert rows[first]["status"] == "discarded" and rows[first]["discard_reason"] == "started by mistake"
    assert main(["verify", "--archive", str(db)]) == 0
