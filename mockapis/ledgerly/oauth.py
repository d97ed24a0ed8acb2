"""OAuth 1.0a (RFC 5849) on authlib's server classes, with the world as their store.

authlib does the protocol: parsing the three parameter locations, the signature base
string, and the HMAC-SHA1, RSA-SHA1 and PLAINTEXT checks (HMAC-SHA256 is added here). This
module supplies what authlib leaves to a framework: the request as the client signed it
(rebuilt from the ASGI scope), consumers and tokens from the world's tables, the episode
clock for ``oauth_timestamp``, nonces in ``world.runtime``, and precise problem names.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlencode

from authlib.oauth1.rfc5849 import errors  # type: ignore[import-untyped]
from authlib.oauth1.rfc5849.authorization_server import AuthorizationServer  # type: ignore[import-untyped]
from authlib.oauth1.rfc5849.base_server import BaseServer  # type: ignore[import-untyped]
from authlib.oauth1.rfc5849.models import ClientMixin, TemporaryCredentialMixin  # type: ignore[import-untyped]
from authlib.oauth1.rfc5849.resource_protector import ResourceProtector  # type: ignore[import-untyped]
from authlib.oauth1.rfc5849.signature import SIGNATURE_PLAINTEXT, generate_signature_base_string  # type: ignore[import-untyped]
from authlib.oauth1.rfc5849.util import escape  # type: ignore[import-untyped]
from authlib.oauth1.rfc5849.wrapper import OAuth1Request  # type: ignore[import-untyped]
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import Response

from mockapis.clock import NS_PER_SECOND
from mockapis.kit.parsing import read_body
from mockapis.ledgerly.problems import FORM_TYPE, OAuthProblem, absent, as_problem
from mockapis.tables import Record
from mockapis.world import World

__all__ = [
    "ACCESS_TOKENS",
    "ACCESS_TOKEN_TTL_S",
    "CONSUMERS",
    "HMAC_SHA256",
    "NONCES",
    "REQUEST_TOKENS",
    "REQUEST_TOKEN_TTL_S",
    "SIGNATURE_METHODS",
    "TIMESTAMP_WINDOW_S",
    "USERS",
    "Authority",
    "Prepared",
    "Principal",
    "Protector",
    "new_secret",
    "now_s",
    "prepare",
]

CONSUMERS = "ledgerly._consumers"
USERS = "ledgerly._users"
REQUEST_TOKENS = "ledgerly._request_tokens"
ACCESS_TOKENS = "ledgerly._access_tokens"
NONCES = "ledgerly.nonces"
"""Key of ``world.runtime``: burnt nonces (they survive a request that fails after auth)."""

TIMESTAMP_WINDOW_S = 300
REQUEST_TOKEN_TTL_S = 600
ACCESS_TOKEN_TTL_S = 1800
HMAC_SHA256 = "HMAC-SHA256"
SIGNATURE_METHODS = ("HMAC-SHA1", HMAC_SHA256, "RSA-SHA1", SIGNATURE_PLAINTEXT)
_PROTOCOL = ("oauth_consumer_key", "oauth_signature_method", "oauth_signature")
_FRESHNESS = ("oauth_timestamp", "oauth_nonce")


def now_s(world: World) -> int:
    """The episode clock in whole seconds (what ``oauth_timestamp`` is compared with)."""
    return world.clock.now_ns // NS_PER_SECOND


def new_secret(world: World, nbytes: int = 16) -> str:
    """A random token drawn from the episode's RNG (rolled back with a failed request)."""
    return f"{world.rng.getrandbits(nbytes * 8):0{nbytes * 2}x}"


def verify_hmac_sha256(request: OAuth1Request) -> bool:
    """HMAC-SHA256 over the RFC 5849 base string (the key as for HMAC-SHA1)."""
    base = generate_signature_base_string(request)
    key = escape(request.client_secret or "") + "&" + escape(request.token_secret or "")
    digest = hmac.new(key.encode(), base.encode(), hashlib.sha256).digest()
    return hmac.compare_digest(base64.b64encode(digest).decode(), request.signature or "")


