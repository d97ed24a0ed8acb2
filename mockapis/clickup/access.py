"""What every ClickUp request goes through: the raw token, the rate limit, lookups by id.

A personal token (``pk_...``) is the whole ``Authorization`` header, with no scheme. As on
ClickUp, a missing header is a 400 (``OAUTH_017``), a token behind ``Bearer`` is looked up as
an OAuth access token and not found (401 ``OAUTH_019``), and an unknown personal token is a
401 ``OAUTH_025``. Each token may make 100 requests a minute (a fixed window on the episode
clock, counted in ``world.runtime``); every authorised answer carries ``X-RateLimit-Limit``,
``X-RateLimit-Remaining`` and ``X-RateLimit-Reset`` (epoch seconds), and the 101st request of a
minute is a 429 ``APP_002``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.auth import header_value
from mockapis.kit.errors import ApiError
from mockapis.kit.parsing import first_invalid_text, json_type, read_json
from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record
from mockapis.world import World

__all__ = [
    "RATE_LIMIT",
    "Call",
    "Handler",
    "endpoint",
    "public",
]

RATE_LIMIT = 100
"""Requests a minute per token (ClickUp's Free, Unlimited and Business plans)."""
_WINDOW_S = 60
_USED = "clickup.ratelimit"


@dataclass(frozen=True)
class Call:
    """One authorised request: the request, the episode's world and the token's user."""

    request: Request
    world: World
    user: Record

    def param(self, name: str) -> str:
        """A path parameter."""
        return str(self.request.path_params[name])

    def query(self, name: str) -> str | None:
        """A query parameter (the first value), or None."""
        value = self.request.query_params.get(name)
        return None if value is None else str(value)

    def query_list(self, name: str) -> list[str]:
        """Every value of an array parameter, sent as ``name[]=a&name[]=b`` (or ``name=a``)."""
        params = self.request.query_params
        return [str(v) for v in (*params.getlist(f"{name}[]"), *params.getlist(name))]

    def flag(self, name: str, default: bool = False) -> bool:
        """A boolean query parameter (``true``/``false``), else 400."""
        raw = self.query(name)
        if raw is None or raw == "":
            return default
        if raw.lower() in ("true", "1"):
            return True
        if raw.lower() in ("false", "0"):
            return False
        raise ApiError(400, f"{name} must be true or false; got {_shown(raw)}.", code="INPUT_005")

    def integer(self, name: str, *, minimum: int = 0) -> int | None:
        """An integer query parameter (at least ``minimum``), None when absent, else 400."""
        raw = self.query(name)
        if raw is None or raw == "":
            return None
        try:
            value = int(raw)
        except ValueError:
            value = None
        if value is None or value < minimum or value > 2**53:
            raise ApiError(
                400,
                f"{name} must be an integer >= {minimum}; got {_shown(raw)}.",
                code="INPUT_005",
            )
        return value

    async def body(self) -> dict[str, Any]:
        """The JSON object body, else 400 in ClickUp's format."""
        try:
            body = await read_json(self.request, required=True)
        except (RecursionError, ValueError):
            raise ApiError(400, "Request body is not valid JSON.", code="INPUT_001") from None
        if not isinstance(body, dict):
            raise ApiError(
                400, f"Request body must be a JSON object; got {json_type(body)}.", code="INPUT_001"
            )
        if first_invalid_text(body) is not None:
            raise ApiError(400, "Request body holds invalid Unicode text.", code="INPUT_001")
        return body


Handler = Callable[[Call], Awaitable[Any]]
"""An endpoint: the JSON body of its 200 answer, from one authorised call."""


def public(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored row as the API shows it: bookkeeping keys (``_...``) left out."""
    return {k: v for k, v in row.items() if not k.startswith("_")}


def endpoint(path: str, handlers: Mapping[str, Handler]) -> Route:
    """A route serving ``handlers`` by method behind ClickUp's token and rate limit."""
    table = dict(handlers)

    async def serve(request: Request) -> Response:
        world: World = request.scope["world"]
        user = _authorize(request, world)
        headers = _count(world, str(user["id"]))
        try:
            if int(headers["X-RateLimit-Remaining"]) < 0:
                raise ApiError(429, "Rate limit reached", code="APP_002")
            body = await table[request.method if request.method != "HEAD" else "GET"](
                Call(request, world, user)
            )
        except ApiError as exc:
            exc.headers.update(_shown_headers(headers))
            raise
        return JSONResponse(body, 200, headers=_shown_headers(headers))

    serve.__doc__ = " / ".join(f"{m}: {h.__doc__ or h.__name__}" for m, h in table.items())
    return Route(path, serve, methods=list(table))


def _authorize(request: Request, world: World) -> Record:
    header = (header_value(request, b"authorization") or "").strip()
    if not header:
        raise ApiError(400, "Authorization header required", code="OAUTH_017")
    scheme, _, rest = header.partition(" ")
    if scheme.lower() == "bearer" and rest.strip():
        # ClickUp reads "Bearer <x>" as an OAuth access token; personal tokens go in raw.
        raise ApiError(401, "Oauth token not found", code="OAUTH_019")
    row = world.table("clickup._tokens").get(header)
    if row is None:
        raise ApiError(401, "Token invalid", code="OAUTH_025")
    user = world.table("clickup.users").get(str(row["user_id"]))
    if user is None:
        raise ApiError(401, "Token invalid", code="OAUTH_025")
    return user


def _count(world: World, user_id: str) -> dict[str, str]:
    """Count this request in the token's minute; the rate-limit headers after it."""
    window = world.clock.now_ns // (_WINDOW_S * 1_000_000_000)
    key = f"{_USED}:{user_id}:{window}"
    used = int(world.runtime.get(key, 0)) + 1
    world.runtime[key] = used
    return {
        "X-RateLimit-Limit": str(RATE_LIMIT),
        "X-RateLimit-Remaining": str(RATE_LIMIT - used),
        "X-RateLimit-Reset": str((window + 1) * _WINDOW_S),
    }


def _shown_headers(headers: Mapping[str, str]) -> dict[str, str]:
    remaining = max(0, int(headers["X-RateLimit-Remaining"]))
    return {**headers, "X-RateLimit-Remaining": str(remaining)}


def _shown(value: str) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
