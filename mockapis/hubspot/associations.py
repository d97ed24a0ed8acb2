"""Associations between records: v4 (typed, with batch endpoints) and v3 (named types).

v4: ``PUT /crm/v4/objects/{from}/{id}/associations/default/{to}/{toId}``,
``PUT /crm/v4/objects/{from}/{id}/associations/{to}/{toId}`` (body: types),
``GET /crm/v4/objects/{from}/{id}/associations/{to}``,
``POST /crm/v4/associations/{from}/{to}/batch/{create,associate/default,read}``.
v3: ``PUT /crm/v3/objects/{from}/{id}/associations/{to}/{toId}/{type}``,
``GET /crm/v3/objects/{from}/{id}/associations/{to}``,
``POST /crm/v3/associations/{from}/{to}/batch/create``.
Creating needs the write scope of the ``from`` type; reading its read scope.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from mockapis.hubspot.access import authorize_object, read_object, route
from mockapis.hubspot.batch import batch_error, batch_inputs, batch_reply, input_id
from mockapis.hubspot.params import bad, query_limit
from mockapis.hubspot.records import associate, associations_of, find_record, require_record
from mockapis.hubspot.schema import ASSOCIATION_TYPES, ObjectType, association_type, object_of
from mockapis.kit.parsing import read_json
from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["ROUTES"]

_LABELS = {ids[1]: "Primary" for ids in ASSOCIATION_TYPES.values()}
_V3_NAMES = {ids[2]: ids[0] for ids in ASSOCIATION_TYPES.values()}


def _pair(request: Request, write: bool) -> tuple[World, ObjectType, ObjectType]:
    world, _, src = authorize_object(request, write=write, param="fromObjectType")
    dst = object_of(request.path_params["toObjectType"])
    association_type(src, dst)
    return world, src, dst


def _v4_types(types: list[int]) -> list[dict[str, Any]]:
    # An unlabeled type has no label: HubSpot's AssociationSpecWithLabel has no null one.
    return [
        {"category": "HUBSPOT_DEFINED", "typeId": t}
        | ({"label": _LABELS[t]} if t in _LABELS else {})
        for t in types
    ]


def _v4_result(
    src: ObjectType, src_id: str, dst: ObjectType, dst_id: str, types: list[int]
) -> dict[str, Any]:
    """HubSpot's ``LabelsBetweenObjectPair``: ids and object type ids are strings."""
    return {
        "fromObjectTypeId": src.type_id,
        "fromObjectId": src_id,
        "toObjectTypeId": dst.type_id,
        "toObjectId": dst_id,
        "labels": [_LABELS[t] for t in types if t in _LABELS],
    }


def _default_result(src_id: str, dst_id: str, type_id: int) -> dict[str, Any]:
    """HubSpot's ``PublicDefaultAssociation``: the pair and the type it was given."""
    return {
        "from": {"id": src_id},
        "to": {"id": dst_id},
        "associationSpec": {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id},
    }


def _type_ids(src: ObjectType, dst: ObjectType, raw: Any) -> list[int]:
    """The typeIds of a v4 ``types`` array, valid from ``src`` to ``dst``."""
    allowed = association_type(src, dst)[:2]
    if not isinstance(raw, list) or not raw:
        raise bad(
            'Invalid input JSON: types is [{"associationCategory": "HUBSPOT_DEFINED", '
            '"associationTypeId": N}].'
        )
    found = []
    for spec in raw:
        type_id = spec.get("associationTypeId") if isinstance(spec, dict) else None
        category = spec.get("associationCategory") if isinstance(spec, dict) else None
        if category != "HUBSPOT_DEFINED" or type_id not in allowed or isinstance(type_id, bool):
            raise bad(
                f"{type_id!r:.40} is not a HUBSPOT_DEFINED association type from "
                f"{src.name} to {dst.name}; use {allowed[0]} or {allowed[1]} (primary)."
            )
        found.append(int(type_id))
    return found


