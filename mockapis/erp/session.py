"""Login, the current session and logout (``/api/session``); see :mod:`mockapis.erp.access`."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from mockapis.clock import NS_PER_SECOND, format_rfc3339_ns
from mockapis.erp.access import (
    COOKIE,
    FAILURES,
    LOCKOUT_S,
    MAX_FAILURES,
    SESSIONS,
    USERS,
    authorize,
    config,
    route,
)
from mockapis.kit.context import world_of
from mockapis.kit.errors import ApiError
from mockapis.kit.parsing import read_body
from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["ROUTES"]


async def login(request: Request) -> Response:
    """``POST /api/session``: log in with username and password (JSON or form body)."""
    world = world_of(request)
    username, password = await _login_form(request)
    now = world.clock.now_ns
    failures = world.table(FAILURES)
    failed = failures.get(username)
    if failed is not None and failed["locked_until_ns"] > now:
        wait_s = -(-(failed["locked_until_ns"] - now) // NS_PER_SECOND)
        raise ApiError(
            403,
            f"User {username!r} is locked after {MAX_FAILURES} failed logins; try again in "
            f"{wait_s} s (at {format_rfc3339_ns(failed['locked_until_ns'])}).",
            code="account_locked",
            headers={"Retry-After": str(wait_s)},
        )
    user = world.table(USERS).get(username)
    if user is None or user["password"] != password:
        count = (failed["count"] if failed is not None else 0) + 1
        locked = now + LOCKOUT_S * NS_PER_SECOND if count >= MAX_FAILURES else 0
        failures.put(username, {"username": username, "count": count, "locked_until_ns": locked})
        world.keep()  # a refused login still counts towards the lockout
        left = MAX_FAILURES - count
        then = f"{left} attempt(s) left before a lockout" if left > 0 else "the user is now locked"
        raise ApiError(401, f"Invalid username or password; {then}.", code="invalid_credentials")
    if failed is not None:
        failures.delete(username)
    sid = world.uuid4().replace("-", "")
    csrf = f"{world.rng.getrandbits(128):032x}"
    session = {
        "session_id": sid,
        "username": username,
        "csrf_token": csrf,
        "created_ns": now,
        "last_seen_ns": now,
    }
    world.table(SESSIONS).put(sid, session)
    body = _session_body(world, user, session)
    response = JSONResponse(body, 201, headers={"X-CSRF-Token": csrf, "Cache-Control": "no-store"})
    response.set_cookie(COOKIE, sid, path="/", httponly=True, samesite="lax")
    return response


async def current(request: Request) -> Response:
    """``GET /api/session``: the current session and its CSRF token."""
    caller = authorize(request)
    body = _session_body(caller.world, caller.user, caller.session)
    return JSONResponse(body, headers={"X-CSRF-Token": caller.session["csrf_token"]})


async def logout(request: Request) -> Response:
    """``DELETE /api/session``: end the session (needs the CSRF token)."""
    caller = authorize(request)
    caller.world.table(SESSIONS).delete(caller.session["session_id"])
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")
    return response


def _session_body(world: World, user: Record, session: Record) -> dict[str, Any]:
    return {
        "user": {
            "username": user["username"],
            "display_name": user["display_name"],
            "role": user["role"],
        },
        "csrf_token": session["csrf_token"],
        "created_at": format_rfc3339_ns(session["created_ns"]),
        "idle_timeout_s": int(config(world)["session_idle_s"]),
    }


async def _login_form(request: Request) -> tuple[str, str]:
    """``(username, password)`` from a JSON or form-encoded body, else 400/415."""
    body = await read_body(request, max_bytes=16_384)
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    fields: dict[str, Any]
    if media == "application/json":
        try:
            parsed = json.loads(body)
        except (ValueError, RecursionError):
            raise ApiError(400, "The login body is not valid JSON.", code="invalid_json") from None
        if not isinstance(parsed, dict):
            raise ApiError(400, "The login body must be a JSON object.", code="invalid_request")
        fields = parsed
    elif media == "application/x-www-form-urlencoded":
        try:
            fields = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            raise ApiError(400, "The login form is not UTF-8.", code="invalid_request") from None
    else:
        raise ApiError(
            415,
            "Send the login as application/json or application/x-www-form-urlencoded; got "
            f"{media or 'no Content-Type'}.",
            code="unsupported_media_type",
        )
    username, password = fields.get("username"), fields.get("password")
    if not isinstance(username, str) or not username or not isinstance(password, str):
        raise ApiError(
            400,
            "The login needs string fields username and password.",
            code="invalid_request",
        )
    return username, password


ROUTES = [route("/api/session", {"POST": login, "GET": current, "DELETE": logout})]
