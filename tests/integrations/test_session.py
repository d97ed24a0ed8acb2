"""An episode played through tool calls (ToolSession): the layer every adapter wraps."""

from __future__ import annotations

import json

import pytest

from gym_apibench.integrations import ToolSession
from tests.integrations.replay import ReplayModel, task_of

SCENARIOS = [
    "stripe.net-revenue",
    "ledgerly.rsa-settle-invoice",
    "hubspot.authorize-with-pkce",
    "slack.post-to-channel",
]


def play(session: ToolSession, model: ReplayModel) -> None:
    """Drive ``session`` with ``model``'s calls, as a framework's loop would."""
    system, user = session.prompt()
    messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
    for _ in range(300):
        message = model.reply({"messages": messages})
        messages.append({"role": "assistant", **message})
        for call in message["tool_calls"]:
            function = call["function"]
            result = session.call(function["name"], function["arguments"])
            messages.append({"role": "tool", "tool_call_id": call["id"], "content": result.text})
        if session.done:
            return
    raise AssertionError("the episode did not end")


def existing(scenarios: list[str]) -> list[str]:
    from gym_apibench import scenario_ids

    known = set(scenario_ids())
    return [s for s in scenarios if s in known]


@pytest.mark.parametrize("scenario", existing(SCENARIOS))
@pytest.mark.parametrize("seed", [0, 3])
def test_the_reference_solution_through_tools_scores_one(scenario: str, seed: int) -> None:
    with ToolSession(scenario, seed, max_result_chars=10**7) as session:
        play(session, ReplayModel([(scenario, seed)]))
        assert session.submitted and session.reward == 1.0 and session.success
        assert session.result()["checks"] and all(c["passed"] for c in session.checks)


def test_a_noop_scores_zero() -> None:
    scenario = existing(SCENARIOS)[0]
    with ToolSession(scenario, 1) as session:
        play(session, ReplayModel([(scenario, 1)], solution="noop"))
        assert session.submitted and session.reward == 0.0 and not session.success


def test_malformed_calls_are_errors_recorded_and_change_nothing() -> None:
    scenario = existing(SCENARIOS)[0]
    with ToolSession(scenario, 2, tools="both") as session:
        before = session.env.unwrapped.state_hash()
        for name, arguments in [
            ("http_request", {"method": 42}),
            ("http_request", "{not json"),
            ("http_request", ["a", "list"]),
            ("no_such_tool", {}),
            ("wait", {"seconds": -1}),
            ("submit", {}),
            (session.tools[0].name, {"unknown_argument": 1}),
        ]:
            result = session.call(name, arguments)
            assert result.is_error and result.text.startswith("Error: ") and not result.done
        assert session.env.unwrapped.state_hash() == before
        assert session.steps == 0 and len(session.history) == 7
        assert all(step.error for step in session.history)
        assert session.result()["malformed"] == 7


def test_operation_tools_send_the_documented_request() -> None:
    scenario = existing(SCENARIOS)[0]
    task = task_of(scenario, 0)
    with ToolSession(scenario, 0, tools="operations") as session:
        names = {tool.name for tool in session.tools}
        assert "http_request" not in names and {"submit", "wait", "read_docs"} <= names
        listing = next(t for t in session.toolset.operations.values() if t.method == "GET")
        result = session.call(listing.name, {"headers": {}})
        assert not result.is_error and result.observation is not None
        assert session.steps == 1
    assert task["instruction"] == session.task["instruction"]


def test_the_episode_ends_at_the_step_limit() -> None:
    scenario = existing(SCENARIOS)[0]
    with ToolSession(scenario, 0, tools="http", max_episode_steps=2) as session:
        url = next(iter(session.task["services"].values()))
        session.call("http_request", {"method": "GET", "url": url})
        result = session.call("http_request", json.dumps({"method": "GET", "url": url}))
        assert result.done and session.truncated and not session.submitted
        assert session.reward == 0.0
        after = session.call("submit", {"answer": 1})
        assert after.is_error and after.done and session.reward == 0.0


def test_a_session_on_a_hosted_episode_plays_its_world_as_it_stands() -> None:
    from gym_apibench.episode import Episode

    scenario = existing(SCENARIOS)[-1]
    base = "http://127.0.0.1:9/e/some-episode"
    hosted = Episode(
        scenario, 3, base_urls={s: f"{base}/{s}" for s in task_of(scenario, 3)["services"]}
    )
    url = next(iter(hosted.task["services"].values()))
    hosted.send({"method": "GET", "url": url + "/unknown"})  # before the session: not reset away
    logged = len(hosted.world.log)
    session = ToolSession.of_episode(hosted, max_result_chars=10**7)
    assert len(hosted.world.log) == logged and session.task["services"] == hosted.task["services"]
    play(session, ReplayModel([(scenario, 3)]))
    assert session.reward == 1.0 and hosted.submitted and hosted.grade().reward == 1.0
