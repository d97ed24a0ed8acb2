"""No side doors (issue 17): a service's in-process fetch of another service's URL (the
reader, Responses' ``input_file.file_url``) takes the gateway path and only reads.

The probe of the issue: ``GET https://r.jina.ai/https://slack.com/api/chat.postMessage?token=
...&channel=...&text=...`` posted a message the grader counted, past an ``outage`` on Slack
and the request log.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import urlencode

import gymnasium as gym
import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Message

import gym_apibench
from gym_apibench.env import ApiBenchEnv
from mockapis.asgi import body_receiver, build_scope
from mockapis.clock import REQUEST_TICK_NS, WallClock
from mockapis.faults import FaultLayer, load_rules
from mockapis.gateway import Gateway
from mockapis.kit import JSONResponse
from mockapis.kit.fetch import fetch
from mockapis.world import ReadOnlyError, World
from tests.conftest import FAKE_HOST, make_fake_service, send_to
from tests.mockapis.test_get_side_doors import state

SLACK_OUTAGE = {
    "name": "slack-down",
    "kind": "outage",
    "where": {"service": "slack"},
    "when": {"window": [0, 3600]},
}


def make_env(scenario_id: str, faults: list[dict[str, Any]] | None = None) -> ApiBenchEnv:
    env = gym.make(gym_apibench.gym_id(scenario_id), faults=faults, max_episode_steps=-1)
    unwrapped: ApiBenchEnv = env.unwrapped  # type: ignore[assignment]
    return unwrapped


def post_message_url(task: dict[str, Any], *, with_token: bool = True) -> str:
    """chat.postMessage as a URL alone: every argument, the token too, in the query."""
    args = {"channel": "general", "text": "posted through a side door"}
    if with_token:
        args = {"token": task["credentials"]["slack"]["token"], **args}
    return f"{task['services']['slack']}/api/chat.postMessage?{urlencode(args)}"


def read(env: ApiBenchEnv, url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The reader reads ``url``: the observation and the info."""
    obs, _, _, _, info = env.step({"method": "GET", "url": f"{env_reader(env)}/{url}"})
    return obs, info


def env_reader(env: ApiBenchEnv) -> str:
    return str(env.episode.task["services"]["reader"])


def test_the_slack_url_posts_when_the_agent_sends_it_with_its_token_in_the_header() -> None:
    # The control: the URL is a working write, so the tests below could fail.
    env = make_env("documents.filing-to-slack")
    _, info = env.reset(seed=0)
    task = info["task"]
    token = task["credentials"]["slack"]["token"]
    before = env.episode.world.snapshot()
    obs, *_ = env.step(
        {
            "method": "GET",
            "url": post_message_url(task, with_token=False),
            "headers": {"Authorization": f"Bearer {token}"},
        }
    )
    assert '"ok":true' in obs["body"].replace(" ", "")
    assert "slack.messages" in env.episode.world.diff(before)


def test_a_slack_token_in_the_query_string_is_invalid_auth_for_the_agent_too() -> None:
    env = make_env("documents.filing-to-slack")
    _, info = env.reset(seed=0)
    before = state(env.episode.world)
    obs, *_ = env.step({"method": "GET", "url": post_message_url(info["task"])})
    assert obs["status"] == 200
    assert obs["body"].replace(" ", "") == '{"ok":false,"error":"invalid_auth"}'
    assert state(env.episode.world) == before


def test_the_reader_cannot_post_to_slack_and_its_fetch_is_logged() -> None:
    env = make_env("documents.filing-to-slack")
    _, info = env.reset(seed=0)
    world = env.episode.world
    before, logged, began = state(world), len(world.log), world.clock.now_ns
    obs, info = read(env, post_message_url(info["task"]))
    assert obs["status"] == 200 and "invalid_auth" in obs["body"]
    assert world.clock.now_ns == began + 2 * REQUEST_TICK_NS  # the fetch ticked it too
    assert state(world) == before
    fetched, own = world.log[logged:]
    assert (fetched.service, fetched.method, fetched.path, fetched.origin) == (
        "slack",
        "GET",
        "/api/chat.postMessage",
        "reader",
    )
    assert (own.service, own.origin) == ("reader", "")
    assert info["faults"] == []


def test_an_outage_on_slack_faults_the_readers_fetch_and_shows_in_info() -> None:
    env = make_env("documents.filing-to-slack", faults=[SLACK_OUTAGE])
    _, info = env.reset(seed=0)
    world = env.episode.world
    before, logged = state(world), len(world.log)
    obs, info = read(env, post_message_url(info["task"]))
    assert "Target URL returned error 503" in obs["body"]
    assert state(world) == before
    assert info["faults"] == [
        {"step": 1, "rule": "slack-down", "kind": "outage", "origin": "reader"}
    ]
    fetched = world.log[logged]
    assert (fetched.status, fetched.origin) == (503, "reader")
    assert fetched.faults == (("slack-down", "outage"),)


def test_a_transport_fault_on_the_target_is_the_readers_422() -> None:
    reset = {"name": "slack-reset", "kind": "connection_reset", "where": {"service": "slack"}}
    env = make_env("documents.filing-to-slack", faults=[reset])
    _, info = env.reset(seed=0)
    world = env.episode.world
    before = state(world)
    obs, info = read(env, post_message_url(info["task"]))
    assert obs["status"] == 422 and "net::ERR_CONNECTION_RESET" in obs["body"]
    assert info["faults"] == [
        {"step": 1, "rule": "slack-reset", "kind": "connection_reset", "origin": "reader"}
    ]
    assert state(world) == before
    assert [(e.service, e.status, e.origin) for e in world.log] == [
        ("slack", 0, "reader"),
        ("reader", 422, ""),
    ]


