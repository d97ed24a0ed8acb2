"""Helpers for reference solutions: generators that yield actions and receive responses.

A solution is ``def solve(task) -> Solution``; it yields request actions, receives each
observation back, and ends by yielding ``{"submit": answer}``. It sees only what an agent
sees (the task and the HTTP responses), never the world.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import json
from collections.abc import Generator, Mapping
from typing import Any

from gym_apibench.bodies import body_bytes

__all__ = [
    "FLOW_CREDENTIALS",
    "RETRYABLE",
    "Exchange",
    "Solution",
    "SolutionError",
    "auth_headers",
    "body_bytes",
    "expect_json",
    "request",
    "retry_after",
    "send",
    "server_time",
]

Solution = Generator[dict[str, Any], dict[str, Any], None]
Exchange = Generator[dict[str, Any], dict[str, Any], dict[str, Any]]
"""A sub-generator that sends one or more actions and returns the final observation."""

RETRYABLE = frozenset({429, 500, 502, 503, 504})


class SolutionError(RuntimeError):
    """A reference solution got a response it cannot go on from."""


FLOW_CREDENTIALS = frozenset({"login", "signed", "oauth1", "oauth2"})
"""Credential types with no static header: ``login`` (a username and password for a login or
consent page), ``signed`` (a key and secret to sign each request with), ``oauth1`` (an OAuth
1.0a consumer, and a resource owner's login) and ``oauth2`` (an OAuth 2.0 client, and a
resource owner's login). The service's spec describes the flow."""


def auth_headers(credentials: Mapping[str, str]) -> dict[str, str]:
    """Request headers for a credentials entry of ``task["credentials"]``: none for the
    :data:`FLOW_CREDENTIALS` types, which authenticate through a flow or per request."""
    kind = credentials.get("type")
    if kind == "none" or kind in FLOW_CREDENTIALS:
        return {}
    if kind == "bearer":
        return {"Authorization": f"Bearer {credentials['token']}"}
    if kind == "api_key":
        return {credentials["header"]: credentials["key"]}
    if kind == "raw":
        return {"Authorization": credentials["token"]}
    if kind == "basic":
        pair = f"{credentials['username']}:{credentials['password']}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode()}
    raise SolutionError(f"no header form for credentials of type {kind!r}")


def request(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    json_body: Any = None,
) -> dict[str, Any]:
    """A request action."""
    action: dict[str, Any] = {"method": method, "url": url, "headers": dict(headers or {})}
    if json_body is not None:
        action["json"] = json_body
    return action


def expect_json(observation: Mapping[str, Any], status: int | tuple[int, ...] = (200,)) -> Any:
    """The JSON body of ``observation``, which must have one of the ``status`` codes."""
    allowed = (status,) if isinstance(status, int) else status
    if observation["status"] not in allowed:
        raise SolutionError(
            f"expected status {allowed}, got {observation['status']}: {observation['body'][:300]}"
        )
    return json.loads(observation["body"]) if observation["body"] else None


def server_time(observation: Mapping[str, Any]) -> dt.datetime | None:
    """The response's ``Date`` as an aware datetime, or None when it has no valid one
    (services that check client timestamps send it for clients to sync with)."""
    for key, value in observation.get("headers", {}).items():
        if key.lower() == "date":
            try:
                return email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                return None
    return None


def retry_after(observation: Mapping[str, Any]) -> float | None:
    """Seconds to wait from a response's ``Retry-After`` (delta-seconds or an HTTP-date
    measured against the response's ``Date``), or None when it gives none."""
    headers = {k.lower(): v for k, v in observation["headers"].items()}
    value = headers.get("retry-after")
    if value is None:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = server_time(observation)
    return None if now is None else max(0.0, (when - now).total_seconds())


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def send(
    action: dict[str, Any],
    *,
    attempts: int = 8,
    backoff: float = 1.0,
    wait: bool = True,
    safe: bool | None = None,
) -> Exchange:
    """Send ``action``; on 429 or 5xx wait (``Retry-After``, else exponential backoff) and
    send it again (``wait=False``: again at once, as a naive client does).

    Transport failures (status 0) are retried only for a ``safe`` request (by default a GET,
    HEAD or OPTIONS; a POST that only reads, like a search, can say so): retrying a write
    whose response was lost may repeat it, and only the caller knows how to check."""
    if safe is None:
        safe = str(action.get("method", "")).upper() in SAFE_METHODS
    observation: dict[str, Any] = {}
    for attempt in range(attempts):
        observation = yield action
        status = observation["status"]
        if status not in RETRYABLE and not (status == 0 and safe):
            return observation
        if wait:
            delay = retry_after(observation)
            yield {"wait": delay if delay is not None else backoff * 2**attempt}
    return observation
