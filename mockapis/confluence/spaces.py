"""``/wiki/rest/api/space`` (every space), ``/space/{spaceKey}`` and its ``/content``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.confluence import render
from mockapis.confluence.access import API, authorized, paged, site, start_limit, world
from mockapis.confluence.data import CONTENT, SPACES
from mockapis.confluence.errors import bad_request
from mockapis.kit.errors import ApiError
from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record

__all__ = ["ROUTES", "space_or_404"]

SPACE_MAX_LIMIT = 250
"""The mock's cap on ``limit`` for ``/space`` (cut silently; the response's ``limit`` tells)."""


def space_or_404(request: Request) -> Record:
    """The space of the path's ``spaceKey`` (a key such as ``ENG``, never the numeric id)."""
    key = request.path_params["spaceKey"]
    row = world(request).table(SPACES).get(key)
    if row is None:
        raise ApiError(404, f"No space with key : {key}", code="not_found")
    return row


async def list_spaces(request: Request) -> Response:
    """``GET /space``: every space the user can see, current and archived unless ``status``
    says which, by key; ``spaceKey`` (repeatable), ``type``, ``start``, ``limit`` (25 by
    default)."""
    params = request.query_params
    start, limit = start_limit(request, max_limit=SPACE_MAX_LIMIT)
    rows = list(world(request).table(SPACES).values())
    if keys := params.getlist("spaceKey"):
        wanted = {k for raw in keys for k in raw.split(",")}
        rows = [r for r in rows if r["key"] in wanted]
    if (kind := params.get("type")) is not None:
        if kind not in ("global", "personal"):
            raise bad_request(f"type must be global or personal; got {kind!r}")
        rows = [r for r in rows if r["type"] == kind]
    if (status := params.get("status")) is not None:
        if status not in ("current", "archived"):
            raise bad_request(f"status must be current or archived; got {status!r}")
        rows = [r for r in rows if r["status"] == status]
    rows.sort(key=lambda r: (r["key"].casefold(), r["id"]))
    expand = render.expansions(request)
    body = paged(request, "/rest/api/space", rows, start, limit)
    body["results"] = [render.space(request, r, expand) for r in body["results"]]
    return JSONResponse(body)


async def get_space(request: Request) -> Response:
    """``GET /space/{spaceKey}``."""
    row = space_or_404(request)
    return JSONResponse(render.space(request, row, render.expansions(request)))


async def space_content(request: Request) -> Response:
    """``GET /space/{spaceKey}/content``: the space's pages and blog posts, each a paged
    listing (``depth=root`` keeps the top-level pages only)."""
    row = space_or_404(request)
    start, limit = start_limit(request)
    depth = request.query_params.get("depth") or "all"
    if depth not in ("all", "root"):
        raise bad_request(f"depth must be all or root; got {depth!r}")
    expand = render.expansions(request)
    rows = sorted(
        (c for c in world(request).table(CONTENT).values() if c["space_key"] == row["key"]),
        key=lambda c: int(c["id"]),
    )
    base, context = site(request)
    body: dict[str, object] = {}
    for kind in ("page", "blogpost"):
        picked = [
            c for c in rows if c["type"] == kind and (depth == "all" or c["parent_id"] is None)
        ]
        listing = paged(
            request, f"/rest/api/space/{row['key']}/content/{kind}", picked, start, limit
        )
        listing["results"] = [render.content(request, c, expand) for c in listing["results"]]
        body[kind] = listing
    body["_links"] = {"base": base, "context": context}
    return JSONResponse(body)


ROUTES = [
    Route(f"{API}/space", authorized(list_spaces), methods=["GET"]),
    Route(f"{API}/space/{{spaceKey}}", authorized(get_space), methods=["GET"]),
    Route(f"{API}/space/{{spaceKey}}/content", authorized(space_content), methods=["GET"]),
]
