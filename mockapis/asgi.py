"""A direct ASGI driver: runs one request through an app with no event loop and no sockets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message

__all__ = ["RawResponse", "build_scope", "drive"]


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
    path = parts.path or "/"
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": scheme,
        "path": _unquote(path),
        "raw_path": path.encode("latin-1"),
        "query_string": parts.query.encode("latin-1"),
        "root_path": "",
        "headers": raw_headers,
        "client": client,
        "server": (host, port),
    }


def _unquote(path: str) -> str:
    if "%" not in path:
        return path
    from urllib.parse import unquote

    return unquote(path)


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

    coro = app(scope, receive, send)
    try:
        coro.send(None)
    except StopIteration:
        pass
    else:
        coro.close()
        raise RuntimeError("the ASGI app suspended on real I/O; services must not await I/O")
    response.body = b"".join(chunks)
    return response
