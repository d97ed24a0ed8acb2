"""authlib's OAuth 2.0 authorization server, adapted to Starlette and to the world's tables.

A thin adapter: :class:`FormRequest` gives authlib the parameters it reads, and
:class:`Server` (one per request: it holds the request's world) stores clients, codes and
tokens in the ``hubspot._*`` tables (see :mod:`mockapis.hubspot.tokens`). The grants are
authlib's: authorization code with PKCE (S256 only, required), refresh token with rotation
(and reuse detection: a rotated refresh token revokes its family), and client credentials.
"""

from __future__ import annotations

import hmac
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, ClassVar

from authlib.oauth2.rfc6749 import (  # type: ignore[import-untyped]
    AuthorizationServer,
    ClientMixin,
    OAuth2Payload,
    OAuth2Request,
)
from authlib.oauth2.rfc6749.errors import (  # type: ignore[import-untyped]
    InvalidGrantError,
    InvalidRequestError,
    InvalidScopeError,
)
from authlib.oauth2.rfc6749.grants import (  # type: ignore[import-untyped]
    AuthorizationCodeGrant,
    ClientCredentialsGrant,
    RefreshTokenGrant,
)
from authlib.oauth2.rfc7636 import CodeChallenge  # type: ignore[import-untyped]
from starlette.responses import Response

from mockapis.clock import NS_PER_SECOND
from mockapis.hubspot.errors import CATEGORIES
from mockapis.hubspot.tokens import (
    ACCESS_TOKEN_TTL_S,
    ALL_SCOPES,
    CLIENTS,
    CODE_TTL_S,
    CODES,
    HUB_ID,
    REFRESH_TOKENS,
    USERS,
    issue_access_token,
    issue_refresh_token,
    revoke_family,
)
from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["Client", "FormRequest", "Server"]

_AUTH_METHODS = ["client_secret_post", "client_secret_basic"]
_STATUS = {
    "invalid_grant": "BAD_GRANT",
    "invalid_client": "BAD_CLIENT_ID",
    "invalid_scope": "BAD_SCOPE",
    "invalid_request": "BAD_REQUEST",
    "unsupported_grant_type": "BAD_GRANT_TYPE",
    "unauthorized_client": "BAD_CLIENT_ID",
}
"""HubSpot's ``status`` values for the RFC 6749 errors (sent alongside ``error``)."""


class _Payload(OAuth2Payload):  # type: ignore[misc]
    def __init__(self, pairs: Sequence[tuple[str, str]]) -> None:
        self._datalist: defaultdict[str, list[str]] = defaultdict(list)
        for key, value in pairs:
            self._datalist[key].append(value)
        self._data = {key: values[0] for key, values in self._datalist.items()}

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._datalist