def _lenient(verify: Callable[[OAuth1Request], bool]) -> Callable[[OAuth1Request], bool]:
    """``verify``, with a signature it cannot even decode (bad base64) counting as wrong."""

    def checked(request: OAuth1Request) -> bool:
        try:
            return bool(verify(request))
        except ValueError:  # binascii.Error, and RSA verification of garbage
            return False

    return checked


# -- models over rows --------------------------------------------------------------------------


class Consumer(ClientMixin):  # type: ignore[misc]
    """A ``ledgerly._consumers`` row as authlib's client."""

    def __init__(self, row: Record) -> None:
        self.row = row

    def get_default_redirect_uri(self) -> str:
        return "oob"

    def get_client_secret(self) -> str:
        return str(self.row.get("consumer_secret") or "")

    def get_rsa_public_key(self) -> str | None:
        key = self.row.get("rsa_public_key")
        return str(key) if key else None


class Credential(TemporaryCredentialMixin):  # type: ignore[misc]
    """A request-token or access-token row as authlib's credential."""

    def __init__(self, row: Record) -> None:
        self.row = row

    def get_oauth_token(self) -> str:
        return str(self.row["oauth_token"])

    def get_oauth_token_secret(self) -> str:
        return str(self.row["oauth_token_secret"])

    def get_client_id(self) -> str:
        return str(self.row["consumer_key"])

    def get_redirect_uri(self) -> str:
        return str(self.row.get("callback") or "oob")

    def check_verifier(self, verifier: str) -> bool:
        stored = self.row.get("verifier")
        return bool(stored) and hmac.compare_digest(str(stored), verifier)


# -- the request as signed -----------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """What the client signed: method, absolute URI, form body (or None) and headers."""

    method: str
    uri: str
    body: str | None
    headers: Headers | MutableHeaders


async def prepare(request: Request) -> Prepared:
    """The request as the client signed it, rebuilt from the ASGI scope.

    The URI is the scheme, the ``Host`` header and the raw path (with any ``/ledgerly``
    mount prefix, as sent) and query: what the client used, in-process
    (``https://api.ledgerly.example``) or served (``http://127.0.0.1:PORT/ledgerly``). The
    body counts only when it is ``application/x-www-form-urlencoded`` (RFC 5849 3.4.1.3.1).
    """
    scope = request.scope
    host = request.headers.get("host") or "{}:{}".format(*scope.get("server") or ("localhost", 80))
    raw_path = scope.get("raw_path") or scope["path"].encode()
    uri = f"{scope.get('scheme', 'http')}://{host}{raw_path.decode('latin-1')}"
    query = scope.get("query_string", b"").decode("latin-1")
    if query:
        uri += "?" + query
    body: str | None = None
    if request.headers.get("content-type", "").split(";")[0].strip().lower() == FORM_TYPE:
        raw = await read_body(request)
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _rejected("the form body", "is not UTF-8") from None
    headers: Headers | MutableHeaders = request.headers
    authorization = headers.get("authorization")
    if authorization is not None and not authorization.lower().startswith("oauth "):
        headers = request.headers.mutablecopy()  # another scheme: no OAuth parameters there
        del headers["authorization"]
    return Prepared(request.method, uri, body, headers)


def _rejected(what: str, why: str, name: str = "") -> OAuthProblem:
    params = [("oauth_parameters_rejected", name)] if name else []
    return OAuthProblem("parameter_rejected", f"{what} {why}.", status=400, params=params)


class _Request(OAuth1Request):  # type: ignore[misc]
    """authlib's request without its TLS check: served mode is plain HTTP on loopback (the
    signature still covers the scheme the client used)."""

    def __init__(self, prepared: Prepared) -> None:
        _, sep, rest = prepared.uri.partition("://")
        super().__init__(prepared.method, "https" + sep + rest, prepared.body, prepared.headers)
        self.uri = prepared.uri


