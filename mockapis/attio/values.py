"""Attribute values: Attio's output shape, and parsing of every write-input shorthand per type."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from mockapis.attio import formats
from mockapis.attio.schema import Attribute, find_object
from mockapis.kit.errors import ApiError
from mockapis.world import World

__all__ = [
    "LOCATION_FIELDS",
    "WriteContext",
    "identity",
    "parse_input",
    "seeded_values",
    "wrap",
]

LOCATION_FIELDS = (
    "line_1",
    "line_2",
    "line_3",
    "line_4",
    "locality",
    "region",
    "postcode",
    "country_code",
    "latitude",
    "longitude",
)
_VALUE_META = frozenset({"active_from", "active_until", "created_by_actor", "attribute_type"})
MAX_NUMBER = 1e15
"""Numbers beyond this magnitude are refused (they could not round-trip through JSON safely)."""


@dataclass(frozen=True)
class WriteContext:
    """Who writes, when, and the world to resolve references against."""

    world: World
    actor: dict[str, Any]
    at: str


def wrap(
    attribute: Attribute, fields: dict[str, Any], at: str, actor: dict[str, Any]
) -> dict[str, Any]:
    """One value in Attio's output shape: history metadata, type fields, ``attribute_type``."""
    return {
        "active_from": at,
        "active_until": None,
        "created_by_actor": actor,
        **fields,
        "attribute_type": attribute.type,
    }


