"""The remote Gymnasium env: ``gym.make(id, server=...)`` against an episode server in a
subprocess plays as the in-process env does, and ends its episodes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import gymnasium as gym
import pytest

import gym_apibench
from gym_apibench.agents.oracle import OracleAgent
from gym_apibench.remote import EpisodeServer, ServerError
from tests.served import Served, episode_server

SCENARIO = "attio.retry-503s"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with episode_server(tmp_path_factory.mktemp("remote") / "control.json") as served:
        yield served


def remote(served: Served, scenario: str = SCENARIO, **kwargs: Any) -> gym.Env[Any, Any]:
    return gym.make(
        gym_apibench.gym_id(scenario),
        server=served.control_url,
        server_token=served.control_token,
        **kwargs,
    )


def play(env: gym.Env[Any, Any], seed: int) -> tuple[list[Any], list[Any], float, str]:
    """The reference solution: observations, infos (the task's and the steps'), reward, hash."""
    obs, info = env.reset(seed=seed)
    agent = OracleAgent()
    agent.reset(info["task"], seed=seed)
    observations, infos, reward = [obs], [info], 0.0
    while True:
        obs, reward, terminated, truncated, info = env.step(agent.act(obs))
        observations.append(obs)
        infos.append(info)
        if terminated or truncated:
            return observations, infos, float(reward), env.unwrapped.state_hash()  # type: ignore[attr-defined]


@pytest.mark.parametrize("seed", [2, 40_017])
def test_a_remote_episode_plays_as_an_in_process_one(server: Served, seed: int):
    local = gym.make(gym_apibench.gym_id(SCENARIO))
    there = remote(server)
    try:
        mine, theirs = play(local, seed), play(there, seed)
    finally:
        there.close()
    assert theirs == mine
    assert mine[2] == 1.0 and any(i.get("faults") for i in mine[1])


def test_step_limit_and_pool_seeds_remote(server: Served):
    env = remote(server, max_episode_steps=2, seeds=[5, 6])
    try:
        obs, info = env.reset(seed=None)
        assert info["seed"] in (5, 6) and info["task"]["max_steps"] == 2
        body = {"method": "GET", "url": info["task"]["services"]["attio"] + "/v2/self"}
        env.step(body)
        _, reward, terminated, truncated, info = env.step(body)
        assert truncated and not terminated and reward == 0.0 and "checks" in info
        obs, *_ = env.step({"submit": 1})
        assert obs["status"] == 0 and "ended" in json.loads(obs["body"])["message"]
    finally:
        env.close()


def test_vector_envs_step_remotely(server: Served):
    envs = gym.vector.SyncVectorEnv([lambda: remote(server) for _ in range(2)])
    try:
        obs, _ = envs.reset(seed=[3, 4])
        tasks = [json.loads(o["body"]) for o in obs]
        assert [t["scenario"] for t in tasks] == [SCENARIO, SCENARIO]
        assert tasks[0]["credentials"] != tasks[1]["credentials"]  # two seeds, two worlds
        actions = tuple({"submit": None} for _ in range(2))
        _, rewards, terminated, _, _ = envs.step(actions)
        assert list(terminated) == [True, True] and list(rewards) == [0.0, 0.0]
    finally:
        envs.close()


def test_episodes_end_with_the_env(server: Served):
    client = EpisodeServer(server.control_url, server.control_token)
    before = {e["id"] for e in client.episodes()}
    env = remote(server)
    env.reset(seed=8)
    env.reset(seed=9)  # the seed-8 episode ends when the env moves on
    live = [e for e in client.episodes() if e["id"] not in before]
    assert [(e["scenario"], e["seed"], e["mode"]) for e in live] == [(SCENARIO, 9, "gym")]
    env.close()
    assert {e["id"] for e in client.episodes()} == before
    client.close()


def test_a_wrong_token_or_scenario_fails_at_make(server: Served):
    with pytest.raises(ServerError, match="401"):
        gym.make(gym_apibench.gym_id(SCENARIO), server=server.control_url, server_token="x" * 32)
    client = EpisodeServer(server.control_url, server.control_token)
    with pytest.raises(ServerError, match="did you mean"):
        client.create(SCENARIO + "x")
    client.close()
