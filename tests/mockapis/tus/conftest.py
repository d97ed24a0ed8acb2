"""Fixtures driving the tus server in-process."""

from __future__ import annotations

import pytest

from mockapis.tus import SERVICE
from tests.inprocess import Reply, SeededService

BASE = f"https://{SERVICE.hosts[0]}"


class TusClient(SeededService):
    """One seeded world behind a gateway; requests carry auth and Tus-Resumable by default."""

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
        version: bool = True,
    ) -> Reply:
        sent = self.bearer() if auth else {}
        if version:
            sent["Tus-Resumable"] = "1.0.0"
        sent.update(headers or {})
        return self.call(method, path, sent, body)

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
