"""HubSpot's OAuth endpoints: the token endpoint, token introspection and revocation.

``POST /oauth/v1/token`` (form-encoded; client authentication by ``client_id`` and
``client_secret`` in the form, or HTTP Basic): ``authorization_code`` (with the PKCE
``code_verifier``), ``refresh_token`` (rotating: each refresh returns a new refresh token and
retires the old one; reusing a retired one revokes the whole family) and
``client_credentials`` (an extension of this simulation: HubSpot apps have no such grant).
Errors are RFC 6749's (``error``, ``error_description``) with HubSpot's ``status``,
``message`` and ``correlationId`` alongside.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from authlib.oauth2.rfc6749.errors import InvalidRequestError  # type: ignore[import-untyped]
from starlette.requests import Request
from starlette.responses import Response

from mockapis.clock import NS_PER_SECOND
from mockapis.hubspot.access import route, token_state
from mockapis.hubspot.authserver import FormRequest, Server
from mockapis.hubspot.tokens import CLIENTS, HUB_ID, REFRESH_TOKENS, TOKENS, USERS, revoke_family
from mockapis.kit.context import world_of
from mockapis.kit.errors import ApiError
from mockapis.kit.parsing import read_body
from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["ROUTES", "oauth_request", "safe_text"]

_FORM = "application/x-www-form-urlencoded"
_FREE_TEXT = frozenset({"username", "password"})
"""Parameters that may hold any text (never quoted back in OAuth error descriptions)."""


def safe_text(text: str, limit: int = 200) -> str:
    """``text`` as an RFC 6749 error description may carry it: printable ASCII without
    ``"`` and ``\\`` (authlib refuses anything else), at most ``limit`` characters."""
    return "".join(ch if " " <= ch <= "~" and ch not in '"\\' else "?" for ch in text[:limit])


async def oauth_request(request: Request, *, use_query: bool = True) -> FormRequest:
    """The request as authlib reads it: query pairs (unless ``use_query`` is false: the token
    endpoint reads its parameters from the body only), form pairs; 400 for a bad body."""
    body = await read_body(request, max_bytes=65_536)
    form: list[tuple[str, str]] = []
    if body.strip():
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != _FORM:
            raise ApiError(
                400,
                f"This endpoint takes {_FORM} parameters; got {media_type or 'no content type'}.",
            )
        try:
            form = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
        except (UnicodeDecodeError, ValueError):
            raise ApiError(400, f"The body is not valid {_FORM} data.") from None
        names = [name for name, _ in form]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            # RFC 6749 section 3.2: request parameters must not be included more than once.
            raise ApiError(
                400, f"Parameter '{safe_text(repeated[0], 40)}' is repeated; send it once."
            )
    query = parse_qsl(request.url.query, keep_blank_values=True) if use_query else []
    for name, value in [*query, *form]:
        # OAuth parameters are ASCII (RFC 6749 appendix A); authlib quotes some of them back
        # in error descriptions, which must be printable ASCII without quotes or backslashes.
        if name not in _FREE_TEXT and safe_text(name + value, 10**6) != name + value:
            raise ApiError(
                400,
                f"Parameter '{safe_text(name, 40)}' holds characters OAuth 2.0 does not allow "
                "(printable ASCII only, no double quote or backslash).",
            )
    # authlib insists on https; the simulation is reached over plain http when served.
    uri = "https://" + (request.url.hostname or "api.hubapi.com") + request.url.path
    headers = {k: v for k, v in request.headers.items()}
    headers.update({k.title(): v for k, v in request.headers.items()})
    return FormRequest(request.method, uri, headers, query, form)


async def token(request: Request) -> Response:
    """``POST /oauth/v1/token``: exchange a code, refresh, or get a client-credentials token."""
    server = Server(world_of(request))
    try:
        oauth_req = await oauth_request(request, use_query=False)
    except ApiError as exc:
        # RFC 6749 section 5.2: a malformed token request is invalid_request, in its format.
        failed: Response = server.handle_error_response(
            None, InvalidRequestError(safe_text(exc.message))
        )
        return failed
    response: Response = server.create_token_response(oauth_req)
    return response


def _user_email(world: World, user_id: int | None) -> str | None:
    for user in world.table(USERS).values():
        if user["user_id"] == user_id:
            return str(user["username"])
    return None


def _not_found(kind: str) -> ApiError:
    return ApiError(
        404,
        f"The {kind} token is unknown, expired or revoked.",
        extra={"category": "OBJECT_NOT_FOUND"},
    )


async def access_token_info(request: Request) -> Response:
    """``GET /oauth/v1/access-tokens/{token}``: what an OAuth access token grants."""
    world = world_of(request)
    row = world.table(TOKENS).get(request.path_params["token"])
    if row is None or row["kind"] != "oauth" or token_state(world, row) != "live":
        raise _not_found("access")
    left = (row["expires_at_ns"] - world.clock.now_ns) // NS_PER_SECOND
    return JSONResponse(_info(world, row, "access") | {"expires_in": max(0, left)})


def _info(world: World, row: Record, kind: str) -> dict[str, Any]:
    """HubSpot's ``AccessTokenInfoResponse`` / ``RefreshTokenInfoResponse``: ``app_id`` for an
    access token; no ``user`` or ``user_id`` for a client-credentials one (it has no user)."""
    info: dict[str, Any] = {
        "token": row["token"],
        "hub_domain": "apibench-demo.com",
        "scopes": list(row["scopes"]),
        "hub_id": HUB_ID,
        "client_id": row["client_id"],
        "token_type": kind,
    }
    if kind == "access":
        info["app_id"] = world.table(CLIENTS)[row["client_id"]]["app_id"]
    if row["user_id"] is not None:
        info |= {"user": _user_email(world, row["user_id"]), "user_id": row["user_id"]}
    return info


def _live_refresh(request: Request) -> tuple[World, Record]:
    world = world_of(request)
    row = world.table(REFRESH_TOKENS).get(request.path_params["token"])
    if row is None or row["revoked"] or row["rotated"]:
        raise _not_found("refresh")
    return world, row


async def refresh_token_info(request: Request) -> Response:
    """``GET /oauth/v1/refresh-tokens/{token}``: what a refresh token grants."""
    world, row = _live_refresh(request)
    return JSONResponse(_info(world, row, "refresh"))


async def revoke_refresh_token(request: Request) -> Response:
    """``DELETE /oauth/v1/refresh-tokens/{token}``: revoke it and every token issued with it."""
    world, row = _live_refresh(request)
    revoke_family(world, row["family"])
    return Response(status_code=204)


ROUTES = [
    route("/oauth/v1/token", {"POST": token}),
    route("/oauth/v1/access-tokens/{token}", {"GET": access_token_info}),
    route(
        "/oauth/v1/refresh-tokens/{token}",
        {"GET": refresh_token_info, "DELETE": revoke_refresh_token},
    ),
]
