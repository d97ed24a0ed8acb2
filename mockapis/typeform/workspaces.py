"""``/workspaces`` and ``/workspaces/{workspace_id}``: the account's workspaces with form counts."""

from __future__ import annotations

from collections import Counter

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record
from mockapis.typeform.access import authorized, base_url, world
from mockapis.typeform.data import FORMS, WORKSPACES
from mockapis.typeform.errors import not_found
from mockapis.typeform.listing import page_of

__all__ = ["ROUTES"]


def _render(request: Request, row: Record, counts: Counter[str]) -> Record:
    href = f"{base_url(request)}/workspaces/{row['id']}"
    return {
        **row,
        "forms": {
            "count": counts[row["id"]],
            "href": f"{base_url(request)}/forms?workspace_id={row['id']}",
        },
        "self": {"href": href},
        # The seeded account has one person, its owner, the one member of every workspace.
        "members": [
            {
                "email": f"owner@{row['account_id']}.example.com",
                "name": "Account owner",
                "role": "owner",
            }
        ],
    }


def _counts(request: Request) -> Counter[str]:
    return Counter(f["workspace_id"] for f in world(request).table(FORMS).values())


async def list_workspaces(request: Request) -> Response:
    """``GET /workspaces``: ``page``, ``page_size`` (default 10, at most 200), ``search``
    (case-insensitive part of the name); the default workspace first, then by name."""
    rows = list(world(request).table(WORKSPACES).values())
    search = request.query_params.get("search")
    if search:
        rows = [r for r in rows if search.casefold() in r["name"].casefold()]
    rows.sort(key=lambda r: (not r["default"], r["name"].casefold(), r["id"]))
    counts = _counts(request)
    body = page_of(request, rows)
    body["items"] = [_render(request, r, counts) for r in body["items"]]
    return JSONResponse(body)


async def get_workspace(request: Request) -> Response:
    """``GET /workspaces/{workspace_id}``: the workspace as the listing shows it."""
    key = request.path_params["workspace_id"]
    row = world(request).table(WORKSPACES).get(key)
    if row is None:
        raise not_found("workspace", key)
    return JSONResponse(_render(request, row, _counts(request)))


ROUTES = [
    Route("/workspaces", authorized(list_workspaces), methods=["GET"]),
    Route("/workspaces/{workspace_id}", authorized(get_workspace), methods=["GET"]),
]
