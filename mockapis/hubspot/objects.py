"""``/crm/v3/objects/{objectType}``: list with ``after`` paging, read, create, update, archive."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from mockapis.hubspot.access import authorize_object, read_object, route
from mockapis.hubspot.params import (
    bad,
    create_associations,
    query_limit,
    query_objects,
    query_properties,
    required_properties,
)
from mockapis.hubspot.records import (
    archive_record,
    associations_of,
    check_properties,
    create_record,
    find_record,
    live_records,
    not_found,
    render,
    require_record,
    update_record,
)
from mockapis.hubspot.schema import ObjectType, association_type
from mockapis.kit.parsing import query_bool
from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["MAX_PAGE", "ROUTES", "with_associations"]

MAX_PAGE = 100
"""The largest ``limit`` of a list page."""


def with_associations(
    world: World, obj: ObjectType, row: Record, shown: dict[str, Any], targets: list[ObjectType]
) -> dict[str, Any]:
    """``shown`` with the ``associations`` of the ``?associations=`` object types."""
    if not targets:
        return shown
    found: dict[str, Any] = {}
    for target in targets:
        _, _, name = association_type(obj, target)
        links = associations_of(world, obj, row["id"], target)
        if links:
            found[target.name] = {
                "results": [{"id": link["toObjectId"], "type": name} for link in links]
            }
    return {**shown, "associations": found} if found else shown


async def list_objects(request: Request) -> Response:
    """A page of records, in id order; ``paging.next.after`` starts the next page."""
    world, _, obj = authorize_object(request, write=False)
    limit = query_limit(request, 10, MAX_PAGE)
    properties = query_properties(request)
    targets = query_objects(request)
    archived = query_bool(request, "archived", False)
    after = request.query_params.get("after") or "0"
    if not after.isdigit() or len(after) > 18:
        raise bad(f"after must be the paging cursor a previous page returned; got {after[:40]!r}.")
    rows = [r for r in live_records(world, obj, archived=archived) if int(r["id"]) >= int(after)]
    page = rows[:limit]
    body: dict[str, Any] = {
        "results": [
            with_associations(world, obj, r, render(r, obj, properties), targets) for r in page
        ]
    }
    if len(rows) > limit:
        cursor = rows[limit]["id"]
        link = str(request.url.include_query_params(after=cursor))
        body["paging"] = {"next": {"after": cursor, "link": link}}
    return JSONResponse(body)


async def create_object(request: Request) -> Response:
    """Create one record (``properties`` and optional ``associations``): 201."""
    world, token, obj = authorize_object(request, write=True)
    body = await read_object(request)
    values = check_properties(obj, required_properties(body, "SimplePublicObjectInputForCreate"))
    row = create_record(world, obj, values, user_id=token["user_id"])
    create_associations(world, obj, row["id"], body.get("associations"))
    return JSONResponse(render(row, obj, list(row["properties"])), 201)


async def get_object(request: Request) -> Response:
    """One record by id (or by ``idProperty``)."""
    world, _, obj = authorize_object(request, write=False)
    id_property = request.query_params.get("idProperty") or None
    key = request.path_params["objectId"]
    archived = query_bool(request, "archived", False)
    row = (
        world.table(f"hubspot.{obj.name}").get(key)
        if archived
        else find_record(world, obj, key, id_property=id_property)
    )
    if row is None or row["archived"] != archived:
        raise not_found(obj, key)
    shown = render(row, obj, query_properties(request))
    return JSONResponse(with_associations(world, obj, row, shown, query_objects(request)))


async def update_object(request: Request) -> Response:
    """Set the given properties of one record (others are kept)."""
    world, token, obj = authorize_object(request, write=True)
    body = await read_object(request)
    values = check_properties(obj, required_properties(body, "SimplePublicObjectInput"))
    id_property = request.query_params.get("idProperty") or None
    row = require_record(world, obj, request.path_params["objectId"], id_property=id_property)
    updated = update_record(world, obj, row, values, user_id=token["user_id"])
    return JSONResponse(render(updated, obj, list(updated["properties"])))


async def archive_object(request: Request) -> Response:
    """Archive one record (soft delete): 204, also for an unknown id."""
    world, _token, obj = authorize_object(request, write=True)
    row = find_record(world, obj, request.path_params["objectId"])
    if row is not None:
        archive_record(world, obj, row)
    return Response(status_code=204)


ROUTES = [
    route("/crm/v3/objects/{objectType}", {"GET": list_objects, "POST": create_object}),
    route(
        "/crm/v3/objects/{objectType}/{objectId}",
        {"GET": get_object, "PATCH": update_object, "DELETE": archive_object},
    ),
]
