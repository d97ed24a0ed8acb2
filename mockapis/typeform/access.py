"""What every Typeform request goes through: the personal access token, and query parsing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from mockapis.kit.auth import header_value
from mockapis.kit.errors import ApiError
from mockapis.typeform.errors import invalid_param
from mockapis.world import World

__all__ = ["TOKENS", "authorized", "base_url", "page_number", "world"]

TOKENS = "typeform._tokens"
MAX_INT = 2**31 - 1

Endpoint = Callable[[Request], Awaitable[Response]]


def world(request: Request) -> World:
    """The episode's world."""
    found: World = request.scope["world"]
    return found


def base_url(request: Request) -> str:
    """The API's root as the client reached it (``https://api.typeform.com``, or the served
    prefix), for the ``href`` links of the bodies."""
    root = str(request.scope.get("root_path", ""))
    return f"{request.url.scheme}://{request.url.netloc}{root}"


def _check_token(request: Request) -> None:
    header = header_value(request, b"authorization")
    if not header:
        raise ApiError(
            401,
            "Authentication credentials not found on the Request Headers",
            code="AUTHENTICATION_FAILED",
        )
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or world(request).table(TOKENS).get(token.strip()) is None:
        # A header with a wrong token is 403, not 401, on the live API (and in Typeform's
        # troubleshooting table); the description is the live one.
        raise ApiError(403, "Authentication failed", code="AUTHENTICATION_FAILED")


def authorized(endpoint: Endpoint) -> Endpoint:
    """``endpoint`` behind the bearer-token check (``AUTHENTICATION_FAILED``: 401 without an
    ``Authorization`` header, 403 with a wrong one)."""

    async def guarded(request: Request) -> Response:
        _check_token(request)
        return await endpoint(request)

    guarded.__doc__ = endpoint.__doc__
    return guarded


def page_number(request: Request, name: str, default: int, maximum: int | None = None) -> int:
    """A positive integer query parameter (``page``, ``page_size``), else a 400 naming it."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    top = maximum if maximum is not None else MAX_INT
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 10) or not 1 <= int(raw) <= top:
        raise invalid_param(name, f"{name} must be an integer between 1 and {top}; got {raw!r}")
    return int(raw)
