"""The direct ASGI driver: scopes as a server would build them, one request with no event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Generator
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from mockapis.asgi import RawResponse, build_scope, drive


def test_scope_from_an_absolute_url() -> None:
    scope = build_scope("POST", "https://api.attio.com/v2/objects/people?limit=5&x=%20y")
    assert scope["type"] == "http"
    assert scope["method"] == "POST"
    assert scope["scheme"] == "https"
    assert scope["server"] == ("api.attio.com", 443)
    assert scope["path"] == "/v2/objects/people"
    assert scope["raw_path"] == b"/v2/objects/people"
    assert scope["query_string"] == b"limit=5&x=%20y"
    assert scope["root_path"] == ""
    assert (b"host", b"api.attio.com") in scope["headers"]


def test_scope_keeps_the_port_in_host_and_defaults_ports_by_scheme() -> None:
    scope = build_scope("GET", "http://127.0.0.1:8123")
    assert scope["path"] == "/"
    assert scope["server"] == ("127.0.0.1", 8123)
    assert (b"host", b"127.0.0.1:8123") in scope["headers"]
    assert build_scope("GET", "http://example.test/")["server"] == ("example.test", 80)


def test_explicit_host_header_wins_and_header_names_are_lowercased() -> None:
    scope = build_scope(
        "GET", "http://127.0.0.1/x", [("Host", "api.attio.com"), ("X-Api-Key", "k")]
    )
    assert scope["headers"] == [(b"host", b"api.attio.com"), (b"x-api-key", b"k")]


def test_path_is_decoded_and_raw_path_percent_encoded() -> None:
    scope = build_scope("GET", "https://h.test/files/a%20b/caf\u00e9?q=\u65e5 x")
    assert scope["path"] == "/files/a b/caf\u00e9"
    assert scope["raw_path"] == b"/files/a%20b/caf%C3%A9"
    assert scope["query_string"] == b"q=%E6%97%A5%20x"


def _app(endpoint: Any, methods: tuple[str, ...] = ("GET", "POST")) -> Starlette:
    return Starlette(routes=[Route("/{rest:path}", endpoint, methods=list(methods))])


def test_drive_returns_status_headers_and_body() -> None:
    async def endpoint(request: Request) -> Response:
        body = await request.body()
        return PlainTextResponse(f"{request.method} {request.url.path} {body.decode()}", 201)

    response = drive(_app(endpoint), build_scope("POST", "https://h.test/a/b"), b"hello")
    assert isinstance(response, RawResponse)
    assert response.status == 201
    assert response.body == b"POST /a/b hello"
    assert (b"content-type", b"text/plain; charset=utf-8") in response.headers


def test_drive_joins_a_streamed_body_and_reports_disconnect_after_the_request() -> None:
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append((await receive())["type"])
        seen.append((await receive())["type"])
        await send({"type": "http.response.start", "status": 200, "headers": [(b"x-a", b"1")]})
        await send({"type": "http.response.body", "body": b"ab", "more_body": True})
        await send({"type": "http.response.body", "body": b"cd"})

    response = drive(app, build_scope("GET", "https://h.test/"))
    assert seen == ["http.request", "http.disconnect"]
    assert (response.status, response.headers, response.body) == (200, [(b"x-a", b"1")], b"abcd")


def test_drive_refuses_an_app_that_awaits_real_io() -> None:
    async def endpoint(request: Request) -> Response:
        await asyncio.sleep(0.01)  # needs an event loop: there is none
        return PlainTextResponse("late")

    with pytest.raises(RuntimeError):
        drive(_app(endpoint), build_scope("GET", "https://h.test/"))


def test_drive_refuses_an_app_that_yields_to_a_loop() -> None:
    async def endpoint(request: Request) -> Response:
        await asyncio.sleep(0)  # a bare yield: the coroutine suspends
        return PlainTextResponse("late")

    with pytest.raises(RuntimeError, match="suspended on real I/O"):
        drive(_app(endpoint), build_scope("GET", "https://h.test/"))


def test_drive_refuses_a_sync_endpoint_run_in_a_thread_pool() -> None:
    def endpoint(request: Request) -> Response:  # Starlette runs sync endpoints in a thread
        return PlainTextResponse("sync")

    with pytest.raises(RuntimeError):
        drive(_app(endpoint), build_scope("GET", "https://h.test/"))


def test_drive_lets_app_exceptions_propagate() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise KeyError("boom")

    with pytest.raises(KeyError, match="boom"):
        drive(app, build_scope("GET", "https://h.test/"))


def test_drive_accepts_any_awaitable_app() -> None:
    class Awaiting:
        """Awaitable but not a coroutine (as some ASGI middlewares return)."""

        def __init__(self, send: Send) -> None:
            self.send = send

        def __await__(self) -> Generator[Any, None, None]:
            return self.run().__await__()

        async def run(self) -> None:
            await self.send({"type": "http.response.start", "status": 204})
            await self.send({"type": "http.response.body", "body": b""})

    def app(scope: Scope, receive: Receive, send: Send) -> Awaiting:
        return Awaiting(send)

    assert drive(app, build_scope("GET", "https://h.test/")).status == 204


def test_merged_headers_join_repeated_names() -> None:
    from mockapis.asgi import merged_headers

    raw = [(b"vary", b"accept"), (b"link", b"<a>"), (b"vary", b"origin")]
    assert merged_headers(raw) == {"vary": "accept, origin", "link": "<a>"}
