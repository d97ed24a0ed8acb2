"""Fixtures driving the file server in-process through the gateway."""

from __future__ import annotations

import hashlib

import pytest

from mockapis.files import SERVICE
from mockapis.gateway import Gateway
from mockapis.world import World
from tests.inprocess import Reply, call

BASE = f"https://{SERVICE.hosts[0]}"


class FilesClient:
    """One seeded world behind a gateway; requests carry the API key by default."""

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
    ) -> Reply:
        sent = {"Authorization": f"Bearer {self.creds['token']}"} if auth else {}
        sent.update(headers or {})
        return call(self.gateway, method, BASE + path, list(sent.items()), body)

    def upload(self, path: str, data: bytes, **headers: str) -> Reply:
        """PUT ``data`` with the right type, length and checksum (overridable)."""
        sent = {
            "Content-Type": "application/octet-stream",
            "Content-Length": str(len(data)),
            "X-Checksum-Sha256": hashlib.sha256(data).hexdigest(),
        }
        sent.update({k.replace("_", "-"): v for k, v in headers.items()})
        return self.send("PUT", path, sent, data)

    def names(self) -> list[str]:
        reply = self.send("GET", "/files?limit=1000")
        assert reply.status == 200
        return [f["name"] for f in reply.json["files"]]


@pytest.fixture
def client() -> FilesClient:
    return FilesClient()
