"""apibench's OpenEnv environment, played by OpenEnv's own clients against its server on
loopback: a scripted model through OpenEnv's LLM client, malformed calls, the episode server."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("openenv.core", reason="the openenv extra (make test-openenv)")

import httpx
from openenv.core.generic_client import GenericEnvClient
from openenv.core.llm_client import OpenAIClient
from openenv.core.mcp_client import MCPToolClient

from gym_apibench import scenario_ids
from gym_apibench.integrations.openenv import ApibenchEnv, create_app, rollout
from gym_apibench.integrations.openenv.models import CallToolAction, ToolErrorType
from gym_apibench.remote import EpisodeServer
from tests.integrations.replay import ReplayModel, serve_app, serve_model, task_of
from tests.served import episode_server

SCENARIO = "stripe.net-revenue"
OTHER = "slack.post-to-channel"
LARGE = 10**7  # the replay model parses every result: nothing cut


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serve_app(create_app(max_result_chars=LARGE)) as base:
        yield base


def play(url: str, model: ReplayModel, scenario: str, seed: int, *, live: Any = None) -> Any:
    """One rollout: OpenEnv's OpenAI client on the served replay model, our typed client;
    the last step's result and the state (``live()`` is called before the session ends)."""

    async def episode(model_url: str) -> Any:
        llm = OpenAIClient(model_url, None, model="replay", max_tokens=1024)
        async with ApibenchEnv(base_url=url) as env:
            last = await rollout(env, llm, scenario=scenario, seed=seed)
            if live is not None:
                await asyncio.to_thread(live)
            return last, await env.state()

    with serve_model(model) as model_url:
        return asyncio.run(episode(model_url))


@pytest.mark.parametrize(("scenario", "seed"), [(SCENARIO, 0), (OTHER, 3)])
def test_a_scripted_model_solves_an_episode_and_gets_apibench_s_reward(url, scenario, seed):
    last, state = play(url, ReplayModel([(scenario, seed)]), scenario, seed)
    assert last.done and last.reward == 1.0
    assert last.observation.metadata["result"]["success"] is True
    assert (state.scenario, state.seed, state.submitted, state.success) == (
        scenario,
        seed,
        True,
        True,
    )
    assert state.reward == 1.0 and state.episode_id and state.step_count == state.env_steps > 1


def test_a_noop_submit_scores_zero(url):
    last, state = play(url, ReplayModel([(SCENARIO, 1)], solution="noop"), SCENARIO, 1)
    assert last.done and last.reward == 0.0
    assert state.submitted and not state.success and state.env_steps == 1


def test_malformed_calls_get_tool_errors_and_the_episode_goes_on(url):
    model = ReplayModel([(SCENARIO, 2)], malformed=2)
    last, state = play(url, model, SCENARIO, 2)
    assert last.done and last.reward == 1.0
    assert state.malformed == 2 and state.step_count == state.env_steps + 2
    tool_messages = [m for m in model.requests[-1]["messages"] if m["role"] == "tool"]
    assert all(m["content"].startswith("Error: ") for m in tool_messages[:2])


def test_tool_errors_are_openenv_s_and_the_server_keeps_working(url):
    task = task_of(SCENARIO, 4)
    with ApibenchEnv(base_url=url).sync() as env:
        started = env.reset(scenario=SCENARIO, seed=4)
        assert started.observation.task["instruction"] == task["instruction"]
        assert started.observation.prompt == task["instruction"]
        names = {tool.name for tool in env.list_tools()}
        assert {"http_request", "submit", "wait", "read_docs"} <= names and len(names) > 4
        for name, arguments, kind in [
            ("http_request", {"method": 42}, ToolErrorType.INVALID_ARGS),
            ("submit", {}, ToolErrorType.INVALID_ARGS),
            ("no_such_tool", {}, ToolErrorType.TOOL_NOT_FOUND),
        ]:
            result = env.step(CallToolAction(tool_name=name, arguments=arguments))
            assert result.observation.error.error_type == kind and not result.done
        with pytest.raises(RuntimeError, match="invalid_args"):
            env.call_tool("wait", seconds=-1)
        state = env.state()
        assert state.step_count == 4 and state.env_steps == 0 and state.malformed == 4
        url_of = next(iter(started.observation.task["services"].values()))
        text = env.call_tool("http_request", method="GET", url=url_of)
        assert text.startswith("HTTP ")
        assert env.state().env_steps == 1


def test_an_action_openenv_cannot_read_is_refused_and_the_session_lives_on(url):
    with GenericEnvClient(base_url=url).sync() as env:
        env.reset(scenario=SCENARIO, seed=5)
        for action in [
            {"type": "call_tool", "tool_name": "submit", "arguments": "{not json"},
            {"type": "call_tool", "arguments": {}},
            {"tool": "submit"},
        ]:
            with pytest.raises(RuntimeError, match="VALIDATION_ERROR"):
                env.step(action)
        result = env.step({"type": "call_tool", "tool_name": "submit", "arguments": {"answer": 0}})
        assert result.done and result.reward == 0.0
        assert env.state()["submitted"] is True
        after = env.step({"type": "call_tool", "tool_name": "submit", "arguments": {"answer": 1}})
        assert after.done and after.observation["error"]["error_type"] == "execution_error"
        assert env.state()["env_steps"] == 1


