"""Fixtures driving the Confluence service in-process through the gateway."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

import pytest

from mockapis.confluence import SERVICE
from mockapis.gateway import Gateway
from mockapis.world import World
from tests.inprocess import Reply, call

SITE = "https://apibench.atlassian.net"
API = "/wiki/rest/api"
_UNSET: Any = object()


def basic(user: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


class ConfluenceClient:
    """One seeded world behind a gateway; requests carry the email and API token by default."""

    def __init__(self, seed: int = 0) -> None:
        self.world = World(seed)
        self.creds = SERVICE.seed(self.world, dict(SERVICE.default_sizes))
        self.auth = basic(self.creds["username"], self.creds["password"])
        self.gateway = Gateway(self.world, [SERVICE], raise_server_errors=True)

    def get(self, path: str, params: Any = None, *, auth: str | None = _UNSET) -> Reply:
        headers = [("host", "apibench.atlassian.net")]
        auth = self.auth if auth is _UNSET else auth
        if auth is not None:
            headers.append(("authorization", auth))
        query = urlencode(params or [], doseq=True)
        url = path if path.startswith("http") else SITE + API + path
        return call(self.gateway, "GET", url + (f"?{query}" if query else ""), headers)

    def walk(self, path: str, params: Any = None) -> list[dict[str, Any]]:
        """Every result of a listing, following ``_links.base + _links.next``."""
        body = self.get(path, params).json
        results = list(body["results"])
        while "next" in body["_links"]:
            body = self.get(body["_links"]["base"] + body["_links"]["next"]).json
            results += body["results"]
        return results


@pytest.fixture(scope="module")
def client() -> ConfluenceClient:
    return ConfluenceClient(0)
