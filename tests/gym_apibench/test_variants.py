"""Every scenario's faulty variant (``<id>.faulty``): the same world, task and checks, with
the standard profile's faults on top; a gym id of its own and an eval glob."""

from __future__ import annotations

import gymnasium as gym
import pytest

import gym_apibench
from gym_apibench.episode import Episode
from gym_apibench.harness import EvalError, resolve_scenarios, run_episode
from gym_apibench.scenarios import get_scenario, split_variant

BASE = "stripe.all-customers"


def test_a_variant_is_its_scenario_with_the_profiles_rules():
    base, variant = get_scenario(BASE), get_scenario(f"{BASE}.faulty")
    assert (variant.id, variant.base_id, variant.variant) == (f"{BASE}.faulty", BASE, "faulty")
    assert variant.checks == base.checks and variant.services == base.services
    names = [r.name for r in variant.faults]
    assert names[: len(base.faults)] == [r.name for r in base.faults]
    assert names[len(base.faults) :] == ["faulty/cold-start", "faulty/throttled"]
    assert split_variant("attio.x.faulty") == ("attio.x", "faulty")
    assert split_variant("attio.x") == ("attio.x", None)
    with pytest.raises(KeyError, match="unknown scenario"):
        get_scenario(f"{BASE}.faultless")


@pytest.mark.parametrize("seed", [0, 52_301])
def test_same_world_and_task_as_the_scenario(seed: int):
    plain, faulty = Episode(BASE, seed), Episode(f"{BASE}.faulty", seed)
    assert plain.state_hash() == faulty.state_hash()
    assert plain.built.expected == faulty.built.expected
    assert {k: v for k, v in plain.task.items() if k != "scenario"} == {
        k: v for k, v in faulty.task.items() if k != "scenario"
    }


def test_it_measures_retrying():
    """The reference retries after Retry-After and succeeds; no-retry does not."""
    for seed in (0, 1):
        oracle = run_episode("oracle", f"{BASE}.faulty", seed)
        assert oracle.success
        assert {f["rule"] for f in oracle.faults} >= {"faulty/cold-start"}
        assert not run_episode("no-retry", f"{BASE}.faulty", seed).success
        assert run_episode("no-retry", BASE, seed).success


def test_gym_ids_and_eval_globs():
    env = gym.make(gym_apibench.gym_id(f"{BASE}.faulty"))
    _, info = env.reset(seed=3)
    assert info["task"]["scenario"] == f"{BASE}.faulty"
    env.close()
    chosen = resolve_scenarios(["stripe.*.faulty"])
    assert chosen and all(sid.startswith("stripe.") and sid.endswith(".faulty") for sid in chosen)
    assert len(resolve_scenarios(["all.faulty"])) == len(gym_apibench.scenario_ids())
    with pytest.raises(EvalError, match="no scenario matches"):
        resolve_scenarios(["nope.*.faulty"])
