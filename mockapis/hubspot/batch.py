"""``POST /crm/v3/objects/{objectType}/batch/{read,create,update,archive}``: 100 inputs each.

As HubSpot does: a create is all or nothing (a taken email fails the batch with 409 naming
the first existing contact); reads and updates of ids that do not exist answer 207
Multi-Status with the found records in ``results`` and one error per problem in ``errors``
(``numErrors``); an archive of unknown ids is a no-op (204).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from mockapis.hubspot.access import authorize_object, read_object, route
from mockapis.hubspot.params import bad, create_associations, property_names, required_properties
from mockapis.hubspot.records import (
    archive_record,
    check_properties,
    create_record,
    find_record,
    iso_ms,
    render,
    update_record,
)
from mockapis.hubspot.schema import ObjectType
from mockapis.kit.responses import JSONResponse
from mockapis.world import World

__all__ = ["MAX_INPUTS", "ROUTES", "batch_error", "batch_inputs", "batch_reply", "input_id"]

MAX_INPUTS = 100
"""The most inputs one batch request may carry."""


def batch_inputs(body: dict[str, Any], limit: int = MAX_INPUTS) -> list[dict[str, Any]]:
    """The ``inputs`` array of a batch body (objects), at most ``limit`` of them."""
    inputs = body.get("inputs")
    if not isinstance(inputs, list) or not all(isinstance(i, dict) for i in inputs):
        raise bad('Invalid input JSON: a batch body is {"inputs": [{...}, ...]}.')
    if len(inputs) > limit:
        raise bad(
            f"Batch input limit exceeded: {len(inputs)} inputs were sent; the limit is "
            f"{limit} per request. Split the inputs into batches of at most {limit}."
        )
    return inputs


def input_id(item: dict[str, Any]) -> str:
    """A batch input's ``id`` (``SimplePublicObjectId``: required; a number is taken as its
    digits), else 400."""
    value = item.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value:
        raise bad('Invalid input JSON: each input needs an "id" (a string).')
    return value


def batch_reply(
    world: World, results: list[dict[str, Any]], errors: list[dict[str, Any]], status: int = 200
) -> Response:
    """HubSpot's batch response: 207 with ``errors`` and ``numErrors`` when any input failed."""
    stamp = iso_ms(world.clock.now_ns)
    body: dict[str, Any] = {"status": "COMPLETE", "results": results}
    if errors:
        body |= {"numErrors": len(errors), "errors": errors}
        status = 207
    body |= {"startedAt": stamp, "completedAt": stamp}
    return JSONResponse(body, status)


def batch_error(category: str, message: str, context: dict[str, list[str]]) -> dict[str, Any]:
    """One item of a batch response's ``errors`` (HubSpot's ``StandardError``: ``errors`` and
    ``links`` are required, empty when there is nothing more to say)."""
    return {
        "status": "error",
        "category": category,
        "message": message,
        "context": context,
        "errors": [],
        "links": {},
    }


def _missing(obj: ObjectType, ids: list[str], verb: str) -> dict[str, Any]:
    return batch_error(
        "OBJECT_NOT_FOUND",
        f"Could not {verb} some {obj.label} objects, they may be deleted or not "
        "exist. Check that ids are valid.",
        {"ids": ids},
    )


async def batch_read(request: Request) -> Response:
    """Records by id (or ``idProperty``); unknown ones reported in ``errors`` (207)."""
    world, _, obj = authorize_object(request, write=False)
    body = await read_object(request)
    inputs = batch_inputs(body)
    properties = property_names(body)
    id_property = body.get("idProperty")
    if id_property is not None and not isinstance(id_property, str):
        raise bad("Invalid input JSON: idProperty must be a string.")
    results, missing = [], []
    for item in inputs:
        key = input_id(item)
        row = find_record(world, obj, key, id_property=id_property)
        if row is None:
            missing.append(key)
        else:
            results.append(render(row, obj, properties))
    errors = [_missing(obj, missing, "get")] if missing else []
    return batch_reply(world, results, errors)


async def batch_create(request: Request) -> Response:
    """Create every input (``properties``, optional ``associations``) or none: 201."""
    world, token, obj = authorize_object(request, write=True)
    inputs = batch_inputs(await read_object(request))
    results = []
    for item in inputs:
        values = check_properties(
            obj, required_properties(item, "SimplePublicObjectInputForCreate")
        )
        row = create_record(world, obj, values, user_id=token["user_id"])
        create_associations(world, obj, row["id"], item.get("associations"))
        results.append(render(row, obj, list(row["properties"])))
    return batch_reply(world, results, [], 201)


async def batch_update(request: Request) -> Response:
    """Update every input that exists; unknown ids reported in ``errors`` (207)."""
    world, token, obj = authorize_object(request, write=True)
    inputs = batch_inputs(await read_object(request))
    results, missing = [], []
    for item in inputs:
        key = input_id(item)
        id_property = item.get("idProperty")
        if id_property is not None and not isinstance(id_property, str):
            raise bad("Invalid input JSON: idProperty must be a string.")
        values = check_properties(obj, required_properties(item, "SimplePublicObjectBatchInput"))
        row = find_record(world, obj, key, id_property=id_property)
        if row is None:
            missing.append(key)
            continue
        updated = update_record(world, obj, row, values, user_id=token["user_id"])
        results.append(render(updated, obj, list(updated["properties"])))
    errors = [_missing(obj, missing, "update")] if missing else []
    return batch_reply(world, results, errors)


async def batch_archive(request: Request) -> Response:
    """Archive every input id that exists: 204."""
    world, _token, obj = authorize_object(request, write=True)
    inputs = batch_inputs(await read_object(request))
    for key in [input_id(item) for item in inputs]:
        row = find_record(world, obj, key)
        if row is not None:
            archive_record(world, obj, row)
    return Response(status_code=204)


ROUTES = [
    route(f"/crm/v3/objects/{{objectType}}/batch/{name}", {"POST": handler})
    for name, handler in (
        ("read", batch_read),
        ("create", batch_create),
        ("update", batch_update),
        ("archive", batch_archive),
    )
]
