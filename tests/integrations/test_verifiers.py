"""verifiers runs apibench: ``vf-eval apibench-verifiers`` against a scripted model.

One ``vf-eval`` run (the real CLI, its tool-only chat harness, a tool server per rollout)
plays three episodes at once against :class:`~tests.integrations.replay.ReplayModel` served
on loopback: two with the reference solution, each opened by a call whose arguments break
the tool's schema, and one no-op. It runs in the verifiers extra's own environment
(``make test-verifiers``): verifiers pins an ``mcp`` the test extra's MCP server does not take.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("verifiers.v1", reason="the verifiers extra is not installed here")

from gym_apibench.integrations import ToolSession
from gym_apibench.integrations.verifiers_env import (
    TASKSET_ID,
    ApibenchTaskset,
    EpisodeData,
    EpisodeTask,
    EpisodeTools,
    load_environment,
)
from tests.integrations.replay import ReplayModel, serve_model

SCENARIOS = ["slack.post-to-channel", "hubspot.authorize-with-pkce"]
SEEDS = [0, 3]
# The taskset's order is scenario, then seed; a run of its first three tasks (-n 3) plays:
EPISODES = [(s, seed) for s in sorted(SCENARIOS) for seed in SEEDS][:3]
NOOP = EPISODES[0]
REFERENCE = EPISODES[1:]


class MixedModel(ReplayModel):
    """The reference solution of its episodes, and a no-op of ``noop``'s."""

    def __init__(self, episodes: list[tuple[str, int]], noop: ReplayModel, malformed: int):
        super().__init__(episodes, malformed=malformed)
        self.noop = noop

    def _reply(self, messages: list[Mapping[str, Any]]) -> dict[str, Any]:
        user = next(m["content"] for m in messages if m["role"] == "user")
        if any(instruction in str(user) for instruction in self.noop._tasks):
            return self.noop._reply(messages)
        return super()._reply(messages)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The traces of one vf-eval run (by task key) and the requests the model got."""
    out = tmp_path_factory.mktemp("vf-eval")
    model = MixedModel(REFERENCE, ReplayModel([NOOP], solution="noop"), malformed=1)
    bindir = Path(sys.executable).parent
    # The harness's chat program runs under uv (a PEP 723 script), found on PATH.
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}", "REPLAY_KEY": "-"}
    with serve_model(model) as url:
        done = subprocess.run(
            [
                str(bindir / "vf-eval"),
                TASKSET_ID,
                "--env.taskset.scenarios",
                ",".join(SCENARIOS),
                "--env.taskset.seeds",
                ",".join(map(str, SEEDS)),
                "-n",
                str(len(EPISODES)),
                # The replay reads each result whole (verifiers' harness cuts past 20 kB).
                "--env.taskset.max-result-chars",
                "1000000",
                "--env.agent.runtime.type",
                "subprocess",
                "-m",
                "replay",
                "--client.base-url",
                url,
                "--client.api-key-var",
                "REPLAY_KEY",
                "--no-push",
                "--no-rich",
                "-o",
                str(out),
                "--run.name",
                "run",
            ],
            env=env,
            cwd=out,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert done.returncode == 0, done.stderr[-4000:]
    lines = (out / "run" / "traces.jsonl").read_text().splitlines()
    traces = [trace for line in lines for trace in json.loads(line)["traces"]]
    return {"traces": {t["task"]["key"]: t for t in traces}, "requests": model.requests}


def reward(trace: Mapping[str, Any]) -> float:
    return float(trace["rewards"]["apibench_reward"]["score"])


def test_every_episode_ran_once_in_its_own_world(run: dict[str, Any]) -> None:
    keys = {f"{s}@{seed}" for s, seed in EPISODES}
    assert set(run["traces"]) == keys
    for key, trace in run["traces"].items():
        data = trace["task"]["data"]
        outcome = trace["info"]["apibench"]
        assert f"{data['scenario']}@{data['seed']}" == key
        assert (outcome["scenario"], outcome["seed"]) == (data["scenario"], data["seed"])
        assert trace["ok"] and not trace["errors"], trace["errors"]


@pytest.mark.parametrize(("scenario", "seed"), REFERENCE)
def test_the_reference_solution_scores_one(run: dict[str, Any], scenario: str, seed: int) -> None:
    trace = run["traces"][f"{scenario}@{seed}"]
    assert reward(trace) == 1.0
    assert trace["metrics"]["success"] == 1.0 and trace["metrics"]["submitted"] == 1.0
    assert trace["info"]["apibench"]["checks"]
    assert all(check["passed"] for check in trace["info"]["apibench"]["checks"])
    # The submit ended the rollout: the model was not asked again.
    assert trace["stop_condition"] == "episode_ended"


def test_a_noop_scores_zero(run: dict[str, Any]) -> None:
    trace = run["traces"]["{}@{}".format(*NOOP)]
    assert reward(trace) == 0.0
    assert trace["metrics"]["submitted"] == 1.0 and trace["metrics"]["success"] == 0.0
    assert trace["metrics"]["steps"] == 1.0


@pytest.mark.parametrize(("scenario", "seed"), REFERENCE)
def test_a_malformed_call_is_an_error_the_model_sees_and_the_rollout_goes_on(
    run: dict[str, Any], scenario: str, seed: int
) -> None:
    trace = run["traces"][f"{scenario}@{seed}"]
    assert trace["metrics"]["malformed"] == 1.0
    instruction = trace["task"]["data"]["prompt"]
    conversations = [
        r["messages"] for r in run["requests"] if r["messages"][1]["content"] == instruction
    ]
    # The model's second request carries the malformed call's result: the session's error.
    second = next(messages for messages in conversations if len(messages) > 2)
    call, result = second[2], second[3]
    assert json.loads(call["tool_calls"][0]["function"]["arguments"]) == {
        "method": 42,
        "nope": True,
    }
    assert result["role"] == "tool" and result["content"].startswith("Error: ")
    assert max(len(messages) for messages in conversations) > 4


def test_the_model_is_offered_the_sessions_tools_and_prompt(run: dict[str, Any]) -> None:
    scenario, seed = REFERENCE[0]
    with ToolSession(scenario, seed) as session:
        expected = {tool.name: tool.parameters for tool in session.tools}
        system, user = session.prompt()
    request = next(r for r in run["requests"] if r["messages"][1]["content"] == user)
    assert request["messages"][0] == {"role": "system", "content": system}
    offered = {t["function"]["name"]: t["function"]["parameters"] for t in request["tools"]}
    assert offered == expected
    assert {"http_request", "submit", "wait", "read_docs"} <= set(offered)


def test_load_environment_builds_the_same_tasks() -> None:
    env = load_environment(scenarios="slack.post-to-*", seeds="1-2", tools="http")
    assert isinstance(env.taskset, ApibenchTaskset)
    tasks = list(env.taskset)
    assert tasks and all(isinstance(task, EpisodeTask) for task in tasks)
    assert {task.data.seed for task in tasks} == {1, 2}
    task = tasks[0]
    with ToolSession(task.data.scenario, task.data.seed, tools="http") as session:
        assert (task.data.system_prompt, task.data.prompt) == session.prompt()
    assert task.key == f"{task.data.scenario}@{task.data.seed}"
    assert env.config.agent.harness.id == TASKSET_ID
    assert env.config.agent.runtime.type == "subprocess"


def test_taskset_options_reach_the_episode() -> None:
    env = load_environment(
        scenarios="slack.post-to-channel", seeds="2", max_episode_steps=3, faults=[]
    )
    (task,) = list(env.taskset)
    assert task.data.env_options == {"max_episode_steps": 3, "faults": []}
    with ToolSession("slack.post-to-channel", 2, max_episode_steps=3) as session:
        assert session.task["max_steps"] == 3
        assert (task.data.system_prompt, task.data.prompt) == session.prompt()


def test_the_tool_server_answers_misfits_with_tool_errors_and_ends_at_the_step_limit() -> None:
    import asyncio

    import verifiers.v1 as vf
    from mcp.server.mcpserver import MCPServer

    data = EpisodeData(
        scenario="slack.post-to-channel", seed=1, env_options={"max_episode_steps": 1}
    )

    async def play() -> list[Any]:
        tools = EpisodeTools(vf.ToolsetConfig())
        await tools.setup_task(data)
        server = MCPServer("apibench")
        tools.register(server)
        assert tools.session is not None
        url = next(iter(tools.session.task["services"].values()))
        try:
            return [
                await server.list_tools(),
                await server.call_tool("http_request", {"method": 42}),
                await server.call_tool("http_request", {"method": "GET", "url": url}),
                await server.call_tool("submit", {"answer": None}),
                tools.session.result(),
            ]
        finally:
            tools.session.close()

    listed, misfit, last, late, result = asyncio.run(play())
    with ToolSession(data.scenario, data.seed) as session:
        assert {t.name: t.input_schema for t in listed} == {
            t.name: t.parameters for t in session.tools
        }
    assert misfit.is_error and misfit.content[0].text.startswith("Error: ")
    assert not last.is_error and "step limit" in last.content[0].text
    assert late.is_error and "ended" in late.content[0].text
    assert result["truncated"] and not result["submitted"] and result["reward"] == 0.0
    assert (result["steps"], result["malformed"]) == (1, 2)
