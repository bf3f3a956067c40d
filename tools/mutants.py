"""Mutation testing, one module at a time: ``make mutants [MODULE=simtool/core/rules.py]``.

For each module this runs mutmut (https://mutmut.readthedocs.io, 3.x) in its own work folder
``.mutants/<module>/`` — a copy of the sources, tests and data, with only that module mutated
and only the tests named for it run — and prints one JSON object, as the benchmarks do
(written to ``bench/mutants.json`` too unless ``--out -``): per module killed, survived,
timeout, no tests, the survivors explained as equivalent in ``tools/mutants-equivalent.md``,
and the survival rate::

    survival = (survived + no tests - equivalent) / (all tried - equivalent)

Which modules: ``[tool.mutmut] only_mutate`` in pyproject.toml (a list of path globs:
``simtool/core/*``, ``simtool/store/*``; add ``simtool/app/*`` when it exists), or the paths
given on the command line (files or folders). Which tests: ``[tool.simtool-mutants.tests]``,
the first glob that matches the module. Not part of CI: a module takes minutes.

Results are kept between runs in the work folder: mutmut tests again only the functions that
changed (and everything when a module's test list changes). After adding tests for survivors,
``--recheck`` (``make mutants MODULE=... ARGS=--recheck``) tries the survivors again;
``--fresh`` starts over. ``.venv/bin/mutmut show NAME`` inside the work folder shows a mutant.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".mutants"
EQUIVALENT = ROOT / "tools" / "mutants-equivalent.md"
COPY = ("simtool", "tests", "scenarios", "rubrics", "assets", "tools")
STATUSES = ("killed", "survived", "no tests", "timeout", "suspicious", "segfault", "skipped",
            "caught by type check", "check was interrupted by user", "not checked")
LINE = re.compile(r"^\s+(\S+): (.+)$")


def config() -> tuple[list[str], dict[str, list[str]]]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    globs = list(data["mutmut"]["only_mutate"])
    tests = {k: list(v) for k, v in data["simtool-mutants"]["tests"].items()}
    return globs, tests


def modules(args: list[str], globs: list[str]) -> list[str]:
    """The .py files to mutate: those under ``args``, else those the config's globs match."""
    found: list[str] = []
    if args:
        for a in args:
            p = (ROOT / a).resolve()
            if not p.exists():
                raise SystemExit(f"mutants: {a} does not exist")
            files = [p] if p.is_file() else sorted(p.rglob("*.py"))
            found += [str(f.relative_to(ROOT)) for f in files]
    else:
        every = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "simtool").rglob("*.py"))
        found = [f for f in every if any(fnmatch.fnmatch(f, g) for g in globs)]
    return [f for f in dict.fromkeys(found) if (ROOT / f).stat().st_size and f.endswith(".py")]


def tests_for(module: str, table: dict[str, list[str]]) -> list[str]:
    for pattern, tests in table.items():
        if fnmatch.fnmatch(module, pattern):
            return tests
    raise SystemExit(f"mutants: no tests named for {module} in [tool.simtool-mutants.tests]")


