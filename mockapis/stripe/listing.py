"""Stripe's list endpoints: newest first, ``limit``, ``starting_after``, ``ending_before``.

Cursors are object ids: a page holds the objects that sort after (or before) the cursor
object in the list's order (``created`` descending, then id), so a cursor stays valid when
objects are added or filtered out, as on Stripe.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from mockapis.kit.errors import ApiError
from mockapis.kit.responses import JSONResponse
from mockapis.stripe.access import authorize, expand, fetch
from mockapis.stripe.objects import TABLES
from mockapis.stripe.params import Params, in_range, read_params
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "list_page", "newest_first", "page_limit", "retrieve"]

DEFAULT_LIMIT = 10
MAX_LIMIT = 100
"""A list or search page holds 1 to 100 objects; 10 unless ``limit`` says otherwise."""

Predicate = Callable[[Record], bool]


def page_limit(params: Params) -> int:
    """``limit`` (1-100, default 10), else Stripe's ``parameter_invalid_integer``."""
    limit = params.integer("limit", minimum=1, maximum=MAX_LIMIT)
    return DEFAULT_LIMIT if limit is None else limit


def newest_first(rows: list[Record]) -> list[Record]:
    """Stripe's list order: ``created`` descending, ties by id descending."""
    return sorted(rows, key=_order, reverse=True)


def _order(row: Record) -> tuple[int, str]:
    return (row["created"], row["id"])


def list_page(
    world: World, kind: str, params: Params, url: str, predicate: Predicate | None = None
) -> JSONResponse:
    """One page of the objects of ``kind`` that pass ``predicate`` and ``created``."""
    limit = page_limit(params)
    created = params.range("created")
    after = params.string("starting_after")
    before = params.string("ending_before")
    paths = params.expand()
    params.done()
    if after and before:
        raise ApiError(
            400,
            "You may only specify one of these parameters: ending_before, starting_after.",
            extra={"param": "ending_before"},
        )
    rows = newest_first(
        [
            row
            for row in world.table(TABLES[kind]).values()
            if in_range(row["created"], created) and (predicate is None or predicate(row))
        ]
    )
    if before:
        pivot = _order(fetch(world, kind, before, "ending_before"))
        earlier = [row for row in rows if _order(row) > pivot]
        page, has_more = earlier[-limit:], len(earlier) > limit
    else:
        if after:
            pivot = _order(fetch(world, kind, after, "starting_after"))
            rows = [row for row in rows if _order(row) < pivot]
        page, has_more = rows[:limit], len(rows) > limit
    data = [expand(world, kind, row, paths, prefix="data.") for row in page]
    return JSONResponse(list_object(data, has_more, url))


def list_object(data: list[Any], has_more: bool, url: str) -> dict[str, Any]:
    """``{"object": "list", "data", "has_more", "url"}``."""
    return {"object": "list", "data": data, "has_more": has_more, "url": url}


def retrieve(kind: str, param: str) -> Callable[[Request], Awaitable[Response]]:
    """The ``GET /v1/<objects>/{param}`` endpoint of ``kind``, with ``expand[]``."""

    async def endpoint(request: Request) -> Response:
        world = authorize(request)
        params = await read_params(request)
        paths = params.expand()
        params.done()
        found = fetch(world, kind, request.path_params[param])
        return JSONResponse(expand(world, kind, found, paths))

    endpoint.__name__ = f"retrieve_{kind}"
    endpoint.__doc__ = f"Retrieve a {kind} by id (``expand[]`` allowed)."
    return endpoint