def test_reset_errors_teach_and_the_server_keeps_working(url):
    with ApibenchEnv(base_url=url).sync() as env:
        with pytest.raises(RuntimeError, match=r"did you mean 'stripe\.net-revenue'"):
            env.reset(scenario="stripe.net-revenu", seed=0)
        with pytest.raises(RuntimeError, match="unknown reset option"):
            env.reset(scenario=SCENARIO, seed=0, fualts=[])
        with pytest.raises(RuntimeError, match="needs a scenario"):
            env.reset(seed=0)
        started = env.reset(scenario=SCENARIO)
        assert started.observation.seed >= 0 and env.state().seed == started.observation.seed


def test_episodes_play_on_an_apibench_episode_server(tmp_path: Path):
    scores: list[dict[str, Any]] = []
    with episode_server(tmp_path / "control.json") as served:
        control = EpisodeServer(served.control_url, served.control_token)

        def graded_there() -> None:
            (episode,) = control.episodes()
            assert (episode["scenario"], episode["seed"], episode["mode"]) == (SCENARIO, 6, "gym")
            scores.append(
                control.call("GET", f"{control.control_url}/episodes/{episode['id']}/score")
            )

        app = create_app(
            max_result_chars=LARGE, server=served.control_url, server_token=served.control_token
        )
        with serve_app(app) as base:
            last, state = play(base, ReplayModel([(SCENARIO, 6)]), SCENARIO, 6, live=graded_there)
            deadline = time.monotonic() + 10  # the server ends a session once its socket closes
            while control.episodes() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert control.episodes() == []  # the session's end ended its episode
        control.close()
    assert last.done and last.reward == 1.0 and state.success
    assert scores[0]["reward"] == 1.0 and scores[0]["submitted"]


def test_apibench_openenv_serves_until_stopped():
    command = [sys.executable, "-m", "gym_apibench.integrations.openenv", "--port", "0"]
    process = subprocess.Popen([*command, "--scenario", OTHER], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # once it listens
        base = re.search(r"http://\S+", line)
        assert base is not None, line
        with GenericEnvClient(base_url=base.group(0)).sync() as env:
            started = env.reset(seed=7)  # the server's scenario
            assert started.observation["scenario"] == OTHER
            assert started.observation["task"]["instruction"] == task_of(OTHER, 7)["instruction"]
    finally:
        process.kill()
        process.communicate()


def test_the_task_api_lists_the_splits_scenarios_and_reset_plays_one(url):
    test_split = scenario_ids(split="test")
    with httpx.Client(base_url=url) as http:
        splits = http.get("/apibench/splits").json()
        assert [s["name"] for s in splits] == ["train", "test"]
        count = http.post("/apibench/num_tasks", json={"split": "test"}).json()["num_tasks"]
        assert count == len(test_split) > 1
        last = http.post("/apibench/task", json={"split": "test", "index": count - 1}).json()
        assert last["task"] == {"id": test_split[-1], "index": count - 1}
        beyond = http.post("/apibench/task", json={"split": "test", "index": count})
        assert beyond.status_code == 400
    with ApibenchEnv(base_url=url).sync() as env:
        started = env.reset(split="test", index=1, seed=8)
        assert (started.observation.scenario, env.state().seed) == (test_split[1], 8)
        with pytest.raises(RuntimeError, match="not both"):
            env.reset(scenario=SCENARIO, split="test", index=1)


def test_each_session_is_an_episode_of_its_own(url):
    with ApibenchEnv(base_url=url).sync() as one, ApibenchEnv(base_url=url).sync() as other:
        first = one.reset(scenario=SCENARIO, seed=9)
        other.reset(scenario=SCENARIO, seed=9)
        base = next(iter(first.observation.task["services"].values()))
        other.call_tool("http_request", method="GET", url=base)
        assert one.step(CallToolAction(tool_name="submit", arguments={"answer": 0})).done
        one_state, other_state = one.state(), other.state()
        assert one_state.episode_id != other_state.episode_id
        assert (one_state.done, one_state.env_steps) == (True, 1)
        assert (other_state.done, other_state.env_steps) == (False, 1)


def test_openenv_s_own_tool_client_plays_too(url):
    with MCPToolClient(base_url=url).sync() as env:
        env.reset(scenario=SCENARIO, seed=10)
        assert "http_request" in {tool.name for tool in env.list_tools()}
        result = env.call_tool("submit", answer=0)  # over OpenEnv's HTTP /mcp, same session
        assert result["done"] and result["reward"] == 0.0
        assert result["result"]["content"][0]["text"].startswith("HTTP 200")
        refused = env.call_tool("submit", nope=1)
        assert refused["error"]["error_type"] == "execution_error"  # the episode has ended