def equivalent() -> dict[str, str]:
    """Mutant name -> why it is equivalent, from tools/mutants-equivalent.md (``- `name`: why``)."""
    out = {}
    for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^- `([^`]+)`\s*[:—-]\s*(.+)$", line)
        if m:
            out[m.group(1)] = m.group(2).strip()
    return out


def _pyproject_for(module: str, tests: list[str]) -> str:
    """The project's pyproject.toml with a [tool.mutmut] table for this one module."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)["tool"]["mutmut"]
    start = text.index("[tool.mutmut]")
    nxt = re.search(r"^\[", text[start + 1:], re.M)
    end = start + 1 + nxt.start() if nxt else len(text)
    table = dict(data, only_mutate=[module], pytest_add_cli_args_test_selection=tests)
    body = "".join(f"{k} = {json.dumps(v, ensure_ascii=False)}\n" for k, v in table.items())
    return text[:start] + "[tool.mutmut]\n" + body + "\n" + text[end:]


def prepare(module: str, tests: list[str], fresh: bool) -> Path:
    work = WORK / module.replace("/", "__").removesuffix(".py")
    if fresh and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")
    for name in COPY:
        target = work / name
        if target.exists():
            shutil.rmtree(target)  # removed files must not linger; mutmut's cache is in mutants/
        shutil.copytree(ROOT / name, target, ignore=ignore, copy_function=shutil.copy2)
    (work / "pyproject.toml").write_text(_pyproject_for(module, tests), encoding="utf-8")
    return work


def mutmut() -> str:
    exe = Path(sys.executable).parent / "mutmut"
    if not exe.exists():
        raise SystemExit("mutants: mutmut is not installed in this environment; "
                         f"{sys.executable} -m pip install -e '.[mutants]'")
    return str(exe)


def _results(work: Path, env: dict[str, str]) -> dict[str, str]:
    out = subprocess.run([mutmut(), "results", "--all", "true"], cwd=work, env=env,
                         capture_output=True, text=True, check=True).stdout
    status: dict[str, str] = {}
    for line in out.splitlines():
        m = LINE.match(line)
        if m and m.group(2) in STATUSES:
            status[m.group(1)] = m.group(2)
    return status


def run(module: str, tests: list[str], max_children: int, fresh: bool, recheck: bool) -> dict[str, object]:
    """mutmut over one module; with ``recheck`` the earlier survivors are tried again (mutmut
    keeps a verdict until the mutated function changes, so new tests alone do not revisit it)."""
    work = prepare(module, tests, fresh)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    t0 = time.monotonic()
    again: list[str] = []
    if recheck and (work / "mutants").exists():
        again = [k for k, v in _results(work, env).items() if v in ("survived", "no tests")]
    with (work / "run.log").open("w", encoding="utf-8") as log:
        for names in ([], again) if again else ([],):
            code = subprocess.run([mutmut(), "run", "--max-children", str(max_children), *names], cwd=work,
                                  env=env, stdout=log, stderr=subprocess.STDOUT).returncode
            if code != 0:
                break
    seconds = round(time.monotonic() - t0, 1)
    if code != 0:
        tail = (work / "run.log").read_text(encoding="utf-8", errors="replace")[-2000:]
        return {"error": f"mutmut exited {code}; see {work / 'run.log'}", "log_tail": tail}
    return summarise(_results(work, env), equivalent(), seconds, tests)


def summarise(status: dict[str, str], equivalent: dict[str, str], seconds: float,
              tests: list[str]) -> dict[str, object]:
    count = {s: sum(1 for v in status.values() if v == s) for s in STATUSES}
    living = sorted(k for k, v in status.items() if v in ("survived", "no tests"))
    explained = [k for k in living if k in equivalent]
    unexplained = [k for k in living if k not in equivalent]
    tried = sum(count[s] for s in ("killed", "survived", "no tests", "timeout", "suspicious", "segfault",
                                   "caught by type check"))
    denominator = tried - len(explained)
    return {
        "mutants": len(status), "killed": count["killed"], "survived": count["survived"],
        "no_tests": count["no tests"], "timeout": count["timeout"], "suspicious": count["suspicious"],
        "equivalent": len(explained), "not_checked": count["not checked"] + count["check was interrupted by user"],
        "survival_rate": round(len(unexplained) / denominator, 4) if denominator else None,
        "survivors": unexplained, "seconds": seconds, "tests": tests,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="modules or folders (default: [tool.mutmut] only_mutate)")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--out", default=str(ROOT / "bench" / "mutants.json"),
                        help="where to write the JSON report as well as printing it ('-': print only)")
    parser.add_argument("--fresh", action="store_true", help="forget earlier results")
    parser.add_argument("--recheck", action="store_true",
                        help="try the earlier survivors again (after adding tests)")
    args = parser.parse_args()
    globs, table = config()
    report: dict[str, object] = {"benchmark": "mutants", "tool": "mutmut", "modules": {}}
    for module in modules(args.paths, globs):
        print(f"mutants: {module}", file=sys.stderr, flush=True)
        report["modules"][module] = run(module, tests_for(module, table), args.max_children, args.fresh,
                                        args.recheck)  # type: ignore[index]
    if args.out != "-":
        out = Path(args.out)
        kept = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
        # one module at a time adds up: earlier modules' figures stay in the file
        report["modules"] = {**kept.get("modules", {}), **report["modules"]}  # type: ignore[dict-item]
    report["total"] = total(report["modules"])  # type: ignore[arg-type]
    text = json.dumps(report, indent=1, ensure_ascii=False)
    print(text)
    if args.out != "-":
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    if any("error" in m for m in report["modules"].values()):  # type: ignore[union-attr]
        sys.exit(1)


def total(per_module: dict[str, dict[str, object]]) -> dict[str, object]:
    per = [m for m in per_module.values() if "error" not in m]
    living = sum(len(m["survivors"]) for m in per)  # type: ignore[arg-type]
    denominator = sum(m["killed"] + m["survived"] + m["no_tests"] + m["timeout"] + m["suspicious"]  # type: ignore[operator]
                      - m["equivalent"] for m in per)
    return {"modules": len(per), "killed": sum(m["killed"] for m in per),  # type: ignore[misc]
            "survivors": living, "equivalent": sum(m["equivalent"] for m in per),  # type: ignore[misc]
            "survival_rate": round(living / denominator, 4) if denominator else None}


if __name__ == "__main__":
    main()
