"""Who is calling (a personal API key, raw in ``Authorization``) and their rate-limit budgets.

Linear counts two leaky buckets per key, refilled continuously over an hour: requests (5,000)
and complexity points (3,000,000). Every answer to an authenticated request reports both in
``X-RateLimit-Requests-*`` and ``X-RateLimit-Complexity-*`` headers (resets in epoch
milliseconds) and the query's cost in ``X-Complexity``. An empty bucket is Linear's
``RATELIMITED`` error (HTTP 400) with ``Retry-After``. The buckets live in
``world.runtime``, so that a refused request still counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from starlette.requests import Request

from mockapis.kit.auth import header_value
from mockapis.kit.errors import ApiError
from mockapis.linear.data import TABLES
from mockapis.linear.errors import INPUT_ERROR, api_error
from mockapis.world import World

__all__ = [
    "COMPLEXITY_LIMIT",
    "PERIOD_S",
    "REQUESTS_LIMIT",
    "Caller",
    "authenticate",
    "charge_complexity",
    "charge_request",
    "rate_headers",
]

REQUESTS_LIMIT = 5_000
COMPLEXITY_LIMIT = 3_000_000
PERIOD_S = 3_600

BEARER_KEY = (
    "It looks like you're trying to use an API key as a Bearer token. Remove the Bearer "
    "prefix from the Authorization header."
)
_RUNTIME = "linear.ratelimit"
_NS = 1_000_000_000


@dataclass(frozen=True)
class Caller:
    """An authenticated request: the API key and the user it acts as."""

    key: str
    user_id: str


def _unauthenticated() -> ApiError:
    return api_error(
        401,
        "Authentication required, not authenticated",
        "authentication error",
        "AUTHENTICATION_ERROR",
        user_message="You need to authenticate to access this operation.",
    )


def authenticate(request: Request, world: World) -> Caller:
    """The caller of a raw ``Authorization: lin_api_...``; 400 for a Bearer-prefixed API key,
    401 for a missing or unknown key."""
    header = (header_value(request, b"authorization") or "").strip()
    keys = world.table(TABLES["keys"])
    scheme, _, rest = header.partition(" ")
    if scheme.lower() == "bearer":
        token = rest.strip()
        if token in keys or token.startswith("lin_api_"):
            raise api_error(400, BEARER_KEY, *INPUT_ERROR, user_message=BEARER_KEY)
        raise _unauthenticated()  # an OAuth access token, which this workspace never issued
    row = keys.get(header)
    if row is None:
        raise _unauthenticated()
    return Caller(header, str(row["userId"]))


@dataclass
class _Bucket:
    requests: float
    complexity: float
    at_ns: int


def _bucket(world: World, key: str) -> _Bucket:
    """The key's buckets, refilled for the time since they were last read."""
    buckets: dict[str, _Bucket] = world.runtime.setdefault(_RUNTIME, {})
    now = world.clock.now_ns
    bucket = buckets.get(key)
    if bucket is None:
        bucket = buckets[key] = _Bucket(REQUESTS_LIMIT, COMPLEXITY_LIMIT, now)
    elapsed = max(0, now - bucket.at_ns) / _NS
    bucket.requests = min(REQUESTS_LIMIT, bucket.requests + elapsed * REQUESTS_LIMIT / PERIOD_S)
    bucket.complexity = min(
        COMPLEXITY_LIMIT, bucket.complexity + elapsed * COMPLEXITY_LIMIT / PERIOD_S
    )
    bucket.at_ns = now
    return bucket


def _rate_limited(world: World, key: str, wait_s: float) -> ApiError:
    return api_error(
        400,
        "Rate limit exceeded",
        "ratelimited",
        "RATELIMITED",
        user_message="You have exceeded the rate limit. Please try again later.",
        headers={**rate_headers(world, key), "Retry-After": str(max(1, math.ceil(wait_s)))},
    )


def charge_request(world: World, key: str) -> None:
    """Count one request; ``RATELIMITED`` when the request bucket is empty."""
    bucket = _bucket(world, key)
    if bucket.requests < 1:
        raise _rate_limited(world, key, (1 - bucket.requests) * PERIOD_S / REQUESTS_LIMIT)
    bucket.requests -= 1


def charge_complexity(world: World, key: str, points: int) -> None:
    """Spend ``points``; ``RATELIMITED`` when the complexity bucket cannot cover them."""
    bucket = _bucket(world, key)
    if bucket.complexity < points:
        missing = points - bucket.complexity
        raise _rate_limited(world, key, missing * PERIOD_S / COMPLEXITY_LIMIT)
    bucket.complexity -= points


def rate_headers(world: World, key: str, complexity: int | None = None) -> dict[str, str]:
    """Linear's rate-limit headers for ``key`` (and ``X-Complexity`` when a query ran)."""
    bucket = _bucket(world, key)
    now_ms = world.clock.now_ns // 1_000_000

    def reset(remaining: float, limit: int) -> str:
        return str(now_ms + math.ceil((limit - remaining) * PERIOD_S * 1000 / limit))

    headers = {
        "X-RateLimit-Requests-Limit": str(REQUESTS_LIMIT),
        "X-RateLimit-Requests-Remaining": str(math.floor(bucket.requests)),
        "X-RateLimit-Requests-Reset": reset(bucket.requests, REQUESTS_LIMIT),
        "X-RateLimit-Complexity-Limit": str(COMPLEXITY_LIMIT),
        "X-RateLimit-Complexity-Remaining": str(math.floor(bucket.complexity)),
        "X-RateLimit-Complexity-Reset": reset(bucket.complexity, COMPLEXITY_LIMIT),
    }
    if complexity is not None:
        headers["X-Complexity"] = str(complexity)
    return headers
