"""CRM records: validation of property values, storage, rendering, and associations.

Tables: ``hubspot.contacts``, ``hubspot.companies``, ``hubspot.deals`` (id -> ``{"id",
"properties", "createdAt", "updatedAt", "archived"}``, plus ``archivedAt`` once archived:
HubSpot archives softly); ``hubspot.associations`` (``"<type>:<id>-><type>:<id>"`` ->
``{"fromObjectType", "fromObjectId", "toObjectType", "toObjectId", "types": [typeId]}``,
one row per direction); ``hubspot._emails`` (lower-case email -> contact id, the unique
index).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

from mockapis.hubspot.schema import ASSOCIATION_TYPES, ObjectType
from mockapis.kit.errors import ApiError
from mockapis.tables import Record
from mockapis.world import World

__all__ = [
    "ASSOCIATIONS",
    "EMAILS",
    "FIRST_ID",
    "ID_COUNTER",
    "READ_ONLY",
    "archive_record",
    "associate",
    "association_row",
    "associations_of",
    "check_properties",
    "create_record",
    "email_owner",
    "find_record",
    "inverse_type",
    "iso_ms",
    "link_key",
    "live_records",
    "not_found",
    "record_row",
    "render",
    "require_record",
    "table_name",
    "update_record",
]

ASSOCIATIONS = "hubspot.associations"
EMAILS = "hubspot._emails"
ID_COUNTER = "hubspot.objects"
"""The world counter record ids are allocated from (shared by every object type)."""
FIRST_ID = 100_001
"""The id of the first record of an account (the counter's first value)."""
READ_ONLY = frozenset(
    {
        "hs_object_id",
        "createdate",
        "lastmodifieddate",
        "hs_lastmodifieddate",
        "hs_created_by_user_id",
        "hs_updated_by_user_id",
    }
)
_OPTIONS = {
    "lifecyclestage": (
        "subscriber",
        "lead",
        "marketingqualifiedlead",
        "salesqualifiedlead",
        "opportunity",
        "customer",
        "evangelist",
        "other",
    ),
    "dealstage": (
        "appointmentscheduled",
        "qualifiedtobuy",
        "presentationscheduled",
        "decisionmakerboughtin",
        "contractsent",
        "closedwon",
        "closedlost",
    ),
    "pipeline": ("default",),
}
"""The enumeration properties whose options are checked (others take any string)."""
_INVERSE: dict[int, int] = {
    type_id: back
    for (src, to), (default, primary, _) in ASSOCIATION_TYPES.items()
    for type_id, back in zip((default, primary), ASSOCIATION_TYPES[(to, src)][:2], strict=True)
}
"""A type id -> the type id of the reverse link (a default's is a default, a primary's a
primary)."""


def table_name(obj: ObjectType) -> str:
    """The table of ``obj``'s records."""
    return f"hubspot.{obj.name}"


def iso_ms(ns: int) -> str:
    """An instant as HubSpot writes it: RFC 3339 with milliseconds (``...T09:00:00.050Z``),
    the milliseconds truncated."""
    # datetime arithmetic and isoformat: exact, and about twice as fast as strftime.
    moment = _EPOCH + dt.timedelta(milliseconds=ns // 1_000_000)
    return moment.isoformat("T", "milliseconds") + "Z"


_EPOCH = dt.datetime(1970, 1, 1)


def _invalid(problems: list[dict[str, Any]]) -> ApiError:
    return ApiError(
        400,
        "Property values were not valid: " + json.dumps(problems, separators=(",", ":")),
        extra={"category": "VALIDATION_ERROR"},
    )


def _problem(name: str, message: str, error: str) -> dict[str, Any]:
    return {
        "isValid": False,
        "message": message,
        "error": error,
        "name": name,
        "localizedErrorMessage": message,
    }


def check_properties(obj: ObjectType, raw: Any) -> dict[str, str | None]:
    """``raw`` as property values (HubSpot stores strings), else 400 listing every problem."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ApiError(400, "Invalid input JSON: 'properties' must be an object of name: value.")
    values: dict[str, str | None] = {}
    problems = []
    for name, value in raw.items():
        kind = obj.properties.get(name)
        shown = name[:60]
        if kind is None:
            problems.append(
                _problem(shown, f'Property "{shown}" does not exist', "PROPERTY_DOESNT_EXIST")
            )
            continue
        if name in READ_ONLY:
            problems.append(
                _problem(
                    name,
                    f'"{name}" is a read only property; its value cannot be set.',
                    "READ_ONLY_VALUE",
                )
            )
            continue
        if value is None or value == "":
            values[name] = None if value is None else ""
            continue
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, int | float | str):
            text = str(value)
        else:
            problems.append(
                _problem(name, f"{value!r:.40} is not a valid value for {name}", "INVALID_VALUE")
            )
            continue
        if kind == "number" and not _is_number(text):
            problems.append(
                _problem(name, f"{text[:40]} was not a valid number.", "INVALID_INTEGER")
            )
        elif name in _OPTIONS and text not in _OPTIONS[name]:
            problems.append(
                _problem(
                    name,
                    f"{text[:40]} was not one of the allowed options: " + ", ".join(_OPTIONS[name]),
                    "INVALID_OPTION",
                )
            )
        else:
            values[name] = text
    if problems:
        raise _invalid(problems)
    return values


def _is_number(text: str) -> bool:
    try:
        number = float(text)
    except ValueError:
        return False
    return number == number and abs(number) != float("inf")


def email_owner(world: World, email: str | None) -> str | None:
    """The id of the live contact holding ``email`` (case-insensitive), if any."""
    if not email:
        return None
    emails, key = world.table(EMAILS), email.lower()
    # A membership test first: a Table's get() looks up through KeyError (a write checks
    # an unknown address, most often).
    return emails[key]["id"] if key in emails else None


def _check_email(world: World, email: str | None, owner: str | None) -> None:
    holder = email_owner(world, email)
    if holder is not None and holder != owner:
        raise ApiError(
            409,
            f"Contact already exists. Existing ID: {holder}",
            extra={"category": "CONFLICT"},
        )


def _index_email(world: World, old: str | None, new: str | None, contact_id: str) -> None:
    emails = world.table(EMAILS)
    if old and old.lower() in emails and emails[old.lower()]["id"] == contact_id:
        emails.delete(old.lower())
    if new:
        emails.put(new.lower(), {"id": contact_id})


def create_record(
    world: World,
    obj: ObjectType,
    values: Mapping[str, str | None],
    *,
    at_ns: int | None = None,
    user_id: int | None = None,
) -> Record:
    """Store a new record of ``obj`` (409 for a contact whose email is taken); ``user_id``:
    the HubSpot user whose OAuth token made it (``hs_created_by_user_id``)."""
    if obj.name == "contacts":
        _check_email(world, values.get("email"), None)
    record_id = str(world.next_id(ID_COUNTER) + FIRST_ID - 1)
    row = record_row(
        obj, record_id, values, world.clock.now_ns if at_ns is None else at_ns, user_id=user_id
    )
    world.table(table_name(obj)).put(record_id, row)
    if obj.name == "contacts":
        _index_email(world, None, row["properties"].get("email"), record_id)
    return row


def record_row(
    obj: ObjectType,
    record_id: str,
    values: Mapping[str, str | None],
    at_ns: int,
    *,
    user_id: int | None = None,
) -> Record:
    """The stored row of a new record of ``obj`` (what :func:`create_record` stores, and what
    the seeders render): unset values dropped, the system properties stamped ``at_ns``."""
    stamp = iso_ms(at_ns)
    properties = {k: v for k, v in values.items() if v is not None}
    properties["createdate"] = properties[obj.modified] = stamp
    properties["hs_object_id"] = record_id
    if user_id is not None:
        properties["hs_created_by_user_id"] = properties["hs_updated_by_user_id"] = str(user_id)
    return {
        "id": record_id,
        "properties": properties,
        "createdAt": stamp,
        "updatedAt": stamp,
        "archived": False,
    }


def update_record(
    world: World,
    obj: ObjectType,
    row: Record,
    values: Mapping[str, str | None],
    *,
    user_id: int | None = None,
) -> Record:
    """``row`` with ``values`` set (None or "" clears a property); stored and returned."""
    if obj.name == "contacts" and "email" in values:
        _check_email(world, values["email"], row["id"])
    properties = dict(row["properties"])
    for name, value in values.items():
        if value:
            properties[name] = value
        else:
            properties.pop(name, None)
    stamp = iso_ms(world.clock.now_ns)
    properties[obj.modified] = stamp
    if user_id is not None:
        properties["hs_updated_by_user_id"] = str(user_id)
    updated = {**row, "properties": properties, "updatedAt": stamp}
    world.table(table_name(obj)).put(row["id"], updated)
    if obj.name == "contacts":
        old, new = row["properties"].get("email"), properties.get("email")
        if old != new:
            _index_email(world, old, new, row["id"])
    return updated


def archive_record(world: World, obj: ObjectType, row: Record) -> None:
    """Archive ``row`` (soft delete) and drop its associations and its email from the index."""
    stamp = iso_ms(world.clock.now_ns)
    world.table(table_name(obj)).put(
        row["id"], {**row, "archived": True, "archivedAt": stamp, "updatedAt": stamp}
    )
    if obj.name == "contacts":
        _index_email(world, row["properties"].get("email"), None, row["id"])
    links = world.table(ASSOCIATIONS)
    for key, link in list(links.items()):
        if (link["fromObjectType"], link["fromObjectId"]) == (obj.name, row["id"]) or (
            link["toObjectType"],
            link["toObjectId"],
        ) == (obj.name, row["id"]):
            links.delete(key)


def find_record(
    world: World, obj: ObjectType, key: str, *, id_property: str | None = None
) -> Record | None:
    """The live record whose id (or ``id_property``, ``email`` for contacts) is ``key``."""
    if id_property in (None, "hs_object_id"):
        row = world.table(table_name(obj)).get(key)
        return row if row is not None and not row["archived"] else None
    if id_property == "email" and obj.name == "contacts":
        owner = email_owner(world, key)
        return world.table(table_name(obj)).get(owner) if owner else None
    raise ApiError(
        400,
        f"{id_property!s:.60} is not a unique identifier property of {obj.name}; use "
        "hs_object_id" + (" or email." if obj.name == "contacts" else "."),
        extra={"category": "VALIDATION_ERROR"},
    )


def require_record(
    world: World, obj: ObjectType, key: str, *, id_property: str | None = None
) -> Record:
    """:func:`find_record`, else HubSpot's 404."""
    row = find_record(world, obj, key, id_property=id_property)
    if row is None:
        raise not_found(obj, key)
    return row


def not_found(obj: ObjectType, key: str) -> ApiError:
    """HubSpot's 404 for a record that does not exist (or is archived)."""
    return ApiError(
        404,
        f"Object not found.  objectId are usually numeric. ({obj.name} {key[:60]!r})",
        extra={"category": "OBJECT_NOT_FOUND", "context": {"id": [key[:60]]}},
    )


def live_records(world: World, obj: ObjectType, *, archived: bool = False) -> list[Record]:
    """The records of ``obj`` (live, or the archived ones), in id order."""
    rows = world.table(table_name(obj)).values()
    return sorted((r for r in rows if r["archived"] == archived), key=lambda r: int(r["id"]))


def render(row: Record, obj: ObjectType, properties: Iterable[str] | None = None) -> dict[str, Any]:
    """The public form of ``row``: the requested properties (null when unset) or the
    defaults."""
    names = list(properties) if properties else list(obj.defaults)
    stored = row["properties"]
    shown = {name: stored.get(name) for name in names if name in obj.properties or name in stored}
    out: dict[str, Any] = {
        "id": row["id"],
        "properties": shown,
        "createdAt": row["createdAt"],
        "updatedAt": row["updatedAt"],
        "archived": row["archived"],
    }
    if row["archived"]:
        out["archivedAt"] = row.get("archivedAt")
    return out


def link_key(src: str, src_id: str, dst: str, dst_id: str) -> str:
    """The ``hubspot.associations`` key of the link from one record to another."""
    return f"{src}:{src_id}->{dst}:{dst_id}"


def association_row(src: str, src_id: str, dst: str, dst_id: str, types: list[int]) -> Record:
    """A stored link (one direction) with its sorted type ids."""
    return {
        "fromObjectType": src,
        "fromObjectId": src_id,
        "toObjectType": dst,
        "toObjectId": dst_id,
        "types": types,
    }


def inverse_type(type_id: int) -> int:
    """The type id of the reverse link of ``type_id``."""
    return _INVERSE[type_id]


def associate(
    world: World, src: ObjectType, src_id: str, dst: ObjectType, dst_id: str, type_id: int
) -> None:
    """Link two records with ``type_id`` (and its inverse on the reverse link); idempotent."""
    links = world.table(ASSOCIATIONS)
    for a, a_id, b, b_id, t in (
        (src.name, src_id, dst.name, dst_id, type_id),
        (dst.name, dst_id, src.name, src_id, _INVERSE[type_id]),
    ):
        key = link_key(a, a_id, b, b_id)
        row = links.get(key)
        types = sorted({*(row["types"] if row else ()), t})
        if row is None or row["types"] != types:
            links.put(key, association_row(a, a_id, b, b_id, types))


def associations_of(world: World, src: ObjectType, src_id: str, dst: ObjectType) -> list[Record]:
    """The links from record ``src_id`` to records of ``dst``, by target id."""
    found = [
        link
        for link in world.table(ASSOCIATIONS).values()
        if link["fromObjectType"] == src.name
        and link["fromObjectId"] == src_id
        and link["toObjectType"] == dst.name
    ]
    return sorted(found, key=lambda link: int(link["toObjectId"]))
