"""Fixtures driving the GitHub service in-process through the gateway."""

from __future__ import annotations

from typing import Any

import pytest

from mockapis.gateway import Gateway
from mockapis.github import SERVICE
from mockapis.world import World
from tests.inprocess import Reply, call

BASE = "https://api.github.com"
_UNSET: Any = object()


class GitHubClient:
    """One seeded world behind a gateway; requests carry the token and a User-Agent."""

    def __init__(self, seed: int) -> None:
        self.world = World(seed)
        self.token = SERVICE.seed(self.world, dict(SERVICE.default_sizes))["token"]
        self.login = self.world.table("github._tokens")[self.token]["login"]
        self.gateway = Gateway(self.world, [SERVICE], raise_server_errors=True)

    def get(
        self,
        url: str,
        *,
        token: str | None = _UNSET,
        agent: str | None = "tests",
        headers: tuple[tuple[str, str], ...] = (),
    ) -> Reply:
        hdrs = list(headers)
        if token is _UNSET:
            token = self.token
        if token is not None:
            hdrs.append(("authorization", f"Bearer {token}"))
        if agent is not None:
            hdrs.append(("user-agent", agent))
        full = url if url.startswith("http") else BASE + url
        return call(self.gateway, "GET", full, hdrs)


@pytest.fixture
def client() -> GitHubClient:
    return GitHubClient(0)


@pytest.fixture(params=[0, 3])
def seeded(request: pytest.FixtureRequest) -> GitHubClient:
    return GitHubClient(request.param)
