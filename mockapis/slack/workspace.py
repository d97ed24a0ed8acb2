"""``auth.test`` (who the token is) and ``users.list`` (the workspace's members)."""

from __future__ import annotations

import bisect

from starlette.responses import Response

from mockapis.kit.responses import JSONResponse
from mockapis.slack.access import Call, method
from mockapis.slack.errors import slack_error
from mockapis.slack.schema import TEAM_DOMAIN, TEAM_NAME, USERS

__all__ = ["ROUTES"]


async def auth_test(call: Call) -> Response:
    """``auth.test``: the team, the bot user and the bot id behind the token."""
    user = call.world.table(USERS)[call.token["user_id"]]
    return JSONResponse(
        {
            "ok": True,
            "url": f"https://{TEAM_DOMAIN}.slack.com/",
            "team": TEAM_NAME,
            "user": user["name"],
            "team_id": call.token["team_id"],
            "user_id": user["id"],
            "bot_id": call.token["bot_id"],
            "is_enterprise_install": False,
        }
    )


async def list_users(call: Call) -> Response:
    """``users.list``: members in id order; no ``limit`` (or 0) returns them all at once,
    as Slack does for small workspaces; at most 1000 a page."""
    call.require("users:read")
    users = call.world.table(USERS)
    ids = sorted(users)
    limit = call.limit(len(ids) or 1, 1000)
    cursor = call.cursor("users")
    start = 0
    if cursor is not None:
        after = cursor.get("after")
        if not isinstance(after, str):
            raise slack_error("invalid_cursor")
        start = bisect.bisect_right(ids, after)
    page = ids[start : start + limit]
    more = start + limit < len(ids)
    next_cursor = Call.next_cursor("users", after=page[-1]) if more and page else ""
    return JSONResponse(
        {
            "ok": True,
            "members": [users[i] for i in page],
            "cache_ts": call.world.clock.now_ns // 10**9,
            "response_metadata": {"next_cursor": next_cursor},
        }
    )


ROUTES = [method("auth.test", auth_test), method("users.list", list_users)]
"""The workspace methods."""
