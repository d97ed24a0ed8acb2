"""Fixtures driving the Slack service in-process through the gateway."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest

from mockapis.gateway import Gateway
from mockapis.slack import SERVICE
from mockapis.world import World
from tests.inprocess import Reply, call

BASE = "https://slack.com"
EPOCH_NS = 1_705_309_200 * 10**9
"""2024-01-15T09:00:00Z, the scenarios' default epoch."""
SMALL = {"channels": 12, "users": 8, "busy_channels": 2, "busy_messages": 1500}
_UNSET: Any = object()


class SlackClient:
    """One seeded workspace behind a gateway; calls carry the bot token by default."""

    def __init__(self, seed: int, sizes: dict[str, int] | None = None) -> None:
        self.world = World(seed, epoch_ns=EPOCH_NS)
        self.creds = SERVICE.seed(self.world, sizes or SMALL)
        self.token = self.creds["token"]
        self.gateway = Gateway(self.world, [SERVICE], raise_server_errors=True)

    def request(
        self,
        http_method: str,
        path: str,
        *,
        raw: bytes = b"",
        content_type: str | None = None,
        token: str | None = _UNSET,
    ) -> Reply:
        headers = []
        if token is _UNSET:
            token = self.token
        if token is not None:
            headers.append(("authorization", f"Bearer {token}"))
        if content_type:
            headers.append(("content-type", content_type))
        return call(self.gateway, http_method, BASE + path, headers, raw)

    def get(self, name: str, auth: str | None = _UNSET, **args: Any) -> dict[str, Any]:
        """GET ``/api/<name>?args``; the JSON body (the status must be 200)."""
        query = urlencode({k: v for k, v in args.items() if v is not None})
        reply = self.request("GET", f"/api/{name}?{query}", token=auth)
        assert reply.status == 200, reply.raw
        body: dict[str, Any] = reply.json
        return body

    def form(self, name: str, auth: str | None = _UNSET, **args: Any) -> dict[str, Any]:
        """POST ``/api/<name>`` with a form body, as slack_sdk sends most methods."""
        raw = urlencode(args).encode()
        reply = self.request(
            "POST", f"/api/{name}", raw=raw, content_type="application/x-www-form-urlencoded",
            token=auth,
        )  # fmt: skip
        assert reply.status == 200, reply.raw
        body: dict[str, Any] = reply.json
        return body

    def post_json(self, name: str, payload: Any) -> dict[str, Any]:
        """POST ``/api/<name>`` with a JSON body."""
        reply = self.request(
            "POST", f"/api/{name}", raw=json.dumps(payload).encode(),
            content_type="application/json",
        )  # fmt: skip
        assert reply.status == 200, reply.raw
        body: dict[str, Any] = reply.json
        return body

    def channels(self) -> list[dict[str, Any]]:
        table = self.world.table("slack.channels")
        return [table[k] for k in sorted(table)]

    def channel(self, name: str) -> dict[str, Any]:
        return next(c for c in self.channels() if c["name"] == name)

    def top_level(self, channel_id: str) -> list[dict[str, Any]]:
        """The channel's messages as history lists them: newest first, no replies."""
        table = self.world.table("slack.messages")
        keys = sorted((k for k in table if k.startswith(channel_id + "/")), reverse=True)
        return [
            table[k] for k in keys if table[k].get("thread_ts", table[k]["ts"]) == table[k]["ts"]
        ]

    def busiest(self) -> dict[str, Any]:
        return max(self.channels(), key=lambda c: len(self.top_level(c["id"])))


def assert_error(body: dict[str, Any], error: str) -> None:
    """``body`` is Slack's failure shape with the ``error`` code."""
    assert body["ok"] is False, body
    assert body["error"] == error, body


@pytest.fixture(scope="module")
def shared() -> SlackClient:
    """A workspace for read-only tests (module-wide: seeding thousands of messages costs)."""
    return SlackClient(0)


@pytest.fixture
def client() -> SlackClient:
    """A fresh workspace for tests that write."""
    return SlackClient(1, {**SMALL, "busy_messages": 50})
