"""Record routes: query, create, assert (upsert), get, update (append/overwrite), delete."""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from mockapis.attio.access import (
    authorize,
    filter_error,
    page,
    path_object,
    read_data,
    read_optional_object,
    route,
)
from mockapis.attio.filters import FilterError, query_rows
from mockapis.attio.schema import OBJECTS, ObjectDef
from mockapis.attio.values import WriteContext, identity
from mockapis.attio.writes import (
    build_record,
    check_required,
    check_unique,
    merge,
    parse_values,
)
from mockapis.kit.errors import ApiError
from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record, Table
from mockapis.world import World

__all__ = ["ROUTES", "write_context"]

_QUERY_KEYS = frozenset({"filter", "sorts", "limit", "offset"})


def write_context(world: World, token: Record) -> WriteContext:
    """Writes by the API token, stamped with the current virtual time."""
    return WriteContext(
        world, {"type": "api-token", "id": token["token_id"]}, world.clock.isoformat()
    )


def _table(world: World, obj: ObjectDef) -> Table:
    return world.table(f"attio.{obj.slug}")


def _record(table: Table, obj: ObjectDef, record_id: str) -> Record:
    record = table.get(record_id)
    if record is None:
        raise ApiError(
            404, f'Record with ID "{record_id}" not found in object "{obj.slug}".', code="not_found"
        )
    return record


def check_keys(body: dict[str, Any], allowed: frozenset[str], where: str) -> None:
    """400 naming the first unknown key of ``body`` and the valid ones."""
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise ApiError(
            400,
            f'Unknown key "{unknown[0]}" in {where}; valid keys: {", ".join(sorted(allowed))}.',
            code="validation_type",
        )


async def query_records(request: Request) -> Response:
    """``POST /v2/objects/{object}/records/query``: filter, sorts, limit, offset in the body."""
    world, _ = authorize(request)
    obj = path_object(request)
    body = await read_optional_object(request)
    check_keys(body, _QUERY_KEYS, "the query body")
    window = page(body)
    # Oldest first; creation times are distinct, so this order is total.
    rows = sorted(_table(world, obj).values(), key=itemgetter("created_at"))
    try:
        matched = query_rows(rows, body, obj.attributes, "values")
    except FilterError as exc:
        raise filter_error(exc) from None
    return JSONResponse({"data": matched[window]})


async def create_record(request: Request) -> Response:
    """``POST /v2/objects/{object}/records``: body ``{"data": {"values": {...}}}``."""
    world, token = authorize(request)
    obj = path_object(request)
    data = await read_data(request)
    check_keys(data, frozenset({"values"}), "data")
    ctx = write_context(world, token)
    values = parse_values(obj.attributes, data.get("values"), ctx)
    check_required(obj.attributes, values)
    table = _table(world, obj)
    check_unique(table, obj.attributes, None, {}, values)
    record_id = world.uuid4()
    record = build_record(obj, record_id, ctx, values)
    table.put(record_id, record)
    return JSONResponse({"data": record})


async def assert_record(request: Request) -> Response:
    """``PUT /v2/objects/{object}/records?matching_attribute=slug``: create or update (upsert)."""
    world, token = authorize(request)
    obj = path_object(request)
    slug = request.query_params.get("matching_attribute", "")
    attribute = obj.attributes.get(slug) or next(
        (a for a in obj.attributes.values() if a.id == slug), None
    )
    if attribute is None:
        raise ApiError(
            400,
            f'No attribute was found for matching_attribute slug/ID "{slug}".'
            + (" The matching_attribute query parameter is required." if not slug else ""),
            code="value_not_found",
        )
    if not attribute.unique or not attribute.writable:
        unique = [a.slug for a in obj.attributes.values() if a.unique and a.writable]
        raise ApiError(
            400,
            f'matching_attribute "{attribute.slug}" is not a writable unique attribute of '
            f"{obj.slug}; unique attributes: {', '.join(unique) or 'none'}.",
            code="validation_type",
        )
    data = await read_data(request)
    check_keys(data, frozenset({"values"}), "data")
    ctx = write_context(world, token)
    values = parse_values(obj.attributes, data.get("values"), ctx)
    wanted = values.get(attribute.slug)
    if not wanted:
        raise ApiError(
            400,
            f'data.values must include the matching attribute "{attribute.slug}".',
            code="missing_value",
        )
    table = _table(world, obj)
    keys = {identity(v) for v in wanted}
    matches = [
        rid
        for rid, rec in table.items()
        if keys & {identity(v) for v in rec["values"].get(attribute.slug, [])}
    ]
    if len(matches) > 1:
        raise ApiError(
            400,
            f'Multiple records match on "{attribute.slug}": {", ".join(sorted(matches))}.',
            code="multiple_match_results",
        )
    if not matches:
        check_required(obj.attributes, values)
        check_unique(table, obj.attributes, None, {}, values)
        record_id = world.uuid4()
        record = build_record(obj, record_id, ctx, values)
    else:
        record_id = matches[0]
        current = table[record_id]
        check_unique(table, obj.attributes, record_id, current["values"], values)
        others = {k: v for k, v in values.items() if k != attribute.slug}
        merged = merge(obj.attributes, current["values"], others, append=False)
        merged = merge(obj.attributes, merged, {attribute.slug: wanted}, append=True)
        check_required(obj.attributes, merged)
        record = {**current, "values": merged}
    table.put(record_id, record)
    return JSONResponse({"data": record})


