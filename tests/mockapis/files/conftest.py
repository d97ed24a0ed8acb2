"""Fixtures driving the file server in-process through the gateway."""

from __future__ import annotations

import hashlib

import pytest

from mockapis.files import SERVICE
from tests.inprocess import Reply, SeededService

BASE = f"https://{SERVICE.hosts[0]}"


class FilesClient(SeededService):
    """One seeded world behind a gateway; requests carry the API key by default."""

    def __init__(self, seed: int = 0) -> None:
        super().__init__(SERVICE, seed)

    def send(
        self,
        method: str,
        path: str,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        *,
        auth: bool = True,
    ) -> Reply:
        sent = self.bearer() if auth else {}
        sent.update(headers or {})
        return self.call(method, path, sent, body)

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
