"""The step limit is the env's: the truncated step is graded, later steps refused, and a
``max_episode_steps`` override is the limit the env enforces and the task states."""

from __future__ import annotations

import copy
import json
import pickle

import gymnasium as gym
import pytest

import gym_apibench
from gym_apibench.agents.oracle import OracleAgent
from gym_apibench.env import ApiBenchEnv
from gym_apibench.scenarios import get_scenario

READ = "attio.record-by-id"  # an answer to submit, the world left alone
WRITE = "attio.update-person"  # a PATCH to make, then an empty submit


def _docs(info: dict) -> str:
    return next(iter(info["task"]["docs"].values()))


def _loop_until_end(env, info) -> tuple[int, tuple]:
    """Read the docs until the episode ends; (steps taken, the last step's result)."""
    steps = 0
    while True:
        steps += 1
        result = env.step({"method": "GET", "url": _docs(info)})
        if result[2] or result[3]:
            return steps, result


def test_a_policy_that_never_submits_is_graded_at_the_limit():
    env = gym.make(gym_apibench.gym_id(READ))
    _, info = env.reset(seed=0)
    assert info["task"]["max_steps"] == get_scenario(READ).max_steps
    steps, (obs, reward, terminated, truncated, last) = _loop_until_end(env, info)
    assert steps == get_scenario(READ).max_steps
    assert truncated and not terminated
    assert obs["status"] == 200  # the last request's response, not a verdict
    assert reward == 0.0 and last["success"] is False
    names = {c["name"]: c["passed"] for c in last["checks"]}
    assert names == {"full-name": False, "job-title": False, "email": False, "read-only": True}


def _write_without_submitting(env, seed: int) -> tuple:
    """The oracle's writes, its submit replaced by waits until the limit."""
    agent = OracleAgent()
    obs, info = env.reset(seed=seed)
    agent.reset(info["task"], seed=seed)
    while True:
        action = agent.act(obs)
        if "submit" in action:
            action = {"wait": 1}
        obs, reward, terminated, truncated, info = env.step(action)
        if terminated or truncated:
            return reward, terminated, truncated, info


def test_a_write_done_but_not_submitted_shows_in_the_checks():
    reward, terminated, truncated, info = _write_without_submitting(
        gym.make(gym_apibench.gym_id(WRITE), max_episode_steps=4), 1
    )
    assert truncated and not terminated
    assert all(c["passed"] for c in info["checks"]), info["checks"]
    assert info["success"] is False and reward == 0.0  # only a submission succeeds
    untouched = gym.make(gym_apibench.gym_id(WRITE), max_episode_steps=1)
    _, info = untouched.reset(seed=1)
    *_, last = untouched.step({"wait": 1})
    assert not all(c["passed"] for c in last["checks"])


@pytest.mark.parametrize("after", [{"submit": "anything"}, {"method": "GET", "url": "docs"}])
def test_steps_after_the_limit_are_refused_and_never_graded(after):
    env = gym.make(gym_apibench.gym_id(READ), max_episode_steps=2)
    _, info = env.reset(seed=0)
    _loop_until_end(env, info)
    before = env.unwrapped.state_hash()
    action = dict(after)
    if "url" in action:
        action["url"] = _docs(info)
    obs, reward, terminated, truncated, late = env.step(action)
    assert obs["status"] == 0 and "ended" in json.loads(obs["body"])["message"]
    assert reward == 0.0 and truncated and not terminated
    assert "checks" not in late and "success" not in late
    assert env.unwrapped.state_hash() == before and not env.unwrapped.episode.submitted


def test_steps_after_a_submit_are_refused():
    env = gym.make(gym_apibench.gym_id(READ))
    env.reset(seed=0)
    env.step({"submit": None})
    obs, reward, terminated, _, late = env.step({"submit": {"full_name": "x"}})
    assert obs["status"] == 0 and reward == 0.0 and terminated and "checks" not in late


def test_a_submit_on_the_last_step_is_graded_as_a_submit():
    env = gym.make(gym_apibench.gym_id(READ), max_episode_steps=2)
    _, info = env.reset(seed=0)
    env.step({"method": "GET", "url": _docs(info)})
    obs, _, terminated, truncated, last = env.step({"submit": None})
    assert terminated and truncated  # TimeLimit flags the step it counts, as Gymnasium does
    assert json.loads(obs["body"])["submitted"] is True and "checks" in last


def test_the_override_is_the_limit_the_task_states_and_the_env_enforces():
    env = gym.make(gym_apibench.gym_id(READ), max_episode_steps=3)
    assert env.unwrapped.max_steps == 3
    _, info = env.reset(seed=0)
    assert info["task"]["max_steps"] == 3
    assert json.loads(env.reset(seed=0)[0]["body"])["max_steps"] == 3
    steps, (*_, last) = _loop_until_end(env, info)
    assert steps == 3 and "checks" in last
    # Rebuilt from its spec, the env has the same limit.
    assert gym.make(env.spec).unwrapped.max_steps == 3


def test_a_longer_override_than_the_scenarios_is_enforced_too():
    limit = get_scenario(READ).max_steps + 5
    env = gym.make(gym_apibench.gym_id(READ), max_episode_steps=limit)
    _, info = env.reset(seed=0)
    assert _loop_until_end(env, info)[0] == limit


def test_no_time_limit_means_no_limit():
    env = gym.make(gym_apibench.gym_id(READ), max_episode_steps=-1)
    _, info = env.reset(seed=0)
    assert env.unwrapped.max_steps is None and info["task"]["max_steps"] is None
    for _ in range(get_scenario(READ).max_steps + 2):
        _, _, terminated, truncated, _ = env.step({"wait": 1})
        assert not (terminated or truncated)


def test_a_hand_built_env_enforces_its_own_limit():
    assert ApiBenchEnv(READ).max_steps == get_scenario(READ).max_steps
    env = ApiBenchEnv(READ, max_steps=2)
    _, info = env.reset(seed=0)
    assert info["task"]["max_steps"] == 2
    steps, (*_, last) = _loop_until_end(env, info)
    assert steps == 2 and last["success"] is False and last["checks"]
    with pytest.raises(ValueError, match="max_steps"):
        ApiBenchEnv(READ, max_steps=0)


def test_max_steps_through_make_is_refused_for_max_episode_steps():
    with pytest.raises(ValueError, match="max_episode_steps=4"):
        gym.make(gym_apibench.gym_id(READ), max_steps=4)
    both = gym.make(gym_apibench.gym_id(READ), max_steps=4, max_episode_steps=4)
    assert both.unwrapped.max_steps == 4


@pytest.mark.parametrize("copier", [lambda e: pickle.loads(pickle.dumps(e)), copy.deepcopy])
def test_the_limit_survives_pickling(copier):
    env = copier(gym.make(gym_apibench.gym_id(READ), max_episode_steps=2))
    _, info = env.reset(seed=0)
    assert info["task"]["max_steps"] == 2 and _loop_until_end(env, info)[0] == 2


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_vector_envs_pass_the_override_on(mode):
    envs = gym.make_vec(
        gym_apibench.gym_id(READ), num_envs=2, vectorization_mode=mode, max_episode_steps=2
    )
    try:
        _, infos = envs.reset(seed=0)
        assert list(infos["task"]["max_steps"]) == [2, 2]
        envs.step([{"wait": 1}] * 2)
        _, rewards, terminated, truncated, infos = envs.step([{"wait": 1}] * 2)
        assert not rewards.any()
        assert list(truncated) == [True, True] and not any(terminated)
        assert list(infos["success"]) == [False, False] and all(infos["_checks"])
    finally:
        envs.close()
