"""What every handler needs first: the world, the caller's token, path lookups, the JSON body."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from mockapis.attio.filters import FilterError
from mockapis.attio.schema import ListDef, ObjectDef, find_list, find_object
from mockapis.kit.auth import bearer_token
from mockapis.kit.context import world_of
from mockapis.kit.errors import ApiError
from mockapis.kit.parsing import first_invalid_text, read_json, require_object
from mockapis.kit.routing import Handler, route
from mockapis.tables import Record
from mockapis.world import World

__all__ = [
    "MAX_LIMIT",
    "Handler",
    "authorize",
    "filter_error",
    "page",
    "path_list",
    "path_object",
    "read_data",
    "read_optional_object",
    "route",
]

MAX_LIMIT = 500
"""Default and maximum ``limit`` of record and entry queries."""


def authorize(request: Request) -> tuple[World, Record]:
    """The world and the caller's token row; 401 in Attio's shape for a missing or unknown token."""
    world = world_of(request)
    token = bearer_token(request, realm="attio")
    row = world.table("attio._tokens").get(token)
    if row is None:
        raise ApiError(
            401,
            "The access token is invalid or has been revoked. Send 'Authorization: Bearer "
            "<token>' with the token you were given.",
            code="invalid_token",
            headers={"WWW-Authenticate": 'Bearer realm="attio"'},
        )
    return world, row


def path_object(request: Request) -> ObjectDef:
    """The object named by the ``{object}`` path parameter (slug or id), else 404."""
    identifier = request.path_params["object"]
    obj = find_object(identifier)
    if obj is None:
        raise ApiError(
            404,
            f'Object with slug/ID "{identifier}" not found. Objects: people, companies, deals.',
            code="not_found",
        )
    return obj


def path_list(request: Request) -> ListDef:
    """The list named by the ``{list}`` path parameter (slug or id), else 404."""
    identifier = request.path_params["list"]
    found = find_list(identifier)
    if found is None:
        raise ApiError(
            404,
            f'List with slug/ID "{identifier}" not found. Lists: sales_pipeline, key_contacts.',
            code="not_found",
        )
    return found


async def read_optional_object(request: Request) -> dict[str, Any]:
    """The JSON object body, ``{}`` when the body is empty; 400/413/415 otherwise."""
    body = await _read(request, required=False)
    if body is None:
        return {}
    return _checked(require_object(body, "The request body"))


async def read_data(request: Request) -> dict[str, Any]:
    """The ``data`` object of a ``{"data": {...}}`` body, else 400 explaining the envelope."""
    body = _checked(require_object(await _read(request, required=True), "The request body"))
    data = body.get("data")
    if not isinstance(data, dict):
        raise ApiError(
            400,
            'Body must be {"data": {...}}; the "data" object is missing or not an object.',
            code="validation_type",
        )
    return data


async def _read(request: Request, *, required: bool) -> Any:
    try:
        return await read_json(request, required=required)
    except RecursionError:
        raise ApiError(400, "JSON body is nested too deeply.", code="invalid_json") from None
    except ValueError:  # int() refuses numbers of more than 4300 digits
        raise ApiError(
            400, "JSON body holds a number too large to read.", code="invalid_json"
        ) from None


def _checked(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` if every string in it is valid Unicode (lone surrogates cannot be stored)."""
    if first_invalid_text(body) is not None:
        raise ApiError(
            400,
            "Body contains a string that is not valid Unicode (a lone surrogate).",
            code="validation_type",
        )
    return body


def page(body: dict[str, Any], *, default: int = MAX_LIMIT, maximum: int = MAX_LIMIT) -> slice:
    """The ``limit``/``offset`` window of a query body, else 400 stating the bounds."""
    limit, offset = body.get("limit", default), body.get("offset", 0)
    if limit is None:
        limit = default
    if offset is None:
        offset = 0
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= maximum:
        raise ApiError(
            400,
            f"limit must be an integer between 1 and {maximum}; got {_shown(limit)}.",
            code="validation_type",
        )
    if isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset <= 10**9:
        raise ApiError(
            400, f"offset must be an integer >= 0; got {_shown(offset)}.", code="validation_type"
        )
    return slice(offset, offset + limit)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def filter_error(exc: FilterError) -> ApiError:
    """A grammar error as Attio's 400 ``filter_error``."""
    return ApiError(400, str(exc), code="filter_error")
