"""Served mode end to end: ``apibench serve`` in a subprocess, real HTTP over loopback."""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import gym_apibench
from gym_apibench.agents.oracle import OracleAgent
from gym_apibench.episode import Episode
from gym_apibench.solving import auth_headers
from tests.served import ATTIO, SEED, Served, serving


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serving(tmp_path_factory.mktemp("serve") / "info.json") as server:
        yield server


def observation(response: httpx.Response) -> dict[str, Any]:
    headers: dict[str, str] = {}
    for key, value in response.headers.multi_items():
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return {"status": response.status_code, "headers": headers, "body": response.text}


def play_oracle(served: Served) -> None:
    """The reference solution over real HTTP; its answer goes to the control plane."""
    task = Episode(ATTIO, SEED, base_urls=served.info["services"]).task
    assert task["credentials"] == served.info["credentials"]  # one seed, one world
    agent = OracleAgent()
    agent.reset(task, seed=SEED)
    obs: dict[str, Any] = {"status": 200, "headers": {}, "body": json.dumps(task)}
    with httpx.Client(timeout=10) as client:
        for _ in range(gym_apibench.scenarios.get_scenario(ATTIO).max_steps):
            action = agent.act(obs)
            if "submit" in action:
                reply = served.control("POST", "/submit", json={"answer": action["submit"]})
                assert reply.status_code == 200
                return
            assert "wait" not in action, "served mode has no wait action"
            kwargs: dict[str, Any] = {"headers": action.get("headers", {})}
            if "json" in action:
                kwargs["json"] = action["json"]
            elif "body" in action:
                kwargs["content"] = action["body"]
            obs = observation(client.request(action["method"], action["url"], **kwargs))
    pytest.fail("the oracle did not submit within max_steps")


def test_info_file_shape(served: Served):
    info = served.info
    assert set(info) == {"services", "credentials", "task"}
    assert info["task"]["instruction"] and info["task"]["scenario"] == ATTIO
    port = int(served.control_url.split(":")[2].split("/")[0])
    assert port > 0
    assert info["services"] == {
        name: f"http://127.0.0.1:{port}/{name}"
        for name in gym_apibench.scenarios.get_scenario(ATTIO).services
    }
    assert served.control_url == f"http://127.0.0.1:{port}/_apibench"


def test_agent_requests_over_loopback(served: Served):
    base = served.info["services"]["attio"]
    headers = auth_headers(served.info["credentials"]["attio"])
    assert httpx.get(base + "/v2/self", headers=headers).status_code == 200
    assert httpx.get(base + "/v2/self").status_code == 401
    docs = httpx.get(base + "/openapi.yaml")
    assert docs.status_code == 200 and "openapi" in docs.text


def test_control_plane_refuses_everyone_but_the_control_token(served: Served):
    agent = auth_headers(served.info["credentials"]["attio"])
    for path in ("/score", "/health"):
        assert served.control("GET", path, headers={}).status_code == 401
        assert served.control("GET", path, headers=agent).status_code == 401
        assert served.control("GET", path).status_code == 200
    assert served.control("POST", "/reset", headers=agent).status_code == 401


def test_score_follows_the_world_and_reset_restores(served: Served):
    assert served.control("POST", "/reset").status_code == 200
    before = served.control("GET", "/score").json()
    assert set(before) >= {"reward", "success", "checks"}
    assert before["success"] is False
    assert all(set(c) == {"name", "passed", "detail"} for c in before["checks"])

    play_oracle(served)
    solved = served.control("GET", "/score").json()
    assert solved["success"] is True and solved["reward"] == 1.0

    assert served.control("POST", "/reset").status_code == 200
    assert served.control("GET", "/score").json() == before


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stop_signal_shuts_down_cleanly(tmp_path: Path, sig: signal.Signals):
    with serving(tmp_path / "info.json") as server:
        assert server.control("GET", "/health").status_code == 200
        server.process.send_signal(sig)
        stdout, stderr = server.process.communicate(timeout=15)
        assert server.process.returncode == 0, stderr
        # The agent's info is printed too (one line); the control token is only in its file.
        assert [json.loads(line) for line in stdout.splitlines()] == [server.info]
        assert server.control_token not in stdout
