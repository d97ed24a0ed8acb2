"""Server mode's socket layer on a real loopback server: TCP_NODELAY, one write per response,
and transport faults acted out the same by both HTTP/1.1 protocols."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from starlette.types import Receive, Scope, Send

from mockapis.faults.model import TransportFault
from mockapis.sockets import (
    HTTP_PROTOCOL,
    CoalescingTransport,
    FaultingH11Protocol,
    FaultingHttpToolsProtocol,
)

PROTOCOLS = [FaultingH11Protocol, FaultingHttpToolsProtocol]
BODY = b'{"ok": true}'
HEAD = b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n"
FAULTS = {
    "/reset": TransportFault("connection_reset", "reset"),
    "/empty": TransportFault("empty_response", "closed"),
    "/garbage": TransportFault("garbage", "garbage", partial=b"\x00\xffnot http\r\n\r\n"),
    "/cut": TransportFault("truncated_body", "cut", partial=HEAD + b"x" * 10),
    "/stall": TransportFault("read_timeout", "stalled", after_s=0.3),
}
"""Paths whose requests fail below HTTP; any other path answers :data:`BODY`."""


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """A JSON answer, or the path's transport fault (raised before anything is sent)."""
    assert scope["type"] == "http"
    fault = FAULTS.get(scope["path"])
    if fault is not None:
        raise fault
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


@pytest.fixture(params=PROTOCOLS, ids=["h11", "httptools"])
def served(request: pytest.FixtureRequest) -> Iterator[tuple[uvicorn.Server, str]]:
    with serving(request.param) as server:
        yield server


def test_server_mode_serves_with_httptools():
    assert HTTP_PROTOCOL is FaultingHttpToolsProtocol


def test_accepted_connections_get_tcp_nodelay(served: tuple[uvicorn.Server, str]):
    server, base = served
    with httpx.Client(base_url=base) as client:
        assert client.get("/").content == BODY
        # The kept-alive connection is still open: its socket, as the server holds it.
        (connection,) = server.server_state.connections
        sock = connection.transport.get_extra_info("socket")  # type: ignore[attr-defined]
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
        assert client.get("/").content == BODY


@pytest.mark.parametrize(
    ("path", "raised", "words"),
    [
        ("/reset", httpx.ReadError, "Connection reset by peer"),
        ("/empty", httpx.RemoteProtocolError, "Server disconnected without sending a response"),
        ("/garbage", httpx.RemoteProtocolError, "illegal status line"),
        ("/cut", httpx.RemoteProtocolError, "received 10 bytes, expected 100"),
        ("/stall", httpx.RemoteProtocolError, "Server disconnected without sending a response"),
    ],
)
def test_transport_faults_on_the_socket(
    served: tuple[uvicorn.Server, str], path: str, raised: type[Exception], words: str
):
    _, base = served
    with httpx.Client(base_url=base, timeout=5) as client:
        start = time.monotonic()
        with pytest.raises(raised, match=words):
            client.get(path)
        assert time.monotonic() - start >= FAULTS[path].after_s
        assert client.get("/").content == BODY  # on a new connection


def test_a_fault_marks_its_own_request_gone_when_pipelined(
    served: tuple[uvicorn.Server, str], caplog: pytest.LogCaptureFixture
):
    # Both requests arrive in one read: httptools has parsed the second (its current request
    # cycle) before the first is served. Were the second's cycle marked gone instead of the
    # first's, uvicorn would find the first ended without a response, and log an error.
    _, base = served
    host, port = base.removeprefix("http://").split(":")
    errors = logging.getLogger("uvicorn.error")
    errors.addHandler(caplog.handler)  # uvicorn's loggers do not propagate to the root
    try:
        with socket.create_connection((host, int(port)), timeout=5) as client:
            client.sendall(
                b"GET /empty HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"
            )
            received = b""
            while chunk := client.recv(4096):
                received += chunk
    finally:
        errors.removeHandler(caplog.handler)
    assert received == b""
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


class Recorder(asyncio.Transport):
    """A transport that records what is done to it."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, bytes]] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.calls.append(("write", bytes(data)))

    def close(self) -> None:
        self.calls.append(("close", b""))

    def abort(self) -> None:
        self.calls.append(("abort", b""))

    def get_write_buffer_size(self) -> int:
        return 0


def test_writes_in_one_turn_of_the_loop_leave_as_one():
    async def turns() -> list[tuple[str, bytes]]:
        recorder = Recorder()
        transport = CoalescingTransport(recorder, asyncio.get_running_loop())
        transport.write(b"head ")
        transport.write(b"")
        transport.writelines([b"body", b"!"])
        assert recorder.calls == [] and transport.get_write_buffer_size() == 10
        await asyncio.sleep(0)
        assert recorder.calls == [("write", b"head body!")]
        transport.write(b"alone")
        await asyncio.sleep(0)
        return recorder.calls

    assert asyncio.run(turns()) == [("write", b"head body!"), ("write", b"alone")]


@pytest.mark.parametrize("end", ["close", "abort"])
def test_closing_sends_what_is_held_first(end: str):
    async def closing() -> list[tuple[str, bytes]]:
        recorder = Recorder()
        transport = CoalescingTransport(recorder, asyncio.get_running_loop())
        transport.write(b"last words")
        getattr(transport, end)()
        assert recorder.calls == [("write", b"last words"), (end, b"")]
        await asyncio.sleep(0)  # the flush it had scheduled finds nothing left
        return recorder.calls

    assert len(asyncio.run(closing())) == 2


def test_from_flush_at_bytes_held_writes_go_straight_through():
    # So that the transport's flow control pauses a streaming response as it is written.
    async def streaming() -> list[tuple[str, bytes]]:
        recorder = Recorder()
        transport = CoalescingTransport(recorder, asyncio.get_running_loop(), flush_at=8)
        transport.write(b"head ")
        assert recorder.calls == []
        transport.write(b"body")
        assert recorder.calls == [("write", b"head body")]
        transport.write(b"0123456789")
        assert recorder.calls[1:] == [("write", b"0123456789")]
        await asyncio.sleep(0)
        return recorder.calls

    assert len(asyncio.run(streaming())) == 2
