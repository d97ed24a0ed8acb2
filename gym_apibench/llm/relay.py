"""A loopback HTTP relay: turns a program's requests into env actions, one at a time.

The program is given ``http://127.0.0.1:PORT/<prefix>`` in place of each real origin
(``/<service>`` for a service's base URL, ``/_host/<host>`` for its other hosts, such as an
OAuth host). Each request it makes is put on the current sink queue as an
:class:`Exchange` holding the env action (the URL rewritten to the real origin); the request
waits until :meth:`Exchange.reply` gives it the env's observation, which is sent back as the
HTTP response, with the real origins in its headers and body rewritten to relay URLs (so
``Link`` headers and ``next`` URLs lead back through the relay). An observation with status
0 (a transport fault, an invalid action) closes the connection without a response, as a
lost connection would. The relay listens on 127.0.0.1 only, and on a Unix socket
(:attr:`Relay.socket_path`) that a sandboxed program reaches from its own network namespace
(:mod:`gym_apibench.llm.isolation`).
"""

from __future__ import annotations

import os
import queue
import socketserver
import tempfile
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from gym_apibench.bodies import BODY_ENCODING_HEADER, body_bytes, is_base64

__all__ = ["Exchange", "Relay"]

MAX_BODY = 16 * 1024 * 1024
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "content-length",
    "content-encoding",
    "host",
    "accept-encoding",
}


class _UnixServer(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True


class Exchange:
    """One program request waiting for its env observation."""

    def __init__(self, action: dict[str, Any]) -> None:
        self.action = action
        self.observation: Mapping[str, Any] | None = None
        self._done = threading.Event()

    def reply(self, observation: Mapping[str, Any] | None) -> None:
        """Answer the request (``None``: drop the connection)."""
        self.observation = observation
        self._done.set()

    def wait(self, timeout: float) -> Mapping[str, Any] | None:
        """The observation, or ``None`` when none came within ``timeout`` seconds."""
        self._done.wait(timeout)
        return self.observation


class Relay:
    """The relay server for ``origins`` (prefix -> real origin URL), started at once.

    ``sink`` is the queue new exchanges go to; swap it to start a fresh one (requests of an
    old program then land on the old queue, which nobody reads). ``timeout`` bounds how long
    a request waits for its observation.
    """

    def __init__(self, origins: Mapping[str, str], *, timeout: float) -> None:
        self.origins = {prefix: url.rstrip("/") for prefix, url in origins.items()}
        self.sink: queue.Queue[Any] = queue.Queue()
        self.timeout = timeout
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        # Longest origins first, so that one origin that extends another is rewritten whole.
        self._rewrites = sorted(
            ((url, f"{self.base}/{prefix}") for prefix, url in self.origins.items()),
            key=lambda pair: -len(pair[0]),
        )
        self._socket_dir = tempfile.TemporaryDirectory(prefix="apibench-relay-")
        os.chmod(self._socket_dir.name, 0o711)
        self.socket_path = os.path.join(self._socket_dir.name, "relay.sock")
        self._unix = _UnixServer(self.socket_path, self._handler_class())
        for server in (self._server, self._unix):
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def url(self, prefix: str) -> str:
        """The relay URL that stands for ``prefix``'s origin."""
        return f"{self.base}/{prefix}"

    def to_relay(self, text: str) -> str:
        """``text`` with every real origin replaced by its relay URL."""
        for real, relayed in self._rewrites:
            text = text.replace(real, relayed)
        return text

    def close(self) -> None:
        """Stop serving and free the port and the socket."""
        for server in (self._server, self._unix):
            server.shutdown()
            server.server_close()
        self._socket_dir.cleanup()

    def _route(self, path: str) -> str | None:
        """The real URL of a relay path (``/<prefix>/rest?query``), or ``None``."""
        trimmed = path.lstrip("/")
        for prefix in sorted(self.origins, key=len, reverse=True):
            if (
                trimmed == prefix
                or trimmed.startswith(prefix + "/")
                or trimmed.startswith(prefix + "?")
            ):
                return self.origins[prefix] + trimmed[len(prefix) :]
        return None

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        relay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def address_string(self) -> str:
                return "relay client"  # a Unix socket's peer has no address

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the env's trace records every request."""

            def _handle(self) -> None:
                real = relay._route(self.path)
                if real is None:
                    known = ", ".join(relay.url(p) for p in sorted(relay.origins))
                    self._send(
                        502, {"content-type": "text/plain"}, f"no API here; use {known}".encode()
                    )
                    return
                body = self._body()
                if body is None:
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                action: dict[str, Any] = {"method": self.command, "url": real, "headers": headers}
                if body:
                    try:
                        action["body"] = body.decode("utf-8")
                    except UnicodeDecodeError:
                        action["body"] = body
                exchange = Exchange(action)
                relay.sink.put(exchange)
                observation = exchange.wait(relay.timeout)
                if observation is None or observation.get("status") in (0, None):
                    self.close_connection = True
                    return
                out = {
                    k: relay.to_relay(str(v))
                    for k, v in (observation.get("headers") or {}).items()
                    if k.lower() not in _HOP_BY_HOP and k.lower() != BODY_ENCODING_HEADER
                }
                if is_base64(observation):
                    data = body_bytes(observation)  # binary: the bytes, unrewritten
                else:
                    data = relay.to_relay(str(observation.get("body", ""))).encode("utf-8")
                self._send(int(observation["status"]), out, data)

            def _body(self) -> bytes | None:
                if "chunked" in self.headers.get("transfer-encoding", "").lower():
                    chunks = bytearray()
                    while True:
                        size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                        if size == 0:
                            while self.rfile.readline().strip():
                                pass
                            return bytes(chunks)
                        chunks += self.rfile.read(size)
                        self.rfile.readline()
                        if len(chunks) > MAX_BODY:
                            break
                else:
                    length = int(self.headers.get("content-length") or 0)
                    if length <= MAX_BODY:
                        return self.rfile.read(length) if length else b""
                self._send(413, {"content-type": "text/plain"}, b"request body too large")
                self.close_connection = True
                return None

            def _send(self, status: int, headers: Mapping[str, str], data: bytes) -> None:
                try:
                    self.send_response_only(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(data)
                except OSError:
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle

        return Handler
