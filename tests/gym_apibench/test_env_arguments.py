"""The env's make arguments: seed pools, a private world cache, and bad input failing at make."""

from __future__ import annotations

import pickle

import gymnasium as gym
import numpy as np
import pytest

import gym_apibench
from gym_apibench.episode import WorldCache, default_cache
from gym_apibench.seeds import draw_seed, seed_pool

SCENARIO = "attio.record-by-id"
GYM_ID = gym_apibench.gym_id(SCENARIO)


def test_the_public_surface():
    assert set(gym_apibench.__all__) == {
        "ENV_PREFIX",
        "ENV_VERSION",
        "EVAL_SEEDS",
        "TRAIN_SEEDS",
        "gym_id",
        "register_envs",
        "scenario_ids",
    }
    assert all(hasattr(gym_apibench, name) for name in gym_apibench.__all__)
    assert gym_apibench.gym_id(SCENARIO) == f"apibench/{SCENARIO}-v{gym_apibench.ENV_VERSION}"
    assert gym_apibench.ENV_VERSION == 1 and GYM_ID in gym.registry


def test_eval_and_train_seeds_never_meet():
    eval_seeds, train_seeds = gym_apibench.EVAL_SEEDS, gym_apibench.TRAIN_SEEDS
    assert eval_seeds == range(0, 1_000_000) and train_seeds == range(1_000_000, 2**31)
    assert eval_seeds[-1] < train_seeds[0]


@pytest.mark.parametrize("seeds", [[11, 12, 13], range(5000, 5004), np.array([7, 9])])
def test_draws_stay_in_the_pool(seeds):
    env = gym.make(GYM_ID, seeds=seeds)
    env.reset(seed=0)
    drawn = {env.reset()[1]["seed"] for _ in range(6)}
    assert drawn <= {int(s) for s in seeds}


def test_an_explicit_seed_is_used_even_outside_the_pool():
    env = gym.make(GYM_ID, seeds=[11, 12])
    assert env.reset(seed=3)[1]["seed"] == 3


def test_seeding_once_makes_the_draws_reproducible():
    def draws() -> list[int]:
        env = gym.make(GYM_ID, seeds=range(100, 200))
        env.reset(seed=42)
        return [env.reset()[1]["seed"] for _ in range(4)]

    assert draws() == draws()


def test_default_draws_never_hit_the_eval_seeds():
    env = gym.make(GYM_ID)
    env.reset(seed=0)
    assert all(env.reset()[1]["seed"] in gym_apibench.TRAIN_SEEDS for _ in range(2))
    # Many more draws without building their worlds: the pool, not the worlds, is under test.
    rng = np.random.default_rng(0)
    assert min(draw_seed(env.unwrapped.seeds, rng) for _ in range(10_000)) >= 1_000_000


def test_vector_envs_seed_sub_envs_in_sequence_then_draw_from_the_pool():
    envs = gym.make_vec(GYM_ID, num_envs=2, vectorization_mode="sync", seeds=[21, 22, 23])
    _, infos = envs.reset(seed=5)
    assert list(infos["seed"]) == [5, 6]
    envs.step([{"submit": None}] * 2)
    _, _, _, _, infos = envs.step([{"wait": 1}] * 2)  # the autoreset step
    assert set(infos["seed"]) <= {21, 22, 23}


def test_a_private_world_cache():
    shared = default_cache()
    before = (shared.hits, shared.misses)
    env = gym.make(GYM_ID, world_cache=2)
    cache = env.unwrapped.world_cache
    assert isinstance(cache, WorldCache) and cache.capacity == 2
    for seed in (0, 1, 0):
        env.reset(seed=seed)
    assert (cache.misses, cache.hits, len(cache)) == (2, 1, 2)
    assert (shared.hits, shared.misses) == before


def test_no_world_cache_still_reuses_the_current_episode():
    env = gym.make(GYM_ID, world_cache=0)
    env.reset(seed=0)
    episode = env.unwrapped.episode
    env.reset(seed=0)
    assert env.unwrapped.episode is episode and len(env.unwrapped.world_cache) == 0


def test_pickling_keeps_the_pool_and_the_private_cache():
    env = gym.make(GYM_ID, world_cache=2, seeds=range(10, 20))
    env.reset(seed=1)
    clone = pickle.loads(pickle.dumps(env))
    assert clone.unwrapped.seeds == range(10, 20) and len(clone.unwrapped.world_cache) == 1
    assert clone.unwrapped.state_hash() == env.unwrapped.state_hash()


def test_the_default_is_the_process_wide_cache():
    assert gym.make(GYM_ID).unwrapped.world_cache is None


BAD = [
    ({"world_cache": -1}, "world_cache"),
    ({"world_cache": 1.5}, "world_cache"),
    ({"world_cache": True}, "world_cache"),
    ({"world_cache": "many"}, "world_cache"),
    ({"seeds": []}, "seeds.*non-empty"),
    ({"seeds": range(0)}, "seeds.*non-empty"),
    ({"seeds": range(-3, 3)}, "seeds"),
    ({"seeds": [1, -2]}, "seeds.*-2"),
    ({"seeds": [1, 2.5]}, "seeds.*2.5"),
    ({"seeds": [True]}, "seeds"),
    ({"seeds": "123"}, "seeds.*sequence"),
    ({"seeds": {1, 2}}, "seeds.*sequence"),
    ({"seeds": 7}, "seeds.*sequence"),
    ({"sizes": {"stripe": {"customers": 5}}}, "sizes.*'stripe'.*its services: attio"),
    ({"sizes": {"attio": {"peple": 5}}}, r"sizes\['attio'\].*'peple'.*did you mean 'people'"),
    ({"sizes": {"attio": {"people": -1}}}, r"sizes\['attio'\].*integers >= 0.*people=-1"),
    ({"sizes": {"attio": {"people": 2.0}}}, r"sizes\['attio'\].*people=2.0"),
    ({"sizes": {"attio": 5}}, r"sizes\['attio'\]"),
    ({"sizes": [("attio", {})]}, "sizes maps services"),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD, ids=[repr(k)[:50] for k, _ in BAD])
def test_bad_arguments_fail_at_make(kwargs, message):
    with pytest.raises(ValueError, match=message):
        gym.make(GYM_ID, **kwargs)


def test_good_arguments_are_accepted():
    env = gym.make(GYM_ID, seeds=(1, np.int64(2)), world_cache="3", sizes={"attio": {"people": 50}})
    assert env.unwrapped.seeds == (1, 2) and env.unwrapped.world_cache.capacity == 3
    assert seed_pool(gym_apibench.TRAIN_SEEDS) is gym_apibench.TRAIN_SEEDS
