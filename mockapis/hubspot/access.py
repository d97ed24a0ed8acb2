"""Authentication and scopes of the CRM routes: who is calling, and may they do this."""

from __future__ import annotations

import math
from typing import Any

from starlette.requests import Request

from mockapis.clock import NS_PER_SECOND
from mockapis.hubspot.schema import ObjectType, object_of
from mockapis.hubspot.tokens import DEAD_TOKENS, TOKENS
from mockapis.kit.auth import header_value
from mockapis.kit.context import world_of
from mockapis.kit.errors import ApiError
from mockapis.kit.parsing import first_invalid_text, read_json, require_object
from mockapis.kit.routing import Handler, route
from mockapis.tables import Record
from mockapis.world import World

__all__ = [
    "Handler",
    "authenticate",
    "authorize",
    "authorize_object",
    "read_object",
    "require_scope",
    "route",
    "token_state",
]


_DOCS = "https://developers.hubspot.com/docs/api/oauth-quickstart-guide"
_NOT_FOUND = (
    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you "
    f"can find more details at {_DOCS}"
)


def _unauthorized(message: str, category: str, *, error: bool = True) -> ApiError:
    challenge = 'Bearer realm="api.hubapi.com"'
    if error:
        challenge += ', error="invalid_token"'
    return ApiError(
        401,
        message,
        code="unauthorized",
        headers={"WWW-Authenticate": challenge},
        extra={"category": category},
    )


def token_state(world: World, row: Record | None) -> str:
    """``live``, ``unknown``, ``revoked`` or ``expired`` (on the episode clock, or killed by
    the fault layer's ``credential_expiry``)."""
    if row is None:
        return "unknown"
    if row["revoked"]:
        return "revoked"
    dead = world.runtime.get(DEAD_TOKENS, {}).get(row["token"])
    if dead == "revoke":
        return "revoked"
    if dead == "expire":
        return "expired"
    expires = row["expires_at_ns"]
    if expires is not None and world.clock.now_ns >= expires:
        return "expired"
    return "live"


def authorize(request: Request, scope: str | tuple[str, ...]) -> tuple[World, Record]:
    """The world and the caller's token row, which must be live and hold ``scope`` (one of
    them, when several would do); else HubSpot's 401 or 403."""
    world, row = authenticate(request)
    require_scope(row, scope)
    return world, row


def authorize_object(
    request: Request, *, write: bool, param: str = "objectType"
) -> tuple[World, Record, ObjectType]:
    """:func:`authorize` for the object type named by the path parameter ``param``: the token
    is checked first (401 before any 400 for a bad type), then its scope for that type."""
    world, row = authenticate(request)
    obj = object_of(request.path_params[param])
    require_scope(row, obj.write_scope if write else obj.read_scope)
    return world, row, obj


def authenticate(request: Request) -> tuple[World, Record]:
    """The world and the caller's live token row, else HubSpot's 401."""
    world = world_of(request)
    header = header_value(request, b"authorization")
    if not header:
        raise _unauthorized(_NOT_FOUND, "INVALID_AUTHENTICATION", error=False)
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized(
            "Malformed Authorization header; expected 'Authorization: Bearer <token>' with a "
            "private app token or an OAuth access token.",
            "INVALID_AUTHENTICATION",
        )
    row = world.table(TOKENS).get(token)
    state = token_state(world, row)
    if state == "unknown" or row is None:
        raise _unauthorized(
            "The access token is invalid: it is not a private app token or an OAuth access "
            "token this account issued.",
            "INVALID_AUTHENTICATION",
        )
    if state == "revoked":
        raise _unauthorized(
            "The OAuth token used to make this call has been revoked. Authorize again to get "
            "a new one.",
            "INVALID_AUTHENTICATION",
        )
    if state == "expired":
        expires = row["expires_at_ns"] or world.clock.now_ns
        ago = max(0, math.floor((world.clock.now_ns - expires) / NS_PER_SECOND))
        raise _unauthorized(
            f"The OAuth token used to make this call expired {ago} second(s) ago. Get a new "
            "access token with your refresh token (POST /oauth/v1/token, "
            "grant_type=refresh_token).",
            "EXPIRED_AUTHENTICATION",
        )
    return world, row


def require_scope(row: Record, scope: str | tuple[str, ...]) -> None:
    """403 ``MISSING_SCOPES`` naming ``scope`` unless the token holds it (or one of them)."""
    wanted = (scope,) if isinstance(scope, str) else scope
    if not any(s in row["scopes"] for s in wanted):
        raise ApiError(
            403,
            "This app hasn't been granted all required scopes to make this call. Read more "
            "about required scopes here: https://developers.hubspot.com/scopes.",
            code="forbidden",
            extra={
                "category": "MISSING_SCOPES",
                "errors": [
                    {
                        "message": "One or more of the following scopes are required.",
                        "context": {"requiredGranularScopes": list(wanted)},
                    }
                ],
                "links": {"scopes": "https://developers.hubspot.com/scopes"},
            },
        )


async def read_object(request: Request) -> dict[str, Any]:
    """The JSON object body (400 in HubSpot's format when absent or malformed)."""
    try:
        body = await read_json(request)
    except RecursionError:
        raise ApiError(400, "Invalid input JSON: nested too deeply.") from None
    except ValueError:
        raise ApiError(400, "Invalid input JSON: a number is too large.") from None
    checked = require_object(body, "The request body")
    _check_text(checked)
    return checked


def _check_text(body: Any) -> None:
    """400 if any string in ``body`` is not valid Unicode (a lone surrogate cannot be stored)."""
    if first_invalid_text(body) is not None:
        raise ApiError(400, "Invalid input JSON: a string is not valid Unicode.")
