"""Rate limiting: a fixed window or a token bucket per token, route or both; 429 when empty.

The kind is stateful: its buckets live in the rule's state (``call.state``), so they survive
failed requests and reset with the world, and every instant comes from ``world.clock``. The
rule's ``when`` decides which requests are counted at all; it is usually left empty (every
matching request is counted). Only a 429 is an injected fault; the quota headers go on every
counted response.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockapis.clock import NS_PER_SECOND
from mockapis.faults.kinds.errors import service_error
from mockapis.faults.layer import FaultCall
from mockapis.faults.model import Kind, Param, Proceed, Reply
from mockapis.kit.ratelimit import (
    QuotaPolicy,
    github_ratelimit,
    http_date,
    ratelimit,
    ratelimit_policy,
)

__all__ = ["KINDS", "Quota", "fixed_window", "token_bucket"]


@dataclass(frozen=True)
class Quota:
    """A limiter's answer for one request; instants are ns on the world clock."""

    allowed: bool
    remaining: int
    reset_ns: int
    """When the whole quota is available again (the window's end; a full bucket)."""
    next_ns: int
    """When one request may pass again (now, if it passed)."""


def fixed_window(
    bucket: dict[str, int], now_ns: int, epoch_ns: int, limit: int, window_ns: int
) -> Quota:
    """Count a request in its window; windows are aligned on the episode's epoch."""
    index = (now_ns - epoch_ns) // window_ns
    if bucket.get("window") != index:
        bucket["window"], bucket["count"] = index, 0
    reset_ns = epoch_ns + (index + 1) * window_ns
    if bucket["count"] < limit:
        bucket["count"] += 1
        return Quota(True, limit - bucket["count"], reset_ns, now_ns)
    return Quota(False, 0, reset_ns, reset_ns)


