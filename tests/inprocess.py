"""One in-process request helper for the services' tests: the gateway, driven directly."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mockapis.asgi import build_scope, drive
from mockapis.gateway import Gateway


@dataclass
class Reply:
    """A response as a test reads it."""

    status: int
    headers: dict[str, str]
    raw: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.raw)

    @property
    def data(self) -> Any:
        return self.json["data"]


def call(
    gateway: Gateway,
    method: str,
    url: str,
    headers: Iterable[tuple[str, str]] = (),
    body: bytes = b"",
) -> Reply:
    """Send one request through ``gateway`` with no sockets and no event loop."""
    response = drive(gateway, build_scope(method, url, headers), body)
    return Reply(
        response.status, {k.decode(): v.decode() for k, v in response.headers}, response.body
    )
