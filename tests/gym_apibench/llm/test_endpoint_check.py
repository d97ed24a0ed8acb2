"""The model agents check their endpoint before a run: a dead one stops it at once."""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest
from llm_mock_endpoint import Endpoint, tool_call

from gym_apibench.cli import main
from gym_apibench.llm import ChatClient, LLMOptions, ModelEndpointError

SCENARIO = "attio.record-by-id"


def dead_url() -> str:
    """A loopback URL nothing listens on (the port was free a moment ago)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def eval_argv(agent: str, url: str, out) -> list[str]:
    grid = ["--agent", agent, "--model", "mock", "--base-url", url, "--scenarios", SCENARIO]
    return ["eval", *grid, "--seeds", "0-2", "--workers", "1", "--no-progress", "--out", str(out)]


@pytest.mark.parametrize("agent", ["llm", "code"])
def test_a_dead_endpoint_stops_the_run_before_any_episode(agent, tmp_path, capsys):
    url = dead_url()
    started = time.monotonic()
    assert main(eval_argv(agent, url, tmp_path / "run")) == 2
    assert time.monotonic() - started < 10  # not ~17 s an episode of retries
    err = capsys.readouterr().err
    assert f"agent '{agent}" in err and f"the model endpoint {url} is unreachable" in err
    results = tmp_path / "run" / "results.jsonl"
    assert not results.exists() or results.read_text() == ""


def test_a_live_endpoint_passes_and_the_run_goes_on(endpoint: Endpoint, tmp_path):
    endpoint.policy = lambda payload: tool_call("submit", {"answer": None})
    out = tmp_path / "run"
    assert main(eval_argv("llm", endpoint.url, out)) == 0
    lines = (out / "results.jsonl").read_text().splitlines()
    assert len(lines) == 3 and all(json.loads(line)["steps"] == 1 for line in lines)


def client(handler) -> ChatClient:
    options = LLMOptions(model="m", base_url="http://model.test/v1", api_key_env="TEST_KEY")
    return ChatClient(options, transport=httpx.MockTransport(handler))


def test_check_endpoint_answers():
    seen: list[str] = []

    def listing(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={"data": [{"id": "m"}]})

    client(listing).check_endpoint()
    assert seen == ["http://model.test/v1/models"]
    # A server without /models is reachable all the same.
    client(lambda request: httpx.Response(404)).check_endpoint()
    with pytest.raises(ModelEndpointError, match=r"refused the API key .*\$TEST_KEY"):
        client(lambda request: httpx.Response(401)).check_endpoint()

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(ModelEndpointError, match="is unreachable"):
        client(refuse).check_endpoint()
