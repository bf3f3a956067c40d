"""Hostile scores CSV for ``stats psychometrics --input`` (issue 14, deliver 7 and 8):
GBK, a BOM, formula cells, NaN and infinite numbers, a million rows, empty, binary, not a
regular file. A refusal names the file (and line and column); a BOM is simply read.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

from .case import Case, Ctx, Expect, write

FAMILY = "csv"
HEADER = "candidate,station,examiner,checklist,global,item:a,item:b\n"
GRADES = ("clear_fail", "borderline", "clear_pass", "good", "excellent")


def score_rows(n_candidates: int = 40, seed: int = 7, station: str = "S1") -> list[str]:
    rng = random.Random(seed)
    rows = []
    for i in range(n_candidates):
        ability = rng.random()
        for st in (station, "S2"):
            for ex in ("E1", "E2"):
                g = min(4, max(0, int(ability * 5 + rng.uniform(-1, 1))))
                rows.append(f"c{i:03d},{st},{ex},{int(ability * 20 + rng.uniform(-2, 2))},{GRADES[g]},"
                            f"{int(ability > 0.3)},{int(ability > 0.6)}\n")
    return rows


def scores_csv(path: Path, rows: list[str] | None = None, encoding: str = "utf-8") -> Path:
    return write(path, HEADER + "".join(rows if rows is not None else score_rows()), encoding)


def _one_cell(column: str, value: str):
    def setup(ctx: Ctx) -> None:
        rows = score_rows()
        cols = HEADER.strip().split(",")
        cells = rows[5].rstrip("\n").split(",")
        cells[cols.index(column)] = value
        rows[5] = ",".join(cells) + "\n"
        scores_csv(ctx.w / "scores.csv", rows)
    return setup


def _million(ctx: Ctx) -> None:
    path = ctx.w / "scores.csv"
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER)
        block = score_rows(250)                   # 1,000 rows
        for k in range(1000):
            f.write("".join(f"k{k}-{row}" for row in block))


def cases() -> list[Case]:
    c: list[Case] = []
    psych = ["stats", "psychometrics", "--input", "{w}/scores.csv"]

    def add(name: str, setup, mention=("scores.csv",), exit=(1,), slow=False, argv=psych,
            timeout: float = 30.0, max_lines: int = 8) -> None:
        c.append(Case(id=f"{FAMILY}/{name}", family=FAMILY, argv=argv, setup=setup,
                      expect=Expect(exit=exit, mention=mention, max_lines=max_lines),
                      slow=slow, timeout=timeout))

    add("gbk", lambda ctx: scores_csv(ctx.w / "scores.csv", score_rows(station="站点一"), "gbk"),
        mention=("scores.csv", ("utf-8", "utf8", "encoding", "gbk")))
    add("utf16", lambda ctx: scores_csv(ctx.w / "scores.csv", score_rows(station="站点一"), "utf-16"),
        exit=(0, 1), mention=("scores.csv", ("utf-8", "utf8", "encoding", "utf-16")), slow=True)
    add("bom-is-read", lambda ctx: scores_csv(ctx.w / "scores.csv", encoding="utf-8-sig"), exit=(0,))
    add("formula-in-checklist", _one_cell("checklist", "=1+2"), mention=("scores.csv", "checklist"), slow=True)
    add("formula-as-candidate-is-data", _one_cell("candidate", "=HYPERLINK(\"http://x\")"), exit=(0,),
        slow=True)
    for column, value in (("checklist", "nan"), ("checklist", "inf"), ("checklist", "1e999"),
                          ("global", "nan"), ("global", "-inf"), ("item:a", "NaN"), ("item:b", "Infinity")):
        add(f"{column.replace(':', '_')}={value}", _one_cell(column, value), mention=("scores.csv", column),
            slow=(column, value) != ("checklist", "nan"))
    add("million-rows", _million, exit=(0, 1), slow=True, timeout=240)
    add("empty", lambda ctx: write(ctx.w / "scores.csv", b""), slow=True)
    add("header-only", lambda ctx: write(ctx.w / "scores.csv", HEADER), slow=True)
    add("binary", lambda ctx: write(ctx.w / "scores.csv", random.Random(3).randbytes(8192)))
    add("dev-zero", None, mention=("/dev/zero",), argv=["stats", "psychometrics", "--input", "/dev/zero"],
        timeout=20, slow=True)
    add("fifo", lambda ctx: os.mkfifo(ctx.w / "scores.csv"), timeout=15, slow=True)
    add("directory", lambda ctx: (ctx.w / "scores.csv").mkdir(), slow=True)

    def angoff(ctx: Ctx) -> None:
        scores_csv(ctx.w / "scores.csv")
        write(ctx.w / "judges.csv", "station,judge,item:a,item:b\nS1,J1,0.5,nan\nS1,J2,0.6,0.7\n")
    add("angoff-nan", angoff, mention=("judges.csv", "item:b"), argv=[*psych, "--angoff", "{w}/judges.csv"],
        slow=True)
    return c
