"""One in-process request helper for the services' tests: the gateway, driven directly."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp

from mockapis.asgi import build_scope, drive
from mockapis.gateway import Gateway
from mockapis.service import Service
from mockapis.world import World


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


class SeededService:
    """One seeded world of ``service`` behind a gateway that re-raises server errors: the
    base of the services' in-process test clients (``creds`` as the seed returned them)."""

    def __init__(self, service: Service, seed: int = 0) -> None:
        self.world = World(seed)
        self.creds = service.seed(self.world, dict(service.default_sizes))
        self.gateway = Gateway(self.world, [service], raise_server_errors=True)
        self.base = f"https://{service.hosts[0]}"

    def bearer(self) -> dict[str, str]:
        """The ``Authorization`` header of the seeded bearer token."""
        return {"Authorization": f"Bearer {self.creds['token']}"}

    def call(self, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> Reply:
        """Send ``method path`` (relative to the service's host) with exactly ``headers``."""
        return call(self.gateway, method, self.base + path, list(headers.items()), body)


def seeded_world(
    service: Service,
    seed: int,
    sizes: Mapping[str, int] | None = None,
    *,
    epoch_ns: int | None = None,
) -> World:
    """A world holding ``service``'s seeded data: its default sizes, overridden by ``sizes``."""
    world = World(seed) if epoch_ns is None else World(seed, epoch_ns=epoch_ns)
    service.seed(world, {**service.default_sizes, **(sizes or {})})
    return world