async def get_record(request: Request) -> Response:
    """``GET /v2/objects/{object}/records/{record_id}``."""
    world, _ = authorize(request)
    obj = path_object(request)
    record = _record(_table(world, obj), obj, request.path_params["record_id"])
    return JSONResponse({"data": record})


async def _update(request: Request, *, append: bool) -> Response:
    world, token = authorize(request)
    obj = path_object(request)
    table = _table(world, obj)
    record_id = request.path_params["record_id"]
    current = _record(table, obj, record_id)
    data = await read_data(request)
    check_keys(data, frozenset({"values"}), "data")
    values = parse_values(obj.attributes, data.get("values"), write_context(world, token))
    check_unique(table, obj.attributes, record_id, current["values"], values)
    merged = merge(obj.attributes, current["values"], values, append=append)
    check_required(obj.attributes, merged)
    record = {**current, "values": merged}
    table.put(record_id, record)
    return JSONResponse({"data": record})


async def patch_record(request: Request) -> Response:
    """``PATCH .../records/{record_id}``: multi-value attributes get the new values prepended."""
    return await _update(request, append=True)


async def put_record(request: Request) -> Response:
    """``PUT .../records/{record_id}``: the given attributes' values are overwritten."""
    return await _update(request, append=False)


async def delete_record(request: Request) -> Response:
    """``DELETE .../records/{record_id}``: also its list entries, notes and references to it."""
    world, _ = authorize(request)
    obj = path_object(request)
    table = _table(world, obj)
    record_id = request.path_params["record_id"]
    _record(table, obj, record_id)
    table.delete(record_id)
    _cascade(world, obj, record_id)
    return JSONResponse({})


def _cascade(world: World, obj: ObjectDef, record_id: str) -> None:
    for name, key in (("attio.entries", "parent_record_id"), ("attio.notes", "parent_record_id")):
        dependants = world.table(name)
        for dead in [k for k, row in dependants.items() if row[key] == record_id]:
            dependants.delete(dead)
    for other in OBJECTS.values():
        slugs = [
            a.slug
            for a in other.attributes.values()
            if a.type == "record-reference" and obj.slug in a.targets
        ]
        if not slugs:
            continue
        other_table = _table(world, other)
        updates: dict[str, Record] = {}
        for rid, rec in other_table.items():
            values = rec["values"]
            if any(v["target_record_id"] == record_id for s in slugs for v in values.get(s, [])):
                pruned = {
                    s: [v for v in values[s] if v["target_record_id"] != record_id] for s in slugs
                }
                updates[rid] = {**rec, "values": {**values, **pruned}}
        for rid, rec in updates.items():
            other_table.put(rid, rec)


ROUTES = [
    route("/v2/objects/{object}/records/query", {"POST": query_records}),
    route("/v2/objects/{object}/records", {"POST": create_record, "PUT": assert_record}),
    route(
        "/v2/objects/{object}/records/{record_id}",
        {"GET": get_record, "PATCH": patch_record, "PUT": put_record, "DELETE": delete_record},
    ),
]
"""The record operations, in matching order (``/records/query`` before ``{record_id}``)."""
