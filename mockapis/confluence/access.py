"""What every Confluence request goes through: Basic auth with an Atlassian account's email and
API token, the site's links, and ``start``/``limit`` paging."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from mockapis.confluence.errors import bad_request
from mockapis.kit.auth import header_value
from mockapis.kit.errors import ApiError
from mockapis.world import World

__all__ = [
    "API",
    "PASSWORD_DEPRECATED",
    "TOKENS",
    "authorized",
    "paged",
    "site",
    "start_limit",
    "world",
]

API = "/wiki/rest/api"
TOKENS = "confluence._tokens"
MAX_START = 15_000
"""Confluence Cloud refuses a ``start`` beyond 15,000 on content listings."""
PASSWORD_DEPRECATED = (
    "Basic authentication with passwords is deprecated.  For more information, see: "
    "https://developer.atlassian.com/cloud/confluence/deprecation-notice-basic-auth/\n"
)
"""Confluence Cloud's plain-text 401 for Basic credentials that are not an email and a valid
API token (it cannot tell a wrong token from a password)."""

Endpoint = Callable[[Request], Awaitable[Response]]


def world(request: Request) -> World:
    """The episode's world."""
    found: World = request.scope["world"]
    return found


def site(request: Request) -> tuple[str, str]:
    """``(base, context)``: ``https://<site>.atlassian.net/wiki`` and ``/wiki`` as the client
    reached them (the served prefix included)."""
    context = str(request.scope.get("root_path", "")) + "/wiki"
    return f"{request.url.scheme}://{request.url.netloc}{context}", context


def _credentials(request: Request) -> tuple[str, str] | None:
    header = header_value(request, b"authorization")
    scheme, _, encoded = (header or "").strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, sep, secret = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, secret) if sep else None


def authorized(endpoint: Endpoint) -> Endpoint:
    """``endpoint`` behind Basic auth: no credentials is an anonymous caller, refused with a
    401 (the site is not public); a wrong email or token gets Cloud's plain-text 401."""

    async def guarded(request: Request) -> Response:
        header = header_value(request, b"authorization")
        if header is None:
            raise ApiError(
                401,
                "Current user not permitted to use Confluence",
                code="unauthorized",
                headers={"WWW-Authenticate": 'Basic realm="Atlassian Cloud"'},
            )
        pair = _credentials(request)
        row = world(request).table(TOKENS).get(pair[0].lower()) if pair else None
        if pair is None or row is None or row["token"] != pair[1]:
            return PlainTextResponse(
                PASSWORD_DEPRECATED,
                401,
                headers={"WWW-Authenticate": 'Basic realm="Atlassian Cloud"'},
            )
        return await endpoint(request)

    guarded.__doc__ = endpoint.__doc__
    return guarded


def _int(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.lstrip("-").isdigit() and len(raw) <= 10):
        raise bad_request(f"{name} must be an integer; got {raw!r}")
    return int(raw)


def start_limit(
    request: Request, *, default_limit: int = 25, max_limit: int = 100, max_start: int | None = None
) -> tuple[int, int]:
    """``(start, limit)``; a ``limit`` above the cap is cut to it silently, as Confluence does
    (the response's ``limit`` tells), a negative value or a zero limit is a 400."""
    start = _int(request, "start", 0)
    limit = _int(request, "limit", default_limit)
    if start < 0:
        raise bad_request(f"start must be 0 or more; got {start}")
    if max_start is not None and start > max_start:
        raise bad_request(f"The start parameter can not be larger than {max_start}; got {start}")
    if limit < 1:
        raise bad_request(f"limit must be 1 or more; got {limit}")
    return start, min(limit, max_limit)


def paged(
    request: Request, path: str, rows: list[Any], start: int, limit: int, *, links: bool = True
) -> dict[str, Any]:
    """A page of ``rows`` in Confluence's shape. ``_links.next``/``prev`` are relative to
    ``_links.base`` and keep the request's other parameters, as on Confluence Cloud."""
    window = rows[start : start + limit]
    params = [
        (k, v) for k, v in request.query_params.multi_items() if k not in ("start", "limit", "next")
    ]
    body: dict[str, Any] = {"results": window, "start": start, "limit": limit, "size": len(window)}
    if not links:
        return body
    base, context = site(request)
    found: dict[str, str] = {"base": base, "context": context}
    if start + limit < len(rows):
        query = urlencode([("next", "true"), *params, ("limit", limit), ("start", start + limit)])
        found["next"] = f"{path}?{query}"
    if start > 0:
        query = urlencode([*params, ("limit", limit), ("start", max(0, start - limit))])
        found["prev"] = f"{path}?{query}"
    found["self"] = f"{base}{path}"
    body["_links"] = found
    return body
