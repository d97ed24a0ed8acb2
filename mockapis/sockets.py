"""Server mode's socket layer: transport faults acted out on the real connection.

Why it exists: uvicorn turns an exception from the app into a 500 (or, once a response has
started, a plain close), so over a real socket a client could never meet a reset, a silent
server, garbage or a cut body. :class:`ActsOutFaults` is a mixin for uvicorn's HTTP/1.1
protocols (:class:`FaultingH11Protocol`, :class:`FaultingHttpToolsProtocol`) that catches
:class:`~mockapis.faults.model.TransportFault` from the app (the gateway raises it before
anything is sent) and does to the connection what the fault names:

- ``partial`` bytes, if any, are written raw (garbage; a head and part of a body);
- then, for ``after_s`` seconds, nothing (a read timeout), ending early if the client
  hangs up or the server shuts down;
- then the connection ends: with a TCP reset (SO_LINGER 0, then abort) for the
  :data:`~mockapis.faults.kinds.transport.ABORTIVE` kinds, else with an orderly close.

``connection_refused`` cannot be a real ECONNREFUSED here: the kernel completed the TCP
handshake on the listening socket before any request could be matched against the rules.
It is the closest a single listening socket allows: an immediate reset, which clients
report as a read error (httpx's ``ReadError``, errno ECONNRESET) rather than a connect error.

Each connection also gets ``TCP_NODELAY`` (:func:`nodelay`), and a
:class:`CoalescingTransport`, so that a response's head and body leave in one write.
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import socket
import struct
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import httptools
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from mockapis.faults.kinds.transport import ABORTIVE
from mockapis.faults.model import TransportFault
from mockapis.kit import limits

if TYPE_CHECKING:
    from uvicorn._types import ASGI3Application, ASGIReceiveCallable, ASGISendCallable, Scope

__all__ = [
    "HTTP_PROTOCOL",
    "ActsOutFaults",
    "CoalescingTransport",
    "FaultingH11Protocol",
    "FaultingHttpToolsProtocol",
    "nodelay",
    "reset",
]


def reset(transport: asyncio.Transport) -> None:
    """End the connection with a TCP RST instead of a FIN (what a crashed peer sends)."""
    if transport.is_closing():
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        # Linger on, timeout 0: close() discards unsent data and sends RST.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


def nodelay(transport: asyncio.BaseTransport) -> None:
    """Turn Nagle's algorithm off on ``transport``'s socket, if it is a TCP one.

    asyncio does it only for sockets made with protocol ``IPPROTO_TCP``
    (:func:`mockapis.server.bind` makes them so); a socket from elsewhere would leave every
    small response of a kept-alive connection waiting for the client's delayed ACK (~40 ms).
    """
    sock = transport.get_extra_info("socket")
    if sock is None or sock.type != socket.SOCK_STREAM:
        return
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return
    # The peer may already be gone; then there is nothing left to speed up.
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class CoalescingTransport(asyncio.Transport):
    """``transport`` sending what is written in one turn of the event loop as one write.

    uvicorn writes a response's head and its body separately: two ``send()`` system calls
    and two TCP segments where one will do (on loopback a call is ~15 µs, a fifth of what a
    served GET costs the server). Held until the loop's next turn, they leave together; from
    ``flush_at`` bytes held on, writes go straight through, so the transport's flow control
    (pausing a streaming response) sees them when they are made. Closing, aborting or
    half-closing sends what is held first.
    """

    __slots__ = ("_held", "_held_bytes", "_loop", "_transport", "flush_at")

    def __init__(
        self,
        transport: asyncio.Transport,
        loop: asyncio.AbstractEventLoop,
        *,
        flush_at: int = 65_536,
    ) -> None:
        super().__init__()
        self._transport = transport
        self._loop = loop
        self._held: list[bytes | bytearray | memoryview] = []
        self._held_bytes = 0
        self.flush_at = flush_at

    def write(self, data: bytes | bytearray | memoryview) -> None:
        """Send ``data`` with whatever else is written in this turn of the loop."""
        if not data:
            return
        if not self._held:
            self._loop.call_soon(self.flush)
        self._held.append(data)
        self._held_bytes += len(data)
        if self._held_bytes >= self.flush_at:
            self.flush()

    def writelines(self, list_of_data: Iterable[bytes | bytearray | memoryview]) -> None:
        """Send each of ``list_of_data`` (see :meth:`write`)."""
        for data in list_of_data:
            self.write(data)

    def flush(self) -> None:
        """Hand what is held to the transport now."""
        held = self._held
        if held:
            self._held, self._held_bytes = [], 0
            self._transport.write(held[0] if len(held) == 1 else b"".join(held))

    def close(self) -> None:
        """Send what is held, then close (the transport sends its buffer first)."""
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        """Send what is held, then close at once, dropping what the transport still buffers."""
        self.flush()
        self._transport.abort()

    def write_eof(self) -> None:
        """Send what is held, then half-close."""
        self.flush()
        self._transport.write_eof()

    def can_write_eof(self) -> bool:
        """Whether the transport can half-close."""
        return self._transport.can_write_eof()

    def get_write_buffer_size(self) -> int:
        """Bytes not yet sent: the transport's buffer and what is held."""
        return self._transport.get_write_buffer_size() + self._held_bytes

    def get_write_buffer_limits(self) -> tuple[int, int]:
        """The transport's flow-control limits."""
        return self._transport.get_write_buffer_limits()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        """Set the transport's flow-control limits."""
        self._transport.set_write_buffer_limits(high, low)

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        """The transport's (``socket``, ``peername``, ``sslcontext`` ...)."""
        return self._transport.get_extra_info(name, default)

    def is_closing(self) -> bool:
        """Whether the transport is closing or closed."""
        return self._transport.is_closing()

    def is_reading(self) -> bool:
        """Whether the transport is reading."""
        return self._transport.is_reading()

    def pause_reading(self) -> None:
        """Stop reading (flow control)."""
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        """Read again."""
        self._transport.resume_reading()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        """Hand the connection to ``protocol`` (a WebSocket upgrade)."""
        self.flush()
        self._transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        """The protocol the transport feeds."""
        return self._transport.get_protocol()


