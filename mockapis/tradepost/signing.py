"""Request signing: the canonical string, the HMAC check, the clock window, replay rejection.

Every private request carries ``TP-API-KEY``, ``TP-TIMESTAMP`` (milliseconds since the Unix
epoch, by the client's clock), ``TP-SIGNATURE`` and, when it has a body,
``TP-CONTENT-SHA256``::

    string_to_sign = TP-TIMESTAMP + METHOD + path + ("?" + canonical_query if any) + body_sha256
    TP-SIGNATURE   = hex(HMAC-SHA256(api_secret, string_to_sign))

``canonical_query`` is the decoded query parameters, each name and value percent-encoded as
RFC 3986 says (unreserved characters kept, space as ``%20``), sorted by name then value, joined
``name=value`` with ``&``. ``body_sha256`` is the lowercase hex SHA-256 of the exact body bytes
(of the empty string when there is no body). ``path`` is the request path (``/v1/orders``);
behind a path-prefixed base URL (``http://host:port/tradepost``) the path with the prefix is
accepted too.

The timestamp must be within :data:`RECV_WINDOW_MS` of the server's clock, either way; a
signature is accepted once (the replay cache lives in ``world.runtime``, so a signature is
burnt even when the request it authenticated is then refused).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from urllib.parse import parse_qsl, quote

from starlette.requests import Request

from mockapis.kit.auth import header_value
from mockapis.kit.parsing import read_body
from mockapis.tables import Record
from mockapis.tradepost.errors import tp_error
from mockapis.world import World

__all__ = [
    "EMPTY_SHA256",
    "KEYS",
    "RECV_WINDOW_MS",
    "canonical_query",
    "now_ms",
    "string_to_sign",
    "verify",
]

KEYS = "tradepost._api_keys"
RECV_WINDOW_MS = 5000
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
_SEEN = "tradepost.signatures"
"""``world.runtime`` key: signature -> timestamp of every accepted signature still in window."""
_KEY_FORMAT = re.compile(r"tp_[A-Za-z0-9]{40}")
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
_HEADERS = "TP-API-KEY, TP-TIMESTAMP and TP-SIGNATURE"


def now_ms(world: World) -> int:
    """The server's time in milliseconds since the epoch."""
    return world.clock.now_ns // 1_000_000


def canonical_query(raw: str) -> str:
    """The sorted, RFC 3986-encoded query of a raw query string (``""`` when empty)."""
    pairs = parse_qsl(raw, keep_blank_values=True)
    encoded = sorted((quote(k, safe=""), quote(v, safe="")) for k, v in pairs)
    return "&".join(f"{k}={v}" for k, v in encoded)


def string_to_sign(timestamp: str, method: str, path: str, query: str, body_sha256: str) -> str:
    """What ``TP-SIGNATURE`` is the HMAC of."""
    return f"{timestamp}{method.upper()}{path}{'?' + query if query else ''}{body_sha256}"


async def verify(request: Request) -> tuple[World, Record]:
    """The world and the caller's key row, for a correctly signed, fresh, unreplayed request;
    401 with the catalogue's code (and ``serverTime``) otherwise."""
    world: World = request.scope["world"]
    server = now_ms(world)
    key = header_value(request, b"tp-api-key")
    if not key:
        raise tp_error(401, "unauthorized", f"API-key required: send {_HEADERS}.", server_ms=server)
    if not _KEY_FORMAT.fullmatch(key):
        raise tp_error(401, "bad_key_format", "API-key format invalid.", server_ms=server)
    row = world.table(KEYS).get(key)
    if row is None:
        raise tp_error(401, "invalid_key", "Invalid API-key or permissions.", server_ms=server)
    stamp = _timestamp(request, server)
    body = await read_body(request)
    body_sha = _content_hash(request, body, server)
    signature = header_value(request, b"tp-signature")
    if not signature:
        raise tp_error(
            401, "unauthorized", f"TP-SIGNATURE is missing; send {_HEADERS}.", server_ms=server
        )
    query = canonical_query(request.scope["query_string"].decode("latin-1"))
    paths = _paths(request)
    method = request.method
    candidates = [string_to_sign(stamp, method, p, query, body_sha) for p in paths]
    given = signature.strip().lower()
    secret = row["secret"].encode()
    if not any(
        hmac.compare_digest(hmac.new(secret, c.encode(), hashlib.sha256).hexdigest(), given)
        for c in candidates
    ):
        raise tp_error(
            401,
            "bad_signature",
            "Signature for this request is not valid. The server signed this string "
            f"(HMAC-SHA256 with your API secret, hex): {candidates[0]!r}.",
            server_ms=server,
        )
    _not_replayed(world, given, int(stamp), server)
    return world, row


def _timestamp(request: Request, server: int) -> str:
    stamp = header_value(request, b"tp-timestamp")
    if not stamp:
        raise tp_error(
            401, "unauthorized", f"TP-TIMESTAMP is missing; send {_HEADERS}.", server_ms=server
        )
    stamp = stamp.strip()
    if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 15):
        raise tp_error(
            401,
            "bad_timestamp",
            f"TP-TIMESTAMP must be milliseconds since the Unix epoch (digits only); got "
            f"{stamp[:32]!r}.",
            server_ms=server,
        )
    skew = int(stamp) - server
    if abs(skew) > RECV_WINDOW_MS:
        way = "ahead of" if skew > 0 else "behind"
        raise tp_error(
            401,
            "timestamp_outside_window",
            f"Timestamp for this request is outside of the recvWindow: TP-TIMESTAMP {stamp} is "
            f"{abs(skew)} ms {way} the server time {server}; it must be within "
            f"{RECV_WINDOW_MS} ms. Sync your clock with GET /v1/time or the Date header.",
            server_ms=server,
        )
    return stamp


def _content_hash(request: Request, body: bytes, server: int) -> str:
    actual = hashlib.sha256(body).hexdigest()
    declared = header_value(request, b"tp-content-sha256")
    if declared is None:
        if body:
            raise tp_error(
                401,
                "content_hash_missing",
                "A request with a body needs TP-CONTENT-SHA256: the hex SHA-256 of the exact "
                "body bytes.",
                server_ms=server,
            )
        return actual
    declared = declared.strip()
    if not _HEX64.fullmatch(declared) or declared.lower() != actual:
        raise tp_error(
            401,
            "content_hash_mismatch",
            f"TP-CONTENT-SHA256 does not match the body received ({len(body)} bytes, "
            f"SHA-256 {actual}). Hash the exact bytes you send.",
            server_ms=server,
        )
    return actual


def _paths(request: Request) -> list[str]:
    """The API path (``/v1/...``), then the full path as sent when a prefix mounts it."""
    path: str = request.scope["path"]
    root: str = request.scope.get("root_path", "")
    if root and path.startswith(root):
        return [path[len(root) :] or "/", path]
    return [path]


def _not_replayed(world: World, signature: str, stamp: int, server: int) -> None:
    seen: dict[str, int] = world.runtime.setdefault(_SEEN, {})
    if signature in seen:
        raise tp_error(
            401,
            "replayed",
            f"Replayed request: this signature (TP-TIMESTAMP {seen[signature]}) was already "
            "used. Sign every request with a fresh TP-TIMESTAMP.",
            server_ms=server,
        )
    horizon = server - 2 * RECV_WINDOW_MS
    for old in [s for s, t in seen.items() if t < horizon]:
        del seen[old]
    seen[signature] = stamp
