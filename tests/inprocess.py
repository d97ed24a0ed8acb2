"""One in-process request helper for the services' tests: the gateway, driven directly."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp

from mockapis.asgi import build_scope, drive


@dataclass
class Reply:
    """A response as a test reads it (header names lower-case; a repeated header's last value)."""

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
    gateway: ASGIApp,
    method: str,
    url: str,
    headers: Iterable[tuple[str, str]] = (),
    body: bytes = b"",
) -> Reply:
    """Send one request through ``gateway`` (or any ASGI app) with no sockets and no event loop."""
    response = drive(gateway, build_scope(method, url, headers), body)
    decoded = {k.decode("latin-1"): v.decode("latin-1") for k, v in response.headers}
    return Reply(response.status, decoded, response.body)