class ActsOutFaults(asyncio.Protocol):
    """Mixin for a uvicorn HTTP protocol: the app's transport faults acted out on the socket.

    Put it before the protocol class (``class P(ActsOutFaults, H11Protocol)``); it wraps the
    protocol's app and relies only on what uvicorn's HTTP/1.1 protocols share (``app``,
    ``transport``, ``shutdown``, and a request cycle whose ``send`` is its bound method).
    """

    app: ASGI3Application
    transport: asyncio.Transport

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._inner = self.app
        self.app = self._guarded
        self._gone = asyncio.Event()
        """Set when the client hangs up or the server shuts down: a stall ends early."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """A client connected: no Nagle delay on its responses, and one write for each."""
        assert isinstance(transport, asyncio.Transport)
        nodelay(transport)
        super().connection_made(CoalescingTransport(transport, asyncio.get_running_loop()))

    def connection_lost(self, exc: Exception | None) -> None:
        """The client hung up (or we did)."""
        self._gone.set()
        super().connection_lost(exc)

    def shutdown(self) -> None:
        """Graceful shutdown: stalls end now rather than hold the server up."""
        self._gone.set()
        super().shutdown()  # type: ignore[misc]  # uvicorn's protocols have it

    async def _guarded(
        self, scope: Scope, receive: ASGIReceiveCallable, send: ASGISendCallable
    ) -> None:
        # The cycle this request is served by (a pipelining protocol's ``self.cycle`` may be
        # a later request's by now): ``send`` is its bound method.
        cycle = send.__self__  # type: ignore[attr-defined]
        try:
            await self._inner(scope, receive, send)
        except TransportFault as fault:
            # Marked gone, the cycle adds nothing of its own (no 500, no close of its own).
            cycle.disconnected = True
            await self._act_out(fault)

    async def _act_out(self, fault: TransportFault) -> None:
        transport = self.transport
        if fault.partial and not transport.is_closing():
            transport.write(fault.partial)
        if fault.after_s > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._gone.wait(), fault.after_s)
        if fault.kind in ABORTIVE:
            reset(transport)
        else:
            transport.close()


class FaultingH11Protocol(ActsOutFaults, H11Protocol):
    """uvicorn's h11 protocol (pure Python), acting out the app's transport faults."""


class _Refused(Exception):
    """A request head over :mod:`mockapis.kit.limits`' limits, found while it is parsed."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


class FaultingHttpToolsProtocol(ActsOutFaults, HttpToolsProtocol):
    """uvicorn's httptools protocol (llhttp, in C), acting out the app's transport faults.

    It also stops reading a request head at the limits a real server has
    (:mod:`mockapis.kit.limits`): an over-long target gets 414, an over-long header line or
    section 431, as soon as the limit is passed (the rest is never buffered), where uvicorn
    would read on, or answer 400 for a target over 64 KiB.
    """

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_size = 0

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > limits.MAX_TARGET:
            raise _Refused(414, limits.TARGET_TOO_LONG)

    def on_header(self, name: bytes, value: bytes) -> None:
        size = len(name) + len(value) + 4
        if size > limits.MAX_FIELD:
            raise _Refused(431, limits.FIELD_TOO_LONG)
        self._head_size += size
        if self._head_size > limits.MAX_HEAD:
            raise _Refused(431, limits.HEAD_TOO_LONG)
        super().on_header(name, value)

    def data_received(self, data: bytes) -> None:
        # uvicorn's, with a refusal of ours told apart from the parser's own errors.
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            refused = exc.__context__
            if isinstance(refused, _Refused):
                self._refuse(refused.status, str(refused))
            else:
                self.send_400_response("Invalid HTTP request received.")
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()

    def _refuse(self, status: int, reason: str) -> None:
        body = reason.encode()
        phrase = http.HTTPStatus(status).phrase.encode()
        self.transport.write(
            b"HTTP/1.1 %d %s\r\ncontent-type: text/plain; charset=utf-8\r\n"
            b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (status, phrase, len(body), body)
        )
        self.transport.close()


HTTP_PROTOCOL: type[asyncio.Protocol] = FaultingHttpToolsProtocol
"""The protocol server mode serves with (``uvicorn.Config(http=...)``)."""
