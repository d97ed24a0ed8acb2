"""List routes: lists, their attributes, and entries (query, create, get, update, delete)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from mockapis.attio.access import (
    authorize,
    filter_error,
    page,
    path_list,
    read_data,
    read_optional_object,
    route,
)
from mockapis.attio.filters import FilterError, query_rows
from mockapis.attio.records import check_keys, write_context
from mockapis.attio.schema import ListDef, find_object
from mockapis.attio.writes import build_entry, merge, parse_values
from mockapis.kit.errors import ApiError
from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["ROUTES"]


async def list_lists(request: Request) -> Response:
    """``GET /v2/lists``: every list in the workspace."""
    world, _ = authorize(request)
    rows = sorted(world.table("attio.lists").values(), key=lambda r: r["created_at"])
    return JSONResponse({"data": rows})


async def get_list(request: Request) -> Response:
    """``GET /v2/lists/{list}`` by api_slug or id."""
    world, _ = authorize(request)
    lst = path_list(request)
    return JSONResponse({"data": world.table("attio.lists")[lst.id]})


async def list_attributes(request: Request) -> Response:
    """``GET /v2/lists/{list}/attributes``: the list's own attributes (entry values)."""
    authorize(request)
    lst = path_list(request)
    return JSONResponse({"data": [a.render() for a in lst.attributes.values()]})


def _entries(world: World, lst: ListDef) -> list[Record]:
    rows = [e for e in world.table("attio.entries").values() if e["id"]["list_id"] == lst.id]
    rows.sort(key=lambda e: (e["created_at"], e["id"]["entry_id"]))
    return rows


def _entry(world: World, lst: ListDef, entry_id: str) -> Record:
    entry = world.table("attio.entries").get(entry_id)
    if entry is None or entry["id"]["list_id"] != lst.id:
        raise ApiError(
            404, f'Entry with ID "{entry_id}" not found in list "{lst.slug}".', code="not_found"
        )
    return entry


async def query_entries(request: Request) -> Response:
    """``POST /v2/lists/{list}/entries/query``: filter and sort on entry values."""
    world, _ = authorize(request)
    lst = path_list(request)
    body = await read_optional_object(request)
    check_keys(body, frozenset({"filter", "sorts", "limit", "offset"}), "the query body")
    window = page(body)
    try:
        matched = query_rows(_entries(world, lst), body, lst.attributes, "entry_values")
    except FilterError as exc:
        raise filter_error(exc) from None
    return JSONResponse({"data": matched[window]})


async def create_entry(request: Request) -> Response:
    """``POST /v2/lists/{list}/entries``: add a record (``parent_record_id``) to the list."""
    world, token = authorize(request)
    lst = path_list(request)
    data = await read_data(request)
    check_keys(data, frozenset({"parent_record_id", "parent_object", "entry_values"}), "data")
    parent_object, parent_id = data.get("parent_object"), data.get("parent_record_id")
    obj = find_object(parent_object) if isinstance(parent_object, str) else None
    if obj is None or obj.slug != lst.parent_object:
        raise ApiError(
            400,
            f'data.parent_object must be "{lst.parent_object}" for list "{lst.slug}"; got '
            f"{parent_object!r}.",
            code="validation_type",
        )
    if not isinstance(parent_id, str) or parent_id not in world.table(f"attio.{obj.slug}"):
        # Attio answers an unknown parent record with 400 value_not_found (404: the list).
        raise ApiError(
            400,
            f'Parent record with slug/ID "{parent_id}" not found in object "{obj.slug}".',
            code="value_not_found",
        )
    ctx = write_context(world, token)
    values = parse_values(lst.attributes, data.get("entry_values", {}), ctx, "entry_values")
    entry_id = world.uuid4()
    entry = build_entry(lst, entry_id, parent_id, ctx, values)
    world.table("attio.entries").put(entry_id, entry)
    return JSONResponse({"data": entry})


async def get_entry(request: Request) -> Response:
    """``GET /v2/lists/{list}/entries/{entry_id}``."""
    world, _ = authorize(request)
    lst = path_list(request)
    return JSONResponse({"data": _entry(world, lst, request.path_params["entry_id"])})


async def patch_entry(request: Request) -> Response:
    """``PATCH .../entries/{entry_id}``: update entry values (multi-value ones are appended)."""
    world, token = authorize(request)
    lst = path_list(request)
    entry_id = request.path_params["entry_id"]
    current = _entry(world, lst, entry_id)
    data = await read_data(request)
    if {"parent_record_id", "parent_object"} & set(data):
        raise ApiError(
            400,
            "The parent record for a list entry cannot be updated once created.",
            code="immutable_value",
        )
    check_keys(data, frozenset({"entry_values"}), "data")
    values = parse_values(
        lst.attributes, data.get("entry_values"), write_context(world, token), "entry_values"
    )
    merged = merge(lst.attributes, current["entry_values"], values, append=True)
    entry = {**current, "entry_values": merged}
    world.table("attio.entries").put(entry_id, entry)
    return JSONResponse({"data": entry})


async def delete_entry(request: Request) -> Response:
    """``DELETE /v2/lists/{list}/entries/{entry_id}``."""
    world, _ = authorize(request)
    lst = path_list(request)
    entry_id = request.path_params["entry_id"]
    _entry(world, lst, entry_id)
    world.table("attio.entries").delete(entry_id)
    return JSONResponse({})


ROUTES = [
    route("/v2/lists", {"GET": list_lists}),
    route("/v2/lists/{list}", {"GET": get_list}),
    route("/v2/lists/{list}/attributes", {"GET": list_attributes}),
    route("/v2/lists/{list}/entries/query", {"POST": query_entries}),
    route("/v2/lists/{list}/entries", {"POST": create_entry}),
    route(
        "/v2/lists/{list}/entries/{entry_id}",
        {"GET": get_entry, "PATCH": patch_entry, "DELETE": delete_entry},
    ),
]
"""The list and entry operations."""
