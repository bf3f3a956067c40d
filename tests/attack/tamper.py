"""Edits behind simtool's back that ``verify`` must name (issue 14, deliver 6).

Each case copies the fixture archive and changes it with the plain ``sqlite3`` module, as
anyone with the file can: the guard triggers are dropped, the edit made, the triggers put back
(so only the edit itself is there to find). ``verify`` must exit 1 with a line that names the
kind of record (``trainee``, ``examiner``, ``vitals``, ``indicator``, ``sign-off`` ...) and,
where there is one, its id — and must itself leave the file untouched.
The untampered copy must verify clean.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from .case import BUSY, PPH, Case, Ctx, Expect, HarnessError, sqlite_rows

FAMILY = "tamper"
VERIFY = ["verify", "--archive", "{archive}"]


def tamper(path: Path, statements: Sequence[str], params: dict[str, str],
           keep_triggers: bool = True) -> None:
    con = sqlite3.connect(path, isolation_level=None)
    try:
        triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        con.execute("BEGIN")
        if keep_triggers:   # else the edit is about the triggers themselves
            for name, _ in triggers:
                con.execute(f'DROP TRIGGER "{name}"')
        changed = 0
        for sql in statements:
            changed += con.execute(sql, {k: v for k, v in params.items() if f":{k}" in sql}).rowcount
        if keep_triggers:
            for _, sql in triggers:
                con.execute(sql)
        con.execute("COMMIT")
    finally:
        con.close()
    if changed <= 0 and any(not s.lstrip().upper().startswith("DROP") for s in statements):
        raise HarnessError(f"the tamper changed no row: {statements[0][:80]}")


def edit(*statements: str, keep_triggers: bool = True) -> Callable[[Ctx], None]:
    def setup(ctx: Ctx) -> None:
        path = ctx.use_fixture()
        missing = ctx.fixture.require().info.get("missing") or []
        if any("indicator" in m for m in missing) and any("drill_indicators" in s for s in statements):
            raise HarnessError(f"the fixture has no kept indicators: {missing}")
        tamper(path, statements, ctx.vars, keep_triggers)
    return setup


def _first_item(sheet: str) -> str:
    return (f"UPDATE sheet_items SET points = coalesce(points, 0) + 7 WHERE sheet_id = :{sheet} AND "
            f"item_id = (SELECT min(item_id) FROM sheet_items WHERE sheet_id = :{sheet})")


EDITS: dict[str, tuple[tuple[str, ...], tuple, bool]] = {
    # name: (statements, what the line names, fast)
    "trainee-name": (("UPDATE trainees SET name = 'Someone Else' WHERE id = :trainee",),
                     ("trainee",), True),
    "trainee-staff-id": (("UPDATE trainees SET staff_id = 'STAFF-SOMEONE-ELSE' WHERE id = :trainee",),
                         ("trainee",), True),
    "examiner-name": (("UPDATE examiners SET name = 'Dr Nobody' WHERE id = :examiner",),
                      ("examiner",), True),
    "examiner-staff-id": (("UPDATE examiners SET staff_id = 'EXAM-NOBODY' WHERE id = :examiner",),
                          ("examiner",), False),
    "vitals": (("UPDATE vitals SET data = replace(data, '\"hr\":', '\"hr\":1') WHERE drill_id = :drill "
                "AND t = (SELECT min(t) FROM vitals WHERE drill_id = :drill AND t > 0)",),
               ("vital",), True),
    "vitals-deleted": (("DELETE FROM vitals WHERE drill_id = :drill AND t > 600",), ("vital",), False),
    "kept-indicator-result": (("UPDATE drill_indicators SET seconds = 1, met = 1 WHERE drill_id = :drill "
                               "AND rowid_order = (SELECT min(rowid_order) FROM drill_indicators "
                               "WHERE drill_id = :drill)",), ("indicator",), True),
    "pseudonym-secret": (("UPDATE meta SET value = '" + "00" * 32 + "' WHERE key = 'pseudonym_secret'",),
                         (("secret", "pseudonym", "meta", "setting"),), True),
    "amendment": (("UPDATE amendments SET why = 'a different reason' WHERE sheet_id = :amended_sheet",),
                  ("amendment",), True),
    "amendment-deleted": (("DELETE FROM amendments WHERE sheet_id = :amended_sheet",), ("amendment",), False),
    "sign-off": (("UPDATE signoffs SET at = '2020-01-01T00:00:00.000+00:00' WHERE sheet_id = :signed_sheet",),
                 (("sign-off", "signoff"),), True),
    "sign-off-deleted": (("DELETE FROM signoffs WHERE sheet_id = :signed_sheet",),
                         (("sign-off", "signoff"),), False),
    "unsigned-sheet": ((_first_item("unsigned_sheet"),), ("{unsigned_sheet}",), True),
    "unsigned-sheet-moved-to-another-trainee": (
        ("UPDATE score_sheets SET trainee_id = (SELECT trainee_id FROM participants WHERE drill_id = :drill "
         "AND id = 't1') WHERE id = :unsigned_sheet",), ("{unsigned_sheet}",), False),
    "signed-sheet": ((_first_item("signed_sheet"),), ("{signed_sheet}",), True),
    "event": (("UPDATE events SET data = replace(data, '\"dose\":10', '\"dose\":40') WHERE drill_id = :drill "
               "AND data LIKE '%oxytocin%'",), ("event",), True),
    "participant-name": (("UPDATE participants SET name = 'Someone Else' WHERE drill_id = :drill AND id = 't1'",),
                         (("participant", "drill"),), False),
    "drill-site": (("UPDATE drills SET site = 'Elsewhere' WHERE id = :drill",), ("drill",), False),
}


def _delete_last_drill_and_audit_tail(ctx: Ctx) -> None:
    """Two drills recorded by this case's own simtool (so the checkpoint kept in its per-user
    data folder is its own), then the second drill and every audit row after the first drill
    deleted: a file that is consistent in itself but shorter than it was."""
    db = ctx.w / "archive.sqlite"
    for n in (1, 2):
        res = ctx.simtool("run", str(PPH), "--script", str(BUSY), "--archive", str(db))
        if res.returncode != 0:
            raise HarnessError(f"recording drill {n} failed: {res.stderr.strip()[-500:]}")
        if n == 1:
            seq1 = sqlite_rows(db, "SELECT max(seq) FROM audit")[0][0]
            first = sqlite_rows(db, "SELECT id FROM drills")[0][0]
    con = sqlite3.connect(db, isolation_level=None)
    try:
        second = con.execute("SELECT id FROM drills WHERE id != ?", (first,)).fetchone()[0]
        triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        con.execute("BEGIN")
        for name, _ in triggers:
            con.execute(f'DROP TRIGGER "{name}"')
        # the people only the second drill brought in go too: nothing audited after it is left
        people = [r[0] for r in con.execute(
            "SELECT trainee_id FROM participants WHERE drill_id = ? AND trainee_id IS NOT NULL AND trainee_id "
            "NOT IN (SELECT trainee_id FROM participants WHERE drill_id != ? AND trainee_id IS NOT NULL)",
            (second, second))]
        sheets = [r[0] for r in con.execute("SELECT id FROM score_sheets WHERE drill_id = ?", (second,))]
        for sid in sheets:
            for t in ("sheet_items", "signoffs", "amendments"):
                con.execute(f"DELETE FROM {t} WHERE sheet_id = ?", (sid,))
        for t in tables:
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{t}")')]
            if "drill_id" in cols:
                con.execute(f'DELETE FROM "{t}" WHERE drill_id = ?', (second,))
        con.execute("DELETE FROM drills WHERE id = ?", (second,))
        con.executemany("DELETE FROM trainees WHERE id = ?", [(p,) for p in people])
        con.execute("DELETE FROM audit WHERE seq > ?", (seq1,))
        for _, sql in triggers:
            con.execute(sql)
        con.execute("COMMIT")
    finally:
        con.close()


def _emptied(ctx: Ctx) -> None:
    path = ctx.use_fixture()
    con = sqlite3.connect(path, isolation_level=None)
    try:
        triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%'")]
        con.execute("BEGIN")
        con.execute("PRAGMA defer_foreign_keys = ON")
        for name, _ in triggers:
            con.execute(f'DROP TRIGGER "{name}"')
        for t in tables:
            con.execute(f'DELETE FROM "{t}"')
        for _, sql in triggers:
            con.execute(sql)
        con.execute("COMMIT")
    finally:
        con.close()


def cases() -> list[Case]:
    out: list[Case] = []

    def add(name: str, setup: Callable[[Ctx], None], mention, fast: bool, exit=(1,)) -> None:
        out.append(Case(id=f"{FAMILY}/{name}", family=FAMILY, argv=VERIFY, setup=setup,
                        expect=Expect(exit=exit, mention=mention, untouched=("archive.sqlite",),
                                      max_lines=60),
                        slow=not fast, needs_fixture=True, timeout=30))

    add("untampered-verifies", lambda ctx: ctx.use_fixture(), (), True, exit=(0,))
    for name, (statements, mention, fast) in EDITS.items():
        add(name, edit(*statements), mention, fast)
    add("guard-trigger-dropped", edit("DROP TRIGGER events_no_update", keep_triggers=False),
        ("trigger",), True)
    add("sign-off-guard-dropped", edit("DROP TRIGGER signoffs_no_delete", keep_triggers=False),
        ("trigger",), False)
    add("emptied-archive", _emptied, (("archive.sqlite",),), True)
    add("last-drill-and-audit-tail-deleted", _delete_last_drill_and_audit_tail,
        (("truncat", "removed", "missing", "checkpoint", "head", "deleted", "shorter", "older copy"),), True)
    return out
