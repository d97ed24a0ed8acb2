"""Fixtures driving the ClickUp service in-process through the gateway."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest

from mockapis.clickup import SERVICE
from mockapis.gateway import Gateway
from mockapis.world import World
from tests.inprocess import Reply, call

BASE = "https://api.clickup.com/api/v2"
EPOCH_NS = 1_705_309_200 * 10**9  # 2024-01-15T09:00:00Z, the scenarios' default epoch
_UNSET: Any = object()


class ClickUpClient:
    """One seeded world behind a gateway; requests carry the personal token by default."""

    def __init__(self, seed: int = 0, sizes: dict[str, int] | None = None) -> None:
        self.world = World(seed, epoch_ns=EPOCH_NS)
        self.creds = SERVICE.seed(self.world, sizes or dict(SERVICE.default_sizes))
        self.token = self.creds["token"]
        self.gateway = Gateway(self.world, [SERVICE], raise_server_errors=True)
        self.tick_ns = 700_000_000
        """How far the clock moves before each request: a pace under the rate limit."""

    def request(
        self,
        method: str,
        path: str,
        params: Any = None,
        *,
        body: Any = _UNSET,
        auth: str | None = _UNSET,
        raw: bytes | None = None,
        content_type: str = "application/json",
    ) -> Reply:
        self.world.clock.now_ns += self.tick_ns
        headers = [("host", "api.clickup.com")]
        auth = self.token if auth is _UNSET else auth
        if auth is not None:
            headers.append(("authorization", auth))
        url = BASE + path
        if params:
            url += "?" + urlencode(params, doseq=True)
        data = b""
        if raw is not None or body is not _UNSET:
            data = raw if raw is not None else json.dumps(body).encode()
            headers.append(("content-type", content_type))
        return call(self.gateway, method, url, headers, data)

    def get(self, path: str, params: Any = None, **kw: Any) -> Reply:
        return self.request("GET", path, params, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Reply:
        return self.request("POST", path, body=body, **kw)


@pytest.fixture(scope="module")
def client() -> ClickUpClient:
    return ClickUpClient(0)


@pytest.fixture
def fresh() -> ClickUpClient:
    return ClickUpClient(1)
