"""The env contract, derived from the registry: check_env, determinism, pickling, gold and no-op."""

from __future__ import annotations

import copy
import json
import pickle
import subprocess
import sys
import warnings

import gymnasium as gym
import pytest
from gymnasium.utils.env_checker import check_env

import gym_apibench
from gym_apibench.agents.oracle import OracleAgent
from gym_apibench.scenarios import get_scenario

IDS = gym_apibench.scenario_ids()
SEEDS = range(5)


def _grouped(ids: list[str]) -> list:
    """Scenario ids as params in one xdist group each (``--dist loadgroup``): a scenario's
    tests run in one worker, whose build cache then makes each seeded world once."""
    return [pytest.param(i, marks=pytest.mark.xdist_group(i)) for i in ids]


def make(scenario_id: str, **kwargs):
    return gym.make(gym_apibench.gym_id(scenario_id), **kwargs)


def run_oracle(env, seed: int, *, naive: bool = False, infos: list | None = None):
    """Play the reference (or naive) solution; every observation, and the last info."""
    agent = OracleAgent(naive=naive)
    obs, info = env.reset(seed=seed)
    agent.reset(info["task"], seed=seed)
    observations = [obs]
    while True:
        obs, reward, terminated, truncated, info = env.step(agent.act(obs))
        observations.append(obs)
        if infos is not None:
            infos.append(info)
        if terminated or truncated:
            return reward, terminated, info, observations


def test_registry_has_scenarios():
    assert len(IDS) >= 8
    for scenario_id in IDS:
        assert gym_apibench.gym_id(scenario_id) in gym.registry
        spec = gym.spec(gym_apibench.gym_id(scenario_id))
        assert spec.max_episode_steps == get_scenario(scenario_id).max_steps


def test_registration_is_idempotent():
    before = len(gym.registry)
    gym_apibench.register_envs()
    assert len(gym.registry) == before


def _one_per_configuration(ids: list[str]) -> list[str]:
    """The first scenario of each set of services (with or without faults): the env's spaces
    and gateway depend on those alone, so check_env on these covers every configuration
    the registry has (it builds seven worlds a run: on every id it took a minute of CI)."""
    seen: dict[tuple[tuple[str, ...], bool], str] = {}
    for scenario_id in ids:
        scenario = get_scenario(scenario_id)
        seen.setdefault((tuple(scenario.services), bool(scenario.faults)), scenario_id)
    return list(seen.values())


@pytest.mark.parametrize("scenario_id", _grouped(_one_per_configuration(IDS)))
def test_check_env_passes_without_warnings(scenario_id):
    env = make(scenario_id)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_env(env.unwrapped)
    env.close()


@pytest.mark.parametrize("scenario_id", _grouped(IDS))
@pytest.mark.parametrize("seed", SEEDS)
def test_gold_solution_succeeds(scenario_id, seed):
    env = make(scenario_id)
    reward, terminated, info, _ = run_oracle(env, seed)
    assert terminated, "the oracle must submit before the step limit"
    assert info["success"], info["checks"]
    assert reward == 1.0


NAIVE_IDS = [i for i in IDS if get_scenario(i).naive]


@pytest.mark.parametrize("scenario_id", _grouped(NAIVE_IDS))
@pytest.mark.parametrize("seed", SEEDS)
def test_naive_solution_fails(scenario_id, seed):
    reward, _, info, _ = run_oracle(make(scenario_id), seed, naive=True)
    assert not info.get("success", False)
    assert reward < 1.0


@pytest.mark.parametrize("scenario_id", _grouped([i for i in NAIVE_IDS if get_scenario(i).faults]))
def test_naive_solution_succeeds_without_the_faults(scenario_id):
    """Under faults, the naive solution is the right idea: it is the faults that defeat it.

    (Elsewhere the naive solution is wrong on its own, e.g. it reads the first page only.)"""
    env = gym.make(gym_apibench.gym_id(scenario_id)).unwrapped
    env.episode.gateway.faults = None
    _, _, info, _ = run_oracle(env, 0, naive=True)
    assert info["success"], info["checks"]


@pytest.mark.parametrize("scenario_id", _grouped(IDS))
@pytest.mark.parametrize("seed", SEEDS)
def test_noop_fails(scenario_id, seed):
    env = make(scenario_id)
    env.reset(seed=seed)
    _, reward, terminated, _, info = env.step({"submit": None})
    assert terminated
    assert not info["success"]
    assert reward == 0.0


