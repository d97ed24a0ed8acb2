"""Stored templates: the table, ids, lookups and the public JSON form."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from mockapis.kit.errors import ApiError
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["TEMPLATES", "find", "iso", "new_id", "public", "rows_of"]

TEMPLATES = "templates.templates"
"""Template id -> ``{"id", "account", "seq", "name", "description", "format", "body",
"strict_undefined", "version", "created_at", "updated_at"}``."""


def iso(ns: int) -> str:
    """``ns`` since the epoch as RFC 3339 in whole seconds (``2024-01-15T09:00:00Z``)."""
    return dt.datetime.fromtimestamp(ns // 1_000_000_000, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_id(rng: random.Random) -> str:
    """A fresh template id (``tmpl_`` and 20 lowercase hex digits) drawn from ``rng``."""
    return "tmpl_" + f"{rng.getrandbits(80):020x}"


def rows_of(world: World, account: str) -> list[Record]:
    """The account's templates, oldest first."""
    rows = [r for r in world.table(TEMPLATES).values() if r["account"] == account]
    return sorted(rows, key=lambda r: r["seq"])


def find(world: World, account: str, template_id: str) -> Record:
    """The account's template ``template_id``, else 404."""
    row = world.table(TEMPLATES).get(template_id)
    if row is None or row["account"] != account:
        raise ApiError(404, f"No template with id {template_id!r}.", code="template_not_found")
    return row


def public(row: Record) -> dict[str, Any]:
    """The template as the API returns it."""
    return {
        "id": row["id"],
        "object": "template",
        "name": row["name"],
        "description": row["description"],
        "format": row["format"],
        "body": row["body"],
        "strict_undefined": row["strict_undefined"],
        "version": row["version"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }
