"""The LLM tool-calling agent against the mocked endpoint: solving, malformed output, retries."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from llm_mock_endpoint import (
    USAGE,
    Endpoint,
    base_url,
    instruction,
    json_body,
    play,
    read_results,
    tool_call,
    tool_results,
)

from gym_apibench.agents import make_agent
from gym_apibench.cli import main
from gym_apibench.llm import AgentGaveUp, LLMAgent, ModelEndpointError

SCENARIO = "brewery.count-in-state"


def _state(payload: dict[str, Any]) -> str:
    match = re.search(r"US state of (.+?)\. Submit", instruction(payload))
    assert match, instruction(payload)
    return match.group(1).lower().replace(" ", "_")


def solve_count(payload: dict[str, Any]) -> dict[str, Any]:
    """A correct model: ask the meta endpoint for the task's state, then submit its total."""
    results = tool_results(payload)
    if not results:
        url = f"{base_url(payload, 'brewery')}/v1/breweries/meta"
        return tool_call(
            "http_request", {"method": "GET", "url": url, "query": {"by_state": _state(payload)}}
        )
    return tool_call("submit", {"answer": int(json_body(results[-1])["total"])}, "call_2")


def agent(endpoint: Endpoint, **options: Any) -> LLMAgent:
    return LLMAgent({"model": "m", "base_url": endpoint.url, "backoff": 0, **options})


def test_eval_end_to_end_through_the_cli(endpoint: Endpoint, tmp_path) -> None:
    endpoint.policy = solve_count
    out = tmp_path / "run"
    argv = ["eval", "--agent", "llm", "--model", "m", "--base-url", endpoint.url]
    # two workers: the options travel in the agent spec to the worker processes
    argv += ["--scenarios", SCENARIO, "--seeds", "0-1", "--workers", "2", "--out", str(out)]
    assert main([*argv, "--no-progress"]) == 0
    results = read_results(out)
    assert [r["success"] for r in results] == [True, True]
    assert {r["agent"] for r in results} == {f"llm?model=m&base_url={endpoint.url}"}
    assert [r["steps"] for r in results] == [2, 2]
    first = min(endpoint.requests, key=lambda r: r["seed"])
    assert first["model"] == "m" and first["temperature"] == 0.0 and first["seed"] == 0
    names = {t["function"]["name"] for t in first["tools"]}
    assert names == {"http_request", "submit", "wait", "read_docs"}
    assert "brewery: https://api.openbrewerydb.org" in first["messages"][0]["content"]


def test_a_wrong_model_fails_the_episode(endpoint: Endpoint) -> None:
    def off_by_one(payload: dict[str, Any]) -> dict[str, Any]:
        reply = solve_count(payload)
        if reply["tool_calls"][0]["function"]["name"] == "submit":
            total = json.loads(reply["tool_calls"][0]["function"]["arguments"])["answer"]
            return tool_call("submit", {"answer": total + 1}, "call_2")
        return reply

    endpoint.policy = off_by_one
    info, _ = play(agent(endpoint), SCENARIO, 3)
    assert info["success"] is False


def test_operation_tools_solve_the_scenario(endpoint: Endpoint) -> None:
    def by_operation(payload: dict[str, Any]) -> dict[str, Any]:
        results = tool_results(payload)
        if not results:
            return tool_call("brewery__breweriesMeta", {"by_state": _state(payload)})
        return tool_call("submit", {"answer": json_body(results[-1])["total"]}, "call_2")

    endpoint.policy = by_operation
    info, steps = play(agent(endpoint, tools="operations"), SCENARIO, 2)
    assert info["success"] is True and steps == 2
    names = [t["function"]["name"] for t in endpoint.requests[0]["tools"]]
    assert "brewery__breweriesMeta" in names and "http_request" not in names
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{1,64}", n) for n in names)


def test_read_docs_gives_the_spec(endpoint: Endpoint) -> None:
    def read_then_solve(payload: dict[str, Any]) -> dict[str, Any]:
        if not tool_results(payload):
            return tool_call("read_docs", {"service": "brewery"}, "call_0")
        rest = [m for m in payload["messages"] if m.get("tool_call_id") != "call_0"]
        return solve_count({**payload, "messages": rest})

    endpoint.policy = read_then_solve
    info, steps = play(agent(endpoint), SCENARIO, 0)
    docs = tool_results(endpoint.requests[1])[0]
    assert docs.startswith("HTTP 200") and "openapi:" in docs and "/v1/breweries/meta" in docs
    assert info["success"] is True and steps == 3


def test_malformed_outputs_go_back_to_the_model(endpoint: Endpoint) -> None:
    script = [
        tool_call("http_request", '{"method": "GET", "url": '),  # invalid JSON arguments
        tool_call("fetch_url", {"url": "x"}),  # an unknown tool
        {"content": "The answer is probably 42."},  # no tool call
    ]

    def flaky(payload: dict[str, Any]) -> dict[str, Any]:
        if script:
            return script.pop(0)
        clean = [
            m for m in payload["messages"] if m["role"] != "tool" or "Error" not in m["content"]
        ]
        return solve_count({**payload, "messages": clean})

    endpoint.policy = flaky
    llm = agent(endpoint, max_malformed=4)
    info, steps = play(llm, SCENARIO, 1)
    assert info["success"] is True and steps == 2  # malformed outputs cost no env step
    told = json.dumps(endpoint.requests[3]["messages"])
    assert "are not valid JSON" in told and "unknown tool 'fetch_url'" in told
    assert "Act with a tool call" in told
    stats = llm.episode_stats()
    assert stats["malformed"] == 3 and stats["failure"] is None and stats["tool_calls"] == 2


@pytest.mark.parametrize(
    "reply",
    [
        {"content": "I would call the API now."},
        tool_call("http_request", "not json"),
        tool_call("nope", {}),
        None,  # no choices at all
    ],
    ids=["no-tool-call", "invalid-json", "unknown-tool", "no-choices"],
)
def test_gives_up_after_consecutive_malformed_outputs(endpoint: Endpoint, reply) -> None:
    endpoint.policy = lambda payload: reply
    llm = agent(endpoint, max_malformed=3)
    with pytest.raises(AgentGaveUp, match="3 malformed model outputs in a row"):
        play(llm, SCENARIO, 0)
    assert len(endpoint.requests) == 3
    assert llm.episode_stats()["failure"].startswith("3 malformed")


def test_the_harness_records_a_give_up_and_goes_on(endpoint: Endpoint, tmp_path) -> None:
    endpoint.policy = lambda payload: {"content": "no tools for me"}
    out = tmp_path / "run"
    argv = ["eval", "--agent", "llm,noop", "--model", "m", "--base-url", endpoint.url]
    argv += ["--agent-option", "max_malformed=2", "--scenarios", SCENARIO, "--seeds", "0"]
    assert main([*argv, "--workers", "1", "--out", str(out), "--no-progress"]) == 0
    by_agent = {r["agent"].split("?")[0]: r for r in read_results(out)}
    assert by_agent["llm"]["failure"].startswith("agent_error: AgentGaveUp: 2 malformed")
    assert by_agent["llm"]["steps"] == 0 and by_agent["noop"]["success"] is False


def test_endpoint_429_and_5xx_are_retried(endpoint: Endpoint, monkeypatch) -> None:
    endpoint.policy = solve_count
    endpoint.failures = [(429, {"Retry-After": "0"}), (500, {}), (503, {"retry-after-ms": "5"})]
    llm = agent(endpoint)
    info, _ = play(llm, SCENARIO, 4)
    assert info["success"] is True
    usage = llm.episode_stats()["usage"]
    assert usage["retries"] == 3 and usage["calls"] == 2