@pytest.mark.parametrize("scenario_id", _grouped(IDS))
def test_same_seed_same_episode(scenario_id):
    runs = []
    for _ in range(2):
        env = make(scenario_id)
        _reward, _, info, observations = run_oracle(env, 3)
        runs.append((observations, info, env.unwrapped.state_hash()))
    assert runs[0] == runs[1]


@pytest.mark.parametrize("scenario_id", _grouped(IDS))
def test_different_seeds_different_worlds(scenario_id):
    hashes = set()
    tasks = set()
    for seed in (0, 1):
        env = make(scenario_id)
        _, info = env.reset(seed=seed)
        hashes.add(env.unwrapped.state_hash())
        tasks.add(json.dumps(info["task"], sort_keys=True))
    assert len(hashes) == 2
    assert len(tasks) == 2


def _episode_digest(scenario_id: str, seed: int) -> str:
    """A digest of every observation, info and the final state hash of an oracle run."""
    env = make(scenario_id)
    _, info, observations = run_oracle(env, seed)[1:]
    record = {"observations": observations, "info": info, "hash": env.unwrapped.state_hash()}
    return json.dumps(record, sort_keys=True, default=str)


@pytest.mark.parametrize("scenario_id", IDS[:3])
def test_same_episode_across_processes(scenario_id):
    here = _episode_digest(scenario_id, 2)
    code = (
        "from tests.gym_apibench.test_env import _episode_digest\n"
        f"print(_episode_digest({scenario_id!r}, 2))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="."
    )
    assert out.stdout.strip() == here


def test_reset_restores_initial_state():
    scenario_id = next(i for i in IDS if "create" in i or "note" in i)
    env = make(scenario_id)
    env.reset(seed=1)
    initial = env.unwrapped.state_hash()
    run_oracle(env, 1)
    assert env.unwrapped.state_hash() != initial
    env.reset(seed=1)
    assert env.unwrapped.state_hash() == initial


@pytest.mark.parametrize("scenario_id", IDS[:2])
def test_pickle_and_deepcopy(scenario_id):
    env = make(scenario_id).unwrapped
    _obs, info = env.reset(seed=4)
    url = info["task"]["services"][get_scenario(scenario_id).services[0]]
    env.step({"method": "GET", "url": url + "/v2/self"})
    for copier in (lambda e: pickle.loads(pickle.dumps(e)), copy.deepcopy):
        clone = copier(env)
        assert clone.state_hash() == env.state_hash()
        a = clone.step({"method": "GET", "url": url + "/v2/objects"})
        b = env.step({"method": "GET", "url": url + "/v2/objects"})
        assert a[0] == b[0]


BAD_ACTIONS = [
    "not json",
    "[1, 2]",
    42,
    None,
    {},
    {"method": "FETCH", "url": "https://api.attio.com/v2/self"},
    {"method": "GET"},
    {"method": "GET", "url": 7},
    {"method": "GET", "url": "api.attio.com/v2/self"},
    {"method": "GET", "url": "https://unknown.example.com/x"},
    {"method": "GET", "url": "https://api.attio.com/v2/self", "headers": {"x": 1}},
    {"method": "GET", "url": "https://api.attio.com/v2/self", "headers": {"x": "é漢"}},
    {"method": "POST", "url": "https://api.attio.com/v2/notes", "json": {}, "body": "x"},
    {"method": "POST", "url": "https://api.attio.com/v2/notes", "json": float("nan")},
    {"method": "POST", "url": "https://api.attio.com/v2/notes", "body": "x" * (17 * 2**20)},
    {"method": "GET", "url": "https://api.attio.com/v2/self", "extra": 1},
    {"wait": -1},
    {"wait": "soon"},
    {"submit": 1, "extra": 2},
]


@pytest.mark.parametrize("action", BAD_ACTIONS, ids=[repr(a)[:40] for a in BAD_ACTIONS])
def test_bad_actions_give_error_observations(action):
    env = make(IDS[0])
    env.reset(seed=0)
    before = env.unwrapped.state_hash()
    obs, reward, terminated, _truncated, _ = env.step(action)
    assert env.observation_space.contains(obs)
    assert obs["status"] == 0 or obs["status"] >= 400
    assert "message" in obs["body"] or obs["status"] >= 400
    assert reward == 0.0 and not terminated
    after = env.unwrapped
    # Only the clock may move (a request that reached a service ticks it).
    assert after.episode.world.diff(after.episode.built.snapshot) == {}
    assert isinstance(before, str)


def test_render_ansi_prints_the_transcript():
    env = make(IDS[0], render_mode="ansi")
    _reward, _, _, _ = run_oracle(env, 0)
    text = env.render()
    assert IDS[0] in text and "> submit" in text and "[x]" in text
