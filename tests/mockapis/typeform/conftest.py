"""Fixtures driving the Typeform service in-process through the gateway."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest

from mockapis.gateway import Gateway
from mockapis.typeform import SERVICE
from mockapis.world import World
from tests.inprocess import Reply, call

BASE = "https://api.typeform.com"
_UNSET: Any = object()


class TypeformClient:
    """One seeded world behind a gateway; requests carry the token by default."""

    def __init__(self, seed: int = 0) -> None:
        self.world = World(seed)
        self.token = SERVICE.seed(self.world, dict(SERVICE.default_sizes))["token"]
        self.gateway = Gateway(self.world, [SERVICE], raise_server_errors=True)

    def get(self, path: str, params: Any = None, *, token: str | None = _UNSET) -> Reply:
        headers = [("host", "api.typeform.com")]
        token = self.token if token is _UNSET else token
        if token is not None:
            headers.append(("authorization", f"Bearer {token}"))
        query = urlencode(params or [], doseq=True)
        return call(self.gateway, "GET", BASE + path + (f"?{query}" if query else ""), headers)


@pytest.fixture(scope="module")
def client() -> TypeformClient:
    return TypeformClient(0)
