"""Authentication with the secret key, object lookup and ``expand[]``."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from starlette.requests import Request

from mockapis.kit.auth import header_value
from mockapis.kit.errors import ApiError
from mockapis.stripe.data import KEYS
from mockapis.stripe.errors import missing, param_error
from mockapis.stripe.objects import EXPANDABLE, NAMES, TABLES
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["MAX_EXPAND_DEPTH", "authorize", "expand", "fetch"]

MAX_EXPAND_DEPTH = 4
"""Stripe expands at most four levels deep (``data.source.customer`` is three)."""

_CHALLENGE = {"WWW-Authenticate": 'Basic realm="Stripe"'}


def authorize(request: Request) -> World:
    """The episode's world, if the request carries a valid secret key (Bearer, or Basic
    with the key as user name, as Stripe accepts); else Stripe's 401."""
    world: World = request.scope["world"]
    header = header_value(request, b"authorization")
    if not header or not header.strip():
        raise ApiError(
            401,
            "You did not provide an API key. You need to provide your API key in the "
            "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
            "YOUR_SECRET_KEY').",
            code="unauthorized",
            headers=_CHALLENGE,
        )
    scheme, _, value = header.strip().partition(" ")
    key = value.strip()
    if scheme.lower() == "basic":
        try:
            key = base64.b64decode(key, validate=True).decode().partition(":")[0]
        except (binascii.Error, UnicodeDecodeError):
            key = ""
    elif scheme.lower() != "bearer":
        key = ""
    if not key or key not in world.table(KEYS):
        shown = f"{key[:8]}{'*' * 12}{key[-4:]}" if len(key) > 12 else "****"
        raise ApiError(
            401, f"Invalid API Key provided: {shown}", code="unauthorized", headers=_CHALLENGE
        )
    return world


def fetch(world: World, kind: str, object_id: str, param: str = "id") -> Record:
    """The stored object, else Stripe's 404 ``resource_missing``."""
    row: Record | None = world.table(TABLES[kind]).get(object_id)
    if row is None:
        raise missing(NAMES[kind], object_id, param)
    return row


def expand(
    world: World, kind: str, record: Record, paths: list[str], *, prefix: str = ""
) -> Record:
    """``record`` with the fields named by ``paths`` replaced by their objects.

    ``prefix`` is what every path must start with (``"data."`` in a list); a field that cannot
    be expanded, or a path deeper than :data:`MAX_EXPAND_DEPTH`, is a 400 on ``expand``.
    """
    result = record
    for path in paths:
        if path.count(".") + 1 > MAX_EXPAND_DEPTH:
            raise param_error(
                "expand",
                f"You cannot expand more than {MAX_EXPAND_DEPTH} levels of a property: {path}",
            )
        if not path.startswith(prefix) or path == prefix:
            raise param_error("expand", f"This property cannot be expanded ({path}).")
        result = _expand_path(world, kind, result, path[len(prefix) :].split("."), path)
    return result


def _expand_path(world: World, kind: str, record: Record, parts: list[str], path: str) -> Record:
    field, rest = parts[0], parts[1:]
    target = EXPANDABLE.get(kind, {}).get(field)
    if target is None:
        raise param_error("expand", f"This property cannot be expanded ({path}).")
    value: Any = record.get(field)
    if value is None:
        return record  # nothing to expand: Stripe leaves null as null
    if isinstance(value, str):
        found = world.table(TABLES[target]).get(value)
        value = found if found is not None else {"id": value, "object": target, "deleted": True}
    if rest and not value.get("deleted"):
        value = _expand_path(world, target, value, rest, path)
    return {**record, field: value}
