"""The scenario format: strict validation with errors that name file, key and valid keys."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from gym_apibench.scenarios import (
    ScenarioError,
    get_scenario,
    load_scenario_file,
    load_scenarios,
    scenarios_dir,
)
from mockapis.registry import services

VALID = """
title: T
category: lookup
split: train
services: [attio]
max_steps: 5
solution: record_by_id
instruction: Do it.
checks:
  - name: a
    answer: {equals: 1}
"""


def write(tmp_path: Path, text: str, name: str = "thing") -> Path:
    family = tmp_path / "fam"
    family.mkdir(exist_ok=True)
    path = family / f"{name}.yaml"
    path.write_text(text)
    return path


def test_valid_file_loads(tmp_path):
    scenario = load_scenario_file(write(tmp_path, VALID), services())
    assert scenario.id == "fam.thing"
    assert scenario.family == "fam"
    assert scenario.checks[0].kind == "answer"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (VALID.replace("title:", "titel:"), "unknown key 'titel'; did you mean 'title'?"),
        (VALID.replace("split: train", "split: dev"), "split must be one of"),
        (VALID.replace("services: [attio]", "services: [atio]"), "did you mean 'attio'"),
        (VALID.replace("max_steps: 5", "max_steps: 0"), "max_steps must be >= 1"),
        (
            VALID.replace("max_steps: 5", "max_steps: five"),
            "'max_steps' must be a positive integer",
        ),
        (VALID.replace("    answer: {equals: 1}", "    answr: {equals: 1}"), "unknown key 'answr'"),
        (
            VALID.replace("{equals: 1}", "{equal: 1}"),
            "Valid keys: compare, equals, path, tolerance",
        ),
        (
            VALID.replace("{equals: 1}", "{equals: 1, compare: fuzzy}"),
            "compare 'fuzzy' is not one of",
        ),
        (VALID.replace("instruction: Do it.\n", ""), "missing required key 'instruction'"),
        (VALID + "world: {stripe: {customers: 3}}\n", "not in services"),
        (VALID + "epoch: yesterday\n", "not an RFC 3339 time"),
        ("- a list\n", "a scenario file is a mapping"),
        ("title: [unclosed\n", "not valid YAML"),
    ],
)
def test_invalid_files_fail_with_file_key_and_valid_keys(tmp_path, edit, message):
    path = write(tmp_path, edit)
    with pytest.raises(ScenarioError) as caught:
        load_scenario_file(path, services())
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_bad_id_is_rejected(tmp_path):
    with pytest.raises(ScenarioError, match=r"lowercase family\.name"):
        load_scenario_file(write(tmp_path, VALID, name="Bad Name"), services())


def test_duplicate_check_names_are_rejected(tmp_path):
    text = VALID + "  - name: a\n    answer: {equals: 2}\n"
    with pytest.raises(ScenarioError, match="unique"):
        load_scenario_file(write(tmp_path, text), services())


def test_unknown_scenario_suggests_a_close_one():
    with pytest.raises(KeyError, match=r"did you mean 'attio\.record-by-id'"):
        get_scenario("attio.record-by-idd")


def test_every_family_function_exists():
    from gym_apibench.scenarios import family_function

    for scenario in load_scenarios().values():
        family_function(scenario, "solutions", scenario.solution)
        if scenario.truth:
            family_function(scenario, "truth", scenario.truth)
        for check in scenario.checks:
            if check.kind == "custom":
                family_function(scenario, "checks", check.spec)


def test_both_splits_are_used():
    splits = {s.split for s in load_scenarios().values()}
    assert splits == {"train", "test"}


@pytest.mark.parametrize(
    "family_dir",
    sorted(p for p in scenarios_dir().iterdir() if p.is_dir() and not p.name.startswith("_")),
)
def test_solutions_never_peek_at_the_world(family_dir):
    """Reference solutions may only use the public HTTP surface: no mockapis imports."""
    tree = ast.parse((family_dir / "solutions.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
            )
            for name in names:
                assert not name.startswith("mockapis"), (
                    f"{family_dir.name}/solutions.py imports {name}"
                )


@pytest.mark.parametrize(
    "allowance",
    ["{t.x: {added: -1}}", "{t.x: {moved: 1}}", "{t.x: {added: maybe}}", "{t.x: {added: {if: f}}}"],
)
def test_bad_only_changes_allowances_are_rejected(tmp_path, allowance):
    text = VALID + f"  - name: b\n    only_changes: {allowance}\n"
    with pytest.raises(ScenarioError, match="only_changes"):
        load_scenario_file(write(tmp_path, text))
