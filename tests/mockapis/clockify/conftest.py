"""Fixtures driving the Clockify service in-process through the gateway."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest

from mockapis.clockify import SERVICE
from mockapis.gateway import Gateway
from mockapis.tables import Record
from mockapis.world import World
from tests.inprocess import Reply, call

BASE = "https://api.clockify.me/api/v1"
EPOCH_NS = 1_705_309_200 * 10**9
_UNSET: Any = object()


class ClockifyClient:
    """One seeded world behind a gateway; requests carry the API key by default."""

    def __init__(self, seed: int = 0) -> None:
        self.world = World(seed, epoch_ns=EPOCH_NS)
        self.creds = SERVICE.seed(self.world, dict(SERVICE.default_sizes))
        self.key = self.creds["key"]
        self.gateway = Gateway(self.world, [SERVICE], raise_server_errors=True)

    @property
    def me(self) -> Record:
        return self.world.table("clockify.users")[
            self.world.table("clockify._keys")[self.key]["user_id"]
        ]

    def get(self, path: str, params: Any = None, *, key: str | None = _UNSET) -> Reply:
        headers = [("host", "api.clockify.me")]
        key = self.key if key is _UNSET else key
        if key is not None:
            headers.append(("x-api-key", key))
        url = BASE + path + ("?" + urlencode(params) if params else "")
        return call(self.gateway, "GET", url, headers)


@pytest.fixture(scope="module")
def client() -> ClockifyClient:
    return ClockifyClient(0)
