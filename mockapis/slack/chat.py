"""``chat.postMessage``: post as the bot to a channel given by id or name, or into a thread."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

from mockapis.kit.responses import JSONResponse
from mockapis.slack.access import Call, method
from mockapis.slack.conversations import channel_messages, find_channel
from mockapis.slack.errors import slack_error
from mockapis.slack.messages import thread_parent
from mockapis.slack.schema import MESSAGES, TEAM_ID, message_key, parse_ts, ts_of

__all__ = ["MAX_TEXT", "ROUTES"]

MAX_TEXT = 40_000
"""Slack truncates longer texts; it refuses them with ``msg_too_long``."""


def _structured(call: Call, name: str) -> list[Any] | None:
    """``blocks`` or ``attachments``: a JSON array, given as such or as a JSON string."""
    value = call.args.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            raise slack_error(f"invalid_{name}") from None
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise slack_error(f"invalid_{name}")
    return value


async def post_message(call: Call) -> Response:
    """``chat.postMessage``: validate everything, then store the message (and its thread)."""
    call.require("chat:write")
    channel = find_channel(call, call.text("channel"), by_name=True)
    text = call.text("text") or ""
    blocks, attachments = _structured(call, "blocks"), _structured(call, "attachments")
    if not text and not blocks and not attachments:
        raise slack_error("no_text")
    if len(text) > MAX_TEXT:
        raise slack_error("msg_too_long")
    try:
        json.dumps([text, blocks, attachments], ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise slack_error("invalid_arguments", warning="text is not valid Unicode") from None
    if channel["is_archived"]:
        raise slack_error("is_archived")
    if not channel["is_member"]:
        raise slack_error("not_in_channel")
    messages = channel_messages(call, channel["id"])
    thread_ts = call.text("thread_ts")
    parent = None
    if thread_ts is not None:
        parent = next((m for m in messages if m["ts"] == thread_ts), None)
        if parent is None or parent.get("thread_ts", parent["ts"]) != parent["ts"]:
            raise slack_error("thread_not_found")
    now = call.world.clock.now_ns // 1000
    latest = parse_ts(messages[-1]["ts"], "invalid_ts") + 1 if messages else 0
    message: dict[str, Any] = {
        "type": "message",
        "user": call.token["user_id"],
        "bot_id": call.token["bot_id"],
        "app_id": call.token["app_id"],
        "text": text,
        "ts": ts_of(max(now, latest)),
        "team": TEAM_ID,
    }
    if blocks is not None:
        message["blocks"] = blocks
    if attachments is not None:
        message["attachments"] = attachments
    table = call.world.table(MESSAGES)
    if parent is not None:
        message = {**message, "thread_ts": parent["ts"], "parent_user_id": parent["user"]}
        earlier = [m for m in messages if m.get("thread_ts") == parent["ts"] and m is not parent]
        table.put(
            message_key(channel["id"], parent["ts"]),
            thread_parent(parent, [*earlier, message]),
        )
    table.put(message_key(channel["id"], message["ts"]), message)
    return JSONResponse({"ok": True, "channel": channel["id"], "ts": message["ts"],
                         "message": message})  # fmt: skip


ROUTES = [method("chat.postMessage", post_message)]
"""The chat methods."""
