"""A direct ASGI driver: runs one request through an app with no event loop and no sockets."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import quote, unquote

from starlette.types import ASGIApp, Message, Receive, Send

__all__ = [
    "RawResponse",
    "SplitURL",
    "body_receiver",
    "build_scope",
    "drive",
    "lifespan",
    "merged_headers",
    "split_url",
]

_PATH_SAFE = "/%!$&'()*+,;=:@~-._"
_QUERY_SAFE = _PATH_SAFE + "?"


@dataclass(slots=True)
class RawResponse:
    """A response as the ASGI app sent it."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class SplitURL(NamedTuple):
    """The parts of an absolute URL that a request scope needs."""

    scheme: str
    netloc: str
    host: str
    port: int
    path: str
    query: str


def split_url(url: str) -> SplitURL:
    """Split an absolute ``scheme://host[:port]/path?query`` URL (the fragment is dropped).

    Hand-written, with the origin's parse cached, because ``urlsplit`` with ``.hostname``
    and ``.port`` cost more than the rest of an in-process step. ``ValueError`` for no
    scheme, no host or a bad port.
    """
    match = _URL.match(url)
    if match is None:
        raise ValueError(f"not an absolute URL: {url!r}")
    origin, path, query = match.groups()
    scheme, netloc, host, port = _origin(origin)
    return SplitURL(scheme, netloc, host, port, path or "/", query or "")


_URL = re.compile(r"([^/?#:]+://[^/?#]*)([^?#]*)(?:\?([^#]*))?")


@functools.lru_cache(maxsize=1024)
def _origin(origin: str) -> tuple[str, str, str, int]:
    scheme, _, netloc = origin.partition("://")
    if not scheme.isascii() or not scheme.isalpha():
        raise ValueError(f"not an absolute URL: {origin!r}")
    host = netloc.rpartition("@")[2]
    port_text = ""
    if host.startswith("["):
        end = host.find("]")
        host, port_text = host[: end + 1], host[end + 2 :]
    elif ":" in host:
        host, _, port_text = host.rpartition(":")
    if not host:
        raise ValueError(f"no host in URL: {origin!r}")
    scheme = scheme.lower()
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ValueError(f"bad port in URL: {origin!r}")
        port = int(port_text)
    else:
        port = 443 if scheme == "https" else 80
    return scheme, netloc, host.lower(), port


_NEEDS_QUOTING = re.compile(r"[^A-Za-z0-9/%!$&'()*+,;=:@~._?-]")


def _encoded(text: str, safe: str) -> str:
    # Percent-encode what a client would (non-ASCII, spaces), keeping existing escapes.
    return quote(text, safe=safe) if _NEEDS_QUOTING.search(text) else text


def _host_header(netloc: str) -> bytes:
    return netloc.encode("ascii") if netloc.isascii() else netloc.encode("idna")


_ASGI_VERSION = {"version": "3.0", "spec_version": "2.3"}


def build_scope(
    method: str,
    url: str | SplitURL,
    headers: Iterable[tuple[str, str]] = (),
    *,
    client: tuple[str, int] = ("127.0.0.1", 50000),
) -> dict[str, Any]:
    """An HTTP scope for an absolute ``url``; the ``host`` header is set from the URL if absent.

    ``ValueError`` for a URL that is not absolute, ``UnicodeEncodeError`` for a header that
    is not latin-1 (HTTP cannot carry it).
    """
    parts = split_url(url) if isinstance(url, str) else url
    raw_headers = []
    has_host = False
    for key, value in headers:
        name = key.lower()
        has_host = has_host or name == "host"
        raw_headers.append((name.encode("latin-1"), value.encode("latin-1")))
    if not has_host:
        raw_headers.append((b"host", _host_header(parts.netloc)))
    path = _encoded(parts.path, _PATH_SAFE)
    return {
        "type": "http",
        "asgi": _ASGI_VERSION,
        "http_version": "1.1",
        "method": method,
        "scheme": parts.scheme,
        "path": unquote(path) if "%" in path else path,
        "raw_path": path.encode("ascii"),
        "query_string": _encoded(parts.query, _QUERY_SAFE).encode("ascii"),
        "root_path": "",
        "headers": raw_headers,
        "client": client,
        "server": (parts.host, parts.port),
    }


def body_receiver(body: bytes) -> Receive:
    """An ASGI ``receive`` that delivers ``body`` in one message, then a disconnect."""
    delivered = False

    async def receive() -> Message:
        nonlocal delivered
        if delivered:
            return {"type": "http.disconnect"}
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def drive(app: ASGIApp, scope: dict[str, Any], body: bytes = b"") -> RawResponse:
    """Run ``app`` on one request and return what it sent.

    Services never do real I/O, so the coroutine completes on its first ``send(None)``;
    skipping the event loop is what makes an in-process step cost about as much as the
    handler itself. An app that suspends is a bug and raises ``RuntimeError``.
    """
    status = 0
    headers: list[tuple[bytes, bytes]] = []
    chunks: list[bytes] = []

    async def send(message: Message) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
        elif message["type"] == "http.response.start":
            status = message["status"]
            headers = list(message.get("headers", ()))

    # ``__await__`` gives a generator for any awaitable, coroutine or not, typed with send/close.
    coro = app(scope, body_receiver(body), send).__await__()
    try:
        coro.send(None)
    except StopIteration:
        pass
    else:
        coro.close()
        raise RuntimeError("the ASGI app suspended on real I/O; services must not await I/O")
    return RawResponse(status, headers, chunks[0] if len(chunks) == 1 else b"".join(chunks))


def merged_headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Response headers as a dict, repeated names joined by ``", "`` (as HTTP allows)."""
    merged: dict[str, str] = {}
    for key, value in raw:
        name, text = key.decode("latin-1"), value.decode("latin-1")
        merged[name] = f"{merged[name]}, {text}" if name in merged else text
    return merged


async def lifespan(receive: Receive, send: Send) -> None:
    """Answer an ASGI server's lifespan events: the apps here have nothing to start or stop."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
