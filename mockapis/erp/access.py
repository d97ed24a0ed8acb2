"""The session check every route runs (cookie, idle expiry, CSRF), and the session tables.

The flow (documented in the spec's ``info.description``):

1. ``POST /api/session`` with ``username`` and ``password`` (JSON or form body) answers 201,
   sets ``MBSESSION=<id>; HttpOnly; Path=/; SameSite=Lax`` and returns the session's CSRF
   token in the body (``csrf_token``) and the ``X-CSRF-Token`` header.
2. Every request sends the cookie; every POST/PUT/PATCH/DELETE also sends
   ``X-CSRF-Token: <token>`` (403 ``csrf_missing`` / ``csrf_invalid`` /
   ``csrf_session_mismatch`` otherwise). ``GET /api/session`` re-reads the token.
3. A session idle for longer than the idle timeout (virtual clock, counted from its last
   successful request) is dead: 401 ``session_expired``; log in again and use the new token.
4. ``DELETE /api/session`` logs out.

Five wrong passwords in a row lock the user for 15 minutes (403 ``account_locked``); the
failures are counted even though the login is refused (``world.keep()``).
"""

from __future__ import annotations

from starlette.requests import Request

from mockapis.clock import NS_PER_SECOND, format_rfc3339_ns
from mockapis.kit.auth import header_value
from mockapis.kit.context import world_of
from mockapis.kit.errors import ApiError
from mockapis.kit.routing import Handler, route
from mockapis.tables import Record
from mockapis.world import World

__all__ = [
    "CONFIG",
    "COOKIE",
    "FAILURES",
    "LOCKOUT_S",
    "MAX_FAILURES",
    "SESSIONS",
    "USERS",
    "Caller",
    "Handler",
    "authorize",
    "config",
    "route",
]

COOKIE = "MBSESSION"
USERS = "erp._users"
SESSIONS = "erp._sessions"
FAILURES = "erp._login_failures"
CONFIG = "erp._config"
MAX_FAILURES = 5
LOCKOUT_S = 900
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_LOGIN = "log in with POST /api/session (username and password)"


class Caller:
    """The authenticated caller of one request: the world, the user and the session."""

    __slots__ = ("session", "user", "world")

    def __init__(self, world: World, user: Record, session: Record) -> None:
        self.world = world
        self.user = user
        self.session = session

    @property
    def username(self) -> str:
        """The logged-in user's name."""
        return str(self.user["username"])


def config(world: World) -> Record:
    """The ERP's settings row (``session_idle_s``, ``export_delay_s``)."""
    return world.table(CONFIG)["settings"]


def authorize(request: Request) -> Caller:
    """The caller of ``request``: a live session from the cookie, plus the CSRF token on
    state-changing methods; 401/403 with a precise ``code`` otherwise. Touches the session."""
    world = world_of(request)
    sid = request.cookies.get(COOKIE)
    if not sid:
        raise ApiError(
            401,
            f"No session cookie ({COOKIE}) was sent; {_LOGIN} and send the cookie it sets.",
            code="not_authenticated",
        )
    sessions = world.table(SESSIONS)
    session = sessions.get(sid)
    if session is None:
        raise ApiError(
            401,
            f"The {COOKIE} session is not known (logged out, or never issued); {_LOGIN}.",
            code="invalid_session",
        )
    idle_s = int(config(world)["session_idle_s"])
    now = world.clock.now_ns
    if now - session["last_seen_ns"] > idle_s * NS_PER_SECOND:
        raise ApiError(
            401,
            f"The session expired after more than {idle_s} s without a request (last request "
            f"at {format_rfc3339_ns(session['last_seen_ns'])}); {_LOGIN} again and use the "
            "new CSRF token it returns.",
            code="session_expired",
        )
    if request.method in _UNSAFE:
        _check_csrf(request, world, session)
    sessions.put(sid, {**session, "last_seen_ns": now})
    user = world.table(USERS)[session["username"]]
    return Caller(world, user, sessions[sid])


def _check_csrf(request: Request, world: World, session: Record) -> None:
    token = header_value(request, b"x-csrf-token")
    if not token:
        raise ApiError(
            403,
            f"{request.method} requests need the session's CSRF token in the X-CSRF-Token "
            "header; it is returned by POST /api/session and GET /api/session.",
            code="csrf_missing",
        )
    if token == session["csrf_token"]:
        return
    if any(s["csrf_token"] == token for s in world.table(SESSIONS).values()):
        raise ApiError(
            403,
            "The X-CSRF-Token belongs to another session; each login issues its own token. "
            "Use the token returned with this session (GET /api/session shows it).",
            code="csrf_session_mismatch",
        )
    raise ApiError(
        403,
        "The X-CSRF-Token is not valid for this session; GET /api/session shows the current one.",
        code="csrf_invalid",
    )
