"""Serving an ASGI app on a real loopback socket with uvicorn (server mode)."""

from __future__ import annotations

import asyncio
import signal
import socket
import threading
from collections.abc import Callable
from types import FrameType

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockapis.sockets import FaultingH11Protocol

__all__ = ["bind", "serialized", "serve"]


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

    return wrapped


class _Server(uvicorn.Server):
    """A uvicorn server that reports when its sockets are listening."""

    def __init__(self, config: uvicorn.Config, on_ready: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if not self.should_exit:
            self._on_ready()


def serve(
    app: ASGIApp,
    sock: socket.socket,
    *,
    on_ready: Callable[[str, int], None] | None = None,
    log_level: str = "warning",
    date_header: bool = True,
) -> None:
    """Serve ``app`` on the bound ``sock`` until SIGINT or SIGTERM, then shut down cleanly.

    ``on_ready(host, port)`` runs once the server accepts connections. ``date_header``: whether
    the server adds a ``Date`` header (off when the app sends its own). Requests are
    :func:`serialized`; transport faults happen on the real socket
    (:class:`~mockapis.sockets.FaultingH11Protocol`). A stop signal ends the call normally
    (it does not kill the process), so callers can clean up and exit with status 0.
    """
    host, port = sock.getsockname()[:2]
    config = uvicorn.Config(
        serialized(app),
        http=FaultingH11Protocol,
        log_level=log_level,
        lifespan="off",
        access_log=False,
        server_header=False,
        date_header=date_header,
    )
    server = _Server(config, lambda: on_ready(host, port) if on_ready is not None else None)

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