class FormRequest(OAuth2Request):  # type: ignore[misc]
    """An :class:`OAuth2Request` from a query and a form body (already decoded)."""

    def __init__(
        self,
        method: str,
        uri: str,
        headers: dict[str, str],
        query: Sequence[tuple[str, str]],
        form: Sequence[tuple[str, str]],
    ) -> None:
        super().__init__(method, uri, headers=headers)
        self._args = dict(query)
        self._form = dict(form)
        self.payload = _Payload([*query, *form])

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class Client(ClientMixin):  # type: ignore[misc]
    """An OAuth app (row of ``hubspot._clients``)."""

    def __init__(self, row: Record) -> None:
        self.row = row

    def get_client_id(self) -> str:
        return str(self.row["client_id"])

    def get_default_redirect_uri(self) -> str:
        return str(self.row["redirect_uris"][0])

    def get_allowed_scope(self, scope: str | None) -> str | None:
        return scope or None

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.row["redirect_uris"]

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(self.row["client_secret"].encode(), client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in _AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.row["grant_types"]


class _Code:
    """An authorization code row, as authlib's grant reads it."""

    def __init__(self, row: Record) -> None:
        self.row = row
        self.code_challenge = row["code_challenge"]
        self.code_challenge_method = row["code_challenge_method"]

    def get_redirect_uri(self) -> str:
        return str(self.row["redirect_uri"])

    def get_scope(self) -> str:
        return " ".join(self.row["scopes"])


class _RefreshToken:
    """A refresh token row, as authlib's refresh grant reads it."""

    def __init__(self, row: Record) -> None:
        self.row = row

    def check_client(self, client: Client) -> bool:
        return bool(self.row["client_id"] == client.get_client_id())

    def get_scope(self) -> str:
        return " ".join(self.row["scopes"])


def _server(grant: Any) -> Server:
    server: Server = grant.server
    return server


class _ScopedGrant:
    """Scopes must be ones the app was configured with: else ``invalid_scope`` naming them."""

    request: Any

    def validate_requested_scope(self) -> None:
        scope = self.request.payload.scope
        client = self.request.client
        if not scope:
            return
        asked = scope.split()
        allowed = client.row["scopes"] if client is not None else ALL_SCOPES
        extra = [s for s in asked if s not in allowed]
        if extra:
            raise InvalidScopeError(
                f"The app is not configured for the scope(s) {' '.join(extra)[:200]}; it may "
                f"ask for: {' '.join(allowed)}."
            )


class _CodeGrant(_ScopedGrant, AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = _AUTH_METHODS

    def generate_authorization_code(self) -> str:
        return str(_server(self).world.uuid4())

    def validate_requested_scope(self) -> None:
        if not self.request.payload.scope:
            raise InvalidScopeError("Send the scopes the app needs in 'scope' (space-separated).")
        super().validate_requested_scope()

    def save_authorization_code(self, code: str, request: Any) -> None:
        world = _server(self).world
        expires = world.clock.now_ns + CODE_TTL_S * NS_PER_SECOND
        world.table(CODES).put(
            code,
            {
                "code": code,
                "client_id": request.client.get_client_id(),
                "redirect_uri": request.payload.redirect_uri,
                "scopes": request.scope.split(),
                "user_id": request.user["user_id"],
                "code_challenge": request.payload.data.get("code_challenge"),
                "code_challenge_method": request.payload.data.get("code_challenge_method"),
                "expires_at_ns": expires,
            },
        )

    def query_authorization_code(self, code: str, client: Client) -> _Code | None:
        world = _server(self).world
        row = world.table(CODES).get(code)
        if row is None or row["client_id"] != client.get_client_id():
            return None
        if world.clock.now_ns >= row["expires_at_ns"]:
            return None
        return _Code(row)

    def delete_authorization_code(self, authorization_code: _Code) -> None:
        # Single use: a replayed code is unknown, hence invalid_grant.
        _server(self).world.table(CODES).delete(authorization_code.row["code"])

    def authenticate_user(self, authorization_code: _Code) -> Record | None:
        return _server(self).user_by_id(authorization_code.row["user_id"])


class _S256(CodeChallenge):  # type: ignore[misc]
    """PKCE, required on every authorization request, S256 only."""

    SUPPORTED_CODE_CHALLENGE_METHOD: ClassVar[list[str]] = ["S256"]
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge") or data.get("code_challenge_method") != "S256":
            raise InvalidRequestError(
                "PKCE is required: send code_challenge (BASE64URL(SHA256(code_verifier))) and "
                "code_challenge_method=S256."
            )
        super().validate_code_challenge(grant, redirect_uri)


class _RefreshGrant(RefreshTokenGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = _AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> _RefreshToken | None:
        server = _server(self)
        row = server.world.table(REFRESH_TOKENS).get(refresh_token)
        if row is None or row["revoked"]:
            return None
        if row["rotated"]:
            # Reuse of a rotated token: someone else may hold the family. Revoke it all,
            # and keep that revocation although this request fails.
            revoke_family(server.world, row["family"])
            server.world.keep()
            raise InvalidGrantError(
                "The refresh token was already used and has been rotated; reusing it revoked "
                "every token of this authorization. Authorize the app again."
            )
        server.family = row["family"]
        return _RefreshToken(row)

    def authenticate_user(self, refresh_token: _RefreshToken) -> Record | None:
        return _server(self).user_by_id(refresh_token.row["user_id"])

    def revoke_old_credential(self, refresh_token: _RefreshToken) -> None:
        table = _server(self).world.table(REFRESH_TOKENS)
        table.put(refresh_token.row["token"], {**refresh_token.row, "rotated": True})


class _ClientGrant(_ScopedGrant, ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = _AUTH_METHODS


class Server(AuthorizationServer):  # type: ignore[misc]
    """The authorization server of one request, over the world's tables."""

    def __init__(self, world: World) -> None:
        super().__init__(scopes_supported=list(ALL_SCOPES))
        self.world = world
        self.family: str | None = None
        self.register_grant(_CodeGrant, [_S256(required=True)])
        self.register_grant(_RefreshGrant)
        self.register_grant(_ClientGrant)
        self.register_token_generator("default", self._generate)

    def query_client(self, client_id: str) -> Client | None:
        row = self.world.table(CLIENTS).get(client_id)
        return Client(row) if row is not None else None

    def user_by_id(self, user_id: int) -> Record | None:
        """The resource owner with ``user_id``."""
        return next((u for u in self.world.table(USERS).values() if u["user_id"] == user_id), None)

    def _generate(
        self,
        grant_type: str,
        client: Client,
        user: Record | None = None,
        scope: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        scopes = scope.split() if scope else list(client.row["default_scopes"])
        family = self.family or self.world.uuid4()
        user_id = user["user_id"] if user else None
        access = issue_access_token(
            self.world,
            client_id=client.get_client_id(),
            user_id=user_id,
            scopes=scopes,
            family=family,
        )
        # HubSpot's token response (TokenResponseIF): ``token_use`` tells the two kinds apart;
        # ``scope`` (RFC 6749) stays beside HubSpot's ``scopes`` for OAuth client libraries.
        token: dict[str, Any] = {
            "token_type": "bearer",
            "access_token": access["token"],
            "expires_in": ACCESS_TOKEN_TTL_S,
            "scope": " ".join(scopes),
            "scopes": list(scopes),
            "hub_id": HUB_ID,
            "token_use": "client_credentials"
            if grant_type == "client_credentials"
            else "access_token",
        }
        if user_id is not None:
            token["user_id"] = user_id
        if include_refresh_token and user_id is not None:
            refresh = issue_refresh_token(
                self.world,
                client_id=client.get_client_id(),
                user_id=user_id,
                scopes=scopes,
                family=family,
            )
            token["refresh_token"] = refresh["token"]
        return token

    def save_token(self, token: dict[str, Any], request: Any) -> None:
        """Nothing: the generator stored the tokens as it drew them."""

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """No signals."""

    def create_oauth2_request(self, request: FormRequest) -> FormRequest:
        return request

    def handle_response(self, status: int, body: Any, headers: Any) -> Response:
        pairs = dict(headers)
        if "Location" in pairs:
            return Response(status_code=status, headers=pairs)
        if status >= 400 and isinstance(body, dict) and "error" in body:
            description = body.get("error_description") or body["error"]
            body = {
                **body,
                "status": _STATUS.get(body["error"], "BAD_REQUEST"),
                "category": CATEGORIES.get(status, "VALIDATION_ERROR"),
                "message": description,
                "correlationId": self.world.uuid4(),
            }
        pairs.pop("Content-Type", None)
        return JSONResponse(body, status, headers=pairs)
