"""Fixtures driving the Attio service in-process through the gateway."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from mockapis.attio import SERVICE
from mockapis.gateway import Gateway
from mockapis.world import World
from tests.inprocess import Reply, call

BASE = "https://api.attio.com"
_UNSET: Any = object()


class AttioClient:
    """One seeded world behind a gateway; requests carry the agent's token by default."""

    def __init__(self, seed: int, sizes: dict[str, int] | None = None) -> None:
        self.world = World(seed)
        self.creds = SERVICE.seed(self.world, sizes or dict(SERVICE.default_sizes))
        self.token = self.creds["token"]
        self.gateway = Gateway(self.world, [SERVICE], raise_server_errors=True)

    def request(
        self,
        method: str,
        path: str,
        body: Any = _UNSET,
        *,
        token: str | None = _UNSET,
        raw: bytes | None = None,
        content_type: str | None = "application/json",
        headers: tuple[tuple[str, str], ...] = (),
    ) -> Reply:
        hdrs = list(headers)
        if token is _UNSET:
            token = self.token
        if token is not None:
            hdrs.append(("authorization", f"Bearer {token}"))
        payload = b""
        if raw is not None:
            payload = raw
        elif body is not _UNSET:
            payload = json.dumps(body).encode()
        if payload and content_type:
            hdrs.append(("content-type", content_type))
        return call(self.gateway, method, BASE + path, hdrs, payload)

    def get(self, path: str, **kw: Any) -> Reply:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = _UNSET, **kw: Any) -> Reply:
        return self.request("POST", path, body, **kw)

    def query(self, obj: str, body: Any = _UNSET) -> Reply:
        return self.request("POST", f"/v2/objects/{obj}/records/query", body)

    def records(self, obj: str) -> list[dict[str, Any]]:
        return list(self.world.table(f"attio.{obj}").values())


@pytest.fixture(scope="module")
def make_client() -> Callable[..., AttioClient]:
    return AttioClient


@pytest.fixture
def client() -> AttioClient:
    return AttioClient(0)


@pytest.fixture(params=[0, 1, 7])
def seeded(request: pytest.FixtureRequest) -> AttioClient:
    return AttioClient(request.param)


def assert_error(reply: Reply, status: int, code: str | None = None) -> dict[str, Any]:
    """``reply`` is an Attio error body with ``status`` (and ``code``)."""
    assert reply.status == status, reply.raw
    body = reply.json
    assert set(body) == {"status_code", "type", "code", "message"}
    assert body["status_code"] == status
    assert body["type"] == ("auth_error" if status == 401 else "invalid_request_error")
    if code is not None:
        assert body["code"] == code, body
    assert body["message"]
    return body


def assert_unchanged(client: AttioClient, send: Callable[[], Reply]) -> Reply:
    """Run ``send``; apart from the clock's tick the world must be exactly as before."""
    world = client.world
    snap = world.snapshot()
    before = world.state_hash()
    reply = send()
    assert world.diff(snap) == {}
    assert world.snapshot().rng_state == snap.rng_state
    ticked = world.clock.now_ns
    world.clock.now_ns = snap.clock_ns
    assert world.state_hash() == before
    world.clock.now_ns = ticked
    return reply


@pytest.fixture
def unchanged() -> Callable[..., Reply]:
    return assert_unchanged


@pytest.fixture
def expect_error() -> Callable[..., dict[str, Any]]:
    return assert_error
