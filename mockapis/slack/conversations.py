"""``conversations.list``, ``conversations.history`` and ``conversations.replies``.

Limits as documented by Slack: ``conversations.list`` returns 100 channels by default and at
most 1000; ``conversations.history`` 100 messages by default and at most 999;
``conversations.replies`` 1000 by default and at most 1000. A larger ``limit`` is capped, not
refused (Slack "may return fewer items than requested"). Cursors are opaque keyset positions
bound to the method and channel that issued them; anything else is ``invalid_cursor``.
"""

from __future__ import annotations

import bisect
from typing import Any

from starlette.responses import Response

from mockapis.kit.responses import JSONResponse
from mockapis.slack.access import Call, method
from mockapis.slack.errors import slack_error
from mockapis.slack.schema import CHANNELS, MESSAGES, message_key, parse_ts
from mockapis.tables import Record

__all__ = ["ROUTES", "channel_messages", "find_channel"]

TYPES = ("public_channel", "private_channel", "mpim", "im")
_PREFIX = {"public_channel": "channels", "private_channel": "groups", "mpim": "mpim", "im": "im"}
"""The scope family of each conversation type (``channels:read``, ``groups:history`` ...)."""


def _require(call: Call, kind: str, action: str) -> None:
    call.require(f"{_PREFIX[kind]}:{action}")


def _kind(channel: Record) -> str:
    return "private_channel" if channel["is_private"] else "public_channel"


def find_channel(call: Call, raw: str | None, *, by_name: bool = False) -> Record:
    """The channel with id ``raw`` (or, ``by_name``, called ``raw`` with or without ``#``, as
    ``chat.postMessage`` allows); else ``channel_not_found``."""
    if raw is None:
        raise slack_error("channel_not_found")
    channels = call.world.table(CHANNELS)
    found: Record | None = channels.get(raw)
    if found is not None:
        return found
    if not by_name:
        raise slack_error("channel_not_found")
    name = raw.removeprefix("#")
    for channel in channels.values():
        if channel["name"] == name:
            return channel
    raise slack_error("channel_not_found")


def channel_messages(call: Call, channel_id: str) -> list[Record]:
    """Every message of a channel (replies too), oldest first."""
    table = call.world.table(MESSAGES)
    # One channel's keys: the seeded table is partitioned by channel (only its channel is read).
    return [table[k] for k in sorted(table.with_prefix(message_key(channel_id, "")))]


async def list_conversations(call: Call) -> Response:
    """``conversations.list``: channels of the given ``types``, in id order, cursor-paged."""
    types = [t.strip() for t in (call.text("types") or "public_channel").split(",") if t.strip()]
    if not types or any(t not in TYPES for t in types):
        raise slack_error("invalid_types", warning=f"types must be among {', '.join(TYPES)}")
    for kind in types:
        _require(call, kind, "read")
    exclude_archived = call.flag("exclude_archived")
    limit = call.limit(100, 1000)
    cursor = call.cursor("channels")
    wanted = []
    for channel_id in sorted(call.world.table(CHANNELS)):
        channel = call.world.table(CHANNELS)[channel_id]
        if _kind(channel) in types and not (exclude_archived and channel["is_archived"]):
            wanted.append(channel)
    start = 0
    if cursor is not None:
        after = cursor.get("after")
        if not isinstance(after, str):
            raise slack_error("invalid_cursor")
        start = bisect.bisect_right([c["id"] for c in wanted], after)
    page = wanted[start : start + limit]
    more = start + limit < len(wanted)
    next_cursor = Call.next_cursor("channels", after=page[-1]["id"]) if more and page else ""
    return JSONResponse(
        {"ok": True, "channels": page, "response_metadata": {"next_cursor": next_cursor}}
    )


def _window(call: Call) -> tuple[int, int, bool]:
    """``(oldest, latest, inclusive)`` in microseconds."""
    raw_oldest, raw_latest = call.text("oldest"), call.text("latest")
    oldest = parse_ts(raw_oldest, "invalid_ts_oldest") if raw_oldest is not None else 0
    # Slack's default is "now"; no upper bound is the same here, where nothing is in the future.
    latest = parse_ts(raw_latest, "invalid_ts_latest") if raw_latest is not None else _NO_WINDOW[1]
    return oldest, latest, call.flag("inclusive")


_NO_WINDOW = (0, 10**18)
"""Neither ``oldest`` nor ``latest``: every message is inside (every ts is after 0)."""


def _within(micros: int, window: tuple[int, int, bool]) -> bool:
    oldest, latest, inclusive = window
    if inclusive:
        return oldest <= micros <= latest
    return oldest < micros < latest


def _micros(message: Record) -> int:
    return parse_ts(message["ts"], "invalid_ts")


def _paged(
    call: Call, kind: str, channel_id: str, messages: list[Record], limit: int
) -> dict[str, Any]:
    """One page of ``messages`` (already in response order) after the cursor's ``ts``."""
    cursor = call.cursor(kind, channel_id)
    start = 0
    if cursor is not None:
        after = cursor.get("ts")
        if not isinstance(after, str):
            raise slack_error("invalid_cursor")
        if kind == "history":  # newest first: resume at the first message older than it
            start = next((i for i, m in enumerate(messages) if m["ts"] < after), len(messages))
        else:
            start = bisect.bisect_right([m["ts"] for m in messages], after)
    page = messages[start : start + limit]
    more = start + limit < len(messages)
    body: dict[str, Any] = {"ok": True, "messages": page, "has_more": more}
    if more and page:
        body["response_metadata"] = {
            "next_cursor": Call.next_cursor(kind, channel_id, ts=page[-1]["ts"])
        }
    return body


async def history(call: Call) -> Response:
    """``conversations.history``: a channel's top-level messages, newest first."""
    channel = find_channel(call, call.text("channel"))
    _require(call, _kind(channel), "history")
    window = _window(call)
    limit = call.limit(100, 999)
    top = [
        m
        for m in reversed(channel_messages(call, channel["id"]))
        if m.get("thread_ts", m["ts"]) == m["ts"]
    ]
    if window[:2] != _NO_WINDOW:
        top = [m for m in top if _within(_micros(m), window)]
    body = _paged(call, "history", channel["id"], top, limit)
    return JSONResponse({**body, "pin_count": 0, "channel_actions_ts": None,
                         "channel_actions_count": 0})  # fmt: skip


async def replies(call: Call) -> Response:
    """``conversations.replies``: a thread's parent then its replies, oldest first."""
    channel = find_channel(call, call.text("channel"))
    _require(call, _kind(channel), "history")
    ts = call.text("ts")
    if ts is None:
        raise slack_error("invalid_arguments", warning="missing required field: ts")
    window = _window(call)
    limit = call.limit(1000, 1000)
    messages = channel_messages(call, channel["id"])
    anchor = next((m for m in messages if m["ts"] == ts), None)
    if anchor is None:
        raise slack_error("thread_not_found")
    root = anchor.get("thread_ts", anchor["ts"])
    thread = [
        m
        for m in messages
        if m.get("thread_ts", m["ts"]) == root and (m["ts"] == root or _within(_micros(m), window))
    ]
    return JSONResponse(_paged(call, "replies", channel["id"], thread, limit))


ROUTES = [
    method("conversations.list", list_conversations),
    method("conversations.history", history),
    method("conversations.replies", replies),
]
"""The conversation methods."""
