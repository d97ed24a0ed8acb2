"""Fixtures driving the Linear service in-process through the gateway."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest

from mockapis.gateway import Gateway
from mockapis.linear import SERVICE
from mockapis.world import World
from tests.inprocess import Reply, call

URL = "https://api.linear.app/graphql"
_UNSET: Any = object()


class LinearClient:
    """One seeded world behind a gateway; requests carry the raw API key by default."""

    def __init__(self, seed: int = 0, sizes: dict[str, int] | None = None) -> None:
        self.world = World(seed)
        self.creds = SERVICE.seed(self.world, {**SERVICE.default_sizes, **(sizes or {})})
        self.key = self.creds["token"]
        self.gateway = Gateway(self.world, [SERVICE], raise_server_errors=True)
        self.world.commit()

    def headers(self, key: str | None, extra: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
        found = [("host", "api.linear.app"), *extra]
        if key is not None:
            found.append(("authorization", key))
        return found

    def post(
        self,
        body: Any,
        *,
        key: str | None = _UNSET,
        content_type: str = "application/json",
        raw: bytes | None = None,
    ) -> Reply:
        key = self.key if key is _UNSET else key
        data = raw if raw is not None else json.dumps(body).encode()
        headers = self.headers(key, (("content-type", content_type),))
        return call(self.gateway, "POST", URL, headers, data)

    def get(self, params: dict[str, str], *, key: str | None = _UNSET, path: str = "") -> Reply:
        key = self.key if key is _UNSET else key
        url = (path or URL) + ("?" + urlencode(params) if params else "")
        return call(self.gateway, "GET", url, self.headers(key, ()))

    def gql(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Reply:
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        return self.post(body, **kw)

    def data(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        """The ``data`` of a query that must succeed without errors."""
        reply = self.gql(query, variables)
        assert reply.status == 200, reply.raw
        assert "errors" not in reply.json, reply.json
        return reply.json["data"]

    def rows(self, table: str) -> list[dict[str, Any]]:
        return list(self.world.table(f"linear.{table}").values())

    def identifier(self, issue: dict[str, Any]) -> str:
        return f"{self.world.table('linear.teams')[issue['teamId']]['key']}-{issue['number']}"


def error_of(reply: Reply) -> dict[str, Any]:
    """The first GraphQL error of a reply."""
    errors = reply.json["errors"]
    assert errors, reply.json
    return dict(errors[0])


@pytest.fixture(scope="module")
def client() -> LinearClient:
    """A read-mostly client shared by a module (tests that write use ``fresh``)."""
    return LinearClient(0)


@pytest.fixture
def fresh() -> LinearClient:
    return LinearClient(1, {"issues": 90, "comments": 40})
