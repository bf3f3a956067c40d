"""Files given as the archive that are not a sound simtool archive (issue 14, deliver 6).

Zero bytes, an empty SQLite file, another program's SQLite file, garbage written over some
pages, a truncated file, a missing table, a directory and a FIFO — to ``drills``, ``verify``,
``export``, ``bundle import`` and ``run --archive``. Each ends in one sentence naming the
file, and the file is left exactly as it was (a command that writes checks first).
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from collections.abc import Callable

from .case import Case, Ctx, write

FAMILY = "archives"

COMMANDS = {
    "drills": ["drills", "--archive", "{archive}"],
    "verify": ["verify", "--archive", "{archive}"],
    "export": ["export", "{drill}", "--kind", "debrief", "--trainee", "t1", "--archive", "{archive}",
               "-o", "{w}/out.pdf"],
    "bundle-import": ["bundle", "import", "{w}/in.simtool", "--archive", "{archive}"],
    "run": ["run", "{pph}", "--script", "{busy}", "--archive", "{archive}"],
}
# read-only commands may still answer from a damaged file if what they read is intact
READ_ONLY = {"drills", "export"}
FAST = {("zero-bytes", "verify"), ("zero-bytes", "run"), ("empty-sqlite", "bundle-import"),
        ("garbage-pages", "verify"), ("garbage-pages", "run"), ("missing-table", "export"),
        ("missing-table", "run"), ("fifo", "verify")}


def _zero(ctx: Ctx) -> None:
    write(ctx.w / "archive.sqlite", b"")


def _empty_sqlite(ctx: Ctx) -> None:
    con = sqlite3.connect(ctx.w / "archive.sqlite")
    con.execute("CREATE TABLE t (x)")
    con.execute("DROP TABLE t")
    con.commit()
    con.close()


def _foreign(ctx: Ctx) -> None:
    con = sqlite3.connect(ctx.w / "archive.sqlite")
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, balance REAL)")
    con.executemany("INSERT INTO customers (name, balance) VALUES (?, ?)",
                    [(f"customer {i}", i * 10.5) for i in range(200)])
    con.commit()
    con.close()


def _garbage(ctx: Ctx) -> None:
    path = ctx.use_fixture()
    page = 4096
    size = path.stat().st_size
    rng = random.Random(11)
    with open(path, "r+b") as f:
        for n in range(3, min(size // page, 40), 5):   # every fifth page from the third on
            f.seek(n * page)
            f.write(rng.randbytes(page))


def _truncated(ctx: Ctx) -> None:
    path = ctx.use_fixture()
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.truncate(size * 2 // 5)


def _missing_table(ctx: Ctx) -> None:
    path = ctx.use_fixture()
    con = sqlite3.connect(path)
    con.execute("DROP TABLE vitals")
    con.commit()
    con.close()


def _directory(ctx: Ctx) -> None:
    (ctx.w / "archive.sqlite").mkdir()


def _fifo(ctx: Ctx) -> None:
    os.mkfifo(ctx.w / "archive.sqlite")


KINDS: dict[str, tuple[Callable[[Ctx], None], bool]] = {  # name: (setup, uses the fixture)
    "zero-bytes": (_zero, False),
    "empty-sqlite": (_empty_sqlite, False),
    "foreign-sqlite": (_foreign, False),
    "garbage-pages": (_garbage, True),
    "truncated": (_truncated, True),
    "missing-table": (_missing_table, True),
    "directory": (_directory, False),
    "fifo": (_fifo, False),
}


def cases() -> list[Case]:
    from .case import Expect
    out: list[Case] = []
    for kind, (make, fixture) in KINDS.items():
        for cmd, argv in COMMANDS.items():
            def setup(ctx: Ctx, make=make, cmd=cmd) -> None:
                fx = ctx.fixture.require()
                ctx.vars.update(fx.vars)
                make(ctx)
                if cmd == "bundle-import":
                    shutil.copyfile(fx.bundle, ctx.w / "in.simtool")
            damaged_but_readable = kind in ("garbage-pages", "missing-table") and cmd in READ_ONLY
            out.append(Case(
                id=f"{FAMILY}/{kind}-{cmd}", family=FAMILY, argv=argv, setup=setup,
                expect=Expect(exit=(0, 1) if damaged_but_readable else (1,),
                              mention=(("archive.sqlite",),), untouched=("archive.sqlite",)),
                slow=(kind, cmd) not in FAST, needs_fixture=True, timeout=20))
    return out