def parse(prepared: Prepared, extra: Sequence[str] = (), *, token: bool = False) -> _Request:
    """authlib's parse of the three parameter locations, then the protocol checks that come
    before any lookup: absent, repeated or unsupported parameters and the version."""
    try:
        request = _Request(prepared)
    except errors.OAuth1Error as exc:
        raise as_problem(exc) from None
    except ValueError as exc:
        raise _rejected(
            "The Authorization header, query or form body", f"cannot be read ({exc})"
        ) from None
    params = request.oauth_params
    required = [*_PROTOCOL, *extra]
    if token:
        required.append("oauth_token")
    plaintext = params.get("oauth_signature_method") == SIGNATURE_PLAINTEXT
    if not plaintext or any(params.get(name) for name in _FRESHNESS):
        required[3:3] = _FRESHNESS  # PLAINTEXT may leave out both (RFC 5849 3.1)
    names = [k for k, _ in request.query_params + request.body_params if k.startswith("oauth_")]
    repeated = sorted({k for k in names if names.count(k) > 1})
    if repeated:
        raise _rejected("Protocol parameters", "may appear only once", "&".join(repeated))
    version = params.get("oauth_version")
    if version is not None and version != "1.0":
        raise OAuthProblem(
            "version_rejected",
            f"oauth_version must be 1.0 (or left out); got {version[:20]!r}.",
            status=400,
            params=[("oauth_acceptable_versions", "1.0-1.0")],
        )
    if not params:
        raise absent(required, status=401)
    missing = [name for name in required if not params.get(name)]
    if missing:
        raise absent(missing)
    return request


# -- the servers ---------------------------------------------------------------------------


class _WorldServer(BaseServer):  # type: ignore[misc]
    """The parts both servers share: consumers, the clock, nonces, per-consumer methods."""

    SIGNATURE_METHODS: ClassVar[dict[str, Any]] = {
        name: _lenient(verify)
        for name, verify in {
            **BaseServer.SIGNATURE_METHODS,
            HMAC_SHA256: verify_hmac_sha256,
        }.items()
    }
    SUPPORTED_SIGNATURE_METHODS: ClassVar[list[str]] = list(SIGNATURE_METHODS)
    EXPIRY_TIME = TIMESTAMP_WINDOW_S

    def __init__(self, world: World) -> None:
        self.world = world

    def get_client_by_id(self, client_id: str) -> Consumer | None:
        row = self.world.table(CONSUMERS).get(client_id)
        return Consumer(row) if row is not None else None

    def _consumer(self, request: OAuth1Request) -> Consumer:
        client = self.get_client_by_id(request.client_id)
        if client is None:
            raise OAuthProblem(
                "consumer_key_unknown", f"No consumer has the key {request.client_id[:60]!r}."
            )
        request.client = client
        return client

    @staticmethod
    def _nonce_key(request: OAuth1Request) -> str:
        params = request.oauth_params
        return "|".join(
            params.get(k) or "" for k in ("oauth_consumer_key", "oauth_token", *_FRESHNESS)
        )

    def exists_nonce(self, nonce: str, request: OAuth1Request) -> bool:
        return self._nonce_key(request) in self.world.runtime.get(NONCES, {})

    def validate_timestamp_and_nonce(self, request: OAuth1Request) -> None:
        """The timestamp within 300 s of the episode clock, either way; a fresh nonce."""
        timestamp = request.oauth_params.get("oauth_timestamp")
        if not timestamp and request.signature_method == SIGNATURE_PLAINTEXT:
            return
        if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
            raise _rejected(
                "oauth_timestamp", "must be whole seconds since 1970", "oauth_timestamp"
            )
        now, window = now_s(self.world), TIMESTAMP_WINDOW_S
        if abs(int(timestamp) - now) > window:
            raise OAuthProblem(
                "timestamp_refused",
                f"oauth_timestamp {timestamp} is more than {window} s from the server time "
                f"{now} (see the Date response header).",
                params=[("oauth_acceptable_timestamps", f"{now - window}-{now + window}")],
            )
        if self.exists_nonce(request.oauth_params["oauth_nonce"], request):
            raise OAuthProblem(
                "nonce_used", "This oauth_nonce was already used with this timestamp and token."
            )

    def validate_oauth_signature(self, request: OAuth1Request) -> None:
        """The consumer's own signature method, then authlib's verification."""
        expected = request.client.row["signature_method"]
        if request.signature_method != expected:
            raise OAuthProblem(
                "signature_method_rejected",
                f"This consumer signs with {expected}; got {request.signature_method[:30]!r}.",
                status=400,
            )
        try:
            super().validate_oauth_signature(request)
        except errors.OAuth1Error as exc:
            raise as_problem(exc) from None

    def verify(self, request: OAuth1Request) -> None:
        """Timestamp, nonce and signature."""
        self.validate_timestamp_and_nonce(request)
        self.validate_oauth_signature(request)

    def burn_nonce(self, request: OAuth1Request) -> None:
        """Record the nonce of an authenticated request (kept even if the request fails
        later for another reason; PLAINTEXT requests without one burn nothing)."""
        if not request.oauth_params.get("oauth_nonce"):
            return
        nonces: dict[str, int] = self.world.runtime.setdefault(NONCES, {})
        now = now_s(self.world)
        if len(nonces) % 512 == 511:  # timestamps this old are refused anyway
            for key in [k for k, at in nonces.items() if at < now - 2 * TIMESTAMP_WINDOW_S]:
                del nonces[key]
        nonces[self._nonce_key(request)] = now


