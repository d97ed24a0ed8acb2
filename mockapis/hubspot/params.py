"""Query and body parameters shared by the CRM routes, with HubSpot-style 400s."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from mockapis.hubspot.records import associate, require_record
from mockapis.hubspot.schema import ASSOCIATION_TYPES, OBJECTS, ObjectType, find_object
from mockapis.kit.errors import ApiError
from mockapis.world import World

__all__ = [
    "bad",
    "create_associations",
    "property_names",
    "query_limit",
    "query_objects",
    "query_properties",
    "required_properties",
    "string_list",
]


def bad(message: str) -> ApiError:
    """A 400 ``VALIDATION_ERROR``."""
    return ApiError(400, message, extra={"category": "VALIDATION_ERROR"})


def required_properties(item: dict[str, Any], input_type: str) -> Any:
    """An input's ``properties``, which HubSpot requires (``SimplePublicObjectInput*``):
    400 in HubSpot's words when it is absent or null."""
    found = item.get("properties")
    if found is None:
        raise bad(
            f"Invalid input JSON: Cannot build {input_type}, some of required attributes are "
            'not set [properties]. Send {"properties": {"name": "value", ...}}.'
        )
    return found


def query_limit(request: Request, default: int, maximum: int) -> int:
    """``limit`` between 1 and ``maximum``."""
    raw = request.query_params.get("limit")
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad(f"limit must be an integer between 1 and {maximum}; got {raw[:40]!r}.") from None
    if not 1 <= value <= maximum:
        raise bad(f"limit must be an integer between 1 and {maximum}; got {value}.")
    return value


def _split(values: list[str]) -> list[str]:
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def query_properties(request: Request) -> list[str] | None:
    """The ``properties`` query parameter (comma-separated and/or repeated), or None."""
    names = _split(request.query_params.getlist("properties"))
    return names or None


def query_objects(request: Request, name: str = "associations") -> list[ObjectType]:
    """Object types named by a query parameter such as ``associations=companies,deals``."""
    found = []
    for item in _split(request.query_params.getlist(name)):
        obj = find_object(item)
        if obj is None:
            raise bad(
                f"Unknown object type in {name}: {item[:60]!r}; use contacts, companies or deals."
            )
        found.append(obj)
    return found


def string_list(value: Any, what: str) -> list[str]:
    """A JSON array of strings, else 400 naming ``what``."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise bad(f"Invalid input JSON: {what} must be an array of strings.")
    return list(value)


def property_names(body: dict[str, Any], key: str = "properties") -> list[str] | None:
    """The property names a body asks for (``properties``), or None for the defaults."""
    names = string_list(body.get(key), key)
    return names or None


def create_associations(world: World, obj: ObjectType, record_id: str, raw: Any) -> None:
    """Create the ``associations`` of a create input: ``[{"to": {"id"}, "types":
    [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId"}]}]``."""
    if raw is None:
        return
    if not isinstance(raw, list):
        raise bad("Invalid input JSON: associations must be an array.")
    for item in raw:
        to = item.get("to") if isinstance(item, dict) else None
        types = item.get("types") if isinstance(item, dict) else None
        target_id = to.get("id") if isinstance(to, dict) else None
        if isinstance(target_id, int) and not isinstance(target_id, bool):
            target_id = str(target_id)
        if not isinstance(target_id, str) or not isinstance(types, list) or not types:
            raise bad(
                'Invalid input JSON: each association is {"to": {"id": "..."}, "types": '
                '[{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": N}]}.'
            )
        for spec in types:
            type_id = spec.get("associationTypeId") if isinstance(spec, dict) else None
            category = spec.get("associationCategory") if isinstance(spec, dict) else None
            target = _target_of(obj, type_id)
            if category != "HUBSPOT_DEFINED" or target is None or not isinstance(type_id, int):
                raise bad(
                    f"{type_id!r:.40} is not a valid HUBSPOT_DEFINED association type from "
                    f"{obj.name}. Types: "
                    + ", ".join(
                        f"{ids[0]} or {ids[1]} (to {dst})"
                        for (src, dst), ids in ASSOCIATION_TYPES.items()
                        if src == obj.name
                    )
                )
            require_record(world, target, target_id)
            associate(world, obj, record_id, target, target_id, type_id)


def _target_of(obj: ObjectType, type_id: Any) -> ObjectType | None:
    for (src, dst), ids in ASSOCIATION_TYPES.items():
        if src == obj.name and type_id in ids[:2]:
            return OBJECTS[dst]
    return None
