"""What a simulated service is: hosts, routes, spec, error format, seeded data."""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import Message, Receive, Scope, Send

from mockapis.kit.errors import ApiError
from mockapis.kit.ratelimit import http_date
from mockapis.kit.responses import JSONResponse
from mockapis.kit.routing import IndexedRouter
from mockapis.tables import Record
from mockapis.world import World

__all__ = [
    "DOCS_PATH",
    "Cloner",
    "ErrorRenderer",
    "ErrorResponder",
    "Seeder",
    "Service",
    "ServiceApp",
    "resolve_sizes",
    "specs_dir",
]

DOCS_PATH = "/openapi.yaml"
"""Where every service serves its own spec (not part of the spec itself)."""

ErrorRenderer = Callable[[ApiError], Mapping[str, Any]]
"""Turns an :class:`ApiError` into the service's JSON error body."""

ErrorResponder = Callable[[ApiError, Request], Response]
"""Turns an :class:`ApiError` into the whole response, for services whose errors are not JSON
(S3's XML ``<Error>``, a format negotiated per request)."""

Seeder = Callable[[World, Mapping[str, int]], dict[str, str]]
"""Fills a world with the service's initial data (sizes by entity) and returns credentials."""

Cloner = Callable[[World, str, random.Random], "tuple[str, Record] | None"]
"""Makes a new realistic row for a table (``"service.table"``) as another client creating it
now would, drawn from the given RNG: ``(key, record)``, or None if the table has no such rows."""


def specs_dir() -> Path:
    """The folder holding the specs (the source tree's, or the installed package's)."""
    source = Path(__file__).resolve().parent.parent / "specs"
    if source.is_dir():
        return source
    return Path(__file__).resolve().parent / "_specs"


def resolve_sizes(
    service: str, sizes: Mapping[str, int], defaults: Mapping[str, int]
) -> dict[str, int]:
    """``defaults`` overridden by ``sizes``; ``ValueError`` for an unknown entity or a bad count."""
    unknown = sorted(set(sizes) - set(defaults))
    bad = {k: v for k, v in sizes.items() if isinstance(v, bool) or not isinstance(v, int) or v < 0}
    if unknown or bad:
        raise ValueError(
            f"{service} sizes take non-negative counts for {', '.join(defaults)}; got {dict(sizes)}"
        )
    return {**defaults, **sizes}


@dataclass(frozen=True, eq=False)
class Service:
    """A simulated HTTP API.

    Routes are stateless: a handler finds the episode's :class:`World` in
    ``request.scope["world"]``. One Starlette app per service is built once per process.
    """

    name: str
    hosts: tuple[str, ...]
    routes: Sequence[BaseRoute]
    spec: str
    render_error: ErrorRenderer
    seed: Seeder
    description: str = ""
    default_sizes: Mapping[str, int] = field(default_factory=dict)
    clone: Cloner | None = None
    """Optional: new rows for concurrent-writer faults (``pagination_drift`` inserts)."""
    date_header: bool = False
    """Responses carry a ``Date`` header from the episode clock (for clients that compute waits
    from it, such as GitHub's ``x-ratelimit-reset``)."""
    error_response: ErrorResponder | None = None
    """Optional: renders every error that escapes a handler, routing errors included, as a
    whole response (without it, ``render_error``'s body as JSON)."""
    client_clock: bool = False
    """The service checks timestamps the client makes from its own clock (OAuth 1.0a, request
    signing). Implies ``date_header``, for clients to sync with; served, such a scenario's
    clock starts at the real time (see ``Episode``)."""

    @property
    def sends_date(self) -> bool:
        """Whether responses carry the episode clock's ``Date`` (``date_header`` or
        ``client_clock``)."""
        return self.date_header or self.client_clock

    @property
    def spec_path(self) -> Path:
        """The spec file of this service."""
        return specs_dir() / self.spec

    @functools.cached_property
    def app(self) -> ServiceApp:
        """The service's ASGI app: its routes plus the docs route, errors in its format."""
        spec_text = self.spec_path.read_text(encoding="utf-8")

        async def docs(request: Request) -> Response:
            return Response(spec_text, media_type="application/yaml")

        router = IndexedRouter([*self.routes, Route(DOCS_PATH, docs, methods=["GET"])])
        return ServiceApp(
            router,
            self.render_error,
            date_header=self.sends_date,
            error_response=self.error_response,
        )


class ServiceApp:
    """A service's ASGI app: a Starlette router, with errors rendered in the service's format.

    It stands in for the ``Starlette`` application class, whose two middleware layers would
    do nothing here: the gateway already turns unexpected exceptions into a rolled-back 500,
    and the only handled exceptions are :class:`ApiError` and Starlette's routing errors,
    caught below. Dropping them takes a third off the framework's cost per request.
    """

    def __init__(
        self,
        router: IndexedRouter,
        render_error: ErrorRenderer,
        *,
        date_header: bool = False,
        error_response: ErrorResponder | None = None,
    ) -> None:
        self.router = router
        self.render_error = render_error
        self.date_header = date_header
        self.error_response = error_response

    @property
    def routes(self) -> list[BaseRoute]:
        """The routes, in matching order (the service's, then the docs route)."""
        return self.router.routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = self
        if self.date_header:
            send = _dated(scope, send)
        try:
            await self.router.app(scope, receive, send)
        except ApiError as exc:
            await self._error(exc, scope, receive, send)
        except HTTPException as exc:
            await self._error(_routing_error(Request(scope), exc), scope, receive, send)

    async def _error(self, exc: ApiError, scope: Scope, receive: Receive, send: Send) -> None:
        response: Response
        if self.error_response is not None:
            response = self.error_response(exc, Request(scope))
        else:
            response = JSONResponse(self.render_error(exc), exc.status, headers=exc.headers)
        await response(scope, receive, send)


def _dated(scope: Scope, send: Send) -> Send:
    """``send`` adding a ``Date`` header (the episode clock's time) to the response."""

    async def dated_send(message: Message) -> None:
        if message["type"] == "http.response.start":
            date = http_date(scope["world"].clock.now_ns).encode()
            headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != b"date"]
            message = {**message, "headers": [*headers, (b"date", date)]}
        await send(message)

    return dated_send


def _routing_error(request: Request, exc: HTTPException) -> ApiError:
    method, path = request.method, request.url.path
    if exc.status_code == 404:
        docs = request.scope.get("root_path", "") + DOCS_PATH
        return ApiError(
            404,
            f"No route matches {method} {path}. The operations are listed in {docs}.",
            code="not_found",
        )
    if exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        return ApiError(
            405,
            f"Method {method} is not allowed on {path}; allowed: {allowed}.",
            code="method_not_allowed",
            headers={"Allow": allowed},
        )
    return ApiError(exc.status_code, str(exc.detail), code="http_error", headers=exc.headers)
