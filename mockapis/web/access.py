"""Fair access, as SEC EDGAR enforces it: a declared User-Agent and at most 10 requests a second.

- A request whose ``User-Agent`` carries no contact e-mail address (missing, a library's
  default, a browser's) gets 403 and the "Undeclared Automated Tool" page.
- Requests are counted per client address in one-second windows of the episode clock; the
  11th request of a second gets 403 and the "Request Rate Threshold Exceeded" page, and so
  does every request until the client has stayed under the threshold for
  :data:`PENALTY_SECONDS` (refused requests count too, so hammering prolongs the block). No
  ``Retry-After`` is sent, as EDGAR sends none.

Fetches made by other services of the episode (the reader, ``kit.fetch``) come from those
services' own address pools and are not counted.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from mockapis.clock import NS_PER_SECOND
from mockapis.kit.auth import header_value
from mockapis.kit.fetch import is_fetch
from mockapis.web.pages import rate_exceeded_page, undeclared_tool_page
from mockapis.world import World

__all__ = ["MAX_PER_SECOND", "PENALTY_SECONDS", "declared", "refusal"]

MAX_PER_SECOND = 10
PENALTY_SECONDS = 60
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_RATE = "web.rate"


def declared(user_agent: str | None) -> bool:
    """Whether ``user_agent`` declares who is calling: a name and a contact e-mail address."""
    if not user_agent:
        return False
    match = _EMAIL.search(user_agent)
    if match is None:
        return False
    rest = (user_agent[: match.start()] + user_agent[match.end() :]).strip(" ()<>;,")
    return any(ch.isalpha() for ch in rest)


def refusal(request: Request) -> Response | None:
    """The 403 page this request gets, or None when it may be served."""
    if not declared(header_value(request, b"user-agent")):
        return HTMLResponse(undeclared_tool_page(), 403)
    if is_fetch(request.scope):
        return None
    world: World = request.scope["world"]
    client = request.scope.get("client")
    address = str(client[0]) if client else "unknown"
    if _over_threshold(world, address):
        return HTMLResponse(rate_exceeded_page(PENALTY_SECONDS), 403)
    return None


def _over_threshold(world: World, address: str) -> bool:
    """Count this request; whether the client is (now) blocked."""
    now = world.clock.now_ns
    second = now // NS_PER_SECOND
    buckets: dict[str, list[int]] = world.runtime.setdefault(_RATE, {})
    window, count, blocked_until = buckets.get(address, [second, 0, 0])
    count = count + 1 if window == second else 1
    if count > MAX_PER_SECOND:
        blocked_until = now + PENALTY_SECONDS * NS_PER_SECOND
    buckets[address] = [second, count, blocked_until]
    return now < blocked_until
