"""Bounded work for any input (issue 14, deliverable 7): every limit of ``simtool.core.limits``
is enforced with one clear FILE:LINE: field: message, never a hang, a crash or a MemoryError.

The hostile inputs are generated here, never stored. Those that could crash or hang the
interpreter if a guard were missing (deep nesting reaching ruamel's C loader, an alias bomb, a
FIFO) run in a child process with a timeout and a memory cap, so a SIGSEGV, a hang or a
MemoryError fails the test instead of taking pytest down with it.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simtool.core import expr, limits
from simtool.core.drill import Drill, PatientParams
from simtool.core.errors import DrillError, ScenarioError
from simtool.core.events import Event
from simtool.core.rules import ActionLog
from simtool.core.runner import run_script
from simtool.core.scenario import load_scenario
from simtool.core.script import Script, ScriptAction, load_script
from simtool.core.yamlsrc import load_yaml, parse_yaml

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "core" / "data" / "minimal_scenario.yaml"
PPH = ROOT / "scenarios" / "pph_uterine_atony.yaml"


def child(*argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m simtool ARGV`` in a child process limited to 1.5 GiB of memory."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "simtool", *argv], capture_output=True, text=True,
                          timeout=timeout, preexec_fn=cap, env=env, cwd=ROOT)


def one_line(out: str) -> str:
    lines = out.strip().splitlines()
    assert len(lines) == 1, out
    return lines[0]


def billion_laughs() -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, 10):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    return text


# --- YAML nesting and aliases -----------------------------------------------------------------

@pytest.mark.parametrize("shape", ["flow", "block"])
@pytest.mark.parametrize("depth", [10_000, 200_000])
def test_deep_nesting_is_refused_before_the_c_loader_sees_it(tmp_path, shape, depth):
    f = tmp_path / "deep.yaml"
    if shape == "flow":
        f.write_text("states: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    else:  # block lists, each the first item of the one before: "- - - ... - x"
        f.write_text("states:\n" + "- " * depth + "x\n", encoding="utf-8")
    r = child("validate", "-q", str(f))
    assert r.returncode == 1, r.stderr  # a SIGSEGV would be -11
    assert "Traceback" not in r.stderr
    assert one_line(r.stdout) == (f"{f}:{1 if shape == 'flow' else 2}: (yaml): nested deeper than "
                                  f"{limits.MAX_YAML_DEPTH} levels (the limit for simtool's files)")


def test_depth_limit_is_exact():
    ok = "a: " + "[" * (limits.MAX_YAML_DEPTH - 1) + "]" * (limits.MAX_YAML_DEPTH - 1) + "\n"
    over = "a: " + "[" * limits.MAX_YAML_DEPTH + "]" * limits.MAX_YAML_DEPTH + "\n"
    assert parse_yaml(ok, "f.yaml")[0] is not None
    src, problems = parse_yaml(over, "f.yaml")
    assert src is None and "nested deeper than" in problems[0].message


@pytest.mark.parametrize("depth", [limits.MAX_YAML_DEPTH + 1, 20_000])
def test_deep_nesting_after_a_syntax_error_is_refused_too(depth):
    # libyaml stops at the error ("1:2" in a flow list); ruamel's own parser, which then says
    # what is wrong, must refuse the deep part too (it recurses once per level)
    text = "a: [1:2]\nb: " + "[" * depth + "]" * depth + "\n"
    src, problems = parse_yaml(text, "f.yaml")
    assert src is None
    assert [str(p) for p in problems] == [
        "f.yaml:2: (yaml): nested deeper than 64 levels (the limit for simtool's files)"]


def test_an_alias_bomb_is_refused(tmp_path):
    f = tmp_path / "bomb.yaml"
    f.write_text(billion_laughs(), encoding="utf-8")
    r = child("validate", "-q", str(f), timeout=60)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr and "MemoryError" not in r.stderr
    line = one_line(r.stdout)
    assert line.startswith(f"{f}:5: (yaml): aliases (*name) expand to more than 100,000 nodes"), line


def test_an_alias_bomb_after_a_syntax_error_is_refused_too(tmp_path):
    # libyaml stops at "1:2"; ruamel's own parser reads on and must not expand the bomb either
    f = tmp_path / "bomb.yaml"
    f.write_text("x: [1:2]\n" + billion_laughs(), encoding="utf-8")
    r = child("validate", "-q", str(f), timeout=60)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr and "MemoryError" not in r.stderr
    assert one_line(r.stdout).startswith(f"{f}:1: (yaml): aliases (*name) expand to more than 100,000 nodes")


def test_a_few_aliases_still_load():
    src, problems = parse_yaml("a: &x {k: 1}\nb: *x\nc: [*x, *x]\n", "f.yaml")
    assert problems == [] and src.data == {"a": {"k": 1}, "b": {"k": 1}, "c": ({"k": 1}, {"k": 1})}


# --- files that are not regular, or too big -------------------------------------------------

@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_a_path_that_is_not_a_regular_file_is_refused_without_reading(tmp_path, kind):
    if kind == "fifo":
        path = tmp_path / "pipe.yaml"
        os.mkfifo(path)
        expect = "is a pipe (FIFO), not a regular file"
    elif kind == "device":
        path = Path("/dev/zero")
        expect = "is a device, not a regular file"
    else:
        path = tmp_path / "folder.yaml"
        path.mkdir()
        expect = "is a folder, not a file"
    # a FIFO with no writer would block open() for ever: the child's timeout catches that
    r = child("run", str(PPH), "--script", str(path), "--json", timeout=60)
    assert r.returncode == 1 and r.stdout == ""
    assert one_line(r.stderr) == f"{path}:1: (file): {expect}"
    src, problems = load_yaml(path)
    assert src is None and problems[0].message == expect


def test_a_fifo_as_scenario_does_not_hang_validate(tmp_path):
    fifo = tmp_path / "scenario.yaml"
    os.mkfifo(fifo)
    r = child("validate", "-q", str(fifo), timeout=60)
    assert r.returncode == 1
    assert one_line(r.stdout) == f"{fifo}:1: (file): is a pipe (FIFO), not a regular file"


def test_an_oversized_file_is_refused_by_its_size(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as f:
        f.truncate(limits.MAX_DATA_FILE_BYTES + 1)  # sparse: nothing is written
    src, problems = load_yaml(big)
    assert src is None
    assert str(problems[0]) == (f"{big}:1: (file): is larger than 4 MiB, the limit for "
                                "scenario, catalogue and rubric files")
    exact = tmp_path / "exact.yaml"
    exact.write_bytes(b"a: 1\n" + b"#" * (limits.MAX_DATA_FILE_BYTES - 6) + b"\n")
    assert load_yaml(exact)[1] == []


# --- drills: duration, actions, samples -----------------------------------------------------

def _script(tmp_path: Path, text: str) -> Path:
    f = tmp_path / "script.yaml"
    f.write_text(text, encoding="utf-8")
    return f


@pytest.mark.parametrize("duration", ["1e9", "86401", ".inf"])
def test_a_script_longer_than_a_day_is_refused(tmp_path, pph, duration):
    f = _script(tmp_path, f"# a script\nduration_s: {duration}\nactions: []\n")
    with pytest.raises(ScenarioError) as exc:
        load_script(f, pph)
    (problem,) = exc.value.problems
    assert (problem.line, problem.field) == (2, "duration_s")
    if duration == ".inf":
        assert problem.message == "must be a finite number (not .inf or .nan)"
    else:
        assert problem.message == "must be at most 86,400 s (24 h, simtool's limit for one drill)"


def test_a_script_of_a_day_is_accepted(tmp_path, pph):
    assert load_script(_script(tmp_path, "duration_s: 86400\n"), pph).duration_s == 86400


def test_a_scenario_longer_than_a_day_is_refused(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text(MINIMAL.read_text(encoding="utf-8").replace("duration_s: 600", "duration_s: 1e9"),
                 encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(f)
    assert [str(p) for p in exc.value.problems] == [
        f"{f}:10: duration_s: must be at most 86,400 s (24 h, simtool's limit for one drill)"]


def _many_actions(n: int) -> str:
    return "duration_s: 3600\nactions:\n" + "".join(
        f"  - {{t: {i * 3600 / (n + 1):.3f}, action: {('uterine_massage', 'oxytocin, dose: 10')[i % 2]}}}\n"
        for i in range(n))


def test_more_actions_than_the_limit_are_refused_by_the_script(tmp_path, pph, monkeypatch):
    # the same check as for 100,001 actions (test below, slow), on a limit made small
    monkeypatch.setattr("simtool.core.script.MAX_SCRIPT_ACTIONS", 5)
    with pytest.raises(ScenarioError) as exc:
        load_script(_script(tmp_path, _many_actions(6)), pph)
    assert [str(p) for p in exc.value.problems] == [
        f"{tmp_path / 'script.yaml'}:2: actions: 6 entries; a script may hold at most 5 (simtool's limit)"]
    assert len(load_script(_script(tmp_path, _many_actions(5)), pph).actions) == 5


@pytest.mark.slow
def test_100001_actions_are_refused(tmp_path, pph):
    # (100,000 play: tests/test_cli_limits.py)
    over = _script(tmp_path, _many_actions(limits.MAX_SCRIPT_ACTIONS + 1))
    with pytest.raises(ScenarioError) as exc:
        load_script(over, pph)
    assert [str(p) for p in exc.value.problems] == [
        f"{over}:2: actions: 100,001 entries; a script may hold at most 100,000 (simtool's limit)"]


def test_logging_actions_is_linear_in_the_number_of_actions(pph):
    # 20,000 actions cost about a second of CPU; when every action re-read the whole record
    # (actions_done() and the rules' filters) they cost over two minutes
    n = 20_000
    acts = tuple(ScriptAction(t=i * 3600 / (n + 1), action=a, dose=d)
                 for i, (a, d) in enumerate([("oxytocin", 5.0), ("tranexamic_acid", 1.0),
                                             ("crystalloid_bolus", 500.0), ("uterine_massage", None)] * (n // 4)))
    script = Script(duration_s=3600, actions=acts)
    start = time.process_time()
    drill, _ = run_script(pph, script, PatientParams(65.0))
    took = time.process_time() - start
    assert sum(e.kind == "action" for e in drill.events) == n
    assert took < 20, f"{n} actions took {took:.1f} s of CPU"


@pytest.mark.parametrize(("sample", "message"), [
    (1e-6, "the sampling interval must be a number of seconds from 0.1 up, not 1e-06"),
    (float("nan"), "the sampling interval must be a number of seconds from 0.1 up, not nan"),
    (0.5, "the sampling interval 0.5 s over 86400 s would take 172,801 vitals samples; the limit "
          "is 100,000 (use 0.9 s or more)"),
])
def test_sampling_is_bounded(pph, sample, message):
    script = Script(duration_s=86400)
    with pytest.raises(DrillError) as exc:
        run_script(pph, script, PatientParams(65.0), sample_s=sample)
    assert str(exc.value) == message


# --- conditions -------------------------------------------------------------------------------

@pytest.mark.parametrize(("condition", "message"), [
    ("(" * 10_000 + "hr > 1" + ")" * 10_000, "longer than 2,000 characters (simtool's limit for a condition)"),
    ("(" * 200 + "hr > 1" + ")" * 200, "nested deeper than 32 levels (simtool's limit for a condition)"),
    ("not " * 100 + "hr > 1", "nested deeper than 32 levels (simtool's limit for a condition)"),
    ("hr > " + "-" * 100 + "1", "nested deeper than 32 levels (simtool's limit for a condition)"),
    (" + ".join(["hr"] * 300) + " > 1", "nested deeper than 32 levels (simtool's limit for a condition)"),
    ("hr > 1" + " and hr > 1" * 100, "nested deeper than 32 levels (simtool's limit for a condition)"),
    ("hr > " + "9" * 400, "number 999999999999… at column 6 is too large"),
])
def test_long_or_deep_conditions_are_refused_not_recursed(condition, message):
    with pytest.raises(expr.ExprError) as exc:
        expr.parse(condition)
    assert str(exc.value) == message


def test_a_condition_at_the_depth_limit_still_parses_and_evaluates():
    text = "(" * (limits.MAX_EXPR_DEPTH - 2) + "hr > 1" + ")" * (limits.MAX_EXPR_DEPTH - 2)
    assert expr.compile_condition(text)({"hr": 2}) is True


def test_a_deep_condition_in_a_scenario_is_a_validation_message(tmp_path):
    f = tmp_path / "s.yaml"
    deep = "(" * 5000 + "blood_loss_ml > 1500" + ")" * 5000
    f.write_text(MINIMAL.read_text(encoding="utf-8").replace('"blood_loss_ml > 1500"', f'"{deep}"'),
                 encoding="utf-8")
    r = child("validate", "-q", str(f))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert one_line(r.stdout) == (f"{f}:36: states[0].transitions[1].when: condition: longer than "
                                  "2,000 characters (simtool's limit for a condition)")


# --- the running totals the rules read ----------------------------------------------------------

@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from("abc"),
                          st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False)),
                          st.booleans()), max_size=40))
def test_running_totals_equal_the_sums_the_rules_used_to_make(steps):
    # ActionLog keeps, per set of actions, the total sum() gave when it re-added the record at
    # every action: bit for bit, also after retractions
    log = ActionLog()
    alive: list[Event] = []
    for seq, (action, dose, retract) in enumerate(steps):
        for ids in (frozenset("a"), frozenset("ab"), frozenset("abc")):
            got = log.total(ids)
            want = sum(e.dose or 0.0 for e in alive if e.action in ids)
            assert (type(got), repr(got)) == (type(want), repr(want))
        assert list(log.same(action)) == [e for e in alive if e.action == action]
        event = Event(seq, float(seq), "action", action=action, dose=dose)
        log.add(event)
        alive.append(event)
        if retract and len(alive) > 1:
            gone = alive.pop(len(alive) // 2)
            log.remove(gone)
    assert log.ordered == alive


def test_a_retracted_dose_stops_counting_towards_the_total(pph):
    # lipid's ceiling is 12 mL/kg shared by bolus and infusion: 60 kg -> 720 mL
    last = load_scenario(ROOT / "scenarios" / "last_nerve_block.yaml")
    drill = Drill(last, PatientParams(60.0))
    drill.act("lipid_emulsion_bolus", dose=90)
    big = drill.act("lipid_emulsion_infusion", dose=600)
    drill.retract(big.iid)
    e = drill.act("lipid_emulsion_bolus", dose=90)
    assert [f.rule for f in drill.flags() if f.ref == e.seq and f.rule == "max_volume"] == []
    again = drill.act("lipid_emulsion_infusion", dose=600)
    assert "max_volume" in [f.rule for f in drill.flags() if f.ref == again.seq]


def test_a_force_after_the_end_of_the_script_is_refused(tmp_path):
    # the run would tick second by second up to it: 1e9 s is 30 years of simulated drill
    f = _script(tmp_path, "duration_s: 60\nforces:\n  - {t: 1e9, force: controlled}\n")
    r = child("run", str(MINIMAL), "--script", str(f), "--json", timeout=60)
    assert (r.returncode, r.stdout) == (1, "")
    assert one_line(r.stderr) == f"{f}:3: forces[0].t: 1e+09 s is after the end of the script (60 s)"


def test_a_scenario_list_longer_than_the_limit_is_refused(tmp_path):
    # the engine evaluates every marker's condition each simulated second
    text = MINIMAL.read_text(encoding="utf-8")
    marker = "markers:\n  - id: birth\n    at_s: 0\n"
    more = "".join(f"  - {{id: m{i}, when: 'hr > 1', source: design}}\n" for i in range(limits.MAX_FILE_ENTRIES))
    f = tmp_path / "s.yaml"
    f.write_text(text.replace(marker, marker + more), encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(f)
    line = text[:text.index(marker)].count("\n") + 1
    assert [str(p) for p in exc.value.problems] == [f"{f}:{line}: markers: 201 entries; at most 200 (simtool's limit)"]
    f.write_text(text.replace(marker, marker + more[:more.index("  - {id: m199")]), encoding="utf-8")
    assert len(load_scenario(f).scenario.markers) == 200


def test_a_script_far_over_the_action_limit_stops_being_read_at_the_limit(tmp_path, pph):
    """A script under the size cap can still hold hundreds of thousands of actions, and
    building all of them before counting took minutes: the reading stops one item over the
    limit, with the line where it stopped."""
    script = tmp_path / "huge.yaml"
    script.write_text("duration_s: 600\nactions:\n" + "- 0\n" * 400_000, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_script(script, pph)
    (problem,) = err.value.problems
    assert problem.line == 2 + limits.MAX_SCRIPT_ACTIONS + 2
    assert f"more than {limits.MAX_SCRIPT_ACTIONS + 1:,} items" in problem.message