def _file_url_response(env: ApiBenchEnv, url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    task = env.episode.task
    content = [
        {"type": "input_text", "text": "What does this file say?"},
        {"type": "input_file", "file_url": url},
    ]
    obs, _, _, _, info = env.step(
        {
            "method": "POST",
            "url": task["services"]["openai"] + "/v1/responses",
            "headers": {"Authorization": f"Bearer {task['credentials']['openai']['token']}"},
            "json": {"model": "gpt-4.1", "input": [{"role": "user", "content": content}]},
        }
    )
    return obs, info


@pytest.mark.parametrize("outage", [False, True])
def test_responses_file_url_cannot_post_to_slack(outage: bool) -> None:
    env = make_env("enrichment.filing-to-slack", faults=[SLACK_OUTAGE] if outage else None)
    _, info = env.reset(seed=0)
    world = env.episode.world
    before, logged = world.snapshot(), len(world.log)
    obs, info = _file_url_response(env, post_message_url(info["task"]))
    changed = world.diff(before)
    assert not [name for name in changed if name.startswith("slack.")], changed
    fetched = world.log[logged]
    assert (fetched.service, fetched.path, fetched.origin) == (
        "slack",
        "/api/chat.postMessage",
        "openai",
    )
    if outage:
        assert obs["status"] == 400 and "HTTP 503" in obs["body"]
        assert info["faults"] == [
            {"step": 1, "rule": "slack-down", "kind": "outage", "origin": "openai"}
        ]
        assert not changed  # the failed POST rolled back, and the fetch wrote nothing
    else:
        assert fetched.status == 200 and info["faults"] == []


# -- the guard: a fetch that tries to write ---------------------------------------------------


async def writing_get(request: Request) -> Response:
    """A GET that writes (what no route may do), draws and takes an id."""
    world: World = request.scope["world"]
    world.rng.random()
    world.next_id("fake.sequence")
    world.table("fake.things").put("thing_new", {"id": "thing_new"})
    return JSONResponse({"wrote": True})


async def proxy(request: Request) -> Response:
    """Writes a row of its own, then fetches ``?url=`` and says what came back."""
    world: World = request.scope["world"]
    world.table("proxy.rows").put("mine", {"id": "mine"})
    got = await fetch(request.scope, request.query_params["url"], origin="proxy")
    assert got is not None
    return JSONResponse({"status": got.status, "draw": world.rng.random()})


async def fetch_status(request: Request) -> Response:
    """Fetches ``?url=`` and says what status came back."""
    got = await fetch(request.scope, request.query_params["url"], origin="proxy")
    assert got is not None
    return JSONResponse({"status": got.status})


def _gateway(world: World, *, raise_server_errors: bool) -> Gateway:
    target = make_fake_service("fake", [Route("/v1/write", writing_get, methods=["GET"])])
    via = make_fake_service("proxy", [Route("/via", proxy, methods=["GET"])])
    return Gateway(world, [target, via], raise_server_errors=raise_server_errors)


def test_a_write_in_a_fetched_get_is_refused_before_it_happens() -> None:
    world = World(seed=3)
    send = send_to(_gateway(world, raise_server_errors=False))
    expected_draw = World(seed=3).rng.random()  # the fetch's draw is undone
    reply = send("GET", f"http://api.proxy.test/via?url=https://{FAKE_HOST}/v1/write")
    assert reply.status == 200 and reply.json == {"status": 500, "draw": expected_draw}
    assert "thing_new" not in world.table("fake.things")
    assert world.snapshot().counters == {}
    assert "mine" in world.table("proxy.rows")  # the caller's own write commits as usual
    assert [(e.service, e.status, e.origin) for e in world.log] == [
        ("fake", 500, "proxy"),
        ("proxy", 200, ""),
    ]


def test_a_write_in_a_fetched_get_raises_where_server_errors_raise() -> None:
    world = World()
    send = send_to(_gateway(world, raise_server_errors=True))
    with pytest.raises(ReadOnlyError, match="fetches only read"):
        send("GET", f"http://api.proxy.test/via?url=https://{FAKE_HOST}/v1/write")
    assert "mine" not in world.table("proxy.rows")  # the caller's request rolled back
    assert "thing_new" not in world.table("fake.things")


def test_a_latency_fault_on_a_fetch_really_waits_in_served_mode() -> None:
    # Served real-time worlds sleep for latency; the fetch awaits the gateway, so it can.
    world = World(clock=WallClock(1_700_000_000 * 10**9))
    slow = {"name": "slow", "kind": "latency", "where": {"path": "/v1/*"}}
    slow["params"] = {"seconds": 0.01}
    target = make_fake_service("fake", [Route("/v1/write", writing_get, methods=["GET"])])
    via = make_fake_service("proxy", [Route("/via", fetch_status, methods=["GET"])])
    gateway = Gateway(world, [target, via], faults=FaultLayer(load_rules([slow])))
    scope = build_scope("GET", f"http://api.proxy.test/via?url=https://{FAKE_HOST}/v1/nothing")
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(gateway(scope, body_receiver(b""), send))
    assert sent[0]["status"] == 200 and json.loads(sent[1]["body"]) == {"status": 404}
    assert [(e.service, e.faults, e.origin) for e in world.log] == [
        ("fake", (("slow", "latency"),), "proxy"),
        ("proxy", (), ""),
    ]


def test_the_same_get_sent_by_the_agent_writes() -> None:
    # The control for the two above: the route does write outside a fetch.
    world = World()
    send = send_to(_gateway(world, raise_server_errors=True))
    assert send("GET", f"https://{FAKE_HOST}/v1/write").status == 200
    assert "thing_new" in world.table("fake.things")
