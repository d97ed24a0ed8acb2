"""Serving an ASGI app on a real loopback socket with uvicorn (server mode)."""

from __future__ import annotations

import asyncio
import signal
import socket
import threading
from collections.abc import Awaitable, Callable
from types import FrameType

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockapis.sockets import HTTP_PROTOCOL

__all__ = ["Listeners", "bind", "locked", "serialized", "serve"]


def bind(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0 picks a free port: read it back).

    Made with protocol ``IPPROTO_TCP``, which the sockets it accepts inherit: asyncio sets
    ``TCP_NODELAY`` only on such sockets, and without it a kept-alive connection's small
    responses wait for the client's delayed ACK (Nagle's algorithm): ~40 ms a request.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def serialized(app: ASGIApp) -> ASGIApp:
    """``app`` handling one HTTP request at a time, each with its whole body already read.

    The world is one shared state with per-request transactions; requests must not
    interleave inside it. Reading the body before taking the lock keeps a slow client from
    holding everyone else up, and makes the order of requests the order they completed.
    """
    lock = asyncio.Lock()

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        await locked(lock, app, scope, receive, send)

    return wrapped


async def locked(
    lock: asyncio.Lock, app: ASGIApp, scope: Scope, receive: Receive, send: Send
) -> None:
    """Serve one HTTP request with ``app`` under ``lock``, its body read before the lock is
    taken (see :func:`serialized`). A client that hangs up before its body is whole is not
    served."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        return await receive()

    async with lock:
        await app(scope, replay, send)


class Listeners:
    """Sockets a running :func:`serve` starts listening on after it started, each served by
    the same app and protocol (root-URL mode gives every hosted service a port of its own).

    The app reads which socket a request came in on from ``scope["server"]``.
    """

    def __init__(self) -> None:
        self._server: _Server | None = None

    async def add(self, sock: socket.socket) -> asyncio.Server:
        """Serve on ``sock`` (bound and listening, e.g. from :func:`bind`) from now on."""
        if self._server is None:
            raise RuntimeError("the server has not started yet")
        return await self._server.listen(sock)

    def remove(self, server: asyncio.Server) -> None:
        """Stop accepting on a socket :meth:`add` started (open connections stay)."""
        if self._server is not None and server in self._server.servers:
            self._server.servers.remove(server)
        server.close()


class _Server(uvicorn.Server):
    """A uvicorn server that reports when its sockets are listening and can listen on more."""

    def __init__(
        self,
        config: uvicorn.Config,
        on_ready: Callable[[], Awaitable[None] | None],
        listeners: Listeners | None = None,
    ) -> None:
        super().__init__(config)
        self._on_ready = on_ready
        if listeners is not None:
            listeners._server = self

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if not self.should_exit:
            ready = self._on_ready()
            if ready is not None:
                await ready

    async def listen(self, sock: socket.socket) -> asyncio.Server:
        """Accept on ``sock`` too, with the protocol of the startup sockets; closed at shutdown
        with them."""
        config = self.config

        def protocol() -> asyncio.Protocol:
            return config.http_protocol_class(  # type: ignore[call-arg]
                config=config, server_state=self.server_state, app_state=self.lifespan.state
            )

        server = await asyncio.get_running_loop().create_server(protocol, sock=sock)
        self.servers.append(server)
        return server


def serve(
    app: ASGIApp,
    sock: socket.socket,
    *,
    on_ready: Callable[[str, int], Awaitable[None] | None] | None = None,
    log_level: str = "warning",
    date_header: bool = True,
    serialize: bool = True,
    listeners: Listeners | None = None,
) -> None:
    """Serve ``app`` on the bound ``sock`` until SIGINT or SIGTERM, then shut down cleanly.

    ``on_ready(host, port)`` runs once the server accepts connections (awaited if it is a
    coroutine function: it runs in the server's loop). ``date_header``: whether
    the server adds a ``Date`` header (off when the app sends its own). Requests are
    :func:`serialized` (``serialize=False``: the app orders them itself); ``listeners`` lets
    the app listen on more sockets while it runs. Transport faults happen on the real socket
    (:data:`~mockapis.sockets.HTTP_PROTOCOL`). A stop signal ends the call normally
    (it does not kill the process), so callers can clean up and exit with status 0.
    """
    host, port = sock.getsockname()[:2]
    config = uvicorn.Config(
        serialized(app) if serialize else app,
        http=HTTP_PROTOCOL,
        # uvicorn trusts X-Forwarded-* from loopback by default: an agent's request could
        # change the scheme and client the services see (and the URLs they build).
        proxy_headers=False,
        log_level=log_level,
        lifespan="off",
        access_log=False,
        server_header=False,
        date_header=date_header,
    )
    server = _Server(
        config, lambda: on_ready(host, port) if on_ready is not None else None, listeners
    )

    def stopped(sig: int, frame: FrameType | None) -> None:
        """Absorbs the signal uvicorn re-raises after its graceful shutdown."""

    # uvicorn re-raises the stop signal once it has shut down; with these handlers in place
    # that is a no-op instead of KeyboardInterrupt or death by SIGTERM.
    previous = {}
    if threading.current_thread() is threading.main_thread():
        previous = {sig: signal.signal(sig, stopped) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.run(sockets=[sock])
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()
