"""Vector envs with Gymnasium's defaults: sync, async with shared memory, autoreset."""

from __future__ import annotations

import copy
import gc
import json
import multiprocessing
import os

import gymnasium as gym
import numpy as np
import pytest

import gym_apibench
import gym_apibench.vector
from gym_apibench.vector import ResponseBuffer, Responses

GYM_ID = gym_apibench.gym_id("attio.record-by-id")
N = 2


def _play(envs) -> list:
    """Reset, read the docs, submit, autoreset; every step's observations and infos."""
    obs, infos = envs.reset(seed=0)
    assert isinstance(obs, tuple) and len(obs) == N
    assert envs.observation_space.contains(obs)
    tasks = [json.loads(o["body"]) for o in obs]  # how a vectorised agent reads its tasks
    assert [t["instruction"] for t in tasks] == list(infos["task"]["instruction"])
    assert list(infos["seed"]) == [0, 1]
    steps = [(obs, infos)]

    docs = [task["docs"]["attio"] for task in tasks]
    obs, rewards, terminated, _, infos = envs.step([{"method": "GET", "url": u} for u in docs])
    assert [o["status"] for o in obs] == [200] * N and all("openapi" in o["body"] for o in obs)
    assert not any(terminated) and not rewards.any()
    steps.append((obs, infos))

    obs, rewards, terminated, truncated, infos = envs.step([{"submit": None}] * N)
    assert all(terminated) and not any(truncated)
    assert all(json.loads(o["body"])["submitted"] for o in obs)
    assert all(infos["_checks"]) and list(infos["success"]) == [False] * N
    steps.append((obs, infos))

    # Gymnasium's default autoreset (next step): this step's action is ignored, each sub-env
    # is reset on a seed drawn from its pool, and the observation is the new task.
    obs, rewards, terminated, _, infos = envs.step([{"wait": 1}] * N)
    assert [o["headers"]["x-apibench"] for o in obs] == ["task"] * N
    assert not any(terminated) and not rewards.any()
    # int(): `in range` is O(1) for Python ints only; a numpy int walks the whole range.
    assert all(int(seed) in gym_apibench.TRAIN_SEEDS for seed in infos["seed"])
    new = [json.loads(o["body"]) for o in obs]
    assert all(a["inputs"] != b["inputs"] for a, b in zip(tasks, new, strict=True))
    steps.append((obs, infos))
    return [obs for obs, _ in steps]


@pytest.fixture(scope="module")
def sync_run() -> list:
    envs = gym.make_vec(GYM_ID, num_envs=N, vectorization_mode="sync")
    try:
        return _play(envs)
    finally:
        envs.close()


def test_sync_with_defaults(sync_run):
    assert len(sync_run) == 4


def test_async_with_defaults_matches_sync(sync_run):
    envs = gym.make_vec(GYM_ID, num_envs=N, vectorization_mode="async")
    assert envs.shared_memory  # Gymnasium's default, not a fallback
    try:
        assert _play(envs) == sync_run
    finally:
        envs.close()


def test_sync_vector_env_by_hand():
    envs = gym.vector.SyncVectorEnv([lambda: gym.make(GYM_ID)] * N)
    obs, _ = envs.reset(seed=7)
    assert [json.loads(o["body"])["scenario"] for o in obs] == ["attio.record-by-id"] * N
    envs.close()


def test_async_vector_env_by_hand_with_shared_memory():
    # forkserver pickles the shared buffer into the workers (the default on Python 3.14).
    envs = gym.vector.AsyncVectorEnv(
        [lambda: gym.make(GYM_ID)] * N, shared_memory=True, context="forkserver", copy=False
    )
    try:
        obs, infos = envs.reset(seed=[3, 4])
        assert isinstance(obs, Responses) and len(obs) == N  # copy=False: the live view
        tasks = [json.loads(o["body"]) for o in obs]
        assert [t["instruction"] for t in tasks] == list(infos["task"]["instruction"])
        obs, *_ = envs.step([{"method": "GET", "url": t["docs"]["attio"]} for t in tasks])
        assert obs[-1]["status"] == 200 and copy.deepcopy(obs) == tuple(obs)
    finally:
        envs.close()


def test_an_observation_larger_than_its_slot_round_trips_exactly(monkeypatch):
    single = gym.make(GYM_ID)
    _, info = single.reset(seed=0)
    url = info["task"]["docs"]["attio"]
    expected = single.step({"method": "GET", "url": url})[0]
    monkeypatch.setattr(gym_apibench.vector, "SLOT_BYTES", 4096)
    assert len(expected["body"].encode()) > 4096
    envs = gym.make_vec(GYM_ID, num_envs=N, vectorization_mode="async")
    envs.reset(seed=0)
    obs = envs.step([{"method": "GET", "url": url}, {"wait": 1}])[0]
    assert obs[0] == expected  # spilled to its file
    assert obs[1]["status"] == 200 and "waited" in obs[1]["body"]  # in its slot
    spill_dir = envs.observations.buffer.spill_dir
    assert os.listdir(spill_dir) == ["0.json"]
    envs.close()
    del envs
    gc.collect()
    assert not os.path.exists(spill_dir)


def test_the_buffer_round_trips_any_text_and_removes_its_files():
    buffer = ResponseBuffer(2, multiprocessing.get_context(), slot=64)
    small = {"status": 200, "headers": {"a": "b"}, "body": "é"}
    big = {"status": np.int64(404), "headers": {}, "body": "漢😀\ud800" * 1000}
    buffer.write(0, big)
    buffer.write(1, small)
    assert buffer.read(0) == {**big, "status": 404} and buffer.read(1) == small
    buffer.write(0, small)  # back in its slot; the stale file is never read
    responses = Responses(buffer)
    assert copy.deepcopy(responses) == (small, small) == responses[0:] == tuple(responses)
    assert responses[-1] == small
    with pytest.raises(IndexError):
        responses[2]
    buffer.close()
    assert not os.path.exists(buffer.spill_dir)
