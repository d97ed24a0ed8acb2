"""A mocked OpenAI-compatible endpoint (served by the ``endpoint`` fixture of conftest.py).

A test sets ``endpoint.policy`` to a function of the request payload returning either a
message dict (wrapped in a completion with usage) or a ``Response`` (an error). Queued
``endpoint.failures`` (status, headers) are answered first, one per request. Every payload
received is kept in ``endpoint.requests``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

Policy = Callable[[dict[str, Any]], "dict[str, Any] | Response"]
USAGE = {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110}


@dataclass
class Endpoint:
    """The mocked model endpoint and what it has seen."""

    url: str
    policy: Policy | None = None
    failures: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    auth: list[str | None] = field(default_factory=list)

    async def handle(self, request: Request) -> Response:
        payload = json.loads(await request.body())
        self.requests.append(payload)
        self.auth.append(request.headers.get("authorization"))
        if self.failures:
            status, headers = self.failures.pop(0)
            return JSONResponse({"error": {"message": "scripted failure"}}, status, headers)
        assert self.policy is not None, "set endpoint.policy"
        result = self.policy(payload)
        if isinstance(result, Response):
            return result
        return JSONResponse(completion(result))


def completion(message: dict[str, Any] | None) -> dict[str, Any]:
    """A Chat Completions response with ``message`` as its only choice (none for ``None``)."""
    choices = (
        []
        if message is None
        else [{"index": 0, "message": {"role": "assistant", **message}, "finish_reason": "stop"}]
    )
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": "mock",
        "choices": choices,
        "usage": USAGE,
    }


def tool_call(name: str, arguments: Any, call_id: str = "call_1") -> dict[str, Any]:
    """An assistant message calling ``name`` (``arguments``: an object, or raw text)."""
    text = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return {
        "content": None,
        "tool_calls": [
            {"id": call_id, "type": "function", "function": {"name": name, "arguments": text}}
        ],
    }


def code_reply(program: str) -> dict[str, Any]:
    """An assistant message answering with ``program`` in API-Bench tags."""
    return {"content": f"Here is the program.\n<<CODE>>\n{program}\n<</CODE>>"}


def tool_results(payload: dict[str, Any]) -> list[str]:
    """The contents of the tool results sent so far."""
    return [m["content"] for m in payload["messages"] if m["role"] == "tool"]


def instruction(payload: dict[str, Any]) -> str:
    """The task message (the first user message)."""
    return next(m["content"] for m in payload["messages"] if m["role"] == "user")


def base_url(payload: dict[str, Any], service: str) -> str:
    """``service``'s base URL as the system prompt gives it."""
    system = payload["messages"][0]["content"]
    match = re.search(rf"^- {service}: (\S+)$", system, re.MULTILINE)
    assert match, system
    return match.group(1)


def json_body(result: str) -> Any:
    """The JSON body of a rendered tool result (after the blank line under the headers)."""
    return json.loads(result.split("\n\n", 1)[1])


def play(agent: Any, scenario: str, seed: int, max_steps: int = 50) -> tuple[dict[str, Any], int]:
    """Run ``agent`` for one episode of ``scenario``; the last info and the steps taken."""
    import gymnasium as gym

    import gym_apibench

    env = gym.make(gym_apibench.gym_id(scenario))
    observation, info = env.reset(seed=seed)
    agent.reset(info["task"], seed=seed)
    steps = 0
    try:
        while steps < max_steps:
            observation, _, terminated, truncated, info = env.step(agent.act(observation))
            steps += 1
            if terminated or truncated:
                break
    finally:
        env.close()
    return info, steps


def first_answer(agent: Any, scenario: str = "brewery.count-in-state", seed: int = 0) -> Any:
    """What ``agent`` submits first on ``scenario`` (a program making no request: its answer)."""
    import gymnasium as gym

    import gym_apibench

    env = gym.make(gym_apibench.gym_id(scenario))
    observation, info = env.reset(seed=seed)
    agent.reset(info["task"], seed=seed)
    action = agent.act(observation)
    env.close()
    return action["submit"]


def read_results(out: Any) -> list[dict[str, Any]]:
    """The lines of ``out/results.jsonl``."""
    lines = (out / "results.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines if line.strip()]
