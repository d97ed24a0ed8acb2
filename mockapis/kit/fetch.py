"""The simulated internet: a service fetching a URL that another service of the episode serves.

A reader service fetching a page, a model API reading an ``input_file`` by URL: the GET runs
in process through the target service's app, in the caller's world and transaction. It
bypasses the fault layer and the request log, which are about the agent's own requests, and
the clock does not tick for it. A host that no service of the episode emulates is
unreachable, as on a machine with no other network: :func:`fetch` returns ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from starlette.types import Scope

from mockapis.asgi import build_scope, drive, merged_headers, split_url

if TYPE_CHECKING:
    from mockapis.service import Service

__all__ = ["MAX_HOPS", "Fetched", "HostResolver", "fetch"]

MAX_HOPS = 4
"""How deep fetches may nest (a reader fetching itself fetching ...) before they are refused."""

_HOPS = "apibench.fetch_hops"


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched response: status, headers (repeated ones joined by ``, ``) and body."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        """The media type, lowercase, without parameters (``""`` when absent)."""
        return self.headers.get("content-type", "").partition(";")[0].strip().lower()


class HostResolver(Protocol):
    """What :func:`fetch` needs from the gateway (``scope["gateway"]``)."""

    def service_for_host(self, host: str) -> Service | None:
        """The episode's service emulating ``host``, if any."""


async def fetch(
    scope: Scope, url: str, *, headers: Mapping[str, str] | None = None
) -> Fetched | None:
    """GET ``url`` from the service of this episode that emulates its host.

    ``scope`` is the calling request's (it carries the world and the gateway). ``None`` when
    no service of the episode serves the host. ``ValueError`` for a URL that is not absolute
    ``http(s)``, and for fetches nested deeper than :data:`MAX_HOPS`.
    """
    parts = split_url(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"only http and https URLs can be fetched, not {parts.scheme!r}")
    hops = int(scope.get(_HOPS, 0)) + 1
    if hops > MAX_HOPS:
        raise ValueError(f"fetches nest more than {MAX_HOPS} deep (a loop?)")
    resolver: HostResolver | None = scope.get("gateway")
    service = resolver.service_for_host(parts.host) if resolver is not None else None
    if service is None:
        return None
    sub: dict[str, Any] = build_scope("GET", parts, (headers or {}).items())
    sub.update({"world": scope["world"], "gateway": resolver, _HOPS: hops})
    raw = drive(service.app, sub)  # services never await real I/O: it completes at once
    return Fetched(raw.status, merged_headers(raw.headers), raw.body)
