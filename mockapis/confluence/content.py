"""``/wiki/rest/api/content`` (pages and blog posts), ``/content/{id}`` and its child pages."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.confluence import render
from mockapis.confluence.access import API, MAX_START, authorized, paged, start_limit, world
from mockapis.confluence.data import CONTENT
from mockapis.confluence.errors import bad_request
from mockapis.kit.errors import ApiError
from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record

__all__ = ["ROUTES"]

TYPES = ("page", "blogpost")
STATUSES = ("current", "trashed", "deleted", "historical", "draft", "archived", "any")
"""``status`` values of ``GET /content``: the enum of Atlassian's (2022) description, plus
``archived`` (a state Cloud pages can have), kept from before; none is seeded deleted or
historical, so those select nothing."""


def _content_or_404(request: Request) -> Record:
    """The content of the path's ``id``: 400 for an id that is not a number (Confluence lists
    400 for an invalid content id), 404 for one that names no content."""
    cid = request.path_params["id"]
    if not cid.isdigit():
        raise bad_request(f"Invalid content id: {cid!r}")
    row = world(request).table(CONTENT).get(cid)
    if row is None:
        raise ApiError(404, f"No content found with id: ContentId{{id={cid}}}", code="not_found")
    return row


async def list_content(request: Request) -> Response:
    """``GET /content``: pages (``type=page``, the default) or blog posts, by id; ``spaceKey``
    (a key: an unknown one selects nothing), ``title`` (exact), ``status``, ``start``,
    ``limit`` (25 by default, at most 100), ``expand``."""
    params = request.query_params
    start, limit = start_limit(request, max_start=MAX_START)
    kind = params.get("type") or "page"
    if kind not in TYPES:
        raise bad_request(f"type must be one of {', '.join(TYPES)}; got {kind!r}")
    status = params.get("status") or "current"
    if status not in STATUSES:
        raise bad_request(f"Invalid status: {status!r}")
    rows = [
        c
        for c in world(request).table(CONTENT).values()
        if c["type"] == kind and (status == "any" or c["status"] == status)
    ]
    if (key := params.get("spaceKey")) is not None:
        rows = [c for c in rows if c["space_key"] == key]
    if (title := params.get("title")) is not None:
        rows = [c for c in rows if c["title"] == title]
    rows.sort(key=lambda c: int(c["id"]))
    expand = render.expansions(request)
    body = paged(request, "/rest/api/content", rows, start, limit)
    body["results"] = [render.content(request, c, expand) for c in body["results"]]
    return JSONResponse(body)


async def get_content(request: Request) -> Response:
    """``GET /content/{id}``: one page or blog post (``expand=body.storage,version,...``)."""
    row = _content_or_404(request)
    return JSONResponse(render.content(request, row, render.expansions(request)))


async def child_pages(request: Request) -> Response:
    """``GET /content/{id}/child/page``: the direct child pages, by position; a blog post has
    none to find (400, as Confluence answers for a child type its parent cannot have)."""
    row = _content_or_404(request)
    if row["type"] != "page":
        raise bad_request(f"Cannot find page children of a {row['type']}")
    start, limit = start_limit(request)
    rows = sorted(
        (
            c
            for c in world(request).table(CONTENT).values()
            if c["parent_id"] == row["id"] and c["type"] == "page"
        ),
        key=lambda c: (c["position"], int(c["id"])),
    )
    expand = render.expansions(request)
    body = paged(request, f"/rest/api/content/{row['id']}/child/page", rows, start, limit)
    body["results"] = [render.content(request, c, expand) for c in body["results"]]
    return JSONResponse(body)


ROUTES = [
    Route(f"{API}/content", authorized(list_content), methods=["GET"]),
    Route(f"{API}/content/{{id}}", authorized(get_content), methods=["GET"]),
    Route(f"{API}/content/{{id}}/child/page", authorized(child_pages), methods=["GET"]),
]