@dataclass(frozen=True)
class Principal:
    """Who a request authenticated as: the consumer, and the access token (None: two-legged)."""

    consumer: Record
    token: Record | None

    @property
    def username(self) -> str | None:
        """The resource owner behind the token, None for a two-legged call."""
        return None if self.token is None else str(self.token["username"])


class Protector(_WorldServer, ResourceProtector):  # type: ignore[misc]
    """Protected resources: access token (three-legged) or consumer only (two-legged)."""

    def authenticate(self, prepared: Prepared, *, two_legged: bool = False) -> Principal:
        """The request's principal, or an :class:`OAuthProblem`."""
        request = parse(prepared)
        consumer = self._consumer(request)
        if request.token:
            request.credential = self.get_token_credential(request)
        elif not (two_legged and consumer.row["two_legged"]):
            why = (
                "this consumer is not enabled for two-legged (consumer-only) calls"
                if two_legged
                else "this endpoint acts for a user"
            )
            problem = absent(["oauth_token"], status=401)
            problem.advice = f"{problem.advice} An access token is required: {why}."
            raise problem
        self.verify(request)
        self.burn_nonce(request)
        token = request.credential.row if request.credential is not None else None
        return Principal(consumer.row, token)

    def get_token_credential(self, request: OAuth1Request) -> Credential:
        row = self.world.table(ACCESS_TOKENS).get(request.token)
        if row is None or row["consumer_key"] != request.client_id:
            pending = self.world.table(REQUEST_TOKENS).get(request.token)
            hint = (
                " This is a request token: exchange it at /oauth/access_token first."
                if pending is not None and row is None
                else ""
            )
            raise OAuthProblem(
                "token_rejected",
                f"The oauth_token is not an access token of this consumer.{hint}",
            )
        if row.get("revoked_at") is not None:
            raise OAuthProblem("token_revoked", "The access token was revoked.")
        if now_s(self.world) >= row["expires_at"]:
            raise OAuthProblem(
                "token_expired",
                f"The access token expired at {row['expires_at']} (tokens live "
                f"{ACCESS_TOKEN_TTL_S} s); run the authorization flow again.",
            )
        return Credential(row)