def token_bucket(bucket: dict[str, int], now_ns: int, limit: int, window_ns: int) -> Quota:
    """Take a token from a bucket of ``limit`` tokens that refills continuously.

    Exact integer arithmetic: the level is kept in token-nanoseconds (one token is
    ``window_ns`` units) and refills by ``limit`` units per nanosecond, i.e. ``limit``
    tokens per window, so no rounding drifts over an episode.
    """
    capacity = limit * window_ns
    level = min(
        capacity, bucket.get("level", capacity) + (now_ns - bucket.get("at", now_ns)) * limit
    )
    allowed = level >= window_ns
    if allowed:
        level -= window_ns
    bucket["level"], bucket["at"] = level, now_ns
    reset_ns = now_ns + _ceil_div(capacity - level, limit)
    next_ns = now_ns if allowed else now_ns + _ceil_div(window_ns - level, limit)
    return Quota(allowed, level // window_ns, reset_ns, next_ns)


async def _rate_limit(call: FaultCall, proceed: Proceed) -> Reply:
    p = call.params
    now_ns = call.world.clock.now_ns
    window_ns = round(p["window"] * NS_PER_SECOND)
    buckets: dict[str, dict[str, int]] = call.state.setdefault("buckets", {})
    bucket = buckets.setdefault(_bucket_key(call, p["scope"]), {})
    blocked_until = bucket.get("blocked_until", 0)
    if now_ns < blocked_until:
        # Early: the request is not counted, and the penalty pushes the block further out.
        blocked_until += round(p["penalty"] * NS_PER_SECOND)
        bucket["blocked_until"] = blocked_until
        quota = _take(p, dict(bucket), now_ns, call.world.epoch_ns, window_ns)  # a copy: a peek
        return _too_many(call, now_ns, blocked_until, max(quota.reset_ns, blocked_until))
    quota = _take(p, bucket, now_ns, call.world.epoch_ns, window_ns)
    if not quota.allowed:
        # Announce whole seconds, so a client that waits exactly as told is never early.
        retry_ns = _ceil_div(quota.next_ns, NS_PER_SECOND) * NS_PER_SECOND
        bucket["blocked_until"] = retry_ns
        return _too_many(call, now_ns, retry_ns, max(quota.reset_ns, retry_ns))
    reply = await proceed()
    extra = _quota_headers(call, now_ns, quota.remaining, quota.reset_ns)
    return Reply(reply.status, [*reply.headers, *extra], reply.body)


def _take(p: Mapping[str, Any], bucket: dict[str, int], now: int, epoch: int, window: int) -> Quota:
    """Count a request in ``bucket`` with the rule's algorithm."""
    if p["algorithm"] == "token_bucket":
        return token_bucket(bucket, now, p["limit"], window)
    return fixed_window(bucket, now, epoch, p["limit"], window)


def _too_many(call: FaultCall, now_ns: int, retry_ns: int, reset_ns: int) -> Reply:
    """The 429: the service's error body, Retry-After as configured, and the quota headers."""
    call.inject()
    p = call.params
    wait_s = max(1, _ceil_div(retry_ns - now_ns, NS_PER_SECOND))
    per = {"token": " per token", "route": " per route", "token_route": " per token and route"}
    message = (
        f"Rate limit exceeded: at most {p['limit']} requests per {p['window']:g} seconds"
        f"{per.get(p['scope'], '')}. Retry in {wait_s} seconds."
    )
    reply = service_error(call, 429, message, "rate_limit_exceeded")
    headers = reply.headers
    if p["retry_after"] == "seconds":
        headers.append((b"retry-after", str(wait_s).encode()))
    elif p["retry_after"] == "http_date":
        # An HTTP-date is read against the response's Date (RFC 9110 section 10.2.3).
        headers.append((b"date", http_date(now_ns).encode()))
        headers.append((b"retry-after", http_date(retry_ns).encode()))
    headers.extend(_quota_headers(call, now_ns, 0, reset_ns))
    headers.append((b"content-length", str(len(reply.body)).encode()))
    return reply


def _quota_headers(
    call: FaultCall, now_ns: int, remaining: int, reset_ns: int
) -> list[tuple[bytes, bytes]]:
    p = call.params
    if p["headers"] == "ietf":
        name = _policy_name(call.rule.name)
        policy = QuotaPolicy(name, quota=p["limit"], window=math.ceil(p["window"]))
        reset_s = max(0, _ceil_div(reset_ns - now_ns, NS_PER_SECOND))
        found = {
            **ratelimit_policy(policy),
            **ratelimit(name, remaining=remaining, reset=reset_s),
        }
    elif p["headers"] == "github":
        reset_at = _ceil_div(reset_ns, NS_PER_SECOND)
        found = github_ratelimit(limit=p["limit"], remaining=remaining, reset_at=reset_at)
    else:
        return []
    return [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in found.items()]


def _bucket_key(call: FaultCall, scope: str) -> str:
    token = call.header(b"authorization") or ""
    route = f"{call.method} {call.path}"
    return {"token": token, "route": route, "token_route": f"{token}\n{route}"}.get(scope, "*")


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _policy_name(rule: str) -> str:
    """The rule's name as a structured-field string may hold it (printable ASCII)."""
    return "".join(ch if " " <= ch <= "~" else "?" for ch in rule)


def _check(params: Mapping[str, Any]) -> tuple[str, str] | None:
    if params["window"] <= 0:
        return "window", f"must be a number of seconds > 0; got {params['window']!r}"
    return None


KINDS = (
    Kind(
        "rate_limit",
        "Limit the request rate: a fixed window (aligned on the episode start) or a token "
        "bucket, per token, route, both or globally. Over the limit it answers 429 in the "
        "service's error format with Retry-After; quota headers (IETF RateLimit and "
        "RateLimit-Policy, or GitHub's x-ratelimit-*) go on every counted response. A request "
        "sent before the announced retry instant is refused and extends the block by "
        "`penalty`. Stateful: leave `when` empty so that every matching request is counted "
        "(a probability counts only a sample of them).",
        (
            Param(
                "algorithm",
                (str,),
                "fixed_window",
                "fixed_window or token_bucket",
                choices=("fixed_window", "token_bucket"),
            ),
            Param("limit", (int,), 10, "requests per window, or the bucket's capacity", minimum=1),
            Param(
                "window",
                (int, float),
                60,
                "seconds: the fixed window, or the time to refill `limit` tokens",
            ),
            Param(
                "scope",
                (str,),
                "token",
                "what a bucket is keyed by: token (the Authorization header), route (method "
                "and path), token_route, or global",
                choices=("token", "route", "token_route", "global"),
            ),
            Param(
                "retry_after",
                (str,),
                "seconds",
                "Retry-After as seconds, an HTTP date (with a Date header), or none",
                choices=("seconds", "http_date", "none"),
            ),
            Param(
                "headers",
                (str,),
                "ietf",
                "quota headers: ietf (RateLimit, RateLimit-Policy), github (x-ratelimit-*), none",
                choices=("ietf", "github", "none"),
            ),
            Param(
                "penalty",
                (int, float),
                0,
                "seconds added to the block by each request sent before the announced retry",
                minimum=0,
            ),
        ),
        _rate_limit,
        check=_check,
    ),
)