def test_retry_waits_follow_retry_after_then_backoff(endpoint: Endpoint) -> None:
    endpoint.policy = solve_count
    endpoint.failures = [(429, {"Retry-After": "7"}), (502, {}), (500, {})]
    waits: list[float] = []
    llm = LLMAgent({"model": "m", "base_url": endpoint.url, "backoff": 0.5}, sleep=waits.append)
    play(llm, SCENARIO, 0)
    assert waits == [7.0, 1.0, 2.0]  # Retry-After, then 0.5 * 2**1 and 0.5 * 2**2


def test_endpoint_failing_every_retry_raises(endpoint: Endpoint) -> None:
    endpoint.failures = [(500, {})] * 3
    with pytest.raises(ModelEndpointError, match="failed 3 times; last: HTTP 500"):
        play(agent(endpoint, retries=2), SCENARIO, 0)


def test_a_client_error_is_not_retried(endpoint: Endpoint) -> None:
    endpoint.failures = [(401, {})]
    with pytest.raises(ModelEndpointError, match="answered HTTP 401"):
        play(agent(endpoint), SCENARIO, 0)
    assert len(endpoint.requests) == 1


def test_usage_is_summed_per_episode(endpoint: Endpoint, monkeypatch) -> None:
    monkeypatch.setenv("MY_KEY", "sk-test")
    endpoint.policy = solve_count
    llm = agent(endpoint, api_key_env="MY_KEY")
    for seed in (0, 1):  # the second episode starts from zero
        play(llm, SCENARIO, seed)
        expected = {k: 2 * v for k, v in USAGE.items()}
        assert llm.episode_stats()["usage"] == {**expected, "calls": 2, "retries": 0}
    assert llm.usage.total_tokens == 220
    assert set(endpoint.auth) == {"Bearer sk-test"}


def test_no_key_sends_no_authorization(endpoint: Endpoint, monkeypatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    endpoint.policy = solve_count
    play(agent(endpoint), SCENARIO, 0)
    assert set(endpoint.auth) == {None}


def test_the_same_replies_give_the_same_episode(endpoint: Endpoint) -> None:
    endpoint.policy = solve_count
    play(agent(endpoint), SCENARIO, 5)
    first = list(endpoint.requests)
    endpoint.requests.clear()
    play(agent(endpoint), SCENARIO, 5)
    assert endpoint.requests == first


def test_long_tool_results_are_cut_with_a_note(endpoint: Endpoint) -> None:
    def list_then_submit(payload: dict[str, Any]) -> dict[str, Any]:
        if not tool_results(payload):
            url = f"{base_url(payload, 'brewery')}/v1/breweries?per_page=200"
            return tool_call("http_request", {"method": "GET", "url": url})
        return tool_call("submit", {"answer": None}, "call_2")

    endpoint.policy = list_then_submit
    play(agent(endpoint, max_tool_chars=500), SCENARIO, 0)
    result = tool_results(endpoint.requests[1])[0]
    assert re.search(r"\[truncated: showing 500 of \d+ characters\]$", result)
    assert len(result) < 600


def test_options_come_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("APIBENCH_MODEL", "env-model")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1/")
    llm = make_agent("llm")
    assert isinstance(llm, LLMAgent)
    assert llm.options.model == "env-model"
    assert llm.client.url == "http://127.0.0.1:9/v1/chat/completions"


def test_sweep_takes_agent_options(endpoint: Endpoint, tmp_path) -> None:
    endpoint.policy = solve_count
    out = tmp_path / "sweep"
    argv = ["sweep", "--agent", "llm", "--model", "m", "--base-url", endpoint.url]
    argv += ["--fault-profile", "flaky", "--doses", "0", "--scenarios", SCENARIO, "--seeds", "0"]
    assert main([*argv, "--workers", "1", "--out", str(out), "--no-progress"]) == 0
    # The sweep runs its reference (robust) beside the llm agent.
    (result,) = [r for r in read_results(out) if r["agent"].startswith("llm")]
    assert result["success"] is True and result["agent"].startswith("llm?model=m&base_url=")
