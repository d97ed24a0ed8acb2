"""Who calls the reader, and Jina's per-minute rate limits on the episode clock.

An ``Authorization: Bearer jina_...`` key is optional. Anonymous calls share a budget of
:data:`ANONYMOUS_RPM` requests a minute per client address; a key has its own (500 by default).
An unknown key is refused with 401. Over the limit: 429 ``RateLimitTriggeredError`` with
``retryAfter`` (seconds) in the body and a ``Retry-After`` header.
"""

from __future__ import annotations

from starlette.requests import Request

from mockapis.clock import NS_PER_SECOND
from mockapis.kit.auth import header_value
from mockapis.reader.data import KEYS
from mockapis.reader.errors import reader_error
from mockapis.world import World

__all__ = ["ANONYMOUS_RPM", "admit"]

ANONYMOUS_RPM = 20
_MINUTE_NS = 60 * NS_PER_SECOND
_RATE = "reader.rate"


def admit(request: Request) -> str | None:
    """Authenticate and count this request; its API key (None: anonymous). Raises the
    reader's 401 or 429."""
    world: World = request.scope["world"]
    key = _key(request, world)
    if key is None:
        client = request.scope.get("client")
        bucket, limit = "ip:" + (str(client[0]) if client else "unknown"), ANONYMOUS_RPM
    else:
        bucket, limit = "key:" + key, int(world.table(KEYS)[key]["rpm"])
    now = world.clock.now_ns
    window = now // _MINUTE_NS
    buckets: dict[str, list[int]] = world.runtime.setdefault(_RATE, {})
    seen, count = buckets.get(bucket, [window, 0])
    count = count + 1 if seen == window else 1
    buckets[bucket] = [window, count]
    if count > limit:
        retry = max(1, -(-((window + 1) * _MINUTE_NS - now) // NS_PER_SECOND))
        who = "API key" if key else "IP"
        advice = (
            "" if key else " Use an API key (Authorization: Bearer jina_...) for a higher limit."
        )
        raise reader_error(
            "rate_limited",
            f"Per {who} rate limit exceeded ({limit} RPM). Retry after {retry} seconds.{advice}",
            headers={"Retry-After": str(retry)},
            retryAfter=retry,
        )
    return key


def _key(request: Request, world: World) -> str | None:
    header = header_value(request, b"authorization")
    if header is None or not header.strip():
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or token not in world.table(KEYS):
        raise reader_error(
            "unauthorized", "Invalid API key, please get a new one from https://jina.ai"
        )
    return token
