"""What every Clockify request goes through: the ``X-Api-Key`` header, workspace membership,
query parsing (``page`` from 1, ``page-size``) in Clockify's error format."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.auth import header_value
from mockapis.kit.errors import ApiError
from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["DEFAULT_PAGE_SIZE", "Call", "Handler", "endpoint", "public"]

DEFAULT_PAGE_SIZE = 50
T = TypeVar("T")


@dataclass(frozen=True)
class Call:
    """One authorised request: the request, the world and the key's user."""

    request: Request
    world: World
    user: Record

    def param(self, name: str) -> str:
        """A path parameter."""
        return str(self.request.path_params[name])

    def query(self, name: str) -> str | None:
        """A query parameter, or None."""
        value = self.request.query_params.get(name)
        return None if value is None or value == "" else str(value)

    def workspace(self) -> Record:
        """The workspace ``{workspaceId}``; 403 unless the user is one of its members."""
        row = self.world.table("clockify.workspaces").get(self.param("workspaceId"))
        if row is None or all(m["userId"] != self.user["id"] for m in row["memberships"]):
            raise ApiError(403, "Access Denied", code="forbidden")
        return row

    def flag(self, name: str) -> bool | None:
        """A boolean query parameter, None when absent, else 400."""
        raw = self.query(name)
        if raw is None:
            return None
        if raw.lower() not in ("true", "false"):
            raise ApiError(400, f"{name}: must be true or false; got {_shown(raw)}.")
        return raw.lower() == "true"

    def choice(self, name: str, allowed: Sequence[str]) -> str | None:
        """An enum query parameter (``sort-column``, ``status``...), None when absent, else 400
        listing the values Clockify accepts."""
        raw = self.query(name)
        if raw is None:
            return None
        if raw not in allowed:
            raise ApiError(400, f"{name}: must be one of {', '.join(allowed)}; got {_shown(raw)}.")
        return raw

    def many(self, name: str) -> frozenset[str]:
        """A list query parameter, repeated (``tags=a&tags=b``) or comma-separated, as Spring
        binds it; empty when absent."""
        return frozenset(
            part
            for raw in self.request.query_params.getlist(name)
            for part in raw.split(",")
            if part
        )

    def instant(self, name: str) -> dt.datetime | None:
        """An ISO 8601 instant (``yyyy-MM-ddThh:mm:ssZ``), None when absent, else 400."""
        raw = self.query(name)
        if raw is None:
            return None
        try:
            value = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            value = None
        if value is None or value.tzinfo is None:
            raise ApiError(
                400,
                f"{name}: expected an ISO 8601 instant like 2024-01-01T00:00:00Z; "
                f"got {_shown(raw)}.",
            )
        return value

    def page(self, items: Sequence[T], *, max_size: int) -> list[T]:
        """The ``page`` (from 1) of ``page-size`` items (default 50, at most ``max_size``)."""
        page = self._integer("page", 1, None)
        size = self._integer("page-size", DEFAULT_PAGE_SIZE, max_size)
        start = (page - 1) * size
        return list(items[start : start + size])

    def _integer(self, name: str, default: int, maximum: int | None) -> int:
        raw = self.query(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            value = 0
        top = maximum if maximum is not None else 1_000_000_000
        if not 1 <= value <= top:
            bounds = f"between 1 and {maximum}" if maximum is not None else "at least 1"
            raise ApiError(400, f"{name}: must be an integer {bounds}; got {_shown(raw)}.")
        return value


Handler = Callable[[Call], Awaitable[Any]]
"""An endpoint: the JSON body of its 200 answer."""


def endpoint(path: str, handler: Handler) -> Route:
    """A GET route serving ``handler`` behind the API key."""

    async def serve(request: Request) -> Response:
        world: World = request.scope["world"]
        key = (header_value(request, b"x-api-key") or "").strip()
        row = world.table("clockify._keys").get(key) if key else None
        user = world.table("clockify.users").get(row["user_id"]) if row else None
        if user is None:
            raise ApiError(
                401, "Full authentication is required to access this resource", code="unauthorized"
            )
        return JSONResponse(await handler(Call(request, world, user)))

    serve.__doc__ = handler.__doc__
    return Route(path, serve, methods=["GET"])


def public(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored row without its bookkeeping keys (``_...``)."""
    return {k: v for k, v in row.items() if not k.startswith("_")}


def _shown(value: str) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
