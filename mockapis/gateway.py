"""Composition: one ASGI app over one world, routing by Host header or by ``/<service>`` prefix."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from mockapis.asgi import body_receiver, lifespan
from mockapis.faults.layer import FaultCall, FaultLayer
from mockapis.faults.model import Reply, TransportFault
from mockapis.kit.limits import refusal
from mockapis.service import Service
from mockapis.world import LogEntry, World

__all__ = ["Gateway"]

logger = logging.getLogger(__name__)


class Gateway:
    """The ASGI app an agent talks to, bound to one :class:`World`.

    Each request ticks the virtual clock, runs in a world transaction (a response with
    status >= 400, or an exception, rolls every write back) and is logged. ``faults`` wraps
    services in the episode's fault rules (None: no fault layer at all, the fast path).
    ``control`` is an optional ASGI app mounted at ``control_prefix``, never behind a
    service host.
    """

    def __init__(
        self,
        world: World,
        services: Sequence[Service],
        *,
        raise_server_errors: bool = False,
        faults: FaultLayer | None = None,
    ) -> None:
        self.world = world
        self.faults = faults
        self.services = {s.name: s for s in services}
        self._by_host = {host: s for s in services for host in s.hosts}
        self.raise_server_errors = raise_server_errors

    def resolve(self, scope: Scope) -> tuple[Service | None, str]:
        """The service a request is for, and the path prefix it was reached under."""
        host = ""
        for key, value in scope["headers"]:
            if key == b"host":
                host = value.decode("latin-1").rsplit(":", 1)[0].lower()
                break
        service = self._by_host.get(host)
        if service is not None:
            return service, ""
        path: str = scope["path"]
        name, _, _ = path[1:].partition("/")
        service = self.services.get(name)
        if service is not None:
            return service, "/" + name
        return None, ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        service, prefix = self.resolve(scope)
        if service is None:
            await _unknown_service(scope, send, sorted(self._by_host), sorted(self.services))
            return
        await self.dispatch(service, prefix, scope, receive, send)

    def service_for_host(self, host: str) -> Service | None:
        """The service emulating ``host`` (lowercase, no port), if any."""
        return self._by_host.get(host)

    async def dispatch(
        self,
        service: Service,
        prefix: str,
        scope: Scope,
        receive: Receive,
        send: Send,
        origin: str = "",
    ) -> None:
        """Serve one request already resolved to ``service``, reached under ``prefix``.

        A head no real server would take (CR/LF/NUL in a header, an over-long target or
        header section: :mod:`mockapis.kit.limits`) is refused as a server refuses it, before
        the service, the clock, the faults and the log.

        ``origin`` names the service whose in-process fetch this is (:mod:`mockapis.kit.fetch`;
        ``""``: the agent's own request). A fetch takes the same path (clock, fault rules, log
        entry with its origin) but only reads: it runs inside the caller's transaction under
        :meth:`World.reading`, so it never writes, and what it read is not undone with it."""
        refused = refusal(scope)
        if refused is not None:
            await _send_text(send, *refused)
            return
        if prefix:
            scope = _mount(scope, prefix)
        scope["world"] = world = self.world
        scope["gateway"] = self  # for services fetching other services' URLs (kit.fetch)
        world.clock.tick()
        path = _service_path(scope, prefix)
        if self.faults is not None:
            calls = self.faults.hits(world, service, scope, path)
            if calls:
                await self._faulted(calls, service, path, scope, receive, send, origin)
                return
        status = await self._transact(service, scope, receive, send, origin)
        world.log.append(
            LogEntry(world.clock.now_ns, service.name, scope["method"], path, status, (), origin)
        )

    async def _transact(
        self, service: Service, scope: Scope, receive: Receive, send: Send, origin: str = ""
    ) -> int:
        """Run the service in a world transaction (a fetch: read-only, inside the caller's);
        the response status (500 on a crash)."""
        world = self.world
        status = 0

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        if origin:
            with world.reading():
                try:
                    await service.app(scope, receive, recording_send)
                except Exception as exc:
                    return await self._crashed(exc, service, scope, send, status)
            return status
        world.begin()
        try:
            await service.app(scope, receive, recording_send)
        except Exception as exc:
            world.rollback()
            return await self._crashed(exc, service, scope, send, status)
        if status >= 400 and not world.keeping:
            world.rollback()
        else:
            world.commit()
        return status

    async def _crashed(
        self, exc: Exception, service: Service, scope: Scope, send: Send, status: int
    ) -> int:
        """Log ``exc`` (a service crashed); re-raise it, or answer 500 if nothing was sent."""
        logger.error(
            "server error in %s on %s %s",
            service.name,
            scope["method"],
            scope["path"],
            exc_info=exc,
        )
        if self.raise_server_errors:
            raise exc
        if status == 0:
            await _send_json(send, 500, {"error": "internal server error"})
        return 500

    async def _faulted(
        self,
        calls: list[FaultCall],
        service: Service,
        path: str,
        scope: Scope,
        receive: Receive,
        send: Send,
        origin: str = "",
    ) -> None:
        """Serve a request that fault rules hit: the chain of kinds around the service."""
        world = self.world
        body = await _read_body(receive)
        for call in calls:
            call.body = body

        async def service_call() -> Reply:
            capture = _Capture()
            await self._transact(service, scope, body_receiver(body), capture, origin)
            return capture.reply()

        def log(status: int) -> None:
            injected = tuple(hit for call in calls for hit in call.injected)
            now, method = world.clock.now_ns, scope["method"]
            world.log.append(LogEntry(now, service.name, method, path, status, injected, origin))

        try:
            reply = await FaultLayer.run(calls, service_call)
        except TransportFault:
            log(0)
            raise
        log(reply.status)
        await send(
            {"type": "http.response.start", "status": reply.status, "headers": reply.headers}
        )
        await send({"type": "http.response.body", "body": reply.body})


class _Capture:
    """An ASGI ``send`` that buffers the response into a :class:`Reply`."""

    def __init__(self) -> None:
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.chunks: list[bytes] = []

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", ()))
        elif message["type"] == "http.response.body":
            self.chunks.append(message.get("body", b""))

    def reply(self) -> Reply:
        return Reply(self.status, self.headers, b"".join(self.chunks))


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _service_path(scope: Scope, prefix: str) -> str:
    """The request path as the service sees it (without the ``/<service>`` prefix)."""
    path: str = scope["path"]
    return (path[len(prefix) :] or "/") if prefix else path


def _mount(scope: Scope, prefix: str) -> Scope:
    """``scope`` as seen by an app mounted at ``prefix``.

    As in the ASGI spec and Starlette's own ``Mount``, ``path`` keeps the prefix and
    ``root_path`` names it: the app routes on the rest, and ``request.url`` stays the URL
    the client used, so links the app builds keep working.
    """
    scope = dict(scope)
    scope["root_path"] = scope.get("root_path", "") + prefix
    if scope["path"] == scope["root_path"]:
        # ``/s3`` is the service's root, as ``/s3/`` is; ``raw_path`` keeps what was sent.
        scope["path"] += "/"
    return scope


async def _send_json(send: Send, status: int, payload: Any) -> None:
    body = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _send_text(send: Send, status: int, text: str) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _unknown_service(scope: Scope, send: Send, hosts: list[str], names: list[str]) -> None:
    host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
    await _send_json(
        send,
        404,
        {
            "error": "unknown_host",
            "message": (
                f"No simulated service at host {host!r} and path {scope['path']!r}. "
                f"Known hosts: {', '.join(hosts)}; or use a path prefix: "
                + ", ".join(f"/{n}/..." for n in names)
            ),
        },
    )
