"""Rubric and NTS-block files: every malformed rubric gets exactly the FILE:LINE: field: message
lines written at its end, the bundled rubrics and blocks are valid and complete, and a rubric
is checked against the scenario it scores."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path
from typing import get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simtool.core.catalogue import Rule
from simtool.core.errors import ScenarioError
from simtool.core.ntsblock import load_block
from simtool.core.rubric import EVALUATION_TYPES, FLAG_KINDS, RubricError, load_rubric, rubric_kind
from simtool.core.yamlsrc import load_yaml

from helpers.paths import PPH, ROOT

from helpers.mutation import paths, plain

DATA = Path(__file__).parent / "data"
CORPUS = sorted((DATA / "rubrics_malformed").glob("*.yaml"))
RUBRICS = ROOT / "rubrics"
TECHNICAL = RUBRICS / "pph_uterine_atony_technical.yaml"
TEAM = RUBRICS / "pph_uterine_atony_team.yaml"
BLOCKS = RUBRICS / "blocks"


def expected_lines(path: Path) -> list[str]:
    return [f"{path}:{line[len('# expect: '):]}" for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("# expect: ")]


def problems(path: Path, **kw) -> list[str]:
    try:
        load_rubric(path, **kw)
    except RubricError as exc:
        return [str(p) for p in exc.problems]
    return []


# --- the malformed corpus -------------------------------------------------------------------

def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 10
    assert all(expected_lines(p) for p in CORPUS)


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_malformed_rubric_gets_exactly_its_messages(path):
    with pytest.raises(RubricError) as info:
        load_rubric(path)
    assert [str(p) for p in info.value.problems] == expected_lines(path)
    assert str(info.value) == "\n".join(expected_lines(path))


def test_rubric_problems_are_scenario_errors_so_validate_reports_them_alike():
    assert issubclass(RubricError, ScenarioError)


def test_a_rubric_checked_against_another_scenario_is_refused(tmp_path, pph):
    text = TECHNICAL.read_text(encoding="utf-8").replace("scenario: pph_uterine_atony", "scenario: pas_mdt")
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    line = next(i for i, s in enumerate(text.splitlines(), 1) if s.startswith("scenario:"))
    assert problems(path, loaded_scenario=pph) == [
        f"{path}:{line}: scenario: this rubric is for scenario 'pas_mdt', not 'pph_uterine_atony'"]


def test_the_scenario_is_found_beside_the_rubrics_folder(tmp_path):
    # a local copy of the scenario without the txa expected action: the rubric now refers to
    # an id that scenario does not declare
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "rubrics").mkdir()
    shutil.copy(PPH.parent / "actions.yaml", tmp_path / "scenarios" / "actions.yaml")
    text = PPH.read_text(encoding="utf-8")
    start = text.index("  - id: txa\n")
    end = text.index("  - id: motive_bundle\n")
    (tmp_path / "scenarios" / PPH.name).write_text(text[:start] + text[end:], encoding="utf-8")
    rubric = tmp_path / "rubrics" / TECHNICAL.name
    shutil.copy(TECHNICAL, rubric)
    line = next(i for i, s in enumerate(rubric.read_text(encoding="utf-8").splitlines(), 1)
                if s.strip() == "expected: txa")
    assert problems(rubric) == [
        f"{rubric}:{line}: items[2].expected: unknown expected action 'txa' (scenario has: calcium_antidote, "
        "calcium_massive_transfusion, call_for_help, cpr, ffp_after_4_rbc, fibrinogen_replacement, "
        "first_uterotonic, left_uterine_displacement, magnesium, massive_transfusion, mdt_activation, "
        "motive_bundle, second_line)"]


# --- the bundled rubrics and blocks ---------------------------------------------------------

def test_bundled_rubrics_are_valid(pph):
    tech = load_rubric(TECHNICAL, pph)
    team = load_rubric(TEAM)  # finds its scenario by id
    assert tech.rubric.id == "pph_uterine_atony_technical" and tech.rubric.scenario == "pph_uterine_atony"
    assert team.scenario.scenario.id == "pph_uterine_atony"
    assert [(u.include, u.scope, u.role) for u, _ in team.blocks] == [
        ("team", "team", None), ("ants", "trainee", "anaesthetist")]


def test_pph_technical_rubric_has_the_four_critical_gates(pph):
    rb = load_rubric(TECHNICAL, pph).rubric
    critical = {i.id: (i.kind, i.scope) for i in rb.items if i.critical}
    assert critical == {"help_called": ("action_within", "team"),
                        "uterotonic_given": ("action_within", "team"),
                        "txa_in_window": ("expected", "team"),
                        "no_contraindicated_drug": ("not_done", "team")}
    given_ = rb.item_index["uterotonic_given"]
    assert set(given_.actions) == {"oxytocin", "carboprost", "methylergonovine", "misoprostol"}
    assert given_.after == "detection" and given_.within_s == 900
    assert rb.cut_score.value == 70 and rb.cut_score.source.startswith("design:")
    assert rb.global_rating.borderline == "borderline"
    assert [g.value for g in rb.global_rating.grades] == [1, 2, 3, 4, 5]


def test_ants_block_has_the_structure_of_clinical_5():
    b = load_block(BLOCKS / "ants.yaml").block
    assert [(c.id, len(c.elements)) for c in b.categories] == [
        ("task_management", 4), ("team_working", 5), ("situation_awareness", 3), ("decision_making", 3)]
    assert len(b.element_ids) == 15
    assert [(p.value, p.label.en) for p in b.scale.points] == [
        (4, "Good"), (3, "Acceptable"), (2, "Marginal"), (1, "Poor")]
    assert b.scale.not_observed is True and b.total == "none" and b.overall is None


def test_team_block_has_the_structure_of_clinical_5():
    b = load_block(BLOCKS / "team.yaml").block
    assert [(c.id, len(c.elements)) for c in b.categories] == [
        ("leadership", 2), ("teamwork", 7), ("task_management", 2)]
    assert len(b.element_ids) == 11
    assert b.scale.values == (0, 1, 2, 3, 4) and b.scale.not_observed is False
    assert b.total == "sum"
    assert (b.overall.min, b.overall.max) == (1, 10)


def _texts(node, path=()):
    if isinstance(node, dict):
        if "en" in node:
            yield path, node
        for k, v in node.items():
            yield from _texts(v, path + (k,))
    elif isinstance(node, tuple):
        for i, v in enumerate(node):
            yield from _texts(v, path + (i,))


@pytest.mark.parametrize("path", [TECHNICAL, TEAM, BLOCKS / "ants.yaml", BLOCKS / "team.yaml"],
                         ids=lambda p: p.stem)
def test_every_text_is_in_three_languages(path):
    src, _ = load_yaml(path)
    found = list(_texts(src.data))
    assert found
    missing = [p for p, t in found if not all(t.get(k) for k in ("en", "zh_CN", "zh_TW"))]
    assert missing == []


def test_flag_kinds_are_every_kind_the_engine_raises():
    rule_kinds = {get_args(m.model_fields["kind"].annotation)[0] for m in get_args(get_args(Rule)[0])}
    # the catalogue's rules, plus what rules.check and the scenario's forbidden list add
    assert set(FLAG_KINDS) == rule_kinds | {"dose_range", "route", "forbidden"}
    assert EVALUATION_TYPES == ("formative", "summative", "high-stakes")


def test_rubric_kind_tells_rubrics_from_blocks_and_scenarios():
    assert rubric_kind(load_yaml(TECHNICAL)[0].data) == "rubric"
    assert rubric_kind(load_yaml(BLOCKS / "ants.yaml")[0].data) == "block"
    assert rubric_kind(load_yaml(PPH)[0].data) is None
    assert rubric_kind(["a", "list"]) is None


# --- the hash is of the exact text ----------------------------------------------------------

def test_the_sha256_is_of_the_exact_file_and_follows_every_edit(tmp_path, pph):
    path = tmp_path / "r.yaml"
    raw = TECHNICAL.read_bytes().replace(b"\n", b"\r\n")  # CRLF must not be normalised away
    path.write_bytes(raw)
    first = load_rubric(path, pph)
    assert first.sha256 == hashlib.sha256(raw).hexdigest()
    assert first.text.encode("utf-8") == raw
    path.write_bytes(raw.replace(b'version: "1.0.0"', b'version: "1.0.1"'))
    second = load_rubric(path, pph)
    assert second.sha256 != first.sha256 and second.rubric.version == "1.0.1"
    assert first.sha256 == hashlib.sha256(raw).hexdigest()  # the first load is unchanged
    team = load_rubric(TEAM, pph)
    assert team.blocks_sha256 == {
        "team": hashlib.sha256((BLOCKS / "team.yaml").read_bytes()).hexdigest(),
        "ants": hashlib.sha256((BLOCKS / "ants.yaml").read_bytes()).hexdigest()}


# --- block files ----------------------------------------------------------------------------

def _block_dir(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / "blocks").mkdir(exist_ok=True)
    path = tmp_path / "blocks" / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_malformed_block_messages(tmp_path):
    text = (BLOCKS / "ants.yaml").read_text(encoding="utf-8")
    text = text.replace("id: prioritising", "id: planning_and_preparing")
    text = text.replace("    - {value: 1, label: {en: Poor, zh_CN: 差, zh_TW: 差}}",
                        "    - {value: 2, label: {en: Poor, zh_CN: 差, zh_TW: 差}}")
    path = _block_dir(tmp_path, "nts", text)
    lines = text.splitlines()
    el = [i for i, s in enumerate(lines, 1) if "id: planning_and_preparing" in s][1]
    poor = next(i for i, s in enumerate(lines, 1) if "en: Poor" in s)
    ident = next(i for i, s in enumerate(lines, 1) if s.startswith("id: ants"))
    with pytest.raises(RubricError) as info:
        load_block(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:{ident}: id: block id 'ants' differs from its file name 'nts.yaml' (a rubric includes it by file name)",
        f"{path}:{poor}: scale.points[3].value: duplicate value '2' (first at points[2])",
        f"{path}:{el}: categories[0].elements[1].id: duplicate element id 'planning_and_preparing' "
        "(also in category 'task_management')",
    ]
    assert ident < poor < el


def test_a_rubric_names_a_broken_block_it_includes(tmp_path, pph):
    _block_dir(tmp_path, "team", (BLOCKS / "team.yaml").read_text(encoding="utf-8").replace("total: sum", "total: mean"))
    rubric = tmp_path / "r.yaml"
    text = TEAM.read_text(encoding="utf-8")
    rubric.write_text(text, encoding="utf-8")
    line = next(i for i, s in enumerate(text.splitlines(), 1) if s.strip() == "- include: team")
    assert problems(rubric, loaded_scenario=pph) == [
        f"{rubric}:{line}: blocks[0].include: block 'team' has problems "
        f"(simtool validate {tmp_path / 'blocks' / 'team.yaml'})"]


# --- the loader under mutation --------------------------------------------------------------

BASE = load_yaml(TECHNICAL)[0].data  # type: ignore[union-attr]


ALL_PATHS = [p for p in paths(plain(BASE)) if p]
ODD = st.one_of(st.none(), st.booleans(), st.integers(-5, 5000), st.floats(allow_nan=True), st.text(max_size=8),
                st.sampled_from(["oxytocin", "detection", "midwife", "team", "graded", "expected", "txa", "ants"]),
                st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(ALL_PATHS), st.sampled_from(["delete", "replace"]), ODD),
                min_size=1, max_size=3))
def test_mutated_rubrics_only_ever_raise_rubric_error(pph, mutations):
    data = plain(BASE)
    for path, op, value in mutations:
        node = data
        try:
            for part in path[:-1]:
                node = node[part]
            if op == "delete":
                del node[path[-1]]
            else:
                node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mutant.yaml"
        path.write_text(json.dumps(data, ensure_ascii=False, allow_nan=True), encoding="utf-8")
        try:
            load_rubric(path, pph)
        except RubricError as exc:
            assert exc.problems and all(str(p).startswith(f"{path}:") for p in exc.problems)
