"""Run one kit function on a real Starlette request, through the direct driver."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.asgi import build_scope, drive
from mockapis.kit import ApiError, JSONResponse

Handler = Callable[[Request], Awaitable[Any] | Any]


@dataclass
class Outcome:
    """What the handler returned (``value``) or the ApiError it raised (``error``)."""

    status: int
    value: Any = None
    error: dict[str, Any] | None = None
    headers: dict[str, str] | None = None


def run(
    handler: Handler,
    url: str = "https://api.test/",
    *,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    body: bytes = b"",
) -> Outcome:
    """Call ``handler(request)`` (awaited if it is a coroutine) inside a one-route app."""

    async def endpoint(request: Request) -> Response:
        result = handler(request)
        if isinstance(result, Awaitable):
            result = await result
        return JSONResponse({"value": result})

    async def on_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        payload = {"message": exc.message, "code": exc.code, "extra": exc.extra}
        return JSONResponse(payload, exc.status, headers=exc.headers)

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    app = Starlette(
        routes=[Route("/{rest:path}", endpoint, methods=methods)],
        exception_handlers={ApiError: on_error},
    )
    raw = drive(app, build_scope(method, url, (headers or {}).items()), body)
    payload = json.loads(raw.body)
    found = {k.decode(): v.decode() for k, v in raw.headers}
    if raw.status == 200:
        return Outcome(200, value=payload["value"], headers=found)
    return Outcome(raw.status, error=payload, headers=found)
