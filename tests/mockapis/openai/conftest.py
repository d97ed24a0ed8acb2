"""Fixtures driving the OpenAI service in-process through the gateway."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mockapis.gateway import Gateway
from mockapis.openai import SERVICE
from mockapis.world import World
from tests.inprocess import Reply, call

BASE = "https://api.openai.com"
BOUNDARY = "----apibench-boundary"


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> bytes:
    """A multipart/form-data body with ``BOUNDARY``."""
    out = b""
    for name, value in fields.items():
        out += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        ).encode()
    for name, (filename, data) in files.items():
        out += (
            (
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            + data
            + b"\r\n"
        )
    return out + f"--{BOUNDARY}--\r\n".encode()


class OpenAIClient:
    """One seeded world behind a gateway; requests carry the API key by default."""

    def __init__(self, seed: int = 0, sizes: dict[str, int] | None = None) -> None:
        self.world = World(seed)
        self.key = SERVICE.seed(self.world, {**SERVICE.default_sizes, **(sizes or {})})["token"]
        self.gateway = Gateway(self.world, [SERVICE], raise_server_errors=True)

    def send(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        *,
        key: str | None = "",
    ) -> Reply:
        sent = dict(headers or {})
        token = self.key if key == "" else key
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        return call(self.gateway, method, BASE + path, list(sent.items()), body)

    def post(self, path: str, payload: Any, **kw: Any) -> Reply:
        return self.send(
            "POST", path, json.dumps(payload).encode(), {"Content-Type": "application/json"}, **kw
        )

    def upload(self, filename: str, data: bytes, purpose: str = "user_data") -> Reply:
        body = multipart({"purpose": purpose}, {"file": (filename, data)})
        ctype = f"multipart/form-data; boundary={BOUNDARY}"
        return self.send("POST", "/v1/files", body, {"Content-Type": ctype})


@pytest.fixture
def api() -> OpenAIClient:
    return OpenAIClient()
