"""A direct ASGI driver: runs one request through an app with no event loop and no sockets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from starlette.types import ASGIApp, Message

__all__ = ["RawResponse", "build_scope", "drive"]

_PATH_SAFE = "/%!$&'()*+,;=:@~-._"
_QUERY_SAFE = _PATH_SAFE + "?"


@dataclass(slots=True)
class RawResponse:
    """A response as the ASGI app sent it."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


def build_scope(
    method: str,
    url: str,
    headers: Iterable[tuple[str, str]] = (),
    *,
    client: tuple[str, int] = ("127.0.0.1", 50000),
) -> dict[str, Any]:
    """An HTTP scope for an absolute ``url``; the ``host`` header is set from the URL if absent."""
    parts = urlsplit(url)
    scheme = parts.scheme or "https"
    host = parts.hostname or ""
    port = parts.port or (443 if scheme == "https" else 80)
    raw_headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    if not any(k == b"host" for k, _ in raw_headers):
        raw_headers.append((b"host", (parts.netloc or host).encode("latin-1")))
    # Percent-encode what a client would (non-ASCII, spaces), keeping existing escapes.
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    query = quote(parts.query, safe=_QUERY_SAFE)
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": scheme,
        "path": unquote(path),
        "raw_path": path.encode("ascii"),
        "query_string": query.encode("ascii"),
        "root_path": "",
        "headers": raw_headers,
        "client": client,
        "server": (host, port),
    }


def drive(app: ASGIApp, scope: dict[str, Any], body: bytes = b"") -> RawResponse:
    """Run ``app`` on one request and return what it sent.

    Services never do real I/O, so the coroutine completes on its first ``send(None)``;
    skipping the event loop is what makes an in-process step cost about as much as the
    handler itself. An app that suspends is a bug and raises ``RuntimeError``.
    """
    response = RawResponse(0, [], b"")
    chunks: list[bytes] = []
    delivered = False

    async def receive() -> Message:
        nonlocal delivered
        if delivered:
            return {"type": "http.disconnect"}
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            response.status = message["status"]
            response.headers = list(message.get("headers", ()))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    # ``__await__`` gives a generator for any awaitable, coroutine or not, typed with send/close.
    coro = app(scope, receive, send).__await__()
    try:
        coro.send(None)
    except StopIteration:
        pass
    else:
        coro.close()
        raise RuntimeError("the ASGI app suspended on real I/O; services must not await I/O")
    response.body = b"".join(chunks)
    return response
