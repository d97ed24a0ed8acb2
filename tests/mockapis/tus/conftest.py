"""Fixtures driving the tus server in-process."""

from __future__ import annotations

import pytest

from mockapis.gateway import Gateway
from mockapis.tus import SERVICE
from mockapis.world import World
from tests.inprocess import Reply, call

BASE = f"https://{SERVICE.hosts[0]}"


class TusClient:
    """One seeded world behind a gateway; requests carry auth and Tus-Resumable by default."""

    def __init__(self, seed: int = 0) -> None:
        self.world = World(seed)
        self.creds = SERVICE.seed(self.world, dict(SERVICE.default_sizes))
        self.gateway = Gateway(self.world, [SERVICE], raise_server_errors=True)

    def send(
        self,
        method: str,
        path: str,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        *,
        auth: bool = True,
        version: bool = True,
    ) -> Reply:
        sent: dict[str, str] = {}
        if auth:
            sent["Authorization"] = f"Bearer {self.creds['token']}"
        if version:
            sent["Tus-Resumable"] = "1.0.0"
        sent.update(headers or {})
        return call(self.gateway, method, BASE + path, list(sent.items()), body)

    def create(self, length: int | None, **headers: str) -> str:
        """A new upload's path (``/files/<id>``)."""
        sent = dict(headers)
        if length is None:
            sent["Upload-Defer-Length"] = "1"
        else:
            sent["Upload-Length"] = str(length)
        reply = self.send("POST", "/files/", sent)
        assert reply.status == 201, reply.raw
        return reply.headers["location"]

    def patch(self, path: str, offset: int, body: bytes, **headers: str) -> Reply:
        sent = {
            "Content-Type": "application/offset+octet-stream",
            "Upload-Offset": str(offset),
            **headers,
        }
        return self.send("PATCH", path, sent, body)


@pytest.fixture
def tus() -> TusClient:
    return TusClient()
