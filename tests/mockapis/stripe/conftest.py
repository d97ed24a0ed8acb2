"""Fixtures driving the Stripe service in-process through the gateway."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest

from mockapis.gateway import Gateway
from mockapis.stripe import SERVICE
from mockapis.world import World
from tests.inprocess import Reply, call

BASE = "https://api.stripe.com"
_UNSET: Any = object()


class StripeClient:
    """One seeded world behind a gateway; requests carry the secret key by default."""

    def __init__(self, seed: int = 0, sizes: dict[str, int] | None = None) -> None:
        self.world = World(seed)
        self.creds = SERVICE.seed(self.world, sizes or dict(SERVICE.default_sizes))
        self.key = self.creds["token"]
        self.gateway = Gateway(self.world, [SERVICE], raise_server_errors=True)

    def request(
        self,
        method: str,
        path: str,
        params: Any = None,
        *,
        key: str | None = _UNSET,
        headers: tuple[tuple[str, str], ...] = (),
    ) -> Reply:
        hdrs = [("host", "api.stripe.com"), *headers]
        key = self.key if key is _UNSET else key
        if key is not None:
            hdrs.append(("authorization", f"Bearer {key}"))
        query = urlencode(params or [], doseq=True)
        body = b""
        url = BASE + path
        if method == "POST":
            body = query.encode()
            hdrs.append(("content-type", "application/x-www-form-urlencoded"))
        elif query:
            url += "?" + query
        return call(self.gateway, method, url, hdrs, body)

    def get(self, path: str, params: Any = None, **kw: Any) -> Reply:
        return self.request("GET", path, params, **kw)

    def post(self, path: str, params: Any = None, **kw: Any) -> Reply:
        return self.request("POST", path, params, **kw)


@pytest.fixture(scope="module")
def client() -> StripeClient:
    return StripeClient(0)


@pytest.fixture
def fresh() -> StripeClient:
    return StripeClient(1)
