"""What every Web API method needs first: its arguments (query, form or JSON) and the token."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.auth import header_value
from mockapis.kit.errors import ApiError
from mockapis.kit.pagination import decode_cursor, encode_cursor
from mockapis.kit.parsing import read_body
from mockapis.slack.errors import slack_error
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["TOKENS", "Call", "Handler", "method", "open_call"]

TOKENS = "slack._tokens"
"""token -> ``{"token", "user_id", "bot_id", "app_id", "team_id", "scopes"}``."""

Handler = Callable[["Call"], Awaitable[Response]]


@dataclass
class Call:
    """One authorised Web API call: the world, the caller's token row and the arguments."""

    world: World
    token: Record
    args: dict[str, Any]

    def text(self, name: str) -> str | None:
        """Argument ``name`` as a string (numbers and booleans as Slack would read them)."""
        value = self.args.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float | str):
            return str(value)
        raise slack_error("invalid_arguments", warning=f"{name} must be a string")

    def flag(self, name: str) -> bool:
        """A boolean argument: ``true``/``1`` are true, anything else false (as Slack reads it)."""
        return (self.text(name) or "").lower() in ("true", "1")

    def limit(self, default: int, maximum: int) -> int:
        """``limit``: the default when absent or 0; values above ``maximum`` are capped (Slack
        returns fewer items rather than refusing); a negative or non-integer one is refused."""
        raw = self.text("limit")
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise slack_error("invalid_arguments", warning="limit must be an integer") from None
        if value < 0:
            raise slack_error("invalid_limit", warning="limit must not be negative")
        return default if value == 0 else min(value, maximum)

    def cursor(self, kind: str, scope: str = "") -> dict[str, Any] | None:
        """The decoded ``cursor`` of a listing of ``kind`` (for ``scope``, e.g. a channel id),
        or None on the first page; a malformed or foreign cursor is ``invalid_cursor``."""
        raw = self.text("cursor")
        if raw is None:
            return None
        try:
            payload = decode_cursor(raw)
        except ApiError:
            raise slack_error("invalid_cursor") from None
        if payload.get("k") != kind or payload.get("s") != scope:
            raise slack_error("invalid_cursor")
        return payload

    def require(self, scope: str) -> None:
        """Refuse with ``missing_scope`` unless the token was granted ``scope`` (a token row
        without a ``scopes`` list, as some tests build, holds every scope)."""
        granted = str(self.token.get("scopes") or "")
        if granted and scope not in granted.split(","):
            raise slack_error("missing_scope", extra={"needed": scope, "provided": granted})

    @staticmethod
    def next_cursor(kind: str, scope: str = "", **position: Any) -> str:
        """The cursor that resumes a listing of ``kind`` at ``position``."""
        return encode_cursor({"k": kind, "s": scope, **position})


def method(name: str, handler: Handler) -> Route:
    """The route of Web API method ``name`` (``/api/<name>``), over GET and POST as Slack."""

    async def endpoint(request: Request) -> Response:
        return await handler(await open_call(request))

    endpoint.__doc__ = handler.__doc__
    return Route(f"/api/{name}", endpoint, methods=["GET", "POST"])


async def open_call(request: Request) -> Call:
    """The call's arguments and token: ``not_authed`` without one, ``invalid_auth`` if unknown."""
    world: World = request.scope["world"]
    args, query_token = await _arguments(request)
    token = _token(request, args)
    if token is None:
        # Apps created since 24 Feb 2021 (this one) may not send the token in the query
        # string; Slack answers such a request invalid_auth, whatever the method.
        raise slack_error("invalid_auth" if query_token else "not_authed")
    row = world.table(TOKENS).get(token)
    if row is None:
        raise slack_error("invalid_auth")
    return Call(world, row, args)


def _token(request: Request, args: Mapping[str, Any]) -> str | None:
    header = header_value(request, b"authorization")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
        return header.strip()  # Slack answers invalid_auth for anything else it cannot read
    token = args.get("token")
    return token if isinstance(token, str) and token else None


async def _arguments(request: Request) -> tuple[dict[str, Any], str | None]:
    """Query arguments, overlaid by a form or JSON body on POST (Slack reads all three); and
    the ``token`` of the query string, which is not an argument (it never authenticates)."""
    args: dict[str, Any] = dict(request.query_params)
    query_token = args.pop("token", None)
    if request.method != "POST":
        return args, query_token
    body = await read_body(request)
    if not body.strip():
        return args, query_token
    media = (header_value(request, b"content-type") or "").split(";", 1)[0].strip().lower()
    if media == "application/json":
        try:
            parsed = json.loads(body)
        except (ValueError, RecursionError):
            raise slack_error("invalid_json") from None
        if not isinstance(parsed, dict):
            raise slack_error("json_not_object")
        args.update(parsed)
    elif media in ("application/x-www-form-urlencoded", ""):
        try:
            args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            raise slack_error("invalid_form_data") from None
    else:
        raise slack_error("invalid_form_data", warning=f"unsupported content type {media}")
    return args, query_token
