"""Credentials and cursors that die mid-episode: token expiry or revocation, cursor expiry."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from mockapis.faults.kinds.errors import service_error
from mockapis.faults.layer import FaultCall
from mockapis.faults.model import Kind, Param, Proceed, Reply
from mockapis.world import World

__all__ = ["DEAD_TOKENS", "KINDS", "dead_tokens"]

DEAD_TOKENS = "auth.dead_tokens"
"""The ``world.runtime`` key of the tokens killed so far: token -> ``expire`` or ``revoke``."""

_DESCRIPTIONS = {
    "expire": "The access token expired",
    "revoke": "The access token has been revoked",
}


def dead_tokens(world: World) -> dict[str, str]:
    """The bearer tokens killed in this episode, with how they died."""
    dead: dict[str, str] = world.runtime.setdefault(DEAD_TOKENS, {})
    return dead


def _bearer(call: FaultCall) -> str | None:
    scheme, _, token = (call.header(b"authorization") or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


async def _credential_expiry(call: FaultCall, proceed: Proceed) -> Reply:
    """Kill the first bearer token the rule meets; refuse every dead token it meets after."""
    token = _bearer(call)
    if token is None:
        return await proceed()
    dead = dead_tokens(call.world)
    if token not in dead:
        if "killed" in call.state:
            return await proceed()  # a fresh token (say, a refreshed one) passes
        call.state["killed"] = token
        dead[token] = call.params["mode"]
    call.inject()
    description = _DESCRIPTIONS[dead[token]]
    hint = (
        " Get a new access token (for example with your refresh token) and retry."
        if dead[token] == "expire"
        else " Authenticate again to get a new access token."
    )
    reply = service_error(call, 401, description + "." + hint, "invalid_token")
    challenge = f'Bearer error="invalid_token", error_description="{description}"'
    reply.headers.append((b"www-authenticate", challenge.encode()))
    reply.headers.append((b"content-length", str(len(reply.body)).encode()))
    return reply


def _carried(call: FaultCall, name: str) -> Any:
    """The value of query parameter or top-level JSON body field ``name``; None if absent,
    empty or null."""
    query = call.scope.get("query_string", b"").decode("latin-1")
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key == name and value:
            return value
    try:
        document = json.loads(call.body) if call.body else None
    except (ValueError, RecursionError):
        return None
    if isinstance(document, dict) and document.get(name) not in (None, ""):
        return document[name]
    return None


async def _cursor_expiry(call: FaultCall, proceed: Proceed) -> Reply:
    name = call.params["param"]
    value = _carried(call, name)
    if value is None:
        return await proceed()
    call.inject()
    shown = json.dumps(value) if not isinstance(value, str) else repr(value[:60])
    message = call.params["message"] or (
        f"The {name} {shown} has expired or is no longer valid. Start the listing again "
        f"from the first page (without {name})."
    )
    reply = service_error(call, 400, message, "invalid_cursor")
    reply.headers.append((b"content-length", str(len(reply.body)).encode()))
    return reply


def _check_cursor(params: Mapping[str, Any]) -> tuple[str, str] | None:
    if not params["param"]:
        return "param", "must name the cursor parameter; got an empty string"
    return None


KINDS = (
    Kind(
        "credential_expiry",
        "The bearer token of the first request the rule hits dies for the rest of the "
        "episode (mode expire or revoke): that request and every later one the rule is due on "
        "that carries a dead token answer 401 with `WWW-Authenticate: Bearer "
        'error="invalid_token"` and a body in the service\'s error format; other (fresh) '
        "tokens pass. A rule kills one token; use `when: {after: N}` so that it stays due "
        "on every later request.",
        (
            Param(
                "mode",
                (str,),
                "expire",
                "expire (the token expired) or revoke (it has been revoked)",
                choices=("expire", "revoke"),
            ),
        ),
        _credential_expiry,
    ),
    Kind(
        "cursor_expiry",
        "A due request that carries the pagination parameter `param` (in the query, or as a "
        "top-level field of a JSON body; empty and null do not count) answers 400 in the "
        "service's error format with code `invalid_cursor`: the client must restart the "
        "listing from the first page. Requests without it pass.",
        (
            Param("param", (str,), "cursor", "the cursor's query parameter or body field"),
            Param(
                "message",
                (str, type(None)),
                None,
                "the error message (default: one naming the parameter and how to recover)",
            ),
        ),
        _cursor_expiry,
        check=_check_cursor,
    ),
)
