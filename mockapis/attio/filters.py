"""The query filter grammar (shorthand and verbose) and sorts, compiled once per request."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from mockapis.attio import formats
from mockapis.attio.schema import Attribute, find_object
from mockapis.attio.values import LOCATION_FIELDS, MAX_NUMBER
from mockapis.kit.parsing import json_type

__all__ = ["FilterError", "Predicate", "compile_filter", "query_rows", "sort_rows"]

Values = Mapping[str, list[dict[str, Any]]]
Predicate = Callable[[Values], bool]
MAX_DEPTH = 16
MAX_SORTS = 10

_STRING_OPS = ("$eq", "$in", "$contains", "$starts_with", "$ends_with", "$not_empty")
_ORDERED_OPS = ("$eq", "$in", "$lt", "$lte", "$gt", "$gte", "$not_empty")
_OPS_BY_KIND = {
    "string": _STRING_OPS,
    "number": _ORDERED_OPS,
    "date": _ORDERED_OPS,
    "timestamp": _ORDERED_OPS,
    "bool": ("$eq", "$not_empty"),
}
_ALL_OPS = frozenset(op for ops in _OPS_BY_KIND.values() for op in ops)
_S = "string"
# attribute type -> (default property, {property: kind})
FIELDS: Mapping[str, tuple[str | None, Mapping[str, str]]] = {
    "text": ("value", {"value": _S}),
    "number": ("value", {"value": "number"}),
    "checkbox": ("value", {"value": "bool"}),
    "currency": ("currency_value", {"currency_value": "number", "currency_code": _S}),
    "date": ("value", {"value": "date"}),
    "timestamp": ("value", {"value": "timestamp"}),
    "domain": ("domain", {"domain": _S, "root_domain": _S}),
    "email-address": (
        "email_address",
        {
            "email_address": _S,
            "original_email_address": _S,
            "normalized_email_address": _S,
            "email_domain": _S,
            "email_root_domain": _S,
            "email_local_specifier": _S,
        },
    ),
    "personal-name": ("full_name", {"full_name": _S, "first_name": _S, "last_name": _S}),
    "phone-number": (
        "phone_number",
        {"phone_number": _S, "original_phone_number": _S, "country_code": _S},
    ),
    "location": (None, dict.fromkeys(LOCATION_FIELDS, _S)),
    "record-reference": ("target_record_id", {"target_record_id": _S, "target_object": _S}),
    "select": ("option", {"option": _S, "title": _S}),
    "status": ("status", {"status": _S, "title": _S}),
    "actor-reference": (
        "referenced_actor_id",
        {"referenced_actor_id": _S, "referenced_actor_type": _S},
    ),
}
_ALIASES = {"normalized_email_address": "email_address"}


class FilterError(ValueError):
    """A filter or sort the grammar does not accept; the message says what to send instead."""


def compile_filter(raw: Any, attributes: Mapping[str, Attribute]) -> Predicate:
    """A predicate over a record's (or entry's) values for the filter ``raw``."""
    if raw is None:
        return _always
    return _node(raw, attributes, 0)


def _always(values: Values) -> bool:
    return True


def _node(raw: Any, attributes: Mapping[str, Attribute], depth: int) -> Predicate:
    if depth > MAX_DEPTH:
        raise FilterError(f"Filter is nested too deeply; at most {MAX_DEPTH} levels.")
    if not isinstance(raw, dict):
        raise FilterError(f"A filter must be a JSON object; got {json_type(raw)}.")
    parts: list[Predicate] = []
    for key, value in raw.items():
        if key in ("$and", "$or"):
            if not isinstance(value, list) or not value:
                raise FilterError(f"{key} takes a non-empty array of filters.")
            subs = [_node(v, attributes, depth + 1) for v in value]
            parts.append(_all(subs) if key == "$and" else _any(subs))
        elif key == "$not":
            parts.append(_negate(_node(value, attributes, depth + 1)))
        elif key.startswith("$"):
            raise FilterError(
                f'Unknown filter operator "{key}" at the top level of a filter; use an '
                "attribute slug, or a logical operator: $and, $or, $not."
            )
        else:
            parts.append(_attribute_condition(key, value, attributes))
    return _all(parts)


def _negate(inner: Predicate) -> Predicate:
    return lambda values: not inner(values)


def _member(wanted: set[Any]) -> Callable[[Any], bool]:
    return lambda v: v in wanted


def _all(parts: Sequence[Predicate]) -> Predicate:
    if len(parts) == 1:
        return parts[0]
    return lambda values: all(p(values) for p in parts)


def _any(parts: Sequence[Predicate]) -> Predicate:
    return lambda values: any(p(values) for p in parts)


def find_attribute(key: str, attributes: Mapping[str, Attribute]) -> Attribute:
    """The attribute whose slug or id is ``key``, else :class:`FilterError` listing them."""
    attribute = attributes.get(key) or next((a for a in attributes.values() if a.id == key), None)
    if attribute is None:
        raise FilterError(
            f'Unknown attribute slug: "{key}". Valid attribute slugs: {", ".join(attributes)}.'
        )
    return attribute


def _attribute_condition(key: str, raw: Any, attributes: Mapping[str, Attribute]) -> Predicate:
    attribute = find_attribute(key, attributes)
    default, fields = FIELDS[attribute.type]
    if not isinstance(raw, dict):
        if default is None:
            raise FilterError(
                f'Attribute "{key}" ({attribute.type}) needs a property, e.g. '
                f'{{"{key}": {{"locality": {{"$eq": "London"}}}}}}.'
            )
        return _condition(attribute, default, fields[default], {"$eq": raw})
    if not raw:
        raise FilterError(f'The condition for attribute "{key}" is an empty object.')
    parts: list[Predicate] = []
    operators = {k: v for k, v in raw.items() if k.startswith("$")}
    if operators:
        if default is None and set(operators) != {"$not_empty"}:
            raise FilterError(
                f'Attribute "{key}" ({attribute.type}) supports only $not_empty directly; '
                f"filter on one of its properties: {', '.join(fields)}."
            )
        parts.append(_condition(attribute, default, fields.get(default or "", _S), operators))
    for prop, sub in raw.items():
        if prop.startswith("$"):
            continue
        if prop not in fields:
            raise FilterError(
                f'Unknown property "{prop}" for attribute "{key}" ({attribute.type}); '
                f"valid properties: {', '.join(fields)}."
            )
        condition = sub if isinstance(sub, dict) else {"$eq": sub}
        parts.append(_condition(attribute, _ALIASES.get(prop, prop), fields[prop], condition))
    return _all(parts)


def _condition(
    attribute: Attribute, prop: str | None, kind: str, operators: Mapping[str, Any]
) -> Predicate:
    allowed = _OPS_BY_KIND[kind]
    checks: list[Callable[[Any], bool]] = []
    presence: bool | None = None
    for op, operand in operators.items():
        if op not in allowed:
            reason = "Unknown filter operator" if op not in _ALL_OPS else "Unsupported operator"
            raise FilterError(
                f'{reason} "{op}" for attribute "{attribute.slug}" ({attribute.type}'
                f"{'.' + prop if prop else ''}); supported operators: {', '.join(allowed)}."
            )
        if op == "$not_empty":
            if not isinstance(operand, bool):
                raise FilterError(f"$not_empty takes true or false; got {json_type(operand)}.")
            presence = operand
        elif op == "$in":
            if not isinstance(operand, list) or not operand or len(operand) > 1000:
                raise FilterError(
                    f"$in takes a non-empty array (at most 1000 items) on "
                    f'attribute "{attribute.slug}".'
                )
            wanted = {_operand(attribute, prop, kind, item) for item in operand}
            checks.append(_member(wanted))
        else:
            checks.append(_comparison(op, _operand(attribute, prop, kind, operand)))
    extract = _extractor(prop, kind)

    def test(values: Values) -> bool:
        items = values.get(attribute.slug) or []
        found = [x for x in (extract(v) for v in items) if x is not None and x != ""]
        if presence is not None and bool(found) != presence:
            return False
        return not checks or any(all(c(x) for c in checks) for x in found)

    return test


def _comparison(op: str, operand: Any) -> Callable[[Any], bool]:
    if op == "$eq":
        return lambda v: bool(v == operand)
    if op == "$contains":
        return lambda v: operand in v
    if op == "$starts_with":
        return lambda v: bool(v.startswith(operand))
    if op == "$ends_with":
        return lambda v: bool(v.endswith(operand))
    if op == "$lt":
        return lambda v: bool(v < operand)
    if op == "$lte":
        return lambda v: bool(v <= operand)
    if op == "$gt":
        return lambda v: bool(v > operand)
    return lambda v: bool(v >= operand)


def _operand(attribute: Attribute, prop: str | None, kind: str, operand: Any) -> Any:
    where = f'attribute "{attribute.slug}"'
    if kind == "bool":
        if not isinstance(operand, bool):
            raise FilterError(f"{where} compares with true or false; got {json_type(operand)}.")
        return operand
    if kind == "number":
        if (
            isinstance(operand, bool)
            or not isinstance(operand, int | float)
            or not (abs(operand) <= MAX_NUMBER)
        ):
            raise FilterError(f"{where} compares with a number; got {json_type(operand)}.")
        return operand
    if not isinstance(operand, str):
        raise FilterError(f"{where} compares with a string; got {json_type(operand)}.")
    if kind == "date":
        date = formats.parse_date(operand)
        if date is None:
            raise FilterError(f'{where} compares with a date "YYYY-MM-DD"; got {operand!r}.')
        return date
    if kind == "timestamp":
        ns = formats.parse_timestamp_ns(operand)
        if ns is None:
            raise FilterError(f"{where} compares with an ISO 8601 timestamp; got {operand!r}.")
        return ns
    if prop in ("option", "status", "title"):
        found = attribute.option(operand)
        return (found["title"] if found else operand).casefold()
    if prop == "target_object":
        obj = find_object(operand)
        return (obj.slug if obj else operand).casefold()
    return operand.casefold()


def _extractor(prop: str | None, kind: str) -> Callable[[dict[str, Any]], Any]:
    if prop is None:
        return lambda v: True
    if prop in ("option", "status", "title"):
        return lambda v: (v.get("option") or v.get("status") or {}).get("title", "").casefold()
    if kind == "string":
        return lambda v: v[prop].casefold() if isinstance(v.get(prop), str) else None
    if kind == "timestamp":
        return lambda v: formats.parse_timestamp_ns(v[prop]) if v.get(prop) else None
    return lambda v: v.get(prop)


def sort_rows(
    rows: list[dict[str, Any]], raw: Any, attributes: Mapping[str, Attribute], values_key: str
) -> list[dict[str, Any]]:
    """``rows`` ordered by the ``sorts`` array ``raw`` (empty values last in both directions)."""
    if raw is None:
        return rows
    if not isinstance(raw, list) or len(raw) > MAX_SORTS:
        raise FilterError(f"sorts must be an array of at most {MAX_SORTS} sort objects.")
    keys = [_sort_key(spec, attributes) for spec in raw]
    for key, descending in reversed(keys):
        decorated = [(key(row[values_key]), row) for row in rows]
        present = [pair for pair in decorated if pair[0] is not None]
        present.sort(key=lambda pair: pair[0], reverse=descending)
        rows = [row for _, row in present] + [row for k, row in decorated if k is None]
    return rows


def _sort_key(
    spec: Any, attributes: Mapping[str, Attribute]
) -> tuple[Callable[[Values], Any], bool]:
    if not isinstance(spec, dict) or not set(spec) <= {"direction", "attribute", "field"}:
        raise FilterError(
            'Each sort must be {"direction": "asc"|"desc", "attribute": slug, "field"?: property}'
            "; path sorts are not supported."
        )
    direction, slug, prop = spec.get("direction"), spec.get("attribute"), spec.get("field")
    if direction not in ("asc", "desc"):
        raise FilterError(f'Sort direction must be "asc" or "desc"; got {direction!r}.')
    if not isinstance(slug, str):
        raise FilterError('Each sort needs an attribute slug in "attribute".')
    attribute = find_attribute(slug, attributes)
    default, fields = FIELDS[attribute.type]
    prop = default if prop is None else prop
    if not isinstance(prop, str) or prop not in fields:
        raise FilterError(
            f'Sort on attribute "{slug}" needs "field" set to one of: {", ".join(fields)}.'
        )
    prop = _ALIASES.get(prop, prop)
    order = {t.casefold(): i for i, t in enumerate(attribute.options)}

    def key(values: Values) -> Any:
        items = values.get(attribute.slug) or []
        if not items:
            return None
        first = items[0]
        if prop in ("option", "status", "title"):
            choice = first.get("option") or first.get("status") or {}
            return order.get(str(choice.get("title", "")).casefold())
        value = first.get(prop)
        if isinstance(value, bool):
            return int(value)
        return value.casefold() if isinstance(value, str) else value

    return key, direction == "desc"


def query_rows(
    rows: Sequence[dict[str, Any]],
    body: Mapping[str, Any],
    attributes: Mapping[str, Attribute],
    values_key: str,
) -> list[dict[str, Any]]:
    """The rows matching ``body["filter"]``, in ``body["sorts"]`` order (records or entries)."""
    predicate = compile_filter(body.get("filter"), attributes)
    matched = [row for row in rows if predicate(row[values_key])]
    return sort_rows(matched, body.get("sorts"), attributes, values_key)
