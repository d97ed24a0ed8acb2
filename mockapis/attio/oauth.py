"""Attio's OAuth 2.0 token endpoint (``POST https://app.attio.com/oauth/token``), refresh grant.

RFC 6749 section 6: an agent whose access token died gets a new one with its refresh token.

The client authenticates with HTTP Basic or with ``client_id`` and ``client_secret`` in the
form body (RFC 6749 section 2.3.1). Refresh tokens are not rotated and may be reused. New
access tokens go into ``attio._tokens`` like the seeded one; ``expires_in`` is advisory (the
simulation never expires a token by time: the ``credential_expiry`` fault does).

authlib supplies the form decoding, the Basic credentials parsing and the RFC 6749 error
responses; its ``AuthorizationServer`` is not used: it needs a framework adapter, client and
token model classes and a deterministic token generator, more code than this one grant.
"""

from __future__ import annotations

import hmac
from typing import Any

from authlib.common.urls import url_decode  # type: ignore[import-untyped]
from authlib.oauth2.rfc6749.errors import (  # type: ignore[import-untyped]
    InvalidClientError,
    InvalidGrantError,
    InvalidRequestError,
    InvalidScopeError,
    OAuth2Error,
)
from authlib.oauth2.rfc6749.util import (  # type: ignore[import-untyped]
    extract_basic_authorization,
)
from starlette.requests import Request
from starlette.responses import Response

from mockapis.attio.access import route
from mockapis.clock import NS_PER_SECOND
from mockapis.kit.context import world_of
from mockapis.kit.errors import ApiError
from mockapis.kit.parsing import read_body
from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["ACCESS_TOKEN_TTL_S", "CLIENTS", "REFRESH_TOKENS", "ROUTES", "TOKENS", "TOKEN_URL"]

TOKEN_URL = "https://app.attio.com/oauth/token"
ACCESS_TOKEN_TTL_S = 3600
"""The ``expires_in`` announced for new access tokens (advisory)."""
TOKENS = "attio._tokens"
CLIENTS = "attio._oauth_clients"
REFRESH_TOKENS = "attio._refresh_tokens"

_FORM = "application/x-www-form-urlencoded"
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


async def token(request: Request) -> Response:
    """``POST /oauth/token``: a new access token for a refresh token (RFC 6749 section 6)."""
    try:
        grant = await _refresh(request)
    except OAuth2Error as exc:
        status, body, headers = exc()
        return JSONResponse(body, status, headers=dict(headers))
    return JSONResponse(grant, headers=_NO_STORE)


async def _refresh(request: Request) -> dict[str, Any]:
    form = await _form(request)
    grant_type = form.get("grant_type")
    if not grant_type:
        raise InvalidRequestError("Missing 'grant_type': send grant_type=refresh_token.")
    if grant_type != "refresh_token":
        # authlib's UnsupportedGrantTypeError leaves error_description out of the body.
        raise OAuth2Error(
            "This token endpoint supports grant_type=refresh_token only.",
            error="unsupported_grant_type",
        )
    world = world_of(request)
    client_id = _authenticate_client(request, form, world)
    refresh_token = form.get("refresh_token")
    if not refresh_token:
        raise InvalidRequestError("Missing 'refresh_token': send the refresh token you were given.")
    grant = world.table(REFRESH_TOKENS).get(refresh_token)
    if grant is None or grant["client_id"] != client_id:
        raise InvalidGrantError(
            "The refresh token is invalid, revoked, or was issued to another client."
        )
    scope = _granted_scope(grant, form.get("scope"))
    access_token = _issue(world, grant, scope)
    return {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": ACCESS_TOKEN_TTL_S,
        "refresh_token": refresh_token,
        "scope": scope,
    }


async def _form(request: Request) -> dict[str, str]:
    """The form parameters: form-encoded, each at most once (RFC 6749 section 3.2)."""
    try:
        body = await read_body(request)
    except ApiError as exc:
        raise InvalidRequestError(exc.message) from None
    if not body.strip():
        return {}
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != _FORM:
        raise InvalidRequestError(f"The token endpoint takes {_FORM} parameters.")
    try:
        pairs = url_decode(body.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidRequestError(f"The body is not valid {_FORM} data.") from None
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:
            raise InvalidRequestError(f"Parameter '{_ascii(name)}' is repeated; send it once.")
        form[name] = value
    return form


def _authenticate_client(request: Request, form: dict[str, str], world: World) -> str:
    """The authenticated client's id, by HTTP Basic or by the form's id and secret."""
    scheme = request.headers.get("authorization", "").partition(" ")[0].lower()
    client_id: str | None
    secret: str | None
    if scheme == "basic":
        if "client_secret" in form:
            raise InvalidRequestError(
                "Use one client authentication method: HTTP Basic, or client_id and "
                "client_secret in the body, not both."
            )
        client_id, secret = extract_basic_authorization(request.headers)
    else:
        client_id, secret = form.get("client_id"), form.get("client_secret")
    if not client_id or not secret:
        raise InvalidClientError(
            "Client authentication is required: HTTP Basic with your client_id and "
            "client_secret, or both as form parameters.",
            status_code=401,
        )
    client = world.table(CLIENTS).get(client_id)
    if client is None or not hmac.compare_digest(client["client_secret"].encode(), secret.encode()):
        raise InvalidClientError("Unknown client, or a wrong client secret.", status_code=401)
    return client_id


def _granted_scope(grant: Record, requested: str | None) -> str:
    """The grant's scope, or the narrower one asked for (RFC 6749 section 6)."""
    allowed: str = grant["scope"]
    if requested is None:
        return allowed
    asked = requested.split()
    if not asked or not set(asked) <= set(allowed.split()):
        raise InvalidScopeError("The requested scope exceeds the scope of the refresh token.")
    return " ".join(asked)


def _issue(world: World, grant: Record, scope: str) -> str:
    """Store and return a new access token of the grant (same ``token_id``: writes made with
    it are stamped with the same actor). Drawn from the world's RNG: deterministic."""
    access_token = f"{world.rng.getrandbits(256):064x}"
    world.table(TOKENS).put(
        access_token,
        {
            "token": access_token,
            "token_id": grant["token_id"],
            "workspace_member_id": grant["workspace_member_id"],
            "scope": scope,
            "issued_at": world.clock.now_ns // NS_PER_SECOND,
        },
    )
    return access_token


def _ascii(text: str) -> str:
    """``text`` as an RFC 6749 error description may quote it (no quote or backslash)."""
    return "".join(ch if " " <= ch <= "~" and ch not in "\"\\'" else "?" for ch in text[:40])


ROUTES = [route("/oauth/token", {"POST": token})]
"""The token endpoint (on ``app.attio.com``; also served on the API host and prefix)."""
