"""Outputs that must never overwrite what is not theirs (issue 14, deliver 1).

Every writer — ``export --kind score-sheet|debrief|quality``, ``drills --csv``/``--scores-csv``,
``bundle export`` — is pointed at the archive itself, its ``-wal`` and ``-shm``, a symlink to
it, a relative path to it, and an existing file without ``--force``. Each must be refused in
one sentence naming the file, with the archive and the existing file byte-for-byte as they
were and nothing half-written left behind. ``--force`` on an ordinary existing file replaces it
with a complete file of the right kind.
"""

from __future__ import annotations

import os

from .case import Case, Ctx, Expect, Result, Verdict, write

FAMILY = "outputs"
PRECIOUS = b"a report the user wrote by hand; must survive\n"

WRITERS = {  # name: (argv with {target}, kind of file written, fast target names)
    "export-score-sheet": (["export", "{drill}", "--kind", "score-sheet", "--archive", "{archive}",
                            "-o", "{target}"], b"%PDF"),
    "export-debrief": (["export", "{drill}", "--kind", "debrief", "--trainee", "t1", "--archive",
                        "{archive}", "-o", "{target}"], b"%PDF"),
    "export-quality": (["export", "--kind", "quality", "--from", "2000-01-01", "--to", "2100-12-31",
                        "--archive", "{archive}", "-o", "{target}"], b"%PDF"),
    "drills-csv": (["drills", "--archive", "{archive}", "--csv", "{target}"], None),
    "drills-scores-csv": (["drills", "--archive", "{archive}", "--scores-csv", "{target}"], None),
    "bundle-export": (["bundle", "export", "--archive", "{archive}", "-o", "{target}"], b"PK"),
}

FAST = {("export-score-sheet", "archive"), ("bundle-export", "archive"), ("drills-csv", "archive"),
        ("export-score-sheet", "symlink"), ("export-debrief", "wal"), ("drills-scores-csv", "shm"),
        ("drills-csv", "relative"), ("drills-csv", "existing"), ("bundle-export", "existing")}


def _targets() -> dict[str, tuple[str, object, tuple, tuple[str, ...]]]:
    """target name: (the -o value, setup, what the message names, protected files)."""

    def symlink(ctx: Ctx) -> None:
        os.symlink(ctx.w / "archive.sqlite", ctx.w / "report.out")

    def relative(ctx: Ctx) -> None:
        (ctx.w / "sub").mkdir()
        ctx.cwd = ctx.w / "sub"

    def existing(ctx: Ctx) -> None:
        write(ctx.w / "existing.out", PRECIOUS)

    return {
        "archive": ("{archive}", None, (("archive.sqlite",),), ("archive.sqlite",)),
        "wal": ("{archive}-wal", None, (("archive.sqlite",),), ("archive.sqlite",)),
        "shm": ("{archive}-shm", None, (("archive.sqlite",),), ("archive.sqlite",)),
        "symlink": ("{w}/report.out", symlink, (("report.out", "archive.sqlite"),), ("archive.sqlite",)),
        "relative": ("../archive.sqlite", relative, (("archive.sqlite",),), ("archive.sqlite",)),
        "existing": ("existing.out", existing,
                     (("existing.out",), ("exist", "force", "replace", "overwrite")),
                     ("archive.sqlite", "existing.out")),
    }


def _forced(magic: bytes | None):
    def check(ctx: Ctx, res: Result) -> Verdict | None:
        data = (ctx.w / "existing.out").read_bytes()
        if res.rc == 0 and (data == PRECIOUS or (magic and not data.startswith(magic))):
            return Verdict("unclear", "--force reported success but the file is not a complete new one")
        return None
    return check


def cases() -> list[Case]:
    out: list[Case] = []
    for wname, (argv, magic) in WRITERS.items():
        for tname, (target, setup, mention, protected) in _targets().items():
            def prepare(ctx: Ctx, setup=setup) -> None:
                ctx.use_fixture()
                if setup is not None:
                    setup(ctx)
            out.append(Case(
                id=f"{FAMILY}/{wname}-onto-{tname}", family=FAMILY,
                argv=[a.replace("{target}", target) for a in argv], setup=prepare,
                expect=Expect(exit=(1, 2), mention=mention, protected=protected),
                slow=(wname, tname) not in FAST, needs_fixture=True))
        # --force replaces an ordinary file the user chose, with a complete one
        def prepare_force(ctx: Ctx) -> None:
            ctx.use_fixture()
            write(ctx.w / "existing.out", PRECIOUS)
        out.append(Case(
            id=f"{FAMILY}/{wname}-force-replaces-existing", family=FAMILY,
            argv=[a.replace("{target}", "existing.out") for a in argv] + ["--force"],
            setup=prepare_force, expect=Expect(exit=(0,), protected=("archive.sqlite",),
                                               check=_forced(magic)),
            slow=wname != "export-score-sheet", needs_fixture=True))

    # every sheet into a folder: never into the archive, never through a file in the way
    out.append(Case(
        id=f"{FAMILY}/export-all-sheets-onto-archive", family=FAMILY,
        argv=["export", "{drill}", "--kind", "score-sheet", "--all-sheets", "--archive", "{archive}",
              "-o", "{archive}"],
        setup=lambda ctx: ctx.use_fixture(),
        expect=Expect(exit=(1, 2), mention=(("archive.sqlite",),), protected=("archive.sqlite",)),
        needs_fixture=True, slow=True))
    out.append(Case(
        id=f"{FAMILY}/export-to-a-folder", family=FAMILY,
        argv=["export", "{drill}", "--kind", "score-sheet", "--archive", "{archive}", "-o", "{w}/folder"],
        setup=lambda ctx: (ctx.use_fixture(), (ctx.w / "folder").mkdir()),
        expect=Expect(exit=(1, 2), mention=(("folder",),), protected=("archive.sqlite",)),
        needs_fixture=True, slow=True))
    return out
