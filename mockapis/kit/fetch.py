"""The simulated internet: a service fetching a URL that another service of the episode serves.

A reader service fetching a page, a model API reading an ``input_file`` by URL: the GET goes
through the episode's gateway like any request (:meth:`mockapis.gateway.Gateway.dispatch`):
the target's head limits, the virtual clock (it ticks), the fault rules (an ``outage`` on the
target fails the fetch, and the fault shows in the step's ``info["faults"]``) and the request
log, whose entry names the fetching service as its ``origin``.

A fetch only reads. It carries the URL and the fetching service's own headers (the reader's
User-Agent), none of the agent's. It runs inside the calling request's transaction under
:meth:`mockapis.world.World.reading`: a table write raises
:class:`~mockapis.world.ReadOnlyError` before it happens (the target answers 500, or the
error propagates where the gateway re-raises server errors, as tests run it), and RNG draws
and id counters are restored when it ends. So nothing of a fetch commits or rolls back with
the caller: there is nothing to commit. (A fault kind that moves the world itself,
``pagination_drift``'s other clients, acts around the read-only service call as around any
request; in a fetch that is within the caller's transaction, so a caller that then fails
undoes it.) The services answer a GET as the real APIs do, without writing (Slack refuses a
token in the query string, so a fetched ``chat.postMessage`` URL is ``invalid_auth``); the
read-only world is the guard that keeps a future route from opening a side door.

A host that no service of the episode emulates is unreachable, as on a machine with no other
network: :func:`fetch` returns ``None``. A transport fault on the target (a reset connection,
a timeout) raises :class:`FetchFailed`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from starlette.types import Message, Receive, Scope, Send

from mockapis.asgi import body_receiver, build_scope, merged_headers, split_url
from mockapis.faults.model import TransportFault

if TYPE_CHECKING:
    from mockapis.service import Service

__all__ = ["MAX_HOPS", "Dispatcher", "FetchFailed", "Fetched", "fetch", "is_fetch"]

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


class FetchFailed(Exception):
    """No response came back: a transport fault (``kind`` as a client names it, such as
    ``connection_reset`` or ``read_timeout``) on the fetched request."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class Dispatcher(Protocol):
    """What :func:`fetch` needs from the gateway (``scope["gateway"]``)."""

    def service_for_host(self, host: str) -> Service | None:
        """The episode's service emulating ``host``, if any."""

    async def dispatch(
        self,
        service: Service,
        prefix: str,
        scope: Scope,
        receive: Receive,
        send: Send,
        origin: str = "",
    ) -> None:
        """Serve one request (here, a fetch from ``origin``) to ``service``."""


def is_fetch(scope: Scope) -> bool:
    """Whether this request is another service's fetch (not the agent's own request)."""
    return bool(scope.get(_HOPS))


async def fetch(
    scope: Scope, url: str, *, origin: str, headers: Mapping[str, str] | None = None
) -> Fetched | None:
    """GET ``url`` from the service of this episode that emulates its host, as ``origin``.

    ``scope`` is the calling request's (it carries the gateway); ``origin`` names the fetching
    service in the request log. ``None`` when no service of the episode serves the host.
    ``ValueError`` for a URL that is not absolute ``http(s)``, and for fetches nested deeper
    than :data:`MAX_HOPS`; :class:`FetchFailed` for a transport fault.
    """
    if not origin:
        raise ValueError("a fetch names its origin (the fetching service)")
    parts = split_url(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"only http and https URLs can be fetched, not {parts.scheme!r}")
    hops = int(scope.get(_HOPS, 0)) + 1
    if hops > MAX_HOPS:
        raise ValueError(f"fetches nest more than {MAX_HOPS} deep (a loop?)")
    gateway: Dispatcher | None = scope.get("gateway")
    service = gateway.service_for_host(parts.host) if gateway is not None else None
    if gateway is None or service is None:
        return None
    sub: dict[str, Any] = build_scope("GET", parts, (headers or {}).items())
    sub[_HOPS] = hops
    status = 0
    raw_headers: list[tuple[bytes, bytes]] = []
    chunks: list[bytes] = []

    async def send(message: Message) -> None:
        nonlocal status, raw_headers
        if message["type"] == "http.response.start":
            status, raw_headers = message["status"], list(message.get("headers", ()))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    try:
        # Awaited, not driven: in served real-time mode a latency fault really sleeps.
        await gateway.dispatch(service, "", sub, body_receiver(b""), send, origin)
    except TransportFault as fault:
        raise FetchFailed(fault.kind, fault.message) from None
    return Fetched(status, merged_headers(raw_headers), b"".join(chunks))
