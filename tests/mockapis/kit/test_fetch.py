"""kit.fetch: a service reading another service's URL in process, within the same episode."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.gateway import Gateway
from mockapis.kit import ApiError, JSONResponse
from mockapis.kit.fetch import MAX_HOPS, fetch
from mockapis.service import Service
from mockapis.world import World
from tests.conftest import FAKE_HOST, Send, make_fake_service, send_to


async def via(request: Request) -> Response:
    """GET /via?url=...: what fetching the URL gave (None as 502), passing Authorization on."""
    headers = {"authorization": request.headers.get("authorization", "")}
    try:
        got = await fetch(
            request.scope, request.query_params["url"], origin="proxy", headers=headers
        )
    except ValueError as exc:
        raise ApiError(400, str(exc), code="bad_url") from None
    if got is None:
        raise ApiError(502, "unreachable", code="unreachable")
    return JSONResponse({"status": got.status, "type": got.content_type, "body": got.body.decode()})


@pytest.fixture
def proxy_send(world: World, fake_service: Service) -> Send:
    proxy = make_fake_service("proxy", [Route("/via", via, methods=["GET"])])
    return send_to(Gateway(world, [fake_service, proxy]))


def test_fetches_through_the_other_service_in_the_same_world(
    proxy_send: Send, auth: dict[str, str], world: World
) -> None:
    reply = proxy_send(
        "GET", f"http://api.proxy.test/via?url=https://{FAKE_HOST}/v1/things/thing_1", headers=auth
    )
    assert reply.status == 200
    assert reply.json["status"] == 200 and reply.json["type"] == "application/json"
    assert '"thing number 0"' in reply.json["body"]
    # The fetch is logged first (it ends first), with the fetching service as its origin.
    assert [(e.service, e.origin) for e in world.log] == [("fake", "proxy"), ("proxy", "")]


def test_the_target_applies_its_own_rules(proxy_send: Send) -> None:
    reply = proxy_send(
        "GET", f"http://api.proxy.test/via?url=https://{FAKE_HOST}/v1/things/thing_1"
    )
    assert reply.status == 200 and reply.json["status"] == 401


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("https://api.elsewhere.test/x", 502),  # no service of the episode: unreachable
        ("ftp://api.fake.test/x", 400),
        ("/v1/things", 400),
    ],
)
def test_unreachable_and_bad_urls(proxy_send: Send, url: str, status: int) -> None:
    assert proxy_send("GET", f"http://api.proxy.test/via?url={url}").status == status


def _nested(depth: int) -> str:
    """A proxy URL fetching itself ``depth`` times before the thing."""
    url = f"https://{FAKE_HOST}/v1/things/thing_1"
    for _ in range(depth):
        url = "http://api.proxy.test/via?url=" + quote(url, safe="")
    return url


def test_fetches_nest_up_to_the_limit_and_loops_are_cut(proxy_send: Send) -> None:
    # The outer request is the agent's; the fetches it causes are the hops.
    deep_enough = proxy_send("GET", _nested(MAX_HOPS))
    assert deep_enough.status == 200 and "nest more than" not in deep_enough.raw.decode()
    too_deep = proxy_send("GET", _nested(MAX_HOPS + 1))
    assert "nest more than" in too_deep.raw.decode()
