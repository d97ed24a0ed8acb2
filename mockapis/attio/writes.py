"""Building records and entries, and applying written values (append, overwrite, uniqueness)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockapis.attio.schema import WORKSPACE_ID, WORKSPACE_SLUG, Attribute, ListDef, ObjectDef
from mockapis.attio.values import WriteContext, identity, parse_input, wrap
from mockapis.kit.errors import ApiError
from mockapis.tables import Record, Table

__all__ = [
    "ValueMap",
    "build_entry",
    "build_record",
    "check_required",
    "check_unique",
    "merge",
    "parse_values",
]

ValueMap = dict[str, list[dict[str, Any]]]
"""Attribute slug -> its values, in output shape."""


def parse_values(
    attributes: Mapping[str, Attribute], raw: Any, ctx: WriteContext, where: str = "values"
) -> ValueMap:
    """Every value of a write body (``data.values`` / ``data.entry_values``), validated."""
    if not isinstance(raw, dict):
        raise ApiError(
            400,
            f"data.{where} must be an object mapping attribute slugs to values.",
            code="validation_type",
        )
    parsed: ValueMap = {}
    for key, value in raw.items():
        attribute = attributes.get(key) or next(
            (a for a in attributes.values() if a.id == key), None
        )
        if attribute is None:
            raise ApiError(
                400,
                f'Cannot find attribute with slug/ID "{key}". Valid slugs: '
                + ", ".join(a.slug for a in attributes.values() if a.writable)
                + ".",
                code="value_not_found",
            )
        if not attribute.writable:
            raise ApiError(
                400,
                f'Cannot write to attribute "{attribute.slug}": it is a system attribute and is '
                "not writable.",
                code="validation_type",
            )
        if attribute.slug in parsed:
            raise ApiError(
                400,
                f'Attribute "{attribute.slug}" is given twice (by slug and by id).',
                code="validation_type",
            )
        parsed[attribute.slug] = _dedupe(parse_input(attribute, value, ctx))
    return parsed


def _dedupe(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[Any] = set()
    kept = []
    for value in values:
        key = identity(value)
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return kept


def merge(
    attributes: Mapping[str, Attribute],
    current: Mapping[str, list[dict[str, Any]]],
    written: ValueMap,
    *,
    append: bool,
) -> ValueMap:
    """``current`` with ``written`` applied; a new dict (stored values are never mutated).

    With ``append`` (PATCH) new values of multi-value attributes are prepended to the existing
    ones; otherwise (PUT) they replace them. Values equal to existing ones keep their history.
    """
    result = dict(current)
    for slug, values in written.items():
        existing = current.get(slug, [])
        by_identity = {identity(v): v for v in existing}
        if append and attributes[slug].multi:
            added = [v for v in values if identity(v) not in by_identity]
            result[slug] = added + list(existing)
        else:
            result[slug] = [by_identity.get(identity(v), v) for v in values]
    return result


def check_unique(
    table: Table,
    attributes: Mapping[str, Attribute],
    record_id: str | None,
    current: Mapping[str, list[dict[str, Any]]],
    written: ValueMap,
) -> None:
    """409 when a newly written value of a unique attribute is already on another record."""
    for slug, values in written.items():
        if not attributes[slug].unique:
            continue
        had = {identity(v) for v in current.get(slug, [])}
        new = {identity(v): v for v in values if identity(v) not in had}
        if not new:
            continue
        for other_id, other in table.items():
            if other_id == record_id:
                continue
            clash = new.keys() & {identity(v) for v in other["values"].get(slug, [])}
            if clash:
                shown = _display(new[next(iter(clash))])
                raise ApiError(
                    409,
                    f'Uniqueness conflict on attribute "{slug}": the value {shown} already '
                    f'belongs to record "{other_id}".',
                    code="uniqueness_conflict",
                )


def _display(value: dict[str, Any]) -> str:
    for key in ("email_address", "domain", "phone_number", "value"):
        if key in value:
            return f'"{value[key]}"'
    return "given"


def check_required(attributes: Mapping[str, Attribute], values: Mapping[str, list[Any]]) -> None:
    """400 when a required attribute ends up without a value."""
    for attribute in attributes.values():
        if attribute.required and not values.get(attribute.slug):
            raise ApiError(
                400,
                f'Required value for attribute "{attribute.slug}" was not provided; include it '
                "in data.values.",
                code="missing_value",
            )


def _system_values(
    attributes: Mapping[str, Attribute], id_slug: str, new_id: str, at: str, actor: dict[str, Any]
) -> ValueMap:
    values: ValueMap = {slug: [] for slug in attributes}
    values[id_slug] = [wrap(attributes[id_slug], {"value": new_id}, at, actor)]
    values["created_at"] = [wrap(attributes["created_at"], {"value": at}, at, actor)]
    values["created_by"] = [
        wrap(
            attributes["created_by"],
            {"referenced_actor_type": actor["type"], "referenced_actor_id": actor["id"]},
            at,
            actor,
        )
    ]
    return values


def build_record(obj: ObjectDef, record_id: str, ctx: WriteContext, values: ValueMap) -> Record:
    """A new record exactly as the API returns it (every attribute present, empty ones ``[]``)."""
    merged = _system_values(obj.attributes, "record_id", record_id, ctx.at, ctx.actor)
    merged.update(values)
    return {
        "id": {"workspace_id": WORKSPACE_ID, "object_id": obj.id, "record_id": record_id},
        "created_at": ctx.at,
        "web_url": f"https://app.attio.com/{WORKSPACE_SLUG}/{obj.url_noun}/{record_id}",
        "values": merged,
    }


def build_entry(
    lst: ListDef, entry_id: str, parent_record_id: str, ctx: WriteContext, values: ValueMap
) -> Record:
    """A new list entry exactly as the API returns it."""
    merged = _system_values(lst.attributes, "entry_id", entry_id, ctx.at, ctx.actor)
    merged.update(values)
    return {
        "id": {"workspace_id": WORKSPACE_ID, "list_id": lst.id, "entry_id": entry_id},
        "parent_record_id": parent_record_id,
        "parent_object": lst.parent_object,
        "created_at": ctx.at,
        "entry_values": merged,
    }
