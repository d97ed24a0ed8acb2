"""A scripted tool-calling model for the framework adapters' tests: no live model here.

:class:`ReplayModel` is the policy of an OpenAI-compatible Chat Completions endpoint
(:func:`serve_model` serves one on loopback) that plays a scenario's reference solution (or
its naive one, or nothing: ``noop`` submits null at once) through the tools the adapters
offer: each request of the solution becomes an ``http_request`` call, a wait a ``wait``
call, the end a ``submit``. It reads what a model would: the task from the conversation
(the instruction names the episode among those it was given; base URLs and credentials come
from the system prompt, so it works in process and served alike), and each tool result's
text as the observation the solution reacts to. So a run that scores 1 proves the adapter
carried every request, response, fault and the answer faithfully.

``malformed=N`` makes the model open with N calls whose arguments break the tool's schema,
which the adapter must answer with an error and survive.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import gymnasium as gym
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import gym_apibench
from gym_apibench.agents.oracle import OracleAgent

__all__ = ["ReplayModel", "observation_of", "serve_app", "serve_model", "task_of"]

USAGE = {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110}


def task_of(scenario: str, seed: int) -> dict[str, Any]:
    """The task of ``scenario`` at ``seed`` (as ``env.reset`` gives it in process)."""
    env = gym.make(gym_apibench.gym_id(scenario))
    try:
        _, info = env.reset(seed=seed)
        return dict(info["task"])
    finally:
        env.close()


def observation_of(text: str) -> dict[str, Any]:
    """The observation a rendered tool result shows (``HTTP 200``, headers, blank, body)."""
    head, _, body = text.partition("\n\n")
    lines = head.splitlines()
    match = re.match(r"HTTP (\d+)$", lines[0]) if lines else None
    if match is None:  # no HTTP response: a transport error or an invalid request
        return {"status": 0, "headers": {}, "body": body}
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return {"status": int(match.group(1)), "headers": headers, "body": body}


def _prompt_services(system: str) -> dict[str, str]:
    return dict(re.findall(r"^- ([\w.-]+): (\S+)$", system, re.MULTILINE))


def _prompt_credentials(system: str) -> dict[str, Any]:
    text = system.split("Credentials, by service:\n", 1)[1]
    return json.JSONDecoder().raw_decode(text)[0]  # type: ignore[no-any-return]


@dataclass
class _Conversation:
    agent: OracleAgent | None
    malformed_left: int = 0


@dataclass
class ReplayModel:
    """Plays ``solution`` (``reference``, ``naive`` or ``noop``) of the given episodes."""

    episodes: Iterable[tuple[str, int]]
    solution: str = "reference"
    malformed: int = 0
    requests: list[dict[str, Any]] = field(default_factory=list)
    _tasks: dict[str, dict[str, Any]] = field(default_factory=dict)
    _conversations: dict[str, _Conversation] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        for scenario, seed in self.episodes:
            task = task_of(scenario, seed)
            self._tasks[task["instruction"]] = {**task, "seed": seed}

    def reply(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """The assistant message answering ``payload`` (a Chat Completions request)."""
        with self._lock:
            self.requests.append(dict(payload))
            return self._reply(payload["messages"])

    def _reply(self, messages: list[Mapping[str, Any]]) -> dict[str, Any]:
        system = next((m["content"] for m in messages if m["role"] == "system"), "")
        user = next(m["content"] for m in messages if m["role"] == "user")
        instruction = _text(user)
        key = next((i for i in self._tasks if i in instruction), None)
        assert key is not None, f"no episode of this model has the instruction {instruction!r}"
        results = [_text(m["content"]) for m in messages if m["role"] == "tool"]
        conversation = self._conversations.get(key)
        if conversation is None or not results:
            conversation = self._start(key, _text(system))
            self._conversations[key] = conversation
        if conversation.malformed_left:
            conversation.malformed_left -= 1
            return _call("http_request", {"method": 42, "nope": True})
        if conversation.agent is None:
            return _call("submit", {"answer": None})
        # The solution's first action ignores its observation; each later one reacts to the
        # result of the call before.
        last = observation_of(results[-1]) if results else {"status": 0, "headers": {}, "body": ""}
        action = conversation.agent.act(last)
        if "submit" in action:
            return _call("submit", {"answer": action["submit"]})
        if "wait" in action:
            return _call("wait", {"seconds": action["wait"]})
        return _call("http_request", {k: v for k, v in action.items() if v is not None})

    def _start(self, key: str, system: str) -> _Conversation:
        task = dict(self._tasks[key])
        seed = task.pop("seed")
        if system:
            task["services"] = {**task["services"], **_prompt_services(system)}
            task["credentials"] = _prompt_credentials(system)
        if self.solution == "noop":
            return _Conversation(None, malformed_left=self.malformed)
        agent = OracleAgent(naive=self.solution == "naive")
        agent.reset(task, seed=seed)
        return _Conversation(agent, malformed_left=self.malformed)

    async def handle(self, request: Request) -> Response:
        payload = json.loads(await request.body())
        message = self.reply(payload)
        head = {
            "id": f"chatcmpl-{len(self.requests)}",
            "created": 0,
            "model": payload.get("model", "replay"),
        }
        if payload.get("stream"):  # verifiers' chat loop streams
            return Response(_events(head, message), media_type="text/event-stream")
        return JSONResponse(
            {
                **head,
                "object": "chat.completion",
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", **message},
                        "finish_reason": "tool_calls",
                    }
                ],
                "usage": USAGE,
            }
        )


def _events(head: Mapping[str, Any], message: Mapping[str, Any]) -> str:
    """``message`` as Chat Completions server-sent events: the message's delta, the finish,
    the usage, ``[DONE]``."""
    calls = [{"index": i, **call} for i, call in enumerate(message["tool_calls"])]
    delta = {"role": "assistant", "content": None, "tool_calls": calls}
    chunks = [
        {"choices": [{"index": 0, "delta": delta, "finish_reason": None}]},
        {"choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]},
        {"choices": [], "usage": USAGE},
    ]
    events = [{**head, "object": "chat.completion.chunk", **chunk} for chunk in chunks]
    return "".join(f"data: {json.dumps(event)}\n\n" for event in events) + "data: [DONE]\n\n"


def _text(content: Any) -> str:
    """A message's text (a string, or a list of content parts)."""
    if isinstance(content, str):
        return content
    return "".join(p.get("text", "") for p in content or [] if isinstance(p, Mapping))


_calls = iter(range(1, 1 << 62))


def _call(name: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "content": None,
        "tool_calls": [
            {
                "id": f"call_{next(_calls)}",
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(arguments)},
            }
        ],
    }


@contextmanager
def serve_app(app: Any, *, lifespan: str = "auto") -> Iterator[str]:
    """Serve the ASGI ``app`` on a free loopback port until the block ends; yields its origin
    (``http://127.0.0.1:PORT``)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan=lifespan))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, f"{app!r} did not start serving"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def serve_model(model: ReplayModel) -> Iterator[str]:
    """Serve ``model`` on loopback; yields its base URL (``http://127.0.0.1:PORT/v1``)."""
    app = Starlette(routes=[Route("/v1/chat/completions", model.handle, methods=["POST"])])
    with serve_app(app, lifespan="off") as origin:
        yield f"{origin}/v1"