def _link(
    world: World, src: ObjectType, src_id: str, dst: ObjectType, dst_id: str, types: list[int]
) -> dict[str, Any]:
    require_record(world, src, src_id)
    require_record(world, dst, dst_id)
    for type_id in types:
        associate(world, src, src_id, dst, dst_id, type_id)
    return _v4_result(src, src_id, dst, dst_id, types)


async def v4_put_default(request: Request) -> Response:
    """Associate two records with the default (unlabeled) type."""
    world, src, dst = _pair(request, True)
    p = request.path_params
    default = association_type(src, dst)[0]
    _link(world, src, p["objectId"], dst, p["toObjectId"], [default])
    return batch_reply(world, [_default_result(p["objectId"], p["toObjectId"], default)], [])


async def v4_put_labeled(request: Request) -> Response:
    """Associate two records with the types in the body (an array of type specs)."""
    world, src, dst = _pair(request, True)
    p = request.path_params
    body = await _read_array(request)
    result = _link(world, src, p["objectId"], dst, p["toObjectId"], _type_ids(src, dst, body))
    return JSONResponse(result, 201)


async def _read_array(request: Request) -> Any:
    try:
        return await read_json(request)
    except (RecursionError, ValueError):
        raise bad("Invalid input JSON.") from None


def _v4_listing(links: list[Record]) -> list[dict[str, Any]]:
    return [
        {"toObjectId": link["toObjectId"], "associationTypes": _v4_types(link["types"])}
        for link in links
    ]


async def v4_list(request: Request) -> Response:
    """The records of ``toObjectType`` associated with one record (paged by ``after``)."""
    world, src, dst = _pair(request, False)
    row = require_record(world, src, request.path_params["objectId"])
    limit = query_limit(request, 500, 500)
    after = request.query_params.get("after") or "0"
    if not after.isdigit() or len(after) > 9:
        raise bad(f"after must be the paging cursor a previous page returned; got {after[:40]!r}.")
    links = associations_of(world, src, row["id"], dst)
    start = int(after)
    body: dict[str, Any] = {"results": _v4_listing(links[start : start + limit])}
    if start + limit < len(links):
        body["paging"] = {"next": {"after": str(start + limit)}}
    return JSONResponse(body)


def _from_to(item: dict[str, Any]) -> tuple[str, str]:
    ids = []
    for side in ("from", "to"):
        ref = item.get(side)
        value = ref.get("id") if isinstance(ref, dict) else None
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value:
            raise bad(f'Invalid input JSON: each input needs "{side}": {{"id": "..."}}.')
        ids.append(value)
    return ids[0], ids[1]


async def v4_batch_create(request: Request) -> Response:
    """Associate pairs with the given types: ``{"inputs": [{"from", "to", "types"}]}``."""
    world, src, dst = _pair(request, True)
    inputs = batch_inputs(await read_object(request), 2000)
    results = []
    for item in inputs:
        src_id, dst_id = _from_to(item)
        results.append(
            _link(world, src, src_id, dst, dst_id, _type_ids(src, dst, item.get("types")))
        )
    return batch_reply(world, results, [], 201)


async def v4_batch_default(request: Request) -> Response:
    """Associate pairs with the default type: ``{"inputs": [{"from", "to"}]}``."""
    world, src, dst = _pair(request, True)
    inputs = batch_inputs(await read_object(request), 2000)
    default = association_type(src, dst)[0]
    results = []
    for item in inputs:
        src_id, dst_id = _from_to(item)
        _link(world, src, src_id, dst, dst_id, [default])
        results.append(_default_result(src_id, dst_id, default))
    return batch_reply(world, results, [], 200)