class Authority(_WorldServer, AuthorizationServer):  # type: ignore[misc]
    """The token endpoints: request tokens, verifiers and the access-token exchange."""

    def create_oauth1_request(self, request: Any) -> OAuth1Request:
        if isinstance(request, OAuth1Request):
            return request
        assert isinstance(request, tuple)
        prepared, extra = request
        return parse(prepared, extra)

    def handle_response(
        self, status_code: int, payload: Any, headers: list[tuple[str, str]]
    ) -> Response:
        if status_code == 200 and isinstance(payload, list):
            payload = [*payload, ("oauth_expires_in", self.ttl)]
        body = payload if isinstance(payload, str) else _form(payload)
        return Response(body, status_code, headers=dict(headers))

    def handle_error_response(self, error: errors.OAuth1Error) -> Response:
        raise as_problem(error)

    def validate_temporary_credentials_request(self, request: OAuth1Request) -> OAuth1Request:
        callback = request.redirect_uri or ""
        if callback != "oob" and not callback.lower().startswith(("http://", "https://")):
            raise _rejected(
                "oauth_callback", "must be an absolute http(s) URL or 'oob'", "oauth_callback"
            )
        self._consumer(request)
        self.verify(request)
        self.burn_nonce(request)
        return request

    def validate_token_request(self, request: OAuth1Request) -> OAuth1Request:
        """Consumer, request token, timestamp, nonce and signature, then the verifier (only
        a correctly signed request learns whether its verifier is right)."""
        self._consumer(request)
        credential = self.get_temporary_credential(request)
        status = credential.row["status"]
        if status != "authorized":
            raise OAuthProblem(
                "permission_denied" if status == "denied" else "permission_unknown",
                "The resource owner denied this request token."
                if status == "denied"
                else "The resource owner has not approved this request token yet: send them "
                "to /oauth/authorize?oauth_token=... first.",
            )
        request.credential = credential
        self.verify(request)
        if not credential.check_verifier(request.oauth_params["oauth_verifier"]):
            raise OAuthProblem(
                "verifier_invalid", "The oauth_verifier does not match this request token."
            )
        self.burn_nonce(request)
        return request

    def get_temporary_credential(self, request: OAuth1Request) -> Credential:
        row = self.world.table(REQUEST_TOKENS).get(request.token)
        if row is None or row["consumer_key"] != request.client_id:
            raise OAuthProblem(
                "token_rejected", "The oauth_token is not a request token of this consumer."
            )
        if row["status"] == "used":
            raise OAuthProblem("token_used", "This request token was already exchanged.")
        if now_s(self.world) >= row["expires_at"]:
            raise OAuthProblem(
                "token_expired",
                f"The request token expired ({REQUEST_TOKEN_TTL_S} s after it was issued).",
            )
        return Credential(row)

    ttl = 0
    """Lifetime of the credentials just issued (``oauth_expires_in`` of the response)."""

    def create_temporary_credential(self, request: OAuth1Request) -> Credential:
        now = now_s(self.world)
        self.ttl = REQUEST_TOKEN_TTL_S
        row = {
            "oauth_token": "rt_" + new_secret(self.world, 12),
            "oauth_token_secret": new_secret(self.world),
            "consumer_key": request.client_id,
            "callback": request.redirect_uri,
            "issued_at": now,
            "expires_at": now + REQUEST_TOKEN_TTL_S,
            "status": "issued",
            "username": None,
            "verifier": None,
            "ticket": None,
        }
        self.world.table(REQUEST_TOKENS).put(row["oauth_token"], row)
        return Credential(row)

    def delete_temporary_credential(self, request: OAuth1Request) -> None:
        credential = request.credential
        if credential is not None:  # single-use: kept as "used" so a replay says so
            row = {**credential.row, "status": "used"}
            self.world.table(REQUEST_TOKENS).put(row["oauth_token"], row)

    def create_token_credential(self, request: OAuth1Request) -> Credential:
        now = now_s(self.world)
        self.ttl = ACCESS_TOKEN_TTL_S
        row = {
            "oauth_token": "at_" + new_secret(self.world, 12),
            "oauth_token_secret": new_secret(self.world),
            "consumer_key": request.client_id,
            "username": request.credential.row["username"],
            "issued_at": now,
            "expires_at": now + ACCESS_TOKEN_TTL_S,
            "revoked_at": None,
        }
        self.world.table(ACCESS_TOKENS).put(row["oauth_token"], row)
        return Credential(row)

    def create_authorization_verifier(self, request: OAuth1Request) -> str:
        verifier = new_secret(self.world, 8)
        row = {
            **request.credential.row,
            "verifier": verifier,
            "status": "authorized",
            "username": request.user,
        }
        self.world.table(REQUEST_TOKENS).put(row["oauth_token"], row)
        return verifier


def _form(pairs: Any) -> str:
    return urlencode([(k, str(v).lower() if isinstance(v, bool) else v) for k, v in pairs])
