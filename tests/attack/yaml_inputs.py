"""Hostile YAML for ``validate`` and ``run``: scenarios, the catalogue, rubrics, scripts
(issue 14, deliver 5, 7 and 8).

Numbers: every numeric field of the bundled scenarios, the catalogue, the technical rubric and
a script is found by walking the parsed file, and each distinct field (a path with the list
indices left out) is set to ``.inf``, ``-.inf``, ``.nan`` and ``1e999`` in a copy — the
validator must name the file and the field. Besides: an alias bomb, 10,000 levels of nesting,
``duration_s: 1e9``, lone surrogates, a 24 MiB file, ``/dev/zero``, a FIFO, a directory, GBK and
UTF-16, markup, SQL and paths in ids and names, 10,000 nested parentheses or ``not``s in a
condition, and a 100,000-action script (which must play in seconds).
"""

from __future__ import annotations

import csv
import functools
import os
import re
from collections.abc import Callable
from pathlib import Path

from .case import (CATALOGUE, GOOD, MINIMAL, PPH, SCENARIOS, TECHNICAL, Case, Ctx, Expect, Result,
                   Verdict, sqlite_rows, write)

FAMILY = "yaml"
VALUES = (".inf", "-.inf", ".nan", "1e999")
_NUMBER = re.compile(r"[-+]?[0-9][0-9_]*(\.[0-9]*)?([eE][-+]?[0-9]+)?|[-+]?\.[0-9]+")
ENCODING_WORDS = ("utf-8", "utf8", "encoding", "gbk", "utf-16", "decode")