def identity(value: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """What makes two values the same, ignoring history metadata (used to skip duplicates)."""
    fields = {k: v for k, v in value.items() if k not in _VALUE_META}
    if "option" in fields:
        return (("option", fields["option"]["id"]["option_id"]),)
    if "status" in fields:
        return (("status", fields["status"]["id"]["status_id"]),)
    if "email_address" in fields:
        return (("email_address", fields["email_address"]),)
    if "phone_number" in fields:
        return (("phone_number", fields["phone_number"]),)
    return tuple(sorted((k, repr(v)) for k, v in fields.items()))


def parse_input(attribute: Attribute, raw: Any, ctx: WriteContext) -> list[dict[str, Any]]:
    """The values ``raw`` writes to ``attribute`` (``null`` and ``[]`` clear it), else 400."""
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else [raw]
    if len(items) > 1 and not attribute.multi:
        raise ApiError(
            400,
            f'Attribute "{attribute.slug}" accepts a single value; got {len(items)} values.',
            code="validation_type",
        )
    if len(items) > 100:
        raise ApiError(
            400, f"At most 100 values per attribute; got {len(items)}.", code="validation_type"
        )
    parser = _PARSERS[attribute.type]
    return [wrap(attribute, parser(attribute, item, ctx), ctx.at, ctx.actor) for item in items]


def _invalid(attribute: Attribute, item: Any, expected: str) -> ApiError:
    shown = repr(item) if len(repr(item)) <= 80 else repr(item)[:77] + "..."
    return ApiError(
        400,
        f'Invalid value was passed to attribute with slug "{attribute.slug}" (type '
        f"{attribute.type}): {shown}. Expected {expected}.",
        code="validation_type",
    )


def _unwrap(item: Any, key: str) -> Any:
    """Accept both the bare shorthand and ``{key: ...}``."""
    if isinstance(item, dict) and set(item) == {key}:
        return item[key]
    return item


def _text(attribute: Attribute, item: Any, ctx: WriteContext) -> dict[str, Any]:
    value = _unwrap(item, "value")
    if not isinstance(value, str) or len(value) > 10_000:
        raise _invalid(attribute, item, 'a string (at most 10000 characters) or {"value": string}')
    return {"value": value}


def _finite(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and abs(value) <= MAX_NUMBER
    )


def _number(attribute: Attribute, item: Any, ctx: WriteContext) -> dict[str, Any]:
    value = _unwrap(item, "value")
    if not _finite(value):
        raise _invalid(attribute, item, 'a finite number or {"value": number}')
    return {"value": value}


def _checkbox(attribute: Attribute, item: Any, ctx: WriteContext) -> dict[str, Any]:
    value = _unwrap(item, "value")
    if isinstance(value, str) and value in ("true", "false"):
        value = value == "true"
    if not isinstance(value, bool):
        raise _invalid(attribute, item, 'true, false or {"value": boolean}')
    return {"value": value}


def _currency(attribute: Attribute, item: Any, ctx: WriteContext) -> dict[str, Any]:
    expected = 'a number or {"currency_value": number, "currency_code": "USD"}'
    if isinstance(item, dict):
        if not set(item) <= {"currency_value", "currency_code"}:
            raise _invalid(attribute, item, expected)
        value, code = item.get("currency_value"), item.get("currency_code", attribute.currency)
    else:
        value, code = item, attribute.currency
    if not _finite(value) or not (isinstance(code, str) and len(code) == 3 and code.isupper()):
        raise _invalid(attribute, item, expected)
    return {"currency_value": value, "currency_code": code}


def _date(attribute: Attribute, item: Any, ctx: WriteContext) -> dict[str, Any]:
    value = _unwrap(item, "value")
    date = formats.parse_date(value) if isinstance(value, str) else None
    if date is None:
        raise _invalid(attribute, item, 'a date "YYYY-MM-DD" or {"value": "YYYY-MM-DD"}')
    return {"value": date}


def _timestamp(attribute: Attribute, item: Any, ctx: WriteContext) -> dict[str, Any]:
    value = _unwrap(item, "value")
    ns = formats.parse_timestamp_ns(value) if isinstance(value, str) else None
    if ns is None:
        raise _invalid(attribute, item, 'an ISO 8601 timestamp such as "2023-01-02T15:00:00Z"')
    return {"value": formats.timestamp_string(ns)}


def _domain(attribute: Attribute, item: Any, ctx: WriteContext) -> dict[str, Any]:
    value = _unwrap(item, "domain")
    domain = formats.normalize_domain(value) if isinstance(value, str) else None
    if domain is None:
        raise _invalid(attribute, item, 'a domain such as "acme.com" or {"domain": "acme.com"}')
    return {"domain": domain, "root_domain": formats.root_domain(domain)}


def _email(attribute: Attribute, item: Any, ctx: WriteContext) -> dict[str, Any]:
    value = _unwrap(item, "email_address")
    parts = formats.email_parts(value) if isinstance(value, str) else None
    if parts is None:
        raise _invalid(
            attribute, item, 'an email such as "ada@acme.com" or {"email_address": "..."}'
        )
    return parts


def _name(attribute: Attribute, item: Any, ctx: WriteContext) -> dict[str, Any]:
    expected = '{"first_name": ..., "last_name": ..., "full_name": ...} or "Last, First"'
    if isinstance(item, str):
        last, comma, first = item.partition(",")
        if not comma:
            first, _, last = item.strip().partition(" ")
        item = {"first_name": first.strip(), "last_name": last.strip()}
    if not isinstance(item, dict) or not set(item) <= {"first_name", "last_name", "full_name"}:
        raise _invalid(attribute, item, expected)
    parts = {k: item.get(k) for k in ("first_name", "last_name", "full_name")}
    if not all(v is None or (isinstance(v, str) and len(v) <= 500) for v in parts.values()):
        raise _invalid(attribute, item, expected)
    first, last, full = (parts["first_name"] or ""), (parts["last_name"] or ""), parts["full_name"]
    if full is None:
        full = f"{first} {last}".strip()
    elif not first and not last:
        first, _, last = full.strip().rpartition(" ") if " " in full.strip() else (full, "", "")
    if not (first or last or full):
        raise _invalid(attribute, item, expected)
    return {"first_name": first, "last_name": last, "full_name": full}


def _phone(attribute: Attribute, item: Any, ctx: WriteContext) -> dict[str, Any]:
    expected = '"+14155552671" or {"original_phone_number": "...", "country_code": "US"}'
    country: Any = None
    if isinstance(item, dict):
        if not set(item) <= {"original_phone_number", "country_code"}:
            raise _invalid(attribute, item, expected)
        raw, country = item.get("original_phone_number"), item.get("country_code")
    else:
        raw = item
    if not isinstance(raw, str) or not (country is None or isinstance(country, str)):
        raise _invalid(attribute, item, expected)
    normalized = formats.normalize_phone(raw, country)
    if normalized is None:
        raise _invalid(attribute, item, expected)
    number, code = normalized
    return {"original_phone_number": raw, "country_code": code, "phone_number": number}


def _location(attribute: Attribute, item: Any, ctx: WriteContext) -> dict[str, Any]:
    expected = "an object with some of " + ", ".join(LOCATION_FIELDS)
    if not isinstance(item, dict) or not item or not set(item) <= set(LOCATION_FIELDS):
        raise _invalid(attribute, item, expected)
    fields: dict[str, Any] = {}
    for key in LOCATION_FIELDS:
        value = item.get(key)
        if key in ("latitude", "longitude") and _finite(value):
            value = str(value)
        if not (value is None or (isinstance(value, str) and len(value) <= 500)):
            raise _invalid(attribute, item, expected)
        fields[key] = value
    return fields


def _reference(attribute: Attribute, item: Any, ctx: WriteContext) -> dict[str, Any]:
    expected = 'a record id or {"target_object": "...", "target_record_id": "<uuid>"}'
    target = attribute.targets[0]
    if isinstance(item, dict):
        if not set(item) <= {"target_object", "target_record_id"}:
            raise _invalid(attribute, item, expected)
        target = item.get("target_object", target)
        item = item.get("target_record_id")
    obj = find_object(target) if isinstance(target, str) else None
    if obj is None or obj.slug not in attribute.targets or not isinstance(item, str):
        raise _invalid(
            attribute, item, expected + f" with target_object in {list(attribute.targets)}"
        )
    if item not in ctx.world.table(f"attio.{obj.slug}"):
        raise ApiError(
            400,
            f'Record "{item}" was not found in object "{obj.slug}" (attribute "{attribute.slug}").',
            code="value_not_found",
        )
    return {"target_object": obj.slug, "target_record_id": item}


def _choice(key: str) -> Callable[[Attribute, Any, WriteContext], dict[str, Any]]:
    def parse(attribute: Attribute, item: Any, ctx: WriteContext) -> dict[str, Any]:
        value = _unwrap(item, key)
        found = attribute.option(value) if isinstance(value, str) else None
        if found is None:
            titles = ", ".join(f'"{t}"' for t in attribute.options)
            raise ApiError(
                400,
                f"Cannot find {attribute.type} option with title or id {_short(value)} for "
                f'attribute "{attribute.slug}". Valid titles: {titles}.',
                code="value_not_found",
            )
        return {key: dict(found)}

    return parse


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _actor(attribute: Attribute, item: Any, ctx: WriteContext) -> dict[str, Any]:
    expected = (
        '{"referenced_actor_type": "workspace-member", "referenced_actor_id": "<uuid>"}, '
        '{"workspace_member_email_address": "..."} or a member email'
    )
    members = ctx.world.table("attio.members")
    member_id: Any = None
    if isinstance(item, str):
        item = {"workspace_member_email_address": item}
    if isinstance(item, dict) and set(item) == {"workspace_member_email_address"}:
        email = item["workspace_member_email_address"]
        member_id = next(
            (
                k
                for k, m in members.items()
                if isinstance(email, str) and m["email_address"] == email.strip().lower()
            ),
            None,
        )
    elif isinstance(item, dict) and item.get("referenced_actor_type") == "workspace-member":
        member_id = item.get("referenced_actor_id")
        if set(item) != {"referenced_actor_type", "referenced_actor_id"}:
            member_id = None
    if not isinstance(member_id, str) or member_id not in members:
        raise _invalid(attribute, item, expected + " of an existing workspace member")
    return {"referenced_actor_type": "workspace-member", "referenced_actor_id": member_id}


_NO_CONTEXT = WriteContext(World(), {}, "")
"""For the parsers that need no world (email, phone) when seeding."""

_PARSERS: dict[str, Callable[[Attribute, Any, WriteContext], dict[str, Any]]] = {
    "text": _text,
    "number": _number,
    "checkbox": _checkbox,
    "currency": _currency,
    "date": _date,
    "timestamp": _timestamp,
    "domain": _domain,
    "email-address": _email,
    "personal-name": _name,
    "phone-number": _phone,
    "location": _location,
    "record-reference": _reference,
    "select": _choice("option"),
    "status": _choice("status"),
    "actor-reference": _actor,
}


# -- seeded values ---------------------------------------------------------------------------


def _seeded_fields(attribute: Attribute, item: Any) -> dict[str, Any]:
    """What the type's parser makes of a valid ``item``, without its checks."""
    kind = attribute.type
    if kind in ("text", "number", "date", "checkbox"):
        return {"value": item}
    if kind == "domain":
        return {"domain": item, "root_domain": formats.root_domain(item)}
    if kind == "select" or kind == "status":
        found = attribute.option(item)
        assert found is not None, (attribute.slug, item)
        return {"option" if kind == "select" else "status": dict(found)}
    if kind == "record-reference":
        return {"target_object": attribute.targets[0], "target_record_id": item}
    if kind == "currency":
        return {"currency_value": item, "currency_code": attribute.currency}
    if kind == "personal-name":
        first, last = item["first_name"], item["last_name"]
        return {"first_name": first, "last_name": last, "full_name": f"{first} {last}".strip()}
    if kind == "location":
        return {key: item.get(key) for key in LOCATION_FIELDS}
    if kind == "actor-reference":
        return {"referenced_actor_type": "workspace-member", "referenced_actor_id": item}
    # Email and phone parsing normalises: run the parser itself (no world needed).
    return _PARSERS[kind](attribute, item, _NO_CONTEXT)


def seeded_values(
    attributes: Mapping[str, Attribute], raw: Mapping[str, Any], at: str, actor: dict[str, Any]
) -> dict[str, list[dict[str, Any]]]:
    """The values of seeded input ``raw`` (slug -> item or list of items; ``None`` skipped),
    as :func:`parse_input` makes them from valid input, several times faster: seeders write
    thousands of records. Record references are bare record ids, actor references member
    ids, options their titles; nothing is checked (a test compares with ``parse_input``)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for slug, value in raw.items():
        if value is None:
            continue
        attribute = attributes[slug]
        kind = attribute.type
        out[slug] = [
            {
                "active_from": at,
                "active_until": None,
                "created_by_actor": actor,
                **_seeded_fields(attribute, item),
                "attribute_type": kind,
            }
            for item in (value if isinstance(value, list) else (value,))
        ]
    return out
