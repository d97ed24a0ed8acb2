"""Reference solutions of the Slack scenarios: HTTP only, through the public Web API.

Each is a generator: it yields actions, receives the responses, and ends with a submit. The
naive ones read only the first page, as a client that ignores ``next_cursor`` does.
"""

from __future__ import annotations

import json
from collections.abc import Generator
from typing import Any
from urllib.parse import urlencode

from gym_apibench.solving import (
    Check,
    Solution,
    SolutionError,
    auth_headers,
    expect_json,
    restarts,
    send,
)

Call = Generator[dict[str, Any], dict[str, Any], dict[str, Any]]
Paged = Generator[dict[str, Any], dict[str, Any], list[dict[str, Any]]]


class Api:
    """The Slack base URL and bot token of a task."""

    def __init__(self, task: dict[str, Any]) -> None:
        self.base = task["services"]["slack"]
        self.headers = auth_headers(task["credentials"]["slack"])

    def call(self, name: str, *, post: dict[str, Any] | None = None, **args: Any) -> Call:
        """Call method ``name`` (GET with ``args``, or POST of the JSON ``post``); its result,
        waiting out 429s; an ``ok: false`` answer is an error."""
        url = f"{self.base}/api/{name}"
        if post is not None:
            action = {"method": "POST", "url": url, "headers": self.headers, "json": post}
        else:
            query = urlencode({k: v for k, v in args.items() if v is not None})
            action = {"method": "GET", "url": f"{url}?{query}", "headers": self.headers}
        check = None
        if name == "chat.postMessage" and post is not None:
            check = self.posted(str(post["channel"]), str(post["text"]))
        body = expect_json((yield from send(action, check=check)))
        if not body.get("ok"):
            raise SolutionError(f"{name} failed: {body.get('error')}")
        return dict(body)

    @restarts
    def pages(self, name: str, key: str, *, first_only: bool = False, **args: Any) -> Paged:
        """Every item under ``key`` across the cursor pages of method ``name`` (from the
        first page again if a cursor expires)."""
        found: list[dict[str, Any]] = []
        cursor = None
        while True:
            body = yield from self.call(name, cursor=cursor, **args)
            found.extend(body[key])
            cursor = (body.get("response_metadata") or {}).get("next_cursor")
            if not cursor or first_only:
                return found

    def posted(self, channel: str, text: str) -> Check:
        """After a lost chat.postMessage: its answer, if the newest messages of ``channel``
        (an id, or ``#name``) hold ``text``."""

        def check() -> Call:
            where = channel
            if channel.startswith("#"):
                where = yield from self.channel_id(channel[1:])
            history = yield from self.call("conversations.history", channel=where, limit=20)
            for message in history["messages"]:
                if message.get("text") == text:
                    body = {"ok": True, "channel": where, "ts": message["ts"], "message": message}
                    return {"status": 200, "headers": {}, "body": json.dumps(body)}
            return {}

        return check

    def channel_id(self, name: str) -> Generator[dict[str, Any], dict[str, Any], str]:
        """The id of the channel called ``name`` (conversations.list, every page)."""
        channels = yield from self.pages(
            "conversations.list", "channels", types="public_channel,private_channel", limit=200
        )
        for channel in channels:
            if channel["name"] == name:
                return str(channel["id"])
        raise SolutionError(f"no channel called {name!r}")


def recent_messages(task: dict[str, Any], *, first_only: bool = False) -> Solution:
    """Walk history pages of 999 until N messages, then stop: exactly N, newest first."""
    api, n = Api(task), task["inputs"]["n"]
    channel = yield from api.channel_id(task["inputs"]["channel"])
    found = yield from _newest(api, channel, n, first_only=first_only)
    yield {"submit": [m["ts"] for m in found[:n]]}


@restarts
def _newest(api: Api, channel: str, n: int, *, first_only: bool) -> Paged:
    """The newest ``n`` messages of ``channel``, history page by page (pages of 999 at
    most, the last one only as large as still needed)."""
    found: list[dict[str, Any]] = []
    cursor = None
    while len(found) < n:
        body = yield from api.call(
            "conversations.history", channel=channel, limit=min(999, n - len(found)),
            cursor=cursor,
        )  # fmt: skip
        found.extend(body["messages"])
        cursor = (body.get("response_metadata") or {}).get("next_cursor")
        if not cursor or first_only:
            break
    return found


def recent_messages_first_page(task: dict[str, Any]) -> Solution:
    """The naive client: one history page of the largest size."""
    yield from recent_messages(task, first_only=True)


def messages_since(task: dict[str, Any], *, first_only: bool = False) -> Solution:
    """Every message after ``oldest``, across history pages."""
    api = Api(task)
    channel = yield from api.channel_id(task["inputs"]["channel"])
    messages = yield from api.pages(
        "conversations.history", "messages", first_only=first_only,
        channel=channel, oldest=task["inputs"]["oldest"], limit=999,
    )  # fmt: skip
    yield {"submit": [m["ts"] for m in messages]}


def messages_since_first_page(task: dict[str, Any]) -> Solution:
    """The naive client: the first history page only."""
    yield from messages_since(task, first_only=True)


def last_twenty(task: dict[str, Any]) -> Solution:
    """One history page of 20: the newest messages come first."""
    api = Api(task)
    channel = yield from api.channel_id(task["inputs"]["channel"])
    body = yield from api.call("conversations.history", channel=channel, limit=20)
    yield {"submit": [m["text"] for m in body["messages"]]}


def channels_without_prefix(task: dict[str, Any], *, first_only: bool = False) -> Solution:
    """Every public channel across conversations.list pages, filtered by name."""
    api, prefix = Api(task), task["inputs"]["prefix"]
    limit = None if first_only else 200
    channels = yield from api.pages(
        "conversations.list", "channels", first_only=first_only, limit=limit
    )
    yield {"submit": [c["name"] for c in channels if not c["name"].startswith(prefix)]}


def channels_without_prefix_first_page(task: dict[str, Any]) -> Solution:
    """The naive client: one conversations.list call with the default page size."""
    yield from channels_without_prefix(task, first_only=True)


def post_message(task: dict[str, Any]) -> Solution:
    """chat.postMessage with the channel's name (Slack resolves it)."""
    api = Api(task)
    yield from api.call(
        "chat.postMessage", post={"channel": "#" + task["inputs"]["channel"],
                                  "text": task["inputs"]["text"]},
    )  # fmt: skip
    yield {"submit": None}


def thread_replies(task: dict[str, Any]) -> Solution:
    """conversations.replies, every page; the parent (first message) left out."""
    api = Api(task)
    channel = yield from api.channel_id(task["inputs"]["channel"])
    ts = task["inputs"]["ts"]
    messages = yield from api.pages("conversations.replies", "messages", channel=channel, ts=ts)
    yield {"submit": [m["text"] for m in messages if m["ts"] != ts]}


def all_messages_budget(task: dict[str, Any], *, limit: int = 999) -> Solution:
    """One conversations.list page, then history pages of the largest size (999)."""
    api = Api(task)
    channel = yield from api.channel_id(task["inputs"]["channel"])
    messages = yield from api.pages("conversations.history", "messages", channel=channel,
                                    limit=limit)  # fmt: skip
    yield {"submit": [m["ts"] for m in messages]}


def all_messages_recommended_pages(task: dict[str, Any]) -> Solution:
    """Right, but at Slack's recommended 200 a page: too many calls for the budget."""
    yield from all_messages_budget(task, limit=200)
