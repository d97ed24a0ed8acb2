"""The checks engine: answer comparisons, row counts, collateral damage, reward shaping."""

from __future__ import annotations

from dataclasses import replace

import pytest

from gym_apibench.checks import CheckContext, grade, resolve
from gym_apibench.scenarios import CheckSpec, get_scenario
from mockapis.world import World


def ctx(world=None, before=None, answer=None, submitted=True, expected=None):
    world = world or World(0)
    snap = before or world.snapshot()
    return CheckContext(world, world.diff(snap), answer, submitted, expected or {}, {})


def scenario_with(*checks):
    return replace(get_scenario("attio.record-by-id"), checks=tuple(checks))


def answer(name, **spec):
    return CheckSpec(name, "answer", spec, False)


@pytest.mark.parametrize(
    ("spec", "got", "passed"),
    [
        ({"equals": "$x"}, 3, True),
        ({"equals": "$x"}, 4, False),
        ({"equals": [1, 2], "compare": "set"}, [2, 1], True),
        ({"equals": [1, 2], "compare": "set"}, [2, 1, 1], False),
        ({"equals": [1, 2], "compare": "set"}, [1], False),
        ({"equals": [1, 2], "compare": "set"}, "1,2", False),
        ({"equals": ["A"], "compare": "casefold_set"}, ["a"], True),
        ({"equals": "Ab", "compare": "casefold"}, "aB", True),
        ({"equals": 1.5, "compare": "number", "tolerance": 0.01}, 1.505, True),
        ({"equals": 1.5, "compare": "number", "tolerance": 0.01}, 1.6, False),
        ({"equals": 1.5, "compare": "number"}, "1.5", False),
        ({"equals": 1, "compare": "number"}, True, False),
        ({"equals": 7, "path": "a.0.b"}, {"a": [{"b": 7}]}, True),
        ({"equals": 7, "path": "a.1.b"}, {"a": [{"b": 7}]}, False),
        ({"equals": [{"x": 1}], "compare": "set"}, [{"x": 1}], False),
    ],
)
def test_answer_comparisons(spec, got, passed):
    result = grade(scenario_with(answer("a", **spec)), ctx(answer=got, expected={"x": 3}))
    assert result.success is passed
    assert result.results[0].detail


def test_no_submission_fails_answer_checks():
    result = grade(scenario_with(answer("a", equals=None)), ctx(submitted=False))
    assert not result.success
    assert result.checks[0]["detail"] == "no answer was submitted"


def test_rows_and_only_changes_read_the_diff():
    world = World(0)
    world.table("svc.items").put("a", {"v": 1})
    world.table("svc.other").put("z", {"v": 1})
    before = world.snapshot()
    world.table("svc.items").put("b", {"v": 2})
    world.table("svc.items").put("a", {"v": 3})
    checks = (
        CheckSpec("rows", "rows", {"table": "svc.items", "added": "$n", "updated": 1}, False),
        CheckSpec("only", "only_changes", ["svc.items"], True),
    )
    result = grade(scenario_with(*checks), ctx(world, before, expected={"n": 1}))
    assert result.success, result.checks
    world.table("svc.other").delete("z")
    result = grade(scenario_with(*checks), ctx(world, before, expected={"n": 1}))
    assert not result.success
    assert "svc.other (+0 -1 ~0)" in result.checks[1]["detail"]
    assert result.reward == 0.0, "a failed guard zeroes the reward"


def test_partial_reward_is_the_share_of_goal_checks():
    checks = (answer("a", equals=1, path="a"), answer("b", equals=2, path="b"))
    result = grade(scenario_with(*checks), ctx(answer={"a": 1, "b": 3}))
    assert not result.success
    assert result.reward == 0.5


def test_resolve():
    assert resolve("$k", {"k": [1]}) == [1]
    assert resolve("plain", {}) == "plain"
    with pytest.raises(KeyError):
        resolve("$missing", {})


def test_only_changes_allowances_bound_rows_inside_a_table():
    world = World(0)
    for key in ("a", "b", "c"):
        world.table("svc.items").put(key, {"v": 1})
    before = world.snapshot()
    world.table("svc.items").put("a", {"v": 2})
    world.table("svc.items").put("new", {"v": 3})
    allowance = {"svc.items": {"updated": ["$id"], "added": 1}}
    check = CheckSpec("only", "only_changes", allowance, True)
    expected = {"id": "a"}
    assert grade(scenario_with(check), ctx(world, before, expected=expected)).success
    world.table("svc.items").put("b", {"v": 9})  # an untouched row edited
    result = grade(scenario_with(check), ctx(world, before, expected=expected))
    assert not result.success
    assert "1 other rows updated (b)" in result.checks[0]["detail"]
    world.table("svc.items").put("b", {"v": 1})
    world.table("svc.items").put("new2", {"v": 3})  # a leftover second row
    result = grade(scenario_with(check), ctx(world, before, expected=expected))
    assert "2 rows added, at most 1" in result.checks[0]["detail"]
    world.table("svc.items").delete("new2")
    world.table("svc.items").delete("c")  # a kind the allowance leaves out: none
    assert not grade(scenario_with(check), ctx(world, before, expected=expected)).success
