"""Transport faults: refused, reset, empty, garbage, read timeout, truncated body.

Each raises :class:`~mockapis.faults.model.TransportFault` with the message httpx would
raise (``Class: message``). In process that is the status-0 observation; in server mode
:mod:`mockapis.sockets` does to the real connection what the fault names. The wire bytes a
fault sends before failing (garbage, a cut response) travel as ``partial``, and the message
for them comes from running h11, the parser inside httpx, over those exact bytes.
"""

from __future__ import annotations

import http
import random

import h11

from mockapis.clock import WallClock
from mockapis.faults.layer import FaultCall
from mockapis.faults.model import Kind, Param, Proceed, Reply, TransportFault

__all__ = [
    "ABORTIVE",
    "KINDS",
    "client_error",
    "connection_reset",
    "cut_response",
    "read_timeout",
]

ABORTIVE = frozenset({"connection_refused", "connection_reset"})
"""Kinds whose connection ends with a TCP reset rather than an orderly close."""

# Linux's errno numbers and texts, fixed so observations are the same on every platform.
_REFUSED = "ConnectError: [Errno 111] Connection refused"
_RESET = "ReadError: [Errno 104] Connection reset by peer"
_EMPTY = "RemoteProtocolError: Server disconnected without sending a response."


def client_error(method: str, wire: bytes) -> str:
    """What httpx raises when a server answers a ``method`` request with ``wire``, then closes.

    ``wire`` must not be a complete response (``ValueError``). Mirrors httpcore: a close
    before any complete status line and headers is "Server disconnected ..."; everything
    else is whatever h11 says of the bytes.
    """
    conn = h11.Connection(h11.CLIENT)
    conn.send(h11.Request(method=method, target="/", headers=[("host", "localhost")]))
    conn.send(h11.EndOfMessage())
    conn.receive_data(wire)
    try:
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                if conn.their_state is h11.SEND_RESPONSE:
                    return _EMPTY
                conn.receive_data(b"")  # the close
            elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                raise ValueError(f"a complete response is not a transport fault: {wire[:80]!r}")
    except h11.RemoteProtocolError as exc:
        return f"RemoteProtocolError: {exc}"


def _head(status: int, headers: list[tuple[bytes, bytes]]) -> bytes:
    try:
        reason = http.HTTPStatus(status).phrase
    except ValueError:
        reason = ""
    lines = [f"HTTP/1.1 {status} {reason}".encode()]
    lines += [name + b": " + value for name, value in headers]
    return b"\r\n".join(lines) + b"\r\n\r\n"


def cut_response(method: str, reply: Reply, fraction: float) -> bytes:
    """``reply`` on the wire, cut off: the full head and ``fraction`` of the body.

    The head announces the whole body in Content-Length; at least one byte of the body is
    always missing. A response with no body (HEAD, 204, 304, empty) is cut after its status
    line instead, as there is no body to cut.
    """
    if method == "HEAD" or not reply.body or reply.status in (204, 304) or reply.status < 200:
        return _head(reply.status, [])[:-2]
    drop = (b"content-length", b"transfer-encoding")
    headers = [(k, v) for k, v in reply.headers if k.lower() not in drop]
    headers.append((b"content-length", str(len(reply.body)).encode()))
    cut = min(int(len(reply.body) * fraction), len(reply.body) - 1)
    return _head(reply.status, headers) + reply.body[:cut]


def _junk(rng: random.Random, size: int) -> bytes:
    # Ending in a blank line makes every client parse the junk (and reject it) rather than
    # wait for more, so the client sees garbage, not just a silent close.
    return rng.randbytes(size - 4) + b"\r\n\r\n"


def connection_reset() -> TransportFault:
    """The fault of a connection reset after the request went out (httpx's ``ReadError``)."""
    return TransportFault("connection_reset", _RESET)


def read_timeout(call: FaultCall, timeout: float) -> TransportFault:
    """The fault of a server that never answers, ``timeout`` seconds spent waiting.

    In process the virtual clock moves on by ``timeout``; in server mode the socket layer
    stalls for real (outside the request lock), so the wall clock is left alone.
    """
    if not isinstance(call.world.clock, WallClock):
        call.world.clock.advance(timeout)
    message = f"ReadTimeout: timed out (no response within {timeout:g} seconds)"
    return TransportFault("read_timeout", message, after_s=timeout)


async def _connection_refused(call: FaultCall, proceed: Proceed) -> Reply:
    call.inject()
    raise TransportFault("connection_refused", _REFUSED)


async def _connection_reset(call: FaultCall, proceed: Proceed) -> Reply:
    call.inject()
    raise connection_reset()


async def _empty_response(call: FaultCall, proceed: Proceed) -> Reply:
    call.inject()
    raise TransportFault("empty_response", _EMPTY)


async def _garbage(call: FaultCall, proceed: Proceed) -> Reply:
    call.inject()
    junk = _junk(call.rng, call.params["size"])
    raise TransportFault("garbage", client_error(call.method, junk), partial=junk)


async def _read_timeout(call: FaultCall, proceed: Proceed) -> Reply:
    call.inject()
    raise read_timeout(call, float(call.params["timeout"]))


async def _truncated_body(call: FaultCall, proceed: Proceed) -> Reply:
    reply = await proceed()
    call.inject()
    wire = cut_response(call.method, reply, call.params["fraction"])
    raise TransportFault("truncated_body", client_error(call.method, wire), partial=wire)


_NEVER_RUNS = " The service never runs."

KINDS = (
    Kind(
        "connection_refused",
        "The connection is refused: httpx's ConnectError." + _NEVER_RUNS,
        (),
        _connection_refused,
        transport=True,
    ),
    Kind(
        "connection_reset",
        "The server resets the connection: httpx's ReadError." + _NEVER_RUNS,
        (),
        _connection_reset,
        transport=True,
    ),
    Kind(
        "empty_response",
        "The server closes the connection without sending a byte." + _NEVER_RUNS,
        (),
        _empty_response,
        transport=True,
    ),
    Kind(
        "garbage",
        "The server sends `size` random bytes that are not HTTP, then closes." + _NEVER_RUNS,
        (Param("size", (int,), 64, "bytes of garbage", minimum=4, maximum=65_536),),
        _garbage,
        transport=True,
    ),
    Kind(
        "read_timeout",
        "The server never answers: after `timeout` seconds the client gives up (the virtual "
        "clock moves on by `timeout`; server mode: the connection stays silent that long, "
        "then closes)." + _NEVER_RUNS,
        (
            Param(
                "timeout",
                (int, float),
                30.0,
                "seconds until the client gives up",
                minimum=0,
                maximum=86_400,
            ),
        ),
        _read_timeout,
        transport=True,
    ),
    Kind(
        "truncated_body",
        "The service runs (its writes stand); the status line and headers go out with the "
        "full Content-Length, then only `fraction` of the body, then the connection closes.",
        (
            Param(
                "fraction",
                (int, float),
                0.5,
                "share of the body sent (at least one byte is always missing)",
                minimum=0,
                maximum=1,
            ),
        ),
        _truncated_body,
        transport=True,
    ),
)
