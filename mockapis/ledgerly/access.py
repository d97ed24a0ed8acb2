"""What every API handler needs first: OAuth, the world, the response format, paging."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.context import world_of
from mockapis.kit.errors import ApiError
from mockapis.kit.pagination import page_params, paginate_pages
from mockapis.ledgerly.formats import render, response_format
from mockapis.ledgerly.oauth import Principal, Protector, prepare
from mockapis.ledgerly.problems import OAuthProblem, problem_response
from mockapis.tables import Record

__all__ = [
    "DEFAULT_PAGESIZE",
    "MAX_PAGESIZE",
    "Handler",
    "Protected",
    "api_route",
    "guarded",
    "paged",
]

DEFAULT_PAGESIZE = 50
MAX_PAGESIZE = 100

Handler = Callable[[Request], Awaitable[Response]]
Protected = Callable[[Request, Principal], Awaitable[Response]]


def guarded(handler: Handler) -> Handler:
    """``handler`` with OAuth problems as form bodies (API errors reach the service's
    :func:`~mockapis.ledgerly.errors.negotiated_error`)."""

    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except OAuthProblem as problem:
            return problem_response(problem)

    endpoint.__doc__ = handler.__doc__
    return endpoint


def api_route(path: str, handlers: Mapping[str, Protected], *, two_legged: bool = False) -> Route:
    """A protected route: every method authenticates first (``two_legged``: a partner
    consumer may call it without a token), then checks ``?format``."""

    async def endpoint(request: Request) -> Response:
        prepared = await prepare(request)
        principal = Protector(world_of(request)).authenticate(prepared, two_legged=two_legged)
        response_format(request)
        method = request.method if request.method != "HEAD" else "GET"
        return await handlers[method](request, principal)

    endpoint.__doc__ = " / ".join(f"{m}: {h.__doc__ or h.__name__}" for m, h in handlers.items())
    return Route(path, guarded(endpoint), methods=list(handlers))


def paged(request: Request, tag: str, rows: Sequence[Record]) -> Response:
    """One page (``page``, ``pagesize`` <= 100) of ``rows`` in the envelope
    ``<tag page= pagesize= total= pages=>`` (JSON: ``{tag: [...], "page", ...}``)."""
    page, size = page_params(
        request,
        default_per_page=DEFAULT_PAGESIZE,
        max_per_page=MAX_PAGESIZE,
        per_page_param="pagesize",
    )
    found = paginate_pages(rows, page=page, per_page=size, max_per_page=MAX_PAGESIZE)
    meta: dict[str, Any] = {
        "page": found.page,
        "pagesize": found.per_page,
        "total": found.total,
        "pages": found.last_page,
    }
    return render(request, tag, found.items, attributes=meta)


def one(request: Request, table: str, key: str, what: str) -> Record:
    """The row ``key`` of ``table``, else 404 naming it."""
    row = world_of(request).table(table).get(key)
    if row is None:
        raise ApiError(404, f"No {what} with id {key[:40]!r}.", code="not_found")
    return row