# --- finding every numeric field ----------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def number_sites(path: Path) -> tuple[tuple[str, int, int, str], ...]:
    """(field path without list indices, line, column, dotted path) of the first occurrence of
    each distinct numeric field in ``path``."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    data = YAML(typ="rt", pure=True).load(path.read_text(encoding="utf-8"))
    out: dict[str, tuple[str, int, int, str]] = {}

    def number(v: object) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool)

    def walk(node: object, path: tuple) -> None:
        if isinstance(node, CommentedMap):
            for k, v in node.items():
                if number(v):
                    add(path + (str(k),), *node.lc.value(k))
                else:
                    walk(v, path + (str(k),))
        elif isinstance(node, CommentedSeq):
            for i, v in enumerate(node):
                if number(v):
                    add(path + (i,), *node.lc.item(i))
                else:
                    walk(v, path + (i,))

    def add(p: tuple, line: int, col: int) -> None:
        key = ".".join("[]" if isinstance(x, int) else x for x in p)
        if key not in out:
            field = next((x for x in reversed(p) if isinstance(x, str)), "")
            out[key] = (key, line, col, field)

    walk(data, ())
    return tuple(out.values())


def replace_number(text: str, line: int, col: int, value: str) -> str:
    lines = text.splitlines(keepends=True)
    m = _NUMBER.match(lines[line], col)
    assert m is not None, (line, col, lines[line])
    lines[line] = lines[line][:col] + value + lines[line][m.end():]
    return "".join(lines)


SOURCES = {  # name: (file, how the copy is attacked)
    "scenario": (PPH, "validate"),
    "scenario_last": (SCENARIOS / "last_nerve_block.yaml", "validate"),
    "scenario_pas": (SCENARIOS / "pas_mdt.yaml", "validate"),
    "catalogue": (CATALOGUE, "validate"),
    "rubric": (TECHNICAL, "validate"),
    "script": (GOOD, "run"),
}
FAST_NUMBERS = {("catalogue", "actions.[].dose.max", "1e999"),
                ("rubric", "items.[].points", ".inf"),
                ("script", "actions.[].dose", ".nan")}


def _number_case(source: str, path: Path, how: str, key: str, line: int, col: int,
                 field: str, value: str) -> Case:
    name = "actions.yaml" if source == "catalogue" else f"bad_{source}.yaml"

    def setup(ctx: Ctx) -> None:
        write(ctx.w / name, replace_number(path.read_text(encoding="utf-8"), line, col, value))

    argv = (["validate", f"{{w}}/{name}"] if how == "validate"
            else ["run", "{pph}", "--script", f"{{w}}/{name}"])
    return Case(id=f"{FAMILY}/{source}-{key}={value}", family=FAMILY, argv=argv, setup=setup,
                expect=Expect(exit=(1,), mention=(name, field), max_lines=20),
                slow=(source, key, value) not in FAST_NUMBERS, timeout=30)


def number_cases() -> list[Case]:
    out: list[Case] = []
    seen: set[str] = set()
    for source, (path, how) in SOURCES.items():
        for key, line, col, field in number_sites(path):
            tag = ("scenario" if source.startswith("scenario") else source) + ":" + key
            if tag in seen:
                continue   # the other scenarios add only fields the PPH one lacks
            seen.add(tag)
            for value in VALUES:
                out.append(_number_case(source, path, how, key, line, col, field, value))
    return out


# --- files that are not what they claim -----------------------------------------------------------
def alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    return "\n".join(lines) + "\n"


def nested(depth: int = 10_000) -> str:
    return "a: " + "[" * depth + "]" * depth + "\n"


def huge_scenario(mib: int = 24) -> str:
    base = MINIMAL.read_text(encoding="utf-8")
    entry = "  - {en: Give oxytocin., zh_CN: 给予缩宫素。, zh_TW: 給予催產素。}\n"
    n = (mib << 20) // len(entry.encode())
    return base.replace("objectives:\n", "objectives:\n" + entry * n, 1)


def minimal_with(old: str, new: str) -> str:
    text = MINIMAL.read_text(encoding="utf-8")
    assert old in text, old
    return text.replace(old, new, 1)


def script_text(name: str = "Li Na", pid: str = "t1", duration: str = "600", actions: str = "") -> str:
    return (f"duration_s: {duration}\n"
            f"participants:\n  - {{id: {pid}, name: {name}, role: midwife}}\n"
            f"  - {{id: t2, name: Wang Fang, role: obstetrician}}\n"
            f"actions:\n  - {{t: 95, action: oxytocin, dose: 10, unit: IU, route: IM, by: midwife}}\n"
            + actions)


def many_actions(n: int) -> str:
    lines = ["duration_s: 3600", "participants: [{id: t1, name: Li Na, role: midwife}]", "actions:"]
    lines += [f"  - {{t: {i * 3500 / n:.3f}, action: vital_signs_check, by: midwife}}" for i in range(n)]
    return "\n".join(lines) + "\n"


# --- checks on what reached the user -----------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")


def no_control_chars(ctx: Ctx, res: Result) -> Verdict | None:
    m = _CONTROL.search(res.output)
    if m:
        return Verdict("accepted_bad", f"control character {m.group(0)!r} from a name reached the terminal")
    return None


def csv_neutralised(name: str, marker: str) -> Callable[[Ctx, Result], Verdict | None]:
    def check(ctx: Ctx, res: Result) -> Verdict | None:
        path = ctx.w / name
        if not path.is_file():
            return None
        with open(path, newline="", encoding="utf-8-sig", errors="replace") as f:
            for row in csv.reader(f):
                for cell in row:
                    if marker in cell and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                        return Verdict("accepted_bad", f"{name}: the cell {cell[:40]!r} reaches a "
                                                       f"spreadsheet as a formula")
        return None
    return check


def _record(script: str, rubric: bool = True) -> Callable[[Ctx], None]:
    """Setup: record a drill from ``script`` (whatever simtool says), then find its id."""
    def setup(ctx: Ctx) -> None:
        write(ctx.w / "script.yaml", script)
        args = ["run", str(PPH), "--script", str(ctx.w / "script.yaml"), "--archive", str(ctx.w / "archive.sqlite")]
        if rubric:
            args += ["--rubric", str(TECHNICAL)]
        ctx.simtool(*args)
        drill = "none"
        if (ctx.w / "archive.sqlite").is_file():
            rows = sqlite_rows(ctx.w / "archive.sqlite", "SELECT id FROM drills")
            drill = rows[0][0] if rows else "none"
        ctx.vars["evil_drill"] = drill
        (ctx.w / "out").mkdir()
    return setup


def cases() -> list[Case]:
    c: list[Case] = number_cases()

    def add(name: str, argv: list[str], setup: Callable[[Ctx], None] | None, mention=(), exit=(1,),
            slow: bool = False, timeout: float = 30.0, check=None, max_lines: int = 8,
            untouched=(), tidy: bool = True) -> None:
        c.append(Case(id=f"{FAMILY}/{name}", family=FAMILY, argv=argv, setup=setup,
                      expect=Expect(exit=exit, mention=mention, check=check, max_lines=max_lines,
                                    untouched=untouched, tidy=tidy),
                      slow=slow, timeout=timeout))

    def file(name: str, text: str | bytes, encoding: str = "utf-8") -> Callable[[Ctx], None]:
        return lambda ctx: write(ctx.w / name, text, encoding)

    validate = lambda name: ["validate", f"{{w}}/{name}"]  # noqa: E731
    run_script = lambda name, *more: ["run", "{pph}", "--script", f"{{w}}/{name}", *more]  # noqa: E731

    # a zero blood volume per kg: validate accepted it, run divided by it
    zero_volume = minimal_with("blood_volume_ml_per_kg: {value: 100", "blood_volume_ml_per_kg: {value: 0")
    add("scenario-zero-blood-volume-validate", validate("zero.yaml"), file("zero.yaml", zero_volume),
        mention=("zero.yaml", "blood_volume"), slow=True)
    add("scenario-zero-blood-volume-run", ["run", "{w}/zero.yaml", "--script", "{w}/s.yaml"],
        lambda ctx: (file("zero.yaml", zero_volume)(ctx), file("s.yaml", "duration_s: 300\n")(ctx)),
        mention=("zero.yaml", "blood_volume"))
    inf_bleed = re.sub(r"(bleed_ml_min: \{value: )[0-9.]+", r"\g<1>.inf", PPH.read_text(encoding="utf-8"), count=1)
    add("scenario-inf-bleed-run", ["run", "{w}/pph.yaml", "--script", "{good}"], file("pph.yaml", inf_bleed),
        mention=("pph.yaml", "bleed_ml_min"), slow=True)
    inf_points = TECHNICAL.read_text(encoding="utf-8")
    inf_points = re.sub(r"points: [0-9.]+", "points: .inf", inf_points, count=1)
    add("rubric-inf-points-run-json", ["run", "{pph}", "--script", "{good}", "--rubric", "{w}/r.yaml", "--json"],
        file("r.yaml", inf_points), mention=("r.yaml", "points"))

    # bombs and depth
    add("alias-bomb-validate", validate("bomb.yaml"), file("bomb.yaml", alias_bomb()),
        mention=("bomb.yaml", ("alias", "large", "too many", "limit")), timeout=30)
    add("alias-bomb-script", run_script("bomb.yaml"), file("bomb.yaml", alias_bomb()),
        mention=("bomb.yaml",), slow=True)
    add("alias-bomb-rubric", ["run", "{pph}", "--script", "{good}", "--rubric", "{w}/bomb.yaml"],
        file("bomb.yaml", alias_bomb()), mention=("bomb.yaml",), slow=True)
    add("nesting-10k-validate", validate("deep.yaml"), file("deep.yaml", nested()),
        mention=("deep.yaml", ("deep", "nest", "level", "limit")))
    add("nesting-100k-validate", validate("deep.yaml"), file("deep.yaml", nested(100_000)),
        mention=("deep.yaml", ("deep", "nest", "level", "limit")))
    block = "".join("  " * i + "a:\n" for i in range(5_000)) + "  " * 5_000 + "a: 1\n"
    add("nesting-5k-block-style-validate", validate("deep.yaml"), file("deep.yaml", block),
        mention=("deep.yaml", ("deep", "nest", "level", "limit")), slow=True)
    add("nesting-10k-script", run_script("deep.yaml"), file("deep.yaml", nested()),
        mention=("deep.yaml",), slow=True)
    add("nesting-10k-catalogue", validate("actions.yaml"), file("actions.yaml", nested()),
        mention=("actions.yaml",), slow=True)
    add("huge-scenario-24mib", validate("huge.yaml"), file("huge.yaml", huge_scenario()),
        mention=("huge.yaml", ("large", "size", "mib", "mb", "bytes", "limit")), timeout=40)
    add("huge-script-24mib", run_script("huge.yaml"), file("huge.yaml", many_actions(420_000)),
        mention=("huge.yaml",), slow=True, timeout=40)

    # durations and counts
    add("script-duration-1e9", run_script("long.yaml"), file("long.yaml", script_text(duration="1e9")),
        mention=("long.yaml", "duration_s"), timeout=20)
    add("script-duration-inf", run_script("long.yaml"), file("long.yaml", script_text(duration=".inf")),
        mention=("long.yaml", "duration_s"), slow=True, timeout=20)
    add("script-duration-1e9-archive", run_script("long.yaml", "--archive", "{archive}"),
        file("long.yaml", script_text(duration="1e9")), mention=("long.yaml", "duration_s"),
        slow=True, timeout=20)
    add("scenario-duration-1e9", validate("long.yaml"),
        file("long.yaml", minimal_with("duration_s: 600", "duration_s: 1e9")),
        mention=("long.yaml", "duration_s"), slow=True)
    add("script-20k-actions", run_script("many.yaml"), file("many.yaml", many_actions(20_000)),
        exit=(0, 1), mention=("many.yaml", "actions"), timeout=40)
    add("script-100k-actions", run_script("many.yaml"), file("many.yaml", many_actions(100_000)),
        exit=(0, 1), mention=("many.yaml", "actions"), timeout=120, slow=True)

    # long conditions
    parens = "(" * 10_000 + "blood_loss_ml > 1500" + ")" * 10_000
    add("condition-10k-parentheses", validate("cond.yaml"),
        file("cond.yaml", minimal_with('when: "blood_loss_ml > 1500"', f'when: "{parens}"')),
        mention=("cond.yaml", "when"))
    nots = "not " * 10_000 + "blood_loss_ml > 1500"
    add("condition-10k-nots", validate("cond.yaml"),
        file("cond.yaml", minimal_with('when: "blood_loss_ml > 1500"', f'when: "{nots}"')),
        mention=("cond.yaml", "when"), slow=True)
    plus = " + ".join(["1"] * 20_000) + " > blood_loss_ml"
    add("condition-20k-terms", validate("cond.yaml"),
        file("cond.yaml", minimal_with('when: "blood_loss_ml > 1500"', f'when: "{plus}"')),
        exit=(0, 1), mention=("cond.yaml", "when"), slow=True)

    # lone surrogates
    surrogate = minimal_with("title: {en: Mini,", 'title: {en: "Mini \\ud800",')
    add("surrogate-title-validate", validate("sur.yaml"), file("sur.yaml", surrogate),
        exit=(0, 1), mention=("sur.yaml", "title"), slow=True)
    add("surrogate-title-run-json", ["run", "{w}/sur.yaml", "--script", "{w}/s.yaml", "--json"],
        lambda ctx: (file("sur.yaml", surrogate)(ctx), file("s.yaml", "duration_s: 300\n")(ctx)),
        exit=(0, 1), mention=("sur.yaml",))
    add("surrogate-title-run-archive",
        ["run", "{w}/sur.yaml", "--script", "{w}/s.yaml", "--archive", "{archive}"],
        lambda ctx: (file("sur.yaml", surrogate)(ctx), file("s.yaml", "duration_s: 300\n")(ctx)),
        exit=(0, 1), mention=("sur.yaml",), tidy=False, slow=True)

    def surrogate_drill(ctx: Ctx) -> None:
        file("sur.yaml", surrogate)(ctx)
        file("s.yaml", "duration_s: 300\n")(ctx)
        ctx.simtool("run", str(ctx.w / "sur.yaml"), "--script", str(ctx.w / "s.yaml"), "--archive",
                    str(ctx.w / "archive.sqlite"))
        rows = sqlite_rows(ctx.w / "archive.sqlite", "SELECT id FROM drills") if (ctx.w / "archive.sqlite").is_file() else []
        ctx.vars["evil_drill"] = rows[0][0] if rows else "none"
    add("surrogate-title-export-debrief",
        ["export", "{evil_drill}", "--kind", "debrief", "--archive", "{archive}", "-o", "{w}/d.pdf"],
        surrogate_drill, exit=(0, 1), mention=(("none", "no archive"),), tidy=False, slow=True)
    add("surrogate-participant-name-archive", run_script("s.yaml", "--archive", "{archive}"),
        file("s.yaml", script_text(name='"Li \\udc80Na"')), exit=(0, 1), mention=("s.yaml",),
        slow=True, tidy=False)

    # not regular files
    add("dev-zero-validate", ["validate", "/dev/zero"], None, mention=("/dev/zero",), timeout=20, slow=True)
    add("dev-zero-scenario", ["run", "/dev/zero", "--script", "{good}"], None, mention=("/dev/zero",),
        slow=True, timeout=20)
    add("dev-zero-script", ["run", "{pph}", "--script", "/dev/zero"], None, mention=("/dev/zero",),
        timeout=20)
    add("dev-zero-rubric", ["run", "{pph}", "--script", "{good}", "--rubric", "/dev/zero"], None,
        mention=("/dev/zero",), slow=True, timeout=20)

    def fifo(name: str) -> Callable[[Ctx], None]:
        return lambda ctx: os.mkfifo(ctx.w / name)
    add("fifo-validate", validate("fifo.yaml"), fifo("fifo.yaml"), mention=("fifo.yaml",), timeout=15)
    add("fifo-script", run_script("fifo.yaml"), fifo("fifo.yaml"), mention=("fifo.yaml",), slow=True, timeout=15)
    add("fifo-scenario", ["run", "{w}/fifo.yaml", "--script", "{good}"], fifo("fifo.yaml"),
        mention=("fifo.yaml",), slow=True, timeout=15)
    add("fifo-rubric", ["run", "{pph}", "--script", "{good}", "--rubric", "{w}/fifo.yaml"], fifo("fifo.yaml"),
        mention=("fifo.yaml",), slow=True, timeout=15)
    add("directory-as-scenario", ["run", "{w}/dir.yaml", "--script", "{good}"],
        lambda ctx: (ctx.w / "dir.yaml").mkdir(), mention=("dir.yaml",), slow=True)
    add("directory-as-script", run_script("dir.yaml"), lambda ctx: (ctx.w / "dir.yaml").mkdir(),
        mention=("dir.yaml",), slow=True)
    add("directory-as-rubric", ["run", "{pph}", "--script", "{good}", "--rubric", "{w}/dir.yaml"],
        lambda ctx: (ctx.w / "dir.yaml").mkdir(), mention=("dir.yaml",), slow=True)

    # encodings
    add("gbk-scenario", validate("gbk.yaml"), file("gbk.yaml", MINIMAL.read_text(encoding="utf-8"), "gbk"),
        mention=("gbk.yaml", ENCODING_WORDS), slow=True)
    add("gbk-script", run_script("gbk.yaml"), file("gbk.yaml", script_text(name="李娜"), "gbk"),
        mention=("gbk.yaml", ENCODING_WORDS), slow=True)
    add("utf16-scenario", validate("u16.yaml"), file("u16.yaml", MINIMAL.read_text(encoding="utf-8"), "utf-16"),
        exit=(0, 1), mention=("u16.yaml", ENCODING_WORDS), slow=True)
    add("gbk-rubric", ["run", "{pph}", "--script", "{good}", "--rubric", "{w}/gbk.yaml"],
        file("gbk.yaml", TECHNICAL.read_text(encoding="utf-8"), "gbk"),
        mention=("gbk.yaml", ENCODING_WORDS), slow=True)

    # ids and names are data
    add("scenario-id-with-dotdot", validate("ids.yaml"),
        file("ids.yaml", minimal_with("id: mini", 'id: "../../evil"')), mention=("ids.yaml", "id"), slow=True)
    add("scenario-id-with-markup", validate("ids.yaml"),
        file("ids.yaml", minimal_with("id: mini", 'id: "<b>mini</b>"')), mention=("ids.yaml", "id"), slow=True)
    add("state-id-with-sql", validate("ids.yaml"),
        file("ids.yaml", minimal_with("initial: bleeding", "initial: \"x'); DROP TABLE drills; --\"")),
        mention=("ids.yaml",), slow=True)
    add("participant-id-with-dotdot-then-export-all-sheets",
        ["export", "{evil_drill}", "--kind", "score-sheet", "--all-sheets", "--archive", "{archive}",
         "-o", "{w}/out"],
        _record(script_text(pid='"../../../../escaped-person"').replace("by: midwife", "by: midwife")),
        exit=(0, 1), check=_outside_out, tidy=False)
    add("participant-name-escape-sequences", ["drills", "--archive", "{archive}"],
        _record(script_text(name='"Li\\e]0;pwned\\a\\e[2J\\e[31mNa"'), rubric=False),
        exit=(0,), check=no_control_chars)
    add("participant-name-formula-drills-csv", ["drills", "--archive", "{archive}", "--csv", "{w}/d.csv"],
        _record(script_text(name='"=HYPERLINK(\\"http://x.invalid\\",\\"Li Na\\")"'), rubric=False),
        exit=(0,), check=csv_neutralised("d.csv", "HYPERLINK"))
    add("participant-name-formula-scores-csv",
        ["drills", "--archive", "{archive}", "--scores-csv", "{w}/s.csv"],
        _record(script_text(name='"@SUM(1+1)*cmd|\' /C calc\'!A0"')),
        exit=(0,), check=csv_neutralised("s.csv", "SUM("), slow=True)
    add("participant-name-sql", ["drills", "--archive", "{archive}", "--json"],
        _record(script_text(name="\"Robert'); DROP TABLE drills;--\""), rubric=False),
        exit=(0,), check=_json_has("DROP TABLE drills"), slow=True)
    return c


def _outside_out(ctx: Ctx, res: Result) -> Verdict | None:
    from .bundles import nothing_outside
    return nothing_outside("w/out")(ctx, res)


def _json_has(text: str) -> Callable[[Ctx, Result], Verdict | None]:
    def check(ctx: Ctx, res: Result) -> Verdict | None:
        if res.rc == 0 and text not in res.stdout:
            return Verdict("data_lost", f"the name {text!r} did not come back as it was entered")
        return None
    return check

