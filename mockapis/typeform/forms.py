"""``/forms`` (the account's forms) and ``/forms/{form_id}`` (one form's definition)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record
from mockapis.typeform.access import authorized, base_url, world
from mockapis.typeform.data import FORMS, WORKSPACES
from mockapis.typeform.errors import invalid_param, not_found
from mockapis.typeform.listing import page_of

__all__ = ["ROUTES", "form_or_404"]

SORT_FIELDS = ("created_at", "last_updated_at")


def form_or_404(request: Request) -> Record:
    """The form of the path's ``form_id``, else Typeform's 404 ``FORM_NOT_FOUND``."""
    key = request.path_params["form_id"]
    row = world(request).table(FORMS).get(key)
    if row is None:
        raise not_found("form", key)
    return row


def _links(request: Request, row: Record) -> Record:
    base = base_url(request)
    return {
        "self": {"href": f"{base}/forms/{row['id']}"},
        "theme": {"href": f"{base}/themes/qHWOQ7"},
        "_links": {
            "display": f"https://apibench.typeform.com/to/{row['id']}",
            "responses": f"{base}/forms/{row['id']}/responses",
        },
    }


def _summary(request: Request, row: Record) -> Record:
    keys = ("id", "type", "title", "last_updated_at", "created_at")
    return {
        **{k: row[k] for k in keys},
        "settings": {k: row["settings"][k] for k in ("is_public", "is_trial")},
        **_links(request, row),
    }


async def list_forms(request: Request) -> Response:
    """``GET /forms``: ``page``, ``page_size`` (default 10, at most 200), ``search`` (part of
    the title), ``workspace_id``, ``sort_by`` (created_at, last_updated_at) and ``order_by``
    (asc, desc; default: newest first)."""
    params = request.query_params
    rows = list(world(request).table(FORMS).values())
    if (workspace := params.get("workspace_id")) is not None:
        if workspace not in world(request).table(WORKSPACES):
            raise not_found("workspace", workspace)
        rows = [r for r in rows if r["workspace_id"] == workspace]
    if search := params.get("search"):
        rows = [r for r in rows if search.casefold() in r["title"].casefold()]
    sort_by = params.get("sort_by") or "created_at"
    order = params.get("order_by") or "desc"
    if sort_by not in SORT_FIELDS:
        raise invalid_param("sort_by", f"sort_by must be one of {', '.join(SORT_FIELDS)}")
    if order not in ("asc", "desc"):
        raise invalid_param("order_by", "order_by must be asc or desc")
    rows.sort(key=lambda r: (r[sort_by], r["id"]), reverse=order == "desc")
    body = page_of(request, rows)
    body["items"] = [_summary(request, r) for r in body["items"]]
    return JSONResponse(body)


async def get_form(request: Request) -> Response:
    """``GET /forms/{form_id}``: the definition, with its ``fields`` (``id``, ``title``,
    ``ref``, ``type``, ``properties.choices``...)."""
    row = form_or_404(request)
    base = base_url(request)
    body = {k: v for k, v in row.items() if k != "workspace_id"}
    body["workspace"] = {"href": f"{base}/workspaces/{row['workspace_id']}"}
    body.update(_links(request, row))
    return JSONResponse(body)


ROUTES = [
    Route("/forms", authorized(list_forms), methods=["GET"]),
    Route("/forms/{form_id}", authorized(get_form), methods=["GET"]),
]
