"""httpx_routed: unmodified httpx code against real hostnames runs in-process, through env.step."""

from __future__ import annotations

import asyncio

import gymnasium as gym
import httpx
import pytest

import gym_apibench
from gym_apibench.httpx_patch import httpx_routed
from gym_apibench.scenarios import get_scenario

SCENARIO = next(
    s for s in gym_apibench.scenario_ids() if s.startswith("stripe.") and not get_scenario(s).faults
)


@pytest.fixture
def env():
    env = gym.make(f"apibench/{SCENARIO}-v1")
    yield env
    env.close()


def token(info) -> str:
    return info["task"]["credentials"]["stripe"]["token"]


def test_sync_client_goes_through_env_step(env):
    _, info = env.reset(seed=0)
    sent = []

    def step(action):
        sent.append(action)
        return env.step(action)

    log = env.unwrapped.episode.world.log
    with httpx_routed(env, step=step), httpx.Client() as client:
        reply = client.get(
            "https://api.stripe.com/v1/customers",
            params={"limit": 3},
            headers={"Authorization": f"Bearer {token(info)}"},
        )
        denied = client.get("https://api.stripe.com/v1/customers")
        with pytest.raises(httpx.ConnectError, match="no simulated service"):
            client.get("https://example.com/")
    assert reply.status_code == 200
    assert len(reply.json()["data"]) == 3 and reply.json()["has_more"] is True
    assert denied.status_code == 401 and "error" in denied.json()
    # Two steps reached the env and the world (the unknown host never left the process).
    assert [a["url"] for a in sent] == [
        "https://api.stripe.com/v1/customers?limit=3",
        "https://api.stripe.com/v1/customers",
    ]
    assert [entry.status for entry in log] == [200, 401]
    assert env.unwrapped._steps == 2


def test_async_client_and_post_bodies(env):
    _, info = env.reset(seed=0)
    headers = {"Authorization": f"Bearer {token(info)}"}

    async def run() -> list[httpx.Response]:
        async with httpx.AsyncClient(headers=headers) as client:
            first = await client.get("https://api.stripe.com/v1/customers", params={"limit": 1})
            customer = first.json()["data"][0]["id"]
            update = await client.post(
                f"https://api.stripe.com/v1/customers/{customer}",
                data={"metadata[note]": "hello"},
            )
            return [first, update]

    with httpx_routed(env):
        first, update = asyncio.run(run())
    assert first.status_code == 200
    assert update.status_code == 200, update.text
    assert update.json()["metadata"]["note"] == "hello"


def test_transport_faults_raise_httpx_errors():
    rule = {"name": "reset", "kind": "connection_reset", "when": {"first": 1}}
    env = gym.make(f"apibench/{SCENARIO}-v1", faults=[rule])
    try:
        _, info = env.reset(seed=0)
        headers = {"Authorization": f"Bearer {token(info)}"}
        with httpx_routed(env), httpx.Client(headers=headers) as client:
            with pytest.raises(httpx.ReadError):
                client.get("https://api.stripe.com/v1/customers")
            assert client.get("https://api.stripe.com/v1/customers").status_code == 200
    finally:
        env.close()
