"""Server mode's socket layer on a real loopback server."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import uvicorn
from starlette.types import Receive, Scope, Send

from mockapis.sockets import FaultingH11Protocol

BODY = b'{"ok": true}'


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """A JSON answer."""
    assert scope["type"] == "http"
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(BODY))]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": BODY})


@contextlib.contextmanager
def serving(protocol: type[asyncio.Protocol]) -> Iterator[tuple[uvicorn.Server, str]]:
    """``app`` served with ``protocol`` on a thread; the server and its base URL.

    The listening socket is made without ``IPPROTO_TCP``, so asyncio leaves ``TCP_NODELAY``
    off on the sockets it accepts: setting it is the protocol's own doing.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    assert sock.proto == 0
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, http=protocol, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.01)
        yield server, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()


def test_accepted_connections_get_tcp_nodelay():
    with serving(FaultingH11Protocol) as (server, base), httpx.Client(base_url=base) as client:
        assert client.get("/").content == BODY
        # The kept-alive connection is still open: its socket, as the server holds it.
        (connection,) = server.server_state.connections
        sock = connection.transport.get_extra_info("socket")  # type: ignore[attr-defined]
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
        assert client.get("/").content == BODY
