"""The gateway: routing by host and prefix, transactions per request, log, clock, control plane."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Message

from mockapis.clock import REQUEST_TICK_NS
from mockapis.gateway import Gateway
from mockapis.kit import JSONResponse
from mockapis.service import Service
from mockapis.world import LogEntry, World
from tests.conftest import FAKE_HOST, FAKE_SPEC, THINGS, Send, make_fake_service, send_to

HOST_URL = f"https://{FAKE_HOST}"
PREFIX_URL = "http://127.0.0.1:8000/fake"


# -- routing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("base", [HOST_URL, PREFIX_URL])
def test_routes_by_host_or_by_prefix(send: Send, auth, base: str) -> None:
    reply = send("GET", f"{base}/v1/things", headers=auth)
    assert reply.status == 200
    assert [t["id"] for t in reply.json["data"]] == ["thing_1", "thing_2", "thing_3"]


@pytest.mark.parametrize("host", ["API.Fake.Test", "api.fake.test:8443", "Api.FAKE.test:443"])
def test_host_match_ignores_port_and_case(send: Send, auth, host: str) -> None:
    reply = send("GET", "http://127.0.0.1/v1/things", headers={**auth, "Host": host})
    assert reply.status == 200


def test_host_routing_wins_over_a_path_that_looks_like_a_prefix(send: Send, auth) -> None:
    reply = send("GET", f"{HOST_URL}/fake/v1/things", headers=auth)
    assert reply.status == 404
    assert reply.json["error"]["code"] == "not_found"  # the service's own error format


def test_urls_built_by_the_app_keep_the_prefix(send: Send, auth) -> None:
    seen = send("GET", f"{PREFIX_URL}/v1/whoami?x=1", headers=auth).json
    assert seen == {
        "url": f"{PREFIX_URL}/v1/whoami?x=1",
        "base_url": f"{PREFIX_URL}/",
        "thing_url": f"{PREFIX_URL}/v1/things/thing_1",
    }


def test_urls_built_by_the_app_under_a_host_have_no_prefix(send: Send, auth) -> None:
    seen = send("GET", f"{HOST_URL}/v1/whoami", headers=auth).json
    assert seen["url"] == f"{HOST_URL}/v1/whoami"
    assert seen["thing_url"] == f"{HOST_URL}/v1/things/thing_1"


def test_link_headers_under_a_prefix_point_back_to_the_prefix(send: Send, auth) -> None:
    reply = send("GET", f"{PREFIX_URL}/v1/things?per_page=1&page=2", headers=auth)
    assert reply.headers["link"].startswith(f"<{PREFIX_URL}/v1/things?per_page=1&page=1>;")


def test_docs_route_serves_the_spec_under_the_prefix(send: Send) -> None:
    reply = send("GET", f"{PREFIX_URL}/openapi.yaml")
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("application/yaml")
    assert reply.raw.decode() == FAKE_SPEC.read_text(encoding="utf-8")


def test_unknown_host_is_a_404_listing_known_hosts_and_prefixes(world: World, fake_service) -> None:
    other = Service(
        name="other",
        hosts=("api.other.test",),
        routes=[],
        spec=str(FAKE_SPEC),
        render_error=fake_service.render_error,
        seed=fake_service.seed,
    )
    send = send_to(Gateway(world, [fake_service, other]))
    reply = send("GET", "https://api.nowhere.test/v1/things")
    assert reply.status == 404
    assert reply.headers["content-type"] == "application/json"
    body = reply.json
    assert body["error"] == "unknown_host"
    assert "'api.nowhere.test'" in body["message"] and "'/v1/things'" in body["message"]
    assert "Known hosts: api.fake.test, api.other.test" in body["message"]
    assert "/fake/..., /other/..." in body["message"]
    assert world.log == []  # not a request to any service


def test_unknown_prefix_under_an_unknown_host_is_a_404(send: Send) -> None:
    assert send("GET", "http://127.0.0.1:8000/nope/v1/things").status == 404
    assert send("GET", "http://127.0.0.1:8000/fakeX/v1/things").status == 404


def test_service_routing_errors_use_the_service_format(send: Send, auth) -> None:
    missing = send("GET", f"{PREFIX_URL}/v1/nothing", headers=auth)
    assert missing.status == 404
    assert missing.json["error"]["message"] == (
        "No route matches GET /fake/v1/nothing. The operations are listed in /fake/openapi.yaml."
    )
    wrong = send("DELETE", f"{HOST_URL}/v1/things", headers=auth)
    assert wrong.status == 405
    assert wrong.json["error"]["code"] == "method_not_allowed"
    # The fake splits GET and POST over two routes: Allow lists both.
    assert {"GET", "POST"} <= set(wrong.headers["allow"].split(", "))


def test_a_service_error_responder_renders_routing_errors_too(world: World) -> None:
    from starlette.responses import PlainTextResponse

    def plain(exc: Any, request: Request) -> Response:
        return PlainTextResponse(
            f"{exc.code} at {request.url.path}", exc.status, headers=exc.headers
        )

    base = make_fake_service()
    service = Service(
        name="plain",
        hosts=("api.plain.test",),
        routes=base.routes,
        spec=base.spec,
        render_error=base.render_error,
        seed=base.seed,
        error_response=plain,
    )
    send = send_to(Gateway(world, [service]))
    assert send("GET", "https://api.plain.test/nowhere").raw == b"not_found at /nowhere"
    wrong = send("DELETE", "https://api.plain.test/v1/things")
    assert (wrong.status, wrong.raw) == (405, b"method_not_allowed at /v1/things")
    assert "GET" in wrong.headers["allow"]


def test_a_prefix_without_a_trailing_slash_is_the_service_root(world: World) -> None:
    async def root(request: Request) -> Response:
        return JSONResponse(
            {"path": request.scope["path"], "raw": request.scope["raw_path"].decode()}
        )

    service = make_fake_service("rooted", [Route("/", root, methods=["GET"])])
    send = send_to(Gateway(world, [service]))
    for url in ("http://127.0.0.1:8000/rooted", "http://127.0.0.1:8000/rooted/"):
        reply = send("GET", url)
        assert reply.status == 200, url
        assert reply.json["raw"] == url.removeprefix("http://127.0.0.1:8000")  # as sent


# -- transactions ----------------------------------------------------------------------------


def _state(world: World) -> tuple[Any, ...]:
    """Everything a rollback must restore (the clock moves on regardless)."""
    return (world.snapshot().tables, world.snapshot().counters, world.rng.getstate())


def test_a_success_commits(send: Send, auth, world: World) -> None:
    before = world.snapshot()
    reply = send("POST", f"{HOST_URL}/v1/things", headers=auth, json_body={"name": "new"})
    assert reply.status == 201
    assert reply.json["id"] == "thing_4"
    assert list(world.diff(before)[THINGS].added) == ["thing_4"]


def test_a_4xx_response_rolls_back_writes_draws_and_counters(send: Send, auth, world) -> None:
    state = _state(world)
    before = world.snapshot()
    reply = send(
        "POST", f"{HOST_URL}/v1/things", headers=auth, json_body={"name": "x", "then": "fail"}
    )
    assert reply.status == 409
    assert world.diff(before) == {}
    assert _state(world) == state
    # The next success gets the id the failed request had drawn.
    assert (
        send("POST", f"{HOST_URL}/v1/things", headers=auth, json_body={"name": "y"}).json["id"]
        == "thing_4"
    )


def test_a_refusal_that_keeps_its_writes_commits_them(world: World) -> None:
    """A server may commit while refusing (a reused refresh token revokes its family)."""

    async def refuse(request: Request) -> Response:
        world = request.scope["world"]
        world.table("keeper.audit").put("attempt", {"refused": True})
        world.keep()
        return JSONResponse({"error": "invalid_grant"}, 400)

    send = send_to(Gateway(world, [make_fake_service("keeper", [Route("/x", refuse)])]))
    assert send("GET", "http://127.0.0.1/keeper/x").status == 400
    assert world.table("keeper.audit")["attempt"] == {"refused": True}
    # The next request starts a transaction of its own: it is not kept.
    world.begin()
    assert not world.keeping


def test_a_client_clock_service_dates_its_responses_by_the_episode_clock(world: World) -> None:
    from dataclasses import replace

    from mockapis.kit.ratelimit import http_date

    async def dated(request: Request) -> Response:
        return Response("ok", headers={"Date": "Mon, 01 Jan 1990 00:00:00 GMT"})

    service = replace(make_fake_service("dated", [Route("/x", dated)]), client_clock=True)
    send = send_to(Gateway(world, [service]))
    reply = send("GET", "http://127.0.0.1/dated/x")
    assert reply.headers["date"] == http_date(world.clock.now_ns)  # not the handler's
    assert reply.raw.count(b"ok") == 1
    missing = send("GET", "http://127.0.0.1/dated/nowhere")  # errors are dated too
    assert missing.status == 404
    assert missing.headers["date"] == http_date(world.clock.now_ns)


def test_an_exception_rolls_back_and_gives_a_500(send: Send, auth, world, caplog) -> None:
    state = _state(world)
    with caplog.at_level(logging.ERROR, logger="mockapis.gateway"):
        reply = send(
            "POST", f"{HOST_URL}/v1/things", headers=auth, json_body={"name": "x", "then": "crash"}
        )
    assert reply.status == 500
    assert _state(world) == state
    assert "server error in fake on POST /v1/things" in caplog.text
    assert world.log[-1].status == 500


def test_an_exception_before_any_response_gets_the_gateways_json_500(world: World) -> None:
    async def crashing_app(scope: Any, receive: Any, send: Any) -> None:
        scope["world"].table("raw.t").put("a", {})
        raise ValueError("bug")

    service = make_fake_service("raw")
    service.__dict__["app"] = crashing_app  # fills the cached_property: a bare ASGI app
    send = send_to(Gateway(world, [service]))
    reply = send("GET", "http://127.0.0.1/raw/anything")
    assert reply.status == 500
    assert reply.headers["content-type"] == "application/json"
    assert reply.json == {"error": "internal server error"}
    assert len(world.table("raw.t")) == 0
    assert world.log[-1] == LogEntry(world.clock.now_ns, "raw", "GET", "/anything", 500)


def test_raise_server_errors_reraises_after_rolling_back(
    world: World, fake_service, credentials
) -> None:
    send = send_to(Gateway(world, [fake_service], raise_server_errors=True))
    state = _state(world)
    with pytest.raises(RuntimeError, match="asked to crash"):
        send(
            "POST",
            f"{HOST_URL}/v1/things",
            headers={"Authorization": f"Bearer {credentials['token']}"},
            json_body={"name": "x", "then": "crash"},
        )
    assert _state(world) == state


# -- request log and clock -------------------------------------------------------------------


def test_each_request_is_logged_with_the_service_relative_path(send: Send, auth, world) -> None:
    start = world.clock.now_ns
    send("GET", f"{HOST_URL}/v1/things", headers=auth)
    send("GET", f"{PREFIX_URL}/v1/things/thing_9", headers=auth)
    send("POST", f"{PREFIX_URL}/v1/things", headers=auth, json_body={"name": "z"})
    send("GET", f"{PREFIX_URL}/v1/things")  # no credentials
    assert world.log == [
        LogEntry(start + 1 * REQUEST_TICK_NS, "fake", "GET", "/v1/things", 200),
        LogEntry(start + 2 * REQUEST_TICK_NS, "fake", "GET", "/v1/things/thing_9", 404),
        LogEntry(start + 3 * REQUEST_TICK_NS, "fake", "POST", "/v1/things", 201),
        LogEntry(start + 4 * REQUEST_TICK_NS, "fake", "GET", "/v1/things", 401),
    ]


def test_the_clock_ticks_before_the_handler_runs(send: Send, auth, world: World) -> None:
    start = world.clock.now_ns
    thing = send("POST", f"{HOST_URL}/v1/things", headers=auth, json_body={"name": "t"}).json
    assert world.clock.now_ns == start + REQUEST_TICK_NS
    assert thing["created_at"] == world.clock.isoformat()


def test_a_failed_request_still_takes_time(send: Send, world: World) -> None:
    start = world.clock.now_ns
    assert send("GET", f"{HOST_URL}/v1/things").status == 401
    assert world.clock.now_ns == start + REQUEST_TICK_NS


# -- lifespan --------------------------------------------------------------------------------


def test_lifespan_startup_and_shutdown_complete(gateway: Gateway) -> None:
    incoming: list[Message] = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[str] = []

    async def receive() -> Message:
        return incoming.pop(0)

    async def send(message: Message) -> None:
        sent.append(message["type"])

    asyncio.run(gateway({"type": "lifespan"}, receive, send))
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
