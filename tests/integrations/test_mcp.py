"""The MCP server, driven by the official SDK's client: ``apibench mcp`` over stdio, and the
streamable-HTTP endpoint of an episode on the episode server.

A scripted model (:class:`~tests.integrations.replay.ReplayModel`) plays the conversation
built from what the server gives (its instructions as the system prompt, the ``task`` prompt
as the user's message) and the tools' results; each of its tool calls goes through the MCP
client. The reference solution scores 1, a no-op 0; schema-breaking arguments are tool
errors and the episode goes on.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from mcp import Client, ClientSession, StdioServerParameters, stdio_client, types
from mcp.client.streamable_http import streamable_http_client
from mcp_types.version import MODERN_PROTOCOL_VERSIONS

import gym_apibench
from gym_apibench.cli import main
from tests.integrations.replay import ReplayModel, observation_of, task_of
from tests.served import Served, episode_server

ROOT = Path(__file__).resolve().parents[2]
# Small responses (the HTTP endpoint cuts results at its default 8000 characters, and the
# replay model must read them whole) over two kinds of auth: a bearer token and an OAuth
# authorization-code flow with PKCE through the episode's own URLs.
SCENARIOS = ["slack.post-to-channel", "hubspot.authorize-with-pkce"]
BIG = "stripe.net-revenue"  # results of 40k+ characters: over stdio, with --max-result-chars


def _text(result: types.CallToolResult) -> str:
    return "".join(c.text for c in result.content if isinstance(c, types.TextContent))


async def play(
    client: ClientSession, model: ReplayModel, results: list[str] | None = None
) -> dict[str, Any]:
    """Play ``model``'s calls through ``client`` until the submit; the submit's body (the
    reward, as the gym's submit observation says it). ``results`` gets each call's text."""
    prompt = await client.get_prompt("task")
    user = prompt.messages[0].content
    assert isinstance(user, types.TextContent)
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": client.instructions},
        {"role": "user", "content": user.text},
    ]
    for _ in range(300):
        message = model.reply({"messages": messages})
        messages.append({"role": "assistant", **message})
        for call in message["tool_calls"]:
            name, arguments = call["function"]["name"], json.loads(call["function"]["arguments"])
            result = await client.call_tool(name, arguments)
            text = _text(result)
            if results is not None:
                results.append(text)
            messages.append({"role": "tool", "tool_call_id": call["id"], "content": text})
            if name == "submit" and not result.is_error:
                body: dict[str, Any] = json.loads(observation_of(text)["body"])
                after = await client.call_tool("wait", {"seconds": 1})
                assert after.is_error and "ended" in _text(after)
                return body
    raise AssertionError("the episode did not end")


async def check_tools(client: ClientSession, scenario: str) -> None:
    """The tools, prompt and resource the server lists are the episode's."""
    tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert {"http_request", "submit", "wait", "read_docs"} <= set(tools)
    assert any(name.startswith(scenario.split(".")[0] + "__") for name in tools)
    assert tools["http_request"].input_schema["required"] == ["method", "url"]
    resource = await client.read_resource("apibench://task")
    (contents,) = resource.contents
    assert isinstance(contents, types.TextResourceContents)
    task = json.loads(contents.text)
    assert task["scenario"] == scenario and task["credentials"] and task["services"]


async def check_bad_arguments(client: ClientSession) -> None:
    """Schema-breaking calls are tool errors, and the server goes on serving."""
    for name, arguments in [
        ("http_request", {"method": 42, "nope": True}),
        ("http_request", {"method": "GET"}),
        ("wait", {"seconds": "soon"}),
        ("submit", {}),
        ("no_such_tool", {}),
    ]:
        result = await client.call_tool(name, arguments)
        assert result.is_error, (name, arguments)
        assert _text(result).startswith("Error: ")


# -- stdio ------------------------------------------------------------------------------------


@asynccontextmanager
async def stdio(
    scenario: str, seed: int, *extra: str
) -> AsyncIterator[tuple[ClientSession, dict[str, Any]]]:
    """``apibench mcp`` as a subprocess, with a client session; and the episode's result
    it prints to stderr as it ends (filled in once the block has closed the session)."""
    command = ["-m", "gym_apibench.cli", "mcp", "--scenario", scenario, "--seed", str(seed)]
    params = StdioServerParameters(command=sys.executable, args=[*command, *extra], cwd=ROOT)
    result: dict[str, Any] = {}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:
        async with (
            stdio_client(params, errlog=errors) as (read, write),
            ClientSession(read, write) as client,
        ):
            await client.initialize()
            yield client, result
        errors.seek(0)
        lines = [line for line in errors.read().splitlines() if line.startswith("{")]
        assert lines, "apibench mcp printed no result"
        result.update(json.loads(lines[-1]))


def existing(scenarios: list[str]) -> list[str]:
    known = set(gym_apibench.scenario_ids())
    return [s for s in scenarios if s in known]


COLD_START = """\
faults:
  - name: cold-start
    kind: http_error
    params: {status: 503, retry_after: 1}
    when: {first: 1}
"""


@pytest.mark.parametrize(
    ("scenario", "seed", "extra"),
    [(SCENARIOS[0], 2, ("--faults",)), (BIG, 0, ("--max-result-chars", "10000000"))],
)
def test_stdio_the_reference_solution_scores_one(
    scenario: str, seed: int, extra: tuple[str, ...], tmp_path: Path
):
    if extra == ("--faults",):  # the episode's first request answers 503, as in the gym
        (tmp_path / "faults.yaml").write_text(COLD_START)
        extra = ("--faults", str(tmp_path / "faults.yaml"))
    texts: list[str] = []

    async def run() -> tuple[dict[str, Any], dict[str, Any]]:
        async with stdio(scenario, seed, *extra) as (client, result):
            await check_tools(client, scenario)
            body = await play(client, ReplayModel([(scenario, seed)], malformed=2), texts)
        return body, result

    body, result = anyio.run(run)
    assert body == {"submitted": True, "reward": 1.0, "success": True}
    assert result["reward"] == 1.0 and result["success"] and result["submitted"]
    assert result["malformed"] == 3  # the model's two, and the call after the submit
    first = next(t for t in texts if not t.startswith("Error: "))
    assert first.startswith("HTTP 503" if "--faults" in extra else "HTTP 200")


def test_stdio_a_noop_scores_zero_and_bad_arguments_are_tool_errors():
    scenario = SCENARIOS[0]

    async def run() -> tuple[dict[str, Any], dict[str, Any]]:
        async with stdio(scenario, 1, "--tools", "http") as (client, result):
            names = {tool.name for tool in (await client.list_tools()).tools}
            assert names == {"http_request", "submit", "wait", "read_docs"}
            await check_bad_arguments(client)
            body = await play(client, ReplayModel([(scenario, 1)], solution="noop"))
        return body, result

    body, result = anyio.run(run)
    assert body["submitted"] and body["reward"] == 0.0 and not body["success"]
    assert result["reward"] == 0.0 and result["steps"] == 1 and result["malformed"] == 6


def test_stdio_flags_are_checked(capsys: pytest.CaptureFixture[str]):
    def usage(*args: str) -> str:
        assert main(["mcp", *args]) == 2
        return capsys.readouterr().err

    assert "did you mean 'slack.post-to-channel'" in usage("--scenario", "slack.post-to-chanel")
    assert "no such file" in usage("--scenario", SCENARIOS[0], "--faults", "/nonexistent.yaml")
    assert "invalid choice" in usage("--scenario", SCENARIOS[0], "--tools", "all")


# -- streamable HTTP on the episode server -----------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("mcp")
    with episode_server(folder / "control.json") as served:
        yield served


def create(server: Served, scenario: str, seed: int) -> dict[str, Any]:
    response = server.control("POST", "/episodes", json={"scenario": scenario, "seed": seed})
    assert response.status_code == 201, response.text
    info: dict[str, Any] = response.json()
    return info


@asynccontextmanager
async def http(url: str) -> AsyncIterator[ClientSession]:
    async with streamable_http_client(url) as (read, write), ClientSession(read, write) as client:
        await client.initialize()
        yield client


@pytest.mark.parametrize("scenario", existing(SCENARIOS))
def test_http_the_reference_solution_scores_one(server: Served, scenario: str):
    seed = 4
    info = create(server, scenario, seed)
    url = info["mcp"]["url"]
    assert url.startswith(server.control_url.rsplit("/", 1)[0] + "/e/" + info["id"] + "/")

    async def run() -> dict[str, Any]:
        async with http(url) as client:
            await check_tools(client, scenario)
            return await play(client, ReplayModel([(scenario, seed)], malformed=1))

    assert anyio.run(run) == {"submitted": True, "reward": 1.0, "success": True}
    # The control plane scores the same world: the MCP calls acted on the hosted episode.
    score = server.control("GET", f"/episodes/{info['id']}/score").json()
    assert score["reward"] == 1.0 and score["success"] and score["submitted"]
    assert all(check["passed"] for check in score["checks"])


def test_http_a_noop_scores_zero_and_bad_arguments_are_tool_errors(server: Served):
    scenario, seed = SCENARIOS[0], 5
    info = create(server, scenario, seed)
    task = task_of(scenario, seed)

    async def run() -> dict[str, Any]:
        async with http(info["mcp"]["url"]) as client:
            await check_bad_arguments(client)
            # The task resource is the hosted episode's: its own base URLs, not real hosts.
            resource = await client.read_resource("apibench://task")
            contents = resource.contents[0]
            assert isinstance(contents, types.TextResourceContents)
            hosted_task = json.loads(contents.text)
            assert hosted_task["services"] == info["services"] != task["services"]
            assert hosted_task["instruction"] == task["instruction"]
            return await play(client, ReplayModel([(scenario, seed)], solution="noop"))

    body = anyio.run(run)
    assert body["submitted"] and body["reward"] == 0.0 and not body["success"]
    score = server.control("GET", f"/episodes/{info['id']}/score").json()
    assert score["submitted"] and score["reward"] == 0.0


def test_http_endpoint_follows_its_episode_reset_and_end(server: Served):
    info = create(server, SCENARIOS[0], 6)
    url, control = info["mcp"]["url"], f"/episodes/{info['id']}"
    assert "control" not in url and server.control_token not in json.dumps(info["mcp"])

    async def call(name: str, arguments: dict[str, Any]) -> types.CallToolResult:
        # The SDK's high-level client, which speaks the modern protocol (2026-07-28 on: no
        # handshake, each request on its own); ClientSession above does the handshake.
        async with Client(url) as client:
            assert client.protocol_version in MODERN_PROTOCOL_VERSIONS
            return await client.call_tool(name, arguments)

    assert not anyio.run(call, "submit", {"answer": None}).is_error
    assert anyio.run(call, "wait", {"seconds": 1}).is_error  # ended, for a new session too
    assert server.control("POST", f"{control}/reset").status_code == 200
    assert not anyio.run(call, "wait", {"seconds": 1}).is_error  # a fresh episode
    assert server.control("GET", f"{control}/score").json()["submitted"] is False
    assert server.control("DELETE", control).status_code == 200
    response = httpx.post(
        url,
        json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
        headers={"Accept": "application/json, text/event-stream"},
    )
    assert response.status_code == 404 and response.json()["error"] == "unknown_episode"