async def v4_batch_read(request: Request) -> Response:
    """The associations of each input record; unknown ones in ``errors`` (207)."""
    world, src, dst = _pair(request, False)
    inputs = batch_inputs(await read_object(request), 1000)
    results, missing = [], []
    for item in inputs:
        key = input_id(item)
        row = find_record(world, src, key)
        if row is None:
            missing.append(key)
            continue
        links = associations_of(world, src, key, dst)
        results.append({"from": {"id": key}, "to": _v4_listing(links)})
    message = f"No {src.label} objects with these ids."
    errors = [batch_error("OBJECT_NOT_FOUND", message, {"ids": missing})] if missing else []
    return batch_reply(world, results, errors)


async def v3_put(request: Request) -> Response:
    """Associate two records with a named type (``contact_to_company``) or a typeId."""
    world, src, dst = _pair(request, True)
    p = request.path_params
    name = p["associationType"]
    default, primary, v3_name = association_type(src, dst)
    type_id = {v3_name: default, str(default): default, str(primary): primary}.get(name)
    if type_id is None:
        raise bad(
            f"{name[:60]!r} is not an association type from {src.name} to {dst.name}; "
            f"use {v3_name}."
        )
    row = require_record(world, src, p["objectId"])
    _link(world, src, row["id"], dst, p["toObjectId"], [type_id])
    links = associations_of(world, src, row["id"], dst)
    shown = {
        "id": row["id"],
        "properties": {"hs_object_id": row["id"]},
        "createdAt": row["createdAt"],
        "updatedAt": row["updatedAt"],
        "archived": False,
        "associations": {
            dst.name: {"results": [{"id": link["toObjectId"], "type": v3_name} for link in links]}
        },
    }
    return JSONResponse(shown)


async def v3_list(request: Request) -> Response:
    """The ids of the associated records, with the v3 type name."""
    world, src, dst = _pair(request, False)
    row = require_record(world, src, request.path_params["objectId"])
    _, _, v3_name = association_type(src, dst)
    links = associations_of(world, src, row["id"], dst)
    return JSONResponse(
        {"results": [{"id": link["toObjectId"], "type": v3_name} for link in links]}
    )


async def v3_batch_create(request: Request) -> Response:
    """Associate pairs: ``{"inputs": [{"from": {"id"}, "to": {"id"}, "type"}]}``."""
    world, src, dst = _pair(request, True)
    inputs = batch_inputs(await read_object(request), 2000)
    _, _, v3_name = association_type(src, dst)
    results = []
    for item in inputs:
        src_id, dst_id = _from_to(item)
        name = item.get("type")
        type_id = _V3_NAMES.get(name) if isinstance(name, str) else None
        if type_id is None or name != v3_name:
            raise bad(f'Invalid input JSON: each input needs "type": "{v3_name}".')
        _link(world, src, src_id, dst, dst_id, [type_id])
        results.append({"from": {"id": src_id}, "to": {"id": dst_id}, "type": v3_name})
    return batch_reply(world, results, [], 201)


_V4 = "/crm/v4/objects/{fromObjectType}/{objectId}/associations"
ROUTES = [
    route(_V4 + "/default/{toObjectType}/{toObjectId}", {"PUT": v4_put_default}),
    route(_V4 + "/{toObjectType}/{toObjectId}", {"PUT": v4_put_labeled}),
    route(_V4 + "/{toObjectType}", {"GET": v4_list}),
    route(
        "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/create",
        {"POST": v4_batch_create},
    ),
    route(
        "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/associate/default",
        {"POST": v4_batch_default},
    ),
    route(
        "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read", {"POST": v4_batch_read}
    ),
    route(
        "/crm/v3/objects/{fromObjectType}/{objectId}/associations/{toObjectType}"
        "/{toObjectId}/{associationType}",
        {"PUT": v3_put},
    ),
    route(
        "/crm/v3/objects/{fromObjectType}/{objectId}/associations/{toObjectType}", {"GET": v3_list}
    ),
    route(
        "/crm/v3/associations/{fromObjectType}/{toObjectType}/batch/create",
        {"POST": v3_batch_create},
    ),
]
