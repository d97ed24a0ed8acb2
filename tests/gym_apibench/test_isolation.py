"""Hundreds of envs with different seeds, stepped interleaved in one process, never share state."""

from __future__ import annotations

import json

import gymnasium as gym

import gym_apibench

SCENARIO = "attio.note-per-company"


def test_interleaved_envs_are_isolated():
    envs = []
    for seed in range(200):
        env = gym.make(gym_apibench.gym_id(SCENARIO)).unwrapped
        _, info = env.reset(seed=seed % 20)
        envs.append((env, seed, info["task"]))
    initial = {seed % 20: env.state_hash() for env, seed, _ in envs}
    # Each env writes one note, interleaved with all the others.
    for env, seed, task in envs:
        base = task["services"]["attio"]
        token = task["credentials"]["attio"]["token"]
        headers = {"Authorization": f"Bearer {token}"}
        obs = env.step(
            {
                "method": "POST",
                "url": base + "/v2/objects/companies/records/query",
                "headers": headers,
                "json": {"limit": 1},
            }
        )[0]
        company = json.loads(obs["body"])["data"][0]["id"]["record_id"]
        note = {
            "parent_object": "companies",
            "parent_record_id": company,
            "title": f"env {seed}",
            "format": "plaintext",
            "content": str(seed),
        }
        assert (
            env.step(
                {
                    "method": "POST",
                    "url": base + "/v2/notes",
                    "headers": headers,
                    "json": {"data": note},
                }
            )[0]["status"]
            == 200
        )
    for env, seed, _ in envs:
        diff = env.episode.world.diff(env.episode.built.snapshot)
        added = diff["attio.notes"].added
        assert [n["title"] for n in added.values()] == [f"env {seed}"]
    # Envs sharing a seed share the cached initial world but none of each other's writes.
    for env, seed, _ in envs:
        env.reset(seed=seed % 20)
        assert env.state_hash() == initial[seed % 20]
